/* The workflows' shared machinery: their records, the effects queue, the
 * filers' good-faith standing, strikes and enforcement, the status the
 * workflows hold a listing in, and the dispatch of events to the files that
 * handle them (rights.c, notices.c, reports.c, appeals.c). */
#include "workflow/workflow.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/grow.h"

void gn_workflow_init(gn_workflow *w, const gn_config *c)
{
    memset(w, 0, sizeof *w);
    w->effect_at = INT64_MIN;
    gn_workflow_params *p = &w->params;
    p->notice_ms = (int64_t)(gn_config_get(c, "workflow.notice_days") * 86400000.0);
    p->trust_min_confirmed = (uint32_t)gn_config_get(c, "workflow.trust_min_confirmed");
    p->trust_min_share = gn_config_get(c, "workflow.trust_min_share");
    p->misuse_min_decided = (uint32_t)gn_config_get(c, "workflow.misuse_min_decided");
    p->limit_share = gn_config_get(c, "workflow.limit_rejected_share");
    p->suspend_share = gn_config_get(c, "workflow.suspend_rejected_share");
    p->limited_per_day = (uint32_t)gn_config_get(c, "workflow.limited_per_day");
    p->warn_at = (uint32_t)gn_config_get(c, "enforcement.warn_at");
    p->suspend_at = (uint32_t)gn_config_get(c, "enforcement.suspend_at");
    p->close_at = (uint32_t)gn_config_get(c, "enforcement.close_at");
}

void gn_workflow_free(gn_workflow *w)
{
    free(w->rights);
    free(w->filers);
    free(w->complaints);
    free(w->notices);
    free(w->reports);
    free(w->appeals);
    free(w->listings);
    free(w->sellers);
    free(w->deadlines);
    free(w->effects.items);
    gn_strmap_free(&w->right_by_id);
    gn_strmap_free(&w->filer_by_id);
    gn_strmap_free(&w->complaint_by_id);
    gn_strmap_free(&w->report_by_id);
    gn_strmap_free(&w->appeal_by_id);
    gn_strmap_free(&w->listing_index);
    gn_strmap_free(&w->seller_index);
    gn_pool_free(&w->pool);
    memset(w, 0, sizeof *w);
}

gn_effect *gn_workflow_effect(gn_workflow *w, gn_effect_kind kind)
{
    gn_effects *fx = &w->effects;
    GN_GROW(fx->items, fx->count, fx->cap);
    gn_effect *e = &fx->items[fx->count++];
    memset(e, 0, offsetof(gn_effect, record_id));
    e->record_id[0] = e->detail[0] = 0;
    e->kind = kind;
    e->listing = e->seller = GN_NONE;
    e->label = -1;
    e->at = w->effect_at;
    return e;
}

void gn_workflow_audit(gn_workflow *w, const char *record, const char *record_id,
                       const char *change, const char *actor, int automated, const char *fmt, ...)
{
    gn_effect *e = gn_workflow_effect(w, GN_FX_AUDIT);
    e->record = record;
    e->change = change;
    e->actor = actor;
    e->automated = (uint8_t)automated;
    snprintf(e->record_id, sizeof e->record_id, "%s", record_id);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

const char *gn_workflow_keep(gn_workflow *w, const char *s)
{
    return s ? gn_pool_strdup(&w->pool, s, strlen(s)) : NULL;
}

void gn_notice_record_id(const gn_workflow *w, const gn_notice *n, char *out, size_t size)
{
    snprintf(out, size, "%s/%s", w->complaints[n->complaint].id, n->listing_id);
}

/* ---- per-listing, per-seller and per-filer records, made on first use ---- */

gn_wf_listing *gn_workflow_listing(gn_workflow *w, const gn_state *st, uint32_t listing)
{
    int added;
    uint32_t *slot = gn_strmap_put(&w->listing_index, st->listings[listing].id, &added, NULL);
    if (added) {
        GN_GROW(w->listings, w->n_listings, w->cap_listings);
        *slot = w->n_listings++;
        gn_wf_listing *wl = &w->listings[*slot];
        memset(wl, 0, sizeof *wl);
        wl->notices = wl->reports = wl->appeal = GN_NONE;
        wl->before = st->listings[listing].status;
    }
    return &w->listings[*slot];
}

const gn_wf_listing *gn_workflow_find_listing(const gn_workflow *w, const char *listing)
{
    uint32_t *i = gn_strmap_find(&w->listing_index, listing);
    return i ? &w->listings[*i] : NULL;
}

gn_wf_seller *gn_workflow_seller_rec(gn_workflow *w, const char *seller)
{
    int added;
    uint32_t *slot = gn_strmap_put(&w->seller_index, seller, &added, NULL);
    if (added) {
        GN_GROW(w->sellers, w->n_sellers, w->cap_sellers);
        *slot = w->n_sellers++;
        memset(&w->sellers[*slot], 0, sizeof w->sellers[*slot]);
        w->sellers[*slot].appeal = GN_NONE;
    }
    return &w->sellers[*slot];
}

const gn_wf_seller *gn_workflow_seller(const gn_workflow *w, const char *seller)
{
    uint32_t *i = gn_strmap_find(&w->seller_index, seller);
    return i ? &w->sellers[*i] : NULL;
}

gn_filer *gn_workflow_filer(gn_workflow *w, const char *account)
{
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&w->filer_by_id, account, &added, &key);
    if (added) {
        GN_GROW(w->filers, w->n_filers, w->cap_filers);
        *slot = w->n_filers++;
        memset(&w->filers[*slot], 0, sizeof w->filers[*slot]);
        w->filers[*slot].id = key;
    }
    return &w->filers[*slot];
}

const gn_filer *gn_workflow_find_filer(const gn_workflow *w, const char *account)
{
    uint32_t *i = gn_strmap_find(&w->filer_by_id, account);
    return i ? &w->filers[*i] : NULL;
}

/* ---- the good-faith track and misuse ---- */

static const char *const standing_changes[] = {"reinstated", "trusted", "rate_limited",
                                               "suspended"};

/* A filer's standing from its record: trusted once enough of its notices were
 * confirmed and nearly all of them were; limited, then suspended, when too
 * many of its decided notices were rejected. */
static gn_filer_standing standing_of(const gn_workflow_params *p, const gn_filer *f)
{
    uint32_t decided = f->confirmed + f->rejected;
    if (decided >= p->misuse_min_decided && decided > 0) {
        double rejected = (double)f->rejected / decided;
        if (rejected >= p->suspend_share) return GN_FILER_SUSPENDED;
        if (rejected >= p->limit_share) return GN_FILER_LIMITED;
    }
    if (f->confirmed >= p->trust_min_confirmed && decided > 0 &&
        (double)f->confirmed / decided >= p->trust_min_share)
        return GN_FILER_TRUSTED;
    return GN_FILER_NORMAL;
}

void gn_workflow_filer_outcome(gn_workflow *w, uint32_t filer, int confirmed, int64_t at)
{
    gn_filer *f = &w->filers[filer];
    if (confirmed)
        f->confirmed++;
    else
        f->rejected++;
    gn_filer_standing now = standing_of(&w->params, f);
    if (now == f->standing) return;
    const char *change = now == GN_FILER_NORMAL && f->standing == GN_FILER_TRUSTED
                             ? "trust_lost"
                             : standing_changes[now];
    f->standing = (uint8_t)now;
    gn_workflow_audit(w, "filer", f->id, change, "genuine", 1,
                      "%u of %u decided notices or reports confirmed", f->confirmed,
                      f->confirmed + f->rejected);
}

static int64_t day_of(int64_t at)
{
    return at >= 0 ? at / 86400000 : -((-at + 86399999) / 86400000);
}

int gn_workflow_may_file(const gn_workflow *w, const char *account, const char *field, int64_t at,
                         gn_error *err)
{
    const gn_filer *f = gn_workflow_find_filer(w, account);
    if (!f) return 0;
    uint32_t decided = f->confirmed + f->rejected;
    if (f->standing == GN_FILER_SUSPENDED)
        return gn_fail(err, GN_EINPUT,
                       "field '%s': %s is suspended from filing: %u of its %u decided notices "
                       "or reports were rejected",
                       field, account, f->rejected, decided);
    if (f->standing == GN_FILER_LIMITED && f->day == day_of(at) &&
        f->today >= w->params.limited_per_day)
        return gn_fail(err, GN_EINPUT,
                       "field '%s': %s may file %u a day (%u of its %u decided notices or "
                       "reports were rejected); try again tomorrow",
                       field, account, w->params.limited_per_day, f->rejected, decided);
    return 0;
}

void gn_workflow_count_filing(gn_workflow *w, uint32_t filer, int64_t at)
{
    gn_filer *f = &w->filers[filer];
    f->filed++;
    if (f->day != day_of(at)) f->day = day_of(at), f->today = 0;
    f->today++;
}

int gn_workflow_filer_json(const gn_workflow *w, const char *account, gn_buf *out, gn_error *err)
{
    const gn_filer *f = gn_workflow_find_filer(w, account);
    if (!f) return gn_fail(err, GN_ENOTFOUND, "'%s' has filed no complaint or report", account);
    static const char *const standings[] = {"normal", "trusted", "rate_limited", "suspended"};
    gn_buf_puts(out, "{\"filer\":");
    gn_buf_json_string(out, f->id);
    gn_buf_printf(out,
                  ",\"filed\":%u,\"confirmed\":%u,\"rejected\":%u,\"standing\":\"%s\","
                  "\"why\":",
                  f->filed, f->confirmed, f->rejected, standings[f->standing]);
    const gn_workflow_params *p = &w->params;
    char why[300];
    uint32_t decided = f->confirmed + f->rejected;
    switch (f->standing) {
    case GN_FILER_TRUSTED:
        snprintf(why, sizeof why,
                 "%u of %u decided notices or reports confirmed (trusted from %u and %.0f%%): "
                 "complaints take listings down at once",
                 f->confirmed, decided, p->trust_min_confirmed, 100 * p->trust_min_share);
        break;
    case GN_FILER_LIMITED:
        snprintf(why, sizeof why,
                 "%u of %u decided notices or reports rejected (limited from %.0f%%): at most "
                 "%u filings a day",
                 f->rejected, decided, 100 * p->limit_share, p->limited_per_day);
        break;
    case GN_FILER_SUSPENDED:
        snprintf(why, sizeof why,
                 "%u of %u decided notices or reports rejected (suspended from %.0f%%): may "
                 "not file",
                 f->rejected, decided, 100 * p->suspend_share);
        break;
    default:
        snprintf(why, sizeof why,
                 "%u of %u decided notices or reports confirmed; trusted from %u confirmed and "
                 "%.0f%%",
                 f->confirmed, decided, p->trust_min_confirmed, 100 * p->trust_min_share);
    }
    gn_buf_json_string(out, why);
    gn_buf_puts(out, "}");
    return 0;
}

/* ---- listings held or taken down by the workflows ---- */

void gn_workflow_set_listing(gn_workflow *w, const gn_state *st, uint32_t listing,
                             gn_listing_status status, const char *action, const char *code,
                             int label, const char *actor, int automated, const char *fmt, ...)
{
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    if (!wl->holding) wl->before = st->listings[listing].status;
    wl->holding = status != wl->before || status == GN_REMOVED;
    if (status == GN_REMOVED || status == GN_BLOCKED) wl->decided_by = actor;
    gn_effect *e = gn_workflow_effect(w, GN_FX_LISTING);
    e->listing = listing;
    e->status = (uint8_t)status;
    e->action = action;
    e->code = code;
    e->label = (int8_t)label;
    e->actor = actor;
    e->automated = (uint8_t)automated;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->detail, sizeof e->detail, fmt, ap);
    va_end(ap);
}

int gn_workflow_listing_status(const gn_workflow *w, const gn_wf_listing *wl)
{
    int best = -1;
    for (uint32_t n = wl->notices; n != GN_NONE; n = w->notices[n].next_of_listing) {
        int s = -1;
        switch (w->notices[n].state) {
        case GN_NOTICE_OPEN:
            s = GN_NOTICED;
            break;
        case GN_NOTICE_TAKEN_DOWN:
        case GN_NOTICE_CONFIRMED:
            s = GN_REMOVED;
            break;
        case GN_NOTICE_CONTESTED:
            s = GN_HELD;
            break;
        default:
            break;
        }
        if (s >= 0 &&
            (best < 0 || gn_listing_status_severity(s) > gn_listing_status_severity(best)))
            best = s;
    }
    return best;
}

int gn_workflow_hold(const gn_workflow *w, const char *listing)
{
    const gn_wf_listing *wl = gn_workflow_find_listing(w, listing);
    if (!wl || !wl->holding) return -1;
    int s = gn_workflow_listing_status(w, wl);
    if (s < 0 && wl->open_reports) return GN_HELD; /* held on a trusted shopper's report */
    return s;
}

int gn_workflow_seller_suspended(const gn_workflow *w, const char *seller)
{
    const gn_wf_seller *ws = gn_workflow_seller(w, seller);
    return ws && ws->level >= GN_SELLER_SUSPENDED;
}

/* ---- strikes and enforcement ---- */

const char *gn_enforcement_name(int level)
{
    static const char *const names[] = {"good_standing", "warned", "suspended", "closed"};
    return level >= 0 && level <= GN_SELLER_CLOSED ? names[level] : "unknown";
}

void gn_workflow_strike(gn_workflow *w, const gn_state *st, uint32_t listing, const char *actor,
                        const char *event_id)
{
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    if (wl->struck) return;
    wl->struck = 1;
    uint32_t seller = st->listings[listing].seller;
    const char *seller_id = st->sellers[seller].id;
    gn_wf_seller *ws = gn_workflow_seller_rec(w, seller_id);
    ws->strikes++;
    /* A strike the deadline or enforcement gave was given by no person. */
    int automated = strcmp(actor, "deadline") == 0 || strcmp(actor, "enforcement") == 0 ||
                    strcmp(actor, "genuine") == 0;
    gn_workflow_audit(w, "seller", seller_id, "strike", actor, automated,
                      "strike %u: listing %s confirmed counterfeit", ws->strikes,
                      st->listings[listing].id);
    const gn_workflow_params *p = &w->params;
    gn_enforcement level = ws->strikes >= p->close_at     ? GN_SELLER_CLOSED
                           : ws->strikes >= p->suspend_at ? GN_SELLER_SUSPENDED
                           : ws->strikes >= p->warn_at    ? GN_SELLER_WARNED
                                                          : GN_SELLER_IN_GOOD_STANDING;
    if (level <= ws->level) return;
    ws->level = (uint8_t)level;
    static const char *const what[] = {
        [GN_SELLER_WARNED] = "warned: %u strike(s); at %u its new listings are blocked",
        [GN_SELLER_SUSPENDED] = "suspended: %u strikes; it may not list until an appeal or "
                                "the platform lifts it (%u closes the shop)",
        [GN_SELLER_CLOSED] = "closed: %u strikes (the limit is %u); the shop and its linked "
                             "accounts are banned"};
    uint32_t next = level == GN_SELLER_WARNED ? p->suspend_at : p->close_at;
    gn_workflow_audit(w, "seller", seller_id, gn_enforcement_name(level), "enforcement", 1,
                      what[level], ws->strikes, next);
    if (level == GN_SELLER_CLOSED) {
        ws->closed_by = "enforcement";
        gn_effect *e = gn_workflow_effect(w, GN_FX_CLOSE);
        e->seller = seller;
        e->actor = "enforcement";
        snprintf(e->detail, sizeof e->detail, "%s", event_id);
    }
}

void gn_workflow_settle_notices(gn_workflow *w, const gn_state *st, uint32_t listing,
                                uint32_t except, int confirmed, int64_t at, const char *by)
{
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    for (uint32_t n = wl->notices; n != GN_NONE; n = w->notices[n].next_of_listing) {
        gn_notice *no = &w->notices[n];
        if (n == except || (no->state != GN_NOTICE_OPEN && no->state != GN_NOTICE_TAKEN_DOWN &&
                            no->state != GN_NOTICE_CONTESTED))
            continue;
        no->state = (uint8_t)(confirmed ? GN_NOTICE_SETTLED : GN_NOTICE_REJECTED);
        no->closed_at = at;
        no->decided_by = by;
        const gn_complaint *c = &w->complaints[no->complaint];
        gn_workflow_filer_outcome(w, c->filer, confirmed, at);
        char rid[2 * GN_ID_MAX + 2];
        gn_notice_record_id(w, no, rid, sizeof rid);
        gn_workflow_audit(w, "notice", rid, confirmed ? "settled" : "rejected", by, 0,
                          confirmed ? "the listing was taken down otherwise"
                                    : "the listing was found genuine");
    }
}

void gn_workflow_listing_verdict(gn_workflow *w, const gn_state *st, uint32_t listing,
                                 int counterfeit, const char *reviewer, int64_t at)
{
    const gn_wf_listing *found = gn_workflow_find_listing(w, st->listings[listing].id);
    reviewer = gn_workflow_keep(w, reviewer);
    gn_wf_listing *wl = gn_workflow_listing(w, st, listing);
    if (found) {
        gn_workflow_settle_notices(w, st, listing, GN_NONE, counterfeit, at, reviewer);
        for (uint32_t r = wl->reports; r != GN_NONE; r = w->reports[r].next_of_listing) {
            gn_report *rep = &w->reports[r];
            if (rep->state != GN_REPORT_OPEN) continue;
            rep->state = (uint8_t)(counterfeit ? GN_REPORT_UPHELD : GN_REPORT_REJECTED);
            gn_workflow_filer_outcome(w, rep->filer, counterfeit, at);
            gn_workflow_audit(w, "report", rep->id, counterfeit ? "upheld" : "rejected", reviewer,
                              0, "the listing was found %s",
                              counterfeit ? "counterfeit" : "genuine");
        }
        wl->open_reports = 0;
    }
    wl->holding = counterfeit;
    wl->decided_by = reviewer;
}

void gn_workflow_seller_verdict(gn_workflow *w, const char *seller, int banned,
                                const char *reviewer)
{
    gn_wf_seller *ws = gn_workflow_seller_rec(w, seller);
    if (banned) {
        ws->closed_by = gn_workflow_keep(w, reviewer);
        ws->level = GN_SELLER_CLOSED;
    } else if (ws->level == GN_SELLER_CLOSED) {
        ws->level = GN_SELLER_IN_GOOD_STANDING;
    }
}

/* ---- dispatch ---- */

static int verdict_subject(const gn_event *ev, const char *subject)
{
    return strcmp(gn_event_str(ev, "subject"), subject) == 0;
}

int gn_workflow_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err)
{
    switch (ev->type) {
    case GN_EV_IP_RIGHT:
        return gn_rights_check(w, st, ev, err);
    case GN_EV_COMPLAINT:
    case GN_EV_COUNTER_NOTICE:
        return gn_notices_check(w, st, ev, err);
    case GN_EV_REPORT:
        return gn_reports_check(w, st, ev, err);
    case GN_EV_APPEAL:
        return gn_appeals_check(w, st, ev, err);
    case GN_EV_SELLER_VERIFICATION:
        /* No order is imposed: a platform's own KYC may have run elsewhere, so
         * its verified or rejected needs no submission here first. Only the
         * platform decides: a seller's key may only submit (src/http/auth.c). */
        return 0;
    case GN_EV_VERDICT:
        if (verdict_subject(ev, "right")) return gn_rights_check(w, st, ev, err);
        if (verdict_subject(ev, "complaint")) return gn_notices_check(w, st, ev, err);
        if (verdict_subject(ev, "report")) return gn_reports_check(w, st, ev, err);
        if (verdict_subject(ev, "appeal")) return gn_appeals_check(w, st, ev, err);
        return 0;
    default:
        return 0;
    }
}

static void apply_verification(gn_workflow *w, const gn_event *ev, int64_t seq)
{
    const char *seller = gn_event_str(ev, "seller");
    const char *status = gn_event_str(ev, "status");
    size_t docs = gn_json_size(gn_event_get(ev, "documents"));
    if (docs) gn_workflow_seller_rec(w, seller)->verification = seq; /* where its documents are */
    const char *change = strcmp(status, "submitted") == 0  ? "verification_submitted"
                         : strcmp(status, "verified") == 0 ? "verified"
                                                           : "verification_rejected";
    gn_workflow_audit(w, "seller", seller, change,
                      strcmp(status, "submitted") == 0 ? seller : "platform", 0,
                      "%s with %zu document(s)", status, docs);
}

void gn_workflow_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq)
{
    switch (ev->type) {
    case GN_EV_IP_RIGHT:
        gn_rights_apply(w, st, ev, seq);
        break;
    case GN_EV_COMPLAINT:
    case GN_EV_COUNTER_NOTICE:
        gn_notices_apply(w, st, ev, seq);
        break;
    case GN_EV_REPORT:
        gn_reports_apply(w, st, ev);
        break;
    case GN_EV_APPEAL:
        gn_appeals_apply(w, st, ev);
        break;
    case GN_EV_SELLER_VERIFICATION:
        apply_verification(w, ev, seq);
        break;
    case GN_EV_VERDICT:
        if (verdict_subject(ev, "right")) gn_rights_apply(w, st, ev, seq);
        if (verdict_subject(ev, "complaint")) gn_notices_apply(w, st, ev, seq);
        if (verdict_subject(ev, "report")) gn_reports_apply(w, st, ev);
        if (verdict_subject(ev, "appeal")) gn_appeals_apply(w, st, ev);
        break;
    default:
        break;
    }
}
