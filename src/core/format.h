/* printf for the hot path: the same bytes as vsnprintf in the C locale for
 * the conversions decisions and reasons are written with, without glibc's
 * general machinery (a decision's score, its reasons' weights and details
 * took several printf calls each). */
#ifndef GN_CORE_FORMAT_H
#define GN_CORE_FORMAT_H

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf(out, size, fmt, ap): the same bytes, the same truncation, the
 * same return value. Handled directly: %%, %c, %s and %.Ns, %d %i %u with
 * the l, ll and z sizes, %f and %.Nf, %g and %.Ng, with no flags or widths;
 * numbers whose exact decimal value is out of reach of 128-bit integers,
 * and any other conversion, go to vsnprintf. */
int gn_vformat(char *out, size_t size, const char *fmt, va_list ap);
int gn_format(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
