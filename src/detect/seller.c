/* Seller signals: who is selling a branded listing (one that claims or
 * names a brand, or shows a brand's own photo without its leave). A brand that sells new
 * goods only through authorised sellers (UNAUTHORIZED_SELLER: resale of used,
 * refurbished or broken goods is not bound by it), and, for branded listings
 * only, a new account, an unverified seller, the basic store template — weak
 * alone, telling beside the price and text signals. */
#include <stdint.h>

#include "core/clock.h"
#include "detect/detect.h"

static void authorization(const gn_state *st, const gn_listing_facts *f, gn_signals *out,
                          int *authorized)
{
    uint32_t brands[2] = {f->claimed_brand, f->named_brand};
    for (int i = 0; i < 2; i++) {
        if (brands[i] == GN_NONE || (i == 1 && brands[1] == brands[0])) continue;
        const gn_brand *b = &st->brands[brands[i]];
        if (gn_brand_is_authorized(b, f->seller_id))
            *authorized = 1;
        else if (b->authorized_only && !gn_condition_resale(f->condition))
            gn_signals_add(out, "UNAUTHORIZED_SELLER", 1,
                           "%s sells only through authorised sellers and this seller is not one",
                           b->name);
    }
}

void gn_detect_seller(const gn_state *st, const gn_detect_params *p, const gn_listing_facts *f,
                      gn_signals *out)
{
    if (!gn_facts_branded(f) && !f->shows_brand_photo) return;
    int authorized = 0;
    authorization(st, f, out, &authorized);
    if (authorized) return;
    const gn_seller *s = f->seller;
    if (s->created_at == INT64_MIN || s->created_at >= f->at) {
        gn_signals_add(out, "SELLER_NEW_ACCOUNT", 1,
                       "the seller's account has no history before this listing");
    } else {
        double days = (double)(f->at - s->created_at) / GN_MS_PER_DAY;
        if (days < p->new_account_days)
            gn_signals_add(out, "SELLER_NEW_ACCOUNT", 1 - days / p->new_account_days,
                           "the seller's account is %.0f day%s old", days,
                           days >= 0.5 && days < 1.5 ? "" : "s");
    }
    if (s->verification == GN_VERIFY_REJECTED)
        gn_signals_add(out, "SELLER_UNVERIFIED", 1, "the seller's verification was rejected");
    else if (s->verification != GN_VERIFY_VERIFIED)
        gn_signals_add(out, "SELLER_UNVERIFIED", 0.6, "the seller is not verified");
    if (s->basic_template)
        gn_signals_add(out, "SELLER_BASIC_TEMPLATE", 1, "the shop uses the basic store template");
}
