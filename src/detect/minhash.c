/* MinHash over word 3-shingles with four bands of two minimums: two texts
 * whose shingle sets overlap 80% share a band with probability about 0.98,
 * and each candidate is checked on all eight minimums. A bucket that fills
 * up holds boilerplate many share; it is then left out of lookups, since a
 * match through it says nothing. */
#include "detect/minhash.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "engine/snapshot.h"
#include "core/error.h"

#define BANDS (GN_MINHASH_K / 2)
/* A text shared by more listings than this is boilerplate (a manufacturer's
 * description many honest resellers paste): it links nobody. */
#define BUCKET_CAP 20

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

typedef struct shingler {
    uint64_t w[3];
    int words;
    uint32_t min[GN_MINHASH_K];
} shingler;

/* The hash of the 3-shingle ending with word c (a and b before it). */
static inline uint64_t shingle_hash(uint64_t a, uint64_t b, uint64_t c)
{
    return mix(a * 0x9e3779b97f4a7c15ULL ^ b * 31 ^ c);
}

/* K minimums from one hash: each is the shingle's hash under another cheap
 * permutation (xor a constant, multiply, keep the high half). */
#define LANE_SEED(k) (0x9e3779b97f4a7c15ULL * (uint64_t)((k) + 1))
#define LANE_MULTIPLIER 0xbf58476d1ce4e5b9ULL

/* Words (their hashes) join the shingler; from the third word on, each word
 * closes a 3-shingle whose hash lowers the minimums. State is kept in locals
 * for the run of words. */
static void shingle_words_scalar(shingler *sh, const uint64_t *word, size_t n)
{
    uint64_t w0 = sh->w[0], w1 = sh->w[1], w2 = sh->w[2];
    int words = sh->words;
    uint32_t min[GN_MINHASH_K];
    memcpy(min, sh->min, sizeof min);
    for (size_t i = 0; i < n; i++) {
        w0 = w1;
        w1 = w2;
        w2 = word[i];
        if (++words < 3) continue;
        uint64_t g = shingle_hash(w0, w1, w2);
        for (int k = 0; k < GN_MINHASH_K; k++) {
            uint32_t x = (uint32_t)((g ^ LANE_SEED(k)) * LANE_MULTIPLIER >> 32);
            min[k] = x < min[k] ? x : min[k];
        }
    }
    sh->w[0] = w0;
    sh->w[1] = w1;
    sh->w[2] = w2;
    sh->words = words;
    memcpy(sh->min, min, sizeof min);
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>

/* The same with the eight minimums in one AVX2 register: the high half of a
 * 64-bit product is hi(a_lo * m_lo) + a_lo * m_hi + a_hi * m_lo (mod 2^32),
 * three 32-bit multiplies for all eight lanes at once. */
__attribute__((target("avx2"))) static void shingle_words_avx2(shingler *sh, const uint64_t *word,
                                                               size_t n)
{
    _Static_assert(GN_MINHASH_K == 8, "one 256-bit register of minimums");
    uint32_t seed_lo[8], seed_hi[8];
    for (int k = 0; k < 8; k++) {
        seed_lo[k] = (uint32_t)LANE_SEED(k);
        seed_hi[k] = (uint32_t)(LANE_SEED(k) >> 32);
    }
    const __m256i s_lo = _mm256_loadu_si256((const __m256i *)seed_lo),
                  s_hi = _mm256_loadu_si256((const __m256i *)seed_hi),
                  m_lo = _mm256_set1_epi32((int)(uint32_t)LANE_MULTIPLIER),
                  m_hi = _mm256_set1_epi32((int)(uint32_t)(LANE_MULTIPLIER >> 32));
    __m256i min = _mm256_loadu_si256((const __m256i *)sh->min);
    uint64_t w0 = sh->w[0], w1 = sh->w[1], w2 = sh->w[2];
    int words = sh->words;
    for (size_t i = 0; i < n; i++) {
        w0 = w1;
        w1 = w2;
        w2 = word[i];
        if (++words < 3) continue;
        uint64_t g = shingle_hash(w0, w1, w2);
        __m256i a_lo = _mm256_xor_si256(_mm256_set1_epi32((int)(uint32_t)g), s_lo);
        __m256i a_hi = _mm256_xor_si256(_mm256_set1_epi32((int)(uint32_t)(g >> 32)), s_hi);
        __m256i even = _mm256_srli_epi64(_mm256_mul_epu32(a_lo, m_lo), 32);
        __m256i odd = _mm256_mul_epu32(_mm256_srli_epi64(a_lo, 32), m_lo);
        __m256i high = _mm256_blend_epi32(even, odd, 0xaa);
        high = _mm256_add_epi32(high, _mm256_mullo_epi32(a_lo, m_hi));
        high = _mm256_add_epi32(high, _mm256_mullo_epi32(a_hi, m_lo));
        min = _mm256_min_epu32(min, high);
    }
    sh->w[0] = w0;
    sh->w[1] = w1;
    sh->w[2] = w2;
    sh->words = words;
    _mm256_storeu_si256((__m256i *)sh->min, min);
}

static void shingle_words(shingler *sh, const uint64_t *word, size_t n)
{
    if (__builtin_cpu_supports("avx2"))
        shingle_words_avx2(sh, word, n);
    else
        shingle_words_scalar(sh, word, n);
}
#else
#define shingle_words shingle_words_scalar
#endif

#define FNV_BASIS 1469598103934665603ULL
#define FNV_PRIME 1099511628211ULL

/* What a byte is to the word splitter, from one table read: the byte as it
 * is hashed (ASCII letters lower-cased) and its kind. */
enum { SEPARATOR, WORD, CJK_LEAD, END };
#define KIND(c)                                                                                    \
    ((c) == 0                                    ? END                                             \
     : (c) >= 0xe3 && (c) <= 0xe9                ? CJK_LEAD                                        \
     : (c) >= 0x80 || ((c) >= '0' && (c) <= '9') ? WORD                                            \
     : ((c) | 32) >= 'a' && ((c) | 32) <= 'z'    ? WORD                                            \
                                                 : SEPARATOR)
#define BYTE(c) (uint16_t)(KIND(c) << 8 | ((c) < 0x80 && KIND(c) == WORD ? (c) | 32 : (c)))
#define B4(c) BYTE(c), BYTE(c + 1), BYTE(c + 2), BYTE(c + 3)
#define B16(c) B4(c), B4(c + 4), B4(c + 8), B4(c + 12)
#define B64(c) B16(c), B16(c + 16), B16(c + 32), B16(c + 48)
static const uint16_t byte_info[256] = {B64(0), B64(64), B64(128), B64(192)};

/* Each word of text (FNV-1a of its bytes, ASCII letters lower-cased) joins
 * the shingler; a CJK character (three bytes) is a word of its own. One
 * table read and one branch per byte; the words' hashes are gathered and
 * shingled in runs. */
static void feed_bytes(shingler *sh, const unsigned char *s)
{
    uint64_t words[64];
    size_t n = 0;
    for (;;) {
        unsigned info;
        while ((info = byte_info[*s]) >> 8 == SEPARATOR)
            s++;
        if (info >> 8 == END) break;
        uint64_t h = FNV_BASIS;
        if (info >> 8 == CJK_LEAD) {
            for (int k = 0; k < 3 && *s; k++, s++)
                h = (h ^ *s) * FNV_PRIME;
        } else {
            do {
                h = (h ^ (info & 0xff)) * FNV_PRIME;
                info = byte_info[*++s];
            } while (info >> 8 == WORD);
        }
        words[n++] = h | 1;
        if (n == sizeof words / sizeof *words) {
            shingle_words(sh, words, n);
            n = 0;
        }
    }
    shingle_words(sh, words, n);
}

static void feed(shingler *sh, const char *text)
{
    if (text) feed_bytes(sh, (const unsigned char *)text);
}

int gn_minhash_text(const char *title, const char *description, gn_minhash *out)
{
    shingler sh;
    memset(&sh, 0, sizeof sh);
    memset(sh.min, 0xff, sizeof sh.min);
    feed(&sh, title);
    feed(&sh, description);
    memcpy(out->min, sh.min, sizeof out->min);
    return sh.words >= 8 ? 0 : -1;
}

int gn_minhash_agree(const gn_minhash *a, const gn_minhash *b)
{
    int n = 0;
    for (int k = 0; k < GN_MINHASH_K; k++)
        n += a->min[k] == b->min[k];
    return n;
}

typedef struct entry {
    gn_minhash fp;
    uint32_t owner;
} entry;

typedef struct bucket {
    uint64_t key; /* 0: empty slot */
    entry *items;
    uint32_t count, cap;
} bucket;

/* One open-addressing table of buckets per band. */
typedef struct band_table {
    bucket *slots;
    size_t mask, used;
} band_table;

struct gn_minhash_index {
    band_table bands[BANDS];
};

gn_minhash_index *gn_minhash_index_new(void)
{
    return gn_xcalloc(1, sizeof(gn_minhash_index));
}

void gn_minhash_index_free(gn_minhash_index *ix)
{
    if (!ix) return;
    for (int b = 0; b < BANDS; b++) {
        for (size_t i = 0; ix->bands[b].slots && i <= ix->bands[b].mask; i++)
            free(ix->bands[b].slots[i].items);
        free(ix->bands[b].slots);
    }
    free(ix);
}

static uint64_t band_key(const gn_minhash *fp, int b)
{
    return mix(((uint64_t)fp->min[2 * b] << 32 | fp->min[2 * b + 1]) + (uint64_t)b) | 1;
}

static bucket *find(const band_table *t, uint64_t key)
{
    if (!t->slots) return NULL;
    for (size_t i = key & t->mask;; i = (i + 1) & t->mask) {
        if (t->slots[i].key == key) return &t->slots[i];
        if (t->slots[i].key == 0) return NULL;
    }
}

static int grow(band_table *t)
{
    size_t cap = t->slots ? (t->mask + 1) * 2 : 1024;
    bucket *slots = gn_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; t->slots && i <= t->mask; i++) {
        if (!t->slots[i].key) continue;
        size_t j = t->slots[i].key & (cap - 1);
        while (slots[j].key)
            j = (j + 1) & (cap - 1);
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->mask = cap - 1;
    return 0;
}

int gn_minhash_index_add(gn_minhash_index *ix, const gn_minhash *fp, uint32_t owner, gn_error *err)
{
    for (int b = 0; b < BANDS; b++) {
        band_table *t = &ix->bands[b];
        uint64_t key = band_key(fp, b);
        bucket *bk = find(t, key);
        if (!bk) {
            if ((!t->slots || (t->used + 1) * 2 > t->mask + 1) && grow(t))
                return gn_fail(err, GN_ENOMEM, "out of memory");
            size_t i = key & t->mask;
            while (t->slots[i].key)
                i = (i + 1) & t->mask;
            bk = &t->slots[i];
            bk->key = key;
            t->used++;
        }
        if (bk->count == BUCKET_CAP) continue;
        if (bk->count == bk->cap) {
            uint32_t cap = bk->cap ? bk->cap * 2 : 2;
            entry *items = gn_xrealloc(bk->items, cap * sizeof *items);
            bk->items = items;
            bk->cap = cap;
        }
        bk->items[bk->count++] = (entry){*fp, owner};
    }
    return 0;
}

size_t gn_minhash_index_near(const gn_minhash_index *ix, const gn_minhash *fp, size_t max_results,
                             void (*found)(void *ctx, uint32_t owner, int agree), void *ctx)
{
    /* The four bands' slots are far apart in large tables: fetched together. */
    uint64_t keys[BANDS];
    for (int b = 0; b < BANDS; b++) {
        keys[b] = band_key(fp, b);
        if (ix->bands[b].slots)
            __builtin_prefetch(&ix->bands[b].slots[keys[b] & ix->bands[b].mask]);
    }
    size_t n = 0;
    for (int b = 0; b < BANDS && n < max_results; b++) {
        const bucket *bk = find(&ix->bands[b], keys[b]);
        if (bk && bk->count == BUCKET_CAP) continue;
        for (uint32_t i = 0; bk && i < bk->count && n < max_results; i++) {
            const gn_minhash *other = &bk->items[i].fp;
            int agree = gn_minhash_agree(fp, other);
            if (agree < GN_MINHASH_SAME) continue;
            /* A pair sharing several bands is reported from the first of them only. */
            int first = 1;
            for (int u = 0; u < b && first; u++)
                first = !(fp->min[2 * u] == other->min[2 * u] &&
                          fp->min[2 * u + 1] == other->min[2 * u + 1]);
            if (!first) continue;
            found(ctx, bk->items[i].owner, agree);
            n++;
        }
    }
    return n;
}

/* The index as it is (engine/snapshot.c): each band's table, its buckets
 * in their slots and their entries in order, so near() answers a loaded
 * index as it did the saved one (it stops at max_results, in that order). */
void gn_minhash_index_save(const gn_minhash_index *ix, gn_buf *b)
{
    for (int k = 0; k < BANDS; k++) {
        const band_table *t = &ix->bands[k];
        gn_snap_u64(b, t->slots ? t->mask + 1 : 0);
        gn_snap_u64(b, t->used);
        for (size_t i = 0; t->slots && i <= t->mask; i++) {
            const bucket *bk = &t->slots[i];
            if (!bk->key) continue;
            gn_snap_u64(b, i);
            gn_snap_u64(b, bk->key);
            gn_snap_u32(b, bk->count);
            gn_snap_raw(b, bk->items, bk->count * sizeof *bk->items);
        }
    }
}

int gn_minhash_index_load(gn_minhash_index *ix, gn_snap_in *in, gn_error *err)
{
    for (int k = 0; k < BANDS && !in->bad; k++) {
        band_table *t = &ix->bands[k];
        uint64_t slots = gn_snap_get_u64(in), used = gn_snap_get_u64(in);
        if (gn_snap_check(in, !t->slots && (slots & (slots - 1)) == 0 && used <= in->left / 20 &&
                                  used * 2 <= slots && (slots <= 1024 || slots <= 4 * used)))
            break;
        if (!slots) continue;
        t->slots = gn_xcalloc(slots, sizeof *t->slots);
        t->mask = slots - 1;
        for (uint64_t u = 0; u < used && !in->bad; u++) {
            uint64_t i = gn_snap_get_u64(in), key = gn_snap_get_u64(in);
            uint32_t count = gn_snap_get_count(in, sizeof(entry));
            if (gn_snap_check(in, i <= t->mask && !t->slots[i].key && key && count > 0 &&
                                      count <= BUCKET_CAP))
                break;
            bucket *bk = &t->slots[i];
            bk->key = key;
            bk->items = gn_snap_get_array(in, count, sizeof *bk->items, count);
            bk->count = bk->cap = in->bad ? 0 : count;
            t->used++;
        }
    }
    return 0;
}
