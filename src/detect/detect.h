/* The detectors: pure functions of one listing's facts and the state, each
 * adding named signals with reasons. No I/O, no clock, no randomness. */
#ifndef GN_DETECT_DETECT_H
#define GN_DETECT_DETECT_H

#include "codes/codes.h"
#include "core/config.h"
#include "detect/condition.h"
#include "detect/image_bank.h"
#include "detect/lexicon.h"
#include "detect/signal.h"
#include "media/patches.h"
#include "state/identity.h"
#include "state/state.h"
#include "state/words.h"

/* The thresholds detectors use, read once from the configuration. */
typedef struct gn_detect_params {
    double reference_ratio_none, reference_ratio_full;
    double market_ratio_none, market_ratio_full;
    double market_min_listings;
    double new_account_days;
    double ring_min_accounts, ring_new_days;
    double unverified_min_reviews, origin_min_counterfeits, origin_min_share, burst_hours;
    double common_word_sellers; /* a misspelling used by this many sellers is a word */
    double word_brand_sellers;  /* a brand name this many sellers use as a word is one */
    /* What goods in each condition sell for, as a share of new goods' price
     * (1 for new and unknown): the price thresholds scale by it. */
    double condition_factor[GN_CONDITION_COUNT];
    double linked_full_share;
} gn_detect_params;

void gn_detect_params_load(gn_detect_params *p, const gn_config *cfg);

/* What a form of a photo is: 0..7 its rotations and flips (gn_pdq_dihedral),
 * GN_FORM_TRIMMED the picture without its uniform border, GN_FORM_PART + i
 * part i of a listing's photo (gn_listing_parts: a quarter, all but a
 * fifth), looked up but never banked, GN_FORM_REGION + p a region of a
 * photo, p% of its area (gn_bank_regions), banked but never looked up
 * (src/media/regions.h), and GN_FORM_PATCH + s - GN_PATCH_SPAN_MIN an
 * anchored patch of span s (src/media/patches.h), banked and looked up. */
#define GN_FORM_TRIMMED 8
#define GN_FORM_PART 16
#define GN_FORM_REGION 100
#define GN_FORM_PATCH 201
#define GN_FORM_IS_PART(k) ((k) >= GN_FORM_PART && (k) < GN_FORM_REGION)
#define GN_FORM_IS_REGION(k) ((k) > GN_FORM_REGION && (k) < GN_FORM_PATCH)
#define GN_FORM_IS_PATCH(k) ((k) >= GN_FORM_PATCH)
#define GN_FORM_SPAN(k) ((k)-GN_FORM_PATCH + GN_PATCH_SPAN_MIN)
#define GN_IMAGE_MAX_FORMS (GN_PDQ_DIHEDRAL_COUNT + 1 + 10 + 8 + GN_PDQ_PATCHES)

/* A listing's photo as the detectors see it: its hash as given, or the
 * hashes of its eight rotations and flips when genuine had the picture, then
 * the picture without its border (when it had one) and a brand photo's
 * central regions. */
typedef struct gn_listing_image {
    gn_pdq_hash forms[GN_IMAGE_MAX_FORMS];
    uint8_t kind[GN_IMAGE_MAX_FORMS]; /* each form's GN_FORM_* code */
    int n_forms;
    const char *label; /* the photo as given: pdq hex, path or URL */
} gn_listing_image;

#define GN_MAX_LISTING_IMAGES 16

/* What the engine knows about the listing version being decided. */
typedef struct gn_listing_facts {
    const char *listing, *seller_id, *title, *description, *currency, *category;
    const char *claimed; /* the `brand` field as written, or NULL */
    double price;
    int64_t at;
    const gn_seller *seller;
    uint32_t claimed_brand; /* resolved claim, GN_NONE when absent or unknown */
    uint32_t named_brand;   /* first brand the title (else description) names, or GN_NONE */
    const gn_text_findings *text;
    uint32_t listing_index;
    const gn_listing_image *images;
    int n_images;
    gn_condition condition; /* the `condition` field, else what the text says; unknown: new */
    int shows_brand_photo;  /* a photo is a brand's own and the seller not its authorised one */
} gn_listing_facts;

/* Fills claimed_brand and named_brand from the claim and the text findings. */
void gn_facts_resolve_brands(gn_listing_facts *f, const gn_state *st);

/* Is the listing about a brand at all (claimed or named)? */
static inline int gn_facts_branded(const gn_listing_facts *f)
{
    return f->claimed_brand != GN_NONE || f->named_brand != GN_NONE;
}

void gn_detect_price(const gn_state *st, const gn_detect_params *p, const gn_listing_facts *f,
                     gn_signals *out);
void gn_detect_text(const gn_state *st, const gn_listing_facts *f, gn_signals *out);
/* Drops from the findings the mentions that name a brand without claiming
 * it, before anything reads them: "compatible with X", "replacement for X",
 * "fits X", "for X" (and the same in the languages genuine reads), unless
 * the listing claims X in its `brand` field or names X elsewhere (a name in
 * look-alike letters always stays); a misspelling that is an everyday word of this marketplace,
 * used in live listings by at least common_word_sellers sellers; and the
 * name of a brand this marketplace uses as a word (gn_text_brand_is_word),
 * written as the name, when the listing neither claims the brand nor comes
 * from one of its authorised sellers. claimed_brand
 * must be resolved; named_brand is resolved again when anything is dropped.
 * Returns how many mentions were dropped. */
int gn_text_drop_unclaimed(const gn_state *st, const gn_market_words *words,
                           const gn_detect_params *p, gn_listing_facts *f, gn_text_findings *t);

/* A brand name this marketplace's sellers use as an ordinary word ("Polar
 * fleece", "Harbor" on goods the brand does not make): the words count of
 * established sellers (older than seller.new_account_days) who named the
 * brand, unclaimed, in live listings of a category it has no reference price
 * for. Called for every allowed listing; notes nothing otherwise. */
void gn_text_note_brand_words(const gn_state *st, gn_market_words *words, const gn_detect_params *p,
                              const gn_listing_facts *f, uint32_t seller);
/* A listing that names no brand: a word of its title or `brand` field that
 * mixes a digit or two into more letters and reads, digits as the letters
 * they look like, as a brand's name ("0ss01", "Be1so1") is that brand in
 * look-alike letters. Else, when the seller or its linked shops listed
 * brands: a word of its title or `brand` field one edit from one of those
 * brands' names (two for names of six letters or more), in a category the
 * brand sells, is that brand misspelt ("Onx Automatic Watch" from a shop
 * whose other listings say Onyx). Against the few brands a seller sells,
 * short names can be matched that the lexicon, which reads every brand's,
 * leaves alone. Adds the mention and resolves the brands again; returns 1
 * when it found one. */
int gn_text_near_seller_brands(const gn_state *st, gn_identity *g, uint32_t seller,
                               gn_listing_facts *f, gn_text_findings *t);
/* A listing that still names no brand: its `brand` field, when it is one
 * word and no brand genuine knows, two edits from the name of a brand that
 * sells the listing's category, or the first word of its title one edit
 * from one (two for words of six letters or more), is that brand misspelt
 * ("Onux Leather Handbag" for Onyx, which sells handbags): the places where
 * a listing names its brand, so names too short for the lexicon's own
 * misspellings are read there. Not a word the marketplace's sellers use
 * (text.common_word_sellers) nor an everyday word. Adds the mention and
 * resolves the brands again; returns 1 when it found one. */
int gn_text_near_category_brands(const gn_state *st, gn_lexicon *lx, const gn_market_words *words,
                                 const gn_detect_params *p, gn_listing_facts *f,
                                 gn_text_findings *t);
/* Is the brand's name, by that count, a word of this marketplace? */
int gn_text_brand_is_word(const gn_state *st, const gn_market_words *words,
                          const gn_detect_params *p, uint32_t brand);
/* official, when not NULL, receives for each photo whether it is one of the
 * brands' own (gn_image_is_official): the same lookup answers both, and the
 * engine asks that again after deciding, when the bank's official photos
 * are still the same. */
/* hits, when not NULL, receives the shared-bank hashes matched (for the
 * engine's flood count: the detector itself changes nothing). */
void gn_detect_images(const gn_state *st, const gn_image_bank *bank, const gn_listing_facts *f,
                      gn_signals *out, uint8_t *official, gn_shared_hits *hits);
/* Is the photo one of the brands' own (any form)? Such a photo says nothing
 * about a listing once it has been on a fake: it is the brand's. */
int gn_image_is_official(const gn_image_bank *bank, const gn_listing_image *img);
/* Appends the bank's matches of the photo's form k (not a region: those
 * are banked, never looked up) to res: an anchored patch among brands'
 * patches within GN_PATCH_MATCH_DISTANCE (the photo's first
 * GN_PATCHES_AGAINST_OFFICIAL) and removed listings' within
 * GN_REMOVED_PATCH_MATCH_DISTANCE, any other form within PDQ's match
 * distance among the rest, the turned forms only for the forms that need
 * them (docs/images.md, "Looking a photo up"). 0, or an error. */
int gn_image_bank_lookup(const gn_image_bank *bank, const gn_listing_image *img, int k,
                         gn_mih_results *res);
void gn_detect_seller(const gn_state *st, const gn_detect_params *p, const gn_listing_facts *f,
                      gn_signals *out);
/* Linked accounts: a banned seller, a seller linked to a banned one, a ring of
 * new accounts selling the same brands. The graph is not const only because
 * its lookups compress paths. */
void gn_detect_links(const gn_state *st, gn_identity *graph, const gn_detect_params *p,
                     const gn_listing_facts *f, uint32_t seller, gn_signals *out);
/* How many shops (accounts opened as sellers, or that listed) the seller's
 * cluster holds, itself included, looking at no more than limit members:
 * shoppers linked to a shop (sharing its device or router) are not shops. */
uint32_t gn_detect_cluster_shops(const gn_state *st, gn_identity *graph, uint32_t seller,
                                 uint32_t limit);

/* Reviews, orders and shipments of the listing (and of the seller's other
 * listings): reviews from accounts linked to the seller, reviews with no
 * order, a burst of five-star reviews, orders from linked buyers (brushing),
 * shipments from elsewhere than ship_from or from where confirmed
 * counterfeits shipped. levels, when not NULL, receives the strength of
 * each signal the listing's own events raise as a level 0..5 (GN_ACT_*
 * order): the engine decides a listing again when one rises. */
void gn_detect_activity(const gn_state *st, const gn_detect_params *p, uint32_t listing,
                        uint32_t seller, gn_signals *out, uint8_t *levels);

/* Authenticity codes: what the listing's orders showed (facts may be NULL).
 * Strength in eighths by gn_code_strengths: CODE_CLONED 0.75 for one unit,
 * 1 from two; CODE_OTHER_PRODUCT 1; CODE_MISSING 0.5, 0.75, 1 from three. */
void gn_detect_codes(const gn_code_facts *facts, uint32_t listing, gn_signals *out);

/* The evidence (weights, once the policy set them) the review, order and
 * shipment signals among signals add up to. */
double gn_activity_evidence(const gn_signals *signals);

/* The lowest ratio of the price to a reference price of the brands the
 * listing is about, or NaN when there is none to compare with. */
double gn_price_reference_ratio(const gn_state *st, const gn_listing_facts *f);

/* Where a listing's price counts in the market figures: its brand and category
 * in USD when the currency has a rate, else in its own currency. */
double gn_price_in(const gn_state *st, double price, const char *from, const char *to);

#endif
