/* The brand and counterfeit-lingo matcher. A listing's text is folded in one C
 * pass (case, diacritics, look-alike letters, separators) through a per-code-point
 * table that ICU fills lazily (lexicon_fold.c), then scanned once by Hyperscan for
 * every name and lingo term (this file: building, compiling, the scan);
 * misspellings are found per word through a deletion-neighbourhood index
 * (lexicon_misspell.c), because Hyperscan's own edit-distance patterns are far
 * too slow at this scale (docs/text-matching.md gives the figures). */
#include "detect/lexicon.h"

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "core/alloc.h"
#include "core/error.h"
#include "detect/lexicon_impl.h"

/* ---- boundaries and context ----------------------------------------------- */

static int word_in(const char *w, size_t n, const char *const *list)
{
    if (!list) return 0;
    for (; *list; list++)
        if (strlen(*list) == n && memcmp(*list, w, n) == 0) return 1;
    return 0;
}

/* The word just after p (skipping one space), as folded text. */
static size_t next_word(const lex_norm *nb, size_t p, size_t *at)
{
    if (p < nb->len && nb->txt[p] == ' ') p++;
    size_t e = p;
    while (e < nb->len && (nb->fl[e] & F_WORD) && (e == p || !(nb->fl[e] & F_SOFT)))
        e++;
    *at = p;
    return e - p;
}

static size_t prev_word(const lex_norm *nb, size_t p, size_t *at)
{
    if (p > 0 && nb->txt[p - 1] == ' ') p--;
    size_t b = p;
    while (b > 0 && (nb->fl[b - 1] & F_WORD) && !(nb->fl[b] & F_SOFT && b != p))
        b--;
    *at = b;
    return p - b;
}

static int lingo_context_ok(const lex_norm *nb, const lex_lingo *l, size_t s, size_t e)
{
    size_t at, n;
    if (l->not_next) {
        n = next_word(nb, e, &at);
        if (n && word_in(nb->txt + at, n, l->not_next)) return 0;
    }
    if (l->not_prev) {
        n = prev_word(nb, s, &at);
        if (n && word_in(nb->txt + at, n, l->not_prev)) return 0;
    }
    return 1;
}

/* ---- building ------------------------------------------------------------- */

int gn_lexicon_open(gn_lexicon **out, const gn_lexicon_options *options,
                    const gn_lexicon_lists *lists, gn_error *err)
{
    *out = NULL;
    gn_lexicon *lx = gn_xcalloc(1, sizeof *lx);
    lx->opt.misspelt_min_len1 = 5;
    lx->opt.misspelt_min_len2 = 8;
    if (options) lx->opt = *options;
    lx->cache = gn_xaligned_alloc(64, 2 * CACHE_SETS * sizeof *lx->cache);
    lx->quiet = gn_xaligned_alloc(64, 8 * QUIET_SETS * sizeof *lx->quiet);
    if (!lx->cache || !lx->quiet) {
        free(lx->cache);
        free(lx->quiet);
        free(lx);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    gn_lex_fold_ascii_init(lx);
    gn_lexicon_set_isa(lx, GN_LEXICON_ISA_AVX512);
    lx->pow[0] = 1;
    for (int i = 1; i < 72; i++)
        lx->pow[i] = lx->pow[i - 1] * HASH_P;
    lx->dirty = 1;
    int rc = gn_lex_read_lists(lx, lists, err);
    if (rc) {
        gn_lexicon_free(lx);
        return rc;
    }
    *out = lx;
    return 0;
}

gn_lexicon *gn_lexicon_new_with(const gn_lexicon_options *options)
{
    gn_lexicon *lx;
    gn_error err;
    return gn_lexicon_open(&lx, options, NULL, &err) ? NULL : lx;
}

void gn_lexicon_set_isa(gn_lexicon *lx, int isa)
{
    lx->fold_block = gn_lex_pick_fold_block(isa);
}

gn_lexicon *gn_lexicon_new(void)
{
    return gn_lexicon_new_with(NULL);
}

static void compiled_free(gn_lexicon *lx)
{
    if (lx->db) hs_free_database(lx->db);
    lx->db = NULL;
    free(lx->pats);
    free(lx->seen_gen);
    free(lx->seen_kinds);
    free(lx->keys);
    free(lx->head_keys);
    free(lx->heads.v);
    free(lx->heads.bloom);
    free(lx->heads.slots);
    lx->head_keys = NULL;
    lx->n_head_keys = 0;
    memset(&lx->heads, 0, sizeof lx->heads);
    free(lx->full.v);
    free(lx->full.bloom);
    free(lx->full.slots);
    free(lx->parts.v);
    free(lx->parts.bloom);
    free(lx->parts.slots);
    free(lx->prefixes);
    free(lx->names_bloom);
    lx->names_bloom = NULL;
    lx->prefixes = NULL;
    lx->n_prefixes = 0;
    free(lx->common);
    lx->pats = NULL;
    lx->seen_gen = NULL;
    lx->seen_kinds = NULL;
    lx->keys = NULL;
    memset(&lx->full, 0, sizeof lx->full);
    memset(&lx->parts, 0, sizeof lx->parts);
    lx->common = NULL;
    lx->n_pats = lx->n_keys = lx->n_common = 0;
}

void gn_lexicon_free(gn_lexicon *lx)
{
    if (!lx) return;
    compiled_free(lx);
    if (lx->scratch) hs_free_scratch(lx->scratch);
    for (size_t i = 0; i < lx->n_names; i++)
        free(lx->names[i].text);
    free(lx->names);
    for (size_t i = 0; i < lx->n_common_added; i++)
        free(lx->common_added[i]);
    free(lx->common_added);
    gn_lex_lists_free(lx);
    for (int i = 0; i < N_BLOCKS; i++)
        free(lx->blocks[i]);
    if (lx->spoof) uspoof_close(lx->spoof);
    free(lx->norm.txt);
    free(lx->norm.fl);
    free(lx->norm.src);
    free(lx->scratch_norm.txt);
    free(lx->scratch_norm.fl);
    free(lx->scratch_norm.src);
    free(lx->cache);
    free(lx->quiet);
    free(lx->tokens);
    free(lx);
}

static int has_word(const lex_norm *nb)
{
    for (size_t i = 0; i < nb->len; i++)
        if (nb->fl[i] & (F_WORD | F_CJK)) return 1;
    return 0;
}

int gn_lexicon_check_name(gn_lexicon *lx, const char *name, gn_error *err)
{
    if (!name) return gn_fail(err, GN_EINPUT, "brand name or alias: expected a string");
    size_t n = strlen(name);
    if (n == 0 || n > 200)
        return gn_fail(err, GN_EINPUT, "brand name or alias \"%.60s\": must be 1 to 200 bytes",
                       name);
    lx->scratch_norm.len = 0;
    int rc = gn_lex_normalise(lx, name, n, &lx->scratch_norm);
    if (rc) return gn_fail(err, rc, "out of memory folding a brand name");
    if (!has_word(&lx->scratch_norm))
        return gn_fail(err, GN_EINPUT,
                       "brand name or alias \"%.60s\": has no letters or digits to match", name);
    return 0;
}

int gn_lexicon_add_name(gn_lexicon *lx, uint32_t brand, const char *name, gn_error *err)
{
    int rc = gn_lexicon_check_name(lx, name, err);
    if (rc) return rc;
    if (lx->n_names == lx->cap_names) {
        size_t cap = lx->cap_names ? lx->cap_names * 2 : 64;
        lex_name *t = gn_xrealloc(lx->names, cap * sizeof *t);
        lx->names = t;
        lx->cap_names = cap;
    }
    char *copy = gn_xstrdup(name);
    lx->names[lx->n_names].brand = brand;
    lx->names[lx->n_names].text = copy;
    lx->n_names++;
    lx->dirty = 1;
    return 0;
}

int gn_lexicon_add_common_word(gn_lexicon *lx, const char *word, gn_error *err)
{
    if (!word || !*word || strlen(word) > 60)
        return gn_fail(err, GN_EINPUT, "common word: expected 1 to 60 bytes");
    char **t = gn_xrealloc(lx->common_added, (lx->n_common_added + 1) * sizeof *t);
    lx->common_added = t;
    if (!(t[lx->n_common_added] = gn_xstrdup(word)))
        return gn_fail(err, GN_ENOMEM, "out of memory adding a common word");
    lx->n_common_added++;
    lx->dirty = 1;
    return 0;
}

/* Patterns under construction: folded literals and what each stands for. */
typedef struct pat_build {
    char **exprs;
    size_t *lens;
    lex_pattern *pats;
    size_t n, cap;
} pat_build;

static int pat_add(pat_build *pb, const char *s, size_t len, const lex_pattern *p)
{
    for (size_t i = pb->n; i-- > 0 && pb->pats[i].ref == p->ref && pb->pats[i].kind == p->kind;)
        if (pb->lens[i] == len && memcmp(pb->exprs[i], s, len) == 0)
            return 0; /* the same folded text from another case variant */
    if (pb->n == pb->cap) {
        size_t cap = pb->cap ? pb->cap * 2 : 256;
        char **e = gn_xrealloc(pb->exprs, cap * sizeof *e);
        if (e) pb->exprs = e;
        size_t *l = gn_xrealloc(pb->lens, cap * sizeof *l);
        if (l) pb->lens = l;
        lex_pattern *q = gn_xrealloc(pb->pats, cap * sizeof *q);
        if (q) pb->pats = q;
        if (!e || !l || !q) return -1;
        pb->cap = cap;
    }
    char *c = gn_xmalloc(len + 1);
    memcpy(c, s, len);
    c[len] = 0;
    pb->exprs[pb->n] = c;
    pb->lens[pb->n] = len;
    pb->pats[pb->n] = *p;
    pb->pats[pb->n].len = (uint32_t)len;
    pb->n++;
    return 0;
}

static void pat_build_free(pat_build *pb)
{
    for (size_t i = 0; i < pb->n; i++)
        free(pb->exprs[i]);
    free(pb->exprs);
    free(pb->lens);
    free(pb->pats);
}

/* The text's case variants as written, lower and upper: folding is exact per
 * case, but some look-alike skeletons differ between a letter's cases
 * (Cyrillic К and к), so a term in those scripts is entered in each case. */
static int case_variants(const char *s, char out[3][256], int *count)
{
    int n = 0;
    strncpy(out[n], s, 255);
    out[n++][255] = 0;
    int ascii = 1;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80) ascii = 0;
    if (!ascii) {
        UErrorCode st = U_ZERO_ERROR;
        UChar u[256], v[512];
        int32_t ul;
        u_strFromUTF8(u, 256, &ul, s, -1, &st);
        for (int up = 0; up < 2 && U_SUCCESS(st); up++) {
            int32_t vl =
                up ? u_strToUpper(v, 512, u, ul, "", &st) : u_strToLower(v, 512, u, ul, "", &st);
            int32_t ol;
            if (U_SUCCESS(st) && vl < 512) {
                u_strToUTF8(out[n], 255, &ol, v, vl, &st);
                if (U_SUCCESS(st) && ol < 255) {
                    out[n][ol] = 0;
                    n++;
                }
            }
            st = U_ZERO_ERROR;
        }
    }
    *count = n;
    return 0;
}

/* Adds a name's or a term's folded literal, and without spaces when it has
 * several words ("louisvuitton" for "Louis Vuitton"). */
static int add_folded(gn_lexicon *lx, pat_build *pb, const char *text, uint8_t kind, uint32_t ref,
                      lex_key *key_out)
{
    char var[3][256];
    int nvar;
    case_variants(text, var, &nvar);
    for (int v = 0; v < nvar; v++) {
        lex_norm *nb = &lx->scratch_norm;
        nb->len = 0;
        if (gn_lex_normalise(lx, var[v], strlen(var[v]), nb)) return -1;
        if (nb->len == 0 || nb->len > 250) continue;
        lex_pattern p = {.kind = kind, .ref = ref};
        p.left = (nb->fl[0] & F_WORD) != 0;
        p.right = (nb->fl[nb->len - 1] & F_WORD) != 0;
        char joined[256];
        size_t jl = 0;
        uint64_t gaps = 0, jgaps = 0;
        int spaces = 0;
        size_t split = 0;
        for (size_t i = 0; i < nb->len; i++) {
            if (nb->txt[i] == ' ') {
                spaces++;
                split = jl;
                if (jl < 64) jgaps |= 1ULL << jl;
                continue;
            }
            if ((nb->fl[i] & F_SOFT)) {
                if (i < 64) gaps |= 1ULL << i;
                if (jl < 64) jgaps |= 1ULL << jl;
            }
            joined[jl++] = nb->txt[i];
        }
        p.gaps = gaps;
        if (pat_add(pb, nb->txt, nb->len, &p)) return -1;
        if (spaces) {
            p.gaps = jgaps;
            if (pat_add(pb, joined, jl, &p)) return -1;
        }
        /* The misspelling key: the name's ASCII letters and digits, joined. */
        if (key_out && v == 0 && jl < 64) {
            int ok = 1, letters = 0;
            for (size_t i = 0; i < jl; i++) {
                unsigned char c = (unsigned char)joined[i];
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) ok = 0;
                letters += c >= 'a' && c <= 'z';
            }
            if (ok && letters) {
                memcpy(key_out->s, joined, jl);
                key_out->len = (uint8_t)jl;
                key_out->gaps = jgaps;
                key_out->split = spaces == 1 ? (uint8_t)split : 0;
            }
        }
    }
    return 0;
}

static int compile(gn_lexicon *lx, gn_error *err)
{
    compiled_free(lx);
    memset(lx->cache, 0, 2 * CACHE_SETS * sizeof *lx->cache);
    memset(lx->quiet, 0, 8 * QUIET_SETS * sizeof *lx->quiet);
    pat_build pb = {0};
    lex_key *keys = gn_xcalloc(lx->n_names + 1, sizeof *keys);
    lex_key *heads = gn_xcalloc(lx->n_names + 1, sizeof *heads);
    size_t nk = 0, nh = 0;
    int rc = 0;
    for (size_t i = 0; i < lx->n_names && !rc; i++) {
        lex_key key = {0};
        if (add_folded(lx, &pb, lx->names[i].text, PAT_NAME, (uint32_t)i, &key)) {
            rc = -1;
            break;
        }
        if (key.len >= 4 && !key.gaps && heads) {
            heads[nh] = key;
            heads[nh].dist = 2;
            heads[nh++].name = (uint32_t)i;
        }
        int d = gn_lex_misspelt_distance(lx, key.len);
        if (key.len && d) {
            key.dist = (uint8_t)d;
            key.name = (uint32_t)i;
            keys[nk++] = key;
        }
    }
    for (size_t i = 0; i < lx->n_lingo && !rc; i++)
        if (add_folded(lx, &pb, lx->lingo[i].term, PAT_LINGO, (uint32_t)i, NULL)) rc = -1;
    lx->keys = keys;
    lx->n_keys = nk;
    lx->head_keys = heads;
    lx->n_head_keys = nh;
    if (rc || !heads || gn_lex_build_misspellings(lx)) {
        pat_build_free(&pb);
        return gn_fail(err, GN_ENOMEM, "out of memory compiling the brand lexicon");
    }

    unsigned *flags = gn_xcalloc(pb.n, sizeof *flags), *ids = gn_xcalloc(pb.n, sizeof *ids);
    if (!flags || !ids) {
        free(flags);
        free(ids);
        pat_build_free(&pb);
        return gn_fail(err, GN_ENOMEM, "out of memory compiling the brand lexicon");
    }
    for (size_t i = 0; i < pb.n; i++)
        ids[i] = (unsigned)i;
    hs_compile_error_t *ce = NULL;
    hs_error_t hr = hs_compile_lit_multi((const char *const *)pb.exprs, flags, ids, pb.lens,
                                         (unsigned)pb.n, HS_MODE_BLOCK, NULL, &lx->db, &ce);
    free(flags);
    free(ids);
    if (hr != HS_SUCCESS) {
        rc = gn_fail(err, GN_EINPUT, "brand lexicon: Hyperscan could not compile the names: %s",
                     ce ? ce->message : "unknown error");
        hs_free_compile_error(ce);
        lx->db = NULL;
        pat_build_free(&pb);
        return rc;
    }
    lx->pats = pb.pats;
    lx->n_pats = pb.n;
    pb.pats = NULL;
    pat_build_free(&pb);
    lx->seen_gen = gn_xcalloc(lx->n_pats, sizeof *lx->seen_gen);
    lx->seen_kinds = gn_xcalloc(lx->n_pats, 1);
    if (!lx->seen_gen || !lx->seen_kinds)
        return gn_fail(err, GN_ENOMEM, "out of memory compiling the brand lexicon");
    lx->gen = 0;
    if (hs_alloc_scratch(lx->db, &lx->scratch) != HS_SUCCESS)
        return gn_fail(err, GN_ENOMEM, "out of memory allocating Hyperscan scratch space");
    lx->dirty = 0;
    return 0;
}

int gn_lexicon_prepare(gn_lexicon *lx, gn_error *err)
{
    if (!lx->dirty && lx->db) return 0;
    return compile(lx, err);
}

/* ---- scanning ------------------------------------------------------------- */

typedef struct scan_ctx {
    gn_lexicon *lx;
    const char *title, *desc;
    size_t title_len, desc_len;
    size_t title_end; /* folded offset where the description starts */
} scan_ctx;

/* Looks a span's original text up: the title's or the description's bytes. */
static void original_span(const scan_ctx *c, size_t s, size_t e, const char **p, size_t *n)
{
    const lex_norm *nb = &c->lx->norm;
    int in_title = s < c->title_end;
    const char *base = in_title ? c->title : c->desc;
    size_t len = in_title ? c->title_len : c->desc_len;
    size_t a = nb->src[s], b = nb->src[e - 1];
    const unsigned char *u = (const unsigned char *)base + b;
    UChar32 cp;
    int k = *u < 0x80 ? 1 : utf8_get(u, len - b, &cp);
    if (k == 0) k = 1;
    *p = base + a;
    *n = b + (size_t)k - a;
}

/* Copies text into a 64-byte field: whole UTF-8 characters only, invalid bytes
 * and controls as '?' or ' ', so the result is always valid UTF-8. */
static void copy_field(char out[64], const char *s, size_t n)
{
    size_t o = 0;
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        if (u[i] < 0x80) {
            if (o + 1 > 63) break;
            out[o++] = u[i] < 0x20 || u[i] == 0x7f ? ' ' : (char)u[i];
            i++;
            continue;
        }
        UChar32 cp;
        int k = utf8_get(u + i, n - i, &cp);
        if (k == 0) {
            if (o + 1 > 63) break;
            out[o++] = '?';
            i++;
            continue;
        }
        if (o + (size_t)k > 63) break;
        memcpy(out + o, u + i, (size_t)k);
        o += (size_t)k;
        i += (size_t)k;
    }
    out[o] = 0;
}

/* Whether the text as written equals the name, ignoring case only. */
/* Copies text with every run of white space (a tab, a line break, several
 * spaces) as one space: "Louis\tVuitton" is the name as written. */
static size_t fold_spaces(const char *in, size_t n, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int space = in[i] == ' ' || (in[i] >= '\t' && in[i] <= '\r');
        if (space && o > 0 && out[o - 1] == ' ') continue;
        out[o++] = space ? ' ' : in[i];
    }
    return o;
}

/* Whether the text as written equals the name, ignoring case and the kind of
 * white space between words only. */
static int same_ignoring_case(const char *a, size_t an, const char *b)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar ua[256], ub[256];
    char fa[201], fb[201];
    int32_t la, lb;
    size_t bn = strlen(b);
    if (an > 200 || bn > 200) return 0;
    an = fold_spaces(a, an, fa);
    bn = fold_spaces(b, bn, fb);
    u_strFromUTF8(ua, 256, &la, fa, (int32_t)an, &st);
    u_strFromUTF8(ub, 256, &lb, fb, (int32_t)bn, &st);
    if (U_FAILURE(st)) return 0;
    return u_strCaseCompare(ua, la, ub, lb, U_FOLD_CASE_DEFAULT, &st) == 0 && U_SUCCESS(st);
}

static gn_mention_kind name_kind(const scan_ctx *c, const lex_pattern *p, size_t s, size_t e)
{
    const gn_lexicon *lx = c->lx;
    const lex_norm *nb = &lx->norm;
    uint8_t any = 0;
    for (size_t i = s; i < e; i++) {
        any |= nb->fl[i];
        if (i > s && (nb->fl[i] & F_SOFT) && !(i - s < 64 && (p->gaps >> (i - s) & 1)))
            return GN_MENTION_LOOKALIKE;
    }
    if (!(any & (F_ACC | F_LOOK))) return GN_MENTION_EXACT;
    const char *o;
    size_t on;
    original_span(c, s, e, &o, &on);
    return same_ignoring_case(o, on, lx->names[p->ref].text) ? GN_MENTION_EXACT
                                                             : GN_MENTION_LOOKALIKE;
}

static int on_match(unsigned id, unsigned long long from, unsigned long long to, unsigned flags,
                    void *ctx)
{
    scan_ctx *c = ctx;
    gn_lexicon *lx = c->lx;
    const lex_pattern *p = &lx->pats[id];
    const lex_norm *nb = &lx->norm;
    size_t e = (size_t)to, s = e - p->len;
    (void)from;
    (void)flags;
    if (lx->seen_gen[id] == lx->gen && lx->seen_kinds[id] == 0xff) return 0;
    if (p->left && !boundary_before(nb, s)) return 0;
    if (p->right && !boundary_after(nb, e)) return 0;
    uint8_t kind = 0;
    if (p->kind == PAT_LINGO) {
        const lex_lingo *l = &lx->lingo[p->ref];
        if (!lingo_context_ok(nb, l, s, e)) return 0;
        if (l->needs_brand) {
            if (lx->n_lingo_wait < 32)
                lx->lingo_wait[lx->n_lingo_wait++] =
                    (lex_hit){(uint32_t)s, (uint32_t)e, p->ref, PAT_LINGO, 0};
            return 0;
        }
    } else {
        kind = (uint8_t)name_kind(c, p, s, e);
    }
    /* The first hit of each pattern and kind is enough: later ones add nothing. */
    uint8_t bit = p->kind == PAT_LINGO ? 0xff : (uint8_t)(1u << kind);
    if (lx->seen_gen[id] != lx->gen) {
        lx->seen_gen[id] = lx->gen;
        lx->seen_kinds[id] = 0;
    }
    if (lx->seen_kinds[id] & bit) return 0;
    lx->seen_kinds[id] |= bit;
    if (lx->n_hits < MAX_HITS)
        lx->hits[lx->n_hits++] = (lex_hit){(uint32_t)s, (uint32_t)e, p->ref, p->kind, kind};
    return 0;
}

/* ---- the scan ------------------------------------------------------------- */

static int cmp_hit(const void *a, const void *b)
{
    const lex_hit *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    return (int)x->kind - (int)y->kind;
}

static void add_lingo(gn_text_findings *out, const char *report)
{
    for (int i = 0; i < out->n_lingo; i++)
        if (strcmp(out->lingo[i], report) == 0) return;
    if (out->n_lingo < 8) out->lingo[out->n_lingo++] = report;
}

int gn_lexicon_scan(gn_lexicon *lx, const char *title, size_t title_len, const char *desc,
                    size_t desc_len, gn_text_findings *out, gn_error *err)
{
    out->n_mentions = 0;
    out->n_lingo = 0;
    if ((!title && title_len) || (!desc && desc_len))
        return gn_fail(err, GN_EINPUT, "listing text: NULL with a length");
    if (title_len > UINT32_MAX / 4 || desc_len > UINT32_MAX / 4)
        return gn_fail(err, GN_EINPUT, "listing text: too long to scan");
    int rc = gn_lexicon_prepare(lx, err);
    if (rc) return rc;

    lex_norm *nb = &lx->norm;
    nb->len = 0;
    if (gn_lex_normalise(lx, title ? title : "", title_len, nb) || norm_reserve(nb, 1))
        return gn_fail(err, GN_ENOMEM, "out of memory folding the listing text");
    scan_ctx c = {.lx = lx,
                  .title = title,
                  .desc = desc,
                  .title_len = title_len,
                  .desc_len = desc_len,
                  .title_end = nb->len};
    emit_byte(nb, '\n', 0); /* no pattern holds a newline, so none spans both texts */
    if (gn_lex_normalise(lx, desc ? desc : "", desc_len, nb))
        return gn_fail(err, GN_ENOMEM, "out of memory folding the listing text");

    lx->n_hits = 0;
    lx->n_lingo_wait = 0;
    if (++lx->gen == 0) {
        memset(lx->seen_gen, 0, lx->n_pats * sizeof *lx->seen_gen);
        lx->gen = 1;
    }
    /* The words are listed (and their cache lines requested) before the
     * Hyperscan pass, which then hides most of the fetching. */
    size_t nt = 0;
    if (lx->n_keys && gn_lex_list_tokens(lx, &nt))
        return gn_fail(err, GN_ENOMEM, "out of memory listing words");
    if (nb->len > 0 &&
        hs_scan(lx->db, nb->txt, (unsigned)nb->len, 0, lx->scratch, on_match, &c) != HS_SUCCESS)
        return gn_fail(err, GN_ENOMEM, "the Hyperscan scan failed");
    gn_lex_find_misspellings(lx, nt);

    qsort(lx->hits, (size_t)lx->n_hits, sizeof *lx->hits, cmp_hit);
    for (int i = 0; i < lx->n_hits; i++) {
        const lex_hit *h = &lx->hits[i];
        if (h->pattern_kind == PAT_LINGO) {
            add_lingo(out, lx->lingo[h->ref].report);
            continue;
        }
        uint32_t brand = lx->names[h->ref].brand;
        int dup = 0;
        for (int j = 0; j < out->n_mentions; j++)
            dup |= out->mentions[j].brand == brand && out->mentions[j].kind == h->kind;
        if (dup || out->n_mentions == 16) continue;
        gn_mention *m = &out->mentions[out->n_mentions++];
        m->brand = brand;
        m->kind = (gn_mention_kind)h->kind;
        m->in_title = h->start < c.title_end;
        const char *o;
        size_t on;
        original_span(&c, h->start, h->end, &o, &on);
        copy_field(m->as_written, o, on);
        copy_field(m->name, lx->names[h->ref].text, strlen(lx->names[h->ref].text));
    }
    /* "inspired by" counts only with a brand name right after it. */
    for (int i = 0; i < lx->n_lingo_wait; i++)
        for (int j = 0; j < lx->n_hits; j++)
            if (lx->hits[j].pattern_kind == PAT_NAME &&
                lx->hits[j].start >= lx->lingo_wait[i].end &&
                lx->hits[j].start <= lx->lingo_wait[i].end + 2) {
                add_lingo(out, lx->lingo[lx->lingo_wait[i].ref].report);
                break;
            }
    return 0;
}
