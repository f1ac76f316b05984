/* The hash index answers exactly what a brute-force scan answers: on the
 * reference's haystack and needles at distance 32, on random banks with
 * planted near-duplicates and clusters, and on a mid-size bank grown one
 * hash at a time between queries; across distances, index states (pending
 * tail, merged segments, compacted), the three segment layouts and payloads,
 * and the small layout's filters for AVX-512BW, AVX2 and any CPU;
 * and on near copies built so that only one byte table of the small layout
 * can find them (the cycle lemma's tight cases, round the end of the hash),
 * or only one word table of the compact layout. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/mih.h"
#include "media/pdq.h"

#define CONFORMANCE "../shared/conformance/pdq/"

/* splitmix64: a tiny deterministic generator, so failures reproduce. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static gn_pdq_hash random_hash(uint64_t *state)
{
    gn_pdq_hash h;
    for (int i = 0; i < 4; i++)
        h.w[i] = next_random(state);
    return h;
}

/* A copy of h with `bits` distinct random bits flipped. */
static gn_pdq_hash flip_bits(gn_pdq_hash h, int bits, uint64_t *state)
{
    gn_pdq_hash orig = h;
    while (gn_pdq_distance(&h, &orig) < bits) {
        int k = (int)(next_random(state) % 256);
        h.w[k / 64] ^= (uint64_t)1 << (k % 64);
        if (gn_pdq_distance(&h, &orig) > bits) h.w[k / 64] ^= (uint64_t)1 << (k % 64);
    }
    return h;
}

static int by_match(const void *a, const void *b)
{
    const gn_mih_match *x = a, *y = b;
    if (x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
    return (x->payload > y->payload) - (x->payload < y->payload);
}

/* Compares the index's answer with a scan of bank[0..n) (payload = i). */
static void check_query(const gn_mih *index, const gn_pdq_hash *bank, size_t n,
                        const gn_pdq_hash *q, int d)
{
    gn_mih_results got = {0}, want = {0};
    gn_error err;
    assert_int_equal(gn_mih_query(index, q, d, &got, &err), 0);
    want.items = malloc(sizeof *want.items * (n ? n : 1));
    assert_non_null(want.items);
    for (size_t i = 0; i < n; i++) {
        int dist = gn_pdq_distance(q, &bank[i]);
        if (dist <= d) want.items[want.count++] = (gn_mih_match){(uint32_t)i, dist};
    }
    qsort(want.items, want.count, sizeof *want.items, by_match);
    if (got.count != want.count) {
        char hex[GN_PDQ_HEX_LEN + 1];
        gn_pdq_format(q, hex);
        fail_msg("query %s at distance %d: index found %zu, scan found %zu", hex, d, got.count,
                 want.count);
    }
    for (size_t i = 0; i < got.count; i++) {
        assert_int_equal(got.items[i].payload, want.items[i].payload);
        assert_int_equal(got.items[i].distance, want.items[i].distance);
    }
    free(want.items);
    gn_mih_results_free(&got);
}

static size_t read_hashes(const char *path, gn_pdq_hash **out)
{
    FILE *f = fopen(path, "r");
    if (!f) fail_msg("cannot open %s (tests run from the repository root)", path);
    size_t n = 0, cap = 0;
    gn_pdq_hash *v = NULL;
    char line[256];
    while (fgets(line, sizeof line, f)) {
        size_t len = strcspn(line, "\r\n");
        if (len == 0) continue;
        if (n == cap) {
            cap = cap ? 2 * cap : 256;
            v = realloc(v, cap * sizeof *v);
            assert_non_null(v);
        }
        gn_error err;
        assert_int_equal(gn_pdq_parse(line, len, &v[n], &err), 0);
        n++;
    }
    fclose(f);
    *out = v;
    return n;
}

/* Tests run as shipped, with every segment probed (the cost model would
 * otherwise scan segments this small at d >= 31), with every segment in
 * the compact layout (by default only banks of millions get it), and with
 * none in the small layout (by default banks up to 131,072 hashes get it,
 * so the fast one would otherwise be tested on big banks only). */
enum { PROBE = 1, COMPACT = 2, NO_SMALL = 4, AVX2 = 8, PORTABLE = 16 };

static int setup_probe(void **state)
{
    static int flags = PROBE;
    *state = &flags;
    return 0;
}

static int setup_compact(void **state)
{
    static int flags = PROBE | COMPACT;
    *state = &flags;
    return 0;
}

static int setup_fast(void **state)
{
    static int flags = PROBE | NO_SMALL;
    *state = &flags;
    return 0;
}

/* The small layout's filters below the widest the CPU has: AVX2 (or the
 * portable code where it lacks AVX2) and the portable code. */
static int setup_avx2(void **state)
{
    static int flags = AVX2;
    *state = &flags;
    return 0;
}

static int setup_portable(void **state)
{
    static int flags = PORTABLE;
    *state = &flags;
    return 0;
}

static int mode(void **state)
{
    return state && *state ? *(int *)*state : 0;
}

static void apply_mode(gn_mih *index, void **state)
{
    gn_mih_always_probe(index, (mode(state) & PROBE) != 0);
    if (mode(state) & COMPACT) gn_mih_set_fast_limit(index, 0);
    if (mode(state) & NO_SMALL) gn_mih_set_small_limit(index, 0);
    if (mode(state) & AVX2) gn_mih_set_isa(index, GN_MIH_ISA_AVX2);
    if (mode(state) & PORTABLE) gn_mih_set_isa(index, GN_MIH_ISA_PORTABLE);
}

static void test_haystack_needles(void **state)
{
    gn_pdq_hash *hay, *needles;
    size_t nh = read_hashes(CONFORMANCE "haystack.txt", &hay);
    size_t nn = read_hashes(CONFORMANCE "needles.txt", &needles);
    assert_int_equal(nh, 1350);
    assert_int_equal(nn, 100);
    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    for (size_t i = 0; i < nh; i++)
        assert_int_equal(gn_mih_add(index, &hay[i], (uint32_t)i, &err), 0);
    size_t found = 0;
    for (int pass = 0; pass < 2; pass++) {
        /* First as added (all pending), then compacted into a segment. */
        for (size_t i = 0; i < nn; i++) {
            check_query(index, hay, nh, &needles[i], 32);
            gn_mih_results r = {0};
            assert_int_equal(gn_mih_query(index, &needles[i], 32, &r, &err), 0);
            found += r.count;
            gn_mih_results_free(&r);
        }
        assert_int_equal(gn_mih_compact(index, &err), 0);
    }
    assert_true(found > 0); /* the set is built to have matches */
    gn_mih_free(index);
    free(hay);
    free(needles);
}

/* 200,000 random hashes, near-duplicates of some planted at 1..40 bits, and
 * clusters of 40 copies of one hash (crowded buckets); queried at several
 * distances before and after compaction, then after more additions. */
static void test_random_bank(void **state)
{
    const size_t random_n = 200000, planted = 2000, cluster = 40, clusters = 25;
    size_t n = random_n + planted + cluster * clusters;
    gn_pdq_hash *bank = malloc(n * sizeof *bank);
    assert_non_null(bank);
    uint64_t seed = 12345;
    size_t at = 0;
    for (size_t i = 0; i < random_n; i++)
        bank[at++] = random_hash(&seed);
    for (size_t i = 0; i < planted; i++)
        bank[at++] = flip_bits(bank[next_random(&seed) % random_n], 1 + (int)(i % 40), &seed);
    for (size_t c = 0; c < clusters; c++) {
        gn_pdq_hash center = random_hash(&seed);
        for (size_t i = 0; i < cluster; i++)
            bank[at++] = c % 2 ? center : flip_bits(center, (int)(i % 6), &seed);
    }
    assert_int_equal(at, n);

    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    size_t first = n - 3000; /* the rest is added after compaction */
    /* Half in bulk, the rest one by one (tail, merges of small segments). */
    uint32_t *ids = malloc(n * sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    assert_int_equal(gn_mih_add_many(index, bank, ids, first / 2, &err), 0);
    for (size_t i = first / 2; i < first; i++)
        assert_int_equal(gn_mih_add(index, &bank[i], (uint32_t)i, &err), 0);
    free(ids);

    static const int distances[] = {0, 1, 7, 8, 16, 31, 32, 40};
    for (int phase = 0; phase < 3; phase++) {
        size_t count = phase < 2 ? first : n;
        assert_int_equal(gn_mih_count(index), count);
        for (int q = 0; q < 60; q++) {
            gn_pdq_hash query;
            if (q % 3 == 0)
                query = random_hash(&seed);
            else
                query = flip_bits(bank[next_random(&seed) % count], (int)(q % 20), &seed);
            for (size_t k = 0; k < sizeof distances / sizeof *distances; k++)
                check_query(index, bank, count, &query, distances[k]);
        }
        if (phase == 0) {
            assert_int_equal(gn_mih_compact(index, &err), 0);
        } else if (phase == 1) {
            for (size_t i = first; i < n; i++)
                assert_int_equal(gn_mih_add(index, &bank[i], (uint32_t)i, &err), 0);
        }
    }
    /* At most 64 bytes per hash in the compact layout, all overhead
     * included, and about 120 in the fast one. Switching layouts is a
     * compaction, and changes no answer. */
    assert_int_equal(gn_mih_compact(index, &err), 0);
    double per_hash = (double)gn_mih_memory(index) / (double)n;
    if (per_hash > ((mode(state) & COMPACT) ? 64 : 130)) fail_msg("%.1f bytes per hash", per_hash);
    gn_mih_set_fast_limit(index, (mode(state) & COMPACT) ? GN_MIH_FAST_LIMIT : 0);
    assert_int_equal(gn_mih_compact(index, &err), 0);
    per_hash = (double)gn_mih_memory(index) / (double)n;
    if (per_hash > ((mode(state) & COMPACT) ? 130 : 64)) fail_msg("%.1f bytes per hash", per_hash);
    for (int q = 0; q < 20; q++) {
        gn_pdq_hash query = flip_bits(bank[next_random(&seed) % n], q, &seed);
        check_query(index, bank, n, &query, 31);
    }
    gn_mih_free(index);
    free(bank);
}

/* The engine's pattern: a mid-size bank loaded in bulk, then hashes added
 * one at a time (tail flushes, merges of segments of both layouts) with
 * queries in between, each compared with a scan of what was added so far. */
static void test_interleaved(void **state)
{
    const size_t bulk = 20000, n = 60000;
    gn_pdq_hash *bank = malloc(n * sizeof *bank);
    uint32_t *ids = malloc(n * sizeof *ids);
    assert_non_null(bank);
    assert_non_null(ids);
    uint64_t seed = 777;
    for (size_t i = 0; i < n; i++) {
        ids[i] = (uint32_t)i;
        if (i % 10 == 9) /* a near copy of an earlier hash: clusters grow */
            bank[i] =
                flip_bits(bank[next_random(&seed) % i], (int)(next_random(&seed) % 13), &seed);
        else
            bank[i] = random_hash(&seed);
    }
    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    assert_int_equal(gn_mih_add_many(index, bank, ids, bulk, &err), 0);
    static const int distances[] = {31, 31, 31, 32, 0, 12};
    for (size_t i = bulk, q = 0; i < n; i++) {
        assert_int_equal(gn_mih_add(index, &bank[i], (uint32_t)i, &err), 0);
        if (i % 97 != 0) continue;
        gn_pdq_hash query =
            q % 3 == 0 ? random_hash(&seed)
                       : flip_bits(bank[next_random(&seed) % (i + 1)], (int)(q % 24), &seed);
        check_query(index, bank, i + 1, &query, distances[q % 6]);
        q++;
    }
    assert_int_equal(gn_mih_count(index), n);
    gn_mih_free(index);
    free(bank);
    free(ids);
}

/* A copy of h whose byte i (bits 8i..8i+7) differs in exactly bits[i] bits. */
static gn_pdq_hash spread_bits(gn_pdq_hash h, const int *bits, uint64_t *seed)
{
    for (int i = 0; i < 32; i++) {
        uint32_t flip = 0;
        while (__builtin_popcount(flip) < bits[i])
            flip |= 1u << (next_random(seed) % 8);
        h.w[i / 8] ^= (uint64_t)flip << (8 * (i % 8));
    }
    return h;
}

/* Near copies at the edge of what the small layout's byte tables promise:
 * 31 bits one per byte but for one clean byte k (only table k finds it, and
 * for k = 30 or 31 its next bytes wrap round to 0 and 1); 31 bits where
 * byte k is clean, k+1 has one and the rest come in bursts; and the same
 * with a bit more (32, 33: never found at 31). Each queried at 31, 30, 24
 * and 32 and compared with a scan, in every layout. */
static void test_cycle_lemma_edges(void **state)
{
    const size_t randoms = 3000;
    size_t cap = randoms + 32 * 12, n = 0;
    gn_pdq_hash *bank = malloc(cap * sizeof *bank), *bases = malloc(32 * sizeof *bases);
    assert_non_null(bank);
    assert_non_null(bases);
    uint64_t seed = 4242;
    for (size_t i = 0; i < randoms; i++)
        bank[n++] = random_hash(&seed);
    for (int k = 0; k < 32; k++) {
        bases[k] = random_hash(&seed);
        for (int variant = 0; variant < 12; variant++) {
            int bits[32];
            for (int i = 0; i < 32; i++)
                bits[i] = i != k; /* 31 bits, byte k clean */
            if (variant >= 4) {
                /* Bursts: move bits from byte to byte, keeping byte k clean
                 * and byte k+1 at one bit, so runs from k stay just inside. */
                for (int moves = 0; moves < 6; moves++) {
                    int from = (int)(next_random(&seed) % 32), to = (int)(next_random(&seed) % 32);
                    if (from == k || to == k || from == (k + 1) % 32 || to == (k + 1) % 32 ||
                        bits[from] == 0 || bits[to] == 8)
                        continue;
                    bits[from]--, bits[to]++;
                }
            }
            if (variant % 4 == 3) bits[(k + 5) % 32]++;                      /* 32 bits */
            if (variant % 4 == 2) bits[(k + 1) % 32]--;                      /* 30 bits */
            if (variant == 11) bits[(k + 9) % 32] += bits[(k + 9) % 32] < 8; /* 33 */
            bank[n++] = spread_bits(bases[k], bits, &seed);
        }
    }
    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    for (size_t i = 0; i < n; i++)
        assert_int_equal(gn_mih_add(index, &bank[i], (uint32_t)i, &err), 0);
    static const int distances[] = {31, 30, 24, 32};
    for (int pass = 0; pass < 2; pass++) {
        for (int k = 0; k < 32; k++)
            for (size_t d = 0; d < sizeof distances / sizeof *distances; d++)
                check_query(index, bank, n, &bases[k], distances[d]);
        assert_int_equal(gn_mih_compact(index, &err), 0); /* then as one segment */
    }
    /* The tight copies are found at 31: 32 bases, 12 variants, of which
     * those of 32 and 33 bits are not. */
    gn_mih_results r = {0};
    size_t found = 0;
    for (int k = 0; k < 32; k++) {
        r.count = 0;
        assert_int_equal(gn_mih_query(index, &bases[k], 31, &r, &err), 0);
        found += r.count;
    }
    assert_true(found >= 32 * 8);
    gn_mih_results_free(&r);
    gn_mih_free(index);
    free(bank);
    free(bases);
}

/* A copy of h whose 32-bit word t differs in exactly bits[t] bits, taken
 * from bits lo..hi-1 of the word where word t is `placed` (others: any). */
static gn_pdq_hash spread_words(gn_pdq_hash h, const int *bits, int placed, int lo, int hi,
                                uint64_t *seed)
{
    for (int t = 0; t < 8; t++) {
        uint32_t flip = 0;
        int from = t == placed ? lo : 0, span = t == placed ? hi - lo : 32;
        while (__builtin_popcount(flip) < bits[t])
            flip |= 1u << (from + (int)(next_random(seed) % (uint64_t)span));
        h.w[t / 2] ^= (uint64_t)flip << (32 * (t % 2));
    }
    return h;
}

/* Near copies spread over the words, on 300,000 random hashes: at 31 bits
 * with seven words at 4 bits and one word k at 3, those 3 bits in word k's
 * top 16, in the 8 below (table 1's residual when k = 1), in the low 8, or
 * spread, for every k (k = 0: the word whose top half is implied); and the
 * same at 32 bits (never found at 31). Queried at 31, 30 and 32, against a
 * scan, with the AVX-512 filter and the portable one (apply_mode). */
static void test_compact_tight(void **state)
{
    const size_t randoms = 300000;
    size_t cap = randoms + 8 * 5 * 2 * 3, n = 0;
    gn_pdq_hash *bank = malloc(cap * sizeof *bank), *bases = malloc(8 * 5 * sizeof *bases);
    assert_non_null(bank);
    assert_non_null(bases);
    uint64_t seed = 9001;
    for (size_t i = 0; i < randoms; i++)
        bank[n++] = random_hash(&seed);
    /* Bits of a word from the top: 16 bucket bits (h = 16 here), then the
     * 8-bit residual, then 8 that no table reads. */
    static const int places[5][2] = {{16, 32}, {8, 16}, {0, 8}, {0, 32}, {12, 20}};
    for (int k = 0; k < 8; k++)
        for (int p = 0; p < 5; p++) {
            gn_pdq_hash base = random_hash(&seed);
            bases[k * 5 + p] = base;
            for (int extra = 0; extra < 2; extra++)
                for (int copy = 0; copy < 3; copy++) {
                    int bits[8];
                    for (int t = 0; t < 8; t++)
                        bits[t] = t == k ? 3 : 4;
                    if (extra) bits[(k + 1 + copy) % 8]++; /* 32 bits */
                    bank[n++] = spread_words(base, bits, k, places[p][0], places[p][1], &seed);
                }
        }
    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    uint32_t *ids = malloc(n * sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    assert_int_equal(gn_mih_add_many(index, bank, ids, n, &err), 0);
    assert_int_equal(gn_mih_compact(index, &err), 0);
    free(ids);
    static const int distances[] = {31, 30, 32};
    size_t found = 0;
    for (int b = 0; b < 8 * 5; b++) {
        for (size_t d = 0; d < sizeof distances / sizeof *distances; d++)
            check_query(index, bank, n, &bases[b], distances[d]);
        gn_mih_results r = {0};
        assert_int_equal(gn_mih_query(index, &bases[b], 31, &r, &err), 0);
        found += r.count;
        gn_mih_results_free(&r);
    }
    assert_int_equal(found, 8 * 5 * 3); /* every 31-bit copy, no 32-bit one */
    double per_hash = (double)gn_mih_memory(index) / (double)n;
    if ((mode(state) & COMPACT) && per_hash > 64) fail_msg("%.1f bytes per hash", per_hash);
    gn_mih_free(index);
    free(bank);
    free(bases);
}

/* Flips `count` distinct bits of h among hash bits [lo, hi) (bit i is bit
 * i % 64 of w[i / 64]) that `taken` does not flip already; marks them. */
static void flip_range(gn_pdq_hash *h, gn_pdq_hash *taken, int lo, int hi, int count,
                       uint64_t *seed)
{
    while (count > 0) {
        int k = lo + (int)(next_random(seed) % (uint64_t)(hi - lo));
        uint64_t bit = (uint64_t)1 << (k % 64);
        if (taken->w[k / 64] & bit) continue;
        taken->w[k / 64] |= bit;
        h->w[k / 64] ^= bit;
        count--;
    }
}

/* Where table t of the compact layout reads: T0 all of word 0, T1 the top
 * 24 bits of word 1 (bucket and residual bits: at least 16 + 8), part j
 * (j = t - 2) the top 8 of its 24 bits (at least that many are its
 * bucket's at this size). */
static void table_bits(int t, int *lo, int *hi)
{
    if (t == 0) {
        *lo = 0, *hi = 32;
    } else if (t == 1) {
        *lo = 40, *hi = 64;
    } else {
        *lo = 64 + 24 * (t - 2) + 16, *hi = *lo + 8;
    }
}

/* The ten tables' tight cases: copies at 31 bits where table k sees exactly
 * its radius at d = 31 (3 bits for words 0 and 1, 2 for a part) and every
 * other table one more, so that only table k can find them; for table 1
 * also with its 3 bits all in the bucket's top 16 or all in the residual;
 * and the same with one bit more anywhere another table reads (32 bits:
 * never found at 31, found at 32), on 300,000 random hashes. */
static void test_compact_parts_tight(void **state)
{
    const size_t randoms = 300000, per = 6;
    size_t cap = randoms + 12 * per * 2, n = 0;
    gn_pdq_hash *bank = malloc(cap * sizeof *bank), bases[12];
    assert_non_null(bank);
    uint64_t seed = 4242;
    for (size_t i = 0; i < randoms; i++)
        bank[n++] = random_hash(&seed);
    /* Cases 0-9: table k; 10 and 11: table 1 with its bits in the bucket
     * (top 16 of word 1) or in the residual (the 8 below). */
    for (int c = 0; c < 12; c++) {
        int k = c < 10 ? c : 1;
        bases[c] = random_hash(&seed);
        for (size_t copy = 0; copy < 2 * per; copy++) {
            gn_pdq_hash h = bases[c], taken = {{0, 0, 0, 0}};
            for (int t = 0; t < 10; t++) {
                int lo, hi, radius = t < 2 ? 3 : 2;
                table_bits(t, &lo, &hi);
                if (t == k && c == 10) lo = 48;
                if (t == k && c == 11) lo = 40, hi = 48;
                flip_range(&h, &taken, lo, hi, t == k ? radius : radius + 1, &seed);
            }
            if (copy >= per) { /* one bit more, where another table reads */
                int lo, hi;
                table_bits((k + 1 + (int)copy) % 10 == k ? (k + 2) % 10 : (k + 1 + (int)copy) % 10,
                           &lo, &hi);
                flip_range(&h, &taken, lo, hi, 1, &seed);
            }
            assert_int_equal(gn_pdq_distance(&h, &bases[c]), copy < per ? 31 : 32);
            bank[n++] = h;
        }
    }
    gn_mih *index;
    gn_error err;
    assert_int_equal(gn_mih_new(&index, &err), 0);
    apply_mode(index, state);
    uint32_t *ids = malloc(n * sizeof *ids);
    assert_non_null(ids);
    for (size_t i = 0; i < n; i++)
        ids[i] = (uint32_t)i;
    assert_int_equal(gn_mih_add_many(index, bank, ids, n, &err), 0);
    assert_int_equal(gn_mih_compact(index, &err), 0);
    free(ids);
    for (int c = 0; c < 12; c++) {
        static const int distances[] = {31, 30, 32};
        for (size_t d = 0; d < sizeof distances / sizeof *distances; d++)
            check_query(index, bank, n, &bases[c], distances[d]);
        gn_mih_results r = {0};
        assert_int_equal(gn_mih_query(index, &bases[c], 31, &r, &err), 0);
        size_t copies = 0;
        for (size_t i = 0; i < r.count; i++)
            copies += r.items[i].payload >= randoms;
        assert_int_equal(copies, per); /* every 31-bit copy, no 32-bit one */
        gn_mih_results_free(&r);
    }
    double per_hash = (double)gn_mih_memory(index) / (double)n;
    if ((mode(state) & COMPACT) && per_hash > 64) fail_msg("%.1f bytes per hash", per_hash);
    gn_mih_free(index);
    free(bank);
}

/* Random and clustered banks at sizes on both sides of every threshold the
 * compact layout has (its word tables' 16-bit floor, the part tables'
 * bucket sizes, counts of 15 and 255 kept in side lists, the memory
 * fallback of crowded banks), loaded in bulk, against scans at distances
 * 0 to 40, and within 64 bytes per hash from 300,000 hashes up. */
static void test_compact_sizes(void **state)
{
    static const size_t sizes[] = {300, 3000, 40000, 140000, 530000};
    uint64_t seed = 777;
    for (size_t si = 0; si < sizeof sizes / sizeof *sizes; si++)
        for (int clustered = 0; clustered < 2; clustered++) {
            size_t n = sizes[si];
            gn_pdq_hash *bank = malloc(n * sizeof *bank);
            uint32_t *ids = malloc(n * sizeof *ids);
            assert_non_null(bank);
            assert_non_null(ids);
            for (size_t i = 0; i < n;) {
                gn_pdq_hash centre = random_hash(&seed);
                /* Clusters of 1-20 copies 0-12 bits away, and now and then
                 * 300 identical ones (counts past 255). */
                size_t size = !clustered                     ? 1
                              : next_random(&seed) % 97 == 0 ? 300
                                                             : 1 + next_random(&seed) % 20;
                for (size_t k = 0; k < size && i < n; k++, i++) {
                    bank[i] = clustered && size < 300
                                  ? flip_bits(centre, (int)(next_random(&seed) % 13), &seed)
                                  : centre;
                    ids[i] = (uint32_t)i;
                }
            }
            gn_mih *index;
            gn_error err;
            assert_int_equal(gn_mih_new(&index, &err), 0);
            gn_mih_always_probe(index, 1);
            gn_mih_set_fast_limit(index, 0);
            if (mode(state) & PORTABLE) gn_mih_set_isa(index, GN_MIH_ISA_PORTABLE);
            assert_int_equal(gn_mih_add_many(index, bank, ids, n, &err), 0);
            assert_int_equal(gn_mih_compact(index, &err), 0);
            static const int distances[] = {0, 3, 12, 31, 32, 40};
            for (int q = 0; q < 12; q++) {
                gn_pdq_hash query = q % 4 == 0 ? random_hash(&seed)
                                               : flip_bits(bank[next_random(&seed) % n],
                                                           (int)(next_random(&seed) % 28), &seed);
                for (size_t d = 0; d < sizeof distances / sizeof *distances; d++)
                    if (n < 100000 || distances[d] == 31 || distances[d] == 32)
                        check_query(index, bank, n, &query, distances[d]);
            }
            double per_hash = (double)gn_mih_memory(index) / (double)n;
            if (n >= 300000 && per_hash > 64)
                fail_msg("%zu %s hashes: %.2f bytes per hash", n,
                         clustered ? "clustered" : "random", per_hash);
            gn_mih_free(index);
            free(bank);
            free(ids);
        }
}

static int setup_compact_portable(void **state)
{
    static int flags = PROBE | COMPACT | PORTABLE;
    *state = &flags;
    return 0;
}

static void test_edges(void **state)
{
    gn_mih *index;
    gn_error err;
    gn_mih_results r = {0};
    assert_int_equal(gn_mih_new(&index, &err), 0);
    gn_pdq_hash zero = {{0, 0, 0, 0}}, ones = {{~0ULL, ~0ULL, ~0ULL, ~0ULL}};
    assert_int_equal(gn_mih_query(index, &zero, 31, &r, &err), 0);
    assert_int_equal(r.count, 0);
    assert_int_equal(gn_mih_query(index, &zero, 257, &r, &err), GN_EINPUT);
    assert_int_equal(gn_mih_query(index, &zero, -1, &r, &err), GN_EINPUT);
    assert_int_equal(gn_mih_add(index, &zero, 7, &err), 0);
    assert_int_equal(gn_mih_add(index, &ones, 8, &err), 0);
    assert_int_equal(gn_mih_query(index, &zero, 256, &r, &err), 0);
    assert_int_equal(r.count, 2);
    assert_int_equal(r.items[0].payload, 7);
    assert_int_equal(r.items[1].distance, 256);
    r.count = 0;
    assert_int_equal(gn_mih_compact(index, &err), 0);
    assert_int_equal(gn_mih_query(index, &ones, 0, &r, &err), 0);
    assert_int_equal(r.count, 1);
    assert_int_equal(r.items[0].payload, 8);
    gn_mih_results_free(&r);
    gn_mih_free(index);
}

/* Many copies of one photo (a ring re-listing it) fill one bucket of every
 * table: a query must find them all and overrun nothing (a bug once). */
static void test_many_duplicates(void **state)
{
    gn_mih *m;
    assert_int_equal(gn_mih_new(&m, NULL), 0);
    gn_pdq_hash h = {{0x0123456789abcdefULL, 0xfedcba9876543210ULL, 0x0f0f0f0f0f0f0f0fULL, 42}};
    for (uint32_t i = 0; i < 3000; i++)
        assert_int_equal(gn_mih_add(m, &h, i, NULL), 0);
    gn_pdq_hash other = h;
    other.w[3] ^= 0xff; /* 8 bits away */
    for (uint32_t i = 0; i < 100000; i++) {
        gn_pdq_hash filler = {{i * 0x9e3779b97f4a7c15ULL, ~(uint64_t)i * 31, i, ~(uint64_t)i}};
        assert_int_equal(gn_mih_add(m, &filler, 10000000 + i, NULL), 0);
    }
    gn_mih_results res = {0};
    assert_int_equal(gn_mih_query(m, &other, 31, &res, NULL), 0);
    size_t copies = 0;
    for (size_t i = 0; i < res.count; i++)
        copies += res.items[i].payload < 3000;
    assert_int_equal(copies, 3000);
    gn_mih_results_free(&res);
    gn_mih_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_many_duplicates),
        cmocka_unit_test(test_haystack_needles),
        cmocka_unit_test_setup(test_haystack_needles, setup_probe),
        cmocka_unit_test(test_random_bank),
        cmocka_unit_test_setup(test_random_bank, setup_probe),
        cmocka_unit_test_setup(test_haystack_needles, setup_compact),
        cmocka_unit_test_setup(test_random_bank, setup_compact),
        cmocka_unit_test(test_interleaved),
        cmocka_unit_test_setup(test_interleaved, setup_probe),
        cmocka_unit_test_setup(test_interleaved, setup_compact),
        cmocka_unit_test_setup(test_haystack_needles, setup_fast),
        cmocka_unit_test_setup(test_random_bank, setup_fast),
        cmocka_unit_test_setup(test_interleaved, setup_fast),
        cmocka_unit_test(test_cycle_lemma_edges),
        cmocka_unit_test_setup(test_cycle_lemma_edges, setup_probe),
        cmocka_unit_test_setup(test_cycle_lemma_edges, setup_compact),
        cmocka_unit_test_setup(test_cycle_lemma_edges, setup_fast),
        cmocka_unit_test_setup(test_random_bank, setup_avx2),
        cmocka_unit_test_setup(test_interleaved, setup_avx2),
        cmocka_unit_test_setup(test_cycle_lemma_edges, setup_avx2),
        cmocka_unit_test_setup(test_random_bank, setup_portable),
        cmocka_unit_test_setup(test_interleaved, setup_portable),
        cmocka_unit_test_setup(test_cycle_lemma_edges, setup_portable),
        cmocka_unit_test_setup(test_compact_tight, setup_compact),
        cmocka_unit_test_setup(test_compact_tight, setup_compact_portable),
        cmocka_unit_test_setup(test_compact_parts_tight, setup_compact),
        cmocka_unit_test_setup(test_compact_parts_tight, setup_compact_portable),
        cmocka_unit_test(test_compact_sizes),
        cmocka_unit_test_setup(test_compact_sizes, setup_compact_portable),
        cmocka_unit_test(test_edges),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
