/* The web console's files (web/, docs/console.md) as the HTTP server sends
 * them: built into the genuine binary from web/dist at build time
 * (scripts/embed_console.py writes the table below), or read from a folder
 * with `genuine serve --ui-dir DIR` while developing it. */
#ifndef GN_HTTP_CONSOLE_H
#define GN_HTTP_CONSOLE_H

#include <stddef.h>

struct MHD_Response;

typedef struct gn_console_file {
    const char *path; /* relative to web/dist: "index.html", "app.js" */
    const char *type; /* its Content-Type */
    const unsigned char *data;
    size_t len;
} gn_console_file;

/* The files built into the binary (build/gen/console_files.c, linked into
 * build/genuine only: the library does not carry them). */
extern const gn_console_file gn_console_files[];
extern const size_t gn_console_n_files;

typedef struct gn_console {
    const gn_console_file *files; /* built in; NULL with n_files 0: none */
    size_t n_files;
    const char *dir; /* --ui-dir: read from this folder instead (NULL: the files above) */
} gn_console;

/* 1 when a GET of this URL path is the console's: "/" and "/verify" (its
 * pages) and everything under "/console/" (its scripts and styles). */
int gn_console_route(const char *url);

/* The reply to a GET of a console URL, with its headers (a content security
 * policy that lets the page talk to this server only, no framing, no
 * referrer sent to the photos' hosts); *code receives its status (200, or
 * 404 for a file the console does not have). NULL when out of memory. */
struct MHD_Response *gn_console_response(const gn_console *console, const char *url,
                                         unsigned *code);

#endif
