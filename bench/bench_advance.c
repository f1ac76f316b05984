/* Deadlines at scale: 100,000 open complaints, each naming one listing of
 * its own seller, all windows closing at once; the figure is the time of
 * one `advance` past them — every notice confirmed, every listing taken
 * down and recorded, strikes and audit rows written, committed.
 *
 *   build/bench/bench_advance [--complaints N] [--runs N]
 *
 * Each run builds a fresh store in a temporary directory (the set-up, about
 * one listing decision per complaint, is not timed). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench.h"
#include "genuine.h"

static void commit(gn_engine *e)
{
    gn_error err;
    if (gn_commit(e, &err)) {
        fprintf(stderr, "bench_advance: %s\n", err.message);
        exit(1);
    }
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_advance [--complaints N] [--runs N]\nSee bench/README.md for what it "
               "measures.");
    int complaints = 100000, runs = 3;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--complaints") == 0)
            complaints = atoi(argv[i + 1]);
        else if (strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[i + 1]);
    }
    if (complaints < 1 || runs < 1 || runs > 20) {
        fprintf(stderr, "usage: bench_advance [--complaints N] [--runs N]\n");
        return 2;
    }
    double took[20], setup[20];
    size_t removed = 0;
    char json[1024];
    for (int r = 0; r < runs; r++) {
        bench_store store;
        gn_engine *e = bench_store_open(&store, "bench_advance");
        gn_error err;
        double started = now();
        bench_feed(e, "bench_advance",
                   "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":"
                   "\"acme\",\"name\":\"Acmeworks\"}");
        bench_feed(e, "bench_advance",
                   "{\"type\":\"ip_right\",\"id\":\"r\",\"at\":\"2026-01-01T00:00:00Z\",\"right\":"
                   "\"TM\",\"brand\":\"acme\",\"kind\":\"trademark\",\"number\":\"EUTM 1\","
                   "\"holder\":\"H\",\"jurisdiction\":\"EU\",\"classes\":[\"7\"],\"valid_until\":"
                   "\"2035-01-01T00:00:00Z\"}");
        bench_feed(e, "bench_advance",
                   "{\"type\":\"verdict\",\"id\":\"v\",\"at\":\"2026-01-01T00:00:00Z\",\"subject\":"
                   "\"right\",\"target\":\"TM\",\"outcome\":\"verified\",\"reviewer\":\"P\"}");
        for (int i = 0; i < complaints; i++) {
            snprintf(json, sizeof json,
                     "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-01-02T00:00:00Z\","
                     "\"listing\":\"L%d\",\"seller\":\"S%d\",\"title\":\"Acmeworks drill %d\","
                     "\"price\":80,\"currency\":\"USD\"}",
                     i, i, i, i);
            bench_feed(e, "bench_advance", json);
            snprintf(json, sizeof json,
                     "{\"type\":\"complaint\",\"id\":\"c%d\",\"at\":\"2026-01-03T00:00:00Z\","
                     "\"complaint\":\"C%d\",\"rights_holder\":\"H\",\"right\":\"TM\","
                     "\"listings\":[\"L%d\"]}",
                     i, i, i);
            bench_feed(e, "bench_advance", json);
            if (i % 20000 == 19999) commit(e);
        }
        commit(e);
        setup[r] = now() - started;
        gn_advance_report rep;
        started = now();
        if (gn_advance(e, "2026-01-07T00:00:00Z", &rep, &err)) {
            fprintf(stderr, "bench_advance: %s\n", err.message);
            return 1;
        }
        took[r] = now() - started;
        removed = rep.removed;
        bench_store_close(&store, "bench_advance");
        printf("run %d: %d complaints open, advance closed %zu windows, took down %zu listings "
               "in %.3f s (set-up %.1f s)\n",
               r + 1, complaints, rep.deadlines, rep.removed, took[r], setup[r]);
    }
    printf("advance past %d open complaints: median %.3f s (%zu listings taken down), %d runs\n",
           complaints, percentile(took, (size_t)runs, 0.5), removed, runs);
    return 0;
}
