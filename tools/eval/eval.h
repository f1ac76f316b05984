/* The evaluation harness: a marketplace (contract events in time order, and
 * its ground truth) replayed through the engine as a live platform would —
 * decisions made online, a reviewer giving verdicts on held listings after a
 * delay (with a small error rate), retraining as labels arrive — and the
 * figures that matter: the share of counterfeit listings taken down before
 * their first sale, false takedowns, review load, time to removal, each by
 * tactic. Uses only the public API (genuine.h). */
#ifndef GN_EVAL_EVAL_H
#define GN_EVAL_EVAL_H

#include <stdint.h>
#include <stdio.h>

#include "genuine.h"

typedef struct gn_eval_options {
    const char *db_path;     /* the store to build; NULL: a temporary one */
    const char *config_path; /* NULL: the shipped defaults */
    double review_hours;     /* reviewer's delay on a held listing (default 12) */
    double reviewer_error;   /* share of verdicts that are wrong (default 0.02) */
    double retrain_days; /* retrain every this many days once labels exist (default 1; 0: never) */
    double warmup_days;  /* listings created before this are not scored (default 7) */
    uint64_t seed;       /* which verdicts are wrong, which listings are audited */
    double audit_rate;   /* share of listings audited at random (default 0.02; a world's own) */
    double audit_days;   /* an audit's verdict comes this long after creation (default 2) */
} gn_eval_options;

void gn_eval_options_init(gn_eval_options *o);

typedef struct gn_eval gn_eval;

/* Reads the truth CSV: a header with at least `listing` and `counterfeit`
 * (0/1), optionally `tactics` (or `tactic`) as a '+'-joined list. */
int gn_eval_new(gn_eval **out, const gn_eval_options *o, FILE *truth, const char *truth_name,
                gn_error *err);
/* Feeds one marketplace event (a line of the stream, in time order). */
int gn_eval_event(gn_eval *ev, const char *line, size_t len, gn_error *err);
/* Plays the verdicts still due, and closes the engine. */
int gn_eval_finish(gn_eval *ev, gn_error *err);
/* The headline figures of a run, over the listings scored (created after the
 * warm-up). "At creation" is the decision returned when the listing arrived;
 * "by the end" its status once the stream and every verdict due are over. */
typedef struct gn_eval_figures {
    uint64_t scored, counterfeit, genuine, verdicts, audits;
    int models;
    double audit_rate, train_seconds;
    double caught_at_creation;         /* counterfeits held or blocked at creation */
    double honest_blocked_at_creation; /* honest listings blocked at creation */
    double honest_taken_down;          /* honest listings blocked or removed by the end */
    double review_load;                /* listings held for review at least once */
    double presale_removal;            /* counterfeits taken down before a first sale */
    double false_takedowns;            /* honest listings taken down at any time */
} gn_eval_figures;
void gn_eval_figures_get(const gn_eval *ev, gn_eval_figures *out);

/* The tactics (classes 0) or honest classes (classes 1) the truth named:
 * their count, and the name of each. */
int gn_eval_group_count(const gn_eval *ev, int classes);
const char *gn_eval_group_name(const gn_eval *ev, int classes, int k);
/* Shares within one of them: for a tactic, counterfeits caught at creation,
 * taken down before a first sale, held; for a class, honest listings blocked
 * at creation, taken down by the end, held. NaN where it has no listing. */
void gn_eval_group_figures(const gn_eval *ev, int classes, int k, double out[3]);

/* The figures: a table for people and one JSON object. */
void gn_eval_report(const gn_eval *ev, FILE *table, FILE *json);

/* Cold start (no training) and after learning side by side, from two runs
 * over the same marketplace; either may be NULL. The JSON has the
 * after-learning figures at the top level (as gn_eval_report writes them)
 * and the cold start's under "cold_start". */
void gn_eval_report_pair(const gn_eval *cold, const gn_eval *learned, const char *title,
                         FILE *table, FILE *json);
void gn_eval_free(gn_eval *ev);

#endif
