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
 * The event's type, owner and limited fields are read from its JSON text with
 * the engine's own parser, so the check sees exactly what gn_ingest will; text
 * that is not a JSON object is let through for gn_ingest to reject with its
 * reason. */
int gn_auth_may_post(const gn_principal *p, const char *event, size_t len, char *why,
                     size_t why_size);

/* What a read names: each GET endpoint reads one kind of record. */
typedef enum gn_record {
    GN_REC_LISTING,      /* GET /v1/listings/{id} */
    GN_REC_SELLER,       /* GET /v1/sellers/{id} */
    GN_REC_COMPLAINT,    /* GET /v1/complaints/{id} */
    GN_REC_COMPLAINTS,   /* GET /v1/complaints: a rights holder's, or every one */
    GN_REC_RIGHT,        /* GET /v1/rights/{id} */
    GN_REC_NOTICES,      /* GET /v1/notices: a seller's open notices */
    GN_REC_FILER,        /* GET /v1/filers/{id} */
    GN_REC_REPORTS,      /* GET /v1/reports: the shoppers' reports triage queue */
    GN_REC_APPEAL,       /* GET /v1/appeals/{id} */
    GN_REC_QUEUE,        /* GET /v1/queue */
    GN_REC_STATS,        /* GET /v1/stats */
    GN_REC_METRICS,      /* GET /metrics */
    GN_REC_STATEMENTS,   /* GET /v1/statements: statements of reasons (JSON Lines) */
    GN_REC_TRANSPARENCY, /* GET /v1/transparency: counts per period, public */
    GN_REC_AUDIT,        /* GET /v1/audit: the audit log (JSON Lines) */
    GN_REC_REMEDIATION,  /* GET /v1/remediation: buyers of fakes to refund (JSON Lines, CSV) */
    GN_REC_CASE,         /* GET /v1/cases/{seller}: a case file (JSON, HTML) */
    GN_REC_CLAIMS,       /* POST /v1/claims, /v1/claims/release: review work under a lease */
    GN_REC_REVIEW,       /* GET /v1/review/{listing}: a listing as a reviewer judges it */
    GN_REC_LISTINGS,     /* GET /v1/listings?seller=ID: a seller's listings */
    GN_REC_BATCHES,      /* GET /v1/batches: authenticity code batches (a holder's: its brands') */
    GN_REC_BACKTEST,     /* POST /v1/backtest: a Lua rule tried on recent listings (platform) */
    GN_REC_COUNT
} gn_record;

/* How much of a kind of record a role may read. */
typedef enum gn_scope {
    GN_SCOPE_NONE,   /* nothing: 403 */
    GN_SCOPE_ALL,    /* every record of the kind */
    GN_SCOPE_SELF,   /* only the record that is the key's account: its own seller record, its
                        filer record, its notices, its complaints (settled before the lookup) */
    GN_SCOPE_OWN,    /* only records whose owner field names the key's account (settled after
                        the lookup, by gn_auth_owns) */
    GN_SCOPE_NOTICES /* a complaint cut down to the notices on the key's own listings (the
                        engine does the cutting: gn_complaint_json with seller = the account) */
} gn_scope;

/* Before the lookup: may p read `record` named `id` (for lists, the account
 * the list is of; NULL when the request names none)? Returns the scope, or
 * GN_SCOPE_NONE with why filled ("forbidden: ..."). A SELF read of another
 * account's record is refused here. */
gn_scope gn_auth_may_read(const gn_principal *p, gn_record record, const char *id, char *why,
                          size_t why_size);

/* After the lookup of an OWN read: is the record (its JSON, as the engine
 * returned it) p's? Returns 1, or 0 with why filled. */
int gn_auth_owns(const gn_principal *p, gn_record record, const char *id, const char *json,
                 size_t len, char *why, size_t why_size);

/* What a tenant key (seller, shopper, rights holder) is told when a record
 * it may read only if its own is missing or another account's: the same 404
 * and the same words either way, so ids cannot be probed for existence. */
void gn_auth_not_found(const gn_principal *p, gn_record record, const char *id, char *why,
                       size_t why_size);

/* The platform and reviewers see how a seller is linked to other accounts;
 * the seller itself does not. */
int gn_auth_shows_links(const gn_principal *p);

/* Keys already checked, by a hash of the key, so a request costs one hash and
 * a table probe rather than a store lookup. Unknown keys are not remembered: a
 * key issued while the server runs works at once. A key is trusted from memory
 * for max_age seconds after its last check in the store, then checked again, so
 * a key revoked (or deleted) in the store stops working within that time.
 * Thread-safe. */
#define GN_KEY_RECHECK_SECONDS 0.5

typedef struct gn_key_cache {
    pthread_mutex_t lock;
    struct gn_key_entry *slots; /* open addressing, power-of-two size */
    size_t size;
    size_t used;
    double max_age; /* seconds; gn_key_cache_init sets GN_KEY_RECHECK_SECONDS */
} gn_key_cache;

int gn_key_cache_init(gn_key_cache *cache);
void gn_key_cache_free(gn_key_cache *cache);
/* 1 and *out filled when key was checked in the store less than max_age
 * seconds ago, else 0 (check it, then put or forget it). */
int gn_key_cache_find(gn_key_cache *cache, const char *key, gn_principal *out);
/* Remembers key as checked now. */
void gn_key_cache_put(gn_key_cache *cache, const char *key, const gn_principal *p);
/* Drops key: the store no longer knows it. */
void gn_key_cache_forget(gn_key_cache *cache, const char *key);

#endif
