/* The learned model (see model.h and docs/model.md). XGBoost trains the trees
 * and is the authority on what they say; right after training or loading we
 * copy them into one flat array of 16-byte nodes, because a single-row
 * prediction through XGBoost's C API costs tens of microseconds of set-up
 * while walking ~100 small trees ourselves costs about one. The copy also
 * carries each node's expected value, which is what the per-feature
 * contributions (Saabas / XGBoost "approx contribs") are made of. */
#include "decide/model.h"

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xgboost/c_api.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/json.h"

#define GN_MODEL_MAX_FEATURES 65536
#define GN_MODEL_MAX_DEPTH 64 /* deeper trees in a loaded model are refused */

/* One node of the flat copy. A leaf points to itself on both sides, so a row
 * takes exactly the tree's depth in steps whatever leaf it ends in: the walk
 * has no data-dependent branch, and the processor overlaps one tree's walk
 * with the next (a walk that stops at leaves mispredicts about once a tree). */
typedef struct gn_model_node {
    float value;       /* split: go left when x < value; leaf: the leaf's value */
    uint32_t feature;  /* split feature (0 at a leaf); bit 31: missing goes left */
    uint32_t child[2]; /* left, right; a leaf's own index twice */
    float delta[2];    /* child's expected value minus this node's: what this
                          split's feature earns on the way (0 at a leaf) */
} gn_model_node;

#define NODE_DEFAULT_LEFT 0x80000000u
#define NODE_FEATURE_MASK 0x7fffffffu

typedef struct gn_model_tree {
    uint32_t root;       /* index of the root in nodes */
    uint32_t depth;      /* steps from the root to the deepest leaf */
    uint32_t lane_depth; /* at t % GN_MODEL_LANES == 0: the deepest of the
                            GN_MODEL_LANES trees walked together from here */
} gn_model_tree;

/* Trees walked side by side: four independent chains of loads keep the
 * processor busy while each waits on its node (a walk is a chain of
 * dependent loads, ~15 cycles a step alone). */
#define GN_MODEL_LANES 4

struct gn_model {
    BoosterHandle booster; /* XGBoost's model: saving, and the reference answers */
    size_t cols;
    char (*names)[GN_MODEL_NAME_MAX + 1];
    size_t n_trees;
    gn_model_tree *trees;
    gn_model_node *nodes;
    size_t n_nodes;
    float base_margin;  /* base_score as log-odds: every prediction starts here */
    float bias;         /* contribs[cols] of every row: Σ root expected values + base_margin */
    float *cover;       /* by flat node: its hessian sum (TreeSHAP's weights) */
    uint32_t max_depth; /* the deepest tree's depth */
};

/* ---- small helpers ------------------------------------------------------ */

static int xgb_fail(gn_error *err, const char *what)
{
    return gn_fail(err, GN_EINPUT, "model: XGBoost failed to %s: %s", what, XGBGetLastError());
}

static int name_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '.' || c == ':' || c == '/' || c == '-';
        if (!ok || n >= GN_MODEL_NAME_MAX) return 0;
    }
    return n > 0;
}

/* 64-bit FNV-1a: enough to tell corrupt or truncated bytes from a model. */
static uint64_t fnv1a64(const unsigned char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}
static uint32_t get_u32(const unsigned char *p)
{
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}
static uint64_t get_u64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

void gn_model_free(gn_model *m)
{
    if (!m) return;
    if (m->booster) XGBoosterFree(m->booster);
    free(m->names);
    free(m->trees);
    free(m->nodes);
    free(m->cover);
    free(m);
}

size_t gn_model_features(const gn_model *m)
{
    return m ? m->cols : 0;
}

const char *gn_model_feature_name(const gn_model *m, size_t i)
{
    return m && i < m->cols ? m->names[i] : NULL;
}

size_t gn_model_trees(const gn_model *m)
{
    return m ? m->n_trees : 0;
}

size_t gn_model_flat_bytes(const gn_model *m)
{
    if (!m) return 0;
    return m->n_nodes * (sizeof(gn_model_node) + sizeof *m->cover) +
           m->n_trees * sizeof(gn_model_tree) + m->cols * sizeof *m->names + sizeof *m;
}

/* ---- the flat copy, from XGBoost's JSON model ----------------------------- */

/* One tree as XGBoost's JSON model stores it: parallel arrays by node id. */
typedef struct tree_arrays {
    const gn_json *left, *right, *split_index, *split_cond, *default_left, *hess;
    size_t n;
} tree_arrays;

static int64_t arr_int(const gn_json *a, size_t i)
{
    const gn_json *v = gn_json_at(a, i);
    if (gn_json_typeof(v) == GN_JSON_TRUE) return 1;
    if (gn_json_typeof(v) == GN_JSON_FALSE) return 0;
    return gn_json_is_integer(v) ? gn_json_integer(v) : INT64_MIN;
}

static float arr_float(const gn_json *a, size_t i)
{
    return (float)gn_json_number(gn_json_at(a, i));
}

/* Expected value of node id: a leaf's value, else its children's weighted by
 * their hessian sums — computed in float in XGBoost's order (its
 * FillNodeMeanValues) so the contributions match its own to the last bits. */
/* The arrays of one tree of XGBoost's JSON model. */
static tree_arrays tree_arrays_of(const gn_json *tr)
{
    tree_arrays ta = {gn_json_get(tr, "left_children"),
                      gn_json_get(tr, "right_children"),
                      gn_json_get(tr, "split_indices"),
                      gn_json_get(tr, "split_conditions"),
                      gn_json_get(tr, "default_left"),
                      gn_json_get(tr, "sum_hessian"),
                      0};
    ta.n = gn_json_size(ta.left);
    return ta;
}

static float node_mean(const tree_arrays *t, int64_t id, float *mean, int depth, int *bad)
{
    if (depth > GN_MODEL_MAX_DEPTH) {
        *bad = 1;
        return 0;
    }
    int64_t l = arr_int(t->left, (size_t)id), r = arr_int(t->right, (size_t)id);
    float result;
    if (l == -1) {
        result = arr_float(t->split_cond, (size_t)id);
    } else {
        result = node_mean(t, l, mean, depth + 1, bad) * arr_float(t->hess, (size_t)l);
        result += node_mean(t, r, mean, depth + 1, bad) * arr_float(t->hess, (size_t)r);
        result /= arr_float(t->hess, (size_t)id);
    }
    mean[id] = result;
    return result;
}

/* Checks one tree's arrays: same lengths, children and features in range,
 * and every node but the root the child of exactly one split — so what hangs
 * from the root is a tree (no cycle, no shared subtree) and walking it costs
 * at most one visit per node. refs: scratch of t->n bytes. */
static int tree_shape_ok(const tree_arrays *t, size_t cols, unsigned char *refs)
{
    if (t->n == 0 || gn_json_size(t->right) != t->n || gn_json_size(t->split_index) != t->n ||
        gn_json_size(t->split_cond) != t->n || gn_json_size(t->default_left) != t->n ||
        gn_json_size(t->hess) != t->n)
        return 0;
    memset(refs, 0, t->n);
    for (size_t i = 0; i < t->n; i++) {
        int64_t l = arr_int(t->left, i), r = arr_int(t->right, i);
        if (l == -1 && r == -1) continue;
        if (l <= 0 || r <= 0 || l >= (int64_t)t->n || r >= (int64_t)t->n || l == r || refs[l]++ ||
            refs[r]++)
            return 0;
        int64_t f = arr_int(t->split_index, i);
        if (f < 0 || (uint64_t)f >= cols) return 0;
        if (arr_int(t->default_left, i) == INT64_MIN) return 0;
    }
    return 1;
}

/* Builds m's flat trees, names and base margin from XGBoost's JSON model. */
static int flat_from_json(gn_model *m, const char *text, size_t len, gn_error *err)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    int rc = 0;
    float *mean = NULL;
    uint32_t *queue = NULL, *level = NULL;
    const gn_json *root = gn_json_parse(&doc, text, len, err);
    if (!root) {
        rc = err ? err->code : GN_EINPUT;
        goto done;
    }
    const gn_json *learner = gn_json_get(root, "learner");
    const gn_json *booster = gn_json_get(learner, "gradient_booster");
    const gn_json *trees = gn_json_get(gn_json_get(booster, "model"), "trees");
    const char *booster_name = gn_json_string(gn_json_get(booster, "name"), NULL);
    const char *objective =
        gn_json_string(gn_json_get(gn_json_get(learner, "objective"), "name"), NULL);
    const gn_json *mparam = gn_json_get(learner, "learner_model_param");
    const char *base_score = gn_json_string(gn_json_get(mparam, "base_score"), NULL);
    const char *num_feature = gn_json_string(gn_json_get(mparam, "num_feature"), NULL);
    if (!booster_name || strcmp(booster_name, "gbtree") != 0 || !objective ||
        strcmp(objective, "binary:logistic") != 0 || !base_score || !num_feature ||
        gn_json_typeof(trees) != GN_JSON_ARRAY || gn_json_size(trees) == 0) {
        rc = gn_fail(err, GN_EINPUT,
                     "model: not a genuine model (expected gbtree trees for binary:logistic)");
        goto done;
    }
    char *end;
    unsigned long long cols = strtoull(num_feature, &end, 10);
    if (*end || cols == 0 || cols > GN_MODEL_MAX_FEATURES) {
        rc = gn_fail(err, GN_EINPUT, "model: bad number of features '%s'", num_feature);
        goto done;
    }
    float base = strtof(base_score, &end);
    if (*end || !(base > 0.0f && base < 1.0f)) {
        rc = gn_fail(err, GN_EINPUT, "model: bad base_score '%s'", base_score);
        goto done;
    }
    m->cols = (size_t)cols;
    /* XGBoost's LogisticRegression::ProbToMargin, in float like it */
    m->base_margin = -logf(1.0f / base - 1.0f);

    m->names = gn_xcalloc(m->cols, sizeof *m->names);
    if (!m->names) {
        rc = gn_fail(err, GN_ENOMEM, "model: out of memory");
        goto done;
    }
    const gn_json *names = gn_json_get(learner, "feature_names");
    for (size_t i = 0; i < m->cols; i++) {
        const char *s = gn_json_string(gn_json_at(names, i), NULL);
        if (gn_json_size(names) == m->cols && s && name_ok(s))
            snprintf(m->names[i], sizeof m->names[i], "%s", s);
        else
            snprintf(m->names[i], sizeof m->names[i], "f%zu", i);
    }

    /* Check every tree and count the nodes before allocating. */
    size_t n_trees = gn_json_size(trees), n_nodes = 0, widest = 0;
    for (size_t t = 0; t < n_trees; t++) {
        const gn_json *tr = gn_json_at(trees, t);
        tree_arrays ta = tree_arrays_of(tr);
        const gn_json *types = gn_json_get(tr, "split_type");
        for (size_t i = 0; i < gn_json_size(types); i++)
            if (arr_int(types, i) != 0) {
                rc = gn_fail(err, GN_EINPUT, "model: tree %zu has categorical splits", t);
                goto done;
            }
        unsigned char *refs = gn_xmalloc(ta.n ? ta.n : 1);
        if (!refs) {
            rc = gn_fail(err, GN_ENOMEM, "model: out of memory");
            goto done;
        }
        int shape_ok = tree_shape_ok(&ta, m->cols, refs);
        free(refs);
        if (!shape_ok || ta.n > UINT32_MAX - n_nodes) {
            rc = gn_fail(err, GN_EINPUT, "model: tree %zu is malformed", t);
            goto done;
        }
        n_nodes += ta.n;
        if (ta.n > widest) widest = ta.n;
    }
    m->n_trees = n_trees;
    m->n_nodes = n_nodes;
    m->trees = gn_xmalloc(n_trees * sizeof *m->trees);
    m->nodes = gn_xmalloc(n_nodes * sizeof *m->nodes);
    m->cover = gn_xmalloc(n_nodes * sizeof *m->cover);
    mean = gn_xmalloc(widest * sizeof *mean);
    queue = gn_xmalloc(widest * sizeof *queue);
    level = gn_xmalloc(widest * sizeof *level);
    if (!m->trees || !level || !m->nodes || !m->cover || !mean || !queue) {
        rc = gn_fail(err, GN_ENOMEM, "model: out of memory for %zu tree nodes", n_nodes);
        goto done;
    }

    /* Breadth-first renumbering: a split's two children get adjacent slots,
     * and the top levels, which every row visits, sit together in memory. */
    size_t next = 0;
    float bias = 0.0f;
    for (size_t t = 0; t < n_trees; t++) {
        const gn_json *tr = gn_json_at(trees, t);
        tree_arrays ta = tree_arrays_of(tr);
        int bad = 0;
        node_mean(&ta, 0, mean, 0, &bad);
        if (bad) {
            rc =
                gn_fail(err, GN_EINPUT, "model: tree %zu is deeper than %d", t, GN_MODEL_MAX_DEPTH);
            goto done;
        }
        /* XGBoost adds each tree's root expected value to the bias, in order */
        bias += mean[0];
        size_t base_slot = next, head = 0, tail = 0;
        uint32_t depth = 0;
        m->trees[t].root = (uint32_t)base_slot;
        queue[tail] = 0;
        level[tail++] = 0;
        next++;
        while (head < tail) {
            uint32_t id = queue[head], lv = level[head];
            uint32_t self = (uint32_t)(base_slot + head);
            gn_model_node *nd = &m->nodes[self];
            head++;
            int64_t l = arr_int(ta.left, id), r = arr_int(ta.right, id);
            nd->value = arr_float(ta.split_cond, id);
            m->cover[self] = arr_float(ta.hess, id);
            if (lv > depth) depth = lv;
            if (l == -1) {
                nd->feature = 0;
                nd->child[0] = nd->child[1] = self;
                nd->delta[0] = nd->delta[1] = 0.0f;
                continue;
            }
            if (tail + 2 > ta.n) {
                rc = gn_fail(err, GN_EINPUT, "model: tree %zu is malformed", t);
                goto done;
            }
            nd->feature = (uint32_t)arr_int(ta.split_index, id) |
                          (arr_int(ta.default_left, id) ? NODE_DEFAULT_LEFT : 0);
            nd->child[0] = (uint32_t)next;
            nd->child[1] = (uint32_t)next + 1;
            nd->delta[0] = mean[l] - mean[id];
            nd->delta[1] = mean[r] - mean[id];
            queue[tail] = (uint32_t)l;
            level[tail++] = lv + 1;
            queue[tail] = (uint32_t)r;
            level[tail++] = lv + 1;
            next += 2;
        }
        m->trees[t].depth = depth;
        m->trees[t].lane_depth = depth;
        if (depth > m->max_depth) m->max_depth = depth;
        /* nodes no path reaches (XGBoost's deleted ones) are left out */
    }
    m->n_nodes = next;
    m->bias = bias + m->base_margin;
    for (size_t t = 0; t + GN_MODEL_LANES <= n_trees; t += GN_MODEL_LANES) {
        uint32_t deepest = 0;
        for (size_t k = t; k < t + GN_MODEL_LANES; k++)
            if (m->trees[k].depth > deepest) deepest = m->trees[k].depth;
        m->trees[t].lane_depth = deepest;
    }
done:
    free(mean);
    free(queue);
    free(level);
    gn_json_doc_free(&doc);
    return rc;
}

/* Rebuilds the flat trees from the booster (after training). */
static int flat_from_booster(gn_model *m, gn_error *err)
{
    bst_ulong len = 0;
    const char *buf = NULL;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"json\"}", &len, &buf) != 0)
        return xgb_fail(err, "export its trees");
    return flat_from_json(m, buf, (size_t)len, err);
}

/* ---- training ----------------------------------------------------------- */

static int set_param(BoosterHandle h, const char *k, const char *v, gn_error *err)
{
    if (XGBoosterSetParam(h, k, v) != 0)
        return gn_fail(err, GN_EINPUT, "model: XGBoost refused %s=%s: %s", k, v, XGBGetLastError());
    return 0;
}

int gn_model_train(const float *x, const float *y, size_t rows, size_t cols,
                   const char *const *feature_names, const gn_model_params *p, gn_model **out,
                   gn_error *err)
{
    if (out) *out = NULL;
    if (!x || !y || !out)
        return gn_fail(err, GN_EINPUT, "model: training needs features, labels and an output");
    if (rows == 0) return gn_fail(err, GN_EINPUT, "model: no rows to train on");
    if (cols == 0 || cols > GN_MODEL_MAX_FEATURES)
        return gn_fail(err, GN_EINPUT, "model: %zu features (expected 1 to %d)", cols,
                       GN_MODEL_MAX_FEATURES);
    if (rows > SIZE_MAX / sizeof(float) / cols)
        return gn_fail(err, GN_EINPUT, "model: %zu rows × %zu features is too large", rows, cols);

    gn_model_params q = {100, 6, 0.3, 2, NULL, NULL};
    if (p) {
        q.weights = p->weights;
        q.monotone = p->monotone;
        if (p->rounds < 0 || p->rounds > 100000)
            return gn_fail(err, GN_EINPUT, "model: rounds %d (expected 1 to 100000)", p->rounds);
        if (p->max_depth < 0 || p->max_depth > 20)
            return gn_fail(err, GN_EINPUT, "model: max_depth %d (expected 1 to 20)", p->max_depth);
        if (!(p->eta >= 0 && p->eta <= 1))
            return gn_fail(err, GN_EINPUT, "model: eta %g (expected above 0, at most 1)", p->eta);
        if (p->threads < 0 || p->threads > 1024)
            return gn_fail(err, GN_EINPUT, "model: threads %d (expected 1 to 1024)", p->threads);
        if (p->rounds) q.rounds = p->rounds;
        if (p->max_depth) q.max_depth = p->max_depth;
        if (p->eta > 0) q.eta = p->eta;
        if (p->threads) q.threads = p->threads;
    }

    size_t positives = 0;
    double weight_all = 0, weight_positive = 0;
    for (size_t i = 0; i < rows; i++) {
        double w = q.weights ? q.weights[i] : 1.0;
        if (!(w > 0) || isinf(w))
            return gn_fail(err, GN_EINPUT, "model: weight of row %zu is %g (expected above 0)", i,
                           w);
        weight_all += w;
        if (y[i] == 1.0f) {
            positives++;
            weight_positive += w;
        } else if (y[i] != 0.0f)
            return gn_fail(err, GN_EINPUT, "model: label of row %zu is %g (expected 0 or 1)", i,
                           (double)y[i]);
    }
    if (q.monotone)
        for (size_t j = 0; j < cols; j++)
            if (q.monotone[j] < -1 || q.monotone[j] > 1)
                return gn_fail(err, GN_EINPUT,
                               "model: monotone constraint of feature %zu is %d (expected -1, 0 "
                               "or 1)",
                               j, q.monotone[j]);
    if (positives == 0 || positives == rows)
        return gn_fail(err, GN_EINPUT,
                       "model: every one of the %zu labels is %d; training needs both "
                       "counterfeit (1) and genuine (0) rows",
                       rows, positives ? 1 : 0);

    char(*names)[GN_MODEL_NAME_MAX + 1] = gn_xcalloc(cols, sizeof *names);
    const char **name_ptrs = gn_xcalloc(cols, sizeof *name_ptrs);
    if (!names || !name_ptrs) {
        free(names);
        free(name_ptrs);
        return gn_fail(err, GN_ENOMEM, "model: out of memory");
    }
    int rc = 0;
    for (size_t i = 0; i < cols; i++) {
        if (feature_names) {
            if (!feature_names[i] || !name_ok(feature_names[i])) {
                rc = gn_fail(err, GN_EINPUT,
                             "model: feature %zu's name '%s' is not 1 to %d characters of "
                             "A-Z a-z 0-9 _ . : / -",
                             i, feature_names[i] ? feature_names[i] : "(null)", GN_MODEL_NAME_MAX);
                goto fail_names;
            }
            snprintf(names[i], sizeof names[i], "%s", feature_names[i]);
        } else {
            snprintf(names[i], sizeof names[i], "f%zu", i);
        }
        name_ptrs[i] = names[i];
    }
    if (feature_names) {
        /* XGBoost requires distinct names; say which ones clash */
        for (size_t i = 0; i < cols; i++)
            for (size_t j = i + 1; j < cols; j++)
                if (strcmp(names[i], names[j]) == 0) {
                    rc = gn_fail(err, GN_EINPUT, "model: features %zu and %zu are both named '%s'",
                                 i, j, names[i]);
                    goto fail_names;
                }
    }
    for (size_t i = 0; i < rows; i++) {
        const float *row = x + i * cols;
        for (size_t j = 0; j < cols; j++)
            if (isinf(row[j])) {
                rc = gn_fail(err, GN_EINPUT,
                             "model: row %zu, feature '%s' is infinite (use NaN for missing)", i,
                             names[j]);
                goto fail_names;
            }
    }

    DMatrixHandle d = NULL;
    gn_model *m = gn_xcalloc(1, sizeof *m);
    if (!m) {
        rc = gn_fail(err, GN_ENOMEM, "model: out of memory");
        goto fail_names;
    }
    if (XGDMatrixCreateFromMat_omp(x, (bst_ulong)rows, (bst_ulong)cols, NAN, &d, q.threads) != 0) {
        rc = xgb_fail(err, "take the training rows");
        goto fail;
    }
    if (XGDMatrixSetFloatInfo(d, "label", y, (bst_ulong)rows) != 0 ||
        (q.weights && XGDMatrixSetFloatInfo(d, "weight", q.weights, (bst_ulong)rows) != 0) ||
        XGDMatrixSetStrFeatureInfo(d, "feature_name", name_ptrs, (bst_ulong)cols) != 0) {
        rc = xgb_fail(err, "take the labels and names");
        goto fail;
    }
    if (XGBoosterCreate(&d, 1, &m->booster) != 0) {
        rc = xgb_fail(err, "create a booster");
        goto fail;
    }
    /* Start from the base rate, not 0.5: the bias then reads as the prior
     * log-odds of a counterfeit, and early trees need not learn it. */
    double rate = weight_positive / weight_all;
    char v_depth[16], v_eta[32], v_threads[16], v_base[32];
    snprintf(v_depth, sizeof v_depth, "%d", q.max_depth);
    snprintf(v_eta, sizeof v_eta, "%.17g", q.eta);
    snprintf(v_threads, sizeof v_threads, "%d", q.threads);
    snprintf(v_base, sizeof v_base, "%.9g", rate);
    if ((rc = set_param(m->booster, "validate_parameters", "1", err)) ||
        (rc = set_param(m->booster, "objective", "binary:logistic", err)) ||
        (rc = set_param(m->booster, "tree_method", "hist", err)) ||
        (rc = set_param(m->booster, "max_depth", v_depth, err)) ||
        (rc = set_param(m->booster, "eta", v_eta, err)) ||
        (rc = set_param(m->booster, "nthread", v_threads, err)) ||
        (rc = set_param(m->booster, "base_score", v_base, err)))
        goto fail;
    if (q.monotone) {
        /* "(1,0,-1,...)": XGBoost's tuple syntax, one entry per feature */
        char *spec = gn_xmalloc(cols * 3 + 3);
        if (!spec) {
            rc = gn_fail(err, GN_ENOMEM, "model: out of memory");
            goto fail;
        }
        size_t n = 0;
        spec[n++] = '(';
        for (size_t j = 0; j < cols; j++) {
            if (j) spec[n++] = ',';
            if (q.monotone[j] < 0) spec[n++] = '-';
            spec[n++] = q.monotone[j] ? '1' : '0';
        }
        spec[n++] = ')';
        spec[n] = 0;
        rc = set_param(m->booster, "monotone_constraints", spec, err);
        free(spec);
        if (rc) goto fail;
    }
    if (XGBoosterSetStrFeatureInfo(m->booster, "feature_name", name_ptrs, (bst_ulong)cols) != 0) {
        rc = xgb_fail(err, "take the feature names");
        goto fail;
    }
    for (int it = 0; it < q.rounds; it++)
        if (XGBoosterUpdateOneIter(m->booster, it, d) != 0) {
            rc = xgb_fail(err, "train");
            goto fail;
        }
    XGDMatrixFree(d);
    d = NULL;
    /* Reference predictions through XGBoost are per row in tests and the
     * benchmark: one thread keeps them from spinning up a pool per call. */
    if ((rc = set_param(m->booster, "nthread", "1", err))) goto fail;
    if ((rc = flat_from_booster(m, err))) goto fail;
    free(names);
    free(name_ptrs);
    *out = m;
    return 0;
fail:
    if (d) XGDMatrixFree(d);
    gn_model_free(m);
fail_names:
    free(names);
    free(name_ptrs);
    return rc;
}

/* ---- prediction ---------------------------------------------------------- */

/* Branch-free step: x < value goes left, missing (NaN: the comparison is
 * false) goes right unless the split's default is left — XGBoost's rule. The
 * split's feature earns the change in expected value (Saabas). */
static inline const gn_model_node *step(const gn_model_node *nodes, const gn_model_node *n,
                                        const float *x, float *contribs, const int with_contribs)
{
    uint32_t f = n->feature;
    float v = x[f & NODE_FEATURE_MASK];
    uint32_t go = (uint32_t) !(v < n->value) ^ ((uint32_t)(v != v) & (f >> 31));
    if (with_contribs) contribs[f & NODE_FEATURE_MASK] += n->delta[go];
    return nodes + n->child[go];
}

/* The margin (log-odds) of row x: base margin plus every tree's leaf, added
 * in tree order like XGBoost so the probability is the same to the bit. */
static inline float walk_trees(const gn_model *m, const float *x, float *contribs,
                               const int with_contribs)
{
    const gn_model_node *nodes = m->nodes;
    const gn_model_tree *trees = m->trees;
    float margin = m->base_margin;
    size_t t = 0;
    for (; t + GN_MODEL_LANES <= m->n_trees; t += GN_MODEL_LANES) {
        const gn_model_node *a = nodes + trees[t].root, *b = nodes + trees[t + 1].root,
                            *c = nodes + trees[t + 2].root, *d = nodes + trees[t + 3].root;
        for (uint32_t k = trees[t].lane_depth; k > 0; k--) {
            a = step(nodes, a, x, contribs, with_contribs);
            b = step(nodes, b, x, contribs, with_contribs);
            c = step(nodes, c, x, contribs, with_contribs);
            d = step(nodes, d, x, contribs, with_contribs);
        }
        margin += a->value;
        margin += b->value;
        margin += c->value;
        margin += d->value;
    }
    for (; t < m->n_trees; t++) {
        const gn_model_node *n = nodes + trees[t].root;
        for (uint32_t k = trees[t].depth; k > 0; k--)
            n = step(nodes, n, x, contribs, with_contribs);
        margin += n->value;
    }
    return margin;
}

static float walk(const gn_model *m, const float *x, float *contribs)
{
    return contribs ? walk_trees(m, x, contribs, 1) : walk_trees(m, x, NULL, 0);
}

int gn_model_predict(const gn_model *m, const float *x, float *probability, float *contribs,
                     gn_error *err)
{
    if (!m || !x) return gn_fail(err, GN_EINPUT, "model: predict needs a model and a row");
    if (contribs) {
        memset(contribs, 0, m->cols * sizeof *contribs);
        contribs[m->cols] = m->bias;
    }
    float margin = walk(m, x, contribs);
    if (probability) *probability = 1.0f / (1.0f + expf(-margin)); /* XGBoost's float sigmoid */
    return 0;
}

/* ---- exact TreeSHAP --------------------------------------------------------- */

/* Lundberg et al.'s polynomial-time TreeSHAP, in float and in XGBoost's order
 * of operations so the values are its pred_contribs' (type 2). The path holds,
 * for each feature split on from the root to here, the share of the cover
 * that follows the split whatever the feature says (zero) and whether the row
 * itself follows it (one), with the permutation weights of the subsets. */
typedef struct shap_step {
    float zero, one, weight;
    int32_t feature;
} shap_step;

static void path_extend(shap_step *path, unsigned depth, float zero, float one, int32_t feature)
{
    path[depth].feature = feature;
    path[depth].zero = zero;
    path[depth].one = one;
    path[depth].weight = depth == 0 ? 1.0f : 0.0f;
    for (int i = (int)depth - 1; i >= 0; i--) {
        path[i + 1].weight += one * path[i].weight * (float)(i + 1) / (float)(depth + 1);
        path[i].weight = zero * path[i].weight * (float)(depth - (unsigned)i) / (float)(depth + 1);
    }
}

/* Takes step index out of the path (a feature split on a second time). */
static void path_unwind(shap_step *path, unsigned depth, unsigned index)
{
    float one = path[index].one, zero = path[index].zero, next = path[depth].weight;
    for (int i = (int)depth - 1; i >= 0; i--) {
        float later = (float)(depth - (unsigned)i);
        if (one != 0) {
            float tmp = path[i].weight;
            path[i].weight = next * (float)(depth + 1) / ((float)(i + 1) * one);
            next = tmp - path[i].weight * zero * later / (float)(depth + 1);
        } else {
            path[i].weight = path[i].weight * (float)(depth + 1) / (zero * later);
        }
    }
    for (unsigned i = index; i < depth; i++) {
        path[i].feature = path[i + 1].feature;
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
    }
}

/* The total weight the path would have without step index. */
static float path_unwound_sum(const shap_step *path, unsigned depth, unsigned index)
{
    float one = path[index].one, zero = path[index].zero, next = path[depth].weight, total = 0;
    for (int i = (int)depth - 1; i >= 0; i--) {
        float later = (float)(depth - (unsigned)i);
        if (one != 0) {
            float tmp = next * (float)(depth + 1) / ((float)(i + 1) * one);
            total += tmp;
            next = path[i].weight - tmp * zero * (later / (float)(depth + 1));
        } else if (zero != 0) {
            total += (path[i].weight / zero) / (later / (float)(depth + 1));
        }
    }
    return total;
}

static void shap_node(const gn_model *m, const float *x, float *phi, uint32_t node, unsigned depth,
                      shap_step *parent, float zero, float one, int32_t feature)
{
    shap_step *path = parent + depth + 1;
    memcpy(path, parent, (depth + 1) * sizeof *path);
    path_extend(path, depth, zero, one, feature);
    const gn_model_node *n = &m->nodes[node];
    if (n->child[0] == node) { /* a leaf */
        for (unsigned i = 1; i <= depth; i++) {
            float w = path_unwound_sum(path, depth, i);
            phi[path[i].feature] += w * (path[i].one - path[i].zero) * n->value;
        }
        return;
    }
    uint32_t f = n->feature & NODE_FEATURE_MASK;
    float v = x[f];
    uint32_t go = (uint32_t) !(v < n->value) ^ ((uint32_t)(v != v) & (n->feature >> 31));
    uint32_t hot = n->child[go], cold = n->child[go ^ 1u];
    float cover = m->cover[node];
    float hot_zero = m->cover[hot] / cover, cold_zero = m->cover[cold] / cover;
    float in_zero = 1, in_one = 1;
    unsigned k = 0;
    while (k <= depth && path[k].feature != (int32_t)f)
        k++;
    if (k <= depth) {
        in_zero = path[k].zero;
        in_one = path[k].one;
        path_unwind(path, depth, k);
        depth--;
    }
    shap_node(m, x, phi, hot, depth + 1, path, hot_zero * in_zero, in_one, (int32_t)f);
    shap_node(m, x, phi, cold, depth + 1, path, cold_zero * in_zero, 0, (int32_t)f);
}

int gn_model_shap(const gn_model *m, const float *x, float *probability, float *contribs,
                  gn_error *err)
{
    if (!m || !x || !contribs)
        return gn_fail(err, GN_EINPUT, "model: TreeSHAP needs a model, a row and an output");
    /* level u of the recursion uses u + 1 steps after (u + 1)(u + 2) / 2 of
     * the levels above; a leaf is at most max_depth levels down */
    size_t need = (size_t)(m->max_depth + 2) * (m->max_depth + 3) / 2 + 1;
    shap_step local[256], *path = need <= 256 ? local : gn_xcalloc(need, sizeof *path);
    if (!path) return gn_fail(err, GN_ENOMEM, "model: out of memory for TreeSHAP");
    memset(contribs, 0, m->cols * sizeof *contribs);
    for (size_t t = 0; t < m->n_trees; t++) {
        path[0] = (shap_step){0};
        shap_node(m, x, contribs, m->trees[t].root, 0, path, 1, 1, -1);
    }
    contribs[m->cols] = m->bias;
    if (path != local) free(path);
    if (probability) {
        float margin = walk(m, x, NULL);
        *probability = 1.0f / (1.0f + expf(-margin));
    }
    return 0;
}

/* ---- XGBoost's own predictions (tests, benchmark) ------------------------- */

int gn_model_xgb_predict(const gn_model *m, const float *x, size_t rows, float *probability,
                         float *contribs, gn_error *err)
{
    if (!m || !x || rows == 0)
        return gn_fail(err, GN_EINPUT, "model: XGBoost predict needs a model and rows");
    DMatrixHandle d = NULL;
    int rc = 0;
    if (XGDMatrixCreateFromMat(x, (bst_ulong)rows, (bst_ulong)m->cols, NAN, &d) != 0)
        return xgb_fail(err, "take the rows");
    for (int pass = 0; pass < 2 && rc == 0; pass++) {
        float *dst = pass == 0 ? probability : contribs;
        if (!dst) continue;
        size_t want = pass == 0 ? rows : rows * (m->cols + 1);
        char config[160];
        snprintf(config, sizeof config,
                 "{\"type\": %d, \"training\": false, \"iteration_begin\": 0, "
                 "\"iteration_end\": 0, \"strict_shape\": false}",
                 pass == 0 ? 0 : 3);
        const bst_ulong *shape = NULL;
        bst_ulong dim = 0;
        const float *res = NULL;
        if (XGBoosterPredictFromDMatrix(m->booster, d, config, &shape, &dim, &res) != 0) {
            rc = xgb_fail(err, "predict");
            break;
        }
        size_t got = 1;
        for (bst_ulong i = 0; i < dim; i++)
            got *= (size_t)shape[i];
        if (got != want) {
            rc = gn_fail(err, GN_EINPUT, "model: XGBoost gave %zu values, expected %zu", got, want);
            break;
        }
        memcpy(dst, res, want * sizeof *dst);
    }
    XGDMatrixFree(d);
    return rc;
}

int gn_model_xgb_shap(const gn_model *m, const float *x, size_t rows, float *contribs,
                      gn_error *err)
{
    if (!m || !x || rows == 0 || !contribs)
        return gn_fail(err, GN_EINPUT, "model: XGBoost TreeSHAP needs a model, rows and an output");
    DMatrixHandle d = NULL;
    if (XGDMatrixCreateFromMat(x, (bst_ulong)rows, (bst_ulong)m->cols, NAN, &d) != 0)
        return xgb_fail(err, "take the rows");
    static const char config[] = "{\"type\": 2, \"training\": false, \"iteration_begin\": 0, "
                                 "\"iteration_end\": 0, \"strict_shape\": false}";
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    int rc = 0;
    if (XGBoosterPredictFromDMatrix(m->booster, d, config, &shape, &dim, &res) != 0) {
        rc = xgb_fail(err, "compute contributions");
    } else {
        size_t got = 1, want = rows * (m->cols + 1);
        for (bst_ulong i = 0; i < dim; i++)
            got *= (size_t)shape[i];
        if (got != want)
            rc = gn_fail(err, GN_EINPUT, "model: XGBoost gave %zu values, expected %zu", got, want);
        else
            memcpy(contribs, res, want * sizeof *contribs);
    }
    XGDMatrixFree(d);
    return rc;
}

int gn_model_xgb_predict_inplace(const gn_model *m, const float *x, float *probability,
                                 gn_error *err)
{
    if (!m || !x || !probability)
        return gn_fail(err, GN_EINPUT, "model: XGBoost predict needs a model and a row");
    char array[160];
    snprintf(array, sizeof array,
             "{\"data\": [%" PRIuPTR ", true], \"shape\": [1, %zu], \"typestr\": \"<f4\", "
             "\"version\": 3}",
             (uintptr_t)x, m->cols);
    static const char config[] = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                                 "\"iteration_end\": 0, \"strict_shape\": false, "
                                 "\"missing\": NaN, \"cache_id\": 0}";
    const bst_ulong *shape = NULL;
    bst_ulong dim = 0;
    const float *res = NULL;
    if (XGBoosterPredictFromDense(m->booster, array, config, NULL, &shape, &dim, &res) != 0)
        return xgb_fail(err, "predict in place");
    *probability = res[0];
    return 0;
}

/* ---- save and load -------------------------------------------------------- */

/* Header: magic, format version, features, payload length, FNV-1a of the
 * payload; then XGBoost's JSON model (its stable, versioned format). */
static const unsigned char gn_model_magic[8] = {'G', 'N', 'M', 'O', 'D', 'E', 'L', 0};
#define GN_MODEL_FORMAT 1u
#define GN_MODEL_HEADER 32u

int gn_model_save(const gn_model *m, unsigned char **data, size_t *len, gn_error *err)
{
    if (!m || !data || !len)
        return gn_fail(err, GN_EINPUT, "model: save needs a model and an output");
    *data = NULL;
    *len = 0;
    bst_ulong n = 0;
    const char *json = NULL;
    if (XGBoosterSaveModelToBuffer(m->booster, "{\"format\": \"json\"}", &n, &json) != 0)
        return xgb_fail(err, "save");
    unsigned char *buf = gn_xmalloc(GN_MODEL_HEADER + (size_t)n);
    memcpy(buf, gn_model_magic, 8);
    put_u32(buf + 8, GN_MODEL_FORMAT);
    put_u32(buf + 12, (uint32_t)m->cols);
    put_u64(buf + 16, (uint64_t)n);
    put_u64(buf + 24, fnv1a64((const unsigned char *)json, (size_t)n));
    memcpy(buf + GN_MODEL_HEADER, json, (size_t)n);
    *data = buf;
    *len = GN_MODEL_HEADER + (size_t)n;
    return 0;
}

int gn_model_load(const unsigned char *data, size_t len, gn_model **out, gn_error *err)
{
    if (out) *out = NULL;
    if (!data || !out) return gn_fail(err, GN_EINPUT, "model: load needs bytes and an output");
    if (len < GN_MODEL_HEADER || memcmp(data, gn_model_magic, 8) != 0)
        return gn_fail(err, GN_EINPUT, "model: these %zu bytes are not a saved genuine model", len);
    uint32_t format = get_u32(data + 8), cols = get_u32(data + 12);
    uint64_t n = get_u64(data + 16);
    if (format != GN_MODEL_FORMAT)
        return gn_fail(err, GN_EINPUT, "model: format %" PRIu32 " (this build reads %u)", format,
                       GN_MODEL_FORMAT);
    if (n != len - GN_MODEL_HEADER)
        return gn_fail(err, GN_EINPUT,
                       "model: truncated or padded: the header says %" PRIu64
                       " bytes of model, %zu follow",
                       n, len - GN_MODEL_HEADER);
    if (fnv1a64(data + GN_MODEL_HEADER, (size_t)n) != get_u64(data + 24))
        return gn_fail(err, GN_EINPUT, "model: checksum mismatch: the bytes were altered");

    gn_model *m = gn_xcalloc(1, sizeof *m);
    int rc = 0;
    bst_ulong nf = 0;
    if (XGBoosterCreate(NULL, 0, &m->booster) != 0) {
        rc = xgb_fail(err, "create a booster");
        goto fail;
    }
    if (XGBoosterLoadModelFromBuffer(m->booster, data + GN_MODEL_HEADER, (bst_ulong)n) != 0) {
        rc = xgb_fail(err, "load the model");
        goto fail;
    }
    if ((rc = set_param(m->booster, "nthread", "1", err))) goto fail;
    if ((rc = flat_from_json(m, (const char *)data + GN_MODEL_HEADER, (size_t)n, err))) goto fail;
    if (XGBoosterGetNumFeature(m->booster, &nf) != 0 || nf != m->cols || cols != m->cols) {
        rc = gn_fail(err, GN_EINPUT, "model: the header says %" PRIu32 " features, the model %zu",
                     cols, m->cols);
        goto fail;
    }
    *out = m;
    return 0;
fail:
    gn_model_free(m);
    return rc;
}

/* ---- evaluation ------------------------------------------------------------ */

typedef struct scored_row {
    float p;
    float y;
} scored_row;

static int by_score(const void *a, const void *b)
{
    float pa = ((const scored_row *)a)->p, pb = ((const scored_row *)b)->p;
    return (pa > pb) - (pa < pb);
}

int gn_model_evaluate(const gn_model *m, const float *x, const float *y, size_t rows,
                      gn_model_figures *out, gn_error *err)
{
    if (!m || !x || !y || !out)
        return gn_fail(err, GN_EINPUT, "model: evaluate needs a model, rows, labels and an output");
    if (rows == 0) return gn_fail(err, GN_EINPUT, "model: no rows to evaluate on");
    for (size_t i = 0; i < rows; i++)
        if (y[i] != 0.0f && y[i] != 1.0f)
            return gn_fail(err, GN_EINPUT, "model: label of row %zu is %g (expected 0 or 1)", i,
                           (double)y[i]);
    scored_row *s = gn_xmalloc(rows * sizeof *s);
    memset(out, 0, sizeof *out);
    out->rows = rows;
    double loss = 0;
    for (size_t i = 0; i < rows; i++) {
        float p;
        gn_model_predict(m, x + i * m->cols, &p, NULL, NULL);
        s[i].p = p;
        s[i].y = y[i];
        int pos = y[i] == 1.0f, flagged = p >= 0.5f;
        out->positives += (size_t)pos;
        out->true_pos += (size_t)(pos && flagged);
        out->false_pos += (size_t)(!pos && flagged);
        out->false_neg += (size_t)(pos && !flagged);
        out->true_neg += (size_t)(!pos && !flagged);
        double q = fmin(fmax((double)p, 1e-15), 1 - 1e-15);
        loss -= pos ? log(q) : log(1 - q);
    }
    out->log_loss = loss / (double)rows;
    out->precision = out->true_pos + out->false_pos
                         ? (double)out->true_pos / (double)(out->true_pos + out->false_pos)
                         : NAN;
    out->recall = out->positives ? (double)out->true_pos / (double)out->positives : NAN;

    /* AUC by Mann-Whitney: the positives' rank sum among all scores, tied
     * scores sharing their average rank. */
    size_t negatives = rows - out->positives;
    if (out->positives == 0 || negatives == 0) {
        out->auc = NAN;
    } else {
        qsort(s, rows, sizeof *s, by_score);
        double rank_sum = 0;
        for (size_t i = 0; i < rows;) {
            size_t j = i;
            size_t pos = 0;
            while (j < rows && s[j].p == s[i].p) {
                pos += s[j].y == 1.0f;
                j++;
            }
            double avg_rank = ((double)(i + 1) + (double)j) / 2.0;
            rank_sum += avg_rank * (double)pos;
            i = j;
        }
        double np = (double)out->positives, nn = (double)negatives;
        out->auc = (rank_sum - np * (np + 1) / 2.0) / (np * nn);
    }
    free(s);
    return 0;
}
