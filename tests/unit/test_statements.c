/* The DSA reads on a real SQLite file: statements of reasons say who decided
 * (genuine alone or a person), on what ground and from what source; the
 * transparency report counts them by period; the audit export merges the
 * audit log with the listings' changes. Workflow changes the lead's code will
 * write (notices, suspensions) are put in the store directly. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/json.h"
#include "engine/inspect.h"
#include "genuine.h"

static char db_path[64];

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-statements-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/g.db", dir);
    return 0;
}

static gn_engine *open_engine(int read_only)
{
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = db_path, .read_only = read_only};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open: %s", err.message);
    return e;
}

static void feed(gn_engine *e, const char *json, const char *want_action)
{
    gn_result res;
    gn_error err = {0};
    if (gn_ingest(e, json, strlen(json), &res, &err)) fail_msg("ingest: %s", err.message);
    if (res.outcome != GN_ACCEPTED) fail_msg("not accepted: %s (%s)", json, res.error);
    if (want_action) {
        char want[64];
        snprintf(want, sizeof want, "\"action\":\"%s\"", want_action);
        if (!strstr(res.decision_json, want))
            fail_msg("expected %s, got %s", want_action, res.decision_json);
    }
}

#define EV(type, id, at) "{\"type\":\"" type "\",\"id\":\"" id "\",\"at\":\"" at "\","

/* A workflow's change of a listing, as the lead's code records it. */
static void workflow_decision(gn_engine *e, const char *listing, const char *at, const char *action,
                              const char *code, const char *actor)
{
    char reasons[256];
    snprintf(reasons, sizeof reasons, "[{\"code\":\"%s\",\"weight\":1,\"detail\":\"%s by %s\"}]",
             code, code, actor);
    gn_decision_record d = {.listing = listing,
                            .seller = "boutique",
                            .event_id = "wf",
                            .at = at,
                            .status = strcmp(action, "block") == 0 ? "removed" : "live",
                            .action = action,
                            .score = 1,
                            .reasons = reasons,
                            .actor = actor};
    gn_error err = {0};
    if (gn_engine_store(e)->ops->set_status(gn_engine_store(e), &d, &err))
        fail_msg("set_status: %s", err.message);
}

static void audit(gn_engine *e, const char *at, const char *actor, const char *record,
                  const char *record_id, const char *change, int automated)
{
    gn_audit_record a = {.at = at,
                         .actor = actor,
                         .record = record,
                         .record_id = record_id,
                         .change = change,
                         .detail = "three confirmed counterfeits",
                         .event = "wf",
                         .automated = automated};
    gn_error err = {0};
    if (gn_engine_store(e)->ops->append_audit(gn_engine_store(e), &a, &err))
        fail_msg("audit: %s", err.message);
}

/* L2 blocked by genuine; L3 held, then found counterfeit by a reviewer; L1
 * removed when a notice went unanswered; L4 removed at once on a trusted
 * flagger's notice, restored on appeal; a seller suspended then reinstated,
 * another banned. */
static void load(void)
{
    gn_engine *e = open_engine(0);
    feed(e, EV("rate", "r1", "2026-01-01T00:00:00Z") "\"currency\":\"USD\",\"usd\":1}", NULL);
    feed(e,
         EV("brand", "b1", "2026-01-01T00:00:00Z") "\"brand\":\"gucci\",\"name\":\"Gucci\","
                                                   "\"reference_prices\":[{\"category\":\"bags\","
                                                   "\"price\":1150,\"currency\":\"USD\"}]}",
         NULL);
    feed(e,
         EV("seller", "s1", "2025-01-01T00:00:00Z") "\"seller\":\"boutique\",\"name\":\"B\","
                                                    "\"template\":\"custom\"}",
         NULL);
    feed(e,
         EV("seller_verification", "s1s",
            "2025-01-01T12:00:00Z") "\"seller\":\"boutique\",\"status\":\"submitted\"}",
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
         EV("listing", "l1", "2026-11-16T10:00:00Z") "\"listing\":\"L1\",\"seller\":\"boutique\","
                                                     "\"title\":\"Gucci GG Marmont shoulder bag\","
                                                     "\"price\":1090,\"currency\":\"USD\","
                                                     "\"category\":\"bags\"}",
         "allow");
    feed(e,
         EV("listing", "l2", "2026-11-22T10:00:00Z") "\"listing\":\"L2\",\"seller\":\"newshop\","
                                                     "\"title\":\"Gucci Marmont bag replica "
                                                     "1:1\",\"price\":45,\"currency\":\"USD\","
                                                     "\"category\":\"bags\"}",
         "block");
    feed(e,
         EV("listing", "l3", "2026-11-22T11:00:00Z") "\"listing\":\"L3\",\"seller\":\"boutique\","
                                                     "\"title\":\"Gucci bag\",\"price\":60,"
                                                     "\"currency\":\"USD\",\"category\":\"bags\"}",
         "review");
    feed(e,
         EV("listing", "l4", "2026-11-16T10:00:00Z") "\"listing\":\"L4\",\"seller\":\"boutique\","
                                                     "\"title\":\"Gucci GG Marmont shoulder bag\","
                                                     "\"price\":1100,\"currency\":\"USD\","
                                                     "\"category\":\"bags\"}",
         "allow");
    feed(e,
         EV("verdict", "v1", "2026-11-23T09:00:00Z") "\"subject\":\"listing\",\"target\":\"L3\","
                                                     "\"outcome\":\"counterfeit\","
                                                     "\"reviewer\":\"R1\"}",
         NULL);
    gn_error err = {0};
    assert_int_equal(gn_commit(e, &err), 0);

    assert_int_equal(gn_engine_store(e)->ops->begin(gn_engine_store(e), &err), 0);
    audit(e, "2026-11-19T10:00:00Z", "H1", "notice", "C1/L1", "opened", 0);
    audit(e, "2026-11-22T10:00:00Z", "deadline", "notice", "C1/L1", "confirmed", 1);
    workflow_decision(e, "L1", "2026-11-22T10:00:00Z", "block", "COMPLAINT_UNANSWERED", "deadline");
    audit(e, "2026-11-20T08:00:00Z", "H1", "notice", "C2/L4", "opened", 1);
    audit(e, "2026-11-20T08:00:00Z", "H1", "notice", "C2/L4", "confirmed", 1);
    workflow_decision(e, "L4", "2026-11-20T08:00:00Z", "block", "COMPLAINT_TRUSTED_FLAGGER", "H1");
    workflow_decision(e, "L4", "2026-11-25T08:00:00Z", "allow", "APPEAL_UPHELD", "R3");
    audit(e, "2026-11-23T12:00:00Z", "enforcement", "seller", "newshop", "suspended", 1);
    audit(e, "2026-11-30T12:00:00Z", "R4", "seller", "newshop", "reinstated", 0);
    audit(e, "2026-12-01T12:00:00Z", "R2", "seller", "boutique", "banned", 0);
    assert_int_equal(gn_engine_store(e)->ops->commit(gn_engine_store(e), &err), 0);
    gn_engine_close(e);
}

/* Everything a writer prints, as one NUL-terminated text (caller frees). */
typedef int (*writer_fn)(gn_engine *e, FILE *out, void *arg, gn_error *err);

static char *capture(gn_engine *e, writer_fn fn, void *arg, int *rc, gn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    assert_non_null(out);
    *rc = fn(e, out, arg, err);
    fclose(out);
    return text;
}

static int statements_since(gn_engine *e, FILE *out, void *since, gn_error *err)
{
    return gn_statements_write(e, out, since, err);
}

/* The line whose text holds needle, parsed; NULL when none does. */
static const gn_json *find_line(gn_json_doc *doc, const char *text, const char *needle)
{
    const char *hit = strstr(text, needle);
    if (!hit) return NULL;
    const char *start = hit;
    while (start > text && start[-1] != '\n')
        start--;
    const char *end = strchr(hit, '\n');
    gn_error err = {0};
    const gn_json *root = gn_json_parse(doc, start, (size_t)(end - start), &err);
    if (!root) fail_msg("not JSON (%s): %.*s", err.message, (int)(end - start), start);
    return root;
}

static void expect_field(const gn_json *statement, const char *key, const char *want)
{
    const gn_json *v = gn_json_get(statement, key);
    const char *got = gn_json_string(v, NULL);
    if (!want) {
        if (gn_json_typeof(v) != GN_JSON_NULL) fail_msg("%s: expected null", key);
        return;
    }
    if (!got || strcmp(got, want) != 0)
        fail_msg("%s: expected %s, got %s", key, want, got ? got : gn_json_type_name(v));
}

static size_t count_lines(const char *text)
{
    size_t n = 0;
    for (; *text; text++)
        n += *text == '\n';
    return n;
}

static void test_statements(void **state)
{
    load();
    gn_engine *e = open_engine(1);
    gn_error err = {0};
    int rc;
    char *text = capture(e, statements_since, NULL, &rc, &err);
    if (rc) fail_msg("statements: %s", err.message);
    assert_int_equal(count_lines(text), 6);
    gn_json_doc doc;
    gn_json_doc_init(&doc);

    /* Blocked by genuine before going live: automated throughout, own initiative. */
    const gn_json *s = find_line(&doc, text, "\"record\":\"listing\",\"id\":\"L2\"");
    assert_non_null(s);
    assert_non_null(strstr(gn_json_string(gn_json_get(s, "id"), NULL), "sor-"));
    expect_field(s, "automated_detection", "Yes");
    expect_field(s, "automated_decision", "AUTOMATED_DECISION_FULLY");
    expect_field(s, "source_type", "SOURCE_VOLUNTARY");
    expect_field(s, "decision_ground", "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    expect_field(s, "illegal_content_legal_ground", NULL);
    expect_field(s, "category", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS");
    expect_field(s, "application_date", "2026-11-22");
    assert_string_equal(gn_json_string(gn_json_at(gn_json_get(s, "decision_visibility"), 0), NULL),
                        "DECISION_VISIBILITY_CONTENT_DISABLED");
    const char *facts = gn_json_string(gn_json_get(s, "decision_facts"), NULL);
    assert_non_null(strstr(facts, "COUNTERFEIT_LINGO"));
    assert_non_null(gn_json_get(gn_json_get(s, "redress"), "internal_complaint"));
    assert_int_equal(gn_json_size(gn_json_get(s, "territorial_scope")), 30);

    /* Held by genuine, found counterfeit by a reviewer: a human decision on
     * automatically detected content, on the ground of illegal content. */
    s = find_line(&doc, text, "\"record\":\"listing\",\"id\":\"L3\"");
    assert_non_null(s);
    expect_field(s, "automated_detection", "Yes");
    expect_field(s, "automated_decision", "AUTOMATED_DECISION_NOT_AUTOMATED");
    expect_field(s, "decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT");
    expect_field(s, "source_type", "SOURCE_VOLUNTARY");
    assert_non_null(gn_json_string(gn_json_get(s, "illegal_content_legal_ground"), NULL));
    assert_string_equal(gn_json_string(gn_json_at(gn_json_get(s, "decision_visibility"), 0), NULL),
                        "DECISION_VISIBILITY_CONTENT_REMOVED");

    /* A notice (Art. 16) left unanswered: removed automatically when the window closed. */
    s = find_line(&doc, text, "\"record\":\"listing\",\"id\":\"L1\"");
    assert_non_null(s);
    expect_field(s, "source_type", "SOURCE_ARTICLE_16");
    expect_field(s, "automated_detection", "No");
    expect_field(s, "automated_decision", "AUTOMATED_DECISION_FULLY");
    expect_field(s, "decision_ground", "DECISION_GROUND_ILLEGAL_CONTENT");
    expect_field(s, "content_date", "2026-11-16");
    expect_field(s, "end_date_visibility_restriction", NULL);

    /* A trusted flagger's notice, later reversed on appeal: the restriction ended. */
    s = find_line(&doc, text, "\"record\":\"listing\",\"id\":\"L4\"");
    assert_non_null(s);
    expect_field(s, "source_type", "SOURCE_TRUSTED_FLAGGER");
    expect_field(s, "source_identity", "H1");
    expect_field(s, "end_date_visibility_restriction", "2026-11-25");

    /* Sellers: suspended automatically (then reinstated), banned by a reviewer. */
    s = find_line(&doc, text, "\"record\":\"seller\",\"id\":\"newshop\"");
    assert_non_null(s);
    assert_non_null(strstr(gn_json_string(gn_json_get(s, "id"), NULL), "sor-audit-"));
    expect_field(s, "decision_account", "DECISION_ACCOUNT_SUSPENDED");
    expect_field(s, "automated_decision", "AUTOMATED_DECISION_FULLY");
    expect_field(s, "end_date_account_restriction", "2026-11-30");
    s = find_line(&doc, text, "\"record\":\"seller\",\"id\":\"boutique\"");
    assert_non_null(s);
    expect_field(s, "decision_account", "DECISION_ACCOUNT_TERMINATED");
    expect_field(s, "automated_decision", "AUTOMATED_DECISION_NOT_AUTOMATED");
    expect_field(s, "automated_detection", "No");
    free(text);

    /* since keeps the later ones; a bad since is refused, naming it. */
    text = capture(e, statements_since, "2026-11-23T00:00:00+01:00", &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(text), 3); /* L3's verdict and both sellers */
    free(text);
    text = capture(e, statements_since, "last tuesday", &rc, &err);
    assert_int_equal(rc, GN_EINPUT);
    assert_non_null(strstr(err.message, "since"));
    assert_non_null(strstr(err.message, "last tuesday"));
    free(text);
    gn_json_doc_free(&doc);
    gn_engine_close(e);
}

static void test_transparency(void **state)
{
    gn_engine *e = open_engine(1);
    gn_error err = {0};
    char *json = gn_transparency_json(e, "week", &err);
    if (!json) fail_msg("transparency: %s", err.message);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const gn_json *r = gn_json_parse(&doc, json, strlen(json), &err);
    assert_non_null(r);
    const gn_json *totals = gn_json_get(r, "totals");
    assert_int_equal(
        gn_json_number(gn_json_get(gn_json_get(totals, "removals"), "reviewer_verdict")), 1);
    assert_int_equal(
        gn_json_number(gn_json_get(gn_json_get(totals, "removals"), "notice_unanswered")), 1);
    assert_int_equal(
        gn_json_number(gn_json_get(gn_json_get(totals, "removals"), "trusted_flagger")), 1);
    assert_int_equal(gn_json_number(gn_json_get(totals, "blocked_by_genuine")), 1);
    assert_int_equal(gn_json_number(gn_json_get(gn_json_get(totals, "notices"), "received")), 2);
    assert_int_equal(gn_json_number(gn_json_get(gn_json_get(totals, "sellers"), "suspended")), 1);
    assert_int_equal(gn_json_number(gn_json_get(gn_json_get(totals, "sellers"), "banned")), 1);
    /* Two notices acted on after 72 and 0 hours. */
    assert_true(gn_json_number(gn_json_get(totals, "median_hours_notice_to_action")) == 36.0);
    /* Weeks start on Monday: the verification of 2025-01-01 (a Wednesday) is
     * in the week of 2024-12-30, then 2026-11-16, -23, -30. */
    const gn_json *periods = gn_json_get(r, "periods");
    assert_int_equal(gn_json_size(periods), 4);
    assert_string_equal(gn_json_string(gn_json_get(gn_json_at(periods, 0), "start"), NULL),
                        "2024-12-30");
    assert_string_equal(gn_json_string(gn_json_get(gn_json_at(periods, 1), "start"), NULL),
                        "2026-11-16");
    free(json);
    json = gn_transparency_json(e, "month", &err);
    assert_non_null(json);
    assert_non_null(strstr(json, "\"start\":\"2026-11\""));
    free(json);
    assert_null(gn_transparency_json(e, "fortnight", &err));
    assert_int_equal(err.code, GN_EINPUT);
    assert_non_null(strstr(err.message, "period"));
    gn_json_doc_free(&doc);
    gn_engine_close(e);
}

struct audit_args {
    const char *record, *id;
};

static int audit_of(gn_engine *e, FILE *out, void *arg, gn_error *err)
{
    struct audit_args *a = arg;
    return gn_audit_write(e, out, a->record, a->id, err);
}

static void test_audit(void **state)
{
    gn_engine *e = open_engine(1);
    gn_error err = {0};
    int rc;
    struct audit_args all = {NULL, NULL};
    char *text = capture(e, audit_of, &all, &rc, &err);
    if (rc) fail_msg("audit: %s", err.message);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    /* The reviewer's verdict is a human change; genuine's block is not. */
    const gn_json *line = find_line(&doc, text, "VERDICT_COUNTERFEIT");
    assert_non_null(line);
    assert_int_equal(gn_json_typeof(gn_json_get(line, "automated")), GN_JSON_FALSE);
    expect_field(line, "record_id", "L3");
    expect_field(line, "change", "block");
    line = find_line(&doc, text, "\"record_id\":\"L2\"");
    assert_int_equal(gn_json_typeof(gn_json_get(line, "automated")), GN_JSON_TRUE);
    /* In time order: the first line is the earliest change. */
    assert_non_null(strstr(text, "\"at\":\"2026-11-16T10:00:00Z\""));
    assert_true(strstr(text, "2026-11-16T10:00:00Z") < strstr(text, "2026-11-19T10:00:00Z"));
    assert_true(strstr(text, "2026-11-23T12:00:00Z") < strstr(text, "2026-12-01T12:00:00Z"));
    free(text);

    struct audit_args seller = {"seller", "newshop"};
    text = capture(e, audit_of, &seller, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(text), 2);
    free(text);
    struct audit_args listing = {"listing", "L4"};
    text = capture(e, audit_of, &listing, &rc, &err);
    assert_int_equal(rc, 0);
    assert_int_equal(count_lines(text), 3); /* allowed, removed, restored */
    free(text);

    struct audit_args bad = {"shop", NULL};
    text = capture(e, audit_of, &bad, &rc, &err);
    assert_int_equal(rc, GN_EINPUT);
    assert_non_null(strstr(err.message, "record: 'shop'"));
    free(text);
    struct audit_args orphan = {NULL, "L4"};
    text = capture(e, audit_of, &orphan, &rc, &err);
    assert_int_equal(rc, GN_EINPUT);
    assert_non_null(strstr(err.message, "record_id"));
    free(text);
    gn_json_doc_free(&doc);
    gn_engine_close(e);
}

/* Facts longer than the Transparency Database takes are cut, never inside a
 * UTF-8 character. */
static void test_long_facts(void **state)
{
    char path[96];
    snprintf(path, sizeof path, "%s.long", db_path);
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = path};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open: %s", err.message);
    gn_buf reasons = {0};
    gn_buf_puts(&reasons, "[{\"code\":\"VERDICT_COUNTERFEIT\",\"weight\":1,\"detail\":\"");
    for (int i = 0; i < 3001; i++)
        gn_buf_puts(&reasons, "\xc3\xa9"); /* é: two bytes */
    gn_buf_puts(&reasons, "\"}]");
    gn_decision_record d = {.listing = "LL",
                            .seller = "s",
                            .event_id = "v",
                            .at = "2026-11-23T10:00:00Z",
                            .status = "removed",
                            .action = "block",
                            .score = 1,
                            .reasons = reasons.data,
                            .actor = "R1"};
    assert_int_equal(gn_engine_store(e)->ops->begin(gn_engine_store(e), &err), 0);
    assert_int_equal(gn_engine_store(e)->ops->set_status(gn_engine_store(e), &d, &err), 0);
    assert_int_equal(gn_engine_store(e)->ops->commit(gn_engine_store(e), &err), 0);
    gn_buf_free(&reasons);
    int rc;
    char *text = capture(e, statements_since, NULL, &rc, &err);
    assert_int_equal(rc, 0);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const gn_json *s = find_line(&doc, text, "\"id\":\"LL\""); /* valid UTF-8 or it fails */
    assert_non_null(s);
    size_t facts, explanation;
    gn_json_string(gn_json_get(s, "decision_facts"), &facts);
    gn_json_string(gn_json_get(s, "illegal_content_explanation"), &explanation);
    assert_true(facts <= 5000 && facts >= 4998);
    assert_true(explanation <= 2000 && explanation >= 1998);
    gn_json_doc_free(&doc);
    free(text);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_statements),
        cmocka_unit_test(test_transparency),
        cmocka_unit_test(test_audit),
        cmocka_unit_test(test_long_facts),
    };
    return cmocka_run_group_tests_name("statements", tests, setup, NULL);
}
