/* The policy backtest. The newest listings of the last N days are decided
 * again, each from its latest version, in two copies of the engine made by
 * fork(): one with the rules now live, one with the pasted rule in their
 * place; what differs is what the rule would change. A copy is the whole
 * engine as it stands (copy-on-write, so it costs page tables, not a replay),
 * and nothing it does reaches the live one: it decides with nothing written
 * (as a replay does), its copy of every descriptor is closed, so the store's
 * connection cannot be touched, and it is killed at the time limit. The rule
 * is hostile input even from a platform key: it runs only in the copies, in
 * the Lua sandbox, under the sandbox's limits. */
#include "engine/backtest.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "engine/engine.h"

#define READ_CHUNK 256        /* log reads per hold of the engine's lock */
#define MAX_OUTPUT (96 << 20) /* a copy's output past this is cut: kill it */
#define OLDER_IN_A_ROW 256    /* stop reading after this many older than the window */
#define EXAMPLES_PER_CHANGE 5 /* examples of one change (allow -> review, ...) at most */

typedef struct chosen {
    int64_t seq; /* the latest version's position in the log */
    uint32_t listing;
} chosen;

static int by_seq_desc(const void *a, const void *b)
{
    const chosen *x = a, *y = b;
    return (x->seq < y->seq) - (x->seq > y->seq);
}

/* The listings with the latest versions, newest first: a histogram of their
 * log positions finds where the newest `want` begin, so only those are
 * sorted (one pass over the listings, no sort of a million). */
static chosen *newest_listings(const gn_state *st, size_t want, size_t *n_out)
{
    enum { BUCKETS = 4096 };
    int64_t max = 0;
    for (uint32_t i = 0; i < st->n_listings; i++)
        if (st->listings[i].event > max) max = st->listings[i].event;
    *n_out = 0;
    if (max <= 0) return NULL;
    size_t *counts = gn_xcalloc(BUCKETS, sizeof *counts);
#define BUCKET(seq) ((size_t)((double)(seq) / ((double)max + 1) * BUCKETS))
    for (uint32_t i = 0; i < st->n_listings; i++)
        if (st->listings[i].event > 0) counts[BUCKET(st->listings[i].event)]++;
    size_t from = BUCKETS, total = 0;
    while (from > 0 && total < want)
        total += counts[--from];
    chosen *c = gn_xmalloc((total ? total : 1) * sizeof *c);
    size_t n = 0;
    for (uint32_t i = 0; i < st->n_listings; i++)
        if (st->listings[i].event > 0 && BUCKET(st->listings[i].event) >= from)
            c[n++] = (chosen){st->listings[i].event, i};
#undef BUCKET
    free(counts);
    qsort(c, n, sizeof *c, by_seq_desc);
    *n_out = n;
    return c;
}

typedef struct version {
    char *body;
    size_t len;
} version;

/* ---- a copy ---- */

static void write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) _exit(1);
        p += w;
        n -= (size_t)w;
    }
}

/* In the forked copy: decides every version with the rules it is given
 * (rule NULL: the live ones) and writes one line per listing, "I\t" and the
 * decision (or "I\t!" and why it failed), or a first line "E\t" and why the
 * rule did not load. Never returns. */
static void run_copy(gn_engine *e, int out, const version *versions, size_t n, const char *rule,
                     size_t rule_len, double seconds)
{
    /* Every descriptor but the pipe is the live server's: the store's
     * connection, the listening socket, clients. Closed here, none can be
     * written to by mistake; the live server keeps its own. */
    int fd = out;
    if (out != 3) {
        fd = dup2(out, 3) == 3 ? 3 : out;
    }
    closefrom(fd + 1);
    for (int i = 3; i < fd; i++)
        close(i);
    /* A rule's print() goes nowhere: a hostile one could fill the server's log. */
    int null = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (null >= 0) {
        dup2(null, 0), dup2(null, 1), dup2(null, 2);
        if (null > 2) close(null);
    }
    struct rlimit cpu = {(rlim_t)seconds + 2, (rlim_t)seconds + 3};
    setrlimit(RLIMIT_CPU, &cpu);
    gn_buf b = {0};
    gn_error err;
    if (rule) {
        gn_lua_policy *candidate;
        if (gn_lua_policy_load_text(&candidate, "rule", rule, rule_len, NULL, &err)) {
            gn_buf_puts(&b, "E\t");
            gn_buf_puts(&b, err.message);
            gn_buf_puts(&b, "\n");
            write_all(fd, b.data, b.len);
            _exit(0);
        }
        e->rules = candidate; /* the live rules' copy is left as it is */
    }
    e->replaying = 1; /* decide, write nothing */
    for (size_t i = 0; i < n; i++) {
        gn_event ev;
        int rc = gn_event_decode(&e->sweep_doc, versions[i].body, versions[i].len, &ev, &err);
        if (!rc) rc = gn_engine_decide_listing(e, &ev, &ev, &err);
        gn_buf_printf(&b, "%zu\t", i);
        if (rc) {
            gn_buf_puts(&b, "!");
            for (const char *p = err.message; *p; p++)
                gn_buf_append(&b, *p == '\n' || *p == '\t' ? " " : p, 1);
        } else {
            gn_buf_append(&b, e->decision.data, e->decision.len);
        }
        gn_buf_puts(&b, "\n");
        if (b.len > 65536) {
            write_all(fd, b.data, b.len);
            gn_buf_reset(&b);
        }
    }
    write_all(fd, b.data ? b.data : "", b.len);
    _exit(0);
}

typedef struct copy {
    pid_t pid;
    int fd; /* the read end of its pipe; -1 once at its end */
    gn_buf out;
} copy;

static int start_copy(gn_engine *e, copy *c, const version *versions, size_t n, const char *rule,
                      size_t rule_len, double seconds, gn_error *err)
{
    int p[2];
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (pipe2(p, O_CLOEXEC))
        return gn_fail(err, GN_ENOMEM, "backtest: no pipe: %s", strerror(errno));
    pid_t pid = fork();
    if (pid < 0) {
        close(p[0]), close(p[1]);
        return gn_fail(err, GN_ENOMEM, "backtest: cannot copy the engine: %s", strerror(errno));
    }
    if (pid == 0) {
        close(p[0]);
        run_copy(e, p[1], versions, n, rule, rule_len, seconds);
    }
    close(p[1]);
    c->pid = pid;
    c->fd = p[0];
    return 0;
}

/* Reads both copies' output until they end or the deadline passes (then
 * kills them). Returns 1 when both ran to their end. */
static int collect(copy *c, int n, double deadline)
{
    int open = 0, cut = 0;
    for (int i = 0; i < n; i++)
        open += c[i].fd >= 0;
    while (open) {
        double left = deadline - gn_monotonic_seconds();
        if (left <= 0) {
            cut = 1;
            break;
        }
        struct pollfd fds[2];
        int which[2], k = 0;
        for (int i = 0; i < n; i++)
            if (c[i].fd >= 0) fds[k] = (struct pollfd){c[i].fd, POLLIN, 0}, which[k++] = i;
        int ready = poll(fds, (nfds_t)k, (int)(left * 1000) + 1);
        if (ready < 0 && errno != EINTR) break;
        for (int j = 0; j < k && ready > 0; j++) {
            if (!fds[j].revents) continue;
            copy *x = &c[which[j]];
            gn_buf_reserve(&x->out, 65536);
            ssize_t got = read(x->fd, x->out.data + x->out.len, x->out.cap - x->out.len - 1);
            if (got > 0) {
                x->out.len += (size_t)got;
                x->out.data[x->out.len] = 0;
            }
            if (got == 0 || (got < 0 && errno != EINTR && errno != EAGAIN) ||
                x->out.len > MAX_OUTPUT) {
                if (x->out.len > MAX_OUTPUT) cut = 1;
                close(x->fd);
                x->fd = -1;
                open--;
            }
        }
        if (cut) break;
    }
    for (int i = 0; i < n; i++) {
        if (c[i].fd >= 0) close(c[i].fd), c[i].fd = -1;
        int status;
        if (cut) kill(c[i].pid, SIGKILL);
        while (waitpid(c[i].pid, &status, 0) < 0 && errno == EINTR)
            ;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) cut = 1;
    }
    return !cut;
}

/* The lines of a copy's output by listing: line[i] points at decision i
 * (NUL-terminated in place), NULL where the copy did not get to it. */
static size_t index_lines(gn_buf *out, const char **line, size_t n)
{
    size_t done = 0;
    char *p = out->data, *end = out->data ? out->data + out->len : NULL;
    while (p && p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) break; /* cut mid-line by the time limit */
        *nl = 0;
        char *tab;
        unsigned long long i = strtoull(p, &tab, 10);
        if (*tab == '\t' && i < n) {
            line[i] = tab + 1;
            done++;
        }
        p = nl + 1;
    }
    return done;
}

/* ---- the comparison ---- */

static int action_index(const char *a)
{
    return !a                         ? -1
           : strcmp(a, "allow") == 0  ? 0
           : strcmp(a, "review") == 0 ? 1
           : strcmp(a, "block") == 0  ? 2
                                      : -1;
}

static const char *const actions[3] = {"allow", "review", "block"};

/* A decision's side of an example: action, status, score, its first reasons. */
static void put_side(gn_buf *b, const gn_json *d)
{
    gn_buf_puts(b, "{\"action\":");
    gn_buf_json_string(b, gn_json_str(d, "action") ? gn_json_str(d, "action") : "");
    gn_buf_puts(b, ",\"status\":");
    gn_buf_json_string(b, gn_json_str(d, "status") ? gn_json_str(d, "status") : "");
    gn_buf_printf(b, ",\"score\":%.4g,\"reasons\":[", gn_json_number(gn_json_get(d, "score")));
    const gn_json *reasons = gn_json_get(d, "reasons");
    for (size_t i = 0; i < gn_json_size(reasons) && i < 4; i++) {
        const gn_json *r = gn_json_at(reasons, i);
        gn_buf_puts(b, i ? ",{\"code\":" : "{\"code\":");
        gn_buf_json_string(b, gn_json_str(r, "code") ? gn_json_str(r, "code") : "");
        gn_buf_puts(b, ",\"detail\":");
        gn_buf_json_string(b, gn_json_str(r, "detail") ? gn_json_str(r, "detail") : "");
        gn_buf_puts(b, "}");
    }
    gn_buf_puts(b, "]}");
}

/* The rule's own failure among a decision's notes ("rule:LINE: ..."). */
static const char *rule_failure(const gn_json *d)
{
    const gn_json *notes = gn_json_get(d, "notes");
    for (size_t i = 0; i < gn_json_size(notes); i++) {
        const char *note = gn_json_string(gn_json_at(notes, i), NULL);
        if (note && strncmp(note, "rule:", 5) == 0) return note;
    }
    return NULL;
}

typedef struct tally {
    size_t decided, changed, failed, rule_errors;
    size_t now[3], with_rule[3], change[3][3], shown[3][3];
    char first_failure[600], first_rule_error[600];
} tally;

static void compare(const version *versions, const char **base, const char **rule, size_t n,
                    int max_examples, tally *t, gn_buf *examples)
{
    gn_json_doc a, b, body;
    gn_json_doc_init(&a);
    gn_json_doc_init(&b);
    gn_json_doc_init(&body);
    int shown = 0;
    for (size_t i = 0; i < n; i++) {
        if (!base[i] || !rule[i]) continue;
        if (base[i][0] == '!' || rule[i][0] == '!') {
            t->failed++;
            if (!t->first_failure[0])
                snprintf(t->first_failure, sizeof t->first_failure, "%s",
                         (base[i][0] == '!' ? base[i] : rule[i]) + 1);
            continue;
        }
        gn_error ignored;
        const gn_json *x = gn_json_parse(&a, base[i], strlen(base[i]), &ignored);
        const gn_json *y = gn_json_parse(&b, rule[i], strlen(rule[i]), &ignored);
        int from = action_index(gn_json_str(x, "action")),
            to = action_index(gn_json_str(y, "action"));
        if (from < 0 || to < 0) continue;
        t->decided++;
        t->now[from]++;
        t->with_rule[to]++;
        const char *failure = rule_failure(y);
        if (failure) {
            t->rule_errors++;
            if (!t->first_rule_error[0])
                snprintf(t->first_rule_error, sizeof t->first_rule_error, "%s", failure);
        }
        if (from == to) continue;
        t->changed++;
        t->change[from][to]++;
        if (shown >= max_examples || t->shown[from][to] >= EXAMPLES_PER_CHANGE) continue;
        t->shown[from][to]++;
        const gn_json *v = gn_json_parse(&body, versions[i].body, versions[i].len, &ignored);
        gn_buf_puts(examples, shown++ ? ",{\"listing\":" : "{\"listing\":");
        gn_buf_json_string(examples, gn_json_str(x, "listing") ? gn_json_str(x, "listing") : "");
        gn_buf_puts(examples, ",\"seller\":");
        gn_buf_json_string(examples, gn_json_str(v, "seller") ? gn_json_str(v, "seller") : "");
        gn_buf_puts(examples, ",\"title\":");
        gn_buf_json_string(examples, gn_json_str(v, "title") ? gn_json_str(v, "title") : "");
        gn_buf_puts(examples, ",\"at\":");
        gn_buf_json_string(examples, gn_json_str(x, "at") ? gn_json_str(x, "at") : "");
        gn_buf_puts(examples, ",\"now\":");
        put_side(examples, x);
        gn_buf_puts(examples, ",\"with_rule\":");
        put_side(examples, y);
        gn_buf_puts(examples, "}");
    }
    gn_json_doc_free(&a);
    gn_json_doc_free(&b);
    gn_json_doc_free(&body);
}

/* ---- the run ---- */

static int check_options(const gn_backtest_options *in, gn_backtest_options *o, gn_error *err)
{
    *o = in ? *in : (gn_backtest_options){0};
    if (o->days == 0) o->days = 7;
    if (o->max_listings == 0) o->max_listings = 10000;
    if (o->seconds == 0) o->seconds = 10;
    if (o->examples <= 0) o->examples = 20;
    if (!(o->days > 0 && o->days <= GN_BACKTEST_MAX_DAYS))
        return gn_fail(err, GN_EINPUT, "days: expected a number of days above 0, at most %d",
                       GN_BACKTEST_MAX_DAYS);
    if (o->max_listings > GN_BACKTEST_MAX_LISTINGS)
        return gn_fail(err, GN_EINPUT, "max_listings: at most %d", GN_BACKTEST_MAX_LISTINGS);
    if (!(o->seconds > 0 && o->seconds <= GN_BACKTEST_MAX_SECONDS))
        return gn_fail(err, GN_EINPUT, "seconds: expected a time limit above 0, at most %d",
                       GN_BACKTEST_MAX_SECONDS);
    if (o->examples > 100) o->examples = 100;
    return 0;
}

char *gn_backtest_json(gn_engine *e, pthread_mutex_t *lock, const char *rule, size_t len,
                       const gn_backtest_options *given, gn_error *err)
{
    gn_backtest_options o;
    if (check_options(given, &o, err)) return NULL;
    if (!rule || len == 0) {
        gn_fail(err, GN_EINPUT, "rule: expected the text of a Lua policy defining decide(l)");
        return NULL;
    }
    if (len > GN_BACKTEST_MAX_RULE) {
        gn_fail(err, GN_EINPUT, "rule: at most %d bytes", GN_BACKTEST_MAX_RULE);
        return NULL;
    }
    if (memchr(rule, 0, len)) {
        gn_fail(err, GN_EINPUT, "rule: a Lua text holds no NUL byte");
        return NULL;
    }
    double started = gn_monotonic_seconds(), deadline = started + o.seconds;

    /* Which listings: the newest, under the lock (a pass over memory). */
    if (lock) pthread_mutex_lock(lock);
    size_t n_chosen;
    chosen *c = newest_listings(&e->state, 2 * o.max_listings + OLDER_IN_A_ROW, &n_chosen);
    int64_t now = e->clock.now;
    if (lock) pthread_mutex_unlock(lock);
    int64_t since = now == INT64_MIN ? INT64_MAX : now - (int64_t)(o.days * GN_MS_PER_DAY);

    /* Their latest versions from the log, a chunk per hold of the lock, so
     * live requests go on in between. */
    version *versions = gn_xcalloc(o.max_listings + 1, sizeof *versions);
    size_t n = 0, older = 0, next = 0;
    int64_t newest = INT64_MIN;
    int rc = 0, out_of_time = 0;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_buf body = {0};
    while (next < n_chosen && n < o.max_listings && older < OLDER_IN_A_ROW && !rc) {
        if (gn_monotonic_seconds() > deadline) {
            out_of_time = 1;
            break;
        }
        if (lock) pthread_mutex_lock(lock);
        for (size_t k = 0; k < READ_CHUNK && next < n_chosen && n < o.max_listings &&
                           older < OLDER_IN_A_ROW && !rc;
             k++, next++) {
            gn_buf_reset(&body);
            rc = e->store->ops->event_body(e->store, c[next].seq, &body, err);
            if (rc == GN_ENOTFOUND) {
                rc = 0;
                continue;
            }
            if (rc) break;
            gn_error ignored;
            int64_t at;
            const gn_json *v = gn_json_parse(&doc, body.data, body.len, &ignored);
            if (!v || !gn_json_str(v, "at") || gn_time_parse(gn_json_str(v, "at"), &at)) continue;
            if (at > newest) newest = at;
            if (at < since) {
                older++;
                continue;
            }
            older = 0;
            versions[n].len = body.len;
            versions[n++].body = gn_buf_take(&body);
        }
        if (lock) pthread_mutex_unlock(lock);
    }
    gn_buf_free(&body);
    gn_json_doc_free(&doc);
    free(c);
    double read_seconds = gn_monotonic_seconds() - started;

    copy copies[2] = {{.fd = -1}, {.fd = -1}};
    int complete = 0;
    char *json = NULL;
    if (!rc && n > 0 && !out_of_time) {
        /* The two copies of the engine, made at one moment under the lock. */
        if (lock) pthread_mutex_lock(lock);
        rc = start_copy(e, &copies[0], versions, n, NULL, 0, o.seconds, err);
        if (!rc) rc = start_copy(e, &copies[1], versions, n, rule, len, o.seconds, err);
        if (lock) pthread_mutex_unlock(lock);
        if (rc && copies[0].pid > 0) {
            kill(copies[0].pid, SIGKILL);
            waitpid(copies[0].pid, NULL, 0);
        }
        if (!rc) complete = collect(copies, 2, deadline);
    } else if (!rc && n == 0) {
        /* Nothing to decide: still load the rule in a copy, to say whether it would. */
        if (lock) pthread_mutex_lock(lock);
        rc = start_copy(e, &copies[1], versions, 0, rule, len, o.seconds, err);
        if (lock) pthread_mutex_unlock(lock);
        if (!rc) complete = collect(&copies[1], 1, deadline);
    }
    if (rc) goto out;
    if (copies[1].out.len >= 2 && memcmp(copies[1].out.data, "E\t", 2) == 0) {
        char *nl = memchr(copies[1].out.data, '\n', copies[1].out.len);
        if (nl) *nl = 0;
        rc = gn_fail(err, GN_EINPUT, "%s", copies[1].out.data + 2);
        goto out;
    }
    if (!complete &&
        !memchr(copies[1].out.data ? copies[1].out.data : "", '\n', copies[1].out.len)) {
        rc = gn_fail(err, GN_EINPUT,
                     "rule: it did not load and decide a listing within the time limit of %g s "
                     "(a loop or a costly string pattern at its top level?)",
                     o.seconds);
        goto out;
    }
    const char **base = gn_xcalloc(n + 1, sizeof *base), **with = gn_xcalloc(n + 1, sizeof *with);
    index_lines(&copies[0].out, base, n);
    index_lines(&copies[1].out, with, n);
    tally t = {0};
    gn_buf examples = {0};
    compare(versions, base, with, n, o.examples, &t, &examples);
    free(base);
    free(with);

    gn_buf b = {0};
    char since_text[40] = "", now_text[40] = "", newest_text[40] = "";
    if (now != INT64_MIN) {
        gn_time_format(since, since_text, sizeof since_text);
        gn_time_format(now, now_text, sizeof now_text);
    }
    if (newest != INT64_MIN) gn_time_format(newest, newest_text, sizeof newest_text);
    gn_buf_printf(&b, "{\"days\":%g,\"since\":", o.days);
    gn_buf_json_string(&b, since_text);
    gn_buf_puts(&b, ",\"until\":");
    gn_buf_json_string(&b, now_text);
    gn_buf_puts(&b, ",\"newest\":");
    if (newest_text[0])
        gn_buf_json_string(&b, newest_text);
    else
        gn_buf_puts(&b, "null");
    gn_buf_printf(&b,
                  ",\"max_listings\":%zu,\"seconds\":%g,\"listings\":%zu,\"decided\":%zu,"
                  "\"complete\":%s,\"elapsed_ms\":%.0f,\"read_ms\":%.0f,\"changed\":%zu,"
                  "\"failed\":%zu,\"rule_errors\":%zu,\"first_rule_error\":",
                  o.max_listings, o.seconds, n, t.decided,
                  complete && !out_of_time && t.decided + t.failed == n ? "true" : "false",
                  (gn_monotonic_seconds() - started) * 1000, read_seconds * 1000, t.changed,
                  t.failed, t.rule_errors);
    if (t.first_rule_error[0])
        gn_buf_json_string(&b, t.first_rule_error);
    else
        gn_buf_puts(&b, "null");
    gn_buf_puts(&b, ",\"first_failure\":");
    if (t.first_failure[0])
        gn_buf_json_string(&b, t.first_failure);
    else
        gn_buf_puts(&b, "null");
    gn_buf_puts(&b, ",\"stopped\":");
    if (out_of_time || !complete)
        gn_buf_printf(&b, "\"the time limit of %g s ran out after %zu of %zu listings\"", o.seconds,
                      t.decided + t.failed, n);
    else if (n == o.max_listings)
        gn_buf_printf(&b, "\"the newest %zu listings of the period (max_listings)\"", n);
    else
        gn_buf_puts(&b, "null");
    gn_buf_printf(&b,
                  ",\"actions\":{\"now\":{\"allow\":%zu,\"review\":%zu,\"block\":%zu},"
                  "\"with_rule\":{\"allow\":%zu,\"review\":%zu,\"block\":%zu}},\"changes\":[",
                  t.now[0], t.now[1], t.now[2], t.with_rule[0], t.with_rule[1], t.with_rule[2]);
    int first = 1;
    for (int f = 0; f < 3; f++)
        for (int to = 0; to < 3; to++)
            if (t.change[f][to]) {
                gn_buf_printf(&b, "%s{\"from\":\"%s\",\"to\":\"%s\",\"count\":%zu}",
                              first ? "" : ",", actions[f], actions[to], t.change[f][to]);
                first = 0;
            }
    gn_buf_printf(&b, "],\"examples\":[%s]}", examples.data ? examples.data : "");
    gn_buf_free(&examples);
    json = gn_buf_take(&b);
out:
    for (int i = 0; i < 2; i++)
        gn_buf_free(&copies[i].out);
    for (size_t i = 0; i < n; i++)
        free(versions[i].body);
    free(versions);
    return rc ? NULL : json;
}
