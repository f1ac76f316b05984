/* Log-bucket price histograms. The median is read off the cumulative counts and
 * interpolated inside its bucket on the log scale. */
#include "state/prices.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOG_MIN (-2.0)
#define PER_DECADE 21.0

static int bucket_of(double price)
{
    if (!(price > 0)) return 0;
    int b = (int)floor((log10(price) - LOG_MIN) * PER_DECADE);
    return b < 0 ? 0 : b >= GN_PRICE_BUCKETS ? GN_PRICE_BUCKETS - 1 : b;
}

static void make_key(char *key, size_t size, const char *brand, const char *category,
                     const char *currency)
{
    snprintf(key, size, "%s\x1f%s\x1f%s", brand, category ? category : "", currency);
}

uint32_t gn_prices_find(const gn_prices *p, const char *brand, const char *category,
                        const char *currency)
{
    char key[1024];
    make_key(key, sizeof key, brand, category, currency);
    uint32_t *v = gn_strmap_find(&p->index, key);
    return v ? *v : GN_PRICES_NONE;
}

uint32_t gn_prices_key(gn_prices *p, const char *brand, const char *category, const char *currency)
{
    char key[1024];
    make_key(key, sizeof key, brand, category, currency);
    int added;
    uint32_t *v = gn_strmap_put(&p->index, key, &added, NULL);
    if (added) {
        if (p->count == p->cap) {
            p->cap = p->cap ? p->cap * 2 : 64;
            p->histograms = realloc(p->histograms, p->cap * sizeof *p->histograms);
            if (!p->histograms) abort();
        }
        memset(&p->histograms[p->count], 0, sizeof *p->histograms);
        *v = p->count++;
    }
    return *v;
}

void gn_prices_add(gn_prices *p, uint32_t key, double price, int delta)
{
    gn_price_histogram *h = &p->histograms[key];
    uint32_t *b = &h->buckets[bucket_of(price)];
    if (delta < 0 && (*b == 0 || h->count == 0)) return;
    *b += (uint32_t)delta;
    h->count += (uint32_t)delta;
}

double gn_prices_median(const gn_prices *p, uint32_t key, uint32_t *count)
{
    const gn_price_histogram *h = &p->histograms[key];
    *count = h->count;
    if (h->count == 0) return 0;
    double half = h->count / 2.0, seen = 0;
    for (int b = 0; b < GN_PRICE_BUCKETS; b++) {
        if (seen + h->buckets[b] >= half && h->buckets[b]) {
            double within = (half - seen) / h->buckets[b];
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
