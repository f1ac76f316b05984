/* The platform's own automation rules, written in Lua (policy/default.lua is
 * the shipped one, docs/policy.md the guide): after the signals and the score,
 * a sandboxed decide(l) may change the action and add reasons. */
#ifndef GN_DECIDE_LUA_POLICY_H
#define GN_DECIDE_LUA_POLICY_H

#include <stddef.h>

#include "core/error.h"

typedef struct gn_lua_policy gn_lua_policy;

typedef struct gn_lua_limits {
    long instructions;   /* Lua VM instructions per call (and for loading); 0: 100,000 */
    size_t memory_bytes; /* the whole Lua state's memory; 0: 8 MiB */
} gn_lua_limits;

/* Loads a policy file (text only, never bytecode) into a new sandbox. A file
 * that does not load, fails while running its top level, or does not define
 * a function `decide` is refused with GN_ECONFIG and its line number, e.g.
 * "policy/x.lua:12: unexpected symbol near 'then'". limits may be NULL. */
int gn_lua_policy_load(gn_lua_policy **out, const char *path, const gn_lua_limits *limits,
                       gn_error *err);

/* The same from a policy's text (a rule pasted in the console's backtest):
 * name stands for the file in messages ("rule:3: ..."). Such a policy cannot
 * be reloaded. */
int gn_lua_policy_load_text(gn_lua_policy **out, const char *name, const char *text, size_t len,
                            const gn_lua_limits *limits, gn_error *err);

/* Loads the same path again into a new sandbox; only if that succeeds does it
 * replace the running one. Otherwise the previous policy keeps running and err
 * says why. Not to be called while another thread is inside decide: the
 * caller serialises (e.g. SIGHUP sets a flag, the serving loop reloads). */
int gn_lua_policy_reload(gn_lua_policy *p, gn_error *err);

void gn_lua_policy_free(gn_lua_policy *p);

/* The path the policy was loaded from (for logs and error messages). */
const char *gn_lua_policy_path(const gn_lua_policy *p);

typedef struct gn_policy_signal {
    const char *code;
    double value, weight; /* strength in [0,1]; weight x strength as the policy counted it */
    const char *detail;
} gn_policy_signal;

/* What decide(l) sees. Strings may be NULL (nil in Lua); nothing is kept
 * after the call returns. */
typedef struct gn_policy_input {
    const char *listing, *seller, *title, *category;
    const char *brand; /* the resolved brand id, or NULL */
    const char *currency;
    double price;
    const gn_policy_signal *signals;
    int n_signals;
    double score;                     /* the default score (weighted policy or model) */
    const char *action;               /* the default action: "allow" | "review" | "block" */
    double model_score;               /* NaN when there is no model yet (nil in Lua) */
    int cluster_size, cluster_banned; /* the seller's linked accounts (1, 0 when alone) */
    int seller_verified;              /* 1 verified, 0 not */
} gn_policy_input;

#define GN_POLICY_MAX_REASONS 4

typedef struct gn_policy_reason {
    char code[48];    /* ^[A-Z][A-Z0-9_]*$ */
    char detail[240]; /* cut (on a UTF-8 boundary) when longer */
} gn_policy_reason;

typedef struct gn_policy_output {
    char action[8]; /* "allow" | "review" | "block", or "" to keep the default */
    gn_policy_reason reasons[GN_POLICY_MAX_REASONS];
    int n_reasons;
} gn_policy_output;

/* Calls decide(l) under the instruction and memory limits. A rule that errors,
 * runs too long or out of memory, or returns something malformed gives
 * GN_EINPUT with the message (file:line where Lua knows it) in err and out
 * left at "keep the default": the engine then uses the default decision and
 * records the failure. */
int gn_lua_policy_decide(gn_lua_policy *p, const gn_policy_input *in, gn_policy_output *out,
                         gn_error *err);

#endif
