/* Speed of the event JSON parser (src/core/json.c) against jansson's
 * json_loadb, on one core, over the lines of a JSON Lines file:
 *
 *   build/bench/bench_json FILE [--runs N]
 *
 * Each run parses every line with both (alternating, so drift in the machine
 * hits both alike); the medians over the runs are printed, MB/s and ns per
 * event, and the best run (what the code does when the shared machine lets
 * it). Both must accept the same lines, so a parser that skips work shows. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "core/json.h"

typedef struct line {
    const char *text;
    size_t len;
} line;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, by_value);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0, got;
    char *data = malloc(cap);
    while (data && (got = fread(data + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) data = realloc(data, cap *= 2);
    }
    fclose(f);
    *size = n;
    return data;
}

static void cpu_model(char *out, size_t cap)
{
    snprintf(out, cap, "unknown");
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f) return;
    char row[256];
    while (fgets(row, sizeof row, f))
        if (!strncmp(row, "model name", 10) && strchr(row, ':')) {
            snprintf(out, cap, "%s", strchr(row, ':') + 2);
            out[strcspn(out, "\n")] = 0;
            break;
        }
    fclose(f);
}

int main(int argc, char **argv)
{
    bench_help(
        argc, argv,
        "usage: bench_json FILE.jsonl [--runs N]\nSee bench/README.md for what it measures.");
    const char *path = NULL;
    int runs = 7;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else
            path = argv[i];
    }
    if (!path || runs < 1) {
        fprintf(stderr, "usage: bench_json FILE.jsonl [--runs N]\n");
        return 2;
    }
    size_t size;
    char *data = read_file(path, &size);
    if (!data) {
        fprintf(stderr, "bench_json: cannot read %s\n", path);
        return 1;
    }
    size_t n_lines = 0, cap = 1024, bytes = 0;
    line *lines = malloc(cap * sizeof *lines);
    for (char *p = data, *end = data + size; p < end;) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (len) {
            if (n_lines == cap) lines = realloc(lines, (cap *= 2) * sizeof *lines);
            lines[n_lines++] = (line){p, len};
            bytes += len;
        }
        p += len + 1;
    }
    if (!n_lines) {
        fprintf(stderr, "bench_json: no lines in %s\n", path);
        return 1;
    }

    double *ours = malloc((size_t)runs * sizeof *ours),
           *theirs = malloc((size_t)runs * sizeof *theirs);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    size_t ours_ok = 0, theirs_ok = 0, members = 0;
    for (int r = 0; r < runs; r++) {
        gn_error err;
        ours_ok = theirs_ok = members = 0;
        double t0 = now();
        for (size_t i = 0; i < n_lines; i++) {
            const gn_json *root = gn_json_parse(&doc, lines[i].text, lines[i].len, &err);
            if (root) {
                ours_ok++;
                members += gn_json_size(root);
            }
        }
        double t1 = now();
        for (size_t i = 0; i < n_lines; i++) {
            json_t *root = json_loadb(lines[i].text, lines[i].len,
                                      JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
            if (root) {
                theirs_ok++;
                json_decref(root);
            }
        }
        double t2 = now();
        ours[r] = t1 - t0;
        theirs[r] = t2 - t1;
    }
    gn_json_doc_free(&doc);
    if (ours_ok != theirs_ok) {
        fprintf(stderr, "bench_json: the parsers disagree: %zu vs %zu lines accepted\n", ours_ok,
                theirs_ok);
        return 1;
    }

    double t_ours = median(ours, runs), t_theirs = median(theirs, runs);
    double best_ours = ours[0], best_theirs = theirs[0]; /* sorted by median() */
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    printf("bench_json: %s: %zu events, %.1f MB, %.0f bytes/event on average; %zu accepted by "
           "both, %zu members at the top\n",
           path, n_lines, (double)bytes / 1e6, (double)bytes / (double)n_lines, ours_ok, members);
    printf("  %d runs, medians; one core of %ld (%s); %s, jansson %s\n", runs,
           sysconf(_SC_NPROCESSORS_ONLN), cpu, "cc " __VERSION__, JANSSON_VERSION);
    printf("  %-20s median %6.0f MB/s %7.0f ns/event; best %6.0f MB/s %7.0f ns/event\n",
           "gn_json_parse", (double)bytes / t_ours / 1e6, t_ours / (double)n_lines * 1e9,
           (double)bytes / best_ours / 1e6, best_ours / (double)n_lines * 1e9);
    printf("  %-20s median %6.0f MB/s %7.0f ns/event; best %6.0f MB/s %7.0f ns/event\n",
           "jansson json_loadb", (double)bytes / t_theirs / 1e6, t_theirs / (double)n_lines * 1e9,
           (double)bytes / best_theirs / 1e6, best_theirs / (double)n_lines * 1e9);
    printf("  speed-up %.1fx (medians), %.1fx (best)\n", t_theirs / t_ours,
           best_theirs / best_ours);
    free(ours);
    free(theirs);
    free(lines);
    free(data);
    return 0;
}
