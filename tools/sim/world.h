/* Randomised marketplaces ("worlds") for evaluation that cannot flatter: world
 * N draws its own parameters (shares of outlets, resale, resellers, photo-only
 * fakes, discount ranges, languages, currencies, label sampling, ...) from wide
 * ranges, then generates contract events and their truth. Written apart from
 * the detectors, on purpose; see docs/simulator.md ("Worlds"). */
#ifndef GN_SIM_WORLD_H
#define GN_SIM_WORLD_H

#include <stdint.h>
#include <stdio.h>

#include "genuine.h"

typedef struct gn_world gn_world;

/* World `world` (>= 1) with `listings` new listings over `days` days from
 * `start` (Unix seconds); `seed` varies the draws of events inside the world
 * (its parameters come from `world` alone). GN_EINPUT when out of range. */
int gn_world_new(gn_world **out, uint64_t world, uint64_t seed, uint64_t listings, int days,
                 int64_t start, gn_error *err);
void gn_world_free(gn_world *w);

/* The next event in time order (a JSON object, no newline), valid until the
 * next call. 1 with an event, 0 at the end. */
int gn_world_next(gn_world *w, const char **line, size_t *len, int64_t *at);

/* Truth: one CSV row per listing and per seller (either file may be NULL). */
int gn_world_write_truth(gn_world *w, FILE *listings, FILE *sellers, gn_error *err);

/* The world's parameters and counts as one JSON object, malloc'd. */
char *gn_world_summary_json(gn_world *w);

/* 1 counterfeit, 0 genuine, -1 unknown listing id. */
int gn_world_listing_is_counterfeit(const gn_world *w, const char *listing_id);

/* The share of listings the platform of this world audits at random. */
double gn_world_audit_rate(const gn_world *w);

#endif
