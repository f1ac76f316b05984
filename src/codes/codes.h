/* Authenticity codes (docs/codes.md): a brand marks each unit with a code
 * genuine derives from a secret key, anyone verifies it, clones are caught.
 * This room is pure: the text form of a code, the key and the derivation,
 * the in-memory table of issued codes, the scans and the clone rules, the
 * country centroids; the engine (src/engine/codes.c) wires them to events. */
#ifndef GN_CODES_CODES_H
#define GN_CODES_CODES_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/strmap.h"
#include "genuine.h"

/* ---- the text form (code_text.c) ----
 * 95 random bits as 19 characters of Crockford's base 32 (no I, L, O, U),
 * then one check character (Luhn mod 32): 20 characters, printed in four
 * groups of five, "7KQ2M-X9F4T-0HB8R-3WZ6P". Reading forgives case, spaces,
 * dashes and the look-alikes I, L (one) and O (zero). */
#define GN_CODE_BYTES 12    /* the 95 bits, first bit first; the very last bit is 0 */
#define GN_CODE_CHARS 20    /* 19 data characters and the check character */
#define GN_CODE_TEXT_MAX 24 /* the printed form with its three dashes, and a NUL */

typedef struct gn_code {
    uint8_t bits[GN_CODE_BYTES];
} gn_code;

/* Writes the printed form (GN_CODE_TEXT_MAX bytes with the NUL). */
void gn_code_format(const gn_code *code, char out[GN_CODE_TEXT_MAX]);
/* What reading a code found. */
typedef enum gn_code_read {
    GN_CODE_OK,
    GN_CODE_TYPO,     /* 20 valid characters whose check character does not match */
    GN_CODE_MALFORMED /* not 20 characters of the alphabet (err names what is wrong) */
} gn_code_read;
/* Reads a code as a shopper typed it (at most n bytes of text); a typo is
 * told from a string that is no code at all. */
gn_code_read gn_code_parse(const char *text, size_t n, gn_code *out, gn_error *err);

/* ---- the key and the derivation (key.c) ----
 * One 32-byte secret per store, kept in a file beside it (mode 0600), never
 * in the store: a batch's key is BLAKE2b of its id under it, unit i's code
 * the first 95 bits of the i-th 16 bytes of ChaCha20's keystream under the
 * batch's key; the table holds only keyed hashes of them. */
typedef struct gn_codes_key {
    uint8_t derive[32];   /* BLAKE2b key: batch id -> the batch's ChaCha20 key */
    uint8_t tag[16];      /* SipHash-128 key: code -> the table's tag */
    char fingerprint[17]; /* 16 hex digits naming the key (not secret) */
} gn_codes_key;

/* Loads the key file, or creates it (mode 0600) when create is set and it
 * is missing. *created says whether it was made now. */
int gn_codes_key_load(const char *path, int create, gn_codes_key *key, int *created, gn_error *err);
/* The code of unit index of batch (deterministic: replays agree). */
void gn_codes_derive(const gn_codes_key *key, const char *batch, uint64_t index, gn_code *out);
/* Derives count codes from first into out: the batch id is hashed once. */
void gn_codes_derive_many(const gn_codes_key *key, const char *batch, uint64_t first, size_t count,
                          gn_code *out);
/* The table's 96-bit tag of a code (a keyed hash: a copy of the table
 * tells nobody a code). */
typedef struct gn_code_tag {
    uint64_t lo;
    uint32_t hi;
} gn_code_tag;
void gn_codes_tag(const gn_codes_key *key, const gn_code *code, gn_code_tag *out);

/* ---- the table of issued codes (table.c) ----
 * 16 bytes a slot, open addressing at most 3/4 full: 21 to 43 bytes a code.
 * Codes are numbered in the order their batches came (a batch's codes are
 * one range); a batch's brand, product, enrolment and retirement are kept
 * once per batch. */
#define GN_CODES_MAX 4000000000u /* codes in one store: numbers fit 32 bits */
#define GN_CODES_NONE UINT32_MAX

typedef struct gn_code_batch {
    const char *id, *brand, *sku; /* pooled */
    uint32_t brand_index;         /* in the engine's state (GN_NONE: unknown then) */
    uint32_t first, count;        /* its codes' numbers: first .. first+count-1 */
    int64_t at;
    uint8_t enrolled, retired;
} gn_code_batch;

typedef struct gn_code_slot {
    uint64_t tag_lo;
    uint32_t tag_hi;
    uint32_t number_plus_one; /* 0: empty */
} gn_code_slot;

typedef struct gn_code_table {
    gn_code_slot *slots;
    size_t mask, count;
    gn_code_batch *batches;
    uint32_t n_batches, cap_batches;
    gn_strmap batch_by_id;
    gn_pool pool;
} gn_code_table;

void gn_code_table_init(gn_code_table *t);
void gn_code_table_free(gn_code_table *t);
/* Makes room for n more codes at once (one resize for a batch). */
void gn_code_table_reserve(gn_code_table *t, size_t n);
/* Adds a batch record (its codes are added with gn_code_table_add); returns
 * its index. */
uint32_t gn_code_table_add_batch(gn_code_table *t, const char *id, const char *brand,
                                 const char *sku, uint32_t count, int64_t at);
/* Adds one code by its tag and number. */
void gn_code_table_add(gn_code_table *t, const gn_code_tag *tag, uint32_t number);
/* A code's number by its tag, or GN_CODES_NONE. */
uint32_t gn_code_table_find(const gn_code_table *t, const gn_code_tag *tag);
/* The batch a code number belongs to. */
uint32_t gn_code_table_batch_of(const gn_code_table *t, uint32_t number);
const gn_code_batch *gn_code_table_batch(const gn_code_table *t, const char *id);
/* Bytes held per code (slots only), for the benchmark and /metrics. */
double gn_code_table_bytes_per_code(const gn_code_table *t);

/* ---- places (places.c) ----
 * Each country's centroid (ISO 3166 alpha-2), for how far apart two scans
 * were. A country genuine does not know has no distance (-1). */
double gn_country_distance_km(const char *a, const char *b);
int gn_country_known(const char *country);

/* ---- scans and clone rules (clones.c) ----
 * A scan is accountable when it says which order carried the unit and the
 * sender answers for it: the platform or its warehouse, the seller of that
 * order's listing, the buyer of that order. Only accountable scans can make
 * a code cloned; other scans are counted (the brand sees where) but weigh
 * nothing: any shopper can type any code it has seen. */
#define GN_CODE_ORDERS 6    /* the first orders of a code kept (more are counted) */
#define GN_CODE_COUNTRIES 8 /* the distinct countries a code was scanned in, kept */

typedef enum gn_clone_reason {
    GN_CLONE_NONE,
    GN_CLONE_ORDERS, /* shipped in more orders than one unit can be */
    GN_CLONE_TRAVEL  /* two orders' scans too far apart for the time between */
} gn_clone_reason;

typedef struct gn_code_order {
    uint32_t order;   /* the engine's order index */
    uint32_t listing; /* its listing's index (GN_CODES_NONE: unknown) */
    int64_t at;       /* the first accountable scan of this order */
    char country[3];
} gn_code_order;

typedef struct gn_code_scans {
    uint32_t number;
    uint32_t scans, anonymous;
    int64_t first_at;
    char first_country[3];
    uint8_t cloned; /* a gn_clone_reason; 0: not cloned */
    uint8_t n_orders, n_countries;
    uint32_t orders_total;
    int64_t cloned_at;
    gn_code_order orders[GN_CODE_ORDERS];
    char countries[GN_CODE_COUNTRIES][3];
    uint32_t country_scans[GN_CODE_COUNTRIES];
    double clone_km, clone_hours; /* GN_CLONE_TRAVEL: how far, how soon */
} gn_code_scans;

typedef struct gn_clone_params {
    double max_orders;    /* more distinct orders than this: cloned */
    double max_speed_kmh; /* faster than this between two orders' scans: cloned */
    double min_km;        /* nearer than this never counts as travel (neighbours) */
} gn_clone_params;

/* One scan as the rules see it. order is GN_CODES_NONE for an anonymous scan. */
typedef struct gn_scan_fact {
    int64_t at;
    const char *country;
    uint32_t order, listing;
} gn_scan_fact;

/* Adds a scan to a code's record; returns the clone reason it raised now
 * (GN_CLONE_NONE when the code was cloned before, or is not now). A scan
 * of an order already seen is that unit again. */
gn_clone_reason gn_code_scans_add(gn_code_scans *s, const gn_clone_params *p,
                                  const gn_scan_fact *scan);
/* Whether the code's record knows this order already (among the first
 * GN_CODE_ORDERS; past them every order counts as new). */
int gn_code_scans_has_order(const gn_code_scans *s, uint32_t order);
/* Whether this order is the first that carried the code: presumed the
 * genuine unit (a counterfeiter copies a code from a unit already sold). */
int gn_code_scans_first_order(const gn_code_scans *s, uint32_t order);

/* ---- a listing's code facts (facts.c) ----
 * What its orders showed: units with a cloned code, units with another
 * product's code, orders of an enrolled product shipped without a code. */
typedef struct gn_code_listing {
    uint32_t cloned, other, missing;
    const char *other_brand, *other_sku; /* the last other product seen (pooled) */
    uint8_t clone_reason;
    uint8_t strength[3]; /* the signals' strengths it was last decided at, in eighths */
} gn_code_listing;

typedef struct gn_code_facts {
    uint32_t *listing_slot; /* by listing index: index in items (0: none) */
    uint32_t n_listing_slots;
    gn_code_listing *items; /* [0] unused */
    uint32_t n_items, cap_items;
} gn_code_facts;

/* The listing's record, made on first use. */
gn_code_listing *gn_code_facts_get(gn_code_facts *f, uint32_t listing);
/* The listing's record when it holds anything (f may be NULL), else NULL. */
const gn_code_listing *gn_code_facts_find(const gn_code_facts *f, uint32_t listing);
void gn_code_facts_free(gn_code_facts *f);
/* The strengths of its three signals (CODE_CLONED, CODE_OTHER_PRODUCT,
 * CODE_MISSING), in eighths: the engine decides a listing again when one
 * changes. */
void gn_code_strengths(const gn_code_listing *l, uint8_t out[3]);
/* Appends ,"codes":{["listings":N,]"cloned_units","other_product_units",
 * "orders_without_code"} (listings: for a seller's sum; 0 leaves it out). */
void gn_code_facts_json(const gn_code_listing *l, uint32_t listings, gn_buf *b);

/* ---- QR codes (qr.c) ---- */
typedef enum gn_qr_format { GN_QR_SVG, GN_QR_PNG } gn_qr_format;
/* Writes text as a QR code image to path (error correction M, a quiet zone
 * of four modules, scale pixels a module for PNG). */
int gn_qr_write(const char *text, gn_qr_format format, int scale, const char *path, gn_error *err);

#endif
