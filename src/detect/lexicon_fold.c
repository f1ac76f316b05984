/* The brand matcher's folding: a per-code-point table that ICU fills lazily
 * (case, diacritics, look-alike letters, separators), and the one-pass
 * normaliser that folds a listing's text through it, plain ASCII a block of
 * 16 or 64 bytes at a time. Part of the lexicon (lexicon_impl.h). */
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
#include "detect/lexicon_impl.h"

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

void gn_lex_fold_ascii_init(gn_lexicon *lx)
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

static inline void emit(lex_norm *nb, const fold_entry *e, uint32_t off, uint8_t fl)
{
    for (int k = 0; k < e->len; k++) {
        nb->txt[nb->len] = e->out[k];
        nb->fl[nb->len] = k ? (uint8_t)(fl & ~F_SOFT) : fl;
        nb->src[nb->len] = off;
        nb->len++;
    }
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
fold_block_fn *gn_lex_pick_fold_block(int isa)
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

/* Appends the folded form of s[0..n) to nb. Words keep their letters, folded to
 * lower case and, where a look-alike or accented letter has one, to ASCII; runs
 * of white space become one space; a lone separator between two letters is
 * dropped and the next letter marked soft, which still counts as a boundary. */
int gn_lex_normalise(gn_lexicon *lx, const char *text, size_t n, lex_norm *nb)
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
