/* The platform's Lua rules inside the engine: a rule holds a brand's product
 * line with its own reason; a file that does not load is refused with its
 * line, and a reload with a broken file keeps the running rules. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genuine.h"

static char dir[64], rules[96];

static void write_rules(const char *text)
{
    FILE *f = fopen(rules, "w");
    fputs(text, f);
    fclose(f);
}

static char *feed(gn_engine *e, const char *json)
{
    gn_result res;
    gn_error err;
    if (gn_ingest(e, json, strlen(json), &res, &err) || res.outcome != GN_ACCEPTED)
        fail_msg("not accepted: %s", json);
    return res.decision_json ? strdup(res.decision_json) : NULL;
}

static const char *hold_daytona =
    "function decide(l)\n"
    "  if l.title and l.title:lower():find('daytona', 1, true) then\n"
    "    return { action = 'review', reasons = { { code = 'BRAND_RULE_HELD_LINE',\n"
    "             detail = 'every Daytona listing is checked' } } }\n"
    "  end\n"
    "end\n";

static void test_rules_in_decisions(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-rules-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(rules, sizeof rules, "%s/rules.lua", dir);
    char db[96];
    snprintf(db, sizeof db, "%s/g.db", dir);
    write_rules(hold_daytona);
    gn_engine *e;
    gn_error err;
    gn_engine_options o = {.db_path = db, .policy_path = rules};
    assert_int_equal(gn_engine_open(&e, &o, &err), 0);
    char *d = feed(
        e, "{\"type\":\"listing\",\"id\":\"l1\",\"at\":\"2026-11-22T10:00:00Z\",\"listing\":\"L1\","
           "\"seller\":\"S1\",\"title\":\"Daytona style "
           "chronograph\",\"price\":90,\"currency\":\"USD\"}");
    if (!strstr(d, "\"action\":\"review\"") || !strstr(d, "{\"code\":\"BRAND_RULE_HELD_LINE\"") ||
        strstr(d, "POLICY_RULE"))
        fail_msg("the rule should hold the listing with its reason under its own code: %s", d);
    free(d);
    d = feed(
        e, "{\"type\":\"listing\",\"id\":\"l2\",\"at\":\"2026-11-22T10:00:00Z\",\"listing\":\"L2\","
           "\"seller\":\"S1\",\"title\":\"Canvas tote\",\"price\":9,\"currency\":\"USD\"}");
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    free(d);

    /* A broken file does not replace the running rules. */
    write_rules("function decide(l)\n  if then\nend\n");
    assert_int_equal(gn_policy_reload(e, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "rules.lua:2:"));
    d = feed(
        e, "{\"type\":\"listing\",\"id\":\"l3\",\"at\":\"2026-11-22T10:00:00Z\",\"listing\":\"L3\","
           "\"seller\":\"S1\",\"title\":\"Daytona\",\"price\":90,\"currency\":\"USD\"}");
    assert_non_null(strstr(d, "BRAND_RULE_HELD_LINE"));
    free(d);
    /* A rule that fails at run time leaves the default decision, noted. */
    write_rules("function decide(l)\n  return l.nothing.here\nend\n");
    assert_int_equal(gn_policy_reload(e, &err), 0);
    d = feed(
        e, "{\"type\":\"listing\",\"id\":\"l4\",\"at\":\"2026-11-22T10:00:00Z\",\"listing\":\"L4\","
           "\"seller\":\"S1\",\"title\":\"Canvas tote\",\"price\":9,\"currency\":\"USD\"}");
    assert_non_null(strstr(d, "\"action\":\"allow\""));
    assert_non_null(strstr(d, "rules.lua:2"));
    free(d);
    gn_engine_close(e);

    /* A file that does not load is refused at open, with its line. */
    write_rules("function decide(l)\n  return {\nend\n");
    assert_int_equal(gn_engine_open(&e, &o, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "rules.lua:"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_rules_in_decisions)};
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
