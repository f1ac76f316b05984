/* The Lua policy (src/decide/lua_policy.c): the shipped policy keeps the
 * default decisions, rules change them, the sandbox holds (no I/O, no loading
 * code, limits on time and memory), errors name the line, reload is safe. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "decide/lua_policy.h"

static char dir[64];

static int setup(void **state)
{
    snprintf(dir, sizeof dir, "/tmp/genuine-test-lua-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Writes a policy file under the temp dir and returns its path (static). */
static const char *write_policy(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    return path;
}

static gn_lua_policy *load_text(const char *name, const char *text)
{
    gn_lua_policy *p;
    gn_error err = {0};
    if (gn_lua_policy_load(&p, write_policy(name, text), NULL, &err) != 0)
        fail_msg("load %s: %s", name, err.message);
    return p;
}

static const gn_policy_signal some_signals[] = {
    {"PRICE_FAR_BELOW_REFERENCE", 0.8, 1.28, "asks 12% of the reference price"},
    {"SELLER_NEW_ACCOUNT", 0.9, 0.315, "account opened 3 days ago"},
    {"SELLER_UNVERIFIED", 0.6, 0.15, "seller not verified"},
};

static gn_policy_input input(const char *action, double score)
{
    gn_policy_input in = {
        .listing = "L1",
        .seller = "S1",
        .title = "Rolex Cosmograph Daytona 116500LN",
        .category = "watches",
        .brand = "rolex",
        .currency = "USD",
        .price = 1850,
        .signals = some_signals,
        .n_signals = 3,
        .score = score,
        .action = action,
        .model_score = NAN,
        .cluster_size = 1,
        .cluster_banned = 0,
        .seller_verified = 0,
    };
    return in;
}

static void assert_keeps_default(const gn_policy_output *out)
{
    assert_string_equal(out->action, "");
    assert_int_equal(out->n_reasons, 0);
}

/* ------------------------------------------------------------ the shipped policy */

static void test_default_keeps_decisions(void **state)
{
    gn_lua_policy *p;
    gn_error err = {0};
    if (gn_lua_policy_load(&p, "policy/default.lua", NULL, &err)) fail_msg("%s", err.message);
    const char *actions[] = {"allow", "review", "block"};
    const double scores[] = {0.1, 0.6, 0.9};
    for (int i = 0; i < 3; i++) {
        gn_policy_input in = input(actions[i], scores[i]);
        gn_policy_output out;
        assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
        assert_keeps_default(&out);
        in.n_signals = 0, in.brand = NULL, in.title = NULL, in.seller_verified = 1;
        in.model_score = 0.3, in.cluster_size = 4;
        assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
        assert_keeps_default(&out);
    }
    /* The one active rule: linked to a banned account -> at least review. */
    gn_policy_input in = input("allow", 0.2);
    in.cluster_size = 3, in.cluster_banned = 1;
    gn_policy_output out;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "review");
    assert_int_equal(out.n_reasons, 1);
    assert_string_equal(out.reasons[0].code, "CLUSTER_HAS_BANNED");
    assert_non_null(strstr(out.reasons[0].detail, "1 banned"));
    in = input("block", 0.95);
    in.cluster_banned = 2;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_keeps_default(&out); /* block stays block */
    gn_lua_policy_free(p);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *text = calloc(1, 1 << 16);
    assert_non_null(text);
    size_t n = fread(text, 1, (1 << 16) - 1, f);
    assert_true(n > 0);
    fclose(f);
    return text;
}

static void uncomment(char *text, const char *line)
{
    char *at = strstr(text, line);
    assert_non_null(at);
    memset(at, ' ', 3); /* "-- " */
}

/* The commented examples in the shipped file work once a platform fills the
 * tables in. */
static void test_default_examples_when_enabled(void **state)
{
    char *text = read_all("policy/default.lua");
    uncomment(text, "-- rolex = {");
    uncomment(text, "-- watches = 0.35,");
    uncomment(text, "-- [\"S1042\"] = true,");
    gn_lua_policy *p = load_text("examples.lua", text);
    free(text);
    gn_error err = {0};
    gn_policy_output out;

    gn_policy_input in = input("allow", 0.1);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "review");
    assert_int_equal(out.n_reasons, 1);
    assert_string_equal(out.reasons[0].code, "BRAND_RULE_HELD_LINE");
    assert_non_null(strstr(out.reasons[0].detail, "daytona"));

    in.title = "Rolex Datejust 36", in.score = 0.4;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "review");
    assert_string_equal(out.reasons[0].code, "CATEGORY_STRICT");
    in.score = 0.3;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_keeps_default(&out);
    in.category = "shoes", in.score = 0.4;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_keeps_default(&out);

    in = input("block", 0.9);
    in.seller = "S1042", in.title = "Rolex Submariner", in.cluster_banned = 1;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "review");
    assert_int_equal(out.n_reasons, 2);
    assert_string_equal(out.reasons[0].code, "BRAND_RULE_HELD_LINE");
    assert_string_equal(out.reasons[1].code, "TRUSTED_SELLER_NOT_BLOCKED");

    gn_lua_policy_free(p);

    /* (5) gated brands and categories: verified sellers only */
    text = read_all("policy/default.lua");
    uncomment(text, "-- [\"rolex\"] = true,");
    uncomment(text, "-- medicines = true,");
    p = load_text("gates.lua", text);
    free(text);
    in = input("allow", 0.1);
    in.title = "Rolex strap", in.seller_verified = 0;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block");
    assert_string_equal(out.reasons[out.n_reasons - 1].code, "SELLER_NOT_VERIFIED_FOR_GATED");
    assert_non_null(strstr(out.reasons[out.n_reasons - 1].detail, "brand rolex"));
    in.seller_verified = 1, in.title = "Rolex strap", in.score = 0.1;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_not_equal(out.action, "block");
    in = input("allow", 0.1);
    in.brand = NULL, in.category = "medicines", in.seller_verified = 0;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block");
    assert_non_null(strstr(out.reasons[0].detail, "category medicines"));
    gn_lua_policy_free(p);
}

/* ------------------------------------------------------------ rules and the table l */

static void test_rules_change_actions(void **state)
{
    gn_lua_policy *p =
        load_text("rules.lua", "function decide(l)\n"
                               "  if l.has.PRICE_FAR_BELOW_REFERENCE and l.category == 'watches' "
                               "then\n"
                               "    return {action = 'block', reasons = {\n"
                               "      {code = 'CHEAP_WATCH', detail = 'a cheap ' .. l.brand},\n"
                               "      {code = 'SECOND_REASON'}}}\n"
                               "  end\n"
                               "  if l.score > 0.2 then return {reasons = {{code = 'NOTED', "
                               "detail = 'only a note'}}} end\n"
                               "  if l.price < 10 then return {action = 'allow'} end\n"
                               "end\n");
    gn_error err = {0};
    gn_policy_output out;
    gn_policy_input in = input("review", 0.6);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block");
    assert_int_equal(out.n_reasons, 2);
    assert_string_equal(out.reasons[0].code, "CHEAP_WATCH");
    assert_string_equal(out.reasons[0].detail, "a cheap rolex");
    assert_string_equal(out.reasons[1].code, "SECOND_REASON");
    assert_string_equal(out.reasons[1].detail, "");

    in.n_signals = 1, in.signals = &some_signals[1]; /* no price signal now */
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, ""); /* reasons only: the action stays */
    assert_int_equal(out.n_reasons, 1);
    assert_string_equal(out.reasons[0].code, "NOTED");

    in.score = 0.1, in.price = 5;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "allow");
    assert_int_equal(out.n_reasons, 0);
    gn_lua_policy_free(p);
}

/* Every field of l, and the reused tables shrink and forget between calls. */
static void test_input_table(void **state)
{
    gn_lua_policy *p = load_text(
        "fields.lua",
        "function decide(l)\n"
        "  local codes = {}\n"
        "  for i, s in ipairs(l.signals) do\n"
        "    codes[#codes + 1] = string.format('%s=%.2f/%.3f/%s', s.code, s.value, s.weight, "
        "s.detail)\n"
        "  end\n"
        "  local has = {}\n"
        "  for k, v in pairs(l.has) do has[#has + 1] = k .. '=' .. v end\n"
        "  table.sort(has)\n"
        "  l.signals = nil; l.has = 'spoilt'; l.cluster = nil  -- must not break the next call\n"
        "  return {reasons = {\n"
        "    {code = 'A', detail = table.concat({l.listing, l.seller, l.title, l.category, "
        "tostring(l.brand), l.currency, l.price, l.score, l.action, tostring(l.model_score), "
        "tostring(l.seller_verified)}, '|')},\n"
        "    {code = 'B', detail = table.concat(codes, ';')},\n"
        "    {code = 'C', detail = table.concat(has, ';')}}}\n"
        "end\n");
    gn_error err = {0};
    gn_policy_output out;
    gn_policy_input in = input("review", 0.5);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_int_equal(out.n_reasons, 3);
    assert_string_equal(out.reasons[0].detail, "L1|S1|Rolex Cosmograph Daytona 116500LN|watches|"
                                               "rolex|USD|1850.0|0.5|review|nil|false");
    assert_string_equal(out.reasons[1].detail,
                        "PRICE_FAR_BELOW_REFERENCE=0.80/1.280/asks 12% of the reference "
                        "price;SELLER_NEW_ACCOUNT=0.90/0.315/account opened 3 days "
                        "ago;SELLER_UNVERIFIED=0.60/0.150/seller not verified");
    assert_string_equal(
        out.reasons[2].detail,
        "PRICE_FAR_BELOW_REFERENCE=0.8;SELLER_NEW_ACCOUNT=0.9;SELLER_UNVERIFIED=0.6");

    /* Fewer signals, a duplicate code (the strongest wins), no brand, a model. */
    gn_policy_signal two[] = {{"SELLER_UNVERIFIED", 0.6, 0.15, "x"},
                              {"SELLER_UNVERIFIED", 1.0, 0.25, "y"}};
    in.signals = two, in.n_signals = 2, in.brand = NULL, in.model_score = 0.25;
    in.seller_verified = 1;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.reasons[0].detail, "L1|S1|Rolex Cosmograph Daytona 116500LN|watches|"
                                               "nil|USD|1850.0|0.5|review|0.25|true");
    assert_string_equal(out.reasons[1].detail,
                        "SELLER_UNVERIFIED=0.60/0.150/x;SELLER_UNVERIFIED=1.00/0.250/y");
    assert_string_equal(out.reasons[2].detail, "SELLER_UNVERIFIED=1.0");
    gn_lua_policy_free(p);

    p = load_text("cluster.lua", "function decide(l)\n"
                                 "  return {reasons = {{code = 'C', detail = l.cluster.size .. '/' "
                                 ".. l.cluster.banned .. '/' .. #l.signals}}}\n"
                                 "end\n");
    in = input("allow", 0);
    in.cluster_size = 7, in.cluster_banned = 2, in.n_signals = 0;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.reasons[0].detail, "7/2/0");
    gn_lua_policy_free(p);
}

/* ------------------------------------------------------------ the sandbox */

static void test_sandbox(void **state)
{
    /* Each line tries one forbidden thing when the title names it. */
    static const struct {
        const char *what, *expect;
    } forbidden[] = {
        {"io", "global 'io'"},           {"os", "global 'os'"},
        {"require", "global 'require'"}, {"package", "global 'package'"},
        {"load", "global 'load'"},       {"loadfile", "global 'loadfile'"},
        {"dofile", "global 'dofile'"},   {"loadstring", "global 'loadstring'"},
        {"dump", "field 'dump'"},        {"dump_method", "method 'dump'"},
        {"debug", "global 'debug'"},     {"collectgarbage", "global 'collectgarbage'"},
        {"random", "field 'random'"},
    };
    gn_lua_policy *p = load_text(
        "sandbox.lua",
        "function decide(l)\n"
        "  local t = l.title\n"
        "  if t == 'io' then io.open('/etc/passwd') end\n" /* 3 */
        "  if t == 'os' then os.execute('touch /tmp/genuine-pwned') end\n"
        "  if t == 'require' then require('os') end\n" /* 5 */
        "  if t == 'package' then package.loadlib('x', 'y') end\n"
        "  if t == 'load' then load('return 1')() end\n" /* 7 */
        "  if t == 'loadfile' then loadfile('/etc/passwd') end\n"
        "  if t == 'dofile' then dofile('/etc/passwd') end\n" /* 9 */
        "  if t == 'loadstring' then loadstring('return 1') end\n"
        "  if t == 'dump' then string.dump(decide) end\n" /* 11 */
        "  if t == 'dump_method' then ('x'):dump() end\n"
        "  if t == 'debug' then debug.sethook() end\n" /* 13 */
        "  if t == 'collectgarbage' then collectgarbage('stop') end\n"
        "  if t == 'random' then math.random() end\n" /* 15 */
        "  if t == 'allowed' then\n"
        "    local co = coroutine.wrap(function() coroutine.yield(utf8.char(72)) end)\n"
        "    print('allowed libraries work:', co(), math.floor(2.5), ('%d'):format(3))\n"
        "    return {reasons = {{code = 'OK', detail = co and string.upper(table.concat({'a', "
        "'b'}))}}}\n"
        "  end\n"
        "end\n");
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    for (size_t i = 0; i < sizeof forbidden / sizeof forbidden[0]; i++) {
        gn_error err = {0};
        in.title = forbidden[i].what;
        assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
        assert_keeps_default(&out);
        char line[16];
        snprintf(line, sizeof line, ".lua:%zu:", i + 3);
        if (!strstr(err.message, forbidden[i].expect) || !strstr(err.message, line) ||
            !strstr(err.message, "nil value"))
            fail_msg("%s: %s", forbidden[i].what, err.message);
    }
    assert_int_equal(access("/tmp/genuine-pwned", F_OK), -1);
    gn_error err = {0};
    in.title = "allowed";
    if (gn_lua_policy_decide(p, &in, &out, &err)) fail_msg("%s", err.message);
    assert_string_equal(out.reasons[0].detail, "AB");
    gn_lua_policy_free(p);

    /* Bytecode is refused: the file is loaded as text only. */
    gn_lua_policy *q;
    const char *path = write_policy("binary.lua", "\x1bLua\x54");
    assert_int_equal(gn_lua_policy_load(&q, path, NULL, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "binary"));
}

static double seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static void expect_too_long(gn_lua_policy *p, const char *title, const char *line)
{
    gn_error err = {0};
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    in.title = title;
    double t0 = seconds();
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    double took = seconds() - t0;
    assert_keeps_default(&out);
    if (!strstr(err.message, "took too long") || (line && !strstr(err.message, line)))
        fail_msg("%s: %s", title, err.message);
    if (took > 0.5) fail_msg("%s: stopped only after %.3f s", title, took);
}

static void test_instruction_limit(void **state)
{
    gn_lua_policy *p = load_text(
        "loop.lua",
        "function decide(l)\n"
        "  if l.title == 'plain' then while true do end end\n"
        "  if l.title == 'pcall' then\n"
        "    while true do pcall(function() while true do end end) end\n"
        "  end\n"
        "  if l.title == 'coroutines' then\n" /* each would get a fresh count per thread */
        "    while true do\n"
        "      local co = coroutine.wrap(function() for i = 1, 90 do end end)\n"
        "      pcall(co)\n"
        "    end\n"
        "  end\n"
        "  if l.title == 'recursion' then\n"
        "    local function f(n) return f(n + 1) + 1 end\n"
        "    return f(1)\n"
        "  end\n"
        /* Places where Lua turns hooks off: an error handler run from the
         * hook, finalizers; and __close, run while unwinding. */
        "  if l.title == 'xpcall' then\n"
        "    while true do xpcall(function() while true do end end,\n"
        "                         function(m) while true do end end) end\n"
        "  end\n"
        "  if l.title == 'close' then\n"
        "    while true do pcall(function()\n"
        "      local x <close> = setmetatable({}, {__close = function() while true do end end})\n"
        "      while true do end\n"
        "    end) end\n"
        "  end\n"
        "  if l.title == 'gc' then\n"
        "    setmetatable({}, {__gc = function() while true do end end})\n"
        "  end\n"
        "  if l.title == 'xpcall works' then\n"
        "    local ok, e = xpcall(function() error('boom', 0) end, function(m) return 'got ' .. m "
        "end)\n"
        "    return {reasons = {{code = 'X', detail = tostring(ok) .. ' ' .. e}}}\n"
        "  end\n"
        "  return nil\n"
        "end\n");
    expect_too_long(p, "plain", "loop.lua:2:");
    expect_too_long(p, "pcall", "loop.lua:4:");
    expect_too_long(p, "coroutines", "loop.lua:");
    /* Deep recursion is a stack overflow or the instruction limit: either way an error. */
    gn_error err = {0};
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    in.title = "recursion";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "loop.lua:13:"));
    expect_too_long(p, "xpcall", NULL);
    expect_too_long(p, "close", "loop.lua:");
    in.title = "gc";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "loop.lua:27: __gc metamethods are not allowed"));
    in.title = "xpcall works";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.reasons[0].detail, "false got boom");
    /* And the policy still runs normally afterwards. */
    in.title = "fine";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    gn_lua_policy_free(p);

    /* A loop at the top of the file: refused when loading. */
    gn_lua_policy *q;
    gn_lua_limits limits = {.instructions = 5000};
    const char *path = write_policy("toploop.lua", "local n = 0\nwhile true do n = n + 1 end\n"
                                                   "function decide(l) end\n");
    assert_int_equal(gn_lua_policy_load(&q, path, &limits, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "toploop.lua:2: policy took too long"));
}

static void test_memory_limit(void **state)
{
    gn_lua_limits limits = {.instructions = 10000000, .memory_bytes = 4 << 20};
    const char *path = write_policy("bomb.lua", "local keep = {}\n"
                                                "function decide(l)\n"
                                                "  if l.title == 'one' then\n"
                                                "    return {reasons = {{code = 'X', detail = "
                                                "string.rep('x', 64 * 1024 * 1024)}}}\n"
                                                "  end\n"
                                                "  if l.title == 'grow' then\n"
                                                "    local t = {}\n"
                                                "    for i = 1, 1e9 do t[i] = string.rep('y', "
                                                "1000) .. i end\n"
                                                "  end\n"
                                                "  if l.title == 'keep' then\n"
                                                "    for i = 1, 1e9 do keep[#keep + 1] = {i} end\n"
                                                "  end\n"
                                                "end\n");
    gn_lua_policy *p;
    gn_error err = {0};
    assert_int_equal(gn_lua_policy_load(&p, path, &limits, &err), 0);
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    const char *bombs[] = {"one", "grow", "keep"};
    for (int i = 0; i < 3; i++) {
        in.title = bombs[i];
        assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
        assert_keeps_default(&out);
        if (!strstr(err.message, "out of memory") && !strstr(err.message, "not enough memory"))
            fail_msg("%s: %s", bombs[i], err.message);
    }
    /* 'keep' holds on to what it made: the state stays full but usable for
     * a policy that needs nothing new... */
    in.title = "fine";
    (void)gn_lua_policy_decide(p, &in, &out, &err);
    /* ...and a reload starts from a clean state. */
    assert_int_equal(gn_lua_policy_reload(p, &err), 0);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    gn_lua_policy_free(p);

    /* A limit too small even for Lua's own libraries is refused at load. */
    limits.memory_bytes = 1024;
    assert_int_equal(gn_lua_policy_load(&p, path, &limits, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "bomb.lua"));
}

/* ------------------------------------------------------------ errors */

static void test_load_errors(void **state)
{
    gn_lua_policy *p;
    gn_error err = {0};
    const char *path = write_policy("syntax.lua", "-- a policy\n"
                                                  "function decide(l)\n"
                                                  "  if l.score > 0.5\n"
                                                  "    if then\n"
                                                  "end\n");
    assert_int_equal(gn_lua_policy_load(&p, path, NULL, &err), GN_ECONFIG);
    assert_null(p);
    if (!strstr(err.message, "syntax.lua:4:")) fail_msg("%s", err.message);

    path = write_policy("nodecide.lua", "function decid(l) end\n");
    assert_int_equal(gn_lua_policy_load(&p, path, NULL, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "nodecide.lua: does not define function decide(l)"));

    path = write_policy("number.lua", "decide = 3\n");
    assert_int_equal(gn_lua_policy_load(&p, path, NULL, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "decide is a number"));

    path = write_policy("toperror.lua", "local x\nlocal y = x.field\nfunction decide(l) end\n");
    assert_int_equal(gn_lua_policy_load(&p, path, NULL, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "toperror.lua:2:"));

    char missing[128];
    snprintf(missing, sizeof missing, "%s/missing.lua", dir);
    assert_int_equal(gn_lua_policy_load(&p, missing, NULL, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "missing.lua"));
}

static void test_runtime_error_names_line(void **state)
{
    gn_lua_policy *p = load_text("runtime.lua", "function decide(l)\n"
                                                "  if l.title == 'index' then\n"
                                                "    return l.nothing.here\n"
                                                "  end\n"
                                                "  error('the rule is broken')\n"
                                                "end\n");
    gn_error err = {0};
    gn_policy_input in = input("review", 0.5);
    gn_policy_output out;
    in.title = "index";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    assert_keeps_default(&out);
    if (!strstr(err.message, "runtime.lua:3:") || !strstr(err.message, "nothing"))
        fail_msg("%s", err.message);
    in.title = "other";
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "runtime.lua:5: the rule is broken"));
    gn_lua_policy_free(p);
}

static void test_reload(void **state)
{
    const char *path =
        write_policy("live.lua", "function decide(l) return {action = 'block'} end\n");
    gn_lua_policy *p;
    gn_error err = {0};
    assert_int_equal(gn_lua_policy_load(&p, path, NULL, &err), 0);
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block");

    write_policy("live.lua", "function decide(l)\n  return {action = 'review'\nend\n");
    assert_int_equal(gn_lua_policy_reload(p, &err), GN_ECONFIG);
    if (!strstr(err.message, "live.lua:3:")) fail_msg("%s", err.message);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block"); /* the previous policy still runs */

    write_policy("live.lua", "function decid(l) end\n");
    assert_int_equal(gn_lua_policy_reload(p, &err), GN_ECONFIG);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "block");

    write_policy("live.lua", "function decide(l) return {action = 'review'} end\n");
    assert_int_equal(gn_lua_policy_reload(p, &err), 0);
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_string_equal(out.action, "review");
    assert_string_equal(gn_lua_policy_path(p), path);
    gn_lua_policy_free(p);
}

/* A rule pasted as text (the backtest): the same sandbox and messages under
 * the name given, a '#' first line and a byte order mark skipped as in a
 * file, and no file to reload. */
static void test_load_text(void **state)
{
    gn_lua_policy *p;
    gn_error err = {0};
    const char *broken = "function decide(l)\n  if then end\nend\n";
    assert_int_equal(gn_lua_policy_load_text(&p, "rule", broken, strlen(broken), NULL, &err),
                     GN_ECONFIG);
    if (!strstr(err.message, "rule:2:")) fail_msg("%s", err.message);
    const char *escape = "os.execute('true')\nfunction decide(l) end\n";
    assert_int_equal(gn_lua_policy_load_text(&p, "rule", escape, strlen(escape), NULL, &err),
                     GN_ECONFIG);
    if (!strstr(err.message, "rule:1:") || !strstr(err.message, "'os'"))
        fail_msg("%s", err.message);
    const char *text = "\xEF\xBB\xBF#!/usr/bin/lua\nfunction decide(l)\n"
                       "  return l.nothing.here\nend\n";
    assert_int_equal(gn_lua_policy_load_text(&p, "rule", text, strlen(text), NULL, &err), 0);
    gn_policy_input in = input("allow", 0);
    gn_policy_output out;
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
    if (!strstr(err.message, "rule:3:")) fail_msg("%s", err.message);
    assert_int_equal(gn_lua_policy_reload(p, &err), GN_ECONFIG);
    assert_non_null(strstr(err.message, "no file to reload"));
    gn_lua_policy_free(p);
}

static void test_bad_return_values(void **state)
{
    static const struct {
        const char *ret, *expect;
    } bad[] = {
        {"'block'", "returned a string"},
        {"{action = 'ban'}", "returned action 'ban'"},
        {"{action = 1}", "action of type number"},
        {"{actoin = 'block'}", "unknown field 'actoin'"},
        {"{[1] = 'block'}", "unknown field of type number"},
        {"{reasons = 'x'}", "reasons of type string"},
        {"{reasons = {'X'}}", "reasons[1] of type string"},
        {"{reasons = {{code = 'lower'}}}", "reasons[1].code 'lower'"},
        {"{reasons = {{code = 'HAS SPACE'}}}", "reasons[1].code 'HAS SPACE'"},
        {"{reasons = {{code = '1ST'}}}", "reasons[1].code '1ST'"},
        {"{reasons = {{code = ''}}}", "reasons[1].code ''"},
        {"{reasons = {{code = string.rep('A', 48)}}}", "reasons[1].code"},
        {"{reasons = {{code = 'OK'}, {detail = 'no code'}}}", "reasons[2].code of type nil"},
        {"{reasons = {{code = 'OK', detail = 5}}}", "reasons[1].detail of type number"},
        {"{reasons = {{code = 'OK', detial = 'typo'}}}", "unknown field 'detial'"},
        {"{reasons = {{code='A'},{code='B'},{code='C'},{code='D'},{code='E'}}}", "5 reasons"},
    };
    gn_policy_input in = input("review", 0.6);
    gn_policy_output out;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char text[256];
        snprintf(text, sizeof text, "-- bad %zu\n\nfunction decide(l)\n  return %s\nend\n", i,
                 bad[i].ret);
        gn_lua_policy *p = load_text("bad.lua", text);
        gn_error err = {0};
        assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), GN_EINPUT);
        assert_keeps_default(&out);
        if (!strstr(err.message, bad[i].expect) || !strstr(err.message, "bad.lua:3: decide"))
            fail_msg("%s: %s", bad[i].ret, err.message);
        gn_lua_policy_free(p);
    }

    /* A long detail is cut on a UTF-8 boundary, four reasons are fine. */
    gn_lua_policy *p = load_text(
        "long.lua", "function decide(l)\n"
                    "  return {action = 'allow', reasons = {{code = 'LONG', detail = 'a' .. "
                    "string.rep('é', 200)}, {code = 'B'}, {code = 'C'}, {code = 'D_2'}}}\n"
                    "end\n");
    gn_error err = {0};
    assert_int_equal(gn_lua_policy_decide(p, &in, &out, &err), 0);
    assert_int_equal(out.n_reasons, 4);
    assert_int_equal(strlen(out.reasons[0].detail), 239);
    assert_string_equal(out.reasons[3].code, "D_2");
    gn_lua_policy_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_default_keeps_decisions),
        cmocka_unit_test(test_default_examples_when_enabled),
        cmocka_unit_test(test_rules_change_actions),
        cmocka_unit_test(test_input_table),
        cmocka_unit_test(test_sandbox),
        cmocka_unit_test(test_instruction_limit),
        cmocka_unit_test(test_memory_limit),
        cmocka_unit_test(test_load_errors),
        cmocka_unit_test(test_runtime_error_names_line),
        cmocka_unit_test(test_reload),
        cmocka_unit_test(test_bad_return_values),
        cmocka_unit_test(test_load_text),
    };
    return cmocka_run_group_tests_name("lua_policy", tests, setup, teardown);
}
