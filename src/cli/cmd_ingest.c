/* genuine ingest FILE|- : JSON Lines in, one summary line out. Rejected lines
 * are reported on stderr as "LINE: reason" (control characters escaped, so a
 * value cannot start a line of its own) and the rest are kept, and so is
 * what could not be checked on an accepted listing (a failing policy rule, a
 * photo that could not be had) as "LINE: listing ID: note"; events are
 * committed in batches, and the summary is printed only once all are durable.
 * Photos by url or path are hashed before each event enters the engine
 * (media/photos.h): the operator's `path` may name any regular file, or only
 * files under --image-dir DIR when that is given. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/config.h"
#include "core/csv.h"
#include "media/photos.h"

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

int gn_cli_ingest_stream(gn_engine *e, const gn_photos *photos, FILE *in, const char *name,
                         unsigned long counts[3])
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
        char *resolved = NULL;
        size_t resolved_len = 0;
        if (photos && (rc = gn_photos_resolve(photos, GN_PHOTOS_OPERATOR, NULL, line, (size_t)n,
                                              &resolved, &resolved_len, &err)))
            break;
        gn_result res;
        rc = resolved ? gn_ingest(e, resolved, resolved_len, &res, &err)
                      : gn_ingest(e, line, (size_t)n, &res, &err);
        free(resolved);
        if (rc) break;
        counts[res.outcome]++;
        if (res.outcome == GN_REJECTED) { /* the reason quotes the sender's values: one line */
            fprintf(stderr, "%lu: ", line_no);
            gn_put_escaped(stderr, res.error);
            fputc('\n', stderr);
        }
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

int gn_cli_photos_open(const gn_cli_common *opts, const char *image_dir, gn_photos *out)
{
    gn_config cfg;
    gn_error err;
    gn_photo_options options;
    if (gn_config_load(&cfg, opts->config, &err) == 0) {
        gn_photo_options_from_config(&cfg, &options);
        if (gn_photos_open(out, &options, image_dir, &err) == 0) return 0;
    }
    fprintf(stderr, "genuine: %s\n", err.message);
    return -1;
}

int gn_cmd_ingest(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *image_dir = NULL;
    for (int i = 1; i + 1 < argc; i++)
        if (strcmp(argv[i], "--image-dir") == 0) {
            image_dir = argv[i + 1];
            memmove(argv + i, argv + i + 2, sizeof *argv * (size_t)(argc - i - 1));
            argc -= 2;
            break;
        }
    if (argc != 2)
        return gn_cli_usage(
            "usage: genuine ingest [--db PATH] [--config PATH] [--image-dir DIR] FILE|-");
    gn_photos photos;
    if (gn_cli_photos_open(&opts, image_dir, &photos)) return GN_EXIT_FAIL;
    FILE *in = strcmp(argv[1], "-") == 0 ? stdin : fopen(argv[1], "rb");
    if (!in) {
        perror(argv[1]);
        gn_photos_close(&photos);
        return GN_EXIT_FAIL;
    }
    gn_engine *e = gn_cli_open(&opts, 0);
    unsigned long counts[3] = {0};
    int rc = e ? gn_cli_ingest_stream(e, &photos, in, argv[1], counts) : GN_ESTORE;
    gn_photos_close(&photos);
    if (in != stdin) fclose(in);
    gn_engine_close(e);
    if (rc) return GN_EXIT_FAIL;
    printf("{\"accepted\":%lu,\"duplicates\":%lu,\"rejected\":%lu}\n", counts[GN_ACCEPTED],
           counts[GN_DUPLICATE], counts[GN_REJECTED]);
    return GN_EXIT_OK;
}
