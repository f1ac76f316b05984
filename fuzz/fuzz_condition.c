/* libFuzzer target for reading a listing's condition from its words: any
 * bytes, split at the first NUL into a title and a description, read with
 * the shipped word list; never a crash, and the fast reader of plain ASCII
 * agrees with the byte-by-byte one (the same text with a trailing "é", which
 * adds no phrase, takes the second). The bytes are also compiled as a word
 * list of their own: accepted or refused with a message, never a crash. */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "detect/condition.h"

static gn_condition_words *words;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gn_error err;
    if (!words && gn_condition_words_default(&words, &err)) abort();
    const char *text = (const char *)data;
    const uint8_t *nul = memchr(data, 0, size);
    size_t title_len = nul ? (size_t)(nul - data) : size;
    const char *desc = nul ? text + title_len + 1 : NULL;
    size_t desc_len = nul ? size - title_len - 1 : 0;
    gn_condition c = gn_condition_read(words, text, title_len, desc, desc_len);
    assert(c >= GN_CONDITION_UNKNOWN && c < GN_CONDITION_COUNT);
    if (!nul) {
        char *other = malloc(size + 3);
        memcpy(other, data, size);
        memcpy(other + size, " \xc3\xa9", 3);
        int ascii = 1;
        for (size_t i = 0; i < size; i++)
            ascii &= data[i] < 0x80;
        /* Only a plain ASCII text reads differently by the two readers. */
        if (ascii) assert(gn_condition_read(words, other, size + 3, NULL, 0) == c);
        free(other);
    }
    char *list = malloc(size + 1);
    memcpy(list, data, size);
    list[size] = 0;
    gn_condition_words *mine;
    if (gn_condition_words_new(&mine, list, "fuzz", &err) == 0) {
        gn_condition_read(mine, text, title_len, desc, desc_len);
        gn_condition_words_free(mine);
    }
    free(list);
    return 0;
}
