/* The evaluation harness (eval.h). Listings are tracked by id: when each was
 * created, when it first went down (held or blocked), when it was taken down
 * for good (blocked, or removed by a verdict), and when it first sold while
 * live. A counterfeit listing counts as removed before its first sale when it
 * was taken down and never sold while live. */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "core/error.h"
#include "core/event.h"
#include "core/json.h"
#include "core/strmap.h"

#define MAX_TACTICS 32
#define BATCH 20000

typedef struct tracked {
    const char *id;     /* pooled by the id map */
    const char *seller; /* pooled; NULL until its listing event */
    int64_t created_at, removed_at, first_sale_at;
    uint32_t tactics;
    int8_t counterfeit; /* -1: not in the truth */
    uint8_t cls;        /* index into classes, for genuine listings */
    uint8_t status;     /* 0 live, 1 held, 2 blocked, 3 removed */
    uint8_t ever_held, verdict_due;
    uint8_t shop_closed; /* blocked because its seller was suspended or banned */
} tracked;

/* What the evaluation plays for the marketplace's people, when it is due: the
 * reviewer's verdict on a held listing; a genuine seller's counter-notice to
 * a complaint and the reviewer's verdict on it; a genuine seller's appeal
 * against a wrong verdict and another reviewer's decision on it. */
enum { DUE_VERDICT, DUE_COUNTER, DUE_COMPLAINT_VERDICT, DUE_APPEAL, DUE_APPEAL_VERDICT };

typedef struct due {
    int64_t at;
    uint32_t listing;
    uint8_t kind;
    const char *ref; /* pooled: the complaint or appeal */
} due;

struct gn_eval {
    gn_eval_options o;
    gn_engine *engine;
    char dir[64];
    gn_strmap ids;
    tracked *listings;
    uint32_t n, cap;
    const char *tactic_names[MAX_TACTICS], *class_names[MAX_TACTICS];
    int n_tactics, n_classes;
    gn_pool names;
    due *heap;
    size_t n_due, cap_due;
    gn_json_doc doc;
    int64_t start, now, next_retrain;
    uint64_t events, pending, verdicts, wrong_verdicts, counter_notices, appeals;
    int models;
    double train_seconds;
};

void gn_eval_options_init(gn_eval_options *o)
{
    memset(o, 0, sizeof *o);
    o->review_hours = 12;
    o->reviewer_error = 0.02;
    o->retrain_days = 1;
    o->warmup_days = 7;
    o->seed = 1;
}

static int intern_name(gn_eval *ev, const char **names, int *n, const char *name, size_t len)
{
    for (int i = 0; i < *n; i++)
        if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return i;
    if (*n == MAX_TACTICS) return MAX_TACTICS - 1;
    names[*n] = gn_pool_strdup(&ev->names, name, len);
    return (*n)++;
}

static uint32_t listing_index(gn_eval *ev, const char *id)
{
    int added;
    const char *key;
    uint32_t *slot = gn_strmap_put(&ev->ids, id, &added, &key);
    if (!added) return *slot;
    if (ev->n == ev->cap) {
        ev->cap = ev->cap ? ev->cap * 2 : 4096;
        tracked *grown = realloc(ev->listings, ev->cap * sizeof *grown);
        if (!grown) abort();
        ev->listings = grown;
    }
    tracked *t = &ev->listings[ev->n];
    memset(t, 0, sizeof *t);
    t->id = key;
    t->created_at = t->removed_at = t->first_sale_at = -1;
    t->counterfeit = -1;
    *slot = ev->n;
    return ev->n++;
}

/* One CSV row's fields (no quoting: the truth files hold none). */
static int split(char *line, char **fields, int max)
{
    int n = 0;
    for (char *p = line; n < max;) {
        fields[n++] = p;
        char *c = strchr(p, ',');
        if (!c) break;
        *c = 0;
        p = c + 1;
    }
    char *nl = strpbrk(fields[n - 1], "\r\n");
    if (nl) *nl = 0;
    return n;
}

static int read_truth(gn_eval *ev, FILE *f, const char *name, gn_error *err)
{
    char *line = NULL, *fields[32];
    size_t cap = 0;
    int col_listing = -1, col_fake = -1, col_tactics = -1, col_class = -1, n;
    unsigned long row = 1;
    if (getline(&line, &cap, f) < 0) {
        free(line);
        return gn_fail(err, GN_EINPUT, "%s: empty truth file", name);
    }
    n = split(line, fields, 32);
    for (int i = 0; i < n; i++) {
        if (strcmp(fields[i], "listing") == 0)
            col_listing = i;
        else if (strcmp(fields[i], "counterfeit") == 0)
            col_fake = i;
        else if (strcmp(fields[i], "tactics") == 0 || strcmp(fields[i], "tactic") == 0)
            col_tactics = i;
        else if (strcmp(fields[i], "class") == 0)
            col_class = i;
    }
    if (col_listing < 0 || col_fake < 0) {
        free(line);
        return gn_fail(err, GN_EINPUT, "%s:1: the header needs 'listing' and 'counterfeit' columns",
                       name);
    }
    while (getline(&line, &cap, f) > 0) {
        row++;
        n = split(line, fields, 32);
        if (n <= col_listing || n <= col_fake ||
            (strcmp(fields[col_fake], "0") && strcmp(fields[col_fake], "1"))) {
            free(line);
            return gn_fail(err, GN_EINPUT, "%s:%lu: expected a listing id and counterfeit 0 or 1",
                           name, row);
        }
        uint32_t index = listing_index(ev, fields[col_listing]); /* may move the array */
        tracked *t = &ev->listings[index];
        t->counterfeit = fields[col_fake][0] == '1';
        if (col_class >= 0 && col_class < n)
            t->cls = (uint8_t)intern_name(ev, ev->class_names, &ev->n_classes, fields[col_class],
                                          strlen(fields[col_class]));
        if (col_tactics >= 0 && col_tactics < n)
            for (char *p = fields[col_tactics]; *p;) {
                size_t len = strcspn(p, "+");
                if (len)
                    t->tactics |= 1u << intern_name(ev, ev->tactic_names, &ev->n_tactics, p, len);
                p += len + (p[len] == '+');
            }
    }
    free(line);
    return 0;
}

int gn_eval_new(gn_eval **out, const gn_eval_options *o, FILE *truth, const char *truth_name,
                gn_error *err)
{
    gn_eval *ev = calloc(1, sizeof *ev);
    if (!ev) return gn_fail(err, GN_ENOMEM, "out of memory");
    ev->o = *o;
    gn_json_doc_init(&ev->doc);
    ev->start = INT64_MIN;
    int rc = read_truth(ev, truth, truth_name, err);
    char path[96];
    const char *db = o->db_path;
    if (!rc && !db) {
        snprintf(ev->dir, sizeof ev->dir, "/tmp/genuine-eval-XXXXXX");
        if (!mkdtemp(ev->dir)) rc = gn_fail(err, GN_ESTORE, "could not make a temporary directory");
        snprintf(path, sizeof path, "%s/eval.db", ev->dir);
        db = path;
    }
    gn_engine_options eo = {.db_path = db, .config_path = o->config_path};
    if (!rc) rc = gn_engine_open(&ev->engine, &eo, err);
    if (rc) {
        gn_eval_free(ev);
        return rc;
    }
    *out = ev;
    return 0;
}

/* ---- the reviewer's queue: a min-heap by due time ---- */

static void push_due(gn_eval *ev, int64_t at, uint32_t listing, int kind, const char *ref)
{
    if (ev->n_due == ev->cap_due) {
        ev->cap_due = ev->cap_due ? ev->cap_due * 2 : 1024;
        due *grown = realloc(ev->heap, ev->cap_due * sizeof *grown);
        if (!grown) abort();
        ev->heap = grown;
    }
    size_t i = ev->n_due++;
    ev->heap[i] = (due){at, listing, (uint8_t)kind, ref};
    while (i > 0 && ev->heap[(i - 1) / 2].at > ev->heap[i].at) {
        due t = ev->heap[i];
        ev->heap[i] = ev->heap[(i - 1) / 2];
        ev->heap[(i - 1) / 2] = t;
        i = (i - 1) / 2;
    }
}

static due pop_due(gn_eval *ev)
{
    due top = ev->heap[0];
    ev->heap[0] = ev->heap[--ev->n_due];
    for (size_t i = 0;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < ev->n_due && ev->heap[l].at < ev->heap[m].at) m = l;
        if (r < ev->n_due && ev->heap[r].at < ev->heap[m].at) m = r;
        if (m == i) break;
        due t = ev->heap[i];
        ev->heap[i] = ev->heap[m];
        ev->heap[m] = t;
        i = m;
    }
    return top;
}

static uint64_t mix(uint64_t x)
{
    x ^= x >> 31;
    x *= 0x7fb5d329728ea185ULL;
    x ^= x >> 27;
    x *= 0x81dadef4bc2dd44dULL;
    return x ^ (x >> 33);
}

static int ingest(gn_eval *ev, const char *json, size_t len, gn_result *res, gn_error *err)
{
    int rc = gn_ingest(ev->engine, json, len, res, err);
    if (!rc && ++ev->pending == BATCH) {
        ev->pending = 0;
        rc = gn_commit(ev->engine, err);
    }
    return rc;
}

static void note_status(gn_eval *ev, uint32_t i, const char *status, int64_t at)
{
    tracked *t = &ev->listings[i];
    int s = strcmp(status, "held") == 0      ? 1
            : strcmp(status, "blocked") == 0 ? 2
            : strcmp(status, "removed") == 0 ? 3
                                             : 0;
    t->status = (uint8_t)s;
    if (s == 1) t->ever_held = 1;
    if (s >= 2 && t->removed_at < 0) t->removed_at = at;
}

/* The reviewer's draw for a listing: wrong on reviewer_error of them. */
static int reviewer_wrong(gn_eval *ev, uint32_t listing, uint64_t salt)
{
    double draw = (double)(mix(ev->o.seed * 0x9e3779b97f4a7c15ULL + listing + (salt << 40)) >> 11) /
                  9007199254740992.0;
    return draw < ev->o.reviewer_error;
}

/* Feeds an event the evaluation wrote itself; a refusal (the workflow had
 * moved on) is not an error. */
static int play(gn_eval *ev, const char *json, int n, gn_error *err)
{
    gn_result res;
    return ingest(ev, json, (size_t)n, &res, err);
}

static int play_due(gn_eval *ev, due d, gn_error *err)
{
    tracked *t = &ev->listings[d.listing];
    char at[32], json[1200];
    gn_time_format(d.at * 1000, at, sizeof at);
    int n, rc;
    switch (d.kind) {
    case DUE_COUNTER:
        ev->counter_notices++;
        n = snprintf(json, sizeof json,
                     "{\"type\":\"counter_notice\",\"id\":\"eval-counter-%llu\",\"at\":\"%s\","
                     "\"complaint\":\"%s\",\"listing\":\"%s\",\"seller\":\"%s\",\"statement\":"
                     "\"These are genuine goods; invoices attached.\"}",
                     (unsigned long long)ev->counter_notices, at, d.ref, t->id, t->seller);
        rc = play(ev, json, n, err);
        if (!rc)
            push_due(ev, d.at + (int64_t)(ev->o.review_hours * 3600), d.listing,
                     DUE_COMPLAINT_VERDICT, d.ref);
        return rc;
    case DUE_COMPLAINT_VERDICT: {
        int counterfeit = t->counterfeit ^ reviewer_wrong(ev, d.listing, 1);
        n = snprintf(json, sizeof json,
                     "{\"type\":\"verdict\",\"id\":\"eval-verdict-%llu\",\"at\":\"%s\","
                     "\"subject\":\"complaint\",\"target\":\"%s\",\"outcome\":\"%s\","
                     "\"reviewer\":\"eval-reviewer\"}",
                     (unsigned long long)ev->verdicts++, at, d.ref,
                     counterfeit ? "upheld" : "rejected");
        rc = play(ev, json, n, err);
        if (!rc && counterfeit) note_status(ev, d.listing, "removed", d.at);
        return rc;
    }
    case DUE_APPEAL:
        ev->appeals++;
        n = snprintf(json, sizeof json,
                     "{\"type\":\"appeal\",\"id\":\"eval-appeal-%llu\",\"at\":\"%s\","
                     "\"appeal\":\"eval-A%llu\",\"seller\":\"%s\",\"target\":\"%s\","
                     "\"statement\":\"The reviewer was wrong: genuine goods.\"}",
                     (unsigned long long)ev->appeals, at, (unsigned long long)ev->appeals,
                     t->seller, t->id);
        rc = play(ev, json, n, err);
        if (!rc) {
            char ref[32];
            snprintf(ref, sizeof ref, "eval-A%llu", (unsigned long long)ev->appeals);
            push_due(ev, d.at + (int64_t)(ev->o.review_hours * 3600), d.listing, DUE_APPEAL_VERDICT,
                     gn_pool_strdup(&ev->names, ref, strlen(ref)));
        }
        return rc;
    case DUE_APPEAL_VERDICT: {
        int genuine = !t->counterfeit ^ reviewer_wrong(ev, d.listing, 2);
        n = snprintf(json, sizeof json,
                     "{\"type\":\"verdict\",\"id\":\"eval-verdict-%llu\",\"at\":\"%s\","
                     "\"subject\":\"appeal\",\"target\":\"%s\",\"outcome\":\"%s\","
                     "\"reviewer\":\"eval-appeals-reviewer\"}",
                     (unsigned long long)ev->verdicts++, at, d.ref,
                     genuine ? "upheld" : "rejected");
        return play(ev, json, n, err);
    }
    }
    /* DUE_VERDICT: the reviewer decides a held listing */
    t->verdict_due = 0;
    if (t->status != 1 || t->counterfeit < 0)
        return 0; /* no longer held (a new version was allowed), or not in the truth */
    int wrong = reviewer_wrong(ev, d.listing, 0);
    int counterfeit = t->counterfeit ^ wrong;
    ev->wrong_verdicts += (uint64_t)wrong;
    n = snprintf(json, sizeof json,
                 "{\"type\":\"verdict\",\"id\":\"eval-verdict-%llu\",\"at\":\"%s\","
                 "\"subject\":\"listing\",\"target\":\"%s\",\"outcome\":\"%s\","
                 "\"reviewer\":\"eval-reviewer\"}",
                 (unsigned long long)ev->verdicts++, at, t->id,
                 counterfeit ? "counterfeit" : "genuine");
    if ((rc = play(ev, json, n, err))) return rc;
    note_status(ev, d.listing, counterfeit ? "removed" : "live", d.at);
    /* a genuine seller appeals a wrong takedown the next day */
    if (counterfeit && !t->counterfeit && t->seller)
        push_due(ev, d.at + 86400, d.listing, DUE_APPEAL, NULL);
    return 0;
}

/* The people of the marketplace do what is due until `until`. */
static int play_verdicts(gn_eval *ev, int64_t until, gn_error *err)
{
    int rc = 0;
    while (!rc && ev->n_due > 0 && ev->heap[0].at <= until)
        rc = play_due(ev, pop_due(ev), err);
    return rc;
}

/* A complaint names listings: the sellers of the genuine ones answer within
 * a day (a counterfeiter does not answer: its listing comes down). */
static void answer_complaint(gn_eval *ev, const gn_json *root, int64_t at)
{
    const char *complaint = gn_json_str(root, "complaint");
    const gn_json *listings = gn_json_get(root, "listings");
    const char *ref = NULL;
    for (size_t k = 0; k < gn_json_size(listings); k++) {
        uint32_t *i = gn_strmap_find(&ev->ids, gn_json_string(gn_json_at(listings, k), NULL));
        if (!i || ev->listings[*i].counterfeit != 0 || !ev->listings[*i].seller) continue;
        if (!ref) ref = gn_pool_strdup(&ev->names, complaint, strlen(complaint));
        push_due(ev, at + 86400, *i, DUE_COUNTER, ref);
    }
}

/* Retrains once a day (of event time) once there is something to learn from. */
static int maybe_retrain(gn_eval *ev, int64_t now, gn_error *err)
{
    if (ev->o.retrain_days <= 0 || ev->start == INT64_MIN || now < ev->next_retrain) return 0;
    ev->next_retrain = now + (int64_t)(ev->o.retrain_days * 86400);
    gn_train_report r;
    gn_error why;
    int rc = gn_train(ev->engine, &r, &why);
    if (rc == GN_EINPUT) return 0; /* not enough labels yet */
    if (rc) return gn_fail(err, rc, "%s", why.message);
    ev->models = r.version;
    ev->train_seconds += r.seconds;
    return 0;
}

int gn_eval_event(gn_eval *ev, const char *line, size_t len, gn_error *err)
{
    const gn_json *root = gn_json_parse(&ev->doc, line, len, err);
    if (!root) return GN_EINPUT;
    int64_t at_ms;
    const char *at_text = gn_json_str(root, "at"), *type = gn_json_str(root, "type");
    if (!type || !at_text || gn_time_parse(at_text, &at_ms))
        return gn_fail(err, GN_EINPUT, "an event without a type or an RFC 3339 'at'");
    int64_t at = at_ms / 1000;
    /* The marketplace opens with its first listing (sellers and brands may
     * carry older dates): warm-up and retraining count from there. */
    if (ev->start == INT64_MIN && strcmp(type, "listing") == 0) {
        ev->start = at;
        ev->next_retrain = at + (int64_t)(ev->o.retrain_days * 86400);
    }
    ev->now = at;
    int rc = play_verdicts(ev, at, err);
    if (!rc) rc = maybe_retrain(ev, at, err);
    if (rc) return rc;
    /* Orders: a first sale counts only while the listing is live. Read before
     * ingesting, since the event's text is needed again below. */
    int is_listing = strcmp(type, "listing") == 0, is_order = strcmp(type, "order") == 0;
    char id[300] = "", seller[300] = "";
    if (is_listing || is_order)
        snprintf(id, sizeof id, "%s",
                 gn_json_str(root, "listing") ? gn_json_str(root, "listing") : "");
    if (is_listing && gn_json_str(root, "seller"))
        snprintf(seller, sizeof seller, "%s", gn_json_str(root, "seller"));
    if (strcmp(type, "complaint") == 0) answer_complaint(ev, root, at);
    gn_result res;
    if ((rc = ingest(ev, line, len, &res, err))) return rc;
    ev->events++;
    if (!id[0] || res.outcome != GN_ACCEPTED) return 0;
    uint32_t i = listing_index(ev, id);
    tracked *t = &ev->listings[i];
    if (is_order) {
        if (t->created_at >= 0 && t->status == 0 && t->first_sale_at < 0) t->first_sale_at = at;
        return 0;
    }
    if (t->created_at < 0) t->created_at = at;
    if (!t->seller && seller[0]) t->seller = gn_pool_strdup(&ev->names, seller, strlen(seller));
    const gn_json *d = gn_json_parse(&ev->doc, res.decision_json, strlen(res.decision_json), err);
    if (!d) return GN_EINPUT;
    if (t->status != 3) note_status(ev, i, gn_json_str(d, "status"), at);
    /* taken down with its shop (enforcement), not for what the listing shows */
    const char *first = gn_json_str(gn_json_at(gn_json_get(d, "reasons"), 0), "code");
    if (t->status == 2 && first &&
        (strcmp(first, "SELLER_SUSPENDED") == 0 || strcmp(first, "SELLER_BANNED") == 0))
        t->shop_closed = 1;
    if (t->status == 1 && !t->verdict_due) {
        t->verdict_due = 1;
        push_due(ev, at + (int64_t)(ev->o.review_hours * 3600), i, DUE_VERDICT, NULL);
    }
    return 0;
}

int gn_eval_finish(gn_eval *ev, gn_error *err)
{
    int rc = play_verdicts(ev, INT64_MAX, err);
    if (!rc) rc = gn_commit(ev->engine, err);
    return rc;
}

/* ---- the figures ---- */

typedef struct tally {
    uint64_t listings, removed, presale, sold_first, held;
    double hours_sum;
    double *hours;
    size_t n_hours, cap_hours;
} tally;

static void count(tally *y, const tracked *t)
{
    y->listings++;
    y->held += t->ever_held;
    if (t->removed_at >= 0) {
        y->removed++;
        if (t->first_sale_at < 0) y->presale++;
        if (y->n_hours == y->cap_hours) {
            y->cap_hours = y->cap_hours ? y->cap_hours * 2 : 256;
            y->hours = realloc(y->hours, y->cap_hours * sizeof *y->hours);
            if (!y->hours) abort();
        }
        y->hours[y->n_hours++] = (double)(t->removed_at - t->created_at) / 3600.0;
    }
    y->sold_first += t->first_sale_at >= 0;
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median_hours(tally *y)
{
    if (y->n_hours == 0) return NAN;
    qsort(y->hours, y->n_hours, sizeof *y->hours, by_value);
    return y->hours[y->n_hours / 2];
}

static double share(uint64_t part, uint64_t whole)
{
    return whole ? (double)part / (double)whole : NAN;
}

void gn_eval_report(const gn_eval *ev, FILE *table, FILE *json)
{
    tally fakes = {0}, genuine = {0}, by_tactic[MAX_TACTICS] = {{0}}, by_class[MAX_TACTICS] = {{0}};
    uint64_t scored = 0, held = 0, closed_shops = 0;
    int64_t from = ev->start + (int64_t)(ev->o.warmup_days * 86400);
    for (uint32_t i = 0; i < ev->n; i++) {
        const tracked *t = &ev->listings[i];
        if (t->counterfeit < 0 || t->created_at < 0 || t->created_at < from) continue;
        scored++;
        held += t->ever_held;
        if (t->counterfeit) {
            count(&fakes, t);
            for (int k = 0; k < ev->n_tactics; k++)
                if (t->tactics & (1u << k)) count(&by_tactic[k], t);
        } else {
            count(&genuine, t);
            if (ev->n_classes) count(&by_class[t->cls], t);
            closed_shops += t->removed_at >= 0 && t->shop_closed;
        }
    }
    double presale = share(fakes.presale, fakes.listings);
    double false_takedowns = share(genuine.removed, genuine.listings);
    double load = share(held, scored);
    double hours = median_hours(&fakes);
    if (table) {
        fprintf(table,
                "genuine eval: %llu events, %llu listings scored (created after day %.0f), "
                "%llu verdicts (%llu wrong on purpose), %llu counter-notices and %llu appeals "
                "by genuine sellers, %d models trained (%.1f s)\n",
                (unsigned long long)ev->events, (unsigned long long)scored, ev->o.warmup_days,
                (unsigned long long)ev->verdicts, (unsigned long long)ev->wrong_verdicts,
                (unsigned long long)ev->counter_notices, (unsigned long long)ev->appeals,
                ev->models, ev->train_seconds);
        fprintf(table,
                "  pre-sale removal   %6.2f%%  of %llu counterfeit listings taken down before a "
                "first sale\n",
                100 * presale, (unsigned long long)fakes.listings);
        fprintf(table,
                "  false takedowns    %6.3f%%  of %llu genuine listings blocked or removed\n",
                100 * false_takedowns, (unsigned long long)genuine.listings);
        fprintf(table,
                "    of which          %6.3f%%  with their shop, suspended or closed for its "
                "counterfeits (%llu)\n",
                100 * share(closed_shops, genuine.listings), (unsigned long long)closed_shops);
        fprintf(table, "  review load        %6.2f%%  of all listings held for review\n",
                100 * load);
        fprintf(table, "  time to removal    %6.1f h   median, counterfeit listings taken down\n",
                hours);
        fprintf(table, "\n  %-34s %9s %10s %9s %10s\n", "counterfeit tactic", "listings",
                "pre-sale", "held", "median h");
        for (int k = 0; k < ev->n_tactics; k++) {
            tally *y = &by_tactic[k];
            if (!y->listings) continue;
            fprintf(table, "  %-34s %9llu %9.2f%% %8.2f%% %10.1f\n", ev->tactic_names[k],
                    (unsigned long long)y->listings, 100 * share(y->presale, y->listings),
                    100 * share(y->held, y->listings), median_hours(y));
        }
        if (ev->n_classes) {
            fprintf(table, "\n  %-34s %9s %10s %9s\n", "genuine class", "listings", "taken down",
                    "held");
            for (int k = 0; k < ev->n_classes; k++) {
                tally *y = &by_class[k];
                if (!y->listings) continue;
                fprintf(table, "  %-34s %9llu %9.3f%% %8.2f%%\n", ev->class_names[k],
                        (unsigned long long)y->listings, 100 * share(y->removed, y->listings),
                        100 * share(y->held, y->listings));
            }
        }
    }
    if (json) {
        fprintf(json,
                "{\"events\":%llu,\"scored_listings\":%llu,\"counterfeit\":%llu,\"genuine\":%llu,"
                "\"presale_removal\":%.6f,\"false_takedowns\":%.6f,\"review_load\":%.6f,"
                "\"median_hours_to_removal\":%.3f,\"verdicts\":%llu,\"models\":%d,"
                "\"false_takedowns_with_closed_shops\":%.6f,\"by_tactic\":{",
                (unsigned long long)ev->events, (unsigned long long)scored,
                (unsigned long long)fakes.listings, (unsigned long long)genuine.listings, presale,
                false_takedowns, load, isnan(hours) ? -1.0 : hours,
                (unsigned long long)ev->verdicts, ev->models,
                share(closed_shops, genuine.listings));
        int first = 1;
        for (int k = 0; k < ev->n_tactics; k++) {
            tally *y = &by_tactic[k];
            if (!y->listings) continue;
            fprintf(json, "%s\"%s\":{\"listings\":%llu,\"presale_removal\":%.6f,\"held\":%.6f}",
                    first ? "" : ",", ev->tactic_names[k], (unsigned long long)y->listings,
                    share(y->presale, y->listings), share(y->held, y->listings));
            first = 0;
        }
        fprintf(json, "},\"by_class\":{");
        first = 1;
        for (int k = 0; k < ev->n_classes; k++) {
            tally *y = &by_class[k];
            if (!y->listings) continue;
            fprintf(json, "%s\"%s\":{\"listings\":%llu,\"taken_down\":%.6f,\"held\":%.6f}",
                    first ? "" : ",", ev->class_names[k], (unsigned long long)y->listings,
                    share(y->removed, y->listings), share(y->held, y->listings));
            first = 0;
        }
        fprintf(json, "}}\n");
    }
    free(fakes.hours);
    free(genuine.hours);
    for (int k = 0; k < MAX_TACTICS; k++) {
        free(by_tactic[k].hours);
        free(by_class[k].hours);
    }
}

void gn_eval_free(gn_eval *ev)
{
    if (!ev) return;
    gn_engine_close(ev->engine);
    if (ev->dir[0]) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf '%s'", ev->dir);
        if (system(cmd) != 0) fprintf(stderr, "genuine eval: could not remove %s\n", ev->dir);
    }
    gn_strmap_free(&ev->ids);
    gn_pool_free(&ev->names);
    free(ev->listings);
    free(ev->heap);
    gn_json_doc_free(&ev->doc);
    free(ev);
}
