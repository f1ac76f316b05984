/* The brand and counterfeit-lingo matcher. A listing's text is folded in one C
 * pass (case, diacritics, look-alike letters, separators) through a per-code-point
 * table that ICU fills lazily, then scanned once by Hyperscan for every name and
 * lingo term; misspellings are found per word through a deletion-neighbourhood
 * index, because Hyperscan's own edit-distance patterns are far too slow at this
 * scale (docs/text-matching.md gives the figures). */
#include "detect/lexicon.h"

#include <hs/hs.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/uspoof.h>
#include <unicode/ustring.h>

#include "core/alloc.h"
#include "core/error.h"

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

/* ---- the built-in lingo list --------------------------------------------- */

static const char *const not_next_replica[] = {"jersey", "jerseys",  "kit",    "kits",  "shirt",
                                               "shirts", "football", "soccer", "model", NULL};
static const char *const not_prev_replica[] = {"margiela", NULL};
static const char *const not_next_ratio[] = {"scale",   "ratio",  "aspect", "model", "models",
                                             "diecast", "square", "crop",   "print", NULL};
static const char *const not_next_battery[] = {"battery", "batteries", "cell",
                                               "cells",   "size",      NULL};
static const char *const not_next_fake[] = {
    "fur",    "leather", "flower",  "flowers", "plant",     "plants",   "eyelashes",
    "lashes", "nails",   "grass",   "snow",    "tan",       "blood",    "food",
    "fruit",  "tattoo",  "tattoos", "money",   "moustache", "mustache", "beard",
    "news",   "tree",    "trees",   NULL};
static const char *const not_prev_fake[] = {"not", "no", "never", "isnt", "anti", "arent", NULL};
static const char *const not_next_imitation[] = {"piel", "cuero", "leather", "couro", NULL};

/* Terms as sellers write them; the text reported is the term's usual spelling.
 * Chosen for precision: a term ordinary goods use ("AAA" alone, "copy",
 * "imitation") is either left out or listed with the words that clear it. */
static const lex_lingo lingo_terms[] = {
    {"replica", "replica", not_next_replica, not_prev_replica, 0},
    {"replicas", "replica", not_next_replica, not_prev_replica, 0},
    {"1:1", "1:1", not_next_ratio, NULL, 0},
    {"1:1 copy", "1:1", NULL, NULL, 0},
    {"1比1", "1:1", NULL, NULL, 0},
    {"aaa grade", "AAA", NULL, NULL, 0},
    {"aaa quality", "AAA", NULL, NULL, 0},
    {"aaa+", "AAA", NULL, NULL, 0},
    {"aaaa", "AAA", not_next_battery, NULL, 0},
    {"aaaaa", "AAA", NULL, NULL, 0},
    {"grade aaa", "AAA", NULL, NULL, 0},
    {"mirror quality", "mirror quality", NULL, NULL, 0},
    {"mirror grade", "mirror quality", NULL, NULL, 0},
    {"mirror copy", "mirror quality", NULL, NULL, 0},
    {"inspired by", "inspired by", NULL, NULL, 1},
    {"super copy", "super copy", NULL, NULL, 0},
    {"super fake", "super copy", NULL, NULL, 0},
    {"first copy", "first copy", NULL, NULL, 0},
    {"master copy", "first copy", NULL, NULL, 0},
    {"high copy", "first copy", NULL, NULL, 0},
    {"fake", "fake", not_next_fake, not_prev_fake, 0},
    {"fakes", "fake", not_next_fake, not_prev_fake, 0},
    {"knockoff", "knockoff", NULL, NULL, 0},
    {"knock off", "knockoff", NULL, NULL, 0},
    {"knockoffs", "knockoff", NULL, NULL, 0},
    {"unbranded copy", "unbranded copy", NULL, NULL, 0},
    {"高仿", "高仿", NULL, NULL, 0},
    {"复刻", "复刻", NULL, NULL, 0},
    {"a货", "A货", NULL, NULL, 0},
    {"精仿", "精仿", NULL, NULL, 0},
    {"原单", "原单", NULL, NULL, 0},
    {"超a", "超A", NULL, NULL, 0},
    {"仿品", "仿品", NULL, NULL, 0},
    {"réplique", "réplique", not_next_replica, NULL, 0},
    {"répliques", "réplique", not_next_replica, NULL, 0},
    {"imitación", "imitación", not_next_imitation, NULL, 0},
    {"imitação", "imitação", not_next_imitation, NULL, 0},
    {"replik", "Replik", NULL, NULL, 0},
    {"repliken", "Replik", NULL, NULL, 0},
    {"replika", "Replik", NULL, NULL, 0},
    {"fälschung", "Fälschung", NULL, NULL, 0},
    {"копия", "копия", NULL, NULL, 0},
    {"реплика", "реплика", NULL, NULL, 0},
    {"подделка", "подделка", NULL, NULL, 0},
};
#define N_LINGO (sizeof lingo_terms / sizeof lingo_terms[0])

/* Everyday words a misspelling search would take for a brand. */
static const char *const builtin_common[] = {
    "channel", "channels", "carrier", "carriers", "couch",  "guest",  "guests", "casino",
    "panda",   "pandas",   "rolled",  "gusset",   "primer", "primed", "career", "careers",
    "verse",   "verses",   "fenders", "cosine",   "versed", "herpes", "hermit", "puppy",
    "sonic",   "genes",    "apply",   "ample",    NULL};

/* ---- building the fold table (ICU, once per 256 code points) -------------- */

static int is_cjk_script(UChar32 cp)
{
    UErrorCode st = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(cp, &st);
    switch (sc) {
    case USCRIPT_HAN:
    case USCRIPT_HIRAGANA:
    case USCRIPT_KATAKANA:
    case USCRIPT_HANGUL:
    case USCRIPT_BOPOMOFO:
    case USCRIPT_THAI:
    case USCRIPT_LAO:
    case USCRIPT_KHMER:
    case USCRIPT_MYANMAR:
    case USCRIPT_TIBETAN:
        return 1;
    default:
        return 0;
    }
}

/* Shapes confusables.txt does not pair with Latin but sellers use as Latin. */
static char supplement(UChar32 cp)
{
    switch (cp) {
    case 0x039E: /* Greek capital Xi */
    case 0x03A3: /* Greek capital Sigma */
    case 0x2203: /* there exists */
    case 0x20AC: /* euro sign */
        return 'e';
    case 0x0418: /* Cyrillic capital I, a mirrored N */
    case 0x041F: /* Cyrillic capital Pe */
    case 0x03A0: /* Greek capital Pi */
        return 'n';
    case 0x042F: /* Cyrillic capital Ya, a mirrored R */
        return 'r';
    case 0x0428: /* Cyrillic capital Sha */
        return 'w';
    default:
        return 0;
    }
}

static int ascii_alnum_u(const UChar *s, int n)
{
    if (n <= 0) return 0;
    for (int i = 0; i < n; i++)
        if (s[i] > 0x7f || !((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'z') ||
                             (s[i] >= 'A' && s[i] <= 'Z')))
            return 0;
    return 1;
}

static int all_ascii_u(const UChar *s, int n)
{
    for (int i = 0; i < n; i++)
        if (s[i] > 0x7f) return 0;
    return 1;
}

static void put_ascii(fold_entry *e, const UChar *s, int n)
{
    e->len = (uint8_t)n;
    for (int i = 0; i < n; i++) {
        char c = (char)s[i];
        e->out[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
    }
}

/* Writes cp's UTF-8 into out, returning its length. */
static int utf8_put(char *out, UChar32 cp)
{
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xc0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xe0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (char)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (char)(0xf0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (char)(0x80 | (cp & 0x3f));
    return 4;
}

/* The folded form of a letter or digit: a look-alike's Latin letter when there
 * is one, else the letter with case and compatibility folded and marks removed. */
static void fold_word(gn_lexicon *lx, UChar32 cp, fold_entry *e)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar s[4], sk[16], f[16], d[32], g[32];
    int n = 0;
    U16_APPEND_UNSAFE(s, n, cp);
    e->len = (uint8_t)utf8_put(e->out, cp);

    char sup = supplement(cp);
    if (sup) {
        e->out[0] = sup;
        e->len = 1;
        e->bits |= F_LOOK;
        return;
    }
    /* Compatibility, case and diacritics first: fullwidth and mathematical
     * letters, ligatures and accented letters have a plain ASCII form. */
    int fn = unorm2_normalize(lx->nfkc_cf, s, n, f, 16, &st);
    if (U_FAILURE(st) || fn == 0) return;
    int dn = unorm2_normalize(lx->nfd, f, fn, d, 32, &st);
    if (U_FAILURE(st)) return;
    int gn = 0, stripped = 0;
    for (int i = 0; i < dn;) {
        UChar32 c;
        U16_NEXT(d, i, dn, c);
        int t = u_charType(c);
        if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK) {
            stripped = 1;
            continue;
        }
        if (gn + 2 > 32) return;
        U16_APPEND_UNSAFE(g, gn, c);
    }
    if (gn == 0) return;
    int compat = u_getIntPropertyValue(cp, UCHAR_DECOMPOSITION_TYPE);
    compat = compat != U_DT_NONE && compat != U_DT_CANONICAL;
    if (all_ascii_u(g, gn) && gn <= 5) {
        put_ascii(e, g, gn);
        e->bits |= compat ? F_LOOK : F_ACC;
        return;
    }
    /* Then the confusable skeleton, of the letter as written (a capital Greek
     * Nu looks like N, its small form like v); but skeletons map every capital
     * I-like letter to "l", which in lower-cased text means "i". */
    int k = uspoof_getSkeleton(lx->spoof, 0, s, n, sk, 16, &st);
    if (U_SUCCESS(st) && k == 1 && sk[0] == 'l' && u_isupper(cp)) {
        st = U_ZERO_ERROR;
        k = uspoof_getSkeleton(lx->spoof, 0, g, gn, sk, 16, &st);
        if (U_FAILURE(st) || !ascii_alnum_u(sk, k)) {
            sk[0] = 'i';
            k = 1;
        }
    }
    if (U_SUCCESS(st) && k <= 4 && ascii_alnum_u(sk, k)) {
        put_ascii(e, sk, k);
        e->bits |= F_LOOK;
        return;
    }
    st = U_ZERO_ERROR;
    k = uspoof_getSkeleton(lx->spoof, 0, g, gn, sk, 16, &st);
    if (U_SUCCESS(st) && k <= 4 && ascii_alnum_u(sk, k)) {
        put_ascii(e, sk, k);
        e->bits |= F_LOOK;
        return;
    }
    char buf[40];
    int bl = 0;
    for (int i = 0; i < gn && bl <= 5;) {
        UChar32 c;
        U16_NEXT(g, i, gn, c);
        bl += utf8_put(buf + bl, c);
    }
    if (bl <= 5) {
        memcpy(e->out, buf, (size_t)bl);
        e->len = (uint8_t)bl;
        if (stripped)
            e->bits |= F_ACC;
        else if (compat)
            e->bits |= F_LOOK;
    }
}

static int is_joiner_cp(UChar32 cp)
{
    switch (cp) {
    case '-':
    case '.':
    case '_':
    case '*':
    case '\'':
    case '`':
    case '~':
    case '|':
    case '/':
    case '\\':
    case ':':
    case ',':
    case '+':
    case '^':
    case '=':
    case '#':
    case 0x00B7: /* middle dot */
    case 0x2022: /* bullet */
    case 0x2027:
    case 0x2219:
    case 0x22C5:
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2018:
    case 0x2019:
    case 0x30FB: /* katakana middle dot */
        return 1;
    default:
        return 0;
    }
}

static void fold_entry_make(gn_lexicon *lx, UChar32 cp, fold_entry *e)
{
    memset(e, 0, sizeof *e);
    e->len = (uint8_t)utf8_put(e->out, cp);
    int t = u_charType(cp);
    if (cp >= 0xD800 && cp <= 0xDFFF) {
        e->cls = FC_SPACE;
        return;
    }
    if (u_isUWhiteSpace(cp) || t == U_CONTROL_CHAR || t == U_SPACE_SEPARATOR ||
        t == U_LINE_SEPARATOR || t == U_PARAGRAPH_SEPARATOR || t == U_UNASSIGNED ||
        t == U_PRIVATE_USE_CHAR) {
        e->cls = FC_SPACE;
        return;
    }
    if (t == U_NON_SPACING_MARK || t == U_ENCLOSING_MARK) {
        e->cls = FC_MARK;
        return;
    }
    if (t == U_FORMAT_CHAR || u_hasBinaryProperty(cp, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
        e->cls = FC_IGNORE;
        return;
    }
    if (u_isalnum(cp) || t == U_COMBINING_SPACING_MARK || t == U_LETTER_NUMBER ||
        t == U_OTHER_NUMBER) {
        e->cls = is_cjk_script(cp) ? FC_CJK : FC_WORD;
        if (u_isalpha(cp) || t == U_COMBINING_SPACING_MARK) e->bits |= F_LETTER;
        if (cp >= 0x80)
            fold_word(lx, cp, e);
        else if (cp >= 'A' && cp <= 'Z')
            e->out[0] = (char)(cp + 32);
        return;
    }
    /* Punctuation and symbols: fullwidth forms fold to ASCII ("：" is ":"). */
    e->cls = FC_PUNCT;
    if (cp >= 0x80) {
        UErrorCode st = U_ZERO_ERROR;
        UChar s[4], f[16];
        int n = 0;
        U16_APPEND_UNSAFE(s, n, cp);
        int fn = unorm2_normalize(lx->nfkc_cf, s, n, f, 16, &st);
        if (U_SUCCESS(st) && fn == 1 && f[0] < 0x80 && f[0] > 0x20 &&
            !((f[0] >= '0' && f[0] <= '9') || (f[0] >= 'a' && f[0] <= 'z'))) {
            e->out[0] = (char)f[0];
            e->len = 1;
            cp = f[0];
        }
    }
    if (is_joiner_cp(cp)) e->cls = FC_JOINER;
}

static void fold_ascii_init(gn_lexicon *lx)
{
    _Static_assert(F_LETTER == 0x20, "ASCII lower-casing ORs F_LETTER in");
    for (int c = 0; c < 256; c++)
        lx->ascii_word[c] = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ? F_WORD | F_LETTER
                            : c >= '0' && c <= '9'                           ? F_WORD
                                                                             : 0;
    for (int c = 0; c < 128; c++) {
        fold_entry *e = &lx->ascii[c];
        memset(e, 0, sizeof *e);
        e->len = 1;
        e->out[0] = (char)c;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
            e->cls = FC_WORD;
            e->bits = F_LETTER;
            e->out[0] = (char)(c | 0x20);
        } else if (c >= '0' && c <= '9') {
            e->cls = FC_WORD;
        } else if (c <= 0x20 || c == 0x7f) {
            e->cls = FC_SPACE;
        } else {
            e->cls = is_joiner_cp(c) ? FC_JOINER : FC_PUNCT;
        }
    }
}

static int fold_tools(gn_lexicon *lx)
{
    if (lx->spoof) return 0;
    UErrorCode st = U_ZERO_ERROR;
    lx->nfkc_cf = unorm2_getNFKCCasefoldInstance(&st);
    lx->nfd = unorm2_getNFDInstance(&st);
    if (U_FAILURE(st)) return -1;
    lx->spoof = uspoof_open(&st);
    if (U_FAILURE(st)) {
        lx->spoof = NULL;
        return -1;
    }
    return 0;
}

/* The entry of a non-ASCII code point, filling its block on first use. */
static const fold_entry *fold_lookup(gn_lexicon *lx, UChar32 cp)
{
    fold_entry *b = lx->blocks[cp >> BLOCK_BITS];
    if (b) return &b[cp & ((1 << BLOCK_BITS) - 1)];
    if (fold_tools(lx)) return NULL;
    b = gn_xmalloc(sizeof(fold_entry) << BLOCK_BITS);
    UChar32 base = cp & ~((1 << BLOCK_BITS) - 1);
    for (int i = 0; i < (1 << BLOCK_BITS); i++)
        fold_entry_make(lx, base + i, &b[i]);
    lx->blocks[cp >> BLOCK_BITS] = b;
    return &b[cp & ((1 << BLOCK_BITS) - 1)];
}

/* ---- the one-pass normaliser ---------------------------------------------- */

/* Decodes one UTF-8 sequence; returns its length, or 0 when it is invalid. */
static int utf8_get(const unsigned char *s, size_t n, UChar32 *cp)
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

static int norm_reserve(lex_norm *nb, size_t extra)
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

static inline void emit(lex_norm *nb, const fold_entry *e, uint32_t off, uint8_t fl)
{
    for (int k = 0; k < e->len; k++) {
        nb->txt[nb->len] = e->out[k];
        nb->fl[nb->len] = k ? (uint8_t)(fl & ~F_SOFT) : fl;
        nb->src[nb->len] = off;
        nb->len++;
    }
}

static inline void emit_byte(lex_norm *nb, char c, uint32_t off)
{
    nb->txt[nb->len] = c;
    nb->fl[nb->len] = 0;
    nb->src[nb->len] = off;
    nb->len++;
}

/* Joins spaced-out words ("G u c c i" becomes "gucci", each join marked soft)
 * and drops spaces between two CJK letters ("古 驰"). */
static void norm_join(lex_norm *nb, size_t start)
{
    char *t = nb->txt;
    uint8_t *f = nb->fl;
    uint32_t *s = nb->src;
    size_t n = nb->len, o = nb->post_from;
#define SINGLE(p)                                                                                  \
    ((f[p] & F_LETTER) && (unsigned char)t[p] < 0x80 && ((p) == start || !(f[(p)-1] & F_WORD)) &&  \
     ((p) + 1 == n || !(f[(p) + 1] & F_WORD)))
    /* Before post_from nothing changes: start there, with nothing moved yet. */
    for (size_t i = nb->post_from; i < n;) {
        if ((f[i] & F_WORD) && SINGLE(i)) {
            size_t j = i;
            int k = 1;
            while (j + 2 < n && t[j + 1] == ' ' && (f[j + 2] & F_WORD) && SINGLE(j + 2)) {
                j += 2;
                k++;
            }
            if (k >= 3) {
                for (size_t p = i; p <= j; p += 2) {
                    t[o] = t[p];
                    f[o] = (uint8_t)(f[p] | (p > i ? F_SOFT : 0));
                    s[o] = s[p];
                    o++;
                }
                i = j + 1;
                continue;
            }
        }
        if (t[i] == ' ' && i > start && i + 1 < n && (f[i - 1] & F_CJK) && (f[i + 1] & F_CJK)) {
            f[i + 1] |= F_SOFT;
            i++;
            continue;
        }
        t[o] = t[i];
        f[o] = f[i];
        s[o] = s[i];
        o++;
        i++;
    }
#undef SINGLE
    nb->len = o;
}

/* Copies a run of ASCII letters and digits starting at s[i], folded, with
 * their flags and offsets, and returns where the run ends. Sixteen bytes at a
 * time where SSE2 is there: most of a listing is such runs, and the bytes past
 * the run that a block writes are overwritten later or lie in the slack that
 * normalise reserves. */
static size_t fold_run(const uint8_t *word, const unsigned char *s, size_t i, size_t n,
                       lex_norm *nb)
{
    size_t o = nb->len;
    char *t = nb->txt;
    uint8_t *f = nb->fl;
    uint32_t *src = nb->src;
#ifdef __SSE2__
    const __m128i a = _mm_set1_epi8('a' - 128), z26 = _mm_set1_epi8(-128 + 26);
    const __m128i d0 = _mm_set1_epi8('0' - 128), d10 = _mm_set1_epi8(-128 + 10);
    const __m128i lower = _mm_set1_epi8(0x20), fw = _mm_set1_epi8(F_WORD);
    const __m128i step = _mm_set1_epi32(4);
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(s + i));
        __m128i lc = _mm_or_si128(v, lower);
        /* Unsigned range checks as signed compares after a shift by 128. */
        __m128i letter = _mm_cmplt_epi8(_mm_sub_epi8(lc, a), z26);
        __m128i digit = _mm_cmplt_epi8(_mm_sub_epi8(v, d0), d10);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(letter, digit));
        __m128i lbit = _mm_and_si128(letter, lower); /* 0x20 is both F_LETTER and lower case */
        _mm_storeu_si128((__m128i *)(t + o), _mm_or_si128(v, lbit));
        _mm_storeu_si128((__m128i *)(f + o),
                         _mm_and_si128(_mm_or_si128(letter, digit), _mm_or_si128(fw, lbit)));
        __m128i off = _mm_add_epi32(_mm_set1_epi32((int)i), _mm_setr_epi32(0, 1, 2, 3));
        for (int k = 0; k < 16; k += 4) {
            _mm_storeu_si128((__m128i *)(src + o + k), off);
            off = _mm_add_epi32(off, step);
        }
        unsigned run = m == 0xffff ? 16 : (unsigned)__builtin_ctz(~m);
        i += run;
        o += run;
        if (run < 16) {
            nb->len = o;
            return i;
        }
    }
#endif
    while (i < n && word[s[i]]) {
        uint8_t fl = word[s[i]];
        t[o] = (char)(s[i] | (fl & F_LETTER)); /* F_LETTER is 0x20: lower case */
        f[o] = fl;
        src[o] = (uint32_t)i;
        o++;
        i++;
    }
    nb->len = o;
    return i;
}

/* Notes that norm_join has work from offset p on. */
static inline void join_from(lex_norm *nb, size_t p)
{
    if (p < nb->post_from) nb->post_from = p;
}

/* Whether the folded byte at p is a lone ASCII letter so far (the byte after
 * it is the space about to be written). */
static inline int single_before(const lex_norm *nb, size_t start, size_t p)
{
    return (nb->fl[p] & (F_WORD | F_LETTER)) == (F_WORD | F_LETTER) &&
           (unsigned char)nb->txt[p] < 0x80 && (p == start || !(nb->fl[p - 1] & F_WORD));
}

/* The space before a word (len > start; not between two CJK letters, which
 * normalise drops itself). The joining pass runs when a word of one byte or a
 * CJK letter stood before such a space (post), but it only changes something
 * from a lone letter, a space and a second lone letter ("G u" of "G u c c i";
 * a run needs three): it starts there, and when there is none it does not
 * run, so a lone "a" or "2" in a description costs nothing. */
static inline void space_before_word(lex_norm *nb, size_t start, uint32_t at)
{
    size_t l = nb->len;
    if (l - start == 1 || nb->txt[l - 2] == ' ' || (nb->fl[l - 1] & F_CJK)) nb->post = 1;
    if (l - start >= 3 && nb->txt[l - 2] == ' ' && single_before(nb, start, l - 1) &&
        single_before(nb, start, l - 3))
        join_from(nb, l - 3);
    emit_byte(nb, ' ', at);
}

#ifdef __SSE2__
/* Folding whole blocks of plain text. From s[i] (a letter or digit, with
 * nothing pending), the word-at-a-time path below writes runs of ASCII letters
 * and digits, each followed by one space, or by one punctuation mark and a
 * space, and then by the next run, one output byte per input byte (a space's
 * offset is the next word's). Such a stretch is found in the bits of a
 * 64-byte block and written whole; the joining pass's two triggers at each
 * space (a one-letter word before it; two lone letters around a space before
 * it) are read from the same bits. A stretch stops at a letter or digit,
 * which the caller's run goes on from. The bits are the same on every
 * instruction set; only classifying and storing differ. */

/* The stretch a block's bits allow, [0, r) (r = 0: none), and its spaces; *more
 * when only the block's end stopped it. A mark is a word's last byte followed
 * by a space and a letter or digit; a space stands between a letter or digit
 * (or such a mark) and a letter or digit. Bits 62 and 63 lack what follows
 * them, and the stretch stays within 60 bytes so that its bits shifted by four
 * still fit. */
static inline unsigned block_stretch(uint64_t A, uint64_t SP, uint64_t P, uint64_t *spaces,
                                     int *more)
{
    uint64_t vP = P & (A << 1) & (SP >> 1) & (A >> 2);
    uint64_t vSP = SP & (A >> 1) & ((A << 1) | (vP << 1));
    uint64_t valid = (A | vP | vSP) & ((1ULL << 60) - 1);
    unsigned f = (unsigned)__builtin_ctzll(~valid); /* at most 60 */
    uint64_t an = A & ((1ULL << f) - 1);
    *more = f == 60;
    if (!an) return 0;
    unsigned r = 63 - (unsigned)__builtin_clzll(an);
    *spaces = vSP & ((1ULL << r) - 1);
    return r;
}

/* After a stretch of r bytes is stored at o: the joining pass's triggers at
 * each space l: a one-letter word before it (l - 2 is a space, or l - 1 is the
 * text's start) makes it run; a lone letter at l - 1 and at l - 3 (nothing of
 * a word before it) is where it starts. In bits of output o - 4 + e, the four
 * before o read from what is written, nothing before start. */
static inline void block_joins(lex_norm *nb, size_t o, size_t start, uint64_t L, uint64_t A,
                               uint64_t SP, uint64_t spaces, unsigned r)
{
    uint64_t hs = 0, hl = 0, hw = 0;
    for (int k = 1; k <= 4; k++) {
        if (o < start + (size_t)k) break;
        uint8_t pf = nb->fl[o - k];
        unsigned char pc = (unsigned char)nb->txt[o - k];
        hs |= (uint64_t)(pc == ' ') << (4 - k);
        hw |= (uint64_t)((pf & F_WORD) != 0) << (4 - k);
        hl |= (uint64_t)((pf & (F_WORD | F_LETTER)) == (F_WORD | F_LETTER) && pc < 0x80) << (4 - k);
    }
    uint64_t es = hs | SP << 4, el = hl | (L & ((1ULL << r) - 1)) << 4, ew = hw | A << 4;
    uint64_t espaces = spaces << 4;
    if ((espaces & (es << 2)) || (o == start && (spaces & 2))) nb->post = 1;
    uint64_t join = espaces & (es << 2) & (el << 1) & (el << 3) & ~(ew << 4);
    if (join) join_from(nb, o - 4 + (size_t)__builtin_ctzll(join) - 3);
}

/* Bits of 16 bytes: which are ASCII letters, letters or digits, spaces, and
 * other printable ASCII. */
static inline void classify16(const unsigned char *s, uint64_t *letter, uint64_t *alnum,
                              uint64_t *space, uint64_t *punct, int shift)
{
    const __m128i v = _mm_loadu_si128((const __m128i *)s);
    const __m128i lc = _mm_or_si128(v, _mm_set1_epi8(0x20));
    __m128i l =
        _mm_cmplt_epi8(_mm_sub_epi8(lc, _mm_set1_epi8('a' - 128)), _mm_set1_epi8(-128 + 26));
    __m128i d = _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8('0' - 128)), _mm_set1_epi8(-128 + 10));
    __m128i sp = _mm_cmpeq_epi8(v, _mm_set1_epi8(' '));
    __m128i pr =
        _mm_cmplt_epi8(_mm_sub_epi8(v, _mm_set1_epi8(0x21 - 128)), _mm_set1_epi8(-128 + 0x5e));
    uint64_t lm = (uint16_t)_mm_movemask_epi8(l), am = lm | (uint16_t)_mm_movemask_epi8(d);
    *letter |= lm << shift;
    *alnum |= am << shift;
    *space |= (uint64_t)(uint16_t)_mm_movemask_epi8(sp) << shift;
    *punct |= ((uint64_t)(uint16_t)_mm_movemask_epi8(pr) & ~am) << shift;
}

/* SSE2, every x86-64: 16 bytes a step. Returns where the stretches end. */
static size_t fold_block_sse2(const unsigned char *s, size_t i, size_t n, lex_norm *nb,
                              size_t start)
{
    int more = 1;
    while (more && i + 64 <= n) {
        uint64_t L = 0, A = 0, SP = 0, P = 0, spaces;
        for (int k = 0; k < 4; k++)
            classify16(s + i + 16 * k, &L, &A, &SP, &P, 16 * k);
        unsigned r = block_stretch(A, SP, P, &spaces, &more);
        if (r == 0) break;
        size_t o = nb->len;
        char *t = nb->txt + o;
        uint8_t *fl = nb->fl + o;
        uint32_t *src = nb->src + o;
        const __m128i lower = _mm_set1_epi8(0x20), fw = _mm_set1_epi8(F_WORD);
        const __m128i a = _mm_set1_epi8('a' - 128), z26 = _mm_set1_epi8(-128 + 26);
        const __m128i d0 = _mm_set1_epi8('0' - 128), d10 = _mm_set1_epi8(-128 + 10);
        __m128i off = _mm_add_epi32(_mm_set1_epi32((int)i), _mm_setr_epi32(0, 1, 2, 3));
        for (int k = 0; k < 64; k += 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)(s + i + k));
            __m128i lc = _mm_or_si128(v, lower);
            __m128i letter = _mm_cmplt_epi8(_mm_sub_epi8(lc, a), z26);
            __m128i digit = _mm_cmplt_epi8(_mm_sub_epi8(v, d0), d10);
            __m128i lbit = _mm_and_si128(letter, lower); /* 0x20: F_LETTER and lower case */
            _mm_storeu_si128((__m128i *)(t + k), _mm_or_si128(v, lbit));
            _mm_storeu_si128((__m128i *)(fl + k),
                             _mm_and_si128(_mm_or_si128(letter, digit), _mm_or_si128(fw, lbit)));
            for (int q = 0; q < 16; q += 4) {
                _mm_storeu_si128((__m128i *)(src + k + q), off);
                off = _mm_add_epi32(off, _mm_set1_epi32(4));
            }
        }
        for (uint64_t m = spaces; m; m &= m - 1)
            src[__builtin_ctzll(m)]++; /* a space's offset is the next word's */
        block_joins(nb, o, start, L, A, SP, spaces, r);
        nb->len = o + r;
        i += r;
    }
    return i;
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
#define LEX_AVX512 1

/* AVX-512BW: the block in one register, its bits straight from compares into
 * mask registers, a space's offset added under a mask. */
__attribute__((target("avx512f,avx512bw"))) static size_t
fold_block_avx512(const unsigned char *s, size_t i, size_t n, lex_norm *nb, size_t start)
{
    int more = 1;
    const __m512i lower = _mm512_set1_epi8(0x20), fw = _mm512_set1_epi8(F_WORD);
    const __m512i iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    while (more && i + 64 <= n) {
        __m512i v = _mm512_loadu_si512((const void *)(s + i));
        __m512i lc = _mm512_or_si512(v, lower);
        uint64_t L = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(lc, _mm512_set1_epi8('a')),
                                            _mm512_set1_epi8(26));
        uint64_t A = L | _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8('0')),
                                                _mm512_set1_epi8(10));
        uint64_t SP = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8(' '));
        uint64_t P = _mm512_cmplt_epu8_mask(_mm512_sub_epi8(v, _mm512_set1_epi8(0x21)),
                                            _mm512_set1_epi8(0x5e)) &
                     ~A;
        uint64_t spaces;
        unsigned r = block_stretch(A, SP, P, &spaces, &more);
        if (r == 0) break;
        size_t o = nb->len;
        __m512i lbit = _mm512_maskz_mov_epi8(L, lower); /* 0x20: F_LETTER and lower case */
        _mm512_storeu_si512((void *)(nb->txt + o), _mm512_or_si512(v, lbit));
        _mm512_storeu_si512((void *)(nb->fl + o),
                            _mm512_or_si512(_mm512_maskz_mov_epi8(A, fw), lbit));
        __m512i off = _mm512_add_epi32(_mm512_set1_epi32((int)i), iota);
        for (int q = 0; q < 4; q++) {
            __m512i at = _mm512_add_epi32(off, _mm512_set1_epi32(16 * q));
            at = _mm512_mask_add_epi32(at, (__mmask16)(spaces >> (16 * q)), at,
                                       _mm512_set1_epi32(1)); /* the next word's */
            _mm512_storeu_si512((void *)(nb->src + o + 16 * q), at);
        }
        block_joins(nb, o, start, L, A, SP, spaces, r);
        nb->len = o + r;
        i += r;
    }
    return i;
}
#endif

#endif

/* Without blocks: every word goes the word-at-a-time way. */
static size_t fold_block_none(const unsigned char *s, size_t i, size_t n, lex_norm *nb,
                              size_t start)
{
    (void)s, (void)n, (void)nb, (void)start;
    return i;
}

/* The widest block folder this CPU runs, up to isa (GN_LEXICON_ISA_*; libgcc
 * has read the CPU's features by the time main runs); tests force the others. */
static fold_block_fn *pick_fold_block(int isa)
{
#ifdef LEX_AVX512
    if (isa >= GN_LEXICON_ISA_AVX512 && __builtin_cpu_supports("avx512bw"))
        return fold_block_avx512;
#endif
#ifdef __SSE2__
    if (isa >= GN_LEXICON_ISA_SSE2) return fold_block_sse2;
#endif
    (void)isa;
    return fold_block_none;
}

static inline uint64_t word_key(const char *s, size_t n);

/* The per-word cache's set for a word, and its line of quiet words. */
static inline lex_cached *cache_set(gn_lexicon *lx, uint64_t key)
{
    return &lx->cache[2 * ((key >> 40) & (CACHE_SETS - 1))];
}

static inline uint64_t *quiet_line(gn_lexicon *lx, uint64_t key)
{
    return &lx->quiet[8 * ((key >> 20) & (QUIET_SETS - 1))];
}

/* Appends the folded form of s[0..n) to nb. Words keep their letters, folded to
 * lower case and, where a look-alike or accented letter has one, to ASCII; runs
 * of white space become one space; a lone separator between two letters is
 * dropped and the next letter marked soft, which still counts as a boundary. */
static int normalise(gn_lexicon *lx, const char *text, size_t n, lex_norm *nb)
{
    if (norm_reserve(nb, 3 * n + NORM_SLACK)) return GN_ENOMEM;
    const unsigned char *s = (const unsigned char *)text;
    size_t start = nb->len;
    int space = 0, prev_letter = 0, soft = 0, njoin = 0;
    const fold_entry *join[2];
    uint32_t join_off[2];
    nb->post = 0;
    nb->post_from = SIZE_MAX;
    const uint8_t *word = lx->ascii_word;
    for (size_t i = 0; i < n;) {
        /* The fast path, most of any text: a run of ASCII letters and digits
         * with nothing pending before it (no space, separator or soft mark),
         * then as long as the text goes on "word word" or "word, word", the
         * space (and the punctuation) and the next run, exactly as the table
         * path below would emit them. */
        if (word[s[i]] && !space && !soft && !njoin) {
            for (;;) {
                i = lx->fold_block(s, i, n, nb, start);
                i = fold_run(word, s, i, n, nb);
                /* From the input byte: the flag was just written by a vector
                 * store, and reading one byte of it back stalls. */
                prev_letter = (word[s[i - 1]] & F_LETTER) != 0;
                if (i + 1 < n && s[i] == ' ' && word[s[i + 1]]) {
                    space_before_word(nb, start, (uint32_t)(i + 1));
                    i++;
                    continue;
                }
                if (i + 2 < n && s[i + 1] == ' ' && word[s[i + 2]] && s[i] > 0x20 && s[i] < 0x7f &&
                    !word[s[i]]) {
                    emit_byte(nb, (char)s[i], (uint32_t)i);
                    space_before_word(nb, start, (uint32_t)(i + 2));
                    i += 2;
                    continue;
                }
                break;
            }
            continue;
        }
        const fold_entry *e;
        size_t at = i;
        if (s[i] < 0x80) {
            e = &lx->ascii[s[i]];
            i++;
        } else {
            UChar32 cp;
            int k = utf8_get(s + i, n - i, &cp);
            if (k == 0) {
                e = &lx->ascii[' '];
                i++;
            } else {
                e = fold_lookup(lx, cp);
                if (!e) return GN_ENOMEM;
                i += (size_t)k;
            }
        }
        switch (e->cls) {
        case FC_WORD:
        case FC_CJK: {
            if (njoin) {
                if (prev_letter && (e->bits & F_LETTER))
                    soft = 1;
                else
                    for (int j = 0; j < njoin; j++)
                        emit(nb, join[j], join_off[j], 0);
                njoin = 0;
            }
            int cjk_join = 0;
            if (space) {
                /* Spaces between two CJK letters ("古 驰") are dropped here,
                 * the next letter marked soft, rather than in the joining pass
                 * (they still make it run, as they always did). */
                if (nb->len > start && e->cls == FC_CJK && (nb->fl[nb->len - 1] & F_CJK))
                    cjk_join = nb->post = 1;
                else if (nb->len > start)
                    space_before_word(nb, start, (uint32_t)at);
                space = 0;
            }
            /* A few compatibility letters fold to a space (Arabic presentation
             * forms U+FC5E...), which the joining pass also drops between two
             * CJK letters, though it does not make the pass run by itself:
             * found only when some space also set post, as it always was. */
            if (e->cls == FC_WORD && memchr(e->out, ' ', e->len))
                join_from(nb, nb->len > start ? nb->len - 1 : start);
            uint8_t fl = (uint8_t)((e->cls == FC_WORD ? F_WORD : F_CJK) | e->bits);
            if ((soft && prev_letter && (e->bits & F_LETTER)) || cjk_join) fl |= F_SOFT;
            soft = 0;
            emit(nb, e, (uint32_t)at, fl);
            prev_letter = (e->bits & F_LETTER) != 0;
            break;
        }
        case FC_JOINER:
            if (prev_letter && !space && njoin < 2) {
                join[njoin] = e;
                join_off[njoin++] = (uint32_t)at;
                break;
            }
            /* Not after a letter: plain punctuation. */
            __attribute__((fallthrough));
        case FC_PUNCT:
            for (int j = 0; j < njoin; j++)
                emit(nb, join[j], join_off[j], 0);
            njoin = 0;
            if (space && nb->len > start) emit_byte(nb, ' ', (uint32_t)at);
            space = 0;
            emit(nb, e, (uint32_t)at, 0);
            prev_letter = soft = 0;
            break;
        case FC_SPACE:
            for (int j = 0; j < njoin; j++)
                emit(nb, join[j], join_off[j], 0);
            njoin = 0;
            space = 1;
            prev_letter = soft = 0;
            break;
        case FC_IGNORE:
            if (prev_letter) soft = 1;
            break;
        case FC_MARK:
            if (nb->len > start && (nb->fl[nb->len - 1] & (F_WORD | F_CJK)))
                nb->fl[nb->len - 1] |= F_ACC;
            break;
        }
    }
    for (int j = 0; j < njoin; j++)
        emit(nb, join[j], join_off[j], 0);
    if (nb->post && nb->post_from != SIZE_MAX) norm_join(nb, start);
    /* Zeros after the text: word hashes and token scans read 8 or 16 bytes. */
    memset(nb->txt + nb->len, 0, 16);
    memset(nb->fl + nb->len, 0, 16);
    return 0;
}

/* ---- boundaries and context ----------------------------------------------- */

static inline int boundary_before(const lex_norm *nb, size_t p)
{
    return p == 0 || (nb->fl[p] & F_SOFT) || !(nb->fl[p - 1] & F_WORD);
}

static inline int boundary_after(const lex_norm *nb, size_t p)
{
    return p >= nb->len || (nb->fl[p] & F_SOFT) || !(nb->fl[p] & F_WORD);
}

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

/* ---- hashing for the misspelling index ------------------------------------ */

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

/* ---- building ------------------------------------------------------------- */

gn_lexicon *gn_lexicon_new_with(const gn_lexicon_options *options)
{
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
        return NULL;
    }
    fold_ascii_init(lx);
    gn_lexicon_set_isa(lx, GN_LEXICON_ISA_AVX512);
    lx->pow[0] = 1;
    for (int i = 1; i < 72; i++)
        lx->pow[i] = lx->pow[i - 1] * HASH_P;
    lx->dirty = 1;
    return lx;
}

void gn_lexicon_set_isa(gn_lexicon *lx, int isa)
{
    lx->fold_block = pick_fold_block(isa);
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
    int rc = normalise(lx, name, n, &lx->scratch_norm);
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
        if (normalise(lx, var[v], strlen(var[v]), nb)) return -1;
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

static int misspelt_distance(const gn_lexicon *lx, int len)
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

static int build_misspellings(gn_lexicon *lx)
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

    size_t nb = 0;
    while (builtin_common[nb])
        nb++;
    lx->common = gn_xmalloc((nb + lx->n_common_added + 1) * sizeof(uint64_t));
    for (size_t i = 0; i < nb + lx->n_common_added; i++) {
        const char *w = i < nb ? builtin_common[i] : lx->common_added[i - nb];
        lex_norm *n = &lx->scratch_norm;
        n->len = 0;
        if (normalise(lx, w, strlen(w), n)) return -1;
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

static int compile(gn_lexicon *lx, gn_error *err)
{
    compiled_free(lx);
    memset(lx->cache, 0, 2 * CACHE_SETS * sizeof *lx->cache);
    memset(lx->quiet, 0, 8 * QUIET_SETS * sizeof *lx->quiet);
    pat_build pb = {0};
    lex_key *keys = gn_xcalloc(lx->n_names + 1, sizeof *keys);
    size_t nk = 0;
    int rc = 0;
    for (size_t i = 0; i < lx->n_names && !rc; i++) {
        lex_key key = {0};
        if (add_folded(lx, &pb, lx->names[i].text, PAT_NAME, (uint32_t)i, &key)) {
            rc = -1;
            break;
        }
        int d = misspelt_distance(lx, key.len);
        if (key.len && d) {
            key.dist = (uint8_t)d;
            key.name = (uint32_t)i;
            keys[nk++] = key;
        }
    }
    for (size_t i = 0; i < N_LINGO && !rc; i++)
        if (add_folded(lx, &pb, lingo_terms[i].term, PAT_LINGO, (uint32_t)i, NULL)) rc = -1;
    lx->keys = keys;
    lx->n_keys = nk;
    if (rc || build_misspellings(lx)) {
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
        const lex_lingo *l = &lingo_terms[p->ref];
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
static int list_tokens(gn_lexicon *lx, size_t *count)
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
static void find_misspellings(gn_lexicon *lx, size_t nt)
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
    if (normalise(lx, title ? title : "", title_len, nb) || norm_reserve(nb, 1))
        return gn_fail(err, GN_ENOMEM, "out of memory folding the listing text");
    scan_ctx c = {.lx = lx,
                  .title = title,
                  .desc = desc,
                  .title_len = title_len,
                  .desc_len = desc_len,
                  .title_end = nb->len};
    emit_byte(nb, '\n', 0); /* no pattern holds a newline, so none spans both texts */
    if (normalise(lx, desc ? desc : "", desc_len, nb))
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
    if (lx->n_keys && list_tokens(lx, &nt))
        return gn_fail(err, GN_ENOMEM, "out of memory listing words");
    if (nb->len > 0 &&
        hs_scan(lx->db, nb->txt, (unsigned)nb->len, 0, lx->scratch, on_match, &c) != HS_SUCCESS)
        return gn_fail(err, GN_ENOMEM, "the Hyperscan scan failed");
    find_misspellings(lx, nt);

    qsort(lx->hits, (size_t)lx->n_hits, sizeof *lx->hits, cmp_hit);
    for (int i = 0; i < lx->n_hits; i++) {
        const lex_hit *h = &lx->hits[i];
        if (h->pattern_kind == PAT_LINGO) {
            add_lingo(out, lingo_terms[h->ref].report);
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
                add_lingo(out, lingo_terms[lx->lingo_wait[i].ref].report);
                break;
            }
    return 0;
}
