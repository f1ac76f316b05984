/* Image signals: a brand's own product photo used by a seller the brand has
 * not authorised (IMAGE_STOLEN_OFFICIAL), and by a listing that does not
 * name the brand it shows (IMAGE_BRAND_UNNAMED), a photo of a listing already
 * blocked or removed as counterfeit coming back (IMAGE_MATCHES_REMOVED), and
 * one another marketplace took down (IMAGE_MATCHES_SHARED_BANK).
 * Either may be rotated or flipped: every form of the listing's photo that
 * genuine has is looked up, within PDQ's match distance. */
#include "detect/detect.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "media/regions.h"

static const char *form_words(int form)
{
    return form == GN_PDQ_ORIGINAL   ? ""
           : form == GN_FORM_TRIMMED ? ", once its border is trimmed"
                                     : ", rotated or flipped";
}

/* The closest brand's photo the seller may not use, and the closest photo of
 * another listing taken down, among the matches of every form of the photo. */
typedef struct best_match {
    int distance; /* -1: none */
    gn_banked_image from;
    int form; /* how the photo matched: its own form, else the bank's */
    int part; /* the listing photo's part that matched (GN_FORM_PART + i), else -1 */
    int span; /* the span of the listing photo's anchored patch that matched, else 0 */
} best_match;

/* "photo 2" or "photo 2, its top-left quarter,": which of the listing's
 * photos matched, and which part of it. */
static void photo_words(char *out, size_t cap, int photo, const best_match *m)
{
    if (m->part >= 0)
        snprintf(out, cap, "photo %d, %s,", photo, gn_listing_part_words[m->part - GN_FORM_PART]);
    else
        snprintf(out, cap, "photo %d", photo);
}

/* Whether the photo's form k is also looked up among the bank's turned
 * forms. A photo's eight forms meet a banked photo's upright form in every
 * orientation, so the turned ones add a second look at each pairing, not a
 * new one: one form, turned a quarter, is enough for that (the eight forms
 * against the bank's eight found the same crops and copies on
 * test_regions' photos, and PDQ's noise is why two looks beat one). A
 * photo known by one hash (a `pdq` as given) has no turns of its own, and
 * the picture without its border none either: those need the bank's. */
static int needs_turned(const gn_listing_image *img, int k)
{
    int kind = img->kind[k];
    if (kind == GN_PDQ_ROTATE_90 || kind == GN_FORM_TRIMMED) return 1;
    if (kind != GN_PDQ_ORIGINAL) return 0;
    for (int i = 0; i < img->n_forms; i++)
        if (img->kind[i] == GN_PDQ_ROTATE_90) return 0;
    return 1;
}

/* A patch's place among the photo's patches (the first are the pairs of
 * its strongest corners). */
static int patch_rank(const gn_listing_image *img, int k)
{
    int rank = 0;
    for (int i = 0; i < k; i++)
        rank += GN_FORM_IS_PATCH(img->kind[i]);
    return rank;
}

int gn_image_bank_lookup(const gn_image_bank *bank, const gn_listing_image *img, int k,
                         gn_mih_results *res)
{
    if (GN_FORM_IS_PATCH(img->kind[k])) {
        int rc = 0;
        if (patch_rank(img, k) < GN_PATCHES_AGAINST_OFFICIAL)
            rc = gn_mih_query(bank->patches, &img->forms[k], GN_PATCH_MATCH_DISTANCE, res, NULL);
        if (!rc)
            rc = gn_mih_query(bank->removed_patches, &img->forms[k],
                              GN_REMOVED_PATCH_MATCH_DISTANCE, res, NULL);
        return rc;
    }
    int rc = gn_mih_query(bank->index, &img->forms[k], GN_PDQ_MATCH_DISTANCE, res, NULL);
    if (!rc && needs_turned(img, k))
        rc = gn_mih_query(bank->turned, &img->forms[k], GN_PDQ_MATCH_DISTANCE, res, NULL);
    return rc;
}

/* A form's matches in the bank (gn_image_bank_lookup), res emptied first. */
static int query_form(const gn_image_bank *bank, const gn_listing_image *img, int k,
                      gn_mih_results *res)
{
    res->count = 0;
    return gn_image_bank_lookup(bank, img, k, res);
}

static void look_up(const gn_image_bank *bank, const gn_listing_image *img, uint32_t listing,
                    const gn_state *st, const char *seller, best_match *stolen,
                    best_match *relisted, best_match *shared, gn_shared_hits *hits,
                    uint8_t *official)
{
    gn_mih_results res = {0};
    *official = 0;
    for (int k = 0; k < img->n_forms; k++) {
        if (GN_FORM_IS_REGION(img->kind[k])) continue; /* banked, not looked up */
        if (query_form(bank, img, k, &res)) break;
        int part = GN_FORM_IS_PART(img->kind[k]) ? img->kind[k] : -1;
        int span = GN_FORM_IS_PATCH(img->kind[k]) ? GN_FORM_SPAN(img->kind[k]) : 0;
        int form = part >= 0 || span ? GN_PDQ_ORIGINAL : img->kind[k];
        for (size_t i = 0; i < res.count; i++) {
            const gn_banked_image *b = &bank->items[res.items[i].payload];
            if (b->kind == GN_BANK_SHARED) {
                const gn_shared_hash *sh = &bank->shared[b->owner];
                if (sh->withdrawn || sh->quarantined) continue;
                if (hits && hits->count < GN_SHARED_HITS_MAX) hits->entry[hits->count++] = b->owner;
                if (shared->distance < 0 || res.items[i].distance < shared->distance) {
                    shared->distance = res.items[i].distance;
                    shared->from = *b;
                    shared->form = form;
                    shared->part = part;
                    shared->span = span;
                }
                continue;
            }
            best_match *m = b->kind == GN_BANK_OFFICIAL ? stolen : relisted;
            if (b->kind == GN_BANK_OFFICIAL) *official = 1; /* authorised or not */
            if (b->kind == GN_BANK_OFFICIAL &&
                gn_brand_is_authorized(&st->brands[b->owner], seller))
                continue;
            if (b->kind == GN_BANK_REMOVED && b->owner == listing)
                continue; /* a listing is not evidence against itself */
            /* One found genuine or put back on appeal is no evidence either:
             * an honest listing wrongly taken down shares its stock photo
             * with many honest shops. */
            if (b->kind == GN_BANK_REMOVED && st->listings[b->owner].cleared) continue;
            /* A match of the whole photo (or a region) says more than one
             * through an anchored patch: it wins whatever the distances. */
            int patchy = span || GN_FORM_IS_PATCH(b->form);
            int m_patchy = m->distance >= 0 && (m->span || GN_FORM_IS_PATCH(m->from.form));
            if (m->distance < 0 || patchy < m_patchy ||
                (patchy == m_patchy && res.items[i].distance < m->distance)) {
                m->distance = res.items[i].distance;
                m->from = *b;
                /* A crop of a region says so (its area); else how the
                 * listing's photo had to be turned or trimmed. */
                m->form = b->form >= GN_FORM_REGION || form == GN_PDQ_ORIGINAL ? b->form : form;
                m->part = part;
                m->span = span;
            }
        }
    }
    gn_mih_results_free(&res);
}

/* A match through an anchored patch: the share of the banked photo's area
 * the listing's photo shows (above 100: it holds it within a larger
 * picture), from the two patches' spans; a patch square matched by the
 * whole photo is that square's share; 0 when no patch took part. */
static int patch_area(const best_match *m)
{
    int bank = GN_FORM_IS_PATCH(m->from.form) ? GN_FORM_SPAN(m->from.form) : 0;
    if (bank && m->span) return gn_patch_area(bank, m->span);
    if (bank) return (bank * bank + 50) / 100;
    if (m->span) return 101;
    return 0;
}

/* Whether text holds name as a word of its own (ASCII letters and digits
 * around it end it; any other byte, CJK included, is a boundary). */
static int holds_word(const char *text, const char *name)
{
    size_t n = strlen(name);
    if (!text || n == 0) return 0;
    for (const char *p = text; (p = strcasestr(p, name)) != NULL; p++) {
        int before = p > text && isalnum((unsigned char)p[-1]);
        int after = isalnum((unsigned char)p[n]);
        if (!before && !after) return 1;
    }
    return 0;
}

/* Whether the listing names the brand, in its claim or its text (misspelt
 * or in look-alike letters counts: that is named, and judged by the text).
 * A brand name this marketplace uses as a word is dropped from the text's
 * mentions (text.c), but beside the brand's own photo it names the brand:
 * "Onyx 真皮手提包" with Onyx's photo is a reseller naming what it sells. */
static int names_brand(const gn_state *st, const gn_listing_facts *f, uint32_t brand)
{
    if (f->claimed_brand == brand || f->named_brand == brand) return 1;
    for (int i = 0; f->text && i < f->text->n_mentions; i++)
        if (f->text->mentions[i].brand == brand) return 1;
    const char *name = st->brands[brand].name;
    return holds_word(f->title, name) || holds_word(f->description, name) ||
           (f->claimed && strcasecmp(f->claimed, name) == 0);
}

/* Strength: an identical photo is certain; one at the edge of the match
 * distance still counts three quarters. */
static double strength(int distance)
{
    return 1.0 - 0.25 * distance / GN_PDQ_MATCH_DISTANCE;
}

void gn_detect_images(const gn_state *st, const gn_image_bank *bank, const gn_listing_facts *f,
                      gn_signals *out, uint8_t *official, gn_shared_hits *hits)
{
    best_match stolen = {.distance = -1, .part = -1}, relisted = {.distance = -1, .part = -1},
               shared = {.distance = -1, .part = -1};
    int stolen_photo = 0, relisted_photo = 0, shared_photo = 0;
    if (hits) hits->count = 0;
    for (int i = 0; i < f->n_images; i++) {
        best_match s = {.distance = -1, .part = -1}, r = {.distance = -1, .part = -1},
                   x = {.distance = -1, .part = -1};
        uint8_t is_official;
        look_up(bank, &f->images[i], f->listing_index, st, f->seller_id, &s, &r, &x, hits,
                &is_official);
        if (x.distance >= 0 && (shared.distance < 0 || x.distance < shared.distance))
            shared = x, shared_photo = i + 1;
        if (official) official[i] = is_official;
        if (s.distance >= 0 && (stolen.distance < 0 || s.distance < stolen.distance))
            stolen = s, stolen_photo = i + 1;
        if (r.distance >= 0 && (relisted.distance < 0 || r.distance < relisted.distance))
            relisted = r, relisted_photo = i + 1;
    }
    char which[96];
    int area;
    if (stolen.distance >= 0 && (area = patch_area(&stolen)) > 0) {
        const char *brand = st->brands[stolen.from.owner].name;
        photo_words(which, sizeof which, stolen_photo, &stolen);
        if (area <= 100)
            gn_signals_add(out, "IMAGE_STOLEN_OFFICIAL", strength(stolen.distance),
                           "%s is a crop of %s's own product photo (%.64s), about %d%% of its "
                           "area (a detail between two of its corners at distance %d), and the "
                           "seller is not authorised by %s",
                           which, brand, stolen.from.label, area, stolen.distance, brand);
        else
            gn_signals_add(out, "IMAGE_STOLEN_OFFICIAL", strength(stolen.distance),
                           "%s holds %s's own product photo (%.64s) within a larger picture (a "
                           "detail between two of its corners at distance %d), and the seller "
                           "is not authorised by %s",
                           which, brand, stolen.from.label, stolen.distance, brand);
    } else if (stolen.distance >= 0 && GN_FORM_IS_REGION(stolen.from.form)) {
        const char *brand = st->brands[stolen.from.owner].name;
        photo_words(which, sizeof which, stolen_photo, &stolen);
        gn_signals_add(out, "IMAGE_STOLEN_OFFICIAL", strength(stolen.distance),
                       "%s is a crop of %s's own product photo (%.64s), %d%% of its area, at "
                       "distance %d, and the seller is not authorised by %s",
                       which, brand, stolen.from.label, stolen.from.form - GN_FORM_REGION,
                       stolen.distance, brand);
    } else if (stolen.distance >= 0) {
        const char *brand = st->brands[stolen.from.owner].name;
        photo_words(which, sizeof which, stolen_photo, &stolen);
        gn_signals_add(out, "IMAGE_STOLEN_OFFICIAL", strength(stolen.distance),
                       "%s is %s's own product photo (%.64s) at distance %d%s, and the "
                       "seller is not authorised by %s",
                       which, brand, stolen.from.label, stolen.distance, form_words(stolen.form),
                       brand);
    }
    /* A reseller names the brand it sells; showing a brand's photo while
     * leaving its name out of the text is how photo-only fakes pass text
     * filters and rights holders' keyword searches. */
    if (stolen.distance >= 0 && !names_brand(st, f, stolen.from.owner)) {
        const char *brand = st->brands[stolen.from.owner].name;
        gn_signals_add(out, "IMAGE_BRAND_UNNAMED", strength(stolen.distance),
                       "photo %d shows %s's own product photo, and the listing does not name %s",
                       stolen_photo, brand, brand);
    }
    if (relisted.distance >= 0 && (area = patch_area(&relisted)) > 0) {
        const gn_listing *l = &st->listings[relisted.from.owner];
        photo_words(which, sizeof which, relisted_photo, &relisted);
        if (area <= 100)
            gn_signals_add(out, "IMAGE_MATCHES_REMOVED", strength(relisted.distance),
                           "%s is a crop of a photo (%.64s) of listing %s, %s as counterfeit, "
                           "about %d%% of its area (a detail between two of its corners at "
                           "distance %d)",
                           which, relisted.from.label, l->id,
                           l->status == GN_REMOVED ? "removed" : "blocked", area,
                           relisted.distance);
        else
            gn_signals_add(out, "IMAGE_MATCHES_REMOVED", strength(relisted.distance),
                           "%s holds a photo (%.64s) of listing %s, %s as counterfeit, within a "
                           "larger picture (a detail between two of its corners at distance %d)",
                           which, relisted.from.label, l->id,
                           l->status == GN_REMOVED ? "removed" : "blocked", relisted.distance);
    } else if (relisted.distance >= 0 && GN_FORM_IS_REGION(relisted.from.form)) {
        const gn_listing *l = &st->listings[relisted.from.owner];
        photo_words(which, sizeof which, relisted_photo, &relisted);
        gn_signals_add(out, "IMAGE_MATCHES_REMOVED", strength(relisted.distance),
                       "%s is a crop of a photo (%.64s) of listing %s, %s as counterfeit, %d%% "
                       "of its area, at distance %d",
                       which, relisted.from.label, l->id,
                       l->status == GN_REMOVED ? "removed" : "blocked",
                       relisted.from.form - GN_FORM_REGION, relisted.distance);
    } else if (relisted.distance >= 0) {
        const gn_listing *l = &st->listings[relisted.from.owner];
        photo_words(which, sizeof which, relisted_photo, &relisted);
        gn_signals_add(out, "IMAGE_MATCHES_REMOVED", strength(relisted.distance),
                       "%s matches a photo (%.64s) of listing %s, %s as counterfeit, at "
                       "distance %d%s",
                       which, relisted.from.label, l->id,
                       l->status == GN_REMOVED ? "removed" : "blocked", relisted.distance,
                       form_words(relisted.form));
    }
    if (shared.distance >= 0) {
        const gn_shared_hash *sh = &bank->shared[shared.from.owner];
        photo_words(which, sizeof which, shared_photo, &shared);
        gn_signals_add(out, "IMAGE_MATCHES_SHARED_BANK", strength(shared.distance),
                       "%s matches a photo that %.64s took down as counterfeit%s%.64s%s, at "
                       "distance %d%s",
                       which, bank->sources[sh->source], sh->brand[0] ? " (brand " : "", sh->brand,
                       sh->brand[0] ? ")" : "", shared.distance, form_words(shared.form));
    }
}

int gn_image_is_official(const gn_image_bank *bank, const gn_listing_image *img)
{
    gn_mih_results res = {0};
    int found = 0;
    for (int k = 0; k < img->n_forms && !found; k++) {
        if (GN_FORM_IS_REGION(img->kind[k])) continue; /* banked, not looked up */
        if (query_form(bank, img, k, &res)) break;
        for (size_t i = 0; i < res.count && !found; i++)
            found = bank->items[res.items[i].payload].kind == GN_BANK_OFFICIAL;
    }
    gn_mih_results_free(&res);
    return found;
}
