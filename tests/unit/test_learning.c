/* Learning end to end: reviewers' verdicts label listings, gn_train learns a
 * model from them, later decisions carry the model version and reasons from
 * its contributions, and a restart brings the same model back from the log. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decide/learning.h"
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
            seller(e, id, s, s % 4 == 0 ? 0.9 - round % 2 * 0.001 : 0.1 + round % 2 * 0.001);
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
    if (!(r.auc > 0.95))
        fail_msg("%s\nAUC %.3f: the sellers' risk at decision time was lost", r.json, r.auc);
    gn_engine_close(e);
}

/* A listing of its own seller (no strikes pile up on a shared one), at day
 * `day`, whose platform signal `returns` is high or low. */
static char *listing_at(gn_engine *e, int i, int day, int high_returns, const char *title)
{
    char json[512];
    snprintf(json, sizeof json,
             "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-11-%02dT00:00:00Z\",\"listing\":"
             "\"L%d\",\"seller\":\"S%d\",\"title\":\"%s\",\"price\":%d,\"currency\":\"USD\","
             "\"signals\":{\"returns\":%.2f}}",
             i, day, i, i, title, 20 + i % 30,
             high_returns ? 0.6 + (i % 7) * 0.05 : (i % 7) * 0.03);
    return feed(e, json);
}

static void verdict_at(gn_engine *e, int i, int day, int fake)
{
    char json[300];
    snprintf(json, sizeof json,
             "{\"type\":\"verdict\",\"id\":\"v%d\",\"at\":\"2026-11-%02dT12:00:00Z\",\"subject\":"
             "\"listing\",\"target\":\"L%d\",\"outcome\":\"%s\",\"reviewer\":\"r1\"}",
             i, day, i, fake ? "counterfeit" : "genuine");
    free(feed(e, json));
}

/* The part of a decision from "score" to "reasons": what the scorer said. */
static void score_of(const char *decision, char *out, size_t size)
{
    const char *s = strstr(decision, "\"score\":");
    assert_non_null(s);
    size_t n = strcspn(s, ",");
    snprintf(out, size, "%.*s", (int)(n < size ? n : size - 1), s);
}

/* Model 1 learns that high returns mean counterfeit. Then a long stretch of
 * labels says the opposite and the most recent labels agree with model 1
 * again: the candidate, learnt mostly from the stretch, catches fewer of the
 * held-back counterfeits, so it stays in shadow: stored in the history, not
 * logged, and the decisions do not change, before or after a restart. */
static void test_worse_candidate_stays_in_shadow(void **state)
{
    char dir[] = "/tmp/genuine-test-learning-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    int i = 0;
    for (; i < 400; i++) {
        int fake = i % 4 == 0;
        free(listing_at(e, i, 1 + i / 100, fake, "Leather wallet"));
        verdict_at(e, i, 1 + i / 100, fake);
    }
    gn_train_report r;
    assert_int_equal(gn_train(e, &r, &err), 0);
    if (r.version != 1 || !r.promoted) fail_msg("model 1 should go live: %s", r.json);
    assert_non_null(strstr(r.json, "\"live_scorer\":{"));
    assert_non_null(strstr(r.json, "\"candidate\":{"));
    char *probe = listing_at(e, 5000, 8, 1, "Leather wallet");
    char before[64];
    score_of(probe, before, sizeof before);
    assert_non_null(strstr(probe, "\"model\":1"));
    free(probe);
    /* the stretch that says the opposite (days 10-19), then days 20-24 as before */
    for (; i < 1000; i++) {
        int fake = i % 4 == 0;
        free(listing_at(e, i, 10 + (i - 400) / 60, !fake, "Leather wallet"));
        verdict_at(e, i, 10 + (i - 400) / 60, fake);
    }
    for (; i < 1250; i++) {
        int fake = i % 4 == 0;
        free(listing_at(e, i, 20 + (i - 1000) / 50, fake, "Leather wallet"));
        verdict_at(e, i, 20 + (i - 1000) / 50, fake);
    }
    assert_int_equal(gn_train(e, &r, &err), 0);
    if (r.version != 2 || r.promoted || r.live_version != 1)
        fail_msg("model 2 should stay in shadow: %s", r.json);
    assert_non_null(strstr(r.json, "kept in shadow"));
    assert_non_null(strstr(r.json, "\"promoted\":false"));
    probe = listing_at(e, 5001, 25, 1, "Leather wallet");
    char after[64];
    score_of(probe, after, sizeof after);
    if (!strstr(probe, "\"model\":1") || strcmp(before, after) != 0)
        fail_msg("model 1 should still decide, alike: %s (before: %s)", probe, before);
    free(probe);
    char *metrics = gn_metrics_text(e);
    assert_non_null(strstr(metrics, "genuine_model_version{role=\"live\"} 1"));
    assert_non_null(strstr(metrics, "genuine_model_version{role=\"shadow\"} 2"));
    assert_non_null(strstr(metrics, "genuine_model_promoted 0"));
    free(metrics);
    char *history = gn_models_json(e, &err);
    assert_non_null(history);
    if (!strstr(history, "{\"version\":1,") || !strstr(history, "{\"version\":2,") ||
        !strstr(history, "\"promoted\":true") || !strstr(history, "\"promoted\":false"))
        fail_msg("history: %s", history);
    free(history);
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    /* the log has no model-2 event: a replay decides with model 1, and
     * /metrics still shows model 2 in shadow */
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    metrics = gn_metrics_text(e);
    assert_non_null(strstr(metrics, "genuine_model_version{role=\"live\"} 1"));
    assert_non_null(strstr(metrics, "genuine_model_version{role=\"shadow\"} 2"));
    free(metrics);
    probe = listing_at(e, 5002, 26, 1, "Leather wallet");
    score_of(probe, after, sizeof after);
    if (!strstr(probe, "\"model\":1") || strcmp(before, after) != 0)
        fail_msg("after a restart, model 1 should decide alike: %s (before: %s)", probe, before);
    free(probe);
    gn_engine_close(e);
}

/* Listings with counterfeit lingo that reviewers found genuine teach the
 * model that lingo says little; high returns are what it learns. A new
 * listing with lingo and low returns scores near 0 under the model, and the
 * floor still holds it for review, saying so first; its reasons name lingo
 * with what it moved, never as raising a score it lowered. */
static void test_floor_holds_lingo(void **state)
{
    char dir[] = "/tmp/genuine-test-learning-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    for (int i = 0; i < 400; i++) {
        int fake = i % 4 == 0, lingo = i % 4 == 1;
        free(listing_at(e, i, 1 + i / 50, fake,
                        lingo ? "Replica leather wallet" : "Leather wallet"));
        verdict_at(e, i, 1 + i / 50, fake);
    }
    gn_train_report r;
    assert_int_equal(gn_train(e, &r, &err), 0);
    if (!r.promoted) fail_msg("the model should go live: %s", r.json);
    char *d = listing_at(e, 6000, 20, 0, "Replica leather wallet");
    const char *score = strstr(d, "\"score\":");
    assert_non_null(score);
    double p = atof(score + 8);
    if (!(p < r.review_at) || !strstr(d, "\"model\":1"))
        fail_msg("the model should score it below review_at %.4f: %s", r.review_at, d);
    if (!strstr(d, "\"action\":\"review\"") ||
        !strstr(d, "\"reasons\":[{\"code\":\"EVIDENCE_FLOOR\"") ||
        !strstr(d, "floor.COUNTERFEIT_LINGO") || !strstr(d, "\"code\":\"COUNTERFEIT_LINGO\""))
        fail_msg("the floor should hold it for review, first reason: %s", d);
    /* lingo's weight is what its column moved: never above 0 when the score is low and lingo
       pushed it down */
    const char *lingo = strstr(d, "\"code\":\"COUNTERFEIT_LINGO\",\"weight\":");
    assert_non_null(lingo);
    assert_true(atof(lingo + strlen("\"code\":\"COUNTERFEIT_LINGO\",\"weight\":")) >= 0);
    free(d);
    gn_engine_close(e);
}

/* Straight on the learning: 1,000 live listings of which the audit labelled
 * one in ten, and 50 held listings all labelled by reviewers. An audit label
 * speaks for ten live listings, a review label for one: weights 10 to 1,
 * averaging 1. The thresholds: the candidate holds at most review.budget of
 * all decided listings (floors included), and blocks no held-back honest
 * listing (each weighs more than takedown.max_honest). */
static void test_label_weights_and_budget(void **state)
{
    gn_learning l;
    memset(&l, 0, sizeof l);
    uint64_t rng = 12345;
    enum { LIVE = 1000, HELD = 50, N = LIVE + HELD };
    static float bases[N][GN_FEATURES_BASE];
    for (uint32_t i = 0; i < N; i++) {
        float *base = bases[i];
        for (int c = 0; c < GN_FEATURES_BASE; c++)
            base[c] = 0;
        rng = rng * 6364136223846793005ull + 1442695040888963407ull;
        float u = (float)(rng >> 40) / (float)(1u << 24);
        int held = i >= LIVE;
        /* counterfeits have a strong price signal; the held ones more often */
        int fake = held ? i % 2 == 0 : i % 10 == 0;
        base[0] = fake ? 0.5f + u / 2 : u / 3;
        base[GN_FEATURES_SIGNALS + 3] = 10 + u * 300; /* account_age_days */
        assert_int_equal(gn_learning_snapshot(&l, i, i, base, NULL), 0);
        int floor = i % 200 == 7; /* five floored listings count against the budget */
        gn_learning_decided(&l, i, base[0], held ? GN_REVIEW : floor ? GN_REVIEW : GN_ALLOW, floor);
        if (held)
            gn_learning_label(&l, i, fake, GN_LABEL_REVIEW, GN_STRATUM_HELD, 1000 + i);
        else if (i % 10 == 3 || i % 10 == 0)
            gn_learning_label(&l, i, fake, GN_LABEL_AUDIT, GN_STRATUM_LIVE, 1000 + i);
    }
    gn_training_options o = {.review_budget = 0.02,
                             .max_honest = 0.001,
                             .policy_review_at = 0.5,
                             .policy_block_at = 0.85};
    for (int c = 0; c < GN_FEATURES_SIGNALS; c++)
        o.monotone[c] = 1;
    gn_training t;
    gn_error err;
    if (gn_learning_train(&l, &o, &t, &err)) fail_msg("%s", err.message);
    /* 200 audit labels of 995 live decisions (the floored five are held) */
    assert_int_equal(t.mix[GN_LABEL_AUDIT].labels, 200);
    assert_int_equal(t.mix[GN_LABEL_REVIEW].labels, 50);
    double live_rate = 200.0 / 995, held_rate = 1; /* 50 labels of 55 held: capped at 1 */
    assert_true(fabs(t.stratum_rate[GN_STRATUM_LIVE] - live_rate) < 1e-9);
    assert_true(fabs(t.stratum_rate[GN_STRATUM_HELD] - 50.0 / 55) < 1e-9);
    (void)held_rate;
    double w_audit = 1 / live_rate, w_review = 55.0 / 50;
    double scale = 250 / (200 * w_audit + 50 * w_review);
    if (fabs(t.mix[GN_LABEL_AUDIT].weight - 200 * w_audit * scale) > 1e-3 ||
        fabs(t.mix[GN_LABEL_REVIEW].weight - 50 * w_review * scale) > 1e-3)
        fail_msg("weights audit %.4f review %.4f, expected %.4f and %.4f",
                 t.mix[GN_LABEL_AUDIT].weight, t.mix[GN_LABEL_REVIEW].weight, 200 * w_audit * scale,
                 50 * w_review * scale);
    /* the budget, recomputed from the candidate's own scores */
    assert_true(t.block_at >= 0.5 && t.review_at <= t.block_at);
    size_t held = 0;
    for (uint32_t i = 0; i < N; i++) {
        float p;
        assert_int_equal(gn_model_predict(t.candidate, bases[i], &p, NULL, &err), 0);
        int floor = i % 200 == 7;
        held += p < t.block_at && (p >= t.review_at || floor);
    }
    if ((double)held / N > o.review_budget + 1e-12 || fabs((double)held / N - t.cand.held) > 1e-12)
        fail_msg("held %zu of %d (reported %.4f), budget %.3f", held, N, t.cand.held,
                 o.review_budget);
    /* no held-back honest listing is blocked: the most recent fifth */
    for (uint32_t i = 0; i < N; i++) {
        if (l.rows[i].label != 0 || l.rows[i].labelled_at < 1000 + 840) continue;
        float p;
        gn_model_predict(t.candidate, bases[i], &p, NULL, &err);
        if (p >= t.block_at && t.block_at < 1)
            fail_msg("held-back honest listing %u scores %.4f, block_at %.4f", i, p, t.block_at);
    }
    gn_model_free(t.candidate);
    gn_learning_free(&l);
}

/* A model learns that cheap plain listings were counterfeit: a fact (the
 * price level), not evidence. On a listing no detector raised anything on,
 * with no platform number, it may not hold: the listing goes live, its score
 * as the model gave it. With a platform number the model may. */
static void test_facts_alone_never_hold(void **state)
{
    char dir[] = "/tmp/genuine-test-learning-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db, sizeof db, "%s/g.db", dir);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    char json[512];
    for (int i = 0; i < 400; i++) {
        int fake = i % 4 == 0;
        snprintf(json, sizeof json,
                 "{\"type\":\"listing\",\"id\":\"l%d\",\"at\":\"2026-11-%02dT00:00:00Z\","
                 "\"listing\":\"L%d\",\"seller\":\"S%d\",\"title\":\"Canvas tote\",\"price\":%d,"
                 "\"currency\":\"USD\"}",
                 i, 1 + i / 100, i, i, fake ? 3 + i % 5 : 400 + i % 50);
        free(feed(e, json));
        verdict_at(e, i, 1 + i / 100, fake);
    }
    gn_train_report r;
    assert_int_equal(gn_train(e, &r, &err), 0);
    if (!r.promoted) fail_msg("the model should go live: %s", r.json);
    char *d = feed(e, "{\"type\":\"listing\",\"id\":\"probe\",\"at\":\"2026-11-08T00:00:00Z\","
                      "\"listing\":\"P1\",\"seller\":\"S-P\",\"title\":\"Canvas tote\","
                      "\"price\":4,\"currency\":\"USD\"}");
    const char *score = strstr(d, "\"score\":");
    assert_non_null(score);
    if (atof(score + 8) < 0.5 || !strstr(d, "\"action\":\"allow\""))
        fail_msg("a high score on facts alone, and the listing live: %s", d);
    free(d);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_learn_from_verdicts),
                                       cmocka_unit_test(test_seller_signals_as_decided),
                                       cmocka_unit_test(test_worse_candidate_stays_in_shadow),
                                       cmocka_unit_test(test_floor_holds_lingo),
                                       cmocka_unit_test(test_label_weights_and_budget),
                                       cmocka_unit_test(test_facts_alone_never_hold)};
    return cmocka_run_group_tests_name("learning", tests, NULL, NULL);
}
