/* libFuzzer target for the HTTP server's parsers of outside input: the body
 * splitter (any bytes in, event spans or a reason out; spans always lie inside
 * the body and never overlap) and the Host/Origin check of --no-auth (what it
 * accepts always names loopback, with the server's port). */
#include <assert.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "http/body.h"
#include "http/server.h"

/* The same bytes as a Host header: accepted only when they name localhost,
 * 127.x or [::1] and end with the port, in digits (or have none, on port 80). */
static void check_host(const char *h, size_t n, unsigned port)
{
    if (!gn_http_loopback_authority(h, n, port)) return;
    int loopback = (n >= 9 && strncasecmp(h, "localhost", 9) == 0) ||
                   (n >= 4 && memcmp(h, "127.", 4) == 0) || (n >= 5 && memcmp(h, "[::1]", 5) == 0);
    assert(loopback);
    assert(!memchr(h, 0, n));
    /* The port, when there is one, is the digits after the host: the same
     * number however written (":0080" is port 80). */
    const char *host_end = h[0] == '[' ? (const char *)memchr(h, ']', n) + 1 : memchr(h, ':', n);
    int no_port = !host_end || host_end == h + n;
    unsigned long written = 0;
    for (const char *c = no_port ? h + n : host_end + 1; c < h + n; c++) {
        assert(*c >= '0' && *c <= '9');
        written = written * 10 + (unsigned long)(*c - '0');
    }
    assert(no_port ? port == 80 : *host_end == ':' && written == port);
}

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
    if (size < 300) {
        check_host((const char *)data, size, 8080);
        check_host((const char *)data, size, 80);
    }
    return 0;
}
