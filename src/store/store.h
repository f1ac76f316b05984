/* The store: an append-only event log plus tables of current state. This is
 * the one interface the engine writes and reads through; SQLite is the
 * default backend (store/sqlite.c) and a PostgreSQL one will sit beside it,
 * which is why callers see only this table of operations. */
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
    int new_version; /* 1: the listing event itself; 0: a re-decision (a sweep) */
    int model;       /* the model version that decided; 0: the weighted policy */
    const char *actor; /* set_status only: who caused the change (a reviewer, a rights
                          holder, "deadline", "enforcement"); NULL: genuine itself */
} gn_decision_record;

/* One row of the append-only audit log: a change of a workflow record
 * (complaint, notice, right, report, appeal, seller, filer) and who caused
 * it. Listings' changes are their decision history (decisions table). */
typedef struct gn_audit_record {
    const char *at;
    const char *actor;     /* an account or reviewer id, or "genuine", "deadline" */
    const char *record;    /* complaint, notice, right, report, appeal, seller, filer */
    const char *record_id;
    const char *change;    /* e.g. "filed", "contested", "strike", "suspended" */
    const char *detail;    /* a sentence */
    const char *event;     /* the id of the event that caused it */
    int automated;         /* 1: decided by genuine without a human */
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
typedef int (*gn_remediation_fn)(void *ctx, const gn_remediation_row *row);
typedef int (*gn_audit_fn)(void *ctx, int64_t seq, const gn_audit_record *row);
typedef int (*gn_listing_fn)(void *ctx, const char *line_json);

typedef struct gn_store_ops {
    const char *name;
    void (*close)(gn_store *s);
    int (*begin)(gn_store *s, gn_error *err);
    int (*commit)(gn_store *s, gn_error *err);
    int (*rollback)(gn_store *s);
    /* Appends to the log; *seq receives the event's position in it. */
    int (*append_event)(gn_store *s, const gn_event_record *ev, int64_t *seq, gn_error *err);
    /* The text of the event at a position of the log (GN_ENOTFOUND if none). */
    int (*event_body)(gn_store *s, int64_t seq, gn_buf *out, gn_error *err);
    int (*put_decision)(gn_store *s, const gn_decision_record *d, gn_error *err);
    /* Calls fn for every logged event in order; stops on a non-zero return. */
    int (*replay)(gn_store *s, gn_replay_fn fn, void *ctx, gn_error *err);
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
    /* The image hash cache: the hashes (hex, the eight dihedral forms joined
     * by commas) or the error computed once for an image path or URL, so a
     * replay neither fetches again nor changes its mind. GN_ENOTFOUND if none. */
    int (*get_image)(gn_store *s, const char *source, gn_buf *hashes, gn_buf *error, gn_error *err);
    int (*put_image)(gn_store *s, const char *source, const char *hashes, const char *error,
                     gn_error *err);
    /* Learned models, by version: the serialised model and its figures (JSON). */
    int (*put_model)(gn_store *s, const unsigned char *bytes, size_t len, const char *figures,
                     const char *created_at, int *version, gn_error *err);
    int (*get_model)(gn_store *s, int version, gn_buf *bytes, gn_error *err);
    /* A listing's status set by a workflow (a reviewer's verdict), recorded
     * as a decision in its history. */
    int (*set_status)(gn_store *s, const gn_decision_record *d, gn_error *err);
    int (*append_audit)(gn_store *s, const gn_audit_record *a, gn_error *err);
    int (*put_key)(gn_store *s, const char *hash, const char *role, const char *account,
                   const char *created_at, gn_error *err);
    /* Fills role and account (buffers of 64 and 257 bytes); GN_ENOTFOUND if none. */
    int (*find_key)(gn_store *s, const char *hash, char *role, char *account, gn_error *err);
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
} gn_store_ops;

struct gn_store {
    const gn_store_ops *ops;
};

/* Opens (and creates or migrates) the store at path. */
int gn_store_open(gn_store **out, const char *path, int read_only, gn_error *err);

static inline void gn_store_close(gn_store *s)
{
    if (s) s->ops->close(s);
}

int gn_sqlite_open(gn_store **out, const char *path, int read_only, gn_error *err);

#endif
