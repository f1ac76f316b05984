/* The condition of a listing's goods: new, used, refurbished or for parts,
 * as the listing's `condition` field says, else as its title and description
 * say in words (config/lexicon/condition.txt, compiled in). Resale is not
 * counterfeiting: the price detector and the brand's authorised distribution
 * read it (docs/signals.md). */
#ifndef GN_DETECT_CONDITION_H
#define GN_DETECT_CONDITION_H

#include <stddef.h>

#include "genuine.h"

/* In the order a text's words override each other: a listing that says both
 * "used" and "for parts" is for parts. Unknown (nothing said) counts as new. */
typedef enum gn_condition {
    GN_CONDITION_UNKNOWN,
    GN_CONDITION_NEW,
    GN_CONDITION_USED,
    GN_CONDITION_REFURBISHED,
    GN_CONDITION_FOR_PARTS,
    GN_CONDITION_COUNT
} gn_condition;

/* The contract's name ("new", "used", "refurbished", "for_parts"; "" for unknown). */
const char *gn_condition_name(gn_condition c);
/* The condition a contract name stands for, or GN_CONDITION_UNKNOWN. */
gn_condition gn_condition_from_name(const char *name);
/* Is the listing's condition other than new (resale)? */
static inline int gn_condition_resale(gn_condition c)
{
    return c >= GN_CONDITION_USED;
}

typedef struct gn_condition_words gn_condition_words;

/* Compiles a word list in the format of config/lexicon/condition.txt; name is
 * the file's name for messages (GN_ECONFIG naming the line). */
int gn_condition_words_new(gn_condition_words **out, const char *text, const char *name,
                           gn_error *err);
/* The shipped list, compiled in. */
int gn_condition_words_default(gn_condition_words **out, gn_error *err);
void gn_condition_words_free(gn_condition_words *w);

/* The condition the texts say (GN_CONDITION_UNKNOWN when they say none).
 * Reads the words where they are; allocates nothing. */
gn_condition gn_condition_read(const gn_condition_words *w, const char *title, size_t title_len,
                               const char *description, size_t description_len);

#endif
