/* The notice-and-takedown workflows: the IP registry, complaints and their
 * counter-notice windows, the good-faith record of who files them, shoppers'
 * reports, vendor verification, strikes and enforcement, appeals.
 *
 * Like a detector, the workflow does no I/O: it reads the state, keeps its
 * own records, and says what must happen as a list of effects (a listing's
 * status changes, an audit row, a seller closed) that the engine carries out
 * (src/engine/workflows.c). Every step is driven by an event, so replaying
 * the log rebuilds these records exactly. Time is event time. */
#ifndef GN_WORKFLOW_WORKFLOW_H
#define GN_WORKFLOW_WORKFLOW_H

#include <stdint.h>

#include "core/buf.h"
#include "core/config.h"
#include "core/event.h"
#include "core/strmap.h"
#include "state/state.h"

/* ---- the effects a step asks the engine to carry out ---- */

typedef enum gn_effect_kind {
    GN_FX_LISTING, /* set a listing's status, with one reason, as a decision in its history */
    GN_FX_AUDIT,   /* append a row to the audit log */
    GN_FX_CLOSE,   /* close a seller's shop: ban it (its cluster is decided again) */
    GN_FX_REOPEN   /* lift that ban (an appeal upheld) */
} gn_effect_kind;

typedef struct gn_effect {
    gn_effect_kind kind;
    uint32_t listing, seller; /* state indexes (GN_NONE: none) */
    uint8_t status;           /* GN_FX_LISTING: gn_listing_status */
    int8_t label;             /* GN_FX_LISTING: 1 counterfeit, 0 genuine, -1 no label */
    uint8_t automated;
    int64_t at;         /* when it happened; INT64_MIN: at the event that caused it */
    const char *action; /* GN_FX_LISTING: allow, review, block */
    const char *code;   /* GN_FX_LISTING: the reason code */
    const char *record; /* GN_FX_AUDIT: complaint, notice, right, ... */
    const char *change; /* GN_FX_AUDIT */
    const char *actor;  /* pooled or static */
    char record_id[2 * GN_ID_MAX + 2];
    char detail[320];
} gn_effect;

typedef struct gn_effects {
    gn_effect *items;
    size_t count, cap;
} gn_effects;

/* ---- records ---- */

typedef enum gn_right_state {
    GN_RIGHT_REGISTERED,
    GN_RIGHT_VERIFIED,
    GN_RIGHT_REJECTED
} gn_right_state;

typedef struct gn_right {
    const char *id, *brand_id, *kind, *holder, *number; /* pooled */
    uint32_t brand;                                     /* state index, GN_NONE: unknown brand */
    int64_t valid_from, valid_until;                    /* ms; INT64_MIN / INT64_MAX: open */
    int64_t event;                                      /* its latest ip_right event in the log */
    uint8_t state;
} gn_right;

/* Someone who files complaints (a rights holder) or reports (a shopper), and
 * how often they turned out right: the good-faith track and misuse measures. */
typedef enum gn_filer_standing {
    GN_FILER_NORMAL,
    GN_FILER_TRUSTED,  /* complaints take listings down at once */
    GN_FILER_LIMITED,  /* at most workflow.limited_per_day filings a day */
    GN_FILER_SUSPENDED /* may not file */
} gn_filer_standing;

typedef struct gn_filer {
    const char *id; /* pooled */
    uint32_t filed, confirmed, rejected;
    int64_t day; /* the UTC day of the filings counted in today */
    uint32_t today;
    uint8_t standing;
} gn_filer;

typedef enum gn_notice_state {
    GN_NOTICE_OPEN,       /* the window runs; the listing is noticed */
    GN_NOTICE_TAKEN_DOWN, /* a trusted filer's: the window runs, the listing is already down */
    GN_NOTICE_CONTESTED,  /* a counter-notice came in time: a reviewer decides */
    GN_NOTICE_CONFIRMED,  /* unanswered by the deadline, or upheld: the listing is removed */
    GN_NOTICE_REJECTED,   /* a reviewer rejected the complaint: the listing is back */
    GN_NOTICE_SETTLED,    /* the listing was settled otherwise (another notice, a verdict) */
    GN_NOTICE_REVERSED,   /* the seller's appeal against the removal was upheld */
    /* outcomes at filing, with no window */
    GN_NOTICE_UNKNOWN_LISTING,
    GN_NOTICE_ALREADY_REMOVED,
    GN_NOTICE_NOT_COVERED,
    GN_NOTICE_STATE_COUNT
} gn_notice_state;

typedef struct gn_notice {
    const char *listing_id; /* pooled */
    uint32_t listing;       /* state index, GN_NONE when unknown */
    uint32_t complaint;
    uint32_t next_of_listing; /* the listing's other notices (GN_NONE ends) */
    uint8_t state;
    int64_t answered_at, closed_at; /* INT64_MIN: not yet */
    const char *decided_by;         /* reviewer, "deadline", or NULL */
    const char *why;                /* pooled: the outcome at filing, said in words */
} gn_notice;

typedef struct gn_complaint {
    const char *id, *rights_holder, *right; /* pooled */
    int64_t at, deadline, event;
    uint32_t first_notice, n_notices; /* its notices are contiguous */
    uint32_t filer;
    uint8_t trusted; /* filed while its filer was trusted */
} gn_complaint;

typedef enum gn_report_state {
    GN_REPORT_OPEN,
    GN_REPORT_UPHELD,
    GN_REPORT_REJECTED
} gn_report_state;

typedef struct gn_report {
    const char *id, *reason; /* pooled */
    uint32_t listing, filer, next_of_listing;
    int64_t at;
    uint8_t state;
} gn_report;

/* What the workflows know of a listing; only listings they touched have one. */
typedef struct gn_wf_listing {
    uint32_t notices, reports; /* heads of its lists (GN_NONE: none) */
    uint32_t open_reports;
    uint8_t before;         /* its status before the workflows held or took it down */
    uint8_t holding;        /* 1: the workflows set its present status */
    uint8_t struck;         /* its seller has a strike for it */
    const char *decided_by; /* who took it down or blocked it (appeals) */
    uint32_t appeal;        /* its open appeal, GN_NONE: none */
} gn_wf_listing;

typedef enum gn_enforcement {
    GN_SELLER_IN_GOOD_STANDING,
    GN_SELLER_WARNED,
    GN_SELLER_SUSPENDED, /* may not list: new versions are blocked */
    GN_SELLER_CLOSED     /* the shop is closed: banned */
} gn_enforcement;

typedef struct gn_wf_seller {
    uint32_t strikes;
    uint8_t level;
    const char *closed_by; /* who banned it (a reviewer or "enforcement") */
    uint32_t appeal;       /* its open appeal against the closure, GN_NONE: none */
    int64_t verification;  /* its latest seller_verification event, 0: none */
} gn_wf_seller;

typedef enum gn_appeal_state {
    GN_APPEAL_OPEN,
    GN_APPEAL_UPHELD,
    GN_APPEAL_REJECTED
} gn_appeal_state;

typedef struct gn_appeal {
    const char *id, *seller, *target, *decided_by, *reviewer; /* pooled; reviewer once decided */
    const char *statement;                                    /* pooled: the seller's words */
    uint32_t listing;                                         /* GN_NONE: the seller itself */
    int64_t at, decided_at;
    uint8_t state;
} gn_appeal;

typedef struct gn_deadline {
    int64_t at;
    uint32_t notice;
} gn_deadline;

typedef struct gn_workflow_params {
    int64_t notice_ms; /* workflow.notice_days */
    uint32_t trust_min_confirmed;
    double trust_min_share;
    uint32_t misuse_min_decided;
    double limit_share, suspend_share;
    uint32_t limited_per_day;
    uint32_t warn_at, suspend_at, close_at;
} gn_workflow_params;

typedef struct gn_workflow {
    gn_workflow_params params;
    gn_right *rights;
    uint32_t n_rights, cap_rights;
    gn_strmap right_by_id;
    gn_filer *filers;
    uint32_t n_filers, cap_filers;
    gn_strmap filer_by_id;
    gn_complaint *complaints;
    uint32_t n_complaints, cap_complaints;
    gn_strmap complaint_by_id;
    gn_notice *notices;
    uint32_t n_notices, cap_notices;
    gn_report *reports;
    uint32_t n_reports, cap_reports;
    gn_strmap report_by_id;
    gn_appeal *appeals;
    uint32_t n_appeals, cap_appeals;
    gn_strmap appeal_by_id;
    gn_wf_listing *listings; /* by index in listing_index */
    uint32_t n_listings, cap_listings;
    gn_strmap listing_index; /* listing id -> index in listings */
    gn_wf_seller *sellers;
    uint32_t n_sellers, cap_sellers;
    gn_strmap seller_index; /* seller id -> index in sellers */
    gn_deadline *deadlines; /* a binary min-heap on at */
    uint32_t n_deadlines, cap_deadlines;
    gn_effects effects; /* what the last step asks for */
    int64_t effect_at;  /* the time given to new effects (INT64_MIN: the cause's) */
    gn_pool pool;
} gn_workflow;

void gn_workflow_init(gn_workflow *w, const gn_config *config);
void gn_workflow_free(gn_workflow *w);

/* Before an event is logged: may it be? A complaint backed by a right that is
 * unknown, not the filer's, unverified or expired; a filer suspended or over
 * its daily limit; a counter-notice late or from someone else; a verdict
 * nothing awaits, or an appeal decided by the reviewer who decided the case:
 * refused with GN_EINPUT and a reason that names the field. Reads only. */
int gn_workflow_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err);

/* Applies a checked event (ip_right, complaint, counter_notice, report,
 * seller_verification, appeal, and verdicts on a right, complaint, report,
 * appeal or listing); what must follow is left in w->effects. seq is the
 * event's position in the log. */
void gn_workflow_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq);

/* The earliest open deadline (INT64_MAX when none). */
int64_t gn_workflow_next_deadline(const gn_workflow *w);
/* Closes notice windows whose deadline is before `to`, at most limit of them
 * (the caller carries out the effects and calls again until it returns 0):
 * unanswered notices are confirmed and their listings taken down. */
size_t gn_workflow_advance(gn_workflow *w, const gn_state *st, int64_t to, size_t limit);

/* A strike for a listing found counterfeit by a verdict, and what it brings
 * (warn, suspend, close); once per listing. */
void gn_workflow_strike(gn_workflow *w, const gn_state *st, uint32_t listing, const char *actor,
                        const char *event_id);
/* A listing's verdict settles its open notices and reports. */
void gn_workflow_listing_verdict(gn_workflow *w, const gn_state *st, uint32_t listing,
                                 int counterfeit, const char *reviewer, int64_t at);
/* A seller banned or cleared by a reviewer, for appeals and the seller view. */
void gn_workflow_seller_verdict(gn_workflow *w, const char *seller, int banned,
                                const char *reviewer);

/* For a listing being decided: the status the workflows hold it in (-1: the
 * decision's own), and whether its seller is suspended. */
int gn_workflow_hold(const gn_workflow *w, const char *listing);
int gn_workflow_seller_suspended(const gn_workflow *w, const char *seller);

const gn_wf_seller *gn_workflow_seller(const gn_workflow *w, const char *seller);
const char *gn_enforcement_name(int level);
const char *gn_notice_state_name(int state);

/* Views (JSON into out; GN_ENOTFOUND when there is no such record; a
 * complaint cut down to a seller it names nowhere: GN_EFORBIDDEN). */
int gn_workflow_complaint_json(const gn_workflow *w, const gn_state *st, const char *complaint,
                               const char *seller, gn_buf *out, gn_error *err);
void gn_workflow_complaints_json(const gn_workflow *w, const char *rights_holder, gn_buf *out);
int gn_workflow_right_json(const gn_workflow *w, const char *right, gn_buf *out, gn_error *err);
void gn_workflow_notices_json(const gn_workflow *w, const gn_state *st, const char *seller,
                              gn_buf *out);
int gn_workflow_filer_json(const gn_workflow *w, const char *account, gn_buf *out, gn_error *err);
void gn_workflow_reports_json(const gn_workflow *w, const gn_state *st, int limit, gn_buf *out);
int gn_workflow_appeal_json(const gn_workflow *w, const char *appeal, gn_buf *out, gn_error *err);

/* Shared by the workflow's files (workflow.c). */
/* A copy of s kept as long as the workflows (NULL stays NULL). */
const char *gn_workflow_keep(gn_workflow *w, const char *s);
/* A notice's id in the audit log: "COMPLAINT/LISTING". */
void gn_notice_record_id(const gn_workflow *w, const gn_notice *n, char *out, size_t size);
gn_effect *gn_workflow_effect(gn_workflow *w, gn_effect_kind kind);
void gn_workflow_audit(gn_workflow *w, const char *record, const char *record_id,
                       const char *change, const char *actor, int automated, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
gn_wf_listing *gn_workflow_listing(gn_workflow *w, const gn_state *st, uint32_t listing);
const gn_wf_listing *gn_workflow_find_listing(const gn_workflow *w, const char *listing);
gn_wf_seller *gn_workflow_seller_rec(gn_workflow *w, const char *seller);
gn_filer *gn_workflow_filer(gn_workflow *w, const char *account);
const gn_filer *gn_workflow_find_filer(const gn_workflow *w, const char *account);
/* A filer's notice or report turned out right (1) or wrong (0); its standing
 * is weighed again. */
void gn_workflow_filer_outcome(gn_workflow *w, uint32_t filer, int confirmed, int64_t at);
/* Whether a filer may file now, else why (GN_EINPUT, names `field`). */
int gn_workflow_may_file(const gn_workflow *w, const char *account, const char *field, int64_t at,
                         gn_error *err);
void gn_workflow_count_filing(gn_workflow *w, uint32_t filer, int64_t at);
/* Sets a listing's status through the workflows, remembering the one it had. */
void gn_workflow_set_listing(gn_workflow *w, const gn_state *st, uint32_t listing,
                             gn_listing_status status, const char *action, const char *code,
                             int label, const char *actor, int automated, const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* The status a listing's notices and reports leave it in, or -1: its own. */
int gn_workflow_listing_status(const gn_workflow *w, const gn_wf_listing *wl);
/* Settles a listing's other open notices when it is taken down. */
void gn_workflow_settle_notices(gn_workflow *w, const gn_state *st, uint32_t listing,
                                uint32_t except, int confirmed, int64_t at, const char *by);
/* Notices */
int gn_notices_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err);
void gn_notices_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq);
/* Reports, appeals, rights: check and apply, each in its file. */
int gn_rights_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err);
void gn_rights_apply(gn_workflow *w, const gn_state *st, const gn_event *ev, int64_t seq);
int gn_reports_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err);
void gn_reports_apply(gn_workflow *w, const gn_state *st, const gn_event *ev);
int gn_appeals_check(const gn_workflow *w, const gn_state *st, const gn_event *ev, gn_error *err);
void gn_appeals_apply(gn_workflow *w, const gn_state *st, const gn_event *ev);

#endif
