/* The default policy: weigh the signals, turn the evidence into a score in
 * [0,1] and the score into an action by two thresholds, all from the
 * configuration. The learned model and the Lua policy plug in here later. */
#ifndef GN_DECIDE_POLICY_H
#define GN_DECIDE_POLICY_H

#include "core/buf.h"
#include "core/config.h"
#include "decide/features.h"
#include "detect/signal.h"

typedef enum gn_action { GN_ALLOW, GN_REVIEW, GN_BLOCK } gn_action;

#define GN_MAX_WEIGHTS 48

typedef struct gn_policy {
    double review_at, block_at;
    struct {
        char code[56];
        double weight;
    } weights[GN_MAX_WEIGHTS];
    int n_weights;
    double feature_weights[GN_FEATURES_SIGNALS]; /* the weights of the signals with features */
} gn_policy;

typedef struct gn_decision {
    gn_action action;
    double score;
    gn_signals *signals; /* weighted, strongest first */
} gn_decision;

void gn_policy_load(gn_policy *p, const gn_config *cfg);

/* Weighs, sorts and scores the signals in place. */
void gn_policy_decide(const gn_policy *p, gn_signals *signals, gn_decision *out);

const char *gn_action_name(gn_action a);

/* Appends the reasons array: [{"code":..,"weight":..,"detail":..},...] */
void gn_reasons_json(gn_buf *b, const gn_signals *signals);

#endif
