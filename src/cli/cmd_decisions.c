/* genuine decisions: every listing's current status and latest decision, one
 * JSON object per line, read straight from the store. */
#include <stdio.h>

#include "cli/cli.h"

int gn_cmd_decisions(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc != 1) return gn_cli_usage("usage: genuine decisions [--db PATH]");
    gn_engine *e = gn_cli_open(&opts, 1);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_decisions_write(e, stdout, &err);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    gn_engine_close(e);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}
