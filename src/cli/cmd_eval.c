/* genuine eval: detection figures on a marketplace replayed as a live
 * platform would see it, cold start (no training) and after learning (a
 * training a day of event time) side by side. The marketplace comes from
 * files (--events, --truth: generated anywhere, from the contract alone), from
 * a world (--world N, --worlds 1-5: tools/sim/world.c) or from the default
 * simulator. Prints a table, and the same figures as JSON with --json. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "cli/cli.h"
#include "core/error.h"
#include "eval/eval.h"
#include "sim/marketplace.h"

#define EVAL_USAGE                                                                                 \
    "usage: genuine eval [--events FILE --truth FILE | --world N | --worlds A-B | --seed N]\n"     \
    "                    [--listings N] [--days N] [--counterfeit-share F] [--only "               \
    "cold|learned]\n"                                                                              \
    "                    [--json FILE|-] [--db PATH] [--config PATH] [--review-hours H]\n"         \
    "                    [--reviewer-error F] [--retrain-days D] [--warmup-days D]\n"              \
    "                    [--audit-rate F] [--audit-days D]\n"                                      \
    "Worlds 1-5 are for reporting; tune only on worlds >= 100 (docs/evaluation.md)."

static int number(const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    return *end || end == text ? -1 : 0;
}

/* "1-5", "7" or "1,3,9": at most 1000 worlds, each >= 1. */
static int parse_worlds(const char *text, uint64_t *out, int max)
{
    int n = 0;
    for (const char *p = text; *p;) {
        char *end;
        unsigned long long lo = strtoull(p, &end, 10), hi = lo;
        if (end == p || lo < 1) return -1;
        if (*end == '-') {
            p = end + 1;
            hi = strtoull(p, &end, 10);
            if (end == p || hi < lo) return -1;
        }
        for (unsigned long long w = lo; w <= hi; w++) {
            if (n == max) return -1;
            out[n++] = w;
        }
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return n;
}

/* A simulated marketplace: the truth from a first run of the generator, the
 * events from a second run with the same seed (the same bytes), so nothing
 * large is written to disk. A world's own audit rate applies unless the
 * caller set one. */
static int eval_simulated(const gn_sim_options *so, gn_eval_options eo, int audit_given,
                          gn_eval **out, gn_error *err)
{
    gn_sim *sim;
    int rc = gn_sim_new(&sim, so, err);
    if (rc) return rc;
    const char *line;
    size_t len;
    int64_t at;
    while (gn_sim_next(sim, &line, &len, &at) == 1)
        ;
    if (so->world && !audit_given) eo.audit_rate = gn_sim_audit_rate(sim);
    FILE *truth = tmpfile();
    if (!truth) {
        gn_sim_free(sim);
        return GN_ESTORE;
    }
    rc = gn_sim_write_truth(sim, truth, NULL, err);
    gn_sim_free(sim);
    rewind(truth);
    if (!rc) rc = gn_eval_new(out, &eo, truth, "the simulated truth", err);
    fclose(truth);
    if (rc) return rc;
    if ((rc = gn_sim_new(&sim, so, err))) return rc;
    while (!rc && gn_sim_next(sim, &line, &len, &at) == 1)
        rc = gn_eval_event(*out, line, len, err);
    gn_sim_free(sim);
    if (!rc) rc = gn_eval_finish(*out, err);
    return rc;
}

static int eval_files(const char *events, const char *truth_path, const gn_eval_options *eo,
                      gn_eval **out, gn_error *err)
{
    FILE *truth = fopen(truth_path, "r"), *in = fopen(events, "r");
    if (!truth || !in) {
        if (truth) fclose(truth);
        if (in) fclose(in);
        return gn_fail(err, GN_EINPUT, "cannot read %s", !truth ? truth_path : events);
    }
    int rc = gn_eval_new(out, eo, truth, truth_path, err);
    fclose(truth);
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long line_no = 0;
    while (!rc && (n = getline(&line, &cap, in)) > 0) {
        line_no++;
        if (n <= 1) continue;
        if ((rc = gn_eval_event(*out, line, (size_t)n, err)))
            fprintf(stderr, "genuine: %s:%lu: ", events, line_no);
    }
    free(line);
    fclose(in);
    if (!rc) rc = gn_eval_finish(*out, err);
    return rc;
}

typedef struct eval_run {
    const char *events, *truth;
    gn_sim_options so;
    gn_eval_options eo;
    int audit_given, cold, learned;
} eval_run;

/* The cold start (no training) and the learned run of one marketplace. */
static int run_pair(const eval_run *run, gn_eval **cold, gn_eval **learned, gn_error *err)
{
    *cold = *learned = NULL;
    int rc = 0;
    for (int k = 0; k < 2 && !rc; k++) {
        if (k == 0 ? !run->cold : !run->learned) continue;
        gn_eval_options eo = run->eo;
        if (k == 0) {
            eo.retrain_days = 0;
            eo.db_path = NULL; /* --db names the learned run's store */
        }
        gn_eval **out = k == 0 ? cold : learned;
        rc = run->events ? eval_files(run->events, run->truth, &eo, out, err)
                         : eval_simulated(&run->so, eo, run->audit_given, out, err);
    }
    return rc;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { F_CAUGHT, F_BLOCKED, F_DOWN, F_HELD, F_PRESALE, NFIG };
static const char *const fig_keys[NFIG] = {"caught_at_creation", "honest_blocked_at_creation",
                                           "honest_taken_down", "review_load", "presale_removal"};

static void fig_values(const gn_eval *ev, double *v)
{
    for (int i = 0; i < NFIG; i++)
        v[i] = NAN;
    if (!ev) return;
    gn_eval_figures f;
    gn_eval_figures_get(ev, &f);
    v[F_CAUGHT] = f.caught_at_creation;
    v[F_BLOCKED] = f.honest_blocked_at_creation;
    v[F_DOWN] = f.honest_taken_down;
    v[F_HELD] = f.review_load;
    v[F_PRESALE] = f.presale_removal;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Row `which` (0 min, 1 median, 2 max) of column values[0..n). */
static double stat(const double *values, int n, int which)
{
    double *sorted = gn_xmalloc((size_t)n * sizeof *sorted);
    int m = 0;
    for (int i = 0; i < n; i++)
        if (!isnan(values[i])) sorted[m++] = values[i];
    double out = NAN;
    if (m) {
        qsort(sorted, (size_t)m, sizeof *sorted, by_double);
        out = which == 0   ? sorted[0]
              : which == 2 ? sorted[m - 1]
              : m % 2      ? sorted[m / 2]
                           : (sorted[m / 2 - 1] + sorted[m / 2]) / 2;
    }
    free(sorted);
    return out;
}

static void row(FILE *out, const double *cold, const double *learned)
{
    for (int half = 0; half < 2; half++) {
        const double *v = half ? learned : cold;
        fputs(" |", out);
        for (int i = 0; i < F_PRESALE; i++) {
            if (isnan(v[i]))
                fprintf(out, " %8s", "-");
            else
                fprintf(out, " %7.*f%%", i == F_BLOCKED || i == F_DOWN ? 3 : 2, 100 * v[i]);
        }
    }
}

static void json_figs(FILE *json, const char *name, const double *v)
{
    fprintf(json, "\"%s\":{", name);
    for (int i = 0; i < NFIG; i++) {
        if (isnan(v[i]))
            fprintf(json, "%s\"%s\":null", i ? "," : "", fig_keys[i]);
        else
            fprintf(json, "%s\"%s\":%.6f", i ? "," : "", fig_keys[i], v[i]);
    }
    fputc('}', json);
}

/* Tactics and classes over several worlds: [group][name][world][run][figure]. */
#define MAX_GROUP 48
typedef struct groups {
    char *names[2][MAX_GROUP];
    int n[2], worlds;
    double *values[2][MAX_GROUP]; /* worlds * 2 runs * 3 figures */
} groups;

static int group_slot(groups *g, int cls, const char *name)
{
    for (int k = 0; k < g->n[cls]; k++)
        if (strcmp(g->names[cls][k], name) == 0) return k;
    if (g->n[cls] == MAX_GROUP) return -1;
    int k = g->n[cls]++;
    g->names[cls][k] = gn_xstrdup(name);
    g->values[cls][k] = gn_xmalloc((size_t)g->worlds * 6 * sizeof(double));
    for (int i = 0; i < g->worlds * 6; i++)
        g->values[cls][k][i] = NAN;
    return k;
}

static void group_collect(groups *g, int world, int run, const gn_eval *ev)
{
    if (!ev) return;
    for (int cls = 0; cls < 2; cls++)
        for (int k = 0; k < gn_eval_group_count(ev, cls); k++) {
            int slot = group_slot(g, cls, gn_eval_group_name(ev, cls, k));
            if (slot >= 0)
                gn_eval_group_figures(ev, cls, k, g->values[cls][slot] + world * 6 + run * 3);
        }
}

/* Column `figure` of `run` over the worlds, as min (0), median (1) or max (2). */
static double group_stat(const groups *g, int cls, int k, int run, int figure, int which)
{
    double column[1000];
    for (int w = 0; w < g->worlds; w++)
        column[w] = g->values[cls][k][w * 6 + run * 3 + figure];
    return stat(column, g->worlds, which);
}

static void groups_print(const groups *g)
{
    printf("\nby counterfeit tactic, over the worlds   caught at creation: cold min  median | "
           "learned min  median\n");
    for (int k = 0; k < g->n[0]; k++) {
        if (isnan(group_stat(g, 0, k, 0, 0, 1)) && isnan(group_stat(g, 0, k, 1, 0, 1))) continue;
        printf("  %-36s", g->names[0][k]);
        for (int run = 0; run < 2; run++) {
            for (int which = 0; which < 2; which++) {
                double v = group_stat(g, 0, k, run, 0, which);
                if (isnan(v))
                    printf(" %7s", "-");
                else
                    printf(" %6.1f%%", 100 * v);
            }
            printf(run ? "\n" : "        |");
        }
    }
    printf("\nby honest class, median and max over the worlds\n"
           "  %-22s %-17s %-17s %-17s %-17s\n",
           "", "blocked: cold", "blocked: learned", "down end: learned", "held: cold");
    for (int k = 0; k < g->n[1]; k++) {
        if (isnan(group_stat(g, 1, k, 0, 0, 1)) && isnan(group_stat(g, 1, k, 1, 0, 1))) continue;
        printf("  %-22s", g->names[1][k]);
        static const int cols[4][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 2}}; /* run, figure */
        for (int c = 0; c < 4; c++)
            for (int which = 1; which <= 2; which++) {
                double v = group_stat(g, 1, k, cols[c][0], cols[c][1], which);
                if (isnan(v))
                    printf(" %7s%s", "-", which == 2 ? " " : "");
                else
                    printf(" %6.2f%%%s", 100 * v, which == 2 ? " " : "");
            }
        putchar('\n');
    }
}

static void groups_json(const groups *g, int world, FILE *json)
{
    static const char *const keys[2][3] = {{"caught_at_creation", "presale_removal", "held"},
                                           {"blocked_at_creation", "taken_down_by_end", "held"}};
    for (int cls = 0; cls < 2; cls++) {
        fprintf(json, ",\"%s\":{", cls ? "by_class" : "by_tactic");
        int first = 1;
        for (int k = 0; k < g->n[cls]; k++) {
            const double *v = g->values[cls][k] + world * 6;
            if (isnan(v[0]) && isnan(v[3])) continue;
            fprintf(json, "%s\"%s\":{", first ? "" : ",", g->names[cls][k]);
            for (int run = 0; run < 2; run++) {
                fprintf(json, "%s\"%s\":{", run ? "," : "", run ? "after_learning" : "cold_start");
                for (int f = 0; f < 3; f++) {
                    if (isnan(v[run * 3 + f]))
                        fprintf(json, "%s\"%s\":null", f ? "," : "", keys[cls][f]);
                    else
                        fprintf(json, "%s\"%s\":%.6f", f ? "," : "", keys[cls][f], v[run * 3 + f]);
                }
                fputc('}', json);
            }
            fputc('}', json);
            first = 0;
        }
        fputc('}', json);
    }
}

static void groups_free(groups *g)
{
    for (int cls = 0; cls < 2; cls++)
        for (int k = 0; k < g->n[cls]; k++) {
            free(g->names[cls][k]);
            free(g->values[cls][k]);
        }
}

/* Several worlds: a row each, then min, median and max over them. */
static int eval_worlds(eval_run *run, const uint64_t *worlds, int n, FILE *json)
{
    double(*cold)[NFIG] = gn_xcalloc((size_t)n, sizeof *cold);
    double(*learned)[NFIG] = gn_xcalloc((size_t)n, sizeof *learned);
    double *seconds = gn_xcalloc((size_t)n, sizeof *seconds);
    printf("genuine eval --worlds: %llu listings over %d days per world; a training a day of "
           "event time after learning\n",
           (unsigned long long)run->so.listings, run->so.days);
    printf("%6s %7s %6s |%9s%9s%9s%9s |%9s%9s%9s%9s | %7s\n", "", "", "", "cold", "start", "", "",
           "after", "learning", "", "", "");
    printf("%6s %7s %6s |%9s%9s%9s%9s |%9s%9s%9s%9s | %7s\n", "world", "fakes", "audit", "caught",
           "blocked", "down", "held", "caught", "blocked", "down", "held", "seconds");
    double total = 0;
    int rc = 0;
    groups g = {.worlds = n};
    for (int w = 0; w < n && !rc; w++) {
        eval_run one = *run;
        one.so.world = worlds[w];
        gn_eval *c, *l;
        gn_error err = {0};
        double t0 = now_seconds();
        rc = run_pair(&one, &c, &l, &err);
        seconds[w] = now_seconds() - t0;
        total += seconds[w];
        if (rc) {
            fprintf(stderr, "genuine: world %llu: %s\n", (unsigned long long)worlds[w],
                    err.message);
        } else {
            fig_values(c, cold[w]);
            fig_values(l, learned[w]);
            group_collect(&g, w, 0, c);
            group_collect(&g, w, 1, l);
            gn_eval_figures f;
            gn_eval_figures_get(l ? l : c, &f);
            printf("%6llu %7llu %5.1f%%", (unsigned long long)worlds[w],
                   (unsigned long long)f.counterfeit, 100 * f.audit_rate);
            row(stdout, cold[w], learned[w]);
            printf(" | %7.1f\n", seconds[w]);
            fflush(stdout);
        }
        gn_eval_free(c);
        gn_eval_free(l);
    }
    static const char *const names[3] = {"min", "median", "max"};
    double stats[3][2][NFIG];
    for (int s = 0; s < 3 && !rc; s++) {
        for (int i = 0; i < NFIG; i++) {
            double col_c[1000], col_l[1000];
            for (int w = 0; w < n; w++)
                col_c[w] = cold[w][i], col_l[w] = learned[w][i];
            stats[s][0][i] = stat(col_c, n, s);
            stats[s][1][i] = stat(col_l, n, s);
        }
        printf("%-21s", names[s]);
        row(stdout, stats[s][0], stats[s][1]);
        printf(" |\n");
    }
    if (!rc) groups_print(&g);
    if (!rc)
        printf("\ncaught: counterfeits held or blocked at creation; blocked: honest listings "
               "blocked at creation;\ndown: honest listings taken down by the end; held: "
               "listings held for review. %d worlds in %.1f s.\n",
               n, total);
    if (json && !rc) {
        fputs("{\"worlds\":[", json);
        for (int w = 0; w < n; w++) {
            fprintf(json, "%s{\"world\":%llu,\"seconds\":%.2f,", w ? "," : "",
                    (unsigned long long)worlds[w], seconds[w]);
            json_figs(json, "cold_start", cold[w]);
            fputc(',', json);
            json_figs(json, "after_learning", learned[w]);
            groups_json(&g, w, json);
            fputc('}', json);
        }
        fputs("]", json);
        for (int s = 0; s < 3; s++) {
            fprintf(json, ",\"%s\":{", names[s]);
            json_figs(json, "cold_start", stats[s][0]);
            fputc(',', json);
            json_figs(json, "after_learning", stats[s][1]);
            fputc('}', json);
        }
        fputs("}\n", json);
    }
    groups_free(&g);
    free(cold);
    free(learned);
    free(seconds);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

int gn_cmd_eval(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    eval_run run = {0};
    run.cold = run.learned = 1;
    gn_eval_options_init(&run.eo);
    run.eo.db_path = opts.db;
    run.eo.config_path = opts.config;
    gn_sim_options_init(&run.so);
    int listings_given = 0;
    const char *json = NULL, *worlds_text = NULL;
    for (int i = 1; i < argc; i++) {
        double v;
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            puts(EVAL_USAGE);
            return GN_EXIT_OK;
        }
        if (!next) return gn_cli_usage("eval: %s needs a value\n%s", a, EVAL_USAGE);
        i++;
        if (strcmp(a, "--events") == 0)
            run.events = next;
        else if (strcmp(a, "--truth") == 0)
            run.truth = next;
        else if (strcmp(a, "--json") == 0)
            json = next;
        else if (strcmp(a, "--worlds") == 0)
            worlds_text = next;
        else if (strcmp(a, "--only") == 0) {
            if (strcmp(next, "cold") && strcmp(next, "learned"))
                return gn_cli_usage("eval: --only wants cold or learned, got '%s'\n%s", next,
                                    EVAL_USAGE);
            run.cold = strcmp(next, "cold") == 0;
            run.learned = !run.cold;
        } else if (number(next, &v))
            return gn_cli_usage("eval: %s '%s' is not a number\n%s", a, next, EVAL_USAGE);
        else if (strcmp(a, "--world") == 0) {
            if (v < 1 || v != floor(v))
                return gn_cli_usage("eval: --world wants a whole number from 1, got '%s'", next);
            run.so.world = (uint64_t)v;
        } else if (strcmp(a, "--seed") == 0)
            run.so.seed = (uint64_t)v, run.eo.seed = (uint64_t)v;
        else if (strcmp(a, "--listings") == 0)
            run.so.listings = (uint64_t)v, listings_given = 1;
        else if (strcmp(a, "--days") == 0)
            run.so.days = (int)v;
        else if (strcmp(a, "--counterfeit-share") == 0)
            run.so.counterfeit_share = v;
        else if (strcmp(a, "--review-hours") == 0)
            run.eo.review_hours = v;
        else if (strcmp(a, "--reviewer-error") == 0)
            run.eo.reviewer_error = v;
        else if (strcmp(a, "--retrain-days") == 0)
            run.eo.retrain_days = v;
        else if (strcmp(a, "--warmup-days") == 0)
            run.eo.warmup_days = v;
        else if (strcmp(a, "--audit-rate") == 0) {
            if (!(v >= 0 && v <= 1))
                return gn_cli_usage("eval: --audit-rate wants a share from 0 to 1, got '%s'", next);
            run.eo.audit_rate = v, run.audit_given = 1;
        } else if (strcmp(a, "--audit-days") == 0)
            run.eo.audit_days = v;
        else
            return gn_cli_usage("eval: unexpected argument '%s'\n%s", a, EVAL_USAGE);
    }
    if (!run.events != !run.truth)
        return gn_cli_usage("eval: --events and --truth go together\n%s", EVAL_USAGE);
    if (run.events && (run.so.world || worlds_text))
        return gn_cli_usage("eval: --events/--truth or a world, not both\n%s", EVAL_USAGE);
    /* a world of 20,000 listings takes seconds; the default marketplace is
     * evaluated at its historical 100,000 */
    if (!listings_given) run.so.listings = run.so.world || worlds_text ? 20000 : 100000;
    FILE *json_out = NULL;
    if (json && !(json_out = strcmp(json, "-") == 0 ? stdout : fopen(json, "w"))) {
        fprintf(stderr, "genuine: eval: cannot write %s\n", json);
        return GN_EXIT_FAIL;
    }
    int status;
    if (worlds_text) {
        uint64_t worlds[1000];
        int n = parse_worlds(worlds_text, worlds, 1000);
        if (n <= 0) {
            if (json_out && json_out != stdout) fclose(json_out);
            return gn_cli_usage("eval: --worlds wants worlds like 1-5 or 1,3,9 (from 1), got "
                                "'%s'",
                                worlds_text);
        }
        run.eo.db_path = NULL; /* one store per world and run: temporary */
        status = eval_worlds(&run, worlds, n, json_out);
    } else {
        gn_eval *cold, *learned;
        gn_error err = {0};
        int rc = run_pair(&run, &cold, &learned, &err);
        if (rc) {
            fprintf(stderr, "genuine: %s\n", err.message);
            status = GN_EXIT_FAIL;
        } else {
            char title[64] = "";
            if (run.so.world)
                snprintf(title, sizeof title, "world %llu", (unsigned long long)run.so.world);
            gn_eval_report_pair(cold, learned, title[0] ? title : NULL, stdout, json_out);
            status = GN_EXIT_OK;
        }
        gn_eval_free(cold);
        gn_eval_free(learned);
    }
    if (json_out && json_out != stdout) fclose(json_out);
    return status;
}
