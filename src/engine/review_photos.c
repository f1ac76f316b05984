/* The review card's photos side by side: each of a listing's photos with the
 * nearest banked photo it matches (a brand's official photo, or a photo of a
 * listing taken down), whose it is and the distance in bits, for the
 * reviewer to look at both (Meta's HMA shows a match the same way). Read
 * under the engine's lock from the listing's latest version and the image
 * bank the image detector itself uses; nothing is written. */
#include "engine/review_photos.h"

#include <string.h>

#include "engine/engine.h"

/* A banked photo's label as the browser may show it: an http(s) address, or
 * a PDQ hash; never a path on the genuine host. */
static void put_photo(gn_buf *b, const char *label)
{
    if (!label) return;
    size_t n = strlen(label);
    int web = strncmp(label, "https://", 8) == 0 || strncmp(label, "http://", 7) == 0;
    int hex = n == GN_PDQ_HEX_LEN && strspn(label, "0123456789abcdefABCDEF") == n;
    if (web || hex) {
        gn_buf_puts(b, web ? ",\"url\":" : ",\"pdq\":");
        gn_buf_json_string(b, label);
    }
}

typedef struct nearest {
    int distance; /* -1: none */
    gn_banked_image from;
} nearest;

/* The nearest official and removed photos to one of the listing's photos,
 * over its whole-photo forms (as given, turned, mirrored, without border). */
static void look_up(const gn_image_bank *bank, const gn_state *st, const gn_listing_image *img,
                    uint32_t listing, nearest out[2])
{
    gn_mih_results res = {0};
    out[0].distance = out[1].distance = -1;
    for (int k = 0; k < img->n_forms; k++) {
        if (GN_FORM_IS_PART(img->kind[k]) || GN_FORM_IS_REGION(img->kind[k]) ||
            GN_FORM_IS_PATCH(img->kind[k]))
            continue;
        res.count = 0;
        if (gn_image_bank_lookup(bank, img, k, &res)) break;
        for (size_t i = 0; i < res.count; i++) {
            const gn_banked_image *b = &bank->items[res.items[i].payload];
            if (b->kind == GN_BANK_SHARED || GN_FORM_IS_PATCH(b->form)) continue;
            if (b->kind == GN_BANK_REMOVED &&
                (b->owner == listing || st->listings[b->owner].cleared))
                continue;
            nearest *m = &out[b->kind == GN_BANK_OFFICIAL ? 0 : 1];
            if (m->distance < 0 || res.items[i].distance < m->distance) {
                m->distance = res.items[i].distance;
                m->from = *b;
            }
        }
    }
    gn_mih_results_free(&res);
}

int gn_engine_photo_matches(gn_engine *e, uint32_t listing, gn_buf *out, gn_error *err)
{
    const gn_state *st = &e->state;
    gn_buf body = {0};
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_event ev;
    int rc = e->store->ops->event_body(e->store, st->listings[listing].event, &body, err);
    int n = 0;
    if (!rc) rc = gn_event_decode(&doc, body.data, body.len, &ev, err);
    if (!rc) {
        size_t at = 0;
        rc = gn_engine_listing_images(e, &ev, gn_event_field(&ev, "images", &at), &n, err);
        gn_buf_reset(&e->notes); /* what could not be checked: the decision said so already */
    }
    gn_buf_puts(out, "[");
    int shown = 0;
    for (int i = 0; i < n; i++) {
        nearest m[2];
        look_up(&e->photos, &e->state, &e->images[i], listing, m);
        for (int kind = 0; kind < 2; kind++) {
            if (m[kind].distance < 0) continue;
            const gn_banked_image *b = &m[kind].from;
            gn_buf_printf(out, "%s{\"photo\":%d", shown++ ? "," : "", i + 1);
            put_photo(out, e->images[i].label); /* the listing's photo as it gave it */
            gn_buf_printf(out, ",\"match\":{\"kind\":\"%s\"", kind == 0 ? "official" : "removed");
            if (kind == 0 && b->owner < st->n_brands) {
                gn_buf_puts(out, ",\"brand\":");
                gn_buf_json_string(out, st->brands[b->owner].name ? st->brands[b->owner].name
                                                                  : st->brands[b->owner].id);
            } else if (kind == 1 && b->owner < st->n_listings) {
                gn_buf_puts(out, ",\"listing\":");
                gn_buf_json_string(out, st->listings[b->owner].id);
            }
            put_photo(out, b->label);
            gn_buf_printf(out, ",\"distance\":%d,\"bits\":256,\"match_distance\":%d}}",
                          m[kind].distance, GN_PDQ_MATCH_DISTANCE);
        }
    }
    gn_buf_puts(out, "]");
    gn_buf_free(&body);
    gn_json_doc_free(&doc);
    return rc == GN_EINPUT ? 0 : rc; /* a version that no longer reads shows no matches */
}
