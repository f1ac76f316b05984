/* Review leases (src/http/claims.c) on a clock the test holds: two reviewers
 * never hold one item, a reload gives the holder its item again, a lease
 * lapses, a skip keeps an item from its skipper only, one lease per queue. */
#include "testutil.h"

#include "http/claims.h"

static const char *const queue[] = {"L1", "L2", "L3"};

static void test_two_reviewers_two_items(void **state)
{
    gn_claims *c = gn_claims_new();
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 0, 300), 0);
    assert_int_equal(gn_claims_take(c, "listings", "R2", queue, 3, 1, 300), 1);
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 2, 300), 0); /* a reload */
    assert_int_equal(gn_claims_take(c, "listings", "R3", queue, 3, 3, 300), 2);
    assert_int_equal(gn_claims_take(c, "listings", "R4", queue, 3, 4, 300), -1); /* all taken */
    assert_string_equal(gn_claims_holder(c, "listings", "L2", 5), "R2");
    /* the same id in another queue is another item */
    assert_int_equal(gn_claims_take(c, "appeals", "R4", queue, 3, 5, 300), 0);
    gn_claims_free(c);
}

static void test_lease_lapses(void **state)
{
    gn_claims *c = gn_claims_new();
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 0, 300), 0);
    assert_int_equal(gn_claims_take(c, "listings", "R2", queue, 3, 299.9, 300), 1);
    assert_null(gn_claims_holder(c, "listings", "L1", 300));
    assert_int_equal(gn_claims_take(c, "listings", "R3", queue, 3, 300, 300), 0);
    gn_claims_free(c);
}

static void test_skip_and_release(void **state)
{
    gn_claims *c = gn_claims_new();
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 0, 300), 0);
    assert_int_equal(gn_claims_release(c, "listings", "L1", "R2", 1, 1), -1); /* not R2's */
    assert_int_equal(gn_claims_release(c, "listings", "L1", "R1", 1, 1), 0);
    assert_null(gn_claims_holder(c, "listings", "L1", 1));
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 2, 300), 1); /* not L1 */
    assert_int_equal(gn_claims_take(c, "listings", "R2", queue, 3, 3, 300), 0); /* L1: free */
    /* the skip ends after its window */
    assert_int_equal(gn_claims_release(c, "listings", "L2", "R1", 0, 4), 0);
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 5 + GN_CLAIM_SKIP_SECONDS, 300),
                     0);
    gn_claims_free(c);
}

static void test_one_lease_per_queue(void **state)
{
    gn_claims *c = gn_claims_new();
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue, 3, 0, 300), 0);
    /* the queue moved on (L1 decided): the next claim ends the lease on L1 */
    assert_int_equal(gn_claims_take(c, "listings", "R1", queue + 1, 2, 1, 300), 0);
    assert_null(gn_claims_holder(c, "listings", "L1", 2));
    assert_string_equal(gn_claims_holder(c, "listings", "L2", 2), "R1");
    gn_claims_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_two_reviewers_two_items),
        cmocka_unit_test(test_lease_lapses),
        cmocka_unit_test(test_skip_and_release),
        cmocka_unit_test(test_one_lease_per_queue),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
