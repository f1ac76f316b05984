/* The event model: one JSON object per event, decoded and validated against
 * the contract (shared/design/CONTRACT.md) before anything else sees it.
 * A validation error names the field; the caller adds the line. */
#ifndef GN_CORE_EVENT_H
#define GN_CORE_EVENT_H

#include <stdint.h>

#include "core/json.h"
#include "genuine.h"

typedef enum gn_event_type {
    GN_EV_BRAND,
    GN_EV_IP_RIGHT,
    GN_EV_SELLER,
    GN_EV_SELLER_VERIFICATION,
    GN_EV_SESSION,
    GN_EV_SELLER_ATTRIBUTE,
    GN_EV_LISTING,
    GN_EV_ORDER,
    GN_EV_REVIEW,
    GN_EV_SHIPMENT,
    GN_EV_REPORT,
    GN_EV_COMPLAINT,
    GN_EV_COUNTER_NOTICE,
    GN_EV_VERDICT,
    GN_EV_APPEAL,
    GN_EV_RATE,
    GN_EV_SHARED_BANK, /* photo hashes another marketplace shared (docs/banks.md) */
    GN_EV_CODE_BATCH,  /* a brand's authenticity codes for a product (docs/codes.md) */
    GN_EV_CODE_SCAN,   /* one of them scanned */
    GN_EV_TYPE_COUNT
} gn_event_type;

#define GN_ID_MAX 256          /* bytes in any id */
#define GN_TEXT_MAX 100000     /* bytes in any other string */
#define GN_BATCH_MAX 100000000 /* authenticity codes in one code_batch */

typedef struct gn_event {
    gn_event_type type;
    const char *id;      /* borrowed from root */
    const char *at_text; /* borrowed from root */
    int64_t at;          /* ms since the epoch */
    const gn_json *root; /* in the caller's document; unknown fields are kept here */
    /* Who sent it (gn_ingest_from): the platform (its own keys, the operator's
     * command line, genuine itself) or a principal whose every field is
     * hostile. gn_event_decode sets from_platform = 1 and no sender; the
     * engine fills them from the sender, live and on replay. */
    int from_platform;
    const char *sender_role;    /* NULL from the platform */
    const char *sender_account; /* NULL from the platform; "" for a key with no account */
} gn_event;

/* The contract's name of a type ("listing"), and back (-1 when unknown). */
const char *gn_event_type_name(gn_event_type type);
int gn_event_type_from_name(const char *name);

/* Decodes and validates one event into doc (reused from event to event: the
 * event lives until doc's next parse). On success fills ev and returns 0;
 * otherwise GN_EINPUT with a reason that names the field. */
int gn_event_decode(gn_json_doc *doc, const char *json, size_t len, gn_event *ev, gn_error *err);

/* A string member of an object, or NULL. */
static inline const char *gn_json_str(const gn_json *obj, const char *key)
{
    return gn_json_string(gn_json_get(obj, key), NULL);
}

/* Typed reads of a validated event's fields; absent fields give the default.
 * Inline, so that a literal field name's length is known when compiling. */
static inline const char *gn_event_str(const gn_event *ev, const char *field)
{
    return gn_json_str(ev->root, field);
}
double gn_event_num(const gn_event *ev, const char *field, double missing);
int gn_event_bool(const gn_event *ev, const char *field);
/* The field's value, or NULL when absent or null. */
const gn_json *gn_event_get(const gn_event *ev, const char *field);

/* As gn_event_get, scanning from where the last field was found (*hint,
 * start at 0): a listing's fields read in the contract's order (the order
 * events carry them) cost one comparison each. */
static inline const gn_json *gn_event_field(const gn_event *ev, const char *field, size_t *hint)
{
    const gn_json *v = gn_json_getn_hint(ev->root, field, strlen(field), hint);
    return gn_json_typeof(v) == GN_JSON_NULL ? NULL : v;
}

#endif
