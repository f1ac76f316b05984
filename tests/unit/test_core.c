/* Core helpers: RFC 3339 time, the string map, JSON string escaping, the
 * configuration file and its errors, and the price histograms. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/config.h"
#include "core/format.h"
#include "core/rng.h"
#include "core/strmap.h"
#include "state/prices.h"

static void test_time(void **state)
{
    int64_t ms;
    assert_int_equal(gn_time_parse("1970-01-01T00:00:00Z", &ms), 0);
    assert_int_equal(ms, 0);
    assert_int_equal(gn_time_parse("2026-11-22T10:00:00Z", &ms), 0);
    assert_int_equal(ms, 1795341600000LL);
    int64_t with_offset;
    assert_int_equal(gn_time_parse("2026-11-22T11:30:00.250+01:30", &with_offset), 0);
    assert_int_equal(with_offset, ms + 250);
    assert_int_equal(gn_time_parse("2024-02-29T00:00:00Z", &ms), 0);
    assert_int_equal(gn_time_parse("2023-02-29T00:00:00Z", &ms), -1);
    assert_int_equal(gn_time_parse("2026-11-22", &ms), -1);
    assert_int_equal(gn_time_parse("2026-11-22T10:00:00", &ms), -1);
    assert_int_equal(gn_time_parse("2026-13-01T00:00:00Z", &ms), -1);
    assert_int_equal(gn_time_parse("2026-11-22T10:00:00Zjunk", &ms), -1);
    char out[32];
    gn_time_format(1795341600000LL, out, sizeof out);
    assert_string_equal(out, "2026-11-22T10:00:00Z");
}

static void test_strmap(void **state)
{
    gn_strmap m = {0};
    char key[32];
    for (uint32_t i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "seller-%u", i);
        int added;
        *gn_strmap_put(&m, key, &added, NULL) = i;
        assert_true(added);
    }
    assert_int_equal(m.count, 10000);
    for (uint32_t i = 0; i < 10000; i++) {
        snprintf(key, sizeof key, "seller-%u", i);
        uint32_t *v = gn_strmap_find(&m, key);
        assert_non_null(v);
        assert_int_equal(*v, i);
    }
    assert_null(gn_strmap_find(&m, "seller-10000"));
    int added;
    gn_strmap_put(&m, "seller-5", &added, NULL);
    assert_false(added);
    gn_strmap_free(&m);
}

static void test_json_escape(void **state)
{
    gn_buf b = {0};
    gn_buf_json_string(&b, "a\"b\\c\n\x01é");
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001é\"");
    gn_buf_free(&b);
    /* Every byte, alone and in runs around escapes, after text already in
     * the buffer and into a buffer just too small: as escaped byte by byte. */
    gn_rng rng;
    gn_rng_seed(&rng, 3);
    char text[600], want[600 * 6 + 3];
    for (int round = 0; round < 3000; round++) {
        size_t n = gn_rng_next(&rng) % (round < 256 ? 2 : sizeof text);
        for (size_t i = 0; i < n; i++) {
            uint64_t r = gn_rng_next(&rng);
            text[i] = (char)(round < 256 ? (uint64_t)round : r % 4 ? 'a' + r % 26 : r >> 8);
            if (!text[i]) text[i] = '"';
        }
        text[n] = 0;
        size_t w = 0;
        want[w++] = '"';
        for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
            const char *esc = *p == '"'    ? "\\\""
                              : *p == '\\' ? "\\\\"
                              : *p == '\n' ? "\\n"
                              : *p == '\r' ? "\\r"
                              : *p == '\t' ? "\\t"
                                           : NULL;
            if (esc)
                w += (size_t)sprintf(want + w, "%s", esc);
            else if (*p < 0x20)
                w += (size_t)sprintf(want + w, "\\u%04x", *p);
            else
                want[w++] = (char)*p;
        }
        want[w++] = '"';
        want[w] = 0;
        gn_buf_puts(&b, "x");
        gn_buf_json_string(&b, text);
        assert_int_equal(b.len, w + 1);
        assert_string_equal(b.data + 1, want);
        gn_buf_free(&b);
    }
}

static void test_config(void **state)
{
    gn_config cfg;
    gn_error err = {0};
    assert_int_equal(gn_config_load(&cfg, NULL, &err), 0);
    assert_true(gn_config_get(&cfg, "policy.block_at") > gn_config_get(&cfg, "policy.review_at"));
    char path[] = "/tmp/genuine-test-config-XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    fputs("# stricter\npolicy.review_at = 0.4\n\nweight.COUNTERFEIT_LINGO=3\n", f);
    fclose(f);
    assert_int_equal(gn_config_load(&cfg, path, &err), 0);
    assert_true(fabs(gn_config_get(&cfg, "policy.review_at") - 0.4) < 1e-9);
    assert_true(fabs(gn_config_get(&cfg, "weight.COUNTERFEIT_LINGO") - 3) < 1e-9);

    f = fopen(path, "w");
    fputs("policy.review_at = 0.4\npolicy.review_after = 3\n", f);
    fclose(f);
    assert_int_equal(gn_config_load(&cfg, path, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, ":2: unknown key 'policy.review_after'"));
    f = fopen(path, "w");
    fputs("policy.review_at = high\n", f);
    fclose(f);
    assert_int_equal(gn_config_load(&cfg, path, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, ":1: the value of 'policy.review_at' is not a number"));
    unlink(path);
    assert_int_equal(gn_config_load(&cfg, "/nonexistent/genuine.conf", &err), GN_ECONFIG);
}

static void test_price_median_resists_fakes(void **state)
{
    gn_prices p = {0};
    uint32_t key = gn_prices_key(&p, "B1", "bags", "USD");
    /* 80 genuine prices around 1,000 and 20 fakes at 50: the median stays near 1,000. */
    for (int i = 0; i < 80; i++)
        gn_prices_add(&p, key, 900 + i * 2.5, +1);
    for (int i = 0; i < 20; i++)
        gn_prices_add(&p, key, 50, +1);
    uint32_t count;
    double median = gn_prices_median(&p, key, &count);
    assert_int_equal(count, 100);
    assert_true(median > 850 && median < 1150);
    for (int i = 0; i < 80; i++)
        gn_prices_add(&p, key, 900 + i * 2.5, -1);
    median = gn_prices_median(&p, key, &count);
    assert_int_equal(count, 20);
    assert_true(median > 44 && median < 56);
    assert_int_equal(gn_prices_find(&p, "B1", "shoes", "USD"), GN_PRICES_NONE);
    gn_prices_free(&p);
}

/* gn_format must write what snprintf writes, byte for byte. */
static void same_as_printf(const char *fmt, double x)
{
    char want[512], got[512];
    int n = snprintf(want, sizeof want, fmt, x);
    memset(got, 'X', sizeof got);
    int m = gn_format(got, sizeof got, fmt, x);
    if (n != m || strcmp(want, got) != 0)
        fail_msg("%s of %a (%.17g): printf \"%s\" (%d), gn_format \"%s\" (%d)", fmt, x, x, want, n,
                 got, m);
}

static void test_format_numbers(void **state)
{
    static const char *const formats[] = {"%.0f", "%.1f", "%.2f", "%.4f", "%f",    "%.3g",
                                          "%.4g", "%g",   "%.1g", "%.0g", "%.17g", "%.9g"};
    const size_t n_formats = sizeof formats / sizeof *formats;
    static const double edges[] = {
        0.0,    -0.0,     0.5,       1.5,     2.5,      0.125,  0.375,  1.005, 2.675,
        0.045,  9.995,    99.995,    0.99995, 0.999949, 9.9995, 999.95, 1e-4,  9.99995e-5,
        1e-5,   123456.5, 999999.5,  1e15,    1e16,     1e17,   1e19,   1e22,  1e300,
        5e-324, -1.25,    -0.001,    1e12,    0.1,      0.2,    0.3,    100,   4503599627370497.5,
        NAN,    INFINITY, -INFINITY, 1.0 / 3, 2.0 / 3,  0.05};
    for (size_t f = 0; f < n_formats; f++)
        for (size_t i = 0; i < sizeof edges / sizeof *edges; i++)
            same_as_printf(formats[f], edges[i]);
    gn_rng rng;
    gn_rng_seed(&rng, 7);
    for (int i = 0; i < 200000; i++) {
        uint64_t r = gn_rng_next(&rng);
        double x;
        switch (i % 4) {
        case 0: /* any finite double */
            memcpy(&x, &r, sizeof x);
            if (!isfinite(x)) continue;
            break;
        case 1: /* prices: cents, and halfway cases of every rounding */
            x = (double)(r % 100000000) / (i % 8 == 1 ? 1000 : 100);
            break;
        case 2: /* scores, weights and ratios */
            x = (double)(r >> 11) * 0x1p-53 * (double)(1 << (r % 11));
            break;
        default: /* wide range of magnitudes */
            x = ldexp((double)(r >> 11) * 0x1p-53, (int)(r % 160) - 80);
        }
        for (size_t f = 0; f < n_formats; f++)
            same_as_printf(formats[f], x);
    }
}

static void test_format_text(void **state)
{
    char want[64], got[64];
    /* Integers, strings, precision, %%, and truncation at every size. */
    for (size_t size = 0; size <= sizeof got; size++) {
        memset(want, 'X', sizeof want);
        memset(got, 'X', sizeof got);
        int n = snprintf(want, size, "%s is %.3s: %d%% of %u, %zu %ld %lld %c %.2f %.4g", "price",
                         "abcdef", -42, 4294967295u, (size_t)7, -9L, -9223372036854775807LL - 1,
                         'z', 3.14159, 0.94);
        int m = gn_format(got, size, "%s is %.3s: %d%% of %u, %zu %ld %lld %c %.2f %.4g", "price",
                          "abcdef", -42, 4294967295u, (size_t)7, -9L, -9223372036854775807LL - 1,
                          'z', 3.14159, 0.94);
        assert_int_equal(n, m);
        assert_memory_equal(want, got, sizeof got);
    }
    /* What it leaves to vsnprintf comes out the same too. */
    assert_int_equal(gn_format(got, sizeof got, "[%5d|%-4s|%x|%e|%s]", 42, "ab", 255, 1.5, "z"),
                     (int)strlen("[   42|ab  |ff|1.500000e+00|z]"));
    assert_string_equal(got, "[   42|ab  |ff|1.500000e+00|z]");
    gn_format(got, sizeof got, "%.1s%s", "xyz", "");
    assert_string_equal(got, "x");
}

/* The median through the groups' counts is the one a scan of every bucket
 * gives, bit for bit, while prices come and go. */
static void test_price_median_exact(void **state)
{
    gn_prices p = {0};
    gn_rng rng;
    gn_rng_seed(&rng, 11);
    uint32_t key = gn_prices_key(&p, "B1", "", "USD");
    double added[4000];
    size_t n = 0;
    for (int step = 0; step < 20000; step++) {
        uint64_t r = gn_rng_next(&rng);
        if (n > 0 && r % 3 == 0) {
            size_t i = (size_t)(r >> 8) % n;
            gn_prices_add(&p, key, added[i], -1);
            added[i] = added[--n];
        } else if (n < sizeof added / sizeof *added) {
            /* clustered prices, some far outside the buckets' range */
            double price = r % 50 == 0 ? 1e9 : r % 49 == 0 ? 0.001 : exp((double)(r % 1000) / 80);
            gn_prices_add(&p, key, price, +1);
            added[n++] = price;
        }
        uint32_t count;
        double got = gn_prices_median(&p, key, &count);
        assert_int_equal(count, n);
        /* What the scan of every bucket gives (log buckets, 21 a decade from 0.01). */
        int buckets[GN_PRICE_BUCKETS] = {0};
        for (size_t i = 0; i < n; i++) {
            int b = added[i] > 0 ? (int)floor((log10(added[i]) + 2.0) * 21.0) : 0;
            buckets[b < 0 ? 0 : b >= GN_PRICE_BUCKETS ? GN_PRICE_BUCKETS - 1 : b]++;
        }
        double want = 0, half = n / 2.0, seen = 0;
        for (int b = 0; n && b < GN_PRICE_BUCKETS; b++) {
            if (seen + buckets[b] >= half && buckets[b]) {
                want = pow(10, -2.0 + (b + (half - seen) / buckets[b]) / 21.0);
                break;
            }
            seen += buckets[b];
        }
        if (got != want)
            fail_msg("step %d: median %.17g, a full scan gives %.17g", step, got, want);
    }
    gn_prices_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time),
        cmocka_unit_test(test_strmap),
        cmocka_unit_test(test_json_escape),
        cmocka_unit_test(test_format_numbers),
        cmocka_unit_test(test_format_text),
        cmocka_unit_test(test_config),
        cmocka_unit_test(test_price_median_resists_fakes),
        cmocka_unit_test(test_price_median_exact),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
