/* Photo hash -> first listing: a hash table keyed by the 256 bits. PDQ
 * hashes are spread well already; a multiply mixes the first word into the
 * slot number. */
#include "detect/photo_owners.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"

static size_t slot_of(const gn_pdq_hash *photo, size_t mask)
{
    uint64_t h = (photo->w[0] ^ photo->w[1] * 0x9e3779b97f4a7c15ULL) * 0xbf58476d1ce4e5b9ULL;
    return (size_t)(h >> 32) & mask;
}

static int grow(gn_photo_owners *owners)
{
    size_t cap = owners->slots ? (owners->mask + 1) * 2 : 1024;
    gn_photo_owner *slots = gn_xcalloc(cap, sizeof *slots);
    for (size_t i = 0; owners->slots && i <= owners->mask; i++) {
        if (!owners->slots[i].used) continue;
        size_t j = slot_of(&owners->slots[i].photo, cap - 1);
        while (slots[j].used)
            j = (j + 1) & (cap - 1);
        slots[j] = owners->slots[i];
    }
    free(owners->slots);
    owners->slots = slots;
    owners->mask = cap - 1;
    return 0;
}

uint32_t *gn_photo_owners_put(gn_photo_owners *owners, const gn_pdq_hash *photo, int *added)
{
    if ((!owners->slots || (owners->count + 1) * 2 > owners->mask + 1) && grow(owners)) return NULL;
    size_t i = slot_of(photo, owners->mask);
    for (;; i = (i + 1) & owners->mask) {
        gn_photo_owner *s = &owners->slots[i];
        if (!s->used) break;
        if (memcmp(&s->photo, photo, sizeof *photo) == 0) {
            *added = 0;
            return &s->listing;
        }
    }
    gn_photo_owner *s = &owners->slots[i];
    s->photo = *photo;
    s->listing = 0;
    s->used = 1;
    owners->count++;
    *added = 1;
    return &s->listing;
}

int gn_photo_owners_near(gn_photo_owners *owners, const gn_pdq_hash *photo, uint32_t listing,
                         void (*seen)(void *ctx, uint32_t first), void *ctx)
{
    if (!owners->near && gn_mih_new(&owners->near, NULL)) return GN_ENOMEM;
    gn_mih_results res = {0};
    if (gn_mih_query(owners->near, photo, GN_PDQ_MATCH_DISTANCE, &res, NULL)) {
        gn_mih_results_free(&res);
        return GN_ENOMEM;
    }
    int same = 0;
    for (size_t i = 0; i < res.count; i++) {
        seen(ctx, res.items[i].payload);
        same |= res.items[i].distance <= GN_PHOTO_SAME;
    }
    gn_mih_results_free(&res);
    return same ? 0 : gn_mih_add(owners->near, photo, listing, NULL);
}

void gn_photo_owners_free(gn_photo_owners *owners)
{
    gn_mih_free(owners->near);
    free(owners->slots);
    memset(owners, 0, sizeof *owners);
}
