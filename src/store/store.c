/* Chooses the store backend for a location: "sqlite:PATH" or a bare path is
 * a SQLite file (the default, embedded), "postgres://..." a PostgreSQL
 * database several genuine nodes share (store/postgres.c). */
#include "store/store.h"

#include <string.h>

#include "core/error.h"

const char *gn_store_sqlite_path(const char *location)
{
    if (strncmp(location, "postgres://", 11) == 0 || strncmp(location, "postgresql://", 13) == 0)
        return NULL;
    return strncmp(location, "sqlite:", 7) == 0 ? location + 7 : location;
}

int gn_store_open(gn_store **out, const char *path, int read_only, gn_error *err)
{
    const char *file = gn_store_sqlite_path(path);
    if (!file) return gn_pg_open(out, path, read_only, err);
    return gn_sqlite_open(out, file, read_only, err);
}
