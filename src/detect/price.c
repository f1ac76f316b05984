/* Price signals: a listing that names a brand and asks far less than the
 * brand's reference price for the category (PRICE_FAR_BELOW_REFERENCE), or far
 * less than the median of the brand's allowed listings (PRICE_FAR_BELOW_MARKET).
 * References are new goods' prices: used, refurbished and broken goods are
 * held to what goods in their condition sell for (price.condition_*), and to
 * the median of allowed listings in the same condition once there are enough.
 * Prices in different currencies meet in USD through the latest rates; without
 * a rate only the same currency is compared, and the reason says so. */
#include <math.h>
#include <string.h>
#include <strings.h>

#include "detect/detect.h"

double gn_price_in(const gn_state *st, double price, const char *from, const char *to)
{
    if (strcmp(from, to) == 0) return price;
    double r_from = gn_state_rate(st, from), r_to = gn_state_rate(st, to);
    if (r_from > 0 && r_to > 0) return price * r_from / r_to;
    return -1;
}

/* 0 at or above `none`, 1 at or below `full`, linear between. */
static double strength(double ratio, double none, double full)
{
    if (ratio >= none) return 0;
    if (ratio <= full) return 1;
    return (none - ratio) / (none - full);
}

/* The reference to compare with: the one for the listing's category; for a
 * listing without a category, the brand's lowest (the most forgiving). A
 * category the brand has no reference for (a phone case "for Apple") is not
 * compared: a bag's price says nothing about an accessory's. */
static const gn_reference_price *reference_for(const gn_brand *b, const char *category)
{
    const gn_reference_price *best = NULL;
    for (int i = 0; i < b->n_prices; i++) {
        const gn_reference_price *r = &b->prices[i];
        if (category && strcasecmp(r->category, category) == 0) return r;
        if (!category && (!best || r->price < best->price)) best = r;
    }
    return best;
}

/* "used goods sell from about 25%": the ratio to new goods' price from
 * which a listing in this condition raises nothing. */
static const char *resale_goods(gn_condition c)
{
    return c == GN_CONDITION_USED          ? "used goods sell"
           : c == GN_CONDITION_REFURBISHED ? "refurbished goods sell"
                                           : "goods sold for parts go";
}

static void against_reference(const gn_state *st, const gn_detect_params *p,
                              const gn_listing_facts *f, const gn_brand *b, gn_signals *out)
{
    const gn_reference_price *ref = reference_for(b, f->category);
    if (!ref || !(ref->price > 0)) return;
    double reference = gn_price_in(st, ref->price, ref->currency, f->currency);
    if (reference < 0) {
        /* No rate to compare across currencies: say nothing rather than guess. */
        return;
    }
    double ratio = f->price / reference;
    double factor = p->condition_factor[f->condition];
    double s = strength(ratio, p->reference_ratio_none * factor, p->reference_ratio_full * factor);
    if (!(s > 0)) return;
    const char *scope = f->category ? "" : " lowest";
    if (!gn_condition_resale(f->condition))
        gn_signals_add(out, "PRICE_FAR_BELOW_REFERENCE", s,
                       "price %.2f %s is %.0f%% of %s's%s reference price %.2f %s for %s", f->price,
                       f->currency, ratio * 100, b->name, scope, reference, f->currency,
                       ref->category);
    else
        gn_signals_add(out, "PRICE_FAR_BELOW_REFERENCE", s,
                       "price %.2f %s is %.0f%% of %s's%s reference price %.2f %s for new %s; %s "
                       "from about %.0f%%",
                       f->price, f->currency, ratio * 100, b->name, scope, reference, f->currency,
                       ref->category, resale_goods(f->condition),
                       p->reference_ratio_none * factor * 100);
}

static void against_market(const gn_state *st, const gn_detect_params *p, const gn_listing_facts *f,
                           const gn_brand *b, gn_signals *out)
{
    int rated = gn_state_rate(st, f->currency) > 0;
    const char *unit = rated ? "USD" : f->currency;
    double price = rated ? gn_price_in(st, f->price, f->currency, "USD") : f->price;
    /* Within the listing's category only; the brand as a whole for a listing without one. */
    const char *scope = f->category ? f->category : "";
    const char *no_rate = rated ? "" : " (no exchange rate: same currency only)";
    uint32_t count;
    if (gn_condition_resale(f->condition)) {
        /* Goods in the same condition, once enough of them are known. */
        const char *condition = gn_condition_name(f->condition);
        uint32_t key = gn_prices_find_for(&st->market, b->id, scope, unit, condition);
        double median = key == GN_PRICES_NONE ? 0 : gn_prices_median(&st->market, key, &count);
        if (key != GN_PRICES_NONE && count >= p->market_min_listings && median > 0) {
            double ratio = price / median;
            gn_signals_add(out, "PRICE_FAR_BELOW_MARKET",
                           strength(ratio, p->market_ratio_none, p->market_ratio_full),
                           "price %.2f %s is %.0f%% of the typical %.2f %s asked by %u allowed %s "
                           "%s listings%s%s%s",
                           price, unit, ratio * 100, median, unit, count, condition, b->name,
                           *scope ? " in " : "", scope, no_rate);
            return;
        }
    }
    uint32_t key = gn_prices_find(&st->market, b->id, scope, unit);
    if (key == GN_PRICES_NONE) return;
    double median = gn_prices_median(&st->market, key, &count);
    if (count < p->market_min_listings || !(median > 0)) return;
    double ratio = price / median;
    double factor = p->condition_factor[f->condition];
    double s = strength(ratio, p->market_ratio_none * factor, p->market_ratio_full * factor);
    if (!(s > 0)) return;
    if (!gn_condition_resale(f->condition))
        gn_signals_add(out, "PRICE_FAR_BELOW_MARKET", s,
                       "price %.2f %s is %.0f%% of the typical %.2f %s asked by %u allowed %s "
                       "listings%s%s%s",
                       price, unit, ratio * 100, median, unit, count, b->name, *scope ? " in " : "",
                       scope, no_rate);
    else
        gn_signals_add(out, "PRICE_FAR_BELOW_MARKET", s,
                       "price %.2f %s is %.0f%% of the typical %.2f %s asked by %u allowed new %s "
                       "listings%s%s; %s from about %.0f%%%s",
                       price, unit, ratio * 100, median, unit, count, b->name, *scope ? " in " : "",
                       scope, resale_goods(f->condition), p->market_ratio_none * factor * 100,
                       no_rate);
}

void gn_detect_price(const gn_state *st, const gn_detect_params *p, const gn_listing_facts *f,
                     gn_signals *out)
{
    uint32_t brands[2] = {f->claimed_brand, f->named_brand};
    for (int i = 0; i < 2; i++) {
        if (brands[i] == GN_NONE || (i == 1 && brands[1] == brands[0])) continue;
        const gn_brand *b = &st->brands[brands[i]];
        against_reference(st, p, f, b, out);
        against_market(st, p, f, b, out);
    }
}

double gn_price_reference_ratio(const gn_state *st, const gn_listing_facts *f)
{
    double best = NAN;
    uint32_t brands[2] = {f->claimed_brand, f->named_brand};
    for (int i = 0; i < 2; i++) {
        if (brands[i] == GN_NONE) continue;
        const gn_reference_price *ref = reference_for(&st->brands[brands[i]], f->category);
        if (!ref || !(ref->price > 0)) continue;
        double reference = gn_price_in(st, ref->price, ref->currency, f->currency);
        if (reference > 0 && !(f->price / reference >= best)) best = f->price / reference;
    }
    return best;
}
