/* Borders trimmed and central regions hashed (regions.h). A border is found
 * on the decoded luminance plane, strictly: every pixel of an edge row or
 * column within BORDER_TOLERANCE of the corner's level, so a natural photo's
 * sky or shadow (never that flat) is left alone and plain PDQ keeps its
 * answers for every photo without a frame. */
#include "media/regions.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

const gn_rect_percent gn_bank_regions[GN_PDQ_REGIONS] = {
    {80, 80, 1, 1}, {65, 65, 1, 1},  {80, 80, 0, 0},  {80, 80, 2, 0},  {80, 80, 0, 2},
    {80, 80, 2, 2}, {100, 80, 1, 0}, {100, 80, 1, 2}, {80, 100, 0, 1}, {80, 100, 2, 1},
};

const gn_rect_percent gn_listing_parts[GN_PDQ_PARTS] = {
    {50, 50, 0, 0},  {50, 50, 2, 0},  {50, 50, 0, 2},  {50, 50, 2, 2},
    {100, 80, 1, 0}, {100, 80, 1, 2}, {100, 80, 1, 0}, {100, 80, 1, 2},
};

const char *const gn_listing_part_words[GN_PDQ_PARTS] = {
    "its top-left quarter",
    "its top-right quarter",
    "its bottom-left quarter",
    "its bottom-right quarter",
    "all but its bottom fifth (where a caption goes)",
    "all but its top fifth",
    "mirrored, all but its bottom fifth (where a caption goes)",
    "mirrored, all but its top fifth",
};

int gn_rect_area(const gn_rect_percent *r)
{
    return (r->w * r->h + 50) / 100;
}

#define BORDER_TOLERANCE (3 * 256) /* 3 grey levels, in 8.8 fixed point */
#define BORDER_MIN_PERCENT 2       /* of the side, all borders of that axis together */
#define KEEP_MIN_PERCENT 40        /* of each side left after trimming */

static int near(uint16_t a, uint16_t b)
{
    return (a > b ? a - b : b - a) <= BORDER_TOLERANCE;
}

static int row_flat(const gn_image *img, int y, int x0, int x1, uint16_t level)
{
    const uint16_t *p = img->luma + (size_t)y * img->width;
    for (int x = x0; x < x1; x++)
        if (!near(p[x], level)) return 0;
    return 1;
}

static int column_flat(const gn_image *img, int x, int y0, int y1, uint16_t level)
{
    for (int y = y0; y < y1; y++)
        if (!near(img->luma[(size_t)y * img->width + x], level)) return 0;
    return 1;
}

int gn_image_find_border(const gn_image *img, int *x0, int *y0, int *x1, int *y1)
{
    int w = img->width, h = img->height;
    if (w < 16 || h < 16) return 0;
    /* The border's level: the top-left corner's, else the bottom-right's
     * (letterboxing top and bottom only has both corners in the bars). */
    uint16_t level = img->luma[0];
    int top = 0, bottom = h, left = 0, right = w;
    while (top < h && row_flat(img, top, 0, w, level))
        top++;
    while (bottom > top && row_flat(img, bottom - 1, 0, w, level))
        bottom--;
    while (left < w && column_flat(img, left, top, bottom, level))
        left++;
    while (right > left && column_flat(img, right - 1, top, bottom, level))
        right--;
    int cut_x = w - (right - left), cut_y = h - (bottom - top);
    int enough = cut_x * 100 >= BORDER_MIN_PERCENT * w || cut_y * 100 >= BORDER_MIN_PERCENT * h;
    int kept = (right - left) * 100 >= KEEP_MIN_PERCENT * w &&
               (bottom - top) * 100 >= KEEP_MIN_PERCENT * h;
    if (!enough || !kept) return 0;
    *x0 = left, *y0 = top, *x1 = right, *y1 = bottom;
    return 1;
}

int gn_image_crop(const gn_image *img, int x0, int y0, int x1, int y1, gn_image *out)
{
    memset(out, 0, sizeof *out);
    int w = x1 - x0, h = y1 - y0;
    out->luma = gn_xmalloc((size_t)w * h * sizeof *out->luma);
    if (!out->luma) return GN_ENOMEM;
    for (int y = 0; y < h; y++)
        memcpy(out->luma + (size_t)y * w, img->luma + (size_t)(y0 + y) * img->width + x0,
               (size_t)w * sizeof *out->luma);
    out->width = out->source_width = w;
    out->height = out->source_height = h;
    out->orientation = 1;
    out->format = img->format;
    return 0;
}

/* The hash of a rectangle of the picture (mirrored left to right when
 * asked), and its quality. */
static int hash_rect_as(const gn_image *img, int x0, int y0, int x1, int y1, int mirrored,
                        gn_pdq_hash *hash, int *quality, gn_error *err)
{
    gn_image part;
    if (gn_image_crop(img, x0, y0, x1, y1, &part)) return gn_fail(err, GN_ENOMEM, "out of memory");
    for (int y = 0; mirrored && y < part.height; y++) {
        uint16_t *row = part.luma + (size_t)y * part.width;
        for (int a = 0, b = part.width - 1; a < b; a++, b--) {
            uint16_t t = row[a];
            row[a] = row[b], row[b] = t;
        }
    }
    int rc = gn_pdq_hash_image(&part, hash, quality, err);
    free(part.luma);
    return rc;
}

static int hash_rect(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_hash *hash,
                     int *quality, gn_error *err)
{
    return hash_rect_as(img, x0, y0, x1, y1, 0, hash, quality, err);
}

/* Rectangle r of [x0,x1) x [y0,y1), hashed; *kept = 0 when its quality is
 * too low to match on. */
static int hash_percent(const gn_image *img, int x0, int y0, int x1, int y1,
                        const gn_rect_percent *r, int mirrored, int min_quality, gn_pdq_hash *hash,
                        int *kept, gn_error *err)
{
    int w = (x1 - x0) * r->w / 100, h = (y1 - y0) * r->h / 100, quality;
    int cx = x0 + r->ax * (x1 - x0 - w) / 2, cy = y0 + r->ay * (y1 - y0 - h) / 2;
    *kept = 0;
    if (w < 8 || h < 8) return 0;
    int rc = hash_rect_as(img, cx, cy, cx + w, cy + h, mirrored, hash, &quality, err);
    *kept = rc == 0 && quality >= min_quality;
    return rc;
}

int gn_pdq_hash_robust(const gn_image *img, int regions, int parts, gn_pdq_robust *out,
                       gn_error *err)
{
    int x0 = 0, y0 = 0, x1 = img->width, y1 = img->height, quality, kept;
    memset(out, 0, sizeof *out);
    out->trimmed = gn_image_find_border(img, &x0, &y0, &x1, &y1);
    if (out->trimmed) {
        int rc = hash_rect(img, x0, y0, x1, y1, &out->trimmed_hash, &quality, err);
        if (rc) return rc;
    }
    for (int r = 0; regions && r < GN_PDQ_REGIONS; r++) {
        int rc = hash_percent(img, x0, y0, x1, y1, &gn_bank_regions[r], 0, GN_REGION_MIN_QUALITY,
                              &out->regions[out->n_regions], &kept, err);
        if (rc) return rc;
        if (kept) out->region[out->n_regions++] = (uint8_t)r;
    }
    for (int r = 0; parts && r < GN_PDQ_PARTS; r++) {
        int rc = hash_percent(img, x0, y0, x1, y1, &gn_listing_parts[r], r >= GN_PART_MIRRORED,
                              GN_PART_MIN_QUALITY, &out->parts[out->n_parts], &kept, err);
        if (rc) return rc;
        if (kept) out->part[out->n_parts++] = (uint8_t)r;
    }
    /* A listing's photo (parts asked) gets the patches it looks up, which
     * are also what is banked of it if it is taken down; a brand's photo,
     * only banked, gets them at two scales. */
    if (parts) return gn_pdq_patches_of(img, x0, y0, x1, y1, &out->patches, err);
    if (regions) return gn_pdq_patches_banked(img, x0, y0, x1, y1, &out->patches, err);
    return 0;
}
