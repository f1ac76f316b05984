/* Review leases (src/http/claims.c) in a real SQLite store, on a clock the
 * test holds: two reviewers never hold one item, a reload gives the holder
 * its item again, a lease lapses, a skip keeps an item from its skipper
 * only, one lease per queue, and leases outlive the store being closed. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http/claims.h"

static const char *const queue[] = {"L1", "L2", "L3"};
static char dir[64], path[96];
static gn_store *c;

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-claims-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.db", dir);
    gn_error err = {0};
    assert_int_equal(gn_store_open(&c, path, 0, &err), 0);
    return 0;
}

static int teardown(void **state)
{
    gn_store_close(c);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static long take(const char *q, const char *reviewer, const char *const *items, size_t n,
                 double now)
{
    gn_error err = {0};
    long taken = -2;
    assert_int_equal(gn_claims_take(c, q, reviewer, items, n, now, 300, &taken, &err), 0);
    return taken;
}

static const char *holder(const char *item, double now)
{
    static char who[257];
    gn_error err = {0};
    int rc = gn_claims_holder(c, "listings", item, now, who, &err);
    assert_true(rc == 0 || rc == GN_ENOTFOUND);
    return rc ? NULL : who;
}

static int release(const char *item, const char *reviewer, int skip, double now)
{
    gn_error err = {0};
    return gn_claims_release(c, "listings", item, reviewer, skip, now, &err);
}

static void test_two_reviewers_two_items(void **state)
{
    assert_int_equal(take("listings", "R1", queue, 3, 0), 0);
    assert_int_equal(take("listings", "R2", queue, 3, 1), 1);
    assert_int_equal(take("listings", "R1", queue, 3, 2), 0); /* a reload */
    assert_int_equal(take("listings", "R3", queue, 3, 3), 2);
    assert_int_equal(take("listings", "R4", queue, 3, 4), -1); /* all taken */
    assert_string_equal(holder("L2", 5), "R2");
    /* the same id in another queue is another item */
    assert_int_equal(take("appeals", "R4", queue, 3, 5), 0);
}

static void test_lease_lapses(void **state)
{
    assert_int_equal(take("listings", "R1", queue, 3, 0), 0);
    assert_int_equal(take("listings", "R2", queue, 3, 299.9), 1);
    assert_null(holder("L1", 300));
    assert_int_equal(take("listings", "R3", queue, 3, 300), 0);
}

static void test_skip_and_release(void **state)
{
    assert_int_equal(take("listings", "R1", queue, 3, 0), 0);
    assert_int_equal(release("L1", "R2", 1, 1), GN_ENOTFOUND); /* not R2's */
    assert_int_equal(release("L1", "R1", 1, 1), 0);
    assert_null(holder("L1", 1));
    assert_int_equal(take("listings", "R1", queue, 3, 2), 1); /* not L1 */
    assert_int_equal(take("listings", "R2", queue, 3, 3), 0); /* L1: free */
    /* the skip ends after its window */
    assert_int_equal(release("L2", "R1", 0, 4), 0);
    assert_int_equal(take("listings", "R1", queue, 3, 5 + GN_CLAIM_SKIP_SECONDS), 0);
}

static void test_one_lease_per_queue(void **state)
{
    assert_int_equal(take("listings", "R1", queue, 3, 0), 0);
    /* the queue moved on (L1 decided): the next claim ends the lease on L1 */
    assert_int_equal(take("listings", "R1", queue + 1, 2, 1), 0);
    assert_null(holder("L1", 2));
    assert_string_equal(holder("L2", 2), "R1");
}

/* A restart: the store closed and opened again keeps every lease and skip. */
static void test_leases_outlive_a_restart(void **state)
{
    assert_int_equal(take("listings", "R1", queue, 3, 0), 0);
    assert_int_equal(take("listings", "R2", queue, 3, 1), 1);
    assert_int_equal(release("L2", "R2", 1, 2), 0);
    gn_store_close(c);
    gn_error err = {0};
    assert_int_equal(gn_store_open(&c, path, 0, &err), 0);
    assert_string_equal(holder("L1", 3), "R1");
    assert_int_equal(take("listings", "R3", queue, 3, 4), 1);
    assert_int_equal(take("listings", "R2", queue, 3, 5), 2); /* L1 held, L2 skipped */
    /* and the lease still lapses on time */
    assert_null(holder("L1", 300));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_two_reviewers_two_items, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lease_lapses, setup, teardown),
        cmocka_unit_test_setup_teardown(test_skip_and_release, setup, teardown),
        cmocka_unit_test_setup_teardown(test_one_lease_per_queue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_leases_outlive_a_restart, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
