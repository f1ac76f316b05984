/* The HTTP API: routing, bodies, replies, and the server's wall clock for
 * notice deadlines. libmicrohttpd runs a pool of threads over epoll; requests
 * are parsed and checked on those threads in parallel, and only the engine
 * calls themselves take the engine's mutex. A POST is acknowledged only after
 * the one gn_commit of its events. Who may do what is auth.c's one table. */
#include "http/server.h"

#include <arpa/inet.h>
#include <jansson.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <time.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "http/auth.h"
#include "http/body.h"
#include "http/claims.h"
#include "http/console.h"
#include "http/verify.h"
#include "engine/backtest.h"
#include "engine/group_commit.h"
#include "media/photos.h"

/* The status codes counted in /metrics, in this order. */
static const unsigned counted_codes[] = {200, 400, 401, 403, 404, 405, 413, 415, 429, 500, 503};
#define N_CODES (sizeof counted_codes / sizeof *counted_codes)
/* The thread pool with group commit (PostgreSQL): requests waiting for a
 * flush hold their threads, and the others are decided into the next group. */
#define GN_HTTP_GROUP_THREADS 16

struct gn_http_server {
    struct MHD_Daemon *daemon;
    gn_engine *engine;
    pthread_mutex_t engine_lock; /* the engine is single-threaded */
    gn_key_cache keys;
    const gn_photos *photos; /* photos hashed before the engine is locked; NULL: none */
    int no_auth;
    size_t max_body;
    size_t max_inflight;    /* body bytes held by all requests together */
    atomic_size_t inflight; /* body bytes held now (buffers' capacity) */
    unsigned per_client;    /* connections from one address answered; more get 429 */
    pthread_mutex_t clients_lock;
    struct client *clients; /* addresses with connections open, and how many */
    size_t n_clients, clients_cap;
    unsigned port;
    gn_console console; /* the web console's files (console.c) */
    double claim_seconds;
    atomic_ulong replies[N_CODES + 1]; /* the last: any other code */
    gn_verify_limiter verify;          /* POST /v1/verify's answers per address */
    atomic_flag backtesting;           /* a POST /v1/backtest runs: one at a time */
    /* Group commit (a store several nodes write): POSTs decided while the
     * last commit is flushed go out together in the next one (post_events).
     * Every other use of the engine waits until no group is open nor in
     * flight (engine_enter), so it never sees, nor commits, events not yet
     * committed by their group. */
    int grouping;
    pthread_cond_t group_cond; /* a group ended, or a quiet use of the engine did */
    struct group *open;        /* the group taking events now; NULL: none */
    struct group *flight;      /* the group whose commit is in flight; NULL: none */
    unsigned quiet;            /* uses of the engine waiting for no group: POSTs wait */
};

/* Requests whose events one commit makes durable; each is answered once its
 * group's commit returned, and only as it did. */
typedef struct group {
    int done, failed;
    char why[600]; /* failed: the store's message */
    unsigned refs; /* requests holding it */
} group;

typedef enum route {
    ROUTE_EVENTS,
    ROUTE_LISTING,
    ROUTE_SELLER,
    ROUTE_COMPLAINT,
    ROUTE_COMPLAINTS,
    ROUTE_RIGHT,
    ROUTE_NOTICES,
    ROUTE_FILER,
    ROUTE_REPORTS,
    ROUTE_APPEAL,
    ROUTE_QUEUE,
    ROUTE_STATS,
    ROUTE_HEALTHZ,
    ROUTE_METRICS,
    ROUTE_STATEMENTS,
    ROUTE_TRANSPARENCY,
    ROUTE_AUDIT,
    ROUTE_REMEDIATION,
    ROUTE_CASE,
    ROUTE_WHOAMI,
    ROUTE_CONSOLE,
    ROUTE_CLAIM,
    ROUTE_RELEASE,
    ROUTE_REVIEW,
    ROUTE_SELLER_LISTINGS,
    ROUTE_VERIFY,
    ROUTE_BATCHES,
    ROUTE_BACKTEST
} route;

/* The routes that take POST (every other takes GET and HEAD). */
static int posted(route which)
{
    return which == ROUTE_EVENTS || which == ROUTE_CLAIM || which == ROUTE_RELEASE ||
           which == ROUTE_VERIFY || which == ROUTE_BACKTEST;
}

/* The endpoints. A path ending in '/' (but "/" itself) is a prefix: the rest of the URL is the
 * record's id (libmicrohttpd has percent-decoded it already, so an id holding
 * "%2F" arrives with a '/': the whole rest is the id). record: what a GET
 * reads, for the permission table (auth.c); GN_REC_COUNT: no record. */
static const struct {
    const char *path;
    route route;
    gn_record record;
} routes[] = {
    {"/v1/events", ROUTE_EVENTS, GN_REC_COUNT},
    {"/v1/listings/", ROUTE_LISTING, GN_REC_LISTING},
    {"/v1/sellers/", ROUTE_SELLER, GN_REC_SELLER},
    {"/v1/complaints/", ROUTE_COMPLAINT, GN_REC_COMPLAINT},
    {"/v1/complaints", ROUTE_COMPLAINTS, GN_REC_COMPLAINTS},
    {"/v1/rights/", ROUTE_RIGHT, GN_REC_RIGHT},
    {"/v1/notices", ROUTE_NOTICES, GN_REC_NOTICES},
    {"/v1/filers/", ROUTE_FILER, GN_REC_FILER},
    {"/v1/reports", ROUTE_REPORTS, GN_REC_REPORTS},
    {"/v1/appeals/", ROUTE_APPEAL, GN_REC_APPEAL},
    {"/v1/queue", ROUTE_QUEUE, GN_REC_QUEUE},
    {"/v1/stats", ROUTE_STATS, GN_REC_STATS},
    {"/healthz", ROUTE_HEALTHZ, GN_REC_COUNT},
    {"/metrics", ROUTE_METRICS, GN_REC_METRICS},
    {"/v1/statements", ROUTE_STATEMENTS, GN_REC_STATEMENTS},
    {"/v1/transparency", ROUTE_TRANSPARENCY, GN_REC_TRANSPARENCY},
    {"/v1/audit", ROUTE_AUDIT, GN_REC_AUDIT},
    {"/v1/remediation", ROUTE_REMEDIATION, GN_REC_REMEDIATION},
    {"/v1/cases/", ROUTE_CASE, GN_REC_CASE},
    {"/v1/whoami", ROUTE_WHOAMI, GN_REC_COUNT},
    {"/v1/claims", ROUTE_CLAIM, GN_REC_CLAIMS},
    {"/v1/claims/release", ROUTE_RELEASE, GN_REC_CLAIMS},
    {"/v1/review/", ROUTE_REVIEW, GN_REC_REVIEW},
    {"/v1/listings", ROUTE_SELLER_LISTINGS, GN_REC_LISTINGS},
    {"/v1/verify", ROUTE_VERIFY, GN_REC_COUNT},
    {"/v1/batches", ROUTE_BATCHES, GN_REC_BATCHES},
    {"/v1/backtest", ROUTE_BACKTEST, GN_REC_BACKTEST},
    {"/", ROUTE_CONSOLE, GN_REC_COUNT},
    {"/verify", ROUTE_CONSOLE, GN_REC_COUNT},
    {"/console/", ROUTE_CONSOLE, GN_REC_COUNT},
};

/* One request's state, kept by libmicrohttpd between calls (its con_cls). */
typedef struct request {
    route route;
    gn_record record;
    size_t id_at; /* a read of one record: where its id starts in the URL (0: none) */
    gn_principal who;
    gn_buf body;   /* grown as bytes arrive, never to the announced length up front */
    size_t held;   /* body.cap counted in the server's inflight */
    int too_large; /* the body passed max_body: the rest is read and dropped */
    int too_busy;  /* the server's bodies in flight passed max_inflight: read and dropped */
    int answered;  /* a reply is queued already */
    unsigned wait; /* POST /v1/verify refused for its rate: seconds to wait */
} request;

/* ---- addresses ---- */

typedef struct address {
    struct sockaddr_storage sa;
    char host[256];
    int loopback;
} address;

static int parse_listen(const char *listen, address *a, gn_error *err)
{
    memset(a, 0, sizeof *a);
    const char *colon = strrchr(listen, ':');
    if (!colon || colon == listen || !colon[1])
        return gn_fail(err, GN_EINPUT, "--listen '%s': expected HOST:PORT", listen);
    const char *host = listen;
    size_t host_len = (size_t)(colon - listen);
    if (host[0] == '[' && host_len >= 2 && host[host_len - 1] == ']') host++, host_len -= 2;
    if (host_len == 0 || host_len >= sizeof a->host)
        return gn_fail(err, GN_EINPUT, "--listen '%s': expected HOST:PORT", listen);
    memcpy(a->host, host, host_len);
    a->host[host_len] = 0;
    char *end;
    unsigned long port = strtoul(colon + 1, &end, 10);
    if (*end || port > 65535)
        return gn_fail(err, GN_EINPUT, "--listen '%s': the port must be a number 0-65535", listen);
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
    int rc = getaddrinfo(a->host, NULL, &hints, &res);
    if (rc) return gn_fail(err, GN_EINPUT, "--listen '%s': %s", listen, gai_strerror(rc));
    memcpy(&a->sa, res->ai_addr, res->ai_addrlen);
    freeaddrinfo(res);
    if (a->sa.ss_family == AF_INET) {
        struct sockaddr_in *v4 = (struct sockaddr_in *)&a->sa;
        v4->sin_port = htons((uint16_t)port);
        a->loopback = (ntohl(v4->sin_addr.s_addr) >> 24) == 127;
    } else if (a->sa.ss_family == AF_INET6) {
        struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&a->sa;
        v6->sin6_port = htons((uint16_t)port);
        a->loopback = IN6_IS_ADDR_LOOPBACK(&v6->sin6_addr);
    } else {
        return gn_fail(err, GN_EINPUT, "--listen '%s': not an IPv4 or IPv6 address", listen);
    }
    return 0;
}

int gn_http_check_options(const gn_http_options *o, gn_error *err)
{
    address a;
    const char *listen = o->listen ? o->listen : GN_HTTP_DEFAULT_LISTEN;
    int rc = parse_listen(listen, &a, err);
    if (rc) return rc;
    if (o->no_auth && !a.loopback)
        return gn_fail(err, GN_EINPUT,
                       "--no-auth is refused on %s: without API keys the server may only "
                       "listen on a loopback address (127.0.0.1, ::1, localhost)",
                       listen);
    return 0;
}

/* ---- clients: connections per address ---- */

/* One client address with connections open. A connection's socket context
 * points at its connection record, which says whether it came over the limit. */
typedef struct client {
    unsigned char addr[16]; /* IPv4 as ::ffff:a.b.c.d */
    unsigned open;
} client;

typedef struct connection {
    unsigned char addr[16];
    int over; /* opened while its address had per_client others open */
} connection;

static void address_key(const struct sockaddr *sa, unsigned char key[16])
{
    memset(key, 0, 16);
    if (sa && sa->sa_family == AF_INET6) {
        memcpy(key, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    } else if (sa && sa->sa_family == AF_INET) {
        key[10] = key[11] = 0xff;
        memcpy(key + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    }
}

/* Counts connections per address (a few hundred addresses at most are open
 * at once, so a scan of an array is enough). */
static void on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                          enum MHD_ConnectionNotificationCode code)
{
    gn_http_server *s = cls;
    connection *conn = *socket_context;
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
        conn = gn_xcalloc(1, sizeof *conn);
        const union MHD_ConnectionInfo *info =
            MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
        address_key(info ? info->client_addr : NULL, conn->addr);
        pthread_mutex_lock(&s->clients_lock);
        size_t i = 0;
        while (i < s->n_clients && memcmp(s->clients[i].addr, conn->addr, 16) != 0)
            i++;
        if (i == s->n_clients && s->n_clients == s->clients_cap) {
            size_t cap = s->clients_cap ? s->clients_cap * 2 : 64;
            s->clients = gn_xrealloc(s->clients, cap * sizeof *s->clients);
            s->clients_cap = cap;
        }
        if (i == s->n_clients) {
            memcpy(s->clients[i].addr, conn->addr, 16);
            s->clients[i].open = 0;
            s->n_clients++;
        }
        conn->over = ++s->clients[i].open > s->per_client;
        pthread_mutex_unlock(&s->clients_lock);
        *socket_context = conn;
    } else if (code == MHD_CONNECTION_NOTIFY_CLOSED && conn) {
        pthread_mutex_lock(&s->clients_lock);
        for (size_t i = 0; i < s->n_clients; i++)
            if (memcmp(s->clients[i].addr, conn->addr, 16) == 0) {
                if (--s->clients[i].open == 0) s->clients[i] = s->clients[--s->n_clients];
                break;
            }
        pthread_mutex_unlock(&s->clients_lock);
        free(conn);
        *socket_context = NULL;
    }
}

/* 1 when the connection opened while its address had per_client others open
 * (or was never counted). */
static int over_client_limit(struct MHD_Connection *c)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    const connection *conn = info ? info->socket_context : NULL;
    return !conn || conn->over;
}

/* ---- --no-auth: only this machine's own pages and programs ---- */

/* A loopback host as a Host header or an Origin's authority names it:
 * localhost, 127.0.0.0/8, [::1], with the server's port (or none when it is
 * 80). Without keys these checks are what stops a web page from posting as
 * the platform: a foreign Host is DNS rebinding, a foreign Origin a
 * cross-site request. */
int gn_http_loopback_authority(const char *h, size_t n, unsigned port)
{
    const char *colon = NULL;
    if (memchr(h, 0, n)) return 0;
    if (n && h[0] == '[') {
        const char *close = memchr(h, ']', n);
        if (!close) return 0;
        size_t host_len = (size_t)(close - h) + 1;
        if (!(host_len == 5 && memcmp(h, "[::1]", 5) == 0)) return 0;
        if (host_len < n) colon = h + host_len;
    } else {
        colon = memchr(h, ':', n);
        size_t host_len = colon ? (size_t)(colon - h) : n;
        char host[64];
        if (host_len == 0 || host_len >= sizeof host) return 0;
        memcpy(host, h, host_len);
        host[host_len] = 0;
        struct in_addr v4;
        int ok = strcasecmp(host, "localhost") == 0 || strcasecmp(host, "localhost.") == 0 ||
                 (inet_pton(AF_INET, host, &v4) == 1 && (ntohl(v4.s_addr) >> 24) == 127);
        if (!ok) return 0;
    }
    if (!colon || colon == h + n) return port == 80;
    if (*colon != ':') return 0;
    char digits[8];
    size_t len = (size_t)(h + n - colon - 1);
    if (len == 0 || len >= sizeof digits) return 0;
    memcpy(digits, colon + 1, len);
    digits[len] = 0;
    char *end;
    unsigned long p = strtoul(digits, &end, 10);
    return !*end && digits[0] >= '0' && digits[0] <= '9' && p == port;
}

/* For --no-auth: 0, or the status to refuse the request with (403, 415) and
 * why. */
static unsigned no_auth_refusal(gn_http_server *s, struct MHD_Connection *c, int is_post, char *why,
                                size_t size)
{
    const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
    if (!host || !gn_http_loopback_authority(host, strlen(host), s->port)) {
        snprintf(why, size,
                 "forbidden: without API keys (--no-auth) the server answers only requests for "
                 "localhost:%u, 127.0.0.1:%u or [::1]:%u; Host was '%.100s'",
                 s->port, s->port, s->port, host ? host : "(none)");
        return 403;
    }
    const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
    if (origin) {
        size_t n = strlen(origin);
        const char *authority = strncasecmp(origin, "http://", 7) == 0    ? origin + 7
                                : strncasecmp(origin, "https://", 8) == 0 ? origin + 8
                                                                          : NULL;
        if (!authority ||
            !gn_http_loopback_authority(authority, n - (size_t)(authority - origin), s->port)) {
            snprintf(why, size,
                     "forbidden: without API keys (--no-auth) the server answers only pages of "
                     "its own loopback address; Origin was '%.100s'",
                     origin);
            return 403;
        }
    }
    if (!is_post) return 0;
    const char *type =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    size_t len = type ? strcspn(type, "; \t") : 0;
    static const char *const json_types[] = {"application/json", "application/x-ndjson",
                                             "application/jsonl"};
    for (size_t i = 0; type && i < sizeof json_types / sizeof *json_types; i++)
        if (len == strlen(json_types[i]) && strncasecmp(type, json_types[i], len) == 0) return 0;
    snprintf(why, size,
             "Content-Type: without API keys (--no-auth) a POST must say application/json, "
             "application/x-ndjson or application/jsonl (a form cannot), not '%.100s'",
             type ? type : "(none)");
    return 415;
}

/* ---- bodies, grown as they arrive ---- */

/* Makes room for `need` body bytes, counting the growth against the server's
 * bodies in flight. 0, or -1 when the server holds too many bytes already:
 * the caller drops the body and answers 503. */
static int body_room(gn_http_server *s, request *r, size_t need)
{
    if (need + 1 <= r->body.cap) return 0;
    size_t cap = r->body.cap ? r->body.cap : 16384;
    while (cap < need + 1)
        cap *= 2;
    if (cap > s->max_body + 1) cap = s->max_body + 1; /* need <= max_body here */
    size_t extra = cap - r->body.cap;
    size_t before = atomic_fetch_add(&s->inflight, extra);
    if (before + extra > s->max_inflight) {
        atomic_fetch_sub(&s->inflight, extra);
        return -1;
    }
    r->body.data = gn_xrealloc(r->body.data, cap);
    r->body.cap = cap;
    r->held += extra;
    return 0;
}

static void body_drop(gn_http_server *s, request *r)
{
    gn_buf_free(&r->body);
    atomic_fetch_sub(&s->inflight, r->held);
    r->held = 0;
}

/* ---- replies ---- */

static void count_reply(gn_http_server *s, unsigned code)
{
    size_t i = 0;
    while (i < N_CODES && counted_codes[i] != code)
        i++;
    atomic_fetch_add_explicit(&s->replies[i], 1, memory_order_relaxed);
}

/* Queues body (malloc'd; handed over) with its content type. */
static enum MHD_Result reply(gn_http_server *s, struct MHD_Connection *c, request *r, unsigned code,
                             const char *content_type, char *body, size_t len)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
    if (!resp) {
        free(body);
        return MHD_NO;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    if (code == MHD_HTTP_METHOD_NOT_ALLOWED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
                                posted(r->route) ? "POST" : "GET, HEAD");
    if (code == MHD_HTTP_UNAUTHORIZED)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (code == 429 && r->wait) {
        char wait[16];
        snprintf(wait, sizeof wait, "%u", r->wait);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, wait);
    }
    enum MHD_Result ok = MHD_queue_response(c, code, resp);
    MHD_destroy_response(resp);
    r->answered = 1;
    count_reply(s, code);
    return ok;
}

static enum MHD_Result reply_json(gn_http_server *s, struct MHD_Connection *c, request *r,
                                  unsigned code, gn_buf *b)
{
    size_t len = b->len;
    return reply(s, c, r, code, "application/json", gn_buf_take(b), len);
}

__attribute__((format(printf, 5, 6))) static enum MHD_Result reply_error(gn_http_server *s,
                                                                         struct MHD_Connection *c,
                                                                         request *r, unsigned code,
                                                                         const char *fmt, ...)
{
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"error\":");
    gn_buf_json_string(&b, message);
    gn_buf_puts(&b, "}");
    return reply_json(s, c, r, code, &b);
}

/* ---- the engine's lock ---- */

/* Takes the engine for anything but POST /v1/events: with group commit,
 * once the open group and the one in flight are committed (new POSTs wait
 * meanwhile), so what is read was committed and a commit made here holds
 * no request's events. */
static void engine_enter(gn_http_server *s)
{
    pthread_mutex_lock(&s->engine_lock);
    if (!s->grouping) return;
    s->quiet++;
    while (s->open || s->flight)
        pthread_cond_wait(&s->group_cond, &s->engine_lock);
    s->quiet--;
}

static void engine_leave(gn_http_server *s)
{
    if (s->grouping) pthread_cond_broadcast(&s->group_cond);
    pthread_mutex_unlock(&s->engine_lock);
}

/* engine_enter for a call that takes the lock itself (POST /v1/verify):
 * no group opens until quiet_end. */
static void quiet_begin(gn_http_server *s)
{
    if (!s->grouping) return;
    pthread_mutex_lock(&s->engine_lock);
    s->quiet++;
    while (s->open || s->flight)
        pthread_cond_wait(&s->group_cond, &s->engine_lock);
    pthread_mutex_unlock(&s->engine_lock);
}

static void quiet_end(gn_http_server *s)
{
    if (!s->grouping) return;
    pthread_mutex_lock(&s->engine_lock);
    s->quiet--;
    pthread_cond_broadcast(&s->group_cond);
    pthread_mutex_unlock(&s->engine_lock);
}

/* Under the engine's lock: the group a POST's events join. */
static group *group_join(gn_http_server *s)
{
    while (s->quiet)
        pthread_cond_wait(&s->group_cond, &s->engine_lock);
    if (!s->open) s->open = gn_xcalloc(1, sizeof *s->open);
    s->open->refs++;
    return s->open;
}

static void group_end(gn_http_server *s, group *g, const char *why)
{
    g->done = 1;
    g->failed = why != NULL;
    if (why) snprintf(g->why, sizeof g->why, "%s", why);
    pthread_cond_broadcast(&s->group_cond);
}

/* Under the engine's lock, once the request's events were decided (failed:
 * the engine rolled its batch back, every request's events in the open
 * group with it): waits until the request's group is committed, committing
 * it itself when no commit is in flight. The flush runs without the lock,
 * so the next requests are decided meanwhile, into the next group. A commit
 * that failed fails the group begun on it too, and the state is rebuilt
 * from the log. The thread that sends a commit reads its answers itself,
 * without taking the lock in between: a thread holding the lock may wait
 * for the flight to end (its batch may not chain: another node waits for
 * the log's lock), so a reader that needed the lock first would never come.
 * 0, or GN_ESTORE with err saying why. */
static int group_wait(gn_http_server *s, group *g, int failed, gn_error *err)
{
    if (failed && s->open == g) {
        group_end(s, g, err->message);
        s->open = NULL;
    }
    while (!g->done) {
        if (s->flight || s->open != g) {
            pthread_cond_wait(&s->group_cond, &s->engine_lock);
            continue;
        }
        s->open = NULL;
        gn_error why = {0};
        int started = gn_group_commit_start(s->engine, &why);
        if (started <= 0) {
            group_end(s, g, started < 0 ? why.message : NULL);
            continue;
        }
        s->flight = g;
        pthread_mutex_unlock(&s->engine_lock);
        int lost = gn_group_commit_finish(s->engine, &why);
        pthread_mutex_lock(&s->engine_lock);
        s->flight = NULL;
        if (lost) {
            if (s->open) {
                group_end(s, s->open, why.message);
                s->open = NULL;
            }
            gn_group_commit_failed(s->engine);
        }
        group_end(s, g, lost ? why.message : NULL);
    }
    int rc = g->failed ? gn_fail(err, GN_ESTORE, "%s", g->why) : 0;
    if (--g->refs == 0) free(g);
    return rc;
}

/* ---- keys ---- */

/* Fills r->who from the Authorization header; 0, or the status to reply. */
static unsigned authenticate(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    if (s->no_auth) {
        r->who.role = GN_ROLE_PLATFORM;
        return 0;
    }
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (!h || strncasecmp(h, "Bearer ", 7) != 0) return MHD_HTTP_UNAUTHORIZED;
    const char *key = h + 7;
    while (*key == ' ')
        key++;
    size_t n = strlen(key);
    if (n == 0 || n > 128) return MHD_HTTP_UNAUTHORIZED;
    if (gn_key_cache_find(&s->keys, key, &r->who)) return 0;
    char role[64], account[257];
    gn_error err;
    engine_enter(s);
    int rc = gn_key_check(s->engine, key, role, sizeof role, account, sizeof account, &err);
    engine_leave(s);
    if (rc == GN_ENOTFOUND) { /* unknown, or revoked or deleted since it was last checked */
        gn_key_cache_forget(&s->keys, key);
        return MHD_HTTP_UNAUTHORIZED;
    }
    if (rc) return MHD_HTTP_INTERNAL_SERVER_ERROR;
    r->who.role = gn_role_from_name(role);
    if (r->who.role == GN_ROLE_UNKNOWN) return MHD_HTTP_UNAUTHORIZED;
    snprintf(r->who.account, sizeof r->who.account, "%s", account);
    gn_key_cache_put(&s->keys, key, &r->who);
    return 0;
}

/* ---- POST /v1/events ---- */

typedef struct refusal {
    int refused; /* set first: a message that could not be copied still refuses */
    char *why;   /* "forbidden: ..." (NULL when out of memory) */
    char *id;
} refusal;

/* Which events this key may not post, checked before the engine is locked. */
static size_t check_posts(const gn_principal *who, const char *body, const gn_event_spans *spans,
                          refusal *out)
{
    size_t refused = 0;
    for (size_t i = 0; i < spans->count; i++) {
        const char *event = body + spans->items[i].offset;
        size_t len = spans->items[i].length;
        char why[600];
        if (gn_auth_may_post(who, event, len, why, sizeof why)) continue;
        out[i].refused = 1;
        json_t *root = json_loadb(event, len, 0, NULL);
        const char *id = json_string_value(json_object_get(root, "id"));
        out[i].why = gn_xstrdup(why); /* never NULL: NULL would read as "not refused" */
        out[i].id = gn_xstrdup(id ? id : "");
        json_decref(root);
        refused++;
    }
    return refused;
}

static void put_result(gn_buf *b, const char *id, const char *status, const char *error,
                       const char *decision, const char *alert)
{
    gn_buf_puts(b, "{\"id\":");
    gn_buf_json_string(b, id ? id : "");
    gn_buf_puts(b, ",\"status\":\"");
    gn_buf_puts(b, status);
    gn_buf_puts(b, "\"");
    if (error) {
        gn_buf_puts(b, ",\"error\":");
        gn_buf_json_string(b, error);
    }
    if (decision) {
        gn_buf_puts(b, ",\"decision\":");
        gn_buf_puts(b, decision);
    }
    if (alert) {
        gn_buf_puts(b, ",\"alert\":");
        gn_buf_puts(b, alert);
    }
    gn_buf_puts(b, "}");
}

/* Photos by url or path become hashes here, on this worker thread before
 * the engine is locked (media/photos.h), under one budget for the whole
 * request: a slow or hostile image server holds up only its own request.
 * [i].text: the event to ingest in place of span i (NULL: as sent); [i].why:
 * why it is refused. NULL when there is nothing to do. */
typedef struct photo_text {
    char *text, *why, *id;
    size_t len;
    int failed; /* set first: a message that could not be copied still refuses */
} photo_text;

static photo_text *resolve_photos(gn_http_server *s, const request *r, const char *body,
                                  const gn_event_spans *spans, const refusal *refused)
{
    if (!s->photos || !spans->count) return NULL;
    photo_text *t = gn_xcalloc(spans->count, sizeof *t);
    gn_photo_budget budget;
    gn_photo_budget_start(&budget, s->photos, 1);
    gn_photo_sender who = r->who.role == GN_ROLE_PLATFORM ? GN_PHOTOS_PLATFORM : GN_PHOTOS_OTHER;
    for (size_t i = 0; i < spans->count; i++) {
        if (refused && refused[i].refused) continue;
        const char *event = body + spans->items[i].offset;
        gn_error err;
        if (gn_photos_resolve(s->photos, who, &budget, event, spans->items[i].length, &t[i].text,
                              &t[i].len, &err) == 0)
            continue;
        t[i].failed = 1;
        json_t *root = json_loadb(event, spans->items[i].length, 0, NULL);
        const char *id = json_string_value(json_object_get(root, "id"));
        t[i].why = gn_xstrdup(err.message);
        t[i].id = gn_xstrdup(id ? id : "");
        json_decref(root);
    }
    return t;
}

static enum MHD_Result post_events(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    static const char *const status[] = {"accepted", "duplicate", "rejected"};
    const char *body = r->body.data ? r->body.data : "";
    gn_event_spans spans = {0};
    gn_error err = {0};
    int rc = gn_events_split(body, r->body.len, &spans, &err);
    if (rc) {
        gn_event_spans_free(&spans);
        return reply_error(s, c, r, rc == GN_EINPUT ? 400 : 500, "%s", err.message);
    }
    refusal *refused = NULL;
    photo_text *photos = NULL;
    size_t n_refused = 0;
    if (r->who.role != GN_ROLE_PLATFORM && spans.count) {
        refused = gn_xcalloc(spans.count, sizeof *refused);
        if (!refused) {
            gn_event_spans_free(&spans);
            return reply_error(s, c, r, 500, "out of memory");
        }
        n_refused = check_posts(&r->who, body, &spans, refused);
    }
    enum MHD_Result ok;
    if (spans.count && n_refused == spans.count) {
        ok = reply_error(s, c, r, 403, "%s", refused[0].why ? refused[0].why : "forbidden");
        goto out;
    }
    gn_buf out = {0};
    gn_buf_reserve(&out, 64 + (spans.count < 8192 ? spans.count : 8192) * 320);
    gn_buf_puts(&out, "{\"results\":[");
    /* Who sent the events, logged with them: the key's role and account, and
     * the wall clock a non-platform sender's `at` may not run far past. */
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    gn_sender from = {gn_role_name(r->who.role), r->who.account,
                      (int64_t)now.tv_sec * 1000 + now.tv_nsec / 1000000};
    photos = resolve_photos(s, r, body, &spans, refused);
    pthread_mutex_lock(&s->engine_lock);
    group *g = s->grouping ? group_join(s) : NULL;
    for (size_t i = 0; i < spans.count && !rc; i++) {
        if (i) gn_buf_puts(&out, ",");
        if (refused && refused[i].refused) {
            put_result(&out, refused[i].id, "rejected",
                       refused[i].why ? refused[i].why : "forbidden", NULL, NULL);
            continue;
        }
        if (photos && photos[i].failed) {
            put_result(&out, photos[i].id, "rejected",
                       photos[i].why ? photos[i].why : "its photos could not be checked", NULL,
                       NULL);
            continue;
        }
        int hashed = photos && photos[i].text;
        gn_result res;
        rc =
            gn_ingest_from(s->engine, &from, hashed ? photos[i].text : body + spans.items[i].offset,
                           hashed ? photos[i].len : spans.items[i].length, &res, &err);
        if (!rc)
            put_result(&out, res.id, status[res.outcome], res.error, res.decision_json,
                       res.alert_json);
    }
    /* Commit even after a failed gn_ingest: one transaction either way, and
     * nothing of this request is acknowledged unless everything is. With
     * group commit, once its group's commit returned: even a request that
     * wrote nothing (duplicates) waits, as its answers rest on what the
     * open group holds. */
    int committed = g ? group_wait(s, g, rc, &err) : gn_commit(s->engine, rc ? NULL : &err);
    pthread_mutex_unlock(&s->engine_lock);
    if (rc || committed) {
        gn_buf_free(&out);
        ok = reply_error(s, c, r, 500, "nothing in this request was acknowledged: %s", err.message);
        goto out;
    }
    gn_buf_puts(&out, "]}");
    ok = reply_json(s, c, r, 200, &out);
out:
    for (size_t i = 0; refused && i < spans.count; i++) {
        free(refused[i].why);
        free(refused[i].id);
    }
    free(refused);
    for (size_t i = 0; photos && i < spans.count; i++)
        free(photos[i].text), free(photos[i].why), free(photos[i].id);
    free(photos);
    gn_event_spans_free(&spans);
    return ok;
}

/* ---- reads ---- */

static enum MHD_Result get_metrics(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    char why[600];
    if (!gn_auth_may_read(&r->who, GN_REC_METRICS, NULL, why, sizeof why))
        return reply_error(s, c, r, 403, "%s", why);
    engine_enter(s);
    char *engine_text = gn_metrics_text(s->engine);
    engine_leave(s);
    gn_buf b = {0};
    gn_buf_puts(&b, engine_text ? engine_text : "");
    gn_free(engine_text);
    gn_buf_puts(&b, "# HELP genuine_http_responses_total HTTP responses sent, by status.\n"
                    "# TYPE genuine_http_responses_total counter\n");
    /* This reply is counted once queued, so it shows in the next scrape. */
    for (size_t i = 0; i <= N_CODES; i++) {
        unsigned long n = atomic_load_explicit(&s->replies[i], memory_order_relaxed);
        if (i < N_CODES)
            gn_buf_printf(&b, "genuine_http_responses_total{code=\"%u\"} %lu\n", counted_codes[i],
                          n);
        else
            gn_buf_printf(&b, "genuine_http_responses_total{code=\"other\"} %lu\n", n);
    }
    size_t len = b.len;
    return reply(s, c, r, 200, "text/plain; version=0.0.4", gn_buf_take(&b), len);
}

/* The library's read for a route; the caller holds the engine's lock. id is
 * the record (for lists: whose list), seller cuts a complaint down to that
 * seller's notices (NULL: whole). */
static char *engine_read(gn_http_server *s, request *r, const char *id, const char *seller,
                         int limit, gn_error *err)
{
    gn_engine *e = s->engine;
    switch (r->route) {
    case ROUTE_LISTING:
        return gn_listing_json(e, id, err);
    case ROUTE_SELLER:
        return gn_seller_json(e, id, gn_auth_shows_links(&r->who), err);
    case ROUTE_COMPLAINT:
        return gn_complaint_json(e, id, seller, err);
    case ROUTE_COMPLAINTS:
        return gn_complaints_json(e, id, err);
    case ROUTE_RIGHT:
        return gn_right_json(e, id, err);
    case ROUTE_NOTICES:
        return gn_notices_json(e, id, err);
    case ROUTE_FILER:
        return gn_filer_json(e, id, err);
    case ROUTE_REPORTS:
        return gn_reports_json(e, limit, err);
    case ROUTE_APPEAL:
        return gn_appeal_json(e, id, err);
    case ROUTE_QUEUE:
        return gn_queue_json(e, limit, err);
    case ROUTE_STATS:
        return gn_stats_json(e, err);
    case ROUTE_REVIEW:
        return gn_review_json(e, id, err);
    case ROUTE_SELLER_LISTINGS:
        return gn_seller_listings_json(e, id, limit, err);
    case ROUTE_BATCHES: /* a rights holder's: its own brands' */
        return gn_batches_json(e, id, r->who.role == GN_ROLE_RIGHTS_HOLDER ? r->who.account : NULL,
                               err);
    default:
        gn_fail(err, GN_EINPUT, "not a read");
        return NULL;
    }
}

/* The exports (statements, audit log, remediation, case files) and the
 * transparency report, in the format the query asks for; the caller holds
 * the engine's lock. *type receives the reply's content type. */
static char *export_read(gn_http_server *s, struct MHD_Connection *c, request *r, const char *id,
                         const char **type, gn_error *err)
{
    gn_engine *e = s->engine;
    const char *format = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "format");
#define ARG(name) MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name)
    int csv = r->route == ROUTE_REMEDIATION && format && strcmp(format, "csv") == 0;
    int html = r->route == ROUTE_CASE && format && strcmp(format, "html") == 0;
    if (format && !csv && !html && strcmp(format, "json") != 0) {
        gn_fail(err, GN_EINPUT, "format: '%s' is not one of %s", format,
                r->route == ROUTE_REMEDIATION ? "json, csv"
                : r->route == ROUTE_CASE      ? "json, html"
                                              : "json");
        return NULL;
    }
    *type = "application/json";
    if (r->route == ROUTE_TRANSPARENCY) {
        const char *period = ARG("period");
        return gn_transparency_json(e, period ? period : "month", err);
    }
    if (r->route == ROUTE_CASE && !html) return gn_case_json(e, id, err);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) {
        gn_fail(err, GN_ENOMEM, "out of memory");
        return NULL;
    }
    int rc;
    switch (r->route) {
    case ROUTE_STATEMENTS:
        rc = gn_statements_write(e, out, ARG("since"), err);
        break;
    case ROUTE_AUDIT:
        rc = ARG("id") && !ARG("record") ? gn_fail(err, GN_EINPUT, "id: give record=KIND with it")
                                         : gn_audit_write(e, out, ARG("record"), ARG("id"), err);
        break;
    case ROUTE_REMEDIATION:
        rc = gn_remediation_write(e, out, csv, err);
        break;
    default: { /* ROUTE_CASE as HTML */
        char *bundle = gn_case_json(e, id, err);
        rc = bundle ? gn_case_html_from_json(bundle, out, err) : err->code;
        gn_free(bundle);
    }
    }
#undef ARG
    if (fclose(out) && !rc) rc = gn_fail(err, GN_ENOMEM, "out of memory");
    if (rc) {
        free(text);
        return NULL;
    }
    *type = html  ? "text/html; charset=utf-8"
            : csv ? "text/csv; charset=utf-8"
                  : "application/x-ndjson";
    return text;
}

static int is_export(route which)
{
    return which == ROUTE_STATEMENTS || which == ROUTE_TRANSPARENCY || which == ROUTE_AUDIT ||
           which == ROUTE_REMEDIATION || which == ROUTE_CASE;
}

/* Every GET of a record or a list: the permission table says how much the key
 * may see (auth.c), the library reads under the engine's lock, and records a
 * role may read only when they are its own are checked once read. */
static enum MHD_Result get_read(gn_http_server *s, struct MHD_Connection *c, request *r,
                                const char *id)
{
    const gn_principal *who = &r->who;
    /* Lists say whose list they are in the query. */
    const char *param = r->route == ROUTE_COMPLAINTS ? "rights_holder"
                        : r->route == ROUTE_NOTICES || r->route == ROUTE_SELLER_LISTINGS ? "seller"
                        : r->route == ROUTE_BATCHES                                      ? "brand"
                                                                                         : NULL;
    if (param) {
        id = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, param);
        if (id && !*id) return reply_error(s, c, r, 400, "%s: expected an account id", param);
    }
    char why[600];
    gn_scope scope = gn_auth_may_read(who, r->record, id, why, sizeof why);
    if (scope == GN_SCOPE_NONE) return reply_error(s, c, r, 403, "%s", why);
    if (param && !id && scope == GN_SCOPE_SELF) id = who->account; /* its own list */
    if ((r->route == ROUTE_NOTICES || r->route == ROUTE_SELLER_LISTINGS) && !id)
        return reply_error(s, c, r, 400, "seller: GET %s needs ?seller=ID, the seller whose %s",
                           r->route == ROUTE_NOTICES ? "/v1/notices" : "/v1/listings",
                           r->route == ROUTE_NOTICES ? "open notices to read" : "listings to read");
    int limit = 100;
    const char *arg = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "limit");
    if (arg && (r->route == ROUTE_QUEUE || r->route == ROUTE_REPORTS ||
                r->route == ROUTE_SELLER_LISTINGS)) {
        char *end;
        long n = strtol(arg, &end, 10);
        if (*end || n < 1 || n > 1000)
            return reply_error(s, c, r, 400, "limit: expected a whole number from 1 to 1000");
        limit = (int)n;
    }
    gn_error err = {0};
    const char *type = "application/json";
    engine_enter(s);
    /* the dashboard over a period: figures counted by day, no scan */
    const char *since = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "since");
    const char *until = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "until");
    const char *brand = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "brand");
    const char *category = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "category");
    int period = r->route == ROUTE_STATS && (since || until || brand || category);
    char *json = is_export(r->route) ? export_read(s, c, r, id, &type, &err)
                 : period ? gn_stats_filtered_json(s->engine, since, until, brand, category, &err)
                          : engine_read(s, r, id, scope == GN_SCOPE_NOTICES ? who->account : NULL,
                                        limit, &err);
    engine_leave(s);
    /* A tenant reading a record only if its own: another's (for a complaint,
     * one naming none of its listings) and a missing one answer alike. */
    int own_only = scope == GN_SCOPE_OWN || scope == GN_SCOPE_NOTICES;
    if (!json && own_only && (err.code == GN_ENOTFOUND || err.code == GN_EFORBIDDEN)) {
        gn_auth_not_found(who, r->record, id, why, sizeof why);
        return reply_error(s, c, r, 404, "%s", why);
    }
    if (!json)
        return reply_error(s, c, r,
                           err.code == GN_ENOTFOUND ? 404
                           : err.code == GN_EINPUT  ? 400
                                                    : 500,
                           "%s", err.message);
    size_t len = strlen(json);
    if (scope == GN_SCOPE_OWN && !gn_auth_owns(who, r->record, id, json, len, why, sizeof why)) {
        free(json);
        gn_auth_not_found(who, r->record, id, why, sizeof why);
        return reply_error(s, c, r, 404, "%s", why);
    }
    return reply(s, c, r, 200, type, json, len);
}

/* GET /v1/whoami: the key's role and account, for the console to show each
 * role its own part. */
static enum MHD_Result get_whoami(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"role\":");
    gn_buf_json_string(&b, gn_role_name(r->who.role));
    gn_buf_puts(&b, ",\"account\":");
    gn_buf_json_string(&b, r->who.account);
    gn_buf_puts(&b, "}");
    return reply_json(s, c, r, 200, &b);
}

/* POST /v1/claims and /v1/claims/release: review work under a lease
 * (claims.c). A reviewer key with an account claims as that reviewer; a
 * desk key or the platform names one with ?reviewer=. */
static enum MHD_Result post_claim(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    char why[600];
    if (gn_auth_may_read(&r->who, GN_REC_CLAIMS, NULL, why, sizeof why) == GN_SCOPE_NONE)
        return reply_error(s, c, r, 403, "%s", why);
#define ARG(name) MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, name)
    const char *queue = ARG("queue"), *named = ARG("reviewer"), *item = ARG("item");
    const char *skip = ARG("skip");
#undef ARG
    const char *reviewer = r->who.account[0] ? r->who.account : named;
    if (named && r->who.account[0] && strcmp(named, r->who.account) != 0)
        return reply_error(s, c, r, 403,
                           "forbidden: a reviewer key for '%s' claims as '%s', not '%.100s'",
                           r->who.account, r->who.account, named);
    if (!reviewer)
        return reply_error(s, c, r, 400,
                           "reviewer: a key without an account names the reviewer who claims "
                           "(?reviewer=NAME)");
    if (r->route == ROUTE_RELEASE && (!item || !*item))
        return reply_error(s, c, r, 400, "item: the listing or appeal whose claim ends");
    if (skip && strcmp(skip, "0") != 0 && strcmp(skip, "1") != 0)
        return reply_error(s, c, r, 400, "skip: expected 0 or 1");
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    gn_buf out = {0};
    gn_error err = {0};
    engine_enter(s);
    int rc = gn_claims_answer(s->engine, queue ? queue : "listings", reviewer,
                              r->route == ROUTE_RELEASE ? item : NULL, skip && *skip == '1',
                              (double)now.tv_sec + now.tv_nsec / 1e9, s->claim_seconds, &out, &err);
    engine_leave(s);
    if (rc) {
        gn_buf_free(&out);
        return reply_error(s, c, r,
                           rc == GN_EINPUT      ? 400
                           : rc == GN_ENOTFOUND ? 404
                                                : 500,
                           "%s", err.message);
    }
    return reply_json(s, c, r, 200, &out);
}

/* POST /v1/backtest: a Lua rule tried on the last days' listings in a copy
 * of the engine (engine/backtest.c), the platform's only, one at a time. */
static enum MHD_Result post_backtest(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    char why[600];
    if (gn_auth_may_read(&r->who, GN_REC_BACKTEST, NULL, why, sizeof why) == GN_SCOPE_NONE)
        return reply_error(s, c, r, 403, "%s", why);
    if (r->too_large || r->body.len > GN_BACKTEST_MAX_RULE + 4096)
        return reply_error(s, c, r, 413, "a backtest's body is at most %d bytes",
                           GN_BACKTEST_MAX_RULE + 4096);
    json_error_t jerr;
    json_t *root = json_loadb(r->body.data ? r->body.data : "", r->body.len, JSON_ALLOW_NUL, &jerr);
    if (!json_is_object(root)) {
        json_decref(root);
        return reply_error(s, c, r, 400,
                           "expected a JSON object {\"rule\":\"...\", \"days\", "
                           "\"max_listings\", \"seconds\"}: %s",
                           root ? "not an object" : jerr.text);
    }
    gn_backtest_options o = {0};
    const char *key;
    json_t *v;
    const char *bad = NULL;
    json_object_foreach(root, key, v)
    {
        if (strcmp(key, "rule") == 0) {
            if (!json_is_string(v)) bad = key;
        } else if (strcmp(key, "days") == 0 || strcmp(key, "seconds") == 0) {
            if (!json_is_number(v) || !(json_number_value(v) > 0)) bad = key;
            *(strcmp(key, "days") == 0 ? &o.days : &o.seconds) = json_number_value(v);
        } else if (strcmp(key, "max_listings") == 0 || strcmp(key, "examples") == 0) {
            json_int_t n = json_is_integer(v) ? json_integer_value(v) : -1;
            if (n < 1) bad = key;
            if (key[0] == 'm')
                o.max_listings = (size_t)(n > 0 ? n : 0);
            else
                o.examples = n > 0 && n < 1000 ? (int)n : 0;
        } else {
            bad = key;
        }
        if (bad) break;
    }
    if (bad) {
        char field[128];
        snprintf(field, sizeof field, "%s", bad);
        json_decref(root);
        return reply_error(s, c, r, 400, "%.100s: %s", field,
                           strcmp(field, "rule") == 0 ? "expected the Lua text as a string"
                           : strcmp(field, "days") == 0 || strcmp(field, "seconds") == 0
                               ? "expected a number above 0"
                           : strcmp(field, "max_listings") == 0 || strcmp(field, "examples") == 0
                               ? "expected a whole number of at least 1"
                               : "not a field of a backtest (rule, days, max_listings, seconds, "
                                 "examples)");
    }
    json_t *rule = json_object_get(root, "rule");
    if (atomic_flag_test_and_set(&s->backtesting)) {
        json_decref(root);
        return reply_error(s, c, r, 503, "another backtest is running: retry when it ends");
    }
    gn_error err = {0};
    char *json = gn_backtest_json(s->engine, &s->engine_lock, json_string_value(rule),
                                  json_string_length(rule), &o, &err);
    atomic_flag_clear(&s->backtesting);
    json_decref(root);
    if (!json) return reply_error(s, c, r, err.code == GN_EINPUT ? 400 : 500, "%s", err.message);
    return reply(s, c, r, 200, "application/json", json, strlen(json));
}

/* ---- routing ---- */

/* POST /v1/verify needs no key: its address's rate is its only limit. */
static enum MHD_Result begin_verify(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    unsigned char addr[16];
    address_key(info ? info->client_addr : NULL, addr);
    r->wait = gn_verify_limiter_take(&s->verify, addr, gn_monotonic_seconds());
    if (r->wait)
        return reply_error(s, c, r, 429,
                           "too many verifications from your address: try again in %u s", r->wait);
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length && strtoull(length, NULL, 10) > 4096)
        return reply_error(s, c, r, 413, "a verification is a small JSON object (at most 4 KiB)");
    return MHD_YES;
}

static enum MHD_Result post_verify(gn_http_server *s, struct MHD_Connection *c, request *r)
{
    if (r->body.len > 4096)
        return reply_error(s, c, r, 413, "a verification is a small JSON object (at most 4 KiB)");
    char *json;
    quiet_begin(s);
    unsigned code = gn_verify_answer(s->engine, &s->engine_lock, &s->verify,
                                     r->body.data ? r->body.data : "", r->body.len, &json);
    quiet_end(s);
    if (!json) return reply_error(s, c, r, 500, "out of memory");
    size_t len = strlen(json);
    char *body = gn_xstrdup(json);
    gn_free(json);
    return reply(s, c, r, code, "application/json", body, len);
}

/* The first call of a request: headers are in, the body (if any) is not. */
static enum MHD_Result begin(gn_http_server *s, struct MHD_Connection *c, request *r,
                             const char *url, const char *method)
{
    int is_get = strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
    int is_post = strcmp(method, "POST") == 0;
    size_t i = 0;
    for (; i < sizeof routes / sizeof *routes; i++) {
        size_t n = strlen(routes[i].path);
        if (routes[i].path[n - 1] == '/' && n > 1 ? strncmp(url, routes[i].path, n) == 0 && url[n]
                                                  : strcmp(url, routes[i].path) == 0)
            break;
    }
    if (i == sizeof routes / sizeof *routes)
        return reply_error(s, c, r, 404, "no such endpoint: %s %s", method, url);
    r->route = routes[i].route;
    r->record = routes[i].record;
    if (routes[i].path[strlen(routes[i].path) - 1] == '/' && routes[i].path[1])
        r->id_at = strlen(routes[i].path);

    if (posted(r->route) ? !is_post : !is_get)
        return reply_error(s, c, r, 405, "%s is not allowed on %s (use %s)", method, url,
                           posted(r->route) ? "POST" : "GET");
    if (over_client_limit(c))
        return reply_error(s, c, r, 429,
                           "too many connections from your address: at most %u are answered at "
                           "once; reuse one (keep-alive) or wait for one to close",
                           s->per_client);
    if (s->no_auth) {
        char why[400];
        unsigned refused = no_auth_refusal(s, c, is_post, why, sizeof why);
        if (refused) return reply_error(s, c, r, refused, "%s", why);
    }
    /* A GET is answered on the next call, once the request is read: a reply
     * queued now would make libmicrohttpd close the connection after it, and
     * readers keep theirs alive. */
    if (r->route == ROUTE_VERIFY) return begin_verify(s, c, r);
    if (r->route == ROUTE_BACKTEST) { /* a rule is small: refuse a large body unread */
        const char *length =
            MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length && strtoull(length, NULL, 10) > GN_BACKTEST_MAX_RULE + 4096)
            return reply_error(s, c, r, 413, "a backtest's body is at most %d bytes",
                               GN_BACKTEST_MAX_RULE + 4096);
    }
    if (r->route != ROUTE_EVENTS) return MHD_YES;
    unsigned denied = authenticate(s, c, r);
    if (denied == MHD_HTTP_UNAUTHORIZED)
        return reply_error(s, c, r, 401,
                           "a valid API key is required: send 'Authorization: Bearer KEY'");
    if (denied) return reply_error(s, c, r, denied, "the key could not be checked");
    /* POST /v1/events: refuse an announced oversize body before reading it. */
    const char *length =
        MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    unsigned long long announced = length ? strtoull(length, NULL, 10) : 0;
    if (announced > s->max_body)
        return reply_error(s, c, r, 413, "the body is over the limit of %zu bytes", s->max_body);
    /* Nothing is reserved for the announced length: the body grows as its
     * bytes arrive (body_room), so announcing 16 MiB costs nothing. */
    return MHD_YES;
}

/* A GET, its request read. */
static enum MHD_Result answer_get(gn_http_server *s, struct MHD_Connection *c, request *r,
                                  const char *url)
{
    if (r->route == ROUTE_CONSOLE) { /* its files are public: the page asks for a key */
        unsigned code;
        struct MHD_Response *resp = gn_console_response(&s->console, url, &code);
        if (!resp) return MHD_NO;
        enum MHD_Result ok = MHD_queue_response(c, code, resp);
        MHD_destroy_response(resp);
        r->answered = 1;
        count_reply(s, code);
        return ok;
    }
    if (r->route == ROUTE_HEALTHZ) {
        /* The server starts only once the engine is open: serving means ready. */
        char *ok = gn_xstrdup("{\"status\":\"ok\"}");
        return ok ? reply(s, c, r, 200, "application/json", ok, strlen(ok)) : MHD_NO;
    }
    unsigned denied = authenticate(s, c, r);
    if (denied == MHD_HTTP_UNAUTHORIZED)
        return reply_error(s, c, r, 401,
                           "a valid API key is required: send 'Authorization: Bearer KEY'");
    if (denied) return reply_error(s, c, r, denied, "the key could not be checked");
    if (r->route == ROUTE_METRICS) return get_metrics(s, c, r);
    if (r->route == ROUTE_WHOAMI) return get_whoami(s, c, r);
    if (r->route == ROUTE_CLAIM || r->route == ROUTE_RELEASE) return post_claim(s, c, r);
    if (r->route == ROUTE_BACKTEST) return post_backtest(s, c, r);
    return get_read(s, c, r, r->id_at ? url + r->id_at : NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls)
{
    gn_http_server *s = cls;
    request *r = *con_cls;
    if (!r) {
        r = gn_xcalloc(1, sizeof *r);
        *con_cls = r;
        return begin(s, c, r, url, method);
    }
    if (*upload_size) {
        if (!r->answered && !r->too_large && !r->too_busy) {
            if (r->body.len + *upload_size > s->max_body) {
                r->too_large = 1; /* sent without a Content-Length, or lied about it */
                body_drop(s, r);
            } else if (body_room(s, r, r->body.len + *upload_size)) {
                r->too_busy = 1;
                body_drop(s, r);
            } else {
                memcpy(r->body.data + r->body.len, upload, *upload_size);
                r->body.len += *upload_size;
                r->body.data[r->body.len] = 0;
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->answered) return MHD_YES;
    if (r->route == ROUTE_VERIFY) return post_verify(s, c, r);
    if (r->route != ROUTE_EVENTS) return answer_get(s, c, r, url);
    if (r->too_large)
        return reply_error(s, c, r, 413, "the body is over the limit of %zu bytes", s->max_body);
    if (r->too_busy)
        return reply_error(s, c, r, 503,
                           "the server is reading %zu bytes of other requests' bodies, its limit: "
                           "retry in a moment",
                           s->max_inflight);
    return post_events(s, c, r);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode why)
{
    gn_http_server *s = cls;
    request *r = *con_cls;
    if (!r) return;
    body_drop(s, r);
    free(r);
    *con_cls = NULL;
}

/* ---- life cycle ---- */

int gn_http_start(gn_http_server **out, gn_engine *engine, const gn_http_options *o, gn_error *err)
{
    *out = NULL;
    const char *listen = o->listen ? o->listen : GN_HTTP_DEFAULT_LISTEN;
    int rc = gn_http_check_options(o, err);
    if (rc) return rc;
    address a;
    if ((rc = parse_listen(listen, &a, err))) return rc;
    gn_http_server *s = gn_xcalloc(1, sizeof *s);
    s->engine = engine;
    s->no_auth = o->no_auth;
    s->photos = o->photos;
    if (o->console) s->console = *o->console;
    s->claim_seconds = o->claim_seconds > 0 ? o->claim_seconds : GN_CLAIM_DEFAULT_SECONDS;
    s->max_body = o->max_body ? o->max_body : GN_HTTP_DEFAULT_MAX_BODY;
    s->max_inflight = o->max_inflight ? o->max_inflight : 8 * s->max_body;
    if (s->max_inflight < s->max_body + 1) s->max_inflight = s->max_body + 1;
    s->per_client =
        o->max_client_connections ? o->max_client_connections : GN_HTTP_DEFAULT_CLIENT_CONNECTIONS;
    pthread_mutex_init(&s->engine_lock, NULL);
    pthread_mutex_init(&s->clients_lock, NULL);
    pthread_cond_init(&s->group_cond, NULL);
    s->grouping = gn_group_commit_able(engine);
    gn_verify_limiter_init(&s->verify, engine, o->verify_per_minute);
    if (gn_key_cache_init(&s->keys)) {
        pthread_mutex_destroy(&s->engine_lock);
        free(s);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    if (a.sa.ss_family == AF_INET6) flags |= MHD_USE_IPv6;
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&a.sa,
        /* with group commit, a request waits for its group's flush on its
         * thread: more threads, more requests per commit */
        MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)(o->threads    ? o->threads
                   : s->grouping ? GN_HTTP_GROUP_THREADS
                                 : 2),
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60,
        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)512, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
        s,
        /* The library closes connections past twice the answered limit at
         * once, so idle sockets that never send a request cannot pile up
         * either; those between the two get a 429. */
        MHD_OPTION_PER_IP_CONNECTION_LIMIT, 2 * s->per_client, MHD_OPTION_END);
    if (!s->daemon) {
        gn_verify_limiter_free(&s->verify);
        gn_key_cache_free(&s->keys);
        pthread_mutex_destroy(&s->engine_lock);
        pthread_mutex_destroy(&s->clients_lock);
        pthread_cond_destroy(&s->group_cond);
        free(s);
        return gn_fail(err, GN_EINPUT, "cannot listen on %s (in use, or not an address here?)",
                       listen);
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : 0;
    *out = s;
    return 0;
}

unsigned gn_http_port(const gn_http_server *s)
{
    return s->port;
}

void gn_http_stop(gn_http_server *s)
{
    if (!s) return;
    MHD_stop_daemon(s->daemon);
    gn_error ignored; /* the anonymous scans of POST /v1/verify not yet committed */
    if (s->verify.pending) gn_commit(s->engine, &ignored);
    gn_key_cache_free(&s->keys);
    gn_verify_limiter_free(&s->verify);
    pthread_mutex_destroy(&s->engine_lock);
    pthread_mutex_destroy(&s->clients_lock);
    pthread_cond_destroy(&s->group_cond);
    free(s->clients);
    free(s);
}

/* The server's clock: notice windows close on the wall clock as they would
 * on a later event's `at` (gn_advance is logged, so a replay runs the same
 * deadlines at the same point). */
static void tick(gn_http_server *s, double lag)
{
    char now[32];
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    gn_time_format((int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 - (int64_t)(lag * 1000), now,
                   sizeof now);
    gn_advance_report report;
    gn_error why;
    engine_enter(s);
    int failed = gn_advance(s->engine, now, &report, &why);
    engine_leave(s);
    if (failed)
        fprintf(stderr, "genuine: clock: deadlines up to %s not run: %s\n", now, why.message);
    else if (report.deadlines)
        fprintf(stderr,
                "genuine: clock: %zu notice windows closed by %s, %zu listings taken down\n",
                report.deadlines, now, report.removed);
}

static void train(gn_http_server *s)
{
    gn_error why;
    gn_train_report r;
    engine_enter(s);
    int failed = gn_train(s->engine, &r, &why);
    engine_leave(s);
    if (failed)
        fprintf(stderr, "genuine: no new model: %s\n", why.message);
    else
        fprintf(stderr, "genuine: model %d learned from %zu labels, %s: %s\n", r.version, r.rows,
                r.promoted ? "live" : "in shadow", r.json);
}

int gn_http_serve(gn_engine *engine, const gn_http_options *o, gn_error *err)
{
    /* Block the stop signals before the pool starts, so its threads inherit
     * the mask and this thread alone receives them, in sigwait. */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &stop, &old);
    gn_http_server *s;
    int rc = gn_http_start(&s, engine, o, err);
    if (rc) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        return rc;
    }
    address a;
    parse_listen(o->listen ? o->listen : GN_HTTP_DEFAULT_LISTEN, &a, NULL);
    int v6 = strchr(a.host, ':') != NULL;
    fprintf(stderr, "genuine: serving on http://%s%s%s:%u\n", v6 ? "[" : "", a.host, v6 ? "]" : "",
            gn_http_port(s));
    fflush(stderr);
    /* The loop wakes on a signal, or once a second: SIGHUP reloads the Lua
     * policy (a file that does not load leaves the running one in place, and
     * says why), the wall clock runs the notice deadlines it has passed, and
     * the model is retrained on its schedule. Each holds the engine, so
     * requests wait for it; a tick with nothing due logs nothing and takes
     * microseconds. */
    double train_every = o->train_hours * 3600, next_train = gn_monotonic_seconds() + train_every;
    for (;;) {
        int sig;
        if (o->no_clock && o->train_hours <= 0) {
            if (sigwait(&stop, &sig) != 0) break;
        } else {
            double wait = o->no_clock ? next_train - gn_monotonic_seconds() : 1;
            if (wait < 0.001) wait = 0.001;
            struct timespec ts = {(time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9)};
            sig = sigtimedwait(&stop, NULL, &ts);
        }
        if (sig == SIGHUP) {
            gn_error why;
            engine_enter(s);
            int failed = gn_policy_reload(engine, &why);
            engine_leave(s);
            fprintf(stderr,
                    failed ? "genuine: policy not reloaded: %s\n" : "genuine: policy reloaded%s\n",
                    failed ? why.message : "");
        } else if (sig >= 0) {
            break; /* SIGINT, SIGTERM */
        }
        if (!o->no_clock) tick(s, o->clock_lag);
        if (o->train_hours > 0 && gn_monotonic_seconds() >= next_train) {
            next_train = gn_monotonic_seconds() + train_every;
            train(s);
        }
        fflush(stderr);
    }
    gn_http_stop(s);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return 0;
}
