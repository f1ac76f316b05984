/* PDQ hashing, written from Meta's published description: luminance, a tent
 * filter made of two box-filter passes per axis (Jarosz), 64x64 samples, the
 * 16x16 lowest non-constant DCT coefficients, and one bit per coefficient
 * saying whether it is above their median. Quality is the image-domain
 * gradient sum of the 64x64 samples. All scratch memory is per call. */
#include "detect/pdq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

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
static int axis_weights(int n, axis *ax)
{
    int m = n > WORK_SIDE_MAX ? WORK_SIDE_MAX : n;
    int full = (m + 2 * GRID - 1) / (2 * GRID); /* per box pass: half of 1/64 */
    int total = 0;
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
    ax->w = calloc((size_t)total, sizeof *ax->w);
    if (!ax->w) return -1;
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

/* The 64x64 samples of the filtered picture, rows streamed once. */
static int filtered_grid(const source *src, float grid[GRID][GRID])
{
    axis cols, rows;
    cols.w = rows.w = NULL;
    float *line = malloc((size_t)src->width * sizeof *line);
    if (!line || axis_weights(src->width, &cols) || axis_weights(src->height, &rows)) {
        free(line), free(cols.w), free(rows.w);
        return -1;
    }
    memset(grid, 0, sizeof(float) * GRID * GRID);
    int first = 0; /* samples before this need no more rows */
    for (int y = 0; y < src->height && first < GRID; y++) {
        while (first < GRID && rows.start[first] + rows.len[first] <= y)
            first++;
        if (first == GRID || rows.start[first] > y) continue; /* a row no sample uses */
        if (src->p16) {
            const uint16_t *p = src->p16 + (size_t)y * src->stride;
            for (int x = 0; x < src->width; x++)
                line[x] = p[x] * (1.0f / 256);
        } else {
            const uint8_t *p = src->p8 + (size_t)y * src->stride;
            for (int x = 0; x < src->width; x++)
                line[x] = p[x];
        }
        float t[GRID];
        for (int j = 0; j < GRID; j++) {
            const float *w = cols.w + cols.off[j], *r = line + cols.start[j];
            float acc = 0;
            for (int k = 0; k < cols.len[j]; k++)
                acc += w[k] * r[k];
            t[j] = acc;
        }
        for (int i = first; i < GRID && rows.start[i] <= y; i++) {
            if (y >= rows.start[i] + rows.len[i]) continue;
            float wy = rows.w[rows.off[i] + (y - rows.start[i])];
            for (int j = 0; j < GRID; j++)
                grid[i][j] += wy * t[j];
        }
    }
    free(line), free(cols.w), free(rows.w);
    return 0;
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

/* A rotation or flip of the picture maps DCT coefficient (i, j) to (j, i)
 * when it swaps the axes, and mirroring an axis negates the odd-frequency
 * coefficients along it (cos(pi f (2(63-n)+1)/128) = (-1)^f cos(...)).
 * Frequencies are index+1, so "odd frequency" means an even index. */
enum { KEEP = 0, NEG_EVEN_ROWS, NEG_EVEN_COLS, NEG_ODD_SUM };
static const struct {
    uint8_t transpose, sign;
    const char *name;
} dihedral[GN_PDQ_DIHEDRAL_COUNT] = {
    [GN_PDQ_ORIGINAL] = {0, KEEP, "original"},
    [GN_PDQ_ROTATE_90] = {1, NEG_EVEN_ROWS, "rotate-90"},
    [GN_PDQ_ROTATE_180] = {0, NEG_ODD_SUM, "rotate-180"},
    [GN_PDQ_ROTATE_270] = {1, NEG_EVEN_COLS, "rotate-270"},
    [GN_PDQ_FLIP_X] = {0, NEG_EVEN_ROWS, "flipx"},
    [GN_PDQ_FLIP_Y] = {0, NEG_EVEN_COLS, "flipy"},
    [GN_PDQ_FLIP_PLUS_1] = {1, KEEP, "flip-plus-1"},
    [GN_PDQ_FLIP_MINUS_1] = {1, NEG_ODD_SUM, "flip-minus-1"},
};

const char *gn_pdq_dihedral_name(gn_pdq_dihedral d)
{
    return (unsigned)d < GN_PDQ_DIHEDRAL_COUNT ? dihedral[d].name : "unknown";
}

static void variant_bits(float c[DCT_N][DCT_N], gn_pdq_dihedral d, gn_pdq_hash *hash)
{
    float v[DCT_N][DCT_N];
    for (int i = 0; i < DCT_N; i++)
        for (int j = 0; j < DCT_N; j++) {
            float x = dihedral[d].transpose ? c[j][i] : c[i][j];
            int negate = 0;
            switch (dihedral[d].sign) {
            case NEG_EVEN_ROWS:
                negate = i % 2 == 0;
                break;
            case NEG_EVEN_COLS:
                negate = j % 2 == 0;
                break;
            case NEG_ODD_SUM:
                negate = (i + j) % 2 == 1;
                break;
            default:
                break;
            }
            v[i][j] = negate ? -x : x;
        }
    to_bits(v, hash);
}

/* --- the whole pass ---------------------------------------------------- */

static int dct_of_source(const source *src, float coeffs[DCT_N][DCT_N], int *quality, gn_error *err)
{
    if (src->width < 1 || src->height < 1 || src->stride < (size_t)src->width)
        return gn_fail(err, GN_EINPUT, "pdq: bad image size %dx%d", src->width, src->height);
    float grid[GRID][GRID];
    if (filtered_grid(src, grid))
        return gn_fail(err, GN_ENOMEM, "pdq: out of memory for a %dx%d image", src->width,
                       src->height);
    *quality = grid_quality(grid);
    dct16(grid, coeffs);
    return 0;
}

int gn_pdq_hash_luma(const uint8_t *luma, int width, int height, size_t stride, gn_pdq_hash *hash,
                     int *quality, gn_error *err)
{
    if (!luma) return gn_fail(err, GN_EINPUT, "pdq: no pixels");
    source src = {luma, NULL, width, height, stride};
    float c[DCT_N][DCT_N];
    int rc = dct_of_source(&src, c, quality, err);
    if (rc == 0) to_bits(c, hash);
    return rc;
}

static int image_source(const gn_image *img, source *src, gn_error *err)
{
    if (!img || !img->luma) return gn_fail(err, GN_EINPUT, "pdq: no pixels");
    *src = (source){NULL, img->luma, img->width, img->height, (size_t)img->width};
    return 0;
}

int gn_pdq_hash_image(const gn_image *img, gn_pdq_hash *hash, int *quality, gn_error *err)
{
    source src;
    float c[DCT_N][DCT_N];
    int rc = image_source(img, &src, err);
    if (rc == 0) rc = dct_of_source(&src, c, quality, err);
    if (rc == 0) to_bits(c, hash);
    return rc;
}

int gn_pdq_hash_image_dihedral(const gn_image *img, gn_pdq_hash out[GN_PDQ_DIHEDRAL_COUNT],
                               int *quality, gn_error *err)
{
    source src;
    float c[DCT_N][DCT_N];
    int rc = image_source(img, &src, err);
    if (rc == 0) rc = dct_of_source(&src, c, quality, err);
    if (rc == 0)
        for (int d = 0; d < GN_PDQ_DIHEDRAL_COUNT; d++)
            variant_bits(c, (gn_pdq_dihedral)d, &out[d]);
    return rc;
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
    gn_pdq_hash h = {{0, 0, 0, 0}};
    for (int c = 0; c < GN_PDQ_HEX_LEN; c++) {
        int v = hex_value(text[c]);
        if (v < 0)
            return gn_fail(err, GN_EINPUT, "pdq hash: character %d is not a hex digit", c + 1);
        int bit = (GN_PDQ_HEX_LEN - 1 - c) * 4;
        h.w[bit / 64] |= (uint64_t)v << (bit % 64);
    }
    *hash = h;
    return 0;
}
