/* genuine demo: loads a marketplace (examples/marketplace.jsonl by default)
 * into a fresh store, prints what was decided with a few example reasons, and
 * serves the HTTP API on localhost until interrupted. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "media/photos.h"
#include "http/console.h"
#include "http/server.h"

#define DEMO_USAGE                                                                                 \
    "usage: genuine demo [--db PATH] [--config PATH] [--listen HOST:PORT] [--no-serve] [FILE]"

static long count_of(json_t *obj, const char *key)
{
    return (long)json_integer_value(json_object_get(obj, key));
}

static void print_summary(gn_engine *e)
{
    gn_error err;
    char *text = gn_summary_json(e, &err);
    json_t *summary = text ? json_loads(text, 0, NULL) : NULL;
    gn_free(text);
    if (!summary) {
        fprintf(stderr, "genuine: summary: %s\n", err.message);
        return;
    }
    json_t *status = json_object_get(summary, "listings_by_status");
    printf("listings: %ld allowed (live), %ld held for review, %ld blocked\n",
           count_of(status, "live"), count_of(status, "held"), count_of(status, "blocked"));
    printf("example reasons:\n");
    size_t i, j;
    json_t *ex, *reason;
    json_array_foreach(json_object_get(summary, "examples"), i, ex)
    {
        printf("  %s  %s  score %.2f\n", json_string_value(json_object_get(ex, "listing")),
               json_string_value(json_object_get(ex, "action")),
               json_number_value(json_object_get(ex, "score")));
        json_array_foreach(json_object_get(ex, "reasons"), j, reason)
            printf("    %-26s %s\n", json_string_value(json_object_get(reason, "code")),
                   json_string_value(json_object_get(reason, "detail")));
    }
    json_decref(summary);
}

int gn_cmd_demo(int argc, char **argv)
{
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    /* The demo's marketplace keeps its own, past, event time: on the wall
     * clock every notice window in it would close at once. */
    gn_console console = {gn_console_files, gn_console_n_files, NULL};
    gn_http_options http = {.no_auth = 1, .no_clock = 1, .console = &console};
    const char *file = "examples/marketplace.jsonl";
    int serve = 1;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc)
            http.listen = argv[++i];
        else if (strcmp(argv[i], "--no-serve") == 0)
            serve = 0;
        else if (argv[i][0] != '-')
            file = argv[i];
        else
            return gn_cli_usage("demo: unexpected argument '%s'\n%s", argv[i], DEMO_USAGE);
    }
    gn_error err;
    if (serve && gn_http_check_options(&http, &err)) return gn_cli_usage("%s", err.message);
    FILE *in = fopen(file, "rb");
    if (!in) {
        perror(file);
        return GN_EXIT_FAIL;
    }
    if (!opts.policy && access("policy/default.lua", R_OK) == 0) opts.policy = "policy/default.lua";
    /* A fresh store each time unless one is named, so the demo always shows the same. */
    char dir[] = "/tmp/genuine-demo-XXXXXX", db[64];
    if (!opts.db) {
        if (!mkdtemp(dir)) {
            perror("mkdtemp");
            fclose(in);
            return GN_EXIT_FAIL;
        }
        snprintf(db, sizeof db, "%s/demo.db", dir);
        opts.db = db;
    }
    gn_engine *e = gn_cli_open(&opts, 0);
    unsigned long counts[3] = {0};
    gn_photos photos;
    int rc = !e ? GN_ESTORE : gn_cli_photos_open(&opts, NULL, &photos) ? GN_EINPUT : 0;
    int have_photos = !rc;
    if (!rc) rc = gn_cli_ingest_stream(e, &photos, in, file, counts);
    if (have_photos) http.photos = &photos;
    fclose(in);
    if (!rc) {
        printf("genuine demo: %s into %s: %lu events accepted, %lu duplicates, %lu rejected\n",
               file, opts.db, counts[GN_ACCEPTED], counts[GN_DUPLICATE], counts[GN_REJECTED]);
        print_summary(e);
        printf("every other command reads this store with --db %s\n", opts.db);
        fflush(stdout);
        if (serve) {
            const char *port =
                http.listen && strrchr(http.listen, ':') ? strrchr(http.listen, ':') + 1 : "8080";
            printf("the console: http://localhost:%s/   try: curl -s localhost:%s/v1/listings/<id>"
                   "   (Ctrl-C stops)\n",
                   port, port);
            fflush(stdout);
            rc = gn_http_serve(e, &http, &err);
            if (rc) fprintf(stderr, "genuine: %s\n", err.message);
        }
    }
    if (have_photos) gn_photos_close(&photos);
    gn_engine_close(e);
    return rc ? GN_EXIT_FAIL : GN_EXIT_OK;
}
