/* The exact hash index (gn_mih) at the sizes the engine's banks have: 10k to
 * 2M hashes, plus 10M on request. For each size, a uniformly random bank and
 * a bank of near-duplicate clusters, loaded two ways:
 *   - bulk: gn_mih_add_many then gn_mih_compact (loading a bank at start);
 *   - incremental: one gn_mih_add at a time, and over the last --queries
 *     additions each add is followed by a query (the engine's pattern: it
 *     blocks listings and adds their photos while it keeps deciding).
 * Prints bytes per hash (gn_mih_memory), the median and p99 microseconds of
 * distance-31 queries, and the cost of adds. Every run checks a sample of
 * answers against a full scan and stops if one differs. Figures are medians
 * over the runs, because the machine is shared.
 *
 * Bulk rows also give lookups per CPU second of the thread (all queries'
 * CPU time together, the checks left out): the figure for a core of a
 * shared machine. With --faiss (built by `make bench` where Debian's
 * libfaiss-dev is installed) each bulk bank is also loaded into FAISS's
 * IndexBinaryMultiHash(256, 16, 16) with one bit flipped per map, Meta's
 * HMA configuration, on one thread, and the same queries are timed and
 * checked against the same scans; its memory is what its structures hold
 * (faiss_bank_bytes).
 *
 * --photos N times a listing of three photos checked against N brands'
 * photos, as the engine banks them (each photo's upright form and mirror
 * image, the picture without its border and its ten regions: 13 hashes in
 * the main index; its six other turned and flipped forms in a second; its 27 anchored patches,
 * the average on test_regions' photos, in a third) and looks a listing's
 * photo up (its eight forms, border, eight parts: 17 queries in the main
 * index, two of them also among the turned forms; the first 12 of its 19
 * patches within GN_PATCH_MATCH_DISTANCE); the forms are random hashes,
 * which is what the index sees of unrelated photos. Prints the CPU
 * microseconds per listing (mean, and the median and p99 of single
 * listings) and per photo.
 *
 * --grow N replays the engine's photo bank instead (bench_engine on a
 * 200,000-listing corpus: 89,500 adds, 400,000 queries): N adds of random
 * hashes (one in ten a near copy of an earlier one), each followed by 4 or
 * 5 queries (nine in ten random, the rest near copies), and prints the CPU
 * time of the whole, per query and add together and split (adds by the
 * monotonic clock, queries the rest).
 *
 *   build/bench/bench_mih [--sizes N,N,...] [--queries N] [--runs N] [--bulk-only] [--faiss]
 *   build/bench/bench_mih --grow N [--runs N]
 *   build/bench/bench_mih --photos N [--runs N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "detect/mih.h"
#include "media/patches.h"
#include "media/pdq.h"

#ifdef GN_BENCH_FAISS
/* bench/faiss_bank.cpp */
void *faiss_bank_new(const void *hashes, size_t n);
size_t faiss_bank_range(void *bank, const void *query, int max_distance, uint32_t *ids,
                        int *distances, size_t cap);
size_t faiss_bank_bytes(const void *bank);
void faiss_bank_free(void *bank);
#endif

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "bench_mih: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

static void die(const gn_error *err)
{
    fprintf(stderr, "bench_mih: %s\n", err->message);
    exit(1);
}

/* Same banks as bench_pdq: uniform, or clusters of 1..20 near copies (0-12
 * bits from a centre), as when one product photo is re-uploaded, cropped
 * and re-compressed. */
static void make_bank(gn_pdq_hash *bank, size_t n, int clustered, uint64_t seed)
{
    for (size_t i = 0; i < n;) {
        gn_pdq_hash centre = random_hash(&seed);
        size_t size = clustered ? 1 + next_random(&seed) % 20 : 1;
        for (size_t k = 0; k < size && i < n; k++)
            bank[i++] =
                clustered ? flip_bits(centre, (int)(next_random(&seed) % 13), &seed) : centre;
    }
}

/* A third unrelated, the rest near copies (4-20 bits) of hashes among the
 * first `among` of the bank: a marketplace mostly asks about pictures it
 * has not seen. */
static gn_pdq_hash make_query(const gn_pdq_hash *bank, size_t among, size_t i, uint64_t *seed)
{
    if (i % 3 == 0) return random_hash(seed);
    return flip_bits(bank[next_random(seed) % among], 4 + (int)(next_random(seed) % 17), seed);
}

static size_t scan_count(const gn_pdq_hash *bank, size_t n, const gn_pdq_hash *q, int d)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += gn_pdq_distance(q, &bank[i]) <= d;
    return c;
}

typedef struct figures {
    double median, p99, bytes, matches;
    double per_cpu_second; /* bulk: queries per CPU second of the thread */
    double load;           /* bulk: add_many + compact, s; incremental: mean us per add */
    double add_max;        /* incremental: slowest single add, ms */
    size_t segments;
} figures;

/* One query, timed; every `check_every`-th answer compared with a scan. */
static double timed_query(const gn_mih *index, const gn_pdq_hash *bank, size_t count,
                          const gn_pdq_hash *q, gn_mih_results *res, int check, size_t *found)
{
    gn_error err;
    res->count = 0;
    double a = now();
    if (gn_mih_query(index, q, GN_PDQ_MATCH_DISTANCE, res, &err)) die(&err);
    double t = now() - a;
    *found += res->count;
    if (check && scan_count(bank, count, q, GN_PDQ_MATCH_DISTANCE) != res->count) {
        fprintf(stderr, "bench_mih: a query differs from a full scan (%zu hashes)\n", count);
        exit(1);
    }
    return t;
}

static int by_match(const void *a, const void *b)
{
    const gn_mih_match *x = a, *y = b;
    if (x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
    return (x->payload > y->payload) - (x->payload < y->payload);
}

/* The answer of gn_mih (or of FAISS, when faiss is not NULL) to q, against
 * a scan of bank[0..n) whose payloads are positions: the same set of
 * (payload, distance), or the bench stops. */
static void check_answer(const gn_pdq_hash *bank, size_t n, const gn_pdq_hash *q,
                         const gn_mih *index, void *faiss)
{
    gn_mih_results got = {0}, want = {0};
    gn_error err;
    if (faiss) {
#ifdef GN_BENCH_FAISS
        got.items = xmalloc(n * sizeof *got.items);
        uint32_t *ids = xmalloc(n * sizeof *ids);
        int *dist = xmalloc(n * sizeof *dist);
        got.count = faiss_bank_range(faiss, q, GN_PDQ_MATCH_DISTANCE, ids, dist, n);
        for (size_t i = 0; i < got.count; i++)
            got.items[i] = (gn_mih_match){ids[i], dist[i]};
        free(ids);
        free(dist);
#endif
    } else if (gn_mih_query(index, q, GN_PDQ_MATCH_DISTANCE, &got, &err)) {
        die(&err);
    }
    want.items = xmalloc((n ? n : 1) * sizeof *want.items);
    for (size_t i = 0; i < n; i++) {
        int d = gn_pdq_distance(q, &bank[i]);
        if (d <= GN_PDQ_MATCH_DISTANCE) want.items[want.count++] = (gn_mih_match){(uint32_t)i, d};
    }
    qsort(got.items, got.count, sizeof *got.items, by_match);
    qsort(want.items, want.count, sizeof *want.items, by_match);
    if (got.count != want.count ||
        (got.count && memcmp(got.items, want.items, got.count * sizeof *got.items))) {
        fprintf(stderr, "bench_mih: %s's answer differs from a full scan (%zu hashes)\n",
                faiss ? "FAISS" : "gn_mih", n);
        exit(1);
    }
    gn_mih_results_free(&got);
    gn_mih_results_free(&want);
}

static figures run_once(const gn_pdq_hash *bank, const uint32_t *payloads, size_t n, size_t nq,
                        int incremental, uint64_t seed)
{
    figures f = {0};
    gn_mih *index;
    gn_error err;
    gn_mih_results res = {0};
    double *lat = xmalloc(nq * sizeof *lat);
    size_t found = 0, check_every = nq / 8 + 1;
    if (gn_mih_new(&index, &err)) die(&err);
    if (!incremental) {
        double t0 = now();
        if (gn_mih_add_many(index, bank, payloads, n, &err) || gn_mih_compact(index, &err))
            die(&err);
        f.load = now() - t0;
        gn_pdq_hash *qs = xmalloc(nq * sizeof *qs);
        for (size_t i = 0; i < nq; i++)
            qs[i] = make_query(bank, n, i, &seed);
        double c0 = thread_cpu_now();
        for (size_t i = 0; i < nq; i++)
            lat[i] = timed_query(index, bank, n, &qs[i], &res, 0, &found);
        f.per_cpu_second = (double)nq / (thread_cpu_now() - c0);
        for (size_t i = 0; i < nq; i += check_every)
            check_answer(bank, n, &qs[i], index, NULL);
        free(qs);
    } else {
        size_t first = n > nq ? n - nq : 0;
        double worst = 0;
        for (size_t i = 0; i < n; i++) {
            double a = now();
            if (gn_mih_add(index, &bank[i], payloads[i], &err)) die(&err);
            double t = now() - a;
            if (t > worst) worst = t;
            if (i >= first) {
                gn_pdq_hash q = make_query(bank, i + 1, i - first, &seed);
                lat[i - first] = timed_query(index, bank, i + 1, &q, &res,
                                             (i - first) % check_every == 0, &found);
            }
        }
        f.add_max = 1e3 * worst;
        nq = n - first;
    }
    f.bytes = (double)gn_mih_memory(index) / (double)n;
    f.matches = (double)found / (double)nq;
    f.median = 1e6 * percentile(lat, nq, 0.5);
    f.p99 = 1e6 * percentile(lat, nq, 0.99);
    gn_mih_results_free(&res);
    gn_mih_free(index);
    free(lat);
    return f;
}

#ifdef GN_BENCH_FAISS
/* The same bank and queries in FAISS (see the top comment). */
static figures faiss_once(const gn_pdq_hash *bank, size_t n, size_t nq, uint64_t seed)
{
    figures f = {0};
    size_t found = 0, check_every = nq / 8 + 1;
    double t0 = now();
    void *faiss = faiss_bank_new(bank, n);
    f.load = now() - t0;
    f.bytes = (double)faiss_bank_bytes(faiss) / (double)n;
    gn_pdq_hash *qs = xmalloc(nq * sizeof *qs);
    double *lat = xmalloc(nq * sizeof *lat);
    uint32_t ids[4096];
    int dist[4096];
    for (size_t i = 0; i < nq; i++)
        qs[i] = make_query(bank, n, i, &seed);
    double c0 = thread_cpu_now();
    for (size_t i = 0; i < nq; i++) {
        double a = now();
        found += faiss_bank_range(faiss, &qs[i], GN_PDQ_MATCH_DISTANCE, ids, dist, 4096);
        lat[i] = now() - a;
    }
    f.per_cpu_second = (double)nq / (thread_cpu_now() - c0);
    for (size_t i = 0; i < nq; i += check_every)
        check_answer(bank, n, &qs[i], NULL, faiss);
    faiss_bank_free(faiss);
    f.matches = (double)found / (double)nq;
    f.median = 1e6 * percentile(lat, nq, 0.5);
    f.p99 = 1e6 * percentile(lat, nq, 0.99);
    free(qs);
    free(lat);
    return f;
}
#endif

/* One index of the photo bank, loaded in bulk with `per` random hashes a
 * photo (payload: the photo). */
static gn_mih *photo_index(const gn_pdq_hash *hashes, size_t photos, size_t per, uint32_t *payloads)
{
    gn_mih *index;
    gn_error err;
    for (size_t i = 0; i < photos * per; i++)
        payloads[i] = (uint32_t)(i / per);
    if (gn_mih_new(&index, &err) || gn_mih_add_many(index, hashes, payloads, photos * per, &err) ||
        gn_mih_compact(index, &err))
        die(&err);
    return index;
}

static void photo_query(const gn_mih *index, const gn_pdq_hash *q, int d, gn_mih_results *res)
{
    gn_error err;
    res->count = 0;
    if (gn_mih_query(index, q, d, res, &err)) die(&err);
}

static void bench_photos(size_t photos, int runs)
{
    /* The engine's indexes (src/detect/image_bank.c) per brand photo: its
     * upright form, mirror image, border and ten regions (13) in the main
     * one, its six other turned and flipped forms in their own, its 27 anchored
     * patches (at two scales) in theirs. A listing photo
     * (src/detect/image.c): its eight forms, border and eight parts in the
     * main index (17), its quarter turn and border among the turned forms
     * too (2), the first GN_PATCHES_AGAINST_OFFICIAL (12) of its 19
     * patches among the brands' patches within GN_PATCH_MATCH_DISTANCE,
     * all 19 among removed listings' (an empty index here: the bench holds
     * brands' photos only). Listings of three photos. */
    enum {
        MAIN = 13,
        TURNED = 6,
        PATCHES = 27,
        LOOKED = 17,
        IN_TURNED = 2,
        LOOKED_PATCHES = 19,
        AGAINST_OFFICIAL = GN_PATCHES_AGAINST_OFFICIAL,
        PER_LISTING = 3
    };
    const size_t listings = 700, n_photos = listings * PER_LISTING;
    size_t nm = photos * MAIN, nt = photos * TURNED, np = photos * PATCHES;
    gn_pdq_hash *main_bank = xmalloc(nm * sizeof *main_bank),
                *turned_bank = xmalloc(nt * sizeof *turned_bank),
                *patch_bank = xmalloc(np * sizeof *patch_bank);
    uint32_t *payloads = xmalloc(np * sizeof *payloads);
    uint64_t seed = 5;
    for (size_t i = 0; i < nm; i++)
        main_bank[i] = random_hash(&seed);
    for (size_t i = 0; i < nt; i++)
        turned_bank[i] = random_hash(&seed);
    for (size_t i = 0; i < np; i++)
        patch_bank[i] = random_hash(&seed);
    /* Every third listing photo a near copy of a brand photo's forms (0-19
     * bits off, patches 0-11), the rest unrelated. */
    gn_pdq_hash *qs = xmalloc(n_photos * LOOKED * sizeof *qs),
                *pqs = xmalloc(n_photos * LOOKED_PATCHES * sizeof *pqs);
    for (size_t p = 0; p < n_photos; p++) {
        int near = p % 3 == 0;
        for (size_t k = 0; k < LOOKED; k++)
            qs[p * LOOKED + k] = near ? flip_bits(main_bank[next_random(&seed) % nm],
                                                  (int)(next_random(&seed) % 20), &seed)
                                      : random_hash(&seed);
        for (size_t k = 0; k < LOOKED_PATCHES; k++)
            pqs[p * LOOKED_PATCHES + k] = near ? flip_bits(patch_bank[next_random(&seed) % np],
                                                           (int)(next_random(&seed) % 12), &seed)
                                               : random_hash(&seed);
    }
    double mean[32], median[32], p99[32], per_patches[32];
    double *each = xmalloc(listings * sizeof *each);
    gn_mih_results res = {0};
    size_t bytes = 0;
    for (int r = 0; r < runs; r++) {
        gn_mih *main_index = photo_index(main_bank, photos, MAIN, payloads);
        gn_mih *turned_index = photo_index(turned_bank, photos, TURNED, payloads);
        gn_mih *patch_index = photo_index(patch_bank, photos, PATCHES, payloads);
        gn_mih *removed_patches = photo_index(patch_bank, 0, PATCHES, payloads);
        bytes =
            gn_mih_memory(main_index) + gn_mih_memory(turned_index) + gn_mih_memory(patch_index);
        double in_patches = 0, c0 = thread_cpu_now();
        for (size_t l = 0; l < listings; l++) {
            double l0 = thread_cpu_now();
            for (size_t p = l * PER_LISTING; p < (l + 1) * PER_LISTING; p++) {
                const gn_pdq_hash *q = &qs[p * LOOKED];
                for (size_t k = 0; k < LOOKED; k++)
                    photo_query(main_index, &q[k], GN_PDQ_MATCH_DISTANCE, &res);
                /* The quarter turn (form 1) and the border (form 8). */
                photo_query(turned_index, &q[1], GN_PDQ_MATCH_DISTANCE, &res);
                photo_query(turned_index, &q[8], GN_PDQ_MATCH_DISTANCE, &res);
                double p0 = thread_cpu_now();
                for (size_t k = 0; k < LOOKED_PATCHES; k++) {
                    if (k < AGAINST_OFFICIAL)
                        photo_query(patch_index, &pqs[p * LOOKED_PATCHES + k],
                                    GN_PATCH_MATCH_DISTANCE, &res);
                    photo_query(removed_patches, &pqs[p * LOOKED_PATCHES + k],
                                GN_REMOVED_PATCH_MATCH_DISTANCE, &res);
                }
                in_patches += thread_cpu_now() - p0;
            }
            each[l] = 1e6 * (thread_cpu_now() - l0);
        }
        mean[r] = 1e6 * (thread_cpu_now() - c0) / (double)listings;
        per_patches[r] = 1e6 * in_patches / (double)listings;
        median[r] = percentile(each, listings, 0.5);
        p99[r] = percentile(each, listings, 0.99);
        gn_mih_free(main_index);
        gn_mih_free(turned_index);
        gn_mih_free(patch_index);
        gn_mih_free(removed_patches);
    }
    printf("  %zu brand photos (%zu hashes, %zu turned forms and %zu patches, %.0f MB): a "
           "listing photo's %d lookups, %d among the turned forms, %d of its %d patches among the "
           "brands'\n",
           photos, nm, nt, np, bytes / 1e6, LOOKED, IN_TURNED, AGAINST_OFFICIAL, LOOKED_PATCHES);
    printf("  a listing of %d photos: %.0f us of CPU (mean of the median run; one listing: "
           "median %.0f, p99 %.0f), the patches' %.0f of it; %.0f us a photo\n",
           PER_LISTING, percentile(mean, (size_t)runs, 0.5), percentile(median, (size_t)runs, 0.5),
           percentile(p99, (size_t)runs, 0.5), percentile(per_patches, (size_t)runs, 0.5),
           percentile(mean, (size_t)runs, 0.5) / PER_LISTING);
    free(each);
    free(main_bank);
    free(turned_bank);
    free(patch_bank);
    free(payloads);
    free(qs);
    free(pqs);
    gn_mih_results_free(&res);
}

/* Adds alone, without queries, to see what one add costs on average. */
static double add_cost(const gn_pdq_hash *bank, const uint32_t *payloads, size_t n)
{
    gn_mih *index;
    gn_error err;
    if (gn_mih_new(&index, &err)) die(&err);
    double t0 = now();
    for (size_t i = 0; i < n; i++)
        if (gn_mih_add(index, &bank[i], payloads[i], &err)) die(&err);
    double t = now() - t0;
    gn_mih_free(index);
    return 1e6 * t / (double)n;
}

/* The engine's pattern (see the top comment): thread CPU seconds of the
 * whole; its adds timed one by one on the (cheap) monotonic clock, and the
 * queries the rest. Queries are made beforehand and the checks against a
 * scan are left out, so the figures hold no generator and one clock read
 * per add, none per query. */
typedef struct grow_figures {
    double total, adds, queries, matches;
    size_t nq;
} grow_figures;

static grow_figures grow_once(size_t n, uint64_t seed)
{
    grow_figures g = {0};
    gn_pdq_hash *bank = xmalloc(n * sizeof *bank), *qs = xmalloc(5 * n * sizeof *qs);
    gn_mih *index;
    gn_error err;
    gn_mih_results res = {0};
    size_t found = 0, nq = 0;
    for (size_t i = 0; i < n; i++) {
        bank[i] = i % 10 == 9 ? flip_bits(bank[next_random(&seed) % i],
                                          (int)(next_random(&seed) % 13), &seed)
                              : random_hash(&seed);
        for (int k = 0; k < 4 + (int)(i & 1); k++, nq++)
            qs[nq] = nq % 10 == 9 ? flip_bits(bank[next_random(&seed) % (i + 1)],
                                              4 + (int)(next_random(&seed) % 17), &seed)
                                  : random_hash(&seed);
    }
    if (gn_mih_new(&index, &err)) die(&err);
    double checks = 0, t0 = thread_cpu_now();
    for (size_t i = 0; i < n; i++) {
        double a = now();
        if (gn_mih_add(index, &bank[i], (uint32_t)i, &err)) die(&err);
        g.adds += now() - a;
        for (int k = 0; k < 4 + (int)(i & 1); k++, g.nq++) {
            res.count = 0;
            if (gn_mih_query(index, &qs[g.nq], GN_PDQ_MATCH_DISTANCE, &res, &err)) die(&err);
            found += res.count;
            if (g.nq % 997 != 0) continue;
            double c = thread_cpu_now();
            if (scan_count(bank, i + 1, &qs[g.nq], GN_PDQ_MATCH_DISTANCE) != res.count) {
                fprintf(stderr, "bench_mih: a query differs from a full scan (%zu hashes)\n",
                        i + 1);
                exit(1);
            }
            checks += thread_cpu_now() - c;
        }
    }
    g.total = thread_cpu_now() - t0 - checks;
    g.queries = g.total - g.adds;
    g.matches = (double)found / (double)g.nq;
    gn_mih_results_free(&res);
    gn_mih_free(index);
    free(bank);
    free(qs);
    return g;
}

static void bench_grow(size_t n, int runs)
{
    double total[32], adds[32], queries[32];
    grow_figures g = {0};
    for (int r = 0; r < runs; r++) {
        g = grow_once(n, 99 + (uint64_t)r);
        total[r] = g.total, adds[r] = g.adds, queries[r] = g.queries;
    }
    double t = percentile(total, (size_t)runs, 0.5);
    printf("  grow to %zu: %zu queries (%.2f matches each); cpu %.3f s in all, %.2f us per "
           "query with the adds; adds %.3f s, queries %.3f s (%.2f us each)\n",
           n, g.nq, g.matches, t, 1e6 * t / (double)g.nq, percentile(adds, (size_t)runs, 0.5),
           percentile(queries, (size_t)runs, 0.5),
           1e6 * percentile(queries, (size_t)runs, 0.5) / (double)g.nq);
}

static void bench_size(size_t n, int clustered, size_t nq, int runs, int bulk_only, int faiss)
{
    gn_pdq_hash *bank = xmalloc(n * sizeof *bank);
    uint32_t *payloads = xmalloc(n * sizeof *payloads);
    make_bank(bank, n, clustered, 42 + n);
    for (size_t i = 0; i < n; i++)
        payloads[i] = (uint32_t)i;
    const char *kind = clustered ? "clustered" : "random";
    for (int mode = 0; mode < (bulk_only ? 1 : 2); mode++) {
        double med[32], p99[32], load[32], amax[32], rate[32];
        figures f = {0};
        for (int r = 0; r < runs; r++) {
            f = run_once(bank, payloads, n, nq, mode, 7 + (uint64_t)r);
            med[r] = f.median, p99[r] = f.p99, load[r] = f.load, amax[r] = f.add_max;
            rate[r] = f.per_cpu_second;
        }
        if (mode == 1)
            for (int r = 0; r < runs; r++)
                load[r] = add_cost(bank, payloads, n);
        printf("  %8zu %-9s %-11s %6.1f B/hash  d=31: median %7.2f us  p99 %8.2f us  "
               "(%.1f matches)  ",
               n, kind, mode ? "incremental" : "bulk", f.bytes, percentile(med, (size_t)runs, 0.5),
               percentile(p99, (size_t)runs, 0.5), f.matches);
        if (mode == 0)
            printf("load %.2f s  %.0f lookups per CPU second\n",
                   percentile(load, (size_t)runs, 0.5), percentile(rate, (size_t)runs, 0.5));
        else
            printf("add: mean %.2f us, slowest %.1f ms\n", percentile(load, (size_t)runs, 0.5),
                   percentile(amax, (size_t)runs, 0.5));
        fflush(stdout);
    }
#ifdef GN_BENCH_FAISS
    if (faiss) {
        double med[32], p99[32], load[32], rate[32];
        figures f = {0};
        for (int r = 0; r < runs; r++) {
            f = faiss_once(bank, n, nq, 7 + (uint64_t)r);
            med[r] = f.median, p99[r] = f.p99, load[r] = f.load, rate[r] = f.per_cpu_second;
        }
        printf("  %8zu %-9s %-11s %6.1f B/hash  d=31: median %7.2f us  p99 %8.2f us  "
               "(%.1f matches)  load %.2f s  %.0f lookups per CPU second\n",
               n, kind, "FAISS", f.bytes, percentile(med, (size_t)runs, 0.5),
               percentile(p99, (size_t)runs, 0.5), f.matches, percentile(load, (size_t)runs, 0.5),
               percentile(rate, (size_t)runs, 0.5));
        fflush(stdout);
    }
#endif
    free(bank);
    free(payloads);
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_mih [--sizes N,N,...] [--queries N] [--runs N] [--grow N] "
               "[--bulk-only] [--faiss] [--photos N]\nSee bench/README.md for what it measures.");
    size_t sizes[16] = {10000, 100000, 1000000, 2000000}, nsizes = 4, nq = 2000;
    int runs = 3, bulk_only = 0, faiss = 0;
    size_t grow = 0, photos = 0;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--sizes") == 0) {
            nsizes = 0;
            for (char *s = argv[++i]; *s && nsizes < 16;) {
                sizes[nsizes++] = strtoull(s, &s, 10);
                if (*s == ',') s++;
            }
        } else if (i + 1 < argc && strcmp(argv[i], "--queries") == 0) {
            nq = strtoull(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0) {
            runs = atoi(argv[++i]);
        } else if (i + 1 < argc && strcmp(argv[i], "--photos") == 0) {
            photos = strtoull(argv[++i], NULL, 10);
        } else if (i + 1 < argc && strcmp(argv[i], "--grow") == 0) {
            grow = strtoull(argv[++i], NULL, 10);
        } else if (strcmp(argv[i], "--bulk-only") == 0) {
            bulk_only = 1;
        } else if (strcmp(argv[i], "--faiss") == 0) {
#ifndef GN_BENCH_FAISS
            fprintf(stderr, "bench_mih: built without FAISS (install libfaiss-dev: make deps; "
                            "then make bench)\n");
            return 2;
#endif
            faiss = 1;
        } else {
            fprintf(stderr, "usage: bench_mih [--sizes N,N,...] [--queries N] [--runs N] "
                            "[--bulk-only] [--faiss] [--grow N] [--photos N]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 32 || nq < 1) {
        fprintf(stderr, "bench_mih: runs must be 1..32, queries >= 1\n");
        return 2;
    }
    for (size_t k = 0; k < nsizes; k++)
        if (sizes[k] < 1) {
            fprintf(stderr, "bench_mih: sizes must be >= 1\n");
            return 2;
        }
    if (photos) {
        printf("bench_mih: %ld cores online, 1 thread; distance %d, %d runs\n",
               sysconf(_SC_NPROCESSORS_ONLN), GN_PDQ_MATCH_DISTANCE, runs);
        bench_photos(photos, runs);
        return 0;
    }
    if (grow) {
        printf("bench_mih: %ld cores online, 1 thread; queries at distance %d, %d runs, "
               "medians shown\n",
               sysconf(_SC_NPROCESSORS_ONLN), GN_PDQ_MATCH_DISTANCE, runs);
        bench_grow(grow, runs);
        return 0;
    }
    printf("bench_mih: %ld cores online, 1 thread; %zu queries at distance %d per run, "
           "%d runs, medians shown\n",
           sysconf(_SC_NPROCESSORS_ONLN), nq, GN_PDQ_MATCH_DISTANCE, runs);
    for (size_t k = 0; k < nsizes; k++)
        for (int clustered = 0; clustered < 2; clustered++)
            bench_size(sizes[k], clustered, nq, runs, bulk_only, faiss);
    return 0;
}
