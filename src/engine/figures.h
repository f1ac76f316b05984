/* The dashboard's figures by day of event time, counted in memory as
 * listings are decided, taken down and put back, reviewers rule and notices
 * end (the replay at start counts them again), for the whole marketplace and
 * for each brand and each category, so GET /v1/stats over a period and a
 * filter adds up a few hundred days instead of scanning the store's tables
 * on every request. */
#ifndef GN_ENGINE_FIGURES_H
#define GN_ENGINE_FIGURES_H

#include <stdint.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "genuine.h"

typedef struct gn_day_figures {
    int64_t day;              /* days since 1970-01-01, UTC */
    uint32_t filter;          /* 0: every listing; else a brand's or a category's */
    uint32_t first_decided;   /* listings decided for the first time: scanned */
    uint32_t actions[3];      /* genuine's decisions by action (every version, every sweep) */
    uint32_t created_held;    /* first versions held for review: never live before a human */
    uint32_t created_blocked; /* first versions blocked: never live */
    uint32_t verdicts[2];     /* reviewers' verdicts on listings: counterfeit, genuine */
    uint32_t appeals[2];      /* appeals decided: upheld (the decision reversed), rejected */
    uint32_t kept;            /* listings blocked or taken down before their first order */
    uint32_t kept_unpriced;   /* of those, of a brand with no reference price for them */
    double kept_value;        /* the reference prices of the others, in USD */
    uint32_t confirmed;       /* listings taken down as counterfeit */
} gn_day_figures;

/* A count by day, filter and something named: a brand's or a category's
 * listings held or blocked at creation, a reviewer's verdicts, a reviewer's
 * decisions reversed, a country confirmed counterfeits shipped from, the
 * notices that ended one way, a filer's notices decided and accepted. */
typedef struct gn_keyed_count {
    int64_t day;
    uint32_t kind, key, filter; /* key: a filter id, a name in names, a country, an outcome */
    uint32_t count;
} gn_keyed_count;

enum {
    GN_FIG_BRAND,
    GN_FIG_CATEGORY,
    GN_FIG_REVIEWER,
    GN_FIG_REVERSED,
    GN_FIG_ORIGIN,
    GN_FIG_NOTICE,
    GN_FIG_FILER_DECIDED,
    GN_FIG_FILER_ACCEPTED
};

/* What the figures remember of a listing: its filters and what it counted. */
typedef struct gn_listing_figures {
    uint32_t brand, category; /* filter ids, 0: none */
    int32_t kept_day;         /* the day its value kept was counted; INT32_MIN: not counted */
    int32_t confirmed_day;    /* the day it was counted confirmed; INT32_MIN: not */
    float kept_value;         /* USD; negative: unpriced */
    uint16_t countries[4];    /* where it shipped from, counted with confirmed_day */
} gn_listing_figures;

typedef struct gn_figures {
    gn_day_figures *days; /* by (filter, day) through day_slots */
    size_t n_days, cap_days;
    uint32_t *day_slots; /* open addressing: index + 1, 0 empty */
    size_t day_mask;
    gn_keyed_count *counts;
    size_t n_counts, cap_counts;
    uint32_t *slots; /* open addressing over counts: index + 1, 0 empty */
    size_t mask;
    gn_strmap names;     /* reviewers, filers */
    gn_strmap filters;   /* "b:BRAND-ID", "c:CATEGORY" -> filter id */
    char **filter_names; /* by filter id: what the dashboard shows (a brand's name) */
    size_t n_filters, cap_filters;
    gn_listing_figures *listings; /* by listing index */
    size_t n_listings;
} gn_figures;

void gn_figures_free(gn_figures *f);

/* A decision on a listing at time at (ms): first says it is the listing's
 * first version; down that it is blocked or taken down after it; brand
 * (its id and name) and category what it is about (NULL: none); value the
 * brand's reference price for it in USD (negative: none); ordered that it
 * has had an order. */
void gn_figures_decision(gn_figures *f, int64_t at, uint32_t listing, int first, int action,
                         int down, const char *brand, const char *brand_name, const char *category,
                         double value, int ordered);
/* A workflow set the listing's status: down (blocked, taken down) or not;
 * removed says taken down as counterfeit, countries where it shipped from. */
void gn_figures_status(gn_figures *f, int64_t at, uint32_t listing, int down, int removed,
                       double value, int ordered, const uint16_t *countries, int n_countries);
void gn_figures_verdict(gn_figures *f, int64_t at, uint32_t listing, const char *reviewer,
                        int counterfeit);
/* An appeal decided: decided_by made the decision under appeal. */
void gn_figures_appeal(gn_figures *f, int64_t at, uint32_t listing, const char *decided_by,
                       int upheld);
/* A notice on a listing reached outcome (an audit change: opened, contested,
 * confirmed, ...); filer filed it. */
void gn_figures_notice(gn_figures *f, int64_t at, uint32_t listing, const char *outcome,
                       const char *filer);

/* The figures of days [since, until) (ms; INT64_MIN / INT64_MAX: open) of one
 * brand (its id) or one category (NULL, NULL: every listing) as JSON members
 * spliced into the stats object. */
void gn_figures_json(const gn_figures *f, int64_t since, int64_t until, const char *brand,
                     const char *category, gn_buf *out);

#endif
