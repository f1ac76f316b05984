/* genuine ingest FILE|- : JSON Lines in, one summary line out. Rejected lines
 * are reported on stderr as "LINE: reason" and the rest are kept, and so is
 * what could not be checked on an accepted listing (a failing policy rule, a
 * photo that could not be had) as "LINE: listing ID: note"; events are
 * committed in batches, and the summary is printed only once all are durable. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

#define BATCH 20000

/* A decision's notes, one stderr line each. They are JSON strings already
 * escaped in the decision, so a note cannot forge a line. */
static void print_notes(unsigned long line_no, const char *decision)
{
    if (!decision || !strstr(decision, ",\"notes\":[")) return;
    json_t *d = json_loads(decision, 0, NULL);
    const char *listing = json_string_value(json_object_get(d, "listing"));
    size_t i;
    json_t *note;
    json_array_foreach(json_object_get(d, "notes"), i, note)
    {
        char *text = json_dumps(note, JSON_ENCODE_ANY);
        fprintf(stderr, "%lu: listing %s: note %s\n", line_no, listing ? listing : "?",
                text ? text : "?");
        free(text);
    }
    json_decref(d);
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

int gn_cli_ingest_stream(gn_engine *e, FILE *in, const char *name, unsigned long counts[3])
{
    unsigned long line_no = 0, pending = 0;
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    gn_error err = {0};
    int rc = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        line_no++;
        if (blank(line, (size_t)n)) continue;
        gn_result res;
        if ((rc = gn_ingest(e, line, (size_t)n, &res, &err))) break;
        counts[res.outcome]++;
        if (res.outcome == GN_REJECTED) fprintf(stderr, "%lu: %s\n", line_no, res.error);
        print_notes(line_no, res.decision_json);
        if (++pending == BATCH) {
            if ((rc = gn_commit(e, &err))) break;
            pending = 0;
        }
    }
    free(line);
    if (!rc && ferror(in)) {
        fprintf(stderr, "genuine: reading %s failed at line %lu\n", name, line_no);
        return GN_ESTORE;
    }
    if (!rc) rc = gn_commit(e, &err);
    if (rc) fprintf(stderr, "genuine: %s: line %lu: %s\n", name, line_no, err.message);
    return rc;
}

int gn_cmd_ingest(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    if (argc != 2) return gn_cli_usage("usage: genuine ingest [--db PATH] [--config PATH] FILE|-");
    FILE *in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        return GN_EXIT_FAIL;
    }
    gn_engine *e = gn_cli_open(&opts, 0);
    unsigned long counts[3] = {0};
    int rc = e ? gn_cli_ingest_stream(e, in, argv[1], counts) : GN_ESTORE;
    if (in != stdin) fclose(in);
    gn_engine_close(e);
    if (rc) return GN_EXIT_FAIL;
    printf("{\"accepted\":%lu,\"duplicates\":%lu,\"rejected\":%lu}\n", counts[GN_ACCEPTED],
           counts[GN_DUPLICATE], counts[GN_REJECTED]);
    return GN_EXIT_OK;
}
