/* gn_vformat: vsnprintf's bytes for the few conversions the hot path uses.
 * A double is m * 2^e exactly, so x * 10^s rounded half to even (what glibc
 * prints: the exact value, correctly rounded) is a shift or a division of
 * 128-bit integers; %g takes its exponent from that rounding, as C says.
 * What is out of that reach, and every other conversion, is vsnprintf's. */
#include "core/format.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

__extension__ typedef unsigned __int128 u128;

static const uint64_t pow10_64[20] = {1ULL,
                                      10ULL,
                                      100ULL,
                                      1000ULL,
                                      10000ULL,
                                      100000ULL,
                                      1000000ULL,
                                      10000000ULL,
                                      100000000ULL,
                                      1000000000ULL,
                                      10000000000ULL,
                                      100000000000ULL,
                                      1000000000000ULL,
                                      10000000000000ULL,
                                      100000000000000ULL,
                                      1000000000000000ULL,
                                      10000000000000000ULL,
                                      100000000000000000ULL,
                                      1000000000000000000ULL,
                                      10000000000000000000ULL};

/* Where the text goes: like vsnprintf, at most size - 1 bytes and a NUL,
 * while len counts everything that would have been written. */
typedef struct sink {
    char *out;
    size_t size, len;
} sink;

static void put(sink *k, const char *s, size_t n)
{
    if (k->len + 1 < k->size) {
        size_t room = k->size - 1 - k->len;
        memcpy(k->out + k->len, s, n < room ? n : room);
    }
    k->len += n;
}

/* v in decimal, written backwards so that it ends at end; returns its start. */
static char *decimal(uint64_t v, char *end)
{
    static const char pairs[] = "00010203040506070809"
                                "10111213141516171819"
                                "20212223242526272829"
                                "30313233343536373839"
                                "40414243444546474849"
                                "50515253545556575859"
                                "60616263646566676869"
                                "70717273747576777879"
                                "80818283848586878889"
                                "90919293949596979899";
    while (v >= 100) {
        unsigned r = (unsigned)(v % 100);
        v /= 100;
        end -= 2;
        memcpy(end, pairs + 2 * r, 2);
    }
    if (v >= 10) {
        end -= 2;
        memcpy(end, pairs + 2 * v, 2);
    } else {
        *--end = (char)('0' + v);
    }
    return end;
}

/* v in decimal, zero-padded on the left to at least width digits. */
static char *decimal_width(uint64_t v, int width, char *end)
{
    char *start = decimal(v, end);
    while (end - start < width)
        *--start = '0';
    return start;
}

/* x * 10^s rounded half to even, for finite x >= 0: 0, or -1 when the exact
 * product or the result is beyond 128 or 64 bits. */
static int scaled(double x, int s, uint64_t *out)
{
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int biased = (int)(bits >> 52) & 0x7ff;
    uint64_t m = bits & ((1ULL << 52) - 1);
    int e = biased ? biased - 1075 : -1074; /* x = m * 2^e */
    if (biased) m |= 1ULL << 52;
    if (biased == 0x7ff || s > 19 || s < -19) return -1;
    /* x * 10^s = n * 2^e / d, n < 2^117 */
    u128 n = s >= 0 ? (u128)m * pow10_64[s] : m;
    uint64_t d = s >= 0 ? 1 : pow10_64[-s];
    if (e > 0) {
        if (e > 10 && (e >= 127 || (n >> (127 - e)) != 0)) return -1;
        n <<= e;
        e = 0;
    }
    int k = -e;
    u128 q;
    int up;
    if (d == 1) {
        if (k == 0) {
            q = n;
            up = 0;
        } else if (k >= 120) { /* below 2^-3: rounds to 0 */
            q = 0;
            up = 0;
        } else {
            q = n >> k;
            u128 r = n & (((u128)1 << k) - 1), half = (u128)1 << (k - 1);
            up = r > half || (r == half && (q & 1));
        }
    } else {
        if (k > 62) return -1; /* the divisor d * 2^k must stay below 2^126 */
        u128 divisor = (u128)d << k;
        q = n / divisor;
        u128 r = n % divisor;
        up = 2 * r > divisor || (2 * r == divisor && (q & 1));
    }
    q += (unsigned)up;
    if (q >> 64) return -1;
    *out = (uint64_t)q;
    return 0;
}

/* %.Nf */
static int put_fixed(sink *k, double x, int precision)
{
    uint64_t r;
    if (precision > 19 || scaled(fabs(x), precision, &r)) return -1;
    char buf[48];
    char *end = buf + sizeof buf, *p = end;
    if (precision > 0) {
        p = decimal_width(r % pow10_64[precision], precision, p);
        *--p = '.';
        r /= pow10_64[precision];
    }
    p = decimal(r, p);
    if (signbit(x)) *--p = '-';
    put(k, p, (size_t)(end - p));
    return 0;
}

/* %.Pg: style e when the exponent X of the value rounded to P digits is
 * below -4 or at least P, else style f with P - 1 - X decimals; trailing
 * zeros (and a point left alone) dropped. */
static int put_general(sink *k, double x, int precision)
{
    int p = precision == 0 ? 1 : precision;
    if (p > 17 || !isfinite(x)) return -1;
    char buf[64];
    char *end = buf + sizeof buf, *at = end;
    double ax = fabs(x);
    if (ax == 0) {
        *--at = '0';
        if (signbit(x)) *--at = '-';
        put(k, at, (size_t)(end - at));
        return 0;
    }
    int binary;
    frexp(ax, &binary);                                     /* ax in [2^(binary-1), 2^binary) */
    int X = (int)floor((binary - 1) * 0.30102999566398120); /* X or X - 1 */
    uint64_t r;
    for (int tries = 0;; tries++) {
        if (tries == 4 || scaled(ax, p - 1 - X, &r)) return -1;
        if (r >= pow10_64[p])
            X++;
        else if (r < pow10_64[p - 1])
            X--;
        else
            break;
    }
    if (X < -4 || X >= p) {
        char digits[24];
        char *d_end = digits + sizeof digits, *d = decimal(r, d_end); /* p digits */
        while (d_end > d + 1 && d_end[-1] == '0')
            d_end--;
        char *w = buf;
        if (signbit(x)) *w++ = '-';
        *w++ = d[0];
        if (d_end > d + 1) {
            *w++ = '.';
            memcpy(w, d + 1, (size_t)(d_end - d - 1));
            w += d_end - d - 1;
        }
        *w++ = 'e';
        *w++ = X < 0 ? '-' : '+';
        unsigned ex = (unsigned)(X < 0 ? -X : X);
        char exp_text[8];
        char *ee = exp_text + sizeof exp_text, *es = decimal_width(ex, 2, ee);
        memcpy(w, es, (size_t)(ee - es));
        w += ee - es;
        put(k, buf, (size_t)(w - buf));
        return 0;
    }
    int decimals = p - 1 - X;
    uint64_t whole = r / pow10_64[decimals], frac = r % pow10_64[decimals];
    if (decimals > 0 && frac) {
        while (frac % 10 == 0) {
            frac /= 10;
            decimals--;
        }
        at = decimal_width(frac, decimals, at);
        *--at = '.';
    }
    at = decimal(whole, at);
    if (signbit(x)) *--at = '-';
    put(k, at, (size_t)(end - at));
    return 0;
}

static void put_unsigned(sink *k, unsigned long long v, int negative)
{
    char buf[24];
    char *end = buf + sizeof buf, *p = decimal(v, end);
    if (negative) *--p = '-';
    put(k, p, (size_t)(end - p));
}

int gn_vformat(char *out, size_t size, const char *fmt, va_list ap)
{
    va_list args;
    va_copy(args, ap);
    sink k = {out, size, 0};
    const char *f = fmt;
    for (;;) {
        const char *pct = strchr(f, '%');
        if (!pct) {
            put(&k, f, strlen(f));
            break;
        }
        put(&k, f, (size_t)(pct - f));
        f = pct + 1;
        int precision = -1;
        if (*f == '.') {
            f++;
            precision = 0;
            for (; *f >= '0' && *f <= '9'; f++) {
                precision = precision * 10 + (*f - '0');
                if (precision > 4096) goto general;
            }
        }
        int length = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
        if (*f == 'l') {
            length = f[1] == 'l' ? 2 : 1;
            f += length;
        } else if (*f == 'z') {
            length = 3;
            f++;
        }
        switch (*f) {
        case '%':
        case 'c':
            if (precision >= 0 || length) goto general;
            if (*f == '%') {
                put(&k, "%", 1);
            } else {
                char c = (char)va_arg(args, int);
                put(&k, &c, 1);
            }
            break;
        case 's': {
            if (length) goto general;
            const char *s = va_arg(args, const char *);
            if (!s) goto general; /* glibc's "(null)" */
            put(&k, s, precision >= 0 ? strnlen(s, (size_t)precision) : strlen(s));
            break;
        }
        case 'd':
        case 'i': {
            if (precision >= 0) goto general;
            long long v = length == 0   ? va_arg(args, int)
                          : length == 1 ? va_arg(args, long)
                          : length == 2 ? va_arg(args, long long)
                                        : (long long)va_arg(args, ssize_t);
            put_unsigned(&k, v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v, v < 0);
            break;
        }
        case 'u': {
            if (precision >= 0) goto general;
            unsigned long long v = length == 0   ? va_arg(args, unsigned)
                                   : length == 1 ? va_arg(args, unsigned long)
                                   : length == 2 ? va_arg(args, unsigned long long)
                                                 : va_arg(args, size_t);
            put_unsigned(&k, v, 0);
            break;
        }
        case 'f':
        case 'g': {
            if (length > 1) goto general;
            double v = va_arg(args, double);
            if (*f == 'f' ? put_fixed(&k, v, precision < 0 ? 6 : precision)
                          : put_general(&k, v, precision < 0 ? 6 : precision))
                goto general;
            break;
        }
        default:
            goto general;
        }
        f++;
    }
    va_end(args);
    if (size) out[k.len < size ? k.len : size - 1] = 0;
    return (int)k.len;
general:
    va_end(args);
    return vsnprintf(out, size, fmt, ap);
}

int gn_format(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = gn_vformat(out, size, fmt, ap);
    va_end(ap);
    return n;
}
