/* The lexicon's word lists as data: the counterfeit lingo
 * (config/lexicon/lingo.txt) and the everyday words never reported as
 * misspellings (config/lexicon/common.txt), compiled in like genuine.conf and
 * read when a lexicon is made; a caller may give its own texts. A bad line is
 * refused with GN_ECONFIG naming the file and the line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "detect/lexicon_impl.h"

/* The shipped lists (build/gen/lingo_lexicon.c and common_lexicon.c, made by
 * scripts/embed.sh). */
extern const char gn_lingo_lexicon[];
extern const char gn_common_lexicon[];

#define MAX_TERM 200  /* bytes of a lingo term, as of a brand name */
#define MAX_REPORT 60 /* bytes of the text a finding shows */
#define MAX_WORD 60   /* bytes of a clearing word or a common word */

/* One line being read: where it is, for messages. */
typedef struct line_ref {
    const char *file;
    int line;
} line_ref;

static const char *skip_space(const char *s, const char *end)
{
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r'))
        s++;
    return s;
}

static const char *trim_end(const char *s, const char *end)
{
    while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r'))
        end--;
    return end;
}

/* The next comma-separated item of [*s, end), trimmed; *s moves past it.
 * Returns whether a comma followed it (another item is due). */
static int next_item(const char **s, const char *end, const char **item, size_t *n)
{
    const char *p = skip_space(*s, end);
    const char *comma = p;
    while (comma < end && *comma != ',')
        comma++;
    *item = p;
    *n = (size_t)(trim_end(p, comma) - p);
    *s = comma < end ? comma + 1 : end;
    return comma < end;
}

/* Folds a clearing word as the scan will see the text around a term, and
 * pools it; it must fold to one word. */
static int clear_word(gn_lexicon *lx, const char *w, size_t n, const char **out, line_ref at,
                      gn_error *err)
{
    if (n == 0)
        return gn_fail(err, GN_ECONFIG, "%s:%d: an empty word in a clause (two commas in a row?)",
                       at.file, at.line);
    if (n > MAX_WORD)
        return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" is longer than %d bytes", at.file, at.line,
                       40, w, MAX_WORD);
    lex_norm *nb = &lx->scratch_norm;
    nb->len = 0;
    if (gn_lex_normalise(lx, w, n, nb)) return gn_fail(err, GN_ENOMEM, "out of memory");
    size_t len = nb->len;
    while (len && nb->txt[len - 1] == ' ')
        len--;
    size_t start = 0;
    while (start < len && nb->txt[start] == ' ')
        start++;
    for (size_t i = start; i < len; i++)
        if (!(nb->fl[i] & F_WORD))
            return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" is not one word of letters or digits",
                           at.file, at.line, (int)n, w);
    if (start == len)
        return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.*s\" has no letters or digits", at.file,
                       at.line, (int)n, w);
    *out = gn_pool_strdup(&lx->list_pool, nb->txt + start, len - start);
    return 0;
}

/* "not before: w, w, ..." or "not after: ...": a NULL-terminated list of
 * folded words, kept until the lexicon is freed. */
static int read_clause_words(gn_lexicon *lx, const char *s, const char *end,
                             const char *const **out, line_ref at, gn_error *err)
{
    if (*out)
        return gn_fail(err, GN_ECONFIG, "%s:%d: the same clause twice on one line", at.file,
                       at.line);
    size_t n = 1;
    for (const char *p = s; p < end; p++)
        n += *p == ',';
    const char **words = gn_xcalloc(n + 1, sizeof *words);
    lx->word_lists = gn_xrealloc(lx->word_lists, (lx->n_word_lists + 1) * sizeof *lx->word_lists);
    lx->word_lists[lx->n_word_lists++] = words;
    int more = 1;
    for (size_t i = 0; more; i++) {
        const char *w;
        size_t len;
        more = next_item(&s, end, &w, &len);
        int rc = clear_word(lx, w, len, &words[i], at, err);
        if (rc) return rc;
    }
    *out = words;
    return 0;
}

static int add_term(gn_lexicon *lx, const lex_lingo *proto, const char *t, size_t n, line_ref at,
                    gn_error *err)
{
    if (n == 0)
        return gn_fail(err, GN_ECONFIG, "%s:%d: an empty term (two commas in a row?)", at.file,
                       at.line);
    if (n > MAX_TERM)
        return gn_fail(err, GN_ECONFIG, "%s:%d: a term longer than %d bytes", at.file, at.line,
                       MAX_TERM);
    if (lx->n_lingo == lx->cap_lingo) {
        lx->cap_lingo = lx->cap_lingo ? lx->cap_lingo * 2 : 64;
        lx->lingo = gn_xrealloc(lx->lingo, lx->cap_lingo * sizeof *lx->lingo);
    }
    lex_lingo *l = &lx->lingo[lx->n_lingo++];
    *l = *proto;
    l->term = gn_pool_strdup(&lx->list_pool, t, n);
    /* A term that folds to nothing would match everywhere or nowhere. */
    lex_norm *nb = &lx->scratch_norm;
    nb->len = 0;
    if (gn_lex_normalise(lx, t, n, nb)) return gn_fail(err, GN_ENOMEM, "out of memory");
    int any = 0;
    for (size_t i = 0; i < nb->len && !any; i++)
        any = (nb->fl[i] & (F_WORD | F_CJK)) != 0;
    if (!any)
        return gn_fail(err, GN_ECONFIG, "%s:%d: the term \"%.*s\" has no letters or digits",
                       at.file, at.line, (int)n, t);
    return 0;
}

/* reported: term, term, ... [| not before: ...] [| not after: ...] [| brand after] */
static int read_lingo_line(gn_lexicon *lx, const char *s, const char *end, line_ref at,
                           gn_error *err)
{
    const char *bar = s;
    while (bar < end && !(bar[0] == '|'))
        bar++;
    const char *colon = NULL;
    for (const char *p = s; p + 1 < bar; p++)
        if (p[0] == ':' && (p[1] == ' ' || p[1] == '\t')) {
            colon = p;
            break;
        }
    if (!colon)
        return gn_fail(err, GN_ECONFIG,
                       "%s:%d: expected 'reported: term, term, ...' (a colon and a space after "
                       "the text reported)",
                       at.file, at.line);
    const char *rep_end = trim_end(s, colon);
    if (rep_end == s)
        return gn_fail(err, GN_ECONFIG, "%s:%d: no text to report before the colon", at.file,
                       at.line);
    if (rep_end - s > MAX_REPORT)
        return gn_fail(err, GN_ECONFIG, "%s:%d: the text reported is longer than %d bytes", at.file,
                       at.line, MAX_REPORT);
    lex_lingo proto = {.report = gn_pool_strdup(&lx->list_pool, s, (size_t)(rep_end - s))};
    /* The clauses first: every term of the line shares them. */
    for (const char *c = bar; c < end;) {
        const char *cs = skip_space(c + 1, end);
        const char *ce = cs;
        while (ce < end && *ce != '|')
            ce++;
        const char *cend = trim_end(cs, ce);
        size_t n = (size_t)(cend - cs);
        int rc = 0;
        if (n >= 11 && memcmp(cs, "not before:", 11) == 0)
            rc = read_clause_words(lx, cs + 11, cend, &proto.not_next, at, err);
        else if (n >= 10 && memcmp(cs, "not after:", 10) == 0)
            rc = read_clause_words(lx, cs + 10, cend, &proto.not_prev, at, err);
        else if (n == 11 && memcmp(cs, "brand after", 11) == 0)
            proto.needs_brand = 1;
        else
            rc = gn_fail(err, GN_ECONFIG,
                         "%s:%d: \"%.*s\" is not a clause (not before: ..., not after: ..., "
                         "brand after)",
                         at.file, at.line, (int)(n > 40 ? 40 : n), cs);
        if (rc) return rc;
        c = ce;
    }
    const char *p = colon + 1;
    for (int more = 1; more;) {
        const char *t;
        size_t n;
        more = next_item(&p, bar, &t, &n);
        int rc = add_term(lx, &proto, t, n, at, err);
        if (rc) return rc;
    }
    return 0;
}

/* Words separated by commas or lines. */
static int read_common_line(gn_lexicon *lx, const char *s, const char *end, line_ref at,
                            gn_error *err)
{
    for (int more = 1; more;) {
        const char *w;
        size_t n;
        more = next_item(&s, end, &w, &n);
        if (n == 0)
            return gn_fail(err, GN_ECONFIG, "%s:%d: an empty word (two commas in a row?)", at.file,
                           at.line);
        if (n > MAX_WORD)
            return gn_fail(err, GN_ECONFIG, "%s:%d: \"%.40s...\" is longer than %d bytes", at.file,
                           at.line, w, MAX_WORD);
        char word[MAX_WORD + 1];
        memcpy(word, w, n);
        word[n] = 0;
        int rc = gn_lexicon_add_common_word(lx, word, err);
        if (rc) return rc;
    }
    return 0;
}

typedef int line_fn(gn_lexicon *lx, const char *s, const char *end, line_ref at, gn_error *err);

/* Calls fn for each line that is not blank nor a comment. */
static int each_line(gn_lexicon *lx, const char *text, const char *file, line_fn *fn, gn_error *err)
{
    line_ref at = {file, 0};
    for (const char *line = text; *line;) {
        const char *nl = strchr(line, '\n');
        const char *end = nl ? nl : line + strlen(line);
        at.line++;
        const char *s = skip_space(line, end);
        const char *e = trim_end(s, end);
        if (s < e && *s != '#') {
            int rc = fn(lx, s, e, at, err);
            if (rc) return rc;
        }
        line = nl ? nl + 1 : end;
    }
    return 0;
}

int gn_lex_read_lists(gn_lexicon *lx, const gn_lexicon_lists *lists, gn_error *err)
{
    const char *lingo = lists && lists->lingo ? lists->lingo : gn_lingo_lexicon;
    const char *lingo_name = lists && lists->lingo ? lists->lingo_name : "config/lexicon/lingo.txt";
    const char *common = lists && lists->common ? lists->common : gn_common_lexicon;
    const char *common_name =
        lists && lists->common ? lists->common_name : "config/lexicon/common.txt";
    int rc = each_line(lx, lingo, lingo_name ? lingo_name : "lingo", read_lingo_line, err);
    if (!rc && lx->n_lingo == 0)
        rc = gn_fail(err, GN_ECONFIG, "%s: no lingo term", lingo_name ? lingo_name : "lingo");
    if (!rc)
        rc = each_line(lx, common, common_name ? common_name : "common words", read_common_line,
                       err);
    return rc;
}

void gn_lex_lists_free(gn_lexicon *lx)
{
    for (size_t i = 0; i < lx->n_word_lists; i++)
        free((void *)lx->word_lists[i]);
    free(lx->word_lists);
    free(lx->lingo);
    gn_pool_free(&lx->list_pool);
}
