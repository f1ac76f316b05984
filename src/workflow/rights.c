/* The IP registry: rights holders register trademarks, copyrights, patents
 * and designs (each kind with the fields it needs); a platform verdict
 * verifies or rejects them. Only a verified right, valid on the day, backs a
 * complaint (checked in notices.c with gn_right_may_back). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/grow.h"
#include "workflow/workflow.h"

/* What each kind of right must carry beyond the contract's common fields. */
static int check_kind(const gn_event *ev, gn_error *err)
{
    const char *kind = gn_event_str(ev, "kind");
    if (strcmp(kind, "trademark") == 0) {
        if (!gn_event_str(ev, "jurisdiction"))
            return gn_fail(err, GN_EINPUT,
                           "field 'jurisdiction': a trademark names where it is "
                           "registered (e.g. \"EU\", \"US\")");
        if (gn_json_size(gn_event_get(ev, "classes")) == 0)
            return gn_fail(err, GN_EINPUT,
                           "field 'classes': a trademark names its Nice classes (e.g. [\"18\"])");
        if (!gn_event_str(ev, "valid_until"))
            return gn_fail(err, GN_EINPUT,
                           "field 'valid_until': a trademark says until when "
                           "its registration is valid");
    } else if (strcmp(kind, "copyright") == 0) {
        if (!gn_event_str(ev, "work"))
            return gn_fail(err, GN_EINPUT, "field 'work': a copyright names the work it protects");
    } else { /* patent, design */
        if (!gn_event_str(ev, "right_type"))
            return gn_fail(err, GN_EINPUT,
                           "field 'right_type': a %s says its type (e.g. \"utility\", "
                           "\"registered design\")",
                           kind);
        if (!gn_event_str(ev, "valid_until"))
            return gn_fail(err, GN_EINPUT, "field 'valid_until': a %s says when it expires", kind);
    }
    const gn_json *docs = gn_event_get(ev, "documents");
    const gn_json *hashes = gn_event_get(ev, "document_hashes");
    if (hashes && gn_json_size(hashes) != gn_json_size(docs))
        return gn_fail(err, GN_EINPUT,
                       "field 'document_hashes': one SHA-256 per document, in the same order "
                       "(%zu documents, %zu hashes)",
                       gn_json_size(docs), gn_json_size(hashes));
    for (size_t i = 0; i < gn_json_size(hashes); i++) {
        const char *h = gn_json_string(gn_json_at(hashes, i), NULL);
        size_t n = strlen(h);
        if (n != 64 || strspn(h, "0123456789abcdefABCDEF") != n)
            return gn_fail(err, GN_EINPUT,
                           "field 'document_hashes[%zu]': expected a SHA-256 as 64 hex "
                           "characters",
                           i);
    }
    int64_t from, until;
    const char *f = gn_event_str(ev, "valid_from"), *u = gn_event_str(ev, "valid_until");
    if (f && u && gn_time_parse(f, &from) == 0 && gn_time_parse(u, &until) == 0 && until < from)
        return gn_fail(err, GN_EINPUT, "field 'valid_until': before valid_from");
    return 0;
}

int gn_rights_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err)
{
    if (ev->type == GN_EV_IP_RIGHT) {
        /* A right registered again keeps its holder: another holder naming a
         * right's id would take it over, with its verification, and its
         * holder's complaints would be refused. */
        const uint32_t *i = gn_strmap_find(&w->right_by_id, gn_event_str(ev, "right"));
        const char *holder = gn_event_str(ev, "holder");
        if (i && !ev->from_platform && strcmp(w->rights[*i].holder, holder ? holder : "") != 0)
            return gn_fail(err, GN_EINPUT,
                           "field 'right': right '%.256s' is another holder's; a right registered "
                           "again keeps its holder",
                           w->rights[*i].id);
        return check_kind(ev, err);
    }
    const char *right = gn_event_str(ev, "target");
    if (!gn_strmap_find(&w->right_by_id, right))
        return gn_fail(err, GN_EINPUT, "field 'target': no right '%s' is registered", right);
    return 0;
}

static int64_t time_or(const gn_event *ev, const char *field, int64_t missing)
{
    int64_t t;
    const char *text = gn_event_str(ev, field);
    return text && gn_time_parse(text, &t) == 0 ? t : missing;
}

void gn_rights_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq)
{
    if (ev->type == GN_EV_VERDICT) {
        gn_right *r = &w->rights[*gn_strmap_find(&w->right_by_id, gn_event_str(ev, "target"))];
        int verified = strcmp(gn_event_str(ev, "outcome"), "verified") == 0;
        r->state = (uint8_t)(verified ? GN_RIGHT_VERIFIED : GN_RIGHT_REJECTED);
        const char *note = gn_event_str(ev, "note");
        gn_workflow_audit(w, "right", r->id, verified ? "verified" : "rejected",
                          gn_event_str(ev, "reviewer"), 0, "%s %s%s%s", r->kind, r->number,
                          note ? ": " : "", note ? note : "");
        return;
    }
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&w->right_by_id, gn_event_str(ev, "right"), &added, &key);
    if (added) {
        GN_GROW(w->rights, w->n_rights, w->cap_rights);
        *slot = w->n_rights++;
    }
    gn_right *r = &w->rights[*slot];
    r->id = key;
    r->brand_id = gn_workflow_keep(w, gn_event_str(ev, "brand"));
    r->brand = gn_state_find_brand(st, r->brand_id);
    r->kind = gn_workflow_keep(w, gn_event_str(ev, "kind"));
    r->holder = gn_workflow_keep(w, gn_event_str(ev, "holder"));
    r->number = gn_workflow_keep(w, gn_event_str(ev, "number"));
    r->valid_from = time_or(ev, "valid_from", INT64_MIN);
    r->valid_until = time_or(ev, "valid_until", INT64_MAX);
    r->event = seq;
    /* A right registered again (new number, new documents) is checked again. */
    r->state = GN_RIGHT_REGISTERED;
    gn_workflow_audit(w, "right", r->id, added ? "registered" : "registered_again", r->holder, 0,
                      "%s %s for brand %s, %zu document(s); awaits verification", r->kind,
                      r->number, r->brand_id, gn_json_size(gn_event_get(ev, "documents")));
}

int gn_workflow_right_json(const gn_workflow *w, const char *right, gn_buf *out, gn_error *err)
{
    uint32_t *i = gn_strmap_find(&w->right_by_id, right);
    if (!i) return gn_fail(err, GN_ENOTFOUND, "no right '%s'", right);
    const gn_right *r = &w->rights[*i];
    static const char *const states[] = {"registered", "verified", "rejected"};
    gn_buf_puts(out, "{\"right\":");
    gn_buf_json_string(out, r->id);
    gn_buf_puts(out, ",\"kind\":");
    gn_buf_json_string(out, r->kind);
    gn_buf_puts(out, ",\"number\":");
    gn_buf_json_string(out, r->number);
    gn_buf_puts(out, ",\"holder\":");
    gn_buf_json_string(out, r->holder);
    gn_buf_puts(out, ",\"brand\":");
    gn_buf_json_string(out, r->brand_id);
    gn_buf_printf(out, ",\"state\":\"%s\"", states[r->state]);
    char t[32];
    if (r->valid_from != INT64_MIN) {
        gn_time_format(r->valid_from, t, sizeof t);
        gn_buf_printf(out, ",\"valid_from\":\"%s\"", t);
    }
    if (r->valid_until != INT64_MAX) {
        gn_time_format(r->valid_until, t, sizeof t);
        gn_buf_printf(out, ",\"valid_until\":\"%s\"", t);
    }
    gn_buf_puts(out, "}");
    return 0;
}
