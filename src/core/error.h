/* One error convention for every layer: return 0 or a negative GN_E* code and
 * fill a gn_error whose message names the field, line or file at fault. */
#ifndef GN_CORE_ERROR_H
#define GN_CORE_ERROR_H

#include "genuine.h"

/* Sets err (when not NULL) and returns code, so a failure is one line:
 *     return gn_fail(err, GN_EINPUT, "field 'price': expected a number"); */
int gn_fail(gn_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
