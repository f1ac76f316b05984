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
        !strstr(res.alert_json, "\"banned\":\"banned-1\""))
        fail_msg("the new account was not flagged at once: %s",
                 res.alert_json ? res.alert_json : "(none)");
    char *d = listing("F1", "fresh-1", "2026-11-15T01:00:00Z");
    if (!strstr(d, "SELLER_LINKED_TO_BANNED") || !strstr(d, "router"))
        fail_msg("expected a link to a banned account through the router: %s", d);
    /* The reason is the seller's to read: it names no other account. */
    assert_null(strstr(d, "banned-1"));
    assert_null(strstr(d, "wifi-router-77")); /* the value itself is never shown */
    assert_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    char *b = listing("B1", "banned-1", "2026-11-15T01:00:00Z");
    assert_non_null(strstr(b, "SELLER_BANNED"));
    assert_non_null(strstr(b, "\"action\":\"block\""));
    free(b);
}

/* Shoppers who sign in from a shop's device (its family, its friends) are
 * linked to it, but a shop and its shoppers are not a ring of shops; three
 * new shops on one device are. */
static void test_ring_is_of_shops(void **state)
{
    seller("family-shop", "2023-01-01T00:00:00Z");
    session("family-shop", "device", "dev-family");
    session("cousin-1", "device", "dev-family");
    session("cousin-2", "device", "dev-family");
    session("cousin-3", "device", "dev-family");
    char *d = listing("FAM1", "family-shop", "2026-11-15T01:00:00Z");
    if (strstr(d, "SELLER_RING")) fail_msg("a shop and its shoppers taken for a ring: %s", d);
    free(d);
    const char *shops[] = {"ring-a", "ring-b", "ring-c"};
    for (int i = 0; i < 3; i++) {
        seller(shops[i], "2026-11-10T00:00:00Z");
        session(shops[i], "device", "dev-ring");
    }
    d = listing("RING1", "ring-a", "2026-11-15T01:00:00Z");
    if (!strstr(d, "SELLER_RING") || !strstr(d, "one of 3 linked accounts"))
        fail_msg("three new shops on one device: %s", d);
    /* A ring alone holds, whatever it lists (weight.SELLER_RING, floor.SELLER_RING). */
    if (!strstr(d, "\"action\":\"review\"")) fail_msg("a ring's listing should be held: %s", d);
    free(d);
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

/* An event from a seller's own key (not the platform). */
static void seller_says(const char *seller_id, const char *kind, const char *value)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"type\":\"seller_attribute\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\","
             "\"seller\":\"%s\",\"kind\":\"%s\",\"value\":\"%s\"}",
             ++seq, seller_id, kind, value);
    gn_sender from = {"seller", seller_id, 0};
    gn_result res;
    gn_error err;
    if (gn_ingest_from(engine, &from, json, strlen(json), &res, &err) || res.outcome != GN_ACCEPTED)
        fail_msg("not accepted: %s", json);
}

static void platform_says(const char *seller_id, const char *kind, const char *value)
{
    feed("{\"type\":\"seller_attribute\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\","
         "\"seller\":\"%s\",\"kind\":\"%s\",\"value\":\"%s\"}",
         ++seq, seller_id, kind, value);
}

static int linked_to_banned(const char *listing_id, const char *seller_id, const char *at)
{
    char *d = listing(listing_id, seller_id, at);
    int linked = strstr(d, "SELLER_LINKED_TO_BANNED") != NULL;
    free(d);
    return linked;
}

/* Issue 13 row 5: a seller states another seller's phone (and e-mail) as its
 * own and gets banned; the victim is not held for it. A statement with a
 * second, observed value, or the platform observing the phone, links. */
static void test_stated_values_are_weak_links(void **state)
{
    seller("victim", "2025-01-01T00:00:00Z");
    seller("framer", "2026-10-01T00:00:00Z");
    platform_says("victim", "phone", "+86 138 0013 8000");
    platform_says("victim", "email", "victim.shop@gmail.com");
    seller_says("framer", "phone", "8613800138000");
    seller_says("framer", "email", "VictimShop+x@googlemail.com");
    verdict("framer", "banned");
    assert_false(linked_to_banned("V1", "victim", "2026-11-15T00:00:00Z"));
    gn_error err;
    char *view = gn_seller_json(engine, "victim", 1, &err);
    assert_non_null(strstr(view, "\"linked_sellers\":[]"));
    free(view);
    /* an observed IP (one point) and the statements: now a link */
    session("framer", "ip", "203.0.113.50");
    session("victim", "ip", "203.0.113.50");
    assert_true(linked_to_banned("V2", "victim", "2026-11-15T00:00:00Z"));
    view = gn_seller_json(engine, "victim", 1, &err);
    assert_non_null(strstr(view, "\"stated_only\":\"a phone number and an e-mail address\""));
    free(view);

    /* the platform's own observation links on its own */
    seller("victim2", "2025-01-01T00:00:00Z");
    seller("banned2", "2026-10-01T00:00:00Z");
    platform_says("victim2", "phone", "+44 20 7946 0958");
    seller_says("banned2", "phone", "+442079460958");
    verdict("banned2", "banned");
    assert_false(linked_to_banned("W1", "victim2", "2026-11-15T00:00:00Z"));
    platform_says("banned2", "phone", "0044 20 7946 0958");
    assert_true(linked_to_banned("W2", "victim2", "2026-11-15T00:00:00Z"));
    (void)state;
}

/* Thousands of honest sellers behind one carrier NAT address, arriving over
 * time, one banned among the first of them: an IP is one point, so the NAT
 * address never links them, before the cut-off or after; each lists as it
 * arrives and none is held for a link to the banned one. */
static void test_nat_address_over_time_with_a_banned_seller(void **state)
{
    char id[32], l[32], dev[32];
    int linked = 0;
    for (int i = 0; i < 2000; i++) {
        snprintf(id, sizeof id, "mobile-%d", i);
        snprintf(l, sizeof l, "M%d", i);
        snprintf(dev, sizeof dev, "phone-handset-%d", i);
        session(id, "ip", "198.51.100.77");
        session(id, "device", dev);
        if (i == 3) verdict("mobile-3", "banned");
        if (i > 3 && i % 10 == 0) linked += linked_to_banned(l, id, "2026-11-15T00:00:00Z");
    }
    assert_int_equal(linked, 0);
    gn_error err;
    char *view = gn_seller_json(engine, "mobile-4", 1, &err);
    assert_non_null(strstr(view, "\"size\":1,\"banned\":0"));
    free(view);
    (void)state;
}

/* A carrier NAT with a pool of two addresses: while each is still rare, its
 * first users share two IPs (two points) and are linked, to the banned one
 * among them too; when the 21st account reaches each address the links are
 * withdrawn, the honest early accounts' held listings are decided again and
 * go live, and none of the thousands after them is held for the ban. */
static void test_nat_pool_over_time_with_a_banned_seller(void **state)
{
    char id[32], l[32], dev[32];
    int early = 0, late = 0;
    for (int i = 0; i < 1500; i++) {
        snprintf(id, sizeof id, "pool-%d", i);
        snprintf(l, sizeof l, "P%d", i);
        snprintf(dev, sizeof dev, "pool-handset-%d", i);
        session(id, "device", dev);
        session(id, "ip", "198.51.100.201");
        session(id, "ip", "198.51.100.202");
        if (i == 2) verdict("pool-2", "banned");
        if (i > 2) {
            int linked = linked_to_banned(l, id, "2026-11-15T00:00:00Z");
            if (i < 20)
                early += linked;
            else
                late += linked;
        }
    }
    assert_int_equal(early, 17); /* the honest 3..19: linked while the pool was rare */
    assert_int_equal(late, 0);
    gn_error err;
    assert_int_equal(gn_commit(engine, &err), 0);
    for (int i = 3; i < 20; i++) {
        snprintf(l, sizeof l, "P%d", i);
        char *json = gn_listing_json(engine, l, &err);
        if (!strstr(json, "\"status\":\"live\"")) fail_msg("%s not released: %s", l, json);
        free(json);
    }
    (void)state;
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

/* The same fake's photo re-encoded or retouched (a few bits apart, not the
 * same hash) still forms the cluster, across texts that share nothing; a
 * photo of something else (124 bits away) does not. */
static void test_near_photos_cluster_listings(void **state)
{
    static const char *texts[3] = {
        "Wallet with eleven card slots in green crocodile pattern, a replica",
        "Steel bracelet wristwatch with sapphire crystal, mirror replica",
        "Running sneakers in white and blue, sizes forty to forty five, 1:1 copy"};
    static const char *photos[3] = {
        /* the second 12 bits from the first, the third 124 */
        "2cb85f3f4a24e39a5d998017f5e2fc574dad2986ce8349606a06e9ab85a0bcc1",
        "2cb85f3f4a24e39a5d998017f5e2fc574dadd676ce8349606a06e9ab85a0bcc1",
        "07070f311f0b57b0f9c8fdd5f870980f4c91d2a699de1e2cc19cc63b1636e2aa"};
    char *d;
    for (int i = 0; i < 3; i++) {
        d = feed("{\"type\":\"listing\",\"id\":\"n%d\",\"at\":\"2026-11-16T00:00:00Z\",\"listing\":"
                 "\"N%d\",\"seller\":\"near-%d\",\"title\":\"Bag\",\"description\":\"%s\","
                 "\"price\":30,\"currency\":\"USD\",\"images\":[{\"pdq\":\"%s\"}]}",
                 i, i, i, texts[i], photos[i]);
        free(d);
    }
    gn_error err;
    char *json = gn_seller_json(engine, "near-0", 1, &err);
    assert_non_null(json);
    if (!strstr(json, "\"shared_content\":{\"listings_shared\":1,\"other_sellers\":1,\"sellers\":["
                      "\"near-1\"]"))
        fail_msg("near-0 should share a photo with near-1 only: %s", json);
    free(json);
    json = gn_seller_json(engine, "near-2", 1, &err);
    assert_non_null(strstr(json, "\"listings_shared\":0"));
    free(json);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_new_account_behind_shared_router),
        cmocka_unit_test(test_ring_is_of_shops),
        cmocka_unit_test(test_public_wifi_links_nobody),
        cmocka_unit_test(test_stated_values_are_weak_links),
        cmocka_unit_test(test_nat_address_over_time_with_a_banned_seller),
        cmocka_unit_test(test_nat_pool_over_time_with_a_banned_seller),
        cmocka_unit_test(test_ban_sweeps_the_cluster),
        cmocka_unit_test(test_shared_content_clusters_listings),
        cmocka_unit_test(test_near_photos_cluster_listings),
    };
    return cmocka_run_group_tests_name("linked", tests, setup, teardown);
}
