/* The reads the web console's review and portal screens need beyond the
 * records of their own (docs/console.md): a held listing as a reviewer
 * judges it (what it says, its photos, the notices and reports on it), the
 * open appeals a reviewer may decide, and a seller's own listings. Read from
 * the in-memory state and the listing's latest event in the log. */
#include <jansson.h>
#include <string.h>

#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "report/report.h"

static void put_time(gn_buf *b, const char *key, int64_t t)
{
    char text[32];
    gn_time_format(t, text, sizeof text);
    gn_buf_printf(b, ",\"%s\":\"%s\"", key, text);
}

static void put_str(gn_buf *b, const char *key, const char *value)
{
    if (!value) return;
    gn_buf_printf(b, ",\"%s\":", key);
    gn_buf_json_string(b, value);
}

/* What the listing says in its latest version, the fields a reviewer reads:
 * never `signals` (the platform's observations) nor `media`. A photo by
 * `url` is passed on only as an http(s) address, for the browser to show. */
static void put_listing_text(gn_buf *b, const char *event, size_t len)
{
    json_t *root = json_loadb(event, len, 0, NULL);
    if (!json_is_object(root)) {
        json_decref(root);
        return;
    }
    static const char *const texts[] = {"title",    "description", "currency",  "brand",
                                        "category", "ship_from",   "condition", "sku"};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++)
        put_str(b, texts[i], json_string_value(json_object_get(root, texts[i])));
    json_t *price = json_object_get(root, "price");
    if (json_is_number(price)) gn_buf_printf(b, ",\"price\":%.2f", json_number_value(price));
    json_t *quantity = json_object_get(root, "quantity");
    if (json_is_integer(quantity))
        gn_buf_printf(b, ",\"quantity\":%lld", (long long)json_integer_value(quantity));
    json_t *images = json_object_get(root, "images");
    gn_buf_puts(b, ",\"images\":[");
    size_t i, shown = 0;
    json_t *image;
    json_array_foreach(images, i, image)
    {
        const char *url = json_string_value(json_object_get(image, "url"));
        const char *pdq = json_string_value(json_object_get(image, "pdq"));
        int web = url && (strncmp(url, "https://", 8) == 0 || strncmp(url, "http://", 7) == 0);
        if (!web && !pdq) continue;
        gn_buf_puts(b, shown++ ? ",{" : "{");
        int first = 1;
        if (web) {
            gn_buf_puts(b, "\"url\":");
            gn_buf_json_string(b, url);
            first = 0;
        }
        if (pdq) {
            gn_buf_puts(b, first ? "\"pdq\":" : ",\"pdq\":");
            gn_buf_json_string(b, pdq);
        }
        gn_buf_puts(b, "}");
    }
    gn_buf_puts(b, "]");
    json_decref(root);
}

static const char *const report_states[] = {"open", "upheld", "rejected"};

char *gn_report_review_json(const gn_report_src *src, const char *id, gn_error *err)
{
    const gn_state *st = src->state;
    uint32_t *l = gn_strmap_find(&st->listing_by_id, id);
    if (!l) {
        gn_fail(err, GN_ENOTFOUND, "no listing '%s'", id);
        return NULL;
    }
    const gn_listing *listing = &st->listings[*l];
    gn_buf b = {0}, event = {0};
    gn_buf_puts(&b, "{\"listing\":");
    gn_buf_json_string(&b, listing->id);
    put_str(&b, "seller", st->sellers[listing->seller].id);
    gn_buf_printf(&b, ",\"status\":\"%s\",\"score\":%.4g,\"versions\":%u",
                  gn_listing_status_name(listing->status), listing->score, listing->versions);
    if (src->store->ops->event_body(src->store, listing->event, &event, err) == 0)
        put_listing_text(&b, event.data, event.len);
    gn_buf_free(&event);
    const gn_workflow *w = src->workflow;
    const gn_wf_listing *wl = gn_workflow_find_listing(w, listing->id);
    gn_buf_puts(&b, ",\"notices\":[");
    int first = 1;
    for (uint32_t n = wl ? wl->notices : GN_NONE; n != GN_NONE; n = w->notices[n].next_of_listing) {
        const gn_notice *notice = &w->notices[n];
        const gn_complaint *c = &w->complaints[notice->complaint];
        gn_buf_puts(&b, first ? "{\"complaint\":" : ",{\"complaint\":");
        first = 0;
        gn_buf_json_string(&b, c->id);
        put_str(&b, "rights_holder", c->rights_holder);
        put_str(&b, "right", c->right);
        put_str(&b, "state", gn_notice_state_name(notice->state));
        put_time(&b, "filed_at", c->at);
        put_time(&b, "deadline", c->deadline);
        if (notice->answered_at != INT64_MIN) put_time(&b, "answered_at", notice->answered_at);
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, "],\"reports\":[");
    first = 1;
    for (uint32_t r = wl ? wl->reports : GN_NONE; r != GN_NONE; r = w->reports[r].next_of_listing) {
        const gn_report *report = &w->reports[r];
        gn_buf_puts(&b, first ? "{\"report\":" : ",{\"report\":");
        first = 0;
        gn_buf_json_string(&b, report->id);
        put_str(&b, "reporter", w->filers[report->filer].id);
        put_str(&b, "reason", report->reason);
        put_str(&b, "state", report_states[report->state]);
        put_time(&b, "at", report->at);
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, "]");
    if (wl && wl->appeal != GN_NONE) put_str(&b, "appeal", w->appeals[wl->appeal].id);
    if (wl && wl->decided_by) put_str(&b, "decided_by", wl->decided_by);
    gn_buf_puts(&b, "}");
    return gn_buf_take(&b);
}

char *gn_report_open_appeals_json(const gn_report_src *src, const char *not_decided_by, int limit,
                                  gn_error *err)
{
    const gn_workflow *w = src->workflow;
    gn_buf b = {0};
    gn_buf_puts(&b, "{\"appeals\":[");
    int shown = 0;
    /* oldest first: appeals are kept in the order they were filed */
    for (uint32_t i = 0; i < w->n_appeals && shown < limit; i++) {
        const gn_appeal *a = &w->appeals[i];
        if (a->state != GN_APPEAL_OPEN) continue;
        /* never offered to the reviewer who made the decision under appeal */
        if (not_decided_by && a->decided_by && strcmp(a->decided_by, not_decided_by) == 0) continue;
        gn_buf_puts(&b, shown++ ? ",{\"appeal\":" : "{\"appeal\":");
        gn_buf_json_string(&b, a->id);
        put_str(&b, "seller", a->seller);
        put_str(&b, "target", a->target);
        gn_buf_printf(&b, ",\"target_kind\":\"%s\"", a->listing == GN_NONE ? "seller" : "listing");
        put_str(&b, "decided_by", a->decided_by);
        put_str(&b, "statement", a->statement);
        put_time(&b, "filed_at", a->at);
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, "]}");
    (void)err;
    return gn_buf_take(&b);
}

char *gn_report_seller_listings_json(const gn_report_src *src, const char *seller, int limit,
                                     gn_error *err)
{
    const gn_state *st = src->state;
    uint32_t *s = gn_strmap_find(&st->seller_by_id, seller);
    if (!s) {
        gn_fail(err, GN_ENOTFOUND, "no seller '%s'", seller);
        return NULL;
    }
    gn_buf b = {0}, event = {0};
    gn_buf_puts(&b, "{\"seller\":");
    gn_buf_json_string(&b, seller);
    gn_buf_puts(&b, ",\"listings\":[");
    int shown = 0;
    /* newest first, along the seller's chain of listings */
    for (uint32_t l = st->sellers[*s].last_listing; l != GN_NONE && shown < limit;
         l = st->listings[l].previous_of_seller) {
        const gn_listing *listing = &st->listings[l];
        gn_buf_puts(&b, shown++ ? ",{\"listing\":" : "{\"listing\":");
        gn_buf_json_string(&b, listing->id);
        gn_buf_printf(&b, ",\"status\":\"%s\",\"score\":%.4g",
                      gn_listing_status_name(listing->status), listing->score);
        gn_buf_reset(&event);
        if (src->store->ops->event_body(src->store, listing->event, &event, err) == 0) {
            json_t *root = json_loadb(event.data, event.len, 0, NULL);
            put_str(&b, "title", json_string_value(json_object_get(root, "title")));
            json_decref(root);
        }
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, "]}");
    gn_buf_free(&event);
    return gn_buf_take(&b);
}
