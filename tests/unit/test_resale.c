/* Resale is not counterfeiting: one line of listing in, the codes the price,
 * text and seller detectors raise out — outlets, used and refurbished goods,
 * resellers, "compatible with" accessories, a marketplace's own words — and
 * the fakes that must still be caught. Also the condition read from words. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "decide/policy.h"
#include "detect/condition.h"
#include "detect/detect.h"
#include "listing_world.h"

/* What decide.c does with a listing, up to the detectors; the signals are
 * left in W->signals. */
static void examine(const char *json)
{
    gn_listing_facts f;
    gn_text_findings text;
    listing_facts(json, &f, &text);
    W->signals.count = 0;
    gn_detect_price(&W->st, &W->params, &f, &W->signals);
    gn_detect_text(&W->st, &f, &W->signals);
    gn_detect_seller(&W->st, &W->params, &f, &W->signals);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The codes a listing raises, sorted, space-separated ("" for none). */
static const char *codes(const char *json)
{
    examine(json);
    const char *list[GN_MAX_SIGNALS];
    for (int i = 0; i < W->signals.count; i++)
        list[i] = W->signals.items[i].code;
    qsort(list, (size_t)W->signals.count, sizeof *list, by_name);
    W->codes[0] = 0;
    for (int i = 0; i < W->signals.count; i++) {
        if (i) strcat(W->codes, " ");
        strcat(W->codes, list[i]);
    }
    return W->codes;
}

/* The sentence of one code on the listing last examined. */
static const char *detail(const char *code)
{
    for (int i = 0; i < W->signals.count; i++)
        if (strcmp(W->signals.items[i].code, code) == 0) return W->signals.items[i].detail;
    return "";
}

/* The action the shipped weights give the listing (no model, no rules). */
static const char *action(const char *json)
{
    examine(json);
    gn_decision d;
    gn_policy_decide(&W->policy, &W->signals, &d);
    return gn_action_name(d.action);
}

#define LISTING(seller, fields)                                                                    \
    "{\"type\":\"listing\",\"id\":\"x\",\"at\":\"2026-03-02T00:00:00Z\",\"listing\":\"L\","        \
    "\"seller\":\"" seller "\",\"currency\":\"USD\"," fields "}"

/* ---------------------------------------------------------------- honest cases */

static void test_outlet_at_half_price(void **state)
{
    const char *outlet = LISTING("S-AUTH", "\"title\":\"Solvane Tote Bag Black - Outlet\","
                                           "\"category\":\"bags\",\"price\":500");
    assert_string_equal(codes(outlet), "");
    /* An outlet the brand has not authorised: the brand's distribution
     * says so, and that alone holds nothing. */
    const char *unauthorised = LISTING("S-OLD", "\"title\":\"Solvane Tote Bag Black - Outlet\","
                                                "\"category\":\"bags\",\"price\":500");
    assert_string_equal(codes(unauthorised), "UNAUTHORIZED_SELLER");
    assert_string_equal(action(unauthorised), "allow");
}

static void test_used_at_40_percent_in_german(void **state)
{
    assert_string_equal(
        codes(LISTING("S-OLD", "\"title\":\"Solvane Tasche, gebraucht, guter Zustand\","
                               "\"category\":\"bags\",\"price\":400")),
        "");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Solvane Tote\",\"condition\":\"used\","
                                               "\"category\":\"bags\",\"price\":350")),
                        "");
    /* The same price for new goods from a stranger is a fake's. */
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Solvane Tote\",\"category\":\"bags\","
                                               "\"price\":300")),
                        "PRICE_FAR_BELOW_REFERENCE SELLER_BASIC_TEMPLATE SELLER_NEW_ACCOUNT "
                        "SELLER_UNVERIFIED UNAUTHORIZED_SELLER");
}

static void test_used_far_too_cheap_says_so(void **state)
{
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Pre-owned Solvane Tote\","
                                               "\"category\":\"bags\",\"price\":100")),
                        "PRICE_FAR_BELOW_REFERENCE");
    assert_string_equal(detail("PRICE_FAR_BELOW_REFERENCE"),
                        "price 100.00 USD is 10% of Solvane's reference price 1000.00 USD for new "
                        "bags; used goods sell from about 28%");
}

static void test_refurbished(void **state)
{
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Staupodum Phone 128GB (Renewed)\","
                                               "\"category\":\"phones\",\"price\":140")),
                        "");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Staupodum Phone 128GB\","
                                               "\"condition\":\"refurbished\","
                                               "\"category\":\"phones\",\"price\":140")),
                        "");
    /* New, at a third of the price: the reference speaks. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Staupodum Phone 128GB\","
                                               "\"category\":\"phones\",\"price\":100")),
                        "PRICE_FAR_BELOW_REFERENCE");
}

static void test_reseller_near_full_price(void **state)
{
    const char *reseller = LISTING("S-OLD", "\"title\":\"Solvane Tote Bag, new with tags\","
                                            "\"category\":\"bags\",\"price\":950");
    assert_string_equal(codes(reseller), "UNAUTHORIZED_SELLER");
    assert_string_equal(action(reseller), "allow");
    /* Reselling used goods is not bound by the brand's distribution. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Solvane Tote Bag, second-hand\","
                                               "\"category\":\"bags\",\"price\":600")),
                        "");
}

static void test_compatible_with(void **state)
{
    assert_string_equal(
        codes(LISTING("S-NEW", "\"title\":\"Charging Dock compatible with Staupodum "
                               "Phones\",\"brand\":\"Unbranded\","
                               "\"category\":\"accessories\",\"price\":12")),
        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Replacement cable for Staupodum, 1 m\","
                                               "\"category\":\"accessories\",\"price\":5")),
                        "");
    assert_string_equal(
        codes(LISTING("S-NEW", "\"title\":\"Slim case that fits Staupodum Phone 12\","
                               "\"price\":9")),
        "");
    /* In the brand's own category too, and in other languages. */
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Bag organizer insert compatível com "
                                               "Solvane Azul\",\"category\":\"bags\",\"price\":8")),
                        "");
    assert_string_equal(
        codes(LISTING("S-NEW", "\"title\":\"Replacement Laces 适用于Staupodum 黑色\","
                               "\"category\":\"phones\",\"price\":8")),
        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Garment bag para Solvane\","
                                               "\"category\":\"bags\",\"price\":15")),
                        "");
    /* A listing that says it has no brand claims none of the names in it
     * (a brand named by an ordinary word: "Harbor perfume, no brand"). */
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Solvane Classic Tote No Brand Beige\","
                                               "\"category\":\"bags\",\"price\":15")),
                        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Solvane Casual Tote\",\"brand\":"
                                               "\"Generic\",\"category\":\"bags\",\"price\":15")),
                        "");
    /* A `brand` field that names whose goods the accessory fits, when the
     * text names that brand only so ("Watch Strap for Lumen", brand Lumen):
     * not its goods, so not held to its prices. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Charger compatible with Staupodum\","
                                               "\"brand\":\"Staupodum\",\"category\":\"chargers\","
                                               "\"price\":2")),
                        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Garment Bag 适配 Solvane\","
                                               "\"brand\":\"B1\",\"category\":\"bags\","
                                               "\"price\":15")),
                        "");
    /* Japanese says it after the name. */
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Staupodum対応 充電器\","
                                               "\"brand\":\"Staupodum\",\"category\":\"chargers\","
                                               "\"price\":2")),
                        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Staupodum用 ケース\","
                                               "\"category\":\"chargers\",\"price\":2")),
                        "");
    /* ... and before it, as "対応機種: X", "対応 X", "用 X". */
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"充電器 対応機種: Staupodum\","
                                               "\"category\":\"chargers\",\"price\":2")),
                        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Replacement Cable 対応 Staupodum\","
                                               "\"brand\":\"Staupodum\",\"category\":\"chargers\","
                                               "\"price\":2")),
                        "");
    assert_string_equal(codes(LISTING("S-NEW", "\"title\":\"Hard Case 用 Staupodum\","
                                               "\"category\":\"chargers\",\"price\":2")),
                        "");
    /* Claiming the brand and naming it as the goods' own is claiming it. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Staupodum Charger\","
                                               "\"brand\":\"Staupodum\",\"category\":\"chargers\","
                                               "\"price\":2")),
                        "PRICE_FAR_BELOW_REFERENCE");
    /* Named outside a compatibility phrase too: a claim. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Staupodum charger, compatible with "
                                               "Staupodum phones\",\"category\":\"chargers\","
                                               "\"price\":2")),
                        "PRICE_FAR_BELOW_REFERENCE");
}

static void test_marketplace_word_is_not_a_misspelling(void **state)
{
    const char *scarf =
        LISTING("S-OLD", "\"title\":\"Tones wool scarf\",\"category\":\"scarves\",\"price\":20");
    assert_string_equal(codes(scarf), "BRAND_MISSPELT PRICE_FAR_BELOW_REFERENCE");
    /* One seller using it a hundred times is one seller. */
    uint32_t word = gn_market_word_key("Tones");
    for (int i = 0; i < 100; i++)
        gn_market_words_add(&W->words, word, 7);
    assert_int_equal(gn_market_words_sellers(&W->words, word), 1);
    assert_string_equal(codes(scarf), "BRAND_MISSPELT PRICE_FAR_BELOW_REFERENCE");
    for (uint32_t seller = 1; seller <= 10; seller++)
        gn_market_words_add(&W->words, gn_market_word_key("tones"), 100 + seller);
    assert_true(gn_market_words_sellers(&W->words, word) >= 10);
    assert_string_equal(codes(scarf), "");
    /* The brand itself, misspelt otherwise, is still a misspelling. */
    assert_string_equal(
        codes(LISTING("S-OLD", "\"title\":\"Rrones scarf\",\"category\":\"scarves\","
                               "\"price\":280")),
        "BRAND_MISSPELT");
}

static int64_t when(const char *text)
{
    int64_t ms = 0;
    assert_int_equal(gn_time_parse(text, &ms), 0);
    return ms;
}

/* A listing as decide.c notes it once allowed (its seller known since 2025
 * unless it is known already). */
static void noted_live(const char *seller, const char *json)
{
    gn_event ev;
    gn_error err;
    if (gn_event_decode(&W->doc, json, strlen(json), &ev, &err))
        fail_msg("%s: %s", json, err.message);
    gn_listing_facts f = {0};
    size_t title_len = 0;
    f.seller_id = seller;
    f.title = gn_json_string(gn_event_get(&ev, "title"), &title_len);
    f.category = gn_json_string(gn_event_get(&ev, "category"), NULL);
    f.claimed = gn_json_string(gn_event_get(&ev, "brand"), NULL);
    f.at = ev.at;
    uint32_t index = gn_state_seller(&W->st, seller, when("2025-01-01T00:00:00Z"));
    f.seller = &W->st.sellers[index];
    gn_text_findings text;
    assert_int_equal(gn_lexicon_scan(W->lexicon, f.title, title_len, "", 0, &text, &err), 0);
    f.text = &text;
    gn_facts_resolve_brands(&f, &W->st);
    gn_text_drop_unclaimed(&W->st, &W->words, &W->params, &f, &text);
    gn_text_note_brand_words(&W->st, &W->words, &W->params, &f, index);
}

static void test_brand_name_that_is_a_word(void **state)
{
    put("{\"type\":\"brand\",\"id\":\"e4\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"B4\","
        "\"name\":\"Harbor\",\"reference_prices\":[{\"category\":\"phones\",\"price\":900,"
        "\"currency\":\"USD\"}],\"authorized_sellers\":[\"S-AUTH\"]}");
    const char *phone = LISTING("S-OLD", "\"title\":\"Harbor Everyday Smartphone\","
                                         "\"category\":\"phones\",\"price\":40");
    assert_string_equal(codes(phone), "PRICE_FAR_BELOW_REFERENCE");
    /* New accounts' words count for nothing, nor one seller's many listings,
     * nor uses in the brand's own category. */
    const char *blanket = LISTING("S-X", "\"title\":\"Harbor Fleece Blanket\","
                                         "\"category\":\"blankets\",\"price\":20");
    const char *own = LISTING("S-X", "\"title\":\"Harbor Phone\",\"category\":\"phones\","
                                     "\"price\":20");
    char seller[16];
    for (int i = 0; i < 5; i++) {
        snprintf(seller, sizeof seller, "S-FRESH%d", i);
        gn_state_seller(&W->st, seller, when("2026-03-01T00:00:00Z"));
        noted_live(seller, blanket);
        noted_live("S-WORDY", blanket);
        snprintf(seller, sizeof seller, "S-OWN%d", i);
        noted_live(seller, own);
    }
    assert_string_equal(codes(phone), "PRICE_FAR_BELOW_REFERENCE");
    /* Five established sellers using the name on goods the brand does not
     * make (S-WORDY is the first). */
    for (int i = 0; i < 3; i++) {
        snprintf(seller, sizeof seller, "S-SHOP%d", i);
        noted_live(seller, blanket);
    }
    assert_false(gn_text_brand_is_word(&W->st, &W->words, &W->params, 3));
    noted_live("S-SHOP4", blanket);
    assert_true(gn_text_brand_is_word(&W->st, &W->words, &W->params, 3));
    assert_string_equal(codes(phone), "");
    /* A claim of the brand, or its authorised seller, still makes it the brand's. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Harbor Everyday Smartphone\","
                                               "\"brand\":\"Harbor\",\"category\":\"phones\","
                                               "\"price\":40")),
                        "PRICE_FAR_BELOW_REFERENCE");
    assert_string_equal(codes(LISTING("S-AUTH", "\"title\":\"Harbor Smartphone\","
                                                "\"category\":\"phones\",\"price\":40")),
                        "PRICE_FAR_BELOW_REFERENCE");
    /* Written in look-alike letters, it is the brand disguised. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"H-a-r-b-o-r Smartphone\","
                                               "\"category\":\"phones\",\"price\":40")),
                        "BRAND_LOOKALIKE PRICE_FAR_BELOW_REFERENCE");
}

/* ---------------------------------------------------------------- fakes */

static void test_fakes_still_caught(void **state)
{
    const char *cheap = LISTING("S-NEW", "\"title\":\"Solvane Tote Bag\",\"category\":\"bags\","
                                         "\"price\":100");
    assert_string_equal(codes(cheap), "PRICE_FAR_BELOW_REFERENCE SELLER_BASIC_TEMPLATE "
                                      "SELLER_NEW_ACCOUNT SELLER_UNVERIFIED UNAUTHORIZED_SELLER");
    assert_string_equal(action(cheap), "block");
    const char *lingo = LISTING("S-OLD", "\"title\":\"Solvane Tote replica 1:1 mirror quality\","
                                         "\"category\":\"bags\",\"price\":900");
    assert_string_equal(codes(lingo), "COUNTERFEIT_LINGO UNAUTHORIZED_SELLER");
    assert_string_equal(action(lingo), "block");
    /* Saying "used" does not make a copy genuine, nor a give-away price fair. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Used Solvane Tote AAA replica\","
                                               "\"category\":\"bags\",\"price\":900")),
                        "COUNTERFEIT_LINGO");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Used Solvane Tote\","
                                               "\"category\":\"bags\",\"price\":40")),
                        "PRICE_FAR_BELOW_REFERENCE");
    /* A name in look-alike letters stays, compatibility phrase or not. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Strap compatible with S-o-l-v-a-n-e\","
                                               "\"category\":\"accessories\",\"price\":9")),
                        "BRAND_LOOKALIKE UNAUTHORIZED_SELLER");
}

/* Short names the lexicon leaves alone: digits for letters, and a
 * misspelling of a brand the seller lists. */
static void test_short_names_disguised(void **state)
{
    put("{\"type\":\"brand\",\"id\":\"e5\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"B5\","
        "\"name\":\"Naos\",\"reference_prices\":[{\"category\":\"jackets\",\"price\":2000,"
        "\"currency\":\"USD\"}]}");
    uint32_t naos = gn_state_find_brand(&W->st, "B5");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Na0s Down Jacket Navy\","
                                               "\"category\":\"jackets\",\"price\":1900")),
                        "BRAND_LOOKALIKE");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Down Jacket\",\"brand\":\"N4os\","
                                               "\"category\":\"jackets\",\"price\":300")),
                        "BRAND_LOOKALIKE PRICE_FAR_BELOW_REFERENCE");
    /* Sizes and models mix digits too: "256GB", "N100", "A52s" are not names. */
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Jacket N40s 256GB X100 Na05\","
                                               "\"category\":\"jackets\",\"price\":300")),
                        "");
    /* "Nao" is one letter from Naos: nothing from a seller that never sold Naos... */
    const char *nao = LISTING("S-OLD", "\"title\":\"Nao Down Jacket Navy\","
                                       "\"category\":\"jackets\",\"price\":300");
    assert_string_equal(codes(nao), "");
    /* ...the brand misspelt from one that did, in a category the brand sells. */
    gn_seller_note_brand(&W->st.sellers[gn_state_seller(&W->st, "S-OLD", 0)], naos);
    assert_string_equal(codes(nao), "BRAND_MISSPELT PRICE_FAR_BELOW_REFERENCE");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Nao Smartphone\","
                                               "\"category\":\"phones\",\"price\":30")),
                        "");
    assert_string_equal(codes(LISTING("S-OLD", "\"title\":\"Down Jacket, Naos\","
                                               "\"category\":\"jackets\",\"price\":1900")),
                        "");
}

/* ---------------------------------------------------------------- condition */

static gn_condition said(const char *title)
{
    return gn_condition_read(W->conditions, title, strlen(title), NULL, 0);
}

static void test_condition_words(void **state)
{
    assert_int_equal(said("Used Solvane bag"), GN_CONDITION_USED);
    assert_int_equal(said("PRE-OWNED bag"), GN_CONDITION_USED);
    assert_int_equal(said("preowned"), GN_CONDITION_USED);
    assert_int_equal(said("Second hand, like new"), GN_CONDITION_USED);
    assert_int_equal(said("Sac d'occasion"), GN_CONDITION_USED);
    assert_int_equal(said("Borsa usata"), GN_CONDITION_USED);
    assert_int_equal(said("GEBRAUCHT"), GN_CONDITION_USED);
    assert_int_equal(said("Сумка Б/У"), GN_CONDITION_USED);
    assert_int_equal(said("二手LV包"), GN_CONDITION_USED);
    assert_int_equal(said("中古品 バッグ"), GN_CONDITION_USED);
    assert_int_equal(said("Used in good condition"), GN_CONDITION_USED);
    assert_int_equal(said("RECONDITIONNÉ"), GN_CONDITION_REFURBISHED);
    assert_int_equal(said("Generalüberholt"), GN_CONDITION_REFURBISHED);
    assert_int_equal(said("Renewed phone"), GN_CONDITION_REFURBISHED);
    assert_int_equal(said("Used phone, refurbished"), GN_CONDITION_REFURBISHED);
    assert_int_equal(said("Used, for parts or not working"), GN_CONDITION_FOR_PARTS);
    assert_int_equal(said("Handy defekt"), GN_CONDITION_FOR_PARTS);
    /* Words, not substrings; phrases that say no condition. */
    assert_int_equal(said("Unused, with tags"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Never used"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Can be used to carry a laptop"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Used to carry a laptop"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Perfect for any occasion"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("非二手 全新"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Refusedly misused abused"), GN_CONDITION_UNKNOWN);
    assert_int_equal(said("Brand new"), GN_CONDITION_UNKNOWN);
    /* The description counts too; a phrase does not run across the two. */
    const char *d = "Pre-owned in good condition, light signs of wear.";
    assert_int_equal(gn_condition_read(W->conditions, "Tote", 4, d, strlen(d)), GN_CONDITION_USED);
    assert_int_equal(gn_condition_read(W->conditions, "bag for", 7, "parts", 5),
                     GN_CONDITION_UNKNOWN);
    /* A long text: phrases across the reader's buffer of words are found. */
    char long_text[8000] = "";
    for (int i = 0; i < 300; i++)
        strcat(long_text, "word ");
    strcat(long_text, "spares or repair");
    assert_int_equal(said(long_text), GN_CONDITION_FOR_PARTS);
}

/* Plain ASCII takes a fast reader, other text the byte-by-byte one: the
 * same words must say the same in both (a trailing "é" sends a text to the
 * second without adding a phrase). Random texts of the list's own words,
 * in any case, with the usual glue, across 64-byte blocks. */
static void test_condition_readers_agree(void **state)
{
    static const char *const vocabulary[] = {"used",
                                             "Used",
                                             "USED",
                                             "to",
                                             "pre",
                                             "owned",
                                             "Pre-Owned",
                                             "second",
                                             "hand",
                                             "like",
                                             "new",
                                             "for",
                                             "parts",
                                             "not",
                                             "working",
                                             "never",
                                             "can",
                                             "be",
                                             "refurbished",
                                             "Refurbished",
                                             "any",
                                             "occasion",
                                             "in",
                                             "good",
                                             "condition",
                                             "unused",
                                             "bag",
                                             "Solvane",
                                             "1:1",
                                             "spares",
                                             "or",
                                             "repair",
                                             "reconditioned",
                                             "gently",
                                             "worn",
                                             "signs",
                                             "of",
                                             "wear",
                                             "renewed",
                                             "generalueberholt",
                                             "a",
                                             "x",
                                             "12345678",
                                             "abcdefghijklmnopq",
                                             "d'occasion",
                                             "defekt"};
    static const char *const glue[] = {" ", ", ", " - ", "  ", ". ", "/", "\n", "'"};
    srand(12);
    char text[2048], other[2100];
    int said_something = 0;
    for (int round = 0; round < 20000; round++) {
        size_t n = 0;
        int words = 1 + rand() % 60;
        for (int i = 0; i < words; i++) {
            const char *w = vocabulary[rand() % (sizeof vocabulary / sizeof *vocabulary)];
            const char *g = glue[rand() % (sizeof glue / sizeof *glue)];
            n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", w, i + 1 < words ? g : "");
        }
        snprintf(other, sizeof other, "%s \xc3\xa9", text);
        gn_condition a = gn_condition_read(W->conditions, text, n, NULL, 0);
        gn_condition b = gn_condition_read(W->conditions, other, strlen(other), NULL, 0);
        if (a != b) fail_msg("%d vs %d on \"%s\"", a, b, text);
        said_something += a != GN_CONDITION_UNKNOWN;
    }
    assert_true(said_something > 1000);
}

/* A phrase is read wherever it stands: after hundreds of words, after words
 * that begin other phrases and break off ("second", "like", "for"), at the
 * end of the text; and an ignored phrase around a condition word still says
 * nothing. The reader keeps only the words a phrase may use. */
static void test_condition_found_anywhere(void **state)
{
    static const struct {
        const char *phrase;
        gn_condition said;
    } cases[] = {{"used in very good condition", GN_CONDITION_USED},
                 {"tr\xc3\xa8s bon \xc3\xa9tat d'usage", GN_CONDITION_USED},
                 {"spares or repair", GN_CONDITION_FOR_PARTS},
                 {"Pre-Owned", GN_CONDITION_USED},
                 {"refurbished", GN_CONDITION_REFURBISHED},
                 {"can be used", GN_CONDITION_UNKNOWN}};
    static const char *const filler[] = {"bag", "second", "like", "for", "the", "leather", "to"};
    char text[8192];
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++)
        for (int before = 0; before < 400; before += 37)
            for (int after = 0; after < 3; after++) {
                size_t n = 0;
                for (int i = 0; i < before; i++)
                    n += (size_t)snprintf(text + n, sizeof text - n, "%s ",
                                          filler[(i * 5 + before) % 7]);
                n += (size_t)snprintf(text + n, sizeof text - n, "%s", cases[c].phrase);
                for (int i = 0; i < after; i++)
                    n += (size_t)snprintf(text + n, sizeof text - n, " %s", filler[i]);
                gn_condition got = gn_condition_read(W->conditions, text, n, NULL, 0);
                if (got != cases[c].said)
                    fail_msg("\"%s\" after %d words: %d, not %d", cases[c].phrase, before, got,
                             cases[c].said);
            }
}

static void test_condition_field(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_event ev;
    gn_error err;
    const char *bad = "{\"type\":\"listing\",\"id\":\"x\",\"at\":\"2026-03-02T00:00:00Z\","
                      "\"listing\":\"L\",\"seller\":\"S\",\"title\":\"t\",\"price\":1,"
                      "\"currency\":\"USD\",\"condition\":\"mint\"}";
    assert_int_equal(gn_event_decode(&doc, bad, strlen(bad), &ev, &err), GN_EINPUT);
    assert_string_equal(err.message, "field 'condition': \"mint\" is not one of new, used, "
                                     "refurbished, for_parts");
    assert_int_equal(gn_condition_from_name("for_parts"), GN_CONDITION_FOR_PARTS);
    assert_int_equal(gn_condition_from_name("mint"), GN_CONDITION_UNKNOWN);
    gn_json_doc_free(&doc);
}

static void test_condition_word_list_errors(void **state)
{
    gn_condition_words *w;
    gn_error err;
    assert_int_equal(gn_condition_words_new(&w, "used: worn\nmint: new\n", "t.txt", &err),
                     GN_ECONFIG);
    assert_non_null(strstr(err.message, "t.txt:2:"));
    assert_int_equal(gn_condition_words_new(&w, "used: worn\nfor_parts: worn\n", "t.txt", &err),
                     GN_ECONFIG);
    assert_non_null(strstr(err.message, "t.txt:2: \"worn\" is listed under two conditions"));
    assert_int_equal(gn_condition_words_new(&w, "used: ,\n", "t.txt", &err), GN_ECONFIG);
    assert_int_equal(gn_condition_words_new(&w, "# nothing\nused: worn # out\n", "t.txt", &err), 0);
    assert_int_equal(gn_condition_read(w, "Worn", 4, NULL, 0), GN_CONDITION_USED);
    assert_int_equal(gn_condition_read(w, "out", 3, NULL, 0), GN_CONDITION_UNKNOWN);
    gn_condition_words_free(w);
}

/* A list of Chinese and Japanese phrases only has no word phrases: a long
 * text of words still reads within the reader's buffer (it read one word
 * past it: fuzz_condition, UBSan). */
static void test_condition_cjk_only_list(void **state)
{
    gn_condition_words *w;
    gn_error err;
    assert_int_equal(gn_condition_words_new(&w, "used: 二手\n", "t.txt", &err), 0);
    char text[4000];
    size_t n = 0;
    for (int i = 0; i < 600; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "w%d ", i % 10);
    assert_int_equal(gn_condition_read(w, text, n, NULL, 0), GN_CONDITION_UNKNOWN);
    assert_int_equal(gn_condition_read(w, "二手 bag", strlen("二手 bag"), NULL, 0),
                     GN_CONDITION_USED);
    gn_condition_words_free(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_outlet_at_half_price),
        cmocka_unit_test(test_used_at_40_percent_in_german),
        cmocka_unit_test(test_used_far_too_cheap_says_so),
        cmocka_unit_test(test_refurbished),
        cmocka_unit_test(test_reseller_near_full_price),
        cmocka_unit_test(test_compatible_with),
        cmocka_unit_test(test_marketplace_word_is_not_a_misspelling),
        cmocka_unit_test(test_brand_name_that_is_a_word),
        cmocka_unit_test(test_fakes_still_caught),
        cmocka_unit_test(test_short_names_disguised),
        cmocka_unit_test(test_condition_words),
        cmocka_unit_test(test_condition_readers_agree),
        cmocka_unit_test(test_condition_found_anywhere),
        cmocka_unit_test(test_condition_field),
        cmocka_unit_test(test_condition_word_list_errors),
        cmocka_unit_test(test_condition_cjk_only_list),
    };
    return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
