/* Snapshots (engine/snapshot.c): a string map and its pointers come back as
 * they were; a snapshot cut short or damaged anywhere is refused, never
 * half read; and an engine that joins from a snapshot decides the next
 * events, every byte of every decision, as one that replayed the log. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/engine.h"
#include "engine/snapshot.h"
#include "genuine.h"
#include "media/image.h"
#include "media/pdq.h"
#include "media/photos.h"

static void test_strmap_round_trip(void **state)
{
    gn_strmap m = {0};
    char key[32];
    for (uint32_t i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "listing-%u", i * 7919);
        *gn_strmap_put(&m, key, NULL, NULL) = i;
    }
    const char *pooled;
    gn_strmap_put(&m, "listing-7919", NULL, &pooled);
    gn_buf b = {0};
    gn_snap_strmap(&b, &m);
    gn_snap_ref(&b, &m, pooled);
    gn_snap_ref(&b, &m, "not a key of the map");
    gn_snap_ref(&b, &m, NULL);
    gn_snap_u32(&b, 0xfeedu);

    gn_snap_in in = {(const unsigned char *)b.data, b.len, 0};
    gn_strmap back = {0};
    gn_pool pool = {0};
    gn_snap_get_strmap(&in, &back);
    assert_int_equal(back.count, m.count);
    assert_int_equal(back.mask, m.mask);
    for (size_t i = 0; i <= m.mask; i++) {
        assert_int_equal(back.slots[i].key == NULL, m.slots[i].key == NULL);
        if (!m.slots[i].key) continue;
        assert_string_equal(back.slots[i].key, m.slots[i].key);
        assert_int_equal(back.slots[i].value, m.slots[i].value);
        assert_int_equal(back.slots[i].hash, m.slots[i].hash);
    }
    const char *ref = gn_snap_get_ref(&in, &back, &pool);
    uint32_t *v = gn_strmap_find(&back, "listing-7919");
    assert_non_null(v);
    assert_int_equal(*v, 1);
    /* the pointer is the loaded map's own key, as it was the saved map's */
    assert_ptr_equal(ref, ((gn_strmap_slot *)((char *)v - offsetof(gn_strmap_slot, value)))->key);
    assert_string_equal(gn_snap_get_ref(&in, &back, &pool), "not a key of the map");
    assert_null(gn_snap_get_ref(&in, &back, &pool));
    assert_int_equal(gn_snap_get_u32(&in), 0xfeedu);
    assert_int_equal(in.bad, 0);
    assert_int_equal(in.left, 0);
    /* nothing more to read: the reader is bad, and stays so */
    assert_int_equal(gn_snap_get_u32(&in), 0);
    assert_int_equal(in.bad, 1);
    gn_strmap_free(&back);
    gn_pool_free(&pool);

    /* every cut of it is refused */
    for (size_t cut = 0; cut + 1 < b.len; cut += 97) {
        gn_snap_in part = {(const unsigned char *)b.data, cut, 0};
        gn_strmap half = {0};
        gn_snap_get_strmap(&part, &half);
        gn_snap_get_ref(&part, &half, &pool);
        gn_snap_get_ref(&part, &half, &pool);
        gn_snap_get_ref(&part, &half, &pool);
        gn_snap_get_u32(&part);
        assert_int_equal(part.bad, 1);
        gn_strmap_free(&half);
    }
    gn_pool_free(&pool);
    gn_strmap_free(&m);
    gn_buf_free(&b);
}

/* A map claiming more slots or keys than its bytes can hold allocates
 * nothing for them. */
static void test_strmap_sizes_checked(void **state)
{
    gn_buf b = {0};
    gn_snap_u64(&b, (uint64_t)1 << 32); /* slots */
    gn_snap_u64(&b, 1);                 /* one key */
    gn_snap_u32(&b, 0);
    gn_snap_u32(&b, 0);
    gn_snap_str(&b, "k");
    gn_snap_in in = {(const unsigned char *)b.data, b.len, 0};
    gn_strmap m = {0};
    gn_snap_get_strmap(&in, &m);
    assert_int_equal(in.bad, 1);
    assert_null(m.slots);
    gn_buf_reset(&b);
    gn_snap_u64(&b, 64);
    gn_snap_u64(&b, 1000000); /* more keys than bytes */
    gn_snap_in in2 = {(const unsigned char *)b.data, b.len, 0};
    gn_snap_get_strmap(&in2, &m);
    assert_int_equal(in2.bad, 1);
    assert_null(m.slots);
    gn_buf_free(&b);
}

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-snapshot-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

/* The folder goes with everything the tests left in it. */
static int teardown(void **state)
{
    DIR *d = opendir(dir);
    if (!d) return 0;
    char path[512];
    for (struct dirent *f; (f = readdir(d));) {
        if (strcmp(f->d_name, ".") == 0 || strcmp(f->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", dir, f->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(dir);
    return 0;
}

static gn_engine *open_at(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    gn_engine *e;
    gn_error err = {0};
    gn_engine_options o = {.db_path = path};
    if (gn_engine_open(&e, &o, &err)) fail_msg("open %s: %s", name, err.message);
    return e;
}

static void copy_file(const char *from, const char *to)
{
    char a[128], b[128];
    snprintf(a, sizeof a, "%s/%s", dir, from);
    snprintf(b, sizeof b, "%s/%s", dir, to);
    FILE *in = fopen(a, "rb"), *out = fopen(b, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        assert_int_equal(fwrite(chunk, 1, n, out), n);
    fclose(in);
    assert_int_equal(fclose(out), 0);
}

/* The demo marketplace's events, one per line. */
static char **read_events(size_t *n)
{
    FILE *f = fopen("examples/marketplace.jsonl", "r");
    if (!f) fail_msg("examples/marketplace.jsonl: run from the repository root");
    char **lines = NULL, *line = NULL;
    size_t cap = 0, len = 0;
    *n = 0;
    ssize_t got;
    while ((got = getline(&line, &len, f)) > 0) {
        if (*n == cap) lines = realloc(lines, (cap = cap ? cap * 2 : 1024) * sizeof *lines);
        lines[(*n)++] = strndup(line, (size_t)got - (line[got - 1] == '\n'));
    }
    free(line);
    fclose(f);
    return lines;
}

static void test_join_decides_alike(void **state)
{
    size_t n;
    char **events = read_events(&n);
    assert_true(n > 1000);
    size_t cut = n * 2 / 3;
    gn_engine *e = open_at("w.db");
    gn_result res;
    gn_error err = {0};
    for (size_t i = 0; i < cut; i++)
        if (gn_ingest(e, events[i], strlen(events[i]), &res, &err)) fail_msg("%s", err.message);
    assert_int_equal(gn_commit(e, &err), 0);
    gn_snapshot_report r;
    if (gn_snapshot_write(e, &r, &err)) fail_msg("snapshot: %s", err.message);
    assert_true(r.seq > 0 && r.bytes > 0);
    gn_engine_close(e);
    copy_file("w.db", "replayed.db");

    gn_engine *fast = open_at("w.db");
    setenv("GENUINE_NO_SNAPSHOT", "1", 1);
    gn_engine *full = open_at("replayed.db");
    unsetenv("GENUINE_NO_SNAPSHOT");
    gn_snapshot_report jf, jr;
    gn_engine_join_report(fast, &jf);
    gn_engine_join_report(full, &jr);
    assert_int_equal(jf.seq, r.seq);
    assert_int_equal(jf.replayed, 0);
    assert_int_equal(jr.seq, 0);
    assert_int_equal(jr.replayed, r.seq);
    size_t decided = 0;
    for (size_t i = cut; i < n; i++) {
        gn_result a, b;
        if (gn_ingest(fast, events[i], strlen(events[i]), &a, &err)) fail_msg("%s", err.message);
        char *da = a.decision_json ? strdup(a.decision_json) : NULL;
        char *xa = a.alert_json ? strdup(a.alert_json) : NULL;
        gn_outcome oa = a.outcome;
        if (gn_ingest(full, events[i], strlen(events[i]), &b, &err)) fail_msg("%s", err.message);
        assert_int_equal(oa, b.outcome);
        if (da || b.decision_json) {
            if (!da || !b.decision_json || strcmp(da, b.decision_json) != 0)
                fail_msg("line %zu decided\n  %s\nfrom the snapshot, and\n  %s\nreplaying it all",
                         i + 1, da ? da : "(none)", b.decision_json ? b.decision_json : "(none)");
            decided++;
        }
        assert_true((xa == NULL) == (b.alert_json == NULL));
        if (xa) assert_string_equal(xa, b.alert_json);
        free(da);
        free(xa);
    }
    assert_true(decided > 100);
    gn_engine_close(fast);
    gn_engine_close(full);
    for (size_t i = 0; i < n; i++)
        free(events[i]);
    free(events);
}

/* An event with its photos resolved first, as genuine ingest does. */
static void ingest_photos(gn_engine *e, const char *json, gn_result *res)
{
    gn_photos photos;
    gn_error err = {0};
    char *resolved;
    size_t len;
    assert_int_equal(gn_photos_open(&photos, NULL, NULL, &err), 0);
    if (gn_photos_resolve(&photos, GN_PHOTOS_OPERATOR, NULL, json, strlen(json), &resolved, &len,
                          &err))
        fail_msg("photos: %s", err.message);
    gn_photos_close(&photos);
    if (gn_ingest(e, resolved ? resolved : json, resolved ? len : strlen(json), res, &err))
        fail_msg("%s", err.message);
    free(resolved);
}

#define PDQ_IMAGES "../shared/conformance/pdq/images/"

/* The photo bank's every index comes back: a brand's photo by path (its
 * turned forms, its patches at two scales) and a counterfeit listing's
 * (its patches, banked apart), each index as many hashes as replaying
 * gives, and a photo that only the turned forms can meet still met. */
static void test_join_keeps_photo_bank(void **state)
{
    gn_engine *e = open_at("bank.db");
    gn_result res;
    gn_error err = {0};
    ingest_photos(e,
                  "{\"type\":\"brand\",\"id\":\"b1\",\"at\":\"2026-01-01T00:00:00Z\",\"brand\":"
                  "\"vyadukt\",\"name\":\"Vyadukt\",\"official_images\":[{\"path\":\"" PDQ_IMAGES
                  "bridge-1-original.jpg\"}]}",
                  &res);
    ingest_photos(
        e,
        "{\"type\":\"listing\",\"id\":\"l1\",\"at\":\"2026-01-02T00:00:00Z\",\"listing\":"
        "\"L1\",\"seller\":\"s1\",\"title\":\"Gucci replica 1:1 AAA copy bag\",\"price\":20,"
        "\"currency\":\"USD\",\"images\":[{\"path\":\"" PDQ_IMAGES "q0746.jpg\"}]}",
        &res);
    assert_non_null(strstr(res.decision_json, "\"action\":\"block\""));
    assert_int_equal(gn_commit(e, &err), 0);
    gn_snapshot_report r;
    if (gn_snapshot_write(e, &r, &err)) fail_msg("snapshot: %s", err.message);
    gn_engine_close(e);
    copy_file("bank.db", "bank-replayed.db");
    gn_engine *fast = open_at("bank.db");
    setenv("GENUINE_NO_SNAPSHOT", "1", 1);
    gn_engine *full = open_at("bank-replayed.db");
    unsetenv("GENUINE_NO_SNAPSHOT");
    gn_snapshot_report jf;
    gn_engine_join_report(fast, &jf);
    assert_int_equal(jf.replayed, 0);
    const gn_image_bank *a = &fast->photos, *b = &full->photos;
    assert_true(gn_mih_count(b->turned) > 0 && gn_mih_count(b->patches) > 0 &&
                gn_mih_count(b->removed_patches) > 0);
    assert_int_equal(gn_mih_count(a->index), gn_mih_count(b->index));
    assert_int_equal(gn_mih_count(a->turned), gn_mih_count(b->turned));
    assert_int_equal(gn_mih_count(a->patches), gn_mih_count(b->patches));
    assert_int_equal(gn_mih_count(a->removed_patches), gn_mih_count(b->removed_patches));
    /* the brand's flipped photo as a bare hash: only its turned forms meet it */
    char event[512], hex[GN_PDQ_HEX_LEN + 1];
    gn_pdq_hash flipped;
    gn_image img;
    gn_pdq_hash forms[GN_PDQ_DIHEDRAL_COUNT];
    int quality;
    assert_int_equal(gn_image_load(PDQ_IMAGES "bridge-5-flipx.jpg", NULL, &img, &err), 0);
    assert_int_equal(gn_pdq_hash_image_dihedral(&img, forms, &quality, &err), 0);
    gn_image_free(&img);
    flipped = forms[GN_PDQ_ORIGINAL];
    gn_pdq_format(&flipped, hex);
    snprintf(event, sizeof event,
             "{\"type\":\"listing\",\"id\":\"l2\",\"at\":\"2026-01-03T00:00:00Z\",\"listing\":"
             "\"L2\",\"seller\":\"s2\",\"title\":\"Bridge poster\",\"price\":20,\"currency\":"
             "\"USD\",\"images\":[{\"pdq\":\"%s\"}]}",
             hex);
    if (gn_ingest(fast, event, strlen(event), &res, &err)) fail_msg("%s", err.message);
    assert_non_null(strstr(res.decision_json, "IMAGE_STOLEN_OFFICIAL"));
    gn_engine_close(fast);
    gn_engine_close(full);
}

/* A snapshot cut anywhere, or with a byte changed in its parts, is refused
 * by the loader itself (the checksum aside): the state is then emptied and
 * the log replayed. */
static void test_damage_refused(void **state)
{
    gn_engine *e = open_at("w.db"); /* from the snapshot of the test before */
    gn_buf b = {0};
    gn_error err = {0};
    assert_int_equal(gn_engine_snapshot_save(e, e->event_seq, &b, &err), 0);
    int64_t seq;
    assert_int_equal(gn_engine_snapshot_check(e, (unsigned char *)b.data, b.len, &seq, &err), 0);
    assert_int_equal(gn_engine_reset_state(e, &err), 0);
    assert_int_equal(gn_engine_snapshot_load(e, (unsigned char *)b.data, b.len, &err), 0);
    for (size_t cut = 0; cut < b.len; cut += b.len / 61 + 1) {
        assert_int_equal(gn_engine_reset_state(e, &err), 0);
        assert_int_not_equal(gn_engine_snapshot_load(e, (unsigned char *)b.data, cut, &err), 0);
    }
    /* the checksum catches a changed byte before anything is read */
    b.data[b.len / 2] ^= 0x40;
    assert_int_equal(gn_engine_snapshot_check(e, (unsigned char *)b.data, b.len, &seq, &err),
                     GN_EINPUT);
    assert_non_null(strstr(err.message, "checksum"));
    assert_int_equal(gn_engine_reset_state(e, &err), 0);
    gn_buf_free(&b);
    gn_engine_close(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strmap_round_trip),  cmocka_unit_test(test_strmap_sizes_checked),
        cmocka_unit_test(test_join_decides_alike), cmocka_unit_test(test_join_keeps_photo_bank),
        cmocka_unit_test(test_damage_refused),
    };
    return cmocka_run_group_tests_name("snapshot", tests, setup, teardown);
}
