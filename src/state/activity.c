/* Orders, reviews and shipments applied to the state. Each is counted on the
 * listing it concerns and, where it says something of the seller's next
 * listings (where its goods ship from), on the seller: the
 * facts behind the review, order and shipment signals (src/detect/activity.c).
 * Whether a buyer is linked is asked of the identity graph when the event
 * arrives, so a replay of the log counts the same. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/grow.h"
#include "state/state.h"

void gn_activity_free(gn_activity *a)
{
    free(a->orders);
    free(a->listings);
    free(a->records);
    free(a->seller_slot);
    free(a->sellers);
    free(a->places);
    gn_strmap_free(&a->place_index);
    memset(a, 0, sizeof *a);
}

uint16_t gn_country_code(const char *country)
{
    if (!country || !country[0] || !country[1]) return 0;
    return (uint16_t)((unsigned char)country[0] | (unsigned char)country[1] << 8);
}

/* Makes arr (n of cap) hold index, the new part zeroed. */
static void *cover(void *arr, uint32_t *n, uint32_t *cap, uint32_t index, size_t size)
{
    if (index < *n) return arr;
    if (index >= *cap) {
        uint32_t c = *cap ? *cap : 64;
        while (c <= index)
            c *= 2;
        arr = gn_xrealloc(arr, (size_t)c * size);
        *cap = c;
    }
    memset((char *)arr + (size_t)*n * size, 0, (size_t)(index + 1 - *n) * size);
    *n = index + 1;
    return arr;
}

static gn_listing_activity *listing_record(gn_activity *a, uint32_t listing)
{
    a->listings = cover(a->listings, &a->n_listing_entries, &a->cap_listing_entries, listing,
                        sizeof *a->listings);
    gn_listing_entry *entry = &a->listings[listing];
    if (!entry->slot) {
        if (!a->n_records) { /* slot 0 means none */
            GN_GROW(a->records, a->n_records, a->cap_records);
            a->n_records = 1;
        }
        GN_GROW(a->records, a->n_records, a->cap_records);
        memset(&a->records[a->n_records], 0, sizeof *a->records);
        entry->slot = a->n_records++;
    }
    return &a->records[entry->slot];
}

static gn_seller_activity *seller_record(gn_activity *a, uint32_t seller)
{
    a->seller_slot = cover(a->seller_slot, &a->n_seller_slots, &a->cap_seller_slots, seller,
                           sizeof *a->seller_slot);
    uint32_t *slot = &a->seller_slot[seller];
    if (!*slot) {
        if (!a->n_seller_records) {
            GN_GROW(a->sellers, a->n_seller_records, a->cap_seller_records);
            a->n_seller_records = 1;
        }
        GN_GROW(a->sellers, a->n_seller_records, a->cap_seller_records);
        memset(&a->sellers[a->n_seller_records], 0, sizeof *a->sellers);
        *slot = a->n_seller_records++;
    }
    return &a->sellers[*slot];
}

/* Buyers are compared, never listed: a keyed hash of the id is enough and
 * costs eight bytes an order. The key is drawn per process (the state is
 * rebuilt at start), so no one can pick an id that passes for another's. */
static uint64_t buyer_hash(gn_activity *a, const char *buyer)
{
    if (!a->keyed) {
        randombytes_buf(a->key, sizeof a->key);
        a->keyed = 1;
    }
    unsigned char out[crypto_shorthash_BYTES];
    crypto_shorthash(out, (const unsigned char *)buyer, strlen(buyer), a->key);
    uint64_t h;
    memcpy(&h, out, sizeof h);
    return h;
}

/* How the account `buyer` is linked to the seller (GN_LINK_* and kinds), 0
 * when it is not. An account genuine knows nothing of (no session, no
 * attribute) links nobody; a value held by many (a carrier's NAT address)
 * links nobody either: the graph withdrew it. */
static uint16_t linked_to_seller(gn_state *st, gn_identity *g, const char *buyer, uint32_t seller)
{
    uint32_t *account = gn_strmap_find(&st->seller_by_id, buyer);
    if (!account) return 0;
    if (*account == seller) return GN_LINK_OWN;
    if (gn_identity_cluster(g, *account) != gn_identity_cluster(g, seller)) return 0;
    gn_identity_link links[32];
    gn_error err;
    int n = gn_identity_links(g, *account, links, 32, &err);
    for (int i = 0; i < n && i < 32; i++)
        if (links[i].seller == seller) return links[i].kinds ? links[i].kinds : GN_LINK_INDIRECT;
    return GN_LINK_INDIRECT;
}

uint32_t gn_state_put_order(gn_state *st, gn_identity *g, const gn_event *ev)
{
    gn_activity *a = &st->activity;
    const char *buyer = gn_event_str(ev, "buyer");
    int added;
    uint32_t *slot = gn_strmap_put(&st->order_listing, gn_event_str(ev, "order"), &added, NULL);
    if (!added)
        return GN_NONE; /* an order told again (another event id) counts once, as first told */
    uint32_t *listing = gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "listing"));
    GN_GROW(a->orders, a->n_orders, a->cap_orders);
    *slot = a->n_orders;
    a->orders[a->n_orders++] = (gn_order){buyer_hash(a, buyer), listing ? *listing : GN_NONE};
    if (!listing) return GN_NONE;
    uint32_t seller = st->listings[*listing].seller;
    uint16_t link = linked_to_seller(st, g, buyer, seller);
    gn_listing_activity *r = listing_record(a, *listing);
    r->orders++;
    if (link) {
        r->linked_orders++;
        r->linked_kinds |= link;
    }
    return *listing;
}

/* A five-star review joins the listing's ring of the latest; a burst is a
 * full ring whose reviews all came within burst_hours. The ring's times are
 * compared among themselves, so events arriving out of order do not matter. */
static void five_star(gn_activity *a, gn_listing_activity *r, int64_t at)
{
    uint32_t n = a->burst_reviews < 2 ? 2 : a->burst_reviews;
    if (n > GN_ACTIVITY_BURST_MAX) n = GN_ACTIVITY_BURST_MAX;
    uint32_t minute = at <= 0 ? 0 : at / 60000 > UINT32_MAX ? UINT32_MAX : (uint32_t)(at / 60000);
    r->five_star[r->five_head % n] = minute;
    r->five_head = (uint8_t)((r->five_head + 1) % n);
    if (r->n_five_star < n) r->n_five_star++;
    if (r->n_five_star < n || r->burst) return;
    uint32_t lo = UINT32_MAX, hi = 0;
    for (uint32_t i = 0; i < n; i++) {
        if (r->five_star[i] < lo) lo = r->five_star[i];
        if (r->five_star[i] > hi) hi = r->five_star[i];
    }
    if ((double)(hi - lo) <= a->burst_hours * 60) {
        r->burst = 1;
        r->burst_count = (uint8_t)n;
    }
}

int gn_state_order_bought_by(gn_state *st, uint32_t order, const char *buyer)
{
    gn_activity *a = &st->activity;
    return order < a->n_orders && a->orders[order].buyer == buyer_hash(a, buyer);
}

uint32_t gn_state_put_review(gn_state *st, gn_identity *g, const gn_event *ev)
{
    gn_activity *a = &st->activity;
    uint32_t *listing = gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "listing"));
    if (!listing) return GN_NONE; /* a review of a listing genuine never saw */
    const char *buyer = gn_event_str(ev, "buyer");
    const char *order = gn_event_str(ev, "order");
    /* A verified purchase: the order is known, of this listing, by this reviewer. */
    int verified = 0;
    if (order) {
        uint32_t *o = gn_strmap_find(&st->order_listing, order);
        verified =
            o && a->orders[*o].listing == *listing && a->orders[*o].buyer == buyer_hash(a, buyer);
    }
    uint32_t seller = st->listings[*listing].seller;
    uint16_t link = linked_to_seller(st, g, buyer, seller);
    gn_listing_activity *r = listing_record(a, *listing);
    r->reviews++;
    r->unverified += !verified;
    if (gn_event_num(ev, "rating", 0) == 5) five_star(a, r, ev->at);
    if (link) {
        r->linked_reviews++;
        r->linked_kinds |= link;
    }
    return *listing;
}

/* The place id of a name ("CN/Putian/WH-3" or "CN/Putian"). */
static uint32_t place(gn_activity *a, const char *name, int facility)
{
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&a->place_index, name, &added, &key);
    if (added) {
        GN_GROW(a->places, a->n_places, a->cap_places);
        a->places[a->n_places] = (gn_place){key, 0, 0, (uint8_t)facility};
        *slot = a->n_places++;
    }
    return *slot;
}

/* Adds p to a list of at most GN_ACTIVITY_PLACES; 1 when it was not there
 * and was added. */
static int note_place(uint32_t *places, uint8_t *n, uint32_t p)
{
    for (uint8_t i = 0; i < *n; i++)
        if (places[i] == p) return 0;
    if (*n == GN_ACTIVITY_PLACES) return 0;
    places[(*n)++] = p;
    return 1;
}

static void tally_origin(gn_state *st, uint32_t seller, const char *name)
{
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&st->origin_index, name, &added, &key);
    if (added) {
        GN_GROW(st->origins, st->n_origins, st->cap_origins);
        st->origins[st->n_origins] = key;
        *slot = st->n_origins++;
    }
    gn_seller *s = &st->sellers[seller];
    for (uint32_t t = s->origins; t != GN_NONE; t = st->tallies[t].next)
        if (st->tallies[t].origin == *slot) {
            st->tallies[t].shipments++;
            return;
        }
    GN_GROW(st->tallies, st->n_tallies, st->cap_tallies);
    st->tallies[st->n_tallies] = (gn_origin_tally){*slot, 1, s->origins};
    s->origins = st->n_tallies++;
}

uint32_t gn_state_put_shipment(gn_state *st, const gn_event *ev)
{
    gn_activity *a = &st->activity;
    uint32_t *order = gn_strmap_find(&st->order_listing, gn_event_str(ev, "order"));
    if (!order || a->orders[*order].listing == GN_NONE)
        return GN_NONE; /* a shipment of an order genuine never saw says nothing of a seller */
    uint32_t listing = a->orders[*order].listing;
    uint32_t seller = st->listings[listing].seller;
    const gn_json *origin = gn_event_get(ev, "origin");
    const char *country = gn_json_str(origin, "country");
    const char *city = gn_json_str(origin, "city");
    const char *facility = gn_json_str(origin, "facility");
    char name[600];
    snprintf(name, sizeof name, "%s/%s/%s", country, city ? city : "", facility ? facility : "");
    tally_origin(st, seller, name);

    uint16_t from = gn_activity_ship_from(a, listing), here = gn_country_code(country);
    uint32_t found[2];
    int n_found = 0;
    if (facility && *facility) found[n_found++] = place(a, name, 1);
    if (city && *city) {
        snprintf(name, sizeof name, "%s/%s", country, city);
        found[n_found++] = place(a, name, 0);
    }
    gn_listing_activity *r = listing_record(a, listing);
    r->shipments++;
    if (from && here != from) {
        r->elsewhere++;
        r->elsewhere_country = here;
    }
    gn_seller_activity *s = n_found ? seller_record(a, seller) : NULL;
    for (int i = 0; i < n_found; i++) {
        /* A listing already confirmed counterfeit makes a new place of it count too. */
        if (note_place(r->places, &r->n_places, found[i]) &&
            (r->confirmed || st->listings[listing].status == GN_LIVE ||
             st->listings[listing].status == GN_NOTICED)) {
            a->places[found[i]].listings++;
            a->places[found[i]].counterfeits += r->confirmed;
            r->counted |= (uint8_t)(1u << (r->n_places - 1));
        }
        note_place(s->places, &s->n_places, found[i]);
    }
    return listing;
}

void gn_state_listing_ships_from(gn_state *st, uint32_t listing, const char *country)
{
    gn_activity *a = &st->activity;
    uint16_t code = gn_country_code(country);
    if (!code && listing >= a->n_listing_entries) return; /* nothing to remember */
    a->listings = cover(a->listings, &a->n_listing_entries, &a->cap_listing_entries, listing,
                        sizeof *a->listings);
    a->listings[listing].ship_from = code;
}

void gn_state_listing_confirmed(gn_state *st, uint32_t listing, int confirmed)
{
    gn_activity *a = &st->activity;
    gn_listing_activity *r = listing_record(a, listing);
    if (r->confirmed == (confirmed != 0)) return;
    r->confirmed = confirmed != 0;
    for (uint8_t i = 0; i < r->n_places; i++) {
        gn_place *place = &a->places[r->places[i]];
        if (!(r->counted & 1u << i)) { /* blocked when it shipped: counted from now on */
            place->listings++;
            r->counted |= (uint8_t)(1u << i);
        }
        place->counterfeits += confirmed ? 1u : (uint32_t)-1;
    }
}

int gn_activity_raise_levels(gn_activity *a, uint32_t listing, const uint8_t *levels)
{
    if (listing >= a->n_listing_entries || !a->listings[listing].slot) return 0;
    gn_listing_activity *r = &a->records[a->listings[listing].slot];
    int rose = 0;
    for (int i = 0; i < GN_ACT_CODES; i++)
        if (levels[i] > r->levels[i]) {
            r->levels[i] = levels[i];
            rose = 1;
        }
    return rose;
}
