/* bench_model: the learned model (decide/model.c) at marketplace scale —
 * training time on 1,000,000 synthetic listing decisions × 40 features, and
 * the cost of one prediction: our flat trees against XGBoost's C API. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <xgboost/c_api.h>

#include "bench.h"
#include "decide/model.h"

#define COLS 40
#define N_SIGNALS 12

static const char *const signal_names[N_SIGNALS] = {
    "PRICE_FAR_BELOW_REFERENCE", "PRICE_FAR_BELOW_MARKET", "COUNTERFEIT_LINGO",
    "BRAND_LOOKALIKE",           "BRAND_MISSPELT",         "BRAND_MISMATCH",
    "IMAGE_STOLEN_OFFICIAL",     "IMAGE_MATCHES_REMOVED",  "UNAUTHORIZED_SELLER",
    "SELLER_NEW_ACCOUNT",        "SELLER_UNVERIFIED",      "SELLER_BASIC_TEMPLATE"};
/* how often each signal fires on genuine and on counterfeit listings */
static const float fire_genuine[N_SIGNALS] = {0.02f,  0.03f,  0.002f, 0.001f, 0.01f, 0.02f,
                                              0.005f, 0.002f, 0.01f,  0.15f,  0.40f, 0.20f};
static const float fire_fake[N_SIGNALS] = {0.55f, 0.45f, 0.25f, 0.10f, 0.15f, 0.08f,
                                           0.30f, 0.15f, 0.10f, 0.60f, 0.85f, 0.70f};

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ull;
}
static float unit(uint64_t *s)
{
    return (float)(rng_next(s) >> 40) / (float)(1u << 24);
}
static float normal(uint64_t *s)
{
    float u = unit(s) + 1e-7f, v = unit(s);
    return sqrtf(-2.0f * logf(u)) * cosf(6.2831853f * v);
}

/* One listing decision: the label first (~5% counterfeit), then features that
 * depend on it with plenty of overlap — a third of fakes are "careful" and
 * raise few signals, genuine outlets and new shops raise some — then platform
 * numbers (price ratio, account age, rating, …) with missing values, and 16
 * pure-noise columns. 1% of labels are flipped, like reviewer mistakes. */
static void make_row(uint64_t *s, float *r, float *y)
{
    int fake = unit(s) < 0.05f;
    int careful = fake && unit(s) < 0.33f;
    for (int j = 0; j < N_SIGNALS; j++) {
        float p = fake ? (careful ? fire_fake[j] * 0.3f : fire_fake[j]) : fire_genuine[j];
        r[j] = unit(s) < p ? 0.5f + 0.5f * unit(s) : 0.0f;
    }
    int c = N_SIGNALS;
    r[c++] = expf(normal(s) * 0.5f + (fake ? -1.2f : 0.0f)); /* price / reference */
    r[c++] = unit(s) < 0.3f ? NAN : expf(normal(s) * 0.4f + (fake ? -0.8f : 0.0f)); /* / market */
    r[c++] = fake ? 40.0f * unit(s) * unit(s) * 30 : 900.0f * unit(s); /* account age, days */
    r[c++] = unit(s) < 0.4f ? NAN
                            : fminf(5.0f, 3.8f + normal(s) * 0.5f - (fake ? 0.3f : 0)); /* rating */
    r[c++] = floorf(expf(normal(s) * 1.5f + 3.0f));                 /* reviews */
    r[c++] = floorf(expf(normal(s) * 1.2f + (fake ? 3.5f : 2.5f))); /* listings of seller */
    r[c++] = unit(s) < (fake ? 0.35f : 0.05f) ? 1.0f : 0.0f;        /* ships from hub */
    r[c++] = (float)(rng_next(s) % 14);                             /* category id */
    r[c++] = unit(s) < 0.2f ? NAN : (fake ? 2.0f : 1.0f) * unit(s); /* reports per 1k views */
    r[c++] = floorf(unit(s) * 8);                                   /* photos */
    r[c++] = 100 + 1900 * unit(s);                                  /* text length */
    r[c++] = unit(s) < (fake ? 0.3f : 0.1f) ? 1.0f : 0.0f;          /* new payment account */
    for (; c < COLS; c++)
        r[c] = unit(s) < 0.1f ? NAN : normal(s); /* noise */
    if (unit(s) < 0.01f) fake = !fake;
    *y = fake ? 1.0f : 0.0f;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static long peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024;
}

static void die(const char *what, const gn_error *err)
{
    fprintf(stderr, "bench_model: %s: %s\n", what, err->message);
    exit(1);
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_model [--rows N] [--rounds R] [--depth D] [--threads T] [--runs "
               "N]\nSee bench/README.md for what it measures.");
    size_t rows = 1000000, test_rows = 100000;
    gn_model_params p = {.rounds = 100, .max_depth = 6, .eta = 0.3, .threads = 2};
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--rows") && i + 1 < argc)
            rows = strtoull(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            p.rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--depth") && i + 1 < argc)
            p.max_depth = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            p.threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            fprintf(stderr,
                    "usage: bench_model [--rows N (1000000)] [--rounds R (100)] [--depth D (6)] "
                    "[--threads T (2)] [--runs K (5)]\n");
            return 2;
        }
    }
    if (runs < 1 || runs > 50) runs = 5;

    const char *names[COLS];
    char extra[COLS][32];
    static const char *const platform[] = {
        "price_to_reference", "price_to_market", "seller_age_days", "seller_rating",
        "seller_reviews",     "seller_listings", "ships_from_hub",  "category",
        "reports_per_kview",  "photos",          "text_bytes",      "new_payment_account"};
    for (int j = 0; j < COLS; j++) {
        if (j < N_SIGNALS)
            names[j] = signal_names[j];
        else if (j < N_SIGNALS + 12)
            snprintf(extra[j], sizeof extra[j], "signals.%s", platform[j - N_SIGNALS]);
        else
            snprintf(extra[j], sizeof extra[j], "signals.noise_%d", j - N_SIGNALS - 12);
        if (j >= N_SIGNALS) names[j] = extra[j];
    }

    float *x = malloc(sizeof(float) * rows * COLS), *y = malloc(sizeof(float) * rows);
    float *tx = malloc(sizeof(float) * test_rows * COLS), *ty = malloc(sizeof(float) * test_rows);
    if (!x || !y || !tx || !ty) {
        fprintf(stderr, "bench_model: out of memory\n");
        return 1;
    }
    uint64_t s = 0x9e3779b97f4a7c15ull;
    size_t pos = 0;
    for (size_t i = 0; i < rows; i++) {
        make_row(&s, x + i * COLS, y + i);
        pos += y[i] == 1.0f;
    }
    for (size_t i = 0; i < test_rows; i++)
        make_row(&s, tx + i * COLS, ty + i);
    long rss_data = peak_rss_mb();

    char load[64] = "?";
    FILE *la = fopen("/proc/loadavg", "r");
    if (la) {
        if (!fgets(load, sizeof load, la)) snprintf(load, sizeof load, "?");
        load[strcspn(load, "\n")] = 0;
        fclose(la);
    }
    int major, minor, patch;
    XGBoostVersion(&major, &minor, &patch);
    printf("machine: %ld cores online, load average %s; XGBoost %d.%d.%d\n",
           sysconf(_SC_NPROCESSORS_ONLN), load, major, minor, patch);
    printf("data: %zu training rows (%.2f%% counterfeit) + %zu held-out rows, %d features; "
           "peak RSS %ld MB\n",
           rows, 100.0 * (double)pos / (double)rows, test_rows, COLS, rss_data);

    /* ---- training ---- */
    gn_model *m = NULL;
    gn_error err = {0};
    double w0 = clock_seconds(CLOCK_MONOTONIC), c0 = clock_seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (gn_model_train(x, y, rows, COLS, names, &p, &m, &err) != 0) die("train", &err);
    double wall = clock_seconds(CLOCK_MONOTONIC) - w0,
           cpu = clock_seconds(CLOCK_PROCESS_CPUTIME_ID) - c0;
    printf("train: %d rounds, depth %d, eta %g, hist, %d threads: %.1f s wall, %.1f s CPU; "
           "peak RSS %ld MB (target: 1M rows < 300 s)\n",
           p.rounds, p.max_depth, p.eta, p.threads, wall, cpu, peak_rss_mb());

    /* ---- quality on held-out rows ---- */
    gn_model_figures fig;
    w0 = clock_seconds(CLOCK_MONOTONIC);
    if (gn_model_evaluate(m, tx, ty, test_rows, &fig, &err) != 0) die("evaluate", &err);
    printf("held-out: AUC %.4f, precision %.4f, recall %.4f at 0.5, log loss %.4f "
           "(%zu positives; %.2f s)\n",
           fig.auc, fig.precision, fig.recall, fig.log_loss, fig.positives,
           clock_seconds(CLOCK_MONOTONIC) - w0);

    /* ---- memory ---- */
    unsigned char *bytes = NULL;
    size_t len = 0;
    if (gn_model_save(m, &bytes, &len, &err) != 0) die("save", &err);
    printf("model: %zu trees, flat copy %.1f KB, saved (XGBoost JSON + header) %.1f KB\n",
           gn_model_trees(m), gn_model_flat_bytes(m) / 1024.0, len / 1024.0);
    gn_model *m2 = NULL;
    w0 = clock_seconds(CLOCK_MONOTONIC);
    if (gn_model_load(bytes, len, &m2, &err) != 0) die("load", &err);
    printf("load: %.1f ms\n", (clock_seconds(CLOCK_MONOTONIC) - w0) * 1e3);
    gn_model_free(m2);
    free(bytes);

    /* ---- agreement with XGBoost ---- */
    enum { CHECK = 10000 };
    float *xp = malloc(sizeof(float) * CHECK), *xc = malloc(sizeof(float) * CHECK * (COLS + 1));
    if (gn_model_xgb_predict(m, tx, CHECK, xp, xc, &err) != 0) die("xgboost predict", &err);
    double dp = 0, dc = 0;
    for (size_t i = 0; i < CHECK; i++) {
        float pr, c[COLS + 1];
        gn_model_predict(m, tx + i * COLS, &pr, c, NULL);
        dp = fmax(dp, fabs((double)pr - xp[i]));
        for (int j = 0; j <= COLS; j++)
            dc = fmax(dc, fabs((double)c[j] - xc[i * (COLS + 1) + (size_t)j]));
    }
    printf("agreement on %d held-out rows: max |Δp| %.2g, max |Δcontribution| %.2g\n", CHECK, dp,
           dc);
    free(xp);
    free(xc);

    /* ---- prediction speed, one row per call, one thread ---- */
    /* wall time per row, and the thread's CPU time per row: on a shared
     * machine the second is what the code costs, the first what it got */
    double t_flat[50], t_flat_c[50], t_xgb[50], t_xgb_c[50];
    double u_flat[50], u_flat_c[50], u_xgb[50], u_xgb_c[50];
    double u0;
    volatile float sink = 0;
    const size_t n_flat = test_rows, n_xgb = 2000, n_xgb_c = 500;
    for (int r = 0; r < runs; r++) {
        float pr, c[COLS + 1];
        w0 = clock_seconds(CLOCK_MONOTONIC);
        u0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < n_flat; i++) {
            gn_model_predict(m, tx + i * COLS, &pr, NULL, NULL);
            sink += pr;
        }
        t_flat[r] = (clock_seconds(CLOCK_MONOTONIC) - w0) / (double)n_flat * 1e6;
        u_flat[r] = (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - u0) / (double)n_flat * 1e6;
        w0 = clock_seconds(CLOCK_MONOTONIC);
        u0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < n_flat; i++) {
            gn_model_predict(m, tx + i * COLS, &pr, c, NULL);
            sink += pr + c[0];
        }
        t_flat_c[r] = (clock_seconds(CLOCK_MONOTONIC) - w0) / (double)n_flat * 1e6;
        u_flat_c[r] = (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - u0) / (double)n_flat * 1e6;
        w0 = clock_seconds(CLOCK_MONOTONIC);
        u0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < n_xgb; i++) {
            if (gn_model_xgb_predict_inplace(m, tx + i * COLS, &pr, &err) != 0)
                die("xgboost inplace", &err);
            sink += pr;
        }
        t_xgb[r] = (clock_seconds(CLOCK_MONOTONIC) - w0) / (double)n_xgb * 1e6;
        u_xgb[r] = (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - u0) / (double)n_xgb * 1e6;
        w0 = clock_seconds(CLOCK_MONOTONIC);
        u0 = clock_seconds(CLOCK_THREAD_CPUTIME_ID);
        for (size_t i = 0; i < n_xgb_c; i++) {
            if (gn_model_xgb_predict(m, tx + i * COLS, 1, &pr, c, &err) != 0)
                die("xgboost contribs", &err);
            sink += pr + c[0];
        }
        t_xgb_c[r] = (clock_seconds(CLOCK_MONOTONIC) - w0) / (double)n_xgb_c * 1e6;
        u_xgb_c[r] = (clock_seconds(CLOCK_THREAD_CPUTIME_ID) - u0) / (double)n_xgb_c * 1e6;
    }
    /* tail latency of single calls with contributions (timer cost included) */
    double *lat = malloc(sizeof(double) * n_flat);
    for (size_t i = 0; i < n_flat; i++) {
        float pr, c[COLS + 1];
        double a = clock_seconds(CLOCK_MONOTONIC);
        gn_model_predict(m, tx + i * COLS, &pr, c, NULL);
        lat[i] = (clock_seconds(CLOCK_MONOTONIC) - a) * 1e6;
        sink += pr;
    }
    qsort(lat, n_flat, sizeof *lat, compare_doubles);
    printf("predict, µs per row, median of %d runs, one thread (wall / thread CPU):\n", runs);
    printf("  flat trees, probability only          %8.3f / %8.3f\n", median(t_flat, runs),
           median(u_flat, runs));
    printf("  flat trees, probability + contribs    %8.3f / %8.3f   target <= 5\n",
           median(t_flat_c, runs), median(u_flat_c, runs));
    printf("    single timed calls with contribs: p50 %.3f, p99 %.3f, max %.1f (wall)\n",
           lat[n_flat / 2], lat[n_flat * 99 / 100], lat[n_flat - 1]);
    printf("  XGBoost in-place dense, probability   %8.3f / %8.3f\n", median(t_xgb, runs),
           median(u_xgb, runs));
    printf("  XGBoost DMatrix + approx contribs     %8.3f / %8.3f\n", median(t_xgb_c, runs),
           median(u_xgb_c, runs));
    free(lat);
    gn_model_free(m);
    free(x);
    free(y);
    free(tx);
    free(ty);
    return sink < 0 ? 1 : 0;
}
