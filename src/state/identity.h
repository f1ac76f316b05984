/* The seller identity graph: sellers that share a device, a router, a phone, a
 * bank account... are one actor. Values are normalised and kept only as keyed
 * 64-bit hashes; links count only through values held by few sellers (a
 * carrier's NAT IP links nobody); clusters are union-find components kept as
 * events arrive, recomputed only when a value becomes too common to count.
 * Sellers are the engine's uint32 indexes (gn_state_seller); no ids are kept.
 * docs/linked-accounts.md says what links and what a reader is shown. */
#ifndef GN_STATE_IDENTITY_H
#define GN_STATE_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#include "genuine.h"

typedef enum gn_identity_kind {
    GN_ID_IP,      /* session `ip` */
    GN_ID_DEVICE,  /* session `device` */
    GN_ID_NETWORK, /* session `network` (router / Wi-Fi id) */
    GN_ID_PHONE,   /* seller_attribute kinds from here on */
    GN_ID_EMAIL,
    GN_ID_BANK_ACCOUNT,
    GN_ID_PAYMENT_ACCOUNT,
    GN_ID_ADDRESS,
    GN_ID_TAX_ID,
    GN_ID_KINDS
} gn_identity_kind;

/* Counter slots the engine may keep per cluster (listings live, blocked, ...). */
#define GN_IDENTITY_MAX_COUNTERS 8
/* Sellers are indexes below this (the top bit tells a seller from a list,
 * the next a value only stated by its one holder). */
#define GN_IDENTITY_MAX_SELLERS 0x3fffffffu
/* Distinct values the index can hold (27 bits of id in a 32-bit slot). */
#define GN_IDENTITY_MAX_VALUES ((1u << 27) - 2)

typedef struct gn_identity_params {
    /* A value links only while at most this many sellers hold it; past it the
     * value is "common" (NAT IP, public Wi-Fi, a warehouse address) and the
     * links it made are withdrawn. 2..65535; default 20. */
    uint32_t max_accounts;
    /* The same cut-off per kind, 0 meaning max_accounts. Defaults: 100 for
     * what one person holds (device, phone, e-mail, bank and payment
     * accounts, tax id), so a ring of 50 accounts on one phone still links;
     * 0 (max_accounts) for places: ip, network, address. */
    uint32_t max_per_kind[GN_ID_KINDS];
    /* Points a shared value of each kind gives a pair of sellers; a pair is
     * linked when its shared (non-common) values add up to link_points.
     * Defaults: ip and address 1 (weak: they link in twos), the others 2. */
    uint8_t points[GN_ID_KINDS];
    uint8_t link_points; /* default 2 */
    /* Per-cluster counter slots the engine maintains (0..8; each costs
     * 4 bytes per seller). Default 0. */
    uint32_t counters;
    /* Phone numbers written without "+" or "00" get this country code
     * (digits, e.g. "86") after one national trunk "0" is dropped; "" keeps
     * them as written. Default "". */
    char phone_country[4];
    /* Key of the value hash (SipHash-2-4). A deployment sets a secret so no
     * one can craft a value that collides with another seller's. */
    uint8_t hash_key[16];
} gn_identity_params;

typedef struct gn_identity gn_identity;

typedef struct gn_identity_stats {
    uint64_t sellers;       /* highest seller index seen + 1 */
    uint64_t values;        /* distinct values */
    uint64_t shared_values; /* held by 2..max_accounts sellers */
    uint64_t common_values; /* past the cut-off: link nobody */
    uint64_t clusters;      /* clusters of two sellers or more */
    uint64_t largest;       /* sellers in the largest cluster */
    uint64_t recomputes;    /* clusters recomputed after a cut-off */
    uint64_t bytes;         /* memory held by the graph, all included */
} gn_identity_stats;

/* One direct link: the other seller and the kinds of the values they share
 * (bit 1 << gn_identity_kind), never the values themselves. */
typedef struct gn_identity_link {
    uint32_t seller;
    uint16_t kinds;
    /* The shared values' points, >= link_points: observed in full, stated at
     * most link_points - 1 all together. */
    uint16_t points;
    /* Kinds shared only through a value one of the two stated about itself
     * (gn_identity_add_as), never observed on both. */
    uint16_t stated;
} gn_identity_link;

void gn_identity_default_params(gn_identity_params *p);
int gn_identity_new(gn_identity **out, const gn_identity_params *p, gn_error *err);
void gn_identity_free(gn_identity *g);
/* Optional: sizes the tables for this many sellers and values up front (no
 * rehash while building, no over-allocation). */
int gn_identity_reserve(gn_identity *g, uint32_t sellers, uint64_t values, gn_error *err);

/* "phone" -> GN_ID_PHONE; -1 when unknown. */
int gn_identity_kind_parse(const char *name);
const char *gn_identity_kind_name(gn_identity_kind kind);
/* Writes the kinds in mask as "a device and a phone" (for reasons). */
void gn_identity_kinds_text(uint32_t mask, char *out, size_t cap);

/* The normal form of a value (what is hashed), NUL-terminated in out; returns
 * its length, or a negative GN_E* code (an empty value is GN_EINPUT).
 * src/state/identity_normalise.c. */
int gn_identity_normalize(const gn_identity_params *p, gn_identity_kind kind, const char *value,
                          size_t len, char *out, size_t cap, gn_error *err);
/* The same for a seller of this country (ISO 3166 alpha-2, NULL or "" when
 * unknown): a phone number written the national way ("138 0013 8000",
 * "013800138000") gets the country's calling code. */
int gn_identity_normalize_in(const gn_identity_params *p, gn_identity_kind kind, const char *value,
                             size_t len, const char *country, char *out, size_t cap, gn_error *err);

/* Seller `seller` holds value (of len bytes) of this kind: from a session's
 * ip/device/network or a seller_attribute. Repeats change nothing. May merge
 * clusters, or, when the value crosses max_accounts, split them again. */
int gn_identity_add(gn_identity *g, uint32_t seller, gn_identity_kind kind, const char *value,
                    size_t len, gn_error *err);
/* The same, for a seller of this country (ISO 3166 alpha-2, NULL: unknown;
 * it reads national phone numbers), and stated = 1 when the value is only
 * the seller's own word about itself, not something the platform observed:
 * such a value never makes a link on its own (it counts at most
 * link_points - 1, with all the pair's other statements), so no seller can
 * join a stranger's cluster by stating the stranger's phone. Observed later,
 * it counts in full. */
int gn_identity_add_as(gn_identity *g, uint32_t seller, gn_identity_kind kind, const char *value,
                       size_t len, const char *country, int stated, gn_error *err);

/* The sellers whose clusters the last gn_identity_add(_as) took apart (a
 * value past its cut-off) when one of those clusters held a banned seller:
 * some of them may no longer be linked to it, and the engine decides their
 * held listings again. Returns how many (0: none); *sellers is valid until
 * the next add. */
size_t gn_identity_split(const gn_identity *g, const uint32_t **sellers);

/* The cluster: an id (the index of one member, stable until the next add),
 * its size, and its members as a ring: start at s, follow next_member until
 * it comes back to s. A seller never added is a cluster of one. */
uint32_t gn_identity_cluster(gn_identity *g, uint32_t seller);
uint32_t gn_identity_cluster_size(gn_identity *g, uint32_t seller);
uint32_t gn_identity_next_member(const gn_identity *g, uint32_t seller);

/* Ban state. The cluster's banned count is kept as bans change. */
int gn_identity_set_banned(gn_identity *g, uint32_t seller, int banned, gn_error *err);
int gn_identity_is_banned(const gn_identity *g, uint32_t seller);
uint32_t gn_identity_cluster_banned(gn_identity *g, uint32_t seller);

/* Engine counters per cluster: add delta to seller's own count in slot; the
 * cluster's total is the sum over its members, kept through merges and
 * splits. */
int gn_identity_counter_add(gn_identity *g, uint32_t seller, uint32_t slot, int32_t delta,
                            gn_error *err);
int64_t gn_identity_counter(gn_identity *g, uint32_t seller, uint32_t slot);

/* The sellers directly linked to seller, each with the kinds shared, in no
 * particular order: fills out[0..cap) and returns how many links there are
 * (which may exceed cap), or a negative GN_E* code. Cost: the seller's shared
 * values times their holders (at most max_accounts each). */
int gn_identity_links(gn_identity *g, uint32_t seller, gn_identity_link *out, size_t cap,
                      gn_error *err);

/* The shortest chain of direct links from seller to a banned member of its
 * cluster (a breadth-first search over at most max_visit sellers): path[0] is
 * seller, path[n-1] the banned one, kinds[i] what path[i] and path[i+1]
 * share. Returns n (>= 2; 1 when seller itself is banned), 0 when no banned
 * seller was reached, or a negative GN_E* code. */
int gn_identity_path_to_banned(gn_identity *g, uint32_t seller, uint32_t max_visit, uint32_t *path,
                               uint16_t *kinds, size_t cap, gn_error *err);

void gn_identity_get_stats(gn_identity *g, gn_identity_stats *s);

#endif
