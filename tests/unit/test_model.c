/* The learned model (decide/model.c): it learns a known synthetic rule, its
 * flat-tree predictions and contributions equal XGBoost's own, it survives a
 * save and load, handles missing values, and refuses bad input clearly. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/model.h"

#define COLS 6
#define TRAIN_ROWS 20000
#define TEST_ROWS 5000

static const char *const names[COLS] = {"PRICE_FAR_BELOW_REFERENCE", "COUNTERFEIT_LINGO",
                                        "SELLER_VERIFIED",           "signals.rating",
                                        "signals.noise_a",           "signals.noise_b"};

/* xorshift64*: the same rows on every run and machine */
static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static float rng_unit(uint64_t *s)
{
    return (float)(rng_next(s) >> 40) / (float)(1u << 24);
}

/* label = f0 > 0.5 || (f1 > 0.7 && f2 < 0.2); some values missing. A missing
 * f0 counts as "not above 0.5" for the label, so the model must learn where
 * missing rows go. */
static void make_rows(float *x, float *y, size_t rows, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = 0; i < rows; i++) {
        float *r = x + i * COLS;
        for (int j = 0; j < COLS; j++)
            r[j] = rng_unit(&s);
        if (rng_unit(&s) < 0.05f) r[0] = NAN;
        if (rng_unit(&s) < 0.2f) r[3] = NAN;
        if (rng_unit(&s) < 0.5f) r[5] = NAN;
        int label = (r[0] > 0.5f) || (r[1] > 0.7f && r[2] < 0.2f);
        y[i] = label ? 1.0f : 0.0f;
    }
}

typedef struct fixture {
    float *x, *y, *tx, *ty;
    gn_model *m;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->x = malloc(sizeof(float) * TRAIN_ROWS * COLS);
    f->y = malloc(sizeof(float) * TRAIN_ROWS);
    f->tx = malloc(sizeof(float) * TEST_ROWS * COLS);
    f->ty = malloc(sizeof(float) * TEST_ROWS);
    make_rows(f->x, f->y, TRAIN_ROWS, 1);
    make_rows(f->tx, f->ty, TEST_ROWS, 2);
    gn_model_params p = {.rounds = 30, .max_depth = 4, .eta = 0.3, .threads = 2};
    gn_error err = {0};
    int rc = gn_model_train(f->x, f->y, TRAIN_ROWS, COLS, names, &p, &f->m, &err);
    if (rc != 0) {
        fprintf(stderr, "train: %s\n", err.message);
        return -1;
    }
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    gn_model_free(f->m);
    free(f->x);
    free(f->y);
    free(f->tx);
    free(f->ty);
    free(f);
    return 0;
}

static void test_learns_rule(void **state)
{
    fixture *f = *state;
    gn_model_figures fig;
    gn_error err = {0};
    assert_int_equal(gn_model_evaluate(f->m, f->tx, f->ty, TEST_ROWS, &fig, &err), 0);
    assert_int_equal(fig.rows, TEST_ROWS);
    assert_int_equal(fig.true_pos + fig.false_pos + fig.false_neg + fig.true_neg, TEST_ROWS);
    assert_true(fig.auc > 0.995);
    assert_true(fig.precision > 0.97);
    assert_true(fig.recall > 0.97);
    assert_true(fig.log_loss < 0.1);
    assert_int_equal(gn_model_trees(f->m), 30);
    assert_true(gn_model_flat_bytes(f->m) > 0);
}

static void test_names(void **state)
{
    fixture *f = *state;
    assert_int_equal(gn_model_features(f->m), COLS);
    for (size_t i = 0; i < COLS; i++)
        assert_string_equal(gn_model_feature_name(f->m, i), names[i]);
    assert_null(gn_model_feature_name(f->m, COLS));
    assert_null(gn_model_feature_name(NULL, 0));
}

/* Our walk against XGBoost's predictor, row by row, on held-out rows (with
 * missing values) and on rows sitting exactly on split thresholds. */
static void check_against_xgboost(const gn_model *m, const float *x, size_t rows)
{
    float *xp = malloc(sizeof(float) * rows);
    float *xc = malloc(sizeof(float) * rows * (COLS + 1));
    gn_error err = {0};
    assert_int_equal(gn_model_xgb_predict(m, x, rows, xp, xc, &err), 0);
    for (size_t i = 0; i < rows; i++) {
        float p, c[COLS + 1];
        assert_int_equal(gn_model_predict(m, x + i * COLS, &p, c, &err), 0);
        if (fabsf(p - xp[i]) > 1e-5f)
            fail_msg("row %zu: probability %.9g, XGBoost %.9g", i, (double)p, (double)xp[i]);
        double sum = 0;
        for (int j = 0; j <= COLS; j++) {
            float want = xc[i * (COLS + 1) + (size_t)j];
            if (fabsf(c[j] - want) > 1e-5f)
                fail_msg("row %zu, contribution %d: %.9g, XGBoost %.9g", i, j, (double)c[j],
                         (double)want);
            sum += c[j];
        }
        /* contributions add up to the log-odds */
        double logit = log((double)p / (1.0 - (double)p));
        if (p > 1e-6f && p < 1 - 1e-6f && fabs(sum - logit) > 1e-3)
            fail_msg("row %zu: contributions sum to %.9g, log-odds %.9g", i, sum, logit);
        float p_only;
        assert_int_equal(gn_model_predict(m, x + i * COLS, &p_only, NULL, &err), 0);
        assert_true(p_only == p);
        float inplace;
        assert_int_equal(gn_model_xgb_predict_inplace(m, x + i * COLS, &inplace, &err), 0);
        assert_true(fabsf(inplace - p) <= 1e-5f);
    }
    free(xp);
    free(xc);
}

static void test_matches_xgboost(void **state)
{
    fixture *f = *state;
    check_against_xgboost(f->m, f->tx, 1000);

    /* values on the thresholds the trees learnt (0.5, 0.7, 0.2 and bin edges
     * near them), and wholly or partly missing rows */
    enum { N = 64 };
    float x[N * COLS];
    static const float edges[] = {0.5f, 0.7f, 0.2f, 0.0f, 1.0f, 0.49999997f, 0.50000006f};
    uint64_t s = 99;
    for (size_t i = 0; i < N; i++)
        for (size_t j = 0; j < COLS; j++) {
            float u = rng_unit(&s);
            x[i * COLS + j] = u < 0.2f ? NAN : edges[rng_next(&s) % 7];
        }
    for (size_t j = 0; j < COLS; j++)
        x[j] = NAN; /* row 0: nothing known */
    check_against_xgboost(f->m, x, N);
}

/* Exact TreeSHAP on the flat trees against XGBoost's pred_contribs (type 2),
 * on held-out rows, rows on thresholds and wholly missing rows; the values add
 * up to the log-odds. */
static void test_shap_matches_xgboost(void **state)
{
    fixture *f = *state;
    enum { N = 500 };
    float x[N * COLS];
    memcpy(x, f->tx, sizeof x);
    for (size_t j = 0; j < COLS; j++)
        x[j] = NAN;
    x[COLS] = 0.5f;
    x[COLS + 1] = 0.7f;
    float *want = malloc(sizeof(float) * N * (COLS + 1));
    gn_error err = {0};
    assert_int_equal(gn_model_xgb_shap(f->m, x, N, want, &err), 0);
    for (size_t i = 0; i < N; i++) {
        float p, c[COLS + 1];
        assert_int_equal(gn_model_shap(f->m, x + i * COLS, &p, c, &err), 0);
        double sum = 0;
        for (int j = 0; j <= COLS; j++) {
            float w = want[i * (COLS + 1) + (size_t)j];
            if (fabsf(c[j] - w) > 1e-4f)
                fail_msg("row %zu, TreeSHAP %d: %.9g, XGBoost %.9g", i, j, (double)c[j], (double)w);
            sum += c[j];
        }
        double logit = log((double)p / (1.0 - (double)p));
        if (p > 1e-6f && p < 1 - 1e-6f && fabs(sum - logit) > 1e-3)
            fail_msg("row %zu: TreeSHAP sums to %.9g, log-odds %.9g", i, sum, logit);
    }
    free(want);
}

/* With f0 constrained to raise the score only, and rows where a high f0
 * mostly means genuine, raising f0 never lowers any row's score; a heavy
 * weight on the few counterfeits moves the base rate. */
static void test_monotone_and_weights(void **state)
{
    (void)state;
    enum { R = 4000 };
    float *x = malloc(sizeof(float) * R * COLS), *y = malloc(sizeof(float) * R);
    float *w = malloc(sizeof(float) * R);
    uint64_t s = 7;
    size_t positives = 0;
    for (size_t i = 0; i < R; i++) {
        for (int j = 0; j < COLS; j++)
            x[i * COLS + j] = rng_unit(&s);
        /* counterfeit when f1 is high, or f0 is low-middle: f0's own
         * relation is not monotone, and the constraint must hold anyway */
        int label = x[i * COLS + 1] > 0.8f || (x[i * COLS] > 0.3f && x[i * COLS] < 0.5f);
        y[i] = (float)label;
        positives += (size_t)label;
        w[i] = label ? 3.0f : 1.0f;
    }
    signed char mono[COLS] = {1, 0, 0, 0, 0, 0};
    gn_model_params p = {.rounds = 30, .max_depth = 4, .weights = w, .monotone = mono};
    gn_model *m = NULL, *plain = NULL;
    gn_error err = {0};
    assert_int_equal(gn_model_train(x, y, R, COLS, names, &p, &m, &err), 0);
    for (size_t i = 0; i < 300; i++) {
        float row[COLS], last = -1;
        memcpy(row, x + i * COLS, sizeof row);
        for (int k = 0; k <= 20; k++) {
            row[0] = (float)k / 20.0f;
            float q;
            assert_int_equal(gn_model_predict(m, row, &q, NULL, &err), 0);
            if (q < last)
                fail_msg("row %zu: f0 %.2f scores %.6f, below %.6f", i, k / 20.0, q, last);
            last = q;
        }
    }
    /* the weighted base rate: the bias of the weighted model is higher */
    gn_model_params q = {.rounds = 30, .max_depth = 4};
    assert_int_equal(gn_model_train(x, y, R, COLS, names, &q, &plain, &err), 0);
    float c1[COLS + 1], c2[COLS + 1], pr;
    assert_int_equal(gn_model_predict(m, x, &pr, c1, &err), 0);
    assert_int_equal(gn_model_predict(plain, x, &pr, c2, &err), 0);
    assert_true(c1[COLS] > c2[COLS]);
    gn_model_free(m);
    gn_model_free(plain);
    /* a bad constraint or weight is refused, naming it */
    mono[2] = 2;
    assert_int_equal(gn_model_train(x, y, R, COLS, names, &p, &m, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "monotone constraint of feature 2"));
    mono[2] = 0;
    w[5] = -1;
    assert_int_equal(gn_model_train(x, y, R, COLS, names, &p, &plain, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "weight of row 5"));
    assert_true(positives > 0);
    assert_null(m);
    assert_null(plain);
    free(x);
    free(y);
    free(w);
}

static void test_missing(void **state)
{
    fixture *f = *state;
    float row[COLS], p_missing, p_low, c[COLS + 1];
    gn_error err = {0};
    for (int j = 0; j < COLS; j++)
        row[j] = NAN;
    assert_int_equal(gn_model_predict(f->m, row, &p_missing, c, &err), 0);
    assert_true(p_missing >= 0 && p_missing <= 1);
    /* the rule says a missing f0 is "not above 0.5": it must score low */
    row[0] = NAN;
    row[1] = 0.1f;
    row[2] = 0.9f;
    assert_int_equal(gn_model_predict(f->m, row, &p_low, NULL, &err), 0);
    assert_true(p_low < 0.1f);
    row[0] = 0.9f;
    float p_high;
    assert_int_equal(gn_model_predict(f->m, row, &p_high, c, &err), 0);
    assert_true(p_high > 0.9f);
    /* and the reason names f0 as what pushed it up */
    int top = 0;
    for (int j = 1; j < COLS; j++)
        if (c[j] > c[top]) top = j;
    assert_int_equal(top, 0);
}

static void test_save_load(void **state)
{
    fixture *f = *state;
    unsigned char *bytes = NULL;
    size_t len = 0;
    gn_error err = {0};
    assert_int_equal(gn_model_save(f->m, &bytes, &len, &err), 0);
    assert_true(len > 32);
    gn_model *m2 = NULL;
    if (gn_model_load(bytes, len, &m2, &err) != 0) fail_msg("load: %s", err.message);
    assert_int_equal(gn_model_features(m2), COLS);
    assert_int_equal(gn_model_trees(m2), gn_model_trees(f->m));
    for (size_t i = 0; i < COLS; i++)
        assert_string_equal(gn_model_feature_name(m2, i), names[i]);
    for (size_t i = 0; i < 500; i++) {
        float p1, p2, c1[COLS + 1], c2[COLS + 1];
        gn_model_predict(f->m, f->tx + i * COLS, &p1, c1, NULL);
        gn_model_predict(m2, f->tx + i * COLS, &p2, c2, NULL);
        assert_memory_equal(&p1, &p2, sizeof p1);
        assert_memory_equal(c1, c2, sizeof c1);
    }
    check_against_xgboost(m2, f->tx, 200);
    /* saving the loaded model gives the same bytes */
    unsigned char *bytes2 = NULL;
    size_t len2 = 0;
    assert_int_equal(gn_model_save(m2, &bytes2, &len2, &err), 0);
    assert_int_equal(len2, len);
    assert_memory_equal(bytes2, bytes, len);
    free(bytes2);
    gn_model_free(m2);
    free(bytes);
}

static void expect_input_error(int rc, const gn_error *err, const char *fragment)
{
    assert_int_equal(rc, GN_EINPUT);
    assert_int_equal(err->code, GN_EINPUT);
    if (!strstr(err->message, fragment))
        fail_msg("message \"%s\" lacks \"%s\"", err->message, fragment);
}

static void test_bad_training_input(void **state)
{
    fixture *f = *state;
    gn_model *m = (gn_model *)1;
    gn_error err = {0};
    expect_input_error(gn_model_train(f->x, f->y, 0, COLS, names, NULL, &m, &err), &err, "no rows");
    assert_null(m);
    expect_input_error(gn_model_train(f->x, f->y, 10, 0, names, NULL, &m, &err), &err,
                       "0 features");
    expect_input_error(gn_model_train(NULL, f->y, 10, COLS, names, NULL, &m, &err), &err,
                       "needs features");

    float x[4 * 2] = {0, 1, 1, 0, 0.5f, 0.5f, 1, 1}, y[4] = {0, 1, 0, 1};
    const char *two[2] = {"a", "b"};
    y[2] = 0.5f;
    expect_input_error(gn_model_train(x, y, 4, 2, two, NULL, &m, &err), &err,
                       "label of row 2 is 0.5");
    y[2] = NAN;
    expect_input_error(gn_model_train(x, y, 4, 2, two, NULL, &m, &err), &err, "label of row 2");
    float ones[4] = {1, 1, 1, 1};
    expect_input_error(gn_model_train(x, ones, 4, 2, two, NULL, &m, &err), &err, "needs both");
    y[2] = 0;
    const char *dup[2] = {"a", "a"};
    expect_input_error(gn_model_train(x, y, 4, 2, dup, NULL, &m, &err), &err,
                       "features 0 and 1 are both named 'a'");
    const char *bad[2] = {"a", "has space"};
    expect_input_error(gn_model_train(x, y, 4, 2, bad, NULL, &m, &err), &err,
                       "feature 1's name 'has space'");
    const char *empty[2] = {"a", ""};
    expect_input_error(gn_model_train(x, y, 4, 2, empty, NULL, &m, &err), &err,
                       "feature 1's name ''");
    x[5] = INFINITY;
    expect_input_error(gn_model_train(x, y, 4, 2, two, NULL, &m, &err), &err,
                       "row 2, feature 'b' is infinite");
    x[5] = 0.5f;
    gn_model_params p = {.eta = 2};
    expect_input_error(gn_model_train(x, y, 4, 2, two, &p, &m, &err), &err, "eta 2");
    p = (gn_model_params){.max_depth = -1};
    expect_input_error(gn_model_train(x, y, 4, 2, two, &p, &m, &err), &err, "max_depth -1");

    /* tiny but valid, default names and parameters: trains */
    assert_int_equal(gn_model_train(x, y, 4, 2, NULL, NULL, &m, &err), 0);
    assert_string_equal(gn_model_feature_name(m, 1), "f1");
    assert_int_equal(gn_model_trees(m), 100);
    gn_model_figures fig;
    expect_input_error(gn_model_evaluate(m, x, y, 0, &fig, &err), &err, "no rows");
    assert_int_equal(gn_model_evaluate(m, x, ones, 4, &fig, &err), 0);
    assert_true(isnan(fig.auc)); /* one class: no AUC */
    gn_model_free(m);

    expect_input_error(gn_model_predict(NULL, x, NULL, NULL, &err), &err, "needs a model");
}

static void test_bad_bytes(void **state)
{
    fixture *f = *state;
    gn_model *m = (gn_model *)1;
    gn_error err = {0};
    unsigned char *bytes = NULL;
    size_t len = 0;
    assert_int_equal(gn_model_save(f->m, &bytes, &len, &err), 0);

    expect_input_error(gn_model_load(bytes, 0, &m, &err), &err, "not a saved genuine model");
    assert_null(m);
    expect_input_error(gn_model_load((const unsigned char *)"{\"learner\":{}}", 14, &m, &err), &err,
                       "not a saved genuine model");
    expect_input_error(gn_model_load(bytes, len - 1, &m, &err), &err, "truncated");
    expect_input_error(gn_model_load(bytes, 31, &m, &err), &err, "not a saved genuine model");

    unsigned char *copy = malloc(len);
    /* a flipped bit anywhere in the model: the checksum catches it */
    uint64_t s = 7;
    for (int k = 0; k < 50; k++) {
        memcpy(copy, bytes, len);
        size_t at = 32 + rng_next(&s) % (len - 32);
        copy[at] ^= (unsigned char)(1u << (rng_next(&s) % 8));
        expect_input_error(gn_model_load(copy, len, &m, &err), &err, "checksum");
    }
    memcpy(copy, bytes, len);
    copy[8] = 9; /* format version */
    expect_input_error(gn_model_load(copy, len, &m, &err), &err, "format 9");
    /* random bytes behind a valid header */
    memcpy(copy, bytes, len);
    for (size_t i = 32; i < len; i++)
        copy[i] = (unsigned char)rng_next(&s);
    expect_input_error(gn_model_load(copy, len, &m, &err), &err, "checksum");
    free(copy);
    free(bytes);
}

/* Bytes with a valid header and checksum but a payload that is not a model
 * (a bug in a writer, or a foreign model): XGBoost or our reader refuses them. */
static void wrap(const char *payload, unsigned char **out, size_t *len)
{
    size_t n = strlen(payload);
    *out = malloc(32 + n);
    memcpy(*out, "GNMODEL", 8);
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)payload[i];
        h *= 1099511628211ull;
    }
    uint64_t fields[3] = {1u | ((uint64_t)COLS << 32), n, h};
    for (int k = 0; k < 3; k++)
        for (int b = 0; b < 8; b++)
            (*out)[8 + 8 * k + b] = (unsigned char)(fields[k] >> (8 * b));
    memcpy(*out + 32, payload, n);
    *len = 32 + n;
}

static void test_checksummed_garbage(void **state)
{
    (void)state;
    static const char *payloads[] = {
        "not json at all",
        "{}",
        "{\"learner\": {\"gradient_booster\": 3}}",
        "[1, 2, 3]",
    };
    for (size_t i = 0; i < sizeof payloads / sizeof *payloads; i++) {
        unsigned char *bytes;
        size_t len;
        wrap(payloads[i], &bytes, &len);
        gn_model *m = (gn_model *)1;
        gn_error err = {0};
        int rc = gn_model_load(bytes, len, &m, &err);
        if (rc != GN_EINPUT) fail_msg("payload %zu: rc %d (%s)", i, rc, err.message);
        assert_null(m);
        assert_true(strncmp(err.message, "model: ", 7) == 0);
        free(bytes);
    }
}

/* A real model whose first split sends both ways to one node: our reader
 * refuses it (whatever XGBoost thinks of it) instead of walking a non-tree. */
static void test_malformed_tree(void **state)
{
    fixture *f = *state;
    unsigned char *bytes = NULL;
    size_t len = 0;
    gn_error err = {0};
    assert_int_equal(gn_model_save(f->m, &bytes, &len, &err), 0);
    char *json = malloc(len - 32 + 1);
    memcpy(json, bytes + 32, len - 32);
    json[len - 32] = 0;
    char *at = strstr(json, "\"right_children\":[2,");
    assert_non_null(at);
    at[strlen("\"right_children\":[")] = '1';
    unsigned char *bad;
    size_t bad_len;
    wrap(json, &bad, &bad_len);
    gn_model *m = (gn_model *)1;
    int rc = gn_model_load(bad, bad_len, &m, &err);
    assert_int_equal(rc, GN_EINPUT);
    assert_null(m);
    assert_string_equal(err.message, "model: tree 0 is malformed");
    free(bad);
    free(json);
    free(bytes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_learns_rule),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_matches_xgboost),
        cmocka_unit_test(test_missing),
        cmocka_unit_test(test_save_load),
        cmocka_unit_test(test_bad_training_input),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_checksummed_garbage),
        cmocka_unit_test(test_malformed_tree),
        cmocka_unit_test(test_shap_matches_xgboost),
        cmocka_unit_test(test_monotone_and_weights),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
