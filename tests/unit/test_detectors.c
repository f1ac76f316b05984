/* The detector registry (src/detect/registry.h): every code it lists has a
 * weight in config/genuine.conf and a row in docs/signals.md, every weight is
 * a listed code, and each detector is called directly the way YARA tests a
 * rule — one line: the detector, a listing, the codes it must raise (and no
 * other), each raised code one the detector says it may emit. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "detect/condition.h"
#include "detect/registry.h"

typedef struct world {
    gn_config cfg;
    gn_detect_params params;
    gn_state st;
    gn_lexicon *lexicon;
    gn_condition_words *conditions;
    gn_market_words words;
    gn_json_doc doc;
} world;

static world *W;

static void put(const char *json)
{
    gn_event ev;
    gn_error err;
    if (gn_event_decode(&W->doc, json, strlen(json), &ev, &err))
        fail_msg("%s: %s", json, err.message);
    if (ev.type == GN_EV_BRAND) {
        uint32_t b = gn_state_put_brand(&W->st, &ev);
        assert_int_equal(gn_lexicon_add_name(W->lexicon, b, gn_event_str(&ev, "name"), &err), 0);
    } else if (ev.type == GN_EV_SELLER) {
        gn_state_seller(&W->st, gn_event_str(&ev, "seller"), ev.at);
        gn_state_put_seller(&W->st, &ev);
    } else if (ev.type == GN_EV_SELLER_VERIFICATION) {
        gn_state_put_verification(&W->st, &ev);
    }
}

static int setup(void **state)
{
    W = calloc(1, sizeof *W);
    gn_error err;
    assert_int_equal(gn_config_load(&W->cfg, NULL, &err), 0);
    gn_detect_params_load(&W->params, &W->cfg);
    gn_state_init(&W->st);
    W->lexicon = gn_lexicon_new();
    assert_int_equal(gn_condition_words_default(&W->conditions, &err), 0);
    gn_market_words_init(&W->words);
    gn_json_doc_init(&W->doc);
    put("{\"type\":\"brand\",\"id\":\"e1\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"B1\","
        "\"name\":\"Solvane\",\"reference_prices\":[{\"category\":\"bags\",\"price\":1000,"
        "\"currency\":\"USD\"}],\"authorized_sellers\":[\"S-AUTH\"],\"authorized_only\":true}");
    put("{\"type\":\"brand\",\"id\":\"e2\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"B2\","
        "\"name\":\"Staupodum\",\"reference_prices\":[{\"category\":\"phones\",\"price\":400,"
        "\"currency\":\"USD\"}]}");
    const char *shops[] = {"S-OLD", "S-AUTH"};
    for (int i = 0; i < 2; i++) {
        char json[256];
        snprintf(json, sizeof json,
                 "{\"type\":\"seller\",\"id\":\"s%d\",\"at\":\"2024-01-01T00:00:00Z\",\"seller\":"
                 "\"%s\",\"name\":\"shop\",\"template\":\"custom\"}",
                 i, shops[i]);
        put(json);
        snprintf(json, sizeof json,
                 "{\"type\":\"seller_verification\",\"id\":\"v%d\",\"at\":\"2024-01-02T00:00:00Z\","
                 "\"seller\":\"%s\",\"status\":\"verified\"}",
                 i, shops[i]);
        put(json);
    }
    put("{\"type\":\"seller\",\"id\":\"s9\",\"at\":\"2026-03-01T00:00:00Z\",\"seller\":\"S-NEW\","
        "\"name\":\"new shop\",\"template\":\"basic\"}");
    *state = W;
    return 0;
}

static int teardown(void **state)
{
    gn_json_doc_free(&W->doc);
    gn_market_words_free(&W->words);
    gn_condition_words_free(W->conditions);
    gn_lexicon_free(W->lexicon);
    gn_state_free(&W->st);
    free(W);
    return 0;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Runs one detector, through the registry, on a listing event (the facts
 * built as decide.c builds them); returns its codes sorted, space-separated. */
static const char *run(const char *name, const char *json, char *out, size_t size)
{
    const gn_detector *d = gn_detector_find(name);
    if (!d) fail_msg("no detector '%s'", name);
    gn_event ev;
    gn_error err;
    if (gn_event_decode(&W->doc, json, strlen(json), &ev, &err))
        fail_msg("%s: %s", json, err.message);
    gn_listing_facts f = {0};
    size_t title_len = 0, desc_len = 0;
    f.listing = gn_event_str(&ev, "listing");
    f.seller_id = gn_event_str(&ev, "seller");
    f.title = gn_json_string(gn_event_get(&ev, "title"), &title_len);
    f.description = gn_json_string(gn_event_get(&ev, "description"), &desc_len);
    f.price = gn_event_num(&ev, "price", 0);
    f.currency = gn_event_str(&ev, "currency");
    f.claimed = gn_json_string(gn_event_get(&ev, "brand"), NULL);
    f.category = gn_json_string(gn_event_get(&ev, "category"), NULL);
    f.at = ev.at;
    uint32_t seller = gn_state_seller(&W->st, f.seller_id, ev.at);
    f.seller = &W->st.sellers[seller];
    gn_text_findings text;
    assert_int_equal(gn_lexicon_scan(W->lexicon, f.title, title_len,
                                     f.description ? f.description : "", desc_len, &text, &err),
                     0);
    f.text = &text;
    f.condition = gn_condition_read(W->conditions, f.title, title_len, f.description, desc_len);
    gn_facts_resolve_brands(&f, &W->st);
    gn_text_drop_unclaimed(&W->st, &W->words, &W->params, &f, &text);
    gn_detect_ctx ctx = {.state = &W->st, .params = &W->params, .seller = seller};
    gn_signals signals;
    signals.count = 0;
    d->run(&ctx, &f, &signals);
    const char *list[GN_MAX_SIGNALS];
    for (int i = 0; i < signals.count; i++) {
        list[i] = signals.items[i].code;
        if (gn_detector_of_code(list[i]) != d)
            fail_msg("%s raised %s, which the registry does not list as its own", name, list[i]);
    }
    qsort(list, (size_t)signals.count, sizeof *list, by_name);
    out[0] = 0;
    for (int i = 0; i < signals.count; i++)
        snprintf(out + strlen(out), size - strlen(out), "%s%s", i ? " " : "", list[i]);
    return out;
}

#define LISTING(seller, fields)                                                                    \
    "{\"type\":\"listing\",\"id\":\"x\",\"at\":\"2026-03-02T00:00:00Z\",\"listing\":\"L\","        \
    "\"seller\":\"" seller "\",\"currency\":\"USD\"," fields "}"

/* One line each: detector, listing, the codes it raises (sorted; "" none). */
static const struct {
    const char *detector, *listing, *codes;
} rules[] = {
    /* price: a tenth of the brand's reference price; at 90% nothing */
    {"price", LISTING("S-OLD", "\"title\":\"Solvane tote\",\"category\":\"bags\",\"price\":100"),
     "PRICE_FAR_BELOW_REFERENCE"},
    {"price", LISTING("S-OLD", "\"title\":\"Solvane tote\",\"category\":\"bags\",\"price\":900"),
     ""},
    /* ... and an unbranded listing has no reference to be below */
    {"price", LISTING("S-OLD", "\"title\":\"Leather tote\",\"category\":\"bags\",\"price\":5"), ""},
    /* text: lingo, a look-alike spelling, a misspelling, a claim the text contradicts */
    {"text", LISTING("S-OLD", "\"title\":\"Solvane tote 1:1 replica\",\"price\":900"),
     "COUNTERFEIT_LINGO"},
    {"text", LISTING("S-OLD", "\"title\":\"S-o-l-v-a-n-e tote\",\"price\":900"), "BRAND_LOOKALIKE"},
    {"text", LISTING("S-OLD", "\"title\":\"Solvanne tote\",\"price\":900"), "BRAND_MISSPELT"},
    {"text", LISTING("S-OLD", "\"title\":\"Solvane tote\",\"brand\":\"Staupodum\",\"price\":900"),
     "BRAND_MISMATCH"},
    {"text", LISTING("S-OLD", "\"title\":\"Solvane tote\",\"price\":900"), ""},
    {"text", LISTING("S-OLD", "\"title\":\"replica football shirt\",\"price\":40"), ""},
    /* seller: a new shop on the basic template, unverified, selling a brand
     * that sells only through its own sellers; the brand's own seller is none */
    {"seller", LISTING("S-NEW", "\"title\":\"Solvane tote\",\"category\":\"bags\",\"price\":900"),
     "SELLER_BASIC_TEMPLATE SELLER_NEW_ACCOUNT SELLER_UNVERIFIED UNAUTHORIZED_SELLER"},
    {"seller", LISTING("S-OLD", "\"title\":\"Solvane tote\",\"category\":\"bags\",\"price\":900"),
     "UNAUTHORIZED_SELLER"},
    {"seller", LISTING("S-AUTH", "\"title\":\"Solvane tote\",\"category\":\"bags\",\"price\":900"),
     ""},
};

static void rules_one_line_each(void **state)
{
    for (size_t i = 0; i < sizeof rules / sizeof *rules; i++) {
        char got[512];
        run(rules[i].detector, rules[i].listing, got, sizeof got);
        if (strcmp(got, rules[i].codes) != 0)
            fail_msg("rule %zu (%s): expected \"%s\", got \"%s\"\n  %s", i, rules[i].detector,
                     rules[i].codes, got, rules[i].listing);
    }
}

/* Every code the registry lists has a weight and a documented row; every
 * weight is a listed code; no code belongs to two detectors. */
static void registry_codes_weighed_and_documented(void **state)
{
    FILE *f = fopen("docs/signals.md", "r");
    assert_non_null(f);
    static char doc[1 << 20];
    size_t n = fread(doc, 1, sizeof doc - 1, f);
    fclose(f);
    doc[n] = 0;
    size_t count, codes = 0;
    const gn_detector *all = gn_detectors(&count);
    assert_true(count >= 6);
    for (size_t i = 0; i < count; i++) {
        assert_ptr_equal(gn_detector_find(all[i].name), &all[i]);
        for (const char *const *c = all[i].codes; *c; c++, codes++) {
            char key[96], row[96];
            snprintf(key, sizeof key, "weight.%s", *c);
            if (gn_config_find(&W->cfg, key, -1e300) == -1e300)
                fail_msg("%s (%s): no %s in config/genuine.conf", *c, all[i].name, key);
            snprintf(row, sizeof row, "\n| `%s` |", *c);
            if (!strstr(doc, row)) fail_msg("%s (%s): no row in docs/signals.md", *c, all[i].name);
            assert_ptr_equal(gn_detector_of_code(*c), &all[i]);
        }
    }
    size_t weights = 0;
    for (int i = 0; i < W->cfg.count; i++) {
        if (strncmp(W->cfg.entries[i].key, "weight.", 7) != 0) continue;
        weights++;
        if (!gn_detector_of_code(W->cfg.entries[i].key + 7))
            fail_msg("%s: a weight for a code no detector lists", W->cfg.entries[i].key);
    }
    assert_int_equal(weights, codes);
    assert_null(gn_detector_find("nothing"));
    assert_null(gn_detector_of_code("EVIDENCE_FLOOR")); /* the engine's, not a detector's */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rules_one_line_each),
        cmocka_unit_test(registry_codes_weighed_and_documented),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
