/* Image signals: a brand's own product photo used by a seller the brand has
 * not authorised (IMAGE_STOLEN_OFFICIAL), and a photo of a listing already
 * blocked or removed as counterfeit coming back (IMAGE_MATCHES_REMOVED).
 * Either may be rotated or flipped: every form of the listing's photo that
 * genuine has is looked up, within PDQ's match distance. */
#include "detect/detect.h"

#include <string.h>

static const char *form_words(int form)
{
    return form == GN_PDQ_ORIGINAL ? "" : ", rotated or flipped";
}

/* The closest match of any form of the photo in the bank, skipping one owner
 * (a listing is not evidence against itself). Returns the distance or -1. */
static int closest(const gn_image_bank *bank, const gn_listing_image *img, uint32_t skip_owner,
                   const gn_state *st, const char *seller, int official, gn_banked_image *found,
                   int *found_form)
{
    int best = -1;
    gn_mih_results res = {0};
    for (int k = 0; k < img->n_forms; k++) {
        res.count = 0;
        if (gn_mih_query(bank->index, &img->forms[k], GN_PDQ_MATCH_DISTANCE, &res, NULL))
            break;
        for (size_t i = 0; i < res.count; i++) {
            const gn_banked_image *b = &bank->items[res.items[i].payload];
            if (b->owner == skip_owner)
                continue;
            if (official && gn_brand_is_authorized(&st->brands[b->owner], seller))
                continue;
            if (best < 0 || res.items[i].distance < best) {
                best = res.items[i].distance;
                *found = *b;
                *found_form = k != GN_PDQ_ORIGINAL ? k : b->form;
            }
        }
    }
    gn_mih_results_free(&res);
    return best;
}

/* Strength: an identical photo is certain; one at the edge of the match
 * distance still counts three quarters. */
static double strength(int distance)
{
    return 1.0 - 0.25 * distance / GN_PDQ_MATCH_DISTANCE;
}

void gn_detect_images(const gn_state *st, const gn_image_bank *official,
                      const gn_image_bank *removed, const gn_listing_facts *f, gn_signals *out)
{
    int stolen = -1, relisted = -1;
    gn_banked_image stolen_from = {0}, relisted_from = {0};
    int stolen_form = 0, relisted_form = 0, stolen_photo = 0, relisted_photo = 0;
    for (int i = 0; i < f->n_images; i++) {
        gn_banked_image b;
        int form;
        int d = closest(official, &f->images[i], UINT32_MAX, st, f->seller_id, 1, &b, &form);
        if (d >= 0 && (stolen < 0 || d < stolen)) {
            stolen = d, stolen_from = b, stolen_form = form, stolen_photo = i + 1;
        }
        d = closest(removed, &f->images[i], f->listing_index, st, f->seller_id, 0, &b, &form);
        if (d >= 0 && (relisted < 0 || d < relisted)) {
            relisted = d, relisted_from = b, relisted_form = form, relisted_photo = i + 1;
        }
    }
    if (stolen >= 0)
        gn_signals_add(out, "IMAGE_STOLEN_OFFICIAL", strength(stolen),
                       "photo %d is %s's own product photo (%.64s) at distance %d%s, and the "
                       "seller is not authorised by %s",
                       stolen_photo, st->brands[stolen_from.owner].name, stolen_from.label, stolen,
                       form_words(stolen_form), st->brands[stolen_from.owner].name);
    if (relisted >= 0) {
        const gn_listing *l = &st->listings[relisted_from.owner];
        gn_signals_add(out, "IMAGE_MATCHES_REMOVED", strength(relisted),
                       "photo %d matches a photo (%.64s) of listing %s, %s as counterfeit, at "
                       "distance %d%s",
                       relisted_photo, relisted_from.label, l->id,
                       l->status == GN_REMOVED ? "removed" : "blocked", relisted, form_words(relisted_form));
    }
}

int gn_image_is_official(const gn_image_bank *official, const gn_listing_image *img)
{
    gn_mih_results res = {0};
    int found = 0;
    for (int k = 0; k < img->n_forms && !found; k++)
        found = gn_mih_query(official->index, &img->forms[k], GN_PDQ_MATCH_DISTANCE, &res, NULL) ==
                    0 &&
                res.count > 0;
    gn_mih_results_free(&res);
    return found;
}
