/* Typical prices: for each (brand, category, currency, condition) a histogram of the
 * prices of allowed listings over logarithmic buckets. Fixed memory per key,
 * O(1) updates, removals as cheap as additions, and a median that a minority
 * of fakes cannot drag down. */
#ifndef GN_STATE_PRICES_H
#define GN_STATE_PRICES_H

#include <stdint.h>

#include "core/strmap.h"

#define GN_PRICE_BUCKETS 192 /* 0.01 to 10^7, 1/21 of a decade (11.6%) each */

#define GN_PRICE_GROUP 16 /* buckets counted together, so a median skips most */

typedef struct gn_price_histogram {
    uint32_t count;
    uint32_t buckets[GN_PRICE_BUCKETS];
    uint32_t groups[GN_PRICE_BUCKETS / GN_PRICE_GROUP];
} gn_price_histogram;

typedef struct gn_prices {
    gn_strmap index; /* "brand\x1f" "category\x1f" "currency" ["\x1f" condition] -> histogram */
    gn_price_histogram *histograms;
    uint32_t count, cap;
} gn_prices;

/* The key of a (brand, category, currency) triple; category may be "" for
 * the brand as a whole. Creates it on first use. */
uint32_t gn_prices_key(gn_prices *p, const char *brand, const char *category, const char *currency);
/* As gn_prices_key but never creates: GN_PRICES_NONE when unknown. */
uint32_t gn_prices_find(const gn_prices *p, const char *brand, const char *category,
                        const char *currency);
#define GN_PRICES_NONE UINT32_MAX
/* The same for goods in a condition other than new ("used", ...): resale
 * prices are kept apart from new goods'. condition NULL or "" is new. */
uint32_t gn_prices_key_for(gn_prices *p, const char *brand, const char *category,
                           const char *currency, const char *condition);
uint32_t gn_prices_find_for(const gn_prices *p, const char *brand, const char *category,
                            const char *currency, const char *condition);

void gn_prices_add(gn_prices *p, uint32_t key, double price, int delta);
/* The median and the count of the histogram at key. */
double gn_prices_median(const gn_prices *p, uint32_t key, uint32_t *count);
void gn_prices_free(gn_prices *p);

#endif
