/* POST /v1/verify: anyone checks an authenticity code, with no key, at a
 * limited rate per address (docs/codes.md). The limiter and the handler's
 * work are here; server.c routes to it. */
#ifndef GN_HTTP_VERIFY_H
#define GN_HTTP_VERIFY_H

#include <pthread.h>
#include <stddef.h>

#include "genuine.h"

/* A token bucket per address (an IPv6 address by its /64, the block one
 * subscriber gets), in a fixed table: a flood of addresses fills it and is
 * refused rather than grow memory. */
typedef struct gn_verify_limiter {
    pthread_mutex_t lock;
    struct gn_verify_bucket *buckets;
    size_t mask;
    double per_minute;
    /* Scans logged and not yet committed (under the engine's lock): they
     * are committed in groups (GN_VERIFY_GROUP, or after GN_VERIFY_WAIT_S),
     * by the next POST /v1/events, the clock's tick or the server's stop. */
    unsigned pending;
    double pending_since;
} gn_verify_limiter;

#define GN_VERIFY_GROUP 64
#define GN_VERIFY_WAIT_S 0.25

/* per_minute 0: the engine's configuration (codes.verify_per_minute). */
void gn_verify_limiter_init(gn_verify_limiter *l, gn_engine *engine, double per_minute);
void gn_verify_limiter_free(gn_verify_limiter *l);
/* Takes one answer for the address (16 bytes, IPv4 as ::ffff:a.b.c.d) at
 * time now (seconds); 0 when allowed, else the seconds to wait. */
unsigned gn_verify_limiter_take(gn_verify_limiter *l, const unsigned char addr[16], double now);

/* Answers one request body {"code":"...","country":"FR"} under the engine's
 * lock: the status code and, in *json (the caller frees it with gn_free),
 * the answer or {"error": ...}. A code genuine issued is logged as an
 * anonymous shopper's code_scan; others are not (nothing to learn, and a
 * flood of made-up codes must not grow the log). Such scans weigh nothing,
 * so they are committed in groups rather than one by one: a crash may lose
 * the last quarter second of them, never an event posted to /v1/events. */
unsigned gn_verify_answer(gn_engine *engine, pthread_mutex_t *engine_lock, gn_verify_limiter *l,
                          const char *body, size_t len, char **json);

#endif
