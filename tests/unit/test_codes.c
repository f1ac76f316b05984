/* Authenticity codes: the text form and its check character, the derivation
 * (the same codes from the same key, none from another), the table, the
 * clone rules one scan at a time, the centroids, and the engine: a batch
 * issued, verified, replayed after a restart, refused to a stranger. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes/codes.h"
#include "detect/registry.h"
#include "genuine.h"

static gn_code code_of(uint8_t fill)
{
    gn_code c;
    memset(c.bits, fill, sizeof c.bits);
    c.bits[GN_CODE_BYTES - 1] &= 0xfe;
    return c;
}

static void test_text_round_trip(void **state)
{
    for (int fill = 0; fill < 256; fill += 17) {
        gn_code c = code_of((uint8_t)fill), back;
        char text[GN_CODE_TEXT_MAX];
        gn_code_format(&c, text);
        assert_int_equal(strlen(text), 23);
        assert_int_equal(text[5], '-');
        assert_int_equal(gn_code_parse(text, strlen(text), &back, NULL), GN_CODE_OK);
        assert_memory_equal(c.bits, back.bits, GN_CODE_BYTES);
    }
}

static void test_reading_forgives(void **state)
{
    gn_code c = code_of(0x5a), back;
    char text[GN_CODE_TEXT_MAX], typed[64];
    gn_code_format(&c, text);
    /* lower case, no dashes, spaces, and the look-alikes of 0 and 1 */
    int k = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '-') {
            typed[k++] = ' ';
            continue;
        }
        typed[k++] = *p == '0'   ? 'o'
                     : *p == '1' ? 'l'
                                 : (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
    }
    typed[k] = 0;
    assert_int_equal(gn_code_parse(typed, strlen(typed), &back, NULL), GN_CODE_OK);
    assert_memory_equal(c.bits, back.bits, GN_CODE_BYTES);
}

/* Every single substitution and every swap of two different neighbours is a
 * typo, never another valid code. */
static void test_check_character(void **state)
{
    static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    gn_code c = code_of(0x3c), back;
    char text[GN_CODE_TEXT_MAX], raw[GN_CODE_CHARS + 1];
    gn_code_format(&c, text);
    int k = 0;
    for (const char *p = text; *p; p++)
        if (*p != '-') raw[k++] = *p;
    raw[k] = 0;
    gn_error err;
    for (int i = 0; i < GN_CODE_CHARS; i++)
        for (int a = 0; a < 32; a++) {
            if (alphabet[a] == raw[i]) continue;
            char t[GN_CODE_CHARS + 1];
            memcpy(t, raw, sizeof t);
            t[i] = alphabet[a];
            assert_int_equal(gn_code_parse(t, GN_CODE_CHARS, &back, &err), GN_CODE_TYPO);
        }
    int swaps = 0, caught = 0;
    for (int i = 0; i + 1 < GN_CODE_CHARS; i++) {
        if (raw[i] == raw[i + 1]) continue;
        char t[GN_CODE_CHARS + 1];
        memcpy(t, raw, sizeof t);
        t[i] = raw[i + 1];
        t[i + 1] = raw[i];
        swaps++;
        caught += gn_code_parse(t, GN_CODE_CHARS, &back, &err) == GN_CODE_TYPO;
    }
    assert_true(caught >= swaps - 1); /* Luhn mod N misses one pair of values at most */
    assert_string_equal(err.message,
                        "field 'code': its last character does not match the others: a typo?");
}

static void test_malformed(void **state)
{
    gn_code c;
    gn_error err;
    assert_int_equal(gn_code_parse("ABC", 3, &c, &err), GN_CODE_MALFORMED);
    assert_string_equal(err.message, "field 'code': 3 characters, a code has 20");
    assert_int_equal(gn_code_parse("ABCDE-FGHJK-MNPQR-STVWU", 23, &c, &err), GN_CODE_MALFORMED);
    assert_non_null(strstr(err.message, "'U' is not a character of a code"));
    assert_int_equal(gn_code_parse("0000000000000000000000", 22, &c, &err), GN_CODE_MALFORMED);
    assert_non_null(strstr(err.message, "longer than"));
    assert_int_equal(gn_code_parse("00000\x01", 6, &c, &err), GN_CODE_MALFORMED);
    assert_non_null(strstr(err.message, "byte 0x01"));
}

static char dir[64];

static int setup(void **state)
{
    strcpy(dir, "/tmp/genuine-test-codes-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static void key_at(const char *name, int create, gn_codes_key *key, int *created)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_error err;
    if (gn_codes_key_load(path, create, key, created, &err)) fail_msg("%s", err.message);
}

static void test_derivation(void **state)
{
    gn_codes_key k1, k1again, k2;
    int created;
    key_at("k1", 1, &k1, &created);
    assert_true(created);
    key_at("k1", 0, &k1again, &created);
    assert_false(created);
    key_at("k2", 1, &k2, &created);
    assert_string_equal(k1.fingerprint, k1again.fingerprint);
    assert_string_not_equal(k1.fingerprint, k2.fingerprint);
    gn_code a, b, c, many[3];
    gn_codes_derive(&k1, "B1", 7, &a);
    gn_codes_derive(&k1again, "B1", 7, &b);
    assert_memory_equal(a.bits, b.bits, GN_CODE_BYTES); /* replays agree */
    gn_codes_derive(&k2, "B1", 7, &c);
    assert_memory_not_equal(a.bits, c.bits, GN_CODE_BYTES);
    gn_codes_derive_many(&k1, "B1", 6, 3, many);
    assert_memory_equal(many[1].bits, a.bits, GN_CODE_BYTES);
    gn_codes_derive(&k1, "B10", 7, &c); /* the batch id is delimited: B1+"0" is not B10 */
    assert_memory_not_equal(a.bits, c.bits, GN_CODE_BYTES);
    assert_int_equal(a.bits[GN_CODE_BYTES - 1] & 1, 0);
    gn_error err;
    char path[128];
    snprintf(path, sizeof path, "%s/missing", dir);
    assert_int_not_equal(gn_codes_key_load(path, 0, &k2, &created, &err), 0);
}

static void test_table(void **state)
{
    gn_codes_key k;
    int created;
    key_at("k1", 1, &k, &created);
    gn_code_table t;
    gn_code_table_init(&t);
    gn_code_table_add_batch(&t, "A", "acme", "S1", 1000, 0);
    gn_code_table_add_batch(&t, "B", "acme", "S2", 3000, 0);
    gn_code codes[4000];
    gn_codes_derive_many(&k, "A", 0, 1000, codes);
    gn_codes_derive_many(&k, "B", 0, 3000, codes + 1000);
    for (uint32_t i = 0; i < 4000; i++) {
        gn_code_tag tag;
        gn_codes_tag(&k, &codes[i], &tag);
        gn_code_table_add(&t, &tag, i);
    }
    for (uint32_t i = 0; i < 4000; i += 7) {
        gn_code_tag tag;
        gn_codes_tag(&k, &codes[i], &tag);
        assert_int_equal(gn_code_table_find(&t, &tag), i);
        assert_int_equal(gn_code_table_batch_of(&t, i), i < 1000 ? 0 : 1);
    }
    gn_code stranger = code_of(0x11);
    gn_code_tag tag;
    gn_codes_tag(&k, &stranger, &tag);
    assert_int_equal(gn_code_table_find(&t, &tag), GN_CODES_NONE);
    double per = gn_code_table_bytes_per_code(&t);
    assert_true(per >= 16 && per <= 48);
    assert_non_null(gn_code_table_batch(&t, "B"));
    assert_null(gn_code_table_batch(&t, "C"));
    gn_code_table_free(&t);
}

static void test_places(void **state)
{
    assert_true(gn_country_known("FR"));
    assert_false(gn_country_known("XX"));
    assert_false(gn_country_known("F"));
    double fr_jp = gn_country_distance_km("FR", "JP");
    assert_true(fr_jp > 9000 && fr_jp < 10500);
    assert_true(gn_country_distance_km("FR", "FR") < 1);
    assert_true(gn_country_distance_km("FR", "ZZ") < 0);
    assert_true(gn_country_distance_km("US", "JP") > gn_country_distance_km("US", "MX"));
}

static const gn_clone_params params = {2, 500, 1000};

static gn_clone_reason scan(gn_code_scans *s, int64_t hours, const char *country, uint32_t order)
{
    gn_scan_fact f = {hours * 3600000, country, order,
                      order == GN_CODES_NONE ? GN_CODES_NONE : 100};
    return gn_code_scans_add(s, &params, &f);
}

static void test_clone_by_orders(void **state)
{
    gn_code_scans s = {0};
    assert_int_equal(scan(&s, 0, "FR", 1), GN_CLONE_NONE);
    assert_int_equal(scan(&s, 1, "FR", 1), GN_CLONE_NONE);   /* the same unit again */
    assert_int_equal(scan(&s, 500, "FR", 2), GN_CLONE_NONE); /* returned, shipped again */
    for (int i = 0; i < 50; i++) /* anonymous scans anywhere weigh nothing */
        assert_int_equal(scan(&s, 501, i % 2 ? "JP" : "BR", GN_CODES_NONE), GN_CLONE_NONE);
    assert_int_equal(s.cloned, 0);
    assert_int_equal(scan(&s, 900, "FR", 3), GN_CLONE_ORDERS);
    assert_int_equal(scan(&s, 901, "FR", 4), GN_CLONE_NONE); /* cloned once */
    assert_int_equal(s.cloned, GN_CLONE_ORDERS);
    assert_true(gn_code_scans_first_order(&s, 1));
    assert_false(gn_code_scans_first_order(&s, 3));
    assert_int_equal(s.anonymous, 50);
    assert_string_equal(s.first_country, "FR");
}

static void test_clone_by_travel(void **state)
{
    gn_code_scans s = {0};
    assert_int_equal(scan(&s, 0, "FR", 1), GN_CLONE_NONE);
    assert_int_equal(scan(&s, 2, "DE", 2), GN_CLONE_NONE); /* neighbours: no travel */
    gn_code_scans t = {0};
    assert_int_equal(scan(&t, 0, "FR", 1), GN_CLONE_NONE);
    assert_int_equal(scan(&t, 400, "JP", 2), GN_CLONE_NONE); /* 17 days: possible */
    gn_code_scans u = {0};
    assert_int_equal(scan(&u, 0, "FR", 1), GN_CLONE_NONE);
    assert_int_equal(scan(&u, 3, "JP", 2), GN_CLONE_TRAVEL); /* 9,700 km in 3 hours */
    assert_true(u.clone_km > 9000);
    assert_true(u.clone_hours == 3);
    gn_code_scans v = {0}; /* one unit's own journey (the same order) is never travel */
    assert_int_equal(scan(&v, 0, "CN", 1), GN_CLONE_NONE);
    assert_int_equal(scan(&v, 1, "US", 1), GN_CLONE_NONE);
    assert_int_equal(v.cloned, 0);
}

static void test_facts(void **state)
{
    gn_code_facts f = {0};
    assert_null(gn_code_facts_find(&f, 3));
    assert_null(gn_code_facts_find(NULL, 3));
    gn_code_facts_get(&f, 3)->cloned = 2;
    assert_null(gn_code_facts_find(&f, 4));
    gn_code_facts_get(&f, 5000)->missing = 1; /* grows past the first 1024 slots */
    gn_code_facts_get(&f, 7);                 /* made, but holds nothing */
    assert_null(gn_code_facts_find(&f, 7));
    assert_int_equal(gn_code_facts_find(&f, 3)->cloned, 2);
    assert_int_equal(gn_code_facts_find(&f, 5000)->missing, 1);
    gn_buf b = {0};
    gn_code_facts_json(gn_code_facts_find(&f, 3), 0, &b);
    assert_string_equal(
        b.data,
        ",\"codes\":{\"cloned_units\":2,\"other_product_units\":0,\"orders_without_code\":0}");
    gn_buf_free(&b);
    /* the codes detector, through the registry */
    const gn_detector *d = gn_detector_find("codes");
    assert_non_null(d);
    gn_detect_ctx ctx = {.codes = &f, .listing = 3};
    gn_signals out = {.count = 0};
    d->run(&ctx, NULL, &out);
    assert_int_equal(out.count, 1);
    assert_string_equal(out.items[0].code, "CODE_CLONED");
    assert_true(out.items[0].value == 1.0); /* two units */
    assert_non_null(strstr(out.items[0].detail, "2 units this listing shipped"));
    ctx.listing = 5000;
    out.count = 0;
    d->run(&ctx, NULL, &out);
    assert_int_equal(out.count, 1);
    assert_string_equal(out.items[0].code, "CODE_MISSING");
    assert_true(out.items[0].value == 0.5);
    ctx.listing = 7;
    out.count = 0;
    d->run(&ctx, NULL, &out);
    ctx.codes = NULL;
    d->run(&ctx, NULL, &out);
    assert_int_equal(out.count, 0);
    assert_ptr_equal(gn_detector_of_code("CODE_OTHER_PRODUCT"), d);
    gn_code_facts_free(&f);
}

/* ---- the engine ---- */

static gn_engine *open_engine(const char *db)
{
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = db};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open: %s", err.message);
    return e;
}

static gn_outcome feed_as(gn_engine *e, const char *role, const char *account, const char *json,
                          char *why, size_t why_size)
{
    gn_result res;
    gn_error err = {0};
    gn_sender from = {role, account, 0};
    if (gn_ingest_from(e, role ? &from : NULL, json, strlen(json), &res, &err))
        fail_msg("ingest: %s", err.message);
    if (why) snprintf(why, why_size, "%s", res.error ? res.error : "");
    return res.outcome;
}

static void first_code(gn_engine *e, const char *batch, char *out)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    gn_error err;
    assert_int_equal(gn_batch_codes_write(e, batch, f, NULL, NULL, &err), 0);
    fclose(f);
    assert_true(len > 23);
    memcpy(out, buf, 23);
    out[23] = 0;
    free(buf);
}

static void test_engine_batch(void **state)
{
    char db[128], why[600], code[32];
    snprintf(db, sizeof db, "%s/e.db", dir);
    gn_engine *e = open_engine(db);
    feed_as(e, NULL, NULL,
            "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"acme\","
            "\"name\":\"Acme\",\"owner\":\"rh-acme\"}",
            NULL, 0);
    const char *batch = "{\"type\":\"code_batch\",\"id\":\"cb\",\"at\":\"2026-01-02T00:00:00Z\","
                        "\"batch\":\"B1\",\"brand\":\"acme\",\"sku\":\"A1\",\"count\":100}";
    /* another rights holder, a seller, a shopper: refused */
    assert_int_equal(feed_as(e, "rights_holder", "rh-other", batch, why, sizeof why), GN_REJECTED);
    assert_non_null(strstr(why, "only the platform or the brand's owner"));
    assert_int_equal(feed_as(e, "seller", "s-1", batch, why, sizeof why), GN_REJECTED);
    assert_int_equal(feed_as(e, "rights_holder", "rh-acme", batch, why, sizeof why), GN_ACCEPTED);
    gn_error err;
    assert_int_equal(gn_commit(e, &err), 0);
    first_code(e, "B1", code);
    char *json = gn_code_verify_json(e, code, &err);
    assert_non_null(strstr(json, "\"status\":\"genuine\""));
    assert_non_null(strstr(json, "\"sku\":\"A1\""));
    gn_free(json);
    /* a brand nobody sent, a batch told again with another count */
    assert_int_equal(
        feed_as(e, NULL, NULL,
                "{\"type\":\"code_batch\",\"id\":\"cb2\",\"at\":\"2026-01-02T00:00:00Z\","
                "\"batch\":\"B2\",\"brand\":\"nobody\",\"sku\":\"A1\",\"count\":1}",
                why, sizeof why),
        GN_REJECTED);
    assert_non_null(strstr(why, "field 'brand'"));
    assert_int_equal(
        feed_as(e, NULL, NULL,
                "{\"type\":\"code_batch\",\"id\":\"cb3\",\"at\":\"2026-01-02T00:00:00Z\","
                "\"batch\":\"B1\",\"brand\":\"acme\",\"sku\":\"A1\",\"count\":5}",
                why, sizeof why),
        GN_REJECTED);
    assert_non_null(strstr(why, "field 'batch'"));
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    /* a restart derives the same codes again from the log and the key */
    e = open_engine(db);
    char again[32];
    first_code(e, "B1", again);
    assert_string_equal(code, again);
    json = gn_code_verify_json(e, code, &err);
    assert_non_null(strstr(json, "\"status\":\"genuine\""));
    gn_free(json);
    /* retired */
    assert_int_equal(
        feed_as(
            e, NULL, NULL,
            "{\"type\":\"code_batch\",\"id\":\"cb4\",\"at\":\"2026-01-03T00:00:00Z\","
            "\"batch\":\"B1\",\"brand\":\"acme\",\"sku\":\"A1\",\"count\":100,\"retired\":true}",
            why, sizeof why),
        GN_ACCEPTED);
    json = gn_code_verify_json(e, code, &err);
    assert_non_null(strstr(json, "\"status\":\"retired\""));
    gn_free(json);
    json = gn_code_verify_json(e, "00000-00000-00000-00000", &err);
    assert_string_equal(json, "{\"code\":\"00000-00000-00000-00000\",\"status\":\"unknown\"}");
    gn_free(json);
    assert_null(gn_code_verify_json(e, "hello", &err));
    assert_int_equal(gn_commit(e, &err), 0);
    gn_engine_close(e);

    /* without its key file the store says so rather than answer unknown */
    char key[160];
    snprintf(key, sizeof key, "%s.codes-key", db);
    char moved[170];
    snprintf(moved, sizeof moved, "%s.moved", key);
    assert_int_equal(rename(key, moved), 0);
    gn_engine_options o = {.db_path = db};
    assert_int_not_equal(gn_engine_open(&e, &o, &err), 0);
    assert_non_null(strstr(err.message, "restore the file from its backup"));
    /* nor with another key */
    FILE *f = fopen(key, "w");
    fputs("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff\n", f);
    fclose(f);
    assert_int_not_equal(gn_engine_open(&e, &o, &err), 0);
    assert_non_null(strstr(err.message, "were made with key"));
    assert_int_equal(rename(moved, key), 0);
    e = open_engine(db);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_round_trip), cmocka_unit_test(test_reading_forgives),
        cmocka_unit_test(test_check_character), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_derivation),      cmocka_unit_test(test_table),
        cmocka_unit_test(test_places),          cmocka_unit_test(test_clone_by_orders),
        cmocka_unit_test(test_clone_by_travel), cmocka_unit_test(test_facts),
        cmocka_unit_test(test_engine_batch),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
