/* A string-keyed hash map to 32-bit values (usually an index into an array of
 * records), with keys copied into a pool it owns. Open addressing, linear
 * probing: ids are short and lookups dominate. */
#ifndef GN_CORE_STRMAP_H
#define GN_CORE_STRMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct gn_pool_chunk gn_pool_chunk;

/* Append-only string storage: pointers stay valid until gn_pool_free. */
typedef struct gn_pool {
    gn_pool_chunk *head;
    size_t used, cap;
    size_t bytes; /* total held, for memory figures */
} gn_pool;

const char *gn_pool_strdup(gn_pool *pool, const char *s, size_t n);
void gn_pool_free(gn_pool *pool);

typedef struct gn_strmap_slot {
    const char *key; /* NULL: empty */
    uint32_t hash;
    uint32_t value;
} gn_strmap_slot;

typedef struct gn_strmap {
    gn_strmap_slot *slots;
    size_t mask; /* capacity - 1, capacity a power of two */
    size_t count;
    gn_pool pool;
} gn_strmap;

uint32_t gn_hash_bytes(const char *s, size_t n);

/* Starts bringing in the slot where a lookup of key will begin: in a large
 * map that slot is a cache miss, which then overlaps the caller's other work
 * instead of stalling the lookup. */
void gn_strmap_prefetch(const gn_strmap *map, const char *key);

/* Finds key; returns a pointer to its value, or NULL. */
uint32_t *gn_strmap_find(const gn_strmap *map, const char *key);

/* Finds or inserts key (a new value is 0); *added says which. When key_out is
 * given it receives the pooled copy of the key, stable for the map's life. */
uint32_t *gn_strmap_put(gn_strmap *map, const char *key, int *added, const char **key_out);

void gn_strmap_free(gn_strmap *map);

#endif
