/* A listing's or a brand's photos as hashes for the engine: a `pdq` given as
 * such, or what the media layer (src/media/photos.c) made of a `path` or
 * `url` before the event was taken, carried in the event's `media` member.
 * The engine itself never fetches or reads a photo. Events logged before
 * photos were resolved outside the engine find theirs in the store's image
 * cache, so an old log replays to the same decisions. */
#include "engine/images.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "media/regions.h"

static int forms_from_text(const char *text, gn_listing_image *img)
{
    img->n_forms = 0;
    for (const char *p = text; *p && img->n_forms < GN_PDQ_DIHEDRAL_COUNT;) {
        if (gn_pdq_parse(p, GN_PDQ_HEX_LEN, &img->forms[img->n_forms], NULL)) return -1;
        img->kind[img->n_forms] = (uint8_t)img->n_forms;
        img->n_forms++;
        p += GN_PDQ_HEX_LEN;
        if (*p == ',') p++;
    }
    return img->n_forms > 0 ? 0 : -1;
}

static int forms_from_media(const gn_json *resolved, gn_listing_image *img)
{
    const gn_json *forms = gn_json_get(resolved, "pdq");
    img->n_forms = 0;
    size_t n = gn_json_size(forms);
    if (gn_json_typeof(forms) != GN_JSON_ARRAY || n == 0 || n > GN_PDQ_DIHEDRAL_COUNT) return -1;
    for (size_t k = 0; k < n; k++) {
        size_t len;
        const char *hex = gn_json_string(gn_json_at(forms, k), &len);
        if (!hex || gn_pdq_parse(hex, len, &img->forms[k], NULL)) return -1;
        img->kind[k] = (uint8_t)k;
    }
    img->n_forms = (int)n;
    /* A picture too flat for its hash to mean anything (PDQ quality below
     * GN_PDQ_MIN_QUALITY: a plain or gradient background) matches every
     * other flat one: its whole forms, trimmed form and regions are left
     * out; its parts and patches have passed the quality line on their own.
     * Media written before the quality was kept have none and stay whole. */
    const gn_json *quality = gn_json_get(resolved, "quality");
    int flat =
        gn_json_typeof(quality) == GN_JSON_NUMBER && gn_json_number(quality) < GN_PDQ_MIN_QUALITY;
    if (flat) img->n_forms = 0;
    /* The picture without its border, a photo's regions (banked) and a
     * listing photo's parts (looked up) (docs/images.md, "Borders and
     * crops"). */
    size_t len;
    const char *trimmed = gn_json_string(gn_json_get(resolved, "trimmed"), &len);
    if (!flat && trimmed && gn_pdq_parse(trimmed, len, &img->forms[img->n_forms], NULL) == 0)
        img->kind[img->n_forms++] = GN_FORM_TRIMMED;
    const gn_json *regions = flat ? NULL : gn_json_get(resolved, "regions");
    for (size_t r = 0; r < gn_json_size(regions) && img->n_forms < GN_IMAGE_MAX_FORMS; r++) {
        const gn_json *region = gn_json_at(regions, r), *area = gn_json_get(region, "area");
        const char *hex = gn_json_string(gn_json_get(region, "pdq"), &len);
        if (!hex || gn_pdq_parse(hex, len, &img->forms[img->n_forms], NULL) || !area ||
            gn_json_typeof(area) != GN_JSON_NUMBER || !(gn_json_number(area) >= 1) ||
            !(gn_json_number(area) <= 100))
            continue;
        img->kind[img->n_forms++] = (uint8_t)(GN_FORM_REGION + (int)gn_json_number(area));
    }
    const gn_json *parts = gn_json_get(resolved, "parts");
    for (size_t r = 0; r < gn_json_size(parts) && img->n_forms < GN_IMAGE_MAX_FORMS; r++) {
        const gn_json *part = gn_json_at(parts, r), *which = gn_json_get(part, "part");
        const char *hex = gn_json_string(gn_json_get(part, "pdq"), &len);
        if (!hex || gn_pdq_parse(hex, len, &img->forms[img->n_forms], NULL) || !which ||
            gn_json_typeof(which) != GN_JSON_NUMBER || !(gn_json_number(which) >= 0) ||
            !(gn_json_number(which) < GN_PDQ_PARTS))
            continue;
        img->kind[img->n_forms++] = (uint8_t)(GN_FORM_PART + (int)gn_json_number(which));
    }
    /* Anchored patches (banked and looked up), by their span. */
    const gn_json *patches = gn_json_get(resolved, "patches");
    for (size_t r = 0; r < gn_json_size(patches) && img->n_forms < GN_IMAGE_MAX_FORMS; r++) {
        const gn_json *patch = gn_json_at(patches, r), *span = gn_json_get(patch, "span");
        const char *hex = gn_json_string(gn_json_get(patch, "pdq"), &len);
        if (!hex || gn_pdq_parse(hex, len, &img->forms[img->n_forms], NULL) || !span ||
            gn_json_typeof(span) != GN_JSON_NUMBER ||
            !(gn_json_number(span) >= GN_PATCH_SPAN_MIN) ||
            !(gn_json_number(span) <= GN_PATCH_SPAN_MAX))
            continue;
        img->kind[img->n_forms++] =
            (uint8_t)(GN_FORM_PATCH + (int)gn_json_number(span) - GN_PATCH_SPAN_MIN);
    }
    return 0;
}

/* The store's image cache, filled by engines before the media layer: only
 * read, for logs written then. */
static int from_cache(gn_store *store, const char *path, const char *url, gn_listing_image *img,
                      gn_error *why, gn_error *err)
{
    gn_buf key = {0}, hashes = {0}, error = {0};
    gn_buf_printf(&key, "%s:%s", path ? "path" : "url", path ? path : url);
    int rc = store->ops->get_image(store, key.data, &hashes, &error, err);
    if (rc == 0) {
        if (error.len)
            rc = gn_fail(why, GN_EINPUT, "%s", error.data);
        else if (forms_from_text(hashes.data, img))
            rc = gn_fail(why, GN_EINPUT, "image %.200s: the stored hashes are unreadable",
                         img->label);
    } else if (rc == GN_ENOTFOUND) {
        rc = gn_fail(why, GN_EINPUT,
                     "image %.200s: not hashed: photos by url or path are hashed before the "
                     "event is taken (genuine ingest, the HTTP API)",
                     img->label);
    }
    gn_buf_free(&key);
    gn_buf_free(&hashes);
    gn_buf_free(&error);
    return rc;
}

int gn_engine_image(gn_store *store, const gn_json *image, const gn_json *resolved,
                    gn_listing_image *img, gn_error *why, gn_error *err)
{
    memset(img, 0, sizeof *img);
    const char *pdq = gn_json_str(image, "pdq");
    const char *path = gn_json_str(image, "path");
    const char *url = gn_json_str(image, "url");
    img->label = pdq ? pdq : path ? path : url;
    if (pdq) {
        img->n_forms = 1;
        return gn_pdq_parse(pdq, strlen(pdq), &img->forms[0], why) ? GN_EINPUT : 0;
    }
    if (gn_json_typeof(resolved) == GN_JSON_OBJECT) {
        const char *error = gn_json_str(resolved, "error");
        if (error) return gn_fail(why, GN_EINPUT, "%s", error);
        if (forms_from_media(resolved, img))
            return gn_fail(why, GN_EINPUT, "image %.200s: the hashes in 'media' are unreadable",
                           img->label);
        return 0;
    }
    return from_cache(store, path, url, img, why, err);
}
