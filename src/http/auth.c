/* Roles and permissions of the HTTP API, in one table, and the in-memory cache
 * of checked API keys. A role that may post an event type on behalf of an
 * account must name that account in the event's owner field: a seller speaks
 * only for its own shop, a shopper reports only as itself. */
#include "http/auth.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The permission table. platform may do everything and is not listed.
 * owner: the event field that must equal the key's account (NULL: none). */
static const struct {
    gn_role role;
    const char *type;
    const char *owner;
} may_post[] = {
    {GN_ROLE_REVIEWER, "verdict", NULL},
    {GN_ROLE_RIGHTS_HOLDER, "ip_right", "holder"},
    {GN_ROLE_RIGHTS_HOLDER, "complaint", "rights_holder"},
    {GN_ROLE_SELLER, "counter_notice", "seller"},
    {GN_ROLE_SELLER, "appeal", "seller"},
    {GN_ROLE_SELLER, "seller_verification", "seller"},
    {GN_ROLE_SELLER, "seller_attribute", "seller"},
    {GN_ROLE_SELLER, "listing", "seller"},
    {GN_ROLE_SHOPPER, "report", "reporter"},
};

/* Reads: own_only means only records whose "seller" is the key's account. */
static const struct {
    gn_role role;
    const char *record;
    int own_only;
} may_read[] = {
    {GN_ROLE_REVIEWER, "listing", 0},
    {GN_ROLE_SELLER, "listing", 1},
};

int gn_auth_may_post(const gn_principal *p, const char *event, size_t len, char *why,
                     size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return 1;
    json_t *root = json_loadb(event, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return 1; /* not an event at all: gn_ingest rejects it and says why */
    }
    const char *type = json_string_value(json_object_get(root, "type"));
    int allowed = 0, known = 0;
    for (size_t i = 0; type && i < sizeof may_post / sizeof *may_post; i++) {
        if (may_post[i].role != p->role || strcmp(may_post[i].type, type) != 0) continue;
        known = 1;
        const char *owner = may_post[i].owner;
        const char *value = owner ? json_string_value(json_object_get(root, owner)) : NULL;
        if (!owner || (value && strcmp(value, p->account) == 0))
            allowed = 1;
        else
            snprintf(why, why_size,
                     "forbidden: a %s key speaks for '%s' and may post '%s' only "
                     "with %s '%s'",
                     gn_role_name(p->role), p->account, type, owner, p->account);
    }
    if (!known)
        snprintf(why, why_size, "forbidden: a %s key may not post '%s' events",
                 gn_role_name(p->role), type ? type : "(no type)");
    json_decref(root);
    return allowed;
}

int gn_auth_may_read_listing(const gn_principal *p, const char *listing_json, char *why,
                             size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return 1;
    for (size_t i = 0; i < sizeof may_read / sizeof *may_read; i++) {
        if (may_read[i].role != p->role || strcmp(may_read[i].record, "listing") != 0) continue;
        if (!may_read[i].own_only) return 1;
        json_t *root = json_loads(listing_json, 0, NULL);
        const char *seller = json_string_value(json_object_get(root, "seller"));
        int own = seller && strcmp(seller, p->account) == 0;
        json_decref(root);
        if (own) return 1;
        snprintf(why, why_size, "forbidden: a seller key reads only its own listings");
        return 0;
    }
    snprintf(why, why_size, "forbidden: a %s key may not read listings", gn_role_name(p->role));
    return 0;
}

int gn_auth_may_read_metrics(const gn_principal *p, char *why, size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM) return 1;
    snprintf(why, why_size, "forbidden: only a platform key may read the metrics");
    return 0;
}

int gn_auth_may_read_seller(const gn_principal *p, const char *seller, int *show_links, char *why,
                            size_t why_size)
{
    *show_links = p->role == GN_ROLE_PLATFORM || p->role == GN_ROLE_REVIEWER;
    if (*show_links || (p->role == GN_ROLE_SELLER && strcmp(p->account, seller) == 0)) return 1;
    snprintf(why, why_size, "forbidden: a %s key may not read this seller", gn_role_name(p->role));
    return 0;
}

int gn_auth_may_read_dashboard(const gn_principal *p, char *why, size_t why_size)
{
    if (p->role == GN_ROLE_PLATFORM || p->role == GN_ROLE_REVIEWER) return 1;
    snprintf(why, why_size, "forbidden: a %s key may not read the review queue or the figures",
             gn_role_name(p->role));
    return 0;
}

/* The cache holds BLAKE2b digests, not keys: a memory dump shows no key. */
struct gn_key_entry {
    unsigned char digest[32];
    int used;
    gn_principal who;
};

#define CACHE_SLOTS 1024

int gn_key_cache_init(gn_key_cache *c)
{
    if (sodium_init() < 0) return GN_ENOMEM;
    c->slots = calloc(CACHE_SLOTS, sizeof *c->slots);
    if (!c->slots) return GN_ENOMEM;
    c->size = CACHE_SLOTS;
    c->used = 0;
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
    pthread_mutex_lock(&c->lock);
    for (size_t i = slot_of(d, c->size), n = 0; n < c->size && c->slots[i].used;
         i = (i + 1) & (c->size - 1), n++)
        if (memcmp(c->slots[i].digest, d, sizeof d) == 0) {
            *out = c->slots[i].who;
            found = 1;
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
    c->slots[i].who = *p;
    pthread_mutex_unlock(&c->lock);
}
