/* The library from a program of one's own: open an engine on a new store,
 * give it a brand and two listings, print each listing's decision, close.
 * Build it against an installed genuine (README: using the library):
 *   cc decide.c $(pkg-config --cflags --libs genuine) -o decide && ./decide */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <genuine.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One event per line: the brand with its owner, reference price and the
 * sellers it authorises; a listing from one of them; and one from a seller
 * it never heard of, at a tenth of the price, in the lingo of fakes. */
static const char *const events[] = {
    "{\"type\":\"brand\",\"id\":\"ev-1\",\"at\":\"2026-01-05T09:00:00Z\",\"brand\":\"acme\","
    "\"name\":\"Acme\",\"owner\":\"rh-acme\",\"categories\":[\"handbags\"],"
    "\"reference_prices\":[{\"category\":\"handbags\",\"price\":1200,\"currency\":\"USD\"}],"
    "\"authorized_sellers\":[\"s-official\"]}",
    "{\"type\":\"listing\",\"id\":\"ev-2\",\"at\":\"2026-01-05T10:00:00Z\",\"listing\":\"L-1\","
    "\"seller\":\"s-official\",\"title\":\"Acme Classic Leather Handbag, Black\",\"price\":1190,"
    "\"currency\":\"USD\",\"brand\":\"acme\",\"category\":\"handbags\",\"quantity\":3,"
    "\"ship_from\":\"US\"}",
    "{\"type\":\"listing\",\"id\":\"ev-3\",\"at\":\"2026-01-05T11:00:00Z\",\"listing\":\"L-2\","
    "\"seller\":\"s-unknown\",\"title\":\"ACME replica handbag AAA 1:1 mirror quality\","
    "\"price\":95,\"currency\":\"USD\",\"brand\":\"acme\",\"category\":\"handbags\","
    "\"quantity\":500,\"ship_from\":\"CN\"}",
};

int main(int argc, char **argv)
{
    /* A store of its own, in a new directory (argv[1], or under /tmp). */
    char dir[] = "/tmp/genuine-example-XXXXXX", path[512];
    const char *where = argc > 1 ? argv[1] : mkdtemp(dir);
    if (!where) {
        perror("mkdtemp");
        return 1;
    }
    snprintf(path, sizeof path, "%s/example.db", where);

    printf("genuine %s (header %d.%d.%d)\n", gn_version(), GN_VERSION_MAJOR, GN_VERSION_MINOR,
           GN_VERSION_PATCH);
    gn_engine_options options;
    memset(&options, 0, sizeof options);
    options.db_path = path; /* config_path NULL: the shipped defaults */
    gn_engine *engine;
    gn_error err;
    if (gn_engine_open(&engine, &options, &err)) {
        fprintf(stderr, "decide: %s\n", err.message);
        return 1;
    }
    int failed = 0;
    for (size_t i = 0; i < sizeof events / sizeof *events && !failed; i++) {
        gn_result res;
        if (gn_ingest(engine, events[i], strlen(events[i]), &res, &err)) {
            fprintf(stderr, "decide: %s\n", err.message); /* the store failed */
            failed = 1;
        } else if (res.outcome == GN_REJECTED) {
            fprintf(stderr, "decide: %s rejected: %s\n", res.id, res.error);
            failed = 1;
        } else if (res.decision_json) {
            /* Valid only until the next call on the engine: print it now. */
            printf("%s %s\n", res.id, res.decision_json);
        }
    }
    if (!failed && gn_commit(engine, &err)) {
        fprintf(stderr, "decide: %s\n", err.message);
        failed = 1;
    }
    /* A read returns memory the caller owns: released with gn_free(). */
    char *listing = failed ? NULL : gn_listing_json(engine, "L-2", &err);
    if (listing)
        printf("L-2 now %s\n", listing);
    else if (!failed) {
        fprintf(stderr, "decide: %s\n", err.message);
        failed = 1;
    }
    gn_free(listing);
    gn_engine_close(engine);
    return failed;
}
