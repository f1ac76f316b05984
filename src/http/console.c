/* Serves the web console: its pages and assets from the table built into the
 * binary, or from a folder (--ui-dir) for development. A path is looked up,
 * never joined blindly: no "..", no hidden names, no symbolic link, regular
 * files only, so --ui-dir cannot be walked out of. */
#include "http/console.h"

#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CONSOLE_PREFIX "/console/"
#define MAX_FILE ((size_t)32 << 20)

/* The page may talk to this server only; photos come from the listings' own
 * hosts (http or https) and are fetched without a referrer. */
static const char policy[] =
    "default-src 'self'; script-src 'self'; connect-src 'self'; img-src 'self' data: blob: https: "
    "http:; style-src 'self' 'unsafe-inline'; object-src 'none'; base-uri 'none'; form-action "
    "'self'; frame-ancestors 'none'";

int gn_console_route(const char *url)
{
    return strcmp(url, "/") == 0 || strcmp(url, "/verify") == 0 ||
           strncmp(url, CONSOLE_PREFIX, strlen(CONSOLE_PREFIX)) == 0;
}

static const char *content_type(const char *path)
{
    static const struct {
        const char *ext, *type;
    } types[] = {
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
    };
    const char *dot = strrchr(path, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (strcmp(dot, types[i].ext) == 0) return types[i].type;
    return NULL;
}

/* The file a URL names, relative to the console's root, or NULL when the
 * name is not one the console could have. */
static const char *file_name(const char *url)
{
    if (strcmp(url, "/") == 0 || strcmp(url, "/verify") == 0) return "index.html";
    const char *rel = url + strlen(CONSOLE_PREFIX);
    if (!*rel || strlen(rel) > 200) return NULL;
    for (const char *p = rel; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch <= ' ' || ch == '\\' || ch >= 0x7f) return NULL;
        /* each component starts with neither '.' nor '/': no "..", no hidden files */
        if ((p == rel || p[-1] == '/') && (ch == '.' || ch == '/')) return NULL;
    }
    return content_type(rel) ? rel : NULL;
}

/* Reads DIR/rel when it is a regular file (not a link) under the size limit. */
static char *read_file(const char *dir, const char *rel, size_t *len)
{
    char path[4096];
    if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, rel) >= sizeof path) return NULL;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return NULL;
    struct stat st;
    char *data = NULL;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= MAX_FILE) {
        size_t want = (size_t)st.st_size, got = 0;
        data = malloc(want + 1);
        while (data && got < want) {
            ssize_t n = read(fd, data + got, want - got);
            if (n < 0 && errno == EINTR) continue;
            if (n <= 0) break;
            got += (size_t)n;
        }
        if (data && got != want) {
            free(data);
            data = NULL;
        }
        *len = got;
    }
    close(fd);
    return data;
}

struct MHD_Response *gn_console_response(const gn_console *c, const char *url, unsigned *code)
{
    const char *rel = file_name(url);
    struct MHD_Response *resp = NULL;
    const char *type = rel ? content_type(rel) : NULL;
    *code = 200;
    if (rel && c->dir) {
        size_t len = 0;
        char *data = read_file(c->dir, rel, &len);
        if (data) resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
        if (data && !resp) free(data);
        if (data && !resp) return NULL;
    } else if (rel) {
        for (size_t i = 0; i < c->n_files && !resp; i++)
            if (strcmp(c->files[i].path, rel) == 0) {
                resp = MHD_create_response_from_buffer(c->files[i].len, (void *)c->files[i].data,
                                                       MHD_RESPMEM_PERSISTENT);
                if (!resp) return NULL;
            }
    }
    if (!resp) {
        static const char missing[] = "{\"error\":\"the console has no such file\"}";
        *code = 404;
        type = "application/json";
        resp = MHD_create_response_from_buffer(sizeof missing - 1, (void *)missing,
                                               MHD_RESPMEM_PERSISTENT);
        if (!resp) return NULL;
    }
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(resp, "Content-Security-Policy", policy);
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    /* Names are not versioned: the browser asks again, and gets the same
     * bytes cheaply from memory. */
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache");
    return resp;
}
