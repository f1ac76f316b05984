/* What the benchmarks share: clocks, percentiles of several runs,
 * a small deterministic random generator, random and near-duplicate PDQ
 * hashes, and a fresh engine per run. Header-only: every benchmark is a
 * program of its own. */
#ifndef GN_BENCH_BENCH_H
#define GN_BENCH_BENCH_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/rng.h"
#include "media/pdq.h"
#include "genuine.h"

/* --help anywhere: the benchmark's usage on stdout and exit 0, before it runs. */
static inline void bench_help(int argc, char **argv, const char *usage)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts(usage);
            exit(0);
        }
}

static inline double clock_seconds(clockid_t clock)
{
    struct timespec ts;
    clock_gettime(clock, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Wall time; the process's CPU time; this thread's CPU time (the machines
 * these run on are shared: time the scheduler gives to others is not ours). */
static inline double now(void)
{
    return clock_seconds(CLOCK_MONOTONIC);
}
static inline double cpu_now(void)
{
    return clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
}
static inline double thread_cpu_now(void)
{
    return clock_seconds(CLOCK_THREAD_CPUTIME_ID);
}

static inline int compare_doubles(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The p-th percentile (0..1) of v[0..n), sorting v in place. */
static inline double percentile(double *v, size_t n, double p)
{
    qsort(v, n, sizeof *v, compare_doubles);
    size_t i = (size_t)(p * (double)(n - 1) + 0.5);
    return v[i < n ? i : n - 1];
}

/* splitmix64: deterministic, fast, good enough for benchmark data. */
static inline uint64_t next_random(uint64_t *state)
{
    return gn_splitmix64(state);
}

static inline gn_pdq_hash random_hash(uint64_t *state)
{
    gn_pdq_hash h;
    for (int i = 0; i < 4; i++)
        h.w[i] = next_random(state);
    return h;
}

/* h with `bits` random bits flipped (a near-duplicate). */
static inline gn_pdq_hash flip_bits(gn_pdq_hash h, int bits, uint64_t *state)
{
    for (int i = 0; i < bits; i++) {
        int k = (int)(next_random(state) % 256);
        h.w[k / 64] ^= (uint64_t)1 << (k % 64);
    }
    return h;
}

/* One run's engine, on a new SQLite file in a temporary folder of its own;
 * the benchmark stops with the reason when it cannot be had. */
typedef struct bench_store {
    char dir[80];
    gn_engine *engine;
} bench_store;

static inline gn_engine *bench_store_open(bench_store *s, const char *bench)
{
    snprintf(s->dir, sizeof s->dir, "/tmp/genuine-%s-XXXXXX", bench);
    char db[96];
    gn_error err;
    if (!mkdtemp(s->dir)) {
        fprintf(stderr, "%s: could not make a temporary folder\n", bench);
        exit(1);
    }
    snprintf(db, sizeof db, "%s/bench.db", s->dir);
    gn_engine_options o = {.db_path = db};
    if (gn_engine_open(&s->engine, &o, &err)) {
        fprintf(stderr, "%s: %s\n", bench, err.message);
        exit(1);
    }
    return s->engine;
}

/* Closes the engine and removes its folder. */
static inline void bench_store_close(bench_store *s, const char *bench)
{
    gn_engine_close(s->engine);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", s->dir);
    if (system(cmd)) fprintf(stderr, "%s: could not remove %s\n", bench, s->dir);
}

/* Feeds one event that must be accepted, or stops with the reason. */
static inline void bench_feed(gn_engine *e, const char *bench, const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(e, json, strlen(json), &res, &err) || res.outcome != GN_ACCEPTED) {
        fprintf(stderr, "%s: %s: %s\n", bench, json, res.error ? res.error : err.message);
        exit(1);
    }
}

#endif
