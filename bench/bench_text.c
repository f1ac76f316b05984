/* Speed of the brand and lingo matcher (src/detect/lexicon.c) on one core:
 * compiling 1,000 generated brands of ~3 aliases each, then scanning listings
 * (titles and descriptions of 100-2,000 bytes, clean and disguised) from up to
 * three corpora: "varied" (a 3,000-word random vocabulary, Zipf-like), then
 * "adversarial" (every filler word freshly random, so no per-word cache helps),
 * and with --corpus the listing events of a JSON Lines file such as
 * `genuine simulate --profile bench` writes (its brand events become the lexicon).
 *
 *   build/bench/bench_text [--brands N] [--listings N] [--runs N] [--seed N]
 *                          [--corpus FILE] [--no-generated] [--only varied|adversarial]
 *
 * Prints the compile time, scans per second and nanoseconds per byte as
 * medians over the runs, what was found and a checksum of every finding, so a
 * change that finds something else is not mistaken for a speed-up. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hs/hs.h>
#include <unicode/uversion.h>

#include "bench.h"
#include "detect/lexicon.h"

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
    char name[48], alias[4][48];
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

/* A filler word: from the vocabulary (Zipf-like), or, for the adversarial
 * corpus, 2-12 fresh random letters that no earlier listing is likely to share. */
static const char *filler(char (*vocab)[16], int n_vocab, int fresh, char *buf)
{
    if (!fresh) return vocab[(below(n_vocab) * below(n_vocab)) / n_vocab];
    int len = 2 + below(11);
    for (int j = 0; j < len; j++)
        buf[j] = (char)('a' + below(26));
    buf[len] = 0;
    return buf;
}

static void make_listing(listing *l, const brand *brands, int n_brands, char (*vocab)[16],
                         int n_vocab, int fresh)
{
    char word[16];
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
            put(&t, filler(vocab, n_vocab, fresh, word));
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
            put(&d, filler(vocab, n_vocab, fresh, word));
        put(&d, " ");
    }
    l->title = t.s;
    l->title_len = t.len;
    l->desc = d.s;
    l->desc_len = d.len;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, compare_doubles);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static gn_lexicon *build(const brand *brands, int n, double *seconds)
{
    gn_error err = {0};
    double t0 = thread_cpu_now();
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
    *seconds = thread_cpu_now() - t0;
    return lx;
}

/* FNV-1a over every finding: equal checksums mean the same findings. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *u = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ u[i]) * 0x100000001b3ULL;
    return h;
}

static uint64_t findings_sum(uint64_t h, const gn_text_findings *f)
{
    for (int m = 0; m < f->n_mentions; m++) {
        const gn_mention *x = &f->mentions[m];
        uint32_t v[3] = {x->brand, (uint32_t)x->kind, (uint32_t)x->in_title};
        h = fnv(h, v, sizeof v);
        h = fnv(h, x->as_written, strlen(x->as_written) + 1);
        h = fnv(h, x->name, strlen(x->name) + 1);
    }
    for (int i = 0; i < f->n_lingo; i++)
        h = fnv(h, f->lingo[i], strlen(f->lingo[i]) + 1);
    return fnv(h, "|", 1);
}

/* Scans every listing runs + 1 times (the first pass fills the fold table's
 * blocks and the per-word cache, and is reported apart) and prints the medians. */
static void run(const char *label, gn_lexicon *lx, const listing *ls, int n_listings, int runs)
{
    size_t bytes = 0;
    for (int i = 0; i < n_listings; i++)
        bytes += ls[i].title_len + ls[i].desc_len;
    double *rate = calloc((size_t)runs, sizeof(double)), cold = 0;
    long found[3] = {0}, with_lingo = 0, with_brand = 0;
    uint64_t sum = 0xcbf29ce484222325ULL;
    gn_error err = {0};
    for (int r = 0; r <= runs; r++) {
        double t0 = thread_cpu_now();
        for (int i = 0; i < n_listings; i++) {
            gn_text_findings f;
            if (gn_lexicon_scan(lx, ls[i].title, ls[i].title_len, ls[i].desc, ls[i].desc_len, &f,
                                &err)) {
                fprintf(stderr, "scan: %s\n", err.message);
                exit(1);
            }
            if (r == 0) {
                for (int m = 0; m < f.n_mentions; m++)
                    found[f.mentions[m].kind]++;
                with_brand += f.n_mentions > 0;
                with_lingo += f.n_lingo > 0;
                sum = findings_sum(sum, &f);
            }
        }
        double dt = thread_cpu_now() - t0;
        if (r == 0)
            cold = dt;
        else
            rate[r - 1] = n_listings / dt;
    }
    double scans = median(rate, runs), avg = (double)bytes / n_listings;
    printf("  [%s] %d listings, %.0f bytes average\n", label, n_listings, avg);
    printf("    scan: %.0f listings/s per core median, %.2f us per listing, %.2f ns per byte\n",
           scans, 1e6 / scans, 1e9 / (scans * avg));
    printf("    first pass (cold caches): %.0f listings/s\n", n_listings / cold);
    printf("    found: %ld exact, %ld misspelt, %ld look-alike mentions; %ld listings name a "
           "brand, %ld use lingo; checksum %016llx\n",
           found[0], found[1], found[2], with_brand, with_lingo, (unsigned long long)sum);
    free(rate);
}

/* A string member's bytes, or "" with length 0. */
static char *member(json_t *o, const char *key, size_t *len)
{
    json_t *v = json_object_get(o, key);
    const char *s = json_is_string(v) ? json_string_value(v) : "";
    *len = json_is_string(v) ? json_string_length(v) : 0;
    char *c = malloc(*len + 1);
    memcpy(c, s, *len);
    c[*len] = 0;
    return c;
}

/* Reads the brand events (name and aliases) and the listing events (title and
 * description) of a JSON Lines file; other lines are skipped. */
static int read_corpus(const char *path, brand **brands, int *n_brands, listing **ls, int *n_ls,
                       int max_listings)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        perror(path);
        return -1;
    }
    char *line = NULL;
    size_t cap = 0, cap_b = 0, cap_l = 0;
    ssize_t got;
    *brands = NULL;
    *ls = NULL;
    *n_brands = *n_ls = 0;
    while ((got = getline(&line, &cap, f)) > 0 && *n_ls < max_listings) {
        if (!strstr(line, "\"brand\"") && !strstr(line, "\"listing\"")) continue;
        json_t *o = json_loadb(line, (size_t)got, 0, NULL);
        const char *type = json_string_value(json_object_get(o, "type"));
        if (type && !strcmp(type, "brand") && json_is_string(json_object_get(o, "name"))) {
            if ((size_t)*n_brands == cap_b) {
                cap_b = cap_b ? cap_b * 2 : 256;
                *brands = realloc(*brands, cap_b * sizeof **brands);
            }
            brand *b = &(*brands)[(*n_brands)++];
            memset(b, 0, sizeof *b);
            snprintf(b->name, sizeof b->name, "%s", json_string_value(json_object_get(o, "name")));
            json_t *aliases = json_object_get(o, "aliases");
            for (size_t i = 0; i < json_array_size(aliases) && b->n_alias < 4; i++)
                if (json_is_string(json_array_get(aliases, i)))
                    snprintf(b->alias[b->n_alias++], sizeof b->alias[0], "%s",
                             json_string_value(json_array_get(aliases, i)));
        } else if (type && !strcmp(type, "listing")) {
            if ((size_t)*n_ls == cap_l) {
                cap_l = cap_l ? cap_l * 2 : 1024;
                *ls = realloc(*ls, cap_l * sizeof **ls);
            }
            listing *l = &(*ls)[(*n_ls)++];
            l->title = member(o, "title", &l->title_len);
            l->desc = member(o, "description", &l->desc_len);
        }
        json_decref(o);
    }
    free(line);
    fclose(f);
    return 0;
}

static void free_listings(listing *ls, int n)
{
    for (int i = 0; i < n; i++) {
        free(ls[i].title);
        free(ls[i].desc);
    }
    free(ls);
}

/* Compiles runs times (at most 3, so that a profile is mostly scanning). */
static gn_lexicon *build_timed(const brand *brands, int n_brands, int runs)
{
    if (runs > 3) runs = 3;
    double *compile = calloc((size_t)runs, sizeof(double));
    gn_lexicon *lx = NULL;
    for (int r = 0; r < runs; r++) {
        gn_lexicon_free(lx);
        lx = build(brands, n_brands, &compile[r]);
    }
    int names = 0;
    for (int i = 0; i < n_brands; i++)
        names += 1 + brands[i].n_alias;
    printf("  compile %d brands, %d names (add names + prepare): %.3f s median\n", n_brands, names,
           median(compile, runs));
    free(compile);
    return lx;
}

int main(int argc, char **argv)
{
    bench_help(argc, argv,
               "usage: bench_text [--brands N] [--listings N] [--runs N] [--seed N] [--corpus "
               "FILE] [--no-generated] [--only PART]\nSee bench/README.md for what it measures.");
    int n_brands = 1000, n_listings = 20000, runs = 5, generated = 1;
    const char *corpus = NULL, *only = NULL;
    rng_state = 42;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(argv[i], "--no-generated")) {
            generated = 0;
            continue;
        }
        if (!v) {
            argc = 0; /* falls to the usage message */
            break;
        }
        if (!strcmp(argv[i], "--brands"))
            n_brands = atoi(v);
        else if (!strcmp(argv[i], "--listings"))
            n_listings = atoi(v);
        else if (!strcmp(argv[i], "--runs"))
            runs = atoi(v);
        else if (!strcmp(argv[i], "--seed"))
            rng_state = strtoull(v, NULL, 10);
        else if (!strcmp(argv[i], "--corpus"))
            corpus = v;
        else if (!strcmp(argv[i], "--only")) /* one generated corpus, e.g. under perf */
            only = v;
        else {
            argc = 0;
            break;
        }
        i++;
    }
    if (argc == 0 || n_brands < 1 || n_listings < 1 || runs < 1) {
        fprintf(stderr, "usage: bench_text [--brands N] [--listings N] [--runs N] [--seed N] "
                        "[--corpus FILE.jsonl] [--no-generated] [--only varied|adversarial]\n");
        return 2;
    }
    printf("bench_text: %d runs (thread CPU time); how: one thread, Hyperscan %s, ICU %s, "
           "compiler %s\n",
           runs, hs_version(), U_ICU_VERSION, __VERSION__);

    if (generated) {
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
        /* The varied corpus first, so its listings are the same as before the
         * adversarial one was added (same seed, same draws). */
        listing *varied = calloc((size_t)n_listings, sizeof *varied);
        listing *adversarial = calloc((size_t)n_listings, sizeof *adversarial);
        for (int i = 0; i < n_listings; i++)
            make_listing(&varied[i], brands, n_brands, vocab, n_vocab, 0);
        for (int i = 0; i < n_listings; i++)
            make_listing(&adversarial[i], brands, n_brands, vocab, n_vocab, 1);
        printf("generated brands and listings (seed-driven):\n");
        if (!only || !strcmp(only, "varied")) {
            gn_lexicon *lx = build_timed(brands, n_brands, runs);
            run("varied: 3,000-word vocabulary", lx, varied, n_listings, runs);
            gn_lexicon_free(lx);
        }
        if (!only || !strcmp(only, "adversarial")) {
            gn_lexicon *lx = build_timed(brands, n_brands, 1); /* a fresh per-word cache */
            run("adversarial: every filler word fresh", lx, adversarial, n_listings, runs);
            gn_lexicon_free(lx);
        }
        free_listings(varied, n_listings);
        free_listings(adversarial, n_listings);
        free(vocab);
        free(brands);
    }
    if (corpus) {
        brand *brands;
        listing *ls;
        int nb, nl;
        if (read_corpus(corpus, &brands, &nb, &ls, &nl, n_listings)) return 1;
        if (nb == 0 || nl == 0) {
            fprintf(stderr, "%s: expected brand and listing events\n", corpus);
            return 1;
        }
        printf("corpus %s:\n", corpus);
        gn_lexicon *lx = build_timed(brands, nb, runs);
        run("corpus listings", lx, ls, nl, runs);
        gn_lexicon_free(lx);
        free_listings(ls, nl);
        free(brands);
    }
    return 0;
}
