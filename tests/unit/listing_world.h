/* A small marketplace for the detector tests (test_resale, test_detectors):
 * three brands with reference prices (Solvane sells only through S-AUTH), an
 * established verified shop S-OLD, the brand's own S-AUTH and a new shop
 * S-NEW on the basic template; and a listing event turned into the facts
 * the detectors read, as decide.c builds them. Included once per test. */
#ifndef GN_TESTS_LISTING_WORLD_H
#define GN_TESTS_LISTING_WORLD_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "decide/policy.h"
#include "detect/condition.h"
#include "detect/detect.h"

typedef struct world {
    gn_config cfg;
    gn_detect_params params;
    gn_policy policy;
    gn_state st;
    gn_lexicon *lexicon;
    gn_condition_words *conditions;
    gn_market_words words;
    gn_json_doc doc;
    gn_signals signals;
    char codes[512];
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

/* The facts of a listing event, up to the detectors (text findings in *text). */
static uint32_t listing_facts(const char *json, gn_listing_facts *out, gn_text_findings *text)
{
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
    assert_int_equal(gn_lexicon_scan(W->lexicon, f.title, title_len,
                                     f.description ? f.description : "", desc_len, text, &err),
                     0);
    f.text = text;
    const gn_json *condition = gn_event_get(&ev, "condition");
    f.condition =
        condition ? gn_condition_from_name(gn_json_string(condition, NULL))
                  : gn_condition_read(W->conditions, f.title, title_len, f.description, desc_len);
    gn_facts_resolve_brands(&f, &W->st);
    gn_text_drop_unclaimed(&W->st, &W->words, &W->params, &f, text);
    gn_text_near_seller_brands(&W->st, NULL, seller, &f, text);
    gn_text_near_category_brands(&W->st, W->lexicon, &W->words, &W->params, &f, text);
    *out = f;
    return seller;
}

static int world_setup(void **state)
{
    W = calloc(1, sizeof *W);
    gn_error err;
    assert_int_equal(gn_config_load(&W->cfg, NULL, &err), 0);
    gn_detect_params_load(&W->params, &W->cfg);
    gn_policy_load(&W->policy, &W->cfg);
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
        "\"currency\":\"USD\"},{\"category\":\"chargers\",\"price\":30,\"currency\":\"USD\"}]}");
    put("{\"type\":\"brand\",\"id\":\"e3\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"B3\","
        "\"name\":\"Rones\",\"reference_prices\":[{\"category\":\"scarves\",\"price\":300,"
        "\"currency\":\"USD\"}]}");
    /* An established shop (old, verified, its own template) and a new one. */
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

static int world_teardown(void **state)
{
    gn_json_doc_free(&W->doc);
    gn_market_words_free(&W->words);
    gn_condition_words_free(W->conditions);
    gn_lexicon_free(W->lexicon);
    gn_state_free(&W->st);
    free(W);
    return 0;
}

#endif
