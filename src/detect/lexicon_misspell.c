/* The brand matcher's misspellings: a deletion-neighbourhood index of the
 * names (every string made by deleting up to d letters, hashed), built when
 * the lexicon compiles, and the per-word pass of a scan that probes it, behind
 * a per-word cache, with the optimal string alignment distance to confirm.
 * Part of the lexicon (lexicon_impl.h). */
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "core/alloc.h"
#include "detect/lexicon_impl.h"

/* ---- hashing for the misspelling index ------------------------------------ */

/* Calls fn for the hash of every string made by deleting up to `upto` letters
 * of s (each deletion count only when need[a] says so). */
typedef int (*variant_fn)(gn_lexicon *lx, uint64_t h, int a, void *ctx);

static int variants(gn_lexicon *lx, const char *s, int n, int upto, const uint8_t *need,
                    variant_fn fn, void *ctx)
{
    uint64_t H[72];
    const uint64_t *pw = lx->pow;
    H[0] = 0;
    for (int i = 0; i < n; i++)
        H[i + 1] = H[i] * HASH_P + (unsigned char)s[i];
#define SUB(a, b) (H[b] - H[a] * pw[(b) - (a)])
    if (need[0] && fn(lx, mix(H[n], (size_t)n), 0, ctx)) return 1;
    if (upto >= 1 && need[1])
        for (int i = 0; i < n; i++)
            if (fn(lx, mix(H[i] * pw[n - 1 - i] + SUB(i + 1, n), (size_t)n - 1), 1, ctx)) return 1;
    if (upto >= 2 && need[2])
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++) {
                uint64_t h = (H[i] * pw[j - 1 - i] + SUB(i + 1, j)) * pw[n - 1 - j] + SUB(j + 1, n);
                if (fn(lx, mix(h, (size_t)n - 2), 2, ctx)) return 1;
            }
#undef SUB
    return 0;
}

/* Optimal string alignment distance (a swap of neighbours is one edit), or
 * max + 1 when it is more than max: the dynamic programme, row by row. */
static int osa_distance_rows(const char *a, int n, const char *b, int m, int max)
{
    if (abs(n - m) > max) return max + 1;
    int r0[72], r1[72], r2[72];
    int *pp = r0, *p = r1, *c = r2;
    for (int j = 0; j <= m; j++)
        p[j] = j;
    for (int i = 1; i <= n; i++) {
        c[0] = i;
        int best = i;
        for (int j = 1; j <= m; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j - 1] + cost;
            if (p[j] + 1 < v) v = p[j] + 1;
            if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < best) best = v;
        }
        if (best > max) return max + 1;
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[m] <= max ? p[m] : max + 1;
}

/* The same distance with the programme's column as bits (Hyyrö's bit-vector
 * algorithm for Levenshtein distance, with his term for transpositions): one
 * step of a dozen word operations per letter of b instead of a row of n cells.
 * A pair of words against a two-word name ("sominslim" against "somintokyo")
 * was ~600 cycles. peq has 256 zeros, and has them again on return. */
static int osa_distance(uint64_t *peq, const char *a, int n, const char *b, int m, int max)
{
    if (abs(n - m) > max) return max + 1;
    if (n == 0 || n > 64) return osa_distance_rows(a, n, b, m, max);
    for (int i = 0; i < n; i++)
        peq[(unsigned char)a[i]] |= 1ULL << i;
    /* vp/vn: the column's steps up and down between a's letters; d0: where
     * the diagonal step is zero; the distance is tracked at a's last letter. */
    uint64_t vp = ~0ULL, vn = 0, d0 = 0, prev_eq = 0, last = 1ULL << (n - 1);
    int d = n;
    for (int j = 0; j < m; j++) {
        uint64_t eq = peq[(unsigned char)b[j]];
        uint64_t tr = ((~d0 & eq) << 1) & prev_eq; /* a swap of neighbours */
        d0 = (((eq & vp) + vp) ^ vp) | eq | vn | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        d += (hp & last) != 0;
        d -= (hn & last) != 0;
        hp = hp << 1 | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        prev_eq = eq;
    }
    for (int i = 0; i < n; i++)
        peq[(unsigned char)a[i]] = 0;
    return d <= max ? d : max + 1;
}

int gn_lex_misspelt_distance(const gn_lexicon *lx, int len)
{
    if (lx->opt.misspelt_min_len2 > 0 && len >= lx->opt.misspelt_min_len2) return 2;
    if (lx->opt.misspelt_min_len1 > 0 && len >= lx->opt.misspelt_min_len1) return 1;
    return 0;
}

typedef struct del_build {
    lex_del *v;
    size_t n, cap;
    uint32_t key;
    int oom;
} del_build;

static int collect_del(gn_lexicon *lx, uint64_t h, int a, void *ctx)
{
    del_build *db = ctx;
    if (db->n == db->cap) {
        size_t cap = db->cap ? db->cap * 2 : 4096;
        lex_del *t = gn_xrealloc(db->v, cap * sizeof *t);
        if (!t) {
            db->oom = 1;
            return 1;
        }
        db->v = t;
        db->cap = cap;
    }
    db->v[db->n].hash = h;
    db->v[db->n].key = db->key;
    db->n++;
    return 0;
}

static int cmp_del(const void *a, const void *b)
{
    const lex_del *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t word_poly(const char *s, size_t n)
{
    uint64_t h = 0;
    for (size_t i = 0; i < n; i++)
        h = h * HASH_P + (unsigned char)s[i];
    return h;
}

static uint64_t word_hash(const char *s, size_t n)
{
    return mix(word_poly(s, n), n);
}

static int sorted_has(const uint64_t *v, size_t n, uint64_t h)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo] == h;
}

/* Adds the deletion variants of s (up to d letters) under id. */
static int del_add(gn_lexicon *lx, del_index *ix, del_build *db, const char *s, int m, int d,
                   uint32_t id)
{
    static const uint8_t all[3] = {1, 1, 1};
    db->key = id;
    variants(lx, s, m, d, all, collect_del, db);
    if (db->oom) return -1;
    /* A word of L letters meets this entry after deleting a letters from the
     * word and b from the entry when L - a == m - b, a, b <= d. */
    for (int a = 0; a <= d; a++)
        for (int b = 0; b <= d; b++) {
            int L = m - b + a;
            if (L > 0 && L < 72) ix->need[a][L] = 1;
        }
    return 0;
}

/* The three bits a variant hash sets in its Bloom word (bit 0 of a hash is
 * always set, so it is skipped). */
static inline uint64_t bloom_bits(uint64_t h)
{
    return 1ULL << ((h >> 1) & 63) | 1ULL << ((h >> 7) & 63) | 1ULL << ((h >> 13) & 63);
}

static int del_finish(del_index *ix, del_build *db)
{
    if (db->n) /* qsort wants a valid pointer even for nothing */
        qsort(db->v, db->n, sizeof *db->v, cmp_del);
    size_t o = 0;
    for (size_t i = 0; i < db->n; i++)
        if (o == 0 || db->v[o - 1].hash != db->v[i].hash || db->v[o - 1].key != db->v[i].key)
            db->v[o++] = db->v[i];
    ix->v = db->v;
    ix->n = o;
    size_t distinct = 0;
    for (size_t i = 0; i < o; i++)
        distinct += i == 0 || ix->v[i].hash != ix->v[i - 1].hash;
    unsigned words = 6; /* log2 of the Bloom filter's 64-bit words: ~16 bits per hash */
    while (words < 24 && (1ULL << words) * 4 < distinct)
        words++;
    ix->bloom_shift = 64 - words;
    ix->bloom = gn_xcalloc(1ULL << words, sizeof(uint64_t));
    size_t slots = 16;
    while (slots < 2 * distinct)
        slots *= 2;
    ix->slots = gn_xcalloc(slots, sizeof *ix->slots);
    if (!ix->bloom || !ix->slots) return -1;
    ix->slot_mask = slots - 1;
    for (size_t i = 0; i < o;) {
        uint64_t h = ix->v[i].hash;
        size_t e = i;
        while (e < o && ix->v[e].hash == h)
            e++;
        ix->bloom[h >> ix->bloom_shift] |= bloom_bits(h);
        size_t at = (size_t)(h >> 20) & ix->slot_mask;
        while (ix->slots[at].hash)
            at = (at + 1) & ix->slot_mask;
        ix->slots[at] = (del_slot){h, (uint32_t)i, (uint32_t)(e - i)};
        i = e;
    }
    return 0;
}

int gn_lex_build_misspellings(gn_lexicon *lx)
{
    del_build full = {0}, parts = {0};
    for (size_t k = 0; k < lx->n_keys; k++) {
        const lex_key *key = &lx->keys[k];
        if (del_add(lx, &lx->full, &full, key->s, key->len, key->dist, (uint32_t)k)) goto oom;
        /* The two words of a two-word name, each within one edit, find the
         * pairs of words worth comparing with it ("Luis Vuiton"). */
        if (key->split) {
            int a = key->split, b = key->len - key->split;
            if (del_add(lx, &lx->parts, &parts, key->s, a, a >= 3, (uint32_t)k << 1) ||
                del_add(lx, &lx->parts, &parts, key->s + a, b, b >= 3, (uint32_t)k << 1 | 1))
                goto oom;
        }
    }
    del_build heads = {0};
    for (size_t k = 0; k < lx->n_head_keys; k++)
        if (del_add(lx, &lx->heads, &heads, lx->head_keys[k].s, lx->head_keys[k].len, 2,
                    (uint32_t)k)) {
            free(heads.v);
            goto oom;
        }
    if (del_finish(&lx->heads, &heads)) return -1;
    if (del_finish(&lx->full, &full)) return -1;
    if (del_finish(&lx->parts, &parts)) return -1;

    /* The names themselves, joined, in a filter of their own: a pair of words
     * whose first begins a name is looked up whole ("Guc ci"), and the full
     * index's filter, ~50 variants a name, is too large to stay near the core
     * while a listing's other work runs; this one is ~16 bits a name. */
    unsigned words = 6;
    while (words < 24 && (1ULL << words) * 4 < lx->n_keys)
        words++;
    lx->names_bloom_shift = 64 - words;
    lx->names_bloom = gn_xcalloc(1ULL << words, sizeof(uint64_t));
    for (size_t k = 0; k < lx->n_keys; k++) {
        uint64_t h = word_hash(lx->keys[k].s, lx->keys[k].len);
        lx->names_bloom[h >> lx->names_bloom_shift] |= bloom_bits(h);
    }

    /* Proper prefixes of two letters or more: a word that begins a name may
     * be the first half of a split one ("Guc ci"). */
    size_t np = 0;
    for (size_t k = 0; k < lx->n_keys; k++)
        np += lx->keys[k].len > 3 ? (size_t)lx->keys[k].len - 3 : 0;
    lx->prefixes = gn_xmalloc((np + 1) * sizeof *lx->prefixes);
    for (size_t k = 0; k < lx->n_keys; k++)
        for (int l = 2; l < lx->keys[k].len - 1; l++)
            lx->prefixes[lx->n_prefixes++] = word_hash(lx->keys[k].s, (size_t)l);
    qsort(lx->prefixes, lx->n_prefixes, sizeof *lx->prefixes, cmp_u64);

    lx->common = gn_xmalloc((lx->n_common_added + 1) * sizeof(uint64_t));
    for (size_t i = 0; i < lx->n_common_added; i++) {
        const char *w = lx->common_added[i];
        lex_norm *n = &lx->scratch_norm;
        n->len = 0;
        if (gn_lex_normalise(lx, w, strlen(w), n)) return -1;
        char j[256];
        size_t jl = 0;
        for (size_t p = 0; p < n->len && jl < 255; p++)
            if (n->txt[p] != ' ') j[jl++] = n->txt[p];
        lx->common[lx->n_common++] = word_hash(j, jl);
    }
    qsort(lx->common, lx->n_common, sizeof *lx->common, cmp_u64);
    return 0;
oom:
    free(full.v);
    free(parts.v);
    return -1;
}

/* ---- misspellings --------------------------------------------------------- */

typedef struct miss_ctx {
    const del_index *ix;
    const char *u;
    int len;
    int best_key, best_dist;
    uint32_t tried[16];
    int n_tried;
    lex_cached *out;
} miss_ctx;

/* The entries of ix whose variant hash is h. */
static size_t del_find(const del_index *ix, uint64_t h, size_t *end)
{
    uint64_t m = bloom_bits(h);
    if ((ix->bloom[h >> ix->bloom_shift] & m) != m) return *end = 0;
    for (size_t at = (size_t)(h >> 20) & ix->slot_mask;; at = (at + 1) & ix->slot_mask) {
        const del_slot *sl = &ix->slots[at];
        if (sl->hash == h) {
            *end = (size_t)sl->lo + sl->n;
            return sl->lo;
        }
        if (!sl->hash) return *end = 0;
    }
}

static int probe_full(gn_lexicon *lx, uint64_t h, int a, void *ctx)
{
    miss_ctx *m = ctx;
    size_t end, i = del_find(m->ix, h, &end);
    for (; i < end; i++) {
        uint32_t k = m->ix->v[i].key;
        const lex_key *key = &lx->keys[k];
        if (a > key->dist) continue;
        int seen = 0;
        for (int j = 0; j < m->n_tried; j++)
            seen |= m->tried[j] == k;
        if (seen) continue;
        if (m->n_tried < 16) m->tried[m->n_tried++] = k;
        int d = osa_distance(lx->peq, m->u, m->len, key->s, key->len, key->dist);
        if (d <= key->dist && (m->best_key < 0 || d < m->best_dist)) {
            m->best_key = (int)k;
            m->best_dist = d;
            if (d == 0) return 1;
        }
    }
    return 0;
}

static int probe_parts(gn_lexicon *lx, uint64_t h, int a, void *ctx)
{
    miss_ctx *m = ctx;
    size_t end, i = del_find(m->ix, h, &end);
    for (; i < end && m->out->n_parts < 3; i++) {
        uint32_t id = m->ix->v[i].key;
        const lex_key *key = &lx->keys[id >> 1];
        const char *w = id & 1 ? key->s + key->split : key->s;
        int wl = id & 1 ? key->len - key->split : key->split, max = wl >= 3;
        int dup = 0;
        for (uint32_t j = 0; j < m->out->n_parts; j++)
            dup |= m->out->parts[j] == id;
        if (!dup && a <= max && osa_distance(lx->peq, m->u, m->len, w, wl, max) <= max)
            m->out->parts[m->out->n_parts++] = id;
    }
    return 0;
}

/* What a word that matches nothing gives. */
static const lex_cached lex_none = {.key = -1};

/* Whether the quiet line q holds k: the eight compares written out, without a
 * loop's branch, since nearly every word of a listing ends here. */
static inline int quiet_has(const uint64_t *q, uint64_t k)
{
    return ((q[0] == k) | (q[1] == k) | (q[2] == k) | (q[3] == k) | (q[4] == k) | (q[5] == k) |
            (q[6] == k) | (q[7] == k));
}

/* Whether a word matched nothing at all, so the quiet table may answer for it. */
static inline int is_quiet(const lex_cached *c)
{
    return c->key < 0 && !c->n_parts && !c->prefix;
}

/* Enters a quiet word in its line: in an empty way if there is one, else in
 * the way the clock points at. Called again when a quiet word is found only in
 * the main cache, evicted from its line by others: a marketplace's vocabulary
 * (with its one-off model numbers) is larger than the table, and the words
 * that recur most are the ones that come back to it. */
static inline void quiet_add(gn_lexicon *lx, uint64_t *q, uint64_t k)
{
    for (int w = 0; w < 8; w++)
        if (!q[w]) {
            q[w] = k;
            return;
        }
    q[lx->quiet_clock++ & 7] = k;
}

/* What a folded word matches: the closest name within its distance and the
 * two-word names one of whose words it nearly is. Cached by the word's hash:
 * most words of a listing have been seen before and match nothing. */
static const lex_cached *word_lookup(gn_lexicon *lx, const char *u, int len, uint64_t k)
{
    if (len < 1 || len >= 64) return &lex_none;
    uint8_t nf = lx->full.need[0][len] | lx->full.need[1][len] | lx->full.need[2][len];
    uint8_t np = lx->parts.need[0][len] | lx->parts.need[1][len];
    if (!nf && !np && len < 2) return &lex_none;
    if (!k) k = word_key(u, (size_t)len);
    uint64_t *q = quiet_line(lx, k);
    if (quiet_has(q, k)) return &lex_none;
    lex_cached *set = cache_set(lx, k), *c = set;
    if (set[0].hash == k) {
        if (is_quiet(set)) quiet_add(lx, q, k);
        return set;
    }
    if (set[1].hash == k) { /* becomes the most recent */
        lex_cached t = set[1];
        set[1] = set[0];
        set[0] = t;
        if (is_quiet(set)) quiet_add(lx, q, k);
        return set;
    }
    set[1] = set[0]; /* the least recent goes */
    memset(c, 0, sizeof *c);
    c->key = -1;
    miss_ctx m = {.ix = &lx->full, .u = u, .len = len, .best_key = -1, .out = c};
    if (nf) {
        uint8_t need[3] = {lx->full.need[0][len], lx->full.need[1][len], lx->full.need[2][len]};
        variants(lx, u, len, 2, need, probe_full, &m);
        c->key = m.best_key;
        c->dist = (uint8_t)m.best_dist;
    }
    if (np) {
        m.ix = &lx->parts;
        uint8_t need[3] = {lx->parts.need[0][len], lx->parts.need[1][len], 0};
        variants(lx, u, len, 1, need, probe_parts, &m);
    }
    c->prefix = (uint8_t)sorted_has(lx->prefixes, lx->n_prefixes, word_hash(u, (size_t)len));
    c->hash = k;
    if (is_quiet(c)) /* quiet: next time one line, not two */
        quiet_add(lx, q, k);
    return c;
}

/* The name whose folded form is exactly u (of hash h), or -1. */
static int exact_key(gn_lexicon *lx, const char *u, int len, uint64_t h)
{
    if (len >= 64 || !lx->full.need[0][len]) return -1;
    uint64_t m = bloom_bits(h);
    if ((lx->names_bloom[h >> lx->names_bloom_shift] & m) != m) return -1;
    size_t end, i = del_find(&lx->full, h, &end);
    for (; i < end; i++) {
        const lex_key *key = &lx->keys[lx->full.v[i].key];
        if (key->len == len && memcmp(key->s, u, (size_t)len) == 0) return (int)lx->full.v[i].key;
    }
    return -1;
}

static int is_common(const gn_lexicon *lx, const char *u, int len)
{
    uint64_t h = word_hash(u, (size_t)len);
    size_t lo = 0, hi = lx->n_common;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (lx->common[mid] < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < lx->n_common && lx->common[lo] == h;
}

static int overlaps_name(const gn_lexicon *lx, size_t s, size_t e)
{
    for (int i = 0; i < lx->n_hits; i++)
        if (lx->hits[i].pattern_kind == PAT_NAME && lx->hits[i].start < e && s < lx->hits[i].end)
            return 1;
    return 0;
}

static void add_misspelt(gn_lexicon *lx, size_t s, size_t e, int key, gn_mention_kind kind)
{
    if (lx->n_hits < MAX_HITS)
        lx->hits[lx->n_hits++] =
            (lex_hit){(uint32_t)s, (uint32_t)e, lx->keys[key].name, PAT_NAME, (uint8_t)kind};
}

/* A pair of neighbouring words against the two-word names either word is
 * close to, and joined against every name ("Guc ci"). */
static void check_pair(gn_lexicon *lx, const lex_cached *w1, const lex_cached *w2, size_t ps,
                       size_t pe, size_t ts, size_t te)
{
    if (!w1->prefix && !w1->n_parts && !w2->n_parts) return; /* the usual case */
    const lex_norm *nb = &lx->norm;
    char u[64];
    size_t a = pe - ps, b = te - ts;
    if (a + b >= 64 || overlaps_name(lx, ps, te)) return;
    memcpy(u, nb->txt + ps, a);
    memcpy(u + a, nb->txt + ts, b);
    int n = (int)(a + b);
    if (w1->prefix && a >= 2 && b >= 2) {
        int k = exact_key(lx, u, n, word_hash(u, (size_t)n));
        if (k >= 0) {
            if (!(a < 64 && (lx->keys[k].gaps >> a & 1)))
                add_misspelt(lx, ps, te, k, GN_MENTION_LOOKALIKE);
            return;
        }
    }
    for (int side = 0; side < 2; side++) {
        const lex_cached *w = side ? w2 : w1;
        for (uint32_t i = 0; i < w->n_parts; i++) {
            if ((w->parts[i] & 1) != (uint32_t)side) continue;
            const lex_key *key = &lx->keys[w->parts[i] >> 1];
            int d = osa_distance(lx->peq, u, n, key->s, key->len, key->dist);
            if (d > 0 && d <= key->dist && !is_common(lx, u, n)) {
                add_misspelt(lx, ps, te, (int)(w->parts[i] >> 1), GN_MENTION_MISSPELT);
                return;
            }
        }
    }
}

/* Where the token of word bytes starting at ts ends; whether it is all ASCII
 * and whether a soft mark splits it. Sixteen flags at a time where SSE2 is
 * there (normalise leaves slack past the text; nothing past n is used). */
static size_t token_end(const lex_norm *nb, size_t ts, size_t n, int *ascii, int *softs)
{
    size_t te = ts;
    unsigned high = 0, soft = 0;
#ifdef __SSE2__
    const __m128i fw = _mm_set1_epi8(F_WORD), fs = _mm_set1_epi8(F_SOFT);
    for (;;) {
        __m128i f = _mm_loadu_si128((const __m128i *)(nb->fl + te));
        unsigned w = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(f, fw), fw));
        size_t run = w == 0xffff ? 16 : (size_t)__builtin_ctz(~w);
        if (run > n - te) run = n - te;
        unsigned keep = (unsigned)((1u << run) - 1);
        high |=
            (unsigned)_mm_movemask_epi8(_mm_loadu_si128((const __m128i *)(nb->txt + te))) & keep;
        soft |= (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_and_si128(f, fs), fs)) & keep &
                (te == ts ? ~1u : ~0u); /* a soft mark on the first byte splits nothing */
        te += run;
        if (run < 16) break;
    }
#else
    while (te < n && (nb->fl[te] & F_WORD)) {
        high |= (unsigned char)nb->txt[te] >= 0x80;
        soft |= te > ts && (nb->fl[te] & F_SOFT);
        te++;
    }
#endif
    *ascii = !high;
    *softs = soft != 0;
    return te;
}

/* Lists the tokens of the folded text and asks for the cache lines of their
 * words, all before the first lookup: each lookup is a read from a table
 * larger than L2 (or evicted while Hyperscan ran), and ~150 reads issued
 * together cost little more than one, where one after the other they were
 * most of the pass. */
int gn_lex_list_tokens(gn_lexicon *lx, size_t *count)
{
    const lex_norm *nb = &lx->norm;
    size_t n = nb->len, nt = 0;
    if (lx->cap_tokens < n / 2 + 1) { /* a token and the byte after it: at most n/2 + 1 */
        lex_token *t = gn_xrealloc(lx->tokens, (n / 2 + 64) * sizeof *t);
        lx->tokens = t;
        lx->cap_tokens = n / 2 + 64;
    }
    for (size_t i = 0; i < n;) {
        if (!(nb->fl[i] & F_WORD)) {
            i++;
            continue;
        }
        lex_token *t = &lx->tokens[nt++];
        int ascii, softs;
        t->ts = (uint32_t)i;
        t->te = (uint32_t)token_end(nb, i, n, &ascii, &softs);
        t->ascii = (uint8_t)ascii;
        t->softs = (uint8_t)softs;
        t->key = 0;
        size_t len = t->te - t->ts;
        if (ascii && !softs && len < 64) {
            t->key = word_key(nb->txt + i, len);
            __builtin_prefetch(quiet_line(lx, t->key)); /* most words end there */
        }
        i = t->te;
    }
    *count = nt;
    return 0;
}

/* Tries each ASCII word, each word split by separators as a whole, and each
 * pair of neighbouring words ("Louis Vuiton", "Guc ci"), from the nt tokens
 * list_tokens found. */
void gn_lex_find_misspellings(gn_lexicon *lx, size_t nt)
{
    if (lx->n_keys == 0) return;
    const lex_norm *nb = &lx->norm;
    size_t ps = 0, pe = 0; /* the previous word, when it is a usable neighbour */
    int have_prev = 0;
    /* The results of this word and the one before, copied out of the cache
     * (a later lookup may move them there) unless they are lex_none. */
    lex_cached held[2];
    const lex_cached *prev = &lex_none, *cur = &lex_none;
    for (size_t x = 0; x < nt; x++) {
        const lex_token *t = &lx->tokens[x];
        size_t ts = t->ts, te = t->te;
        /* Neighbours are separated by exactly one space. */
        if (!(ts == pe + 1 && nb->txt[pe] == ' ')) have_prev = 0;
        if (!t->ascii) {
            have_prev = 0;
            continue;
        }
        int softs = t->softs;
        size_t ws = ts;
        if (!softs) { /* one word, the usual case */
            const lex_cached *c = &lex_none;
            if (!t->key || !quiet_has(quiet_line(lx, t->key), t->key)) {
                c = word_lookup(lx, nb->txt + ts, (int)(te - ts), t->key);
                if (c != &lex_none) {
                    held[x & 1] = *c;
                    c = &held[x & 1];
                }
            }
            cur = c;
            if (c->key >= 0 && c->dist > 0 && !overlaps_name(lx, ts, te) &&
                !is_common(lx, nb->txt + ts, (int)(te - ts)))
                add_misspelt(lx, ts, te, c->key, GN_MENTION_MISSPELT);
            ws = te;
        }
        for (size_t p = ws + 1; p <= te; p++) {
            if (p < te && !(nb->fl[p] & F_SOFT)) continue;
            int wl = (int)(p - ws);
            const lex_cached *c = word_lookup(lx, nb->txt + ws, wl, 0);
            if (c->key >= 0 && c->dist > 0 && !overlaps_name(lx, ws, p) &&
                !is_common(lx, nb->txt + ws, wl))
                add_misspelt(lx, ws, p, c->key, GN_MENTION_MISSPELT);
            ws = p;
        }
        if (softs) {
            const lex_cached *c = word_lookup(lx, nb->txt + ts, (int)(te - ts), 0);
            if (c->key >= 0 && c->dist > 0 && !overlaps_name(lx, ts, te))
                add_misspelt(lx, ts, te, c->key, GN_MENTION_MISSPELT);
        } else if (have_prev) {
            check_pair(lx, prev, cur, ps, pe, ts, te);
        }
        have_prev = !softs;
        if (have_prev) prev = cur;
        ps = ts;
        pe = te;
    }
}

/* ---- the word where a listing names its brand ----------------------------- */

typedef struct near_ctx {
    const char *u;
    int len, max, n, cap;
    uint32_t *brands;
    int *dist;
    uint32_t tried[32];
    int n_tried;
    uint32_t exact[16]; /* brands the word is a name of: never answered */
    int n_exact;
} near_ctx;

static void drop_answer(near_ctx *m, int j)
{
    for (; j + 1 < m->n; j++)
        m->brands[j] = m->brands[j + 1], m->dist[j] = m->dist[j + 1];
    m->n--;
}

static int probe_heads(gn_lexicon *lx, uint64_t h, int a, void *ctx)
{
    near_ctx *m = ctx;
    size_t end, i = del_find(&lx->heads, h, &end);
    for (; i < end; i++) {
        uint32_t k = lx->heads.v[i].key;
        int seen = 0;
        for (int j = 0; j < m->n_tried; j++)
            seen |= m->tried[j] == k;
        if (seen) continue;
        if (m->n_tried < 32) m->tried[m->n_tried++] = k;
        const lex_key *key = &lx->head_keys[k];
        int d = osa_distance(lx->peq, m->u, m->len, key->s, key->len, m->max);
        if (d > m->max) continue;
        uint32_t brand = lx->names[key->name].brand;
        int dup = -1, exact = 0;
        for (int j = 0; j < m->n; j++)
            if (m->brands[j] == brand) dup = j;
        for (int j = 0; j < m->n_exact; j++)
            exact |= m->exact[j] == brand;
        /* The word is one of the brand's names: the brand itself, not a
         * misspelling of it, whatever its other names. */
        if (d == 0) {
            if (dup >= 0) drop_answer(m, dup);
            if (!exact && m->n_exact < 16) m->exact[m->n_exact++] = brand;
            continue;
        }
        if (exact) continue;
        /* A brand already found by another of its names keeps the closer. */
        if (dup >= 0 && m->dist[dup] <= d) continue;
        if (dup >= 0) drop_answer(m, dup);
        int at = 0;
        while (at < m->n && m->dist[at] <= d)
            at++;
        if (at == m->cap) continue;
        int last = m->n < m->cap ? m->n : m->cap - 1;
        for (int j = last; j > at; j--)
            m->brands[j] = m->brands[j - 1], m->dist[j] = m->dist[j - 1];
        m->brands[at] = brand;
        m->dist[at] = d;
        if (m->n < m->cap) m->n++;
    }
    return 0;
}

int gn_lexicon_near_word(gn_lexicon *lx, const char *word, size_t n, int max, uint32_t *brands,
                         int *dist, int cap)
{
    char u[32];
    if (!lx->head_keys || n < 2 || n >= sizeof u || max < 1 || max > 2 || cap < 1) return 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)word[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return 0;
        u[i] = (char)c;
    }
    u[n] = 0;
    if (is_common(lx, u, (int)n)) return 0;
    int len = (int)n;
    near_ctx m = {.u = u, .len = len, .max = max, .cap = cap, .brands = brands, .dist = dist};
    uint8_t need[3] = {lx->heads.need[0][len], lx->heads.need[1][len],
                       (uint8_t)(max >= 2 && lx->heads.need[2][len])};
    variants(lx, u, len, max, need, probe_heads, &m);
    return m.n;
}
