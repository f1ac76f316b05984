/* Image banks: records beside the index, the index's payload being the
 * record's position. */
#include "detect/image_bank.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

int gn_image_bank_init(gn_image_bank *bank, gn_error *err)
{
    memset(bank, 0, sizeof *bank);
    return gn_mih_new(&bank->index, err);
}

void gn_image_bank_free(gn_image_bank *bank)
{
    gn_mih_free(bank->index);
    free(bank->items);
    gn_strmap_free(&bank->seen);
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
    int rc = gn_mih_add(bank->index, hash, bank->count, err);
    if (rc == 0) bank->count++;
    return rc;
}
