/* libFuzzer target for the brand and lingo matcher: any bytes, split at the
 * first NUL into a title and a description, scanned against a small fixed
 * lexicon; never a crash, and every reported text is valid, bounded UTF-8.
 * The fast paths are checked against the slow ones: a second scan (answered
 * from the per-word caches) and the text with its spaces written as tabs
 * (which the folder's fast path does not take) find the same. The first
 * word of the title is also looked up as a name's misspelling
 * (gn_lexicon_near_word), each answer checked against the distance worked
 * out plainly. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/lexicon.h"

static gn_lexicon *lexicon;

static void build(void)
{
    static const char *names[] = {"Nike",          "耐克",   "Gucci",  "古驰",
                                  "Louis Vuitton", "LV",     "Chanel", "Burberry",
                                  "Hermès",        "Levi's", "Адидас", "Dolce & Gabbana"};
    gn_error err;
    lexicon = gn_lexicon_new();
    assert(lexicon);
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (gn_lexicon_add_name(lexicon, (uint32_t)(i / 2), names[i], &err)) abort();
    if (gn_lexicon_prepare(lexicon, &err)) abort();
}

static int valid_utf8(const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (*u) {
        int n = *u < 0x80 ? 1 : (*u >> 5) == 6 ? 2 : (*u >> 4) == 14 ? 3 : (*u >> 3) == 30 ? 4 : 0;
        if (!n) return 0;
        for (int i = 1; i < n; i++)
            if ((u[i] & 0xc0) != 0x80) return 0;
        u += n;
    }
    return 1;
}

/* Optimal string alignment distance, the dynamic programme in full. */
static int osa(const char *a, int n, const char *b, int m)
{
    int d[32][32];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= m; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

/* A second lexicon of plain one-word names, brand by brand (the last brand
 * has two), for gn_lexicon_near_word against the distance worked out plainly. */
static gn_lexicon *plain_lexicon;
static const struct {
    uint32_t brand;
    const char *name;
} plain[] = {{0, "nike"},     {1, "gucci"}, {2, "onyx"}, {3, "rios"},
             {4, "burberry"}, {5, "sava"},  {5, "salo"}};
#define PLAIN_BRANDS 6

static void build_plain(void)
{
    gn_error err;
    plain_lexicon = gn_lexicon_new();
    assert(plain_lexicon);
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (gn_lexicon_add_name(plain_lexicon, plain[i].brand, plain[i].name, &err)) abort();
    if (gn_lexicon_prepare(plain_lexicon, &err)) abort();
}

/* The word's distance to the brand's closest name. */
static int brand_distance(const char *w, int n, uint32_t brand)
{
    int best = 99;
    for (size_t i = 0; i < sizeof plain / sizeof *plain; i++)
        if (plain[i].brand == brand) {
            int d = osa(w, n, plain[i].name, (int)strlen(plain[i].name));
            if (d < best) best = d;
        }
    return best;
}

static void near_word(const char *text, size_t len)
{
    if (!plain_lexicon) build_plain();
    int n = 0;
    while ((size_t)n < len && n < 31 && text[n] >= 'a' && text[n] <= 'z')
        n++;
    uint32_t brands[PLAIN_BRANDS];
    int dist[PLAIN_BRANDS];
    int got = gn_lexicon_near_word(plain_lexicon, text, (size_t)n, 2, brands, dist, PLAIN_BRANDS);
    assert(got >= 0 && got <= PLAIN_BRANDS);
    for (int i = 0; i < got; i++) {
        assert(brands[i] < PLAIN_BRANDS && dist[i] >= 1 && dist[i] <= 2);
        assert(i == 0 || dist[i - 1] <= dist[i]);
        assert(brand_distance(text, n, brands[i]) == dist[i]);
        for (int j = 0; j < i; j++)
            assert(brands[j] != brands[i]);
    }
    /* ... and none missed (a word that is a name itself is at 0 from it) */
    for (uint32_t b = 0; b < PLAIN_BRANDS && n >= 2; b++) {
        int d = brand_distance(text, n, b), found = 0;
        for (int i = 0; i < got; i++)
            found |= brands[i] == b;
        assert(found == (d >= 1 && d <= 2));
    }
}

static void same(const gn_text_findings *a, const gn_text_findings *b)
{
    assert(a->n_mentions == b->n_mentions && a->n_lingo == b->n_lingo);
    for (int i = 0; i < a->n_mentions; i++) {
        const gn_mention *x = &a->mentions[i], *y = &b->mentions[i];
        assert(x->brand == y->brand && x->kind == y->kind && x->in_title == y->in_title);
        assert(strcmp(x->as_written, y->as_written) == 0 && strcmp(x->name, y->name) == 0);
    }
    for (int i = 0; i < a->n_lingo; i++)
        assert(strcmp(a->lingo[i], b->lingo[i]) == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!lexicon) build();
    const char *text = (const char *)data;
    const char *nul = memchr(text, 0, size);
    size_t title_len = nul ? (size_t)(nul - text) : size;
    const char *desc = nul ? nul + 1 : "";
    size_t desc_len = nul ? size - title_len - 1 : 0;
    gn_text_findings f;
    gn_error err;
    int rc = gn_lexicon_scan(lexicon, text, title_len, desc, desc_len, &f, &err);
    assert(rc == 0);
    assert(f.n_mentions >= 0 && f.n_mentions <= 16 && f.n_lingo >= 0 && f.n_lingo <= 8);
    for (int i = 0; i < f.n_mentions; i++) {
        assert(strlen(f.mentions[i].as_written) < 64 && valid_utf8(f.mentions[i].as_written));
        assert(f.mentions[i].brand < 6);
        /* Title mentions come first. */
        if (i > 0) assert(!(f.mentions[i].in_title && !f.mentions[i - 1].in_title));
    }
    gn_text_findings again;
    assert(gn_lexicon_scan(lexicon, text, title_len, desc, desc_len, &again, &err) == 0);
    same(&f, &again);
    char *tabs = malloc(size + 1);
    assert(tabs);
    for (size_t i = 0; i < size; i++)
        tabs[i] = data[i] == ' ' ? '\t' : (char)data[i];
    const char *tabs_desc = nul ? tabs + (nul - text) + 1 : "";
    assert(gn_lexicon_scan(lexicon, tabs, title_len, tabs_desc, desc_len, &again, &err) == 0);
    same(&f, &again);
    free(tabs);
    near_word(text, title_len);
    return 0;
}
