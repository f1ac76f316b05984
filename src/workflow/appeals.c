/* Appeals: a seller asks for a decision against it to be looked at again —
 * a listing blocked or taken down, or its shop suspended or closed. A
 * reviewer other than the one who decided rules on it; upheld, the decision
 * is reversed (the listing back live, the strike withdrawn, the shop
 * reopened); rejected, it stands. Both are recorded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/grow.h"
#include "workflow/workflow.h"

/* Who made the decision under appeal: "genuine" when nobody did by hand. */
static const char *decided_by(const gn_workflow *w, const gn_state *st, uint32_t listing,
                              const char *seller)
{
    if (listing == GN_NONE) {
        const gn_wf_seller *ws = gn_workflow_seller(w, seller);
        return ws && ws->closed_by ? ws->closed_by : "enforcement";
    }
    const gn_wf_listing *wl = gn_workflow_find_listing(w, st->listings[listing].id);
    return wl && wl->decided_by ? wl->decided_by : "genuine";
}

int gn_appeals_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err)
{
    if (ev->type == GN_EV_VERDICT) {
        const char *id = gn_event_str(ev, "target");
        uint32_t *a = gn_strmap_find(&w->appeal_by_id, id);
        if (!a) return gn_fail(err, GN_EINPUT, "field 'target': no appeal '%s'", id);
        const gn_appeal *ap = &w->appeals[*a];
        if (ap->state != GN_APPEAL_OPEN)
            return gn_fail(err, GN_EINPUT, "field 'target': appeal '%s' was decided already", id);
        if (strcmp(ap->decided_by, gn_event_str(ev, "reviewer")) == 0)
            return gn_fail(err, GN_EINPUT,
                           "field 'reviewer': %s made the decision under appeal; another "
                           "reviewer decides the appeal",
                           ap->decided_by);
        return 0;
    }
    const char *seller = gn_event_str(ev, "seller");
    const char *target = gn_event_str(ev, "target");
    if (gn_strmap_find(&w->appeal_by_id, gn_event_str(ev, "appeal")))
        return gn_fail(err, GN_EINPUT, "field 'appeal': appeal '%s' was filed already",
                       gn_event_str(ev, "appeal"));
    if (strcmp(target, seller) == 0) {
        const gn_wf_seller *ws = gn_workflow_seller(w, seller);
        if (!ws || ws->level < GN_SELLER_SUSPENDED)
            return gn_fail(err, GN_EINPUT,
                           "field 'target': seller '%s' is neither suspended nor closed", seller);
        if (ws->appeal != GN_NONE)
            return gn_fail(err, GN_EINPUT, "field 'target': appeal '%s' on '%s' is still open",
                           w->appeals[ws->appeal].id, seller);
        return 0;
    }
    uint32_t *l = gn_strmap_find(&st->listing_by_id, target);
    /* Another seller's listing answers as a missing one. */
    if (!ev->from_platform && (!l || strcmp(st->sellers[st->listings[*l].seller].id, seller) != 0))
        return gn_fail(err, GN_EINPUT, "field 'target': '%s' has no listing '%s'", seller, target);
    if (!l) return gn_fail(err, GN_EINPUT, "field 'target': no listing or seller '%s'", target);
    const gn_listing *listing = &st->listings[*l];
    if (strcmp(st->sellers[listing->seller].id, seller) != 0)
        return gn_fail(err, GN_EINPUT, "field 'target': listing '%s' is not '%s''s", target,
                       seller);
    if (listing->status != GN_BLOCKED && listing->status != GN_REMOVED)
        return gn_fail(err, GN_EINPUT,
                       "field 'target': listing '%s' is neither blocked nor taken down", target);
    const gn_wf_listing *wl = gn_workflow_find_listing(w, target);
    if (wl && wl->appeal != GN_NONE && w->appeals[wl->appeal].state == GN_APPEAL_OPEN)
        return gn_fail(err, GN_EINPUT, "field 'target': appeal '%s' on '%s' is still open",
                       w->appeals[wl->appeal].id, target);
    return 0;
}

static void file_appeal(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    const char *key;
    uint32_t *slot = gn_strmap_put(&w->appeal_by_id, gn_event_str(ev, "appeal"), NULL, &key);
    GN_GROW(w->appeals, w->n_appeals, w->cap_appeals);
    uint32_t index = *slot = w->n_appeals++;
    gn_appeal *a = &w->appeals[index];
    memset(a, 0, sizeof *a);
    a->id = key;
    a->seller = gn_workflow_keep(w, gn_event_str(ev, "seller"));
    a->target = gn_workflow_keep(w, gn_event_str(ev, "target"));
    a->statement = gn_workflow_keep(w, gn_event_str(ev, "statement"));
    a->at = ev->at;
    a->decided_at = INT64_MIN;
    uint32_t *l =
        strcmp(a->target, a->seller) == 0 ? NULL : gn_strmap_find(&st->listing_by_id, a->target);
    a->listing = l ? *l : GN_NONE;
    a->decided_by = decided_by(w, st, a->listing, a->seller);
    if (l)
        gn_workflow_listing(w, st, *l)->appeal = index;
    else
        gn_workflow_seller_rec(w, a->seller)->appeal = index;
    gn_workflow_audit(w, "appeal", a->id, "filed", a->seller, 0,
                      "against the decision by %s on %s %s", a->decided_by,
                      l ? "listing" : "seller", a->target);
}

/* An upheld appeal on a listing puts it back live and withdraws its strike. */
static void reverse_listing(gn_workflow *w, const gn_state *st, const gn_appeal *a,
                            const char *reviewer)
{
    gn_wf_listing *wl = gn_workflow_listing(w, st, a->listing);
    for (uint32_t n = wl->notices; n != GN_NONE; n = w->notices[n].next_of_listing)
        if (w->notices[n].state == GN_NOTICE_CONFIRMED ||
            w->notices[n].state == GN_NOTICE_TAKEN_DOWN)
            w->notices[n].state = GN_NOTICE_REVERSED;
    const char *seller = st->sellers[st->listings[a->listing].seller].id;
    if (wl->struck) {
        wl->struck = 0;
        gn_wf_seller *ws = gn_workflow_seller_rec(w, seller);
        if (ws->strikes) ws->strikes--;
        gn_workflow_audit(w, "seller", seller, "strike_withdrawn", reviewer, 0,
                          "appeal %s upheld on listing %s; %u strike(s) left", a->id, a->target,
                          ws->strikes);
    }
    gn_workflow_set_listing(w, st, a->listing, GN_LIVE, "allow", "APPEAL_UPHELD", 0, reviewer, 0,
                            "the seller's appeal %s was upheld by a reviewer: the listing is back",
                            a->id);
    wl = gn_workflow_listing(w, st, a->listing);
    wl->holding = 0;
    wl->decided_by = NULL;
}

static void decide_appeal(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    gn_appeal *a = &w->appeals[*gn_strmap_find(&w->appeal_by_id, gn_event_str(ev, "target"))];
    int upheld = strcmp(gn_event_str(ev, "outcome"), "upheld") == 0;
    a->state = (uint8_t)(upheld ? GN_APPEAL_UPHELD : GN_APPEAL_REJECTED);
    a->reviewer = gn_workflow_keep(w, gn_event_str(ev, "reviewer"));
    a->decided_at = ev->at;
    gn_workflow_audit(w, "appeal", a->id, upheld ? "upheld" : "rejected", a->reviewer, 0,
                      upheld ? "the decision on %s is reversed" : "the decision on %s stands",
                      a->target);
    if (a->listing != GN_NONE) {
        gn_workflow_listing(w, st, a->listing)->appeal = GN_NONE;
        if (upheld) reverse_listing(w, st, a, a->reviewer);
        return;
    }
    gn_wf_seller *ws = gn_workflow_seller_rec(w, a->seller);
    ws->appeal = GN_NONE;
    if (!upheld) return;
    int was_closed = ws->level == GN_SELLER_CLOSED;
    ws->level = GN_SELLER_IN_GOOD_STANDING;
    ws->closed_by = NULL;
    gn_workflow_audit(w, "seller", a->seller, "reinstated", a->reviewer, 0,
                      "appeal %s upheld; %u strike(s) on record", a->id, ws->strikes);
    if (was_closed) {
        gn_effect *e = gn_workflow_effect(w, GN_FX_REOPEN);
        e->seller = *gn_strmap_find(&st->seller_by_id, a->seller);
        e->actor = a->reviewer;
    }
}

void gn_appeals_apply(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    if (ev->type == GN_EV_APPEAL)
        file_appeal(w, st, ev);
    else
        decide_appeal(w, st, ev);
}

int gn_workflow_appeal_json(const gn_workflow *w, const char *appeal, gn_buf *out, gn_error *err)
{
    uint32_t *i = gn_strmap_find(&w->appeal_by_id, appeal);
    if (!i) return gn_fail(err, GN_ENOTFOUND, "no appeal '%s'", appeal);
    const gn_appeal *a = &w->appeals[*i];
    static const char *const states[] = {"open", "upheld", "rejected"};
    char t[32];
    gn_buf_puts(out, "{\"appeal\":");
    gn_buf_json_string(out, a->id);
    gn_buf_puts(out, ",\"seller\":");
    gn_buf_json_string(out, a->seller);
    gn_buf_puts(out, ",\"target\":");
    gn_buf_json_string(out, a->target);
    gn_buf_printf(out, ",\"target_kind\":\"%s\",\"state\":\"%s\",\"decided_by\":",
                  a->listing == GN_NONE ? "seller" : "listing", states[a->state]);
    gn_buf_json_string(out, a->decided_by);
    gn_time_format(a->at, t, sizeof t);
    gn_buf_printf(out, ",\"filed_at\":\"%s\"", t);
    if (a->reviewer) {
        gn_buf_puts(out, ",\"reviewer\":");
        gn_buf_json_string(out, a->reviewer);
        gn_time_format(a->decided_at, t, sizeof t);
        gn_buf_printf(out, ",\"decided_at\":\"%s\"", t);
    }
    gn_buf_puts(out, "}");
    return 0;
}
