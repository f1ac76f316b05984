/* libFuzzer target for the HTTP body splitter: any bytes in, event spans or a
 * reason out; spans always lie inside the body and never overlap. */
#include <assert.h>
#include <stdint.h>

#include "http/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_event_spans spans = {0};
    gn_error err;
    err.message[0] = 0;
    int rc = gn_events_split((const char *)data, size, &spans, &err);
    if (rc == 0) {
        size_t end = 0;
        for (size_t i = 0; i < spans.count; i++) {
            assert(spans.items[i].offset >= end);
            assert(spans.items[i].offset + spans.items[i].length <= size);
            end = spans.items[i].offset + spans.items[i].length;
        }
    } else {
        assert(err.message[0]);
    }
    gn_event_spans_free(&spans);
    return 0;
}
