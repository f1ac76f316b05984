/* Statements of reasons (EU DSA Art. 17): one per restrictive decision — a
 * listing blocked or taken down, a seller suspended, closed or banned — with
 * the fields of the DSA Transparency Database, derived from the decision's
 * first reason code and who took it (docs/transparency.md has the table). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/clock.h"
#include "core/error.h"
#include "core/json.h"
#include "report/report.h"

/* The Transparency Database's limits on its free-text fields, in characters. */
#define FACTS_MAX 5000
#define EXPLANATION_MAX 2000
#define GROUND_MAX 500

/* Where the restriction applies: genuine takes a listing off the whole
 * marketplace, so every country of the EEA, where the DSA applies. */
static const char *const eea[] = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI",
                                  "FR", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
                                  "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK"};

static const char ground_notice[] =
    "Intellectual property law: the listing infringes an intellectual property right "
    "(trademark, copyright, design or patent) of the rights holder who filed the notice";
static const char ground_counterfeit[] =
    "Intellectual property law: the sale of counterfeit goods infringes the brand owner's "
    "trademark rights (Regulation (EU) 2017/1001 Art. 9 and the national trademark laws)";
static const char ground_terms_listing[] =
    "Terms of service: listings likely to offer counterfeit goods are not published";
static const char ground_terms_seller[] =
    "Terms of service: the listings of a suspended or banned seller are not published";
static const char ground_terms_account[] =
    "Terms of service: sellers who repeatedly offer counterfeit goods, or evade a ban, lose "
    "their shop (measures against misuse, DSA Art. 23)";

/* How a listing decision reads as a statement, by its first reason code. */
typedef struct sor_rule {
    const char *code;       /* NULL: the default (engine, or another actor) */
    const char *visibility; /* DECISION_VISIBILITY_* */
    int illegal;            /* 1: DECISION_GROUND_ILLEGAL_CONTENT; 0: incompatible content */
    const char *ground;     /* the legal or contractual ground */
    const char *source;     /* SOURCE_* */
    const char *decision;   /* AUTOMATED_DECISION_* */
    int by_engine;          /* genuine's own checks decided: detection is automated */
} sor_rule;

static const sor_rule rules[] = {
    {"COMPLAINT_TRUSTED_FLAGGER", "DECISION_VISIBILITY_CONTENT_REMOVED", 1, ground_notice,
     "SOURCE_TRUSTED_FLAGGER", "AUTOMATED_DECISION_FULLY", 0},
    {"COMPLAINT_UNANSWERED", "DECISION_VISIBILITY_CONTENT_REMOVED", 1, ground_notice,
     "SOURCE_ARTICLE_16", "AUTOMATED_DECISION_FULLY", 0},
    {"COMPLAINT_UPHELD", "DECISION_VISIBILITY_CONTENT_REMOVED", 1, ground_notice,
     "SOURCE_ARTICLE_16", "AUTOMATED_DECISION_NOT_AUTOMATED", 0},
    {"REPORT_UPHELD", "DECISION_VISIBILITY_CONTENT_REMOVED", 1, ground_counterfeit,
     "SOURCE_ARTICLE_16", "AUTOMATED_DECISION_NOT_AUTOMATED", 0},
    {"VERDICT_COUNTERFEIT", "DECISION_VISIBILITY_CONTENT_REMOVED", 1, ground_counterfeit,
     "SOURCE_VOLUNTARY", "AUTOMATED_DECISION_NOT_AUTOMATED", 0},
    {"SELLER_SUSPENDED", "DECISION_VISIBILITY_CONTENT_DISABLED", 0, ground_terms_seller,
     "SOURCE_VOLUNTARY", "AUTOMATED_DECISION_FULLY", 1},
    {"SELLER_BANNED", "DECISION_VISIBILITY_CONTENT_DISABLED", 0, ground_terms_seller,
     "SOURCE_VOLUNTARY", "AUTOMATED_DECISION_FULLY", 1},
};
static const sor_rule engine_rule = {NULL,
                                     "DECISION_VISIBILITY_CONTENT_DISABLED",
                                     0,
                                     ground_terms_listing,
                                     "SOURCE_VOLUNTARY",
                                     "AUTOMATED_DECISION_FULLY",
                                     1};
static const sor_rule workflow_rule = {NULL,
                                       "DECISION_VISIBILITY_CONTENT_REMOVED",
                                       0,
                                       ground_terms_listing,
                                       "SOURCE_VOLUNTARY",
                                       "AUTOMATED_DECISION_NOT_AUTOMATED",
                                       0};
static const sor_rule machine_rule = {NULL,
                                      "DECISION_VISIBILITY_CONTENT_REMOVED",
                                      0,
                                      ground_terms_listing,
                                      "SOURCE_VOLUNTARY",
                                      "AUTOMATED_DECISION_FULLY",
                                      0};

/* Actors that are genuine itself rather than a person. */
static int machine_actor(const char *actor)
{
    return !actor || strcmp(actor, "genuine") == 0 || strcmp(actor, "deadline") == 0 ||
           strcmp(actor, "enforcement") == 0;
}

static const sor_rule *rule_for(const char *code, const char *actor)
{
    for (size_t i = 0; code && i < sizeof rules / sizeof *rules; i++)
        if (strcmp(code, rules[i].code) == 0) return &rules[i];
    if (!actor || strcmp(actor, "genuine") == 0) return &engine_rule;
    return machine_actor(actor) ? &machine_rule : &workflow_rule;
}

int gn_change_automated(const char *code, const char *actor)
{
    /* Holds that follow a notice or a trusted shopper's report at once, with
     * no one at the platform deciding (they restrict nothing for good). */
    if (code &&
        (strcmp(code, "COMPLAINT_NOTICE") == 0 || strcmp(code, "REPORT_TRUSTED_REPORTER") == 0))
        return 1;
    const sor_rule *r = rule_for(code, actor);
    return strcmp(r->decision, "AUTOMATED_DECISION_NOT_AUTOMATED") != 0;
}

/* "2026-11-22" from an RFC 3339 time, in UTC. */
static void utc_date(const char *at, char out[11])
{
    int64_t ms;
    char full[32];
    if (at && gn_time_parse(at, &ms) == 0) {
        gn_time_format(ms, full, sizeof full);
        at = full;
    }
    snprintf(out, 11, "%s", at ? at : "");
}

/* Appends text as a JSON string cut to at most max bytes (so at most max
 * characters), never inside a UTF-8 sequence. */
static void put_limited(gn_buf *b, const char *text, size_t max)
{
    size_t n = strlen(text);
    if (n <= max) {
        gn_buf_json_string(b, text);
        return;
    }
    while (max > 0 && ((unsigned char)text[max] & 0xC0) == 0x80)
        max--;
    char *cut = gn_xstrndup(text, max);
    gn_buf_json_string(b, cut);
    free(cut);
}

static void put_key(gn_buf *b, const char *key)
{
    gn_buf_printf(b, ",\"%s\":", key);
}

static void put_str(gn_buf *b, const char *key, const char *value)
{
    put_key(b, key);
    if (value)
        gn_buf_json_string(b, value);
    else
        gn_buf_puts(b, "null");
}

static void put_date(gn_buf *b, const char *key, const char *at)
{
    char date[11];
    if (!at) {
        put_str(b, key, NULL);
        return;
    }
    utc_date(at, date);
    put_str(b, key, date);
}

typedef struct sor_writer {
    FILE *out;
    gn_buf line, facts;
    gn_json_doc doc;
} sor_writer;

/* The facts and circumstances: each reason's sentence and code, from the
 * reasons parsed into w->doc. */
static const char *listing_facts(sor_writer *w, const gn_change *c, const sor_rule *r,
                                 const gn_json *reasons)
{
    gn_buf *f = &w->facts;
    gn_buf_reset(f);
    if (r->by_engine)
        gn_buf_printf(f, "Listing %s was blocked by genuine's automated checks: ", c->record_id);
    for (size_t i = 0; i < gn_json_size(reasons); i++) {
        const gn_json *reason = gn_json_at(reasons, i);
        const char *code = gn_json_str(reason, "code");
        const char *detail = gn_json_str(reason, "detail");
        gn_buf_printf(f, "%s%s [%s]", i ? "; " : "", detail ? detail : "", code ? code : "");
    }
    if (gn_json_size(reasons) == 0) gn_buf_printf(f, "listing %s restricted", c->record_id);
    gn_buf_puts(f, ".");
    return f->data;
}

static void put_common_tail(gn_buf *b, const gn_change *c, const char *target)
{
    put_str(b, "category", "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS");
    gn_buf_puts(b, ",\"category_specification\":[\"KEYWORD_TRADEMARK_INFRINGEMENT\"]");
    gn_buf_puts(b, ",\"territorial_scope\":[");
    for (size_t i = 0; i < sizeof eea / sizeof *eea; i++)
        gn_buf_printf(b, "%s\"%s\"", i ? "," : "", eea[i]);
    gn_buf_puts(b, "]");
    put_date(b, "application_date", c->at);
    put_str(b, "decided_at", c->at);
    /* Where the person affected can turn (DSA Art. 17(3)(f), 20, 21). */
    gn_buf_puts(b, ",\"redress\":{\"internal_complaint\":");
    char how[512];
    snprintf(how, sizeof how,
             "an appeal (event type \"appeal\", target \"%s\") for at least six months after "
             "the decision; a reviewer other than the one who decided answers it (DSA Art. 20)",
             target);
    gn_buf_json_string(b, how);
    gn_buf_puts(b, ",\"out_of_court_settlement\":\"a dispute settlement body certified under "
                   "DSA Art. 21\",\"judicial_redress\":\"the competent courts; neither of the "
                   "above takes this right away\"}");
    put_str(b, "decided_by", c->actor);
    put_str(b, "event", c->event);
}

static void put_ground(gn_buf *b, int illegal, const char *ground, const char *explanation)
{
    put_str(b, "decision_ground",
            illegal ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT");
    put_key(b, "illegal_content_legal_ground");
    illegal ? put_limited(b, ground, GROUND_MAX) : gn_buf_puts(b, "null");
    put_key(b, "illegal_content_explanation");
    illegal ? put_limited(b, explanation, EXPLANATION_MAX) : gn_buf_puts(b, "null");
    put_key(b, "incompatible_content_ground");
    illegal ? gn_buf_puts(b, "null") : put_limited(b, ground, GROUND_MAX);
    put_key(b, "incompatible_content_explanation");
    illegal ? gn_buf_puts(b, "null") : put_limited(b, explanation, EXPLANATION_MAX);
}

static void listing_statement(sor_writer *w, const gn_change *c)
{
    gn_buf *b = &w->line;
    const gn_json *reasons = gn_json_parse(&w->doc, c->detail, strlen(c->detail), NULL);
    const char *code = gn_json_str(gn_json_at(reasons, 0), "code");
    const sor_rule *r = rule_for(code, c->actor);
    listing_facts(w, c, r, reasons);
    gn_buf_printf(b, "{\"id\":\"sor-%lld\",\"puid\":\"sor-%lld\"", (long long)c->seq,
                  (long long)c->seq);
    gn_buf_printf(b, ",\"decision_visibility\":[\"%s\"]", r->visibility);
    put_str(b, "decision_monetary", NULL);
    put_str(b, "decision_provision", NULL);
    put_str(b, "decision_account", NULL);
    put_str(b, "account_type", NULL);
    put_ground(b, r->illegal, r->ground, w->facts.data);
    put_str(b, "incompatible_content_illegal", NULL);
    gn_buf_puts(b, ",\"content_type\":[\"CONTENT_TYPE_PRODUCT\"]");
    put_str(b, "content_language", NULL);
    put_key(b, "decision_facts");
    put_limited(b, w->facts.data, FACTS_MAX);
    put_str(b, "source_type", r->source);
    /* Only a trusted flagger's removal names the notifier: it is the actor. */
    put_str(b, "source_identity",
            strcmp(r->source, "SOURCE_TRUSTED_FLAGGER") == 0 ? c->actor : NULL);
    put_str(b, "automated_detection", r->by_engine || c->flagged ? "Yes" : "No");
    put_str(b, "automated_decision", r->decision);
    put_date(b, "content_date", c->first_at);
    put_date(b, "end_date_visibility_restriction", c->ended_at);
    put_str(b, "end_date_account_restriction", NULL);
    gn_buf_puts(b, ",\"subject\":{\"record\":\"listing\",\"id\":");
    gn_buf_json_string(b, c->record_id);
    gn_buf_puts(b, ",\"seller\":");
    if (c->seller)
        gn_buf_json_string(b, c->seller);
    else
        gn_buf_puts(b, "null");
    gn_buf_puts(b, ",\"reason\":");
    if (code)
        gn_buf_json_string(b, code);
    else
        gn_buf_puts(b, "null");
    gn_buf_puts(b, "}");
    put_common_tail(b, c, c->record_id);
    gn_buf_puts(b, "}");
}

static void seller_statement(sor_writer *w, const gn_change *c)
{
    gn_buf *b = &w->line;
    int suspended = strcmp(c->change, "suspended") == 0;
    gn_buf *f = &w->facts;
    gn_buf_reset(f);
    gn_buf_printf(f, "Seller %s %s: %s", c->record_id,
                  suspended                          ? "suspended"
                  : strcmp(c->change, "closed") == 0 ? "closed (its shop is shut)"
                                                     : "banned",
                  c->detail && *c->detail ? c->detail : "(no detail recorded)");
    gn_buf_printf(b, "{\"id\":\"sor-audit-%lld\",\"puid\":\"sor-audit-%lld\"", (long long)c->seq,
                  (long long)c->seq);
    gn_buf_puts(b, ",\"decision_visibility\":null");
    put_str(b, "decision_monetary", NULL);
    put_str(b, "decision_provision", NULL);
    put_str(b, "decision_account",
            suspended ? "DECISION_ACCOUNT_SUSPENDED" : "DECISION_ACCOUNT_TERMINATED");
    put_str(b, "account_type", NULL);
    put_ground(b, 0, ground_terms_account, f->data);
    put_str(b, "incompatible_content_illegal", NULL);
    gn_buf_puts(b, ",\"content_type\":[\"CONTENT_TYPE_OTHER\"],\"content_type_other\":"
                   "\"seller account\"");
    put_str(b, "content_language", NULL);
    put_key(b, "decision_facts");
    put_limited(b, f->data, FACTS_MAX);
    put_str(b, "source_type", "SOURCE_VOLUNTARY");
    put_str(b, "source_identity", NULL);
    put_str(b, "automated_detection", c->automated ? "Yes" : "No");
    put_str(b, "automated_decision",
            c->automated ? "AUTOMATED_DECISION_FULLY" : "AUTOMATED_DECISION_NOT_AUTOMATED");
    put_str(b, "content_date", NULL);
    put_str(b, "end_date_visibility_restriction", NULL);
    put_date(b, "end_date_account_restriction", c->ended_at);
    gn_buf_puts(b, ",\"subject\":{\"record\":\"seller\",\"id\":");
    gn_buf_json_string(b, c->record_id);
    gn_buf_puts(b, ",\"seller\":");
    gn_buf_json_string(b, c->record_id);
    gn_buf_puts(b, ",\"reason\":");
    gn_buf_json_string(b, c->change);
    gn_buf_puts(b, "}");
    put_common_tail(b, c, c->record_id);
    gn_buf_puts(b, "}");
}

static int write_statement(void *ctx, const gn_change *c)
{
    sor_writer *w = ctx;
    gn_buf_reset(&w->line);
    if (strcmp(c->table, "decisions") == 0)
        listing_statement(w, c);
    else
        seller_statement(w, c);
    gn_buf_puts(&w->line, "\n");
    return fwrite(w->line.data, 1, w->line.len, w->out) == w->line.len ? 0 : GN_ESTORE;
}

/* Parses an RFC 3339 time given by the caller into the UTC form the store
 * compares with; the message names the option. */
int gn_time_option(const char *name, const char *text, char *out, size_t size, gn_error *err)
{
    int64_t ms;
    if (gn_time_parse(text, &ms))
        return gn_fail(err, GN_EINPUT,
                       "%s: '%s' is not an RFC 3339 time (such as 2026-11-01T00:00:00Z)", name,
                       text);
    char base[32];
    gn_time_format(ms, base, sizeof base);
    snprintf(out, size, "%.19s.%03dZ", base, (int)(((ms % 1000) + 1000) % 1000));
    return 0;
}

int gn_report_statements(const gn_report_src *src, FILE *out, const char *since, gn_error *err)
{
    char from[40];
    if (since && gn_time_option("since", since, from, sizeof from, err)) return GN_EINPUT;
    sor_writer w = {.out = out};
    gn_json_doc_init(&w.doc);
    int rc = src->store->query->each_restriction(src->store, since ? from : NULL, write_statement,
                                                 &w, err);
    if (rc == GN_ESTORE && ferror(out))
        rc = gn_fail(err, GN_ESTORE, "writing the statements of reasons failed");
    gn_json_doc_free(&w.doc);
    gn_buf_free(&w.line);
    gn_buf_free(&w.facts);
    return rc;
}
