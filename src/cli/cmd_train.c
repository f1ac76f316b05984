/* genuine train: learns a candidate model from the labels so far, compares
 * it with the scorer now live on the most recent labels and puts it live only
 * if it is no worse; prints the comparison as one JSON line. --history prints
 * every version trained, promoted or not. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_train(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    int history = argc == 2 && strcmp(argv[1], "--history") == 0;
    if (argc != 1 && !history)
        return gn_cli_usage("usage: genuine train [--db PATH] [--config PATH] [--history]");
    gn_engine *e = gn_cli_open(&opts, history);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    if (history) {
        char *json = gn_models_json(e, &err);
        gn_engine_close(e);
        if (!json) {
            fprintf(stderr, "genuine: %s\n", err.message);
            return GN_EXIT_FAIL;
        }
        printf("%s\n", json);
        gn_free(json);
        return GN_EXIT_OK;
    }
    gn_train_report r;
    int rc = gn_train(e, &r, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    printf("%s\n", r.json);
    return GN_EXIT_OK;
}
