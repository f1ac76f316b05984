/* Sellers per word in fixed memory (see words.h): a count-min sketch of two
 * rows, updated conservatively (only the rows at the minimum grow), behind a
 * two-bit Bloom filter of the (word, seller) pairs already counted. */
#include "state/words.h"

#include <stdlib.h>

#include "core/alloc.h"

#define ROW (1u << GN_WORDS_ROW_BITS)

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

void gn_market_words_init(gn_market_words *w)
{
    w->sellers = gn_xcalloc(2 * ROW, sizeof *w->sellers);
    w->pairs = gn_xcalloc((1u << GN_WORDS_PAIR_BITS) / 64, sizeof *w->pairs);
}

void gn_market_words_free(gn_market_words *w)
{
    free(w->sellers);
    free(w->pairs);
    w->sellers = NULL;
    w->pairs = NULL;
}

uint32_t gn_market_word_key(const char *word)
{
    uint64_t h = 0x243f6a8885a308d3ULL;
    for (const unsigned char *p = (const unsigned char *)word; *p; p++) {
        unsigned char c = *p >= 'A' && *p <= 'Z' ? *p + 32 : *p;
        h = (h ^ c) * 0x100000001b3ULL;
    }
    uint32_t key = (uint32_t)mix(h);
    return key ? key : 1;
}

uint32_t gn_market_brand_key(const char *brand_id)
{
    uint64_t h = 0x13198a2e03707344ULL;
    for (const unsigned char *p = (const unsigned char *)brand_id; *p; p++)
        h = (h ^ *p) * 0x100000001b3ULL;
    uint32_t key = (uint32_t)mix(h ^ 0xa4093822299f31d0ULL);
    return key ? key : 2;
}

static void counters(uint32_t word, uint32_t *a, uint32_t *b)
{
    uint64_t h = mix(word);
    *a = (uint32_t)h & (ROW - 1);
    *b = ROW + ((uint32_t)(h >> 32) & (ROW - 1));
}

void gn_market_words_add(gn_market_words *w, uint32_t word, uint32_t seller)
{
    if (!w->sellers) return;
    uint64_t h = mix(((uint64_t)word << 32) | seller);
    uint32_t mask = (1u << GN_WORDS_PAIR_BITS) - 1;
    uint32_t p1 = (uint32_t)h & mask, p2 = (uint32_t)(h >> 32) & mask;
    uint64_t b1 = 1ULL << (p1 % 64), b2 = 1ULL << (p2 % 64);
    if ((w->pairs[p1 / 64] & b1) && (w->pairs[p2 / 64] & b2)) return; /* counted already */
    w->pairs[p1 / 64] |= b1;
    w->pairs[p2 / 64] |= b2;
    uint32_t a, b;
    counters(word, &a, &b);
    uint16_t least = w->sellers[a] < w->sellers[b] ? w->sellers[a] : w->sellers[b];
    if (least == UINT16_MAX) return;
    if (w->sellers[a] == least) w->sellers[a]++;
    if (w->sellers[b] == least) w->sellers[b]++;
}

uint32_t gn_market_words_sellers(const gn_market_words *w, uint32_t word)
{
    if (!w->sellers) return 0;
    uint32_t a, b;
    counters(word, &a, &b);
    return w->sellers[a] < w->sellers[b] ? w->sellers[a] : w->sellers[b];
}
