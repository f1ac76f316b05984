/* The evaluation harness (eval.h). Listings are tracked by id: when each was
 * created, when it first went down (held or blocked), when it was taken down
 * for good (blocked, or removed by a verdict), and when it first sold while
 * live. A counterfeit listing counts as removed before its first sale when it
 * was taken down and never sold while live. */
#include "eval/eval.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
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
    uint8_t shop_closed;  /* blocked because its seller was suspended or banned */
    uint8_t first_action; /* the decision at creation: 0 none yet, 1 allow, 2 review, 3 block */
    uint8_t labelled;     /* a reviewer's verdict on the listing itself was played */
    uint8_t final_status; /* the engine's status at the end (as status), 255 unknown */
} tracked;

/* What the evaluation plays for the marketplace's people, when it is due: the
 * reviewer's verdict on a held listing; a genuine seller's counter-notice to
 * a complaint and the reviewer's verdict on it; a genuine seller's appeal
 * against a wrong verdict and another reviewer's decision on it. */
enum { DUE_VERDICT, DUE_COUNTER, DUE_COMPLAINT_VERDICT, DUE_APPEAL, DUE_APPEAL_VERDICT, DUE_AUDIT };

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
    uint64_t events, pending, verdicts, wrong_verdicts, counter_notices, appeals, audits;
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
    o->audit_rate = 0.02;
    o->audit_days = 2;
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
        tracked *grown = gn_xrealloc(ev->listings, ev->cap * sizeof *grown);
        ev->listings = grown;
    }
    tracked *t = &ev->listings[ev->n];
    memset(t, 0, sizeof *t);
    t->id = key;
    t->created_at = t->removed_at = t->first_sale_at = -1;
    t->counterfeit = -1;
    t->final_status = 255;
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
    gn_eval *ev = gn_xcalloc(1, sizeof *ev);
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
        due *grown = gn_xrealloc(ev->heap, ev->cap_due * sizeof *grown);
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
    case DUE_AUDIT:
        /* the platform's random audit: a reviewer looks at the listing
         * whatever genuine decided, unless a reviewer already has */
        if (t->labelled || t->counterfeit < 0) return 0;
        ev->audits++;
        break;
    }
    if (d.kind == DUE_VERDICT) { /* the reviewer decides a held listing */
        t->verdict_due = 0;
        if (t->status != 1 || t->labelled || t->counterfeit < 0)
            return 0; /* no longer held (a new version was allowed), or not in the truth */
    }
    t->labelled = 1;
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
    int created = t->created_at < 0;
    if (created) t->created_at = at;
    if (!t->seller && seller[0]) t->seller = gn_pool_strdup(&ev->names, seller, strlen(seller));
    const gn_json *d = gn_json_parse(&ev->doc, res.decision_json, strlen(res.decision_json), err);
    if (!d) return GN_EINPUT;
    if (created) {
        const char *action = gn_json_str(d, "action");
        t->first_action = !action                         ? 0
                          : strcmp(action, "block") == 0  ? 3
                          : strcmp(action, "review") == 0 ? 2
                                                          : 1;
        /* the platform's random audit sample, a reviewer's verdict some days on */
        double draw = (double)(mix(ev->o.seed * 0xd1b54a32d192ed03ULL + i + (3ULL << 40)) >> 11) /
                      9007199254740992.0;
        if (draw < ev->o.audit_rate)
            push_due(ev, at + (int64_t)(ev->o.audit_days * 86400), i, DUE_AUDIT, NULL);
    }
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

/* The engine's status of every listing once everything due was played:
 * what "taken down by the end" counts. */
static int read_final_status(gn_eval *ev, gn_error *err)
{
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (!out) return gn_fail(err, GN_ENOMEM, "out of memory");
    int rc = gn_decisions_write(ev->engine, out, err);
    fclose(out);
    for (char *line = text; !rc && line && line < text + len;) {
        char *nl = memchr(line, '\n', (size_t)(text + len - line));
        size_t n = nl ? (size_t)(nl - line) : (size_t)(text + len - line);
        const gn_json *d = gn_json_parse(&ev->doc, line, n, err);
        if (!d) {
            rc = GN_EINPUT;
            break;
        }
        const char *id = gn_json_str(d, "listing"), *status = gn_json_str(d, "status");
        uint32_t *i = id ? gn_strmap_find(&ev->ids, id) : NULL;
        if (i && status)
            ev->listings[*i].final_status = strcmp(status, "held") == 0      ? 1
                                            : strcmp(status, "blocked") == 0 ? 2
                                            : strcmp(status, "removed") == 0 ? 3
                                                                             : 0;
        line = nl ? nl + 1 : NULL;
    }
    free(text);
    return rc;
}

int gn_eval_finish(gn_eval *ev, gn_error *err)
{
    int rc = play_verdicts(ev, INT64_MAX, err);
    if (!rc) rc = gn_commit(ev->engine, err);
    if (!rc) rc = read_final_status(ev, err);
    return rc;
}

/* ---- the figures ---- */

typedef struct tally {
    uint64_t listings, removed, presale, sold_first, held;
    uint64_t caught, blocked_at_creation, down_at_end; /* at creation, by the end */
    double *hours;
    size_t n_hours, cap_hours;
} tally;

static void count(tally *y, const tracked *t)
{
    y->listings++;
    y->held += t->ever_held;
    y->caught += t->first_action >= 2;
    y->blocked_at_creation += t->first_action == 3;
    y->down_at_end += t->final_status == 2 || t->final_status == 3;
    if (t->removed_at >= 0) {
        y->removed++;
        if (t->first_sale_at < 0) y->presale++;
        if (y->n_hours == y->cap_hours) {
            y->cap_hours = y->cap_hours ? y->cap_hours * 2 : 256;
            y->hours = gn_xrealloc(y->hours, y->cap_hours * sizeof *y->hours);
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

/* Every listing scored, counted by truth, tactic and class. */
typedef struct tallies {
    tally fakes, genuine, by_tactic[MAX_TACTICS], by_class[MAX_TACTICS];
    uint64_t scored, held, closed_shops;
} tallies;

static void tally_all(const gn_eval *ev, tallies *a)
{
    memset(a, 0, sizeof *a);
    int64_t from = ev->start + (int64_t)(ev->o.warmup_days * 86400);
    for (uint32_t i = 0; i < ev->n; i++) {
        const tracked *t = &ev->listings[i];
        if (t->counterfeit < 0 || t->created_at < 0 || t->created_at < from) continue;
        a->scored++;
        a->held += t->ever_held;
        if (t->counterfeit) {
            count(&a->fakes, t);
            for (int k = 0; k < ev->n_tactics; k++)
                if (t->tactics & (1u << k)) count(&a->by_tactic[k], t);
        } else {
            count(&a->genuine, t);
            if (ev->n_classes) count(&a->by_class[t->cls], t);
            a->closed_shops += t->removed_at >= 0 && t->shop_closed;
        }
    }
}

static void tallies_free(tallies *a)
{
    free(a->fakes.hours);
    free(a->genuine.hours);
    for (int k = 0; k < MAX_TACTICS; k++) {
        free(a->by_tactic[k].hours);
        free(a->by_class[k].hours);
    }
}

static void figures_of(const gn_eval *ev, const tallies *a, gn_eval_figures *f)
{
    memset(f, 0, sizeof *f);
    f->scored = a->scored;
    f->counterfeit = a->fakes.listings;
    f->genuine = a->genuine.listings;
    f->verdicts = ev->verdicts;
    f->audits = ev->audits;
    f->models = ev->models;
    f->audit_rate = ev->o.audit_rate;
    f->train_seconds = ev->train_seconds;
    f->caught_at_creation = share(a->fakes.caught, a->fakes.listings);
    f->honest_blocked_at_creation = share(a->genuine.blocked_at_creation, a->genuine.listings);
    f->honest_taken_down = share(a->genuine.down_at_end, a->genuine.listings);
    f->review_load = share(a->held, a->scored);
    f->presale_removal = share(a->fakes.presale, a->fakes.listings);
    f->false_takedowns = share(a->genuine.removed, a->genuine.listings);
}

void gn_eval_figures_get(const gn_eval *ev, gn_eval_figures *out)
{
    tallies *a = gn_xmalloc(sizeof *a);
    tally_all(ev, a);
    figures_of(ev, a, out);
    tallies_free(a);
    free(a);
}

int gn_eval_group_count(const gn_eval *ev, int classes)
{
    return classes ? ev->n_classes : ev->n_tactics;
}

const char *gn_eval_group_name(const gn_eval *ev, int classes, int k)
{
    return classes ? ev->class_names[k] : ev->tactic_names[k];
}

void gn_eval_group_figures(const gn_eval *ev, int classes, int k, double out[3])
{
    tallies *a = gn_xmalloc(sizeof *a);
    tally_all(ev, a);
    const tally *y = classes ? &a->by_class[k] : &a->by_tactic[k];
    out[0] = share(classes ? y->blocked_at_creation : y->caught, y->listings);
    out[1] = share(classes ? y->down_at_end : y->presale, y->listings);
    out[2] = share(y->held, y->listings);
    tallies_free(a);
    free(a);
}

/* One run's figures as the members of a JSON object (no braces). */
static void json_members(const gn_eval *ev, tallies *a, FILE *json)
{
    gn_eval_figures f;
    figures_of(ev, a, &f);
    double hours = median_hours(&a->fakes);
    fprintf(json, "\"events\":%llu,\"scored_listings\":%llu,\"counterfeit\":%llu,\"genuine\":%llu",
            (unsigned long long)ev->events, (unsigned long long)f.scored,
            (unsigned long long)f.counterfeit, (unsigned long long)f.genuine);
    /* a share of nothing (no counterfeit scored, say) is null, not NaN */
    const struct {
        const char *key;
        double value;
    } shares[] = {
        {"caught_at_creation", f.caught_at_creation},
        {"honest_blocked_at_creation", f.honest_blocked_at_creation},
        {"honest_taken_down", f.honest_taken_down},
        {"presale_removal", f.presale_removal},
        {"false_takedowns", f.false_takedowns},
        {"review_load", f.review_load},
        {"false_takedowns_with_closed_shops", share(a->closed_shops, a->genuine.listings)}};
    for (size_t k = 0; k < sizeof shares / sizeof *shares; k++)
        if (isnan(shares[k].value))
            fprintf(json, ",\"%s\":null", shares[k].key);
        else
            fprintf(json, ",\"%s\":%.6f", shares[k].key, shares[k].value);
    fprintf(json,
            ",\"median_hours_to_removal\":%.3f,\"verdicts\":%llu,\"audits\":%llu,\"models\":%d,"
            "\"audit_rate\":%.4f,\"by_tactic\":{",
            isnan(hours) ? -1.0 : hours, (unsigned long long)ev->verdicts,
            (unsigned long long)ev->audits, ev->models, ev->o.audit_rate);
    int first = 1;
    for (int k = 0; k < ev->n_tactics; k++) {
        tally *y = &a->by_tactic[k];
        if (!y->listings) continue;
        fprintf(json,
                "%s\"%s\":{\"listings\":%llu,\"caught_at_creation\":%.6f,"
                "\"presale_removal\":%.6f,\"held\":%.6f}",
                first ? "" : ",", ev->tactic_names[k], (unsigned long long)y->listings,
                share(y->caught, y->listings), share(y->presale, y->listings),
                share(y->held, y->listings));
        first = 0;
    }
    fprintf(json, "},\"by_class\":{");
    first = 1;
    for (int k = 0; k < ev->n_classes; k++) {
        tally *y = &a->by_class[k];
        if (!y->listings) continue;
        fprintf(json,
                "%s\"%s\":{\"listings\":%llu,\"blocked_at_creation\":%.6f,"
                "\"taken_down_by_end\":%.6f,\"taken_down\":%.6f,\"held\":%.6f}",
                first ? "" : ",", ev->class_names[k], (unsigned long long)y->listings,
                share(y->blocked_at_creation, y->listings), share(y->down_at_end, y->listings),
                share(y->removed, y->listings), share(y->held, y->listings));
        first = 0;
    }
    fprintf(json, "}");
}

void gn_eval_report(const gn_eval *ev, FILE *table, FILE *json)
{
    tallies *a = gn_xmalloc(sizeof *a);
    tally_all(ev, a);
    gn_eval_figures f;
    figures_of(ev, a, &f);
    double hours = median_hours(&a->fakes);
    if (table) {
        fprintf(table,
                "genuine eval: %llu events, %llu listings scored (created after day %.0f), "
                "%llu verdicts (%llu wrong on purpose; %llu audits of %.1f%% of listings), "
                "%llu counter-notices and %llu appeals by genuine sellers, %d models trained "
                "(%.1f s)\n",
                (unsigned long long)ev->events, (unsigned long long)a->scored, ev->o.warmup_days,
                (unsigned long long)ev->verdicts, (unsigned long long)ev->wrong_verdicts,
                (unsigned long long)ev->audits, 100 * ev->o.audit_rate,
                (unsigned long long)ev->counter_notices, (unsigned long long)ev->appeals,
                ev->models, ev->train_seconds);
        fprintf(table,
                "  caught at creation %6.2f%%  of %llu counterfeit listings held or blocked when "
                "they arrived\n",
                100 * f.caught_at_creation, (unsigned long long)a->fakes.listings);
        fprintf(table, "  pre-sale removal   %6.2f%%  of them taken down before a first sale\n",
                100 * f.presale_removal);
        fprintf(table,
                "  honest blocked     %6.3f%%  of %llu genuine listings blocked at creation\n",
                100 * f.honest_blocked_at_creation, (unsigned long long)a->genuine.listings);
        fprintf(table, "  honest taken down  %6.3f%%  blocked or removed by the end\n",
                100 * f.honest_taken_down);
        fprintf(table, "  false takedowns    %6.3f%%  blocked or removed at any time\n",
                100 * f.false_takedowns);
        fprintf(table,
                "    of which          %6.3f%%  with their shop, suspended or closed for its "
                "counterfeits (%llu)\n",
                100 * share(a->closed_shops, a->genuine.listings),
                (unsigned long long)a->closed_shops);
        fprintf(table, "  review load        %6.2f%%  of all listings held for review\n",
                100 * f.review_load);
        fprintf(table, "  time to removal    %6.1f h   median, counterfeit listings taken down\n",
                hours);
        fprintf(table, "\n  %-34s %9s %10s %10s %9s\n", "counterfeit tactic", "listings", "caught",
                "pre-sale", "held");
        for (int k = 0; k < ev->n_tactics; k++) {
            tally *y = &a->by_tactic[k];
            if (!y->listings) continue;
            fprintf(table, "  %-34s %9llu %9.2f%% %9.2f%% %8.2f%%\n", ev->tactic_names[k],
                    (unsigned long long)y->listings, 100 * share(y->caught, y->listings),
                    100 * share(y->presale, y->listings), 100 * share(y->held, y->listings));
        }
        if (ev->n_classes) {
            fprintf(table, "\n  %-34s %9s %10s %10s %9s\n", "genuine class", "listings", "blocked",
                    "down (end)", "held");
            for (int k = 0; k < ev->n_classes; k++) {
                tally *y = &a->by_class[k];
                if (!y->listings) continue;
                fprintf(table, "  %-34s %9llu %9.3f%% %9.3f%% %8.2f%%\n", ev->class_names[k],
                        (unsigned long long)y->listings,
                        100 * share(y->blocked_at_creation, y->listings),
                        100 * share(y->down_at_end, y->listings),
                        100 * share(y->held, y->listings));
            }
        }
    }
    if (json) {
        fputc('{', json);
        json_members(ev, a, json);
        fputs("}\n", json);
    }
    tallies_free(a);
    free(a);
}

static void pct(FILE *out, double x, int decimals)
{
    if (isnan(x))
        fprintf(out, " %10s", "-");
    else
        fprintf(out, " %9.*f%%", decimals, 100 * x);
}

void gn_eval_report_pair(const gn_eval *cold, const gn_eval *learned, const char *title,
                         FILE *table, FILE *json)
{
    const gn_eval *any = learned ? learned : cold;
    if (!any) return;
    tallies *c = gn_xcalloc(2, sizeof *c), *l = c + 1;
    if (cold) tally_all(cold, c);
    if (learned) tally_all(learned, l);
    gn_eval_figures fc = {0}, fl = {0};
    if (cold) figures_of(cold, c, &fc);
    if (learned) figures_of(learned, l, &fl);
    if (!cold)
        fc.caught_at_creation = fc.honest_blocked_at_creation = fc.honest_taken_down =
            fc.review_load = fc.presale_removal = NAN;
    if (!learned)
        fl.caught_at_creation = fl.honest_blocked_at_creation = fl.honest_taken_down =
            fl.review_load = fl.presale_removal = NAN;
    if (table) {
        const tallies *a = learned ? l : c;
        fprintf(table,
                "genuine eval%s%s: %llu listings scored (created after day %.0f): %llu "
                "counterfeit, %llu honest; audit sample %.1f%% of listings, %.0f days after "
                "creation; reviewer wrong in %.0f%%\n",
                title ? " " : "", title ? title : "", (unsigned long long)a->scored,
                any->o.warmup_days, (unsigned long long)a->fakes.listings,
                (unsigned long long)a->genuine.listings, 100 * any->o.audit_rate, any->o.audit_days,
                100 * any->o.reviewer_error);
        fprintf(table, "  %-44s %10s %10s\n", "", "cold start", "learned");
        fprintf(table, "  %-44s", "counterfeits held or blocked at creation");
        pct(table, fc.caught_at_creation, 2), pct(table, fl.caught_at_creation, 2);
        fprintf(table, "\n  %-44s", "honest listings blocked at creation");
        pct(table, fc.honest_blocked_at_creation, 3), pct(table, fl.honest_blocked_at_creation, 3);
        fprintf(table, "\n  %-44s", "honest listings taken down by the end");
        pct(table, fc.honest_taken_down, 3), pct(table, fl.honest_taken_down, 3);
        fprintf(table, "\n  %-44s", "listings held for review");
        pct(table, fc.review_load, 2), pct(table, fl.review_load, 2);
        fprintf(table, "\n  %-44s", "counterfeits taken down before a first sale");
        pct(table, fc.presale_removal, 2), pct(table, fl.presale_removal, 2);
        fprintf(table, "\n  %-44s %10llu %10llu\n", "verdicts played",
                (unsigned long long)fc.verdicts, (unsigned long long)fl.verdicts);
        fprintf(table, "  %-44s %10llu %10llu\n", "  of which on the random audit sample",
                (unsigned long long)fc.audits, (unsigned long long)fl.audits);
        fprintf(table, "  %-44s %10d %10d\n", "models trained", fc.models, fl.models);
        fprintf(table, "  %-44s %10.1f %10.1f\n", "seconds spent training", fc.train_seconds,
                fl.train_seconds);
        const gn_eval *names = any;
        fprintf(table, "\n  %-30s %8s %21s %21s\n", "counterfeit tactic", "listings",
                "caught: cold  learned", "pre-sale: cold learn");
        for (int k = 0; k < names->n_tactics; k++) {
            const tally *yc = &c->by_tactic[k], *yl = &l->by_tactic[k];
            uint64_t n = yl->listings ? yl->listings : yc->listings;
            if (!n) continue;
            fprintf(table, "  %-30s %8llu", names->tactic_names[k], (unsigned long long)n);
            pct(table, cold ? share(yc->caught, yc->listings) : NAN, 1);
            pct(table, learned ? share(yl->caught, yl->listings) : NAN, 1);
            pct(table, cold ? share(yc->presale, yc->listings) : NAN, 1);
            pct(table, learned ? share(yl->presale, yl->listings) : NAN, 1);
            fputc('\n', table);
        }
        if (names->n_classes) {
            fprintf(table, "\n  %-30s %8s %21s %21s %21s\n", "honest class", "listings",
                    "blocked: cold learned", "down end: cold learn", "held: cold  learned");
            for (int k = 0; k < names->n_classes; k++) {
                const tally *yc = &c->by_class[k], *yl = &l->by_class[k];
                uint64_t n = yl->listings ? yl->listings : yc->listings;
                if (!n) continue;
                fprintf(table, "  %-30s %8llu", names->class_names[k], (unsigned long long)n);
                pct(table, cold ? share(yc->blocked_at_creation, yc->listings) : NAN, 2);
                pct(table, learned ? share(yl->blocked_at_creation, yl->listings) : NAN, 2);
                pct(table, cold ? share(yc->down_at_end, yc->listings) : NAN, 2);
                pct(table, learned ? share(yl->down_at_end, yl->listings) : NAN, 2);
                pct(table, cold ? share(yc->held, yc->listings) : NAN, 2);
                pct(table, learned ? share(yl->held, yl->listings) : NAN, 2);
                fputc('\n', table);
            }
        }
    }
    if (json) {
        fputc('{', json);
        if (learned) {
            json_members(learned, l, json);
            if (cold) fputc(',', json);
        }
        if (cold) {
            fputs("\"cold_start\":{", json);
            json_members(cold, c, json);
            fputc('}', json);
        }
        fputs("}\n", json);
    }
    if (cold) tallies_free(c);
    if (learned) tallies_free(l);
    free(c);
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
