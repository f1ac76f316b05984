/* Finding the events in a POST body without building a JSON tree: a strict
 * RFC 8259 syntax scanner that only moves a cursor. The engine parses each
 * event itself, so parsing the body as a tree first would double the work for
 * a 100-listing batch; scanning is a small fraction of that. */
#include "http/body.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#define MAX_DEPTH 256 /* deeper than any event; bounds the recursion */

typedef struct scanner {
    const char *start, *p, *end;
    const char *problem; /* what was expected where the scan stopped */
} scanner;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(scanner *s)
{
    while (s->p < s->end && is_ws(*s->p))
        s->p++;
}

static int fail(scanner *s, const char *problem)
{
    s->problem = problem;
    return -1;
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int is_hex(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int scan_string(scanner *s)
{
    s->p++; /* the opening quote */
    while (s->p < s->end) {
        unsigned char c = (unsigned char)*s->p++;
        if (c == '"') return 0;
        if (c < 0x20) return fail(s, "a control character inside a string (escape it)");
        if (c != '\\') continue;
        if (s->p >= s->end) break;
        c = (unsigned char)*s->p++;
        if (c == 'u') {
            for (int i = 0; i < 4; i++, s->p++)
                if (s->p >= s->end || !is_hex(*s->p)) return fail(s, "four hex digits after \\u");
        } else if (!strchr("\"\\/bfnrt", c) || c == 0) {
            return fail(s, "a valid escape after a backslash");
        }
    }
    return fail(s, "the end of a string (\")");
}

static int scan_digits(scanner *s)
{
    if (s->p >= s->end || !is_digit(*s->p)) return fail(s, "a digit");
    while (s->p < s->end && is_digit(*s->p))
        s->p++;
    return 0;
}

static int scan_number(scanner *s)
{
    if (*s->p == '-') s->p++;
    if (s->p < s->end && *s->p == '0')
        s->p++;
    else if (scan_digits(s))
        return -1;
    if (s->p < s->end && *s->p == '.') {
        s->p++;
        if (scan_digits(s)) return -1;
    }
    if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
        s->p++;
        if (s->p < s->end && (*s->p == '+' || *s->p == '-')) s->p++;
        if (scan_digits(s)) return -1;
    }
    return 0;
}

static int scan_word(scanner *s, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
        return fail(s, "a JSON value (object, array, string, number, true, false or null)");
    s->p += n;
    return 0;
}

static int scan_value(scanner *s, int depth);

/* Scans an array; when spans is not NULL, records each element's boundaries. */
static int scan_array(scanner *s, int depth, gn_event_spans *spans)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == ']') {
        s->p++;
        return 0;
    }
    for (;;) {
        skip_ws(s);
        const char *from = s->p;
        if (scan_value(s, depth + 1)) return -1;
        if (spans) {
            if (spans->count == spans->cap) {
                size_t cap = spans->cap ? spans->cap * 2 : 64;
                gn_event_span *grown = gn_xrealloc(spans->items, cap * sizeof *grown);
                spans->items = grown;
                spans->cap = cap;
            }
            spans->items[spans->count++] =
                (gn_event_span){(size_t)(from - s->start), (size_t)(s->p - from)};
        }
        skip_ws(s);
        if (s->p >= s->end) return fail(s, "',' or ']' to close the array");
        if (*s->p == ']') {
            s->p++;
            return 0;
        }
        if (*s->p != ',') return fail(s, "',' or ']' after an array element");
        s->p++;
    }
}

static int scan_object(scanner *s, int depth)
{
    s->p++;
    skip_ws(s);
    if (s->p < s->end && *s->p == '}') {
        s->p++;
        return 0;
    }
    for (;;) {
        skip_ws(s);
        if (s->p >= s->end || *s->p != '"') return fail(s, "a member name in double quotes");
        if (scan_string(s)) return -1;
        skip_ws(s);
        if (s->p >= s->end || *s->p != ':') return fail(s, "':' after a member name");
        s->p++;
        skip_ws(s);
        if (scan_value(s, depth + 1)) return -1;
        skip_ws(s);
        if (s->p >= s->end) return fail(s, "',' or '}' to close the object");
        if (*s->p == '}') {
            s->p++;
            return 0;
        }
        if (*s->p != ',') return fail(s, "',' or '}' after an object member");
        s->p++;
    }
}

static int scan_value(scanner *s, int depth)
{
    if (depth > MAX_DEPTH) return fail(s, "less nesting (over 256 levels)");
    if (s->p >= s->end) return fail(s, "a JSON value, found the end of the body");
    switch (*s->p) {
    case '{':
        return scan_object(s, depth);
    case '[':
        return scan_array(s, depth, NULL);
    case '"':
        return scan_string(s);
    case 't':
        return scan_word(s, "true");
    case 'f':
        return scan_word(s, "false");
    case 'n':
        return scan_word(s, "null");
    default:
        if (*s->p == '-' || is_digit(*s->p)) return scan_number(s);
        return fail(s, "a JSON value (object, array, string, number, true, false or null)");
    }
}

/* Scans one value and checks only white space follows. */
static int scan_whole(scanner *s)
{
    skip_ws(s);
    if (scan_value(s, 0)) return -1;
    skip_ws(s);
    return s->p == s->end ? 0 : fail(s, "the end of the body after one JSON value");
}

int gn_json_is_value(const char *text, size_t len)
{
    scanner s = {text, text, text + len, NULL};
    return scan_whole(&s) == 0;
}

static int push(gn_event_spans *out, size_t offset, size_t length)
{
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 64;
        gn_event_span *grown = gn_xrealloc(out->items, cap * sizeof *grown);
        out->items = grown;
        out->cap = cap;
    }
    out->items[out->count++] = (gn_event_span){offset, length};
    return 0;
}

/* JSON Lines: every non-blank line is an event, good or bad; the body is
 * unreadable only when not one line is JSON. */
static int split_lines(const char *body, size_t len, gn_event_spans *out, gn_error *err,
                       const scanner *first_try)
{
    int any_json = 0;
    size_t at = 0;
    while (at < len) {
        const char *nl = memchr(body + at, '\n', len - at);
        size_t stop = nl ? (size_t)(nl - body) : len;
        size_t from = at, to = stop;
        while (from < to && is_ws(body[from]))
            from++;
        while (to > from && is_ws(body[to - 1]))
            to--;
        if (to > from) {
            if (push(out, from, to - from)) return gn_fail(err, GN_ENOMEM, "out of memory");
            any_json |= gn_json_is_value(body + from, to - from);
        }
        at = stop + 1;
    }
    if (!any_json)
        return gn_fail(err, GN_EINPUT,
                       "the body is not JSON, a JSON array or JSON Lines: at byte %zu, expected %s",
                       (size_t)(first_try->p - first_try->start), first_try->problem);
    return 0;
}

static const char *kind_of(char c)
{
    return c == '"'               ? "a string"
           : c == 't' || c == 'f' ? "a boolean"
           : c == 'n'             ? "null"
                                  : "a number";
}

int gn_events_split(const char *body, size_t len, gn_event_spans *out, gn_error *err)
{
    out->count = 0;
    scanner s = {body, body, body + len, NULL};
    skip_ws(&s);
    if (s.p == s.end)
        return gn_fail(err, GN_EINPUT,
                       "the body is empty: send a JSON object, an array of them "
                       "or JSON Lines");
    if (*s.p == '[') {
        if (scan_array(&s, 0, out) == 0) {
            skip_ws(&s);
            if (s.p == s.end) return 0;
            fail(&s, "the end of the body after the array");
        }
        if (!s.problem) return gn_fail(err, GN_ENOMEM, "out of memory");
        return gn_fail(err, GN_EINPUT,
                       "the body is not a valid JSON array: at byte %zu, expected %s",
                       (size_t)(s.p - body), s.problem);
    }
    const char *first = s.p;
    if (scan_whole(&s) == 0) {
        if (*first != '{')
            return gn_fail(err, GN_EINPUT,
                           "the body is %s, not an event: send a JSON object, an array of them "
                           "or JSON Lines",
                           kind_of(*first));
        return push(out, (size_t)(first - body), (size_t)(s.p - first))
                   ? gn_fail(err, GN_ENOMEM, "out of memory")
                   : 0;
    }
    /* Not one value: JSON Lines when there are several lines. */
    const char *nl = memchr(first, '\n', (size_t)(s.end - first));
    int several = 0;
    for (const char *q = nl; q && q < s.end; q++)
        if (!is_ws(*q)) {
            several = 1;
            break;
        }
    if (several) return split_lines(body, len, out, err, &s);
    return gn_fail(err, GN_EINPUT, "the body is not JSON: at byte %zu, expected %s",
                   (size_t)(s.p - body), s.problem);
}

void gn_event_spans_free(gn_event_spans *spans)
{
    free(spans->items);
    spans->items = NULL;
    spans->count = spans->cap = 0;
}
