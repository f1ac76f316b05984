/* `genuine simulate`: a generated marketplace as contract events in time order
 * (JSON Lines) and its ground truth as CSV, the same bytes for the same seed.
 * A thin client of tools/sim/marketplace.h; see docs/simulator.md. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "cli/cli.h"
#include "sim/marketplace.h"

int gn_cmd_simulate(int argc, char **argv);

static const char usage_text[] =
    "usage: genuine simulate [--world N] [--seed N] [--listings N] [--days N]\n"
    "                        [--counterfeit-share F] [--brands N] [--start TIME] [--out FILE|-]\n"
    "                        [--truth FILE] [--sellers-truth FILE] [--quiet]\n"
    "  --world N   world N >= 1 draws its own parameters from N (docs/simulator.md,\n"
    "              \"Worlds\"); without it, the marketplace of earlier releases.\n"
    "              Worlds 1-5 are for reporting figures; tune only on N >= 100.\n"
    "  --listings  default 20000\n";

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

int gn_cmd_simulate(int argc, char **argv)
{
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.listings = 20000; /* seconds on a laptop; the library's default is larger */
    const char *out_path = "-", *truth_path = "truth.csv", *sellers_truth = NULL;
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
        if (strcmp(opt, "--world") == 0) {
            if (parse_u64(val, &o.world) || o.world < 1)
                return gn_cli_usage("simulate: --world wants a whole number from 1, got '%s'", val);
        } else if (strcmp(opt, "--seed") == 0) {
            if (parse_u64(val, &o.seed))
                return gn_cli_usage("simulate: --seed wants a whole number, got '%s'", val);
        } else if (strcmp(opt, "--listings") == 0) {
            if (parse_u64(val, &o.listings) || o.listings < 1 || o.listings > 200000000)
                return gn_cli_usage("simulate: --listings wants 1 to 200000000, got '%s'", val);
        } else if (strcmp(opt, "--days") == 0) {
            if (parse_u64(val, &u) || u < 1 || u > 3650)
                return gn_cli_usage("simulate: --days wants 1 to 3650, got '%s'", val);
            o.days = (int)u;
        } else if (strcmp(opt, "--brands") == 0) {
            if (parse_u64(val, &u) || u < 1 || u > 60000)
                return gn_cli_usage("simulate: --brands wants 1 to 60000, got '%s'", val);
            o.brands = (int)u;
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
