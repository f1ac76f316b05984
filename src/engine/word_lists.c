/* The word lists an engine reads (config/lexicon/): the shipped ones, or a
 * platform's own from a folder given at open (gn_engine_options.lexicon_dir,
 * genuine --lexicon DIR): condition.txt, lingo.txt and common.txt, each
 * optional. Read once at open; the lexicon is made again from them at each
 * replay, and a bad line stops the open with the file and line named. */
#include "engine/word_lists.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"

#define MAX_LIST_BYTES (4 << 20)

static const char *const files[GN_WORD_LISTS] = {"condition.txt", "lingo.txt", "common.txt"};

/* The text of dir/name into *text (NULL when there is no such file). */
static int read_list(const char *dir, const char *name, char **text, char **path, gn_error *err)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    *path = gn_xmalloc(n);
    snprintf(*path, n, "%s/%s", dir, name);
    FILE *f = fopen(*path, "rb");
    if (!f) return errno == ENOENT ? 0 : gn_fail(err, GN_ECONFIG, "%s: %s", *path, strerror(errno));
    char *buf = gn_xmalloc(MAX_LIST_BYTES + 1);
    size_t got = fread(buf, 1, MAX_LIST_BYTES + 1, f);
    int failed = ferror(f);
    fclose(f);
    if (failed || got > MAX_LIST_BYTES || memchr(buf, 0, got)) {
        free(buf);
        return gn_fail(err, GN_ECONFIG, "%s: %s", *path,
                       failed                 ? "could not be read"
                       : got > MAX_LIST_BYTES ? "larger than 4 MB"
                                              : "holds a NUL byte (not a text file)");
    }
    buf[got] = 0;
    *text = gn_xrealloc(buf, got + 1);
    return 0;
}

int gn_engine_word_lists_load(gn_engine_word_lists *w, const char *dir, gn_error *err)
{
    if (!dir) return 0;
    int any = 0;
    for (int i = 0; i < GN_WORD_LISTS; i++) {
        int rc = read_list(dir, files[i], &w->text[i], &w->path[i], err);
        if (rc) return rc;
        any |= w->text[i] != NULL;
    }
    if (!any)
        return gn_fail(err, GN_ECONFIG,
                       "%s: holds none of condition.txt, lingo.txt, common.txt (the word lists "
                       "it would replace)",
                       dir);
    w->lists = (gn_lexicon_lists){w->text[1], w->path[1], w->text[2], w->path[2]};
    return 0;
}

int gn_engine_condition_words(gn_engine_word_lists *w, gn_error *err)
{
    return w->text[0] ? gn_condition_words_new(&w->conditions, w->text[0], w->path[0], err)
                      : gn_condition_words_default(&w->conditions, err);
}

void gn_engine_word_lists_free(gn_engine_word_lists *w)
{
    for (int i = 0; i < GN_WORD_LISTS; i++) {
        free(w->text[i]);
        free(w->path[i]);
    }
    gn_condition_words_free(w->conditions);
}
