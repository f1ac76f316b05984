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

static void feed(gn_engine *e, const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(e, json, strlen(json), &res, &err) || res.outcome != GN_ACCEPTED) {
        fprintf(stderr, "bench_advance: %s: %s\n", json, res.error ? res.error : err.message);
        exit(1);
    }
}

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
        char dir[] = "/tmp/genuine-bench-advance-XXXXXX", db[80];
        if (!mkdtemp(dir)) return 1;
        snprintf(db, sizeof db, "%s/a.db", dir);
        gn_engine *e;
        gn_error err;
        gn_engine_options o = {.db_path = db};
        if (gn_engine_open(&e, &o, &err)) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
        double started = now();
        feed(e, "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":"
                "\"acme\",\"name\":\"Acmeworks\"}");
        feed(e, "{\"type\":\"ip_right\",\"id\":\"r\",\"at\":\"2026-01-01T00:00:00Z\",\"right\":"
                "\"TM\",\"brand\":\"acme\",\"kind\":\"trademark\",\"number\":\"EUTM 1\","
                "\"holder\":\"H\",\"jurisdiction\":\"EU\",\"classes\":[\"7\"],\"valid_until\":"
                "\"2035-01-01T00:00:00Z\"}");
        feed(e, "{\"type\":\"verdict\",\"id\":\"v\",\"at\":\"2026-01-01T00:00:00Z\",\"subject\":"
                "\"right\",\"target\":\"TM\",\"outcome\":\"verified\",\"reviewer\":\"P\"}");
        for (int i = 0; i < complaints; i++) {
            snprintf(json, sizeof json,
                     "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-01-02T00:00:00Z\","
                     "\"listing\":\"L%d\",\"seller\":\"S%d\",\"title\":\"Acmeworks drill %d\","
                     "\"price\":80,\"currency\":\"USD\"}",
                     i, i, i, i);
            feed(e, json);
            snprintf(json, sizeof json,
                     "{\"type\":\"complaint\",\"id\":\"c%d\",\"at\":\"2026-01-03T00:00:00Z\","
                     "\"complaint\":\"C%d\",\"rights_holder\":\"H\",\"right\":\"TM\","
                     "\"listings\":[\"L%d\"]}",
                     i, i, i);
            feed(e, json);
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
        gn_engine_close(e);
        printf("run %d: %d complaints open, advance closed %zu windows, took down %zu listings "
               "in %.3f s (set-up %.1f s)\n",
               r + 1, complaints, rep.deadlines, rep.removed, took[r], setup[r]);
        char cmd[160];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd)) fprintf(stderr, "bench_advance: could not remove %s\n", dir);
    }
    printf("advance past %d open complaints: median %.3f s (%zu listings taken down), %d runs\n",
           complaints, percentile(took, (size_t)runs, 0.5), removed, runs);
    return 0;
}
