/* Authenticity codes in the engine (src/engine/codes.c): code_batch and
 * code_scan events checked and applied, the code signals of a listing, and
 * the reads (verify, a batch's codes, a brand's batches). The room's pure
 * parts are in src/codes/. */
#ifndef GN_ENGINE_CODES_H
#define GN_ENGINE_CODES_H

#include "codes/codes.h"
#include "core/buf.h"
#include "core/event.h"
#include "detect/signal.h"

typedef struct gn_engine gn_engine;

typedef struct gn_engine_codes {
    gn_code_table table;
    gn_codes_key key;
    int have_key, key_logged;
    gn_clone_params params;
    gn_code_scans *scans; /* [0] unused */
    uint32_t n_scans, cap_scans;
    gn_strmap scan_of;     /* code number (8 hex digits) -> scans index */
    gn_strmap enrolled;    /* "brand\x01sku" -> 1 enrolled, 0 not (the latest batch's word) */
    gn_strmap listing_sku; /* listing id -> 1 + index in skus (0: none) */
    const char **skus;
    uint32_t n_skus, cap_skus;
    gn_strmap sku_index;
    gn_strmap brand_owner; /* brand id -> 1 + index in owners (the brand event's `owner`) */
    const char **owners;
    uint32_t n_owners, cap_owners;
    gn_strmap owner_index;
    gn_code_facts facts;  /* by listing */
    uint8_t *order_flags; /* by order index: 1 shipped with a code, 2 counted missing */
    uint32_t n_order_flags;
    gn_pool pool;
} gn_engine_codes;

void gn_engine_codes_free(gn_engine *e);
/* The engine's codes (its table and key, for bench_codes), NULL until a
 * code is used. */
gn_engine_codes *gn_engine_codes_of(gn_engine *e);
/* The engine's codes, made empty as on first use if there are none yet
 * (a snapshot loads into them). */
gn_engine_codes *gn_engine_codes_make(gn_engine *e);
/* Where the codes key of a store is (malloc'd): $GENUINE_CODES_KEY when set,
 * else beside a SQLite store (its file + ".codes-key"), else, for a
 * PostgreSQL store, genuine.codes-key in the working directory: every node
 * of that store needs the same file. */
char *gn_engine_codes_key_path(const char *store);
/* Checks before anything is logged: who may post a batch, a scan's code,
 * order and account. */
int gn_engine_codes_check(gn_engine *e, const gn_event *ev, gn_error *why);
int gn_engine_codes_apply(gn_engine *e, const gn_event *ev, gn_error *err);
/* The own event genuine logs when it first uses the codes key: replayed,
 * it checks the key file is the same. */
int gn_engine_codes_replay_key(gn_engine *e, const char *fingerprint, gn_error *err);
/* Hooks on other events: a brand's owner, a listing's sku, a shipment
 * (an enrolled product shipped without a code). Cheap when no batch exists. */
void gn_engine_codes_brand(gn_engine *e, const gn_event *ev);
void gn_engine_codes_listing(gn_engine *e, const gn_event *ev);
int gn_engine_codes_shipment(gn_engine *e, const gn_event *ev, gn_error *err);
/* What the codes detector reads (CODE_CLONED, CODE_OTHER_PRODUCT,
 * CODE_MISSING): the listings' code facts, NULL while no code is used. */
const gn_code_facts *gn_engine_code_facts(const gn_engine *e);
/* After the listing is decided: the strengths it was decided at, so that a
 * later change decides it again. */
void gn_engine_codes_decided(gn_engine *e, uint32_t listing);
/* /metrics: codes issued, scanned, cloned, and the table's bytes a code. */
void gn_engine_codes_metrics(gn_engine *e, gn_buf *b);
/* codes.verify_per_minute: POST /v1/verify's answers a minute per address. */
double gn_engine_codes_verify_rate(gn_engine *e);

#endif
