/* Buyer remediation and case files on a small marketplace: two sellers linked
 * by a shared device, a third on its own; a listing found counterfeit by a
 * reviewer. The remediation lists exactly the orders on it, in the currency
 * of the listing when ordered, quoted per RFC 4180 in CSV; the case file
 * holds the cluster and nothing else, never the shared values, with hashes
 * that match the events' text; the HTML report escapes what sellers wrote. */
#include "testutil.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/inspect.h"
#include "genuine.h"

static gn_engine *engine;
static char db_path[96];

static void feed(const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(engine, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (res.outcome != GN_ACCEPTED)
        fail_msg("not accepted: %s: %s", json, res.error ? res.error : "duplicate");
}

static void audit(const char *record, const char *record_id, const char *change, const char *detail)
{
    gn_audit_record a = {.at = "2026-03-05T00:00:00Z",
                         .actor = "brand-owner",
                         .record = record,
                         .record_id = record_id,
                         .change = change,
                         .detail = detail,
                         .event = "c9"};
    gn_error err;
    if (gn_engine_store(engine)->ops->append_audit(gn_engine_store(engine), &a, &err))
        fail_msg("audit: %s", err.message);
}

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-cases-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/g.db", dir);
    gn_engine_options o = {.db_path = db_path};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) fail_msg("open: %s", err.message);
    static const char *const events[] = {
        "{\"type\":\"rate\",\"id\":\"r1\",\"at\":\"2026-01-01T00:00:00Z\",\"currency\":\"EUR\","
        "\"usd\":1.1}",
        "{\"type\":\"seller\",\"id\":\"s1\",\"at\":\"2026-01-01T00:00:00Z\",\"seller\":\"S-A\","
        "\"name\":\"A\"}",
        "{\"type\":\"seller\",\"id\":\"s2\",\"at\":\"2026-02-01T00:00:00Z\",\"seller\":\"S-B\","
        "\"name\":\"B\"}",
        "{\"type\":\"seller\",\"id\":\"s3\",\"at\":\"2026-02-01T00:00:00Z\",\"seller\":\"S-C\","
        "\"name\":\"C\"}",
        "{\"type\":\"session\",\"id\":\"x1\",\"at\":\"2026-02-01T00:00:00Z\",\"account\":\"S-A\","
        "\"device\":\"laptop-secret-77\"}",
        "{\"type\":\"session\",\"id\":\"x2\",\"at\":\"2026-02-02T00:00:00Z\",\"account\":\"S-B\","
        "\"device\":\"laptop-secret-77\"}",
        "{\"type\":\"listing\",\"id\":\"l1\",\"at\":\"2026-03-01T00:00:00Z\",\"listing\":\"L1\","
        "\"seller\":\"S-A\",\"title\":\"Bag <script>alert(1)</script> & co\",\"price\":50,"
        "\"currency\":\"EUR\",\"images\":[{\"pdq\":"
        "\"f8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22\"}]}",
        "{\"type\":\"listing\",\"id\":\"l2\",\"at\":\"2026-03-01T00:00:00Z\",\"listing\":\"L2\","
        "\"seller\":\"S-B\",\"title\":\"Belt\",\"price\":20.5,\"currency\":\"USD\"}",
        "{\"type\":\"listing\",\"id\":\"l3\",\"at\":\"2026-03-01T00:00:00Z\",\"listing\":\"L3\","
        "\"seller\":\"S-C\",\"title\":\"Scarf\",\"price\":30,\"currency\":\"USD\"}",
        "{\"type\":\"order\",\"id\":\"o1\",\"at\":\"2026-03-02T00:00:00Z\",\"order\":\"O1\","
        "\"listing\":\"L1\",\"buyer\":\"Smith, \\\"Bob\\\"\",\"price\":100.00,\"quantity\":2,"
        "\"ship_to\":\"FR\"}",
        /* the same order sent again under another event id: refunded once */
        "{\"type\":\"order\",\"id\":\"o1-again\",\"at\":\"2026-03-02T00:00:01Z\","
        "\"order\":\"O1\",\"listing\":\"L1\",\"buyer\":\"Smith, \\\"Bob\\\"\","
        "\"price\":100.00,\"quantity\":2,\"ship_to\":\"FR\"}",
        "{\"type\":\"order\",\"id\":\"o2\",\"at\":\"2026-03-02T00:00:00Z\",\"order\":\"O2\","
        "\"listing\":\"L2\",\"buyer\":\"U2\",\"price\":20.5}",
        "{\"type\":\"order\",\"id\":\"o4\",\"at\":\"2026-03-02T00:00:00Z\",\"order\":\"O4\","
        "\"listing\":\"L3\",\"buyer\":\"U4\",\"price\":30}",
        /* a new version of L1 in another currency: later orders are in it */
        "{\"type\":\"listing\",\"id\":\"l1b\",\"at\":\"2026-03-02T12:00:00Z\",\"listing\":\"L1\","
        "\"seller\":\"S-A\",\"title\":\"Bag <script>alert(1)</script> & co\",\"price\":60,"
        "\"currency\":\"USD\"}",
        "{\"type\":\"order\",\"id\":\"o3\",\"at\":\"2026-03-03T00:00:00Z\",\"order\":\"O3\","
        "\"listing\":\"L1\",\"buyer\":\"U3\",\"price\":60}",
        "{\"type\":\"shipment\",\"id\":\"sh1\",\"at\":\"2026-03-03T00:00:00Z\",\"order\":\"O1\","
        "\"origin\":{\"country\":\"CN\",\"city\":\"Guangzhou\",\"facility\":\"WH-9\"}}",
        "{\"type\":\"shipment\",\"id\":\"sh3\",\"at\":\"2026-03-03T00:00:00Z\",\"order\":\"O3\","
        "\"origin\":{\"country\":\"CN\",\"city\":\"Guangzhou\",\"facility\":\"WH-9\"}}",
        "{\"type\":\"shipment\",\"id\":\"sh2\",\"at\":\"2026-03-03T00:00:00Z\",\"order\":\"O2\","
        "\"origin\":{\"country\":\"TR\",\"city\":\"Istanbul\"}}",
        "{\"type\":\"verdict\",\"id\":\"v1\",\"at\":\"2026-03-04T00:00:00Z\",\"subject\":"
        "\"listing\",\"target\":\"L1\",\"outcome\":\"counterfeit\",\"reviewer\":\"rev-1\"}",
    };
    for (size_t i = 0; i < sizeof events / sizeof *events; i++)
        feed(events[i]);
    if (gn_commit(engine, &err)) fail_msg("commit: %s", err.message);
    /* What the workflows write (src/workflow): a complaint naming L1, its
     * notice, one on a listing outside the cluster, a strike on S-B. */
    assert_int_equal(gn_engine_store(engine)->ops->begin(gn_engine_store(engine), &err), 0);
    audit("complaint", "C-9", "filed", "complaint C-9 names 1 listing");
    audit("notice", "C-9/L1", "opened", "notice on L1 opened");
    audit("notice", "C-7/L3", "opened", "not this cluster");
    audit("complaint", "C-7", "filed", "not this cluster either");
    audit("seller", "S-B", "strike", "first strike");
    assert_int_equal(gn_engine_store(engine)->ops->commit(gn_engine_store(engine), &err), 0);
    return 0;
}

static int teardown(void **state)
{
    gn_engine_close(engine);
    return 0;
}

static char *remediation(gn_engine *e, int csv)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    gn_error err;
    if (gn_remediation_write(e, out, csv, &err)) fail_msg("remediation: %s", err.message);
    fclose(out);
    return text;
}

static void test_remediation_lists_orders_on_removed_listings(void **state)
{
    /* read-only, as `genuine remediation` opens it */
    gn_engine *ro;
    gn_engine_options o = {.db_path = db_path, .read_only = 1};
    gn_error err;
    if (gn_engine_open(&ro, &o, &err)) fail_msg("open read-only: %s", err.message);
    char *text = remediation(ro, 0);
    gn_engine_close(ro);
    const char *want[] = {
        "{\"listing\":\"L1\",\"seller\":\"S-A\",\"order\":\"O1\",\"buyer\":\"Smith, \\\"Bob\\\"\","
        "\"price\":100.00,\"currency\":\"EUR\",\"quantity\":2,\"ship_to\":\"FR\","
        "\"ordered_at\":\"2026-03-02T00:00:00Z\",\"removed_at\":\"2026-03-04T00:00:00Z\","
        "\"reason\":\"VERDICT_COUNTERFEIT\"}\n",
        "{\"listing\":\"L1\",\"seller\":\"S-A\",\"order\":\"O3\",\"buyer\":\"U3\",\"price\":60,"
        "\"currency\":\"USD\",\"quantity\":1,\"ship_to\":null,"
        "\"ordered_at\":\"2026-03-03T00:00:00Z\",\"removed_at\":\"2026-03-04T00:00:00Z\","
        "\"reason\":\"VERDICT_COUNTERFEIT\"}\n",
    };
    char expected[1024];
    snprintf(expected, sizeof expected, "%s%s", want[0], want[1]);
    assert_string_equal(text, expected);
    json_error_t jerr;
    json_t *line = json_loadb(text, strlen(want[0]), 0, &jerr); /* each line is JSON */
    assert_non_null(line);
    assert_string_equal(json_string_value(json_object_get(line, "buyer")), "Smith, \"Bob\"");
    json_decref(line);
    free(text);
}

static void test_remediation_csv_quotes_per_rfc4180(void **state)
{
    char *text = remediation(engine, 1);
    assert_string_equal(
        text, "listing,seller,order,buyer,price,currency,quantity,ship_to,ordered_at,removed_at,"
              "reason\r\n"
              "L1,S-A,O1,\"Smith, \"\"Bob\"\"\",100.00,EUR,2,FR,2026-03-02T00:00:00Z,"
              "2026-03-04T00:00:00Z,VERDICT_COUNTERFEIT\r\n"
              "L1,S-A,O3,U3,60,USD,1,,2026-03-03T00:00:00Z,2026-03-04T00:00:00Z,"
              "VERDICT_COUNTERFEIT\r\n");
    free(text);
}

static json_t *find(json_t *array, const char *key, const char *value)
{
    size_t i;
    json_t *item;
    json_array_foreach(array, i, item)
    {
        const char *v = json_string_value(json_object_get(item, key));
        if (v && strcmp(v, value) == 0) return item;
    }
    return NULL;
}

static void test_case_file_holds_the_cluster(void **state)
{
    gn_error err;
    char *text = gn_case_json(engine, "S-B", &err);
    if (!text) fail_msg("case: %s", err.message);
    assert_null(strstr(text, "laptop-secret-77")); /* the shared value never appears */
    json_error_t jerr;
    json_t *c = json_loads(text, 0, &jerr);
    if (!c) fail_msg("case JSON: %s: %s", jerr.text, text);

    json_t *sellers = json_object_get(c, "sellers");
    assert_int_equal(json_array_size(sellers), 2);
    assert_non_null(find(sellers, "seller", "S-A"));
    assert_non_null(find(sellers, "seller", "S-B"));
    assert_null(find(sellers, "seller", "S-C"));

    json_t *links = json_object_get(c, "links");
    assert_int_equal(json_array_size(links), 1);
    json_t *shares = json_object_get(json_array_get(links, 0), "shares");
    assert_int_equal(json_array_size(shares), 1);
    assert_string_equal(json_string_value(json_array_get(shares, 0)), "device");

    json_t *listings = json_object_get(c, "listings");
    assert_int_equal(json_array_size(listings), 2);
    json_t *l1 = find(listings, "listing", "L1");
    assert_non_null(l1);
    assert_string_equal(json_string_value(json_object_get(l1, "status")), "removed");
    assert_string_equal(json_string_value(json_object_get(l1, "currency")), "USD"); /* latest */
    json_t *history = json_object_get(json_object_get(l1, "decisions"), "history");
    assert_true(json_array_size(history) >= 3); /* two versions and the verdict */

    json_t *orders = json_object_get(c, "orders");
    assert_int_equal(json_array_size(orders), 3);
    assert_null(find(orders, "order", "O4"));
    json_t *o1 = find(orders, "order", "O1");
    assert_string_equal(json_string_value(json_object_get(o1, "currency")), "EUR");
    assert_int_equal(json_array_size(json_object_get(o1, "shipments")), 1);
    assert_string_equal(json_string_value(json_object_get(find(orders, "order", "O3"), "currency")),
                        "USD");

    json_t *origins = json_object_get(c, "shipment_origins");
    assert_int_equal(json_array_size(origins), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(origins, 0), "city")),
                        "Guangzhou");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(origins, 0), "shipments")),
                     2);

    json_t *summary = json_object_get(c, "summary");
    assert_int_equal(json_integer_value(json_object_get(summary, "accounts")), 2);
    assert_int_equal(json_integer_value(json_object_get(summary, "orders")), 3);
    json_t *eur = find(json_object_get(summary, "money_taken"), "currency", "EUR");
    assert_non_null(eur);
    assert_true(json_real_value(json_object_get(eur, "amount")) == 100.0);
    assert_true(json_real_value(json_object_get(eur, "on_removed_listings")) == 100.0);
    json_t *usd = find(json_object_get(summary, "money_taken"), "currency", "USD");
    assert_true(json_real_value(json_object_get(usd, "amount")) == 80.5); /* O2 and O3 */
    assert_true(json_real_value(json_object_get(usd, "on_removed_listings")) == 60.0);

    /* the audit trail: C-9 and its notice on L1, the strike; nothing of C-7 */
    json_t *trail = json_object_get(c, "history");
    assert_non_null(find(trail, "record_id", "C-9"));
    assert_non_null(find(trail, "record_id", "C-9/L1"));
    assert_non_null(find(trail, "record_id", "S-B"));
    assert_null(find(trail, "record_id", "C-7"));
    assert_null(find(trail, "record_id", "C-7/L3"));

    /* evidence: every version and order, each hash the SHA-256 of the body */
    json_t *events = json_object_get(json_object_get(c, "evidence"), "events");
    const char *expected[] = {"l1", "l1b", "l2", "o1", "o1-again", "o2", "o3", "sh1", "sh2", "sh3"};
    for (size_t i = 0; i < sizeof expected / sizeof *expected; i++)
        if (!find(events, "event", expected[i])) fail_msg("no evidence for %s", expected[i]);
    assert_int_equal(json_array_size(events), sizeof expected / sizeof *expected);
    size_t i;
    json_t *ev;
    json_array_foreach(events, i, ev)
    {
        const char *body = json_string_value(json_object_get(ev, "body"));
        unsigned char hash[crypto_hash_sha256_BYTES];
        char hex[crypto_hash_sha256_BYTES * 2 + 1];
        crypto_hash_sha256(hash, (const unsigned char *)body, strlen(body));
        sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
        assert_string_equal(json_string_value(json_object_get(ev, "sha256")), hex);
    }
    json_t *photos = json_object_get(json_object_get(c, "evidence"), "photos");
    assert_int_equal(json_array_size(photos), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(photos, 0), "pdq")),
                        "f8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22");
    json_decref(c);
    free(text);

    /* the other seller gives the same cluster */
    text = gn_case_json(engine, "S-A", &err);
    c = json_loads(text, 0, &jerr);
    assert_int_equal(json_array_size(json_object_get(c, "sellers")), 2);
    json_decref(c);
    free(text);
}

static void test_case_html_escapes_what_sellers_wrote(void **state)
{
    char *html = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&html, &len);
    gn_error err;
    if (gn_case_html_write(engine, "S-A", out, &err)) fail_msg("html: %s", err.message);
    fclose(out);
    assert_null(strstr(html, "<script"));
    assert_non_null(strstr(html, "Bag &lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
    assert_non_null(strstr(html, "Smith, &quot;Bob&quot;"));
    assert_non_null(strstr(html, "Content-Security-Policy"));
    assert_non_null(strstr(html, "Money taken"));
    assert_non_null(strstr(html, "Guangzhou"));
    assert_null(strstr(html, "laptop-secret-77"));
    free(html);
}

static void test_case_unknown_seller_and_read_only(void **state)
{
    gn_error err;
    assert_null(gn_case_json(engine, "nobody", &err));
    assert_int_equal(err.code, GN_ENOTFOUND);
    assert_non_null(strstr(err.message, "nobody"));
    gn_engine *ro;
    gn_engine_options o = {.db_path = db_path, .read_only = 1};
    if (gn_engine_open(&ro, &o, &err)) fail_msg("open read-only: %s", err.message);
    assert_null(gn_case_json(ro, "S-A", &err));
    assert_int_equal(err.code, GN_EINPUT);
    gn_engine_close(ro);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_remediation_lists_orders_on_removed_listings),
        cmocka_unit_test(test_remediation_csv_quotes_per_rfc4180),
        cmocka_unit_test(test_case_file_holds_the_cluster),
        cmocka_unit_test(test_case_html_escapes_what_sellers_wrote),
        cmocka_unit_test(test_case_unknown_seller_and_read_only),
    };
    return cmocka_run_group_tests_name("cases", tests, setup, teardown);
}
