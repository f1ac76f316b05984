/* genuine eval: detection figures on a marketplace replayed as a live
 * platform would see it. Either a marketplace from files (--events, --truth:
 * generated anywhere, from the contract alone) or one simulated here with
 * the same options as `genuine simulate`. Prints a table, and the same
 * figures as one JSON line with --json FILE|-. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "eval/eval.h"
#include "sim/marketplace.h"

#define EVAL_USAGE                                                                                 \
    "usage: genuine eval [--events FILE --truth FILE | --seed N --listings N --days N "            \
    "--counterfeit-share F]\n"                                                                     \
    "                    [--json FILE|-] [--db PATH] [--config PATH] [--review-hours H]\n"         \
    "                    [--reviewer-error F] [--retrain-days D] [--warmup-days D]"

static int number(const char *text, double *out)
{
    char *end;
    *out = strtod(text, &end);
    return *end || end == text ? -1 : 0;
}

/* A simulated marketplace: the truth from a first run of the generator, the
 * events from a second run with the same seed (the same bytes), so nothing
 * large is written to disk. */
static int eval_simulated(const gn_sim_options *so, const gn_eval_options *eo, gn_eval **out,
                          gn_error *err)
{
    gn_sim *sim;
    int rc = gn_sim_new(&sim, so, err);
    if (rc) return rc;
    const char *line;
    size_t len;
    int64_t at;
    while (gn_sim_next(sim, &line, &len, &at) == 1)
        ;
    FILE *truth = tmpfile();
    if (!truth) {
        gn_sim_free(sim);
        return GN_ESTORE;
    }
    rc = gn_sim_write_truth(sim, truth, NULL, err);
    gn_sim_free(sim);
    rewind(truth);
    if (!rc) rc = gn_eval_new(out, eo, truth, "the simulated truth", err);
    fclose(truth);
    if (rc) return rc;
    if ((rc = gn_sim_new(&sim, so, err))) return rc;
    while (!rc && gn_sim_next(sim, &line, &len, &at) == 1)
        rc = gn_eval_event(*out, line, len, err);
    gn_sim_free(sim);
    return rc;
}

static int eval_files(const char *events, const char *truth_path, const gn_eval_options *eo,
                      gn_eval **out, gn_error *err)
{
    FILE *truth = fopen(truth_path, "r"), *in = fopen(events, "r");
    if (!truth || !in) {
        if (truth) fclose(truth);
        if (in) fclose(in);
        fprintf(stderr, "genuine: cannot read %s\n", !truth ? truth_path : events);
        return GN_EINPUT;
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
    return rc;
}

int gn_cmd_eval(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    gn_eval_options eo;
    gn_eval_options_init(&eo);
    eo.db_path = opts.db;
    eo.config_path = opts.config;
    gn_sim_options so;
    gn_sim_options_init(&so);
    so.listings = 100000;
    const char *events = NULL, *truth = NULL, *json = NULL;
    for (int i = 1; i < argc; i++) {
        double v;
        const char *a = argv[i], *next = i + 1 < argc ? argv[i + 1] : NULL;
        if (!next) return gn_cli_usage("eval: %s needs a value\n%s", a, EVAL_USAGE);
        i++;
        if (strcmp(a, "--events") == 0)
            events = next;
        else if (strcmp(a, "--truth") == 0)
            truth = next;
        else if (strcmp(a, "--json") == 0)
            json = next;
        else if (number(next, &v))
            return gn_cli_usage("eval: %s '%s' is not a number\n%s", a, next, EVAL_USAGE);
        else if (strcmp(a, "--seed") == 0)
            so.seed = (uint64_t)v, eo.seed = (uint64_t)v;
        else if (strcmp(a, "--listings") == 0)
            so.listings = (uint64_t)v;
        else if (strcmp(a, "--days") == 0)
            so.days = (int)v;
        else if (strcmp(a, "--counterfeit-share") == 0)
            so.counterfeit_share = v;
        else if (strcmp(a, "--review-hours") == 0)
            eo.review_hours = v;
        else if (strcmp(a, "--reviewer-error") == 0)
            eo.reviewer_error = v;
        else if (strcmp(a, "--retrain-days") == 0)
            eo.retrain_days = v;
        else if (strcmp(a, "--warmup-days") == 0)
            eo.warmup_days = v;
        else
            return gn_cli_usage("eval: unexpected argument '%s'\n%s", a, EVAL_USAGE);
    }
    if (!events != !truth)
        return gn_cli_usage("eval: --events and --truth go together\n%s", EVAL_USAGE);
    gn_eval *ev = NULL;
    gn_error err = {0};
    int rc =
        events ? eval_files(events, truth, &eo, &ev, &err) : eval_simulated(&so, &eo, &ev, &err);
    if (!rc) rc = gn_eval_finish(ev, &err);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        gn_eval_free(ev);
        return GN_EXIT_FAIL;
    }
    gn_eval_report(ev, stdout, NULL);
    if (json) {
        FILE *out = strcmp(json, "-") == 0 ? stdout : fopen(json, "w");
        if (out) {
            gn_eval_report(ev, NULL, out);
            if (out != stdout) fclose(out);
        }
    }
    gn_eval_free(ev);
    return GN_EXIT_OK;
}
