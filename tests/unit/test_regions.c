/* Borders and crops (src/media/regions.c) measured on natural photos from
 * Debian's mate-backgrounds (installed by scripts/install-deps.sh) and the
 * PDQ conformance set: each photo's bank (its eight forms, the picture
 * without a border, its regions) against what a listing's copy of it is
 * looked up as (its eight forms, without its border, its parts), both
 * with their anchored patches: copies with a border, letterboxing, crops
 * centred and anywhere, turned or mirrored, a caption, a watermark, in a
 * 2x2 collage, resized, re-encoded as JPEGs; each must match at least as
 * often as its row requires. Every copy and window of one photo against every other
 * photo's bank must not (fewer than 1 in 100,000 pairs). Prints the
 * figures docs/images.md shows. */
#include "testutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jpeglib.h>

#include "media/image.h"
#include "media/patches.h"
#include "media/pdq.h"
#include "media/regions.h"

#define MAX_PHOTOS 64
#define BANK (GN_PDQ_DIHEDRAL_COUNT + 1 + GN_PDQ_REGIONS + GN_PDQ_PATCHES)
#define QUERY_FORMS (GN_PDQ_DIHEDRAL_COUNT + 1 + GN_PDQ_PARTS + GN_PDQ_PATCHES)
#define MAX_QUERIES 4000

typedef struct photo {
    char path[512];
    gn_image img;
    gn_pdq_hash bank[BANK];
    uint8_t bank_index[BANK]; /* each bank hash's index: MAIN, TURNED or PATCHES */
    int n_bank;
    /* What the engine banks of it as a removed listing's photo: hashed as a
     * listing's photo is, its patches at one scale (REMOVED_PATCHES). */
    gn_pdq_hash removed[BANK];
    uint8_t removed_index[BANK];
    int n_removed;
    gn_pdq_hash queries[MAX_QUERIES]; /* copies and windows, for the unrelated pairs */
    uint8_t looks[MAX_QUERIES];       /* each query's: where it is looked up (compared()) */
    int n_queries;
} photo;

static photo photos[MAX_PHOTOS];
static int n_photos;

static void add_paths(const char *pattern)
{
    glob_t g;
    if (glob(pattern, 0, NULL, &g) != 0) return;
    for (size_t i = 0; i < g.gl_pathc && n_photos < MAX_PHOTOS; i++)
        snprintf(photos[n_photos++].path, sizeof photos[0].path, "%s", g.gl_pathv[i]);
    globfree(&g);
}

static gn_image blank(int w, int h)
{
    gn_image out = {0};
    out.width = out.source_width = w;
    out.height = out.source_height = h;
    out.orientation = 1;
    out.luma = malloc((size_t)w * h * sizeof *out.luma);
    assert_non_null(out.luma);
    return out;
}

/* The picture inside a frame: `across` and `down` percent of the width and
 * height of padding split on both sides, in grey level `level`. */
static gn_image framed(const gn_image *img, int across, int down, int level)
{
    int px = img->width * across / 200, py = img->height * down / 200;
    gn_image out = blank(img->width + 2 * px, img->height + 2 * py);
    for (int y = 0; y < out.height; y++)
        for (int x = 0; x < out.width; x++) {
            int sx = x - px, sy = y - py;
            out.luma[(size_t)y * out.width + x] =
                sx >= 0 && sy >= 0 && sx < img->width && sy < img->height
                    ? img->luma[(size_t)sy * img->width + sx]
                    : (uint16_t)(level << 8);
        }
    return out;
}

/* A window of w by h percent of the sides, its top-left corner at (x, y)
 * percent of the picture, kept inside it. */
static gn_image window_at(const gn_image *img, int wp, int hp, int xp, int yp)
{
    int w = img->width * wp / 100, h = img->height * hp / 100;
    int x0 = img->width * xp / 100, y0 = img->height * yp / 100;
    if (x0 + w > img->width) x0 = img->width - w;
    if (y0 + h > img->height) y0 = img->height - h;
    gn_image out;
    gn_image_crop(img, x0, y0, x0 + w, y0 + h, &out);
    return out;
}

/* A window of `side` percent of each side, its centre at (cx, cy). */
static gn_image window(const gn_image *img, int side, int cx, int cy)
{
    int w = img->width * side / 100, h = img->height * side / 100;
    int x0 = img->width * cx / 100 - w / 2, y0 = img->height * cy / 100 - h / 2;
    if (x0 < 0) x0 = 0;
    if (y0 < 0) y0 = 0;
    if (x0 + w > img->width) x0 = img->width - w;
    if (y0 + h > img->height) y0 = img->height - h;
    gn_image out;
    gn_image_crop(img, x0, y0, x0 + w, y0 + h, &out);
    return out;
}

/* The picture resized to w x h by averaging each output pixel's footprint. */
static gn_image resized(const gn_image *img, int w, int h)
{
    gn_image out = blank(w, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int sx0 = x * img->width / w, sx1 = (x + 1) * img->width / w;
            int sy0 = y * img->height / h, sy1 = (y + 1) * img->height / h;
            if (sx1 <= sx0) sx1 = sx0 + 1;
            if (sy1 <= sy0) sy1 = sy0 + 1;
            uint64_t sum = 0;
            for (int yy = sy0; yy < sy1; yy++)
                for (int xx = sx0; xx < sx1; xx++)
                    sum += img->luma[(size_t)yy * img->width + xx];
            out.luma[(size_t)y * w + x] = (uint16_t)(sum / (uint64_t)((sx1 - sx0) * (sy1 - sy0)));
        }
    return out;
}

/* Turned a quarter clockwise, or mirrored left to right. */
static gn_image turned(const gn_image *img)
{
    gn_image out = blank(img->height, img->width);
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            out.luma[(size_t)x * out.width + (img->height - 1 - y)] =
                img->luma[(size_t)y * img->width + x];
    return out;
}

static gn_image mirrored(const gn_image *img)
{
    gn_image out = blank(img->width, img->height);
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            out.luma[(size_t)y * out.width + (img->width - 1 - x)] =
                img->luma[(size_t)y * img->width + x];
    return out;
}

/* Blocky "letters" (a deterministic pattern of bars) written in `level`
 * over a band of the picture, with `alpha` percent of opacity; `backing`
 * >= 0 first darkens the band to that level (a caption strip). */
static gn_image lettered(const gn_image *img, int y0p, int y1p, int x0p, int x1p, int level,
                         int alpha, int backing)
{
    gn_image out = blank(img->width, img->height);
    memcpy(out.luma, img->luma, (size_t)img->width * img->height * sizeof *out.luma);
    int y0 = img->height * y0p / 100, y1 = img->height * y1p / 100;
    int x0 = img->width * x0p / 100, x1 = img->width * x1p / 100;
    int glyph = (y1 - y0) * 6 / 10 > 4 ? (y1 - y0) * 6 / 10 : 4;
    for (int y = y0; y < y1; y++)
        for (int x = x0; x < x1; x++) {
            uint16_t *px = &out.luma[(size_t)y * out.width + x];
            if (backing >= 0) *px = (uint16_t)(backing << 8);
            int gx = (x - x0) % (glyph * 7 / 10 + 1), gy = y - y0 - (y1 - y0 - glyph) / 2;
            int letter = (x - x0) / (glyph * 7 / 10 + 1);
            int on = gy >= 0 && gy < glyph && gx < glyph / 2 &&
                     ((gx < glyph / 8 + 1) || (gy < glyph / 8 + 1) ||
                      ((letter * 7 + gy * 3 / glyph) % 3 == 0 && gy > glyph / 2));
            if (on) *px = (uint16_t)((*px * (100 - alpha) + (level << 8) * alpha) / 100);
        }
    return out;
}

/* A 2x2 collage the size of the photo: the photo at half size in quarter
 * `at` (0 top-left .. 3 bottom-right), the next three photos in the others. */
static gn_image collage(int i, int at)
{
    const gn_image *img = &photos[i].img;
    int hw = img->width / 2, hh = img->height / 2;
    gn_image out = blank(2 * hw, 2 * hh);
    for (int q = 0; q < 4; q++) {
        const gn_image *src = q == at ? img : &photos[(i + 1 + q) % n_photos].img;
        gn_image small = resized(src, hw, hh);
        int ox = (q % 2) * hw, oy = (q / 2) * hh;
        for (int y = 0; y < hh; y++)
            memcpy(out.luma + (size_t)(oy + y) * out.width + ox, small.luma + (size_t)y * hw,
                   (size_t)hw * sizeof *out.luma);
        free(small.luma);
    }
    return out;
}

/* The engine's bank keeps four indexes (src/detect/image_bank.c): a
 * photo's turned and mirrored forms, brands' anchored patches, removed
 * listings' patches, and the rest. A listing photo's first
 * GN_PATCHES_AGAINST_OFFICIAL patches are looked up among both kinds of
 * patches (PATCHES), the others among removed listings' alone
 * (REMOVED_PATCHES); its other forms in the main index, and its quarter
 * turn and its picture without border among the turned forms too
 * (src/detect/image.c). */
enum { MAIN, TURNED, PATCHES, REMOVED_PATCHES };

static int compared(int looks, int index)
{
    if (looks == PATCHES) return index == PATCHES || index == REMOVED_PATCHES;
    if (looks == REMOVED_PATCHES) return index == REMOVED_PATCHES;
    return index == MAIN || (index == TURNED && looks == TURNED);
}

/* What genuine looks up for a listing's photo: its eight rotations and
 * flips, the picture without its border, and its parts (quarters, all but
 * the bottom or top fifth), and where each is looked up. */
static int query_forms(const gn_image *img, gn_pdq_hash out[QUERY_FORMS],
                       uint8_t looks[QUERY_FORMS])
{
    gn_error err;
    int q;
    gn_pdq_robust more;
    if (gn_pdq_hash_image_dihedral(img, out, &q, &err)) fail_msg("%s", err.message);
    if (gn_pdq_hash_robust(img, 0, 1, &more, &err)) fail_msg("%s", err.message);
    int n = GN_PDQ_DIHEDRAL_COUNT;
    memset(looks, MAIN, QUERY_FORMS);
    looks[GN_PDQ_ROTATE_90] = TURNED;
    if (more.trimmed) looks[n] = TURNED, out[n++] = more.trimmed_hash;
    for (int k = 0; k < more.n_parts; k++)
        out[n++] = more.parts[k];
    for (int k = 0; k < more.patches.n; k++)
        looks[n] = k < GN_PATCHES_AGAINST_OFFICIAL ? PATCHES : REMOVED_PATCHES,
        out[n++] = more.patches.hash[k];
    return n;
}

/* The picture written as a grey JPEG of quality q and read back as genuine
 * reads an upload: what a seller's re-encoded copy is. */
static gn_image jpeg_again(const gn_image *img, int quality)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr jerr;
    unsigned char *data = NULL;
    unsigned long len = 0;
    c.err = jpeg_std_error(&jerr);
    jpeg_create_compress(&c);
    jpeg_mem_dest(&c, &data, &len);
    c.image_width = (JDIMENSION)img->width;
    c.image_height = (JDIMENSION)img->height;
    c.input_components = 1;
    c.in_color_space = JCS_GRAYSCALE;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, quality, TRUE);
    jpeg_start_compress(&c, TRUE);
    unsigned char *row = malloc((size_t)img->width);
    assert_non_null(row);
    while (c.next_scanline < c.image_height) {
        const uint16_t *src = img->luma + (size_t)c.next_scanline * img->width;
        for (int x = 0; x < img->width; x++)
            row[x] = (unsigned char)((src[x] + 128) >> 8);
        JSAMPROW rows[1] = {row};
        jpeg_write_scanlines(&c, rows, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    gn_image out;
    gn_error err;
    if (gn_image_decode(data, len, "copy.jpg", NULL, &out, &err)) fail_msg("%s", err.message);
    free(data);
    return out;
}

/* The distance a form is looked up within in an index: PDQ's, or a
 * brand's or a removed listing's patch's. */
static int radius(int index)
{
    return index == PATCHES           ? GN_PATCH_MATCH_DISTANCE
           : index == REMOVED_PATCHES ? GN_REMOVED_PATCH_MATCH_DISTANCE
                                      : GN_PDQ_MATCH_DISTANCE;
}

/* As the engine's bank: patches are compared with patches alone, the
 * turned forms with the forms that look there, the rest with the rest. */
static int within(const gn_pdq_hash *q, const uint8_t *looks, int nq, const gn_pdq_hash *bank,
                  const uint8_t *bank_index, int nb)
{
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nb; j++)
            if (compared(looks[i], bank_index[j]) &&
                gn_pdq_distance(&q[i], &bank[j]) <= radius(bank_index[j]))
                return 1;
    return 0;
}

enum { FRAME, CROP, CENTRED, TURNED_CROP, MIRRORED_CROP, CAPTION, WATERMARK, COLLAGE, RESIZED };

typedef struct copy_kind {
    const char *name;
    int how;
    int a, b, c, d; /* FRAME: across, down, level; CROP: w, h, x, y (percent); CENTRED: side;
                       COLLAGE: quarter */
    int must;       /* matches required, in percent of the photos (0: measured only, not covered) */
    int mirror;     /* then mirrored left to right */
    int caption;    /* then a caption strip over its bottom 12% */
    int scale;      /* then resized to this percent of each side (0: not) */
    int jpeg;       /* then written as a JPEG of this quality and read back (0: not) */
} copy_kind;

static const copy_kind copies[] = {
    {"white border of 10% (each side 5%)", FRAME, 10, 10, 255, 0, 90, 0, 0, 0, 0},
    {"white border of 20% (each side 10%)", FRAME, 20, 20, 255, 0, 90, 0, 0, 0, 0},
    {"black letterbox, 24% of the height", FRAME, 0, 24, 0, 0, 90, 0, 0, 0, 0},
    {"grey pillarbox, 30% of the width", FRAME, 30, 0, 128, 0, 90, 0, 0, 0, 0},
    {"central crop to 80% of each side (64% of the area)", CENTRED, 80, 0, 0, 0, 80, 0, 0, 0, 0},
    {"central crop to 65% (42% of the area)", CENTRED, 65, 0, 0, 0, 85, 0, 0, 0, 0},
    {"crop 80% of each side at the top-left corner (64%)", CROP, 80, 80, 0, 0, 90, 0, 0, 0, 0},
    {"crop 80% of each side at the bottom-right (64%)", CROP, 80, 80, 20, 20, 80, 0, 0, 0, 0},
    {"bottom fifth cut off (80%)", CROP, 100, 80, 0, 0, 90, 0, 0, 0, 0},
    {"left fifth cut off (80%)", CROP, 80, 100, 20, 0, 90, 0, 0, 0, 0},
    {"crop 77% of each side at the top-left (60%)", CROP, 77, 77, 0, 0, 50, 0, 0, 0, 0},
    {"crop 77% of each side, centred (60%)", CENTRED, 77, 0, 0, 0, 76, 0, 0, 0, 0},
    {"crop 85% of each side at (5%, 10%) (72%)", CROP, 85, 85, 5, 10, 70, 0, 0, 0, 0},
    {"crop 90% of each side, centred (81%)", CENTRED, 90, 0, 0, 0, 80, 0, 0, 0, 0},
    {"top 60% only (60%)", CROP, 100, 60, 0, 0, 57, 0, 0, 0, 0},
    {"central 80% crop turned a quarter", TURNED_CROP, 80, 80, 10, 10, 80, 0, 0, 0, 0},
    {"top-left 80% crop mirrored", MIRRORED_CROP, 80, 80, 0, 0, 90, 0, 0, 0, 0},
    {"caption strip over the bottom 12%", CAPTION, 0, 0, 0, 0, 80, 0, 0, 0, 0},
    {"watermark text across the middle, 40% opaque", WATERMARK, 0, 0, 0, 0, 80, 0, 0, 0, 0},
    {"in a 2x2 collage, top-left quarter", COLLAGE, 0, 0, 0, 0, 70, 0, 0, 0, 0},
    {"in a 2x2 collage, bottom-right quarter", COLLAGE, 3, 0, 0, 0, 70, 0, 0, 0, 0},
    {"mirrored, in a 2x2 collage, top-left quarter", COLLAGE, 0, 0, 0, 0, 76, 1, 0, 0, 0},
    {"mirrored, in a 2x2 collage, bottom-right quarter", COLLAGE, 3, 0, 0, 0, 76, 1, 0, 0, 0},
    {"resized to half", RESIZED, 0, 0, 0, 0, 90, 0, 0, 0, 0},
    /* Crops that no region is near: found by the anchored patches (patches.c). */
    {"left 70% only (70%)", CROP, 70, 100, 0, 0, 70, 0, 0, 0, 0},
    {"crop 77% of each side at (10%, 13%) (60%)", CROP, 77, 77, 10, 13, 76, 0, 0, 0, 0},
    {"crop 80% of each side at (7%, 4%) (64%)", CROP, 80, 80, 7, 4, 76, 0, 0, 0, 0},
    {"crop 88% of each side at (3%, 7%) (77%)", CROP, 88, 88, 3, 7, 70, 0, 0, 0, 0},
    {"crop 95% x 81% at (2%, 12%) (77%)", CROP, 95, 81, 2, 12, 80, 0, 0, 0, 0},
    {"crop 80% at (7%, 13%), mirrored", MIRRORED_CROP, 80, 80, 7, 13, 76, 0, 0, 0, 0},
    {"crop 80% at (13%, 3%), turned a quarter", TURNED_CROP, 80, 80, 13, 3, 80, 0, 0, 0, 0},
    {"caption strip over the mirrored photo", CROP, 100, 100, 0, 0, 80, 1, 1, 0, 0},
    /* Re-encoded as sellers' uploads are. */
    {"re-encoded, JPEG quality 50", CROP, 100, 100, 0, 0, 90, 0, 0, 0, 50},
    {"resized to 70%, JPEG quality 75", CROP, 100, 100, 0, 0, 90, 0, 0, 70, 75},
    {"crop 80% at (10%, 5%), resized to 60%, JPEG 70", CROP, 80, 80, 10, 5, 30, 0, 0, 60, 70},
    {"crop 77% centred, JPEG quality 80", CENTRED, 77, 0, 0, 0, 70, 0, 0, 0, 80},
};
#define N_COPIES ((int)(sizeof copies / sizeof *copies))

static gn_image base_copy(int i, const copy_kind *c);

/* The copy, then what the row says is done to it after. */
static gn_image make_copy(int i, const copy_kind *c)
{
    if (c->how == COLLAGE && c->mirror) { /* the photo mirrored, then placed */
        gn_image upright = photos[i].img, m = mirrored(&upright);
        photos[i].img = m;
        gn_image out = collage(i, c->a);
        photos[i].img = upright;
        free(m.luma);
        return out;
    }
    gn_image out = base_copy(i, c), next;
    if (c->mirror) next = mirrored(&out), free(out.luma), out = next;
    if (c->caption) next = lettered(&out, 88, 100, 3, 97, 255, 100, 30), free(out.luma), out = next;
    if (c->scale)
        next = resized(&out, out.width * c->scale / 100, out.height * c->scale / 100),
        free(out.luma), out = next;
    if (c->jpeg) next = jpeg_again(&out, c->jpeg), gn_image_free(&out), out = next;
    return out;
}

static gn_image base_copy(int i, const copy_kind *c)
{
    const gn_image *img = &photos[i].img;
    gn_image out, part;
    switch (c->how) {
    case FRAME:
        return framed(img, c->a, c->b, c->c);
    case CROP:
        return window_at(img, c->a, c->b, c->c, c->d);
    case CENTRED:
        return window(img, c->a, 50, 50);
    case TURNED_CROP:
    case MIRRORED_CROP:
        part = window_at(img, c->a, c->b, c->c, c->d);
        out = c->how == TURNED_CROP ? turned(&part) : mirrored(&part);
        free(part.luma);
        return out;
    case CAPTION:
        return lettered(img, 88, 100, 3, 97, 255, 100, 30);
    case WATERMARK:
        return lettered(img, 42, 58, 10, 90, 255, 40, -1);
    case COLLAGE:
        return collage(i, c->a);
    default:
        return resized(img, img->width / 2, img->height / 2);
    }
}

static void test_borders_and_crops(void **state)
{
    (void)state;
    add_paths("/usr/share/backgrounds/mate/nature/*.jpg");
    add_paths("/usr/share/backgrounds/mate/desktop/GreenTraditional.jpg");
    int packaged = n_photos;
    add_paths("../shared/conformance/pdq/images/q*.jpg");
    add_paths("../shared/conformance/pdq/images/bridge-1-original.jpg");
    if (packaged < 12) fail_msg("mate-backgrounds is not installed (scripts/install-deps.sh)");
    int matched[N_COPIES] = {0}, matched_removed[N_COPIES] = {0};
    double bank_seconds = 0, query_seconds = 0;
    int queried = 0, regions = 0, patches = 0;
    for (int i = 0; i < n_photos; i++) {
        gn_error err;
        if (gn_image_load(photos[i].path, NULL, &photos[i].img, &err)) fail_msg("%s", err.message);
    }
    for (int i = 0; i < n_photos; i++) {
        photo *p = &photos[i];
        gn_error err;
        int q;
        gn_pdq_robust more;
        clock_t t0 = clock();
        if (gn_pdq_hash_image_dihedral(&p->img, p->bank, &q, &err)) fail_msg("%s", err.message);
        if (gn_pdq_hash_robust(&p->img, 1, 0, &more, &err)) fail_msg("%s", err.message);
        bank_seconds += (double)(clock() - t0) / CLOCKS_PER_SEC;
        p->n_bank = GN_PDQ_DIHEDRAL_COUNT;
        memset(p->bank_index, MAIN, sizeof p->bank_index);
        memset(p->bank_index + GN_PDQ_ROTATE_90, TURNED, GN_PDQ_DIHEDRAL_COUNT - 1);
        p->bank_index[GN_PDQ_FLIP_Y] = MAIN; /* the mirror image, for collages */
        if (more.trimmed) p->bank[p->n_bank++] = more.trimmed_hash;
        for (int r = 0; r < more.n_regions; r++)
            p->bank[p->n_bank++] = more.regions[r];
        for (int k = 0; k < more.patches.n; k++)
            p->bank_index[p->n_bank] = PATCHES, p->bank[p->n_bank++] = more.patches.hash[k];
        regions += more.n_regions;
        patches += more.patches.n;
        /* The same photo as a removed listing's. */
        memcpy(p->removed, p->bank, GN_PDQ_DIHEDRAL_COUNT * sizeof *p->removed);
        memcpy(p->removed_index, p->bank_index, GN_PDQ_DIHEDRAL_COUNT);
        p->n_removed = GN_PDQ_DIHEDRAL_COUNT;
        if (gn_pdq_hash_robust(&p->img, 1, 1, &more, &err)) fail_msg("%s", err.message);
        if (more.trimmed)
            p->removed_index[p->n_removed] = MAIN, p->removed[p->n_removed++] = more.trimmed_hash;
        for (int r = 0; r < more.n_regions; r++)
            p->removed_index[p->n_removed] = MAIN, p->removed[p->n_removed++] = more.regions[r];
        for (int k = 0; k < more.patches.n; k++)
            p->removed_index[p->n_removed] = REMOVED_PATCHES,
            p->removed[p->n_removed++] = more.patches.hash[k];
        /* Its copies: they must match its bank, and count as queries against
         * every other photo's. */
        for (int c = 0; c < N_COPIES; c++) {
            gn_image copy = make_copy(i, &copies[c]);
            gn_pdq_hash forms[QUERY_FORMS];
            uint8_t looks[QUERY_FORMS];
            t0 = clock();
            int n = query_forms(&copy, forms, looks);
            query_seconds += (double)(clock() - t0) / CLOCKS_PER_SEC;
            queried++;
            free(copy.luma);
            matched[c] += within(forms, looks, n, p->bank, p->bank_index, p->n_bank);
            matched_removed[c] +=
                within(forms, looks, n, p->removed, p->removed_index, p->n_removed);
            if (copies[c].how == COLLAGE) continue; /* it holds other photos: they match */
            for (int k = 0; k < n && p->n_queries < MAX_QUERIES; k++)
                p->looks[p->n_queries] = looks[k], p->queries[p->n_queries++] = forms[k];
        }
        /* Windows anywhere in it: unrelated to every other photo. */
        static const int sides[] = {50, 60, 70, 85};
        static const int centres[][2] = {{30, 30}, {70, 30}, {50, 50}, {30, 70}, {70, 70},
                                         {40, 60}, {60, 40}, {50, 35}, {50, 65}, {35, 50}};
        for (size_t s = 0; s < 4; s++)
            for (size_t c = 0; c < 10 && p->n_queries + QUERY_FORMS <= MAX_QUERIES; c++) {
                gn_image w = window(&p->img, sides[s], centres[c][0], centres[c][1]);
                p->n_queries += query_forms(&w, &p->queries[p->n_queries], &p->looks[p->n_queries]);
                free(w.luma);
            }
    }
    /* Every query of one photo against every bank hash of every other,
     * as a brand's photo and as a removed listing's. */
    long pairs = 0, false_matches = 0, removed_pairs = 0, removed_false = 0;
    for (int i = 0; i < n_photos; i++)
        for (int j = 0; j < n_photos; j++) {
            if (i == j) continue;
            for (int removed = 0; removed < 2; removed++) {
                const gn_pdq_hash *bank = removed ? photos[j].removed : photos[j].bank;
                const uint8_t *index = removed ? photos[j].removed_index : photos[j].bank_index;
                int nb = removed ? photos[j].n_removed : photos[j].n_bank;
                long *np = removed ? &removed_pairs : &pairs;
                long *nf = removed ? &removed_false : &false_matches;
                for (int a = 0; a < photos[i].n_queries; a++)
                    for (int b = 0; b < nb; b++) {
                        if (!compared(photos[i].looks[a], index[b])) continue; /* never compared */
                        ++*np;
                        if (gn_pdq_distance(&photos[i].queries[a], &bank[b]) <= radius(index[b])) {
                            ++*nf;
                            printf("  false match: %s (query %d) ~ %s (%s %d)\n", photos[i].path, a,
                                   photos[j].path, removed ? "removed" : "bank", b);
                        }
                    }
            }
        }
    printf("  %d photos (%d from mate-backgrounds); bank: 8 forms, border, %.1f regions and %.1f "
           "patches a photo (%.1f ms); a listing photo's 8 forms, border, parts and patches: "
           "%.1f ms\n",
           n_photos, packaged, (double)regions / n_photos, (double)patches / n_photos,
           1000.0 * bank_seconds / n_photos, 1000.0 * query_seconds / queried);
    for (int c = 0; c < N_COPIES; c++)
        printf("  %-52s matches %d of %d (removed listing's: %d)\n", copies[c].name, matched[c],
               n_photos, matched_removed[c]);
    printf("  unrelated pairs: %ld, matching (within %d bits, patches %d): %ld; as removed "
           "listings' photos (patches %d): %ld, matching %ld\n",
           pairs, GN_PDQ_MATCH_DISTANCE, GN_PATCH_MATCH_DISTANCE, false_matches,
           GN_REMOVED_PATCH_MATCH_DISTANCE, removed_pairs, removed_false);
    assert_true(pairs >= 100000);
    assert_true(false_matches * 100000 < pairs);
    assert_true(removed_false * 100000 < removed_pairs);
    for (int c = 0; c < N_COPIES; c++)
        if (matched[c] * 100 < n_photos * copies[c].must)
            fail_msg("%s: %d of %d match, %d%% required", copies[c].name, matched[c], n_photos,
                     copies[c].must);
    for (int i = 0; i < n_photos; i++)
        gn_image_free(&photos[i].img);
}

/* Anchored patches on everything mate-backgrounds installs, its abstract
 * and desktop graphics too (stripes, waves, gradients: repeating shapes,
 * the hard case for details): the photo and 15 windows of it (60-85% of
 * each side) looked up by their patches in every other picture's patches,
 * within GN_PATCH_MATCH_DISTANCE. Pictures of one artwork at other sizes
 * (Elephants, three of them) must match; no other pair may. */
static void test_patches_on_graphics(void **state)
{
    (void)state;
    static gn_image img[48];
    static gn_pdq_patches bank[48];
    static char names[48][128];
    int n = 0;
    glob_t g;
    static const char *const patterns[] = {"/usr/share/backgrounds/mate/*/*.jpg",
                                           "/usr/share/backgrounds/mate/*/*.png"};
    for (int p = 0; p < 2; p++) {
        if (glob(patterns[p], 0, NULL, &g) != 0) continue;
        for (size_t i = 0; i < g.gl_pathc && n < 48; i++) {
            gn_error err;
            if (gn_image_load(g.gl_pathv[i], NULL, &img[n], &err)) fail_msg("%s", err.message);
            const char *base = strrchr(g.gl_pathv[i], '/');
            snprintf(names[n], sizeof names[n], "%s", base ? base + 1 : g.gl_pathv[i]);
            n++;
        }
        globfree(&g);
    }
    if (n < 25) fail_msg("mate-backgrounds is not installed (scripts/install-deps.sh)");
    for (int i = 0; i < n; i++) {
        gn_error err;
        if (gn_pdq_patches_banked(&img[i], 0, 0, img[i].width, img[i].height, &bank[i], &err))
            fail_msg("%s", err.message);
    }
    long pairs = 0, false_matches = 0, family = 0;
    for (int i = 0; i < n; i++) {
        for (int k = 0; k < 16; k++) {
            gn_image w = k == 0 ? img[i]
                                : window_at(&img[i], 60 + (k % 3) * 12, 60 + (k % 3) * 12,
                                            (k * 7) % 40, (k * 13) % 40);
            gn_pdq_patches q;
            gn_error err;
            if (gn_pdq_patches_of(&w, 0, 0, w.width, w.height, &q, &err))
                fail_msg("%s", err.message);
            if (k) free(w.luma);
            for (int j = 0; j < n; j++) {
                if (j == i) continue;
                int same = strncmp(names[i], "Elephants", 9) == 0 &&
                           strncmp(names[j], "Elephants", 9) == 0;
                int hits = 0;
                for (int a = 0; a < q.n; a++)
                    for (int b = 0; b < bank[j].n; b++) {
                        pairs += !same;
                        hits += gn_pdq_distance(&q.hash[a], &bank[j].hash[b]) <=
                                GN_PATCH_MATCH_DISTANCE;
                    }
                if (same && k == 0) family += hits > 0;
                if (!same && hits) {
                    false_matches += hits;
                    printf("  patch match: %s (window %d) ~ %s\n", names[i], k, names[j]);
                }
            }
        }
    }
    printf("  %d pictures of mate-backgrounds: %ld unrelated patch pairs, %ld matching; the "
           "Elephants at three sizes: %ld of 6 ordered pairs match\n",
           n, pairs, false_matches, family);
    assert_true(pairs >= 100000);
    assert_true(false_matches * 100000 < pairs);
    assert_int_equal(family, 6);
    for (int i = 0; i < n; i++)
        gn_image_free(&img[i]);
}

/* A photo without a frame is left alone (plain PDQ answers as before), and
 * a flat picture is not trimmed to nothing. */
static void test_no_border_no_trim(void **state)
{
    (void)state;
    gn_image img;
    gn_error err;
    if (gn_image_load("../shared/conformance/pdq/images/bridge-1-original.jpg", NULL, &img, &err))
        fail_msg("%s", err.message);
    int x0, y0, x1, y1;
    assert_int_equal(gn_image_find_border(&img, &x0, &y0, &x1, &y1), 0);
    gn_image flat = framed(&img, 0, 0, 0);
    for (size_t i = 0; i < (size_t)flat.width * flat.height; i++)
        flat.luma[i] = 200 << 8;
    assert_int_equal(gn_image_find_border(&flat, &x0, &y0, &x1, &y1), 0);
    gn_image boxed = framed(&img, 0, 24, 0);
    assert_int_equal(gn_image_find_border(&boxed, &x0, &y0, &x1, &y1), 1);
    assert_int_equal(x0, 0);
    assert_int_equal(x1, boxed.width);
    assert_true(y0 >= img.height * 12 / 100 - 1 && y0 <= img.height * 12 / 100 + 1);
    free(flat.luma);
    free(boxed.luma);
    gn_image_free(&img);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_border_no_trim),
        cmocka_unit_test(test_borders_and_crops),
        cmocka_unit_test(test_patches_on_graphics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
