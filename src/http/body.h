/* Reading a POST /v1/events body as events: one JSON object, a JSON array of
 * them, or JSON Lines. Only the boundaries are found here (a strict syntax scan,
 * no tree is built); each event's own text then goes to gn_ingest unchanged. */
#ifndef GN_HTTP_BODY_H
#define GN_HTTP_BODY_H

#include <stddef.h>

#include "genuine.h"

typedef struct gn_event_span {
    size_t offset; /* into the body */
    size_t length;
} gn_event_span;

typedef struct gn_event_spans {
    gn_event_span *items;
    size_t count;
    size_t cap;
} gn_event_spans;

/* Splits body into events. Returns 0, or GN_EINPUT with err saying why the
 * body cannot be read as events at all (the HTTP 400 case), or GN_ENOMEM.
 * A bad line inside JSON Lines is not an error here: it becomes its own span
 * and gn_ingest rejects it with its reason. */
int gn_events_split(const char *body, size_t len, gn_event_spans *out, gn_error *err);
void gn_event_spans_free(gn_event_spans *spans);

/* 1 when text[0..len) is exactly one syntactically valid JSON value
 * (surrounding white space allowed). */
int gn_json_is_value(const char *text, size_t len);

#endif
