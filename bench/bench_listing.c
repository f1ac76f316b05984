/* The listing path's small parts, one at a time, over the listings of a
 * corpus: decoding an event, the MinHash fingerprint of its text, and the
 * decision's number formatting. Each prints CPU ns per listing (median of
 * the runs) and a checksum of what it computed, so a faster version can be
 * shown to compute the same.
 *
 *   build/bench/bench_listing FILE.jsonl [--runs N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "core/event.h"
#include "core/format.h"
#include "detect/minhash.h"

typedef struct listing_text {
    char *title, *description;
} listing_text;

static uint64_t mix_in(uint64_t sum, uint64_t v)
{
    return (sum ^ v) * 0x100000001b3ULL + 1;
}

int main(int argc, char **argv)
{
    bench_help(
        argc, argv,
        "usage: bench_listing FILE.jsonl [--runs N]\nSee bench/README.md for what it measures.");
    if (argc < 2) {
        fprintf(stderr, "usage: bench_listing FILE.jsonl [--runs N]\n");
        return 2;
    }
    int runs = 5;
    if (argc >= 4 && strcmp(argv[2], "--runs") == 0) runs = atoi(argv[3]);
    if (runs < 1 || runs > 99) return 2;
    FILE *f = fopen(argv[1], "rb");
    if (!f) {
        perror(argv[1]);
        return 1;
    }
    size_t n = 0, cap = 1024;
    char **lines = malloc(cap * sizeof *lines);
    size_t *lens = malloc(cap * sizeof *lens);
    listing_text *texts = malloc(cap * sizeof *texts);
    char *line = NULL;
    size_t line_cap = 0;
    ssize_t got;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    while ((got = getline(&line, &line_cap, f)) > 0) {
        if (!strstr(line, "\"type\":\"listing\"")) continue;
        gn_event ev;
        gn_error err;
        if (gn_event_decode(&doc, line, (size_t)got, &ev, &err)) continue;
        if (n == cap) {
            cap *= 2;
            lines = realloc(lines, cap * sizeof *lines);
            lens = realloc(lens, cap * sizeof *lens);
            texts = realloc(texts, cap * sizeof *texts);
        }
        const char *d = gn_event_str(&ev, "description");
        texts[n] = (listing_text){strdup(gn_event_str(&ev, "title")), strdup(d ? d : "")};
        lines[n] = strdup(line);
        lens[n++] = (size_t)got;
    }
    free(line);
    fclose(f);
    printf("bench_listing: %s, %zu listing events, %d runs, CPU ns per listing: median (best)\n",
           argv[1], n, runs);

    double t[99], median;
    uint64_t sum = 0;
    for (int r = 0; r < runs; r++) {
        sum = 0;
        double c0 = thread_cpu_now();
        for (size_t i = 0; i < n; i++) {
            gn_event ev;
            gn_error err;
            if (gn_event_decode(&doc, lines[i], lens[i], &ev, &err)) return 1;
            sum = mix_in(sum, (uint64_t)gn_event_num(&ev, "price", 0));
            sum = mix_in(sum, strlen(gn_event_str(&ev, "seller")));
        }
        t[r] = (thread_cpu_now() - c0) / (double)n * 1e9;
    }
    median = percentile(t, (size_t)runs, 0.5); /* sorts t: t[0] is the best */
    printf("  decode    %8.1f (%.1f) ns   checksum %016llx\n", median, t[0],
           (unsigned long long)sum);

    /* In the engine a listing's text was just parsed: it is in the cache.
     * So texts are fingerprinted 256 at a time, each group 8 times (the
     * first pass warms it), and the last 7 passes are timed. */
    for (int r = 0; r < runs; r++) {
        sum = 0;
        double spent = 0;
        for (size_t from = 0; from < n; from += 256) {
            size_t to = from + 256 < n ? from + 256 : n;
            for (int pass = 0; pass < 8; pass++) {
                double c0 = thread_cpu_now();
                for (size_t i = from; i < to; i++) {
                    gn_minhash fp;
                    int rc = gn_minhash_text(texts[i].title, texts[i].description, &fp);
                    if (pass) continue;
                    sum = mix_in(sum, (uint64_t)rc);
                    for (int k = 0; k < GN_MINHASH_K; k++)
                        sum = mix_in(sum, fp.min[k]);
                }
                if (pass) spent += thread_cpu_now() - c0;
            }
        }
        t[r] = spent / 7 / (double)n * 1e9;
    }
    median = percentile(t, (size_t)runs, 0.5); /* sorts t: t[0] is the best */
    printf("  minhash   %8.1f (%.1f) ns   checksum %016llx\n", median, t[0],
           (unsigned long long)sum);
    /* A decision's numbers: the score, three reasons' weights, a price detail. */
    for (int r = 0; r < runs; r++) {
        sum = 0;
        char out[256];
        double c0 = thread_cpu_now();
        for (size_t i = 0; i < n; i++) {
            double x = (double)lens[i] / 4096.0;
            int w = gn_format(out, sizeof out, "\"score\":%.4g", x);
            for (int k = 1; k <= 3; k++)
                w += gn_format(out, sizeof out, "\"weight\":%.3g", x * k);
            w += gn_format(out, sizeof out, "price %.2f %s is %.0f%% of %.2f", x * 1000, "USD",
                           x * 100, (double)i);
            sum = mix_in(sum, (uint64_t)w + (unsigned char)out[10]);
        }
        t[r] = (thread_cpu_now() - c0) / (double)n * 1e9;
    }
    median = percentile(t, (size_t)runs, 0.5); /* sorts t: t[0] is the best */
    printf("  format    %8.1f (%.1f) ns   checksum %016llx\n", median, t[0],
           (unsigned long long)sum);
    gn_json_doc_free(&doc);
    return 0;
}
