/* The bank of known photo hashes — brands' official photos and the photos of
 * listings blocked or removed as counterfeit, in exact multi-indexes (mih.h)
 * that hold everyone's photos together, so a listing's photo is looked up
 * once — each hash remembering what it is and whose. The engine owns the
 * bank and hands it to the image detector, as it does the lexicon. */
#ifndef GN_DETECT_IMAGE_BANK_H
#define GN_DETECT_IMAGE_BANK_H

#include <stdint.h>

#include "core/strmap.h"
#include "detect/mih.h"
#include "media/pdq.h"

typedef enum gn_bank_kind { GN_BANK_OFFICIAL, GN_BANK_REMOVED, GN_BANK_SHARED } gn_bank_kind;

/* A hash another marketplace shared (a `shared_bank` event, docs/banks.md):
 * its photo was taken down there as counterfeit. One per source and hash. */
typedef struct gn_shared_hash {
    gn_pdq_hash hash;
    uint32_t source;     /* index in the bank's sources */
    int64_t first_seen;  /* as the source says (INT64_MIN: not said) */
    const char *brand;   /* as the source names it, pooled ("" when none) */
    uint8_t withdrawn;   /* by its source */
    uint8_t quarantined; /* matched too many unrelated listings (flood) */
    int64_t quarantined_at;
    /* Distinct sellers and brands of the listings it matched, kept only up
     * to the flood thresholds: enough to tell when they are reached. */
    uint32_t *sellers, *brands;
    uint32_t n_sellers, n_brands;
} gn_shared_hash;

typedef struct gn_banked_image {
    uint32_t owner;    /* a brand's (official) or a listing's (removed) index in the state */
    uint8_t kind;      /* gn_bank_kind */
    uint8_t form;      /* the dihedral form this hash is of the photo as given */
    const char *label; /* the photo as given (pdq hex, path or URL), pooled */
} gn_banked_image;

/* A hash of a listing's photo as given, when the listing was taken down: what
 * `genuine bank export` shares. */
typedef struct gn_removed_photo {
    gn_pdq_hash hash;
    int64_t at; /* the engine's clock when it joined the bank */
    uint32_t listing;
} gn_removed_photo;

typedef struct gn_image_bank {
    gn_mih *index; /* every hash but the turned forms' and anchored patches' */
    /* A photo's turned and flipped forms but its mirror image (six of its
     * eight: the mirror image stays in the main index, for collages): a
     * listing photo's own eight forms already meet the upright one, so
     * these are only looked up by one of them (docs/images.md, "Looking a
     * photo up"), and the main index stays small. */
    gn_mih *turned;
    /* Anchored patches (src/media/patches.h), looked up by patches alone:
     * brands' photos' (at two scales) and those of removed listings' photos
     * (at one, as a listing's photo is hashed) apart, each matched within
     * its own distance. */
    gn_mih *patches;
    gn_mih *removed_patches;
    gn_banked_image *items;
    uint32_t count, cap;
    gn_strmap seen; /* "kind/owner/hex": the same photo of the same owner is kept once */
    /* Shared banks: GN_BANK_SHARED items' owner is an index in shared. */
    gn_shared_hash *shared;
    uint32_t n_shared, cap_shared;
    gn_strmap shared_by_key; /* "source/hex" -> index in shared */
    gn_strmap source_by_name;
    const char **sources; /* pooled names */
    uint32_t n_sources, cap_sources;
    uint32_t flood_sellers, flood_brands; /* quarantine thresholds (0: never) */
    gn_removed_photo *removed;
    uint32_t n_removed, cap_removed;
    const int64_t *clock; /* the engine's clock, for removed photos' times (NULL: 0) */
} gn_image_bank;

/* The matches of one listing in the shared banks, for flood accounting. */
#define GN_SHARED_HITS_MAX 64
typedef struct gn_shared_hits {
    uint32_t entry[GN_SHARED_HITS_MAX];
    int count;
} gn_shared_hits;

int gn_image_bank_init(gn_image_bank *bank, gn_error *err);
void gn_image_bank_free(gn_image_bank *bank);

/* Adds one hash of one owner's photo; a repeat is ignored. */
int gn_image_bank_add(gn_image_bank *bank, gn_bank_kind kind, const gn_pdq_hash *hash,
                      uint32_t owner, int form, const char *label, gn_error *err);

/* A source's hash shared with us: added, or taken back into use when the
 * source had withdrawn it (its brand and first-seen time then updated). */
int gn_image_bank_share(gn_image_bank *bank, const char *source, const gn_pdq_hash *hash,
                        const char *brand, int64_t first_seen, gn_error *err);

/* A source withdraws one hash (hash) or all of its hashes (hash NULL).
 * Returns how many were in use and now are not. */
uint32_t gn_image_bank_withdraw(gn_image_bank *bank, const char *source, const gn_pdq_hash *hash);

/* Counts a listing (its seller and brand, GN_NONE when it names none)
 * among a shared hash's matches; returns 1 when that puts the hash in
 * quarantine (it then stops counting as evidence). */
int gn_image_bank_note_match(gn_image_bank *bank, uint32_t entry, uint32_t seller, uint32_t brand,
                             int64_t at);

#endif
