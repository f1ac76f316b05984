/* Decoding and validation of contract events. Each type is a small table of
 * field rules, so the contract and this file can be read side by side; a
 * rejection always names the first field at fault. */
#include "core/event.h"

#include <math.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/hex.h"

typedef enum kind {
    K_ID,     /* non-empty string up to GN_ID_MAX */
    K_TEXT,   /* string up to GN_TEXT_MAX */
    K_ENUM,   /* one of rule->values */
    K_TIME,   /* RFC 3339 */
    K_PRICE,  /* finite number >= 0 */
    K_COUNT,  /* whole number >= 0 */
    K_RATING, /* whole number 1..5 */
    K_BOOL,
    K_CURRENCY, /* three upper-case letters (ISO 4217) */
    K_COUNTRY,  /* two upper-case letters (ISO 3166-1 alpha-2) */
    K_IDS,      /* array of ids */
    K_TEXTS,    /* array of strings */
    K_IMAGES,   /* array of image objects */
    K_REF_PRICES,
    K_DOCUMENTS,
    K_SIGNALS,       /* object of name: number */
    K_ORIGIN,        /* {country, city, facility} */
    K_SHARED_HASHES, /* array of {pdq, brand, first_seen} */
    K_PDQS,          /* array of 64-hex-digit hashes */
} kind;

typedef struct rule {
    const char *name;
    size_t name_len; /* strlen(name), known at compile time */
    kind kind;
    int required;
    const char *const *values; /* K_ENUM: NULL-terminated */
} rule;

static const char *const right_kinds[] = {"trademark", "copyright", "patent", "design", NULL};
static const char *const templates[] = {"basic", "custom", NULL};
static const char *const verification_states[] = {"submitted", "verified", "rejected", NULL};
static const char *const attribute_kinds[] = {
    "phone", "email", "bank_account", "payment_account", "address", "tax_id", NULL};
static const char *const conditions[] = {"new", "used", "refurbished", "for_parts", NULL};
static const char *const subjects[] = {"listing", "seller", "right", "complaint",
                                       "report",  "appeal", NULL};

#define REQ(n, k)                                                                                  \
    {                                                                                              \
        n, sizeof n - 1, k, 1, NULL                                                                \
    }
#define OPT(n, k)                                                                                  \
    {                                                                                              \
        n, sizeof n - 1, k, 0, NULL                                                                \
    }
#define REQ_ENUM(n, v)                                                                             \
    {                                                                                              \
        n, sizeof n - 1, K_ENUM, 1, v                                                              \
    }
#define OPT_ENUM(n, v)                                                                             \
    {                                                                                              \
        n, sizeof n - 1, K_ENUM, 0, v                                                              \
    }
#define END                                                                                        \
    {                                                                                              \
        NULL, 0, 0, 0, NULL                                                                        \
    }

static const rule brand_rules[] = {REQ("brand", K_ID),
                                   REQ("name", K_TEXT),
                                   OPT("aliases", K_TEXTS),
                                   OPT("owner", K_ID),
                                   OPT("categories", K_TEXTS),
                                   OPT("reference_prices", K_REF_PRICES),
                                   OPT("official_images", K_IMAGES),
                                   OPT("authorized_sellers", K_IDS),
                                   OPT("authorized_only", K_BOOL),
                                   END};
static const rule ip_right_rules[] = {REQ("right", K_ID),
                                      REQ("brand", K_ID),
                                      REQ_ENUM("kind", right_kinds),
                                      REQ("number", K_TEXT),
                                      REQ("holder", K_ID),
                                      OPT("jurisdiction", K_TEXT),
                                      OPT("classes", K_TEXTS),
                                      OPT("valid_from", K_TIME),
                                      OPT("valid_until", K_TIME),
                                      OPT("documents", K_TEXTS),
                                      OPT("document_hashes", K_TEXTS),
                                      OPT("work", K_TEXT),
                                      OPT("right_type", K_TEXT),
                                      END};
static const rule seller_rules[] = {REQ("seller", K_ID),
                                    REQ("name", K_TEXT),
                                    OPT("country", K_COUNTRY),
                                    OPT_ENUM("template", templates),
                                    OPT("business_id", K_TEXT),
                                    OPT("signals", K_SIGNALS),
                                    END};
static const rule seller_verification_rules[] = {REQ("seller", K_ID),
                                                 REQ_ENUM("status", verification_states),
                                                 OPT("documents", K_DOCUMENTS), END};
static const rule session_rules[] = {REQ("account", K_ID),      OPT("ip", K_TEXT),
                                     OPT("device", K_TEXT),     OPT("network", K_TEXT),
                                     OPT("user_agent", K_TEXT), END};
static const rule seller_attribute_rules[] = {
    REQ("seller", K_ID), REQ_ENUM("kind", attribute_kinds), REQ("value", K_TEXT), END};
static const rule listing_rules[] = {
    REQ("listing", K_ID),     REQ("seller", K_ID),         REQ("title", K_TEXT),
    REQ("price", K_PRICE),    REQ("currency", K_CURRENCY), OPT("description", K_TEXT),
    OPT("brand", K_TEXT),     OPT("category", K_TEXT),     OPT("images", K_IMAGES),
    OPT("quantity", K_COUNT), OPT("ship_from", K_COUNTRY), OPT_ENUM("condition", conditions),
    OPT("sku", K_ID),         OPT("signals", K_SIGNALS),   END};
static const rule order_rules[] = {REQ("order", K_ID),
                                   REQ("listing", K_ID),
                                   REQ("buyer", K_ID),
                                   REQ("price", K_PRICE),
                                   OPT("quantity", K_COUNT),
                                   OPT("ship_to", K_COUNTRY),
                                   END};
static const rule review_rules[] = {REQ("review", K_ID),
                                    REQ("listing", K_ID),
                                    REQ("buyer", K_ID),
                                    REQ("rating", K_RATING),
                                    OPT("text", K_TEXT),
                                    OPT("order", K_ID),
                                    END};
static const rule shipment_rules[] = {REQ("order", K_ID), REQ("origin", K_ORIGIN),
                                      OPT("carrier", K_TEXT), OPT("tracking", K_TEXT), END};
static const rule report_rules[] = {REQ("report", K_ID),   REQ("listing", K_ID),
                                    REQ("reporter", K_ID), REQ("reason", K_TEXT),
                                    OPT("text", K_TEXT),   END};
static const rule complaint_rules[] = {REQ("complaint", K_ID),   REQ("rights_holder", K_ID),
                                       REQ("right", K_ID),       REQ("listings", K_IDS),
                                       OPT("statement", K_TEXT), END};
static const rule counter_notice_rules[] = {REQ("complaint", K_ID), REQ("listing", K_ID),
                                            REQ("seller", K_ID), REQ("statement", K_TEXT), END};
static const rule verdict_rules[] = {REQ_ENUM("subject", subjects), REQ("target", K_ID),
                                     REQ("outcome", K_ID),          REQ("reviewer", K_ID),
                                     OPT("note", K_TEXT),           END};
static const rule appeal_rules[] = {REQ("appeal", K_ID), REQ("seller", K_ID), REQ("target", K_ID),
                                    REQ("statement", K_TEXT), END};
static const rule rate_rules[] = {REQ("currency", K_CURRENCY), REQ("usd", K_PRICE), END};
static const rule shared_bank_rules[] = {REQ("source", K_ID),     OPT("hashes", K_SHARED_HASHES),
                                         OPT("withdraw", K_PDQS), OPT("withdraw_all", K_BOOL),
                                         OPT("file", K_TEXT),     END};

static const char *const scanners[] = {"shopper", "seller", "warehouse", "platform", NULL};
static const rule code_batch_rules[] = {REQ("batch", K_ID),
                                        REQ("brand", K_ID),
                                        REQ("sku", K_ID),
                                        REQ("count", K_COUNT),
                                        OPT("enrolled", K_BOOL),
                                        OPT("retired", K_BOOL),
                                        END};
static const rule code_scan_rules[] = {
    REQ("code", K_ID),    REQ("country", K_COUNTRY),     OPT("city", K_TEXT),  OPT("order", K_ID),
    OPT("listing", K_ID), OPT_ENUM("scanner", scanners), OPT("account", K_ID), END};

static const struct {
    const char *name;
    const rule *rules;
} types[GN_EV_TYPE_COUNT] = {
    [GN_EV_BRAND] = {"brand", brand_rules},
    [GN_EV_IP_RIGHT] = {"ip_right", ip_right_rules},
    [GN_EV_SELLER] = {"seller", seller_rules},
    [GN_EV_SELLER_VERIFICATION] = {"seller_verification", seller_verification_rules},
    [GN_EV_SESSION] = {"session", session_rules},
    [GN_EV_SELLER_ATTRIBUTE] = {"seller_attribute", seller_attribute_rules},
    [GN_EV_LISTING] = {"listing", listing_rules},
    [GN_EV_ORDER] = {"order", order_rules},
    [GN_EV_REVIEW] = {"review", review_rules},
    [GN_EV_SHIPMENT] = {"shipment", shipment_rules},
    [GN_EV_REPORT] = {"report", report_rules},
    [GN_EV_COMPLAINT] = {"complaint", complaint_rules},
    [GN_EV_COUNTER_NOTICE] = {"counter_notice", counter_notice_rules},
    [GN_EV_VERDICT] = {"verdict", verdict_rules},
    [GN_EV_APPEAL] = {"appeal", appeal_rules},
    [GN_EV_RATE] = {"rate", rate_rules},
    [GN_EV_SHARED_BANK] = {"shared_bank", shared_bank_rules},
    [GN_EV_CODE_BATCH] = {"code_batch", code_batch_rules},
    [GN_EV_CODE_SCAN] = {"code_scan", code_scan_rules},
};

const char *gn_event_type_name(gn_event_type type)
{
    return (unsigned)type < GN_EV_TYPE_COUNT ? types[type].name : "unknown";
}

int gn_event_type_from_name(const char *name)
{
    for (int t = 0; t < GN_EV_TYPE_COUNT; t++)
        if (strcmp(types[t].name, name) == 0) return t;
    return -1;
}

#define json_kind gn_json_type_name

static int is_type(const gn_json *v, gn_json_type t)
{
    return v && gn_json_typeof(v) == t;
}

/* Field paths in messages read like the JSON: images[2].pdq */
static int wrong(gn_error *err, const char *field, const char *expected, const gn_json *got)
{
    return gn_fail(err, GN_EINPUT, "field '%s': expected %s, got %s", field, expected,
                   json_kind(got));
}

/* What is wrong with a string field, found before any message is made: the
 * field's path in a message (images[2].pdq) is only written for a fault. */
typedef enum string_fault { STRING_OK, NOT_STRING, EMPTY, TOO_LONG, HAS_NUL } string_fault;

static string_fault string_fault_of(const gn_json *v, size_t max, int nonempty)
{
    if (!is_type(v, GN_JSON_STRING)) return NOT_STRING;
    size_t n;
    const char *text = gn_json_string(v, &n);
    if (nonempty && n == 0) return EMPTY;
    if (n > max) return TOO_LONG;
    if (memchr(text, 0, n)) return HAS_NUL;
    return STRING_OK;
}

static int check_string(const char *field, const gn_json *v, size_t max, int nonempty,
                        gn_error *err)
{
    string_fault fault = string_fault_of(v, max, nonempty);
    if (fault == STRING_OK) return 0;
    if (fault == NOT_STRING) return wrong(err, field, "a string", v);
    if (fault == EMPTY) return gn_fail(err, GN_EINPUT, "field '%s': must not be empty", field);
    size_t n;
    gn_json_string(v, &n);
    if (fault == TOO_LONG)
        return gn_fail(err, GN_EINPUT, "field '%s': %zu bytes, longer than the limit of %zu", field,
                       n, max);
    return gn_fail(err, GN_EINPUT, "field '%s': contains a NUL character", field);
}

/* check_upper's verdict without its message. */
static int upper_ok(const gn_json *v, size_t n)
{
    const char *s = gn_json_string(v, NULL);
    if (!s || strlen(s) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return 0;
    return 1;
}

static int check_upper(const char *field, const gn_json *v, size_t n, const char *what,
                       gn_error *err)
{
    if (!is_type(v, GN_JSON_STRING)) return wrong(err, field, what, v);
    const char *s = gn_json_string(v, NULL);
    if (strlen(s) != n)
        return gn_fail(err, GN_EINPUT, "field '%s': expected %s, got \"%.40s\"", field, what, s);
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z')
            return gn_fail(err, GN_EINPUT, "field '%s': expected %s, got \"%.40s\"", field, what,
                           s);
    return 0;
}

static int check_number(const char *field, const gn_json *v, int whole, double min, double max,
                        gn_error *err)
{
    if (!is_type(v, GN_JSON_NUMBER))
        return wrong(err, field, whole ? "a whole number" : "a number", v);
    double x = gn_json_number(v);
    if (!isfinite(x) || (whole && x != floor(x)))
        return gn_fail(err, GN_EINPUT, "field '%s': expected a whole number, got %g", field, x);
    if (x < min || x > max)
        return gn_fail(err, GN_EINPUT, "field '%s': %g is out of range [%g, %g]", field, x, min,
                       max);
    return 0;
}

/* A string of n bytes whose strlen is 64 and whose bytes are all hexadecimal
 * digits. */
static int is_hex64(const char *h, size_t n)
{
    if (n < 64 || (n > 64 && h[64] != 0)) return 0;
    for (int i = 0; i < 64; i += 8)
        if (gn_hex8(h + i) < 0) return 0;
    return 1;
}

/* check_image's verdict without its message. */
static int image_ok(const gn_json *v)
{
    if (!is_type(v, GN_JSON_OBJECT)) return 0;
    const gn_json *pdq = gn_json_get(v, "pdq"), *path = gn_json_get(v, "path"),
                  *url = gn_json_get(v, "url"), *role = gn_json_get(v, "role");
    if (!pdq && !path && !url) return 0;
    if (pdq) {
        size_t n;
        const char *h = gn_json_string(pdq, &n);
        if (!h || !is_hex64(h, n)) return 0;
    }
    return (!path || string_fault_of(path, 4096, 1) == STRING_OK) &&
           (!url || string_fault_of(url, 4096, 1) == STRING_OK) &&
           (!role || string_fault_of(role, GN_ID_MAX, 1) == STRING_OK);
}

static int check_image(const char *field, const gn_json *v, gn_error *err)
{
    char sub[96];
    if (!is_type(v, GN_JSON_OBJECT)) return wrong(err, field, "an image object", v);
    const gn_json *pdq = gn_json_get(v, "pdq"), *path = gn_json_get(v, "path"),
                  *url = gn_json_get(v, "url"), *role = gn_json_get(v, "role");
    if (!pdq && !path && !url)
        return gn_fail(err, GN_EINPUT, "field '%s': an image needs one of 'pdq', 'path' or 'url'",
                       field);
    if (pdq) {
        snprintf(sub, sizeof sub, "%s.pdq", field);
        if (!is_type(pdq, GN_JSON_STRING)) return wrong(err, sub, "64 hexadecimal characters", pdq);
        size_t n;
        const char *h = gn_json_string(pdq, &n);
        if (!is_hex64(h, n))
            return gn_fail(err, GN_EINPUT,
                           "field '%s': expected 64 hexadecimal characters, got %zu characters",
                           sub, strlen(h));
    }
    if (path) {
        snprintf(sub, sizeof sub, "%s.path", field);
        if (check_string(sub, path, 4096, 1, err)) return GN_EINPUT;
    }
    if (url) {
        snprintf(sub, sizeof sub, "%s.url", field);
        if (check_string(sub, url, 4096, 1, err)) return GN_EINPUT;
    }
    if (role) {
        snprintf(sub, sizeof sub, "%s.role", field);
        if (check_string(sub, role, GN_ID_MAX, 1, err)) return GN_EINPUT;
    }
    return 0;
}

/* The checks of a member of an object element (reference_prices[0].price):
 * its path is written only when it is at fault. */
static int check_member_string(const char *sub, const char *member, const gn_json *v, size_t max,
                               int nonempty, gn_error *err)
{
    if (string_fault_of(v, max, nonempty) == STRING_OK) return 0;
    char f[128];
    snprintf(f, sizeof f, "%s.%s", sub, member);
    return check_string(f, v, max, nonempty, err);
}

static int member_missing(const char *sub, const char *member, gn_error *err)
{
    char f[128];
    snprintf(f, sizeof f, "%s.%s", sub, member);
    return gn_fail(err, GN_EINPUT, "field '%s': missing", f);
}

/* One element of an array field, named sub in messages. */
static int check_element(const rule *r, const char *sub, const gn_json *el, gn_error *err)
{
    switch (r->kind) {
    case K_IDS:
        return check_string(sub, el, GN_ID_MAX, 1, err);
    case K_TEXTS:
        return check_string(sub, el, GN_TEXT_MAX, 0, err);
    case K_IMAGES:
        return image_ok(el) ? 0 : check_image(sub, el, err);
    case K_REF_PRICES: {
        if (!is_type(el, GN_JSON_OBJECT))
            return wrong(err, sub, "an object {category, price, currency}", el);
        const gn_json *c = gn_json_get(el, "category"), *p = gn_json_get(el, "price"),
                      *cur = gn_json_get(el, "currency");
        char f[128];
        if (!c) return member_missing(sub, "category", err);
        if (check_member_string(sub, "category", c, GN_TEXT_MAX, 1, err)) return GN_EINPUT;
        if (!p) return member_missing(sub, "price", err);
        if (!is_type(p, GN_JSON_NUMBER) || !isfinite(gn_json_number(p)) ||
            !(gn_json_number(p) >= 0 && gn_json_number(p) <= 1e12)) {
            snprintf(f, sizeof f, "%s.price", sub);
            if (check_number(f, p, 0, 0, 1e12, err)) return GN_EINPUT;
        }
        if (!cur) return member_missing(sub, "currency", err);
        if (upper_ok(cur, 3)) return 0;
        snprintf(f, sizeof f, "%s.currency", sub);
        return check_upper(f, cur, 3, "a three-letter ISO 4217 code", err);
    }
    case K_PDQS: {
        size_t n;
        const char *h = is_type(el, GN_JSON_STRING) ? gn_json_string(el, &n) : NULL;
        return h && is_hex64(h, n) ? 0 : wrong(err, sub, "64 hexadecimal characters", el);
    }
    case K_SHARED_HASHES: {
        if (!is_type(el, GN_JSON_OBJECT))
            return wrong(err, sub, "an object {pdq, brand, first_seen}", el);
        const gn_json *pdq = gn_json_get(el, "pdq"), *brand = gn_json_get(el, "brand"),
                      *seen = gn_json_get(el, "first_seen");
        size_t n;
        const char *h = is_type(pdq, GN_JSON_STRING) ? gn_json_string(pdq, &n) : NULL;
        char f[128];
        if (!h || !is_hex64(h, n)) {
            snprintf(f, sizeof f, "%s.pdq", sub);
            return pdq ? wrong(err, f, "64 hexadecimal characters", pdq)
                       : member_missing(sub, "pdq", err);
        }
        if (brand && check_member_string(sub, "brand", brand, GN_ID_MAX, 0, err)) return GN_EINPUT;
        int64_t ms;
        if (seen &&
            (!is_type(seen, GN_JSON_STRING) || gn_time_parse(gn_json_string(seen, NULL), &ms))) {
            snprintf(f, sizeof f, "%s.first_seen", sub);
            return wrong(err, f, "an RFC 3339 time", seen);
        }
        return 0;
    }
    case K_DOCUMENTS: {
        if (!is_type(el, GN_JSON_OBJECT))
            return wrong(err, sub, "an object {kind, number, issuer}", el);
        const char *keys[] = {"kind", "number", "issuer"};
        for (int k = 0; k < 3; k++) {
            const gn_json *d = gn_json_get(el, keys[k]);
            if (d && check_member_string(sub, keys[k], d, GN_TEXT_MAX, 0, err)) return GN_EINPUT;
        }
        return 0;
    }
    default:
        return 0;
    }
}

/* Checks each element of an array with the rule for one element; the
 * element's path (images[2]) is written only for a message. */
static int check_array(const rule *r, const gn_json *v, gn_error *err)
{
    if (!is_type(v, GN_JSON_ARRAY)) return wrong(err, r->name, "an array", v);
    char sub[96];
    for (size_t i = 0; i < gn_json_size(v); i++) {
        const gn_json *el = gn_json_at(v, i);
        if (check_element(r, "", el, NULL) == 0) continue; /* no err: no message made */
        snprintf(sub, sizeof sub, "%s[%zu]", r->name, i);
        int rc = check_element(r, sub, el, err);
        if (rc) return rc;
    }
    return 0;
}

/* Checks one field against its rule; a time's value is left in *ms. */
static int check_field(const rule *r, const gn_json *v, int64_t *ms, gn_error *err)
{
    switch (r->kind) {
    case K_ID:
        return check_string(r->name, v, GN_ID_MAX, 1, err);
    case K_TEXT:
        return check_string(r->name, v, GN_TEXT_MAX, 0, err);
    case K_ENUM: {
        if (!is_type(v, GN_JSON_STRING)) return wrong(err, r->name, "a string", v);
        const char *s = gn_json_string(v, NULL);
        for (const char *const *e = r->values; *e; e++)
            if (strcmp(*e, s) == 0) return 0;
        char list[160] = "";
        for (const char *const *e = r->values; *e; e++) {
            strncat(list, *e, sizeof list - strlen(list) - 1);
            if (e[1]) strncat(list, ", ", sizeof list - strlen(list) - 1);
        }
        return gn_fail(err, GN_EINPUT, "field '%s': \"%.40s\" is not one of %s", r->name, s, list);
    }
    case K_TIME: {
        if (!is_type(v, GN_JSON_STRING)) return wrong(err, r->name, "an RFC 3339 time", v);
        if (gn_time_parse(gn_json_string(v, NULL), ms))
            return gn_fail(
                err, GN_EINPUT,
                "field '%s': \"%.40s\" is not an RFC 3339 time like 2026-11-22T10:00:00Z", r->name,
                gn_json_string(v, NULL));
        return 0;
    }
    case K_PRICE:
        return check_number(r->name, v, 0, 0, 1e12, err);
    case K_COUNT:
        return check_number(r->name, v, 1, 0, 1e12, err);
    case K_RATING:
        return check_number(r->name, v, 1, 1, 5, err);
    case K_BOOL:
        return is_type(v, GN_JSON_TRUE) || is_type(v, GN_JSON_FALSE)
                   ? 0
                   : wrong(err, r->name, "true or false", v);
    case K_CURRENCY:
        return check_upper(r->name, v, 3, "a three-letter ISO 4217 code", err);
    case K_COUNTRY:
        return check_upper(r->name, v, 2, "a two-letter ISO 3166 country code", err);
    case K_SIGNALS: {
        if (!is_type(v, GN_JSON_OBJECT)) return wrong(err, r->name, "an object of name: number", v);
        char sub[128];
        for (size_t i = 0; i < gn_json_size(v); i++) {
            const gn_json *x = gn_json_value_at(v, i);
            if (is_type(x, GN_JSON_NUMBER) && isfinite(gn_json_number(x)) &&
                gn_json_number(x) >= -1e15 && gn_json_number(x) <= 1e15)
                continue; /* named only when at fault */
            snprintf(sub, sizeof sub, "%s.%.64s", r->name, gn_json_key_at(v, i));
            if (check_number(sub, x, 0, -1e15, 1e15, err)) return GN_EINPUT;
        }
        return 0;
    }
    case K_ORIGIN: {
        if (!is_type(v, GN_JSON_OBJECT))
            return wrong(err, r->name, "an object {country, city, facility}", v);
        const gn_json *c = gn_json_get(v, "country");
        if (!c) return gn_fail(err, GN_EINPUT, "field '%s.country': missing", r->name);
        if (check_upper("origin.country", c, 2, "a two-letter ISO 3166 country code", err))
            return GN_EINPUT;
        const char *keys[] = {"city", "facility"};
        for (int k = 0; k < 2; k++) {
            const gn_json *f = gn_json_get(v, keys[k]);
            if (f && check_member_string(r->name, keys[k], f, GN_TEXT_MAX, 0, err))
                return GN_EINPUT;
        }
        return 0;
    }
    default:
        return check_array(r, v, err);
    }
}

/* Verdict outcomes depend on what is judged. */
static int check_verdict(const gn_event *ev, gn_error *err)
{
    static const struct {
        const char *subject, *a, *b;
    } outcomes[] = {
        {"listing", "counterfeit", "genuine"}, {"seller", "banned", "cleared"},
        {"right", "verified", "rejected"},     {"complaint", "upheld", "rejected"},
        {"report", "upheld", "rejected"},      {"appeal", "upheld", "rejected"},
    };
    const char *subject = gn_event_str(ev, "subject"), *outcome = gn_event_str(ev, "outcome");
    for (size_t i = 0; i < sizeof outcomes / sizeof *outcomes; i++)
        if (strcmp(outcomes[i].subject, subject) == 0) {
            if (strcmp(outcome, outcomes[i].a) && strcmp(outcome, outcomes[i].b))
                return gn_fail(err, GN_EINPUT,
                               "field 'outcome': \"%.40s\" is not a %s outcome (%s or %s)", outcome,
                               subject, outcomes[i].a, outcomes[i].b);
            return 0;
        }
    return 0;
}

int gn_event_decode(gn_json_doc *doc, const char *json, size_t len, gn_event *ev, gn_error *err)
{
    memset(ev, 0, sizeof *ev);
    ev->from_platform = 1;
    const gn_json *root = gn_json_parse(doc, json, len, err);
    if (!root) return GN_EINPUT;
    if (!is_type(root, GN_JSON_OBJECT))
        return gn_fail(err, GN_EINPUT, "expected a JSON object, got %s", json_kind(root));
    const gn_json *type = gn_json_get(root, "type");
    if (!type) return gn_fail(err, GN_EINPUT, "field 'type': missing");
    if (!is_type(type, GN_JSON_STRING)) return wrong(err, "type", "a string", type);
    int t = gn_event_type_from_name(gn_json_string(type, NULL));
    if (t < 0)
        return gn_fail(err, GN_EINPUT, "field 'type': unknown event type \"%.40s\"",
                       gn_json_string(type, NULL));
    ev->root = root;
    ev->type = (gn_event_type)t;
    static const rule common[] = {REQ("id", K_ID), REQ("at", K_TIME), END};
    const rule *lists[] = {common, types[t].rules};
    size_t hint = 0; /* fields come mostly in the contract's order */
    for (int l = 0; l < 2; l++)
        for (const rule *r = lists[l]; r->name; r++) {
            const gn_json *v = gn_json_getn_hint(root, r->name, r->name_len, &hint);
            if (!v || is_type(v, GN_JSON_NULL)) {
                if (!r->required) continue;
                return gn_fail(err, GN_EINPUT, "field '%s': missing (required for a %s event)",
                               r->name, types[t].name);
            }
            int64_t ms;
            if (check_field(r, v, &ms, err)) return GN_EINPUT;
            if (r == &common[1]) ev->at = ms; /* "at", parsed once */
        }
    ev->id = gn_json_str(root, "id");
    ev->at_text = gn_json_str(root, "at");
    if (t == GN_EV_VERDICT && check_verdict(ev, err)) return GN_EINPUT;
    if (t == GN_EV_COMPLAINT && gn_json_size(gn_event_get(ev, "listings")) == 0)
        return gn_fail(err, GN_EINPUT, "field 'listings': a complaint names at least one listing");
    if (t == GN_EV_RATE && !(gn_event_num(ev, "usd", 0) > 0))
        return gn_fail(err, GN_EINPUT, "field 'usd': must be greater than 0");
    if (t == GN_EV_CODE_BATCH &&
        !(gn_event_num(ev, "count", 0) >= 1 && gn_event_num(ev, "count", 0) <= GN_BATCH_MAX))
        return gn_fail(err, GN_EINPUT, "field 'count': a batch has 1 to %d codes", GN_BATCH_MAX);
    return 0;
}

const gn_json *gn_event_get(const gn_event *ev, const char *field)
{
    const gn_json *v = gn_json_get(ev->root, field);
    return is_type(v, GN_JSON_NULL) ? NULL : v;
}

double gn_event_num(const gn_event *ev, const char *field, double missing)
{
    const gn_json *v = gn_json_get(ev->root, field);
    return is_type(v, GN_JSON_NUMBER) ? gn_json_number(v) : missing;
}

int gn_event_bool(const gn_event *ev, const char *field)
{
    return is_type(gn_json_get(ev->root, field), GN_JSON_TRUE);
}
