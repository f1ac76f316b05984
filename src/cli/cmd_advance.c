/* genuine advance --to TIME: moves the clock of a batch or test run to TIME
 * and runs every notice window that closed before it (unanswered notices:
 * listings taken down). Prints what it did, one JSON line. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_advance(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc != 3 || strcmp(argv[1], "--to") != 0)
        return gn_cli_usage("usage: genuine advance [--db PATH] --to TIME   (RFC 3339, e.g. "
                            "2026-11-26T10:00:00Z)");
    gn_engine *e = gn_cli_open(&opts, 0);
    if (!e) return GN_EXIT_FAIL;
    gn_advance_report r;
    gn_error err;
    int rc = gn_advance(e, argv[2], &r, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    printf("{\"to\":\"%s\",\"windows_closed\":%zu,\"removed\":%zu,\"seconds\":%.3f}\n", argv[2],
           r.deadlines, r.removed, r.seconds);
    return GN_EXIT_OK;
}
