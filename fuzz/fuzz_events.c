/* libFuzzer target for the event decoder: any bytes in, an accepted event or a
 * rejection with a reason out; never a crash, a leak or undefined behaviour. */
#include <assert.h>
#include <stdint.h>
#include <string.h>

#include "core/event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_event ev;
    gn_error err;
    err.message[0] = 0;
    if (gn_event_decode(&doc, (const char *)data, size, &ev, &err) == 0) {
        /* An accepted event has what every later stage relies on. */
        assert(ev.id && *ev.id && ev.at_text);
        assert(strcmp(gn_event_type_name(ev.type), "unknown") != 0);
    } else {
        assert(err.message[0]);
    }
    gn_json_doc_free(&doc);
    return 0;
}
