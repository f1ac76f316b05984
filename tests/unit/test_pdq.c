/* PDQ against Meta's conformance set (hashes within 16 bits, quality within
 * 10; edited copies within 31; dihedral variants from one pass within 16 of
 * the rotated files; unrelated pictures apart), the decoders' formats and
 * EXIF orientations, hex text, and broken, truncated and oversized input. */
#include "testutil.h"

#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <webp/encode.h>

#include "media/image.h"
#include "media/pdq.h"

#define CONFORMANCE "../shared/conformance/pdq/"
#define IMAGES CONFORMANCE "images/"

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open %s (tests run from the repository root)", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *data = malloc((size_t)n + 1);
    assert_non_null(data);
    assert_int_equal(fread(data, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return data;
}

static gn_pdq_hash hash_of(const char *path, int *quality)
{
    gn_pdq_hash h;
    gn_error err;
    int q;
    if (gn_pdq_hash_file(path, NULL, &h, quality ? quality : &q, &err)) fail_msg("%s", err.message);
    return h;
}

static gn_pdq_hash parse(const char *hex)
{
    gn_pdq_hash h;
    gn_error err;
    assert_int_equal(gn_pdq_parse(hex, strlen(hex), &h, &err), 0);
    return h;
}

typedef struct expected {
    char file[128];
    char hex[GN_PDQ_HEX_LEN + 1];
    int quality; /* -1: none given */
} expected;

static int read_expected(expected *out, int max)
{
    FILE *f = fopen(CONFORMANCE "expected.csv", "r");
    assert_non_null(f);
    char line[512];
    int n = 0;
    assert_non_null(fgets(line, sizeof line, f)); /* header */
    while (n < max && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\r\n")] = 0;
        char *file = strtok(line, ","), *hex = strtok(NULL, ","), *q = strtok(NULL, ",");
        if (!file || !hex) continue;
        snprintf(out[n].file, sizeof out[n].file, "%s", file);
        snprintf(out[n].hex, sizeof out[n].hex, "%s", hex);
        out[n].quality = q && *q ? atoi(q) : -1;
        n++;
    }
    fclose(f);
    return n;
}

/* Every expected hash, with the default (scaled) JPEG decoding and at full
 * size: the speed-up must not cost conformance. */
static void test_conformance(void **state)
{
    expected e[64];
    int n = read_expected(e, 64);
    assert_true(n >= 20);
    gn_image_options full = {0, -1};
    for (int pass = 0; pass < 2; pass++) {
        int worst = 0;
        for (int i = 0; i < n; i++) {
            char path[300];
            snprintf(path, sizeof path, CONFORMANCE "%s", e[i].file);
            gn_pdq_hash h;
            gn_error err;
            int q;
            if (gn_pdq_hash_file(path, pass ? &full : NULL, &h, &q, &err))
                fail_msg("%s", err.message);
            gn_pdq_hash want = parse(e[i].hex);
            int d = gn_pdq_distance(&h, &want);
            if (d > 16) fail_msg("%s: distance %d from the reference hash", e[i].file, d);
            if (e[i].quality >= 0 && abs(q - e[i].quality) > 10)
                fail_msg("%s: quality %d, reference %d", e[i].file, q, e[i].quality);
            worst = d > worst ? d : worst;
        }
        print_message("conformance (%s JPEG decoding): worst distance %d\n",
                      pass ? "full-size" : "scaled", worst);
    }
}

static void test_modified_copies(void **state)
{
    static const char *mods[] = {"mod-blur-a-lot.jpg", "mod-high-contrast.jpg",
                                 "mod-sharpen-a-lot.jpg", "mod-shrink-a-lot.jpg",
                                 "mod-square-256x256.jpg"};
    gn_pdq_hash original = hash_of(IMAGES "bridge-1-original.jpg", NULL);
    for (size_t i = 0; i < sizeof mods / sizeof *mods; i++) {
        char path[300];
        snprintf(path, sizeof path, IMAGES "%s", mods[i]);
        gn_pdq_hash h = hash_of(path, NULL);
        int d = gn_pdq_distance(&h, &original);
        if (d > GN_PDQ_MATCH_DISTANCE) fail_msg("%s: distance %d from the original", mods[i], d);
    }
}

/* The eight variants from one decode and one pass, against the hashes of
 * the files rotated and flipped by other software (ours and the reference's). */
static void test_dihedral(void **state)
{
    static const char *files[GN_PDQ_DIHEDRAL_COUNT] = {
        "bridge-1-original.jpg",    "bridge-2-rotate-90.jpg",   "bridge-3-rotate-180.jpg",
        "bridge-4-rotate-270.jpg",  "bridge-5-flipx.jpg",       "bridge-6-flipy.jpg",
        "bridge-7-flip-plus-1.jpg", "bridge-8-flip-minus-1.jpg"};
    expected e[64];
    int n = read_expected(e, 64);
    gn_image img;
    gn_error err;
    assert_int_equal(gn_image_load(IMAGES "bridge-1-original.jpg", NULL, &img, &err), 0);
    gn_pdq_hash v[GN_PDQ_DIHEDRAL_COUNT];
    int q;
    assert_int_equal(gn_pdq_hash_image_dihedral(&img, v, &q, &err), 0);
    gn_image_free(&img);
    for (int d = 0; d < GN_PDQ_DIHEDRAL_COUNT; d++) {
        char path[300];
        snprintf(path, sizeof path, IMAGES "%s", files[d]);
        gn_pdq_hash ours = hash_of(path, NULL);
        int dist = gn_pdq_distance(&v[d], &ours);
        if (dist > 16)
            fail_msg("%s: variant %s is %d from the file's hash", files[d],
                     gn_pdq_dihedral_name((gn_pdq_dihedral)d), dist);
        for (int i = 0; i < n; i++)
            if (strstr(e[i].file, files[d])) {
                gn_pdq_hash ref = parse(e[i].hex);
                dist = gn_pdq_distance(&v[d], &ref);
                if (dist > 16)
                    fail_msg("%s: variant is %d from the reference hash", files[d], dist);
            }
        /* ... and far from the other orientations. */
        for (int o = 0; o < GN_PDQ_DIHEDRAL_COUNT; o++)
            if (o != d) assert_true(gn_pdq_distance(&v[o], &ours) > GN_PDQ_MATCH_DISTANCE);
    }
    assert_string_equal(gn_pdq_dihedral_name(GN_PDQ_ROTATE_90), "rotate-90");
}

static void test_unrelated_apart(void **state)
{
    static const char *q[] = {"q0003.jpg", "q0004.jpg", "q0122.jpg", "q0291.jpg",
                              "q0746.jpg", "q1050.jpg", "q2821.jpg"};
    enum { N = sizeof q / sizeof *q };
    gn_pdq_hash h[N];
    for (int i = 0; i < N; i++) {
        char path[300];
        snprintf(path, sizeof path, IMAGES "%s", q[i]);
        h[i] = hash_of(path, NULL);
    }
    for (int i = 0; i < N; i++)
        for (int j = i + 1; j < N; j++)
            if (gn_pdq_distance(&h[i], &h[j]) <= GN_PDQ_MATCH_DISTANCE)
                fail_msg("%s and %s are only %d apart", q[i], q[j], gn_pdq_distance(&h[i], &h[j]));
}

static void test_hex(void **state)
{
    const char *hex = "d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    gn_pdq_hash h = parse(hex), upper;
    char out[GN_PDQ_HEX_LEN + 1];
    gn_pdq_format(&h, out);
    assert_string_equal(out, hex);
    assert_int_equal(h.w[0], 0x33e6339c4e9c9b22ULL); /* the last 16 digits */
    assert_int_equal(h.w[3], 0xd8f8f0cee0f4a84fULL);
    gn_error err;
    assert_int_equal(
        gn_pdq_parse("D8F8F0CEE0F4A84F0637022A078F67F0B36E2ED596621E1D33E6339C4E9C9B22", 64, &upper,
                     &err),
        0);
    assert_int_equal(gn_pdq_distance(&h, &upper), 0);
    assert_int_equal(gn_pdq_parse(hex, 63, &h, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "64 hex digits"));
    char bad[65];
    memcpy(bad, hex, 65);
    bad[10] = 'g';
    assert_int_equal(gn_pdq_parse(bad, 64, &h, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "character 11"));
    gn_pdq_hash zero = {{0, 0, 0, 0}}, ones = {{~0ULL, ~0ULL, ~0ULL, ~0ULL}};
    assert_int_equal(gn_pdq_distance(&zero, &ones), 256);

    /* Every byte value at every position: only hex digits are taken, each
     * for its own value (checked against strtoull on the word it is in). */
    for (int c = 0; c < 256; c++)
        for (int at = 0; at < 64; at += 7) {
            memcpy(bad, hex, 65);
            bad[at] = (char)c;
            int is_digit =
                (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            int rc = gn_pdq_parse(bad, 64, &h, &err);
            if (!is_digit) {
                assert_int_equal(rc, GN_EINPUT);
                char want[32];
                snprintf(want, sizeof want, "character %d ", at + 1);
                if (!strstr(err.message, want)) fail_msg("byte %d at %d: %s", c, at, err.message);
                continue;
            }
            assert_int_equal(rc, 0);
            for (int w = 0; w < 4; w++) {
                char word[17];
                memcpy(word, bad + 16 * (3 - w), 16);
                word[16] = 0;
                assert_true(h.w[w] == strtoull(word, NULL, 16));
            }
        }
}

/* Tiny and flat inputs hash without trouble; flat ones have quality 0. */
static void test_small_and_flat(void **state)
{
    uint8_t px[64 * 64];
    memset(px, 128, sizeof px);
    gn_pdq_hash h;
    gn_error err;
    int q;
    assert_int_equal(gn_pdq_hash_luma(px, 1, 1, 1, &h, &q, &err), 0);
    assert_int_equal(gn_pdq_hash_luma(px, 64, 64, 64, &h, &q, &err), 0);
    assert_int_equal(q, 0);
    assert_int_equal(gn_pdq_hash_luma(px, 0, 5, 5, &h, &q, &err), GN_EINPUT);
    assert_int_equal(gn_pdq_hash_luma(px, 5, 5, 4, &h, &q, &err), GN_EINPUT);
}

/* --- formats: PNG layouts and WebP decode to the expected luminance ----- */

static uint16_t luma_ref(unsigned r, unsigned g, unsigned b)
{
    return (uint16_t)((19595u * r + 38470u * g + 7471u * b + 128u) >> 8);
}

static void test_png_and_webp_layouts(void **state)
{
    enum { W = 37, H = 23 };
    uint8_t rgba[W * H * 4];
    for (int i = 0; i < W * H; i++) {
        rgba[4 * i] = (uint8_t)(i * 7), rgba[4 * i + 1] = (uint8_t)(i * 13);
        rgba[4 * i + 2] = (uint8_t)(i * 29), rgba[4 * i + 3] = (uint8_t)(i * 3);
    }
    static const struct {
        png_uint_32 format;
        const char *name;
    } formats[] = {{PNG_FORMAT_RGBA, "RGBA"},
                   {PNG_FORMAT_RGB, "RGB"},
                   {PNG_FORMAT_GA, "grey+alpha"},
                   {PNG_FORMAT_GRAY, "grey"},
                   {PNG_FORMAT_RGB_COLORMAP, "palette"}};
    for (size_t f = 0; f < sizeof formats / sizeof *formats; f++) {
        /* Convert our RGBA into the format by writing and reading once with
         * libpng, then compare our decoder with libpng's own reading. */
        png_image image;
        memset(&image, 0, sizeof image);
        image.version = PNG_IMAGE_VERSION;
        image.width = W, image.height = H, image.format = PNG_FORMAT_RGBA;
        png_alloc_size_t size = 0;
        assert_true(png_image_write_to_memory(&image, NULL, &size, 0, rgba, 0, NULL));
        void *mem = malloc(size);
        assert_true(png_image_write_to_memory(&image, mem, &size, 0, rgba, 0, NULL));
        png_image in;
        memset(&in, 0, sizeof in);
        in.version = PNG_IMAGE_VERSION;
        assert_true(png_image_begin_read_from_memory(&in, mem, size));
        in.format = formats[f].format & ~PNG_FORMAT_FLAG_COLORMAP;
        uint8_t *px = malloc(PNG_IMAGE_SIZE(in));
        assert_true(png_image_finish_read(&in, NULL, px, 0, NULL));
        free(mem);
        /* Write px in the chosen layout. */
        png_image out;
        memset(&out, 0, sizeof out);
        out.version = PNG_IMAGE_VERSION;
        out.width = W, out.height = H, out.format = in.format;
        uint8_t colormap[256 * 4];
        if (formats[f].format & PNG_FORMAT_FLAG_COLORMAP) {
            /* A palette of 256 greys-ish colours; pixels index it. */
            out.format = PNG_FORMAT_RGB_COLORMAP;
            out.colormap_entries = 256;
            for (int c = 0; c < 256; c++)
                colormap[3 * c] = (uint8_t)c, colormap[3 * c + 1] = (uint8_t)(255 - c),
                             colormap[3 * c + 2] = (uint8_t)(c / 2);
            for (int i = 0; i < W * H; i++)
                px[i] = (uint8_t)(i * 11);
        }
        size = 0;
        assert_true(png_image_write_to_memory(&out, NULL, &size, 0, px, 0,
                                              out.colormap_entries ? colormap : NULL));
        mem = malloc(size);
        assert_true(png_image_write_to_memory(&out, mem, &size, 0, px, 0,
                                              out.colormap_entries ? colormap : NULL));
        gn_image img;
        gn_error err;
        if (gn_image_decode(mem, size, formats[f].name, NULL, &img, &err))
            fail_msg("%s", err.message);
        assert_int_equal(img.width, W);
        assert_int_equal(img.height, H);
        assert_int_equal(img.format, GN_IMAGE_PNG);
        int channels = PNG_IMAGE_SAMPLE_CHANNELS(out.format);
        for (int i = 0; i < W * H; i++) {
            uint16_t want;
            if (out.colormap_entries) {
                const uint8_t *c = colormap + 3 * px[i];
                want = luma_ref(c[0], c[1], c[2]);
            } else if (channels >= 3) {
                const uint8_t *p = px + channels * i;
                want = luma_ref(p[0], p[1], p[2]); /* alpha is ignored */
            } else {
                want = (uint16_t)(px[channels * i] << 8);
            }
            if (img.luma[i] != want)
                fail_msg("%s pixel %d: %u, want %u", formats[f].name, i, img.luma[i], want);
        }
        gn_image_free(&img);
        free(mem);
        free(px);
    }

    /* WebP, lossless so the pixels survive exactly. */
    uint8_t rgb[W * H * 3];
    for (int i = 0; i < W * H; i++)
        memcpy(rgb + 3 * i, rgba + 4 * i, 3);
    uint8_t *webp = NULL;
    size_t wsize = WebPEncodeLosslessRGB(rgb, W, H, W * 3, &webp);
    assert_true(wsize > 0);
    gn_image img;
    gn_error err;
    assert_int_equal(gn_image_decode(webp, wsize, "x.webp", NULL, &img, &err), 0);
    assert_int_equal(img.format, GN_IMAGE_WEBP);
    for (int i = 0; i < W * H; i++)
        assert_int_equal(img.luma[i], luma_ref(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]));
    gn_image_free(&img);
    /* Truncated WebP is an error. */
    assert_int_equal(gn_image_decode(webp, wsize / 2, "half.webp", NULL, &img, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "half.webp"));
    WebPFree(webp);
}

/* --- EXIF orientation --------------------------------------------------- */

/* wee.jpg with an APP1 segment saying `orientation` inserted after SOI. */
static uint8_t *with_orientation(const uint8_t *jpeg, size_t len, int orientation, int little,
                                 size_t *out_len)
{
    uint8_t app1[] = {0xFF, 0xE1, 0, 34, 'E', 'x', 'i', 'f', 0, 0,
                      /* TIFF header, IFD0 at 8 */
                      'M', 'M', 0, 42, 0, 0, 0, 8,
                      /* one entry: 0x0112 SHORT count 1 value */
                      0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (uint8_t)orientation, 0, 0,
                      /* no next IFD */
                      0, 0, 0, 0};
    if (little) {
        uint8_t le[] = {
            'I', 'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, (uint8_t)orientation,
            0,   0,   0,  0, 0, 0, 0};
        memcpy(app1 + 10, le, sizeof le);
    }
    uint8_t *out = malloc(len + sizeof app1);
    memcpy(out, jpeg, 2);
    memcpy(out + 2, app1, sizeof app1);
    memcpy(out + 2 + sizeof app1, jpeg + 2, len - 2);
    *out_len = len + sizeof app1;
    return out;
}

static void test_exif_orientation(void **state)
{
    size_t len;
    uint8_t *jpeg = slurp(IMAGES "wee.jpg", &len);
    gn_image plain;
    gn_error err;
    assert_int_equal(gn_image_decode(jpeg, len, "wee.jpg", NULL, &plain, &err), 0);
    assert_int_equal(plain.orientation, 1);
    int w = plain.width, h = plain.height;
    for (int o = 1; o <= 8; o++) {
        size_t n;
        uint8_t *data = with_orientation(jpeg, len, o, o % 2, &n);
        assert_int_equal(gn_image_jpeg_orientation(data, n), o);
        gn_image img;
        assert_int_equal(gn_image_decode(data, n, "rotated.jpg", NULL, &img, &err), 0);
        assert_int_equal(img.width, o >= 5 ? h : w);
        assert_int_equal(img.height, o >= 5 ? w : h);
        /* Check each output pixel against where it must come from. */
        for (int y = 0; y < img.height; y++)
            for (int x = 0; x < img.width; x++) {
                int sx, sy;
                switch (o) {
                case 1:
                    sx = x, sy = y;
                    break;
                case 2:
                    sx = w - 1 - x, sy = y;
                    break;
                case 3:
                    sx = w - 1 - x, sy = h - 1 - y;
                    break;
                case 4:
                    sx = x, sy = h - 1 - y;
                    break;
                case 5:
                    sx = y, sy = x;
                    break;
                case 6:
                    sx = y, sy = h - 1 - x;
                    break; /* 90 degrees clockwise */
                case 7:
                    sx = w - 1 - y, sy = h - 1 - x;
                    break;
                default:
                    sx = w - 1 - y, sy = x;
                    break;
                }
                assert_int_equal(img.luma[y * img.width + x], plain.luma[sy * w + sx]);
            }
        gn_image_free(&img);
        free(data);
    }
    /* Broken EXIF is ignored, never read out of bounds. */
    size_t n;
    uint8_t *data = with_orientation(jpeg, len, 6, 0, &n);
    data[2 + 10 + 7] = 0xF0; /* IFD offset past the segment */
    assert_int_equal(gn_image_jpeg_orientation(data, n), 1);
    assert_int_equal(gn_image_jpeg_orientation(data, 30), 1);
    free(data);
    data = with_orientation(jpeg, len, 9, 0, &n); /* not a valid orientation */
    assert_int_equal(gn_image_jpeg_orientation(data, n), 1);
    free(data);
    gn_image_free(&plain);
    free(jpeg);
}

/* --- broken input ------------------------------------------------------- */

static void expect_error(const void *data, size_t len, const char *name, const char *words,
                         const gn_image_options *opt)
{
    gn_image img;
    gn_error err;
    err.message[0] = 0;
    int rc = gn_image_decode(data, len, name, opt, &img, &err);
    if (rc == 0) fail_msg("%s decoded, expected an error about '%s'", name, words);
    assert_int_equal(rc, GN_EINPUT);
    assert_null(img.luma);
    if (!strstr(err.message, name) || !strstr(err.message, words))
        fail_msg("message '%s' should name %s and say '%s'", err.message, name, words);
}

static uint32_t crc32_of(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xEDB88320u : c >> 1;
    }
    return c ^ 0xFFFFFFFFu;
}

static void test_broken_and_oversized(void **state)
{
    size_t len, plen;
    uint8_t *jpeg = slurp(IMAGES "bridge-1-original.jpg", &len);
    uint8_t *png = slurp(IMAGES "c.png", &plen);
    expect_error(jpeg, 0, "empty.jpg", "empty", NULL);
    expect_error("hello, world", 12, "hello.txt", "not a JPEG, PNG or WebP", NULL);
    expect_error(jpeg, len / 2, "half.jpg", "broken JPEG", NULL);
    expect_error(jpeg, 200, "head.jpg", "JPEG", NULL);
    expect_error(png, plen / 2, "half.png", "broken PNG", NULL);
    expect_error(png, 40, "head.png", "PNG", NULL);

    /* A small limit refuses real pictures from the header. */
    gn_image_options small = {1000, 0};
    expect_error(jpeg, len, "bridge.jpg", "over the limit", &small);
    expect_error(png, plen, "c.png", "over the limit", &small);

    /* Headers claiming 60000 x 60000 are refused before any decoding. */
    for (size_t i = 2; i + 9 < len; i++)
        if (jpeg[i] == 0xFF && (jpeg[i + 1] == 0xC0 || jpeg[i + 1] == 0xC2)) {
            jpeg[i + 5] = 0xEA, jpeg[i + 6] = 0x60; /* height */
            jpeg[i + 7] = 0xEA, jpeg[i + 8] = 0x60; /* width */
            break;
        }
    expect_error(jpeg, len, "bomb.jpg", "over the limit", NULL);
    /* IHDR: width and height at bytes 16..23, CRC over type+data at 29. */
    memcpy(png + 16, "\x00\x00\xea\x60\x00\x00\xea\x60", 8);
    uint32_t crc = crc32_of(png + 12, 17);
    png[29] = (uint8_t)(crc >> 24), png[30] = (uint8_t)(crc >> 16);
    png[31] = (uint8_t)(crc >> 8), png[32] = (uint8_t)crc;
    expect_error(png, plen, "bomb.png", "over the limit", NULL);

    /* Files: missing, and a directory. */
    gn_pdq_hash h;
    gn_error err;
    int q;
    assert_int_equal(gn_pdq_hash_file("no/such/file.jpg", NULL, &h, &q, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "no/such/file.jpg"));
    assert_int_equal(gn_pdq_hash_file("tests", NULL, &h, &q, &err), GN_EINPUT);
    free(jpeg);
    free(png);
}

/* One decoder kept across pictures gives what a fresh one gives, and a
 * progressive file cut short (even past the DC scans the fast path reads) is
 * still an error, not a hash of part of a picture. */
static void test_decoder_reuse_and_truncated_progressive(void **state)
{
    static const char *files[] = {
        "bridge-1-original.jpg", "bridge-3-rotate-180.jpg", "q0122.jpg", "wee.jpg", "small.jpg",
        "bridge-6-flipy.jpg"};
    gn_image_decoder *dec;
    gn_error err;
    assert_int_equal(gn_image_decoder_new(&dec, &err), 0);
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
            char path[300];
            snprintf(path, sizeof path, IMAGES "%s", files[i]);
            gn_image a, b;
            assert_int_equal(gn_image_load_with(dec, path, NULL, &a, &err), 0);
            assert_int_equal(gn_image_load(path, NULL, &b, &err), 0);
            assert_int_equal(a.width, b.width);
            assert_int_equal(a.height, b.height);
            assert_memory_equal(a.luma, b.luma, (size_t)a.width * a.height * sizeof *a.luma);
            gn_image_free(&a);
            gn_image_free(&b);
        }
    size_t len;
    uint8_t *jpeg = slurp(IMAGES "bridge-3-rotate-180.jpg", &len);
    size_t cuts[] = {len - 2, len - 5000, len / 2, 60000, 30000};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        gn_image img;
        int rc = gn_image_decode_with(dec, jpeg, cuts[i], "cut.jpg", NULL, &img, &err);
        if (rc == 0) fail_msg("bridge-3 cut to %zu bytes decoded", cuts[i]);
        assert_non_null(strstr(err.message, "cut.jpg"));
        assert_non_null(strstr(err.message, "broken JPEG"));
        assert_null(img.luma);
    }
    /* The decoder still works after errors. */
    gn_image img;
    assert_int_equal(gn_image_decode_with(dec, jpeg, len, "whole.jpg", NULL, &img, &err), 0);
    gn_image_free(&img);
    free(jpeg);
    gn_image_decoder_free(dec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conformance),
        cmocka_unit_test(test_modified_copies),
        cmocka_unit_test(test_dihedral),
        cmocka_unit_test(test_unrelated_apart),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_small_and_flat),
        cmocka_unit_test(test_png_and_webp_layouts),
        cmocka_unit_test(test_exif_orientation),
        cmocka_unit_test(test_broken_and_oversized),
        cmocka_unit_test(test_decoder_reuse_and_truncated_progressive),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
