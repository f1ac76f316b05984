/* Leases on review work (the review queue, the appeals queue): a reviewer
 * claims the next item, and no other reviewer is offered it while the lease
 * runs; an abandoned claim lapses and the item goes back to the queue. Kept
 * in the store, beside the log but not in it: a claim changes nothing in the
 * marketplace (the verdict that follows is the event), so a replay needs
 * none of them, but a restart or another node must see them. */
#ifndef GN_HTTP_CLAIMS_H
#define GN_HTTP_CLAIMS_H

#include <stddef.h>

#include "genuine.h"
#include "store/store.h"

#define GN_CLAIM_DEFAULT_SECONDS 300.0 /* a lease: five minutes to decide one item */
#define GN_CLAIM_SKIP_SECONDS 1800.0   /* a skipped item is not offered to its skipper again */

/* The first of items[0..n) (the queue, best first) that reviewer may take at
 * time now: not leased to another reviewer, and not skipped by this one in
 * the last GN_CLAIM_SKIP_SECONDS. It is leased to reviewer until now + lease,
 * and the reviewer's earlier lease in that queue ends. An item the reviewer
 * holds already is offered again (a reload shows the same item). *taken
 * receives its index, or -1 when every item is taken. 0, or the store's
 * error. */
int gn_claims_take(gn_store *store, const char *queue, const char *reviewer,
                   const char *const *items, size_t n, double now, double lease, long *taken,
                   gn_error *err);

/* Ends reviewer's lease on item; with skip, the item is not offered to that
 * reviewer again for GN_CLAIM_SKIP_SECONDS. 0, GN_ENOTFOUND when the
 * reviewer held no lease on it, or the store's error. */
int gn_claims_release(gn_store *store, const char *queue, const char *item, const char *reviewer,
                      int skip, double now, gn_error *err);

/* The reviewer holding a lease on item at time now, into reviewer (257
 * bytes); GN_ENOTFOUND when none. */
int gn_claims_holder(gn_store *store, const char *queue, const char *item, double now,
                     char *reviewer, gn_error *err);

/* The answer to POST /v1/claims (item NULL: claim the next item of queue,
 * "listings" or "appeals") or POST /v1/claims/release (item: end the lease,
 * skip: and pass on it), for reviewer at wall-clock time now (seconds), as
 * JSON into out. The caller holds the engine's lock: the queue is read and
 * leased from in one step. 0, or GN_ENOTFOUND (no such lease to release),
 * GN_EINPUT (a bad parameter, named) or a read's error. */
struct gn_buf;
int gn_claims_answer(gn_engine *engine, const char *queue, const char *reviewer, const char *item,
                     int skip, double now, double lease, struct gn_buf *out, gn_error *err);

#endif
