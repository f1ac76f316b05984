/* Buyer remediation: every order on a listing confirmed counterfeit (taken
 * down: status removed), with what the buyer paid, to refund or notify them.
 * All of it is in the store, so a read-only engine serves it; one pass over
 * the log (store op each_removed_order) whatever its size. */
#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/error.h"
#include "core/strmap.h"
#include "report/report.h"

static const char *const columns[] = {"listing",    "seller",     "order",    "buyer",
                                      "price",      "currency",   "quantity", "ship_to",
                                      "ordered_at", "removed_at", "reason"};
#define N_COLUMNS (sizeof columns / sizeof *columns)

typedef struct writer {
    FILE *out;
    int csv;
    gn_buf line;
    gn_strmap orders; /* order ids written: an order sent twice is refunded once */
    size_t rows;
} writer;

/* A number as the event gave it; anything else (never from a valid event)
 * is written as a string rather than break the line's JSON. */
static void put_number(gn_buf *b, const char *text)
{
    size_t n = strlen(text);
    if (n && strspn(text, "0123456789+-.eE") == n && strchr("-0123456789", text[0]))
        gn_buf_puts(b, text);
    else
        gn_buf_json_string(b, text);
}

static int write_row(void *ctx, const gn_remediation_row *r)
{
    writer *w = ctx;
    int added;
    gn_strmap_put(&w->orders, r->order, &added, NULL);
    if (!added) return 0;
    const char *fields[N_COLUMNS] = {r->listing,    r->seller,     r->order,    r->buyer,
                                     r->price,      r->currency,   r->quantity, r->ship_to,
                                     r->ordered_at, r->removed_at, r->reason};
    gn_buf *b = &w->line;
    gn_buf_reset(b);
    for (size_t i = 0; i < N_COLUMNS; i++) {
        if (w->csv) {
            if (i) gn_buf_puts(b, ",");
            gn_csv_put_field(b, fields[i]);
            continue;
        }
        gn_buf_printf(b, "%s\"%s\":", i ? "," : "{", columns[i]);
        if (i == 4 || i == 6)
            put_number(b, fields[i]);
        else if (!fields[i])
            gn_buf_puts(b, "null");
        else
            gn_buf_json_string(b, fields[i]);
    }
    gn_buf_puts(b, w->csv ? "\r\n" : "}\n");
    w->rows++;
    return fwrite(b->data, 1, b->len, w->out) == b->len ? 0 : GN_ESTORE;
}

int gn_report_remediation(const gn_report_src *src, FILE *out, int csv, gn_error *err)
{
    writer w = {.out = out, .csv = csv};
    if (csv) {
        for (size_t i = 0; i < N_COLUMNS; i++)
            fprintf(out, "%s%s", i ? "," : "", columns[i]);
        fputs("\r\n", out);
    }
    int rc = src->store->query->each_removed_order(src->store, write_row, &w, err);
    gn_buf_free(&w.line);
    gn_strmap_free(&w.orders);
    if (!rc && fflush(out) != 0) rc = GN_ESTORE;
    if (rc == GN_ESTORE && ferror(out))
        return gn_fail(err, GN_ESTORE, "writing the remediation list failed");
    return rc;
}
