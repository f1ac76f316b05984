/* Anchored patches: PDQ hashes of square details of a photo, each set on
 * two of its corners, so that a crop anywhere, a resize, a quarter turn or
 * a mirror of the photo gives the same hashes for the details it keeps
 * (docs/images.md, "Crops anywhere: anchored patches"). */
#ifndef GN_MEDIA_PATCHES_H
#define GN_MEDIA_PATCHES_H

#include <stdint.h>

#include "media/image.h"
#include "media/pdq.h"

/* At most this many patches a listing's photo, looked up (and banked with
 * its other forms when the listing is taken down). */
#define GN_PDQ_PATCHES_LOOKED_UP 24
/* A brand's photo (banked, never looked up): this many at the scale a
 * listing's photo gets, and this many more from a work copy 1.25 times
 * larger, the scale a crop of 64% of it shows (gn_pdq_patches_banked). */
#define GN_PDQ_PATCHES_NEAR 12
#define GN_PDQ_PATCHES_ZOOMED 20
/* The most patches a photo has. */
#define GN_PDQ_PATCHES (GN_PDQ_PATCHES_NEAR + GN_PDQ_PATCHES_ZOOMED)

/* A patch's span: the distance between its two corners, in percent of the
 * square root of the picture's area (20..70). Two matching patches' spans
 * give the copy's share of the other photo's area: (bank / copy)^2. */
#define GN_PATCH_SPAN_MIN 20
#define GN_PATCH_SPAN_MAX 70

/* A listing photo's patch is looked up within this distance, not PDQ's 31:
 * a copy's patch lands within a few bits of the bank's or far from it (on
 * test_regions' copies, with a brand photo's patches at two scales, not
 * one crop fewer matches at 16 than at 19), and at 16 the index probes 32
 * buckets (80 at 19, 272 at 31). */
#ifndef GN_PATCH_MATCH_DISTANCE
#define GN_PATCH_MATCH_DISTANCE 16
#endif

/* Against a brand's patches a listing's photo looks up only its first
 * this many (the pairs of its strongest corners): with the brand's at two
 * scales, the rest found no crop more on test_regions' photos. */
#define GN_PATCHES_AGAINST_OFFICIAL 12

/* A removed listing's photo was hashed as a listing's is, at one scale:
 * its patches are met by all of a listing photo's, within 19 bits (at 16,
 * 2 of 714 crops fewer on test_regions' photos). */
#define GN_REMOVED_PATCH_MATCH_DISTANCE 19

typedef struct gn_pdq_patches {
    int n;
    gn_pdq_hash hash[GN_PDQ_PATCHES];
    uint8_t span[GN_PDQ_PATCHES];
} gn_pdq_patches;

/* The patches of the rectangle [x0,x1) x [y0,y1) of img (the picture
 * without its border) that a listing's photo looks up, at most
 * GN_PDQ_PATCHES_LOOKED_UP. A flat or tiny picture has none. 0, or
 * GN_ENOMEM. */
int gn_pdq_patches_of(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_patches *out,
                      gn_error *err);

/* The patches a brand's photo is banked with: at two scales, so that a
 * crop's are among them (GN_PDQ_PATCHES_NEAR, then GN_PDQ_PATCHES_ZOOMED). */
int gn_pdq_patches_banked(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_patches *out,
                          gn_error *err);

/* The share of the banked photo's area that a copy shows, in percent, from
 * the spans of a bank patch and the copy's patch that matched it (above 100:
 * the copy shows it smaller, within a larger picture). */
int gn_patch_area(int bank_span, int copy_span);

#endif
