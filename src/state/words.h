/* The marketplace's own words: how many sellers use a word in listings that
 * went live (or that a reviewer found genuine), so that an everyday word of
 * this marketplace ("tones", "prime") is not taken for a misspelt brand
 * ("Rones", "Pryme"). Fixed memory whatever the vocabulary: a count-min sketch
 * of sellers per word, and a Bloom filter of (word, seller) pairs so that a
 * seller counts once per word however many listings it posts. Only the words
 * the lexicon reads as misspellings are counted. Same events, same counts: no
 * randomness, so a replay decides the same. */
#ifndef GN_STATE_WORDS_H
#define GN_STATE_WORDS_H

#include <stddef.h>
#include <stdint.h>

#define GN_WORDS_ROW_BITS 15  /* two rows of 32,768 counters: 128 KB */
#define GN_WORDS_PAIR_BITS 20 /* (word, seller) pairs seen: 128 KB */

typedef struct gn_market_words {
    uint16_t *sellers; /* [2][1 << GN_WORDS_ROW_BITS], saturating */
    uint64_t *pairs;   /* [1 << GN_WORDS_PAIR_BITS bits] */
} gn_market_words;

void gn_market_words_init(gn_market_words *w);
void gn_market_words_free(gn_market_words *w);

/* A word's key: ASCII letters lower-cased (the lexicon's misspellings are
 * ASCII words), other bytes as they are. Never 0. */
uint32_t gn_market_word_key(const char *word);

/* The key under which sellers who use a brand's name as a word are counted
 * (never the key of a word: brand ids are hashed apart). */
uint32_t gn_market_brand_key(const char *brand_id);

/* Notes that the seller used the word in a listing that went live. */
void gn_market_words_add(gn_market_words *w, uint32_t word, uint32_t seller);
/* How many sellers used the word (an upper bound: sketches only overcount,
 * and the pairs' filter only undercounts, by little). */
uint32_t gn_market_words_sellers(const gn_market_words *w, uint32_t word);

#endif
