/* Learning from verdicts: the engine keeps, for every listing, the feature
 * vector of its latest decision and the label reviewers gave it; `genuine
 * train` turns the labelled ones into a model (src/decide/model.c), and
 * later decisions use the model. */
#ifndef GN_DECIDE_LEARNING_H
#define GN_DECIDE_LEARNING_H

#include <stdint.h>

#include "core/json.h"
#include "core/strmap.h"
#include "decide/features.h"
#include "decide/policy.h"
#include "decide/model.h"

typedef struct gn_platform_value {
    const char *name; /* interned: "listing.NAME" or "seller.NAME" */
    float value;
} gn_platform_value;

typedef struct gn_snapshot {
    float base[GN_FEATURES_BASE];
    gn_platform_value *platform; /* the listing's own `signals` (owned) */
    /* Its seller's `signals` when it was decided: the seller's values are
     * never changed or freed while the learning lives, so they are shared,
     * not copied for every listing. */
    const gn_platform_value *seller_values;
    uint8_t n_platform, n_seller;
    int8_t label;    /* -1 none, 0 genuine, 1 counterfeit */
    uint8_t decided; /* its latest decision was made (the snapshot is not a placeholder) */
    uint8_t action;  /* that decision's action (gn_action), after floors and rules */
    uint8_t floor;  /* the evidence floor its signals set: 0 none, 1 review, 2 block, 3 no signal, 4
                       context only */
    uint8_t source; /* where its label came from (gn_label_source) */
    uint8_t stratum; /* where the listing stood when labelled (gn_label_stratum) */
    float scored;    /* the score of the scorer that decided it (model or policy), before floors */
    int64_t labelled_at; /* event time of its label */
    uint32_t label_seq;  /* order of its label among all labels (ties in time) */
} gn_snapshot;

/* Where a label came from, as a platform has them. */
typedef enum gn_label_source {
    GN_LABEL_AUDIT,     /* a reviewer's verdict on a live (or blocked) listing: the audit sample */
    GN_LABEL_REVIEW,    /* a reviewer's verdict on a listing held for review */
    GN_LABEL_COMPLAINT, /* a rights holder's complaint upheld, or left unanswered */
    GN_LABEL_COUNTER_NOTICE, /* a complaint rejected after the seller's counter-notice */
    GN_LABEL_REPORT,         /* a shopper's report upheld or rejected */
    GN_LABEL_APPEAL,         /* a seller's appeal upheld */
    GN_LABEL_SOURCES
} gn_label_source;

/* Where the listing stood when its label came: the labelling rate of each
 * stratum sets the label's weight. */
typedef enum gn_label_stratum {
    GN_STRATUM_LIVE,
    GN_STRATUM_HELD,
    GN_STRATUM_BLOCKED,
    GN_STRATA
} gn_label_stratum;

const char *gn_label_source_name(int source);
/* The source of a label a workflow gives with its reason code. */
int gn_label_source_of_code(const char *code);
/* The stratum of a listing status (gn_listing_status). */
int gn_label_stratum_of_status(int status);

/* How one model column is filled: a fixed feature, or a platform value. */
typedef struct gn_column {
    int base;         /* fixed feature index, or -1 */
    const char *name; /* interned platform name when base is -1 */
} gn_column;

typedef struct gn_learning {
    gn_snapshot *rows; /* by listing index */
    uint32_t n_rows, cap_rows;
    gn_platform_value **seller_signals; /* by seller index */
    uint8_t *seller_n;
    uint32_t n_sellers, cap_sellers;
    gn_platform_value **replaced; /* sellers' earlier values, which snapshots may point at */
    uint32_t n_replaced, cap_replaced;
    gn_strmap names;
    uint32_t labelled;
    uint32_t label_seq;
    gn_model *model;
    int version;                /* 0: no model yet */
    double review_at, block_at; /* the live model's thresholds, set when it was trained */
    int shadow_version;         /* the last candidate kept in shadow (0: none) */
    int compared;               /* a comparison was made in this run (below) */
    double last_live[2], last_candidate[2]; /* caught, honest_down of the last comparison */
    int last_promoted;
    gn_column *columns;
    float *x, *contribs; /* scratch of the model's width */
} gn_learning;

void gn_learning_free(gn_learning *l);
int gn_learning_seller_signals(gn_learning *l, uint32_t seller, const gn_json *signals);
int gn_learning_snapshot(gn_learning *l, uint32_t listing, uint32_t seller, const float *base,
                         const gn_json *listing_signals);
/* Labels a listing: label 1 counterfeit, 0 genuine; source a gn_label_source,
 * stratum where the listing stood (gn_label_stratum), at the event time. */
void gn_learning_label(gn_learning *l, uint32_t listing, int label, int source, int stratum,
                       int64_t at);
/* Records the decision just made on a listing: the scorer's score (before
 * floors), the final action and the evidence floor its signals set (0 none,
 * 1 review, 2 block), or GN_FLOOR_NO_EVIDENCE when no signal was raised at
 * all: then no scorer holds it (the model's facts weigh evidence, they are
 * none), and the thresholds and comparisons count it allowed. */
#define GN_FLOOR_NO_EVIDENCE 3
/* Only signals about the shop and its activity were raised: no scorer
 * blocks it (held at most), and the thresholds and comparisons count it so. */
#define GN_FLOOR_CONTEXT_ONLY 4
void gn_learning_decided(gn_learning *l, uint32_t listing, double scored, int action, int floor);
/* Uses m from now on with its thresholds (takes ownership; NULL: back to the
 * weighted policy). */
int gn_learning_use(gn_learning *l, gn_model *m, int version, double review_at, double block_at,
                    gn_error *err);
/* P(counterfeit) of a listing's snapshot under the live model. */
int gn_learning_predict(gn_learning *l, uint32_t listing, float *probability, gn_error *err);
/* Decides a listing by the model: the score is P(counterfeit), the action
 * follows the model's review_at and block_at, and the reasons are what moved
 * the score, in log-odds, signed (exact TreeSHAP when the model holds or
 * blocks the listing; path attributions when it allows it): every signal
 * that fired with its detector's sentence, and the facts and platform
 * numbers that moved it clearly, up or down. */
int gn_learning_decide(gn_learning *l, uint32_t listing, const gn_signals *signals,
                       gn_signals *reasons, gn_decision *d, gn_error *err);

/* What a training needs besides the labels. */
typedef struct gn_training_options {
    double review_budget; /* share of listings reviewers can take (review.budget) */
    double max_honest; /* ceiling on the share of honest listings blocked (takedown.max_honest) */
    double policy_review_at,
        policy_block_at;                    /* the weighted policy's, when it is the live scorer */
    signed char monotone[GN_FEATURES_BASE]; /* per fixed column: +1, -1 or 0 */
    gn_model_params params;
} gn_training_options;

/* A scorer's figures on the held-back labels (weighted) and on every decided
 * listing. */
typedef struct gn_scorer_figures {
    double caught;      /* share of held-back counterfeits held or blocked */
    double honest_down; /* share of held-back genuine listings blocked */
    double held;        /* share of all decided listings it holds for review */
    double blocked;     /* share of all decided listings it blocks */
} gn_scorer_figures;

typedef struct gn_label_mix {
    size_t labels, counterfeit;
    double weight; /* sum of the labels' weights (they average 1 over all labels) */
} gn_label_mix;

typedef struct gn_training {
    gn_model *candidate;      /* the caller's to keep or free */
    gn_model_figures figures; /* the candidate on the held-back labels, unweighted */
    size_t rows, positives, features, learned, held_back;
    double review_at, block_at; /* the candidate's thresholds, from the budget */
    int over_budget; /* review_at came down below the budget's to catch as much as the live
                        scorer (holding no more than it) */
    gn_scorer_figures live, cand;
    int promote; /* no worse than the live scorer on both figures */
    char why[256];
    gn_label_mix mix[GN_LABEL_SOURCES];
    double stratum_rate[GN_STRATA]; /* labelled share of the decided listings of each stratum */
} gn_training;

/* The fewest labels training takes (of each kind: GN_LEARNING_MIN_KIND). */
#define GN_LEARNING_MIN_LABELS 50
#define GN_LEARNING_MIN_KIND 5
/* The fewest counterfeits among the held-back labels for a candidate to go
 * live (fewer: it is trained, compared and kept in shadow). */
#define GN_LEARNING_MIN_RECENT_COUNTERFEIT 20

/* Trains a candidate on the labels but the most recent fifth (by label
 * time), sets its thresholds from the budget, and compares it with the live
 * scorer on that fifth. */
int gn_learning_train(gn_learning *l, const gn_training_options *o, gn_training *t, gn_error *err);

#endif
