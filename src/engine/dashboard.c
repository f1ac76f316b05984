/* The engine's side of the dashboard's figures (figures.c): what a listing is
 * about (its brand and category), what it is worth (its brand's reference
 * price, in USD), whether it sold, and where it shipped from, looked up in
 * the engine's state at the moment it is decided, taken down or put back, a
 * notice on it ends, and handed to the figures. */
#include "engine/dashboard.h"

#include <string.h>

#include "detect/detect.h"

/* The brand's reference price for the category in USD (the brand's lowest
 * when the listing gives no category, as the price signal reads it); -1
 * when it has none or no rate converts it. */
static double reference_usd(const gn_state *st, uint32_t brand, const char *category)
{
    if (brand == GN_NONE || brand >= st->n_brands) return -1;
    const gn_brand *b = &st->brands[brand];
    const gn_reference_price *best = NULL;
    for (int i = 0; i < b->n_prices; i++) {
        const gn_reference_price *r = &b->prices[i];
        if (category ? strcmp(r->category, category) == 0
                     : !best || gn_price_in(st, r->price, r->currency, "USD") <
                                    gn_price_in(st, best->price, best->currency, "USD"))
            best = r;
    }
    return best ? gn_price_in(st, best->price, best->currency, "USD") : -1;
}

static uint32_t brand_of(const gn_listing *l)
{
    return l->brands[0] != GN_NONE ? l->brands[0] : l->brands[1];
}

static int ordered(const gn_state *st, uint32_t listing)
{
    const gn_listing_activity *a = gn_activity_of_listing(&st->activity, listing);
    return a && a->orders > 0;
}

static int down(const gn_listing *l)
{
    return l->status == GN_BLOCKED || l->status == GN_REMOVED;
}

void gn_engine_figures_decision(gn_figures *f, const gn_state *st, uint32_t listing,
                                const char *category, int64_t at, int first, int action)
{
    const gn_listing *l = &st->listings[listing];
    uint32_t brand = brand_of(l);
    const gn_brand *b = brand != GN_NONE && brand < st->n_brands ? &st->brands[brand] : NULL;
    gn_figures_decision(f, at, listing, first, action, down(l), b ? b->id : NULL,
                        b ? b->name : NULL, category, reference_usd(st, brand, category),
                        ordered(st, listing));
}

/* A listing's status set by a workflow (a verdict, a notice's deadline, an
 * appeal): down or back up, and when taken down, where it shipped from. */
void gn_engine_figures_status(gn_figures *f, const gn_state *st, uint32_t listing, int64_t at)
{
    const gn_listing *l = &st->listings[listing];
    const char *category = NULL;
    if (listing < f->n_listings && f->listings[listing].category)
        category = f->filter_names[f->listings[listing].category - 1];
    uint16_t countries[4];
    int n = 0;
    const gn_activity *a = &st->activity;
    const gn_listing_activity *r = gn_activity_of_listing(a, listing);
    for (uint8_t i = 0; r && i < r->n_places && n < 4; i++) {
        const char *place = a->places[r->places[i]].name;
        uint16_t code = place ? gn_country_code(place) : 0;
        int seen = 0;
        for (int k = 0; k < n; k++)
            seen |= countries[k] == code;
        if (code && !seen) countries[n++] = code;
    }
    uint16_t declared = gn_activity_ship_from(a, listing);
    if (!n && declared) countries[n++] = declared;
    gn_figures_status(f, at, listing, down(l), l->status == GN_REMOVED,
                      reference_usd(st, brand_of(l), category), ordered(st, listing), countries, n);
}

/* A notice's audit row (record "notice", id "COMPLAINT/LISTING"): its
 * outcome, on its listing, for the complaint's filer. */
void gn_engine_figures_audit(gn_figures *f, const gn_state *st, const gn_workflow *w,
                             const char *record, const char *record_id, const char *change,
                             int64_t at)
{
    if (strcmp(record, "notice") != 0) return;
    const char *slash = strchr(record_id, '/');
    if (!slash) return;
    char complaint[256];
    size_t len = (size_t)(slash - record_id);
    if (len >= sizeof complaint) return;
    memcpy(complaint, record_id, len);
    complaint[len] = 0;
    const uint32_t *c = gn_strmap_find(&w->complaint_by_id, complaint);
    const uint32_t *l = gn_strmap_find(&st->listing_by_id, slash + 1);
    gn_figures_notice(f, at, l ? *l : GN_NONE, change, c ? w->complaints[*c].rights_holder : NULL);
}
