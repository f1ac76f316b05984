/* Review leases, kept in the store (store.h: claim, claims_taken,
 * end_claims, release_claim) so a restart forgets none and every node of one
 * PostgreSQL store sees them. Each lease is taken by one conditional write,
 * so two nodes racing for an item cannot both win. */
#include "http/claims.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/strmap.h"
#include "engine/inspect.h"

static int note_taken(void *ctx, const char *item)
{
    gn_strmap_put(ctx, item, NULL, NULL);
    return 0;
}

int gn_claims_take(gn_store *s, const char *queue, const char *reviewer, const char *const *items,
                   size_t n, double now, double lease, long *taken, gn_error *err)
{
    *taken = -1;
    /* what others hold and what this reviewer skipped, read once; an item
     * another node leases meanwhile fails its conditional write below */
    gn_strmap busy = {0};
    int rc = s->ops->claims_taken(s, queue, reviewer, now, note_taken, &busy, err);
    for (size_t i = 0; !rc && i < n && *taken < 0; i++) {
        if (gn_strmap_find(&busy, items[i])) continue;
        rc = s->ops->claim(s, queue, items[i], reviewer, now, now + lease, err);
        if (!rc)
            *taken = (long)i;
        else if (rc == GN_ENOTFOUND)
            rc = 0; /* lost the race for it: the next one */
    }
    gn_strmap_free(&busy);
    /* the reviewer's earlier lease in this queue ends: one item at a time */
    if (!rc)
        rc = s->ops->end_claims(s, queue, reviewer, *taken >= 0 ? items[*taken] : NULL, now, err);
    return rc;
}

int gn_claims_release(gn_store *s, const char *queue, const char *item, const char *reviewer,
                      int skip, double now, gn_error *err)
{
    return s->ops->release_claim(s, queue, item, reviewer, now,
                                 skip ? now + GN_CLAIM_SKIP_SECONDS : 0, err);
}

int gn_claims_holder(gn_store *s, const char *queue, const char *item, double now, char *reviewer,
                     gn_error *err)
{
    return s->ops->claim_holder(s, queue, item, now, reviewer, err);
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

int gn_claims_answer(gn_engine *e, const char *queue, const char *reviewer, const char *item,
                     int skip, double now, double lease, gn_buf *out, gn_error *err)
{
    int appeals = strcmp(queue, "appeals") == 0;
    if (!appeals && strcmp(queue, "listings") != 0)
        return gn_fail(err, GN_EINPUT, "queue: '%.100s' is not one of listings, appeals", queue);
    if (bad_name(reviewer))
        return gn_fail(err, GN_EINPUT, "reviewer: expected a name of 1-256 characters");
    /* a claim is written on its own, never into a batch of events still open */
    if (gn_commit(e, err)) return err->code;
    if (item) {
        int rc = gn_claims_release(gn_engine_store(e), queue, item, reviewer, skip, now, err);
        if (rc == GN_ENOTFOUND)
            return gn_fail(err, GN_ENOTFOUND, "%.256s holds no claim on '%.256s' in the %s queue",
                           reviewer, item, queue);
        if (rc) return rc;
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
    long taken;
    int rc = gn_claims_take(gn_engine_store(e), queue, reviewer, ids, n, now, lease, &taken, err);
    free(ids);
    if (rc) {
        json_decref(root);
        return rc;
    }
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
