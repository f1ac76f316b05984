/* Multi-index hashing for 256-bit PDQ hashes, exact and compact.
 *
 * Cut the hash into parts. If two hashes are within distance d, their
 * parts' distances add up to at most d, so for radii r_t with
 * sum(r_t + 1) >= d + 1 at least one part t differs in at most r_t bits
 * (the generalised pigeonhole principle): probing every table's buckets
 * within r_t of the query's part finds every match, and checking each
 * candidate's full distance drops the rest.
 *
 * The big banks' layout ("compact", at most 64 bytes per hash) has ten
 * tables: word 0 (T0), word 1 (T1) and eight 24-bit parts of words 2-7.
 * For d = 31 that is radius 3 in T0 and T1 and 2 in the parts (4 + 4 +
 * 8 * 3 = 32): a radius-2 probe of a part table visits C(h2, <=2) buckets,
 * 254 for ten million hashes, where a radius-3 probe of a word visits
 * 1,160 to 1,351. Memory is what shapes the rest:
 *   - rows of words 1-7 and the payload (32 bytes, never straddling a cache
 *     line) and the low half of word 0 (2) are kept in T0's order; word
 *     0's top half is its T0 bucket's (h >= 16), found from the position
 *     (a search of the directory) for the few candidates still within the
 *     distance on the other 240 bits;
 *   - T0 needs no entries: its bucket's low halves are read in order;
 *   - T1 holds 4 bytes per entry: each bucket's run is the entries'
 *     residuals (the 8 bits of the word below the bucket's) and then their
 *     3-byte positions, so a probe reads a few bytes and drops the entries
 *     whose word is already beyond the radius there;
 *   - a part table holds a 3-byte position per entry and buckets by the top
 *     h2 bits of its part (h2 = 22 at ten million: 2-3 entries a bucket),
 *     as fine as the 64 bytes allow; every entry of a probed bucket is a
 *     candidate whose row is read;
 *   - T0 and T1 give each bucket a byte count, with a 32-bit base every 32
 *     buckets; a part table's directory is one cache line per 120 buckets
 *     (4-bit counts and the line's base); crowded buckets are kept exactly
 *     in a side list.
 * That is 32 + 2 + 4 + 24 + about 2 = 64 bytes per hash. Probes go through
 * three stages a dozen probes apart (directory, bucket range, entries),
 * and candidates' rows are fetched 16 candidates before they are checked,
 * so the cache misses overlap. A match that several tables find is
 * reported by the first (the test that drops an earlier table's match is
 * exactly that table's filter), so each is reported once.
 *
 * Sorted tables cannot take insertions, so the index is a list of segments
 * (largest first) plus a small tail scanned directly; a full tail becomes a
 * segment (or joins the newest, if that is small: see below), and a
 * segment merges into the one before once it reaches an eighth of its
 * size, as in a log-structured tree.
 *
 * That layout ("compact") costs about 0.2-0.27 ms per query at ten million
 * random hashes on the shared machine here (3,750-5,100 queries per CPU
 * second by the machine's load; the eight-word layout before it
 * 1,450-1,750: docs/images.md).
 * Segments of up to GN_MIH_FAST_LIMIT hashes therefore take a second layout
 * ("fast", about 120 bytes per hash): sixteen tables, one per 16-bit half
 * of each word. A word within radius r has a half within r/2 (at d = 31:
 * word radius 3, half radius 1, so 17 buckets per table, 272 in all), and
 * each entry carries its word's other half, so entries whose whole word is
 * beyond r are dropped without reading their hash: at a million hashes a
 * query filters ~4,000 entries (eight at a time) and reads ~11 hashes.
 *
 * Below GN_MIH_SMALL_LIMIT hashes even 272 probes (each a few cache misses)
 * cost more than reading a slice of the segment in order, so small segments
 * take a third layout ("small", about 230 bytes per hash, 250-290 when grown
 * by adds): 32 tables, one per byte of the hash, each bucketing every entry
 * under its byte's value, and a d <= 31 query reads one bucket of each,
 * n/256 entries. Its buckets keep room to grow, so the newest segment, if
 * small, takes each full tail in place (sorting just those 256 into its
 * tables, and laying the tables out again, moving the runs up within
 * address space reserved for them, only when a bucket is full): a bank
 * within the small limit is one segment and the tail, and is never rebuilt.
 *
 * Why that is exact (the cycle lemma). Let e_i be the number of bits a
 * stored hash and the query differ by in byte i (i = 0..31, taken round in
 * a circle). If they are within d <= 31, the terms (e_i - 1) sum to at most
 * d - 32 < 0. Let S_k be the sum of the first k terms (S_0 = 0) and j the
 * last k in 0..31 where S_k is largest. Every run of bytes j, j+1, ...,
 * j+m-1 (mod 32) then has its terms summing below 0: a run that ends by
 * byte 31 sums to S_{j+m} - S_j, and no later S is as large as S_j; one
 * that wraps round sums to S_32 - S_j + S_{j+m-32} <= S_32 < 0. Taking
 * m = 1, 2, 3, since the e_i are whole numbers:
 *     e_j = 0,   e_j + e_{j+1} <= 1,   e_j + e_{j+1} + e_{j+2} <= 2.
 * So byte table j, in the bucket of the query's byte j, holds the match,
 * and the match's bytes j+1 and j+2 differ from the query's by at most one
 * bit, and two together. Each entry carries just those two following
 * bytes: 32 entries are compared at once with AVX-512BW (16 with AVX2 or
 * portable vectors, picked at run time), and 1 in 600 of the others pass.
 * Those are held to the next bounds, e_{j+1} + e_{j+2} + e_{j+3} <= 3 and
 * one more byte <= 4 (on 7 of its bits), from the word that holds their
 * position, and only the few left are checked in full. A match found
 * by several tables is reported by the first. At 100,000 hashes a query
 * reads 12,500 two-byte entries in 32 runs. Past d = 31 the lemma does not
 * bound e_j by 0 and small segments are scanned. */
#include "detect/mih.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define GN_MIH_X86 1
#endif

#include "core/alloc.h"
#include "core/error.h"

#define TABLES 8   /* the eight 32-bit words (fast layout: two tables each) */
#define CTABLES 10 /* compact layout: words 0 and 1, and eight 24-bit parts */
#define PARTS 8    /* compact layout: the parts, words 2-7 cut in 24-bit pieces */
#define PART_BITS 24
#define LINE_BUCKETS 120      /* a part table's directory line: 120 4-bit counts and a base */
#define ROW_WORDS 8           /* a compact row: words 1-7 and the payload, 32 bytes */
#define WIDE_TABLES 16        /* fast layout: both 16-bit halves of each word */
#define BYTE_TABLES 32        /* small layout: the 32 bytes */
#define SMALL_DISTANCE_MAX 31 /* the cycle lemma over bytes needs d < 32 */
#define SMALL_POS_BITS 17     /* a small segment's positions: GN_MIH_SMALL_LIMIT */
#define SMALL_POS_MASK ((1u << SMALL_POS_BITS) - 1)
_Static_assert(GN_MIH_SMALL_LIMIT <= ((size_t)1 << SMALL_POS_BITS), "small positions fit");
/* Recent additions are scanned until this many gather (a few hundred
 * nanoseconds to scan), then become a segment. */
#define TAIL_MAX 256
/* A segment merges into the one before it once it reaches 1/MERGE_RATIO of
 * its size. Every segment costs a query a few hundred probes however small
 * it is, so few segments (about log8 of n / TAIL_MAX) are worth each hash
 * being rebuilt more often (about 20 times on the way to a million). */
#define MERGE_RATIO 8
#define SEG_MAX (1u << 24)
#define BLOCK 32      /* buckets per directory block */
#define NIB_FULL 15   /* a count this large lives in the side list */
#define BYTE_FULL 255 /* the same for the fast layout's 8-bit counts */
#define LANES 8       /* entries' other halves compared at once */
#define BATCH 128     /* buckets looked up together, so their cache misses overlap */
#define CAND_MAX 256  /* candidates gathered before their hashes are compared */
/* A bucket probe costs a few cache misses; scanning a hash costs about a
 * nanosecond (ten in the compact layout, which rebuilds each hash from its
 * parts). Segments where the probes would cost more are scanned. */
#define PROBE_COST_COMPACT 2.0
#define PROBE_COST_WIDE 15.0
/* Small layout: a bucket costs about ten hashes' scanning, an entry of it
 * (two bytes, compared sixteen at a time) an eighth of one. */
#define PROBE_COST_SMALL 10.0
#define ENTRY_COST_SMALL 0.125
#define NEXT_LANES 16 /* entries' following bytes compared at once (32 with AVX-512) */
#define NEXT_PAD 32   /* entries after each byte table: the widest filter reads past its run */

typedef struct big_bucket {
    uint32_t bucket, count;
} big_bucket;

typedef struct table {
    /* Positions, 3 bytes little-endian: fast layout (NULL in table 0) and
     * the compact layout's part tables. */
    uint8_t *ids;
    /* Compact layout, table 1: 4 bytes per entry, each bucket's run the
     * residuals of its entries (one byte each), then their positions (3
     * bytes each): the filter reads the first, which is a few bytes. */
    uint8_t *run;
    uint16_t *other; /* fast layout: the other half of the entry's word */
    uint32_t *base;  /* first entry of each block of buckets, and n at the end */
    uint8_t *cnt;    /* fast layout and compact tables 0-1: 8-bit counts */
    uint8_t *lines;  /* compact part tables: directory lines (build_part) */
    uint32_t main;   /* compact part tables: entries not in crowded buckets */
    big_bucket *big;
    size_t nbig;
} table;

typedef struct segment {
    uint32_t n, nblocks;
    int h, wide;         /* wide: the fast layout, 16 tables over 16-bit halves */
    int h2;              /* compact layout: the part tables' bucket bits */
    gn_pdq_hash *hashes; /* sorted by table 0's bucket (small layout: as added;
                            compact layout: NULL, see rest and lo) */
    uint32_t *payloads;
    /* Compact layout: rows of words 1-7 and the payload, and the low 16
     * bits of word 0, in table 0's order; word 0's top 16 bits are its
     * table 0 bucket's (h >= 16). */
    uint32_t *rows;
    uint16_t *lo;
    table t[WIDE_TABLES];
    /* Every table's counts, other halves and positions in one allocation:
     * big enough for huge pages, so the probes' scattered reads miss the
     * TLB less. */
    uint8_t *arena;
    /* Small layout (NULL in the others): table j lists every entry under
     * byte j of its hash; its entries with byte value v are
     * [span[j][v].from, span[j][v].to) of next (the entry's bytes j+1 and
     * j+2, mod 32, low byte first) and pos (the entry's position in hashes,
     * then byte j+3 and the low 7 bits of byte j+4). Each in one array, so
     * a query's only dependent misses are span's, and pos is read only for
     * entries that pass. Buckets lie in order (table, then value), each
     * with room to grow up to the next one's from: hashes are appended to
     * the segment in place (cap of them fit in hashes and payloads) and
     * the tables laid out again only when a bucket is full. */
    struct span {
        uint32_t from, to;
    } (*span)[256];
    uint16_t *next;
    uint32_t *pos;
    uint32_t cap, slots; /* slots: entries next and pos have room for */
    uint32_t reserved;   /* next and pos are reservations of this many slots (0: allocated) */
    size_t bytes;
} segment;

struct gn_mih {
    segment **seg;
    size_t nseg, capseg;
    gn_pdq_hash *tail;
    uint32_t *tail_payloads;
    size_t ntail, count;
    size_t fast_limit;  /* segments up to this size take the fast layout */
    size_t small_limit; /* and up to this size (and the fast limit) the small one */
    int always_probe;
    int isa; /* the widest instructions queries may use (GN_MIH_ISA_*) */
};

/* --- memory ------------------------------------------------------------- */

/* Large arrays go on transparent huge pages where the kernel allows: probes
 * land at random across hundreds of megabytes, and with 4 KiB pages nearly
 * every one would also miss the TLB. */
static void *big_alloc(size_t bytes)
{
    const size_t huge = 2u << 20;
    if (bytes < huge) return gn_xmalloc(bytes ? bytes : 1);
    void *p = gn_xaligned_alloc(huge, bytes);
#ifdef MADV_HUGEPAGE
    madvise(p, bytes & ~(huge - 1), MADV_HUGEPAGE);
#endif
    return p;
}

/* Address space for bytes, in huge pages, backed only as far as it is
 * touched: an array that grows in place there is never copied, and its
 * pages are faulted in (and zeroed) once, not again at each growth. */
#define HUGE_PAGE ((size_t)2 << 20)
static size_t huge_round(size_t bytes)
{
    return (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

static void *reserve(size_t bytes)
{
    bytes = huge_round(bytes);
    char *p = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (p == MAP_FAILED) return NULL;
    size_t head = (HUGE_PAGE - ((uintptr_t)p & (HUGE_PAGE - 1))) & (HUGE_PAGE - 1);
    if (head) munmap(p, head);
    munmap(p + head + bytes, HUGE_PAGE - head);
#ifdef MADV_HUGEPAGE
    madvise(p + head, bytes, MADV_HUGEPAGE);
#endif
    return p + head;
}

static void unreserve(void *p, size_t bytes)
{
    if (p) munmap(p, huge_round(bytes));
}

/* A small segment's next and pos, reserved or allocated. */
static void free_runs(uint16_t *next, uint32_t *pos, uint32_t reserved)
{
    if (reserved) {
        unreserve(next, (size_t)reserved * sizeof *next);
        unreserve(pos, (size_t)reserved * sizeof *pos);
    } else {
        free(next);
        free(pos);
    }
}

static void segment_free(segment *s)
{
    if (!s) return;
    free(s->hashes);
    free(s->payloads);
    free(s->arena);
    for (int t = 0; t < WIDE_TABLES; t++) {
        free(s->t[t].base);
        free(s->t[t].big);
    }
    free(s->span);
    free_runs(s->next, s->pos, s->reserved);
    free(s);
}

/* --- hash words and buckets ---------------------------------------------- */

static inline uint32_t word32(const gn_pdq_hash *x, int t)
{
    return (uint32_t)(x->w[t >> 1] >> ((t & 1) * 32));
}

static inline uint32_t bucket_of(const gn_pdq_hash *x, int t, int h)
{
    return word32(x, t) >> (32 - h);
}

/* The fast layout's table t: half t % 2 (0 = high) of word t / 2. */
static inline uint32_t half16(const gn_pdq_hash *x, int t)
{
    return (word32(x, t >> 1) >> (t & 1 ? 0 : 16)) & 0xFFFF;
}

static inline uint32_t wide_bucket(const gn_pdq_hash *x, int t, int h)
{
    return half16(x, t) >> (16 - h);
}

/* The small layout's table j: byte j % 4 (0 = lowest) of word j / 4, that
 * is bits 8j..8j+7 of the hash. */
static inline uint32_t byte8(const gn_pdq_hash *x, int j)
{
    return (word32(x, j >> 2) >> (8 * (j & 3))) & 0xFF;
}

/* What table j's entry for x carries: bytes j+1 and j+2 (mod 32). */
static inline uint16_t next16(const gn_pdq_hash *x, int j)
{
    return (uint16_t)(byte8(x, (j + 1) & (BYTE_TABLES - 1)) | byte8(x, (j + 2) & (BYTE_TABLES - 1))
                                                                  << 8);
}

/* What its position word carries above the position: byte j+3, then the
 * low 7 bits of byte j+4. */
static inline uint32_t later_bytes(const gn_pdq_hash *x, int j)
{
    return byte8(x, (j + 3) & (BYTE_TABLES - 1)) << SMALL_POS_BITS |
           (byte8(x, (j + 4) & (BYTE_TABLES - 1)) & 0x7F) << (SMALL_POS_BITS + 8);
}

/* The cycle lemma's bounds past byte j's table and the first filter: with
 * e12 bits of difference in bytes j+1 and j+2, byte j+3 may add up to a
 * total of 3, byte j+4 (as far as its 7 bits go) up to 4. */
static inline int later_bytes_pass(uint32_t diff, int e12)
{
    int e3 = __builtin_popcount((diff >> SMALL_POS_BITS) & 0xFF);
    return e12 + e3 <= 3 && e12 + e3 + __builtin_popcount(diff >> (SMALL_POS_BITS + 8)) <= 4;
}

static inline uint32_t id_at(const uint8_t *ids, size_t i)
{
    const uint8_t *p = ids + 3 * i;
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
}

/* --- the directory ------------------------------------------------------ */

static uint32_t big_count(const table *t, uint32_t bucket)
{
    size_t lo = 0, hi = t->nbig;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (t->big[mid].bucket < bucket)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nbig && t->big[lo].bucket == bucket ? t->big[lo].count : 0;
}

/* The same for the fast layout's 8-bit counts, without branches in the
 * common case: probes of a small segment hit the cache, and this sum is
 * then most of a probe's cost. */
static inline __attribute__((always_inline)) void
bucket_range_wide(const table *t, uint32_t b, uint32_t *start, uint32_t *count)
{
    uint32_t blk = b / BLOCK, j = b % BLOCK, c = t->cnt[b];
    const uint8_t *blkc = t->cnt + (size_t)blk * BLOCK;
    uint64_t lanes = 0, full = 0;
    for (uint32_t i = 0; i < 4; i++) {
        uint64_t w;
        memcpy(&w, blkc + 8 * i, sizeof w);
        /* Bytes of word i that come before bucket j. */
        uint32_t take = j > 8 * i ? j - 8 * i : 0;
        uint64_t mask = take >= 8 ? ~0ULL : (1ULL << (8 * take)) - 1;
        w &= mask;
        full |= (~w - 0x0101010101010101ULL) & w & 0x8080808080808080ULL;
        lanes += (w & 0x00FF00FF00FF00FFULL) + ((w >> 8) & 0x00FF00FF00FF00FFULL);
    }
    if (__builtin_expect(!full && c != BYTE_FULL, 1)) {
        *start = t->base[blk] + (uint32_t)((lanes * 0x0001000100010001ULL) >> 48);
        *count = c;
        return;
    }
    /* A crowded bucket nearby: add exact counts one by one (rare). */
    uint32_t s = t->base[blk];
    for (uint32_t i = 0; i < j; i++)
        s += blkc[i] == BYTE_FULL ? big_count(t, blk * BLOCK + i) : blkc[i];
    *start = s;
    *count = c == BYTE_FULL ? big_count(t, b) : c;
}

/* --- building a segment ------------------------------------------------- */

/* Sorts 64-bit keys on `bits` bits starting at `shift`, stably, 8 at a time;
 * the result ends in *a. */
static void radix_sort(uint64_t **a, uint64_t **tmp, size_t n, int shift, int bits)
{
    for (int done = 0; done < bits; done += 8) {
        size_t count[257] = {0};
        int sh = shift + done;
        uint64_t *src = *a, *dst = *tmp;
        for (size_t i = 0; i < n; i++)
            count[((src[i] >> sh) & 255) + 1]++;
        for (int d = 0; d < 256; d++)
            count[d + 1] += count[d];
        for (size_t i = 0; i < n; i++)
            dst[count[(src[i] >> sh) & 255]++] = src[i];
        *a = dst;
        *tmp = src;
    }
}

/* A crowded bucket's exact count, in the table's side list. */
static void add_big(table *t, size_t *cap, uint32_t b, uint32_t c)
{
    if (t->nbig == *cap) {
        *cap = *cap ? 2 * *cap : 16;
        big_bucket *grown = gn_xrealloc(t->big, *cap * sizeof *grown);
        t->big = grown;
    }
    t->big[t->nbig++] = (big_bucket){b, c};
}

/* Keys are bucket << 24 | position, sorted; t->cnt is zeroed (it lives in
 * the segment's arena). Counts of 255 and more are kept in the side list. */
static int build_directory(table *t, const uint64_t *keys, uint32_t n, int h, uint32_t nblocks)
{
    t->base = gn_xmalloc(((size_t)nblocks + 1) * sizeof *t->base);
    if (!t->base || !t->cnt) return -1;
    size_t cap = 0;
    uint32_t i = 0, buckets = 1u << h;
    for (uint32_t b = 0; b < buckets; b++) {
        if (b % BLOCK == 0) t->base[b / BLOCK] = i;
        uint32_t c = 0;
        while (i < n && (uint32_t)(keys[i] >> 24) == b)
            i++, c++;
        if (c >= BYTE_FULL) {
            add_big(t, &cap, b, c);
            c = BYTE_FULL;
        }
        t->cnt[b] = (uint8_t)c;
    }
    t->base[nblocks] = n;
    return 0;
}

static int floor_log2(uint32_t n)
{
    int h = 0;
    while (h < 31 && (1u << (h + 1)) <= n)
        h++;
    return h;
}

/* The most slots a small segment with room to grow can need: every hash in
 * each byte table, a quarter more, two per bucket and the padding. */
#define SMALL_RESERVE                                                                              \
    ((size_t)BYTE_TABLES * GN_MIH_SMALL_LIMIT / 4 * 5 + BYTE_TABLES * 256 * 2 + 2 * NEXT_PAD)

/* The small layout's byte tables laid out again for s->n entries plus
 * add[j][v] more in each bucket: each bucket gets room for a quarter more
 * (and a few), so a segment grown by appends is laid out again about every
 * 15% of growth; without room (bulk builds) buckets are packed. With room,
 * next and pos are reservations (reserve) and the runs move within them,
 * last bucket first (a bucket only ever moves up, so none is overwritten
 * before it has moved): growing costs a copy of the runs and touches only
 * the memory that is new. Nothing changes on failure. */
static int small_layout(segment *s, const uint32_t (*add)[256], int room)
{
    size_t slots = NEXT_PAD;
    for (int j = 0; j < BYTE_TABLES; j++)
        for (int v = 0; v < 256; v++) {
            uint32_t c = (s->span ? s->span[j][v].to - s->span[j][v].from : 0) + add[j][v];
            slots += c + (room ? c / 4 + 2 : 0);
        }
    if (slots > UINT32_MAX) return -1;
    struct span(*span)[256] = gn_xmalloc(BYTE_TABLES * sizeof *span);
    if (!span) return -1;
    uint32_t at = 0;
    for (int j = 0; j < BYTE_TABLES; j++)
        for (int v = 0; v < 256; v++) {
            uint32_t c = s->span ? s->span[j][v].to - s->span[j][v].from : 0;
            span[j][v] = (struct span){at, at + c};
            at += c + add[j][v] + (room ? (c + add[j][v]) / 4 + 2 : 0);
        }
    /* In place when every bucket moves up within what is reserved. */
    int in_place = room && s->reserved >= slots;
    for (int j = 0; j < BYTE_TABLES && in_place && s->span; j++)
        for (int v = 0; v < 256 && in_place; v++)
            in_place = span[j][v].from >= s->span[j][v].from;
    uint32_t reserved = room ? (uint32_t)(slots > SMALL_RESERVE ? slots : SMALL_RESERVE) : 0;
    uint16_t *next = s->next;
    uint32_t *pos = s->pos;
    if (!in_place) {
        next = room ? reserve((size_t)reserved * sizeof *next) : big_alloc(slots * sizeof *next);
        pos = room ? reserve((size_t)reserved * sizeof *pos) : big_alloc(slots * sizeof *pos);
        if (!next || !pos) {
            free_runs(next, pos, reserved);
            free(span);
            return -1;
        }
    }
    for (int j = BYTE_TABLES - 1; j >= 0; j--)
        for (int v = 255; v >= 0; v--) {
            uint32_t to = span[j][v].to, from = span[j][v].from, c = to - from;
            if (c) {
                uint32_t old = s->span[j][v].from;
                memmove(next + from, s->next + old, c * sizeof *next);
                memmove(pos + from, s->pos + old, c * sizeof *pos);
            }
            /* The filter reads past a run's end: what it reads there is
             * ignored, but defined. */
            uint32_t end = v < 255               ? span[j][v + 1].from
                           : j + 1 < BYTE_TABLES ? span[j + 1][0].from
                                                 : (uint32_t)slots - NEXT_PAD;
            memset(next + to, 0, (end - to) * sizeof *next);
        }
    memset(next + slots - NEXT_PAD, 0, NEXT_PAD * sizeof *next);
    if (!in_place) free_runs(s->next, s->pos, s->reserved);
    free(s->span);
    s->span = span;
    s->next = next;
    s->pos = pos;
    s->slots = (uint32_t)slots;
    if (!in_place) s->reserved = reserved;
    return 0;
}

/* Where bucket v of byte table j may grow to: the next bucket's start. */
static inline uint32_t small_limit_of(const segment *s, int j, int v)
{
    if (v < 255) return s->span[j][v + 1].from;
    return j + 1 < BYTE_TABLES ? s->span[j + 1][0].from : s->slots - NEXT_PAD;
}

static void small_bytes(segment *s)
{
    s->bytes = sizeof *s + (size_t)s->cap * (sizeof(gn_pdq_hash) + sizeof(uint32_t)) +
               BYTE_TABLES * sizeof *s->span +
               (size_t)s->slots * (sizeof *s->next + sizeof *s->pos);
}

/* Appends hashes/payloads[0..k) to small segment s in place (s->n + k must
 * fit its layout's positions), laying its tables out again if a bucket
 * lacks room (with room to grow if `room`). Nothing changes on failure. */
static int small_append(segment *s, const gn_pdq_hash *hashes, const uint32_t *payloads, uint32_t k,
                        int room)
{
    uint32_t n = s->n;
    if (n + k > s->cap) {
        uint32_t cap = room ? n + k + (n + k) / 2 : n + k;
        gn_pdq_hash *h = gn_xrealloc(s->hashes, (size_t)cap * sizeof *h);
        s->hashes = h;
        uint32_t *p = gn_xrealloc(s->payloads, (size_t)cap * sizeof *p);
        s->payloads = p;
        s->cap = cap;
    }
    uint32_t(*add)[256] = gn_xcalloc(BYTE_TABLES, sizeof *add);
    if (!add) return -1;
    for (uint32_t i = 0; i < k; i++)
        for (int j = 0; j < BYTE_TABLES; j++)
            add[j][byte8(&hashes[i], j)]++;
    int full = s->span == NULL;
    for (int j = 0; j < BYTE_TABLES && !full; j++)
        for (int v = 0; v < 256 && !full; v++)
            full = s->span[j][v].to + add[j][v] > small_limit_of(s, j, v);
    if (full && small_layout(s, (const uint32_t(*)[256])add, room)) {
        free(add);
        return -1;
    }
    free(add);
    memcpy(s->hashes + n, hashes, (size_t)k * sizeof *hashes);
    memcpy(s->payloads + n, payloads, (size_t)k * sizeof *payloads);
    for (int j = 0; j < BYTE_TABLES; j++)
        for (uint32_t i = 0; i < k; i++) {
            const gn_pdq_hash *x = &hashes[i];
            uint32_t at = s->span[j][byte8(x, j)].to++;
            s->next[at] = next16(x, j);
            s->pos[at] = (n + i) | later_bytes(x, j);
        }
    s->n = n + k;
    small_bytes(s);
    return 0;
}

/* The small layout: the hashes in the order given, each byte table's
 * buckets filled in that order. A segment built from the tail gets room to
 * grow (the next tails are appended to it); a bulk one is packed. */
static segment *segment_build_small(const gn_pdq_hash *hashes, const uint32_t *payloads, uint32_t n,
                                    int room)
{
    segment *s = gn_xcalloc(1, sizeof *s);
    if (small_append(s, hashes, payloads, n, room)) {
        segment_free(s);
        return NULL;
    }
    return s;
}

/* Builds a segment over copies of hashes/payloads[0..n), n <= SEG_MAX, in
 * the fast layout. */
static segment *segment_build_fast(const gn_pdq_hash *hashes, const uint32_t *payloads, uint32_t n)
{
    segment *s = gn_xcalloc(1, sizeof *s);
    uint64_t *keys = big_alloc((size_t)n * sizeof *keys);
    uint64_t *tmp = big_alloc((size_t)n * sizeof *tmp);
    if (!s || !keys || !tmp) goto fail;
    s->n = n;
    s->wide = 1;
    /* Two to four entries per bucket, at most 2^16 buckets (a half word),
     * since the entries' other halves filter candidates cheaply; halves the
     * directory. */
    s->h = floor_log2(n) - 1;
    if (s->h > 16) s->h = 16;
    if (s->h < 5) s->h = 5; /* at least one whole directory block */
    s->nblocks = (1u << s->h) / BLOCK;
    s->hashes = big_alloc((size_t)n * sizeof *s->hashes);
    s->payloads = big_alloc((size_t)n * sizeof *s->payloads);
    if (!s->hashes || !s->payloads) goto fail;
    const int ntables = WIDE_TABLES;
    /* The byte counts first (zeroed), then the other halves (padded: the
     * filter reads eight entries at a time; even sizes keep them aligned),
     * then the 3-byte positions of tables 1 and up. */
    size_t cnt_bytes = (size_t)s->nblocks * BLOCK;
    size_t other_bytes = ((size_t)n + LANES) * sizeof(uint16_t);
    size_t ids_at = ntables * (cnt_bytes + other_bytes);
    s->arena = big_alloc(ids_at + (ntables - 1) * (size_t)n * 3);
    if (!s->arena) goto fail;
    memset(s->arena, 0, ntables * cnt_bytes);
    for (int t = 0; t < ntables; t++) {
        s->t[t].cnt = s->arena + t * cnt_bytes;
        s->t[t].other = (uint16_t *)(s->arena + ntables * cnt_bytes + t * other_bytes);
        if (t) s->t[t].ids = s->arena + ids_at + (t - 1) * (size_t)n * 3;
    }
    for (int t = 0; t < ntables; t++) {
        const gn_pdq_hash *src = t == 0 ? hashes : s->hashes;
        for (uint32_t i = 0; i < n; i++)
            keys[i] = (uint64_t)wide_bucket(&src[i], t, s->h) << 24 | i;
        radix_sort(&keys, &tmp, n, 24, s->h);
        if (t == 0) {
            for (uint32_t i = 0; i < n; i++) {
                uint32_t from = (uint32_t)(keys[i] & 0xFFFFFF);
                s->hashes[i] = hashes[from];
                s->payloads[i] = payloads[from];
            }
        } else {
            uint8_t *ids = s->t[t].ids;
            for (uint32_t i = 0; i < n; i++) {
                uint32_t pos = (uint32_t)(keys[i] & 0xFFFFFF);
                ids[3 * (size_t)i] = (uint8_t)pos;
                ids[3 * (size_t)i + 1] = (uint8_t)(pos >> 8);
                ids[3 * (size_t)i + 2] = (uint8_t)(pos >> 16);
            }
        }
        /* Padded: the filter reads eight entries at a time. */
        uint16_t *other = s->t[t].other;
        for (uint32_t i = 0; i < n; i++)
            other[i] = (uint16_t)half16(&s->hashes[t ? keys[i] & 0xFFFFFF : i], t ^ 1);
        memset(other + n, 0, LANES * sizeof *other);
        if (build_directory(&s->t[t], keys, n, s->h, s->nblocks)) goto fail;
    }
    free(keys);
    free(tmp);
    s->bytes = sizeof *s + (size_t)n * (sizeof(gn_pdq_hash) + sizeof(uint32_t));
    for (int t = 0; t < ntables; t++)
        s->bytes += (t ? (size_t)n * 3 : 0) + ((size_t)n + LANES) * sizeof(uint16_t) +
                    ((size_t)s->nblocks + 1) * sizeof(uint32_t) + (size_t)s->nblocks * BLOCK +
                    s->t[t].nbig * sizeof(big_bucket);
    return s;
fail:
    free(keys);
    free(tmp);
    segment_free(s);
    return NULL;
}

/* --- the compact layout --------------------------------------------------- */

/* Word tables (T0, T1): about 2^COMPACT_FILL entries per bucket (8-32), and
 * never fewer than 16 bits, which word 0's top half is implied by. */
#define COMPACT_FILL 3
#define COMPACT_MIN_H 16

/* Table t's residual (T1): the 8 bits of word t just below its bucket's. */
static inline uint32_t residual(const gn_pdq_hash *x, int t, int h)
{
    return (word32(x, t) >> (24 - h)) & 0xFF;
}

/* Part j (0..7): bits 24j..24j+23 of words 2-7 (w[1] to w[3]). */
static inline uint32_t part24(const gn_pdq_hash *x, int j)
{
    int bit = PART_BITS * j, k = 1 + bit / 64, off = bit % 64;
    uint64_t v = x->w[k] >> off;
    if (off > 64 - PART_BITS) v |= x->w[k + 1] << (64 - off);
    return (uint32_t)v & ((1u << PART_BITS) - 1);
}

/* A part table's bucket: the top h2 bits of its part. */
static inline uint32_t part_key(const gn_pdq_hash *x, int j, int h2)
{
    return part24(x, j) >> (PART_BITS - h2);
}

/* A part table: its entries (3-byte positions) in bucket order, except
 * those of crowded buckets (NIB_FULL entries or more: near copies of one
 * photo share most parts), which go after all the others; and its
 * directory, one cache line per LINE_BUCKETS buckets: their 4-bit counts
 * (bytes 0-59; NIB_FULL for a crowded bucket, which counts as none there)
 * and the number of entries before the line's first bucket (bytes 60-63).
 * A crowded bucket's side-list entry holds, instead of its count, where its
 * entries end among the crowded ones (t->main is where they start). So a
 * probe never searches the side list unless its own bucket is crowded.
 * Keys are bucket << 24 | position, sorted; t->lines is zeroed. */
static void build_part(table *t, const uint64_t *keys, uint32_t n, int h2, size_t pad)
{
    uint32_t crowded = 0;
    for (uint32_t i = 0, e; i < n; i = e) {
        for (e = i + 1; e < n && keys[e] >> 24 == keys[i] >> 24;)
            e++;
        if (e - i >= NIB_FULL) crowded += e - i;
    }
    t->main = n - crowded;
    size_t cap = 0;
    uint32_t i = 0, at = 0, over = 0, buckets = 1u << h2;
    for (uint32_t b = 0; b < buckets; b++) {
        uint8_t *line = t->lines + 64 * (size_t)(b / LINE_BUCKETS);
        uint32_t j = b % LINE_BUCKETS, c = 0;
        if (j == 0) memcpy(line + 60, &at, sizeof at);
        while (i + c < n && (uint32_t)(keys[i + c] >> 24) == b)
            c++;
        uint32_t to = c >= NIB_FULL ? t->main + over : at;
        for (uint32_t k = 0; k < c; k++) {
            uint32_t pos = (uint32_t)(keys[i + k] & 0xFFFFFF);
            uint8_t *e = t->ids + 3 * ((size_t)to + k);
            e[0] = (uint8_t)pos, e[1] = (uint8_t)(pos >> 8), e[2] = (uint8_t)(pos >> 16);
        }
        i += c;
        if (c >= NIB_FULL) {
            over += c;
            add_big(t, &cap, b, over);
            c = NIB_FULL;
        } else {
            at += c;
        }
        line[j / 2] |= (uint8_t)(c << (4 * (j & 1)));
    }
    memset(t->ids + 3 * (size_t)n, 0, pad);
}

/* Where bucket b of a part table starts and how many entries it has: the
 * line's base plus its counts before b (crowded ones counting none),
 * summed eight bytes at a time; a crowded bucket from the side list. */
static inline __attribute__((always_inline)) void line_range(const table *t, uint32_t b,
                                                             uint32_t *start, uint32_t *count)
{
    uint32_t j = b % LINE_BUCKETS, whole = j / 2, base;
    const uint8_t *line = t->lines + 64 * (size_t)(b / LINE_BUCKETS);
    memcpy(&base, line + 60, sizeof base);
    uint32_t c = (line[whole] >> (4 * (j & 1))) & 15, odd = j & 1 ? line[whole] & 15 : 0;
    if (__builtin_expect(c == NIB_FULL, 0)) {
        size_t lo = 0, hi = t->nbig;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (t->big[mid].bucket < b)
                lo = mid + 1;
            else
                hi = mid;
        }
        uint32_t from = lo ? t->big[lo - 1].count : 0;
        *start = t->main + from;
        *count = t->big[lo].count - from;
        return;
    }
    uint64_t acc = 0;
    for (uint32_t k = 0; 8 * k < whole; k++) {
        uint64_t w;
        memcpy(&w, line + 8 * k, sizeof w);
        if (whole - 8 * k < 8) w &= (1ULL << (8 * (whole - 8 * k))) - 1;
        /* Crowded buckets' nibbles (all four bits set) count as none. */
        w &= ~((w & (w >> 1) & (w >> 2) & (w >> 3) & 0x1111111111111111ULL) * 15);
        acc += (w & 0x0F0F0F0F0F0F0F0FULL) + ((w >> 4) & 0x0F0F0F0F0F0F0F0FULL);
    }
    /* Bytes of acc are at most 8 * 28; add them in 16-bit lanes. */
    acc = (acc & 0x00FF00FF00FF00FFULL) + ((acc >> 8) & 0x00FF00FF00FF00FFULL);
    *start = base + (uint32_t)((acc * 0x0001000100010001ULL) >> 48) + (odd == NIB_FULL ? 0 : odd);
    *count = c;
}

static inline size_t align64(size_t x)
{
    return (x + 63) & ~(size_t)63;
}

/* Bytes of a compact segment of n hashes with word tables of h bits and
 * part tables of h2, without the side lists. */
static size_t compact_bytes(uint32_t n, int h, int h2)
{
    size_t words = 2 * (((size_t)1 << h) + (((size_t)1 << h) / BLOCK + 1) * sizeof(uint32_t));
    size_t lines = ((((size_t)1 << h2) + LINE_BUCKETS - 1) / LINE_BUCKETS) * 64;
    return sizeof(segment) + (size_t)n * (4 * ROW_WORDS + 2 + 4 + 3 * PARTS) + words +
           PARTS * lines + 64 * (4 + PARTS);
}

/* The buckets' sizes: the part tables' as fine as 64 bytes per hash allow
 * (2-8 entries per bucket: every entry of a probed bucket has its row
 * read), then the word tables' (8-32: their entries carry the bits that
 * filter them). */
static void compact_plan(uint32_t n, int *h, int *h2)
{
    int lg = floor_log2(n);
    for (int a = lg - 1; a >= lg - 3; a--)
        for (int b = lg - COMPACT_FILL; b >= lg - COMPACT_FILL - 1; b--) {
            int ha = a < 4 ? 4 : a > PART_BITS ? PART_BITS : a;
            int hb = b < COMPACT_MIN_H ? COMPACT_MIN_H : b;
            *h = hb, *h2 = ha;
            if (compact_bytes(n, hb, ha) <= (size_t)64 * n) return;
        }
}

/* Builds a segment over copies of hashes/payloads[0..n), n <= SEG_MAX, in
 * the compact layout (see the top of the file and docs/images.md), with
 * part tables `coarser` bits coarser than compact_plan's. */
static segment *compact_build(const gn_pdq_hash *hashes, const uint32_t *payloads, uint32_t n,
                              int coarser)
{
    segment *s = gn_xcalloc(1, sizeof *s);
    uint64_t *keys = big_alloc((size_t)n * sizeof *keys);
    uint64_t *tmp = big_alloc((size_t)n * sizeof *tmp);
    gn_pdq_hash *sorted = big_alloc((size_t)n * sizeof *sorted);
    if (!s || !keys || !tmp || !sorted) goto fail;
    s->n = n;
    compact_plan(n, &s->h, &s->h2);
    s->h2 = s->h2 - coarser < 4 ? 4 : s->h2 - coarser;
    s->nblocks = (1u << s->h) / BLOCK;
    size_t nlines = ((1u << s->h2) + LINE_BUCKETS - 1) / LINE_BUCKETS;
    /* One arena: rows first (32-byte rows never straddle a line), then the
     * word tables' counts, T1's runs, word 0's low halves, the part
     * tables' entries (padded: entries are read four bytes at a time) and
     * their directory lines. */
    size_t cnt_b = (size_t)s->nblocks * BLOCK, ids_b = align64((size_t)n * 3 + 4);
    size_t cnt_at = align64((size_t)n * 4 * ROW_WORDS), run_at = align64(cnt_at + 2 * cnt_b);
    size_t lo_at = align64(run_at + (size_t)n * 4), ids_at = align64(lo_at + (size_t)n * 2);
    size_t lines_at = ids_at + PARTS * ids_b, end = lines_at + PARTS * nlines * 64;
    s->arena = big_alloc(end);
    if (!s->arena) goto fail;
    memset(s->arena + cnt_at, 0, 2 * cnt_b);
    memset(s->arena + lines_at, 0, end - lines_at);
    s->rows = (uint32_t *)s->arena;
    s->lo = (uint16_t *)(s->arena + lo_at);
    s->t[0].cnt = s->arena + cnt_at;
    s->t[1].cnt = s->arena + cnt_at + cnt_b;
    s->t[1].run = s->arena + run_at;
    for (int j = 0; j < PARTS; j++) {
        s->t[2 + j].ids = s->arena + ids_at + j * ids_b;
        s->t[2 + j].lines = s->arena + lines_at + j * nlines * 64;
    }
    for (int t = 0; t < CTABLES; t++) {
        const gn_pdq_hash *src = t == 0 ? hashes : sorted;
        int bits = t < 2 ? s->h : s->h2;
        for (uint32_t i = 0; i < n; i++)
            keys[i] =
                (uint64_t)(t < 2 ? bucket_of(&src[i], t, s->h) : part_key(&src[i], t - 2, s->h2))
                    << 24 |
                i;
        radix_sort(&keys, &tmp, n, 24, bits);
        if (t == 0) {
            for (uint32_t i = 0; i < n; i++) {
                uint32_t from = (uint32_t)(keys[i] & 0xFFFFFF);
                const gn_pdq_hash *x = &hashes[from];
                uint32_t *row = s->rows + ROW_WORDS * (size_t)i;
                sorted[i] = *x;
                s->lo[i] = (uint16_t)word32(x, 0);
                for (int k = 1; k < 8; k++)
                    row[k - 1] = word32(x, k);
                row[7] = payloads[from];
            }
        } else if (t == 1) {
            uint8_t *run = s->t[1].run;
            for (uint32_t i = 0, end_i; i < n; i = end_i) {
                for (end_i = i + 1; end_i < n && keys[end_i] >> 24 == keys[i] >> 24;)
                    end_i++;
                uint8_t *res = run + 4 * (size_t)i, *ids = res + (end_i - i);
                for (uint32_t k = i; k < end_i; k++) {
                    uint32_t pos = (uint32_t)(keys[k] & 0xFFFFFF);
                    res[k - i] = (uint8_t)residual(&sorted[pos], 1, s->h);
                    ids[3 * (k - i)] = (uint8_t)pos;
                    ids[3 * (k - i) + 1] = (uint8_t)(pos >> 8);
                    ids[3 * (k - i) + 2] = (uint8_t)(pos >> 16);
                }
            }
        } else {
            build_part(&s->t[t], keys, n, s->h2, ids_b - 3 * (size_t)n);
            continue;
        }
        if (build_directory(&s->t[t], keys, n, s->h, s->nblocks)) goto fail;
    }
    free(keys);
    free(tmp);
    free(sorted);
    s->bytes = sizeof *s + end;
    for (int t = 0; t < CTABLES; t++)
        s->bytes += (t < 2 ? ((size_t)s->nblocks + 1) * sizeof(uint32_t) : 0) +
                    s->t[t].nbig * sizeof(big_bucket);
    return s;
fail:
    free(keys);
    free(tmp);
    free(sorted);
    segment_free(s);
    return NULL;
}

/* The compact layout within 64 bytes per hash: a bank of many near copies
 * crowds buckets, whose exact counts take side lists; then the part
 * tables are built again with buckets twice as big (half the lines). */
static segment *segment_build_compact(const gn_pdq_hash *hashes, const uint32_t *payloads,
                                      uint32_t n)
{
    for (int coarser = 0;; coarser++) {
        segment *s = compact_build(hashes, payloads, n, coarser);
        if (!s || s->bytes <= (size_t)64 * n || s->h2 <= 4 || coarser == 2) return s;
        segment_free(s);
    }
}

/* A compact segment's count of bucket b in word table t. */
static inline uint32_t compact_count(const table *t, uint32_t b)
{
    uint32_t c = t->cnt[b];
    return c == BYTE_FULL ? big_count(t, b) : c;
}

/* The table 0 bucket that holds position pos (whose top 16 bits are word
 * 0's): the last directory block starting at or before pos, then its
 * counts. Only a candidate already within the distance on the other 240
 * bits gets here. */
static uint32_t compact_bucket_at(const segment *s, uint32_t pos)
{
    const table *t0 = &s->t[0];
    uint32_t lo = 0, hi = s->nblocks;
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t0->base[mid] <= pos)
            lo = mid;
        else
            hi = mid;
    }
    uint32_t at = t0->base[lo], b = lo * BLOCK;
    for (;; b++) {
        uint32_t c = compact_count(t0, b);
        if (pos < at + c) return b;
        at += c;
    }
}

/* The hash at position pos of a compact segment, in table 0 bucket b. */
static inline void compact_hash(const segment *s, uint32_t pos, uint32_t b, gn_pdq_hash *x)
{
    const uint32_t *r = s->rows + ROW_WORDS * (size_t)pos;
    uint64_t w0 = (uint64_t)(b >> (s->h - 16)) << 16 | s->lo[pos];
    x->w[0] = w0 | (uint64_t)r[0] << 32;
    x->w[1] = r[1] | (uint64_t)r[2] << 32;
    x->w[2] = r[3] | (uint64_t)r[4] << 32;
    x->w[3] = r[5] | (uint64_t)r[6] << 32;
}

/* Copies positions [from, from + n) of a segment into h and p. */
static void segment_copy(const segment *s, uint32_t from, uint32_t n, gn_pdq_hash *h, uint32_t *p)
{
    if (s->hashes) {
        memcpy(p, s->payloads + from, (size_t)n * sizeof *p);
        memcpy(h, s->hashes + from, (size_t)n * sizeof *h);
        return;
    }
    if (n == 0) return;
    uint32_t b = compact_bucket_at(s, from), start, count;
    bucket_range_wide(&s->t[0], b, &start, &count);
    for (uint32_t i = from; i < from + n; i++) {
        while (i >= start + count)
            bucket_range_wide(&s->t[0], ++b, &start, &count);
        compact_hash(s, i, b, &h[i - from]);
        p[i - from] = s->rows[ROW_WORDS * (size_t)i + 7];
    }
}

/* --- the index ---------------------------------------------------------- */

int gn_mih_new(gn_mih **out, gn_error *err)
{
    gn_mih *m = gn_xcalloc(1, sizeof *m);
    if (m) {
        m->fast_limit = GN_MIH_FAST_LIMIT;
        m->small_limit = GN_MIH_SMALL_LIMIT;
        m->isa = GN_MIH_ISA_AVX512;
        m->tail = gn_xmalloc(TAIL_MAX * sizeof *m->tail);
        m->tail_payloads = gn_xmalloc(TAIL_MAX * sizeof *m->tail_payloads);
    }
    if (!m || !m->tail || !m->tail_payloads) {
        gn_mih_free(m);
        return gn_fail(err, GN_ENOMEM, "hash index: out of memory");
    }
    *out = m;
    return 0;
}

void gn_mih_free(gn_mih *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nseg; i++)
        segment_free(m->seg[i]);
    free(m->seg);
    free(m->tail);
    free(m->tail_payloads);
    free(m);
}

size_t gn_mih_count(const gn_mih *m)
{
    return m->count;
}

size_t gn_mih_memory(const gn_mih *m)
{
    size_t bytes = sizeof *m + m->capseg * sizeof *m->seg +
                   TAIL_MAX * (sizeof *m->tail + sizeof *m->tail_payloads);
    for (size_t i = 0; i < m->nseg; i++)
        bytes += m->seg[i]->bytes;
    return bytes;
}

enum { LAYOUT_COMPACT, LAYOUT_FAST, LAYOUT_SMALL };

static int layout_for(const gn_mih *m, size_t n)
{
    if (n > m->fast_limit) return LAYOUT_COMPACT;
    return n <= m->small_limit && n <= GN_MIH_SMALL_LIMIT ? LAYOUT_SMALL : LAYOUT_FAST;
}

static int layout_of(const segment *s)
{
    return s->span ? LAYOUT_SMALL : s->wide ? LAYOUT_FAST : LAYOUT_COMPACT;
}

/* room: the segment will be appended to (see small_append). */
static segment *build(const gn_mih *m, const gn_pdq_hash *h, const uint32_t *p, uint32_t n,
                      int room)
{
    int layout = layout_for(m, n);
    if (layout == LAYOUT_SMALL) return segment_build_small(h, p, n, room);
    return layout == LAYOUT_FAST ? segment_build_fast(h, p, n) : segment_build_compact(h, p, n);
}

void gn_mih_set_fast_limit(gn_mih *m, size_t n)
{
    m->fast_limit = n;
}

void gn_mih_set_small_limit(gn_mih *m, size_t n)
{
    m->small_limit = n;
}

static int reserve_segments(gn_mih *m, size_t more)
{
    if (m->nseg + more <= m->capseg) return 0;
    size_t cap = m->capseg ? 2 * m->capseg : 8;
    while (cap < m->nseg + more)
        cap *= 2;
    segment **grown = gn_xrealloc(m->seg, cap * sizeof *grown);
    m->seg = grown;
    m->capseg = cap;
    return 0;
}

/* Copies entries [from, from + n) of the index's concatenation (segments in
 * order, then the tail) into h and p. */
static void gather(const gn_mih *m, size_t from, size_t n, gn_pdq_hash *h, uint32_t *p)
{
    for (size_t i = 0; i <= m->nseg && n; i++) {
        size_t len = i < m->nseg ? m->seg[i]->n : m->ntail;
        if (from >= len) {
            from -= len;
            continue;
        }
        size_t take = len - from < n ? len - from : n;
        if (i < m->nseg) {
            segment_copy(m->seg[i], (uint32_t)from, (uint32_t)take, h, p);
        } else {
            memcpy(h, m->tail + from, take * sizeof *h);
            memcpy(p, m->tail_payloads + from, take * sizeof *p);
        }
        h += take, p += take, n -= take, from = 0;
    }
}

/* Replaces segments first..nseg-1 (and the tail, when with_tail) by one
 * segment holding all their entries. Nothing changes on failure. */
static int merge(gn_mih *m, size_t first, int with_tail)
{
    size_t skip = 0, n = with_tail ? m->ntail : 0;
    for (size_t i = 0; i < first; i++)
        skip += m->seg[i]->n;
    for (size_t i = first; i < m->nseg; i++)
        n += m->seg[i]->n;
    if (n == 0 || reserve_segments(m, 1)) return n == 0 ? 0 : -1;
    /* A small segment takes the others' entries in place: only theirs are
     * sorted into its tables (the way a growing bank's tail goes). */
    segment *into = first < m->nseg && layout_of(m->seg[first]) == LAYOUT_SMALL &&
                            layout_for(m, n) == LAYOUT_SMALL
                        ? m->seg[first]
                        : NULL;
    size_t from = into ? skip + into->n : skip, len = into ? n - into->n : n;
    gn_pdq_hash *h = len ? big_alloc(len * sizeof *h) : NULL;
    uint32_t *p = len ? big_alloc(len * sizeof *p) : NULL;
    segment *s = NULL;
    if (len == 0 || (h && p)) {
        gather(m, from, len, h, p);
        if (into)
            s = small_append(into, h, p, (uint32_t)len, 1) ? NULL : into;
        else
            s = build(m, h, p, (uint32_t)n, 1);
    }
    free(h);
    free(p);
    if (!s) return -1;
    for (size_t i = first + (into != NULL); i < m->nseg; i++)
        segment_free(m->seg[i]);
    m->nseg = first;
    if (with_tail) m->ntail = 0;
    m->seg[m->nseg++] = s;
    return 0;
}

/* The tail joins the newest segment if that is small and stays small, or
 * becomes a segment; then the newest segment merges into the one before
 * while it is at least 1/MERGE_RATIO of that size: segment sizes fall by a
 * factor of 8 or more, so there are about log8(n / TAIL_MAX). A bank
 * within the small limit is one segment and the tail. */
static int flush_tail(gn_mih *m)
{
    const segment *newest = m->nseg ? m->seg[m->nseg - 1] : NULL;
    int join = newest && layout_of(newest) == LAYOUT_SMALL &&
               layout_for(m, (size_t)newest->n + m->ntail) == LAYOUT_SMALL;
    if (merge(m, join ? m->nseg - 1 : m->nseg, 1)) return -1;
    while (m->nseg >= 2) {
        segment *last = m->seg[m->nseg - 1], *prev = m->seg[m->nseg - 2];
        if ((uint64_t)last->n * MERGE_RATIO < prev->n || (uint64_t)last->n + prev->n > SEG_MAX)
            break;
        if (merge(m, m->nseg - 2, 0)) return -1;
    }
    return 0;
}

int gn_mih_add(gn_mih *m, const gn_pdq_hash *hash, uint32_t payload, gn_error *err)
{
    if (m->ntail == TAIL_MAX && flush_tail(m))
        return gn_fail(err, GN_ENOMEM, "hash index: out of memory adding hash %zu", m->count + 1);
    m->tail[m->ntail] = *hash;
    m->tail_payloads[m->ntail] = payload;
    m->ntail++;
    m->count++;
    return 0;
}

int gn_mih_add_many(gn_mih *m, const gn_pdq_hash *hashes, const uint32_t *payloads, size_t n,
                    gn_error *err)
{
    if (n < TAIL_MAX) {
        for (size_t i = 0; i < n; i++)
            if (gn_mih_add(m, &hashes[i], payloads[i], err)) return err ? err->code : GN_ENOMEM;
        return 0;
    }
    /* Straight into segments of at most SEG_MAX, then the usual merging. */
    size_t parts = (n + SEG_MAX - 1) / SEG_MAX;
    if (reserve_segments(m, parts))
        return gn_fail(err, GN_ENOMEM, "hash index: out of memory adding %zu hashes", n);
    for (size_t k = 0, from = 0; k < parts; k++) {
        size_t len = n / parts + (k < n % parts);
        segment *s = build(m, hashes + from, payloads + from, (uint32_t)len, 0);
        if (!s) return gn_fail(err, GN_ENOMEM, "hash index: out of memory adding %zu hashes", n);
        m->seg[m->nseg++] = s;
        m->count += len;
        from += len;
    }
    while (m->nseg >= 2) {
        segment *last = m->seg[m->nseg - 1], *prev = m->seg[m->nseg - 2];
        if ((uint64_t)last->n * MERGE_RATIO < prev->n || (uint64_t)last->n + prev->n > SEG_MAX)
            break;
        if (merge(m, m->nseg - 2, 0))
            return gn_fail(err, GN_ENOMEM, "hash index: out of memory adding %zu hashes", n);
    }
    return 0;
}

int gn_mih_compact(gn_mih *m, gn_error *err)
{
    size_t total = m->count, parts = (total + SEG_MAX - 1) / SEG_MAX;
    int relayout = 0; /* the fast limit changed since a segment was built */
    for (size_t i = 0; i < m->nseg; i++)
        relayout |= layout_of(m->seg[i]) != layout_for(m, m->seg[i]->n);
    if (total == 0 || (m->ntail == 0 && m->nseg == parts && !relayout)) return 0;
    if (parts == 1) {
        if (merge(m, 0, 1)) return gn_fail(err, GN_ENOMEM, "hash index: out of memory compacting");
        return 0;
    }
    /* Several parts of equal size, built before the old ones are dropped. */
    segment **fresh = gn_xcalloc(parts, sizeof *fresh);
    gn_pdq_hash *h = big_alloc((size_t)SEG_MAX * sizeof *h);
    uint32_t *p = big_alloc((size_t)SEG_MAX * sizeof *p);
    int ok = fresh && h && p;
    for (size_t k = 0, from = 0; ok && k < parts; k++) {
        size_t n = total / parts + (k < total % parts);
        gather(m, from, n, h, p);
        fresh[k] = build(m, h, p, (uint32_t)n, 0);
        ok = fresh[k] != NULL;
        from += n;
    }
    free(h);
    free(p);
    if (!ok || reserve_segments(m, parts)) {
        for (size_t k = 0; fresh && k < parts; k++)
            segment_free(fresh[k]);
        free(fresh);
        return gn_fail(err, GN_ENOMEM, "hash index: out of memory compacting");
    }
    for (size_t i = 0; i < m->nseg; i++)
        segment_free(m->seg[i]);
    memcpy(m->seg, fresh, parts * sizeof *fresh);
    m->nseg = parts;
    m->ntail = 0;
    free(fresh);
    return 0;
}

/* --- queries ------------------------------------------------------------ */

struct candidates;

typedef struct query {
    const gn_pdq_hash *q;
    int d, always_probe;
    /* Small layout: the filter this CPU runs best (pick_filter). */
    void (*filter)(const struct segment *, const uint32_t *, const uint32_t *, struct candidates *,
                   struct query *);
    int r[TABLES];            /* probe radius per word; -1: word not probed */
    int rc[CTABLES];          /* compact layout: radius per table; -1: not probed */
    int s[WIDE_TABLES];       /* fast layout: radius per half word; -1: not probed */
    uint32_t qb[WIDE_TABLES]; /* the query's bucket in each table */
    uint32_t qo[WIDE_TABLES]; /* fast layout: the query's other half */
    uint32_t qres[TABLES];    /* compact layout: the query's residual in each table */
    int isa;
    gn_mih_results *res;
    int failed;
} query;

static void emit(query *qy, uint32_t payload, int distance)
{
    gn_mih_results *res = qy->res;
    if (res->count == res->cap) {
        size_t cap = res->cap ? 2 * res->cap : 64;
        gn_mih_match *grown = gn_xrealloc(res->items, cap * sizeof *grown);
        if (!grown) {
            qy->failed = 1;
            return;
        }
        res->items = grown;
        res->cap = cap;
    }
    res->items[res->count++] = (gn_mih_match){payload, distance};
}

static inline int distance(const gn_pdq_hash *a, const gn_pdq_hash *b)
{
    return __builtin_popcountll(a->w[0] ^ b->w[0]) + __builtin_popcountll(a->w[1] ^ b->w[1]) +
           __builtin_popcountll(a->w[2] ^ b->w[2]) + __builtin_popcountll(a->w[3] ^ b->w[3]);
}

/* The functions below run millions of popcounts; they are cloned for CPUs
 * with the popcnt instruction (see gn_pdq_distance). */
#define HOT __attribute__((target_clones("popcnt", "default")))

/* Half the hash first: at any useful distance most hashes are already too
 * far there, and the loop then reads two words of four. */
HOT static void scan(const gn_pdq_hash *h, const uint32_t *p, size_t n, query *qy)
{
    const uint64_t q0 = qy->q->w[0], q1 = qy->q->w[1];
    const int limit = qy->d;
    for (size_t i = 0; i < n; i++) {
        int d = __builtin_popcountll(q0 ^ h[i].w[0]) + __builtin_popcountll(q1 ^ h[i].w[1]);
        if (__builtin_expect(d > limit, 1)) continue;
        d += __builtin_popcountll(qy->q->w[2] ^ h[i].w[2]) +
             __builtin_popcountll(qy->q->w[3] ^ h[i].w[3]);
        if (d <= limit) emit(qy, p[i], d);
    }
}

/* Whether table t of a fast-layout segment finds x: its bucket is within the
 * half's radius, and the whole word (as far as the table knows it) within
 * the word's. The probe below applies exactly this test. */
static inline int wide_finds(const segment *s, int t, const gn_pdq_hash *x, const query *qy)
{
    if (qy->s[t] < 0) return 0;
    int db = __builtin_popcount(wide_bucket(x, t, s->h) ^ qy->qb[t]);
    return db <= qy->s[t] && db + __builtin_popcount(half16(x, t ^ 1) ^ qy->qo[t]) <= qy->r[t >> 1];
}

/* A bucket to look up: which table, and in the fast layout how many bits
 * the entry's other half may still differ by. */
typedef struct probe {
    uint32_t bucket;
    uint8_t t;
    int8_t room;
} probe;

/* Entries that passed the bucket (and the other half), not yet compared. */
typedef struct candidates {
    uint32_t pos[CAND_MAX]; /* in the hash array; in the fast layout, first
                               the entry's index in its table */
    uint8_t t[CAND_MAX];
    int n;
} candidates;

/* A match found through table t is reported only if no earlier table would
 * also have found it, so each is reported once without a visited set. The
 * first half of the hash is compared first: most candidates that are not
 * matches are already too far there. */
HOT static void verify(const segment *s, candidates *c, query *qy)
{
    /* Entry indices to positions; their hashes are fetched together. */
    for (int k = 0; k < c->n; k++) {
        int t = c->t[k];
        if (t) c->pos[k] = id_at(s->t[t].ids, c->pos[k]);
        __builtin_prefetch(&s->hashes[c->pos[k]]);
    }
    for (int k = 0; k < c->n; k++) {
        const gn_pdq_hash *x = &s->hashes[c->pos[k]];
        int d = __builtin_popcountll(qy->q->w[0] ^ x->w[0]) +
                __builtin_popcountll(qy->q->w[1] ^ x->w[1]);
        if (d > qy->d) continue;
        d += __builtin_popcountll(qy->q->w[2] ^ x->w[2]) +
             __builtin_popcountll(qy->q->w[3] ^ x->w[3]);
        if (d > qy->d) continue;
        int seen = 0, t = c->t[k];
        for (int u = 0; u < t && !seen; u++)
            seen = wide_finds(s, u, x, qy);
        if (!seen) emit(qy, s->payloads[c->pos[k]], d);
    }
    c->n = 0;
}

typedef uint16_t lanes16 __attribute__((vector_size(2 * LANES)));

/* Appends the entries [start, start + count) of a fast-layout table whose
 * other half is within room bits of the query's (qo) to c. Eight at a time
 * in vector registers (a bitwise popcount per 16-bit lane): in a segment of
 * millions a query filters thousands of entries, and few pass. */
static inline void filter_wide(const segment *s, const table *tb, uint32_t start, uint32_t count,
                               uint32_t qo, int room, int t, candidates *c, query *qy)
{
    lanes16 q = (lanes16){0} + (uint16_t)qo, limit = (lanes16){0} + (uint16_t)(room + 1);
    for (uint32_t e = 0; e < count; e += LANES) {
        lanes16 v;
        memcpy(&v, tb->other + start + e, sizeof v);
        v ^= q;
        v = v - ((v >> 1) & 0x5555);
        v = (v & 0x3333) + ((v >> 2) & 0x3333);
        v = (v + (v >> 4)) & 0x0F0F;
        v = (v + (v >> 8)) & 0x001F;
        lanes16 pass = (lanes16)(v < limit);
        uint64_t any[2];
        memcpy(any, &pass, sizeof any);
        if (!(any[0] | any[1])) continue;
        for (uint32_t l = 0; l < LANES && e + l < count; l++) {
            if (!pass[l]) continue;
            size_t i = (size_t)start + e + l;
            if (t) __builtin_prefetch(tb->ids + 3 * i);
            c->pos[c->n] = (uint32_t)i;
            c->t[c->n++] = (uint8_t)t;
            /* A bucket of near-duplicates can pass many at once: verify as
             * the candidates fill up, never past their room. */
            if (c->n == CAND_MAX) verify(s, c, qy);
        }
    }
}

/* Looks up a batch of buckets, of all tables, in sweeps — directory, entry
 * lists, hashes — prefetching each sweep's targets in the one before, so a
 * batch costs about one memory latency per sweep rather than per bucket.
 * In the fast layout the entry lists carry the other half of each entry's
 * word: entries whose word is already too far are dropped there, without
 * reading their position or hash (nearly all of them, in a big segment). */
HOT static void probe_batch(const segment *s, const probe *pr, int np, query *qy)
{
    uint32_t start[BATCH], count[BATCH];
    candidates c;
    c.n = 0;
    for (int k = 0; k < np; k++) {
        const table *tb = &s->t[pr[k].t];
        uint32_t b = pr[k].bucket;
        __builtin_prefetch(&tb->cnt[b]);
        __builtin_prefetch(&tb->base[b / BLOCK]);
    }
    for (int k = 0; k < np; k++) {
        const table *tb = &s->t[pr[k].t];
        bucket_range_wide(tb, pr[k].bucket, &start[k], &count[k]);
        if (!count[k]) continue;
        __builtin_prefetch(&tb->other[start[k]]);
        __builtin_prefetch(&tb->other[start[k] + count[k] - 1]);
    }
    for (int k = 0; k < np; k++) {
        int t = pr[k].t;
        filter_wide(s, &s->t[t], start[k], count[k], qy->qo[t], pr[k].room, t, &c, qy);
    }
    verify(s, &c, qy);
}

/* --- queries on the compact layout ---------------------------------------- */

/* Whether table u of a compact segment finds x: T0 when word 0 is within
 * its radius, T1 when the bucket and residual bits of word 1 are, a part
 * table when its bucket bits are. The filters below apply exactly this
 * test. */
static inline int compact_finds(const segment *s, int u, const gn_pdq_hash *x, const query *qy)
{
    int r = qy->rc[u];
    if (r < 0) return 0;
    if (u >= 2) return __builtin_popcount(part_key(x, u - 2, s->h2) ^ qy->qb[u]) <= r;
    int kd = __builtin_popcount(bucket_of(x, u, s->h) ^ qy->qb[u]);
    if (kd > r) return 0;
    if (u == 0) return __builtin_popcount(word32(x, 0) ^ word32(qy->q, 0)) <= r;
    return kd + __builtin_popcount(residual(x, 1, s->h) ^ qy->qres[1]) <= r;
}

/* Candidates wait in a ring until VERIFY_LAG more have been found, so the
 * row each one's check reads has had the time to arrive. */
#define VERIFY_LAG 16
#define CRING 32 /* a power of two above VERIFY_LAG */

typedef struct cring {
    uint32_t pos[CRING];
    uint8_t t[CRING];
    uint32_t in, out;
} cring;

/* A candidate's row: words 1-7 first (nearly every non-match is too far
 * there), then word 0's low half, then its top half (found from the
 * position, see compact_bucket_at) only for the few still within the
 * distance, that is nearly only the matches. */
HOT static void verify_row(const segment *s, uint32_t pos, int t, query *qy)
{
    const gn_pdq_hash *q = qy->q;
    const uint32_t *r = s->rows + ROW_WORDS * (size_t)pos;
    uint64_t w1, w2, w3;
    memcpy(&w1, r + 1, 8);
    memcpy(&w2, r + 3, 8);
    memcpy(&w3, r + 5, 8);
    int d = __builtin_popcount(r[0] ^ (uint32_t)(q->w[0] >> 32)) +
            __builtin_popcountll(w1 ^ q->w[1]) + __builtin_popcountll(w2 ^ q->w[2]) +
            __builtin_popcountll(w3 ^ q->w[3]);
    if (__builtin_expect(d > qy->d, 1)) return;
    d += __builtin_popcount((uint32_t)(s->lo[pos] ^ (uint16_t)q->w[0]));
    if (d > qy->d) return;
    gn_pdq_hash x;
    compact_hash(s, pos, compact_bucket_at(s, pos), &x);
    d = distance(q, &x);
    if (d > qy->d) return;
    for (int u = 0; u < t; u++)
        if (compact_finds(s, u, &x, qy)) return;
    emit(qy, r[7], d);
}

static inline __attribute__((always_inline)) void add_compact(const segment *s, cring *c,
                                                              uint32_t pos, int t, query *qy)
{
    __builtin_prefetch(s->rows + ROW_WORDS * (size_t)pos);
    c->pos[c->in % CRING] = pos;
    c->t[c->in % CRING] = (uint8_t)t;
    if (++c->in - c->out > VERIFY_LAG) {
        verify_row(s, c->pos[c->out % CRING], c->t[c->out % CRING], qy);
        c->out++;
    }
}

/* Appends the entries of a word table's bucket [start, start + count)
 * whose residual (table 0: the rest of word 0) is within room bits of the
 * query's to c. */
static inline __attribute__((always_inline)) void filter_compact(const segment *s, int t,
                                                                 uint32_t start, uint32_t count,
                                                                 int room, cring *c, query *qy)
{
    if (t == 0) {
        const uint32_t mask = (1u << (32 - s->h)) - 1, q = (uint16_t)qy->q->w[0] & mask;
        for (uint32_t i = start; i < start + count; i++)
            if (__builtin_popcount((s->lo[i] & mask) ^ q) <= room) add_compact(s, c, i, 0, qy);
        return;
    }
    const uint8_t *res = s->t[t].run + 4 * (size_t)start, *ids = res + count;
    const uint32_t q = qy->qres[t];
    for (uint32_t i = 0; i < count; i++)
        if (__builtin_popcount(res[i] ^ q) <= room) add_compact(s, c, id_at(ids, i), t, qy);
}

#ifdef GN_MIH_X86
/* The same, sixteen entries of table 0 or 64 of table 1 at a time (AVX-512
 * with its popcounts). */
__attribute__((target("avx512f,avx512vl,avx512bw,avx512vpopcntdq,avx512bitalg"))) static void
filter_compact_avx512(const segment *s, int t, uint32_t start, uint32_t count, int room, cring *c,
                      query *qy)
{
    const __m512i limit = _mm512_set1_epi32(room);
    if (t == 0) {
        const uint32_t mask = (1u << (32 - s->h)) - 1;
        const __m512i q = _mm512_set1_epi32((int)((uint16_t)qy->q->w[0] & mask)),
                      m = _mm512_set1_epi32((int)mask);
        for (uint32_t e = 0; e < count; e += 16) {
            __mmask16 in = count - e >= 16 ? 0xFFFF : (__mmask16)((1u << (count - e)) - 1);
            __m512i v = _mm512_cvtepu16_epi32(_mm256_maskz_loadu_epi16(in, s->lo + start + e));
            __m512i pc = _mm512_popcnt_epi32(_mm512_and_si512(_mm512_xor_si512(v, q), m));
            uint32_t pass = _mm512_mask_cmple_epu32_mask(in, pc, limit);
            for (; pass; pass &= pass - 1)
                add_compact(s, c, start + e + (uint32_t)__builtin_ctz(pass), 0, qy);
        }
        return;
    }
    const uint8_t *res = s->t[t].run + 4 * (size_t)start, *ids = res + count;
    const __m512i q = _mm512_set1_epi8((char)qy->qres[t]), limit8 = _mm512_set1_epi8((char)room);
    for (uint32_t e = 0; e < count; e += 64) {
        __mmask64 in = count - e >= 64 ? ~(__mmask64)0 : ((__mmask64)1 << (count - e)) - 1;
        __m512i pc = _mm512_popcnt_epi8(_mm512_xor_si512(_mm512_maskz_loadu_epi8(in, res + e), q));
        uint64_t pass = _mm512_mask_cmple_epu8_mask(in, pc, limit8);
        for (; pass; pass &= pass - 1)
            add_compact(s, c, id_at(ids, e + (uint32_t)__builtin_ctzll(pass)), t, qy);
    }
}
#endif

/* The compact layout's probes go through three stages, a few probes apart:
 * probe j's directory line is fetched while probe j - RANGE_LAG's bucket
 * range is read (and its entries fetched) and probe j - FILTER_LAG's
 * entries are filtered (word tables) or taken (part tables), each taken
 * entry's row being fetched VERIFY_LAG candidates before it is checked.
 * Each fetch has the work of a dozen probes to arrive in, and fetches and
 * work are interleaved evenly (bursts of a whole batch of fetches would
 * stall on the CPU's few outstanding misses, and the work after them would
 * wait with the memory idle). */
#define RANGE_LAG 12
#define FILTER_LAG 24
#define RING 32 /* a power of two above FILTER_LAG */

typedef struct pipeline {
    probe pr[RING];
    uint32_t start[RING], count[RING];
    uint32_t n; /* probes pushed so far */
    cring c;
} pipeline;

static inline __attribute__((always_inline)) void stage_directory(const segment *s, const probe *pr)
{
    const table *tb = &s->t[pr->t];
    uint32_t b = pr->bucket;
    if (pr->t >= 2) {
        __builtin_prefetch(tb->lines + 64 * (size_t)(b / LINE_BUCKETS));
        return;
    }
    __builtin_prefetch(&tb->cnt[b]);
    __builtin_prefetch(&tb->base[b / BLOCK]);
}

static inline __attribute__((always_inline)) void stage_range(const segment *s, const probe *pr,
                                                              uint32_t *start, uint32_t *count)
{
    const table *tb = &s->t[pr->t];
    if (pr->t >= 2) {
        line_range(tb, pr->bucket, start, count);
        if (!*count) return;
        __builtin_prefetch(tb->ids + 3 * (size_t)*start);
        __builtin_prefetch(tb->ids + 3 * ((size_t)*start + *count) - 1);
        return;
    }
    bucket_range_wide(tb, pr->bucket, start, count);
    if (!*count) return;
    if (pr->t) {
        __builtin_prefetch(tb->run + 4 * (size_t)*start);
        __builtin_prefetch(tb->run + 4 * (size_t)*start + *count - 1);
    } else {
        __builtin_prefetch(s->lo + *start);
        __builtin_prefetch(s->lo + *start + *count - 1);
    }
}

static inline __attribute__((always_inline)) void
stage_filter(const segment *s, const probe *pr, uint32_t start, uint32_t count, cring *c, query *qy)
{
    if (!count) return;
    if (pr->t >= 2) {
        const uint8_t *ids = s->t[pr->t].ids + 3 * (size_t)start;
        for (uint32_t i = 0; i < count; i++) {
            uint32_t pos;
            memcpy(&pos, ids + 3 * i, sizeof pos); /* the entries are padded */
            add_compact(s, c, pos & 0xFFFFFF, pr->t, qy);
        }
        return;
    }
#ifdef GN_MIH_X86
    if (qy->isa >= GN_MIH_ISA_AVX512) {
        filter_compact_avx512(s, pr->t, start, count, pr->room, c, qy);
        return;
    }
#endif
    filter_compact(s, pr->t, start, count, pr->room, c, qy);
}

/* Pushes probe p->n (already in its slot) through the stages due. */
static inline __attribute__((always_inline)) void pipeline_push(const segment *s, pipeline *p,
                                                                query *qy)
{
    uint32_t j = p->n++;
    stage_directory(s, &p->pr[j % RING]);
    if (j >= RANGE_LAG) {
        uint32_t k = (j - RANGE_LAG) % RING;
        stage_range(s, &p->pr[k], &p->start[k], &p->count[k]);
    }
    if (j >= FILTER_LAG) {
        uint32_t k = (j - FILTER_LAG) % RING;
        stage_filter(s, &p->pr[k], p->start[k], p->count[k], &p->c, qy);
    }
}

HOT static void probe_segment_compact(const segment *s, query *qy)
{
    pipeline pipe, *p = &pipe;
    p->n = 0;
    p->c.in = p->c.out = 0;
    for (int t = 0; t < CTABLES && !qy->failed; t++) {
        if (qy->rc[t] < 0) continue;
        int h = t < 2 ? s->h : s->h2, r = qy->rc[t] < h ? qy->rc[t] : h;
        for (int w = 0; w <= r; w++) {
            uint64_t x = w ? ((uint64_t)1 << w) - 1 : 0, limit = (uint64_t)1 << h;
            for (;;) {
                p->pr[p->n % RING] =
                    (probe){qy->qb[t] ^ (uint32_t)x, (uint8_t)t, (int8_t)(qy->rc[t] - w)};
                pipeline_push(s, p, qy);
                if (w == 0) break;
                uint64_t low = x & -x, ripple = x + low;
                x = ((ripple ^ x) >> 2 >> __builtin_ctzll(low)) | ripple;
                if (x >= limit) break;
            }
        }
    }
    /* The last probes' later stages, then the last candidates. */
    uint32_t n = p->n;
    for (uint32_t j = n > RANGE_LAG ? n - RANGE_LAG : 0; j < n; j++)
        stage_range(s, &p->pr[j % RING], &p->start[j % RING], &p->count[j % RING]);
    for (uint32_t j = n > FILTER_LAG ? n - FILTER_LAG : 0; j < n; j++)
        stage_filter(s, &p->pr[j % RING], p->start[j % RING], p->count[j % RING], &p->c, qy);
    for (; p->c.out != p->c.in; p->c.out++)
        verify_row(s, p->c.pos[p->c.out % CRING], p->c.t[p->c.out % CRING], qy);
}

/* A whole compact segment, in order (small segments, large distances). */
HOT static void scan_compact(const segment *s, query *qy)
{
    uint32_t b = 0, start, count;
    if (s->n == 0) return;
    bucket_range_wide(&s->t[0], 0, &start, &count);
    for (uint32_t i = 0; i < s->n; i++) {
        while (i >= start + count)
            bucket_range_wide(&s->t[0], ++b, &start, &count);
        gn_pdq_hash x;
        compact_hash(s, i, b, &x);
        int d = distance(qy->q, &x);
        if (d <= qy->d) emit(qy, s->rows[ROW_WORDS * (size_t)i + 7], d);
    }
}

/* Every h-bit mask of weight 0..r of every probed table, in batches
 * (Gosper's next-combination). */
static void probe_segment(const segment *s, const int *radius, int ntables, query *qy)
{
    probe pr[BATCH];
    int np = 0, h = s->h;
    for (int t = 0; t < ntables && !qy->failed; t++) {
        if (radius[t] < 0) continue;
        int r = radius[t] < h ? radius[t] : h;
        for (int w = 0; w <= r; w++) {
            uint64_t x = w ? ((uint64_t)1 << w) - 1 : 0, limit = (uint64_t)1 << h;
            int room = qy->r[t >> 1] - w;
            for (;;) {
                pr[np++] = (probe){qy->qb[t] ^ (uint32_t)x, (uint8_t)t, (int8_t)room};
                if (np == BATCH) {
                    probe_batch(s, pr, np, qy);
                    np = 0;
                }
                if (w == 0) break;
                uint64_t low = x & -x, ripple = x + low;
                x = ((ripple ^ x) >> 2 >> __builtin_ctzll(low)) | ripple;
                if (x >= limit) break;
            }
        }
    }
    if (np) probe_batch(s, pr, np, qy);
}

/* Number of h-bit masks of weight <= r. */
static double ball(int h, int r)
{
    double sum = 0, c = 1;
    for (int w = 0; w <= r && w <= h; w++) {
        sum += c;
        c = c * (h - w) / (w + 1);
    }
    return sum;
}

/* --- queries on the small layout ------------------------------------------ */

/* Whether byte table j finds x: x's byte j equals the query's, its byte j+1
 * differs by at most one bit and bytes j+1 and j+2 by at most two (the
 * cycle lemma's bounds). The filter below applies exactly this test. */
static inline int small_finds(int j, const gn_pdq_hash *x, const query *qy)
{
    uint32_t next = next16(x, j) ^ next16(qy->q, j);
    int e12 = __builtin_popcount(next);
    return byte8(x, j) == byte8(qy->q, j) && __builtin_popcount(next & 0xFF) <= 1 && e12 <= 2 &&
           later_bytes_pass(later_bytes(x, j) ^ later_bytes(qy->q, j), e12);
}

/* As verify, for the small layout: candidates hold entry indices. Their
 * position words (fetched by the filter as it finds them, so the misses
 * overlap the filtering) are held to the later bytes' bounds (most fail
 * there), then the hashes of the rest are fetched together and checked. */
HOT static void verify_small(const segment *s, candidates *c, query *qy)
{
    int kept = 0;
    for (int k = 0; k < c->n; k++) {
        int j = c->t[k];
        uint32_t i = c->pos[k], word = s->pos[i];
        int e12 = __builtin_popcount((uint32_t)(s->next[i] ^ next16(qy->q, j)));
        if (!later_bytes_pass(word ^ later_bytes(qy->q, j), e12)) continue;
        c->pos[kept] = word & SMALL_POS_MASK;
        c->t[kept++] = (uint8_t)j;
        __builtin_prefetch(&s->hashes[word & SMALL_POS_MASK]);
    }
    for (int k = 0; k < kept; k++) {
        const gn_pdq_hash *x = &s->hashes[c->pos[k]];
        int d = distance(qy->q, x);
        if (d > qy->d) continue;
        int seen = 0, j = c->t[k];
        for (int u = 0; u < j && !seen; u++)
            seen = small_finds(u, x, qy);
        if (!seen) emit(qy, s->payloads[c->pos[k]], d);
    }
    c->n = 0;
}

typedef uint16_t next_lanes __attribute__((vector_size(2 * NEXT_LANES)));

static inline void prefetch_run(const uint16_t *next, uint32_t from, uint32_t to)
{
    for (uint32_t e = from & ~31u; e < to; e += 32)
        __builtin_prefetch(next + e);
}

/* Runs are fetched whole this many runs before they are read: they are too
 * short for the hardware prefetcher to get going. */
#define PREFETCH_RUNS 4

/* Appends the entries of byte table j's run [from[j], to[j]), for every j,
 * whose following bytes are within the bounds of the query's to c:
 * clearing the lowest set bit once leaves nothing only of a byte with at
 * most one bit set, twice of two bytes with at most two. Three versions,
 * the same test: portable vectors of NEXT_LANES (the fallback), AVX2 with
 * a byte mask of the lanes that pass, and AVX-512BW, 32 lanes a compare
 * straight into a mask register. gn_mih_query picks one at run time. */
static void filter_runs(const segment *s, const uint32_t *from, const uint32_t *to, candidates *c,
                        query *qy)
{
    const next_lanes zero = (next_lanes){0};
    for (int j = 0; j < BYTE_TABLES && !qy->failed; j++) {
        if (j + PREFETCH_RUNS < BYTE_TABLES)
            prefetch_run(s->next, from[j + PREFETCH_RUNS], to[j + PREFETCH_RUNS]);
        next_lanes q = (next_lanes){0} + next16(qy->q, j);
        for (uint32_t e = from[j]; e < to[j]; e += NEXT_LANES) {
            next_lanes v, low, both;
            memcpy(&v, s->next + e, sizeof v);
            v ^= q;
            low = v & 0xFF;
            low &= low - 1;
            both = v & (v - 1);
            both &= both - 1;
            next_lanes pass = (next_lanes)((low | both) == zero);
            uint64_t any[NEXT_LANES / 4];
            memcpy(any, &pass, sizeof any);
            if (!(any[0] | any[1] | any[2] | any[3])) continue;
            for (uint32_t l = 0; l < NEXT_LANES && e + l < to[j]; l++) {
                if (!pass[l]) continue;
                c->pos[c->n] = e + l;
                __builtin_prefetch(&s->pos[e + l]);
                c->t[c->n++] = (uint8_t)j;
                if (c->n == CAND_MAX) verify_small(s, c, qy);
            }
        }
    }
}

#ifdef GN_MIH_X86
__attribute__((target("avx2,bmi"))) static void filter_runs_avx2(const segment *s,
                                                                 const uint32_t *from,
                                                                 const uint32_t *to, candidates *c,
                                                                 query *qy)
{
    const __m256i lowbyte = _mm256_set1_epi16(0xFF), one = _mm256_set1_epi16(1),
                  zero = _mm256_setzero_si256();
    for (int j = 0; j < BYTE_TABLES && !qy->failed; j++) {
        if (j + PREFETCH_RUNS < BYTE_TABLES)
            prefetch_run(s->next, from[j + PREFETCH_RUNS], to[j + PREFETCH_RUNS]);
        const __m256i q = _mm256_set1_epi16((short)next16(qy->q, j));
        for (uint32_t e = from[j]; e < to[j]; e += 16) {
            __m256i v = _mm256_xor_si256(_mm256_loadu_si256((const void *)(s->next + e)), q);
            __m256i low = _mm256_and_si256(v, lowbyte);
            __m256i rest = _mm256_and_si256(v, _mm256_sub_epi16(v, one));
            __m256i bad = _mm256_or_si256(_mm256_and_si256(low, _mm256_sub_epi16(low, one)),
                                          _mm256_and_si256(rest, _mm256_sub_epi16(rest, one)));
            /* Two mask bits per lane that passes. */
            uint32_t pass = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi16(bad, zero));
            if (__builtin_expect(!pass, 1)) continue;
            if (to[j] - e < 16) pass &= (1u << 2 * (to[j] - e)) - 1;
            for (; pass; pass &= pass - 1, pass &= pass - 1) {
                c->pos[c->n] = e + (uint32_t)__builtin_ctz(pass) / 2;
                __builtin_prefetch(&s->pos[c->pos[c->n]]);
                c->t[c->n++] = (uint8_t)j;
                if (c->n == CAND_MAX) verify_small(s, c, qy);
            }
        }
    }
}

__attribute__((target("avx512f,avx512bw,bmi"))) static void
filter_runs_avx512(const segment *s, const uint32_t *from, const uint32_t *to, candidates *c,
                   query *qy)
{
    const __m512i lowbyte = _mm512_set1_epi16(0xFF), one = _mm512_set1_epi16(1);
    for (int j = 0; j < BYTE_TABLES && !qy->failed; j++) {
        if (j + PREFETCH_RUNS < BYTE_TABLES)
            prefetch_run(s->next, from[j + PREFETCH_RUNS], to[j + PREFETCH_RUNS]);
        const __m512i q = _mm512_set1_epi16((short)next16(qy->q, j));
        for (uint32_t e = from[j]; e < to[j]; e += 32) {
            __m512i v = _mm512_xor_si512(_mm512_loadu_si512(s->next + e), q);
            __m512i low = _mm512_and_si512(v, lowbyte);
            __m512i rest = _mm512_and_si512(v, _mm512_sub_epi16(v, one));
            __mmask32 pass = _mm512_testn_epi16_mask(low, _mm512_sub_epi16(low, one));
            pass = _mm512_mask_testn_epi16_mask(pass, rest, _mm512_sub_epi16(rest, one));
            if (__builtin_expect(!pass, 1)) continue;
            uint32_t lanes = (uint32_t)pass;
            if (to[j] - e < 32) lanes &= (1u << (to[j] - e)) - 1;
            for (; lanes; lanes &= lanes - 1) {
                c->pos[c->n] = e + (uint32_t)__builtin_ctz(lanes);
                __builtin_prefetch(&s->pos[c->pos[c->n]]);
                c->t[c->n++] = (uint8_t)j;
                if (c->n == CAND_MAX) verify_small(s, c, qy);
            }
        }
    }
}
#endif

typedef void filter_fn(const segment *, const uint32_t *, const uint32_t *, candidates *, query *);

/* The widest filter this CPU runs (libgcc has read its features by the time
 * main runs); tests force the others. */
static filter_fn *pick_filter(int isa)
{
#ifdef GN_MIH_X86
    if (isa >= GN_MIH_ISA_AVX512 && __builtin_cpu_supports("avx512bw")) return filter_runs_avx512;
    if (isa >= GN_MIH_ISA_AVX2 && __builtin_cpu_supports("avx2")) return filter_runs_avx2;
#endif
    return filter_runs;
}

static void query_small(const segment *s, query *qy)
{
    /* One bucket per table, n / 256 entries on average. */
    if (qy->d > SMALL_DISTANCE_MAX ||
        (!qy->always_probe &&
         BYTE_TABLES * (PROBE_COST_SMALL + ENTRY_COST_SMALL * s->n / 256.0) >= (double)s->n)) {
        scan(s->hashes, s->payloads, s->n, qy);
        return;
    }
    /* The buckets' bounds first (their misses overlap); then each run of
     * entries is fetched whole PREFETCH_RUNS runs before it is read. */
    uint32_t from[BYTE_TABLES], to[BYTE_TABLES];
    for (int j = 0; j < BYTE_TABLES; j++)
        __builtin_prefetch(&s->span[j][byte8(qy->q, j)]);
    for (int j = 0; j < BYTE_TABLES; j++) {
        struct span run = s->span[j][byte8(qy->q, j)];
        from[j] = run.from;
        to[j] = run.to;
    }
    for (int j = 0; j < PREFETCH_RUNS; j++)
        prefetch_run(s->next, from[j], to[j]);
    candidates c;
    c.n = 0;
    qy->filter(s, from, to, &c, qy);
    verify_small(s, &c, qy);
}

/* A compact segment: probed, unless reading it whole costs less (every
 * probe costs a couple of hashes' scanning, every entry of a part table's
 * probed buckets about one). */
static void query_compact(const segment *s, query *qy)
{
    double probes = 0, rows = 0;
    for (int t = 0; t < CTABLES; t++) {
        if (qy->rc[t] < 0) continue;
        double b = ball(t < 2 ? s->h : s->h2, qy->rc[t]);
        probes += b;
        if (t >= 2) rows += b * s->n / (double)(1u << s->h2);
    }
    if (!qy->always_probe && probes * PROBE_COST_COMPACT + rows >= s->n) {
        scan_compact(s, qy);
        return;
    }
    for (int t = 0; t < 2; t++)
        qy->qb[t] = bucket_of(qy->q, t, s->h);
    qy->qres[1] = residual(qy->q, 1, s->h);
    for (int j = 0; j < PARTS; j++)
        qy->qb[2 + j] = part_key(qy->q, j, s->h2);
    probe_segment_compact(s, qy);
}

static void query_segment(const segment *s, query *qy)
{
    if (s->span) {
        query_small(s, qy);
        return;
    }
    if (!s->wide) {
        query_compact(s, qy);
        return;
    }
    double probes = 0;
    for (int t = 0; t < WIDE_TABLES; t++)
        if (qy->s[t] >= 0) probes += ball(s->h, qy->s[t]);
    if (!qy->always_probe && probes * PROBE_COST_WIDE >= s->n) {
        scan(s->hashes, s->payloads, s->n, qy);
        return;
    }
    for (int t = 0; t < WIDE_TABLES; t++) {
        qy->qb[t] = wide_bucket(qy->q, t, s->h);
        qy->qo[t] = half16(qy->q, t ^ 1);
    }
    probe_segment(s, qy->s, WIDE_TABLES, qy);
}

/* The compact layout's filter: AVX-512 with its popcount where the CPU has
 * it and the index allows it, else portable code. */
static int compact_isa(int isa)
{
#ifdef GN_MIH_X86
    if (isa >= GN_MIH_ISA_AVX512 && __builtin_cpu_supports("avx512vpopcntdq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("avx512bitalg"))
        return GN_MIH_ISA_AVX512;
#endif
    return isa < GN_MIH_ISA_AVX512 ? isa : GN_MIH_ISA_AVX2;
}

static int by_distance(const void *a, const void *b)
{
    const gn_mih_match *x = a, *y = b;
    if (x->distance != y->distance) return x->distance < y->distance ? -1 : 1;
    return (x->payload > y->payload) - (x->payload < y->payload);
}

int gn_mih_query(const gn_mih *m, const gn_pdq_hash *q, int max_distance, gn_mih_results *res,
                 gn_error *err)
{
    if (max_distance < 0 || max_distance > GN_PDQ_BITS)
        return gn_fail(err, GN_EINPUT, "hash index: distance %d is outside 0..256", max_distance);
    query qy = {.q = q,
                .d = max_distance,
                .always_probe = m->always_probe,
                .filter = pick_filter(m->isa),
                .isa = compact_isa(m->isa),
                .res = res};
    /* Radii with sum(r + 1) = d + 1, as even as possible: the cost of a
     * probe grows steeply with its radius. */
    int total = max_distance + 1;
    for (int t = 0; t < TABLES; t++)
        qy.r[t] = total / TABLES - 1 + (t < total % TABLES);
    /* A word within r has a half within r / 2 (the halves' radii plus one
     * add up to r + 1 again), so the fast layout probes those and drops
     * candidates whose word is beyond r. */
    for (int t = 0; t < TABLES; t++) {
        qy.s[2 * t] = (qy.r[t] + 2) / 2 - 1;
        qy.s[2 * t + 1] = (qy.r[t] + 1) / 2 - 1;
    }
    /* The compact layout's ten tables the same way, words 0 and 1 first:
     * at d = 31 radius 3 for them and 2 for the eight parts. */
    for (int t = 0; t < CTABLES; t++)
        qy.rc[t] = total / CTABLES - 1 + (t < total % CTABLES);
    size_t first = res->count;
    for (size_t i = 0; i < m->nseg && !qy.failed; i++)
        query_segment(m->seg[i], &qy);
    if (!qy.failed) scan(m->tail, m->tail_payloads, m->ntail, &qy);
    if (qy.failed) return gn_fail(err, GN_ENOMEM, "hash index: out of memory for query results");
    if (res->count - first > 1)
        qsort(res->items + first, res->count - first, sizeof *res->items, by_distance);
    return 0;
}

void gn_mih_always_probe(gn_mih *m, int on)
{
    m->always_probe = on;
}

void gn_mih_set_isa(gn_mih *m, int isa)
{
    m->isa = isa;
}

void gn_mih_results_free(gn_mih_results *res)
{
    free(res->items);
    res->items = NULL;
    res->count = res->cap = 0;
}

void gn_mih_entries(const gn_mih *m, gn_pdq_hash *hashes, uint32_t *payloads)
{
    gather(m, 0, m->count, hashes, payloads);
}
