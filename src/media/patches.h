/* Anchored patches: PDQ hashes of square details of a photo, each set on
 * two of its corners, so that a crop anywhere, a resize, a quarter turn or
 * a mirror of the photo gives the same hashes for the details it keeps
 * (docs/images.md, "Crops anywhere: anchored patches"). */
#ifndef GN_MEDIA_PATCHES_H
#define GN_MEDIA_PATCHES_H

#include <stdint.h>

#include "media/image.h"
#include "media/pdq.h"

/* At most this many patches a photo (bank and look-ups alike). */
#define GN_PDQ_PATCHES 24

/* A patch's span: the distance between its two corners, in percent of the
 * square root of the picture's area (20..70). Two matching patches' spans
 * give the copy's share of the other photo's area: (bank / copy)^2. */
#define GN_PATCH_SPAN_MIN 20
#define GN_PATCH_SPAN_MAX 70

/* A listing photo's patch is looked up within this distance, not PDQ's 31:
 * a copy's patch lands within a few bits of the bank's or far from it (on
 * test_regions' copies, 0-2 of 21 fewer match at 19 than at 31 in each
 * row, the same as at 23), and at 19 the index probes 80 buckets, not 272. */
#ifndef GN_PATCH_MATCH_DISTANCE
#define GN_PATCH_MATCH_DISTANCE 19
#endif

typedef struct gn_pdq_patches {
    int n;
    gn_pdq_hash hash[GN_PDQ_PATCHES];
    uint8_t span[GN_PDQ_PATCHES];
} gn_pdq_patches;

/* The patches of the rectangle [x0,x1) x [y0,y1) of img (the picture
 * without its border). A flat or tiny picture has none. 0, or GN_ENOMEM. */
int gn_pdq_patches_of(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_patches *out,
                      gn_error *err);

/* The share of the banked photo's area that a copy shows, in percent, from
 * the spans of a bank patch and the copy's patch that matched it (above 100:
 * the copy shows it smaller, within a larger picture). */
int gn_patch_area(int bank_span, int copy_span);

#endif
