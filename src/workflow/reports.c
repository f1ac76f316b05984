/* Shoppers' reports of suspected fakes: one step for the shopper, a triage
 * queue for reviewers ordered by the listing's risk and the reporters'
 * records (its reporters' weights add up, each reporter once; a reporter
 * often right weighs more). A verdict on a report settles every open report
 * of its listing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/grow.h"
#include "workflow/workflow.h"

int gn_reports_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err)
{
    if (ev->type == GN_EV_VERDICT) {
        const char *id = gn_event_str(ev, "target");
        uint32_t *r = gn_strmap_find(&w->report_by_id, id);
        if (!r) return gn_fail(err, GN_EINPUT, "field 'target': no report '%s'", id);
        if (w->reports[*r].state != GN_REPORT_OPEN)
            return gn_fail(err, GN_EINPUT, "field 'target': report '%s' was decided already", id);
        return 0;
    }
    const char *listing = gn_event_str(ev, "listing");
    if (!gn_strmap_find(&st->listing_by_id, listing))
        return gn_fail(err, GN_EINPUT, "field 'listing': no listing '%s'", listing);
    if (gn_strmap_find(&w->report_by_id, gn_event_str(ev, "report")))
        return gn_fail(err, GN_EINPUT, "field 'report': report '%s' was filed already",
                       gn_event_str(ev, "report"));
    return gn_workflow_may_file(w, gn_event_str(ev, "reporter"), "reporter", ev->at, err);
}

/* How much a reporter's word counts: its confirmed share, starting at one
 * half (one right and one wrong assumed before its first report). */
static double weight(const gn_filer *f)
{
    return (f->confirmed + 1.0) / (f->confirmed + f->rejected + 2.0);
}

static void file_report(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    const char *key;
    uint32_t *slot = gn_strmap_put(&w->report_by_id, gn_event_str(ev, "report"), NULL, &key);
    GN_GROW(w->reports, w->n_reports, w->cap_reports);
    *slot = w->n_reports++;
    gn_report *r = &w->reports[*slot];
    uint32_t listing = *gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "listing"));
    gn_filer *f = gn_workflow_filer(w, gn_event_str(ev, "reporter"));
    r->id = key;
    r->reason = gn_workflow_keep(w, gn_event_str(ev, "reason"));
    r->listing = listing;
    r->filer = (uint32_t)(f - w->filers);
    r->at = ev->at;
    r->state = GN_REPORT_OPEN;
    gn_workflow_count_filing(w, r->filer, ev->at);
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    r->next_of_listing = wl->reports;
    wl->reports = *slot;
    wl->open_reports++;
    gn_workflow_audit(w, "report", r->id, "filed", f->id, 0, "on listing %s: %s",
                      st->listings[listing].id, r->reason);
    if (f->standing == GN_FILER_TRUSTED && st->listings[listing].status == GN_LIVE)
        gn_workflow_set_listing(w, st, listing, GN_HELD, "review", "REPORT_TRUSTED_REPORTER", -1,
                                f->id, 1,
                                "held for review on a report by %s, a shopper whose reports are "
                                "usually confirmed (%u of %u)",
                                f->id, f->confirmed, f->confirmed + f->rejected);
}

static void decide_reports(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    const gn_report *target =
        &w->reports[*gn_strmap_find(&w->report_by_id, gn_event_str(ev, "target"))];
    uint32_t listing = target->listing;
    int upheld = strcmp(gn_event_str(ev, "outcome"), "upheld") == 0;
    const char *reviewer = gn_workflow_keep(w, gn_event_str(ev, "reviewer"));
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    for (uint32_t i = wl->reports; i != GN_NONE; i = w->reports[i].next_of_listing) {
        gn_report *r = &w->reports[i];
        if (r->state != GN_REPORT_OPEN) continue;
        r->state = (uint8_t)(upheld ? GN_REPORT_UPHELD : GN_REPORT_REJECTED);
        gn_workflow_filer_outcome(w, r->filer, upheld, ev->at);
        gn_workflow_audit(w, "report", r->id, upheld ? "upheld" : "rejected", reviewer, 0,
                          "listing %s found %s", st->listings[listing].id,
                          upheld ? "counterfeit" : "not counterfeit");
    }
    wl = gn_workflow_listing(w, st, listing);
    wl->open_reports = 0;
    if (upheld) {
        gn_workflow_settle_notices(w, st, listing, GN_NONE, 1, ev->at, reviewer);
        if (st->listings[listing].status != GN_REMOVED)
            gn_workflow_set_listing(w, st, listing, GN_REMOVED, "block", "REPORT_UPHELD", 1,
                                    reviewer, 0,
                                    "taken down: a reviewer confirmed shoppers' reports that it "
                                    "is counterfeit");
        gn_workflow_strike(w, st, listing, reviewer, ev->id);
        return;
    }
    /* Held only on the reports: back to what it was. */
    if (wl->holding && gn_workflow_listing_status(w, wl) < 0 &&
        st->listings[listing].status == GN_HELD && wl->before == GN_LIVE) {
        gn_workflow_set_listing(w, st, listing, GN_LIVE, "allow", "REPORT_REJECTED", 0, reviewer, 0,
                                "a reviewer found the shoppers' reports unfounded");
        gn_workflow_listing(w, st, listing)->holding = 0;
    }
}

void gn_reports_apply(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    if (ev->type == GN_EV_REPORT)
        file_report(w, st, ev);
    else
        decide_reports(w, st, ev);
}

typedef struct triage_item {
    uint32_t wl;
    double priority, reporters;
} triage_item;

static int by_priority(const void *a, const void *b)
{
    const triage_item *x = a, *y = b;
    return (x->priority < y->priority) - (x->priority > y->priority);
}

void gn_workflow_reports_json(const gn_workflow *w, const gn_state *st, int limit, gn_buf *out)
{
    triage_item *items = NULL;
    size_t n = 0, cap = 0;
    /* Each reporter weighs once on a listing, however many reports it files:
     * one shopper's thousand reports would otherwise put the listing it
     * targets above every other in the reviewers' queue. counted[f]: the
     * listing (+1) whose sum has filer f already. */
    uint32_t *counted = w->n_filers ? gn_xcalloc(w->n_filers, sizeof *counted) : NULL;
    for (uint32_t i = 0; i < w->n_listings; i++) {
        const gn_wf_listing *wl = &w->listings[i];
        if (!wl->open_reports) continue;
        double sum = 0;
        for (uint32_t r = wl->reports; r != GN_NONE; r = w->reports[r].next_of_listing) {
            uint32_t f = w->reports[r].filer;
            if (w->reports[r].state != GN_REPORT_OPEN || counted[f] == i + 1) continue;
            counted[f] = i + 1;
            sum += weight(&w->filers[f]);
        }
        GN_GROW(items, n, cap);
        uint32_t listing = w->reports[wl->reports].listing;
        items[n++] = (triage_item){i, st->listings[listing].score + sum, sum};
    }
    free(counted);
    if (n) qsort(items, n, sizeof *items, by_priority);
    gn_buf_puts(out, "{\"listings\":[");
    for (size_t k = 0; k < n && (limit <= 0 || (int)k < limit); k++) {
        const gn_wf_listing *wl = &w->listings[items[k].wl];
        uint32_t listing = w->reports[wl->reports].listing;
        const gn_listing *l = &st->listings[listing];
        if (k) gn_buf_puts(out, ",");
        gn_buf_puts(out, "{\"listing\":");
        gn_buf_json_string(out, l->id);
        gn_buf_puts(out, ",\"seller\":");
        gn_buf_json_string(out, st->sellers[l->seller].id);
        gn_buf_printf(out,
                      ",\"status\":\"%s\",\"score\":%.4g,\"reporters_weight\":%.4g,"
                      "\"priority\":%.4g,\"open_reports\":%u,\"reports\":[",
                      gn_listing_status_name(l->status), l->score, items[k].reporters,
                      items[k].priority, wl->open_reports);
        int first = 1;
        for (uint32_t r = wl->reports; r != GN_NONE; r = w->reports[r].next_of_listing) {
            const gn_report *rep = &w->reports[r];
            if (rep->state != GN_REPORT_OPEN) continue;
            const gn_filer *f = &w->filers[rep->filer];
            char at[32];
            gn_time_format(rep->at, at, sizeof at);
            gn_buf_puts(out, first ? "{\"report\":" : ",{\"report\":");
            first = 0;
            gn_buf_json_string(out, rep->id);
            gn_buf_puts(out, ",\"reporter\":");
            gn_buf_json_string(out, f->id);
            gn_buf_puts(out, ",\"reason\":");
            gn_buf_json_string(out, rep->reason);
            gn_buf_printf(out, ",\"at\":\"%s\",\"reporter_weight\":%.3g}", at, weight(f));
        }
        gn_buf_puts(out, "]}");
    }
    gn_buf_puts(out, "]}");
    free(items);
}
