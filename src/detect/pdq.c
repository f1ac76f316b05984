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

static float pixel(const source *s, size_t row, int x)
{
    return s->p16 ? s->p16[row * s->stride + x] * (1.0f / 256) : s->p8[row * s->stride + x];
}

/* Area-averages the source down to cols x rows (each at most the source's). */
static void load_plane(const source *s, int cols, int rows, float *out, uint64_t *colsum)
{
    int w = s->width, h = s->height;
    if (cols == w && rows == h) {
        for (int y = 0; y < rows; y++)
            for (int x = 0; x < cols; x++)
                out[(size_t)y * cols + x] = pixel(s, (size_t)y, x);
        return;
    }
    double unit = s->p16 ? 256.0 : 1.0;
    for (int oy = 0; oy < rows; oy++) {
        int y0 = (int)((int64_t)oy * h / rows), y1 = (int)((int64_t)(oy + 1) * h / rows);
        memset(colsum, 0, (size_t)w * sizeof *colsum);
        for (int y = y0; y < y1; y++) {
            if (s->p16) {
                const uint16_t *row = s->p16 + (size_t)y * s->stride;
                for (int x = 0; x < w; x++)
                    colsum[x] += row[x];
            } else {
                const uint8_t *row = s->p8 + (size_t)y * s->stride;
                for (int x = 0; x < w; x++)
                    colsum[x] += row[x];
            }
        }
        for (int ox = 0; ox < cols; ox++) {
            int x0 = (int)((int64_t)ox * w / cols), x1 = (int)((int64_t)(ox + 1) * w / cols);
            uint64_t sum = 0;
            for (int x = x0; x < x1; x++)
                sum += colsum[x];
            out[(size_t)oy * cols + ox] =
                (float)((double)sum / (unit * (double)(x1 - x0) * (double)(y1 - y0)));
        }
    }
}

/* --- the Jarosz tent filter -------------------------------------------- */

/* A box of `full` samples around each output, clipped at the edges and
 * averaged over what remains: out[o] = mean(in[o-back .. o+fwd]). The split
 * of the window (half = (full+2)/2) follows the reference so that hashes
 * agree with other implementations. */
static void box_window(int full, int *back, int *fwd)
{
    int half = (full + 2) / 2;
    *back = full - half;
    *fwd = half - 1;
}

static void box_rows(const float *in, float *out, int rows, int cols, int full)
{
    int back, fwd;
    box_window(full, &back, &fwd);
    for (int r = 0; r < rows; r++) {
        const float *src = in + (size_t)r * cols;
        float *dst = out + (size_t)r * cols;
        float sum = 0;
        for (int k = 0; k < fwd && k < cols; k++)
            sum += src[k];
        for (int o = 0; o < cols; o++) {
            if (o + fwd < cols) sum += src[o + fwd];
            if (o - back - 1 >= 0) sum -= src[o - back - 1];
            int lo = o - back < 0 ? 0 : o - back;
            int hi = o + fwd >= cols ? cols - 1 : o + fwd;
            dst[o] = sum / (float)(hi - lo + 1);
        }
    }
}

/* The same along columns, done a row at a time over a vector of running
 * sums so memory is read in order. */
static void box_cols(const float *in, float *out, int rows, int cols, int full, float *acc)
{
    int back, fwd;
    box_window(full, &back, &fwd);
    memset(acc, 0, (size_t)cols * sizeof *acc);
    for (int k = 0; k < fwd && k < rows; k++)
        for (int c = 0; c < cols; c++)
            acc[c] += in[(size_t)k * cols + c];
    for (int o = 0; o < rows; o++) {
        if (o + fwd < rows) {
            const float *add = in + (size_t)(o + fwd) * cols;
            for (int c = 0; c < cols; c++)
                acc[c] += add[c];
        }
        if (o - back - 1 >= 0) {
            const float *sub = in + (size_t)(o - back - 1) * cols;
            for (int c = 0; c < cols; c++)
                acc[c] -= sub[c];
        }
        int lo = o - back < 0 ? 0 : o - back;
        int hi = o + fwd >= rows ? rows - 1 : o + fwd;
        float n = (float)(hi - lo + 1);
        float *dst = out + (size_t)o * cols;
        for (int c = 0; c < cols; c++)
            dst[c] = acc[c] / n;
    }
}

/* Window per pass: half of 1/64 of the side, rounded up, since two passes
 * of a box make a tent twice as wide. */
static int jarosz_window(int side)
{
    return (side + 2 * GRID - 1) / (2 * GRID);
}

/* --- 64x64 grid, quality, DCT ------------------------------------------ */

/* Samples the filtered plane at the 64x64 cell centres (rounded down, as the
 * reference does: some hashes of fine textures depend on it). */
static void decimate(const float *in, int rows, int cols, float grid[GRID][GRID])
{
    for (int i = 0; i < GRID; i++) {
        int r = (int)(((int64_t)(2 * i + 1) * rows) / (2 * GRID));
        for (int j = 0; j < GRID; j++) {
            int c = (int)(((int64_t)(2 * j + 1) * cols) / (2 * GRID));
            grid[i][j] = in[(size_t)r * cols + c];
        }
    }
}

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
    int cols = src->width > WORK_SIDE_MAX ? WORK_SIDE_MAX : src->width;
    int rows = src->height > WORK_SIDE_MAX ? WORK_SIDE_MAX : src->height;
    size_t plane = (size_t)rows * cols;
    float *a = malloc(plane * sizeof(float)), *b = malloc(plane * sizeof(float));
    float *acc = malloc((size_t)cols * sizeof(float));
    uint64_t *colsum = malloc((size_t)src->width * sizeof(uint64_t));
    if (!a || !b || !acc || !colsum) {
        free(a), free(b), free(acc), free(colsum);
        return gn_fail(err, GN_ENOMEM, "pdq: out of memory for a %dx%d image", src->width,
                       src->height);
    }
    load_plane(src, cols, rows, a, colsum);
    int wr = jarosz_window(cols), wc = jarosz_window(rows);
    for (int pass = 0; pass < 2; pass++) {
        box_rows(a, b, rows, cols, wr);
        box_cols(b, a, rows, cols, wc, acc);
    }
    float grid[GRID][GRID];
    decimate(a, rows, cols, grid);
    free(a), free(b), free(acc), free(colsum);
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
