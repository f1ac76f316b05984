/* Photos to hashes for the engine (images.c). */
#ifndef GN_ENGINE_IMAGES_H
#define GN_ENGINE_IMAGES_H

#include "engine/engine.h"

/* Fills img from an image object. Returns 0; GN_EINPUT when the photo could
 * not be had (why says so, for the decision's notes); or a store error in err. */
int gn_engine_image(gn_engine *e, const gn_json *image, gn_listing_image *img, gn_error *why,
                    gn_error *err);

#endif
