/* Hashes that survive what sellers do to a photo beyond PDQ's reach: a
 * uniform border or padding trimmed before hashing (a white frame,
 * letterboxing); regions of a photo hashed into the bank (its centre, its
 * corners, all but one edge: a brand's at once, a listing's when it is taken
 * down), so that a crop of it matches; and
 * parts of a listing's photo looked up (its quarters, for a 2x2 collage; all
 * but its top or bottom fifth, for a caption), so that a photo containing
 * a brand's matches (docs/images.md, "Borders and crops"). */
#ifndef GN_MEDIA_REGIONS_H
#define GN_MEDIA_REGIONS_H

#include <stdint.h>

#include "media/image.h"
#include "media/patches.h"
#include "media/pdq.h"

/* A rectangle of a picture: w and h in percent of its sides, placed at
 * anchor ax, ay (0: left or top, 1: centred, 2: right or bottom). */
typedef struct gn_rect_percent {
    uint8_t w, h, ax, ay;
} gn_rect_percent;

/* The regions of each photo that join the bank, in this order:
 * central 80% and 65% of each side (64% and 42% of the area), 80% of each
 * side at each corner (64%), and the picture without its bottom, top,
 * right or left fifth (80%). */
#define GN_PDQ_REGIONS 10
extern const gn_rect_percent gn_bank_regions[GN_PDQ_REGIONS];

/* The parts of each listing photo that are looked up: its four quarters,
 * then the picture without its bottom fifth and without its top fifth, and
 * those two mirrored left to right (a caption over a mirrored photo: the
 * brand's region is banked upright only). */
#define GN_PDQ_PARTS 8
#define GN_PART_MIRRORED 6 /* parts from this one on are hashed mirrored */
extern const gn_rect_percent gn_listing_parts[GN_PDQ_PARTS];
/* Words for each part, for reasons: "its top-left quarter", ... */
extern const char *const gn_listing_part_words[GN_PDQ_PARTS];

/* A part of a listing's photo of PDQ quality below this is not looked up:
 * a quarter of sky or wall hashes to noise, and noise matches noise (with
 * them, 14 false matches in 6.4 million unrelated pairs; without, none).
 * A brand's regions are all kept (0: as the whole photo is): leaving out
 * the flat ones lost 2 of 21 central crops and found nothing wrong. */
#define GN_REGION_MIN_QUALITY 0
#define GN_PART_MIN_QUALITY GN_PDQ_MIN_QUALITY

/* A rectangle's share of the picture's area, in percent. */
int gn_rect_area(const gn_rect_percent *r);

/* The picture's content without a uniform border: rows and columns at the
 * edges whose every pixel is within a few levels of the border's colour. A
 * border is trimmed only when it is at least 2% of a side and leaves at
 * least 40% of each; returns 1 and the rectangle [x0,x1) x [y0,y1) when it
 * is, 0 when the picture has none. */
int gn_image_find_border(const gn_image *img, int *x0, int *y0, int *x1, int *y1);

/* A copy of a rectangle of img (one pixel per pixel: the copy's scale is
 * its own), for hashing. 0, or GN_ENOMEM. */
int gn_image_crop(const gn_image *img, int x0, int y0, int x1, int y1, gn_image *out);

/* What gn_pdq_hash_robust gives beyond the photo's own hashes. */
typedef struct gn_pdq_robust {
    int trimmed; /* a border was trimmed: trimmed_hash is the rest's */
    gn_pdq_hash trimmed_hash;
    int n_regions; /* regions of quality above GN_REGION_MIN_QUALITY */
    gn_pdq_hash regions[GN_PDQ_REGIONS];
    uint8_t region[GN_PDQ_REGIONS]; /* each one's index in gn_bank_regions */
    int n_parts;
    gn_pdq_hash parts[GN_PDQ_PARTS];
    uint8_t part[GN_PDQ_PARTS]; /* each one's index in gn_listing_parts */
    gn_pdq_patches patches;     /* anchored patches (patches.h): banked and looked up */
} gn_pdq_robust;

/* The photo's hash once its border is trimmed (if it has one), and when
 * asked its bank regions and its parts (of the picture without its
 * border); with either, its anchored patches. 0, or an error. */
int gn_pdq_hash_robust(const gn_image *img, int regions, int parts, gn_pdq_robust *out,
                       gn_error *err);

#endif
