/* The engine's counters, kept in memory and exposed in the Prometheus text
 * format: events by type and outcome, decisions by action, and a histogram of
 * the time each listing decision took. */
#ifndef GN_ENGINE_METRICS_H
#define GN_ENGINE_METRICS_H

#include <stdint.h>

#include "core/buf.h"
#include "core/event.h"

#define GN_LATENCY_BUCKETS 14

typedef struct gn_metrics {
    /* [type][outcome]; the last row counts events whose type could not be read */
    uint64_t events[GN_EV_TYPE_COUNT + 1][3];
    uint64_t decisions[3];
    uint64_t latency[GN_LATENCY_BUCKETS + 1]; /* the last is +Inf */
    double latency_sum;
    uint64_t alerts;            /* accounts flagged as linked to a banned seller on arrival */
    uint64_t policy_failures;   /* Lua policy calls that failed (the default decision stood) */
    uint64_t deadline_removals; /* listings taken down because a notice went unanswered */
} gn_metrics;

void gn_metrics_event(gn_metrics *m, int type, int outcome);
void gn_metrics_decision(gn_metrics *m, int action, double seconds);
void gn_metrics_write(const gn_metrics *m, gn_buf *out);

#endif
