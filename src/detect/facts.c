/* The facts detectors share: which brand a listing is about, and the
 * detectors' thresholds from the configuration. */
#include "detect/detect.h"

void gn_detect_params_load(gn_detect_params *p, const gn_config *cfg)
{
    p->reference_ratio_none = gn_config_get(cfg, "price.reference_ratio_none");
    p->reference_ratio_full = gn_config_get(cfg, "price.reference_ratio_full");
    p->market_ratio_none = gn_config_get(cfg, "price.market_ratio_none");
    p->market_ratio_full = gn_config_get(cfg, "price.market_ratio_full");
    p->market_min_listings = gn_config_get(cfg, "price.market_min_listings");
    p->new_account_days = gn_config_get(cfg, "seller.new_account_days");
    p->ring_min_accounts = gn_config_get(cfg, "ring.min_accounts");
    p->ring_new_days = gn_config_get(cfg, "ring.new_account_days");
    p->unverified_min_reviews = gn_config_get(cfg, "activity.unverified_min_reviews");
    p->origin_min_counterfeits = gn_config_get(cfg, "activity.origin_min_counterfeits");
    p->origin_min_share = gn_config_get(cfg, "activity.origin_min_share");
    p->burst_hours = gn_config_get(cfg, "activity.burst_hours");
    p->common_word_sellers = gn_config_get(cfg, "text.common_word_sellers");
    p->word_brand_sellers = gn_config_get(cfg, "text.word_brand_sellers");
    p->condition_factor[GN_CONDITION_UNKNOWN] = p->condition_factor[GN_CONDITION_NEW] = 1;
    p->condition_factor[GN_CONDITION_USED] = gn_config_get(cfg, "price.condition_used");
    p->condition_factor[GN_CONDITION_REFURBISHED] =
        gn_config_get(cfg, "price.condition_refurbished");
    p->condition_factor[GN_CONDITION_FOR_PARTS] = gn_config_get(cfg, "price.condition_for_parts");
    p->linked_full_share = gn_config_get(cfg, "activity.linked_full_share");
}

void gn_facts_resolve_brands(gn_listing_facts *f, const gn_state *st)
{
    f->claimed_brand = f->claimed ? gn_state_find_brand(st, f->claimed) : GN_NONE;
    f->named_brand = GN_NONE;
    /* Mentions come title first, so the first one is the title's when it has one. */
    if (f->text && f->text->n_mentions > 0) f->named_brand = f->text->mentions[0].brand;
}
