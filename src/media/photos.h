/* Photos to hashes before an event enters the engine: each image of a
 * listing or a brand given by `url` or `path` is fetched or read, decoded
 * and hashed (PDQ, its eight rotations and flips) by whoever receives the
 * event -- the HTTP worker threads, the command line -- and the event text
 * handed on carries the hashes in a `media` member, so the engine never does
 * I/O for a photo and a replay of the log never fetches or reads again. */
#ifndef GN_MEDIA_PHOTOS_H
#define GN_MEDIA_PHOTOS_H

#include <stddef.h>

#include "core/config.h"
#include "genuine.h"
#include "media/fetch.h"

/* Who sent the event: what `path` may name and whether `media` may come in. */
typedef enum gn_photo_sender {
    GN_PHOTOS_OPERATOR, /* genuine ingest: any regular file, or under --image-dir when given */
    GN_PHOTOS_PLATFORM, /* a platform key: files under --image-dir only */
    GN_PHOTOS_OTHER     /* seller, shopper, rights holder, reviewer: no `path` at all */
} gn_photo_sender;

typedef struct gn_photo_options {
    int max_per_event;      /* photos tried per listing or brand, failures counted; 0: 16 */
    long budget_ms;         /* time for photos across one request; 0: 10,000 */
    size_t budget_bytes;    /* bytes fetched or read across one request; 0: 50,000,000 */
    int parallel;           /* photos of one event fetched at once; 0: 4 */
    gn_fetch_options fetch; /* each fetch's own limits */
} gn_photo_options;

/* The images.* keys of the configuration (config/genuine.conf). */
void gn_photo_options_from_config(const gn_config *cfg, gn_photo_options *out);

typedef struct gn_photos {
    gn_photo_options options;
    int dir_fd; /* the image directory (--image-dir), or -1 */
    char *dir;  /* its canonical path: an absolute `path` under it is taken too */
} gn_photos;

/* image_dir may be NULL. GN_EINPUT when it is not a directory one can open. */
int gn_photos_open(gn_photos *p, const gn_photo_options *options, const char *image_dir,
                   gn_error *err);
void gn_photos_close(gn_photos *p);

/* What one request may still spend on photos. */
typedef struct gn_photo_budget {
    double deadline;          /* gn_monotonic_seconds() */
    atomic_size_t bytes_left; /* taken by each photo's bytes as they arrive */
    int per_request;          /* 0: each event gets the whole budget afresh (the command line) */
} gn_photo_budget;

void gn_photo_budget_start(gn_photo_budget *b, const gn_photos *p, int per_request);

/* Resolves the photos of one event text. Leaves *out NULL when nothing is
 * to be changed (no photo by url or path, not a listing or brand, not valid
 * JSON: the engine then says what is wrong); otherwise *out is a malloc'd
 * copy of the event with a `media` member appended: for each image of
 * `images` (listing) or `official_images` (brand), in order, null (a pdq
 * given), {"pdq":[8 hex hashes]} or {"error":"why"}. A photo that cannot be
 * had is an error in there, never a failure of the call. Returns GN_EINPUT
 * only when the event may not be taken as sent (a `media` member from a
 * sender other than the operator or the platform), GN_ENOMEM. */
int gn_photos_resolve(const gn_photos *p, gn_photo_sender who, gn_photo_budget *budget,
                      const char *event, size_t len, char **out, size_t *out_len, gn_error *err);

#endif
