/* genuine statements: a statement of reasons (EU DSA Art. 17, the fields of
 * the DSA Transparency Database) for every restrictive decision, one JSON
 * object per line, read from the store (docs/transparency.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_statements(int argc, char **argv)
{
    static const char usage[] = "usage: genuine statements [--db PATH] [--since TIME]";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *since = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--since") != 0)
            return gn_cli_usage("unknown argument '%s'\n%s", argv[i], usage);
        if (i + 1 >= argc) return gn_cli_usage("--since needs a time (RFC 3339)\n%s", usage);
        since = argv[++i];
    }
    gn_engine *e = gn_cli_open(&opts, 1);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_statements_write(e, stdout, since, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}
