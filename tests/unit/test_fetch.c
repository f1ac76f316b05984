/* Image fetching under limits, against a small HTTP server this test runs on
 * a loopback port: private addresses refused by default, sizes, statuses,
 * schemes, redirects, proxies in the environment ignored; the address
 * classifier on a table of addresses and on the host's own addresses. */
#include "testutil.h"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "media/fetch.h"

static int listener;
static int port;

/* The client may hang up mid-body (a size limit): MSG_NOSIGNAL, so that is
 * an error here instead of a SIGPIPE that ends the whole test. */
static void reply(int c, const char *status, const char *extra, size_t body_len, char fill)
{
    char head[256];
    int n = snprintf(head, sizeof head,
                     "HTTP/1.1 %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n", status,
                     body_len, extra);
    if (send(c, head, (size_t)n, MSG_NOSIGNAL) < 0) return;
    char chunk[4096];
    memset(chunk, fill, sizeof chunk);
    for (size_t sent = 0; sent < body_len;) {
        size_t k = body_len - sent < sizeof chunk ? body_len - sent : sizeof chunk;
        ssize_t w = send(c, chunk, k, MSG_NOSIGNAL);
        if (w <= 0) return;
        sent += (size_t)w;
    }
}

static void *serve(void *arg)
{
    for (;;) {
        int c = accept(listener, NULL, NULL);
        if (c < 0) return NULL;
        char req[2048] = {0};
        ssize_t n = read(c, req, sizeof req - 1);
        if (n > 0) {
            if (strncmp(req, "GET /ok ", 8) == 0)
                reply(c, "200 OK", "", 5, 'x');
            else if (strncmp(req, "GET /big ", 9) == 0)
                reply(c, "200 OK", "", 2000000, 'b');
            else if (strncmp(req, "GET /redirect ", 14) == 0)
                reply(c, "302 Found", "Location: /ok\r\n", 0, 0);
            else if (strncmp(req, "GET /loop ", 10) == 0)
                reply(c, "302 Found", "Location: /loop\r\n", 0, 0);
            else
                reply(c, "404 Not Found", "", 0, 0);
        }
        close(c);
    }
}

static int setup(void **state)
{
    listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(listener, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(listener, 16), 0);
    socklen_t len = sizeof a;
    getsockname(listener, (struct sockaddr *)&a, &len);
    port = ntohs(a.sin_port);
    pthread_t t;
    pthread_create(&t, NULL, serve, NULL);
    pthread_detach(t);
    return 0;
}

static char *url(const char *path)
{
    static char buf[128];
    snprintf(buf, sizeof buf, "http://127.0.0.1:%d%s", port, path);
    return buf;
}

static void test_private_refused_by_default(void **state)
{
    unsigned char *data;
    size_t len;
    gn_error err = {0};
    assert_int_equal(gn_fetch(url("/ok"), NULL, &data, &len, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "refused to fetch from 127.0.0.1"));
    assert_null(data);
}

static void test_allowed_fetches(void **state)
{
    gn_fetch_options o = {.allow_private = 1};
    unsigned char *data;
    size_t len;
    gn_error err = {0};
    assert_int_equal(gn_fetch(url("/ok"), &o, &data, &len, &err), 0);
    assert_int_equal(len, 5);
    assert_memory_equal(data, "xxxxx", 5);
    free(data);
    assert_int_equal(gn_fetch(url("/redirect"), &o, &data, &len, &err), 0);
    assert_int_equal(len, 5);
    free(data);
}

static void test_limits_and_failures(void **state)
{
    gn_fetch_options o = {.allow_private = 1, .max_bytes = 100000};
    unsigned char *data;
    size_t len;
    gn_error err = {0};
    assert_int_equal(gn_fetch(url("/big"), &o, &data, &len, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "larger than 100000 bytes"));
    assert_int_equal(gn_fetch(url("/missing"), &o, &data, &len, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "HTTP 404"));
    assert_int_equal(gn_fetch(url("/loop"), &o, &data, &len, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "redirects"));
    assert_int_equal(gn_fetch("ftp://example.com/a.jpg", &o, &data, &len, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "only http and https"));
    assert_int_equal(gn_fetch("file:///etc/passwd", &o, &data, &len, &err), GN_EINPUT);
    gn_fetch_options no_redirects = {.allow_private = 1, .max_redirects = -1};
    assert_int_equal(gn_fetch(url("/redirect"), &no_redirects, &data, &len, &err), GN_EINPUT);
}

static void test_address_classes(void **state)
{
    const char *private[] = {"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1",
                             "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1",
                             "::", "fe80::1", "fc00::1", "fd12:3456::1", "::ffff:127.0.0.1",
                             "::ffff:10.0.0.1",
                             /* IPv4 inside IPv6 prefixes a gateway or relay
                              * translates: NAT64, 6to4, SIIT; site-local,
                              * Teredo, local-use NAT64: refused whole */
                             "64:ff9b::7f00:1", "64:ff9b::a00:1", "64:ff9b::a9fe:a9fe",
                             "2002:7f00:1::1", "2002:a00:1::", "::ffff:0:7f00:1", "fec0::1",
                             "2001:0:4136:e378::1", "64:ff9b:1::1", "not an address"};
    const char *public[] = {"8.8.8.8",          "172.32.0.1",           "93.184.216.34",
                            "100.128.0.1",      "2001:4860:4860::8888", "::ffff:8.8.8.8",
                            "64:ff9b::808:808", "2002:808:808::1"};
    for (size_t i = 0; i < sizeof private / sizeof *private; i++)
        if (!gn_address_is_private(private[i])) fail_msg("%s should count as private", private[i]);
    for (size_t i = 0; i < sizeof public / sizeof *public; i++)
        if (gn_address_is_private(public[i])) fail_msg("%s should count as public", public[i]);
}

/* http_proxy in the environment is not followed: a proxy would carry the
 * fetch to an address the check never sees. The proxy named here is this
 * test's own server, which answers 404 to a proxied request line
 * ("GET http://..."), so a fetch through it would fail. */
static void test_proxy_in_environment_ignored(void **state)
{
    char proxy[64];
    snprintf(proxy, sizeof proxy, "http://127.0.0.1:%d/", port);
    setenv("http_proxy", proxy, 1);
    setenv("HTTP_PROXY", proxy, 1);
    setenv("ALL_PROXY", proxy, 1);
    gn_fetch_options o = {.allow_private = 1};
    unsigned char *data;
    size_t len;
    gn_error err = {0};
    int rc = gn_fetch(url("/ok"), &o, &data, &len, &err);
    unsetenv("http_proxy"), unsetenv("HTTP_PROXY"), unsetenv("ALL_PROXY");
    assert_int_equal(rc, 0);
    assert_int_equal(len, 5);
    free(data);
}

/* Every address of the host's own interfaces counts as its own (a public
 * address of the host is as local as loopback); well-known public ones not. */
static void test_own_addresses(void **state)
{
    struct ifaddrs *list;
    assert_int_equal(getifaddrs(&list), 0);
    int seen = 0;
    for (struct ifaddrs *i = list; i; i = i->ifa_next) {
        if (!i->ifa_addr ||
            (i->ifa_addr->sa_family != AF_INET && i->ifa_addr->sa_family != AF_INET6))
            continue;
        char text[INET6_ADDRSTRLEN];
        const void *a = i->ifa_addr->sa_family == AF_INET
                            ? (const void *)&((struct sockaddr_in *)i->ifa_addr)->sin_addr
                            : (const void *)&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr;
        inet_ntop(i->ifa_addr->sa_family, a, text, sizeof text);
        if (!gn_address_is_own(text)) fail_msg("%s is this host's own address", text);
        seen++;
    }
    freeifaddrs(list);
    assert_true(seen > 0);
    assert_false(gn_address_is_own("192.0.2.77")); /* TEST-NET-1: no host has it */
    assert_false(gn_address_is_own("not an address"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_private_refused_by_default),   cmocka_unit_test(test_allowed_fetches),
        cmocka_unit_test(test_limits_and_failures),          cmocka_unit_test(test_address_classes),
        cmocka_unit_test(test_proxy_in_environment_ignored), cmocka_unit_test(test_own_addresses),
    };
    return cmocka_run_group_tests_name("fetch", tests, setup, NULL);
}
