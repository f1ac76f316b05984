/* Events applied whole: an event the engine fails half-way (here a real
 * SQLite error, raised by a trigger the test adds to the store) is neither
 * logged nor applied; a brand name the lexicon cannot take is rejected before
 * anything changes; a replay that fails says why; the currency table has a
 * slot for every currency, so none overwrites another's rate; out of memory
 * aborts with a message (core/alloc.h). */
#include "testutil.h"

#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/event.h"
#include "genuine.h"
#include "state/state.h"

static gn_engine *engine;
static char db[96];

static void open_engine(void)
{
    gn_engine_options o = {.db_path = db};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) fail_msg("open: %s", err.message);
}

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-whole-XXXXXX";
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

/* SQL run on a connection of the test's own, beside the engine's. */
static void sql(const char *text)
{
    sqlite3 *h;
    char *msg = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    sqlite3_busy_timeout(h, 5000);
    if (sqlite3_exec(h, text, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", text, msg);
    sqlite3_close(h);
}

static long long count(const char *query)
{
    sqlite3 *h;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, query, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(h);
    return n;
}

/* Feeds and commits one event as the platform; returns gn_ingest's code. */
static int feed(const char *json, gn_result *res, gn_error *err)
{
    int rc = gn_ingest(engine, json, strlen(json), res, err);
    gn_error ignored;
    gn_commit(engine, &ignored); /* as the HTTP server does, failure or not */
    return rc;
}

static void accepted(const char *json)
{
    gn_result res;
    gn_error err;
    if (feed(json, &res, &err)) fail_msg("ingest: %s", err.message);
    if (res.outcome != GN_ACCEPTED) fail_msg("not accepted: %s", res.error ? res.error : "dup");
}

static long long listings_in_memory(void)
{
    char *text = gn_metrics_text(engine);
    const char *at = strstr(text, "genuine_state_records{kind=\"listing\"} ");
    assert_non_null(at);
    long long n = atoll(at + strlen("genuine_state_records{kind=\"listing\"} "));
    free(text);
    return n;
}

#define SELLER                                                                                     \
    "{\"type\":\"seller\",\"id\":\"s1\",\"at\":\"2026-11-01T00:00:00Z\",\"seller\":\"S1\","        \
    "\"name\":\"Shop one\"}"
#define LISTING(id, listing)                                                                       \
    "{\"type\":\"listing\",\"id\":\"" id                                                           \
    "\",\"at\":\"2026-11-02T00:00:00Z\",\"listing\":\"" listing                                    \
    "\",\"seller\":\"S1\",\"title\":\"Leather tote\",\"price\":500,\"currency\":\"USD\"}"

static void test_failed_event_is_neither_logged_nor_applied(void **state)
{
    accepted(SELLER);
    accepted(LISTING("l1", "L1"));
    /* The store refuses the decision on BOOM: the event is logged by then. */
    sql("CREATE TRIGGER refuse BEFORE INSERT ON decisions WHEN NEW.listing = 'BOOM' "
        "BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END");
    gn_result res;
    gn_error err = {0};
    assert_int_equal(feed(LISTING("boom", "BOOM"), &res, &err), GN_ESTORE);
    if (!strstr(err.message, "disk full (test)")) fail_msg("error: %s", err.message);
    assert_int_equal(count("SELECT count(*) FROM events WHERE id = 'boom'"), 0);
    assert_int_equal(count("SELECT count(*) FROM listings WHERE listing = 'BOOM'"), 0);
    assert_int_equal(listings_in_memory(), 1); /* L1 only */
    /* Once the store takes it, the same event is accepted, not a duplicate. */
    sql("DROP TRIGGER refuse");
    accepted(LISTING("boom", "BOOM"));
    assert_int_equal(listings_in_memory(), 2);
    assert_int_equal(count("SELECT count(*) FROM events WHERE id = 'boom'"), 1);
    gn_engine_close(engine);
    open_engine();
    assert_int_equal(listings_in_memory(), 2);
}

static void test_brand_name_checked_before_anything(void **state)
{
    char alias[301];
    memset(alias, 'a', 300);
    alias[300] = 0;
    char json[700];
    snprintf(json, sizeof json,
             "{\"type\":\"brand\",\"id\":\"b1\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"B1\","
             "\"name\":\"Lumora\",\"aliases\":[\"%s\"]}",
             alias);
    gn_result res;
    gn_error err;
    if (feed(json, &res, &err)) fail_msg("ingest failed: %s", err.message);
    assert_int_equal(res.outcome, GN_REJECTED);
    if (!strstr(res.error, "field 'aliases[0]'")) fail_msg("error: %s", res.error);
    assert_int_equal(count("SELECT count(*) FROM events WHERE id = 'b1'"), 0);
    gn_engine_close(engine);
    open_engine(); /* the log replays */
    /* Never logged, so the same id with good names is new, not a duplicate. */
    accepted("{\"type\":\"brand\",\"id\":\"b1\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"B1\","
             "\"name\":\"Lumora\",\"aliases\":[\"Lumora Paris\"]}");
    snprintf(json, sizeof json,
             "{\"type\":\"brand\",\"id\":\"b2\",\"at\":\"2026-11-01T00:00:00Z\",\"brand\":\"B2\","
             "\"name\":\"+++\"}");
    if (feed(json, &res, &err)) fail_msg("ingest failed: %s", err.message);
    assert_int_equal(res.outcome, GN_REJECTED);
    if (!strstr(res.error, "field 'name'")) fail_msg("error: %s", res.error);
}

static void test_failed_replay_says_why(void **state)
{
    accepted(SELLER);
    gn_engine_close(engine);
    engine = NULL;
    /* A model event naming a model the store does not have. */
    sql("INSERT INTO events(id, type, at, body) VALUES ('model-99', 'model', "
        "'2026-11-01T00:00:00Z', "
        "'{\"type\":\"model\",\"id\":\"model-99\",\"at\":\"2026-11-01T00:00:00Z\",\"version\":99}'"
        ")");
    gn_engine_options o = {.db_path = db};
    gn_error err;
    memset(&err, 0, sizeof err);
    assert_int_not_equal(gn_engine_open(&engine, &o, &err), 0);
    assert_null(engine);
    if (!strstr(err.message, "no model version 99") || !strstr(err.message, "log position 2"))
        fail_msg("the replay's error: '%s'", err.message);
    sql("DELETE FROM events WHERE id = 'model-99'");
    open_engine();
}

/* The 513th currency and beyond: each its own rate; USD keeps 1. */
static void test_every_currency_has_its_slot(void **state)
{
    static gn_state st; /* large: every currency's slot */
    gn_state_init(&st);
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    char json[200], code[4] = {0};
    gn_event ev;
    gn_error err;
    /* a dollar is worth a dollar before any rate: platforms send none for USD */
    assert_true(gn_state_rate(&st, "USD") == 1);
    assert_true(gn_state_rate(&st, "EUR") == 0);
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < 700; i++) {
            int n = i == 0 ? ('U' - 'A') * 676 + ('S' - 'A') * 26 + ('D' - 'A') : i + 1000;
            code[0] = (char)('A' + n / 676);
            code[1] = (char)('A' + n / 26 % 26);
            code[2] = (char)('A' + n % 26);
            snprintf(json, sizeof json,
                     "{\"type\":\"rate\",\"id\":\"r%d\",\"at\":\"2026-11-01T00:00:00Z\","
                     "\"currency\":\"%s\",\"usd\":%d}",
                     i, code, i == 0 ? 1 : 1000 + i + pass);
            if (gn_event_decode(&doc, json, strlen(json), &ev, &err)) fail_msg("%s", err.message);
            gn_state_put_rate(&st, &ev);
        }
    assert_true(gn_state_rate(&st, "USD") == 1);
    for (int i = 1; i < 700; i++) {
        int n = i + 1000;
        char c[4] = {(char)('A' + n / 676), (char)('A' + n / 26 % 26), (char)('A' + n % 26), 0};
        if (gn_state_rate(&st, c) != 1000 + i + 1) fail_msg("%s: %g", c, gn_state_rate(&st, c));
    }
    assert_true(gn_state_rate(&st, "ZZZ") == 0);
    assert_true(gn_state_rate(&st, "usd") == 0);
    assert_true(gn_state_rate(&st, "US") == 0);
    assert_true(gn_state_rate(&st, "USDX") == 0);
    gn_json_doc_free(&doc);
    gn_state_free(&st);
}

/* An allocation that cannot be had stops the process (in a child here),
 * saying so; it never returns NULL to a caller. */
static void test_out_of_memory_aborts(void **state)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t child = fork();
    assert_true(child >= 0);
    if (child == 0) {
        dup2(fds[1], 2);
        char *p = gn_xmalloc((size_t)1 << 62);
        _exit(p ? 3 : 0); /* reached only when the policy did not hold */
    }
    close(fds[1]);
    char said[512] = {0};
    ssize_t n = read(fds[0], said, sizeof said - 1);
    close(fds[0]);
    int status;
    assert_int_equal(waitpid(child, &status, 0), child);
    assert_false(WIFEXITED(status) && (WEXITSTATUS(status) == 0 || WEXITSTATUS(status) == 3));
#ifndef __SANITIZE_ADDRESS__ /* AddressSanitizer refuses such a size itself, with its own words */
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
    if (n <= 0 || !strstr(said, "genuine: out of memory")) fail_msg("said: %s", said);
#else
    (void)n;
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_failed_event_is_neither_logged_nor_applied, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_brand_name_checked_before_anything, setup, teardown),
        cmocka_unit_test_setup_teardown(test_failed_replay_says_why, setup, teardown),
        cmocka_unit_test(test_every_currency_has_its_slot),
        cmocka_unit_test(test_out_of_memory_aborts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
