/* A small deterministic random generator (xoshiro256**, seeded by
 * splitmix64): what the simulator and the benchmark corpus draw from, so a
 * seed gives the same marketplace on every machine. Not for secrets. */
#ifndef GN_CORE_RNG_H
#define GN_CORE_RNG_H

#include <stdint.h>

/* splitmix64: one step; also a good 64-bit mix of a counter. */
static inline uint64_t gn_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

typedef struct gn_rng {
    uint64_t s[4];
} gn_rng;

static inline void gn_rng_seed(gn_rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = gn_splitmix64(&seed);
}

static inline uint64_t gn_rotl64(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static inline uint64_t gn_rng_next(gn_rng *r)
{
    uint64_t *s = r->s, result = gn_rotl64(s[1] * 5, 7) * 9, t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = gn_rotl64(s[3], 45);
    return result;
}

/* Uniform in [0, n). */
static inline uint32_t gn_rng_below(gn_rng *r, uint32_t n)
{
    return (uint32_t)(((gn_rng_next(r) >> 32) * n) >> 32);
}

/* Uniform in [0, 1). */
static inline double gn_rng_unit(gn_rng *r)
{
    return (double)(gn_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static inline int gn_rng_chance(gn_rng *r, double p)
{
    return gn_rng_unit(r) < p;
}

static inline double gn_rng_between(gn_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gn_rng_unit(r);
}

#endif
