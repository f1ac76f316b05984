/* The in-memory state the detectors read: brands, sellers, listings, exchange
 * rates and the typical prices of each brand's allowed listings. It is rebuilt
 * from the event log at start; nothing here does I/O. */
#ifndef GN_STATE_STATE_H
#define GN_STATE_STATE_H

#include <stdint.h>

#include "core/event.h"
#include "core/strmap.h"
#include "state/activity.h"
#include "state/identity.h"
#include "state/prices.h"

#define GN_NONE UINT32_MAX

/* Currencies are three letters A-Z (ISO 4217 form, as events are validated). */
#define GN_CURRENCIES (26 * 26 * 26)

typedef struct gn_reference_price {
    const char *category; /* pooled */
    char currency[4];
    double price;
} gn_reference_price;

typedef struct gn_brand {
    const char *id;   /* pooled */
    const char *name; /* pooled */
    gn_reference_price *prices;
    int n_prices;
    int authorized_only;
    gn_strmap authorized; /* seller ids */
} gn_brand;

typedef enum gn_verification {
    GN_VERIFY_NONE,
    GN_VERIFY_SUBMITTED,
    GN_VERIFY_VERIFIED,
    GN_VERIFY_REJECTED
} gn_verification;

typedef struct gn_seller {
    const char *id;        /* pooled */
    int64_t created_at;    /* `at` of its first seller event; INT64_MIN when unknown */
    uint32_t last_listing; /* newest listing of this seller (GN_NONE: none); see gn_listing */
    uint32_t brands[4];    /* the last brands it listed, newest first (GN_NONE: empty) */
    uint32_t origins;      /* its shipment origins: head of a list in gn_state.tallies */
    uint8_t verification;
    uint8_t basic_template;
    char country[3]; /* ISO 3166 alpha-2 from its seller event, "" unknown (reads phones) */
} gn_seller;

typedef enum gn_listing_status {
    GN_LIVE,
    GN_HELD,
    GN_BLOCKED,
    GN_REMOVED,
    GN_NOTICED
} gn_listing_status;

/* The contract's name of a status ("live", ...). */
const char *gn_listing_status_name(int status);
/* How restrictive a status is: live < noticed < held < blocked < removed. */
int gn_listing_status_severity(int status);

typedef struct gn_listing {
    const char *id; /* pooled */
    int64_t event;  /* the latest version's position in the event log */
    uint32_t seller;
    uint32_t previous_of_seller; /* the seller's listing before this one (GN_NONE: first) */
    uint32_t versions;
    uint32_t brands[2]; /* the brand it claims and the one it names (GN_NONE: none) */
    float score;        /* its latest decision's score */
    uint8_t status;
    /* Put back live by a person after being blocked or taken down (found
     * genuine, an appeal upheld): its banked photos are no evidence. */
    uint8_t cleared;
    /* Where this listing's price counts in the market figures, to take it out
     * again when the listing changes (GN_NONE: it does not count). */
    uint32_t market_keys[2]; /* the category's and the brand's as a whole */
    double market_price;
    /* The first word its text names a brand misspelt with (a gn_market_word_key,
     * 0: none): a reviewer finding it genuine makes the word the marketplace's. */
    uint32_t misspelt_word;
} gn_listing;

typedef struct gn_origin_tally {
    uint32_t origin, shipments, next; /* next: GN_NONE ends the seller's list */
} gn_origin_tally;

typedef struct gn_state {
    gn_brand *brands;
    uint32_t n_brands, cap_brands;
    gn_strmap brand_by_id;
    gn_strmap brand_by_name; /* lower-cased names and aliases */

    gn_seller *sellers;
    uint32_t n_sellers, cap_sellers;
    gn_strmap seller_by_id;

    gn_listing *listings;
    uint32_t n_listings, cap_listings;
    gn_strmap listing_by_id;

    /* The USD value of one unit of each currency (0: no rate known). Every
     * currency an event can name (three letters A-Z) has its own slot, so
     * the table never fills up and a look-up is one load. */
    double rates[GN_CURRENCIES];

    gn_prices market;

    gn_strmap order_listing; /* order id -> index in activity.orders */
    gn_strmap origin_index;  /* "country/city/facility" -> origin index */
    const char **origins;    /* pooled names, by index */
    uint32_t n_origins, cap_origins;
    gn_origin_tally *tallies; /* per-seller lists of (origin, shipments) */
    uint32_t n_tallies, cap_tallies;
    gn_activity activity; /* orders, reviews, shipments per listing and seller (activity.c) */

    gn_pool pool;
} gn_state;

void gn_state_init(gn_state *st);
void gn_state_free(gn_state *st);

/* Applies a brand event; returns the brand's index. */
uint32_t gn_state_put_brand(gn_state *st, const gn_event *ev);
/* Resolves a brand by id, then by name or alias (case-insensitive). */
uint32_t gn_state_find_brand(const gn_state *st, const char *id_or_name);

uint32_t gn_state_seller(gn_state *st, const char *id, int64_t at);
void gn_state_put_seller(gn_state *st, const gn_event *ev);
void gn_state_put_verification(gn_state *st, const gn_event *ev);

/* Finds or adds the listing; *is_new says which. */
uint32_t gn_state_listing(gn_state *st, const char *id, uint32_t seller, int *is_new);

/* Remembers that the seller listed a brand (its last four). */
void gn_seller_note_brand(gn_seller *s, uint32_t brand);

void gn_state_put_rate(gn_state *st, const gn_event *ev);

/* Orders tie shipments to listings and so to sellers; a shipment's origin is
 * tallied for the seller of the listing ordered (where its goods come from).
 * An order from a buyer linked to the seller in the identity graph, a review
 * from one or without the reviewer's order of the listing, a shipment from
 * elsewhere than the listing's ship_from are counted (src/state/activity.c).
 * Each returns the listing concerned, or GN_NONE. */
uint32_t gn_state_put_order(gn_state *st, gn_identity *g, const gn_event *ev);
uint32_t gn_state_put_review(gn_state *st, gn_identity *g, const gn_event *ev);
uint32_t gn_state_put_shipment(gn_state *st, const gn_event *ev);
/* Whether the order (its index in activity.orders) was placed by buyer. */
int gn_state_order_bought_by(gn_state *st, uint32_t order, const char *buyer);
/* The country the listing's current version ships from (NULL: not said). */
void gn_state_listing_ships_from(gn_state *st, uint32_t listing, const char *country);
/* The listing was taken down as counterfeit (1) or put back (0): the places
 * it shipped from count one confirmed counterfeit more, or less. */
void gn_state_listing_confirmed(gn_state *st, uint32_t listing, int confirmed);
/* The USD value of one unit of currency (1 for USD until a rate says otherwise),
 * or 0 when no rate is known. */
double gn_state_rate(const gn_state *st, const char *currency);

int gn_brand_is_authorized(const gn_brand *b, const char *seller);

/* Takes a listing's price out of the market figures it counts in (when it
 * stops being an allowed, live listing). */
void gn_state_leave_market(gn_state *st, gn_listing *l);

#endif
