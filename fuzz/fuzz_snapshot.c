/* libFuzzer target for the snapshot reader (engine/snapshot.c): a snapshot
 * is bytes read back from the store, so any bytes are loaded into an
 * engine's emptied state, which is then emptied again. The header's
 * fingerprint and checksum are bypassed (the input is the payload after a
 * header at log position 0): the parts' reader itself must refuse what
 * does not read, and a crash, a leak or undefined behaviour is a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/snapshot.h"

static gn_engine *engine;

static void open_engine(void)
{
    static char dir[] = "/tmp/genuine-fuzz-snapshot-XXXXXX";
    char path[96];
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/s.db", dir);
    gn_engine_options o = {.db_path = path};
    gn_error err;
    if (gn_engine_open(&engine, &o, &err)) abort();
}

/* The header's size (snapshot.c): magic, format, fingerprint, position,
 * length, checksum. */
#define HEADER (8 + 4 + 32 + 8 + 8 + 32)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!engine) open_engine();
    unsigned char *bytes = calloc(1, HEADER + size + 1); /* the position, 0, is zeros */
    if (!bytes) abort();
    memcpy(bytes + HEADER, data, size);
    gn_error err;
    if (gn_engine_reset_state(engine, &err)) abort();
    gn_engine_snapshot_load(engine, bytes, HEADER + size, &err);
    if (gn_engine_reset_state(engine, &err)) abort();
    free(bytes);
    return 0;
}
