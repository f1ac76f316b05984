/* libcurl under limits. The address check runs in curl's open-socket callback,
 * on the address curl is about to connect to, so it also holds for every
 * redirect and cannot be dodged by a name that resolves differently twice.
 * The host's own addresses (every interface's, public ones too) count as
 * local, and no proxy is ever used: http_proxy in the environment would
 * otherwise carry every fetch to a host the check never sees. */
#include "media/fetch.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/alloc.h"
#include "core/error.h"

typedef struct transfer {
    unsigned char *data;
    size_t len, cap, max;
    int too_large;
    int budget_spent;
    atomic_size_t *shared_bytes;
    int allow_private;
    char refused[64]; /* the address refused, for the message */
} transfer;

static int private_v4(uint32_t a) /* host byte order */
{
    return (a >> 24) == 0 || (a >> 24) == 10 || (a >> 24) == 127 || (a >> 16) == 0xa9fe ||
           (a >> 20) == 0xac1 || (a >> 16) == 0xc0a8 || (a >> 22) == (100 << 2 | 1) ||
           (a >> 8) == 0xc00000 || (a >> 17) == (198 << 7 | 9) || (a >> 28) >= 0xe;
    /* 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10 (carrier NAT),
     * 192.0.0/24, 198.18/15 (benchmarking), 224/4 multicast and 240/4 reserved */
}

static int private_v6(const struct in6_addr *a)
{
    const unsigned char *b = a->s6_addr;
    static const unsigned char zero[16];
    if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1)) return 1;       /* :: and ::1 */
    static const unsigned char nat64[12] = {0, 0x64, 0xff, 0x9b};               /* 64:ff9b::/96 */
    static const unsigned char siit[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff}; /* ::ffff:0:0/96 */
    /* An IPv4 address inside IPv6 that a gateway or relay translates reaches
     * that IPv4 address: NAT64, SIIT, mapped and compatible forms at the end,
     * 6to4 (2002::/16) in bytes 2-5. */
    if (IN6_IS_ADDR_V4MAPPED(a) || IN6_IS_ADDR_V4COMPAT(a) || memcmp(b, nat64, 12) == 0 ||
        memcmp(b, siit, 12) == 0)
        return private_v4((uint32_t)b[12] << 24 | (uint32_t)b[13] << 16 | (uint32_t)b[14] << 8 |
                          b[15]);
    if (b[0] == 0x20 && b[1] == 0x02)
        return private_v4((uint32_t)b[2] << 24 | (uint32_t)b[3] << 16 | (uint32_t)b[4] << 8 | b[5]);
    return (b[0] & 0xfe) == 0xfc                                       /* fc00::/7 unique local */
           || (b[0] == 0xfe && (b[1] & 0x80) == 0x80)                  /* fe80::/10, fec0::/10 */
           || b[0] == 0xff                                             /* multicast */
           || (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0 && b[3] == 0) /* Teredo 2001::/32 */
           || (b[0] == 0 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b[4] == 0 &&
               b[5] == 1); /* 64:ff9b:1::/48, local-use NAT64 */
}

int gn_address_is_private(const char *address)
{
    struct in_addr v4;
    struct in6_addr v6;
    if (inet_pton(AF_INET, address, &v4) == 1) return private_v4(ntohl(v4.s_addr));
    if (inet_pton(AF_INET6, address, &v6) == 1) return private_v6(&v6);
    return 1; /* not an address at all: refuse */
}

/* 1 when sa is an address of one of this host's interfaces. Read afresh for
 * each connection: interfaces come and go, and a connection costs far more. */
static int own_address(const struct sockaddr *sa)
{
    struct ifaddrs *list;
    if (getifaddrs(&list) != 0) return 1; /* cannot tell: refuse */
    int own = 0;
    for (struct ifaddrs *i = list; i && !own; i = i->ifa_next) {
        const struct sockaddr *a = i->ifa_addr;
        if (!a || a->sa_family != sa->sa_family) continue;
        if (a->sa_family == AF_INET)
            own = ((const struct sockaddr_in *)a)->sin_addr.s_addr ==
                  ((const struct sockaddr_in *)sa)->sin_addr.s_addr;
        else if (a->sa_family == AF_INET6)
            own =
                memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
                       &((const struct sockaddr_in6 *)sa)->sin6_addr, sizeof(struct in6_addr)) == 0;
    }
    freeifaddrs(list);
    return own;
}

int gn_address_is_own(const char *address)
{
    struct sockaddr_in v4 = {.sin_family = AF_INET};
    struct sockaddr_in6 v6 = {.sin6_family = AF_INET6};
    if (inet_pton(AF_INET, address, &v4.sin_addr) == 1) return own_address((struct sockaddr *)&v4);
    if (inet_pton(AF_INET6, address, &v6.sin6_addr) == 1)
        return own_address((struct sockaddr *)&v6);
    return 0;
}

static curl_socket_t open_socket(void *ctx, curlsocktype purpose, struct curl_sockaddr *addr)
{
    transfer *t = ctx;
    int refuse = 0;
    if (addr->family == AF_INET) {
        struct sockaddr_in *in = (struct sockaddr_in *)&addr->addr;
        refuse = private_v4(ntohl(in->sin_addr.s_addr)) || own_address((struct sockaddr *)in);
        inet_ntop(AF_INET, &in->sin_addr, t->refused, sizeof t->refused);
    } else if (addr->family == AF_INET6) {
        struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&addr->addr;
        refuse = private_v6(&in6->sin6_addr) || own_address((struct sockaddr *)in6);
        inet_ntop(AF_INET6, &in6->sin6_addr, t->refused, sizeof t->refused);
    } else {
        refuse = 1;
        snprintf(t->refused, sizeof t->refused, "address family %d", addr->family);
    }
    if (refuse && !t->allow_private) return CURL_SOCKET_BAD;
    t->refused[0] = 0;
    return socket(addr->family, addr->socktype, addr->protocol);
}

int gn_fetch_take(atomic_size_t *bytes_left, size_t n)
{
    size_t left = atomic_load(bytes_left);
    do {
        if (n > left) return 0;
    } while (!atomic_compare_exchange_weak(bytes_left, &left, left - n));
    return 1;
}

static size_t on_data(char *chunk, size_t size, size_t n, void *ctx)
{
    transfer *t = ctx;
    size_t bytes = size * n;
    if (t->len + bytes > t->max) {
        t->too_large = 1;
        return 0; /* stops the transfer */
    }
    if (t->shared_bytes && !gn_fetch_take(t->shared_bytes, bytes)) {
        t->budget_spent = 1;
        return 0;
    }
    if (t->len + bytes > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 65536;
        while (cap < t->len + bytes)
            cap *= 2;
        unsigned char *p = gn_xrealloc(t->data, cap);
        t->data = p;
        t->cap = cap;
    }
    memcpy(t->data + t->len, chunk, bytes);
    t->len += bytes;
    return bytes;
}

/* libcurl's global set-up, once: a listing's photos are fetched from
 * several threads at once, and curl_global_init is thread-safe only in
 * some builds of libcurl. */
static pthread_once_t curl_ready = PTHREAD_ONCE_INIT;
static void curl_start(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

int gn_fetch(const char *url, const gn_fetch_options *o, unsigned char **data, size_t *len,
             gn_error *err)
{
    pthread_once(&curl_ready, curl_start);
    static const gn_fetch_options defaults = {0};
    if (!o) o = &defaults;
    *data = NULL;
    *len = 0;
    if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0)
        return gn_fail(err, GN_EINPUT, "image %.200s: only http and https addresses are fetched",
                       url);
    transfer t = {.max = o->max_bytes ? o->max_bytes : 10u << 20,
                  .allow_private = o->allow_private,
                  .shared_bytes = o->shared_bytes};
    CURL *curl = curl_easy_init();
    if (!curl) return gn_fail(err, GN_ENOMEM, "image %.200s: could not start a transfer", url);
    long redirects = o->max_redirects ? o->max_redirects : 3;
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, redirects > 0 ? 1L : 0L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, redirects > 0 ? redirects : 0L);
    long timeout = o->timeout_ms ? o->timeout_ms : 5000L;
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, timeout);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, timeout < 3000L ? timeout : 3000L);
    curl_easy_setopt(curl, CURLOPT_PROXY, ""); /* never a proxy, whatever the environment */
    curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)t.max);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &t);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &t);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "genuine-image-fetch/1");
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(curl);
    int out = 0;
    if (t.refused[0] && rc != CURLE_OK)
        out = gn_fail(err, GN_EINPUT,
                      "image %.200s: refused to fetch from %s, a private or local address", url,
                      t.refused);
    else if (t.budget_spent)
        out = gn_fail(err, GN_EINPUT,
                      "image %.200s: not fetched whole: this request's bytes for photos are spent",
                      url);
    else if (t.too_large || rc == CURLE_FILESIZE_EXCEEDED)
        out = gn_fail(err, GN_EINPUT, "image %.200s: larger than %zu bytes", url, t.max);
    else if (rc == CURLE_OPERATION_TIMEDOUT)
        out = gn_fail(err, GN_EINPUT, "image %.200s: took longer than %ld ms", url,
                      o->timeout_ms ? o->timeout_ms : 5000L);
    else if (rc == CURLE_TOO_MANY_REDIRECTS)
        out = gn_fail(err, GN_EINPUT, "image %.200s: too many redirects", url);
    else if (rc != CURLE_OK)
        out = gn_fail(err, GN_EINPUT, "image %.200s: %s", url, curl_easy_strerror(rc));
    else if (status < 200 || status > 299)
        out = gn_fail(err, GN_EINPUT, "image %.200s: the server answered HTTP %ld", url, status);
    if (out) {
        free(t.data);
        return out;
    }
    *data = t.data;
    *len = t.len;
    return 0;
}
