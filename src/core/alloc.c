/* The allocation wrappers of alloc.h: the out-of-memory policy in one place. */
#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void gn_out_of_memory(size_t size)
{
    fprintf(stderr, "genuine: out of memory (%zu bytes)\n", size);
    abort();
}

void *gn_xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) gn_out_of_memory(size);
    return p;
}

void *gn_xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p) gn_out_of_memory(count * size);
    return p;
}

void *gn_xrealloc(void *p, size_t size)
{
    void *q = realloc(p, size ? size : 1);
    if (!q) gn_out_of_memory(size);
    return q;
}

char *gn_xstrdup(const char *s)
{
    char *p = strdup(s);
    if (!p) gn_out_of_memory(strlen(s) + 1);
    return p;
}

char *gn_xstrndup(const char *s, size_t n)
{
    char *p = strndup(s, n);
    if (!p) gn_out_of_memory(n + 1);
    return p;
}

void *gn_xaligned_alloc(size_t align, size_t size)
{
    void *p = NULL;
    if (posix_memalign(&p, align, size ? size : 1)) gn_out_of_memory(size);
    return p;
}
