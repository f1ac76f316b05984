/* Growing an array of records by doubling: one macro for the in-memory
 * tables (state, workflows). Out of memory aborts (core/alloc.h): these tables are the
 * engine's state, and a half-grown one is worse than a stop. */
#ifndef GN_CORE_GROW_H
#define GN_CORE_GROW_H

#include <stdlib.h>

#include "core/alloc.h"

/* Makes room for one more element in arr (n used of cap). */
#define GN_GROW(arr, n, cap)                                                                       \
    do {                                                                                           \
        if ((n) == (cap)) {                                                                        \
            (cap) = (cap) ? (cap)*2 : 64;                                                          \
            (arr) = gn_xrealloc((arr), (size_t)(cap) * sizeof *(arr));                             \
        }                                                                                          \
    } while (0)

#endif
