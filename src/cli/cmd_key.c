/* genuine key add --role ROLE [--account ID]: issues an API key for the HTTP
 * API and prints it once; only its hash is stored. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int gn_cmd_key(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *role = NULL, *account = NULL;
    if (argc < 2 || strcmp(argv[1], "add") != 0)
        return gn_cli_usage("usage: genuine key add --role ROLE [--account ID] [--db PATH]");
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--account") == 0 && i + 1 < argc)
            account = argv[++i];
        else
            return gn_cli_usage("key add: unexpected argument '%s'", argv[i]);
    }
    if (!role)
        return gn_cli_usage(
            "key add needs --role (platform, reviewer, rights_holder, seller, shopper)");
    gn_engine *e = gn_cli_open(&opts, 0);
    if (!e) return GN_EXIT_FAIL;
    char key[65];
    gn_error err;
    int rc = gn_key_issue(e, role, account, key, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    printf("%s\n", key);
    return GN_EXIT_OK;
}
