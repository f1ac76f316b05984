/* libFuzzer target for what a shopper types or posts to verify a code: the
 * bytes as a code (gn_code_parse), and as a POST /v1/verify body answered by
 * an engine holding one batch (gn_verify_answer). Never a crash; a code read
 * whole prints back to itself; an answer is JSON with a status or an error;
 * a code that answers genuine is one of the batch's. */
#include <assert.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codes/codes.h"
#include "genuine.h"
#include "http/verify.h"

static gn_engine *engine;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static gn_verify_limiter limiter;

static void open_engine(void)
{
    char dir[] = "/tmp/genuine-fuzz-codes-XXXXXX", path[64];
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/g.db.codes-key", dir);
    /* A fixed key: the seeds hold codes of this batch (fuzz/seeds/fuzz_codes/genuine) */
    FILE *key = fopen(path, "w");
    if (!key) abort();
    fputs("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n", key);
    fclose(key);
    snprintf(path, sizeof path, "%s/g.db", dir);
    gn_engine_options o = {.db_path = path};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) abort();
    static const char *const events[] = {
        "{\"type\":\"brand\",\"id\":\"b\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":\"acme\","
        "\"name\":\"Acme\"}",
        "{\"type\":\"code_batch\",\"id\":\"cb\",\"at\":\"2026-01-01T00:00:00Z\",\"batch\":\"B\","
        "\"brand\":\"acme\",\"sku\":\"A\",\"count\":50}"};
    for (int i = 0; i < 2; i++) {
        gn_result res;
        if (gn_ingest(engine, events[i], strlen(events[i]), &res, &err) ||
            res.outcome != GN_ACCEPTED)
            abort();
    }
    if (gn_commit(engine, &err)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) open_engine();
    gn_code code, again;
    gn_error err;
    gn_code_read read = gn_code_parse((const char *)data, size, &code, &err);
    if (read == GN_CODE_OK) {
        char text[GN_CODE_TEXT_MAX];
        gn_code_format(&code, text);
        assert(gn_code_parse(text, strlen(text), &again, NULL) == GN_CODE_OK);
        assert(memcmp(code.bits, again.bits, GN_CODE_BYTES) == 0);
    } else {
        assert(err.message[0]);
    }
    char *json = NULL;
    unsigned status = gn_verify_answer(engine, &lock, &limiter, (const char *)data, size, &json);
    assert(json);
    assert(status == 200 ? strstr(json, "\"status\":\"") != NULL
                         : status == 400 && strncmp(json, "{\"error\":", 9) == 0);
    gn_free(json);
    return 0;
}
