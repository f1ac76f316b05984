/* The brand and lingo matcher, case by case: a listing's text and what must (or
 * must not) be found in it — exact names, word boundaries, misspellings,
 * look-alike letters and separators, CJK, lingo and its false friends. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "detect/lexicon.h"

enum { NIKE, GUCCI, ADIDAS, LV, CHANEL, BURBERRY, HERMES, LEVIS, N_BRANDS };

static gn_lexicon *lexicon(void)
{
    static const struct {
        uint32_t brand;
        const char *name;
    } names[] = {{NIKE, "Nike"},     {NIKE, "耐克"},     {GUCCI, "Gucci"},
                 {GUCCI, "古驰"},    {ADIDAS, "Adidas"}, {LV, "Louis Vuitton"},
                 {LV, "LV"},         {CHANEL, "Chanel"}, {BURBERRY, "Burberry"},
                 {HERMES, "Hermès"}, {LEVIS, "Levi's"},  {NIKE, "Найк"}};
    gn_lexicon *lx = gn_lexicon_new();
    assert_non_null(lx);
    gn_error err = {0};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        assert_int_equal(gn_lexicon_add_name(lx, names[i].brand, names[i].name, &err), 0);
    assert_int_equal(gn_lexicon_prepare(lx, &err), 0);
    return lx;
}

static gn_lexicon *shared;

static int setup(void **state)
{
    shared = lexicon();
    *state = shared;
    return 0;
}

static int teardown(void **state)
{
    gn_lexicon_free(shared);
    return 0;
}

static gn_text_findings scan2(const char *title, const char *desc)
{
    gn_text_findings f;
    gn_error err = {0};
    int rc = gn_lexicon_scan(shared, title, strlen(title), desc, strlen(desc), &f, &err);
    if (rc) fail_msg("scan failed: %s", err.message);
    return f;
}

static gn_text_findings scan(const char *title)
{
    return scan2(title, "");
}

/* The mention of brand of the given kind, or NULL. */
static const gn_mention *find(const gn_text_findings *f, uint32_t brand, gn_mention_kind kind)
{
    for (int i = 0; i < f->n_mentions; i++)
        if (f->mentions[i].brand == brand && f->mentions[i].kind == kind) return &f->mentions[i];
    return NULL;
}

static int has_lingo(const gn_text_findings *f, const char *term)
{
    for (int i = 0; i < f->n_lingo; i++)
        if (strcmp(f->lingo[i], term) == 0) return 1;
    return 0;
}

#define EXPECT(text, brand, kind)                                                                  \
    do {                                                                                           \
        gn_text_findings f_ = scan(text);                                                          \
        if (!find(&f_, brand, kind))                                                               \
            fail_msg("\"%s\": expected brand %d kind %d, found %d mentions (first %s)", text,      \
                     brand, kind, f_.n_mentions, f_.n_mentions ? f_.mentions[0].as_written : "");  \
    } while (0)

#define EXPECT_NONE(text)                                                                          \
    do {                                                                                           \
        gn_text_findings f_ = scan(text);                                                          \
        if (f_.n_mentions)                                                                         \
            fail_msg("\"%s\": expected no brand, found \"%s\" (brand %u kind %d)", text,           \
                     f_.mentions[0].as_written, f_.mentions[0].brand, f_.mentions[0].kind);        \
    } while (0)

#define EXPECT_LINGO(text, term)                                                                   \
    do {                                                                                           \
        gn_text_findings f_ = scan(text);                                                          \
        if (!has_lingo(&f_, term))                                                                 \
            fail_msg("\"%s\": expected lingo \"%s\" (%d found)", text, term, f_.n_lingo);          \
    } while (0)

#define EXPECT_NO_LINGO(text)                                                                      \
    do {                                                                                           \
        gn_text_findings f_ = scan(text);                                                          \
        if (f_.n_lingo) fail_msg("\"%s\": expected no lingo, found \"%s\"", text, f_.lingo[0]);    \
    } while (0)

static void exact_names(void **state)
{
    EXPECT("Nike Air Max 90 running shoes", NIKE, GN_MENTION_EXACT);
    EXPECT("NIKE", NIKE, GN_MENTION_EXACT);
    EXPECT("genuine gucci bag", GUCCI, GN_MENTION_EXACT);
    EXPECT("Louis Vuitton Neverfull MM", LV, GN_MENTION_EXACT);
    EXPECT("louis   vuitton", LV, GN_MENTION_EXACT);
    EXPECT("LouisVuitton speedy", LV, GN_MENTION_EXACT);
    EXPECT("LV monogram", LV, GN_MENTION_EXACT);
    EXPECT("Hermès Birkin", HERMES, GN_MENTION_EXACT);
    EXPECT("HERMES Birkin", HERMES, GN_MENTION_EXACT);
    EXPECT("Levi's 501", LEVIS, GN_MENTION_EXACT);
    EXPECT("Levis 501", LEVIS, GN_MENTION_EXACT);
    EXPECT("(nike)", NIKE, GN_MENTION_EXACT);
    EXPECT("nike-branded tee", NIKE, GN_MENTION_EXACT);
    EXPECT("www.nike.com", NIKE, GN_MENTION_EXACT);
    EXPECT("Nike耐克正品", NIKE, GN_MENTION_EXACT);

    gn_text_findings f = scan("Nike Air");
    assert_int_equal(f.n_mentions, 1);
    assert_string_equal(f.mentions[0].as_written, "Nike");
    assert_string_equal(f.mentions[0].name, "Nike");
    assert_true(f.mentions[0].in_title);
}

static void word_boundaries(void **state)
{
    EXPECT_NONE("Nikelodeon toys");
    EXPECT_NONE("mini kettle");
    EXPECT_NONE("mini-kettle");
    EXPECT_NONE("Gucciano pasta");
    EXPECT_NONE("Adidasstore");
    EXPECT_NONE("velvet lvl 3");
    EXPECT_NONE("cleverly made");
    EXPECT_NONE("");
}

static void misspellings(void **state)
{
    EXPECT("Guccii bag", GUCCI, GN_MENTION_MISSPELT); /* 5 letters, distance 1 */
    EXPECT("Gucci bag Guci", GUCCI, GN_MENTION_MISSPELT);
    EXPECT("Addidas Superstar", ADIDAS, GN_MENTION_MISSPELT);
    EXPECT("Adiads", ADIDAS, GN_MENTION_MISSPELT);       /* a swap is one edit */
    EXPECT("Louis Vuiton bag", LV, GN_MENTION_MISSPELT); /* 12 letters, distance 1 */
    EXPECT("Luis Vuiton bag", LV, GN_MENTION_MISSPELT);  /* distance 2 */
    EXPECT("Burbery scarf", BURBERRY, GN_MENTION_MISSPELT);
    EXPECT("Burbbery scarf", BURBERRY, GN_MENTION_MISSPELT);
    EXPECT("Brubery scarf", BURBERRY, GN_MENTION_MISSPELT);
    EXPECT("Bubery scarf", BURBERRY, GN_MENTION_MISSPELT); /* distance 2 */
    EXPECT_NONE("Bubbry scarf");                           /* distance 3 */
    EXPECT_NONE("Gucxyi bag");                             /* distance 2 at 5 letters */
    EXPECT_NONE("Addiidaas");                              /* distance 3 at 6 letters... */
    EXPECT_NONE("Nikk shoes");                             /* 4 letters: exact only */
    EXPECT_NONE("Nke shoes");
    EXPECT_NONE("tv channel"); /* a common word, not Chanel */
    EXPECT("Chanell perfume", CHANEL, GN_MENTION_MISSPELT);

    gn_text_findings f = scan("Addidas");
    const gn_mention *m = find(&f, ADIDAS, GN_MENTION_MISSPELT);
    assert_non_null(m);
    assert_string_equal(m->as_written, "Addidas");
    assert_string_equal(m->name, "Adidas");
}

static void lookalikes(void **state)
{
    EXPECT("Guc\xd1\x81i bag", GUCCI, GN_MENTION_LOOKALIKE); /* Cyrillic es */
    EXPECT("NIK\xce\x9e", NIKE, GN_MENTION_LOOKALIKE);       /* Greek Xi */
    EXPECT("\xce\x9dike", NIKE, GN_MENTION_LOOKALIKE);       /* Greek Nu */
    EXPECT("\xef\xbc\xa7\xef\xbc\xb5\xef\xbc\xa3\xef\xbc\xa3\xef\xbc\xa9", GUCCI,
           GN_MENTION_LOOKALIKE); /* fullwidth GUCCI */
    EXPECT("\xf0\x9d\x90\x8d\xf0\x9d\x90\xa2\xf0\x9d\x90\xa4\xf0\x9d\x90\x9e", NIKE,
           GN_MENTION_LOOKALIKE); /* mathematical bold Nike */
    EXPECT("G-u-c-c-i", GUCCI, GN_MENTION_LOOKALIKE);
    EXPECT("G.U.C.C.I", GUCCI, GN_MENTION_LOOKALIKE);
    EXPECT("G u c c i bag", GUCCI, GN_MENTION_LOOKALIKE);
    EXPECT("N_I_K_E", NIKE, GN_MENTION_LOOKALIKE);
    EXPECT("N*i*k*e", NIKE, GN_MENTION_LOOKALIKE);
    EXPECT("Gu\xe2\x80\x8b"
           "cci",
           GUCCI, GN_MENTION_LOOKALIKE);                /* zero-width space */
    EXPECT("N\xc3\xafke", NIKE, GN_MENTION_LOOKALIKE);  /* diaeresis */
    EXPECT("Ni\xcc\x81ke", NIKE, GN_MENTION_LOOKALIKE); /* combining acute */
    EXPECT("Guc ci", GUCCI, GN_MENTION_LOOKALIKE);      /* split word */
    EXPECT("L o u i s  V u i t t o n", LV, GN_MENTION_LOOKALIKE);

    gn_text_findings f = scan("G-u-c-c-i belt");
    const gn_mention *m = find(&f, GUCCI, GN_MENTION_LOOKALIKE);
    assert_non_null(m);
    assert_string_equal(m->as_written, "G-u-c-c-i");
    assert_null(find(&f, GUCCI, GN_MENTION_EXACT));
    EXPECT_NONE("a b c d e");
}

static void cjk(void **state)
{
    EXPECT("正品古驰包包", GUCCI, GN_MENTION_EXACT);
    EXPECT("古 驰 女包", GUCCI, GN_MENTION_LOOKALIKE);
    EXPECT("耐克运动鞋", NIKE, GN_MENTION_EXACT);
    EXPECT("НАЙК кроссовки", NIKE, GN_MENTION_EXACT);
    EXPECT_LINGO("高仿古驰包", "高仿");
    EXPECT_LINGO("复刻版", "复刻");
    EXPECT_LINGO("A货 包包", "A货");
    EXPECT_LINGO("精仿手表", "精仿");
    EXPECT_LINGO("原单尾货", "原单");
    EXPECT_LINGO("１：１ quality", "1:1"); /* fullwidth digits and colon */
}

static void lingo(void **state)
{
    EXPECT_LINGO("Rolex replica watch", "replica");
    EXPECT_LINGO("1:1 Gucci bag", "1:1");
    EXPECT_LINGO("AAA grade handbag", "AAA");
    EXPECT_LINGO("AAA quality", "AAA");
    EXPECT_LINGO("AAA+ bag", "AAA");
    EXPECT_LINGO("mirror quality watch", "mirror quality");
    EXPECT_LINGO("Mirror-grade", "mirror quality");
    EXPECT_LINGO("inspired by Chanel No 5", "inspired by");
    EXPECT_LINGO("supercopy", "super copy");
    EXPECT_LINGO("super copy watch", "super copy");
    EXPECT_LINGO("fake yeezy", "fake");
    EXPECT_LINGO("knock-off bag", "knockoff");
    EXPECT_LINGO("knock off bag", "knockoff");
    EXPECT_LINGO("réplique montre", "réplique");
    EXPECT_LINGO("bolso réplica", "replica");
    EXPECT_LINGO("imitación de bolso", "imitación");
    EXPECT_LINGO("Replik Uhr", "Replik");
    EXPECT_LINGO("копия сумки", "копия");
    EXPECT_LINGO("РЕПЛИКА", "реплика");

    gn_text_findings f = scan2("Gucci bag", "AAA quality replica, 1:1");
    assert_int_equal(f.n_lingo, 3);
}

static void lingo_false_friends(void **state)
{
    EXPECT_NO_LINGO("AAA batteries, pack of 24");
    EXPECT_NO_LINGO("AAAA battery");
    EXPECT_NO_LINGO("AAA video game");
    EXPECT_NO_LINGO("1:1 scale model car");
    EXPECT_NO_LINGO("1:18 scale diecast");
    EXPECT_NO_LINGO("11:15 train");
    EXPECT_NO_LINGO("replica jersey 2024 home kit");
    EXPECT_NO_LINGO("Maison Margiela Replica Jazz Club");
    EXPECT_NO_LINGO("fake fur coat");
    EXPECT_NO_LINGO("faux-fake-leather");
    EXPECT_NO_LINGO("100% authentic, not fake");
    EXPECT_NO_LINGO("inspired by nature");
    EXPECT_NO_LINGO("imitación piel");
    EXPECT_NO_LINGO("fakesimile");
    EXPECT_NO_LINGO("a mirror with a quality frame");
}

static void title_first(void **state)
{
    gn_text_findings f = scan2("Addidas shoes", "brand new Gucci, Nike and Adidas");
    assert_true(f.n_mentions >= 3);
    assert_int_equal(f.mentions[0].brand, ADIDAS);
    assert_int_equal(f.mentions[0].kind, GN_MENTION_MISSPELT);
    assert_true(f.mentions[0].in_title);
    for (int i = 1; i < f.n_mentions; i++)
        assert_false(f.mentions[i].in_title);
    /* One mention per brand and kind. */
    f = scan2("Nike nike NIKE", "Nike");
    assert_int_equal(f.n_mentions, 1);
}

static void bad_input(void **state)
{
    gn_text_findings f;
    gn_error err = {0};
    assert_int_equal(gn_lexicon_scan(shared, "", 0, "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 0);
    assert_int_equal(gn_lexicon_scan(shared, NULL, 0, NULL, 0, &f, &err), 0);
    assert_int_equal(gn_lexicon_scan(shared, NULL, 3, "", 0, &f, &err), GN_EINPUT);

    /* Invalid UTF-8 breaks words but never the scan; what is reported stays valid UTF-8. */
    const char bad[] = "\xff\xfeNike\xc3\x28 \xe2\x82 Gu\x80"
                       "cci \xf0\x9f\x98";
    assert_int_equal(gn_lexicon_scan(shared, bad, sizeof bad - 1, bad, sizeof bad - 1, &f, &err),
                     0);
    assert_non_null(find(&f, NIKE, GN_MENTION_EXACT));
    /* Overlong and surrogate encodings are invalid too. */
    const char overlong[] = "\xc1\x8e\xed\xa0\x80ike";
    assert_int_equal(gn_lexicon_scan(shared, overlong, sizeof overlong - 1, "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 0);
    /* A NUL inside the text is a separator, not an end. */
    const char nul[] = "xx\0Nike";
    assert_int_equal(gn_lexicon_scan(shared, nul, sizeof nul - 1, "", 0, &f, &err), 0);
    assert_non_null(find(&f, NIKE, GN_MENTION_EXACT));

    gn_lexicon *lx = gn_lexicon_new();
    assert_int_equal(gn_lexicon_add_name(lx, 0, "", &err), GN_EINPUT);
    assert_int_equal(gn_lexicon_add_name(lx, 0, NULL, &err), GN_EINPUT);
    assert_int_equal(gn_lexicon_add_name(lx, 0, " -- ", &err), GN_EINPUT);
    assert_non_null(strstr(err.message, "no letters"));
    /* No brands at all: lingo still works. */
    assert_int_equal(gn_lexicon_scan(lx, "replica", 7, "", 0, &f, &err), 0);
    assert_int_equal(f.n_lingo, 1);
    gn_lexicon_free(lx);
}

static void long_text(void **state)
{
    size_t n = 200000;
    char *big = malloc(n + 1);
    for (size_t i = 0; i < n; i++)
        big[i] = "ab cd\xe4\xb8\x80 "[i % 9];
    memcpy(big + n - 10, " Gucci ok ", 10);
    big[n] = 0;
    gn_text_findings f;
    gn_error err = {0};
    assert_int_equal(gn_lexicon_scan(shared, "", 0, big, n, &f, &err), 0);
    assert_non_null(find(&f, GUCCI, GN_MENTION_EXACT));
    assert_false(f.mentions[0].in_title);
    free(big);
}

static void options_and_recompile(void **state)
{
    gn_lexicon_options o = {.misspelt_min_len1 = 0, .misspelt_min_len2 = 0};
    gn_lexicon *lx = gn_lexicon_new_with(&o);
    gn_error err = {0};
    gn_text_findings f;
    assert_int_equal(gn_lexicon_add_name(lx, 7, "Gucci", &err), 0);
    assert_int_equal(gn_lexicon_scan(lx, "Guccii", 6, "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 0); /* misspellings off */
    assert_int_equal(gn_lexicon_scan(lx, "Prada", 5, "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 0);
    assert_int_equal(gn_lexicon_add_name(lx, 9, "Prada", &err), 0);
    assert_int_equal(gn_lexicon_prepare(lx, &err), 0);
    assert_int_equal(gn_lexicon_prepare(lx, &err), 0); /* nothing changed: cheap */
    assert_int_equal(gn_lexicon_scan(lx, "Prada", 5, "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 1);
    assert_int_equal(f.mentions[0].brand, 9);

    assert_int_equal(gn_lexicon_add_name(lx, 10, "Versace", &err), 0);
    assert_int_equal(gn_lexicon_add_common_word(lx, "versage", &err), 0);
    gn_lexicon_free(lx);

    lx = gn_lexicon_new();
    assert_int_equal(gn_lexicon_add_name(lx, 10, "Versace", &err), 0);
    assert_int_equal(gn_lexicon_add_common_word(lx, "versage", &err), 0);
    assert_int_equal(gn_lexicon_scan(lx, "versage", 7, "Versacee", 8, &f, &err), 0);
    assert_int_equal(f.n_mentions, 1);
    assert_false(f.mentions[0].in_title);
    gn_lexicon_free(lx);
}

static void many_brands(void **state)
{
    gn_lexicon *lx = gn_lexicon_new();
    gn_error err = {0};
    char name[64];
    for (uint32_t b = 0; b < 1000; b++) {
        /* Pronounceable, distinct names: two or three syllables from a fixed table. */
        static const char *syl[] = {"ka", "ro", "mi", "ten", "zu", "lo", "vex", "sa", "dor", "qui"};
        snprintf(name, sizeof name, "%s%s%s%s", syl[b % 10], syl[(b / 10) % 10],
                 syl[(b / 100) % 10], b % 3 ? "" : "ix");
        assert_int_equal(gn_lexicon_add_name(lx, b, name, &err), 0);
        snprintf(name, sizeof name, "%s Co", syl[b % 10]);
    }
    assert_int_equal(gn_lexicon_prepare(lx, &err), 0);
    gn_text_findings f;
    const char *t = "new roromi and vexsadorix inside";
    assert_int_equal(gn_lexicon_scan(lx, t, strlen(t), "", 0, &f, &err), 0);
    assert_true(f.n_mentions >= 2);
    assert_int_equal(f.mentions[0].kind, GN_MENTION_EXACT);
    assert_string_equal(f.mentions[0].as_written, "roromi");
    /* More than 16 mentions: capped, title first. */
    char text[4096] = "";
    for (int b = 0; b < 40; b++) {
        static const char *syl[] = {"ka", "ro", "mi", "ten", "zu", "lo", "vex", "sa", "dor", "qui"};
        snprintf(name, sizeof name, "%s%s%s%s ", syl[b % 10], syl[(b / 10) % 10],
                 syl[(b / 100) % 10], b % 3 ? "" : "ix");
        strcat(text, name);
    }
    assert_int_equal(gn_lexicon_scan(lx, text, strlen(text), text, strlen(text), &f, &err), 0);
    assert_int_equal(f.n_mentions, 16);
    assert_true(f.mentions[15].in_title);
    gn_lexicon_free(lx);
}

/* ---- randomized checks of the fast paths against slow ones ---------------- */

static uint64_t rng = 12345;
static uint32_t rnd32(void)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33);
}

/* Optimal string alignment distance, the whole table: the reference the
 * deletion index, its Bloom filter and the per-word caches must agree with. */
static int osa(const char *a, const char *b)
{
    int n = (int)strlen(a), m = (int)strlen(b), d[72][72];
    for (int i = 0; i <= n; i++)
        d[i][0] = i;
    for (int j = 0; j <= m; j++)
        d[0][j] = j;
    for (int i = 1; i <= n; i++)
        for (int j = 1; j <= m; j++) {
            int v = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < v) v = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < v) v = d[i][j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                d[i - 2][j - 2] + 1 < v)
                v = d[i - 2][j - 2] + 1;
            d[i][j] = v;
        }
    return d[n][m];
}

static const char *const builtin_common_copy[] = {
    "channel", "channels", "carrier", "carriers", "couch",  "guest",  "guests", "casino",
    "panda",   "pandas",   "rolled",  "gusset",   "primer", "primed", "career", "careers",
    "verse",   "verses",   "fenders", "cosine",   "versed", "herpes", "hermit", "puppy",
    "sonic",   "genes",    "apply",   "ample",    NULL};

/* A word near a name: one to three random edits (change, insert, delete, swap). */
static void mutate(char *w, const char *name)
{
    strcpy(w, name);
    int edits = 1 + (int)(rnd32() % 3);
    for (int e = 0; e < edits; e++) {
        size_t n = strlen(w), at = rnd32() % (n + 1);
        char c = (char)('a' + rnd32() % 26);
        switch (rnd32() % 4) {
        case 0:
            if (at < n) w[at] = c;
            break;
        case 1:
            if (n < 30) {
                memmove(w + at + 1, w + at, n - at + 1);
                w[at] = c;
            }
            break;
        case 2:
            if (at < n && n > 2) memmove(w + at, w + at + 1, n - at);
            break;
        default:
            if (at + 1 < n) {
                char t = w[at];
                w[at] = w[at + 1];
                w[at + 1] = t;
            }
        }
    }
}

/* Every word, scanned alone, against every name by brute force: an exact name
 * is EXACT and nothing else; otherwise a name within its distance (1 from 5
 * letters, 2 from 8) is one MISSPELT mention of a closest brand; otherwise
 * nothing. Eight thousand words, each scanned twice, so the second look
 * comes from the per-word caches after many evictions: no filter or cache may
 * drop (or invent) a misspelling. */
static void misspellings_against_brute_force(void **state)
{
    static const char *syl[] = {"ka",  "ro",  "mi",  "ten", "zu",  "lo",  "vex", "sa",
                                "dor", "qui", "bel", "an",  "tra", "gio", "nel"};
    enum { N_NAMES = 300, N_WORDS = 8000 };
    static char names[N_NAMES][40], words[N_WORDS][40];
    gn_lexicon *lx = gn_lexicon_new();
    gn_error err = {0};
    for (int i = 0; i < N_NAMES; i++) {
        names[i][0] = 0;
        int k = 2 + (int)(rnd32() % 4);
        for (int j = 0; j < k; j++)
            strcat(names[i], syl[rnd32() % 15]);
        assert_int_equal(gn_lexicon_add_name(lx, (uint32_t)i, names[i], &err), 0);
    }
    for (int i = 0; i < N_WORDS; i++) {
        if (rnd32() % 4 == 0) { /* random letters, 2-14 */
            int n = 2 + (int)(rnd32() % 13);
            for (int j = 0; j < n; j++)
                words[i][j] = (char)('a' + rnd32() % 26);
            words[i][n] = 0;
        } else {
            mutate(words[i], names[rnd32() % N_NAMES]);
        }
    }
    long misspelt = 0;
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N_WORDS; i++) {
            const char *w = words[i];
            int common = 0;
            for (int c = 0; builtin_common_copy[c]; c++)
                common |= strcmp(w, builtin_common_copy[c]) == 0;
            if (common) continue;
            int exact = 0, best = 99;
            for (int k = 0; k < N_NAMES; k++) {
                int len = (int)strlen(names[k]), max = len >= 8 ? 2 : len >= 5 ? 1 : 0;
                int d = osa(w, names[k]);
                if (d == 0) exact = 1;
                if (d <= max && d < best) best = d;
            }
            gn_text_findings f;
            assert_int_equal(gn_lexicon_scan(lx, w, strlen(w), "", 0, &f, &err), 0);
            int n_exact = 0, n_miss = 0, miss_ok = 0;
            for (int m = 0; m < f.n_mentions; m++) {
                const gn_mention *x = &f.mentions[m];
                if (x->kind == GN_MENTION_EXACT) n_exact++;
                if (x->kind == GN_MENTION_MISSPELT) {
                    n_miss++;
                    const char *nm = names[x->brand];
                    int len = (int)strlen(nm), max = len >= 8 ? 2 : len >= 5 ? 1 : 0;
                    int d = osa(w, nm);
                    miss_ok = d == best && d <= max && strcmp(x->name, nm) == 0;
                }
            }
            if (exact) {
                if (!n_exact || n_miss)
                    fail_msg("\"%s\": exact name, found %d exact %d misspelt", w, n_exact, n_miss);
            } else if (best <= 2) {
                if (n_miss != 1 || !miss_ok || n_exact)
                    fail_msg(
                        "\"%s\" (pass %d): a name at distance %d, found %d misspelt (closest: %d)",
                        w, pass, best, n_miss, miss_ok);
                misspelt += pass == 0;
            } else if (f.n_mentions) {
                fail_msg("\"%s\": no name near, found \"%s\"", w, f.mentions[0].name);
            }
        }
    assert_true(misspelt > N_WORDS / 4); /* the test does test something */
    gn_lexicon_free(lx);
}

static void assert_same_findings(const gn_text_findings *a, const gn_text_findings *b)
{
    assert_int_equal(a->n_mentions, b->n_mentions);
    assert_int_equal(a->n_lingo, b->n_lingo);
    for (int m = 0; m < a->n_mentions; m++) {
        assert_int_equal(a->mentions[m].brand, b->mentions[m].brand);
        assert_int_equal(a->mentions[m].kind, b->mentions[m].kind);
        assert_int_equal(a->mentions[m].in_title, b->mentions[m].in_title);
        assert_string_equal(a->mentions[m].as_written, b->mentions[m].as_written);
    }
    for (int l = 0; l < a->n_lingo; l++)
        assert_string_equal(a->lingo[l], b->lingo[l]);
}

/* The folder's fast path ("word word", "word, word", runs of ASCII letters 16
 * at a time, stretches of such text 64 bytes at a time, with each block
 * folder) and its table path must fold the same text the same way: a
 * listing with its spaces written as tabs takes the table path for every
 * space and must give the same findings (controls are shown as spaces). */
static void fast_path_same_as_table_path(void **state)
{
    static const char *pieces[] = {"Nike",
                                   "gucci",
                                   "Guccii",
                                   "Addidas",
                                   "Louis Vuiton",
                                   "Luis Vuiton",
                                   "LouisVuitton",
                                   "LV",
                                   "Burbery",
                                   "G u c c i",
                                   "G-u-c-c-i",
                                   "a",
                                   "b",
                                   "x y",
                                   "replica",
                                   "1:1",
                                   "AAA quality",
                                   "fake fur",
                                   "inspired by Chanel",
                                   "古驰",
                                   "古 驰",
                                   "Hermès",
                                   "HERMES",
                                   "Levi's",
                                   "Найк",
                                   "N\xc3\xafke",
                                   "Guc ci",
                                   "superlongwordwithoutanybreaksatall",
                                   "abcdefghijklmnopqrstu",
                                   "Chanell",
                                   "channel",
                                   "12345",
                                   "ab12",
                                   ",",
                                   ".",
                                   "!",
                                   "?",
                                   "(Nike)",
                                   "-",
                                   "nike-branded"};
    char text[2048], tabs[2048];
    for (int iter = 0; iter < 3000; iter++) {
        size_t o = 0;
        int n = 1 + (int)(rnd32() % 60); /* past 64 bytes, where whole blocks are folded */
        for (int i = 0; i < n && o < 1800; i++) {
            const char *p = pieces[rnd32() % (sizeof pieces / sizeof *pieces)];
            size_t l = strlen(p);
            memcpy(text + o, p, l);
            o += l;
            int sep = (int)(rnd32() % 6);
            const char *s = sep < 3 ? " " : sep == 3 ? ", " : sep == 4 ? ". " : "  ";
            memcpy(text + o, s, strlen(s));
            o += strlen(s);
        }
        for (size_t i = 0; i < o; i++)
            tabs[i] = text[i] == ' ' ? '\t' : text[i];
        size_t cut = rnd32() % (o + 1); /* title and description */
        gn_text_findings a, b;
        gn_error err = {0};
        assert_int_equal(gn_lexicon_scan(shared, text, cut, text + cut, o - cut, &a, &err), 0);
        assert_int_equal(gn_lexicon_scan(shared, tabs, cut, tabs + cut, o - cut, &b, &err), 0);
        assert_same_findings(&a, &b);
        /* Each block folder (and none) against the widest this CPU has. */
        for (int isa = GN_LEXICON_ISA_NONE; isa < GN_LEXICON_ISA_AVX512; isa++) {
            gn_lexicon_set_isa(shared, isa);
            assert_int_equal(gn_lexicon_scan(shared, text, cut, text + cut, o - cut, &b, &err), 0);
            assert_same_findings(&a, &b);
        }
        gn_lexicon_set_isa(shared, GN_LEXICON_ISA_AVX512);
    }
}

/* The word lists are data (config/lexicon/lingo.txt, common.txt): a platform's
 * own lists replace the shipped ones, clauses clear a term as they say, and
 * folded spellings of the clearing words count. */
static void lists_from_text(void **state)
{
    gn_lexicon_lists lists = {
        .lingo = "# a platform's own lingo\n"
                 "dupe: dupe, dupes | not before: Ideas, recipe | not after: no\n"
                 "  \n"
                 "lookalike:   look alike ,lookalike | brand after\n",
        .lingo_name = "mine/lingo.txt",
        .common = "guccy\nchanell, nikey\n",
        .common_name = "mine/common.txt",
    };
    gn_lexicon *lx;
    gn_error err = {0};
    if (gn_lexicon_open(&lx, NULL, &lists, &err)) fail_msg("%s", err.message);
    assert_int_equal(gn_lexicon_add_name(lx, GUCCI, "Gucci", &err), 0);
    assert_int_equal(gn_lexicon_add_name(lx, CHANEL, "Chanel", &err), 0);
    static const struct {
        const char *text;
        const char *lingo; /* NULL: none */
    } cases[] = {
        {"Gucci dupe bag", "dupe"},
        {"DUPES of Chanel", "dupe"},
        {"dupe ideas for a party", NULL},     /* cleared by the word after */
        {"dupe RECIPE", NULL},                /* folded like the text */
        {"no dupe here", NULL},               /* cleared by the word before */
        {"lookalike Gucci bag", "lookalike"}, /* a brand follows */
        {"a lookalike of a bag", NULL},       /* none does */
        {"replica watch", NULL},              /* the shipped list is replaced */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gn_text_findings f;
        assert_int_equal(gn_lexicon_scan(lx, cases[i].text, strlen(cases[i].text), "", 0, &f, &err),
                         0);
        if (!cases[i].lingo && f.n_lingo)
            fail_msg("\"%s\": expected no lingo, found \"%s\"", cases[i].text, f.lingo[0]);
        if (cases[i].lingo && (f.n_lingo != 1 || strcmp(f.lingo[0], cases[i].lingo) != 0))
            fail_msg("\"%s\": expected lingo \"%s\" (%d found)", cases[i].text, cases[i].lingo,
                     f.n_lingo);
    }
    /* The common list replaces the shipped one: "guccy" is not a misspelt
     * Gucci any more, "chanell" not a misspelt Chanel; "channel" is again. */
    gn_text_findings f;
    const char *text = "guccy chanell";
    assert_int_equal(gn_lexicon_scan(lx, text, strlen(text), "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 0);
    text = "channel bag";
    assert_int_equal(gn_lexicon_scan(lx, text, strlen(text), "", 0, &f, &err), 0);
    assert_int_equal(f.n_mentions, 1);
    assert_int_equal(f.mentions[0].kind, GN_MENTION_MISSPELT);
    gn_lexicon_free(lx);
}

/* A bad list is refused with the file and the line named. */
static void lists_refused(void **state)
{
    static const struct {
        const char *lingo, *common;
        const char *message;
    } cases[] = {
        {"fake fakes\n", NULL, "lingo.txt:1: expected 'reported: term, term, ...'"},
        {"# c\n\n: fake\n", NULL, "lingo.txt:3: no text to report"},
        {"fake: fake,, fakes\n", NULL, "lingo.txt:1: an empty term"},
        {"fake: fake\nfake: !!!\n", NULL, "lingo.txt:2: the term \"!!!\" has no letters"},
        {"fake: fake | not before: fur,\n", NULL, "lingo.txt:1: an empty word in a clause"},
        {"fake: fake | not before: faux fur\n", NULL, "lingo.txt:1: \"faux fur\" is not one word"},
        {"fake: fake | not beside: fur\n", NULL,
         "lingo.txt:1: \"not beside: fur\" is not a clause"},
        {"fake: fake | not after: a | not after: b\n", NULL, "lingo.txt:1: the same clause twice"},
        {"a very long text to report, longer than sixty bytes in all, no doubt: x\n", NULL,
         "lingo.txt:1: the text reported is longer than 60 bytes"},
        {"# only comments\n", NULL, "lingo.txt: no lingo term"},
        {NULL, "apple,\n", "common.txt:1: an empty word"},
        {NULL, "ok\nthis-word-is-far-too-long-to-be-an-everyday-word-of-any-language-at-all\n",
         "common.txt:2: \"this-word-is-far-too-long-to-be-an-every"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        gn_lexicon_lists lists = {cases[i].lingo, "mine/lingo.txt", cases[i].common,
                                  "mine/common.txt"};
        gn_lexicon *lx = (gn_lexicon *)&lists;
        gn_error err = {0};
        int rc = gn_lexicon_open(&lx, NULL, &lists, &err);
        if (rc != GN_ECONFIG) fail_msg("case %zu: %d, expected GN_ECONFIG", i, rc);
        assert_null(lx);
        if (!strstr(err.message, cases[i].message))
            fail_msg("case %zu: \"%s\" does not say \"%s\"", i, err.message, cases[i].message);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(exact_names),
        cmocka_unit_test(word_boundaries),
        cmocka_unit_test(misspellings),
        cmocka_unit_test(lookalikes),
        cmocka_unit_test(cjk),
        cmocka_unit_test(lingo),
        cmocka_unit_test(lingo_false_friends),
        cmocka_unit_test(lists_from_text),
        cmocka_unit_test(lists_refused),
        cmocka_unit_test(title_first),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(long_text),
        cmocka_unit_test(options_and_recompile),
        cmocka_unit_test(many_brands),
        cmocka_unit_test(misspellings_against_brute_force),
        cmocka_unit_test(fast_path_same_as_table_path),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
