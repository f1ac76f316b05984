/* genuine transparency: the transparency report — per day, week or month,
 * decisions, removals by cause, notices, appeals and sellers restricted —
 * as one JSON object read from the store (docs/transparency.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_transparency(int argc, char **argv)
{
    static const char usage[] = "usage: genuine transparency [--db PATH] [--period day|week|month]";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *period = "month";
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--period") != 0)
            return gn_cli_usage("unknown argument '%s'\n%s", argv[i], usage);
        if (i + 1 >= argc) return gn_cli_usage("--period needs day, week or month\n%s", usage);
        period = argv[++i];
    }
    if (strcmp(period, "day") != 0 && strcmp(period, "week") != 0 && strcmp(period, "month") != 0)
        return gn_cli_usage("--period: '%s' is not one of day, week, month", period);
    gn_engine *e = gn_cli_open(&opts, 1);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *json = gn_transparency_json(e, period, &err);
    gn_engine_close(e);
    if (!json) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return err.code == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    puts(json);
    gn_free(json);
    return GN_EXIT_OK;
}
