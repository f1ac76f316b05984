/* The media layer's photos-to-hashes (src/media/photos.c), one line per
 * case: who sends which image, and what the `media` entry says. Paths on a
 * real folder with a photo, a link out, a link in, a FIFO and a sub-folder;
 * the per-listing cap, the byte budget, events left alone, and `media` sent
 * by a sender that may not. No network: no case here names a URL that is
 * fetched (one is refused by its scheme). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "media/photos.h"

#define PHOTO "../shared/conformance/pdq/images/bridge-1-original.jpg"

static char dir[64];

static void copy(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    assert_non_null(in);
    assert_non_null(out);
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-photos-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char p[128], q[128];
    snprintf(p, sizeof p, "%s/sub", dir);
    assert_int_equal(mkdir(p, 0700), 0);
    snprintf(p, sizeof p, "%s/sub/photo.jpg", dir);
    copy(PHOTO, p);
    snprintf(p, sizeof p, "%s/out.jpg", dir);
    assert_int_equal(symlink("/etc/passwd", p), 0);
    snprintf(q, sizeof q, "%s/sub/photo.jpg", dir);
    snprintf(p, sizeof p, "%s/in.jpg", dir);
    assert_int_equal(symlink(q, p), 0);
    snprintf(p, sizeof p, "%s/fifo.jpg", dir);
    assert_int_equal(mkfifo(p, 0600), 0);
    return 0;
}

static int teardown(void **state)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Resolves one listing with the given images; returns the new text (or NULL). */
static char *resolve(const gn_photos *p, gn_photo_sender who, const char *images, int *rc)
{
    char event[4096];
    snprintf(event, sizeof event,
             "{\"type\":\"listing\",\"id\":\"e\",\"at\":\"2026-11-22T10:00:00Z\",\"listing\":\"L\","
             "\"seller\":\"S\",\"title\":\"t\",\"price\":1,\"currency\":\"USD\",\"images\":%s}\n",
             images);
    char *out = NULL;
    size_t len = 0;
    gn_error err = {0};
    *rc = gn_photos_resolve(p, who, NULL, event, strlen(event), &out, &len, &err);
    if (out) {
        /* the event as sent, then `media` */
        size_t keep = strlen(event) - 2; /* without "}\n" */
        assert_memory_equal(out, event, keep);
        assert_int_equal(strlen(out), len);
        assert_true(strncmp(out + keep, ",\"media\":{\"images\":[", 20) == 0);
    }
    return out;
}

/* One case: the image object, who sends it, the words its entry must hold. */
static void expect(const gn_photos *p, gn_photo_sender who, const char *image, const char *want)
{
    char images[1024];
    snprintf(images, sizeof images, "[%s]", image);
    int rc;
    char *out = resolve(p, who, images, &rc);
    assert_int_equal(rc, 0);
    if (!out) fail_msg("%s: left unresolved", image);
    if (!strstr(out, want)) fail_msg("%s: expected '%s' in %s", image, want, out);
    free(out);
}

static void test_who_may_name_a_path(void **state)
{
    gn_photos none, confined;
    gn_error err;
    assert_int_equal(gn_photos_open(&none, NULL, NULL, &err), 0);
    assert_int_equal(gn_photos_open(&confined, NULL, dir, &err), 0);
    char abs[160], abs_out[160];
    snprintf(abs, sizeof abs, "{\"path\":\"%s/sub/photo.jpg\"}", dir);
    snprintf(abs_out, sizeof abs_out, "{\"path\":\"%s/../etc/passwd\"}", dir);
    const char *hashed = "{\"pdq\":[\"";
    const char *not_taken = "a local path is not taken from this key";

    /* a seller, shopper, ...: never, whatever exists */
    expect(&confined, GN_PHOTOS_OTHER, "{\"path\":\"sub/photo.jpg\"}", not_taken);
    expect(&confined, GN_PHOTOS_OTHER, "{\"path\":\"/etc/shadow\"}", not_taken);
    expect(&none, GN_PHOTOS_OTHER, "{\"path\":\"fifo.jpg\"}", not_taken);
    /* the platform: only under --image-dir */
    expect(&none, GN_PHOTOS_PLATFORM, "{\"path\":\"/etc/passwd\"}", "--image-dir");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"sub/photo.jpg\"}", hashed);
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"./sub//photo.jpg\"}", hashed);
    expect(&confined, GN_PHOTOS_PLATFORM, abs, hashed);
    expect(&confined, GN_PHOTOS_PLATFORM, abs_out, "may not lead out");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"/etc/passwd\"}", "not under the image");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"sub/../../x\"}", "may not lead out");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"out.jpg\"}", "symbolic link");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"in.jpg\"}", "symbolic link");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"fifo.jpg\"}", "not a regular file");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"sub\"}", "not a regular file");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"in.jpg/x\"}", "symbolic link");
    expect(&confined, GN_PHOTOS_PLATFORM, "{\"path\":\"missing.jpg\"}", "no such file");
    /* the operator: any regular file, never a FIFO; or confined like the platform */
    expect(&none, GN_PHOTOS_OPERATOR, "{\"path\":\"" PHOTO "\"}", hashed);
    char fifo[160];
    snprintf(fifo, sizeof fifo, "{\"path\":\"%s/fifo.jpg\"}", dir);
    expect(&none, GN_PHOTOS_OPERATOR, fifo, "not a regular file");
    expect(&confined, GN_PHOTOS_OPERATOR, "{\"path\":\"" PHOTO "\"}", "may not lead out");
    expect(&confined, GN_PHOTOS_OPERATOR, "{\"path\":\"/etc/passwd\"}", "not under the image");
    /* a pdq given is left to the engine; a URL of another scheme is not fetched */
    expect(&none, GN_PHOTOS_OTHER,
           "{\"pdq\":\"0000000000000000000000000000000000000000000000000000000000000000\"},"
           "{\"url\":\"file:///etc/passwd\"}",
           "[null,{\"error\":\"image file:///etc/passwd: only http and https");
    gn_photos_close(&none);
    gn_photos_close(&confined);
}

static void test_limits(void **state)
{
    gn_photo_options o = {.max_per_event = 3, .budget_bytes = 1000};
    gn_photos p;
    gn_error err;
    assert_int_equal(gn_photos_open(&p, &o, NULL, &err), 0);
    char images[2048] = "[";
    for (int i = 0; i < 5; i++)
        strcat(images, i ? ",{\"path\":\"" PHOTO "\"}" : "{\"path\":\"" PHOTO "\"}");
    strcat(images, "]");
    int rc;
    char *out = resolve(&p, GN_PHOTOS_OPERATOR, images, &rc);
    assert_non_null(out);
    /* 3 tried (and the 357 KB photo is over the 1,000 bytes), 2 past the cap */
    int spent = 0, capped = 0;
    for (const char *s = out; (s = strstr(s, "bytes for photos are spent")); s++)
        spent++;
    for (const char *s = out; (s = strstr(s, "not tried")); s++)
        capped++;
    assert_int_equal(spent, 3);
    assert_int_equal(capped, 2);
    free(out);
    gn_photos_close(&p);
}

static void test_left_alone_or_refused(void **state)
{
    gn_photos p;
    gn_error err;
    assert_int_equal(gn_photos_open(&p, NULL, NULL, &err), 0);
    int rc;
    /* only pdq photos: nothing to do */
    char *out = resolve(
        &p, GN_PHOTOS_OTHER,
        "[{\"pdq\":\"0000000000000000000000000000000000000000000000000000000000000000\"}]", &rc);
    assert_int_equal(rc, 0);
    assert_null(out);
    const char *texts[] = {
        "not json {\"url\":\"x\"}",
        "{\"type\":\"report\",\"id\":\"r\",\"url\":\"http://x\"}",
        "[{\"type\":\"listing\",\"images\":[{\"path\":\"/etc/passwd\"}]}]",
        "{\"type\":\"listing\",\"images\":{\"path\":\"/etc/passwd\"}}",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        size_t len;
        assert_int_equal(gn_photos_resolve(&p, GN_PHOTOS_OTHER, NULL, texts[i], strlen(texts[i]),
                                           &out, &len, &err),
                         0);
        if (out) fail_msg("%s: should be left alone, got %s", texts[i], out);
    }
    /* `media` sent by a seller: refused; by the platform: taken as it is */
    const char *forged = "{\"type\":\"listing\",\"images\":[{\"url\":\"http://x/a.jpg\"}],"
                         "\"media\":{\"images\":[{\"pdq\":[\"00\"]}]}}";
    size_t len;
    assert_int_equal(
        gn_photos_resolve(&p, GN_PHOTOS_OTHER, NULL, forged, strlen(forged), &out, &len, &err),
        GN_EINPUT);
    assert_non_null(strstr(err.message, "field 'media'"));
    assert_int_equal(
        gn_photos_resolve(&p, GN_PHOTOS_PLATFORM, NULL, forged, strlen(forged), &out, &len, &err),
        0);
    assert_null(out);
    gn_photos_close(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_who_may_name_a_path),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_left_alone_or_refused),
    };
    return cmocka_run_group_tests_name("photos", tests, setup, teardown);
}
