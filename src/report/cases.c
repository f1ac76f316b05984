/* Case files for the authorities: everything genuine knows about one actor —
 * the cluster of linked accounts a seller belongs to — as one JSON bundle and
 * a readable HTML report built from it. Members and links come from the
 * in-memory identity graph; listings, orders, shipments and complaints from
 * one query over the log (store op listing_events); the complaint and notice
 * history from the audit log. Every event included is evidence: its body is
 * carried as stored, with its SHA-256, so anyone can check it was not changed. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "report/report.h"

#define CASE_FORMAT "genuine case file 1"

typedef struct case_listing {
    const char *id, *seller; /* pooled in the state */
    const char *title, *currency;
    double price;
    uint8_t status;
} case_listing;

typedef struct case_order {
    const char *order, *listing, *seller, *buyer, *currency, *ship_to, *at;
    double price, quantity;
    uint32_t shipments; /* head of its list in case_ctx.shipments, GN_NONE: none */
} case_order;

typedef struct case_shipment {
    const char *country, *city, *facility, *carrier, *tracking, *at;
    uint32_t next;
} case_shipment;

/* One row of the history (audit log), kept with its log position to sort. */
typedef struct case_event {
    int64_t seq;
    char *json;
} case_event;

/* A total per key (an origin, a currency). */
typedef struct tally {
    const char *key;
    double amount, removed; /* removed: the part on listings taken down */
    uint32_t count;
} tally;

typedef struct case_ctx {
    const gn_report_src *src;
    gn_error *err;
    gn_pool pool;
    uint32_t *members;
    uint32_t n_members;
    gn_strmap member_ix;  /* seller id -> position in members */
    gn_strmap listing_ix; /* listing id -> position in listings */
    case_listing *listings;
    uint32_t n_listings;
    gn_strmap order_ix; /* order id -> position in orders */
    case_order *orders;
    uint32_t n_orders, cap_orders;
    case_shipment *shipments;
    uint32_t n_shipments, cap_shipments;
    gn_strmap complaint_ids, report_ids, photo_seen;
    gn_buf complaints, counter_notices, reports, evidence, photos;
    case_event *history;
    size_t n_history, cap_history;
    gn_json_doc doc;
} case_ctx;

static const char *keep(case_ctx *c, const char *s)
{
    return s ? gn_pool_strdup(&c->pool, s, strlen(s)) : NULL;
}

static int grow(void **items, uint32_t *cap, uint32_t n, size_t size)
{
    if (n < *cap) return 0;
    uint32_t want = *cap ? *cap * 2 : 64;
    void *p = gn_xrealloc(*items, want * size);
    *items = p;
    *cap = want;
    return 0;
}

static void put_key_string(gn_buf *b, const char *key, const char *value)
{
    gn_buf_printf(b, ",\"%s\":", key);
    if (value)
        gn_buf_json_string(b, value);
    else
        gn_buf_puts(b, "null");
}

static void put_time(gn_buf *b, const char *key, int64_t ms)
{
    char at[32];
    gn_time_format(ms, at, sizeof at);
    gn_buf_printf(b, ",\"%s\":\"%s\"", key, at);
}

/* ---- the cluster's members and the links between them */

static int collect_members(case_ctx *c, uint32_t seller)
{
    gn_identity *g = c->src->identity;
    uint32_t size = gn_identity_cluster_size(g, seller);
    c->members = gn_xmalloc((size ? size : 1) * sizeof *c->members);
    uint32_t m = seller;
    do {
        c->members[c->n_members] = m;
        *gn_strmap_put(&c->member_ix, c->src->state->sellers[m].id, NULL, NULL) = c->n_members;
        c->n_members++;
        m = gn_identity_next_member(g, m);
    } while (m != seller && c->n_members < size);
    return 0;
}

static void put_sellers(case_ctx *c, gn_buf *b)
{
    static const char *verification[] = {"none", "submitted", "verified", "rejected"};
    const gn_state *st = c->src->state;
    gn_buf_puts(b, ",\"sellers\":[");
    for (uint32_t i = 0; i < c->n_members; i++) {
        const gn_seller *s = &st->sellers[c->members[i]];
        unsigned listings = 0;
        for (uint32_t l = s->last_listing; l != GN_NONE; l = st->listings[l].previous_of_seller)
            listings++;
        gn_buf_puts(b, i ? ",{\"seller\":" : "{\"seller\":");
        gn_buf_json_string(b, s->id);
        if (s->created_at != INT64_MIN)
            put_time(b, "since", s->created_at);
        else
            gn_buf_puts(b, ",\"since\":null");
        gn_buf_printf(b, ",\"verification\":\"%s\",\"status\":\"%s\",\"listings\":%u",
                      verification[s->verification],
                      gn_identity_is_banned(c->src->identity, c->members[i]) ? "banned" : "active",
                      listings);
        /* what enforcement did to it: strikes, and warned, suspended or closed */
        const gn_wf_seller *ws = gn_workflow_seller(c->src->workflow, s->id);
        gn_buf_printf(b, ",\"strikes\":%u,\"enforcement\":\"%s\"}", ws ? ws->strikes : 0,
                      gn_enforcement_name(ws ? ws->level : GN_SELLER_IN_GOOD_STANDING));
    }
    gn_buf_puts(b, "]");
}

/* Each direct link once (from the member with the lower index), with the
 * kinds of what the two share: never the values. */
static int put_links(case_ctx *c, gn_buf *b)
{
    gn_identity_link small[64], *links = small;
    size_t cap = 64;
    int first = 1, rc = 0;
    gn_buf_puts(b, ",\"links\":[");
    for (uint32_t i = 0; i < c->n_members && !rc; i++) {
        uint32_t m = c->members[i];
        int n = gn_identity_links(c->src->identity, m, links, cap, c->err);
        if (n > (int)cap) {
            gn_identity_link *more = gn_xmalloc((size_t)n * sizeof *more);
            if (!more) {
                rc = gn_fail(c->err, GN_ENOMEM, "out of memory");
                break;
            }
            if (links != small) free(links);
            links = more;
            cap = (size_t)n;
            n = gn_identity_links(c->src->identity, m, links, cap, c->err);
        }
        if (n < 0) {
            rc = n;
            break;
        }
        for (int k = 0; k < n; k++) {
            if (links[k].seller < m) continue;
            gn_buf_puts(b, first ? "{\"sellers\":[" : ",{\"sellers\":[");
            first = 0;
            gn_buf_json_string(b, c->src->state->sellers[m].id);
            gn_buf_puts(b, ",");
            gn_buf_json_string(b, c->src->state->sellers[links[k].seller].id);
            gn_buf_puts(b, "],\"shares\":[");
            int kinds = 0;
            for (int kind = 0; kind < GN_ID_KINDS; kind++)
                if (links[k].kinds & (1u << kind))
                    gn_buf_printf(b, "%s\"%s\"", kinds++ ? "," : "",
                                  gn_identity_kind_name((gn_identity_kind)kind));
            gn_buf_puts(b, "]}");
        }
    }
    if (links != small) free(links);
    gn_buf_puts(b, "]");
    return rc;
}

/* ---- the log's events about the cluster's listings */

static void add_photo(case_ctx *c, const char *listing, const char *pdq, const char *source)
{
    char key[600];
    snprintf(key, sizeof key, "%s\x1f%s", listing, pdq);
    int added;
    gn_strmap_put(&c->photo_seen, key, &added, NULL);
    if (!added) return;
    gn_buf_puts(&c->photos, c->photos.len ? ",{\"listing\":" : "{\"listing\":");
    gn_buf_json_string(&c->photos, listing);
    gn_buf_puts(&c->photos, ",\"pdq\":");
    gn_buf_json_string(&c->photos, pdq);
    put_key_string(&c->photos, "source", source);
    gn_buf_puts(&c->photos, "}");
}

/* A photo's PDQ hash when known: given as such, or made from its path or
 * URL before the event was taken (the event's `media`; for logs written
 * before, the store's image cache). Nothing is fetched or read here. */
static void note_photos(case_ctx *c, const char *listing, const gn_json *images,
                        const gn_json *media)
{
    for (size_t i = 0; i < gn_json_size(images); i++) {
        const gn_json *image = gn_json_at(images, i);
        const char *pdq = gn_json_string(gn_json_get(image, "pdq"), NULL);
        if (pdq) {
            add_photo(c, listing, pdq, NULL);
            continue;
        }
        const char *path = gn_json_string(gn_json_get(image, "path"), NULL);
        const char *url = gn_json_string(gn_json_get(image, "url"), NULL);
        const char *source = path ? path : url;
        if (!source) continue;
        /* the first form is the photo as it is */
        const char *hashed =
            gn_json_string(gn_json_at(gn_json_get(gn_json_at(media, i), "pdq"), 0), NULL);
        if (hashed) {
            add_photo(c, listing, hashed, source);
            continue;
        }
        gn_buf key = {0}, hashes = {0}, error = {0};
        gn_buf_printf(&key, "%s:%s", path ? "path" : "url", source);
        gn_error ignored;
        if (c->src->store->ops->get_image(c->src->store, key.data, &hashes, &error, &ignored) ==
                0 &&
            hashes.len >= GN_PDQ_HEX_LEN) {
            hashes.data[GN_PDQ_HEX_LEN] = 0;
            add_photo(c, listing, hashes.data, source);
        }
        gn_buf_free(&key);
        gn_buf_free(&hashes);
        gn_buf_free(&error);
    }
}

static const char *str(const gn_json *root, const char *key)
{
    return gn_json_string(gn_json_get(root, key), NULL);
}

static int add_order(case_ctx *c, const gn_json *root, const char *at)
{
    uint32_t *l = gn_strmap_find(&c->listing_ix, str(root, "listing"));
    const char *id = str(root, "order");
    if (!l || !id) return 0;
    int added;
    uint32_t *slot = gn_strmap_put(&c->order_ix, id, &added, NULL);
    if (!added) return 0; /* one order, however often it is sent */
    if (grow((void **)&c->orders, &c->cap_orders, c->n_orders, sizeof *c->orders))
        return gn_fail(c->err, GN_ENOMEM, "out of memory");
    const case_listing *listing = &c->listings[*l];
    const char *currency = str(root, "currency"); /* the order's own, else the listing's */
    const gn_json *quantity = gn_json_get(root, "quantity");
    *slot = c->n_orders;
    c->orders[c->n_orders++] = (case_order){
        .order = keep(c, id),
        .listing = listing->id,
        .seller = listing->seller,
        .buyer = keep(c, str(root, "buyer")),
        .currency = currency ? keep(c, currency) : listing->currency,
        .ship_to = keep(c, str(root, "ship_to")),
        .at = keep(c, at),
        .price = gn_json_number(gn_json_get(root, "price")),
        .quantity = quantity ? gn_json_number(quantity) : 1,
        .shipments = GN_NONE,
    };
    return 0;
}

static int add_shipment(case_ctx *c, const gn_json *root, const char *at)
{
    uint32_t *o = gn_strmap_find(&c->order_ix, str(root, "order"));
    if (!o) return 0; /* a shipment before its order: the engine ignores it too */
    if (grow((void **)&c->shipments, &c->cap_shipments, c->n_shipments, sizeof *c->shipments))
        return gn_fail(c->err, GN_ENOMEM, "out of memory");
    const gn_json *origin = gn_json_get(root, "origin");
    c->shipments[c->n_shipments] = (case_shipment){
        .country = keep(c, str(origin, "country")),
        .city = keep(c, str(origin, "city")),
        .facility = keep(c, str(origin, "facility")),
        .carrier = keep(c, str(root, "carrier")),
        .tracking = keep(c, str(root, "tracking")),
        .at = keep(c, at),
        .next = GN_NONE,
    };
    /* appended at the end of the order's list, so shipments stay in log order */
    uint32_t *tail = &c->orders[*o].shipments;
    while (*tail != GN_NONE)
        tail = &c->shipments[*tail].next;
    *tail = c->n_shipments++;
    return 0;
}

static void add_complaint(case_ctx *c, const gn_json *root, const char *at)
{
    const char *id = str(root, "complaint");
    if (!id) return;
    gn_strmap_put(&c->complaint_ids, id, NULL, NULL);
    gn_buf *b = &c->complaints;
    gn_buf_puts(b, b->len ? ",{\"complaint\":" : "{\"complaint\":");
    gn_buf_json_string(b, id);
    put_key_string(b, "at", at);
    put_key_string(b, "rights_holder", str(root, "rights_holder"));
    put_key_string(b, "right", str(root, "right"));
    gn_buf_puts(b, ",\"listings\":[");
    const gn_json *listings = gn_json_get(root, "listings");
    int n = 0;
    for (size_t i = 0; i < gn_json_size(listings); i++) {
        const char *l = gn_json_string(gn_json_at(listings, i), NULL);
        if (!l || !gn_strmap_find(&c->listing_ix, l)) continue; /* only the cluster's */
        gn_buf_puts(b, n++ ? "," : "");
        gn_buf_json_string(b, l);
    }
    gn_buf_puts(b, "]");
    put_key_string(b, "statement", str(root, "statement"));
    gn_buf_puts(b, "}");
}

static void add_filing(gn_buf *b, const gn_json *root, const char *at, const char *const *keys)
{
    gn_buf_puts(b, b->len ? ",{" : "{");
    for (int i = 0; keys[i]; i++) {
        gn_buf_printf(b, "%s\"%s\":", i ? "," : "", keys[i]);
        const char *v = str(root, keys[i]);
        if (v)
            gn_buf_json_string(b, v);
        else
            gn_buf_puts(b, "null");
    }
    put_key_string(b, "at", at);
    gn_buf_puts(b, "}");
}

static void add_evidence(case_ctx *c, int64_t seq, const char *body, size_t len, const char *id,
                         const char *type, const char *at)
{
    unsigned char hash[crypto_hash_sha256_BYTES];
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    crypto_hash_sha256(hash, (const unsigned char *)body, len);
    sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
    gn_buf *b = &c->evidence;
    gn_buf_printf(b, "%s{\"seq\":%lld,\"event\":", b->len ? "," : "", (long long)seq);
    gn_buf_json_string(b, id);
    put_key_string(b, "type", type);
    put_key_string(b, "at", at);
    gn_buf_printf(b, ",\"sha256\":\"%s\",\"body\":", hex);
    gn_buf_json_string(b, body);
    gn_buf_puts(b, "}");
}

static int on_event(void *ctx, int64_t seq, const char *body, size_t len)
{
    case_ctx *c = ctx;
    gn_error ignored;
    const gn_json *root = gn_json_parse(&c->doc, body, len, &ignored);
    const char *type = str(root, "type"), *id = str(root, "id"), *at = str(root, "at");
    if (!type || !id || !at) return 0; /* every logged event has them; be safe anyway */
    static const char *const counter_keys[] = {"complaint", "listing", "seller", "statement", NULL};
    static const char *const report_keys[] = {"report", "listing", "reporter", "reason", NULL};
    int rc = 0;
    if (strcmp(type, "listing") == 0) {
        uint32_t *l = gn_strmap_find(&c->listing_ix, str(root, "listing"));
        if (!l) return 0;
        case_listing *cl = &c->listings[*l];
        cl->title = keep(c, str(root, "title"));
        cl->currency = keep(c, str(root, "currency"));
        cl->price = gn_json_number(gn_json_get(root, "price"));
        note_photos(c, cl->id, gn_json_get(root, "images"),
                    gn_json_get(gn_json_get(root, "media"), "images"));
    } else if (strcmp(type, "order") == 0) {
        rc = add_order(c, root, at);
    } else if (strcmp(type, "shipment") == 0) {
        rc = add_shipment(c, root, at);
    } else if (strcmp(type, "complaint") == 0) {
        add_complaint(c, root, at);
    } else if (strcmp(type, "counter_notice") == 0) {
        add_filing(&c->counter_notices, root, at, counter_keys);
    } else if (strcmp(type, "report") == 0) {
        add_filing(&c->reports, root, at, report_keys);
        if (str(root, "report")) gn_strmap_put(&c->report_ids, str(root, "report"), NULL, NULL);
    }
    if (rc) return rc;
    add_evidence(c, seq, body, len, id, type, at);
    return 0;
}

static int collect_events(case_ctx *c)
{
    const gn_state *st = c->src->state;
    gn_buf ids = {0};
    gn_buf_puts(&ids, "[");
    for (uint32_t i = 0; i < c->n_members; i++)
        for (uint32_t l = st->sellers[c->members[i]].last_listing; l != GN_NONE;
             l = st->listings[l].previous_of_seller)
            c->n_listings++;
    c->listings = gn_xcalloc(c->n_listings ? c->n_listings : 1, sizeof *c->listings);
    if (!c->listings) {
        gn_buf_free(&ids);
        return gn_fail(c->err, GN_ENOMEM, "out of memory");
    }
    uint32_t n = 0;
    for (uint32_t i = 0; i < c->n_members; i++) {
        /* a seller's list runs newest first; the case lists them oldest first */
        uint32_t run = 0;
        for (uint32_t l = st->sellers[c->members[i]].last_listing; l != GN_NONE;
             l = st->listings[l].previous_of_seller)
            run++;
        uint32_t start = n, at = n + run;
        for (uint32_t l = st->sellers[c->members[i]].last_listing; l != GN_NONE;
             l = st->listings[l].previous_of_seller) {
            const gn_listing *listing = &st->listings[l];
            c->listings[--at] = (case_listing){.id = listing->id,
                                               .seller = st->sellers[listing->seller].id,
                                               .status = listing->status};
            *gn_strmap_put(&c->listing_ix, listing->id, NULL, NULL) = at;
        }
        for (; n < start + run; n++) {
            gn_buf_puts(&ids, n ? "," : "");
            gn_buf_json_string(&ids, c->listings[n].id);
        }
    }
    gn_buf_puts(&ids, "]");
    int rc = c->src->store->query->listing_events(c->src->store, ids.data, on_event, c, c->err);
    gn_buf_free(&ids);
    return rc;
}

/* ---- the complaint and notice history (the audit log) */

static int add_history(case_ctx *c, int64_t seq, const gn_audit_record *a)
{
    if (c->n_history == c->cap_history) {
        size_t want = c->cap_history ? c->cap_history * 2 : 64;
        case_event *p = gn_xrealloc(c->history, want * sizeof *p);
        c->history = p;
        c->cap_history = want;
    }
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"at\":");
    gn_buf_json_string(&b, a->at);
    put_key_string(&b, "record", a->record);
    put_key_string(&b, "record_id", a->record_id);
    put_key_string(&b, "change", a->change);
    put_key_string(&b, "actor", a->actor);
    put_key_string(&b, "detail", a->detail);
    put_key_string(&b, "event", a->event);
    gn_buf_printf(&b, ",\"automated\":%s}", a->automated ? "true" : "false");
    c->history[c->n_history++] = (case_event){seq, gn_buf_take(&b)};
    return 0;
}

/* A notice's record id is "COMPLAINT/LISTING"; ids may hold '/' themselves,
 * so every split is tried. A notice on one of the cluster's listings brings
 * in its complaint's history too. */
static int on_notice(void *ctx, int64_t seq, const gn_audit_record *a)
{
    case_ctx *c = ctx;
    for (const char *slash = strchr(a->record_id, '/'); slash; slash = strchr(slash + 1, '/')) {
        if (!gn_strmap_find(&c->listing_ix, slash + 1)) continue;
        char complaint[512];
        snprintf(complaint, sizeof complaint, "%.*s", (int)(slash - a->record_id), a->record_id);
        gn_strmap_put(&c->complaint_ids, complaint, NULL, NULL);
        return add_history(c, seq, a);
    }
    return 0;
}

static int on_record(void *ctx, int64_t seq, const gn_audit_record *a)
{
    case_ctx *c = ctx;
    const gn_strmap *ids = strcmp(a->record, "complaint") == 0 ? &c->complaint_ids
                           : strcmp(a->record, "report") == 0  ? &c->report_ids
                                                               : &c->member_ix;
    return gn_strmap_find(ids, a->record_id) ? add_history(c, seq, a) : 0;
}

static int by_seq(const void *a, const void *b)
{
    const case_event *x = a, *y = b;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

static int collect_history(case_ctx *c)
{
    gn_store *s = c->src->store;
    int rc = s->query->each_audit(s, "notice", on_notice, c, c->err);
    if (!rc) rc = s->query->each_audit(s, "complaint", on_record, c, c->err);
    if (!rc) rc = s->query->each_audit(s, "report", on_record, c, c->err);
    if (!rc) rc = s->query->each_audit(s, "seller", on_record, c, c->err);
    if (rc == GN_ENOMEM) return gn_fail(c->err, GN_ENOMEM, "out of memory");
    if (c->n_history) qsort(c->history, c->n_history, sizeof *c->history, by_seq);
    return rc;
}

/* ---- figures */

static int by_amount(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->count != y->count) return (x->count < y->count) - (x->count > y->count);
    return strcmp(x->key, y->key);
}

/* Adds to the tally of key (a map to positions in *items). */
static int count(gn_strmap *index, tally **items, uint32_t *n, uint32_t *cap, const char *key,
                 double amount, double removed)
{
    int added;
    const char *pooled;
    uint32_t *slot = gn_strmap_put(index, key, &added, &pooled);
    if (added) {
        if (grow((void **)items, cap, *n, sizeof **items)) return GN_ENOMEM;
        *slot = (*n)++;
        (*items)[*slot] = (tally){pooled, 0, 0, 0};
    }
    (*items)[*slot].amount += amount;
    (*items)[*slot].removed += removed;
    (*items)[*slot].count++;
    return 0;
}

static void put_origin(gn_buf *b, const tally *t)
{
    /* key: country \x1f city \x1f facility */
    const char *c1 = strchr(t->key, '\x1f'), *c2 = strchr(c1 + 1, '\x1f');
    char part[512];
    snprintf(part, sizeof part, "%.*s", (int)(c1 - t->key), t->key);
    gn_buf_puts(b, "{\"country\":");
    gn_buf_json_string(b, part);
    snprintf(part, sizeof part, "%.*s", (int)(c2 - c1 - 1), c1 + 1);
    gn_buf_puts(b, ",\"city\":");
    gn_buf_json_string(b, part);
    gn_buf_puts(b, ",\"facility\":");
    gn_buf_json_string(b, c2 + 1);
    gn_buf_printf(b, ",\"shipments\":%u}", t->count);
}

/* The summary (accounts, listings, orders, money taken, where the goods ship
 * from) and the ranked shipment origins, which the summary quotes. */
static int put_figures(case_ctx *c, gn_buf *summary, gn_buf *origins_out)
{
    gn_strmap by_origin = {0}, by_currency = {0}, buyers = {0};
    tally *origins = NULL, *money = NULL;
    uint32_t n_origins = 0, cap_origins = 0, n_money = 0, cap_money = 0;
    int rc = 0;
    for (uint32_t i = 0; i < c->n_shipments && !rc; i++) {
        const case_shipment *s = &c->shipments[i];
        char key[1600];
        snprintf(key, sizeof key, "%s\x1f%s\x1f%s", s->country ? s->country : "",
                 s->city ? s->city : "", s->facility ? s->facility : "");
        rc = count(&by_origin, &origins, &n_origins, &cap_origins, key, 1, 0);
    }
    for (uint32_t i = 0; i < c->n_orders && !rc; i++) {
        const case_order *o = &c->orders[i];
        int removed = c->listings[*gn_strmap_find(&c->listing_ix, o->listing)].status == GN_REMOVED;
        rc = count(&by_currency, &money, &n_money, &cap_money, o->currency ? o->currency : "",
                   o->price, removed ? o->price : 0);
        if (o->buyer) gn_strmap_put(&buyers, o->buyer, NULL, NULL);
    }
    if (rc) goto out;
    if (n_origins) qsort(origins, n_origins, sizeof *origins, by_amount);
    if (n_money) qsort(money, n_money, sizeof *money, by_amount);

    unsigned statuses[5] = {0};
    for (uint32_t i = 0; i < c->n_listings; i++)
        statuses[c->listings[i].status]++;
    unsigned banned = 0;
    for (uint32_t i = 0; i < c->n_members; i++)
        banned += (unsigned)gn_identity_is_banned(c->src->identity, c->members[i]);
    gn_buf_printf(summary,
                  ",\"summary\":{\"accounts\":%u,\"banned\":%u,\"listings\":{\"total\":%u,"
                  "\"live\":%u,\"held\":%u,\"blocked\":%u,\"removed\":%u,\"noticed\":%u},"
                  "\"orders\":%u,\"buyers\":%zu,\"money_taken\":[",
                  c->n_members, banned, c->n_listings, statuses[GN_LIVE], statuses[GN_HELD],
                  statuses[GN_BLOCKED], statuses[GN_REMOVED], statuses[GN_NOTICED], c->n_orders,
                  buyers.count);
    for (uint32_t i = 0; i < n_money; i++) {
        gn_buf_puts(summary, i ? ",{\"currency\":" : "{\"currency\":");
        gn_buf_json_string(summary, money[i].key);
        gn_buf_printf(summary, ",\"amount\":%.2f,\"on_removed_listings\":%.2f,\"orders\":%u",
                      money[i].amount, money[i].removed, money[i].count);
        double rate = gn_state_rate(c->src->state, money[i].key);
        if (rate > 0) gn_buf_printf(summary, ",\"usd\":%.2f", money[i].amount * rate);
        gn_buf_puts(summary, "}");
    }
    gn_buf_puts(summary, "],\"ship_from\":[");
    gn_buf_puts(origins_out, ",\"shipment_origins\":[");
    for (uint32_t i = 0; i < n_origins; i++) {
        if (i < 3) {
            gn_buf_puts(summary, i ? "," : "");
            put_origin(summary, &origins[i]);
        }
        gn_buf_puts(origins_out, i ? "," : "");
        put_origin(origins_out, &origins[i]);
    }
    gn_buf_puts(summary, "]}");
    gn_buf_puts(origins_out, "]");
out:
    gn_strmap_free(&by_origin);
    gn_strmap_free(&by_currency);
    gn_strmap_free(&buyers);
    free(origins);
    free(money);
    return rc ? gn_fail(c->err, GN_ENOMEM, "out of memory") : 0;
}

/* ---- the bundle */

static void put_number(gn_buf *b, const char *key, double v)
{
    gn_buf_printf(b, ",\"%s\":%.15g", key, v);
}

static int put_listings(case_ctx *c, gn_buf *b)
{
    gn_buf record = {0};
    gn_buf_puts(b, ",\"listings\":[");
    for (uint32_t i = 0; i < c->n_listings; i++) {
        const case_listing *l = &c->listings[i];
        gn_buf_puts(b, i ? ",{\"listing\":" : "{\"listing\":");
        gn_buf_json_string(b, l->id);
        put_key_string(b, "seller", l->seller);
        put_key_string(b, "title", l->title);
        put_number(b, "price", l->price);
        put_key_string(b, "currency", l->currency);
        gn_buf_printf(b, ",\"status\":\"%s\",\"decisions\":", gn_listing_status_name(l->status));
        gn_buf_reset(&record);
        gn_error why;
        int rc = c->src->store->query->listing_json(c->src->store, l->id, &record, &why);
        if (rc && rc != GN_ENOTFOUND) {
            gn_buf_free(&record);
            *c->err = why;
            return rc;
        }
        gn_buf_puts(b, rc ? "null" : record.data);
        /* what its orders showed of authenticity codes (docs/codes.md) */
        const uint32_t *index = gn_strmap_find(&c->src->state->listing_by_id, l->id);
        const gn_code_listing *codes = index ? gn_code_facts_find(c->src->codes, *index) : NULL;
        if (codes) gn_code_facts_json(codes, 0, b);
        gn_buf_puts(b, "}");
    }
    gn_buf_puts(b, "]");
    gn_buf_free(&record);
    return 0;
}

static void put_orders(case_ctx *c, gn_buf *b)
{
    gn_buf_puts(b, ",\"orders\":[");
    for (uint32_t i = 0; i < c->n_orders; i++) {
        const case_order *o = &c->orders[i];
        gn_buf_puts(b, i ? ",{\"order\":" : "{\"order\":");
        gn_buf_json_string(b, o->order);
        put_key_string(b, "listing", o->listing);
        put_key_string(b, "seller", o->seller);
        put_key_string(b, "buyer", o->buyer);
        put_number(b, "price", o->price);
        put_key_string(b, "currency", o->currency);
        put_number(b, "quantity", o->quantity);
        put_key_string(b, "ship_to", o->ship_to);
        put_key_string(b, "at", o->at);
        gn_buf_puts(b, ",\"shipments\":[");
        for (uint32_t s = o->shipments; s != GN_NONE; s = c->shipments[s].next) {
            const case_shipment *sh = &c->shipments[s];
            gn_buf_puts(b, s == o->shipments ? "{\"country\":" : ",{\"country\":");
            gn_buf_json_string(b, sh->country ? sh->country : "");
            put_key_string(b, "city", sh->city);
            put_key_string(b, "facility", sh->facility);
            put_key_string(b, "carrier", sh->carrier);
            put_key_string(b, "tracking", sh->tracking);
            put_key_string(b, "at", sh->at);
            gn_buf_puts(b, "}");
        }
        gn_buf_puts(b, "]}");
    }
    gn_buf_puts(b, "]");
}

static void ctx_free(case_ctx *c)
{
    gn_pool_free(&c->pool);
    free(c->members);
    gn_strmap_free(&c->member_ix);
    gn_strmap_free(&c->listing_ix);
    free(c->listings);
    gn_strmap_free(&c->order_ix);
    free(c->orders);
    free(c->shipments);
    gn_strmap_free(&c->complaint_ids);
    gn_strmap_free(&c->report_ids);
    gn_strmap_free(&c->photo_seen);
    gn_buf_free(&c->complaints);
    gn_buf_free(&c->counter_notices);
    gn_buf_free(&c->reports);
    gn_buf_free(&c->evidence);
    gn_buf_free(&c->photos);
    for (size_t i = 0; i < c->n_history; i++)
        free(c->history[i].json);
    free(c->history);
    gn_json_doc_free(&c->doc);
}

char *gn_report_case_json(const gn_report_src *src, const char *seller, gn_error *err)
{
    if (src->read_only) {
        gn_fail(err, GN_EINPUT,
                "a case file needs the engine opened for writing "
                "(the cluster of linked accounts is rebuilt in memory)");
        return NULL;
    }
    uint32_t *index = gn_strmap_find(&src->state->seller_by_id, seller);
    if (!index) {
        gn_fail(err, GN_ENOTFOUND, "no seller '%s'", seller);
        return NULL;
    }
    case_ctx c = {.src = src, .err = err};
    gn_json_doc_init(&c.doc);
    gn_buf b = {0}, summary = {0}, origins = {0};
    int rc = collect_members(&c, *index);
    if (!rc) rc = collect_events(&c);
    if (!rc) rc = collect_history(&c);
    if (!rc) rc = put_figures(&c, &summary, &origins);
    if (!rc) {
        gn_buf_puts(&b, "{\"case\":{\"format\":\"" CASE_FORMAT "\",\"seller\":");
        gn_buf_json_string(&b, seller);
        put_time(&b, "as_of", src->now);
        put_time(&b, "generated_at", (int64_t)time(NULL) * 1000);
        gn_buf_puts(&b, "}");
        gn_buf_append(&b, summary.data, summary.len);
        put_sellers(&c, &b);
        rc = put_links(&c, &b);
    }
    if (!rc) rc = put_listings(&c, &b);
    if (!rc) {
        put_orders(&c, &b);
        gn_buf_append(&b, origins.data, origins.len);
        gn_buf_printf(&b, ",\"complaints\":[%s],\"counter_notices\":[%s],\"reports\":[%s]",
                      c.complaints.len ? c.complaints.data : "",
                      c.counter_notices.len ? c.counter_notices.data : "",
                      c.reports.len ? c.reports.data : "");
        gn_buf_puts(&b, ",\"history\":[");
        for (size_t i = 0; i < c.n_history; i++) {
            gn_buf_puts(&b, i ? "," : "");
            gn_buf_puts(&b, c.history[i].json);
        }
        gn_buf_printf(&b, "],\"evidence\":{\"hash\":\"sha256\",\"events\":[%s],\"photos\":[%s]}}",
                      c.evidence.len ? c.evidence.data : "", c.photos.len ? c.photos.data : "");
    }
    ctx_free(&c);
    gn_buf_free(&summary);
    gn_buf_free(&origins);
    if (rc) {
        gn_buf_free(&b);
        return NULL;
    }
    return gn_buf_take(&b);
}
