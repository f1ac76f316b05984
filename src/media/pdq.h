/* PDQ perceptual image hashing (Meta's PDQ): a 256-bit hash of an image's
 * luminance whose Hamming distance tracks visual similarity, with a 0-100
 * quality figure, the eight rotations/flips from one pass, and hex text. */
#ifndef GN_MEDIA_PDQ_H
#define GN_MEDIA_PDQ_H

#include <stddef.h>
#include <stdint.h>

#include "media/image.h"
#include "genuine.h"

/* Bit k of the hash (k = 16 * row + column of the 16x16 DCT block) is bit
 * k % 64 of w[k / 64]; the hex text is the 256-bit number written most
 * significant digit first, as Meta's reference tools print it. */
typedef struct gn_pdq_hash {
    uint64_t w[4];
} gn_pdq_hash;

#define GN_PDQ_HEX_LEN 64
#define GN_PDQ_BITS 256

/* The usual threshold: two hashes within this distance show the same picture. */
#define GN_PDQ_MATCH_DISTANCE 31

/* Below this quality the picture is too flat for its hash to mean much
 * (Meta's guidance); callers decide what to do with such hashes. */
#define GN_PDQ_MIN_QUALITY 50

/* The eight dihedral variants, in the order Meta's reference names them. */
typedef enum gn_pdq_dihedral {
    GN_PDQ_ORIGINAL = 0,
    GN_PDQ_ROTATE_90,
    GN_PDQ_ROTATE_180,
    GN_PDQ_ROTATE_270,
    GN_PDQ_FLIP_X,
    GN_PDQ_FLIP_Y,
    GN_PDQ_FLIP_PLUS_1,
    GN_PDQ_FLIP_MINUS_1,
    GN_PDQ_DIHEDRAL_COUNT
} gn_pdq_dihedral;

/* "original", "rotate-90", ... as in the reference's file names. */
const char *gn_pdq_dihedral_name(gn_pdq_dihedral d);

/* Hashes an 8-bit grey image of width x height pixels whose rows start
 * `stride` bytes apart. Any size from 1x1 up works; large images are first
 * averaged down to at most 512 on a side (the reference does the same), so
 * time and memory stay bounded. Fails only on a bad size or out of memory. */
int gn_pdq_hash_luma(const uint8_t *luma, int width, int height, size_t stride, gn_pdq_hash *hash,
                     int *quality, gn_error *err);

/* Hashes a decoded image (its 8.8 fixed-point luminance). */
int gn_pdq_hash_image(const gn_image *img, gn_pdq_hash *hash, int *quality, gn_error *err);

/* The same single pass, yielding all eight dihedral variants (indexed by
 * gn_pdq_dihedral): the DCT of a rotated or flipped picture is the original's
 * DCT transposed and with signs changed, so only the threshold is redone. */
int gn_pdq_hash_image_dihedral(const gn_image *img, gn_pdq_hash out[GN_PDQ_DIHEDRAL_COUNT],
                               int *quality, gn_error *err);

/* Decode (media/image.h) and hash in one call; `name` names the input in
 * error messages. options may be NULL for the defaults. */
int gn_pdq_hash_memory(const void *data, size_t len, const char *name,
                       const gn_image_options *options, gn_pdq_hash *hash, int *quality,
                       gn_error *err);
int gn_pdq_hash_file(const char *path, const gn_image_options *options, gn_pdq_hash *hash,
                     int *quality, gn_error *err);

/* Number of differing bits, 0..256. */
int gn_pdq_distance(const gn_pdq_hash *a, const gn_pdq_hash *b);

/* Writes 64 lower-case hex digits and a NUL. */
void gn_pdq_format(const gn_pdq_hash *hash, char out[GN_PDQ_HEX_LEN + 1]);

/* Reads exactly 64 hex digits (either case) from text[0..len). */
int gn_pdq_parse(const char *text, size_t len, gn_pdq_hash *hash, gn_error *err);

#endif
