/* genuine store copy: the SQLite store named by --db (or --store sqlite:PATH)
 * copied into an empty PostgreSQL store (--to postgres://...), for nodes to
 * start from (docs/scale.md). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_store(int argc, char **argv)
{
    static const char usage[] = "usage: genuine store copy [--db PATH] --to postgres://...";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *to = NULL;
    if (argc < 2 || strcmp(argv[1], "copy") != 0) return gn_cli_usage("%s", usage);
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--to") == 0 && i + 1 < argc)
            to = argv[++i];
        else
            return gn_cli_usage("store copy: unknown argument '%s'\n%s", argv[i], usage);
    }
    if (!to) return gn_cli_usage("store copy needs --to postgres://...\n%s", usage);
    gn_store_copy_report r;
    gn_error err;
    if (gn_store_copy(opts.db ? opts.db : "genuine.db", to, &r, &err)) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    printf("{\"events\":%" PRId64 ",\"decisions\":%" PRId64 ",\"listings\":%" PRId64
           ",\"keys\":%" PRId64 ",\"images\":%" PRId64 ",\"models\":%" PRId64 ",\"audit\":%" PRId64
           "}\n",
           r.events, r.decisions, r.listings, r.keys, r.images, r.models, r.audit);
    return GN_EXIT_OK;
}
