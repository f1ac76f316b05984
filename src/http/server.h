/* The HTTP API (docs/api.md) over one open engine: libmicrohttpd with a small
 * thread pool, every engine call under one mutex since the engine is
 * single-threaded. `genuine serve` and `genuine demo` both run it. */
#ifndef GN_HTTP_SERVER_H
#define GN_HTTP_SERVER_H

#include <stddef.h>

#include "genuine.h"

#define GN_HTTP_DEFAULT_LISTEN "127.0.0.1:8080"
#define GN_HTTP_DEFAULT_MAX_BODY ((size_t)16 << 20)
#define GN_HTTP_DEFAULT_CLIENT_CONNECTIONS 64

typedef struct gn_http_options {
    const char *listen;  /* HOST:PORT or [V6]:PORT; NULL: 127.0.0.1:8080; port 0: any free one */
    int no_auth;         /* no API keys checked: refused unless listen is a loopback address */
    size_t max_body;     /* bytes; 0: 16 MiB */
    size_t max_inflight; /* body bytes held by all requests at once (past it: 503); 0: 8 x
                            max_body. A body grows as its bytes arrive, never reserved. */
    unsigned max_client_connections; /* connections answered from one address (more: 429,
                                        twice as many: closed); 0: 64 */
    unsigned threads;                /* 0: 2 */
    double train_hours; /* retrain the model from the verdicts every this many hours; 0: never */
    int no_clock;       /* gn_http_serve does not run deadlines on the wall clock: only events'
                           `at` move time (replays of historical data, tests) */
    double clock_lag;   /* seconds the clock runs behind the wall clock: how late the
                           platform's events may arrive (a counter-notice sent in time but
                           queued) and still find their window open; 0: none */
    double verify_per_minute;       /* POST /v1/verify answers a minute per address; 0: 60 */
    const struct gn_photos *photos; /* photos by url or path hashed on the worker threads before
                                       the engine is locked (media/photos.h), owned by the
                                       caller; NULL: not hashed (the engine notes them) */
    /* the web console's files (http/console.h); NULL: none, GET / is 404 */
    const struct gn_console *console;
    double claim_seconds; /* a reviewer's lease on a queue item (claims.h); 0: 300 */
} gn_http_options;

typedef struct gn_http_server gn_http_server;

/* Checks the options (a bad address, or --no-auth off loopback: GN_EINPUT)
 * and starts serving. */
int gn_http_start(gn_http_server **out, gn_engine *engine, const gn_http_options *options,
                  gn_error *err);
/* The port actually bound (the chosen one when the options said 0). */
unsigned gn_http_port(const gn_http_server *server);
/* Stops accepting, lets requests in flight finish (each commits its own
 * events), frees the server. The engine stays open. */
void gn_http_stop(gn_http_server *server);

/* Starts, prints "genuine: serving on http://HOST:PORT" to stderr, serves
 * until SIGINT or SIGTERM, stops. About once a second it runs the notice
 * deadlines passed on the wall clock (gn_advance), unless options->no_clock. Returns 0 or a GN_E*
 * code with err set. */
int gn_http_serve(gn_engine *engine, const gn_http_options *options, gn_error *err);

/* 1 when h[0..n) (a Host header, or an Origin's authority) names this
 * machine's loopback with the server's port: localhost, 127.0.0.0/8 or [::1],
 * then ":port" (none only when port is 80). What a --no-auth server answers. */
int gn_http_loopback_authority(const char *h, size_t n, unsigned port);

/* Checks the options without starting anything, e.g. before opening an
 * engine: the listen address parses, and --no-auth is only on loopback. */
int gn_http_check_options(const gn_http_options *options, gn_error *err);

#endif
