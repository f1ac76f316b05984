/* One interface for the detectors and one registry of them: each detector's
 * name, the signal codes it may emit, and a run function of one listing's
 * facts. The registry is the list of every detector signal code (a unit test
 * checks each against config/genuine.conf and docs/signals.md) and the way a
 * test calls a detector directly: facts in, expected codes out. */
#ifndef GN_DETECT_REGISTRY_H
#define GN_DETECT_REGISTRY_H

#include <stddef.h>

#include "detect/detect.h"

/* The linked-account signals of the last seller decided, reused while one
 * event re-decides many listings of the same sellers (a sweep): valid while
 * the generation (bumped by every event), the seller, the brand and the time
 * are the same. */
typedef struct gn_links_cache {
    uint64_t generation;
    uint32_t seller, brand;
    int64_t at;
    gn_signals signals;
} gn_links_cache;

/* What a detector may read besides the listing's facts, and where it hands
 * back what the engine keeps of its work (NULL: not wanted). */
typedef struct gn_detect_ctx {
    const gn_state *state;
    const gn_detect_params *params;
    const gn_image_bank *photos; /* images: brands' own, removed listings', shared banks */
    gn_identity *identity;       /* links: accounts linked by what they share */
    uint32_t seller;             /* the listing's seller (index in state) */
    uint32_t listing;            /* activity: the listing (index in state) */
    uint8_t *official;           /* images: which photos are brands' own */
    gn_shared_hits *shared_hits; /* images: the shared-bank hashes matched */
    uint8_t *activity_levels;    /* activity: each signal's level (GN_ACT_CODES) */
    const gn_code_facts *codes;  /* codes: the listings' authenticity code facts (NULL: none) */
    gn_links_cache *links_cache; /* links: reused across a sweep (NULL: computed each time) */
    uint64_t generation;         /* links: the engine's event generation, for the cache */
} gn_detect_ctx;

typedef void gn_detect_fn(const gn_detect_ctx *ctx, const gn_listing_facts *facts,
                          gn_signals *signals);

typedef struct gn_detector {
    const char *name;         /* "price", "text", "images", "seller", "links", "activity" */
    const char *const *codes; /* the signal codes it may emit, NULL-terminated */
    gn_detect_fn *run;        /* adds its signals to signals; no I/O, no clock */
} gn_detector;

/* Every detector, in the order the engine runs them (gn_engine_decide_listing
 * loops over them); *count receives how many. A detector sees the signals the
 * ones before it raised: seller reads the images' IMAGE_STOLEN_OFFICIAL. */
const gn_detector *gn_detectors(size_t *count);
/* The detector of that name, or NULL. */
const gn_detector *gn_detector_find(const char *name);
/* The detector that may emit code, or NULL (a code of the workflows or the
 * engine: EVIDENCE_FLOOR, POLICY_RULE, ...). */
const gn_detector *gn_detector_of_code(const char *code);

#endif
