/* Text fingerprints for near-identical listings: a MinHash of a listing's word
 * 3-shingles, and an index (locality-sensitive bands) that finds the listings
 * whose texts overlap most with a new one. Sellers of one ring paste the same
 * description with small edits; a few changed words keep most shingles. */
#ifndef GN_DETECT_MINHASH_H
#define GN_DETECT_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#include "genuine.h"

#define GN_MINHASH_K 8    /* minimums per fingerprint */
#define GN_MINHASH_SAME 6 /* agreeing minimums for "near-identical" (Jaccard about 0.75) */

typedef struct gn_minhash {
    uint32_t min[GN_MINHASH_K];
} gn_minhash;

/* The fingerprint of title and description (letters and digits lower-cased;
 * each CJK character a word). Returns 0, or -1 when the text has fewer than 8
 * words: too short to say two listings share it. */
int gn_minhash_text(const char *title, const char *description, gn_minhash *out);

/* Agreeing minimums of two fingerprints (0..GN_MINHASH_K). */
int gn_minhash_agree(const gn_minhash *a, const gn_minhash *b);

typedef struct gn_minhash_index gn_minhash_index;

gn_minhash_index *gn_minhash_index_new(void);
void gn_minhash_index_free(gn_minhash_index *ix);
int gn_minhash_index_add(gn_minhash_index *ix, const gn_minhash *fp, uint32_t owner, gn_error *err);

/* Calls found(ctx, owner, agree) for stored fingerprints agreeing on at least
 * GN_MINHASH_SAME minimums, at most max_results times; returns how many calls
 * it made. Texts shared by more than 20 listings (boilerplate) find nothing. */
size_t gn_minhash_index_near(const gn_minhash_index *ix, const gn_minhash *fp, size_t max_results,
                             void (*found)(void *ctx, uint32_t owner, int agree), void *ctx);

#endif
