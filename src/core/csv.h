/* Text that leaves genuine for other programs: CSV fields that a spreadsheet
 * reads as text, never as a formula, and values printed on a log line with
 * their control characters escaped, so a value cannot forge a line. */
#ifndef GN_CORE_CSV_H
#define GN_CORE_CSV_H

#include <stdio.h>

#include "core/buf.h"

/* Appends one CSV field (RFC 4180: quoted when it holds a comma, a quote or a
 * line break, quotes doubled). A field that starts with = + - @, a tab or a
 * carriage return and is not a plain number gets a leading apostrophe, so a
 * spreadsheet shows it as text instead of running it. NULL: an empty field. */
void gn_csv_put_field(gn_buf *b, const char *text);

/* Writes text to out with control characters (below 0x20, and 0x7f) as \n,
 * \r, \t or \xHH and backslashes doubled, so it stays on one line. */
void gn_put_escaped(FILE *out, const char *text);

#endif
