/* Who a request speaks for and what that role may do: API keys (checked with
 * gn_key_check, remembered in memory) and the one permission table of the
 * HTTP API, in auth.c. */
#ifndef GN_HTTP_AUTH_H
#define GN_HTTP_AUTH_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "genuine.h"

typedef enum gn_role {
    GN_ROLE_PLATFORM,
    GN_ROLE_REVIEWER,
    GN_ROLE_RIGHTS_HOLDER,
    GN_ROLE_SELLER,
    GN_ROLE_SHOPPER,
    GN_ROLE_UNKNOWN
} gn_role;

typedef struct gn_principal {
    gn_role role;
    char account[257]; /* "" for platform and reviewer keys */
} gn_principal;

gn_role gn_role_from_name(const char *name);
const char *gn_role_name(gn_role role);

/* May p post this event? Returns 1, or 0 with why filled ("forbidden: ...").
 * The event's type and owner fields are read from its JSON text; text that is
 * not a JSON object is let through for gn_ingest to reject with its reason. */
int gn_auth_may_post(const gn_principal *p, const char *event, size_t len, char *why,
                     size_t why_size);

/* May p read this listing (its JSON as gn_listing_json returns it)? */
int gn_auth_may_read_listing(const gn_principal *p, const char *listing_json, char *why,
                             size_t why_size);

/* May p read the server's metrics? */
int gn_auth_may_read_metrics(const gn_principal *p, char *why, size_t why_size);
/* A seller's record: the platform and reviewers (with its links), or the
 * seller itself (without the other accounts). */
int gn_auth_may_read_seller(const gn_principal *p, const char *seller, int *show_links, char *why,
                            size_t why_size);
/* The review queue and the dashboard figures: platform and reviewers. */
int gn_auth_may_read_dashboard(const gn_principal *p, char *why, size_t why_size);

/* Keys already checked, by a hash of the key, so a request costs one hash and
 * a table probe rather than a store lookup. Unknown keys are not remembered: a
 * key issued while the server runs works at once. Thread-safe. */
typedef struct gn_key_cache {
    pthread_mutex_t lock;
    struct gn_key_entry *slots; /* open addressing, power-of-two size */
    size_t size;
    size_t used;
} gn_key_cache;

int gn_key_cache_init(gn_key_cache *cache);
void gn_key_cache_free(gn_key_cache *cache);
/* 1 and *out filled when key is remembered, else 0. */
int gn_key_cache_find(gn_key_cache *cache, const char *key, gn_principal *out);
void gn_key_cache_put(gn_key_cache *cache, const char *key, const gn_principal *p);

#endif
