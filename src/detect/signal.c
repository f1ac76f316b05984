/* The list of signals a listing collects while it is examined. */
#include "detect/signal.h"

#include <stdarg.h>
#include <stdio.h>

#include "core/format.h"

void gn_signals_add(gn_signals *s, const char *code, double value, const char *fmt, ...)
{
    if (!(value > 0)) return;
    if (value > 1) value = 1;
    int slot = s->count;
    if (slot == GN_MAX_SIGNALS) {
        int weakest = 0;
        for (int i = 1; i < s->count; i++)
            if (s->items[i].value < s->items[weakest].value) weakest = i;
        if (s->items[weakest].value >= value) return;
        slot = weakest;
    } else {
        s->count++;
    }
    gn_signal *g = &s->items[slot];
    g->code = code;
    g->value = value;
    g->weight = 0;
    va_list ap;
    va_start(ap, fmt);
    gn_vformat(g->detail, sizeof g->detail, fmt, ap); /* vsnprintf's bytes, faster */
    va_end(ap);
}
