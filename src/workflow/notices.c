/* Complaints and their notices. A complaint names a right and listings; each
 * listing the right covers gets a notice and its seller a window to answer
 * (workflow.notice_days). Unanswered by the deadline, the listing is taken
 * down; answered in time (a counter-notice), a reviewer decides. A trusted
 * filer's notice takes the listing down at once, the window still running. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/grow.h"
#include "workflow/workflow.h"

const char *gn_notice_state_name(int state)
{
    static const char *const names[GN_NOTICE_STATE_COUNT] = {
        "noticed", "taken_down", "contested",       "confirmed",       "rejected",
        "settled", "reversed",   "unknown_listing", "already_removed", "not_covered"};
    return state >= 0 && state < GN_NOTICE_STATE_COUNT ? names[state] : "unknown";
}

/* ---- the deadlines: a binary min-heap ---- */

static void heap_push(gn_workflow *w, int64_t at, uint32_t notice)
{
    GN_GROW(w->deadlines, w->n_deadlines, w->cap_deadlines);
    uint32_t i = w->n_deadlines++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (w->deadlines[parent].at <= at) break;
        w->deadlines[i] = w->deadlines[parent];
        i = parent;
    }
    w->deadlines[i] = (gn_deadline){at, notice};
}

static gn_deadline heap_pop(gn_workflow *w)
{
    gn_deadline top = w->deadlines[0];
    gn_deadline last = w->deadlines[--w->n_deadlines];
    uint32_t i = 0, n = w->n_deadlines;
    for (;;) {
        uint32_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && w->deadlines[child + 1].at < w->deadlines[child].at) child++;
        if (last.at <= w->deadlines[child].at) break;
        w->deadlines[i] = w->deadlines[child];
        i = child;
    }
    if (n) w->deadlines[i] = last;
    return top;
}

int64_t gn_workflow_next_deadline(const gn_workflow *w)
{
    return w->n_deadlines ? w->deadlines[0].at : INT64_MAX;
}

/* ---- checks ---- */

static const gn_complaint *find_complaint(const gn_workflow *w, const char *id)
{
    uint32_t *i = gn_strmap_find(&w->complaint_by_id, id);
    return i ? &w->complaints[*i] : NULL;
}

static const gn_notice *find_notice(const gn_workflow *w, const gn_complaint *c,
                                    const char *listing)
{
    for (uint32_t i = 0; i < c->n_notices; i++)
        if (strcmp(w->notices[c->first_notice + i].listing_id, listing) == 0)
            return &w->notices[c->first_notice + i];
    return NULL;
}

static int check_complaint(const gn_workflow *w, const gn_event *ev, gn_error *err)
{
    const char *holder = gn_event_str(ev, "rights_holder");
    const char *id = gn_event_str(ev, "right");
    if (gn_strmap_find(&w->complaint_by_id, gn_event_str(ev, "complaint")))
        return gn_fail(err, GN_EINPUT, "field 'complaint': complaint '%s' was filed already",
                       gn_event_str(ev, "complaint"));
    uint32_t *i = gn_strmap_find(&w->right_by_id, id);
    /* A rights holder learns nothing of rights that are not its own: another
     * holder's answers as a missing one, without naming that holder. */
    if (!ev->from_platform && (!i || strcmp(w->rights[*i].holder, holder) != 0))
        return gn_fail(err, GN_EINPUT, "field 'right': no right '%s' held by '%s' is registered",
                       id, holder);
    if (!i) return gn_fail(err, GN_EINPUT, "field 'right': no right '%s' is registered", id);
    const gn_right *r = &w->rights[*i];
    if (strcmp(r->holder, holder) != 0)
        return gn_fail(err, GN_EINPUT, "field 'right': right '%s' is held by '%s', not by '%s'", id,
                       r->holder, holder);
    if (r->state == GN_RIGHT_REJECTED)
        return gn_fail(err, GN_EINPUT, "field 'right': right '%s' was rejected by the platform",
                       id);
    if (r->state != GN_RIGHT_VERIFIED)
        return gn_fail(err, GN_EINPUT,
                       "field 'right': right '%s' is not verified yet: the platform checks its "
                       "documents before it can back a complaint",
                       id);
    char t[32];
    if (ev->at > r->valid_until) {
        gn_time_format(r->valid_until, t, sizeof t);
        return gn_fail(err, GN_EINPUT, "field 'right': right '%s' expired on %s", id, t);
    }
    if (ev->at < r->valid_from) {
        gn_time_format(r->valid_from, t, sizeof t);
        return gn_fail(err, GN_EINPUT, "field 'right': right '%s' is valid only from %s", id, t);
    }
    return gn_workflow_may_file(w, holder, "rights_holder", ev->at, err);
}

static int check_counter_notice(const gn_workflow *w, const gn_state *st, const gn_event *ev,
                                gn_error *err)
{
    const char *id = gn_event_str(ev, "complaint");
    const char *listing = gn_event_str(ev, "listing");
    const char *seller = gn_event_str(ev, "seller");
    const gn_complaint *c = find_complaint(w, id);
    /* A seller learns nothing of complaints and notices that are not its
     * own: a missing complaint, a listing it does not name and another
     * seller's listing answer alike. */
    const gn_notice *mine = c ? find_notice(w, c, listing) : NULL;
    if (!ev->from_platform &&
        !(mine && mine->listing != GN_NONE &&
          strcmp(st->sellers[st->listings[mine->listing].seller].id, seller) == 0))
        return gn_fail(err, GN_EINPUT,
                       "field 'listing': complaint '%s' gave '%s' no notice on '%s'", id, seller,
                       listing);
    if (!c) return gn_fail(err, GN_EINPUT, "field 'complaint': no complaint '%s'", id);
    const gn_notice *n = find_notice(w, c, listing);
    if (!n || n->listing == GN_NONE)
        return gn_fail(err, GN_EINPUT, "field 'listing': complaint '%s' gave no notice on '%s'", id,
                       listing);
    if (strcmp(st->sellers[st->listings[n->listing].seller].id, seller) != 0)
        return gn_fail(err, GN_EINPUT, "field 'seller': listing '%s' is not '%s''s", listing,
                       seller);
    if (ev->at > c->deadline) {
        char t[32];
        gn_time_format(c->deadline, t, sizeof t);
        return gn_fail(err, GN_EINPUT, "field 'at': the window to answer closed at %s", t);
    }
    if (n->state != GN_NOTICE_OPEN && n->state != GN_NOTICE_TAKEN_DOWN)
        return gn_fail(err, GN_EINPUT, "field 'listing': the notice on '%s' is %s, not open",
                       listing, gn_notice_state_name(n->state));
    return 0;
}

static int check_verdict(const gn_workflow *w, const gn_event *ev, gn_error *err)
{
    const char *id = gn_event_str(ev, "target");
    const gn_complaint *c = find_complaint(w, id);
    if (!c) return gn_fail(err, GN_EINPUT, "field 'target': no complaint '%s'", id);
    for (uint32_t i = 0; i < c->n_notices; i++)
        if (w->notices[c->first_notice + i].state == GN_NOTICE_CONTESTED) return 0;
    return gn_fail(err, GN_EINPUT,
                   "field 'target': complaint '%s' has no contested listing awaiting review", id);
}

int gn_notices_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err)
{
    if (ev->type == GN_EV_COMPLAINT) return check_complaint(w, ev, err);
    if (ev->type == GN_EV_COUNTER_NOTICE) return check_counter_notice(w, st, ev, err);
    return check_verdict(w, ev, err);
}

/* ---- filing ---- */

/* Whether the right can cover what the listing is about: COVERED, or
 * COVERED_UNNAMED (a trademark on a listing whose text names no brand at all:
 * leaving the name out of the text and showing it in the photos is a common
 * tactic, so the notice is served as any other, with a hint in why), or
 * NOT_COVERED (why says why): the listing claims or names only another
 * brand. Other kinds cover any listing not tied only to another brand (a
 * design copied without the name is still a copy). */
enum { NOT_COVERED, COVERED, COVERED_UNNAMED };

static int covers(const gn_right *r, const gn_listing *l, const gn_state *st, char *why,
                  size_t size)
{
    uint32_t a = l->brands[0], b = l->brands[1];
    if (r->brand != GN_NONE && (a == r->brand || b == r->brand)) return COVERED;
    if (a == GN_NONE && b == GN_NONE) {
        if (strcmp(r->kind, "trademark") != 0) return COVERED;
        snprintf(why, size,
                 "the listing's text does not name %s: served as any other notice, for the seller "
                 "to answer (the brand may be in the photos only)",
                 r->brand_id);
        return COVERED_UNNAMED;
    }
    snprintf(why, size, "the listing is about %s; right %s covers %s",
             st->brands[a != GN_NONE ? a : b].id, r->id, r->brand_id);
    return NOT_COVERED;
}

static void open_notice(gn_workflow *w, const gn_state *st, uint32_t ni, const gn_complaint *c)
{
    gn_notice *n = &w->notices[ni];
    const gn_listing *l = &st->listings[n->listing];
    const gn_right *r = &w->rights[*gn_strmap_find(&w->right_by_id, c->right)];
    char rid[2 * GN_ID_MAX + 2], why[300], deadline[32];
    gn_notice_record_id(w, n, rid, sizeof rid);
    if (l->status == GN_REMOVED) {
        n->state = GN_NOTICE_ALREADY_REMOVED;
        n->why = "the listing was already taken down";
    } else if (l->status == GN_BLOCKED) {
        n->state = GN_NOTICE_ALREADY_REMOVED;
        n->why = "the listing is blocked and was never shown";
    } else {
        int cover = covers(r, l, st, why, sizeof why);
        if (cover == NOT_COVERED) n->state = GN_NOTICE_NOT_COVERED;
        if (cover != COVERED) n->why = gn_workflow_keep(w, why);
    }
    if (n->state != GN_NOTICE_OPEN) {
        gn_workflow_audit(w, "notice", rid, gn_notice_state_name(n->state), c->rights_holder, 1,
                          "%s", n->why);
        return;
    }
    gn_wf_listing *wl = gn_workflow_listing(w, st, n->listing);
    n->next_of_listing = wl->notices;
    wl->notices = ni;
    heap_push(w, c->deadline, ni);
    gn_time_format(c->deadline, deadline, sizeof deadline);
    /* The hint travels with the notice: to the seller and the reviewer too. */
    char unnamed[GN_ID_MAX + 40] = "";
    if (n->why) snprintf(unnamed, sizeof unnamed, " (its text does not name %s)", r->brand_id);
    if (c->trusted) {
        n->state = GN_NOTICE_TAKEN_DOWN;
        gn_workflow_set_listing(w, st, n->listing, GN_REMOVED, "block", "COMPLAINT_TRUSTED_FLAGGER",
                                -1, c->rights_holder, 1,
                                "taken down at once on a complaint by %s, a trusted rights holder, "
                                "under %s %s%s; the seller may answer until %s",
                                c->rights_holder, r->kind, r->number, unnamed, deadline);
    } else {
        gn_workflow_set_listing(w, st, n->listing, GN_NOTICED, "review", "COMPLAINT_NOTICE", -1,
                                c->rights_holder, 1,
                                "%s complains that this listing%s infringes its %s %s; the "
                                "seller may answer until %s, or the listing is taken down",
                                c->rights_holder, unnamed, r->kind, r->number, deadline);
    }
    gn_workflow_audit(w, "notice", rid, "opened", c->rights_holder, 0, "answer by %s%s%s%s",
                      deadline, c->trusted ? "; taken down at once (trusted filer)" : "",
                      n->why ? "; " : "", n->why ? n->why : "");
}

static void apply_complaint(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq)
{
    const char *key;
    uint32_t *slot = gn_strmap_put(&w->complaint_by_id, gn_event_str(ev, "complaint"), NULL, &key);
    GN_GROW(w->complaints, w->n_complaints, w->cap_complaints);
    *slot = w->n_complaints++;
    gn_complaint *c = &w->complaints[*slot];
    memset(c, 0, sizeof *c);
    c->id = key;
    const char *holder = gn_event_str(ev, "rights_holder");
    gn_filer *f = gn_workflow_filer(w, holder);
    c->filer = (uint32_t)(f - w->filers);
    c->rights_holder = f->id;
    const char *right = gn_event_str(ev, "right");
    c->right = w->rights[*gn_strmap_find(&w->right_by_id, right)].id;
    c->at = ev->at;
    c->deadline = ev->at + w->params.notice_ms;
    c->event = seq;
    c->trusted = f->standing == GN_FILER_TRUSTED;
    gn_workflow_count_filing(w, c->filer, ev->at);
    const gn_json *listings = gn_event_get(ev, "listings");
    c->first_notice = w->n_notices;
    uint32_t complaint = *slot;
    for (size_t i = 0; i < gn_json_size(listings); i++) {
        const char *id = gn_json_string(gn_json_at(listings, i), NULL);
        int repeated = 0;
        for (uint32_t k = c->first_notice; k < w->n_notices && !repeated; k++)
            repeated = strcmp(w->notices[k].listing_id, id) == 0;
        if (repeated) continue; /* a listing named twice gets one notice */
        GN_GROW(w->notices, w->n_notices, w->cap_notices);
        c = &w->complaints[complaint];
        gn_notice *n = &w->notices[w->n_notices++];
        memset(n, 0, sizeof *n);
        uint32_t *l = gn_strmap_find(&st->listing_by_id, id);
        n->listing = l ? *l : GN_NONE;
        n->listing_id = l ? st->listings[*l].id : gn_workflow_keep(w, id);
        n->complaint = complaint;
        n->next_of_listing = GN_NONE;
        n->answered_at = n->closed_at = INT64_MIN;
        c->n_notices++;
    }
    gn_workflow_audit(w, "complaint", c->id, "filed", c->rights_holder, 0,
                      "under right %s, naming %u listing(s)%s", c->right, c->n_notices,
                      c->trusted ? "; trusted filer" : "");
    for (uint32_t i = 0; i < c->n_notices; i++) {
        uint32_t ni = c->first_notice + i;
        gn_notice *n = &w->notices[ni];
        if (n->listing == GN_NONE) {
            n->state = GN_NOTICE_UNKNOWN_LISTING;
            n->why = "genuine has no such listing";
            char rid[2 * GN_ID_MAX + 2];
            gn_notice_record_id(w, n, rid, sizeof rid);
            gn_workflow_audit(w, "notice", rid, "unknown_listing", c->rights_holder, 1, "%s",
                              n->why);
            continue;
        }
        open_notice(w, st, ni, &w->complaints[complaint]);
    }
}

/* ---- after filing ---- */

/* The listing of a notice just closed takes the status its other notices and
 * reports leave it in, or goes back to what it was before them. */
static void release_listing(gn_workflow *w, const gn_state *st, uint32_t listing, const char *code,
                            const char *actor, const char *detail)
{
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    int s = gn_workflow_listing_status(w, wl);
    if (s < 0) {
        wl->holding = 0;
        s = wl->before;
    }
    if (s == st->listings[listing].status) return;
    const char *action = s == GN_LIVE                         ? "allow"
                         : s == GN_BLOCKED || s == GN_REMOVED ? "block"
                                                              : "review";
    gn_workflow_set_listing(w, st, listing, (gn_listing_status)s, action, code, 0, actor, 0, "%s",
                            detail);
    if (s == GN_LIVE) wl->holding = 0;
}

/* A notice confirmed: the listing is down (if not already), the seller gets a
 * strike, the filer a confirmed notice, and other notices on it are settled. */
static void confirm(gn_workflow *w, const gn_state *st, uint32_t ni, const char *by,
                    const char *code, int automated, int64_t at, const char *event_id)
{
    gn_notice *n = &w->notices[ni];
    const gn_complaint *c = &w->complaints[n->complaint];
    int was_down = n->state == GN_NOTICE_TAKEN_DOWN;
    n->state = GN_NOTICE_CONFIRMED;
    n->closed_at = at;
    n->decided_by = by;
    char rid[2 * GN_ID_MAX + 2];
    gn_notice_record_id(w, n, rid, sizeof rid);
    gn_workflow_audit(w, "notice", rid, "confirmed", by, automated, "%s",
                      automated ? "unanswered when the window closed" : "upheld by a reviewer");
    gn_workflow_filer_outcome(w, c->filer, 1, at);
    gn_workflow_settle_notices(w, st, n->listing, ni, 1, at, by);
    if (!was_down || st->listings[n->listing].status != GN_REMOVED)
        gn_workflow_set_listing(
            w, st, n->listing, GN_REMOVED, "block", code, 1, by, automated,
            automated ? "taken down: the seller did not answer %s's complaint %s by the deadline"
                      : "taken down: a reviewer upheld %s's complaint %s",
            c->rights_holder, c->id);
    else
        gn_workflow_listing(w, st, n->listing)->decided_by = by;
    gn_workflow_strike(w, st, n->listing, by, event_id);
}

static void apply_counter_notice(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    const gn_complaint *c = find_complaint(w, gn_event_str(ev, "complaint"));
    gn_notice *n = (gn_notice *)find_notice(w, c, gn_event_str(ev, "listing"));
    n->state = GN_NOTICE_CONTESTED;
    n->answered_at = ev->at;
    const char *seller = st->sellers[st->listings[n->listing].seller].id;
    char rid[2 * GN_ID_MAX + 2];
    gn_notice_record_id(w, n, rid, sizeof rid);
    gn_workflow_audit(w, "notice", rid, "contested", seller, 0, "a counter-notice came in time");
    if (st->listings[n->listing].status != GN_HELD)
        gn_workflow_set_listing(w, st, n->listing, GN_HELD, "review", "COMPLAINT_CONTESTED", -1,
                                seller, 0,
                                "the seller contests %s's complaint %s: held until a reviewer "
                                "decides",
                                c->rights_holder, c->id);
}

static void apply_verdict(gn_workflow *w, const gn_state *st, const gn_event *ev)
{
    gn_complaint *c =
        &w->complaints[*gn_strmap_find(&w->complaint_by_id, gn_event_str(ev, "target"))];
    int upheld = strcmp(gn_event_str(ev, "outcome"), "upheld") == 0;
    const char *reviewer = gn_workflow_keep(w, gn_event_str(ev, "reviewer"));
    gn_workflow_audit(w, "complaint", c->id, upheld ? "upheld" : "rejected", reviewer, 0,
                      "decided on its contested listings");
    for (uint32_t i = 0; i < c->n_notices; i++) {
        uint32_t ni = c->first_notice + i;
        gn_notice *n = &w->notices[ni];
        if (n->state != GN_NOTICE_CONTESTED) continue;
        if (upheld) {
            confirm(w, st, ni, reviewer, "COMPLAINT_UPHELD", 0, ev->at, ev->id);
            continue;
        }
        n->state = GN_NOTICE_REJECTED;
        n->closed_at = ev->at;
        n->decided_by = reviewer;
        char rid[2 * GN_ID_MAX + 2], detail[300];
        gn_notice_record_id(w, n, rid, sizeof rid);
        gn_workflow_audit(w, "notice", rid, "rejected", reviewer, 0, "the complaint was rejected");
        gn_workflow_filer_outcome(w, c->filer, 0, ev->at);
        snprintf(detail, sizeof detail,
                 "a reviewer rejected %s's complaint %s: the listing is back", c->rights_holder,
                 c->id);
        release_listing(w, st, n->listing, "COMPLAINT_REJECTED", reviewer, detail);
    }
}

void gn_notices_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq)
{
    if (ev->type == GN_EV_COMPLAINT)
        apply_complaint(w, st, ev, seq);
    else if (ev->type == GN_EV_COUNTER_NOTICE)
        apply_counter_notice(w, st, ev);
    else
        apply_verdict(w, st, ev);
}

size_t gn_workflow_advance(gn_workflow *w, const gn_state *st, int64_t to, size_t limit)
{
    size_t closed = 0;
    while (closed < limit && w->n_deadlines && w->deadlines[0].at < to) {
        gn_deadline d = heap_pop(w);
        gn_notice *n = &w->notices[d.notice];
        if (n->state != GN_NOTICE_OPEN && n->state != GN_NOTICE_TAKEN_DOWN) continue;
        closed++;
        char id[GN_ID_MAX + 16];
        snprintf(id, sizeof id, "deadline:%s", w->complaints[n->complaint].id);
        w->effect_at = d.at;
        confirm(w, st, d.notice, "deadline", "COMPLAINT_UNANSWERED", 1, d.at, id);
        w->effect_at = INT64_MIN;
    }
    return closed;
}

/* ---- views ---- */

static void put_time(gn_buf *b, const char *key, int64_t t)
{
    char text[32];
    if (t == INT64_MIN) return;
    gn_time_format(t, text, sizeof text);
    gn_buf_printf(b, ",\"%s\":\"%s\"", key, text);
}

static void put_notice(const gn_workflow *w, const gn_state *st, const gn_notice *n, gn_buf *b)
{
    gn_buf_puts(b, "{\"listing\":");
    gn_buf_json_string(b, n->listing_id);
    if (n->listing != GN_NONE) {
        gn_buf_puts(b, ",\"seller\":");
        gn_buf_json_string(b, st->sellers[st->listings[n->listing].seller].id);
    }
    gn_buf_printf(b, ",\"state\":\"%s\"", gn_notice_state_name(n->state));
    if (n->why) {
        gn_buf_puts(b, ",\"why\":");
        gn_buf_json_string(b, n->why);
    }
    put_time(b, "answered_at", n->answered_at);
    put_time(b, "closed_at", n->closed_at);
    if (n->decided_by) {
        gn_buf_puts(b, ",\"decided_by\":");
        gn_buf_json_string(b, n->decided_by);
    }
    if (n->listing != GN_NONE)
        gn_buf_printf(b, ",\"listing_status\":\"%s\"",
                      gn_listing_status_name(st->listings[n->listing].status));
    gn_buf_puts(b, "}");
}

static int is_open(const gn_notice *n)
{
    return n->state == GN_NOTICE_OPEN || n->state == GN_NOTICE_TAKEN_DOWN ||
           n->state == GN_NOTICE_CONTESTED;
}

static void put_complaint_head(const gn_complaint *c, gn_buf *b)
{
    gn_buf_puts(b, "{\"complaint\":");
    gn_buf_json_string(b, c->id);
    gn_buf_puts(b, ",\"rights_holder\":");
    gn_buf_json_string(b, c->rights_holder);
    gn_buf_puts(b, ",\"right\":");
    gn_buf_json_string(b, c->right);
    put_time(b, "filed_at", c->at);
    put_time(b, "deadline", c->deadline);
    if (c->trusted) gn_buf_puts(b, ",\"trusted_filer\":true");
}

int gn_workflow_complaint_json(const gn_workflow *w, const gn_state *st, const char *complaint,
                               const char *seller, gn_buf *out, gn_error *err)
{
    const gn_complaint *c = find_complaint(w, complaint);
    if (!c) return gn_fail(err, GN_ENOTFOUND, "no complaint '%s'", complaint);
    unsigned open = 0, shown = 0;
    for (uint32_t i = 0; i < c->n_notices; i++)
        open += is_open(&w->notices[c->first_notice + i]);
    put_complaint_head(c, out);
    gn_buf_printf(out, ",\"state\":\"%s\",\"listings\":[", open ? "open" : "closed");
    for (uint32_t i = 0; i < c->n_notices; i++) {
        const gn_notice *n = &w->notices[c->first_notice + i];
        if (seller && (n->listing == GN_NONE ||
                       strcmp(st->sellers[st->listings[n->listing].seller].id, seller) != 0))
            continue;
        if (shown++) gn_buf_puts(out, ",");
        put_notice(w, st, n, out);
    }
    gn_buf_puts(out, "]}");
    if (seller && !shown)
        return gn_fail(err, GN_EFORBIDDEN, "complaint '%s' names none of %s's listings", complaint,
                       seller);
    return 0;
}

void gn_workflow_complaints_json(const gn_workflow *w, const char *rights_holder, gn_buf *out)
{
    gn_buf_puts(out, "{\"complaints\":[");
    int first = 1;
    for (uint32_t i = 0; i < w->n_complaints; i++) {
        const gn_complaint *c = &w->complaints[i];
        if (rights_holder && strcmp(c->rights_holder, rights_holder) != 0) continue;
        unsigned counts[GN_NOTICE_STATE_COUNT] = {0};
        for (uint32_t k = 0; k < c->n_notices; k++)
            counts[w->notices[c->first_notice + k].state]++;
        if (!first) gn_buf_puts(out, ",");
        first = 0;
        put_complaint_head(c, out);
        gn_buf_puts(out, ",\"notices\":{");
        int any = 0;
        for (int s = 0; s < GN_NOTICE_STATE_COUNT; s++)
            if (counts[s])
                gn_buf_printf(out, "%s\"%s\":%u", any++ ? "," : "", gn_notice_state_name(s),
                              counts[s]);
        gn_buf_puts(out, "}}");
    }
    gn_buf_puts(out, "]}");
}

void gn_workflow_notices_json(const gn_workflow *w, const gn_state *st, const char *seller,
                              gn_buf *out)
{
    gn_buf_puts(out, "{\"seller\":");
    gn_buf_json_string(out, seller);
    gn_buf_puts(out, ",\"notices\":[");
    int first = 1;
    uint32_t *s = gn_strmap_find(&st->seller_by_id, seller);
    for (uint32_t l = s ? st->sellers[*s].last_listing : GN_NONE; l != GN_NONE;
         l = st->listings[l].previous_of_seller) {
        const gn_wf_listing *wl = gn_workflow_find_listing(w, st->listings[l].id);
        for (uint32_t n = wl ? wl->notices : GN_NONE; n != GN_NONE;
             n = w->notices[n].next_of_listing) {
            if (!is_open(&w->notices[n])) continue;
            const gn_complaint *c = &w->complaints[w->notices[n].complaint];
            if (!first) gn_buf_puts(out, ",");
            first = 0;
            gn_buf_puts(out, "{\"complaint\":");
            gn_buf_json_string(out, c->id);
            gn_buf_puts(out, ",\"rights_holder\":");
            gn_buf_json_string(out, c->rights_holder);
            gn_buf_puts(out, ",\"right\":");
            gn_buf_json_string(out, c->right);
            put_time(out, "deadline", c->deadline);
            gn_buf_puts(out, ",\"notice\":");
            put_notice(w, st, &w->notices[n], out);
            gn_buf_puts(out, "}");
        }
    }
    gn_buf_puts(out, "]}");
}
