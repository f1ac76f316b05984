/* PDQ hashing, written from Meta's published description: luminance, a tent
 * filter made of two box-filter passes per axis (Jarosz), 64x64 samples, the
 * 16x16 lowest non-constant DCT coefficients, and one bit per coefficient
 * saying whether it is above their median. Quality is the image-domain
 * gradient sum of the 64x64 samples. All scratch memory is per call. */
#include "media/pdq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/hex.h"

/* Larger inputs are box-averaged down to this many pixels per side first:
 * the tent filter spans 1/64 of the picture anyway, so nothing it would keep
 * is lost, and the float buffers stay at most 1 MiB each. */
#define WORK_SIDE_MAX 512
#define GRID 64
#define DCT_N 16

/* The input plane: 8-bit grey, or luminance in 8.8 fixed point as the
 * decoder produces it. */
typedef struct source {
    const uint8_t *p8;
    const uint16_t *p16;
    int width, height;
    size_t stride; /* in pixels */
    /* A scaled JPEG decode: each pixel stands for denom/num pixels of the
     * full_width x full_height picture (the last row and column possibly for
     * fewer). num == denom: the pixels are the picture. */
    int full_width, full_height, num, denom;
} source;

/* --- the filter, as weights ----------------------------------------------
 *
 * The reference averages large pictures down to at most 512 per side, runs
 * two box filters along each axis (Jarosz: together a tent 1/64 of the side
 * wide) over the whole plane, and keeps 64x64 samples. All three steps are
 * linear and separable, so each of the 64 samples along an axis is a fixed
 * weighted sum of a short run of source pixels. Those weights are computed
 * once per axis and the source rows are streamed through them: no full-size
 * float planes, a fraction of the arithmetic, the same result up to float
 * rounding. */

typedef struct axis {
    int start[GRID], len[GRID], off[GRID]; /* source run feeding each sample */
    float *w;                              /* len[i] weights per sample, packed */
    int reversed; /* entry i is sample GRID - 1 - i (kept in source order) */
} axis;

/* The box window of `full` samples around o: [o - back, o + fwd], clipped at
 * the edges (and averaged over what remains). The split half = (full+2)/2
 * follows the reference, so hashes agree with other implementations. */
static void box_window(int full, int o, int n, int *lo, int *hi)
{
    int half = (full + 2) / 2, back = full - half, fwd = half - 1;
    *lo = o - back < 0 ? 0 : o - back;
    *hi = o + fwd >= n ? n - 1 : o + fwd;
}

/* Work pixel k (after averaging n source pixels down to m) covers source
 * pixels [box_start(k), box_start(k + 1)). */
static int box_start(int k, int n, int m)
{
    return (int)((int64_t)k * n / m);
}

/* Weights for one axis of n source pixels. Returns -1 if out of memory. */
static int full_axis_weights(int n, axis *ax)
{
    int m = n > WORK_SIDE_MAX ? WORK_SIDE_MAX : n;
    int full = (m + 2 * GRID - 1) / (2 * GRID); /* per box pass: half of 1/64 */
    int total = 0;
    ax->reversed = 0;
    for (int i = 0; i < GRID; i++) {
        int s = (int)(((int64_t)(2 * i + 1) * m) / (2 * GRID)), lo, hi, a, b;
        box_window(full, s, m, &lo, &hi);
        box_window(full, lo, m, &a, &b);
        int kmin = a;
        box_window(full, hi, m, &a, &b);
        int kmax = b;
        ax->start[i] = box_start(kmin, n, m);
        ax->len[i] = box_start(kmax + 1, n, m) - ax->start[i];
        ax->off[i] = total;
        total += ax->len[i];
    }
    ax->w = gn_xcalloc((size_t)total, sizeof *ax->w);
    for (int i = 0; i < GRID; i++) {
        int s = (int)(((int64_t)(2 * i + 1) * m) / (2 * GRID)), lo, hi;
        box_window(full, s, m, &lo, &hi);
        float outer = 1.0f / (float)(hi - lo + 1);
        float *w = ax->w + ax->off[i];
        /* The second pass at s averages first-pass outputs o in [lo, hi];
         * each of those averages the work pixels in its own window, and each
         * work pixel its box of source pixels. */
        for (int o = lo; o <= hi; o++) {
            int lo1, hi1;
            box_window(full, o, m, &lo1, &hi1);
            float inner = outer / (float)(hi1 - lo1 + 1);
            for (int k = lo1; k <= hi1; k++) {
                int a = box_start(k, n, m), b = box_start(k + 1, n, m);
                float each = inner / (float)(b - a);
                for (int x = a; x < b; x++)
                    w[x - ax->start[i]] += each;
            }
        }
    }
    return 0;
}

/* Weights for an axis of n pixels that stand for `full` pixels of the
 * picture, denom/num each (scaled JPEG decoding). The weights are those the
 * full-size picture would get, each pixel of ours taking the sum of the
 * weights under its footprint, by overlap. So the samples are taken where
 * they would be at full size, and a last block that covers only part of a
 * pixel counts for only that part. Treating the small picture as a picture
 * of its own shifts the samples by up to half a block: measured on the
 * conformance set at 1/4 scale, 10 bits from the reference hashes without
 * this, 6 with it (and 0 for most at 3/8). */
static int axis_weights(int n, int full, int num, int denom, axis *ax)
{
    if (num == denom || full < 1) return full_axis_weights(n, ax);
    axis fx;
    if (full_axis_weights(full, &fx)) return -1;
    int total = 0;
    ax->reversed = 0;
    for (int i = 0; i < GRID; i++) {
        /* Full-size pixel x covers [x num, (x+1) num) and ours j covers
         * [j denom, (j+1) denom), in units of 1/num of a full-size pixel. */
        int a = (int)((int64_t)fx.start[i] * num / denom);
        int b = (int)(((int64_t)(fx.start[i] + fx.len[i]) * num - 1) / denom);
        if (b > n - 1) b = n - 1;
        ax->start[i] = a;
        ax->len[i] = b - a + 1;
        ax->off[i] = total;
        total += ax->len[i];
    }
    ax->w = gn_xcalloc((size_t)total, sizeof *ax->w);
    if (!ax->w) {
        free(fx.w);
        return -1;
    }
    for (int i = 0; i < GRID; i++) {
        const float *w = fx.w + fx.off[i];
        float *out = ax->w + ax->off[i];
        for (int k = 0; k < fx.len[i]; k++) {
            int64_t x = fx.start[i] + k, lo = x * num, hi = lo + num;
            for (int64_t j = lo / denom; j * denom < hi && j < n; j++) {
                int64_t l = j * denom > lo ? j * denom : lo;
                int64_t h = (j + 1) * denom < hi ? (j + 1) * denom : hi;
                out[j - ax->start[i]] += w[k] * (float)(h - l) / (float)num;
            }
        }
    }
    free(fx.w);
    return 0;
}

/* The same weights for the picture mirrored along the axis: sample i of
 * the mirror image reads what sample i reads there, at n - 1 - x here.
 * Those samples run backwards along the axis; they are kept in source order
 * (reversed) so rows can still be streamed once. */
static int mirror_axis(int n, const axis *ax, axis *out)
{
    int total = ax->off[GRID - 1] + ax->len[GRID - 1];
    out->w = gn_xmalloc((size_t)total * sizeof *out->w);
    out->reversed = !ax->reversed;
    for (int k = 0, off = 0; k < GRID; k++) {
        int i = GRID - 1 - k;
        out->start[k] = n - (ax->start[i] + ax->len[i]);
        out->len[k] = ax->len[i];
        out->off[k] = off;
        for (int x = 0; x < ax->len[i]; x++)
            out->w[off + x] = ax->w[ax->off[i] + ax->len[i] - 1 - x];
        off += ax->len[i];
    }
    return 0;
}

/* The first sample of `ax` that may still use row y, advancing *first. */
static int row_used(const axis *ax, int y, int *first)
{
    while (*first < GRID && ax->start[*first] + ax->len[*first] <= y)
        (*first)++;
    return *first < GRID && ax->start[*first] <= y;
}

/* Adds row y's contribution, t[j] per column sample, to the grid. */
static void add_row(const axis *rows, int first, int y, const float t[GRID], float grid[GRID][GRID])
{
    for (int i = first; i < GRID && rows->start[i] <= y; i++) {
        if (y >= rows->start[i] + rows->len[i]) continue;
        float wy = rows->w[rows->off[i] + (y - rows->start[i])];
        float *g = grid[rows->reversed ? GRID - 1 - i : i];
        for (int j = 0; j < GRID; j++)
            g[j] += wy * t[j];
    }
}

static void column_samples(const axis *cols, const float *line, float t[GRID])
{
    for (int j = 0; j < GRID; j++) {
        const float *w = cols->w + cols->off[j], *r = line + cols->start[j];
        float acc = 0;
        for (int k = 0; k < cols->len[j]; k++)
            acc += w[k] * r[k];
        t[cols->reversed ? GRID - 1 - j : j] = acc;
    }
}

/* The 64x64 samples of the filtered picture, rows streamed once. With
 * `mirrors`, also those of the picture mirrored left-right (grid[1]),
 * top-bottom (grid[2]) and both (grid[3]), from the same pass: the filter's
 * windows are not centred on their samples (as in the reference), so a
 * mirrored picture is not sampled at the mirrored places, and its hash is
 * not the original's with signs changed — 20 to 24 bits off on the bridge
 * photo. Sampling with mirrored weights gives the mirror's own hash. */
static int filtered_grids(const source *src, int mirrors, float grid[][GRID][GRID])
{
    axis cols[2], rows[2];
    memset(cols, 0, sizeof cols), memset(rows, 0, sizeof rows);
    float *line = gn_xmalloc((size_t)src->width * sizeof *line);
    int rc = -1;
    if (!line || axis_weights(src->width, src->full_width, src->num, src->denom, &cols[0]) ||
        axis_weights(src->height, src->full_height, src->num, src->denom, &rows[0]))
        goto done;
    if (mirrors && (mirror_axis(src->width, &cols[0], &cols[1]) ||
                    mirror_axis(src->height, &rows[0], &rows[1])))
        goto done;
    int variants = mirrors ? 2 : 1;
    memset(grid, 0, sizeof(float) * GRID * GRID * (size_t)(mirrors ? 4 : 1));
    int first[2] = {0, 0}; /* per row axis: samples before this need no more rows */
    for (int y = 0; y < src->height; y++) {
        int used[2] = {0, 0};
        for (int v = 0; v < variants; v++)
            used[v] = row_used(&rows[v], y, &first[v]);
        if (!used[0] && !used[1]) continue; /* a row no sample uses */
        if (src->p16) {
            const uint16_t *p = src->p16 + (size_t)y * src->stride;
            for (int x = 0; x < src->width; x++)
                line[x] = p[x] * (1.0f / 256);
        } else {
            const uint8_t *p = src->p8 + (size_t)y * src->stride;
            for (int x = 0; x < src->width; x++)
                line[x] = p[x];
        }
        for (int mx = 0; mx < variants; mx++) {
            float t[GRID];
            column_samples(&cols[mx], line, t);
            for (int my = 0; my < variants; my++)
                if (used[my]) add_row(&rows[my], first[my], y, t, grid[mx + 2 * my]);
        }
    }
    rc = 0;
done:
    free(line);
    for (int v = 0; v < 2; v++)
        free(cols[v].w), free(rows[v].w);
    return rc;
}

/* --- 64x64 grid, quality, DCT ------------------------------------------ */

/* Sum of significant steps between neighbours, each quantised to 0..100 of
 * the full range; 90 such units per percent, capped at 100. Flat or nearly
 * blank pictures score low. */
static int grid_quality(float grid[GRID][GRID])
{
    int total = 0;
    for (int i = 0; i < GRID - 1; i++)
        for (int j = 0; j < GRID; j++)
            total += abs((int)(((grid[i][j] - grid[i + 1][j]) * 100) / 255));
    for (int i = 0; i < GRID; i++)
        for (int j = 0; j < GRID - 1; j++)
            total += abs((int)(((grid[i][j] - grid[i][j + 1]) * 100) / 255));
    int q = total / 90;
    return q > 100 ? 100 : q;
}

/* Coefficients 1..16 (the constant term is skipped) of a 64-point DCT-II
 * along both axes: out = D * grid * D^T with D[k][n] = cos(pi/128 (k+1)(2n+1)). */
static void dct16(float grid[GRID][GRID], float out[DCT_N][DCT_N])
{
    float cosines[4 * GRID], d[DCT_N][GRID], t[DCT_N][GRID];
    const double scale = sqrt(2.0 / GRID);
    for (int m = 0; m < 4 * GRID; m++)
        cosines[m] = (float)(scale * cos(M_PI * m / (2.0 * GRID)));
    for (int k = 0; k < DCT_N; k++)
        for (int n = 0; n < GRID; n++)
            d[k][n] = cosines[((k + 1) * (2 * n + 1)) % (4 * GRID)];
    for (int k = 0; k < DCT_N; k++) {
        for (int x = 0; x < GRID; x++)
            t[k][x] = 0;
        for (int y = 0; y < GRID; y++) {
            float dk = d[k][y];
            for (int x = 0; x < GRID; x++)
                t[k][x] += dk * grid[y][x];
        }
    }
    for (int i = 0; i < DCT_N; i++)
        for (int j = 0; j < DCT_N; j++) {
            float s = 0;
            for (int x = 0; x < GRID; x++)
                s += t[i][x] * d[j][x];
            out[i][j] = s;
        }
}

/* --- coefficients to bits ---------------------------------------------- */

/* The k-th smallest (0-based) of v[0..n), reordering v. */
static float select_kth(float *v, int n, int k)
{
    int lo = 0, hi = n - 1;
    while (lo < hi) {
        float pivot = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot)
                i++;
            while (v[j] > pivot)
                j--;
            if (i <= j) {
                float tmp = v[i];
                v[i] = v[j];
                v[j] = tmp;
                i++;
                j--;
            }
        }
        if (k <= j)
            hi = j;
        else if (k >= i)
            lo = i;
        else
            return v[k];
    }
    return v[k];
}

/* One bit per coefficient: above the median (the lower of the middle two,
 * so about half the bits are set). */
static void to_bits(float c[DCT_N][DCT_N], gn_pdq_hash *hash)
{
    float copy[DCT_N * DCT_N];
    memcpy(copy, c, sizeof copy);
    float median = select_kth(copy, DCT_N * DCT_N, DCT_N * DCT_N / 2 - 1);
    memset(hash, 0, sizeof *hash);
    for (int i = 0; i < DCT_N; i++)
        for (int j = 0; j < DCT_N; j++)
            if (c[i][j] > median) {
                int k = i * DCT_N + j;
                hash->w[k / 64] |= (uint64_t)1 << (k % 64);
            }
}

/* The eight variants as a transposition (swapping the axes) followed by
 * mirroring the rows (top-bottom) and/or the columns (left-right) of the
 * transposed picture. */
static const struct {
    uint8_t transpose, flip_rows, flip_cols;
    const char *name;
} dihedral[GN_PDQ_DIHEDRAL_COUNT] = {
    [GN_PDQ_ORIGINAL] = {0, 0, 0, "original"},
    [GN_PDQ_ROTATE_90] = {1, 1, 0, "rotate-90"},
    [GN_PDQ_ROTATE_180] = {0, 1, 1, "rotate-180"},
    [GN_PDQ_ROTATE_270] = {1, 0, 1, "rotate-270"},
    [GN_PDQ_FLIP_X] = {0, 1, 0, "flipx"},
    [GN_PDQ_FLIP_Y] = {0, 0, 1, "flipy"},
    [GN_PDQ_FLIP_PLUS_1] = {1, 0, 0, "flip-plus-1"},
    [GN_PDQ_FLIP_MINUS_1] = {1, 1, 1, "flip-minus-1"},
};

const char *gn_pdq_dihedral_name(gn_pdq_dihedral d)
{
    return (unsigned)d < GN_PDQ_DIHEDRAL_COUNT ? dihedral[d].name : "unknown";
}

/* --- the whole pass ---------------------------------------------------- */

/* The DCT coefficients of the picture, and with `mirrors` of its three
 * mirror images too (indexed as filtered_grids' grids), and the quality. */
static int dct_of_source(const source *src, int mirrors, float coeffs[][DCT_N][DCT_N], int *quality,
                         gn_error *err)
{
    if (src->width < 1 || src->height < 1 || src->stride < (size_t)src->width)
        return gn_fail(err, GN_EINPUT, "pdq: bad image size %dx%d", src->width, src->height);
    int n = mirrors ? 4 : 1;
    float(*grid)[GRID][GRID] = gn_xmalloc(sizeof *grid * (size_t)n);
    if (!grid || filtered_grids(src, mirrors, grid)) {
        free(grid);
        return gn_fail(err, GN_ENOMEM, "pdq: out of memory for a %dx%d image", src->width,
                       src->height);
    }
    *quality = grid_quality(grid[0]);
    for (int v = 0; v < n; v++)
        dct16(grid[v], coeffs[v]);
    free(grid);
    return 0;
}

int gn_pdq_hash_luma(const uint8_t *luma, int width, int height, size_t stride, gn_pdq_hash *hash,
                     int *quality, gn_error *err)
{
    if (!luma) return gn_fail(err, GN_EINPUT, "pdq: no pixels");
    source src = {luma, NULL, width, height, stride, width, height, 1, 1};
    float c[1][DCT_N][DCT_N];
    int rc = dct_of_source(&src, 0, c, quality, err);
    if (rc == 0) to_bits(c[0], hash);
    return rc;
}

static int image_source(const gn_image *img, source *src, gn_error *err)
{
    if (!img || !img->luma) return gn_fail(err, GN_EINPUT, "pdq: no pixels");
    *src = (source){NULL,        img->luma, img->width, img->height, (size_t)img->width, img->width,
                    img->height, 1,         1};
    int num = img->scale_num, denom = img->scale_denom;
    if (num > 0 && num < denom && denom <= 16) {
        /* The upright full size; the scale is the same along both axes. */
        int fw = img->orientation >= 5 ? img->source_height : img->source_width;
        int fh = img->orientation >= 5 ? img->source_width : img->source_height;
        /* Only when the sizes agree (as a JPEG decoder rounds them up). */
        if ((int)(((int64_t)fw * num + denom - 1) / denom) == img->width &&
            (int)(((int64_t)fh * num + denom - 1) / denom) == img->height) {
            src->full_width = fw, src->full_height = fh;
            src->num = num, src->denom = denom;
        }
    }
    return 0;
}

int gn_pdq_hash_image(const gn_image *img, gn_pdq_hash *hash, int *quality, gn_error *err)
{
    source src;
    float c[1][DCT_N][DCT_N];
    int rc = image_source(img, &src, err);
    if (rc == 0) rc = dct_of_source(&src, 0, c, quality, err);
    if (rc == 0) to_bits(c[0], hash);
    return rc;
}

int gn_pdq_hash_image_dihedral(const gn_image *img, gn_pdq_hash out[GN_PDQ_DIHEDRAL_COUNT],
                               int *quality, gn_error *err)
{
    source src;
    float c[4][DCT_N][DCT_N];
    int rc = image_source(img, &src, err);
    if (rc == 0) rc = dct_of_source(&src, 1, c, quality, err);
    if (rc) return rc;
    for (int d = 0; d < GN_PDQ_DIHEDRAL_COUNT; d++) {
        /* The variant's rows and columns are the original's columns and
         * rows when it transposes; pick the grid mirrored accordingly. */
        int t = dihedral[d].transpose;
        int mirror_x = t ? dihedral[d].flip_rows : dihedral[d].flip_cols;
        int mirror_y = t ? dihedral[d].flip_cols : dihedral[d].flip_rows;
        float(*m)[DCT_N] = c[mirror_x + 2 * mirror_y], v[DCT_N][DCT_N];
        for (int i = 0; i < DCT_N; i++)
            for (int j = 0; j < DCT_N; j++)
                v[i][j] = t ? m[j][i] : m[i][j];
        to_bits(v, &out[d]);
    }
    return 0;
}

int gn_pdq_hash_memory(const void *data, size_t len, const char *name,
                       const gn_image_options *options, gn_pdq_hash *hash, int *quality,
                       gn_error *err)
{
    gn_image img;
    int rc = gn_image_decode(data, len, name, options, &img, err);
    if (rc) return rc;
    rc = gn_pdq_hash_image(&img, hash, quality, err);
    gn_image_free(&img);
    return rc;
}

int gn_pdq_hash_file(const char *path, const gn_image_options *options, gn_pdq_hash *hash,
                     int *quality, gn_error *err)
{
    gn_image img;
    int rc = gn_image_load(path, options, &img, err);
    if (rc) return rc;
    rc = gn_pdq_hash_image(&img, hash, quality, err);
    gn_image_free(&img);
    return rc;
}

/* --- distance and text ------------------------------------------------- */

/* Cloned for CPUs with the popcnt instruction: the generic build would call
 * a slow library routine, and indexes compute millions of these. */
__attribute__((target_clones("popcnt", "default"))) int gn_pdq_distance(const gn_pdq_hash *a,
                                                                        const gn_pdq_hash *b)
{
    return __builtin_popcountll(a->w[0] ^ b->w[0]) + __builtin_popcountll(a->w[1] ^ b->w[1]) +
           __builtin_popcountll(a->w[2] ^ b->w[2]) + __builtin_popcountll(a->w[3] ^ b->w[3]);
}

void gn_pdq_format(const gn_pdq_hash *hash, char out[GN_PDQ_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    for (int c = 0; c < GN_PDQ_HEX_LEN; c++) {
        int bit = (GN_PDQ_HEX_LEN - 1 - c) * 4;
        out[c] = digits[(hash->w[bit / 64] >> (bit % 64)) & 15];
    }
    out[GN_PDQ_HEX_LEN] = 0;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int gn_pdq_parse(const char *text, size_t len, gn_pdq_hash *hash, gn_error *err)
{
    if (len != GN_PDQ_HEX_LEN)
        return gn_fail(err, GN_EINPUT, "pdq hash: expected %d hex digits, got %zu characters",
                       GN_PDQ_HEX_LEN, len);
    gn_pdq_hash h;
    for (int g = 0; g < GN_PDQ_HEX_LEN / 8; g++) {
        int64_t v = gn_hex8(text + 8 * g);
        if (v < 0) {
            int c = 8 * g;
            while (hex_value(text[c]) >= 0)
                c++;
            return gn_fail(err, GN_EINPUT, "pdq hash: character %d is not a hex digit", c + 1);
        }
        /* The text is the hash's 256 bits from the highest: w[3] first. */
        if (g % 2 == 0)
            h.w[3 - g / 2] = (uint64_t)v << 32;
        else
            h.w[3 - g / 2] |= (uint64_t)v;
    }
    *hash = h;
    return 0;
}
