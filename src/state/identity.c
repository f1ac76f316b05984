/* The seller identity graph (see identity.h). Memory is the constraint: 10M
 * sellers and ~50M distinct values in ~200 bytes a seller. So a value is a
 * 12-byte record (a keyed 64-bit hash and, while one seller holds it, that
 * seller inline); only values held by two sellers or more get holder lists,
 * and a seller lists only its shared values. Everything lives in 64K-item
 * chunks: no realloc copies, no doubled capacity left unused. */
#include "state/identity.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "core/alloc.h"
#include "core/error.h"
#include "engine/snapshot.h"

/* Chunks are whole 2 MiB huge pages (when the kernel gives them on
 * madvise): lookups land at random in a gigabyte, and with 4 KiB pages
 * nearly each one would also miss the TLB. */
#define HUGE_PAGE ((size_t)2 << 20)
#define NIL 0xffffffffu

/* value_rec.ref: a seller (top bit clear; INLINE_STATED when it only stated
 * the value), a shared-value record (top bit set) or COMMON (past the
 * cut-off: held by too many to link anyone). */
#define SHARED_BIT 0x80000000u
#define INLINE_STATED 0x40000000u
#define COMMON 0xffffffffu

/* node.item: a seller in a value's holders, or a value id in a seller's
 * list, with STATED when that seller only stated the value about itself
 * (a seller's own word, not something the platform observed). */
#define STATED 0x80000000u
#define ITEM(x) ((x) & ~STATED)

/* seller_rec.cluster: the cluster record of a root (CL_NONE: a cluster of
 * one, whose figures are the seller's own), and the seller's own ban. */
#define CL_NONE 0x7fffffffu
#define BANNED_BIT 0x80000000u

/* Index slots: 5 bits of the key as a tag (so a probe rarely has to read a
 * record that is not the one), 27 bits of value id + 1; 0 is empty. */
#define SLOT_ID_BITS 27
#define SLOT_ID_MASK ((1u << SLOT_ID_BITS) - 1)
#define MAX_LOAD 0.85

typedef struct seller_rec {
    uint32_t parent;  /* union-find; itself at a root */
    uint32_t next;    /* the cluster's members as a ring */
    uint32_t values;  /* node list of the shared values it holds */
    uint32_t cluster; /* CL_NONE or cluster record (roots only) | BANNED_BIT */
} seller_rec;

typedef struct value_rec {
    uint32_t key_lo, key_hi; /* hash with the kind in the low 4 bits */
    uint32_t ref;
} value_rec;

typedef struct shared_rec {
    uint32_t count : 31; /* distinct holders, 2..max_accounts */
    uint32_t stated : 1; /* some holder has (or had) it only by its own word */
    uint32_t holders;    /* node list of sellers */
} shared_rec;

typedef struct node {
    uint32_t item; /* a seller or a value id */
    uint32_t next;
} node;

/* Items of one size in chunks; freed items chain through their first word. */
typedef struct pool {
    char **chunks;
    uint32_t n_chunks, cap_chunks;
    uint32_t count; /* items ever handed out: the next fresh index */
    uint32_t free;  /* head of the freed items, NIL */
    uint32_t size;  /* bytes per item */
    uint32_t shift; /* items per chunk: 1 << shift */
} pool;

/* A growable array of uint32 for the work of one call. */
typedef struct vec {
    uint32_t *v;
    size_t n, cap;
} vec;

struct gn_identity {
    gn_identity_params p;
    uint32_t limit[GN_ID_KINDS]; /* the cut-off of each kind */
    uint64_t bytes;

    pool sellers;  /* seller_rec; count = sellers initialised */
    pool own;      /* uint32 x p.counters per seller, beside sellers */
    uint32_t seen; /* highest seller index added + 1 */

    pool values; /* value_rec, never freed */
    uint32_t *slots;
    uint64_t mask;
    pool shared;   /* shared_rec */
    pool nodes;    /* node */
    pool clusters; /* uint32 x (2 + p.counters): size, banned, sums */

    uint64_t n_shared, n_common, n_clusters, recomputes;
    vec work, members, roots;
    size_t split; /* members taken apart by the last add from a cluster with a ban */
    gn_identity_link *links;
    size_t cap_links;
};

/* ------------------------------------------------------------ chunked pools */

static void *pool_at(const pool *p, uint32_t i)
{
    return p->chunks[i >> p->shift] + (size_t)(i & ((1u << p->shift) - 1)) * p->size;
}

/* Memory in whole huge pages, which the kernel is asked to back so. */
static void *huge_alloc(size_t bytes)
{
    bytes = (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *m = gn_xaligned_alloc(HUGE_PAGE, bytes);
    if (m) madvise(m, bytes, MADV_HUGEPAGE); /* advice only: failure is harmless */
    return m;
}

/* The smallest chunk of at least 64K items that fills whole huge pages. */
static void pool_init(pool *p, uint32_t size)
{
    memset(p, 0, sizeof *p);
    p->free = NIL;
    p->size = size;
    p->shift = 16;
    while (size && (((size_t)size << p->shift) % HUGE_PAGE) != 0)
        p->shift++;
}

static int pool_add_chunk(gn_identity *g, pool *p)
{
    if (p->n_chunks == p->cap_chunks) {
        uint32_t cap = p->cap_chunks ? p->cap_chunks * 2 : 16;
        char **c = gn_xrealloc(p->chunks, cap * sizeof *c);
        g->bytes += (uint64_t)(cap - p->cap_chunks) * sizeof *c;
        p->chunks = c;
        p->cap_chunks = cap;
    }
    size_t bytes = (size_t)p->size << p->shift;
    char *chunk = huge_alloc(bytes);
    if (!chunk) return GN_ENOMEM;
    g->bytes += bytes;
    p->chunks[p->n_chunks++] = chunk;
    return 0;
}

/* Returns a free item's index, NIL when memory is out or indexes are. */
static uint32_t pool_alloc(gn_identity *g, pool *p)
{
    if (p->free != NIL) {
        uint32_t i = p->free;
        p->free = *(uint32_t *)pool_at(p, i);
        return i;
    }
    if (p->count >= NIL - 1) return NIL;
    if (p->count == (uint64_t)p->n_chunks << p->shift && pool_add_chunk(g, p) < 0) return NIL;
    return p->count++;
}

static void pool_release(pool *p, uint32_t i)
{
    *(uint32_t *)pool_at(p, i) = p->free;
    p->free = i;
}

static void pool_free(pool *p)
{
    for (uint32_t i = 0; i < p->n_chunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    memset(p, 0, sizeof *p);
}

static int vec_push(gn_identity *g, vec *v, uint32_t x)
{
    if (v->n == v->cap) {
        size_t cap = v->cap ? v->cap * 2 : 64;
        uint32_t *n = gn_xrealloc(v->v, cap * sizeof *n);
        g->bytes += (cap - v->cap) * sizeof *n;
        v->v = n;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

static seller_rec *S(const gn_identity *g, uint32_t s)
{
    return pool_at(&g->sellers, s);
}
static uint32_t *own(const gn_identity *g, uint32_t s)
{
    return pool_at(&g->own, s);
}
static uint32_t *cluster_rec(const gn_identity *g, uint32_t c)
{
    return pool_at(&g->clusters, c);
}
static value_rec *V(const gn_identity *g, uint32_t id)
{
    return pool_at(&g->values, id);
}
static shared_rec *SH(const gn_identity *g, uint32_t ref)
{
    return pool_at(&g->shared, ref & ~SHARED_BIT);
}
static node *N(const gn_identity *g, uint32_t i)
{
    return pool_at(&g->nodes, i);
}
static int known(const gn_identity *g, uint32_t s)
{
    return s < g->sellers.count;
}
static gn_identity_kind kind_of(const value_rec *v)
{
    return (gn_identity_kind)(v->key_lo & 15);
}

/* Makes sellers up to s exist, each a cluster of one. Their own counters
 * come first, so a seller that exists always has them. */
static int ensure_seller(gn_identity *g, uint32_t s)
{
    while (s >= g->sellers.count) {
        uint32_t first = g->sellers.count, chunk = 1u << g->sellers.shift;
        while (g->p.counters && g->own.count < first + chunk) {
            if (pool_add_chunk(g, &g->own) < 0) return GN_ENOMEM;
            memset(own(g, g->own.count), 0, (size_t)g->own.size << g->own.shift);
            g->own.count += 1u << g->own.shift;
        }
        if (pool_add_chunk(g, &g->sellers) < 0) return GN_ENOMEM;
        for (uint32_t i = first; i < first + chunk; i++) {
            seller_rec *r = S(g, i);
            r->parent = r->next = i;
            r->values = NIL;
            r->cluster = CL_NONE;
        }
        g->sellers.count = first + chunk;
    }
    if (s >= g->seen) g->seen = s + 1;
    return 0;
}

/* ------------------------------------------------------------ kinds */

static const char *const kind_names[GN_ID_KINDS] = {
    "ip",           "device",          "network", "phone", "email",
    "bank_account", "payment_account", "address", "tax_id"};
static const char *const kind_texts[GN_ID_KINDS] = {
    "an IP address",     "a device",          "a network (router / Wi-Fi)",
    "a phone number",    "an e-mail address", "a bank account",
    "a payment account", "an address",        "a tax id"};

int gn_identity_kind_parse(const char *name)
{
    for (int k = 0; k < GN_ID_KINDS; k++)
        if (strcmp(name, kind_names[k]) == 0) return k;
    return -1;
}

const char *gn_identity_kind_name(gn_identity_kind kind)
{
    return (unsigned)kind < GN_ID_KINDS ? kind_names[kind] : "unknown";
}

void gn_identity_kinds_text(uint32_t mask, char *out, size_t cap)
{
    size_t used = 0;
    int total = __builtin_popcount(mask & ((1u << GN_ID_KINDS) - 1)), done = 0;
    if (cap) out[0] = 0;
    for (int k = 0; k < GN_ID_KINDS && cap; k++) {
        if (!(mask & (1u << k))) continue;
        const char *sep = done == 0 ? "" : done == total - 1 ? " and " : ", ";
        int w = snprintf(out + used, cap - used, "%s%s", sep, kind_texts[k]);
        if (w < 0 || (size_t)w >= cap - used) break;
        used += (size_t)w;
        done++;
    }
}

void gn_identity_default_params(gn_identity_params *p)
{
    memset(p, 0, sizeof *p);
    p->max_accounts = 20;
    for (int k = 0; k < GN_ID_KINDS; k++)
        p->points[k] = 2;
    p->points[GN_ID_IP] = 1;
    p->points[GN_ID_ADDRESS] = 1;
    p->link_points = 2;
    gn_identity_kind owned[] = {GN_ID_DEVICE,       GN_ID_PHONE,           GN_ID_EMAIL,
                                GN_ID_BANK_ACCOUNT, GN_ID_PAYMENT_ACCOUNT, GN_ID_TAX_ID};
    for (size_t i = 0; i < sizeof owned / sizeof owned[0]; i++)
        p->max_per_kind[owned[i]] = 100;
}

/* ------------------------------------------------------------ life */

int gn_identity_new(gn_identity **out, const gn_identity_params *p, gn_error *err)
{
    *out = NULL;
    gn_identity_params d;
    if (!p) {
        gn_identity_default_params(&d);
        p = &d;
    }
    uint32_t limit[GN_ID_KINDS];
    for (int k = 0; k < GN_ID_KINDS; k++) {
        limit[k] = p->max_per_kind[k] ? p->max_per_kind[k] : p->max_accounts;
        if (limit[k] < 2 || limit[k] > 65535)
            return gn_fail(err, GN_EINPUT, "identity max_accounts for %s must be 2..65535, not %u",
                           kind_names[k], limit[k]);
    }
    if (p->counters > GN_IDENTITY_MAX_COUNTERS)
        return gn_fail(err, GN_EINPUT, "identity counters must be 0..%d, not %u",
                       GN_IDENTITY_MAX_COUNTERS, p->counters);
    if (p->link_points == 0)
        return gn_fail(err, GN_EINPUT, "identity link_points must be at least 1");
    for (const char *c = p->phone_country; c < p->phone_country + sizeof p->phone_country && *c;
         c++)
        if (*c < '0' || *c > '9')
            return gn_fail(err, GN_EINPUT, "identity phone_country must be digits");
    if (memchr(p->phone_country, 0, sizeof p->phone_country) == NULL)
        return gn_fail(err, GN_EINPUT, "identity phone_country: at most 3 digits");
    if (sodium_init() < 0) return gn_fail(err, GN_ENOMEM, "libsodium could not start");
    gn_identity *g = gn_xcalloc(1, sizeof *g);
    g->p = *p;
    memcpy(g->limit, limit, sizeof limit);
    g->bytes = sizeof *g;
    pool *pools[] = {&g->sellers, &g->own, &g->values, &g->shared, &g->nodes, &g->clusters};
    uint32_t sizes[] = {sizeof(seller_rec), 4 * p->counters, sizeof(value_rec),
                        sizeof(shared_rec), sizeof(node),    4 * (2 + p->counters)};
    for (int i = 0; i < 6; i++)
        pool_init(pools[i], sizes[i]);
    g->mask = 1023;
    g->slots = huge_alloc((g->mask + 1) * sizeof *g->slots);
    if (!g->slots) {
        free(g);
        return gn_fail(err, GN_ENOMEM, "out of memory for the identity graph");
    }
    memset(g->slots, 0, (g->mask + 1) * sizeof *g->slots);
    g->bytes += HUGE_PAGE;
    *out = g;
    return 0;
}

void gn_identity_free(gn_identity *g)
{
    if (!g) return;
    pool_free(&g->sellers);
    pool_free(&g->own);
    pool_free(&g->values);
    pool_free(&g->shared);
    pool_free(&g->nodes);
    pool_free(&g->clusters);
    free(g->slots);
    free(g->work.v);
    free(g->members.v);
    free(g->roots.v);
    free(g->links);
    free(g);
}

/* ------------------------------------------------------------ value index */

static uint64_t key_of(const value_rec *v)
{
    return (uint64_t)v->key_hi << 32 | v->key_lo;
}
static uint64_t slot_pos(uint64_t key)
{
    return key >> 4; /* the low 4 bits are the kind */
}
static uint32_t slot_tag(uint64_t key)
{
    return (uint32_t)(key >> 59) << SLOT_ID_BITS;
}

static int index_resize(gn_identity *g, uint64_t slots)
{
    size_t bytes = slots * sizeof(uint32_t);
    uint32_t *s = huge_alloc(bytes);
    if (!s) return GN_ENOMEM;
    memset(s, 0, bytes);
    uint64_t mask = slots - 1;
    for (uint32_t id = 0; id < g->values.count; id++) {
        uint64_t key = key_of(V(g, id));
        uint64_t i = slot_pos(key) & mask;
        while (s[i])
            i = (i + 1) & mask;
        s[i] = slot_tag(key) | (id + 1);
    }
    g->bytes -= ((g->mask + 1) * sizeof *g->slots + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    g->bytes += (bytes + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    free(g->slots);
    g->slots = s;
    g->mask = mask;
    return 0;
}

int gn_identity_reserve(gn_identity *g, uint32_t sellers, uint64_t values, gn_error *err)
{
    uint64_t slots = g->mask + 1;
    if (values > GN_IDENTITY_MAX_VALUES) values = GN_IDENTITY_MAX_VALUES;
    while ((double)values > (double)slots * MAX_LOAD)
        slots *= 2;
    if (slots > g->mask + 1 && index_resize(g, slots) < 0)
        return gn_fail(err, GN_ENOMEM, "out of memory sizing the identity index");
    /* Room in the chunk tables only; the chunks come as they fill. */
    pool *pools[] = {&g->sellers, &g->own, &g->values};
    uint64_t want[] = {sellers, g->p.counters ? sellers : 0, values};
    for (int i = 0; i < 3; i++) {
        uint32_t chunks = (uint32_t)((want[i] + (1u << pools[i]->shift) - 1) >> pools[i]->shift);
        if (chunks > pools[i]->cap_chunks) {
            char **c = gn_xrealloc(pools[i]->chunks, chunks * sizeof *c);
            g->bytes += (uint64_t)(chunks - pools[i]->cap_chunks) * sizeof *c;
            pools[i]->chunks = c;
            pools[i]->cap_chunks = chunks;
        }
    }
    return 0;
}

/* ------------------------------------------------------------ clusters */

static uint32_t find(const gn_identity *g, uint32_t s)
{
    /* Path halving: every other step points at its grandparent. */
    seller_rec *r = S(g, s);
    while (r->parent != s) {
        seller_rec *up = S(g, r->parent);
        r->parent = up->parent;
        s = r->parent;
        r = S(g, s);
    }
    return s;
}

static uint32_t root_size(const gn_identity *g, uint32_t root)
{
    uint32_t c = S(g, root)->cluster & ~BANNED_BIT;
    return c == CL_NONE ? 1 : cluster_rec(g, c)[0];
}

/* The figures of a root, from its cluster record or, alone, its own. */
static void root_figures(const gn_identity *g, uint32_t root, uint32_t *fig)
{
    uint32_t c = S(g, root)->cluster & ~BANNED_BIT;
    uint32_t n = 2 + g->p.counters;
    if (c != CL_NONE) {
        memcpy(fig, cluster_rec(g, c), n * sizeof *fig);
        return;
    }
    fig[0] = 1;
    fig[1] = (S(g, root)->cluster & BANNED_BIT) ? 1 : 0;
    if (g->p.counters) memcpy(fig + 2, own(g, root), g->p.counters * sizeof *fig);
}

static int unite(gn_identity *g, uint32_t a, uint32_t b)
{
    uint32_t ra = find(g, a), rb = find(g, b);
    if (ra == rb) return 0;
    if (root_size(g, ra) < root_size(g, rb)) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    seller_rec *A = S(g, ra), *B = S(g, rb);
    uint32_t ca = A->cluster & ~BANNED_BIT, cb = B->cluster & ~BANNED_BIT;
    uint32_t n = 2 + g->p.counters;
    if (ca == CL_NONE) {
        ca = pool_alloc(g, &g->clusters);
        if (ca == NIL) return GN_ENOMEM;
        root_figures(g, ra, cluster_rec(g, ca));
        A->cluster = (A->cluster & BANNED_BIT) | ca;
        g->n_clusters++;
    }
    uint32_t fig[2 + GN_IDENTITY_MAX_COUNTERS];
    root_figures(g, rb, fig);
    uint32_t *c = cluster_rec(g, ca);
    for (uint32_t i = 0; i < n; i++)
        c[i] += fig[i];
    if (cb != CL_NONE) {
        pool_release(&g->clusters, cb);
        g->n_clusters--;
    }
    B->cluster = (B->cluster & BANNED_BIT) | CL_NONE;
    B->parent = ra;
    uint32_t t = A->next; /* splice the two rings into one */
    A->next = B->next;
    B->next = t;
    return 0;
}

/* ------------------------------------------------------------ links */

/* Whether s holds the shared value: 0 no, 1 observed, 2 only stated. */
static int holds(const gn_identity *g, uint32_t ref, uint32_t s)
{
    for (uint32_t i = SH(g, ref)->holders; i != NIL; i = N(g, i)->next)
        if (ITEM(N(g, i)->item) == s) return N(g, i)->item & STATED ? 2 : 1;
    return 0;
}

/* s, which stated value id, is now observed with it: it counts in full. */
static void now_observed(gn_identity *g, uint32_t s, uint32_t id)
{
    for (uint32_t i = SH(g, V(g, id)->ref)->holders; i != NIL; i = N(g, i)->next)
        if (ITEM(N(g, i)->item) == s) N(g, i)->item = s;
    for (uint32_t i = S(g, s)->values; i != NIL; i = N(g, i)->next)
        if (ITEM(N(g, i)->item) == id) N(g, i)->item = id;
}

/* Points of a pair: what the platform observed both hold counts in full;
 * what either of them only stated about itself counts at most one short of
 * a link, so statements alone never link (a seller can state anyone's
 * phone) but can make a link with an observed weak value. */
static uint32_t effective_points(const gn_identity *g, uint32_t seen, uint32_t said)
{
    uint32_t cap = g->p.link_points - 1u;
    return seen + (said < cap ? said : cap);
}

/* Points (and kinds) of the shared values a and b both hold; with stop, it
 * returns as soon as the link is made. */
static uint32_t pair_points(const gn_identity *g, uint32_t a, uint32_t b, uint32_t *kinds, int stop)
{
    uint32_t seen = 0, said = 0;
    for (uint32_t i = S(g, a)->values; i != NIL; i = N(g, i)->next) {
        uint32_t item = N(g, i)->item;
        const value_rec *v = V(g, ITEM(item));
        uint32_t pt = g->p.points[kind_of(v)];
        int hb = pt ? holds(g, v->ref, b) : 0;
        if (!hb) continue;
        if (hb == 2 || (item & STATED))
            said += pt;
        else
            seen += pt;
        if (kinds) *kinds |= 1u << kind_of(v);
        if (stop && effective_points(g, seen, said) >= g->p.link_points) break;
    }
    return effective_points(g, seen, said);
}

/* s has just become a holder of value id (stated: only by its own word): link
 * it as the value's points say. The holders who were observed with a value
 * strong enough alone are one cluster already, so one union joins s, when
 * observed too, to all of them; a weak value, or a statement on either side,
 * links pair by pair. */
static int link_holder(gn_identity *g, uint32_t s, uint32_t id, int stated)
{
    const value_rec *v = V(g, id);
    uint32_t pt = g->p.points[kind_of(v)];
    if (pt == 0) return 0;
    int strong = pt >= g->p.link_points && !stated, joined = 0;
    const shared_rec *sh = SH(g, v->ref);
    if (strong && !sh->stated) { /* the common case: nobody's word, all one cluster */
        uint32_t h = ITEM(N(g, sh->holders)->item);
        if (h == s) h = ITEM(N(g, N(g, sh->holders)->next)->item);
        return unite(g, s, h);
    }
    for (uint32_t i = sh->holders; i != NIL; i = N(g, i)->next) {
        uint32_t item = N(g, i)->item, h = ITEM(item);
        if (h == s) continue;
        if (strong && !(item & STATED)) {
            if (joined) continue;
            joined = 1;
            int rc = unite(g, s, h);
            if (rc < 0) return rc;
            continue;
        }
        if (find(g, h) != find(g, s) && pair_points(g, s, h, NULL, 1) >= g->p.link_points) {
            int rc = unite(g, s, h);
            if (rc < 0) return rc;
        }
    }
    return 0;
}

static void unlist_value(gn_identity *g, uint32_t s, uint32_t id)
{
    uint32_t *at = &S(g, s)->values;
    while (*at != NIL) {
        uint32_t i = *at;
        if (ITEM(N(g, i)->item) == id) {
            *at = N(g, i)->next;
            pool_release(&g->nodes, i);
            return;
        }
        at = &N(g, i)->next;
    }
}

/* The links inside the clusters of the given sellers are rebuilt from the
 * values that still count: every member becomes alone, then each joins
 * through its shared values. Links only ever go, so nobody outside these
 * clusters can be reached. */
static int recompute(gn_identity *g, const uint32_t *holders, size_t n)
{
    g->roots.n = g->members.n = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t r = find(g, holders[i]);
        if (root_size(g, r) == 1) continue;
        int seen = 0;
        for (size_t k = 0; k < g->roots.n && !seen; k++)
            seen = g->roots.v[k] == r;
        if (!seen && vec_push(g, &g->roots, r) < 0) return GN_ENOMEM;
    }
    if (g->roots.n == 0) return 0;
    int had_ban = 0;
    for (size_t k = 0; k < g->roots.n; k++) {
        uint32_t fig[2 + GN_IDENTITY_MAX_COUNTERS];
        root_figures(g, g->roots.v[k], fig);
        had_ban |= fig[1] > 0;
    }
    for (size_t k = 0; k < g->roots.n; k++) {
        uint32_t r = g->roots.v[k], m = r;
        do {
            if (vec_push(g, &g->members, m) < 0) return GN_ENOMEM;
            m = S(g, m)->next;
        } while (m != r);
    }
    for (size_t k = 0; k < g->members.n; k++) {
        uint32_t m = g->members.v[k];
        seller_rec *r = S(g, m);
        uint32_t c = r->cluster & ~BANNED_BIT;
        if (c != CL_NONE) {
            pool_release(&g->clusters, c);
            g->n_clusters--;
        }
        r->parent = r->next = m;
        r->cluster = (r->cluster & BANNED_BIT) | CL_NONE;
    }
    for (size_t k = 0; k < g->members.n; k++) {
        uint32_t m = g->members.v[k];
        for (uint32_t i = S(g, m)->values; i != NIL; i = N(g, i)->next) {
            uint32_t item = N(g, i)->item;
            int rc = link_holder(g, m, ITEM(item), (item & STATED) != 0);
            if (rc < 0) return rc;
        }
    }
    g->recomputes += g->roots.n;
    if (had_ban) g->split = g->members.n;
    return 0;
}

/* Value id has one holder too many: it stops counting. Its holders forget it
 * and their clusters are rebuilt without it. */
static int make_common(gn_identity *g, uint32_t id)
{
    value_rec *v = V(g, id);
    shared_rec *sh = SH(g, v->ref);
    g->work.n = 0;
    for (uint32_t i = sh->holders, next; i != NIL; i = next) {
        next = N(g, i)->next;
        uint32_t h = ITEM(N(g, i)->item);
        if (vec_push(g, &g->work, h) < 0) return GN_ENOMEM;
        unlist_value(g, h, id);
        pool_release(&g->nodes, i);
    }
    pool_release(&g->shared, v->ref & ~SHARED_BIT);
    v->ref = COMMON;
    g->n_shared--;
    g->n_common++;
    return recompute(g, g->work.v, g->work.n);
}

static uint64_t value_key(const gn_identity *g, gn_identity_kind kind, const char *s, size_t n)
{
    unsigned char h[crypto_shorthash_BYTES];
    crypto_shorthash(h, (const unsigned char *)s, n, g->p.hash_key);
    uint64_t k;
    memcpy(&k, h, sizeof k);
    return (k & ~(uint64_t)15) | (uint64_t)kind;
}

int gn_identity_add(gn_identity *g, uint32_t seller, gn_identity_kind kind, const char *value,
                    size_t len, gn_error *err)
{
    return gn_identity_add_as(g, seller, kind, value, len, NULL, 0, err);
}

int gn_identity_add_as(gn_identity *g, uint32_t seller, gn_identity_kind kind, const char *value,
                       size_t len, const char *country, int stated, gn_error *err)
{
    g->split = 0;
    if (seller >= GN_IDENTITY_MAX_SELLERS)
        return gn_fail(err, GN_EINPUT, "seller index %u is out of range", seller);
    char norm[1024];
    int n = gn_identity_normalize_in(&g->p, kind, value, len, country, norm, sizeof norm, err);
    if (n < 0) return n;
    uint64_t key = value_key(g, kind, norm, (size_t)n);
    if (ensure_seller(g, seller) < 0)
        return gn_fail(err, GN_ENOMEM, "out of memory adding seller %u", seller);

    uint32_t tag = slot_tag(key), id = NIL;
    uint64_t pos = slot_pos(key) & g->mask;
    for (uint32_t s; (s = g->slots[pos]) != 0; pos = (pos + 1) & g->mask) {
        if ((s & ~SLOT_ID_MASK) == tag && key_of(V(g, (s & SLOT_ID_MASK) - 1)) == key) {
            id = (s & SLOT_ID_MASK) - 1;
            break;
        }
    }
    if (id == NIL) { /* a value never seen: its holder is kept inline */
        if (g->values.count >= GN_IDENTITY_MAX_VALUES)
            return gn_fail(err, GN_ENOMEM, "identity graph full (%u values)",
                           GN_IDENTITY_MAX_VALUES);
        if ((double)(g->values.count + 1) > (double)(g->mask + 1) * MAX_LOAD) {
            if (index_resize(g, (g->mask + 1) * 2) < 0)
                return gn_fail(err, GN_ENOMEM, "out of memory growing the identity index");
            pos = slot_pos(key) & g->mask;
            while (g->slots[pos])
                pos = (pos + 1) & g->mask;
        }
        id = pool_alloc(g, &g->values);
        if (id == NIL)
            return gn_fail(err, GN_ENOMEM, "out of memory adding a %s", kind_names[kind]);
        value_rec *v = V(g, id);
        v->key_lo = (uint32_t)key;
        v->key_hi = (uint32_t)(key >> 32);
        v->ref = seller | (stated ? INLINE_STATED : 0);
        g->slots[pos] = tag | (id + 1);
        return 0;
    }

    value_rec *v = V(g, id);
    if (v->ref == COMMON) return 0;
    int rc;
    uint32_t flag = stated ? STATED : 0;
    if (!(v->ref & SHARED_BIT)) { /* a second holder: the value gets a list */
        uint32_t first = v->ref & ~INLINE_STATED;
        uint32_t first_flag = v->ref & INLINE_STATED ? STATED : 0;
        if (first == seller) {
            if (!stated) v->ref = seller; /* observed now: no longer only its word */
            return 0;
        }
        uint32_t sh = pool_alloc(g, &g->shared);
        uint32_t nd[4];
        for (int i = 0; i < 4; i++)
            nd[i] = pool_alloc(g, &g->nodes);
        if (sh == NIL || nd[0] == NIL || nd[1] == NIL || nd[2] == NIL || nd[3] == NIL) {
            for (int i = 0; i < 4; i++)
                if (nd[i] != NIL) pool_release(&g->nodes, nd[i]);
            if (sh != NIL) pool_release(&g->shared, sh);
            return gn_fail(err, GN_ENOMEM, "out of memory linking a %s", kind_names[kind]);
        }
        *N(g, nd[0]) = (node){first | first_flag, NIL};
        *N(g, nd[1]) = (node){seller | flag, nd[0]};
        *(shared_rec *)pool_at(&g->shared, sh) =
            (shared_rec){.count = 2, .stated = (stated || first_flag) ? 1u : 0u, .holders = nd[1]};
        *N(g, nd[2]) = (node){id | first_flag, S(g, first)->values};
        S(g, first)->values = nd[2];
        *N(g, nd[3]) = (node){id | flag, S(g, seller)->values};
        S(g, seller)->values = nd[3];
        v->ref = SHARED_BIT | sh;
        g->n_shared++;
    } else {
        shared_rec *sh = SH(g, v->ref);
        int held = holds(g, v->ref, seller);
        if (held == 2 && !stated) { /* stated before, observed now: it counts in full */
            now_observed(g, seller, id);
            rc = link_holder(g, seller, id, 0);
            return rc < 0 ? gn_fail(err, rc, "out of memory linking a %s", kind_names[kind]) : 0;
        }
        if (held) return 0;
        if ((uint32_t)sh->count + 1 > g->limit[kind]) {
            rc = make_common(g, id);
            return rc < 0 ? gn_fail(err, rc, "out of memory withdrawing the links of a %s",
                                    kind_names[kind])
                          : 0;
        }
        uint32_t a = pool_alloc(g, &g->nodes), b = pool_alloc(g, &g->nodes);
        if (a == NIL || b == NIL) {
            if (a != NIL) pool_release(&g->nodes, a);
            return gn_fail(err, GN_ENOMEM, "out of memory linking a %s", kind_names[kind]);
        }
        *N(g, a) = (node){seller | flag, sh->holders};
        sh->holders = a;
        sh->count++;
        if (stated) sh->stated = 1;
        *N(g, b) = (node){id | flag, S(g, seller)->values};
        S(g, seller)->values = b;
    }
    rc = link_holder(g, seller, id, stated);
    return rc < 0 ? gn_fail(err, rc, "out of memory linking a %s", kind_names[kind]) : 0;
}

/* ------------------------------------------------------------ reads */

size_t gn_identity_split(const gn_identity *g, const uint32_t **sellers)
{
    *sellers = g->members.v;
    return g->split;
}

uint32_t gn_identity_cluster(gn_identity *g, uint32_t seller)
{
    return known(g, seller) ? find(g, seller) : seller;
}

uint32_t gn_identity_cluster_size(gn_identity *g, uint32_t seller)
{
    return known(g, seller) ? root_size(g, find(g, seller)) : 1;
}

uint32_t gn_identity_next_member(const gn_identity *g, uint32_t seller)
{
    return known(g, seller) ? S(g, seller)->next : seller;
}

int gn_identity_is_banned(const gn_identity *g, uint32_t seller)
{
    return known(g, seller) && (S(g, seller)->cluster & BANNED_BIT);
}

uint32_t gn_identity_cluster_banned(gn_identity *g, uint32_t seller)
{
    if (!known(g, seller)) return 0;
    uint32_t fig[2 + GN_IDENTITY_MAX_COUNTERS];
    root_figures(g, find(g, seller), fig);
    return fig[1];
}

int gn_identity_set_banned(gn_identity *g, uint32_t seller, int banned, gn_error *err)
{
    if (seller >= GN_IDENTITY_MAX_SELLERS)
        return gn_fail(err, GN_EINPUT, "seller index %u is out of range", seller);
    if (ensure_seller(g, seller) < 0)
        return gn_fail(err, GN_ENOMEM, "out of memory adding seller %u", seller);
    seller_rec *r = S(g, seller);
    if (!!(r->cluster & BANNED_BIT) == !!banned) return 0;
    r->cluster ^= BANNED_BIT;
    uint32_t c = S(g, find(g, seller))->cluster & ~BANNED_BIT;
    if (c != CL_NONE) cluster_rec(g, c)[1] += banned ? 1 : (uint32_t)-1;
    return 0;
}

int gn_identity_counter_add(gn_identity *g, uint32_t seller, uint32_t slot, int32_t delta,
                            gn_error *err)
{
    if (slot >= g->p.counters)
        return gn_fail(err, GN_EINPUT, "identity counter %u: only %u configured", slot,
                       g->p.counters);
    if (seller >= GN_IDENTITY_MAX_SELLERS)
        return gn_fail(err, GN_EINPUT, "seller index %u is out of range", seller);
    if (ensure_seller(g, seller) < 0)
        return gn_fail(err, GN_ENOMEM, "out of memory adding seller %u", seller);
    own(g, seller)[slot] += (uint32_t)delta;
    uint32_t c = S(g, find(g, seller))->cluster & ~BANNED_BIT;
    if (c != CL_NONE) cluster_rec(g, c)[2 + slot] += (uint32_t)delta;
    return 0;
}

int64_t gn_identity_counter(gn_identity *g, uint32_t seller, uint32_t slot)
{
    if (slot >= g->p.counters || !known(g, seller)) return 0;
    uint32_t fig[2 + GN_IDENTITY_MAX_COUNTERS];
    root_figures(g, find(g, seller), fig);
    return (int32_t)fig[2 + slot];
}

static int by_seller(const void *a, const void *b)
{
    const gn_identity_link *x = a, *y = b;
    return (x->seller > y->seller) - (x->seller < y->seller);
}

/* Every (holder, kind, points) of the seller's shared values, merged per
 * holder and cut to those that reach link_points, into g->links. */
static int collect_links(gn_identity *g, uint32_t seller, size_t *count)
{
    size_t n = 0;
    *count = 0;
    if (!known(g, seller)) return 0;
    for (uint32_t i = S(g, seller)->values; i != NIL; i = N(g, i)->next) {
        uint32_t item = N(g, i)->item;
        const value_rec *v = V(g, ITEM(item));
        uint32_t pt = g->p.points[kind_of(v)];
        if (!pt) continue;
        for (uint32_t j = SH(g, v->ref)->holders; j != NIL; j = N(g, j)->next) {
            uint32_t h = ITEM(N(g, j)->item);
            int stated = ((item | N(g, j)->item) & STATED) != 0;
            if (h == seller) continue;
            if (n == g->cap_links) {
                size_t cap = g->cap_links ? g->cap_links * 2 : 64;
                gn_identity_link *l = gn_xrealloc(g->links, cap * sizeof *l);
                g->bytes += (cap - g->cap_links) * sizeof *l;
                g->links = l;
                g->cap_links = cap;
            }
            uint16_t bit = (uint16_t)(1u << kind_of(v));
            g->links[n++] = (gn_identity_link){h, bit, (uint16_t)pt, stated ? bit : 0};
        }
    }
    if (n > 1) qsort(g->links, n, sizeof *g->links, by_seller);
    size_t out = 0;
    for (size_t i = 0; i < n;) {
        gn_identity_link l = g->links[i];
        uint32_t seen = 0, said = 0, observed = 0;
        l.kinds = l.stated = 0;
        for (; i < n && g->links[i].seller == l.seller; i++) {
            const gn_identity_link *e = &g->links[i];
            l.kinds |= e->kinds;
            if (e->stated) {
                said += e->points;
                l.stated |= e->stated;
            } else {
                seen += e->points;
                observed |= e->kinds;
            }
        }
        l.stated &= (uint16_t)~observed; /* kinds shared only through statements */
        uint32_t points = effective_points(g, seen, said);
        l.points = (uint16_t)(points < 0xffff ? points : 0xffff);
        if (points >= g->p.link_points) g->links[out++] = l;
    }
    *count = out;
    return 0;
}

int gn_identity_links(gn_identity *g, uint32_t seller, gn_identity_link *out, size_t cap,
                      gn_error *err)
{
    size_t n;
    if (collect_links(g, seller, &n) < 0)
        return gn_fail(err, GN_ENOMEM, "out of memory listing links");
    if (n && cap) memcpy(out, g->links, (n < cap ? n : cap) * sizeof *out);
    return (int)n;
}

/* The breadth-first search's queue: (seller, parent place, kinds) triples,
 * and an open-addressing set from seller to its place + 1. */
typedef struct bfs {
    uint32_t *set, *q;
    uint64_t mask;
    uint32_t tail, max;
} bfs;

/* Queues s unless seen or full; returns its new place, or NIL. */
static uint32_t bfs_visit(bfs *b, uint32_t s, uint32_t parent, uint32_t kinds)
{
    uint64_t at = ((uint64_t)s * 0x9E3779B97F4A7C15ULL >> 20) & b->mask;
    while (b->set[at]) {
        if (b->q[3 * (b->set[at] - 1)] == s) return NIL;
        at = (at + 1) & b->mask;
    }
    if (b->tail == b->max) return NIL;
    uint32_t place = b->tail++;
    b->set[at] = place + 1;
    b->q[3 * place] = s;
    b->q[3 * place + 1] = parent;
    b->q[3 * place + 2] = kinds;
    return place;
}

int gn_identity_path_to_banned(gn_identity *g, uint32_t seller, uint32_t max_visit, uint32_t *path,
                               uint16_t *kinds, size_t cap, gn_error *err)
{
    if (cap == 0) return gn_fail(err, GN_EINPUT, "no room for a path");
    if (gn_identity_is_banned(g, seller)) {
        path[0] = seller;
        return 1;
    }
    if (gn_identity_cluster_banned(g, seller) == 0 || max_visit == 0) return 0;
    uint64_t size = 16;
    while (size < (uint64_t)max_visit * 2)
        size *= 2;
    bfs b = {gn_xcalloc(size, sizeof(uint32_t)),
             gn_xmalloc((size_t)max_visit * 3 * sizeof(uint32_t)), size - 1, 0, max_visit};
    if (!b.set || !b.q) {
        free(b.set);
        free(b.q);
        return gn_fail(err, GN_ENOMEM, "out of memory searching links");
    }
    uint32_t head = 0, found = NIL;
    int rc = 0;
    bfs_visit(&b, seller, NIL, 0);
    while (head < b.tail && found == NIL) {
        uint32_t at = head++;
        size_t n;
        if (collect_links(g, b.q[3 * at], &n) < 0) {
            rc = gn_fail(err, GN_ENOMEM, "out of memory searching links");
            break;
        }
        for (size_t i = 0; i < n && found == NIL; i++) {
            uint32_t place = bfs_visit(&b, g->links[i].seller, at, g->links[i].kinds);
            if (place != NIL && gn_identity_is_banned(g, g->links[i].seller)) found = place;
        }
    }
    if (rc == 0 && found != NIL) {
        uint32_t len = 0;
        for (uint32_t at = found; at != NIL; at = b.q[3 * at + 1])
            len++;
        if (len > cap) {
            rc = gn_fail(err, GN_EINPUT, "the path has %u sellers, room for %zu", len, cap);
        } else {
            uint32_t i = len;
            for (uint32_t at = found; at != NIL; at = b.q[3 * at + 1]) {
                i--;
                path[i] = b.q[3 * at];
                if (i > 0 && kinds) kinds[i - 1] = (uint16_t)b.q[3 * at + 2];
            }
            rc = (int)len;
        }
    }
    free(b.set);
    free(b.q);
    return rc;
}

void gn_identity_get_stats(gn_identity *g, gn_identity_stats *s)
{
    memset(s, 0, sizeof *s);
    s->sellers = g->seen;
    s->values = g->values.count;
    s->shared_values = g->n_shared;
    s->common_values = g->n_common;
    s->clusters = g->n_clusters;
    s->recomputes = g->recomputes;
    s->bytes = g->bytes;
    for (uint32_t i = 0; i < g->seen; i++) {
        const seller_rec *r = S(g, i);
        uint32_t c = r->cluster & ~BANNED_BIT;
        if (r->parent == i && c != CL_NONE && cluster_rec(g, c)[0] > s->largest)
            s->largest = cluster_rec(g, c)[0];
    }
}

/* ------------------------------------------------------------ snapshots */

/* The graph as it is in memory (engine/snapshot.c): its parameters (the
 * value hash's key with them, or no value would be found again), its
 * counters and every pool's items, the index's slots. */
static void pool_save(const pool *p, uint32_t written, gn_buf *b)
{
    gn_snap_u32(b, p->size);
    gn_snap_u32(b, p->shift);
    gn_snap_u32(b, p->count);
    gn_snap_u32(b, p->free);
    gn_snap_u32(b, written);
    size_t per = (size_t)1 << p->shift;
    for (uint32_t c = 0; (size_t)c * per < written; c++) {
        size_t n = written - (size_t)c * per < per ? written - (size_t)c * per : per;
        gn_snap_raw(b, p->chunks[c], n * p->size);
    }
}

void gn_identity_save(const gn_identity *g, gn_buf *b)
{
    gn_snap_raw(b, &g->p, sizeof g->p);
    gn_snap_raw(b, g->limit, sizeof g->limit);
    gn_snap_u32(b, g->seen);
    gn_snap_u64(b, g->n_shared);
    gn_snap_u64(b, g->n_common);
    gn_snap_u64(b, g->n_clusters);
    gn_snap_u64(b, g->recomputes);
    /* Sellers past the last one added are made clusters of one, with no
     * counters, a chunk at a time: written as the count, made again. */
    const pool *pools[] = {&g->sellers, &g->own, &g->values, &g->shared, &g->nodes, &g->clusters};
    for (int i = 0; i < 6; i++)
        pool_save(pools[i], i < 2 && g->seen < pools[i]->count ? g->seen : pools[i]->count, b);
    /* the index's slots: how many, then the used ones with their place */
    uint64_t used = 0;
    for (uint64_t i = 0; i <= g->mask; i++)
        used += g->slots[i] != 0;
    gn_snap_u64(b, g->mask + 1);
    gn_snap_u64(b, used);
    for (uint64_t i = 0; i <= g->mask; i++)
        if (g->slots[i]) {
            gn_snap_u64(b, i);
            gn_snap_u32(b, g->slots[i]);
        }
}

static int pool_load(gn_identity *g, pool *p, gn_snap_in *in)
{
    uint32_t size = gn_snap_get_u32(in), shift = gn_snap_get_u32(in);
    uint32_t count = gn_snap_get_u32(in), free_head = gn_snap_get_u32(in);
    uint32_t written = gn_snap_get_u32(in);
    if (gn_snap_check(in, size == p->size && shift == p->shift && written <= count &&
                              (!size || written <= in->left / size) && count < NIL &&
                              count <= ((uint64_t)written + ((uint64_t)1 << shift)) &&
                              (free_head == NIL || free_head < count)))
        return 0;
    size_t per = (size_t)1 << p->shift;
    while ((size_t)p->n_chunks * per < count)
        if (pool_add_chunk(g, p)) return GN_ENOMEM;
    for (uint32_t c = 0; (size_t)c * per < count; c++) {
        size_t n = count - (size_t)c * per < per ? count - (size_t)c * per : per;
        size_t have = written > (size_t)c * per ? written - (size_t)c * per : 0;
        if (have > n) have = n;
        gn_snap_get(in, p->chunks[c], have * size);
        memset(p->chunks[c] + have * size, 0, (n - have) * size);
    }
    p->count = count;
    p->free = free_head;
    if (p == &g->sellers)
        for (uint32_t i = written; i < count; i++) {
            seller_rec *r = S(g, i);
            r->parent = r->next = i;
            r->values = NIL;
            r->cluster = CL_NONE;
        }
    return 0;
}

int gn_identity_load(gn_identity *g, gn_snap_in *in, gn_error *err)
{
    gn_identity_params p;
    uint32_t limit[GN_ID_KINDS];
    gn_snap_get(in, &p, sizeof p);
    gn_snap_get(in, limit, sizeof limit);
    /* the same parameters (the configuration's) but the key */
    const gn_identity_params *mine = &g->p;
    if (gn_snap_check(
            in, p.max_accounts == mine->max_accounts &&
                    memcmp(p.max_per_kind, mine->max_per_kind, sizeof p.max_per_kind) == 0 &&
                    memcmp(p.points, mine->points, sizeof p.points) == 0 &&
                    p.link_points == mine->link_points && p.counters == mine->counters &&
                    memcmp(p.phone_country, mine->phone_country, sizeof p.phone_country) == 0 &&
                    memcmp(limit, g->limit, sizeof limit) == 0))
        return 0;
    memcpy(g->p.hash_key, p.hash_key, sizeof p.hash_key);
    g->seen = gn_snap_get_u32(in);
    g->n_shared = gn_snap_get_u64(in);
    g->n_common = gn_snap_get_u64(in);
    g->n_clusters = gn_snap_get_u64(in);
    g->recomputes = gn_snap_get_u64(in);
    pool *pools[] = {&g->sellers, &g->own, &g->values, &g->shared, &g->nodes, &g->clusters};
    for (int i = 0; i < 6; i++)
        if (pool_load(g, pools[i], in)) return gn_fail(err, GN_ENOMEM, "out of memory");
    uint64_t slots = gn_snap_get_u64(in), used = gn_snap_get_u64(in);
    /* the index grows at 85% full: never four times its values */
    if (gn_snap_check(in, slots >= 1024 && (slots & (slots - 1)) == 0 && used <= slots &&
                              used <= in->left / 12 && (slots <= 1024 || slots <= 4 * used) &&
                              g->seen <= g->sellers.count))
        return 0;
    uint32_t *s = huge_alloc(slots * sizeof *s);
    if (!s) return gn_fail(err, GN_ENOMEM, "out of memory for the identity graph");
    g->bytes -= ((g->mask + 1) * sizeof *g->slots + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    g->bytes += (slots * sizeof *s + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    free(g->slots);
    g->slots = s;
    g->mask = slots - 1;
    memset(s, 0, slots * sizeof *s);
    for (uint64_t k = 0; k < used && !in->bad; k++) {
        uint64_t i = gn_snap_get_u64(in);
        uint32_t v = gn_snap_get_u32(in);
        /* a slot names a value: its id + 1 in the low bits */
        if (gn_snap_check(in, i < slots && v && (v & SLOT_ID_MASK) <= g->values.count)) break;
        s[i] = v;
    }
    return 0;
}
