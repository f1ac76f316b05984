/* genuine remediation: the orders on listings confirmed counterfeit and the
 * buyers to refund or notify, as JSON Lines or (--csv) CSV on stdout. Reads
 * the store only, so it runs beside a live server. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_remediation(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    int csv = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--csv") == 0)
            csv = 1;
        else
            return gn_cli_usage("usage: genuine remediation [--db PATH] [--csv]");
    }
    gn_engine *e = gn_cli_open(&opts, 1);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_remediation_write(e, stdout, csv, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}
