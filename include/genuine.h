/* genuine — the public C API.
 *
 * An engine owns one store (SQLite file) and the in-memory state rebuilt from
 * it. Events go in as JSON text, one at a time, inside a batch that gn_commit()
 * makes durable; each listing event comes back with its decision. The command
 * line and the HTTP server are thin clients of exactly this API.
 *
 * Linking: `pkg-config --cflags --libs genuine` after `make install`
 * (examples/decide.c is a whole program). Only what this header declares is
 * exported from libgenuine.so; the rest of the library is hidden.
 *
 * Memory: a string the library returns as `char *` (the *_json and *_text
 * reads) belongs to the caller, who releases it with gn_free() — never with
 * the caller's own free(), which may belong to another C runtime. Strings in
 * a gn_result belong to the engine (see there); const char * returns are
 * static.
 *
 * Threads: the library has no mutable global state, so different engines
 * may be used from different threads at once. One engine is not thread-safe:
 * every call on it (reads included, since reads use the engine's prepared
 * statements and scratch memory) must come from one thread at a time; a
 * program that shares an engine between threads holds its own mutex around
 * each call, as the HTTP server does (its pool of libmicrohttpd threads
 * parses and authorises requests in parallel, and takes one mutex per engine
 * for each library call; its clock and training run on the main thread under
 * that same mutex). A gn_result is valid only until the next call on its
 * engine, so copy what must outlive the lock. gn_key_id(), gn_version(),
 * gn_default_config_text(), gn_case_html_from_json() and gn_free() touch no
 * engine and may be called from any thread. One store has one writer: a
 * second engine opened to write on the same file is refused (see
 * gn_engine_options.shared). */
#ifndef GENUINE_H
#define GENUINE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* GN_API marks what the shared library exports: the library is compiled with
 * -fvisibility=hidden, so a function without it stays internal. */
#ifndef GN_API
#if defined(__GNUC__) || defined(__clang__)
#define GN_API __attribute__((visibility("default")))
#else
#define GN_API
#endif
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* The version of this header; gn_version() is the library's, which may be
 * newer when the program runs against a later libgenuine.so. Before 1.0 a
 * minor release may change the ABI, so the soname carries major and minor
 * (libgenuine.so.0.1). GN_VERSION_NUMBER is 0xMMmmpp, for #if tests. */
#define GN_VERSION_MAJOR 0
#define GN_VERSION_MINOR 1
#define GN_VERSION_PATCH 0
#define GN_VERSION_NUMBER ((GN_VERSION_MAJOR << 16) | (GN_VERSION_MINOR << 8) | GN_VERSION_PATCH)

/* The library's version as "MAJOR.MINOR.PATCH" (static; never freed). */
GN_API const char *gn_version(void);

/* Releases a string the library returned (NULL is fine). */
GN_API void gn_free(void *p);

/* Error codes: functions return 0 or one of these (negative). */
enum {
    GN_OK = 0,
    GN_EINPUT = -1,    /* the caller's input is wrong; the message names the field */
    GN_ENOMEM = -2,    /* out of memory */
    GN_ESTORE = -3,    /* the store failed (disk, corruption, locked) */
    GN_ENOTFOUND = -4, /* no such record */
    GN_ECONFIG = -5,   /* the configuration file is wrong; the message names the line */
    GN_EFORBIDDEN = -6 /* the caller's role may not do this */
};

/* Filled by a failing call with a message written for whoever sent the input. */
typedef struct gn_error {
    int code;
    char message[512];
} gn_error;

typedef struct gn_engine gn_engine;

typedef struct gn_engine_options {
    const char *db_path;     /* SQLite file; created when missing */
    const char *config_path; /* NULL: the shipped defaults (config/genuine.conf) */
    int read_only;           /* open for reads only: no replay of the event log */
    const char *policy_path; /* a Lua policy (policy/default.lua shows how); NULL: none */
    /* One writer per store: an engine opened to write takes the store's
     * writer's lock (PATH.lock), and a second one is refused with GN_ESTORE
     * naming the holder (pid, command). shared (with read_only 0) opens beside
     * the writer instead: the state is rebuilt for reads (show, seller, case
     * export) and API keys may be issued and revoked, but events, deadlines and
     * models are refused. */
    int shared;
    /* A folder of word lists replacing the shipped ones (config/lexicon/):
     * condition.txt, lingo.txt and common.txt, each optional; NULL: the
     * shipped lists. A bad line is GN_ECONFIG naming the file and the line. */
    const char *lexicon_dir;
} gn_engine_options;

GN_API int gn_engine_open(gn_engine **out, const gn_engine_options *options, gn_error *err);
GN_API void gn_engine_close(gn_engine *engine);

typedef enum gn_outcome { GN_ACCEPTED = 0, GN_DUPLICATE = 1, GN_REJECTED = 2 } gn_outcome;

/* The result of one event. Strings are owned by the engine and stay valid
 * until the next gn_ingest() call on it. */
typedef struct gn_result {
    gn_outcome outcome;
    const char *id;            /* the event's id, "" when it could not be read */
    const char *type;          /* the event's type, "" when it could not be read */
    const char *error;         /* why it was rejected; NULL otherwise */
    const char *decision_json; /* listing events: the decision object; NULL otherwise */
    const char *alert_json;    /* a seller, session or seller_attribute event that leaves
                                  its account linked to a banned seller (ban evasion at
                                  sign-up): {"seller","code","detail"}; NULL otherwise */
} gn_result;

/* Feeds one event (one JSON object). A rejected or duplicate event is not an
 * error: the return value is 0 and res->outcome says so. Returns a negative
 * code only when the engine itself failed (store), and then err says why.
 * An accepted event is durable only once gn_commit() has returned 0. */
GN_API int gn_ingest(gn_engine *engine, const char *json, size_t len, gn_result *res,
                     gn_error *err);

/* Who sent an event. role NULL or "platform" is the platform itself (its
 * keys, the operator's command line); any other role (seller, shopper,
 * rights_holder, reviewer) is a principal whose every field is hostile:
 * its event ids are its own (another principal's id never makes its event
 * a duplicate), its `at` may not run more than http.max_skew_seconds past
 * clock_ms, and its events never move the engine's clock or run deadlines.
 * clock_ms is the server's wall clock when the event arrived (ms since the
 * epoch; 0 when there is none). The sender is logged with the event. */
typedef struct gn_sender {
    const char *role;
    const char *account; /* the account the key speaks for; NULL or "" for none */
    int64_t clock_ms;
} gn_sender;

/* gn_ingest for an event from a sender (gn_ingest is gn_ingest_from with
 * from NULL: the platform). */
GN_API int gn_ingest_from(gn_engine *engine, const gn_sender *from, const char *json, size_t len,
                          gn_result *res, gn_error *err);

/* Makes every event accepted since the last commit durable, with its effects. */
GN_API int gn_commit(gn_engine *engine, gn_error *err);

/* Reads. Each returns a JSON text the caller releases with gn_free(), or NULL with err
 * set (GN_ENOTFOUND when there is no such record). */
GN_API char *gn_listing_json(gn_engine *engine, const char *listing, gn_error *err);

/* A seller's status, risk (with reasons), listings by status and cluster:
 * size, banned members, brands, listings and shipment origins ranked. With
 * show_links (platform and reviewers) also the cluster's members and the
 * sellers directly linked, with the kinds of what they share — never the
 * shared values themselves. GN_ENOTFOUND for an unknown seller. */
GN_API char *gn_seller_json(gn_engine *engine, const char *seller, int show_links, gn_error *err);

/* Every listing's status and latest decision, one JSON object per line. */
GN_API int gn_decisions_write(gn_engine *engine, FILE *out, gn_error *err);

/* Counts of listings by status and decisions by action, and a few example
 * reasons, as one JSON object (gn_free it). */
GN_API char *gn_summary_json(gn_engine *engine, gn_error *err);

/* The review queue: held listings, highest score first, at most limit. */
GN_API char *gn_queue_json(gn_engine *engine, int limit, gn_error *err);

/* A listing as a reviewer judges it: status, score, what its latest version
 * says (title, description, price, brand, category, photos by http(s) url or
 * pdq; never its signals), the notices and shoppers' reports on it, an open
 * appeal. GN_ENOTFOUND for an unknown listing. */
GN_API char *gn_review_json(gn_engine *engine, const char *listing, gn_error *err);

/* The open appeals, oldest first, at most limit, leaving out those against a
 * decision not_decided_by made (an appeal goes to another reviewer; NULL:
 * all), each with the seller's statement: {"appeals":[...]}. */
GN_API char *gn_open_appeals_json(gn_engine *engine, const char *not_decided_by, int limit,
                                  gn_error *err);

/* A seller's listings, newest first, at most limit: id, status, score,
 * title. GN_ENOTFOUND for an unknown seller. */
GN_API char *gn_seller_listings_json(gn_engine *engine, const char *seller, int limit,
                                     gn_error *err);

/* Dashboard figures: listings by status, decisions by action, events by
 * type, and example reasons (JSON; gn_free it). */
GN_API char *gn_stats_json(gn_engine *engine, gn_error *err);

/* The dashboard's figures over a period, from counts kept in memory by day
 * (no scan of the store): the listings by status now, and for the days from
 * since to until (each "YYYY-MM-DD", a whole day, or an RFC 3339 time; NULL:
 * open) listings decided, decisions by action, held and blocked at creation,
 * automated decisions and reviewers' verdicts, appeals, top brands, each
 * reviewer's verdicts and decisions reversed on appeal, and day by day.
 * GN_EINPUT naming since or until when one is not a time. */
GN_API char *gn_stats_period_json(gn_engine *engine, const char *since, const char *until,
                                  gn_error *err);
/* The same for one brand (its id) or one category (NULL: every listing):
 * the period's figures of its listings only ("brand", "category" say which);
 * both at once is GN_EINPUT. */
GN_API char *gn_stats_filtered_json(gn_engine *engine, const char *since, const char *until,
                                    const char *brand, const char *category, gn_error *err);

/* Prometheus text exposition of the engine's counters (gn_free it; NULL when
 * out of memory). */
GN_API char *gn_metrics_text(gn_engine *engine);

/* Learning. gn_train learns a candidate model from the labelled listings
 * (reviewers' verdicts, complaints, reports, appeals) but the most recent
 * fifth, sets its thresholds from the review budget, and compares it on that
 * fifth with the scorer now live (the current model, or the weighted policy).
 * It goes live only if it catches no fewer counterfeits and takes down no
 * more honest listings; otherwise it is kept in shadow. Either way it is
 * stored as the next version with its figures (docs/model.md). */
typedef struct gn_train_report {
    int version;            /* the candidate's version */
    int promoted;           /* 1: it decides from now on; 0: kept in shadow */
    int live_version;       /* what it was compared with: a model version, 0 the policy */
    size_t rows, positives; /* labelled listings, counterfeit among them */
    size_t features;        /* columns: genuine's signals and facts, platform signals */
    double auc, precision, recall, log_loss; /* the candidate on the held-back fifth */
    double review_at, block_at;              /* the candidate's thresholds */
    double seconds;                          /* training time */
    char json[4096]; /* the whole report, one JSON object: what `genuine train` prints */
} gn_train_report;
GN_API int gn_train(gn_engine *engine, gn_train_report *report, gn_error *err);
/* The model history, oldest first (a JSON array; gn_free it): each version's
 * time, whether it went live, the comparison and the label mix. */
GN_API char *gn_models_json(gn_engine *engine, gn_error *err);

/* Loads the Lua policy file again without a restart. If it does not load,
 * the running policy stays and err says why (with the file's line). */
GN_API int gn_policy_reload(gn_engine *engine, gn_error *err);

/* API keys. A key speaks for a role (platform, reviewer, rights_holder,
 * seller, shopper) and, for the last three, an account. Only a hash of the
 * key is stored; gn_key_issue writes the key itself (64 hex characters and a
 * NUL) to key_out once. */
#define GN_KEY_SIZE 65      /* a key and its NUL */
#define GN_KEY_ID_SIZE 17   /* a key's id and its NUL */
#define GN_ROLE_SIZE 64     /* room for any role and its NUL */
#define GN_ACCOUNT_SIZE 257 /* room for any account id (256 bytes at most) and its NUL */
GN_API int gn_key_issue(gn_engine *engine, const char *role, const char *account,
                        char key_out[GN_KEY_SIZE], gn_error *err);
/* Looks a key up: writes its role to role (role_size bytes) and its account
 * ("" for none) to account (account_size bytes), each NUL-terminated, or
 * returns GN_ENOTFOUND (no such key, or revoked). A value that does not fit
 * its buffer is never cut short (a cut account id could name another
 * account): the call fails with GN_EINPUT naming the buffer and leaves both
 * empty. GN_ROLE_SIZE and GN_ACCOUNT_SIZE always suffice. */
GN_API int gn_key_check(gn_engine *engine, const char *key, char *role, size_t role_size,
                        char *account, size_t account_size, gn_error *err);
/* A key's id: the first 16 hex digits of its stored hash. It names the key
 * in gn_key_list and gn_key_revoke and cannot be used as one. */
GN_API void gn_key_id(const char *key, char id_out[GN_KEY_ID_SIZE]);
/* Every key, one JSON object per line, oldest first:
 * {"id","role","account","created","revoked"} (revoked: a time or null). */
GN_API int gn_key_list(gn_engine *engine, FILE *out, gn_error *err);
/* Revokes the key with this id (GN_ENOTFOUND if none; GN_EINPUT if id is not
 * 16 hex digits). A running server refuses it within a second. */
GN_API int gn_key_revoke(gn_engine *engine, const char *id, gn_error *err);

/* The notice-and-takedown workflows (src/workflow; docs/workflows.md).
 *
 * Time is event time: a complaint's counter-notice window runs on the `at` of
 * events. gn_advance runs every deadline that falls before `to` (RFC 3339):
 * notices unanswered by then are taken down. It is logged, so a replay runs
 * the same deadlines at the same point. */
typedef struct gn_advance_report {
    size_t deadlines; /* notice windows that closed */
    size_t removed;   /* listings taken down because their notice went unanswered */
    double seconds;   /* time taken */
} gn_advance_report;
GN_API int gn_advance(gn_engine *engine, const char *to, gn_advance_report *report, gn_error *err);

/* Copies a SQLite store (from: PATH or sqlite:PATH) into an empty
 * PostgreSQL store (to: postgres://...): the log, the decisions, the audit
 * log, the keys, the models and the image hash cache as they are, in one
 * transaction (docs/scale.md). GN_EINPUT if to already holds events,
 * decisions or keys; report counts the rows copied. */
typedef struct gn_store_copy_report {
    int64_t events, decisions, listings, keys, images, models, audit;
} gn_store_copy_report;
GN_API int gn_store_copy(const char *from, const char *to, gn_store_copy_report *report,
                         gn_error *err);

/* Snapshots (docs/scale.md, Joining): gn_snapshot_write keeps the state of
 * an engine just opened (it replayed the log, or loaded a snapshot and
 * replayed what follows it) in its store, at the log position it reached;
 * an engine opened on the store later loads it and replays only the events
 * after it. GN_EINPUT when the state holds what a snapshot does not take
 * (Lua rules). report: the position,
 * the snapshot's size and the time it took. gn_engine_join_report says how
 * an engine's state was built when it opened: from the snapshot at seq (0:
 * the whole log), replaying `replayed` events, in `seconds`. Setting
 * GENUINE_NO_SNAPSHOT=1 makes an engine replay the whole log. */
typedef struct gn_snapshot_report {
    int64_t seq;
    uint64_t replayed;
    size_t bytes;
    double seconds;
    double read_seconds, load_seconds; /* joins: of seconds, reading the snapshot, loading it */
} gn_snapshot_report;
GN_API int gn_snapshot_write(gn_engine *engine, gn_snapshot_report *report, gn_error *err);
GN_API void gn_engine_join_report(gn_engine *engine, gn_snapshot_report *report);

/* Workflow records as JSON (gn_free it; NULL with err set, GN_ENOTFOUND when
 * there is no such record). Where a `seller` argument is given (not NULL),
 * only what concerns that seller is shown — its own listings and notices —
 * and GN_EFORBIDDEN when a complaint names none of them. */
GN_API char *gn_complaint_json(gn_engine *engine, const char *complaint, const char *seller,
                               gn_error *err);
/* A rights holder's complaints (every complaint when rights_holder is NULL). */
GN_API char *gn_complaints_json(gn_engine *engine, const char *rights_holder, gn_error *err);
GN_API char *gn_right_json(gn_engine *engine, const char *right, gn_error *err);
/* A seller's notices still open: what it may answer, and by when. */
GN_API char *gn_notices_json(gn_engine *engine, const char *seller, gn_error *err);
/* Someone who files complaints or reports: counts, trust, limits and why. */
GN_API char *gn_filer_json(gn_engine *engine, const char *account, gn_error *err);
/* The shoppers' reports triage queue: listings with open reports, most
 * urgent first (the listing's risk and the reporters' records). */
GN_API char *gn_reports_json(gn_engine *engine, int limit, gn_error *err);
GN_API char *gn_appeal_json(gn_engine *engine, const char *appeal, gn_error *err);

/* Buyer remediation (docs/cases.md): every order on a listing confirmed
 * counterfeit (status removed), to refund or notify its buyer — listing,
 * seller, order, buyer, price, currency, quantity, ship_to, ordered_at,
 * removed_at and reason (the removal's code). JSON Lines, or with csv a CSV
 * file (header line, RFC 4180 quoting, CRLF). Works on a read-only engine. */
GN_API int gn_remediation_write(gn_engine *engine, FILE *out, int csv, gn_error *err);

/* Case files for the authorities (docs/cases.md): for the cluster of linked
 * accounts a seller belongs to — its sellers, the links between them (kinds
 * shared, never the values), listings with their decision history, orders,
 * shipment origins ranked, complaint and notice history and evidence hashes
 * (SHA-256 of every event body included, PDQ hashes of the photos). Needs
 * the engine opened normally (the cluster is in memory). GN_ENOTFOUND for an
 * unknown seller. gn_case_json returns JSON (gn_free it); gn_case_html_write
 * writes a self-contained HTML report of the same case (no scripts). */
GN_API char *gn_case_json(gn_engine *engine, const char *seller, gn_error *err);
GN_API int gn_case_html_write(gn_engine *engine, const char *seller, FILE *out, gn_error *err);
/* The HTML report of a bundle gn_case_json returned (so both files of one
 * export tell the same case, built once). */
GN_API int gn_case_html_from_json(const char *case_json, FILE *out, gn_error *err);

/* The EU Digital Services Act's reads (docs/transparency.md).
 *
 * A statement of reasons (Art. 17) for every restrictive decision — a listing
 * blocked or taken down, a seller suspended, closed or banned — with the
 * fields of the DSA Transparency Database, one JSON object per line, in time
 * order; since (RFC 3339, or NULL for all) keeps those decided at or after it.
 * Each has a stable id: "sor-<decision seq>" or "sor-audit-<audit seq>". */
GN_API int gn_statements_write(gn_engine *engine, FILE *out, const char *since, gn_error *err);

/* The transparency report: per period ("day", "week" starting Monday, or
 * "month"), decisions by action, genuine's own blocks, removals by cause,
 * notices, appeals, sellers restricted and the median hours from a notice to
 * its outcome; and the totals. JSON (gn_free it), or NULL with err set. */
GN_API char *gn_transparency_json(gn_engine *engine, const char *period, gn_error *err);

/* The audit log — every change of a workflow record and who caused it —
 * merged in time order with the decisions that changed a listing, one JSON
 * object per line: {"seq","at","actor","record","record_id","change","detail",
 * "event","automated"}. record (listing, complaint, notice, right, report,
 * appeal, seller, filer) and record_id narrow it; NULL for all. */
GN_API int gn_audit_write(gn_engine *engine, FILE *out, const char *record, const char *record_id,
                          gn_error *err);

/* Shared photo banks (docs/banks.md). The removed bank's hashes (photos of
 * listings blocked or taken down as counterfeit) with brand and first-seen
 * time, from since (RFC 3339, or NULL), as format "genuine" (signed with the
 * ed25519 key in key_file, made when missing) or "hma" (HMA's CSV); source
 * names the exporter. */
GN_API int gn_bank_export(gn_engine *engine, FILE *out, const char *format, const char *source,
                          const char *since, const char *key_file, gn_error *err);
/* One JSON line per source of shared hashes: counts, and those quarantined. */
GN_API int gn_bank_status_write(gn_engine *engine, FILE *out, gn_error *err);

/* Authenticity codes (docs/codes.md). What a code as typed is, as JSON:
 * {"code","status":"genuine"|"unknown"|"retired"|"cloned", ...} with the
 * brand, product, batch, first scan and scans of a code genuine issued;
 * GN_EINPUT naming 'code' for text that is no code at all. Nothing logged. */
GN_API char *gn_code_verify_json(gn_engine *engine, const char *code, gn_error *err);
/* A batch's codes, one a line in their printed form, derived again from
 * the store's codes key; with qr_dir, one QR image per code there, named
 * CODE.svg or CODE.png (qr_format "svg", the default, or "png"). */
GN_API int gn_batch_codes_write(gn_engine *engine, const char *batch, FILE *out, const char *qr_dir,
                                const char *qr_format, gn_error *err);
/* The batches (of one brand, or all for NULL; of the brands owner owns, or
 * all for NULL) with their scans, clones and the countries their codes were
 * scanned in: {"batches":[...]}. */
GN_API char *gn_batches_json(gn_engine *engine, const char *brand, const char *owner,
                             gn_error *err);

/* The shipped default configuration, documented line by line. */
GN_API const char *gn_default_config_text(void);

#ifdef __cplusplus
}
#endif

#endif
