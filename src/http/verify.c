/* POST /v1/verify: a public check of an authenticity code. The body is
 * hostile: read with the project's JSON parser, its code read by the codes
 * room's own reader (fuzzed: fuzz/fuzz_codes.c), its country checked as two
 * upper-case letters; the answer is what `genuine codes verify` prints. */
#include "http/verify.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/json.h"
#include "engine/codes.h"

typedef struct gn_verify_bucket {
    unsigned char addr[16];
    double tokens, at;
    int used;
} gn_verify_bucket;

#define BUCKETS 65536 /* addresses tracked at once (2.5 MB) */
#define PROBES 16

void gn_verify_limiter_init(gn_verify_limiter *l, gn_engine *engine, double per_minute)
{
    if (per_minute <= 0) per_minute = gn_engine_codes_verify_rate(engine);
    pthread_mutex_init(&l->lock, NULL);
    l->buckets = gn_xcalloc(BUCKETS, sizeof *l->buckets);
    l->mask = BUCKETS - 1;
    l->per_minute = per_minute > 0 ? per_minute : 60;
}

void gn_verify_limiter_free(gn_verify_limiter *l)
{
    free(l->buckets);
    pthread_mutex_destroy(&l->lock);
}

unsigned gn_verify_limiter_take(gn_verify_limiter *l, const unsigned char addr[16], double now)
{
    unsigned char key[16];
    memcpy(key, addr, 16);
    static const unsigned char v4[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (memcmp(addr, v4, 12) != 0) memset(key + 8, 0, 8); /* IPv6: its /64 */
    uint32_t h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ key[i]) * 16777619u;
    double rate = l->per_minute / 60.0, full = l->per_minute;
    unsigned wait = 0;
    pthread_mutex_lock(&l->lock);
    gn_verify_bucket *b = NULL, *stale = NULL;
    for (int p = 0; p < PROBES && !b; p++) {
        gn_verify_bucket *at = &l->buckets[(h + (uint32_t)p) & l->mask];
        if (at->used && memcmp(at->addr, key, 16) == 0)
            b = at;
        else if (!stale && (!at->used || at->tokens + (now - at->at) * rate >= full))
            stale = at; /* empty, or idle long enough to be full again: reusable */
    }
    if (!b && stale) {
        b = stale;
        memcpy(b->addr, key, 16);
        b->used = 1;
        b->tokens = full;
        b->at = now;
    }
    if (!b) {
        wait = (unsigned)(60.0 / l->per_minute) + 1; /* the table is full of busy addresses */
    } else {
        b->tokens += (now - b->at) * rate;
        if (b->tokens > full) b->tokens = full;
        b->at = now;
        if (b->tokens >= 1)
            b->tokens -= 1;
        else
            wait = (unsigned)((1 - b->tokens) / rate) + 1;
    }
    pthread_mutex_unlock(&l->lock);
    return wait;
}

static unsigned fail(char **json, unsigned code, const char *message)
{
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"error\":");
    gn_buf_json_string(&b, message);
    gn_buf_puts(&b, "}");
    *json = gn_buf_take(&b);
    return code;
}

unsigned gn_verify_answer(gn_engine *e, pthread_mutex_t *lock, gn_verify_limiter *l,
                          const char *body, size_t len, char **json)
{
    *json = NULL;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_error err = {0};
    const gn_json *root = gn_json_parse(&doc, body, len, &err);
    unsigned status = 0;
    char message[300];
    const gn_json *code = gn_json_get(root, "code"), *country = gn_json_get(root, "country");
    const char *code_text = gn_json_string(code, NULL), *where = gn_json_string(country, NULL);
    if (!root || gn_json_typeof(root) != GN_JSON_OBJECT) {
        snprintf(message, sizeof message, "expected a JSON object {\"code\", \"country\"}%s%s",
                 root ? "" : ": ", root ? "" : err.message);
        status = fail(json, 400, message);
    } else if (!code_text) {
        status =
            fail(json, 400, code ? "field 'code': expected a string" : "field 'code': missing");
    } else if (strlen(code_text) > 64) {
        status = fail(json, 400, "field 'code': longer than a code");
    } else if (country && (!where || strlen(where) != 2 || where[0] < 'A' || where[0] > 'Z' ||
                           where[1] < 'A' || where[1] > 'Z')) {
        status = fail(json, 400, "field 'country': expected a two-letter ISO 3166 country code");
    }
    if (status) {
        gn_json_doc_free(&doc);
        return status;
    }
    pthread_mutex_lock(lock);
    char *answer = gn_code_verify_json(e, code_text, &err);
    int issued = answer && !strstr(answer, "\"status\":\"unknown\"");
    if (issued) {
        /* logged as an anonymous shopper's scan: it counts where the code
         * was checked, and weighs nothing in the clone rules */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        int64_t now = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
        char at[40], id[48];
        gn_time_format(now, at, sizeof at);
        unsigned char r[12];
        randombytes_buf(r, sizeof r);
        strcpy(id, "verify:");
        sodium_bin2hex(id + 7, sizeof id - 7, r, sizeof r);
        gn_buf ev = {0};
        gn_buf_printf(&ev, "{\"type\":\"code_scan\",\"id\":\"%s\",\"at\":\"%s\",\"code\":", id, at);
        gn_buf_json_string(&ev, code_text);
        gn_buf_printf(&ev, ",\"country\":\"%s\",\"scanner\":\"shopper\"}", where ? where : "ZZ");
        gn_sender from = {"shopper", "", now};
        gn_result res;
        int rc = gn_ingest_from(e, &from, ev.data, ev.len, &res, &err);
        double t = gn_monotonic_seconds();
        if (!rc && l->pending++ == 0) l->pending_since = t;
        if (!rc && (l->pending >= GN_VERIFY_GROUP || t - l->pending_since >= GN_VERIFY_WAIT_S)) {
            rc = gn_commit(e, &err);
            l->pending = 0;
        }
        if (rc) l->pending = 0; /* the engine rolled back what was pending */
        gn_buf_free(&ev);
        if (!rc) {
            gn_free(answer);
            answer = gn_code_verify_json(e, code_text, &err);
        } else {
            gn_free(answer);
            answer = NULL;
        }
    }
    pthread_mutex_unlock(lock);
    gn_json_doc_free(&doc);
    if (!answer)
        return fail(json, err.code == GN_EINPUT ? 400 : 500,
                    err.message[0] ? err.message : "failed");
    *json = answer;
    return 200;
}
