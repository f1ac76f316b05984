/* Normal forms of identity values: every spelling that reaches one phone,
 * one mailbox, one address or one account is one value before it is hashed
 * (src/state/identity.c). Phones by their country (the seller's, when known),
 * e-mail by the provider's own rules, addresses by their common
 * abbreviations, account numbers without the separators people type. Pure
 * functions of the text, the kind and the country; docs/linked-accounts.md. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "state/identity.h"

typedef struct outbuf {
    char *p;
    size_t n, cap;
    int full;
} outbuf;

static void put(outbuf *o, char c)
{
    if (o->n + 1 < o->cap)
        o->p[o->n++] = c;
    else
        o->full = 1;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
static char lower(char c)
{
    return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c;
}
static char upper(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}
static int is_alnum(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Full-width forms (U+FF01..U+FF5E, as CJK keyboards type digits and "@")
 * become ASCII; the ideographic space, comma and full stop become spaces.
 * Then leading and trailing white space go. */
static size_t fold_width(const char *in, size_t len, char *out)
{
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if ((c == 0xEF || c == 0xE3) && i + 2 < len && ((unsigned char)in[i + 1] & 0xC0) == 0x80 &&
            ((unsigned char)in[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = ((uint32_t)(c & 0x0F) << 12) |
                          ((uint32_t)((unsigned char)in[i + 1] & 0x3F) << 6) |
                          ((unsigned char)in[i + 2] & 0x3F);
            if (cp >= 0xFF01 && cp <= 0xFF5E) {
                out[n++] = (char)(cp - 0xFEE0);
                i += 2;
                continue;
            }
            if (cp >= 0x3000 && cp <= 0x3002) {
                out[n++] = ' ';
                i += 2;
                continue;
            }
        }
        out[n++] = (char)c;
    }
    size_t a = 0;
    while (a < n && is_space((unsigned char)out[a]))
        a++;
    while (n > a && is_space((unsigned char)out[n - 1]))
        n--;
    memmove(out, out + a, n - a);
    return n - a;
}

static void norm_ip(const char *v, size_t n, outbuf *o)
{
    char tmp[64];
    if (n < sizeof tmp) {
        memcpy(tmp, v, n);
        tmp[n] = 0;
        char *zone = strchr(tmp, '%'); /* fe80::1%eth0: the zone is local */
        if (zone) *zone = 0;
        unsigned char a[16];
        char text[INET6_ADDRSTRLEN];
        if (inet_pton(AF_INET, tmp, a) == 1) {
            inet_ntop(AF_INET, a, text, sizeof text);
            for (const char *t = text; *t; t++)
                put(o, *t);
            return;
        }
        if (inet_pton(AF_INET6, tmp, a) == 1) {
            static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
            if (memcmp(a, mapped, 12) == 0) {
                inet_ntop(AF_INET, a + 12, text, sizeof text);
            } else {
                /* One household or phone holds a /64 and rotates the rest
                 * (privacy addresses): the /64 is what identifies it. */
                memset(a + 8, 0, 8);
                inet_ntop(AF_INET6, a, text, sizeof text);
                strcat(text, "/64");
            }
            for (const char *t = text; *t; t++)
                put(o, *t);
            return;
        }
    }
    for (size_t i = 0; i < n; i++)
        put(o, lower(v[i]));
}

/* A Wi-Fi BSSID or router MAC in any of its spellings (AA-BB-.., aabb.ccdd..)
 * becomes aa:bb:cc:dd:ee:ff; any other router id is only lower-cased. */
static void norm_network(const char *v, size_t n, outbuf *o)
{
    char hex[12];
    int h = 0, ok = 1;
    for (size_t i = 0; i < n && ok; i++) {
        char c = lower(v[i]);
        if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')) {
            if (h == 12)
                ok = 0;
            else
                hex[h++] = c;
        } else if (c != ':' && c != '-' && c != '.') {
            ok = 0;
        }
    }
    if (ok && h == 12) {
        for (int i = 0; i < 12; i++) {
            if (i && i % 2 == 0) put(o, ':');
            put(o, hex[i]);
        }
        return;
    }
    for (size_t i = 0; i < n; i++)
        put(o, lower(v[i]));
}

/* ------------------------------------------------------------ phones */

/* Countries genuine knows the numbering of: ISO 3166 code, calling code,
 * trunk prefix (the digit dialled before a national number: "0" in most
 * places, "8" in Russia, "1" in North America, none in Italy or Spain, whose
 * leading 0 is part of the number) and the length of the national number
 * without it. Enough to read a national spelling and one written with its
 * country code but no "+". A country not here is read only from "+" or
 * "00". Calling codes are prefix-free, so a number starts with at most one. */
typedef struct phone_plan {
    char iso[3], cc[4], trunk;
    unsigned char min, max;
} phone_plan;

static const phone_plan plans[] = {
    {"US", "1", '1', 10, 10},  {"CA", "1", '1', 10, 10},   {"RU", "7", '8', 10, 10},
    {"KZ", "7", '8', 10, 10},  {"EG", "20", '0', 8, 10},   {"ZA", "27", '0', 9, 9},
    {"GR", "30", 0, 10, 10},   {"NL", "31", '0', 9, 9},    {"BE", "32", '0', 8, 9},
    {"FR", "33", '0', 9, 9},   {"ES", "34", 0, 9, 9},      {"IT", "39", 0, 6, 11},
    {"RO", "40", '0', 9, 9},   {"CH", "41", '0', 9, 9},    {"AT", "43", '0', 4, 13},
    {"GB", "44", '0', 9, 10},  {"DK", "45", 0, 8, 8},      {"SE", "46", '0', 7, 9},
    {"NO", "47", 0, 8, 8},     {"PL", "48", 0, 9, 9},      {"DE", "49", '0', 6, 11},
    {"MX", "52", 0, 10, 10},   {"AR", "54", '0', 10, 11},  {"BR", "55", '0', 10, 11},
    {"CL", "56", 0, 9, 9},     {"CO", "57", 0, 10, 10},    {"MY", "60", '0', 9, 10},
    {"AU", "61", '0', 9, 9},   {"ID", "62", '0', 9, 12},   {"PH", "63", '0', 10, 10},
    {"NZ", "64", '0', 8, 10},  {"SG", "65", 0, 8, 8},      {"TH", "66", '0', 8, 9},
    {"JP", "81", '0', 9, 10},  {"KR", "82", '0', 9, 10},   {"VN", "84", '0', 9, 10},
    {"CN", "86", '0', 10, 11}, {"TR", "90", '0', 10, 10},  {"IN", "91", '0', 10, 10},
    {"PK", "92", '0', 9, 10},  {"NG", "234", '0', 8, 10},  {"KE", "254", '0', 9, 9},
    {"PT", "351", 0, 9, 9},    {"IE", "353", '0', 7, 9},   {"FI", "358", '0', 5, 12},
    {"UA", "380", '0', 9, 9},  {"CZ", "420", 0, 9, 9},     {"HK", "852", 0, 8, 8},
    {"MO", "853", 0, 8, 8},    {"BD", "880", '0', 10, 10}, {"TW", "886", '0', 8, 9},
    {"SA", "966", '0', 9, 9},  {"AE", "971", '0', 8, 9},   {"IL", "972", '0', 8, 9},
};
#define N_PLANS (sizeof plans / sizeof plans[0])

static size_t cc_len(const phone_plan *pl)
{
    return pl->cc[1] == 0 ? 1 : pl->cc[2] == 0 ? 2 : 3;
}

static const phone_plan *plan_of_country(const char *iso)
{
    if (!iso || !iso[0] || !iso[1] || iso[2]) return NULL;
    char up[3] = {upper(iso[0]), upper(iso[1]), 0};
    for (size_t i = 0; i < N_PLANS; i++)
        if (memcmp(plans[i].iso, up, 3) == 0) return &plans[i];
    return NULL;
}

/* The plan whose calling code begins these digits (the first of a shared
 * code: its numbering is the same). */
static const phone_plan *plan_of_digits(const char *d, size_t nd)
{
    for (size_t i = 0; nd && i < N_PLANS; i++) {
        if (plans[i].cc[0] != d[0]) continue;
        size_t k = cc_len(&plans[i]);
        if (nd >= k && memcmp(d, plans[i].cc, k) == 0) return &plans[i];
    }
    return NULL;
}

static int national_length_fits(const phone_plan *pl, size_t len)
{
    return len >= pl->min && len <= pl->max;
}

/* Digits with the country code: "+86 138-0013-8000", "0086 13800138000" and
 * "8613800138000" are all +8613800138000; "+44 (0)20 ..." and "+44 020 ..."
 * drop the trunk 0; an extension ("x12", "ext. 12") is cut. A national
 * spelling ("138 0013 8000", "013800138000") takes the country's code when
 * the country is known (country, else the deployment's phone_country);
 * without it the digits stay as written (no "+"). */
static void norm_phone(const gn_identity_params *p, const char *country, const char *v, size_t n,
                       outbuf *o)
{
    char d[64];
    size_t nd = 0, i = 0;
    int intl = 0, too_long = 0;
    if (n && v[0] == '+') intl = 1, i = 1;
    size_t from = i;
    for (; i < n; i++) {
        char c = v[i];
        if (c >= '0' && c <= '9') {
            if (nd == sizeof d) {
                too_long = 1;
                break;
            }
            d[nd++] = c;
        } else if (intl && c == '(' && i + 2 < n && v[i + 1] == '0' && v[i + 2] == ')')
            i += 2;
        else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            break;
    }
    if (too_long) {
        /* More digits than any number has is no phone number: its digits as
         * they are, all of them (cut at 64, its form would differ when read
         * again; fuzz_identity). */
        if (intl) put(o, '+');
        for (i = from; i < n; i++) {
            char c = v[i];
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) break;
            if (c >= '0' && c <= '9') put(o, c);
        }
        return;
    }
    size_t a = 0;
    const char *cc = NULL; /* a country code to put before a national number */
    if (!intl && nd >= 2 && d[0] == '0' && d[1] == '0') intl = 1, a = 2;
    if (!intl) {
        const phone_plan *home = plan_of_country(country);
        if (!home && p->phone_country[0]) {
            /* The deployment's own country: its plan when known, else a trunk 0. */
            for (size_t k = 0; k < N_PLANS && !home; k++)
                if (strcmp(plans[k].cc, p->phone_country) == 0) home = &plans[k];
            if (!home) {
                if (nd > a && d[a] == '0') a++;
                cc = p->phone_country;
            }
        }
        const phone_plan *other = plan_of_digits(d, nd);
        size_t ncc = other ? cc_len(other) : 0;
        int written_intl = other && national_length_fits(other, nd - ncc);
        if (home) {
            /* North America's trunk "1" is also its country code: either
             * reading gives the same number. */
            if (nd && home->trunk && d[0] == home->trunk) {
                a = 1; /* the national trunk prefix */
                cc = home->cc;
            } else if (nd > home->max && written_intl) {
                intl = 1; /* its country code written without "+" */
            } else {
                cc = home->cc;
            }
        } else if (!cc && nd >= 12 && d[0] != '0' && written_intl) {
            /* No national number is this long: a country code without "+". */
            intl = 1;
        }
    }
    if (intl) {
        /* "+44 020 ...": a trunk 0 kept after the country code by habit. */
        const phone_plan *pl = plan_of_digits(d + a, nd - a);
        size_t k = pl ? cc_len(pl) : 0;
        put(o, '+');
        if (pl && pl->trunk == '0' && nd - a > k && d[a + k] == '0') {
            /* There, no national number begins with 0: every 0 there is the
             * trunk's (so the form is the same when read again). */
            for (size_t j = 0; j < k; j++)
                put(o, d[a + j]);
            a += k;
            while (a < nd && d[a] == '0')
                a++;
        }
    } else if (cc) {
        put(o, '+');
        for (const char *c = cc; *c; c++)
            put(o, *c);
    }
    if (nd == a) { /* no digits: nothing to compare */
        o->n = 0;
        return;
    }
    for (; a < nd; a++)
        put(o, d[a]);
}

/* ------------------------------------------------------------ e-mail */

static int domain_is(const char *d, size_t n, const char *want)
{
    return strlen(want) == n && memcmp(d, want, n) == 0;
}
static int domain_starts(const char *d, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);
    return n > k && memcmp(d, prefix, k) == 0;
}

/* Lower case, without spaces; for the big providers the forms that reach one
 * mailbox are one value: gmail ignores dots and "+tag"; outlook/hotmail/live, icloud and
 * proton drop "+tag" (proton's four domains are one); yahoo drops "-tag". */
static void norm_email(const char *v, size_t n, outbuf *o)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (v[i] == '@') at = v + i;
    if (!at) {
        for (size_t i = 0; i < n; i++)
            put(o, lower(v[i]));
        return;
    }
    char dom[256];
    size_t nl = (size_t)(at - v), ndom = 0;
    for (const char *c = at + 1; c < v + n && ndom < sizeof dom; c++)
        if (!is_space((unsigned char)*c)) dom[ndom++] = lower(*c);
    while (ndom && dom[ndom - 1] == '.')
        ndom--;
    int no_dots = 0;
    char tag = 0;
    const char *domain = dom;
    if (domain_is(dom, ndom, "gmail.com") || domain_is(dom, ndom, "googlemail.com")) {
        no_dots = 1, tag = '+', domain = "gmail.com", ndom = 9;
    } else if (domain_starts(dom, ndom, "outlook.") || domain_starts(dom, ndom, "hotmail.") ||
               domain_starts(dom, ndom, "live.") || domain_is(dom, ndom, "msn.com") ||
               domain_is(dom, ndom, "icloud.com") || domain_is(dom, ndom, "me.com") ||
               domain_is(dom, ndom, "mac.com")) {
        tag = '+';
    } else if (domain_is(dom, ndom, "protonmail.com") || domain_is(dom, ndom, "protonmail.ch") ||
               domain_is(dom, ndom, "proton.me") || domain_is(dom, ndom, "pm.me")) {
        tag = '+', domain = "proton.me", ndom = 9;
    } else if (domain_starts(dom, ndom, "yahoo.") || domain_is(dom, ndom, "ymail.com") ||
               domain_is(dom, ndom, "rocketmail.com")) {
        tag = '-';
    }
    for (size_t i = 0; i < nl; i++) {
        char c = lower(v[i]);
        if (tag && c == tag) break;
        /* No address holds a space: one left at an end once the dots are
         * gone would make a form that does not give itself again. */
        if ((no_dots && c == '.') || is_space((unsigned char)c)) continue;
        put(o, c);
    }
    put(o, '@');
    for (size_t i = 0; i < ndom; i++)
        put(o, domain[i]);
}

/* ------------------------------------------------------------ addresses */

/* Common address words and their abbreviations are one word. */
static const char *const address_words[][2] = {
    {"street", "st"},      {"road", "rd"},    {"avenue", "ave"},    {"av", "ave"},
    {"boulevard", "blvd"}, {"drive", "dr"},   {"lane", "ln"},       {"apartment", "apt"},
    {"suite", "ste"},      {"floor", "fl"},   {"building", "bldg"}, {"room", "rm"},
    {"number", "no"},      {"nr", "no"},      {"num", "no"},        {"court", "ct"},
    {"place", "pl"},       {"square", "sq"},  {"highway", "hwy"},   {"district", "dist"},
    {"strasse", "str"},    {"straße", "str"}, {"flat", "apt"},      {"unit", "unit"}};

/* A German street name is one word ending in "straße", "strasse" or "str"
 * ("Hauptstraße", "Hauptstr."): returns the length before the long ending
 * (n when there is none), which is then written "str". */
static size_t street_suffix(const char *w, size_t n)
{
    static const char *const endings[] = {"straße", "strasse"};
    for (size_t k = 0; k < 2; k++) {
        size_t e = strlen(endings[k]);
        if (n > e && memcmp(w + n - e, endings[k], e) == 0) return n - e;
    }
    return n;
}

static void put_word(outbuf *o, const char *w, size_t n)
{
    for (size_t k = 0; k < sizeof address_words / sizeof address_words[0]; k++) {
        if (address_words[k][0][0] == w[0] && strlen(address_words[k][0]) == n &&
            memcmp(address_words[k][0], w, n) == 0) {
            w = address_words[k][1];
            n = strlen(w);
            break;
        }
    }
    size_t stem = street_suffix(w, n);
    if (o->n) put(o, ' ');
    for (size_t i = 0; i < stem; i++)
        put(o, w[i]);
    if (stem < n)
        for (const char *c = "str"; *c; c++)
            put(o, *c);
}

/* Lower case; ASCII punctuation is a space; runs of spaces are one. Other
 * bytes (UTF-8 letters: CJK addresses) are kept as they are. */
static void norm_address(const char *v, size_t n, outbuf *o)
{
    char word[256];
    size_t nw = 0;
    for (size_t i = 0; i <= n; i++) {
        char c = i < n ? lower(v[i]) : ' ';
        int sep = (unsigned char)c < 0x80 && !is_alnum(c);
        if (!sep && nw < sizeof word) {
            word[nw++] = c;
        } else if (sep && nw) {
            put_word(o, word, nw);
            nw = 0;
        }
    }
}

/* ------------------------------------------------------------ accounts */

/* Drops the separators people type inside account numbers; upper case. */
static void norm_code(const char *v, size_t n, const char *drop, outbuf *o)
{
    /* Any white space between the characters goes, as at the ends (fold_width
     * trims those): else a form that begins with a carriage return left
     * behind by a dropped dash would lose it when read again. */
    for (size_t i = 0; i < n; i++)
        if (!is_space((unsigned char)v[i]) && !strchr(drop, v[i])) put(o, upper(v[i]));
}

/* A wallet named by a phone number (Alipay, WeChat Pay, M-Pesa): only digits
 * and what people type between them, with at least 7 digits. */
static int looks_like_phone(const char *v, size_t n)
{
    size_t digits = 0;
    for (size_t i = 0; i < n; i++) {
        char c = v[i];
        if (c >= '0' && c <= '9')
            digits++;
        else if (!is_space((unsigned char)c) && (!c || !strchr("-.()+", c) || (c == '+' && i != 0)))
            return 0;
    }
    return digits >= 7;
}

int gn_identity_normalize(const gn_identity_params *p, gn_identity_kind kind, const char *value,
                          size_t len, char *out, size_t cap, gn_error *err)
{
    return gn_identity_normalize_in(p, kind, value, len, NULL, out, cap, err);
}

int gn_identity_normalize_in(const gn_identity_params *p, gn_identity_kind kind, const char *value,
                             size_t len, const char *country, char *out, size_t cap, gn_error *err)
{
    if ((unsigned)kind >= GN_ID_KINDS)
        return gn_fail(err, GN_EINPUT, "identity kind %d is not known", (int)kind);
    const char *name = gn_identity_kind_name(kind);
    if (!value || cap == 0) return gn_fail(err, GN_EINPUT, "%s: no value", name);
    if (memchr(value, 0, len))
        return gn_fail(err, GN_EINPUT, "%s: the value holds a NUL byte", name);
    char stack[1024];
    char *tmp = len < sizeof stack ? stack : gn_xmalloc(len + 1);
    if (!tmp) return gn_fail(err, GN_ENOMEM, "out of memory normalising a %s", name);
    size_t n = fold_width(value, len, tmp);
    outbuf o = {out, 0, cap, 0};
    switch (kind) {
    case GN_ID_IP:
        norm_ip(tmp, n, &o);
        break;
    case GN_ID_NETWORK:
        norm_network(tmp, n, &o);
        break;
    case GN_ID_PHONE:
        norm_phone(p, country, tmp, n, &o);
        break;
    case GN_ID_EMAIL:
        norm_email(tmp, n, &o);
        break;
    case GN_ID_ADDRESS:
        norm_address(tmp, n, &o);
        break;
    case GN_ID_BANK_ACCOUNT:
        norm_code(tmp, n, "-./", &o);
        break;
    case GN_ID_TAX_ID:
        norm_code(tmp, n, "-./", &o);
        break;
    case GN_ID_PAYMENT_ACCOUNT:
        /* Wallets are often named by an e-mail (PayPal) or a phone (Alipay):
         * then one mailbox or one number is one account; other ids lose
         * spaces, dashes and case. */
        if (memchr(tmp, '@', n)) {
            norm_email(tmp, n, &o);
        } else if (looks_like_phone(tmp, n)) {
            norm_phone(p, country, tmp, n, &o);
        } else {
            for (size_t i = 0; i < n; i++)
                if (!is_space((unsigned char)tmp[i]) && tmp[i] != '-') put(&o, lower(tmp[i]));
        }
        break;
    case GN_ID_DEVICE:
    default:
        for (size_t i = 0; i < n; i++)
            put(&o, lower(tmp[i]));
        break;
    }
    if (tmp != stack) free(tmp);
    if (o.full) return gn_fail(err, GN_EINPUT, "%s: value longer than %zu bytes", name, cap - 1);
    out[o.n] = 0;
    if (o.n == 0 || (o.n == 1 && out[0] == '+'))
        return gn_fail(err, GN_EINPUT, "%s: the value is empty once normalised", name);
    return (int)o.n;
}
