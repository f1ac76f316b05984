/* Differential libFuzzer target for the JSON parser (src/core/json.c): any
 * bytes go to gn_json_parse and to jansson's json_loadb with the flags the
 * event decoder used; both must accept or refuse alike, and when both accept,
 * the two trees must hold the same values. Never a crash, and every refusal
 * reads "not valid JSON: ... (column N)" with N inside the text.
 *
 * Where the two legitimately differ, the input is skipped, not compared:
 *  - jansson refuses integers outside int64 ("too big integer"); we read them
 *    as doubles (gn_json_is_integer says no);
 *  - jansson refuses object keys holding \u0000 even with JSON_ALLOW_NUL; we
 *    keep them whole (keys carry their length);
 *  - jansson nests up to 2048 levels; we stop at GN_JSON_MAX_DEPTH (64);
 *  - jansson 2.14 silently skips a NUL byte right after a number or a literal
 *    ("[1\0,2]" loads as [1,2]); we refuse it where it stands.
 * jansson stops at its first error, so in those cases the rest of the text is
 * not compared; other inputs cover it. JSON_DECODE_ANY is added because
 * jansson otherwise refuses a scalar at the top, which RFC 8259 allows. */
#include <assert.h>
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/json.h"

static gn_json_doc doc;
static int doc_ready;

static void same(const gn_json *ours, json_t *theirs)
{
    switch (json_typeof(theirs)) {
    case JSON_NULL:
        assert(gn_json_typeof(ours) == GN_JSON_NULL);
        break;
    case JSON_TRUE:
        assert(gn_json_typeof(ours) == GN_JSON_TRUE);
        break;
    case JSON_FALSE:
        assert(gn_json_typeof(ours) == GN_JSON_FALSE);
        break;
    case JSON_INTEGER:
        assert(gn_json_typeof(ours) == GN_JSON_NUMBER);
        assert(gn_json_is_integer(ours));
        assert(gn_json_integer(ours) == json_integer_value(theirs));
        break;
    case JSON_REAL: {
        /* Both end in a correctly rounded strtod, so they must agree to the
         * bit; the tolerance only forgives a sign of zero. */
        assert(gn_json_typeof(ours) == GN_JSON_NUMBER);
        assert(!gn_json_is_integer(ours));
        double a = gn_json_number(ours), b = json_real_value(theirs);
        double scale = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
        assert(a == b || fabs(a - b) <= 1e-15 * scale);
        break;
    }
    case JSON_STRING: {
        size_t len;
        const char *s = gn_json_string(ours, &len);
        assert(s && len == json_string_length(theirs));
        assert(memcmp(s, json_string_value(theirs), len) == 0 && s[len] == 0);
        break;
    }
    case JSON_ARRAY:
        assert(gn_json_typeof(ours) == GN_JSON_ARRAY);
        assert(gn_json_size(ours) == json_array_size(theirs));
        for (size_t i = 0; i < json_array_size(theirs); i++)
            same(gn_json_at(ours, i), json_array_get(theirs, i));
        assert(gn_json_at(ours, json_array_size(theirs)) == NULL);
        break;
    case JSON_OBJECT:
        assert(gn_json_typeof(ours) == GN_JSON_OBJECT);
        assert(gn_json_size(ours) == json_object_size(theirs));
        for (size_t i = 0; i < gn_json_size(ours); i++) {
            size_t klen;
            const char *key = gn_json_keyn_at(ours, i, &klen);
            assert(key && strlen(key) == klen); /* jansson refused keys with NUL */
            json_t *value = json_object_get(theirs, key);
            assert(value);
            assert(gn_json_get(ours, key) == gn_json_value_at(ours, i));
            same(gn_json_value_at(ours, i), value);
        }
        break;
    }
}

/* Checks the shape of a refusal and returns its column (1-based). */
static size_t check_message(const gn_error *err, size_t size)
{
    assert(err->code == GN_EINPUT || err->code == GN_ENOMEM);
    if (err->code != GN_EINPUT) return 0;
    assert(strncmp(err->message, "not valid JSON: ", 16) == 0);
    /* The last "(column ": a quoted key may hold those words too. */
    const char *col = NULL;
    for (const char *at = err->message; (at = strstr(at, "(column ")); at++)
        col = at;
    assert(col);
    unsigned long n = strtoul(col + 8, NULL, 10);
    assert(n >= 1 && n <= size + 1);
    return n;
}

/* The NUL jansson skips: one right after a number or literal's last byte. */
static int nul_after_token(const char *text, size_t size, size_t column)
{
    if (column < 2 || column > size || text[column - 1] != 0) return 0;
    char before = text[column - 2];
    return (before >= '0' && before <= '9') || (before >= 'a' && before <= 'z');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!doc_ready) {
        gn_json_doc_init(&doc);
        doc_ready = 1;
    }
    /* A copy of exactly size bytes, so ASan sees any read past the end. */
    char *text = malloc(size ? size : 1);
    memcpy(text, data, size);
    gn_error err = {0};
    const gn_json *ours = gn_json_parse(&doc, text, size, &err);
    size_t column = ours ? 0 : check_message(&err, size);

    json_error_t jerr;
    json_t *theirs =
        json_loadb(text, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_ANY, &jerr);
    if (ours && theirs) {
        same(ours, theirs);
    } else if (ours && !theirs) {
        enum json_error_code code = json_error_code(&jerr);
        int big_integer = code == json_error_numeric_overflow && strstr(jerr.text, "integer");
        if (!big_integer && code != json_error_null_byte_in_key) {
            fprintf(stderr, "we accept, jansson refuses: %s\n", jerr.text);
            abort();
        }
    } else if (!ours && theirs) {
        if (!strstr(err.message, "nested deeper than") && !nul_after_token(text, size, column)) {
            fprintf(stderr, "jansson accepts, we refuse: %s\n", err.message);
            abort();
        }
    }
    json_decref(theirs);
    free(text);
    return 0;
}
