/* The sweep after a ban: a cluster of linked sellers with 10,000 live
 * listings, then one member banned; the figure is the time from the verdict
 * event to every listing of the cluster re-decided and the decisions
 * committed to the store.
 *
 *   build/bench/bench_sweep [--sellers N] [--listings-per-seller N] [--runs N]
 *
 * Each run builds a fresh store in a temporary directory. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "genuine.h"

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_sweep [--sellers N] [--listings-per-seller N] [--runs N]\nSee "
               "bench/README.md for what it measures.");
    int sellers = 100, per_seller = 100, runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--sellers") == 0)
            sellers = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--listings-per-seller") == 0)
            per_seller = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
    }
    if (sellers < 2 || per_seller < 1 || runs < 1 || runs > 20) return 2;
    double took[20];
    char json[1024];
    for (int r = 0; r < runs; r++) {
        bench_store store;
        gn_engine *e = bench_store_open(&store, "bench_sweep");
        gn_error err;
        bench_feed(
            e, "bench_sweep",
            "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"acme\","
            "\"name\":\"Acmeworks\",\"reference_prices\":[{\"category\":\"tools\",\"price\":100,"
            "\"currency\":\"USD\"}]}");
        /* A chain of sellers, each sharing a device with the next: one cluster. */
        for (int s = 0; s < sellers; s++) {
            snprintf(json, sizeof json,
                     "{\"type\":\"seller\",\"id\":\"s%d\",\"at\":\"2024-01-01T00:00:00Z\","
                     "\"seller\":\"S%d\","
                     "\"name\":\"Shop %d\",\"template\":\"custom\"}",
                     s, s, s);
            bench_feed(e, "bench_sweep", json);
            for (int d = 0; d < 2; d++) {
                snprintf(json, sizeof json,
                         "{\"type\":\"session\",\"id\":\"x%d-%d\",\"at\":\"2026-01-01T00:00:00Z\","
                         "\"account\":\"S%d\",\"device\":\"dev-%d\"}",
                         s, d, s, s + d);
                bench_feed(e, "bench_sweep", json);
            }
            for (int l = 0; l < per_seller; l++) {
                snprintf(json, sizeof json,
                         "{\"type\":\"listing\",\"id\":\"l%d-%d\",\"at\":\"2026-11-01T00:00:00Z\","
                         "\"listing\":\"L%d-%d\",\"seller\":\"S%d\",\"title\":\"Acmeworks cordless "
                         "drill "
                         "model %d\",\"description\":\"A cordless drill with two batteries, a "
                         "charger and a "
                         "case; torque settings, LED light, belt clip. Ships in two "
                         "days.\",\"price\":95,"
                         "\"currency\":\"USD\",\"category\":\"tools\"}",
                         s, l, s, l, s, l);
                bench_feed(e, "bench_sweep", json);
            }
        }
        if (gn_commit(e, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        double t0 = now();
        bench_feed(
            e, "bench_sweep",
            "{\"type\":\"verdict\",\"id\":\"ban\",\"at\":\"2026-11-20T00:00:00Z\",\"subject\":"
            "\"seller\","
            "\"target\":\"S0\",\"outcome\":\"banned\",\"reviewer\":\"r1\"}");
        if (gn_commit(e, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        took[r] = now() - t0;
        char *after = gn_listing_json(e, "L50-0", &err);
        if (!after || !strstr(after, "SELLER_LINKED_TO_BANNED")) {
            fprintf(stderr, "bench_sweep: the sweep did not reach L50-0: %s\n",
                    after ? after : err.message);
            return 1;
        }
        free(after);
        bench_store_close(&store, "bench_sweep");
        fprintf(stderr, "run %d: %.3f s\n", r + 1, took[r]);
    }
    double median = percentile(took, (size_t)runs, 0.5);
    printf("bench_sweep: a cluster of %d linked sellers with %d live listings; one member banned\n",
           sellers, sellers * per_seller);
    printf("  how: one thread, fresh SQLite store per run, verdict ingested and committed, %d "
           "runs, median\n",
           runs);
    printf("  verdict to recorded decisions: %.3f s (%.1f us per listing)\n", median,
           median / (sellers * per_seller) * 1e6);
    return 0;
}
