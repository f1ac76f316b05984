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
        cmocka_unit_test(title_first),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(long_text),
        cmocka_unit_test(options_and_recompile),
        cmocka_unit_test(many_brands),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
