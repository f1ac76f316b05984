/* The word lists an engine reads (word_lists.c): a platform's own
 * condition.txt, lingo.txt and common.txt from gn_engine_options.lexicon_dir,
 * or the shipped ones, and the condition words made from them. */
#ifndef GN_ENGINE_WORD_LISTS_H
#define GN_ENGINE_WORD_LISTS_H

#include "core/error.h"
#include "detect/condition.h"
#include "detect/lexicon.h"

#define GN_WORD_LISTS 3 /* condition.txt, lingo.txt, common.txt */

typedef struct gn_engine_word_lists {
    /* A platform's own lists, NULL each where the shipped one is used. */
    char *text[GN_WORD_LISTS], *path[GN_WORD_LISTS];
    gn_lexicon_lists lists;         /* lingo and common words: points into text, path */
    gn_condition_words *conditions; /* "used", "gebraucht", "二手": a listing's condition */
} gn_engine_word_lists;

/* Reads the lists of dir (NULL: the shipped ones are used); a bad file stops
 * it with the file named. */
int gn_engine_word_lists_load(gn_engine_word_lists *w, const char *dir, gn_error *err);
/* Makes w->conditions from condition.txt or the shipped list. */
int gn_engine_condition_words(gn_engine_word_lists *w, gn_error *err);
/* Frees the lists and the condition words. */
void gn_engine_word_lists_free(gn_engine_word_lists *w);

#endif
