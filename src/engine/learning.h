/* Learning from verdicts: the engine keeps, for every listing, the feature
 * vector of its latest decision and the label reviewers gave it; `genuine
 * train` turns the labelled ones into a model (src/decide/model.c), and
 * later decisions use the model. */
#ifndef GN_ENGINE_LEARNING_H
#define GN_ENGINE_LEARNING_H

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
    int8_t label; /* -1 none, 0 genuine, 1 counterfeit */
} gn_snapshot;

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
    gn_model *model;
    int version; /* 0: no model yet */
    gn_column *columns;
    float *x, *contribs; /* scratch of the model's width */
} gn_learning;

void gn_learning_free(gn_learning *l);
int gn_learning_seller_signals(gn_learning *l, uint32_t seller, const gn_json *signals);
int gn_learning_snapshot(gn_learning *l, uint32_t listing, uint32_t seller, const float *base,
                         const gn_json *listing_signals);
void gn_learning_label(gn_learning *l, uint32_t listing, int label);
/* Uses m from now on (takes ownership; NULL: back to the weighted policy). */
int gn_learning_use(gn_learning *l, gn_model *m, int version, gn_error *err);
/* P(counterfeit) of a listing's snapshot, with each column's contribution. */
int gn_learning_predict(gn_learning *l, uint32_t listing, float *probability, gn_error *err);
/* Decides a listing by the model: the score is P(counterfeit), the action
 * follows review_at and block_at, and the reasons are the columns that pushed
 * the score up (their contribution to the log-odds as the weight), the
 * detectors' own sentences where a signal is behind the column. */
int gn_learning_decide(gn_learning *l, uint32_t listing, const gn_signals *signals,
                       double review_at, double block_at, gn_signals *reasons, gn_decision *d,
                       gn_error *err);

/* Trains on the labelled listings (80% to learn, 20% to measure). */
int gn_learning_train(gn_learning *l, gn_model **out, gn_model_figures *figures, size_t *rows,
                      size_t *positives_out, size_t *features, gn_error *err);

#endif
