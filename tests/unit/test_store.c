/* The SQLite store on a real file: a store written by an older genuine is
 * refused read-only with a message that says how to upgrade it, upgraded
 * by the first writer without losing a listing's latest decision; a
 * listing's current decision is always its newest row of history; and
 * under a steady stream of batches the WAL is copied back as it goes and
 * starts again, instead of growing until the store is closed. */
#include "testutil.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"

static char db_path[64];

static int setup(void **state)
{
    char dir[] = "/tmp/genuine-test-store-XXXXXX";
    assert_non_null(mkdtemp(dir));
    snprintf(db_path, sizeof db_path, "%s/g.db", dir);
    return 0;
}

static int count_item(void *ctx, const char *item)
{
    ++*(int *)ctx;
    return 0;
}

static int teardown(void **state)
{
    char wal[80], shm[80];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    snprintf(shm, sizeof shm, "%s-shm", db_path);
    unlink(db_path);
    unlink(wal);
    unlink(shm);
    *strrchr(db_path, '/') = 0;
    rmdir(db_path);
    return 0;
}

static void sql(sqlite3 *db, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(db, text, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", text, msg);
}

/* The schema as migrations 1-5 left it, written by hand: a listing with two
 * decisions (the later one current) and a held listing with one. */
static void write_schema_5_store(void)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(db_path, &db), SQLITE_OK);
    sql(db, "CREATE TABLE events(seq INTEGER PRIMARY KEY, id TEXT NOT NULL, type TEXT NOT NULL,"
            "  at TEXT NOT NULL, body TEXT NOT NULL);"
            "CREATE TABLE listings(listing TEXT PRIMARY KEY, seller TEXT NOT NULL,"
            "  status TEXT NOT NULL, action TEXT NOT NULL, score REAL NOT NULL,"
            "  reasons TEXT NOT NULL, at TEXT NOT NULL, versions INTEGER NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE decisions(seq INTEGER PRIMARY KEY, listing TEXT NOT NULL,"
            "  event TEXT NOT NULL, at TEXT NOT NULL, action TEXT NOT NULL, score REAL NOT NULL,"
            "  reasons TEXT NOT NULL, model INTEGER NOT NULL DEFAULT 0,"
            "  actor TEXT NOT NULL DEFAULT 'genuine');"
            "CREATE INDEX decisions_by_listing ON decisions(listing);"
            "CREATE TABLE api_keys(hash TEXT PRIMARY KEY, role TEXT NOT NULL,"
            "  account TEXT NOT NULL, created_at TEXT NOT NULL);"
            "CREATE TABLE images(source TEXT PRIMARY KEY, hashes TEXT NOT NULL,"
            "  error TEXT NOT NULL) WITHOUT ROWID;"
            "CREATE TABLE models(version INTEGER PRIMARY KEY, created_at TEXT NOT NULL,"
            "  figures TEXT NOT NULL, bytes BLOB NOT NULL);"
            "CREATE TABLE audit(seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL,"
            "  record TEXT NOT NULL, record_id TEXT NOT NULL, change TEXT NOT NULL,"
            "  detail TEXT NOT NULL, event TEXT NOT NULL, automated INTEGER NOT NULL);"
            "CREATE INDEX audit_by_record ON audit(record, record_id);"
            "INSERT INTO decisions(listing, event, at, action, score, reasons) VALUES"
            "  ('L1', 'e1', '2026-11-01T00:00:00Z', 'allow', 0.1, '[]'),"
            "  ('L2', 'e2', '2026-11-01T01:00:00Z', 'review', 0.6,"
            "   '[{\"code\":\"PRICE_FAR_BELOW_REFERENCE\",\"weight\":1,\"detail\":\"cheap\"}]'),"
            "  ('L1', 'e3', '2026-11-02T00:00:00Z', 'block', 0.9,"
            "   '[{\"code\":\"COUNTERFEIT_LINGO\",\"weight\":1,\"detail\":\"replica\"}]');"
            "INSERT INTO listings VALUES"
            "  ('L1', 'S1', 'blocked', 'block', 0.9,"
            "   '[{\"code\":\"COUNTERFEIT_LINGO\",\"weight\":1,\"detail\":\"replica\"}]',"
            "   '2026-11-02T00:00:00Z', 2),"
            "  ('L2', 'S2', 'held', 'review', 0.6,"
            "   '[{\"code\":\"PRICE_FAR_BELOW_REFERENCE\",\"weight\":1,\"detail\":\"cheap\"}]',"
            "   '2026-11-01T01:00:00Z', 1);"
            "PRAGMA user_version = 5;");
    sqlite3_close(db);
}

static char *listing_json(gn_store *s, const char *listing)
{
    gn_buf out = {0};
    gn_error err = {0};
    if (s->query->listing_json(s, listing, &out, &err)) fail_msg("listing: %s", err.message);
    return out.data;
}

static int collect(void *ctx, const char *line)
{
    gn_buf *all = ctx;
    gn_buf_puts(all, line);
    gn_buf_puts(all, "\n");
    return 0;
}

static void test_upgrade_keeps_latest_decisions(void **state)
{
    write_schema_5_store();
    gn_store *s;
    gn_error err = {0};
    assert_int_not_equal(gn_sqlite_open(&s, db_path, 1, &err), 0);
    if (!strstr(err.message, "older genuine (schema 5 of") || !strstr(err.message, "upgrades it"))
        fail_msg("unexpected refusal: %s", err.message);

    if (gn_sqlite_open(&s, db_path, 0, &err)) fail_msg("upgrade: %s", err.message);
    char *l1 = listing_json(s, "L1");
    if (!strstr(l1, "\"status\":\"blocked\",\"versions\":2,\"decision\":{\"action\":\"block\","
                    "\"score\":0.9,\"reasons\":[{\"code\":\"COUNTERFEIT_LINGO\""))
        fail_msg("L1 after the upgrade: %s", l1);
    free(l1);

    gn_buf all = {0};
    assert_int_equal(s->query->each_listing(s, collect, &all, &err), 0);
    assert_string_equal(
        all.data,
        "{\"listing\":\"L1\",\"seller\":\"S1\",\"status\":\"blocked\",\"action\":\"block\","
        "\"score\":0.9,\"reasons\":[{\"code\":\"COUNTERFEIT_LINGO\",\"weight\":1,\"detail\":"
        "\"replica\"}],\"at\":\"2026-11-02T00:00:00Z\"}\n"
        "{\"listing\":\"L2\",\"seller\":\"S2\",\"status\":\"held\",\"action\":\"review\","
        "\"score\":0.6,\"reasons\":[{\"code\":\"PRICE_FAR_BELOW_REFERENCE\",\"weight\":1,"
        "\"detail\":\"cheap\"}],\"at\":\"2026-11-01T01:00:00Z\"}\n");
    gn_buf_free(&all);

    gn_buf queue = {0};
    assert_int_equal(s->query->queue_json(s, 10, &queue, &err), 0);
    if (!strstr(queue.data, "\"listing\":\"L2\"") || strstr(queue.data, "\"L1\""))
        fail_msg("queue after the upgrade: %s", queue.data);
    gn_buf_free(&queue);
    s->ops->close(s);

    /* Upgraded, it opens read-only again. */
    if (gn_sqlite_open(&s, db_path, 1, &err)) fail_msg("read-only: %s", err.message);
    s->ops->close(s);
}

static void test_current_decision_is_the_newest(void **state)
{
    gn_store *s;
    gn_error err = {0};
    if (gn_sqlite_open(&s, db_path, 0, &err)) fail_msg("open: %s", err.message);
    assert_int_equal(s->ops->begin(s, &err), 0);
    gn_decision_record d = {.listing = "L9",
                            .seller = "S9",
                            .event_id = "e1",
                            .at = "2026-11-01T00:00:00Z",
                            .status = "live",
                            .action = "allow",
                            .score = 0.1,
                            .reasons = "[]",
                            .new_version = 1};
    assert_int_equal(s->ops->put_decision(s, &d, &err), 0);
    /* a reviewer's take-down through the workflow path */
    d.event_id = "e2";
    d.at = "2026-11-03T00:00:00Z";
    d.status = "removed";
    d.action = "block";
    d.score = 1;
    d.reasons = "[{\"code\":\"VERDICT_COUNTERFEIT\",\"weight\":1,\"detail\":\"confirmed\"}]";
    d.actor = "reviewer-1";
    assert_int_equal(s->ops->set_status(s, &d, &err), 0);
    assert_int_equal(s->ops->commit(s, &err), 0);

    char *l9 = listing_json(s, "L9");
    if (!strstr(l9, "\"status\":\"removed\",\"versions\":1,\"decision\":{\"action\":\"block\","
                    "\"score\":1,\"reasons\":[{\"code\":\"VERDICT_COUNTERFEIT\"") ||
        !strstr(l9, "\"at\":\"2026-11-03T00:00:00Z\"},\"history\":[{\"event\":\"e1\""))
        fail_msg("L9: %s", l9);
    free(l9);
    s->ops->close(s);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : 0;
}

static void test_wal_is_checkpointed_while_writing(void **state)
{
    gn_store *s;
    gn_error err = {0};
    if (gn_sqlite_open(&s, db_path, 0, &err)) fail_msg("open: %s", err.message);
    size_t len = 1 << 20;
    char *body = malloc(len + 1);
    assert_non_null(body);
    memset(body, 'x', len);
    body[len] = 0;
    char wal[80], id[32];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    long most = 0;
    /* 20 batches of eight 1 MB events (the store restarts its WAL past 64 MB) */
    for (int batch = 0; batch < 20; batch++) {
        assert_int_equal(s->ops->begin(s, &err), 0);
        for (int i = 0; i < 8; i++) {
            snprintf(id, sizeof id, "e%d", batch * 8 + i);
            body[0] = (char)('a' + i); /* pages that differ */
            gn_event_record ev = {id, "listing", "2026-11-01T00:00:00Z", body, len, NULL};
            int64_t seq;
            assert_int_equal(s->ops->append_event(s, &ev, &seq, &err), 0);
        }
        assert_int_equal(s->ops->commit(s, &err), 0);
        if (file_size(wal) > most) most = file_size(wal);
    }
    /* Without checkpoints the WAL would hold all 160 MB and the file none. */
    if (most > (100L << 20)) fail_msg("the WAL grew to %ld bytes", most);
    if (file_size(db_path) < (64L << 20))
        fail_msg("only %ld bytes reached the database file", file_size(db_path));
    free(body);
    s->ops->close(s);
}

/* Review claims in the store: the conditional write lets one of two
 * connections (two processes on the file) lease an item and refuses the
 * other while the lease runs; the lease lapses at its end, its holder
 * renews it, a release ends it and a skip keeps the item from its skipper. */
static void test_claims_held_in_the_store(void **state)
{
    gn_store *a, *b;
    gn_error err = {0};
    assert_int_equal(gn_store_open(&a, db_path, 0, &err), 0);
    assert_int_equal(gn_store_open(&b, db_path, 0, &err), 0);
    assert_int_equal(a->ops->claim(a, "listings", "L1", "R1", 0, 300, &err), 0);
    assert_int_equal(b->ops->claim(b, "listings", "L1", "R2", 1, 301, &err), GN_ENOTFOUND);
    assert_int_equal(b->ops->claim(b, "listings", "L1", "R1", 2, 302, &err), 0); /* renewed */
    char who[257];
    assert_int_equal(b->ops->claim_holder(b, "listings", "L1", 301, who, &err), 0);
    assert_string_equal(who, "R1");
    assert_int_equal(b->ops->claim_holder(b, "appeals", "L1", 301, who, &err), GN_ENOTFOUND);
    /* over at its end: another reviewer takes it */
    assert_int_equal(b->ops->claim(b, "listings", "L1", "R2", 302, 602, &err), 0);
    assert_int_equal(a->ops->release_claim(a, "listings", "L1", "R1", 303, 0, &err), GN_ENOTFOUND);
    assert_int_equal(a->ops->release_claim(a, "listings", "L1", "R2", 303, 2000, &err), 0);
    assert_int_equal(a->ops->claim_holder(a, "listings", "L1", 303, who, &err), GN_ENOTFOUND);
    /* R2 skipped L1: taken for R2 until 2000, free for R1 */
    int seen = 0;
    assert_int_equal(b->ops->claims_taken(b, "listings", "R2", 304, count_item, &seen, &err), 0);
    assert_int_equal(seen, 1);
    seen = 0;
    assert_int_equal(b->ops->claims_taken(b, "listings", "R1", 304, count_item, &seen, &err), 0);
    assert_int_equal(seen, 0);
    /* end_claims ends the reviewer's leases but the one kept, and forgets what is over */
    assert_int_equal(a->ops->claim(a, "listings", "L2", "R1", 305, 605, &err), 0);
    assert_int_equal(a->ops->claim(a, "listings", "L3", "R1", 305, 605, &err), 0);
    assert_int_equal(a->ops->end_claims(a, "listings", "R1", "L3", 306, &err), 0);
    assert_int_equal(a->ops->claim_holder(a, "listings", "L2", 306, who, &err), GN_ENOTFOUND);
    assert_int_equal(a->ops->claim_holder(a, "listings", "L3", 306, who, &err), 0);
    assert_int_equal(a->ops->end_claims(a, "listings", "R9", NULL, 2001, &err), 0);
    seen = 0;
    assert_int_equal(b->ops->claims_taken(b, "listings", "R2", 304, count_item, &seen, &err), 0);
    assert_int_equal(seen, 0); /* L3's lease and L1's skip, both over at 2001, are gone */
    gn_store_close(a);
    gn_store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_upgrade_keeps_latest_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_current_decision_is_the_newest, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wal_is_checkpointed_while_writing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_claims_held_in_the_store, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
