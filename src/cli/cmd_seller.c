/* genuine seller ID: a seller's status, risk, links and cluster, as the
 * platform sees it (GET /v1/sellers/{id}). */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

int gn_cmd_seller(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc != 2) return gn_cli_usage("usage: genuine seller [--db PATH] SELLER");
    gn_engine *e = gn_cli_open(&opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *json = gn_seller_json(e, argv[1], 1, &err);
    gn_engine_close(e);
    if (!json) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    puts(json);
    gn_free(json);
    return GN_EXIT_OK;
}
