/* A snapshot of the engine's state at a log position (snapshot.c), so a node
 * starts from it and replays only the log after it (docs/scale.md, Joining).
 * Here: the byte writer and the bounded reader every part's serialiser uses
 * (state, identity graph, indexes), and the engine's entry points. */
#ifndef GN_ENGINE_SNAPSHOT_H
#define GN_ENGINE_SNAPSHOT_H

#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/error.h"
#include "core/strmap.h"

/* Writing: fixed-size values in the machine's byte order (the fingerprint
 * names the layout, so a snapshot is only read by the genuine that could
 * have written it). */
void gn_snap_raw(gn_buf *b, const void *p, size_t n);
void gn_snap_u32(gn_buf *b, uint32_t v);
void gn_snap_u64(gn_buf *b, uint64_t v);
void gn_snap_f64(gn_buf *b, double v);
/* A string (NULL too). */
void gn_snap_str(gn_buf *b, const char *s);
/* A string map as it is: its slots, keys and values in place. */
void gn_snap_strmap(gn_buf *b, const gn_strmap *m);
/* A pointer to a key of map (its slot), else the string it points at. */
void gn_snap_ref(gn_buf *b, const gn_strmap *map, const char *s);

/* Reading: every read is bounded; the first that does not fit marks the
 * reader bad, and later reads return zeros. Counts are checked against the
 * bytes left before anything is allocated for them. */
typedef struct gn_snap_in {
    const unsigned char *p;
    size_t left;
    int bad;
} gn_snap_in;

int gn_snap_get(gn_snap_in *in, void *p, size_t n);
uint32_t gn_snap_get_u32(gn_snap_in *in);
uint64_t gn_snap_get_u64(gn_snap_in *in);
double gn_snap_get_f64(gn_snap_in *in);
/* A count of items of at least min_size bytes each that the rest can hold
 * (else bad, 0). */
uint32_t gn_snap_get_count(gn_snap_in *in, size_t min_size);
/* A string into pool (NULL for a NULL string or a bad reader). */
const char *gn_snap_get_str(gn_snap_in *in, gn_pool *pool);
/* A string, malloc'd. */
char *gn_snap_get_strdup(gn_snap_in *in);
/* n items of size bytes into a new zeroed array of cap >= n items (NULL
 * when cap is 0 or the reader is bad). */
void *gn_snap_get_array(gn_snap_in *in, size_t n, size_t size, size_t cap);
/* A map written by gn_snap_strmap into an empty one. */
void gn_snap_get_strmap(gn_snap_in *in, gn_strmap *m);
/* A pointer written by gn_snap_ref: map's key, or the string pooled. */
const char *gn_snap_get_ref(gn_snap_in *in, const gn_strmap *map, gn_pool *pool);
/* Marks the reader bad (a value out of its range); returns 1 when bad. */
int gn_snap_check(gn_snap_in *in, int ok);

/* The parts whose insides are private to their files. */
typedef struct gn_identity gn_identity;
typedef struct gn_minhash_index gn_minhash_index;
void gn_identity_save(const gn_identity *g, gn_buf *b);
int gn_identity_load(gn_identity *g, gn_snap_in *in, gn_error *err);
void gn_minhash_index_save(const gn_minhash_index *ix, gn_buf *b);
int gn_minhash_index_load(gn_minhash_index *ix, gn_snap_in *in, gn_error *err);

typedef struct gn_engine gn_engine;

/* The snapshot of e's state, which is the log's up to position seq: a
 * header (format, fingerprint, position, checksum) and the parts. Fails
 * (GN_EINPUT, saying why) where the state holds what a snapshot does not
 * take: Lua rules. */
int gn_engine_snapshot_save(gn_engine *e, int64_t seq, gn_buf *out, gn_error *err);
/* Reads a snapshot's header: GN_EINPUT when it is not one, or of another
 * format, version or configuration than e's (err says which). */
int gn_engine_snapshot_check(gn_engine *e, const unsigned char *bytes, size_t len, int64_t *seq,
                             gn_error *err);
/* Loads a checked snapshot into e's freshly reset state. On failure the
 * state is half loaded: the caller resets it and replays the whole log. */
int gn_engine_snapshot_load(gn_engine *e, const unsigned char *bytes, size_t len, gn_error *err);

#endif
