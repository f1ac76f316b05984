/* Text fingerprints: near-identical descriptions agree on most minimums and
 * are found through the index; different texts are not. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "core/rng.h"
/* The source itself, to reach both shingling paths (AVX2 and plain C). */
#include "detect/minhash.c"

static const char *description =
    "Brand new luxury shoulder bag made of genuine calf leather with gold tone hardware, "
    "adjustable strap, inner zip pocket and two card slots. Comes with dust bag, box and "
    "authenticity card. Fast shipping from our warehouse, tracking number provided, "
    "returns accepted within seven days if the item is unused and in original packaging.";

static void found(void *ctx, uint32_t owner, int agree)
{
    int *hits = ctx;
    hits[owner]++;
}

static void test_near_and_far(void **state)
{
    gn_minhash a, b, c, d;
    assert_int_equal(gn_minhash_text("Luxury shoulder bag", description, &a), 0);
    char edited[1024];
    snprintf(edited, sizeof edited, "%s", description);
    memcpy(strstr(edited, "seven"), "three", 5); /* one word changed */
    assert_int_equal(gn_minhash_text("Luxury shoulder bag", edited, &b), 0);
    assert_int_equal(gn_minhash_text("Stainless steel kitchen knife set",
                                     "Six forged knives with a wooden block, dishwasher safe, "
                                     "lifetime warranty, made in Germany by a family company.",
                                     &c),
                     0);
    assert_int_equal(gn_minhash_text("LUXURY   Shoulder-Bag", description, &d), 0);
    assert_true(gn_minhash_agree(&a, &b) >= GN_MINHASH_SAME);
    assert_int_equal(gn_minhash_agree(&a, &d), GN_MINHASH_K); /* case and punctuation fold */
    assert_true(gn_minhash_agree(&a, &c) <= 1);
    gn_minhash e;
    assert_int_equal(gn_minhash_text("too short", "only five words here", &e), -1);

    gn_minhash_index *ix = gn_minhash_index_new();
    assert_int_equal(gn_minhash_index_add(ix, &a, 1, NULL), 0);
    assert_int_equal(gn_minhash_index_add(ix, &c, 2, NULL), 0);
    int hits[3] = {0};
    gn_minhash_index_near(ix, &b, 10, found, hits);
    assert_int_equal(hits[1], 1);
    assert_int_equal(hits[2], 0);
    gn_minhash_index_free(ix);
}

/* The fingerprint as first written, a byte at a time: the faster one must
 * give the same minimums for every text. */
static uint64_t reference_word(const unsigned char *s, size_t *pos)
{
    size_t i = *pos;
#define WORD_BYTE(c)                                                                               \
    ((c) >= 0x80 || ((c) >= '0' && (c) <= '9') || (((c) | 32) >= 'a' && ((c) | 32) <= 'z'))
#define CJK_LEAD_BYTE(c) ((c) >= 0xe3 && (c) <= 0xe9)
    while (s[i] && !WORD_BYTE(s[i]))
        i++;
    if (!s[i]) {
        *pos = i;
        return 0;
    }
    uint64_t h = 1469598103934665603ULL;
    if (CJK_LEAD_BYTE(s[i])) {
        for (int k = 0; k < 3 && s[i]; k++, i++)
            h = (h ^ s[i]) * 1099511628211ULL;
    } else {
        while (s[i] && WORD_BYTE(s[i]) && !CJK_LEAD_BYTE(s[i])) {
            unsigned char c = s[i] < 0x80 ? (unsigned char)(s[i] | 32) : s[i];
            h = (h ^ c) * 1099511628211ULL;
            i++;
        }
    }
    *pos = i;
    return h | 1;
}

static int reference_text(const char *title, const char *body, uint32_t *min)
{
    uint64_t w[3] = {0};
    int words = 0;
    memset(min, 0xff, GN_MINHASH_K * sizeof *min);
    const char *parts[2] = {title, body};
    for (int p = 0; p < 2; p++) {
        size_t pos = 0;
        uint64_t h;
        while (parts[p] && (h = reference_word((const unsigned char *)parts[p], &pos))) {
            w[0] = w[1];
            w[1] = w[2];
            w[2] = h;
            if (++words < 3) continue;
            uint64_t g = mix(w[0] * 0x9e3779b97f4a7c15ULL ^ w[1] * 31 ^ w[2]);
            for (int k = 0; k < GN_MINHASH_K; k++) {
                uint64_t v =
                    (g ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(k + 1))) * 0xbf58476d1ce4e5b9ULL;
                uint32_t x = (uint32_t)(v >> 32);
                if (x < min[k]) min[k] = x;
            }
        }
    }
    return words >= 8 ? 0 : -1;
}

/* Random text: words of letters (either case) and digits, accented and CJK
 * characters, stray lead bytes, punctuation; long enough to cross runs. */
static size_t random_text(gn_rng *rng, char *out, size_t cap)
{
    static const char *const pieces[] = {"é",    "中",   "文",   " ",    ", ", "-", "\xe3",
                                         "\xe9", "\xc3", "\x80", "\xff", "\t", ".", "'"};
    size_t n = 0, want = gn_rng_next(rng) % (cap - 16);
    while (n < want) {
        uint64_t r = gn_rng_next(rng);
        if (r % 3) {
            size_t len = 1 + (r >> 8) % 12;
            for (size_t i = 0; i < len && n < cap - 16; i++) {
                uint64_t c = gn_rng_next(rng) % 64;
                out[n++] = c < 26   ? (char)('a' + c)
                           : c < 52 ? (char)('A' + c - 26)
                                    : (char)('0' + c % 10);
            }
        } else {
            const char *piece = pieces[(r >> 8) % (sizeof pieces / sizeof *pieces)];
            size_t len = strlen(piece);
            memcpy(out + n, piece, len);
            n += len;
        }
    }
    out[n] = 0;
    return n;
}

static void test_same_as_reference(void **state)
{
    gn_rng rng;
    gn_rng_seed(&rng, 5);
    static char title[200], text[4000];
    for (int round = 0; round < 3000; round++) {
        random_text(&rng, title, sizeof title);
        random_text(&rng, text, round % 10 ? 600 : sizeof text);
        const char *t = round % 7 == 0 ? NULL : title, *d = round % 11 == 0 ? NULL : text;
        gn_minhash got;
        uint32_t want[GN_MINHASH_K];
        int rc = gn_minhash_text(t, d, &got);
        assert_int_equal(rc, reference_text(t, d, want));
        assert_memory_equal(got.min, want, sizeof want);
    }
}

/* Both shingling paths give the same minimums, over runs of any length. */
static void test_shingling_paths_agree(void **state)
{
#if defined(__GNUC__) && defined(__x86_64__)
    if (!__builtin_cpu_supports("avx2")) skip();
    gn_rng rng;
    gn_rng_seed(&rng, 9);
    uint64_t words[300];
    for (int round = 0; round < 200; round++) {
        shingler a, b;
        memset(&a, 0, sizeof a);
        memset(a.min, 0xff, sizeof a.min);
        b = a;
        for (int run = 0; run < 4; run++) {
            size_t n = gn_rng_next(&rng) % 80;
            for (size_t i = 0; i < n; i++)
                words[i] = gn_rng_next(&rng) | 1;
            shingle_words_scalar(&a, words, n);
            shingle_words_avx2(&b, words, n);
            assert_memory_equal(&a, &b, sizeof a);
        }
    }
#else
    skip();
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_near_and_far),
                                       cmocka_unit_test(test_same_as_reference),
                                       cmocka_unit_test(test_shingling_paths_agree)};
    return cmocka_run_group_tests_name("minhash", tests, NULL, NULL);
}
