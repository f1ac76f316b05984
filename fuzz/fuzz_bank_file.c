/* libFuzzer target for shared photo-bank files (src/media/bank_file.c): any
 * bytes read as genuine's signed format (against a fixed key) and as HMA's
 * CSV; never a crash, and every entry handed over has a valid brand and
 * time. A file written by gn_bank_file_write from the entries of an accepted
 * HMA file reads back with the same entries. */
#include <assert.h>
#include <sodium.h>
#include <stdint.h>
#include <string.h>

#include "core/clock.h"
#include "media/bank_file.h"

typedef struct seen {
    gn_bank_entry items[64];
    char brands[64][257];
    size_t n;
} seen;

static int take(void *ctx, const gn_bank_entry *e, gn_error *err)
{
    seen *s = ctx;
    size_t len = strlen(e->brand);
    assert(len <= 256);
    int64_t ms;
    assert(!e->first_seen[0] || gn_time_parse(e->first_seen, &ms) == 0);
    if (s->n < 64) {
        memcpy(s->brands[s->n], e->brand, len + 1);
        s->items[s->n] = *e;
        s->items[s->n].brand = s->brands[s->n];
        s->items[s->n].first_seen = "";
        s->n++;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static unsigned char pk[GN_BANK_KEY_PUBLIC], sk[GN_BANK_KEY_SECRET];
    static int ready;
    if (!ready) {
        unsigned char seed[crypto_sign_SEEDBYTES] = {1};
        assert(sodium_init() >= 0);
        crypto_sign_seed_keypair(pk, sk, seed);
        ready = 1;
    }
    gn_error err;
    seen a = {0};
    gn_bank_file_read((const char *)data, size, GN_BANK_FILE_GENUINE, pk, take, &a, &err);
    seen h = {0};
    if (gn_bank_file_read((const char *)data, size, GN_BANK_FILE_HMA, pk, take, &h, &err) == 0 &&
        h.n > 0 && h.n < 64) {
        for (size_t i = 0; i < h.n; i++) /* brands as written: one tag, no spaces */
            h.brands[i][strcspn(h.brands[i], " \t")] = 0;
        gn_buf out = {0};
        gn_bank_file_write(&out, GN_BANK_FILE_GENUINE, "fuzz", "2026-01-01T00:00:00Z", h.items, h.n,
                           sk);
        seen back = {0};
        int rc = gn_bank_file_read(out.data, out.len, GN_BANK_FILE_GENUINE, pk, take, &back, &err);
        assert(rc == 0 && back.n == h.n);
        for (size_t i = 0; i < h.n; i++) {
            assert(memcmp(&back.items[i].hash, &h.items[i].hash, sizeof h.items[i].hash) == 0);
            assert(back.items[i].withdrawn == h.items[i].withdrawn);
            assert(h.items[i].withdrawn || strcmp(back.brands[i], h.brands[i]) == 0);
        }
        gn_buf_free(&out);
    }
    return 0;
}
