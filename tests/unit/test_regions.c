/* Borders and crops (src/media/regions.c) measured on natural photos from
 * Debian's mate-backgrounds (installed by scripts/install-deps.sh) and the
 * PDQ conformance set: each photo's bank (its eight forms, the picture
 * without a border, its two central regions) against copies with a border,
 * letterboxing or a central crop, which must match; and every copy and
 * window of one photo against every other photo's bank, which must not
 * (fewer than 1 in 100,000 pairs). Prints the figures docs/images.md shows. */
#include "testutil.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "media/image.h"
#include "media/pdq.h"
#include "media/regions.h"

#define MAX_PHOTOS 64
#define BANK (GN_PDQ_DIHEDRAL_COUNT + 1 + GN_PDQ_REGIONS)
#define MAX_QUERIES 96

typedef struct photo {
    char path[512];
    gn_pdq_hash bank[BANK];
    int n_bank;
    gn_pdq_hash queries[MAX_QUERIES]; /* copies and windows, for the unrelated pairs */
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

/* The picture inside a frame: `side` percent of the width and height of
 * padding split on both sides (left/right when across, top/bottom when
 * down), in grey level `level`. */
static gn_image framed(const gn_image *img, int across, int down, int level)
{
    gn_image out = {0};
    int px = img->width * across / 200, py = img->height * down / 200;
    out.width = out.source_width = img->width + 2 * px;
    out.height = out.source_height = img->height + 2 * py;
    out.orientation = 1;
    out.luma = malloc((size_t)out.width * out.height * sizeof *out.luma);
    assert_non_null(out.luma);
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

/* A window of `side` percent of each side, its centre at (cx, cy) in
 * percent of the picture. */
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

/* What genuine looks up for a listing's photo: its hash, and the hash
 * without its border when it has one. */
static int query_forms(const gn_image *img, gn_pdq_hash out[2])
{
    gn_error err;
    int q, trimmed;
    if (gn_pdq_hash_image(img, &out[0], &q, &err)) fail_msg("%s", err.message);
    if (gn_pdq_hash_robust(img, &out[1], &trimmed, NULL, NULL, &err)) fail_msg("%s", err.message);
    return 1 + trimmed;
}

static int within(const gn_pdq_hash *q, int nq, const gn_pdq_hash *bank, int nb)
{
    for (int i = 0; i < nq; i++)
        for (int j = 0; j < nb; j++)
            if (gn_pdq_distance(&q[i], &bank[j]) <= GN_PDQ_MATCH_DISTANCE) return 1;
    return 0;
}

typedef struct copy_kind {
    const char *name;
    int crop_side;           /* central crop, percent of each side (0: none) */
    int across, down, level; /* a frame */
} copy_kind;

static const copy_kind copies[] = {
    {"white border of 10% (each side 5%)", 0, 10, 10, 255},
    {"white border of 20% (each side 10%)", 0, 20, 20, 255},
    {"black letterbox, 24% of the height", 0, 0, 24, 0},
    {"grey pillarbox, 30% of the width", 0, 30, 0, 128},
    {"central crop to 80% of each side (64% of the area)", 80, 0, 0, 0},
    {"central crop to 77% (60% of the area)", 77, 0, 0, 0},
    {"central crop to 65% (42% of the area)", 65, 0, 0, 0},
    {"central crop to 90% (81% of the area)", 90, 0, 0, 0},
    {"central crop to 72% (52% of the area)", 72, 0, 0, 0},
};
#define N_COPIES ((int)(sizeof copies / sizeof *copies))

static gn_image make_copy(const gn_image *img, const copy_kind *c)
{
    if (c->crop_side) return window(img, c->crop_side, 50, 50);
    return framed(img, c->across, c->down, c->level);
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
    int matched[N_COPIES] = {0};
    double hash_seconds = 0;
    int hashed = 0;
    for (int i = 0; i < n_photos; i++) {
        photo *p = &photos[i];
        gn_image img;
        gn_error err;
        if (gn_image_load(p->path, NULL, &img, &err)) fail_msg("%s", err.message);
        int q, trimmed, area[GN_PDQ_REGIONS];
        clock_t t0 = clock();
        if (gn_pdq_hash_image_dihedral(&img, p->bank, &q, &err)) fail_msg("%s", err.message);
        p->n_bank = GN_PDQ_DIHEDRAL_COUNT;
        if (gn_pdq_hash_robust(&img, &p->bank[p->n_bank], &trimmed, &p->bank[p->n_bank + 1], area,
                               &err))
            fail_msg("%s", err.message);
        hash_seconds += (double)(clock() - t0) / CLOCKS_PER_SEC;
        hashed++;
        if (trimmed)
            p->n_bank++;
        else
            memmove(&p->bank[p->n_bank], &p->bank[p->n_bank + 1], GN_PDQ_REGIONS * sizeof *p->bank);
        p->n_bank += GN_PDQ_REGIONS;
        /* Its copies: they must match its bank, and count as queries against
         * every other photo's. */
        for (int c = 0; c < N_COPIES; c++) {
            gn_image copy = make_copy(&img, &copies[c]);
            gn_pdq_hash forms[2];
            int n = query_forms(&copy, forms);
            free(copy.luma);
            matched[c] += within(forms, n, p->bank, p->n_bank);
            for (int k = 0; k < n; k++)
                p->queries[p->n_queries++] = forms[k];
        }
        /* Windows anywhere in it: unrelated to every other photo. */
        static const int sides[] = {50, 60, 70, 85};
        static const int centres[][2] = {{30, 30}, {70, 30}, {50, 50}, {30, 70}, {70, 70},
                                         {40, 60}, {60, 40}, {50, 35}, {50, 65}, {35, 50}};
        for (size_t s = 0; s < 4; s++)
            for (size_t c = 0; c < 10 && p->n_queries + 2 <= MAX_QUERIES; c++) {
                gn_image w = window(&img, sides[s], centres[c][0], centres[c][1]);
                p->n_queries += query_forms(&w, &p->queries[p->n_queries]);
                free(w.luma);
            }
        gn_image_free(&img);
    }
    /* Every query of one photo against every bank hash of every other. */
    long pairs = 0, false_matches = 0;
    for (int i = 0; i < n_photos; i++)
        for (int j = 0; j < n_photos; j++) {
            if (i == j) continue;
            for (int a = 0; a < photos[i].n_queries; a++)
                for (int b = 0; b < photos[j].n_bank; b++) {
                    pairs++;
                    if (gn_pdq_distance(&photos[i].queries[a], &photos[j].bank[b]) <=
                        GN_PDQ_MATCH_DISTANCE) {
                        false_matches++;
                        printf("  false match: %s (query %d) ~ %s (bank %d)\n", photos[i].path, a,
                               photos[j].path, b);
                    }
                }
        }
    printf("  %d photos (%d from mate-backgrounds), bank hashing (8 forms, border, 2 regions): "
           "%.1f ms a photo\n",
           n_photos, packaged, 1000.0 * hash_seconds / hashed);
    for (int c = 0; c < N_COPIES; c++)
        printf("  %-52s matches %d of %d\n", copies[c].name, matched[c], n_photos);
    printf("  unrelated pairs: %ld, within %d bits: %ld\n", pairs, GN_PDQ_MATCH_DISTANCE,
           false_matches);
    assert_true(pairs >= 100000);
    assert_true(false_matches * 100000 < pairs);
    /* The borders are trimmed away; the central crops at the regions' sides
     * are the regions. */
    for (int c = 0; c < 4; c++)
        assert_true(matched[c] * 10 >= n_photos * 9);
    assert_true(matched[4] * 5 >= n_photos * 4); /* 80%: 18 of 21 when written */
    assert_true(matched[6] * 5 >= n_photos * 4); /* 65%: 18 of 21 */
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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
