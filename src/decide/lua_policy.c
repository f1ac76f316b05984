/* The Lua policy: one sandboxed lua_State per loaded file, with a counting
 * allocator for the memory limit and a count hook for the instruction limit.
 * Every call into Lua runs under lua_pcall, so no error ever reaches a panic.
 * For speed the input table `l`, its `signals`, `has` and `cluster` tables and
 * the field-name strings are made once and updated in place on every call. */
#include "decide/lua_policy.h"

#include <lauxlib.h>
#include <lua.h>
#include <lualib.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/alloc.h"

#define DEFAULT_INSTRUCTIONS 100000L
#define DEFAULT_MEMORY ((size_t)8 << 20)

/* The hook runs every HOOK_STEP instructions and charges them to one budget
 * per call. A budget shared by all threads (hooks and their counts are per
 * coroutine) keeps coroutines from each getting a fresh allowance; a small
 * step bounds what a coroutine can run before its first charge. */
#define HOOK_STEP 100

/* Field names, interned once: upvalues 1..K_COUNT of the call closure. */
enum {
    K_LISTING,
    K_SELLER,
    K_TITLE,
    K_CATEGORY,
    K_BRAND,
    K_CURRENCY,
    K_PRICE,
    K_SCORE,
    K_ACTION,
    K_MODEL_SCORE,
    K_CLUSTER,
    K_SIZE,
    K_BANNED,
    K_SELLER_VERIFIED,
    K_SIGNALS,
    K_HAS,
    K_CODE,
    K_VALUE,
    K_WEIGHT,
    K_DETAIL,
    K_REASONS,
    K_COUNT
};
static const char *const key_names[K_COUNT] = {
    "listing", "seller", "title",       "category", "brand",  "currency", "price",
    "score",   "action", "model_score", "cluster",  "size",   "banned",   "seller_verified",
    "signals", "has",    "code",        "value",    "weight", "detail",   "reasons"};

/* The call closure's upvalues: the keys, then the reused tables and decide.
 * Upvalues are the cheapest place to keep them: no lookup at all. */
enum { UV_L = K_COUNT, UV_SIGNALS, UV_POOL, UV_HAS, UV_CLUSTER, UV_DECIDE, UV_COUNT };
#define UV(i) lua_upvalueindex((i) + 1)

/* One loaded policy file: its Lua state and what the calls reuse. */
typedef struct sandbox {
    lua_State *L;
    size_t used, limit; /* bytes allocated by L, and the ceiling */
    long instructions;  /* per call */
    long budget;        /* instructions left in the running call */
    int ref_call;       /* the C closure that fills l and calls decide (see call_closure) */
    int decide_line;    /* where `function decide` starts, for messages about what it returned */
    const gn_policy_input *current; /* the listing being decided; NULL between calls */
} sandbox;

struct gn_lua_policy {
    sandbox *running;
    gn_lua_limits limits;
    char *path;
    int from_text; /* gn_lua_policy_load_text: path is only a name for messages */
};

/* ------------------------------------------------------------ the limits */

/* Lua's allocator contract: free on nsize 0, else (re)allocate. Growing past
 * the limit fails, which Lua turns into a "not enough memory" error after an
 * emergency collection; shrinking never fails. */
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
    sandbox *sb = ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        sb->used -= old;
        return NULL;
    }
    if (nsize > old && nsize - old > sb->limit - sb->used) return NULL;
    void *p = gn_xrealloc(ptr, nsize);
    if (p) sb->used = sb->used - old + nsize;
    return p;
}

static sandbox *sandbox_of(lua_State *L)
{
    void *ud;
    lua_getallocf(L, &ud);
    return ud;
}

/* Once the budget is spent every instruction of every thread raises, so a
 * policy that catches the error with pcall cannot keep running: the error
 * comes back at the next instruction until it reaches the caller in C. */
static void count_hook(lua_State *L, lua_Debug *ar)
{
    sandbox *sb = sandbox_of(L);
    if (lua_gethookcount(L) != HOOK_STEP) {
        if (sb->budget > 0) { /* a coroutine left in "raise" mode by an earlier call */
            lua_sethook(L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
            return;
        }
    } else {
        sb->budget -= HOOK_STEP;
        if (sb->budget > 0) return;
        lua_sethook(L, count_hook, LUA_MASKCOUNT, 1);
    }
    lua_getinfo(L, "Sl", ar);
    lua_pushfstring(L, "%s:%d: policy took too long (more than %d instructions)", ar->short_src,
                    ar->currentline, (int)sb->instructions);
    lua_error(L);
}

static void arm_limits(sandbox *sb)
{
    sb->budget = sb->instructions;
    lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, HOOK_STEP);
}

/* ------------------------------------------------------------ the sandbox */

/* print() writes to stderr, marked as the policy's, never to stdout (which
 * may carry the command's output). */
static int policy_print(lua_State *L)
{
    int n = lua_gettop(L);
    luaL_Buffer b;
    luaL_buffinit(L, &b);
    luaL_addstring(&b, "policy: ");
    for (int i = 1; i <= n; i++) {
        if (i > 1) luaL_addchar(&b, '\t');
        luaL_tolstring(L, i, NULL);
        luaL_addvalue(&b);
    }
    luaL_addchar(&b, '\n');
    luaL_pushresult(&b);
    fputs(lua_tostring(L, -1), stderr);
    return 0;
}

/* Lua runs __gc finalizers with hooks off, so a finalizer would escape the
 * instruction limit: metatables that carry __gc are refused (a __gc added to
 * the metatable later does not mark the object, per the manual). */
static int sandbox_setmetatable(lua_State *L)
{
    if (lua_type(L, 2) == LUA_TTABLE) {
        lua_pushliteral(L, "__gc");
        if (lua_rawget(L, 2) != LUA_TNIL)
            return luaL_error(L, "__gc metamethods are not allowed in a policy");
        lua_pop(L, 1);
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* Every coroutine gets its own hook count; charging a step for each one made
 * keeps a loop of short coroutines inside the budget. */
static int sandbox_new_coroutine(lua_State *L)
{
    sandbox *sb = sandbox_of(L);
    sb->budget -= HOOK_STEP;
    if (sb->budget <= 0)
        return luaL_error(L, "policy took too long (more than %d instructions)",
                          (int)sb->instructions);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* xpcall's message handler runs where the error was raised; when that is our
 * count hook, hooks are off and a looping handler would never be stopped. So
 * xpcall is pcall, then the handler, called normally, on the error. */
static const char safe_xpcall[] =
    "local pcall, type, error = pcall, type, error\n"
    "local function finish(handler, ok, ...)\n"
    "  if ok then return true, ... end\n"
    "  local _, e = pcall(handler, (...))\n"
    "  return false, e\n"
    "end\n"
    "return function(f, handler, ...)\n"
    "  if type(handler) ~= 'function' then\n"
    "    error(\"bad argument #2 to 'xpcall' (function expected)\", 2)\n"
    "  end\n"
    "  return finish(handler, pcall(f, ...))\n"
    "end\n";

static void wrap_field(lua_State *L, const char *table, const char *name, lua_CFunction wrapper)
{
    if (table)
        lua_getglobal(L, table);
    else
        lua_pushglobaltable(L);
    lua_getfield(L, -1, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setfield(L, -2, name);
    lua_pop(L, 1);
}

static void remove_field(lua_State *L, const char *table, const char *name)
{
    if (lua_getglobal(L, table) == LUA_TTABLE) {
        lua_pushnil(L);
        lua_setfield(L, -2, name);
    }
    lua_pop(L, 1);
}

/* Only pure libraries: no io, os, package/require, debug. Loading code at
 * run time (load, loadfile, dofile, string.dump) and steering the collector
 * go too, and so does math.random: a decision must be the same when the
 * event log is replayed. */
static void open_sandbox(lua_State *L)
{
    static const luaL_Reg libs[] = {{LUA_GNAME, luaopen_base},
                                    {LUA_TABLIBNAME, luaopen_table},
                                    {LUA_STRLIBNAME, luaopen_string},
                                    {LUA_MATHLIBNAME, luaopen_math},
                                    {LUA_UTF8LIBNAME, luaopen_utf8},
                                    {LUA_COLIBNAME, luaopen_coroutine},
                                    {NULL, NULL}};
    for (const luaL_Reg *lib = libs; lib->func; lib++) {
        luaL_requiref(L, lib->name, lib->func, 1);
        lua_pop(L, 1);
    }
    static const char *const gone[] = {"dofile", "loadfile", "load", "collectgarbage", "require"};
    for (size_t i = 0; i < sizeof gone / sizeof gone[0]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, gone[i]);
    }
    remove_field(L, LUA_STRLIBNAME, "dump");
    remove_field(L, LUA_MATHLIBNAME, "random");
    remove_field(L, LUA_MATHLIBNAME, "randomseed");
    lua_pushcfunction(L, policy_print);
    lua_setglobal(L, "print");
    wrap_field(L, NULL, "setmetatable", sandbox_setmetatable);
    wrap_field(L, LUA_COLIBNAME, "create", sandbox_new_coroutine);
    wrap_field(L, LUA_COLIBNAME, "wrap", sandbox_new_coroutine);
    if (luaL_loadbufferx(L, safe_xpcall, sizeof safe_xpcall - 1, "=xpcall", "t") != LUA_OK)
        lua_error(L);
    lua_call(L, 0, 1);
    lua_setglobal(L, "xpcall");
    /* The registry's _LOADED table still holds the original libraries
     * (luaL_requiref puts them there), out of reach without debug or
     * package. */
}

static int decide_protected(lua_State *L);
static int lazy_index(lua_State *L);

/* A policy file's text, as read_policy found it. */
typedef struct policy_text {
    const char *path;
    char *storage; /* malloc'd */
    const char *bytes;
    size_t len;
} policy_text;

/* Runs protected: everything here may run out of memory or time. */
static int load_protected(lua_State *L)
{
    sandbox *sb = lua_touserdata(L, 1);
    const policy_text *text = lua_touserdata(L, 2);
    const char *path = text->path;
    open_sandbox(L);
    lua_gc(L, LUA_GCGEN, 0, 0); /* each call leaves young garbage only: strings of one listing */

    lua_pushfstring(L, "@%s", path); /* messages say "path:line: ..." */
    if (luaL_loadbufferx(L, text->bytes, text->len, lua_tostring(L, -1), "t") != LUA_OK)
        return lua_error(L);
    arm_limits(sb);
    lua_call(L, 0, 0);
    lua_sethook(L, NULL, 0, 0);

    int t = lua_getglobal(L, "decide");
    if (t != LUA_TFUNCTION)
        return luaL_error(L, "%s: does not define function decide(l)%s%s", path,
                          t == LUA_TNIL ? "" : "; decide is a ",
                          t == LUA_TNIL ? "" : lua_typename(L, t));
    int decide = lua_gettop(L);
    lua_Debug ar;
    lua_pushvalue(L, decide);
    lua_getinfo(L, ">S", &ar);
    sb->decide_line = ar.linedefined;

    luaL_checkstack(L, UV_COUNT, NULL);
    for (int k = 0; k < K_COUNT; k++)
        lua_pushstring(L, key_names[k]);
    lua_createtable(L, 0, 16); /* l */
    lua_createtable(L, 8, 0);  /* l.signals */
    lua_createtable(L, 8, 0);  /* the signal tables, kept across calls */
    lua_createtable(L, 0, 8);  /* l.has */
    lua_createtable(L, 0, 2);  /* l.cluster */
    lua_pushvalue(L, decide);
    /* l.signals and l.has are built only when a rule reads them: most
     * listings pass rules that never look (see lazy_index). The metatable
     * is locked so that the policy cannot take it away. */
    int base = lua_gettop(L) - UV_COUNT;
    lua_createtable(L, 0, 2);
    luaL_checkstack(L, UV_COUNT, NULL);
    for (int i = 1; i <= UV_COUNT; i++)
        lua_pushvalue(L, base + i);
    lua_pushcclosure(L, lazy_index, UV_COUNT);
    lua_setfield(L, -2, "__index");
    lua_pushboolean(L, 0);
    lua_setfield(L, -2, "__metatable");
    lua_setmetatable(L, base + 1 + UV_L);
    lua_pushcclosure(L, decide_protected, UV_COUNT);
    sb->ref_call = luaL_ref(L, LUA_REGISTRYINDEX);
    return 0;
}

static void sandbox_free(sandbox *sb)
{
    if (!sb) return;
    if (sb->L) {
        /* Finalizers a policy set (__gc) run in lua_close: with the budget
         * spent they stop at their first instruction. */
        sb->budget = 0;
        lua_sethook(sb->L, count_hook, LUA_MASKCOUNT, 1);
        lua_close(sb->L);
    }
    free(sb);
}

/* The policy's text, read before Lua sees it: only a regular file, opened
 * without blocking, so a FIFO or a device named by --policy is refused at
 * start and on SIGHUP instead of hanging the engine. */
#define MAX_POLICY_BYTES (4 << 20)

static int read_policy(const char *path, policy_text *out, gn_error *err)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) return gn_fail(err, GN_ECONFIG, "%s: cannot open: %s", path, strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_POLICY_BYTES) {
        int regular = fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
        close(fd);
        return regular ? gn_fail(err, GN_ECONFIG, "%s: over %d bytes: not a policy", path,
                                 MAX_POLICY_BYTES)
                       : gn_fail(err, GN_ECONFIG,
                                 "%s: not a regular file (a FIFO, a device or a directory): a "
                                 "policy is a Lua file",
                                 path);
    }
    char *bytes = gn_xmalloc((size_t)st.st_size + 1);
    size_t len = 0;
    ssize_t n = 1;
    while (len < (size_t)st.st_size &&
           ((n = read(fd, bytes + len, (size_t)st.st_size - len)) > 0 || (n < 0 && errno == EINTR)))
        len += n > 0 ? (size_t)n : 0;
    close(fd);
    if (n < 0) {
        free(bytes);
        return gn_fail(err, GN_ECONFIG, "%s: cannot read: %s", path, strerror(errno));
    }
    out->storage = bytes;
    out->bytes = bytes;
    out->len = len;
    /* As luaL_loadfile does: a UTF-8 byte order mark and a first line
     * starting with '#' are skipped (the line's newline kept, so line
     * numbers stay right). */
    if (out->len >= 3 && memcmp(out->bytes, "\xEF\xBB\xBF", 3) == 0) out->bytes += 3, out->len -= 3;
    if (out->len && out->bytes[0] == '#') {
        const char *nl = memchr(out->bytes, '\n', out->len);
        size_t skip = nl ? (size_t)(nl - out->bytes) : out->len;
        out->bytes += skip;
        out->len -= skip;
    }
    return 0;
}

static int sandbox_from_text(sandbox **out, policy_text text, const gn_lua_limits *limits,
                             gn_error *err);

static int sandbox_new(sandbox **out, const char *path, const gn_lua_limits *limits, gn_error *err)
{
    *out = NULL;
    policy_text text;
    int read_rc = read_policy(path, &text, err);
    if (read_rc) return read_rc;
    return sandbox_from_text(out, text, limits, err);
}

/* A new sandbox on a policy's text (its storage freed here). */
static int sandbox_from_text(sandbox **out, policy_text text, const gn_lua_limits *limits,
                             gn_error *err)
{
    const char *path = text.path;
    sandbox *sb = gn_xcalloc(1, sizeof *sb);
    if (!sb) {
        free(text.storage);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory", path);
    }
    sb->limit = limits->memory_bytes;
    sb->instructions = limits->instructions;
    sb->L = lua_newstate(limited_alloc, sb);
    if (!sb->L) {
        free(sb);
        free(text.storage);
        return gn_fail(err, GN_ECONFIG, "%s: memory limit of %zu bytes is too small for Lua", path,
                       limits->memory_bytes);
    }
    lua_pushcfunction(sb->L, load_protected);
    lua_pushlightuserdata(sb->L, sb);
    lua_pushlightuserdata(sb->L, &text);
    int rc = lua_pcall(sb->L, 2, 0, 0);
    free(text.storage);
    if (rc != LUA_OK) {
        if (rc == LUA_ERRMEM)
            gn_fail(err, GN_ECONFIG,
                    "%s: the policy ran out of memory while loading (limit %zu bytes)", path,
                    sb->limit);
        else
            gn_fail(err, GN_ECONFIG, "%s",
                    lua_type(sb->L, -1) == LUA_TSTRING ? lua_tostring(sb->L, -1)
                                                       : "the policy raised a non-string error");
        sandbox_free(sb);
        return GN_ECONFIG;
    }
    *out = sb;
    return 0;
}

/* ------------------------------------------------------------ the API */

int gn_lua_policy_load(gn_lua_policy **out, const char *path, const gn_lua_limits *limits,
                       gn_error *err)
{
    *out = NULL;
    gn_lua_policy *p = gn_xcalloc(1, sizeof *p);
    if (!p || !(p->path = gn_xstrdup(path))) {
        free(p);
        return gn_fail(err, GN_ENOMEM, "%s: out of memory", path);
    }
    if (limits) p->limits = *limits;
    if (p->limits.instructions <= 0) p->limits.instructions = DEFAULT_INSTRUCTIONS;
    if (p->limits.instructions > 1000000000L)
        p->limits.instructions = 1000000000L; /* keeps the count an int in messages */
    if (p->limits.memory_bytes == 0) p->limits.memory_bytes = DEFAULT_MEMORY;
    int rc = sandbox_new(&p->running, p->path, &p->limits, err);
    if (rc < 0) {
        free(p->path);
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int gn_lua_policy_load_text(gn_lua_policy **out, const char *name, const char *text, size_t len,
                            const gn_lua_limits *limits, gn_error *err)
{
    *out = NULL;
    if (len > MAX_POLICY_BYTES)
        return gn_fail(err, GN_ECONFIG, "%s: over %d bytes: not a policy", name, MAX_POLICY_BYTES);
    gn_lua_policy *p = gn_xcalloc(1, sizeof *p);
    p->path = gn_xstrdup(name);
    p->from_text = 1;
    p->limits.instructions =
        limits && limits->instructions > 0 ? limits->instructions : DEFAULT_INSTRUCTIONS;
    if (p->limits.instructions > 1000000000L) p->limits.instructions = 1000000000L;
    p->limits.memory_bytes = limits && limits->memory_bytes ? limits->memory_bytes : DEFAULT_MEMORY;
    char *copy = gn_xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = 0;
    /* As a file is read: a byte order mark and a first line starting with '#' skipped. */
    policy_text t = {name, copy, copy, len};
    if (t.len >= 3 && memcmp(t.bytes, "\xEF\xBB\xBF", 3) == 0) t.bytes += 3, t.len -= 3;
    if (t.len && t.bytes[0] == '#') {
        const char *nl = memchr(t.bytes, '\n', t.len);
        size_t skip = nl ? (size_t)(nl - t.bytes) : t.len;
        t.bytes += skip, t.len -= skip;
    }
    int rc = sandbox_from_text(&p->running, t, &p->limits, err);
    if (rc < 0) {
        free(p->path);
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int gn_lua_policy_reload(gn_lua_policy *p, gn_error *err)
{
    if (p->from_text)
        return gn_fail(err, GN_ECONFIG, "%s: a policy given as text has no file to reload",
                       p->path);
    sandbox *fresh;
    int rc = sandbox_new(&fresh, p->path, &p->limits, err);
    if (rc < 0) return rc;
    sandbox_free(p->running);
    p->running = fresh;
    return 0;
}

void gn_lua_policy_free(gn_lua_policy *p)
{
    if (!p) return;
    sandbox_free(p->running);
    free(p->path);
    free(p);
}

const char *gn_lua_policy_path(const gn_lua_policy *p)
{
    return p->path;
}

/* ------------------------------------------------------------ one call */

typedef struct call {
    const gn_policy_input *in;
    gn_policy_output *out;
    char problem[400]; /* a malformed return value, said in the author's words */
} call;

/* t[key] = value, raw so that a metatable the policy set on l cannot
 * intercept it. The value is pushed by the caller after the key. */
static void set_string(lua_State *L, int t, int k, const char *s)
{
    lua_pushvalue(L, UV(k));
    if (s)
        lua_pushstring(L, s);
    else
        lua_pushnil(L);
    lua_rawset(L, t);
}

static void set_number(lua_State *L, int t, int k, double v)
{
    lua_pushvalue(L, UV(k));
    lua_pushnumber(L, v);
    lua_rawset(L, t);
}

static void set_value(lua_State *L, int t, int k, int from)
{
    lua_pushvalue(L, UV(k));
    lua_pushvalue(L, from);
    lua_rawset(L, t);
}

/* l.signals: the array of {code, value, weight, detail}, its tables reused. */
static void fill_signals(lua_State *L, const gn_policy_input *in)
{
    const int signals = UV(UV_SIGNALS), pool = UV(UV_POOL);
    int i = 0;
    for (; i < in->n_signals; i++) {
        const gn_policy_signal *s = &in->signals[i];
        if (lua_rawgeti(L, pool, i + 1) != LUA_TTABLE) {
            lua_pop(L, 1);
            lua_createtable(L, 0, 4);
            lua_pushvalue(L, -1);
            lua_rawseti(L, pool, i + 1);
        }
        int t = lua_gettop(L);
        set_string(L, t, K_CODE, s->code ? s->code : "");
        set_number(L, t, K_VALUE, s->value);
        set_number(L, t, K_WEIGHT, s->weight);
        set_string(L, t, K_DETAIL, s->detail ? s->detail : "");
        lua_rawseti(L, signals, i + 1);
    }
    /* Cut the array to this listing's signals. */
    for (i = i + 1; lua_rawgeti(L, signals, i) != LUA_TNIL; i++) {
        lua_pop(L, 1);
        lua_pushnil(L);
        lua_rawseti(L, signals, i);
    }
    lua_pop(L, 1);
}

/* l.has: code -> the strongest value raised under that code. */
static void fill_has(lua_State *L, const gn_policy_input *in)
{
    const int has = UV(UV_HAS);
    /* Forget the previous listing's codes (a handful). */
    lua_pushnil(L);
    while (lua_next(L, has)) {
        lua_pop(L, 1);
        lua_pushvalue(L, -1);
        lua_pushnil(L);
        lua_rawset(L, has);
    }
    for (int i = 0; i < in->n_signals; i++) {
        const gn_policy_signal *s = &in->signals[i];
        if (!s->code) continue;
        lua_pushstring(L, s->code);
        lua_pushvalue(L, -1);
        if (lua_rawget(L, has) == LUA_TNUMBER && lua_tonumber(L, -1) >= s->value) {
            lua_pop(L, 2);
            continue;
        }
        lua_pop(L, 1);
        lua_pushnumber(L, s->value);
        lua_rawset(L, has);
    }
}

static void fill_input(lua_State *L, const gn_policy_input *in)
{
    const int l = UV(UV_L), cluster = UV(UV_CLUSTER);
    set_string(L, l, K_LISTING, in->listing);
    set_string(L, l, K_SELLER, in->seller);
    set_string(L, l, K_TITLE, in->title);
    set_string(L, l, K_CATEGORY, in->category);
    set_string(L, l, K_BRAND, in->brand);
    set_string(L, l, K_CURRENCY, in->currency);
    set_number(L, l, K_PRICE, in->price);
    set_number(L, l, K_SCORE, in->score);
    set_string(L, l, K_ACTION, in->action);
    lua_pushvalue(L, UV(K_MODEL_SCORE));
    if (isnan(in->model_score))
        lua_pushnil(L);
    else
        lua_pushnumber(L, in->model_score);
    lua_rawset(L, l);
    lua_pushvalue(L, UV(K_SELLER_VERIFIED));
    lua_pushboolean(L, in->seller_verified != 0);
    lua_rawset(L, l);
    lua_pushvalue(L, UV(K_SIZE));
    lua_pushinteger(L, in->cluster_size);
    lua_rawset(L, cluster);
    lua_pushvalue(L, UV(K_BANNED));
    lua_pushinteger(L, in->cluster_banned);
    lua_rawset(L, cluster);
    /* Put our cluster back in case the last call replaced it; signals and
     * has come when first read. */
    set_value(L, l, K_CLUSTER, cluster);
    lua_pushvalue(L, UV(K_SIGNALS));
    lua_pushnil(L);
    lua_rawset(L, l);
    lua_pushvalue(L, UV(K_HAS));
    lua_pushnil(L);
    lua_rawset(L, l);
}

/* __index of l: on the first read of l.signals or l.has in a call, builds
 * it and stores it in l, so later reads are plain table reads. Each is built
 * apart: a rule reading l.has does not pay for the signal tables. */
static int lazy_index(lua_State *L)
{
    const sandbox *sb = sandbox_of(L);
    if (!sb->current) return 0;
    if (lua_rawequal(L, 2, UV(K_SIGNALS))) {
        fill_signals(L, sb->current);
        set_value(L, UV(UV_L), K_SIGNALS, UV(UV_SIGNALS));
        lua_pushvalue(L, UV(UV_SIGNALS));
        return 1;
    }
    if (lua_rawequal(L, 2, UV(K_HAS))) {
        fill_has(L, sb->current);
        set_value(L, UV(UV_L), K_HAS, UV(UV_HAS));
        lua_pushvalue(L, UV(UV_HAS));
        return 1;
    }
    return 0;
}

/* A rule's reason comes out under its own code. The codes of people's and
 * the workflows' decisions are not a rule's to use: a statement of reasons
 * would tell a seller a human decided what a rule did. */
static const char *const reserved_prefixes[] = {"VERDICT_", "COMPLAINT_", "REPORT_", "APPEAL_"};

static int reserved_code(const char *s)
{
    for (size_t i = 0; i < sizeof reserved_prefixes / sizeof *reserved_prefixes; i++)
        if (strncmp(s, reserved_prefixes[i], strlen(reserved_prefixes[i])) == 0) return 1;
    return strcmp(s, "SELLER_SUSPENDED") == 0 || strcmp(s, "SELLER_BANNED") == 0;
}

static int valid_code(const char *s, size_t len)
{
    if (len == 0 || len >= sizeof((gn_policy_reason *)0)->code || !(s[0] >= 'A' && s[0] <= 'Z'))
        return 0;
    for (size_t i = 1; i < len; i++)
        if (!((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
            return 0;
    return 1;
}

/* Copies at most cap-1 bytes, never cutting a UTF-8 sequence in two. */
static void copy_utf8(char *dst, size_t cap, const char *src, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(dst, src, len);
    dst[len] = 0;
}

#define PROBLEM(c, ...) (snprintf((c)->problem, sizeof(c)->problem, __VA_ARGS__), 0)

/* Only the known keys: a typo ("actoin") must not silently keep the default. */
static int only_keys(call *c, lua_State *L, int t, const char *what, const char *a, const char *b)
{
    lua_pushnil(L);
    while (lua_next(L, t)) {
        lua_pop(L, 1);
        const char *k = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : NULL;
        if (!k || (strcmp(k, a) != 0 && strcmp(k, b) != 0)) {
            int r = PROBLEM(c, "%s has an unknown field %s%s%s (expected %s and %s)", what,
                            k ? "'" : "of type ", k ? k : luaL_typename(L, -1), k ? "'" : "", a, b);
            lua_pop(L, 1);
            return r;
        }
    }
    return 1;
}

/* The value decide returned is at the top. Returns 0 and fills c->problem
 * when it is malformed. */
static int read_output(call *c, lua_State *L)
{
    gn_policy_output *out = c->out;
    int r = lua_gettop(L);
    if (lua_isnil(L, r)) return 1;
    if (!lua_istable(L, r))
        return PROBLEM(c, "returned a %s; expected nil or {action = ..., reasons = {...}}",
                       luaL_typename(L, r));
    if (!only_keys(c, L, r, "the returned table", "action", "reasons")) return 0;

    lua_pushvalue(L, UV(K_ACTION));
    int t = lua_rawget(L, r);
    if (t == LUA_TSTRING) {
        const char *a = lua_tostring(L, -1);
        if (strcmp(a, "allow") != 0 && strcmp(a, "review") != 0 && strcmp(a, "block") != 0)
            return PROBLEM(
                c, "returned action '%.40s'; expected \"allow\", \"review\" or \"block\"", a);
        snprintf(out->action, sizeof out->action, "%s", a);
    } else if (t != LUA_TNIL) {
        return PROBLEM(c, "returned action of type %s; expected \"allow\", \"review\" or \"block\"",
                       lua_typename(L, t));
    }
    lua_pop(L, 1);

    lua_pushvalue(L, UV(K_REASONS));
    t = lua_rawget(L, r);
    if (t == LUA_TNIL) return 1;
    if (t != LUA_TTABLE)
        return PROBLEM(c,
                       "returned reasons of type %s; expected a list of {code = ..., detail = ...}",
                       lua_typename(L, t));
    int reasons = lua_gettop(L);
    lua_Integer n = (lua_Integer)lua_rawlen(L, reasons);
    if (n > GN_POLICY_MAX_REASONS)
        return PROBLEM(c, "returned %lld reasons; at most %d are kept", (long long)n,
                       GN_POLICY_MAX_REASONS);
    for (lua_Integer i = 1; i <= n; i++) {
        char what[32];
        snprintf(what, sizeof what, "reasons[%lld]", (long long)i);
        if (lua_rawgeti(L, reasons, i) != LUA_TTABLE)
            return PROBLEM(c, "returned %s of type %s; expected {code = \"...\", detail = \"...\"}",
                           what, luaL_typename(L, -1));
        int reason = lua_gettop(L);
        if (!only_keys(c, L, reason, what, "code", "detail")) return 0;
        gn_policy_reason *out_reason = &out->reasons[out->n_reasons];
        size_t len;
        lua_pushvalue(L, UV(K_CODE));
        if (lua_rawget(L, reason) != LUA_TSTRING)
            return PROBLEM(c, "returned %s.code of type %s; expected a string like \"MY_RULE\"",
                           what, luaL_typename(L, -1));
        const char *code = lua_tolstring(L, -1, &len);
        if (!valid_code(code, len))
            return PROBLEM(c,
                           "returned %s.code '%.60s'; a code is A-Z, 0-9 and _, starts with a "
                           "letter and is at most %zu characters",
                           what, code, sizeof out_reason->code - 1);
        if (reserved_code(code))
            return PROBLEM(c,
                           "returned %s.code '%s', which is genuine's own for people's and the "
                           "workflows' decisions (VERDICT_*, COMPLAINT_*, REPORT_*, APPEAL_*, "
                           "SELLER_SUSPENDED, SELLER_BANNED); name the rule's own",
                           what, code);
        memcpy(out_reason->code, code, len + 1);
        lua_pop(L, 1);
        lua_pushvalue(L, UV(K_DETAIL));
        t = lua_rawget(L, reason);
        if (t == LUA_TSTRING) {
            const char *detail = lua_tolstring(L, -1, &len);
            copy_utf8(out_reason->detail, sizeof out_reason->detail, detail, len);
        } else if (t == LUA_TNIL) {
            out_reason->detail[0] = 0;
        } else {
            return PROBLEM(c, "returned %s.detail of type %s; expected a string", what,
                           lua_typename(L, t));
        }
        lua_pop(L, 2);
        out->n_reasons++;
    }
    return 1;
}

/* Runs protected: fills l, calls decide(l), reads what came back. */
static int decide_protected(lua_State *L)
{
    call *c = lua_touserdata(L, 1);
    lua_settop(L, 0);
    fill_input(L, c->in);
    lua_pushvalue(L, UV(UV_DECIDE));
    lua_pushvalue(L, UV(UV_L));
    lua_call(L, 1, 1);
    read_output(c, L);
    return 0;
}

static void keep_default(gn_policy_output *out)
{
    out->action[0] = 0;
    out->n_reasons = 0;
}

int gn_lua_policy_decide(gn_lua_policy *p, const gn_policy_input *in, gn_policy_output *out,
                         gn_error *err)
{
    sandbox *sb = p->running;
    lua_State *L = sb->L;
    call c = {.in = in, .out = out};
    keep_default(out);
    arm_limits(sb);
    lua_rawgeti(L, LUA_REGISTRYINDEX, sb->ref_call);
    lua_pushlightuserdata(L, &c);
    sb->current = in;
    int rc = lua_pcall(L, 1, 0, 0);
    sb->current = NULL;
    if (rc == LUA_OK && !c.problem[0]) return 0;
    keep_default(out);
    if (rc == LUA_ERRMEM) {
        lua_pop(L, 1);
        return gn_fail(err, GN_EINPUT, "%s: the policy ran out of memory (limit %zu bytes)",
                       p->path, sb->limit);
    }
    if (rc != LUA_OK) {
        int rc2 = gn_fail(err, GN_EINPUT, "%s",
                          lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1)
                                                         : "the policy raised a non-string error");
        lua_pop(L, 1);
        return rc2;
    }
    return gn_fail(err, GN_EINPUT, "%s:%d: decide %s", p->path, sb->decide_line, c.problem);
}
