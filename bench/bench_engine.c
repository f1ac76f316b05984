/* In-process throughput of the whole listing path: decode, validate, state,
 * signals, decision, and the store written in batches — the figure behind
 * "50,000 listing events per second per core".
 *
 *   build/bench/bench_engine FILE.jsonl [--runs N] [--batch N]
 *
 * Each run ingests the whole file into a fresh SQLite store in a temporary
 * directory on one thread, and reports wall and CPU time; the figures printed
 * are medians over the runs. Generate a corpus with `genuine simulate --profile bench`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "genuine.h"

static int compare(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_engine FILE.jsonl [--runs N] [--batch N]\nSee bench/README.md for "
               "what it measures.");
    if (argc < 2) {
        fprintf(stderr, "usage: bench_engine FILE.jsonl [--runs N] [--batch N]\n");
        return 2;
    }
    int runs = 5, batch = 20000;
    for (int i = 2; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--batch") == 0)
            batch = atoi(argv[i + 1]);
    }
    if (runs < 1 || runs > 50 || batch < 1) return 2;

    /* The corpus is read into memory first, so the runs measure the engine, not the disk. */
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n_lines = 0, cap = 1024, n_bytes = 0;
    char **lines = malloc(cap * sizeof *lines);
    size_t *lens = malloc(cap * sizeof *lens);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t n;
    size_t listings = 0;
    while ((n = getline(&line, &line_cap, f)) > 0) {
        if (n_lines == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof *lines);
            lens = realloc(lens, cap * sizeof *lens);
        }
        lines[n_lines] = strdup(line);
        lens[n_lines++] = (size_t)n;
        n_bytes += (size_t)n;
        listings += strstr(line, "\"type\":\"listing\"") != NULL;
    }
    free(line);
    fclose(f);

    double wall[50], cpu[50];
    size_t counts[3] = {0};
    for (int r = 0; r < runs; r++) {
        bench_store store;
        gn_engine *e = bench_store_open(&store, "bench_engine");
        gn_error err;
        memset(counts, 0, sizeof counts);
        double w0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < n_lines; i++) {
            gn_result res;
            if (gn_ingest(e, lines[i], lens[i], &res, &err)) {
                fprintf(stderr, "line %zu: %s\n", i + 1, err.message);
                return 1;
            }
            counts[res.outcome]++;
            if ((i + 1) % (size_t)batch == 0 && gn_commit(e, &err)) {
                fprintf(stderr, "%s\n", err.message);
                return 1;
            }
        }
        if (gn_commit(e, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        wall[r] = now() - w0;
        cpu[r] = cpu_now() - c0;
        bench_store_close(&store, "bench_engine");
        fprintf(stderr, "run %d: %.3f s wall, %.3f s cpu\n", r + 1, wall[r], cpu[r]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double w = median(wall, runs), c = median(cpu, runs);
    printf("bench_engine: %s\n", argv[1]);
    printf("  corpus: %zu events (%zu listing events), %.1f MB; accepted %zu, duplicate %zu, "
           "rejected %zu\n",
           n_lines, listings, n_bytes / 1e6, counts[0], counts[1], counts[2]);
    printf("  how: one thread, fresh SQLite store per run (WAL, synchronous=NORMAL), commit every "
           "%d events, %d runs, median\n",
           batch, runs);
    printf("  wall %.3f s, cpu %.3f s\n", w, c);
    printf("  events/s (wall) %.0f; listing events/s per core (cpu) %.0f; %.1f us per event\n",
           n_lines / w, listings / c, c / n_lines * 1e6);
    printf("  peak RSS %.0f MB (corpus in memory included)\n", ru.ru_maxrss / 1024.0);
    return 0;
}
