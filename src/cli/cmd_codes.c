/* genuine codes issue|verify|export|batches|retire: authenticity codes (docs/codes.md).
 * issue logs a code_batch event and prints its codes, one a line (with --qr,
 * a QR image of each too); verify answers what a code is; export prints a
 * batch's codes again; batches lists them with their scans and clones;
 * retire withdraws a batch (its codes answer retired). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"

#define CODES_USAGE                                                                                \
    "usage: genuine codes issue|verify|export|batches|retire [--db PATH] ...\n"                    \
    "  codes issue --brand B --sku S --count N [--batch ID] [--enrolled] [--at TIME]\n"            \
    "              [--qr DIR] [--qr-format svg|png]\n"                                             \
    "                          a batch of N codes for brand B's product S, one a line on\n"        \
    "                          stdout (and a QR image of each in DIR); --enrolled: listings\n"     \
    "                          of S must ship with codes\n"                                        \
    "  codes verify CODE       genuine | unknown | retired | cloned, as JSON\n"                    \
    "  codes export BATCH [--qr DIR] [--qr-format svg|png]   a batch's codes again\n"              \
    "  codes batches [--brand B]   the batches, their scans, clones and countries\n"               \
    "The codes' secret is in the store's path with .codes-key appended (mode 0600):\n"             \
    "back it up; without it the store's codes cannot be verified."

static const char *value(int argc, char **argv, int *i)
{
    return *i + 1 < argc ? argv[++*i] : NULL;
}

static int codes_issue(const gn_cli_common *opts, int argc, char **argv)
{
    const char *brand = NULL, *sku = NULL, *count = NULL, *batch = NULL, *at = NULL, *qr = NULL,
               *qr_format = NULL;
    int enrolled = 0;
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--brand") == 0       ? &brand
                            : strcmp(argv[i], "--sku") == 0       ? &sku
                            : strcmp(argv[i], "--count") == 0     ? &count
                            : strcmp(argv[i], "--batch") == 0     ? &batch
                            : strcmp(argv[i], "--at") == 0        ? &at
                            : strcmp(argv[i], "--qr") == 0        ? &qr
                            : strcmp(argv[i], "--qr-format") == 0 ? &qr_format
                                                                  : NULL;
        if (slot && (*slot = value(argc, argv, &i))) continue;
        if (strcmp(argv[i], "--enrolled") == 0) {
            enrolled = 1;
            continue;
        }
        return gn_cli_usage("codes issue: unexpected argument '%s'\n%s", argv[i], CODES_USAGE);
    }
    if (!brand || !sku || !count)
        return gn_cli_usage("codes issue needs --brand, --sku and --count\n%s", CODES_USAGE);
    char *end;
    unsigned long long n = strtoull(count, &end, 10);
    if (*end || n < 1 || n > 100000000ull)
        return gn_cli_usage("codes issue: --count: \"%s\" is not a whole number from 1 to "
                            "100000000",
                            count);
    char made[40], now[40];
    if (!batch) { /* a batch id of its own: the time and 32 random bits */
        snprintf(made, sizeof made, "B-%lld-%08x", (long long)time(NULL), randombytes_random());
        batch = made;
    }
    if (!at) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        gn_time_format((int64_t)ts.tv_sec * 1000, now, sizeof now);
        at = now;
    }
    gn_buf ev = {0};
    char *id = malloc(strlen(batch) + sizeof "code_batch:");
    if (!id) return GN_EXIT_FAIL;
    sprintf(id, "code_batch:%s", batch);
    gn_buf_puts(&ev, "{\"type\":\"code_batch\",\"id\":");
    gn_buf_json_string(&ev, id);
    free(id);
    gn_buf_puts(&ev, ",\"at\":");
    gn_buf_json_string(&ev, at);
    gn_buf_puts(&ev, ",\"batch\":");
    gn_buf_json_string(&ev, batch);
    gn_buf_puts(&ev, ",\"brand\":");
    gn_buf_json_string(&ev, brand);
    gn_buf_puts(&ev, ",\"sku\":");
    gn_buf_json_string(&ev, sku);
    gn_buf_printf(&ev, ",\"count\":%llu%s}", n, enrolled ? ",\"enrolled\":true" : "");
    gn_engine *e = gn_cli_open(opts, GN_OPEN_WRITE);
    if (!e) {
        gn_buf_free(&ev);
        return GN_EXIT_FAIL;
    }
    gn_result res;
    gn_error err;
    int rc = gn_ingest(e, ev.data, ev.len, &res, &err);
    gn_buf_free(&ev);
    if (!rc && res.outcome != GN_ACCEPTED) {
        fprintf(stderr, "genuine: codes issue: %s\n",
                res.outcome == GN_DUPLICATE ? "batch already issued (codes export prints it)"
                                            : res.error);
        gn_engine_close(e);
        return GN_EXIT_FAIL;
    }
    if (!rc) rc = gn_commit(e, &err);
    if (!rc) fprintf(stderr, "batch %s: %llu codes\n", batch, n);
    if (!rc) rc = gn_batch_codes_write(e, batch, stdout, qr, qr_format, &err);
    if (!rc && fflush(stdout)) rc = -1, snprintf(err.message, 64, "writing the codes failed");
    gn_engine_close(e);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

static int codes_export(const gn_cli_common *opts, int argc, char **argv)
{
    const char *batch = NULL, *qr = NULL, *qr_format = NULL;
    for (int i = 2; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--qr") == 0          ? &qr
                            : strcmp(argv[i], "--qr-format") == 0 ? &qr_format
                                                                  : NULL;
        if (slot && (*slot = value(argc, argv, &i))) continue;
        if (!batch && argv[i][0] != '-') {
            batch = argv[i];
            continue;
        }
        return gn_cli_usage("codes export: unexpected argument '%s'\n%s", argv[i], CODES_USAGE);
    }
    if (!batch) return gn_cli_usage("codes export needs a BATCH\n%s", CODES_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_batch_codes_write(e, batch, stdout, qr, qr_format, &err);
    gn_engine_close(e);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc == GN_EINPUT ? GN_EXIT_USAGE : rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

static int codes_read(const gn_cli_common *opts, int argc, char **argv, int verify)
{
    const char *arg = NULL;
    for (int i = 2; i < argc; i++) {
        if (!verify && strcmp(argv[i], "--brand") == 0 && (arg = value(argc, argv, &i))) continue;
        if (verify && !arg) {
            arg = argv[i];
            continue;
        }
        return gn_cli_usage("codes %s: unexpected argument '%s'\n%s", verify ? "verify" : "batches",
                            argv[i], CODES_USAGE);
    }
    if (verify && !arg) return gn_cli_usage("codes verify needs a CODE\n%s", CODES_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *json = verify ? gn_code_verify_json(e, arg, &err) : gn_batches_json(e, arg, NULL, &err);
    gn_engine_close(e);
    if (!json) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    puts(json);
    gn_free(json);
    return GN_EXIT_OK;
}

/* A batch told again with "retired": true (its brand, product and count as
 * issued: the engine takes nothing else). */
static int codes_retire(const gn_cli_common *opts, int argc, char **argv)
{
    const char *batch = NULL, *at = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--at") == 0 && (at = value(argc, argv, &i))) continue;
        if (!batch && argv[i][0] != '-') {
            batch = argv[i];
            continue;
        }
        return gn_cli_usage("codes retire: unexpected argument '%s'\n%s", argv[i], CODES_USAGE);
    }
    if (!batch) return gn_cli_usage("codes retire needs a BATCH\n%s", CODES_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_WRITE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *all = gn_batches_json(e, NULL, NULL, &err);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const gn_json *list = gn_json_get(gn_json_parse(&doc, all, strlen(all), NULL), "batches");
    const gn_json *found = NULL;
    for (size_t i = 0; i < gn_json_size(list) && !found; i++) {
        const char *id = gn_json_string(gn_json_get(gn_json_at(list, i), "batch"), NULL);
        if (id && strcmp(id, batch) == 0) found = gn_json_at(list, i);
    }
    int rc = GN_EXIT_FAIL;
    if (!found) {
        fprintf(stderr, "genuine: codes retire: no batch '%s'\n", batch);
    } else {
        char now[40];
        if (!at) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            gn_time_format((int64_t)ts.tv_sec * 1000, now, sizeof now);
            at = now;
        }
        gn_buf ev = {0}, id = {0};
        gn_buf_printf(&id, "code_batch:%s:retired", batch);
        gn_buf_puts(&ev, "{\"type\":\"code_batch\",\"id\":");
        gn_buf_json_string(&ev, id.data);
        gn_buf_puts(&ev, ",\"at\":");
        gn_buf_json_string(&ev, at);
        gn_buf_puts(&ev, ",\"batch\":");
        gn_buf_json_string(&ev, batch);
        gn_buf_puts(&ev, ",\"brand\":");
        gn_buf_json_string(&ev, gn_json_string(gn_json_get(found, "brand"), NULL));
        gn_buf_puts(&ev, ",\"sku\":");
        gn_buf_json_string(&ev, gn_json_string(gn_json_get(found, "sku"), NULL));
        gn_buf_printf(&ev, ",\"count\":%.0f,\"retired\":true}",
                      gn_json_number(gn_json_get(found, "count")));
        gn_result res;
        int failed = gn_ingest(e, ev.data, ev.len, &res, &err);
        if (!failed && res.outcome == GN_REJECTED)
            fprintf(stderr, "genuine: codes retire: %s\n", res.error);
        else if (!failed && !(failed = gn_commit(e, &err)))
            rc = GN_EXIT_OK, fprintf(stderr, "batch %s: retired\n", batch);
        if (failed) fprintf(stderr, "genuine: %s\n", err.message);
        gn_buf_free(&ev);
        gn_buf_free(&id);
    }
    gn_json_doc_free(&doc);
    gn_free(all);
    gn_engine_close(e);
    return rc;
}

int gn_cmd_codes(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            puts(CODES_USAGE);
            return GN_EXIT_OK;
        }
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc < 2) return gn_cli_usage("%s", CODES_USAGE);
    if (strcmp(argv[1], "issue") == 0) return codes_issue(&opts, argc, argv);
    if (strcmp(argv[1], "export") == 0) return codes_export(&opts, argc, argv);
    if (strcmp(argv[1], "verify") == 0) return codes_read(&opts, argc, argv, 1);
    if (strcmp(argv[1], "batches") == 0) return codes_read(&opts, argc, argv, 0);
    if (strcmp(argv[1], "retire") == 0) return codes_retire(&opts, argc, argv);
    return gn_cli_usage("codes: unknown subcommand '%s'\n%s", argv[1], CODES_USAGE);
}
