/* libFuzzer target over sequences of events from every role: the input is
 * read as a handful of steps, each a sender (platform, seller, shopper,
 * rights_holder, reviewer and an account), an event made from a template
 * (or raw JSON), and a move of the server's clock. Each event goes through
 * the HTTP API's permission check (gn_auth_may_post) and then the engine, as
 * the server does. After every step: no listing has changed owner, no
 * complaint's deadline has moved, the engine's clock has not gone back, and a
 * sender other than the platform has not moved it at all. At the end the
 * store is opened again: the replayed state equals the live one. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/clock.h"
#include "engine/inspect.h"
#include "genuine.h"
#include "http/auth.h"

#define MAX_STEPS 48
#define MAX_SEEN 4096

static const char *const roles[] = {"platform", "seller", "shopper", "rights_holder", "reviewer"};
static const char role_letter[] = {'P', 'S', 'U', 'H', 'R'};

/* The live engine's facts the invariants watch, by state index. */
static uint32_t owner[MAX_SEEN];
static int64_t deadline[MAX_SEEN];

static gn_engine *open_engine(const char *path)
{
    gn_engine_options o = {.db_path = path};
    gn_engine *e;
    gn_error err;
    if (gn_engine_open(&e, &o, &err)) {
        fprintf(stderr, "open: %s\n", err.message);
        abort();
    }
    return e;
}

/* What a replay must give back: every listing's seller, status and score,
 * and the workflows' records as their reads show them. */
static char *snapshot(gn_engine *e)
{
    gn_buf b = {0};
    gn_error err;
    const gn_state *st = gn_engine_state(e);
    for (uint32_t i = 0; i < st->n_listings; i++) {
        const gn_listing *l = &st->listings[i];
        gn_buf_printf(&b, "%s %s %d %.6f\n", l->id, st->sellers[l->seller].id, l->status,
                      (double)l->score);
    }
    char *text = gn_complaints_json(e, NULL, &err);
    gn_buf_printf(&b, "%s\n", text ? text : "-");
    free(text);
    text = gn_reports_json(e, 1000, &err);
    gn_buf_printf(&b, "%s\n", text ? text : "-");
    free(text);
    for (int k = 1; k <= 3; k++) {
        char seller[8];
        snprintf(seller, sizeof seller, "S%d", k);
        text = gn_notices_json(e, seller, &err);
        gn_buf_printf(&b, "%s\n", text ? text : "-");
        free(text);
    }
    return gn_buf_take(&b);
}

/* One step's event, made from a template; returns its length, 0 for none. */
static size_t make_event(char *out, size_t size, int tmpl, const char *acct, int a, int b,
                         const char *id, const char *at)
{
    int li = a % 4 + 1, si = b % 3 + 1, ci = b % 3 + 1;
    /* An owner field of kind K (S seller, U shopper, H rights holder, R
     * reviewer): a sender of that kind names itself, or (a's high bit) another
     * of its kind, which the permission check refuses; anyone else names one. */
    char names[4][16];
    int n_names = 0;
#define OWN(k)                                                                                     \
    (acct[0] == (k) && !(a & 0x80)                                                                 \
         ? acct                                                                                    \
         : (snprintf(names[n_names], sizeof names[0], "%c%d", (k), si), names[n_names++]))
#define EV(...) (size_t) snprintf(out, size, __VA_ARGS__)
    switch (tmpl) {
    case 0:
        return EV("{\"type\":\"brand\",\"id\":\"%s\",\"at\":\"%s\",\"brand\":\"B1\",\"name\":"
                  "\"Lumora\",\"reference_prices\":[{\"category\":\"bags\",\"price\":1000,"
                  "\"currency\":\"USD\"}]}",
                  id, at);
    case 1:
        return EV("{\"type\":\"seller\",\"id\":\"%s\",\"at\":\"%s\",\"seller\":\"S%d\","
                  "\"name\":\"Shop %d\"}",
                  id, at, si, si);
    case 2:
        return EV("{\"type\":\"listing\",\"id\":\"%s\",\"at\":\"%s\",\"listing\":\"L%d\","
                  "\"seller\":\"%s\",\"title\":\"%s\",\"price\":%d,\"currency\":\"USD\","
                  "\"category\":\"bags\",\"brand\":\"B1\"}",
                  id, at, li, OWN('S'), b & 1 ? "Lumora replica 1:1 tote" : "Lumora leather tote",
                  b & 1 ? 40 : 900);
    case 3:
        return EV("{\"type\":\"ip_right\",\"id\":\"%s\",\"at\":\"%s\",\"right\":\"TM%d\","
                  "\"brand\":\"B1\",\"kind\":\"trademark\",\"number\":\"EUTM %d\",\"holder\":"
                  "\"%s\",\"classes\":[\"18\"],\"valid_until\":\"2100-01-01T00:00:00Z\"}",
                  id, at, si, si, OWN('H'));
    case 4:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"right\","
                  "\"target\":\"TM%d\",\"outcome\":\"%s\",\"reviewer\":\"R1\"}",
                  id, at, si, a & 1 ? "rejected" : "verified");
    case 5:
        return EV("{\"type\":\"complaint\",\"id\":\"%s\",\"at\":\"%s\",\"complaint\":\"C%d\","
                  "\"rights_holder\":\"%s\",\"right\":\"TM%d\",\"listings\":[\"L%d\"%s]}",
                  id, at, ci, OWN('H'), si, li, b & 4 ? ",\"L1\"" : "");
    case 6:
        return EV("{\"type\":\"counter_notice\",\"id\":\"%s\",\"at\":\"%s\",\"complaint\":"
                  "\"C%d\",\"listing\":\"L%d\",\"seller\":\"%s\",\"statement\":\"ours\"}",
                  id, at, ci, li, OWN('S'));
    case 7:
        return EV("{\"type\":\"report\",\"id\":\"%s\",\"at\":\"%s\",\"report\":\"P%d\","
                  "\"listing\":\"L%d\",\"reporter\":\"%s\",\"reason\":\"fake\"}",
                  id, at, b % 6, li, OWN('U'));
    case 8:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"listing\","
                  "\"target\":\"L%d\",\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
                  id, at, li, b & 1 ? "genuine" : "counterfeit", OWN('R'));
    case 9:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"seller\","
                  "\"target\":\"S%d\",\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
                  id, at, si, a & 1 ? "cleared" : "banned", OWN('R'));
    case 10:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"complaint\","
                  "\"target\":\"C%d\",\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
                  id, at, ci, a & 1 ? "rejected" : "upheld", OWN('R'));
    case 11:
        return EV("{\"type\":\"appeal\",\"id\":\"%s\",\"at\":\"%s\",\"appeal\":\"A%d\","
                  "\"seller\":\"%s\",\"target\":\"L%d\",\"statement\":\"genuine goods\"}",
                  id, at, ci, OWN('S'), li);
    case 12:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"appeal\","
                  "\"target\":\"A%d\",\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
                  id, at, ci, a & 1 ? "rejected" : "upheld", OWN('R'));
    case 13:
        return EV("{\"type\":\"seller_attribute\",\"id\":\"%s\",\"at\":\"%s\",\"seller\":\"%s\","
                  "\"kind\":\"phone\",\"value\":\"+372555000%d\"}",
                  id, at, OWN('S'), a % 2);
    case 14:
        return EV("{\"type\":\"verdict\",\"id\":\"%s\",\"at\":\"%s\",\"subject\":\"report\","
                  "\"target\":\"P%d\",\"outcome\":\"%s\",\"reviewer\":\"%s\"}",
                  id, at, b % 6, a & 1 ? "rejected" : "upheld", OWN('R'));
    case 15:
        return EV("{\"type\":\"rate\",\"id\":\"%s\",\"at\":\"%s\",\"currency\":\"EUR\","
                  "\"usd\":%d.5}",
                  id, at, a % 3 + 1);
    case 16:
        return EV("{\"type\":\"seller_verification\",\"id\":\"%s\",\"at\":\"%s\",\"seller\":"
                  "\"%s\",\"status\":\"%s\"}",
                  id, at, OWN('S'),
                  b % 3 == 0   ? "submitted"
                  : b % 3 == 1 ? "verified"
                               : "rejected");
    default:
        return 0;
    }
#undef EV
#undef OWN
}

static void check_invariants(gn_engine *e, int64_t now_before, int from_platform)
{
    const gn_state *st = gn_engine_state(e);
    for (uint32_t i = 0; i < st->n_listings && i < MAX_SEEN; i++) {
        if (owner[i] == UINT32_MAX) owner[i] = st->listings[i].seller;
        /* The owner in memory, and the one the store shows to reads. */
        const char *first = st->sellers[owner[i]].id;
        gn_error err;
        char *json = gn_listing_json(e, st->listings[i].id, &err);
        char want[GN_ID_MAX + 16];
        snprintf(want, sizeof want, "\"seller\":\"%s\"", first);
        if (owner[i] != st->listings[i].seller || (json && !strstr(json, want))) {
            fprintf(stderr, "listing %s changed owner: %s\n", st->listings[i].id, json ? json : "");
            abort();
        }
        free(json);
    }
    const gn_workflow *w = gn_engine_workflow(e);
    for (uint32_t i = 0; i < w->n_complaints && i < MAX_SEEN; i++) {
        if (deadline[i] == INT64_MIN) deadline[i] = w->complaints[i].deadline;
        if (deadline[i] != w->complaints[i].deadline) {
            fprintf(stderr, "complaint %s's deadline moved\n", w->complaints[i].id);
            abort();
        }
    }
    if (gn_engine_now(e) < now_before) {
        fprintf(stderr, "the clock went back: %" PRId64 " -> %" PRId64 "\n", now_before,
                gn_engine_now(e));
        abort();
    }
    if (!from_platform && gn_engine_now(e) != now_before) {
        fprintf(stderr, "a non-platform sender moved the clock\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* In memory where there is a tmpfs: a new store's migrations and each
     * commit wait for the disk otherwise, and a run is a few of each. */
    char dir[64], path[96];
    snprintf(dir, sizeof dir, "%s/genuine-fuzz-sequence-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir)) abort();
    snprintf(path, sizeof path, "%s/s.db", dir);
    gn_engine *e = open_engine(path);
    for (size_t i = 0; i < MAX_SEEN; i++) {
        owner[i] = UINT32_MAX;
        deadline[i] = INT64_MIN;
    }
    int64_t clock;
    gn_time_parse("2026-11-01T00:00:00Z", &clock);
    const uint8_t *p = data, *end = data + size;
    gn_error err;
    char json[2048], id[16], at[40], acct[16];
    for (int step = 0; step < MAX_STEPS && end - p >= 6; step++) {
        int role = p[0] % 5, k = p[1] % 3 + 1, tmpl = p[2] % 19, a = p[3], b = p[4], t = p[5];
        p += 6;
        clock += (int64_t)(t & 0x0f) * 3600000;
        int off = t >> 4;
        int64_t when = off == 14   ? 4070908800000 /* 2099 */
                       : off == 15 ? 0
                                   : clock + (int64_t)(off - 4) * 3600000;
        gn_time_format(when, at, sizeof at);
        /* Ids: mostly new, sometimes one used before (by anyone). */
        snprintf(id, sizeof id, "e%d", b & 0x80 ? b % 8 : step + 8);
        snprintf(acct, sizeof acct, "%c%d", role_letter[role], k);
        size_t len;
        if (tmpl == 18) { /* raw JSON, to the next newline */
            const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
            len = (size_t)((nl ? nl : end) - p);
            if (len >= sizeof json) len = sizeof json - 1;
            memcpy(json, p, len);
            p = nl ? nl + 1 : end;
        } else if (tmpl == 17) { /* the platform's clock runs deadlines */
            int64_t before = gn_engine_now(e);
            gn_advance_report r;
            gn_time_format(clock, at, sizeof at);
            if (gn_advance(e, at, &r, &err)) abort();
            check_invariants(e, before, 1);
            continue;
        } else {
            len = make_event(json, sizeof json, tmpl, acct, a, b, id, at);
            if (!len || len >= sizeof json) continue;
        }
        gn_principal who = {.role = gn_role_from_name(roles[role])};
        if (role != 0) snprintf(who.account, sizeof who.account, "%s", acct);
        char why[600];
        if (role != 0 && !gn_auth_may_post(&who, json, len, why, sizeof why)) continue;
        gn_sender from = {roles[role], role ? acct : "", clock};
        int64_t before = gn_engine_now(e);
        gn_result res;
        if (gn_ingest_from(e, &from, json, len, &res, &err)) {
            fprintf(stderr, "ingest: %s\n", err.message);
            abort();
        }
        check_invariants(e, before, role == 0);
        if (step % 8 == 7 && gn_commit(e, &err)) abort();
    }
    if (gn_commit(e, &err)) abort();
    char *live = snapshot(e);
    gn_engine_close(e);
    e = open_engine(path);
    char *replayed = snapshot(e);
    if (strcmp(live, replayed) != 0) {
        fprintf(stderr, "the replay differs from the live state:\n--- live\n%s--- replayed\n%s",
                live, replayed);
        abort();
    }
    free(live);
    free(replayed);
    gn_engine_close(e);
    char file[128];
    const char *suffixes[] = {"", "-wal", "-shm", ".lock"}; /* .lock: the one-writer lock */
    for (int i = 0; i < 4; i++) {
        snprintf(file, sizeof file, "%s%s", path, suffixes[i]);
        unlink(file);
    }
    rmdir(dir);
    return 0;
}
