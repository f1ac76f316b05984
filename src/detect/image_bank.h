/* The bank of known photo hashes — brands' official photos and the photos of
 * listings blocked or removed as counterfeit, in one exact multi-index
 * (mih.h) so a listing's photo is looked up once — each hash remembering
 * what it is and whose. The engine owns the bank and hands it to the image
 * detector, as it does the lexicon. */
#ifndef GN_DETECT_IMAGE_BANK_H
#define GN_DETECT_IMAGE_BANK_H

#include <stdint.h>

#include "core/strmap.h"
#include "detect/mih.h"
#include "media/pdq.h"

typedef enum gn_bank_kind { GN_BANK_OFFICIAL, GN_BANK_REMOVED } gn_bank_kind;

typedef struct gn_banked_image {
    uint32_t owner;    /* a brand's (official) or a listing's (removed) index in the state */
    uint8_t kind;      /* gn_bank_kind */
    uint8_t form;      /* the dihedral form this hash is of the photo as given */
    const char *label; /* the photo as given (pdq hex, path or URL), pooled */
} gn_banked_image;

typedef struct gn_image_bank {
    gn_mih *index;
    gn_banked_image *items;
    uint32_t count, cap;
    gn_strmap seen; /* "kind/owner/hex": the same photo of the same owner is kept once */
} gn_image_bank;

int gn_image_bank_init(gn_image_bank *bank, gn_error *err);
void gn_image_bank_free(gn_image_bank *bank);

/* Adds one hash of one owner's photo; a repeat is ignored. */
int gn_image_bank_add(gn_image_bank *bank, gn_bank_kind kind, const gn_pdq_hash *hash,
                      uint32_t owner, int form, const char *label, gn_error *err);

#endif
