/* Image decoding for perceptual hashing: JPEG (libjpeg-turbo's libjpeg API), PNG (libpng)
 * and WebP (libwebp) in, one upright 8-bit luminance plane out. Sizes are
 * checked from the header before anything large is allocated, so a small
 * file that claims a huge picture (a decompression bomb) is refused cheaply. */
#ifndef GN_MEDIA_IMAGE_H
#define GN_MEDIA_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "genuine.h"

/* Pictures larger than this (width x height, from the header) are refused. */
#define GN_IMAGE_MAX_PIXELS (50u * 1000u * 1000u)
/* Files larger than this are refused before being read whole. */
#define GN_IMAGE_MAX_FILE_BYTES (64u << 20)
/* JPEG scaled decoding keeps both sides at least this long: four times
 * PDQ's 64x64 grid. Twice (128) was measured too coarse: fine textures such
 * as the conformance set's q0122 then move by 34 bits. */
#define GN_IMAGE_JPEG_MIN_SIDE 256
/* Larger JPEGs, whose 1/8 picture (one pixel per 8x8 block) keeps both
 * sides at least this long, are decoded from their DC coefficients alone,
 * in 8.8 fixed point: about two pixels per PDQ sample. A progressive file is
 * then read only as far as its DC scans. Measured on the 1600x1004
 * conformance photos (126 pixels); smaller has not been measured. */
#define GN_IMAGE_JPEG_DC_MIN_SIDE 120

typedef enum gn_image_format {
    GN_IMAGE_UNKNOWN = 0,
    GN_IMAGE_JPEG,
    GN_IMAGE_PNG,
    GN_IMAGE_WEBP
} gn_image_format;

typedef struct gn_image_options {
    uint64_t max_pixels; /* 0: GN_IMAGE_MAX_PIXELS */
    /* 0: the defaults (GN_IMAGE_JPEG_MIN_SIDE, and DC alone from
     * GN_IMAGE_JPEG_DC_MIN_SIDE); N > 0: the smallest scale, 1/8 (DC alone)
     * included, that keeps both sides >= N; negative: always full size. */
    int jpeg_min_side;
} gn_image_options;

/* A decoded picture: width x height luminance values, rows packed, already
 * turned upright by the JPEG's EXIF orientation. Luminance (Rec. 601 weights
 * of R, G, B, 0..255) is kept in 8.8 fixed point, 0..65280: rounding it to
 * whole bytes moves the hash of a near-flat picture by 30+ bits, since there
 * the fraction is all the signal left. */
typedef struct gn_image {
    uint16_t *luma;
    int width, height;
    int source_width, source_height; /* as stored in the file, before scaling */
    int orientation;                 /* EXIF orientation applied, 1..8 (1: none) */
    /* JPEG scaled decoding: each pixel stands for scale_denom/scale_num
     * source pixels along each axis (the last row and column for what is
     * left). 0/0 or equal: one pixel each. PDQ uses it to sample where it
     * would at full size. */
    int scale_num, scale_denom;
    gn_image_format format;
} gn_image;

/* A JPEG decoder kept between pictures: the libjpeg decompressor, its
 * coefficient memory and the read buffer, so decoding many pictures
 * allocates nothing per picture (for a progressive photo, fresh memory was
 * half the decode time). Not shared between threads: one per thread, owned
 * by the caller. */
typedef struct gn_image_decoder gn_image_decoder;

int gn_image_decoder_new(gn_image_decoder **out, gn_error *err);
void gn_image_decoder_free(gn_image_decoder *dec);

/* Decodes data[0..len). `name` (a file name or URL) is quoted in error
 * messages; options may be NULL. On failure *out is left empty. */
int gn_image_decode(const void *data, size_t len, const char *name, const gn_image_options *options,
                    gn_image *out, gn_error *err);

/* Reads and decodes a file (at most GN_IMAGE_MAX_FILE_BYTES). */
int gn_image_load(const char *path, const gn_image_options *options, gn_image *out, gn_error *err);

/* The same with a decoder kept by the caller (NULL: one for this call). */
int gn_image_decode_with(gn_image_decoder *dec, const void *data, size_t len, const char *name,
                         const gn_image_options *options, gn_image *out, gn_error *err);
int gn_image_load_with(gn_image_decoder *dec, const char *path, const gn_image_options *options,
                       gn_image *out, gn_error *err);

/* Reads the whole regular file open at fd into *buf (grown as needed, kept
 * by the caller): GN_EINPUT, naming `name`, for anything but a regular file
 * or one over max_bytes (0, or above GN_IMAGE_MAX_FILE_BYTES: that). */
int gn_image_read_fd(int fd, const char *name, size_t max_bytes, uint8_t **buf, size_t *cap,
                     size_t *size, gn_error *err);

void gn_image_free(gn_image *img);

/* "JPEG", "PNG", "WebP" or "unknown". */
const char *gn_image_format_name(gn_image_format f);

/* Reads the EXIF orientation (1..8) from a JPEG's APP1 segment; 1 when there
 * is none or it cannot be read. Exposed for tests. */
int gn_image_jpeg_orientation(const uint8_t *data, size_t len);

#endif
