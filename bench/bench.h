/* What the benchmarks share: a monotonic clock, percentiles of several runs,
 * a small deterministic random generator, and random and near-duplicate PDQ
 * hashes. Header-only: every benchmark is a program of its own. */
#ifndef GN_BENCH_BENCH_H
#define GN_BENCH_BENCH_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

#include "core/rng.h"
#include "detect/pdq.h"

static inline double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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

#endif
