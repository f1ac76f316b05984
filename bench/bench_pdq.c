/* Image hashing and hash-index figures on one core: PDQ images per second on
 * the 1600x1004 conformance JPEGs (decode included), and for the exact index
 * of ten million hashes its build time, bytes per hash, and the median and
 * p99 latency of queries at distance 31 — on a uniformly random bank and on
 * a bank of near-duplicate clusters. Each answer checked against a full scan
 * on a sample of queries. Figures are medians over the runs.
 *
 *   build/bench/bench_pdq [--hashes N] [--queries N] [--runs N] [--images DIR]
 *
 * BENCH_PDQ_IMAGES_ONLY=1 in the environment stops after the image figures.
 *
 * Run from the repository root (the images default to
 * ../shared/conformance/pdq/images). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "detect/mih.h"
#include "media/pdq.h"
#include "media/regions.h"

static void *xmalloc(size_t n)
{
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "bench_pdq: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

/* --- images ------------------------------------------------------------- */

typedef struct file {
    char *name;
    unsigned char *data;
    size_t len;
} file;

static int load(const char *path, file *f)
{
    FILE *in = fopen(path, "rb");
    if (!in) return -1;
    fseek(in, 0, SEEK_END);
    long n = ftell(in);
    fseek(in, 0, SEEK_SET);
    f->data = xmalloc((size_t)n);
    f->len = fread(f->data, 1, (size_t)n, in);
    fclose(in);
    f->name = strdup(path);
    return f->len == (size_t)n ? 0 : -1;
}

/* One figure: `count` pictures from files[first..first+nf) in turn,
 * decoded (with `dec`, or a fresh decoder each as gn_image_decode does) and
 * hashed. Rates per wall second and per CPU second of this thread: on a
 * shared machine the second is what one core does. */
typedef struct rates {
    double wall, cpu, decode_share;
} rates;

/* What is hashed of each picture: one hash (plain PDQ), or what the media
 * layer makes of a listing's photo (eight forms, the picture without its
 * border, its regions and its parts) or of a brand's (eight forms, border,
 * regions). */
enum { HASH_PLAIN, HASH_LISTING, HASH_BRAND };

static rates bench_once(const file *files, int nf, int count, const gn_image_options *opt,
                        gn_image_decoder *dec, int what)
{
    double t_decode = 0, t0 = now(), c0 = thread_cpu_now();
    for (int i = 0; i < count; i++) {
        const file *f = &files[i % nf];
        gn_image img;
        gn_error err;
        double a = now();
        if (gn_image_decode_with(dec, f->data, f->len, f->name, opt, &img, &err)) {
            fprintf(stderr, "bench_pdq: %s\n", err.message);
            exit(1);
        }
        t_decode += now() - a;
        gn_pdq_hash h, forms[GN_PDQ_DIHEDRAL_COUNT];
        gn_pdq_robust more;
        int q;
        if (what == HASH_PLAIN) {
            gn_pdq_hash_image(&img, &h, &q, &err);
        } else {
            gn_pdq_hash_image_dihedral(&img, forms, &q, &err);
            gn_pdq_hash_robust(&img, 1, what == HASH_LISTING, &more, &err);
        }
        gn_image_free(&img);
    }
    double t = now() - t0, c = thread_cpu_now() - c0;
    return (rates){count / t, count / c, t_decode / t};
}

static void bench_images(const char *dir, int runs)
{
    /* bridge-1 is baseline, the other three progressive. */
    static const char *names[] = {"bridge-1-original.jpg", "bridge-3-rotate-180.jpg",
                                  "bridge-5-flipx.jpg", "bridge-6-flipy.jpg"};
    enum { NF = sizeof names / sizeof *names };
    file files[NF];
    for (int i = 0; i < NF; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        if (load(path, &files[i])) {
            fprintf(stderr,
                    "bench_pdq: cannot read %s (run from the repository root, or "
                    "give --images DIR)\n",
                    path);
            exit(1);
        }
    }
    const int per_run = 200;
    gn_image_decoder *dec;
    gn_error err;
    if (gn_image_decoder_new(&dec, &err)) {
        fprintf(stderr, "bench_pdq: %s\n", err.message);
        exit(1);
    }
    static const struct {
        const char *label;
        int min_side, reuse, first, nf, what;
    } modes[] = {
        {"default, decoder kept (4 files)", 0, 1, 0, NF, HASH_PLAIN},
        {"default, decoder per picture", 0, 0, 0, NF, HASH_PLAIN},
        {"default, baseline bridge-1 only", 0, 1, 0, 1, HASH_PLAIN},
        {"default, 3 progressive only", 0, 1, 1, NF - 1, HASH_PLAIN},
        {"1/8..8/8 scaled, >= 256 px side", 256, 1, 0, NF, HASH_PLAIN},
        {"full-size JPEG decoding", -1, 1, 0, NF, HASH_PLAIN},
        {"listing: 8 forms+border+regions+parts+patches", 0, 1, 0, NF, HASH_LISTING},
        {"brand photo: 8 forms+border+regions+patches", 0, 1, 0, NF, HASH_BRAND},
    };
    printf("PDQ hashing: %d x 1600x1004 JPEG per run (files in turn), decode + hash from memory, "
           "1 thread, %d runs; images/s per wall second and per CPU second of the thread\n",
           per_run, runs);
    for (size_t m = 0; m < sizeof modes / sizeof *modes; m++) {
        gn_image_options opt = {0, modes[m].min_side};
        double wall[32], cpu[32], share[32];
        bench_once(files + modes[m].first, modes[m].nf, 8, &opt, dec, modes[m].what); /* warm up */
        for (int r = 0; r < runs; r++) {
            rates x = bench_once(files + modes[m].first, modes[m].nf, per_run, &opt,
                                 modes[m].reuse ? dec : NULL, modes[m].what);
            wall[r] = x.wall, cpu[r] = x.cpu, share[r] = x.decode_share;
        }
        printf("  %-34s %6.0f images/s (wall), %6.0f per CPU second (medians; decoding %.0f%%)\n",
               modes[m].label, percentile(wall, (size_t)runs, 0.5),
               percentile(cpu, (size_t)runs, 0.5), 100 * percentile(share, (size_t)runs, 0.5));
    }
    gn_image_decoder_free(dec);
    for (int i = 0; i < NF; i++)
        free(files[i].data), free(files[i].name);
}

/* --- the index ---------------------------------------------------------- */

static size_t scan_count(const gn_pdq_hash *bank, size_t n, const gn_pdq_hash *q, int d)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += gn_pdq_distance(q, &bank[i]) <= d;
    return c;
}

static void bench_bank(const char *label, const gn_pdq_hash *bank, size_t n, size_t nqueries,
                       int runs, uint64_t seed)
{
    uint32_t *payloads = xmalloc(n * sizeof *payloads);
    for (size_t i = 0; i < n; i++)
        payloads[i] = (uint32_t)i;
    /* Queries: a third unrelated, the rest near copies (4-20 bits) of stored
     * hashes — a marketplace mostly asks about pictures it has not seen. */
    gn_pdq_hash *queries = xmalloc(nqueries * sizeof *queries);
    for (size_t i = 0; i < nqueries; i++)
        queries[i] = i % 3 == 0 ? random_hash(&seed)
                                : flip_bits(bank[next_random(&seed) % n],
                                            4 + (int)(next_random(&seed) % 17), &seed);
    double build[32], median[32], p99[32], bytes = 0, matches = 0;
    double *lat = xmalloc(nqueries * sizeof *lat);
    for (int r = 0; r < runs; r++) {
        gn_mih *index;
        gn_error err;
        if (gn_mih_new(&index, &err)) exit(1);
        double t0 = now();
        if (gn_mih_add_many(index, bank, payloads, n, &err) || gn_mih_compact(index, &err)) {
            fprintf(stderr, "bench_pdq: %s\n", err.message);
            exit(1);
        }
        build[r] = now() - t0;
        bytes = (double)gn_mih_memory(index) / (double)n;
        gn_mih_results res = {0};
        size_t found = 0;
        for (size_t i = 0; i < nqueries; i++) {
            res.count = 0;
            double a = now();
            gn_mih_query(index, &queries[i], GN_PDQ_MATCH_DISTANCE, &res, &err);
            lat[i] = now() - a;
            found += res.count;
            /* Exactness, checked on a few queries per run (a scan of the
             * whole bank costs tens of milliseconds). */
            if (i % (nqueries / 4 + 1) == 0 &&
                scan_count(bank, n, &queries[i], GN_PDQ_MATCH_DISTANCE) != res.count) {
                fprintf(stderr, "bench_pdq: query %zu differs from a full scan\n", i);
                exit(1);
            }
        }
        matches = (double)found / (double)nqueries;
        median[r] = percentile(lat, nqueries, 0.5);
        p99[r] = percentile(lat, nqueries, 0.99);
        gn_mih_results_free(&res);
        gn_mih_free(index);
    }
    printf("  %-26s build %5.2f s   %5.1f bytes/hash   d=31 query: median %6.1f us, "
           "p99 %6.1f us   (%.1f matches/query)\n",
           label, percentile(build, (size_t)runs, 0.5), bytes,
           1e6 * percentile(median, (size_t)runs, 0.5), 1e6 * percentile(p99, (size_t)runs, 0.5),
           matches);
    free(lat);
    free(queries);
    free(payloads);
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_pdq [--hashes N] [--queries N] [--runs N] [--images DIR]\nSee "
               "bench/README.md for what it measures.");
    size_t nhashes = 10000000, nqueries = 2000;
    int runs = 3;
    const char *images = "../shared/conformance/pdq/images";
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--hashes") == 0)
            nhashes = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--queries") == 0)
            nqueries = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--images") == 0)
            images = argv[++i];
        else {
            fprintf(stderr,
                    "usage: bench_pdq [--hashes N] [--queries N] [--runs N] [--images DIR]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 32 || nhashes < 1000 || nqueries < 1) {
        fprintf(stderr, "bench_pdq: runs must be 1..32, hashes >= 1000, queries >= 1\n");
        return 2;
    }
    printf("bench_pdq: %ld cores online, measured on 1 thread; %d runs, medians shown\n",
           sysconf(_SC_NPROCESSORS_ONLN), runs);
    bench_images(images, runs);
    if (getenv("BENCH_PDQ_IMAGES_ONLY")) return 0;

    printf("Exact index (gn_mih), %zu hashes, %zu queries per run at distance %d, checked "
           "against full scans:\n",
           nhashes, nqueries, GN_PDQ_MATCH_DISTANCE);
    uint64_t seed = 42;
    gn_pdq_hash *bank = xmalloc(nhashes * sizeof *bank);
    for (size_t i = 0; i < nhashes; i++)
        bank[i] = random_hash(&seed);
    bench_bank("random bank", bank, nhashes, nqueries, runs, 7);
    /* Clusters: 1..20 near copies (0-12 bits from a centre), as when the
     * same product photo is re-uploaded, cropped and re-compressed. */
    for (size_t i = 0; i < nhashes;) {
        gn_pdq_hash centre = random_hash(&seed);
        size_t size = 1 + next_random(&seed) % 20;
        for (size_t k = 0; k < size && i < nhashes; k++)
            bank[i++] = flip_bits(centre, (int)(next_random(&seed) % 13), &seed);
    }
    bench_bank("near-duplicate clusters", bank, nhashes, nqueries, runs, 8);
    free(bank);
    return 0;
}
