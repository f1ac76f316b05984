/* The photo -> first listing table: what was put is found again through
 * every growth, and hashes a bit apart are different photos. */
#include "testutil.h"

#include <string.h>

#include "core/rng.h"
#include "detect/photo_owners.h"

static void test_put_and_find(void **state)
{
    gn_photo_owners owners = {0};
    gn_rng rng;
    gn_rng_seed(&rng, 1);
    static gn_pdq_hash photos[20000];
    for (uint32_t i = 0; i < 20000; i++) {
        for (int k = 0; k < 4; k++)
            photos[i].w[k] = gn_rng_next(&rng);
        if (i % 3 == 1) { /* a near-duplicate of the one before: one bit apart */
            photos[i] = photos[i - 1];
            photos[i].w[i % 4] ^= (uint64_t)1 << (i % 64);
        }
        int added;
        uint32_t *listing = gn_photo_owners_put(&owners, &photos[i], &added);
        assert_non_null(listing);
        assert_true(added);
        assert_int_equal(*listing, 0);
        *listing = i + 1;
    }
    assert_int_equal(owners.count, 20000);
    for (uint32_t i = 0; i < 20000; i++) {
        int added;
        uint32_t *listing = gn_photo_owners_put(&owners, &photos[i], &added);
        assert_false(added);
        assert_int_equal(*listing, i + 1);
    }
    assert_int_equal(owners.count, 20000);
    gn_photo_owners_free(&owners);
    assert_null(owners.slots);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_put_and_find)};
    return cmocka_run_group_tests_name("photo_owners", tests, NULL, NULL);
}
