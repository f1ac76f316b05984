/* Photos to hashes outside the engine (photos.h). An event's photos are
 * tried in parallel, at most max_per_event of them, each fetch or read
 * taking its bytes from the request's budget as they come and its time from
 * what is left of the request's, so that neither many photos nor slow
 * servers nor big files stretch a request past its budget.
 * A `path` is opened component by component below the image directory
 * (openat, O_NOFOLLOW: no symbolic link, no "..") and never blocks: a FIFO
 * or a device opens at once (O_NONBLOCK) and is refused as not a file. */
#include "media/photos.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "media/image.h"
#include "media/pdq.h"
#include "media/regions.h"

#define MAX_PARALLEL 16

void gn_photo_options_from_config(const gn_config *cfg, gn_photo_options *o)
{
    memset(o, 0, sizeof *o);
    o->max_per_event = (int)gn_config_get(cfg, "images.max_per_listing");
    o->budget_ms = (long)gn_config_get(cfg, "images.request_budget_ms");
    o->budget_bytes = (size_t)gn_config_get(cfg, "images.request_budget_bytes");
    o->parallel = (int)gn_config_get(cfg, "images.parallel_fetches");
    o->fetch.max_bytes = (size_t)gn_config_get(cfg, "images.fetch_max_bytes");
    o->fetch.timeout_ms = (long)gn_config_get(cfg, "images.fetch_timeout_ms");
    o->fetch.allow_private = gn_config_get(cfg, "images.fetch_allow_private") != 0;
}

int gn_photos_open(gn_photos *p, const gn_photo_options *options, const char *image_dir,
                   gn_error *err)
{
    memset(p, 0, sizeof *p);
    p->dir_fd = -1;
    if (options) p->options = *options;
    gn_photo_options *o = &p->options;
    if (o->max_per_event <= 0) o->max_per_event = 16;
    if (o->budget_ms <= 0) o->budget_ms = 10000;
    if (o->budget_bytes == 0) o->budget_bytes = 50000000;
    if (o->parallel <= 0) o->parallel = 4;
    if (o->parallel > MAX_PARALLEL) o->parallel = MAX_PARALLEL;
    if (!image_dir) return 0;
    p->dir_fd = open(image_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (p->dir_fd < 0)
        return gn_fail(err, GN_EINPUT, "--image-dir %s: cannot open it as a directory (%s)",
                       image_dir, strerror(errno));
    p->dir = realpath(image_dir, NULL);
    if (!p->dir) {
        close(p->dir_fd);
        p->dir_fd = -1;
        return gn_fail(err, GN_EINPUT, "--image-dir %s: %s", image_dir, strerror(errno));
    }
    return 0;
}

void gn_photos_close(gn_photos *p)
{
    if (p->dir_fd >= 0) close(p->dir_fd);
    free(p->dir);
    p->dir_fd = -1;
    p->dir = NULL;
}

void gn_photo_budget_start(gn_photo_budget *b, const gn_photos *p, int per_request)
{
    b->deadline = gn_monotonic_seconds() + (double)p->options.budget_ms / 1000.0;
    atomic_init(&b->bytes_left, p->options.budget_bytes);
    b->per_request = per_request;
}

/* ---- one photo ---- */

typedef struct photo {
    const char *url, *path; /* in the parsed event */
    int tried;              /* 0: a pdq was given (or nothing to try) */
    gn_pdq_hash forms[GN_PDQ_DIHEDRAL_COUNT];
    int quality;        /* PDQ's quality of the whole picture, 0-100 */
    int official;       /* a brand's photo: no parts (a listing's has regions and parts) */
    gn_pdq_robust more; /* without its border; regions or parts */
    gn_error why;       /* why.code != 0: the photo could not be had */
} photo;

typedef struct job {
    const gn_photos *p;
    gn_photo_sender who;
    gn_photo_budget *budget;
    pthread_mutex_t lock; /* guards next */
    photo *photos;
    size_t n, next;
} job;

/* Opens `path` below the image directory, one component at a time with
 * O_NOFOLLOW, so that neither a symbolic link nor ".." leads out of it. An
 * absolute path is taken when it lies under the directory's canonical path. */
static int open_under_dir(const gn_photos *p, const char *path, int *fd_out, gn_error *why)
{
    const char *rel = path;
    if (path[0] == '/') {
        size_t n = strlen(p->dir);
        if (strncmp(path, p->dir, n) != 0 || (path[n] != '/' && !(n == 1 && p->dir[0] == '/')))
            return gn_fail(why, GN_EINPUT, "image %.200s: not under the image directory", path);
        rel = path + n;
    }
    char part[256];
    int dir = p->dir_fd, fd = -1;
    for (const char *s = rel;;) {
        while (*s == '/')
            s++;
        const char *e = strchr(s, '/');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        if (n == 0) break;
        if (n >= sizeof part) {
            if (dir != p->dir_fd) close(dir);
            return gn_fail(why, GN_EINPUT, "image %.200s: a path component is too long", path);
        }
        memcpy(part, s, n);
        part[n] = 0;
        s += n;
        if (strcmp(part, ".") == 0) continue;
        if (strcmp(part, "..") == 0) {
            if (dir != p->dir_fd) close(dir);
            return gn_fail(why, GN_EINPUT,
                           "image %.200s: '..' may not lead out of the image directory", path);
        }
        int last = *s == 0 || strspn(s, "/") == strlen(s);
        struct stat st;
        /* Looked at before it is opened: a device is never opened at all. */
        if (fstatat(dir, part, &st, AT_SYMLINK_NOFOLLOW) != 0) {
            int e2 = errno;
            if (dir != p->dir_fd) close(dir);
            return gn_fail(why, GN_EINPUT, "image %.200s: %s", path,
                           e2 == ENOENT ? "no such file under the image directory" : strerror(e2));
        }
        const char *refusal = S_ISLNK(st.st_mode)             ? "a symbolic link; refused"
                              : last && !S_ISREG(st.st_mode)  ? "not a regular file; refused"
                              : !last && !S_ISDIR(st.st_mode) ? "not a directory on the way"
                                                              : NULL;
        if (refusal) {
            if (dir != p->dir_fd) close(dir);
            return gn_fail(why, GN_EINPUT, "image %.200s: %s", path, refusal);
        }
        int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY;
        int next = openat(dir, part, last ? flags : flags | O_DIRECTORY);
        int e2 = errno;
        if (dir != p->dir_fd) close(dir);
        if (next < 0) return gn_fail(why, GN_EINPUT, "image %.200s: %s", path, strerror(e2));
        if (last) {
            fd = next;
            break;
        }
        dir = next;
    }
    if (fd < 0) {
        if (dir != p->dir_fd) close(dir);
        return gn_fail(why, GN_EINPUT, "image %.200s: names no file", path);
    }
    *fd_out = fd;
    return 0;
}

/* Opens a `path` as the sender may: nothing for a non-platform key (and the
 * answer the same whatever exists), the image directory for the platform. */
static int open_path(const gn_photos *p, gn_photo_sender who, const char *path, int *fd,
                     gn_error *why)
{
    if (who == GN_PHOTOS_OTHER)
        return gn_fail(why, GN_EINPUT,
                       "image %.200s: a local path is not taken from this key; give a url or a pdq",
                       path);
    if (p->dir_fd >= 0) return open_under_dir(p, path, fd, why);
    if (who == GN_PHOTOS_PLATFORM)
        return gn_fail(why, GN_EINPUT,
                       "image %.200s: local paths are read only when the server runs with "
                       "--image-dir",
                       path);
    /* The operator's own command line: any regular file it can read. */
    *fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (*fd < 0) return gn_fail(why, GN_EINPUT, "%s: cannot open (%s)", path, strerror(errno));
    return 0;
}

/* Reads the file of a `path` photo, its size taken from the request's bytes. */
static int read_path(job *j, photo *ph, uint8_t **data, size_t *len)
{
    int fd = -1;
    size_t cap = 0;
    int rc = open_path(j->p, j->who, ph->path, &fd, &ph->why);
    if (rc) return rc;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
        (uint64_t)st.st_size <= GN_IMAGE_MAX_FILE_BYTES &&
        !gn_fetch_take(&j->budget->bytes_left, (size_t)st.st_size))
        rc = gn_fail(&ph->why, GN_EINPUT,
                     "image %.200s: not read: this request's bytes for photos are spent", ph->path);
    if (rc == 0) rc = gn_image_read_fd(fd, ph->path, 0, data, &cap, len, &ph->why);
    close(fd);
    return rc;
}

static void resolve_one(job *j, photo *ph)
{
    const char *label = ph->path ? ph->path : ph->url;
    double left = j->budget->deadline - gn_monotonic_seconds();
    long ms = left > 0 ? (long)(left * 1000.0) : 0;
    if (ms < 1) {
        gn_fail(&ph->why, GN_EINPUT,
                "image %.200s: not fetched: this request's time for photos is spent", label);
        return;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    int rc;
    if (ph->path) {
        rc = read_path(j, ph, &data, &len);
    } else {
        gn_fetch_options o = j->p->options.fetch;
        if (!o.timeout_ms || o.timeout_ms > ms) o.timeout_ms = ms;
        o.shared_bytes = &j->budget->bytes_left;
        rc = gn_fetch(ph->url, &o, &data, &len, &ph->why);
    }
    gn_image picture = {0};
    if (rc == 0) rc = gn_image_decode(data, len, label, NULL, &picture, &ph->why);
    free(data);
    if (rc == 0) rc = gn_pdq_hash_image_dihedral(&picture, ph->forms, &ph->quality, &ph->why);
    if (rc == 0) rc = gn_pdq_hash_robust(&picture, 1, !ph->official, &ph->more, &ph->why);
    gn_image_free(&picture);
    if (rc == 0) ph->why.code = 0;
}

static void *worker(void *arg)
{
    job *j = arg;
    for (;;) {
        pthread_mutex_lock(&j->lock);
        size_t i = j->next < j->n ? j->next++ : j->n;
        pthread_mutex_unlock(&j->lock);
        if (i == j->n) return NULL;
        photo *ph = &j->photos[i];
        if (ph->tried && !ph->why.code) resolve_one(j, ph); /* not over the cap */
    }
}

/* ---- one event ---- */

/* Could the text name a photo by url or path? Keys are either written out or
 * escaped (\u); texts with neither are most events, and are not parsed. */
static int may_have_sources(const char *t, size_t n)
{
    return memmem(t, n, "\"url\"", 5) || memmem(t, n, "\"path\"", 6) || memmem(t, n, "\\u", 2) ||
           memmem(t, n, "\"media\"", 7);
}

static void put_result(gn_buf *b, const photo *ph)
{
    if (!ph->tried) {
        gn_buf_puts(b, "null");
    } else if (ph->why.code) {
        gn_buf_puts(b, "{\"error\":");
        gn_buf_json_string(b, ph->why.message);
        gn_buf_puts(b, "}");
    } else {
        char hex[GN_PDQ_HEX_LEN + 1];
        gn_buf_puts(b, "{\"pdq\":[");
        for (int k = 0; k < GN_PDQ_DIHEDRAL_COUNT; k++) {
            gn_pdq_format(&ph->forms[k], hex);
            gn_buf_puts(b, k ? ",\"" : "\"");
            gn_buf_puts(b, hex);
            gn_buf_puts(b, "\"");
        }
        gn_buf_printf(b, "],\"quality\":%d", ph->quality);
        const gn_pdq_robust *m = &ph->more;
        if (m->trimmed) {
            gn_pdq_format(&m->trimmed_hash, hex);
            gn_buf_printf(b, ",\"trimmed\":\"%s\"", hex);
        }
        /* Regions (banked: a brand's photo at once, a listing's if it is
         * taken down), by their share of the area (what the reason says);
         * a listing photo's parts (looked up), by their index in
         * gn_listing_parts. */
        for (int r = 0; r < m->n_regions; r++) {
            gn_pdq_format(&m->regions[r], hex);
            gn_buf_printf(b, "%s{\"pdq\":\"%s\",\"area\":%d}", r ? "," : ",\"regions\":[", hex,
                          gn_rect_area(&gn_bank_regions[m->region[r]]));
        }
        if (m->n_regions) gn_buf_puts(b, "]");
        for (int r = 0; r < m->n_parts; r++) {
            gn_pdq_format(&m->parts[r], hex);
            gn_buf_printf(b, "%s{\"pdq\":\"%s\",\"part\":%d}", r ? "," : ",\"parts\":[", hex,
                          m->part[r]);
        }
        if (m->n_parts) gn_buf_puts(b, "]");
        /* Anchored patches (banked and looked up), by their span. */
        for (int r = 0; r < m->patches.n; r++) {
            gn_pdq_format(&m->patches.hash[r], hex);
            gn_buf_printf(b, "%s{\"pdq\":\"%s\",\"span\":%d}", r ? "," : ",\"patches\":[", hex,
                          m->patches.span[r]);
        }
        gn_buf_puts(b, m->patches.n ? "]}" : "}");
    }
}

int gn_photos_resolve(const gn_photos *p, gn_photo_sender who, gn_photo_budget *budget,
                      const char *event, size_t len, char **out, size_t *out_len, gn_error *err)
{
    *out = NULL;
    *out_len = 0;
    if (!may_have_sources(event, len)) return 0;
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    gn_error ignored;
    const gn_json *root = gn_json_parse(&doc, event, len, &ignored);
    const char *type = gn_json_string(gn_json_get(root, "type"), NULL);
    const char *field = !type                          ? NULL
                        : strcmp(type, "listing") == 0 ? "images"
                        : strcmp(type, "brand") == 0   ? "official_images"
                                                       : NULL;
    int rc = 0;
    if (gn_json_get(root, "media")) {
        if (who == GN_PHOTOS_OTHER)
            rc = gn_fail(err, GN_EINPUT,
                         "field 'media': written by genuine when it hashes photos; an event may "
                         "not carry it");
        gn_json_doc_free(&doc); /* taken as resolved already (a log being loaded again) */
        return rc;
    }
    const gn_json *images = field ? gn_json_get(root, field) : NULL;
    size_t n = gn_json_typeof(images) == GN_JSON_ARRAY ? gn_json_size(images) : 0;
    photo *photos = n ? gn_xcalloc(n, sizeof *photos) : NULL;
    if (n && !photos) {
        gn_json_doc_free(&doc);
        return gn_fail(err, GN_ENOMEM, "out of memory");
    }
    size_t tried = 0;
    for (size_t i = 0; i < n; i++) {
        const gn_json *image = gn_json_at(images, i);
        photo *ph = &photos[i];
        if (gn_json_typeof(image) != GN_JSON_OBJECT || gn_json_get(image, "pdq")) continue;
        ph->path = gn_json_string(gn_json_get(image, "path"), NULL);
        ph->url = ph->path ? NULL : gn_json_string(gn_json_get(image, "url"), NULL);
        if (!ph->path && !ph->url) continue; /* the validator says what is wrong */
        ph->tried = 1;
        ph->official = strcmp(field, "official_images") == 0;
        if (++tried > (size_t)p->options.max_per_event)
            gn_fail(&ph->why, GN_EINPUT,
                    "image %.200s: not tried: a %s's first %d photos by url or path are tried, "
                    "no more",
                    ph->path ? ph->path : ph->url, type, p->options.max_per_event);
    }
    if (!tried) {
        free(photos);
        gn_json_doc_free(&doc);
        return 0;
    }
    gn_photo_budget own = {0};
    if (!budget) budget = &own;
    if (!budget->per_request) gn_photo_budget_start(budget, p, 0);
    job j = {.p = p, .who = who, .budget = budget, .photos = photos, .n = n};
    pthread_mutex_init(&j.lock, NULL);
    size_t want =
        tried < (size_t)p->options.max_per_event ? tried : (size_t)p->options.max_per_event;
    size_t threads = want < (size_t)p->options.parallel ? want : (size_t)p->options.parallel;
    pthread_t tid[MAX_PARALLEL];
    size_t started = 0;
    /* The caller's thread works too; the others are extra hands. */
    for (; started + 1 < threads; started++)
        if (pthread_create(&tid[started], NULL, worker, &j) != 0) break;
    worker(&j);
    for (size_t i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&j.lock);

    /* The event as sent, with `media` before its closing brace. */
    size_t end = len;
    while (end > 0 && event[end - 1] != '}')
        end--;
    gn_buf b = {0};
    gn_buf_reserve(&b, end + 64 + n * 600);
    gn_buf_append(&b, event, end ? end - 1 : 0);
    gn_buf_puts(&b, ",\"media\":{\""); /* after "type" at least */
    gn_buf_puts(&b, field);
    gn_buf_puts(&b, "\":[");
    for (size_t i = 0; i < n; i++) {
        if (i) gn_buf_puts(&b, ",");
        put_result(&b, &photos[i]);
    }
    gn_buf_puts(&b, "]}}");
    free(photos);
    gn_json_doc_free(&doc);
    *out_len = b.len;
    *out = gn_buf_take(&b);
    return 0;
}
