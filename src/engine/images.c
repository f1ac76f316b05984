/* A listing's or a brand's photos as hashes: a `pdq` given as such, or the
 * picture at `path` or `url` decoded and hashed in its eight rotations and
 * flips. What a path or URL gave (hashes or the error) is kept in the store,
 * so a replay neither fetches again nor changes its mind. */
#include "engine/images.h"

#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "media/fetch.h"

static void forms_to_text(const gn_listing_image *img, gn_buf *out)
{
    char hex[GN_PDQ_HEX_LEN + 1];
    for (int k = 0; k < img->n_forms; k++) {
        gn_pdq_format(&img->forms[k], hex);
        if (k) gn_buf_puts(out, ",");
        gn_buf_puts(out, hex);
    }
}

static int forms_from_text(const char *text, gn_listing_image *img)
{
    img->n_forms = 0;
    for (const char *p = text; *p && img->n_forms < GN_PDQ_DIHEDRAL_COUNT;) {
        if (gn_pdq_parse(p, GN_PDQ_HEX_LEN, &img->forms[img->n_forms], NULL)) return -1;
        img->n_forms++;
        p += GN_PDQ_HEX_LEN;
        if (*p == ',') p++;
    }
    return img->n_forms > 0 ? 0 : -1;
}

/* Decodes and hashes the picture behind a path or URL. */
static int compute(gn_engine *e, const char *path, const char *url, gn_listing_image *img,
                   gn_error *why)
{
    gn_image picture = {0};
    int rc;
    if (path) {
        rc = gn_image_load(path, NULL, &picture, why);
    } else {
        gn_fetch_options o = {
            .max_bytes = (size_t)gn_config_get(&e->config, "images.fetch_max_bytes"),
            .timeout_ms = (long)gn_config_get(&e->config, "images.fetch_timeout_ms"),
            .allow_private = gn_config_get(&e->config, "images.fetch_allow_private") != 0};
        unsigned char *data;
        size_t len;
        rc = gn_fetch(url, &o, &data, &len, why);
        if (rc == 0) {
            rc = gn_image_decode(data, len, url, NULL, &picture, why);
            free(data);
        }
    }
    if (rc == 0) {
        int quality;
        rc = gn_pdq_hash_image_dihedral(&picture, img->forms, &quality, why);
        img->n_forms = rc == 0 ? GN_PDQ_DIHEDRAL_COUNT : 0;
    }
    gn_image_free(&picture);
    return rc;
}

int gn_engine_image(gn_engine *e, const gn_json *image, gn_listing_image *img, gn_error *why,
                    gn_error *err)
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
    gn_buf key = {0}, hashes = {0}, error = {0};
    gn_buf_printf(&key, "%s:%s", path ? "path" : "url", path ? path : url);
    int rc = e->store->ops->get_image(e->store, key.data, &hashes, &error, err);
    if (rc == 0) {
        if (error.len)
            rc = gn_fail(why, GN_EINPUT, "%s", error.data);
        else if (forms_from_text(hashes.data, img))
            rc = gn_fail(why, GN_EINPUT, "image %.200s: the stored hashes are unreadable",
                         img->label);
    } else if (rc == GN_ENOTFOUND) {
        rc = compute(e, path, url, img, why);
        gn_buf_reset(&hashes);
        if (rc == 0) forms_to_text(img, &hashes);
        if (!e->replaying) {
            int stored = e->store->ops->put_image(e->store, key.data, hashes.len ? hashes.data : "",
                                                  rc ? why->message : "", err);
            if (stored) rc = stored;
        }
    }
    gn_buf_free(&key);
    gn_buf_free(&hashes);
    gn_buf_free(&error);
    return rc;
}
