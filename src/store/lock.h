/* One writer per store: an exclusive lock on PATH.lock (flock), held for the
 * life of the engine that writes, with the holder's pid, command line and start
 * time written in the file so a refused second writer can say who holds it. */
#ifndef GN_STORE_LOCK_H
#define GN_STORE_LOCK_H

#include "genuine.h"

typedef struct gn_store_lock gn_store_lock;

/* Takes the writer's lock of the store at path without waiting. Returns 0 and
 * *out (NULL for a location with no file, e.g. ":memory:"), or GN_ESTORE with
 * err naming the holder: "genuine.db is being written by pid 123 (genuine
 * serve --db genuine.db) since ...". */
int gn_store_lock_take(const char *path, gn_store_lock **out, gn_error *err);
void gn_store_lock_release(gn_store_lock *lock);

#endif
