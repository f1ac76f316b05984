/* The engine end to end on a real SQLite file: events in, decisions out with
 * the expected reasons; duplicates change nothing; a bad event leaves the
 * good ones around it; a restart rebuilds the same state from the log. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "genuine.h"
#include "media/image.h"
#include "media/pdq.h"
#include "media/photos.h"

static char db_path[64];

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-engine-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/g.db", dir);
    return 0;
}

static gn_engine *open_engine_at(const char *path)
{
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = path};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open: %s", err.message);
    return e;
}

static gn_engine *open_engine(void)
{
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = db_path};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open: %s", err.message);
    return e;
}

/* Feeds one event as given, with its photos left to the engine. */
static gn_outcome feed_raw(gn_engine *e, const char *json, char **decision)
{
    gn_result res;
    gn_error err = {0};
    if (gn_ingest(e, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (decision) *decision = res.decision_json ? strdup(res.decision_json) : NULL;
    return res.outcome;
}

/* Feeds one event as `genuine ingest` does, its photos by url or path hashed
 * first (media/photos.h), and returns its outcome; *decision gets a copy of
 * the decision. */
static gn_outcome feed(gn_engine *e, const char *json, char **decision)
{
    gn_photos photos;
    gn_error err = {0};
    char *resolved;
    size_t len;
    assert_int_equal(gn_photos_open(&photos, NULL, NULL, &err), 0);
    if (gn_photos_resolve(&photos, GN_PHOTOS_OPERATOR, NULL, json, strlen(json), &resolved, &len,
                          &err))
        fail_msg("photos: %s", err.message);
    gn_photos_close(&photos);
    gn_outcome outcome = feed_raw(e, resolved ? resolved : json, decision);
    free(resolved);
    return outcome;
}

static void expect(gn_engine *e, const char *json, const char *action, const char *const *codes)
{
    char *d = NULL;
    assert_int_equal(feed(e, json, &d), GN_ACCEPTED);
    assert_non_null(d);
    char want[64];
    snprintf(want, sizeof want, "\"action\":\"%s\"", action);
    if (!strstr(d, want)) fail_msg("expected %s, got %s", action, d);
    for (; codes && *codes; codes++) {
        char code[96];
        snprintf(code, sizeof code, "\"code\":\"%s\"", *codes);
        if (!strstr(d, code)) fail_msg("expected reason %s in %s", *codes, d);
    }
    free(d);
}

#define EV(type, id, at) "{\"type\":\"" type "\",\"id\":\"" id "\",\"at\":\"" at "\","

static void load_marketplace(gn_engine *e)
{
    feed(e, EV("rate", "r1", "2026-01-01T00:00:00Z") "\"currency\":\"EUR\",\"usd\":1.1}", NULL);
    feed(e, EV("rate", "r2", "2026-01-01T00:00:00Z") "\"currency\":\"USD\",\"usd\":1}", NULL);
    feed(e,
         EV("brand", "b1", "2026-01-01T00:00:00Z") "\"brand\":\"gucci\",\"name\":\"Gucci\","
                                                   "\"aliases\":[\"古驰\"],\"reference_prices\":[{"
                                                   "\"category\":\"bags\",\"price\":1150,"
                                                   "\"currency\":\"USD\"}]}",
         NULL);
    feed(e,
         EV("brand", "b2",
            "2026-01-01T00:00:00Z") "\"brand\":\"rolex\",\"name\":\"Rolex\","
                                    "\"reference_prices\":[{\"category\":\"watches\",\"price\":"
                                    "9000,\"currency\":\"USD\"}],"
                                    "\"authorized_only\":true,\"authorized_sellers\":[\"dealer\"]}",
         NULL);
    feed(e,
         EV("seller", "s1", "2025-01-01T00:00:00Z") "\"seller\":\"boutique\",\"name\":\"B\","
                                                    "\"template\":\"custom\"}",
         NULL);
    feed(e,
         EV("seller_verification", "s1v",
            "2025-01-02T00:00:00Z") "\"seller\":\"boutique\",\"status\":\"verified\"}",
         NULL);
    feed(e,
         EV("seller", "s2",
            "2026-11-20T00:00:00Z") "\"seller\":\"newshop\",\"name\":\"N\",\"template\":\"basic\"}",
         NULL);
    feed(e,
         EV("seller", "s3",
            "2024-01-01T00:00:00Z") "\"seller\":\"dealer\",\"name\":\"D\",\"template\":\"custom\"}",
         NULL);
}

static void test_decisions_and_reasons(void **state)
{
    gn_engine *e = open_engine();
    load_marketplace(e);
    expect(e,
           EV("listing", "l1", "2026-11-22T10:00:00Z") "\"listing\":\"L1\",\"seller\":\"boutique\","
                                                       "\"title\":\"Gucci GG Marmont shoulder "
                                                       "bag\",\"price\":1090,\"currency\":\"USD\","
                                                       "\"category\":\"bags\"}",
           "allow", NULL);
    const char *price_new[] = {"PRICE_FAR_BELOW_REFERENCE", "SELLER_NEW_ACCOUNT", NULL};
    expect(
        e,
        EV("listing", "l2",
           "2026-11-22T10:00:00Z") "\"listing\":\"L2\",\"seller\":\"newshop\","
                                   "\"title\":\"Gucci Marmont "
                                   "bag\",\"price\":45,\"currency\":\"USD\",\"category\":\"bags\"}",
        "block", price_new);
    const char *price_only[] = {"PRICE_FAR_BELOW_REFERENCE", NULL};
    expect(
        e,
        EV("listing", "l3",
           "2026-11-22T10:00:00Z") "\"listing\":\"L3\",\"seller\":\"boutique\","
                                   "\"title\":\"Gucci "
                                   "bag\",\"price\":60,\"currency\":\"USD\",\"category\":\"bags\"}",
        "review", price_only);
    /* 41 EUR is 45 USD: compared through the rates. */
    expect(
        e,
        EV("listing", "l4",
           "2026-11-22T10:00:00Z") "\"listing\":\"L4\",\"seller\":\"boutique\","
                                   "\"title\":\"Gucci "
                                   "bag\",\"price\":41,\"currency\":\"EUR\",\"category\":\"bags\"}",
        "review", price_only);
    /* No rate for KRW: no price comparison across currencies. */
    expect(e,
           EV("listing", "l5", "2026-11-22T10:00:00Z") "\"listing\":\"L5\",\"seller\":\"boutique\","
                                                       "\"title\":\"Gucci "
                                                       "bag\",\"price\":60000,\"currency\":\"KRW\","
                                                       "\"category\":\"bags\"}",
           "allow", NULL);
    const char *lingo[] = {"COUNTERFEIT_LINGO", NULL};
    expect(
        e,
        EV("listing", "l6", "2026-11-22T10:00:00Z") "\"listing\":\"L6\",\"seller\":\"boutique\","
                                                    "\"title\":\"Gucci bag replica 1:1 mirror "
                                                    "quality\",\"price\":900,\"currency\":\"USD\"}",
        "block", lingo);
    const char *unauthorized[] = {"UNAUTHORIZED_SELLER", NULL};
    expect(e,
           EV("listing", "l7", "2026-11-22T10:00:00Z") "\"listing\":\"L7\",\"seller\":\"boutique\","
                                                       "\"title\":\"Rolex "
                                                       "Submariner\",\"price\":8800,\"currency\":"
                                                       "\"USD\",\"category\":\"watches\"}",
           "allow", unauthorized); /* an independent reseller: said, and not held for it alone */
    expect(e,
           EV("listing", "l8", "2026-11-22T10:00:00Z") "\"listing\":\"L8\",\"seller\":\"dealer\","
                                                       "\"title\":\"Rolex "
                                                       "Submariner\",\"price\":8800,\"currency\":"
                                                       "\"USD\",\"category\":\"watches\"}",
           "allow", NULL);
    const char *mismatch[] = {"BRAND_MISMATCH", "UNAUTHORIZED_SELLER", NULL};
    expect(e,
           EV("listing", "l9",
              "2026-11-22T10:00:00Z") "\"listing\":\"L9\",\"seller\":\"boutique\","
                                      "\"brand\":\"gucci\",\"title\":\"Rolex Daytona style "
                                      "watch\",\"price\":8000,\"currency\":\"USD\"}",
           "review", mismatch); /* a human looks: near full price, nothing else */
    const char *unbranded[] = {NULL};
    expect(
        e,
        EV("listing", "l10", "2026-11-22T10:00:00Z") "\"listing\":\"L10\",\"seller\":\"newshop\","
                                                     "\"title\":\"Plain canvas tote "
                                                     "bag\",\"price\":5,\"currency\":\"USD\"}",
        "allow", unbranded);
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);
}

/* Rates are USD values: a platform that sends rates for its other currencies
 * only still compares them in USD (a EUR listing at the brand's typical price
 * was taken for "-1.00 USD" and held, every one of them). */
static void test_usd_needs_no_rate(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.usd", db_path);
    gn_engine *e = open_engine_at(path);
    feed(e, EV("rate", "r1", "2026-01-01T00:00:00Z") "\"currency\":\"EUR\",\"usd\":1.1}", NULL);
    feed(e,
         EV("brand", "b1", "2026-01-01T00:00:00Z") "\"brand\":\"lumora\",\"name\":\"Lumora\","
                                                   "\"reference_prices\":[{\"category\":\"bags\","
                                                   "\"price\":1000,\"currency\":\"USD\"}]}",
         NULL);
    feed(e,
         EV("seller", "s1", "2025-01-01T00:00:00Z") "\"seller\":\"shop\",\"name\":\"S\","
                                                    "\"template\":\"custom\"}",
         NULL);
    char ev[400];
    for (int i = 0; i < 30; i++) { /* the brand's typical price, in EUR and USD */
        snprintf(ev, sizeof ev,
                 EV("listing", "m%d", "2026-11-22T10:00:00Z") "\"listing\":\"M%d\",\"seller\":"
                                                              "\"shop\",\"title\":\"Lumora bag\","
                                                              "\"price\":%d,\"currency\":\"%s\","
                                                              "\"category\":\"bags\"}",
                 i, i, i % 2 ? 900 : 990, i % 2 ? "EUR" : "USD");
        feed(e, ev, NULL);
    }
    expect(
        e,
        EV("listing", "l1", "2026-11-22T11:00:00Z") "\"listing\":\"L1\",\"seller\":\"shop\","
                                                    "\"title\":\"Lumora bag\",\"price\":880,"
                                                    "\"currency\":\"EUR\",\"category\":\"bags\"}",
        "allow", NULL);
    const char *price_both[] = {"PRICE_FAR_BELOW_REFERENCE", "PRICE_FAR_BELOW_MARKET", NULL};
    expect(
        e,
        EV("listing", "l2", "2026-11-22T11:00:00Z") "\"listing\":\"L2\",\"seller\":\"shop\","
                                                    "\"title\":\"Lumora bag\",\"price\":41,"
                                                    "\"currency\":\"EUR\",\"category\":\"bags\"}",
        "block", price_both);
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);
}

static void test_duplicates_and_rejections(void **state)
{
    gn_engine *e = open_engine();
    const char *listing =
        EV("listing", "dup1",
           "2026-11-22T11:00:00Z") "\"listing\":\"D1\",\"seller\":\"boutique\","
                                   "\"title\":\"Gucci bag\",\"price\":1100,\"currency\":\"USD\"}";
    assert_int_equal(feed(e, listing, NULL), GN_ACCEPTED);
    assert_int_equal(feed(e, listing, NULL), GN_DUPLICATE);
    gn_result res;
    gn_error err;
    const char *bad = EV(
        "listing", "bad1",
        "2026-11-22T11:00:00Z") "\"listing\":\"D2\",\"seller\":\"boutique\","
                                "\"title\":\"Gucci bag\",\"price\":\"cheap\",\"currency\":\"USD\"}";
    assert_int_equal(gn_ingest(e, bad, strlen(bad), &res, &err), 0);
    assert_int_equal(res.outcome, GN_REJECTED);
    assert_string_equal(res.id, "bad1");
    assert_non_null(strstr(res.error, "'price'"));
    /* An update of the same listing is a new version, not a duplicate. */
    const char *update =
        EV("listing", "dup2",
           "2026-11-22T12:00:00Z") "\"listing\":\"D1\",\"seller\":\"boutique\","
                                   "\"title\":\"Gucci bag\",\"price\":1000,\"currency\":\"USD\"}";
    assert_int_equal(feed(e, update, NULL), GN_ACCEPTED);
    assert_int_equal(gn_commit(e, &err), 0);
    char *json = gn_listing_json(e, "D1", &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"versions\":2"));
    assert_non_null(strstr(json, "\"event\":\"dup1\""));
    assert_non_null(strstr(json, "\"event\":\"dup2\""));
    free(json);
    assert_null(gn_listing_json(e, "D2", &err));
    assert_int_equal(err.code, GN_ENOTFOUND);
    gn_engine_close(e);
}

/* Typical prices are learned from allowed listings; after a restart the same
 * figures must come back from the log, so a new listing is judged the same. */
static void test_restart_rebuilds_state(void **state)
{
    gn_engine *e = open_engine();
    feed(e, EV("brand", "nb1", "2026-01-01T00:00:00Z") "\"brand\":\"acme\",\"name\":\"Acmeworks\"}",
         NULL);
    char ev[512];
    for (int i = 0; i < 30; i++) {
        snprintf(ev, sizeof ev,
                 EV("listing", "m%d",
                    "2026-11-22T10:00:00Z") "\"listing\":\"M%d\",\"seller\":\"boutique\","
                                            "\"title\":\"Acmeworks drill "
                                            "%d\",\"price\":%d,\"currency\":\"USD\",\"category\":"
                                            "\"tools\"}",
                 i, i, i, 200 + i);
        feed(e, ev, NULL);
    }
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    e = open_engine();
    const char *market[] = {"PRICE_FAR_BELOW_MARKET", NULL};
    expect(e,
           EV("listing", "m-cheap",
              "2026-11-23T10:00:00Z") "\"listing\":\"MC\",\"seller\":\"boutique\","
                                      "\"title\":\"Acmeworks "
                                      "drill\",\"price\":15,\"currency\":\"USD\",\"category\":"
                                      "\"tools\"}",
           "review", market);
    /* The log remembers ids across restarts: a replayed id is a duplicate. */
    assert_int_equal(
        feed(e, EV("brand", "nb1", "2026-01-01T00:00:00Z") "\"brand\":\"acme\",\"name\":\"A\"}",
             NULL),
        GN_DUPLICATE);
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);
}

static void test_keys(void **state)
{
    gn_engine *e = open_engine();
    char key[65], role[64], account[257];
    gn_error err;
    assert_int_equal(gn_key_issue(e, "rights_holder", "H1", key, &err), 0);
    assert_int_equal(strlen(key), 64);
    assert_int_equal(gn_key_check(e, key, role, sizeof role, account, sizeof account, &err), 0);
    assert_string_equal(role, "rights_holder");
    assert_string_equal(account, "H1");
    /* A buffer too small is refused, never filled with a cut value: seller
     * "S12" cut to 3 bytes would read as account "S1". */
    char seller_key[GN_KEY_SIZE], small[3], fits[4];
    assert_int_equal(gn_key_issue(e, "seller", "S12", seller_key, &err), 0);
    assert_int_equal(gn_key_check(e, seller_key, role, sizeof role, small, sizeof small, &err),
                     GN_EINPUT);
    assert_non_null(strstr(err.message, "account: the buffer holds 3 bytes, the account needs 4"));
    assert_string_equal(small, "");
    assert_string_equal(role, "");
    assert_int_equal(gn_key_check(e, seller_key, role, 6, account, sizeof account, &err),
                     GN_EINPUT);
    assert_non_null(strstr(err.message, "role:"));
    assert_int_equal(gn_key_check(e, seller_key, role, 7, fits, sizeof fits, &err), 0);
    assert_string_equal(role, "seller");
    assert_string_equal(fits, "S12");
    key[0] = key[0] == 'a' ? 'b' : 'a';
    assert_int_equal(gn_key_check(e, key, role, sizeof role, account, sizeof account, &err),
                     GN_ENOTFOUND);
    assert_int_equal(gn_key_issue(e, "seller", NULL, key, &err), GN_EINPUT);
    assert_int_equal(gn_key_issue(e, "admin", NULL, key, &err), GN_EINPUT);
    gn_engine_close(e);
}

#define PDQ_IMAGES "../shared/conformance/pdq/images/"

/* The engine opens no file and fetches nothing: a photo by path that was
 * not hashed before the event came in is noted, and the listing decided
 * without it, even though the file is there. */
static void test_engine_reads_no_photo(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.raw", db_path);
    gn_engine *e = open_engine_at(path);
    char *d = NULL;
    feed_raw(
        e,
        EV("brand", "rb1", "2026-01-01T00:00:00Z") "\"brand\":\"vyadukt\",\"name\":\"Vyadukt\","
                                                   "\"official_images\":[{\"path\":\"" PDQ_IMAGES
                                                   "bridge-1-original.jpg\"}]}",
        NULL);
    feed_raw(e,
             EV("listing", "rl1", "2026-11-22T10:00:00Z") "\"listing\":\"RAW1\",\"seller\":\"x\","
                                                          "\"title\":\"Poster\",\"price\":20,"
                                                          "\"currency\":\"USD\",\"images\":[{"
                                                          "\"path\":\"" PDQ_IMAGES
                                                          "bridge-1-original.jpg\"}]}",
             &d);
    assert_non_null(strstr(d, "not hashed"));
    assert_null(strstr(d, "IMAGE_STOLEN_OFFICIAL"));
    free(d);
    gn_engine_close(e);
}

/* A replay never reads a photo again: the hashes travel in the logged
 * event. The brand's photo file is gone before the restart, and its flipped
 * copy on a stranger's listing is still recognised. */
static void test_replay_reads_no_photo(void **state)
{
    char path[96], photo[128];
    snprintf(path, sizeof path, "%s.replay", db_path);
    snprintf(photo, sizeof photo, "%s.official.jpg", db_path);
    FILE *in = fopen(PDQ_IMAGES "bridge-1-original.jpg", "rb"), *out = fopen(photo, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        fwrite(buf, 1, n, out);
    fclose(in);
    fclose(out);
    char brand[512];
    snprintf(
        brand, sizeof brand,
        EV("brand", "pb1", "2026-01-01T00:00:00Z") "\"brand\":\"vyadukt\",\"name\":\"Vyadukt\","
                                                   "\"official_images\":[{\"path\":\"%s\"}]}",
        photo);
    gn_engine *e = open_engine_at(path);
    feed(e, brand, NULL);
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);
    assert_int_equal(unlink(photo), 0);

    e = open_engine_at(path);
    char *d = NULL;
    feed(e,
         EV("listing", "pl1", "2026-11-22T10:00:00Z") "\"listing\":\"PL1\",\"seller\":\"x\","
                                                      "\"title\":\"Poster\",\"price\":20,"
                                                      "\"currency\":\"USD\",\"images\":[{"
                                                      "\"path\":\"" PDQ_IMAGES
                                                      "bridge-5-flipx.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, "IMAGE_STOLEN_OFFICIAL"));
    free(d);
    gn_engine_close(e);
}

/* Flat pictures (PDQ quality 0: Debian's mate-backgrounds gradients Silk and
 * Spring hash alike) match nothing: a brand's flat photo is no evidence
 * against a listing with another flat one. */
static void test_flat_photos_match_nothing(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.flat", db_path);
    gn_engine *e = open_engine_at(path);
    feed(e,
         EV("brand", "fb1", "2026-01-01T00:00:00Z") "\"brand\":\"plain\",\"name\":\"Plainly\","
                                                    "\"official_images\":[{\"path\":\"/usr/share/"
                                                    "backgrounds/mate/abstract/Silk.png\"}]}",
         NULL);
    char *d = NULL;
    feed(e,
         EV("listing", "fl1", "2026-11-22T10:00:00Z") "\"listing\":\"FL1\",\"seller\":\"stranger\","
                                                      "\"title\":\"Poster\",\"price\":20,"
                                                      "\"currency\":\"USD\",\"images\":[{"
                                                      "\"path\":\"/usr/share/backgrounds/mate/"
                                                      "abstract/Spring.png\"}]}",
         &d);
    assert_non_null(d);
    assert_null(strstr(d, "IMAGE_STOLEN_OFFICIAL"));
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    gn_engine_close(e);
}

/* A brand's own photo, flipped, on an unauthorised seller's listing; the same
 * photo on an authorised seller's listing is fine. */
static void test_stolen_official_photo(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.images", db_path);
    gn_engine *e = open_engine_at(path);
    feed(e,
         EV("brand", "ib1",
            "2026-01-01T00:00:00Z") "\"brand\":\"vyadukt\",\"name\":\"Vyadukt\","
                                    "\"official_images\":[{\"path\":\"" PDQ_IMAGES
                                    "bridge-1-original.jpg\",\"role\":\"official\"}],"
                                    "\"authorized_sellers\":[\"official-store\"]}",
         NULL);
    const char *stolen[] = {"IMAGE_STOLEN_OFFICIAL", NULL};
    char *d = NULL;
    feed(e,
         EV("listing", "il1", "2026-11-22T10:00:00Z") "\"listing\":\"IL1\",\"seller\":\"stranger\","
                                                      "\"title\":\"Poster of a "
                                                      "bridge\",\"price\":20,\"currency\":\"USD\","
                                                      "\"images\":[{\"path\":\"" PDQ_IMAGES
                                                      "bridge-5-flipx.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, stolen[0]));
    assert_non_null(strstr(d, "rotated or flipped"));
    /* The text leaves the brand out: photo-only, held whatever the score. */
    assert_non_null(strstr(d, "\"IMAGE_BRAND_UNNAMED\""));
    assert_non_null(strstr(d, "\"action\":\"review\""));
    free(d);
    /* A stranger that names the brand whose photo it shows, and nothing
     * else against it: a reseller's listing, live. */
    feed(e,
         EV("listing", "il9", "2026-11-22T10:00:00Z") "\"listing\":\"IL9\",\"seller\":\"stranger\","
                                                      "\"title\":\"Vyadukt poster of a "
                                                      "bridge\",\"price\":20,\"currency\":\"USD\","
                                                      "\"images\":[{\"path\":\"" PDQ_IMAGES
                                                      "bridge-5-flipx.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, stolen[0]));
    assert_null(strstr(d, "IMAGE_BRAND_UNNAMED"));
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    feed(e,
         EV("listing", "il2",
            "2026-11-22T10:00:00Z") "\"listing\":\"IL2\",\"seller\":\"official-store\","
                                    "\"title\":\"Poster of a "
                                    "bridge\",\"price\":20,\"currency\":\"USD\","
                                    "\"images\":[{\"path\":\"" PDQ_IMAGES
                                    "bridge-1-original.jpg\"}]}",
         &d);
    assert_null(strstr(d, stolen[0]));
    free(d);
    /* A photo that cannot be had is noted, and the listing still decided. */
    feed(e,
         EV("listing", "il3",
            "2026-11-22T10:00:00Z") "\"listing\":\"IL3\",\"seller\":\"stranger\","
                                    "\"title\":\"Poster\",\"price\":20,\"currency\":\"USD\","
                                    "\"images\":[{\"url\":\"http://127.0.0.1:9/"
                                    "a.jpg\"},{\"path\":\"/nonexistent.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    assert_non_null(strstr(d, "refused to fetch from 127.0.0.1"));
    assert_non_null(strstr(d, "nonexistent.jpg"));
    free(d);
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    /* After a restart the photo hashes come from the store and decide the same. */
    e = open_engine_at(path);
    feed(e,
         EV("listing", "il4",
            "2026-11-22T11:00:00Z") "\"listing\":\"IL4\",\"seller\":\"stranger2\","
                                    "\"title\":\"Bridge poster\",\"price\":20,\"currency\":\"USD\","
                                    "\"images\":[{\"path\":\"" PDQ_IMAGES
                                    "bridge-3-rotate-180.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, stolen[0]));
    free(d);
    gn_engine_close(e);
}

/* A listing's photo given as a bare `pdq` has no turns of its own: it is
 * the brand photo's flipped hash (bridge-5-flipx) that must meet it, from
 * the bank's turned forms (the photo's other forms look only its quarter
 * turn up there). */
static void test_pdq_meets_turned_official(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.turned", db_path);
    gn_engine *e = open_engine_at(path);
    feed(e,
         EV("brand", "tb1",
            "2026-01-01T00:00:00Z") "\"brand\":\"vyadukt\",\"name\":\"Vyadukt\","
                                    "\"official_images\":[{\"path\":\"" PDQ_IMAGES
                                    "bridge-1-original.jpg\",\"role\":\"official\"}]}",
         NULL);
    gn_image img;
    gn_pdq_hash forms[GN_PDQ_DIHEDRAL_COUNT];
    gn_error err;
    int quality;
    assert_int_equal(gn_image_load(PDQ_IMAGES "bridge-5-flipx.jpg", NULL, &img, &err), 0);
    assert_int_equal(gn_pdq_hash_image_dihedral(&img, forms, &quality, &err), 0);
    gn_image_free(&img);
    char hex[GN_PDQ_HEX_LEN + 1], event[512], *d = NULL;
    gn_pdq_format(&forms[GN_PDQ_ORIGINAL], hex);
    snprintf(event, sizeof event,
             EV("listing", "tl1", "2026-11-22T10:00:00Z") "\"listing\":\"TL1\",\"seller\":"
                                                          "\"stranger\",\"title\":\"Vyadukt "
                                                          "poster\",\"price\":20,\"currency\":"
                                                          "\"USD\",\"images\":[{\"pdq\":\"%s\"}]}",
             hex);
    feed(e, event, &d);
    assert_non_null(strstr(d, "IMAGE_STOLEN_OFFICIAL"));
    assert_non_null(strstr(d, "rotated or flipped"));
    free(d);
    gn_engine_close(e);
}

/* A photo of a listing blocked as counterfeit comes back, flipped, on a new
 * seller's listing. */
/* A listing blocked on its price alone keeps its photos out of the removed
 * bank: honest shops share their manufacturers' photos, and one wrong block
 * would otherwise block every honest listing with the same picture. */
static void test_price_block_banks_no_photo(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.pricebank", db_path);
    gn_engine *e = open_engine_at(path);
    char *d = NULL;
    feed(e,
         EV("brand", "pb", "2026-01-01T00:00:00Z") "\"brand\":\"gucci\",\"name\":\"Gucci\","
                                                   "\"reference_prices\":[{\"category\":\"bags\","
                                                   "\"price\":1150,\"currency\":\"USD\"}]}",
         NULL);
    feed(e,
         EV("listing", "pl1", "2026-11-22T10:00:00Z") "\"listing\":\"PL1\",\"seller\":\"s-a\","
                                                      "\"title\":\"Gucci bag\",\"price\":9,"
                                                      "\"currency\":\"USD\",\"category\":"
                                                      "\"bags\",\"images\":[{\"path\":\"" PDQ_IMAGES
                                                      "bridge-1-original.jpg\"}]}",
         &d);
    if (!strstr(d, "\"action\":\"block\"") || strstr(d, "COUNTERFEIT_LINGO"))
        fail_msg("expected a block on the price alone: %s", d);
    free(d);
    feed(e,
         EV("listing", "pl2", "2026-11-22T12:00:00Z") "\"listing\":\"PL2\",\"seller\":\"s-b\","
                                                      "\"title\":\"Canvas bag\",\"price\":20,"
                                                      "\"currency\":\"USD\",\"images\":[{"
                                                      "\"path\":\"" PDQ_IMAGES
                                                      "bridge-1-original.jpg\"}]}",
         &d);
    if (strstr(d, "IMAGE_MATCHES_REMOVED")) fail_msg("a price block banked its photo: %s", d);
    free(d);
    gn_engine_close(e);
}

static void test_relisted_removed_photo(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.removed", db_path);
    gn_engine *e = open_engine_at(path);
    char *d = NULL;
    feed(e,
         EV("listing", "rl1", "2026-11-22T10:00:00Z") "\"listing\":\"RL1\",\"seller\":\"s-old\","
                                                      "\"title\":\"replica watch 1:1 AAA "
                                                      "grade\",\"price\":20,\"currency\":\"USD\","
                                                      "\"images\":[{\"path\":\"" PDQ_IMAGES
                                                      "bridge-1-original.jpg\"}]}",
         &d);
    assert_non_null(strstr(d, "\"action\":\"block\""));
    free(d);
    const char *relisted[] = {"IMAGE_MATCHES_REMOVED", NULL};
    expect(e,
           EV("listing", "rl2",
              "2026-11-22T12:00:00Z") "\"listing\":\"RL2\",\"seller\":\"s-new\","
                                      "\"title\":\"Watch\",\"price\":20,\"currency\":\"USD\","
                                      "\"images\":[{\"path\":\"" PDQ_IMAGES
                                      "bridge-6-flipy.jpg\"}]}",
           "review", relisted);
    /* The blocked listing's own next version is not evidence against itself. */
    feed(e,
         EV("listing", "rl3",
            "2026-11-22T13:00:00Z") "\"listing\":\"RL1\",\"seller\":\"s-old\","
                                    "\"title\":\"watch\",\"price\":20,\"currency\":\"USD\","
                                    "\"images\":[{\"path\":\"" PDQ_IMAGES
                                    "bridge-1-original.jpg\"}]}",
         &d);
    assert_null(strstr(d, relisted[0]));
    free(d);
    gn_engine_close(e);
}

/* A brand misspelt by an established (unverified) shop at a fair price, with
 * nothing else against it, is a typo: live, the misspelling still named. The
 * same words from a new shop are held. */
static void test_typo_from_an_established_shop(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.typo", db_path);
    gn_engine *e = open_engine_at(path);
    load_marketplace(e);
    const char *misspelt[] = {"BRAND_MISSPELT", NULL};
    expect(e,
           EV("listing", "ty1", "2026-11-22T10:00:00Z") "\"listing\":\"TY1\",\"seller\":"
                                                        "\"dealer\",\"title\":\"Guchi leather "
                                                        "bag\",\"price\":1100,\"currency\":"
                                                        "\"USD\",\"category\":\"bags\"}",
           "allow", misspelt);
    expect(e,
           EV("listing", "ty2", "2026-11-22T10:05:00Z") "\"listing\":\"TY2\",\"seller\":"
                                                        "\"newshop\",\"title\":\"Guchi leather "
                                                        "bag\",\"price\":1100,\"currency\":"
                                                        "\"USD\",\"category\":\"bags\"}",
           "review", misspelt);
    gn_engine_close(e);
}

/* A listing blocked only beside a removed photo banks none of its own (one
 * wrong takedown of a stock photo would otherwise spread shop to shop), and a
 * listing found genuine after its block is no evidence against others. */
static void test_removed_photos_neither_spread_nor_outlive_a_genuine_verdict(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.spread", db_path);
    gn_engine *e = open_engine_at(path);
    load_marketplace(e);
    char *d = NULL;
    feed(e,
         EV("listing", "sp1", "2026-11-22T10:00:00Z") "\"listing\":\"SP1\",\"seller\":\"s-old\","
                                                      "\"title\":\"replica watch 1:1 AAA "
                                                      "grade\",\"price\":20,\"currency\":\"USD\","
                                                      "\"images\":[{\"path\":\"" PDQ_IMAGES
                                                      "bridge-1-original.jpg\"}]}",
         &d);
    if (!strstr(d, "\"action\":\"block\"")) fail_msg("expected a block on lingo: %s", d);
    free(d);
    /* The removed photo and another, on a Gucci bag at 1% of its price: blocked. */
    const char *relisted[] = {"IMAGE_MATCHES_REMOVED", NULL};
    expect(
        e,
        EV("listing", "sp2", "2026-11-22T11:00:00Z") "\"listing\":\"SP2\",\"seller\":\"s-mid\","
                                                     "\"title\":\"Gucci bag\",\"price\":9,"
                                                     "\"currency\":\"USD\",\"category\":"
                                                     "\"bags\",\"images\":[{\"path\":\"" PDQ_IMAGES
                                                     "bridge-6-flipy.jpg\"},{\"path\":\"" PDQ_IMAGES
                                                     "q0291.jpg\"}]}",
        "block", relisted);
    /* Its other photo on a third shop's listing is no evidence. */
    feed(e,
         EV("listing", "sp3", "2026-11-22T12:00:00Z") "\"listing\":\"SP3\",\"seller\":\"s-3\","
                                                      "\"title\":\"Canvas bag\",\"price\":20,"
                                                      "\"currency\":\"USD\",\"images\":[{"
                                                      "\"path\":\"" PDQ_IMAGES "q0291.jpg\"}]}",
         &d);
    if (strstr(d, relisted[0])) fail_msg("a photo matched through the bank joined it: %s", d);
    free(d);
    /* SP1 found genuine: its photo no longer speaks. */
    feed(e,
         EV("verdict", "sp1v", "2026-11-22T13:00:00Z") "\"subject\":\"listing\",\"target\":"
                                                       "\"SP1\",\"outcome\":\"genuine\","
                                                       "\"reviewer\":\"r1\"}",
         NULL);
    feed(e,
         EV("listing", "sp4", "2026-11-22T14:00:00Z") "\"listing\":\"SP4\",\"seller\":\"s-4\","
                                                      "\"title\":\"Watch\",\"price\":20,"
                                                      "\"currency\":\"USD\",\"images\":[{"
                                                      "\"path\":\"" PDQ_IMAGES
                                                      "bridge-1-original.jpg\"}]}",
         &d);
    if (strstr(d, relisted[0])) fail_msg("a photo of a listing found genuine matched: %s", d);
    free(d);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decisions_and_reasons),
        cmocka_unit_test(test_usd_needs_no_rate),
        cmocka_unit_test(test_duplicates_and_rejections),
        cmocka_unit_test(test_restart_rebuilds_state),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_stolen_official_photo),
        cmocka_unit_test(test_pdq_meets_turned_official),
        cmocka_unit_test(test_flat_photos_match_nothing),
        cmocka_unit_test(test_relisted_removed_photo),
        cmocka_unit_test(test_price_block_banks_no_photo),
        cmocka_unit_test(test_engine_reads_no_photo),
        cmocka_unit_test(test_replay_reads_no_photo),
        cmocka_unit_test(test_typo_from_an_established_shop),
        cmocka_unit_test(test_removed_photos_neither_spread_nor_outlive_a_genuine_verdict),
    };
    return cmocka_run_group_tests_name("engine", tests, setup, NULL);
}
