/* The strict JSON parser (core/json.c): short input -> expected result tables
 * for every rule it enforces, then values (escapes, numbers against strtod,
 * nesting), reuse of one doc, large and adversarial documents. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

/* ---- rejections: input -> the exact message --------------------------- */

typedef struct bad_case {
    const char *text;
    size_t len; /* 0: strlen(text) */
    const char *message;
} bad_case;

static const bad_case bad[] = {
    {"", 0, "not valid JSON: the input is empty (column 1)"},
    {" \n\t ", 0, "not valid JSON: the input holds only whitespace (column 5)"},
    /* trailing commas */
    {"[1,]", 0, "not valid JSON: trailing comma in an array (column 4)"},
    {"[1, ]", 0, "not valid JSON: trailing comma in an array (column 5)"},
    {"{\"a\":1,}", 0, "not valid JSON: trailing comma in an object (column 8)"},
    {"[,1]", 0, "not valid JSON: unexpected ',' where a value should start (column 2)"},
    /* duplicate keys */
    {"{\"a\":1,\"a\":2}", 0, "not valid JSON: duplicate key \"a\" in an object (column 8)"},
    {"{\"usd\":1,\"eur\":2,\"usd\":3}", 0,
     "not valid JSON: duplicate key \"usd\" in an object (column 18)"},
    {"[{\"x\":{\"q\\\"\":1,\"q\\u0022\":2}}]", 0,
     "not valid JSON: duplicate key \"q\\\"\" in an object (column 16)"},
    /* strings */
    {"[\"abc", 0, "not valid JSON: unterminated string (column 2)"},
    {"\"abc\\", 0, "not valid JSON: unterminated string (column 1)"},
    {"\"a\x01\"", 0,
     "not valid JSON: control character 0x01 in a string (it must be escaped) "
     "(column 3)"},
    {"\"a\tb\"", 0,
     "not valid JSON: control character 0x09 in a string (it must be escaped) "
     "(column 3)"},
    {"\"a\nb\"", 0,
     "not valid JSON: control character 0x0A in a string (it must be escaped) "
     "(column 3)"},
    {"\"ab\0\"", 5,
     "not valid JSON: control character 0x00 in a string (it must be escaped) "
     "(column 4)"},
    {"\"\\x\"", 0,
     "not valid JSON: invalid escape in a string: a backslash must be followed by "
     "one of \" \\ / b f n r t u (column 2)"},
    {"\"\\'\"", 0,
     "not valid JSON: invalid escape in a string: a backslash must be followed by "
     "one of \" \\ / b f n r t u (column 2)"},
    {"\"\\u12G4\"", 0,
     "not valid JSON: invalid \\u escape in a string: it needs four hex digits (column 2)"},
    {"\"\\u12\"", 0,
     "not valid JSON: invalid \\u escape in a string: it needs four hex digits (column 2)"},
    /* surrogates */
    {"\"\\ud800\"", 0, "not valid JSON: unpaired surrogate \\uD800 in a string (column 2)"},
    {"\"x\\uDBFF\"", 0, "not valid JSON: unpaired surrogate \\uDBFF in a string (column 3)"},
    {"\"\\udc00\"", 0, "not valid JSON: unpaired surrogate \\uDC00 in a string (column 2)"},
    {"\"\\ud800\\u0041\"", 0, "not valid JSON: unpaired surrogate \\uD800 in a string (column 2)"},
    {"\"\\ud800\\n\"", 0, "not valid JSON: unpaired surrogate \\uD800 in a string (column 2)"},
    {"\"\\ud800\\ud800\"", 0, "not valid JSON: unpaired surrogate \\uD800 in a string (column 2)"},
    /* invalid UTF-8 */
    {"\"\xff\"", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"},
    {"\"ab\x80\"", 0, "not valid JSON: invalid UTF-8 in a string (column 4)"},
    {"\"\xc0\xaf\"", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"},     /* overlong */
    {"\"\xe0\x80\xaf\"", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"}, /* overlong */
    {"\"\xed\xa0\x80\"", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"}, /* surrogate */
    {"\"\xf4\x90\x80\x80\"", 0,
     "not valid JSON: invalid UTF-8 in a string (column 2)"}, /* above U+10FFFF */
    {"\"\xe2\x82\"", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"}, /* truncated */
    {"\"\xe2\x82", 0, "not valid JSON: invalid UTF-8 in a string (column 2)"},
    {"\"0123456789abcdef\xc3(\"", 0, "not valid JSON: invalid UTF-8 in a string (column 18)"},
    {"\xef\xbb\xbf{}", 0,
     "not valid JSON: unexpected byte 0xEF where a value should start (column 1)"},
    /* numbers */
    {"01", 0, "not valid JSON: leading zeros are not allowed in numbers (column 1)"},
    {"-01", 0, "not valid JSON: leading zeros are not allowed in numbers (column 1)"},
    {"[00]", 0, "not valid JSON: leading zeros are not allowed in numbers (column 2)"},
    {"NaN", 0, "not valid JSON: NaN and Infinity are not JSON numbers (column 1)"},
    {"[Infinity]", 0, "not valid JSON: NaN and Infinity are not JSON numbers (column 2)"},
    {"-Infinity", 0, "not valid JSON: NaN and Infinity are not JSON numbers (column 1)"},
    {"1.", 0, "not valid JSON: invalid number: a digit must follow the decimal point (column 1)"},
    {"1.e5", 0, "not valid JSON: invalid number: a digit must follow the decimal point (column 1)"},
    {".5", 0, "not valid JSON: unexpected '.' where a value should start (column 1)"},
    {"+1", 0, "not valid JSON: unexpected '+' where a value should start (column 1)"},
    {"1e", 0, "not valid JSON: invalid number: the exponent needs digits (column 1)"},
    {"[1E+]", 0, "not valid JSON: invalid number: the exponent needs digits (column 2)"},
    {"-", 0, "not valid JSON: invalid number: '-' must be followed by a digit (column 1)"},
    {"- 1", 0, "not valid JSON: invalid number: '-' must be followed by a digit (column 1)"},
    {"0x10", 0, "not valid JSON: unexpected 'x' after the JSON value (column 2)"},
    {"1e400", 0, "not valid JSON: number too large for a double (column 1)"},
    {"[-1.5e308, -2e308]", 0, "not valid JSON: number too large for a double (column 12)"},
    /* structure */
    {"[1] x", 0, "not valid JSON: unexpected 'x' after the JSON value (column 5)"},
    {"[1]]", 0, "not valid JSON: unexpected ']' after the JSON value (column 4)"},
    {"{} {}", 0, "not valid JSON: unexpected '{' after the JSON value (column 4)"},
    {"[1]\0", 4, "not valid JSON: unexpected byte 0x00 after the JSON value (column 4)"},
    {"{\"a\" 1}", 0, "not valid JSON: expected ':' after an object key, found '1' (column 6)"},
    {"{1:2}", 0, "not valid JSON: expected a string key in an object, found '1' (column 2)"},
    {"{'a':2}", 0, "not valid JSON: expected a string key in an object, found ''' (column 2)"},
    {"[1 2]", 0,
     "not valid JSON: expected ',' or ']' after an array element, found '2' (column 4)"},
    {"{\"a\":1 \"b\":2}", 0,
     "not valid JSON: expected ',' or '}' after an object member, found '\"' (column 8)"},
    {"[1}", 0, "not valid JSON: expected ',' or ']' after an array element, found '}' (column 3)"},
    {"{\"a\":1]", 0,
     "not valid JSON: expected ',' or '}' after an object member, found ']' (column 7)"},
    {"]", 0, "not valid JSON: expected a value, found ']' (column 1)"},
    {"{\"a\":}", 0, "not valid JSON: expected a value, found '}' (column 6)"},
    {"[", 0, "not valid JSON: unexpected end of input (column 2)"},
    {"[1,", 0, "not valid JSON: unexpected end of input (column 4)"},
    {"{\"a\"", 0, "not valid JSON: unexpected end of input (column 5)"},
    {"{\"a\":", 0, "not valid JSON: unexpected end of input (column 6)"},
    {"{\"a\":1", 0, "not valid JSON: unexpected end of input (column 7)"},
    {"tru", 0, "not valid JSON: invalid literal (expected true, false or null) (column 1)"},
    {"[nul]", 0, "not valid JSON: invalid literal (expected true, false or null) (column 2)"},
    {"True", 0, "not valid JSON: unexpected 'T' where a value should start (column 1)"},
    {"truex", 0, "not valid JSON: unexpected 'x' after the JSON value (column 5)"},
    {"[1,\n 2,\n x]", 0, "not valid JSON: unexpected 'x' where a value should start (column 10)"},
    {"[1,\v2]", 0, "not valid JSON: unexpected byte 0x0B where a value should start (column 4)"},
};

static void test_rejections(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gn_error err = {0};
        size_t len = bad[i].len ? bad[i].len : strlen(bad[i].text);
        const gn_json *v = gn_json_parse(&doc, bad[i].text, len, &err);
        if (v || err.code != GN_EINPUT || strcmp(err.message, bad[i].message)) {
            print_error("case %zu: %s\n  got:  %s\n  want: %s\n", i, bad[i].text,
                        v ? "(accepted)" : err.message, bad[i].message);
            fail();
        }
    }
    gn_json_doc_free(&doc);
}

/* ---- acceptance: input -> type -------------------------------------- */

typedef struct good_case {
    const char *text;
    gn_json_type type;
} good_case;

static const good_case good[] = {
    {"null", GN_JSON_NULL},
    {"true", GN_JSON_TRUE},
    {"false", GN_JSON_FALSE},
    {"0", GN_JSON_NUMBER},
    {"-0", GN_JSON_NUMBER},
    {"\"\"", GN_JSON_STRING},
    {"[]", GN_JSON_ARRAY},
    {"{}", GN_JSON_OBJECT},
    {" \t\r\n[ 1 , 2 ] \n", GN_JSON_ARRAY},
    {"{ \"a\" : [ ] , \"b\" : { } }", GN_JSON_OBJECT},
    {"[{\"a\":1},{\"a\":1}]", GN_JSON_ARRAY}, /* same key in two objects */
    {"{\"a\":{\"a\":{\"a\":1}}}", GN_JSON_OBJECT},
    {"{\"a\":1,\"A\":2,\"a \":3,\"\":4}", GN_JSON_OBJECT},
    {"\"\\u0000\"", GN_JSON_STRING},
    {"\"\xef\xbb\xbf\"", GN_JSON_STRING}, /* a BOM inside a string is just U+FEFF */
    {"\"\xf4\x8f\xbf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xee\x80\x80\"", GN_JSON_STRING},
    {"1E5", GN_JSON_NUMBER},
    {"1e-5", GN_JSON_NUMBER},
    {"-0.0e+0", GN_JSON_NUMBER},
};

static void test_acceptance(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        gn_error err = {0};
        const gn_json *v = gn_json_parse(&doc, good[i].text, strlen(good[i].text), &err);
        if (!v || gn_json_typeof(v) != good[i].type) {
            print_error("case %zu: %s\n  got: %s\n", i, good[i].text,
                        v ? "another type" : err.message);
            fail();
        }
    }
    gn_json_doc_free(&doc);
}

/* ---- strings --------------------------------------------------------- */

static void check_string(gn_json_doc *doc, const char *text, const char *want, size_t want_len)
{
    gn_error err = {0};
    const gn_json *v = gn_json_parse(doc, text, strlen(text), &err);
    if (!v) print_error("%s: %s\n", text, err.message);
    assert_non_null(v);
    size_t len = 99;
    const char *s = gn_json_string(v, &len);
    assert_non_null(s);
    assert_int_equal(len, want_len);
    assert_memory_equal(s, want, want_len);
    assert_int_equal(s[len], 0);
}

static void test_escapes(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    check_string(&doc, "\"\\n\\\"\\\\\\/\\b\\f\\r\\t\"", "\n\"\\/\b\f\r\t", 8);
    check_string(&doc, "\"plain\"", "plain", 5);
    check_string(&doc, "\"\"", "", 0);
    check_string(&doc, "\"\\u0041\\u00e9\\u00E9\"", "A\xc3\xa9\xc3\xa9", 5);
    check_string(&doc, "\"\\u20AC\"", "\xe2\x82\xac", 3);
    check_string(&doc, "\"\\u4e3d\"", "丽", 3);
    check_string(&doc, "\"\\ud83d\\ude00\"", "\xf0\x9f\x98\x80", 4); /* 😀 */
    check_string(&doc, "\"\\uDBFF\\uDFFF\"", "\xf4\x8f\xbf\xbf", 4); /* U+10FFFF */
    check_string(&doc, "\"\\uD800\\uDC00\"", "\xf0\x90\x80\x80", 4); /* U+10000 */
    check_string(&doc, "\"a\\u0000b\"", "a\0b", 3);
    check_string(&doc, "\"\\uffff\"", "\xef\xbf\xbf", 3);
    check_string(&doc, "\"h\xc3\xa9llo \xe4\xb8\xbd\xe6\xb3\xbd \xf0\x9f\x98\x80!\"",
                 "h\xc3\xa9llo \xe4\xb8\xbd\xe6\xb3\xbd \xf0\x9f\x98\x80!", 19);
    /* Escapes and non-ASCII at every offset around the 16- and 8-byte fast
     * loops. */
    for (int pad = 0; pad < 40; pad++) {
        char text[64], want[64];
        memset(text, 0, sizeof text);
        text[0] = '"';
        memset(text + 1, 'x', (size_t)pad);
        memset(want, 'x', (size_t)pad);
        strcpy(text + 1 + pad, "\\t\xc3\xa9\\\"yz\"");
        memcpy(want + pad, "\t\xc3\xa9\"yz", 6);
        check_string(&doc, text, want, (size_t)pad + 6);
        /* A raw control character there is refused, at its column. */
        text[1 + pad] = 0x1f;
        gn_error err;
        assert_null(gn_json_parse(&doc, text, strlen(text), &err));
        char message[128];
        snprintf(message, sizeof message,
                 "not valid JSON: control character 0x1F in a string (it must be escaped) "
                 "(column %d)",
                 pad + 2);
        assert_string_equal(err.message, message);
        /* And a string that ends right after the fast loops' reach. */
        memset(text + 1, 'y', (size_t)pad + 20);
        text[pad + 21] = '"';
        text[pad + 22] = 0;
        const gn_json *v = gn_json_parse(&doc, text, strlen(text), &err);
        assert_non_null(v);
        assert_int_equal(strspn(gn_json_string(v, NULL), "y"), pad + 20);
    }
    gn_json_doc_free(&doc);
}

/* ---- numbers --------------------------------------------------------- */

static const gn_json *parse_ok(gn_json_doc *doc, const char *text)
{
    gn_error err = {0};
    const gn_json *v = gn_json_parse(doc, text, strlen(text), &err);
    if (!v) print_error("%s: %s\n", text, err.message);
    assert_non_null(v);
    return v;
}

static void check_integer(gn_json_doc *doc, const char *text, int64_t want)
{
    const gn_json *v = parse_ok(doc, text);
    assert_int_equal(gn_json_typeof(v), GN_JSON_NUMBER);
    assert_true(gn_json_is_integer(v));
    assert_true(gn_json_integer(v) == want);
    assert_true(gn_json_number(v) == (double)want);
}

/* Not an integer, and exactly the double strtod reads. */
static void check_double(gn_json_doc *doc, const char *text)
{
    const gn_json *v = parse_ok(doc, text);
    double want = strtod(text, NULL), got = gn_json_number(v);
    assert_false(gn_json_is_integer(v));
    if (memcmp(&want, &got, sizeof got)) {
        print_error("%s: got %.17g, want %.17g\n", text, got, want);
        fail();
    }
}

static void test_numbers(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    check_integer(&doc, "0", 0);
    check_integer(&doc, "-0", 0);
    check_integer(&doc, "7", 7);
    check_integer(&doc, "-123", -123);
    check_integer(&doc, "1000000000000000000", 1000000000000000000LL);
    check_integer(&doc, "9223372036854775807", INT64_MAX);
    check_integer(&doc, "-9223372036854775807", -INT64_MAX);
    check_integer(&doc, "-9223372036854775808", INT64_MIN);
    check_integer(&doc, "9007199254740993", 9007199254740993LL); /* exact, beyond 2^53 */
    check_double(&doc, "9223372036854775808");                   /* past int64: a double */
    check_double(&doc, "-9223372036854775809");
    check_double(&doc, "18446744073709551616");
    check_double(&doc, "123456789012345678901234567890");
    check_double(&doc, "1e2");
    check_double(&doc, "1.0");
    check_double(&doc, "-0.0");
    assert_true(signbit(gn_json_number(parse_ok(&doc, "-0.0"))));
    check_double(&doc, "0.1");
    check_double(&doc, "686.00");
    check_double(&doc, "0.30000000000000004");
    check_double(&doc, "3.141592653589793238462643383279");
    check_double(&doc, "1.7976931348623157e308"); /* largest double */
    check_double(&doc, "4.9e-324");               /* smallest denormal */
    check_double(&doc, "2.2250738585072011e-308");
    check_double(&doc, "2.2250738585072012e-308");
    check_double(&doc, "1e-400"); /* underflows to 0: accepted, as jansson does */
    check_double(&doc, "9007199254740993.0");
    check_double(&doc, "9007199254740992e1");
    check_double(&doc, "1e22");
    check_double(&doc, "1e23");
    check_double(&doc, "0.000000000000000000000000000001234");
    check_double(&doc, "1234567890123456789e-5");
    check_double(&doc, "12345678901234567890e-5");
    check_double(&doc, "1e0000000000000000000000000000000001");
    check_double(&doc, "1e-99999999999999999999");
    /* Random decimals of every shape against strtod, bit for bit. */
    uint64_t rng = 42;
    char text[80];
    for (int i = 0; i < 200000; i++) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        uint64_t r = rng >> 11;
        int int_digits = 1 + (int)(r % 20), frac_digits = (int)((r >> 5) % 20);
        int e = (int)((r >> 10) % 700) - 350, use_exp = (int)(r >> 20) & 1;
        size_t o = 0;
        if ((r >> 21) & 1) text[o++] = '-';
        uint64_t d = rng;
        for (int k = 0; k < int_digits; k++, d = d * 2862933555777941757ULL + 3037000493ULL)
            text[o++] = (char)('0' + (k == 0 ? 1 + (d >> 33) % 9 : (d >> 33) % 10));
        if (frac_digits) {
            text[o++] = '.';
            for (int k = 0; k < frac_digits; k++, d = d * 2862933555777941757ULL + 3037000493ULL)
                text[o++] = (char)('0' + (d >> 33) % 10);
        }
        if (use_exp) o += (size_t)snprintf(text + o, sizeof text - o, "e%d", e);
        text[o] = 0;
        gn_error err;
        const gn_json *v = gn_json_parse(&doc, text, o, &err);
        double want = strtod(text, NULL);
        if (isinf(want)) {
            assert_null(v);
            continue;
        }
        if (!v) print_error("%s: %s\n", text, err.message);
        assert_non_null(v);
        double got = gn_json_number(v);
        if (memcmp(&want, &got, sizeof got)) {
            print_error("%s: got %.17g, want %.17g\n", text, got, want);
            fail();
        }
    }
    /* A number text longer than the stack buffer of the slow path. */
    char longnum[3000];
    memset(longnum, '1', sizeof longnum - 1);
    longnum[sizeof longnum - 1] = 0;
    longnum[1] = '.';
    check_double(&doc, longnum);
    gn_json_doc_free(&doc);
}

/* ---- structures and accessors ---------------------------------------- */

static void test_structures(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const gn_json *root = parse_ok(
        &doc,
        "{\"type\":\"listing\",\"price\":686.00,\"images\":[{\"pdq\":\"9a3a\"},{\"pdq\":\"d821\"}],"
        "\"tags\":[],\"origin\":{\"country\":\"CN\",\"city\":null},\"ok\":true,\"n\":-3}");
    assert_int_equal(gn_json_typeof(root), GN_JSON_OBJECT);
    assert_string_equal(gn_json_type_name(root), "an object");
    assert_int_equal(gn_json_size(root), 7);
    assert_string_equal(gn_json_string(gn_json_get(root, "type"), NULL), "listing");
    assert_true(gn_json_number(gn_json_get(root, "price")) == 686.0);
    assert_false(gn_json_is_integer(gn_json_get(root, "price")));
    const gn_json *images = gn_json_get(root, "images");
    assert_string_equal(gn_json_type_name(images), "an array");
    assert_int_equal(gn_json_size(images), 2);
    assert_string_equal(gn_json_string(gn_json_get(gn_json_at(images, 1), "pdq"), NULL), "d821");
    assert_null(gn_json_at(images, 2));
    assert_null(gn_json_at(root, 0)); /* not an array */
    assert_int_equal(gn_json_size(gn_json_get(root, "tags")), 0);
    assert_null(gn_json_at(gn_json_get(root, "tags"), 0));
    const gn_json *origin = gn_json_get(root, "origin");
    assert_int_equal(gn_json_typeof(gn_json_get(origin, "city")), GN_JSON_NULL);
    assert_non_null(gn_json_get(origin, "city")); /* present, and null */
    assert_null(gn_json_get(origin, "facility")); /* absent */
    assert_string_equal(gn_json_type_name(gn_json_get(root, "ok")), "a boolean");
    assert_int_equal(gn_json_typeof(gn_json_get(root, "ok")), GN_JSON_TRUE);
    assert_int_equal(gn_json_integer(gn_json_get(root, "n")), -3);
    assert_string_equal(gn_json_type_name(gn_json_get(root, "n")), "a number");
    assert_string_equal(gn_json_type_name(gn_json_get(root, "type")), "a string");
    /* Members in text order. */
    static const char *const keys[] = {"type", "price", "images", "tags", "origin", "ok", "n"};
    for (size_t i = 0; i < 7; i++) {
        assert_string_equal(gn_json_key_at(root, i), keys[i]);
        assert_ptr_equal(gn_json_value_at(root, i), gn_json_get(root, keys[i]));
    }
    assert_null(gn_json_key_at(root, 7));
    assert_null(gn_json_value_at(root, 7));
    assert_null(gn_json_key_at(images, 0));
    /* Every accessor takes NULL (a missing member) as JSON null. */
    assert_int_equal(gn_json_typeof(NULL), GN_JSON_NULL);
    assert_string_equal(gn_json_type_name(NULL), "null");
    size_t len = 5;
    assert_null(gn_json_string(NULL, &len));
    assert_int_equal(len, 0);
    assert_true(gn_json_number(NULL) == 0);
    assert_false(gn_json_is_integer(NULL));
    assert_int_equal(gn_json_size(NULL), 0);
    assert_null(gn_json_at(NULL, 0));
    assert_null(gn_json_get(NULL, "a"));
    assert_null(gn_json_key_at(NULL, 0));
    assert_null(gn_json_value_at(NULL, 0));
    assert_null(gn_json_string(gn_json_get(root, "price"), NULL));
    assert_true(gn_json_number(gn_json_get(root, "type")) == 0);
    /* Keys holding \u0000 are kept whole and are distinct from their prefix. */
    root = parse_ok(&doc, "{\"a\\u0000b\":1,\"a\":2}");
    assert_int_equal(gn_json_integer(gn_json_get(root, "a")), 2);
    assert_int_equal(gn_json_integer(gn_json_getn(root, "a\0b", 3)), 1);
    gn_json_keyn_at(root, 0, &len);
    assert_int_equal(len, 3);
    gn_json_doc_free(&doc);
}

static void test_depth(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    char text[200];
    for (int n = 1; n <= 66; n++) {
        /* n levels of arrays: "[[...]]". */
        memset(text, '[', (size_t)n);
        memset(text + n, ']', (size_t)n);
        gn_error err = {0};
        const gn_json *v = gn_json_parse(&doc, text, 2 * (size_t)n, &err);
        if (n <= GN_JSON_MAX_DEPTH) {
            assert_non_null(v);
        } else {
            assert_null(v);
            assert_string_equal(
                err.message,
                "not valid JSON: nested deeper than 64 arrays and objects (column 65)");
        }
    }
    /* Objects count the same. */
    char *deep = malloc(65 * 6 + 65 + 1);
    size_t o = 0;
    for (int i = 0; i < 65; i++)
        o += (size_t)sprintf(deep + o, "{\"k\":");
    deep[o++] = '1';
    for (int i = 0; i < 65; i++)
        deep[o++] = '}';
    gn_error err = {0};
    assert_null(gn_json_parse(&doc, deep, o, &err));
    assert_string_equal(err.message,
                        "not valid JSON: nested deeper than 64 arrays and objects (column 321)");
    assert_non_null(gn_json_parse(&doc, deep + 5, o - 6, &err)); /* 64 levels */
    free(deep);
    /* A long run of brackets fails on depth, never on the C stack. */
    char *many = malloc(1000000);
    memset(many, '[', 1000000);
    assert_null(gn_json_parse(&doc, many, 1000000, &err));
    free(many);
    gn_json_doc_free(&doc);
}

/* ---- reuse and size -------------------------------------------------- */

static void test_reuse(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    char text[256];
    for (int i = 0; i < 20000; i++) {
        int n = snprintf(text, sizeof text,
                         "{\"listing\":\"L%d\",\"price\":%d.%02d,\"quantity\":%d,\"tags\":[%s]}", i,
                         i % 1000, i % 100, i, i % 3 ? "\"a\",\"b\"" : "");
        gn_error err;
        const gn_json *v = gn_json_parse(&doc, text, (size_t)n, &err);
        assert_non_null(v);
        char want[32];
        snprintf(want, sizeof want, "L%d", i);
        assert_string_equal(gn_json_string(gn_json_get(v, "listing"), NULL), want);
        assert_int_equal(gn_json_integer(gn_json_get(v, "quantity")), i);
        assert_int_equal(gn_json_size(gn_json_get(v, "tags")), i % 3 ? 2 : 0);
        /* A failure in between leaves the doc reusable. */
        if (i % 1000 == 0) assert_null(gn_json_parse(&doc, text, (size_t)n - 1, &err));
    }
    /* A big text, then small ones again: the doc shrinks what it keeps. */
    size_t big = 4 << 20;
    char *s = malloc(big);
    memset(s, ' ', big);
    memcpy(s, "[1]", 3);
    assert_non_null(gn_json_parse(&doc, s, big, NULL));
    assert_non_null(gn_json_parse(&doc, "[2]", 3, NULL));
    assert_true(doc.node_cap < 1000);
    free(s);
    gn_json_doc_free(&doc);
    gn_json_doc_free(&doc); /* freeing twice is harmless */
}

static void test_megabyte(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    size_t cap = 1100000, o = 0;
    char *text = malloc(cap);
    o += (size_t)sprintf(text + o, "[");
    int n = 0;
    while (o < 1000000) {
        o += (size_t)sprintf(text + o,
                             "%s{\"id\":\"S%d\",\"title\":\"Caf\\u00e9 \xe4\xb8\xbd no. %d\","
                             "\"price\":%d.5,\"ok\":%s,\"tags\":[1,2,{\"x\":null}]}",
                             n ? "," : "", n, n, n, n % 2 ? "true" : "false");
        n++;
    }
    text[o++] = ']';
    gn_error err;
    const gn_json *v = gn_json_parse(&doc, text, o, &err);
    assert_non_null(v);
    assert_int_equal(gn_json_size(v), n);
    for (int i = 0; i < n; i += 997) {
        const gn_json *e = gn_json_at(v, (size_t)i);
        char want[64];
        snprintf(want, sizeof want, "Caf\xc3\xa9 \xe4\xb8\xbd no. %d", i);
        assert_string_equal(gn_json_string(gn_json_get(e, "title"), NULL), want);
        assert_true(gn_json_number(gn_json_get(e, "price")) == i + 0.5);
        assert_int_equal(gn_json_typeof(gn_json_get(e, "ok")),
                         i % 2 ? GN_JSON_TRUE : GN_JSON_FALSE);
    }
    /* One string of a megabyte. */
    memset(text, 'z', 1000000);
    text[0] = text[999999] = '"';
    v = gn_json_parse(&doc, text, 1000000, &err);
    assert_non_null(v);
    size_t len;
    gn_json_string(v, &len);
    assert_int_equal(len, 999998);
    /* The densest text: a megabyte of one-digit array elements. */
    text[0] = '[';
    for (size_t i = 1; i < 999999; i += 2)
        text[i] = '0', text[i + 1] = ',';
    text[999998] = ']';
    assert_int_equal(gn_json_size(gn_json_parse(&doc, text, 999999, &err)), 499999);
    free(text);
    gn_json_doc_free(&doc);
}

/* Objects with many keys: duplicates found in near-linear time, with the
 * column of the second occurrence. */
static void test_many_keys(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    size_t cap = 2000000, o = 0;
    char *text = malloc(cap);
    text[o++] = '{';
    for (int i = 0; i < 60000; i++)
        o += (size_t)sprintf(text + o, "%s\"k%d\":%d", i ? "," : "", i, i);
    text[o++] = '}';
    gn_error err;
    const gn_json *v = gn_json_parse(&doc, text, o, &err);
    assert_non_null(v);
    assert_int_equal(gn_json_size(v), 60000);
    assert_int_equal(gn_json_integer(gn_json_get(v, "k59999")), 59999);
    /* The same plus a repeat of k123 and, later, of k7. */
    o--;
    size_t at = o + 1;
    o += (size_t)sprintf(text + o, ",\"k123\":0,\"k7\":0}");
    assert_null(gn_json_parse(&doc, text, o, &err));
    char want[128];
    snprintf(want, sizeof want, "not valid JSON: duplicate key \"k123\" in an object (column %zu)",
             at + 1);
    assert_string_equal(err.message, want);
    /* 33 keys (just past the filter) and 32 (the filter), duplicate last. */
    for (int n = 30; n <= 36; n++) {
        o = 0;
        text[o++] = '{';
        for (int i = 0; i < n; i++)
            o += (size_t)sprintf(text + o, "\"%c%d\":1,", 'a' + i % 3, i);
        o += (size_t)sprintf(text + o, "\"%c%d\":2}", 'a' + (n - 2) % 3, n - 2);
        assert_null(gn_json_parse(&doc, text, o, &err));
        snprintf(want, sizeof want, "duplicate key \"%c%d\"", 'a' + (n - 2) % 3, n - 2);
        assert_non_null(strstr(err.message, want));
    }
    /* A long key is shortened in the message. */
    o = (size_t)sprintf(text, "{\"%0100d\":1,\"%0100d\":2}", 5, 5);
    assert_null(gn_json_parse(&doc, text, o, &err));
    assert_string_equal(err.message, "not valid JSON: duplicate key "
                                     "\"0000000000000000000000000000000000000000...\" in an object "
                                     "(column 107)");
    free(text);
    gn_json_doc_free(&doc);
}

/* Members read with a hint: in order, out of order, absent, empty keys. */
static void test_member_hint(void **state)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const char *text = "{\"id\":1,\"at\":2,\"\":3,\"idx\":4,\"i\":5}";
    gn_error err;
    const gn_json *v = gn_json_parse(&doc, text, strlen(text), &err);
    assert_non_null(v);
    size_t hint = 0;
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "id", 2, &hint)), 1);
    assert_int_equal(hint, 1);
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "at", 2, &hint)), 2);
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "", 0, &hint)), 3);
    assert_null(gn_json_getn_hint(v, "price", 5, &hint)); /* absent: the hint stays */
    assert_int_equal(hint, 3);
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "i", 1, &hint)), 5);
    assert_int_equal(hint, 5);
    /* Past the end and behind the hint: found by wrapping round. */
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "idx", 3, &hint)), 4);
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "id", 2, &hint)), 1);
    hint = 99;
    assert_int_equal(gn_json_integer(gn_json_getn_hint(v, "at", 2, &hint)), 2);
    assert_int_equal(gn_json_integer(gn_json_get(v, "")), 3);
    assert_null(gn_json_getn_hint(gn_json_get(v, "id"), "id", 2, &hint)); /* not an object */
    assert_null(gn_json_get(NULL, "id"));
    gn_json_doc_free(&doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rejections), cmocka_unit_test(test_acceptance),
        cmocka_unit_test(test_escapes),    cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_structures), cmocka_unit_test(test_depth),
        cmocka_unit_test(test_reuse),      cmocka_unit_test(test_megabyte),
        cmocka_unit_test(test_many_keys),  cmocka_unit_test(test_member_hint),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
