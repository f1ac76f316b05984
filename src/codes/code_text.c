/* The text form of an authenticity code: what is printed on the unit, typed
 * by a shopper and read back. Crockford's base 32 leaves out the letters
 * people misread (I, L, O, U) and reading maps the look-alikes back; the
 * check character (Luhn mod 32) catches every single mistyped character and
 * most swaps of two neighbours, so a typo is told from a code never issued. */
#include <string.h>

#include "codes/codes.h"
#include "core/error.h"

static const char alphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The value of a character as a shopper may type it, or -1. */
static int char_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
    if (c == 'O') return 0;
    if (c == 'I' || c == 'L') return 1;
    const char *at = c ? strchr(alphabet, c) : NULL;
    return at ? (int)(at - alphabet) : -1;
}

/* Luhn mod 32 over values, from the right; with_check: the last value is the
 * check character already (validation), else the sum for making one. */
static unsigned luhn_sum(const int *values, int n, int with_check)
{
    unsigned sum = 0, factor = with_check ? 1 : 2;
    for (int i = n - 1; i >= 0; i--) {
        unsigned addend = factor * (unsigned)values[i];
        factor = factor == 2 ? 1 : 2;
        sum += addend / 32 + addend % 32;
    }
    return sum % 32;
}

__extension__ typedef unsigned __int128 u128;

void gn_code_format(const gn_code *code, char out[GN_CODE_TEXT_MAX])
{
    /* the 96 bits as one big-endian number, read five at a time from the top */
    u128 n = 0;
    for (int i = 0; i < GN_CODE_BYTES; i++)
        n = n << 8 | code->bits[i];
    int values[GN_CODE_CHARS];
    for (int i = 0; i < GN_CODE_CHARS - 1; i++)
        values[i] = (int)(n >> (91 - 5 * i)) & 31;
    values[GN_CODE_CHARS - 1] = (int)((32 - luhn_sum(values, GN_CODE_CHARS - 1, 0)) % 32);
    int k = 0;
    for (int i = 0; i < GN_CODE_CHARS; i++) {
        if (i && i % 5 == 0) out[k++] = '-';
        out[k++] = alphabet[values[i]];
    }
    out[k] = 0;
}

gn_code_read gn_code_parse(const char *text, size_t n, gn_code *out, gn_error *err)
{
    int values[GN_CODE_CHARS], count = 0;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && text[i]; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == '-' || c == ' ' || c == '\t') continue;
        int v = char_value(c);
        if (v < 0) {
            if (c >= 0x20 && c < 0x7f)
                gn_fail(err, GN_EINPUT,
                        "field 'code': '%c' is not a character of a code (digits and letters "
                        "but I, L, O, U)",
                        c);
            else
                gn_fail(err, GN_EINPUT,
                        "field 'code': byte 0x%02x is not a character of a code (digits and "
                        "letters but I, L, O, U)",
                        c);
            return GN_CODE_MALFORMED;
        }
        if (count == GN_CODE_CHARS) {
            gn_fail(err, GN_EINPUT, "field 'code': longer than a code's %d characters",
                    GN_CODE_CHARS);
            return GN_CODE_MALFORMED;
        }
        values[count++] = v;
    }
    if (count < GN_CODE_CHARS) {
        gn_fail(err, GN_EINPUT, "field 'code': %d characters, a code has %d", count, GN_CODE_CHARS);
        return GN_CODE_MALFORMED;
    }
    for (int i = 0; i < GN_CODE_CHARS - 1; i++)
        for (int b = 0; b < 5; b++)
            if (values[i] >> (4 - b) & 1) {
                int j = i * 5 + b;
                out->bits[j / 8] |= (uint8_t)(1u << (7 - j % 8));
            }
    if (luhn_sum(values, GN_CODE_CHARS, 1) != 0) {
        gn_fail(err, GN_EINPUT,
                "field 'code': its last character does not match the others: a typo?");
        return GN_CODE_TYPO;
    }
    return GN_CODE_OK;
}
