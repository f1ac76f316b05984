/* libFuzzer target for image decoding and PDQ hashing from memory: any bytes
 * in, a hash or an error naming the input out; never a crash, a leak, an
 * out-of-bounds read (EXIF included) or undefined behaviour. A low pixel
 * limit keeps each run fast and also exercises the size refusals. Besides
 * the sniffed decode, each codec of src/media (jpeg.c, png.c, webp.c) gets
 * the same bytes directly, whatever they start with, and the JPEG decoder
 * is kept from run to run, as a thread keeps it, so state one picture
 * leaves behind is exercised by the next. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "media/codec.h"
#include "media/image.h"
#include "media/pdq.h"
#include "media/regions.h"

/* Each codec on its own: an error names the input and leaves nothing. */
static void codec(int which, gn_image_decoder *dec, const uint8_t *data, size_t size,
                  const gn_image_options *options)
{
    gn_image img;
    memset(&img, 0, sizeof img);
    gn_error err;
    err.message[0] = 0;
    int rc = which == 0   ? gn_image_decode_jpeg(dec, data, size, "fuzz", options, &img, &err)
             : which == 1 ? gn_image_decode_png(data, size, "fuzz", options, &img, &err)
                          : gn_image_decode_webp(data, size, "fuzz", options, &img, &err);
    if (rc != 0) {
        assert(err.message[0] && strstr(err.message, "fuzz"));
    } else {
        assert(img.width > 0 && img.height > 0);
        assert((uint64_t)img.width * (uint64_t)img.height <= options->max_pixels);
    }
    gn_image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_image_options options = {.max_pixels = 1u << 20, .jpeg_min_side = 0};
    gn_image img;
    gn_error err;
    err.message[0] = 0;
    (void)gn_image_jpeg_orientation(data, size);
    static gn_image_decoder *dec;
    if (!dec && gn_image_decoder_new(&dec, &err) != 0) return 0;
    for (int which = 0; which < 3 && size > 0; which++)
        codec(which, dec, data, size, &options);
    if (gn_image_decode(data, size, "fuzz", &options, &img, &err) != 0) {
        assert(err.message[0] && strstr(err.message, "fuzz"));
        assert(img.luma == NULL);
        return 0;
    }
    assert(img.width > 0 && img.height > 0);
    assert((uint64_t)img.width * (uint64_t)img.height <= options.max_pixels);
    gn_pdq_hash v[GN_PDQ_DIHEDRAL_COUNT];
    int quality = -1;
    int rc = gn_pdq_hash_image_dihedral(&img, v, &quality, &err);
    assert(rc == 0 && quality >= 0 && quality <= 100);
    /* The border, the regions and the parts, on pictures of any shape. */
    gn_pdq_robust more;
    rc = gn_pdq_hash_robust(&img, 1, 1, &more, &err);
    assert(rc == 0 && more.n_regions <= GN_PDQ_REGIONS && more.n_parts <= GN_PDQ_PARTS);
    gn_image_free(&img);
    return 0;
}
