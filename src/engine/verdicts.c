/* Reviewers' verdicts: on a listing it labels it for learning and settles it
 * (counterfeit: taken down; genuine: live); on a seller it bans or clears the
 * seller, and every listing of its cluster is decided again at once. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A seller banned or cleared changes the ban state of its cluster; its
 * listings and those of every linked account are decided again at once. */
/* A reviewer's verdict on a listing labels it for learning and settles it:
 * counterfeit takes it down (its photos join the removed bank), genuine puts
 * a held or blocked listing live. The verdict is recorded as its decision. */
static int listing_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    gn_state *st = &e->state;
    uint32_t *index = gn_strmap_find(&st->listing_by_id, gn_event_str(ev, "target"));
    if (!index)
        return 0; /* a verdict on a listing genuine never saw: kept in the log, nothing to do */
    gn_listing *l = &st->listings[*index];
    int counterfeit = strcmp(gn_event_str(ev, "outcome"), "counterfeit") == 0;
    gn_learning_label(&e->learning, *index, counterfeit);
    gn_listing_status status = counterfeit               ? GN_REMOVED
                               : l->status == GN_REMOVED ? GN_REMOVED
                                                         : GN_LIVE;
    if (counterfeit) {
        /* Its photos, read back from its latest version, join the removed bank. */
        gn_buf body = {0};
        gn_event listing;
        int rc = e->store->ops->event_body(e->store, l->event, &body, err);
        int n = 0;
        if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &listing, err) == 0)
            rc = gn_engine_listing_images(e, gn_event_get(&listing, "images"), &n, err);
        gn_buf_free(&body);
        if (!rc) rc = gn_engine_bank_removed_photos(e, *index, n, err);
        if (rc) return rc;
    }
    l = &st->listings[*index];
    if (l->status == status) return 0;
    if (l->status == GN_LIVE && l->market_keys[1] != GN_NONE) /* no longer a price that counts */
        for (int i = 0; i < 2; i++)
            if (l->market_keys[i] != GN_NONE) {
                gn_prices_add(&st->market, l->market_keys[i], l->market_price, -1);
                l->market_keys[i] = GN_NONE;
            }
    l->status = (uint8_t)status;
    if (e->replaying) return 0;
    gn_buf reasons = {0};
    gn_buf_printf(&reasons, "[{\"code\":\"%s\",\"weight\":1,\"detail\":",
                  counterfeit ? "VERDICT_COUNTERFEIT" : "VERDICT_GENUINE");
    char detail[300];
    snprintf(detail, sizeof detail, "a reviewer (%s) found the listing %s",
             gn_event_str(ev, "reviewer"),
             counterfeit ? "counterfeit: it is taken down" : "genuine");
    gn_buf_json_string(&reasons, detail);
    gn_buf_puts(&reasons, "}]");
    gn_decision_record rec = {.listing = l->id,
                              .seller = st->sellers[l->seller].id,
                              .event_id = ev->id,
                              .at = ev->at_text,
                              .status = counterfeit ? "removed" : "live",
                              .action = counterfeit ? "block" : "allow",
                              .score = counterfeit ? 1 : 0,
                              .reasons = reasons.data};
    int rc = e->store->ops->set_status(e->store, &rec, err);
    gn_buf_free(&reasons);
    return rc;
}

int gn_engine_apply_verdict(gn_engine *e, const gn_event *ev, gn_error *err)
{
    if (strcmp(gn_event_str(ev, "subject"), "listing") == 0) return listing_verdict(e, ev, err);
    if (strcmp(gn_event_str(ev, "subject"), "seller") != 0) return 0;
    uint32_t seller = gn_state_seller(&e->state, gn_event_str(ev, "target"), INT64_MIN);
    int banned = strcmp(gn_event_str(ev, "outcome"), "banned") == 0;
    if (gn_identity_is_banned(e->identity, seller) == banned) return 0;
    int rc = gn_identity_set_banned(e->identity, seller, banned, err);
    return rc ? rc : sweep_cluster(e, seller, ev, err);
}
