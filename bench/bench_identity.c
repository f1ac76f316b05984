/* Speed and memory of the seller identity graph (src/state/identity.c): builds
 * it from generated session and seller_attribute events, then times cluster
 * lookups, and checks that rings were found and strangers were not linked.
 *
 *   build/bench/bench_identity [--sellers N] [--events N] [--runs N] [--seed N]
 *
 * Defaults: 10,000,000 sellers, 50,000,000 events, one run. The marketplace:
 * every seller signs up with a session, then events go to random sellers.
 * A session carries a device (1-3 per seller), an IP (70% one of the seller's
 * 1-3 home IPs, 20% one of 20,000 carrier NAT IPs, 10% a public hotspot's IP
 * and network; the popular ones reach thousands of accounts) and, at home, the
 * home router (80% of sellers have one; 4% share it with a family member who
 * also sells). Attributes: phone, e-mail, bank and payment accounts, address
 * (10% of addresses are one of 50 fulfilment warehouses), tax id. 3% of
 * sellers are counterfeit rings of 5-50 accounts that share 1-3 devices
 * (half their sessions), a phone, an e-mail and payment and bank accounts
 * (70% of their attributes), spelt in varying ways. Generation is not timed:
 * events are made in batches and only the gn_identity_add calls are. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"
#include "state/identity.h"

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
/* A value of seller s's own: fixed for (seed, s, what, j). */
static uint64_t H(uint64_t seed, uint64_t s, uint64_t what, uint64_t j)
{
    return mix(seed ^ mix(s * 0x9E3779B97F4A7C15ULL + what * 0xD1B54A32D192ED03ULL + j));
}

static uint64_t rng_state;
static uint64_t rnd(void)
{
    return mix(rng_state += 0x9E3779B97F4A7C15ULL);
}
static uint32_t below(uint32_t n)
{
    return (uint32_t)(rnd() % n);
}
/* Skewed pick in [0, n): a few popular ones, a long tail. */
static uint32_t popular(uint32_t n)
{
    double u = (double)(rnd() >> 11) / 9007199254740992.0;
    return (uint32_t)(u * u * u * n);
}

static long rss_bytes(void)
{
    long pages = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
        fclose(f);
    }
    return resident * sysconf(_SC_PAGESIZE);
}

static long peak_rss_bytes(void)
{
    char line[256];
    long kb = 0;
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return 0;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    fclose(f);
    return kb * 1024;
}

#define NONE 0xffffffffu

typedef struct market {
    uint64_t seed;
    uint32_t sellers;
    uint32_t *ring;       /* ring of each seller, or NONE */
    uint32_t *ring_first; /* a member of each ring */
    uint32_t n_rings, ring_members;
} market;

typedef struct item {
    uint32_t seller;
    uint32_t off;
    uint16_t len;
    uint8_t kind;
} item;

typedef struct batch {
    item *items;
    size_t n, cap;
    char *text;
    size_t used, text_cap;
} batch;

static void push(batch *b, uint32_t seller, gn_identity_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void push(batch *b, uint32_t seller, gn_identity_kind kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(b->text + b->used, b->text_cap - b->used, fmt, ap);
    va_end(ap);
    b->items[b->n++] = (item){seller, (uint32_t)b->used, (uint16_t)n, (uint8_t)kind};
    b->used += (size_t)n + 1;
}

static void ip_text(uint64_t h, char *out)
{
    sprintf(out, "%u.%u.%u.%u", (unsigned)(1 + (h & 0xff) % 223), (unsigned)((h >> 8) & 0xff),
            (unsigned)((h >> 16) & 0xff), (unsigned)((h >> 24) & 0xff));
}

/* One session or seller_attribute event of seller s into b. */
static void make_event(const market *m, batch *b, uint32_t s, int signup)
{
    uint64_t seed = m->seed;
    uint32_t ring = m->ring[s];
    char ip[32];
    if (signup || below(100) < 58) { /* a session */
        uint64_t hd = H(seed, s, 1, 0) % 10;
        uint32_t devices = hd < 6 ? 1 : hd < 9 ? 2 : 3;
        if (ring != NONE && below(2) == 0)
            push(b, s, GN_ID_DEVICE, "RING-%08X-%u", ring, below(1 + ring % 3));
        else
            push(b, s, GN_ID_DEVICE, "%016llx-%04x", (unsigned long long)H(seed, s, 2, 0),
                 (unsigned)below(devices));
        uint32_t where = below(100);
        if (where < 70) { /* at home */
            uint64_t hi = H(seed, s, 3, 0) % 10;
            uint32_t ips = hi < 5 ? 1 : hi < 8 ? 2 : 3;
            /* 4% of sellers live with another seller: same router and IP */
            uint32_t home = (H(seed, s, 4, 0) % 100 < 4) ? (s & ~1u) : s;
            ip_text(H(seed, home, 5, below(ips)), ip);
            push(b, s, GN_ID_IP, "%s", ip);
            if (H(seed, home, 6, 0) % 10 < 8) {
                uint64_t mac = H(seed, home, 7, 0);
                push(b, s, GN_ID_NETWORK, "%02X-%02X-%02X-%02X-%02X-%02X", (unsigned)(mac & 0xff),
                     (unsigned)(mac >> 8 & 0xff), (unsigned)(mac >> 16 & 0xff),
                     (unsigned)(mac >> 24 & 0xff), (unsigned)(mac >> 32 & 0xff),
                     (unsigned)(mac >> 40 & 0xff));
            }
        } else if (where < 90) { /* mobile, behind a carrier NAT */
            push(b, s, GN_ID_IP, "100.%u.%u.%u", 64 + popular(20000) / 65536, popular(20000) % 256,
                 0);
        } else { /* a café, an airport, a mall */
            uint32_t spot = popular(5000);
            ip_text(H(seed, spot, 8, 0), ip);
            push(b, s, GN_ID_IP, "%s", ip);
            push(b, s, GN_ID_NETWORK, "hotspot-%u", spot);
        }
        return;
    }
    uint32_t k = below(100); /* an attribute */
    int shared = ring != NONE && below(10) < 7;
    uint64_t own = H(seed, s, 9, 0);
    if (k < 30) {
        uint64_t n = shared ? H(seed, ring, 10, 0) : own;
        if (below(2))
            push(b, s, GN_ID_PHONE, "+86 1%02u-%04u-%04u", (unsigned)(n % 100),
                 (unsigned)(n / 100 % 10000), (unsigned)(n / 1000000 % 10000));
        else
            push(b, s, GN_ID_PHONE, "00861%02u%04u%04u", (unsigned)(n % 100),
                 (unsigned)(n / 100 % 10000), (unsigned)(n / 1000000 % 10000));
    } else if (k < 60) {
        if (shared)
            push(b, s, GN_ID_EMAIL, "ring.%u.boss+shop%u@gmail.com", ring, s);
        else
            push(b, s, GN_ID_EMAIL, "seller%llx@%s", (unsigned long long)(own >> 20),
                 own % 3 ? "example.com" : "outlook.com");
    } else if (k < 72) {
        push(b, s, GN_ID_BANK_ACCOUNT, "DE%02u 3704 0044 %010llu", (unsigned)(own % 100),
             (unsigned long long)((shared ? H(seed, ring, 11, 0) : own) % 10000000000ULL));
    } else if (k < 84) {
        push(b, s, GN_ID_PAYMENT_ACCOUNT, "wallet-%llx",
             (unsigned long long)(shared ? H(seed, ring, 12, 0) : own) >> 16);
    } else if (k < 94) {
        if (below(10) == 0)
            push(b, s, GN_ID_ADDRESS, "Fulfilment Centre %u, Logistics Road, Dock %u", popular(50),
                 1 + popular(50) % 4);
        else
            push(b, s, GN_ID_ADDRESS, "%u, %llx Street; Apt. %u", (unsigned)(own % 500),
                 (unsigned long long)(own >> 24), (unsigned)(own >> 12 & 0xff));
    } else {
        push(b, s, GN_ID_TAX_ID, "91%016llX", (unsigned long long)(own >> 8));
    }
}

static void make_rings(market *m)
{
    m->ring = malloc((size_t)m->sellers * sizeof *m->ring);
    m->ring_first = malloc(((size_t)m->sellers / 5 + 1) * sizeof *m->ring_first);
    if (!m->ring || !m->ring_first) {
        fprintf(stderr, "out of memory\n");
        exit(1);
    }
    memset(m->ring, 0xff, (size_t)m->sellers * sizeof *m->ring);
    uint32_t want = m->sellers / 100 * 3;
    while (m->ring_members < want) {
        uint32_t size = 5 + below(46), r = m->n_rings++;
        m->ring_first[r] = NONE;
        for (uint32_t i = 0; i < size; i++) {
            uint32_t s = below(m->sellers);
            if (m->ring[s] != NONE) continue;
            m->ring[s] = r;
            m->ring_members++;
            if (m->ring_first[r] == NONE) m->ring_first[r] = s;
        }
    }
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct result {
    double build, build_cpu, per_add_ns, lookup_ns, links_us, bytes_per_seller, rss_per_seller;
    double peak_per_seller;
} result;

static result run(market *m, uint64_t events, int verbose)
{
    result res = {0};
    gn_identity_params p;
    gn_identity_default_params(&p);
    p.counters = 3; /* listings live, blocked, removed: as the engine will */
    gn_identity *g;
    gn_error err;
    if (gn_identity_new(&g, &p, &err) < 0) {
        fprintf(stderr, "%s\n", err.message);
        exit(1);
    }
    batch b = {0};
    b.cap = 3 * 65536;
    b.text_cap = b.cap * 64;
    b.items = malloc(b.cap * sizeof *b.items);
    b.text = malloc(b.text_cap);
    long rss0 = rss_bytes();
    double built = 0, built_cpu = 0, t_all = now();
    uint64_t adds = 0, errors = 0;
    for (uint64_t k = 0; k < events;) {
        b.n = b.used = 0;
        for (int i = 0; i < 65536 && k < events; i++, k++) {
            uint32_t s = k < m->sellers ? (uint32_t)k : below(m->sellers);
            make_event(m, &b, s, k < m->sellers);
        }
        double t0 = now(), c0 = cpu_now();
        for (size_t i = 0; i < b.n; i++) {
            const item *it = &b.items[i];
            if (gn_identity_add(g, it->seller, (gn_identity_kind)it->kind, b.text + it->off,
                                it->len, &err) < 0 &&
                errors++ == 0)
                fprintf(stderr, "add: %s\n", err.message);
        }
        built += now() - t0;
        built_cpu += cpu_now() - c0;
        adds += b.n;
        if (verbose && (k & ((1u << 23) - 1)) < 65536 && k > 65536)
            fprintf(stderr, "  %llu events, %.1f s adding\n", (unsigned long long)k, built);
    }
    t_all = now() - t_all;
    long rss1 = rss_bytes();
    gn_identity_stats st;
    gn_identity_get_stats(g, &st);

    /* Lookups of random sellers' clusters (and their size, as a detector would). */
    enum { LOOKUPS = 1 << 20 };
    uint32_t *q = malloc(LOOKUPS * sizeof *q);
    for (int i = 0; i < LOOKUPS; i++)
        q[i] = below(m->sellers);
    uint64_t sink = 0;
    double t0 = now();
    for (int rep = 0; rep < 8; rep++)
        for (int i = 0; i < LOOKUPS; i++)
            sink += gn_identity_cluster(g, q[i]);
    res.lookup_ns = (now() - t0) * 1e9 / (8.0 * LOOKUPS);
    /* The links of ring members (what a reason is built from). */
    gn_identity_link links[256];
    t0 = now();
    int nl = 0;
    for (uint32_t r = 0; r < m->n_rings && r < 100000; r++)
        if (m->ring_first[r] != NONE)
            nl += gn_identity_links(g, m->ring_first[r], links, 256, &err), sink++;
    double links_calls = m->n_rings < 100000 ? m->n_rings : 100000;
    res.links_us = (now() - t0) * 1e6 / links_calls;

    /* Quality: ring members found with their ring; strangers left alone. */
    uint64_t together = 0, strangers_linked = 0, strangers_big = 0, strangers = 0;
    for (uint32_t s = 0; s < m->sellers; s++) {
        uint32_t r = m->ring[s];
        if (r != NONE) {
            together += gn_identity_cluster(g, s) == gn_identity_cluster(g, m->ring_first[r]);
            continue;
        }
        strangers++;
        uint32_t size = gn_identity_cluster_size(g, s);
        strangers_linked += size > 1;
        strangers_big += size > 4;
    }

    res.build = built;
    res.build_cpu = built_cpu;
    res.per_add_ns = built * 1e9 / (double)adds;
    res.bytes_per_seller = (double)st.bytes / (double)m->sellers;
    res.rss_per_seller = (double)(rss1 - rss0) / (double)m->sellers;
    res.peak_per_seller = (double)peak_rss_bytes() / (double)m->sellers;
    if (verbose) {
        printf("  events %llu -> %llu value adds (%llu refused), generation + build %.1f s\n",
               (unsigned long long)events, (unsigned long long)adds, (unsigned long long)errors,
               t_all);
        printf("  values %llu distinct, %llu shared, %llu common (past %u accounts); "
               "clusters %llu (largest %llu), %llu recomputed\n",
               (unsigned long long)st.values, (unsigned long long)st.shared_values,
               (unsigned long long)st.common_values, p.max_accounts,
               (unsigned long long)st.clusters, (unsigned long long)st.largest,
               (unsigned long long)st.recomputes);
        printf("  rings: %u rings, %u accounts, %.2f%% in one cluster with their ring\n",
               m->n_rings, m->ring_members, 100.0 * (double)together / m->ring_members);
        printf("  others: %.3f%% linked to someone (households share a router), "
               "%.4f%% in clusters > 4; links per ring account %.1f\n",
               100.0 * (double)strangers_linked / (double)strangers,
               100.0 * (double)strangers_big / (double)strangers, (double)nl / links_calls);
        printf("  memory: own count %.1f MB (%.1f B/seller), RSS growth %.1f MB "
               "(%.1f B/seller), peak RSS of the process %.1f MB\n",
               (double)st.bytes / 1e6, res.bytes_per_seller, (double)(rss1 - rss0) / 1e6,
               res.rss_per_seller, (double)peak_rss_bytes() / 1e6);
        (void)sink;
    }
    free(q);
    free(b.items);
    free(b.text);
    gn_identity_free(g);
    return res;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_identity [--sellers N] [--events N] [--runs N] [--seed N]\nSee "
               "bench/README.md for what it measures.");
    uint64_t sellers = 10000000, events = 50000000, seed = 1;
    int runs = 1;
    for (int i = 1; i < argc; i++) {
        if (i + 1 < argc && strcmp(argv[i], "--sellers") == 0)
            sellers = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--events") == 0)
            events = strtoull(argv[++i], NULL, 10);
        else if (i + 1 < argc && strcmp(argv[i], "--runs") == 0)
            runs = atoi(argv[++i]);
        else if (i + 1 < argc && strcmp(argv[i], "--seed") == 0)
            seed = strtoull(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: %s [--sellers N] [--events N] [--runs N] [--seed N]\n",
                    argv[0]);
            return 2;
        }
    }
    if (sellers < 100 || sellers > 1000000000 || events < sellers || runs < 1) {
        fprintf(stderr, "need 100 <= sellers <= events and runs >= 1\n");
        return 2;
    }
    printf("bench_identity: %llu sellers, %llu session/attribute events, %d run(s), seed %llu\n",
           (unsigned long long)sellers, (unsigned long long)events, runs, (unsigned long long)seed);
    result *r = calloc((size_t)runs, sizeof *r);
    for (int i = 0; i < runs; i++) {
        market m = {.seed = seed, .sellers = (uint32_t)sellers};
        rng_state = seed;
        make_rings(&m);
        printf("run %d\n", i + 1);
        r[i] = run(&m, events, 1);
        printf("  build %.1f s wall, %.1f s CPU (%.0f ns per value added), cluster lookup "
               "%.1f ns, links of a ring account %.1f us\n",
               r[i].build, r[i].build_cpu, r[i].per_add_ns, r[i].lookup_ns, r[i].links_us);
        free(m.ring);
        free(m.ring_first);
    }
    double v[4][64];
    int n = runs < 64 ? runs : 64;
    for (int i = 0; i < n; i++) {
        v[0][i] = r[i].build;
        v[1][i] = r[i].lookup_ns;
        v[2][i] = r[i].bytes_per_seller;
        v[3][i] = r[i].rss_per_seller;
    }
    for (int k = 0; k < 4; k++)
        qsort(v[k], (size_t)n, sizeof v[k][0], by_double);
    printf("median of %d: build %.1f s, cluster lookup %.1f ns, %.1f bytes/seller counted, "
           "%.1f bytes/seller RSS growth\n",
           n, v[0][n / 2], v[1][n / 2], v[2][n / 2], v[3][n / 2]);
    free(r);
    return 0;
}
