/* Daily figures for the dashboard: a sorted array of days (event time
 * mostly moves forward, so a new day is appended and a lookup finds it at
 * the end) and a small hash of counts by day and name. A period's figures
 * are the sum of its days: no store query, no scan of listings. */
#include "engine/figures.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"

#define MS_PER_DAY 86400000LL

static int64_t day_of(int64_t at)
{
    return at >= 0 ? at / MS_PER_DAY : -((-at + MS_PER_DAY - 1) / MS_PER_DAY);
}

void gn_figures_free(gn_figures *f)
{
    free(f->days);
    free(f->counts);
    free(f->slots);
    gn_strmap_free(&f->names);
    memset(f, 0, sizeof *f);
}

static gn_day_figures *day(gn_figures *f, int64_t at)
{
    int64_t d = day_of(at);
    size_t i = f->n_days;
    while (i > 0 && f->days[i - 1].day > d) /* usually none: time moves forward */
        i--;
    if (i > 0 && f->days[i - 1].day == d) return &f->days[i - 1];
    if (f->n_days == f->cap_days) {
        f->cap_days = f->cap_days ? 2 * f->cap_days : 64;
        f->days = gn_xrealloc(f->days, f->cap_days * sizeof *f->days);
    }
    memmove(&f->days[i + 1], &f->days[i], (f->n_days - i) * sizeof *f->days);
    f->n_days++;
    memset(&f->days[i], 0, sizeof *f->days);
    f->days[i].day = d;
    return &f->days[i];
}

static size_t slot_of(int64_t d, uint32_t kind, uint32_t key, size_t mask)
{
    uint64_t h =
        (uint64_t)d * 0x9E3779B97F4A7C15ULL ^ ((uint64_t)kind << 32 | key) * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ h >> 29) & mask;
}

static void count(gn_figures *f, int64_t at, uint32_t kind, uint32_t key)
{
    int64_t d = day_of(at);
    if (2 * (f->n_counts + 1) > f->mask + 1) { /* keep the table at most half full */
        size_t size = f->mask ? 2 * (f->mask + 1) : 1024;
        free(f->slots);
        f->slots = gn_xcalloc(size, sizeof *f->slots);
        f->mask = size - 1;
        for (size_t i = 0; i < f->n_counts; i++) {
            size_t s = slot_of(f->counts[i].day, f->counts[i].kind, f->counts[i].key, f->mask);
            while (f->slots[s])
                s = (s + 1) & f->mask;
            f->slots[s] = (uint32_t)i + 1;
        }
    }
    size_t s = slot_of(d, kind, key, f->mask);
    for (; f->slots[s]; s = (s + 1) & f->mask) {
        gn_keyed_count *c = &f->counts[f->slots[s] - 1];
        if (c->day == d && c->kind == kind && c->key == key) {
            c->count++;
            return;
        }
    }
    if (f->n_counts == f->cap_counts) {
        f->cap_counts = f->cap_counts ? 2 * f->cap_counts : 256;
        f->counts = gn_xrealloc(f->counts, f->cap_counts * sizeof *f->counts);
    }
    f->counts[f->n_counts] = (gn_keyed_count){d, kind, key, 1};
    f->slots[s] = (uint32_t)++f->n_counts;
}

static uint32_t name_key(gn_figures *f, const char *name)
{
    int added;
    uint32_t *v = gn_strmap_put(&f->names, name ? name : "", &added, NULL);
    if (added) *v = (uint32_t)f->names.count - 1;
    return *v;
}

void gn_figures_decision(gn_figures *f, int64_t at, int first, int action, uint32_t brand)
{
    gn_day_figures *d = day(f, at);
    if (action >= 0 && action < 3) d->actions[action]++;
    if (!first) return;
    d->first_decided++;
    if (action == 1) d->created_held++;
    if (action == 2) d->created_blocked++;
    if (action != 0 && brand != UINT32_MAX) count(f, at, GN_FIG_BRAND, brand);
}

void gn_figures_verdict(gn_figures *f, int64_t at, const char *reviewer, int counterfeit)
{
    day(f, at)->verdicts[counterfeit ? 0 : 1]++;
    count(f, at, GN_FIG_REVIEWER, name_key(f, reviewer));
}

void gn_figures_appeal(gn_figures *f, int64_t at, const char *decided_by, int upheld)
{
    day(f, at)->appeals[upheld ? 0 : 1]++;
    if (upheld && decided_by) count(f, at, GN_FIG_REVERSED, name_key(f, decided_by));
}

/* ---- a period ---- */

typedef struct ranked {
    uint32_t key, count, reversed;
} ranked;

static int by_count(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->count != y->count ? (x->count < y->count ? 1 : -1)
                                : (x->key > y->key) - (x->key < y->key);
}

void gn_figures_json(const gn_figures *f, int64_t since, int64_t until,
                     const char *(*brand_name)(void *ctx, uint32_t brand), void *ctx, gn_buf *out)
{
    int64_t from = since == INT64_MIN ? INT64_MIN : day_of(since);
    int64_t to = until == INT64_MAX ? INT64_MAX : day_of(until - 1);
    gn_day_figures sum = {0};
    size_t days = 0;
    gn_buf by_day = {0};
    for (size_t i = 0; i < f->n_days; i++) {
        const gn_day_figures *d = &f->days[i];
        if (d->day < from || d->day > to) continue;
        sum.first_decided += d->first_decided;
        sum.created_held += d->created_held;
        sum.created_blocked += d->created_blocked;
        for (int a = 0; a < 3; a++)
            sum.actions[a] += d->actions[a];
        for (int v = 0; v < 2; v++) {
            sum.verdicts[v] += d->verdicts[v];
            sum.appeals[v] += d->appeals[v];
        }
        char date[40];
        gn_time_format(d->day * MS_PER_DAY, date, sizeof date);
        date[10] = 0; /* the day alone: YYYY-MM-DD */
        gn_buf_printf(
            &by_day, "%s{\"day\":\"%s\",\"decided\":%u,\"held\":%u,\"blocked\":%u,\"verdicts\":%u}",
            days++ ? "," : "", date, d->first_decided, d->created_held, d->created_blocked,
            d->verdicts[0] + d->verdicts[1]);
    }
    uint32_t human = sum.verdicts[0] + sum.verdicts[1];
    uint32_t automated = sum.actions[0] + sum.actions[1] + sum.actions[2];
    gn_buf_printf(out,
                  "\"days\":%zu,\"listings_decided\":%u,\"decisions\":{\"allow\":%u,\"review\":%u,"
                  "\"block\":%u},\"held_at_creation\":%u,\"blocked_at_creation\":%u,"
                  "\"kept_from_sale_share\":%.4f,\"automated_decisions\":%u,\"human_verdicts\":{"
                  "\"counterfeit\":%u,\"genuine\":%u},\"appeals\":{\"upheld\":%u,\"rejected\":%u}",
                  days, sum.first_decided, sum.actions[0], sum.actions[1], sum.actions[2],
                  sum.created_held, sum.created_blocked,
                  sum.first_decided
                      ? (double)(sum.created_held + sum.created_blocked) / sum.first_decided
                      : 0.0,
                  automated, sum.verdicts[0], sum.verdicts[1], sum.appeals[0], sum.appeals[1]);
    (void)human;
    /* the brands and reviewers of the period, ranked */
    uint32_t max_brand = 0;
    for (size_t i = 0; i < f->n_counts; i++)
        if (f->counts[i].kind == GN_FIG_BRAND && f->counts[i].key > max_brand)
            max_brand = f->counts[i].key;
    ranked *brands = gn_xcalloc((size_t)max_brand + 1, sizeof *brands);
    ranked *reviewers = gn_xcalloc(f->names.count + 1, sizeof *reviewers);
    size_t n_brands = (size_t)max_brand + 1;
    for (size_t i = 0; i < n_brands; i++)
        brands[i].key = (uint32_t)i;
    for (size_t i = 0; i < f->names.count; i++)
        reviewers[i].key = (uint32_t)i;
    for (size_t i = 0; i < f->n_counts; i++) {
        const gn_keyed_count *c = &f->counts[i];
        if (c->day < from || c->day > to) continue;
        if (c->kind == GN_FIG_REVIEWER) reviewers[c->key].count += c->count;
        if (c->kind == GN_FIG_REVERSED) reviewers[c->key].reversed += c->count;
        if (c->kind == GN_FIG_BRAND) brands[c->key].count += c->count;
    }
    qsort(brands, n_brands, sizeof *brands, by_count);
    gn_buf_puts(out, ",\"top_brands\":[");
    for (size_t i = 0; i < n_brands && i < 10 && brands[i].count; i++) {
        gn_buf_puts(out, i ? ",{\"brand\":" : "{\"brand\":");
        gn_buf_json_string(out, brand_name(ctx, brands[i].key));
        gn_buf_printf(out, ",\"held_or_blocked\":%u}", brands[i].count);
    }
    /* reviewer names by key, to print them */
    const char **names = gn_xcalloc(f->names.count + 1, sizeof *names);
    for (size_t s = 0; f->names.slots && s <= f->names.mask; s++)
        if (f->names.slots[s].key) names[f->names.slots[s].value] = f->names.slots[s].key;
    qsort(reviewers, f->names.count, sizeof *reviewers, by_count);
    gn_buf_puts(out, "],\"reviewers\":[");
    int first = 1;
    for (size_t i = 0; i < f->names.count; i++) {
        if (!reviewers[i].count && !reviewers[i].reversed) continue;
        gn_buf_puts(out, first ? "{\"reviewer\":" : ",{\"reviewer\":");
        first = 0;
        gn_buf_json_string(out, names[reviewers[i].key] ? names[reviewers[i].key] : "");
        gn_buf_printf(out, ",\"verdicts\":%u,\"reversed_on_appeal\":%u}", reviewers[i].count,
                      reviewers[i].reversed);
    }
    gn_buf_printf(out, "],\"by_day\":[%s]", by_day.data ? by_day.data : "");
    free(names);
    free(brands);
    free(reviewers);
    gn_buf_free(&by_day);
}
