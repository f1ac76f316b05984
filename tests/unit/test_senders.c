/* Who sent an event (gn_ingest_from): the sender is logged with the event and
 * handed back on replay; a non-platform sender's ids are its own, its `at`
 * may not run past the server's clock by more than the skew, its events
 * never move the engine's clock or run deadlines, and none is dated before
 * the clock the log shows — live and after a replay. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "genuine.h"

static gn_engine *engine;
static char db[96];

static void open_engine(void)
{
    gn_engine_options o = {.db_path = db};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) fail_msg("open: %s", err.message);
}

static void reopen(void)
{
    gn_engine_close(engine);
    open_engine();
}

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-senders-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    open_engine();
    return 0;
}

static int teardown(void **state)
{
    gn_engine_close(engine);
    return 0;
}

static int64_t ms(const char *at)
{
    int64_t t;
    assert_int_equal(gn_time_parse(at, &t), 0);
    return t;
}

/* Feeds one event from a sender (role NULL: the platform) and commits;
 * returns the outcome, and the reason in *why when rejected. */
static gn_outcome send(const char *role, const char *account, const char *clock, const char *json,
                       char *why)
{
    gn_sender from = {role, account, clock ? ms(clock) : 0};
    gn_result res;
    gn_error err;
    if (gn_ingest_from(engine, role ? &from : NULL, json, strlen(json), &res, &err))
        fail_msg("ingest: %s", err.message);
    if (gn_commit(engine, &err)) fail_msg("commit: %s", err.message);
    if (why) snprintf(why, 600, "%s", res.error ? res.error : "");
    return res.outcome;
}

#define ACCEPTED(role, account, clock, json)                                                       \
    do {                                                                                           \
        char why_[600];                                                                            \
        if (send(role, account, clock, json, why_) != GN_ACCEPTED)                                 \
            fail_msg("not accepted: %s: %s", json, why_);                                          \
    } while (0)

static const char *const marketplace[] = {
    "{\"type\":\"brand\",\"id\":\"b1\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"B1\","
    "\"name\":\"Lumora\"}",
    "{\"type\":\"seller\",\"id\":\"s1\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"S1\","
    "\"name\":\"Shop one\"}",
    "{\"type\":\"seller\",\"id\":\"s2\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"S2\","
    "\"name\":\"Shop two\"}",
    "{\"type\":\"listing\",\"id\":\"l1\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"L1\","
    "\"seller\":\"S1\",\"title\":\"Lumora leather tote\",\"price\":500,\"currency\":\"USD\"}",
    "{\"type\":\"ip_right\",\"id\":\"r1\",\"at\":\"2026-11-01T00:00:00Z\",\"right\":\"TM1\","
    "\"brand\":\"B1\",\"kind\":\"trademark\",\"number\":\"EUTM 1\",\"holder\":\"H1\","
    "\"jurisdiction\":\"EU\",\"classes\":[\"18\"],\"valid_until\":\"2030-01-01T00:00:00Z\"}",
    "{\"type\":\"verdict\",\"id\":\"v1\",\"at\":\"2026-11-01T01:00:00Z\",\"subject\":\"right\","
    "\"target\":\"TM1\",\"outcome\":\"verified\",\"reviewer\":\"R1\"}",
};

static void load_marketplace(void)
{
    for (size_t i = 0; i < sizeof marketplace / sizeof *marketplace; i++)
        ACCEPTED(NULL, NULL, NULL, marketplace[i]);
}

/* The complaint's notice on L1 as "state/listing_status", e.g. "open/noticed". */
static void expect_notice(const char *state, const char *listing_status)
{
    gn_error err;
    char *json = gn_complaint_json(engine, "C1", NULL, &err);
    if (!json) fail_msg("complaint: %s", err.message);
    char want[120];
    snprintf(want, sizeof want, "\"state\":\"%s\"", state);
    if (!strstr(json, want)) fail_msg("want %s in %s", want, json);
    snprintf(want, sizeof want, "\"listing_status\":\"%s\"", listing_status);
    if (!strstr(json, want)) fail_msg("want %s in %s", want, json);
    free(json);
}

/* The sender of each logged event, as the store holds it. */
static void expect_logged(const char *id, const char *role, const char *account, int64_t received)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h,
                                        "SELECT sender_role, sender_account, received FROM events "
                                        "WHERE id = ?1 ORDER BY seq",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int found = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        const char *a = (const char *)sqlite3_column_text(st, 1);
        if ((role ? r && strcmp(r, role) == 0 : !r) &&
            (account ? a && strcmp(a, account) == 0 : !a) &&
            sqlite3_column_int64(st, 2) == received)
            found = 1;
    }
    sqlite3_finalize(st);
    sqlite3_close(h);
    if (!found) fail_msg("event %s from %s/%s not logged", id, role ? role : "platform", account);
}

static void test_sender_is_logged(void **state)
{
    load_marketplace();
    ACCEPTED("shopper", "U1", "2026-11-04T12:00:00Z",
             "{\"type\":\"report\",\"id\":\"p1\",\"at\":\"2026-11-04T12:00:00Z\",\"report\":\"P1\","
             "\"listing\":\"L1\",\"reporter\":\"U1\",\"reason\":\"fake\"}");
    ACCEPTED(
        "platform", "", "2026-11-04T12:00:00Z",
        "{\"type\":\"rate\",\"id\":\"t1\",\"at\":\"2026-11-04T12:00:00Z\",\"currency\":\"EUR\","
        "\"usd\":1.08}");
    gn_engine_close(engine); /* its writes checkpointed, for the reader below */
    engine = NULL;
    expect_logged("p1", "shopper", "U1", ms("2026-11-04T12:00:00Z"));
    expect_logged("t1", NULL, NULL, ms("2026-11-04T12:00:00Z"));
    expect_logged("l1", NULL, NULL, 0);
    open_engine();
}

/* Row 6: another principal's id never makes an event a duplicate. */
static void test_ids_are_scoped_per_principal(void **state)
{
    load_marketplace();
    const char *mine =
        "{\"type\":\"seller_attribute\",\"id\":\"v9\",\"at\":\"2026-11-03T00:00:00Z\","
        "\"seller\":\"S1\",\"kind\":\"email\",\"value\":\"a@s1.example\"}";
    const char *theirs = "{\"type\":\"seller_attribute\",\"id\":\"v9\",\"at\":"
                         "\"2026-11-03T00:00:00Z\",\"seller\":\"S2\",\"kind\":\"email\","
                         "\"value\":\"b@s2.example\"}";
    /* The platform's verdict a seller tried to pre-empt by using its id. */
    const char *verdict = "{\"type\":\"verdict\",\"id\":\"v9\",\"at\":\"2026-11-03T00:00:00Z\","
                          "\"subject\":\"listing\",\"target\":\"L1\",\"outcome\":\"counterfeit\","
                          "\"reviewer\":\"R1\"}";
    const char *clock = "2026-11-03T00:00:00Z";
    ACCEPTED("seller", "S1", clock, mine);
    ACCEPTED("seller", "S2", clock, theirs);
    assert_int_equal(send("seller", "S1", clock, mine, NULL), GN_DUPLICATE);
    ACCEPTED(NULL, NULL, NULL, verdict);
    assert_int_equal(send(NULL, NULL, NULL, verdict, NULL), GN_DUPLICATE);
    char *l1 = gn_listing_json(engine, "L1", &(gn_error){0});
    assert_non_null(strstr(l1, "\"status\":\"removed\""));
    free(l1);
    /* The same after a replay of the log. */
    reopen();
    assert_int_equal(send("seller", "S1", clock, mine, NULL), GN_DUPLICATE);
    assert_int_equal(send("seller", "S2", clock, theirs, NULL), GN_DUPLICATE);
    assert_int_equal(send(NULL, NULL, NULL, verdict, NULL), GN_DUPLICATE);
    assert_int_equal(send("platform", "", NULL, verdict, NULL), GN_DUPLICATE);
    ACCEPTED("seller", "S3", clock,
             "{\"type\":\"seller_attribute\",\"id\":\"v9\",\"at\":\"2026-11-03T00:00:00Z\","
             "\"seller\":\"S3\",\"kind\":\"email\",\"value\":\"c@s3.example\"}");
}

/* Row 2: `at` from a non-platform key may not run past the server's clock
 * by more than the skew, and never moves the clock or runs deadlines. */
static void test_at_of_others_moves_no_deadline(void **state)
{
    load_marketplace();
    const char *clock = "2026-11-04T00:00:00Z";
    ACCEPTED(
        "rights_holder", "H1", clock,
        "{\"type\":\"complaint\",\"id\":\"c1\",\"at\":\"2026-11-04T00:00:00Z\","
        "\"complaint\":\"C1\",\"rights_holder\":\"H1\",\"right\":\"TM1\",\"listings\":[\"L1\"]}");
    expect_notice("open", "noticed");
    char why[600];
    /* A shopper's report dated 2099: rejected, naming `at`. */
    assert_int_equal(send("shopper", "U1", clock,
                          "{\"type\":\"report\",\"id\":\"p1\",\"at\":\"2099-01-01T00:00:00Z\","
                          "\"report\":\"P1\",\"listing\":\"L1\",\"reporter\":\"U1\","
                          "\"reason\":\"fake\"}",
                          why),
                     GN_REJECTED);
    if (!strstr(why, "field 'at'")) fail_msg("the rejection names no field: %s", why);
    /* Within the skew: accepted. */
    ACCEPTED("shopper", "U1", clock,
             "{\"type\":\"report\",\"id\":\"p2\",\"at\":\"2026-11-04T00:04:59Z\",\"report\":\"P2\","
             "\"listing\":\"L1\",\"reporter\":\"U1\",\"reason\":\"fake\"}");
    /* A server without a clock of its own (clock 0) takes a shopper's time,
     * past the deadline, but it moves no deadline. */
    ACCEPTED("shopper", "U2", NULL,
             "{\"type\":\"report\",\"id\":\"p3\",\"at\":\"2026-11-20T00:00:00Z\",\"report\":\"P3\","
             "\"listing\":\"L1\",\"reporter\":\"U2\",\"reason\":\"fake\"}");
    /* Nor does a reviewer's or a seller's. */
    ACCEPTED("seller", "S2", "2026-11-20T00:00:00Z",
             "{\"type\":\"seller_attribute\",\"id\":\"a1\",\"at\":\"2026-11-20T00:00:00Z\","
             "\"seller\":\"S2\",\"kind\":\"email\",\"value\":\"b@s2.example\"}");
    expect_notice("open", "noticed");
    reopen();
    expect_notice("open", "noticed");
    /* The seller's in-time answer still counts. */
    ACCEPTED("seller", "S1", "2026-11-06T00:00:00Z",
             "{\"type\":\"counter_notice\",\"id\":\"cn1\",\"at\":\"2026-11-06T00:00:00Z\","
             "\"complaint\":\"C1\",\"listing\":\"L1\",\"seller\":\"S1\",\"statement\":\"ours\"}");
    expect_notice("contested", "held");
    /* The platform's events still move time; the answered notice stays. */
    ACCEPTED(
        NULL, NULL, NULL,
        "{\"type\":\"rate\",\"id\":\"t1\",\"at\":\"2026-11-08T00:00:00Z\",\"currency\":\"EUR\","
        "\"usd\":1.08}");
    expect_notice("contested", "held");
    reopen();
    expect_notice("contested", "held");
}

/* Without the counter-notice, the platform's later event closes the window. */
static void test_platform_time_still_closes_windows(void **state)
{
    load_marketplace();
    ACCEPTED(
        "rights_holder", "H1", "2026-11-04T00:00:00Z",
        "{\"type\":\"complaint\",\"id\":\"c1\",\"at\":\"2026-11-04T00:00:00Z\","
        "\"complaint\":\"C1\",\"rights_holder\":\"H1\",\"right\":\"TM1\",\"listings\":[\"L1\"]}");
    ACCEPTED(
        NULL, NULL, NULL,
        "{\"type\":\"rate\",\"id\":\"t1\",\"at\":\"2026-11-08T00:00:00Z\",\"currency\":\"EUR\","
        "\"usd\":1.08}");
    expect_notice("confirmed", "removed");
    char why[600];
    assert_int_equal(
        send("seller", "S1", "2026-11-08T00:00:00Z",
             "{\"type\":\"counter_notice\",\"id\":\"cn1\",\"at\":\"2026-11-08T00:00:00Z\","
             "\"complaint\":\"C1\",\"listing\":\"L1\",\"seller\":\"S1\",\"statement\":\"ours\"}",
             why),
        GN_REJECTED);
}

/* A rights holder's complaint dated before genuine's clock gets its whole
 * window from that clock: backdated past its deadline, it would otherwise
 * close at the platform's next event, before the seller could answer. */
static void test_backdated_complaint_gets_its_window(void **state)
{
    load_marketplace(); /* the platform's latest event: L1 at 2026-11-02 */
    ACCEPTED(
        "rights_holder", "H1", "2026-11-02T00:00:00Z",
        "{\"type\":\"complaint\",\"id\":\"c1\",\"at\":\"2026-10-01T00:00:00Z\","
        "\"complaint\":\"C1\",\"rights_holder\":\"H1\",\"right\":\"TM1\",\"listings\":[\"L1\"]}");
    gn_error err;
    char *json = gn_complaint_json(engine, "C1", NULL, &err);
    if (!strstr(json, "\"deadline\":\"2026-11-05T00:00:00")) fail_msg("%s", json);
    free(json);
    ACCEPTED(
        NULL, NULL, NULL,
        "{\"type\":\"rate\",\"id\":\"t1\",\"at\":\"2026-11-04T00:00:00Z\",\"currency\":\"EUR\","
        "\"usd\":1.08}");
    expect_notice("open", "noticed");
    reopen();
    expect_notice("open", "noticed");
    json = gn_complaint_json(engine, "C1", NULL, &err);
    if (!strstr(json, "\"deadline\":\"2026-11-05T00:00:00")) fail_msg("after a replay: %s", json);
    free(json);
    ACCEPTED("seller", "S1", "2026-11-04T12:00:00Z",
             "{\"type\":\"counter_notice\",\"id\":\"cn1\",\"at\":\"2026-11-04T12:00:00Z\","
             "\"complaint\":\"C1\",\"listing\":\"L1\",\"seller\":\"S1\",\"statement\":\"ours\"}");
    expect_notice("contested", "held");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sender_is_logged, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ids_are_scoped_per_principal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_at_of_others_moves_no_deadline, setup, teardown),
        cmocka_unit_test_setup_teardown(test_platform_time_still_closes_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backdated_complaint_gets_its_window, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
