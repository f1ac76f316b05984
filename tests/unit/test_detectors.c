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
#include "listing_world.h"

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
    gn_listing_facts f;
    gn_text_findings text;
    uint32_t seller = listing_facts(json, &f, &text);
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
    /* where a listing names its brand, a name too short for the lexicon's
     * misspellings: the title's first word (two edits from six letters),
     * a `brand` field that is no known brand; only in a category the brand
     * sells, and never a brand's own name the listing fits */
    {"text",
     LISTING("S-OLD", "\"title\":\"Rronees silk scarf\",\"category\":\"scarves\",\"price\":90"),
     "BRAND_MISSPELT"},
    {"text",
     LISTING("S-OLD", "\"title\":\"oRnes silk scarf\",\"category\":\"scarves\",\"price\":90"),
     "BRAND_MISSPELT"},
    {"text", LISTING("S-OLD", "\"title\":\"iPad sleeve\",\"category\":\"bags\",\"price\":90"), ""},
    {"text", LISTING("S-OLD", "\"title\":\"Rronees silk bag\",\"category\":\"bags\",\"price\":90"),
     ""},
    {"text",
     LISTING("S-OLD", "\"title\":\"Silk scarf Rronees\",\"category\":\"scarves\",\"price\":90"),
     ""},
    {"text",
     LISTING("S-OLD",
             "\"title\":\"Silk scarf\",\"brand\":\"Rnoe\",\"category\":\"scarves\",\"price\":90"),
     "BRAND_MISSPELT"},
    {"text",
     LISTING("S-OLD",
             "\"title\":\"Silk scarf\",\"brand\":\"Rnoe\",\"category\":\"phones\",\"price\":90"),
     ""},
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
    return cmocka_run_group_tests(tests, world_setup, world_teardown);
}
