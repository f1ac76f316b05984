/* Hexadecimal digits eight at a time: PDQ hashes are 64 of them, and every
 * photo of every listing is checked when its event is validated, then
 * parsed, so both read them a word at a time instead of a byte. */
#ifndef GN_CORE_HEX_H
#define GN_CORE_HEX_H

#include <stdint.h>
#include <string.h>

/* text[0..8) as 32 bits, the first digit highest; -1 when a byte is not a
 * hex digit. A byte below 0x80 plus at most 0x50 carries into no
 * neighbour, so the high bit of each sum says whether the byte reached the
 * bound; a digit's value is its low nibble, plus 9 for a letter (bit 6). */
static inline int64_t gn_hex8(const char *text)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = ones * 0x80;
    uint64_t w;
    memcpy(&w, text, 8);
    uint64_t lower = w | ones * 0x20;
    uint64_t digit = (w + ones * (0x80 - '0')) & ~(w + ones * (0x80 - '9' - 1));
    uint64_t letter = (lower + ones * (0x80 - 'a')) & ~(lower + ones * (0x80 - 'f' - 1));
    if ((w & highs) || ((digit | letter) & highs) != highs) return -1;
    uint64_t v = (w & ones * 0x0F) + ((w >> 6) & ones) * 9;
    v = __builtin_bswap64(v); /* the first digit in the top byte */
    v = (v | v >> 4) & 0x00FF00FF00FF00FFULL;
    v = (v | v >> 8) & 0x0000FFFF0000FFFFULL;
    return (int64_t)((v | v >> 16) & 0xFFFFFFFFULL);
}

#endif
