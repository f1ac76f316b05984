/* The notice-and-takedown workflows through the engine: rights that cannot
 * back a complaint, the counter-notice window to the millisecond, deadlines
 * run by `advance` and by event time (and again by a replay), two rights
 * holders on one listing, the good-faith track and misuse, reports triage,
 * strikes up to a closed shop, appeals to another reviewer, verification. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genuine.h"

static gn_engine *engine;
static char db[96];
static int seq;

static void open_engine(void)
{
    gn_engine_options o = {.db_path = db};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) fail_msg("open: %s", err.message);
}

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-workflow-XXXXXX";
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

/* Feeds one event; returns NULL when accepted, else the reason (static). */
static const char *try_feed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *try_feed(const char *fmt, ...)
{
    static char why[600];
    char json[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(json, sizeof json, fmt, ap);
    va_end(ap);
    gn_result res;
    gn_error err;
    if (gn_ingest(engine, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (gn_commit(engine, &err)) fail_msg("commit: %s", err.message);
    if (res.outcome == GN_ACCEPTED) return NULL;
    snprintf(why, sizeof why, "%s", res.error ? res.error : "duplicate");
    return why;
}

#define FEED(...)                                                                                  \
    do {                                                                                           \
        const char *why_ = try_feed(__VA_ARGS__);                                                  \
        if (why_) fail_msg("refused: %s", why_);                                                   \
    } while (0)

static void brand(const char *id, const char *name)
{
    FEED("{\"type\":\"brand\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"%s\","
         "\"name\":\"%s\"}",
         ++seq, id, name);
}

static void seller(const char *id)
{
    FEED("{\"type\":\"seller\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"%s\","
         "\"name\":\"%s\"}",
         ++seq, id, id);
}

static void listing(const char *id, const char *seller_id, const char *title)
{
    FEED("{\"type\":\"listing\",\"id\":\"e%d\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"%s\","
         "\"seller\":\"%s\",\"title\":\"%s\",\"price\":500,\"currency\":\"USD\"}",
         ++seq, id, seller_id, title);
}

static void right(const char *id, const char *brand_id, const char *holder, const char *until)
{
    ++seq;
    FEED("{\"type\":\"ip_right\",\"id\":\"e%d\",\"at\":\"2026-11-01T00:00:00Z\",\"right\":\"%s\","
         "\"brand\":\"%s\",\"kind\":\"trademark\",\"number\":\"EUTM %d\",\"holder\":\"%s\","
         "\"jurisdiction\":\"EU\",\"classes\":[\"18\"],\"valid_until\":\"%s\"}",
         seq, id, brand_id, seq, holder, until);
}

static void verdict(const char *subject, const char *target, const char *outcome,
                    const char *reviewer, const char *at)
{
    FEED("{\"type\":\"verdict\",\"id\":\"e%d\",\"at\":\"%s\",\"subject\":\"%s\",\"target\":\"%s\","
         "\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
         ++seq, at, subject, target, outcome, reviewer);
}

static const char *complaint(const char *id, const char *holder, const char *right_id,
                             const char *listings, const char *at)
{
    return try_feed("{\"type\":\"complaint\",\"id\":\"e%d\",\"at\":\"%s\",\"complaint\":\"%s\","
                    "\"rights_holder\":\"%s\",\"right\":\"%s\",\"listings\":[%s]}",
                    ++seq, at, id, holder, right_id, listings);
}

static const char *counter(const char *complaint_id, const char *listing_id, const char *seller_id,
                           const char *at)
{
    return try_feed("{\"type\":\"counter_notice\",\"id\":\"e%d\",\"at\":\"%s\",\"complaint\":"
                    "\"%s\",\"listing\":\"%s\",\"seller\":\"%s\",\"statement\":\"ours\"}",
                    ++seq, at, complaint_id, listing_id, seller_id);
}

/* The marketplace most tests start from: brand Lumora held by H1 (right TM1,
 * verified), sellers S1 and S2, listings L1-L3 of S1 naming the brand. */
static void marketplace(void)
{
    brand("B1", "Lumora");
    brand("B2", "Corvex");
    seller("S1");
    seller("S2");
    listing("L1", "S1", "Lumora leather tote");
    listing("L2", "S1", "Lumora shoulder bag");
    listing("L3", "S1", "Lumora wallet");
    right("TM1", "B1", "H1", "2030-01-01T00:00:00Z");
    verdict("right", "TM1", "verified", "platform", "2026-11-01T01:00:00Z");
}

/* The listing's status as the store has it. */
static void assert_status(const char *listing_id, const char *status)
{
    gn_error err;
    char *json = gn_listing_json(engine, listing_id, &err);
    if (!json) fail_msg("%s: %s", listing_id, err.message);
    char want[64];
    snprintf(want, sizeof want, "\"status\":\"%s\"", status);
    if (!strstr(json, want)) fail_msg("%s: want %s in %s", listing_id, want, json);
    free(json);
}

static void assert_contains(char *json, const char *want)
{
    if (!json) fail_msg("no record");
    if (!strstr(json, want)) fail_msg("want %s in %s", want, json);
    free(json);
}

static void assert_refused(const char *why, const char *field)
{
    if (!why) fail_msg("accepted, expected a refusal naming %s", field);
    char want[64];
    snprintf(want, sizeof want, "field '%s'", field);
    if (!strstr(why, want)) fail_msg("want %s in: %s", want, why);
}

static size_t advance(const char *to)
{
    gn_advance_report r;
    gn_error err;
    if (gn_advance(engine, to, &r, &err)) fail_msg("advance: %s", err.message);
    return r.removed;
}

static void test_rights_that_cannot_back_a_complaint(void **state)
{
    marketplace();
    right("TM2", "B1", "H2", "2030-01-01T00:00:00Z"); /* not verified */
    assert_refused(complaint("C1", "H2", "TM2", "\"L1\"", "2026-11-04T00:00:00Z"), "right");
    verdict("right", "TM2", "rejected", "platform", "2026-11-04T01:00:00Z");
    const char *why = complaint("C1", "H2", "TM2", "\"L1\"", "2026-11-04T02:00:00Z");
    assert_refused(why, "right");
    assert_non_null(strstr(why, "rejected"));
    right("TM3", "B1", "H3", "2026-11-03T00:00:00Z");
    verdict("right", "TM3", "verified", "platform", "2026-11-01T01:00:00Z");
    why = complaint("C1", "H3", "TM3", "\"L1\"", "2026-11-04T00:00:00Z");
    assert_refused(why, "right");
    assert_non_null(strstr(why, "expired on 2026-11-03"));
    why = complaint("C1", "H2", "TM1", "\"L1\"", "2026-11-04T00:00:00Z");
    assert_refused(why, "right");
    assert_non_null(strstr(why, "held by 'H1'"));
    assert_refused(complaint("C1", "H1", "NOPE", "\"L1\"", "2026-11-04T00:00:00Z"), "right");
    /* each kind of right with the fields it needs */
    assert_refused(try_feed("{\"type\":\"ip_right\",\"id\":\"k1\",\"at\":\"2026-11-01T00:00:00Z\","
                            "\"right\":\"X\",\"brand\":\"B1\",\"kind\":\"trademark\",\"number\":"
                            "\"1\",\"holder\":\"H1\",\"jurisdiction\":\"EU\",\"valid_until\":"
                            "\"2030-01-01T00:00:00Z\"}"),
                   "classes");
    assert_refused(try_feed("{\"type\":\"ip_right\",\"id\":\"k2\",\"at\":\"2026-11-01T00:00:00Z\","
                            "\"right\":\"X\",\"brand\":\"B1\",\"kind\":\"copyright\",\"number\":"
                            "\"1\",\"holder\":\"H1\"}"),
                   "work");
    assert_refused(try_feed("{\"type\":\"ip_right\",\"id\":\"k3\",\"at\":\"2026-11-01T00:00:00Z\","
                            "\"right\":\"X\",\"brand\":\"B1\",\"kind\":\"design\",\"number\":"
                            "\"1\",\"holder\":\"H1\",\"right_type\":\"registered design\"}"),
                   "valid_until");
    assert_null(try_feed("{\"type\":\"ip_right\",\"id\":\"k4\",\"at\":\"2026-11-01T00:00:00Z\","
                         "\"right\":\"X\",\"brand\":\"B1\",\"kind\":\"patent\",\"number\":\"EP1\","
                         "\"holder\":\"H1\",\"right_type\":\"utility\",\"valid_until\":"
                         "\"2040-01-01T00:00:00Z\",\"documents\":[\"grant.pdf\"],"
                         "\"document_hashes\":[\"%064d\"]}",
                         0));
    gn_error err;
    assert_contains(gn_right_json(engine, "X", &err), "\"state\":\"registered\"");
    /* nothing refused touched a listing */
    assert_status("L1", "live");
}

static void test_window_to_the_millisecond(void **state)
{
    marketplace();
    assert_null(complaint("C1", "H1", "TM1", "\"L1\",\"L2\"", "2026-11-04T00:00:00Z"));
    assert_status("L1", "noticed");
    assert_status("L2", "noticed");
    /* an answer at the deadline itself is in time; a millisecond later is not */
    assert_null(counter("C1", "L1", "S1", "2026-11-07T00:00:00Z"));
    assert_refused(counter("C1", "L2", "S2", "2026-11-05T00:00:00Z"), "seller");
    assert_status("L1", "held");
    assert_int_equal(advance("2026-11-07T00:00:00Z"), 0); /* the window is still open */
    assert_status("L2", "noticed");
    /* the late answer is refused, and its time closes the window */
    assert_refused(counter("C1", "L2", "S1", "2026-11-07T00:00:00.001Z"), "at");
    assert_status("L2", "removed");
    assert_status("L1", "held");
    assert_int_equal(advance("2026-11-08T00:00:00Z"), 0);
    assert_refused(counter("C1", "L2", "S1", "2026-11-06T00:00:00Z"), "listing"); /* closed */
    gn_error err;
    char *c = gn_complaint_json(engine, "C1", NULL, &err);
    assert_non_null(strstr(c, "\"listing\":\"L1\",\"seller\":\"S1\",\"state\":\"contested\""));
    assert_non_null(strstr(c, "\"listing\":\"L2\",\"seller\":\"S1\",\"state\":\"confirmed\""));
    free(c);
    /* the seller sees its open notice; S2 none */
    assert_contains(gn_notices_json(engine, "S1", &err), "\"complaint\":\"C1\"");
    assert_contains(gn_notices_json(engine, "S2", &err), "\"notices\":[]");
}

static void test_event_time_runs_deadlines_and_replay_agrees(void **state)
{
    marketplace();
    assert_null(complaint("C1", "H1", "TM1", "\"L1\"", "2026-11-04T00:00:00Z"));
    /* no advance: a later event moves time past the deadline */
    FEED("{\"type\":\"rate\",\"id\":\"r1\",\"at\":\"2026-11-08T00:00:00Z\",\"currency\":\"EUR\","
         "\"usd\":1.1}");
    assert_status("L1", "removed");
    gn_error err;
    char *before = gn_complaint_json(engine, "C1", NULL, &err);
    char *seller_before = gn_seller_json(engine, "S1", 1, &err);
    gn_engine_close(engine);
    open_engine();
    char *after = gn_complaint_json(engine, "C1", NULL, &err);
    char *seller_after = gn_seller_json(engine, "S1", 1, &err);
    assert_string_equal(before, after);
    assert_string_equal(seller_before, seller_after);
    assert_non_null(strstr(after, "\"state\":\"confirmed\""));
    assert_non_null(strstr(seller_after, "\"strikes\":1"));
    free(before);
    free(after);
    free(seller_before);
    free(seller_after);
    /* a new version of a removed listing stays down */
    FEED("{\"type\":\"listing\",\"id\":\"e%d\",\"at\":\"2026-11-09T00:00:00Z\",\"listing\":\"L1\","
         "\"seller\":\"S1\",\"title\":\"Tote bag\",\"price\":500,\"currency\":\"USD\"}",
         ++seq);
    assert_status("L1", "removed");
}

static void test_two_holders_one_listing(void **state)
{
    marketplace();
    right("TM9", "B1", "H2", "2030-01-01T00:00:00Z");
    verdict("right", "TM9", "verified", "platform", "2026-11-01T01:00:00Z");
    assert_null(complaint("C1", "H1", "TM1", "\"L1\"", "2026-11-04T00:00:00Z"));
    assert_null(complaint("C2", "H2", "TM9", "\"L1\"", "2026-11-05T00:00:00Z"));
    /* S1 answers H2 only: H1's window closes first and takes the listing down */
    assert_null(counter("C2", "L1", "S1", "2026-11-06T00:00:00Z"));
    assert_status("L1", "held");
    assert_int_equal(advance("2026-11-09T00:00:00Z"), 1);
    assert_status("L1", "removed");
    gn_error err;
    assert_contains(gn_complaint_json(engine, "C2", NULL, &err), "\"state\":\"settled\"");
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"strikes\":1"); /* one listing */
    assert_contains(gn_filer_json(engine, "H2", &err), "\"confirmed\":1");
}

static void test_removed_and_uncovered_listings(void **state)
{
    marketplace();
    listing("L4", "S2", "Corvex watch");
    listing("L5", "S2", "Plain canvas tote");
    verdict("listing", "L3", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    assert_null(
        complaint("C1", "H1", "TM1", "\"L3\",\"L4\",\"L5\",\"L404\"", "2026-11-04T00:00:00Z"));
    gn_error err;
    char *c = gn_complaint_json(engine, "C1", NULL, &err);
    assert_non_null(
        strstr(c, "\"listing\":\"L3\",\"seller\":\"S1\",\"state\":\"already_removed\""));
    assert_non_null(strstr(c, "\"state\":\"not_covered\",\"why\":\"the listing is about B2"));
    /* A listing whose text names no brand is noticed like any other, with the
     * hint: the brand may be in its photos only. */
    assert_non_null(strstr(c, "\"listing\":\"L5\",\"seller\":\"S2\",\"state\":\"noticed\","
                              "\"why\":\"the listing's text does not name B1"));
    assert_non_null(strstr(c, "\"listing\":\"L404\",\"state\":\"unknown_listing\""));
    free(c);
    assert_status("L4", "live");
    assert_status("L5", "noticed");
    char *l5 = gn_listing_json(engine, "L5", &err);
    assert_non_null(strstr(l5, "(its text does not name B1)"));
    free(l5);
    /* Unanswered, its window closes like any other's. */
    assert_int_equal(advance("2026-11-30T00:00:00Z"), 1);
    assert_status("L5", "removed");
}

static void test_reviewer_decides_contested(void **state)
{
    marketplace();
    assert_null(complaint("C1", "H1", "TM1", "\"L1\",\"L2\"", "2026-11-04T00:00:00Z"));
    assert_refused(try_feed("{\"type\":\"verdict\",\"id\":\"v0\",\"at\":\"2026-11-04T01:00:00Z\","
                            "\"subject\":\"complaint\",\"target\":\"C1\",\"outcome\":\"upheld\","
                            "\"reviewer\":\"R1\"}"),
                   "target"); /* nothing contested yet */
    assert_null(counter("C1", "L1", "S1", "2026-11-05T00:00:00Z"));
    verdict("complaint", "C1", "rejected", "R1", "2026-11-06T00:00:00Z");
    assert_status("L1", "live");
    assert_status("L2", "noticed"); /* its own window still runs */
    gn_error err;
    assert_contains(gn_filer_json(engine, "H1", &err), "\"rejected\":1");
    assert_null(complaint("C2", "H1", "TM1", "\"L1\"", "2026-11-08T00:00:00Z"));
    assert_null(counter("C2", "L1", "S1", "2026-11-08T01:00:00Z"));
    verdict("complaint", "C2", "upheld", "R2", "2026-11-09T00:00:00Z");
    assert_status("L1", "removed");
}

static void test_good_faith_and_misuse(void **state)
{
    marketplace();
    char names[512] = "";
    for (int i = 0; i < 10; i++) {
        char id[16];
        snprintf(id, sizeof id, "T%d", i);
        listing(id, "S2", "Lumora bag");
        snprintf(names + strlen(names), sizeof names - strlen(names), "%s\"%s\"", i ? "," : "", id);
    }
    assert_null(complaint("C1", "H1", "TM1", names, "2026-11-04T00:00:00Z"));
    assert_int_equal(advance("2026-11-08T00:00:00Z"), 10);
    gn_error err;
    assert_contains(gn_filer_json(engine, "H1", &err), "\"standing\":\"trusted\"");
    /* trusted: down at once; the seller can still answer, and wins here */
    assert_null(complaint("C2", "H1", "TM1", "\"L1\"", "2026-11-09T00:00:00Z"));
    assert_status("L1", "removed");
    assert_null(counter("C2", "L1", "S1", "2026-11-10T00:00:00Z"));
    assert_status("L1", "held");
    verdict("complaint", "C2", "rejected", "R1", "2026-11-11T00:00:00Z");
    assert_status("L1", "live");

    /* H2 files five notices, all rejected: suspended from filing (S2 is
     * closed by now, ten strikes: S3's listings are named) */
    seller("S3");
    right("TM2", "B1", "H2", "2030-01-01T00:00:00Z");
    verdict("right", "TM2", "verified", "platform", "2026-11-01T01:00:00Z");
    for (int i = 0; i < 5; i++) {
        char id[16], c[16];
        snprintf(id, sizeof id, "M%d", i);
        snprintf(c, sizeof c, "X%d", i);
        listing(id, "S3", "Lumora scarf");
        char quoted[24];
        snprintf(quoted, sizeof quoted, "\"%s\"", id);
        assert_null(complaint(c, "H2", "TM2", quoted, "2026-11-12T00:00:00Z"));
        assert_null(counter(c, id, "S3", "2026-11-12T01:00:00Z"));
        verdict("complaint", c, "rejected", "R1", "2026-11-12T02:00:00Z");
    }
    const char *why = complaint("X9", "H2", "TM2", "\"L2\"", "2026-11-13T00:00:00Z");
    assert_refused(why, "rights_holder");
    assert_non_null(strstr(why, "suspended"));
    assert_contains(gn_filer_json(engine, "H2", &err), "\"standing\":\"suspended\"");
}

static void report(const char *id, const char *listing_id, const char *reporter)
{
    FEED("{\"type\":\"report\",\"id\":\"e%d\",\"at\":\"2026-11-05T00:00:00Z\",\"report\":\"%s\","
         "\"listing\":\"%s\",\"reporter\":\"%s\",\"reason\":\"counterfeit\"}",
         ++seq, id, listing_id, reporter);
}

static void test_reports_triage(void **state)
{
    marketplace();
    report("P1", "L1", "U1");
    report("P2", "L2", "U1");
    report("P3", "L2", "U2"); /* two reports on L2 add up */
    assert_refused(try_feed("{\"type\":\"report\",\"id\":\"p9\",\"at\":\"2026-11-05T00:00:00Z\","
                            "\"report\":\"P9\",\"listing\":\"NOPE\",\"reporter\":\"U1\","
                            "\"reason\":\"fake\"}"),
                   "listing");
    gn_error err;
    char *q = gn_reports_json(engine, 10, &err);
    char *l2 = strstr(q, "\"listing\":\"L2\""), *l1 = strstr(q, "\"listing\":\"L1\"");
    assert_true(l2 && l1 && l2 < l1);
    free(q);
    verdict("report", "P2", "upheld", "R1", "2026-11-06T00:00:00Z");
    assert_status("L2", "removed");
    assert_contains(gn_filer_json(engine, "U2", &err), "\"confirmed\":1"); /* P3 settled too */
    verdict("report", "P1", "rejected", "R1", "2026-11-06T00:00:00Z");
    /* U1: one right, one wrong; its next report now weighs (1+1)/(2+2) */
    report("P4", "L3", "U1");
    assert_contains(gn_reports_json(engine, 10, &err), "\"reporter_weight\":0.5");
    assert_refused(try_feed("{\"type\":\"verdict\",\"id\":\"v9\",\"at\":\"2026-11-07T00:00:00Z\","
                            "\"subject\":\"report\",\"target\":\"P1\",\"outcome\":\"upheld\","
                            "\"reviewer\":\"R1\"}"),
                   "target"); /* decided already */
}

static void test_strikes_suspend_then_close(void **state)
{
    marketplace();
    FEED("{\"type\":\"session\",\"id\":\"s1\",\"at\":\"2026-11-01T00:00:00Z\",\"account\":\"S1\","
         "\"device\":\"dev-42\"}");
    FEED("{\"type\":\"session\",\"id\":\"s2\",\"at\":\"2026-11-01T00:00:00Z\",\"account\":\"S9\","
         "\"device\":\"dev-42\"}");
    listing("Z1", "S9", "Canvas tote");
    listing("L4", "S1", "Lumora belt");
    listing("L5", "S1", "Lumora card case");
    verdict("listing", "L1", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    gn_error err;
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"enforcement\":\"warned\"");
    verdict("listing", "L1", "counterfeit", "R1", "2026-11-03T00:00:00Z"); /* same listing */
    verdict("listing", "L2", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    verdict("listing", "L3", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"strikes\":3");
    listing("L6", "S1", "Plain canvas tote");
    char *l6 = gn_listing_json(engine, "L6", &err);
    assert_non_null(strstr(l6, "SELLER_SUSPENDED"));
    assert_non_null(strstr(l6, "\"status\":\"blocked\""));
    free(l6);
    verdict("listing", "L4", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    verdict("listing", "L5", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"enforcement\":\"closed\"");
    /* the closed shop's linked account is decided again at once */
    assert_contains(gn_listing_json(engine, "Z1", &err), "SELLER_LINKED_TO_BANNED");
}

static void test_appeal_goes_to_another_reviewer(void **state)
{
    marketplace();
    verdict("listing", "L1", "counterfeit", "R1", "2026-11-03T00:00:00Z");
    assert_refused(try_feed("{\"type\":\"appeal\",\"id\":\"a0\",\"at\":\"2026-11-04T00:00:00Z\","
                            "\"appeal\":\"A0\",\"seller\":\"S2\",\"target\":\"L1\","
                            "\"statement\":\"x\"}"),
                   "target"); /* not its listing */
    assert_refused(try_feed("{\"type\":\"appeal\",\"id\":\"a1\",\"at\":\"2026-11-04T00:00:00Z\","
                            "\"appeal\":\"A1\",\"seller\":\"S1\",\"target\":\"L2\","
                            "\"statement\":\"x\"}"),
                   "target"); /* live: nothing to appeal */
    FEED("{\"type\":\"appeal\",\"id\":\"a2\",\"at\":\"2026-11-04T00:00:00Z\",\"appeal\":\"A2\","
         "\"seller\":\"S1\",\"target\":\"L1\",\"statement\":\"an invoice from Lumora\"}");
    const char *why =
        try_feed("{\"type\":\"verdict\",\"id\":\"v1\",\"at\":\"2026-11-05T00:00:00Z\","
                 "\"subject\":\"appeal\",\"target\":\"A2\",\"outcome\":\"upheld\","
                 "\"reviewer\":\"R1\"}");
    assert_refused(why, "reviewer");
    verdict("appeal", "A2", "upheld", "R2", "2026-11-05T00:00:00Z");
    assert_status("L1", "live");
    gn_error err;
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"strikes\":0");
    assert_contains(gn_appeal_json(engine, "A2", &err), "\"decided_by\":\"R1\"");
}

static void test_verification_state_machine(void **state)
{
    marketplace();
    gn_error err;
    /* The platform's own KYC ran elsewhere: its word needs no submission here. */
    FEED("{\"type\":\"seller_verification\",\"id\":\"sv0\",\"at\":\"2026-11-03T00:00:00Z\","
         "\"seller\":\"S2\",\"status\":\"verified\"}");
    assert_contains(gn_seller_json(engine, "S2", 1, &err), "\"verification\":\"verified\"");
    FEED("{\"type\":\"seller_verification\",\"id\":\"sv00\",\"at\":\"2026-11-03T00:00:00Z\","
         "\"seller\":\"S3\",\"status\":\"rejected\"}");
    assert_contains(gn_seller_json(engine, "S3", 1, &err), "\"verification\":\"rejected\"");
    FEED("{\"type\":\"seller_verification\",\"id\":\"sv1\",\"at\":\"2026-11-03T00:00:00Z\","
         "\"seller\":\"S1\",\"status\":\"submitted\",\"documents\":[{\"kind\":\"business_licence\","
         "\"number\":\"91310000\",\"issuer\":\"SAMR\"}]}");
    assert_contains(gn_seller_json(engine, "S1", 1, &err), "\"verification\":\"submitted\"");
    FEED("{\"type\":\"seller_verification\",\"id\":\"sv2\",\"at\":\"2026-11-04T00:00:00Z\","
         "\"seller\":\"S1\",\"status\":\"verified\"}");
    char *s = gn_seller_json(engine, "S1", 1, &err);
    assert_non_null(strstr(s, "\"verification\":\"verified\""));
    assert_non_null(strstr(s, "\"business_licence\""));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_rights_that_cannot_back_a_complaint, setup, teardown),
        cmocka_unit_test_setup_teardown(test_window_to_the_millisecond, setup, teardown),
        cmocka_unit_test_setup_teardown(test_event_time_runs_deadlines_and_replay_agrees, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_two_holders_one_listing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_and_uncovered_listings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reviewer_decides_contested, setup, teardown),
        cmocka_unit_test_setup_teardown(test_good_faith_and_misuse, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reports_triage, setup, teardown),
        cmocka_unit_test_setup_teardown(test_strikes_suspend_then_close, setup, teardown),
        cmocka_unit_test_setup_teardown(test_appeal_goes_to_another_reviewer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_verification_state_machine, setup, teardown),
    };
    return cmocka_run_group_tests_name("workflow", tests, NULL, NULL);
}
