/* Reading a listing's condition from its words. Runs on every listing, so the
 * text is read once, byte by byte, into word hashes (folded: lower case,
 * Latin-1 accents dropped, Cyrillic lower-cased), and a phrase is looked up
 * only at a word that begins one (a 4,096-bit filter); Chinese and Japanese
 * phrases, which have no spaces around them, are searched for only in texts
 * that have such letters. The word list is data: config/lexicon/condition.txt. */
#include "detect/condition.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

extern const char gn_condition_lexicon[];

#define IGNORE 0xff    /* a phrase that holds a condition word but says none */
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
    uint8_t kinds[1u << TABLE_BITS];
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

/* A word being read: its folded bytes go into a 64-bit accumulator eight at
 * a time, so that a word costs shifts and one multiplication per 8 bytes. */
typedef struct word {
    uint64_t hash, acc;
    int shift, len;
} word;

static inline void word_byte(word *w, unsigned char c)
{
    w->acc |= (uint64_t)c << w->shift;
    w->len++;
    if ((w->shift += 8) == 64) {
        w->hash = (w->hash ^ w->acc) * 0x9e3779b97f4a7c15ULL;
        w->acc = 0;
        w->shift = 0;
    }
}

static inline uint64_t word_end(word *w)
{
    uint64_t h = mix(w->hash ^ w->acc ^ ((uint64_t)w->len << 56)) | 1;
    w->hash = 0x243f6a8885a308d3ULL;
    w->acc = 0;
    w->shift = w->len = 0;
    return h;
}

/* Reads text into word hashes, calling out for each: the same folding for
 * the word list and for listings. Returns whether the text has letters of
 * scripts written without spaces (lead bytes E3 and above: kana, CJK). */
typedef void (*word_fn)(void *ctx, uint64_t hash);

static int read_words(const char *text, size_t len, word_fn out, void *ctx)
{
    const unsigned char *s = (const unsigned char *)text;
    word w = {0x243f6a8885a308d3ULL, 0, 0, 0};
    int cjk = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            if ((unsigned char)(c - 'a') < 26 || (unsigned char)(c - '0') < 10) {
                word_byte(&w, c);
                continue;
            }
            if ((unsigned char)(c - 'A') < 26) {
                word_byte(&w, c + 32);
                continue;
            }
        } else if (c == 0xc3 && i + 1 < len && (s[i + 1] & 0xc0) == 0x80) {
            const char *f = latin1[s[i + 1] - 0x80];
            i += 2;
            if (*f) {
                for (; *f; f++)
                    word_byte(&w, (unsigned char)*f);
                continue;
            }
        } else if ((c == 0xd0 || c == 0xd1) && i + 1 < len && (s[i + 1] & 0xc0) == 0x80) {
            /* Cyrillic: upper case to lower case (А-П, Р-Я, Ѐ-Џ). */
            unsigned char lead = c, next = s[i + 1];
            i += 2;
            if (lead == 0xd0 && next >= 0x90 && next <= 0x9f)
                next += 0x20;
            else if (lead == 0xd0 && next >= 0xa0 && next <= 0xaf)
                lead = 0xd1, next -= 0x20;
            else if (lead == 0xd0 && next <= 0x8f)
                lead = 0xd1, next += 0x10;
            word_byte(&w, lead);
            word_byte(&w, next);
            continue;
        } else if (c >= 0xc4 && c <= 0xdf && i + 1 < len && (s[i + 1] & 0xc0) == 0x80) {
            /* Other two-byte letters (Latin extended, Greek, ...) as they are. */
            word_byte(&w, c);
            word_byte(&w, s[i + 1]);
            i += 2;
            continue;
        } else {
            /* General punctuation (’ “ – …: E2), kana and CJK (E3 and above),
             * stray or invalid bytes: word breaks. */
            if (c >= 0xe3 && c <= 0xef) cjk = 1;
            i++;
            while (i < len && (s[i] & 0xc0) == 0x80)
                i++;
        }
        if (w.len) out(ctx, word_end(&w));
    }
    if (w.len) out(ctx, word_end(&w));
    return cjk;
}

static int lookup(const gn_condition_words *w, uint64_t key)
{
    uint32_t mask = (1u << TABLE_BITS) - 1;
    for (uint32_t i = (uint32_t)key & mask;; i = (i + 1) & mask) {
        if (w->keys[i] == key) return w->kinds[i];
        if (w->keys[i] == 0) return 0;
    }
}

static int in_filter(const gn_condition_words *w, uint64_t word_hash)
{
    uint32_t bit = (uint32_t)(word_hash >> 40) & ((1u << FILTER_BITS) - 1);
    return (w->filter[bit / 64] >> (bit % 64)) & 1;
}

/* ---------------------------------------------------------------- compiling */

typedef struct phrase_words {
    uint64_t hash[MAX_TOKENS + 1];
    int n;
} phrase_words;

static void collect(void *ctx, uint64_t hash)
{
    phrase_words *p = ctx;
    if (p->n <= MAX_TOKENS) p->hash[p->n] = hash;
    p->n++;
}

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
    phrase_words words = {.n = 0};
    int cjk = read_words(p, n, collect, &words);
    if (cjk) {
        if (w->n_cjk == MAX_CJK)
            return gn_fail(err, GN_ECONFIG, "%s:%d: more than %d phrases in Chinese or Japanese",
                           name, line, MAX_CJK);
        cjk_phrase *c = &w->cjk[w->n_cjk];
        if (!(c->text = malloc(n))) return gn_fail(err, GN_ENOMEM, "out of memory");
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
    uint64_t key = words.hash[0];
    for (int i = 1; i < words.n; i++)
        key = combine(key, words.hash[i]);
    uint32_t mask = (1u << TABLE_BITS) - 1;
    uint32_t i = (uint32_t)key & mask;
    for (; w->keys[i] && w->keys[i] != key; i = (i + 1) & mask)
        ;
    if (w->keys[i] == key) {
        if (w->kinds[i] != kind)
            return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" is listed under two conditions", name,
                           line, (int)n, p);
        return 0;
    }
    if (w->n_phrases + 1 > (1 << (TABLE_BITS - 1)))
        return gn_fail(err, GN_ECONFIG, "%s:%d: more than %d phrases", name, line,
                       1 << (TABLE_BITS - 1));
    w->keys[i] = key;
    w->kinds[i] = (uint8_t)kind;
    w->n_phrases++;
    uint32_t bit = (uint32_t)(words.hash[0] >> 40) & ((1u << FILTER_BITS) - 1);
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
    gn_condition_words *w = calloc(1, sizeof *w);
    if (!w) return gn_fail(err, GN_ENOMEM, "out of memory");
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

typedef struct reader {
    const gn_condition_words *w;
    uint64_t words[TOKEN_BUFFER];
    int n;
    int found; /* the strongest condition said so far */
} reader;

/* Matches phrases from the first word on, longest first, leaving the last
 * words (which may begin a phrase that goes on) unless the text has ended. */
static void match(reader *r, int ended)
{
    const gn_condition_words *w = r->w;
    int limit = ended ? r->n : r->n - (w->max_tokens - 1);
    int i = 0;
    while (i < limit) {
        if (!in_filter(w, r->words[i])) {
            i++;
            continue;
        }
        uint64_t keys[MAX_TOKENS];
        int most = r->n - i < w->max_tokens ? r->n - i : w->max_tokens;
        keys[0] = r->words[i];
        for (int k = 1; k < most; k++)
            keys[k] = combine(keys[k - 1], r->words[i + k]);
        int taken = 1;
        for (int k = most; k >= 1; k--) {
            int kind = lookup(w, keys[k - 1]);
            if (!kind) continue;
            if (kind != IGNORE && kind > r->found) r->found = kind;
            taken = k;
            break;
        }
        i += taken;
    }
    if (i > r->n) i = r->n;
    memmove(r->words, r->words + i, (size_t)(r->n - i) * sizeof r->words[0]);
    r->n -= i;
}

static void next_word(void *ctx, uint64_t hash)
{
    reader *r = ctx;
    r->words[r->n++] = hash;
    if (r->n == TOKEN_BUFFER) match(r, 0);
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
    const char *texts[2] = {title, description};
    size_t lens[2] = {title_len, description_len};
    for (int t = 0; t < 2; t++) {
        if (!texts[t] || lens[t] == 0) continue;
        int cjk = read_words(texts[t], lens[t], next_word, &r);
        match(&r, 1); /* a phrase does not run from the title into the description */
        if (cjk && r.found != GN_CONDITION_FOR_PARTS)
            r.found = read_cjk(w, texts[t], lens[t], r.found);
    }
    return (gn_condition)r.found;
}
