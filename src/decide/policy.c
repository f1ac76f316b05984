/* Weighted scoring, rspamd-style: every signal adds weight x strength to the
 * evidence and score = 1 - exp(-evidence), so evidence adds up smoothly, no
 * single weak signal decides, and the score stays in [0,1). */
#include "decide/policy.h"

#include <math.h>
#include <string.h>

#include "core/format.h"
#include "decide/features.h"

static double weight_named(const gn_policy *p, const char *code)
{
    for (int i = 0; i < p->n_weights; i++)
        if (strcmp(p->weights[i].code, code) == 0) return p->weights[i].weight;
    return 1.0; /* a signal the configuration does not know counts as one unit */
}

/* The detectors' signals have feature columns, whose weights were looked up
 * once at load; any other code is looked up by name. */
static double weight_of(const gn_policy *p, const char *code)
{
    int f = gn_feature_of_signal(code);
    return f >= 0 ? p->feature_weights[f] : weight_named(p, code);
}

void gn_policy_load(gn_policy *p, const gn_config *cfg)
{
    memset(p, 0, sizeof *p);
    p->review_at = gn_config_get(cfg, "policy.review_at");
    p->block_at = gn_config_get(cfg, "policy.block_at");
    for (int i = 0; i < cfg->count && p->n_weights < GN_MAX_WEIGHTS; i++)
        if (strncmp(cfg->entries[i].key, "weight.", 7) == 0) {
            snprintf(p->weights[p->n_weights].code, sizeof p->weights[0].code, "%s",
                     cfg->entries[i].key + 7);
            p->weights[p->n_weights++].weight = cfg->entries[i].value;
        }
    for (int f = 0; f < GN_FEATURES_SIGNALS; f++)
        p->feature_weights[f] = weight_named(p, gn_feature_name(f));
}

void gn_policy_decide(const gn_policy *p, gn_signals *signals, gn_decision *out)
{
    double evidence = 0;
    for (int i = 0; i < signals->count; i++) {
        gn_signal *s = &signals->items[i];
        s->weight = weight_of(p, s->code) * s->value;
        evidence += s->weight;
    }
    /* Strongest first; insertion sort: there are only a handful. */
    for (int i = 1; i < signals->count; i++) {
        gn_signal tmp = signals->items[i];
        int j = i;
        for (; j > 0 && signals->items[j - 1].weight < tmp.weight; j--)
            signals->items[j] = signals->items[j - 1];
        signals->items[j] = tmp;
    }
    out->score = evidence > 0 ? 1 - exp(-evidence) : 0;
    out->action = out->score >= p->block_at    ? GN_BLOCK
                  : out->score >= p->review_at ? GN_REVIEW
                                               : GN_ALLOW;
    out->signals = signals;
}

const char *gn_action_name(gn_action a)
{
    return a == GN_BLOCK ? "block" : a == GN_REVIEW ? "review" : "allow";
}

/* Written piece by piece (every decision carries its reasons): the weight
 * as printf's %.3g writes it. */
void gn_reasons_json(gn_buf *b, const gn_signals *signals)
{
    gn_buf_append(b, "[", 1);
    for (int i = 0; i < signals->count; i++) {
        const gn_signal *s = &signals->items[i];
        char weight[64];
        int n = gn_format(weight, sizeof weight, "%.3g", s->weight);
        if (i) gn_buf_append(b, ",", 1);
        gn_buf_append(b, "{\"code\":\"", 9);
        gn_buf_puts(b, s->code);
        gn_buf_append(b, "\",\"weight\":", 11);
        gn_buf_append(b, weight, n > 0 && (size_t)n < sizeof weight ? (size_t)n : strlen(weight));
        gn_buf_append(b, ",\"detail\":", 10);
        gn_buf_json_string(b, s->detail);
        gn_buf_append(b, "}", 1);
    }
    gn_buf_append(b, "]", 1);
}
