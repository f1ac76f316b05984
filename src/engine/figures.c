/* Daily figures for the dashboard: a day's counts per filter (every
 * listing, one brand's, one category's) in a small hash by (filter, day),
 * and counts by day, filter and name in another. A listing counts under the
 * whole marketplace, its brand and its category. A period's figures are the
 * sum of its days: no store query, no scan of listings. What a listing
 * counted that can be taken back (its value kept from sale, its being
 * confirmed counterfeit) is remembered with the day it was counted, so that
 * putting it back live takes it out of that day again. */
#include "engine/figures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"

#define MS_PER_DAY 86400000LL
#define NOT_COUNTED INT32_MIN

static int64_t day_of(int64_t at)
{
    return at >= 0 ? at / MS_PER_DAY : -((-at + MS_PER_DAY - 1) / MS_PER_DAY);
}

void gn_figures_free(gn_figures *f)
{
    free(f->days);
    free(f->day_slots);
    free(f->counts);
    free(f->slots);
    gn_strmap_free(&f->names);
    gn_strmap_free(&f->filters);
    for (size_t i = 0; i < f->n_filters; i++)
        free(f->filter_names[i]);
    free(f->filter_names);
    free(f->listings);
    memset(f, 0, sizeof *f);
}

static size_t hash_of(int64_t d, uint32_t kind, uint32_t key, uint32_t filter, size_t mask)
{
    uint64_t h = (uint64_t)d * 0x9E3779B97F4A7C15ULL ^
                 ((uint64_t)kind << 32 | key) * 0xC2B2AE3D27D4EB4FULL ^
                 (uint64_t)filter * 0x165667B19E3779F9ULL;
    return (size_t)(h ^ h >> 29) & mask;
}

/* The figures of a day and filter, made on first use. */
static gn_day_figures *day(gn_figures *f, int64_t d, uint32_t filter)
{
    if (2 * (f->n_days + 1) > f->day_mask + 1) { /* at most half full */
        size_t size = f->day_mask ? 2 * (f->day_mask + 1) : 1024;
        free(f->day_slots);
        f->day_slots = gn_xcalloc(size, sizeof *f->day_slots);
        f->day_mask = size - 1;
        for (size_t i = 0; i < f->n_days; i++) {
            size_t s = hash_of(f->days[i].day, 0, 0, f->days[i].filter, f->day_mask);
            while (f->day_slots[s])
                s = (s + 1) & f->day_mask;
            f->day_slots[s] = (uint32_t)i + 1;
        }
    }
    size_t s = hash_of(d, 0, 0, filter, f->day_mask);
    for (; f->day_slots[s]; s = (s + 1) & f->day_mask) {
        gn_day_figures *x = &f->days[f->day_slots[s] - 1];
        if (x->day == d && x->filter == filter) return x;
    }
    if (f->n_days == f->cap_days) {
        f->cap_days = f->cap_days ? 2 * f->cap_days : 256;
        f->days = gn_xrealloc(f->days, f->cap_days * sizeof *f->days);
    }
    gn_day_figures *x = &f->days[f->n_days];
    memset(x, 0, sizeof *x);
    x->day = d;
    x->filter = filter;
    f->day_slots[s] = (uint32_t)++f->n_days;
    return x;
}

static void count(gn_figures *f, int64_t d, uint32_t kind, uint32_t key, uint32_t filter, int delta)
{
    if (2 * (f->n_counts + 1) > f->mask + 1) { /* keep the table at most half full */
        size_t size = f->mask ? 2 * (f->mask + 1) : 1024;
        free(f->slots);
        f->slots = gn_xcalloc(size, sizeof *f->slots);
        f->mask = size - 1;
        for (size_t i = 0; i < f->n_counts; i++) {
            const gn_keyed_count *c = &f->counts[i];
            size_t s = hash_of(c->day, c->kind, c->key, c->filter, f->mask);
            while (f->slots[s])
                s = (s + 1) & f->mask;
            f->slots[s] = (uint32_t)i + 1;
        }
    }
    size_t s = hash_of(d, kind, key, filter, f->mask);
    for (; f->slots[s]; s = (s + 1) & f->mask) {
        gn_keyed_count *c = &f->counts[f->slots[s] - 1];
        if (c->day == d && c->kind == kind && c->key == key && c->filter == filter) {
            c->count += (uint32_t)delta;
            return;
        }
    }
    if (f->n_counts == f->cap_counts) {
        f->cap_counts = f->cap_counts ? 2 * f->cap_counts : 256;
        f->counts = gn_xrealloc(f->counts, f->cap_counts * sizeof *f->counts);
    }
    f->counts[f->n_counts] = (gn_keyed_count){d, kind, key, filter, (uint32_t)delta};
    f->slots[s] = (uint32_t)++f->n_counts;
}

static uint32_t name_key(gn_figures *f, const char *name)
{
    int added;
    uint32_t *v = gn_strmap_put(&f->names, name ? name : "", &added, NULL);
    if (added) *v = (uint32_t)f->names.count - 1;
    return *v;
}

/* A brand's ("b:") or a category's ("c:") filter id, made on first use. */
static uint32_t filter_id(gn_figures *f, char kind, const char *id, const char *shown)
{
    char key[300];
    snprintf(key, sizeof key, "%c:%s", kind, id);
    int added;
    uint32_t *v = gn_strmap_put(&f->filters, key, &added, NULL);
    if (added) {
        if (f->n_filters == f->cap_filters) {
            f->cap_filters = f->cap_filters ? 2 * f->cap_filters : 64;
            f->filter_names = gn_xrealloc(f->filter_names, f->cap_filters * sizeof(char *));
        }
        f->filter_names[f->n_filters] = gn_xstrdup(shown && *shown ? shown : id);
        *v = (uint32_t)++f->n_filters;
    }
    return *v;
}

static uint32_t find_filter(const gn_figures *f, char kind, const char *id)
{
    char key[300];
    snprintf(key, sizeof key, "%c:%s", kind, id);
    const uint32_t *v = gn_strmap_find(&f->filters, key);
    return v ? *v : UINT32_MAX;
}

static gn_listing_figures *listing_of(gn_figures *f, uint32_t listing)
{
    if (listing == UINT32_MAX) return NULL;
    if (listing >= f->n_listings) {
        size_t n = f->n_listings ? f->n_listings : 1024;
        while (n <= listing)
            n *= 2;
        f->listings = gn_xrealloc(f->listings, n * sizeof *f->listings);
        for (size_t i = f->n_listings; i < n; i++)
            f->listings[i] = (gn_listing_figures){0, 0, NOT_COUNTED, NOT_COUNTED, 0, {0}};
        f->n_listings = n;
    }
    return &f->listings[listing];
}

/* The filters a listing counts under: every listing, its brand, its category. */
static int filters_of(const gn_listing_figures *l, uint32_t out[3])
{
    int n = 0;
    out[n++] = 0;
    if (l && l->brand) out[n++] = l->brand;
    if (l && l->category) out[n++] = l->category;
    return n;
}

/* Counts the listing's value kept from sale on day d (sign +1), or takes it
 * out again (-1). */
static void kept(gn_figures *f, const gn_listing_figures *l, int64_t d, int sign)
{
    uint32_t ids[3];
    int n = filters_of(l, ids);
    for (int i = 0; i < n; i++) {
        gn_day_figures *x = day(f, d, ids[i]);
        x->kept += (uint32_t)sign;
        if (l->kept_value < 0)
            x->kept_unpriced += (uint32_t)sign;
        else
            x->kept_value += sign * (double)l->kept_value;
    }
}

/* Down before its first order: counted from the day it went down; back up:
 * taken out of that day. */
static void keep_update(gn_figures *f, gn_listing_figures *l, int64_t at, int down, double value,
                        int ordered)
{
    if (down && l->kept_day == NOT_COUNTED && !ordered) {
        l->kept_day = (int32_t)day_of(at);
        l->kept_value = value >= 0 ? (float)value : -1.0f;
        kept(f, l, l->kept_day, +1);
    } else if (!down && l->kept_day != NOT_COUNTED) {
        kept(f, l, l->kept_day, -1);
        l->kept_day = NOT_COUNTED;
    }
}

void gn_figures_decision(gn_figures *f, int64_t at, uint32_t listing, int first, int action,
                         int down, const char *brand, const char *brand_name, const char *category,
                         double value, int ordered)
{
    gn_listing_figures *l = listing_of(f, listing);
    if (l) {
        l->brand = brand ? filter_id(f, 'b', brand, brand_name) : 0;
        l->category = category && *category ? filter_id(f, 'c', category, category) : 0;
    }
    uint32_t ids[3];
    int n = filters_of(l, ids);
    int64_t d = day_of(at);
    for (int i = 0; i < n; i++) {
        gn_day_figures *x = day(f, d, ids[i]);
        if (action >= 0 && action < 3) x->actions[action]++;
        if (!first) continue;
        x->first_decided++;
        if (action == 1) x->created_held++;
        if (action == 2) x->created_blocked++;
        if (action != 0 && l && l->brand) count(f, d, GN_FIG_BRAND, l->brand, ids[i], 1);
        if (action != 0 && l && l->category) count(f, d, GN_FIG_CATEGORY, l->category, ids[i], 1);
    }
    if (l) keep_update(f, l, at, down, value, ordered);
}

void gn_figures_status(gn_figures *f, int64_t at, uint32_t listing, int down, int removed,
                       double value, int ordered, const uint16_t *countries, int n_countries)
{
    gn_listing_figures *l = listing_of(f, listing);
    if (!l) return;
    keep_update(f, l, at, down, value, ordered);
    int sign = 0;
    if (removed && l->confirmed_day == NOT_COUNTED) {
        l->confirmed_day = (int32_t)day_of(at);
        memset(l->countries, 0, sizeof l->countries);
        for (int i = 0; i < n_countries && i < 4; i++)
            l->countries[i] = countries[i];
        sign = 1;
    } else if (!removed && l->confirmed_day != NOT_COUNTED) {
        sign = -1;
    }
    if (!sign) return;
    uint32_t ids[3];
    int n = filters_of(l, ids);
    for (int i = 0; i < n; i++) {
        day(f, l->confirmed_day, ids[i])->confirmed += (uint32_t)sign;
        for (int k = 0; k < 4 && l->countries[k]; k++)
            count(f, l->confirmed_day, GN_FIG_ORIGIN, l->countries[k], ids[i], sign);
    }
    if (sign < 0) l->confirmed_day = NOT_COUNTED;
}

void gn_figures_verdict(gn_figures *f, int64_t at, uint32_t listing, const char *reviewer,
                        int counterfeit)
{
    const gn_listing_figures *l = listing < f->n_listings ? &f->listings[listing] : NULL;
    uint32_t ids[3], who = name_key(f, reviewer);
    int n = filters_of(l, ids);
    for (int i = 0; i < n; i++) {
        day(f, day_of(at), ids[i])->verdicts[counterfeit ? 0 : 1]++;
        count(f, day_of(at), GN_FIG_REVIEWER, who, ids[i], 1);
    }
}

void gn_figures_appeal(gn_figures *f, int64_t at, uint32_t listing, const char *decided_by,
                       int upheld)
{
    const gn_listing_figures *l = listing < f->n_listings ? &f->listings[listing] : NULL;
    uint32_t ids[3];
    int n = filters_of(l, ids);
    for (int i = 0; i < n; i++) {
        day(f, day_of(at), ids[i])->appeals[upheld ? 0 : 1]++;
        if (upheld && decided_by)
            count(f, day_of(at), GN_FIG_REVERSED, name_key(f, decided_by), ids[i], 1);
    }
}

/* A notice's outcomes as the audit log names them; the first three decide
 * whether the filer was right (accepted: confirmed, settled; not: rejected). */
static const char *const outcomes[] = {
    "confirmed", "settled",  "rejected",        "opened",          "taken_down",
    "contested", "reversed", "unknown_listing", "already_removed", "not_covered"};
#define N_OUTCOMES (sizeof outcomes / sizeof *outcomes)

void gn_figures_notice(gn_figures *f, int64_t at, uint32_t listing, const char *outcome,
                       const char *filer)
{
    uint32_t k = 0;
    while (k < N_OUTCOMES && strcmp(outcomes[k], outcome) != 0)
        k++;
    if (k == N_OUTCOMES) return;
    const gn_listing_figures *l = listing < f->n_listings ? &f->listings[listing] : NULL;
    uint32_t ids[3], who = filer ? name_key(f, filer) : 0;
    int n = filters_of(l, ids);
    for (int i = 0; i < n; i++) {
        count(f, day_of(at), GN_FIG_NOTICE, k, ids[i], 1);
        if (k > 2 || !filer) continue;
        count(f, day_of(at), GN_FIG_FILER_DECIDED, who, ids[i], 1);
        if (k < 2) count(f, day_of(at), GN_FIG_FILER_ACCEPTED, who, ids[i], 1);
    }
}

/* ---- a period ---- */

typedef struct ranked {
    uint32_t key, count, other;
} ranked;

static int by_count(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    return x->count != y->count ? (x->count < y->count ? 1 : -1)
                                : (x->key > y->key) - (x->key < y->key);
}

static int by_day(const void *a, const void *b)
{
    const gn_day_figures *x = *(const gn_day_figures *const *)a,
                         *y = *(const gn_day_figures *const *)b;
    return (x->day > y->day) - (x->day < y->day);
}

/* Names of the keys of a strmap, by their value. */
static const char **names_by_key(const gn_strmap *m)
{
    const char **names = gn_xcalloc(m->count + 1, sizeof *names);
    for (size_t s = 0; m->slots && s <= m->mask; s++)
        if (m->slots[s].key && m->slots[s].value < m->count)
            names[m->slots[s].value] = m->slots[s].key;
    return names;
}

static void put_ranked(gn_buf *out, const char *member, const char *field, ranked *r, size_t n,
                       const gn_figures *f, const char **ids, const char *count_name)
{
    qsort(r, n, sizeof *r, by_count);
    gn_buf_printf(out, ",\"%s\":[", member);
    for (size_t i = 0, shown = 0; i < n && shown < 10; i++) {
        if (!r[i].count || !r[i].key || r[i].key > f->n_filters) continue;
        gn_buf_printf(out, "%s{\"%s\":", shown++ ? "," : "", field);
        gn_buf_json_string(out, f->filter_names[r[i].key - 1]);
        gn_buf_puts(out, ",\"id\":");
        gn_buf_json_string(out, ids[r[i].key] ? ids[r[i].key] + 2 : "");
        gn_buf_printf(out, ",\"%s\":%u}", count_name, r[i].count);
    }
    gn_buf_puts(out, "]");
}

/* Every brand and category the dashboard may be filtered by. */
static void put_filters(gn_buf *out, const gn_figures *f, const char **ids)
{
    gn_buf_puts(out, ",\"filters\":{\"brands\":[");
    for (int pass = 0; pass < 2; pass++) {
        if (pass) gn_buf_puts(out, "],\"categories\":[");
        int first = 1;
        for (size_t i = 1; i <= f->n_filters; i++) {
            if (!ids[i] || ids[i][0] != (pass ? 'c' : 'b')) continue;
            gn_buf_puts(out, first ? "{\"id\":" : ",{\"id\":");
            first = 0;
            gn_buf_json_string(out, ids[i] + 2);
            gn_buf_puts(out, ",\"name\":");
            gn_buf_json_string(out, f->filter_names[i - 1]);
            gn_buf_puts(out, "}");
        }
    }
    gn_buf_puts(out, "]}");
}

void gn_figures_json(const gn_figures *f, int64_t since, int64_t until, const char *brand,
                     const char *category, gn_buf *out)
{
    int64_t from = since == INT64_MIN ? INT64_MIN : day_of(since);
    int64_t to = until == INT64_MAX ? INT64_MAX : day_of(until - 1);
    uint32_t filter = 0;
    if (brand) filter = find_filter(f, 'b', brand);
    if (category) filter = find_filter(f, 'c', category);
    gn_day_figures sum = {0};
    const gn_day_figures **days = gn_xcalloc(f->n_days + 1, sizeof *days);
    size_t n_days = 0;
    for (size_t i = 0; i < f->n_days; i++) {
        const gn_day_figures *d = &f->days[i];
        if (d->filter != filter || d->day < from || d->day > to) continue;
        days[n_days++] = d;
        sum.first_decided += d->first_decided;
        sum.created_held += d->created_held;
        sum.created_blocked += d->created_blocked;
        for (int a = 0; a < 3; a++)
            sum.actions[a] += d->actions[a];
        for (int v = 0; v < 2; v++) {
            sum.verdicts[v] += d->verdicts[v];
            sum.appeals[v] += d->appeals[v];
        }
        sum.kept += d->kept;
        sum.kept_unpriced += d->kept_unpriced;
        sum.kept_value += d->kept_value;
        sum.confirmed += d->confirmed;
    }
    qsort(days, n_days, sizeof *days, by_day);
    uint32_t automated = sum.actions[0] + sum.actions[1] + sum.actions[2];
    gn_buf_printf(out,
                  "\"days\":%zu,\"listings_decided\":%u,\"decisions\":{\"allow\":%u,\"review\":%u,"
                  "\"block\":%u},\"held_at_creation\":%u,\"blocked_at_creation\":%u,"
                  "\"kept_from_sale_share\":%.4f,\"automated_decisions\":%u,\"human_verdicts\":{"
                  "\"counterfeit\":%u,\"genuine\":%u},\"appeals\":{\"upheld\":%u,\"rejected\":%u}",
                  n_days, sum.first_decided, sum.actions[0], sum.actions[1], sum.actions[2],
                  sum.created_held, sum.created_blocked,
                  sum.first_decided
                      ? (double)(sum.created_held + sum.created_blocked) / sum.first_decided
                      : 0.0,
                  automated, sum.verdicts[0], sum.verdicts[1], sum.appeals[0], sum.appeals[1]);
    gn_buf_printf(out,
                  ",\"value_kept\":{\"listings\":%u,\"usd\":%.2f,\"unpriced\":%u,\"formula\":"
                  "\"the sum, over the listings blocked or taken down before their first order, "
                  "of their brand's reference price for their category (in USD at the latest "
                  "rate); a listing put back live is taken out again, one whose brand has no "
                  "reference price is counted in unpriced\"},\"confirmed_counterfeits\":%u",
                  sum.kept - sum.kept_unpriced, sum.kept_value, sum.kept_unpriced, sum.confirmed);

    /* counts by name in the period, under the filter */
    size_t n_names = f->names.count;
    ranked *brands = gn_xcalloc(f->n_filters + 1, sizeof *brands);
    ranked *categories = gn_xcalloc(f->n_filters + 1, sizeof *categories);
    ranked *reviewers = gn_xcalloc(n_names + 1, sizeof *reviewers);
    ranked *filers = gn_xcalloc(n_names + 1, sizeof *filers);
    uint32_t notices[N_OUTCOMES] = {0};
    ranked origins[1024]; /* by country code's two letters, A-Z each: at most 26 * 26 */
    size_t n_origins = 0;
    for (size_t i = 0; i <= f->n_filters; i++)
        brands[i].key = categories[i].key = (uint32_t)i;
    for (size_t i = 0; i < n_names; i++)
        reviewers[i].key = filers[i].key = (uint32_t)i;
    for (size_t i = 0; i < f->n_counts; i++) {
        const gn_keyed_count *c = &f->counts[i];
        if (c->filter != filter || c->day < from || c->day > to) continue;
        switch (c->kind) {
        case GN_FIG_BRAND:
            if (c->key <= f->n_filters) brands[c->key].count += c->count;
            break;
        case GN_FIG_CATEGORY:
            if (c->key <= f->n_filters) categories[c->key].count += c->count;
            break;
        case GN_FIG_REVIEWER:
            reviewers[c->key].count += c->count;
            break;
        case GN_FIG_REVERSED:
            reviewers[c->key].other += c->count;
            break;
        case GN_FIG_FILER_DECIDED:
            filers[c->key].count += c->count;
            break;
        case GN_FIG_FILER_ACCEPTED:
            filers[c->key].other += c->count;
            break;
        case GN_FIG_NOTICE:
            if (c->key < N_OUTCOMES) notices[c->key] += c->count;
            break;
        case GN_FIG_ORIGIN: { /* keyed first letter high: ties in alphabetical order */
            uint32_t code = (c->key & 0xff) << 8 | c->key >> 8;
            size_t k = 0;
            while (k < n_origins && origins[k].key != code)
                k++;
            if (k == n_origins && n_origins < sizeof origins / sizeof *origins)
                origins[n_origins++] = (ranked){code, 0, 0};
            if (k < n_origins) origins[k].count += c->count;
            break;
        }
        }
    }
    /* filter ids to their keys ("b:rolex", "c:watches") */
    const char **ids = gn_xcalloc(f->n_filters + 2, sizeof *ids);
    for (size_t s = 0; f->filters.slots && s <= f->filters.mask; s++)
        if (f->filters.slots[s].key && f->filters.slots[s].value <= f->n_filters)
            ids[f->filters.slots[s].value] = f->filters.slots[s].key;
    put_ranked(out, "top_brands", "brand", brands, f->n_filters + 1, f, ids, "held_or_blocked");
    put_ranked(out, "top_categories", "category", categories, f->n_filters + 1, f, ids,
               "held_or_blocked");
    put_filters(out, f, ids);
    free(ids);

    const char **names = names_by_key(&f->names);
    qsort(reviewers, n_names, sizeof *reviewers, by_count);
    gn_buf_puts(out, ",\"reviewers\":[");
    int first = 1;
    for (size_t i = 0; i < n_names; i++) {
        if (!reviewers[i].count && !reviewers[i].other) continue;
        gn_buf_puts(out, first ? "{\"reviewer\":" : ",{\"reviewer\":");
        first = 0;
        gn_buf_json_string(out, names[reviewers[i].key] ? names[reviewers[i].key] : "");
        gn_buf_printf(out, ",\"verdicts\":%u,\"reversed_on_appeal\":%u}", reviewers[i].count,
                      reviewers[i].other);
    }
    gn_buf_puts(out, "],\"notices\":{");
    uint32_t decided = notices[0] + notices[1] + notices[2], accepted = notices[0] + notices[1];
    for (size_t k = 0; k < N_OUTCOMES; k++)
        gn_buf_printf(out, "%s\"%s\":%u", k ? "," : "", outcomes[k], notices[k]);
    gn_buf_printf(out, "},\"notices_decided\":%u,\"acceptance_rate\":", decided);
    if (decided)
        gn_buf_printf(out, "%.4f", (double)accepted / decided);
    else
        gn_buf_puts(out, "null");
    qsort(filers, n_names, sizeof *filers, by_count);
    gn_buf_puts(out, ",\"filers\":[");
    for (size_t i = 0, shown = 0; i < n_names && shown < 10; i++) {
        if (!filers[i].count) continue;
        gn_buf_puts(out, shown++ ? ",{\"filer\":" : "{\"filer\":");
        gn_buf_json_string(out, names[filers[i].key] ? names[filers[i].key] : "");
        gn_buf_printf(out, ",\"decided\":%u,\"accepted\":%u,\"acceptance_rate\":%.4f}",
                      filers[i].count, filers[i].other, (double)filers[i].other / filers[i].count);
    }
    qsort(origins, n_origins, sizeof *origins, by_count);
    gn_buf_puts(out, "],\"origins\":[");
    for (size_t i = 0, shown = 0; i < n_origins; i++) {
        if (!origins[i].count) continue;
        unsigned char a = origins[i].key >> 8, b = origins[i].key & 0xff;
        if (a < 'A' || a > 'Z' || b < 'A' || b > 'Z') continue;
        gn_buf_printf(out, "%s{\"country\":\"%c%c\",\"confirmed\":%u}", shown++ ? "," : "", a, b,
                      origins[i].count);
    }
    gn_buf_puts(out, "],\"by_day\":[");
    for (size_t i = 0; i < n_days; i++) {
        const gn_day_figures *d = days[i];
        char date[40];
        gn_time_format(d->day * MS_PER_DAY, date, sizeof date);
        date[10] = 0; /* the day alone: YYYY-MM-DD */
        gn_buf_printf(out,
                      "%s{\"day\":\"%s\",\"decided\":%u,\"held\":%u,\"blocked\":%u,\"verdicts\":%u,"
                      "\"kept_usd\":%.2f,\"confirmed\":%u}",
                      i ? "," : "", date, d->first_decided, d->created_held, d->created_blocked,
                      d->verdicts[0] + d->verdicts[1], d->kept_value, d->confirmed);
    }
    gn_buf_puts(out, "]");
    free(names);
    free(days);
    free(brands);
    free(categories);
    free(reviewers);
    free(filers);
}
