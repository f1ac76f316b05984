/* libFuzzer target for the workflows: any JSON Lines in, fed to one engine
 * that keeps its state from input to input (rights, complaints, notices,
 * reports, appeals pile up as in a long run), then time advanced past every
 * window. Refusals are fine; a crash, a leak or undefined behaviour is not. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "genuine.h"

static gn_engine *engine;

static void open_engine(void)
{
    static char dir[] = "/tmp/genuine-fuzz-workflow-XXXXXX";
    char path[96];
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/w.db", dir);
    gn_engine_options o = {.db_path = path};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) open_engine();
    const char *p = (const char *)data, *end = p + size;
    gn_result res;
    gn_error err;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = (size_t)((nl ? nl : end) - p);
        if (gn_ingest(engine, p, len, &res, &err)) abort(); /* only the store may fail */
        p += len + 1;
    }
    gn_advance_report r;
    if (gn_commit(engine, &err) || gn_advance(engine, "2100-01-01T00:00:00Z", &r, &err)) abort();
    return 0;
}
