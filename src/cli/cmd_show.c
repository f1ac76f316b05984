/* genuine show KIND [ID]: one workflow record as JSON — a complaint, a right,
 * an appeal, a filer's record, a seller's open notices, a rights holder's
 * complaints, or the shoppers' reports triage queue. The same views as the
 * HTTP API's, without its role filters: the command line is the platform. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *kind;
    int needs_id; /* 1: required, 0: none, 2: optional */
    const char *what;
} kinds[] = {
    {"complaint", 1, "a complaint: state, deadline, each listing's notice and outcome"},
    {"complaints", 2, "every complaint, or a rights holder's"},
    {"right", 1, "a registered IP right"},
    {"notices", 1, "a seller's open notices, with their deadlines"},
    {"filer", 1, "a rights holder's or shopper's record: trust, limits and why"},
    {"reports", 0, "the shoppers' reports triage queue, most urgent first"},
    {"appeal", 1, "an appeal and its outcome"},
};

static int usage(void)
{
    fprintf(stderr, "usage: genuine show [--db PATH] KIND [ID]\n");
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        fprintf(stderr, "  %-11s %s%s\n", kinds[i].kind,
                kinds[i].needs_id == 1   ? "ID: "
                : kinds[i].needs_id == 2 ? "[ID]: "
                                         : "",
                kinds[i].what);
    return GN_EXIT_USAGE;
}

int gn_cmd_show(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc < 2 || argc > 3) return usage();
    const char *kind = argv[1], *id = argc == 3 ? argv[2] : NULL;
    size_t k = 0;
    while (k < sizeof kinds / sizeof *kinds && strcmp(kinds[k].kind, kind) != 0)
        k++;
    if (k == sizeof kinds / sizeof *kinds || (kinds[k].needs_id == 1 && !id) ||
        (kinds[k].needs_id == 0 && id))
        return usage();
    gn_engine *e =
        gn_cli_open(&opts, GN_OPEN_BESIDE); /* the records live in memory, rebuilt from the log */
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *json = NULL;
    switch (k) {
    case 0:
        json = gn_complaint_json(e, id, NULL, &err);
        break;
    case 1:
        json = gn_complaints_json(e, id, &err);
        break;
    case 2:
        json = gn_right_json(e, id, &err);
        break;
    case 3:
        json = gn_notices_json(e, id, &err);
        break;
    case 4:
        json = gn_filer_json(e, id, &err);
        break;
    case 5:
        json = gn_reports_json(e, 0, &err);
        break;
    default:
        json = gn_appeal_json(e, id, &err);
        break;
    }
    gn_engine_close(e);
    if (!json) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    puts(json);
    gn_free(json);
    return GN_EXIT_OK;
}
