/* Fetching a listing's image by URL, under limits: http and https only, a
 * size cap, a time cap, few redirects (each re-checked), no proxy, and by
 * default never an address on loopback, link-local, a private range or of
 * the host itself, so that a listing cannot make genuine probe the
 * platform's own network. */
#ifndef GN_MEDIA_FETCH_H
#define GN_MEDIA_FETCH_H

#include <stdatomic.h>
#include <stddef.h>

#include "genuine.h"

typedef struct gn_fetch_options {
    size_t max_bytes;   /* 0: 10 MiB */
    long timeout_ms;    /* whole transfer; 0: 5,000 */
    long max_redirects; /* 0: 3; negative: none followed */
    int allow_private; /* 1: loopback, private and the host's own addresses allowed (tests, labs) */
    /* Bytes several fetches share (a request's budget), taken as they
     * arrive; a fetch that finds it spent stops. NULL: none. */
    atomic_size_t *shared_bytes;
} gn_fetch_options;

/* Fetches url into a malloc'd buffer (*data, *len). On failure returns
 * GN_EINPUT with err saying why in words a seller could be shown: refused
 * scheme, refused address, too large, too slow, HTTP status. */
/* Takes n bytes from a shared budget: 1, or 0 (nothing taken) when fewer are left. */
int gn_fetch_take(atomic_size_t *bytes_left, size_t n);

int gn_fetch(const char *url, const gn_fetch_options *options, unsigned char **data, size_t *len,
             gn_error *err);

/* 1 when the numeric address (IPv4 or IPv6 text) is loopback, link-local,
 * private, unspecified, multicast or otherwise not a public address. */
int gn_address_is_private(const char *address);

/* 1 when the numeric address is one of this host's interface addresses. */
int gn_address_is_own(const char *address);

#endif
