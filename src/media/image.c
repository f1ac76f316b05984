/* Image decoding to one upright luminance plane, for perceptual hashing:
 * the format is sniffed from the first bytes and the codec of that format
 * (jpeg.c, png.c, webp.c) decodes; files are read whole after a size check.
 * Every failure names the input and says what was wrong. */
#include "media/image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/error.h"
#include "media/codec.h"

const char *gn_image_label(const char *name)
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

int gn_image_check_size(const char *name, const char *format, int w, int h,
                        const gn_image_options *o, gn_error *err)
{
    if (w <= 0 || h <= 0)
        return gn_fail(err, GN_EINPUT, "%s: %s header gives an empty size %dx%d",
                       gn_image_label(name), format, w, h);
    uint64_t limit = max_pixels(o);
    if ((uint64_t)w * (uint64_t)h > limit)
        return gn_fail(err, GN_EINPUT,
                       "%s: %s of %dx%d pixels is over the limit of %llu pixels; refused",
                       gn_image_label(name), format, w, h, (unsigned long long)limit);
    return 0;
}

/* --- entry points ------------------------------------------------------ */

int gn_image_decode_with(gn_image_decoder *dec, const void *data, size_t len, const char *name,
                         const gn_image_options *options, gn_image *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    if (!data || len == 0) return gn_fail(err, GN_EINPUT, "%s: empty file", gn_image_label(name));
    int rc;
    switch (sniff(data, len)) {
    case GN_IMAGE_JPEG:
        if (dec) {
            rc = gn_image_decode_jpeg(dec, data, len, name, options, out, err);
        } else { /* a decoder for this picture alone */
            gn_image_decoder *own;
            rc = gn_image_decoder_new(&own, err);
            if (rc == 0) rc = gn_image_decode_jpeg(own, data, len, name, options, out, err);
            gn_image_decoder_free(own);
        }
        break;
    case GN_IMAGE_PNG:
        rc = gn_image_decode_png(data, len, name, options, out, err);
        break;
    case GN_IMAGE_WEBP:
        rc = gn_image_decode_webp(data, len, name, options, out, err);
        break;
    default:
        return gn_fail(err, GN_EINPUT, "%s: not a JPEG, PNG or WebP image", gn_image_label(name));
    }
    if (rc) {
        gn_image_free(out);
        out->orientation = 1;
    }
    return rc;
}

int gn_image_decode(const void *data, size_t len, const char *name, const gn_image_options *options,
                    gn_image *out, gn_error *err)
{
    return gn_image_decode_with(NULL, data, len, name, options, out, err);
}

int gn_image_read_fd(int fd, const char *name, size_t max_bytes, uint8_t **buf, size_t *cap,
                     size_t *size, gn_error *err)
{
    struct stat st;
    if (fstat(fd, &st) || !S_ISREG(st.st_mode))
        return gn_fail(err, GN_EINPUT, "%s: not a regular file", name);
    if (max_bytes == 0 || max_bytes > GN_IMAGE_MAX_FILE_BYTES) max_bytes = GN_IMAGE_MAX_FILE_BYTES;
    if ((uint64_t)st.st_size > max_bytes)
        return gn_fail(err, GN_EINPUT, "%s: %lld bytes is over the limit of %zu bytes; refused",
                       name, (long long)st.st_size, max_bytes);
    size_t want = (size_t)st.st_size;
    if (want + 1 > *cap) {
        uint8_t *p = gn_xmalloc(want + 1);
        free(*buf);
        *buf = p;
        *cap = want + 1;
    }
    /* One read() normally; more only if the file grew or a read was short. */
    size_t got = 0;
    while (got < want) {
        ssize_t r = read(fd, *buf + got, want - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    if (got != want) return gn_fail(err, GN_EINPUT, "%s: read error", name);
    *size = want;
    return 0;
}

/* Reads a whole regular file into *buf (grown as needed, kept by the
 * caller), checking its size first. O_NONBLOCK: a FIFO or a device opens
 * without waiting for a writer, and is then refused as not a regular file. */
static int read_file(const char *path, uint8_t **buf, size_t *cap, size_t *size, gn_error *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return gn_fail(err, GN_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    int rc = gn_image_read_fd(fd, path, 0, buf, cap, size, err);
    close(fd);
    return rc;
}

int gn_image_load_with(gn_image_decoder *dec, const char *path, const gn_image_options *options,
                       gn_image *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    out->orientation = 1;
    uint8_t *own = NULL;
    size_t own_cap = 0, size = 0;
    size_t *cap = &own_cap;
    uint8_t **buf = dec ? gn_image_decoder_file(dec, &cap) : &own;
    int rc = read_file(path, buf, cap, &size, err);
    if (rc == 0) rc = gn_image_decode_with(dec, *buf, size, path, options, out, err);
    free(own);
    return rc;
}

int gn_image_load(const char *path, const gn_image_options *options, gn_image *out, gn_error *err)
{
    return gn_image_load_with(NULL, path, options, out, err);
}

void gn_image_free(gn_image *img)
{
    if (!img) return;
    free(img->luma);
    img->luma = NULL;
    img->width = img->height = 0;
}