/* The engine's insides, shared by the pipeline's files (engine.c: the
 * ingest pipeline, the engine's life and reads; decide.c: one listing
 * decided; verdicts.c, activity.c, shared_bank.c, review_photos.c,
 * workflows.c, codes.c, backtest.c; reads.c: the reports of src/report/
 * given what they read). Files that need a few fields take them as
 * arguments (images.h, word_lists.h, dashboard.h); keys.c, tests,
 * benchmarks and fuzz targets read an engine through inspect.h; the
 * library's users have genuine.h only. */
#ifndef GN_ENGINE_ENGINE_H
#define GN_ENGINE_ENGINE_H

#include "core/config.h"
#include "core/groups.h"
#include "decide/floors.h"
#include "decide/learning.h"
#include "decide/lua_policy.h"
#include "decide/policy.h"
#include "detect/detect.h"
#include "detect/minhash.h"
#include "detect/photo_owners.h"
#include "detect/registry.h"
#include "engine/dashboard.h"
#include "engine/figures.h"
#include "engine/clock.h"
#include "engine/codes.h"
#include "engine/metrics.h"
#include "engine/word_lists.h"
#include "state/state.h"
#include "store/store.h"
#include "workflow/workflow.h"

struct gn_engine {
    gn_store *store;
    gn_config config;
    gn_policy policy;
    gn_floors floors; /* evidence that holds a listing whatever the scorer says */
    gn_detect_params params;
    gn_state state;
    gn_lexicon *lexicon;
    gn_engine_word_lists word_lists; /* the lexicon's lists and the condition words */
    gn_market_words words;           /* sellers per word of live listings: not misspelt brands */
    gn_image_bank photos;            /* brands' own photos and those of listings taken down */
    gn_listing_image images[GN_MAX_LISTING_IMAGES]; /* the listing being decided */
    gn_buf notes;          /* what could not be checked on it (JSON array items) */
    gn_identity *identity; /* sellers linked by what they share */
    gn_workflow workflow;  /* complaints, notices, reports, strikes, appeals */
    uint64_t advances;     /* advance events logged: deadlines run up to a time */
    gn_learning learning;  /* feature snapshots, labels, the current model */
    gn_lua_policy *rules;  /* the platform's own rules in Lua, or NULL */
    gn_strmap rule_codes;  /* the rules' own reason codes, pooled (decide.c) */
    int64_t event_seq;     /* the log position of the event being applied */
    gn_engine_clock clock; /* the latest event time seen, the log's (clock.h) */
    /* Linked-account signals of the last seller decided, reused while one
     * event re-decides many listings of the same sellers (a sweep). */
    uint64_t generation; /* bumped by every event */
    gn_links_cache links_cache;
    /* Listings of different sellers that share a photo or a near-identical
     * text, grouped: one actor's goods across accounts. */
    gn_groups content;
    gn_minhash_index *texts;     /* owner: listing index */
    gn_photo_owners photo_owner; /* photo hash -> first listing index with it */
    gn_strmap seen;              /* event ids already accepted: the duplicate check */
    gn_json_doc doc;             /* the event being ingested or replayed */
    gn_json_doc sweep_doc;       /* a listing event re-read while another event sweeps */
    int in_batch;                /* a store transaction is open */
    int replaying;               /* rebuilding state from the log: nothing is written */
    int read_only;
    int shared;                        /* opened beside the writer: no events, deadlines, models */
    struct gn_store_lock *writer_lock; /* held while open to write (one writer per store) */
    gn_metrics metrics;
    gn_figures figures;     /* the dashboard's, by day (figures.c) */
    gn_engine_codes *codes; /* authenticity codes (engine/codes.c); NULL until used */
    char *codes_key_file;   /* the codes' secret: the store's path + ".codes-key" */
    /* What the last gn_result points into. */
    gn_buf decision;
    char error[600];
    char id[GN_ID_MAX + 1];
    char type[32];
    /* A non-platform sender's event id as the duplicate check knows it:
     * scoped by role and account (see seen_key in engine.c). */
    char seen_key[GN_ID_MAX * 2 + 72];
    char node[128];        /* this node among several on one store: host:pid:random (leases) */
    gn_error replay_error; /* why the replay stopped, naming the event */
    int broken;            /* the state could not be rebuilt after a failure: restart */
    /* How the state was last rebuilt: from the snapshot at this log position
     * (0: the whole log replayed), the events replayed, the time it took. */
    int64_t joined_at;
    uint64_t replayed;
    double join_seconds, join_read_seconds, join_load_seconds;
};

/* Shared inside the engine (decide.c, verdicts.c). */
int gn_engine_decide_listing(gn_engine *e, const gn_event *ev, const gn_event *cause,
                             gn_error *err);
int gn_engine_listing_images(gn_engine *e, const gn_event *ev, const gn_json *images, int *count,
                             gn_error *err);
int gn_engine_bank_removed_photos(gn_engine *e, uint32_t listing, int n_images,
                                  const uint8_t *official, gn_error *err);
int gn_engine_apply_verdict(gn_engine *e, const gn_event *ev, gn_error *err);
void gn_engine_count_appeal(gn_engine *e, const gn_event *ev);
/* Shared banks (shared_bank.c): a `shared_bank` event applied, and a
 * listing's matches counted toward flood quarantine (a quarantine is noted
 * in the decision's notes). */
int gn_engine_shared_bank(gn_engine *e, const gn_event *ev, gn_error *err);
void gn_engine_shared_matches(gn_engine *e, const gn_shared_hits *hits, uint32_t seller,
                              uint32_t brand, int64_t at);

/* A listing taken down: its photos join the bank of removed listings'. */
int gn_engine_bank_listing_photos(gn_engine *e, uint32_t listing, gn_error *err);
/* Bans or clears a seller; every listing of its cluster is decided again with
 * cause as the reason's event. */
int gn_engine_ban(gn_engine *e, uint32_t seller, int banned, const gn_event *cause, gn_error *err);
/* engine.c: after a failure half-way through an event, the batch rolled
 * back and the state rebuilt from the store; while the rebuild itself
 * failed, gn_engine_check_broken refuses (GN_ESTORE). */
void gn_engine_abandon_batch(gn_engine *e);
/* Opens the batch if none is open. On a store several nodes write
 * (PostgreSQL), under the log's lock, and applies first what the other
 * nodes logged since (as a replay: their effects are in the store already),
 * so the batch decides on the whole log. */
int gn_engine_begin(gn_engine *e, gn_error *err);
int gn_engine_check_broken(gn_engine *e, gn_error *err);
/* activity.c: after an order, a review or a shipment of listing (GN_NONE:
 * none), the listing is decided again, with the event as cause, when its
 * review, order and shipment signals crossed a line. */
int gn_engine_activity(gn_engine *e, const gn_event *ev, uint32_t listing, gn_error *err);
/* After an identity add that took apart a cluster with a banned seller: the
 * held listings of the members no longer linked to one are decided again. */
int gn_engine_after_split(gn_engine *e, const gn_event *cause, gn_error *err);
/* workflows.c */
int gn_engine_workflow_check(gn_engine *e, const gn_event *ev, gn_error *err);
int gn_engine_workflow_apply(gn_engine *e, const gn_event *ev, gn_error *err);
int gn_engine_workflow_effects(gn_engine *e, const char *event_id, int64_t at, gn_error *err);
int gn_engine_advance_to(gn_engine *e, int64_t to, size_t *closed, gn_error *err);
int gn_engine_replay_advance(gn_engine *e, const char *id, int64_t to, size_t limit, gn_error *err);
/* engine.c: the live model from the store's version (a replayed model
 * event, a loaded snapshot). */
int gn_engine_use_model(gn_engine *e, int version, double review_at, double block_at,
                        gn_error *err);
/* engine.c: the state emptied as before a replay (the snapshot fuzz target
 * loads into it). */
int gn_engine_reset_state(gn_engine *e, gn_error *err);

#endif
