/* The command line's shared pieces: each command is one file with one entry
 * point, main.c dispatches. Exit codes: 0 success, 1 failure, 2 bad usage. */
#ifndef GN_CLI_CLI_H
#define GN_CLI_CLI_H

#include <stdio.h>

#include "genuine.h"

#define GN_EXIT_OK 0
#define GN_EXIT_FAIL 1
#define GN_EXIT_USAGE 2

int gn_cmd_ingest(int argc, char **argv);
int gn_cmd_decisions(int argc, char **argv);
int gn_cmd_serve(int argc, char **argv);
int gn_cmd_demo(int argc, char **argv);
int gn_cmd_key(int argc, char **argv);
int gn_cmd_config(int argc, char **argv);
int gn_cmd_pdq(int argc, char **argv);
int gn_cmd_seller(int argc, char **argv);
int gn_cmd_train(int argc, char **argv);
int gn_cmd_simulate(int argc, char **argv);
int gn_cmd_eval(int argc, char **argv);
int gn_cmd_advance(int argc, char **argv);
int gn_cmd_show(int argc, char **argv);
int gn_cmd_remediation(int argc, char **argv);
int gn_cmd_case(int argc, char **argv);
int gn_cmd_statements(int argc, char **argv);
int gn_cmd_transparency(int argc, char **argv);
int gn_cmd_audit(int argc, char **argv);
int gn_cmd_bank(int argc, char **argv);
int gn_cmd_store(int argc, char **argv);
int gn_cmd_codes(int argc, char **argv);

/* Common options: --db PATH, --config PATH, --policy FILE and --lexicon DIR, removed from
 * argv in place.
 * Returns the new argc, or -1 after printing a usage error. */
typedef struct gn_cli_common {
    const char *db;
    const char *config;
    const char *policy;
    const char *lexicon; /* --lexicon DIR: a platform's own word lists */
} gn_cli_common;
int gn_cli_common_options(int argc, char **argv, gn_cli_common *opts);

/* How a command opens the store: to write (the one writer: ingest, serve,
 * advance, train), to read the store's tables, or beside the writer (the
 * state rebuilt to read it, and API keys: show, seller, case, key). */
enum { GN_OPEN_WRITE = 0, GN_OPEN_READ = 1, GN_OPEN_BESIDE = 2 };

/* Opens the engine (mode: GN_OPEN_*) or prints why not. */
gn_engine *gn_cli_open(const gn_cli_common *opts, int mode);

/* Feeds JSON Lines from in to the engine, committing in batches: rejected
 * lines go to stderr as "LINE: reason", counts[outcome] are added up; photos
 * by url or path are first hashed by photos (NULL: left to the engine, which
 * notes them as not hashed). Returns 0 once everything is committed, or the
 * engine's error (already printed). */
struct gn_photos;
/* The photo resolver of the configuration (--config), with --image-dir DIR
 * when image_dir is not NULL; prints why not and returns -1. */
int gn_cli_photos_open(const gn_cli_common *opts, const char *image_dir, struct gn_photos *out);
int gn_cli_ingest_stream(gn_engine *e, const struct gn_photos *photos, FILE *in, const char *name,
                         unsigned long counts[3]);

int gn_cli_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
