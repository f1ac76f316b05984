/* Text signals from what the lexicon found in the title and description:
 * counterfeit lingo, a brand name in look-alike letters or misspelt, and a
 * claimed brand that is not the one the title names. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "detect/detect.h"

static void lingo(const gn_text_findings *t, gn_signals *out)
{
    if (t->n_lingo == 0) return;
    char terms[160] = "";
    for (int i = 0; i < t->n_lingo; i++) {
        size_t used = strlen(terms);
        snprintf(terms + used, sizeof terms - used, "%s\"%s\"", i ? ", " : "", t->lingo[i]);
    }
    gn_signals_add(out, "COUNTERFEIT_LINGO", 1,
                   "the listing uses words that offer copies of branded goods: %s", terms);
}

/* "Ray-Ban" is the name itself, even though it also reads as the alias
 * "RayBan" split by a separator: a span some name matches exactly is exact. */
static int written_exactly(const gn_text_findings *t, const gn_mention *m)
{
    if (strcasecmp(m->as_written, m->name) == 0) return 1;
    for (int i = 0; i < t->n_mentions; i++)
        if (t->mentions[i].kind == GN_MENTION_EXACT && t->mentions[i].brand == m->brand &&
            strcasecmp(t->mentions[i].as_written, m->as_written) == 0)
            return 1;
    return 0;
}

static void disguised_names(const gn_state *st, const gn_text_findings *t, gn_signals *out)
{
    for (int i = 0; i < t->n_mentions; i++) {
        const gn_mention *m = &t->mentions[i];
        const char *where = m->in_title ? "title" : "description";
        double value = m->in_title ? 1 : 0.7;
        if (written_exactly(t, m)) continue;
        if (m->kind == GN_MENTION_LOOKALIKE)
            gn_signals_add(out, "BRAND_LOOKALIKE", value,
                           "the %s writes the brand name %s as \"%s\", with look-alike letters or "
                           "separators",
                           where, st->brands[m->brand].name, m->as_written);
        else if (m->kind == GN_MENTION_MISSPELT)
            gn_signals_add(out, "BRAND_MISSPELT", value,
                           "the %s names \"%s\", a misspelling of the brand %s", where,
                           m->as_written, st->brands[m->brand].name);
    }
}

/* A `brand` field that says there is none ("Unbranded", "Generic", "No
 * brand", in the languages genuine reads) claims no other brand. */
static int claims_no_brand(const char *claimed)
{
    static const char *const none[] = {"unbranded", "generic",      "no brand",  "nobrand",
                                       "none",      "n/a",          "sin marca", "genérico",
                                       "generico",  "ohne marke",   "markenlos", "sans marque",
                                       "générique", "senza marca",  "sem marca", "无品牌",
                                       "无牌",      "ノーブランド", NULL};
    for (const char *const *n = none; *n; n++)
        if (strcasecmp(claimed, *n) == 0) return 1;
    return 0;
}

static void mismatch(const gn_state *st, const gn_listing_facts *f, gn_signals *out)
{
    if (!f->claimed || f->named_brand == GN_NONE || f->claimed_brand == f->named_brand) return;
    if (f->claimed_brand == GN_NONE && claims_no_brand(f->claimed)) return;
    const gn_text_findings *t = f->text;
    if (!t->mentions[0].in_title) return;
    for (int i = 0; i < t->n_mentions; i++) {
        const gn_mention *m = &t->mentions[i];
        if (m->in_title && m->brand == f->claimed_brand)
            return; /* the title names the claimed brand too */
        /* "Sumeit" claimed, "Sumeit Sunglasses": the claim is the title's
         * misspelling of the brand, one name written once; BRAND_MISSPELT says it. */
        if (f->claimed_brand == GN_NONE && m->brand == f->named_brand &&
            strcasecmp(m->as_written, f->claimed) == 0)
            return;
    }
    if (f->claimed_brand == GN_NONE)
        gn_signals_add(out, "BRAND_MISMATCH", 0.6,
                       "the listing claims the brand \"%s\" but its title names %s", f->claimed,
                       st->brands[f->named_brand].name);
    else
        gn_signals_add(out, "BRAND_MISMATCH", 1,
                       "the listing claims the brand %s but its title names %s",
                       st->brands[f->claimed_brand].name, st->brands[f->named_brand].name);
}

void gn_detect_text(const gn_state *st, const gn_listing_facts *f, gn_signals *out)
{
    if (!f->text) return;
    lingo(f->text, out);
    disguised_names(st, f->text, out);
    mismatch(st, f, out);
}

/* ---------------------------------------------------------------- unclaimed names */

/* Words before a brand's name that say the goods are for it, not of it, in
 * the languages genuine reads (one or two words; CJK phrases are read as one
 * word when they stand right before the name). Japanese writes them before
 * the name as "対応機種: X" (models it fits) or "対応 X", and after it too
 * (compatible_after_words). */
static const char *const compatible_strong[] = {"compatible with",
                                                "compatible for",
                                                "compatible",
                                                "replacement for",
                                                "replacement",
                                                "works with",
                                                "work with",
                                                "use with",
                                                "fits",
                                                "fit",
                                                "suitable for",
                                                "designed for",
                                                "kompatibel mit",
                                                "kompatibel",
                                                "passend für",
                                                "geeignet für",
                                                "ersatz für",
                                                "compatible avec",
                                                "adapté à",
                                                "pour",
                                                "compatible con",
                                                "compatible para",
                                                "repuesto para",
                                                "compatibile con",
                                                "adatto a",
                                                "ricambio per",
                                                "compatível com",
                                                "compativel com",
                                                "substituto para",
                                                "适用于",
                                                "兼容",
                                                "适配",
                                                "対応機種",
                                                "対応",
                                                "専用",
                                                NULL};
/* "for X": an accessory for X's goods. Listings that claim X in their
 * `brand` field, name X elsewhere, or write X in look-alike letters keep the
 * mention (see gn_text_drop_unclaimed). */
static const char *const compatible_weak[] = {"for", "für", "para", "per", "用", NULL};

/* The word before position end in text (ASCII lower-cased, other bytes as
 * they are), skipping spaces and a colon; its start is left in *start. */
static size_t word_before(const char *text, const char *end, const char **start, char *out,
                          size_t size)
{
    const char *p = end;
    while (p > text && (p[-1] == ' ' || p[-1] == ':' || p[-1] == '\t'))
        p--;
    const char *stop = p;
    while (p > text && ((unsigned char)p[-1] >= 0x80 || isalnum((unsigned char)p[-1])))
        p--;
    *start = p;
    size_t n = (size_t)(stop - p);
    if (n == 0 || n >= size) return 0;
    for (size_t i = 0; i < n; i++)
        out[i] = (char)tolower((unsigned char)p[i]);
    out[n] = 0;
    return n;
}

static int listed(const char *const *list, const char *phrase)
{
    for (; *list; list++)
        if (strcmp(*list, phrase) == 0) return 1;
    return 0;
}

/* 2: the words before say "compatible with"; 1: "for"; 0: neither. (Both
 * drop the mention; the two lists say which words are which.) */
static int compatible_before(const char *text, const char *at)
{
    char last[24], before[24], both[50];
    const char *start;
    if (!word_before(text, at, &start, last, sizeof last)) return 0;
    if (word_before(text, start, &start, before, sizeof before)) {
        snprintf(both, sizeof both, "%s %s", before, last);
        if (listed(compatible_strong, both)) return 2;
    }
    if (listed(compatible_strong, last)) return 2;
    return listed(compatible_weak, last) ? 1 : 0;
}

/* Words right after a name that say the goods are for it: Japanese writes
 * "Lumen対応" (compatible with Lumen) and "Lumen用" (for Lumen). */
static const char *const compatible_after_words[] = {"対応", "用", "専用", NULL};

static int compatible_after(const char *after, const char *end)
{
    while (after < end && *after == ' ')
        after++;
    for (const char *const *w = compatible_after_words; *w; w++) {
        size_t n = strlen(*w);
        if ((size_t)(end - after) >= n && memcmp(after, *w, n) == 0) return 1;
    }
    return 0;
}

/* Every place the name stands as written, in the title and the
 * description, is after "compatible with", "for" or the like (or before
 * "対応", "用"): 1; anywhere else, or nowhere to be found: 0. */
static int only_compatible(const char *const texts[2], const size_t lens[2], const gn_mention *m)
{
    size_t n = strlen(m->as_written);
    if (n == 0) return 0;
    int seen = 0;
    for (int t = 0; t < 2; t++) {
        const char *text = texts[t];
        if (!text) continue;
        for (const char *from = text, *end = text + lens[t], *at;
             (at = memmem(from, (size_t)(end - from), m->as_written, n)); from = at + 1) {
            if (!compatible_before(text, at) && !compatible_after(at + n, end)) return 0;
            seen = 1;
        }
    }
    return seen;
}

/* The title says the goods have no brand ("No Brand", "Unbranded",
 * "Generic", "Sin marca", "无品牌", ...): a name in it is a word, or a fit. */
static int title_says_no_brand(const char *title)
{
    static const char *const none[] = {"no brand",   "unbranded", "generic",      "sin marca",
                                       "ohne marke", "markenlos", "sans marque",  "senza marca",
                                       "sem marca",  "无品牌",    "ノーブランド", NULL};
    for (const char *const *n = none; *n; n++)
        if (strcasestr(title, *n)) return 1;
    return 0;
}

/* Does the brand sell goods of this category (a reference price for it)?
 * -1 when the brand names no category at all: nothing can be said. */
static int brand_sells(const gn_brand *b, const char *category)
{
    if (b->n_prices == 0) return -1;
    for (int i = 0; i < b->n_prices; i++)
        if (strcasecmp(b->prices[i].category, category) == 0) return 1;
    return 0;
}

static int authorised_for(const gn_brand *b, const char *seller_id)
{
    return seller_id && gn_strmap_find(&b->authorized, seller_id) != NULL;
}

void gn_text_note_brand_words(const gn_state *st, gn_market_words *words, const gn_detect_params *p,
                              const gn_listing_facts *f, uint32_t seller)
{
    if (!(p->word_brand_sellers > 0) || !f->category || !f->text) return;
    /* A new account's word counts for nothing: five throwaway shops naming a
     * brand in a garden category would otherwise unmake the brand. */
    if (f->seller->created_at == INT64_MIN ||
        (double)(f->at - f->seller->created_at) < p->new_account_days * 86400000.0)
        return;
    for (int i = 0; i < f->text->n_mentions; i++) {
        const gn_mention *m = &f->text->mentions[i];
        if (m->kind != GN_MENTION_EXACT || m->brand == f->claimed_brand) continue;
        const gn_brand *b = &st->brands[m->brand];
        if (brand_sells(b, f->category) != 0 || authorised_for(b, f->seller_id)) continue;
        gn_market_words_add(words, gn_market_brand_key(b->id), seller);
    }
}

int gn_text_brand_is_word(const gn_state *st, const gn_market_words *words,
                          const gn_detect_params *p, uint32_t brand)
{
    return words && p->word_brand_sellers > 0 &&
           gn_market_words_sellers(words, gn_market_brand_key(st->brands[brand].id)) >=
               p->word_brand_sellers;
}

int gn_text_drop_unclaimed(const gn_state *st, const gn_market_words *words,
                           const gn_detect_params *p, gn_listing_facts *f, gn_text_findings *t)
{
    int dropped = 0, kept = 0;
    /* A listing that says it has no brand claims none of the names in it. */
    int disclaims = -1;
    const char *texts[2] = {f->title, f->description};
    size_t lens[2] = {0, 0};
    int measured = 0, fits = 0;
    for (int i = 0; i < t->n_mentions; i++) {
        const gn_mention *m = &t->mentions[i];
        int drop = 0;
        if (!measured) {
            for (int k = 0; k < 2; k++)
                lens[k] = texts[k] ? strlen(texts[k]) : 0;
            measured = 1;
        }
        if (m->kind == GN_MENTION_EXACT && m->brand == f->claimed_brand &&
            only_compatible(texts, lens, m)) {
            /* "Watch Strap for Lumen", brand Lumen: the claim names whose
             * goods the accessory fits, not whose goods it is. */
            fits = 1;
            dropped++;
            continue;
        }
        if (m->kind == GN_MENTION_MISSPELT && words && p->common_word_sellers > 0 &&
            gn_market_words_sellers(words, gn_market_word_key(m->as_written)) >=
                p->common_word_sellers)
            drop = 1; /* this marketplace's own word */
        else if (m->kind != GN_MENTION_LOOKALIKE && m->brand != f->claimed_brand) {
            if (disclaims < 0)
                disclaims =
                    (f->claimed && f->claimed_brand == GN_NONE && claims_no_brand(f->claimed)) ||
                    (f->title && title_says_no_brand(f->title));
            if (disclaims) {
                dropped++;
                continue;
            }
            /* The name as written, of a brand this marketplace uses as a
             * word, from a seller the brand has not authorised: a word, unless
             * the listing claims the brand. */
            if (m->kind == GN_MENTION_EXACT && gn_text_brand_is_word(st, words, p, m->brand) &&
                !authorised_for(&st->brands[m->brand], f->seller_id)) {
                dropped++;
                continue;
            }
            drop = only_compatible(texts, lens, m);
        }
        if (drop)
            dropped++;
        else
            t->mentions[kept++] = *m;
    }
    t->n_mentions = kept;
    if (dropped) gn_facts_resolve_brands(f, st);
    if (fits) {
        /* Still named plainly elsewhere ("Lumen strap for Lumen"): its goods. */
        int named = 0;
        for (int i = 0; i < t->n_mentions; i++)
            named |= t->mentions[i].brand == f->claimed_brand;
        if (!named) f->claimed_brand = GN_NONE;
    }
    return dropped;
}

/* ---------------------------------------------------------------- names the seller sells */

/* Optimal string alignment distance of a and b (ASCII, lower-cased
 * already), or limit + 1 once it is past limit. Both at most 31 bytes. */
static int edit_distance(const char *a, int na, const char *b, int nb, int limit)
{
    if (na - nb > limit || nb - na > limit) return limit + 1;
    int d[32][32];
    for (int i = 0; i <= na; i++)
        d[i][0] = i;
    for (int j = 0; j <= nb; j++)
        d[0][j] = j;
    for (int i = 1; i <= na; i++) {
        int row_best = limit + 1;
        for (int j = 1; j <= nb; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = d[i - 1][j - 1] + cost;
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
            if (v < row_best) row_best = v;
        }
        if (row_best > limit) return limit + 1;
    }
    return d[na][nb];
}

/* The brand's name as an ASCII lower-case word (no spaces), or 0. */
static int plain_name(const char *name, char *out, int size)
{
    int n = 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (!isalnum(*p) || n + 1 >= size) return 0;
        out[n++] = (char)tolower(*p);
    }
    out[n] = 0;
    return n;
}

/* Adds a mention of brand as written (n bytes at written); 0 when the
 * findings are full. */
static int add_mention(const gn_state *st, gn_text_findings *t, uint32_t brand,
                       gn_mention_kind kind, int in_title, const char *written, int n)
{
    if (t->n_mentions == (int)(sizeof t->mentions / sizeof *t->mentions)) return 0;
    gn_mention *m = &t->mentions[t->n_mentions++];
    m->brand = brand;
    m->kind = kind;
    m->in_title = in_title;
    snprintf(m->as_written, sizeof m->as_written, "%.*s", n, written);
    snprintf(m->name, sizeof m->name, "%s", st->brands[brand].name);
    return 1;
}

/* Looks for a word of text within one edit of a candidate brand's name (two
 * for names of 6 letters or more); a hit becomes a mention. */
/* The letters a word holds, a bit each: an edit changes at most two bits, so
 * words whose sets differ in more than 2 x limit letters are never compared. */
static uint32_t letter_set(const char *w, int n)
{
    uint32_t set = 0;
    for (int i = 0; i < n; i++)
        set |= 1u << ((unsigned char)w[i] & 31);
    return set;
}

/* A word of a text: its bytes (letters, digits, and any past ASCII) and
 * what it holds. */
typedef struct text_word {
    const unsigned char *start;
    int n, digits, letters, high;
} text_word;

/* The next word from *p on, past what separates words (spaces, punctuation,
 * bytes past ASCII); 0 once the text is done. */
static int next_word(const unsigned char **p, text_word *w)
{
    const unsigned char *q = *p;
    while (*q && !isalnum(*q))
        q++;
    if (!*q) {
        *p = q;
        return 0;
    }
    *w = (text_word){.start = q};
    while (*q && (isalnum(*q) || *q >= 0x80)) {
        w->high |= *q >= 0x80;
        w->digits += isdigit(*q) != 0;
        w->letters += isalpha(*q) != 0;
        q++;
    }
    w->n = (int)(q - w->start);
    *p = q;
    return 1;
}

static int near_names(const gn_state *st, const char *text, int in_title, const uint32_t *brands,
                      int n_brands, const char *category, gn_text_findings *t)
{
    char names[16][32];
    int lens[16];
    uint32_t sets[16];
    for (int b = 0; b < n_brands; b++) {
        lens[b] = plain_name(st->brands[brands[b]].name, names[b], sizeof names[b]);
        sets[b] = letter_set(names[b], lens[b]);
    }
    const unsigned char *p = (const unsigned char *)text;
    text_word w;
    while (next_word(&p, &w)) {
        const unsigned char *start = w.start;
        int n = w.n, digits = w.digits, letters = w.letters, high = w.high;
        /* ASCII words of letters (a digit or two among them: "N0sa") only. */
        if (high || n < 3 || n > 31 || letters < 2 || digits > 2) continue;
        char word[32];
        for (int i = 0; i < n; i++)
            word[i] = (char)tolower(start[i]);
        word[n] = 0;
        uint32_t set = letter_set(word, n);
        for (int b = 0; b < n_brands; b++) {
            if (lens[b] < 4) continue;
            int limit = lens[b] >= 6 ? 2 : 1;
            if (n - lens[b] > limit || lens[b] - n > limit ||
                __builtin_popcount(set ^ sets[b]) > 2 * limit)
                continue;
            int d = edit_distance(word, n, names[b], lens[b], limit);
            if (d == 0 || d > limit) continue;
            if (category && brand_sells(&st->brands[brands[b]], category) == 0) continue;
            return add_mention(st, t, brands[b],
                               digits ? GN_MENTION_LOOKALIKE : GN_MENTION_MISSPELT, in_title,
                               (const char *)start, n);
        }
    }
    return 0;
}

/* Digits written for the letters they look like: "0ss01" is "ossol". */
static char leet_letter(char c)
{
    switch (c) {
    case '0':
        return 'o';
    case '1':
        return 'l';
    case '3':
        return 'e';
    case '4':
        return 'a';
    case '5':
        return 's';
    case '7':
        return 't';
    case '8':
        return 'b';
    default:
        return c;
    }
}

/* A word of letters with a digit or two written for letters ("N0sa",
 * "Be1so1"): when it reads, digits as letters, as a brand's name, that brand
 * in look-alike letters. Any brand's: the lookup is one hash probe a word,
 * and only words that mix digits into letters are looked up. */
static int digit_names(const gn_state *st, const char *text, int in_title, gn_text_findings *t)
{
    const unsigned char *p = (const unsigned char *)text;
    text_word w;
    while (next_word(&p, &w)) {
        const unsigned char *start = w.start;
        int n = w.n, digits = w.digits, letters = w.letters, high = w.high;
        /* "256GB", "100ml", "X100" are sizes and models: more letters than digits. */
        if (high || n < 4 || n > 31 || digits == 0 || digits > 2 || letters <= digits) continue;
        char word[32];
        for (int i = 0; i < n; i++)
            word[i] = leet_letter((char)tolower(start[i]));
        word[n] = 0;
        uint32_t brand = gn_state_find_brand(st, word);
        if (brand == GN_NONE || strcasecmp(st->brands[brand].name, word) != 0) continue;
        return add_mention(st, t, brand, GN_MENTION_LOOKALIKE, in_title, (const char *)start, n);
    }
    return 0;
}

static int add_brand(uint32_t *brands, int n, int max, uint32_t brand)
{
    if (brand == GN_NONE || n == max) return n;
    for (int i = 0; i < n; i++)
        if (brands[i] == brand) return n;
    brands[n] = brand;
    return n + 1;
}

/* The brands again, once a mention was added; one found in the `brand`
 * field is the brand claimed, in disguise (no BRAND_MISMATCH with itself). */
static int resolved(const gn_state *st, gn_listing_facts *f, const gn_text_findings *t,
                    int in_claim)
{
    gn_facts_resolve_brands(f, st);
    if (in_claim) f->claimed_brand = t->mentions[t->n_mentions - 1].brand;
    return 1;
}

/* Linked accounts looked at for the brands they sell. */
#define NEAR_MEMBERS 32

int gn_text_near_seller_brands(const gn_state *st, gn_identity *g, uint32_t seller,
                               gn_listing_facts *f, gn_text_findings *t)
{
    if (gn_facts_branded(f) || !f->title) return 0;
    /* The title and the brand field: where a listing says what it is. */
    int in_claim = 0;
    if (digit_names(st, f->title, 1, t) ||
        (f->claimed && (in_claim = digit_names(st, f->claimed, 1, t))))
        return resolved(st, f, t, in_claim);
    uint32_t brands[16];
    int n = 0;
    for (int i = 0; i < 4; i++)
        n = add_brand(brands, n, 16, st->sellers[seller].brands[i]);
    if (g && gn_identity_cluster_size(g, seller) > 1) {
        uint32_t m = gn_identity_next_member(g, seller);
        for (int k = 0; m != seller && k < NEAR_MEMBERS; k++, m = gn_identity_next_member(g, m))
            for (int i = 0; i < 4; i++)
                n = add_brand(brands, n, 16, st->sellers[m].brands[i]);
    }
    if (n == 0) return 0;
    if (near_names(st, f->title, 1, brands, n, f->category, t) ||
        (f->claimed && (in_claim = near_names(st, f->claimed, 1, brands, n, f->category, t))))
        return resolved(st, f, t, in_claim);
    return 0;
}

/* ------------------------------------------------ where a listing names its brand */

/* The first word of s: ASCII letters and digits, ending at a space or
 * punctuation (a word running on into other letters is not taken). */
static int first_word(const char *s, const char **start)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p && !isalnum(*p) && *p < 0x80)
        p++;
    *start = (const char *)p;
    const unsigned char *b = p;
    while (*p && isalnum(*p))
        p++;
    if (*p >= 0x80) return 0;
    return (int)(p - b);
}

/* word (n letters) read as a misspelt brand that sells the category, within
 * limit edits, unless the marketplace's own sellers use it, as written, as a
 * word; the mention quotes it as written. */
static int near_in_category(const gn_state *st, gn_lexicon *lx, const gn_market_words *words,
                            const gn_detect_params *p, const gn_listing_facts *f, const char *word,
                            const char *written, int n, int limit, gn_text_findings *t)
{
    uint32_t brands[8];
    int dist[8];
    int found = gn_lexicon_near_word(lx, word, (size_t)n, limit, brands, dist, 8);
    if (found == 0) return 0;
    char as_written[32];
    snprintf(as_written, sizeof as_written, "%.*s", n, written);
    if (words && p->common_word_sellers > 0 &&
        gn_market_words_sellers(words, gn_market_word_key(as_written)) >= p->common_word_sellers)
        return 0;
    int digits = 0;
    for (int k = 0; k < n; k++)
        digits += isdigit((unsigned char)word[k]) != 0;
    for (int i = 0; i < found; i++)
        if (brands[i] < st->n_brands && brand_sells(&st->brands[brands[i]], f->category) == 1)
            return add_mention(st, t, brands[i],
                               digits ? GN_MENTION_LOOKALIKE : GN_MENTION_MISSPELT, 1, written, n);
    return 0;
}

/* Whether the n letters at w are a brand's name (one a compatible accessory
 * names, whose mention was dropped: not a misspelling of another). */
static int word_is_brand(const gn_state *st, const char *w, int n)
{
    char name[32];
    snprintf(name, sizeof name, "%.*s", n, w);
    return gn_state_find_brand(st, name) != GN_NONE;
}

/* The brand named `name` exactly, when it sells the category: a mention of
 * it as `written`. */
static int exact_in_category(const gn_state *st, const gn_listing_facts *f, const char *name, int n,
                             const char *written, gn_text_findings *t)
{
    char key[32];
    snprintf(key, sizeof key, "%.*s", n, name);
    uint32_t b = gn_state_find_brand(st, key);
    if (b == GN_NONE || brand_sells(&st->brands[b], f->category) != 1) return 0;
    return add_mention(st, t, b, GN_MENTION_MISSPELT, 1, written, n);
}

int gn_text_near_category_brands(const gn_state *st, gn_lexicon *lx, const gn_market_words *words,
                                 const gn_detect_params *p, gn_listing_facts *f,
                                 gn_text_findings *t)
{
    if (gn_facts_branded(f) || !f->title || !f->category) return 0;
    const char *w;
    int n;
    /* A `brand` field of one word that is no brand genuine knows, two edits
     * from one that sells the category: the seller says it is a brand. */
    if (f->claimed && gn_state_find_brand(st, f->claimed) == GN_NONE &&
        (n = first_word(f->claimed, &w)) >= 3 && w[n] == 0 &&
        near_in_category(st, lx, words, p, f, w, w, n, 2, t))
        return resolved(st, f, t, 1);
    /* The title's first word, where a listing names its brand: one edit
     * from a name (two from six letters). */
    n = first_word(f->title, &w);
    if (n >= 4 && n <= 31 && !word_is_brand(st, w, n) &&
        near_in_category(st, lx, words, p, f, w, w, n, n >= 6 ? 2 : 1, t))
        return resolved(st, f, t, 0);
    /* A capital out of place, "iZir", "oDvre": the name's first two letters
     * swapped, which is one edit; read with them swapped back. */
    if (n >= 3 && n <= 31 && islower((unsigned char)w[0]) && isupper((unsigned char)w[1])) {
        char back[32];
        memcpy(back, w, (size_t)n);
        back[0] = w[1], back[1] = w[0], back[n] = 0;
        if (word_is_brand(st, back, n) ? exact_in_category(st, f, back, n, w, t)
                                       : near_in_category(st, lx, words, p, f, back, w, n, 1, t))
            return resolved(st, f, t, 0);
    }
    return 0;
}
