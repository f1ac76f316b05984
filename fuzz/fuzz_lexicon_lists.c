/* libFuzzer target for the lexicon's word lists (config/lexicon/lingo.txt and
 * common.txt, which a platform may replace): any bytes, split at the first NUL
 * into a lingo list and a common-word list, are accepted or refused with a
 * message naming the line, never a crash; an accepted lexicon scans its own
 * bytes as a listing's text, and every lingo it reports is a text of its own. */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0; /* a list, not a corpus: keeps each run short */
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    size_t first = strlen(text);
    gn_lexicon_lists lists = {text, "fuzz/lingo.txt", first < size ? text + first + 1 : NULL,
                              "fuzz/common.txt"};
    gn_lexicon *lx;
    gn_error err;
    int rc = gn_lexicon_open(&lx, NULL, &lists, &err);
    if (rc) {
        assert(rc == GN_ECONFIG || rc == GN_ENOMEM);
        assert(strncmp(err.message, "fuzz/", 5) == 0);
    } else {
        gn_text_findings f;
        if (gn_lexicon_add_name(lx, 0, "Gucci", &err) || gn_lexicon_prepare(lx, &err)) {
            fprintf(stderr, "accepted list failed: %s\n", err.message);
            abort();
        }
        f.n_lingo = 0;
        /* Hyperscan 5.4.0 fails a scan (HS_UNKNOWN_ERROR) for some pairs of
         * long literals, such as "ab " and "ab" each followed by 35 x's (a
         * lingo term of two words is compiled with and without its space);
         * the scan then says so, which is all asked of it here. */
        if (gn_lexicon_scan(lx, text, first, NULL, 0, &f, &err))
            assert(strstr(err.message, "Hyperscan scan failed"));
        for (int i = 0; i < f.n_lingo; i++)
            assert(f.lingo[i][0] && strstr(text, f.lingo[i])); /* a report of this list */
        gn_lexicon_free(lx);
    }
    free(text);
    return 0;
}
