/* Applying events to the in-memory state: brands, sellers, listings, rates.
 * Records live in growable arrays and are found through string maps. */
#include "state/state.h"

#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/grow.h"

void gn_state_init(gn_state *st)
{
    memset(st, 0, sizeof *st);
}

void gn_state_free(gn_state *st)
{
    for (uint32_t i = 0; i < st->n_brands; i++) {
        free(st->brands[i].prices);
        gn_strmap_free(&st->brands[i].authorized);
    }
    free(st->brands);
    free(st->sellers);
    free(st->listings);
    gn_strmap_free(&st->brand_by_id);
    gn_strmap_free(&st->brand_by_name);
    gn_strmap_free(&st->seller_by_id);
    gn_strmap_free(&st->listing_by_id);
    gn_prices_free(&st->market);
    gn_strmap_free(&st->order_listing);
    gn_strmap_free(&st->origin_index);
    free(st->origins);
    free(st->tallies);
    gn_activity_free(&st->activity);
    gn_pool_free(&st->pool);
}

static void lower(char *out, size_t size, const char *s)
{
    size_t i = 0;
    for (; s[i] && i + 1 < size; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    out[i] = 0;
}

static void index_name(gn_state *st, const char *name, uint32_t brand)
{
    char key[GN_ID_MAX + 1];
    lower(key, sizeof key, name);
    int added;
    uint32_t *v = gn_strmap_put(&st->brand_by_name, key, &added, NULL);
    if (added) *v = brand;
}

uint32_t gn_state_put_brand(gn_state *st, const gn_event *ev)
{
    const char *id = gn_event_str(ev, "brand");
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&st->brand_by_id, id, &added, &key);
    if (added) {
        GN_GROW(st->brands, st->n_brands, st->cap_brands);
        *slot = st->n_brands++;
        memset(&st->brands[*slot], 0, sizeof(gn_brand));
        st->brands[*slot].id = key;
    }
    uint32_t index = *slot;
    gn_brand *b = &st->brands[index];
    const char *name = gn_event_str(ev, "name");
    b->name = gn_pool_strdup(&st->pool, name, strlen(name));
    b->authorized_only = gn_event_bool(ev, "authorized_only");
    index_name(st, id, index);
    index_name(st, name, index);
    const gn_json *aliases = gn_event_get(ev, "aliases");
    for (size_t i = 0; i < gn_json_size(aliases); i++)
        index_name(st, gn_json_string(gn_json_at(aliases, i), NULL), index);

    /* A brand event restates the brand: its prices and sellers replace the old. */
    const gn_json *prices = gn_event_get(ev, "reference_prices");
    if (prices) {
        free(b->prices);
        b->n_prices = (int)gn_json_size(prices);
        b->prices = gn_xcalloc((size_t)b->n_prices + 1, sizeof *b->prices);
        for (size_t i = 0; i < gn_json_size(prices); i++) {
            const gn_json *v = gn_json_at(prices, i);
            const char *c = gn_json_str(v, "category");
            b->prices[i].category = gn_pool_strdup(&st->pool, c, strlen(c));
            b->prices[i].price = gn_json_number(gn_json_get(v, "price"));
            snprintf(b->prices[i].currency, sizeof b->prices[i].currency, "%s",
                     gn_json_str(v, "currency"));
        }
    }
    const gn_json *sellers = gn_event_get(ev, "authorized_sellers");
    if (sellers) {
        gn_strmap_free(&b->authorized);
        for (size_t i = 0; i < gn_json_size(sellers); i++)
            gn_strmap_put(&b->authorized, gn_json_string(gn_json_at(sellers, i), NULL), NULL, NULL);
    }
    return index;
}

uint32_t gn_state_find_brand(const gn_state *st, const char *id_or_name)
{
    uint32_t *v = gn_strmap_find(&st->brand_by_id, id_or_name);
    if (v) return *v;
    char key[GN_ID_MAX + 1];
    lower(key, sizeof key, id_or_name);
    v = gn_strmap_find(&st->brand_by_name, key);
    return v ? *v : GN_NONE;
}

int gn_brand_is_authorized(const gn_brand *b, const char *seller)
{
    return gn_strmap_find(&b->authorized, seller) != NULL;
}

uint32_t gn_state_seller(gn_state *st, const char *id, int64_t at)
{
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&st->seller_by_id, id, &added, &key);
    if (added) {
        GN_GROW(st->sellers, st->n_sellers, st->cap_sellers);
        *slot = st->n_sellers++;
        gn_seller *s = &st->sellers[*slot];
        memset(s, 0, sizeof *s);
        s->id = key;
        s->created_at = at;
        s->last_listing = GN_NONE;
        s->origins = GN_NONE;
        for (int i = 0; i < 4; i++)
            s->brands[i] = GN_NONE;
    }
    return *slot;
}

void gn_state_put_seller(gn_state *st, const gn_event *ev)
{
    uint32_t i = gn_state_seller(st, gn_event_str(ev, "seller"), ev->at);
    gn_seller *s = &st->sellers[i];
    /* A seller first met through a listing gets its real age from its seller event. */
    if (s->created_at == INT64_MIN || ev->at < s->created_at) s->created_at = ev->at;
    const char *template = gn_event_str(ev, "template");
    if (template) s->basic_template = strcmp(template, "basic") == 0;
    const char *country = gn_event_str(ev, "country");
    if (country && strlen(country) == 2) memcpy(s->country, country, 3);
}

void gn_state_put_verification(gn_state *st, const gn_event *ev)
{
    uint32_t i = gn_state_seller(st, gn_event_str(ev, "seller"), INT64_MIN);
    const char *status = gn_event_str(ev, "status");
    st->sellers[i].verification = strcmp(status, "verified") == 0   ? GN_VERIFY_VERIFIED
                                  : strcmp(status, "rejected") == 0 ? GN_VERIFY_REJECTED
                                                                    : GN_VERIFY_SUBMITTED;
}

uint32_t gn_state_listing(gn_state *st, const char *id, uint32_t seller, int *is_new)
{
    const char *key;
    uint32_t *slot = gn_strmap_put(&st->listing_by_id, id, is_new, &key);
    if (*is_new) {
        GN_GROW(st->listings, st->n_listings, st->cap_listings);
        *slot = st->n_listings++;
        gn_listing *l = &st->listings[*slot];
        memset(l, 0, sizeof *l);
        l->id = key;
        l->market_keys[0] = l->market_keys[1] = GN_NONE;
        l->brands[0] = l->brands[1] = GN_NONE;
        l->seller = seller;
        l->previous_of_seller = st->sellers[seller].last_listing;
        st->sellers[seller].last_listing = *slot;
    }
    /* A listing stays in the chain of the seller that first listed it. */
    return *slot;
}

void gn_seller_note_brand(gn_seller *s, uint32_t brand)
{
    if (brand == GN_NONE || s->brands[0] == brand) return;
    int keep = 3;
    for (int i = 0; i < 3; i++)
        if (s->brands[i] == brand) keep = i;
    for (int i = keep; i > 0; i--)
        s->brands[i] = s->brands[i - 1];
    s->brands[0] = brand;
}

/* A currency's slot in rates, or -1 when it is not three letters A-Z. */
static int currency_slot(const char *c)
{
    if (!c) return -1;
    int slot = 0;
    for (int i = 0; i < 3; i++) {
        if (c[i] < 'A' || c[i] > 'Z') return -1;
        slot = slot * 26 + (c[i] - 'A');
    }
    return c[3] ? -1 : slot;
}

void gn_state_put_rate(gn_state *st, const gn_event *ev)
{
    int slot = currency_slot(gn_event_str(ev, "currency"));
    assert(slot >= 0); /* the event validator lets only three letters A-Z through */
    if (slot >= 0) st->rates[slot] = gn_event_num(ev, "usd", 0);
}

/* Rates are USD values, so the dollar's own is 1 until a platform says
 * otherwise: a marketplace that sends rates for its other currencies only
 * still has every price comparable in USD. */
double gn_state_rate(const gn_state *st, const char *currency)
{
    int slot = currency_slot(currency);
    if (slot < 0) return 0;
    if (st->rates[slot] > 0) return st->rates[slot];
    return strcmp(currency, "USD") == 0 ? 1 : 0;
}

const char *gn_listing_status_name(int status)
{
    static const char *const names[] = {"live", "held", "blocked", "removed", "noticed"};
    return status >= 0 && status <= GN_NOTICED ? names[status] : "unknown";
}

int gn_listing_status_severity(int status)
{
    static const int severity[] = {
        [GN_LIVE] = 0, [GN_NOTICED] = 1, [GN_HELD] = 2, [GN_BLOCKED] = 3, [GN_REMOVED] = 4};
    return severity[status];
}

void gn_state_leave_market(gn_state *st, gn_listing *l)
{
    for (int i = 0; i < 2; i++)
        if (l->market_keys[i] != GN_NONE) {
            gn_prices_add(&st->market, l->market_keys[i], l->market_price, -1);
            l->market_keys[i] = GN_NONE;
        }
}
