/* genuine case export SELLER [--out DIR]: the case file of the seller's
 * cluster of linked accounts for the authorities, written as
 * DIR/case-SELLER.json and DIR/case-SELLER.html; prints the two paths. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* A seller id as a file name: only letters, digits, '.', '-' and '_' kept, so
 * an id like "../x" cannot write outside DIR. */
static void file_name(const char *seller, char *out, size_t cap)
{
    size_t n = 0;
    for (const char *p = seller; *p && n + 1 < cap; p++) {
        char ch = *p;
        int ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                 ch == '-' || ch == '_' || (ch == '.' && n > 0);
        out[n++] = ok ? ch : '_';
    }
    out[n] = 0;
}

/* Writes to path.tmp and renames it, so a reader never sees half a file. */
static FILE *open_tmp(const char *path, char *tmp, size_t cap)
{
    snprintf(tmp, cap, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f) fprintf(stderr, "genuine: %s: %s\n", tmp, strerror(errno));
    return f;
}

static int finish(FILE *f, const char *tmp, const char *path)
{
    int failed = fclose(f) != 0;
    if (failed || rename(tmp, path) != 0) {
        fprintf(stderr, "genuine: %s: %s\n", path, strerror(errno));
        remove(tmp);
        return GN_EXIT_FAIL;
    }
    return GN_EXIT_OK;
}

int gn_cmd_case(int argc, char **argv)
{
    static const char usage[] = "usage: genuine case export SELLER [--db PATH] [--out DIR]";
    gn_cli_common opts = {0};
    argc = gn_cli_common_options(argc, argv, &opts);
    if (argc < 0) return GN_EXIT_USAGE;
    const char *dir = ".", *seller = NULL;
    int positional = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--out") == 0) {
            if (i + 1 >= argc) return gn_cli_usage("--out needs a directory");
            dir = argv[++i];
        } else if (argv[i][0] == '-' && argv[i][1]) {
            return gn_cli_usage("unknown option '%s'; %s", argv[i], usage);
        } else if (positional++ == 0) {
            if (strcmp(argv[i], "export") != 0) return gn_cli_usage("%s", usage);
        } else if (positional == 2) {
            seller = argv[i];
        } else {
            return gn_cli_usage("%s", usage);
        }
    }
    if (!seller || !*seller) return gn_cli_usage("%s", usage);

    gn_engine *e = gn_cli_open(&opts, GN_OPEN_BESIDE);
    if (!e) return GN_EXIT_FAIL;
    gn_error err;
    char *json = gn_case_json(e, seller, &err);
    if (!json) {
        fprintf(stderr, "genuine: %s\n", err.message);
        gn_engine_close(e);
        return GN_EXIT_FAIL;
    }
    char name[200], json_path[4200], html_path[4200], tmp[4300];
    file_name(seller, name, sizeof name);
    size_t dir_len = strlen(dir);
    while (dir_len > 1 && dir[dir_len - 1] == '/')
        dir_len--; /* "out/" names "out" */
    snprintf(json_path, sizeof json_path, "%.*s/case-%s.json", (int)dir_len, dir, name);
    snprintf(html_path, sizeof html_path, "%.*s/case-%s.html", (int)dir_len, dir, name);
    gn_engine_close(e);
    /* --out names the folder the case goes to: made when it is not there yet. */
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "genuine: --out %s: %s\n", dir, strerror(errno));
        gn_free(json);
        return GN_EXIT_FAIL;
    }
    int rc = GN_EXIT_FAIL;
    FILE *f = open_tmp(json_path, tmp, sizeof tmp);
    if (f) {
        if (fputs(json, f) < 0 || fputc('\n', f) < 0) {
            fprintf(stderr, "genuine: %s: %s\n", tmp, strerror(errno));
            fclose(f);
            remove(tmp);
        } else {
            rc = finish(f, tmp, json_path);
        }
    }
    if (rc == GN_EXIT_OK)
        rc = (f = open_tmp(html_path, tmp, sizeof tmp)) ? GN_EXIT_OK : GN_EXIT_FAIL;
    if (rc == GN_EXIT_OK) {
        if (gn_case_html_from_json(json, f, &err)) {
            fprintf(stderr, "genuine: %s\n", err.message);
            fclose(f);
            remove(tmp);
            rc = GN_EXIT_FAIL;
        } else {
            rc = finish(f, tmp, html_path);
        }
    }
    gn_free(json);
    if (rc == GN_EXIT_OK) printf("%s\n%s\n", json_path, html_path);
    return rc;
}
