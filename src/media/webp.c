/* WebP decoding (libwebp): still pictures only, to RGB, then luminance. */
#include <stdint.h>
#include <stdlib.h>
#include <webp/decode.h>

#include "core/alloc.h"
#include "core/error.h"
#include "media/codec.h"

int gn_image_decode_webp(const uint8_t *data, size_t len, const char *name,
                         const gn_image_options *o, gn_image *out, gn_error *err)
{
    WebPBitstreamFeatures f;
    if (WebPGetFeatures(data, len, &f) != VP8_STATUS_OK)
        return gn_fail(err, GN_EINPUT, "%s: broken WebP header", gn_image_label(name));
    if (f.has_animation)
        return gn_fail(err, GN_EINPUT, "%s: animated WebP is not supported", gn_image_label(name));
    int rc = gn_image_check_size(name, "WebP", f.width, f.height, o, err);
    if (rc) return rc;
    size_t n = (size_t)f.width * f.height;
    uint8_t *rgb = gn_xmalloc(3 * n);
    uint16_t *luma = gn_xmalloc(n * sizeof *luma);
    if (!rgb || !luma) {
        free(rgb), free(luma);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory for %dx%d pixels", gn_image_label(name),
                       f.width, f.height);
    }
    if (!WebPDecodeRGBInto(data, len, rgb, 3 * n, 3 * f.width)) {
        free(rgb), free(luma);
        return gn_fail(err, GN_EINPUT, "%s: broken WebP data", gn_image_label(name));
    }
    gn_image_to_luma(rgb, 3, n, luma);
    free(rgb);
    out->luma = luma;
    out->width = out->source_width = f.width;
    out->height = out->source_height = f.height;
    out->format = GN_IMAGE_WEBP;
    return 0;
}
