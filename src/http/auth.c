/* Roles and permissions of the HTTP API, and the in-memory cache of checked
 * API keys. Every permission rule is in the two tables below (may_post,
 * may_read), so what a role may do is read in one place (docs/api.md shows
 * them as a table): a role that posts on behalf of an account must name that
 * account in the event, and reads only its own records. */
#include "http/auth.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/json.h"

static const char *const role_names[] = {"platform", "reviewer", "rights_holder", "seller",
                                         "shopper"};

gn_role gn_role_from_name(const char *name)
{
    for (int r = 0; r < GN_ROLE_UNKNOWN; r++)
        if (strcmp(role_names[r], name) == 0) return (gn_role)r;
    return GN_ROLE_UNKNOWN;
}

const char *gn_role_name(gn_role role)
{
    return role < GN_ROLE_UNKNOWN ? role_names[role] : "unknown";
}

/* ---- the permission table: every rule of the HTTP API is below ----
 *
 * platform may do everything and is not listed. Each row lets a role post
 * one event type:
 *   owner   the event field that must name the key's account (NULL: none),
 *           so a seller speaks only for its own shop;
 *   owner_if_account  the owner rule holds only for keys issued with an
 *           account: a reviewer key may be bound to one reviewer (then its
 *           verdicts must name it, so "another reviewer decides the appeal"
 *           cannot be dodged) or be a shared desk key (then any);
 *   field, values  a field limited to these values (space-separated), and
 *           why the others are not the role's;
 *   unsent  a field the role may not send at all (NULL: none), and why. */
static const struct {
    gn_role role;
    const char *type;
    const char *owner;
    int owner_if_account;
    const char *field;
    const char *values;
    const char *note;
    const char *unsent;
    const char *unsent_note;
} may_post[] = {
    /* A right's verification checks certificates: the platform's job, not a
     * reviewer's, whose verdicts are on what is listed and who lists it. */
    {GN_ROLE_REVIEWER, "verdict", "reviewer", 1, "subject",
     "listing seller complaint report appeal", "verifying a right is the platform's", NULL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, "ip_right", "holder", 0, NULL, NULL, NULL, NULL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, "complaint", "rights_holder", 0, NULL, NULL, NULL, NULL, NULL},
    {GN_ROLE_SELLER, "counter_notice", "seller", 0, NULL, NULL, NULL, NULL, NULL},
    {GN_ROLE_SELLER, "appeal", "seller", 0, NULL, NULL, NULL, NULL, NULL},
    /* A seller submits its documents; the platform verifies or rejects them. */
    {GN_ROLE_SELLER, "seller_verification", "seller", 0, "status", "submitted",
     "verified and rejected are the platform's decisions", NULL, NULL},
    {GN_ROLE_SELLER, "seller_attribute", "seller", 0, NULL, NULL, NULL, NULL, NULL},
    /* A listing's `signals` are what the platform observed (the model's
     * listing.* features): a seller's own would score its listings. */
    {GN_ROLE_SELLER, "listing", "seller", 0, NULL, NULL, NULL, "signals",
     "they are the platform's observations of a listing, which the model reads"},
    {GN_ROLE_SHOPPER, "report", "reporter", 0, NULL, NULL, NULL, NULL, NULL},
    /* Authenticity codes: the engine checks the brand is the holder's, and
     * that a scan's order is the seller's or the shopper's own (codes.md). */
    {GN_ROLE_RIGHTS_HOLDER, "code_batch", NULL, 0, NULL, NULL, NULL, NULL, NULL},
    {GN_ROLE_SELLER, "code_scan", NULL, 0, NULL, NULL, NULL, NULL, NULL},
    {GN_ROLE_SHOPPER, "code_scan", NULL, 0, NULL, NULL, NULL, "listing",
     "a shopper names the order it bought, not a listing"},
};

/* Reads (gn_scope in auth.h). owner: for GN_SCOPE_OWN, the field of the
 * record's JSON that names its owner. */
static const struct {
    gn_role role;
    gn_record record;
    gn_scope scope;
    const char *owner;
} may_read[] = {
    {GN_ROLE_REVIEWER, GN_REC_LISTING, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_LISTING, GN_SCOPE_OWN, "seller"},
    {GN_ROLE_REVIEWER, GN_REC_SELLER, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_SELLER, GN_SCOPE_SELF, NULL},
    {GN_ROLE_REVIEWER, GN_REC_COMPLAINT, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_COMPLAINT, GN_SCOPE_OWN, "rights_holder"},
    {GN_ROLE_SELLER, GN_REC_COMPLAINT, GN_SCOPE_NOTICES, NULL},
    {GN_ROLE_REVIEWER, GN_REC_COMPLAINTS, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_COMPLAINTS, GN_SCOPE_SELF, NULL},
    {GN_ROLE_REVIEWER, GN_REC_RIGHT, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_RIGHT, GN_SCOPE_OWN, "holder"},
    {GN_ROLE_REVIEWER, GN_REC_NOTICES, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_NOTICES, GN_SCOPE_SELF, NULL},
    {GN_ROLE_REVIEWER, GN_REC_FILER, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_FILER, GN_SCOPE_SELF, NULL},
    {GN_ROLE_SHOPPER, GN_REC_FILER, GN_SCOPE_SELF, NULL},
    {GN_ROLE_REVIEWER, GN_REC_REPORTS, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_APPEAL, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_APPEAL, GN_SCOPE_OWN, "seller"},
    {GN_ROLE_REVIEWER, GN_REC_QUEUE, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_STATS, GN_SCOPE_ALL, NULL},
    /* GN_REC_METRICS: the platform only (server internals). */
    /* The transparency report is published: anyone with a key may read it.
     * Statements of reasons, the audit log and remediation name people: the
     * platform only. A case file: the platform and its reviewers. */
    {GN_ROLE_REVIEWER, GN_REC_TRANSPARENCY, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_TRANSPARENCY, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_TRANSPARENCY, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SHOPPER, GN_REC_TRANSPARENCY, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_CASE, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_CLAIMS, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_REVIEW, GN_SCOPE_ALL, NULL},
    {GN_ROLE_REVIEWER, GN_REC_LISTINGS, GN_SCOPE_ALL, NULL},
    {GN_ROLE_SELLER, GN_REC_LISTINGS, GN_SCOPE_SELF, NULL},
    /* a rights holder's reply holds only its own brands' batches */
    {GN_ROLE_REVIEWER, GN_REC_BATCHES, GN_SCOPE_ALL, NULL},
    {GN_ROLE_RIGHTS_HOLDER, GN_REC_BATCHES, GN_SCOPE_ALL, NULL},
};

/* Names of records for messages, by gn_record. */
static const char *const record_names[GN_REC_COUNT] = {"listings",
                                                       "sellers",
                                                       "complaints",
                                                       "complaint lists",
                                                       "rights",
                                                       "notices",
                                                       "filer records",
                                                       "the reports queue",
                                                       "appeals",
                                                       "the review queue",
                                                       "the figures",
                                                       "the metrics",
                                                       "statements of reasons",
                                                       "the transparency report",
                                                       "the audit log",
                                                       "the remediation list",
                                                       "case files",
                                                       "review claims",
                                                       "listings under review",
                                                       "a seller's listings",
                                                       "code batches",
                                                       "policy backtests"};

/* ---- posting ---- */

/* 1 when value is one of the space-separated words of list. */
static int one_of(const char *list, const char *value)
{
    size_t n = strlen(value);
    for (const char *w = list; *w;) {
        size_t len = strcspn(w, " ");
        if (len == n && n && memcmp(w, value, n) == 0) return 1;
        w += len;
        while (*w == ' ')
            w++;
    }
    return 0;
}

/* "a, b or c" from "a b c", for messages. */
static void say_list(const char *list, char *out, size_t size)
{
    size_t words = 0, at = 0;
    for (const char *w = list; *w; words++) {
        w += strcspn(w, " ");
        while (*w == ' ')
            w++;
    }
    out[0] = 0;
    size_t i = 0;
    for (const char *w = list; *w && at < size; i++) {
        size_t len = strcspn(w, " ");
        const char *sep = i == 0 ? "" : i + 1 == words ? " or " : ", ";
        at += (size_t)snprintf(out + at, size - at, "%s%.*s", sep, (int)len, w);
        w += len;
        while (*w == ' ')
            w++;
    }
}

/* Checks one row against the event; 1, or 0 with why filled. */
static int row_allows(size_t i, const gn_principal *p, const gn_json *root, const char *type,
                      char *why, size_t why_size)
{
    const char *owner = may_post[i].owner;
    int bound = owner && !(may_post[i].owner_if_account && !p->account[0]);
    if (bound) {
        const char *value = gn_json_string(gn_json_get(root, owner), NULL);
        if (!value || strcmp(value, p->account) != 0) {
            snprintf(why, why_size,
                     "forbidden: a %s key speaks for '%s' and may post '%s' only with %s '%s'",
                     gn_role_name(p->role), p->account, type, owner, p->account);
            return 0;
        }
    }
    const char *field = may_post[i].field;
    if (field) {
        const char *value = gn_json_string(gn_json_get(root, field), NULL);
        if (!value || !one_of(may_post[i].values, value)) {
            char allowed[200];
            say_list(may_post[i].values, allowed, sizeof allowed);
            snprintf(why, why_size,
                     "forbidden: a %s key may post '%s' only with %s %s, not '%s': %s",
                     gn_role_name(p->role), type, field, allowed, value ? value : "(none)",
                     may_post[i].note);
            return 0;
        }
    }
    const char *unsent = may_post[i].unsent;
    if (unsent && gn_json_get(root, unsent)) {
        snprintf(why, why_size, "forbidden: a %s key may not send '%s' in '%s': %s",
                 gn_role_name(p->role), unsent, type, may_post[i].unsent_note);
        return 0;
    }
    return 1;
}

int gn_auth_may_post(const gn_principal *p, const char *event, size_t len, char *why,
                     size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return 1;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_error parsed = {0};
    const gn_json *root = gn_json_parse(&doc, event, len, &parsed);
    int allowed = 1; /* not an event at all: gn_ingest rejects it and says why */
    if (!root && parsed.code != GN_EINPUT) { /* out of memory: unchecked is refused */
        snprintf(why, why_size, "forbidden: the event could not be checked (out of memory)");
        allowed = 0;
    } else if (gn_json_typeof(root) == GN_JSON_OBJECT) {
        const char *type = gn_json_string(gn_json_get(root, "type"), NULL);
        allowed = 0;
        int known = 0;
        for (size_t i = 0; type && i < sizeof may_post / sizeof *may_post && !allowed; i++) {
            if (may_post[i].role != p->role || strcmp(may_post[i].type, type) != 0) continue;
            known = 1;
            allowed = row_allows(i, p, root, type, why, why_size);
        }
        if (!known)
            snprintf(why, why_size, "forbidden: a %s key may not post '%s' events",
                     gn_role_name(p->role), type ? type : "(no type)");
    }
    gn_json_doc_free(&doc);
    return allowed;
}

/* ---- reading ---- */

static size_t read_row(gn_role role, gn_record record)
{
    size_t i = 0;
    while (i < sizeof may_read / sizeof *may_read &&
           (may_read[i].role != role || may_read[i].record != record))
        i++;
    return i;
}

gn_scope gn_auth_may_read(const gn_principal *p, gn_record record, const char *id, char *why,
                          size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return GN_SCOPE_ALL;
    size_t i = read_row(p->role, record);
    if (i == sizeof may_read / sizeof *may_read) {
        snprintf(why, why_size, "forbidden: a %s key may not read %s", gn_role_name(p->role),
                 record_names[record]);
        return GN_SCOPE_NONE;
    }
    if (may_read[i].scope == GN_SCOPE_SELF && id && strcmp(id, p->account) != 0) {
        snprintf(why, why_size, "forbidden: a %s key speaks for '%s' and reads only its own %s",
                 gn_role_name(p->role), p->account, record_names[record]);
        return GN_SCOPE_NONE;
    }
    return may_read[i].scope;
}

/* The owner of a record the engine wrote: its top-level string member `key`.
 * A read runs this on every request, so it scans to the member without
 * building a tree (the text is the engine's own, valid JSON); a value with
 * escapes is left to the full parser. Returns 1 and the value's bytes, 0 when
 * there is no such string member, -1 when the value must be parsed. */
static int top_string(const char *json, size_t len, const char *key, const char **value,
                      size_t *value_len)
{
    const char *p = json, *end = json + len;
    size_t key_len = strlen(key);
    int depth = 0;
    while (p < end) {
        if (*p == '{' || *p == '[') {
            depth++;
        } else if (*p == '}' || *p == ']') {
            depth--;
        } else if (*p == '"') {
            const char *s = ++p;
            while (p < end && *p != '"')
                p += *p == '\\' ? 2 : 1;
            if (p >= end) return 0;
            size_t n = (size_t)(p - s);
            const char *q = p + 1;
            while (q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'))
                q++;
            if (depth == 1 && q < end && *q == ':' && n == key_len && memcmp(s, key, n) == 0) {
                for (q++; q < end && (*q == ' ' || *q == '\n' || *q == '\t' || *q == '\r'); q++)
                    ;
                if (q >= end || *q != '"') return 0;
                const char *v = ++q;
                while (q < end && *q != '"' && *q != '\\')
                    q++;
                if (q >= end || *q == '\\') return -1;
                *value = v;
                *value_len = (size_t)(q - v);
                return 1;
            }
        }
        p++;
    }
    return 0;
}

int gn_auth_owns(const gn_principal *p, gn_record record, const char *id, const char *json,
                 size_t len, char *why, size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return 1;
    size_t i = read_row(p->role, record);
    if (i == sizeof may_read / sizeof *may_read) {
        snprintf(why, why_size, "forbidden: a %s key may not read %s", gn_role_name(p->role),
                 record_names[record]);
        return 0;
    }
    if (may_read[i].scope != GN_SCOPE_OWN) return 1; /* settled by gn_auth_may_read */
    const char *owner;
    size_t owner_len;
    int found = top_string(json, len, may_read[i].owner, &owner, &owner_len), own;
    if (found >= 0) {
        own = found && owner_len == strlen(p->account) && memcmp(owner, p->account, owner_len) == 0;
    } else {
        gn_json_doc doc;
        gn_json_doc_init(&doc);
        const gn_json *root = gn_json_parse(&doc, json, len, NULL);
        size_t n;
        owner = gn_json_string(gn_json_get(root, may_read[i].owner), &n);
        own = owner && n == strlen(p->account) && memcmp(owner, p->account, n) == 0;
        gn_json_doc_free(&doc);
    }
    if (!own)
        snprintf(why, why_size,
                 "forbidden: '%s' is not %s's: a %s key reads only the %s whose %s is its own", id,
                 p->account, gn_role_name(p->role), record_names[record], may_read[i].owner);
    return own;
}

void gn_auth_not_found(const gn_principal *p, gn_record record, const char *id, char *why,
                       size_t why_size)
{
    static const char *const one[GN_REC_COUNT] = {
        [GN_REC_LISTING] = "listing", [GN_REC_SELLER] = "seller", [GN_REC_COMPLAINT] = "complaint",
        [GN_REC_RIGHT] = "right",     [GN_REC_FILER] = "filer",   [GN_REC_APPEAL] = "appeal"};
    snprintf(why, why_size, "no %s '%s' that a %s key for '%s' may read",
             one[record] ? one[record] : "record", id ? id : "", gn_role_name(p->role), p->account);
}

int gn_auth_shows_links(const gn_principal *p)
{
    return p->role == GN_ROLE_PLATFORM || p->role == GN_ROLE_REVIEWER;
}

/* The cache holds BLAKE2b digests, not keys: a memory dump shows no key. */
struct gn_key_entry {
    unsigned char digest[32];
    int used;
    double checked; /* gn_monotonic_seconds of the last check in the store */
    gn_principal who;
};

#define CACHE_SLOTS 1024

int gn_key_cache_init(gn_key_cache *c)
{
    if (sodium_init() < 0) return GN_ENOMEM;
    c->slots = gn_xcalloc(CACHE_SLOTS, sizeof *c->slots);
    c->size = CACHE_SLOTS;
    c->used = 0;
    c->max_age = GN_KEY_RECHECK_SECONDS;
    pthread_mutex_init(&c->lock, NULL);
    return 0;
}

void gn_key_cache_free(gn_key_cache *c)
{
    if (!c->slots) return;
    sodium_memzero(c->slots, c->size * sizeof *c->slots);
    free(c->slots);
    c->slots = NULL;
    pthread_mutex_destroy(&c->lock);
}

static size_t slot_of(const unsigned char digest[32], size_t size)
{
    uint64_t h;
    memcpy(&h, digest, sizeof h);
    return (size_t)(h & (size - 1));
}

int gn_key_cache_find(gn_key_cache *c, const char *key, gn_principal *out)
{
    unsigned char d[32];
    crypto_generichash(d, sizeof d, (const unsigned char *)key, strlen(key), NULL, 0);
    int found = 0;
    double now = gn_monotonic_seconds();
    pthread_mutex_lock(&c->lock);
    for (size_t i = slot_of(d, c->size), n = 0; n < c->size && c->slots[i].used;
         i = (i + 1) & (c->size - 1), n++)
        if (memcmp(c->slots[i].digest, d, sizeof d) == 0) {
            if (now - c->slots[i].checked < c->max_age) {
                *out = c->slots[i].who;
                found = 1;
            }
            break;
        }
    pthread_mutex_unlock(&c->lock);
    return found;
}

void gn_key_cache_put(gn_key_cache *c, const char *key, const gn_principal *p)
{
    unsigned char d[32];
    crypto_generichash(d, sizeof d, (const unsigned char *)key, strlen(key), NULL, 0);
    pthread_mutex_lock(&c->lock);
    /* Past half full, start again rather than grow: real deployments have a
     * handful of keys, and this bounds memory against a flood of them. */
    if (c->used >= c->size / 2) {
        memset(c->slots, 0, c->size * sizeof *c->slots);
        c->used = 0;
    }
    size_t i = slot_of(d, c->size);
    while (c->slots[i].used && memcmp(c->slots[i].digest, d, sizeof d) != 0)
        i = (i + 1) & (c->size - 1);
    if (!c->slots[i].used) c->used++;
    memcpy(c->slots[i].digest, d, sizeof d);
    c->slots[i].used = 1;
    c->slots[i].checked = gn_monotonic_seconds();
    c->slots[i].who = *p;
    pthread_mutex_unlock(&c->lock);
}

void gn_key_cache_forget(gn_key_cache *c, const char *key)
{
    unsigned char d[32];
    crypto_generichash(d, sizeof d, (const unsigned char *)key, strlen(key), NULL, 0);
    pthread_mutex_lock(&c->lock);
    size_t i = slot_of(d, c->size), n = 0;
    for (; n < c->size && c->slots[i].used; i = (i + 1) & (c->size - 1), n++)
        if (memcmp(c->slots[i].digest, d, sizeof d) == 0) break;
    if (n < c->size && c->slots[i].used) {
        /* Open addressing: the entries after it in its run move up, so no
         * probe stops early at the hole. */
        c->slots[i].used = 0;
        c->used--;
        for (size_t j = (i + 1) & (c->size - 1); c->slots[j].used; j = (j + 1) & (c->size - 1)) {
            struct gn_key_entry moved = c->slots[j];
            c->slots[j].used = 0;
            size_t k = slot_of(moved.digest, c->size);
            while (c->slots[k].used)
                k = (k + 1) & (c->size - 1);
            c->slots[k] = moved;
        }
    }
    pthread_mutex_unlock(&c->lock);
}
