/* The weighted policy: each signal weighs what the configuration says for
 * its code (known to the model or not), strongest first, and the score and
 * action follow. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decide/policy.h"

static void test_weights_from_configuration(void **state)
{
    char path[] = "/tmp/genuine-test-policy-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("weight.COUNTERFEIT_LINGO = 3\nweight.SELLER_RING = 0.25\n", f);
    fclose(f);
    gn_config cfg;
    gn_error err;
    assert_int_equal(gn_config_load(&cfg, path, &err), 0);
    unlink(path);
    gn_policy p;
    gn_policy_load(&p, &cfg);
    /* Codes written out here, not the detectors' own strings. */
    char lingo[] = "COUNTERFEIT_LINGO", ring[] = "SELLER_RING", other[] = "SOMETHING_NEW",
         template[] = "SELLER_BASIC_TEMPLATE";
    gn_signals s = {.count = 4};
    s.items[0] = (gn_signal){.code = ring, .value = 1};
    s.items[1] = (gn_signal){.code = other, .value = 0.5};
    s.items[2] = (gn_signal){.code = lingo, .value = 0.5};
    s.items[3] = (gn_signal){.code = template, .value = 1};
    gn_decision d;
    gn_policy_decide(&p, &s, &d);
    double basic = gn_config_get(&cfg, "weight.SELLER_BASIC_TEMPLATE");
    assert_string_equal(s.items[0].code, "COUNTERFEIT_LINGO");
    assert_true(fabs(s.items[0].weight - 1.5) < 1e-12);
    double evidence = 1.5 + 0.5 + 0.25 + basic;
    assert_true(fabs(d.score - (1 - exp(-evidence))) < 1e-12);
    for (int i = 0; i < 4; i++) {
        if (strcmp(s.items[i].code, "SOMETHING_NEW") == 0)
            assert_true(fabs(s.items[i].weight - 0.5) < 1e-12); /* one unit */
        if (strcmp(s.items[i].code, "SELLER_RING") == 0)
            assert_true(fabs(s.items[i].weight - 0.25) < 1e-12);
        if (strcmp(s.items[i].code, "SELLER_BASIC_TEMPLATE") == 0)
            assert_true(fabs(s.items[i].weight - basic) < 1e-12);
        if (i) assert_true(s.items[i - 1].weight >= s.items[i].weight);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_weights_from_configuration)};
    return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
