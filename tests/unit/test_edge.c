/* What reaches genuine from outside and what leaves it (issue 13): the key
 * cache trusting a key only for a while and forgetting one the store no
 * longer knows; one writer per store; CSV cells a spreadsheet would run kept
 * as text; log values kept on their line; a tenant told the same for
 * another's record and a missing one. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/csv.h"
#include "http/auth.h"
#include "http/server.h"

static void test_key_cache_rechecks(void **state)
{
    gn_key_cache cache;
    assert_int_equal(gn_key_cache_init(&cache), 0);
    assert_true(cache.max_age > 0 && cache.max_age <= 1.0); /* a revocation holds within 1 s */
    gn_principal p = {.role = GN_ROLE_SELLER}, out;
    strcpy(p.account, "S1");
    gn_key_cache_put(&cache, "key-one", &p);
    assert_true(gn_key_cache_find(&cache, "key-one", &out));
    assert_string_equal(out.account, "S1");
    assert_false(gn_key_cache_find(&cache, "key-two", &out));

    cache.max_age = 0.05; /* stale: the caller asks the store again */
    usleep(80000);
    assert_false(gn_key_cache_find(&cache, "key-one", &out));
    gn_key_cache_put(&cache, "key-one", &p); /* checked again: fresh */
    assert_true(gn_key_cache_find(&cache, "key-one", &out));

    /* Forgetting one key keeps every other findable, however they collide. */
    cache.max_age = 60;
    char key[32];
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "k%d", i);
        gn_key_cache_put(&cache, key, &p);
    }
    for (int i = 0; i < 300; i += 3) {
        snprintf(key, sizeof key, "k%d", i);
        gn_key_cache_forget(&cache, key);
    }
    for (int i = 0; i < 300; i++) {
        snprintf(key, sizeof key, "k%d", i);
        assert_int_equal(gn_key_cache_find(&cache, key, &out), i % 3 != 0);
    }
    assert_int_equal(cache.used, 1 + 200); /* key-one and the kept two thirds */
    gn_key_cache_free(&cache);
}

static void test_one_writer(void **state)
{
    char dir[] = "/tmp/gn-edge-XXXXXX", path[64];
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.db", dir);
    gn_engine_options o = {.db_path = path};
    gn_engine *writer, *second, *beside, *reader;
    gn_error err;
    assert_int_equal(gn_engine_open(&writer, &o, &err), 0);
    assert_int_equal(gn_engine_open(&second, &o, &err), GN_ESTORE);
    assert_null(second);
    char pid[32];
    snprintf(pid, sizeof pid, "pid %ld (", (long)getpid());
    assert_non_null(strstr(err.message, "in use by another writer"));
    assert_non_null(strstr(err.message, pid));
    assert_non_null(strstr(err.message, "test_edge"));

    /* Beside the writer: reads and keys, but no events. */
    gn_engine_options shared = {.db_path = path, .shared = 1};
    assert_int_equal(gn_engine_open(&beside, &shared, &err), 0);
    char key[65], id[17];
    assert_int_equal(gn_key_issue(beside, "platform", NULL, key, &err), 0);
    gn_result res;
    const char *ev = "{\"type\":\"seller\",\"id\":\"s1\",\"at\":\"2026-01-01T00:00:00Z\","
                     "\"seller\":\"S1\",\"name\":\"A\"}";
    assert_int_equal(gn_ingest(beside, ev, strlen(ev), &res, &err), GN_EINPUT);
    gn_key_id(key, id);
    assert_int_equal(gn_key_revoke(beside, id, &err), 0);
    gn_engine_close(beside);
    char role[64], account[257];
    assert_int_equal(gn_key_check(writer, key, role, sizeof role, account, sizeof account, &err),
                     GN_ENOTFOUND);
    gn_engine_options ro = {.db_path = path, .read_only = 1};
    assert_int_equal(gn_engine_open(&reader, &ro, &err), 0);
    gn_engine_close(reader);

    gn_engine_close(writer); /* the lock goes with it */
    assert_int_equal(gn_engine_open(&second, &o, &err), 0);
    gn_engine_close(second);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static char *csv(const char *text)
{
    gn_buf b = {0};
    gn_csv_put_field(&b, text);
    gn_buf_puts(&b, "");
    return gn_buf_take(&b);
}

static void test_csv_cells(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"},
        {"+1", "'+1"}, /* not a JSON number: a formula */
        {"-1+2", "'-1+2"},
        {"@SUM(A1)", "'@SUM(A1)"},
        {"\tx", "'\tx"},
        {"\rx", "\"'\rx\""},
        {"=1,2", "\"'=1,2\""}, /* quoted, the apostrophe inside the quotes */
        {"-5", "-5"},          /* a plain number stays a number */
        {"-12.50", "-12.50"},
        {"-1e3", "-1e3"},
        {"Smith, \"Bob\"", "\"Smith, \"\"Bob\"\"\""},
        {"plain", "plain"},
        {"", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = csv(cases[i].in);
        assert_string_equal(got, cases[i].out);
        free(got);
    }
}

static void test_escaped_line(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    gn_put_escaped(out, "FR\n7: forged\r\t\x1b[2J back\\slash \x7f é");
    fclose(out);
    assert_string_equal(text, "FR\\n7: forged\\r\\t\\x1b[2J back\\\\slash \\x7f é");
    free(text);
}

/* The other ways a text forges a line or rewrites a terminal: C1 controls
 * (U+0085 NEL ends a line for some viewers, U+009B is CSI for xterm), the
 * Unicode line and paragraph separators, and the bidirectional overrides
 * that show a line's end before its start. Other UTF-8 stays as it is. */
static void test_escaped_line_unicode(void **state)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    gn_put_escaped(out, "a\xc2\x85"
                        "b\xc2\x9b"
                        "2Jc\xe2\x80\xa8"
                        "d\xe2\x80\xa9"
                        "e\xe2\x80\xae"
                        "f"
                        "\xe2\x81\xa6"
                        "g \xc2\xa0\xe2\x80\x94\xe2\x82\xac \xc3\xa9\xc2");
    fclose(out);
    assert_string_equal(text, "a\\u0085b\\u009b2Jc\\u2028d\\u2029e\\u202ef\\u2066g "
                              "\xc2\xa0\xe2\x80\x94\xe2\x82\xac \xc3\xa9\xc2");
    free(text);
}

static void test_not_found_alike(void **state)
{
    gn_principal s1 = {.role = GN_ROLE_SELLER};
    strcpy(s1.account, "S1");
    char other[200], missing[200];
    gn_auth_not_found(&s1, GN_REC_LISTING, "L", other, sizeof other);
    gn_auth_not_found(&s1, GN_REC_LISTING, "L", missing, sizeof missing);
    assert_string_equal(other, missing);
    assert_string_equal(other, "no listing 'L' that a seller key for 'S1' may read");
}

static int host_ok(const char *h, unsigned port)
{
    return gn_http_loopback_authority(h, strlen(h), port);
}

static void test_loopback_host(void **state)
{
    static const char *const good[] = {"localhost:8080", "LOCALHOST:8080", "localhost.:8080",
                                       "127.0.0.1:8080", "127.9.9.9:8080", "[::1]:8080"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!host_ok(good[i], 8080)) fail_msg("refused %s", good[i]);
    static const char *const bad[] = {"evil.example:8080",
                                      "localhost.evil.example:8080",
                                      "127.0.0.1.evil:8080",
                                      "localhost:8081",
                                      "localhost:",
                                      "localhost:8080x",
                                      "localhost:+8080",
                                      "localhost:08080x",
                                      "localhost",
                                      "[::1]",
                                      "[::2]:8080",
                                      "[::1]x8080",
                                      "10.0.0.1:8080",
                                      "0.0.0.0:8080",
                                      "",
                                      ":8080",
                                      "localhost:80800000000"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (host_ok(bad[i], 8080)) fail_msg("took %s", bad[i]);
    assert_true(host_ok("localhost", 80)); /* a browser leaves out the default port */
    assert_true(host_ok("127.0.0.1:80", 80));
    assert_false(gn_http_loopback_authority("localhost\0x:8080", 16, 8080));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_key_cache_rechecks),
                                       cmocka_unit_test(test_one_writer),
                                       cmocka_unit_test(test_csv_cells),
                                       cmocka_unit_test(test_escaped_line),
                                       cmocka_unit_test(test_escaped_line_unicode),
                                       cmocka_unit_test(test_not_found_alike),
                                       cmocka_unit_test(test_loopback_host)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
