/* The bench profile of `genuine simulate` (until now the program
 * bench/gen_corpus): contract events (shared/design/CONTRACT.md) as JSON
 * Lines, the same for the same seed, to feed the benchmarks and load tests
 * with a marketplace that looks real to the text, price and seller detectors.
 *
 *   genuine simulate --profile bench [--seed N] [--brands N] [--sellers N] [--listings N]
 *   genuine simulate --profile bench [--seed N] [--brands N] [--sellers N] --mixed N
 *
 *   --brands N    brands in the catalog (default 1000): pronounceable unique
 *                 names, none within genuine's misspelling distance of a word
 *                 the listings are written with, 2-4 aliases each (one in
 *                 CJK), reference prices for 2-3 categories, official image
 *                 hashes, some authorized-only; a trademark each, which the
 *                 platform verifies so that complaints can rest on it.
 *   --sellers N   sellers (default: listings/20, or mixed/50; at least 10);
 *                 a tenth are counterfeiters, in rings of four that share a
 *                 device, a router, a phone and a payment account. Verified
 *                 sellers submit their documents first, then are verified.
 *   Every event is one genuine accepts (none is rejected by a workflow rule).
 *   --listings N  after the catalog and the sellers, N listing events.
 *   --mixed N     exactly N events: rates, brands and rights first, then the
 *                 sellers with their verifications and attributes, then a
 *                 stream in time order of listings (about 60% of all events),
 *                 listing updates, sessions, seller attributes, orders,
 *                 reviews, shipments, reports, complaints and verdicts.
 *   --seed N      the seed (default 1).
 *
 *   Without --listings or --mixed it writes the catalog (and --sellers).
 *   About 5% of listings are counterfeit, with mixed tactics: steep discounts
 *   (5-15% of the reference), misspelt brand names, look-alike letters
 *   (Cyrillic/Greek, "V-a-l-o-r-i-n"), counterfeit lingo ("replica", "1:1",
 *   "AAA grade", "高仿", "复刻", "A货", "réplique"), a claimed brand differing
 *   from the titled one, the brand's official photos. Titles and descriptions
 *   together spread over 100-2,000 bytes. Ids: brands B1.., sellers S1..,
 *   listings L1.., buyers U1.., events e1..; genuine sellers come first.
 *
 * Only stdio, stdlib and genuine's seeded generator (core/rng.h, the
 * simulator's too): the text is assembled by hand into one big buffer,
 * because formatted output would make the generator slower than the engine
 * it is meant to load. Everything one corpus is written with is in a
 * `corpus` the functions pass along (cs). */
#include "sim/corpus.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/error.h"
#include "core/rng.h"
#include "sim/gen.h"

/* ------------------------------------------------------------------ random */

typedef gn_rng rng;

#define PICK(r, arr) ((arr)[gn_rng_below((r), (uint32_t)(sizeof(arr) / sizeof *(arr)))])

/* A hash of a few numbers: derived things (a brand's photo, a ring's phone)
 * are recomputed when needed instead of stored. */
static uint64_t mix(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^ c * 0x165667b19e3779f9ULL;
    return gn_splitmix64(&x);
}

/* ------------------------------------------------------------------ output */

/* Everything one corpus is written with: the output buffer, the clock, the
 * catalog and the sellers (functions take it as cs). */
typedef struct corpus {
    char out[1 << 22];
    size_t used;
    uint64_t written, limit;
    FILE *sink;
    int sink_failed; /* a write failed: the rest is not written, the caller is told */
    int64_t now;     /* seconds since the epoch: the clock of the event being written */
    struct brand *brands;
    uint32_t nbrands;
    struct seller *sellers;
    uint32_t nsellers, ngenuine;
    uint64_t seed;
    uint32_t fakes_cap;
} corpus;

static void flush(corpus *cs)
{
    if (cs->used && !cs->sink_failed && fwrite(cs->out, 1, cs->used, cs->sink) != cs->used)
        cs->sink_failed = 1;
    cs->used = 0;
}

static void put(corpus *cs, const char *s, size_t n)
{
    memcpy(cs->out + cs->used, s, n);
    cs->used += n;
}
#define P(lit) put(cs, lit, sizeof(lit) - 1)
static void ps(corpus *cs, const char *s)
{
    put(cs, s, strlen(s));
}

static void pu(corpus *cs, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do
        tmp[n++] = (char)('0' + v % 10);
    while ((v /= 10));
    while (n)
        cs->out[cs->used++] = tmp[--n];
}

static void pcents(corpus *cs, int64_t c) /* 1234 -> 12.34 */
{
    pu(cs, (uint64_t)(c / 100));
    cs->out[cs->used++] = '.';
    cs->out[cs->used++] = (char)('0' + c / 10 % 10);
    cs->out[cs->used++] = (char)('0' + c % 10);
}

static void phex(corpus *cs, rng *r, int n)
{
    static const char hex[] = "0123456789abcdef";
    uint64_t v = 0;
    for (int i = 0; i < n; i++) {
        if (i % 16 == 0) v = gn_rng_next(r);
        cs->out[cs->used++] = hex[v & 15];
        v >>= 4;
    }
}

/* Strings come only from this file's tables, none holding '"', '\' or control
 * characters, so they need no escaping. */
static void pq(corpus *cs, const char *s)
{
    cs->out[cs->used++] = '"';
    ps(cs, s);
    cs->out[cs->used++] = '"';
}

/* ------------------------------------------------------------------ time */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400), doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void ptime(corpus *cs, int64_t t)
{
    char text[21];
    sim_time_text(t, text);
    cs->out[cs->used++] = '"';
    put(cs, text, 20);
    cs->out[cs->used++] = '"';
}

/* ------------------------------------------------------------------ events */

static int room(corpus *cs)
{
    return cs->written < cs->limit;
}

static void begin(corpus *cs, const char *type)
{
    if (cs->used > sizeof cs->out - 65536) flush(cs);
    P("{\"type\":\"");
    ps(cs, type);
    P("\",\"id\":\"e");
    pu(cs, cs->written + 1);
    P("\",\"at\":");
    ptime(cs, cs->now);
}

static void end(corpus *cs)
{
    P("}\n");
    cs->written++;
}

static void key(corpus *cs, const char *k) /* ,"k": */
{
    P(",\"");
    ps(cs, k);
    P("\":");
}

static void kid(corpus *cs, const char *k, char prefix, uint64_t n) /* ,"k":"L123" */
{
    key(cs, k);
    cs->out[cs->used++] = '"';
    cs->out[cs->used++] = prefix;
    pu(cs, n);
    cs->out[cs->used++] = '"';
}

static void kstr(corpus *cs, const char *k, const char *v)
{
    key(cs, k);
    pq(cs, v);
}

/* ------------------------------------------------------------------ the world */

enum { USD, EUR, GBP, CNY, NCUR };
static const char *const currency_code[NCUR] = {"USD", "EUR", "GBP", "CNY"};
static const double usd_per[NCUR] = {1.0, 1.08, 1.27, 0.139};

typedef struct country {
    const char *code, *city, *facility;
    int currency;
} country;
static const country countries[] = {
    {"US", "Los Angeles", "Carson Fulfilment", USD},
    {"GB", "London", "Heathrow Parcel Hub", GBP},
    {"DE", "Berlin", "Schönefeld Depot", EUR},
    {"FR", "Paris", "Roissy Hub", EUR},
    {"IT", "Milan", "Linate Hub", EUR},
    {"ES", "Madrid", "Coslada Depot", EUR},
    {"NL", "Venlo", "Venlo Fulfilment", EUR},
    {"JP", "Tokyo", "Shinagawa Depot", USD},
    {"KR", "Seoul", "Incheon Fulfilment", USD},
    {"CN", "Shanghai", "Pudong Warehouse 2", CNY},
    {"HK", "Hong Kong", "Kwai Chung Hub", USD},
    {"TR", "Istanbul", "Esenyurt Warehouse", USD},
};
#define NCOUNTRY (int)(sizeof countries / sizeof *countries)
static const country fake_origins[] = {
    {"CN", "Putian", "Licheng Parcel Station", CNY},
    {"CN", "Guangzhou", "Baiyun Leather Market Depot", CNY},
    {"CN", "Yiwu", "Futian Market Warehouse", CNY},
    {"CN", "Shenzhen", "Huaqiangbei Logistics", CNY},
    {"HK", "Hong Kong", "Kwai Chung Hub", USD},
    {"TR", "Istanbul", "Laleli Cargo", USD},
};

typedef struct category {
    const char *name;
    int base_usd;    /* a mid-range branded item */
    int generic_usd; /* the same thing unbranded */
    const char *nouns[5];
    const char *details[5];
} category;

static const category categories[] = {
    {"handbags",
     900,
     30,
     {"Shoulder Bag", "Tote Bag", "Crossbody Bag", "Hobo Bag", "Top Handle Bag"},
     {"Smooth calfskin with a microfibre lining and one inner zip pocket.",
      "Adjustable shoulder strap with a 55 cm drop; can be worn crossbody.",
      "Gold-toned hardware, magnetic snap closure and a suede interior.",
      "Dimensions 26 x 15 x 7 cm; fits a phone, a compact wallet and keys.",
      "Dust bag and care booklet included."}},
    {"sneakers",
     150,
     35,
     {"Sneakers", "Running Shoes", "High-Top Sneakers", "Trainers", "Court Shoes"},
     {"Leather upper with a rubber cupsole for all-day comfort.",
      "Breathable mesh lining and a cushioned foam insole.",
      "True to size; if you are between sizes take the larger one.",
      "Comes in the original box with spare laces.",
      "Reinforced heel counter and a non-slip outsole."}},
    {"watches",
     2500,
     40,
     {"Automatic Watch", "Chronograph", "Diver Watch", "Dress Watch", "GMT Watch"},
     {"Stainless steel case, sapphire crystal, water resistant to 100 m.",
      "Self-winding movement with about 70 hours of power reserve.",
      "Supplied with the warranty card, box and booklets.",
      "Bracelet sized for a 17.5 cm wrist; extra links included.",
      "Screw-down crown and a unidirectional bezel."}},
    {"sunglasses",
     200,
     15,
     {"Aviator Sunglasses", "Square Sunglasses", "Round Sunglasses", "Cat-Eye Sunglasses",
      "Wayfarer Sunglasses"},
     {"Polarized lenses with full UV400 protection.",
      "Acetate frame, lens width 52 mm, bridge 20 mm.",
      "Comes with a hard case and a cleaning cloth.", "Spring hinges for a comfortable fit.",
      "Anti-reflective coating on the back of the lenses."}},
    {"wallets",
     450,
     15,
     {"Zip Wallet", "Card Holder", "Bifold Wallet", "Long Wallet", "Coin Purse"},
     {"Eight card slots, two bill compartments and a zipped coin pocket.",
      "Compact size, fits easily in most handbags.",
      "Grained leather that keeps its shape; hand-painted edges.", "RFID blocking lining.",
      "Gift box included."}},
    {"belts",
     400,
     18,
     {"Leather Belt", "Reversible Belt", "Buckle Belt", "Slim Belt", "Logo Belt"},
     {"Width 3 cm; the strap can be cut to size.",
      "Reversible strap, black and brown, with a palladium-finish buckle.",
      "Available in sizes 85 to 110; check the size chart before ordering.", "Full-grain cowhide.",
      "Gift box included."}},
    {"perfume",
     130,
     20,
     {"Eau de Parfum 100ml", "Eau de Toilette 50ml", "Parfum 75ml", "Eau de Parfum 50ml",
      "Body Mist 150ml"},
     {"Floral notes of jasmine and rose over a warm amber base.",
      "Sealed in the original cellophane; batch code on the box.",
      "Long-lasting, eight hours or more on skin.", "Perfume ships by ground only, as required.",
      "Fresh citrus top notes and a woody heart."}},
    {"headphones",
     250,
     25,
     {"Wireless Earbuds", "Noise Cancelling Headphones", "Over-Ear Headphones", "Sport Earbuds",
      "Studio Headphones"},
     {"Active noise cancellation and a transparency mode.",
      "Up to 30 hours of battery with the charging case.", "Bluetooth 5.3 with multipoint pairing.",
      "Serial number can be checked on the maker's coverage page.",
      "Sweat and water resistant (IPX4)."}},
    {"jackets",
     600,
     45,
     {"Down Jacket", "Bomber Jacket", "Leather Jacket", "Rain Jacket", "Puffer Coat"},
     {"Water-repellent shell with a 700-fill down lining.",
      "Two-way zip, storm flap and a removable hood.",
      "Regular fit; the model is 183 cm tall and wears size M.", "Dry clean only.",
      "Inner phone pocket and ribbed cuffs."}},
    {"jewelry",
     1200,
     12,
     {"Pendant Necklace", "Bracelet", "Stud Earrings", "Ring", "Charm Bracelet"},
     {"18k gold plated sterling silver, nickel free.", "Comes in a gift box with a certificate.",
      "Adjustable chain from 40 to 45 cm.", "Hypoallergenic and tarnish resistant.",
      "Hand-polished in our workshop."}},
    {"phone accessories",
     60,
     10,
     {"Phone Case", "MagSafe Wallet", "Charging Cable", "Power Bank", "Screen Protector"},
     {"Shock-absorbing corners and a raised camera lip.", "Works with wireless charging.",
      "Fast charging up to 20 W.", "Slim profile, adds only 1.2 mm.", "Two-year warranty."}},
    {"t-shirts",
     120,
     12,
     {"Logo T-Shirt", "Cotton Tee", "Oversized T-Shirt", "Polo Shirt", "Graphic Tee"},
     {"100% organic cotton jersey, 220 gsm.", "Relaxed fit with dropped shoulders.",
      "Machine wash cold, do not tumble dry.", "Printed with water-based inks.",
      "Available in sizes XS to XXL."}},
    {"backpacks",
     350,
     28,
     {"Backpack", "Laptop Backpack", "Travel Backpack", "Mini Backpack", "Rolltop Backpack"},
     {"Padded laptop sleeve up to 15 inches.", "Water-resistant nylon with leather trims.",
      "Two side pockets for bottles and a hidden back pocket.", "Ergonomic padded straps.",
      "Volume 22 litres."}},
    {"scarves",
     450,
     12,
     {"Silk Scarf", "Wool Scarf", "Cashmere Scarf", "Square Scarf", "Shawl"},
     {"90 x 90 cm, hand-rolled edges.", "Soft, warm and light; dry clean only.",
      "Printed in Como, Italy.", "A blend of silk and wool.", "Gift box included."}},
};
#define NCAT (int)(sizeof categories / sizeof *categories)

/* Syllables of brand names, each with its own CJK character, so the CJK
 * transliteration alias is unique whenever the name is. */
static const char *const syl[][2] = {
    {"ka", "卡"}, {"ke", "凯"}, {"ko", "科"}, {"ku", "库"}, {"la", "拉"}, {"le", "勒"},
    {"li", "丽"}, {"lo", "洛"}, {"ma", "玛"}, {"me", "梅"}, {"mi", "米"}, {"mo", "莫"},
    {"na", "纳"}, {"ne", "内"}, {"ni", "尼"}, {"no", "诺"}, {"ra", "腊"}, {"re", "瑞"},
    {"ri", "里"}, {"ro", "罗"}, {"sa", "萨"}, {"se", "塞"}, {"si", "西"}, {"so", "索"},
    {"ta", "塔"}, {"te", "特"}, {"ti", "蒂"}, {"to", "托"}, {"va", "瓦"}, {"ve", "维"},
    {"vi", "薇"}, {"vo", "沃"}, {"za", "扎"}, {"ze", "泽"}, {"zo", "佐"}, {"da", "达"},
    {"de", "德"}, {"do", "多"}, {"ba", "巴"}, {"be", "贝"}, {"bo", "博"}, {"fa", "法"},
    {"fe", "菲"}, {"fi", "芬"}, {"ga", "加"}, {"go", "戈"}, {"pa", "帕"}, {"pe", "佩"},
};
#define NSYL (int)(sizeof syl / sizeof *syl)
static const char *const finals[][2] = {
    {"n", "恩"}, {"r", "尔"}, {"s", "斯"}, {"x", "克斯"}, {"l", "露"}};

typedef struct brand {
    char name[24];
    char cjk[48];
    uint8_t ncat, cat[3], currency, authorized_only, line, city;
    int64_t ref_cents[3]; /* in the brand's currency */
} brand;

typedef struct seller {
    int64_t created;
    uint8_t country, counterfeit, verified;
    uint32_t ring;
} seller;

typedef struct listing {
    uint32_t seller, brand; /* brand: UINT32_MAX when unbranded */
    int64_t cents;
    uint8_t cat, mode, tactics, currency;
} listing;

enum { M_FULL, M_OUTLET, M_USED, M_GENERIC, M_FAKE };
enum {
    T_DISCOUNT = 1,
    T_MISSPELT = 2,
    T_LOOKALIKE = 4,
    T_LINGO = 8,
    T_MISMATCH = 16,
    T_OFFICIAL = 32
};
#define NO_BRAND UINT32_MAX

/* ------------------------------------------------------------------ vocabulary */

static const char *const adjectives[] = {
    "Classic",  "Vintage",   "Premium",  "Lightweight", "Limited Edition", "Signature",
    "Iconic",   "Essential", "Heritage", "Modern",      "Elegant",         "Casual",
    "Original", "Monogram",  "Quilted",  "Embroidered", "Minimal",         "Sport"};
static const char *const colors[] = {"Black", "White", "Beige", "Brown", "Navy", "Red",
                                     "Green", "Pink",  "Grey",  "Cream", "Gold", "Silver"};
static const char *const words[] = {
    "premium",   "lightweight", "durable",      "classic",   "modern",     "elegant",
    "casual",    "waterproof",  "breathable",   "soft",      "leather",    "cotton",
    "stainless", "steel",       "canvas",       "suede",     "nylon",      "wool",
    "silk",      "vintage",     "limited",      "season",    "collection", "design",
    "style",     "comfort",     "everyday",     "travel",    "office",     "gift",
    "perfect",   "for",         "with",         "and",       "the",        "a",
    "of",        "in",          "to",           "your",      "daily",      "use",
    "fit",       "size",        "colour",       "black",     "white",      "navy",
    "brown",     "beige",       "details",      "stitching", "hardware",   "zip",
    "pocket",    "strap",       "lining",       "finish",    "hand",       "made",
    "crafted",   "quality",     "new",          "condition", "authentic",  "store",
    "receipt",   "box",         "packaging",    "shipping",  "fast",       "tracked",
    "insured",   "delivery",    "return",       "policy",    "days",       "easy",
    "care",      "clean",       "cloth",        "dry",       "keep",       "away",
    "from",      "sunlight",    "moisture",     "store",     "bag",        "when",
    "not",       "wearing",     "timeless",     "look",      "match",      "outfit",
    "weekend",   "evening",     "work",         "summer",    "winter",     "spring",
    "autumn",    "tones",       "warm",         "cool",      "rich",       "texture",
    "grain",     "smooth",      "matte",        "glossy",    "polished",   "brushed",
    "edge",      "paint",       "thread",       "double",    "signature",  "logo",
    "embossed",  "engraved",    "metal",        "tone",      "gold",       "silver",
    "light",     "dark",        "wear",         "signs",     "minor",      "excellent",
    "very",      "good",        "like",         "photos",    "actual",     "item",
    "please",    "check",       "measurements", "before",    "ordering",   "message",
    "us",        "questions",   "reply",        "within",    "hours",      "thank",
    "you",       "visiting",    "our",          "shop"};
static const char *const general[] = {"Ships within one business day with tracking.",
                                      "Returns accepted within 30 days in the original packaging.",
                                      "Payment is taken through the marketplace only.",
                                      "Photos show the actual item, taken under daylight lamps.",
                                      "Colours may vary slightly from screen to screen.",
                                      "Questions? Message us; we reply within a few hours.",
                                      "Gift wrapping available on request.",
                                      "Duties for deliveries outside the EU are paid by the buyer.",
                                      "All orders are shipped insured and need a signature.",
                                      "Thank you for visiting our shop."};
static const char *const lingo_en[] = {
    "replica",          "1:1",        "AAA grade", "mirror quality", "super copy", "high copy",
    "top quality copy", "1:1 mirror", "réplique",  "AAA+ quality"};
static const char *const lingo_cjk[] = {"高仿", "复刻", "A货", "原单", "精仿", "1:1高仿", "超A"};
static const char *const fake_lines[] = {
    "Factory direct price, best quality on the market.",
    "Ship from Guangzhou, 7-15 days worldwide, tracking provided.",
    "Contact us on WhatsApp for real pictures and more models.",
    "Box and dust bag cost extra, leave a message.",
    "Wholesale price for 5 pieces or more. Dropshipping OK.",
    "Please do not ask if it is original.",
    "All items checked before shipping. Customs declared as gift.",
    "付款后48小时内发货，支持验货。"};
static const char *const cities[] = {"Milano",   "Paris", "London", "Tokyo",
                                     "New York", "Seoul", "Berlin", "Firenze"};
static const char *const lines_[] = {"Sport", "Studio", "Atelier", "Home", "Kids", "Jeans"};

/* Look-alike letters (UTF-8): Cyrillic and Greek letters that render as Latin. */
static const char *lookalike_of(char c)
{
    switch (c) {
    case 'a':
        return "а";
    case 'c':
        return "с";
    case 'e':
        return "е";
    case 'o':
        return "о";
    case 'p':
        return "р";
    case 'x':
        return "х";
    case 'i':
        return "і";
    case 'A':
        return "А";
    case 'B':
        return "В";
    case 'E':
        return "Ε";
    case 'K':
        return "К";
    case 'M':
        return "М";
    case 'N':
        return "Ν";
    case 'O':
        return "О";
    case 'P':
        return "Р";
    case 'T':
        return "Т";
    case 'Z':
        return "Ζ";
    default:
        return NULL;
    }
}

/* Optimal string alignment distance (a swap of neighbours counts one), as
 * genuine's misspelling search measures it, of two short lower-case words. */
static int osa(const char *a, int n, const char *b, int m)
{
    int d[25][25];
    if (n > 24 || m > 24) return 99;
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

/* Whether a brand name would pass for one of the words of this text, or
 * one of them for a misspelling of it: genuine counts a word within edit
 * distance 1 of a name of 5-7 letters (2 from 8) as a misspelt brand, so a
 * name like "Rones" would turn every listing saying "tones" into a fake.
 * Real brands are chosen to stand apart from everyday words; so are these. */
static int near_words(const char *name, const char *text)
{
    char lower[24];
    int n = (int)strlen(name);
    for (int i = 0; i < n; i++)
        lower[i] = (char)(name[i] | 32);
    int within = n >= 8 ? 2 : n >= 5 ? 1 : 0;
    for (const char *p = text; *p;) {
        while (*p && !((*p | 32) >= 'a' && (*p | 32) <= 'z'))
            p++;
        char w[24];
        int m = 0;
        for (; (*p | 32) >= 'a' && (*p | 32) <= 'z'; p++)
            if (m < 24) w[m++] = (char)(*p | 32);
        if (m && m - n <= within && n - m <= within && osa(lower, n, w, m) <= within) return 1;
    }
    return 0;
}

static int near_any(const char *name, const char *const *texts, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (near_words(name, texts[i])) return 1;
    return 0;
}
#define NEAR_ANY(name, arr) near_any(name, arr, sizeof arr / sizeof *arr)

/* The words every listing's text is made of (a brand's own name aside). */
static int is_vocab(const char *name)
{
    if (NEAR_ANY(name, words) || NEAR_ANY(name, adjectives) || NEAR_ANY(name, colors) ||
        NEAR_ANY(name, general) || NEAR_ANY(name, lingo_en) || NEAR_ANY(name, fake_lines) ||
        NEAR_ANY(name, cities) || NEAR_ANY(name, lines_))
        return 1;
    for (int c = 0; c < NCAT; c++)
        if (near_words(name, categories[c].name) || NEAR_ANY(name, categories[c].nouns) ||
            NEAR_ANY(name, categories[c].details))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ the catalog */

static int64_t to_currency(int64_t cents, int from, int to)
{
    return (int64_t)((double)cents * usd_per[from] / usd_per[to] + 0.5);
}

/* Prices as shops write them: whole yuan; otherwise .00 above 200, .99 below. */
static int64_t shop_price(int64_t cents, int currency)
{
    if (cents < 100) return cents < 1 ? 1 : cents;
    if (currency == CNY || cents >= 20000) return (cents + 50) / 100 * 100;
    return cents / 100 * 100 + 99;
}

static void make_brands(corpus *cs, rng *r)
{
    /* Open addressing on the syllable sequence keeps names unique. */
    uint32_t cap = 1;
    while (cap < cs->nbrands * 2 + 16)
        cap <<= 1;
    uint64_t *taken = gn_xcalloc(cap, sizeof *taken);
    cs->brands = gn_xcalloc(cs->nbrands ? cs->nbrands : 1, sizeof *cs->brands);
    int nsyl = cs->nbrands > 20000 ? 3 : 2;
    for (uint32_t b = 0; b < cs->nbrands; b++) {
        brand *br = &cs->brands[b];
        for (int attempt = 0;; attempt++) {
            int n = nsyl + (int)gn_rng_below(r, 2) + (attempt > 50);
            int fin = gn_rng_below(r, 8); /* 5 of 8: with a final consonant */
            if (n == 2 && fin >= 5)
                fin = gn_rng_below(r, 5); /* two syllables alone are too short */
            uint64_t code = (uint64_t)fin + 8;
            char name[24] = "", cjk[48] = "";
            for (int i = 0; i < n; i++) {
                int s = (int)gn_rng_below(r, NSYL);
                code = code * 64 + (uint64_t)s + 1;
                strcat(name, syl[s][0]);
                strcat(cjk, syl[s][1]);
            }
            if (fin < 5) {
                strcat(name, finals[fin][0]);
                strcat(cjk, finals[fin][1]);
            }
            name[0] = (char)(name[0] - 32);
            if (is_vocab(name)) continue;
            uint32_t h = (uint32_t)mix(code, 1, 2) & (cap - 1);
            while (taken[h] && taken[h] != code)
                h = (h + 1) & (cap - 1);
            if (taken[h]) continue;
            taken[h] = code;
            memcpy(br->name, name, sizeof name);
            memcpy(br->cjk, cjk, sizeof cjk);
            break;
        }
        /* Luxury, mid-range and budget houses: the reference price follows. */
        double tier = gn_rng_chance(r, 0.3)   ? gn_rng_between(r, 2, 8)
                      : gn_rng_chance(r, 0.6) ? gn_rng_between(r, 0.6, 2)
                                              : gn_rng_between(r, 0.25, 0.6);
        int u = (int)gn_rng_below(r, 20);
        br->currency = (uint8_t)(u < 13 ? USD : u < 17 ? EUR : u < 19 ? GBP : CNY);
        br->ncat = (uint8_t)(2 + gn_rng_below(r, 2));
        for (int i = 0; i < br->ncat; i++) {
            int c;
            do
                c = (int)gn_rng_below(r, NCAT);
            while ((i > 0 && c == br->cat[0]) || (i > 1 && c == br->cat[1]));
            br->cat[i] = (uint8_t)c;
            int64_t usd_cents =
                (int64_t)(categories[c].base_usd * tier * gn_rng_between(r, 0.8, 1.25) * 100);
            br->ref_cents[i] = shop_price(to_currency(usd_cents, USD, br->currency), br->currency);
        }
        br->authorized_only = gn_rng_chance(r, 0.08);
        br->line = (uint8_t)gn_rng_below(r, sizeof lines_ / sizeof *lines_);
        br->city = (uint8_t)gn_rng_below(r, sizeof cities / sizeof *cities);
    }
    free(taken);
}

/* A brand's official photo k, the same wherever it is needed. */
static void official_pdq(corpus *cs, uint32_t b, int k)
{
    rng r;
    gn_rng_seed(&r, mix(cs->seed, 0x0ff1c1a1, (uint64_t)b * 4 + (uint64_t)k));
    phex(cs, &r, 64);
}

static uint32_t owner_of(uint32_t b)
{
    return b / 3 + 1;
} /* a rights holder owns about three brands */

static void write_rates(corpus *cs)
{
    static const char *const usd_text[NCUR] = {"1", "1.08", "1.27", "0.139"}; /* as usd_per */
    for (int c = 0; c < NCUR && room(cs); c++) {
        begin(cs, "rate");
        kstr(cs, "currency", currency_code[c]);
        key(cs, "usd");
        ps(cs, usd_text[c]);
        end(cs);
        cs->now += 1;
    }
}

static void write_brands(corpus *cs, rng *r)
{
    for (uint32_t b = 0; b < cs->nbrands && room(cs); b++) {
        const brand *br = &cs->brands[b];
        begin(cs, "brand");
        kid(cs, "brand", 'B', b + 1);
        kstr(cs, "name", br->name);
        key(cs, "aliases");
        P("[");
        pq(cs, br->cjk);
        P(",\"");
        ps(cs, br->name);
        P(" ");
        ps(cs, cities[br->city]);
        P("\"");
        int more = (int)(b % 3); /* 2, 3 or 4 aliases */
        if (more >= 1) {
            P(",\"");
            ps(cs, br->name);
            P(" ");
            ps(cs, lines_[br->line]);
            P("\"");
        }
        if (more >= 2) {
            P(",\"House of ");
            ps(cs, br->name);
            P("\"");
        }
        P("]");
        kid(cs, "owner", 'H', owner_of(b));
        key(cs, "categories");
        P("[");
        for (int i = 0; i < br->ncat; i++) {
            if (i) P(",");
            pq(cs, categories[br->cat[i]].name);
        }
        P("]");
        key(cs, "reference_prices");
        P("[");
        for (int i = 0; i < br->ncat; i++) {
            ps(cs, i ? ",{\"category\":" : "{\"category\":");
            pq(cs, categories[br->cat[i]].name);
            P(",\"price\":");
            pcents(cs, br->ref_cents[i]);
            P(",\"currency\":");
            pq(cs, currency_code[br->currency]);
            P("}");
        }
        P("]");
        key(cs, "official_images");
        P("[");
        for (int k = 0; k < 2; k++) {
            ps(cs, k ? ",{\"pdq\":\"" : "{\"pdq\":\"");
            official_pdq(cs, b, k);
            P("\",\"role\":\"official\"}");
        }
        P("]");
        /* Authorised sellers: a few genuine sellers, when there are any. */
        key(cs, "authorized_sellers");
        P("[");
        for (int k = 0; k < 3 && cs->ngenuine; k++) {
            if (k) P(",");
            P("\"S");
            pu(cs, mix(cs->seed, b, (uint64_t)k) % cs->ngenuine + 1);
            P("\"");
        }
        P("]");
        if (br->authorized_only) P(",\"authorized_only\":true");
        end(cs);
        cs->now += 1 + gn_rng_below(r, 30);
    }
    /* Every brand's holder registers its trademark, so complaints can name it. */
    for (uint32_t b = 0; b < cs->nbrands && room(cs); b++) {
        begin(cs, "ip_right");
        kid(cs, "right", 'T', b + 1);
        kid(cs, "brand", 'B', b + 1);
        kstr(cs, "kind", "trademark");
        key(cs, "number");
        P("\"EUTM 0");
        pu(cs, 10000000 + mix(cs->seed, b, 7) % 89999999);
        P("\"");
        kid(cs, "holder", 'H', owner_of(b));
        kstr(cs, "jurisdiction", "EU");
        P(",\"classes\":[\"18\",\"25\"],\"valid_until\":\"2034-12-31T00:00:00Z\"");
        end(cs);
        if (!room(cs)) break;
        /* The platform checks the registration, so complaints can rest on it. */
        begin(cs, "verdict");
        kstr(cs, "subject", "right");
        kid(cs, "target", 'T', b + 1);
        kstr(cs, "outcome", "verified");
        kstr(cs, "reviewer", "reviewer-1");
        end(cs);
        cs->now += 1 + gn_rng_below(r, 10);
    }
}

/* ------------------------------------------------------------------ sellers */

static const char *const shop_a[] = {"Golden", "Urban",  "Nordic",  "Royal", "Sunny",
                                     "Blue",   "Silver", "Harbor",  "Maple", "Crown",
                                     "Velvet", "Alpine", "Coastal", "Metro"};
static const char *const shop_b[] = {"Boutique", "Outlet",  "Store",  "Emporium",
                                     "Closet",   "Trading", "Goods",  "Supply",
                                     "House",    "Market",  "Studio", "Atelier"};
static const char *const fake_a[] = {"best", "lucky", "top", "happy",  "star",
                                     "mega", "super", "hot", "global", "factory"};
static const char *const fake_b[] = {"luxury", "brand", "fashion", "deals", "outlet",
                                     "shop",   "store", "trade",   "mall",  "goods"};

static void ring_value(corpus *cs, const char *kind, uint32_t ring)
{
    uint64_t h = mix(cs->seed, ring, (uint64_t)kind[0] * 256 + (uint64_t)kind[1]);
    cs->out[cs->used++] = '"';
    if (kind[0] == 'p' && kind[1] == 'h') {
        P("+86 1");
        pu(cs, 3000000000ULL + h % 6000000000ULL);
    } else {
        P("alipay:");
        pu(cs, h % 1000000000ULL);
        P("@example.cn");
    }
    cs->out[cs->used++] = '"';
}

static void write_sellers(corpus *cs, rng *r, int64_t stream_start)
{
    /* Genuine accounts were opened during the past year; counterfeiters' in the
     * last days before the stream starts, so their accounts are new. */
    int64_t t0 = cs->now, span = stream_start - 14 * 86400 - cs->now, fake_span = 12 * 86400 - 600;
    if (span < 0) span = 0;
    uint32_t nfake = cs->nsellers - cs->ngenuine;
    for (uint32_t s = 0; s < cs->nsellers && room(cs); s++) {
        seller *se = &cs->sellers[s];
        int64_t step; /* time to the next seller: its verification fits in between */
        if (s < cs->ngenuine) {
            cs->now = t0 + span * s / cs->ngenuine;
            step = span / cs->ngenuine;
        } else {
            cs->now = stream_start - 12 * 86400 + fake_span * (s - cs->ngenuine) / nfake;
            step = fake_span / nfake;
        }
        se->created = cs->now;
        begin(cs, "seller");
        kid(cs, "seller", 'S', s + 1);
        key(cs, "name");
        cs->out[cs->used++] = '"';
        if (se->counterfeit) {
            ps(cs, PICK(r, fake_a));
            P("_");
            ps(cs, PICK(r, fake_b));
            pu(cs, gn_rng_below(r, 1000));
        } else {
            ps(cs, PICK(r, shop_a));
            P(" ");
            ps(cs, PICK(r, shop_b));
            P(" ");
            pu(cs, s + 1);
        }
        cs->out[cs->used++] = '"';
        kstr(cs, "country",
             se->counterfeit ? (gn_rng_chance(r, 0.8) ? "CN" : "HK") : countries[se->country].code);
        kstr(cs, "template", se->counterfeit || gn_rng_chance(r, 0.2) ? "basic" : "custom");
        if (!se->counterfeit) {
            P(",\"business_id\":\"");
            ps(cs, countries[se->country].code);
            P("-");
            pu(cs, 10000000 + gn_rng_below(r, 89999999));
            P("\"");
        }
        P(",\"signals\":{\"rating\":");
        pcents(cs, se->counterfeit ? 0 : 450 + gn_rng_below(r, 48));
        P(",\"orders_12m\":");
        pu(cs, se->counterfeit ? 0 : 50 + gn_rng_below(r, 9000));
        P("}");
        end(cs);
        if (se->verified && room(cs)) {
            /* documents first, as the workflow wants: submitted, then verified */
            cs->now += step / 4;
            begin(cs, "seller_verification");
            kid(cs, "seller", 'S', s + 1);
            kstr(cs, "status", "submitted");
            end(cs);
        }
        if (se->verified && room(cs)) {
            cs->now += step / 4;
            begin(cs, "seller_verification");
            kid(cs, "seller", 'S', s + 1);
            kstr(cs, "status", "verified");
            P(",\"documents\":[{\"kind\":\"business_licence\",\"number\":\"");
            pu(cs, 10000000 + gn_rng_below(r, 89999999));
            P("\",\"issuer\":\"company register\"}]");
            end(cs);
        } else if (se->counterfeit && gn_rng_chance(r, 0.3) && room(cs)) {
            begin(cs, "seller_verification");
            kid(cs, "seller", 'S', s + 1);
            kstr(cs, "status", "submitted");
            end(cs);
        }
        if (room(cs)) {
            begin(cs, "seller_attribute");
            kid(cs, "seller", 'S', s + 1);
            if (se->counterfeit) {
                kstr(cs, "kind", "phone");
                key(cs, "value");
                ring_value(cs, "phone", se->ring);
            } else {
                kstr(cs, "kind", "email");
                P(",\"value\":\"shop");
                pu(cs, s + 1);
                P("@sellers.example.com\"");
            }
            end(cs);
        }
        if (se->counterfeit && gn_rng_chance(r, 0.5) && room(cs)) {
            begin(cs, "seller_attribute");
            kid(cs, "seller", 'S', s + 1);
            kstr(cs, "kind", "payment_account");
            key(cs, "value");
            ring_value(cs, "payment", se->ring);
            end(cs);
        }
    }
}

/* ------------------------------------------------------------------ listings */

/* The brand as the listing writes it: exact, misspelt or in look-alike letters. */
static void brand_as_written(corpus *cs, rng *r, const brand *br, int tactics)
{
    const char *name = br->name;
    size_t n = strlen(name);
    if (tactics & T_LOOKALIKE) {
        int style = (int)gn_rng_below(r, 4),
            upper = style == 3; /* style 3: UPPER CASE with twins */
        size_t twins[24], ntwins = 0;
        for (size_t i = 0; i < n && ntwins < 24; i++)
            if (lookalike_of(upper ? (char)(name[i] & ~32) : name[i])) twins[ntwins++] = i;
        if (style == 0 || ntwins == 0) { /* separators: V-a-l-o-r-i-n */
            static const char seps[] = {'-', '.', ' '};
            char sep = PICK(r, seps);
            for (size_t i = 0; i < n; i++) {
                if (i) cs->out[cs->used++] = sep;
                cs->out[cs->used++] = name[i];
            }
            return;
        }
        /* one or two letters swapped for Cyrillic or Greek look-alikes */
        size_t a = twins[gn_rng_below(r, (uint32_t)ntwins)],
               b = twins[gn_rng_below(r, (uint32_t)ntwins)];
        for (size_t i = 0; i < n; i++) {
            char c = upper ? (char)(name[i] & ~32) : name[i];
            if (i == a || i == b)
                ps(cs, lookalike_of(c));
            else
                cs->out[cs->used++] = c;
        }
        return;
    }
    if (tactics & T_MISSPELT) {
        size_t i = 1 + gn_rng_below(r, (uint32_t)(n - 2));
        switch (gn_rng_below(r, 4)) {
        case 0: /* doubled letter: Addidas */
            put(cs, name, i + 1);
            put(cs, name + i, n - i);
            return;
        case 1: /* dropped letter */
            put(cs, name, i);
            put(cs, name + i + 1, n - i - 1);
            return;
        case 2: /* swapped letters */
            put(cs, name, i);
            cs->out[cs->used++] = name[i + 1];
            cs->out[cs->used++] = name[i];
            put(cs, name + i + 2, n - i - 2);
            return;
        default: { /* a vowel or a consonant changed for one that sounds alike */
            put(cs, name, n);
            char *p = cs->out + cs->used - n + i;
            static const char from[] = "aeiouckszvfr", to[] = "eaiyokcszwvl";
            const char *f = strchr(from, *p);
            *p = f ? to[f - from] : (char)(*p == 'x' ? 'k' : 'h');
            if (*p == name[i]) *p = 'y';
            return;
        }
        }
    }
    put(cs, name, n);
}

static void filler_sentence(corpus *cs, rng *r)
{
    int n = 6 + (int)gn_rng_below(r, 9);
    for (int i = 0; i < n; i++) {
        const char *w = PICK(r, words);
        if (i == 0) {
            cs->out[cs->used++] = (char)(w[0] & ~32);
            ps(cs, w + 1);
        } else {
            cs->out[cs->used++] = ' ';
            ps(cs, w);
        }
    }
    P(". ");
}

static void lingo_term(corpus *cs, rng *r)
{
    if (gn_rng_chance(r, 0.4))
        ps(cs, PICK(r, lingo_cjk));
    else
        ps(cs, PICK(r, lingo_en));
}

/* Writes a listing event from its core; its words come from a generator
 * seeded by the listing's number, so an update rewrites the same text. */
static void write_listing(corpus *cs, uint32_t idx, const listing *li, int update)
{
    rng r;
    gn_rng_seed(&r, mix(cs->seed, 0x11571e, idx));
    const category *cat = &categories[li->cat];
    const brand *br = li->brand == NO_BRAND ? NULL : &cs->brands[li->brand];
    const seller *se = &cs->sellers[li->seller];
    /* Title and description together: 100 to 2,000 bytes, most of them short.
     * The last sentence may overshoot the target by up to ~180 bytes. */
    size_t target = 100 + (size_t)(1700.0 * gn_rng_unit(&r) * gn_rng_unit(&r));
    const char *noun = cat->nouns[gn_rng_below(&r, 5)];

    begin(cs, "listing");
    kid(cs, "listing", 'L', idx + 1);
    kid(cs, "seller", 'S', li->seller + 1);
    key(cs, "title");
    size_t title_at = cs->used;
    cs->out[cs->used++] = '"';
    int fake = li->mode == M_FAKE, lingo = li->tactics & T_LINGO;
    if (lingo && gn_rng_chance(&r, 0.5)) {
        lingo_term(cs, &r);
        P(" ");
    }
    if (li->mode == M_USED) P("Pre-owned ");
    if (br) {
        if (!fake && gn_rng_chance(&r, 0.1))
            ps(cs, br->cjk);
        else
            brand_as_written(cs, &r, br, li->tactics);
        P(" ");
    }
    ps(cs, PICK(&r, adjectives));
    P(" ");
    ps(cs, noun);
    if (br && gn_rng_chance(&r, 0.6)) {
        P(" ");
        cs->out[cs->used++] = (char)('A' + gn_rng_below(&r, 26));
        cs->out[cs->used++] = (char)('A' + gn_rng_below(&r, 26));
        P("-");
        pu(cs, 1000 + gn_rng_below(&r, 9000));
    }
    if (gn_rng_chance(&r, 0.7)) {
        P(", ");
        ps(cs, PICK(&r, colors));
    }
    if (li->mode == M_OUTLET)
        P(" - Outlet");
    else if (lingo && cs->used - title_at < 80) {
        P(" ");
        lingo_term(cs, &r);
    }
    if (update && !fake && (idx & 1)) P(" - back in stock");
    cs->out[cs->used++] = '"';
    size_t title_len = cs->used - title_at;

    int64_t cents = li->cents;
    if (update) cents = shop_price(fake ? cents * 2 : cents * 9 / 10, li->currency);
    key(cs, "price");
    pcents(cs, cents);
    kstr(cs, "currency", currency_code[li->currency]);

    key(cs, "description");
    size_t desc_at = cs->used;
    cs->out[cs->used++] = '"';
    if (fake) {
        P("Hot sale! ");
        if (br) brand_as_written(cs, &r, br, li->tactics);
        P(" ");
        ps(cs, noun);
        P(", factory price. ");
        if (lingo) {
            lingo_term(cs, &r);
            P(" quality, same as the original. ");
        }
    } else if (br) {
        ps(cs, li->mode == M_USED     ? "Pre-owned "
               : li->mode == M_OUTLET ? "Last-season "
                                      : "Authentic ");
        ps(cs, br->name);
        P(" ");
        ps(cs, noun);
        ps(cs, li->mode == M_USED ? " in very good condition. " : ", new with tags. ");
    } else {
        P("Unbranded ");
        ps(cs, noun);
        P(" at a factory price. ");
    }
    size_t want = target + 4 > title_len ? target + 4 - title_len : 0; /* 4: the quotes */
    while (cs->used - desc_at < want) {
        uint32_t u = gn_rng_below(&r, 10);
        if (u < 3)
            ps(cs, cat->details[gn_rng_below(&r, 5)]), P(" ");
        else if (u < 5)
            ps(cs, fake ? PICK(&r, fake_lines) : PICK(&r, general)), P(" ");
        else if (u == 5 && lingo)
            lingo_term(cs, &r), P(", "), filler_sentence(cs, &r);
        else
            filler_sentence(cs, &r);
    }
    cs->used--; /* the trailing space */
    cs->out[cs->used++] = '"';

    if (br) {
        key(cs, "brand");
        if (li->tactics & T_MISMATCH) {
            if (gn_rng_chance(&r, 0.5))
                pq(cs, "Generic");
            else
                P("\"B"),
                    pu(cs,
                       (li->brand + 1 + gn_rng_below(&r, cs->nbrands - 1 ? cs->nbrands - 1 : 1)) %
                               cs->nbrands +
                           1),
                    P("\"");
        } else if (gn_rng_chance(&r, 0.7)) {
            P("\"B"), pu(cs, li->brand + 1), P("\"");
        } else {
            pq(cs, br->name);
        }
    }
    kstr(cs, "category", cat->name);
    key(cs, "images");
    P("[");
    int nimg = 1 + (int)gn_rng_below(&r, 3);
    for (int k = 0; k < nimg; k++) {
        ps(cs, k ? ",{\"pdq\":\"" : "{\"pdq\":\"");
        if (k == 0 && (li->tactics & T_OFFICIAL))
            official_pdq(cs, li->brand, (int)(idx & 1));
        else if (fake && k == 1) { /* a ring's shared photo */
            rng ring;
            gn_rng_seed(&ring, mix(cs->seed, 0x7199, se->ring));
            phex(cs, &ring, 64);
        } else
            phex(cs, &r, 64);
        P("\"}");
    }
    P("]");
    key(cs, "quantity");
    pu(cs, fake ? 999 : 1 + gn_rng_below(&r, 20));
    kstr(cs, "ship_from", fake ? fake_origins[se->ring % 6].code : countries[se->country].code);
    end(cs);
}

typedef struct world {
    listing *listings;
    uint32_t nlistings, cap;
    uint32_t *fakes; /* indices of counterfeit listings */
    uint32_t nfakes;
} world;

static void grow(void **p, uint32_t *cap, uint32_t need, size_t size)
{
    if (need <= *cap) return;
    uint32_t c = *cap ? *cap : 1024;
    while (c < need)
        c *= 2;
    *p = gn_xrealloc(*p, (size_t)c * size);
    *cap = c;
}

/* Decides what the next listing is: who sells it, which brand, how, at what price. */
static listing make_listing(corpus *cs, rng *r, world *w)
{
    listing li = {0};
    uint32_t nfake_sellers = cs->nsellers - cs->ngenuine;
    int fake = nfake_sellers && gn_rng_chance(r, 0.05);
    if (fake) {
        li.seller = cs->ngenuine + gn_rng_below(r, nfake_sellers);
        li.mode = M_FAKE;
    } else {
        li.seller = gn_rng_below(r, cs->ngenuine);
        uint32_t u = gn_rng_below(r, 100);
        li.mode = (uint8_t)(u < 45 ? M_FULL : u < 60 ? M_OUTLET : u < 75 ? M_USED : M_GENERIC);
    }
    /* Popular brands get more listings: the square skews toward low numbers. */
    double x = gn_rng_unit(r);
    li.brand = li.mode == M_GENERIC || !cs->nbrands ? NO_BRAND : (uint32_t)(x * x * cs->nbrands);
    if (li.brand == NO_BRAND) {
        li.cat = (uint8_t)gn_rng_below(r, NCAT);
        li.currency = (uint8_t)countries[cs->sellers[li.seller].country].currency;
        li.cents = shop_price(to_currency((int64_t)(categories[li.cat].generic_usd *
                                                    gn_rng_between(r, 0.6, 1.5) * 100),
                                          USD, li.currency),
                              li.currency);
        return li;
    }
    const brand *br = &cs->brands[li.brand];
    int k = (int)gn_rng_below(r, br->ncat);
    li.cat = br->cat[k];
    double ratio;
    if (fake) {
        li.currency = (uint8_t)(gn_rng_chance(r, 0.6) ? USD : CNY);
        int t = 0;
        while (!t) { /* mixed tactics, each on its own, at least one */
            if (gn_rng_chance(r, 0.7)) t |= T_DISCOUNT;
            if (gn_rng_chance(r, 0.25))
                t |= T_MISSPELT;
            else if (gn_rng_chance(r, 0.25))
                t |= T_LOOKALIKE;
            if (gn_rng_chance(r, 0.35)) t |= T_LINGO;
            if (gn_rng_chance(r, 0.12)) t |= T_MISMATCH;
            if (gn_rng_chance(r, 0.2)) t |= T_OFFICIAL;
        }
        li.tactics = (uint8_t)t;
        ratio = t & T_DISCOUNT ? gn_rng_between(r, 0.05, 0.15) : gn_rng_between(r, 0.2, 0.45);
        grow((void **)&w->fakes, &cs->fakes_cap, w->nfakes + 1, sizeof *w->fakes);
        w->fakes[w->nfakes++] = w->nlistings;
    } else {
        li.currency = (uint8_t)countries[cs->sellers[li.seller].country].currency;
        ratio = li.mode == M_FULL     ? gn_rng_between(r, 0.9, 1.15)
                : li.mode == M_OUTLET ? gn_rng_between(r, 0.5, 0.7)
                                      : gn_rng_between(r, 0.4, 0.8);
    }
    li.cents = shop_price(
        to_currency((int64_t)((double)br->ref_cents[k] * ratio), br->currency, li.currency),
        li.currency);
    return li;
}

/* ------------------------------------------------------------------ the stream */

static const char *const agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/131.0 Mobile "
    "Safari/537.36"};
static const char *const good_reviews[] = {
    "Exactly as described, beautiful quality.", "Fast delivery and carefully packed.",
    "Second purchase from this shop, always reliable.", "Lovely, a bit darker than in the photos."};
static const char *const fake_reviews[] = {
    "FAKE. The logo is crooked and it smells of glue.", "Not original, the stitching is uneven.",
    "Very good quality same as original!!", "Good copy, nobody can tell the difference"};
static const char *const report_reasons[] = {"counterfeit", "suspicious_price", "misleading_brand",
                                             "counterfeit"};

typedef struct order_rec {
    uint32_t listing, buyer;
} order_rec;

static void write_session(corpus *cs, rng *r, uint32_t s)
{
    const seller *se = &cs->sellers[s];
    uint64_t who =
        se->counterfeit ? 1000000000ULL + se->ring : s; /* a ring shares its machine and router */
    begin(cs, "session");
    kid(cs, "account", 'S', s + 1);
    P(",\"ip\":\"");
    uint64_t h = mix(cs->seed, who, 0x1b);
    pu(cs, 11 + h % 200), P("."), pu(cs, h >> 8 & 255), P("."), pu(cs, h >> 16 & 255), P("."),
        pu(cs, 1 + (h >> 24) % 254);
    P("\",\"device\":\"d");
    pu(cs, mix(cs->seed, who, 0xde) % 100000000000ULL);
    P("\",\"network\":\"n");
    pu(cs, mix(cs->seed, who, 0xe7) % 100000000000ULL);
    P("\"");
    kstr(cs, "user_agent", agents[se->counterfeit ? se->ring % 4 : gn_rng_below(r, 4)]);
    end(cs);
}

static void write_stream(corpus *cs, rng *r, world *w, uint64_t nevents, uint64_t nlistings_only,
                         int64_t span)
{
    uint32_t nbuyers = (uint32_t)(nevents / 5 > 1000 ? nevents / 5 : 1000);
    order_rec *orders = NULL;
    uint32_t norders = 0, ocap = 0, shipped = 0, reviewed = 0, nreports = 0, ncomplaints = 0;
    /* A verdict on a report settles every report of its listing filed so
     * far, so one already settled is not decided again: report_on[p] is the
     * listing of report p + 1, settled[l] the last report a verdict on l's
     * reports covered. */
    uint32_t *report_on = NULL, *settled = NULL, report_cap = 0, settled_cap = 0;
    uint64_t total = nlistings_only ? nlistings_only : nevents;
    int64_t start = cs->now;
    for (uint64_t i = 0; i < total && room(cs); i++) {
        cs->now = start + (int64_t)((double)span * (double)i / (double)(total ? total : 1));
        uint32_t u = nlistings_only ? 0 : gn_rng_below(r, 1000);
        if (!w->nlistings || u < 640) { /* a new listing */
            grow((void **)&w->listings, &w->cap, w->nlistings + 1, sizeof *w->listings);
            w->listings[w->nlistings] = make_listing(cs, r, w);
            write_listing(cs, w->nlistings, &w->listings[w->nlistings], 0);
            w->nlistings++;
        } else if (u < 700) { /* an edit of a recent listing */
            uint32_t l =
                w->nlistings - 1 - gn_rng_below(r, w->nlistings < 5000 ? w->nlistings : 5000);
            write_listing(cs, l, &w->listings[l], 1);
        } else if (u < 760) {
            write_session(cs, r, gn_rng_below(r, cs->nsellers));
        } else if (u < 770) { /* a counterfeiter adds another phone, shared with its ring */
            uint32_t s = cs->nsellers > cs->ngenuine && gn_rng_chance(r, 0.5)
                             ? cs->ngenuine + gn_rng_below(r, cs->nsellers - cs->ngenuine)
                             : gn_rng_below(r, cs->nsellers);
            begin(cs, "seller_attribute");
            kid(cs, "seller", 'S', s + 1);
            if (cs->sellers[s].counterfeit) {
                kstr(cs, "kind", "phone");
                key(cs, "value");
                ring_value(cs, "phone", cs->sellers[s].ring);
            } else {
                kstr(cs, "kind", "address");
                P(",\"value\":\"");
                pu(cs, 1 + gn_rng_below(r, 200));
                P(" Market Street, ");
                ps(cs, countries[cs->sellers[s].country].city);
                P("\"");
            }
            end(cs);
        } else if (u < 875 || !norders) { /* an order for a recent listing */
            uint32_t l =
                w->nlistings - 1 - gn_rng_below(r, w->nlistings < 20000 ? w->nlistings : 20000);
            grow((void **)&orders, &ocap, norders + 1, sizeof *orders);
            orders[norders] = (order_rec){l, gn_rng_below(r, nbuyers)};
            begin(cs, "order");
            kid(cs, "order", 'O', norders + 1);
            kid(cs, "listing", 'L', l + 1);
            kid(cs, "buyer", 'U', orders[norders].buyer + 1);
            key(cs, "price");
            pcents(cs, w->listings[l].cents);
            P(",\"quantity\":1");
            kstr(cs, "ship_to", countries[gn_rng_below(r, NCOUNTRY)].code);
            end(cs);
            norders++;
        } else if (u < 920 && shipped < norders) { /* orders ship in turn */
            const listing *li = &w->listings[orders[shipped].listing];
            const seller *se = &cs->sellers[li->seller];
            const country *c =
                li->mode == M_FAKE ? &fake_origins[se->ring % 6] : &countries[se->country];
            begin(cs, "shipment");
            kid(cs, "order", 'O', shipped + 1);
            P(",\"origin\":{\"country\":");
            pq(cs, c->code);
            P(",\"city\":");
            pq(cs, c->city);
            P(",\"facility\":");
            pq(cs, c->facility);
            P("}");
            kstr(cs, "carrier", li->mode == M_FAKE ? "YunExpress" : "DHL Express");
            P(",\"tracking\":\"T");
            pu(cs, mix(cs->seed, shipped, 0x5) % 10000000000ULL);
            P("\"");
            end(cs);
            shipped++;
        } else if (u < 965 && reviewed < shipped) { /* a review of a shipped order, in turn */
            uint32_t o = reviewed++;
            int fake = w->listings[orders[o].listing].mode == M_FAKE;
            int rating = fake ? (gn_rng_chance(r, 0.5) ? 1 + (int)gn_rng_below(r, 2) : 5)
                              : 3 + (int)gn_rng_below(r, 3);
            begin(cs, "review");
            kid(cs, "review", 'R', o + 1);
            kid(cs, "listing", 'L', orders[o].listing + 1);
            kid(cs, "buyer", 'U', orders[o].buyer + 1);
            key(cs, "rating");
            pu(cs, (uint64_t)rating);
            kstr(cs, "text",
                 fake ? fake_reviews[(rating == 5) * 2 + gn_rng_below(r, 2)]
                      : PICK(r, good_reviews));
            kid(cs, "order", 'O', o + 1);
            end(cs);
        } else if (u < 980 ||
                   (u < 985 && !w->nfakes)) { /* a shopper's report, mostly of fakes;
                                                  also when nothing waits to ship or be reviewed */
            uint32_t l =
                w->nfakes && gn_rng_chance(r, 0.7)
                    ? w->fakes[w->nfakes - 1 - gn_rng_below(r, w->nfakes < 1000 ? w->nfakes : 1000)]
                    : gn_rng_below(r, w->nlistings);
            grow((void **)&report_on, &report_cap, nreports + 1, sizeof *report_on);
            report_on[nreports] = l;
            begin(cs, "report");
            kid(cs, "report", 'P', ++nreports);
            kid(cs, "listing", 'L', l + 1);
            kid(cs, "reporter", 'U', gn_rng_below(r, nbuyers) + 1);
            kstr(cs, "reason", PICK(r, report_reasons));
            kstr(cs, "text", "Looks like a fake: the price and the brand name do not add up.");
            end(cs);
        } else if (u < 985) { /* a rights holder's complaint naming fakes of one of its brands */
            uint32_t f =
                w->fakes[w->nfakes - 1 - gn_rng_below(r, w->nfakes < 1000 ? w->nfakes : 1000)];
            uint32_t b = w->listings[f].brand;
            begin(cs, "complaint");
            kid(cs, "complaint", 'C', ++ncomplaints);
            kid(cs, "rights_holder", 'H', owner_of(b));
            kid(cs, "right", 'T', b + 1);
            P(",\"listings\":[\"L");
            pu(cs, f + 1);
            P("\"");
            for (uint32_t k = 1, seen = 0; k < 200 && k <= w->nfakes && seen < 3; k++) {
                uint32_t g = w->fakes[w->nfakes - k];
                if (g != f && w->listings[g].brand == b) P(",\"L"), pu(cs, g + 1), P("\""), seen++;
            }
            P("]");
            kstr(cs, "statement",
                 "These listings offer goods bearing our mark that we did not make or authorise.");
            end(cs);
        } else { /* a reviewer's verdict */
            uint32_t v = gn_rng_below(r, 10), p = nreports ? 1 + gn_rng_below(r, nreports) : 0;
            uint32_t had = settled_cap;
            grow((void **)&settled, &settled_cap, w->nlistings, sizeof *settled);
            memset(settled + had, 0, (settled_cap - had) * sizeof *settled);
            if (p && p <= settled[report_on[p - 1]]) p = 0; /* settled: decide something else */
            if (p && v >= 8) settled[report_on[p - 1]] = nreports;
            begin(cs, "verdict");
            if (v < 6 || (v >= 8 && !p)) {
                uint32_t l = w->nfakes && gn_rng_chance(r, 0.5)
                                 ? w->fakes[gn_rng_below(r, w->nfakes)]
                                 : gn_rng_below(r, w->nlistings);
                kstr(cs, "subject", "listing");
                kid(cs, "target", 'L', l + 1);
                settled[l] = nreports; /* its reports go with it */
                kstr(cs, "outcome", w->listings[l].mode == M_FAKE ? "counterfeit" : "genuine");
            } else if (v < 8) {
                uint32_t s = gn_rng_below(r, cs->nsellers);
                kstr(cs, "subject", "seller");
                kid(cs, "target", 'S', s + 1);
                kstr(cs, "outcome", cs->sellers[s].counterfeit ? "banned" : "cleared");
            } else {
                kstr(cs, "subject", "report");
                kid(cs, "target", 'P', p);
                kstr(cs, "outcome", gn_rng_chance(r, 0.7) ? "upheld" : "rejected");
            }
            P(",\"reviewer\":\"reviewer-");
            pu(cs, 1 + gn_rng_below(r, 12));
            P("\"");
            end(cs);
        }
    }
    free(orders);
    free(report_on);
    free(settled);
}

/* ------------------------------------------------------------------ main */

void gn_corpus_options_init(gn_corpus_options *o)
{
    *o = (gn_corpus_options){.seed = 1, .brands = 1000};
}

int gn_corpus_write(const gn_corpus_options *o, FILE *to, gn_error *err)
{
    uint64_t opt_brands = o->brands, opt_sellers = o->sellers, opt_listings = o->listings,
             opt_mixed = o->mixed;
    int have_sellers = o->have_sellers;
    if (opt_mixed && opt_listings)
        return gn_fail(err, GN_EINPUT,
                       "simulate: --profile bench takes --listings or --mixed, "
                       "not both");
    if (opt_mixed) { /* the catalog and the sellers take a small part of the N events */
        if (opt_brands > opt_mixed / 10) opt_brands = opt_mixed / 10;
        if (!have_sellers) opt_sellers = opt_mixed / 50;
        if (opt_sellers > opt_mixed / 10) opt_sellers = opt_mixed / 10;
    } else if (!have_sellers && opt_listings) {
        opt_sellers = opt_listings / 20;
    }
    if ((opt_listings || opt_mixed || have_sellers) && opt_sellers < 10) opt_sellers = 10;
    if (opt_brands > 1000000)
        return gn_fail(err, GN_EINPUT, "simulate: --brands wants at most 1000000");
    if (opt_sellers > 100000000)
        return gn_fail(err, GN_EINPUT, "simulate: --sellers wants at most 100000000");
    if (opt_listings > 4000000000ULL || opt_mixed > 4000000000ULL)
        return gn_fail(err, GN_EINPUT, "simulate: --%s wants at most 4000000000",
                       opt_mixed ? "mixed" : "listings");
    corpus *cs = gn_xcalloc(1, sizeof *cs);
    cs->limit = opt_mixed ? opt_mixed : UINT64_MAX;
    cs->sink = to;
    cs->seed = o->seed;
    cs->nbrands = (uint32_t)opt_brands;
    cs->nsellers = (uint32_t)opt_sellers;

    rng r;
    gn_rng_seed(&r, cs->seed);
    make_brands(cs, &r);

    /* Sellers: nine in ten genuine (from a dozen countries), one in ten a
     * counterfeiter; counterfeiters come in rings of four. */
    cs->ngenuine = cs->nsellers - cs->nsellers / 10;
    cs->sellers = gn_xcalloc(cs->nsellers ? cs->nsellers : 1, sizeof *cs->sellers);
    for (uint32_t s = 0; s < cs->nsellers; s++) {
        cs->sellers[s].counterfeit = s >= cs->ngenuine;
        cs->sellers[s].country = (uint8_t)gn_rng_below(&r, NCOUNTRY);
        cs->sellers[s].verified = !cs->sellers[s].counterfeit && gn_rng_chance(&r, 0.55);
        cs->sellers[s].ring = s >= cs->ngenuine ? (s - cs->ngenuine) / 4 : 0;
    }

    int64_t stream_start = days_from_civil(2026, 1, 1) * 86400;
    cs->now = days_from_civil(2025, 1, 1) * 86400;
    write_rates(cs);
    write_brands(cs, &r);
    write_sellers(cs, &r, stream_start);
    cs->now = stream_start;
    world w = {0};
    if (opt_mixed && cs->nsellers)
        write_stream(cs, &r, &w, opt_mixed - cs->written, 0, 30 * 86400);
    else if (opt_listings && cs->nsellers)
        write_stream(cs, &r, &w, 0, opt_listings, 30 * 86400);
    flush(cs);
    free(w.listings);
    free(w.fakes);
    free(cs->sellers);
    free(cs->brands);
    int failed = cs->sink_failed;
    free(cs);
    if (failed || fflush(to) != 0 || ferror(to))
        return gn_fail(err, GN_EINPUT, "simulate: writing the events failed");
    return 0;
}
