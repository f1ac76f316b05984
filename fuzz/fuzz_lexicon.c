/* libFuzzer target for the brand and lingo matcher: any bytes, split at the
 * first NUL into a title and a description, scanned against a small fixed
 * lexicon; never a crash, and every reported text is valid, bounded UTF-8.
 * The fast paths are checked against the slow ones: a second scan (answered
 * from the per-word caches) and the text with its spaces written as tabs
 * (which the folder's fast path does not take) find the same. */
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
    return 0;
}
