/* The transparency report (DSA Art. 15 and 24 style): per day, week or month,
 * what genuine and the workflows decided — decisions by action, removals by
 * cause, notices, appeals, sellers restricted, how fast notices were acted
 * on — counted by the store with GROUP BY, laid out here. */
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "report/report.h"

enum {
    C_ALLOW,
    C_REVIEW,
    C_BLOCK,
    C_LISTINGS,
    C_GENUINE_BLOCKS,
    C_RM_VERDICT,
    C_RM_UNANSWERED,
    C_RM_UPHELD,
    C_RM_TRUSTED,
    C_RM_REPORT,
    C_RM_OTHER,
    C_N_RECEIVED,
    C_N_CONTESTED,
    C_N_CONFIRMED,
    C_N_REJECTED,
    C_N_SETTLED,
    C_N_NOT_ACTIONABLE,
    C_COMPLAINTS,
    C_R_FILED,
    C_R_UPHELD,
    C_R_REJECTED,
    C_A_FILED,
    C_A_UPHELD,
    C_A_REJECTED,
    C_S_STRIKES,
    C_S_WARNED,
    C_S_SUSPENDED,
    C_S_CLOSED,
    C_S_BANNED,
    C_S_REINSTATED,
    C_COUNT
};

/* Which counter a counted group (kind, key) of the store adds to; a NULL key
 * takes every other key of its kind. */
static const struct {
    const char *kind, *key;
    int slot;
} inputs[] = {
    {"decision", "allow", C_ALLOW},
    {"decision", "review", C_REVIEW},
    {"decision", "block", C_BLOCK},
    {"listings", "decided", C_LISTINGS},
    {"block", "genuine", C_GENUINE_BLOCKS},
    {"block", "VERDICT_COUNTERFEIT", C_RM_VERDICT},
    {"block", "COMPLAINT_UNANSWERED", C_RM_UNANSWERED},
    {"block", "COMPLAINT_UPHELD", C_RM_UPHELD},
    {"block", "COMPLAINT_TRUSTED_FLAGGER", C_RM_TRUSTED},
    {"block", "REPORT_UPHELD", C_RM_REPORT},
    {"block", NULL, C_RM_OTHER},
    {"notice", "opened", C_N_RECEIVED},
    {"notice", "contested", C_N_CONTESTED},
    {"notice", "confirmed", C_N_CONFIRMED},
    {"notice", "rejected", C_N_REJECTED},
    {"notice", "settled", C_N_SETTLED},
    {"notice", "not_covered", C_N_NOT_ACTIONABLE},
    {"notice", "already_removed", C_N_NOT_ACTIONABLE},
    {"notice", "unknown_listing", C_N_NOT_ACTIONABLE},
    {"complaint", "filed", C_COMPLAINTS},
    {"report", "filed", C_R_FILED},
    {"report", "upheld", C_R_UPHELD},
    {"report", "rejected", C_R_REJECTED},
    {"appeal", "filed", C_A_FILED},
    {"appeal", "upheld", C_A_UPHELD},
    {"appeal", "rejected", C_A_REJECTED},
    {"seller", "strike", C_S_STRIKES},
    {"seller", "warned", C_S_WARNED},
    {"seller", "suspended", C_S_SUSPENDED},
    {"seller", "closed", C_S_CLOSED},
    {"seller", "banned", C_S_BANNED},
    {"seller", "reinstated", C_S_REINSTATED},
};

/* How the counters are laid out in the report: a NULL group is a number of its own. */
static const struct {
    const char *group, *name;
    int slot;
} outputs[] = {
    {"decisions", "allow", C_ALLOW},
    {"decisions", "review", C_REVIEW},
    {"decisions", "block", C_BLOCK},
    {NULL, "listings_decided", C_LISTINGS},
    {NULL, "blocked_by_genuine", C_GENUINE_BLOCKS},
    {"removals", "reviewer_verdict", C_RM_VERDICT},
    {"removals", "notice_unanswered", C_RM_UNANSWERED},
    {"removals", "notice_upheld", C_RM_UPHELD},
    {"removals", "trusted_flagger", C_RM_TRUSTED},
    {"removals", "report", C_RM_REPORT},
    {"removals", "other", C_RM_OTHER},
    {"notices", "received", C_N_RECEIVED},
    {"notices", "contested", C_N_CONTESTED},
    {"notices", "confirmed", C_N_CONFIRMED},
    {"notices", "rejected", C_N_REJECTED},
    {"notices", "settled", C_N_SETTLED},
    {"notices", "not_actionable", C_N_NOT_ACTIONABLE},
    {NULL, "complaints_filed", C_COMPLAINTS},
    {"reports", "filed", C_R_FILED},
    {"reports", "upheld", C_R_UPHELD},
    {"reports", "rejected", C_R_REJECTED},
    {"appeals", "filed", C_A_FILED},
    {"appeals", "upheld", C_A_UPHELD},
    {"appeals", "rejected", C_A_REJECTED},
    {"sellers", "strikes", C_S_STRIKES},
    {"sellers", "warned", C_S_WARNED},
    {"sellers", "suspended", C_S_SUSPENDED},
    {"sellers", "closed", C_S_CLOSED},
    {"sellers", "banned", C_S_BANNED},
    {"sellers", "reinstated", C_S_REINSTATED},
};

typedef struct period_figures {
    char key[16]; /* "2026-11-23" (a day, or a week's Monday) or "2026-11" */
    int64_t count[C_COUNT];
    double *hours; /* each notice's time from opening to outcome */
    size_t n_hours, cap_hours;
} period_figures;

typedef struct report {
    period_figures *periods;
    size_t n, cap, last;
} report;

static period_figures *period_of(report *r, const char *key)
{
    if (r->last < r->n && strcmp(r->periods[r->last].key, key) == 0) return &r->periods[r->last];
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->periods[i].key, key) == 0) return &r->periods[r->last = i];
    if (r->n == r->cap) {
        size_t cap = r->cap ? 2 * r->cap : 16;
        period_figures *p = gn_xrealloc(r->periods, cap * sizeof *p);
        r->periods = p;
        r->cap = cap;
    }
    period_figures *p = &r->periods[r->last = r->n++];
    memset(p, 0, sizeof *p);
    snprintf(p->key, sizeof p->key, "%s", key);
    return p;
}

static int add_count(void *ctx, const char *period, const char *kind, const char *key,
                     int64_t count)
{
    period_figures *p = period_of(ctx, period);
    if (!p) return GN_ENOMEM;
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        if (strcmp(inputs[i].kind, kind) == 0 &&
            (!inputs[i].key || strcmp(inputs[i].key, key) == 0)) {
            p->count[inputs[i].slot] += count;
            break;
        }
    return 0;
}

static int push_hours(period_figures *p, double hours)
{
    if (p->n_hours == p->cap_hours) {
        size_t cap = p->cap_hours ? 2 * p->cap_hours : 16;
        double *h = gn_xrealloc(p->hours, cap * sizeof *h);
        p->hours = h;
        p->cap_hours = cap;
    }
    p->hours[p->n_hours++] = hours;
    return 0;
}

static int add_delay(void *ctx, const char *period, double hours)
{
    period_figures *p = period_of(ctx, period);
    return p ? push_hours(p, hours) : GN_ENOMEM;
}

static int by_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const period_figures *)a)->key, ((const period_figures *)b)->key);
}

static void put_figures(gn_buf *b, period_figures *p)
{
    const char *group = NULL;
    for (size_t i = 0; i < sizeof outputs / sizeof *outputs; i++) {
        const char *g = outputs[i].group;
        if (group && (!g || strcmp(g, group) != 0)) gn_buf_puts(b, "}");
        if (g && (!group || strcmp(g, group) != 0))
            gn_buf_printf(b, ",\"%s\":{\"%s\":%lld", g, outputs[i].name,
                          (long long)p->count[outputs[i].slot]);
        else
            gn_buf_printf(b, ",\"%s\":%lld", outputs[i].name, (long long)p->count[outputs[i].slot]);
        group = g;
    }
    if (group) gn_buf_puts(b, "}");
    gn_buf_printf(b, ",\"notices_timed\":%zu,\"median_hours_notice_to_action\":", p->n_hours);
    if (!p->n_hours) {
        gn_buf_puts(b, "null");
        return;
    }
    qsort(p->hours, p->n_hours, sizeof *p->hours, by_double);
    size_t m = p->n_hours / 2;
    double median = p->n_hours % 2 ? p->hours[m] : (p->hours[m - 1] + p->hours[m]) / 2;
    gn_buf_printf(b, "%.2f", median);
}

static void report_free(report *r)
{
    for (size_t i = 0; i < r->n; i++)
        free(r->periods[i].hours);
    free(r->periods);
}

char *gn_report_transparency(const gn_report_src *src, const char *period, gn_error *err)
{
    if (!period) period = "month";
    if (strcmp(period, "day") != 0 && strcmp(period, "week") != 0 && strcmp(period, "month") != 0) {
        gn_fail(err, GN_EINPUT, "period: '%s' is not one of day, week, month", period);
        return NULL;
    }
    report r = {0};
    period_figures total = {0};
    int rc = src->store->query->count_by_period(src->store, period, add_count, &r, err);
    if (!rc) rc = src->store->query->each_notice_delay(src->store, period, add_delay, &r, err);
    for (size_t i = 0; !rc && i < r.n; i++) {
        for (int c = 0; c < C_COUNT; c++)
            total.count[c] += r.periods[i].count[c];
        for (size_t h = 0; !rc && h < r.periods[i].n_hours; h++)
            rc = push_hours(&total, r.periods[i].hours[h]);
    }
    if (rc) {
        if (rc == GN_ENOMEM) gn_fail(err, GN_ENOMEM, "out of memory");
        report_free(&r);
        free(total.hours);
        return NULL;
    }
    if (r.n) qsort(r.periods, r.n, sizeof *r.periods, by_key);
    gn_buf b = {0};
    gn_buf_printf(&b, "{\"period\":\"%s\",\"periods\":[", period);
    for (size_t i = 0; i < r.n; i++) {
        gn_buf_printf(&b, "%s{\"start\":", i ? "," : "");
        gn_buf_json_string(&b, r.periods[i].key);
        put_figures(&b, &r.periods[i]);
        gn_buf_puts(&b, "}");
    }
    gn_buf_puts(&b, "],\"totals\":{\"periods\":");
    gn_buf_printf(&b, "%zu", r.n);
    put_figures(&b, &total);
    gn_buf_puts(&b, "}}");
    report_free(&r);
    free(total.hours);
    return gn_buf_take(&b);
}
