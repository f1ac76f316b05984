/* genuine's command line: a table of commands, each a thin client of the
 * library in its own file. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *usage;
} commands[] = {
    {"ingest", gn_cmd_ingest,
     "ingest [--db PATH] [--config PATH] FILE|-   events in, decisions made"},
    {"decisions", gn_cmd_decisions,
     "decisions [--db PATH]                     every listing's status and latest decision"},
    {"serve", gn_cmd_serve, "serve [--db PATH] [--listen HOST:PORT] [--no-auth]   the HTTP API"},
    {"demo", gn_cmd_demo,
     "demo [--db PATH] [--listen HOST:PORT] [FILE]   load a marketplace, summarise, serve"},
    {"simulate", gn_cmd_simulate,
     "simulate [--seed N] [--listings N] [--out FILE] [--truth FILE]   a marketplace with truth"},
    {"eval", gn_cmd_eval,
     "eval [--events FILE --truth FILE | --seed N --listings N]   detection figures"},
    {"advance", gn_cmd_advance,
     "advance [--db PATH] --to TIME              run notice deadlines up to TIME"},
    {"show", gn_cmd_show,
     "show [--db PATH] KIND [ID]                 a complaint, right, appeal, notices, reports..."},
    {"train", gn_cmd_train,
     "train [--db PATH]                         learn a model from the verdicts so far"},
    {"seller", gn_cmd_seller,
     "seller [--db PATH] SELLER                  a seller's risk, links and cluster"},
    {"remediation", gn_cmd_remediation,
     "remediation [--db PATH] [--csv]           orders on listings taken down: buyers to refund"},
    {"case", gn_cmd_case,
     "case export SELLER [--db PATH] [--out DIR]   case file of a seller's cluster (JSON + HTML)"},
    {"statements", gn_cmd_statements,
     "statements [--db PATH] [--since TIME]      statements of reasons (EU DSA), JSON Lines"},
    {"transparency", gn_cmd_transparency,
     "transparency [--db PATH] [--period day|week|month]   the transparency report"},
    {"audit", gn_cmd_audit,
     "audit [--db PATH] [--record KIND [--id ID]]   the audit log, JSON Lines"},
    {"key", gn_cmd_key, "key add --role ROLE [--account ID] [--db PATH]   issue an API key"},
    {"pdq", gn_cmd_pdq,
     "pdq IMAGE...                              hex,quality,IMAGE per image (PDQ hash)"},
    {"config", gn_cmd_config,
     "config                                    print the default configuration"},
};

static void usage(FILE *out)
{
    fprintf(out, "usage: genuine COMMAND [OPTIONS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        fprintf(out, "  genuine %s\n", commands[i].usage);
    fprintf(out, "\nevery command also takes --db PATH (default genuine.db), --config FILE and\n"
                 "--policy FILE (Lua rules); see README.md and docs/.\n");
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
        const char **slot = strcmp(argv[i], "--db") == 0       ? &opts->db
                            : strcmp(argv[i], "--config") == 0 ? &opts->config
                            : strcmp(argv[i], "--policy") == 0 ? &opts->policy
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

gn_engine *gn_cli_open(const gn_cli_common *opts, int read_only)
{
    gn_engine_options o = {.db_path = opts->db ? opts->db : "genuine.db",
                           .config_path = opts->config,
                           .policy_path = opts->policy,
                           .read_only = read_only};
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

int main(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? GN_EXIT_USAGE : GN_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (strcmp(argv[1], commands[i].name) == 0) return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "genuine: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return GN_EXIT_USAGE;
}
