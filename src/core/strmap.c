/* String map and string pool. Keys live in the pool so records can point at
 * them for free; the map grows at 50% load to keep probes short. */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

struct gn_pool_chunk {
    gn_pool_chunk *next;
    char bytes[];
};

#define POOL_CHUNK (64 * 1024)

const char *gn_pool_strdup(gn_pool *pool, const char *s, size_t n)
{
    if (!pool->head || pool->used + n + 1 > pool->cap) {
        size_t cap = n + 1 > POOL_CHUNK ? n + 1 : POOL_CHUNK;
        gn_pool_chunk *c = gn_xmalloc(sizeof *c + cap);
        c->next = pool->head;
        pool->head = c;
        pool->used = 0;
        pool->cap = cap;
        pool->bytes += cap;
    }
    char *p = pool->head->bytes + pool->used;
    memcpy(p, s, n);
    p[n] = 0;
    pool->used += n + 1;
    return p;
}

void gn_pool_free(gn_pool *pool)
{
    for (gn_pool_chunk *c = pool->head, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    memset(pool, 0, sizeof *pool);
}

uint32_t gn_hash_bytes(const char *s, size_t n)
{
    /* FNV-1a, then a final mix so linear probing sees well-spread low bits. */
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    h ^= h >> 29;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 32;
    return (uint32_t)h;
}

void gn_strmap_prefetch(const gn_strmap *map, const char *key)
{
    if (map->slots) __builtin_prefetch(&map->slots[gn_hash_bytes(key, strlen(key)) & map->mask]);
}

uint32_t *gn_strmap_find(const gn_strmap *map, const char *key)
{
    if (!map->slots) return NULL;
    size_t n = strlen(key);
    uint32_t h = gn_hash_bytes(key, n);
    for (size_t i = h & map->mask;; i = (i + 1) & map->mask) {
        gn_strmap_slot *s = &map->slots[i];
        if (!s->key) return NULL;
        if (s->hash == h && strcmp(s->key, key) == 0) return &s->value;
    }
}

static void grow(gn_strmap *map)
{
    size_t cap = map->slots ? (map->mask + 1) * 2 : 64;
    gn_strmap_slot *slots = gn_xcalloc(cap, sizeof *slots);
    if (map->slots) {
        for (size_t i = 0; i <= map->mask; i++) {
            gn_strmap_slot *s = &map->slots[i];
            if (!s->key) continue;
            size_t j = s->hash & (cap - 1);
            while (slots[j].key)
                j = (j + 1) & (cap - 1);
            slots[j] = *s;
        }
        free(map->slots);
    }
    map->slots = slots;
    map->mask = cap - 1;
}

uint32_t *gn_strmap_put(gn_strmap *map, const char *key, int *added, const char **key_out)
{
    if (!map->slots || (map->count + 1) * 2 > map->mask + 1) grow(map);
    size_t n = strlen(key);
    uint32_t h = gn_hash_bytes(key, n);
    size_t i = h & map->mask;
    for (;; i = (i + 1) & map->mask) {
        gn_strmap_slot *s = &map->slots[i];
        if (!s->key) break;
        if (s->hash == h && strcmp(s->key, key) == 0) {
            if (added) *added = 0;
            if (key_out) *key_out = s->key;
            return &s->value;
        }
    }
    gn_strmap_slot *s = &map->slots[i];
    s->key = gn_pool_strdup(&map->pool, key, n);
    s->hash = h;
    s->value = 0;
    map->count++;
    if (added) *added = 1;
    if (key_out) *key_out = s->key;
    return &s->value;
}

void gn_strmap_free(gn_strmap *map)
{
    free(map->slots);
    gn_pool_free(&map->pool);
    memset(map, 0, sizeof *map);
}
