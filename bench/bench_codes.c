/* bench_codes: authenticity codes (docs/codes.md, issue 18's figures).
 *   issue    a batch of --count codes (default 10,000,000) through the
 *            engine (a code_batch event: derived, tagged, into the table,
 *            committed) and printed one a line to /dev/null, as `genuine
 *            codes issue` does; the table's bytes per code
 *   verify   --verifies codes (default 1,000,000) through gn_code_verify_json,
 *            in process, genuine ones and never-issued ones
 *   http     POST /v1/verify flat out for --seconds over --connections
 *            keep-alive connections to a server started in this process
 *            (each genuine code is logged as a scan and committed)
 *   bench_codes [--count N] [--verifies N] [--seconds S] [--connections C] */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bench.h"
#include "codes/codes.h"
#include "engine/codes.h"
#include "genuine.h"
#include "http/server.h"

#define USAGE                                                                                      \
    "usage: bench_codes [--count N] [--verifies N] [--seconds S] [--connections C]\n"              \
    "  issue N codes in process (and print them to /dev/null), verify in process, then\n"          \
    "  POST /v1/verify over HTTP to a server of its own; prints the figures"

static void die(const char *what, const gn_error *err)
{
    fprintf(stderr, "bench_codes: %s: %s\n", what, err ? err->message : "failed");
    exit(1);
}

static void feed(gn_engine *e, const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(e, json, strlen(json), &res, &err)) die("ingest", &err);
    if (res.outcome != GN_ACCEPTED) {
        fprintf(stderr, "bench_codes: rejected: %s\n", res.error ? res.error : json);
        exit(1);
    }
}

/* ---- HTTP ---- */

typedef struct client {
    struct sockaddr_in to;
    char (*codes)[GN_CODE_TEXT_MAX];
    size_t n_codes;
    double until;
    unsigned long done, failed;
    unsigned seed;
} client;

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Reads one reply (headers and a Content-Length body); its status, or -1. */
static int read_reply(int fd, char *buf, size_t cap)
{
    size_t have = 0;
    for (;;) {
        ssize_t r = recv(fd, buf + have, cap - 1 - have, 0);
        if (r <= 0) return -1;
        have += (size_t)r;
        buf[have] = 0;
        char *end = strstr(buf, "\r\n\r\n");
        if (!end) continue;
        char *cl = strcasestr(buf, "Content-Length:");
        size_t body = cl ? strtoul(cl + 15, NULL, 10) : 0;
        size_t total = (size_t)(end + 4 - buf) + body;
        while (have < total) {
            r = recv(fd, buf + have, cap - 1 - have, 0);
            if (r <= 0) return -1;
            have += (size_t)r;
        }
        return atoi(buf + 9);
    }
}

static void *run_client(void *arg)
{
    client *c = arg;
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(fd, (struct sockaddr *)&c->to, sizeof c->to) != 0) {
        c->failed++;
        close(fd);
        return NULL;
    }
    char req[512], reply[8192], body[96];
    while (now() < c->until) {
        c->seed = c->seed * 1103515245u + 12345u;
        const char *code = c->codes[(c->seed >> 8) % c->n_codes];
        int n = snprintf(body, sizeof body, "{\"code\":\"%s\",\"country\":\"FR\"}", code);
        int m = snprintf(req, sizeof req,
                         "POST /v1/verify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: "
                         "application/json\r\nContent-Length: %d\r\n\r\n%s",
                         n, body);
        if (send_all(fd, req, (size_t)m) || read_reply(fd, reply, sizeof reply) != 200) {
            c->failed++;
            break;
        }
        c->done++;
    }
    close(fd);
    return NULL;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv, USAGE);
    long count = 10000000, verifies = 1000000, connections = 2;
    double seconds = 5;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--count") == 0)
            count = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--verifies") == 0)
            verifies = atol(argv[i + 1]);
        else if (strcmp(argv[i], "--seconds") == 0)
            seconds = atof(argv[i + 1]);
        else if (strcmp(argv[i], "--connections") == 0)
            connections = atol(argv[i + 1]);
        else {
            fputs(USAGE "\n", stderr);
            return 2;
        }
    }
    char dir[] = "/tmp/bench-codes-XXXXXX", db[64], cmd[96];
    if (!mkdtemp(dir)) return 1;
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine_options o = {.db_path = db};
    gn_engine *e;
    gn_error err;
    if (gn_engine_open(&e, &o, &err)) die("open", &err);
    feed(e, "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"acme\","
            "\"name\":\"Acme\"}");
    char batch[256];
    snprintf(batch, sizeof batch,
             "{\"type\":\"code_batch\",\"id\":\"cb\",\"at\":\"2026-01-01T00:00:00Z\","
             "\"batch\":\"B-1\",\"brand\":\"acme\",\"sku\":\"A-1\",\"count\":%ld}",
             count);

    /* issue */
    double t0 = now(), c0 = cpu_now();
    feed(e, batch);
    if (gn_commit(e, &err)) die("commit", &err);
    double t1 = now();
    FILE *null = fopen("/dev/null", "w");
    if (gn_batch_codes_write(e, "B-1", null, NULL, NULL, &err)) die("write", &err);
    fclose(null);
    double t2 = now(), c2 = cpu_now();
    printf("issue: %ld codes in %.2f s (%.2f s into the table, %.2f s printed), %.2f s CPU, "
           "%.0f codes/s\n",
           count, t2 - t0, t1 - t0, t2 - t1, c2 - c0, count / (t2 - t0));
    printf("memory: %.1f bytes per code in the table (%zu slots of %zu bytes)\n",
           gn_code_table_bytes_per_code(&gn_engine_codes_of(e)->table),
           gn_engine_codes_of(e)->table.mask + 1, sizeof(gn_code_slot));

    /* verify in process: codes drawn across the batch, half never issued */
    size_t sample = 100000;
    char(*codes)[GN_CODE_TEXT_MAX] = malloc(sample * sizeof *codes);
    for (size_t i = 0; i < sample; i++) {
        gn_code c;
        gn_codes_derive(&gn_engine_codes_of(e)->key, "B-1", (uint64_t)(i * 7919) % (uint64_t)count,
                        &c);
        if (i % 2) c.bits[3] ^= 0x5a; /* never issued (and almost surely no typo) */
        gn_code_format(&c, codes[i]);
    }
    t0 = now();
    c0 = cpu_now();
    long genuine = 0;
    for (long i = 0; i < verifies; i++) {
        char *json = gn_code_verify_json(e, codes[i % sample], &err);
        if (!json) die("verify", &err);
        genuine += strstr(json, "\"genuine\"") != NULL;
        gn_free(json);
    }
    t1 = now();
    c2 = cpu_now();
    printf("verify in process: %ld codes in %.2f s, %.0f codes/s (%.2f us CPU each; %ld "
           "genuine)\n",
           verifies, t1 - t0, verifies / (t1 - t0), (c2 - c0) / verifies * 1e6, genuine);

    /* over HTTP: genuine codes only (each logged and committed) */
    for (size_t i = 0; i < sample; i++) {
        gn_code c;
        gn_codes_derive(&gn_engine_codes_of(e)->key, "B-1", (uint64_t)(i * 7919) % (uint64_t)count,
                        &c);
        gn_code_format(&c, codes[i]);
    }
    gn_http_options ho = {
        .listen = "127.0.0.1:0", .no_clock = 1, .verify_per_minute = 1e12, .threads = 2};
    gn_http_server *s;
    if (gn_http_start(&s, e, &ho, &err)) die("serve", &err);
    client *clients = calloc((size_t)connections, sizeof *clients);
    pthread_t *threads = calloc((size_t)connections, sizeof *threads);
    t0 = now();
    for (long i = 0; i < connections; i++) {
        clients[i].to.sin_family = AF_INET;
        clients[i].to.sin_port = htons((uint16_t)gn_http_port(s));
        clients[i].to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        clients[i].codes = codes;
        clients[i].n_codes = sample;
        clients[i].until = t0 + seconds;
        clients[i].seed = (unsigned)i * 2654435761u + 1;
        pthread_create(&threads[i], NULL, run_client, &clients[i]);
    }
    unsigned long done = 0, failed = 0;
    for (long i = 0; i < connections; i++) {
        pthread_join(threads[i], NULL);
        done += clients[i].done;
        failed += clients[i].failed;
    }
    t1 = now();
    gn_http_stop(s);
    printf("verify over HTTP: %lu requests in %.2f s over %ld connections, %.0f verifications/s "
           "(%lu failed)\n",
           done, t1 - t0, connections, done / (t1 - t0), failed);
    free(clients);
    free(threads);
    free(codes);
    gn_engine_close(e);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return failed ? 1 : 0;
}
