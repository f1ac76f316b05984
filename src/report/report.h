/* The read side: statements of reasons, the transparency report, the audit
 * export, buyer remediation, case files and the seller view. Each reads the
 * store through its query ops (gn_query_ops) and the in-memory state through
 * the views in gn_report_src, never through the engine: the engine fills one
 * per read (engine/reads.c), and the public gn_*_write / gn_*_json of
 * genuine.h are those thin wrappers. */
#ifndef GN_REPORT_REPORT_H
#define GN_REPORT_REPORT_H

#include <stdio.h>

#include "codes/codes.h"
#include "core/groups.h"
#include "decide/policy.h"
#include "detect/detect.h"
#include "state/identity.h"
#include "state/state.h"
#include "store/store.h"
#include "workflow/workflow.h"

/* What a report may read. Pointers into the engine, valid for one call;
 * nothing here is written (identity and content are not const only because
 * their cluster walks compress paths, which changes no answer). */
typedef struct gn_report_src {
    gn_store *store;                /* store->query; event_body and get_image of store->ops */
    const gn_state *state;          /* sellers and listings as decided */
    gn_identity *identity;          /* accounts linked by what they share, bans */
    const gn_workflow *workflow;    /* strikes, enforcement, verification */
    gn_groups *content;             /* listings of different sellers sharing content */
    const gn_detect_params *params; /* the seller view's risk: the linked-account detector */
    const gn_policy *policy;        /* ... weighed by the policy */
    const gn_code_facts *codes;     /* listings' authenticity code facts (NULL: none) */
    int64_t now;                    /* the engine's clock: a case file's as_of */
    int read_only;                  /* opened read-only: no in-memory state to read */
} gn_report_src;

/* statements.c: the DSA statements of reasons since a time (NULL: all). */
int gn_report_statements(const gn_report_src *src, FILE *out, const char *since, gn_error *err);
/* transparency.c: the transparency report by "day", "week" or "month". */
char *gn_report_transparency(const gn_report_src *src, const char *period, gn_error *err);
/* audit.c: the audit export, narrowed to a record kind and id (NULL: all). */
int gn_report_audit(const gn_report_src *src, FILE *out, const char *record, const char *record_id,
                    gn_error *err);
/* remediation.c: orders on listings taken down, as JSON lines or CSV. */
int gn_report_remediation(const gn_report_src *src, FILE *out, int csv, gn_error *err);
/* cases.c, case_html.c: the case file of a seller's cluster, JSON or HTML. */
char *gn_report_case_json(const gn_report_src *src, const char *seller, gn_error *err);
int gn_report_case_html(const gn_report_src *src, const char *seller, FILE *out, gn_error *err);
/* sellers.c: the seller view (show_links 0: the seller's own view). */
char *gn_report_seller_json(const gn_report_src *src, const char *id, int show_links,
                            gn_error *err);

/* review.c: the console's reads. A listing as a reviewer judges it (its
 * latest version's text and photos, the notices and reports on it); the
 * open appeals, oldest first, less those whose decision not_decided_by made
 * (NULL: all); a seller's own listings, newest first. */
char *gn_report_review_json(const gn_report_src *src, const char *listing, gn_error *err);
char *gn_report_open_appeals_json(const gn_report_src *src, const char *not_decided_by, int limit,
                                  gn_error *err);
char *gn_report_seller_listings_json(const gn_report_src *src, const char *seller, int limit,
                                     gn_error *err);

/* Shared by the DSA reads (statements.c, audit.c). Whether a listing change
 * with this first reason code, by this actor, was decided without a human. */
int gn_change_automated(const char *code, const char *actor);
/* An RFC 3339 time from the caller as "YYYY-MM-DDTHH:MM:SS.mmmZ" (out: 40
 * bytes); GN_EINPUT with a message naming the option when it is not one. */
int gn_time_option(const char *name, const char *text, char *out, size_t size, gn_error *err);

#endif
