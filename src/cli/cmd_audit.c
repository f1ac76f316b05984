/* genuine audit: the append-only audit log merged in time order with the
 * decisions that changed a listing — who changed what, when, and whether a
 * human did — one JSON object per line (docs/transparency.md). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_audit(int argc, char **argv)
{
    static const char usage[] = "usage: genuine audit [--db PATH] [--record KIND [--id ID]]";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *record = NULL, *id = NULL;
    for (int i = 1; i < argc; i++) {
        const char **slot = strcmp(argv[i], "--record") == 0 ? &record
                            : strcmp(argv[i], "--id") == 0   ? &id
                                                             : NULL;
        if (!slot) return gn_cli_usage("unknown argument '%s'\n%s", argv[i], usage);
        if (i + 1 >= argc) return gn_cli_usage("%s needs a value\n%s", argv[i], usage);
        *slot = argv[++i];
    }
    if (id && !record) return gn_cli_usage("--id needs --record KIND\n%s", usage);
    gn_engine *e = gn_cli_open(&opts, 1);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_audit_write(e, stdout, record, id, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}
