/* Image decoding to one upright luminance plane, for perceptual hashing.
 * Each format checks the picture size from its header against the pixel
 * limit before allocating; JPEG is decoded straight to its Y channel and at
 * the smallest DCT scale that keeps enough detail for PDQ, which is most of
 * the speed. Every failure names the input and says what was wrong. */
#include "core/image.h"

#include <errno.h>
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <webp/decode.h>

#include "core/error.h"

static const char *label(const char *name)
{
    return name && *name ? name : "image";
}

const char *gn_image_format_name(gn_image_format f)
{
    switch (f) {
    case GN_IMAGE_JPEG:
        return "JPEG";
    case GN_IMAGE_PNG:
        return "PNG";
    case GN_IMAGE_WEBP:
        return "WebP";
    default:
        return "unknown";
    }
}

static gn_image_format sniff(const uint8_t *d, size_t n)
{
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) return GN_IMAGE_JPEG;
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) return GN_IMAGE_PNG;
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) return GN_IMAGE_WEBP;
    return GN_IMAGE_UNKNOWN;
}

static uint64_t max_pixels(const gn_image_options *o)
{
    return o && o->max_pixels ? o->max_pixels : GN_IMAGE_MAX_PIXELS;
}

static int check_size(const char *name, const char *format, int w, int h, const gn_image_options *o,
                      gn_error *err)
{
    if (w <= 0 || h <= 0)
        return gn_fail(err, GN_EINPUT, "%s: %s header gives an empty size %dx%d", label(name),
                       format, w, h);
    uint64_t limit = max_pixels(o);
    if ((uint64_t)w * (uint64_t)h > limit)
        return gn_fail(err, GN_EINPUT,
                       "%s: %s of %dx%d pixels is over the limit of %llu pixels; refused",
                       label(name), format, w, h, (unsigned long long)limit);
    return 0;
}

/* Rec. 601 luma (the weights JPEG's Y channel and the PDQ reference use) in
 * 8.8 fixed point; the weights sum to 65536, so white is 255 << 8. */
static uint16_t luma_of(unsigned r, unsigned g, unsigned b)
{
    return (uint16_t)((19595u * r + 38470u * g + 7471u * b + 128u) >> 8);
}

/* Converts n packed pixels of 1 (grey), 3 (RGB) or 4 (inverted CMYK, as
 * libjpeg returns Adobe files) bytes to luminance. */
static void to_luma(const uint8_t *px, int bytes, size_t n, uint16_t *out)
{
    for (size_t i = 0; i < n; i++, px += bytes) {
        if (bytes == 1)
            out[i] = (uint16_t)(px[0] << 8);
        else if (bytes == 3)
            out[i] = luma_of(px[0], px[1], px[2]);
        else
            out[i] = luma_of(px[0] * px[3] / 255u, px[1] * px[3] / 255u, px[2] * px[3] / 255u);
    }
}

/* --- EXIF orientation -------------------------------------------------- */

static unsigned rd16(const uint8_t *p, int le)
{
    return le ? (unsigned)p[0] | (unsigned)p[1] << 8 : (unsigned)p[0] << 8 | (unsigned)p[1];
}

static uint32_t rd32(const uint8_t *p, int le)
{
    return le ? (uint32_t)rd16(p, 1) | (uint32_t)rd16(p + 2, 1) << 16
              : (uint32_t)rd16(p, 0) << 16 | (uint32_t)rd16(p + 2, 0);
}

/* Orientation (tag 0x0112, a SHORT) from IFD0 of a TIFF block; 0 if absent.
 * Every offset is checked against the block: EXIF is attacker-supplied. */
static int tiff_orientation(const uint8_t *t, size_t n)
{
    if (n < 8) return 0;
    int le;
    if (t[0] == 'I' && t[1] == 'I')
        le = 1;
    else if (t[0] == 'M' && t[1] == 'M')
        le = 0;
    else
        return 0;
    if (rd16(t + 2, le) != 42) return 0;
    uint32_t ifd = rd32(t + 4, le);
    if (ifd > n || n - ifd < 2) return 0;
    unsigned count = rd16(t + ifd, le);
    for (unsigned i = 0; i < count; i++) {
        size_t e = (size_t)ifd + 2 + (size_t)12 * i;
        if (e > n || n - e < 12) return 0;
        if (rd16(t + e, le) == 0x0112) {
            if (rd16(t + e + 2, le) != 3 || rd32(t + e + 4, le) < 1) return 0;
            unsigned v = rd16(t + e + 8, le);
            return v >= 1 && v <= 8 ? (int)v : 0;
        }
    }
    return 0;
}

int gn_image_jpeg_orientation(const uint8_t *d, size_t n)
{
    if (!d || n < 4 || d[0] != 0xFF || d[1] != 0xD8) return 1;
    size_t p = 2;
    /* Only the segments before the image data are walked, and only so many. */
    for (int seg = 0; seg < 256 && n - p >= 4; seg++) {
        if (d[p] != 0xFF) return 1;
        unsigned m = d[p + 1];
        if (m == 0xFF) { /* fill byte */
            p++;
            continue;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD8)) { /* markers without a length */
            p += 2;
            continue;
        }
        if (m == 0xDA || m == 0xD9) /* start of scan or end of image */
            return 1;
        size_t len = (size_t)d[p + 2] << 8 | d[p + 3];
        if (len < 2 || len > n - p - 2) return 1;
        if (m == 0xE1 && len >= 8 && memcmp(d + p + 4, "Exif\0\0", 6) == 0) {
            int o = tiff_orientation(d + p + 10, len - 8);
            if (o) return o;
        }
        p += 2 + len;
    }
    return 1;
}

/* Turns the stored pixels upright. Orientation o says where the stored first
 * row and column belong: 2 mirror, 3 rotate 180, 4 flip, 5 transpose,
 * 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise. */
static int apply_orientation(gn_image *img, int o, const char *name, gn_error *err)
{
    if (o <= 1 || o > 8) return 0;
    int w = img->width, h = img->height;
    int swap = o >= 5;
    int ow = swap ? h : w, oh = swap ? w : h;
    uint16_t *dst = malloc((size_t)w * h * sizeof *dst);
    if (!dst)
        return gn_fail(err, GN_ENOMEM, "%s: out of memory turning the image upright", label(name));
    const uint16_t *src = img->luma;
    for (int y = 0; y < oh; y++)
        for (int x = 0; x < ow; x++) {
            int sx, sy;
            switch (o) {
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
                break;
            case 7:
                sx = w - 1 - y, sy = h - 1 - x;
                break;
            default:
                sx = w - 1 - y, sy = x;
                break; /* 8 */
            }
            dst[(size_t)y * ow + x] = src[(size_t)sy * w + sx];
        }
    free(img->luma);
    img->luma = dst;
    img->width = ow;
    img->height = oh;
    img->orientation = o;
    return 0;
}

/* --- JPEG -------------------------------------------------------------- */

/* The DCT scale factor (at most 1) giving the fewest pixels while both
 * sides stay >= min_side; 1/1 when the picture is already small. */
static tjscalingfactor jpeg_scale(int w, int h, int min_side)
{
    tjscalingfactor best = {1, 1};
    int n = 0;
    tjscalingfactor *f = tjGetScalingFactors(&n);
    if (!f || min_side <= 0) return best;
    long best_area = (long)w * h;
    for (int i = 0; i < n; i++) {
        if (f[i].num > f[i].denom) continue;
        int sw = TJSCALED(w, f[i]), sh = TJSCALED(h, f[i]);
        if (sw >= min_side && sh >= min_side && (long)sw * sh < best_area) {
            best = f[i];
            best_area = (long)sw * sh;
        }
    }
    return best;
}

static int decode_jpeg(const uint8_t *data, size_t len, const char *name, const gn_image_options *o,
                       gn_image *out, gn_error *err)
{
    tjhandle tj = tjInitDecompress();
    if (!tj) return gn_fail(err, GN_ENOMEM, "%s: cannot start the JPEG decoder", label(name));
    int w, h, subsamp, colorspace, rc = 0;
    uint8_t *pixels = NULL;
    if (tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &subsamp, &colorspace)) {
        rc =
            gn_fail(err, GN_EINPUT, "%s: broken JPEG header (%s)", label(name), tjGetErrorStr2(tj));
        goto done;
    }
    if ((rc = check_size(name, "JPEG", w, h, o, err))) goto done;
    int min_side = o && o->jpeg_min_side ? o->jpeg_min_side : GN_IMAGE_JPEG_MIN_SIDE;
    tjscalingfactor sf = jpeg_scale(w, h, min_side);
    int sw = TJSCALED(w, sf), sh = TJSCALED(h, sf);
    /* At full size, colour is decoded to RGB and weighted here rather than
     * taking the JPEG's own Y channel: Y is rounded to whole levels, and on
     * small near-flat pictures those roundings decide the hash (36 bits on
     * q0003). A scaled decode averages many pixels per output, so there the
     * Y channel alone serves, and skipping the colour work is most of the
     * remaining speed. CMYK has no Y channel to take. */
    int scaled = sf.num < sf.denom;
    int pf = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK ? TJPF_CMYK
             : colorspace == TJCS_GRAY || scaled                ? TJPF_GRAY
                                                                : TJPF_RGB;
    int bytes = tjPixelSize[pf];
    size_t n = (size_t)sw * sh;
    pixels = malloc(n * bytes);
    out->luma = malloc(n * sizeof *out->luma);
    if (!pixels || !out->luma) {
        rc = gn_fail(err, GN_ENOMEM, "%s: out of memory for %dx%d pixels", label(name), sw, sh);
        goto done;
    }
    /* Warnings (a truncated file, corrupt data) are failures: a hash of a
     * half-grey picture would match nothing and mislead. LIMITSCANS refuses
     * progressive files built to burn CPU with thousands of scans. */
    if (tjDecompress2(tj, data, (unsigned long)len, pixels, sw, 0, sh, pf,
                      TJFLAG_STOPONWARNING | TJFLAG_LIMITSCANS)) {
        rc = gn_fail(err, GN_EINPUT, "%s: broken JPEG data (%s)", label(name), tjGetErrorStr2(tj));
        goto done;
    }
    to_luma(pixels, bytes, n, out->luma);
    out->width = sw;
    out->height = sh;
    out->source_width = w;
    out->source_height = h;
    out->format = GN_IMAGE_JPEG;
    rc = apply_orientation(out, gn_image_jpeg_orientation(data, len), name, err);
done:
    free(pixels);
    tjDestroy(tj);
    return rc;
}

/* --- PNG --------------------------------------------------------------- */

/* Everything libpng's longjmp may abandon lives here, in memory, so nothing
 * is lost or clobbered when an error jumps back. */
typedef struct png_job {
    const uint8_t *data;
    size_t len, pos;
    char message[200];
    uint8_t *rows;   /* interlaced files: the whole expanded picture */
    uint8_t *row;    /* otherwise one expanded row */
    png_bytep *ptrs; /* row pointers into rows */
    uint16_t *luma;
} png_job;

static void png_read_cb(png_structp png, png_bytep out, size_t n)
{
    png_job *job = png_get_io_ptr(png);
    if (n > job->len - job->pos) png_error(png, "file is truncated");
    memcpy(out, job->data + job->pos, n);
    job->pos += n;
}

static void png_error_cb(png_structp png, png_const_charp msg)
{
    png_job *job = png_get_error_ptr(png);
    snprintf(job->message, sizeof job->message, "%s", msg);
    png_longjmp(png, 1);
}

static void png_warning_cb(png_structp png, png_const_charp msg)
{
    (void)png, (void)msg; /* recoverable: libpng would only print them */
}

static void png_job_free(png_job *job)
{
    free(job->rows), free(job->row), free(job->ptrs), free(job->luma);
    job->rows = job->row = NULL;
    job->luma = NULL;
    job->ptrs = NULL;
}

static int decode_png(const uint8_t *data, size_t len, const char *name, const gn_image_options *o,
                      gn_image *out, gn_error *err)
{
    png_job job;
    memset(&job, 0, sizeof job);
    job.data = data;
    job.len = len;
    png_structp png =
        png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, png_error_cb, png_warning_cb);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return gn_fail(err, GN_ENOMEM, "%s: cannot start the PNG decoder", label(name));
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        png_job_free(&job);
        return gn_fail(err, GN_EINPUT, "%s: broken PNG (%s)", label(name), job.message);
    }
    png_set_read_fn(png, &job, png_read_cb);
    /* Text and other side chunks cannot ask for more than this. */
    png_set_chunk_malloc_max(png, 1u << 20);
    png_read_info(png, info);
    int w = (int)png_get_image_width(png, info), h = (int)png_get_image_height(png, info);
    int rc = check_size(name, "PNG", w, h, o, err);
    if (rc) {
        png_destroy_read_struct(&png, &info, NULL);
        return rc;
    }
    /* Palette, low bit depths and 16 bits become 8-bit grey or RGB; alpha is
     * dropped, not composited, as Meta's reference hashers do. */
    png_set_expand(png);
    png_set_scale_16(png);
    png_set_strip_alpha(png);
    int passes = png_set_interlace_handling(png);
    png_read_update_info(png, info);
    int channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if ((channels != 1 && channels != 3) || rowbytes < (size_t)w * channels)
        png_error(png, "unexpected pixel layout");
    job.luma = malloc((size_t)w * h * sizeof *job.luma);
    if (!job.luma) png_error(png, "out of memory");
    if (passes > 1) {
        job.rows = malloc(rowbytes * h);
        job.ptrs = malloc(sizeof *job.ptrs * h);
        if (!job.rows || !job.ptrs) png_error(png, "out of memory");
        for (int y = 0; y < h; y++)
            job.ptrs[y] = job.rows + rowbytes * y;
        png_read_image(png, job.ptrs);
        for (int y = 0; y < h; y++)
            to_luma(job.ptrs[y], channels, (size_t)w, job.luma + (size_t)y * w);
    } else {
        job.row = malloc(rowbytes);
        if (!job.row) png_error(png, "out of memory");
        for (int y = 0; y < h; y++) {
            png_read_row(png, job.row, NULL);
            to_luma(job.row, channels, (size_t)w, job.luma + (size_t)y * w);
        }
    }
    png_destroy_read_struct(&png, &info, NULL);
    out->luma = job.luma;
    job.luma = NULL;
    png_job_free(&job);
    out->width = out->source_width = w;
    out->height = out->source_height = h;
    out->format = GN_IMAGE_PNG;
    return 0;
}

/* --- WebP -------------------------------------------------------------- */

static int decode_webp(const uint8_t *data, size_t len, const char *name, const gn_image_options *o,
                       gn_image *out, gn_error *err)
{
    WebPBitstreamFeatures f;
    if (WebPGetFeatures(data, len, &f) != VP8_STATUS_OK)
        return gn_fail(err, GN_EINPUT, "%s: broken WebP header", label(name));
    if (f.has_animation)
        return gn_fail(err, GN_EINPUT, "%s: animated WebP is not supported", label(name));
    int rc = check_size(name, "WebP", f.width, f.height, o, err);
    if (rc) return rc;
    size_t n = (size_t)f.width * f.height;
    uint8_t *rgb = malloc(3 * n);
    uint16_t *luma = malloc(n * sizeof *luma);
    if (!rgb || !luma) {
        free(rgb), free(luma);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory for %dx%d pixels", label(name), f.width,
                       f.height);
    }
    if (!WebPDecodeRGBInto(data, len, rgb, 3 * n, 3 * f.width)) {
        free(rgb), free(luma);
        return gn_fail(err, GN_EINPUT, "%s: broken WebP data", label(name));
    }
    to_luma(rgb, 3, n, luma);
    free(rgb);
    out->luma = luma;
    out->width = out->source_width = f.width;
    out->height = out->source_height = f.height;
    out->format = GN_IMAGE_WEBP;
    return 0;
}

/* --- entry points ------------------------------------------------------ */

int gn_image_decode(const void *data, size_t len, const char *name, const gn_image_options *options,
                    gn_image *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    if (!data || len == 0) return gn_fail(err, GN_EINPUT, "%s: empty file", label(name));
    int rc;
    switch (sniff(data, len)) {
    case GN_IMAGE_JPEG:
        rc = decode_jpeg(data, len, name, options, out, err);
        break;
    case GN_IMAGE_PNG:
        rc = decode_png(data, len, name, options, out, err);
        break;
    case GN_IMAGE_WEBP:
        rc = decode_webp(data, len, name, options, out, err);
        break;
    default:
        return gn_fail(err, GN_EINPUT, "%s: not a JPEG, PNG or WebP image", label(name));
    }
    if (rc) {
        gn_image_free(out);
        out->orientation = 1;
    }
    return rc;
}

int gn_image_load(const char *path, const gn_image_options *options, gn_image *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    FILE *f = fopen(path, "rb");
    if (!f) return gn_fail(err, GN_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    struct stat st;
    if (fstat(fileno(f), &st) || !S_ISREG(st.st_mode)) {
        fclose(f);
        return gn_fail(err, GN_EINPUT, "%s: not a regular file", path);
    }
    if ((uint64_t)st.st_size > GN_IMAGE_MAX_FILE_BYTES) {
        fclose(f);
        return gn_fail(err, GN_EINPUT, "%s: %lld bytes is over the limit of %u bytes; refused",
                       path, (long long)st.st_size, GN_IMAGE_MAX_FILE_BYTES);
    }
    size_t size = (size_t)st.st_size;
    uint8_t *data = malloc(size ? size : 1);
    if (!data) {
        fclose(f);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory reading %zu bytes", path, size);
    }
    size_t got = fread(data, 1, size, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got != size) {
        free(data);
        return gn_fail(err, GN_EINPUT, "%s: read error", path);
    }
    int rc = gn_image_decode(data, size, path, options, out, err);
    free(data);
    return rc;
}

void gn_image_free(gn_image *img)
{
    if (!img) return;
    free(img->luma);
    img->luma = NULL;
    img->width = img->height = 0;
}
