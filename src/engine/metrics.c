/* Prometheus exposition of the engine's counters (text format 0.0.4). */
#include "engine/metrics.h"

static const double bounds[GN_LATENCY_BUCKETS] = {0.00001, 0.000025, 0.00005, 0.0001, 0.00025,
                                                  0.0005,  0.001,    0.0025,  0.005,  0.01,
                                                  0.025,   0.05,     0.1,     1.0};

void gn_metrics_event(gn_metrics *m, int type, int outcome)
{
    if (type < 0 || type >= GN_EV_TYPE_COUNT) type = GN_EV_TYPE_COUNT;
    m->events[type][outcome]++;
}

void gn_metrics_decision(gn_metrics *m, int action, double seconds)
{
    m->decisions[action]++;
    int b = 0;
    while (b < GN_LATENCY_BUCKETS && seconds > bounds[b])
        b++;
    m->latency[b]++;
    m->latency_sum += seconds;
}

void gn_metrics_write(const gn_metrics *m, gn_buf *out)
{
    static const char *outcomes[] = {"accepted", "duplicate", "rejected"};
    static const char *actions[] = {"allow", "review", "block"};
    gn_buf_puts(out, "# HELP genuine_events_total Events received, by type and outcome.\n"
                     "# TYPE genuine_events_total counter\n");
    for (int t = 0; t <= GN_EV_TYPE_COUNT; t++)
        for (int o = 0; o < 3; o++)
            if (m->events[t][o] || t < GN_EV_TYPE_COUNT)
                gn_buf_printf(out, "genuine_events_total{type=\"%s\",outcome=\"%s\"} %llu\n",
                              t < GN_EV_TYPE_COUNT ? gn_event_type_name(t) : "unreadable",
                              outcomes[o], (unsigned long long)m->events[t][o]);
    gn_buf_puts(out, "# HELP genuine_decisions_total Listing decisions, by action.\n"
                     "# TYPE genuine_decisions_total counter\n");
    for (int a = 0; a < 3; a++)
        gn_buf_printf(out, "genuine_decisions_total{action=\"%s\"} %llu\n", actions[a],
                      (unsigned long long)m->decisions[a]);
    gn_buf_printf(out,
                  "# HELP genuine_alerts_total Accounts flagged on arrival as linked to a banned "
                  "seller.\n# TYPE genuine_alerts_total counter\ngenuine_alerts_total %llu\n",
                  (unsigned long long)m->alerts);
    gn_buf_printf(out,
                  "# HELP genuine_policy_failures_total Lua policy calls that failed; the "
                  "default decision stood.\n# TYPE genuine_policy_failures_total counter\n"
                  "genuine_policy_failures_total %llu\n"
                  "# HELP genuine_deadline_removals_total Listings taken down because a "
                  "notice went unanswered.\n# TYPE genuine_deadline_removals_total counter\n"
                  "genuine_deadline_removals_total %llu\n",
                  (unsigned long long)m->policy_failures, (unsigned long long)m->deadline_removals);
    gn_buf_puts(out, "# HELP genuine_decision_seconds Time to decide one listing, from decoded "
                     "event to decision.\n# TYPE genuine_decision_seconds histogram\n");
    uint64_t cumulative = 0;
    for (int b = 0; b < GN_LATENCY_BUCKETS; b++) {
        cumulative += m->latency[b];
        gn_buf_printf(out, "genuine_decision_seconds_bucket{le=\"%g\"} %llu\n", bounds[b],
                      (unsigned long long)cumulative);
    }
    cumulative += m->latency[GN_LATENCY_BUCKETS];
    gn_buf_printf(out, "genuine_decision_seconds_bucket{le=\"+Inf\"} %llu\n",
                  (unsigned long long)cumulative);
    gn_buf_printf(out, "genuine_decision_seconds_sum %.9f\ngenuine_decision_seconds_count %llu\n",
                  m->latency_sum, (unsigned long long)cumulative);
}
