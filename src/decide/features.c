/* The fixed feature columns: one per signal code genuine raises, then raw
 * facts. A new signal gets a new column at the end of its group; a model
 * trained before it simply does not use it (columns are matched by name). */
#include "decide/features.h"

#include <math.h>
#include <string.h>

static const char *const names[GN_FEATURES_BASE] = {
    "PRICE_FAR_BELOW_REFERENCE",
    "PRICE_FAR_BELOW_MARKET",
    "COUNTERFEIT_LINGO",
    "BRAND_LOOKALIKE",
    "BRAND_MISSPELT",
    "BRAND_MISMATCH",
    "UNAUTHORIZED_SELLER",
    "SELLER_NEW_ACCOUNT",
    "SELLER_UNVERIFIED",
    "SELLER_BASIC_TEMPLATE",
    "IMAGE_STOLEN_OFFICIAL",
    "IMAGE_MATCHES_REMOVED",
    "SELLER_BANNED",
    "SELLER_LINKED_TO_BANNED",
    "SELLER_RING",
    "REVIEW_FROM_LINKED_ACCOUNT",
    "REVIEW_WITHOUT_ORDER",
    "REVIEW_BURST",
    "ORDERS_FROM_LINKED_BUYERS",
    "SHIPS_FROM_ELSEWHERE",
    "SHIPS_FROM_COUNTERFEIT_ORIGIN",
    "IMAGE_BRAND_UNNAMED",
    "branded",
    "price_to_reference",
    "log_price_usd",
    "account_age_days",
    "images",
    "cluster_size",
    "resale",
};

const char *gn_feature_name(int i)
{
    return i >= 0 && i < GN_FEATURES_BASE ? names[i] : "";
}

/* Detectors name their signals with string literals, which the linker
 * merges with these: the pointers are compared first, the text only when
 * none is the same. */
int gn_feature_of_signal(const char *code)
{
    for (int i = 0; i < GN_FEATURES_SIGNALS; i++)
        if (names[i] == code) return i;
    for (int i = 0; i < GN_FEATURES_SIGNALS; i++)
        if (strcmp(names[i], code) == 0) return i;
    return -1;
}

void gn_features_base(const gn_signals *signals, const gn_feature_facts *facts, float *base)
{
    for (int i = 0; i < GN_FEATURES_SIGNALS; i++)
        base[i] = 0;
    for (int i = 0; i < signals->count; i++) {
        int f = gn_feature_of_signal(signals->items[i].code);
        if (f >= 0 && signals->items[i].value > base[f]) base[f] = (float)signals->items[i].value;
    }
    const double facts_in_order[GN_FEATURES_FACTS] = {
        facts->branded, facts->price_to_reference, facts->log_price_usd, facts->account_age_days,
        facts->images,  facts->cluster_size,       facts->resale};
    for (int i = 0; i < GN_FEATURES_FACTS; i++)
        base[GN_FEATURES_SIGNALS + i] = (float)facts_in_order[i];
}
