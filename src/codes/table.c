/* The issued codes in memory: a keyed tag (96 bits) and the code's number
 * per slot, 16 bytes, in one open-addressing table kept at most 3/4 full, so
 * 10 million codes take about 250 MB at worst and a lookup is one or two
 * cache lines. The tag is already uniformly random: its low bits pick the
 * slot. A batch's codes are one range of numbers; the batch records say
 * whose they are. */
#include <stdlib.h>
#include <string.h>

#include "codes/codes.h"
#include "core/alloc.h"
#include "core/grow.h"

void gn_code_table_init(gn_code_table *t)
{
    memset(t, 0, sizeof *t);
}

void gn_code_table_free(gn_code_table *t)
{
    free(t->slots);
    free(t->batches);
    gn_strmap_free(&t->batch_by_id);
    gn_pool_free(&t->pool);
    memset(t, 0, sizeof *t);
}

static void place(gn_code_slot *slots, size_t mask, const gn_code_slot *s)
{
    size_t i = (size_t)s->tag_lo & mask;
    while (slots[i].number_plus_one)
        i = (i + 1) & mask;
    slots[i] = *s;
}

void gn_code_table_reserve(gn_code_table *t, size_t n)
{
    size_t cap = t->slots ? t->mask + 1 : 0, need = t->count + n;
    if (need <= cap / 4 * 3) return;
    size_t grown = cap ? cap : 1024;
    while (need > grown / 4 * 3)
        grown *= 2;
    gn_code_slot *slots = gn_xcalloc(grown, sizeof *slots);
    for (size_t i = 0; i < cap; i++)
        if (t->slots[i].number_plus_one) place(slots, grown - 1, &t->slots[i]);
    free(t->slots);
    t->slots = slots;
    t->mask = grown - 1;
}

uint32_t gn_code_table_add_batch(gn_code_table *t, const char *id, const char *brand,
                                 const char *sku, uint32_t count, int64_t at)
{
    GN_GROW(t->batches, t->n_batches, t->cap_batches);
    gn_code_batch *b = &t->batches[t->n_batches];
    memset(b, 0, sizeof *b);
    uint32_t first = 0;
    if (t->n_batches) {
        const gn_code_batch *last = &t->batches[t->n_batches - 1];
        first = last->first + last->count;
    }
    const char *pooled;
    *gn_strmap_put(&t->batch_by_id, id, NULL, &pooled) = t->n_batches;
    b->id = pooled;
    b->brand = gn_pool_strdup(&t->pool, brand, strlen(brand));
    b->sku = gn_pool_strdup(&t->pool, sku, strlen(sku));
    b->first = first;
    b->count = count;
    b->at = at;
    return t->n_batches++;
}

void gn_code_table_add(gn_code_table *t, const gn_code_tag *tag, uint32_t number)
{
    gn_code_table_reserve(t, 1);
    gn_code_slot s = {tag->lo, tag->hi, number + 1};
    place(t->slots, t->mask, &s);
    t->count++;
}

uint32_t gn_code_table_find(const gn_code_table *t, const gn_code_tag *tag)
{
    if (!t->slots) return GN_CODES_NONE;
    for (size_t i = (size_t)tag->lo & t->mask;; i = (i + 1) & t->mask) {
        const gn_code_slot *s = &t->slots[i];
        if (!s->number_plus_one) return GN_CODES_NONE;
        if (s->tag_lo == tag->lo && s->tag_hi == tag->hi) return s->number_plus_one - 1;
    }
}

uint32_t gn_code_table_batch_of(const gn_code_table *t, uint32_t number)
{
    uint32_t lo = 0, hi = t->n_batches; /* the last batch whose first <= number */
    while (hi - lo > 1) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (t->batches[mid].first <= number)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

const gn_code_batch *gn_code_table_batch(const gn_code_table *t, const char *id)
{
    uint32_t *i = gn_strmap_find(&t->batch_by_id, id);
    return i ? &t->batches[*i] : NULL;
}

double gn_code_table_bytes_per_code(const gn_code_table *t)
{
    return t->count ? (double)(t->mask + 1) * sizeof(gn_code_slot) / (double)t->count : 0;
}
