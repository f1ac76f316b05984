/* The strict JSON parser behind core/json.h. Recursive descent (depth is
 * capped at 64) pushes each finished value onto a stack; when a container
 * closes, its children move as one block into the node array, so children are
 * contiguous and gn_json_at is an index. All memory is sized from the text
 * length before parsing starts, which is what lets the hot loops skip checks. */
#include "core/json.h"

#include <assert.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

struct gn_json {
    uint8_t type;   /* gn_json_type */
    uint8_t is_int; /* numbers: u.i holds the exact value, else u.d */
    uint16_t unused;
    uint32_t n; /* string bytes; array elements; object members */
    union {
        double d;
        int64_t i;
        const char *s;
        const gn_json *kids; /* arrays: n values; objects: key, value, key, value... */
    } u;
};

_Static_assert(sizeof(gn_json) == 16, "a node is 16 bytes: four to a cache line");

typedef struct parser {
    const unsigned char *text, *p, *end;
    gn_json *stack, *nodes;
    uint32_t *key_pos;
    size_t sp, nn, node_cap;
    char *out; /* next free byte of doc->strings */
    gn_json_doc *doc;
    gn_error *err;
} parser;

void gn_json_doc_init(gn_json_doc *doc)
{
    memset(doc, 0, sizeof *doc);
    /* Numbers are read with strtod_l in the "C" locale so a process that
     * called setlocale (a decimal comma) still reads 1.5 as 1.5. */
    doc->c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

static void free_nodes(gn_json_doc *doc)
{
    free(doc->nodes);
    free(doc->stack);
    free(doc->key_pos);
    doc->nodes = doc->stack = NULL;
    doc->key_pos = NULL;
    doc->node_cap = 0;
}

void gn_json_doc_free(gn_json_doc *doc)
{
    free_nodes(doc);
    free(doc->strings);
    free(doc->scratch);
    if (doc->c_numeric) freelocale(doc->c_numeric);
    memset(doc, 0, sizeof *doc);
}

/* Capacity for `need`: grows by half again at least (few reallocations for
 * slowly growing inputs) and shrinks only when a huge earlier text left more
 * than 8x what is needed, so the steady state never allocates. */
static size_t new_cap(size_t cap, size_t need, size_t big)
{
    if (cap >= need && !(cap > big && cap / 8 > need)) return cap;
    if (cap >= need) return need;
    size_t grown = cap + cap / 2;
    return grown > need ? grown : need;
}

static int reserve(gn_json_doc *doc, size_t len)
{
    /* Every value but the root is preceded by its own '[', '{', ',' or ':'
     * and owns one more byte (a scalar's first, a container's last), so a
     * text of len bytes holds at most (len + 1) / 2 values. */
    size_t need = len / 2 + 2;
    size_t cap = new_cap(doc->node_cap, need, (size_t)1 << 16);
    if (cap != doc->node_cap) {
        free_nodes(doc);
        doc->nodes = gn_xmalloc(cap * sizeof(gn_json));
        doc->stack = gn_xmalloc(cap * sizeof(gn_json));
        doc->key_pos = gn_xmalloc(cap * sizeof(uint32_t));
        if (!doc->nodes || !doc->stack || !doc->key_pos) {
            free_nodes(doc);
            return -1;
        }
        doc->node_cap = cap;
    }
    /* Unescaped strings are never longer than their quoted text, NUL
     * included; 16 bytes of slack let the string loop store 8 at a time. */
    size_t scap = new_cap(doc->string_cap, len + 16, (size_t)1 << 20);
    if (scap != doc->string_cap) {
        free(doc->strings);
        doc->strings = gn_xmalloc(scap);
        doc->string_cap = doc->strings ? scap : 0;
    }
    return 0;
}

static void *scratch(gn_json_doc *doc, size_t size)
{
    if (doc->scratch_cap < size) {
        void *s = gn_xrealloc(doc->scratch, size);
        doc->scratch = s;
        doc->scratch_cap = size;
    }
    return doc->scratch;
}

/* ---- errors ---------------------------------------------------------- */

static int fail_at(parser *ps, const unsigned char *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(parser *ps, const unsigned char *at, const char *fmt, ...)
{
    char reason[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    gn_fail(ps->err, GN_EINPUT, "not valid JSON: %s (column %zu)", reason,
            (size_t)(at - ps->text) + 1);
    return -1;
}

static int fail_end(parser *ps)
{
    return fail_at(ps, ps->end, "unexpected end of input");
}

/* Says which byte was found where something else was expected. */
static const char *describe(parser *ps, const unsigned char *at, char *buf, size_t cap)
{
    if (at >= ps->end) return "the end of input";
    if (*at >= 0x21 && *at < 0x7f)
        snprintf(buf, cap, "'%c'", *at);
    else
        snprintf(buf, cap, "byte 0x%02X", *at);
    return buf;
}

/* A key as it can be shown in a message: quotes and controls escaped, cut
 * at 40 bytes on a character boundary (keys are valid UTF-8 by now). */
static void key_for_message(char *dst, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (o + 8 >= cap || (i >= 40 && (c & 0xc0) != 0x80)) {
            memcpy(dst + o, "...", 4);
            return;
        }
        if (c == '"' || c == '\\') {
            dst[o++] = '\\';
            dst[o++] = (char)c;
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(dst + o, cap - o, "\\u%04X", c);
        } else {
            dst[o++] = (char)c;
        }
    }
    dst[o] = 0;
}

/* ---- strings --------------------------------------------------------- */

static int hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
    if (end - p < 4) return -1;
    uint32_t v = 0;
    for (int i = 0; i < 4; i++) {
        unsigned c = p[i], d;
        if (c - '0' < 10)
            d = c - '0';
        else if ((c | 0x20) - 'a' < 6)
            d = (c | 0x20) - 'a' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static char *put_utf8(char *out, uint32_t cp)
{
    if (cp < 0x80) {
        *out++ = (char)cp;
    } else if (cp < 0x800) {
        *out++ = (char)(0xc0 | cp >> 6);
        *out++ = (char)(0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
        *out++ = (char)(0xe0 | cp >> 12);
        *out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *out++ = (char)(0x80 | (cp & 0x3f));
    } else {
        *out++ = (char)(0xf0 | cp >> 18);
        *out++ = (char)(0x80 | (cp >> 12 & 0x3f));
        *out++ = (char)(0x80 | (cp >> 6 & 0x3f));
        *out++ = (char)(0x80 | (cp & 0x3f));
    }
    return out;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629: no overlongs, no
 * surrogates, nothing above U+10FFFF), or 0. */
static int utf8_length(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0], lo = 0x80, hi = 0xbf;
    int n;
    if (c < 0xc2) return 0;
    if (c < 0xe0) {
        n = 2;
    } else if (c < 0xf0) {
        n = 3;
        if (c == 0xe0) lo = 0xa0;
        if (c == 0xed) hi = 0x9f;
    } else if (c < 0xf5) {
        n = 4;
        if (c == 0xf0) lo = 0x90;
        if (c == 0xf4) hi = 0x8f;
    } else {
        return 0;
    }
    if (end - p < n || p[1] < lo || p[1] > hi) return 0;
    for (int i = 2; i < n; i++)
        if ((p[i] & 0xc0) != 0x80) return 0;
    return n;
}

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define GN_JSON_SWAR 1
#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* High bit set in each byte of w that is zero; the lowest flagged byte is
 * always a true zero (a borrow only reaches the bytes above it). */
static inline uint64_t zero_bytes(uint64_t w)
{
    return (w - ONES) & ~w & HIGHS;
}

/* Bytes the plain copy loop must stop at: '"', '\\', controls, non-ASCII. */
static inline uint64_t special_bytes(uint64_t w)
{
    return zero_bytes(w ^ (ONES * '"')) | zero_bytes(w ^ (ONES * '\\')) |
           ((w - ONES * 0x20) & ~w & HIGHS) | (w & HIGHS);
}
#endif

/* What each one-letter escape stands for; 0 where a letter is no escape. */
static const char simple_escape[128] = {['"'] = '"',  ['\\'] = '\\', ['/'] = '/',  ['b'] = '\b',
                                        ['f'] = '\f', ['n'] = '\n',  ['r'] = '\r', ['t'] = '\t'};

/* Parses the string whose opening quote is at ps->p into *node. */
static int parse_string(parser *ps, gn_json *node)
{
    const unsigned char *open = ps->p, *p = open + 1, *end = ps->end;
    char *out = ps->out, *start = out;
    for (;;) {
#ifdef __SSE2__
        /* Sixteen plain bytes at a time: a signed compare with 0x20 flags
         * controls and non-ASCII bytes at once. The store may run up to 15
         * bytes past what is kept: the output never gets ahead of the input
         * and there are 16 more input bytes, within the slack of
         * doc->strings. */
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)p);
            _mm_storeu_si128((__m128i *)out, v);
            __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                        _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
            unsigned m = (unsigned)_mm_movemask_epi8(stop);
            if (m) {
                unsigned k = (unsigned)__builtin_ctz(m);
                p += k;
                out += k;
                goto special;
            }
            p += 16;
            out += 16;
        }
#endif
#ifdef GN_JSON_SWAR
        /* Eight plain bytes at a time; the store may run up to 7 bytes past
         * what is kept, which the slack in doc->strings allows. */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            memcpy(out, &w, 8);
            uint64_t m = special_bytes(w);
            if (m) {
                unsigned k = (unsigned)__builtin_ctzll(m) >> 3;
                p += k;
                out += k;
                break;
            }
            p += 8;
            out += 8;
        }
#endif
#ifdef __SSE2__
    special:
#endif
        if (p >= end) return fail_at(ps, open, "unterminated string");
        unsigned c = *p;
        if (c == '"') break;
        if (c == '\\') {
            const unsigned char *esc = p++;
            if (p >= end) return fail_at(ps, open, "unterminated string");
            if (*p < 128 && simple_escape[*p]) {
                *out++ = simple_escape[*p];
            } else if (*p == 'u') {
                uint32_t cp, lo;
                if (hex4(p + 1, end, &cp))
                    return fail_at(ps, esc,
                                   "invalid \\u escape in a string: it needs four hex digits");
                p += 4;
                if (cp >= 0xd800 && cp <= 0xdbff) {
                    /* A high surrogate must be followed by \u and a low one. */
                    if (end - p >= 3 && p[1] == '\\' && p[2] == 'u' && !hex4(p + 3, end, &lo) &&
                        lo >= 0xdc00 && lo <= 0xdfff) {
                        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
                        p += 6;
                    } else {
                        return fail_at(ps, esc, "unpaired surrogate \\u%04X in a string", cp);
                    }
                } else if (cp >= 0xdc00 && cp <= 0xdfff) {
                    return fail_at(ps, esc, "unpaired surrogate \\u%04X in a string", cp);
                }
                out = put_utf8(out, cp);
            } else {
                return fail_at(ps, esc,
                               "invalid escape in a string: a backslash must be followed by "
                               "one of \" \\ / b f n r t u");
            }
            p++;
        } else if (c < 0x20) {
            return fail_at(ps, p, "control character 0x%02X in a string (it must be escaped)", c);
        } else if (c < 0x80) {
            *out++ = (char)c;
            p++;
        } else {
            int n = utf8_length(p, end);
            if (!n) return fail_at(ps, p, "invalid UTF-8 in a string");
            for (int i = 0; i < n; i++)
                *out++ = (char)*p++;
        }
    }
    *out = 0;
    node->type = GN_JSON_STRING;
    node->is_int = 0;
    node->n = (uint32_t)(out - start);
    node->u.s = start;
    ps->out = out + 1;
    ps->p = p + 1;
    return 0;
}

/* ---- numbers --------------------------------------------------------- */

#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
/* Powers of ten a double holds exactly. */
static const double exact_pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
#define GN_JSON_FAST_DOUBLES 1
#endif

static int is_digit(const unsigned char *p, const unsigned char *end)
{
    return p < end && (unsigned)(*p - '0') < 10;
}

/* strtod on a NUL-terminated copy of the number's text, in the C locale. */
static int slow_double(parser *ps, const unsigned char *start, size_t n, double *out)
{
    char small[64], *buf = small;
    if (n >= sizeof small) {
        buf = scratch(ps->doc, n + 1);
        if (!buf) return gn_fail(ps->err, GN_ENOMEM, "out of memory reading a number");
    }
    memcpy(buf, start, n);
    buf[n] = 0;
    *out = ps->doc->c_numeric ? strtod_l(buf, NULL, ps->doc->c_numeric) : strtod(buf, NULL);
    if (isinf(*out)) return fail_at(ps, start, "number too large for a double");
    return 0;
}

static int parse_number(parser *ps, gn_json *node)
{
    const unsigned char *start = ps->p, *p = start, *end = ps->end;
    int neg = *p == '-';
    p += neg;
    if (!is_digit(p, end)) {
        if (p < end && *p == 'I')
            return fail_at(ps, start, "NaN and Infinity are not JSON numbers");
        return fail_at(ps, start, "invalid number: '-' must be followed by a digit");
    }
    /* The first 19 significant digits fit in m; more make it inexact. */
    uint64_t m = 0;
    int digits = 0, exact = 1, is_int = 1;
    int64_t exp10 = 0;
    if (*p == '0') {
        p++;
        if (is_digit(p, end)) return fail_at(ps, start, "leading zeros are not allowed in numbers");
    } else {
        for (; is_digit(p, end); p++) {
            if (digits < 19) {
                m = m * 10 + (unsigned)(*p - '0');
                digits++;
            } else {
                exact = 0;
            }
        }
    }
    if (p < end && *p == '.') {
        is_int = 0;
        p++;
        if (!is_digit(p, end))
            return fail_at(ps, start, "invalid number: a digit must follow the decimal point");
        for (; is_digit(p, end); p++) {
            if (digits < 19) {
                m = m * 10 + (unsigned)(*p - '0');
                digits += m != 0; /* leading zeros of 0.0012 are not significant */
                exp10--;
            } else {
                exact = 0;
            }
        }
    }
    if (p < end && (*p | 0x20) == 'e') {
        is_int = 0;
        p++;
        int eneg = 0;
        if (p < end && (*p == '+' || *p == '-')) eneg = *p++ == '-';
        if (!is_digit(p, end))
            return fail_at(ps, start, "invalid number: the exponent needs digits");
        int64_t e = 0;
        for (; is_digit(p, end); p++)
            if (e < 1000000) e = e * 10 + (*p - '0');
        exp10 += eneg ? -e : e;
    }
    ps->p = p;
    node->type = GN_JSON_NUMBER;
    node->n = 0;
    if (is_int && exact && m <= (uint64_t)INT64_MAX + neg) {
        node->is_int = 1;
        node->u.i = !neg ? (int64_t)m : m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
        return 0;
    }
    node->is_int = 0;
#ifdef GN_JSON_FAST_DOUBLES
    /* Clinger's fast path: m and 10^|e| are exact doubles, so one correctly
     * rounded multiply or divide gives the correctly rounded result. */
    if (exact && m <= (uint64_t)1 << 53 && exp10 >= -22 && exp10 <= 22) {
        double d = (double)m;
        d = exp10 < 0 ? d / exact_pow10[-exp10] : d * exact_pow10[exp10];
        node->u.d = neg ? -d : d;
        return 0;
    }
#endif
    return slow_double(ps, start, (size_t)(p - start), &node->u.d);
}

/* ---- containers ------------------------------------------------------ */

static const unsigned char *skip_ws(const unsigned char *p, const unsigned char *end)
{
    while (p < end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
        p++;
    return p;
}

static int parse_value(parser *ps, int depth);

/* Moves the children pushed since `start` into the node array and leaves
 * the container in their place on the stack. */
static void close_container(parser *ps, size_t start, gn_json_type type)
{
    size_t k = ps->sp - start;
    assert(ps->nn + k < ps->node_cap);
    gn_json *kids = ps->nodes + ps->nn;
    memcpy(kids, ps->stack + start, k * sizeof *kids);
    ps->nn += k;
    gn_json *c = &ps->stack[start];
    c->type = (uint8_t)type;
    c->is_int = 0;
    c->n = (uint32_t)(type == GN_JSON_OBJECT ? k / 2 : k);
    c->u.kids = kids;
    ps->sp = start + 1;
}

static int parse_array(parser *ps, int depth)
{
    size_t start = ps->sp;
    const unsigned char *p = skip_ws(ps->p + 1, ps->end);
    if (p < ps->end && *p == ']') {
        ps->p = p + 1;
        close_container(ps, start, GN_JSON_ARRAY);
        return 0;
    }
    for (;;) {
        ps->p = p;
        if (parse_value(ps, depth)) return -1;
        p = skip_ws(ps->p, ps->end);
        if (p >= ps->end) return fail_end(ps);
        if (*p == ']') break;
        if (*p != ',') {
            char b[16];
            return fail_at(ps, p, "expected ',' or ']' after an array element, found %s",
                           describe(ps, p, b, sizeof b));
        }
        p = skip_ws(p + 1, ps->end);
        if (p < ps->end && *p == ']') return fail_at(ps, p, "trailing comma in an array");
    }
    ps->p = p + 1;
    close_container(ps, start, GN_JSON_ARRAY);
    return 0;
}

static int same_key(const gn_json *a, const gn_json *b)
{
    return a->n == b->n && memcmp(a->u.s, b->u.s, a->n) == 0;
}

static int duplicate(parser *ps, size_t key_index)
{
    const gn_json *k = &ps->stack[key_index];
    char shown[200];
    key_for_message(shown, sizeof shown, k->u.s, k->n);
    return fail_at(ps, ps->text + ps->key_pos[key_index], "duplicate key \"%s\" in an object",
                   shown);
}

typedef struct key_ref {
    const char *s;
    uint32_t n, index;
} key_ref;

static int key_order(const void *a, const void *b)
{
    const key_ref *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? -1 : 1;
    int c = memcmp(x->s, y->s, x->n);
    if (c) return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Finds the first member whose key repeats an earlier one. Small objects
 * (events) use a 64-bit filter on a cheap hash, scanning only on a hit;
 * large ones sort, so a crafted object cannot make this quadratic. */
static int check_duplicates(parser *ps, size_t start, size_t members)
{
    const gn_json *kv = ps->stack + start;
    if (members <= 32) {
        uint64_t seen = 0;
        for (size_t j = 0; j < members; j++) {
            const gn_json *k = &kv[2 * j];
            const unsigned char *s = (const unsigned char *)k->u.s;
            uint32_t h = (k->n * 0x9e3779b1u) ^ (s[0] * 0x85ebca6bu) ^ (s[k->n >> 1] * 0xc2b2ae35u);
            uint64_t bit = (uint64_t)1 << (h >> 26);
            if (seen & bit)
                for (size_t i = 0; i < j; i++)
                    if (same_key(&kv[2 * i], k)) return duplicate(ps, start + 2 * j);
            seen |= bit;
        }
        return 0;
    }
    key_ref *refs = scratch(ps->doc, members * sizeof *refs);
    if (!refs) return gn_fail(ps->err, GN_ENOMEM, "out of memory checking an object's keys");
    for (size_t j = 0; j < members; j++)
        refs[j] = (key_ref){kv[2 * j].u.s, kv[2 * j].n, (uint32_t)j};
    qsort(refs, members, sizeof *refs, key_order);
    size_t first = SIZE_MAX;
    for (size_t t = 1; t < members; t++)
        if (refs[t].n == refs[t - 1].n && !memcmp(refs[t].s, refs[t - 1].s, refs[t].n) &&
            refs[t].index < first)
            first = refs[t].index;
    return first == SIZE_MAX ? 0 : duplicate(ps, start + 2 * first);
}

static int parse_object(parser *ps, int depth)
{
    size_t start = ps->sp;
    const unsigned char *p = skip_ws(ps->p + 1, ps->end);
    if (p < ps->end && *p == '}') {
        ps->p = p + 1;
        close_container(ps, start, GN_JSON_OBJECT);
        return 0;
    }
    for (;;) {
        if (p >= ps->end) return fail_end(ps);
        if (*p != '"') {
            char b[16];
            return fail_at(ps, p, "expected a string key in an object, found %s",
                           describe(ps, p, b, sizeof b));
        }
        ps->key_pos[ps->sp] = (uint32_t)(p - ps->text);
        ps->p = p;
        if (parse_string(ps, &ps->stack[ps->sp])) return -1;
        ps->sp++;
        p = skip_ws(ps->p, ps->end);
        if (p >= ps->end) return fail_end(ps);
        if (*p != ':') {
            char b[16];
            return fail_at(ps, p, "expected ':' after an object key, found %s",
                           describe(ps, p, b, sizeof b));
        }
        ps->p = skip_ws(p + 1, ps->end);
        if (parse_value(ps, depth)) return -1;
        p = skip_ws(ps->p, ps->end);
        if (p >= ps->end) return fail_end(ps);
        if (*p == '}') break;
        if (*p != ',') {
            char b[16];
            return fail_at(ps, p, "expected ',' or '}' after an object member, found %s",
                           describe(ps, p, b, sizeof b));
        }
        p = skip_ws(p + 1, ps->end);
        if (p < ps->end && *p == '}') return fail_at(ps, p, "trailing comma in an object");
    }
    ps->p = p + 1;
    if (check_duplicates(ps, start, (ps->sp - start) / 2)) return -1;
    close_container(ps, start, GN_JSON_OBJECT);
    return 0;
}

static int literal(parser *ps, const char *word, size_t n, gn_json_type type)
{
    if ((size_t)(ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
        return fail_at(ps, ps->p, "invalid literal (expected true, false or null)");
    ps->p += n;
    gn_json *v = &ps->stack[ps->sp++];
    v->type = (uint8_t)type;
    v->is_int = 0;
    v->n = 0;
    v->u.i = 0;
    return 0;
}

/* Parses the value starting at ps->p (whitespace already skipped) and pushes it. */
static int parse_value(parser *ps, int depth)
{
    if (ps->p >= ps->end) return fail_end(ps);
    assert(ps->sp < ps->node_cap);
    switch (*ps->p) {
    case '"':
        if (parse_string(ps, &ps->stack[ps->sp])) return -1;
        ps->sp++;
        return 0;
    case '-':
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
    case '8':
    case '9':
        if (parse_number(ps, &ps->stack[ps->sp])) return -1;
        ps->sp++;
        return 0;
    case '{':
    case '[':
        if (depth >= GN_JSON_MAX_DEPTH)
            return fail_at(ps, ps->p, "nested deeper than %d arrays and objects",
                           GN_JSON_MAX_DEPTH);
        return *ps->p == '{' ? parse_object(ps, depth + 1) : parse_array(ps, depth + 1);
    case 't':
        return literal(ps, "true", 4, GN_JSON_TRUE);
    case 'f':
        return literal(ps, "false", 5, GN_JSON_FALSE);
    case 'n':
        return literal(ps, "null", 4, GN_JSON_NULL);
    case 'N':
    case 'I':
        return fail_at(ps, ps->p, "NaN and Infinity are not JSON numbers");
    case ']':
    case '}':
        return fail_at(ps, ps->p, "expected a value, found '%c'", *ps->p);
    default: {
        char b[16];
        return fail_at(ps, ps->p, "unexpected %s where a value should start",
                       describe(ps, ps->p, b, sizeof b));
    }
    }
}

const gn_json *gn_json_parse(gn_json_doc *doc, const char *text, size_t len, gn_error *err)
{
    if (len > (size_t)UINT32_MAX - 64) {
        gn_fail(err, GN_EINPUT, "not valid JSON: the text is over 4 GiB");
        return NULL;
    }
    if (reserve(doc, len)) {
        gn_fail(err, GN_ENOMEM, "out of memory parsing a JSON text of %zu bytes", len);
        return NULL;
    }
    parser ps = {.text = (const unsigned char *)text,
                 .end = (const unsigned char *)text + len,
                 .stack = doc->stack,
                 .nodes = doc->nodes,
                 .key_pos = doc->key_pos,
                 .node_cap = doc->node_cap,
                 .out = doc->strings,
                 .doc = doc,
                 .err = err};
    ps.p = skip_ws(ps.text, ps.end);
    if (ps.p == ps.end) {
        fail_at(&ps, ps.p, len ? "the input holds only whitespace" : "the input is empty");
        return NULL;
    }
    if (parse_value(&ps, 0)) return NULL;
    const unsigned char *p = skip_ws(ps.p, ps.end);
    if (p != ps.end) {
        char b[16];
        fail_at(&ps, p, "unexpected %s after the JSON value", describe(&ps, p, b, sizeof b));
        return NULL;
    }
    assert(ps.sp == 1 && ps.nn < ps.node_cap);
    ps.nodes[ps.nn] = ps.stack[0];
    return &ps.nodes[ps.nn];
}

/* ---- accessors ------------------------------------------------------- */

gn_json_type gn_json_typeof(const gn_json *v)
{
    return v ? (gn_json_type)v->type : GN_JSON_NULL;
}

const char *gn_json_type_name(const gn_json *v)
{
    switch (gn_json_typeof(v)) {
    case GN_JSON_OBJECT:
        return "an object";
    case GN_JSON_ARRAY:
        return "an array";
    case GN_JSON_STRING:
        return "a string";
    case GN_JSON_NUMBER:
        return "a number";
    case GN_JSON_TRUE:
    case GN_JSON_FALSE:
        return "a boolean";
    case GN_JSON_NULL:
        break;
    }
    return "null";
}

const char *gn_json_string(const gn_json *v, size_t *len)
{
    if (!v || v->type != GN_JSON_STRING) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = v->n;
    return v->u.s;
}

double gn_json_number(const gn_json *v)
{
    if (!v || v->type != GN_JSON_NUMBER) return 0;
    return v->is_int ? (double)v->u.i : v->u.d;
}

int gn_json_is_integer(const gn_json *v)
{
    return v && v->type == GN_JSON_NUMBER && v->is_int;
}

int64_t gn_json_integer(const gn_json *v)
{
    return gn_json_is_integer(v) ? v->u.i : 0;
}

size_t gn_json_size(const gn_json *v)
{
    return v && (v->type == GN_JSON_ARRAY || v->type == GN_JSON_OBJECT) ? v->n : 0;
}

const gn_json *gn_json_at(const gn_json *v, size_t i)
{
    if (!v || v->type != GN_JSON_ARRAY || i >= v->n) return NULL;
    return &v->u.kids[i];
}

const gn_json *gn_json_getn(const gn_json *obj, const char *key, size_t key_len)
{
    if (!obj || obj->type != GN_JSON_OBJECT) return NULL;
    const gn_json *kv = obj->u.kids;
    /* Keys are NUL-terminated, so the first bytes can be compared before
     * memcmp is called, even for an empty key. */
    for (size_t i = 0; i < obj->n; i++)
        if (kv[2 * i].n == key_len && kv[2 * i].u.s[0] == key[0] &&
            memcmp(kv[2 * i].u.s, key, key_len) == 0)
            return &kv[2 * i + 1];
    return NULL;
}

const gn_json *gn_json_getn_hint(const gn_json *obj, const char *key, size_t key_len, size_t *hint)
{
    if (!obj || obj->type != GN_JSON_OBJECT) return NULL;
    const gn_json *kv = obj->u.kids;
    size_t n = obj->n, i = *hint < n ? *hint : 0;
    for (size_t tried = 0; tried < n; tried++, i = i + 1 == n ? 0 : i + 1)
        if (kv[2 * i].n == key_len && kv[2 * i].u.s[0] == key[0] &&
            memcmp(kv[2 * i].u.s, key, key_len) == 0) {
            *hint = i + 1;
            return &kv[2 * i + 1];
        }
    return NULL;
}

const char *gn_json_keyn_at(const gn_json *obj, size_t i, size_t *len)
{
    if (!obj || obj->type != GN_JSON_OBJECT || i >= obj->n) {
        if (len) *len = 0;
        return NULL;
    }
    if (len) *len = obj->u.kids[2 * i].n;
    return obj->u.kids[2 * i].u.s;
}

const char *gn_json_key_at(const gn_json *obj, size_t i)
{
    return gn_json_keyn_at(obj, i, NULL);
}

const gn_json *gn_json_value_at(const gn_json *obj, size_t i)
{
    if (!obj || obj->type != GN_JSON_OBJECT || i >= obj->n) return NULL;
    return &obj->u.kids[2 * i + 1];
}
