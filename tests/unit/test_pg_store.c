/* The PostgreSQL store on a real PostgreSQL (tests/pg/start.sh, a free
 * loopback port, stopped at the end), two connections standing for two
 * nodes: the log numbers events without a gap in commit order and a node
 * follows what the other wrote; a batch longer than the pipeline's depth
 * lands whole; a rolled-back batch gives its positions back; an event id
 * taken by one node cannot be logged again by another that did not follow;
 * a lease taken over fences its old holder's commit; a connection the
 * server dropped is opened again, for a read at once, and a commit lost
 * with it fails (its events are not in the log, and may be sent again); a
 * log shorter than a node has seen is refused; two nodes racing to claim
 * the same review items never both win one, and a lapsed claim is taken. */
#include "testutil.h"

#include <libpq-fe.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/error.h"
#include "store/store.h"

static char url[256], dir[64];
static int db_counter;

/* Each test gets a database of its own on the one server. */
static char db_url[300];

static int start_server(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-pg-XXXXXX");
    if (!mkdtemp(dir)) return -1;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "bash tests/pg/start.sh %s/pg", dir);
    FILE *p = popen(cmd, "r");
    if (!p) return -1;
    if (!fgets(url, sizeof url, p)) url[0] = 0;
    int rc = pclose(p);
    url[strcspn(url, "\n")] = 0;
    if (rc != 0 || strncmp(url, "postgres://", 11) != 0) {
        fprintf(stderr, "test_pg_store: PostgreSQL did not start (bash scripts/install-deps.sh)\n");
        return -1;
    }
    return 0;
}

static int stop_server(void **state)
{
    char cmd[160];
    snprintf(cmd, sizeof cmd, "bash tests/pg/stop.sh %s/pg && rm -rf %s", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void sql(const char *target, const char *text)
{
    PGconn *c = PQconnectdb(target);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *r = PQexec(c, text);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) fprintf(stderr, "%s", PQerrorMessage(c));
    assert_true(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK);
    PQclear(r);
    PQfinish(c);
}

static int new_database(void **state)
{
    char create[64];
    snprintf(create, sizeof create, "CREATE DATABASE t%d", ++db_counter);
    sql(url, create);
    snprintf(db_url, sizeof db_url, "%.*s/t%d", (int)(strrchr(url, '/') - url), url, db_counter);
    return 0;
}

static void open_node(gn_store **s)
{
    gn_error err = {0};
    if (gn_store_open(s, db_url, 0, &err)) fprintf(stderr, "%s\n", err.message);
    assert_non_null(*s);
}

static int append(gn_store *s, const char *id, int64_t *seq, gn_error *err)
{
    char body[128];
    snprintf(body, sizeof body,
             "{\"type\":\"seller\",\"id\":\"%s\",\"at\":\"2026-01-01T00:00:00Z\","
             "\"seller\":\"s\",\"name\":\"S\"}",
             id);
    gn_event_record ev = {id, "seller", "2026-01-01T00:00:00Z", body, strlen(body), NULL};
    return s->ops->append_event(s, &ev, seq, err);
}

typedef struct {
    int64_t seqs[4096];
    char ids[4096][16];
    int n;
} followed;

static int on_event(void *ctx, int64_t seq, const char *body, size_t len, const gn_sender *from)
{
    followed *f = ctx;
    assert_true(f->n < 4096);
    f->seqs[f->n] = seq;
    const char *id = strstr(body, "\"id\":\"");
    assert_non_null(id);
    snprintf(f->ids[f->n], sizeof f->ids[0], "%.*s", (int)strcspn(id + 6, "\""), id + 6);
    f->n++;
    return 0;
}

static int count_item(void *ctx, const char *item)
{
    ++*(int *)ctx;
    return 0;
}

static void test_log_in_commit_order_followed(void **state)
{
    gn_store *a, *b;
    open_node(&a);
    open_node(&b);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "a1", &seq, &err), 0);
    assert_int_equal(seq, 1);
    assert_int_equal(append(a, "a2", &seq, &err), 0);
    assert_int_equal(seq, 2);
    assert_int_equal(a->ops->commit(a, &err), 0);
    /* B, under the log's lock, first sees what A wrote, then goes after it */
    followed *f = calloc(1, sizeof *f);
    assert_int_equal(b->ops->begin(b, &err), 0);
    assert_int_equal(b->ops->follow(b, on_event, f, &err), 0);
    assert_int_equal(f->n, 2);
    assert_int_equal(f->seqs[0], 1);
    assert_string_equal(f->ids[1], "a2");
    assert_int_equal(append(b, "b1", &seq, &err), 0);
    assert_int_equal(seq, 3);
    assert_int_equal(b->ops->commit(b, &err), 0);
    /* and A, following, sees only B's */
    f->n = 0;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(a->ops->follow(a, on_event, f, &err), 0);
    assert_int_equal(f->n, 1);
    assert_int_equal(f->seqs[0], 3);
    assert_int_equal(a->ops->commit(a, &err), 0);
    free(f);
    gn_store_close(a);
    gn_store_close(b);
}

/* More writes than the pipeline keeps unanswered: all of them land, in order. */
static void test_long_batch_lands_whole(void **state)
{
    gn_store *a, *b;
    open_node(&a);
    open_node(&b);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    char id[16];
    for (int i = 0; i < 3000; i++) {
        snprintf(id, sizeof id, "e%d", i);
        assert_int_equal(append(a, id, &seq, &err), 0);
        assert_int_equal(seq, i + 1);
    }
    assert_int_equal(a->ops->commit(a, &err), 0);
    followed *f = calloc(1, sizeof *f);
    assert_int_equal(b->ops->replay(b, on_event, f, &err), 0);
    assert_int_equal(f->n, 3000);
    assert_int_equal(f->seqs[2999], 3000);
    assert_string_equal(f->ids[2999], "e2999");
    free(f);
    gn_store_close(a);
    gn_store_close(b);
}

static void test_rollback_gives_positions_back(void **state)
{
    gn_store *a;
    open_node(&a);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "x1", &seq, &err), 0);
    assert_int_equal(seq, 1);
    a->ops->rollback(a);
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "x2", &seq, &err), 0);
    assert_int_equal(seq, 1);
    assert_int_equal(a->ops->commit(a, &err), 0);
    gn_store_close(a);
}

/* A node that did not follow the log cannot apply an id again: the unique
 * index refuses its batch, whole. */
static void test_id_taken_once_across_nodes(void **state)
{
    gn_store *a, *b;
    open_node(&a);
    open_node(&b);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "same", &seq, &err), 0);
    assert_int_equal(a->ops->commit(a, &err), 0);
    assert_int_equal(b->ops->begin(b, &err), 0);
    assert_int_equal(append(b, "other", &seq, &err), 0);
    assert_int_equal(append(b, "same", &seq, &err), 0);
    assert_int_equal(b->ops->commit(b, &err), GN_ESTORE);
    assert_non_null(strstr(err.message, "events_once"));
    b->ops->rollback(b);
    followed *f = calloc(1, sizeof *f);
    assert_int_equal(b->ops->replay(b, on_event, f, &err), 0);
    assert_int_equal(f->n, 1); /* "other" went with it */
    free(f);
    gn_store_close(a);
    gn_store_close(b);
}

/* A holder whose lease expired and was taken over commits nothing. */
static void test_lease_fences_old_holder(void **state)
{
    gn_store *a, *b;
    open_node(&a);
    open_node(&b);
    gn_error err = {0};
    int64_t epoch_a, epoch_b, seq;
    assert_int_equal(a->ops->lease(a, "train", "node-a", 60000, &epoch_a, &err), 0);
    assert_int_equal(epoch_a, 1);
    assert_int_equal(a->ops->lease(a, "train", "node-a", 60000, &epoch_a, &err), 0);
    assert_int_equal(epoch_a, 1); /* renewed, the same epoch */
    assert_int_equal(b->ops->lease(b, "train", "node-b", 60000, &epoch_b, &err), GN_ENOTFOUND);
    sql(db_url, "UPDATE leases SET expires = now() - interval '1 second'");
    assert_int_equal(b->ops->lease(b, "train", "node-b", 60000, &epoch_b, &err), 0);
    assert_int_equal(epoch_b, 2);
    /* A wakes and writes under its old epoch */
    a->ops->fence(a, "train", "node-a", epoch_a);
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "late", &seq, &err), 0);
    assert_int_equal(a->ops->commit(a, &err), GN_ESTORE);
    assert_non_null(strstr(err.message, "taken over by another node"));
    a->ops->rollback(a);
    a->ops->fence(a, NULL, NULL, 0);
    /* B's fenced batch commits */
    b->ops->fence(b, "train", "node-b", epoch_b);
    assert_int_equal(b->ops->begin(b, &err), 0);
    assert_int_equal(append(b, "on-time", &seq, &err), 0);
    assert_int_equal(b->ops->commit(b, &err), 0);
    followed *f = calloc(1, sizeof *f);
    assert_int_equal(a->ops->replay(a, on_event, f, &err), 0);
    assert_int_equal(f->n, 1);
    assert_string_equal(f->ids[0], "on-time");
    free(f);
    gn_store_close(a);
    gn_store_close(b);
}

/* The server drops the connection (a restart, a failover behind the same
 * address): the next transaction opens it again and goes on. */
static void test_lost_connection_opened_again(void **state)
{
    gn_store *a;
    open_node(&a);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "before", &seq, &err), 0);
    assert_int_equal(a->ops->commit(a, &err), 0);
    sql(db_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid != pg_backend_pid()");
    if (a->ops->begin(a, &err)) fprintf(stderr, "%s\n", err.message);
    assert_int_equal(append(a, "after", &seq, &err), 0);
    assert_int_equal(seq, 2);
    assert_int_equal(a->ops->commit(a, &err), 0);
    gn_store_close(a);
}

static void drop_connections(void)
{
    sql(db_url, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid != pg_backend_pid()");
}

/* The connection is lost before COMMIT's answer (the primary died): the
 * commit fails, so nothing of the batch is acknowledged, and the same event
 * sent again is logged once. */
static void test_commit_lost_is_not_acknowledged(void **state)
{
    gn_store *a;
    open_node(&a);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "in-doubt", &seq, &err), 0);
    drop_connections();
    assert_int_equal(a->ops->commit(a, &err), GN_ESTORE);
    a->ops->rollback(a);
    followed *f = calloc(1, sizeof *f);
    assert_int_equal(a->ops->replay(a, on_event, f, &err), 0);
    assert_int_equal(f->n, 0);
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "in-doubt", &seq, &err), 0);
    assert_int_equal(seq, 1);
    assert_int_equal(a->ops->commit(a, &err), 0);
    assert_int_equal(a->ops->replay(a, on_event, f, &err), 0);
    assert_int_equal(f->n, 1);
    free(f);
    gn_store_close(a);
}

/* A read outside a transaction that finds its connection lost runs again
 * on a new one: the caller sees no failure. */
static void test_read_reopens_lost_connection(void **state)
{
    gn_store *a;
    open_node(&a);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "one", &seq, &err), 0);
    assert_int_equal(a->ops->commit(a, &err), 0);
    assert_int_equal(a->ops->begin(a, &err), 0); /* the connection is known to be good */
    a->ops->rollback(a);
    drop_connections();
    followed *f = calloc(1, sizeof *f);
    if (a->ops->replay(a, on_event, f, &err)) fprintf(stderr, "%s\n", err.message);
    assert_int_equal(f->n, 1);
    free(f);
    gn_store_close(a);
}

/* A database whose log is shorter than what a node has seen lost commits
 * (a standby promoted that was not synchronous): the node refuses to
 * decide on it. */
static void test_log_shorter_than_seen_refused(void **state)
{
    gn_store *a;
    open_node(&a);
    gn_error err = {0};
    int64_t seq;
    assert_int_equal(a->ops->begin(a, &err), 0);
    assert_int_equal(append(a, "one", &seq, &err), 0);
    assert_int_equal(append(a, "two", &seq, &err), 0);
    assert_int_equal(a->ops->commit(a, &err), 0);
    sql(db_url, "DELETE FROM events WHERE seq = 2");
    assert_int_equal(a->ops->begin(a, &err), GN_ESTORE);
    assert_non_null(strstr(err.message, "the log ends at 1 but this node has seen 2"));
    gn_store_close(a);
}

static void test_read_only_and_not_a_store(void **state)
{
    gn_store *s = NULL;
    gn_error err = {0};
    assert_int_equal(gn_store_open(&s, db_url, 1, &err), GN_ESTORE);
    assert_non_null(strstr(err.message, "not a genuine store"));
    open_node(&s);
    gn_store_close(s);
    assert_int_equal(gn_store_open(&s, db_url, 1, &err), 0);
    assert_int_equal(s->ops->begin(s, &err), GN_ESTORE);
    gn_store_close(s);
    /* a password never reaches a message */
    char with_password[400];
    snprintf(with_password, sizeof with_password, "postgres://nobody:s3cret@127.0.0.1:1/x");
    assert_int_equal(gn_store_open(&s, with_password, 1, &err), GN_ESTORE);
    assert_null(strstr(err.message, "s3cret"));
    assert_non_null(strstr(err.message, "nobody:***@127.0.0.1"));
}

/* Two nodes claim the same 200 items at once, each for its own reviewer. */
#define RACE_ITEMS 200
typedef struct {
    gn_store *s;
    const char *reviewer;
    int won[RACE_ITEMS], failed;
} racer;

static void *race(void *arg)
{
    racer *r = arg;
    gn_error err = {0};
    for (int i = 0; i < RACE_ITEMS; i++) {
        char item[16];
        snprintf(item, sizeof item, "L%d", i);
        int rc = r->s->ops->claim(r->s, "listings", item, r->reviewer, 1000, 1300, &err);
        if (rc == 0)
            r->won[i] = 1;
        else if (rc != GN_ENOTFOUND)
            r->failed++;
    }
    return NULL;
}

static void test_claims_across_nodes(void **state)
{
    gn_store *a, *b;
    open_node(&a);
    open_node(&b);
    racer ra = {.s = a, .reviewer = "R1"}, rb = {.s = b, .reviewer = "R2"};
    pthread_t ta, tb;
    assert_int_equal(pthread_create(&ta, NULL, race, &ra), 0);
    assert_int_equal(pthread_create(&tb, NULL, race, &rb), 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    assert_int_equal(ra.failed + rb.failed, 0);
    for (int i = 0; i < RACE_ITEMS; i++)
        assert_int_equal(ra.won[i] + rb.won[i], 1); /* each item leased once */
    gn_error err = {0};
    char who[257];
    assert_int_equal(b->ops->claim_holder(b, "listings", "L0", 1001, who, &err), 0);
    assert_string_equal(who, ra.won[0] ? "R1" : "R2");
    /* what one node leased, the other sees as taken, until it lapses */
    int seen = 0;
    assert_int_equal(b->ops->claims_taken(b, "listings", "R3", 1001, count_item, &seen, &err), 0);
    assert_int_equal(seen, RACE_ITEMS);
    assert_int_equal(b->ops->claim(b, "listings", "L0", "R3", 1001, 1301, &err), GN_ENOTFOUND);
    assert_int_equal(b->ops->claim(b, "listings", "L0", "R3", 1300, 1600, &err), 0);
    /* a release with a skip, read back by the other node */
    assert_int_equal(a->ops->release_claim(a, "listings", "L0", "R1", 1301, 0, &err), GN_ENOTFOUND);
    assert_int_equal(a->ops->release_claim(a, "listings", "L0", "R3", 1301, 3000, &err), 0);
    assert_int_equal(b->ops->claim_holder(b, "listings", "L0", 1302, who, &err), GN_ENOTFOUND);
    seen = 0;
    assert_int_equal(b->ops->claims_taken(b, "listings", "R3", 1302, count_item, &seen, &err), 0);
    assert_int_equal(seen, 1); /* the skip; every race lease lapsed at 1300 */
    /* end_claims keeps one and forgets what is over */
    assert_int_equal(a->ops->claim(a, "listings", "L1", "R3", 1400, 1700, &err), 0);
    assert_int_equal(a->ops->claim(a, "listings", "L2", "R3", 1400, 1700, &err), 0);
    assert_int_equal(b->ops->end_claims(b, "listings", "R3", "L2", 1401, &err), 0);
    assert_int_equal(a->ops->claim_holder(a, "listings", "L1", 1402, who, &err), GN_ENOTFOUND);
    assert_int_equal(a->ops->claim_holder(a, "listings", "L2", 1402, who, &err), 0);
    /* the rows over at 1401 are gone */
    PGconn *c = PQconnectdb(db_url);
    PGresult *r =
        PQexec(c, "SELECT (SELECT count(*) FROM claims), (SELECT count(*) FROM claim_skips)");
    assert_string_equal(PQgetvalue(r, 0, 0), "1");
    assert_string_equal(PQgetvalue(r, 0, 1), "1");
    PQclear(r);
    PQfinish(c);
    gn_store_close(a);
    gn_store_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_log_in_commit_order_followed, new_database),
        cmocka_unit_test_setup(test_long_batch_lands_whole, new_database),
        cmocka_unit_test_setup(test_rollback_gives_positions_back, new_database),
        cmocka_unit_test_setup(test_id_taken_once_across_nodes, new_database),
        cmocka_unit_test_setup(test_lease_fences_old_holder, new_database),
        cmocka_unit_test_setup(test_lost_connection_opened_again, new_database),
        cmocka_unit_test_setup(test_commit_lost_is_not_acknowledged, new_database),
        cmocka_unit_test_setup(test_read_reopens_lost_connection, new_database),
        cmocka_unit_test_setup(test_log_shorter_than_seen_refused, new_database),
        cmocka_unit_test_setup(test_read_only_and_not_a_store, new_database),
        cmocka_unit_test_setup(test_claims_across_nodes, new_database),
    };
    return cmocka_run_group_tests(tests, start_server, stop_server);
}
