/* Authenticity codes in the engine: a code_batch derives its codes into the
 * table (live and on replay alike, so replays agree), a code_scan is
 * checked against who sent it, counted on its code and run through the
 * clone rules, and the listings whose orders carried a cloned code, another
 * product's code or no code for an enrolled product are decided again with
 * the code signals. Who may post what is the threat model of docs/codes.md. */
#include "engine/codes.h"

#include <errno.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/grow.h"
#include "engine/engine.h"

static gn_engine_codes *codes_of(gn_engine *e)
{
    if (e->codes) return e->codes;
    gn_engine_codes *c = gn_xcalloc(1, sizeof *c);
    gn_code_table_init(&c->table);
    c->params.max_orders = gn_config_get(&e->config, "codes.max_orders");
    c->params.max_speed_kmh = gn_config_get(&e->config, "codes.max_speed_kmh");
    c->params.min_km = gn_config_get(&e->config, "codes.travel_min_km");
    c->n_scans = 1; /* index 0: none */
    GN_GROW(c->scans, 0, c->cap_scans);
    e->codes = c;
    return c;
}

gn_engine_codes *gn_engine_codes_make(gn_engine *e)
{
    return codes_of(e);
}

gn_engine_codes *gn_engine_codes_of(gn_engine *e)
{
    return e->codes;
}

void gn_engine_codes_free(gn_engine *e)
{
    gn_engine_codes *c = e->codes;
    if (!c) return;
    gn_code_table_free(&c->table);
    free(c->scans);
    gn_strmap_free(&c->scan_of);
    gn_strmap_free(&c->enrolled);
    gn_strmap_free(&c->listing_sku);
    free(c->skus);
    gn_strmap_free(&c->sku_index);
    gn_strmap_free(&c->brand_owner);
    gn_strmap_free(&c->owner_index);
    free(c->owners);
    gn_code_facts_free(&c->facts);
    free(c->order_flags);
    gn_pool_free(&c->pool);
    sodium_memzero(&c->key, sizeof c->key);
    free(c);
    e->codes = NULL;
}

/* ---- the key ---- */

/* The variable's name in two literals: an upper-case quoted word with an
 * underscore is a reason code to tests/cli/test_docs.sh. */
#define KEY_VARIABLE                                                                               \
    "GENUINE"                                                                                      \
    "_CODES_KEY"

char *gn_engine_codes_key_path(const char *store)
{
    const char *given = getenv(KEY_VARIABLE), *file = gn_store_sqlite_path(store);
    if (given && *given) return gn_xstrdup(given);
    if (!file) return gn_xstrdup("genuine.codes-key");
    size_t n = strlen(file);
    char *path = gn_xmalloc(n + sizeof ".codes-key");
    memcpy(path, file, n);
    memcpy(path + n, ".codes-key", sizeof ".codes-key");
    return path;
}

/* The key file beside the store: made with the first batch (and its
 * fingerprint logged, so a replay with another file is caught), required
 * by every later replay. */
static int load_key(gn_engine *e, gn_engine_codes *c, int create, gn_error *err)
{
    if (c->have_key) return 0;
    int created;
    gn_error why;
    int rc = gn_codes_key_load(e->codes_key_file, create, &c->key, &created, &why);
    if (rc && !create)
        return gn_fail(err, rc,
                       "%s; the log holds authenticity code batches, which are derived from that "
                       "key: restore the file from its backup (docs/codes.md)",
                       why.message);
    if (rc) return gn_fail(err, rc, "%s", why.message);
    c->have_key = 1;
    return 0;
}

static int log_key(gn_engine *e, gn_engine_codes *c, gn_error *err)
{
    if (c->key_logged || e->replaying) return 0;
    char at[40], id[64];
    gn_time_format(e->clock.now > e->clock.log_now ? e->clock.now : e->clock.log_now, at,
                   sizeof at);
    snprintf(id, sizeof id, "codes-key-%s", c->key.fingerprint);
    gn_buf body = {0};
    gn_buf_printf(&body,
                  "{\"type\":\"codes_key\",\"id\":\"%s\",\"at\":\"%s\",\"fingerprint\":\"%s\"}", id,
                  at, c->key.fingerprint);
    gn_event_record rec = {id, "codes_key", at, body.data, body.len, NULL};
    int64_t seq;
    int rc = e->store->ops->append_event(e->store, &rec, &seq, err);
    gn_buf_free(&body);
    if (!rc) c->key_logged = 1;
    return rc;
}

int gn_engine_codes_replay_key(gn_engine *e, const char *fingerprint, gn_error *err)
{
    gn_engine_codes *c = codes_of(e);
    int rc = load_key(e, c, 0, err);
    if (rc) return rc;
    if (strcmp(fingerprint, c->key.fingerprint) != 0)
        return gn_fail(err, GN_EINPUT,
                       "%s is codes key %s, but the log's batches were made with key %s: restore "
                       "that key's file (docs/codes.md)",
                       e->codes_key_file, c->key.fingerprint, fingerprint);
    c->key_logged = 1;
    return 0;
}

/* ---- small maps ---- */

static const char *pooled_in(gn_engine_codes *c, gn_strmap *index, const char ***array, uint32_t *n,
                             uint32_t *cap, const char *s, uint32_t *slot)
{
    int added;
    const char *key;
    uint32_t *v = gn_strmap_put(index, s, &added, &key);
    if (added) {
        GN_GROW(*array, *n, *cap);
        (*array)[*n] = key;
        *v = (*n)++;
    }
    *slot = *v;
    return key;
}

static void enrolment_key(char *out, size_t size, const char *brand, const char *sku)
{
    snprintf(out, size, "%s\x01%s", brand, sku);
}

static uint8_t *order_flags(gn_engine_codes *c, uint32_t order)
{
    if (order >= c->n_order_flags) {
        uint32_t n = c->n_order_flags ? c->n_order_flags : 1024;
        while (n <= order)
            n *= 2;
        c->order_flags = gn_xrealloc(c->order_flags, n);
        memset(c->order_flags + c->n_order_flags, 0, n - c->n_order_flags);
        c->n_order_flags = n;
    }
    return &c->order_flags[order];
}

static gn_code_scans *scans_of(gn_engine_codes *c, uint32_t number, int create)
{
    char key[12];
    snprintf(key, sizeof key, "%08x", number);
    uint32_t *i =
        create ? gn_strmap_put(&c->scan_of, key, NULL, NULL) : gn_strmap_find(&c->scan_of, key);
    if (!i) return NULL;
    if (!*i) {
        GN_GROW(c->scans, c->n_scans, c->cap_scans);
        memset(&c->scans[c->n_scans], 0, sizeof *c->scans);
        c->scans[c->n_scans].number = number;
        *i = c->n_scans++;
    }
    return &c->scans[*i];
}

/* A code as typed, to its number in the table (GN_CODES_NONE: not issued). */
static uint32_t lookup(gn_engine_codes *c, const gn_code *code)
{
    if (!c || !c->have_key) return GN_CODES_NONE;
    gn_code_tag tag;
    gn_codes_tag(&c->key, code, &tag);
    return gn_code_table_find(&c->table, &tag);
}

/* ---- checks ---- */

static int owns_brand(gn_engine *e, const char *brand, const char *account)
{
    gn_engine_codes *c = e->codes;
    uint32_t *o = c ? gn_strmap_find(&c->brand_owner, brand) : NULL;
    if (o && *o && strcmp(c->owners[*o - 1], account) == 0) return 1;
    /* or a verified right on the brand held by the account */
    for (uint32_t i = 0; i < e->workflow.n_rights; i++) {
        const gn_right *r = &e->workflow.rights[i];
        if (r->state == GN_RIGHT_VERIFIED && strcmp(r->brand_id, brand) == 0 &&
            strcmp(r->holder, account) == 0)
            return 1;
    }
    return 0;
}

static int check_batch(gn_engine *e, const gn_event *ev, gn_error *why)
{
    const char *brand = gn_event_str(ev, "brand"), *batch = gn_event_str(ev, "batch");
    if (!gn_strmap_find(&e->state.brand_by_id, brand))
        return gn_fail(why, GN_EINPUT,
                       "field 'brand': no brand '%.256s' (send its brand event first)", brand);
    /* A brand's codes are the brand's: its owner (the brand event's `owner`,
     * or a verified right on it) or the platform issues them. */
    if (!ev->from_platform && (strcmp(ev->sender_role, "rights_holder") != 0 ||
                               !owns_brand(e, brand, ev->sender_account)))
        return gn_fail(why, GN_EFORBIDDEN,
                       "field 'brand': only the platform or the brand's owner issues its codes");
    const gn_code_batch *old = e->codes ? gn_code_table_batch(&e->codes->table, batch) : NULL;
    if (!old) {
        double total = e->codes ? (double)e->codes->table.count : 0;
        if (total + gn_event_num(ev, "count", 0) > GN_CODES_MAX)
            return gn_fail(why, GN_EINPUT, "field 'count': the store holds at most %u codes",
                           GN_CODES_MAX);
        if (gn_event_bool(ev, "retired"))
            return gn_fail(why, GN_EINPUT, "field 'retired': there is no batch '%.256s' to retire",
                           batch);
        return 0;
    }
    /* A batch told again changes only its enrolment or retires it. */
    if (strcmp(old->brand, brand) || strcmp(old->sku, gn_event_str(ev, "sku")) ||
        old->count != (uint32_t)gn_event_num(ev, "count", 0))
        return gn_fail(
            why, GN_EINPUT,
            "field 'batch': batch '%.256s' exists (%u codes of %.256s %.256s); telling it "
            "again may only change 'enrolled' or 'retired'",
            batch, old->count, old->brand, old->sku);
    if (old->retired && !gn_event_bool(ev, "retired"))
        return gn_fail(why, GN_EINPUT, "field 'retired': a retired batch stays retired");
    return 0;
}

/* A scan's order is the sender's to name only when it answers for it: the
 * seller of the order's listing, the order's buyer. The same message for an
 * order that does not exist and another's: nobody learns others' orders. */
static int check_scan(gn_engine *e, const gn_event *ev, gn_error *why)
{
    gn_code code;
    const char *text = gn_event_str(ev, "code");
    if (gn_code_parse(text, strlen(text), &code, why) == GN_CODE_MALFORMED) return GN_EINPUT;
    if (ev->from_platform) return 0;
    const char *role = ev->sender_role, *scanner = gn_event_str(ev, "scanner");
    int seller = strcmp(role, "seller") == 0, shopper = strcmp(role, "shopper") == 0;
    if (!seller && !shopper)
        return gn_fail(why, GN_EFORBIDDEN, "a %s key may not post scans", role);
    if (scanner && strcmp(scanner, role) != 0)
        return gn_fail(why, GN_EFORBIDDEN, "field 'scanner': a %s key scans as \"%s\"", role, role);
    const char *account = gn_event_str(ev, "account");
    if (account && strcmp(account, ev->sender_account) != 0)
        return gn_fail(why, GN_EFORBIDDEN, "field 'account': a key scans for its own account only");
    if (shopper && gn_event_str(ev, "listing"))
        return gn_fail(why, GN_EFORBIDDEN,
                       "field 'listing': a shopper names the order it bought, not a listing");
    const char *order = gn_event_str(ev, "order"), *listing = gn_event_str(ev, "listing");
    if (seller && listing) { /* its own listing, or none: the same words either way */
        uint32_t *l = gn_strmap_find(&e->state.listing_by_id, listing);
        if (!l || strcmp(e->state.sellers[e->state.listings[*l].seller].id, ev->sender_account))
            return gn_fail(why, GN_EFORBIDDEN, "field 'listing': no listing '%.256s' of yours",
                           listing);
    }
    if (!order) return 0;
    uint32_t *o = gn_strmap_find(&e->state.order_listing, order);
    int answers = 0;
    if (o && shopper) answers = gn_state_order_bought_by(&e->state, *o, ev->sender_account);
    if (o && seller) {
        uint32_t l = e->state.activity.orders[*o].listing;
        answers = l != GN_NONE &&
                  strcmp(e->state.sellers[e->state.listings[l].seller].id, ev->sender_account) == 0;
    }
    if (seller && gn_event_str(ev, "listing") && o) {
        uint32_t l = e->state.activity.orders[*o].listing;
        answers = answers && l != GN_NONE &&
                  strcmp(e->state.listings[l].id, gn_event_str(ev, "listing")) == 0;
    }
    return answers ? 0
                   : gn_fail(why, GN_EFORBIDDEN,
                             "field 'order': no order '%.256s' of yours (a scan names an order "
                             "its sender %s)",
                             order, seller ? "shipped" : "bought");
}

int gn_engine_codes_check(gn_engine *e, const gn_event *ev, gn_error *why)
{
    return ev->type == GN_EV_CODE_BATCH  ? check_batch(e, ev, why)
           : ev->type == GN_EV_CODE_SCAN ? check_scan(e, ev, why)
                                         : 0;
}

/* ---- applying ---- */

/* Derives the batch's codes into the table, in blocks (one BLAKE2b state
 * per batch, one SipHash per code). */
static void add_codes(gn_engine_codes *c, const gn_code_batch *b)
{
    enum { BLOCK = 4096 };
    gn_code *block = gn_xmalloc(BLOCK * sizeof *block);
    gn_code_table_reserve(&c->table, b->count);
    for (uint32_t done = 0; done < b->count;) {
        uint32_t n = b->count - done < BLOCK ? b->count - done : BLOCK;
        gn_codes_derive_many(&c->key, b->id, done, n, block);
        for (uint32_t i = 0; i < n; i++) {
            gn_code_tag tag;
            gn_codes_tag(&c->key, &block[i], &tag);
            gn_code_table_add(&c->table, &tag, b->first + done + i);
        }
        done += n;
    }
    free(block);
}

static int apply_batch(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_engine_codes *c = codes_of(e);
    int rc = load_key(e, c, !e->replaying, err);
    if (!rc) rc = log_key(e, c, err);
    if (rc) return rc;
    const char *batch = gn_event_str(ev, "batch"), *brand = gn_event_str(ev, "brand"),
               *sku = gn_event_str(ev, "sku");
    uint32_t *known = gn_strmap_find(&c->table.batch_by_id, batch);
    gn_code_batch *b;
    if (known) {
        b = &c->table.batches[*known];
    } else {
        uint32_t i = gn_code_table_add_batch(&c->table, batch, brand, sku,
                                             (uint32_t)gn_event_num(ev, "count", 0), ev->at);
        b = &c->table.batches[i];
        uint32_t *bi = gn_strmap_find(&e->state.brand_by_id, brand);
        b->brand_index = bi ? *bi : GN_NONE;
        add_codes(c, b);
    }
    if (gn_event_get(ev, "enrolled")) b->enrolled = (uint8_t)gn_event_bool(ev, "enrolled");
    if (gn_event_bool(ev, "retired")) b->retired = 1;
    if (gn_event_get(ev, "enrolled")) {
        char key[2 * GN_ID_MAX + 2];
        enrolment_key(key, sizeof key, brand, sku);
        *gn_strmap_put(&c->enrolled, key, NULL, NULL) = (uint32_t)b->enrolled;
    }
    return 0;
}

/* After its code facts changed, a listing is decided again, with the event
 * as cause, when a signal's strength rose (a block stays, a removal too). */
static int redecide(gn_engine *e, const gn_event *ev, uint32_t listing, gn_error *err)
{
    gn_engine_codes *c = e->codes;
    gn_code_listing *f = gn_code_facts_get(&c->facts, listing);
    uint8_t now[3];
    gn_code_strengths(f, now);
    int rose = 0;
    for (int i = 0; i < 3; i++)
        rose |= now[i] != f->strength[i];
    if (!rose) return 0;
    const gn_listing *l = &e->state.listings[listing];
    if (l->status == GN_REMOVED || l->status == GN_BLOCKED) return 0;
    gn_buf body = {0};
    gn_event version;
    int rc = e->store->ops->event_body(e->store, l->event, &body, err);
    if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &version, err) == 0)
        rc = gn_engine_decide_listing(e, &version, ev, err);
    gn_buf_free(&body);
    return rc;
}

/* The listing's sku, or NULL. */
static const char *sku_of(gn_engine_codes *c, const char *listing)
{
    uint32_t *s = gn_strmap_find(&c->listing_sku, listing);
    return s && *s ? c->skus[*s - 1] : NULL;
}

/* Whether the code's product is the listing's: its sku when the listing
 * gives one, else its brand when the listing is about a brand. */
static int other_product(gn_engine *e, const gn_code_batch *b, uint32_t listing)
{
    const gn_listing *l = &e->state.listings[listing];
    const char *sku = sku_of(e->codes, l->id);
    if (sku) return strcmp(sku, b->sku) != 0;
    uint32_t claimed = l->brands[0] != GN_NONE ? l->brands[0] : l->brands[1];
    return claimed != GN_NONE && b->brand_index != GN_NONE && claimed != b->brand_index;
}

static int apply_scan(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_engine_codes *c = e->codes;
    const char *text = gn_event_str(ev, "code");
    gn_code code;
    if (gn_code_parse(text, strlen(text), &code, NULL) != GN_CODE_OK) return 0;
    uint32_t number = lookup(c, &code);
    if (number == GN_CODES_NONE) return 0; /* a code never issued: the log keeps the scan */
    const gn_code_batch *b = &c->table.batches[gn_code_table_batch_of(&c->table, number)];
    /* Accountable: an order the sender answers for (checked before). */
    const char *order_id = gn_event_str(ev, "order");
    uint32_t *o = order_id ? gn_strmap_find(&e->state.order_listing, order_id) : NULL;
    gn_scan_fact scan = {ev->at, gn_event_str(ev, "country"), o ? *o : GN_CODES_NONE,
                         o ? e->state.activity.orders[*o].listing : GN_CODES_NONE};
    if (scan.listing == GN_NONE) scan.listing = GN_CODES_NONE;
    gn_code_scans *s = scans_of(c, number, 1);
    int was_cloned = s->cloned != 0;
    /* this unit's first accountable scan (an order may hold several units,
     * each its own code: each counts once) */
    int first_time = scan.order != GN_CODES_NONE && !gn_code_scans_has_order(s, scan.order);
    gn_clone_reason now = gn_code_scans_add(s, &c->params, &scan);
    if (now != GN_CLONE_NONE) e->metrics.alerts++;
    if (scan.order == GN_CODES_NONE) return 0;
    uint8_t *flags = order_flags(c, scan.order);
    *flags |= 1; /* shipped with a code */
    if (scan.listing == GN_CODES_NONE) return 0;
    int rc = 0;
    gn_code_listing *f = gn_code_facts_get(&c->facts, scan.listing);
    if (*flags & 2) { /* counted missing at its shipment: the code came after all */
        *flags &= (uint8_t)~2;
        if (f->missing) f->missing--;
    }
    if (first_time && other_product(e, b, scan.listing)) {
        f->other++;
        f->other_brand = b->brand;
        f->other_sku = b->sku;
    }
    /* The listings that shipped a cloned code, but the first order's: that
     * one is presumed the genuine unit the code was copied from. */
    if (s->cloned && !gn_code_scans_first_order(s, scan.order) && first_time) {
        f->cloned++;
        f->clone_reason = s->cloned;
    }
    if (now != GN_CLONE_NONE && !was_cloned)
        for (int i = 1; i < s->n_orders && !rc; i++) {
            const gn_code_order *k = &s->orders[i];
            if (k->order == scan.order || k->listing == GN_CODES_NONE) continue;
            gn_code_listing *g = gn_code_facts_get(&c->facts, k->listing);
            g->cloned++;
            g->clone_reason = s->cloned;
            rc = redecide(e, ev, k->listing, err);
        }
    if (!rc) rc = redecide(e, ev, scan.listing, err);
    return rc;
}

int gn_engine_codes_apply(gn_engine *e, const gn_event *ev, gn_error *err)
{
    if (ev->type == GN_EV_CODE_BATCH) return apply_batch(e, ev, err);
    if (ev->type == GN_EV_CODE_SCAN && e->codes) return apply_scan(e, ev, err);
    return 0;
}

void gn_engine_codes_brand(gn_engine *e, const gn_event *ev)
{
    const char *owner = gn_event_str(ev, "owner");
    if (!owner && !e->codes) return;
    gn_engine_codes *c = codes_of(e);
    uint32_t *slot = gn_strmap_put(&c->brand_owner, gn_event_str(ev, "brand"), NULL, NULL);
    if (!owner) {
        *slot = 0;
        return;
    }
    uint32_t i;
    pooled_in(c, &c->owner_index, &c->owners, &c->n_owners, &c->cap_owners, owner, &i);
    *slot = i + 1;
}

void gn_engine_codes_listing(gn_engine *e, const gn_event *ev)
{
    const char *sku = gn_event_str(ev, "sku");
    if (!sku && !e->codes) return;
    gn_engine_codes *c = codes_of(e);
    const char *listing = gn_event_str(ev, "listing");
    if (!sku) {
        uint32_t *s = gn_strmap_find(&c->listing_sku, listing);
        if (s) *s = 0;
        return;
    }
    uint32_t i;
    pooled_in(c, &c->sku_index, &c->skus, &c->n_skus, &c->cap_skus, sku, &i);
    *gn_strmap_put(&c->listing_sku, listing, NULL, NULL) = i + 1;
}

/* An enrolled product shipped: its order must have had a code scanned by
 * the time the shipment is told (a code scanned later takes it back). */
int gn_engine_codes_shipment(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_engine_codes *c = e->codes;
    if (!c || !c->enrolled.count) return 0;
    uint32_t *o = gn_strmap_find(&e->state.order_listing, gn_event_str(ev, "order"));
    if (!o) return 0;
    uint32_t listing = e->state.activity.orders[*o].listing;
    if (listing == GN_NONE) return 0;
    const gn_listing *l = &e->state.listings[listing];
    const char *sku = sku_of(c, l->id);
    if (!sku) return 0;
    int enrolled = 0;
    for (int k = 0; k < 2 && !enrolled; k++) {
        if (l->brands[k] == GN_NONE) continue;
        char key[2 * GN_ID_MAX + 2];
        enrolment_key(key, sizeof key, e->state.brands[l->brands[k]].id, sku);
        uint32_t *v = gn_strmap_find(&c->enrolled, key);
        enrolled = v && *v;
    }
    uint8_t *flags = order_flags(c, *o);
    if (!enrolled || (*flags & 3)) return 0;
    *flags |= 2;
    gn_code_facts_get(&c->facts, listing)->missing++;
    return redecide(e, ev, listing, err);
}

const gn_code_facts *gn_engine_code_facts(const gn_engine *e)
{
    return e->codes ? &e->codes->facts : NULL;
}

void gn_engine_codes_decided(gn_engine *e, uint32_t listing)
{
    gn_engine_codes *c = e->codes;
    if (!c) return;
    if (listing < c->facts.n_listing_slots && c->facts.listing_slot[listing]) {
        gn_code_listing *f = gn_code_facts_get(&c->facts, listing);
        gn_code_strengths(f, f->strength);
    }
}

void gn_engine_codes_metrics(gn_engine *e, gn_buf *b)
{
    const gn_engine_codes *c = e->codes;
    if (!c || !c->table.n_batches) return;
    uint32_t cloned = 0;
    for (uint32_t k = 1; k < c->n_scans; k++)
        cloned += c->scans[k].cloned != 0;
    gn_buf_printf(b,
                  "# HELP genuine_codes Authenticity codes: issued, scanned at least once, "
                  "cloned.\n"
                  "# TYPE genuine_codes gauge\n"
                  "genuine_codes{kind=\"issued\"} %zu\n"
                  "genuine_codes{kind=\"scanned\"} %u\n"
                  "genuine_codes{kind=\"cloned\"} %u\n"
                  "# HELP genuine_codes_table_bytes_per_code Memory of the codes' table per code.\n"
                  "# TYPE genuine_codes_table_bytes_per_code gauge\n"
                  "genuine_codes_table_bytes_per_code %.1f\n",
                  c->table.count, c->n_scans - 1, cloned, gn_code_table_bytes_per_code(&c->table));
}

double gn_engine_codes_verify_rate(gn_engine *e)
{
    return gn_config_get(&e->config, "codes.verify_per_minute");
}

/* ---- reads ---- */

char *gn_code_verify_json(gn_engine *e, const char *text, gn_error *err)
{
    gn_code code;
    gn_error why;
    gn_code_read read = gn_code_parse(text, strlen(text), &code, &why);
    if (read == GN_CODE_MALFORMED) {
        gn_fail(err, GN_EINPUT, "%s", why.message);
        return NULL;
    }
    gn_buf b = {0};
    char printed[GN_CODE_TEXT_MAX];
    gn_code_format(&code, printed);
    if (read == GN_CODE_TYPO) {
        gn_buf_puts(&b, "{\"code\":");
        gn_buf_json_string(&b, text);
        gn_buf_puts(&b, ",\"status\":\"unknown\",\"hint\":\"its last character does not match the "
                        "others: check the code for a typo\"}");
        return gn_buf_take(&b);
    }
    gn_engine_codes *c = e->codes;
    uint32_t number = lookup(c, &code);
    gn_buf_printf(&b, "{\"code\":\"%s\"", printed);
    if (number == GN_CODES_NONE) {
        gn_buf_puts(&b, ",\"status\":\"unknown\"}");
        return gn_buf_take(&b);
    }
    const gn_code_batch *batch = &c->table.batches[gn_code_table_batch_of(&c->table, number)];
    const gn_code_scans *s = scans_of(c, number, 0);
    const char *status = s && s->cloned ? "cloned" : batch->retired ? "retired" : "genuine";
    gn_buf_printf(&b, ",\"status\":\"%s\",\"brand\":", status);
    gn_buf_json_string(&b, batch->brand);
    if (batch->brand_index != GN_NONE) {
        gn_buf_puts(&b, ",\"brand_name\":");
        gn_buf_json_string(&b, e->state.brands[batch->brand_index].name);
    }
    gn_buf_puts(&b, ",\"sku\":");
    gn_buf_json_string(&b, batch->sku);
    gn_buf_puts(&b, ",\"batch\":");
    gn_buf_json_string(&b, batch->id);
    char at[40];
    if (s) {
        gn_time_format(s->first_at, at, sizeof at);
        gn_buf_printf(&b, ",\"first_scan\":{\"at\":\"%s\",\"country\":\"%s\"},\"scans\":%u", at,
                      s->first_country, s->scans);
    } else {
        gn_buf_puts(&b, ",\"scans\":0");
    }
    if (s && s->cloned) {
        gn_time_format(s->cloned_at, at, sizeof at);
        gn_buf_printf(&b, ",\"cloned_at\":\"%s\",\"why\":", at);
        char why_text[200];
        if (s->cloned == GN_CLONE_TRAVEL)
            snprintf(why_text, sizeof why_text,
                     "scanned for two orders %.0f km apart within %.1f hours: more than one unit "
                     "carries it",
                     s->clone_km, s->clone_hours);
        else
            snprintf(why_text, sizeof why_text,
                     "shipped in %u orders, more than one unit can be: more than one unit carries "
                     "it",
                     s->orders_total);
        gn_buf_json_string(&b, why_text);
    }
    gn_buf_puts(&b, "}");
    return gn_buf_take(&b);
}

int gn_batch_codes_write(gn_engine *e, const char *batch, FILE *out, const char *qr_dir,
                         const char *qr_format, gn_error *err)
{
    gn_engine_codes *c = e->codes;
    const gn_code_batch *b = c ? gn_code_table_batch(&c->table, batch) : NULL;
    if (!b) return gn_fail(err, GN_ENOTFOUND, "no batch '%.256s'", batch);
    gn_qr_format fmt = GN_QR_SVG;
    if (qr_format && strcmp(qr_format, "png") == 0)
        fmt = GN_QR_PNG;
    else if (qr_format && strcmp(qr_format, "svg") != 0)
        return gn_fail(err, GN_EINPUT, "--qr-format: \"%.40s\" is not svg or png", qr_format);
    if (qr_dir && mkdir(qr_dir, 0755) != 0 && errno != EEXIST)
        return gn_fail(err, GN_ESTORE, "%s: cannot make the folder (%s)", qr_dir, strerror(errno));
    enum { BLOCK = 4096 };
    gn_code *block = gn_xmalloc(BLOCK * sizeof *block);
    char *lines = gn_xmalloc(BLOCK * (GN_CODE_TEXT_MAX + 1)); /* a block's lines, one write */
    int rc = 0;
    for (uint32_t done = 0; done < b->count && !rc;) {
        uint32_t n = b->count - done < BLOCK ? b->count - done : BLOCK;
        gn_codes_derive_many(&c->key, b->id, done, n, block);
        size_t at = 0;
        for (uint32_t i = 0; i < n && !rc; i++) {
            char *line = lines + at;
            gn_code_format(&block[i], line);
            if (qr_dir) {
                char path[4200];
                snprintf(path, sizeof path, "%s/%s.%s", qr_dir, line,
                         fmt == GN_QR_PNG ? "png" : "svg");
                rc = gn_qr_write(line, fmt, 8, path, err);
            }
            at += GN_CODE_TEXT_MAX - 1; /* the printed form is always 23 characters */
            lines[at++] = '\n';
        }
        if (!rc && fwrite(lines, 1, at, out) != at)
            rc = gn_fail(err, GN_ESTORE, "writing the codes failed");
        done += n;
    }
    sodium_memzero(lines, BLOCK * (GN_CODE_TEXT_MAX + 1));
    free(lines);
    sodium_memzero(block, BLOCK * sizeof *block);
    free(block);
    return rc;
}

/* What a batch's scans add up to, for the brand portal's map. */
#define MAP_COUNTRIES 64
typedef struct batch_tally {
    int shown, n_countries;
    uint32_t scanned, scans, cloned;
    char countries[MAP_COUNTRIES][3];
    uint32_t country_scans[MAP_COUNTRIES], country_cloned[MAP_COUNTRIES];
} batch_tally;

static void tally_scans(batch_tally *t, const gn_code_scans *s)
{
    t->scanned++;
    t->scans += s->scans;
    t->cloned += s->cloned != 0;
    for (int j = 0; j < s->n_countries; j++) {
        int k = 0;
        while (k < t->n_countries && memcmp(t->countries[k], s->countries[j], 2))
            k++;
        if (k == t->n_countries) {
            if (k == MAP_COUNTRIES) continue; /* the first 64 countries: a map, not a census */
            memcpy(t->countries[k], s->countries[j], 3);
            t->n_countries++;
        }
        t->country_scans[k] += s->country_scans[j];
        t->country_cloned[k] += s->cloned != 0;
    }
}

char *gn_batches_json(gn_engine *e, const char *brand, const char *owner, gn_error *err)
{
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"batches\":[");
    gn_engine_codes *c = e->codes;
    uint32_t n = c ? c->table.n_batches : 0;
    batch_tally *tallies = n ? gn_xcalloc(n, sizeof *tallies) : NULL;
    for (uint32_t i = 0; i < n; i++) {
        const gn_code_batch *t = &c->table.batches[i];
        tallies[i].shown =
            (!brand || strcmp(brand, t->brand) == 0) && (!owner || owns_brand(e, t->brand, owner));
    }
    /* one pass over the scanned codes, each to its batch */
    for (uint32_t k = 1; n && k < c->n_scans; k++) {
        uint32_t i = gn_code_table_batch_of(&c->table, c->scans[k].number);
        if (tallies[i].shown) tally_scans(&tallies[i], &c->scans[k]);
    }
    int first = 1;
    for (uint32_t i = 0; i < n; i++) {
        const gn_code_batch *t = &c->table.batches[i];
        const batch_tally *y = &tallies[i];
        if (!y->shown) continue;
        char at[40];
        gn_time_format(t->at, at, sizeof at);
        gn_buf_puts(&b, first ? "{\"batch\":" : ",{\"batch\":");
        first = 0;
        gn_buf_json_string(&b, t->id);
        gn_buf_puts(&b, ",\"brand\":");
        gn_buf_json_string(&b, t->brand);
        gn_buf_puts(&b, ",\"sku\":");
        gn_buf_json_string(&b, t->sku);
        gn_buf_printf(&b,
                      ",\"count\":%u,\"enrolled\":%s,\"retired\":%s,\"issued_at\":\"%s\","
                      "\"scanned\":%u,\"scans\":%u,\"cloned\":%u,\"countries\":[",
                      t->count, t->enrolled ? "true" : "false", t->retired ? "true" : "false", at,
                      y->scanned, y->scans, y->cloned);
        for (int j = 0; j < y->n_countries; j++)
            gn_buf_printf(&b, "%s{\"country\":\"%s\",\"scans\":%u,\"cloned_codes\":%u}",
                          j ? "," : "", y->countries[j], y->country_scans[j], y->country_cloned[j]);
        gn_buf_puts(&b, "]}");
    }
    free(tallies);
    gn_buf_puts(&b, "]}");
    (void)err;
    return gn_buf_take(&b);
}
