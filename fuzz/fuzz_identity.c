/* libFuzzer target for the identity values sellers and the platform send
 * (src/state/identity_normalise.c) and the graph they build
 * (src/state/identity.c): any bytes, read as lines of
 * "<seller byte><kind byte><flags byte>value". Each value is normalised for a
 * country picked by the flags: never a crash, the form fits, and normalising
 * it again changes nothing (one value, one form). An input that begins with
 * 'G' also adds them to a small graph (cut-off 3, so values go common), as
 * stated or observed, and the graph must stay whole: every seller in a
 * cluster of its reported size, every link worth link_points. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "state/identity.h"

#define SELLERS 16

static const char *const countries[] = {NULL, "CN", "GB", "US", "RU", "IT", "DE", "XX"};

static void check_form(const gn_identity_params *p, gn_identity_kind kind, const char *value,
                       size_t len, const char *country)
{
    char out[1024], again[1024];
    gn_error err;
    int n = gn_identity_normalize_in(p, kind, value, len, country, out, sizeof out, &err);
    if (n < 0) {
        assert(n == GN_EINPUT || n == GN_ENOMEM);
        return;
    }
    assert((size_t)n == strlen(out) && n > 0);
    int m = gn_identity_normalize_in(p, kind, out, (size_t)n, country, again, sizeof again, &err);
    assert(m == n && memcmp(out, again, (size_t)n) == 0);
}

static void check_graph(gn_identity *g)
{
    gn_identity_params p;
    gn_identity_default_params(&p);
    for (uint32_t s = 0; s < SELLERS; s++) {
        uint32_t size = 0, m = s;
        do {
            size++;
            assert(gn_identity_cluster(g, m) == gn_identity_cluster(g, s));
            m = gn_identity_next_member(g, m);
        } while (m != s && size <= SELLERS);
        assert(size == gn_identity_cluster_size(g, s));
        gn_identity_link links[SELLERS];
        gn_error err;
        int n = gn_identity_links(g, s, links, SELLERS, &err);
        assert(n >= 0 && n < SELLERS);
        for (int i = 0; i < n; i++) {
            assert(links[i].points >= p.link_points);
            assert(gn_identity_cluster(g, links[i].seller) == gn_identity_cluster(g, s));
            assert((links[i].stated & ~links[i].kinds) == 0);
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_identity_params p;
    gn_identity_default_params(&p);
    p.max_accounts = 3;
    memset(p.max_per_kind, 0, sizeof p.max_per_kind);
    /* A graph costs megabytes of pages to set up (slow under ASan): only
     * inputs that begin with 'G' build one; the others check the forms. */
    gn_identity *g = NULL;
    gn_error err;
    if (size && data[0] == 'G') {
        if (gn_identity_new(&g, &p, &err)) abort();
        data++, size--;
    }
    const char *at = (const char *)data, *end = at + size;
    while (end - at >= 3) {
        const char *nl = memchr(at + 3, '\n', (size_t)(end - at - 3));
        const char *stop = nl ? nl : end;
        uint32_t seller = (uint8_t)at[0] % SELLERS;
        gn_identity_kind kind = (gn_identity_kind)((uint8_t)at[1] % GN_ID_KINDS);
        uint8_t flags = (uint8_t)at[2];
        const char *value = at + 3;
        size_t len = (size_t)(stop - value);
        const char *country = countries[flags % 8];
        check_form(&p, kind, value, len, country);
        if (g) {
            int rc =
                gn_identity_add_as(g, seller, kind, value, len, country, (flags >> 3) & 1, &err);
            assert(rc == 0 || rc == GN_EINPUT);
            if ((flags >> 4) & 1) gn_identity_set_banned(g, seller, (flags >> 5) & 1, &err);
        }
        at = nl ? nl + 1 : end;
    }
    if (g) {
        check_graph(g);
        gn_identity_free(g);
    }
    return 0;
}
