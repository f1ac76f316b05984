/* Text fingerprints: near-identical descriptions agree on most minimums and
 * are found through the index; different texts are not. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "detect/minhash.h"

static const char *description =
    "Brand new luxury shoulder bag made of genuine calf leather with gold tone hardware, "
    "adjustable strap, inner zip pocket and two card slots. Comes with dust bag, box and "
    "authenticity card. Fast shipping from our warehouse, tracking number provided, "
    "returns accepted within seven days if the item is unused and in original packaging.";

static void found(void *ctx, uint32_t owner, int agree)
{
    int *hits = ctx;
    hits[owner]++;
}

static void test_near_and_far(void **state)
{
    gn_minhash a, b, c, d;
    assert_int_equal(gn_minhash_text("Luxury shoulder bag", description, &a), 0);
    char edited[1024];
    snprintf(edited, sizeof edited, "%s", description);
    memcpy(strstr(edited, "seven"), "three", 5); /* one word changed */
    assert_int_equal(gn_minhash_text("Luxury shoulder bag", edited, &b), 0);
    assert_int_equal(gn_minhash_text("Stainless steel kitchen knife set",
                                     "Six forged knives with a wooden block, dishwasher safe, "
                                     "lifetime warranty, made in Germany by a family company.",
                                     &c),
                     0);
    assert_int_equal(gn_minhash_text("LUXURY   Shoulder-Bag", description, &d), 0);
    assert_true(gn_minhash_agree(&a, &b) >= GN_MINHASH_SAME);
    assert_int_equal(gn_minhash_agree(&a, &d), GN_MINHASH_K); /* case and punctuation fold */
    assert_true(gn_minhash_agree(&a, &c) <= 1);
    gn_minhash e;
    assert_int_equal(gn_minhash_text("too short", "only five words here", &e), -1);

    gn_minhash_index *ix = gn_minhash_index_new();
    assert_int_equal(gn_minhash_index_add(ix, &a, 1, NULL), 0);
    assert_int_equal(gn_minhash_index_add(ix, &c, 2, NULL), 0);
    int hits[3] = {0};
    gn_minhash_index_near(ix, &b, 10, found, hits);
    assert_int_equal(hits[1], 1);
    assert_int_equal(hits[2], 0);
    gn_minhash_index_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_near_and_far)};
    return cmocka_run_group_tests_name("minhash", tests, NULL, NULL);
}
