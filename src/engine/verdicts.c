/* Reviewers' verdicts on listings and sellers: on a listing it labels it for
 * learning and settles it (counterfeit: taken down, a strike; genuine: live);
 * on a seller it bans or clears the seller, and every listing of its cluster
 * is decided again at once. Verdicts on rights, complaints, reports and
 * appeals belong to the workflows (src/workflow). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "engine/engine.h"

/* Re-decides every listing of the seller's cluster that is not removed, with
 * the event that changed the cluster (a ban, a clearance) as the cause. */
static int sweep_cluster(gn_engine *e, uint32_t seller, const gn_event *cause, gn_error *err)
{
    gn_state *st = &e->state;
    gn_buf body = {0};
    int rc = 0;
    uint32_t m = seller;
    do {
        for (uint32_t l = st->sellers[m].last_listing; l != GN_NONE && !rc;
             l = st->listings[l].previous_of_seller) {
            if (st->listings[l].status == GN_REMOVED) continue;
            gn_buf_reset(&body);
            rc = e->store->ops->event_body(e->store, st->listings[l].event, &body, err);
            gn_event ev;
            if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &ev, err) == 0)
                rc = gn_engine_decide_listing(e, &ev, cause, err);
        }
        m = gn_identity_next_member(e->identity, m);
    } while (m != seller && !rc);
    gn_buf_free(&body);
    return rc;
}

/* A shared value went past its cut-off (a carrier NAT's IP reached by its
 * 21st account) and took apart a cluster that held a banned seller: the
 * members no longer linked to any banned seller have their held and
 * blocked listings decided again, with that event as the cause, so honest
 * accounts caught while the value was still rare are released. */
int gn_engine_after_split(gn_engine *e, const gn_event *cause, gn_error *err)
{
    const uint32_t *split;
    size_t n = gn_identity_split(e->identity, &split);
    if (n == 0) return 0;
    uint32_t *sellers = gn_xmalloc(n * sizeof *sellers);
    memcpy(sellers, split, n * sizeof *sellers);
    gn_state *st = &e->state;
    gn_buf body = {0};
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        uint32_t m = sellers[i];
        if (m >= st->n_sellers || gn_identity_is_banned(e->identity, m) ||
            gn_identity_cluster_banned(e->identity, m) > 0)
            continue;
        for (uint32_t l = st->sellers[m].last_listing; l != GN_NONE && !rc;
             l = st->listings[l].previous_of_seller) {
            if (st->listings[l].status != GN_HELD && st->listings[l].status != GN_BLOCKED) continue;
            gn_buf_reset(&body);
            rc = e->store->ops->event_body(e->store, st->listings[l].event, &body, err);
            gn_event ev;
            if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &ev, err) == 0)
                rc = gn_engine_decide_listing(e, &ev, cause, err);
        }
    }
    gn_buf_free(&body);
    free(sellers);
    return rc;
}

/* A listing taken down: its photos, read back from its latest version, join
 * the bank of removed listings' photos. */
int gn_engine_bank_listing_photos(gn_engine *e, uint32_t listing, gn_error *err)
{
    gn_buf body = {0};
    gn_event ev;
    int rc = e->store->ops->event_body(e->store, e->state.listings[listing].event, &body, err);
    int n = 0;
    if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &ev, err) == 0)
        rc = gn_engine_listing_images(e, &ev, gn_event_get(&ev, "images"), &n, err);
    gn_buf_free(&body);
    return rc ? rc : gn_engine_bank_removed_photos(e, listing, n, NULL, err);
}

/* A reviewer's verdict on a listing labels it for learning and settles it:
 * counterfeit takes it down (its photos join the removed bank, its seller
 * gets a strike), genuine puts a held or blocked listing live. Open notices
 * and reports on it are settled with it. The verdict is recorded as its
 * decision. */
static int listing_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_state *st = &e->state;
    uint32_t *index = gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "target"));
    if (!index)
        return 0; /* a verdict on a listing genuine never saw: kept in the log, nothing to do */
    uint32_t listing = *index;
    gn_listing *l = &st->listings[listing];
    int counterfeit = strcmp(gn_event_str(ev, "outcome"), "counterfeit") == 0;
    const char *reviewer = gn_event_str(ev, "reviewer");
    gn_figures_verdict(&e->figures, ev->at, listing, reviewer, counterfeit);
    /* A verdict on a held listing is the reviewer working the queue; on a
     * live or blocked one, the audit sample (or a second look). */
    int stratum = gn_label_stratum_of_status(l->status);
    gn_learning_label(&e->learning, listing, counterfeit,
                      stratum == GN_STRATUM_HELD ? GN_LABEL_REVIEW : GN_LABEL_AUDIT, stratum,
                      ev->at);
    if (!counterfeit && l->misspelt_word) /* a word of this marketplace, not a misspelt brand */
        gn_market_words_add(&e->words, l->misspelt_word, l->seller);
    gn_listing_status status = counterfeit || l->status == GN_REMOVED ? GN_REMOVED : GN_LIVE;
    if (l->status != status) {
        gn_effect *fx = gn_workflow_effect(&e->workflow, GN_FX_LISTING);
        fx->listing = listing;
        fx->status = (uint8_t)status;
        fx->action = counterfeit ? "block" : "allow";
        fx->code = counterfeit ? "VERDICT_COUNTERFEIT" : "VERDICT_GENUINE";
        fx->actor = reviewer;
        snprintf(fx->detail, sizeof fx->detail, "a reviewer (%s) found the listing %s", reviewer,
                 counterfeit ? "counterfeit: it is taken down" : "genuine");
    }
    /* What follows from it: notices and reports settled, a strike. */
    gn_workflow_listing_verdict(&e->workflow, st, listing, counterfeit, reviewer, ev->at);
    if (counterfeit) gn_workflow_strike(&e->workflow, st, listing, reviewer, ev->id);
    return gn_engine_workflow_effects(e, ev->id, ev->at, err);
}

int gn_engine_ban(gn_engine *e, uint32_t seller, int banned, const gn_event *cause, gn_error *err)
{
    if (gn_identity_is_banned(e->identity, seller) == banned) return 0;
    int rc = gn_identity_set_banned(e->identity, seller, banned, err);
    return rc ? rc : sweep_cluster(e, seller, cause, err);
}

/* A verdict on an appeal, for the dashboard: whose decision it reverses. */
void gn_engine_count_appeal(gn_engine *e, const gn_event *ev)
{
    uint32_t *a = gn_strmap_find(&e->workflow.appeal_by_id, gn_event_str(ev, "target"));
    if (a)
        gn_figures_appeal(&e->figures, ev->at, e->workflow.appeals[*a].listing,
                          e->workflow.appeals[*a].decided_by,
                          strcmp(gn_event_str(ev, "outcome"), "upheld") == 0);
}

int gn_engine_apply_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    if (strcmp(gn_event_str(ev, "subject"), "listing") == 0) return listing_verdict(e, ev, err);
    if (strcmp(gn_event_str(ev, "subject"), "seller") != 0) return 0;
    const char *target = gn_event_str(ev, "target");
    uint32_t seller = gn_state_seller(&e->state, target, INT64_MIN);
    int banned = strcmp(gn_event_str(ev, "outcome"), "banned") == 0;
    const char *reviewer = gn_event_str(ev, "reviewer");
    gn_workflow_seller_verdict(&e->workflow, target, banned, reviewer);
    gn_workflow_audit(&e->workflow, "seller", target, banned ? "banned" : "cleared", reviewer, 0,
                      "%s by a reviewer", banned ? "banned" : "cleared");
    int rc = gn_engine_workflow_effects(e, ev->id, ev->at, err);
    return rc ? rc : gn_engine_ban(e, seller, banned, ev, err);
}
