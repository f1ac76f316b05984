/* The library's version and the free of what it hands out: what
 * include/genuine.h promises callers of a shared libgenuine.so, whose C
 * runtime may not be theirs. */
#include <stdlib.h>

#include "genuine.h"

#define GN_STR_(x) #x
#define GN_STR(x) GN_STR_(x)

const char *gn_version(void)
{
    return GN_STR(GN_VERSION_MAJOR) "." GN_STR(GN_VERSION_MINOR) "." GN_STR(GN_VERSION_PATCH);
}

void gn_free(void *p)
{
    free(p);
}
