/* genuine store copy: a SQLite store's tables copied as they are into an
 * empty PostgreSQL store (docs/scale.md), so nodes on PostgreSQL start where
 * the single process stopped. Rows go through COPY in one transaction: a
 * copy that fails half-way leaves the PostgreSQL store empty. */
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "store/store.h"

/* One table: its columns in both stores (the same names), and which one is
 * binary (bytea from a BLOB; -1: none). */
static const struct {
    const char *table, *columns;
    int binary;
} tables[] = {
    {"events", "seq, id, type, at, body, sender_role, sender_account, received", -1},
    {"decisions", "seq, listing, event, at, action, score, reasons, model, actor, notes", -1},
    {"listings", "listing, seller, status, decision, versions", -1},
    {"api_keys", "hash, role, account, created_at, revoked_at", -1},
    {"images", "source, hashes, error", -1},
    {"models", "version, created_at, figures, bytes", 3},
    {"audit", "seq, at, actor, record, record_id, change, detail, event, automated", -1},
};

/* A value in COPY's text format: \N for NULL, backslash escapes for the
 * characters that separate fields and rows. */
static void copy_text(gn_buf *row, sqlite3_stmt *st, int col, int binary)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL) {
        gn_buf_puts(row, "\\N");
        return;
    }
    if (binary) { /* bytea as \x and hex digits; the backslash itself escaped */
        const unsigned char *b = sqlite3_column_blob(st, col);
        int n = sqlite3_column_bytes(st, col);
        gn_buf_puts(row, "\\\\x");
        for (int i = 0; i < n; i++)
            gn_buf_printf(row, "%02x", b[i]);
        return;
    }
    const char *t = (const char *)sqlite3_column_text(st, col);
    int n = sqlite3_column_bytes(st, col);
    for (int i = 0; i < n; i++) {
        char c = t[i];
        const char *esc = c == '\\'   ? "\\\\"
                          : c == '\t' ? "\\t"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                                      : NULL;
        if (esc)
            gn_buf_puts(row, esc);
        else
            gn_buf_append(row, &c, 1);
    }
}

static int pg_error(PGconn *pg, gn_error *err, const char *to, const char *what)
{
    const char *msg = PQerrorMessage(pg);
    size_t n = strlen(msg);
    while (n && msg[n - 1] == '\n')
        n--;
    return gn_fail(err, GN_ESTORE, "%s: %s: %.*s", to, what, (int)n, msg);
}

static int run(PGconn *pg, const char *sql, const char *to, gn_error *err)
{
    PGresult *r = PQexec(pg, sql);
    ExecStatusType st = PQresultStatus(r);
    int rc = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : pg_error(pg, err, to, sql);
    PQclear(r);
    return rc;
}

static int copy_table(sqlite3 *db, PGconn *pg, int t, const char *from, const char *to,
                      int64_t *rows, gn_error *err)
{
    char sql[256];
    snprintf(sql, sizeof sql, "SELECT %s FROM %s", tables[t].columns, tables[t].table);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return gn_fail(err, GN_ESTORE, "%s: reading %s: %s", from, tables[t].table,
                       sqlite3_errmsg(db));
    snprintf(sql, sizeof sql, "COPY %s(%s) FROM STDIN", tables[t].table, tables[t].columns);
    PGresult *r = PQexec(pg, sql);
    int rc = PQresultStatus(r) == PGRES_COPY_IN ? 0 : pg_error(pg, err, to, sql);
    PQclear(r);
    gn_buf row = {0};
    int step = SQLITE_DONE, columns = sqlite3_column_count(st);
    while (!rc && (step = sqlite3_step(st)) == SQLITE_ROW) {
        gn_buf_reset(&row);
        for (int c = 0; c < columns; c++) {
            if (c) gn_buf_puts(&row, "\t");
            copy_text(&row, st, c, c == tables[t].binary);
        }
        gn_buf_puts(&row, "\n");
        if (PQputCopyData(pg, row.data, (int)row.len) != 1)
            rc = pg_error(pg, err, to, "copying rows");
        (*rows)++;
    }
    if (!rc && step != SQLITE_DONE)
        rc = gn_fail(err, GN_ESTORE, "%s: reading %s: %s", from, tables[t].table,
                     sqlite3_errmsg(db));
    gn_buf_free(&row);
    sqlite3_finalize(st);
    if (PQputCopyEnd(pg, rc ? "genuine stopped the copy" : NULL) != 1 && !rc)
        rc = pg_error(pg, err, to, "ending the copy");
    while ((r = PQgetResult(pg)) != NULL) {
        if (!rc && PQresultStatus(r) != PGRES_COMMAND_OK) rc = pg_error(pg, err, to, sql);
        PQclear(r);
    }
    return rc;
}

int gn_store_copy(const char *from, const char *to, gn_store_copy_report *report, gn_error *err)
{
    memset(report, 0, sizeof *report);
    const char *file = gn_store_sqlite_path(from);
    if (!file) return gn_fail(err, GN_EINPUT, "from: '%s' is not a SQLite store", from);
    if (gn_store_sqlite_path(to))
        return gn_fail(err, GN_EINPUT, "--to: '%s' is not a postgres:// URL", to);
    /* Both stores opened as genuine opens them: the SQLite one must be of
     * this genuine's schema, the PostgreSQL one is created or migrated. */
    gn_store *check;
    int rc = gn_store_open(&check, file, 1, err);
    if (rc) return rc;
    gn_store_close(check);
    if ((rc = gn_store_open(&check, to, 0, err))) return rc;
    gn_store_close(check);
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        rc = gn_fail(err, GN_ESTORE, "%s: %s", file, sqlite3_errmsg(db));
        sqlite3_close(db);
        return rc;
    }
    PGconn *pg = PQconnectdb(to);
    if (PQstatus(pg) != CONNECTION_OK) rc = pg_error(pg, err, to, "connecting");
    /* one snapshot of the SQLite store, one transaction in PostgreSQL */
    if (!rc && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        rc = gn_fail(err, GN_ESTORE, "%s: %s", file, sqlite3_errmsg(db));
    if (!rc) rc = run(pg, "SET client_min_messages = warning; BEGIN", to, err);
    if (!rc) {
        PGresult *r = PQexec(pg, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM "
                                 "decisions) + (SELECT count(*) FROM api_keys)");
        if (PQresultStatus(r) != PGRES_TUPLES_OK)
            rc = pg_error(pg, err, to, "counting what the store holds");
        else if (atoll(PQgetvalue(r, 0, 0)) > 0)
            rc = gn_fail(err, GN_EINPUT,
                         "--to: %s already holds events, decisions or keys: a copy goes into an "
                         "empty store",
                         to);
        PQclear(r);
    }
    int64_t *counts[] = {&report->events, &report->decisions, &report->listings, &report->keys,
                         &report->images, &report->models,    &report->audit};
    for (size_t t = 0; !rc && t < sizeof tables / sizeof *tables; t++)
        rc = copy_table(db, pg, (int)t, file, to, counts[t], err);
    /* the identities continue after the rows copied */
    if (!rc)
        rc = run(pg,
                 "SELECT setval('decisions_seq_seq', coalesce(max(seq), 0) + 1, false) "
                 "FROM decisions; "
                 "SELECT setval('audit_seq_seq', coalesce(max(seq), 0) + 1, false) FROM audit",
                 to, err);
    if (!rc) rc = run(pg, "COMMIT", to, err);
    if (rc && pg) PQclear(PQexec(pg, "ROLLBACK"));
    PQfinish(pg);
    sqlite3_close(db);
    return rc;
}
