/* genuine store copy: the SQLite store named by --db (or --store sqlite:PATH)
 * copied into an empty PostgreSQL store (--to postgres://...), for nodes to
 * start from; genuine store snapshot: the state kept in the store for nodes
 * to join from, and genuine store join: how a node joins now (docs/scale.md). */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

/* Opens the store as a node would (from its snapshot, when it has one it
 * may use, and the log after it), says how, and writes a snapshot of the
 * state it reached when asked: beside a running writer too. */
static int snapshot(const gn_cli_common *opts, int write)
{
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_snapshot_report join, r;
    gn_engine_join_report(e, &join);
    gn_error err;
    int rc = write ? gn_snapshot_write(e, &r, &err) : 0;
    if (rc)
        fprintf(stderr, "genuine: %s\n", err.message);
    else
        printf("{\"joined_from\":%" PRId64 ",\"replayed\":%" PRIu64
               ",\"join_seconds\":%.3f,\"read_seconds\":%.3f,\"load_seconds\":%.3f",
               join.seq, join.replayed, join.seconds, join.read_seconds, join.load_seconds);
    if (!rc && write)
        printf(",\"snapshot_at\":%" PRId64 ",\"bytes\":%zu,\"seconds\":%.3f", r.seq, r.bytes,
               r.seconds);
    if (!rc) printf("}\n");
    gn_engine_close(e);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

int gn_cmd_store(int argc, char **argv)
{
    static const char usage[] = "usage: genuine store copy [--db PATH] --to postgres://...\n"
                                "       genuine store snapshot [--db PATH]\n"
                                "       genuine store join [--db PATH]";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *to = NULL;
    if (argc == 2 && (strcmp(argv[1], "snapshot") == 0 || strcmp(argv[1], "join") == 0))
        return snapshot(&opts, strcmp(argv[1], "snapshot") == 0);
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
