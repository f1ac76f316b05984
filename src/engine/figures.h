/* The dashboard's figures by day of event time, counted in memory as
 * listings are decided and reviewers rule (the replay at start counts them
 * again), so GET /v1/stats over a period adds up a few hundred days instead
 * of scanning the store's tables on every request. */
#ifndef GN_ENGINE_FIGURES_H
#define GN_ENGINE_FIGURES_H

#include <stdint.h>

#include "core/buf.h"
#include "core/strmap.h"

typedef struct gn_day_figures {
    int64_t day;              /* days since 1970-01-01, UTC */
    uint32_t first_decided;   /* listings decided for the first time: scanned */
    uint32_t actions[3];      /* genuine's decisions by action (every version, every sweep) */
    uint32_t created_held;    /* first versions held for review: never live before a human */
    uint32_t created_blocked; /* first versions blocked: never live */
    uint32_t verdicts[2];     /* reviewers' verdicts on listings: counterfeit, genuine */
    uint32_t appeals[2];      /* appeals decided: upheld (the decision reversed), rejected */
} gn_day_figures;

/* A count by day and by something named: a brand's listings held or blocked
 * at creation, a reviewer's verdicts, a reviewer's decisions reversed. */
typedef struct gn_keyed_count {
    int64_t day;
    uint32_t kind, key; /* key: a brand's index in the state, or a name in names */
    uint32_t count;
} gn_keyed_count;

enum { GN_FIG_BRAND, GN_FIG_REVIEWER, GN_FIG_REVERSED };

typedef struct gn_figures {
    gn_day_figures *days; /* sorted by day */
    size_t n_days, cap_days;
    gn_keyed_count *counts;
    size_t n_counts, cap_counts;
    uint32_t *slots; /* open addressing over counts: index + 1, 0 empty */
    size_t mask;
    gn_strmap names; /* reviewers */
} gn_figures;

void gn_figures_free(gn_figures *f);
/* A decision at time at (ms): first says it is the listing's first version,
 * brand is the state's index of the brand it claims or names (GN_NONE). */
void gn_figures_decision(gn_figures *f, int64_t at, int first, int action, uint32_t brand);
void gn_figures_verdict(gn_figures *f, int64_t at, const char *reviewer, int counterfeit);
/* An appeal decided: decided_by made the decision under appeal. */
void gn_figures_appeal(gn_figures *f, int64_t at, const char *decided_by, int upheld);

/* The figures of days [since, until) (ms; INT64_MIN / INT64_MAX: open) as
 * JSON members spliced into the stats object. brand_name gives a brand's
 * name by its index. */
void gn_figures_json(const gn_figures *f, int64_t since, int64_t until,
                     const char *(*brand_name)(void *ctx, uint32_t brand), void *ctx, gn_buf *out);

#endif
