/* The permission table of the HTTP API (src/http/auth.c): what each role may
 * post and read, the reasons it is told, and the owner of a record found in
 * the engine's JSON however the text is shaped. */
#include "testutil.h"

#include <string.h>

#include "http/auth.h"

static gn_principal who(gn_role role, const char *account)
{
    gn_principal p = {.role = role};
    strcpy(p.account, account);
    return p;
}

static int may_post(gn_principal p, const char *event, char *why)
{
    why[0] = 0;
    return gn_auth_may_post(&p, event, strlen(event), why, 600);
}

static void test_post(void **state)
{
    char why[600];
    gn_principal platform = who(GN_ROLE_PLATFORM, ""), s1 = who(GN_ROLE_SELLER, "S1"),
                 u1 = who(GN_ROLE_SHOPPER, "U1"), h1 = who(GN_ROLE_RIGHTS_HOLDER, "H1"),
                 r1 = who(GN_ROLE_REVIEWER, "R1"), desk = who(GN_ROLE_REVIEWER, "");
    assert_true(may_post(platform, "{\"type\":\"brand\"}", why));
    assert_true(may_post(s1, "{\"type\":\"listing\",\"seller\":\"S1\"}", why));
    assert_false(may_post(s1, "{\"type\":\"listing\",\"seller\":\"S2\"}", why));
    assert_string_equal(why, "forbidden: a seller key speaks for 'S1' and may post 'listing' "
                             "only with seller 'S1'");
    assert_false(may_post(s1, "{\"type\":\"listing\"}", why)); /* no owner: not its own */
    /* a listing's signals are the platform's observations, however spelt */
    assert_false(may_post(s1, "{\"type\":\"listing\",\"seller\":\"S1\",\"signals\":{}}", why));
    assert_non_null(strstr(why, "may not send 'signals'"));
    assert_false(
        may_post(s1, "{\"type\":\"listing\",\"seller\":\"S1\",\"sign\\u0061ls\":{}}", why));
    assert_true(may_post(platform, "{\"type\":\"listing\",\"signals\":{}}", why));
    assert_false(may_post(s1, "{\"type\":\"brand\",\"seller\":\"S1\"}", why));
    assert_string_equal(why, "forbidden: a seller key may not post 'brand' events");

    /* A seller submits its verification; verifying it is the platform's. */
    assert_true(may_post(
        s1, "{\"type\":\"seller_verification\",\"seller\":\"S1\",\"status\":\"submitted\"}", why));
    assert_false(may_post(
        s1, "{\"type\":\"seller_verification\",\"seller\":\"S1\",\"status\":\"verified\"}", why));
    assert_non_null(strstr(why, "only with status submitted, not 'verified'"));
    assert_false(may_post(s1, "{\"type\":\"seller_verification\",\"seller\":\"S1\"}", why));
    assert_non_null(strstr(why, "not '(none)'"));

    /* A reviewer key bound to a reviewer names it; a desk key names anyone;
     * neither verifies rights. */
    const char *verdict = "{\"type\":\"verdict\",\"subject\":\"appeal\",\"reviewer\":\"R2\"}";
    assert_false(may_post(r1, verdict, why));
    assert_non_null(strstr(why, "only with reviewer 'R1'"));
    assert_true(may_post(desk, verdict, why));
    assert_false(
        may_post(desk, "{\"type\":\"verdict\",\"subject\":\"right\",\"reviewer\":\"X\"}", why));
    assert_string_equal(why, "forbidden: a reviewer key may post 'verdict' only with subject "
                             "listing, seller, complaint, report or appeal, not 'right': "
                             "verifying a right is the platform's");

    assert_true(may_post(h1, "{\"type\":\"complaint\",\"rights_holder\":\"H1\"}", why));
    assert_false(may_post(u1, "{\"type\":\"complaint\",\"rights_holder\":\"U1\"}", why));
    assert_true(may_post(u1, "{\"type\":\"report\",\"reporter\":\"U1\"}", why));
    /* A duplicate key is read as the engine reads it: not an event, let
     * through for gn_ingest to reject, never taken for the first owner. */
    assert_true(may_post(u1, "{\"type\":\"report\",\"reporter\":\"U1\",\"reporter\":\"U2\"}", why));
    /* Not an object: gn_ingest rejects it and says why. */
    assert_true(may_post(u1, "[1,2", why));
    assert_true(may_post(u1, "42", why));
}

static void test_read(void **state)
{
    char why[600];
    gn_principal platform = who(GN_ROLE_PLATFORM, ""), s1 = who(GN_ROLE_SELLER, "S1"),
                 u1 = who(GN_ROLE_SHOPPER, "U1"), h1 = who(GN_ROLE_RIGHTS_HOLDER, "H1"),
                 rev = who(GN_ROLE_REVIEWER, "");
    for (int r = 0; r < GN_REC_COUNT; r++)
        assert_int_equal(gn_auth_may_read(&platform, (gn_record)r, "X", why, sizeof why),
                         GN_SCOPE_ALL);
    assert_int_equal(gn_auth_may_read(&rev, GN_REC_COMPLAINT, "C1", why, sizeof why), GN_SCOPE_ALL);
    assert_int_equal(gn_auth_may_read(&rev, GN_REC_METRICS, NULL, why, sizeof why), GN_SCOPE_NONE);
    assert_int_equal(gn_auth_may_read(&h1, GN_REC_COMPLAINT, "C1", why, sizeof why), GN_SCOPE_OWN);
    assert_int_equal(gn_auth_may_read(&s1, GN_REC_COMPLAINT, "C1", why, sizeof why),
                     GN_SCOPE_NOTICES);
    assert_int_equal(gn_auth_may_read(&u1, GN_REC_COMPLAINT, "C1", why, sizeof why), GN_SCOPE_NONE);
    assert_string_equal(why, "forbidden: a shopper key may not read complaints");
    /* Lists of one's own: the account, or none named. */
    assert_int_equal(gn_auth_may_read(&h1, GN_REC_COMPLAINTS, NULL, why, sizeof why),
                     GN_SCOPE_SELF);
    assert_int_equal(gn_auth_may_read(&h1, GN_REC_COMPLAINTS, "H1", why, sizeof why),
                     GN_SCOPE_SELF);
    assert_int_equal(gn_auth_may_read(&h1, GN_REC_COMPLAINTS, "H2", why, sizeof why),
                     GN_SCOPE_NONE);
    assert_int_equal(gn_auth_may_read(&s1, GN_REC_NOTICES, "S2", why, sizeof why), GN_SCOPE_NONE);
    assert_string_equal(why, "forbidden: a seller key speaks for 'S1' and reads only its own "
                             "notices");
    assert_int_equal(gn_auth_may_read(&u1, GN_REC_FILER, "U1", why, sizeof why), GN_SCOPE_SELF);
    assert_int_equal(gn_auth_may_read(&u1, GN_REC_FILER, "U2", why, sizeof why), GN_SCOPE_NONE);
    assert_int_equal(gn_auth_may_read(&s1, GN_REC_REPORTS, NULL, why, sizeof why), GN_SCOPE_NONE);
    assert_true(gn_auth_shows_links(&rev));
    assert_false(gn_auth_shows_links(&s1));
}

static int owns(gn_principal p, gn_record record, const char *json)
{
    char why[600];
    return gn_auth_owns(&p, record, "X", json, strlen(json), why, sizeof why);
}

static void test_owner(void **state)
{
    gn_principal h1 = who(GN_ROLE_RIGHTS_HOLDER, "H1"), s1 = who(GN_ROLE_SELLER, "S1"),
                 quote = who(GN_ROLE_SELLER, "S\"1");
    const char *complaint = "{\"complaint\":\"C1\",\"rights_holder\":\"H1\",\"listings\":"
                            "[{\"listing\":\"L1\",\"seller\":\"S1\"}]}";
    assert_true(owns(h1, GN_REC_COMPLAINT, complaint));
    assert_false(owns(who(GN_ROLE_RIGHTS_HOLDER, "H"), GN_REC_COMPLAINT, complaint));
    assert_false(owns(who(GN_ROLE_RIGHTS_HOLDER, "H12"), GN_REC_COMPLAINT, complaint));
    /* Only the top-level member counts, not one nested, nor one inside a string. */
    assert_false(owns(s1, GN_REC_APPEAL,
                      "{\"appeal\":\"A1\",\"history\":[{\"seller\":\"S1\"}],\"seller\":\"S2\"}"));
    assert_false(
        owns(s1, GN_REC_APPEAL, "{\"note\":\"\\\"seller\\\":\\\"S1\\\"\",\"seller\":\"S2\"}"));
    assert_true(owns(s1, GN_REC_APPEAL, "{\"note\":\"a \\\\ b\", \"seller\" : \"S1\"}"));
    assert_false(owns(s1, GN_REC_APPEAL, "{\"appeal\":\"A1\"}"));
    assert_false(owns(s1, GN_REC_APPEAL, "{\"seller\":null}"));
    /* An owner with escapes is read by the full parser. */
    assert_true(owns(quote, GN_REC_APPEAL, "{\"appeal\":\"A1\",\"seller\":\"S\\\"1\"}"));
    assert_false(owns(s1, GN_REC_APPEAL, "{\"appeal\":\"A1\",\"seller\":\"S\\\"1\"}"));
    assert_true(owns(s1, GN_REC_LISTING, "{\"listing\":\"L1\",\"seller\":\"S\\u0031\"}"));
    /* A role with no such read is never an owner. */
    assert_false(owns(who(GN_ROLE_SHOPPER, "H1"), GN_REC_COMPLAINT, complaint));
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_post), cmocka_unit_test(test_read),
                                       cmocka_unit_test(test_owner)};
    return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
