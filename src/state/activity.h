/* What happens to a listing after it is decided: its orders, reviews and
 * shipments, kept as counts the review, order and shipment signals read
 * (src/detect/activity.c). Memory is bounded per listing and per seller: a
 * fixed record for each one with any activity, a ring of its latest
 * five-star reviews, at most GN_ACTIVITY_PLACES shipment origins; plus one
 * small record per order (its listing and its buyer, hashed). */
#ifndef GN_STATE_ACTIVITY_H
#define GN_STATE_ACTIVITY_H

#include <stdint.h>

#include "core/event.h"
#include "core/strmap.h"

#define GN_ACTIVITY_PLACES 4
#define GN_ACTIVITY_BURST_MAX 16

/* The codes of the activity signals, in the order of the levels kept. */
enum {
    GN_ACT_LINKED_REVIEWS,
    GN_ACT_UNVERIFIED_REVIEWS,
    GN_ACT_REVIEW_BURST,
    GN_ACT_LINKED_ORDERS,
    GN_ACT_SHIPS_ELSEWHERE,
    GN_ACT_COUNTERFEIT_ORIGIN,
    GN_ACT_CODES
};

typedef struct gn_order {
    uint64_t buyer;   /* keyed hash of the buyer's id */
    uint32_t listing; /* GN_NONE: a listing genuine never saw */
} gn_order;

/* How a reviewer or buyer is linked to the seller, OR-ed per listing and
 * seller: the identity kinds they share directly (bits below GN_ID_KINDS),
 * the seller's own account, or linked only through other accounts. */
#define GN_LINK_OWN 0x8000u
#define GN_LINK_INDIRECT 0x4000u

/* A place goods ship from: a facility (country/city/facility) or a city
 * (country/city), how many listings shipped from it and how many of those
 * were taken down as counterfeit. A listing held or blocked when it ships is
 * not counted (on a real marketplace it could not sell) unless it is taken
 * down later. */
typedef struct gn_place {
    const char *name; /* pooled key */
    uint32_t listings, counterfeits;
    uint8_t facility;
} gn_place;

typedef struct gn_listing_activity {
    uint32_t reviews, unverified, linked_reviews;
    uint32_t orders, linked_orders;
    uint32_t shipments, elsewhere;
    uint32_t places[GN_ACTIVITY_PLACES];
    uint32_t five_star[GN_ACTIVITY_BURST_MAX]; /* minutes since 1970 of the latest, a ring */
    uint16_t linked_kinds;                     /* identity kinds shared, reviews and orders */
    uint16_t elsewhere_country;                /* the last other country shipped from */
    uint8_t n_places, n_five_star, five_head, burst, confirmed;
    uint8_t counted;              /* bit i: places[i] counts this listing among its listings */
    uint8_t burst_count;          /* five-star reviews in the burst's window when it was seen */
    uint8_t levels[GN_ACT_CODES]; /* the strongest level each signal has been decided at */
} gn_listing_activity;

/* What the seller's other listings tell of its next ones: where its goods
 * ship from. */
typedef struct gn_seller_activity {
    uint32_t places[GN_ACTIVITY_PLACES];
    uint8_t n_places;
} gn_seller_activity;

/* Per listing, whether or not it has any activity: its record (0: none) and
 * the country its current version says it ships from (0: not said). */
typedef struct gn_listing_entry {
    uint32_t slot;
    uint16_t ship_from;
} gn_listing_entry;

typedef struct gn_activity {
    gn_order *orders;
    uint32_t n_orders, cap_orders;
    gn_listing_entry *listings; /* by listing index */
    uint32_t n_listing_entries, cap_listing_entries;
    gn_listing_activity *records; /* [0] unused */
    uint32_t n_records, cap_records;
    uint32_t *seller_slot; /* by seller index, 0: none */
    uint32_t n_seller_slots, cap_seller_slots;
    gn_seller_activity *sellers; /* [0] unused */
    uint32_t n_seller_records, cap_seller_records;
    gn_strmap place_index;
    gn_place *places;
    uint32_t n_places, cap_places;
    /* A burst is burst_reviews five-star reviews (at most
     * GN_ACTIVITY_BURST_MAX) within burst_hours on one listing. */
    uint32_t burst_reviews;
    double burst_hours;
    uint8_t key[16]; /* of the buyer hashes, random per process */
    int keyed;
} gn_activity;

void gn_activity_free(gn_activity *a);

/* Two-letter country as a number (0: none). */
uint16_t gn_country_code(const char *country);

/* The record of a listing's activity, or NULL when it has none. */
static inline const gn_listing_activity *gn_activity_of_listing(const gn_activity *a,
                                                                uint32_t listing)
{
    if (listing >= a->n_listing_entries || !a->listings[listing].slot) return NULL;
    return &a->records[a->listings[listing].slot];
}

static inline const gn_seller_activity *gn_activity_of_seller(const gn_activity *a, uint32_t seller)
{
    if (seller >= a->n_seller_slots || !a->seller_slot[seller]) return NULL;
    return &a->sellers[a->seller_slot[seller]];
}

/* Records levels (one per GN_ACT_* code, higher is stronger) for the
 * listing; returns 1 when one is above every level it was decided at
 * before: the evidence crossed a line and the listing is decided again. */
int gn_activity_raise_levels(gn_activity *a, uint32_t listing, const uint8_t *levels);

static inline uint16_t gn_activity_ship_from(const gn_activity *a, uint32_t listing)
{
    return listing < a->n_listing_entries ? a->listings[listing].ship_from : 0;
}

#endif
