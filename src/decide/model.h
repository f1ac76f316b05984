/* The learned model: a gradient-boosted tree classifier (XGBoost) that turns a
 * listing's feature vector into P(counterfeit) and says which features pushed
 * it there. XGBoost trains and stores it; prediction walks our own flat copy of
 * the trees, because XGBoost's per-call overhead is far above our budget. */
#ifndef GN_DECIDE_MODEL_H
#define GN_DECIDE_MODEL_H

#include <stddef.h>

#include "genuine.h"

typedef struct gn_model gn_model;

/* Training knobs; a field left 0 takes its default. */
typedef struct gn_model_params {
    int rounds;    /* boosting rounds = trees (default 100) */
    int max_depth; /* deepest tree (default 6) */
    double eta;    /* learning rate (default 0.3) */
    int threads;   /* training threads (default 2) */
    /* Each row's weight (rows floats, > 0 and finite; NULL: all 1). The base
     * rate the model starts from is the weighted share of positives. */
    const float *weights;
    /* Per feature: +1 the score may only rise with it, -1 only fall, 0 free
     * (XGBoost's monotone_constraints); NULL: all free. */
    const signed char *monotone;
} gn_model_params;

/* Longest feature name kept, in bytes (without the NUL). */
#define GN_MODEL_NAME_MAX 63

/* Trains a binary classifier (label 1 = counterfeit, 0 = genuine) on x, a
 * dense row-major matrix of rows × cols floats; NaN means "missing" and is
 * routed down each split's learned default branch. y holds rows labels, each
 * exactly 0 or 1, both present. feature_names (cols strings of 1 to
 * GN_MODEL_NAME_MAX bytes from [A-Za-z0-9_.:/-], all different) are kept in
 * the model; NULL names them f0, f1, …  p may be NULL (all defaults).
 * GN_EINPUT for bad input, with the message naming the row, column or name. */
int gn_model_train(const float *x, const float *y, size_t rows, size_t cols,
                   const char *const *feature_names, const gn_model_params *p, gn_model **out,
                   gn_error *err);

/* Scores one row x[cols] (NaN = missing). probability (may be NULL) gets
 * P(counterfeit). contribs (may be NULL; else cols + 1 floats) gets each
 * feature's contribution to the log-odds, and contribs[cols] the bias (the
 * base rate plus the trees' expected values), so that
 *     Σ contribs[0..cols] = log(p / (1 − p)).
 * These are Saabas path attributions, the same numbers as XGBoost's
 * "approximate contributions" (pred_contribs with approx_contribs), not exact
 * TreeSHAP values. Pure and thread-safe: many threads may share one model. */
int gn_model_predict(const gn_model *m, const float *x, float *probability, float *contribs,
                     gn_error *err);

/* The same with exact TreeSHAP values in contribs (cols + 1 floats, the
 * bias last; they add up to the log-odds): what XGBoost's pred_contribs
 * gives (C API prediction type 2), computed on the flat trees. Costs
 * O(trees x leaves x depth^2): tens of microseconds where the walk costs
 * one or two (docs/model.md). Pure and thread-safe. */
int gn_model_shap(const gn_model *m, const float *x, float *probability, float *contribs,
                  gn_error *err);

size_t gn_model_features(const gn_model *m);
/* Feature i's name, or NULL when i is out of range. */
const char *gn_model_feature_name(const gn_model *m, size_t i);
/* Number of trees and of flat nodes (for figures and memory). */
size_t gn_model_trees(const gn_model *m);
/* Bytes of the flat trees prediction walks (not counting XGBoost's copy). */
size_t gn_model_flat_bytes(const gn_model *m);

/* Serialises the model into a malloc'd buffer the caller frees: a small
 * header (magic, format version, features, length, checksum) and XGBoost's
 * own JSON model, feature names included. */
int gn_model_save(const gn_model *m, unsigned char **data, size_t *len, gn_error *err);
/* Rebuilds a model from gn_model_save's bytes. Truncated, altered or foreign
 * bytes fail with GN_EINPUT before XGBoost sees them. */
int gn_model_load(const unsigned char *data, size_t len, gn_model **out, gn_error *err);
void gn_model_free(gn_model *m);

/* Figures on a held-out split. A row counts as flagged when its probability
 * is ≥ 0.5. Figures that cannot be computed (AUC with one class only,
 * precision with nothing flagged, recall with no positives) are NaN. */
typedef struct gn_model_figures {
    size_t rows, positives;
    size_t true_pos, false_pos, false_neg, true_neg;
    double auc;       /* area under the ROC curve, ties counted half */
    double precision; /* true_pos / (true_pos + false_pos) */
    double recall;    /* true_pos / (true_pos + false_neg) */
    double log_loss;  /* mean −[y log p + (1−y) log(1−p)], p clipped to [1e-15, 1−1e-15] */
} gn_model_figures;

int gn_model_evaluate(const gn_model *m, const float *x, const float *y, size_t rows,
                      gn_model_figures *out, gn_error *err);

/* For tests and the benchmark: XGBoost's own answers for rows × cols, through
 * its C API (a DMatrix per call). probability[rows] and/or contribs[rows ×
 * (cols + 1)] (approximate contributions); either may be NULL. */
int gn_model_xgb_predict(const gn_model *m, const float *x, size_t rows, float *probability,
                         float *contribs, gn_error *err);
/* XGBoost's exact TreeSHAP values (pred_contribs, type 2) for rows × cols:
 * contribs[rows × (cols + 1)]. The reference gn_model_shap is tested against. */
int gn_model_xgb_shap(const gn_model *m, const float *x, size_t rows, float *contribs,
                      gn_error *err);
/* XGBoost's cheapest single-row path (in-place prediction on a dense row, no
 * DMatrix): P(counterfeit) only. For the benchmark's comparison. */
int gn_model_xgb_predict_inplace(const gn_model *m, const float *x, float *probability,
                                 gn_error *err);

#endif
