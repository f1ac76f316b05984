/* Anchored patches (patches.h). PDQ tolerates under 1% of shift: a crop's
 * hash matches only a region banked within a pixel or two of it, and crops
 * may be anywhere. So genuine anchors details on the picture itself: its
 * strongest corners (Shi-Tomasi, on a copy of about 256x256 pixels of the
 * same area whatever the photo's size, so a crop or a resize sees the
 * corners at nearly the same scale), and for each pair of corners the
 * square between them, turned along the pair, which a crop that keeps both
 * corners and the square keeps whole, a resize scales, a turn turns. The
 * square is brought to one of its four orientations by the signs of its
 * two lowest DCT terms, so the pair's order and a mirror do not matter. */
#include "media/patches.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#define WORK_SIDE 256      /* the work copy's sqrt(area), in pixels */
#define ZOOMED_SIDE 320    /* a brand photo's second work copy: as a crop of 64% sees it */
#define MIN_SIDE 32        /* a work copy narrower than this has no patches */
#define SMOOTH_SIGMA 1.0f  /* before gradients; the patches are read from it too */
#define TENSOR_SIGMA 2.0f  /* the structure tensor's window */
#define CORNERS 16         /* strongest corners kept (12: 1-2 fewer crops of 21 found) */
#define NMS_RADIUS 6       /* a corner is the strongest within this many pixels */
#define MARGIN 6           /* nor this close to the edge (the filters see the edge there) */
#define MIN_RESPONSE 1e-3f /* flat: no corner (grey levels squared) */
#define PATCH_PIXELS 64    /* the square is read at PDQ's own 64x64 grid */

typedef struct corner {
    float x, y, response;
    int at; /* y * width + x, to break ties the same way every time */
} corner;

static int by_response(const void *a, const void *b)
{
    const corner *p = a, *q = b;
    if (p->response != q->response) return p->response < q->response ? 1 : -1;
    return p->at < q->at ? -1 : p->at > q->at;
}

/* out[x] = sum of k[i] * rows[i][x] over the 2r + 1 taps, eight x at a
 * time in the compiler's generic vectors, summed in registers: the blurs
 * are most of the patches' time. On x86-64 a second copy is built for AVX2
 * (chosen at load time), one instruction where a baseline CPU takes two;
 * each lane multiplies and adds in the same order either way (no fused
 * multiply-add: -std=c11 does not contract), so the sums are the same. */
typedef float gn_f8 __attribute__((vector_size(32)));

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
__attribute__((target_clones("avx2", "default")))
#endif
static void
taps(float *restrict out, const float *const *rows, const float *k, int ntaps, int n)
{
    int x = 0;
    for (; x + 8 <= n; x += 8) {
        gn_f8 acc = {0}, v;
        for (int i = 0; i < ntaps; i++) {
            memcpy(&v, rows[i] + x, sizeof v);
            acc += k[i] * v;
        }
        memcpy(out + x, &acc, sizeof acc);
    }
    for (; x < n; x++) {
        float acc = 0;
        for (int i = 0; i < ntaps; i++)
            acc += k[i] * rows[i][x];
        out[x] = acc;
    }
}

/* Gaussian blur in place, edges clamped; tmp holds w*h floats and pad
 * w + 64. */
static void blur(float *a, float *tmp, float *pad, int w, int h, float sigma)
{
    int r = (int)(3 * sigma + 1);
    float k[32], sum = 0;
    const float *rows[32];
    for (int i = -r; i <= r; i++)
        sum += k[i + r] = expf(-(float)(i * i) / (2 * sigma * sigma));
    for (int i = 0; i <= 2 * r; i++)
        k[i] /= sum;
    for (int y = 0; y < h; y++) {
        const float *in = a + (size_t)y * w;
        for (int x = 0; x < r; x++)
            pad[x] = in[0], pad[r + w + x] = in[w - 1];
        memcpy(pad + r, in, (size_t)w * sizeof *pad);
        for (int i = 0; i <= 2 * r; i++)
            rows[i] = pad + i;
        taps(tmp + (size_t)y * w, rows, k, 2 * r + 1, w);
    }
    for (int y = 0; y < h; y++) {
        for (int i = -r; i <= r; i++) {
            int yy = y + i < 0 ? 0 : y + i >= h ? h - 1 : y + i;
            rows[i + r] = tmp + (size_t)yy * w;
        }
        taps(a + (size_t)y * w, rows, k, 2 * r + 1, w);
    }
}

/* The rectangle resampled to w x h grey levels (0..255): each work pixel
 * the mean of its footprint when shrinking, bilinear when enlarging (each
 * column's and row's source position worked out once). */
static void resample(const gn_image *img, int x0, int y0, int x1, int y1, float *a, int w, int h)
{
    double fx = (double)(x1 - x0) / w, fy = (double)(y1 - y0) / h;
    if (!(fx >= 1 && fy >= 1)) {
        int *ix = gn_xmalloc((size_t)w * sizeof *ix);
        double *tx = gn_xmalloc((size_t)w * sizeof *tx);
        if (ix && tx) {
            for (int x = 0; x < w; x++) {
                double sx = x0 + (x + 0.5) * fx - 0.5;
                if (sx < x0) sx = x0;
                ix[x] = (int)sx;
                if (ix[x] > x1 - 2) ix[x] = x1 - 2;
                tx[x] = sx - ix[x];
                if (tx[x] > 1) tx[x] = 1;
            }
            for (int y = 0; y < h; y++) {
                double sy = y0 + (y + 0.5) * fy - 0.5;
                if (sy < y0) sy = y0;
                int iy = (int)sy;
                if (iy > y1 - 2) iy = y1 - 2;
                double ty = sy - iy;
                if (ty > 1) ty = 1;
                const uint16_t *top = img->luma + (size_t)iy * img->width;
                const uint16_t *below = top + img->width;
                float *out = a + (size_t)y * w;
                for (int x = 0; x < w; x++) {
                    const uint16_t *r = top + ix[x], *d = below + ix[x];
                    double t = tx[x];
                    float v = (float)((1 - ty) * ((1 - t) * r[0] + t * r[1]) +
                                      ty * ((1 - t) * d[0] + t * d[1]));
                    out[x] = v / 256.0f;
                }
            }
            free(ix);
            free(tx);
            return;
        }
        free(ix);
        free(tx);
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            float v;
            if (fx >= 1 && fy >= 1) {
                int sx0 = x0 + (int)(x * fx), sx1 = x0 + (int)((x + 1) * fx);
                int sy0 = y0 + (int)(y * fy), sy1 = y0 + (int)((y + 1) * fy);
                if (sx1 <= sx0) sx1 = sx0 + 1;
                if (sy1 <= sy0) sy1 = sy0 + 1;
                if (sx1 > x1) sx1 = x1;
                if (sy1 > y1) sy1 = y1;
                uint64_t s = 0;
                for (int yy = sy0; yy < sy1; yy++) {
                    const uint16_t *row = img->luma + (size_t)yy * img->width;
                    for (int xx = sx0; xx < sx1; xx++)
                        s += row[xx];
                }
                v = (float)((double)s / ((double)(sx1 - sx0) * (sy1 - sy0)));
            } else {
                double sx = x0 + (x + 0.5) * fx - 0.5, sy = y0 + (y + 0.5) * fy - 0.5;
                if (sx < x0) sx = x0;
                if (sy < y0) sy = y0;
                int ix = (int)sx, iy = (int)sy;
                if (ix > x1 - 2) ix = x1 - 2;
                if (iy > y1 - 2) iy = y1 - 2;
                double tx = sx - ix, ty = sy - iy;
                if (tx > 1) tx = 1;
                if (ty > 1) ty = 1;
                const uint16_t *r = img->luma + (size_t)iy * img->width + ix;
                v = (float)((1 - ty) * ((1 - tx) * r[0] + tx * r[1]) +
                            ty * ((1 - tx) * r[img->width] + tx * r[img->width + 1]));
            }
            a[(size_t)y * w + x] = v / 256.0f;
        }
}

/* The strongest corners of the smoothed picture s (w x h), at most
 * CORNERS, strongest first, each placed within the pixel by a parabola
 * through its neighbours. Uses tmp and three planes of w*h floats. */
static int find_corners(const float *s, int w, int h, float *xx, float *yy, float *xy, float *tmp,
                        float *pad, corner *out)
{
    size_t n = (size_t)w * h;
    memset(xx, 0, n * sizeof *xx);
    memset(yy, 0, n * sizeof *yy);
    memset(xy, 0, n * sizeof *xy);
    for (int y = 1; y < h - 1; y++)
        for (int x = 1; x < w - 1; x++) {
            size_t i = (size_t)y * w + x;
            float gx = (s[i + 1] - s[i - 1]) * 0.5f, gy = (s[i + w] - s[i - w]) * 0.5f;
            xx[i] = gx * gx, yy[i] = gy * gy, xy[i] = gx * gy;
        }
    blur(xx, tmp, pad, w, h, TENSOR_SIGMA);
    blur(yy, tmp, pad, w, h, TENSOR_SIGMA);
    blur(xy, tmp, pad, w, h, TENSOR_SIGMA);
    float *r = tmp; /* the smaller eigenvalue of the structure tensor */
    for (size_t i = 0; i < n; i++) {
        float half = (xx[i] + yy[i]) * 0.5f, d = (xx[i] - yy[i]) * 0.5f;
        r[i] = half - sqrtf(d * d + xy[i] * xy[i]);
    }
    corner best[CORNERS + 1];
    int nb = 0;
    for (int y = MARGIN; y < h - MARGIN; y++)
        for (int x = MARGIN; x < w - MARGIN; x++) {
            size_t i = (size_t)y * w + x;
            float v = r[i];
            if (v <= MIN_RESPONSE) continue;
            if (nb == CORNERS && v <= best[nb - 1].response) continue;
            if (r[i - 1] > v || r[i + 1] > v || r[i - w] > v || r[i + w] > v) continue;
            int peak = 1;
            for (int dy = -NMS_RADIUS; dy <= NMS_RADIUS && peak; dy++) {
                int yy2 = y + dy;
                if (yy2 < 0 || yy2 >= h) continue;
                for (int dx = -NMS_RADIUS; dx <= NMS_RADIUS; dx++) {
                    int xx2 = x + dx;
                    if ((!dx && !dy) || xx2 < 0 || xx2 >= w) continue;
                    float u = r[(size_t)yy2 * w + xx2];
                    if (u > v || (u == v && (dy < 0 || (dy == 0 && dx < 0)))) {
                        peak = 0;
                        break;
                    }
                }
            }
            if (!peak) continue;
            float left = r[i - 1], right = r[i + 1], up = r[i - w], down = r[i + w];
            float cx = left - 2 * v + right, cy = up - 2 * v + down; /* < 0 at a peak */
            float ox = cx < 0 ? 0.5f * (left - right) / cx : 0;
            float oy = cy < 0 ? 0.5f * (up - down) / cy : 0;
            if (!(fabsf(ox) < 1)) ox = 0;
            if (!(fabsf(oy) < 1)) oy = 0;
            corner c = {x + ox, y + oy, v, (int)i};
            int k = nb < CORNERS ? nb++ : CORNERS - 1;
            best[k] = c;
            qsort(best, (size_t)nb, sizeof *best, by_response);
        }
    memcpy(out, best, (size_t)nb * sizeof *out);
    return nb;
}

/* The square between corners p and q (its side their distance, two sides
 * parallel to them), read from s at 64x64 and turned to its canonical
 * orientation; 0 when it does not lie inside the picture. */
static int read_patch(const float *s, int w, int h, const corner *p, const corner *q, uint16_t *out,
                      const float *cosine)
{
    float cx = (p->x + q->x) * 0.5f, cy = (p->y + q->y) * 0.5f;
    float ux = q->x - p->x, uy = q->y - p->y, vx = -uy, vy = ux;
    for (int a = -1; a <= 1; a += 2)
        for (int b = -1; b <= 1; b += 2) {
            float x = cx + 0.5f * (a * ux + b * vx), y = cy + 0.5f * (a * uy + b * vy);
            if (!(x >= 0 && y >= 0 && x <= w - 1 && y <= h - 1)) return 0;
        }
    float patch[PATCH_PIXELS * PATCH_PIXELS];
    double along = 0, across = 0; /* the DCT terms (1,0) and (0,1), up to a factor */
    for (int j = 0; j < PATCH_PIXELS; j++)
        for (int i = 0; i < PATCH_PIXELS; i++) {
            float a = (i + 0.5f) / PATCH_PIXELS - 0.5f, b = (j + 0.5f) / PATCH_PIXELS - 0.5f;
            float x = cx + a * ux + b * vx, y = cy + a * uy + b * vy;
            int ix = (int)x, iy = (int)y;
            if (ix > w - 2) ix = w - 2;
            if (iy > h - 2) iy = h - 2;
            float tx = x - ix, ty = y - iy;
            const float *r = s + (size_t)iy * w + ix;
            float val =
                (1 - ty) * ((1 - tx) * r[0] + tx * r[1]) + ty * ((1 - tx) * r[w] + tx * r[w + 1]);
            patch[j * PATCH_PIXELS + i] = val;
            along += val * cosine[i];
            across += val * cosine[j];
        }
    int flip_a = along < 0, flip_b = across < 0;
    for (int j = 0; j < PATCH_PIXELS; j++)
        for (int i = 0; i < PATCH_PIXELS; i++) {
            float val = patch[(flip_b ? PATCH_PIXELS - 1 - j : j) * PATCH_PIXELS +
                              (flip_a ? PATCH_PIXELS - 1 - i : i)];
            if (val < 0) val = 0;
            if (val > 255) val = 255;
            out[j * PATCH_PIXELS + i] = (uint16_t)(val * 256 + 0.5f);
        }
    return 1;
}

int gn_patch_area(int bank_span, int copy_span)
{
    if (copy_span <= 0) return 0;
    return (int)(100.0 * bank_span * bank_span / ((double)copy_span * copy_span) + 0.5);
}

/* Appends to out up to `most` patches of the rectangle, found on a work
 * copy whose sqrt(area) is `side` pixels. */
static int patches_at(const gn_image *img, int x0, int y0, int x1, int y1, int work_side, int most,
                      gn_pdq_patches *out, gn_error *err)
{
    double f = sqrt((double)(x1 - x0) * (y1 - y0)) / work_side;
    if (!(f > 0)) return 0;
    int w = (int)((x1 - x0) / f), h = (int)((y1 - y0) / f);
    if (w < MIN_SIDE || h < MIN_SIDE || x1 - x0 < 2 || y1 - y0 < 2) return 0;
    size_t n = (size_t)w * h;
    float *mem = gn_xmalloc((5 * n + (size_t)w + 64) * sizeof *mem);
    uint16_t *luma = gn_xmalloc(PATCH_PIXELS * PATCH_PIXELS * sizeof *luma);
    if (!mem || !luma) {
        free(mem);
        free(luma);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    float *s = mem, *xx = mem + n, *yy = mem + 2 * n, *xy = mem + 3 * n, *tmp = mem + 4 * n;
    float *pad = mem + 5 * n;
    resample(img, x0, y0, x1, y1, s, w, h);
    blur(s, tmp, pad, w, h, SMOOTH_SIGMA);
    corner c[CORNERS];
    int nc = find_corners(s, w, h, xx, yy, xy, tmp, pad, c);
    float cosine[PATCH_PIXELS];
    for (int i = 0; i < PATCH_PIXELS; i++)
        cosine[i] = cosf((float)M_PI * (i + 0.5f) / PATCH_PIXELS);
    float side = sqrtf((float)w * h);
    gn_image patch = {.luma = luma,
                      .width = PATCH_PIXELS,
                      .height = PATCH_PIXELS,
                      .source_width = PATCH_PIXELS,
                      .source_height = PATCH_PIXELS,
                      .orientation = 1};
    int rc = 0;
    /* Pairs of the strongest corners first: the ones a crop most likely
     * keeps among its own strongest. */
    int stop = out->n + most;
    for (int j = 1; j < nc && out->n < stop && !rc; j++)
        for (int i = 0; i < j && out->n < stop; i++) {
            float dx = c[j].x - c[i].x, dy = c[j].y - c[i].y;
            int span = (int)(100 * sqrtf(dx * dx + dy * dy) / side + 0.5f);
            if (span < GN_PATCH_SPAN_MIN || span > GN_PATCH_SPAN_MAX) continue;
            if (!read_patch(s, w, h, &c[i], &c[j], luma, cosine)) continue;
            int quality;
            rc = gn_pdq_hash_image(&patch, &out->hash[out->n], &quality, err);
            if (rc) break;
            if (quality < GN_PDQ_MIN_QUALITY) continue;
            out->span[out->n++] = (uint8_t)span;
        }
    free(mem);
    free(luma);
    return rc;
}

int gn_pdq_patches_of(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_patches *out,
                      gn_error *err)
{
    memset(out, 0, sizeof *out);
    return patches_at(img, x0, y0, x1, y1, WORK_SIDE, GN_PDQ_PATCHES_LOOKED_UP, out, err);
}

/* A crop shows what it keeps larger than the whole photo does: 64% of the
 * area at 1.25 times the scale. Corners are found at a fixed scale of the
 * work copy, so the crop's strongest corners are not all the photo's; a
 * second work copy of the brand's photo, 1.25 times larger, finds the
 * ones the crop finds (test_regions: 11 more crops matched of 714, none
 * fewer, with 12 patches kept at the first scale rather than 24). */
int gn_pdq_patches_banked(const gn_image *img, int x0, int y0, int x1, int y1, gn_pdq_patches *out,
                          gn_error *err)
{
    memset(out, 0, sizeof *out);
    int rc = patches_at(img, x0, y0, x1, y1, WORK_SIDE, GN_PDQ_PATCHES_NEAR, out, err);
    if (rc) return rc;
    return patches_at(img, x0, y0, x1, y1, ZOOMED_SIDE, GN_PDQ_PATCHES_ZOOMED, out, err);
}
