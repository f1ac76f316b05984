/* A small, strict (RFC 8259) JSON parser for the event hot path. One text
 * becomes a compact tree of 16-byte nodes in arrays owned by a reusable
 * gn_json_doc, so decoding an event costs no malloc once the doc has grown. */
#ifndef GN_CORE_JSON_H
#define GN_CORE_JSON_H

#include <locale.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "genuine.h"

typedef enum gn_json_type {
    GN_JSON_NULL,
    GN_JSON_FALSE,
    GN_JSON_TRUE,
    GN_JSON_NUMBER,
    GN_JSON_STRING,
    GN_JSON_ARRAY,
    GN_JSON_OBJECT
} gn_json_type;

/* One value; its layout is private to json.c. Values live until the next
 * gn_json_parse or gn_json_doc_free on the doc that produced them. */
typedef struct gn_json gn_json;

/* Deepest nesting of arrays and objects accepted: an event needs 3. */
#define GN_JSON_MAX_DEPTH 64

/* A document: owns the memory of the last parsed tree and keeps it for the
 * next parse (gn_json_parse resets it). Fields are private to json.c. */
typedef struct gn_json_doc {
    gn_json *nodes;    /* placed values: children of a container are contiguous */
    gn_json *stack;    /* children of the containers still open */
    uint32_t *key_pos; /* text offset of each key on the stack, for messages */
    size_t node_cap;   /* capacity of nodes, stack and key_pos, in nodes */
    char *strings;     /* unescaped, NUL-terminated string bytes */
    size_t string_cap;
    void *scratch; /* sorting keys of large objects; long number texts */
    size_t scratch_cap;
    locale_t c_numeric; /* strtod_l in the "C" locale whatever the process's is */
} gn_json_doc;

void gn_json_doc_init(gn_json_doc *doc);
void gn_json_doc_free(gn_json_doc *doc);

/* Parses exactly one JSON value (surrounding whitespace allowed, nothing else
 * after it). Returns the root, or NULL with err filled: GN_EINPUT and a message
 * for whoever sent the text, "not valid JSON: <reason> (column N)", N the
 * 1-based byte offset; GN_ENOMEM when memory runs out. Rejects duplicate keys,
 * invalid UTF-8, unpaired surrogates, control characters in strings, leading
 * zeros, NaN/Infinity, numbers too large for a double, trailing commas and
 * nesting deeper than GN_JSON_MAX_DEPTH. Accepts \u0000 (strings carry their
 * length). Memory kept by the doc: at most ~20 bytes per input byte. */
const gn_json *gn_json_parse(gn_json_doc *doc, const char *text, size_t len, gn_error *err);

/* Accessors. Every one accepts NULL (a missing member) and then answers as
 * for JSON null: type GN_JSON_NULL, size 0, no string, number 0. */
gn_json_type gn_json_typeof(const gn_json *v);
/* "an object", "an array", "a string", "a number", "a boolean", "null". */
const char *gn_json_type_name(const gn_json *v);
/* NUL-terminated, unescaped UTF-8 (may contain \0; *len says how long);
 * NULL if v is not a string. len may be NULL. */
const char *gn_json_string(const gn_json *v, size_t *len);
/* The number as the nearest double (0 if v is not a number). */
double gn_json_number(const gn_json *v);
/* 1 when the number's text had no fraction or exponent and fits in int64. */
int gn_json_is_integer(const gn_json *v);
/* The exact value of an integer number (see gn_json_is_integer), else 0. */
int64_t gn_json_integer(const gn_json *v);
/* Array elements or object members; 0 for anything else. */
size_t gn_json_size(const gn_json *v);
/* Array element i; NULL when v is not an array or i is out of range. */
const gn_json *gn_json_at(const gn_json *v, size_t i);
/* The member named key (a linear scan: events have ~10 keys), or NULL.
 * Inline, so that the length of a literal key is known when compiling. */
const gn_json *gn_json_getn(const gn_json *obj, const char *key, size_t key_len);
/* As gn_json_getn, but the scan starts at member *hint, which is left just
 * after the member found: reading members in the order they were written
 * (as events are) costs one comparison each. Start with *hint = 0. */
const gn_json *gn_json_getn_hint(const gn_json *obj, const char *key, size_t key_len, size_t *hint);
static inline const gn_json *gn_json_get(const gn_json *obj, const char *key)
{
    return gn_json_getn(obj, key, strlen(key));
}
/* Members in text order; NULL when obj is not an object or i is out of range.
 * gn_json_keyn_at also gives the key's length (keys may hold \u0000). */
const char *gn_json_key_at(const gn_json *obj, size_t i);
const char *gn_json_keyn_at(const gn_json *obj, size_t i, size_t *len);
const gn_json *gn_json_value_at(const gn_json *obj, size_t i);

#endif
