/* Growable buffer with JSON string escaping, shared by every reply writer. */
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/format.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

void gn_buf_reserve(gn_buf *b, size_t extra)
{
    if (b->len + extra + 1 <= b->cap) return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + extra + 1)
        cap *= 2;
    b->data = gn_xrealloc(b->data, cap);
    b->cap = cap;
}

void gn_buf_append(gn_buf *b, const char *s, size_t n)
{
    gn_buf_reserve(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = 0;
}

void gn_buf_puts(gn_buf *b, const char *s)
{
    gn_buf_append(b, s, strlen(s));
}

/* Formats straight into the free space, and a second time only when that
 * was too small: decisions are written with it, and formatting twice was a
 * measurable part of deciding a listing. gn_vformat writes what vsnprintf
 * would, several times faster for the numbers in decisions. */
void gn_buf_printf(gn_buf *b, const char *fmt, ...)
{
    gn_buf_reserve(b, 64);
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap - b->len;
    int n = gn_vformat(b->data + b->len, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->data[b->len] = 0; /* an encoding error: nothing appended */
        return;
    }
    if ((size_t)n >= room) {
        gn_buf_reserve(b, (size_t)n);
        va_start(ap, fmt);
        gn_vformat(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
}

/* Runs of bytes that need no escape are copied whole; room for the rest of
 * the text is made once, and again only at an escape (up to six bytes for
 * one). Details and ids are written into every decision this way. */
void gn_buf_json_string(gn_buf *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t n = strlen(s);
    gn_buf_reserve(b, n + 2);
    b->data[b->len++] = '"';
    const unsigned char *p = (const unsigned char *)s, *end = p + n;
    (void)end; /* without SSE2 the NUL alone ends the text */
    for (;;) {
        const unsigned char *run = p;
#ifdef __SSE2__
        /* Sixteen bytes at a time while sixteen are left: a quote, a
         * backslash or a control (min(byte, 0x1f) == byte) ends the run. */
        while (end - p >= 16) {
            __m128i v = _mm_loadu_si128((const __m128i *)p);
            __m128i stop = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))),
                                        _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1f)), v));
            unsigned m = (unsigned)_mm_movemask_epi8(stop);
            if (m) {
                p += __builtin_ctz(m);
                break;
            }
            p += 16;
        }
#endif
        while (*p >= 0x20 && *p != '"' && *p != '\\')
            p++;
        memcpy(b->data + b->len, run, (size_t)(p - run));
        b->len += (size_t)(p - run);
        unsigned char c = *p++;
        if (!c) break;
        gn_buf_reserve(b, 6 + n - (size_t)(p - (const unsigned char *)s) + 1);
        b->data[b->len++] = '\\';
        switch (c) {
        case '"':
            b->data[b->len++] = '"';
            break;
        case '\\':
            b->data[b->len++] = '\\';
            break;
        case '\n':
            b->data[b->len++] = 'n';
            break;
        case '\r':
            b->data[b->len++] = 'r';
            break;
        case '\t':
            b->data[b->len++] = 't';
            break;
        default:
            b->data[b->len++] = 'u';
            b->data[b->len++] = '0';
            b->data[b->len++] = '0';
            b->data[b->len++] = hex[c >> 4];
            b->data[b->len++] = hex[c & 15];
        }
    }
    b->data[b->len++] = '"';
    b->data[b->len] = 0;
}

void gn_buf_reset(gn_buf *b)
{
    b->len = 0;
    if (b->data) b->data[0] = 0;
}

void gn_buf_free(gn_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *gn_buf_take(gn_buf *b)
{
    gn_buf_reserve(b, 0);
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

char *gn_buf_take_if(gn_buf *b, int rc)
{
    if (!rc) return gn_buf_take(b);
    gn_buf_free(b);
    return NULL;
}
