/* The bench profile of `genuine simulate`: a corpus of contract events for the
 * benchmarks and load tests (catalog, sellers, then listings, or a mixed
 * stream of every kind), written as fast as the engine reads it. See
 * tools/sim/corpus.c for what it holds and bench/README.md for its use. */
#ifndef GN_SIM_CORPUS_H
#define GN_SIM_CORPUS_H

#include <stdint.h>
#include <stdio.h>

#include "genuine.h"

typedef struct gn_corpus_options {
    uint64_t seed;     /* default 1: the same seed and counts, the same bytes */
    uint64_t brands;   /* brands in the catalog (default 1000; at most mixed/10) */
    uint64_t sellers;  /* sellers, when have_sellers (else listings/20 or mixed/50; >= 10) */
    int have_sellers;  /* --sellers was given */
    uint64_t listings; /* after the catalog and the sellers, this many listing events */
    uint64_t mixed;    /* or exactly this many events of every kind (not both) */
} gn_corpus_options;

void gn_corpus_options_init(gn_corpus_options *o);

/* Writes the corpus to out. GN_EINPUT for counts out of range, or when
 * writing failed. */
int gn_corpus_write(const gn_corpus_options *o, FILE *out, gn_error *err);

#endif
