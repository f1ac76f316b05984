/* A simulated marketplace: brands, genuine sellers and counterfeit rings that
 * list, sell, get reviewed, reported and complained about, written as contract
 * events in time order, with the ground truth kept aside (docs/simulator.md).
 *
 * The stream holds no reviewer verdicts and no bans: those depend on what the
 * engine decides, so the evaluation harness plays them online. In particular
 * orders keep arriving for a listing whatever the engine did with it; the
 * harness drops the ones that fall after it removed the listing. */
#ifndef GN_SIM_MARKETPLACE_H
#define GN_SIM_MARKETPLACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "genuine.h"

typedef struct gn_sim_options {
    uint64_t seed;            /* same seed, same options: the same bytes (default 1) */
    uint64_t listings;        /* new listings in the stream (default 1,000,000) */
    int days;                 /* length of the stream (default 30) */
    double counterfeit_share; /* share of new listings that are fakes (default 0.05) */
    int brands;               /* brands in the catalog; 0: min(500, max(20, listings/200)) */
    int64_t start;            /* first second of the stream, Unix time (default 2026-11-01) */
    uint64_t world; /* 0: this marketplace; N >= 1: world N of tools/sim/world.h, whose own
                       parameters are drawn from N (listings, days, seed and start apply) */
} gn_sim_options;

void gn_sim_options_init(gn_sim_options *o);

typedef struct gn_sim gn_sim;

/* Plans the whole marketplace (entities, listings and their times) and gets
 * ready to stream. GN_EINPUT for options out of range, GN_ENOMEM. */
int gn_sim_new(gn_sim **out, const gn_sim_options *o, gn_error *err);
void gn_sim_free(gn_sim *s);

/* The next event, as one JSON object without a newline, valid until the next
 * call; *at is its time (Unix seconds), never less than the previous one's.
 * Returns 1 with an event, 0 when the stream is over. */
int gn_sim_next(gn_sim *s, const char **line, size_t *len, int64_t *at);

/* Writes the whole stream, one event per line. */
int gn_sim_write_events(gn_sim *s, FILE *out, gn_error *err);

/* The ground truth, once the stream is over (first sales are known only then):
 * one CSV row per listing and one per seller (see docs/simulator.md). Either
 * file may be NULL. */
int gn_sim_write_truth(gn_sim *s, FILE *listings, FILE *sellers, gn_error *err);

/* Counts so far as one JSON object (events by type, listings by class and
 * tactic, sellers, rings, comebacks): malloc'd, the caller frees it. */
char *gn_sim_summary_json(gn_sim *s);

/* Ground truth of one listing by its id ("L123"): 1 counterfeit, 0 genuine,
 * -1 unknown id. For the evaluation harness, which scores online. */
int gn_sim_listing_is_counterfeit(const gn_sim *s, const char *listing_id);

/* The share of listings the marketplace's platform audits at random (a
 * world's own draw; 0 for the default marketplace, which leaves it to the
 * evaluation's option). */
double gn_sim_audit_rate(const gn_sim *s);

#endif
