/* Event validation: short strings of input and the field the rejection must
 * name, one per rule of the contract. */
#include "testutil.h"

#include <string.h>

#include "core/event.h"

#define AT "\"id\":\"e1\",\"at\":\"2026-11-22T10:00:00Z\""

static gn_json_doc doc;

static void accepts(const char *json)
{
    gn_event ev;
    gn_error err = {0};
    int rc = gn_event_decode(&doc, json, strlen(json), &ev, &err);
    if (rc) fail_msg("rejected %s: %s", json, err.message);
}

static void rejects(const char *json, const char *expected)
{
    gn_event ev;
    gn_error err = {0};
    int rc = gn_event_decode(&doc, json, strlen(json), &ev, &err);
    if (rc == 0) fail_msg("accepted %s", json);
    assert_int_equal(rc, GN_EINPUT);
    if (!strstr(err.message, expected))
        fail_msg("for %s: message \"%s\" does not contain \"%s\"", json, err.message, expected);
}

static void test_every_type_accepted(void **state)
{
    accepts("{\"type\":\"brand\"," AT ",\"brand\":\"B1\",\"name\":\"Gucci\",\"aliases\":[\"古驰\"],"
            "\"reference_prices\":[{\"category\":\"bags\",\"price\":1150,\"currency\":\"USD\"}],"
            "\"official_images\":[{\"pdq\":"
            "\"d8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\","
            "\"role\":\"official\"}],\"authorized_sellers\":[\"S1\"],\"authorized_only\":true}");
    accepts("{\"type\":\"ip_right\"," AT
            ",\"right\":\"R1\",\"brand\":\"B1\",\"kind\":\"trademark\","
            "\"number\":\"EU-1\",\"holder\":\"H1\",\"valid_until\":\"2030-01-01T00:00:00Z\"}");
    accepts("{\"type\":\"seller\"," AT ",\"seller\":\"S1\",\"name\":\"Shop\",\"country\":\"CN\","
            "\"template\":\"basic\",\"signals\":{\"rating\":4.5}}");
    accepts("{\"type\":\"seller_verification\"," AT ",\"seller\":\"S1\",\"status\":\"verified\","
            "\"documents\":[{\"kind\":\"licence\",\"number\":\"1\",\"issuer\":\"SAMR\"}]}");
    accepts("{\"type\":\"session\"," AT ",\"account\":\"S1\",\"ip\":\"1.2.3.4\",\"device\":\"d\"}");
    accepts("{\"type\":\"seller_attribute\"," AT
            ",\"seller\":\"S1\",\"kind\":\"phone\",\"value\":\"+86 1\"}");
    accepts("{\"type\":\"listing\"," AT ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\","
            "\"price\":45,\"currency\":\"USD\",\"images\":[{\"url\":\"http://x/"
            "1.jpg\"}],\"quantity\":3}");
    accepts("{\"type\":\"order\"," AT
            ",\"order\":\"O1\",\"listing\":\"L1\",\"buyer\":\"U1\",\"price\":45}");
    accepts("{\"type\":\"review\"," AT
            ",\"review\":\"V1\",\"listing\":\"L1\",\"buyer\":\"U1\",\"rating\":5}");
    accepts("{\"type\":\"shipment\"," AT
            ",\"order\":\"O1\",\"origin\":{\"country\":\"CN\",\"city\":\"Putian\"}}");
    accepts("{\"type\":\"report\"," AT
            ",\"report\":\"P1\",\"listing\":\"L1\",\"reporter\":\"U1\",\"reason\":\"fake\"}");
    accepts("{\"type\":\"complaint\"," AT
            ",\"complaint\":\"C1\",\"rights_holder\":\"H1\",\"right\":\"R1\","
            "\"listings\":[\"L1\",\"L2\"]}");
    accepts("{\"type\":\"counter_notice\"," AT
            ",\"complaint\":\"C1\",\"listing\":\"L1\",\"seller\":\"S1\","
            "\"statement\":\"genuine\"}");
    accepts("{\"type\":\"verdict\"," AT
            ",\"subject\":\"listing\",\"target\":\"L1\",\"outcome\":\"counterfeit\","
            "\"reviewer\":\"R\"}");
    accepts("{\"type\":\"appeal\"," AT
            ",\"appeal\":\"A1\",\"seller\":\"S1\",\"target\":\"L1\",\"statement\":\"x\"}");
    accepts("{\"type\":\"rate\"," AT ",\"currency\":\"EUR\",\"usd\":1.08}");
}

static void test_unknown_fields_kept(void **state)
{
    const char *json =
        "{\"type\":\"rate\"," AT ",\"currency\":\"EUR\",\"usd\":1.08,\"source\":\"ECB\"}";
    gn_event ev;
    assert_int_equal(gn_event_decode(&doc, json, strlen(json), &ev, NULL), 0);
    assert_string_equal(gn_event_str(&ev, "source"), "ECB");
}

static void test_rejections_name_the_field(void **state)
{
    rejects("not json", "not valid JSON");
    rejects("[1,2]", "expected a JSON object, got an array");
    rejects("{\"id\":\"e1\",\"at\":\"2026-11-22T10:00:00Z\"}", "'type'");
    rejects("{\"type\":\"planet\"," AT "}", "unknown event type");
    rejects("{\"type\":\"rate\",\"at\":\"2026-11-22T10:00:00Z\",\"currency\":\"EUR\",\"usd\":1}",
            "'id'");
    rejects("{\"type\":\"rate\",\"id\":\"e1\",\"currency\":\"EUR\",\"usd\":1}", "'at'");
    rejects("{\"type\":\"rate\",\"id\":\"e1\",\"at\":\"yesterday\",\"currency\":\"EUR\",\"usd\":1}",
            "'at'");
    rejects("{\"type\":\"rate\",\"id\":\"\",\"at\":\"2026-11-22T10:00:00Z\",\"currency\":\"EUR\","
            "\"usd\":1}",
            "'id'");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"currency\":\"USD\"}",
            "'price'");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"price\":\"12\","
            "\"currency\":\"USD\"}",
            "field 'price': expected a number, got a string");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"price\":-1,"
            "\"currency\":\"USD\"}",
            "'price'");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"price\":1,"
            "\"currency\":\"usd\"}",
            "'currency'");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"price\":1,"
            "\"currency\":\"USD\",\"images\":[{\"role\":\"official\"}]}",
            "'images[0]'");
    rejects("{\"type\":\"listing\"," AT
            ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\",\"price\":1,"
            "\"currency\":\"USD\",\"images\":[{\"pdq\":\"abc\"}]}",
            "'images[0].pdq'");
    rejects("{\"type\":\"review\"," AT
            ",\"review\":\"V1\",\"listing\":\"L1\",\"buyer\":\"U1\",\"rating\":7}",
            "'rating'");
    rejects("{\"type\":\"review\"," AT
            ",\"review\":\"V1\",\"listing\":\"L1\",\"buyer\":\"U1\",\"rating\":4.5}",
            "'rating'");
    rejects("{\"type\":\"seller_attribute\"," AT
            ",\"seller\":\"S1\",\"kind\":\"nickname\",\"value\":\"x\"}",
            "'kind'");
    rejects("{\"type\":\"verdict\"," AT
            ",\"subject\":\"planet\",\"target\":\"L1\",\"outcome\":\"upheld\","
            "\"reviewer\":\"R\"}",
            "'subject'");
    rejects("{\"type\":\"verdict\"," AT
            ",\"subject\":\"listing\",\"target\":\"L1\",\"outcome\":\"banned\","
            "\"reviewer\":\"R\"}",
            "'outcome'");
    rejects("{\"type\":\"complaint\"," AT
            ",\"complaint\":\"C1\",\"rights_holder\":\"H\",\"right\":\"R\","
            "\"listings\":[]}",
            "'listings'");
    rejects("{\"type\":\"complaint\"," AT
            ",\"complaint\":\"C1\",\"rights_holder\":\"H\",\"right\":\"R\","
            "\"listings\":[\"L1\",7]}",
            "'listings[1]'");
    rejects("{\"type\":\"shipment\"," AT ",\"order\":\"O1\",\"origin\":{\"city\":\"Putian\"}}",
            "'origin.country'");
    rejects("{\"type\":\"brand\"," AT
            ",\"brand\":\"B\",\"name\":\"N\",\"reference_prices\":[{\"category\":\"bags\","
            "\"price\":10}]}",
            "'reference_prices[0].currency'");
    rejects("{\"type\":\"seller\"," AT
            ",\"seller\":\"S1\",\"name\":\"x\",\"signals\":{\"rating\":\"high\"}}",
            "'signals.rating'");
    /* Members of objects in arrays are named by their path. */
#define BRAND_PRICES(p)                                                                            \
    "{\"type\":\"brand\"," AT ",\"brand\":\"B\",\"name\":\"N\",\"reference_prices\":" p "}"
    rejects(BRAND_PRICES("[{\"category\":\"bags\",\"price\":10,\"currency\":\"USD\"},"
                         "{\"category\":\"belts\",\"price\":-1,\"currency\":\"USD\"}]"),
            "field 'reference_prices[1].price': -1 is out of range [0, 1e+12]");
    rejects(BRAND_PRICES("[{\"category\":\"bags\",\"price\":10,\"currency\":\"usd\"}]"),
            "field 'reference_prices[0].currency': expected a three-letter ISO 4217 code, got "
            "\"usd\"");
    rejects(BRAND_PRICES("[{\"category\":\"\",\"price\":10,\"currency\":\"USD\"}]"),
            "field 'reference_prices[0].category': must not be empty");
    rejects(BRAND_PRICES("[{\"price\":10,\"currency\":\"USD\"}]"),
            "field 'reference_prices[0].category': missing");
    rejects(BRAND_PRICES("[7]"),
            "field 'reference_prices[0]': expected an object {category, price, currency}, got a "
            "number");
#undef BRAND_PRICES
    rejects("{\"type\":\"seller_verification\"," AT
            ",\"seller\":\"S1\",\"status\":\"verified\",\"documents\":[{\"kind\":\"id\"},"
            "{\"kind\":\"licence\",\"number\":7}]}",
            "field 'documents[1].number': expected a string, got a number");
    rejects("{\"type\":\"shipment\"," AT
            ",\"order\":\"O1\",\"origin\":{\"country\":\"CN\",\"city\":\"Putian\","
            "\"facility\":false}}",
            "field 'origin.facility': expected a string, got a boolean");
    rejects("{\"type\":\"complaint\"," AT
            ",\"complaint\":\"C1\",\"rights_holder\":\"H\",\"right\":\"R\","
            "\"listings\":[\"L1\",\"\"]}",
            "field 'listings[1]': must not be empty");
    rejects("{\"type\":\"rate\"," AT ",\"currency\":\"EUR\",\"usd\":0}", "'usd'");
    rejects("{\"type\":\"rate\"," AT ",\"currency\":\"EUR\",\"usd\":1,\"usd\":2}", "duplicate");
}

/* A photo's hash: 64 hexadecimal digits (either case), found where its
 * listing puts it; fields in any order read the same. */
static void test_photo_hashes(void **state)
{
#define LISTING(images)                                                                            \
    "{\"type\":\"listing\"," AT ",\"listing\":\"L1\",\"seller\":\"S1\",\"title\":\"Bag\","         \
    "\"price\":1,\"currency\":\"USD\",\"images\":[" images "]}"
#define HEX64 "0123456789abcdefABCDEF0123456789abcdef0123456789ABCDEF0123456789"
    accepts(LISTING("{\"pdq\":\"" HEX64 "\"},{\"pdq\":\"" HEX64 "\",\"role\":\"official\"}"));
    /* strlen says 64: what follows a \u0000 was never part of the hash. */
    accepts(LISTING("{\"pdq\":\"" HEX64 "\\u0000zz\"}"));
    rejects(LISTING("{\"pdq\":\"" HEX64 "\"},{\"pdq\":\"" HEX64 "0\"}"),
            "field 'images[1].pdq': expected 64 hexadecimal characters, got 65 characters");
    rejects(LISTING("{\"pdq\":\"" HEX64 "\"},{\"pdq\":\"\"}"),
            "field 'images[1].pdq': expected 64 hexadecimal characters, got 0 characters");
    static const char bad[] = {'g', 'G', '/', ':', '@', '`', ' ', '-'};
    for (size_t i = 0; i < sizeof bad; i++)
        for (int at = 0; at < 64; at += 9) {
            char json[512], hash[65];
            memcpy(hash, HEX64, 65);
            hash[at] = bad[i];
            snprintf(json, sizeof json, LISTING("{\"pdq\":\"%s\"}"), hash);
            rejects(json, "field 'images[0].pdq': expected 64 hexadecimal characters, got 64");
        }
    rejects(LISTING("{\"pdq\":\"" HEX64 "\"},{\"pdq\":\"\\u00e9" HEX64 "\"}"), "'images[1].pdq'");
    rejects(LISTING("{\"pdq\":\"" HEX64 "\",\"path\":\"\"}"),
            "field 'images[0].path': must not be empty");
    rejects(LISTING("{\"pdq\":7}"), "field 'images[0].pdq': expected 64 hexadecimal characters");
    /* The contract's order or not, every field is found. */
    accepts("{\"currency\":\"USD\",\"price\":1,\"title\":\"Bag\",\"seller\":\"S1\","
            "\"listing\":\"L1\",\"at\":\"2026-11-22T10:00:00Z\",\"id\":\"e1\","
            "\"type\":\"listing\"}");
    rejects("{\"currency\":\"USD\",\"price\":1,\"seller\":\"S1\",\"listing\":\"L1\"," AT
            ",\"type\":\"listing\"}",
            "field 'title': missing");
#undef LISTING
#undef HEX64
}

static void test_oversized_id(void **state)
{
    char json[1024];
    char id[400];
    memset(id, 'x', sizeof id - 1);
    id[sizeof id - 1] = 0;
    snprintf(json, sizeof json,
             "{\"type\":\"rate\",\"id\":\"%s\",\"at\":\"2026-11-22T10:00:00Z\",\"currency\":"
             "\"EUR\",\"usd\":1}",
             id);
    rejects(json, "'id': 399 bytes, longer than the limit");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type_accepted),
        cmocka_unit_test(test_unknown_fields_kept),
        cmocka_unit_test(test_photo_hashes),
        cmocka_unit_test(test_rejections_name_the_field),
        cmocka_unit_test(test_oversized_id),
    };
    gn_json_doc_init(&doc);
    int failed = cmocka_run_group_tests_name("event", tests, NULL, NULL);
    gn_json_doc_free(&doc);
    return failed;
}
