/* Hashes that survive what sellers do to a photo beyond PDQ's reach: a
 * uniform border or padding trimmed before hashing (a white frame,
 * letterboxing), and central regions of a brand's own photo hashed into the
 * bank so that a crop of it matches (docs/images.md, "Borders and crops"). */
#ifndef GN_MEDIA_REGIONS_H
#define GN_MEDIA_REGIONS_H

#include "media/image.h"
#include "media/pdq.h"

/* The central regions hashed of each official photo, by side: 80% and 65%
 * of each side, 64% and 42% of the area. */
#define GN_PDQ_REGIONS 2
extern const int gn_region_side_percent[GN_PDQ_REGIONS];

/* The picture's content without a uniform border: rows and columns at the
 * edges whose every pixel is within a few levels of the border's colour. A
 * border is trimmed only when it is at least 2% of a side and leaves at
 * least 40% of each; returns 1 and the rectangle [x0,x1) x [y0,y1) when it
 * is, 0 when the picture has none. */
int gn_image_find_border(const gn_image *img, int *x0, int *y0, int *x1, int *y1);

/* A copy of a rectangle of img (one pixel per pixel: the copy's scale is
 * its own), for hashing. 0, or GN_ENOMEM. */
int gn_image_crop(const gn_image *img, int x0, int y0, int x1, int y1, gn_image *out);

/* The photo's hash once its border is trimmed (*trimmed = 1), or nothing
 * (*trimmed = 0) when it has none; and when regions is not NULL, the hashes
 * of its central regions (of the trimmed picture), with their share of its
 * area in percent. 0, or an error. */
int gn_pdq_hash_robust(const gn_image *img, gn_pdq_hash *trimmed_hash, int *trimmed,
                       gn_pdq_hash regions[GN_PDQ_REGIONS], int area[GN_PDQ_REGIONS],
                       gn_error *err);

#endif
