/* A listing's photos beside the banked photos they match, for the review
 * card (GET /v1/review/{id}: photo_matches). */
#ifndef GN_ENGINE_REVIEW_PHOTOS_H
#define GN_ENGINE_REVIEW_PHOTOS_H

#include <stdint.h>

#include "core/buf.h"
#include "genuine.h"

/* Appends a JSON array: for each photo of the listing's latest version with
 * a match, {"photo" (1-based), "url" or "pdq", "match":{"kind" ("official",
 * "removed"), "brand" or "listing", "url" or "pdq", "distance", "bits",
 * "match_distance"}}, the nearest of each kind. The caller holds the engine. */
int gn_engine_photo_matches(gn_engine *e, uint32_t listing, gn_buf *out, gn_error *err);

#endif
