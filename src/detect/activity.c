/* Review, order and shipment signals: what happened to a listing after it
 * went live, and to the seller's other listings. Each is weak alone (honest
 * feeds miss orders, honest sellers ship from warehouses abroad); together,
 * or beside price and text evidence, they tell. The facts are counted as the
 * events arrive (src/state/activity.c); this file only reads them. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "detect/detect.h"

/* "sharing a device and a phone number", "the seller's own account", ... */
static void link_text(uint16_t mask, char *out, size_t cap)
{
    char kinds[160];
    size_t n = 0;
    out[0] = 0;
    uint32_t shared = mask & ((1u << GN_ID_KINDS) - 1);
    if (shared) {
        gn_identity_kinds_text(shared, kinds, sizeof kinds);
        n += (size_t)snprintf(out + n, cap - n, "sharing %s", kinds);
    }
    if (mask & GN_LINK_OWN && n < cap)
        n += (size_t)snprintf(out + n, cap - n, "%sthe seller's own account", n ? "; " : "");
    if (mask & GN_LINK_INDIRECT && n < cap)
        snprintf(out + n, cap - n, "%slinked through other accounts", n ? "; " : "");
}

static void level(uint8_t *levels, int code, double value)
{
    if (!levels) return;
    /* 1 below a quarter of full strength, 2 from a quarter, ... 5 at full. */
    double v = value > 1 ? 1 : value;
    uint8_t l = v > 0 ? (uint8_t)(1 + floor(v * 4 + 1e-9)) : 0;
    if (l > levels[code]) levels[code] = l;
}

/* Linked reviews or orders of this listing, scaled down when they are a
 * small share of all its reviews or orders (full from linked_full_share): a
 * busy honest shop whose family orders now and then is not a ring. Reviews
 * that come with linked orders are the same accounts' doing: they count
 * half. Not carried to the seller's other listings: the linked accounts are
 * in the seller's cluster, which SELLER_RING and the seller view already
 * weigh, and a shop with friends brushes some listings, not its next ones.
 * Levels are the listing's own: an event of this listing can only move them. */
static double share_factor(const gn_detect_params *p, uint32_t linked, uint32_t all)
{
    double share = all ? (double)linked / all : 1;
    return share >= p->linked_full_share ? 1 : share / p->linked_full_share;
}

static void linked(const gn_detect_params *p, const gn_listing_activity *r, gn_signals *out,
                   uint8_t *levels)
{
    char how[240];
    if (!r || !(r->linked_orders || r->linked_reviews)) return;
    link_text(r->linked_kinds, how, sizeof how);
    uint32_t n = r->linked_orders;
    if (n) {
        double value = (n >= 3 ? 1 : n == 2 ? 0.8 : 0.6) * share_factor(p, n, r->orders);
        gn_signals_add(out, "ORDERS_FROM_LINKED_BUYERS", value,
                       "%u of the listing's %u orders come from buyers linked to the seller "
                       "(%s): orders placed to look popular",
                       n, r->orders, how);
        level(levels, GN_ACT_LINKED_ORDERS, value);
    }
    n = r->linked_reviews;
    if (n) {
        double value = (n >= 2 ? 1 : 0.6) * share_factor(p, n, r->reviews);
        if (r->linked_orders) value *= 0.5;
        gn_signals_add(out, "REVIEW_FROM_LINKED_ACCOUNT", value,
                       "%u of the listing's %u reviews come from accounts linked to the seller "
                       "(%s)",
                       n, r->reviews, how);
        level(levels, GN_ACT_LINKED_REVIEWS, value);
    }
}

/* The strongest place in places that confirmed counterfeits shipped from
 * (not counting the listing itself): 1 for a facility, 0.5 for a city. */
static double counterfeit_place(const gn_activity *a, const gn_detect_params *p,
                                const uint32_t *places, uint8_t n, uint32_t self,
                                const gn_place **best, uint32_t *count)
{
    double value = 0;
    for (uint8_t i = 0; i < n; i++) {
        const gn_place *pl = &a->places[places[i]];
        uint32_t c = pl->counterfeits - self;
        /* A shared hub (a carrier's, the marketplace's own) sees a few fakes
         * among many honest parcels: it takes a share as well as a count. */
        if (pl->counterfeits < self || c < p->origin_min_counterfeits ||
            c < p->origin_min_share * pl->listings)
            continue;
        double v = pl->facility ? 1 : 0.5;
        if (v > value || (v == value && c > *count)) {
            value = v;
            *best = pl;
            *count = c;
        }
    }
    return value;
}

static void origins(const gn_activity *a, const gn_detect_params *p, const gn_listing_activity *r,
                    const gn_seller_activity *s, gn_signals *out, uint8_t *levels)
{
    const gn_place *best = NULL;
    uint32_t count = 0;
    double value =
        r ? counterfeit_place(a, p, r->places, r->n_places, r->confirmed, &best, &count) : 0;
    const char *whose = "the listing's";
    if (value > 0) {
        level(levels, GN_ACT_COUNTERFEIT_ORIGIN, value);
    } else if (s) {
        /* The shop's other parcels left from there: its next listing, before
         * it ships, is that shop's goods (three quarters; at a half, with a
         * new unverified shop's facts, worlds 105-124 let 27 fakes live to 5
         * honest listings held). */
        value = 0.75 * counterfeit_place(a, p, s->places, s->n_places, 0, &best, &count);
        whose = "the seller's";
    }
    if (value == 0) return;
    gn_signals_add(out, "SHIPS_FROM_COUNTERFEIT_ORIGIN", value,
                   "%s goods ship from %s %s, from which %u of %u listings shipped were taken "
                   "down as counterfeit",
                   whose, best->facility ? "the facility" : "the city", best->name, count,
                   best->listings);
}

void gn_detect_activity(const gn_state *st, const gn_detect_params *p, uint32_t listing,
                        uint32_t seller, gn_signals *out, uint8_t *levels)
{
    const gn_activity *a = &st->activity;
    const gn_listing_activity *r = gn_activity_of_listing(a, listing);
    const gn_seller_activity *s = gn_activity_of_seller(a, seller);
    if (!r && !s) return; /* most listings: nothing happened to them or their seller yet */
    linked(p, r, out, levels);
    if (r && r->unverified >= p->unverified_min_reviews && r->unverified > 0) {
        double value = (double)r->unverified / r->reviews;
        gn_signals_add(out, "REVIEW_WITHOUT_ORDER", value,
                       "%u of the listing's %u reviews come with no order of it by the reviewer "
                       "(not a verified purchase)",
                       r->unverified, r->reviews);
        level(levels, GN_ACT_UNVERIFIED_REVIEWS, value);
    }
    if (r && r->burst) {
        gn_signals_add(out, "REVIEW_BURST", 1,
                       "%u five-star reviews of the listing arrived within %.0f hours",
                       r->burst_count, p->burst_hours);
        level(levels, GN_ACT_REVIEW_BURST, 1);
    }
    uint16_t from = gn_activity_ship_from(a, listing);
    if (r && r->elsewhere && from) {
        double value = (double)r->elsewhere / r->shipments;
        gn_signals_add(out, "SHIPS_FROM_ELSEWHERE", value,
                       "%u of the listing's %u shipments left from %c%c, while it says it ships "
                       "from %c%c",
                       r->elsewhere, r->shipments, r->elsewhere_country & 0xff,
                       r->elsewhere_country >> 8, from & 0xff, from >> 8);
        level(levels, GN_ACT_SHIPS_ELSEWHERE, value);
    }
    origins(a, p, r, s, out, levels);
}

double gn_activity_evidence(const gn_signals *signals)
{
    static const char *const codes[] = {
        "REVIEW_FROM_LINKED_ACCOUNT", "REVIEW_WITHOUT_ORDER", "REVIEW_BURST",
        "ORDERS_FROM_LINKED_BUYERS",  "SHIPS_FROM_ELSEWHERE", "SHIPS_FROM_COUNTERFEIT_ORIGIN"};
    double sum = 0;
    for (int i = 0; i < signals->count; i++)
        for (size_t k = 0; k < sizeof codes / sizeof *codes; k++)
            if (strcmp(signals->items[i].code, codes[k]) == 0) sum += signals->items[i].weight;
    return sum;
}
