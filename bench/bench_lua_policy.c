/* Speed of the Lua policy (src/decide/lua_policy.c): calls decide on realistic
 * listings (3-6 signals each) a million times and prints µs per call, the
 * median of several runs, for the shipped policy, for an empty one (the cost
 * of filling `l` and calling into Lua at all) and for a rule that reads l.has
 * (which builds l.signals and l.has). Target: <= 2 µs per call.
 *
 *   build/bench/bench_lua_policy [--policy policy/default.lua] [--calls N] [--runs N]
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lua.h>

#include "bench.h"
#include "decide/lua_policy.h"

#define N_INPUTS 256

/* What the engine hands the policy, stored per input. */
typedef struct sample {
    gn_policy_input in;
    gn_policy_signal signals[6];
    char listing[16], seller[16];
} sample;

static const char *const codes[] = {
    "PRICE_FAR_BELOW_REFERENCE", "PRICE_FAR_BELOW_MARKET", "COUNTERFEIT_LINGO",
    "BRAND_LOOKALIKE",           "BRAND_MISSPELT",         "UNAUTHORIZED_SELLER",
    "SELLER_NEW_ACCOUNT",        "SELLER_UNVERIFIED",      "SELLER_BASIC_TEMPLATE",
    "IMAGE_STOLEN_OFFICIAL"};
static const char *const details[] = {"asks 9% of the brand's reference price (USD 4,200)",
                                      "title offers a \"1:1 replica\"",
                                      "account opened 2 days before the listing",
                                      "seller not verified",
                                      "shop uses the basic template",
                                      "photo 1 is the brand's official photo (distance 4)"};
static const char *const titles[] = {
    "Rolex Cosmograph Daytona 116500LN white dial, box and papers 2021",
    "Torizel Sport leather tote bag — medium, black, new with tags",
    "Vintage ceramic coffee mugs set of 4, hand painted",
    "Gucci GG Marmont small shoulder bag, dusty pink, authentic with receipt",
    "Running shoes men's size 44 breathable mesh lightweight"};
static const char *const categories[] = {"watches", "bags", "home", "bags", "shoes"};
static const char *const brands[] = {"rolex", "torizel", NULL, "gucci", NULL};

static void make_samples(sample *s)
{
    uint64_t x = 88172645463325252ULL;
    for (int i = 0; i < N_INPUTS; i++) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int kind = (int)(x % 5);
        int n = 3 + (int)((x >> 8) % 4); /* 3-6 signals */
        for (int j = 0; j < n; j++) {
            s[i].signals[j].code = codes[(x >> (12 + 4 * j)) % 10];
            s[i].signals[j].value = 0.3 + 0.1 * (double)((x >> (20 + j)) % 8);
            s[i].signals[j].weight = s[i].signals[j].value * 1.2;
            s[i].signals[j].detail = details[(x >> (30 + j)) % 6];
        }
        snprintf(s[i].listing, sizeof s[i].listing, "L%d", 100000 + i);
        snprintf(s[i].seller, sizeof s[i].seller, "S%d", 2000 + i % 97);
        double score = (double)((x >> 40) % 1000) / 1000.0;
        s[i].in = (gn_policy_input){
            .listing = s[i].listing,
            .seller = s[i].seller,
            .title = titles[kind],
            .category = categories[kind],
            .brand = brands[kind],
            .currency = "USD",
            .price = 20 + (double)((x >> 24) % 5000),
            .signals = s[i].signals,
            .n_signals = n,
            .score = score,
            .action = score >= 0.85  ? "block"
                      : score >= 0.5 ? "review"
                                     : "allow",
            .model_score = i % 3 ? NAN : score * 0.9,
            .cluster_size = i % 10 ? 1 : 4,
            .cluster_banned = i % 50 ? 0 : 1, /* 2% of sellers are linked to a banned one */
            .seller_verified = i % 2,
        };
    }
}

/* µs per call over runs of `calls` calls each: the median wall time, and the
 * median CPU time of this process (the figure to trust on a shared machine). */
static double measure(gn_lua_policy *p, const sample *s, long calls, int runs, double *cpu_median,
                      long *changed)
{
    double *wall = calloc((size_t)runs, sizeof *wall), *cpu = calloc((size_t)runs, sizeof *cpu);
    *changed = 0;
    for (int r = 0; r < runs; r++) {
        gn_error err = {0};
        gn_policy_output out;
        double t0 = now(), c0 = cpu_now();
        for (long i = 0; i < calls; i++) {
            if (gn_lua_policy_decide(p, &s[i % N_INPUTS].in, &out, &err) != 0) {
                fprintf(stderr, "decide: %s\n", err.message);
                exit(1);
            }
            *changed += out.action[0] != 0 || out.n_reasons > 0;
        }
        wall[r] = (now() - t0) / (double)calls * 1e6;
        cpu[r] = (cpu_now() - c0) / (double)calls * 1e6;
    }
    fprintf(stderr, "    runs (wall/cpu µs per call):");
    for (int r = 0; r < runs; r++)
        fprintf(stderr, " %.3f/%.3f", wall[r], cpu[r]);
    fprintf(stderr, "\n");
    qsort(wall, (size_t)runs, sizeof *wall, compare_doubles);
    qsort(cpu, (size_t)runs, sizeof *cpu, compare_doubles);
    double median = wall[runs / 2];
    *cpu_median = cpu[runs / 2];
    free(wall);
    free(cpu);
    return median;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_lua_policy [--policy FILE] [--calls N] [--runs N]\nSee "
               "bench/README.md for what it measures.");
    const char *path = "policy/default.lua";
    long calls = 1000000;
    int runs = 5;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--policy") && i + 1 < argc)
            path = argv[++i];
        else if (!strcmp(argv[i], "--calls") && i + 1 < argc)
            calls = atol(argv[++i]);
        else if (!strcmp(argv[i], "--runs") && i + 1 < argc)
            runs = atoi(argv[++i]);
        else {
            fprintf(stderr, "usage: %s [--policy FILE] [--calls N] [--runs N]\n", argv[0]);
            return 2;
        }
    }
    if (calls < 1 || runs < 1) return 2;

    sample *s = calloc(N_INPUTS, sizeof *s);
    make_samples(s);

    /* The empty policy: what filling l and one call into Lua cost. */
    char empty[] = "/tmp/genuine-bench-lua-XXXXXX";
    int fd = mkstemp(empty);
    if (fd < 0 || write(fd, "function decide(l) end\n", 23) != 23) return 1;
    close(fd);

    /* A rule that reads l.has: what building signals and has costs. */
    char reads[] = "/tmp/genuine-bench-lua-XXXXXX";
    static const char reads_text[] =
        "function decide(l)\n"
        "  if l.has.COUNTERFEIT_LINGO and l.has.SELLER_NEW_ACCOUNT and l.score > 2 then\n"
        "    return {action = 'block'}\n"
        "  end\n"
        "end\n";
    fd = mkstemp(reads);
    if (fd < 0 || write(fd, reads_text, sizeof reads_text - 1) != (ssize_t)sizeof reads_text - 1)
        return 1;
    close(fd);

    gn_lua_policy *p, *base, *has;
    gn_error err = {0};
    if (gn_lua_policy_load(&p, path, NULL, &err) || gn_lua_policy_load(&base, empty, NULL, &err) ||
        gn_lua_policy_load(&has, reads, NULL, &err)) {
        fprintf(stderr, "load: %s\n", err.message);
        return 1;
    }
    unlink(empty);
    unlink(reads);

    printf("bench_lua_policy: %ld calls x %d runs, %d distinct listings (3-6 signals), "
           "limits 100000 instructions / 8 MiB, %s\n",
           calls, runs, N_INPUTS, LUA_RELEASE);
    double cpu, cpu_base;
    long changed, changed_base;
    fprintf(stderr, "  %s\n", path);
    double med = measure(p, s, calls, runs, &cpu, &changed);
    fprintf(stderr, "  empty policy\n");
    double med_base = measure(base, s, calls, runs, &cpu_base, &changed_base);
    printf("%-26s %.3f µs/call wall, %.3f µs/call CPU (medians of %d); %.1f%% of calls changed\n",
           path, med, cpu, runs, 100.0 * (double)changed / ((double)calls * runs));
    printf("%-26s %.3f µs/call wall, %.3f µs/call CPU (medians of %d)\n", "empty decide (baseline)",
           med_base, cpu_base, runs);
    fprintf(stderr, "  a rule reading l.has\n");
    double cpu_has;
    long changed_has;
    double med_has = measure(has, s, calls, runs, &cpu_has, &changed_has);
    printf("%-26s %.3f µs/call wall, %.3f µs/call CPU (medians of %d)\n", "a rule reading l.has",
           med_has, cpu_has, runs);
    printf("target <= 2 µs/call (CPU, %s): %s\n", path, cpu <= 2.0 ? "met" : "NOT met");
    gn_lua_policy_free(has);
    gn_lua_policy_free(p);
    gn_lua_policy_free(base);
    free(s);
    return 0;
}
