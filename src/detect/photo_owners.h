/* The first listing each photo was seen on, keyed by the photo's PDQ hash
 * itself: linking held listings' content looks every photo up, and a hash
 * is 32 bytes to compare where its hex was 64 to format and hash. */
#ifndef GN_DETECT_PHOTO_OWNERS_H
#define GN_DETECT_PHOTO_OWNERS_H

#include <stddef.h>
#include <stdint.h>

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
} gn_photo_owners;

/* The listing recorded for photo, adding it (listing 0, *added = 1) when new;
 * NULL when memory runs out. */
uint32_t *gn_photo_owners_put(gn_photo_owners *owners, const gn_pdq_hash *photo, int *added);
void gn_photo_owners_free(gn_photo_owners *owners);

#endif
