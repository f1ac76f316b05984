/* A hard, realistic marketplace as a time-ordered stream of contract events,
 * with the ground truth kept aside: the input of `genuine simulate` and of the
 * evaluation of the headline figure (fakes removed before their first sale).
 *
 * Shape: everything that is known in advance (brands, sellers, counterfeit
 * rings and their replacement accounts, every listing's time and content) is
 * planned up front in compact arrays; what follows from an event (orders as a
 * Poisson process per listing, shipments, reviews, reports, complaints, edits)
 * goes into a binary heap keyed by (time, sequence) as it becomes due. Listings
 * themselves come from a time-sorted array merged with the heap, so the heap
 * stays at about one entry per live listing and the output is sorted without
 * holding the events. Text, photos and identities are recomputed from hashes
 * of small seeds instead of being stored.
 *
 * Not in the stream, on purpose: reviewer `verdict` events and bans. Both
 * depend on what the engine decided, so the evaluation harness plays them
 * online. Counterfeit accounts do stop and come back under new accounts, on
 * a lifetime of their own (as if banned or burnt), with ground truth naming
 * the account each one replaces. */
#include "sim/marketplace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "core/rng.h"
#include "sim/gen.h"
#include "sim/world.h"

/* ------------------------------------------------------------------ random */

typedef gn_rng sim_rng;

#define NELEM(a) ((int)(sizeof(a) / sizeof *(a)))
#define PICK(r, a) ((a)[gn_rng_below((r), (uint32_t)NELEM(a))])

/* A hash of a few numbers: derived things (a ring's phone, a brand's photo)
 * are recomputed when needed instead of stored. */
static uint64_t mix3(uint64_t a, uint64_t b, uint64_t c)
{
    uint64_t x = a * 0x9e3779b97f4a7c15ULL ^ b * 0xc2b2ae3d27d4eb4fULL ^ c * 0x165667b19e3779f9ULL;
    (void)gn_splitmix64(&x);
    return gn_splitmix64(&x);
}

static double clampd(double x, double lo, double hi)
{
    return x < lo ? lo : x > hi ? hi : x;
}

/* ------------------------------------------------------------------ the world's tables */

enum { CUR_USD, CUR_EUR, CUR_GBP, CUR_CNY, CUR_JPY, NCUR };
static const char *const cur_code[NCUR] = {"USD", "EUR", "GBP", "CNY", "JPY"};
static const double cur_usd0[NCUR] = {1.0, 1.08, 1.27, 0.139, 0.0067};

typedef struct sim_country {
    const char *code;
    int currency;
    const char *phone;
    const char *cities[6];
} sim_country;

enum {
    C_US,
    C_GB,
    C_DE,
    C_FR,
    C_IT,
    C_ES,
    C_NL,
    C_CN,
    C_HK,
    C_JP,
    C_KR,
    C_TR,
    C_AU,
    C_TH,
    NCOUNTRY
};
static const sim_country countries[NCOUNTRY] = {
    {"US", CUR_USD, "+1", {"New York", "Los Angeles", "Chicago", "Dallas", "Miami", "Seattle"}},
    {"GB", CUR_GBP, "+44", {"London", "Manchester", "Birmingham", "Leeds", "Glasgow"}},
    {"DE", CUR_EUR, "+49", {"Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt"}},
    {"FR", CUR_EUR, "+33", {"Paris", "Lyon", "Marseille", "Lille"}},
    {"IT", CUR_EUR, "+39", {"Milan", "Rome", "Florence", "Naples"}},
    {"ES", CUR_EUR, "+34", {"Madrid", "Barcelona", "Valencia"}},
    {"NL", CUR_EUR, "+31", {"Amsterdam", "Rotterdam", "Venlo"}},
    {"CN", CUR_CNY, "+86", {"Shanghai", "Beijing", "Hangzhou", "Guangzhou", "Shenzhen", "Yiwu"}},
    {"HK", CUR_USD, "+852", {"Hong Kong"}},
    {"JP", CUR_JPY, "+81", {"Tokyo", "Osaka", "Nagoya"}},
    {"KR", CUR_USD, "+82", {"Seoul", "Busan", "Incheon"}},
    {"TR", CUR_USD, "+90", {"Istanbul", "Izmir", "Ankara"}},
    {"AU", CUR_USD, "+61", {"Sydney", "Melbourne", "Brisbane"}},
    {"TH", CUR_USD, "+66", {"Bangkok", "Chiang Mai"}},
};
/* Where genuine sellers and (claimed) counterfeit shops are, in percent. */
static const double genuine_country_w[NCOUNTRY] = {24, 9, 8, 7, 7, 4, 3, 20, 4, 5, 3, 2, 3, 1};
static const double ring_country_w[NCOUNTRY] = {9, 4, 0, 1, 5, 0, 0, 52, 15, 0, 2, 8, 0, 4};

static int ncities(int country)
{
    int n = 0;
    while (n < 6 && countries[country].cities[n])
        n++;
    return n;
}

/* Where counterfeit goods leave from: a few facilities in a few cities, shared
 * by many rings (and used by some honest consolidators, too). */
typedef struct sim_hotspot {
    int country;
    const char *city, *facility;
} sim_hotspot;
static const sim_hotspot hotspots[] = {
    {C_CN, "Guangzhou", "Baiyun Logistics Park 3"},
    {C_CN, "Guangzhou", "Baiyun Logistics Park 7"},
    {C_CN, "Putian", "Xiuyu Consolidation Warehouse"},
    {C_CN, "Putian", "Licheng Parcel Depot 2"},
    {C_CN, "Yiwu", "Futian Market Cargo Centre"},
    {C_CN, "Shenzhen", "Longgang Parcel Hub 5"},
    {C_CN, "Dongguan", "Humen Export Warehouse"},
    {C_TR, "Istanbul", "Laleli Cargo Depot"},
    {C_TH, "Bangkok", "Pratunam Cargo 1"},
    {C_HK, "Hong Kong", "Kwai Chung Consolidation 9"},
};
#define NHOTSPOT NELEM(hotspots)

typedef struct sim_category {
    const char *name;
    double lo, hi; /* reference prices in USD, cheapest and dearest brand */
    int group;
    const char *nouns[6];
} sim_category;

enum { G_FASHION, G_WATCH, G_EYEWEAR, G_BEAUTY, G_ELECTRONICS, NGROUP };
static const sim_category categories[] = {
    {"handbags",
     250,
     9500,
     G_FASHION,
     {"Shoulder Bag", "Tote Bag", "Crossbody Bag", "Top Handle Bag", "Clutch", "Bucket Bag"}},
    {"wallets",
     90,
     1200,
     G_FASHION,
     {"Zip Around Wallet", "Card Holder", "Bifold Wallet", "Long Wallet", "Coin Purse"}},
    {"belts", 80, 900, G_FASHION, {"Leather Belt", "Reversible Belt", "Buckle Belt"}},
    {"sneakers",
     70,
     1500,
     G_FASHION,
     {"Sneakers", "Running Shoes", "High Top Sneakers", "Low Top Trainers", "Slides"}},
    {"apparel",
     40,
     3000,
     G_FASHION,
     {"Hoodie", "T-Shirt", "Track Jacket", "Puffer Jacket", "Polo Shirt", "Cardigan"}},
    {"scarves", 60, 900, G_FASHION, {"Silk Scarf", "Cashmere Scarf", "Wool Shawl"}},
    {"watches",
     150,
     20000,
     G_WATCH,
     {"Automatic Watch", "Chronograph", "Dive Watch", "Dress Watch", "GMT Watch"}},
    {"jewellery", 90, 15000, G_WATCH, {"Bracelet", "Necklace", "Ring", "Earrings", "Pendant"}},
    {"sunglasses",
     90,
     700,
     G_EYEWEAR,
     {"Aviator Sunglasses", "Square Sunglasses", "Round Sunglasses", "Cat Eye Sunglasses"}},
    {"perfume",
     45,
     450,
     G_BEAUTY,
     {"Eau de Parfum 100ml", "Eau de Toilette 50ml", "Parfum 75ml", "Body Mist 250ml"}},
    {"cosmetics",
     20,
     150,
     G_BEAUTY,
     {"Lipstick", "Foundation", "Eyeshadow Palette", "Face Cream 50ml", "Mascara"}},
    {"headphones",
     60,
     600,
     G_ELECTRONICS,
     {"Wireless Earbuds", "Noise Cancelling Headphones", "Over-Ear Headphones"}},
    {"phones",
     250,
     1600,
     G_ELECTRONICS,
     {"Smartphone 256GB", "Smartphone 128GB", "Foldable Phone 512GB"}},
    {"chargers",
     20,
     90,
     G_ELECTRONICS,
     {"USB-C Charger 20W", "Charging Cable 1m", "Wireless Charger", "Power Bank 10000mAh"}},
    {"smartwatches",
     150,
     900,
     G_ELECTRONICS,
     {"Smartwatch 45mm", "Fitness Tracker", "Smartwatch GPS 41mm"}},
};
#define NCAT NELEM(categories)
#define CAT_ACCESSORIES 255 /* "compatible with" goods: category "accessories", no reference */

static int nnouns(int cat)
{
    int n = 0;
    while (n < 6 && categories[cat].nouns[n])
        n++;
    return n;
}

static const char *const colours[] = {"Black",  "White",    "Beige", "Brown", "Navy",
                                      "Red",    "Green",    "Pink",  "Grey",  "Gold",
                                      "Silver", "Burgundy", "Cream", "Blue"};
/* What a product is made of, or the detail a shop adds, by group. */
static const char *const details[NGROUP][6] = {
    {"Calfskin", "Lambskin", "Canvas", "Suede", "Cotton", "Patent Leather"},
    {"Stainless Steel", "Titanium", "18k Gold", "Ceramic", "Rose Gold", "Sterling Silver"},
    {"Acetate", "Metal Frame", "Polarized", "Titanium", "UV400", "Gradient Lens"},
    {"Long Lasting", "Vegan", "Travel Size", "Gift Set", "Limited Edition", "Refillable"},
    {"Unlocked", "Bluetooth 5.3", "Fast Charging", "2025 Model", "Dual SIM", "Water Resistant"},
};
static const char *const lines[] = {
    "Aurora",  "Classic", "Heritage", "Signature", "Icon", "Monogram", "Vintage 1955", "Edge",
    "Horizon", "Legacy",  "Studio",   "Voyager",   "Nova", "Prime",    "Riviera",      "Atelier"};
static const char *const lingo[] = {
    "Replica", "1:1",  "AAA", "AAA Grade", "Mirror Quality", "Top Quality Copy", "Super Fake",
    "高仿",    "复刻", "A货", "Réplique",  "UA Quality",     "7A Quality",       "Master Copy"};
static const char *const unnamed_titles[] = {
    "Luxury Designer %s %s Famous Brand", "Top Brand %s %s With Box",
    "Designer Style %s %s Original Packaging", "High End %s %s Same As Store"};
static const char *const generic_titles[] = {"%s %s, Classic Style", "Women's %s %s Large Capacity",
                                             "Unisex %s %s for Everyday", "%s %s Minimalist Design",
                                             "Vintage Style %s %s"};
static const char *const compat_items[NGROUP][3] = {
    {"Bag Organizer Insert for", "Dust Bag compatible with", "Shoe Trees compatible with"},
    {"Replacement Strap 20mm compatible with", "Watch Winder Box for", "Screen Protector for"},
    {"Replacement Lenses compatible with", "Hard Case for", "Nose Pads compatible with"},
    {"Travel Atomizer compatible with", "Refill Bottle for", "Makeup Organizer for"},
    {"Protective Case compatible with", "Replacement Ear Tips for",
     "Charging Dock compatible with"},
};

static const char *const d_common[] = {"Ships within 24 hours.",
                                       "Free shipping on orders over 50.",
                                       "Please check the size chart before ordering.",
                                       "Colours may vary slightly with your screen.",
                                       "Message us with any questions, we answer within a day.",
                                       "Packed with care in a sturdy box.",
                                       "Combined shipping for several items."};
static const char *const d_retail[] = {
    "Authentic %s product, bought directly from the brand.",
    "Comes with original box, dust bag and receipt.", "30-day returns, no questions asked.",
    "Serial number shown on request.", "Brand new, this season's collection."};
static const char *const d_outlet[] = {"Clearance sale: last season's stock, brand new with tags.",
                                       "Outlet price, limited quantities, no rain checks.",
                                       "Overstock from our boutique, all sales final."};
static const char *const d_used[] = {
    "Pre-owned in good condition, light signs of wear.", "Authenticated by our in-house expert.",
    "Sold as is, see photos for details.", "From a smoke-free home."};
static const char *const d_generic[] = {"No brand. Sturdy stitching and a lined interior.",
                                        "Great value everyday item.",
                                        "Timeless shape that goes with everything.",
                                        "Made in our partner factory, inspected before shipping."};
static const char *const d_fake[] = {"Top quality, same as the original.",
                                     "Comes with box, dust bag and cards.",
                                     "100%% authentic.",
                                     "Best price on the market, limited stock!",
                                     "Perfect details, hardware identical to the store version.",
                                     "Contact us on WhatsApp for more models.",
                                     "Real leather, original packaging, fast delivery."};
static const char *const d_negated[] = {
    "100% authentic, not a replica and never a 1:1 copy.",
    "We never sell AAA or replica goods, everything is genuine."};

static const char *const seller_words1[] = {
    "Urban", "Golden", "Maple",   "Silver", "Royal",   "Blue", "Grand", "Little", "Happy",
    "Luxe",  "Modern", "Vintage", "City",   "Coastal", "Star", "Lucky", "Prime",  "Elite"};
static const char *const seller_words2[] = {
    "Lane",   "Closet", "Corner", "House",   "Gallery", "Trading",    "Market",     "Wardrobe",
    "Studio", "Vault",  "Bazaar", "Atelier", "Depot",   "Outfitters", "Collective", "Emporium"};
static const char *const seller_words3[] = {"Boutique", "Store",          "Shop",    "Co.",
                                            "Ltd",      "Official Store", "Fashion", "Online",
                                            "Direct",   "Outlet",         "Luxury"};
static const char *const user_agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/130.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 Version/17.5 "
    "Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/129.0 Mobile "
    "Safari/537.36",
    "SellerApp/5.12 (Android 13; Redmi Note 12)",
    "SellerApp/5.12 (iOS 17.4; iPhone14,2)"};
static const char *const carriers_asia[] = {"Yanwen", "4PX", "Cainiao", "YunExpress", "SF Express"};
static const char *const carriers_west[] = {"DHL",  "UPS",        "FedEx",    "DPD",
                                            "USPS", "Royal Mail", "La Poste", "Japan Post"};
static const char *const facility_kinds[] = {"Fulfilment Centre", "Parcel Hub", "Warehouse",
                                             "Depot", "Logistics Park"};
static const char *const streets[] = {"Market", "Station", "Harbour",    "Park",   "Mill",
                                      "Church", "Bridge",  "Industrial", "Garden", "Commerce"};
static const char *const report_reasons[] = {"counterfeit", "suspicious_price", "misleading_brand",
                                             "poor_quality"};
static const char *const report_texts[] = {
    "This looks fake, the logo is wrong.",
    "Price is far too low for the real thing.",
    "Received item, stitching and tag are not like the original.",
    "Seller says authentic but photos are stock images.",
    "Brand name in the title is spelt strangely.",
    "Box arrived without any serial number."};
static const char *const review_good[] = {
    "Great quality, fast shipping.", "Exactly as pictured, very happy.",
    "Lovely item, well packed.", "Works perfectly, recommended seller.",
    "Perfect!! Same as in the store, five stars."};
static const char *const review_mid[] = {"OK for the price.", "Took a while to arrive.",
                                         "Smaller than expected.", "Decent, some loose threads."};
static const char *const review_bad[] = {
    "Not authentic!! logo is crooked.", "FAKE. Requested a refund.",
    "Poor quality, smells of glue.", "Broke after a week.", "Not as described."};

/* ------------------------------------------------------------------ tactics and kinds */

/* One bit per trait of a listing; the truth file lists them by name. Fakes
 * combine one price, one naming and one photo tactic with optional extras;
 * genuine listings carry their kind and any trait that makes them look bad. */
enum {
    T_STEEP = 1u << 0,           /* fake at 5-20% of the reference */
    T_MODERATE = 1u << 1,        /* fake at 50-70% (30-50% off) */
    T_FULL_PRICE = 1u << 2,      /* fake at 80-105%: nothing to see in the price */
    T_NAMED = 1u << 3,           /* brand written plainly */
    T_MISSPELT = 1u << 4,        /* "Guchi" */
    T_LOOKALIKE = 1u << 5,       /* Cyrillic/Greek twins, "G-u-c-c-i", "R0LEX" */
    T_UNNAMED = 1u << 6,         /* no brand in the text: photos only */
    T_BAIT_SWITCH = 1u << 7,     /* listed clean, brand and official photo added by an edit */
    T_OFFICIAL_EXACT = 1u << 8,  /* the brand's own photo, same hash */
    T_OFFICIAL_NEAR = 1u << 9,   /* the brand's own photo re-encoded: a few bits off */
    T_RING_PHOTO = 1u << 10,     /* the ring's own photos, reused across its accounts */
    T_OWN_PHOTO = 1u << 11,      /* fresh photos of its own */
    T_LINGO = 1u << 12,          /* "replica", "1:1", "高仿" … */
    T_SCRUB = 1u << 13,          /* lingo removed by a later edit */
    T_FAKE_REVIEWS = 1u << 14,   /* orders and 5-star reviews from accounts linked to the seller */
    T_CLAIMS_BRAND = 1u << 15,   /* the `brand` field names the brand */
    K_RETAIL = 1u << 16,         /* genuine, full price */
    K_AUTHORIZED = 1u << 17,     /* by one of the brand's authorised sellers */
    K_OUTLET = 1u << 18,         /* genuine at 30-60% off: outlet or clearance */
    K_SECONDHAND = 1u << 19,     /* genuine, used */
    K_GENERIC = 1u << 20,        /* unbranded look-alike goods */
    K_COMPATIBLE = 1u << 21,     /* "compatible with <Brand>" accessories */
    K_OFFICIAL_PHOTO = 1u << 22, /* genuine but not authorised, with the brand's photo */
    K_TYPO = 1u << 23,           /* genuine with the brand honestly misspelt */
    K_NEGATED_LINGO = 1u << 24,  /* genuine saying "not a replica" */
    K_GREY = 1u << 25,           /* genuine, authorized_only brand, seller not authorised */
    K_SUPPLIER_PHOTO = 1u << 26, /* generic with a photo shared by many sellers */
    T_PRICE_EDIT = 1u << 27,     /* price changed by an edit (any listing) */
    T_NEAR_FAR = 1u << 28,       /* official photo edited past the matcher's reach (24-40 bits) */
    NTACTIC = 29
};
static const char *const tactic_names[NTACTIC] = {"steep_discount",
                                                  "moderate_discount",
                                                  "full_price_fake",
                                                  "brand_named",
                                                  "misspelt",
                                                  "lookalike",
                                                  "unnamed",
                                                  "bait_switch",
                                                  "official_photo",
                                                  "official_photo_near",
                                                  "ring_photo",
                                                  "own_photo",
                                                  "lingo",
                                                  "lingo_scrubbed",
                                                  "fake_reviews",
                                                  "claims_brand",
                                                  "retail",
                                                  "authorized",
                                                  "outlet",
                                                  "secondhand",
                                                  "generic",
                                                  "compatible",
                                                  "official_photo_unauthorized",
                                                  "honest_typo",
                                                  "negated_lingo",
                                                  "grey_market",
                                                  "supplier_photo",
                                                  "price_edit",
                                                  "official_photo_far"};

enum {
    SC_RETAILER,
    SC_OUTLET,
    SC_SECONDHAND,
    SC_GENERIC,
    SC_ACCESSORY,
    SC_HYBRID,
    SC_RING,
    SC_SOLO,
    NSC
};
static const char *const class_names[NSC] = {"retailer",  "outlet", "secondhand", "generic",
                                             "accessory", "hybrid", "ring",       "solo"};

/* Kinds of identity value; the ring's pools and every account draw from them. */
enum {
    ID_DEVICE,
    ID_NETWORK,
    ID_IP,
    ID_PHONE,
    ID_EMAIL,
    ID_BANK,
    ID_PAY,
    ID_ADDRESS,
    ID_TAX,
    ID_PROXY,
    ID_CGNAT
};

/* ------------------------------------------------------------------ the entities */

typedef struct sim_brand {
    char name[24];
    char alias_cjk[16];
    double ref_usd[3];
    int ref_local[3];
    double tier;
    uint32_t auth[8];
    uint32_t *pending; /* fakes the rights holder has found, not yet in a complaint */
    uint32_t npending, cappending;
    uint32_t owner;
    uint8_t ncat, cat[3], currency, authorized_only, nofficial, nauth, flush_due, group;
} sim_brand;

typedef struct sim_ring {
    uint64_t photo_seed;
    uint32_t pub, puppet_first, npuppets;
    uint16_t brands[6];
    uint8_t ndev, nnet, nip, nphone, npay, nbank, solo, country, norigin, nbrands;
    uint8_t origin[2];
} sim_ring;

typedef struct sim_seller {
    int64_t created, active_from, active_until, last_session, win_start;
    uint32_t pub, sibling, nlistings, nfakes, norders, nreviews, win_count, puppet_first;
    int32_t ring, comeback_of;
    float weight, rating, returns, disputes, response, signup_risk, history;
    uint16_t brands[6];
    uint8_t nbrands, cls, country, currency, custom, verify, npuppets;
    /* Ring accounts: which of the ring's values they use (bit masks / indexes);
     * 0 or -1 means one of their own. */
    uint8_t dev, net, ipm;
    int8_t phone, pay, bank;
} sim_seller;

typedef struct sim_listing {
    int64_t t, first_order, first_sale;
    uint64_t seed;
    uint32_t seller, tactics, norders, nviews;
    float price, ref_usd, lambda;
    uint16_t brand;
    uint8_t cat, currency, fake, scrubbed, switched, quantity;
} sim_listing;
#define NO_BRAND 0xFFFF

/* Things that happen later, in the heap. */
enum {
    E_RATE,
    E_BRAND,
    E_RIGHT,
    E_RIGHT_CHECKED,
    E_SELLER,
    E_REFRESH,
    E_ATTR,
    E_VERIFY,
    E_SESSION,
    E_PUPPET_SESSION,
    E_UPDATE,
    E_ORDER,
    E_SHIP,
    E_REVIEW,
    E_REPORT,
    E_COMPLAINT_ADD,
    E_COMPLAINT_FLUSH,
};

typedef struct sim_due {
    int64_t t;
    uint32_t seq;
    uint32_t a, b, c;
    uint8_t kind, x;
} sim_due;

enum {
    TY_RATE,
    TY_BRAND,
    TY_RIGHT,
    TY_SELLER,
    TY_VERIF,
    TY_SESSION,
    TY_ATTR,
    TY_LISTING,
    TY_ORDER,
    TY_REVIEW,
    TY_SHIPMENT,
    TY_REPORT,
    TY_COMPLAINT,
    TY_VERDICT,
    NTY
};
static const char *const type_names[NTY] = {"rate",
                                            "brand",
                                            "ip_right",
                                            "seller",
                                            "seller_verification",
                                            "session",
                                            "seller_attribute",
                                            "listing",
                                            "order",
                                            "review",
                                            "shipment",
                                            "report",
                                            "complaint",
                                            "verdict"};

struct gn_sim {
    gn_sim_options o;
    gn_world *world; /* --world N: the stream and truth come from there */
    sim_rng rng;
    int64_t t0, tend, now;
    int64_t clock; /* time of the event being handled: nothing is scheduled before it */
    uint32_t nbrands, nsellers, nrings, nlistings, nbuyers, npuppets;
    sim_brand *brands;
    double *brand_cum, *fake_brand_cum;
    sim_ring *rings;
    sim_seller *sellers;
    sim_listing *listings;
    uint32_t *puppets;      /* buyer numbers of accounts that sellers control */
    uint32_t *puppet_owner; /* seller (genuine friends) or ring (with the top bit) */
    uint8_t *buyer_taken;   /* bitmap: buyer numbers held by puppets */
    double *rates;          /* [day][currency], day 0 is the catalog's */
    sim_due *heap;
    size_t nheap, capheap;
    uint32_t seq, cursor;
    uint64_t next_event, next_order, next_review, next_report, next_complaint;
    gn_buf line, tmp, tmp2;
    char variant[96]; /* how the last listing text wrote the brand */
    uint64_t by_type[NTY], updates, brushing, tactic_count[NTACTIC], fake_count;
    uint64_t class_listings[NSC], comebacks;
};

/* ------------------------------------------------------------------ the heap */

static int due_before(const sim_due *x, const sim_due *y)
{
    return x->t < y->t || (x->t == y->t && x->seq < y->seq);
}

static void due_push(gn_sim *s, int64_t t, int kind, int x, uint32_t a, uint32_t b, uint32_t c)
{
    if (t >= s->tend) return;       /* past the end of the stream: never happens */
    if (t < s->clock) t = s->clock; /* what follows an event never comes before it */
    if (s->nheap == s->capheap) {
        s->capheap = s->capheap ? s->capheap * 2 : 1 << 16;
        sim_due *h = gn_xrealloc(s->heap, s->capheap * sizeof *h);
        s->heap = h;
    }
    sim_due d = {
        .t = t, .seq = s->seq++, .a = a, .b = b, .c = c, .kind = (uint8_t)kind, .x = (uint8_t)x};
    /* a 4-ary heap: half the depth of a binary one, and the children of a
     * node share cache lines; the heap outgrows the caches at 1M listings */
    size_t i = s->nheap++;
    while (i > 0) {
        size_t p = (i - 1) / 4;
        if (!due_before(&d, &s->heap[p])) break;
        s->heap[i] = s->heap[p];
        i = p;
    }
    s->heap[i] = d;
}

static sim_due due_pop(gn_sim *s)
{
    sim_due top = s->heap[0], last = s->heap[--s->nheap];
    size_t i = 0, n = s->nheap;
    for (;;) {
        size_t c = 4 * i + 1, end = c + 4 < n ? c + 4 : n;
        if (c >= n) break;
        size_t best = c;
        for (size_t k = c + 1; k < end; k++)
            if (due_before(&s->heap[k], &s->heap[best])) best = k;
        if (!due_before(&s->heap[best], &last)) break;
        s->heap[i] = s->heap[best];
        i = best;
    }
    if (n) s->heap[i] = last;
    return top;
}

/* ------------------------------------------------------------------ writing */

/* Starts an event line: {"type":..,"id":..,"at":.. */
static void begin(gn_sim *s, int type, int64_t t)
{
    gn_buf *b = &s->line;
    gn_buf_reset(b);
    SIM_PUTL(b, "{\"type\":\"");
    sim_puts(b, type_names[type]);
    SIM_PUTL(b, "\",\"id\":");
    sim_putid(b, 'e', ++s->next_event);
    SIM_PUTL(b, ",\"at\":");
    sim_puttime(b, t);
    s->by_type[type]++;
}
static void field(gn_buf *b, const char *name)
{
    SIM_PUTL(b, ",\"");
    sim_puts(b, name);
    SIM_PUTL(b, "\":");
}

/* ------------------------------------------------------------------ photos */

typedef struct sim_pdq {
    uint64_t w[4];
} sim_pdq;

static sim_pdq pdq_of(uint64_t key)
{
    sim_pdq h;
    for (int i = 0; i < 4; i++)
        h.w[i] = gn_splitmix64(&key);
    return h;
}

/* A re-encoded, resized or cropped copy of a photo hashes a few bits away. */
static sim_pdq pdq_flip(sim_pdq h, sim_rng *r, int bits)
{
    for (int i = 0; i < bits; i++) {
        uint32_t bit = gn_rng_below(r, 256);
        h.w[bit >> 6] ^= 1ULL << (bit & 63);
    }
    return h;
}

static sim_pdq official_photo(const gn_sim *s, uint32_t brand, uint32_t k)
{
    return pdq_of(mix3(s->o.seed ^ 0x0ff1c1a1ULL, brand, k));
}

static void putpdq(gn_buf *b, sim_pdq h)
{
    SIM_PUTL(b, "{\"pdq\":\"");
    for (int i = 0; i < 4; i++)
        sim_puthex(b, h.w[i], 16);
    SIM_PUTL(b, "\"}");
}

/* ------------------------------------------------------------------ brand names */

static const char *const onsets[] = {"b", "br", "c", "ch", "d", "f", "g", "gr", "l", "m",  "n",
                                     "p", "r",  "s", "st", "t", "v", "z", "k",  "j", "tr", "pr"};
static const char *const vowels[] = {"a", "e", "i",  "o",  "u",  "a",
                                     "e", "o", "ai", "ia", "eo", "au"};
static const char *const codas[] = {"", "", "", "n", "r", "l", "s", "x", "m", "tt", "ll", "nt"};
static const char *const cjk[] = {"古", "驰", "迪", "奥", "莱", "雅", "诗", "兰", "宝", "格",
                                  "丽", "芙", "娜", "蒂", "凯", "贝", "尔", "琳", "思", "薇"};

static void make_brand_name(sim_rng *r, char out[24])
{
    do {
        out[0] = 0;
        int syll = gn_rng_chance(r, 0.6) ? 2 : 3;
        for (int i = 0; i < syll; i++) {
            strcat(out, PICK(r, onsets));
            strcat(out, PICK(r, vowels));
            if (i == syll - 1 || gn_rng_chance(r, 0.3)) strcat(out, PICK(r, codas));
        }
    } while (strlen(out) < 5 || strlen(out) > 11);
    out[0] = (char)(out[0] - 'a' + 'A');
}

/* One or two letters off, the way counterfeiters dodge a keyword filter. */
static void misspell(sim_rng *r, const char *name, char *out)
{
    size_t n = strlen(name);
    for (;;) {
        strcpy(out, name);
        int edits = gn_rng_chance(r, 0.75) ? 1 : 2;
        for (int e = 0; e < edits; e++) {
            size_t m = strlen(out), i = 1 + gn_rng_below(r, (uint32_t)(m - 1));
            switch (gn_rng_below(r, 5)) {
            case 0: /* doubled */
                memmove(out + i + 1, out + i, m - i + 1);
                break;
            case 1: /* dropped */
                if (m > 4) memmove(out + i, out + i + 1, m - i);
                break;
            case 2: /* swapped */
                if (i + 1 < m) {
                    char c = out[i];
                    out[i] = out[i + 1];
                    out[i + 1] = c;
                }
                break;
            case 3: { /* a vowel changed */
                static const char v[] = "aeiouy";
                if (strchr(v, out[i]))
                    out[i] = v[gn_rng_below(r, 6)];
                else
                    out[i] = out[i] == 'c' ? 'k' : out[i] == 's' ? 'z' : 'y';
                break;
            }
            default: /* sounds alike */
                out[i] = out[i] == 'i' ? 'y' : out[i] == 'c' ? 'k' : out[i] == 'k' ? 'c' : 'h';
            }
        }
        if (strcmp(out, name) != 0 && strlen(out) >= n - 1) return;
    }
}

/* Latin letters swapped for Cyrillic or Greek twins, or the name split up. */
static const char *twin_of(char c)
{
    switch (c) {
    case 'a':
        return "а"; /* U+0430 */
    case 'c':
        return "с";
    case 'e':
        return "е";
    case 'i':
        return "і";
    case 'o':
        return "о";
    case 'p':
        return "р";
    case 'x':
        return "х";
    case 'y':
        return "у";
    case 'A':
        return "Α"; /* Greek */
    case 'B':
        return "Β";
    case 'E':
        return "Ε";
    case 'H':
        return "Η";
    case 'K':
        return "Κ";
    case 'M':
        return "Μ";
    case 'N':
        return "Ν";
    case 'O':
        return "Ο";
    case 'P':
        return "Ρ";
    case 'T':
        return "Τ";
    case 'X':
        return "Χ";
    case 'Z':
        return "Ζ";
    default:
        return NULL;
    }
}

static void lookalike(sim_rng *r, const char *name, char *out)
{
    size_t n = strlen(name), o = 0;
    int style = (int)gn_rng_below(r, 5);
    if (style == 0 || style == 1) { /* G-u-c-c-i, G.U.C.C.I, G U C C I */
        char sep = style == 0 ? '-' : gn_rng_chance(r, 0.5) ? '.' : ' ';
        for (size_t i = 0; i < n; i++) {
            if (i) out[o++] = sep;
            out[o++] =
                style == 1 && name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 32) : name[i];
        }
        out[o] = 0;
        return;
    }
    if (style == 2) { /* digits for letters: R0LEX, N1KE */
        int done = 0;
        for (size_t i = 0; i < n; i++) {
            char c = name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 32) : name[i];
            if (!done && i > 0 && (c == 'O' || c == 'I' || c == 'E' || c == 'A' || c == 'S')) {
                c = c == 'O' ? '0' : c == 'I' ? '1' : c == 'E' ? '3' : c == 'A' ? '4' : '5';
                done = 1;
            }
            out[o++] = c;
        }
        out[o] = 0;
        if (done) return;
        o = 0;
    }
    /* one or two twins, in place; upper case for style 4 */
    int upper = style == 4, left = gn_rng_chance(r, 0.6) ? 1 : 2, placed = 0;
    for (size_t i = 0; i < n; i++) {
        char c = upper && name[i] >= 'a' && name[i] <= 'z' ? (char)(name[i] - 32) : name[i];
        const char *twin = twin_of(c);
        if (twin && left > 0 && (gn_rng_chance(r, 0.4) || (i + 2 >= n && !placed))) {
            size_t tl = strlen(twin);
            memcpy(out + o, twin, tl);
            o += tl;
            left--;
            placed = 1;
            continue;
        }
        out[o++] = c;
    }
    out[o] = 0;
    if (!placed) { /* no letter with a twin: split it instead */
        o = 0;
        for (size_t i = 0; i < n; i++) {
            if (i) out[o++] = '-';
            out[o++] = name[i];
        }
        out[o] = 0;
    }
}

/* ------------------------------------------------------------------ prices */

/* A price as shops write it: whole yuan and yen, otherwise .99/.95/.00, and
 * round fives above 200. */
static double shop_price(double x, int currency, sim_rng *r)
{
    if (currency == CUR_CNY || currency == CUR_JPY) return x < 1 ? 1 : floor(x + 0.5);
    if (x >= 200) return floor(x / 5 + 0.5) * 5 - (gn_rng_chance(r, 0.3) ? 0.01 : 0);
    double whole = floor(x);
    static const double ends[] = {0.0, 0.95, 0.99, 0.99, 0.5};
    return whole >= 1 ? whole + PICK(r, ends) : floor(x * 100 + 0.5) / 100;
}

static double rate_on(const gn_sim *s, int64_t t, int currency)
{
    int64_t day = t < s->t0 ? 0 : (t - s->t0) / 86400 + 1;
    if (day > s->o.days) day = s->o.days;
    return s->rates[day * NCUR + currency];
}

/* ------------------------------------------------------------------ planning: catalog */

static uint32_t pick_cum(sim_rng *r, const double *cum, uint32_t n)
{
    double x = gn_rng_unit(r) * cum[n - 1];
    uint32_t lo = 0, hi = n - 1;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (cum[mid] > x)
            hi = mid;
        else
            lo = mid + 1;
    }
    return lo;
}

static void plan_rates(gn_sim *s)
{
    for (int c = 0; c < NCUR; c++)
        s->rates[c] = cur_usd0[c];
    for (int d = 1; d <= s->o.days; d++)
        for (int c = 0; c < NCUR; c++) {
            double prev = s->rates[(d - 1) * NCUR + c];
            s->rates[d * NCUR + c] = c == CUR_USD ? 1.0 : prev * (1 + 0.004 * sim_normal(&s->rng));
        }
}

static void plan_brands(gn_sim *s)
{
    sim_rng *r = &s->rng;
    static const double group_w[NGROUP] = {48, 16, 8, 12, 16};
    static const double currency_w[NCUR] = {45, 38, 10, 0, 7};
    uint32_t conglomerates = s->nbrands / 25 + 3;
    double cum = 0, fcum = 0;
    for (uint32_t i = 0; i < s->nbrands; i++) {
        sim_brand *b = &s->brands[i];
        for (;;) { /* unique names: a name that appears twice would make truth ambiguous */
            make_brand_name(r, b->name);
            uint32_t j = 0;
            while (j < i && strcasecmp(s->brands[j].name, b->name) != 0)
                j++;
            if (j == i) break;
        }
        b->alias_cjk[0] = 0;
        for (int k = 0; k < 2 + (int)gn_rng_below(r, 2); k++)
            strcat(b->alias_cjk, PICK(r, cjk));
        b->group = (uint8_t)sim_pick(r, group_w, NGROUP);
        b->tier = clampd(pow(gn_rng_unit(r), 0.8), 0, 1);
        int ingroup[NCAT], n = 0;
        for (int c = 0; c < NCAT; c++)
            if (categories[c].group == b->group) ingroup[n++] = c;
        b->ncat = (uint8_t)(1 + gn_rng_below(r, (uint32_t)(n < 3 ? n : 3)));
        for (int k = 0; k < b->ncat; k++) {
            int c;
            int dup;
            do {
                c = ingroup[gn_rng_below(r, (uint32_t)n)];
                dup = 0;
                for (int m = 0; m < k; m++)
                    dup |= b->cat[m] == c;
            } while (dup);
            b->cat[k] = (uint8_t)c;
        }
        b->currency = (uint8_t)sim_pick(r, currency_w, NCUR);
        for (int k = 0; k < b->ncat; k++) {
            const sim_category *c = &categories[b->cat[k]];
            double t = clampd(b->tier + 0.08 * sim_normal(r), 0, 1);
            double usd = c->lo * pow(c->hi / c->lo, t);
            double local = usd / cur_usd0[b->currency];
            int whole = local >= 1000 ? (int)(floor(local / 50 + 0.5) * 50)
                                      : (int)(floor(local / 5 + 0.5) * 5);
            b->ref_local[k] = whole < 1 ? 1 : whole;
            b->ref_usd[k] = b->ref_local[k] * cur_usd0[b->currency];
        }
        b->authorized_only = gn_rng_chance(r, 0.12 + 0.1 * b->tier);
        b->nofficial = (uint8_t)sim_range(r, 2, 4);
        b->owner = gn_rng_chance(r, 0.3) ? gn_rng_below(r, conglomerates) : conglomerates + i;
        double pop = 1.0 / pow(i + 1.0, 0.9);
        cum += pop;
        /* counterfeiters go where the money is: popular and dear brands */
        fcum += pop * (0.3 + 3 * b->tier * b->tier);
        s->brand_cum[i] = cum;
        s->fake_brand_cum[i] = fcum;
    }
}

/* ------------------------------------------------------------------ planning: sellers */

static int64_t days_s(double d)
{
    return (int64_t)(d * 86400);
}

static uint32_t new_puppet(gn_sim *s, uint32_t owner)
{
    uint32_t buyer;
    do
        buyer = 1 + gn_rng_below(&s->rng, s->nbuyers);
    while (s->buyer_taken[buyer >> 3] & (1u << (buyer & 7)));
    s->buyer_taken[buyer >> 3] |= (uint8_t)(1u << (buyer & 7));
    s->puppets[s->npuppets] = buyer;
    s->puppet_owner[s->npuppets] = owner;
    return s->npuppets++;
}

/* An ordinary shopper, never one of the puppets: popular shoppers buy more. */
static uint32_t shopper(gn_sim *s)
{
    uint32_t buyer;
    do {
        double u = gn_rng_unit(&s->rng);
        buyer = 1 + (uint32_t)(u * u * (s->nbuyers - 1));
    } while (s->buyer_taken[buyer >> 3] & (1u << (buyer & 7)));
    return buyer;
}

static void seller_bases(gn_sim *s, sim_seller *v, int fake)
{
    sim_rng *r = &s->rng;
    /* What the platform knows about a shop, as numbers: different by class,
     * overlapping on purpose (puppet reviews lift a fake shop's rating). */
    if (!fake) {
        v->rating = (float)clampd(4.75 - fabs(0.3 * sim_normal(r)), 1, 5);
        v->returns = (float)clampd(0.03 * sim_lognormal(r, 0, 0.6), 0, 0.9);
        v->disputes = (float)clampd(0.004 * sim_lognormal(r, 0, 0.9), 0, 0.5);
        v->response = (float)clampd(sim_lognormal(r, log(7), 0.8), 0.1, 96);
        v->signup_risk = (float)clampd(0.22 + 0.14 * sim_normal(r), 0, 1);
    } else {
        v->rating = (float)clampd(4.55 - fabs(0.45 * sim_normal(r)), 1, 5);
        v->returns = (float)clampd(0.06 * sim_lognormal(r, 0, 0.7), 0, 0.9);
        v->disputes = (float)clampd(0.015 * sim_lognormal(r, 0, 0.9), 0, 0.5);
        v->response = (float)clampd(sim_lognormal(r, log(2.5), 0.9), 0.1, 96);
        v->signup_risk = (float)clampd(0.42 + 0.18 * sim_normal(r), 0, 1);
    }
}

static void plan_genuine_sellers(gn_sim *s, uint32_t n)
{
    sim_rng *r = &s->rng;
    static const double class_w[5] = {33, 7, 22, 28, 10};
    static const double custom_p[5] = {0.92, 0.9, 0.45, 0.72, 0.6};
    static const double verified_p[5] = {0.9, 0.85, 0.45, 0.7, 0.6};
    for (uint32_t i = 0; i < n; i++) {
        sim_seller *v = &s->sellers[s->nsellers++];
        memset(v, 0, sizeof *v);
        v->cls = (uint8_t)sim_pick(r, class_w, 5);
        v->ring = v->comeback_of = -1;
        v->sibling = s->nsellers - 1;
        v->country = (uint8_t)sim_pick(r, genuine_country_w, NCOUNTRY);
        v->currency = (uint8_t)(gn_rng_chance(r, 0.12) ? CUR_USD : countries[v->country].currency);
        int new_shop = gn_rng_chance(r, 0.05);
        if (new_shop) { /* a new honest shop: days old, often unverified (a hard case) */
            v->created = s->t0 + days_s(gn_rng_between(r, -10, s->o.days * 0.8));
            v->active_from = v->created + days_s(gn_rng_between(r, 0.05, 3));
        } else {
            double u = gn_rng_unit(r);
            v->created = s->t0 - days_s(30 + u * u * 2200);
            v->active_from = s->t0;
        }
        if (v->active_from < s->t0) v->active_from = s->t0;
        if (v->active_from > s->tend - 3600) v->active_from = s->tend - 3600;
        if (v->created > v->active_from - 600) v->created = v->active_from - 600;
        v->active_until = s->tend;
        v->custom = gn_rng_chance(r, custom_p[v->cls] * (new_shop ? 0.7 : 1));
        v->verify = gn_rng_chance(r, verified_p[v->cls] * (new_shop ? 0.4 : 1)) ? 2
                    : gn_rng_chance(r, 0.3)                                     ? 1
                                                                                : 0;
        static const double class_weight[5] = {1.0, 1.2, 0.8, 1.3, 0.9};
        v->weight = (float)(class_weight[v->cls] * sim_lognormal(r, 0, 1.1));
        v->history =
            new_shop ? 0 : (float)((s->t0 - v->created) / 86400.0 * sim_lognormal(r, -0.5, 1.0));
        seller_bases(s, v, 0);
        if (v->cls == SC_GENERIC) { /* focus: categories, not brands */
            v->nbrands = (uint8_t)sim_range(r, 1, 3);
            for (int k = 0; k < v->nbrands; k++)
                v->brands[k] = (uint16_t)gn_rng_below(r, NCAT);
        } else {
            int lo = v->cls == SC_SECONDHAND ? 2 : 1, hi = v->cls == SC_SECONDHAND ? 6 : 4;
            v->nbrands = (uint8_t)sim_range(r, lo, hi);
            for (int k = 0; k < v->nbrands; k++) {
                uint32_t b = pick_cum(r, s->brand_cum, s->nbrands);
                /* brands that sell only through their own network are rarer
                 * elsewhere, though second-hand and grey stock exists */
                for (int tries = 0; tries < 3 && s->brands[b].authorized_only &&
                                    v->cls != SC_RETAILER && gn_rng_chance(r, 0.7);
                     tries++)
                    b = pick_cum(r, s->brand_cum, s->nbrands);
                sim_brand *br = &s->brands[b];
                /* an authorized_only brand at a retailer: most are authorised,
                 * some sell grey-market stock */
                if (br->authorized_only && v->cls == SC_RETAILER && !new_shop &&
                    gn_rng_chance(r, 0.75) && br->nauth < 8)
                    br->auth[br->nauth++] = s->nsellers - 1;
                else if (!br->authorized_only && v->cls == SC_RETAILER && !new_shop &&
                         gn_rng_chance(r, 0.2) && br->nauth < 8)
                    br->auth[br->nauth++] = s->nsellers - 1;
                v->brands[k] = (uint16_t)b;
            }
        }
        if (i > 10 &&
            gn_rng_chance(r, 0.02)) /* two shops, one owner: shared device, router, bank */
            v->sibling = gn_rng_below(r, s->nsellers - 1);
        if (gn_rng_chance(r, 0.04)) { /* friends and family who leave reviews */
            v->npuppets = (uint8_t)sim_range(r, 1, 2);
            v->puppet_first = s->npuppets;
            for (int k = 0; k < v->npuppets; k++)
                new_puppet(s, s->nsellers - 1);
        }
    }
}

static void fill_ring_identity(gn_sim *s, sim_seller *v, const sim_ring *g, const sim_seller *prev)
{
    sim_rng *r = &s->rng;
    /* each kind: one of the ring's values, or (evading) one of the account's own */
    v->dev = gn_rng_chance(r, 0.15)
                 ? 0
                 : (uint8_t)((1u << gn_rng_below(r, g->ndev)) |
                             (gn_rng_chance(r, 0.3) ? 1u << gn_rng_below(r, g->ndev) : 0));
    v->net = gn_rng_chance(r, 0.25) ? 0 : (uint8_t)(1u << gn_rng_below(r, g->nnet));
    v->ipm = gn_rng_chance(r, 0.4)
                 ? 0
                 : (uint8_t)((1u << gn_rng_below(r, g->nip)) | (1u << gn_rng_below(r, g->nip)));
    v->phone = gn_rng_chance(r, 0.3) ? -1 : (int8_t)gn_rng_below(r, g->nphone);
    v->pay = gn_rng_chance(r, 0.25) ? -1 : (int8_t)gn_rng_below(r, g->npay);
    v->bank = gn_rng_chance(r, 0.4) ? -1 : (int8_t)gn_rng_below(r, g->nbank);
    if (!prev) return;
    if (gn_rng_chance(
            r, 0.08)) { /* a clean comeback: nothing reused (only photos, origins, brands tell) */
        v->dev = v->net = v->ipm = 0;
        v->phone = v->pay = v->bank = -1;
        return;
    }
    int linked = 0;
    if (prev->dev && gn_rng_chance(r, 0.7)) v->dev = prev->dev, linked = 1;
    if (prev->pay >= 0 && gn_rng_chance(r, 0.55)) v->pay = prev->pay, linked = 1;
    if (prev->net && gn_rng_chance(r, 0.5)) v->net = prev->net, linked = 1;
    if (prev->phone >= 0 && gn_rng_chance(r, 0.3)) v->phone = prev->phone, linked = 1;
    if (prev->bank >= 0 && gn_rng_chance(r, 0.4)) v->bank = prev->bank, linked = 1;
    if (!linked) /* a replacement account reuses at least one thing of the one it replaces */
        v->dev = prev->dev ? prev->dev : 1;
}

/* Counterfeit rings (or solo counterfeiters) until `accounts` accounts exist;
 * each ring runs a few slots, each slot a chain of accounts, each replacing the
 * one before when it stops (as if banned). */
static void plan_rings(gn_sim *s, uint32_t accounts, int solo)
{
    sim_rng *r = &s->rng;
    uint32_t made = 0;
    while (made < accounts) {
        sim_ring *g = &s->rings[s->nrings];
        uint32_t ring = s->nrings++;
        memset(g, 0, sizeof *g);
        g->solo = (uint8_t)solo;
        g->pub = ring + 1;
        g->photo_seed = gn_rng_next(r);
        g->ndev = (uint8_t)sim_range(r, 1, solo ? 2 : 4);
        g->nnet = (uint8_t)sim_range(r, 1, 2);
        g->nip = (uint8_t)sim_range(r, 2, solo ? 3 : 6);
        g->nphone = (uint8_t)sim_range(r, 1, solo ? 2 : 4);
        g->npay = (uint8_t)sim_range(r, 1, solo ? 1 : 3);
        g->nbank = (uint8_t)sim_range(r, 1, 2);
        g->country = (uint8_t)sim_pick(r, ring_country_w, NCOUNTRY);
        g->norigin = (uint8_t)sim_range(r, 1, 2);
        for (int k = 0; k < g->norigin; k++)
            g->origin[k] = (uint8_t)gn_rng_below(r, NHOTSPOT);
        g->nbrands = (uint8_t)sim_range(r, solo ? 1 : 2, solo ? 3 : 6);
        for (int k = 0; k < g->nbrands; k++)
            g->brands[k] = (uint16_t)pick_cum(r, s->fake_brand_cum, s->nbrands);
        g->npuppets = solo ? (uint32_t)sim_range(r, 0, 3) : (uint32_t)sim_range(r, 3, 15);
        g->puppet_first = s->npuppets;
        for (uint32_t k = 0; k < g->npuppets; k++)
            new_puppet(s, 0x80000000u | ring);
        int slots = solo ? 1 : sim_range(r, 2, 7);
        for (int k = 0; k < slots && made < accounts; k++) {
            int32_t prev = -1;
            int64_t created = gn_rng_chance(r, 0.7)
                                  ? s->t0 - days_s(gn_rng_between(r, 0.5, 14))
                                  : s->t0 + days_s(gn_rng_between(r, 0, s->o.days * 0.6));
            if (created > s->tend - 7200) created = s->tend - 7200;
            do { /* the first account of a slot always exists */
                sim_seller *v = &s->sellers[s->nsellers];
                memset(v, 0, sizeof *v);
                v->cls = solo ? SC_SOLO : SC_RING;
                v->ring = (int32_t)ring;
                v->comeback_of = prev;
                v->sibling = s->nsellers;
                v->country = gn_rng_chance(r, 0.85)
                                 ? g->country
                                 : (uint8_t)sim_pick(r, ring_country_w, NCOUNTRY);
                v->currency =
                    (uint8_t)(gn_rng_chance(r, 0.3) ? CUR_USD : countries[v->country].currency);
                v->created = created;
                v->active_from = created + days_s(gn_rng_between(r, 0.04, 1.0));
                if (v->active_from < s->t0) v->active_from = s->t0;
                if (v->active_from > s->tend - 3600) v->active_from = s->tend - 3600;
                v->active_until = v->active_from + days_s(clampd(sim_exp(r, 6), 0.7, 25));
                if (v->active_until > s->tend) v->active_until = s->tend;
                v->custom = gn_rng_chance(r, 0.12);
                v->verify = gn_rng_chance(r, 0.1)   ? 2
                            : gn_rng_chance(r, 0.4) ? 3
                            : gn_rng_chance(r, 0.4) ? 1
                                                    : 0;
                v->weight = (float)sim_lognormal(r, 0, 0.7);
                seller_bases(s, v, 1);
                v->nbrands = g->nbrands;
                memcpy(v->brands, g->brands, sizeof v->brands);
                fill_ring_identity(s, v, g, prev >= 0 ? &s->sellers[prev] : NULL);
                if (prev >= 0) s->comebacks++;
                prev = (int32_t)s->nsellers++;
                made++;
                created = v->active_until + days_s(gn_rng_between(r, 0, 2));
            } while (created < s->tend - days_s(0.5));
        }
    }
}

/* ------------------------------------------------------------------ planning: listings */

/* Chooses what a listing is and how it is dressed; the text and photos are
 * rebuilt from `seed` whenever the listing is written. */
static void plan_genuine_listing(gn_sim *s, sim_listing *l, const sim_seller *v, uint32_t seller)
{
    sim_rng *r = &s->rng;
    int cls = v->cls == SC_HYBRID ? SC_SECONDHAND : v->cls;
    l->fake = 0;
    l->brand = NO_BRAND;
    if (cls == SC_GENERIC) {
        l->tactics = K_GENERIC | (gn_rng_chance(r, 0.3) ? K_SUPPLIER_PHOTO : 0);
        l->cat = (uint8_t)v->brands[gn_rng_below(r, v->nbrands)];
        l->ref_usd = (float)(categories[l->cat].lo * gn_rng_between(r, 0.08, 0.6));
        l->price = (float)l->ref_usd;
    } else if (cls == SC_ACCESSORY) {
        l->tactics = K_COMPATIBLE;
        l->brand = v->brands[gn_rng_below(r, v->nbrands)];
        l->cat = CAT_ACCESSORIES;
        l->ref_usd = (float)gn_rng_between(r, 6, 45);
        l->price = l->ref_usd;
    } else {
        l->brand = v->brands[gn_rng_below(r, v->nbrands)];
        const sim_brand *b = &s->brands[l->brand];
        int k = (int)gn_rng_below(r, b->ncat);
        l->cat = b->cat[k];
        l->ref_usd = (float)b->ref_usd[k];
        int authorized = 0;
        for (int a = 0; a < b->nauth; a++)
            authorized |= b->auth[a] == seller;
        double ratio;
        if (cls == SC_OUTLET || (cls == SC_RETAILER && gn_rng_chance(r, 0.1))) {
            l->tactics = K_OUTLET;
            ratio = gn_rng_between(r, 0.4, 0.7); /* 30-60% off */
        } else if (cls == SC_SECONDHAND) {
            l->tactics = K_SECONDHAND;
            ratio = gn_rng_between(r, 0.2, 0.85);
        } else {
            l->tactics = K_RETAIL;
            ratio = gn_rng_chance(r, 0.3) ? 1.0 : gn_rng_between(r, 0.85, 1.1);
        }
        if (authorized)
            l->tactics |= K_AUTHORIZED;
        else if (b->authorized_only)
            l->tactics |= K_GREY;
        if (authorized ? gn_rng_chance(r, 0.6)
                       : gn_rng_chance(r, cls == SC_SECONDHAND ? 0.05 : 0.15))
            l->tactics |= authorized ? T_OFFICIAL_EXACT : K_OFFICIAL_PHOTO;
        if (gn_rng_chance(r, 0.01)) l->tactics |= K_TYPO;
        if (gn_rng_chance(r, 0.01)) l->tactics |= K_NEGATED_LINGO;
        if (gn_rng_chance(r, 0.75)) l->tactics |= T_CLAIMS_BRAND;
        l->price = (float)(l->ref_usd * ratio);
    }
    l->lambda = (float)sim_lognormal(r, log(0.03), 1.5) *
                (l->tactics & K_OUTLET    ? 1.5f
                 : l->tactics & K_GENERIC ? 1.2f
                                          : 1.0f) *
                (l->ref_usd > 2000 ? 0.4f : 1.0f);
    if (v->npuppets && gn_rng_chance(r, 0.1)) l->tactics |= T_FAKE_REVIEWS;
}

static void plan_fake_listing(gn_sim *s, sim_listing *l, const sim_seller *v)
{
    sim_rng *r = &s->rng;
    static const double price_w[3] = {55, 35, 10};
    static const double name_w[5] = {45, 15, 15, 20, 5};
    static const double photo_w[4] = {20, 20, 50, 10};
    l->fake = 1;
    if (v->cls == SC_HYBRID)
        l->brand = (uint16_t)pick_cum(r, s->fake_brand_cum, s->nbrands);
    else
        l->brand = v->brands[gn_rng_below(r, v->nbrands)];
    const sim_brand *b = &s->brands[l->brand];
    int k = (int)gn_rng_below(r, b->ncat);
    l->cat = b->cat[k];
    l->ref_usd = (float)b->ref_usd[k];
    int pt = v->cls == SC_HYBRID ? (gn_rng_chance(r, 0.7) ? 1 : 2) : sim_pick(r, price_w, 3);
    double ratio = pt == 0   ? gn_rng_between(r, 0.05, 0.2)
                   : pt == 1 ? gn_rng_between(r, 0.5, 0.7)
                             : gn_rng_between(r, 0.8, 1.05);
    l->tactics = pt == 0 ? T_STEEP : pt == 1 ? T_MODERATE : T_FULL_PRICE;
    static const uint32_t naming[5] = {T_NAMED, T_MISSPELT, T_LOOKALIKE, T_UNNAMED, T_BAIT_SWITCH};
    l->tactics |= naming[sim_pick(r, name_w, 5)];
    static const uint32_t photos[4] = {T_OFFICIAL_EXACT, T_OFFICIAL_NEAR, T_RING_PHOTO,
                                       T_OWN_PHOTO};
    uint32_t ph = photos[sim_pick(r, photo_w, 4)];
    if (ph == T_RING_PHOTO && v->ring < 0) ph = T_OWN_PHOTO;
    l->tactics |= ph;
    if (ph == T_OFFICIAL_NEAR && gn_rng_chance(r, 0.15)) l->tactics |= T_NEAR_FAR;
    if (!(l->tactics & T_BAIT_SWITCH) && gn_rng_chance(r, 0.25)) {
        l->tactics |= T_LINGO;
        if (gn_rng_chance(r, 0.5)) l->tactics |= T_SCRUB;
    }
    double review_p = v->cls == SC_RING ? 0.35 : v->cls == SC_SOLO ? 0.15 : 0.05;
    if (s->rings && v->ring >= 0 && s->rings[v->ring].npuppets && gn_rng_chance(r, review_p))
        l->tactics |= T_FAKE_REVIEWS;
    if ((l->tactics & T_NAMED)     ? gn_rng_chance(r, 0.7)
        : (l->tactics & T_UNNAMED) ? gn_rng_chance(r, 0.15)
                                   : 0)
        l->tactics |= T_CLAIMS_BRAND;
    l->price = (float)(l->ref_usd * ratio);
    /* cheap fakes of famous things sell; so do the ones that look like the real price */
    l->lambda = (float)sim_lognormal(r, log(0.03), 1.5) * (pt == 0 ? 3.0f : pt == 1 ? 1.8f : 1.0f);
}

/* Spreads n listings of one seller over its active window in upload batches
 * (a session, then a few listings minutes apart), busier in the daytime. */
static void plan_seller_listings(gn_sim *s, uint32_t seller, uint32_t n, int fake)
{
    sim_rng *r = &s->rng;
    sim_seller *v = &s->sellers[seller];
    int64_t from = v->active_from, until = v->active_until;
    if (until - from < 600) from = until - 600;
    while (n > 0) {
        uint32_t batch = 1 + (uint32_t)sim_exp(r, fake ? 4.0 : 2.5);
        if (batch > n) batch = n;
        int64_t t;
        for (;;) { /* a little more by day than by night (seller's clock is UTC here) */
            t = from + (int64_t)(gn_rng_unit(r) * (double)(until - from));
            int hour = (int)((t % 86400) / 3600);
            if (gn_rng_chance(r, hour >= 7 && hour <= 22 ? 1.0 : 0.35)) break;
        }
        if (t - 60 > v->created)
            due_push(s, t - sim_range(r, 30, 1200), E_SESSION, 0, seller, 0, 0);
        for (uint32_t k = 0; k < batch; k++) {
            sim_listing *l = &s->listings[s->nlistings++];
            memset(l, 0, sizeof *l);
            l->t = t;
            if (l->t >= s->tend) l->t = s->tend - 1;
            if (l->t < v->created + 60) /* never before the shop exists */
                l->t = v->created + 60;
            l->seller = seller;
            l->seed = gn_rng_next(r);
            l->currency = v->currency;
            l->quantity = (uint8_t)(fake                    ? sim_range(r, 5, 99)
                                    : gn_rng_chance(r, 0.5) ? 1
                                                            : sim_range(r, 2, 50));
            if (fake)
                plan_fake_listing(s, l, v);
            else
                plan_genuine_listing(s, l, v, seller);
            l->first_order = l->first_sale = -1;
            t += sim_range(r, 20, 300);
        }
        n -= batch;
    }
}

/* n draws from the sellers in [lo, hi) by weight x active time. */
static void assign_counts(gn_sim *s, uint32_t lo, uint32_t hi, uint64_t n, uint32_t *counts,
                          double *cum)
{
    double total = 0;
    for (uint32_t i = lo; i < hi; i++) {
        const sim_seller *v = &s->sellers[i];
        double span = (double)(v->active_until - v->active_from);
        total += v->weight * (span > 3600 ? span : 3600);
        cum[i - lo] = total;
    }
    for (uint64_t k = 0; k < n; k++)
        counts[lo + pick_cum(&s->rng, cum, hi - lo)]++;
}

static int listing_cmp(const void *x, const void *y)
{
    const sim_listing *a = x, *b = y;
    if (a->t != b->t) return a->t < b->t ? -1 : 1;
    if (a->seller != b->seller) return a->seller < b->seller ? -1 : 1;
    return a->seed < b->seed ? -1 : a->seed > b->seed;
}

static int seller_cmp(const void *x, const void *y, void *arg)
{
    const sim_seller *sellers = arg;
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    const sim_seller *sa = &sellers[a], *sb = &sellers[b];
    if (sa->created != sb->created) return sa->created < sb->created ? -1 : 1;
    return a < b ? -1 : a > b;
}

void gn_sim_options_init(gn_sim_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->listings = 1000000;
    o->days = 30;
    o->counterfeit_share = 0.05;
    o->start = 1793491200; /* 2026-11-01T00:00:00Z */
}

static int plan(gn_sim *s, gn_error *err)
{
    const gn_sim_options *o = &s->o;
    uint64_t fakes = (uint64_t)llround((double)o->listings * o->counterfeit_share);
    uint64_t genuine = o->listings - fakes;
    uint64_t f_hybrid = fakes >= 40 ? fakes * 3 / 100 : 0;
    uint64_t f_solo = fakes * 12 / 100;
    uint64_t f_ring = fakes - f_hybrid - f_solo;
    uint32_t ngenuine = (uint32_t)(genuine / 25 > 20 ? genuine / 25 : 20);
    uint32_t ring_accounts = (uint32_t)(f_ring / 12 > 2 ? f_ring / 12 : (f_ring ? 2 : 0));
    uint32_t solo_accounts = (uint32_t)(f_solo / 8 > 1 ? f_solo / 8 : (f_solo ? 1 : 0));
    /* worst case sizes: each ring slot may add up to days/0.7 accounts */
    size_t max_sellers =
        ngenuine + (size_t)(ring_accounts + solo_accounts + 16) * (size_t)(o->days * 2 + 4);
    size_t max_rings = ring_accounts + solo_accounts + 2;
    s->nbuyers = (uint32_t)(o->listings * 2 > 5000 ? o->listings * 2 : 5000);
    s->brands = gn_xcalloc(s->nbrands, sizeof *s->brands);
    s->brand_cum = gn_xcalloc(s->nbrands, sizeof *s->brand_cum);
    s->fake_brand_cum = gn_xcalloc(s->nbrands, sizeof *s->fake_brand_cum);
    s->sellers = gn_xcalloc(max_sellers, sizeof *s->sellers);
    s->rings = gn_xcalloc(max_rings, sizeof *s->rings);
    s->listings = gn_xcalloc(o->listings ? o->listings : 1, sizeof *s->listings);
    size_t max_puppets = ngenuine * 2 + max_rings * 16;
    s->puppets = gn_xcalloc(max_puppets, sizeof *s->puppets);
    s->puppet_owner = gn_xcalloc(max_puppets, sizeof *s->puppet_owner);
    s->buyer_taken = gn_xcalloc(s->nbuyers / 8 + 2, 1);
    s->rates = gn_xcalloc((size_t)(o->days + 1) * NCUR, sizeof *s->rates);
    uint32_t *counts = gn_xcalloc(max_sellers * 2, sizeof *counts),
             *fcounts = gn_xcalloc(max_sellers, sizeof *fcounts);
    double *cum = gn_xcalloc(max_sellers, sizeof *cum);
    if (!s->brands || !s->brand_cum || !s->fake_brand_cum || !s->sellers || !s->rings ||
        !s->listings || !s->puppets || !s->puppet_owner || !s->buyer_taken || !s->rates ||
        !counts || !fcounts || !cum) {
        free(counts);
        free(fcounts);
        free(cum);
        return gn_fail(err, GN_ENOMEM, "simulate: out of memory planning %llu listings",
                       (unsigned long long)o->listings);
    }

    plan_rates(s);
    plan_brands(s);
    plan_genuine_sellers(s, ngenuine);
    /* a few established shops that slip fakes in among real stock */
    uint32_t nhybrid = f_hybrid ? (uint32_t)(f_hybrid / 15 > 1 ? f_hybrid / 15 : 1) : 0;
    for (uint32_t k = 0, tries = 0; k < nhybrid && tries < 100000; tries++) {
        sim_seller *v = &s->sellers[gn_rng_below(&s->rng, ngenuine)];
        if (v->cls == SC_HYBRID || v->created >= s->t0 ||
            !(v->cls == SC_SECONDHAND || v->cls == SC_RETAILER || v->cls == SC_OUTLET))
            continue;
        v->cls = SC_HYBRID;
        k++;
    }
    uint32_t ring_lo = s->nsellers;
    plan_rings(s, ring_accounts, 0);
    uint32_t solo_lo = s->nsellers;
    plan_rings(s, solo_accounts, 1);
    uint32_t end = s->nsellers;

    assign_counts(s, 0, ngenuine, genuine, counts, cum);
    assign_counts(s, ring_lo, solo_lo, f_ring, fcounts, cum);
    if (end > solo_lo)
        assign_counts(s, solo_lo, end, f_solo, fcounts, cum);
    else
        fcounts[ring_lo] += (uint32_t)f_solo;
    /* hybrids: their fakes by weight among hybrids only */
    double total = 0;
    uint32_t nh = 0, *hybrids = counts + end; /* spare room at the end of counts */
    for (uint32_t i = 0; i < ngenuine; i++)
        if (s->sellers[i].cls == SC_HYBRID) {
            total += s->sellers[i].weight;
            cum[nh] = total;
            hybrids[nh++] = i;
        }
    for (uint64_t k = 0; k < f_hybrid; k++)
        fcounts[nh ? hybrids[pick_cum(&s->rng, cum, nh)] : ring_lo]++;
    for (uint32_t k = 0; k < nh; k++)
        hybrids[k] = 0;
    for (uint32_t i = 0; i < end; i++) {
        if (counts[i]) plan_seller_listings(s, i, counts[i], 0);
        if (fcounts[i]) plan_seller_listings(s, i, fcounts[i], 1);
        s->sellers[i].nlistings = counts[i] + fcounts[i];
        s->sellers[i].nfakes = fcounts[i];
    }
    free(counts);
    free(fcounts);
    free(cum);
    qsort(s->listings, s->nlistings, sizeof *s->listings, listing_cmp);

    /* Public seller numbers in order of sign-up: an id says nothing of the class. */
    uint32_t *order = gn_xmalloc(s->nsellers * sizeof *order);
    for (uint32_t i = 0; i < s->nsellers; i++)
        order[i] = i;
    qsort_r(order, s->nsellers, sizeof *order, seller_cmp, s->sellers);
    for (uint32_t i = 0; i < s->nsellers; i++)
        s->sellers[order[i]].pub = i + 1;
    free(order);

    /* The calendar so far: catalog three days before the stream, sellers when
     * they sign up, daily rates, weekly seller figures. */
    int64_t catalog = s->t0 - days_s(3);
    for (int c = 0; c < NCUR; c++)
        due_push(s, catalog, E_RATE, c, 0, 0, 0);
    for (int d = 0; d < s->o.days; d++)
        for (int c = 1; c < NCUR; c++)
            due_push(s, s->t0 + days_s(d), E_RATE, c, (uint32_t)d + 1, 0, 0);
    for (uint32_t i = 0; i < s->nbrands; i++) {
        due_push(s, catalog + 60 + i, E_BRAND, 0, i, 0, 0);
        due_push(s, catalog + 3600 + i, E_RIGHT, 0, i, 0, 0);
        due_push(s, catalog + 7200 + i, E_RIGHT_CHECKED, 0, i, 0, 0);
    }
    for (uint32_t i = 0; i < s->nsellers; i++) {
        const sim_seller *v = &s->sellers[i];
        due_push(s, v->created, E_SELLER, 0, i, 0, 0);
        int64_t first = v->created < s->t0 - days_s(2) ? s->t0 - 3600 : v->created + days_s(2);
        due_push(s, first, E_REFRESH, 0, i, 0, 0);
    }
    return 0;
}

int gn_sim_new(gn_sim **out, const gn_sim_options *o, gn_error *err)
{
    *out = NULL;
    if (o->listings < 1 || o->listings > 200000000)
        return gn_fail(err, GN_EINPUT, "option 'listings': %llu is out of range [1, 200000000]",
                       (unsigned long long)o->listings);
    if (o->days < 1 || o->days > 3650)
        return gn_fail(err, GN_EINPUT, "option 'days': %d is out of range [1, 3650]", o->days);
    if (!(o->counterfeit_share >= 0 && o->counterfeit_share <= 0.9))
        return gn_fail(err, GN_EINPUT, "option 'counterfeit-share': %g is out of range [0, 0.9]",
                       o->counterfeit_share);
    if (o->brands < 0 || o->brands > 60000)
        return gn_fail(err, GN_EINPUT, "option 'brands': %d is out of range [1, 60000]", o->brands);
    gn_sim *s = gn_xcalloc(1, sizeof *s);
    if (o->world) {
        s->o = *o;
        int rc = gn_world_new(&s->world, o->world, o->seed, o->listings, o->days, o->start, err);
        if (rc) {
            free(s);
            return rc;
        }
        *out = s;
        return 0;
    }
    s->clock = INT64_MIN; /* while planning, anything may be scheduled */
    s->o = *o;
    gn_rng_seed(&s->rng, o->seed);
    s->t0 = o->start;
    s->tend = o->start + days_s(o->days);
    uint64_t nb = o->brands ? (uint64_t)o->brands : o->listings / 200;
    if (!o->brands) nb = nb < 20 ? 20 : nb > 500 ? 500 : nb;
    s->nbrands = (uint32_t)nb;
    int rc = plan(s, err);
    if (rc) {
        gn_sim_free(s);
        return rc;
    }
    s->now = INT64_MIN;
    *out = s;
    return 0;
}

void gn_sim_free(gn_sim *s)
{
    if (!s) return;
    gn_world_free(s->world);
    if (s->brands)
        for (uint32_t i = 0; i < s->nbrands; i++)
            free(s->brands[i].pending);
    free(s->brands);
    free(s->brand_cum);
    free(s->fake_brand_cum);
    free(s->rings);
    free(s->sellers);
    free(s->listings);
    free(s->puppets);
    free(s->puppet_owner);
    free(s->buyer_taken);
    free(s->rates);
    free(s->heap);
    gn_buf_free(&s->line);
    gn_buf_free(&s->tmp);
    gn_buf_free(&s->tmp2);
    free(s);
}

/* ------------------------------------------------------------------ identities */

static uint64_t ident(const gn_sim *s, int kind, uint64_t owner, uint64_t k)
{
    return mix3(s->o.seed * 31 + (uint64_t)kind, owner, k);
}
#define OWN(i) ((uint64_t)(i))
#define RING(g) ((1ULL << 40) | (uint64_t)(g))
#define PUPPET(p) ((2ULL << 40) | (uint64_t)(p))

/* The value of one kind an account uses now: ring accounts from the ring's
 * pool (their masks), others their own (or their sibling shop's). */
static uint64_t seller_value(gn_sim *s, uint32_t seller, int kind)
{
    const sim_seller *v = &s->sellers[seller];
    sim_rng *r = &s->rng;
    if (v->ring >= 0) {
        const sim_ring *g = &s->rings[v->ring];
        uint8_t mask = kind == ID_DEVICE    ? v->dev
                       : kind == ID_NETWORK ? v->net
                       : kind == ID_IP      ? v->ipm
                                            : 0;
        int8_t idx = kind == ID_PHONE  ? v->phone
                     : kind == ID_PAY  ? v->pay
                     : kind == ID_BANK ? v->bank
                                       : -1;
        if (kind == ID_ADDRESS)
            return ident(s, kind, RING(v->ring), 0); /* one warehouse per ring */
        if (mask) {
            int bits[8], n = 0;
            for (int i = 0; i < 8; i++)
                if (mask & (1u << i)) bits[n++] = i;
            return ident(s, kind, RING(v->ring), (uint64_t)bits[gn_rng_below(r, (uint32_t)n)]);
        }
        if (idx >= 0) return ident(s, kind, RING(v->ring), (uint64_t)idx);
        if (kind == ID_IP) /* a residential proxy: a new address each time */
            return ident(s, ID_PROXY, gn_rng_next(r), 0);
        (void)g;
        return ident(s, kind, OWN(seller), 0);
    }
    uint32_t owner =
        (kind == ID_DEVICE || kind == ID_NETWORK || kind == ID_BANK || kind == ID_ADDRESS)
            ? v->sibling
            : seller;
    if (kind == ID_IP) /* a phone on mobile data: carrier-grade NAT, shared by many */
        return gn_rng_chance(r, 0.35) ? ident(s, ID_CGNAT, 0, gn_rng_below(r, 300))
                                      : ident(s, kind, OWN(owner), gn_rng_below(r, 2));
    if (kind == ID_DEVICE) return ident(s, kind, OWN(owner), gn_rng_chance(r, 0.8) ? 0 : 1);
    return ident(s, kind, OWN(owner), 0);
}

static void put_value(gn_sim *s, gn_buf *b, int kind, uint64_t x, int country)
{
    char tmp[96];
    int n = 0;
    switch (kind) {
    case ID_DEVICE:
        SIM_PUTL(b, "\"dev-");
        sim_puthex(b, x, 16);
        SIM_PUTL(b, "\"");
        return;
    case ID_NETWORK:
        n = snprintf(tmp, sizeof tmp, "wifi-%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(x & 0xfc),
                     (unsigned)(x >> 8 & 255), (unsigned)(x >> 16 & 255), (unsigned)(x >> 24 & 255),
                     (unsigned)(x >> 32 & 255), (unsigned)(x >> 40 & 255));
        break;
    case ID_IP: {
        static const int first[] = {24,  31,  46,  58,  61,  77,  82, 89,
                                    101, 112, 113, 121, 183, 203, 213};
        SIM_PUTL(b, "\"");
        sim_putu(b, (uint64_t)first[x % NELEM(first)]);
        SIM_PUTL(b, ".");
        sim_putu(b, x >> 8 & 255);
        SIM_PUTL(b, ".");
        sim_putu(b, x >> 16 & 255);
        SIM_PUTL(b, ".");
        sim_putu(b, 1 + (x >> 24) % 254);
        SIM_PUTL(b, "\"");
        return;
    }
    case ID_PHONE:
        n = snprintf(tmp, sizeof tmp, "%s %03u %04u %04u", countries[country].phone,
                     (unsigned)(100 + x % 900), (unsigned)(x >> 10) % 10000,
                     (unsigned)(x >> 24) % 10000);
        break;
    case ID_EMAIL: {
        static const char *const domains[] = {"gmail.com", "outlook.com", "qq.com",
                                              "163.com",   "yahoo.com",   "proton.me"};
        n = snprintf(tmp, sizeof tmp, "%s%s%u@%s", seller_words1[x % NELEM(seller_words1)],
                     seller_words2[(x >> 8) % NELEM(seller_words2)], (unsigned)(x >> 20) % 10000,
                     domains[(x >> 40) % NELEM(domains)]);
        for (int i = 0; i < n; i++)
            if (tmp[i] >= 'A' && tmp[i] <= 'Z') tmp[i] = (char)(tmp[i] + 32);
        break;
    }
    case ID_BANK:
        n = snprintf(tmp, sizeof tmp, "%s%02u %04u %04u %04u %04u", countries[country].code,
                     (unsigned)(x % 97), (unsigned)(x >> 8) % 10000, (unsigned)(x >> 22) % 10000,
                     (unsigned)(x >> 36) % 10000, (unsigned)(x >> 50) % 10000);
        break;
    case ID_PAY:
        n = snprintf(tmp, sizeof tmp, "%s:%010llx",
                     country == C_CN ? "alipay"
                     : x & 1         ? "paypal"
                                     : "stripe",
                     (unsigned long long)(x >> 20));
        break;
    case ID_ADDRESS:
        n = snprintf(tmp, sizeof tmp, "%u %s Road, %s, %s", (unsigned)(1 + x % 300),
                     streets[(x >> 10) % NELEM(streets)],
                     countries[country].cities[(x >> 20) % (uint64_t)ncities(country)],
                     countries[country].code);
        break;
    default:
        n = snprintf(tmp, sizeof tmp, "%s-%09llu", countries[country].code,
                     (unsigned long long)(x % 1000000000));
    }
    sim_putjs(b, tmp, (size_t)n);
}

/* ------------------------------------------------------------------ text of a listing */

static void tputs(gn_buf *b, const char *p)
{
    sim_put(b, p, strlen(p));
}

/* A sentence with every %s replaced by arg ("%%" is "%"): snprintf showed up
 * in profiles, and the tables need nothing more. */
static void tformat(gn_buf *b, const char *fmt, const char *arg)
{
    const char *p = fmt;
    for (const char *q; (q = strchr(p, '%'));) {
        sim_put(b, p, (size_t)(q - p));
        if (q[1] == 's')
            tputs(b, arg);
        else if (q[1] == '%')
            sim_put(b, "%", 1);
        p = q[1] ? q + 2 : q + 1;
    }
    tputs(b, p);
}

/* Title and description of a listing version, rebuilt from its seed: every
 * draw happens whatever the version, so an edit changes only what it edits. */
static void listing_text(gn_sim *s, const sim_listing *l, int show_lingo, int show_brand)
{
    sim_rng r;
    gn_rng_seed(&r, l->seed);
    gn_buf *t = &s->tmp, *d = &s->tmp2;
    gn_buf_reset(t);
    gn_buf_reset(d);
    tputs(t, "");
    tputs(d, "");
    const char *bname = l->brand != NO_BRAND ? s->brands[l->brand].name : "";
    char *variant = s->variant;
    strcpy(variant, bname);
    if (l->tactics & T_MISSPELT || l->tactics & K_TYPO)
        misspell(&r, bname, variant);
    else if (l->tactics & T_LOOKALIKE)
        lookalike(&r, bname, variant);
    int cat = l->cat == CAT_ACCESSORIES ? -1 : l->cat;
    const char *noun =
        cat >= 0 ? categories[cat].nouns[gn_rng_below(&r, (uint32_t)nnouns(cat))] : "";
    const char *colour = PICK(&r, colours), *line = PICK(&r, lines);
    const char *material = details[cat >= 0 ? categories[cat].group : 0][gn_rng_below(&r, 6)];
    const char *ling = PICK(&r, lingo);
    int lingo_in_title = gn_rng_chance(&r, 0.6), style = (int)gn_rng_below(&r, 8);
    unsigned code = (unsigned)gn_rng_below(&r, 90000) + 10000;
    char buf[256];

    if (l->fake) {
        int unnamed = (l->tactics & T_UNNAMED) || ((l->tactics & T_BAIT_SWITCH) && !show_brand);
        if (unnamed) {
            snprintf(buf, sizeof buf, unnamed_titles[style % NELEM(unnamed_titles)], noun, colour);
            tputs(t, buf);
        } else {
            const char *parts[] = {
                style < 2 ? "New " : "", variant, " ", line, " ", noun, " ", colour};
            for (int i = 0; i < NELEM(parts); i++)
                tputs(t, parts[i]);
            if (style >= 6) tputs(t, " Hot Sale Free Shipping");
        }
        if (show_lingo && (l->tactics & T_LINGO) && lingo_in_title) {
            tputs(t, " ");
            tputs(t, ling);
        }
    } else if (l->tactics & K_GENERIC) {
        snprintf(buf, sizeof buf, generic_titles[style % NELEM(generic_titles)],
                 style % 2 ? material : colour, noun);
        tputs(t, buf);
    } else if (l->tactics & K_COMPATIBLE) {
        const sim_brand *b = &s->brands[l->brand];
        snprintf(buf, sizeof buf, "%s %s %s", compat_items[b->group][style % 3], bname,
                 categories[b->cat[0]].nouns[0]);
        tputs(t, buf);
    } else {
        const char *pre = l->tactics & K_SECONDHAND ? (style < 3   ? "Pre-owned "
                                                       : style < 5 ? "Used "
                                                                   : "Preloved ")
                                                    : "";
        const char *parts[] = {pre, variant, " ", line, " ", noun, " ", colour, " ", material};
        for (int i = 0; i < NELEM(parts); i++)
            tputs(t, parts[i]);
        if (l->tactics & K_OUTLET)
            tputs(t, style < 4 ? " - Clearance Sale" : " Outlet, Last Season");
        if ((l->tactics & K_SECONDHAND) && style >= 5) tputs(t, " Good Condition");
        if (style == 7) {
            snprintf(buf, sizeof buf, " Ref. %u", code);
            tputs(t, buf);
        }
    }

    /* description: 2-6 sentences by kind, shop boilerplate shared by all */
    int sentences = 2 + (int)gn_rng_below(&r, 5);
    uint32_t used = 0; /* bit k: sentence k of the kind's pool, bit 16+k: of the common pool */
    for (int i = 0; i < sentences; i++) {
        const char *const *pool;
        int n, common = gn_rng_chance(&r, 0.4);
        static const char *const compat[] = {"Not made by or affiliated with %s.",
                                             "Fits the %s models listed in the title."};
        if (common)
            pool = d_common, n = NELEM(d_common);
        else if (l->fake)
            pool = d_fake, n = NELEM(d_fake);
        else if (l->tactics & K_GENERIC)
            pool = d_generic, n = NELEM(d_generic);
        else if (l->tactics & K_COMPATIBLE)
            pool = compat, n = NELEM(compat);
        else if (l->tactics & K_SECONDHAND)
            pool = d_used, n = NELEM(d_used);
        else if (l->tactics & K_OUTLET)
            pool = d_outlet, n = NELEM(d_outlet);
        else
            pool = d_retail, n = NELEM(d_retail);
        int k = (int)gn_rng_below(&r, (uint32_t)n);
        uint32_t bit = 1u << (k + (common ? 16 : 0));
        if (used & bit) continue; /* no sentence twice */
        used |= bit;
        const char *p = pool[k];
        if (d->len) tputs(d, " ");
        tformat(d, p, l->fake && (l->tactics & T_UNNAMED) ? "designer" : bname);
    }
    if (l->fake && show_lingo && (l->tactics & T_LINGO) && !lingo_in_title) {
        snprintf(buf, sizeof buf, " %s quality, looks exactly like the original.", ling);
        tputs(d, buf);
    }
    if (l->tactics & K_NEGATED_LINGO) {
        tputs(d, " ");
        tputs(d, d_negated[style % NELEM(d_negated)]);
    }
    if (!l->fake && !(l->tactics & (K_GENERIC | K_COMPATIBLE))) {
        const char *parts[] = {" ", material, ", ", colour, ", ", noun, "."};
        for (int i = 0; i < NELEM(parts); i++)
            tputs(d, parts[i]);
    }
}

/* The photos of a listing version, rebuilt from its seed. */
static void listing_photos(gn_sim *s, const sim_listing *l, gn_buf *b, int show_brand, int *count)
{
    sim_rng r;
    gn_rng_seed(&r, l->seed ^ 0x9e3779b97f4a7c15ULL);
    int n = sim_range(&r, 1, 5), written = 0;
    const sim_seller *v = &s->sellers[l->seller];
    SIM_PUTL(b, "[");
    for (int i = 0; i < n; i++) {
        sim_pdq h;
        uint64_t pick = gn_rng_next(&r);
        int official = l->brand != NO_BRAND && l->cat != CAT_ACCESSORIES && i < 2;
        uint32_t which =
            (uint32_t)(pick % (l->brand != NO_BRAND ? s->brands[l->brand].nofficial : 1));
        if (official && (l->tactics & (T_OFFICIAL_EXACT | K_OFFICIAL_PHOTO)) &&
            (!(l->tactics & T_BAIT_SWITCH) || show_brand)) {
            h = official_photo(s, l->brand, which);
            if (l->tactics & K_OFFICIAL_PHOTO) /* a reseller's copy of the press photo */
                h = pdq_flip(h, &r, sim_range(&r, 0, 8));
        } else if (official && (l->tactics & T_OFFICIAL_NEAR)) {
            h = pdq_flip(official_photo(s, l->brand, which), &r,
                         l->tactics & T_NEAR_FAR ? sim_range(&r, 24, 40) : sim_range(&r, 1, 16));
        } else if ((l->tactics & T_RING_PHOTO) ||
                   (l->fake && v->ring >= 0 && !(l->tactics & T_OWN_PHOTO) &&
                    gn_rng_chance(&r, 0.5))) {
            /* the ring's own shots of this brand, re-encoded on every upload;
             * some come from the factory and turn up in other rings too */
            const sim_ring *g = &s->rings[v->ring];
            uint64_t key = gn_rng_chance(&r, 0.2) ? mix3(0xfac7, l->brand, pick % 6)
                                                  : mix3(g->photo_seed, l->brand, pick % 5);
            h = pdq_flip(pdq_of(key), &r, sim_range(&r, 0, 4));
        } else if (l->tactics & K_SUPPLIER_PHOTO) { /* dropshippers share the supplier's photos */
            h = pdq_flip(pdq_of(mix3(0x5a991e, l->cat, pick % 400)), &r, sim_range(&r, 0, 3));
        } else if (!l->fake && gn_rng_chance(&r, 0.5)) { /* a shop reuses its own shots */
            h = pdq_of(mix3(0x5e11e, l->seller, pick % 20));
        } else {
            h = pdq_of(gn_rng_next(&r));
        }
        if (written++) SIM_PUTL(b, ",");
        putpdq(b, h);
    }
    if ((l->tactics & T_BAIT_SWITCH) && show_brand) { /* the switch adds the brand's photo */
        SIM_PUTL(b, ",");
        putpdq(b, official_photo(s, l->brand, 0));
        written++;
    }
    SIM_PUTL(b, "]");
    *count = written;
}

/* ------------------------------------------------------------------ the events */

static const char *country_code(int c)
{
    return countries[c].code;
}

static void emit_listing(gn_sim *s, uint32_t li, int64_t t, int update)
{
    sim_listing *l = &s->listings[li];
    sim_seller *v = &s->sellers[l->seller];
    begin(s, TY_LISTING, t);
    gn_buf *b = &s->line;
    int show_brand = !(l->tactics & T_BAIT_SWITCH) || l->switched;
    listing_text(s, l, !l->scrubbed, show_brand);
    field(b, "listing");
    sim_putid(b, 'L', li + 1);
    field(b, "seller");
    sim_putid(b, 'S', v->pub);
    field(b, "title");
    sim_putjs(b, s->tmp.data, s->tmp.len);
    field(b, "description");
    sim_putjs(b, s->tmp2.data, s->tmp2.len);
    field(b, "price");
    sim_putfix(b, l->price, l->currency == CUR_JPY || l->currency == CUR_CNY ? 0 : 2);
    field(b, "currency");
    SIM_PUTL(b, "\"");
    sim_puts(b, cur_code[l->currency]);
    SIM_PUTL(b, "\"");
    sim_rng r;
    gn_rng_seed(&r, l->seed + 7);
    if (l->brand != NO_BRAND && (l->tactics & T_CLAIMS_BRAND) && show_brand) {
        field(b, "brand");
        if (gn_rng_chance(&r, 0.75))
            sim_putid(b, 'B', l->brand + 1u);
        else
            sim_putjz(b, s->brands[l->brand].name);
    } else if (l->tactics & (K_GENERIC | K_COMPATIBLE) && gn_rng_chance(&r, 0.4)) {
        field(b, "brand");
        sim_putjz(b, gn_rng_chance(&r, 0.6) ? "Unbranded" : "Generic");
    } else if ((l->tactics & (T_MISSPELT | T_LOOKALIKE)) && gn_rng_chance(&r, 0.3)) {
        field(b, "brand"); /* the shop's brand box says what the title says */
        sim_putjz(b, s->variant);
    }
    field(b, "category");
    sim_putjz(b, l->cat == CAT_ACCESSORIES ? "accessories" : categories[l->cat].name);
    field(b, "images");
    int photos;
    listing_photos(s, l, b, show_brand, &photos);
    field(b, "quantity");
    sim_putu(b, l->quantity);
    field(b, "ship_from");
    SIM_PUTL(b, "\"");
    sim_puts(b, country_code(v->country));
    SIM_PUTL(b, "\"");
    field(b, "signals");
    SIM_PUTL(b, "{\"photos\":");
    sim_putu(b, (uint64_t)photos);
    SIM_PUTL(b, ",\"seller_listings_24h\":");
    sim_putu(b, v->win_count);
    SIM_PUTL(b, ",\"promoted\":");
    sim_putu(b, gn_rng_chance(&r, l->fake ? 0.03 : 0.08));
    if (update) {
        double age = (double)(t - l->t) / 86400.0;
        l->nviews += (uint32_t)(age * (5 + l->lambda * 60) * sim_lognormal(&s->rng, 0, 0.5));
        SIM_PUTL(b, ",\"views\":");
        sim_putu(b, l->nviews);
        SIM_PUTL(b, ",\"watchers\":");
        sim_putu(b, l->nviews / (uint32_t)sim_range(&s->rng, 15, 60));
        SIM_PUTL(b, ",\"orders\":");
        sim_putu(b, l->norders);
    }
    SIM_PUTL(b, "}}");
}

/* Schedules what follows a listing going up. */
static void after_listing(gn_sim *s, uint32_t li)
{
    sim_rng *r = &s->rng;
    sim_listing *l = &s->listings[li];
    const sim_seller *v = &s->sellers[l->seller];
    int64_t t = l->t;
    double per_day = l->lambda;
    due_push(s, t + (int64_t)(sim_exp(r, 86400.0 / per_day)), E_ORDER, 0, li, 0, 0);
    if (gn_rng_chance(r, 0.1)) {
        l->tactics |= T_PRICE_EDIT;
        due_push(s, t + days_s(gn_rng_between(r, 1, 12)), E_UPDATE, 0, li, 0, 0);
    }
    if (l->tactics & T_SCRUB)
        due_push(s, t + days_s(gn_rng_between(r, 0.25, 3)), E_UPDATE, 1, li, 0, 0);
    if (l->tactics & T_BAIT_SWITCH)
        due_push(s, t + days_s(gn_rng_between(r, 1, 4)), E_UPDATE, 2, li, 0, 0);
    if (l->tactics & T_FAKE_REVIEWS) { /* brushing: the seller's own accounts buy and praise */
        int n = sim_range(r, 1, 4);
        for (int k = 0; k < n; k++) {
            uint32_t first, count;
            if (v->ring >= 0)
                first = s->rings[v->ring].puppet_first, count = s->rings[v->ring].npuppets;
            else
                first = v->puppet_first, count = v->npuppets;
            if (!count) break;
            uint32_t p = first + gn_rng_below(r, count);
            int64_t at = t + days_s(gn_rng_between(r, 0.02, 3)),
                    login = at - sim_range(r, 60, 1800);
            due_push(s, login > t ? login : t, E_PUPPET_SESSION, 0, p, l->seller, 0);
            due_push(s, at, E_ORDER, 1, li, p, 0);
        }
    }
    /* a shopper who knows the brand reports it before buying */
    double report_p = l->fake                                             ? 0.06
                      : (l->tactics & (K_OUTLET | K_SECONDHAND | K_GREY)) ? 0.006
                                                                          : 0.003;
    if (gn_rng_chance(r, report_p))
        due_push(s, t + (int64_t)sim_exp(r, days_s(2)), E_REPORT, 0, li, shopper(s), 0);
    /* the rights holder's own monitoring finds it some days later */
    double found_p =
        !l->fake ? ((l->tactics & (K_SECONDHAND | K_OUTLET | K_GREY | K_OFFICIAL_PHOTO)) ? 0.004
                                                                                         : 0.0005)
        : (l->tactics & T_NAMED)   ? 0.4
        : (l->tactics & T_UNNAMED) ? 0.2
                                   : 0.3;
    if (l->brand != NO_BRAND && !(l->tactics & K_COMPATIBLE) && gn_rng_chance(r, found_p))
        due_push(s, t + days_s(gn_rng_between(r, 1, 7)), E_COMPLAINT_ADD, 0, li, 0, 0);
}

static void emit_order(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    uint32_t li = d->a;
    sim_listing *l = &s->listings[li];
    sim_seller *v = &s->sellers[l->seller];
    int brushing = d->x == 1;
    uint32_t buyer = brushing ? s->puppets[d->b] : shopper(s);
    uint64_t order = ++s->next_order;
    int qty = gn_rng_chance(r, 0.9) ? 1 : sim_range(r, 2, 3);
    begin(s, TY_ORDER, d->t);
    gn_buf *b = &s->line;
    field(b, "order");
    sim_putid(b, 'O', order);
    field(b, "listing");
    sim_putid(b, 'L', li + 1);
    field(b, "buyer");
    sim_putid(b, 'U', buyer);
    field(b, "price");
    sim_putfix(b, l->price * qty, l->currency == CUR_JPY || l->currency == CUR_CNY ? 0 : 2);
    field(b, "quantity");
    sim_putu(b, (uint64_t)qty);
    field(b, "ship_to");
    SIM_PUTL(b, "\"");
    sim_puts(b, country_code(sim_pick(r, genuine_country_w, NCOUNTRY)));
    SIM_PUTL(b, "\"}");
    l->norders++;
    v->norders++;
    if (l->first_order < 0) l->first_order = d->t;
    if (!brushing && l->first_sale < 0) l->first_sale = d->t;
    if (brushing) s->brushing++;
    if (!brushing) /* the next organic order of this listing */
        due_push(s, d->t + (int64_t)(sim_exp(r, 86400.0 / l->lambda)) + 1, E_ORDER, 0, li, 0, 0);
    if (brushing || gn_rng_chance(r, 0.96))
        due_push(s, d->t + sim_range(r, 6 * 3600, 72 * 3600), E_SHIP, 0, li, (uint32_t)order, 0);
    if (brushing)
        due_push(s, d->t + days_s(gn_rng_between(r, 1, 4)), E_REVIEW, 1, li, (uint32_t)order,
                 buyer);
    else if (gn_rng_chance(r, 0.25))
        due_push(s, d->t + days_s(gn_rng_between(r, 5, 20)), E_REVIEW, 0, li, (uint32_t)order,
                 buyer);
    /* a buyer who got a fake complains after delivery, now and then */
    if (!brushing && gn_rng_chance(r, l->fake ? 0.08 : 0.004))
        due_push(s, d->t + days_s(gn_rng_between(r, 4, 14)), E_REPORT, 1, li, buyer, 0);
}

static void emit_shipment(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    const sim_listing *l = &s->listings[d->a];
    const sim_seller *v = &s->sellers[l->seller];
    int country, number = 0;
    const char *city, *facility, *kind = NULL;
    if (v->ring >= 0 || (l->fake && v->cls == SC_HYBRID && gn_rng_chance(r, 0.5))) {
        const sim_ring *g = v->ring >= 0 ? &s->rings[v->ring] : NULL;
        const sim_hotspot *h =
            &hotspots[g && gn_rng_chance(r, 0.9) ? g->origin[gn_rng_below(r, g->norigin)]
                                                 : gn_rng_below(r, NHOTSPOT)];
        country = h->country;
        city = h->city;
        facility = h->facility;
    } else if (v->country == C_CN && (v->cls == SC_GENERIC || v->cls == SC_ACCESSORY) &&
               gn_rng_chance(r, 0.2)) { /* honest goods through the same consolidators */
        const sim_hotspot *h = &hotspots[(v->pub + gn_rng_below(r, 2)) % 7];
        country = h->country;
        city = h->city;
        facility = h->facility;
    } else {
        country = v->country;
        uint64_t x = mix3(v->pub, 0x5417, gn_rng_chance(r, 0.7) ? 0 : 1 + gn_rng_below(r, 3));
        city = countries[country].cities[x % (uint64_t)ncities(country)];
        facility = city; /* "<city> <kind> <n>": one of many per city */
        kind = facility_kinds[(x >> 8) % NELEM(facility_kinds)];
        number = (int)(1 + (x >> 16) % 60);
    }
    begin(s, TY_SHIPMENT, d->t);
    gn_buf *b = &s->line;
    field(b, "order");
    sim_putid(b, 'O', d->b);
    field(b, "origin");
    SIM_PUTL(b, "{\"country\":\"");
    sim_puts(b, country_code(country));
    SIM_PUTL(b, "\",\"city\":");
    sim_putjz(b, city);
    SIM_PUTL(b, ",\"facility\":");
    if (kind) {
        SIM_PUTL(b, "\"");
        sim_puts(b, facility);
        SIM_PUTL(b, " ");
        sim_puts(b, kind);
        SIM_PUTL(b, " ");
        sim_putu(b, (uint64_t)number);
        SIM_PUTL(b, "\"");
    } else {
        sim_putjz(b, facility);
    }
    SIM_PUTL(b, "}");
    field(b, "carrier");
    int asia = country == C_CN || country == C_HK || country == C_TH || country == C_TR;
    sim_putjz(b, asia ? PICK(r, carriers_asia) : PICK(r, carriers_west));
    field(b, "tracking");
    char tr[16];
    uint64_t x = gn_rng_next(r);
    tr[0] = (char)('A' + x % 26);
    tr[1] = (char)('A' + (x >> 8) % 26);
    x >>= 16;
    for (int i = 10; i >= 2; i--, x /= 10)
        tr[i] = (char)('0' + x % 10);
    memcpy(tr + 11, asia ? "CN" : country_code(country), 2);
    sim_putjs(b, tr, 13);
    SIM_PUTL(b, "}");
}

static void emit_review(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    const sim_listing *l = &s->listings[d->a];
    sim_seller *v = &s->sellers[l->seller];
    int rating;
    if (d->x == 1)
        rating = gn_rng_chance(r, 0.92) ? 5 : 4;
    else {
        static const double genuine_w[5] = {4, 3, 8, 25, 60}, fake_w[5] = {20, 10, 15, 20, 35};
        rating = 1 + sim_pick(r, l->fake ? fake_w : genuine_w, 5);
    }
    begin(s, TY_REVIEW, d->t);
    gn_buf *b = &s->line;
    field(b, "review");
    sim_putid(b, 'R', ++s->next_review);
    field(b, "listing");
    sim_putid(b, 'L', d->a + 1);
    field(b, "buyer");
    sim_putid(b, 'U', d->c);
    field(b, "rating");
    sim_putu(b, (uint64_t)rating);
    if (gn_rng_chance(r, 0.7)) {
        field(b, "text");
        sim_putjz(b, rating >= 4   ? PICK(r, review_good)
                     : rating == 3 ? PICK(r, review_mid)
                                   : PICK(r, review_bad));
    }
    field(b, "order");
    sim_putid(b, 'O', d->b);
    SIM_PUTL(b, "}");
    v->nreviews++;
}

static void emit_report(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    const sim_listing *l = &s->listings[d->a];
    begin(s, TY_REPORT, d->t);
    gn_buf *b = &s->line;
    field(b, "report");
    sim_putid(b, 'P', ++s->next_report);
    field(b, "listing");
    sim_putid(b, 'L', d->a + 1);
    field(b, "reporter");
    sim_putid(b, 'U', d->b);
    field(b, "reason");
    int reason = d->x == 1 ? (gn_rng_chance(r, 0.7) ? 0 : 3) : (int)gn_rng_below(r, 3);
    if (!l->fake && gn_rng_chance(r, 0.4)) reason = 1; /* honest cheap things look suspicious too */
    sim_putjz(b, report_reasons[reason]);
    if (gn_rng_chance(r, 0.6)) {
        field(b, "text");
        sim_putjz(b, report_texts[d->x == 1 ? 2 + gn_rng_below(r, 4) : gn_rng_below(r, 6)]);
    }
    SIM_PUTL(b, "}");
}

static void emit_complaint(gn_sim *s, uint32_t brand, int64_t t)
{
    sim_brand *br = &s->brands[brand];
    uint32_t n = br->npending < 20 ? br->npending : 20;
    begin(s, TY_COMPLAINT, t);
    gn_buf *b = &s->line;
    field(b, "complaint");
    sim_putid(b, 'C', ++s->next_complaint);
    field(b, "rights_holder");
    sim_putid(b, 'H', br->owner + 1);
    field(b, "right");
    sim_putid(b, 'T', brand + 1);
    field(b, "listings");
    SIM_PUTL(b, "[");
    for (uint32_t i = 0; i < n; i++) {
        if (i) SIM_PUTL(b, ",");
        sim_putid(b, 'L', br->pending[i] + 1);
    }
    SIM_PUTL(b, "]");
    field(b, "statement");
    char text[200];
    snprintf(text, sizeof text,
             "As owner of the %s trademark we state in good faith that these listings offer "
             "counterfeit %s goods.",
             br->name, br->name);
    sim_putjz(b, text);
    SIM_PUTL(b, "}");
    memmove(br->pending, br->pending + n, (br->npending - n) * sizeof *br->pending);
    br->npending -= n;
}

static void emit_seller(gn_sim *s, uint32_t i, int64_t t, int refresh)
{
    sim_rng *r = &s->rng;
    sim_seller *v = &s->sellers[i];
    begin(s, TY_SELLER, t);
    gn_buf *b = &s->line;
    field(b, "seller");
    sim_putid(b, 'S', v->pub);
    field(b, "name");
    {
        uint64_t x = mix3(s->o.seed, 0x5e11, i);
        char name[96];
        if (v->cls == SC_RING ||
            v->cls == SC_SOLO) { /* fakes borrow the vocabulary of honest shops */
            snprintf(name, sizeof name, "%s %s %s", seller_words1[x % NELEM(seller_words1)],
                     x & 256 ? seller_words3[(x >> 16) % NELEM(seller_words3)]
                             : seller_words2[(x >> 8) % NELEM(seller_words2)],
                     (x >> 24) & 1 ? "Luxury" : "Store");
        } else {
            snprintf(name, sizeof name, "%s %s %s", seller_words1[x % NELEM(seller_words1)],
                     seller_words2[(x >> 8) % NELEM(seller_words2)],
                     seller_words3[(x >> 16) % NELEM(seller_words3)]);
        }
        sim_putjz(b, name);
    }
    field(b, "country");
    SIM_PUTL(b, "\"");
    sim_puts(b, country_code(v->country));
    SIM_PUTL(b, "\"");
    field(b, "template");
    sim_puts(b, v->custom ? "\"custom\"" : "\"basic\"");
    if (!refresh && v->ring < 0 && v->cls != SC_GENERIC && gn_rng_chance(r, 0.6)) {
        field(b, "business_id");
        put_value(s, b, ID_TAX, ident(s, ID_TAX, v->sibling, 0), v->country);
    }
    field(b, "signals");
    if (!refresh) {
        SIM_PUTL(b, "{\"signup_risk\":");
        sim_putfix(b, v->signup_risk, 3);
        SIM_PUTL(b, "}}");
        return;
    }
    double age = (double)(t - v->created) / 86400.0;
    double count = v->history + v->nreviews;
    SIM_PUTL(b, "{\"account_age_days\":");
    sim_putfix(b, age, 1);
    SIM_PUTL(b, ",\"ratings_count\":");
    sim_putu(b, (uint64_t)count);
    if (count >= 1) {
        SIM_PUTL(b, ",\"rating\":");
        sim_putfix(b, clampd(v->rating + 0.05 * sim_normal(r), 1, 5), 2);
    }
    SIM_PUTL(b, ",\"return_rate\":");
    sim_putfix(b, clampd(v->returns * sim_lognormal(r, 0, 0.15), 0, 1), 4);
    SIM_PUTL(b, ",\"dispute_rate\":");
    sim_putfix(b, clampd(v->disputes * sim_lognormal(r, 0, 0.2), 0, 1), 4);
    SIM_PUTL(b, ",\"response_hours\":");
    sim_putfix(b, v->response * sim_lognormal(r, 0, 0.1), 1);
    SIM_PUTL(b, ",\"orders_30d\":");
    sim_putu(b, v->norders + (uint64_t)(v->history * 0.05));
    SIM_PUTL(b, "}}");
}

static void emit_attr(gn_sim *s, uint32_t i, int kind, int64_t t)
{
    static const char *const names[] = {
        [ID_PHONE] = "phone",         [ID_EMAIL] = "email",     [ID_BANK] = "bank_account",
        [ID_PAY] = "payment_account", [ID_ADDRESS] = "address", [ID_TAX] = "tax_id"};
    sim_seller *v = &s->sellers[i];
    begin(s, TY_ATTR, t);
    gn_buf *b = &s->line;
    field(b, "seller");
    sim_putid(b, 'S', v->pub);
    field(b, "kind");
    SIM_PUTL(b, "\"");
    sim_puts(b, names[kind]);
    SIM_PUTL(b, "\"");
    field(b, "value");
    uint64_t x = kind == ID_EMAIL ? ident(s, kind, OWN(i), 0)
                 : kind == ID_TAX ? ident(s, kind, OWN(v->sibling), 0)
                                  : seller_value(s, i, kind);
    int country = v->ring >= 0 && kind != ID_PHONE ? s->rings[v->ring].country : v->country;
    put_value(s, b, kind, x, country);
    SIM_PUTL(b, "}");
}

static void emit_session(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    gn_buf *b = &s->line;
    begin(s, TY_SESSION, d->t);
    field(b, "account");
    uint64_t dev, net, ip;
    int has_net;
    if (d->kind == E_PUPPET_SESSION) { /* a puppet buyer, from its owner's machines */
        uint32_t p = d->a, owner = s->puppet_owner[p];
        sim_putid(b, 'U', s->puppets[p]);
        if (owner & 0x80000000u) {
            uint32_t g = owner & 0x7fffffffu;
            const sim_ring *ring = &s->rings[g];
            dev = gn_rng_chance(r, 0.6) ? ident(s, ID_DEVICE, RING(g), gn_rng_below(r, ring->ndev))
                                        : ident(s, ID_DEVICE, PUPPET(p), 0);
            net = ident(s, ID_NETWORK, RING(g), gn_rng_below(r, ring->nnet));
            ip = gn_rng_chance(r, 0.5) ? ident(s, ID_IP, RING(g), gn_rng_below(r, ring->nip))
                                       : ident(s, ID_PROXY, gn_rng_next(r), 0);
        } else {
            dev = ident(s, ID_DEVICE, PUPPET(p), 0);
            net = seller_value(s, owner, ID_NETWORK);
            ip = seller_value(s, owner, ID_IP);
        }
        has_net = gn_rng_chance(r, 0.8);
    } else {
        sim_seller *v = &s->sellers[d->a];
        sim_putid(b, 'S', v->pub);
        dev = seller_value(s, d->a, ID_DEVICE);
        net = seller_value(s, d->a, ID_NETWORK);
        ip = seller_value(s, d->a, ID_IP);
        has_net = gn_rng_chance(r, 0.75);
        v->last_session = d->t;
    }
    field(b, "ip");
    put_value(s, b, ID_IP, ip, 0);
    field(b, "device");
    put_value(s, b, ID_DEVICE, dev, 0);
    if (has_net) {
        field(b, "network");
        put_value(s, b, ID_NETWORK, net, 0);
    }
    field(b, "user_agent");
    sim_putjz(b, user_agents[(dev >> 3) % NELEM(user_agents)]);
    SIM_PUTL(b, "}");
}

/* Handles one due thing; returns 1 when it wrote an event into s->line. */
static int handle(gn_sim *s, const sim_due *d)
{
    sim_rng *r = &s->rng;
    gn_buf *b = &s->line;
    switch (d->kind) {
    case E_RATE: {
        begin(s, TY_RATE, d->t);
        field(b, "currency");
        SIM_PUTL(b, "\"");
        sim_puts(b, cur_code[d->x]);
        SIM_PUTL(b, "\"");
        field(b, "usd");
        sim_putfix(b, s->rates[(size_t)d->a * NCUR + d->x], 6);
        SIM_PUTL(b, "}");
        return 1;
    }
    case E_BRAND: {
        const sim_brand *br = &s->brands[d->a];
        begin(s, TY_BRAND, d->t);
        field(b, "brand");
        sim_putid(b, 'B', d->a + 1);
        field(b, "name");
        sim_putjz(b, br->name);
        field(b, "aliases");
        {
            char up[24], city[48];
            size_t n = strlen(br->name);
            for (size_t i = 0; i <= n; i++)
                up[i] = br->name[i] >= 'a' && br->name[i] <= 'z' ? (char)(br->name[i] - 32)
                                                                 : br->name[i];
            static const char *const places[] = {"Paris",  "Milano",   "Tokyo",
                                                 "London", "New York", "Sport"};
            snprintf(city, sizeof city, "%s %s", br->name, places[d->a % NELEM(places)]);
            SIM_PUTL(b, "[");
            sim_putjz(b, up);
            SIM_PUTL(b, ",");
            sim_putjz(b, city);
            SIM_PUTL(b, ",");
            sim_putjz(b, br->alias_cjk);
            SIM_PUTL(b, "]");
        }
        field(b, "owner");
        sim_putid(b, 'H', br->owner + 1);
        field(b, "categories");
        SIM_PUTL(b, "[");
        for (int k = 0; k < br->ncat; k++) {
            if (k) SIM_PUTL(b, ",");
            sim_putjz(b, categories[br->cat[k]].name);
        }
        SIM_PUTL(b, "]");
        field(b, "reference_prices");
        SIM_PUTL(b, "[");
        for (int k = 0; k < br->ncat; k++) {
            if (k) SIM_PUTL(b, ",");
            SIM_PUTL(b, "{\"category\":");
            sim_putjz(b, categories[br->cat[k]].name);
            SIM_PUTL(b, ",\"price\":");
            sim_putu(b, (uint64_t)br->ref_local[k]);
            SIM_PUTL(b, ",\"currency\":\"");
            sim_puts(b, cur_code[br->currency]);
            SIM_PUTL(b, "\"}");
        }
        SIM_PUTL(b, "]");
        field(b, "official_images");
        SIM_PUTL(b, "[");
        for (uint32_t k = 0; k < br->nofficial; k++) {
            if (k) SIM_PUTL(b, ",");
            putpdq(b, official_photo(s, d->a, k));
            b->len--; /* reopen the object to add the role */
            SIM_PUTL(b, ",\"role\":\"official\"}");
        }
        SIM_PUTL(b, "]");
        field(b, "authorized_sellers");
        SIM_PUTL(b, "[");
        for (int k = 0; k < br->nauth; k++) {
            if (k) SIM_PUTL(b, ",");
            sim_putid(b, 'S', s->sellers[br->auth[k]].pub);
        }
        SIM_PUTL(b, "]");
        if (br->authorized_only) {
            field(b, "authorized_only");
            SIM_PUTL(b, "true");
        }
        SIM_PUTL(b, "}");
        return 1;
    }
    case E_RIGHT: {
        const sim_brand *br = &s->brands[d->a];
        begin(s, TY_RIGHT, d->t);
        field(b, "right");
        sim_putid(b, 'T', d->a + 1);
        field(b, "brand");
        sim_putid(b, 'B', d->a + 1);
        field(b, "kind");
        SIM_PUTL(b, "\"trademark\"");
        field(b, "number");
        char num[32];
        snprintf(num, sizeof num, "%s %09u",
                 br->currency == CUR_EUR   ? "EUTM"
                 : br->currency == CUR_GBP ? "UK"
                                           : "USPTO",
                 (unsigned)(mix3(s->o.seed, 0x7e, d->a) % 1000000000));
        sim_putjz(b, num);
        field(b, "holder");
        sim_putid(b, 'H', br->owner + 1);
        field(b, "jurisdiction");
        sim_putjz(b, br->currency == CUR_EUR ? "EU" : br->currency == CUR_GBP ? "GB" : "US");
        field(b, "classes");
        SIM_PUTL(b, "[");
        sim_putjz(b, br->group == G_FASHION  ? "18"
                     : br->group == G_WATCH  ? "14"
                     : br->group == G_BEAUTY ? "3"
                                             : "9");
        SIM_PUTL(b, "],\"valid_until\":\"2036-12-31T00:00:00Z\"}");
        return 1;
    }
    case E_RIGHT_CHECKED: { /* the platform checks the registration and verifies it */
        begin(s, TY_VERDICT, d->t);
        field(b, "subject");
        SIM_PUTL(b, "\"right\"");
        field(b, "target");
        sim_putid(b, 'T', d->a + 1);
        field(b, "outcome");
        SIM_PUTL(b, "\"verified\"");
        field(b, "reviewer");
        SIM_PUTL(b, "\"platform\"");
        SIM_PUTL(b, "}");
        return 1;
    }
    case E_SELLER: {
        sim_seller *v = &s->sellers[d->a];
        emit_seller(s, d->a, d->t, 0);
        /* then what the seller gives the platform at sign-up */
        int fake = v->ring >= 0;
        due_push(s, d->t + sim_range(r, 30, 600), E_ATTR, ID_EMAIL, d->a, 0, 0);
        if (gn_rng_chance(r, 0.9))
            due_push(s, d->t + sim_range(r, 60, 900), E_ATTR, ID_PHONE, d->a, 0, 0);
        if (gn_rng_chance(r, 0.75))
            due_push(s, d->t + sim_range(r, 600, 7200), E_ATTR, ID_PAY, d->a, 0, 0);
        if (gn_rng_chance(r, fake ? 0.5 : 0.6))
            due_push(s, d->t + sim_range(r, 600, 7200), E_ATTR, ID_BANK, d->a, 0, 0);
        if (gn_rng_chance(r, fake ? 0.35 : 0.5))
            due_push(s, d->t + sim_range(r, 600, 7200), E_ATTR, ID_ADDRESS, d->a, 0, 0);
        if (!fake && v->cls != SC_SECONDHAND && gn_rng_chance(r, 0.5))
            due_push(s, d->t + sim_range(r, 600, 7200), E_ATTR, ID_TAX, d->a, 0, 0);
        due_push(s, d->t + sim_range(r, 20, 300), E_SESSION, 0, d->a, 0, 0);
        if (v->verify) {
            int64_t sub = d->t + sim_range(r, 600, 86400);
            due_push(s, sub, E_VERIFY, 0, d->a, 0, 0);
            if (v->verify >= 2)
                due_push(s, sub + days_s(gn_rng_between(r, 0.5, fake ? 2 : 5)), E_VERIFY,
                         v->verify == 2 ? 1 : 2, d->a, 0, 0);
        }
        return 1;
    }
    case E_REFRESH:
        emit_seller(s, d->a, d->t, 1);
        due_push(s, d->t + days_s(7), E_REFRESH, 0, d->a, 0, 0);
        return 1;
    case E_ATTR:
        emit_attr(s, d->a, d->x, d->t);
        return 1;
    case E_VERIFY: {
        static const char *const status[] = {"\"submitted\"", "\"verified\"", "\"rejected\""};
        begin(s, TY_VERIF, d->t);
        field(b, "seller");
        sim_putid(b, 'S', s->sellers[d->a].pub);
        field(b, "status");
        sim_puts(b, status[d->x]);
        if (d->x == 0) {
            field(b, "documents");
            SIM_PUTL(b, "[{\"kind\":\"business_license\",\"number\":");
            const sim_seller *v = &s->sellers[d->a];
            put_value(s, b, ID_TAX, ident(s, ID_TAX, v->ring >= 0 ? gn_rng_next(r) : v->sibling, 0),
                      v->country);
            SIM_PUTL(b, ",\"issuer\":");
            sim_putjz(b, country_code(v->country));
            SIM_PUTL(b, "}]");
        }
        SIM_PUTL(b, "}");
        return 1;
    }
    case E_SESSION:
    case E_PUPPET_SESSION:
        emit_session(s, d);
        return 1;
    case E_UPDATE: {
        sim_listing *l = &s->listings[d->a];
        if (d->x == 0)
            l->price = (float)shop_price(l->price * gn_rng_between(r, 0.8, 1.1), l->currency, r);
        else if (d->x == 1)
            l->scrubbed = 1;
        else
            l->switched = 1;
        emit_listing(s, d->a, d->t, 1);
        s->updates++;
        return 1;
    }
    case E_ORDER:
        emit_order(s, d);
        return 1;
    case E_SHIP:
        emit_shipment(s, d);
        return 1;
    case E_REVIEW:
        emit_review(s, d);
        return 1;
    case E_REPORT:
        emit_report(s, d);
        return 1;
    case E_COMPLAINT_ADD: {
        sim_listing *l = &s->listings[d->a];
        sim_brand *br = &s->brands[l->brand];
        if (br->npending == br->cappending) {
            br->cappending = br->cappending ? br->cappending * 2 : 8;
            uint32_t *p = gn_xrealloc(br->pending, br->cappending * sizeof *p);
            br->pending = p;
        }
        br->pending[br->npending++] = d->a;
        if (!br->flush_due) { /* rights holders send notices in batches */
            br->flush_due = 1;
            int64_t at = d->t + sim_range(r, 6 * 3600, 48 * 3600);
            if (at >= s->tend) at = s->tend - 1;
            due_push(s, at, E_COMPLAINT_FLUSH, 0, l->brand, 0, 0);
        }
        return 0;
    }
    case E_COMPLAINT_FLUSH: {
        sim_brand *br = &s->brands[d->a];
        br->flush_due = 0;
        if (!br->npending) return 0;
        emit_complaint(s, d->a, d->t);
        if (br->npending) {
            br->flush_due = 1;
            due_push(s, d->t + 3600, E_COMPLAINT_FLUSH, 0, d->a, 0, 0);
        }
        return 1;
    }
    }
    return 0;
}

static void new_listing(gn_sim *s, uint32_t li)
{
    sim_listing *l = &s->listings[li];
    sim_seller *v = &s->sellers[l->seller];
    if (l->t - v->win_start > 86400) {
        v->win_start = l->t;
        v->win_count = 0;
    }
    l->price = (float)shop_price(l->price / rate_on(s, l->t, l->currency), l->currency, &s->rng);
    if (l->price <= 0) l->price = 1;
    emit_listing(s, li, l->t, 0);
    v->win_count++;
    s->class_listings[v->cls]++;
    if (l->fake) s->fake_count++;
    after_listing(s, li);
    for (int k = 0; k < NTACTIC; k++)
        if (l->tactics & (1u << k)) s->tactic_count[k]++;
}

int gn_sim_next(gn_sim *s, const char **line, size_t *len, int64_t *at)
{
    if (s->world) return gn_world_next(s->world, line, len, at);
    for (;;) {
        int listing_first =
            s->cursor < s->nlistings && (!s->nheap || s->listings[s->cursor].t <= s->heap[0].t);
        int64_t t;
        if (listing_first) {
            uint32_t li = s->cursor++;
            t = s->listings[li].t;
            s->clock = t;
            new_listing(s, li);
        } else if (s->nheap) {
            sim_due d = due_pop(s);
            t = d.t;
            s->clock = t;
            if (!handle(s, &d)) continue;
        } else {
            return 0;
        }
        s->now = t;
        s->line.data[s->line.len] = 0; /* room is always there: sim_put() keeps one byte */
        *line = s->line.data;
        *len = s->line.len;
        *at = t;
        return 1;
    }
}

int gn_sim_write_events(gn_sim *s, FILE *out, gn_error *err)
{
    const char *line;
    size_t len;
    int64_t at;
    while (gn_sim_next(s, &line, &len, &at)) {
        if (s->world) {
            if (fwrite(line, 1, len, out) != len || putc('\n', out) == EOF)
                return gn_fail(err, GN_EINPUT, "simulate: writing the events failed");
            continue;
        }
        s->line.data[len] = '\n'; /* the buffer always has room for its NUL */
        if (fwrite(line, 1, len + 1, out) != len + 1)
            return gn_fail(err, GN_EINPUT, "simulate: writing the events failed");
    }
    if (fflush(out) != 0 || ferror(out))
        return gn_fail(err, GN_EINPUT, "simulate: writing the events failed");
    return 0;
}

/* ------------------------------------------------------------------ truth and figures */

static void csv_time(FILE *f, int64_t t)
{
    if (t < 0) return;
    char text[21];
    sim_time_text(t, text);
    fputs(text, f);
}

int gn_sim_write_truth(gn_sim *s, FILE *listings, FILE *sellers, gn_error *err)
{
    if (s->world) return gn_world_write_truth(s->world, listings, sellers, err);
    if (listings) {
        fputs("listing,seller,counterfeit,class,tactics,ring,brand,category,price,currency,"
              "reference_usd,"
              "created_at,first_order_at,first_sale_at,orders\n",
              listings);
        for (uint32_t i = 0; i < s->nlistings; i++) {
            const sim_listing *l = &s->listings[i];
            const sim_seller *v = &s->sellers[l->seller];
            fprintf(listings, "L%u,S%u,%d,%s,", i + 1, v->pub, l->fake, class_names[v->cls]);
            int first = 1;
            for (int k = 0; k < NTACTIC; k++)
                if (l->tactics & (1u << k)) {
                    fprintf(listings, "%s%s", first ? "" : "+", tactic_names[k]);
                    first = 0;
                }
            fputc(',', listings);
            if (v->ring >= 0 && !s->rings[v->ring].solo)
                fprintf(listings, "R%u", s->rings[v->ring].pub);
            fputc(',', listings);
            if (l->brand != NO_BRAND) fprintf(listings, "B%u", l->brand + 1u);
            fprintf(listings, ",%s,%.2f,%s,%.2f,",
                    l->cat == CAT_ACCESSORIES ? "accessories" : categories[l->cat].name, l->price,
                    cur_code[l->currency], l->ref_usd);
            csv_time(listings, l->t);
            fputc(',', listings);
            csv_time(listings, l->first_order);
            fputc(',', listings);
            csv_time(listings, l->first_sale);
            fprintf(listings, ",%u\n", l->norders);
        }
        if (fflush(listings) != 0 || ferror(listings))
            return gn_fail(err, GN_EINPUT, "simulate: writing the listing truth failed");
    }
    if (sellers) {
        fputs("seller,class,counterfeit,ring,banned_comeback_of,created_at,active_from,active_"
              "until,listings,"
              "fakes,linked_buyers\n",
              sellers);
        for (uint32_t i = 0; i < s->nsellers; i++) {
            const sim_seller *v = &s->sellers[i];
            int fake = v->ring >= 0 || v->cls == SC_HYBRID;
            fprintf(sellers, "S%u,%s,%d,", v->pub, class_names[v->cls], fake);
            if (v->ring >= 0 && !s->rings[v->ring].solo)
                fprintf(sellers, "R%u", s->rings[v->ring].pub);
            fputc(',', sellers);
            if (v->comeback_of >= 0) fprintf(sellers, "S%u", s->sellers[v->comeback_of].pub);
            fputc(',', sellers);
            csv_time(sellers, v->created);
            fputc(',', sellers);
            csv_time(sellers, v->active_from);
            fputc(',', sellers);
            csv_time(sellers, v->active_until);
            fprintf(sellers, ",%u,%u,", v->nlistings, v->nfakes);
            uint32_t first = v->ring >= 0 ? s->rings[v->ring].puppet_first : v->puppet_first;
            uint32_t count = v->ring >= 0 ? s->rings[v->ring].npuppets : v->npuppets;
            for (uint32_t k = 0; k < count; k++)
                fprintf(sellers, "%sU%u", k ? "+" : "", s->puppets[first + k]);
            fputc('\n', sellers);
        }
        if (fflush(sellers) != 0 || ferror(sellers))
            return gn_fail(err, GN_EINPUT, "simulate: writing the seller truth failed");
    }
    return 0;
}

char *gn_sim_summary_json(gn_sim *s)
{
    if (s->world) return gn_world_summary_json(s->world);
    gn_buf b = {0};
    gn_buf_printf(
        &b,
        "{\"seed\":%llu,\"days\":%d,\"brands\":%u,\"sellers\":%u,\"rings\":%u,\"comebacks\":%llu,"
        "\"listings\":%u,\"counterfeit\":%llu,\"listing_updates\":%llu,\"brushing_orders\":%llu,"
        "\"events\":{",
        (unsigned long long)s->o.seed, s->o.days, s->nbrands, s->nsellers, s->nrings,
        (unsigned long long)s->comebacks, s->nlistings, (unsigned long long)s->fake_count,
        (unsigned long long)s->updates, (unsigned long long)s->brushing);
    uint64_t total = 0;
    for (int i = 0; i < NTY; i++) {
        gn_buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", type_names[i],
                      (unsigned long long)s->by_type[i]);
        total += s->by_type[i];
    }
    gn_buf_printf(&b, ",\"total\":%llu},\"listings_by_seller_class\":{", (unsigned long long)total);
    for (int i = 0; i < NSC; i++)
        gn_buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", class_names[i],
                      (unsigned long long)s->class_listings[i]);
    gn_buf_printf(&b, "},\"traits\":{");
    for (int i = 0; i < NTACTIC; i++)
        gn_buf_printf(&b, "%s\"%s\":%llu", i ? "," : "", tactic_names[i],
                      (unsigned long long)s->tactic_count[i]);
    gn_buf_printf(&b, "}}");
    return gn_buf_take(&b);
}

double gn_sim_audit_rate(const gn_sim *s)
{
    return s->world ? gn_world_audit_rate(s->world) : 0;
}

int gn_sim_listing_is_counterfeit(const gn_sim *s, const char *listing_id)
{
    if (s->world) return gn_world_listing_is_counterfeit(s->world, listing_id);
    if (!listing_id || listing_id[0] != 'L') return -1;
    char *end;
    unsigned long n = strtoul(listing_id + 1, &end, 10);
    if (*end || n < 1 || n > s->nlistings) return -1;
    return s->listings[n - 1].fake;
}
