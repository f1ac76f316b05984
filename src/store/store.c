/* Chooses the store backend for a location. Only SQLite files exist today;
 * a postgres:// location will choose the PostgreSQL backend. */
#include "store/store.h"

#include <string.h>

#include "core/error.h"

int gn_store_open(gn_store **out, const char *path, int read_only, gn_error *err)
{
    if (strncmp(path, "postgres://", 11) == 0 || strncmp(path, "postgresql://", 13) == 0)
        return gn_fail(err, GN_ESTORE, "%s: the PostgreSQL store is not built yet; use a file path",
                       path);
    return gn_sqlite_open(out, path, read_only, err);
}
