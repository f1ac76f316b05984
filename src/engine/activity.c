/* Orders, reviews and shipments after a listing was decided: when its review,
 * order and shipment signals cross a line (a signal first reaching a quarter,
 * a half, three quarters or all of its strength), the listing is decided
 * again with the event as cause, as the sweeps after a ban do. Most events
 * cross no line and cost only the counting in src/state/activity.c. */
#include "core/error.h"
#include "engine/engine.h"

int gn_engine_activity(gn_engine *e, const gn_event *ev, uint32_t listing, gn_error *err)
{
    if (listing == GN_NONE) return 0;
    gn_state *st = &e->state;
    const gn_listing *l = &st->listings[listing];
    /* More evidence cannot loosen a block, and a listing taken down stays down. */
    if (l->status == GN_REMOVED || l->status == GN_BLOCKED) return 0;
    gn_signals signals;
    signals.count = 0;
    uint8_t levels[GN_ACT_CODES] = {0};
    gn_detect_activity(st, &e->params, listing, l->seller, &signals, levels);
    if (!gn_activity_raise_levels(&st->activity, listing, levels)) return 0;
    gn_buf body = {0};
    gn_event version;
    int rc = e->store->ops->event_body(e->store, l->event, &body, err);
    if (!rc && gn_event_decode(&e->sweep_doc, body.data, body.len, &version, err) == 0)
        rc = gn_engine_decide_listing(e, &version, ev, err);
    gn_buf_free(&body);
    return rc;
}
