/* An exact index of PDQ hashes: "every stored hash within distance d of this
 * one" answered exactly as a full scan would, but touching a few thousand
 * entries of a ten-million bank instead of all of them (multi-index hashing
 * over parts, halves or bytes of the hash, in three layouts by segment
 * size; see docs/images.md). Each hash
 * carries a caller's 32-bit payload, typically a listing or image row id. */
#ifndef GN_DETECT_MIH_H
#define GN_DETECT_MIH_H

#include <stddef.h>
#include <stdint.h>

#include "media/pdq.h"
#include "genuine.h"

typedef struct gn_mih gn_mih;

typedef struct gn_mih_match {
    uint32_t payload;
    int distance;
} gn_mih_match;

/* Query results, appended to; the caller owns items (gn_mih_results_free)
 * and may reuse the struct across queries after setting count to 0. */
typedef struct gn_mih_results {
    gn_mih_match *items;
    size_t count, cap;
} gn_mih_results;

int gn_mih_new(gn_mih **out, gn_error *err);
void gn_mih_free(gn_mih *index);

/* Adds one hash. Recent additions (up to 256) are scanned directly, then
 * sorted into an indexed segment: into the newest in place while it stays
 * in the small layout (a bank of up to 131,072 is one segment, never
 * rebuilt), else into a new one; a segment merges into the one before once
 * it reaches an eighth of its size, so adding n hashes costs O(n log n) in
 * all (each rebuilt ~20 times on the way to a million) and queries see few
 * segments. The add that triggers a big merge takes as long as building
 * that segment (about a second per million hashes). */
int gn_mih_add(gn_mih *index, const gn_pdq_hash *hash, uint32_t payload, gn_error *err);

/* Adds n hashes at once, building their segments directly: the way to load
 * a bank (ten million in a few seconds). On failure some may have been
 * added (gn_mih_count says how many). */
int gn_mih_add_many(gn_mih *index, const gn_pdq_hash *hashes, const uint32_t *payloads, size_t n,
                    gn_error *err);

/* Folds every segment and pending addition into as few segments as possible
 * (one per 16.7 million hashes): the fastest layout for querying, worth
 * calling after loading a bank in bulk. */
int gn_mih_compact(gn_mih *index, gn_error *err);

size_t gn_mih_count(const gn_mih *index);

/* Bytes of memory the index holds. */
size_t gn_mih_memory(const gn_mih *index);

/* Appends every stored hash within max_distance (0..256) of query to res,
 * in order of distance then payload; the query itself is not modified, so
 * concurrent queries on an index nobody is adding to are safe. */
int gn_mih_query(const gn_mih *index, const gn_pdq_hash *query, int max_distance,
                 gn_mih_results *res, gn_error *err);

void gn_mih_results_free(gn_mih_results *res);
/* Every entry (gn_mih_count of them), in no particular order: what a
 * snapshot keeps of the index (engine/snapshot.c), which gn_mih_add_many
 * makes back into one answering every query the same. */
void gn_mih_entries(const gn_mih *index, gn_pdq_hash *hashes, uint32_t *payloads);

/* Segments of up to this many hashes take the fast layout: sixteen tables
 * over the 16-bit halves of the words, about 120 bytes per hash and a few
 * microseconds per distance-31 query up to millions of hashes. Bigger ones
 * take the compact layout: ten tables (two words, eight 24-bit parts), at
 * most 64 bytes per hash (from 300,000 hashes up; more below, where its
 * word tables' 2^16 buckets weigh), about 0.25 ms per query at ten
 * million. */
#define GN_MIH_FAST_LIMIT ((size_t)1 << 22)

/* Changes that limit for segments built from now on (0: compact only), for
 * a bank that must stay small, or for tests of either layout. */
void gn_mih_set_fast_limit(gn_mih *index, size_t n);

/* Segments of up to this many hashes (and the fast limit) take the small
 * layout: 32 tables over the bytes, about 230 bytes per hash (250-290 in
 * one grown by adds, whose buckets keep room to grow), a few times
 * faster than the fast layout at these sizes (a distance-31 query reads n/8
 * two-byte entries in order instead of probing 272 buckets at random). */
#define GN_MIH_SMALL_LIMIT ((size_t)1 << 17)

/* Changes that limit for segments built from now on (0: none small; at
 * most GN_MIH_SMALL_LIMIT, whose positions fit the layout's 17 bits). */
void gn_mih_set_small_limit(gn_mih *index, size_t n);

/* Segments whose probes would cost more than reading them whole are read
 * whole (small segments, large distances). Tests turn that off to exercise
 * the probes everywhere; answers are the same either way. */
void gn_mih_always_probe(gn_mih *index, int on);

/* The widest instructions a small segment's queries use, where the CPU has
 * them (checked at run time): AVX-512BW by default, else AVX2, else
 * portable code. Tests lower it to check each path against the others. */
enum { GN_MIH_ISA_PORTABLE, GN_MIH_ISA_AVX2, GN_MIH_ISA_AVX512 };
void gn_mih_set_isa(gn_mih *index, int isa);

#endif
