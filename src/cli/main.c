/* genuine's command line: a table of commands, each a thin client of the
 * library in its own file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

/* What a command does with the store: reads one that must exist, may create
 * one (ingest, serve, demo, key), or has none (--db, --config and --policy
 * are then said to be ignored rather than refused). */
enum { STORE_READ, STORE_CREATE, STORE_NONE };

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
    int store;
    int own_help; /* prints its own, longer usage on --help; 2: per subcommand (key add) */
} commands[] = {
    {"ingest", gn_cmd_ingest,
     "ingest [--db PATH] [--config PATH] [--image-dir DIR] FILE|-   events in, decisions made",
     STORE_CREATE, 0},
    {"decisions", gn_cmd_decisions,
     "decisions [--db PATH]                     every listing's status and latest decision",
     STORE_READ, 0},
    {"serve", gn_cmd_serve,
     "serve [--db PATH] [--listen HOST:PORT] [--no-auth] [--image-dir DIR]   the HTTP API",
     STORE_CREATE, 0},
    {"demo", gn_cmd_demo,
     "demo [--db PATH] [--listen HOST:PORT] [FILE]   load a marketplace, summarise, serve",
     STORE_CREATE, 0},
    {"simulate", gn_cmd_simulate,
     "simulate [--seed N] [--listings N] [--out FILE] [--truth FILE]   a marketplace with truth",
     STORE_NONE, 1},
    {"eval", gn_cmd_eval,
     "eval [--events FILE --truth FILE | --seed N --listings N]   detection figures", STORE_CREATE,
     0},
    {"advance", gn_cmd_advance,
     "advance [--db PATH] --to TIME              run notice deadlines up to TIME", STORE_READ, 0},
    {"show", gn_cmd_show,
     "show [--db PATH] KIND [ID]                 a complaint, right, appeal, notices, reports...",
     STORE_READ, 0},
    {"train", gn_cmd_train,
     "train [--db PATH]                         learn a model from the verdicts so far", STORE_READ,
     0},
    {"seller", gn_cmd_seller,
     "seller [--db PATH] SELLER                  a seller's risk, links and cluster", STORE_READ,
     0},
    {"remediation", gn_cmd_remediation,
     "remediation [--db PATH] [--csv]           orders on listings taken down: buyers to refund",
     STORE_READ, 0},
    {"case", gn_cmd_case,
     "case export SELLER [--db PATH] [--out DIR]   case file of a seller's cluster (JSON + HTML)",
     STORE_READ, 0},
    {"statements", gn_cmd_statements,
     "statements [--db PATH] [--since TIME]      statements of reasons (EU DSA), JSON Lines",
     STORE_READ, 0},
    {"transparency", gn_cmd_transparency,
     "transparency [--db PATH] [--period day|week|month]   the transparency report", STORE_READ, 0},
    {"audit", gn_cmd_audit,
     "audit [--db PATH] [--record KIND [--id ID]]   the audit log, JSON Lines", STORE_READ, 0},
    {"key", gn_cmd_key,
     "key add|list|revoke [--db PATH] ...          API keys: issue one, list them, revoke one",
     STORE_CREATE, 2},
    {"bank", gn_cmd_bank,
     "bank key|export|import|withdraw|status ...   photo banks shared between marketplaces",
     STORE_CREATE, 1},
    {"store", gn_cmd_store,
     "store copy [--db PATH] --to postgres://...   a SQLite store copied into PostgreSQL\n"
     "  genuine store snapshot|join [--db PATH]          the state kept for nodes to join from",
     STORE_READ, 0},
    {"codes", gn_cmd_codes,
     "codes issue|verify|export|batches|retire ...   authenticity codes (docs/codes.md)",
     STORE_READ, 1},
    {"pdq", gn_cmd_pdq,
     "pdq IMAGE...                              hex,quality,IMAGE per image (PDQ hash)", STORE_NONE,
     0},
    {"config", gn_cmd_config,
     "config                                    print the default configuration", STORE_NONE, 0},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: genuine COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  genuine %s\n", commands[i].usage);
    fprintf(out, "\nevery command also takes --db PATH (default genuine.db), or --store URL\n"
                 "(sqlite:PATH, postgres://...: docs/scale.md), --config FILE,\n"
                 "--policy FILE (Lua rules) and --lexicon DIR (word lists replacing\n"
                 "config/lexicon/*.txt); see README.md and docs/. genuine --version\n"
                 "prints the version.\n");
}

int gn_cli_usage(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("genuine: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    return GN_EXIT_USAGE;
}

int gn_cli_common_options(int argc, char **argv, gn_cli_common *opts)
{
    int out = 1;
    for (int i = 1; i < argc; i++) {
        /* --store URL names the store as --db PATH does: sqlite:PATH or postgres://... */
        const char **slot = strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--store") == 0
                                ? &opts->db
                            : strcmp(argv[i], "--config") == 0  ? &opts->config
                            : strcmp(argv[i], "--policy") == 0  ? &opts->policy
                            : strcmp(argv[i], "--lexicon") == 0 ? &opts->lexicon
                                                                : NULL;
        if (!slot) {
            argv[out++] = argv[i];
            continue;
        }
        if (i + 1 >= argc) {
            gn_cli_usage("%s needs a value", argv[i]);
            return -1;
        }
        *slot = argv[++i];
    }
    argv[out] = NULL;
    return out;
}

gn_engine *gn_cli_open(const gn_cli_common *opts, int mode)
{
    gn_engine_options o = {.db_path = opts->db ? opts->db : "genuine.db",
                           .config_path = opts->config,
                           .policy_path = opts->policy,
                           .lexicon_dir = opts->lexicon,
                           .read_only = mode == GN_OPEN_READ,
                           .shared = mode == GN_OPEN_BESIDE};
    gn_engine *e;
    gn_error err;
    if (gn_engine_open(&e, &o, &err)) {
        fprintf(stderr, "genuine: %s\n", err.message);
        return NULL;
    }
    return e;
}

int gn_cmd_config(int argc, char **argv)
{
    if (argc > 1) return gn_cli_usage("config takes no arguments");
    fputs(gn_default_config_text(), stdout);
    return GN_EXIT_OK;
}

/* The store a command names: --db PATH, else genuine.db here. */
static const char *store_path(int argc, char **argv)
{
    const char *db = "genuine.db";
    for (int i = 2; i + 1 < argc; i++)
        if (strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--store") == 0) db = argv[++i];
    return db;
}

/* The file of a SQLite store location (sqlite:PATH or PATH); NULL for a
 * PostgreSQL one. */
static const char *store_file(const char *location)
{
    if (strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0)
        return NULL;
    return strncmp(location, "sqlite:", 7) == 0 ? location + 7 : location;
}

/* A command with no store takes the common options and says it ignores
 * them, so one line of options serves every command. */
static int drop_common_options(const char *command, int argc, char **argv)
{
    int out = 2;
    for (int i = 2; i < argc; i++) {
        if ((strcmp(argv[i], "--db") == 0 || strcmp(argv[i], "--store") == 0 ||
             strcmp(argv[i], "--config") == 0 || strcmp(argv[i], "--policy") == 0 ||
             strcmp(argv[i], "--lexicon") == 0) &&
            i + 1 < argc) {
            fprintf(stderr, "genuine %s: %s is ignored (this command uses no store)\n", command,
                    argv[i]);
            i++;
            continue;
        }
        argv[out++] = argv[i];
    }
    argv[out] = NULL;
    return out;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--version") == 0) { /* the library's: what it runs */
        printf("genuine %s\n", gn_version());
        return GN_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? GN_EXIT_USAGE : GN_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
        if (strcmp(argv[1], commands[i].name) != 0) continue;
        /* --help anywhere answers before anything is opened or run. */
        for (int k = 2; k < argc; k++)
            if (strcmp(argv[k], "--help") == 0 || strcmp(argv[k], "-h") == 0) {
                if (commands[i].own_help == 2 && k > 2 && argv[2][0] != '-') {
                    char *help[] = {argv[1], argv[2], argv[k], NULL};
                    return commands[i].run(3, help);
                }
                if (commands[i].own_help) {
                    char *help[] = {argv[1], argv[k], NULL};
                    return commands[i].run(2, help);
                }
                printf("usage: genuine %s\n\n%s", commands[i].usage,
                       commands[i].store == STORE_NONE
                           ? "--db, --config, --policy and --lexicon are taken and ignored.\n"
                           : "also: --db PATH (default genuine.db) or --store URL (sqlite:PATH, "
                             "postgres://...), --config FILE, --policy FILE (Lua rules), "
                             "--lexicon DIR (word lists)\n");
                return GN_EXIT_OK;
            }
        if (commands[i].store == STORE_NONE) argc = drop_common_options(argv[1], argc, argv);
        /* A read on a store that is not there says so, and creates nothing. */
        const char *db = store_path(argc, argv);
        const char *file = store_file(db); /* NULL: PostgreSQL, it says itself */
        if (commands[i].store == STORE_READ && file && access(file, F_OK) != 0) {
            fprintf(stderr,
                    "genuine %s: no store at %s (ingest events first, or name one with --db "
                    "PATH; make demo keeps its store at build/demo/genuine.db)\n",
                    argv[1], db);
            return GN_EXIT_FAIL;
        }
        return commands[i].run(argc - 1, argv + 1);
    }
    fprintf(stderr, "genuine: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return GN_EXIT_USAGE;
}
