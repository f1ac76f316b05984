/* Feature snapshots, labels and the current model. Platform `signals` become
 * columns named listing.NAME and seller.NAME, chosen at training time among
 * those the labelled listings carry, so a platform can send any numbers.
 * Training makes a candidate that goes live only if it is no worse than the
 * scorer now live on the most recent labels (docs/model.md, "A model that can
 * only help"); labels are weighted by how often their stratum is labelled. */
#include "decide/learning.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "state/state.h"

#define MAX_PLATFORM 32

static const char *const source_names[GN_LABEL_SOURCES] = {"audit",          "review", "complaint",
                                                           "counter_notice", "report", "appeal"};

const char *gn_label_source_name(int source)
{
    return source >= 0 && source < GN_LABEL_SOURCES ? source_names[source] : "";
}

int gn_label_source_of_code(const char *code)
{
    if (strcmp(code, "COMPLAINT_REJECTED") == 0) return GN_LABEL_COUNTER_NOTICE;
    if (strncmp(code, "COMPLAINT_", 10) == 0) return GN_LABEL_COMPLAINT;
    if (strncmp(code, "REPORT_", 7) == 0) return GN_LABEL_REPORT;
    if (strncmp(code, "APPEAL_", 7) == 0) return GN_LABEL_APPEAL;
    return GN_LABEL_AUDIT;
}

int gn_label_stratum_of_status(int status)
{
    switch (status) {
    case GN_HELD:
    case GN_NOTICED:
        return GN_STRATUM_HELD;
    case GN_BLOCKED:
    case GN_REMOVED:
        return GN_STRATUM_BLOCKED;
    default:
        return GN_STRATUM_LIVE;
    }
}

static const char *intern(gn_learning *l, const char *prefix, const char *name)
{
    char key[160]; /* prefix (at most "listing.") and 120 bytes of the name */
    size_t n = strlen(prefix), m = strnlen(name, 120);
    memcpy(key, prefix, n);
    memcpy(key + n, name, m);
    key[n + m] = 0;
    const char *pooled;
    gn_strmap_put(&l->names, key, NULL, &pooled);
    return pooled;
}

static int grow(void **arr, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap) return 0;
    uint32_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    void *p = gn_xrealloc(*arr, (size_t)c * size);
    memset((char *)p + (size_t)*cap * size, 0, (size_t)(c - *cap) * size);
    *arr = p;
    *cap = c;
    return 0;
}

/* Reads an object of name: number into pairs (at most MAX_PLATFORM). */
static int read_values(gn_learning *l, const char *prefix, const gn_json *obj,
                       gn_platform_value **out, uint8_t *n)
{
    free(*out);
    *out = NULL;
    *n = 0;
    size_t count = gn_json_size(obj);
    if (count == 0) return 0;
    if (count > MAX_PLATFORM) count = MAX_PLATFORM;
    *out = gn_xcalloc(count, sizeof **out);
    for (size_t i = 0; i < count; i++) {
        (*out)[i].name = intern(l, prefix, gn_json_key_at(obj, i));
        (*out)[i].value = (float)gn_json_number(gn_json_value_at(obj, i));
    }
    *n = (uint8_t)count;
    return 0;
}

int gn_learning_seller_signals(gn_learning *l, uint32_t seller, const gn_json *signals)
{
    uint32_t cap = l->cap_sellers;
    if (grow((void **)&l->seller_signals, &l->cap_sellers, seller + 1, sizeof *l->seller_signals) ||
        grow((void **)&l->seller_n, &cap, seller + 1, sizeof *l->seller_n))
        return GN_ENOMEM;
    if (seller >= l->n_sellers) l->n_sellers = seller + 1;
    if (l->seller_signals[seller]) {
        /* Snapshots may point at the values being replaced: they are kept. */
        if (grow((void **)&l->replaced, &l->cap_replaced, l->n_replaced + 1, sizeof *l->replaced))
            return GN_ENOMEM;
        l->replaced[l->n_replaced++] = l->seller_signals[seller];
        l->seller_signals[seller] = NULL;
    }
    return read_values(l, "seller.", signals, &l->seller_signals[seller], &l->seller_n[seller]);
}

int gn_learning_snapshot(gn_learning *l, uint32_t listing, uint32_t seller, const float *base,
                         const gn_json *listing_signals)
{
    uint32_t cap = l->cap_rows;
    if (grow((void **)&l->rows, &cap, listing + 1, sizeof *l->rows)) return GN_ENOMEM;
    for (uint32_t i = l->cap_rows; i < cap; i++)
        l->rows[i].label = -1;
    l->cap_rows = cap;
    if (listing >= l->n_rows) l->n_rows = listing + 1;
    gn_snapshot *r = &l->rows[listing];
    memcpy(r->base, base, sizeof r->base);
    r->seller_values = seller < l->n_sellers ? l->seller_signals[seller] : NULL;
    r->n_seller = r->seller_values ? l->seller_n[seller] : 0;
    return read_values(l, "listing.", listing_signals, &r->platform, &r->n_platform) ? GN_ENOMEM
                                                                                     : 0;
}

void gn_learning_label(gn_learning *l, uint32_t listing, int label, int source, int stratum,
                       int64_t at)
{
    if (listing >= l->n_rows) return;
    gn_snapshot *r = &l->rows[listing];
    if (r->label < 0) l->labelled++;
    r->label = (int8_t)label;
    r->source = (uint8_t)source;
    r->stratum = (uint8_t)stratum;
    r->labelled_at = at;
    r->label_seq = ++l->label_seq;
}

void gn_learning_decided(gn_learning *l, uint32_t listing, double scored, int action, int floor)
{
    if (listing >= l->n_rows) return;
    gn_snapshot *r = &l->rows[listing];
    r->decided = 1;
    r->scored = (float)scored;
    r->action = (uint8_t)action;
    r->floor = (uint8_t)floor;
}

/* Fills x (the model's width) from a snapshot. */
static void fill(const gn_learning *l, const gn_column *columns, size_t width, const gn_snapshot *r,
                 float *x)
{
    for (size_t c = 0; c < width; c++) {
        if (columns[c].base >= 0) {
            x[c] = r->base[columns[c].base];
            continue;
        }
        x[c] = NAN;
        for (int k = 0; k < r->n_platform; k++)
            if (r->platform[k].name == columns[c].name) x[c] = r->platform[k].value;
        for (int k = 0; k < r->n_seller; k++)
            if (r->seller_values[k].name == columns[c].name) x[c] = r->seller_values[k].value;
    }
}

int gn_learning_use(gn_learning *l, gn_model *m, int version, double review_at, double block_at,
                    gn_error *err)
{
    l->review_at = review_at;
    l->block_at = block_at;
    gn_model_free(l->model);
    free(l->columns);
    free(l->x);
    free(l->contribs);
    l->model = NULL;
    l->columns = NULL;
    l->x = l->contribs = NULL;
    l->version = 0;
    if (!m) return 0;
    size_t width = gn_model_features(m);
    l->columns = gn_xcalloc(width, sizeof *l->columns);
    l->x = gn_xcalloc(width, sizeof *l->x);
    l->contribs = gn_xcalloc(width + 1, sizeof *l->contribs);
    if (!l->columns || !l->x || !l->contribs) {
        gn_model_free(m);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    for (size_t c = 0; c < width; c++) {
        const char *name = gn_model_feature_name(m, c);
        l->columns[c].base = -1;
        for (int b = 0; b < GN_FEATURES_BASE; b++)
            if (strcmp(name, gn_feature_name(b)) == 0) l->columns[c].base = b;
        if (l->columns[c].base < 0) l->columns[c].name = intern(l, "", name);
    }
    l->model = m;
    l->version = version;
    return 0;
}

int gn_learning_predict(gn_learning *l, uint32_t listing, float *probability, gn_error *err)
{
    fill(l, l->columns, gn_model_features(l->model), &l->rows[listing], l->x);
    return gn_model_predict(l->model, l->x, probability, NULL, err);
}

typedef struct name_count {
    const char *name;
    uint32_t count;
} name_count;

static int by_count(const void *a, const void *b)
{
    const name_count *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->name, y->name);
}

/* A labelled listing, in the order its label came. */
typedef struct labelled_row {
    uint32_t listing;
    uint32_t seq;
    int64_t at;
} labelled_row;

static int by_label_time(const void *a, const void *b)
{
    const labelled_row *x = a, *y = b;
    if (x->at != y->at) return x->at < y->at ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

typedef struct scored_pair {
    float score, weight;
} scored_pair;

static int by_score_down(const void *a, const void *b)
{
    float x = ((const scored_pair *)a)->score, y = ((const scored_pair *)b)->score;
    return (x < y) - (x > y);
}

/* The action a score gets under thresholds, raised to the evidence floor
 * (0 none, 1 review, 2 block: the order of gn_action). */
static int action_of(float score, double review_at, double block_at, int least)
{
    if (least == GN_FLOOR_NO_EVIDENCE) return GN_ALLOW;
    int a = score >= block_at ? GN_BLOCK : score >= review_at ? GN_REVIEW : GN_ALLOW;
    if (least == GN_FLOOR_CONTEXT_ONLY) return a > GN_REVIEW ? GN_REVIEW : a;
    return a > least ? a : least;
}

/* The held-back labels, with what one scorer says of them. */
typedef struct held_back {
    size_t n;
    float *score, *weight;
    int8_t *label;
    uint8_t *floor;
} held_back;

/* A model blocks on its own only at 9 to 1 odds or more. With a few hundred
 * held-back honest labels the line picked from them sits just above the
 * highest, an in-sample maximum that fresh honest listings cross about once
 * in a few hundred: learned on worlds 100-110, honest listings taken down
 * went from at most 0.056% to 0.029% (median 0.021% to 0.007%), and the
 * listings this holds instead are still caught (held median 1.42% to
 * 1.53%). */
#define BLOCK_AT_MIN 0.9
#define REVIEW_AT_MIN 0.001

/* The lowest block threshold that keeps the weighted share of honest
 * listings blocked (by score or by a floor) within max_honest, from the
 * held-back rows of one parity (-1: all of them). */
static double pick_block_at(const held_back *h, int parity, double max_honest, scored_pair *scratch)
{
    double all = 0, down = 0;
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->label[i] != 0 || (parity >= 0 && (int)(i % 2) != parity)) continue;
        all += h->weight[i];
        if (h->floor[i] >= GN_FLOOR_NO_EVIDENCE) continue; /* never blocked */
        if (h->floor[i] >= 2)
            down += h->weight[i];
        else
            scratch[k++] = (scored_pair){h->score[i], h->weight[i]};
    }
    if (all <= 0) return BLOCK_AT_MIN;
    qsort(scratch, k, sizeof *scratch, by_score_down);
    double t = 0;
    for (size_t i = 0; i < k; i++) {
        if ((down + scratch[i].weight) / all > max_honest) {
            t = nextafterf(scratch[i].score, 2.0f); /* just above it */
            break;
        }
        down += scratch[i].weight;
    }
    return t < BLOCK_AT_MIN ? BLOCK_AT_MIN : t > 1 ? 1 : t;
}

/* The lowest review threshold at which the share of all decided listings
 * held for review (by score or by a floor) stays within the budget. */
static double pick_review_at(const float *score, const uint8_t *floors, size_t n, double block_at,
                             double budget, scored_pair *scratch)
{
    size_t held = 0, k = 0;
    for (size_t i = 0; i < n; i++) {
        if (floors[i] == GN_FLOOR_NO_EVIDENCE) continue; /* never held */
        if (floors[i] == GN_FLOOR_CONTEXT_ONLY && score[i] >= block_at) {
            held++; /* held where it would be blocked */
            continue;
        }
        if (score[i] >= block_at || floors[i] == 2) continue;
        if (floors[i] == 1)
            held++;
        else
            scratch[k++] = (scored_pair){score[i], 1};
    }
    double room = floor(budget * (double)n) - (double)held;
    if (room < 1) return block_at;
    if (room >= (double)k) return REVIEW_AT_MIN < block_at ? REVIEW_AT_MIN : block_at;
    qsort(scratch, k, sizeof *scratch, by_score_down);
    double t = nextafterf(scratch[(size_t)room].score, 2.0f);
    return t < REVIEW_AT_MIN ? REVIEW_AT_MIN : t > block_at ? block_at : t;
}

/* caught and honest_down on the held-back labels, under one block
 * threshold per parity (the same twice for a scorer not fitted on them). */
static void held_back_figures(const held_back *h, const double review_at[2],
                              const double block_at[2], gn_scorer_figures *f)
{
    double fakes = 0, caught = 0, honest = 0, down = 0;
    for (size_t i = 0; i < h->n; i++) {
        int a = action_of(h->score[i], review_at[i % 2], block_at[i % 2], h->floor[i]);
        if (h->label[i] == 1) {
            fakes += h->weight[i];
            if (a >= GN_REVIEW) caught += h->weight[i];
        } else {
            honest += h->weight[i];
            if (a == GN_BLOCK) down += h->weight[i];
        }
    }
    f->caught = fakes > 0 ? caught / fakes : 0;
    f->honest_down = honest > 0 ? down / honest : 0;
}

/* The highest review threshold at which the weighted share of the
 * held-back counterfeits of one parity (-1: all) held or blocked, floors
 * included, reaches target; block_at when the floors and blocks already do. */
static double review_at_to_catch(const held_back *h, int parity, double target, double block_at,
                                 scored_pair *scratch)
{
    double all = 0, caught = 0;
    size_t k = 0;
    for (size_t i = 0; i < h->n; i++) {
        if (h->label[i] != 1 || (parity >= 0 && (int)(i % 2) != parity)) continue;
        all += h->weight[i];
        if (h->floor[i] == GN_FLOOR_NO_EVIDENCE) continue; /* never caught */
        if ((h->floor[i] >= 1 && h->floor[i] <= 2) || h->score[i] >= block_at)
            caught += h->weight[i];
        else
            scratch[k++] = (scored_pair){h->score[i], h->weight[i]};
    }
    if (all <= 0 || caught / all >= target - 1e-9) return block_at;
    qsort(scratch, k, sizeof *scratch, by_score_down);
    for (size_t i = 0; i < k; i++) {
        caught += scratch[i].weight;
        if (caught / all >= target - 1e-9) return scratch[i].score;
    }
    return k ? scratch[k - 1].score : block_at;
}

static void decided_figures(const float *score, const uint8_t *floors, size_t n, double review_at,
                            double block_at, gn_scorer_figures *f)
{
    size_t held = 0, blocked = 0;
    for (size_t i = 0; i < n; i++) {
        int a = action_of(score[i], review_at, block_at, floors[i]);
        held += a == GN_REVIEW;
        blocked += a == GN_BLOCK;
    }
    f->held = n ? (double)held / (double)n : 0;
    f->blocked = n ? (double)blocked / (double)n : 0;
}

int gn_learning_train(gn_learning *l, const gn_training_options *o, gn_training *t, gn_error *err)
{
    memset(t, 0, sizeof *t);
    size_t n = 0, positives = 0, decided = 0;
    size_t in_stratum[GN_STRATA] = {0}, labelled_in[GN_STRATA] = {0};
    /* The platform columns: the names the labelled listings carry, most frequent first. */
    name_count names[256];
    size_t n_names = 0;
    for (uint32_t i = 0; i < l->n_rows; i++) {
        const gn_snapshot *r = &l->rows[i];
        if (r->decided) {
            decided++;
            in_stratum[r->action == GN_BLOCK    ? GN_STRATUM_BLOCKED
                       : r->action == GN_REVIEW ? GN_STRATUM_HELD
                                                : GN_STRATUM_LIVE]++;
        }
        if (r->label < 0) continue;
        n++;
        positives += r->label == 1;
        if (r->source == GN_LABEL_AUDIT || r->source == GN_LABEL_REVIEW)
            labelled_in[r->stratum < GN_STRATA ? r->stratum : 0]++;
        for (int k = 0; k < r->n_platform + r->n_seller; k++) {
            const char *name =
                k < r->n_platform ? r->platform[k].name : r->seller_values[k - r->n_platform].name;
            size_t j = 0;
            while (j < n_names && names[j].name != name)
                j++;
            if (j == n_names && n_names < 256) names[n_names++] = (name_count){name, 0};
            if (j < n_names) names[j].count++;
        }
    }
    if (n < GN_LEARNING_MIN_LABELS || positives < GN_LEARNING_MIN_KIND ||
        n - positives < GN_LEARNING_MIN_KIND)
        return gn_fail(err, GN_EINPUT,
                       "not enough labels to learn from: %zu labelled listings, %zu counterfeit "
                       "(at least %d, with at least %d counterfeit and %d genuine, are needed)",
                       n, positives, GN_LEARNING_MIN_LABELS, GN_LEARNING_MIN_KIND,
                       GN_LEARNING_MIN_KIND);
    qsort(names, n_names, sizeof *names, by_count);
    if (n_names > MAX_PLATFORM) n_names = MAX_PLATFORM;
    size_t width = GN_FEATURES_BASE + n_names;
    /* The most recent fifth of the labels is held back, or as many more
     * (up to half) as it takes to hold GN_LEARNING_MIN_RECENT_COUNTERFEIT
     * counterfeits: with audits the main source of labels, a fifth can hold
     * a dozen, and no candidate could ever replace the scorer live. Set once
     * the labels are in time order, below. */
    size_t hold = n / 5, learn = n - hold, hold_max = n / 2;

    int rc = 0;
    gn_column *columns = gn_xcalloc(width, sizeof *columns);
    const char **column_names = gn_xcalloc(width, sizeof *column_names);
    signed char *monotone = gn_xcalloc(width, 1);
    labelled_row *order = gn_xmalloc(n * sizeof *order);
    float *x = gn_xmalloc(n * width * sizeof *x), *y = gn_xmalloc(n * sizeof *y);
    float *w = gn_xmalloc(n * sizeof *w);
    float *cand_all = gn_xmalloc((decided + 1) * sizeof *cand_all);
    float *live_all = gn_xmalloc((decided + 1) * sizeof *live_all);
    uint8_t *floor_all = gn_xmalloc(decided + 1);
    scored_pair *scratch = gn_xmalloc((decided + n + 1) * sizeof *scratch);
    held_back hc = {hold, gn_xmalloc((hold_max + 1) * sizeof(float)), NULL,
                    gn_xmalloc(hold_max + 1), gn_xmalloc(hold_max + 1)};
    held_back hl = hc;
    hl.score = gn_xmalloc((hold_max + 1) * sizeof(float));
    gn_model *m = NULL;
    if (!columns || !column_names || !monotone || !order || !x || !y || !w || !cand_all ||
        !live_all || !floor_all || !scratch || !hc.score || !hc.label || !hc.floor || !hl.score) {
        rc = gn_fail(err, GN_ENOMEM, "out of memory for %zu training rows", n);
        goto done;
    }
    for (size_t c = 0; c < width; c++) {
        columns[c].base = c < GN_FEATURES_BASE ? (int)c : -1;
        columns[c].name = c < GN_FEATURES_BASE ? NULL : names[c - GN_FEATURES_BASE].name;
        column_names[c] = c < GN_FEATURES_BASE ? gn_feature_name((int)c) : columns[c].name;
        monotone[c] = c < GN_FEATURES_BASE ? o->monotone[c] : 0;
    }

    /* Weights: a label from a sample of its stratum (the audit of live and
     * blocked listings, the reviewers' verdicts on held ones) speaks for
     * every listing of the stratum that was not labelled: its weight is the
     * inverse of the stratum's labelled share, so that the few audited live
     * listings are not drowned by the held ones, labelled nearly all.
     * Complaints, reports, counter-notices and appeals choose their listings
     * (a counterfeiter does not appeal): they speak only for themselves,
     * weight 1. Capped at 1000, then all scaled to average 1. */
    for (int s = 0; s < GN_STRATA; s++) {
        double rate = in_stratum[s] ? (double)labelled_in[s] / (double)in_stratum[s] : 1;
        t->stratum_rate[s] = rate > 1 ? 1 : rate;
    }
    size_t k = 0;
    for (uint32_t i = 0; i < l->n_rows; i++)
        if (l->rows[i].label >= 0)
            order[k++] = (labelled_row){i, l->rows[i].label_seq, l->rows[i].labelled_at};
    /* The time split: the most recent labels are held back (see hold). */
    qsort(order, n, sizeof *order, by_label_time);
    for (size_t i = n, recent = 0; i > 0 && n - i < hold_max; i--) {
        recent += l->rows[order[i - 1].listing].label == 1;
        if (recent >= GN_LEARNING_MIN_RECENT_COUNTERFEIT) {
            if (n - i + 1 > hold) hold = n - i + 1;
            break;
        }
    }
    learn = n - hold;
    hc.n = hl.n = hold;
    double total = 0;
    for (size_t i = 0; i < n; i++) {
        const gn_snapshot *r = &l->rows[order[i].listing];
        double rate = t->stratum_rate[r->stratum < GN_STRATA ? r->stratum : 0];
        double wi = r->source != GN_LABEL_AUDIT && r->source != GN_LABEL_REVIEW ? 1
                    : rate > 0.001                                              ? 1 / rate
                                                                                : 1000;
        w[i] = (float)wi;
        total += wi;
        fill(l, columns, width, r, x + i * width);
        y[i] = r->label;
    }
    size_t held_pos = 0, learn_pos = 0;
    for (size_t i = 0; i < n; i++) {
        w[i] = (float)(w[i] * (double)n / total);
        const gn_snapshot *r = &l->rows[order[i].listing];
        gn_label_mix *mx = &t->mix[r->source < GN_LABEL_SOURCES ? r->source : 0];
        mx->labels++;
        mx->counterfeit += r->label == 1;
        mx->weight += w[i];
        if (i < learn)
            learn_pos += r->label == 1;
        else
            held_pos += r->label == 1;
    }
    if (learn_pos == 0 || learn_pos == learn || held_pos == 0 || held_pos == hold) {
        rc = gn_fail(err, GN_EINPUT,
                     "not enough labels to learn from: the oldest %zu labels (to learn from) have "
                     "%zu counterfeit and the most recent %zu (held back to compare) %zu; each "
                     "needs both kinds",
                     learn, learn_pos, hold, held_pos);
        goto done;
    }
    gn_model_params params = o->params;
    params.weights = w;
    params.monotone = monotone;
    if ((rc = gn_model_train(x, y, learn, width, column_names, &params, &m, err))) goto done;
    if ((rc = gn_model_evaluate(m, x + learn * width, y + learn, hold, &t->figures, err)))
        goto done;

    /* Both scorers on the held-back labels and on every decided listing. */
    hc.weight = hl.weight = w + learn;
    hl.label = hc.label;
    hl.floor = hc.floor;
    for (size_t i = 0; i < hold; i++) {
        const gn_snapshot *r = &l->rows[order[learn + i].listing];
        gn_model_predict(m, x + (learn + i) * width, &hc.score[i], NULL, NULL);
        hc.label[i] = r->label;
        hc.floor[i] = r->floor;
        if (l->model)
            gn_learning_predict(l, order[learn + i].listing, &hl.score[i], NULL);
        else
            hl.score[i] = r->scored;
    }
    size_t d = 0;
    float *row = x; /* the training rows are no longer needed: reuse the first */
    for (uint32_t i = 0; i < l->n_rows; i++) {
        const gn_snapshot *r = &l->rows[i];
        if (!r->decided) continue;
        fill(l, columns, width, r, row);
        gn_model_predict(m, row, &cand_all[d], NULL, NULL);
        if (l->model)
            gn_learning_predict(l, i, &live_all[d], NULL);
        else
            live_all[d] = r->scored;
        floor_all[d++] = r->floor;
    }

    double live_review[2], live_block[2];
    live_review[0] = live_review[1] = l->model ? l->review_at : o->policy_review_at;
    live_block[0] = live_block[1] = l->model ? l->block_at : o->policy_block_at;
    held_back_figures(&hl, live_review, live_block, &t->live);
    decided_figures(live_all, floor_all, decided, live_review[0], live_block[0], &t->live);

    /* The candidate's thresholds: block_at from the honest held-back labels,
     * review_at from the budget over every decided listing (no label used).
     * Where that would catch fewer held-back counterfeits than the live
     * scorer, review_at comes down as far as needed to catch as many, as
     * long as the candidate then holds no more listings than the larger of
     * the budget and what the live scorer holds: a scorer over budget is
     * replaced by one that catches as much for less review. Both fitted
     * figures are measured cross-fitted: each half of the held-back labels
     * under the thresholds the other half chose. */
    t->block_at = pick_block_at(&hc, -1, o->max_honest, scratch);
    double budget_at =
        pick_review_at(cand_all, floor_all, decided, t->block_at, o->review_budget, scratch);
    double cross[2] = {pick_block_at(&hc, 1, o->max_honest, scratch),
                       pick_block_at(&hc, 0, o->max_honest, scratch)};
    double review_at[2] = {budget_at, budget_at};
    t->review_at = budget_at;
    double needed = review_at_to_catch(&hc, -1, t->live.caught, t->block_at, scratch);
    if (needed < budget_at) {
        gn_scorer_figures probe;
        decided_figures(cand_all, floor_all, decided, needed, t->block_at, &probe);
        double ceiling = t->live.held > o->review_budget ? t->live.held : o->review_budget;
        if (probe.held <= ceiling) {
            t->review_at = needed;
            t->over_budget = 1;
            for (int half = 0; half < 2; half++) {
                double other =
                    review_at_to_catch(&hc, 1 - half, t->live.caught, cross[half], scratch);
                review_at[half] = other < budget_at ? other : budget_at;
            }
        }
    }
    held_back_figures(&hc, review_at, cross, &t->cand);
    decided_figures(cand_all, floor_all, decided, t->review_at, t->block_at, &t->cand);

    int catches = t->cand.caught >= t->live.caught - 1e-9;
    int spares = t->cand.honest_down <= t->live.honest_down + 1e-9;
    /* With a handful of recent counterfeits "no worse" says nothing: a
     * model that catches none of the next ones can tie with the live scorer
     * on three. Below the minimum the candidate waits in shadow. */
    int enough = held_pos >= GN_LEARNING_MIN_RECENT_COUNTERFEIT;
    t->promote = catches && spares && enough;
    if (!enough)
        snprintf(t->why, sizeof t->why,
                 "kept in shadow: the %zu most recent labels hold %zu counterfeits, too few to "
                 "tell it from the live scorer (at least %d are needed)",
                 hold, held_pos, GN_LEARNING_MIN_RECENT_COUNTERFEIT);
    else if (t->promote)
        snprintf(t->why, sizeof t->why,
                 "no worse than the live scorer on the %zu most recent labels: catches %.4f "
                 "(live %.4f), takes down %.4f of honest listings (live %.4f)",
                 hold, t->cand.caught, t->live.caught, t->cand.honest_down, t->live.honest_down);
    else
        snprintf(t->why, sizeof t->why, "kept in shadow: on the %zu most recent labels it %s%s%s",
                 hold, catches ? "" : "catches fewer counterfeits than the live scorer",
                 catches || spares ? "" : " and ",
                 spares ? "" : "takes down more honest listings than the live scorer");
    t->candidate = m;
    m = NULL;
    t->rows = n;
    t->positives = positives;
    t->features = width;
    t->learned = learn;
    t->held_back = hold;
done:
    gn_model_free(m);
    free(columns);
    free(column_names);
    free(monotone);
    free(order);
    free(x);
    free(y);
    free(w);
    free(cand_all);
    free(live_all);
    free(floor_all);
    free(scratch);
    free(hc.score);
    free(hc.label);
    free(hc.floor);
    free(hl.score);
    return rc;
}

void gn_learning_free(gn_learning *l)
{
    for (uint32_t i = 0; i < l->n_rows; i++)
        free(l->rows[i].platform);
    free(l->rows);
    for (uint32_t i = 0; i < l->n_sellers; i++)
        free(l->seller_signals[i]);
    free(l->seller_signals);
    for (uint32_t i = 0; i < l->n_replaced; i++)
        free(l->replaced[i]);
    free(l->replaced);
    free(l->seller_n);
    gn_strmap_free(&l->names);
    gn_learning_use(l, NULL, 0, 0, 0, NULL);
    memset(l, 0, sizeof *l);
}

/* A reason for a column that is not a signal: a fact or a platform number,
 * said in the direction it moved the score. */
static void column_reason(const gn_learning *l, size_t c, const gn_snapshot *r, double push,
                          gn_signals *reasons)
{
    const char *as = push > 0 ? "as in listings found counterfeit" : "as in listings found genuine";
    if (l->columns[c].base >= 0)
        gn_signals_add(reasons, "MODEL_FACT", 1, "%s = %g, %s", gn_feature_name(l->columns[c].base),
                       r->base[l->columns[c].base], as);
    else
        gn_signals_add(reasons, "PLATFORM_SIGNAL", 1, "the platform's %s = %g, %s",
                       l->columns[c].name, l->x[c], as);
}

int gn_learning_decide(gn_learning *l, uint32_t listing, const gn_signals *signals,
                       gn_signals *reasons, gn_decision *d, gn_error *err)
{
    float p;
    size_t width = gn_model_features(l->model);
    const gn_snapshot *r = &l->rows[listing];
    fill(l, l->columns, width, r, l->x);
    /* Each column's share of the log-odds, in its direction: exact TreeSHAP
     * for a listing the model holds or blocks, whose reasons a reviewer and
     * the seller read (tens to hundreds of microseconds); the path
     * attributions of the walk itself for one it allows (a microsecond or
     * two: TreeSHAP on every decision would cost more than the rest of it). */
    int rc = gn_model_predict(l->model, l->x, &p, l->contribs, err);
    if (!rc && p >= l->review_at) rc = gn_model_shap(l->model, l->x, &p, l->contribs, err);
    if (rc) return rc;
    reasons->count = 0;
    /* Every signal that fired keeps its sentence, weighed by what its column
     * moved (0 for a signal the model has no column for); a code raised twice
     * counts once. */
    uint8_t credited[GN_FEATURES_SIGNALS] = {0};
    for (int i = 0; i < signals->count; i++) {
        const gn_signal *s = &signals->items[i];
        int f = gn_feature_of_signal(s->code);
        double push = 0;
        if (f >= 0 && f < GN_FEATURES_SIGNALS && !credited[f]) {
            credited[f] = 1;
            for (size_t c = 0; c < width; c++)
                if (l->columns[c].base == f) push = l->contribs[c];
        }
        gn_signals_add(reasons, s->code, s->value, "%s", s->detail);
        if (reasons->count > 0) reasons->items[reasons->count - 1].weight = push;
    }
    /* Facts and platform numbers that clearly moved the score, up or down. */
    for (size_t c = 0; c < width; c++) {
        double push = l->contribs[c];
        if (l->columns[c].base >= 0 && l->columns[c].base < GN_FEATURES_SIGNALS) continue;
        if (!(fabs(push) > 0.05)) continue;
        column_reason(l, c, r, push, reasons);
        if (reasons->count > 0) reasons->items[reasons->count - 1].weight = push;
    }
    /* Strongest push towards counterfeit first, what spoke for the listing last. */
    for (int i = 1; i < reasons->count; i++) {
        gn_signal t = reasons->items[i];
        int j = i;
        for (; j > 0 && reasons->items[j - 1].weight < t.weight; j--)
            reasons->items[j] = reasons->items[j - 1];
        reasons->items[j] = t;
    }
    d->score = p;
    d->action = p >= l->block_at ? GN_BLOCK : p >= l->review_at ? GN_REVIEW : GN_ALLOW;
    d->signals = reasons;
    return 0;
}
