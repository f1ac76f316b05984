/* Log-bucket price histograms. The median is read off the cumulative counts and
 * interpolated inside its bucket on the log scale. */
#include "state/prices.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

#define LOG_MIN (-2.0)
#define PER_DECADE 21.0

static int bucket_of(double price)
{
    if (!(price > 0)) return 0;
    int b = (int)floor((log10(price) - LOG_MIN) * PER_DECADE);
    return b < 0 ? 0 : b >= GN_PRICE_BUCKETS ? GN_PRICE_BUCKETS - 1 : b;
}

/* "brand\x1f" "category\x1f" "currency" (and "\x1f" "condition" for goods
 * that are not new), cut at size - 1 bytes as snprintf would cut it; built by
 * hand since it is built for every listing. */
static void make_key(char *key, size_t size, const char *brand, const char *category,
                     const char *currency, const char *condition)
{
    int resale = condition && *condition;
    const char *parts[7] = {brand,  "\x1f",   category ? category : "", "\x1f", currency,
                            "\x1f", condition};
    size_t o = 0;
    for (int i = 0; i < (resale ? 7 : 5); i++) {
        size_t n = strnlen(parts[i], size - 1 - o);
        memcpy(key + o, parts[i], n);
        o += n;
    }
    key[o] = 0;
}

uint32_t gn_prices_find_for(const gn_prices *p, const char *brand, const char *category,
                            const char *currency, const char *condition)
{
    char key[1024];
    make_key(key, sizeof key, brand, category, currency, condition);
    uint32_t *v = gn_strmap_find(&p->index, key);
    return v ? *v : GN_PRICES_NONE;
}

uint32_t gn_prices_find(const gn_prices *p, const char *brand, const char *category,
                        const char *currency)
{
    return gn_prices_find_for(p, brand, category, currency, NULL);
}

uint32_t gn_prices_key_for(gn_prices *p, const char *brand, const char *category,
                           const char *currency, const char *condition)
{
    char key[1024];
    make_key(key, sizeof key, brand, category, currency, condition);
    int added;
    uint32_t *v = gn_strmap_put(&p->index, key, &added, NULL);
    if (added) {
        if (p->count == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 64;
            p->histograms = gn_xrealloc(p->histograms, p->cap * sizeof *p->histograms);
        }
        memset(&p->histograms[p->count], 0, sizeof *p->histograms);
        *v = p->count++;
    }
    return *v;
}

uint32_t gn_prices_key(gn_prices *p, const char *brand, const char *category, const char *currency)
{
    return gn_prices_key_for(p, brand, category, currency, NULL);
}

void gn_prices_add(gn_prices *p, uint32_t key, double price, int delta)
{
    gn_price_histogram *h = &p->histograms[key];
    int bucket = bucket_of(price);
    uint32_t *b = &h->buckets[bucket];
    if (delta < 0 && (*b == 0 || h->count == 0)) return;
    *b += (uint32_t)delta;
    h->groups[bucket / GN_PRICE_GROUP] += (uint32_t)delta;
    h->count += (uint32_t)delta;
}

/* The bucket where the cumulative count first reaches half the count (it
 * holds prices: one without would have been reached before), found through
 * the groups' counts, then interpolated inside it. */
double gn_prices_median(const gn_prices *p, uint32_t key, uint32_t *count)
{
    const gn_price_histogram *h = &p->histograms[key];
    *count = h->count;
    if (h->count == 0) return 0;
    uint64_t seen = 0, twice_half = h->count; /* seen >= half as 2 * seen >= count */
    int g = 0;
    while (g < GN_PRICE_BUCKETS / GN_PRICE_GROUP - 1 && 2 * (seen + h->groups[g]) < twice_half)
        seen += h->groups[g++];
    for (int b = g * GN_PRICE_GROUP; b < GN_PRICE_BUCKETS; b++) {
        if (2 * (seen + h->buckets[b]) >= twice_half && h->buckets[b]) {
            double within = (h->count / 2.0 - (double)seen) / h->buckets[b];
            return pow(10, LOG_MIN + (b + within) / PER_DECADE);
        }
        seen += h->buckets[b];
    }
    return 0;
}

void gn_prices_free(gn_prices *p)
{
    gn_strmap_free(&p->index);
    free(p->histograms);
    memset(p, 0, sizeof *p);
}
