/* The SQLite store: WAL mode, one transaction per batch, prepared statements
 * kept for the life of the connection. Durability: with WAL and
 * synchronous=NORMAL a committed transaction survives the process being
 * killed at any moment (only a power loss can take the last ones back).
 * Checkpoints (copying the WAL back into the database) run on a thread of
 * their own with its own connection, so no commit waits for one; only once
 * the WAL passes 64 MB does a batch wait for it to catch up, so that the
 * WAL starts again from its beginning instead of growing. A new
 * store takes 16 KiB pages: SQLite writes a WAL frame and checkpoints a
 * page with a system call each, and a batch of listings (about 1 KB of
 * event each) dirties tens of megabytes. A listing's row holds its status
 * and points at its latest decision in the history (decisions), so a
 * decision's reasons are written once, not again into the listing. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/alloc.h"
#include "core/error.h"
#include "store/store.h"

enum {
    ST_EVENT,
    ST_DECISION,
    ST_LISTING,
    ST_REPLAY,
    ST_LISTING_GET,
    ST_HISTORY,
    ST_EACH,
    ST_KEY_PUT,
    ST_KEY_FIND,
    ST_KEY_EACH,
    ST_KEY_REVOKE,
    ST_EVENT_BODY,
    ST_IMAGE_GET,
    ST_IMAGE_PUT,
    ST_MODEL_PUT,
    ST_MODEL_GET,
    ST_MODELS,
    ST_STATUS,
    ST_DECISION_BY,
    ST_AUDIT,
    ST_RESTRICTIONS,
    ST_CHANGES,
    ST_COUNT
};

/* SQL: whether a reason code x is a workflow's (a complaint, a reviewer's
 * verdict, a report, an appeal) rather than one of genuine's own signals. */
#define WORKFLOW_CODE(x)                                                                           \
    "(substr(" x ", 1, instr(" x ", '_') - 1) IN ('COMPLAINT', 'VERDICT', 'REPORT', 'APPEAL'))"

static const char *const statements[ST_COUNT] = {
    [ST_EVENT] = "INSERT INTO events(id, type, at, body, sender_role, sender_account, received) "
                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    [ST_DECISION] =
        "INSERT INTO decisions(listing, event, at, action, score, reasons, model, notes) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_LISTING] = "INSERT INTO listings(listing, seller, status, decision, versions) "
                   "VALUES (?1, ?2, ?3, ?4, 1) ON CONFLICT(listing) DO UPDATE SET "
                   "seller = excluded.seller, status = excluded.status, "
                   "decision = excluded.decision, versions = versions + ?5",
    [ST_REPLAY] = "SELECT seq, body, sender_role, sender_account, received FROM events "
                  "ORDER BY seq",
    [ST_LISTING_GET] = "SELECT l.seller, l.status, d.action, d.score, d.reasons, d.at, l.versions, "
                       "d.notes "
                       "FROM listings l JOIN decisions d ON d.seq = l.decision "
                       "WHERE l.listing = ?1",
    [ST_HISTORY] =
        "SELECT event, at, action, score, reasons, model, notes FROM decisions WHERE listing = ?1 "
        "ORDER BY seq",
    [ST_EACH] = "SELECT l.listing, l.seller, l.status, d.action, d.score, d.reasons, d.at, d.notes "
                "FROM listings l JOIN decisions d ON d.seq = l.decision ORDER BY l.listing",
    [ST_KEY_PUT] = "INSERT INTO api_keys(hash, role, account, created_at) VALUES (?1, ?2, ?3, ?4)",
    [ST_KEY_FIND] = "SELECT role, account FROM api_keys WHERE hash = ?1 AND revoked_at IS NULL",
    /* A key's id is the first 16 hex digits of its hash: it names the key in
     * `key list` and `key revoke` without being the key. */
    [ST_KEY_EACH] = "SELECT substr(hash, 1, 16), role, account, created_at, revoked_at "
                    "FROM api_keys ORDER BY created_at, hash",
    [ST_KEY_REVOKE] = "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?2) "
                      "WHERE substr(hash, 1, 16) = lower(?1)",
    [ST_EVENT_BODY] = "SELECT body FROM events WHERE seq = ?1",
    [ST_IMAGE_GET] = "SELECT hashes, error FROM images WHERE source = ?1",
    [ST_IMAGE_PUT] = "INSERT OR REPLACE INTO images(source, hashes, error) VALUES (?1, ?2, ?3)",
    [ST_MODEL_PUT] = "INSERT INTO models(created_at, figures, bytes) VALUES (?1, ?2, ?3)",
    [ST_MODEL_GET] = "SELECT bytes FROM models WHERE version = ?1",
    [ST_MODELS] = "SELECT version, created_at, figures FROM models ORDER BY version",
    [ST_DECISION_BY] =
        "INSERT INTO decisions(listing, event, at, action, score, reasons, model, actor) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_AUDIT] =
        "INSERT INTO audit(at, actor, record, record_id, change, detail, event, automated) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    [ST_STATUS] = "UPDATE listings SET status = ?2, decision = ?3 WHERE listing = ?1",
    /* Restrictive decisions for the statements of reasons (statements.c). A
     * block that repeats the listing's previous block (same actor, same first
     * reason: a sweep deciding it again) restricts nothing new. */
    [ST_RESTRICTIONS] =
        "SELECT 'decisions', d.seq, d.at, d.actor, 'listing', d.listing, d.action, d.reasons, "
        "d.event, -1, l.seller, "
        "(SELECT f.at FROM decisions f WHERE f.listing = d.listing ORDER BY f.seq LIMIT 1), "
        "(SELECT e.at FROM decisions e WHERE e.listing = d.listing AND e.seq > d.seq "
        "  AND e.action = 'allow' ORDER BY e.seq LIMIT 1), "
        "EXISTS (SELECT 1 FROM decisions p WHERE p.listing = d.listing AND p.seq < d.seq "
        "  AND p.actor = 'genuine' AND p.action != 'allow'), julianday(d.at) "
        "FROM decisions d LEFT JOIN listings l ON l.listing = d.listing "
        "WHERE d.action = 'block' AND (?1 IS NULL OR julianday(d.at) >= julianday(?1)) "
        "AND coalesce((SELECT p.action = 'block' AND p.actor = d.actor "
        "  AND coalesce(json_extract(p.reasons, '$[0].code'), '') = "
        "      coalesce(json_extract(d.reasons, '$[0].code'), '') "
        "  FROM decisions p WHERE p.listing = d.listing AND p.seq < d.seq "
        "  ORDER BY p.seq DESC LIMIT 1), 0) = 0 "
        "UNION ALL "
        "SELECT 'audit', a.seq, a.at, a.actor, a.record, a.record_id, a.change, a.detail, a.event, "
        "a.automated, a.record_id, NULL, "
        "(SELECT r.at FROM audit r WHERE r.record = 'seller' AND r.record_id = a.record_id "
        "  AND r.seq > a.seq AND r.change IN ('reinstated', 'cleared') ORDER BY r.seq LIMIT 1), "
        "0, julianday(a.at) "
        "FROM audit a WHERE a.record = 'seller' AND a.change IN ('suspended', 'closed', 'banned') "
        "AND (?1 IS NULL OR julianday(a.at) >= julianday(?1)) "
        "ORDER BY 15, 1 DESC, 2",
    /* The audit export: the audit log and the decisions that changed a listing. */
    [ST_CHANGES] =
        "SELECT src, seq, at, actor, record, record_id, change, detail, event, automated FROM ("
        "SELECT 'decisions' AS src, seq, at, actor, 'listing' AS record, listing AS record_id, "
        "action AS change, reasons AS detail, event, -1 AS automated, julianday(at) AS t FROM ("
        "  SELECT seq, at, actor, listing, action, reasons, event, "
        "  lag(action) OVER (PARTITION BY listing ORDER BY seq) AS prev FROM decisions "
        "  WHERE (?1 IS NULL OR ?1 = 'listing') AND (?2 IS NULL OR listing = ?2)) "
        "WHERE prev IS NULL OR prev != action OR actor != 'genuine' "
        "OR " WORKFLOW_CODE(
            "json_extract(reasons, '$[0].code')") " "
                                                  "UNION ALL "
                                                  "SELECT 'audit', seq, at, actor, record, "
                                                  "record_id, change, detail, event, automated, "
                                                  "julianday(at) FROM audit WHERE (?1 IS NULL OR "
                                                  "record = ?1) "
                                                  "AND (?2 IS NULL OR record_id = ?2)) ORDER BY t, "
                                                  "src, seq",
};

/* Schema migrations, in order; PRAGMA user_version says how many have run. */
static const char *const migrations[] = {
    "CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,"
    "  at TEXT NOT NULL, body TEXT NOT NULL);"
    "CREATE TABLE listings(listing TEXT PRIMARY KEY, seller TEXT NOT NULL, status TEXT NOT NULL,"
    "  action TEXT NOT NULL, score REAL NOT NULL, reasons TEXT NOT NULL, at TEXT NOT NULL,"
    "  versions INTEGER NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE decisions(seq INTEGER PRIMARY KEY, listing TEXT NOT NULL, event TEXT NOT NULL,"
    "  at TEXT NOT NULL, action TEXT NOT NULL, score REAL NOT NULL, reasons TEXT NOT NULL);"
    "CREATE INDEX decisions_by_listing ON decisions(listing);"
    "CREATE TABLE api_keys(hash TEXT PRIMARY KEY, role TEXT NOT NULL, account TEXT NOT NULL,"
    "  created_at TEXT NOT NULL);",
    /* 2: image hashes computed from paths and URLs, kept so replays agree */
    "CREATE TABLE images(source TEXT PRIMARY KEY, hashes TEXT NOT NULL, error TEXT NOT NULL)"
    "  WITHOUT ROWID;",
    /* 3: learned models, by version */
    "CREATE TABLE models(version INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
    "  figures TEXT NOT NULL, bytes BLOB NOT NULL);",
    /* 4: which model made each decision (0: the weighted policy) */
    "ALTER TABLE decisions ADD COLUMN model INTEGER NOT NULL DEFAULT 0;",
    /* 5: who caused a listing's change; the audit log of the workflows */
    "ALTER TABLE decisions ADD COLUMN actor TEXT NOT NULL DEFAULT 'genuine';"
    "CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
    "  record TEXT NOT NULL, record_id TEXT NOT NULL, change TEXT NOT NULL,"
    "  detail TEXT NOT NULL, event TEXT NOT NULL, automated INTEGER NOT NULL);"
    "CREATE INDEX audit_by_record ON audit(record, record_id);",
    /* 6: a listing points at its latest decision instead of keeping a copy
     * of it (the copy was a fifth of every batch's bytes) */
    "CREATE TABLE listings_6(listing TEXT PRIMARY KEY, seller TEXT NOT NULL,"
    "  status TEXT NOT NULL, decision INTEGER NOT NULL, versions INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO listings_6 SELECT l.listing, l.seller, l.status,"
    "  (SELECT max(d.seq) FROM decisions d WHERE d.listing = l.listing), l.versions"
    "  FROM listings l;"
    "DROP TABLE listings;"
    "ALTER TABLE listings_6 RENAME TO listings;",
    /* 7: who sent each event (NULL: the platform) and the server's clock
     * when it arrived (ms since the epoch; NULL: none) */
    "ALTER TABLE events ADD COLUMN sender_role TEXT;"
    "ALTER TABLE events ADD COLUMN sender_account TEXT;"
    "ALTER TABLE events ADD COLUMN received INTEGER;",
    /* 8: what could not be checked when a listing was decided (a photo not
     * had, a failing policy rule): a JSON array, NULL when nothing */
    "ALTER TABLE decisions ADD COLUMN notes TEXT;",
    /* 9: a revoked API key stays listed, with when it was revoked */
    "ALTER TABLE api_keys ADD COLUMN revoked_at TEXT;",
    /* 10: the review queue (held listings, a small share) read through an
     * index of those alone, not a scan of every listing per claim */
    "CREATE INDEX listings_held ON listings(listing) WHERE status = 'held';",
    /* 11: review claims (leases on queue items) and reviewers' skips, kept
     * here so a restart forgets none (they were in the server's memory) */
    "CREATE TABLE claims(queue TEXT NOT NULL, item TEXT NOT NULL, reviewer TEXT NOT NULL,"
    "  expires_at REAL NOT NULL, PRIMARY KEY(queue, item)) WITHOUT ROWID;"
    "CREATE INDEX claims_by_reviewer ON claims(queue, reviewer);"
    "CREATE TABLE claim_skips(queue TEXT NOT NULL, reviewer TEXT NOT NULL, item TEXT NOT NULL,"
    "  expires_at REAL NOT NULL, PRIMARY KEY(queue, reviewer, item)) WITHOUT ROWID;",
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof *migrations))

/* WAL bytes that wake the checkpointer (4,000 pages of 4 KiB, whatever the
 * store's page size); it also runs once a second. */
#define CHECKPOINT_BYTES (4000 * 4096)
/* The WAL starts again from its beginning only when a write begins with
 * every frame in it copied back, which under a steady stream of batches
 * never happens by itself: past this size a batch waits (at most
 * RESTART_WAIT_MS) for the checkpointer to catch up, so the WAL stays
 * about this size and its pages are written over, not added. A reader on
 * an old snapshot can keep frames from being copied: then the next wait
 * is only after as much again. */
#define RESTART_BYTES (64 << 20)
#define RESTART_WAIT_MS 1000

typedef struct sqlite_store {
    gn_store base;
    sqlite3 *db;
    sqlite3_stmt *st[ST_COUNT];
    char path[512];
    /* the background checkpointer */
    pthread_t checkpointer;
    int has_checkpointer;
    pthread_mutex_t lock;
    pthread_cond_t wake, caught;
    int stopping, checkpoint_pages, restart_pages;
    int wal_pages; /* the WAL's size after the last commit; 0 once the checkpointer ran */
    int wal_size;  /* the WAL's size after the last commit, in pages */
    int copied;    /* pages of the WAL copied back by the checkpointer's last run */
    int wait_at;   /* the WAL's size at which a batch next waits for the checkpointer */
} sqlite_store;

static int db_fail(sqlite_store *s, gn_error *err, const char *what)
{
    return gn_fail(err, GN_ESTORE, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static int exec(sqlite_store *s, const char *sql, gn_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        gn_fail(err, GN_ESTORE, "%s: %s", s->path, msg ? msg : "error");
        sqlite3_free(msg);
        return GN_ESTORE;
    }
    return 0;
}

static int user_version(sqlite_store *s)
{
    sqlite3_stmt *st;
    int v = -1;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return v;
}

static int migrate(sqlite_store *s, gn_error *err)
{
    int v = user_version(s);
    if (v < 0) return db_fail(s, err, "reading the schema version");
    if (v > SCHEMA_VERSION)
        return gn_fail(err, GN_ESTORE, "%s: schema version %d is newer than this genuine (%d)",
                       s->path, v, SCHEMA_VERSION);
    for (; v < SCHEMA_VERSION; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        if (exec(s, "BEGIN IMMEDIATE", err)) return GN_ESTORE;
        if (exec(s, migrations[v], err) || exec(s, bump, err)) {
            exec(s, "ROLLBACK", NULL);
            return GN_ESTORE;
        }
        if (exec(s, "COMMIT", err)) return GN_ESTORE;
    }
    return 0;
}

static void *checkpoint_loop(void *arg)
{
    sqlite_store *s = arg;
    sqlite3 *db;
    if (sqlite3_open_v2(s->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
        SQLITE_OK) {
        sqlite3_close(db);
        return NULL; /* commits still work; the WAL is checkpointed at close */
    }
    sqlite3_busy_timeout(db, 100);
    /* A connection opens the WAL when it first reads: until then it takes
     * the store for one without a WAL, and a checkpoint on it does nothing. */
    sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
    pthread_mutex_lock(&s->lock);
    while (!s->stopping) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += 1;
        if (s->wal_pages < s->checkpoint_pages) pthread_cond_timedwait(&s->wake, &s->lock, &until);
        if (s->stopping) break;
        s->wal_pages = 0;
        pthread_mutex_unlock(&s->lock);
        /* PASSIVE never blocks the writer; what it cannot copy now it copies next time. */
        int copied = -1;
        sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, &copied);
        pthread_mutex_lock(&s->lock);
        s->copied = copied;
        pthread_cond_broadcast(&s->caught);
    }
    pthread_mutex_unlock(&s->lock);
    sqlite3_close(db);
    return NULL;
}

/* Called by SQLite after each commit with the WAL's size in pages. */
static int on_wal_commit(void *arg, sqlite3 *db, const char *name, int pages)
{
    sqlite_store *s = arg;
    pthread_mutex_lock(&s->lock);
    if (pages < s->wal_size) { /* it started again: what was copied was of the old one */
        s->wait_at = s->restart_pages;
        s->copied = 0;
    }
    s->wal_pages = s->wal_size = pages;
    if (pages >= s->checkpoint_pages) pthread_cond_signal(&s->wake);
    pthread_mutex_unlock(&s->lock);
    return SQLITE_OK;
}

static void start_checkpointer(sqlite_store *s)
{
    sqlite3_stmt *st;
    int page_size = 4096;
    if (sqlite3_prepare_v2(s->db, "PRAGMA page_size", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 0)
        page_size = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    s->checkpoint_pages = CHECKPOINT_BYTES / page_size;
    s->restart_pages = s->wait_at = RESTART_BYTES / page_size;
    pthread_mutex_init(&s->lock, NULL);
    pthread_cond_init(&s->wake, NULL);
    pthread_cond_init(&s->caught, NULL);
    if (pthread_create(&s->checkpointer, NULL, checkpoint_loop, s) != 0) {
        exec(s, "PRAGMA wal_autocheckpoint=1000", NULL); /* fall back to checkpoints in commits */
        return;
    }
    s->has_checkpointer = 1;
    sqlite3_wal_hook(s->db, on_wal_commit, s);
}

static void st_close(gn_store *base)
{
    sqlite_store *s = (sqlite_store *)base;
    if (s->has_checkpointer) {
        pthread_mutex_lock(&s->lock);
        s->stopping = 1;
        pthread_cond_signal(&s->wake);
        pthread_mutex_unlock(&s->lock);
        pthread_join(s->checkpointer, NULL);
        sqlite3_wal_hook(s->db, NULL, NULL);
    }
    for (int i = 0; i < ST_COUNT; i++)
        sqlite3_finalize(s->st[i]);
    sqlite3_close(s->db);
    free(s);
}

/* A WAL past RESTART_BYTES: waits until the checkpointer has copied all
 * of it back, so the batch about to begin writes it from the start. */
static void wait_for_checkpoint(sqlite_store *s)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += RESTART_WAIT_MS / 1000;
    pthread_mutex_lock(&s->lock);
    int want = s->wal_size;
    s->wait_at = want + s->restart_pages;
    s->wal_pages = s->checkpoint_pages; /* wake it now */
    pthread_cond_signal(&s->wake);
    while (!s->stopping && s->copied < want &&
           pthread_cond_timedwait(&s->caught, &s->lock, &until) == 0)
        ;
    pthread_mutex_unlock(&s->lock);
}

static int st_begin(gn_store *base, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    if (s->has_checkpointer && s->wal_size >= s->wait_at) wait_for_checkpoint(s);
    return exec(s, "BEGIN IMMEDIATE", err);
}

static int st_commit(gn_store *base, gn_error *err)
{
    return exec((sqlite_store *)base, "COMMIT", err);
}

static int st_rollback(gn_store *base)
{
    return exec((sqlite_store *)base, "ROLLBACK", NULL);
}

/* Runs a prepared write statement to completion and resets it. */
static int step_done(sqlite_store *s, sqlite3_stmt *st, gn_error *err, const char *what)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, what);
}

static int st_append_event(gn_store *base, const gn_event_record *ev, int64_t *seq, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_EVENT];
    sqlite3_bind_text(st, 1, ev->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ev->type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ev->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, ev->body, (int)ev->body_len, SQLITE_STATIC);
    const gn_sender *from = ev->from;
    if (from && from->role && strcmp(from->role, "platform") != 0) {
        sqlite3_bind_text(st, 5, from->role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 6, from->account ? from->account : "", -1, SQLITE_STATIC);
    }
    if (from && from->clock_ms) sqlite3_bind_int64(st, 7, from->clock_ms);
    int rc = step_done(s, st, err, "appending an event");
    *seq = sqlite3_last_insert_rowid(s->db);
    return rc;
}

static int st_event_body(gn_store *base, int64_t seq, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_EVENT_BODY];
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gn_buf_append(out, (const char *)sqlite3_column_text(st, 0),
                      (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? gn_fail(err, GN_ENOTFOUND, "no event at %lld", (long long)seq)
                             : db_fail(s, err, "reading an event");
}

/* A row of a listing's decision history; *seq is where it went, which the
 * listing's own row then points at. */
static int add_history(sqlite_store *s, const gn_decision_record *d, int64_t *seq, gn_error *err)
{
    sqlite3_stmt *st = s->st[d->actor ? ST_DECISION_BY : ST_DECISION];
    if (d->actor)
        sqlite3_bind_text(st, 8, d->actor, -1, SQLITE_STATIC);
    else if (d->notes)
        sqlite3_bind_text(st, 8, d->notes, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 8);
    sqlite3_bind_text(st, 1, d->listing, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->event_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, d->action, -1, SQLITE_STATIC);
    sqlite3_bind_double(st, 5, d->score);
    sqlite3_bind_text(st, 6, d->reasons, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, d->model);
    if (step_done(s, st, err, "recording a decision")) return GN_ESTORE;
    *seq = sqlite3_last_insert_rowid(s->db);
    return 0;
}

static int st_put_decision(gn_store *base, const gn_decision_record *d, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int64_t seq;
    if (add_history(s, d, &seq, err)) return GN_ESTORE;
    sqlite3_stmt *st = s->st[ST_LISTING];
    sqlite3_bind_text(st, 1, d->listing, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->seller, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, d->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 4, seq);
    sqlite3_bind_int(st, 5, d->new_version);
    return step_done(s, st, err, "updating a listing");
}

static int replay_rows(sqlite_store *s, sqlite3_stmt *st, gn_log_fn fn, void *ctx, gn_error *err)
{
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *body = (const char *)sqlite3_column_text(st, 1);
        size_t len = (size_t)sqlite3_column_bytes(st, 1);
        gn_sender from = {(const char *)sqlite3_column_text(st, 2),
                          (const char *)sqlite3_column_text(st, 3), sqlite3_column_int64(st, 4)};
        stop = fn(ctx, sqlite3_column_int64(st, 0), body, len, from.role ? &from : NULL);
    }
    sqlite3_reset(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading the event log");
}

static int st_replay(gn_store *base, gn_log_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    return replay_rows(s, s->st[ST_REPLAY], fn, ctx, err);
}

static void put_score(gn_buf *out, double score)
{
    gn_buf_printf(out, "%.4g", score);
}

/* A decision's notes, when it has any: ,"notes":[...] */
static void put_notes(gn_buf *out, sqlite3_stmt *st, int column)
{
    const char *notes = (const char *)sqlite3_column_text(st, column);
    if (!notes) return;
    gn_buf_puts(out, ",\"notes\":");
    gn_buf_puts(out, notes);
}

static int st_listing_json(gn_store *base, const char *listing, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_LISTING_GET];
    sqlite3_bind_text(st, 1, listing, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) {
        sqlite3_reset(st);
        if (rc == SQLITE_DONE) return gn_fail(err, GN_ENOTFOUND, "no listing '%s'", listing);
        return db_fail(s, err, "reading a listing");
    }
    gn_buf_puts(out, "{\"listing\":");
    gn_buf_json_string(out, listing);
    gn_buf_puts(out, ",\"seller\":");
    gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
    gn_buf_puts(out, ",\"status\":");
    gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 1));
    gn_buf_printf(out, ",\"versions\":%d,\"decision\":{\"action\":", sqlite3_column_int(st, 6));
    gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 2));
    gn_buf_puts(out, ",\"score\":");
    put_score(out, sqlite3_column_double(st, 3));
    gn_buf_puts(out, ",\"reasons\":");
    gn_buf_puts(out, (const char *)sqlite3_column_text(st, 4));
    put_notes(out, st, 7);
    gn_buf_puts(out, ",\"at\":");
    gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 5));
    gn_buf_puts(out, "},\"history\":[");
    sqlite3_reset(st);

    st = s->st[ST_HISTORY];
    sqlite3_bind_text(st, 1, listing, -1, SQLITE_STATIC);
    int first = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_buf_puts(out, first ? "{\"event\":" : ",{\"event\":");
        first = 0;
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
        gn_buf_puts(out, ",\"at\":");
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 1));
        gn_buf_puts(out, ",\"action\":");
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 2));
        gn_buf_puts(out, ",\"score\":");
        put_score(out, sqlite3_column_double(st, 3));
        gn_buf_puts(out, ",\"reasons\":");
        gn_buf_puts(out, (const char *)sqlite3_column_text(st, 4));
        if (sqlite3_column_int(st, 5))
            gn_buf_printf(out, ",\"model\":%d", sqlite3_column_int(st, 5));
        put_notes(out, st, 6);
        gn_buf_puts(out, "}");
    }
    sqlite3_reset(st);
    gn_buf_puts(out, "]}");
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading a listing's history");
}

static int st_each_listing(gn_store *base, gn_listing_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_EACH];
    gn_buf line = {0};
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_buf_reset(&line);
        gn_buf_puts(&line, "{\"listing\":");
        gn_buf_json_string(&line, (const char *)sqlite3_column_text(st, 0));
        gn_buf_puts(&line, ",\"seller\":");
        gn_buf_json_string(&line, (const char *)sqlite3_column_text(st, 1));
        gn_buf_puts(&line, ",\"status\":");
        gn_buf_json_string(&line, (const char *)sqlite3_column_text(st, 2));
        gn_buf_puts(&line, ",\"action\":");
        gn_buf_json_string(&line, (const char *)sqlite3_column_text(st, 3));
        gn_buf_puts(&line, ",\"score\":");
        put_score(&line, sqlite3_column_double(st, 4));
        gn_buf_puts(&line, ",\"reasons\":");
        gn_buf_puts(&line, (const char *)sqlite3_column_text(st, 5));
        put_notes(&line, st, 7);
        gn_buf_puts(&line, ",\"at\":");
        gn_buf_json_string(&line, (const char *)sqlite3_column_text(st, 6));
        gn_buf_puts(&line, "}");
        stop = fn(ctx, line.data);
    }
    sqlite3_reset(st);
    gn_buf_free(&line);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading listings");
}

/* Counts for the demo and the dashboard; small queries, not on a hot path. */
static int st_summary_json(gn_store *base, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    const char *sql[] = {
        "SELECT status, count(*) FROM listings GROUP BY status ORDER BY status",
        "SELECT action, count(*) FROM decisions GROUP BY action ORDER BY action",
        /* one example per leading reason code among held and blocked listings */
        "SELECT l.listing, d.action, d.score, d.reasons FROM listings l "
        "JOIN decisions d ON d.seq = l.decision WHERE d.action != 'allow' "
        "GROUP BY json_extract(d.reasons, '$[0].code') ORDER BY max(d.score) DESC LIMIT 3",
    };
    const char *names[] = {"listings_by_status", "decisions_by_action", "examples"};
    gn_buf_puts(out, "{");
    for (int q = 0; q < 3; q++) {
        if (sqlite3_prepare_v2(s->db, sql[q], -1, &st, NULL) != SQLITE_OK)
            return db_fail(s, err, "summarising");
        gn_buf_printf(out, "%s\"%s\":%s", q ? "," : "", names[q], q < 2 ? "{" : "[");
        int first = 1;
        while (sqlite3_step(st) == SQLITE_ROW) {
            if (!first) gn_buf_puts(out, ",");
            first = 0;
            if (q < 2) {
                gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
                gn_buf_printf(out, ":%d", sqlite3_column_int(st, 1));
                continue;
            }
            gn_buf_puts(out, "{\"listing\":");
            gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
            gn_buf_puts(out, ",\"action\":");
            gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 1));
            gn_buf_puts(out, ",\"score\":");
            put_score(out, sqlite3_column_double(st, 2));
            gn_buf_puts(out, ",\"reasons\":");
            gn_buf_puts(out, (const char *)sqlite3_column_text(st, 3));
            gn_buf_puts(out, "}");
        }
        sqlite3_finalize(st);
        gn_buf_puts(out, q < 2 ? "}" : "]");
    }
    gn_buf_puts(out, "}");
    return 0;
}

static int st_queue_json(gn_store *base, int limit, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT l.listing, l.seller, d.score, d.reasons, d.at FROM listings l "
                           "JOIN decisions d ON d.seq = l.decision "
                           "WHERE l.status = 'held' ORDER BY d.score DESC, d.at LIMIT ?1",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "reading the review queue");
    sqlite3_bind_int(st, 1, limit);
    gn_buf_puts(out, "{\"listings\":[");
    int rc, first = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_buf_puts(out, first ? "{\"listing\":" : ",{\"listing\":");
        first = 0;
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
        gn_buf_puts(out, ",\"seller\":");
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 1));
        gn_buf_puts(out, ",\"score\":");
        put_score(out, sqlite3_column_double(st, 2));
        gn_buf_puts(out, ",\"reasons\":");
        gn_buf_puts(out, (const char *)sqlite3_column_text(st, 3));
        gn_buf_puts(out, ",\"at\":");
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 4));
        gn_buf_puts(out, "}");
    }
    sqlite3_finalize(st);
    gn_buf_puts(out, "]}");
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading the review queue");
}

static int st_event_counts_json(gn_store *base, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, "SELECT type, count(*) FROM events GROUP BY type ORDER BY type",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "counting events");
    gn_buf_puts(out, "\"events_by_type\":{");
    int rc, first = 1;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        if (!first) gn_buf_puts(out, ",");
        first = 0;
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 0));
        gn_buf_printf(out, ":%d", sqlite3_column_int(st, 1));
    }
    sqlite3_finalize(st);
    gn_buf_puts(out, "}");
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "counting events");
}

static int st_put_key(gn_store *base, const char *hash, const char *role, const char *account,
                      const char *created_at, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_KEY_PUT];
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, account, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, created_at, -1, SQLITE_STATIC);
    return step_done(s, st, err, "storing an API key");
}

static int st_find_key(gn_store *base, const char *hash, char *role, char *account, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_KEY_FIND];
    sqlite3_bind_text(st, 1, hash, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        snprintf(role, 64, "%s", (const char *)sqlite3_column_text(st, 0));
        snprintf(account, 257, "%s", (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc == SQLITE_DONE) return gn_fail(err, GN_ENOTFOUND, "unknown API key");
    return db_fail(s, err, "reading an API key");
}

static int st_each_key(gn_store *base, gn_key_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_KEY_EACH];
    int rc, stopped = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_key_row row = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
            (const char *)sqlite3_column_text(st, 4)};
        if ((stopped = fn(ctx, &row))) break;
    }
    sqlite3_reset(st);
    if (stopped) return stopped;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "listing the API keys");
}

static int st_revoke_key(gn_store *base, const char *id, const char *at, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_KEY_REVOKE];
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, at, -1, SQLITE_STATIC);
    int rc = step_done(s, st, err, "revoking an API key");
    if (!rc && sqlite3_changes(s->db) == 0)
        return gn_fail(err, GN_ENOTFOUND, "no API key with id '%s' (see genuine key list)", id);
    return rc;
}

/* ---- review claims ---- */

/* Runs one statement about claims with its parameters in fixed places:
 * ?1 queue, ?2 item, ?3 reviewer, ?4 now, ?5 until (NULL texts: SQL NULL).
 * Claims are a few writes a minute per reviewer: prepared each time. */
static int claim_sql(sqlite_store *s, const char *sql, const char *queue, const char *item,
                     const char *reviewer, double now, double until, sqlite3_stmt **out,
                     gn_error *err)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, out, NULL) != SQLITE_OK)
        return db_fail(s, err, "preparing a claim's statement");
    const char *texts[3] = {queue, item, reviewer};
    int n = sqlite3_bind_parameter_count(*out);
    for (int i = 0; i < 3 && i < n; i++)
        if (texts[i]) sqlite3_bind_text(*out, i + 1, texts[i], -1, SQLITE_STATIC);
    if (n >= 4) sqlite3_bind_double(*out, 4, now);
    if (n >= 5) sqlite3_bind_double(*out, 5, until);
    return 0;
}

/* Runs a claim's write; *changed: the rows it changed. */
static int claim_write(sqlite_store *s, const char *sql, const char *queue, const char *item,
                       const char *reviewer, double now, double until, int *changed, gn_error *err)
{
    sqlite3_stmt *st;
    int rc = claim_sql(s, sql, queue, item, reviewer, now, until, &st, err);
    if (rc) return rc;
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : db_fail(s, err, "writing a claim");
    sqlite3_finalize(st);
    if (changed) *changed = sqlite3_changes(s->db);
    return rc;
}

static int st_claim(gn_store *base, const char *queue, const char *item, const char *reviewer,
                    double now, double until, gn_error *err)
{
    int changed = 0;
    int rc =
        claim_write((sqlite_store *)base,
                    "INSERT INTO claims(queue, item, reviewer, expires_at) VALUES (?1, ?2, ?3, ?5) "
                    "ON CONFLICT(queue, item) DO UPDATE SET reviewer = excluded.reviewer, "
                    "expires_at = excluded.expires_at "
                    "WHERE claims.expires_at <= ?4 OR claims.reviewer = excluded.reviewer",
                    queue, item, reviewer, now, until, &changed, err);
    return rc ? rc : changed == 1 ? 0 : GN_ENOTFOUND;
}

static int st_claims_taken(gn_store *base, const char *queue, const char *reviewer, double now,
                           gn_item_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    int rc =
        claim_sql(s,
                  "SELECT item FROM claims WHERE queue = ?1 AND reviewer <> ?3 AND expires_at > ?4 "
                  "UNION SELECT item FROM claim_skips "
                  "WHERE queue = ?1 AND reviewer = ?3 AND expires_at > ?4",
                  queue, NULL, reviewer, now, 0, &st, err);
    if (rc) return rc;
    int stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading claims");
}

static int st_end_claims(gn_store *base, const char *queue, const char *reviewer, const char *keep,
                         double now, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int rc = claim_write(s,
                         "DELETE FROM claims WHERE queue = ?1 AND reviewer = ?3 "
                         "AND (?2 IS NULL OR item <> ?2)",
                         queue, keep, reviewer, now, 0, NULL, err);
    if (!rc)
        rc = claim_write(s, "DELETE FROM claims WHERE expires_at <= ?4", NULL, NULL, NULL, now, 0,
                         NULL, err);
    if (!rc)
        rc = claim_write(s, "DELETE FROM claim_skips WHERE expires_at <= ?4", NULL, NULL, NULL, now,
                         0, NULL, err);
    return rc;
}

static int st_release_claim(gn_store *base, const char *queue, const char *item,
                            const char *reviewer, double now, double skip_until, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int changed = 0;
    int rc = claim_write(s,
                         "DELETE FROM claims WHERE queue = ?1 AND item = ?2 AND reviewer = ?3 "
                         "AND expires_at > ?4",
                         queue, item, reviewer, now, 0, &changed, err);
    if (rc) return rc;
    if (changed != 1) return GN_ENOTFOUND;
    if (skip_until <= 0) return 0;
    return claim_write(
        s,
        "INSERT INTO claim_skips(queue, reviewer, item, expires_at) "
        "VALUES (?1, ?3, ?2, ?5) "
        "ON CONFLICT(queue, reviewer, item) DO UPDATE SET expires_at = excluded.expires_at",
        queue, item, reviewer, now, skip_until, NULL, err);
}

static int st_claim_holder(gn_store *base, const char *queue, const char *item, double now,
                           char *reviewer, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    int rc = claim_sql(
        s, "SELECT reviewer FROM claims WHERE queue = ?1 AND item = ?2 AND expires_at > ?4", queue,
        item, NULL, now, 0, &st, err);
    if (rc) return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) snprintf(reviewer, 257, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? GN_ENOTFOUND : db_fail(s, err, "reading a claim");
}

static int st_get_image(gn_store *base, const char *source, gn_buf *hashes, gn_buf *error,
                        gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_IMAGE_GET];
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        gn_buf_puts(hashes, (const char *)sqlite3_column_text(st, 0));
        gn_buf_puts(error, (const char *)sqlite3_column_text(st, 1));
    }
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    if (rc == SQLITE_DONE) return GN_ENOTFOUND;
    return db_fail(s, err, "reading an image hash");
}

static int st_put_image(gn_store *base, const char *source, const char *hashes, const char *error,
                        gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_IMAGE_PUT];
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, hashes, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, error, -1, SQLITE_STATIC);
    return step_done(s, st, err, "storing an image hash");
}

static int st_put_model(gn_store *base, const unsigned char *bytes, size_t len, const char *figures,
                        const char *created_at, int *version, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_MODEL_PUT];
    sqlite3_bind_text(st, 1, created_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, figures, -1, SQLITE_STATIC);
    sqlite3_bind_blob64(st, 3, bytes, len, SQLITE_STATIC);
    int rc = step_done(s, st, err, "storing a model");
    *version = (int)sqlite3_last_insert_rowid(s->db);
    return rc;
}

/* Each row's figures are a JSON object written by genuine: the version and
 * time go in front of its first key. */
static int st_models_json(gn_store *base, gn_buf *out, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_MODELS];
    gn_buf_puts(out, "[");
    int rc, n = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *figures = (const char *)sqlite3_column_text(st, 2);
        const char *rest = figures && figures[0] == '{' ? figures + 1 : "}";
        gn_buf_printf(out, "%s{\"version\":%d,\"created_at\":", n++ ? "," : "",
                      sqlite3_column_int(st, 0));
        gn_buf_json_string(out, (const char *)sqlite3_column_text(st, 1));
        gn_buf_printf(out, "%s%s", strcmp(rest, "}") == 0 ? "" : ",", rest);
    }
    sqlite3_reset(st);
    if (rc != SQLITE_DONE) return db_fail(s, err, "reading the model history");
    gn_buf_puts(out, "]");
    return 0;
}

static int st_get_model(gn_store *base, int version, gn_buf *bytes, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_MODEL_GET];
    sqlite3_bind_int(st, 1, version);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        gn_buf_append(bytes, sqlite3_column_blob(st, 0), (size_t)sqlite3_column_bytes(st, 0));
    sqlite3_reset(st);
    if (rc == SQLITE_ROW) return 0;
    return rc == SQLITE_DONE ? gn_fail(err, GN_ENOTFOUND, "no model version %d", version)
                             : db_fail(s, err, "reading a model");
}

static int st_set_status(gn_store *base, const gn_decision_record *d, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    int64_t seq;
    if (add_history(s, d, &seq, err)) return GN_ESTORE;
    sqlite3_stmt *st = s->st[ST_STATUS];
    sqlite3_bind_text(st, 1, d->listing, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, d->status, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, seq);
    return step_done(s, st, err, "changing a listing's status");
}

static int st_append_audit(gn_store *base, const gn_audit_record *a, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_AUDIT];
    sqlite3_bind_text(st, 1, a->at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, a->actor, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, a->record, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, a->record_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, a->change, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, a->detail ? a->detail : "", -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, a->event, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 8, a->automated);
    return step_done(s, st, err, "writing the audit log");
}

/* Runs a one-off query (not kept prepared: these reads are rare) with its
 * text parameters bound in order. */
static int prepare_once(sqlite_store *s, const char *sql, sqlite3_stmt **st, gn_error *err,
                        const char *what)
{
    return sqlite3_prepare_v2(s->db, sql, -1, st, NULL) == SQLITE_OK ? 0 : db_fail(s, err, what);
}

static const char *column_or(sqlite3_stmt *st, int i, const char *otherwise)
{
    const char *text = (const char *)sqlite3_column_text(st, i);
    return text ? text : otherwise;
}

/* The removal is the listing's latest 'block' caused by someone other than
 * genuine's scoring (a reviewer, a rights holder, a deadline) or carrying a
 * workflow's reason code; the listing's latest decision when none is found.
 * The listing's currency when each order was placed comes from the latest
 * version before it: the window keeps the highest "seq + currency" so far.
 * One scan of the log; no index on it is needed (a remediation export is
 * rare, and an index on orders would cost every ingest). */
static const char removed_orders_sql[] =
    "WITH removal_codes(code) AS (VALUES ('VERDICT_COUNTERFEIT'), ('COMPLAINT_UPHELD'),"
    "  ('COMPLAINT_UNANSWERED'), ('COMPLAINT_TRUSTED_FLAGGER'), ('REPORT_UPHELD')),"
    "removed AS MATERIALIZED (SELECT l.listing, l.seller, n.at, n.reasons,"
    "  (SELECT d.seq FROM decisions d WHERE d.listing = l.listing AND d.action = 'block'"
    "   AND (d.actor != 'genuine' OR json_extract(d.reasons, '$[0].code') IN removal_codes)"
    "   ORDER BY d.seq DESC LIMIT 1) AS removal"
    "  FROM listings l JOIN decisions n ON n.seq = l.decision WHERE l.status = 'removed'),"
    "trail AS (SELECT e.seq, e.type, e.at, e.body, r.listing, r.seller,"
    "  coalesce(d.at, r.at) AS removed_at,"
    "  coalesce(json_extract(coalesce(d.reasons, r.reasons), '$[0].code'), '') AS reason,"
    "  max(CASE WHEN e.type = 'listing' THEN printf('%020d', e.seq) ||"
    "    coalesce(json_extract(e.body, '$.currency'), '') END)"
    "    OVER (PARTITION BY r.listing ORDER BY e.seq) AS currency_at"
    "  FROM events e JOIN removed r ON r.listing = json_extract(e.body, '$.listing')"
    "  LEFT JOIN decisions d ON d.seq = r.removal"
    "  WHERE e.type IN ('listing', 'order'))"
    "SELECT listing, seller, json_extract(body, '$.order'), json_extract(body, '$.buyer'),"
    "  body -> '$.price', coalesce(json_extract(body, '$.currency'), substr(currency_at, 21), ''),"
    "  coalesce(body -> '$.quantity', '1'), json_extract(body, '$.ship_to'), at, removed_at, reason"
    " FROM trail WHERE type = 'order' ORDER BY listing, seq";

static int st_each_removed_order(gn_store *base, gn_remediation_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    if (prepare_once(s, removed_orders_sql, &st, err, "reading the orders of removed listings"))
        return GN_ESTORE;
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_remediation_row row = {
            .listing = column_or(st, 0, ""),
            .seller = column_or(st, 1, ""),
            .order = column_or(st, 2, ""),
            .buyer = column_or(st, 3, ""),
            .price = column_or(st, 4, "0"),
            .currency = column_or(st, 5, ""),
            .quantity = column_or(st, 6, "1"),
            .ship_to = column_or(st, 7, NULL),
            .ordered_at = column_or(st, 8, ""),
            .removed_at = column_or(st, 9, ""),
            .reason = column_or(st, 10, ""),
        };
        stop = fn(ctx, &row);
    }
    if (!stop && rc != SQLITE_DONE) db_fail(s, err, "reading the orders of removed listings");
    sqlite3_finalize(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : GN_ESTORE;
}

/* Two scans of the log: one for the orders on the listings (so their
 * shipments are found whatever the order of events), one for the events. */
static const char listing_events_sql[] =
    "WITH wanted(listing) AS MATERIALIZED (SELECT DISTINCT value FROM json_each(?1)),"
    "ordered(id) AS MATERIALIZED (SELECT json_extract(body, '$.order') FROM events"
    "  WHERE type = 'order' AND json_extract(body, '$.listing') IN wanted)"
    "SELECT seq, body FROM events WHERE"
    " (type IN ('listing', 'order', 'counter_notice', 'report')"
    "  AND json_extract(body, '$.listing') IN wanted)"
    " OR (type = 'shipment' AND json_extract(body, '$.order') IN ordered)"
    " OR (type = 'complaint' AND EXISTS (SELECT 1 FROM json_each(body, '$.listings') j"
    "     WHERE j.value IN wanted))"
    " ORDER BY seq";

static int st_listing_events(gn_store *base, const char *listings_json, gn_replay_fn fn, void *ctx,
                             gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    if (prepare_once(s, listing_events_sql, &st, err, "reading the events of listings"))
        return GN_ESTORE;
    sqlite3_bind_text(st, 1, listings_json, -1, SQLITE_STATIC);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, sqlite3_column_int64(st, 0), (const char *)sqlite3_column_text(st, 1),
                  (size_t)sqlite3_column_bytes(st, 1));
    if (!stop && rc != SQLITE_DONE) db_fail(s, err, "reading the events of listings");
    sqlite3_finalize(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : GN_ESTORE;
}

static int st_each_audit(gn_store *base, const char *record, gn_audit_fn fn, void *ctx,
                         gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st;
    if (prepare_once(s,
                     "SELECT seq, at, actor, record, record_id, change, detail, event, automated "
                     "FROM audit WHERE record = ?1 ORDER BY seq",
                     &st, err, "reading the audit log"))
        return GN_ESTORE;
    sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_audit_record row = {.at = column_or(st, 1, ""),
                               .actor = column_or(st, 2, ""),
                               .record = column_or(st, 3, ""),
                               .record_id = column_or(st, 4, ""),
                               .change = column_or(st, 5, ""),
                               .detail = column_or(st, 6, ""),
                               .event = column_or(st, 7, ""),
                               .automated = sqlite3_column_int(st, 8)};
        stop = fn(ctx, sqlite3_column_int64(st, 0), &row);
    }
    if (!stop && rc != SQLITE_DONE) db_fail(s, err, "reading the audit log");
    sqlite3_finalize(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : GN_ESTORE;
}

static const char *column_text(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Calls fn for every row of a statement of changes (ST_RESTRICTIONS, ST_CHANGES). */
static int each_change_row(sqlite_store *s, sqlite3_stmt *st, int restriction, gn_change_fn fn,
                           void *ctx, gn_error *err)
{
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        gn_change c = {.table = column_text(st, 0),
                       .seq = sqlite3_column_int64(st, 1),
                       .at = column_text(st, 2),
                       .actor = column_text(st, 3),
                       .record = column_text(st, 4),
                       .record_id = column_text(st, 5),
                       .change = column_text(st, 6),
                       .detail = column_text(st, 7),
                       .event = column_text(st, 8),
                       .automated = sqlite3_column_int(st, 9)};
        if (restriction) {
            c.seller = column_text(st, 10);
            c.first_at = column_text(st, 11);
            c.ended_at = column_text(st, 12);
            c.flagged = sqlite3_column_int(st, 13);
        }
        stop = fn(ctx, &c);
    }
    sqlite3_reset(st);
    sqlite3_clear_bindings(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "reading decisions and the audit log");
}

static int st_each_restriction(gn_store *base, const char *since, gn_change_fn fn, void *ctx,
                               gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_RESTRICTIONS];
    if (since) sqlite3_bind_text(st, 1, since, -1, SQLITE_STATIC);
    return each_change_row(s, st, 1, fn, ctx, err);
}

static int st_each_change(gn_store *base, const char *record, const char *record_id,
                          gn_change_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = s->st[ST_CHANGES];
    if (record) sqlite3_bind_text(st, 1, record, -1, SQLITE_STATIC);
    if (record_id) sqlite3_bind_text(st, 2, record_id, -1, SQLITE_STATIC);
    return each_change_row(s, st, 0, fn, ctx, err);
}

/* The SQL that names the period of a time column (or julianday value) x. */
static int period_sql(const char *period, const char *x, char *out, size_t size)
{
    if (strcmp(period, "day") == 0)
        snprintf(out, size, "date(%s)", x);
    else if (strcmp(period, "week") == 0) /* the Monday that starts x's week */
        snprintf(out, size, "date(%s, 'weekday 0', '-6 days')", x);
    else if (strcmp(period, "month") == 0)
        snprintf(out, size, "strftime('%%Y-%%m', %s)", x);
    else
        return -1;
    return 0;
}

static int st_count_by_period(gn_store *base, const char *period, gn_count_fn fn, void *ctx,
                              gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char p[96], sql[4][768];
    if (period_sql(period, "at", p, sizeof p))
        return gn_fail(err, GN_EINPUT, "period: '%s' is not one of day, week, month", period);
    snprintf(sql[0], sizeof sql[0],
             "SELECT %s, 'decision', action, count(*) FROM decisions WHERE actor = 'genuine' "
             "AND NOT " WORKFLOW_CODE(
                 "coalesce(json_extract(reasons, '$[0].code'), '')") " "
                                                                     "GROUP BY 1, 3",
             p);
    snprintf(sql[1], sizeof sql[1],
             "SELECT %s, 'listings', 'decided', count(DISTINCT listing) FROM decisions "
             "WHERE actor = 'genuine' AND NOT " WORKFLOW_CODE(
                 "coalesce(json_extract(reasons, '$[0].code'), '')") " GROUP BY 1",
             p);
    snprintf(
        sql[2], sizeof sql[2],
        "SELECT %s, 'block', CASE WHEN actor = 'genuine' AND NOT " WORKFLOW_CODE(
            "coalesce(json_extract(reasons, '$[0].code'), '')") " THEN 'genuine' "
                                                                "ELSE "
                                                                "coalesce(json_extract(reasons, "
                                                                "'$[0].code'), '') END, count(*) "
                                                                "FROM decisions WHERE action = "
                                                                "'block' GROUP BY 1, 3",
        p);
    snprintf(sql[3], sizeof sql[3],
             "SELECT %s, record, change, count(*) FROM audit GROUP BY 1, 2, 3", p);
    for (int q = 0; q < 4; q++) {
        sqlite3_stmt *st;
        if (sqlite3_prepare_v2(s->db, sql[q], -1, &st, NULL) != SQLITE_OK)
            return db_fail(s, err, "counting for the transparency report");
        int rc, stop = 0;
        while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
            if (sqlite3_column_type(st, 0) != SQLITE_NULL)
                stop = fn(ctx, column_text(st, 0), column_text(st, 1), column_text(st, 2),
                          sqlite3_column_int64(st, 3));
        sqlite3_finalize(st);
        if (stop) return stop;
        if (rc != SQLITE_DONE) return db_fail(s, err, "counting for the transparency report");
    }
    return 0;
}

/* Each notice's time to action: from its opening to whichever comes first,
 * its outcome (confirmed, rejected, settled) or its listing taken down (a
 * trusted filer's notice takes it down at once, its outcome comes later). The
 * notice's record_id is "COMPLAINT/LISTING". */
static int st_each_notice_delay(gn_store *base, const char *period, gn_delay_fn fn, void *ctx,
                                gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    char p[96], sql[1536];
    if (period_sql(period, "acted", p, sizeof p))
        return gn_fail(err, GN_EINPUT, "period: '%s' is not one of day, week, month", period);
    snprintf(sql, sizeof sql,
             "SELECT %s, (acted - opened) * 24 FROM ("
             "SELECT opened, CASE WHEN removed IS NULL THEN closed WHEN closed IS NULL "
             "THEN removed ELSE min(closed, removed) END AS acted FROM ("
             "SELECT opened, closed, (SELECT min(julianday(d.at)) FROM decisions d "
             "  WHERE d.listing = substr(n.record_id, instr(n.record_id, '/') + 1) "
             "  AND d.action = 'block' AND julianday(d.at) >= opened) AS removed FROM ("
             "SELECT record_id, "
             "min(CASE WHEN change = 'opened' THEN julianday(at) END) AS opened, "
             "min(CASE WHEN change IN ('confirmed', 'rejected', 'settled') "
             "  THEN julianday(at) END) AS closed "
             "FROM audit WHERE record = 'notice' GROUP BY record_id) AS n "
             "WHERE opened IS NOT NULL)) "
             "WHERE acted IS NOT NULL AND acted >= opened ORDER BY acted",
             p);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "timing notices");
    int rc, stop = 0;
    while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
        stop = fn(ctx, column_text(st, 0), sqlite3_column_double(st, 1));
    sqlite3_finalize(st);
    if (stop) return stop;
    return rc == SQLITE_DONE ? 0 : db_fail(s, err, "timing notices");
}

/* Snapshots of the engine's state (engine/snapshot.c): the newest only, in
 * parts of at most SNAPSHOT_PART bytes (a blob's limit is 1 GB). The table
 * is made when the first snapshot is written, so a store without one is
 * any genuine's. */
#define SNAPSHOT_PART (256 << 20)

static int st_put_snapshot(gn_store *base, int64_t seq, const unsigned char *bytes, size_t len,
                           gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    if (exec(s,
             "BEGIN IMMEDIATE; CREATE TABLE IF NOT EXISTS snapshots(seq INTEGER NOT NULL,"
             "  part INTEGER NOT NULL, bytes BLOB NOT NULL, PRIMARY KEY(seq, part));"
             "DELETE FROM snapshots",
             err))
        return exec(s, "ROLLBACK", NULL), GN_ESTORE;
    sqlite3_stmt *st = NULL;
    int rc =
        sqlite3_prepare_v2(s->db, "INSERT INTO snapshots(seq, part, bytes) VALUES (?1, ?2, ?3)", -1,
                           &st, NULL) == SQLITE_OK
            ? 0
            : db_fail(s, err, "writing a snapshot");
    for (size_t at = 0, part = 0; !rc && (at < len || part == 0); at += SNAPSHOT_PART, part++) {
        size_t n = len - at < SNAPSHOT_PART ? len - at : SNAPSHOT_PART;
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_int64(st, 2, (int64_t)part);
        sqlite3_bind_blob64(st, 3, bytes + at, n, SQLITE_STATIC);
        rc = step_done(s, st, err, "writing a snapshot");
    }
    sqlite3_finalize(st);
    if (!rc) rc = exec(s, "COMMIT", err);
    if (rc) exec(s, "ROLLBACK", NULL);
    return rc;
}

static int st_get_snapshot(gn_store *base, int64_t *seq, gn_buf *bytes, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, bytes FROM snapshots WHERE seq = (SELECT max(seq) FROM "
                           "snapshots) ORDER BY part",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return GN_ENOTFOUND; /* no snapshot was ever written: no table */
    }
    int rc, found = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        *seq = sqlite3_column_int64(st, 0);
        const void *blob = sqlite3_column_blob(st, 1);
        gn_buf_append(bytes, blob, (size_t)sqlite3_column_bytes(st, 1));
        found = 1;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return db_fail(s, err, "reading the snapshot");
    return found ? 0 : GN_ENOTFOUND;
}

static int st_replay_from(gn_store *base, int64_t after, gn_log_fn fn, void *ctx, gn_error *err)
{
    sqlite_store *s = (sqlite_store *)base;
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(s->db,
                           "SELECT seq, body, sender_role, sender_account, received FROM events "
                           "WHERE seq > ?1 ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return db_fail(s, err, "reading the event log");
    sqlite3_bind_int64(st, 1, after);
    int rc = replay_rows(s, st, fn, ctx, err);
    sqlite3_finalize(st);
    return rc;
}

static const gn_store_ops sqlite_ops = {
    .name = "sqlite",
    .close = st_close,
    .begin = st_begin,
    .commit = st_commit,
    .rollback = st_rollback,
    .append_event = st_append_event,
    .event_body = st_event_body,
    .put_decision = st_put_decision,
    .replay = st_replay,
    .get_image = st_get_image,
    .put_image = st_put_image,
    .put_model = st_put_model,
    .get_model = st_get_model,
    .models_json = st_models_json,
    .set_status = st_set_status,
    .append_audit = st_append_audit,
    .put_key = st_put_key,
    .find_key = st_find_key,
    .each_key = st_each_key,
    .revoke_key = st_revoke_key,
    .claim = st_claim,
    .claims_taken = st_claims_taken,
    .end_claims = st_end_claims,
    .release_claim = st_release_claim,
    .claim_holder = st_claim_holder,
    .put_snapshot = st_put_snapshot,
    .get_snapshot = st_get_snapshot,
    .replay_from = st_replay_from,
};

static const gn_query_ops sqlite_query = {
    .listing_json = st_listing_json,
    .each_listing = st_each_listing,
    .summary_json = st_summary_json,
    .queue_json = st_queue_json,
    .event_counts_json = st_event_counts_json,
    .each_removed_order = st_each_removed_order,
    .listing_events = st_listing_events,
    .each_audit = st_each_audit,
    .each_restriction = st_each_restriction,
    .each_change = st_each_change,
    .count_by_period = st_count_by_period,
    .each_notice_delay = st_each_notice_delay,
};

/* SQLite counts every allocation under a global mutex for
 * sqlite3_memory_used(), which genuine never asks: several allocations per
 * event, each taking and releasing a lock. Said once, before SQLite starts
 * (a program that started it already keeps its own setting). */
static void configure_sqlite(void)
{
    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int gn_sqlite_open(gn_store **out, const char *path, int read_only, gn_error *err)
{
    static pthread_once_t configured = PTHREAD_ONCE_INIT;
    pthread_once(&configured, configure_sqlite);
    sqlite_store *s = gn_xcalloc(1, sizeof *s);
    s->base.ops = &sqlite_ops;
    s->base.query = &sqlite_query;
    snprintf(s->path, sizeof s->path, "%s", path);
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        int rc = db_fail(s, err, "opening");
        st_close(&s->base);
        return rc;
    }
    sqlite3_busy_timeout(s->db, 5000);
    if (!read_only &&
        (exec(s,
              "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
              "PRAGMA cache_size=-65536;"
              "PRAGMA wal_autocheckpoint=0",
              err) ||
         migrate(s, err))) {
        st_close(&s->base);
        return GN_ESTORE;
    }
    int version = read_only ? user_version(s) : SCHEMA_VERSION;
    if (version != SCHEMA_VERSION) {
        if (version > 0 && version < SCHEMA_VERSION)
            gn_fail(err, GN_ESTORE,
                    "%s: the store is of an older genuine (schema %d of %d); a command that "
                    "writes to it (genuine ingest, serve, advance) upgrades it",
                    path, version, SCHEMA_VERSION);
        else
            gn_fail(err, GN_ESTORE, "%s: not a genuine store (or of another version)", path);
        st_close(&s->base);
        return GN_ESTORE;
    }
    for (int i = 0; i < ST_COUNT; i++)
        if (sqlite3_prepare_v3(s->db, statements[i], -1, SQLITE_PREPARE_PERSISTENT, &s->st[i],
                               NULL) != SQLITE_OK) {
            int rc = db_fail(s, err, "preparing statements");
            st_close(&s->base);
            return rc;
        }
    if (!read_only) {
        /* A new store's first pages are still all in the WAL, its file
         * empty: a second connection (the checkpointer's) would take an
         * empty file for a store without a WAL. One checkpoint here writes
         * the schema into the file first. */
        sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
        start_checkpointer(s);
    }
    *out = &s->base;
    return 0;
}
