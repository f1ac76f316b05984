/* The case file as a readable HTML report: rendered from the JSON bundle
 * (gn_case_json), so the two always agree. One self-contained page — inline
 * style, no scripts, no outside resources, a Content-Security-Policy that
 * forbids them — with every piece of text escaped: titles and ids come from
 * sellers and must not be able to run anything in a reader's browser. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/error.h"
#include "core/json.h"
#include "report/report.h"

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:72em;color:#222}"
    "h1{font-size:1.6em}h2{margin-top:2em;border-bottom:1px solid #ccc}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0}"
    "th,td{border:1px solid #ddd;padding:.25em .5em;text-align:left;vertical-align:top}"
    "th{background:#f4f4f4}.summary td:first-child{font-weight:bold;width:14em}"
    ".mono{font-family:ui-monospace,monospace;font-size:12px;word-break:break-all}"
    ".removed,.banned{color:#a00;font-weight:bold}ul{margin:0;padding-left:1.2em}";

/* Text into HTML: the five characters that can change its meaning escaped. */
static void text(FILE *out, const char *s)
{
    for (; s && *s; s++)
        switch (*s) {
        case '&':
            fputs("&amp;", out);
            break;
        case '<':
            fputs("&lt;", out);
            break;
        case '>':
            fputs("&gt;", out);
            break;
        case '"':
            fputs("&quot;", out);
            break;
        case '\'':
            fputs("&#39;", out);
            break;
        default:
            fputc(*s, out);
        }
}

static const char *get(const gn_json *o, const char *key)
{
    const char *s = gn_json_string(gn_json_get(o, key), NULL);
    return s ? s : "";
}

/* One table cell with a member's text (a string, a number or a boolean). */
static void cell(FILE *out, const gn_json *o, const char *key, const char *cls)
{
    const gn_json *v = gn_json_get(o, key);
    if (cls)
        fprintf(out, "<td class=\"%s\">", cls);
    else
        fputs("<td>", out);
    switch (gn_json_typeof(v)) {
    case GN_JSON_STRING:
        text(out, gn_json_string(v, NULL));
        break;
    case GN_JSON_NUMBER:
        fprintf(out, "%.15g", gn_json_number(v));
        break;
    case GN_JSON_TRUE:
        fputs("yes", out);
        break;
    case GN_JSON_FALSE:
        fputs("no", out);
        break;
    default:
        break;
    }
    fputs("</td>", out);
}

static void header(FILE *out, const char *title, const char *const *columns)
{
    fputs("<h2>", out);
    text(out, title);
    fputs("</h2>\n<table><tr>", out);
    for (int i = 0; columns[i]; i++)
        fprintf(out, "<th>%s</th>", columns[i]);
    fputs("</tr>\n", out);
}

/* A plain table: one row per item of the array, one cell per key. */
static void table(FILE *out, const char *title, const gn_json *items, const char *const *keys,
                  const char *const *columns)
{
    header(out, title, columns);
    for (size_t i = 0; i < gn_json_size(items); i++) {
        fputs("<tr>", out);
        for (int k = 0; keys[k]; k++)
            cell(out, gn_json_at(items, i), keys[k],
                 strcmp(keys[k], "sha256") == 0 || strcmp(keys[k], "pdq") == 0 ? "mono" : NULL);
        fputs("</tr>\n", out);
    }
    if (!gn_json_size(items)) fputs("<tr><td colspan=\"20\">none</td></tr>\n", out);
    fputs("</table>\n", out);
}

static void origin(FILE *out, const gn_json *o)
{
    text(out, get(o, "country"));
    if (*get(o, "city")) {
        fputs(", ", out);
        text(out, get(o, "city"));
    }
    if (*get(o, "facility")) {
        fputs(" (", out);
        text(out, get(o, "facility"));
        fputs(")", out);
    }
}

static void summary(FILE *out, const gn_json *root)
{
    const gn_json *s = gn_json_get(root, "summary"), *l = gn_json_get(s, "listings");
    fputs("<h2>Summary</h2>\n<table class=\"summary\">\n", out);
    fprintf(out, "<tr><td>Accounts</td><td>%.0f linked account(s), %.0f banned</td></tr>\n",
            gn_json_number(gn_json_get(s, "accounts")), gn_json_number(gn_json_get(s, "banned")));
    fprintf(out,
            "<tr><td>Listings</td><td>%.0f: %.0f removed as counterfeit, %.0f blocked, "
            "%.0f held, %.0f under notice, %.0f live</td></tr>\n",
            gn_json_number(gn_json_get(l, "total")), gn_json_number(gn_json_get(l, "removed")),
            gn_json_number(gn_json_get(l, "blocked")), gn_json_number(gn_json_get(l, "held")),
            gn_json_number(gn_json_get(l, "noticed")), gn_json_number(gn_json_get(l, "live")));
    fprintf(out, "<tr><td>Orders</td><td>%.0f from %.0f buyer(s)</td></tr>\n",
            gn_json_number(gn_json_get(s, "orders")), gn_json_number(gn_json_get(s, "buyers")));
    fputs("<tr><td>Money taken</td><td>", out);
    const gn_json *money = gn_json_get(s, "money_taken");
    for (size_t i = 0; i < gn_json_size(money); i++) {
        const gn_json *m = gn_json_at(money, i);
        fprintf(out, "%s%.2f ", i ? "; " : "", gn_json_number(gn_json_get(m, "amount")));
        text(out, get(m, "currency"));
        if (gn_json_get(m, "usd"))
            fprintf(out, " (about %.2f USD)", gn_json_number(gn_json_get(m, "usd")));
        fprintf(out, " in %.0f order(s), %.2f of it on listings taken down",
                gn_json_number(gn_json_get(m, "orders")),
                gn_json_number(gn_json_get(m, "on_removed_listings")));
    }
    if (!gn_json_size(money)) fputs("no orders", out);
    fputs("</td></tr>\n<tr><td>Goods ship from</td><td>", out);
    const gn_json *from = gn_json_get(s, "ship_from");
    for (size_t i = 0; i < gn_json_size(from); i++) {
        fputs(i ? "; " : "", out);
        origin(out, gn_json_at(from, i));
        fprintf(out, ": %.0f shipment(s)",
                gn_json_number(gn_json_get(gn_json_at(from, i), "shipments")));
    }
    if (!gn_json_size(from)) fputs("no shipments recorded", out);
    fputs("</td></tr>\n</table>\n", out);
}

static void links(FILE *out, const gn_json *items)
{
    static const char *const columns[] = {"Accounts", "What they share", NULL};
    header(out, "Links between the accounts", columns);
    for (size_t i = 0; i < gn_json_size(items); i++) {
        const gn_json *link = gn_json_at(items, i), *pair = gn_json_get(link, "sellers");
        fputs("<tr><td>", out);
        text(out, gn_json_string(gn_json_at(pair, 0), NULL));
        fputs(" &mdash; ", out);
        text(out, gn_json_string(gn_json_at(pair, 1), NULL));
        fputs("</td><td>", out);
        const gn_json *shares = gn_json_get(link, "shares");
        for (size_t k = 0; k < gn_json_size(shares); k++) {
            fputs(k ? ", " : "", out);
            text(out, gn_json_string(gn_json_at(shares, k), NULL));
        }
        fputs("</td></tr>\n", out);
    }
    if (!gn_json_size(items)) fputs("<tr><td colspan=\"2\">none</td></tr>\n", out);
    fputs("</table>\n<p>The values shared (devices, networks, accounts...) are not part of the "
          "case file, only their kinds.</p>\n",
          out);
}

static void listings(FILE *out, const gn_json *items)
{
    static const char *const columns[] = {"Listing", "Seller",    "Title", "Price",
                                          "Status",  "Decisions", NULL};
    header(out, "Listings", columns);
    for (size_t i = 0; i < gn_json_size(items); i++) {
        const gn_json *l = gn_json_at(items, i);
        fputs("<tr>", out);
        cell(out, l, "listing", NULL);
        cell(out, l, "seller", NULL);
        cell(out, l, "title", NULL);
        fprintf(out, "<td>%.2f ", gn_json_number(gn_json_get(l, "price")));
        text(out, get(l, "currency"));
        fputs("</td>", out);
        cell(out, l, "status", strcmp(get(l, "status"), "removed") == 0 ? "removed" : NULL);
        fputs("<td><ul>", out);
        const gn_json *history = gn_json_get(gn_json_get(l, "decisions"), "history");
        for (size_t k = 0; k < gn_json_size(history); k++) {
            const gn_json *d = gn_json_at(history, k);
            fputs("<li>", out);
            text(out, get(d, "at"));
            fputs(": ", out);
            text(out, get(d, "action"));
            const gn_json *reasons = gn_json_get(d, "reasons");
            for (size_t r = 0; r < gn_json_size(reasons) && r < 3; r++) {
                fputs(r ? ", " : " (", out);
                text(out, get(gn_json_at(reasons, r), "code"));
            }
            if (gn_json_size(reasons)) fputs(")", out);
            if (*get(d, "actor")) {
                fputs(" by ", out);
                text(out, get(d, "actor"));
            }
            fputs("</li>", out);
        }
        const gn_json *codes = gn_json_get(l, "codes"); /* docs/codes.md */
        if (codes)
            fprintf(out,
                    "<li>authenticity codes: %.0f unit(s) with a cloned code, %.0f with another "
                    "product's, %.0f order(s) shipped without one</li>",
                    gn_json_number(gn_json_get(codes, "cloned_units")),
                    gn_json_number(gn_json_get(codes, "other_product_units")),
                    gn_json_number(gn_json_get(codes, "orders_without_code")));
        fputs("</ul></td></tr>\n", out);
    }
    if (!gn_json_size(items)) fputs("<tr><td colspan=\"6\">none</td></tr>\n", out);
    fputs("</table>\n", out);
}

static void orders(FILE *out, const gn_json *items)
{
    static const char *const columns[] = {"Order",    "Listing", "Buyer",        "Paid", "Quantity",
                                          "Ships to", "Ordered", "Shipped from", NULL};
    header(out, "Orders", columns);
    for (size_t i = 0; i < gn_json_size(items); i++) {
        const gn_json *o = gn_json_at(items, i);
        fputs("<tr>", out);
        cell(out, o, "order", NULL);
        cell(out, o, "listing", NULL);
        cell(out, o, "buyer", NULL);
        fprintf(out, "<td>%.2f ", gn_json_number(gn_json_get(o, "price")));
        text(out, get(o, "currency"));
        fputs("</td>", out);
        cell(out, o, "quantity", NULL);
        cell(out, o, "ship_to", NULL);
        cell(out, o, "at", NULL);
        fputs("<td>", out);
        const gn_json *shipments = gn_json_get(o, "shipments");
        for (size_t k = 0; k < gn_json_size(shipments); k++) {
            fputs(k ? "; " : "", out);
            origin(out, gn_json_at(shipments, k));
        }
        fputs("</td></tr>\n", out);
    }
    if (!gn_json_size(items)) fputs("<tr><td colspan=\"8\">none</td></tr>\n", out);
    fputs("</table>\n", out);
}

static void render(FILE *out, const gn_json *root)
{
    const gn_json *c = gn_json_get(root, "case");
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'\">\n<title>Case file: ",
          out);
    text(out, get(c, "seller"));
    fprintf(out, "</title>\n<style>%s</style></head>\n<body>\n<h1>Case file: ", style);
    text(out, get(c, "seller"));
    fputs(" and linked accounts</h1>\n<p>Events up to ", out);
    text(out, get(c, "as_of"));
    fputs("; generated ", out);
    text(out, get(c, "generated_at"));
    fputs(" by genuine. The JSON bundle beside this page holds the same case with every "
          "event's full text.</p>\n",
          out);
    summary(out, root);

    static const char *const seller_keys[] = {"seller",  "since",       "verification", "status",
                                              "strikes", "enforcement", "listings",     NULL};
    static const char *const seller_cols[] = {"Account", "Since",       "Verification", "Status",
                                              "Strikes", "Enforcement", "Listings",     NULL};
    table(out, "Accounts", gn_json_get(root, "sellers"), seller_keys, seller_cols);
    links(out, gn_json_get(root, "links"));
    listings(out, gn_json_get(root, "listings"));
    orders(out, gn_json_get(root, "orders"));

    static const char *const origin_keys[] = {"country", "city", "facility", "shipments", NULL};
    static const char *const origin_cols[] = {"Country", "City", "Facility", "Shipments", NULL};
    table(out, "Where the goods ship from", gn_json_get(root, "shipment_origins"), origin_keys,
          origin_cols);

    static const char *const complaint_keys[] = {"complaint", "at",        "rights_holder",
                                                 "right",     "statement", NULL};
    static const char *const complaint_cols[] = {"Complaint", "Filed",     "Rights holder",
                                                 "Right",     "Statement", NULL};
    table(out, "Complaints by rights holders", gn_json_get(root, "complaints"), complaint_keys,
          complaint_cols);
    static const char *const counter_keys[] = {"complaint", "listing",   "seller",
                                               "at",        "statement", NULL};
    static const char *const counter_cols[] = {"Complaint", "Listing",   "Seller",
                                               "At",        "Statement", NULL};
    table(out, "Counter-notices by the sellers", gn_json_get(root, "counter_notices"), counter_keys,
          counter_cols);
    static const char *const report_keys[] = {"report", "listing", "reporter",
                                              "reason", "at",      NULL};
    static const char *const report_cols[] = {"Report", "Listing", "Reporter",
                                              "Reason", "At",      NULL};
    table(out, "Reports by shoppers", gn_json_get(root, "reports"), report_keys, report_cols);
    static const char *const history_keys[] = {"at",    "record", "record_id", "change",
                                               "actor", "detail", "automated", NULL};
    static const char *const history_cols[] = {"At", "Record", "Id",        "Change",
                                               "By", "Detail", "Automated", NULL};
    table(out, "Complaint, notice and account history", gn_json_get(root, "history"), history_keys,
          history_cols);

    const gn_json *evidence = gn_json_get(root, "evidence");
    static const char *const event_keys[] = {"seq", "event", "type", "at", "sha256", NULL};
    static const char *const event_cols[] = {"Log position", "Event",   "Type",
                                             "At",           "SHA-256", NULL};
    table(out, "Evidence: events", gn_json_get(evidence, "events"), event_keys, event_cols);
    fputs("<p>Each hash is the SHA-256 of the event's text exactly as genuine stored it (the "
          "<code>body</code> of the event in the JSON bundle); docs/cases.md says how to check "
          "them.</p>\n",
          out);
    static const char *const photo_keys[] = {"listing", "pdq", "source", NULL};
    static const char *const photo_cols[] = {"Listing", "PDQ hash", "Source", NULL};
    table(out, "Evidence: photos", gn_json_get(evidence, "photos"), photo_keys, photo_cols);
    fputs("</body></html>\n", out);
}

int gn_case_html_from_json(const char *case_json, FILE *out, gn_error *err)
{
    gn_json_doc doc;
    gn_json_doc_init(&doc);
    const gn_json *root = gn_json_parse(&doc, case_json, strlen(case_json), err);
    if (root) render(out, root);
    gn_json_doc_free(&doc);
    if (!root) return err->code;
    if (fflush(out) != 0 || ferror(out))
        return gn_fail(err, GN_ESTORE, "writing the case report failed");
    return 0;
}

int gn_report_case_html(const gn_report_src *src, const char *seller, FILE *out, gn_error *err)
{
    char *json = gn_report_case_json(src, seller, err);
    if (!json) return err->code;
    int rc = gn_case_html_from_json(json, out, err);
    free(json);
    return rc;
}
