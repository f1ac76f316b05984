/* Worlds: marketplaces whose parameters are themselves drawn at random, so
 * that no threshold can be tuned to one of them (docs/simulator.md, "Worlds").
 * World N seeds a draw of its shares (outlets, pre-owned, refurbished,
 * resellers, accessories, unbranded goods, photo-only fakes, rings, ...),
 * its discount ranges, languages, currencies and label sampling; then every
 * entity and event is planned up front and written into one arena, sorted by
 * time. It was written from the contract and the brief of issue 12 without
 * looking at what the detectors reward, and it is meant to stay that way:
 * change it to make the marketplace more realistic, never to make a figure
 * better. */
#include "sim/world.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/rng.h"
#include "sim/gen.h"

#define NELEM(a) ((int)(sizeof(a) / sizeof *(a)))
#define DAY 86400

/* ------------------------------------------------------------------ tables */

enum { L_EN, L_DE, L_FR, L_ES, L_IT, L_PT, L_ZH, L_JA, NLANG };
static const char *const lang_code[NLANG] = {"en", "de", "fr", "es", "it", "pt", "zh", "ja"};

typedef struct w_currency {
    const char *code;
    double usd; /* one unit in US dollars at the start */
    int decimals;
} w_currency;
static const w_currency currencies[] = {
    {"USD", 1.0, 2},   {"EUR", 1.08, 2},  {"GBP", 1.27, 2}, {"JPY", 0.0067, 0},
    {"CNY", 0.139, 2}, {"INR", 0.012, 0}, {"BRL", 0.19, 2}, {"KRW", 0.00073, 0},
    {"TRY", 0.029, 2}, {"AUD", 0.66, 2},  {"PLN", 0.25, 2}, {"MXN", 0.055, 2},
};
#define NCURRENCY NELEM(currencies)

typedef struct w_country {
    const char *code;
    int currency; /* index into currencies */
    const char *prefix;
    int lang;
    const char *cities[3];
} w_country;
static const w_country countries[] = {
    {"US", 0, "1", L_EN, {"New York", "Chicago", "Houston"}},
    {"GB", 2, "44", L_EN, {"London", "Leeds", "Bristol"}},
    {"DE", 1, "49", L_DE, {"Berlin", "Hamburg", "Köln"}},
    {"FR", 1, "33", L_FR, {"Paris", "Lyon", "Lille"}},
    {"ES", 1, "34", L_ES, {"Madrid", "Sevilla", "Valencia"}},
    {"IT", 1, "39", L_IT, {"Milano", "Roma", "Torino"}},
    {"BR", 6, "55", L_PT, {"São Paulo", "Rio de Janeiro", "Curitiba"}},
    {"PT", 1, "351", L_PT, {"Lisboa", "Porto", "Braga"}},
    {"CN", 4, "86", L_ZH, {"Guangzhou", "Shenzhen", "Yiwu"}},
    {"HK", 0, "852", L_ZH, {"Hong Kong", "Kowloon", "Tsuen Wan"}},
    {"JP", 3, "81", L_JA, {"Tokyo", "Osaka", "Fukuoka"}},
    {"IN", 5, "91", L_EN, {"Mumbai", "Delhi", "Bengaluru"}},
    {"TR", 8, "90", L_EN, {"Istanbul", "Izmir", "Ankara"}},
    {"MX", 11, "52", L_ES, {"Ciudad de México", "Guadalajara", "Monterrey"}},
    {"KR", 7, "82", L_EN, {"Seoul", "Busan", "Incheon"}},
    {"AU", 9, "61", L_EN, {"Sydney", "Melbourne", "Perth"}},
    {"PL", 10, "48", L_EN, {"Warszawa", "Kraków", "Łódź"}},
};
#define NCOUNTRY NELEM(countries)
enum { CTRY_CN = 8, CTRY_HK = 9, CTRY_TR = 12 };

/* Where counterfeit parcels leave from (and some honest consolidators). */
static const struct {
    int country;
    const char *city, *facility;
} hubs[] = {
    {CTRY_CN, "Guangzhou", "Baiyun Air Cargo Zone B"},
    {CTRY_CN, "Putian", "Hanjiang Parcel Yard"},
    {CTRY_CN, "Yiwu", "International Trade City Depot"},
    {CTRY_CN, "Dongguan", "Humen Freight 4"},
    {CTRY_HK, "Hong Kong", "Kwai Tsing Cargo 12"},
    {CTRY_TR, "Istanbul", "Merter Kargo"},
};
#define NHUB NELEM(hubs)

enum {
    K_BAGS,
    K_SNEAKERS,
    K_WATCHES,
    K_SUNGLASSES,
    K_PERFUME,
    K_HEADPHONES,
    K_PHONES,
    K_JACKETS,
    NCAT
};
static const struct {
    const char *name;
    double lo, hi; /* reference prices in USD */
    int electronic;
    const char *noun[NLANG];
    const char *accessory;
} cats[NCAT] = {
    {"handbags",
     300,
     6000,
     0,
     {"Leather Handbag", "Ledertasche", "Sac à main en cuir", "Bolso de piel", "Borsa in pelle",
      "Bolsa de couro", "真皮手提包", "レザーハンドバッグ"},
     "Bag Organizer Insert"},
    {"sneakers",
     80,
     900,
     0,
     {"Sneakers", "Turnschuhe", "Baskets", "Zapatillas", "Scarpe da ginnastica", "Tênis", "运动鞋",
      "スニーカー"},
     "Replacement Laces"},
    {"watches",
     200,
     15000,
     1,
     {"Automatic Watch", "Automatikuhr", "Montre automatique", "Reloj automático",
      "Orologio automatico", "Relógio automático", "机械手表", "自動巻き腕時計"},
     "Watch Strap 20mm"},
    {"sunglasses",
     100,
     600,
     0,
     {"Sunglasses", "Sonnenbrille", "Lunettes de soleil", "Gafas de sol", "Occhiali da sole",
      "Óculos de sol", "太阳镜", "サングラス"},
     "Hard Case for Sunglasses"},
    {"perfume",
     60,
     350,
     0,
     {"Eau de Parfum 100ml", "Parfüm 100 ml", "Eau de parfum 100 ml", "Perfume 100 ml",
      "Profumo 100 ml", "Perfume 100 ml", "香水 100ml", "香水 100ml"},
     "Refillable Travel Atomizer"},
    {"headphones",
     80,
     600,
     1,
     {"Wireless Headphones", "Kabellose Kopfhörer", "Casque sans fil", "Auriculares inalámbricos",
      "Cuffie wireless", "Fones sem fio", "无线耳机", "ワイヤレスヘッドホン"},
     "Replacement Ear Pads"},
    {"phones",
     300,
     1500,
     1,
     {"Smartphone 256GB", "Smartphone 256 GB", "Smartphone 256 Go", "Teléfono 256GB",
      "Smartphone 256GB", "Celular 256GB", "智能手机 256GB", "スマートフォン 256GB"},
     "Shockproof Case"},
    {"jackets",
     150,
     3000,
     0,
     {"Down Jacket", "Daunenjacke", "Doudoune", "Chaqueta de plumas", "Piumino", "Jaqueta",
      "羽绒服", "ダウンジャケット"},
     "Garment Bag"},
};

static const char *const colours[NLANG][5] = {
    {"Black", "Navy", "Beige", "Red", "White"},
    {"Schwarz", "Marine", "Beige", "Rot", "Weiß"},
    {"Noir", "Bleu marine", "Beige", "Rouge", "Blanc"},
    {"Negro", "Azul marino", "Beige", "Rojo", "Blanco"},
    {"Nero", "Blu", "Beige", "Rosso", "Bianco"},
    {"Preto", "Azul", "Bege", "Vermelho", "Branco"},
    {"黑色", "藏青", "米色", "红色", "白色"},
    {"ブラック", "ネイビー", "ベージュ", "レッド", "ホワイト"},
};
static const char *const used_words[NLANG][3] = {
    {"Pre-owned", "Used", "Second-hand"},
    {"Gebraucht", "gebraucht", "Second Hand"},
    {"D'occasion", "Occasion", "Seconde main"},
    {"Usado", "De segunda mano", "usado"},
    {"Usato", "Di seconda mano", "usato"},
    {"Usado", "Seminovo", "usado"},
    {"二手", "九成新", "二手"},
    {"中古", "USED", "中古品"},
};
static const char *const refurb_words[NLANG][2] = {
    {"Refurbished", "Renewed"},
    {"Generalüberholt", "Refurbished"},
    {"Reconditionné", "Reconditionné"},
    {"Reacondicionado", "Reacondicionado"},
    {"Ricondizionato", "Ricondizionato"},
    {"Recondicionado", "Recondicionado"},
    {"翻新", "官翻"},
    {"整備済み", "リファービッシュ"},
};
static const char *const outlet_words[NLANG][2] = {
    {"Outlet", "Clearance"},  {"Restposten", "Sonderangebot"},
    {"Déstockage", "Soldes"}, {"Liquidación", "Outlet"},
    {"Saldi", "Outlet"},      {"Liquidação", "Outlet"},
    {"清仓", "奥莱"},         {"アウトレット", "在庫処分"},
};
static const char *const compat_words[NLANG][2] = {
    {"compatible with", "for"},  {"kompatibel mit", "passend für"},
    {"compatible avec", "pour"}, {"compatible con", "para"},
    {"compatibile con", "per"},  {"compatível com", "para"},
    {"适用于", "适配"},          {"対応", "用"},
};
static const char *const lingo_words[NLANG][3] = {
    {"Replica", "1:1 Mirror Quality", "AAA Super Copy"},
    {"Replik", "Nachbildung", "1:1 Kopie"},
    {"Réplique", "Copie 1:1", "Qualité miroir"},
    {"Réplica", "Imitación AAA", "Copia 1:1"},
    {"Replica", "Copia 1:1", "Qualità specchio"},
    {"Réplica", "Cópia 1:1", "Primeira linha"},
    {"高仿", "复刻", "A货"},
    {"スーパーコピー", "コピー品", "N級品"},
};
static const char *const new_sentences[NLANG][3] = {
    {"Brand new with tags.", "Ships within 24 hours.", "Comes in the original box."},
    {"Neu mit Etikett.", "Versand innerhalb von 24 Stunden.", "In Originalverpackung."},
    {"Neuf avec étiquette.", "Expédié sous 24 heures.", "Dans sa boîte d'origine."},
    {"Nuevo con etiqueta.", "Envío en 24 horas.", "En su caja original."},
    {"Nuovo con cartellino.", "Spedizione in 24 ore.", "Nella confezione originale."},
    {"Novo com etiqueta.", "Envio em 24 horas.", "Na caixa original."},
    {"全新带吊牌。", "24小时内发货。", "原装盒子。"},
    {"新品タグ付き。", "24時間以内に発送。", "元箱付き。"},
};
static const char *const used_sentences[NLANG][2] = {
    {"Light signs of wear, see photos.", "Bought in 2023, kept with care."},
    {"Leichte Gebrauchsspuren, siehe Fotos.", "2023 gekauft, gut gepflegt."},
    {"Légères traces d'usure, voir photos.", "Acheté en 2023, bien entretenu."},
    {"Ligeras marcas de uso, ver fotos.", "Comprado en 2023, bien cuidado."},
    {"Lievi segni di usura, vedi foto.", "Acquistato nel 2023, tenuto bene."},
    {"Pequenas marcas de uso, ver fotos.", "Comprado em 2023, bem conservado."},
    {"轻微使用痕迹，见图。", "2023年购入，保存良好。"},
    {"使用感少なめ、写真参照。", "2023年購入、丁寧に使用。"},
};
static const char *const common_sentences[NLANG][3] = {
    {"Free shipping.", "Fast delivery, best price.", "Message me with any question."},
    {"Kostenloser Versand.", "Schnelle Lieferung.", "Fragen gerne per Nachricht."},
    {"Livraison gratuite.", "Livraison rapide.", "N'hésitez pas à me contacter."},
    {"Envío gratis.", "Entrega rápida.", "Pregúntame lo que quieras."},
    {"Spedizione gratuita.", "Consegna veloce.", "Scrivimi per qualsiasi domanda."},
    {"Frete grátis.", "Entrega rápida.", "Qualquer dúvida, me chame."},
    {"包邮。", "快速发货。", "有问题请留言。"},
    {"送料無料。", "迅速発送。", "質問はお気軽に。"},
};
static const char *const generic_words[] = {"Classic",       "Minimalist",  "Casual",    "Everyday",
                                            "Vintage Style", "Lightweight", "Waterproof"};
/* Brand names that are also ordinary words: honest shops use them as words. */
static const char *const word_brands[] = {"Polar", "Coast", "Summit", "Nova",  "Ember",
                                          "Tones", "Drift", "Harbor", "Lumen", "Aura",
                                          "Terra", "Vista", "Urban",  "Onyx",  "Meridian"};
static const char *const syllables[] = {"ka", "lo", "vi",  "ran", "te",  "mor", "sa",  "el",
                                        "qu", "zi", "dor", "na",  "bel", "fi",  "os",  "tra",
                                        "ve", "lu", "mi",  "cor", "an",  "ri",  "sol", "ga"};
static const char *const review_texts[2][3] = {
    {"Exactly as described.", "Good seller, fast shipping.", "Not what I expected."},
    {"Perfect!!! Best seller!!!", "Amazing quality 5 stars", "Great great great"},
};

/* ------------------------------------------------------------------ the world */

enum {
    C_BRAND_OWN,
    C_RETAILER,
    C_OUTLET,
    C_USED,
    C_REFURB,
    C_RESELLER,
    C_ACCESSORY,
    C_UNBRANDED,
    NHONEST,
    C_RING = NHONEST,
    C_SOLO,
    NCLASS
};
static const char *const class_names[NCLASS] = {"brand_own",   "retailer", "outlet",    "used",
                                                "refurbished", "reseller", "accessory", "unbranded",
                                                "ring",        "solo"};

/* Counterfeit tactics, then the honest traits a listing may carry. */
enum {
    T_DEEP_DISCOUNT,
    T_MISSPELT,
    T_LOOKALIKE,
    T_LINGO,
    T_STOLEN_PHOTO,
    T_RELISTED_PHOTO,
    T_RING,
    T_PHOTO_ONLY,
    T_PLAUSIBLE_PRICE,
    NFAKE_TACTIC,
    T_FAKE_REVIEWS = NFAKE_TACTIC,
    T_LINGO_SCRUBBED,
    T_CONDITION_FIELD,
    T_CONDITION_TEXT,
    T_OFFICIAL_PHOTO,
    T_WORD_BRAND,
    T_HONEST_TYPO,
    T_AUTHORISED,
    T_NEW_SHOP,
    T_PRICE_EDIT,
    NTACTIC
};
static const char *const tactic_names[NTACTIC] = {
    "deep_discount",   "misspelt",       "lookalike",      "lingo",
    "stolen_photo",    "relisted_photo", "ring",           "photo_only",
    "plausible_price", "fake_reviews",   "lingo_scrubbed", "condition_field",
    "condition_text",  "official_photo", "word_brand",     "honest_typo",
    "authorised",      "new_shop",       "price_edit"};

/* What world N draws once: the shape of its marketplace. */
typedef struct w_params {
    double fake_share;
    double class_share[NHONEST];
    double outlet_lo, outlet_hi, used_lo, used_hi, refurb_lo, refurb_hi, reseller_lo;
    double fake_lo, fake_hi, deep_lo, deep_hi, plausible_lo;
    double tactic_w[NFAKE_TACTIC], second_tactic_p;
    double condition_field_p, outlet_authorised_p, reseller_official_p, used_official_p;
    double honest_typo_p, word_brand_p, new_shop_p, accessory_category_p, cn_generic_p;
    double aged_fake_p;
    double ring_share, reuse_p, nat_share, proxy_p;
    double kyc_verified_p, kyc_platform_p, fake_verified_p;
    double fake_reviews_p, honest_friends_p, review_p;
    double origin_mismatch_p, honest_far_origin_p;
    double complaint_named_p, complaint_unnamed_p, complaint_honest_p;
    double report_fake_p, report_honest_p, price_edit_p, scrub_p, usd_priced_p;
    double audit_rate;
    int ncountries, countries[6];
    double country_w[6];
    int currencies[4];
    int nbrands, nats, rings, listings_per_shop;
} w_params;

typedef struct w_brand {
    char name[24];
    int cat[2], ncat, currency, authorized_only, word;
    double ref_usd[2], popularity;
    uint64_t photo[3];
    uint32_t owner_shop; /* the brand's own store */
} w_brand;

typedef struct w_seller {
    int64_t created, active_from;
    double weight;
    int cls, country, currency, ring, fake, lang, new_shop, nbrands;
    int brands[4];
    uint64_t key;              /* seeds the seller's own identity values */
    int phone_v, email_v, dev; /* ring accounts: which of the ring's values, -1 own */
} w_seller;

typedef struct w_ring {
    uint32_t first_account, accounts, first_puppet, puppets;
    int country, hub[2], brands[5], nbrands, solo;
    uint64_t key;
    double weight;
    uint32_t nphotos; /* photos of the ring's earlier listings, to reuse */
    uint64_t photos[64];
} w_ring;

typedef struct w_listing {
    int64_t t, first_order, first_sale;
    uint32_t seller, tactics, orders;
    int brand, cat, fake, cond, currency;
    double price, ref_usd;
} w_listing;

typedef struct w_event {
    int64_t t;
    uint64_t off;
    uint32_t seq, len;
} w_event;

struct gn_world {
    uint64_t world, seed;
    int days;
    int64_t t0, tend;
    gn_rng r;
    w_params p;
    w_brand *brands;
    w_seller *sellers;
    uint32_t nsellers, capsellers;
    w_ring *rings;
    uint32_t nrings;
    w_listing *listings;
    uint32_t nlistings;
    double *rates; /* [day][currency index] */
    gn_buf arena, line, text, desc;
    w_event *events;
    uint32_t nevents, capevents, cursor;
    uint32_t next_buyer, next_order, next_review, next_report, next_complaint;
    uint64_t by_class[NCLASS], by_tactic[NTACTIC];
    uint32_t *complaint_queue; /* listings found by rights holders, by brand and day */
    uint32_t ncomplaint, capcomplaint;
};

/* ------------------------------------------------------------------ random */

static double unit(gn_rng *r)
{
    return gn_rng_unit(r);
}
static double between(gn_rng *r, double lo, double hi)
{
    return gn_rng_between(r, lo, hi);
}
static int chance(gn_rng *r, double p)
{
    return gn_rng_chance(r, p);
}
static int below(gn_rng *r, int n)
{
    return (int)gn_rng_below(r, (uint32_t)n);
}
static uint64_t hash2(uint64_t a, uint64_t b)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ (b + 0x632be59bd9b4e019ULL);
    (void)gn_splitmix64(&x);
    return gn_splitmix64(&x);
}

/* ------------------------------------------------------------------ parameters */

/* One parameter of the world, drawn from a stream keyed by its name: adding
 * a parameter later does not move the others, so world N stays world N. */
static uint64_t name_hash(const char *name)
{
    uint64_t h = 0xcbf29ce484222325ULL; /* FNV-1a */
    for (const char *c = name; *c; c++)
        h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
    return h;
}
static double drawn(const gn_world *w, const char *name, double lo, double hi)
{
    uint64_t x = hash2(w->world, name_hash(name));
    return lo + (hi - lo) * (double)(gn_splitmix64(&x) >> 11) / 9007199254740992.0;
}

static void draw_params(gn_world *w, w_params *p)
{
    gn_rng r; /* the places and currencies: a stream of their own */
    gn_rng_seed(&r, hash2(w->world, 0x706c61636573ULL));
    p->fake_share = drawn(w, "fake_share", 0.03, 0.12);
    p->class_share[C_BRAND_OWN] = drawn(w, "share_brand_own", 0.01, 0.05);
    p->class_share[C_RETAILER] = drawn(w, "share_retailer", 0.10, 0.35);
    p->class_share[C_OUTLET] = drawn(w, "share_outlet", 0.03, 0.15);
    p->class_share[C_USED] = drawn(w, "share_used", 0.05, 0.30);
    p->class_share[C_REFURB] = drawn(w, "share_refurb", 0.0, 0.10);
    p->class_share[C_RESELLER] = drawn(w, "share_reseller", 0.03, 0.20);
    p->class_share[C_ACCESSORY] = drawn(w, "share_accessory", 0.03, 0.15);
    p->class_share[C_UNBRANDED] = drawn(w, "share_unbranded", 0.10, 0.35);
    p->outlet_lo = drawn(w, "outlet_lo", 0.35, 0.45);
    p->outlet_hi = drawn(w, "outlet_hi", 0.55, 0.70);
    p->used_lo = drawn(w, "used_lo", 0.25, 0.40);
    p->used_hi = drawn(w, "used_hi", 0.60, 0.80);
    p->refurb_lo = drawn(w, "refurb_lo", 0.50, 0.65);
    p->refurb_hi = drawn(w, "refurb_hi", 0.75, 0.90);
    p->reseller_lo = drawn(w, "reseller_lo", 0.80, 0.92);
    p->fake_lo = drawn(w, "fake_lo", 0.12, 0.30);
    p->fake_hi = drawn(w, "fake_hi", 0.35, 0.60);
    p->deep_lo = drawn(w, "deep_lo", 0.03, 0.08);
    p->deep_hi = drawn(w, "deep_hi", 0.12, 0.30);
    p->plausible_lo = drawn(w, "plausible_lo", 0.65, 0.85);
    for (int i = 0; i < NFAKE_TACTIC; i++)
        p->tactic_w[i] = drawn(w, tactic_names[i], 0.2, 1.0);
    p->second_tactic_p = drawn(w, "second_tactic_p", 0.10, 0.35);
    p->condition_field_p = drawn(w, "condition_field_p", 0.1, 0.9);
    p->outlet_authorised_p = drawn(w, "outlet_authorised_p", 0.2, 0.9);
    p->reseller_official_p = drawn(w, "reseller_official_p", 0.0, 0.3);
    p->used_official_p = drawn(w, "used_official_p", 0.0, 0.15);
    p->honest_typo_p = drawn(w, "honest_typo_p", 0.002, 0.02);
    p->word_brand_p = drawn(w, "word_brand_p", 0.0, 0.35);
    p->new_shop_p = drawn(w, "new_shop_p", 0.02, 0.12);
    p->accessory_category_p = drawn(w, "accessory_category_p", 0.6, 0.95);
    p->cn_generic_p = drawn(w, "cn_generic_p", 0.2, 0.6);
    p->aged_fake_p = drawn(w, "aged_fake_p", 0.0, 0.15);
    p->ring_share = drawn(w, "ring_share", 0.5, 0.9);
    p->reuse_p = drawn(w, "reuse_p", 0.5, 0.95);
    p->nat_share = drawn(w, "nat_share", 0.2, 0.6);
    p->proxy_p = drawn(w, "proxy_p", 0.1, 0.6);
    p->kyc_verified_p = drawn(w, "kyc_verified_p", 0.4, 0.9);
    p->kyc_platform_p = drawn(w, "kyc_platform_p", 0.3, 0.9);
    p->fake_verified_p = drawn(w, "fake_verified_p", 0.0, 0.15);
    p->fake_reviews_p = drawn(w, "fake_reviews_p", 0.1, 0.5);
    p->honest_friends_p = drawn(w, "honest_friends_p", 0.01, 0.05);
    p->review_p = drawn(w, "review_p", 0.15, 0.4);
    p->origin_mismatch_p = drawn(w, "origin_mismatch_p", 0.3, 0.9);
    p->honest_far_origin_p = drawn(w, "honest_far_origin_p", 0.02, 0.15);
    p->complaint_named_p = drawn(w, "complaint_named_p", 0.1, 0.5);
    p->complaint_unnamed_p = drawn(w, "complaint_unnamed_p", 0.05, 0.3);
    p->complaint_honest_p = drawn(w, "complaint_honest_p", 0.002, 0.02);
    p->report_fake_p = drawn(w, "report_fake_p", 0.02, 0.08);
    p->report_honest_p = drawn(w, "report_honest_p", 0.002, 0.01);
    p->price_edit_p = drawn(w, "price_edit_p", 0.05, 0.15);
    p->scrub_p = drawn(w, "scrub_p", 0.2, 0.7);
    p->usd_priced_p = drawn(w, "usd_priced_p", 0.05, 0.3);
    p->audit_rate = drawn(w, "audit_rate", 0.01, 0.05);
    /* where honest shops are: a few countries, never the same mix twice */
    p->ncountries = 3 + below(&r, 4);
    for (int i = 0; i < p->ncountries; i++) {
        int c, dup;
        do {
            c = below(&r, NCOUNTRY);
            dup = 0;
            for (int k = 0; k < i; k++)
                dup |= p->countries[k] == c;
        } while (dup);
        p->countries[i] = c;
        p->country_w[i] = between(&r, 0.2, 1.0);
    }
    /* four currencies: the dollar and three of the shops' own, or others */
    p->currencies[0] = 0;
    for (int i = 1; i < 4; i++) {
        int c, dup;
        do {
            c = i - 1 < p->ncountries && chance(&r, 0.7) ? countries[p->countries[i - 1]].currency
                                                         : below(&r, NCURRENCY);
            dup = 0;
            for (int k = 0; k < i; k++)
                dup |= p->currencies[k] == c;
            if (dup) c = below(&r, NCURRENCY);
            dup = 0;
            for (int k = 0; k < i; k++)
                dup |= p->currencies[k] == c;
        } while (dup);
        p->currencies[i] = c;
    }
    p->nats = 1 + below(&r, 4);
    p->listings_per_shop = 6 + below(&r, 25);
    p->nbrands = 0; /* set from the size */
}

/* ------------------------------------------------------------------ events */

/* Starts an event in w->line. */
static gn_buf *begin(gn_world *w, const char *type, int64_t t)
{
    gn_buf *b = &w->line;
    gn_buf_reset(b);
    gn_buf_printf(b, "{\"type\":\"%s\",\"id\":\"w%llu-e%u\",\"at\":", type,
                  (unsigned long long)w->world, w->nevents + 1);
    sim_puttime(b, t);
    return b;
}

/* Closes the event in w->line and files it at time t. */
static void end(gn_world *w, int64_t t)
{
    gn_buf *b = &w->line;
    gn_buf_puts(b, "}");
    if (w->nevents == w->capevents) {
        w->capevents = w->capevents ? w->capevents * 2 : 65536;
        w_event *grown = gn_xrealloc(w->events, w->capevents * sizeof *grown);
        w->events = grown;
    }
    w->events[w->nevents] = (w_event){t, w->arena.len, w->nevents, (uint32_t)b->len};
    w->nevents++;
    gn_buf_append(&w->arena, b->data, b->len);
}

static void field_str(gn_buf *b, const char *name, const char *value)
{
    gn_buf_printf(b, ",\"%s\":", name);
    gn_buf_json_string(b, value);
}

/* A photo's PDQ hash from its key; `flips` bits changed (chosen by `r`) make
 * a re-encoded or cropped copy of it. */
static void put_pdq(gn_buf *b, uint64_t key, const char *role, int flips, gn_rng *r)
{
    uint64_t x = key, words[4];
    for (int i = 0; i < 4; i++)
        words[i] = gn_splitmix64(&x);
    for (int i = 0; i < flips; i++) {
        uint32_t bit = gn_rng_below(r, 256);
        words[bit >> 6] ^= 1ULL << (bit & 63);
    }
    gn_buf_puts(b, "{\"pdq\":\"");
    for (int i = 0; i < 4; i++)
        gn_buf_printf(b, "%016llx", (unsigned long long)words[i]);
    gn_buf_puts(b, "\"");
    if (role) gn_buf_printf(b, ",\"role\":\"%s\"", role);
    gn_buf_puts(b, "}");
}

static double rate_on(const gn_world *w, int64_t t, int cur)
{
    int64_t day = (t - w->t0) / DAY + 1;
    if (day < 0) day = 0;
    if (day > w->days) day = w->days;
    return w->rates[day * NCURRENCY + cur];
}

/* A price in the shop's currency, written as shops write them. */
static double shop_price(const gn_world *w, double usd, int cur, int64_t t, gn_rng *r)
{
    double local = usd / rate_on(w, t, cur);
    if (currencies[cur].decimals == 0) return local < 100 ? round(local) : round(local / 10) * 10;
    if (local > 50 && chance(r, 0.5)) return floor(local) + 0.99 - (local < 1 ? 0.99 : 0);
    return round(local * 100) / 100;
}

/* ------------------------------------------------------------------ identities */

/* A phone number as people write it: the same number in several forms. */
static void phone_text(char *out, size_t n, int country, uint64_t key, int form)
{
    char digits[16];
    snprintf(digits, sizeof digits, "%010llu",
             (unsigned long long)(key % 9000000000ULL + 1000000000ULL));
    const char *cc = countries[country].prefix;
    switch (form % 6) {
    case 0:
        snprintf(out, n, "+%s %.3s %.4s %.3s", cc, digits, digits + 3, digits + 7);
        break;
    case 1:
        snprintf(out, n, "%s%s", cc, digits);
        break;
    case 2:
        snprintf(out, n, "+%s-%.3s-%.3s-%.4s", cc, digits, digits + 3, digits + 6);
        break;
    case 3:
        snprintf(out, n, "00%s %s", cc, digits);
        break;
    case 4:
        snprintf(out, n, "0%s", digits);
        break;
    default:
        snprintf(out, n, "(+%s) %.3s %.3s %.4s", cc, digits, digits + 3, digits + 6);
        break;
    }
}

/* An e-mail address: sub-addressing, dots and case where the provider
 * ignores them. */
static void email_text(char *out, size_t n, uint64_t key, int form)
{
    static const char *const first[] = {"li",   "chen", "anna", "mark", "yuki", "lucas",
                                        "sara", "wei",  "omar", "ines", "tom",  "mei"};
    static const char *const domains[] = {"gmail.com", "outlook.com", "qq.com",
                                          "163.com",   "yahoo.com",   "gmx.de"};
    const char *f = first[key % 12], *g = first[(key >> 8) % 12], *d = domains[(key >> 16) % 6];
    unsigned num = (unsigned)((key >> 24) % 900 + 100);
    int gmail = strcmp(d, "gmail.com") == 0;
    switch (form % 4) {
    case 0:
        snprintf(out, n, "%s%s%u@%s", f, g, num, d);
        break;
    case 1:
        if (gmail)
            snprintf(out, n, "%s.%s%u@%s", f, g, num, d);
        else
            snprintf(out, n, "%s%s%u+shop@%s", f, g, num, d);
        break;
    case 2:
        snprintf(out, n, "%s%s%u+store%u@%s", f, g, num, (unsigned)(key >> 40) % 9, d);
        break;
    default: {
        snprintf(out, n, "%s%s%u@%s", f, g, num, d);
        for (char *p = out; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
        break;
    }
    }
}

static void address_text(char *out, size_t n, int country, uint64_t key, int form)
{
    static const char *const streets[] = {"Baiyun", "Harbour", "Garden", "Station",
                                          "Market", "Mill",    "Lake",   "Park"};
    const char *street = streets[key % 8], *city = countries[country].cities[(key >> 8) % 3];
    unsigned no = (unsigned)((key >> 16) % 200 + 1), room = (unsigned)((key >> 24) % 40 + 100);
    switch (form % 3) {
    case 0:
        snprintf(out, n, "Room %u, %u %s Road, %s", room, no, street, city);
        break;
    case 1:
        snprintf(out, n, "Rm %u %u %s Rd %s", room, no, street, city);
        break;
    default:
        snprintf(out, n, "%u %s RD RM%u, %s", no, street, room, city);
        break;
    }
}

static void attribute(gn_world *w, uint32_t s, int64_t t, const char *kind, const char *value)
{
    gn_buf *b = begin(w, "seller_attribute", t);
    gn_buf_printf(b, ",\"seller\":\"S%u\"", s + 1);
    field_str(b, "kind", kind);
    field_str(b, "value", value);
    end(w, t);
}

/* A login: honest shops from their own device and home router, often behind
 * the carrier's NAT address; ring accounts from the ring's machines or
 * residential proxies. */
static void session(gn_world *w, const char *account, const w_seller *v, int64_t t)
{
    gn_rng *r = &w->r;
    gn_buf *b = begin(w, "session", t);
    field_str(b, "account", account);
    uint64_t own = v ? v->key : hash2((uint64_t)t, 77);
    const w_ring *g = v && v->ring >= 0 ? &w->rings[v->ring] : NULL;
    if (v && v->fake && g && chance(r, w->p.proxy_p))
        gn_buf_printf(b, ",\"ip\":\"%u.%u.%u.%u\"", 24 + below(r, 150), below(r, 256),
                      below(r, 256), 1 + below(r, 254));
    else if (chance(r, v && !v->fake ? w->p.nat_share : 0.15))
        gn_buf_printf(b, ",\"ip\":\"100.64.%u.%u\"", (unsigned)(w->world % 200),
                      1 + below(r, w->p.nats));
    else {
        uint64_t k = g && chance(r, w->p.reuse_p) ? g->key : own;
        gn_buf_printf(b, ",\"ip\":\"%u.%u.%u.%u\"", (unsigned)(k % 200 + 11),
                      (unsigned)(k >> 8) % 256, (unsigned)(k >> 16) % 256,
                      (unsigned)(k >> 24) % 254 + 1);
    }
    uint64_t dev = g && v->dev >= 0 ? hash2(g->key, (uint64_t)v->dev) : own;
    if (v && !v->fake && chance(r, 0.05)) dev = hash2(own, (uint64_t)below(r, 3) + 1);
    gn_buf_printf(b, ",\"device\":\"d-%012llx\"", (unsigned long long)(dev & 0xffffffffffffULL));
    if (chance(r, 0.7)) {
        uint64_t net = g && chance(r, w->p.reuse_p) ? g->key ^ 0x5a5a : own ^ 0xa5a5;
        gn_buf_printf(b, ",\"network\":\"wifi-%08llx\"", (unsigned long long)(net & 0xffffffff));
    }
    static const char *const agents[] = {
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64)", "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4)",
        "Mozilla/5.0 (Linux; Android 14)", "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4)"};
    field_str(b, "user_agent", agents[(dev >> 3) % 4]);
    end(w, t);
}

/* ------------------------------------------------------------------ brand names */

static void invent_name(gn_rng *r, char *out, size_t n)
{
    out[0] = 0;
    int parts = 2 + chance(r, 0.35);
    for (int i = 0; i < parts; i++)
        strncat(out, syllables[below(r, NELEM(syllables))], n - strlen(out) - 1);
    out[0] = (char)(out[0] - 32);
}

/* One or two slips of the keyboard. */
static void misspell(gn_rng *r, const char *name, char *out, size_t n)
{
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%s", name);
    size_t len = strlen(tmp);
    int edits = 1 + chance(r, 0.3);
    for (int e = 0; e < edits && len > 3; e++) {
        size_t i = 1 + (size_t)below(r, (int)len - 1);
        switch (below(r, 4)) {
        case 0:
            memmove(tmp + i, tmp + i + 1, len - i), len--;
            break; /* drop */
        case 1: {
            char c = tmp[i];
            tmp[i] = tmp[i - 1];
            tmp[i - 1] = c;
            break;
        } /* swap */
        case 2:
            memmove(tmp + i + 1, tmp + i, len - i + 1), len++;
            break; /* double */
        default:
            tmp[i] = "aeiouy"[below(r, 6)];
            break;
        }
        if (len > sizeof tmp - 3) break;
    }
    if (strcmp(tmp, name) == 0) tmp[len - 1] = tmp[len - 1] == 'x' ? 'z' : 'x';
    snprintf(out, n, "%s", tmp);
}

/* Letters that look alike: Cyrillic or Greek twins, digits, or separators. */
static void lookalike(gn_rng *r, const char *name, char *out, size_t n)
{
    static const struct {
        char c;
        const char *twin;
    } twins[] = {{'a', "а"}, {'e', "е"}, {'o', "о"}, {'c', "с"}, {'p', "р"}, {'x', "х"},
                 {'y', "у"}, {'i', "і"}, {'A', "Α"}, {'B', "Β"}, {'E', "Ε"}, {'K', "Κ"},
                 {'M', "Μ"}, {'N', "Ν"}, {'O', "Ο"}, {'T', "Τ"}, {'o', "0"}, {'l', "1"}};
    int how = below(r, 3);
    out[0] = 0;
    size_t len = strlen(name), used = 0;
    int changed = 0;
    for (size_t i = 0; i < len && used + 8 < n; i++) {
        char c = how == 2 ? (char)(name[i] >= 'a' ? name[i] - 32 : name[i]) : name[i];
        const char *put = NULL;
        if (how < 2)
            for (int k = 0; k < NELEM(twins); k++)
                if (twins[k].c == c && (how == 0) == (k < 16) && (chance(r, 0.5) || !changed)) {
                    put = twins[k].twin;
                    break;
                }
        if (put) {
            used += (size_t)snprintf(out + used, n - used, "%s", put);
            changed = 1;
        } else {
            out[used++] = c;
            out[used] = 0;
        }
        if (how == 2 && i + 1 < len) out[used++] = ".- "[(len + i) % 3 == 0 ? 0 : 1], out[used] = 0;
    }
    if (!changed && how < 2) snprintf(out, n, "%c0%s", name[0], name + (len > 1 ? 2 : 1));
}

/* ------------------------------------------------------------------ planning */

static uint32_t add_seller(gn_world *w)
{
    if (w->nsellers == w->capsellers) {
        w->capsellers = w->capsellers ? w->capsellers * 2 : 1024;
        w_seller *grown = gn_xrealloc(w->sellers, w->capsellers * sizeof *grown);
        w->sellers = grown;
    }
    w_seller *v = &w->sellers[w->nsellers];
    memset(v, 0, sizeof *v);
    v->ring = -1;
    v->phone_v = v->email_v = v->dev = -1;
    v->key = hash2(w->seed * 1000003 + w->world, w->nsellers + 1);
    return w->nsellers++;
}

static int currency_of(const gn_world *w, int country, gn_rng *r)
{
    int c = countries[country].currency;
    for (int i = 0; i < 4; i++)
        if (w->p.currencies[i] == c && !chance(r, w->p.usd_priced_p)) return c;
    return 0;
}

static int honest_country(gn_world *w)
{
    return w->p.countries[sim_pick(&w->r, w->p.country_w, w->p.ncountries)];
}

static int pick_brand(gn_world *w, int fake)
{
    double x = unit(&w->r), total = 0;
    for (int i = 0; i < w->p.nbrands; i++)
        total += fake ? w->brands[i].popularity * w->brands[i].ref_usd[0] : w->brands[i].popularity;
    x *= total;
    for (int i = 0; i < w->p.nbrands; i++) {
        double v =
            fake ? w->brands[i].popularity * w->brands[i].ref_usd[0] : w->brands[i].popularity;
        if (x < v) return i;
        x -= v;
    }
    return w->p.nbrands - 1;
}

static void plan_brands(gn_world *w)
{
    gn_rng *r = &w->r;
    w->brands = gn_xcalloc((size_t)w->p.nbrands, sizeof *w->brands);
    int taken[NELEM(word_brands)] = {0};
    for (int i = 0; i < w->p.nbrands; i++) {
        w_brand *b = &w->brands[i];
        int tries = 0;
        for (;;) {
            int word = chance(r, w->p.word_brand_p) ? below(r, NELEM(word_brands)) : -1;
            if (word >= 0 && !taken[word]) {
                taken[word] = 1;
                snprintf(b->name, sizeof b->name, "%s", word_brands[word]);
                b->word = 1;
            } else {
                invent_name(r, b->name, sizeof b->name);
                b->word = 0;
            }
            int dup = 0;
            for (int k = 0; k < i; k++)
                dup |= strcasecmp(w->brands[k].name, b->name) == 0;
            if (!dup || ++tries > 50) break;
        }
        b->ncat = 1 + chance(r, 0.4);
        b->cat[0] = below(r, NCAT);
        b->cat[1] = (b->cat[0] + 1 + below(r, NCAT - 1)) % NCAT;
        double tier = unit(r);
        for (int k = 0; k < b->ncat; k++) {
            double lo = cats[b->cat[k]].lo, hi = cats[b->cat[k]].hi;
            b->ref_usd[k] = exp(log(lo) + tier * (log(hi) - log(lo)) + 0.1 * sim_normal(r));
        }
        b->currency = w->p.currencies[chance(r, 0.5) ? 0 : below(r, 4)];
        b->authorized_only = chance(r, 0.1 + 0.2 * tier);
        b->popularity = 1.0 / (1 + i) + 0.02;
        for (int k = 0; k < 3; k++)
            b->photo[k] = hash2(hash2(w->world, 0xb0a7), (uint64_t)i * 8 + (uint64_t)k);
    }
}

/* Honest shops: classes by the world's shares, volumes lognormal. */
static void plan_honest(gn_world *w, uint32_t honest_listings)
{
    gn_rng *r = &w->r;
    uint32_t shops = honest_listings / (uint32_t)w->p.listings_per_shop + 8;
    for (int b = 0; b < w->p.nbrands; b++) { /* each brand's own store */
        uint32_t s = add_seller(w);
        w_seller *v = &w->sellers[s];
        v->cls = C_BRAND_OWN;
        v->nbrands = 1;
        v->brands[0] = b;
        w->brands[b].owner_shop = s;
    }
    for (uint32_t i = 0; i < shops; i++) {
        uint32_t s = add_seller(w);
        w_seller *v = &w->sellers[s];
        v->cls = 1 + sim_pick(r, w->p.class_share + 1, NHONEST - 1);
        v->nbrands = 1 + below(r, 4);
        for (int k = 0; k < v->nbrands; k++)
            v->brands[k] = pick_brand(w, 0);
    }
    for (uint32_t s = 0; s < w->nsellers; s++) {
        w_seller *v = &w->sellers[s];
        v->country = honest_country(w);
        /* unbranded goods and accessories: many honest shops in China */
        if ((v->cls == C_UNBRANDED || v->cls == C_ACCESSORY) && chance(r, w->p.cn_generic_p))
            v->country = chance(r, 0.8) ? CTRY_CN : CTRY_HK;
        v->lang = countries[v->country].lang;
        v->currency = currency_of(w, v->country, r);
        v->weight = exp(1.1 * sim_normal(r)) * (v->cls == C_BRAND_OWN ? 0.5 : 1);
        v->new_shop = v->cls != C_BRAND_OWN && chance(r, w->p.new_shop_p);
        v->created = v->new_shop ? w->t0 + (int64_t)(between(r, -14, w->days * 0.6) * DAY)
                                 : w->t0 - (int64_t)(between(r, 30, 6 * 365) * DAY);
        v->active_from = v->created + 3600;
    }
}

/* Counterfeiters: rings of throwaway accounts that share machines, phones and
 * mailboxes (written differently), and solo sellers. */
static void plan_fakes(gn_world *w, uint32_t fake_listings)
{
    gn_rng *r = &w->r;
    uint32_t ring_listings = (uint32_t)(fake_listings * w->p.ring_share);
    uint32_t nring = ring_listings / 60 + (ring_listings > 0);
    uint32_t nsolo = (fake_listings - ring_listings) / 10 + (fake_listings > ring_listings);
    w->rings = gn_xcalloc(nring + nsolo + 1, sizeof *w->rings);
    static const double fake_country_w[NCOUNTRY] = {8,  3, 2, 1, 1, 2, 1, 0.5, 50,
                                                    15, 1, 1, 8, 1, 1, 1, 1};
    uint32_t puppet = 1u << 30; /* buyer numbers of the rings' own accounts */
    for (uint32_t g = 0; g < nring + nsolo; g++) {
        w_ring *ring = &w->rings[w->nrings++];
        ring->solo = g >= nring;
        ring->key = hash2(w->world * 7919 + w->seed, 0x41 + g);
        ring->country = sim_pick(r, fake_country_w, NCOUNTRY);
        ring->hub[0] = below(r, NHUB);
        ring->hub[1] = chance(r, 0.5) ? below(r, NHUB) : ring->hub[0];
        ring->nbrands = 1 + below(r, 5);
        for (int k = 0; k < ring->nbrands; k++)
            ring->brands[k] = pick_brand(w, 1);
        ring->weight = ring->solo ? 0.2 * exp(0.5 * sim_normal(r)) : exp(0.8 * sim_normal(r));
        ring->accounts = ring->solo ? 1u + (uint32_t)chance(r, 0.3) : 3u + (uint32_t)below(r, 18);
        ring->puppets = ring->solo ? (uint32_t)below(r, 3) : 3 + (uint32_t)below(r, 10);
        ring->first_puppet = puppet;
        puppet += ring->puppets;
        ring->first_account = w->nsellers;
        double span = (double)(w->days + 3) / ring->accounts;
        for (uint32_t a = 0; a < ring->accounts; a++) {
            uint32_t s = add_seller(w);
            w_seller *v = &w->sellers[s];
            v->cls = ring->solo ? C_SOLO : C_RING;
            v->fake = 1;
            v->ring = (int)g;
            v->country = chance(r, 0.8) ? ring->country : sim_pick(r, fake_country_w, NCOUNTRY);
            v->lang = chance(r, 0.6) ? L_EN : countries[v->country].lang;
            v->currency = currency_of(w, v->country, r);
            v->created = w->t0 - 3 * DAY + (int64_t)((a + between(r, -0.3, 0.3)) * span * DAY);
            if (a == 0 || v->created > w->tend - 3600) v->created = w->t0 - 3 * DAY + a * 3600;
            if (chance(r, w->p.aged_fake_p)) /* an old account, bought or taken over */
                v->created = w->t0 - (int64_t)(between(r, 60, 900) * DAY);
            v->active_from = v->created + (int64_t)between(r, 600, 20 * 3600);
            v->phone_v = chance(r, w->p.reuse_p) ? below(r, 2) : -1;
            v->email_v = chance(r, w->p.reuse_p) ? below(r, 2) : -1;
            v->dev = chance(r, w->p.reuse_p) ? below(r, 3) : -1;
            v->nbrands = ring->nbrands;
            memcpy(v->brands, ring->brands, sizeof v->brands);
        }
    }
}

static int64_t listing_time(gn_world *w, int64_t from)
{
    gn_rng *r = &w->r;
    if (from < w->t0) from = w->t0;
    int64_t span = w->tend - 3600 - from;
    if (span < 60) span = 60;
    for (;;) {
        int64_t t = from + (int64_t)(unit(r) * (double)span);
        int hour = (int)((t % DAY) / 3600);
        if (chance(r, hour >= 7 && hour <= 23 ? 1.0 : 0.3)) return t;
    }
}

static uint32_t pick_weighted_seller(gn_world *w, uint32_t lo, uint32_t hi, double total)
{
    double x = unit(&w->r) * total;
    for (uint32_t s = lo; s < hi; s++) {
        if (w->sellers[s].fake) continue;
        if (x < w->sellers[s].weight) return s;
        x -= w->sellers[s].weight;
    }
    return hi - 1;
}

static int by_time(const void *a, const void *b)
{
    const w_listing *x = a, *y = b;
    return (x->t > y->t) - (x->t < y->t);
}

static void plan_listings(gn_world *w, uint32_t honest, uint32_t fakes, uint32_t nhonest_sellers)
{
    gn_rng *r = &w->r;
    w->listings = gn_xcalloc(honest + fakes + 1, sizeof *w->listings);
    double total = 0;
    for (uint32_t s = 0; s < nhonest_sellers; s++)
        total += w->sellers[s].weight;
    for (uint32_t i = 0; i < honest; i++) {
        w_listing *l = &w->listings[w->nlistings++];
        l->seller = pick_weighted_seller(w, 0, nhonest_sellers, total);
        const w_seller *v = &w->sellers[l->seller];
        l->t = listing_time(w, v->active_from);
        l->brand = v->cls == C_UNBRANDED ? -1 : v->brands[below(r, v->nbrands)];
    }
    double ring_total = 0;
    for (uint32_t g = 0; g < w->nrings; g++)
        ring_total += w->rings[g].weight;
    for (uint32_t i = 0; i < fakes; i++) {
        w_listing *l = &w->listings[w->nlistings++];
        double x = unit(r) * ring_total;
        uint32_t g = 0;
        for (; g + 1 < w->nrings && x >= w->rings[g].weight; g++)
            x -= w->rings[g].weight;
        w_ring *ring = &w->rings[g];
        l->fake = 1;
        l->t = listing_time(w, w->t0);
        /* the ring's account active then: the latest one already open */
        uint32_t s = ring->first_account;
        for (uint32_t a = 0; a < ring->accounts; a++)
            if (w->sellers[ring->first_account + a].active_from <= l->t)
                s = ring->first_account + a;
        if (w->sellers[s].active_from > l->t) l->t = w->sellers[s].active_from + 60;
        l->seller = s;
        l->brand = ring->brands[below(r, ring->nbrands)];
    }
    qsort(w->listings, w->nlistings, sizeof *w->listings, by_time);
}

/* ------------------------------------------------------------------ writing the stream */

static void emit_rates(gn_world *w)
{
    gn_rng *r = &w->r;
    w->rates = gn_xcalloc((size_t)(w->days + 2) * NCURRENCY, sizeof *w->rates);
    for (int c = 0; c < NCURRENCY; c++)
        w->rates[c] = c == 0 ? 1.0 : currencies[c].usd * exp(0.05 * sim_normal(r));
    for (int d = 1; d <= w->days + 1; d++)
        for (int c = 0; c < NCURRENCY; c++)
            w->rates[d * NCURRENCY + c] =
                c == 0 ? 1.0 : w->rates[(d - 1) * NCURRENCY + c] * exp(0.005 * sim_normal(r));
    for (int d = 0; d <= w->days; d++)
        for (int i = 1; i < 4; i++) {
            int c = w->p.currencies[i];
            int64_t t = d == 0 ? w->t0 - 4 * DAY : w->t0 + (int64_t)(d - 1) * DAY + 60;
            gn_buf *b = begin(w, "rate", t);
            gn_buf_printf(b, ",\"currency\":\"%s\",\"usd\":%.8g", currencies[c].code,
                          w->rates[d * NCURRENCY + c]);
            end(w, t);
        }
}

static void emit_brands(gn_world *w)
{
    gn_rng *r = &w->r;
    int64_t t = w->t0 - 3 * DAY;
    for (int i = 0; i < w->p.nbrands; i++) {
        w_brand *br = &w->brands[i];
        gn_buf *b = begin(w, "brand", t);
        gn_buf_printf(b, ",\"brand\":\"B%d\"", i + 1);
        field_str(b, "name", br->name);
        char upper[32];
        snprintf(upper, sizeof upper, "%s", br->name);
        for (char *p = upper; *p; p++)
            if (*p >= 'a' && *p <= 'z') *p = (char)(*p - 32);
        gn_buf_puts(b, ",\"aliases\":[");
        gn_buf_json_string(b, upper);
        gn_buf_puts(b, "]");
        gn_buf_printf(b, ",\"owner\":\"H%d\",\"categories\":[", i + 1);
        for (int k = 0; k < br->ncat; k++)
            gn_buf_printf(b, "%s\"%s\"", k ? "," : "", cats[br->cat[k]].name);
        gn_buf_puts(b, "],\"reference_prices\":[");
        for (int k = 0; k < br->ncat; k++) {
            double local = br->ref_usd[k] / w->rates[br->currency];
            gn_buf_printf(b, "%s{\"category\":\"%s\",\"price\":%.0f,\"currency\":\"%s\"}",
                          k ? "," : "", cats[br->cat[k]].name, local,
                          currencies[br->currency].code);
        }
        gn_buf_puts(b, "],\"official_images\":[");
        for (int k = 0; k < 3; k++) {
            if (k) gn_buf_puts(b, ",");
            put_pdq(b, br->photo[k], "official", 0, NULL);
        }
        gn_buf_printf(b, "],\"authorized_sellers\":[\"S%u\"", br->owner_shop + 1);
        for (uint32_t s = 0; s < w->nsellers; s++) {
            const w_seller *v = &w->sellers[s];
            if (v->fake || (v->cls != C_RETAILER && v->cls != C_OUTLET)) continue;
            int carries = 0;
            for (int k = 0; k < v->nbrands; k++)
                carries |= v->brands[k] == i;
            if (!carries) continue;
            /* retailers are authorised; outlets sometimes; each drawn from the
             * shop's key so that its listings agree */
            double p = v->cls == C_RETAILER ? 1.0 : w->p.outlet_authorised_p;
            if ((double)(hash2(v->key, (uint64_t)i) >> 11) / 9007199254740992.0 < p)
                gn_buf_printf(b, ",\"S%u\"", s + 1);
        }
        gn_buf_printf(b, "],\"authorized_only\":%s", br->authorized_only ? "true" : "false");
        end(w, t);
        /* the trademark, checked by the platform */
        b = begin(w, "ip_right", t + 60);
        gn_buf_printf(b,
                      ",\"right\":\"T%d\",\"brand\":\"B%d\",\"kind\":\"trademark\","
                      "\"number\":\"%s%08u\",\"holder\":\"H%d\",\"jurisdiction\":\"%s\","
                      "\"classes\":[\"%s\"],\"valid_until\":",
                      i + 1, i + 1, chance(r, 0.5) ? "EUTM" : "US", 10000000u + (unsigned)i * 7919,
                      i + 1, chance(r, 0.5) ? "EU" : "US",
                      cats[br->cat[0]].electronic ? "9" : "18");
        sim_puttime(b, w->t0 + 5 * 365 * (int64_t)DAY);
        end(w, t + 60);
        b = begin(w, "verdict", t + 3600);
        gn_buf_printf(b,
                      ",\"subject\":\"right\",\"target\":\"T%d\",\"outcome\":\"verified\","
                      "\"reviewer\":\"platform-legal\"",
                      i + 1);
        end(w, t + 3600);
    }
}

static void emit_seller(gn_world *w, uint32_t s)
{
    gn_rng *r = &w->r;
    w_seller *v = &w->sellers[s];
    const w_ring *g = v->ring >= 0 ? &w->rings[v->ring] : NULL;
    int64_t t = v->created;
    char name[64], value[96], account[24];
    static const char *const shop_words[] = {"Atelier", "Store",  "Boutique", "Shop",   "Trading",
                                             "Outlet",  "Corner", "House",    "Select", "Market"};
    snprintf(name, sizeof name, "%s %s %u", shop_words[v->key % 10], shop_words[(v->key >> 8) % 10],
             (unsigned)(v->key >> 20) % 1000);
    if (v->cls == C_BRAND_OWN) {
        for (int b = 0; b < w->p.nbrands; b++)
            if (w->brands[b].owner_shop == s)
                snprintf(name, sizeof name, "%s Official Store", w->brands[b].name);
    }
    snprintf(account, sizeof account, "S%u", s + 1);
    gn_buf *b = begin(w, "seller", t);
    gn_buf_printf(b, ",\"seller\":\"%s\"", account);
    field_str(b, "name", name);
    gn_buf_printf(b, ",\"country\":\"%s\",\"template\":\"%s\"", countries[v->country].code,
                  chance(r, v->fake       ? 0.15
                            : v->new_shop ? 0.3
                                          : 0.7)
                      ? "custom"
                      : "basic");
    if (!v->fake && chance(r, 0.5))
        gn_buf_printf(b, ",\"business_id\":\"%s-%08u\"", countries[v->country].code,
                      (unsigned)(v->key % 100000000));
    end(w, t);
    session(w, account, v, t + 30);
    /* identity values, the ring's written in another form */
    uint64_t pk = g && v->phone_v >= 0 ? hash2(g->key, 100 + (uint64_t)v->phone_v) : v->key;
    int pc = g && v->phone_v >= 0 ? g->country : v->country;
    phone_text(value, sizeof value, pc, pk, below(r, 6));
    if (chance(r, 0.9)) attribute(w, s, t + 40, "phone", value);
    uint64_t ek = g && v->email_v >= 0 ? hash2(g->key, 200 + (uint64_t)v->email_v) : v->key ^ 0xe;
    email_text(value, sizeof value, ek, below(r, 4));
    attribute(w, s, t + 41, "email", value);
    if (chance(r, v->fake ? 0.5 : 0.6)) {
        uint64_t bk = g && chance(r, w->p.reuse_p) ? g->key ^ 0xba : v->key ^ 0xba;
        snprintf(value, sizeof value,
                 chance(r, 0.5) ? "%s%02u %04u %04u %04u" : "%s%02u%04u%04u%04u",
                 countries[g ? g->country : v->country].code, (unsigned)(bk % 97),
                 (unsigned)(bk >> 8) % 10000, (unsigned)(bk >> 24) % 10000,
                 (unsigned)(bk >> 40) % 10000);
        attribute(w, s, t + 42, "bank_account", value);
    }
    if (chance(r, v->fake ? 0.4 : 0.5)) {
        int shared = g && chance(r, w->p.reuse_p);
        address_text(value, sizeof value, shared ? g->country : v->country,
                     shared ? g->key : v->key, below(r, 3));
        attribute(w, s, t + 43, "address", value);
    }
    /* KYC: the platform's own check, or a submission and its outcome */
    double verified_p =
        v->fake ? w->p.fake_verified_p : w->p.kyc_verified_p * (v->new_shop ? 0.4 : 1);
    int64_t tk = t + (int64_t)between(r, 3600, 3 * DAY);
    if (tk + DAY >= w->tend) return;
    if (chance(r, verified_p)) {
        if (!v->fake && chance(r, w->p.kyc_platform_p)) {
            b = begin(w, "seller_verification", tk);
            gn_buf_printf(b, ",\"seller\":\"%s\",\"status\":\"verified\"", account);
            end(w, tk);
        } else {
            b = begin(w, "seller_verification", tk);
            gn_buf_printf(b,
                          ",\"seller\":\"%s\",\"status\":\"submitted\",\"documents\":[{\"kind\":"
                          "\"business_registration\",\"number\":\"BR%08u\",\"issuer\":\"%s\"}]",
                          account, (unsigned)(v->key % 100000000), countries[v->country].code);
            end(w, tk);
            b = begin(w, "seller_verification", tk + DAY);
            gn_buf_printf(b, ",\"seller\":\"%s\",\"status\":\"verified\"", account);
            end(w, tk + DAY);
        }
    } else if (v->fake && chance(r, 0.4)) {
        b = begin(w, "seller_verification", tk);
        gn_buf_printf(b,
                      ",\"seller\":\"%s\",\"status\":\"submitted\",\"documents\":[{\"kind\":"
                      "\"id_card\",\"number\":\"ID%08u\",\"issuer\":\"%s\"}]",
                      account, (unsigned)(v->key % 100000000), countries[v->country].code);
        end(w, tk);
        if (chance(r, 0.5)) {
            b = begin(w, "seller_verification", tk + DAY);
            gn_buf_printf(b, ",\"seller\":\"%s\",\"status\":\"rejected\"", account);
            end(w, tk + DAY);
        }
    }
}

/* ------------------------------------------------------------------ listings */

static void append(gn_buf *b, const char *text)
{
    if (b->len) gn_buf_puts(b, " ");
    gn_buf_puts(b, text);
}

/* Title and description of a listing, in its seller's language. */
static void listing_text(gn_world *w, const w_listing *l, const w_seller *v, int show_lingo,
                         const char *brand_text, int cond_in_title, int cond_in_desc)
{
    gn_rng *r = &w->r;
    gn_buf *t = &w->text, *d = &w->desc;
    gn_buf_reset(t);
    gn_buf_reset(d);
    int lang = v->lang, cat = l->cat;
    const char *lingo = lingo_words[chance(r, 0.5) ? L_EN : lang][below(r, 3)];
    int lingo_title = show_lingo && (l->tactics & (1u << T_LINGO)) && chance(r, 0.6);
    const char *cond = NULL;
    if (v->cls == C_USED) cond = used_words[lang][below(r, 3)];
    if (v->cls == C_REFURB) cond = refurb_words[lang][below(r, 2)];
    if (v->cls == C_OUTLET && chance(r, 0.6)) {
        cond = outlet_words[lang][below(r, 2)];
        cond_in_title = 1;
    }
    if (cond && cond_in_title && chance(r, 0.5)) append(t, cond);
    if (v->cls == C_ACCESSORY) {
        append(t, cats[cat].accessory);
        append(t, compat_words[lang][below(r, 2)]);
        append(t, brand_text);
    } else if (v->cls == C_UNBRANDED) {
        if (brand_text[0]) append(t, brand_text); /* a word that is also a brand */
        append(t, generic_words[below(r, NELEM(generic_words))]);
        append(t, cats[cat].noun[lang]);
        if (chance(r, 0.3)) append(t, lang == L_DE ? "ohne Marke" : "No Brand");
    } else {
        if (brand_text[0]) append(t, brand_text);
        if (l->fake && !brand_text[0] && chance(r, 0.5))
            append(t, chance(r, 0.5) ? "Luxury Designer" : "Famous Brand Style");
        append(t, cats[cat].noun[lang]);
    }
    append(t, colours[lang][below(r, 5)]);
    if (cond && cond_in_title && !strstr(t->data, cond)) append(t, cond);
    if (lingo_title) append(t, lingo);
    /* the description */
    int n = 1 + below(r, 3);
    for (int k = 0; k < n; k++) {
        int used = v->cls == C_USED || v->cls == C_REFURB;
        append(d, used && k == 0 ? used_sentences[lang][below(r, 2)]
                  : !used && !l->fake && k == 0 && chance(r, 0.5)
                      ? new_sentences[lang][below(r, 3)]
                      : common_sentences[lang][below(r, 3)]);
    }
    if (l->fake && chance(r, 0.3)) append(d, new_sentences[lang][below(r, 3)]);
    if (cond && cond_in_desc) append(d, cond);
    if (show_lingo && (l->tactics & (1u << T_LINGO)) && !lingo_title) append(d, lingo);
    if (!t->len) append(t, cats[cat].noun[lang]);
}

/* Orders, shipments and reviews of a listing, and its first sale. */
static void plan_orders(gn_world *w, uint32_t li, const w_seller *v)
{
    gn_rng *r = &w->r;
    w_listing *l = &w->listings[li];
    const w_ring *g = v->ring >= 0 ? &w->rings[v->ring] : NULL;
    double usd = l->price * rate_on(w, l->t, l->currency);
    double per_day = 0.04 * exp(1.2 * sim_normal(r));
    if (l->fake) per_day *= l->ref_usd > 0 && usd < 0.3 * l->ref_usd ? 3 : 1.6;
    if (usd > 2000) per_day *= 0.4;
    double t = (double)l->t;
    l->first_order = l->first_sale = -1;
    for (int k = 0; k < 40; k++) {
        t += sim_exp(r, DAY / per_day);
        if (t >= (double)w->tend) break;
        int64_t at = (int64_t)t;
        uint32_t order = ++w->next_order, buyer = 1 + (uint32_t)below(r, 200000);
        gn_buf *b = begin(w, "order", at);
        gn_buf_printf(b, ",\"order\":\"O%u\",\"listing\":\"L%u\",\"buyer\":\"U%u\",\"price\":%.2f",
                      order, li + 1, buyer, l->price);
        gn_buf_printf(b, ",\"quantity\":%d,\"ship_to\":\"%s\"", chance(r, 0.9) ? 1 : 2,
                      countries[honest_country(w)].code);
        end(w, at);
        l->orders++;
        if (l->first_order < 0) l->first_order = at;
        if (l->first_sale < 0) l->first_sale = at;
        /* the parcel */
        int64_t ts = at + (int64_t)between(r, 6 * 3600, 72 * 3600);
        if (ts < w->tend && chance(r, 0.92)) {
            b = begin(w, "shipment", ts);
            gn_buf_printf(b, ",\"order\":\"O%u\",\"origin\":{", order);
            if (g && chance(r, w->p.origin_mismatch_p)) {
                int h = g->hub[below(r, 2)];
                gn_buf_printf(b, "\"country\":\"%s\"", countries[hubs[h].country].code);
                field_str(b, "city", hubs[h].city);
                field_str(b, "facility", hubs[h].facility);
            } else if (!g && chance(r, w->p.honest_far_origin_p)) {
                int c = honest_country(w); /* a fulfilment centre elsewhere */
                gn_buf_printf(b, "\"country\":\"%s\"", countries[c].code);
                field_str(b, "city", countries[c].cities[0]);
                field_str(b, "facility", "Marketplace Fulfilment Centre 2");
            } else {
                gn_buf_printf(b, "\"country\":\"%s\"", countries[v->country].code);
                field_str(b, "city", countries[v->country].cities[v->key % 3]);
                char facility[48];
                snprintf(facility, sizeof facility, "Warehouse %u", (unsigned)(v->key % 997));
                field_str(b, "facility", facility);
            }
            gn_buf_printf(b, "},\"carrier\":\"%s\",\"tracking\":\"TRK%u%llu\"",
                          chance(r, 0.5) ? "DHL" : "Local Post", order,
                          (unsigned long long)(hash2(order, 5) % 1000000));
            end(w, ts);
        }
        if (chance(r, w->p.review_p)) {
            int64_t tr = at + (int64_t)between(r, 5 * DAY, 20 * DAY);
            if (tr < w->tend) {
                int rating = l->fake ? 1 + sim_pick(r, (const double[]){20, 10, 15, 20, 35}, 5)
                                     : 1 + sim_pick(r, (const double[]){4, 3, 8, 25, 60}, 5);
                b = begin(w, "review", tr);
                gn_buf_printf(b,
                              ",\"review\":\"R%u\",\"listing\":\"L%u\",\"buyer\":\"U%u\","
                              "\"rating\":%d,\"order\":\"O%u\"",
                              ++w->next_review, li + 1, buyer, rating, order);
                field_str(b, "text", review_texts[0][rating >= 4 ? below(r, 2) : 2]);
                end(w, tr);
            }
        }
    }
}

/* Brushing: the seller's own buyer accounts order and praise in a burst. */
static void plan_brushing(gn_world *w, uint32_t li, const w_seller *v)
{
    gn_rng *r = &w->r;
    w_listing *l = &w->listings[li];
    const w_ring *g = v->ring >= 0 ? &w->rings[v->ring] : NULL;
    uint32_t first = g ? g->first_puppet : (1u << 29) + (uint32_t)(v->key % 100000) * 4;
    uint32_t count = g ? g->puppets : 3;
    if (!count) return;
    int n = 2 + below(r, 5);
    int64_t burst = l->t + (int64_t)between(r, 1800, 36 * 3600);
    for (int k = 0; k < n; k++) {
        int64_t at = burst + (int64_t)between(r, 0, 4 * 3600);
        if (at + 7200 >= w->tend) return;
        uint32_t buyer = first + (uint32_t)below(r, (int)count);
        char account[24];
        snprintf(account, sizeof account, "U%u", buyer);
        session(w, account, v, at - 300);
        uint32_t order = 0;
        if (chance(r, 0.7)) {
            order = ++w->next_order;
            gn_buf *b = begin(w, "order", at);
            gn_buf_printf(b,
                          ",\"order\":\"O%u\",\"listing\":\"L%u\",\"buyer\":\"%s\",\"price\":%.2f",
                          order, li + 1, account, l->price);
            end(w, at);
            l->orders++;
            if (l->first_order < 0 || at < l->first_order) l->first_order = at;
        }
        gn_buf *b = begin(w, "review", at + 3600);
        gn_buf_printf(b, ",\"review\":\"R%u\",\"listing\":\"L%u\",\"buyer\":\"%s\",\"rating\":5",
                      ++w->next_review, li + 1, account);
        if (order) gn_buf_printf(b, ",\"order\":\"O%u\"", order);
        field_str(b, "text", review_texts[1][below(r, 3)]);
        end(w, at + 3600);
    }
}

static void emit_listing(gn_world *w, uint32_t li, int64_t t, int version)
{
    gn_rng *r = &w->r;
    w_listing *l = &w->listings[li];
    const w_seller *v = &w->sellers[l->seller];
    const w_brand *br = l->brand >= 0 ? &w->brands[l->brand] : NULL;
    uint32_t tac = l->tactics;
    /* how the brand is written in the text */
    char brand_text[64] = "";
    if (br) {
        if (tac & (1u << T_PHOTO_ONLY))
            brand_text[0] = 0;
        else if (tac & (1u << T_MISSPELT) || tac & (1u << T_HONEST_TYPO))
            misspell(r, br->name, brand_text, sizeof brand_text);
        else if (tac & (1u << T_LOOKALIKE))
            lookalike(r, br->name, brand_text, sizeof brand_text);
        else if (v->cls == C_UNBRANDED)
            snprintf(brand_text, sizeof brand_text, "%s", br->name);
        else
            snprintf(brand_text, sizeof brand_text, "%s", br->name);
    }
    int cond_field = (tac & (1u << T_CONDITION_FIELD)) != 0;
    int cond_text = (tac & (1u << T_CONDITION_TEXT)) != 0;
    listing_text(w, l, v, version == 0 || !(tac & (1u << T_LINGO_SCRUBBED)), brand_text,
                 cond_text && chance(r, 0.7), cond_text);
    gn_buf *b = begin(w, "listing", t);
    gn_buf_printf(b, ",\"listing\":\"L%u\",\"seller\":\"S%u\"", li + 1, l->seller + 1);
    field_str(b, "title", w->text.data);
    if (w->desc.len) field_str(b, "description", w->desc.data);
    gn_buf_printf(b, currencies[l->currency].decimals ? ",\"price\":%.2f" : ",\"price\":%.0f",
                  l->price);
    gn_buf_printf(b, ",\"currency\":\"%s\"", currencies[l->currency].code);
    if (br && v->cls != C_UNBRANDED && !(tac & (1u << T_PHOTO_ONLY))) {
        double p = v->cls == C_ACCESSORY ? 0.15 : l->fake ? 0.5 : 0.7;
        int variant =
            (tac & ((1u << T_MISSPELT) | (1u << T_LOOKALIKE) | (1u << T_HONEST_TYPO))) != 0;
        if (chance(r, variant ? 0.3 : p)) {
            if (!variant && chance(r, 0.7))
                gn_buf_printf(b, ",\"brand\":\"B%d\"", l->brand + 1);
            else
                field_str(b, "brand", brand_text[0] ? brand_text : br->name);
        }
    } else if ((v->cls == C_UNBRANDED || v->cls == C_ACCESSORY) && chance(r, 0.3)) {
        field_str(b, "brand", chance(r, 0.5) ? "Generic" : "Unbranded");
    }
    /* accessories mostly in the platform's accessory category, some in the
     * brand's own (drawn from the listing, so that edits agree) */
    if (v->cls == C_ACCESSORY &&
        (double)(hash2(v->key, li) >> 11) / 9007199254740992.0 < w->p.accessory_category_p)
        gn_buf_printf(b, ",\"category\":\"%s accessories\"", cats[l->cat].name);
    else
        gn_buf_printf(b, ",\"category\":\"%s\"", cats[l->cat].name);
    if (cond_field)
        gn_buf_printf(b, ",\"condition\":\"%s\"",
                      v->cls == C_USED     ? (chance(r, 0.05) ? "for_parts" : "used")
                      : v->cls == C_REFURB ? "refurbished"
                                           : "new");
    /* photos */
    gn_buf_puts(b, ",\"images\":[");
    int n = 1 + below(r, 4), k = 0;
    uint64_t own = hash2(v->key, li * 16ULL + 1);
    if (br && (tac & ((1u << T_STOLEN_PHOTO) | (1u << T_PHOTO_ONLY) | (1u << T_OFFICIAL_PHOTO)))) {
        int stolen = l->fake && chance(r, 0.6);
        put_pdq(b, br->photo[below(r, 3)], NULL, stolen ? below(r, 13) : 0, r);
        k++;
    }
    if (tac & (1u << T_RELISTED_PHOTO) && v->ring >= 0) {
        const w_ring *g = &w->rings[v->ring];
        if (g->nphotos) {
            if (k++) gn_buf_puts(b, ",");
            put_pdq(b, g->photos[(uint32_t)below(r, (int)g->nphotos)], NULL, below(r, 4), r);
        }
    }
    for (; k < n; k++) {
        if (k) gn_buf_puts(b, ",");
        put_pdq(b,
                v->cls == C_UNBRANDED && chance(r, 0.3) ? hash2(l->cat, (uint64_t)below(r, 40))
                                                        : own + (uint64_t)k,
                NULL, 0, NULL);
    }
    gn_buf_puts(b, "]");
    gn_buf_printf(b, ",\"quantity\":%d,\"ship_from\":\"%s\"",
                  l->fake ? 1 + below(r, 100) : 1 + below(r, 50), countries[v->country].code);
    end(w, t);
    if (version == 0 && l->fake && v->ring >= 0) { /* the ring keeps its photos */
        w_ring *g = &w->rings[v->ring];
        g->photos[g->nphotos < 64 ? g->nphotos++ : (uint32_t)below(r, 64)] = own;
    }
}

/* Draws what a listing is, from its seller's class and the world's shares. */
static void dress_listing(gn_world *w, uint32_t li)
{
    gn_rng *r = &w->r;
    const w_params *p = &w->p;
    w_listing *l = &w->listings[li];
    const w_seller *v = &w->sellers[l->seller];
    const w_brand *br = l->brand >= 0 ? &w->brands[l->brand] : NULL;
    l->cat = br ? br->cat[below(r, br->ncat)] : below(r, NCAT);
    if (v->cls == C_REFURB && br && !cats[l->cat].electronic) {
        for (int k = 0; k < br->ncat; k++)
            if (cats[br->cat[k]].electronic) l->cat = br->cat[k];
    }
    l->ref_usd = br ? br->ref_usd[l->cat == br->cat[0] ? 0 : 1] : cats[l->cat].lo;
    l->currency = v->currency;
    l->cond = 0;
    double f = 1;
    uint32_t tac = 0;
    if (v->new_shop) tac |= 1u << T_NEW_SHOP;
    if (l->fake) {
        int main = sim_pick(r, p->tactic_w, NFAKE_TACTIC);
        if (main == T_RING && v->ring >= 0 && w->rings[v->ring].solo) main = T_DEEP_DISCOUNT;
        tac |= 1u << main;
        for (int k = 0; k < NFAKE_TACTIC; k++)
            if (k != T_RING && chance(r, p->second_tactic_p)) tac |= 1u << k;
        if (v->ring >= 0 && !w->rings[v->ring].solo) tac |= 1u << T_RING;
        /* exclusive pairs: one way of writing the brand, one price */
        if (tac & (1u << T_PHOTO_ONLY)) tac &= ~((1u << T_MISSPELT) | (1u << T_LOOKALIKE));
        if ((tac & (1u << T_MISSPELT)) && (tac & (1u << T_LOOKALIKE)))
            tac &= ~(1u << (chance(r, 0.5) ? T_MISSPELT : T_LOOKALIKE));
        if ((tac & (1u << T_DEEP_DISCOUNT)) && (tac & (1u << T_PLAUSIBLE_PRICE)))
            tac &= ~(1u << (main == T_PLAUSIBLE_PRICE ? T_DEEP_DISCOUNT : T_PLAUSIBLE_PRICE));
        if (tac & (1u << T_PLAUSIBLE_PRICE)) tac &= ~(1u << T_LINGO); /* subtle signs only */
        f = tac & (1u << T_DEEP_DISCOUNT)     ? between(r, p->deep_lo, p->deep_hi)
            : tac & (1u << T_PLAUSIBLE_PRICE) ? between(r, p->plausible_lo, 0.97)
                                              : between(r, p->fake_lo, p->fake_hi);
        if ((tac & (1u << T_LINGO)) && chance(r, p->scrub_p)) tac |= 1u << T_LINGO_SCRUBBED;
        if (v->ring >= 0 && chance(r, p->fake_reviews_p)) tac |= 1u << T_FAKE_REVIEWS;
    } else {
        switch (v->cls) {
        case C_BRAND_OWN:
            f = 1.0;
            tac |= (1u << T_OFFICIAL_PHOTO) | (1u << T_AUTHORISED);
            break;
        case C_RETAILER:
            f = between(r, 0.85, 1.05);
            tac |= 1u << T_AUTHORISED;
            if (chance(r, 0.6)) tac |= 1u << T_OFFICIAL_PHOTO;
            break;
        case C_OUTLET:
            f = between(r, p->outlet_lo, p->outlet_hi);
            if (chance(r, 0.4)) tac |= 1u << T_OFFICIAL_PHOTO;
            break;
        case C_USED:
            f = between(r, p->used_lo, p->used_hi);
            l->cond = 1;
            if (chance(r, p->used_official_p)) tac |= 1u << T_OFFICIAL_PHOTO;
            break;
        case C_REFURB:
            f = between(r, p->refurb_lo, p->refurb_hi);
            l->cond = 2;
            break;
        case C_RESELLER:
            f = between(r, p->reseller_lo, 1.05);
            if (chance(r, p->reseller_official_p)) tac |= 1u << T_OFFICIAL_PHOTO;
            break;
        case C_ACCESSORY:
            f = between(r, 5, 45) / l->ref_usd;
            break;
        default:
            f = between(r, 0.05, 0.3) * cats[l->cat].lo / l->ref_usd;
            break;
        }
        if (l->cond) {
            if (chance(r, p->condition_field_p))
                tac |= 1u << T_CONDITION_FIELD;
            else
                tac |= 1u << T_CONDITION_TEXT;
            if (tac & (1u << T_CONDITION_FIELD) && chance(r, 0.5)) tac |= 1u << T_CONDITION_TEXT;
        } else if (v->cls <= C_RESELLER && chance(r, p->condition_field_p * 0.5)) {
            tac |= 1u << T_CONDITION_FIELD; /* "new", said */
        }
        if (br && v->cls != C_ACCESSORY && v->cls != C_UNBRANDED && chance(r, p->honest_typo_p))
            tac |= 1u << T_HONEST_TYPO;
        if (v->cls == C_UNBRANDED && chance(r, 0.6)) {
            /* a word that is also a brand name, used as a word */
            int found = -1;
            for (int k = 0; k < w->p.nbrands && found < 0; k++)
                if (w->brands[(k + li) % (uint32_t)w->p.nbrands].word)
                    found = (int)((k + li) % (uint32_t)w->p.nbrands);
            if (found >= 0) {
                l->brand = found;
                tac |= 1u << T_WORD_BRAND;
            }
        }
    }
    l->tactics = tac;
    double usd = v->cls == C_UNBRANDED ? f * l->ref_usd : f * l->ref_usd;
    l->price = shop_price(w, usd, l->currency, l->t, r);
    if (l->price <= 0) l->price = 1;
    if (!br && v->cls != C_UNBRANDED) l->ref_usd = 0;
    if (v->cls == C_UNBRANDED && !(tac & (1u << T_WORD_BRAND))) l->brand = -1;
}

/* Rights holders' monitoring finds some listings; complaints come per brand
 * in daily batches. */
static void queue_complaint(gn_world *w, uint32_t li)
{
    if (w->ncomplaint == w->capcomplaint) {
        w->capcomplaint = w->capcomplaint ? w->capcomplaint * 2 : 1024;
        uint32_t *grown = gn_xrealloc(w->complaint_queue, w->capcomplaint * sizeof *grown);
        w->complaint_queue = grown;
    }
    w->complaint_queue[w->ncomplaint++] = li;
}

static int by_found(const void *a, const void *b, void *arg)
{
    const int64_t *found_at = arg;
    int64_t x = found_at[*(const uint32_t *)a], y = found_at[*(const uint32_t *)b];
    return (x > y) - (x < y);
}

static void emit_complaints(gn_world *w)
{
    gn_rng *r = &w->r;
    int64_t *when = gn_xcalloc(w->nlistings + 1, sizeof *when);
    for (uint32_t k = 0; k < w->ncomplaint; k++) {
        uint32_t li = w->complaint_queue[k];
        when[li] = w->listings[li].t + (int64_t)between(r, DAY, 7 * DAY);
    }
    qsort_r(w->complaint_queue, w->ncomplaint, sizeof *w->complaint_queue, by_found, when);
    /* one complaint per brand and day, sent at the end of that day */
    for (int b = 0; b < w->p.nbrands; b++) {
        int64_t day = -1;
        uint32_t batch[20], n = 0;
        for (uint32_t k = 0; k <= w->ncomplaint; k++) {
            uint32_t li = k < w->ncomplaint ? w->complaint_queue[k] : 0;
            int mine = k < w->ncomplaint && w->listings[li].brand == b;
            int64_t d = mine ? when[li] / DAY : -1;
            if (n && (k == w->ncomplaint || (mine && (d != day || n == 20)))) {
                int64_t t = day * DAY + DAY - 600;
                if (t < w->tend) {
                    gn_buf *e = begin(w, "complaint", t);
                    gn_buf_printf(e,
                                  ",\"complaint\":\"C%u\",\"rights_holder\":\"H%d\","
                                  "\"right\":\"T%d\",\"listings\":[",
                                  ++w->next_complaint, b + 1, b + 1);
                    for (uint32_t i = 0; i < n; i++)
                        gn_buf_printf(e, "%s\"L%u\"", i ? "," : "", batch[i] + 1);
                    gn_buf_puts(e, "],\"statement\":\"These listings infringe our trademark.\"");
                    end(w, t);
                }
                n = 0;
            }
            if (mine) {
                day = d;
                batch[n++] = li;
            }
        }
    }
    free(when);
}

static void emit_stream(gn_world *w)
{
    gn_rng *r = &w->r;
    const w_params *p = &w->p;
    emit_rates(w);
    for (uint32_t s = 0; s < w->nsellers; s++)
        if (w->sellers[s].created < w->tend) emit_seller(w, s);
    emit_brands(w);
    for (uint32_t li = 0; li < w->nlistings; li++) {
        w_listing *l = &w->listings[li];
        const w_seller *v = &w->sellers[l->seller];
        dress_listing(w, li);
        if (chance(r, 0.3)) {
            char account[24];
            snprintf(account, sizeof account, "S%u", l->seller + 1);
            session(w, account, v, l->t - (int64_t)between(r, 60, 1800));
        }
        emit_listing(w, li, l->t, 0);
        w->by_class[v->cls]++;
        plan_orders(w, li, v);
        if (l->tactics & (1u << T_FAKE_REVIEWS) ||
            (!l->fake && (v->key % 1000) < (uint64_t)(p->honest_friends_p * 1000) &&
             chance(r, 0.2))) {
            if (!l->fake) l->tactics |= 1u << T_FAKE_REVIEWS;
            plan_brushing(w, li, v);
        }
        /* edits: a lingo scrub, a price change */
        if (l->tactics & (1u << T_LINGO_SCRUBBED)) {
            int64_t t = l->t + (int64_t)between(r, 6 * 3600, 3 * DAY);
            if (t < w->tend) emit_listing(w, li, t, 1);
        }
        if (chance(r, p->price_edit_p)) {
            int64_t t = l->t + (int64_t)between(r, DAY, 10 * DAY);
            if (t < w->tend) {
                l->tactics |= 1u << T_PRICE_EDIT;
                double old = l->price;
                l->price = round(l->price * between(r, 0.8, 1.05) * 100) / 100;
                if (l->price <= 0) l->price = old;
                emit_listing(w, li, t, 2);
                l->price = old; /* the truth keeps the first price */
            }
        }
        /* shoppers' reports and rights holders' complaints */
        if (chance(r, l->fake ? p->report_fake_p : p->report_honest_p)) {
            int64_t t = l->t + (int64_t)sim_exp(r, 2 * DAY);
            if (t < w->tend) {
                static const char *const reasons[] = {"counterfeit", "suspicious_price",
                                                      "misleading_brand", "poor_quality"};
                gn_buf *b = begin(w, "report", t);
                gn_buf_printf(b,
                              ",\"report\":\"P%u\",\"listing\":\"L%u\",\"reporter\":\"U%u\","
                              "\"reason\":\"%s\"",
                              ++w->next_report, li + 1, 1 + (uint32_t)below(r, 200000),
                              reasons[below(r, 4)]);
                end(w, t);
            }
        }
        if (l->brand >= 0 && v->cls != C_ACCESSORY && v->cls != C_UNBRANDED &&
            v->cls != C_BRAND_OWN && v->cls != C_RETAILER) {
            double cp = !l->fake                            ? p->complaint_honest_p
                        : l->tactics & (1u << T_PHOTO_ONLY) ? p->complaint_unnamed_p
                                                            : p->complaint_named_p;
            if (chance(r, cp)) queue_complaint(w, li);
        }
        for (int k = 0; k < NTACTIC; k++)
            if (l->tactics & (1u << k)) w->by_tactic[k]++;
    }
    emit_complaints(w);
}

static int event_order(const void *a, const void *b)
{
    const w_event *x = a, *y = b;
    if (x->t != y->t) return (x->t > y->t) - (x->t < y->t);
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* ------------------------------------------------------------------ the interface */

int gn_world_new(gn_world **out, uint64_t world, uint64_t seed, uint64_t listings, int days,
                 int64_t start, gn_error *err)
{
    *out = NULL;
    if (world < 1) return gn_fail(err, GN_EINPUT, "option 'world': worlds are numbered from 1");
    if (listings < 100 || listings > 500000)
        return gn_fail(err, GN_EINPUT,
                       "option 'listings': %llu is out of range [100, 500000] for a world",
                       (unsigned long long)listings);
    if (days < 3 || days > 365)
        return gn_fail(err, GN_EINPUT, "option 'days': %d is out of range [3, 365] for a world",
                       days);
    gn_world *w = gn_xcalloc(1, sizeof *w);
    w->world = world;
    w->seed = seed;
    w->days = days;
    w->t0 = start;
    w->tend = start + (int64_t)days * DAY;
    draw_params(w, &w->p);
    w->p.nbrands = (int)(listings / 400 < 12 ? 12 : listings / 400 > 400 ? 400 : listings / 400);
    gn_rng_seed(&w->r, hash2(world, seed + 0x5eed));
    uint32_t fakes = (uint32_t)llround((double)listings * w->p.fake_share);
    uint32_t honest = (uint32_t)listings - fakes;
    plan_brands(w);
    plan_honest(w, honest);
    uint32_t nhonest = w->nsellers;
    plan_fakes(w, fakes);
    plan_listings(w, honest, fakes, nhonest);
    emit_stream(w);
    qsort(w->events, w->nevents, sizeof *w->events, event_order);
    *out = w;
    return 0;
}

void gn_world_free(gn_world *w)
{
    if (!w) return;
    free(w->brands);
    free(w->sellers);
    free(w->rings);
    free(w->listings);
    free(w->rates);
    free(w->events);
    free(w->complaint_queue);
    gn_buf_free(&w->arena);
    gn_buf_free(&w->line);
    gn_buf_free(&w->text);
    gn_buf_free(&w->desc);
    free(w);
}

int gn_world_next(gn_world *w, const char **line, size_t *len, int64_t *at)
{
    if (w->cursor >= w->nevents) return 0;
    const w_event *e = &w->events[w->cursor++];
    gn_buf_reset(&w->line);
    gn_buf_append(&w->line, w->arena.data + e->off, e->len);
    *line = w->line.data;
    *len = e->len;
    *at = e->t;
    return 1;
}

static void csv_time(FILE *f, int64_t t)
{
    if (t < 0) return;
    gn_buf b = {0};
    sim_puttime(&b, t);
    fwrite(b.data + 1, 1, b.len - 2, f);
    gn_buf_free(&b);
}

int gn_world_write_truth(gn_world *w, FILE *listings, FILE *sellers, gn_error *err)
{
    static const char *const cond_names[] = {"new", "used", "refurbished"};
    if (listings) {
        fputs("listing,seller,counterfeit,class,tactics,ring,brand,category,condition,price,"
              "currency,reference_usd,created_at,first_order_at,first_sale_at,orders\n",
              listings);
        for (uint32_t i = 0; i < w->nlistings; i++) {
            const w_listing *l = &w->listings[i];
            const w_seller *v = &w->sellers[l->seller];
            fprintf(listings, "L%u,S%u,%d,%s,", i + 1, l->seller + 1, l->fake, class_names[v->cls]);
            int first = 1;
            for (int k = 0; k < NTACTIC; k++)
                if (l->tactics & (1u << k)) {
                    fprintf(listings, "%s%s", first ? "" : "+", tactic_names[k]);
                    first = 0;
                }
            fputc(',', listings);
            if (v->ring >= 0 && !w->rings[v->ring].solo) fprintf(listings, "R%d", v->ring + 1);
            fputc(',', listings);
            if (l->brand >= 0) fprintf(listings, "B%d", l->brand + 1);
            fprintf(listings, ",%s,%s,%.2f,%s,%.2f,", cats[l->cat].name, cond_names[l->cond],
                    l->price, currencies[l->currency].code, l->ref_usd);
            csv_time(listings, l->t);
            fputc(',', listings);
            csv_time(listings, l->first_order);
            fputc(',', listings);
            csv_time(listings, l->first_sale);
            fprintf(listings, ",%u\n", l->orders);
        }
        if (fflush(listings) != 0 || ferror(listings))
            return gn_fail(err, GN_EINPUT, "simulate: writing the listing truth failed");
    }
    if (sellers) {
        fputs("seller,class,counterfeit,ring,created_at\n", sellers);
        for (uint32_t s = 0; s < w->nsellers; s++) {
            const w_seller *v = &w->sellers[s];
            fprintf(sellers, "S%u,%s,%d,", s + 1, class_names[v->cls], v->fake);
            if (v->ring >= 0 && !w->rings[v->ring].solo) fprintf(sellers, "R%d", v->ring + 1);
            fputc(',', sellers);
            csv_time(sellers, v->created);
            fputc('\n', sellers);
        }
        if (fflush(sellers) != 0 || ferror(sellers))
            return gn_fail(err, GN_EINPUT, "simulate: writing the seller truth failed");
    }
    return 0;
}

char *gn_world_summary_json(gn_world *w)
{
    const w_params *p = &w->p;
    gn_buf b = {0};
    gn_buf_printf(&b,
                  "{\"world\":%llu,\"seed\":%llu,\"days\":%d,\"listings\":%u,\"events\":%u,"
                  "\"brands\":%d,\"sellers\":%u,\"rings\":%u,\"parameters\":{",
                  (unsigned long long)w->world, (unsigned long long)w->seed, w->days, w->nlistings,
                  w->nevents, p->nbrands, w->nsellers, w->nrings);
    gn_buf_printf(&b, "\"counterfeit_share\":%.4f,\"class_share\":{", p->fake_share);
    for (int i = 0; i < NHONEST; i++)
        gn_buf_printf(&b, "%s\"%s\":%.3f", i ? "," : "", class_names[i], p->class_share[i]);
    gn_buf_printf(&b, "},\"tactic_weight\":{");
    for (int i = 0; i < NFAKE_TACTIC; i++)
        gn_buf_printf(&b, "%s\"%s\":%.3f", i ? "," : "", tactic_names[i], p->tactic_w[i]);
    gn_buf_printf(&b,
                  "},\"outlet_price\":[%.2f,%.2f],\"used_price\":[%.2f,%.2f],"
                  "\"refurbished_price\":[%.2f,%.2f],\"reseller_price\":[%.2f,1.05],"
                  "\"fake_price\":[%.2f,%.2f],\"deep_discount_price\":[%.2f,%.2f],"
                  "\"plausible_price\":[%.2f,0.97],\"condition_field\":%.3f,"
                  "\"accessory_own_category\":%.3f,\"generic_shops_in_china\":%.3f,"
                  "\"aged_fake_accounts\":%.3f,\"outlet_authorised\":%.3f,\"reseller_official_"
                  "photo\":%.3f,"
                  "\"word_brands\":%.3f,\"new_shops\":%.3f,\"ring_share\":%.3f,"
                  "\"identity_reuse\":%.3f,\"carrier_nat\":%.3f,\"nat_addresses\":%d,"
                  "\"kyc_verified\":%.3f,\"kyc_by_platform\":%.3f,\"fake_reviews\":%.3f,"
                  "\"origin_mismatch\":%.3f,\"audit_rate\":%.4f,\"languages\":[",
                  p->outlet_lo, p->outlet_hi, p->used_lo, p->used_hi, p->refurb_lo, p->refurb_hi,
                  p->reseller_lo, p->fake_lo, p->fake_hi, p->deep_lo, p->deep_hi, p->plausible_lo,
                  p->condition_field_p, p->accessory_category_p, p->cn_generic_p, p->aged_fake_p,
                  p->outlet_authorised_p, p->reseller_official_p, p->word_brand_p, p->new_shop_p,
                  p->ring_share, p->reuse_p, p->nat_share, p->nats, p->kyc_verified_p,
                  p->kyc_platform_p, p->fake_reviews_p, p->origin_mismatch_p, p->audit_rate);
    int shown = 0, seen[NLANG] = {0};
    for (int i = 0; i < p->ncountries; i++) {
        int lang = countries[p->countries[i]].lang;
        if (seen[lang]++) continue;
        gn_buf_printf(&b, "%s\"%s\"", shown++ ? "," : "", lang_code[lang]);
    }
    gn_buf_puts(&b, "],\"countries\":[");
    for (int i = 0; i < p->ncountries; i++)
        gn_buf_printf(&b, "%s\"%s\"", i ? "," : "", countries[p->countries[i]].code);
    gn_buf_puts(&b, "],\"currencies\":[");
    for (int i = 0; i < 4; i++)
        gn_buf_printf(&b, "%s\"%s\"", i ? "," : "", currencies[p->currencies[i]].code);
    gn_buf_puts(&b, "]},\"listings_by_class\":{");
    for (int i = 0; i < NCLASS; i++)
        gn_buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", class_names[i],
                      (unsigned long long)w->by_class[i]);
    gn_buf_puts(&b, "},\"traits\":{");
    for (int i = 0; i < NTACTIC; i++)
        gn_buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", tactic_names[i],
                      (unsigned long long)w->by_tactic[i]);
    gn_buf_puts(&b, "}}");
    return gn_buf_take(&b);
}

int gn_world_listing_is_counterfeit(const gn_world *w, const char *listing_id)
{
    if (!listing_id || listing_id[0] != 'L') return -1;
    char *end;
    unsigned long n = strtoul(listing_id + 1, &end, 10);
    if (*end || n < 1 || n > w->nlistings) return -1;
    return w->listings[n - 1].fake;
}

double gn_world_audit_rate(const gn_world *w)
{
    return w->p.audit_rate;
}
