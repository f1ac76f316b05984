/* genuine's one out-of-memory policy, as Redis's: an allocation that fails
 * prints what was asked for and aborts. The engine's state is in memory and
 * a half-built record is worse than a stop; a restart replays the log, and
 * nothing acknowledged is lost. Every allocation in src/ goes through these
 * (or gn_buf and GN_GROW, which use them), so no caller has a failure path
 * that is never taken. */
#ifndef GN_CORE_ALLOC_H
#define GN_CORE_ALLOC_H

#include <stddef.h>

void *gn_xmalloc(size_t size);
void *gn_xcalloc(size_t count, size_t size);
void *gn_xrealloc(void *p, size_t size);
char *gn_xstrdup(const char *s);
char *gn_xstrndup(const char *s, size_t n);
/* Memory aligned to align (a power of two, at least sizeof(void *)); free()d. */
void *gn_xaligned_alloc(size_t align, size_t size);
/* Prints "genuine: out of memory (N bytes)" on stderr and aborts. */
_Noreturn void gn_out_of_memory(size_t size);

#endif
