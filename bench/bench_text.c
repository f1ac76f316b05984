/* Speed of the brand and lingo matcher (src/detect/lexicon.c) on one core:
 * compiling 1,000 generated brands of ~3 aliases each, then scanning generated
 * listings (titles and descriptions of 100-2,000 bytes, clean and disguised).
 *
 *   build/bench/bench_text [--brands N] [--listings N] [--runs N] [--seed N]
 *
 * Prints the compile time, scans per second and nanoseconds per byte as
 * medians over the runs, and what was found, so a change that finds less is
 * not mistaken for a speed-up. Everything is generated from the seed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs/hs.h>
#include <unicode/uversion.h>

#include "detect/lexicon.h"

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static uint64_t rng_state;
static uint32_t rnd(void)
{
    rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng_state >> 33);
}
static int below(int n)
{
    return (int)(rnd() % (uint32_t)n);
}

static const char *syllables[] = {"ka",  "ro",  "mi",  "ten", "zu",  "lo",  "vex",
                                  "sa",  "dor", "qui", "bel", "an",  "tra", "gio",
                                  "nel", "ves", "par", "li",  "mon", "ce"};

static void make_word(char *out, int syl)
{
    out[0] = 0;
    for (int i = 0; i < syl; i++)
        strcat(out, syllables[below(20)]);
}

typedef struct brand {
    char name[48], alias[3][48];
    int n_alias;
} brand;

typedef struct listing {
    char *title, *desc;
    size_t title_len, desc_len;
} listing;

/* A CJK alias: two or three ideographs. */
static void make_cjk(char *out)
{
    int n = 2 + below(2), o = 0;
    for (int i = 0; i < n; i++) {
        int cp = 0x4E00 + below(0x5000);
        out[o++] = (char)(0xe0 | (cp >> 12));
        out[o++] = (char)(0x80 | ((cp >> 6) & 0x3f));
        out[o++] = (char)(0x80 | (cp & 0x3f));
    }
    out[o] = 0;
}

static void make_brands(brand *b, int n)
{
    for (int i = 0; i < n; i++) {
        char w1[32], w2[32];
        make_word(w1, 2 + below(3));
        w1[0] = (char)(w1[0] - 32);
        if (below(4) == 0) {
            make_word(w2, 2 + below(2));
            w2[0] = (char)(w2[0] - 32);
            snprintf(b[i].name, sizeof b[i].name, "%s %s", w1, w2);
            snprintf(b[i].alias[0], sizeof b[i].alias[0], "%s", w2);
        } else {
            /* One in three single-word brands has a longer house name ("Gucci Paris"). */
            static const char *house[] = {"Paris", "Milano", "Sport", "Home", "London"};
            snprintf(b[i].name, sizeof b[i].name, "%s", w1);
            if (below(3) == 0)
                snprintf(b[i].alias[0], sizeof b[i].alias[0], "%s %s", w1, house[below(5)]);
            else
                snprintf(b[i].alias[0], sizeof b[i].alias[0], "%s%s", w1, syllables[below(20)]);
        }
        make_cjk(b[i].alias[1]);
        snprintf(b[i].alias[2], sizeof b[i].alias[2], "%c%c%c%d", 'A' + below(26), 'A' + below(26),
                 'A' + below(26), below(10));
        b[i].n_alias = 3;
    }
}

/* Appends s to a growing buffer. */
typedef struct text {
    char *s;
    size_t len, cap;
} text;

static void put(text *t, const char *s)
{
    size_t n = strlen(s);
    if (t->len + n + 1 > t->cap) {
        t->cap = (t->len + n + 1) * 2;
        t->s = realloc(t->s, t->cap);
    }
    memcpy(t->s + t->len, s, n + 1);
    t->len += n;
}

/* A disguised brand name: misspelt, in look-alike letters or separated. */
static void disguise(char *out, size_t cap, const char *name, int how)
{
    size_t n = strlen(name), o = 0;
    out[0] = 0;
    if (how == 0) { /* misspelt: one letter doubled, or two swapped */
        size_t at = 1 + (size_t)below((int)(n > 2 ? n - 2 : 1));
        for (size_t i = 0; i < n && o + 2 < cap; i++) {
            out[o++] = name[i];
            if (i == at) out[o++] = name[i];
        }
        out[o] = 0;
        return;
    }
    for (size_t i = 0; i < n && o + 4 < cap; i++) {
        char c = name[i];
        if (how == 1 && (c == 'o' || c == 'a' || c == 'e')) { /* Cyrillic look-alikes */
            const char *cy = c == 'o' ? "\xd0\xbe" : c == 'a' ? "\xd0\xb0" : "\xd0\xb5";
            memcpy(out + o, cy, 2);
            o += 2;
        } else {
            out[o++] = c;
            if (how == 2 && i + 1 < n && name[i + 1] != ' ') out[o++] = '.';
        }
    }
    out[o] = 0;
}

static const char *lingo[] = {"replica",    "1:1",  "AAA quality", "mirror quality",
                              "super copy", "高仿", "fake",        "inspired by"};

static void make_listing(listing *l, const brand *brands, int n_brands, char (*vocab)[16],
                         int n_vocab)
{
    text t = {0}, d = {0};
    int kind = below(10); /* 0-3 clean, 4-5 exact, 6 misspelt, 7 look-alike, 8 separated, 9 lingo */
    const brand *b = &brands[below(n_brands)];
    char name[96];
    const char *use = b->name;
    if (kind == 6 || kind == 7 || kind == 8) {
        disguise(name, sizeof name, b->name, kind - 6);
        use = name;
    }
    int title_words = 5 + below(10);
    for (int i = 0; i < title_words; i++) {
        if (i == 1 && kind >= 4)
            put(&t, use);
        else if (i == 2 && kind == 9)
            put(&t, lingo[below(8)]);
        else
            put(&t, vocab[(below(n_vocab) * below(n_vocab)) / n_vocab]); /* Zipf-like */
        put(&t, " ");
    }
    size_t want = 100 + (size_t)below(1900);
    while (d.len < want) {
        int r = below(40);
        if (r == 0 && kind >= 4)
            put(&d, use);
        else if (r == 1)
            put(&d, below(2) ? "。" : ", ");
        else if (r == 2 && kind == 9)
            put(&d, lingo[below(8)]);
        else if (r == 3 && below(4) == 0)
            put(&d, "正品保证");
        else
            put(&d, vocab[(below(n_vocab) * below(n_vocab)) / n_vocab]);
        put(&d, " ");
    }
    l->title = t.s;
    l->title_len = t.len;
    l->desc = d.s;
    l->desc_len = d.len;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gn_lexicon *build(const brand *brands, int n, double *seconds)
{
    gn_error err = {0};
    double t0 = now();
    gn_lexicon *lx = gn_lexicon_new();
    for (int i = 0; i < n; i++) {
        if (gn_lexicon_add_name(lx, (uint32_t)i, brands[i].name, &err))
            fprintf(stderr, "add %s: %s\n", brands[i].name, err.message);
        for (int a = 0; a < brands[i].n_alias; a++)
            if (gn_lexicon_add_name(lx, (uint32_t)i, brands[i].alias[a], &err))
                fprintf(stderr, "add %s: %s\n", brands[i].alias[a], err.message);
    }
    if (gn_lexicon_prepare(lx, &err)) {
        fprintf(stderr, "prepare: %s\n", err.message);
        exit(1);
    }
    *seconds = now() - t0;
    return lx;
}

int main(int argc, char **argv)
{
    int n_brands = 1000, n_listings = 20000, runs = 5;
    rng_state = 42;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--brands"))
            n_brands = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--listings"))
            n_listings = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--seed"))
            rng_state = strtoull(argv[i + 1], NULL, 10);
        else {
            fprintf(stderr,
                    "usage: bench_text [--brands N] [--listings N] [--runs N] [--seed N]\n");
            return 2;
        }
    }
    if (n_brands < 1 || n_listings < 1 || runs < 1) return 2;

    brand *brands = calloc((size_t)n_brands, sizeof *brands);
    make_brands(brands, n_brands);
    int n_vocab = 3000;
    char(*vocab)[16] = calloc((size_t)n_vocab, sizeof *vocab);
    for (int i = 0; i < n_vocab; i++) {
        int len = 2 + below(9);
        for (int j = 0; j < len; j++)
            vocab[i][j] = "etaoinshrdlucmfwypvbgkqjxz"[below(below(26) + 1)];
        vocab[i][len] = 0;
    }
    listing *ls = calloc((size_t)n_listings, sizeof *ls);
    size_t bytes = 0;
    for (int i = 0; i < n_listings; i++) {
        make_listing(&ls[i], brands, n_brands, vocab, n_vocab);
        bytes += ls[i].title_len + ls[i].desc_len;
    }

    double *compile = calloc((size_t)runs, sizeof(double));
    gn_lexicon *lx = NULL;
    for (int r = 0; r < runs; r++) {
        gn_lexicon_free(lx);
        lx = build(brands, n_brands, &compile[r]);
    }

    double *rate = calloc((size_t)runs, sizeof(double)), cold = 0;
    long found[3] = {0}, with_lingo = 0, with_brand = 0;
    gn_error err = {0};
    for (int r = 0; r <= runs; r++) {
        double t0 = now();
        for (int i = 0; i < n_listings; i++) {
            gn_text_findings f;
            if (gn_lexicon_scan(lx, ls[i].title, ls[i].title_len, ls[i].desc, ls[i].desc_len, &f,
                                &err)) {
                fprintf(stderr, "scan: %s\n", err.message);
                return 1;
            }
            if (r == 0) {
                for (int m = 0; m < f.n_mentions; m++)
                    found[f.mentions[m].kind]++;
                with_brand += f.n_mentions > 0;
                with_lingo += f.n_lingo > 0;
            }
        }
        double dt = now() - t0;
        if (r == 0)
            cold = dt; /* first pass: fold table blocks and the misspelling cache fill */
        else
            rate[r - 1] = n_listings / dt;
    }
    double scans = median(rate, runs);
    printf(
        "bench_text: %d brands, %d names, %d listings, %.0f bytes average, %d runs, seed-driven\n",
        n_brands, n_brands * 4, n_listings, (double)bytes / n_listings, runs);
    printf("  compile (add names + prepare): %.3f s median\n", median(compile, runs));
    printf("  scan: %.0f listings/s per core median, %.2f us per listing, %.2f ns per byte\n",
           scans, 1e6 / scans, 1e9 / (scans * ((double)bytes / n_listings)));
    printf("  first pass (cold caches): %.0f listings/s\n", n_listings / cold);
    printf("  found: %ld exact, %ld misspelt, %ld look-alike mentions; %ld listings name a brand, "
           "%ld use lingo\n",
           found[0], found[1], found[2], with_brand, with_lingo);
    printf("  how: one thread, Hyperscan %s, ICU %s, compiler %s\n", hs_version(), U_ICU_VERSION,
           __VERSION__);
    gn_lexicon_free(lx);
    for (int i = 0; i < n_listings; i++) {
        free(ls[i].title);
        free(ls[i].desc);
    }
    free(ls);
    free(vocab);
    free(brands);
    free(compile);
    free(rate);
    return 0;
}
