/* The codes' secret and what is derived from it. One 32-byte key per store,
 * in a file beside it (mode 0600), never in the store: a batch's codes are
 * its slice of a keystream under a key made from that one and the batch id,
 * so a replay derives the same codes and the log holds none; the table in
 * memory holds SipHash-128 tags of them under a second derived key. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "codes/codes.h"
#include "core/error.h"

#define CONTEXT "gncodes_" /* crypto_kdf's 8-byte context */

static void keys_from(const uint8_t master[32], gn_codes_key *key)
{
    uint8_t fp[crypto_kdf_BYTES_MIN]; /* the KDF makes no less; 8 bytes of it name the key */
    crypto_kdf_derive_from_key(key->derive, sizeof key->derive, 1, CONTEXT, master);
    crypto_kdf_derive_from_key(key->tag, sizeof key->tag, 2, CONTEXT, master);
    crypto_kdf_derive_from_key(fp, sizeof fp, 3, CONTEXT, master);
    sodium_bin2hex(key->fingerprint, sizeof key->fingerprint, fp, 8);
}

int gn_codes_key_load(const char *path, int create, gn_codes_key *key, int *created, gn_error *err)
{
    *created = 0;
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    uint8_t master[32];
    char text[2 * sizeof master + 2];
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0 && errno == ENOENT && create) {
        randombytes_buf(master, sizeof master);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
        if (fd < 0) return gn_fail(err, GN_ESTORE, "%s: cannot create (%s)", path, strerror(errno));
        sodium_bin2hex(text, sizeof text - 1, master, sizeof master);
        text[2 * sizeof master] = '\n';
        ssize_t w = write(fd, text, 2 * sizeof master + 1);
        int ok = w == (ssize_t)(2 * sizeof master + 1) && fsync(fd) == 0;
        close(fd);
        sodium_memzero(text, sizeof text);
        if (!ok) return gn_fail(err, GN_ESTORE, "%s: cannot write the codes key", path);
        *created = 1;
        keys_from(master, key);
        sodium_memzero(master, sizeof master);
        return 0;
    }
    if (fd < 0)
        return gn_fail(err, GN_ESTORE, "%s: cannot open the codes key (%s)", path, strerror(errno));
    ssize_t r = read(fd, text, sizeof text);
    close(fd);
    size_t got = 0;
    if (r < (ssize_t)(2 * sizeof master) ||
        sodium_hex2bin(master, sizeof master, text, 2 * sizeof master, NULL, &got, NULL) != 0 ||
        got != sizeof master) {
        sodium_memzero(text, sizeof text);
        return gn_fail(err, GN_EINPUT, "%s: not a genuine codes key (64 hex digits)", path);
    }
    sodium_memzero(text, sizeof text);
    keys_from(master, key);
    sodium_memzero(master, sizeof master);
    return 0;
}

/* A batch's own key: BLAKE2b of its id under the derive key. Its codes are
 * consecutive 16-byte pieces of the ChaCha20 keystream under that key (the
 * first 95 bits of each): a stream cipher's output is indistinguishable
 * from random to whoever lacks the key, and ten million codes cost 160 MB
 * of keystream, a fraction of a second. */
static void batch_key(const gn_codes_key *key, const char *batch,
                      uint8_t out[crypto_stream_chacha20_KEYBYTES])
{
    crypto_generichash(out, crypto_stream_chacha20_KEYBYTES, (const unsigned char *)batch,
                       strlen(batch), key->derive, sizeof key->derive);
}

enum { PER_BLOCK = 4 }; /* codes in one 64-byte ChaCha20 block */

void gn_codes_derive_many(const gn_codes_key *key, const char *batch, uint64_t first, size_t count,
                          gn_code *out)
{
    static const uint8_t nonce[crypto_stream_chacha20_NONCEBYTES] = {0};
    uint8_t k[crypto_stream_chacha20_KEYBYTES];
    batch_key(key, batch, k);
    uint8_t stream[64 * 64];
    uint64_t block = first / PER_BLOCK;
    size_t skip = (size_t)(first % PER_BLOCK), done = 0;
    while (done < count) {
        size_t want_blocks = (skip + count - done + PER_BLOCK - 1) / PER_BLOCK;
        if (want_blocks > 64) want_blocks = 64;
        memset(stream, 0, want_blocks * 64);
        crypto_stream_chacha20_xor_ic(stream, stream, want_blocks * 64, nonce, block, k);
        for (size_t i = skip; i < want_blocks * PER_BLOCK && done < count; i++, done++) {
            memcpy(out[done].bits, stream + 16 * i, GN_CODE_BYTES);
            out[done].bits[GN_CODE_BYTES - 1] &= 0xfe; /* 95 bits */
        }
        block += want_blocks;
        skip = 0;
    }
    sodium_memzero(k, sizeof k);
    sodium_memzero(stream, sizeof stream);
}

void gn_codes_derive(const gn_codes_key *key, const char *batch, uint64_t index, gn_code *out)
{
    gn_codes_derive_many(key, batch, index, 1, out);
}

void gn_codes_tag(const gn_codes_key *key, const gn_code *code, gn_code_tag *out)
{
    uint8_t h[crypto_shorthash_siphashx24_BYTES];
    crypto_shorthash_siphashx24(h, code->bits, GN_CODE_BYTES, key->tag);
    memcpy(&out->lo, h, 8);
    memcpy(&out->hi, h + 8, 4);
}
