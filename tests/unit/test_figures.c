/* The dashboard's figures (src/engine/figures.c): counts per day under the
 * whole marketplace, a brand and a category; the value kept from sale counted
 * once, before an order only, and taken out of its day again when the listing
 * is put back; confirmed counterfeits' origins likewise; notices by outcome
 * and the filers' acceptance rate; a period's bounds. */
#include "testutil.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

#include "engine/figures.h"

#define DAY 86400000LL
#define T0 (20000 * DAY) /* a day in 2024 */

/* The figures of [since, until) under a filter, parsed. */
static json_t *period(const gn_figures *f, int64_t since, int64_t until, const char *brand,
                      const char *category)
{
    gn_buf b = {0};
    gn_buf_puts(&b, "{");
    gn_figures_json(f, since, until, brand, category, &b);
    gn_buf_puts(&b, "}");
    json_error_t e;
    json_t *j = json_loads(b.data, 0, &e);
    if (!j) fail_msg("not JSON: %s: %s", e.text, b.data);
    gn_buf_free(&b);
    return j;
}

static long long num(json_t *j, const char *path)
{
    char copy[128];
    snprintf(copy, sizeof copy, "%s", path);
    json_t *v = j;
    for (char *part = strtok(copy, "."); part; part = strtok(NULL, "."))
        v = json_object_get(v, part);
    if (!json_is_number(v)) fail_msg("%s is not a number", path);
    return (long long)llround(json_number_value(v));
}

static void test_filters_and_value_kept(void **state)
{
    gn_figures f = {0};
    /* day 0: a Rolex watch blocked before any order (worth 9000), a Rolex
     * watch allowed, a Nike sneaker held; an ordered Nike sneaker blocked */
    gn_figures_decision(&f, T0, 0, 1, 2, 1, "rolex", "Rolex", "watches", 9000, 0);
    gn_figures_decision(&f, T0 + 1000, 1, 1, 0, 0, "rolex", "Rolex", "watches", 9000, 0);
    gn_figures_decision(&f, T0 + 2000, 2, 1, 1, 0, "nike", "Nike", "sneakers", 120, 0);
    gn_figures_decision(&f, T0 + 3000, 3, 1, 2, 1, "nike", "Nike", "sneakers", 120, 1);
    /* day 1: a listing with no brand, blocked: unpriced */
    gn_figures_decision(&f, T0 + DAY, 4, 1, 2, 1, NULL, NULL, "sneakers", -1, 0);

    json_t *all = period(&f, INT64_MIN, INT64_MAX, NULL, NULL);
    assert_int_equal(num(all, "listings_decided"), 5);
    assert_int_equal(num(all, "blocked_at_creation"), 3);
    assert_int_equal(num(all, "held_at_creation"), 1);
    assert_int_equal(num(all, "value_kept.listings"), 1); /* the ordered one is not kept */
    assert_int_equal(num(all, "value_kept.usd"), 9000);
    assert_int_equal(num(all, "value_kept.unpriced"), 1);
    json_t *top = json_object_get(all, "top_brands");
    assert_string_equal(json_string_value(json_object_get(json_array_get(top, 0), "id")), "nike");
    assert_int_equal(json_array_size(json_object_get(json_object_get(all, "filters"), "brands")),
                     2);
    json_decref(all);

    json_t *rolex = period(&f, INT64_MIN, INT64_MAX, "rolex", NULL);
    assert_int_equal(num(rolex, "listings_decided"), 2);
    assert_int_equal(num(rolex, "value_kept.usd"), 9000);
    assert_int_equal(json_array_size(json_object_get(rolex, "top_brands")), 1);
    json_decref(rolex);
    json_t *sneakers = period(&f, INT64_MIN, INT64_MAX, NULL, "sneakers");
    assert_int_equal(num(sneakers, "listings_decided"), 3);
    assert_int_equal(num(sneakers, "value_kept.usd"), 0);
    assert_int_equal(num(sneakers, "value_kept.unpriced"), 1);
    json_decref(sneakers);
    json_t *none = period(&f, INT64_MIN, INT64_MAX, "gucci", NULL);
    assert_int_equal(num(none, "listings_decided"), 0);
    json_decref(none);

    /* a period: day 1 only */
    json_t *one = period(&f, T0 + DAY, T0 + 2 * DAY, NULL, NULL);
    assert_int_equal(num(one, "listings_decided"), 1);
    assert_int_equal(num(one, "days"), 1);
    json_decref(one);

    /* day 3: the blocked Rolex put back live (an appeal): out of day 0 again */
    gn_figures_status(&f, T0 + 3 * DAY, 0, 0, 0, 9000, 0, NULL, 0);
    json_t *after = period(&f, INT64_MIN, INT64_MAX, NULL, NULL);
    assert_int_equal(num(after, "value_kept.usd"), 0);
    assert_int_equal(num(after, "value_kept.listings"), 0);
    json_decref(after);
    gn_figures_free(&f);
}

static void test_confirmed_origins_and_notices(void **state)
{
    gn_figures f = {0};
    gn_figures_decision(&f, T0, 0, 1, 0, 0, "rolex", "Rolex", "watches", 9000, 0);
    gn_figures_decision(&f, T0, 1, 1, 0, 0, "nike", "Nike", "sneakers", 120, 0);
    const uint16_t cn[] = {'C' | 'N' << 8, 'H' | 'K' << 8};
    /* taken down on day 2, never ordered: confirmed, its origins, its value */
    gn_figures_status(&f, T0 + 2 * DAY, 0, 1, 1, 9000, 0, cn, 2);
    json_t *j = period(&f, INT64_MIN, INT64_MAX, "rolex", NULL);
    assert_int_equal(num(j, "confirmed_counterfeits"), 1);
    assert_int_equal(num(j, "value_kept.usd"), 9000);
    json_t *origins = json_object_get(j, "origins");
    assert_int_equal(json_array_size(origins), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(origins, 0), "country")),
                        "CN");
    json_decref(j);
    j = period(&f, INT64_MIN, INT64_MAX, "nike", NULL);
    assert_int_equal(json_array_size(json_object_get(j, "origins")), 0);
    json_decref(j);

    /* notices: H1's confirmed and rejected, H2's settled, an opening */
    gn_figures_notice(&f, T0 + DAY, 0, "opened", "H1");
    gn_figures_notice(&f, T0 + 2 * DAY, 0, "confirmed", "H1");
    gn_figures_notice(&f, T0 + 2 * DAY, 1, "rejected", "H1");
    gn_figures_notice(&f, T0 + 2 * DAY, 1, "settled", "H2");
    gn_figures_notice(&f, T0 + 2 * DAY, 1, "no_such_outcome", "H2");
    j = period(&f, INT64_MIN, INT64_MAX, NULL, NULL);
    assert_int_equal(num(j, "notices.opened"), 1);
    assert_int_equal(num(j, "notices.confirmed"), 1);
    assert_int_equal(num(j, "notices_decided"), 3);
    assert_int_equal(llround(1000 * json_number_value(json_object_get(j, "acceptance_rate"))), 667);
    json_t *filers = json_object_get(j, "filers");
    assert_int_equal(json_array_size(filers), 2);
    json_t *h1 = json_array_get(filers, 0);
    assert_string_equal(json_string_value(json_object_get(h1, "filer")), "H1");
    assert_int_equal(num(h1, "decided"), 2);
    assert_int_equal(num(h1, "accepted"), 1);
    json_decref(j);
    j = period(&f, INT64_MIN, INT64_MAX, "nike", NULL); /* the notices on Nike's listing */
    assert_int_equal(num(j, "notices_decided"), 2);
    json_decref(j);

    /* put back (an appeal upheld): no longer confirmed, its origins out again */
    gn_figures_status(&f, T0 + 4 * DAY, 0, 0, 0, 9000, 0, NULL, 0);
    j = period(&f, INT64_MIN, INT64_MAX, NULL, NULL);
    assert_int_equal(num(j, "confirmed_counterfeits"), 0);
    assert_int_equal(json_array_size(json_object_get(j, "origins")), 0);
    json_decref(j);

    /* reviewers and appeals under a filter */
    gn_figures_verdict(&f, T0 + DAY, 0, "R1", 1);
    gn_figures_verdict(&f, T0 + DAY, 1, "R2", 0);
    gn_figures_appeal(&f, T0 + 2 * DAY, 0, "R1", 1);
    j = period(&f, INT64_MIN, INT64_MAX, "rolex", NULL);
    assert_int_equal(num(j, "human_verdicts.counterfeit"), 1);
    assert_int_equal(num(j, "human_verdicts.genuine"), 0);
    assert_int_equal(num(j, "appeals.upheld"), 1);
    json_t *r = json_array_get(json_object_get(j, "reviewers"), 0);
    assert_string_equal(json_string_value(json_object_get(r, "reviewer")), "R1");
    assert_int_equal(num(r, "reversed_on_appeal"), 1);
    json_decref(j);
    gn_figures_free(&f);
}

/* Many days, brands and categories: the hashes grow and keep every count. */
static void test_many(void **state)
{
    gn_figures f = {0};
    char brand[16], category[16];
    for (uint32_t i = 0; i < 20000; i++) {
        snprintf(brand, sizeof brand, "b%u", i % 300);
        snprintf(category, sizeof category, "c%u", i % 40);
        gn_figures_decision(&f, T0 + (int64_t)(i % 400) * DAY, i, 1, (int)(i % 3), i % 3 == 2,
                            brand, brand, category, 10, 0);
    }
    json_t *j = period(&f, INT64_MIN, INT64_MAX, NULL, NULL);
    assert_int_equal(num(j, "listings_decided"), 20000);
    assert_int_equal(num(j, "value_kept.usd"), 10 * 6666);
    assert_int_equal(num(j, "days"), 400);
    json_decref(j);
    j = period(&f, INT64_MIN, INT64_MAX, "b7", NULL);
    assert_int_equal(num(j, "listings_decided"), 20000 / 300 + (7 < 20000 % 300));
    json_decref(j);
    gn_figures_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_filters_and_value_kept),
        cmocka_unit_test(test_confirmed_origins_and_notices),
        cmocka_unit_test(test_many),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
