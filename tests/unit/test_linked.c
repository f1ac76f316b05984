/* Linked accounts through the engine: a banned seller's new account caught
 * through a shared router; a public Wi-Fi shared by thousands links nobody;
 * a ban re-decides every listing of the cluster at once, and clearing the
 * seller undoes it. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genuine.h"

static gn_engine *engine;

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-linked-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[96];
    snprintf(path, sizeof path, "%s/g.db", dir);
    gn_engine_options o = {.db_path = path};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) fail_msg("open: %s", err.message);
    return 0;
}

static int teardown(void **state)
{
    gn_engine_close(engine);
    return 0;
}

static char *feed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *feed(const char *fmt, ...)
{
    char json[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(json, sizeof json, fmt, ap);
    va_end(ap);
    gn_result res;
    gn_error err;
    if (gn_ingest(engine, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (res.outcome != GN_ACCEPTED)
        fail_msg("not accepted: %s: %s", json, res.error ? res.error : "duplicate");
    return res.decision_json ? strdup(res.decision_json) : NULL;
}

static int seq;

static void seller(const char *id, const char *at)
{
    feed("{\"type\":\"seller\",\"id\":\"e%d\",\"at\":\"%s\",\"seller\":\"%s\",\"name\":\"%s\"}",
         ++seq, at, id, id);
}

static void session(const char *account, const char *field, const char *value)
{
    feed("{\"type\":\"session\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\",\"account\":\"%s\","
         "\"%s\":\"%s\"}",
         ++seq, account, field, value);
}

static char *listing(const char *id, const char *seller_id, const char *at)
{
    return feed(
        "{\"type\":\"listing\",\"id\":\"e%d\",\"at\":\"%s\",\"listing\":\"%s\",\"seller\":\"%s\","
        "\"title\":\"Canvas tote bag\",\"price\":20,\"currency\":\"USD\"}",
        ++seq, at, id, seller_id);
}

static void verdict(const char *seller_id, const char *outcome)
{
    feed("{\"type\":\"verdict\",\"id\":\"v%d\",\"at\":\"2026-11-10T00:00:00Z\",\"subject\":"
         "\"seller\","
         "\"target\":\"%s\",\"outcome\":\"%s\",\"reviewer\":\"rev\"}",
         ++seq, seller_id, outcome);
}

static void test_new_account_behind_shared_router(void **state)
{
    seller("banned-1", "2026-01-01T00:00:00Z");
    session("banned-1", "network", "wifi-router-77");
    verdict("banned-1", "banned");
    seller("fresh-1", "2026-11-15T00:00:00Z");
    char json[256];
    snprintf(json, sizeof json,
             "{\"type\":\"session\",\"id\":\"evade\",\"at\":\"2026-11-15T00:00:00Z\","
             "\"account\":\"fresh-1\",\"network\":\"WIFI-ROUTER-77 \"}");
    gn_result res;
    gn_error err;
    assert_int_equal(gn_ingest(engine, json, strlen(json), &res, &err), 0);
    if (!res.alert_json || !strstr(res.alert_json, "\"seller\":\"fresh-1\"") ||
        !strstr(res.alert_json, "banned-1"))
        fail_msg("the new account was not flagged at once: %s",
                 res.alert_json ? res.alert_json : "(none)");
    char *d = listing("F1", "fresh-1", "2026-11-15T01:00:00Z");
    if (!strstr(d, "SELLER_LINKED_TO_BANNED") || !strstr(d, "banned-1") || !strstr(d, "router"))
        fail_msg("expected a link to banned-1 through the router: %s", d);
    assert_null(strstr(d, "wifi-router-77")); /* the value itself is never shown */
    assert_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    char *b = listing("B1", "banned-1", "2026-11-15T01:00:00Z");
    assert_non_null(strstr(b, "SELLER_BANNED"));
    assert_non_null(strstr(b, "\"action\":\"block\""));
    free(b);
}

static void test_public_wifi_links_nobody(void **state)
{
    char id[32];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "traveller-%d", i);
        session(id, "network", "airport-free-wifi");
    }
    verdict("traveller-7", "banned");
    char *d = listing("T1", "traveller-8", "2026-11-15T01:00:00Z");
    assert_null(strstr(d, "SELLER_LINKED_TO_BANNED"));
    free(d);
}

static void test_ban_sweeps_the_cluster(void **state)
{
    seller("ring-a", "2025-01-01T00:00:00Z");
    seller("ring-b", "2025-01-01T00:00:00Z");
    session("ring-a", "device", "laptop-9f2");
    session("ring-b", "device", "laptop-9f2");
    char *d1 = listing("RA1", "ring-a", "2026-11-05T00:00:00Z");
    char *d2 = listing("RA2", "ring-a", "2026-11-05T00:00:00Z");
    assert_non_null(strstr(d1, "\"action\":\"allow\""));
    free(d1);
    free(d2);
    gn_error err;
    assert_int_equal(gn_commit(engine, &err), 0);
    verdict("ring-b", "banned");
    assert_int_equal(gn_commit(engine, &err), 0);
    char *json = gn_listing_json(engine, "RA1", &err);
    assert_non_null(json);
    if (!strstr(json, "\"status\":\"held\"") && !strstr(json, "\"status\":\"blocked\""))
        fail_msg("RA1 not re-decided after the ban: %s", json);
    assert_non_null(strstr(json, "SELLER_LINKED_TO_BANNED"));
    assert_non_null(strstr(json, "\"event\":\"v")); /* the verdict is the cause in the history */
    free(json);
    verdict("ring-b", "cleared");
    assert_int_equal(gn_commit(engine, &err), 0);
    json = gn_listing_json(engine, "RA2", &err);
    assert_non_null(strstr(json, "\"status\":\"live\""));
    free(json);
}

/* Two unrelated accounts selling the same fake with the same pasted text and
 * photo form one infringer cluster; an honest listing with that photo does not. */
static void test_shared_content_clusters_listings(void **state)
{
    const char *text = "Replica 1:1 mirror quality shoulder bag, AAA grade leather, gold hardware, "
                       "comes with box dust bag and cards, ships from our factory in three days";
    const char *photo = "f8f8f0cee0f4a84f0637022a078f67f0b36e2ed596621e1d33e6339c4e9c9b22";
    char *d;
    for (int i = 0; i < 2; i++) {
        d = feed("{\"type\":\"listing\",\"id\":\"c%d\",\"at\":\"2026-11-15T00:00:00Z\",\"listing\":"
                 "\"C%d\","
                 "\"seller\":\"copier-%d\",\"title\":\"Shoulder bag\",\"description\":\"%s%s\","
                 "\"price\":30,\"currency\":\"USD\",\"images\":[{\"pdq\":\"%s\"}]}",
                 i, i, i, text, i ? " now" : "", photo);
        free(d);
    }
    d = listing("HONEST", "honest-shop", "2026-11-15T00:00:00Z");
    free(d);
    gn_error err;
    char *json = gn_seller_json(engine, "copier-0", 1, &err);
    assert_non_null(json);
    if (!strstr(json, "\"shared_content\":{\"listings_shared\":1,\"other_sellers\":1,\"sellers\":["
                      "\"copier-1\"]"))
        fail_msg("copier-0 should share content with copier-1: %s", json);
    free(json);
    json = gn_seller_json(engine, "honest-shop", 0, &err);
    assert_non_null(strstr(json, "\"listings_shared\":0"));
    assert_null(strstr(json, "\"sellers\":")); /* not for a seller reading itself */
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_account_behind_shared_router),
        cmocka_unit_test(test_public_wifi_links_nobody),
        cmocka_unit_test(test_ban_sweeps_the_cluster),
        cmocka_unit_test(test_shared_content_clusters_listings),
    };
    return cmocka_run_group_tests_name("linked", tests, setup, teardown);
}
