/* The public reads of genuine.h that src/report/ answers: each hands the
 * report what it may read (the store, for its query ops, and views of the
 * in-memory state) and nothing else of the engine. */
#include <stdlib.h>
#include <string.h>

#include "engine/engine.h"
#include "engine/review_photos.h"
#include "report/report.h"

static gn_report_src source(gn_engine *e)
{
    return (gn_report_src){
        .store = e->store,
        .state = &e->state,
        .identity = e->identity,
        .workflow = &e->workflow,
        .content = &e->content,
        .params = &e->params,
        .policy = &e->policy,
        .codes = gn_engine_code_facts(e),
        .now = e->clock.now,
        .read_only = e->read_only,
    };
}

int gn_statements_write(gn_engine *e, FILE *out, const char *since, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_statements(&src, out, since, err);
}

char *gn_transparency_json(gn_engine *e, const char *period, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_transparency(&src, period, err);
}

int gn_audit_write(gn_engine *e, FILE *out, const char *record, const char *record_id,
                   gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_audit(&src, out, record, record_id, err);
}

int gn_remediation_write(gn_engine *e, FILE *out, int csv, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_remediation(&src, out, csv, err);
}

char *gn_case_json(gn_engine *e, const char *seller, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_case_json(&src, seller, err);
}

int gn_case_html_write(gn_engine *e, const char *seller, FILE *out, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_case_html(&src, seller, out, err);
}

char *gn_seller_json(gn_engine *e, const char *id, int show_links, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_seller_json(&src, id, show_links, err);
}

char *gn_review_json(gn_engine *e, const char *listing, gn_error *err)
{
    gn_report_src src = source(e);
    char *json = gn_report_review_json(&src, listing, err);
    if (!json) return NULL;
    /* the photos beside what they match, from the image bank in memory */
    gn_buf b = {0};
    size_t len = strlen(json);
    gn_buf_append(&b, json, len - 1); /* without its closing brace */
    free(json);
    gn_buf_puts(&b, ",\"photo_matches\":");
    int rc = gn_engine_photo_matches(
        e, *(uint32_t *)gn_strmap_find(&e->state.listing_by_id, listing), &b, err);
    gn_buf_puts(&b, "}");
    return gn_buf_take_if(&b, rc);
}

char *gn_open_appeals_json(gn_engine *e, const char *not_decided_by, int limit, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_open_appeals_json(&src, not_decided_by, limit, err);
}

char *gn_seller_listings_json(gn_engine *e, const char *seller, int limit, gn_error *err)
{
    gn_report_src src = source(e);
    return gn_report_seller_listings_json(&src, seller, limit, err);
}
