/* bench_http: a small load client for `genuine serve` (it starts nothing).
 * Plain sockets, HTTP/1.1 keep-alive, one thread per connection, realistic
 * listing events of its own making. Measures listings/s in batches of 100,
 * then single-listing requests at a fixed offered rate (latency counted from
 * the scheduled send time, so a stall is not hidden) and flat out.
 *   bench_http --url http://127.0.0.1:PORT [--connections 2] [--seconds 5]
 *              [--rate 1000] [--batch 100] [--key KEY] [--only batch|rate|flat]
 *              [--slow MS]     (prints each request slower than MS, to find stalls)
 *   bench_http --url URL --get PATH [--key KEY]   one GET flat out (reads' permission cost)
 *   bench_http --auth-micro DB     cost of the key check, in process
 *   bench_http --perm-micro DB     cost of the permission checks, in process */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "bench.h"
#include "genuine.h"
#include "http/auth.h"

static void sleep_until(double t)
{
    double d = t - now();
    if (d <= 0) return;
    struct timespec ts = {(time_t)d, (long)((d - (time_t)d) * 1e9)};
    nanosleep(&ts, NULL);
}

/* ---- events ---- */

static const struct {
    const char *id, *name, *category;
    double price;
} brands[] = {
    {"rolex", "Rolex", "watch", 9000},
    {"louis-vuitton", "Louis Vuitton", "bag", 1800},
    {"nike", "Nike", "shoes", 150},
    {"apple", "Apple", "phone", 999},
    {"gucci", "Gucci", "bag", 2200},
    {"chanel", "Chanel", "perfume", 160},
    {"ray-ban", "Ray-Ban", "sunglasses", 180},
    {"canon", "Canon", "camera", 1300},
};
#define N_BRANDS (sizeof brands / sizeof *brands)

static const char *const words[] = {
    "genuine",  "leather", "classic",  "vintage",  "new",     "boxed",    "original",  "limited",
    "edition",  "black",   "gold",     "steel",    "strap",   "warranty", "receipt",   "gift",
    "premium",  "quality", "fast",     "shipping", "size",    "colour",   "model",     "authentic",
    "soft",     "durable", "everyday", "travel",   "rare",    "mint",     "condition", "collector",
    "stitched", "lining",  "zip",      "pocket",   "elegant", "modern",   "sport",     "casual"};
#define N_WORDS (sizeof words / sizeof *words)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void put_words(char *out, size_t *n, size_t cap, size_t want)
{
    while (*n < want && *n + 16 < cap) {
        const char *w = words[rnd() % N_WORDS];
        size_t len = strlen(w);
        memcpy(out + *n, w, len);
        *n += len;
        out[(*n)++] = ' ';
    }
    if (*n) (*n)--; /* no trailing space */
}

/* A listing without its id: the rest of the object, from the first comma.
 * A pool of these is made before measuring; each request adds fresh ids. */
#define N_TAILS 1000
static char *tails[N_TAILS];

static void make_tails(void)
{
    char title[256], desc[2100];
    for (int i = 0; i < N_TAILS; i++) {
        int b = (int)(rnd() % N_BRANDS), branded = rnd() % 10 < 7;
        size_t tn = 0, dn = 0;
        if (branded)
            tn =
                (size_t)snprintf(title, sizeof title, "%s %s ", brands[b].name, brands[b].category);
        put_words(title, &tn, sizeof title, tn + 20 + rnd() % 60);
        title[tn] = 0;
        put_words(desc, &dn, sizeof desc, 100 + rnd() % 1900);
        desc[dn] = 0;
        /* Most near the reference, one in ten far below: a counterfeit's price. */
        double price = brands[b].price * (rnd() % 10 == 0 ? 0.05 : 0.7 + (rnd() % 60) / 100.0);
        char *t = malloc(2600);
        snprintf(t, 2600,
                 ",\"at\":\"2026-11-22T10:%02d:%02dZ\",\"seller\":\"bs%u\",\"title\":\"%s\","
                 "\"description\":\"%s\",\"price\":%.2f,\"currency\":\"USD\"%s%s%s,"
                 "\"category\":\"%s\",\"quantity\":%u}",
                 i / 60 % 60, i % 60, (unsigned)(rnd() % 500), title, desc, price,
                 branded ? ",\"brand\":\"" : "", branded ? brands[b].id : "", branded ? "\"" : "",
                 brands[b].category, (unsigned)(1 + rnd() % 20));
        tails[i] = t;
    }
}

/* ---- HTTP over one keep-alive connection ---- */

typedef struct conn {
    int fd;
    char *in;
    size_t in_len, in_cap;
} conn;

static struct sockaddr_in server;
static const char *auth_key;
static char host_header[96] = "127.0.0.1"; /* HOST:PORT of --url: a --no-auth server checks it */
static double slow_ms; /* --slow MS: print each request slower than this, to find stalls */

static int conn_open(conn *c)
{
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, (struct sockaddr *)&server, sizeof server)) {
        perror("bench_http: connect");
        return -1;
    }
    c->in_len = 0;
    if (!c->in) {
        c->in_cap = 1 << 20;
        c->in = malloc(c->in_cap);
    }
    return 0;
}

static int send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Sends one request (a POST of body to /v1/events, or a GET of path when body
 * is NULL) and reads the reply; returns the status code (-1 on a broken
 * connection) and counts accepted events in *accepted. */
static int send_request(conn *c, const char *path, const char *body, size_t len, int *accepted)
{
    char head[1024];
    int hn = body ? snprintf(head, sizeof head,
                             "POST /v1/events HTTP/1.1\r\nHost: %s\r\nContent-Type: "
                             "application/json\r\n%s%s%sContent-Length: %zu\r\n\r\n",
                             host_header, auth_key ? "Authorization: Bearer " : "",
                             auth_key ? auth_key : "", auth_key ? "\r\n" : "", len)
                  : snprintf(head, sizeof head, "GET %s HTTP/1.1\r\nHost: %s\r\n%s%s%s\r\n", path,
                             host_header, auth_key ? "Authorization: Bearer " : "",
                             auth_key ? auth_key : "", auth_key ? "\r\n" : "");
    if (send_all(c->fd, head, (size_t)hn) || (body && send_all(c->fd, body, len))) return -1;
    c->in_len = 0;
    size_t need = 0, head_end = 0;
    for (;;) {
        if (c->in_len + 65536 > c->in_cap) c->in = realloc(c->in, c->in_cap *= 2);
        ssize_t r = recv(c->fd, c->in + c->in_len, c->in_cap - c->in_len - 1, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        c->in_len += (size_t)r;
        c->in[c->in_len] = 0;
        if (!head_end) {
            char *e = strstr(c->in, "\r\n\r\n");
            if (!e) continue;
            head_end = (size_t)(e - c->in) + 4;
            char *cl = strcasestr(c->in, "\r\ncontent-length:");
            if (!cl || cl > e) return -1;
            need = head_end + strtoul(cl + 17, NULL, 10);
        }
        if (c->in_len >= need) break;
    }
    *accepted = 0;
    for (const char *p = c->in + head_end; (p = strstr(p, "\"status\":\"accepted\"")); p++)
        (*accepted)++;
    return atoi(c->in + 9);
}

static int post(conn *c, const char *body, size_t len, int *accepted)
{
    return send_request(c, NULL, body, len, accepted);
}

/* ---- runs ---- */

typedef struct worker {
    pthread_t thread;
    int index, n_workers;
    int batch;         /* listings per request */
    double rate;       /* requests/s for this worker; 0: flat out */
    double start, end; /* the run's window */
    const char *prefix;
    const char *get_path; /* GET this path instead of posting listings */
    /* results */
    unsigned long requests, listings, failures;
    double *latency;
    size_t n_latency, cap_latency;
} worker;

static void *run_worker(void *arg)
{
    worker *w = arg;
    conn c = {0};
    if (conn_open(&c)) {
        w->failures++;
        return NULL;
    }
    size_t cap = (size_t)w->batch * 2700 + 64;
    char *body = malloc(cap);
    unsigned long seq = 0;
    double interval = w->rate > 0 ? 1.0 / w->rate : 0;
    /* Workers' schedules interleave rather than fire together. */
    double next = w->start + interval * w->index / w->n_workers;
    sleep_until(w->start);
    while (now() < w->end && w->get_path) {
        double sent = now();
        int accepted, code = send_request(&c, w->get_path, NULL, 0, &accepted);
        double done = now();
        if (code != 200) {
            if (w->failures++ < 3)
                fprintf(stderr, "bench_http: GET %s: status %d: %.200s\n", w->get_path, code,
                        c.in_len ? c.in : "");
            if (code < 0) {
                close(c.fd);
                if (conn_open(&c)) break;
            }
            continue;
        }
        w->requests++;
        if (w->n_latency == w->cap_latency) {
            w->cap_latency = w->cap_latency ? w->cap_latency * 2 : 4096;
            w->latency = realloc(w->latency, w->cap_latency * sizeof *w->latency);
        }
        w->latency[w->n_latency++] = done - sent;
    }
    while (now() < w->end && !w->get_path) {
        size_t n = 0;
        if (w->batch > 1) body[n++] = '[';
        for (int k = 0; k < w->batch; k++) {
            if (k) body[n++] = ',';
            n += (size_t)sprintf(
                body + n, "{\"type\":\"listing\",\"id\":\"%s-%d-%lu\",\"listing\":\"%s-%d-%lu\"",
                w->prefix, w->index, seq, w->prefix, w->index, seq);
            const char *t = tails[(seq * 7919 + (unsigned long)w->index) % N_TAILS];
            size_t tl = strlen(t);
            memcpy(body + n, t, tl);
            n += tl;
            seq++;
        }
        if (w->batch > 1) body[n++] = ']';
        double sent;
        if (interval > 0) {
            sleep_until(next);
            sent = next; /* from the scheduled time: a late send counts as waiting */
            next += interval;
        } else {
            sent = now();
        }
        int accepted = 0, code = post(&c, body, n, &accepted);
        double done = now();
        if (code != 200 || accepted != w->batch) {
            if (w->failures++ < 3)
                fprintf(stderr, "bench_http: status %d, %d of %d accepted: %.200s\n", code,
                        accepted, w->batch, c.in_len ? c.in : "");
            if (code < 0) {
                close(c.fd);
                if (conn_open(&c)) break;
            }
            continue;
        }
        w->requests++;
        w->listings += (unsigned long)accepted;
        if (slow_ms > 0 && (done - sent) * 1e3 > slow_ms)
            fprintf(stderr, "slow: at %.3f s, %.1f ms\n", sent - w->start, (done - sent) * 1e3);
        if (w->n_latency == w->cap_latency) {
            w->cap_latency = w->cap_latency ? w->cap_latency * 2 : 4096;
            w->latency = realloc(w->latency, w->cap_latency * sizeof *w->latency);
        }
        w->latency[w->n_latency++] = done - sent;
    }
    close(c.fd);
    free(c.in);
    free(body);
    return NULL;
}

/* Runs one phase and prints one line: NAME key=value ... */
static void phase(const char *name, int connections, int batch, double rate, double seconds,
                  const char *prefix, const char *get_path)
{
    worker *w = calloc((size_t)connections, sizeof *w);
    double start = now() + 0.05;
    for (int i = 0; i < connections; i++) {
        w[i] = (worker){.index = i,
                        .n_workers = connections,
                        .batch = batch,
                        .rate = rate / connections,
                        .start = start,
                        .end = start + seconds,
                        .prefix = prefix,
                        .get_path = get_path};
        pthread_create(&w[i].thread, NULL, run_worker, &w[i]);
    }
    unsigned long requests = 0, listings = 0, failures = 0;
    size_t n = 0;
    for (int i = 0; i < connections; i++) {
        pthread_join(w[i].thread, NULL);
        requests += w[i].requests;
        listings += w[i].listings;
        failures += w[i].failures;
        n += w[i].n_latency;
    }
    double elapsed = now() - start;
    double *all = malloc((n ? n : 1) * sizeof *all);
    size_t at = 0;
    for (int i = 0; i < connections; i++) {
        memcpy(all + at, w[i].latency, w[i].n_latency * sizeof *all);
        at += w[i].n_latency;
        free(w[i].latency);
    }
    qsort(all, n, sizeof *all, compare_doubles);
    double p50 = n ? all[n / 2] : 0, p99 = n ? all[(size_t)(n * 0.99)] : 0,
           max = n ? all[n - 1] : 0;
    printf("%s connections=%d batch=%d offered_rps=%.0f seconds=%.1f requests=%lu failures=%lu "
           "rps=%.0f listings_per_s=%.0f p50_ms=%.3f p99_ms=%.3f max_ms=%.3f\n",
           name, connections, batch, rate, elapsed, requests, failures, requests / elapsed,
           listings / elapsed, p50 * 1e3, p99 * 1e3, max * 1e3);
    fflush(stdout);
    free(all);
    free(w);
}

/* Brands with reference prices first, so listings have something to be
 * compared with, as on a real marketplace. */
static int post_brands(const char *prefix)
{
    char body[8192]; /* the brands, then one listing (under 2,600 bytes) */
    size_t n = 0;
    body[n++] = '[';
    for (size_t b = 0; b < N_BRANDS; b++)
        n += (size_t)snprintf(
            body + n, sizeof body - n,
            "%s{\"type\":\"brand\",\"id\":\"%s-brand-%s\",\"at\":\"2026-11-22T09:00:00Z\","
            "\"brand\":\"%s\",\"name\":\"%s\",\"reference_prices\":[{\"category\":"
            "\"%s\",\"price\":%.0f,\"currency\":\"USD\"}]}",
            b ? "," : "", prefix, brands[b].id, brands[b].id, brands[b].name, brands[b].category,
            brands[b].price);
    body[n++] = ']';
    conn c = {0};
    if (conn_open(&c)) return -1;
    int accepted, code = post(&c, body, n, &accepted);
    /* One listing, unmeasured: the brand matcher recompiles on the first
     * listing after new brands, a one-off cost that is not the steady state. */
    if (code == 200) {
        n = (size_t)snprintf(body, sizeof body,
                             "{\"type\":\"listing\",\"id\":\"%s-warm\",\"listing\":\"%s-warm\"%s",
                             prefix, prefix, tails[0]);
        code = post(&c, body, n, &accepted);
    }
    close(c.fd);
    free(c.in);
    if (code != 200) {
        fprintf(stderr, "bench_http: posting the brands: status %d\n", code);
        return -1;
    }
    return 0;
}

/* In process: what a key check costs, from the store and from the cache. */
static int auth_micro(const char *db)
{
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    if (gn_engine_open(&e, &o, &err)) {
        fprintf(stderr, "bench_http: %s\n", err.message);
        return 1;
    }
    char key[65], role[64], account[257];
    if (gn_key_issue(e, "seller", "S1", key, &err)) {
        fprintf(stderr, "bench_http: %s\n", err.message);
        return 1;
    }
    const int n = 100000;
    double t0 = now();
    for (int i = 0; i < n; i++)
        gn_key_check(e, key, role, sizeof role, account, sizeof account, &err);
    double store = (now() - t0) / n;
    gn_key_cache cache;
    gn_key_cache_init(&cache);
    gn_principal p = {.role = GN_ROLE_SELLER};
    strcpy(p.account, "S1");
    gn_key_cache_put(&cache, key, &p);
    t0 = now();
    int hits = 0;
    for (int i = 0; i < n; i++)
        hits += gn_key_cache_find(&cache, key, &p);
    double cached = (now() - t0) / n;
    printf("auth_micro store_check_us=%.2f cached_check_us=%.3f hits=%d\n", store * 1e6,
           cached * 1e6, hits);
    gn_key_cache_free(&cache);
    gn_engine_close(e);
    return 0;
}

/* In process: what the permission checks of the workflow reads and of a post
 * cost (auth.c), beside the engine's read they guard, on a real complaint. */
static const char *const perm_events[] = {
    "{\"type\":\"brand\",\"id\":\"b1\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"B1\","
    "\"name\":\"Lumora\"}",
    "{\"type\":\"seller\",\"id\":\"s1\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"S1\","
    "\"name\":\"Shop one\"}",
    "{\"type\":\"seller\",\"id\":\"s2\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"S2\","
    "\"name\":\"Shop two\"}",
    "{\"type\":\"listing\",\"id\":\"l1\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"L1\","
    "\"seller\":\"S1\",\"title\":\"Lumora "
    "tote\",\"price\":900,\"currency\":\"USD\",\"brand\":\"B1\"}",
    "{\"type\":\"listing\",\"id\":\"l2\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"L2\","
    "\"seller\":\"S1\",\"title\":\"Lumora "
    "bag\",\"price\":900,\"currency\":\"USD\",\"brand\":\"B1\"}",
    "{\"type\":\"listing\",\"id\":\"l3\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"L3\","
    "\"seller\":\"S2\",\"title\":\"Lumora "
    "case\",\"price\":900,\"currency\":\"USD\",\"brand\":\"B1\"}",
    "{\"type\":\"ip_right\",\"id\":\"r1\",\"at\":\"2026-11-03T00:00:00Z\",\"right\":\"TM1\","
    "\"brand\":\"B1\",\"kind\":\"trademark\",\"number\":\"EUTM 1\",\"holder\":\"H1\","
    "\"jurisdiction\":\"EU\",\"classes\":[\"18\"],\"valid_until\":\"2030-01-01T00:00:00Z\"}",
    "{\"type\":\"verdict\",\"id\":\"v1\",\"at\":\"2026-11-03T01:00:00Z\",\"subject\":\"right\","
    "\"target\":\"TM1\",\"outcome\":\"verified\",\"reviewer\":\"P1\"}",
    "{\"type\":\"complaint\",\"id\":\"c1\",\"at\":\"2026-11-04T00:00:00Z\",\"complaint\":\"C1\","
    "\"rights_holder\":\"H1\",\"right\":\"TM1\",\"listings\":[\"L1\",\"L2\",\"L3\"]}",
};

static volatile int perm_sink;

static int perm_micro(const char *db)
{
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    if (gn_engine_open(&e, &o, &err)) {
        fprintf(stderr, "bench_http: %s\n", err.message);
        return 1;
    }
    for (size_t i = 0; i < sizeof perm_events / sizeof *perm_events; i++) {
        gn_result res;
        if (gn_ingest(e, perm_events[i], strlen(perm_events[i]), &res, &err) ||
            res.outcome == GN_REJECTED) {
            fprintf(stderr, "bench_http: setting up: %s\n", res.error ? res.error : err.message);
            return 1;
        }
    }
    if (gn_commit(e, &err)) return 1;
    char *complaint = gn_complaint_json(e, "C1", NULL, &err);
    if (!complaint) {
        fprintf(stderr, "bench_http: %s\n", err.message);
        return 1;
    }
    size_t clen = strlen(complaint);
    /* A seller's listing of the benchmark's usual size (~1.5 KB). */
    char listing[2600], desc[1600];
    size_t dn = 0;
    put_words(desc, &dn, sizeof desc, 1400);
    desc[dn] = 0;
    int llen = snprintf(listing, sizeof listing,
                        "{\"type\":\"listing\",\"id\":\"lx\",\"at\":\"2026-11-02T00:00:00Z\","
                        "\"listing\":\"LX\",\"seller\":\"S1\",\"title\":\"Lumora leather tote\","
                        "\"description\":\"%s\",\"price\":900,\"currency\":\"USD\"}",
                        desc);
    gn_principal platform = {.role = GN_ROLE_PLATFORM}, holder = {.role = GN_ROLE_RIGHTS_HOLDER},
                 seller = {.role = GN_ROLE_SELLER};
    strcpy(holder.account, "H1");
    strcpy(seller.account, "S1");
    char why[600];
    const int n = 200000;
    double t0 = now();
    for (int i = 0; i < n; i++)
        perm_sink += gn_auth_may_read(&platform, GN_REC_COMPLAINT, "C1", why, sizeof why);
    double read_platform = (now() - t0) / n;
    t0 = now();
    for (int i = 0; i < n; i++)
        perm_sink +=
            gn_auth_may_read(&holder, GN_REC_COMPLAINT, "C1", why, sizeof why) &&
            gn_auth_owns(&holder, GN_REC_COMPLAINT, "C1", complaint, clen, why, sizeof why);
    double read_holder = (now() - t0) / n;
    t0 = now();
    for (int i = 0; i < n; i++)
        perm_sink += gn_auth_may_read(&seller, GN_REC_NOTICES, "S1", why, sizeof why);
    double read_self = (now() - t0) / n;
    t0 = now();
    for (int i = 0; i < n / 10; i++)
        free(gn_complaint_json(e, "C1", NULL, &err));
    double engine_read = (now() - t0) / (n / 10);
    t0 = now();
    for (int i = 0; i < n / 10; i++)
        free(gn_complaint_json(e, "C1", "S1", &err));
    double engine_read_seller = (now() - t0) / (n / 10);
    t0 = now();
    for (int i = 0; i < n / 10; i++)
        perm_sink += gn_auth_may_post(&seller, listing, (size_t)llen, why, sizeof why);
    double post_seller = (now() - t0) / (n / 10);
    /* What the post check cost with jansson, before it used the engine's parser. */
    t0 = now();
    for (int i = 0; i < n / 10; i++) {
        json_t *root = json_loadb(listing, (size_t)llen, 0, NULL);
        perm_sink += root != NULL;
        json_decref(root);
    }
    double post_jansson = (now() - t0) / (n / 10);
    printf("perm_micro complaint_bytes=%zu listing_bytes=%d read_check_platform_ns=%.0f "
           "read_check_holder_ns=%.0f read_check_self_ns=%.0f complaint_read_ns=%.0f "
           "complaint_read_seller_ns=%.0f post_check_seller_ns=%.0f post_jansson_parse_ns=%.0f\n",
           clen, llen, read_platform * 1e9, read_holder * 1e9, read_self * 1e9, engine_read * 1e9,
           engine_read_seller * 1e9, post_seller * 1e9, post_jansson * 1e9);
    free(complaint);
    gn_engine_close(e);
    return 0;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_http --url http://127.0.0.1:PORT [--connections N] [--seconds S] "
                    "[--rate R] [--batch N] [--key KEY] [--only batch|rate|flat] [--slow MS]\n"
                    "       bench_http --url URL --get PATH [--key KEY] [--connections N] "
                    "[--seconds S]\n"
                    "       bench_http --auth-micro DB\n"
                    "       bench_http --perm-micro DB\n");
    return 2;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_http --url http://127.0.0.1:PORT [--connections N] [--seconds S] "
               "[--rate R] [--batch N] [--key KEY] [--slow] [--only PART] [--auth-micro] "
               "[--perm-micro] [--get PATH]\nSee bench/README.md for what it measures.");
    const char *url = NULL, *only = NULL, *get_path = NULL;
    int connections = 2, batch = 100;
    double seconds = 5, rate = 1000;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v) return usage();
        i++;
        if (strcmp(a, "--url") == 0)
            url = v;
        else if (strcmp(a, "--connections") == 0)
            connections = atoi(v);
        else if (strcmp(a, "--seconds") == 0)
            seconds = atof(v);
        else if (strcmp(a, "--rate") == 0)
            rate = atof(v);
        else if (strcmp(a, "--batch") == 0)
            batch = atoi(v);
        else if (strcmp(a, "--key") == 0)
            auth_key = v;
        else if (strcmp(a, "--slow") == 0)
            slow_ms = atof(v);
        else if (strcmp(a, "--only") == 0)
            only = v;
        else if (strcmp(a, "--auth-micro") == 0)
            return auth_micro(v);
        else if (strcmp(a, "--perm-micro") == 0)
            return perm_micro(v);
        else if (strcmp(a, "--get") == 0)
            get_path = v;
        else
            return usage();
    }
    unsigned port;
    char host[64];
    if (!url || sscanf(url, "http://%63[0-9.]:%u", host, &port) != 2 || connections < 1 ||
        batch < 1 || seconds <= 0)
        return usage();
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    if (inet_pton(AF_INET, host, &server.sin_addr) != 1) return usage();
    snprintf(host_header, sizeof host_header, "%s:%u", host, port);
    if (strcmp(host, "127.0.0.1") != 0)
        fprintf(stderr, "bench_http: note: %s is not loopback\n", host);

    /* --get: one GET path flat out, nothing posted. */
    if (get_path) {
        phase("get", connections, 1, 0, seconds, "get", get_path);
        return 0;
    }
    char prefix[48];
    snprintf(prefix, sizeof prefix, "bh%lx%lx", (unsigned long)getpid(), (unsigned long)time(NULL));
    rng_state ^= (uint64_t)getpid() << 20;
    make_tails();
    if (post_brands(prefix)) return 1;
    char p[64];
    if (!only || strcmp(only, "batch") == 0) {
        snprintf(p, sizeof p, "%s-b", prefix);
        phase("batch", connections, batch, 0, seconds, p, NULL);
    }
    if (!only || strcmp(only, "rate") == 0) {
        snprintf(p, sizeof p, "%s-r", prefix);
        phase("single_fixed_rate", connections, 1, rate, seconds, p, NULL);
    }
    if (!only || strcmp(only, "flat") == 0) {
        snprintf(p, sizeof p, "%s-f", prefix);
        phase("single_flat_out", connections, 1, 0, seconds, p, NULL);
    }
    for (int i = 0; i < N_TAILS; i++)
        free(tails[i]);
    return 0;
}
