/* The brand and counterfeit-lingo matcher: brand names and aliases (exact,
 * misspelt, in look-alike letters) and counterfeit lingo found in a listing's
 * title and description, in one pass. (Interface agreed between the engine and
 * the matcher; the implementation is src/detect/lexicon.c.) */
#ifndef GN_DETECT_LEXICON_H
#define GN_DETECT_LEXICON_H

#include <stddef.h>
#include <stdint.h>

#include "genuine.h"

typedef struct gn_lexicon gn_lexicon;

/* How far a misspelling may be from a name, by the name's length in letters
 * (spaces and punctuation not counted). A value <= 0 turns that distance off. */
typedef struct gn_lexicon_options {
    int misspelt_min_len1; /* names this long or longer match at distance 1 (default 5) */
    int misspelt_min_len2; /* names this long or longer match at distance 2 (default 8) */
} gn_lexicon_options;

/* The word lists a lexicon reads, as texts in the formats of
 * config/lexicon/lingo.txt (counterfeit lingo and the words that clear a term)
 * and config/lexicon/common.txt (everyday words never reported as
 * misspellings), with the names messages give them. A NULL text: the shipped
 * list, compiled in. */
typedef struct gn_lexicon_lists {
    const char *lingo, *lingo_name;
    const char *common, *common_name;
} gn_lexicon_lists;

/* A lexicon with options (NULL: the defaults) and lists (NULL: the shipped
 * ones); GN_ECONFIG naming the file and line of a bad list. */
int gn_lexicon_open(gn_lexicon **out, const gn_lexicon_options *options,
                    const gn_lexicon_lists *lists, gn_error *err);
/* A lexicon with the default options (distance 1 from 5 letters, 2 from 8)
 * and the shipped lists; NULL only when out of memory. */
gn_lexicon *gn_lexicon_new(void);
gn_lexicon *gn_lexicon_new_with(const gn_lexicon_options *options);
void gn_lexicon_free(gn_lexicon *lexicon);

/* Adds an everyday word that must never be reported as a misspelling of a
 * brand ("channel" is not a misspelt Chanel), beside config/lexicon/common.txt. */
int gn_lexicon_add_common_word(gn_lexicon *lexicon, const char *word, gn_error *err);

/* Adds a brand's name or alias; brand is the catalog's index of the brand.
 * Marks the lexicon for recompiling. */
int gn_lexicon_add_name(gn_lexicon *lexicon, uint32_t brand, const char *name, gn_error *err);
/* Whether gn_lexicon_add_name would take the name (GN_EINPUT and why when
 * not), changing nothing: a brand event is checked before it is applied. */
int gn_lexicon_check_name(gn_lexicon *lexicon, const char *name, gn_error *err);

/* Compiles if anything changed since the last call; cheap otherwise. */
int gn_lexicon_prepare(gn_lexicon *lexicon, gn_error *err);

typedef enum { GN_MENTION_EXACT, GN_MENTION_MISSPELT, GN_MENTION_LOOKALIKE } gn_mention_kind;

typedef struct gn_mention {
    uint32_t brand;
    gn_mention_kind kind;
    int in_title;
    char as_written[64]; /* the text as it stood in the listing (UTF-8, truncated safely) */
    char name[64];       /* the brand name or alias it matched */
} gn_mention;

typedef struct gn_text_findings {
    gn_mention mentions[16]; /* one per (brand, kind) at most; title mentions first */
    int n_mentions;
    const char *lingo[8]; /* static strings: the lingo terms found */
    int n_lingo;
} gn_text_findings;

/* The brands one of whose one-word names (four letters or more) is 1 to max
 * edits (max 1 or 2; a swap of neighbours is one) from word (ASCII letters
 * and digits, any case), not an everyday word, and none of whose names the
 * word is: up to cap of them in brands[],
 * closest first, with their distances in dist[]. For the words where a
 * listing names its brand, reaching names too short for the scan's own
 * misspellings. The lexicon must be prepared. */
int gn_lexicon_near_word(gn_lexicon *lexicon, const char *word, size_t n, int max, uint32_t *brands,
                         int *dist, int cap);

int gn_lexicon_scan(gn_lexicon *lexicon, const char *title, size_t title_len, const char *desc,
                    size_t desc_len, gn_text_findings *out, gn_error *err);

/* The widest instructions folding plain text a block at a time uses, where the
 * CPU has them (checked at run time): AVX-512BW by default, else SSE2 (every
 * x86-64), else none (word by word). Tests lower it to check each path against
 * the others; the folded text and the findings are the same on all. */
enum { GN_LEXICON_ISA_NONE, GN_LEXICON_ISA_SSE2, GN_LEXICON_ISA_AVX512 };
void gn_lexicon_set_isa(gn_lexicon *lexicon, int isa);

#endif
