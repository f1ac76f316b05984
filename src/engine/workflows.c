/* The engine's side of the workflows (src/workflow): an event is checked
 * before it is logged, applied, and the effects the workflow asks for are
 * carried out here — a listing's status changed and recorded with its cause,
 * an audit row written, a shop closed. Deadlines run at `advance` events,
 * which genuine logs itself whenever time passes one (an event's `at`,
 * `genuine advance`, the server's clock), so a replay runs them at the same
 * point of the log. */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "engine/engine.h"

static int set_listing(gn_engine *e, const gn_effect *fx, const char *event_id, const char *at,
                       int64_t when, gn_error *err)
{
    gn_state *st = &e->state;
    assert(fx->listing < st->n_listings); /* the workflow names listings it was shown */
    gn_listing *l = &st->listings[fx->listing];
    if (fx->label >= 0)
        gn_learning_label(&e->learning, fx->listing, fx->label, gn_label_source_of_code(fx->code),
                          gn_label_stratum_of_status(l->status), when);
    if (fx->status != GN_LIVE) gn_state_leave_market(st, l); /* no longer a price that counts */
    int was_removed = l->status == GN_REMOVED;
    if (fx->status == GN_LIVE && (was_removed || l->status == GN_BLOCKED)) l->cleared = 1;
    if (fx->status == GN_REMOVED || fx->status == GN_BLOCKED) l->cleared = 0;
    l->status = fx->status;
    if (strcmp(fx->code, "COMPLAINT_UNANSWERED") == 0) e->metrics.deadline_removals++;
    if (fx->status == GN_REMOVED && !was_removed) {
        int rc = gn_engine_bank_listing_photos(e, fx->listing, err);
        if (rc) return rc;
    }
    /* Where a listing taken down shipped from is where counterfeits ship from. */
    if ((fx->status == GN_REMOVED) != was_removed)
        gn_state_listing_confirmed(st, fx->listing, fx->status == GN_REMOVED);
    gn_engine_figures_status(&e->figures, &e->state, fx->listing, when);
    if (e->replaying) return 0;
    gn_buf reasons = {0};
    gn_buf_printf(&reasons, "[{\"code\":\"%s\",\"weight\":1,\"detail\":", fx->code);
    gn_buf_json_string(&reasons, fx->detail);
    gn_buf_puts(&reasons, "}]");
    gn_decision_record rec = {.listing = l->id,
                              .seller = st->sellers[l->seller].id,
                              .event_id = event_id,
                              .at = at,
                              .status = gn_listing_status_name(fx->status),
                              .action = fx->action,
                              .score = strcmp(fx->action, "block") == 0 ? 1 : l->score,
                              .reasons = reasons.data,
                              .actor = fx->actor};
    int rc = e->store->ops->set_status(e->store, &rec, err);
    gn_buf_free(&reasons);
    return rc;
}

/* Carries out what the workflow asked for, in order, then forgets it. The
 * effects are taken out of the workflow before any is carried out: carrying
 * one out (a ban re-decides the listings of a whole cluster) may ask for
 * more, which would grow the array under the one in hand; those are carried
 * out next, in the order asked. */
int gn_engine_workflow_effects(gn_engine *e, const char *event_id, int64_t at, gn_error *err)
{
    gn_effects *pending = &e->workflow.effects;
    int rc = 0;
    char when[32];
    while (pending->count && !rc) {
        gn_effects fx = *pending;
        *pending = (gn_effects){0};
        for (size_t i = 0; i < fx.count && !rc; i++) {
            const gn_effect *f = &fx.items[i];
            gn_time_format(f->at != INT64_MIN ? f->at : at, when, sizeof when);
            switch (f->kind) {
            case GN_FX_LISTING:
                rc = set_listing(e, f, event_id, when, f->at != INT64_MIN ? f->at : at, err);
                break;
            case GN_FX_AUDIT:
                gn_engine_figures_audit(&e->figures, &e->state, &e->workflow, f->record,
                                        f->record_id, f->change, f->at != INT64_MIN ? f->at : at);
                if (e->replaying) break;
                gn_audit_record a = {when,      f->actor,  f->record, f->record_id,
                                     f->change, f->detail, event_id,  f->automated};
                rc = e->store->ops->append_audit(e->store, &a, err);
                break;
            case GN_FX_CLOSE:
            case GN_FX_REOPEN: {
                assert(f->seller < e->state.n_sellers);
                gn_event cause = {.id = event_id,
                                  .at_text = when,
                                  .at = f->at != INT64_MIN ? f->at : at,
                                  .from_platform = 1};
                rc = gn_engine_ban(e, f->seller, f->kind == GN_FX_CLOSE, &cause, err);
                break;
            }
            }
        }
        if (pending->count) { /* more were asked for: carried out next, in their own array */
            free(fx.items);
        } else { /* the array goes back to the workflow for the next event */
            free(pending->items);
            fx.count = 0;
            *pending = fx;
        }
    }
    pending->count = 0;
    return rc;
}

int gn_engine_workflow_check(gn_engine *e, const gn_event *ev, gn_error *err)
{
    return gn_workflow_check(&e->workflow, &e->state, ev, err);
}

int gn_engine_workflow_apply(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_workflow_apply(&e->workflow, &e->state, ev, e->event_seq);
    return gn_engine_workflow_effects(e, ev->id, ev->at, err);
}

/* Deadlines are run in chunks of this many windows, each chunk an advance
 * event of its own: effects never pile up in memory, and `genuine advance`
 * commits chunk by chunk, so a transaction stays small. */
#define ADVANCE_CHUNK 4096

static int run_deadlines(gn_engine *e, int64_t to, size_t limit, const char *id, size_t *closed,
                         gn_error *err)
{
    *closed = gn_workflow_advance(&e->workflow, &e->state, to, limit);
    return gn_engine_workflow_effects(e, id, to, err);
}

/* Logs an advance event to `to` for at most one chunk of deadlines, and runs
 * them. Returns how many windows it closed in *closed (0: none were due). */
static int advance_chunk(gn_engine *e, int64_t to, size_t *closed, gn_error *err)
{
    *closed = 0;
    int rc = 0;
    /* several nodes: what is due is known once the others' events are in */
    if (e->store->ops->follow && (rc = gn_engine_begin(e, err))) return rc;
    if (gn_workflow_next_deadline(&e->workflow) >= to) return 0;
    if ((rc = gn_engine_begin(e, err))) return rc;
    char at[32], id[80];
    gn_time_format(to, at, sizeof at);
    snprintf(id, sizeof id, "advance-%s-%llu", at, (unsigned long long)e->advances + 1);
    gn_buf body = {0};
    gn_buf_printf(&body,
                  "{\"type\":\"advance\",\"id\":\"%s\",\"at\":\"%s\",\"to\":\"%s\",\"limit\":%d}",
                  id, at, at, ADVANCE_CHUNK);
    gn_event_record rec = {id, "advance", at, body.data, body.len, NULL};
    int64_t seq;
    rc = e->store->ops->append_event(e->store, &rec, &seq, err);
    gn_buf_free(&body);
    if (rc) return rc;
    e->advances++;
    if (to > e->clock.log_now) e->clock.log_now = to;
    gn_strmap_put(&e->seen, id, NULL, NULL);
    return run_deadlines(e, to, ADVANCE_CHUNK, id, closed, err);
}

int gn_engine_advance_to(gn_engine *e, int64_t to, size_t *closed, gn_error *err)
{
    *closed = 0;
    size_t n;
    int rc;
    while (!(rc = advance_chunk(e, to, &n, err)) && n)
        *closed += n;
    return rc;
}

int gn_engine_replay_advance(gn_engine *e, const char *id, int64_t to, size_t limit, gn_error *err)
{
    size_t closed;
    e->advances++;
    if (to > e->clock.log_now) e->clock.log_now = to;
    gn_strmap_put(&e->seen, id, NULL, NULL);
    return run_deadlines(e, to, limit, id, &closed, err);
}

int gn_advance(gn_engine *e, const char *to, gn_advance_report *r, gn_error *err)
{
    memset(r, 0, sizeof *r);
    if (e->read_only) return gn_fail(err, GN_EINPUT, "the engine was opened read-only");
    if (e->shared)
        return gn_fail(err, GN_EINPUT, "the engine was opened beside the store's writer");
    int64_t t;
    if (gn_time_parse(to, &t))
        return gn_fail(err, GN_EINPUT, "--to: '%s' is not an RFC 3339 time", to);
    if (gn_engine_check_broken(e, err)) return GN_ESTORE;
    double started = gn_monotonic_seconds();
    size_t removed_before = e->metrics.deadline_removals, n;
    int rc = gn_commit(e, err);
    while (!rc && !(rc = advance_chunk(e, t, &n, err)) && n) {
        r->deadlines += n;
        rc = gn_commit(e, err);
    }
    if (!rc) rc = gn_commit(e, err); /* a batch opened to follow the log, with nothing due */
    if (rc && e->in_batch) gn_engine_abandon_batch(e); /* a chunk failed half-way */
    if (!rc && t > e->clock.now) e->clock.now = t;
    r->removed = e->metrics.deadline_removals - removed_before;
    r->seconds = gn_monotonic_seconds() - started;
    return rc;
}

/* ---- reads ---- */

char *gn_complaint_json(gn_engine *e, const char *complaint, const char *seller, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(
        &b, gn_workflow_complaint_json(&e->workflow, &e->state, complaint, seller, &b, err));
}

char *gn_complaints_json(gn_engine *e, const char *rights_holder, gn_error *err)
{
    gn_buf b = {0};
    gn_workflow_complaints_json(&e->workflow, rights_holder, &b);
    return gn_buf_take(&b);
}

char *gn_right_json(gn_engine *e, const char *right, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, gn_workflow_right_json(&e->workflow, right, &b, err));
}

char *gn_notices_json(gn_engine *e, const char *seller, gn_error *err)
{
    gn_buf b = {0};
    gn_workflow_notices_json(&e->workflow, &e->state, seller, &b);
    return gn_buf_take(&b);
}

char *gn_filer_json(gn_engine *e, const char *account, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, gn_workflow_filer_json(&e->workflow, account, &b, err));
}

char *gn_appeal_json(gn_engine *e, const char *appeal, gn_error *err)
{
    gn_buf b = {0};
    return gn_buf_take_if(&b, gn_workflow_appeal_json(&e->workflow, appeal, &b, err));
}

char *gn_reports_json(gn_engine *e, int limit, gn_error *err)
{
    gn_buf b = {0};
    gn_workflow_reports_json(&e->workflow, &e->state, limit, &b);
    return gn_buf_take(&b);
}
