/* The engine's state written at a log position and read back, so a node
 * joins by loading it and replaying only the log after it, deciding the
 * next events exactly as a node that replayed everything (docs/scale.md,
 * Joining). Each part is written as it is in memory, indexes included: a
 * snapshot rebuilds nothing it could get wrong. One is refused whose
 * format, genuine version or configuration differ from the reader's. */
#include "engine/snapshot.h"

#include <stdlib.h>
#include <string.h>
#include <sodium.h>

#include "core/alloc.h"
#include "detect/lexicon_impl.h"
#include "engine/engine.h"

/* Raised whenever anything a snapshot holds changes its layout or meaning
 * (a field of a record written as it is, an index's structure): an older
 * snapshot is then refused and the node replays the whole log. */
#define SNAP_FORMAT 3 /* 2: gn_listing.cleared; 3: the photo bank's four indexes */
static const unsigned char MAGIC[8] = {'G', 'N', 'S', 'N', 'A', 'P', '\r', '\n'};
#define HEADER (8 + 4 + 32 + 8 + 8 + 32)

/* ------------------------------------------------------------ writing */

void gn_snap_raw(gn_buf *b, const void *p, size_t n)
{
    if (n) gn_buf_append(b, p, n);
}

void gn_snap_u32(gn_buf *b, uint32_t v)
{
    gn_snap_raw(b, &v, sizeof v);
}

void gn_snap_u64(gn_buf *b, uint64_t v)
{
    gn_snap_raw(b, &v, sizeof v);
}

void gn_snap_f64(gn_buf *b, double v)
{
    gn_snap_raw(b, &v, sizeof v);
}

#define NULL_STR UINT32_MAX
#define BY_TEXT (UINT32_MAX - 1)

void gn_snap_str(gn_buf *b, const char *s)
{
    if (!s) {
        gn_snap_u32(b, NULL_STR);
        return;
    }
    size_t n = strlen(s);
    gn_snap_u32(b, (uint32_t)n);
    gn_snap_raw(b, s, n);
}

void gn_snap_strmap(gn_buf *b, const gn_strmap *m)
{
    gn_snap_u64(b, m->slots ? m->mask + 1 : 0);
    gn_snap_u64(b, m->count);
    for (size_t i = 0; m->slots && i <= m->mask; i++) {
        if (!m->slots[i].key) continue;
        gn_snap_u32(b, (uint32_t)i);
        gn_snap_u32(b, m->slots[i].value);
        gn_snap_str(b, m->slots[i].key);
    }
}

void gn_snap_ref(gn_buf *b, const gn_strmap *map, const char *s)
{
    if (!s) {
        gn_snap_u32(b, NULL_STR);
        return;
    }
    uint32_t *v = map ? gn_strmap_find(map, s) : NULL;
    if (v) {
        const gn_strmap_slot *slot =
            (const gn_strmap_slot *)((const char *)v - offsetof(gn_strmap_slot, value));
        if (slot->key == s) {
            gn_snap_u32(b, (uint32_t)(slot - map->slots));
            return;
        }
    }
    gn_snap_u32(b, BY_TEXT);
    gn_snap_str(b, s);
}

/* ------------------------------------------------------------ reading */

int gn_snap_get(gn_snap_in *in, void *p, size_t n)
{
    if (in->bad || n > in->left) {
        in->bad = 1;
        memset(p, 0, n);
        return -1;
    }
    if (n) memcpy(p, in->p, n);
    in->p += n;
    in->left -= n;
    return 0;
}

uint32_t gn_snap_get_u32(gn_snap_in *in)
{
    uint32_t v;
    gn_snap_get(in, &v, sizeof v);
    return v;
}

uint64_t gn_snap_get_u64(gn_snap_in *in)
{
    uint64_t v;
    gn_snap_get(in, &v, sizeof v);
    return v;
}

double gn_snap_get_f64(gn_snap_in *in)
{
    double v;
    gn_snap_get(in, &v, sizeof v);
    return v;
}

int gn_snap_check(gn_snap_in *in, int ok)
{
    if (!ok) in->bad = 1;
    return in->bad;
}

uint32_t gn_snap_get_count(gn_snap_in *in, size_t min_size)
{
    uint32_t n = gn_snap_get_u32(in);
    if (in->bad || (min_size && n > in->left / min_size)) {
        in->bad = 1;
        return 0;
    }
    return n;
}

/* A string's length, checked against what is left; NULL_STR for NULL. */
static uint32_t str_len(gn_snap_in *in)
{
    uint32_t n = gn_snap_get_u32(in);
    if (in->bad) return NULL_STR;
    if (n == NULL_STR) return n;
    if (n > in->left || memchr(in->p, 0, n)) {
        in->bad = 1;
        return NULL_STR;
    }
    return n;
}

const char *gn_snap_get_str(gn_snap_in *in, gn_pool *pool)
{
    uint32_t n = str_len(in);
    if (n == NULL_STR) return NULL;
    const char *s = gn_pool_strdup(pool, (const char *)in->p, n);
    in->p += n;
    in->left -= n;
    return s;
}

char *gn_snap_get_strdup(gn_snap_in *in)
{
    uint32_t n = str_len(in);
    if (n == NULL_STR) return NULL;
    char *s = gn_xstrndup((const char *)in->p, n);
    in->p += n;
    in->left -= n;
    return s;
}

void *gn_snap_get_array(gn_snap_in *in, size_t n, size_t size, size_t cap)
{
    if (in->bad || cap < n || (size && n > in->left / size)) {
        in->bad = 1;
        return NULL;
    }
    if (cap == 0) return NULL;
    void *a = gn_xcalloc(cap, size);
    gn_snap_get(in, a, n * size);
    return a;
}

void gn_snap_get_strmap(gn_snap_in *in, gn_strmap *m)
{
    uint64_t slots = gn_snap_get_u64(in), count = gn_snap_get_u64(in);
    /* 12 bytes a key at least (slot, value, length); a map grows to twice
     * its keys, so it has at most four times as many slots (64 at first) */
    if (gn_snap_check(in, (slots & (slots - 1)) == 0 && count <= in->left / 12 &&
                              count * 2 <= slots && (slots <= 64 || slots <= 4 * count)))
        return;
    if (!slots) return;
    m->slots = gn_xcalloc(slots, sizeof *m->slots);
    m->mask = slots - 1;
    for (uint64_t k = 0; k < count && !in->bad; k++) {
        uint32_t i = gn_snap_get_u32(in), value = gn_snap_get_u32(in);
        uint32_t n = str_len(in);
        if (gn_snap_check(in, n != NULL_STR && i <= m->mask && !m->slots[i].key)) break;
        gn_strmap_slot *s = &m->slots[i];
        s->key = gn_pool_strdup(&m->pool, (const char *)in->p, n);
        s->hash = gn_hash_bytes(s->key, n);
        s->value = value;
        in->p += n;
        in->left -= n;
        m->count++;
    }
}

const char *gn_snap_get_ref(gn_snap_in *in, const gn_strmap *map, gn_pool *pool)
{
    uint32_t i = gn_snap_get_u32(in);
    if (in->bad || i == NULL_STR) return NULL;
    if (i == BY_TEXT) return gn_snap_get_str(in, pool);
    if (gn_snap_check(in, map && map->slots && i <= map->mask && map->slots[i].key)) return NULL;
    return map->slots[i].key;
}

/* A large fixed array mostly of zeros (exchange rates, word counters): its
 * other items, each with its index. */
static void save_sparse(gn_buf *b, const void *array, size_t n, size_t size)
{
    static const unsigned char zero[16];
    const unsigned char *a = array;
    uint32_t count = 0;
    for (size_t i = 0; i < n; i++)
        count += memcmp(a + i * size, zero, size) != 0;
    gn_snap_u32(b, count);
    for (size_t i = 0; i < n; i++)
        if (memcmp(a + i * size, zero, size) != 0) {
            gn_snap_u32(b, (uint32_t)i);
            gn_snap_raw(b, a + i * size, size);
        }
}

static void load_sparse(gn_snap_in *in, void *array, size_t n, size_t size)
{
    unsigned char *a = array;
    uint32_t count = gn_snap_get_count(in, 4 + size);
    for (uint32_t k = 0; k < count && !in->bad; k++) {
        uint32_t i = gn_snap_get_u32(in);
        if (gn_snap_check(in, i < n)) break;
        gn_snap_get(in, a + (size_t)i * size, size);
    }
}

/* Each part opens with its tag, so a reader out of step stops at once. */
static void tag(gn_buf *b, uint32_t t)
{
    gn_snap_u32(b, 0x50414e00u | t);
}

static int get_tag(gn_snap_in *in, uint32_t t)
{
    return gn_snap_check(in, gn_snap_get_u32(in) == (0x50414e00u | t));
}

/* ------------------------------------------------------------ the state */

static void save_state(gn_buf *b, const gn_state *st)
{
    gn_snap_strmap(b, &st->brand_by_id);
    gn_snap_strmap(b, &st->brand_by_name);
    gn_snap_strmap(b, &st->seller_by_id);
    gn_snap_strmap(b, &st->listing_by_id);
    gn_snap_u32(b, st->n_brands);
    for (uint32_t i = 0; i < st->n_brands; i++) {
        const gn_brand *br = &st->brands[i];
        gn_snap_ref(b, &st->brand_by_id, br->id);
        gn_snap_str(b, br->name);
        gn_snap_u32(b, (uint32_t)br->n_prices);
        for (int k = 0; k < br->n_prices; k++) {
            gn_snap_str(b, br->prices[k].category);
            gn_snap_raw(b, br->prices[k].currency, sizeof br->prices[k].currency);
            gn_snap_f64(b, br->prices[k].price);
        }
        gn_snap_u32(b, (uint32_t)br->authorized_only);
        gn_snap_strmap(b, &br->authorized);
    }
    gn_snap_u32(b, st->n_sellers);
    gn_snap_raw(b, st->sellers, st->n_sellers * sizeof *st->sellers);
    for (uint32_t i = 0; i < st->n_sellers; i++)
        gn_snap_ref(b, &st->seller_by_id, st->sellers[i].id);
    gn_snap_u32(b, st->n_listings);
    gn_snap_raw(b, st->listings, st->n_listings * sizeof *st->listings);
    for (uint32_t i = 0; i < st->n_listings; i++)
        gn_snap_ref(b, &st->listing_by_id, st->listings[i].id);
    save_sparse(b, st->rates, GN_CURRENCIES, sizeof *st->rates);
    gn_snap_strmap(b, &st->market.index);
    gn_snap_u32(b, st->market.count);
    gn_snap_raw(b, st->market.histograms, st->market.count * sizeof *st->market.histograms);
    gn_snap_strmap(b, &st->order_listing);
    gn_snap_strmap(b, &st->origin_index);
    gn_snap_u32(b, st->n_origins);
    for (uint32_t i = 0; i < st->n_origins; i++)
        gn_snap_ref(b, &st->origin_index, st->origins[i]);
    gn_snap_u32(b, st->n_tallies);
    gn_snap_raw(b, st->tallies, st->n_tallies * sizeof *st->tallies);
    const gn_activity *a = &st->activity;
    gn_snap_u32(b, a->n_orders);
    gn_snap_raw(b, a->orders, a->n_orders * sizeof *a->orders);
    gn_snap_u32(b, a->n_listing_entries);
    gn_snap_raw(b, a->listings, a->n_listing_entries * sizeof *a->listings);
    gn_snap_u32(b, a->n_records);
    gn_snap_raw(b, a->records, a->n_records * sizeof *a->records);
    gn_snap_u32(b, a->n_seller_slots);
    gn_snap_raw(b, a->seller_slot, a->n_seller_slots * sizeof *a->seller_slot);
    gn_snap_u32(b, a->n_seller_records);
    gn_snap_raw(b, a->sellers, a->n_seller_records * sizeof *a->sellers);
    gn_snap_strmap(b, &a->place_index);
    gn_snap_u32(b, a->n_places);
    gn_snap_raw(b, a->places, a->n_places * sizeof *a->places);
    for (uint32_t i = 0; i < a->n_places; i++)
        gn_snap_ref(b, &a->place_index, a->places[i].name);
    gn_snap_raw(b, a->key, sizeof a->key);
    gn_snap_u32(b, (uint32_t)a->keyed);
}

/* n items of an array, its capacity n (the owner grows it when it needs). */
#define GET_ARRAY(in, arr, n)                                                                      \
    do {                                                                                           \
        (n) = gn_snap_get_count((in), sizeof *(arr));                                              \
        (arr) = gn_snap_get_array((in), (n), sizeof *(arr), (n));                                  \
    } while (0)

static void load_state(gn_snap_in *in, gn_state *st)
{
    gn_snap_get_strmap(in, &st->brand_by_id);
    gn_snap_get_strmap(in, &st->brand_by_name);
    gn_snap_get_strmap(in, &st->seller_by_id);
    gn_snap_get_strmap(in, &st->listing_by_id);
    uint32_t n = gn_snap_get_count(in, 16);
    if (in->bad) return;
    st->brands = n ? gn_xcalloc(n, sizeof *st->brands) : NULL;
    st->cap_brands = n;
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        gn_brand *br = &st->brands[i];
        st->n_brands = i + 1;
        br->id = gn_snap_get_ref(in, &st->brand_by_id, &st->pool);
        br->name = gn_snap_get_str(in, &st->pool);
        uint32_t np = gn_snap_get_count(in, 16);
        br->prices = np ? gn_xcalloc(np, sizeof *br->prices) : NULL;
        for (uint32_t k = 0; k < np && !in->bad; k++) {
            br->prices[k].category = gn_snap_get_str(in, &st->pool);
            gn_snap_get(in, br->prices[k].currency, sizeof br->prices[k].currency);
            br->prices[k].currency[3] = 0;
            br->prices[k].price = gn_snap_get_f64(in);
        }
        br->n_prices = (int)np;
        br->authorized_only = (int)gn_snap_get_u32(in);
        gn_snap_get_strmap(in, &br->authorized);
        gn_snap_check(in, br->id && br->name);
    }
    GET_ARRAY(in, st->sellers, st->n_sellers);
    st->cap_sellers = st->n_sellers;
    for (uint32_t i = 0; i < st->n_sellers; i++)
        if (gn_snap_check(in, (st->sellers[i].id =
                                   gn_snap_get_ref(in, &st->seller_by_id, &st->pool)) != NULL))
            break;
    GET_ARRAY(in, st->listings, st->n_listings);
    st->cap_listings = st->n_listings;
    for (uint32_t i = 0; i < st->n_listings; i++) {
        gn_listing *l = &st->listings[i];
        if (gn_snap_check(in, (l->id = gn_snap_get_ref(in, &st->listing_by_id, &st->pool)) &&
                                  l->seller < st->n_sellers))
            break;
    }
    load_sparse(in, st->rates, GN_CURRENCIES, sizeof *st->rates);
    gn_snap_get_strmap(in, &st->market.index);
    GET_ARRAY(in, st->market.histograms, st->market.count);
    st->market.cap = st->market.count;
    gn_snap_get_strmap(in, &st->order_listing);
    gn_snap_get_strmap(in, &st->origin_index);
    st->n_origins = gn_snap_get_count(in, 4);
    st->cap_origins = st->n_origins;
    st->origins = st->n_origins && !in->bad ? gn_xcalloc(st->n_origins, sizeof *st->origins) : NULL;
    for (uint32_t i = 0; i < st->n_origins && !in->bad; i++)
        st->origins[i] = gn_snap_get_ref(in, &st->origin_index, &st->pool);
    GET_ARRAY(in, st->tallies, st->n_tallies);
    st->cap_tallies = st->n_tallies;
    gn_activity *a = &st->activity;
    GET_ARRAY(in, a->orders, a->n_orders);
    a->cap_orders = a->n_orders;
    GET_ARRAY(in, a->listings, a->n_listing_entries);
    a->cap_listing_entries = a->n_listing_entries;
    GET_ARRAY(in, a->records, a->n_records);
    a->cap_records = a->n_records;
    GET_ARRAY(in, a->seller_slot, a->n_seller_slots);
    a->cap_seller_slots = a->n_seller_slots;
    GET_ARRAY(in, a->sellers, a->n_seller_records);
    a->cap_seller_records = a->n_seller_records;
    gn_snap_get_strmap(in, &a->place_index);
    GET_ARRAY(in, a->places, a->n_places);
    a->cap_places = a->n_places;
    for (uint32_t i = 0; i < a->n_places && !in->bad; i++)
        a->places[i].name = gn_snap_get_ref(in, &a->place_index, &st->pool);
    gn_snap_get(in, a->key, sizeof a->key);
    a->keyed = (int)gn_snap_get_u32(in);
    /* Slots index the records: one past them would be read as one. */
    for (uint32_t i = 0; i < a->n_listing_entries && !in->bad; i++)
        gn_snap_check(in, !a->listings[i].slot || a->listings[i].slot < a->n_records);
    for (uint32_t i = 0; i < a->n_seller_slots && !in->bad; i++)
        gn_snap_check(in, !a->seller_slot[i] || a->seller_slot[i] < a->n_seller_records);
}

/* ------------------------------------------------------------ the lexicon's names */

static void save_lexicon(gn_buf *b, const gn_lexicon *lx)
{
    gn_snap_u32(b, (uint32_t)lx->n_names);
    for (size_t i = 0; i < lx->n_names; i++) {
        gn_snap_u32(b, lx->names[i].brand);
        gn_snap_str(b, lx->names[i].text);
    }
    gn_snap_u32(b, (uint32_t)lx->n_common_added);
    for (size_t i = 0; i < lx->n_common_added; i++)
        gn_snap_str(b, lx->common_added[i]);
}

/* The names are added again, in their order: the lexicon compiles them
 * (Hyperscan) when it is next used, as after a replay. */
static int load_lexicon(gn_snap_in *in, gn_lexicon *lx, gn_error *err)
{
    uint32_t n = gn_snap_get_count(in, 8);
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        uint32_t brand = gn_snap_get_u32(in);
        char *text = gn_snap_get_strdup(in);
        int rc = in->bad || !text ? 0 : gn_lexicon_add_name(lx, brand, text, err);
        free(text);
        if (rc) return rc;
    }
    n = gn_snap_get_count(in, 4);
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        char *word = gn_snap_get_strdup(in);
        int rc = in->bad || !word ? 0 : gn_lexicon_add_common_word(lx, word, err);
        free(word);
        if (rc) return rc;
    }
    return 0;
}

/* ------------------------------------------------------------ hash indexes */

static void save_mih(gn_buf *b, const gn_mih *m)
{
    size_t n = m ? gn_mih_count(m) : 0;
    gn_snap_u32(b, m != NULL);
    gn_snap_u32(b, (uint32_t)n);
    if (!n) return;
    gn_pdq_hash *h = gn_xmalloc(n * sizeof *h);
    uint32_t *p = gn_xmalloc(n * sizeof *p);
    gn_mih_entries(m, h, p);
    gn_snap_raw(b, h, n * sizeof *h);
    gn_snap_raw(b, p, n * sizeof *p);
    free(h);
    free(p);
}

/* An index answers a query with every entry near enough, sorted by
 * distance then payload: the same entries give the same answers however
 * they were added. */
static int load_mih(gn_snap_in *in, gn_mih **m, gn_error *err)
{
    int present = (int)gn_snap_get_u32(in);
    uint32_t n = gn_snap_get_count(in, sizeof(gn_pdq_hash) + 4);
    if (in->bad) return 0;
    if (present && !*m) {
        int rc = gn_mih_new(m, err);
        if (rc) return rc;
    }
    if (!n) return 0;
    if (gn_snap_check(in, *m != NULL)) return 0;
    gn_pdq_hash *h = gn_snap_get_array(in, n, sizeof *h, n);
    uint32_t *p = gn_snap_get_array(in, n, sizeof *p, n);
    int rc = in->bad ? 0 : gn_mih_add_many(*m, h, p, n, err);
    free(h);
    free(p);
    return rc;
}

static void save_refs(gn_buf *b, const gn_strmap *index, const char *const *array, uint32_t n);
static const char **load_refs(gn_snap_in *in, gn_strmap *index, uint32_t *n, uint32_t *cap,
                              gn_pool *pool);

/* ------------------------------------------------------------ the photo bank */

static void save_bank(gn_buf *b, const gn_image_bank *bank)
{
    save_mih(b, bank->index);
    save_mih(b, bank->turned);
    save_mih(b, bank->patches);
    save_mih(b, bank->removed_patches);
    gn_snap_strmap(b, &bank->seen);
    gn_snap_u32(b, bank->count);
    gn_snap_raw(b, bank->items, bank->count * sizeof *bank->items);
    for (uint32_t i = 0; i < bank->count; i++)
        gn_snap_str(b, bank->items[i].label);
    gn_snap_u32(b, bank->n_removed);
    gn_snap_raw(b, bank->removed, bank->n_removed * sizeof *bank->removed);
    /* shared banks: their sources, hashes and the listings' sellers and
     * brands each hash matched (toward its flood quarantine) */
    save_refs(b, &bank->source_by_name, bank->sources, bank->n_sources);
    gn_snap_strmap(b, &bank->shared_by_key);
    gn_snap_u32(b, bank->n_shared);
    gn_snap_raw(b, bank->shared, bank->n_shared * sizeof *bank->shared);
    for (uint32_t i = 0; i < bank->n_shared; i++) {
        const gn_shared_hash *h = &bank->shared[i];
        gn_snap_str(b, h->brand);
        gn_snap_raw(b, h->sellers, h->n_sellers * sizeof *h->sellers);
        gn_snap_raw(b, h->brands, h->n_brands * sizeof *h->brands);
    }
}

static int load_bank(gn_snap_in *in, gn_image_bank *bank, gn_error *err)
{
    int rc = load_mih(in, &bank->index, err);
    if (!rc) rc = load_mih(in, &bank->turned, err);
    if (!rc) rc = load_mih(in, &bank->patches, err);
    if (!rc) rc = load_mih(in, &bank->removed_patches, err);
    if (rc) return rc;
    gn_snap_get_strmap(in, &bank->seen);
    GET_ARRAY(in, bank->items, bank->count);
    bank->cap = bank->count;
    for (uint32_t i = 0; i < bank->count && !in->bad; i++)
        gn_snap_check(in, (bank->items[i].label = gn_snap_get_str(in, &bank->seen.pool)) != NULL);
    GET_ARRAY(in, bank->removed, bank->n_removed);
    bank->cap_removed = bank->n_removed;
    bank->sources = load_refs(in, &bank->source_by_name, &bank->n_sources, &bank->cap_sources,
                              &bank->source_by_name.pool);
    gn_snap_get_strmap(in, &bank->shared_by_key);
    GET_ARRAY(in, bank->shared, bank->n_shared);
    bank->cap_shared = bank->n_shared;
    for (uint32_t i = 0; i < bank->n_shared; i++) {
        gn_shared_hash *h = &bank->shared[i];
        uint32_t n_sellers = h->n_sellers, n_brands = h->n_brands;
        h->brand = NULL;
        h->sellers = h->brands = NULL;
        h->n_sellers = h->n_brands = 0;
        if (in->bad) continue; /* the pointers are cleared for the free that follows */
        h->brand = gn_snap_get_str(in, &bank->shared_by_key.pool);
        h->sellers = gn_snap_get_array(in, n_sellers, sizeof *h->sellers, n_sellers);
        h->brands = gn_snap_get_array(in, n_brands, sizeof *h->brands, n_brands);
        h->n_sellers = h->sellers ? n_sellers : 0;
        h->n_brands = h->brands ? n_brands : 0;
        gn_snap_check(in, h->brand && h->source < bank->n_sources);
    }
    for (uint32_t i = 0; i < bank->count && !in->bad; i++)
        gn_snap_check(in, bank->items[i].kind != GN_BANK_SHARED ||
                              bank->items[i].owner < bank->n_shared);
    return 0;
}

static void save_owners(gn_buf *b, const gn_photo_owners *o)
{
    gn_snap_u64(b, o->slots ? o->mask + 1 : 0);
    gn_snap_u64(b, o->count);
    for (size_t i = 0; o->slots && i <= o->mask; i++) {
        if (!o->slots[i].used) continue;
        gn_snap_u64(b, i);
        gn_snap_raw(b, &o->slots[i], sizeof o->slots[i]);
    }
    save_mih(b, o->near);
}

static int load_owners(gn_snap_in *in, gn_photo_owners *o, gn_error *err)
{
    uint64_t slots = gn_snap_get_u64(in), count = gn_snap_get_u64(in);
    if (gn_snap_check(in, (slots & (slots - 1)) == 0 &&
                              count <= in->left / (8 + sizeof(gn_photo_owner)) &&
                              count * 2 <= slots && (slots <= 1024 || slots <= 4 * count)))
        return 0;
    if (slots) {
        o->slots = gn_xcalloc(slots, sizeof *o->slots);
        o->mask = slots - 1;
    }
    for (uint64_t k = 0; k < count && !in->bad; k++) {
        uint64_t i = gn_snap_get_u64(in);
        if (gn_snap_check(in, i <= o->mask && !o->slots[i].used)) break;
        gn_snap_get(in, &o->slots[i], sizeof o->slots[i]);
        o->slots[i].used = 1;
        o->count++;
    }
    return load_mih(in, &o->near, err);
}

static void save_groups(gn_buf *b, const gn_groups *g)
{
    gn_snap_u32(b, g->count);
    gn_snap_raw(b, g->parent, g->count * sizeof *g->parent);
    gn_snap_raw(b, g->next, g->count * sizeof *g->next);
    gn_snap_raw(b, g->size, g->count * sizeof *g->size);
}

static void load_groups(gn_snap_in *in, gn_groups *g)
{
    uint32_t n = gn_snap_get_count(in, 12);
    g->parent = gn_snap_get_array(in, n, 4, n);
    g->next = gn_snap_get_array(in, n, 4, n);
    g->size = gn_snap_get_array(in, n, 4, n);
    g->count = g->cap = in->bad ? 0 : n;
    for (uint32_t i = 0; i < g->count && !in->bad; i++)
        gn_snap_check(in, g->parent[i] < n && g->next[i] < n);
}

/* ------------------------------------------------------------ workflows */

static void save_workflow(gn_buf *b, const gn_workflow *w)
{
    gn_snap_strmap(b, &w->right_by_id);
    gn_snap_strmap(b, &w->filer_by_id);
    gn_snap_strmap(b, &w->complaint_by_id);
    gn_snap_strmap(b, &w->report_by_id);
    gn_snap_strmap(b, &w->appeal_by_id);
    gn_snap_strmap(b, &w->listing_index);
    gn_snap_strmap(b, &w->seller_index);
    gn_snap_u32(b, w->n_rights);
    gn_snap_raw(b, w->rights, w->n_rights * sizeof *w->rights);
    for (uint32_t i = 0; i < w->n_rights; i++) {
        const gn_right *r = &w->rights[i];
        gn_snap_ref(b, &w->right_by_id, r->id);
        gn_snap_str(b, r->brand_id);
        gn_snap_str(b, r->kind);
        gn_snap_str(b, r->holder);
        gn_snap_str(b, r->number);
    }
    gn_snap_u32(b, w->n_filers);
    gn_snap_raw(b, w->filers, w->n_filers * sizeof *w->filers);
    for (uint32_t i = 0; i < w->n_filers; i++)
        gn_snap_ref(b, &w->filer_by_id, w->filers[i].id);
    gn_snap_u32(b, w->n_complaints);
    gn_snap_raw(b, w->complaints, w->n_complaints * sizeof *w->complaints);
    for (uint32_t i = 0; i < w->n_complaints; i++) {
        const gn_complaint *c = &w->complaints[i];
        gn_snap_ref(b, &w->complaint_by_id, c->id);
        gn_snap_str(b, c->rights_holder);
        gn_snap_str(b, c->right);
    }
    gn_snap_u32(b, w->n_notices);
    gn_snap_raw(b, w->notices, w->n_notices * sizeof *w->notices);
    for (uint32_t i = 0; i < w->n_notices; i++) {
        const gn_notice *n = &w->notices[i];
        gn_snap_str(b, n->listing_id);
        gn_snap_str(b, n->decided_by);
        gn_snap_str(b, n->why);
    }
    gn_snap_u32(b, w->n_reports);
    gn_snap_raw(b, w->reports, w->n_reports * sizeof *w->reports);
    for (uint32_t i = 0; i < w->n_reports; i++) {
        gn_snap_ref(b, &w->report_by_id, w->reports[i].id);
        gn_snap_str(b, w->reports[i].reason);
    }
    gn_snap_u32(b, w->n_appeals);
    gn_snap_raw(b, w->appeals, w->n_appeals * sizeof *w->appeals);
    for (uint32_t i = 0; i < w->n_appeals; i++) {
        const gn_appeal *a = &w->appeals[i];
        gn_snap_ref(b, &w->appeal_by_id, a->id);
        gn_snap_str(b, a->seller);
        gn_snap_str(b, a->target);
        gn_snap_str(b, a->decided_by);
        gn_snap_str(b, a->reviewer);
        gn_snap_str(b, a->statement);
    }
    gn_snap_u32(b, w->n_listings);
    gn_snap_raw(b, w->listings, w->n_listings * sizeof *w->listings);
    for (uint32_t i = 0; i < w->n_listings; i++)
        gn_snap_str(b, w->listings[i].decided_by);
    gn_snap_u32(b, w->n_sellers);
    gn_snap_raw(b, w->sellers, w->n_sellers * sizeof *w->sellers);
    for (uint32_t i = 0; i < w->n_sellers; i++)
        gn_snap_str(b, w->sellers[i].closed_by);
    gn_snap_u32(b, w->n_deadlines);
    gn_snap_raw(b, w->deadlines, w->n_deadlines * sizeof *w->deadlines);
    gn_snap_u64(b, (uint64_t)w->effect_at);
}

static void load_workflow(gn_snap_in *in, gn_workflow *w, const gn_state *st)
{
    gn_snap_get_strmap(in, &w->right_by_id);
    gn_snap_get_strmap(in, &w->filer_by_id);
    gn_snap_get_strmap(in, &w->complaint_by_id);
    gn_snap_get_strmap(in, &w->report_by_id);
    gn_snap_get_strmap(in, &w->appeal_by_id);
    gn_snap_get_strmap(in, &w->listing_index);
    gn_snap_get_strmap(in, &w->seller_index);
    gn_pool *pool = &w->pool;
    GET_ARRAY(in, w->rights, w->n_rights);
    w->cap_rights = w->n_rights;
    for (uint32_t i = 0; i < w->n_rights && !in->bad; i++) {
        gn_right *r = &w->rights[i];
        r->id = gn_snap_get_ref(in, &w->right_by_id, pool);
        r->brand_id = gn_snap_get_str(in, pool);
        r->kind = gn_snap_get_str(in, pool);
        r->holder = gn_snap_get_str(in, pool);
        r->number = gn_snap_get_str(in, pool);
        gn_snap_check(in, r->brand == GN_NONE || r->brand < st->n_brands);
    }
    GET_ARRAY(in, w->filers, w->n_filers);
    w->cap_filers = w->n_filers;
    for (uint32_t i = 0; i < w->n_filers && !in->bad; i++)
        w->filers[i].id = gn_snap_get_ref(in, &w->filer_by_id, pool);
    GET_ARRAY(in, w->complaints, w->n_complaints);
    w->cap_complaints = w->n_complaints;
    for (uint32_t i = 0; i < w->n_complaints && !in->bad; i++) {
        gn_complaint *c = &w->complaints[i];
        c->id = gn_snap_get_ref(in, &w->complaint_by_id, pool);
        c->rights_holder = gn_snap_get_str(in, pool);
        c->right = gn_snap_get_str(in, pool);
    }
    GET_ARRAY(in, w->notices, w->n_notices);
    w->cap_notices = w->n_notices;
    for (uint32_t i = 0; i < w->n_notices && !in->bad; i++) {
        gn_notice *n = &w->notices[i];
        n->listing_id = gn_snap_get_str(in, pool);
        n->decided_by = gn_snap_get_str(in, pool);
        n->why = gn_snap_get_str(in, pool);
        gn_snap_check(in, (n->listing == GN_NONE || n->listing < st->n_listings) &&
                              n->complaint < w->n_complaints);
    }
    GET_ARRAY(in, w->reports, w->n_reports);
    w->cap_reports = w->n_reports;
    for (uint32_t i = 0; i < w->n_reports && !in->bad; i++) {
        w->reports[i].id = gn_snap_get_ref(in, &w->report_by_id, pool);
        w->reports[i].reason = gn_snap_get_str(in, pool);
    }
    GET_ARRAY(in, w->appeals, w->n_appeals);
    w->cap_appeals = w->n_appeals;
    for (uint32_t i = 0; i < w->n_appeals && !in->bad; i++) {
        gn_appeal *a = &w->appeals[i];
        a->id = gn_snap_get_ref(in, &w->appeal_by_id, pool);
        a->seller = gn_snap_get_str(in, pool);
        a->target = gn_snap_get_str(in, pool);
        a->decided_by = gn_snap_get_str(in, pool);
        a->reviewer = gn_snap_get_str(in, pool);
        a->statement = gn_snap_get_str(in, pool);
    }
    GET_ARRAY(in, w->listings, w->n_listings);
    w->cap_listings = w->n_listings;
    for (uint32_t i = 0; i < w->n_listings && !in->bad; i++)
        w->listings[i].decided_by = gn_snap_get_str(in, pool);
    GET_ARRAY(in, w->sellers, w->n_sellers);
    w->cap_sellers = w->n_sellers;
    for (uint32_t i = 0; i < w->n_sellers && !in->bad; i++)
        w->sellers[i].closed_by = gn_snap_get_str(in, pool);
    GET_ARRAY(in, w->deadlines, w->n_deadlines);
    w->cap_deadlines = w->n_deadlines;
    for (uint32_t i = 0; i < w->n_deadlines && !in->bad; i++)
        gn_snap_check(in, w->deadlines[i].notice < w->n_notices);
    w->effect_at = (int64_t)gn_snap_get_u64(in);
}

/* ------------------------------------------------------------ learning */

/* Platform values: name (a key of the learning's names) and value. */
static void save_values(gn_buf *b, const gn_strmap *names, const gn_platform_value *v, uint32_t n)
{
    for (uint32_t i = 0; i < n; i++) {
        gn_snap_ref(b, names, v[i].name);
        gn_snap_raw(b, &v[i].value, sizeof v[i].value);
    }
}

static gn_platform_value *load_values(gn_snap_in *in, gn_learning *l, uint32_t n)
{
    if (!n || gn_snap_check(in, n <= in->left / 8)) return NULL;
    gn_platform_value *v = gn_xcalloc(n, sizeof *v);
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        uint32_t slot = gn_snap_get_u32(in);
        if (gn_snap_check(in, l->names.slots && slot <= l->names.mask && l->names.slots[slot].key))
            break;
        v[i].name = l->names.slots[slot].key;
        gn_snap_get(in, &v[i].value, sizeof v[i].value);
    }
    return v;
}

typedef struct value_owner {
    const gn_platform_value *values;
    uint32_t code; /* 1 + seller, or REPLACED | index in replaced */
    uint32_t n;    /* the most values a snapshot reads of it */
} value_owner;
#define REPLACED 0x80000000u

static int by_pointer(const void *a, const void *b)
{
    const value_owner *x = a, *y = b;
    return x->values < y->values ? -1 : x->values > y->values;
}

static void save_learning(gn_buf *b, const gn_learning *l)
{
    gn_snap_strmap(b, &l->names);
    /* Rows share their seller's values (or values since replaced): which
     * ones, by pointer, and how many of a replaced one any row reads. */
    size_t n_owners = 0;
    value_owner *owners = gn_xcalloc((size_t)l->n_sellers + l->n_replaced + 1, sizeof *owners);
    for (uint32_t s = 0; s < l->n_sellers; s++)
        if (l->seller_signals[s])
            owners[n_owners++] = (value_owner){l->seller_signals[s], 1 + s, l->seller_n[s]};
    for (uint32_t i = 0; i < l->n_replaced; i++)
        if (l->replaced[i]) owners[n_owners++] = (value_owner){l->replaced[i], REPLACED | i, 0};
    qsort(owners, n_owners, sizeof *owners, by_pointer);
    uint32_t *row_owner = gn_xcalloc((size_t)l->n_rows + 1, sizeof *row_owner);
    for (uint32_t r = 0; r < l->n_rows; r++) {
        const gn_snapshot *row = &l->rows[r];
        if (!row->seller_values) continue;
        value_owner key = {row->seller_values, 0, 0};
        value_owner *o = bsearch(&key, owners, n_owners, sizeof *owners, by_pointer);
        row_owner[r] = o ? o->code : 0; /* every pointer is one of them */
        if (o && o->n < row->n_seller) o->n = row->n_seller;
    }
    gn_snap_u32(b, l->n_sellers);
    for (uint32_t s = 0; s < l->n_sellers; s++) {
        uint32_t n = l->seller_signals[s] ? l->seller_n[s] : 0;
        gn_snap_u32(b, l->seller_signals[s] ? 1 : 0);
        gn_snap_u32(b, n);
        save_values(b, &l->names, l->seller_signals[s], n);
    }
    gn_snap_u32(b, l->n_replaced);
    for (uint32_t i = 0; i < l->n_replaced; i++) {
        value_owner key = {l->replaced[i], 0, 0};
        value_owner *o = bsearch(&key, owners, n_owners, sizeof *owners, by_pointer);
        uint32_t n = o ? o->n : 0;
        gn_snap_u32(b, n);
        save_values(b, &l->names, l->replaced[i], n);
    }
    gn_snap_u32(b, l->n_rows);
    gn_snap_raw(b, l->rows, l->n_rows * sizeof *l->rows);
    for (uint32_t r = 0; r < l->n_rows; r++) {
        gn_snap_u32(b, row_owner[r]);
        save_values(b, &l->names, l->rows[r].platform, l->rows[r].n_platform);
    }
    gn_snap_u32(b, l->labelled);
    gn_snap_u32(b, l->label_seq);
    gn_snap_u32(b, (uint32_t)l->version);
    gn_snap_f64(b, l->review_at);
    gn_snap_f64(b, l->block_at);
    free(owners);
    free(row_owner);
}

static int load_learning(gn_snap_in *in, gn_engine *e, gn_error *err)
{
    gn_learning *l = &e->learning;
    gn_snap_get_strmap(in, &l->names);
    uint32_t n = gn_snap_get_count(in, 8);
    if (in->bad) return 0;
    l->seller_signals = n ? gn_xcalloc(n, sizeof *l->seller_signals) : NULL;
    l->seller_n = n ? gn_xcalloc(n, 1) : NULL;
    l->n_sellers = l->cap_sellers = n;
    for (uint32_t s = 0; s < n && !in->bad; s++) {
        int present = (int)gn_snap_get_u32(in);
        uint32_t k = gn_snap_get_u32(in);
        if (gn_snap_check(in, k <= 255 && (present || k == 0))) break;
        l->seller_signals[s] = load_values(in, l, k);
        l->seller_n[s] = (uint8_t)k;
    }
    n = gn_snap_get_count(in, 4);
    if (in->bad) return 0;
    l->replaced = n ? gn_xcalloc(n, sizeof *l->replaced) : NULL;
    l->n_replaced = l->cap_replaced = n;
    for (uint32_t i = 0; i < n && !in->bad; i++) {
        uint32_t k = gn_snap_get_u32(in);
        if (gn_snap_check(in, k <= 255)) break;
        l->replaced[i] = load_values(in, l, k);
    }
    GET_ARRAY(in, l->rows, l->n_rows);
    l->cap_rows = l->n_rows;
    for (uint32_t r = 0; r < l->n_rows; r++) {
        gn_snapshot *row = &l->rows[r];
        row->platform = NULL;
        row->seller_values = NULL;
        if (in->bad) continue; /* the pointers are cleared for the free that follows */
        uint32_t owner = gn_snap_get_u32(in);
        if (owner & REPLACED) {
            uint32_t i = owner & ~REPLACED;
            if (!gn_snap_check(in, i < l->n_replaced)) row->seller_values = l->replaced[i];
        } else if (owner) {
            if (!gn_snap_check(in, owner - 1 < l->n_sellers))
                row->seller_values = l->seller_signals[owner - 1];
        }
        if (!row->seller_values) row->n_seller = 0;
        row->platform = load_values(in, l, row->n_platform);
        if (!row->platform) row->n_platform = 0;
    }
    l->labelled = gn_snap_get_u32(in);
    l->label_seq = gn_snap_get_u32(in);
    int version = (int)gn_snap_get_u32(in);
    double review_at = gn_snap_get_f64(in), block_at = gn_snap_get_f64(in);
    if (in->bad) return 0;
    /* The live model comes from the store, as a replay's model event has it. */
    if (version > 0) return gn_engine_use_model(e, version, review_at, block_at, err);
    l->review_at = review_at;
    l->block_at = block_at;
    return 0;
}

/* ------------------------------------------------------------ dashboard figures */

static void save_figures(gn_buf *b, const gn_figures *f)
{
    gn_snap_u64(b, f->n_days);
    gn_snap_raw(b, f->days, f->n_days * sizeof *f->days);
    gn_snap_u64(b, f->day_slots ? f->day_mask + 1 : 0);
    gn_snap_raw(b, f->day_slots, f->day_slots ? (f->day_mask + 1) * sizeof *f->day_slots : 0);
    gn_snap_u64(b, f->n_counts);
    gn_snap_raw(b, f->counts, f->n_counts * sizeof *f->counts);
    gn_snap_u64(b, f->slots ? f->mask + 1 : 0);
    gn_snap_raw(b, f->slots, f->slots ? (f->mask + 1) * sizeof *f->slots : 0);
    gn_snap_strmap(b, &f->names);
    gn_snap_strmap(b, &f->filters);
    gn_snap_u64(b, f->n_filters);
    for (size_t i = 0; i < f->n_filters; i++)
        gn_snap_str(b, f->filter_names[i]);
    gn_snap_u64(b, f->n_listings);
    gn_snap_raw(b, f->listings, f->n_listings * sizeof *f->listings);
}

/* An open-addressing table of index + 1 (0: empty), its size a power of two. */
static uint32_t *load_slots(gn_snap_in *in, size_t *mask, size_t n_items)
{
    uint64_t size = gn_snap_get_u64(in);
    if (gn_snap_check(in, (size & (size - 1)) == 0 && size <= in->left / 4) || !size) return NULL;
    uint32_t *slots = gn_snap_get_array(in, size, 4, size);
    *mask = size - 1;
    for (uint64_t i = 0; i < size && !in->bad; i++)
        gn_snap_check(in, slots[i] <= n_items);
    return slots;
}

static void load_figures(gn_snap_in *in, gn_figures *f)
{
    uint64_t n = gn_snap_get_u64(in);
    if (gn_snap_check(in, n <= in->left / sizeof *f->days)) return;
    f->days = gn_snap_get_array(in, n, sizeof *f->days, n);
    f->n_days = f->cap_days = n;
    f->day_slots = load_slots(in, &f->day_mask, f->n_days);
    n = gn_snap_get_u64(in);
    if (gn_snap_check(in, n <= in->left / sizeof *f->counts)) return;
    f->counts = gn_snap_get_array(in, n, sizeof *f->counts, n);
    f->n_counts = f->cap_counts = n;
    f->slots = load_slots(in, &f->mask, f->n_counts);
    gn_snap_get_strmap(in, &f->names);
    gn_snap_get_strmap(in, &f->filters);
    n = gn_snap_get_u64(in);
    if (gn_snap_check(in, n <= in->left / 4)) return;
    f->filter_names = n ? gn_xcalloc(n, sizeof *f->filter_names) : NULL;
    f->cap_filters = n;
    for (uint64_t i = 0; i < n && !in->bad; i++) {
        f->filter_names[i] = gn_snap_get_strdup(in);
        f->n_filters = i + 1;
    }
    n = gn_snap_get_u64(in);
    if (gn_snap_check(in, n <= in->left / sizeof *f->listings)) return;
    f->listings = gn_snap_get_array(in, n, sizeof *f->listings, n);
    f->n_listings = in->bad ? 0 : n;
}

/* ------------------------------------------------------------ authenticity codes */

static void save_refs(gn_buf *b, const gn_strmap *index, const char *const *array, uint32_t n)
{
    gn_snap_strmap(b, index);
    gn_snap_u32(b, n);
    for (uint32_t i = 0; i < n; i++)
        gn_snap_ref(b, index, array[i]);
}

static const char **load_refs(gn_snap_in *in, gn_strmap *index, uint32_t *n, uint32_t *cap,
                              gn_pool *pool)
{
    gn_snap_get_strmap(in, index);
    *n = *cap = 0;
    uint32_t count = gn_snap_get_count(in, 4);
    if (in->bad || !count) return NULL;
    const char **a = gn_xcalloc(count, sizeof *a);
    for (uint32_t i = 0; i < count && !in->bad; i++)
        gn_snap_check(in, (a[i] = gn_snap_get_ref(in, index, pool)) != NULL);
    *n = *cap = count;
    return a;
}

/* The codes' key is not written: it stays in its file (docs/codes.md), and
 * a snapshot of a log that logged it reads it from there, as a replay of
 * the log's codes_key event does. */
static void save_codes(gn_buf *b, const gn_engine_codes *c)
{
    gn_snap_u32(b, c != NULL);
    if (!c) return;
    const gn_code_table *t = &c->table;
    gn_snap_u64(b, t->slots ? t->mask + 1 : 0);
    gn_snap_u64(b, t->count);
    gn_snap_raw(b, t->slots, t->slots ? (t->mask + 1) * sizeof *t->slots : 0);
    gn_snap_strmap(b, &t->batch_by_id);
    gn_snap_u32(b, t->n_batches);
    gn_snap_raw(b, t->batches, t->n_batches * sizeof *t->batches);
    for (uint32_t i = 0; i < t->n_batches; i++) {
        gn_snap_ref(b, &t->batch_by_id, t->batches[i].id);
        gn_snap_str(b, t->batches[i].brand);
        gn_snap_str(b, t->batches[i].sku);
    }
    gn_snap_u32(b, (uint32_t)c->key_logged);
    gn_snap_str(b, c->key_logged ? c->key.fingerprint : NULL);
    gn_snap_u32(b, c->n_scans);
    gn_snap_raw(b, c->scans, c->n_scans * sizeof *c->scans);
    gn_snap_strmap(b, &c->scan_of);
    gn_snap_strmap(b, &c->enrolled);
    gn_snap_strmap(b, &c->listing_sku);
    save_refs(b, &c->sku_index, c->skus, c->n_skus);
    gn_snap_strmap(b, &c->brand_owner);
    save_refs(b, &c->owner_index, c->owners, c->n_owners);
    const gn_code_facts *f = &c->facts;
    gn_snap_u32(b, f->n_listing_slots);
    gn_snap_raw(b, f->listing_slot, f->n_listing_slots * sizeof *f->listing_slot);
    gn_snap_u32(b, f->n_items);
    gn_snap_raw(b, f->items, f->n_items * sizeof *f->items);
    for (uint32_t i = 0; i < f->n_items; i++) {
        gn_snap_str(b, f->items[i].other_brand);
        gn_snap_str(b, f->items[i].other_sku);
    }
    gn_snap_u32(b, c->n_order_flags);
    gn_snap_raw(b, c->order_flags, c->n_order_flags);
}

static int load_codes(gn_snap_in *in, gn_engine *e, gn_error *err)
{
    if (!gn_snap_get_u32(in) || in->bad) return 0;
    /* made as the engine makes it on first use (its parameters, scan 0) */
    gn_engine_codes *c = gn_engine_codes_make(e);
    gn_code_table *t = &c->table;
    uint64_t slots = gn_snap_get_u64(in), count = gn_snap_get_u64(in);
    if (gn_snap_check(in, (slots & (slots - 1)) == 0 && count <= slots &&
                              slots <= in->left / sizeof *t->slots))
        return 0;
    if (slots) {
        t->slots = gn_snap_get_array(in, slots, sizeof *t->slots, slots);
        t->mask = slots - 1;
        t->count = count;
    }
    gn_snap_get_strmap(in, &t->batch_by_id);
    GET_ARRAY(in, t->batches, t->n_batches);
    t->cap_batches = t->n_batches;
    for (uint32_t i = 0; i < t->n_batches && !in->bad; i++) {
        gn_code_batch *bt = &t->batches[i];
        bt->id = gn_snap_get_ref(in, &t->batch_by_id, &t->pool);
        bt->brand = gn_snap_get_str(in, &t->pool);
        bt->sku = gn_snap_get_str(in, &t->pool);
        gn_snap_check(in, bt->id && bt->brand && bt->sku);
    }
    int logged = (int)gn_snap_get_u32(in);
    char *fingerprint = gn_snap_get_strdup(in);
    int rc =
        !in->bad && logged && fingerprint ? gn_engine_codes_replay_key(e, fingerprint, err) : 0;
    free(fingerprint);
    if (rc) return rc;
    free(c->scans);
    GET_ARRAY(in, c->scans, c->n_scans);
    c->cap_scans = c->n_scans;
    gn_snap_check(in, c->n_scans >= 1);
    gn_snap_get_strmap(in, &c->scan_of);
    gn_snap_get_strmap(in, &c->enrolled);
    gn_snap_get_strmap(in, &c->listing_sku);
    c->skus = load_refs(in, &c->sku_index, &c->n_skus, &c->cap_skus, &c->pool);
    gn_snap_get_strmap(in, &c->brand_owner);
    c->owners = load_refs(in, &c->owner_index, &c->n_owners, &c->cap_owners, &c->pool);
    gn_code_facts *f = &c->facts;
    f->n_listing_slots = gn_snap_get_count(in, 4);
    f->listing_slot = gn_snap_get_array(in, f->n_listing_slots, 4, f->n_listing_slots);
    GET_ARRAY(in, f->items, f->n_items);
    f->cap_items = f->n_items;
    for (uint32_t i = 0; i < f->n_items && !in->bad; i++) {
        f->items[i].other_brand = gn_snap_get_str(in, &c->pool);
        f->items[i].other_sku = gn_snap_get_str(in, &c->pool);
    }
    for (uint32_t i = 0; i < f->n_listing_slots && !in->bad; i++)
        gn_snap_check(in, f->listing_slot[i] < f->n_items);
    c->n_order_flags = gn_snap_get_count(in, 1);
    c->order_flags = gn_snap_get_array(in, c->n_order_flags, 1, c->n_order_flags);
    if (in->bad) c->n_order_flags = f->n_listing_slots = 0;
    return 0;
}

/* ------------------------------------------------------------ the whole */

/* What a snapshot's reader must share with its writer: this format, this
 * genuine, the layouts written as they are, the configuration and the
 * word lists. */
static void fingerprint(const gn_engine *e, unsigned char out[32])
{
    crypto_generichash_state h;
    crypto_generichash_init(&h, NULL, 0, 32);
    gn_buf b = {0};
    gn_buf_printf(&b, "genuine %s snapshot %d;", gn_version(), SNAP_FORMAT);
    const size_t sizes[] = {
        sizeof(gn_seller),           sizeof(gn_listing),       sizeof(gn_price_histogram),
        sizeof(gn_listing_activity), sizeof(gn_place),         sizeof(gn_banked_image),
        sizeof(gn_photo_owner),      sizeof(gn_right),         sizeof(gn_notice),
        sizeof(gn_complaint),        sizeof(gn_appeal),        sizeof(gn_wf_listing),
        sizeof(gn_snapshot),         sizeof(gn_day_figures),   sizeof(gn_keyed_count),
        sizeof(gn_listing_figures),  sizeof(gn_order),         sizeof(gn_shared_hash),
        sizeof(gn_removed_photo),    sizeof(gn_filer),         sizeof(gn_report),
        sizeof(gn_wf_seller),        sizeof(gn_deadline),      sizeof(gn_listing_entry),
        sizeof(gn_seller_activity),  sizeof(gn_origin_tally),  sizeof(gn_identity_params),
        sizeof(gn_code_scans),       sizeof(gn_code_batch),    sizeof(gn_code_slot),
        sizeof(gn_code_listing),     sizeof(gn_platform_value)};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
        gn_buf_printf(&b, "%zu ", sizes[i]);
    for (int i = 0; i < e->config.count; i++)
        gn_buf_printf(&b, "%s=%.17g;", e->config.entries[i].key, e->config.entries[i].value);
    crypto_generichash_update(&h, (const unsigned char *)b.data, b.len);
    for (int i = 0; i < GN_WORD_LISTS; i++) {
        const char *t = e->word_lists.text[i];
        crypto_generichash_update(&h, (const unsigned char *)(t ? t : "\x01shipped"),
                                  t ? strlen(t) + 1 : 9);
    }
    crypto_generichash_final(&h, out, 32);
    gn_buf_free(&b);
}

enum {
    PART_ENGINE = 1,
    PART_STATE,
    PART_LEXICON,
    PART_WORDS,
    PART_BANK,
    PART_IDENTITY,
    PART_WORKFLOW,
    PART_LEARNING,
    PART_CONTENT,
    PART_TEXTS,
    PART_OWNERS,
    PART_FIGURES,
    PART_CODES,
    PART_END
};

#define WORD_COUNTERS (2u << GN_WORDS_ROW_BITS)
#define WORD_PAIRS ((1u << GN_WORDS_PAIR_BITS) / 64)

/* The hash of the event at log position seq (none: zeros): a snapshot
 * names the log it was taken on, so one copied into another store is not
 * taken for that store's. */
static int last_event(gn_engine *e, int64_t seq, unsigned char out[32], gn_error *err)
{
    memset(out, 0, 32);
    if (seq <= 0) return 0;
    gn_buf body = {0};
    int rc = e->store->ops->event_body(e->store, seq, &body, err);
    if (rc == GN_ENOTFOUND)
        rc = gn_fail(err, GN_EINPUT, "the log has no event at position %lld", (long long)seq);
    if (!rc) crypto_generichash(out, 32, (const unsigned char *)body.data, body.len, NULL, 0);
    gn_buf_free(&body);
    return rc;
}

int gn_engine_snapshot_save(gn_engine *e, int64_t seq, gn_buf *out, gn_error *err)
{
    if (e->rules)
        return gn_fail(err, GN_EINPUT,
                       "a snapshot does not hold the state of Lua rules (--policy): a node "
                       "with rules replays the whole log");
    if (e->codes && e->codes->have_key && !e->codes->key_logged)
        return gn_fail(err, GN_EINPUT, "the codes' key is read but not logged yet");
    if (e->in_batch || e->workflow.effects.count)
        return gn_fail(err, GN_EINPUT, "a snapshot is taken between batches");
    unsigned char last[32];
    int rc = last_event(e, seq, last, err);
    if (rc) return rc;
    gn_buf b = {0};
    tag(&b, PART_ENGINE);
    gn_snap_raw(&b, last, sizeof last);
    gn_snap_u64(&b, e->advances);
    gn_snap_u64(&b, e->generation);
    /* The clock as a replay of the log sets it: the log's (a live engine's
     * also ran on with the wall clock, which a replay does not see). */
    gn_snap_u64(&b, (uint64_t)(e->clock.log_now > 0 ? e->clock.log_now : 0));
    gn_snap_u64(&b, (uint64_t)e->clock.log_now);
    gn_snap_strmap(&b, &e->seen);
    tag(&b, PART_STATE);
    save_state(&b, &e->state);
    tag(&b, PART_LEXICON);
    save_lexicon(&b, e->lexicon);
    tag(&b, PART_WORDS);
    gn_snap_u32(&b, e->words.sellers != NULL);
    if (e->words.sellers) {
        save_sparse(&b, e->words.sellers, WORD_COUNTERS, sizeof *e->words.sellers);
        save_sparse(&b, e->words.pairs, WORD_PAIRS, sizeof *e->words.pairs);
    }
    tag(&b, PART_BANK);
    save_bank(&b, &e->photos);
    tag(&b, PART_IDENTITY);
    gn_identity_save(e->identity, &b);
    tag(&b, PART_WORKFLOW);
    save_workflow(&b, &e->workflow);
    tag(&b, PART_LEARNING);
    save_learning(&b, &e->learning);
    tag(&b, PART_CONTENT);
    save_groups(&b, &e->content);
    tag(&b, PART_TEXTS);
    gn_minhash_index_save(e->texts, &b);
    tag(&b, PART_OWNERS);
    save_owners(&b, &e->photo_owner);
    tag(&b, PART_FIGURES);
    save_figures(&b, &e->figures);
    tag(&b, PART_CODES);
    save_codes(&b, e->codes);
    tag(&b, PART_END);

    unsigned char fp[32], sum[32];
    fingerprint(e, fp);
    crypto_generichash(sum, sizeof sum, (const unsigned char *)b.data, b.len, NULL, 0);
    gn_buf_reset(out);
    uint32_t format = SNAP_FORMAT;
    uint64_t len = b.len;
    gn_snap_raw(out, MAGIC, sizeof MAGIC);
    gn_snap_raw(out, &format, sizeof format);
    gn_snap_raw(out, fp, sizeof fp);
    gn_snap_u64(out, (uint64_t)seq);
    gn_snap_u64(out, len);
    gn_snap_raw(out, sum, sizeof sum);
    gn_snap_raw(out, b.data, b.len);
    gn_buf_free(&b);
    return 0;
}

int gn_engine_snapshot_check(gn_engine *e, const unsigned char *bytes, size_t len, int64_t *seq,
                             gn_error *err)
{
    if (len < HEADER || memcmp(bytes, MAGIC, sizeof MAGIC) != 0)
        return gn_fail(err, GN_EINPUT, "not a genuine snapshot");
    uint32_t format;
    uint64_t at, size;
    memcpy(&format, bytes + 8, 4);
    memcpy(&at, bytes + 44, 8);
    memcpy(&size, bytes + 52, 8);
    if (format != SNAP_FORMAT)
        return gn_fail(err, GN_EINPUT, "a snapshot of format %u, this genuine reads %d", format,
                       SNAP_FORMAT);
    unsigned char fp[32], sum[32];
    fingerprint(e, fp);
    if (memcmp(fp, bytes + 12, 32) != 0)
        return gn_fail(err, GN_EINPUT,
                       "the snapshot was written by another version of genuine or with another "
                       "configuration or word lists");
    if (size != len - HEADER)
        return gn_fail(err, GN_EINPUT, "the snapshot is cut short (%zu of %llu bytes)",
                       len - HEADER, (unsigned long long)size);
    crypto_generichash(sum, sizeof sum, bytes + HEADER, len - HEADER, NULL, 0);
    if (memcmp(sum, bytes + 60, 32) != 0)
        return gn_fail(err, GN_EINPUT, "the snapshot's checksum does not match: it is damaged");
    if (at > (uint64_t)INT64_MAX) return gn_fail(err, GN_EINPUT, "the snapshot's log position");
    *seq = (int64_t)at;
    return 0;
}

int gn_engine_snapshot_load(gn_engine *e, const unsigned char *bytes, size_t len, gn_error *err)
{
    if (len < HEADER) return gn_fail(err, GN_EINPUT, "not a genuine snapshot");
    gn_snap_in in = {bytes + HEADER, len - HEADER, 0};
    int rc = 0;
    if (!get_tag(&in, PART_ENGINE)) {
        unsigned char last[32], mine[32];
        gn_snap_get(&in, last, sizeof last);
        int64_t seq;
        memcpy(&seq, bytes + 44, sizeof seq);
        if ((rc = last_event(e, seq, mine, err))) return rc;
        if (memcmp(last, mine, sizeof last) != 0)
            return gn_fail(err, GN_EINPUT,
                           "the snapshot is of another log (its event at log position %lld is "
                           "not this store's)",
                           (long long)seq);
        e->advances = gn_snap_get_u64(&in);
        e->generation = gn_snap_get_u64(&in);
        e->clock.now = (int64_t)gn_snap_get_u64(&in);
        e->clock.log_now = (int64_t)gn_snap_get_u64(&in);
        gn_snap_get_strmap(&in, &e->seen);
    }
    if (!get_tag(&in, PART_STATE)) load_state(&in, &e->state);
    if (!get_tag(&in, PART_LEXICON)) rc = load_lexicon(&in, e->lexicon, err);
    if (!rc && !get_tag(&in, PART_WORDS)) {
        int present = (int)gn_snap_get_u32(&in);
        if (present && e->words.sellers) {
            load_sparse(&in, e->words.sellers, WORD_COUNTERS, sizeof *e->words.sellers);
            load_sparse(&in, e->words.pairs, WORD_PAIRS, sizeof *e->words.pairs);
        } else {
            gn_snap_check(&in, !present && !e->words.sellers);
        }
    }
    if (!rc && !get_tag(&in, PART_BANK)) rc = load_bank(&in, &e->photos, err);
    if (!rc && !get_tag(&in, PART_IDENTITY)) rc = gn_identity_load(e->identity, &in, err);
    if (!rc && !get_tag(&in, PART_WORKFLOW)) load_workflow(&in, &e->workflow, &e->state);
    if (!rc && !get_tag(&in, PART_LEARNING)) rc = load_learning(&in, e, err);
    if (!rc && !get_tag(&in, PART_CONTENT)) load_groups(&in, &e->content);
    if (!rc && !get_tag(&in, PART_TEXTS)) rc = gn_minhash_index_load(e->texts, &in, err);
    if (!rc && !get_tag(&in, PART_OWNERS)) rc = load_owners(&in, &e->photo_owner, err);
    if (!rc && !get_tag(&in, PART_FIGURES)) load_figures(&in, &e->figures);
    if (!rc && !get_tag(&in, PART_CODES)) rc = load_codes(&in, e, err);
    if (!rc) get_tag(&in, PART_END);
    if (rc) return rc;
    if (in.bad || in.left)
        return gn_fail(err, GN_EINPUT,
                       "the snapshot's contents do not read (%zu bytes from its end)", in.left);
    return 0;
}
