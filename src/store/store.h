/* The store: an append-only event log plus tables of current state. This is
 * the one interface the engine writes and reads through; SQLite is the
 * default backend (store/sqlite.c) and a PostgreSQL one will sit beside it,
 * which is why callers see only two tables of operations: gn_store_ops, the
 * write path the engine ingests and replays through, and gn_query_ops, the
 * read side the reports query (a backend implements both). */
#ifndef GN_STORE_STORE_H
#define GN_STORE_STORE_H

#include <stdint.h>

#include "core/buf.h"
#include "genuine.h"

typedef struct gn_store gn_store;

/* One accepted event as it goes into the log: body is the text as received,
 * so unknown fields are kept. */
typedef struct gn_event_record {
    const char *id;
    const char *type;
    const char *at;
    const char *body;
    size_t body_len;
    const gn_sender *from; /* who sent it; NULL: the platform (or genuine itself) */
} gn_event_record;

/* One decision on one version of a listing. reasons is a JSON array text. */
typedef struct gn_decision_record {
    const char *listing;
    const char *seller;
    const char *event_id;
    const char *at;
    const char *status; /* live, held, blocked, removed, noticed */
    const char *action; /* allow, review, block */
    double score;
    const char *reasons;
    int new_version;   /* 1: the listing event itself; 0: a re-decision (a sweep) */
    int model;         /* the model version that decided; 0: the weighted policy */
    const char *notes; /* what could not be checked, a JSON array; NULL: nothing */
    const char *actor; /* set_status only: who caused the change (a reviewer, a rights
                          holder, "deadline", "enforcement"); NULL: genuine itself */
} gn_decision_record;

/* One row of the append-only audit log: a change of a workflow record
 * (complaint, notice, right, report, appeal, seller, filer) and who caused
 * it. Listings' changes are their decision history (decisions table). */
typedef struct gn_audit_record {
    const char *at;
    const char *actor;  /* an account or reviewer id, or "genuine", "deadline" */
    const char *record; /* complaint, notice, right, report, appeal, seller, filer */
    const char *record_id;
    const char *change; /* e.g. "filed", "contested", "strike", "suspended" */
    const char *detail; /* a sentence */
    const char *event;  /* the id of the event that caused it */
    int automated;      /* 1: decided by genuine without a human */
} gn_audit_record;

/* One order on a listing confirmed counterfeit (status removed): what the
 * buyer paid, to refund or notify. Numbers are JSON number texts as the
 * events gave them, so no amount is rounded on the way. */
typedef struct gn_remediation_row {
    const char *listing, *seller, *order, *buyer;
    const char *price;      /* the order's price (what the buyer paid for it) */
    const char *currency;   /* the order's own, else the listing's when ordered; "" unknown */
    const char *quantity;   /* "1" when the order gave none */
    const char *ship_to;    /* NULL when the order gave none */
    const char *ordered_at; /* the order event's `at` */
    const char *removed_at; /* when the listing was taken down */
    const char *reason;     /* the removal's reason code */
} gn_remediation_row;

typedef int (*gn_replay_fn)(void *ctx, int64_t seq, const char *body, size_t len);
/* A logged event as the replay hands it back, with its sender (from NULL:
 * the platform, as for every event logged before senders were). */
typedef int (*gn_log_fn)(void *ctx, int64_t seq, const char *body, size_t len,
                         const gn_sender *from);
typedef int (*gn_remediation_fn)(void *ctx, const gn_remediation_row *row);
typedef int (*gn_audit_fn)(void *ctx, int64_t seq, const gn_audit_record *row);
typedef int (*gn_listing_fn)(void *ctx, const char *line_json);

/* One API key as `key list` shows it: never the key, nor its whole hash. */
typedef struct gn_key_row {
    const char *id; /* the first 16 hex digits of the key's hash */
    const char *role, *account, *created_at;
    const char *revoked_at; /* NULL: in force */
} gn_key_row;
typedef int (*gn_key_fn)(void *ctx, const gn_key_row *row);
typedef int (*gn_item_fn)(void *ctx, const char *item);

/* One change as the DSA reads see it (statements of reasons, the audit
 * export): a row of the decisions table (record "listing", change = the
 * action, detail = the reasons as a JSON array) or of the audit table. */
typedef struct gn_change {
    const char *table; /* "decisions" or "audit": the table seq counts in */
    int64_t seq;
    const char *at;
    const char *actor;
    const char *record; /* "listing" for decisions rows */
    const char *record_id;
    const char *change;
    const char *detail;
    const char *event;
    int automated; /* audit rows: as recorded; decisions rows: -1 (the caller derives it) */
    /* each_restriction only: */
    const char *seller;   /* the listing's seller; the seller itself for audit rows */
    const char *first_at; /* the listing's first decision (when it was put up); NULL for sellers */
    const char *ended_at; /* when the restriction ended (a later decision that is not a
                             block; a seller reinstated or cleared); NULL: it holds */
    int flagged;          /* genuine held or blocked the listing before this decision */
} gn_change;
typedef int (*gn_change_fn)(void *ctx, const gn_change *c);

/* One group of the transparency report: in a period (its first day, or the
 * month "YYYY-MM"), count rows of a kind had key. Kinds: "decision" (genuine's
 * decisions, key = action), "listings" (key "decided": listings genuine
 * decided), "block" (key = "genuine" for genuine's own blocks, else the first
 * reason code of a workflow's block), and every audit record (key = change). */
typedef int (*gn_count_fn)(void *ctx, const char *period, const char *kind, const char *key,
                           int64_t count);
/* A notice's time from opening to action (its outcome, or its listing taken
 * down if sooner), in hours, in the period of the action. */
typedef int (*gn_delay_fn)(void *ctx, const char *period, double hours);

/* The write path: what the engine needs to take in events and rebuild its
 * state — the transaction, the event log, the decisions, the image hash
 * cache, the learned models, the audit log and the API keys. A backend fills
 * every entry; each returns 0 or a negative GN_E* code with err naming what
 * failed (GN_ESTORE for the database itself). */
typedef struct gn_store_ops {
    const char *name; /* "sqlite", "postgres": shown in messages */
    /* Closes the store and frees it; s may not be used after. */
    void (*close)(gn_store *s);
    /* One transaction around the writes of one event (or a batch of them):
     * begin opens it, commit makes every write since durable together,
     * rollback drops them (the engine then rebuilds its state from the log). */
    int (*begin)(gn_store *s, gn_error *err);
    int (*commit)(gn_store *s, gn_error *err);
    int (*rollback)(gn_store *s);
    /* Appends to the log; *seq receives the event's position in it. */
    int (*append_event)(gn_store *s, const gn_event_record *ev, int64_t *seq, gn_error *err);
    /* The text of the event at a position of the log (GN_ENOTFOUND if none). */
    int (*event_body)(gn_store *s, int64_t seq, gn_buf *out, gn_error *err);
    /* A listing decided: the decision joins the listing's history and
     * becomes its current status (new_version 1: a new version of it). */
    int (*put_decision)(gn_store *s, const gn_decision_record *d, gn_error *err);
    /* Calls fn for every logged event in order; stops on a non-zero return. */
    int (*replay)(gn_store *s, gn_log_fn fn, void *ctx, gn_error *err);
    /* A store several nodes write (PostgreSQL): calls fn for every event
     * logged since this connection last saw the log (by replay, follow or
     * its own appends), in order. Called inside a transaction, under the
     * log's lock, it leaves nothing unseen before the node's own events.
     * NULL for a store one process writes (SQLite). */
    int (*follow)(gn_store *s, gn_log_fn fn, void *ctx, gn_error *err);
    /* A store several nodes write: once-only work (training) is done by the
     * holder of a named lease. lease takes it when free or expired (a new
     * epoch) or renews it for its holder (the same epoch) for ttl_ms: 0 and
     * *epoch when held, GN_ENOTFOUND when another node holds it. While a
     * fence is set (name non-NULL), every commit checks the lease still has
     * that holder and epoch and fails otherwise, so a node presumed dead
     * writes nothing once its lease was taken over. NULL for SQLite. */
    int (*lease)(gn_store *s, const char *name, const char *holder, int ttl_ms, int64_t *epoch,
                 gn_error *err);
    void (*fence)(gn_store *s, const char *name, const char *holder, int64_t epoch);
    /* Group commit, for a server on a store several nodes write: commit_start
     * sends the open transaction's COMMIT without waiting (the log's lock
     * stays held, so a transaction begun meanwhile chains on it: its events
     * are decided during the flush), commit_finish waits for the answer. Only
     * commit_finish may run without the caller's lock, one at a time; every
     * other op waits until it returned. When it fails, nothing of that
     * transaction is in the log and one chained on it cannot commit: the
     * caller rolls back and rebuilds its state. NULL for SQLite. */
    int (*commit_start)(gn_store *s, gn_error *err);
    int (*commit_finish)(gn_store *s, gn_error *err);
    /* The image hash cache: the hashes (hex, the eight dihedral forms joined
     * by commas) or the error computed once for an image path or URL, so a
     * replay neither fetches again nor changes its mind. GN_ENOTFOUND if none.
     * put_image records one (hashes or error NULL). */
    int (*get_image)(gn_store *s, const char *source, gn_buf *hashes, gn_buf *error, gn_error *err);
    int (*put_image)(gn_store *s, const char *source, const char *hashes, const char *error,
                     gn_error *err);
    /* Learned models, by version: the serialised model and its figures (JSON).
     * put_model gives the next version number in *version; get_model fills
     * bytes (GN_ENOTFOUND if no such version). */
    int (*put_model)(gn_store *s, const unsigned char *bytes, size_t len, const char *figures,
                     const char *created_at, int *version, gn_error *err);
    int (*get_model)(gn_store *s, int version, gn_buf *bytes, gn_error *err);
    /* The model history, oldest first: a JSON array of each version's
     * figures with "version" and "created_at" added. */
    int (*models_json)(gn_store *s, gn_buf *out, gn_error *err);
    /* A listing's status set by a workflow (a reviewer's verdict), recorded
     * as a decision in its history. */
    int (*set_status)(gn_store *s, const gn_decision_record *d, gn_error *err);
    /* Appends one row to the audit log (never changed nor deleted after). */
    int (*append_audit)(gn_store *s, const gn_audit_record *a, gn_error *err);
    /* Stores an API key by the hash of its secret (never the key itself). */
    int (*put_key)(gn_store *s, const char *hash, const char *role, const char *account,
                   const char *created_at, gn_error *err);
    /* Fills role and account (buffers of 64 and 257 bytes); GN_ENOTFOUND if none
     * or revoked. */
    int (*find_key)(gn_store *s, const char *hash, char *role, char *account, gn_error *err);
    /* Every key, revoked ones too, oldest first; stops on a non-zero return. */
    int (*each_key)(gn_store *s, gn_key_fn fn, void *ctx, gn_error *err);
    /* Marks the key with this id revoked at `at` (kept if it was already);
     * GN_ENOTFOUND if no key has it. */
    int (*revoke_key)(gn_store *s, const char *id, const char *at, gn_error *err);
    /* Review claims (POST /v1/claims, src/http/claims.c): leases on items of
     * a queue ("listings", "appeals") and reviewers' skips, kept in the store
     * so they outlive a restart and hold for every node of one store. Times
     * are the server's clock in seconds since the epoch; a lease or skip is
     * over once its `until` <= now. Called outside any transaction.
     * claim: one conditional write leases item to reviewer until `until`
     * unless another reviewer holds a lease on it that has not ended at now
     * (so of two nodes racing for one item, one wins); the reviewer's own
     * lease is renewed. 0, or GN_ENOTFOUND when another reviewer holds it. */
    int (*claim)(gn_store *s, const char *queue, const char *item, const char *reviewer, double now,
                 double until, gn_error *err);
    /* Calls fn for every item of queue reviewer may not take at now: leased
     * to another reviewer, or skipped by this one. */
    int (*claims_taken)(gn_store *s, const char *queue, const char *reviewer, double now,
                        gn_item_fn fn, void *ctx, gn_error *err);
    /* Ends reviewer's leases in queue but the one on keep (NULL: all), and
     * forgets every lease and skip over at now. */
    int (*end_claims)(gn_store *s, const char *queue, const char *reviewer, const char *keep,
                      double now, gn_error *err);
    /* Ends reviewer's lease on item; skip_until > 0: the item is not offered
     * to that reviewer again before then. 0, or GN_ENOTFOUND when reviewer
     * held no lease on it at now. */
    int (*release_claim)(gn_store *s, const char *queue, const char *item, const char *reviewer,
                         double now, double skip_until, gn_error *err);
    /* The reviewer holding a lease on item at now (a buffer of 257 bytes);
     * GN_ENOTFOUND when none. */
    int (*claim_holder)(gn_store *s, const char *queue, const char *item, double now,
                        char *reviewer, gn_error *err);
    /* Snapshots of the engine's state (engine/snapshot.c): a node loads the
     * newest and replays only the log after it. put_snapshot keeps bytes as
     * the snapshot at log position seq in a transaction of its own (outside
     * a batch), in place of the one before; get_snapshot appends the newest
     * to bytes and its position to *seq (GN_ENOTFOUND: none); replay_from
     * is replay of the events after position `after` only. */
    int (*put_snapshot)(gn_store *s, int64_t seq, const unsigned char *bytes, size_t len,
                        gn_error *err);
    int (*get_snapshot)(gn_store *s, int64_t *seq, gn_buf *bytes, gn_error *err);
    int (*replay_from)(gn_store *s, int64_t after, gn_log_fn fn, void *ctx, gn_error *err);
} gn_store_ops;

/* The read side: the queries behind the reports (src/report: statements of
 * reasons, the transparency report, the audit export, remediation, case
 * files) and the listing reads (the decisions command, GET /v1/listings,
 * the queue, the summary). None of them writes; a read-only store serves
 * them all. Callbacks (fn) stop the walk with a non-zero return, which the
 * op then returns. */
typedef struct gn_query_ops {
    /* The listing's status, latest decision and history as one JSON object. */
    int (*listing_json)(gn_store *s, const char *listing, gn_buf *out, gn_error *err);
    /* Every listing as the `decisions` command prints it, in listing order. */
    int (*each_listing)(gn_store *s, gn_listing_fn fn, void *ctx, gn_error *err);
    /* Counts by status and by action, and example reasons, as one JSON object. */
    int (*summary_json)(gn_store *s, gn_buf *out, gn_error *err);
    /* Held listings, highest score first: {"listings":[...]} */
    int (*queue_json)(gn_store *s, int limit, gn_buf *out, gn_error *err);
    /* Events by type, as "events_by_type":{...} to splice into an object. */
    int (*event_counts_json)(gn_store *s, gn_buf *out, gn_error *err);
    /* Every order on a listing whose status is removed, by listing then log
     * order: one pass over the log. */
    int (*each_removed_order)(gn_store *s, gn_remediation_fn fn, void *ctx, gn_error *err);
    /* The log's events about some listings (a JSON array of ids), in order:
     * their versions, orders, counter-notices and reports, the complaints
     * naming them and the shipments of those orders. */
    int (*listing_events)(gn_store *s, const char *listings_json, gn_replay_fn fn, void *ctx,
                          gn_error *err);
    /* Every audit row of one record kind (complaint, notice, seller, ...), in order. */
    int (*each_audit)(gn_store *s, const char *record, gn_audit_fn fn, void *ctx, gn_error *err);
    /* The restrictive decisions, in time order (since: RFC 3339 or NULL):
     * listing decisions that block (a block repeating the listing's previous
     * block for the same first reason is left out), then interleaved by time
     * the sellers suspended, closed or banned. */
    int (*each_restriction)(gn_store *s, const char *since, gn_change_fn fn, void *ctx,
                            gn_error *err);
    /* The audit log merged in time order with the decisions that changed a
     * listing (the first, one whose action differs from the one before, and
     * every one caused by someone else than genuine; at equal times the
     * listing's decision first). record ("listing" or an audit record) and
     * record_id narrow it; NULL: all. */
    int (*each_change)(gn_store *s, const char *record, const char *record_id, gn_change_fn fn,
                       void *ctx, gn_error *err);
    /* The transparency report's counts by period: "day", "week" (starting
     * Monday) or "month". */
    int (*count_by_period)(gn_store *s, const char *period, gn_count_fn fn, void *ctx,
                           gn_error *err);
    int (*each_notice_delay)(gn_store *s, const char *period, gn_delay_fn fn, void *ctx,
                             gn_error *err);
} gn_query_ops;

/* A backend embeds this first: ops and query are its two tables (both set). */
struct gn_store {
    const gn_store_ops *ops;   /* the write path */
    const gn_query_ops *query; /* the read side */
};

/* Opens (and creates or migrates) the store at path. */
int gn_store_open(gn_store **out, const char *path, int read_only, gn_error *err);

static inline void gn_store_close(gn_store *s)
{
    if (s) s->ops->close(s);
}

int gn_sqlite_open(gn_store **out, const char *path, int read_only, gn_error *err);
int gn_pg_open(gn_store **out, const char *url, int read_only, gn_error *err);

/* A store location: "sqlite:PATH" or a bare path is a SQLite file (returns
 * the path), "postgres://..." or "postgresql://..." PostgreSQL (NULL). */
const char *gn_store_sqlite_path(const char *location);

#endif
