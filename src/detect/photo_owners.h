/* The first listing each photo was seen on, keyed by the photo's PDQ hash
 * itself: linking held listings' content looks every photo up, and a hash
 * is 32 bytes to compare where its hex was 64 to format and hash. Near
 * photos too (a copy re-encoded, resized, retouched: within PDQ's match
 * distance), through an exact index of the photos seen first. */
#ifndef GN_DETECT_PHOTO_OWNERS_H
#define GN_DETECT_PHOTO_OWNERS_H

#include <stddef.h>
#include <stdint.h>

#include "detect/mih.h"
#include "media/pdq.h"

typedef struct gn_photo_owner {
    gn_pdq_hash photo;
    uint32_t listing;
    uint32_t used;
} gn_photo_owner;

/* Open addressing, linear probing, at most half full. Zeroed: empty. */
typedef struct gn_photo_owners {
    gn_photo_owner *slots;
    size_t mask, count;
    gn_mih *near; /* the photos first seen, payload their listing (made on first use) */
} gn_photo_owners;

/* The listing recorded for photo, adding it (listing 0, *added = 1) when new;
 * NULL when memory runs out. */
uint32_t *gn_photo_owners_put(gn_photo_owners *owners, const gn_pdq_hash *photo, int *added);
/* Calls seen(ctx, first) for the first listing of every photo seen before
 * within GN_PDQ_MATCH_DISTANCE of photo (the same photo included), and
 * records photo for `listing` unless one within GN_PHOTO_SAME bits was seen
 * (that one stands for it, so a photo a thousand listings share is one
 * entry). 0, or GN_ENOMEM. */
#define GN_PHOTO_SAME 8
int gn_photo_owners_near(gn_photo_owners *owners, const gn_pdq_hash *photo, uint32_t listing,
                         void (*seen)(void *ctx, uint32_t first), void *ctx);

void gn_photo_owners_free(gn_photo_owners *owners);

#endif
