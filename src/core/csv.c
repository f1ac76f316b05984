/* CSV fields safe to open in a spreadsheet, and log values kept on their
 * line (csv.h). Both carry values from outside (a buyer id, a rejected
 * event's text), so neither may become a formula or a second line. */
#include "core/csv.h"

#include <string.h>

/* A JSON number's text: -?digits[.digits][e[+-]digits]. */
static int is_number(const char *t)
{
    if (*t == '-') t++;
    size_t n = strspn(t, "0123456789");
    if (!n) return 0;
    t += n;
    if (*t == '.') {
        if (!(n = strspn(++t, "0123456789"))) return 0;
        t += n;
    }
    if (*t == 'e' || *t == 'E') {
        if (*++t == '+' || *t == '-') t++;
        if (!(n = strspn(t, "0123456789"))) return 0;
        t += n;
    }
    return !*t;
}

void gn_csv_put_field(gn_buf *b, const char *text)
{
    if (!text) return;
    /* OWASP's advice on CSV injection: a leading apostrophe. A price of
     * "-5" stays a number. */
    int formula = *text && strchr("=+-@\t\r", *text) && !is_number(text);
    int quoted = text[strcspn(text, ",\"\r\n")] != 0;
    if (quoted) gn_buf_puts(b, "\"");
    if (formula) gn_buf_puts(b, "'");
    if (!quoted) {
        gn_buf_puts(b, text);
        return;
    }
    for (const char *p = text; *p; p++) {
        const char *q = strchr(p, '"');
        size_t n = q ? (size_t)(q - p) : strlen(p);
        gn_buf_append(b, p, n);
        if (!q) break;
        gn_buf_puts(b, "\"\"");
        p = q;
    }
    gn_buf_puts(b, "\"");
}

void gn_put_escaped(FILE *out, const char *text)
{
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        if (*p == '\n')
            fputs("\\n", out);
        else if (*p == '\r')
            fputs("\\r", out);
        else if (*p == '\t')
            fputs("\\t", out);
        else if (*p == '\\')
            fputs("\\\\", out);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(out, "\\x%02x", *p);
        else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) /* C1: NEL, CSI, ... */
            fprintf(out, "\\u%04x", p[1]), p++;
        else if (p[0] == 0xe2 && ((p[1] == 0x80 && p[2] >= 0xa8 && p[2] <= 0xae) ||
                                  (p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9)))
            /* U+2028/2029 end a line; U+202A-202E and U+2066-2069 reorder it */
            fprintf(out, "\\u%04x", 0x2000 | (p[1] & 0x3f) << 6 | (p[2] & 0x3f)), p += 2;
        else
            fputc(*p, out);
    }
}
