/* The registry of detectors: the one list of their names and signal codes,
 * each with a run function that adapts the detector's own signature to
 * gn_detect_fn; the engine runs them in this order (engine/decide.c). A new
 * detector (and a new code) goes here, in config/genuine.conf (its weight)
 * and in docs/signals.md (its row). */
#include "detect/registry.h"

#include <string.h>

static const char *const price_codes[] = {"PRICE_FAR_BELOW_REFERENCE", "PRICE_FAR_BELOW_MARKET",
                                          NULL};
static const char *const text_codes[] = {"COUNTERFEIT_LINGO", "BRAND_LOOKALIKE", "BRAND_MISSPELT",
                                         "BRAND_MISMATCH", NULL};
static const char *const image_codes[] = {"IMAGE_STOLEN_OFFICIAL", "IMAGE_BRAND_UNNAMED",
                                          "IMAGE_MATCHES_REMOVED", "IMAGE_MATCHES_SHARED_BANK",
                                          NULL};
static const char *const seller_codes[] = {"SELLER_NEW_ACCOUNT", "SELLER_UNVERIFIED",
                                           "SELLER_BASIC_TEMPLATE", "UNAUTHORIZED_SELLER", NULL};
static const char *const link_codes[] = {"SELLER_BANNED", "SELLER_LINKED_TO_BANNED", "SELLER_RING",
                                         NULL};
static const char *const activity_codes[] = {"REVIEW_FROM_LINKED_ACCOUNT",
                                             "REVIEW_WITHOUT_ORDER",
                                             "REVIEW_BURST",
                                             "ORDERS_FROM_LINKED_BUYERS",
                                             "SHIPS_FROM_COUNTERFEIT_ORIGIN",
                                             "SHIPS_FROM_ELSEWHERE",
                                             NULL};
static const char *const code_codes[] = {"CODE_CLONED", "CODE_OTHER_PRODUCT", "CODE_MISSING", NULL};

static void run_price(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_detect_price(c->state, c->params, f, out);
}

static void run_text(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_detect_text(c->state, f, out);
}

static void run_images(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_detect_images(c->state, c->photos, f, out, c->official, c->shared_hits);
}

/* A stranger's listing showing a brand's own photo (the images detector,
 * run before, raised IMAGE_STOLEN_OFFICIAL) is about that brand for the
 * seller signals, even when its text leaves the name out. */
static void run_seller(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    if (!f->shows_brand_photo)
        for (int i = 0; i < out->count; i++)
            if (strcmp(out->items[i].code, "IMAGE_STOLEN_OFFICIAL") == 0) {
                gn_listing_facts shown = *f;
                shown.shows_brand_photo = 1;
                gn_detect_seller(c->state, c->params, &shown, out);
                return;
            }
    gn_detect_seller(c->state, c->params, f, out);
}

/* Through the cache when there is one: a sweep re-decides many listings of
 * the same sellers within one event. */
static void run_links(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_links_cache *cache = c->links_cache;
    if (!cache) {
        gn_detect_links(c->state, c->identity, c->params, f, c->seller, out);
        return;
    }
    uint32_t brand = f->claimed_brand != GN_NONE ? f->claimed_brand : f->named_brand;
    if (cache->generation != c->generation || cache->seller != c->seller || cache->brand != brand ||
        cache->at != f->at) {
        cache->signals.count = 0;
        gn_detect_links(c->state, c->identity, c->params, f, c->seller, &cache->signals);
        cache->generation = c->generation;
        cache->seller = c->seller;
        cache->brand = brand;
        cache->at = f->at;
    }
    for (int i = 0; i < cache->signals.count; i++)
        if (out->count < GN_MAX_SIGNALS) out->items[out->count++] = cache->signals.items[i];
}

static void run_activity(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_detect_activity(c->state, c->params, c->listing, c->seller, out, c->activity_levels);
}

static void run_codes(const gn_detect_ctx *c, const gn_listing_facts *f, gn_signals *out)
{
    gn_detect_codes(c->codes, c->listing, out);
}

static const gn_detector detectors[] = {
    {"price", price_codes, run_price},   {"text", text_codes, run_text},
    {"images", image_codes, run_images}, {"seller", seller_codes, run_seller},
    {"links", link_codes, run_links},    {"activity", activity_codes, run_activity},
    {"codes", code_codes, run_codes},
};

const gn_detector *gn_detectors(size_t *count)
{
    *count = sizeof detectors / sizeof *detectors;
    return detectors;
}

const gn_detector *gn_detector_find(const char *name)
{
    for (size_t i = 0; i < sizeof detectors / sizeof *detectors; i++)
        if (strcmp(detectors[i].name, name) == 0) return &detectors[i];
    return NULL;
}

const gn_detector *gn_detector_of_code(const char *code)
{
    for (size_t i = 0; i < sizeof detectors / sizeof *detectors; i++)
        for (const char *const *c = detectors[i].codes; *c; c++)
            if (strcmp(*c, code) == 0) return &detectors[i];
    return NULL;
}
