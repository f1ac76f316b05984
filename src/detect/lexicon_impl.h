/* The insides of the brand and lingo matcher, shared by its files:
 * lexicon_fold.c (the fold table and the one-pass normaliser), lexicon_misspell.c
 * (the deletion-neighbourhood index and the misspelling pass) and lexicon.c
 * (building, compiling and the scan). Nothing outside src/detect/lexicon*.c
 * includes it; callers use detect/lexicon.h. */
#ifndef GN_DETECT_LEXICON_IMPL_H
#define GN_DETECT_LEXICON_IMPL_H

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/unorm2.h>
#include <unicode/uspoof.h>
#include <unicode/utypes.h>

#include "core/alloc.h"
#include "core/strmap.h"
#include "detect/lexicon.h"

/* ---- the fold table ------------------------------------------------------ */

/* What a code point becomes in the folded text. */
enum {
    FC_WORD,   /* letter or digit of a script that separates words with spaces */
    FC_CJK,    /* letter of a script written without spaces (Han, kana, Hangul, Thai...) */
    FC_SPACE,  /* white space, controls, invalid bytes: one word break */
    FC_PUNCT,  /* kept as written (folded), not part of a word */
    FC_JOINER, /* punctuation dropped when it stands alone between two letters: G-u-c-c-i */
    FC_IGNORE, /* invisible (zero-width, format characters): dropped */
    FC_MARK    /* combining mark: dropped, the letter before it counts as accented */
};

/* Bits of a fold entry, and of each byte of the folded text. */
enum {
    F_WORD = 1,   /* part of a word (boundaries are checked against these) */
    F_CJK = 2,    /* part of a CJK letter (never needs a boundary) */
    F_SOFT = 4,   /* a separator or split was removed just before this byte */
    F_ACC = 8,    /* folded from a letter with diacritics */
    F_LOOK = 16,  /* folded from a look-alike (other script, fullwidth, math...) */
    F_LETTER = 32 /* a letter, not a digit */
};

typedef struct fold_entry {
    uint8_t cls, bits, len;
    char out[5];
} fold_entry;

#define BLOCK_BITS 8
#define N_BLOCKS (0x110000 >> BLOCK_BITS)

/* ---- compiled patterns ---------------------------------------------------- */

enum { PAT_NAME, PAT_LINGO };

typedef struct lex_pattern {
    uint8_t kind, left, right; /* left/right: needs a word boundary there */
    uint32_t len;
    uint32_t ref;  /* index of the name or of the lingo term */
    uint64_t gaps; /* positions where the name itself has a space or separator */
} lex_pattern;

typedef struct lex_name {
    uint32_t brand;
    char *text;
} lex_name;

/* A name as the misspelling index knows it: folded, without spaces. */
typedef struct lex_key {
    char s[64];
    uint8_t len, dist;
    uint8_t split; /* for a two-word name, where its second word starts; else 0 */
    uint32_t name;
    uint64_t gaps;
} lex_key;

typedef struct lex_del {
    uint64_t hash;
    uint32_t key;
} lex_del;

/* Where the entries of one variant hash lie in the sorted array. */
typedef struct del_slot {
    uint64_t hash; /* 0: empty (variant hashes are odd) */
    uint32_t lo, n;
} del_slot;

/* A deletion-neighbourhood index: the hash of every string made by deleting
 * up to d letters of each entry, sorted, found through an open-addressing
 * table, behind a blocked Bloom filter (three bits in one 64-bit word, ~16 bits
 * per hash) that turns ~99% of the probes away in one memory access. */
typedef struct del_index {
    lex_del *v;
    size_t n;
    uint64_t *bloom;
    unsigned bloom_shift;
    del_slot *slots;
    size_t slot_mask;
    uint8_t need[3][72]; /* need[a][L]: a word of L letters must try a deletions */
} del_index;

/* What one folded word matched, kept because listing vocabularies repeat.
 * 32 bytes, so that a set of two ways is one 64-byte cache line. */
typedef struct lex_cached {
    uint64_t hash; /* word_key of the word; 0 when the entry is empty */
    int32_t key;   /* the closest whole name within its distance, or -1 */
    uint8_t dist;
    uint8_t n_parts;
    uint8_t prefix;    /* the word begins some name: worth joining with the next word */
    uint32_t parts[3]; /* two-word names whose first (bit 0 clear) or second word is near */
} lex_cached;

/* Sets of two ways (most recently used first): 32,768 words in 1 MB. A
 * listing's words are mostly a marketplace's common vocabulary, which then
 * costs a hash and one cache line each; two ways keep two frequent words that
 * share a set from evicting each other. */
#define CACHE_SETS 16384

/* In front of it, the keys of words that matched nothing at all (no name, no
 * word of a two-word name, not the start of a name), which is nearly every
 * word: eight keys to a cache line, 8,192 words in 64 KB, a size that stays
 * near the core where the 1 MB cache does not. */
#define QUIET_SETS 1024

/* Bytes normalise keeps free past the folded text: block stores of 16 bytes
 * (and 16 offsets) past a run's end, and zeros that whole-word reads may see. */
#define NORM_SLACK 64

/* The folded text of one listing and where each byte came from. */
typedef struct lex_norm {
    char *txt;
    uint8_t *fl;
    uint32_t *src;
    size_t len, cap;
    int post;         /* a lone letter or CJK stood before a space: norm_join runs */
    size_t post_from; /* where norm_join first has something to change, or SIZE_MAX */
} lex_norm;

/* Folds a stretch of plain text from s[i] a block at a time; returns where it
 * stopped (fold_block_sse2 and the others below). */
typedef size_t fold_block_fn(const unsigned char *s, size_t i, size_t n, struct lex_norm *nb,
                             size_t start);

/* A run of word bytes in the folded text, as the misspelling pass takes it. */
typedef struct lex_token {
    uint32_t ts, te;
    uint64_t key; /* word_key of an ASCII token no soft mark splits, else 0 */
    uint8_t ascii, softs;
} lex_token;

typedef struct lex_hit {
    uint32_t start, end, ref;
    uint8_t pattern_kind, kind;
} lex_hit;

#define MAX_HITS 256

typedef struct lex_lingo {
    const char *term;
    const char *report;
    const char *const *not_next; /* the term does not count before these words */
    const char *const *not_prev; /* nor after these */
    int needs_brand;             /* counts only when a brand name follows closely */
} lex_lingo;

struct gn_lexicon {
    gn_lexicon_options opt;
    /* The lists (lexicon_lists.c): lingo terms in the order written, the
     * clearing words' lists they point into, and the pool of their texts. */
    lex_lingo *lingo;
    size_t n_lingo, cap_lingo;
    const char ***word_lists;
    size_t n_word_lists;
    gn_pool list_pool;
    lex_name *names;
    size_t n_names, cap_names;
    char **common_added;
    size_t n_common_added;
    int dirty;

    fold_entry ascii[128];
    uint8_t ascii_word[256]; /* F_WORD|F_LETTER for ASCII letters, F_WORD for digits, else 0 */
    fold_entry *blocks[N_BLOCKS];
    USpoofChecker *spoof;
    const UNormalizer2 *nfkc_cf, *nfd;

    hs_database_t *db;
    hs_scratch_t *scratch;
    lex_pattern *pats;
    size_t n_pats;
    uint32_t *seen_gen;
    uint8_t *seen_kinds;
    uint32_t gen;

    lex_key *keys;
    size_t n_keys;
    del_index full, parts;
    /* One-word names of four letters or more at two edits, for the words
     * where a listing names its brand (gn_lexicon_near_word). */
    lex_key *head_keys;
    size_t n_head_keys;
    del_index heads;
    uint64_t *names_bloom; /* the names' own hashes (bloom_bits), in front of exact_key */
    unsigned names_bloom_shift;
    uint64_t *prefixes; /* hashes of the names' proper prefixes, sorted */
    size_t n_prefixes;
    uint64_t *common;
    size_t n_common;
    lex_cached *cache;
    uint64_t *quiet;           /* QUIET_SETS lines of 8 word keys; 0 is empty */
    uint32_t quiet_clock;      /* which way of a line the next quiet word replaces */
    fold_block_fn *fold_block; /* pick_fold_block's choice */
    uint64_t pow[72];
    uint64_t peq[256]; /* osa_distance's bits of each letter, zero between calls */

    lex_norm norm, scratch_norm;
    lex_hit hits[MAX_HITS];
    int n_hits;
    lex_hit lingo_wait[32]; /* lingo that needs a brand name after it */
    lex_token *tokens;      /* the misspelling pass's words, kept between scans */
    size_t cap_tokens;
    int n_lingo_wait;
};

/* The per-word cache's set for a word, and its line of quiet words. */
static inline lex_cached *cache_set(gn_lexicon *lx, uint64_t key)
{
    return &lx->cache[2 * ((key >> 40) & (CACHE_SETS - 1))];
}

static inline uint64_t *quiet_line(gn_lexicon *lx, uint64_t key)
{
    return &lx->quiet[8 * ((key >> 20) & (QUIET_SETS - 1))];
}

static inline int boundary_before(const lex_norm *nb, size_t p)
{
    return p == 0 || (nb->fl[p] & F_SOFT) || !(nb->fl[p - 1] & F_WORD);
}

static inline int boundary_after(const lex_norm *nb, size_t p)
{
    return p >= nb->len || (nb->fl[p] & F_SOFT) || !(nb->fl[p] & F_WORD);
}

/* ---- hashing, shared by the index and the scan ---------------------------- */

#define HASH_P 0x100000001b3ULL

static inline uint64_t mix(uint64_t h, size_t len)
{
    h += (uint64_t)len * 0x9E3779B97F4A7C15ULL;
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h | 1;
}

/* Bytes k (1-8) of p as a little-endian number; on little-endian machines one
 * 8-byte load, which may read past the word (normalise leaves slack after the
 * text) but never uses those bytes. */
static inline uint64_t load_word(const char *p, size_t k)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    uint64_t v;
    memcpy(&v, p, 8);
    return k >= 8 ? v : v & ((1ULL << (8 * k)) - 1);
#else
    uint64_t v = 0;
    for (size_t i = 0; i < k && i < 8; i++)
        v |= (uint64_t)(unsigned char)p[i] << (8 * i);
    return v;
#endif
}

/* The per-word cache's key: 8 bytes at a time rather than the polynomial's
 * multiply per byte, since every word of a listing pays it. Odd, so 0 marks
 * an empty cache entry. */
static inline uint64_t word_key(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL * (n + 1);
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        h = (h ^ load_word(s + i, 8)) * 0xff51afd7ed558ccdULL;
        h ^= h >> 32;
    }
    if (i < n) {
        h = (h ^ load_word(s + i, n - i)) * 0xc4ceb9fe1a85ec53ULL;
        h ^= h >> 29;
    }
    h *= 0x9E3779B97F4A7C15ULL;
    h ^= h >> 32;
    return h | 1;
}

/* ---- folded text, shared by the normaliser and the scan ------------------ */

/* Decodes one UTF-8 sequence; returns its length, or 0 when it is invalid. */
static inline int utf8_get(const unsigned char *s, size_t n, UChar32 *cp)
{
    unsigned c = s[0];
    if (c < 0xc2 || c > 0xf4) return 0;
    if (c < 0xe0) {
        if (n < 2 || (s[1] & 0xc0) != 0x80) return 0;
        *cp = (UChar32)(((c & 0x1f) << 6) | (s[1] & 0x3f));
        return 2;
    }
    if (c < 0xf0) {
        if (n < 3 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80) return 0;
        UChar32 v = (UChar32)(((c & 0x0f) << 12) | ((s[1] & 0x3f) << 6) | (s[2] & 0x3f));
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *cp = v;
        return 3;
    }
    if (n < 4 || (s[1] & 0xc0) != 0x80 || (s[2] & 0xc0) != 0x80 || (s[3] & 0xc0) != 0x80) return 0;
    UChar32 v = (UChar32)(((c & 0x07) << 18) | ((s[1] & 0x3f) << 12) | ((s[2] & 0x3f) << 6) |
                          (s[3] & 0x3f));
    if (v < 0x10000 || v > 0x10FFFF) return 0;
    *cp = v;
    return 4;
}

static inline int norm_reserve(lex_norm *nb, size_t extra)
{
    if (nb->len + extra <= nb->cap) return 0;
    size_t cap = nb->cap ? nb->cap : 4096;
    while (cap < nb->len + extra)
        cap *= 2;
    char *t = gn_xrealloc(nb->txt, cap);
    if (t) nb->txt = t;
    uint8_t *f = gn_xrealloc(nb->fl, cap);
    if (f) nb->fl = f;
    uint32_t *s = gn_xrealloc(nb->src, cap * sizeof *s);
    if (s) nb->src = s;
    if (!t || !f || !s) return -1;
    nb->cap = cap;
    return 0;
}

static inline void emit_byte(lex_norm *nb, char c, uint32_t off)
{
    nb->txt[nb->len] = c;
    nb->fl[nb->len] = 0;
    nb->src[nb->len] = off;
    nb->len++;
}

/* Across the lexicon's files (each said where it is defined). */
/* lexicon_fold.c */
void gn_lex_fold_ascii_init(gn_lexicon *lx);
fold_block_fn *gn_lex_pick_fold_block(int isa);
int gn_lex_normalise(gn_lexicon *lx, const char *text, size_t n, lex_norm *nb);
/* lexicon_lists.c: reads the lingo and common-word lists (NULL: the shipped
 * ones) into lx, which must be able to fold; frees them. */
int gn_lex_read_lists(gn_lexicon *lx, const gn_lexicon_lists *lists, gn_error *err);
void gn_lex_lists_free(gn_lexicon *lx);
/* lexicon_misspell.c */
int gn_lex_misspelt_distance(const gn_lexicon *lx, int len);
int gn_lex_build_misspellings(gn_lexicon *lx);
int gn_lex_list_tokens(gn_lexicon *lx, size_t *count);
void gn_lex_find_misspellings(gn_lexicon *lx, size_t nt);

#endif
