/* What every profile of the event generator (`genuine simulate`: the
 * marketplace, the worlds, the benchmarks' corpus) shares: the draws beyond
 * core/rng.h, and event text appended to a gn_buf by hand (numbers, JSON
 * strings, RFC 3339 times), which is the generators' innermost loop. */
#ifndef GN_SIM_GEN_H
#define GN_SIM_GEN_H

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "core/buf.h"
#include "core/rng.h"

/* ------------------------------------------------------------------ draws */

static inline int sim_range(gn_rng *r, int lo, int hi) /* lo..hi inclusive */
{
    return lo + (int)gn_rng_below(r, (uint32_t)(hi - lo + 1));
}
static inline double sim_normal(gn_rng *r)
{
    double u = 1.0 - gn_rng_unit(r), v = gn_rng_unit(r);
    return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}
static inline double sim_exp(gn_rng *r, double mean)
{
    return -mean * log(1.0 - gn_rng_unit(r));
}
static inline double sim_lognormal(gn_rng *r, double mu, double sigma)
{
    return exp(mu + sigma * sim_normal(r));
}
/* Index drawn from a table of percentages (they need not add up to 100). */
static inline int sim_pick(gn_rng *r, const double *weights, int n)
{
    double total = 0, x;
    for (int i = 0; i < n; i++)
        total += weights[i];
    x = gn_rng_unit(r) * total;
    for (int i = 0; i < n; i++) {
        if (x < weights[i]) return i;
        x -= weights[i];
    }
    return n - 1;
}

/* ------------------------------------------------------------------ writing */

/* Appends without the NUL gn_buf_append keeps up: lines are written by
 * length, and this is the generator's innermost loop. */
static inline void sim_put(gn_buf *b, const char *p, size_t n)
{
    if (b->len + n + 1 > b->cap) gn_buf_reserve(b, n);
    memcpy(b->data + b->len, p, n);
    b->len += n;
}
#define SIM_PUTL(b, lit) sim_put((b), (lit), sizeof(lit) - 1)
static inline void sim_puts(gn_buf *b, const char *p)
{
    sim_put(b, p, strlen(p));
}

static inline void sim_putu(gn_buf *b, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    gn_buf_reserve(b, (size_t)n);
    while (n)
        b->data[b->len++] = tmp[--n];
}

/* A non-negative number with a fixed count of decimals (at most 6). */
static inline void sim_putfix(gn_buf *b, double v, int decimals)
{
    static const uint64_t pow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};
    if (!(v > 0)) v = 0;
    uint64_t scaled = (uint64_t)llround(v * (double)pow10[decimals]);
    sim_putu(b, scaled / pow10[decimals]);
    if (!decimals) return;
    char frac[8];
    uint64_t f = scaled % pow10[decimals];
    for (int i = decimals - 1; i >= 0; i--, f /= 10)
        frac[i] = (char)('0' + f % 10);
    SIM_PUTL(b, ".");
    sim_put(b, frac, (size_t)decimals);
}

/* A JSON string; the simulator's own words never need escaping, but a check
 * costs little and keeps every line valid whatever the tables say. */
static inline void sim_putjs(gn_buf *b, const char *p, size_t n)
{
    gn_buf_reserve(b, n + 2);
    b->data[b->len++] = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)p[i];
        if (c == '"' || c == '\\' || c < 0x20) {
            gn_buf_reserve(b, 6 + n - i);
            b->data[b->len++] = '\\';
            b->data[b->len++] = c == '"' || c == '\\' ? (char)c : ' ';
            continue;
        }
        b->data[b->len++] = (char)c;
    }
    b->data[b->len++] = '"';
}
static inline void sim_putjz(gn_buf *b, const char *p)
{
    sim_putjs(b, p, strlen(p));
}

/* "S123" as a JSON string */
static inline void sim_putid(gn_buf *b, char prefix, uint64_t n)
{
    gn_buf_reserve(b, 24);
    b->data[b->len++] = '"';
    b->data[b->len++] = prefix;
    sim_putu(b, n);
    SIM_PUTL(b, "\"");
}

static inline void sim_put2(char *p, int v)
{
    p[0] = (char)('0' + v / 10);
    p[1] = (char)('0' + v % 10);
}

/* RFC 3339 in UTC, from Unix seconds (days to civil date: H. Hinnant). */
static inline void sim_time_text(int64_t t, char out[21])
{
    int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400, sec = t - days * 86400;
    int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
    int64_t doe = z - era * 146097, yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400, doy = doe - (365 * yoe + yoe / 4 - yoe / 100),
            mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1), m = (int)(mp < 10 ? mp + 3 : mp - 9);
    y += m <= 2;
    sim_put2(out, (int)(y / 100));
    sim_put2(out + 2, (int)(y % 100));
    out[4] = '-';
    sim_put2(out + 5, m);
    out[7] = '-';
    sim_put2(out + 8, d);
    out[10] = 'T';
    sim_put2(out + 11, (int)(sec / 3600));
    out[13] = ':';
    sim_put2(out + 14, (int)(sec / 60 % 60));
    out[16] = ':';
    sim_put2(out + 17, (int)(sec % 60));
    out[19] = 'Z';
    out[20] = 0;
}

static inline void sim_puttime(gn_buf *b, int64_t t)
{
    char text[21];
    sim_time_text(t, text);
    SIM_PUTL(b, "\"");
    sim_put(b, text, 20);
    SIM_PUTL(b, "\"");
}

static inline void sim_puthex(gn_buf *b, uint64_t v, int digits)
{
    static const char hex[] = "0123456789abcdef";
    char out[16];
    for (int i = digits - 1; i >= 0; i--, v >>= 4)
        out[i] = hex[v & 15];
    sim_put(b, out, (size_t)digits);
}

#endif
