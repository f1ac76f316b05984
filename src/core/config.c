/* Parsing of the configuration text; the defaults are the shipped file itself
 * (build/gen/default_config.c is generated from config/genuine.conf). */
#include "core/config.h"

#include <assert.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"

extern const char gn_default_config[];

const char *gn_default_config_text(void)
{
    return gn_default_config;
}

static int find(const gn_config *cfg, const char *key)
{
    for (int i = 0; i < cfg->count; i++)
        if (strcmp(cfg->entries[i].key, key) == 0) return i;
    return -1;
}

/* Parses text; defining=1 adds keys (the defaults), 0 only changes known ones. */
static int parse(gn_config *cfg, const char *text, const char *name, int defining, gn_error *err)
{
    int line_no = 0;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t n = end ? (size_t)(end - line) : strlen(line);
        line_no++;
        char buf[256];
        if (n >= sizeof buf) return gn_fail(err, GN_ECONFIG, "%s:%d: line too long", name, line_no);
        memcpy(buf, line, n);
        buf[n] = 0;
        line = end ? end + 1 : line + n;
        char *hash = strchr(buf, '#');
        if (hash) *hash = 0;
        char *p = buf;
        while (isspace((unsigned char)*p))
            p++;
        if (!*p) continue;
        char *eq = strchr(p, '=');
        if (!eq) return gn_fail(err, GN_ECONFIG, "%s:%d: expected `key = number`", name, line_no);
        char *k_end = eq;
        while (k_end > p && isspace((unsigned char)k_end[-1]))
            k_end--;
        *k_end = 0;
        char *v = eq + 1, *v_end;
        errno = 0;
        double value = strtod(v, &v_end);
        while (isspace((unsigned char)*v_end))
            v_end++;
        if (v_end == v || *v_end || errno)
            return gn_fail(err, GN_ECONFIG, "%s:%d: the value of '%s' is not a number", name,
                           line_no, p);
        int i = find(cfg, p);
        if (i < 0) {
            if (!defining)
                return gn_fail(err, GN_ECONFIG, "%s:%d: unknown key '%s' (see config/genuine.conf)",
                               name, line_no, p);
            if (cfg->count == GN_CONFIG_MAX || strlen(p) >= sizeof cfg->entries[0].key)
                return gn_fail(err, GN_ECONFIG, "%s:%d: too many keys", name, line_no);
            i = cfg->count++;
            strcpy(cfg->entries[i].key, p);
        }
        cfg->entries[i].value = value;
    }
    return 0;
}

int gn_config_load(gn_config *cfg, const char *path, gn_error *err)
{
    memset(cfg, 0, sizeof *cfg);
    int rc = parse(cfg, gn_default_config, "config/genuine.conf", 1, err);
    if (rc || !path) return rc;
    FILE *f = fopen(path, "rb");
    if (!f) return gn_fail(err, GN_ECONFIG, "%s: %s", path, strerror(errno));
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        fwrite(chunk, 1, got, mem);
    fclose(f);
    fclose(mem);
    rc = parse(cfg, text, path, 0, err);
    free(text);
    return rc;
}

double gn_config_find(const gn_config *cfg, const char *key, double missing)
{
    int i = find(cfg, key);
    return i < 0 ? missing : cfg->entries[i].value;
}

double gn_config_get(const gn_config *cfg, const char *key)
{
    int i = find(cfg, key);
    assert(i >= 0 && "key missing from config/genuine.conf");
    return i < 0 ? 0 : cfg->entries[i].value;
}
