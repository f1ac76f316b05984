/* What the codecs of media/ share, inside the media room only: the size
 * check every codec makes from its header before allocating, luminance from
 * pixels, and each codec's decode (jpeg.c, png.c, webp.c; image.c picks one). */
#ifndef GN_MEDIA_CODEC_H
#define GN_MEDIA_CODEC_H

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"

/* name, or "image" when there is none: what error messages quote. */
const char *gn_image_label(const char *name);

/* GN_EINPUT unless 0 < w, h and w x h is within the options' pixel limit. */
int gn_image_check_size(const char *name, const char *format, int w, int h,
                        const gn_image_options *o, gn_error *err);

/* Rec. 601 luma (the weights JPEG's Y channel and the PDQ reference use) in
 * 8.8 fixed point; the weights sum to 65536, so white is 255 << 8. */
static inline uint16_t gn_image_luma_of(unsigned r, unsigned g, unsigned b)
{
    return (uint16_t)((19595u * r + 38470u * g + 7471u * b + 128u) >> 8);
}

/* Converts n packed pixels of 1 (grey), 3 (RGB) or 4 (inverted CMYK, as
 * libjpeg returns Adobe files) bytes to luminance. */
static inline void gn_image_to_luma(const uint8_t *px, int bytes, size_t n, uint16_t *out)
{
    for (size_t i = 0; i < n; i++, px += bytes) {
        if (bytes == 1)
            out[i] = (uint16_t)(px[0] << 8);
        else if (bytes == 3)
            out[i] = gn_image_luma_of(px[0], px[1], px[2]);
        else
            out[i] =
                gn_image_luma_of(px[0] * px[3] / 255u, px[1] * px[3] / 255u, px[2] * px[3] / 255u);
    }
}

/* Each codec decodes data[0..len) into out (left for the caller to free on
 * failure). The JPEG one keeps its state in dec. */
int gn_image_decode_jpeg(gn_image_decoder *dec, const uint8_t *data, size_t len, const char *name,
                         const gn_image_options *o, gn_image *out, gn_error *err);
int gn_image_decode_png(const uint8_t *data, size_t len, const char *name,
                        const gn_image_options *o, gn_image *out, gn_error *err);
int gn_image_decode_webp(const uint8_t *data, size_t len, const char *name,
                         const gn_image_options *o, gn_image *out, gn_error *err);

/* The decoder's file buffer, kept between gn_image_load_with calls. */
uint8_t **gn_image_decoder_file(gn_image_decoder *dec, size_t **cap);

#endif
