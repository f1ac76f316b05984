/* The engine's clocks: the latest event time seen, and the clock as the log
 * shows it, which no event of a sender other than the platform may be dated
 * before (engine.c moves them on at each event, workflows.c at a deadline
 * run). */
#ifndef GN_ENGINE_CLOCK_H
#define GN_ENGINE_CLOCK_H

#include <stdint.h>

#include "core/clock.h"
#include "core/event.h"

typedef struct gn_engine_clock {
    int64_t now;         /* the latest event time seen: the engine's clock */
    int64_t max_skew_ms; /* how far a non-platform sender's `at` may run past its clock */
    /* The clock as the log shows it (the platform's events and the logged
     * advances; not the unlogged ticks of the wall clock): the same live and
     * on replay. No other sender's event is dated before it. */
    int64_t log_now;
    char clamped_at[40]; /* such an event's `at` once brought up to log_now */
} gn_engine_clock;

/* A platform's event moves both clocks on to its time. */
static inline void gn_engine_clock_saw(gn_engine_clock *c, const gn_event *ev)
{
    if (ev->from_platform && ev->at > c->now) c->now = ev->at;
    if (ev->from_platform && ev->at > c->log_now) c->log_now = ev->at;
}

/* No event from a sender other than the platform is dated before the clock
 * the log shows: a complaint backdated past its own window would otherwise
 * close at once, before the seller could answer. It is taken as of that
 * clock (the log keeps what was sent; a replay brings it up the same way). */
static inline void gn_engine_clock_no_earlier_than_the_log(gn_engine_clock *c, gn_event *ev)
{
    if (ev->from_platform || ev->at >= c->log_now) return;
    ev->at = c->log_now;
    gn_time_format(ev->at, c->clamped_at, sizeof c->clamped_at);
    ev->at_text = c->clamped_at;
}

#endif
