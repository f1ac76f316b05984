/* Image banks: records beside the index, the index's payload being the
 * record's position. */
#include "detect/image_bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "detect/detect.h"

int gn_image_bank_init(gn_image_bank *bank, gn_error *err)
{
    memset(bank, 0, sizeof *bank);
    int rc = gn_mih_new(&bank->index, err);
    if (!rc) rc = gn_mih_new(&bank->turned, err);
    if (!rc) rc = gn_mih_new(&bank->removed_patches, err);
    return rc ? rc : gn_mih_new(&bank->patches, err);
}

void gn_image_bank_free(gn_image_bank *bank)
{
    gn_mih_free(bank->index);
    gn_mih_free(bank->turned);
    gn_mih_free(bank->patches);
    gn_mih_free(bank->removed_patches);
    free(bank->items);
    gn_strmap_free(&bank->seen);
    for (uint32_t i = 0; i < bank->n_shared; i++) {
        free(bank->shared[i].sellers);
        free(bank->shared[i].brands);
    }
    free(bank->shared);
    free(bank->removed);
    free(bank->sources);
    gn_strmap_free(&bank->shared_by_key);
    gn_strmap_free(&bank->source_by_name);
    memset(bank, 0, sizeof *bank);
}

int gn_image_bank_add(gn_image_bank *bank, gn_bank_kind kind, const gn_pdq_hash *hash,
                      uint32_t owner, int form, const char *label, gn_error *err)
{
    char key[100], hex[GN_PDQ_HEX_LEN + 1];
    gn_pdq_format(hash, hex);
    snprintf(key, sizeof key, "%d/%u/%s", (int)kind, owner, hex);
    int added;
    gn_strmap_put(&bank->seen, key, &added, NULL);
    if (!added) return 0;
    if (bank->count == bank->cap) {
        uint32_t cap = bank->cap ? bank->cap * 2 : 256;
        gn_banked_image *items = gn_xrealloc(bank->items, cap * sizeof *items);
        bank->items = items;
        bank->cap = cap;
    }
    gn_banked_image *b = &bank->items[bank->count];
    b->owner = owner;
    b->kind = (uint8_t)kind;
    b->form = (uint8_t)form;
    b->label = gn_pool_strdup(&bank->seen.pool, label, strlen(label));
    /* Patches are only ever compared with patches, and turned forms with
     * few of a photo's forms: in indexes of their own, a photo's other
     * forms are looked up among fewer hashes. The mirror image (left to
     * right, GN_PDQ_FLIP_Y) stays with the upright form: a listing photo's
     * parts are looked up upright only, and a mirrored copy of a brand's
     * photo in a collage is met by it. */
    gn_mih *into = bank->index;
    if (GN_FORM_IS_PATCH(form))
        into = kind == GN_BANK_OFFICIAL ? bank->patches : bank->removed_patches;
    else if (form > GN_PDQ_ORIGINAL && form < GN_PDQ_DIHEDRAL_COUNT && form != GN_PDQ_FLIP_Y)
        into = bank->turned;
    int rc = gn_mih_add(into, hash, bank->count, err);
    if (rc) return rc;
    bank->count++;
    if (kind == GN_BANK_REMOVED && form == GN_PDQ_ORIGINAL) {
        if (bank->n_removed == bank->cap_removed) {
            bank->cap_removed = bank->cap_removed ? bank->cap_removed * 2 : 256;
            bank->removed = gn_xrealloc(bank->removed, bank->cap_removed * sizeof *bank->removed);
        }
        bank->removed[bank->n_removed++] =
            (gn_removed_photo){*hash, bank->clock ? *bank->clock : 0, owner};
    }
    return 0;
}

static uint32_t source_index(gn_image_bank *bank, const char *source)
{
    int added;
    uint32_t *index = gn_strmap_put(&bank->source_by_name, source, &added, NULL);
    if (!added) return *index;
    if (bank->n_sources == bank->cap_sources) {
        bank->cap_sources = bank->cap_sources ? bank->cap_sources * 2 : 8;
        bank->sources = gn_xrealloc(bank->sources, bank->cap_sources * sizeof *bank->sources);
    }
    bank->sources[bank->n_sources] =
        gn_pool_strdup(&bank->source_by_name.pool, source, strlen(source));
    return *index = bank->n_sources++;
}

int gn_image_bank_share(gn_image_bank *bank, const char *source, const gn_pdq_hash *hash,
                        const char *brand, int64_t first_seen, gn_error *err)
{
    char key[GN_PDQ_HEX_LEN + 300], hex[GN_PDQ_HEX_LEN + 1];
    gn_pdq_format(hash, hex);
    snprintf(key, sizeof key, "%s/%s", source, hex);
    int added;
    uint32_t *entry = gn_strmap_put(&bank->shared_by_key, key, &added, NULL);
    if (!brand) brand = "";
    if (!added) {
        gn_shared_hash *s = &bank->shared[*entry];
        s->withdrawn = 0;
        s->first_seen = first_seen;
        if (strcmp(s->brand, brand) != 0)
            s->brand = gn_pool_strdup(&bank->shared_by_key.pool, brand, strlen(brand));
        return 0;
    }
    if (bank->n_shared == bank->cap_shared) {
        bank->cap_shared = bank->cap_shared ? bank->cap_shared * 2 : 256;
        bank->shared = gn_xrealloc(bank->shared, bank->cap_shared * sizeof *bank->shared);
    }
    *entry = bank->n_shared;
    gn_shared_hash *s = &bank->shared[bank->n_shared++];
    memset(s, 0, sizeof *s);
    s->hash = *hash;
    s->source = source_index(bank, source);
    s->first_seen = first_seen;
    s->brand = gn_pool_strdup(&bank->shared_by_key.pool, brand, strlen(brand));
    return gn_image_bank_add(bank, GN_BANK_SHARED, hash, *entry, GN_PDQ_ORIGINAL, hex, err);
}

uint32_t gn_image_bank_withdraw(gn_image_bank *bank, const char *source, const gn_pdq_hash *hash)
{
    uint32_t *src = gn_strmap_find(&bank->source_by_name, source);
    if (!src) return 0;
    uint32_t n = 0;
    if (hash) {
        char key[GN_PDQ_HEX_LEN + 300], hex[GN_PDQ_HEX_LEN + 1];
        gn_pdq_format(hash, hex);
        snprintf(key, sizeof key, "%s/%s", source, hex);
        uint32_t *entry = gn_strmap_find(&bank->shared_by_key, key);
        if (entry && !bank->shared[*entry].withdrawn) bank->shared[*entry].withdrawn = 1, n++;
        return n;
    }
    for (uint32_t i = 0; i < bank->n_shared; i++)
        if (bank->shared[i].source == *src && !bank->shared[i].withdrawn)
            bank->shared[i].withdrawn = 1, n++;
    return n;
}

/* Adds v to a set kept as a short array, up to limit members. */
static void count_distinct(uint32_t **set, uint32_t *n, uint32_t v, uint32_t limit)
{
    for (uint32_t i = 0; i < *n; i++)
        if ((*set)[i] == v) return;
    if (*n >= limit) return;
    *set = gn_xrealloc(*set, (*n + 1) * sizeof **set);
    (*set)[(*n)++] = v;
}

int gn_image_bank_note_match(gn_image_bank *bank, uint32_t entry, uint32_t seller, uint32_t brand,
                             int64_t at)
{
    gn_shared_hash *s = &bank->shared[entry];
    if (s->quarantined || bank->flood_sellers == 0) return 0;
    count_distinct(&s->sellers, &s->n_sellers, seller, bank->flood_sellers);
    count_distinct(&s->brands, &s->n_brands, brand, bank->flood_brands ? bank->flood_brands : 1);
    if (s->n_sellers < bank->flood_sellers || s->n_brands < bank->flood_brands) return 0;
    s->quarantined = 1;
    s->quarantined_at = at;
    return 1;
}
