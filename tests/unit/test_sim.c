/* The marketplace simulator: the same seed gives the same bytes; every line is
 * a valid contract event, in time order, with a unique id; the truth matches
 * the requested rates; rings share identities; comebacks and orders are sane. */
#include "testutil.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/event.h"
#include "core/json.h"
#include "sim/corpus.h"
#include "sim/demo.h"
#include "sim/marketplace.h"

typedef struct run {
    char *events, *truth, *sellers;
    size_t events_len, truth_len, sellers_len;
} run;

static void simulate(run *out, uint64_t seed, uint64_t listings)
{
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.seed = seed;
    o.listings = listings;
    gn_sim *s;
    gn_error err;
    assert_int_equal(gn_sim_new(&s, &o, &err), 0);
    FILE *ev = open_memstream(&out->events, &out->events_len);
    FILE *tr = open_memstream(&out->truth, &out->truth_len);
    FILE *se = open_memstream(&out->sellers, &out->sellers_len);
    assert_int_equal(gn_sim_write_events(s, ev, &err), 0);
    assert_int_equal(gn_sim_write_truth(s, tr, se, &err), 0);
    char *summary = gn_sim_summary_json(s);
    json_t *j = json_loads(summary, 0, NULL);
    assert_non_null(j); /* the summary is JSON too */
    json_decref(j);
    free(summary);
    assert_int_equal(gn_sim_listing_is_counterfeit(s, "L0"), -1);
    assert_int_equal(gn_sim_listing_is_counterfeit(s, "nope"), -1);
    assert_true(gn_sim_listing_is_counterfeit(s, "L1") >= 0);
    gn_sim_free(s);
    fclose(ev);
    fclose(tr);
    fclose(se);
}

static void run_free(run *r)
{
    free(r->events);
    free(r->truth);
    free(r->sellers);
}

/* Splits a CSV (no quoting: the simulator writes none) into rows of fields,
 * in place; returns the row count, header included. */
typedef struct csv {
    char **cells;
    int cols;
    size_t rows;
} csv;

static int col(const csv *c, const char *name)
{
    for (int i = 0; i < c->cols; i++)
        if (strcmp(c->cells[i], name) == 0) return i;
    fail_msg("no column %s", name);
    return -1;
}
#define CELL(c, row, i) ((c)->cells[(size_t)(row) * (size_t)(c)->cols + (size_t)(i)])

static void csv_parse(char *text, csv *c)
{
    size_t cap = 1024, n = 0;
    c->cells = malloc(cap * sizeof *c->cells);
    c->cols = 0;
    c->rows = 0;
    char *line = text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl) *nl = 0;
        int fields = 0;
        for (char *f = line;; fields++) {
            char *comma = strchr(f, ',');
            if (n == cap) c->cells = realloc(c->cells, (cap *= 2) * sizeof *c->cells);
            c->cells[n++] = f;
            if (!comma) break;
            *comma = 0;
            f = comma + 1;
        }
        if (!c->cols) c->cols = fields + 1;
        assert_int_equal(fields + 1, c->cols);
        c->rows++;
        line = nl ? nl + 1 : NULL;
    }
}

static void test_deterministic(void **state)
{
    (void)state;
    run a = {0}, b = {0}, c = {0};
    simulate(&a, 7, 2000);
    simulate(&b, 7, 2000);
    simulate(&c, 8, 2000);
    assert_int_equal(a.events_len, b.events_len);
    assert_memory_equal(a.events, b.events, a.events_len);
    assert_int_equal(a.truth_len, b.truth_len);
    assert_memory_equal(a.truth, b.truth, a.truth_len);
    assert_true(a.events_len != c.events_len || memcmp(a.events, c.events, a.events_len) != 0);
    run_free(&a);
    run_free(&b);
    run_free(&c);
}

/* The contract's required fields per type (shared/design/CONTRACT.md), and
 * the shapes the simulator relies on: s string, n number >= 0, i whole
 * number, a non-empty array, o object. */
static const struct {
    const char *type, *fields;
} required[] = {
    {"rate", "currency:s usd:n"},
    {"brand", "brand:s name:s"},
    {"ip_right", "right:s brand:s kind:s number:s holder:s"},
    {"seller", "seller:s name:s"},
    {"seller_verification", "seller:s status:s"},
    {"session", "account:s"},
    {"seller_attribute", "seller:s kind:s value:s"},
    {"listing", "listing:s seller:s title:s price:n currency:s"},
    {"order", "order:s listing:s buyer:s price:n"},
    {"review", "review:s listing:s buyer:s rating:i"},
    {"shipment", "order:s origin:o"},
    {"report", "report:s listing:s reporter:s reason:s"},
    {"complaint", "complaint:s rights_holder:s right:s listings:a"},
    {"verdict", "subject:s target:s outcome:s reviewer:s"},
};

static int is_pdq(const char *h)
{
    if (!h || strlen(h) != 64) return 0;
    for (int i = 0; i < 64; i++)
        if (!strchr("0123456789abcdef", h[i])) return 0;
    return 1;
}

static const char *contract_violation(json_t *e, const char *type)
{
    static char why[128];
    const char *at = json_string_value(json_object_get(e, "at"));
    if (!at || strlen(at) != 20 || at[10] != 'T' || at[19] != 'Z')
        return "'at' is not an RFC 3339 UTC time";
    size_t t = 0;
    while (t < sizeof required / sizeof *required && strcmp(required[t].type, type) != 0)
        t++;
    if (t == sizeof required / sizeof *required) return "unexpected type";
    char spec[128];
    snprintf(spec, sizeof spec, "%s", required[t].fields);
    for (char *f = strtok(spec, " "); f; f = strtok(NULL, " ")) {
        char *colon = strchr(f, ':');
        *colon = 0;
        json_t *v = json_object_get(e, f);
        int ok = colon[1] == 's'   ? json_is_string(v) && json_string_length(v) > 0
                 : colon[1] == 'n' ? json_is_number(v) && json_number_value(v) >= 0
                 : colon[1] == 'i' ? json_is_integer(v)
                 : colon[1] == 'a' ? json_is_array(v) && json_array_size(v) > 0
                                   : json_is_object(v);
        if (!ok) {
            snprintf(why, sizeof why, "field '%s' missing or of the wrong type", f);
            return why;
        }
    }
    if (strcmp(type, "review") == 0) {
        json_int_t r = json_integer_value(json_object_get(e, "rating"));
        if (r < 1 || r > 5) return "rating out of 1-5";
    }
    if (strcmp(type, "shipment") == 0 &&
        !json_is_string(json_object_get(json_object_get(e, "origin"), "country")))
        return "origin without a country";
    const char *images = strcmp(type, "listing") == 0 ? "images"
                         : strcmp(type, "brand") == 0 ? "official_images"
                                                      : NULL;
    if (images) {
        size_t i;
        json_t *img;
        json_array_foreach(json_object_get(e, images), i, img) if (
            !is_pdq(json_string_value(
                json_object_get(img, "pdq")))) return "an image without a 64-hex pdq";
    }
    const char *cur = json_string_value(json_object_get(e, "currency"));
    if (cur && (strlen(cur) != 3 || cur[0] < 'A' || cur[0] > 'Z'))
        return "currency is not ISO 4217";
    return NULL;
}

/* Every line: JSON with type, id and at and the contract's required fields
 * for its type (tests/cli/check_events.py checks the 1M default run); time never goes back; ids
 * unique; no verdicts but rights verified; orders and reviews name listings already seen, and come
 * after them. */
static void test_events_valid_ordered(void **state)
{
    (void)state;
    run r = {0};
    simulate(&r, 3, 2000);
    json_t *ids = json_object(), *listing_at = json_object(), *orders = json_object();
    char prev_at[64] = "";
    size_t lines = 0, types_seen = 0;
    json_t *types = json_object();
    for (char *line = r.events; line < r.events + r.events_len;) {
        char *nl = memchr(line, '\n', (size_t)(r.events + r.events_len - line));
        assert_non_null(nl);
        size_t len = (size_t)(nl - line);
        json_error_t jerr;
        json_t *e = json_loadb(line, len, 0, &jerr);
        if (!e) fail_msg("line %zu is not JSON: %s", lines + 1, jerr.text);
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *id = json_string_value(json_object_get(e, "id"));
        const char *at = json_string_value(json_object_get(e, "at"));
        assert_non_null(type);
        assert_non_null(id);
        assert_non_null(at);
        const char *why = contract_violation(e, type);
        if (why) fail_msg("line %zu: %s: %.*s", lines + 1, why, (int)(len > 300 ? 300 : len), line);
        assert_true(strcmp(prev_at, at) <=
                    0); /* same format throughout: text order is time order */
        snprintf(prev_at, sizeof prev_at, "%s", at);
        assert_null(json_object_get(ids, id));
        json_object_set_new(ids, id, json_true());
        if (strcmp(type, "verdict") == 0) /* the platform verifies rights; nothing else */
            assert_string_equal(json_string_value(json_object_get(e, "subject")), "right");
        if (!json_object_get(types, type)) types_seen++;
        json_object_set_new(types, type, json_true());
        if (strcmp(type, "listing") == 0) {
            const char *l = json_string_value(json_object_get(e, "listing"));
            if (!json_object_get(listing_at, l))
                json_object_set_new(listing_at, l, json_string(at));
        } else if (strcmp(type, "order") == 0 || strcmp(type, "review") == 0 ||
                   strcmp(type, "report") == 0) {
            const char *l = json_string_value(json_object_get(e, "listing"));
            json_t *first = json_object_get(listing_at, l);
            if (!first)
                fail_msg("line %zu: %s names listing %s before it exists", lines + 1, type, l);
            assert_true(strcmp(json_string_value(first), at) <= 0);
            if (strcmp(type, "order") == 0)
                json_object_set_new(orders, json_string_value(json_object_get(e, "order")),
                                    json_true());
        } else if (strcmp(type, "shipment") == 0) {
            assert_non_null(
                json_object_get(orders, json_string_value(json_object_get(e, "order"))));
        } else if (strcmp(type, "complaint") == 0) {
            size_t i;
            json_t *l;
            json_array_foreach(json_object_get(e, "listings"), i, l)
                assert_non_null(json_object_get(listing_at, json_string_value(l)));
        }
        json_decref(e);
        lines++;
        line = nl + 1;
    }
    assert_true(lines > 5000);
    /* every kind the marketplace produces (verdicts other than the platform's
     * on rights, appeals, counter-notices are the evaluation's to play) */
    static const char *const expected[] = {"rate",
                                           "brand",
                                           "ip_right",
                                           "seller",
                                           "seller_verification",
                                           "session",
                                           "seller_attribute",
                                           "listing",
                                           "order",
                                           "review",
                                           "shipment",
                                           "report",
                                           "complaint",
                                           "verdict"};
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        if (!json_object_get(types, expected[i])) fail_msg("no %s event", expected[i]);
    assert_int_equal(types_seen, sizeof expected / sizeof *expected);
    assert_int_equal(json_object_size(listing_at), 2000);
    json_decref(ids);
    json_decref(listing_at);
    json_decref(orders);
    json_decref(types);
    run_free(&r);
}

static int has_tactic(const char *tactics, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = tactics; (p = strstr(p, name)); p += n)
        if ((p == tactics || p[-1] == '+') && (p[n] == 0 || p[n] == '+')) return 1;
    return 0;
}

/* The counterfeit share and every tactic at about the documented rate. */
static void test_rates(void **state)
{
    (void)state;
    run r = {0};
    simulate(&r, 11, 20000);
    csv c;
    csv_parse(r.truth, &c);
    assert_int_equal(c.rows, 20001);
    int cf = col(&c, "counterfeit"), ct = col(&c, "tactics"), cr = col(&c, "ring");
    static const struct {
        const char *name;
        double rate, tolerance; /* share of fakes */
    } rates[] = {
        {"steep_discount", 0.55, 0.06},  {"moderate_discount", 0.35, 0.06},
        {"full_price_fake", 0.10, 0.04}, {"brand_named", 0.45, 0.06},
        {"misspelt", 0.15, 0.04},        {"lookalike", 0.15, 0.04},
        {"unnamed", 0.20, 0.05},         {"bait_switch", 0.05, 0.03},
        {"official_photo", 0.20, 0.05},  {"official_photo_near", 0.20, 0.05},
        {"lingo", 0.24, 0.05},           {"fake_reviews", 0.30, 0.10},
    };
    size_t fakes = 0, in_ring = 0, count[sizeof rates / sizeof *rates] = {0}, ring_or_own = 0;
    for (size_t i = 1; i < c.rows; i++) {
        if (strcmp(CELL(&c, i, cf), "1") != 0) continue;
        fakes++;
        in_ring += CELL(&c, i, cr)[0] != 0;
        const char *t = CELL(&c, i, ct);
        for (size_t k = 0; k < sizeof rates / sizeof *rates; k++)
            count[k] += (size_t)has_tactic(t, rates[k].name);
        ring_or_own += has_tactic(t, "ring_photo") || has_tactic(t, "own_photo");
    }
    assert_int_equal(fakes, 1000); /* 5% of 20,000, exactly */
    assert_true(in_ring > 700 && in_ring < 950);
    for (size_t k = 0; k < sizeof rates / sizeof *rates; k++) {
        double share = (double)count[k] / (double)fakes;
        if (share < rates[k].rate - rates[k].tolerance ||
            share > rates[k].rate + rates[k].tolerance)
            fail_msg("%s: %.3f of fakes, expected %.2f", rates[k].name, share, rates[k].rate);
    }
    assert_true(ring_or_own > 500 && ring_or_own < 700);
    /* genuine kinds exist, including the hard ones */
    static const char *const kinds[] = {"retail",
                                        "authorized",
                                        "outlet",
                                        "secondhand",
                                        "generic",
                                        "compatible",
                                        "official_photo_unauthorized",
                                        "honest_typo",
                                        "negated_lingo",
                                        "grey_market",
                                        "supplier_photo"};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        size_t n = 0;
        for (size_t i = 1; i < c.rows; i++)
            n += strcmp(CELL(&c, i, cf), "0") == 0 && has_tactic(CELL(&c, i, ct), kinds[k]);
        if (n < 20) fail_msg("only %zu genuine listings of kind %s", n, kinds[k]);
    }
    free(c.cells);
    run_free(&r);
}

/* Rings share devices, routers, phones, payment accounts; comeback accounts
 * replace accounts of the same ring and mostly reuse something of theirs. */
static void test_rings_and_comebacks(void **state)
{
    (void)state;
    run r = {0};
    simulate(&r, 5, 20000);
    csv sc;
    csv_parse(r.sellers, &sc);
    int s_id = col(&sc, "seller"), s_ring = col(&sc, "ring"),
        s_back = col(&sc, "banned_comeback_of"), s_fake = col(&sc, "counterfeit"),
        s_created = col(&sc, "created_at"), s_until = col(&sc, "active_until");
    json_t *ring_of = json_object(), *row_of = json_object();
    for (size_t i = 1; i < sc.rows; i++) {
        json_object_set_new(ring_of, CELL(&sc, i, s_id), json_string(CELL(&sc, i, s_ring)));
        json_object_set_new(row_of, CELL(&sc, i, s_id), json_integer((json_int_t)i));
    }
    /* values (device, network, phone, payment, bank) -> sellers using them */
    json_t *users = json_object(), *values_of = json_object();
    for (char *line = r.events; line < r.events + r.events_len;) {
        char *nl = strchr(line, '\n');
        json_t *e = json_loadb(line, (size_t)(nl - line), 0, NULL);
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *who = NULL, *keys[3] = {0};
        char val[3][300];
        int nkeys = 0;
        if (strcmp(type, "session") == 0) {
            who = json_string_value(json_object_get(e, "account"));
            if (who[0] == 'S') {
                const char *dev = json_string_value(json_object_get(e, "device"));
                const char *net = json_string_value(json_object_get(e, "network"));
                if (dev) keys[nkeys++] = dev;
                if (net) keys[nkeys++] = net;
            }
        } else if (strcmp(type, "seller_attribute") == 0) {
            const char *kind = json_string_value(json_object_get(e, "kind"));
            if (strcmp(kind, "email") != 0 && strcmp(kind, "address") != 0) {
                who = json_string_value(json_object_get(e, "seller"));
                keys[nkeys++] = json_string_value(json_object_get(e, "value"));
            }
        }
        for (int k = 0; k < nkeys && who && who[0] == 'S'; k++) {
            snprintf(val[k], sizeof val[k], "%s", keys[k]);
            json_t *set = json_object_get(users, val[k]);
            if (!set) json_object_set_new(users, val[k], set = json_object());
            json_object_set_new(set, who, json_true());
            json_t *mine = json_object_get(values_of, who);
            if (!mine) json_object_set_new(values_of, who, mine = json_object());
            json_object_set_new(mine, val[k], json_true());
        }
        json_decref(e);
        line = nl + 1;
    }
    /* ring accounts: most share a value with another account of their ring */
    size_t ring_accounts = 0, ring_linked = 0, genuine = 0, genuine_linked = 0;
    for (size_t i = 1; i < sc.rows; i++) {
        const char *id = CELL(&sc, i, s_id), *ring = CELL(&sc, i, s_ring);
        json_t *mine = json_object_get(values_of, id);
        int linked = 0;
        const char *v;
        json_t *unused;
        json_object_foreach(mine, v, unused)
        {
            const char *other;
            json_t *u2;
            json_object_foreach(json_object_get(users, v), other,
                                u2) if (strcmp(other, id) != 0 && ring[0] &&
                                        strcmp(json_string_value(json_object_get(ring_of, other)),
                                               ring) == 0) linked = 1;
        }
        if (ring[0]) {
            ring_accounts++;
            ring_linked += (size_t)linked;
        } else if (strcmp(CELL(&sc, i, s_fake), "0") == 0) {
            genuine++;
            size_t shared = 0;
            json_object_foreach(mine, v, unused) shared +=
                json_object_size(json_object_get(users, v)) > 1;
            genuine_linked += shared > 0;
        }
    }
    assert_true(ring_accounts > 50);
    if ((double)ring_linked < 0.8 * (double)ring_accounts)
        fail_msg("only %zu of %zu ring accounts share a value with their ring", ring_linked,
                 ring_accounts);
    /* honest shops mostly share nothing (a few sibling shops do) */
    assert_true(genuine > 300);
    if ((double)genuine_linked > 0.1 * (double)genuine)
        fail_msg("%zu of %zu genuine sellers share a device, router or account", genuine_linked,
                 genuine);

    /* comebacks: same ring, signed up after the old account stopped, and
     * mostly reusing one of its values */
    size_t comebacks = 0, reuse = 0;
    for (size_t i = 1; i < sc.rows; i++) {
        const char *old = CELL(&sc, i, s_back);
        if (!old[0]) continue;
        comebacks++;
        json_t *row = json_object_get(row_of, old);
        assert_non_null(row);
        size_t o = (size_t)json_integer_value(row);
        assert_string_equal(CELL(&sc, o, s_ring), CELL(&sc, i, s_ring));
        assert_true(strcmp(CELL(&sc, o, s_until), CELL(&sc, i, s_created)) <= 0);
        json_t *mine = json_object_get(values_of, CELL(&sc, i, s_id)),
               *theirs = json_object_get(values_of, old);
        const char *v;
        json_t *unused;
        int shared = 0;
        json_object_foreach(mine, v, unused) shared |= json_object_get(theirs, v) != NULL;
        reuse += (size_t)shared;
    }
    assert_true(comebacks > 20);
    if ((double)reuse < 0.6 * (double)comebacks)
        fail_msg("only %zu of %zu comebacks reuse a value of the account they replace", reuse,
                 comebacks);
    json_decref(ring_of);
    json_decref(row_of);
    json_decref(users);
    json_decref(values_of);
    free(sc.cells);
    run_free(&r);
}

/* Truth: first sale after the listing, listing ids in the stream, the seller
 * file consistent with the listing file. */
static void test_truth_consistent(void **state)
{
    (void)state;
    run r = {0};
    simulate(&r, 9, 2000);
    csv c;
    csv_parse(r.truth, &c);
    int at = col(&c, "created_at"), first = col(&c, "first_sale_at"),
        any = col(&c, "first_order_at"), orders = col(&c, "orders");
    size_t sold = 0;
    for (size_t i = 1; i < c.rows; i++) {
        const char *f = CELL(&c, i, first), *a = CELL(&c, i, any);
        if (f[0]) {
            sold++;
            assert_true(strcmp(CELL(&c, i, at), f) <= 0);
            assert_true(a[0] && strcmp(a, f) <= 0);
            assert_true(atoi(CELL(&c, i, orders)) >= 1);
        }
    }
    assert_true(sold > 200 && sold < 1900);
    free(c.cells);
    run_free(&r);
}

static void test_bad_options(void **state)
{
    (void)state;
    gn_sim_options o;
    gn_sim *s;
    gn_error err;
    gn_sim_options_init(&o);
    o.listings = 0;
    assert_int_equal(gn_sim_new(&s, &o, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "listings"));
    gn_sim_options_init(&o);
    o.counterfeit_share = 1.5;
    assert_int_equal(gn_sim_new(&s, &o, &err), GN_EINPUT);
    gn_sim_options_init(&o);
    o.days = 0;
    assert_int_equal(gn_sim_new(&s, &o, &err), GN_EINPUT);
    /* tiny and odd worlds still work: one day, no fakes, one listing */
    gn_sim_options_init(&o);
    o.listings = 1;
    o.days = 1;
    o.counterfeit_share = 0;
    assert_int_equal(gn_sim_new(&s, &o, &err), 0);
    const char *line;
    size_t len;
    int64_t t, prev = INT64_MIN;
    int listings = 0;
    while (gn_sim_next(s, &line, &len, &t)) {
        assert_true(t >= prev);
        prev = t;
        listings += strstr(line, "\"type\":\"listing\"") != NULL;
    }
    assert_int_equal(listings, 1);
    gn_sim_free(s);
    gn_sim_options_init(&o);
    o.listings = 300;
    o.days = 1;
    o.counterfeit_share = 0.5;
    assert_int_equal(gn_sim_new(&s, &o, &err), 0);
    listings = 0;
    while (gn_sim_next(s, &line, &len, &t))
        listings += strstr(line, "\"type\":\"listing\"") != NULL;
    assert_true(listings >= 300);
    gn_sim_free(s);
}

/* ---- the bench profile (tools/sim/corpus.c) ---- */

static char *corpus(const gn_corpus_options *o, size_t *len)
{
    char *text = NULL;
    FILE *f = open_memstream(&text, len);
    assert_non_null(f);
    gn_error err;
    assert_int_equal(gn_corpus_write(o, f, &err), 0);
    assert_int_equal(fclose(f), 0);
    return text;
}

/* The same options, the same bytes; --mixed N is exactly N events, each a
 * valid contract event with its own id; --listings N is N listing events. */
static void test_corpus(void **state)
{
    (void)state;
    gn_corpus_options o;
    gn_corpus_options_init(&o);
    o.mixed = 3000;
    size_t len, again_len;
    char *text = corpus(&o, &len), *again = corpus(&o, &again_len);
    assert_int_equal(len, again_len);
    assert_memory_equal(text, again, len);
    free(again);
    json_t *ids = json_object(), *types = json_object();
    size_t lines = 0;
    for (char *line = text; line < text + len; lines++) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        assert_non_null(nl);
        json_error_t jerr;
        json_t *e = json_loadb(line, (size_t)(nl - line), 0, &jerr);
        if (!e) fail_msg("line %zu is not JSON: %s", lines + 1, jerr.text);
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *id = json_string_value(json_object_get(e, "id"));
        assert_non_null(type);
        assert_non_null(id);
        const char *why = contract_violation(e, type);
        if (why) fail_msg("line %zu: %s", lines + 1, why);
        assert_null(json_object_get(ids, id));
        json_object_set_new(ids, id, json_true());
        json_object_set_new(types, type, json_true());
        json_decref(e);
        line = nl + 1;
    }
    assert_int_equal(lines, 3000);
    /* every kind of event, as bench/run_ingest.sh wants */
    const char *kinds[] = {"rate", "brand", "ip_right", "seller", "listing", "order", "review"};
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!json_object_get(types, kinds[i])) fail_msg("no %s event in --mixed 3000", kinds[i]);
    json_decref(ids);
    json_decref(types);
    free(text);

    gn_corpus_options_init(&o);
    o.listings = 500;
    text = corpus(&o, &len);
    size_t listings = 0;
    for (char *p = text; (p = strstr(p, "{\"type\":\"listing\"")); p++)
        listings++;
    assert_int_equal(listings, 500);
    free(text);
}

static void test_corpus_bad_options(void **state)
{
    (void)state;
    gn_corpus_options o;
    gn_corpus_options_init(&o);
    o.listings = 10;
    o.mixed = 10;
    gn_error err;
    FILE *f = tmpfile();
    assert_non_null(f);
    assert_int_equal(gn_corpus_write(&o, f, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "--mixed"));
    gn_corpus_options_init(&o);
    o.brands = 2000000;
    assert_int_equal(gn_corpus_write(&o, f, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "--brands"));
    fclose(f);
    /* a full disk is an error, not a short corpus */
    f = fopen("/dev/full", "w");
    if (f) {
        gn_corpus_options_init(&o);
        o.listings = 2000;
        assert_int_equal(gn_corpus_write(&o, f, &err), GN_EINPUT);
        assert_non_null(strstr(err.message, "writing"));
        fclose(f);
    }
}

/* ---- the demo profile (tools/sim/demo.c) ---- */

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot read %s", path);
    char *text = NULL;
    FILE *m = open_memstream(&text, len);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, n, m);
    fclose(f);
    fclose(m);
    return text;
}

/* The demo profile writes the committed demo marketplace and its answer key
 * byte for byte, each time. */
static void test_demo(void **state)
{
    (void)state;
    for (int round = 0; round < 2; round++) {
        char *events = NULL, *truth = NULL;
        size_t events_len, truth_len, want_len, want_truth_len;
        FILE *e = open_memstream(&events, &events_len), *t = open_memstream(&truth, &truth_len);
        gn_error err;
        assert_int_equal(gn_demo_write(e, t, &err), 0);
        fclose(e);
        fclose(t);
        char *want = slurp("examples/marketplace.jsonl", &want_len);
        char *want_truth = slurp("examples/truth.csv", &want_truth_len);
        assert_int_equal(events_len, want_len);
        assert_memory_equal(events, want, want_len);
        assert_int_equal(truth_len, want_truth_len);
        assert_memory_equal(truth, want_truth, want_truth_len);
        free(events);
        free(truth);
        free(want);
        free(want_truth);
    }
    /* a full disk is an error */
    FILE *full = fopen("/dev/full", "w");
    if (full) {
        gn_error err;
        assert_int_equal(gn_demo_write(full, NULL, &err), GN_EINPUT);
        fclose(full);
    }
}

/* ---- worlds (--world N): each draws its own parameters ---- */

static void simulate_world(run *out, uint64_t world, uint64_t seed, uint64_t listings)
{
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.world = world;
    o.seed = seed;
    o.listings = listings;
    o.days = 20;
    gn_sim *s;
    gn_error err;
    assert_int_equal(gn_sim_new(&s, &o, &err), 0);
    FILE *ev = open_memstream(&out->events, &out->events_len);
    FILE *tr = open_memstream(&out->truth, &out->truth_len);
    FILE *se = open_memstream(&out->sellers, &out->sellers_len);
    assert_int_equal(gn_sim_write_events(s, ev, &err), 0);
    assert_int_equal(gn_sim_write_truth(s, tr, se, &err), 0);
    double audit = gn_sim_audit_rate(s);
    assert_true(audit >= 0.01 && audit <= 0.05);
    assert_int_equal(gn_sim_listing_is_counterfeit(s, "L0"), -1);
    assert_true(gn_sim_listing_is_counterfeit(s, "L1") >= 0);
    gn_sim_free(s);
    fclose(ev);
    fclose(tr);
    fclose(se);
}

static char *world_summary(uint64_t world)
{
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.world = world;
    o.listings = 500;
    o.days = 10;
    gn_sim *s;
    gn_error err;
    assert_int_equal(gn_sim_new(&s, &o, &err), 0);
    char *summary = gn_sim_summary_json(s);
    gn_sim_free(s);
    return summary;
}

/* The same world and seed: the same bytes; another seed or another world:
 * another marketplace; and each world's parameters differ. */
static void test_worlds_deterministic_and_different(void **state)
{
    (void)state;
    run a = {0}, b = {0}, c = {0}, d = {0};
    simulate_world(&a, 3, 1, 1500);
    simulate_world(&b, 3, 1, 1500);
    simulate_world(&c, 3, 2, 1500);
    simulate_world(&d, 4, 1, 1500);
    assert_int_equal(a.events_len, b.events_len);
    assert_memory_equal(a.events, b.events, a.events_len);
    assert_int_equal(a.truth_len, b.truth_len);
    assert_memory_equal(a.truth, b.truth, a.truth_len);
    assert_true(a.events_len != c.events_len || memcmp(a.events, c.events, a.events_len));
    assert_true(a.events_len != d.events_len || memcmp(a.events, d.events, a.events_len));
    run_free(&a), run_free(&b), run_free(&c), run_free(&d);
    /* parameters: five worlds, five different shapes */
    double seen[5];
    for (int w = 1; w <= 5; w++) {
        char *summary = world_summary((uint64_t)w);
        json_t *j = json_loads(summary, 0, NULL);
        assert_non_null(j);
        json_t *p = json_object_get(j, "parameters");
        double share = json_real_value(json_object_get(p, "counterfeit_share"));
        assert_true(share >= 0.03 && share <= 0.12);
        json_t *used = json_object_get(p, "used_price");
        assert_true(json_real_value(json_array_get(used, 0)) >= 0.25);
        assert_true(json_real_value(json_array_get(used, 1)) <= 0.80);
        seen[w - 1] = share;
        for (int k = 0; k < w - 1; k++)
            assert_true(seen[k] != share);
        json_decref(j);
        free(summary);
    }
}

/* Every line decodes as genuine decodes events, in time order with unique
 * ids; what a line names exists before it; the truth has a row per listing,
 * the honest classes and the counterfeit tactics of the brief; the condition
 * is given in the field for some resale and only in the text for others. */
static void test_worlds_events_valid(void **state)
{
    (void)state;
    run r = {0};
    simulate_world(&r, 2, 1, 4000);
    json_t *ids = json_object(), *listings = json_object(), *orders = json_object();
    int64_t prev = INT64_MIN;
    size_t lines = 0, conditions = 0, by_platform_kyc = 0;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    json_t *phones = json_object(); /* ring accounts' phones, as written */
    for (char *line = r.events; line < r.events + r.events_len;) {
        char *nl = memchr(line, '\n', (size_t)(r.events + r.events_len - line));
        assert_non_null(nl);
        size_t len = (size_t)(nl - line);
        gn_event ev;
        gn_error err;
        if (gn_event_decode(&doc, line, len, &ev, &err))
            fail_msg("line %zu: %s: %.*s", lines + 1, err.message, (int)(len > 300 ? 300 : len),
                     line);
        json_t *e = json_loadb(line, len, 0, NULL);
        assert_non_null(e);
        const char *type = json_string_value(json_object_get(e, "type"));
        const char *id = json_string_value(json_object_get(e, "id"));
        assert_true(ev.at >= prev);
        prev = ev.at;
        assert_null(json_object_get(ids, id));
        json_object_set_new(ids, id, json_true());
        if (strcmp(type, "listing") == 0) {
            json_object_set_new(listings, json_string_value(json_object_get(e, "listing")),
                                json_true());
            conditions += json_object_get(e, "condition") != NULL;
        } else if (strcmp(type, "order") == 0 || strcmp(type, "review") == 0 ||
                   strcmp(type, "report") == 0) {
            const char *l = json_string_value(json_object_get(e, "listing"));
            if (!json_object_get(listings, l))
                fail_msg("line %zu: %s names listing %s before it exists", lines + 1, type, l);
            if (strcmp(type, "order") == 0)
                json_object_set_new(orders, json_string_value(json_object_get(e, "order")),
                                    json_true());
        } else if (strcmp(type, "shipment") == 0) {
            assert_non_null(
                json_object_get(orders, json_string_value(json_object_get(e, "order"))));
        } else if (strcmp(type, "seller_verification") == 0) {
            by_platform_kyc +=
                strcmp(json_string_value(json_object_get(e, "status")), "verified") == 0;
        } else if (strcmp(type, "seller_attribute") == 0 &&
                   strcmp(json_string_value(json_object_get(e, "kind")), "phone") == 0) {
            json_object_set(phones, json_string_value(json_object_get(e, "value")), json_true());
        }
        json_decref(e);
        lines++;
        line = nl + 1;
    }
    gn_json_doc_free(&doc);
    assert_true(lines > 10000);
    assert_int_equal(json_object_size(listings), 4000);
    assert_true(conditions > 100);
    assert_true(by_platform_kyc > 50);
    /* the same number written two ways: with and without the '+' and spaces */
    size_t plus = 0, bare = 0;
    const char *key;
    json_t *value;
    json_object_foreach(phones, key, value)
    {
        plus += key[0] == '+';
        bare += key[0] >= '1' && key[0] <= '9';
    }
    assert_true(plus > 10 && bare > 10);
    /* the truth */
    csv c;
    csv_parse(r.truth, &c);
    assert_int_equal(c.rows, 4001);
    int col_class = -1, col_tactics = -1, col_fake = -1;
    for (int i = 0; i < c.cols; i++) {
        if (strcmp(c.cells[i], "class") == 0) col_class = i;
        if (strcmp(c.cells[i], "tactics") == 0) col_tactics = i;
        if (strcmp(c.cells[i], "counterfeit") == 0) col_fake = i;
    }
    assert_true(col_class >= 0 && col_tactics >= 0 && col_fake >= 0);
    static const char *const classes[] = {"brand_own", "retailer",  "outlet",   "used",
                                          "reseller",  "accessory", "unbranded"};
    static const char *const tactics[] = {
        "deep_discount",   "misspelt",        "lookalike",     "lingo",
        "stolen_photo",    "relisted_photo",  "ring",          "photo_only",
        "plausible_price", "condition_field", "condition_text"};
    for (size_t k = 0; k < sizeof classes / sizeof *classes; k++) {
        size_t n = 0;
        for (size_t row = 1; row < c.rows; row++)
            n += strcmp(c.cells[row * (size_t)c.cols + (size_t)col_class], classes[k]) == 0;
        if (!n) fail_msg("no listing of class %s", classes[k]);
    }
    for (size_t k = 0; k < sizeof tactics / sizeof *tactics; k++) {
        size_t n = 0;
        for (size_t row = 1; row < c.rows; row++)
            n += has_tactic(c.cells[row * (size_t)c.cols + (size_t)col_tactics], tactics[k]);
        if (!n) fail_msg("no listing with %s", tactics[k]);
    }
    free(c.cells);
    json_decref(ids);
    json_decref(listings);
    json_decref(orders);
    json_decref(phones);
    run_free(&r);
}

static void test_worlds_bad_options(void **state)
{
    (void)state;
    gn_sim_options o;
    gn_sim_options_init(&o);
    o.world = 1;
    o.listings = 10; /* too few for a world */
    gn_sim *s;
    gn_error err;
    assert_int_equal(gn_sim_new(&s, &o, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "listings"));
    o.listings = 1000;
    o.days = 1;
    assert_int_equal(gn_sim_new(&s, &o, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "days"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_events_valid_ordered),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_rings_and_comebacks),
        cmocka_unit_test(test_truth_consistent),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_corpus),
        cmocka_unit_test(test_corpus_bad_options),
        cmocka_unit_test(test_demo),
        cmocka_unit_test(test_worlds_deterministic_and_different),
        cmocka_unit_test(test_worlds_events_valid),
        cmocka_unit_test(test_worlds_bad_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
