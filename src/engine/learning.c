/* Feature snapshots, labels and the current model. Platform `signals` become
 * columns named listing.NAME and seller.NAME, chosen at training time among
 * those the labelled listings carry, so a platform can send any numbers. */
#include "engine/learning.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

#define MAX_PLATFORM 32

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
    void *p = realloc(*arr, (size_t)c * size);
    if (!p) return -1;
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
    if (!(*out = calloc(count, sizeof **out))) return GN_ENOMEM;
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

void gn_learning_label(gn_learning *l, uint32_t listing, int label)
{
    if (listing >= l->n_rows) return;
    if (l->rows[listing].label < 0) l->labelled++;
    l->rows[listing].label = (int8_t)label;
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

int gn_learning_use(gn_learning *l, gn_model *m, int version, gn_error *err)
{
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
    l->columns = calloc(width, sizeof *l->columns);
    l->x = calloc(width, sizeof *l->x);
    l->contribs = calloc(width + 1, sizeof *l->contribs);
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
    return gn_model_predict(l->model, l->x, probability, l->contribs, err);
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

int gn_learning_train(gn_learning *l, gn_model **out, gn_model_figures *figures, size_t *rows,
                      size_t *positives_out, size_t *features, gn_error *err)
{
    *out = NULL;
    size_t n = 0, positives = 0;
    /* The platform columns: the names the labelled listings carry, most frequent first. */
    name_count names[256];
    size_t n_names = 0;
    for (uint32_t i = 0; i < l->n_rows; i++) {
        const gn_snapshot *r = &l->rows[i];
        if (r->label < 0) continue;
        n++;
        positives += r->label == 1;
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
    if (n < 50 || positives == 0 || positives == n)
        return gn_fail(err, GN_EINPUT,
                       "not enough labels to learn from: %zu labelled listings, %zu counterfeit "
                       "(at least 50, with both kinds, are needed)",
                       n, positives);
    qsort(names, n_names, sizeof *names, by_count);
    if (n_names > MAX_PLATFORM) n_names = MAX_PLATFORM;
    size_t width = GN_FEATURES_BASE + n_names;
    gn_column *columns = calloc(width, sizeof *columns);
    const char **column_names = calloc(width, sizeof *column_names);
    float *x = malloc(n * width * sizeof *x), *y = malloc(n * sizeof *y);
    int rc = 0;
    if (!columns || !column_names || !x || !y) {
        rc = gn_fail(err, GN_ENOMEM, "out of memory for %zu training rows", n);
        goto done;
    }
    for (size_t c = 0; c < width; c++) {
        columns[c].base = c < GN_FEATURES_BASE ? (int)c : -1;
        columns[c].name = c < GN_FEATURES_BASE ? NULL : names[c - GN_FEATURES_BASE].name;
        column_names[c] = c < GN_FEATURES_BASE ? gn_feature_name((int)c) : columns[c].name;
    }
    /* Learn on four rows in five and measure on the fifth, the split fixed by
     * the listing's position so that retraining compares like with like. */
    size_t learn = 0, hold = n;
    for (uint32_t i = 0; i < l->n_rows; i++) {
        const gn_snapshot *r = &l->rows[i];
        if (r->label < 0) continue;
        size_t row = i % 5 == 4 ? --hold : learn++;
        fill(l, columns, width, r, x + row * width);
        y[row] = r->label;
    }
    size_t held = n - learn;
    gn_model *m = NULL;
    rc = gn_model_train(x, y, learn, width, column_names, NULL, &m, err);
    if (!rc && held > 0)
        rc = gn_model_evaluate(m, x + learn * width, y + learn, held, figures, err);
    else if (!rc)
        memset(figures, 0, sizeof *figures);
    if (rc)
        gn_model_free(m);
    else
        *out = m;
    *rows = n;
    *positives_out = positives;
    *features = width;
done:
    free(columns);
    free(column_names);
    free(x);
    free(y);
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
    gn_learning_use(l, NULL, 0, NULL);
    memset(l, 0, sizeof *l);
}

int gn_learning_decide(gn_learning *l, uint32_t listing, const gn_signals *signals,
                       double review_at, double block_at, gn_signals *reasons, gn_decision *d,
                       gn_error *err)
{
    float p;
    int rc = gn_learning_predict(l, listing, &p, err);
    if (rc) return rc;
    size_t width = gn_model_features(l->model);
    const gn_snapshot *r = &l->rows[listing];
    reasons->count = 0;
    for (size_t c = 0; c < width; c++) {
        double push = l->contribs[c];
        if (!(push > 0.05)) continue; /* only what raised the risk, and clearly */
        const gn_signal *behind = NULL;
        if (l->columns[c].base >= 0 && l->columns[c].base < GN_FEATURES_SIGNALS)
            for (int i = 0; i < signals->count; i++)
                if (gn_feature_of_signal(signals->items[i].code) == l->columns[c].base)
                    behind = &signals->items[i];
        if (l->columns[c].base >= 0 && l->columns[c].base < GN_FEATURES_SIGNALS && !behind)
            continue; /* a signal that did not fire is no reason */
        if (behind)
            gn_signals_add(reasons, behind->code, 1, "%s", behind->detail);
        else if (l->columns[c].base >= 0)
            gn_signals_add(reasons, "MODEL_FACT", 1, "%s = %g, as in listings found counterfeit",
                           gn_feature_name(l->columns[c].base), r->base[l->columns[c].base]);
        else
            gn_signals_add(reasons, "PLATFORM_SIGNAL", 1,
                           "the platform's %s = %g, as in listings found counterfeit",
                           l->columns[c].name, l->x[c]);
        if (reasons->count > 0) reasons->items[reasons->count - 1].value = push;
    }
    /* Weights are the contributions to the log-odds; strongest first. */
    for (int i = 0; i < reasons->count; i++)
        reasons->items[i].weight = reasons->items[i].value;
    for (int i = 1; i < reasons->count; i++) {
        gn_signal t = reasons->items[i];
        int j = i;
        for (; j > 0 && reasons->items[j - 1].weight < t.weight; j--)
            reasons->items[j] = reasons->items[j - 1];
        reasons->items[j] = t;
    }
    d->score = p;
    d->action = p >= block_at ? GN_BLOCK : p >= review_at ? GN_REVIEW : GN_ALLOW;
    d->signals = reasons;
    return 0;
}
