/* What each listing's orders showed of codes (cloned units, units with
 * another product's code, orders shipped without one), kept by listing
 * index for the listings that have any: the engine counts them, the
 * detector turns them into signals, the seller view and the case files
 * (src/report/) show them. */
#include <stdlib.h>
#include <string.h>

#include "codes/codes.h"
#include "core/alloc.h"
#include "core/grow.h"

gn_code_listing *gn_code_facts_get(gn_code_facts *f, uint32_t listing)
{
    if (listing >= f->n_listing_slots) {
        uint32_t n = f->n_listing_slots ? f->n_listing_slots : 1024;
        while (n <= listing)
            n *= 2;
        f->listing_slot = gn_xrealloc(f->listing_slot, n * sizeof *f->listing_slot);
        memset(f->listing_slot + f->n_listing_slots, 0,
               (n - f->n_listing_slots) * sizeof *f->listing_slot);
        f->n_listing_slots = n;
    }
    if (!f->listing_slot[listing]) {
        if (!f->n_items) { /* items[0]: none */
            GN_GROW(f->items, f->n_items, f->cap_items);
            f->n_items = 1;
        }
        GN_GROW(f->items, f->n_items, f->cap_items);
        memset(&f->items[f->n_items], 0, sizeof *f->items);
        f->listing_slot[listing] = f->n_items++;
    }
    return &f->items[f->listing_slot[listing]];
}

const gn_code_listing *gn_code_facts_find(const gn_code_facts *f, uint32_t listing)
{
    if (!f || listing >= f->n_listing_slots || !f->listing_slot[listing]) return NULL;
    const gn_code_listing *l = &f->items[f->listing_slot[listing]];
    return l->cloned || l->other || l->missing ? l : NULL;
}

void gn_code_strengths(const gn_code_listing *l, uint8_t out[3])
{
    out[0] = (uint8_t)(l->cloned >= 2 ? 8 : l->cloned ? 6 : 0);
    out[1] = (uint8_t)(l->other ? 8 : 0);
    out[2] = (uint8_t)(l->missing >= 3 ? 8 : l->missing == 2 ? 6 : l->missing ? 4 : 0);
}

void gn_code_facts_free(gn_code_facts *f)
{
    free(f->listing_slot);
    free(f->items);
    memset(f, 0, sizeof *f);
}

void gn_code_facts_json(const gn_code_listing *l, uint32_t listings, gn_buf *b)
{
    gn_buf_puts(b, ",\"codes\":{");
    if (listings) gn_buf_printf(b, "\"listings\":%u,", listings);
    gn_buf_printf(b, "\"cloned_units\":%u,\"other_product_units\":%u,\"orders_without_code\":%u}",
                  l->cloned, l->other, l->missing);
}
