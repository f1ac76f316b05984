/* Reading a listing's condition from its words. Runs on every listing, so the
 * text is read once, byte by byte, into word hashes (folded: lower case,
 * Latin-1 accents dropped, Cyrillic lower-cased), and a phrase is looked up
 * only at a word that begins one (a 4,096-bit filter); Chinese and Japanese
 * phrases, which have no spaces around them, are searched for only in texts
 * that have such letters. The word list is data: config/lexicon/condition.txt. */
#include "detect/condition.h"

#include <stddef.h>
#include <stdint.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

extern const char gn_condition_lexicon[];

#define IGNORE 0x7f    /* a phrase that holds a condition word but says none */
#define PREFIX 0x80    /* flag: the words begin a longer phrase */
#define MAX_TOKENS 8   /* words in a phrase */
#define TABLE_BITS 11  /* phrase table: 2,048 slots, at most half full */
#define FILTER_BITS 12 /* first words of phrases */
#define MAX_CJK 64
#define TOKEN_BUFFER 256

typedef struct cjk_phrase {
    char *text;
    size_t len;
    uint8_t kind;
} cjk_phrase;

struct gn_condition_words {
    uint64_t keys[1u << TABLE_BITS]; /* phrase hash (never 0); 0: empty */
    uint8_t kinds[1u << TABLE_BITS]; /* condition or IGNORE, | PREFIX; 0 | PREFIX: only a prefix */
    uint64_t filter[(1u << FILTER_BITS) / 64];
    int max_tokens;
    int n_phrases;
    cjk_phrase cjk[MAX_CJK];
    int n_cjk;
};

static const char *const names[GN_CONDITION_COUNT] = {"", "new", "used", "refurbished",
                                                      "for_parts"};

const char *gn_condition_name(gn_condition c)
{
    return (unsigned)c < GN_CONDITION_COUNT ? names[c] : "";
}

gn_condition gn_condition_from_name(const char *name)
{
    for (int c = GN_CONDITION_NEW; c < GN_CONDITION_COUNT; c++)
        if (name && strcmp(names[c], name) == 0) return (gn_condition)c;
    return GN_CONDITION_UNKNOWN;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ULL;
    x ^= x >> 33;
    return x;
}

/* The hash of a phrase of several words, from its words' hashes. */
static uint64_t combine(uint64_t phrase, uint64_t word)
{
    return mix(phrase * 0x9e3779b97f4a7c15ULL + word) | 1;
}

/* Latin-1 letters U+00C0..U+00FF (UTF-8 C3 80..BF) without their accents;
 * "" for × and ÷, which are not letters. */
static const char *const latin1[64] = {
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
    "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
    "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};

/* Each byte as a word sees it: an ASCII letter or digit lower-cased, 0 for
 * any other ASCII byte (a word break), 0xff for bytes of longer characters,
 * which read_word's slow path folds or takes as breaks. */
static const unsigned char fold[256] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f,
    0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0x00, 0x00, 0x00, 0x00, 0x00,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* The words of a text are read into a reader, which matches phrases as its
 * buffer fills (the word list itself is read into one with no list). */
typedef struct reader {
    const gn_condition_words *w; /* NULL: only collect the words */
    uint64_t words[TOKEN_BUFFER];
    int n;
    int found;  /* the strongest condition said so far */
    int cjk;    /* the text has letters of scripts written without spaces */
    int window; /* words still kept after one that may begin a phrase */
} reader;

static void match(reader *r, int ended);

/* A word's key, from its folded bytes: up to 8 bytes of ASCII are the key
 * itself (no byte is 0, so it is exact and costs nothing to make); a longer
 * word, or one with other letters, is a hash of its first and last 8 bytes
 * and its length, with the top bit set so that the two kinds never meet.
 * Both readers below make the same key for the same word. */
static inline uint64_t word_key(uint64_t first, uint64_t last, unsigned n, int wide)
{
    if (n <= 8 && !wide) return first;
    return mix(first * 0x9e3779b97f4a7c15ULL ^ last ^ ((uint64_t)n << 1) ^ (uint64_t)wide) |
           (1ULL << 63);
}

static int in_filter(const gn_condition_words *w, uint64_t word);

/* Keeps a word only where a phrase may use it: a word that may begin one and
 * the words after it, as many as the longest phrase has; the list's own
 * words (no list yet) are all kept. */
static inline void add_word(reader *r, uint64_t key)
{
    if (r->w) {
        if (in_filter(r->w, key)) r->window = r->w->max_tokens;
        if (r->window == 0) return;
        r->window--;
    }
    if (r->n == TOKEN_BUFFER) {
        if (!r->w) return;
        match(r, 0);
    }
    r->words[r->n++] = key;
}

#define PUT(c)                                                                                     \
    do {                                                                                           \
        uint64_t c_ = (c);                                                                         \
        if (n < 8) first |= c_ << (8 * n);                                                         \
        last = (last >> 8) | (c_ << 56);                                                           \
        n++;                                                                                       \
    } while (0)

/* Reads text into the reader's words, a byte at a time: the same folding
 * for the word list and for listings that are not plain ASCII. A longer
 * character is folded (Latin-1 letters without accents, Cyrillic
 * lower-cased, other two-byte letters as they are) or, for punctuation (E2),
 * kana and CJK (E3 and above, noted in r->cjk) and invalid bytes, ends the
 * word. */
static void read_words_bytes(reader *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + len;
    while (s < end) {
        unsigned c = fold[*s];
        if (c == 0) {
            s++;
            continue;
        }
        uint64_t first = 0, last = 0;
        unsigned n = 0;
        int wide = 0;
        for (;;) {
            if (c != 0xff) {
                PUT(c);
                s++;
            } else if (s[0] == 0xc3 && s + 1 < end && (s[1] & 0xc0) == 0x80 &&
                       *latin1[s[1] - 0x80]) {
                for (const char *f = latin1[s[1] - 0x80]; *f; f++)
                    PUT((unsigned char)*f);
                s += 2;
            } else if ((s[0] == 0xd0 || s[0] == 0xd1) && s + 1 < end && (s[1] & 0xc0) == 0x80) {
                /* Cyrillic: upper case to lower case (А-П, Р-Я, Ѐ-Џ). */
                unsigned lead = s[0], next = s[1];
                if (lead == 0xd0 && next >= 0x90 && next <= 0x9f)
                    next += 0x20;
                else if (lead == 0xd0 && next >= 0xa0 && next <= 0xaf)
                    lead = 0xd1, next -= 0x20;
                else if (lead == 0xd0 && next <= 0x8f)
                    lead = 0xd1, next += 0x10;
                PUT(lead);
                PUT(next);
                wide = 1;
                s += 2;
            } else if (s[0] >= 0xc4 && s[0] <= 0xdf && s + 1 < end && (s[1] & 0xc0) == 0x80) {
                PUT(s[0]);
                PUT(s[1]);
                wide = 1;
                s += 2;
            } else {
                /* A break: × ÷, punctuation, kana, CJK, a stray byte. */
                if (s[0] >= 0xe3 && s[0] <= 0xef) r->cjk = 1;
                s++;
                while (s < end && (*s & 0xc0) == 0x80)
                    s++;
                break;
            }
            if (s >= end || (c = fold[*s]) == 0) break;
        }
        if (n) add_word(r, word_key(first, n < 8 ? first : last, n, wide));
    }
}

/* 8 bytes of text from p (zeros past end), lower-cased as letters and
 * digits fold (| 0x20 leaves digits as they are). */
static inline uint64_t load8(const unsigned char *p, const unsigned char *end)
{
    uint64_t x = 0;
    if (end - p >= 8)
        memcpy(&x, p, 8); /* one load: the usual case */
    else
        for (unsigned i = 0; p + i < end; i++)
            x |= (uint64_t)p[i] << (8 * i);
    return x | 0x2020202020202020ULL;
}

/* The word [from, to) of plain ASCII text. */
static inline __attribute__((always_inline)) void
emit_ascii(reader *r, const unsigned char *from, const unsigned char *to, const unsigned char *end)
{
    unsigned n = (unsigned)(to - from);
    uint64_t first = load8(from, end);
    first &= ~0ULL >> (8 * (8 - (n < 8 ? n : 8))); /* n >= 1 */
    add_word(r, n <= 8 ? first : word_key(first, load8(to - 8, end), n, 0));
}

/* Plain ASCII text, the usual case, a block at a time: a bit per byte says
 * whether it is a letter or digit (SSE2, 16 bytes a step), words are the
 * runs of set bits, and a word's key is made from at most two loads, with
 * no branch per byte. The text must be plain ASCII (plain_ascii). */
static void read_words_ascii(reader *r, const char *text, size_t len)
{
    const unsigned char *s = (const unsigned char *)text, *end = s + len;
    uint64_t carry = 0;               /* the word running into this block */
    const unsigned char *open = NULL; /* where it began */
    for (size_t base = 0; base < len; base += 64) {
        uint64_t m = 0;
        size_t block = len - base < 64 ? len - base : 64;
#ifdef __SSE2__
        /* The last, short block is read from a copy padded with zeros,
         * which are not letters. */
        unsigned char tail[64];
        const unsigned char *at = s + base;
        if (block < 64) {
            memset(tail, 0, sizeof tail);
            memcpy(tail, at, block);
            at = tail;
        }
        {
            const __m128i a1 = _mm_set1_epi8('a' - 1), z1 = _mm_set1_epi8('z' + 1),
                          d0 = _mm_set1_epi8('0' - 1), d9 = _mm_set1_epi8('9' + 1),
                          lc = _mm_set1_epi8(0x20);
            for (int k = 0; k < 4; k++) {
                __m128i x = _mm_loadu_si128((const __m128i *)(at + 16 * k));
                __m128i l = _mm_or_si128(x, lc);
                __m128i alpha = _mm_and_si128(_mm_cmpgt_epi8(l, a1), _mm_cmpgt_epi8(z1, l));
                __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(x, d0), _mm_cmpgt_epi8(d9, x));
                m |= (uint64_t)(uint16_t)_mm_movemask_epi8(_mm_or_si128(alpha, digit)) << (16 * k);
            }
        }
#else
        {
            for (size_t i = 0; i < block; i++)
                m |= (uint64_t)(fold[s[base + i]] != 0) << i;
        }
#endif
        /* Word starts and ends in this block: a set bit after a clear one,
         * a clear bit after a set one. They alternate: a word left open by
         * the block before ends first, then each start has its end next,
         * but the last start's may be in a block to come. */
        uint64_t starts = m & ~((m << 1) | carry);
        uint64_t ends = ~m & ((m << 1) | carry);
        if (open && ends) {
            emit_ascii(r, open, s + base + __builtin_ctzll(ends), end);
            ends &= ends - 1;
            open = NULL;
        }
        while (starts) {
            const unsigned char *from = s + base + __builtin_ctzll(starts);
            starts &= starts - 1;
            if (!ends) {
                open = from;
                break;
            }
            emit_ascii(r, from, s + base + __builtin_ctzll(ends), end);
            ends &= ends - 1;
        }
        carry = m >> 63;
    }
    if (open) emit_ascii(r, open, end, end); /* a word that ends the text at a block's end */
}

/* Is every byte below 0x80? Eight at a time. */
static int plain_ascii(const char *text, size_t len)
{
    uint64_t any = 0;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t x;
        memcpy(&x, text + i, 8);
        any |= x;
    }
    for (; i < len; i++)
        any |= (unsigned char)text[i];
    return !(any & 0x8080808080808080ULL);
}

static void read_words(reader *r, const char *text, size_t len)
{
    if (plain_ascii(text, len))
        read_words_ascii(r, text, len);
    else
        read_words_bytes(r, text, len);
}

static uint32_t slot_of(uint64_t key)
{
    return (uint32_t)((key * 0x9e3779b97f4a7c15ULL) >> (64 - TABLE_BITS));
}

static int lookup(const gn_condition_words *w, uint64_t key)
{
    uint32_t mask = (1u << TABLE_BITS) - 1;
    for (uint32_t i = slot_of(key);; i = (i + 1) & mask) {
        if (w->keys[i] == key) return w->kinds[i];
        if (w->keys[i] == 0) return 0;
    }
}

static uint32_t filter_bit(uint64_t word)
{
    return (uint32_t)((word * 0xc4ceb9fe1a85ec53ULL) >> (64 - FILTER_BITS));
}

static int in_filter(const gn_condition_words *w, uint64_t word)
{
    uint32_t bit = filter_bit(word);
    return (w->filter[bit / 64] >> (bit % 64)) & 1;
}

/* ---------------------------------------------------------------- compiling */

static int kind_named(const char *name, size_t n)
{
    if (n == 6 && memcmp(name, "ignore", 6) == 0) return IGNORE;
    for (int c = GN_CONDITION_USED; c < GN_CONDITION_COUNT; c++)
        if (strlen(names[c]) == n && memcmp(names[c], name, n) == 0) return c;
    return 0;
}

static int add_phrase(gn_condition_words *w, const char *p, size_t n, int kind, const char *name,
                      int line, gn_error *err)
{
    reader words = {.w = NULL, .n = 0, .found = 0, .cjk = 0};
    read_words(&words, p, n);
    if (words.cjk) {
        if (w->n_cjk == MAX_CJK)
            return gn_fail(err, GN_ECONFIG, "%s:%d: more than %d phrases in Chinese or Japanese",
                           name, line, MAX_CJK);
        cjk_phrase *c = &w->cjk[w->n_cjk];
        c->text = gn_xmalloc(n ? n : 1);
        memcpy(c->text, p, n);
        c->len = n;
        c->kind = (uint8_t)kind;
        w->n_cjk++;
        return 0;
    }
    if (words.n == 0)
        return gn_fail(err, GN_ECONFIG, "%s:%d: a phrase with no letters: \"%.*s\"", name, line,
                       (int)n, p);
    if (words.n > MAX_TOKENS)
        return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" has more than %d words", name, line,
                       (int)n, p, MAX_TOKENS);
    /* The phrase, and each of its first words marked as beginning it, so
     * that a reader goes on to the next word only when some phrase does. */
    uint64_t key = words.words[0];
    for (int k = 1; k <= words.n; k++) {
        if (k > 1) key = combine(key, words.words[k - 1]);
        uint8_t add = k == words.n ? (uint8_t)kind : PREFIX;
        uint32_t mask = (1u << TABLE_BITS) - 1;
        uint32_t i = slot_of(key);
        for (; w->keys[i] && w->keys[i] != key; i = (i + 1) & mask)
            ;
        if (w->keys[i] == key) {
            int had = w->kinds[i] & ~PREFIX;
            if (k == words.n && had && had != kind)
                return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" is listed under two conditions",
                               name, line, (int)n, p);
            w->kinds[i] |= add;
            continue;
        }
        if (w->n_phrases + 1 > (1 << (TABLE_BITS - 1)))
            return gn_fail(err, GN_ECONFIG, "%s:%d: more than %d phrases and their beginnings",
                           name, line, 1 << (TABLE_BITS - 1));
        w->keys[i] = key;
        w->kinds[i] = add;
        w->n_phrases++;
    }
    uint32_t bit = filter_bit(words.words[0]);
    w->filter[bit / 64] |= 1ULL << (bit % 64);
    if (words.n > w->max_tokens) w->max_tokens = words.n;
    return 0;
}

static int parse_line(gn_condition_words *w, const char *line, size_t n, const char *name,
                      int line_no, gn_error *err)
{
    const char *hash = memchr(line, '#', n);
    if (hash) n = (size_t)(hash - line);
    while (n && (line[n - 1] == ' ' || line[n - 1] == '\t' || line[n - 1] == '\r'))
        n--;
    while (n && (*line == ' ' || *line == '\t'))
        line++, n--;
    if (n == 0) return 0;
    const char *colon = memchr(line, ':', n);
    int kind = colon ? kind_named(line, (size_t)(colon - line)) : 0;
    if (!kind)
        return gn_fail(err, GN_ECONFIG,
                       "%s:%d: expected `used|refurbished|for_parts|ignore: phrase, phrase`", name,
                       line_no);
    const char *p = colon + 1, *end = line + n;
    while (p < end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        while (p < stop && (*p == ' ' || *p == '\t'))
            p++;
        const char *q = stop;
        while (q > p && (q[-1] == ' ' || q[-1] == '\t'))
            q--;
        int rc = add_phrase(w, p, (size_t)(q - p), kind, name, line_no, err);
        if (rc) return rc;
        p = stop + 1;
    }
    return 0;
}

int gn_condition_words_new(gn_condition_words **out, const char *text, const char *name,
                           gn_error *err)
{
    *out = NULL;
    gn_condition_words *w = gn_xcalloc(1, sizeof *w);
    int line_no = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        int rc = parse_line(w, line, n, name, ++line_no, err);
        if (rc) {
            gn_condition_words_free(w);
            return rc;
        }
        line += n + (end != NULL);
    }
    *out = w;
    return 0;
}

int gn_condition_words_default(gn_condition_words **out, gn_error *err)
{
    return gn_condition_words_new(out, gn_condition_lexicon, "config/lexicon/condition.txt", err);
}

void gn_condition_words_free(gn_condition_words *w)
{
    if (!w) return;
    for (int i = 0; i < w->n_cjk; i++)
        free(w->cjk[i].text);
    free(w);
}

/* ---------------------------------------------------------------- reading */

/* Matches phrases from the first word on, longest first, leaving the last
 * words (which may begin a phrase that goes on) unless the text has ended. */
static void match(reader *r, int ended)
{
    const gn_condition_words *w = r->w;
    /* A list of Chinese and Japanese phrases only has no word phrases
     * (max_tokens 0): every word may go. */
    int keep = w->max_tokens > 1 ? w->max_tokens - 1 : 0;
    int limit = ended ? r->n : r->n - keep;
    int i = 0;
    while (i < limit) {
        if (!in_filter(w, r->words[i])) {
            i++;
            continue;
        }
        /* The longest phrase from word i: on while the words so far begin one. */
        uint64_t key = r->words[i];
        int v = lookup(w, key), taken = 1, kind = v & ~PREFIX;
        for (int k = 1; (v & PREFIX) && i + k < r->n; k++) {
            key = combine(key, r->words[i + k]);
            v = lookup(w, key);
            if (v & ~PREFIX) kind = v & ~PREFIX, taken = k + 1;
        }
        if (kind && kind != IGNORE && kind > r->found) r->found = kind;
        i += taken;
    }
    if (i > r->n) i = r->n;
    memmove(r->words, r->words + i, (size_t)(r->n - i) * sizeof r->words[0]);
    r->n -= i;
}

/* Is the occurrence at [at, at+len) inside an occurrence of an ignored
 * phrase ("非二手": not second-hand)? */
static int ignored_at(const gn_condition_words *w, const char *text, size_t text_len,
                      const char *at, size_t len)
{
    for (int j = 0; j < w->n_cjk; j++) {
        const cjk_phrase *ig = &w->cjk[j];
        if (ig->kind != IGNORE || ig->len < len) continue;
        const char *from = at - text < (ptrdiff_t)(ig->len - len) ? text : at - (ig->len - len);
        const char *end = at + ig->len;
        if (end > text + text_len) end = text + text_len;
        const char *hit = memmem(from, (size_t)(end - from), ig->text, ig->len);
        if (hit && hit <= at && hit + ig->len >= at + len) return 1;
    }
    return 0;
}

static int read_cjk(const gn_condition_words *w, const char *text, size_t len, int found)
{
    for (int j = 0; j < w->n_cjk; j++) {
        const cjk_phrase *c = &w->cjk[j];
        if (c->kind == IGNORE || c->kind <= found) continue;
        const char *from = text, *end = text + len;
        for (const char *hit; (hit = memmem(from, (size_t)(end - from), c->text, c->len));
             from = hit + 1) {
            if (ignored_at(w, text, len, hit, c->len)) continue;
            found = c->kind;
            break;
        }
    }
    return found;
}

gn_condition gn_condition_read(const gn_condition_words *w, const char *title, size_t title_len,
                               const char *description, size_t description_len)
{
    reader r;
    r.w = w;
    r.n = 0;
    r.found = GN_CONDITION_UNKNOWN;
    r.cjk = 0;
    r.window = 0;
    const char *texts[2] = {title, description};
    size_t lens[2] = {title_len, description_len};
    for (int t = 0; t < 2; t++) {
        if (!texts[t] || lens[t] == 0) continue;
        r.cjk = 0;
        read_words(&r, texts[t], lens[t]);
        match(&r, 1); /* a phrase does not run from the title into the description */
        if (r.cjk && r.found != GN_CONDITION_FOR_PARTS)
            r.found = read_cjk(w, texts[t], lens[t], r.found);
    }
    return (gn_condition)r.found;
}
