/* The error convention's one helper: record a code and a formatted message. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>

int gn_fail(gn_error *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->message, sizeof err->message, fmt, ap);
        va_end(ap);
        err->code = code;
    }
    return code;
}
