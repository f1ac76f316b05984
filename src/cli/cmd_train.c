/* genuine train: learns a model from the reviewers' verdicts so far; later
 * decisions use it. Prints the new version and its figures on held-out
 * listings, one JSON line. */
#include <stdio.h>

#include "cli/cli.h"

int gn_cmd_train(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc != 1) return gn_cli_usage("usage: genuine train [--db PATH] [--config PATH]");
    gn_engine *e = gn_cli_open(&opts, 0);
    if (!e) return GN_EXIT_FAIL;
    gn_train_report r;
    gn_error err;
    int rc = gn_train(e, &r, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return GN_EXIT_FAIL;
    }
    printf("{\"model\":%d,\"rows\":%zu,\"counterfeit\":%zu,\"features\":%zu,\"held_out\":{\"auc\":%"
           ".4f,"
           "\"precision\":%.4f,\"recall\":%.4f,\"log_loss\":%.4f},\"seconds\":%.2f}\n",
           r.version, r.rows, r.positives, r.features, r.auc, r.precision, r.recall, r.log_loss,
           r.seconds);
    return GN_EXIT_OK;
}
