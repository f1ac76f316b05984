/* Event time: RFC 3339 text to milliseconds since the Unix epoch and back.
 * Deadlines and account ages run on the `at` of events, never the wall clock. */
#ifndef GN_CORE_CLOCK_H
#define GN_CORE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define GN_MS_PER_DAY (86400LL * 1000)

/* Parses "2026-11-22T10:00:00Z", with optional fraction and a Z or +hh:mm
 * offset. Returns 0, or -1 when the text is not RFC 3339. */
int gn_time_parse(const char *text, int64_t *ms);

/* Writes the UTC form "2026-11-22T10:00:00Z" (31 bytes are enough). */
void gn_time_format(int64_t ms, char *out, size_t size);

/* Seconds on the monotonic clock, for measuring how long something took. */
double gn_monotonic_seconds(void);

#endif
