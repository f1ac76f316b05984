/* The learned model's view of a listing decision: a fixed set of features
 * (every signal's strength, a few raw facts) plus the numbers the platform
 * sends in `signals` (listing.NAME, seller.NAME). The same vector is built
 * for training (from verdicts) and for deciding, so the two always agree. */
#ifndef GN_DECIDE_FEATURES_H
#define GN_DECIDE_FEATURES_H

#include <stddef.h>

#include "detect/signal.h"

/* The fixed features, in column order. */
#define GN_FEATURES_SIGNALS 22
#define GN_FEATURES_FACTS 7
#define GN_FEATURES_BASE (GN_FEATURES_SIGNALS + GN_FEATURES_FACTS)

/* The name of fixed feature i ("PRICE_FAR_BELOW_REFERENCE", "account_age_days", ...). */
const char *gn_feature_name(int i);
/* The fixed feature a signal code fills, or -1 for a code the model does not know. */
int gn_feature_of_signal(const char *code);

/* Raw facts about the decision, NaN where unknown. */
typedef struct gn_feature_facts {
    double branded, price_to_reference, log_price_usd, account_age_days, images, cluster_size;
    double resale; /* 1 used, refurbished or for parts; 0 new; NaN unknown */
} gn_feature_facts;

/* Fills base[GN_FEATURES_BASE] from the signals and facts. */
void gn_features_base(const gn_signals *signals, const gn_feature_facts *facts, float *base);

#endif
