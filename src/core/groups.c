/* Union-find with path halving and union by size, plus a member ring: on a
 * union the two rings are spliced by swapping one next pointer of each. */
#include "core/groups.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

int gn_groups_reserve(gn_groups *g, uint32_t n)
{
    if (n > g->cap) {
        uint32_t cap = g->cap ? g->cap : 1024;
        while (cap < n)
            cap *= 2;
        uint32_t *p = gn_xrealloc(g->parent, cap * sizeof *p);
        g->parent = p;
        uint32_t *nx = gn_xrealloc(g->next, cap * sizeof *nx);
        g->next = nx;
        uint32_t *sz = gn_xrealloc(g->size, cap * sizeof *sz);
        g->size = sz;
        g->cap = cap;
    }
    for (; g->count < n; g->count++) {
        g->parent[g->count] = g->next[g->count] = g->count;
        g->size[g->count] = 1;
    }
    return 0;
}

uint32_t gn_groups_find(gn_groups *g, uint32_t x)
{
    while (g->parent[x] != x) {
        g->parent[x] = g->parent[g->parent[x]];
        x = g->parent[x];
    }
    return x;
}

int gn_groups_union(gn_groups *g, uint32_t a, uint32_t b)
{
    uint32_t ra = gn_groups_find(g, a), rb = gn_groups_find(g, b);
    if (ra == rb) return 0;
    if (g->size[ra] < g->size[rb]) {
        uint32_t t = ra;
        ra = rb;
        rb = t;
    }
    g->parent[rb] = ra;
    g->size[ra] += g->size[rb];
    uint32_t t = g->next[a];
    g->next[a] = g->next[b];
    g->next[b] = t;
    return 1;
}

uint32_t gn_groups_size(gn_groups *g, uint32_t item)
{
    return g->size[gn_groups_find(g, item)];
}

void gn_groups_free(gn_groups *g)
{
    free(g->parent);
    free(g->next);
    free(g->size);
    memset(g, 0, sizeof *g);
}
