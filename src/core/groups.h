/* Groups of things joined pairwise (union-find), whose members can be walked:
 * each group is also a ring of next pointers, merged in O(1) on a union.
 * Used for listings that share a photo or a near-identical text. */
#ifndef GN_CORE_GROUPS_H
#define GN_CORE_GROUPS_H

#include <stdint.h>

typedef struct gn_groups {
    uint32_t *parent, *next, *size;
    uint32_t count, cap;
} gn_groups;

/* Makes sure items 0..n-1 exist (each alone until joined). Returns 0 or -1. */
int gn_groups_reserve(gn_groups *g, uint32_t n);
uint32_t gn_groups_find(gn_groups *g, uint32_t item);
/* Joins the groups of a and b; returns 1 when they were apart. */
int gn_groups_union(gn_groups *g, uint32_t a, uint32_t b);
uint32_t gn_groups_size(gn_groups *g, uint32_t item);
/* The next member of item's group (item itself when alone). */
static inline uint32_t gn_groups_next(const gn_groups *g, uint32_t item)
{
    return g->next[item];
}
void gn_groups_free(gn_groups *g);

#endif
