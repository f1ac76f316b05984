/* Review leases: one small array of live leases and skips, purged of the
 * lapsed ones on each call. It holds about one lease per active reviewer
 * and their recent skips, so scans are short; the server calls it under the
 * engine's lock, together with the read of the queue it leases from. */
#include "http/claims.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"

typedef struct claim {
    char *queue, *item, *reviewer;
    double until; /* the lease's (or the skip's) end */
    int skip;     /* not a lease: the reviewer passed on the item */
} claim;

struct gn_claims {
    claim *items;
    size_t n, cap;
};

gn_claims *gn_claims_new(void)
{
    return gn_xcalloc(1, sizeof(gn_claims));
}

static void drop(gn_claims *c, size_t i)
{
    free(c->items[i].queue);
    free(c->items[i].item);
    free(c->items[i].reviewer);
    c->items[i] = c->items[--c->n];
}

void gn_claims_free(gn_claims *c)
{
    if (!c) return;
    while (c->n)
        drop(c, 0);
    free(c->items);
    free(c);
}

static void purge(gn_claims *c, double now)
{
    for (size_t i = 0; i < c->n;)
        if (c->items[i].until <= now)
            drop(c, i);
        else
            i++;
}

static void add(gn_claims *c, const char *queue, const char *item, const char *reviewer,
                double until, int skip)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        c->items = gn_xrealloc(c->items, c->cap * sizeof *c->items);
    }
    c->items[c->n++] =
        (claim){gn_xstrdup(queue), gn_xstrdup(item), gn_xstrdup(reviewer), until, skip};
}

/* May reviewer take item: no one else's lease on it, no skip of its own. */
static int free_for(const gn_claims *c, const char *queue, const char *item, const char *reviewer)
{
    for (size_t i = 0; i < c->n; i++) {
        const claim *k = &c->items[i];
        if (strcmp(k->item, item) != 0 || strcmp(k->queue, queue) != 0) continue;
        int mine = strcmp(k->reviewer, reviewer) == 0;
        if (k->skip ? mine : !mine) return 0;
    }
    return 1;
}

long gn_claims_take(gn_claims *c, const char *queue, const char *reviewer, const char *const *items,
                    size_t n, double now, double lease)
{
    purge(c, now);
    long found = -1;
    for (size_t i = 0; i < n && found < 0; i++)
        if (free_for(c, queue, items[i], reviewer)) found = (long)i;
    /* the reviewer's earlier lease in this queue ends: one item at a time */
    for (size_t i = 0; i < c->n;)
        if (!c->items[i].skip && strcmp(c->items[i].reviewer, reviewer) == 0 &&
            strcmp(c->items[i].queue, queue) == 0)
            drop(c, i);
        else
            i++;
    if (found >= 0) add(c, queue, items[found], reviewer, now + lease, 0);
    return found;
}

int gn_claims_release(gn_claims *c, const char *queue, const char *item, const char *reviewer,
                      int skip, double now)
{
    purge(c, now);
    int held = -1;
    for (size_t i = 0; i < c->n;)
        if (!c->items[i].skip && strcmp(c->items[i].item, item) == 0 &&
            strcmp(c->items[i].queue, queue) == 0 && strcmp(c->items[i].reviewer, reviewer) == 0) {
            drop(c, i);
            held = 0;
        } else {
            i++;
        }
    if (!held && skip) add(c, queue, item, reviewer, now + GN_CLAIM_SKIP_SECONDS, 1);
    return held;
}

const char *gn_claims_holder(gn_claims *c, const char *queue, const char *item, double now)
{
    purge(c, now);
    for (size_t i = 0; i < c->n; i++)
        if (!c->items[i].skip && strcmp(c->items[i].item, item) == 0 &&
            strcmp(c->items[i].queue, queue) == 0)
            return c->items[i].reviewer;
    return NULL;
}

/* ---- POST /v1/claims ---- */

#define QUEUE_READ 1000 /* items read from a queue to lease from, best first */

static int bad_name(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 256) return 1;
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f) return 1;
    return 0;
}

static void put_json(gn_buf *out, const char *key, json_t *value)
{
    char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY);
    gn_buf_printf(out, ",\"%s\":%s", key, text ? text : "null");
    free(text);
}

int gn_claims_answer(gn_claims *c, gn_engine *e, const char *queue, const char *reviewer,
                     const char *item, int skip, double now, double lease, gn_buf *out,
                     gn_error *err)
{
    int appeals = strcmp(queue, "appeals") == 0;
    if (!appeals && strcmp(queue, "listings") != 0)
        return gn_fail(err, GN_EINPUT, "queue: '%.100s' is not one of listings, appeals", queue);
    if (bad_name(reviewer))
        return gn_fail(err, GN_EINPUT, "reviewer: expected a name of 1-256 characters");
    if (item) {
        if (gn_claims_release(c, queue, item, reviewer, skip, now))
            return gn_fail(err, GN_ENOTFOUND, "%.256s holds no claim on '%.256s' in the %s queue",
                           reviewer, item, queue);
        gn_buf_puts(out, "{\"released\":");
        gn_buf_json_string(out, item);
        gn_buf_printf(out, ",\"skipped\":%s}", skip ? "true" : "false");
        return 0;
    }
    /* The queue as it stands, best first: held listings by score, or the open
     * appeals oldest first less those the reviewer decided. */
    char *text = appeals ? gn_open_appeals_json(e, reviewer, QUEUE_READ, err)
                         : gn_queue_json(e, QUEUE_READ, err);
    if (!text) return err->code;
    json_t *root = json_loads(text, 0, NULL);
    gn_free(text);
    json_t *list = json_object_get(root, appeals ? "appeals" : "listings");
    size_t n = json_array_size(list);
    const char **ids = gn_xcalloc(n ? n : 1, sizeof *ids);
    for (size_t i = 0; i < n; i++) {
        ids[i] = json_string_value(
            json_object_get(json_array_get(list, i), appeals ? "appeal" : "listing"));
        if (!ids[i]) ids[i] = "";
    }
    long taken = gn_claims_take(c, queue, reviewer, ids, n, now, lease);
    free(ids);
    gn_buf_puts(out, "{\"queue\":");
    gn_buf_json_string(out, queue);
    gn_buf_printf(out, ",\"waiting\":%zu", n);
    if (taken < 0) {
        gn_buf_puts(out, ",\"item\":null}");
        json_decref(root);
        return 0;
    }
    json_t *entry = json_array_get(list, (size_t)taken);
    const char *id = json_string_value(json_object_get(entry, appeals ? "appeal" : "listing"));
    char until[40];
    gn_time_format((int64_t)((now + lease) * 1000), until, sizeof until);
    gn_buf_puts(out, ",\"item\":");
    gn_buf_json_string(out, id);
    gn_buf_puts(out, ",\"reviewer\":");
    gn_buf_json_string(out, reviewer);
    gn_buf_printf(out, ",\"expires_at\":\"%s\",\"lease_seconds\":%g", until, lease);
    put_json(out, appeals ? "appeal" : "listing", entry);
    /* the listing to judge: the held one, or the one the appeal is about */
    const char *kind = json_string_value(json_object_get(entry, "target_kind"));
    const char *listing = !appeals ? id
                          : kind && strcmp(kind, "listing") == 0
                              ? json_string_value(json_object_get(entry, "target"))
                              : NULL;
    gn_error ignored;
    char *review = listing ? gn_review_json(e, listing, &ignored) : NULL;
    gn_buf_printf(out, ",\"review\":%s}", review ? review : "null");
    gn_free(review);
    json_decref(root);
    return 0;
}
