/* Photos to hashes for the engine (images.c): what the media layer made of
 * them before the event was taken. */
#ifndef GN_ENGINE_IMAGES_H
#define GN_ENGINE_IMAGES_H

#include "core/error.h"
#include "core/event.h"
#include "core/json.h"
#include "detect/detect.h"
#include "store/store.h"

/* Fills img from an image object and resolved, its entry in the event's
 * `media` (NULL when there is none); store is read for the photos of old
 * logs (the image cache). Returns 0; GN_EINPUT when the photo
 * could not be had (why says so, for the decision's notes); or a store
 * error in err. */
int gn_engine_image(gn_store *store, const gn_json *image, const gn_json *resolved,
                    gn_listing_image *img, gn_error *why, gn_error *err);

/* The event's `media` entries for its field `images` or `official_images`. */
static inline const gn_json *gn_engine_media(const gn_event *ev, const char *field)
{
    return gn_json_get(gn_event_get(ev, "media"), field);
}

#endif
