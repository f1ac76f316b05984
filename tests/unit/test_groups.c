/* Groups: unions, sizes, and walking every member of a group exactly once. */
#include "testutil.h"

#include "core/groups.h"

static unsigned walk(gn_groups *g, uint32_t start)
{
    unsigned n = 0;
    uint32_t m = start;
    do {
        n++;
        m = gn_groups_next(g, m);
    } while (m != start && n < 1000000);
    return n;
}

static void test_groups(void **state)
{
    gn_groups g = {0};
    assert_int_equal(gn_groups_reserve(&g, 10000), 0);
    for (uint32_t i = 0; i + 2 < 10000; i += 3)
        gn_groups_union(&g, i, i + 2); /* groups of two: {0,2}, {3,5}, ... */
    assert_int_equal(gn_groups_size(&g, 0), 2);
    assert_int_equal(gn_groups_size(&g, 1), 1);
    for (uint32_t i = 0; i < 3000; i += 3)
        gn_groups_union(&g, i, 9999 - (9999 % 3));  /* a big one */
    assert_int_equal(gn_groups_union(&g, 0, 3), 0); /* already together */
    uint32_t big = gn_groups_size(&g, 0);
    assert_int_equal(walk(&g, 0), big);
    assert_int_equal(walk(&g, 1), 1);
    assert_int_equal(gn_groups_find(&g, 2), gn_groups_find(&g, 2997));
    gn_groups_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_groups)};
    return cmocka_run_group_tests_name("groups", tests, NULL, NULL);
}
