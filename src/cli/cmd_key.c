/* genuine key add|list|revoke: API keys for the HTTP API. add issues one and
 * prints it once (only its hash is stored); list shows every key by id, never
 * the key; revoke ID ends one, and a running server refuses it within a second.
 * They run beside a server: a key can be revoked without stopping it. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define ADD_USAGE "usage: genuine key add --role ROLE [--account ID] [--db PATH]"
#define LIST_USAGE "usage: genuine key list [--db PATH]"
#define REVOKE_USAGE "usage: genuine key revoke ID [--db PATH]"
#define KEY_USAGE                                                                                  \
    "usage: genuine key add|list|revoke [--db PATH]\n"                                             \
    "  key add --role ROLE [--account ID]   issue a key (printed once, on stdout; its id on\n"     \
    "                                       stderr); ROLE: platform, reviewer, rights_holder,\n"   \
    "                                       seller, shopper (the last three need --account)\n"     \
    "  key list                             every key as JSON Lines: id, role, account,\n"         \
    "                                       created, revoked (null while in force)\n"              \
    "  key revoke ID                        revoke the key with this id; a running server\n"       \
    "                                       refuses it within a second"

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) return 1;
    return 0;
}

static int key_add(gn_cli_common *opts, int argc, char **argv)
{
    const char *role = NULL, *account = NULL;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
            role = argv[++i];
        else if (strcmp(argv[i], "--account") == 0 && i + 1 < argc)
            account = argv[++i];
        else
            return gn_cli_usage("key add: unexpected argument '%s'\n%s", argv[i], ADD_USAGE);
    }
    if (!role)
        return gn_cli_usage(
            "key add needs --role (platform, reviewer, rights_holder, seller, shopper)");
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    char key[65], id[17];
    gn_error err;
    int rc = gn_key_issue(e, role, account, key, &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    gn_key_id(key, id);
    printf("%s\n", key);
    fprintf(stderr, "genuine: key %s issued (%s%s%s)\n", id, role, account ? " for " : "",
            account ? account : "");
    return GN_EXIT_OK;
}

static int key_list(gn_cli_common *opts, int argc, char **argv)
{
    if (argc != 2)
        return gn_cli_usage("key list: unexpected argument '%s'\n%s", argv[2], LIST_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_READ);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_key_list(e, stdout, &err);
    gn_engine_close(e);
    if (rc) fprintf(stderr, "genuine: %s\n", err.message);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}

static int key_revoke(gn_cli_common *opts, int argc, char **argv)
{
    if (argc != 3) return gn_cli_usage("%s", REVOKE_USAGE);
    gn_engine *e = gn_cli_open(opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    int rc = gn_key_revoke(e, argv[2], &err);
    gn_engine_close(e);
    if (rc) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return rc == GN_EINPUT ? GN_EXIT_USAGE : GN_EXIT_FAIL;
    }
    fprintf(stderr, "genuine: key %s revoked\n", argv[2]);
    return GN_EXIT_OK;
}

int gn_cmd_key(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *sub = argc >= 2 ? argv[1] : "";
    if (wants_help(argc, argv)) {
        puts(strcmp(sub, "add") == 0      ? ADD_USAGE
             : strcmp(sub, "list") == 0   ? LIST_USAGE
             : strcmp(sub, "revoke") == 0 ? REVOKE_USAGE
                                          : KEY_USAGE);
        return GN_EXIT_OK;
    }
    if (strcmp(sub, "add") == 0) return key_add(&opts, argc, argv);
    if (strcmp(sub, "list") == 0) return key_list(&opts, argc, argv);
    if (strcmp(sub, "revoke") == 0) return key_revoke(&opts, argc, argv);
    return gn_cli_usage("%s", KEY_USAGE);
}
