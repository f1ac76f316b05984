/* The audit export: every change of a workflow record (the audit table) and
 * every decision that changed a listing, merged in time order, one JSON object
 * per line, so one file answers "who changed what, when, and was it a human". */
#include <stdio.h>
#include <string.h>

#include "core/error.h"
#include "core/json.h"
#include "report/report.h"

static const char *const records[] = {"listing", "complaint", "notice", "right",
                                      "report",  "appeal",    "seller", "filer"};

typedef struct audit_writer {
    FILE *out;
    gn_buf line, detail;
    gn_json_doc doc;
} audit_writer;

static void put_field(gn_buf *b, const char *key, const char *value)
{
    gn_buf_printf(b, ",\"%s\":", key);
    gn_buf_json_string(b, value ? value : "");
}

static int write_change(void *ctx, const gn_change *c)
{
    audit_writer *w = ctx;
    gn_buf *b = &w->line;
    const char *detail = c->detail;
    int automated = c->automated;
    if (strcmp(c->table, "decisions") == 0) {
        /* A listing's reasons become one sentence; the first code says who decided. */
        const gn_json *reasons = gn_json_parse(&w->doc, c->detail, strlen(c->detail), NULL);
        gn_buf_reset(&w->detail);
        for (size_t i = 0; i < gn_json_size(reasons); i++) {
            const gn_json *reason = gn_json_at(reasons, i);
            const char *text = gn_json_str(reason, "detail");
            gn_buf_printf(&w->detail, "%s%s [%s]", i ? "; " : "", text ? text : "",
                          gn_json_str(reason, "code") ? gn_json_str(reason, "code") : "");
        }
        detail = w->detail.len ? w->detail.data : "";
        automated = gn_change_automated(gn_json_str(gn_json_at(reasons, 0), "code"), c->actor);
    }
    gn_buf_reset(b);
    gn_buf_printf(b, "{\"seq\":%lld,\"table\":\"%s\"", (long long)c->seq, c->table);
    put_field(b, "at", c->at);
    put_field(b, "actor", c->actor);
    put_field(b, "record", c->record);
    put_field(b, "record_id", c->record_id);
    put_field(b, "change", c->change);
    put_field(b, "detail", detail);
    put_field(b, "event", c->event);
    gn_buf_printf(b, ",\"automated\":%s}\n", automated ? "true" : "false");
    return fwrite(b->data, 1, b->len, w->out) == b->len ? 0 : GN_ESTORE;
}

int gn_report_audit(const gn_report_src *src, FILE *out, const char *record, const char *record_id,
                    gn_error *err)
{
    if (record_id && !record)
        return gn_fail(err, GN_EINPUT, "record_id: '%s' needs a record kind to look in", record_id);
    if (record) {
        size_t i = 0;
        while (i < sizeof records / sizeof *records && strcmp(record, records[i]) != 0)
            i++;
        if (i == sizeof records / sizeof *records)
            return gn_fail(err, GN_EINPUT,
                           "record: '%s' is not one of listing, complaint, notice, right, "
                           "report, appeal, seller, filer",
                           record);
    }
    audit_writer w = {.out = out};
    gn_json_doc_init(&w.doc);
    int rc = src->store->query->each_change(src->store, record, record_id, write_change, &w, err);
    if (rc == GN_ESTORE && ferror(out))
        rc = gn_fail(err, GN_ESTORE, "writing the audit log failed");
    gn_json_doc_free(&w.doc);
    gn_buf_free(&w.line);
    gn_buf_free(&w.detail);
    return rc;
}
