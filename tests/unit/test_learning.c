/* Learning end to end: reviewers' verdicts label listings, gn_train learns a
 * model from them, later decisions carry the model version and reasons from
 * its contributions, and a restart brings the same model back from the log. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genuine.h"

static char db[96];

static char *feed(gn_engine *e, const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(e, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (res.outcome != GN_ACCEPTED)
        fail_msg("not accepted: %s: %s", json, res.error ? res.error : "duplicate");
    return res.decision_json ? strdup(res.decision_json) : NULL;
}

/* A listing whose platform signal `returns` says what it is: the model must
 * learn that, though genuine's own signals see nothing. */
static char *listing(gn_engine *e, int i, int fake)
{
    char json[512];
    snprintf(
        json, sizeof json,
        "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-11-0%dT00:00:00Z\",\"listing\":\"L%d\","
        "\"seller\":\"S%d\",\"title\":\"Leather wallet %d\",\"price\":%d,\"currency\":\"USD\","
        "\"signals\":{\"returns\":%.2f,\"views\":%d}}",
        i, 1 + i % 9, i, i % 40, i, 20 + i % 30, fake ? 0.6 + (i % 7) * 0.05 : (i % 7) * 0.03,
        100 + i * 13 % 500);
    return feed(e, json);
}

static void verdict(gn_engine *e, int i, int fake)
{
    char json[300];
    snprintf(json, sizeof json,
             "{\"type\":\"verdict\",\"id\":\"v%d\",\"at\":\"2026-11-10T00:00:00Z\",\"subject\":"
             "\"listing\","
             "\"target\":\"L%d\",\"outcome\":\"%s\",\"reviewer\":\"r1\"}",
             i, i, fake ? "counterfeit" : "genuine");
    free(feed(e, json));
}

static void test_learn_from_verdicts(void **state)
{
    char dir[] = "/tmp/genuine-test-learning-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    gn_train_report r;
    assert_int_equal(gn_train(e, &r, &err), GN_EINPUT); /* nothing to learn from yet */
    assert_non_null(strstr(err.message, "not enough labels"));
    for (int i = 0; i < 400; i++) {
        int fake = i % 4 == 0;
        free(listing(e, i, fake));
        verdict(e, i, fake);
    }
    assert_int_equal(gn_train(e, &r, &err), 0);
    assert_int_equal(r.version, 1);
    assert_int_equal(r.rows, 400);
    assert_int_equal(r.positives, 100);
    assert_true(r.auc > 0.95);
    char *d = listing(e, 1000, 1);
    if (!strstr(d, "\"model\":1") || !strstr(d, "PLATFORM_SIGNAL") || !strstr(d, "listing.returns"))
        fail_msg("a decision by model 1 with the platform's signal as the reason: %s", d);
    assert_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    d = listing(e, 1001, 0);
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    free(d);
    /* The counterfeit verdict took its listing down. */
    char *json = gn_listing_json(e, "L0", &err);
    assert_non_null(strstr(json, "\"status\":\"removed\""));
    assert_non_null(strstr(json, "VERDICT_COUNTERFEIT"));
    free(json);
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    d = listing(e, 1002, 1);
    assert_non_null(strstr(d, "\"model\":1"));
    free(d);
    gn_engine_close(e);
}

/* A seller's `signals` as they were when each listing was decided: sellers
 * who sold fakes said risk 0.9 then (restating it between listings), and all
 * say 0.5 by the time of training; the model must still learn from 0.9. */
static void seller(gn_engine *e, const char *id, int s, double risk)
{
    char json[300];
    snprintf(json, sizeof json,
             "{\"type\":\"seller\",\"id\":\"%s\",\"at\":\"2026-10-01T00:00:00Z\","
             "\"seller\":\"S%d\",\"name\":\"Shop %d\",\"signals\":{\"risk\":%.3f}}",
             id, s, s, risk);
    free(feed(e, json));
}

static void test_seller_signals_as_decided(void **state)
{
    char dir[] = "/tmp/genuine-test-learning-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    char id[32], json[512];
    for (int round = 0; round < 10; round++) {
        for (int s = 0; s < 40; s++) {
            snprintf(id, sizeof id, "s%d-%d", round, s);
            seller(e, id, s, s % 4 == 0 ? 0.9 - round * 0.001 : 0.1 + round * 0.001);
        }
        for (int i = round * 40; i < round * 40 + 40; i++) {
            snprintf(json, sizeof json,
                     "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-11-01T00:00:00Z\","
                     "\"listing\":\"L%d\",\"seller\":\"S%d\",\"title\":\"Leather wallet\","
                     "\"price\":30,\"currency\":\"USD\"}",
                     i, i, i % 40);
            free(feed(e, json));
            verdict(e, i, i % 40 % 4 == 0);
        }
    }
    for (int s = 0; s < 40; s++) {
        snprintf(id, sizeof id, "late-%d", s);
        seller(e, id, s, 0.5);
    }
    gn_train_report r;
    assert_int_equal(gn_train(e, &r, &err), 0);
    assert_int_equal(r.rows, 400);
    assert_int_equal(r.positives, 100);
    if (!(r.auc > 0.95)) fail_msg("AUC %.3f: the sellers' risk at decision time was lost", r.auc);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_learn_from_verdicts),
                                       cmocka_unit_test(test_seller_signals_as_decided)};
    return cmocka_run_group_tests_name("learning", tests, NULL, NULL);
}
