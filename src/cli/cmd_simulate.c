/* `genuine simulate`: a generated marketplace as contract events in time order
 * (JSON Lines) and its ground truth as CSV, the same bytes for the same seed.
 * One generator, four profiles: the marketplace (tools/sim/marketplace.h),
 * world N (tools/sim/world.h), the benchmarks' corpus (tools/sim/corpus.h)
 * and the demo marketplace (tools/sim/demo.h); see docs/simulator.md. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "cli/cli.h"
#include "sim/corpus.h"
#include "sim/demo.h"
#include "sim/marketplace.h"

int gn_cmd_simulate(int argc, char **argv);

static const char usage_text[] =
    "usage: genuine simulate [--profile market|world] [--world N] [--seed N] [--listings N]\n"
    "                        [--days N] [--counterfeit-share F] [--brands N] [--start TIME]\n"
    "                        [--out FILE|-] [--truth FILE] [--sellers-truth FILE] [--quiet]\n"
    "       genuine simulate --profile bench [--seed N] [--brands N] [--sellers N]\n"
    "                        [--listings N | --mixed N] [--out FILE|-]\n"
    "       genuine simulate --profile demo [--out FILE|-] [--truth FILE]\n"
    "  --profile   market (the default): the marketplace written beside the detectors;\n"
    "              world: world N (--world N, which alone implies it) draws its own\n"
    "              parameters from N (docs/simulator.md, \"Worlds\"); worlds 1-5 are for\n"
    "              reporting figures, tune only on N >= 100;\n"
    "              bench: the benchmarks' corpus (bench/README.md), events only, no truth;\n"
    "              demo: the demo marketplace of make demo (examples/README.md)\n"
    "  --listings  default 20000 (bench: none, the catalog alone)\n";

static int parse_u64(const char *text, uint64_t *out)
{
    char *end;
    errno = 0;
    if (!text[0] || text[0] == '-') return -1;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end) return -1;
    *out = v;
    return 0;
}

/* 2026-11-01 or 2026-11-01T00:00:00Z, in UTC. */
static int parse_start(const char *text, int64_t *out)
{
    int y, m, d, hh = 0, mm = 0, ss = 0, n = 0;
    if (sscanf(text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3) return -1;
    if (text[n] &&
        (sscanf(text + n, "T%2d:%2d:%2dZ", &hh, &mm, &ss) != 3 || strlen(text + n) != 10))
        return -1;
    if (m < 1 || m > 12 || d < 1 || d > 31 || hh > 23 || mm > 59 || ss > 59) return -1;
    /* days from civil (H. Hinnant) */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1,
            doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    *out = (era * 146097 + doe - 719468) * 86400 + hh * 3600 + mm * 60 + ss;
    return 0;
}

/* truth.csv -> truth-sellers.csv */
static char *sellers_path(const char *truth)
{
    size_t n = strlen(truth);
    char *p = gn_xmalloc(n + 16);
    if (n > 4 && strcmp(truth + n - 4, ".csv") == 0)
        snprintf(p, n + 16, "%.*s-sellers.csv", (int)(n - 4), truth);
    else
        snprintf(p, n + 16, "%s-sellers.csv", truth);
    return p;
}

/* Options only one profile takes: named in the error when given to another. */
enum { FOR_ALL, FOR_SIM, FOR_BENCH };

static int for_profile(const char *opt)
{
    static const char *const sim_only[] = {"--world", "--days",  "--counterfeit-share",
                                           "--start", "--truth", "--sellers-truth"};
    for (size_t i = 0; i < sizeof sim_only / sizeof *sim_only; i++)
        if (strcmp(opt, sim_only[i]) == 0) return FOR_SIM;
    if (strcmp(opt, "--sellers") == 0 || strcmp(opt, "--mixed") == 0) return FOR_BENCH;
    return FOR_ALL;
}

/* --profile bench: the corpus on --out, nothing else. */
static int write_corpus(const gn_corpus_options *c, const char *out_path)
{
    FILE *out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "w");
    if (!out) {
        fprintf(stderr, "genuine: simulate: cannot write %s: %s\n", out_path, strerror(errno));
        return GN_EXIT_FAIL;
    }
    gn_error err;
    int rc = gn_corpus_write(c, out, &err);
    if (out != stdout && fclose(out) != 0 && !rc)
        rc = gn_fail(&err, GN_EINPUT, "simulate: writing the events failed");
    if (rc) fprintf(stderr, "genuine: %s (%s)\n", err.message, out_path);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

/* --profile demo: the demo marketplace on --out, its answer key on --truth. */
static int write_demo(const char *out_path, const char *truth_path)
{
    FILE *out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "w");
    FILE *truth = out ? fopen(truth_path, "w") : NULL;
    if (!out || !truth) {
        fprintf(stderr, "genuine: simulate: cannot write %s: %s\n", !out ? out_path : truth_path,
                strerror(errno));
        if (out && out != stdout) fclose(out);
        return GN_EXIT_FAIL;
    }
    gn_error err;
    int rc = gn_demo_write(out, truth, &err);
    if (out != stdout && fclose(out) != 0 && !rc)
        rc = gn_fail(&err, GN_EINPUT, "simulate: writing the events failed");
    if (fclose(truth) != 0 && !rc)
        rc = gn_fail(&err, GN_EINPUT, "simulate: writing the truth failed");
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

int gn_cmd_simulate(int argc, char **argv)
{
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.listings = 20000; /* seconds on a laptop; the library's default is larger */
    gn_corpus_options c;
    gn_corpus_options_init(&c);
    const char *out_path = "-", *truth_path = "truth.csv", *sellers_truth = NULL;
    const char *profile = NULL, *sim_opt = NULL, *bench_opt = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *opt = argv[i];
        if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
            fputs(usage_text, stdout);
            return GN_EXIT_OK;
        }
        if (strcmp(opt, "--quiet") == 0) {
            quiet = 1;
            continue;
        }
        if (i + 1 >= argc) return gn_cli_usage("simulate: %s needs a value\n%s", opt, usage_text);
        const char *val = argv[++i];
        uint64_t u;
        int only = for_profile(opt);
        if (only == FOR_SIM && !sim_opt) sim_opt = opt;
        if (only == FOR_BENCH && !bench_opt) bench_opt = opt;
        if (strcmp(opt, "--profile") == 0) {
            if (strcmp(val, "market") != 0 && strcmp(val, "world") != 0 &&
                strcmp(val, "bench") != 0 && strcmp(val, "demo") != 0)
                return gn_cli_usage(
                    "simulate: --profile wants market, world, bench or demo, got '%s'", val);
            profile = val;
        } else if (strcmp(opt, "--world") == 0) {
            if (parse_u64(val, &o.world) || o.world < 1)
                return gn_cli_usage("simulate: --world wants a whole number from 1, got '%s'", val);
        } else if (strcmp(opt, "--seed") == 0) {
            if (parse_u64(val, &o.seed))
                return gn_cli_usage("simulate: --seed wants a whole number, got '%s'", val);
            c.seed = o.seed;
        } else if (strcmp(opt, "--listings") == 0) {
            if (parse_u64(val, &o.listings) || o.listings < 1 || o.listings > 200000000)
                return gn_cli_usage("simulate: --listings wants 1 to 200000000, got '%s'", val);
            c.listings = o.listings;
        } else if (strcmp(opt, "--mixed") == 0) {
            if (parse_u64(val, &c.mixed) || c.mixed < 1 || c.mixed > 4000000000ULL)
                return gn_cli_usage("simulate: --mixed wants 1 to 4000000000, got '%s'", val);
        } else if (strcmp(opt, "--sellers") == 0) {
            if (parse_u64(val, &c.sellers) || c.sellers > 100000000)
                return gn_cli_usage("simulate: --sellers wants 0 to 100000000, got '%s'", val);
            c.have_sellers = 1;
        } else if (strcmp(opt, "--days") == 0) {
            if (parse_u64(val, &u) || u < 1 || u > 3650)
                return gn_cli_usage("simulate: --days wants 1 to 3650, got '%s'", val);
            o.days = (int)u;
        } else if (strcmp(opt, "--brands") == 0) {
            if (parse_u64(val, &u) || u < 1 || u > 1000000)
                return gn_cli_usage("simulate: --brands wants 1 to 1000000, got '%s'", val);
            o.brands = (int)u;
            c.brands = u;
        } else if (strcmp(opt, "--counterfeit-share") == 0) {
            char *end;
            errno = 0;
            o.counterfeit_share = strtod(val, &end);
            if (errno || *end || !(o.counterfeit_share >= 0 && o.counterfeit_share <= 0.9))
                return gn_cli_usage(
                    "simulate: --counterfeit-share wants a number from 0 to 0.9, got '%s'", val);
        } else if (strcmp(opt, "--start") == 0) {
            if (parse_start(val, &o.start))
                return gn_cli_usage("simulate: --start wants a date like 2026-11-01 or "
                                    "2026-11-01T00:00:00Z, got '%s'",
                                    val);
        } else if (strcmp(opt, "--out") == 0) {
            out_path = val;
        } else if (strcmp(opt, "--truth") == 0) {
            truth_path = val;
        } else if (strcmp(opt, "--sellers-truth") == 0) {
            sellers_truth = val;
        } else {
            return gn_cli_usage("simulate: unknown option %s\n%s", opt, usage_text);
        }
    }
    if (!profile) profile = o.world ? "world" : "market";
    if (strcmp(profile, "demo") == 0) {
        /* the demo is one marketplace: only where it goes may be chosen */
        const char *bad = NULL;
        for (int i = 1; i < argc && !bad; i++)
            if (argv[i][0] == '-' && strcmp(argv[i], "--quiet") && strcmp(argv[i], "--profile") &&
                strcmp(argv[i], "--out") && strcmp(argv[i], "--truth"))
                bad = argv[i];
            else if (strcmp(argv[i], "--quiet"))
                i++;
        if (bad)
            return gn_cli_usage("simulate: %s is not an option of --profile demo\n%s", bad,
                                usage_text);
        return write_demo(out_path, truth_path);
    }
    int bench = strcmp(profile, "bench") == 0;
    if (bench && sim_opt)
        return gn_cli_usage("simulate: %s is not an option of --profile bench\n%s", sim_opt,
                            usage_text);
    if (!bench && bench_opt)
        return gn_cli_usage("simulate: %s is an option of --profile bench only\n%s", bench_opt,
                            usage_text);
    if (strcmp(profile, "world") == 0 && !o.world)
        return gn_cli_usage("simulate: --profile world needs --world N");
    if (strcmp(profile, "market") == 0 && o.world)
        return gn_cli_usage("simulate: --world N is the world profile, not market");
    if (!bench && o.brands > 60000)
        return gn_cli_usage("simulate: --brands wants 1 to 60000, got '%d'", o.brands);
    if (bench && c.listings && c.mixed)
        return gn_cli_usage("simulate: --profile bench takes --listings or --mixed, not both");
    if (bench) return write_corpus(&c, out_path);

    char *sellers_owned = sellers_truth ? NULL : sellers_path(truth_path);
    if (!sellers_truth) sellers_truth = sellers_owned;
    int status = GN_EXIT_FAIL;
    FILE *out = NULL, *truth = NULL, *sellers = NULL;
    gn_sim *sim = NULL;
    gn_error err;
    if (!sellers_truth) {
        fprintf(stderr, "genuine: simulate: out of memory\n");
        goto done;
    }
    if (gn_sim_new(&sim, &o, &err)) {
        fprintf(stderr, "genuine: %s\n", err.message);
        goto done;
    }
    out = strcmp(out_path, "-") == 0 ? stdout : fopen(out_path, "w");
    if (!out) {
        fprintf(stderr, "genuine: simulate: cannot write %s: %s\n", out_path, strerror(errno));
        goto done;
    }
    static char outbuf[1 << 20]; /* large writes: the stream is gigabytes */
    setvbuf(out, outbuf, _IOFBF, sizeof outbuf);
    if (gn_sim_write_events(sim, out, &err)) {
        fprintf(stderr, "genuine: %s (%s)\n", err.message, out_path);
        goto done;
    }
    truth = fopen(truth_path, "w");
    sellers = fopen(sellers_truth, "w");
    if (!truth || !sellers) {
        fprintf(stderr, "genuine: simulate: cannot write %s: %s\n",
                !truth ? truth_path : sellers_truth, strerror(errno));
        goto done;
    }
    if (gn_sim_write_truth(sim, truth, sellers, &err)) {
        fprintf(stderr, "genuine: %s\n", err.message);
        goto done;
    }
    if (!quiet) {
        char *summary = gn_sim_summary_json(sim);
        fprintf(stderr, "%s\n", summary);
        free(summary);
    }
    status = GN_EXIT_OK;
done:
    if (out && out != stdout && fclose(out) != 0 && status == GN_EXIT_OK) {
        fprintf(stderr, "genuine: simulate: writing %s failed\n", out_path);
        status = GN_EXIT_FAIL;
    }
    if (out == stdout && fflush(stdout) != 0 && status == GN_EXIT_OK) status = GN_EXIT_FAIL;
    if (truth && fclose(truth) != 0 && status == GN_EXIT_OK) status = GN_EXIT_FAIL;
    if (sellers && fclose(sellers) != 0 && status == GN_EXIT_OK) status = GN_EXIT_FAIL;
    gn_sim_free(sim);
    free(sellers_owned);
    return status;
}
