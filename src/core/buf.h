/* A growable byte buffer for building JSON and text replies without a
 * malloc per piece. Out of memory aborts: a half-built reply is worse. */
#ifndef GN_CORE_BUF_H
#define GN_CORE_BUF_H

#include <stddef.h>

typedef struct gn_buf {
    char *data; /* always NUL-terminated when len > 0 or after any append */
    size_t len;
    size_t cap;
} gn_buf;

void gn_buf_reserve(gn_buf *b, size_t extra);
void gn_buf_append(gn_buf *b, const char *s, size_t n);
void gn_buf_puts(gn_buf *b, const char *s);
void gn_buf_printf(gn_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s as a JSON string literal, quotes included. */
void gn_buf_json_string(gn_buf *b, const char *s);
void gn_buf_reset(gn_buf *b);
void gn_buf_free(gn_buf *b);
/* Hands the bytes to the caller (malloc'd, NUL-terminated) and empties b. */
char *gn_buf_take(gn_buf *b);
/* For a read that filled b and returned rc: the text when rc is 0, else NULL
 * (b freed either way, the caller's error left as it was). */
char *gn_buf_take_if(gn_buf *b, int rc);

#endif
