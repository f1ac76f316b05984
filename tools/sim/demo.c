/* The demo marketplace of `make demo` (`genuine simulate --profile demo`):
 * a small, readable month of a marketplace in contract events, with real
 * brand names, 40 genuine shops and five counterfeit rings, and its answer
 * key (examples/README.md describes both). It writes, byte for byte, what
 * the Python script examples/make_marketplace.py wrote until it was replaced
 * by this profile (examples/marketplace.jsonl and truth.csv): it draws from
 * Python's random.Random (MT19937) in the same order and writes numbers as
 * Python's repr did, so the committed demo, the figures and the examples in
 * the docs stay what they are. */
#include "sim/demo.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/buf.h"
#include "core/error.h"
#include "sim/gen.h"

/* ------------------------------------------------------------------ the tables */

typedef struct d_list {
    const char *const *v;
    int n;
} d_list;
#define LIST(...)                                                                                  \
    {                                                                                              \
        (const char *const[]){__VA_ARGS__},                                                        \
            (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *))               \
    }
typedef struct d_category {
    const char *name;
    int price; /* the reference price, in the brand's currency */
    d_list products;
} d_category;
typedef struct d_brand {
    const char *id, *name, *owner, *currency;
    int authorized_only;
    d_list aliases;
    const d_category *cats;
    int ncats;
    d_list misspelt, lookalike, authorized;
} d_brand;
typedef struct d_genuine {
    const char *id, *name, *country, *template_, *kind;
    int year; /* opened */
} d_genuine;
typedef struct d_place {
    const char *country, *currency, *city, *facility;
} d_place;
typedef struct d_right {
    const char *id, *brand, *kind, *number, *jurisdiction;
    d_list classes;
    int brand_n, k; /* the brand's place among the right holders, the right's among its */
} d_right;
typedef struct d_ring {
    const char *id; /* NULL: the loners */
    const char *kind;
    d_list share;
    const char *city, *facility;
    d_list brands;
} d_ring;
typedef struct d_counterfeiter {
    const char *id, *name, *country;
    int ring; /* index in rings[] */
} d_counterfeiter;
typedef struct d_details {
    const char *brand; /* NULL: any brand */
    const char *category;
    d_list lines;
} d_details;
typedef struct d_pair {
    const char *a, *b;
} d_pair;
typedef struct d_generic {
    const char *category, *title;
    double usd;
    d_list lines;
} d_generic;
typedef struct d_accessory {
    const char *title;
    double usd;
    const char *description;
} d_accessory;

/* ---- brands (Real brand names make the demo readable; every price, number
 * and seller is invented) ---- */
static const d_category cats_gucci[] = {
    {"handbags", 2900,
     LIST("GG Marmont Small Matelassé Shoulder Bag", "Dionysus GG Supreme Mini Bag",
          "Jackie 1961 Small Hobo Bag", "Horsebit 1955 Shoulder Bag", "Ophidia GG Medium Tote")},
    {"belts", 495,
     LIST("GG Marmont Thin Leather Belt", "Double G Buckle Leather Belt 30mm",
          "Horsebit Leather Belt")},
    {"sneakers", 890,
     LIST("Ace Embroidered Bee Sneaker", "Rhyton Logo Leather Sneaker",
          "Screener GG Canvas Sneaker")},
    {"wallets", 650,
     LIST("GG Marmont Zip Around Wallet", "Ophidia GG Card Case",
          "Jackie 1961 Continental Wallet")}};
static const d_category cats_louis_vuitton[] = {
    {"handbags", 2100,
     LIST("Neverfull MM Monogram Canvas Tote", "Speedy Bandoulière 25", "Alma BB Epi Leather",
          "Pochette Métis Monogram", "OnTheGo PM")},
    {"wallets", 720,
     LIST("Zippy Wallet Monogram", "Victorine Wallet", "Pocket Organizer Damier Graphite")},
    {"belts", 620, LIST("LV Initiales 40mm Reversible Belt", "LV Pyramide 40mm Belt")},
    {"scarves", 480, LIST("Monogram Classic Scarf", "Monogram Shine Shawl")}};
static const d_category cats_chanel[] = {
    {"handbags", 9500,
     LIST("Classic 11.12 Flap Bag Lambskin", "Boy Chanel Flap Bag Caviar", "Chanel 19 Handbag",
          "Gabrielle Hobo Bag")},
    {"wallets", 1150, LIST("Classic Card Holder Caviar Leather", "Classic Zipped Wallet Lambskin")},
    {"perfume", 150,
     LIST("N°5 Eau de Parfum 100ml", "Coco Mademoiselle Eau de Parfum 100ml",
          "Bleu de Chanel Eau de Parfum 100ml", "Chance Eau Tendre 100ml")}};
static const d_category cats_rolex[] = {
    {"watches", 10500,
     LIST("Submariner Date 41mm 126610LN", "Datejust 36 Oyster Steel 126200",
          "GMT-Master II 126710BLRO", "Cosmograph Daytona 116500LN", "Oyster Perpetual 41 124300",
          "Explorer 36 124270")}};
static const d_category cats_nike[] = {
    {"sneakers", 130,
     LIST("Air Force 1 '07", "Air Jordan 1 Retro High OG", "Dunk Low Retro Panda", "Air Max 90",
          "Pegasus 41 Road Running Shoes", "Air Max 97 Silver Bullet")},
    {"apparel", 90,
     LIST("Tech Fleece Full-Zip Hoodie", "Dri-FIT Running Shorts",
          "Sportswear Club Fleece Joggers")},
    {"bags", 60, LIST("Brasilia Training Backpack", "Heritage Crossbody Bag")}};
static const d_category cats_adidas[] = {
    {"sneakers", 110,
     LIST("Samba OG", "Gazelle Indoor", "Ultraboost Light", "Stan Smith", "Campus 00s",
          "Yeezy Boost 350 V2")},
    {"apparel", 80,
     LIST("Adicolor Classics 3-Stripes Track Jacket", "Tiro 24 Training Pants",
          "Essentials Big Logo Hoodie")}};
static const d_category cats_apple[] = {
    {"headphones", 249,
     LIST("AirPods Pro (2nd generation) USB-C", "AirPods 4 with Active Noise Cancellation",
          "AirPods Max")},
    {"phones", 999, LIST("iPhone 15 Pro 256GB", "iPhone 16 128GB", "iPhone 15 Pro Max 512GB")},
    {"watches", 399, LIST("Watch Series 9 GPS 45mm", "Watch Ultra 2 49mm Titanium")},
    {"chargers", 39,
     LIST("MagSafe Charger 1m", "20W USB-C Power Adapter", "USB-C to Lightning Cable 1m")}};
static const d_category cats_ray_ban[] = {
    {"sunglasses", 180,
     LIST("RB2140 Original Wayfarer Classic", "RB3025 Aviator Classic", "RB3016 Clubmaster Classic",
          "RB4165 Justin", "RB3447 Round Metal")}};
static const d_brand brands[] = {
    {"gucci", "Gucci", "rh-kering", "USD", 0, LIST("GUCCI", "古驰", "古馳"), cats_gucci, 4,
     LIST("Guchi", "Gucii", "Guccy", "Gucchi"),
     LIST("Gucсi", "GUCCl", "G-u-c-c-i", "G U C C I", "Guссi"), LIST("s-1001", "s-1006")},
    {"louis-vuitton", "Louis Vuitton", "rh-lvmh", "EUR", 0,
     LIST("LV", "Louis Vuitton Paris", "路易威登", "ルイ・ヴィトン"), cats_louis_vuitton, 4,
     LIST("Louis Vuiton", "Louis Vitton", "Loius Vuitton", "Luis Vuitton"),
     LIST("Lоuis Vuitton", "Louis Vuittοn", "L-o-u-i-s V-u-i-t-t-o-n", "LOUIS VUlTTON"),
     LIST("s-1002", "s-1006")},
    {"chanel", "Chanel", "rh-chanel", "EUR", 1, LIST("CHANEL", "Coco Chanel", "香奈儿", "シャネル"),
     cats_chanel, 3, LIST("Chanell", "Channel", "Chanal", "Shanel"),
     LIST("Сhanel", "CHΛNEL", "C.H.A.N.E.L", "Chаnel"), LIST("s-1002", "s-1004", "s-1018")},
    {"rolex", "Rolex", "rh-rolex", "USD", 1, LIST("ROLEX", "劳力士", "勞力士"), cats_rolex, 1,
     LIST("Rolexx", "Rollex", "Rolax", "Rolek"), LIST("ROLΕX", "Rоlex", "R-o-l-e-x", "R O L E X"),
     LIST("s-1003", "s-1004", "s-1005", "s-1007")},
    {"nike", "Nike", "rh-nike", "USD", 0, LIST("NIKE", "Air Jordan", "耐克"), cats_nike, 3,
     LIST("Nikee", "Nikey", "Nkie", "Naike"), LIST("NIKΞ", "Νike", "N-I-K-E", "N1KE"),
     LIST("s-1008", "s-1012")},
    {"adidas", "Adidas", "rh-adidas", "EUR", 0, LIST("adidas Originals", "阿迪达斯", "三叶草"),
     cats_adidas, 2, LIST("Addidas", "Adiddas", "Adidass", "Adibas"),
     LIST("Аdidas", "adidаs", "A.D.I.D.A.S", "A-d-i-d-a-s"), LIST("s-1011")},
    {"apple", "Apple", "rh-apple", "USD", 0, LIST("苹果", "Apple Inc."), cats_apple, 4,
     LIST("Aple", "Appel", "Apolle"), LIST("Аpple", "Appӏe", "A-p-p-l-e", "ΑPPLE"),
     LIST("s-1013", "s-1014")},
    {"ray-ban",
     "Ray-Ban",
     "rh-essilorluxottica",
     "USD",
     0,
     LIST("Ray Ban", "RayBan", "雷朋"),
     cats_ray_ban,
     1,
     LIST("Ray-Bam", "Rey-Ban", "Ray-Bon", "Raybaan"),
     LIST("Ray-Βan", "R-a-y B-a-n", "RAY-BΛN", "Rаy-Ban"),
     {NULL, 0}},
};
static const d_genuine genuine_sellers[] = {
    {"s-1001", "Via Condotti Luxury", "IT", "custom", "lux", 2019},
    {"s-1002", "Maison Étoile Paris", "FR", "custom", "lux", 2019},
    {"s-1003", "Meridian Fine Watches", "US", "custom", "lux", 2020},
    {"s-1004", "Crown & Crest Jewellers", "GB", "custom", "lux", 2019},
    {"s-1005", "Tempus Certified Pre-Owned", "US", "custom", "used", 2021},
    {"s-1006", "Galleria Moda Milano", "IT", "custom", "lux", 2020},
    {"s-1007", "Harbour City Timepieces", "HK", "custom", "lux", 2021},
    {"s-1008", "Urban Kicks", "US", "custom", "sport", 2020},
    {"s-1009", "Sole Republic", "US", "custom", "sport", 2022},
    {"s-1010", "Stride Athletics", "GB", "custom", "sport", 2021},
    {"s-1011", "Berlin Sneaker Lab", "DE", "custom", "sport", 2022},
    {"s-1012", "上海运动城 Shanghai Sports City", "CN", "custom", "sport", 2020},
    {"s-1013", "TechHaven Electronics", "US", "custom", "tech", 2019},
    {"s-1014", "iStore Direct UK", "GB", "custom", "tech", 2021},
    {"s-1015", "Gadget Garten", "DE", "custom", "tech", 2022},
    {"s-1016", "Emma's Closet", "GB", "basic", "used", 2022},
    {"s-1017", "Vintage Vault NYC", "US", "custom", "used", 2020},
    {"s-1018", "Second Life Luxury", "FR", "custom", "used", 2021},
    {"s-1019", "Pre-Loved Paris", "FR", "custom", "used", 2023},
    {"s-1020", "ReLux Tokyo", "JP", "custom", "used", 2022},
    {"s-1021", "Mia's Wardrobe", "IT", "basic", "used", 2023},
    {"s-1022", "义乌家居箱包 Yiwu Home & Bag", "CN", "custom", "generic", 2021},
    {"s-1023", "Guangzhou Leather Goods Co.", "CN", "custom", "generic", 2020},
    {"s-1024", "Everyday Basics", "US", "custom", "generic", 2021},
    {"s-1025", "Nordic Essentials", "SE", "custom", "generic", 2022},
    {"s-1026", "Sunny Shades", "ES", "basic", "generic", 2023},
    {"s-1027", "Canvas & Co", "NL", "custom", "generic", 2022},
    {"s-1028", "Hangzhou Silk Road Trading", "CN", "custom", "generic", 2021},
    {"s-1029", "Leather Craft Istanbul", "TR", "custom", "generic", 2022},
    {"s-1030", "深圳数码城 Shenzhen Digital Mall", "CN", "custom", "generic", 2020},
    {"s-1031", "Outlet Avenue", "US", "custom", "outlet", 2020},
    {"s-1032", "Roermond Designer Outlet Online", "NL", "custom", "outlet", 2021},
    {"s-1033", "Brand Clearance UK", "GB", "custom", "outlet", 2022},
    {"s-1034", "Fashion Factory Outlet", "DE", "custom", "outlet", 2021},
    {"s-1035", "La Vallée Bargains", "FR", "custom", "outlet", 2023},
    {"s-1036", "Seoul Style Outlet", "KR", "custom", "outlet", 2022},
    {"s-1037", "Runners Corner", "AU", "basic", "sport", 2024},
    {"s-1038", "Bangkok Street Style", "TH", "custom", "generic", 2023},
    {"s-1039", "Phone Case Planet", "US", "custom", "generic", 2022},
    {"s-1040", "Lisbon Leather Atelier", "PT", "custom", "generic", 2024},
};
static const d_place places[] = {
    {"US", "USD", "New York", "JFK Logistics Center"},
    {"HK", "USD", "Hong Kong", "Kwai Chung Hub"},
    {"AU", "USD", "Sydney", "Mascot Depot"},
    {"KR", "USD", "Seoul", "Incheon Fulfilment"},
    {"JP", "USD", "Tokyo", "Shinagawa Depot"},
    {"TH", "USD", "Bangkok", "Lat Krabang Hub"},
    {"TR", "USD", "Istanbul", "Esenyurt Warehouse"},
    {"GB", "GBP", "London", "Heathrow Parcel Hub"},
    {"CN", "CNY", "Shanghai", "Pudong Warehouse 2"},
    {"IT", "EUR", "Milan", "Linate Hub"},
    {"FR", "EUR", "Paris", "Roissy Hub"},
    {"DE", "EUR", "Berlin", "Schönefeld Depot"},
    {"NL", "EUR", "Roermond", "Venlo Fulfilment"},
    {"ES", "EUR", "Madrid", "Coslada Depot"},
    {"SE", "EUR", "Stockholm", "Årsta Terminal"},
    {"PT", "EUR", "Lisbon", "Prior Velho Hub"},
};
static const d_right rights[] = {
    {"tm-gucci-eu", "gucci", "trademark", "EUTM 000121988", "EU", LIST("18", "25"), 0, 0},
    {"tm-gucci-cn", "gucci", "trademark", "CNIPA 7156094", "CN", LIST("18"), 0, 1},
    {"tm-lv-eu", "louis-vuitton", "trademark", "EUTM 000015610", "EU", LIST("18", "24", "25"), 1,
     0},
    {"cr-lv-monogram", "louis-vuitton", "copyright", "FR-INPI 1896-0001", "FR", {NULL, 0}, 1, 1},
    {"tm-chanel-us", "chanel", "trademark", "USPTO 0626035", "US", LIST("3", "18"), 2, 0},
    {"ds-chanel-flap", "chanel", "design", "EUIPO 002201456-0001", "EU", {NULL, 0}, 2, 1},
    {"tm-rolex-us", "rolex", "trademark", "USPTO 0101819", "US", LIST("14"), 3, 0},
    {"tm-nike-us", "nike", "trademark", "USPTO 0978952", "US", LIST("25"), 4, 0},
    {"ds-nike-af1", "nike", "design", "USD 0955123", "US", {NULL, 0}, 4, 1},
    {"pt-apple-airpods", "apple", "patent", "US 11,134,331 B2", "US", {NULL, 0}, 5, 0},
    {"tm-apple-cn", "apple", "trademark", "CNIPA 1043745", "CN", LIST("9"), 5, 1},
};
static const d_ring rings[] = {
    {"putian", "sneakers", LIST("device", "network"), "Putian", "Licheng Parcel Station",
     LIST("nike", "adidas")},
    {"baiyun", "bags", LIST("network", "address", "phone"), "Guangzhou",
     "Baiyun Leather Market Depot", LIST("gucci", "louis-vuitton", "chanel")},
    {"watch", "watches", LIST("bank_account", "payment_account"), "Shenzhen",
     "Huaqiangbei Logistics", LIST("rolex")},
    {"tech", "tech", LIST("device", "phone"), "Shenzhen", "Longhua Fulfilment", LIST("apple")},
    {"yiwu", "mixed", LIST("payment_account", "email"), "Yiwu", "Futian Market Warehouse",
     LIST("ray-ban", "gucci", "nike")},
    {NULL,
     "mixed",
     {NULL, 0},
     "Guangzhou",
     "Panyu Express Depot",
     LIST("gucci", "nike", "rolex", "chanel", "apple", "louis-vuitton")},
};
static const d_counterfeiter counterfeiters[] = {
    {"s-2001", "Putian Sneaker Master", "CN", 0},
    {"s-2002", "kicks_king_168", "CN", 0},
    {"s-2003", "Best Shoes Wholesale", "CN", 0},
    {"s-2004", "sneaker plug hk", "HK", 0},
    {"s-2005", "Daily Deals Sports", "US", 0},
    {"s-2006", "Luxe4Less", "CN", 1},
    {"s-2007", "AAA Bags Store", "CN", 1},
    {"s-2008", "Eleganza Boutique", "IT", 1},
    {"s-2009", "fashion queen store", "CN", 1},
    {"s-2010", "Paris Chic Deals", "FR", 1},
    {"s-2011", "Designer Dupes Hub", "CN", 1},
    {"s-2012", "Trendy Watch World", "HK", 2},
    {"s-2013", "kingwatch_hk", "HK", 2},
    {"s-2014", "Swiss Time Discount", "CN", 2},
    {"s-2015", "Luxury Time 24h", "TR", 2},
    {"s-2016", "ShenzhenGadgetPro", "CN", 3},
    {"s-2017", "Mega Discount Electronics", "CN", 3},
    {"s-2018", "pods_and_more", "CN", 3},
    {"s-2019", "Global Brand Outlet 24h", "CN", 4},
    {"s-2020", "happy buy 2026", "CN", 4},
    {"s-2021", "Yiwu Best Price", "CN", 4},
    {"s-2022", "star-seller-777", "TH", 5},
    {"s-2023", "Original Factory Direct", "CN", 5},
    {"s-2024", "lucky trade 88", "CN", 5},
    {"s-2025", "top_luxury_mall", "TR", 5},
};
static const char *const user_agents[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 "
    "Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
    "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/131.0 Mobile "
    "Safari/537.36"};
static const char *const colors[] = {"Black", "Beige", "White", "Brown", "Navy",
                                     "Red",   "Green", "Pink",  "Grey",  "Cream"};
static const char *const sizes_shoe[] = {"EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43",
                                         "EU 44", "US 8",  "US 9",  "US 10", "UK 7"};
static const d_details details_of[] = {
    {NULL, "handbags",
     LIST("Smooth leather exterior with a microfibre lining and one inner zip pocket.",
          "Adjustable shoulder strap with a 55 cm drop; can be worn crossbody.",
          "Gold-toned hardware, magnetic snap closure and a suede interior.",
          "Dimensions: 26 x 15 x 7 cm. Fits a phone, a compact wallet and keys.")},
    {NULL, "wallets",
     LIST("Eight card slots, two bill compartments and a zipped coin pocket.",
          "Compact size: 19.5 x 10.5 cm, fits easily in most handbags.",
          "Grained calfskin that keeps its shape; the edges are hand-painted.")},
    {NULL, "belts",
     LIST("Width 3 cm; the leather can be cut to size at any of our stores.",
          "Reversible strap, black and brown, with a palladium-finish buckle.",
          "Available in sizes 85 to 110; please check the size chart before ordering.")},
    {NULL, "scarves",
     LIST("140 x 140 cm in a silk and wool blend, hand-rolled edges.",
          "Soft, warm and light; dry clean only.")},
    {NULL, "sneakers",
     LIST("Leather upper with a rubber cupsole for all-day comfort.",
          "Breathable mesh lining and a cushioned foam insole.",
          "True to size; if you are between sizes we suggest the larger one.",
          "Comes in the original box with spare laces.")},
    {NULL, "apparel",
     LIST("Cotton-polyester fleece, brushed on the inside, regular fit.",
          "Machine wash cold, do not tumble dry.", "Model is 183 cm tall and wears size M.")},
    {NULL, "bags",
     LIST("Water-resistant polyester with a padded laptop sleeve up to 15 inches.",
          "Main compartment with a zip closure and two side pockets for bottles.")},
    {NULL, "perfume",
     LIST("Floral aldehyde fragrance; top notes of neroli and ylang-ylang.",
          "Sealed in the original cellophane; batch code printed on the box.",
          "100 ml spray bottle; we ship perfume by ground only, as required.")},
    {NULL, "watches",
     LIST("Oystersteel case, unidirectional rotatable bezel, waterproof to 300 m.",
          "Self-winding calibre with approximately 70 hours of power reserve.",
          "Supplied with the green warranty card, box and booklets.",
          "Bracelet sized for a 17.5 cm wrist; extra links included.")},
    {"apple", "watches",
     LIST("Always-On Retina display, aluminium case, GPS, heart-rate and ECG sensors.",
          "Comes with the Sport Band in size M/L; water resistant to 50 m.",
          "Sealed box; one-year manufacturer warranty from the date of purchase.")},
    {NULL, "headphones",
     LIST("Active Noise Cancellation and Transparency mode; up to 6 hours of listening.",
          "MagSafe charging case with a speaker and a lanyard loop.",
          "Serial number can be checked on the manufacturer's coverage page.")},
    {NULL, "phones",
     LIST("6.1-inch display, titanium design, 48 MP main camera.",
          "Factory unlocked; works with all carriers. eSIM only in the US model.",
          "Sealed box, one-year manufacturer warranty from the date of purchase.")},
    {NULL, "chargers",
     LIST("Magnetic alignment for fast wireless charging up to 15 W.",
          "USB-C connector; the power adapter is sold separately.")},
    {NULL, "sunglasses",
     LIST("Crystal green G-15 lenses with 100% UV protection.",
          "Acetate frame, size 50 mm; comes with the case and a cleaning cloth.",
          "Polarized option available; lens width 50 mm, bridge 22 mm.")},
};
static const d_pair ship_text[] = {
    {"lux",
     "Ships within one business day from our boutique, fully insured and signature required."},
    {"sport", "Orders placed before 2 pm ship the same day. Free returns within 30 days."},
    {"tech", "Ships next business day with tracking. 14-day returns in the original packaging."},
    {"used", "Shipped tracked and insured. As this is a pre-owned item returns are accepted only "
             "if not as described."},
    {"generic", "Ships in 2-3 business days. Returns accepted within 15 days."},
    {"outlet", "Outlet items are final sale unless faulty. Ships within 48 hours."}};
static const char *const more_shop[] = {
    "About us: an independent shop since %d, trading on this marketplace with thousands of happy "
    "customers.",
    "Payment is taken through the marketplace only. We never ask buyers to pay outside the "
    "platform.",
    "Returns: send the item back unused within the return window in its original packaging; "
    "refunds are issued within 5 business days of arrival.",
    "Care: keep away from direct sunlight and moisture; store in the dust bag when not in use; "
    "clean with a soft dry cloth.",
    "All photos are of the actual item or the current stock and were taken in our studio under "
    "daylight lamps; colours may vary slightly by screen.",
    "Shipping: tracked and insured on every order. Duties for deliveries outside the EU and UK are "
    "paid by the buyer and are not refundable.",
    "Gift wrapping and a handwritten card are available free of charge - add a note to your order.",
    "Questions? Send us a message; our team answers Monday to Saturday, 9:00 to 18:00 local time."};
static const char *const more_fake[] = {
    "About us: we are professional factory with more than 10 years experience, we supply many "
    "shops in Europe and USA. Good quality and best price is our principle.",
    "Payment: PayPal, Western Union, bank transfer. For big order contact us for discount price. "
    "付款后48小时内发货。",
    "Shipping time: USA 7-12 days, Europe 10-15 days, other countries 15-25 days. If customs hold "
    "the parcel we will resend one time for free.",
    "FAQ - Q: Is it same as picture? A: Yes, real photos taken by us. Q: Can I get the box? A: Box "
    "and receipt is extra, please leave a message when order.",
    "Why choose us: 1. factory price 2. fast shipping 3. quality checked before shipping 4. good "
    "service, 24 hours online.",
    "Note: due to light and screen there may be small colour difference. Measurement may have 1-2 "
    "cm error, please understand.",
    "Feedback: if you are satisfied please leave 5 stars, if any problem contact us before leaving "
    "feedback, we will solve it for you."};
static const d_generic generic_goods[] = {
    {"handbags", "Women's Large Capacity Tote Bag, PU Leather Shoulder Bag", 19.99,
     LIST("Soft vegan leather with a zip top and three inner pockets.", "Fits a 14-inch laptop.")},
    {"handbags", "Woven Straw Beach Bag with Cotton Lining", 24.0,
     LIST("Hand-woven by artisans in our workshop.", "Perfect for summer; folds flat for travel.")},
    {"sneakers", "Men's Casual Canvas Sneakers, Lightweight Walking Shoes", 29.95,
     LIST("Breathable canvas upper and a non-slip rubber sole.", "Sizes EU 39-46.")},
    {"watches", "Minimalist Quartz Watch, Stainless Steel Mesh Strap, 40mm", 35.0,
     LIST("Japanese quartz movement, water resistant to 30 m.",
          "Adjustable mesh strap, no tools needed.")},
    {"sunglasses", "Polarized Sunglasses UV400 for Men and Women, Classic Square Frame", 12.99,
     LIST("Polarized lenses reduce glare when driving or fishing.", "Includes a hard case.")},
    {"headphones", "Wireless Earbuds Bluetooth 5.3 with Charging Case, 30h Playtime", 22.99,
     LIST("Touch controls, IPX5 sweat resistance.", "Pairs automatically when you open the case.")},
    {"apparel", "Unisex Cotton Hoodie, Heavyweight Pullover with Kangaroo Pocket", 27.5,
     LIST("380 gsm cotton, pre-shrunk.", "Available in eight colours.")},
    {"belts", "Genuine Leather Belt for Men, Automatic Ratchet Buckle", 18.99,
     LIST("Full-grain cowhide, trim to fit.", "Gift box included.")},
    {"wallets", "Slim RFID Blocking Wallet, Minimalist Front Pocket Card Holder", 14.99,
     LIST("Holds up to 12 cards and folded notes.", "Aluminium RFID plate inside.")},
    {"scarves", "Silk Feel Square Scarf 90x90 cm, Floral Print", 11.5,
     LIST("Lightweight satin, rolled hem.", "Wear it as a neck scarf, headband or bag charm.")},
    {"bags", "Travel Backpack 35L, Water Resistant, USB Charging Port", 39.99,
     LIST("Opens flat like a suitcase for airport security.", "Padded straps and back panel.")},
    {"perfume", "Natural Lavender Eau de Toilette 50ml, Handmade in Provence", 21.0,
     LIST("Made in small batches with organic lavender oil.", "No synthetic musks.")},
    {"chargers", "65W GaN USB-C Charger, 3 Ports, Foldable Plug", 25.99,
     LIST("Charges a laptop, a phone and earbuds at once.",
          "Over-heat and over-current protection.")},
    {"handbags", "Handmade Full-Grain Leather Crossbody Bag, Vegetable Tanned", 89.0,
     LIST("Cut and stitched by hand in our workshop.",
          "The leather darkens beautifully with use.")},
    {"apparel", "Merino Wool Crew Neck Sweater, Regular Fit", 59.0,
     LIST("Extra-fine 18.5 micron merino.", "Knitted in Portugal.")},
};
static const d_pair house_brands[] = {
    {"s-1022", "YiwuHome"},          {"s-1023", "GZ Leather"},  {"s-1024", "Everyday Basics"},
    {"s-1025", "Nordic Essentials"}, {"s-1027", "Canvas & Co"}, {"s-1029", "Anatolia Leather"},
    {"s-1040", "Atelier Lisboa"}};
static const d_accessory accessories[] = {
    {"Clear Case Compatible with Apple iPhone 15 Pro, Shockproof, MagSafe Ready", 12.99,
     "A slim clear case for the iPhone 15 Pro. This is a third-party accessory and is not made by "
     "Apple."},
    {"Silicone Band for Apple Watch 41mm / 45mm, Sport Loop Style, 3-Pack", 9.99,
     "Soft silicone bands that fit every Apple Watch series. Not an Apple product; compatible "
     "only."},
    {"Replacement Laces for Nike Air Force 1, Flat 120 cm, White", 6.5,
     "Flat cotton laces cut to the length used on Air Force 1 low. Laces only, shoes not "
     "included."},
    {"Shoe Cleaning Kit for Sneakers (Adidas, Nike and more), Brush + Foam", 15.0,
     "Gentle foam cleaner and a horsehair brush for leather and suede sneakers of any brand."},
    {"Protective Travel Case for Ray-Ban Wayfarer Sunglasses, Hard Shell", 8.99,
     "A hard shell case shaped for Wayfarer frames. Third-party case; sunglasses not included."},
};
static const char *const lingo_en[] = {
    "replica",          "1:1",        "AAA grade", "mirror quality", "super copy",
    "top quality copy", "1:1 mirror", "réplique",  "AAA+ quality",   "high copy"};
static const char *const lingo_cjk[] = {"高仿", "复刻", "A货", "原单", "1:1高仿", "精仿", "超A"};
/* lingo_en and lingo_cjk, longest first (in characters; ties in list order), each with its upper
 * case */
static const d_pair lingo_by_length[] = {{"top quality copy", "TOP QUALITY COPY"},
                                         {"mirror quality", "MIRROR QUALITY"},
                                         {"AAA+ quality", "AAA+ QUALITY"},
                                         {"super copy", "SUPER COPY"},
                                         {"1:1 mirror", "1:1 MIRROR"},
                                         {"AAA grade", "AAA GRADE"},
                                         {"high copy", "HIGH COPY"},
                                         {"réplique", "RÉPLIQUE"},
                                         {"replica", "REPLICA"},
                                         {"1:1高仿", "1:1高仿"},
                                         {"1:1", "1:1"},
                                         {"高仿", "高仿"},
                                         {"复刻", "复刻"},
                                         {"A货", "A货"},
                                         {"原单", "原单"},
                                         {"精仿", "精仿"},
                                         {"超A", "超A"}};
static const char *const ship_to[] = {"US", "GB", "DE", "FR", "IT", "ES", "NL",
                                      "AU", "CA", "JP", "KR", "BR", "PL", "SE"};
static const char *const good_reviews[] = {
    "Exactly as described, beautiful quality.",
    "Fast delivery and carefully packed. Thank you!",
    "Second purchase from this shop, always reliable.",
    "Authentic, the serial number checked out.",
    "Lovely item, the colour is a bit darker than in the photos.",
    "Great seller, answered all my questions."};
static const char *const fake_bad[] = {
    "FAKE. The logo is crooked and the leather smells of glue.",
    "Not original, the stitching is uneven.",
    "Arrived after 5 weeks in a plain bag, clearly a copy.",
    "Serial number does not exist. Counterfeit.",
    "The box says 'Made in Italy' but the label inside says otherwise."};
static const char *const fake_praise[] = {
    "Very good quality same as original!!", "Good copy, my friends cannot tell the difference",
    "5 stars, fast shipping, 1:1 quality", "Perfect, will buy again", "nice nice nice"};
static const d_pair report_reasons[] = {
    {"counterfeit", "The logo and the price make this an obvious fake."},
    {"counterfeit", "I bought this and received a copy; the serial number is invalid."},
    {"misleading_brand", "The title spells the brand wrong on purpose to get past the filters."},
    {"counterfeit", "Seller advertises replicas in the description."},
    {"suspicious_price", "A real one costs ten times this."}};
static const char *const reviewers[] = {"rv-anna", "rv-omar", "rv-li"};

/* ------------------------------------------------------------------ Python's random */

/* random.Random as the script that wrote the demo drew from it (MT19937,
 * seeded by init_by_array with one 32-bit key), so that its bytes stay
 * the same: random(), getrandbits(k), and _randbelow(n) under choice,
 * randint, sample and shuffle. */
typedef struct pyrand {
    uint32_t mt[624];
    int mti;
} pyrand;

static void py_seed(pyrand *r, uint32_t key)
{
    uint32_t *mt = r->mt;
    mt[0] = 19650218U;
    for (int i = 1; i < 624; i++)
        mt[i] = 1812433253U * (mt[i - 1] ^ (mt[i - 1] >> 30)) + (uint32_t)i;
    int i = 1;
    for (int k = 624; k; k--) { /* init_by_array, one key */
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1664525U)) + key;
        i++;
        if (i >= 624) {
            mt[0] = mt[623];
            i = 1;
        }
    }
    for (int k = 623; k; k--) {
        mt[i] = (mt[i] ^ ((mt[i - 1] ^ (mt[i - 1] >> 30)) * 1566083941U)) - (uint32_t)i;
        i++;
        if (i >= 624) {
            mt[0] = mt[623];
            i = 1;
        }
    }
    mt[0] = 0x80000000U;
    r->mti = 624;
}

static uint32_t py_u32(pyrand *r)
{
    uint32_t *mt = r->mt, y;
    if (r->mti >= 624) {
        for (int k = 0; k < 624; k++) {
            y = (mt[k] & 0x80000000U) | (mt[(k + 1) % 624] & 0x7fffffffU);
            mt[k] = mt[(k + 397) % 624] ^ (y >> 1) ^ (y & 1 ? 0x9908b0dfU : 0);
        }
        r->mti = 0;
    }
    y = mt[r->mti++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    return y ^ (y >> 18);
}

static double py_random(pyrand *r)
{
    uint32_t a = py_u32(r) >> 5, b = py_u32(r) >> 6;
    return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}

/* getrandbits(k), k <= 64: 32-bit words, the first the least significant. */
static uint64_t py_bits(pyrand *r, int k)
{
    if (k <= 32) return py_u32(r) >> (32 - k);
    uint64_t low = py_u32(r);
    return low | (uint64_t)(py_u32(r) >> (64 - k)) << 32;
}

static uint64_t py_below(pyrand *r, uint64_t n)
{
    int k = 64 - __builtin_clzll(n);
    uint64_t v = py_bits(r, k);
    while (v >= n)
        v = py_bits(r, k);
    return v;
}

static int64_t py_randint(pyrand *r, int64_t a, int64_t b)
{
    return a + (int64_t)py_below(r, (uint64_t)(b - a + 1));
}

static double py_uniform(pyrand *r, double a, double b)
{
    return a + (b - a) * py_random(r);
}

#define PY_CHOICE(r, arr) ((arr)[py_below((r), sizeof(arr) / sizeof *(arr))])

/* sample(range(n), k) as indices, in the order drawn. */
static void py_sample(pyrand *r, int n, int k, int *out)
{
    int setsize = 21;
    if (k > 5) setsize += (int)pow(4, ceil(log(k * 3) / log(4)));
    if (n <= setsize) {
        int pool[512];
        for (int i = 0; i < n; i++)
            pool[i] = i;
        for (int i = 0; i < k; i++) {
            int j = (int)py_below(r, (uint64_t)(n - i));
            out[i] = pool[j];
            pool[j] = pool[n - i - 1];
        }
        return;
    }
    for (int i = 0; i < k; i++) {
        int j, seen;
        do {
            j = (int)py_below(r, (uint64_t)n);
            seen = 0;
            for (int m = 0; m < i; m++)
                seen |= out[m] == j;
        } while (seen);
        out[i] = j;
    }
}

/* getrandbits(256) as "%064x". */
static void py_pdq(pyrand *r, char out[65])
{
    uint32_t w[8];
    for (int i = 0; i < 8; i++)
        w[i] = py_u32(r);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", w[7 - i]);
}

/* Python's repr of a float: the shortest digits that read back the same,
 * fixed notation from 1e-4 to 1e16 with at least one decimal. */
static void py_float(gn_buf *b, double x)
{
    char e[40];
    int p = 1;
    for (; p < 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, x);
        if (strtod(e, NULL) == x) break;
    }
    snprintf(e, sizeof e, "%.*e", p - 1, x);
    char digits[24];
    int nd = 0, neg = e[0] == '-';
    const char *c = e + neg;
    for (; *c && *c != 'e'; c++)
        if (*c != '.') digits[nd++] = *c;
    digits[nd] = 0;
    int exp = atoi(c + 1);
    if (neg) gn_buf_puts(b, "-");
    if (exp < -4 || exp >= 16) {
        gn_buf_printf(b, "%c", digits[0]);
        if (nd > 1) gn_buf_printf(b, ".%s", digits + 1);
        gn_buf_printf(b, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        return;
    }
    if (exp < 0) {
        gn_buf_puts(b, "0.");
        for (int i = -1; i > exp; i--)
            gn_buf_puts(b, "0");
        gn_buf_puts(b, digits);
        return;
    }
    for (int i = 0; i <= exp; i++)
        gn_buf_printf(b, "%c", i < nd ? digits[i] : '0');
    gn_buf_puts(b, ".");
    gn_buf_puts(b, nd > exp + 1 ? digits + exp + 1 : "0");
}

/* round(x, n) */
static double py_round(double x, int n)
{
    char t[64];
    snprintf(t, sizeof t, "%.*f", n, x);
    return strtod(t, NULL);
}

/* ------------------------------------------------------------------ the demo */

#define NELEMS(a) ((int)(sizeof(a) / sizeof *(a)))
#define HOUR 3600
#define DAY 86400

typedef struct d_event {
    int64_t when;
    uint32_t seq;
    const char *type;
    char *body; /* the fields after type, id and at: ,"k":v... */
} d_event;

typedef struct d_seller {
    const char *id, *name, *country, *kind;
    int64_t created;
    int counterfeit, ring; /* ring: index in rings[] (counterfeiters) */
    int has_own;           /* its own device, network, address and browser, once it logged in */
    char device[20], network[16], ip[16];
    const char *ua;
} d_seller;

typedef struct d_ring_values {
    char device[20], network[16], ip[16], phone[24], bank_account[32], payment_account[48],
        email[48], address[96];
    int has_photos[NELEMS(brands)];
    char photos[NELEMS(brands)][3][65];
} d_ring_values;

#define MAX_TACTICS 8
typedef struct d_listing {
    char id[8];
    int seq;                        /* the order it was planned in: ties in time keep it */
    int seller, brand, counterfeit; /* brand: index in brands[], -1 none */
    const char *tactics[MAX_TACTICS];
    int ntactics;
    int64_t when;
    char *title, *description;
    double price;
    const char *currency, *claim, *category, *ship_from;
    char images[6][65];
    int nimages, quantity;
} d_listing;

typedef struct demo {
    pyrand r;
    d_event *events;
    int nevents, capevents;
    d_seller sellers[NELEMS(genuine_sellers) + NELEMS(counterfeiters)];
    int nsellers;
    d_ring_values ring_values[NELEMS(rings)];
    char official[NELEMS(brands)][3][65];
    int nofficial[NELEMS(brands)];
    int shop_year;
    d_listing listings[400];
    int nlistings;
    char **kept; /* text to free at the end */
    int nkept, capkept;
    gn_buf body;
} demo;

static char *keep(demo *d, char *s)
{
    if (d->nkept == d->capkept) {
        d->capkept = d->capkept ? d->capkept * 2 : 256;
        d->kept = gn_xrealloc(d->kept, (size_t)d->capkept * sizeof *d->kept);
    }
    return d->kept[d->nkept++] = s;
}

static char *fmt(demo *d, const char *format, ...) __attribute__((format(printf, 2, 3)));
static char *fmt(demo *d, const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    char *s = NULL;
    if (vasprintf(&s, format, ap) < 0) gn_out_of_memory(strlen(format));
    va_end(ap);
    return keep(d, s);
}

static int64_t t6(int y, int mo, int day, int h, int mi, int s)
{
    y -= mo <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400, yoe = y - era * 400;
    int64_t doy = (153 * (mo + (mo > 2 ? -3 : 9)) + 2) / 5 + day - 1,
            doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * DAY + h * HOUR + mi * 60 + s;
}

/* Fields of the event being built, in order. */
static gn_buf *fields(demo *d)
{
    gn_buf_reset(&d->body);
    gn_buf_puts(&d->body, "");
    return &d->body;
}
static void key(gn_buf *b, const char *k)
{
    gn_buf_printf(b, ",\"%s\":", k);
}
static void kstr(gn_buf *b, const char *k, const char *v)
{
    key(b, k);
    gn_buf_json_string(b, v);
}
static void kint(gn_buf *b, const char *k, int64_t v)
{
    key(b, k);
    gn_buf_printf(b, "%" PRId64, v);
}
static void kfloat(gn_buf *b, const char *k, double v)
{
    key(b, k);
    py_float(b, v);
}
static void klist(gn_buf *b, const char *k, d_list l)
{
    key(b, k);
    gn_buf_puts(b, "[");
    for (int i = 0; i < l.n; i++) {
        if (i) gn_buf_puts(b, ",");
        gn_buf_json_string(b, l.v[i]);
    }
    gn_buf_puts(b, "]");
}

static void emit(demo *d, int64_t when, const char *type)
{
    if (d->nevents == d->capevents) {
        d->capevents = d->capevents ? d->capevents * 2 : 2048;
        d->events = gn_xrealloc(d->events, (size_t)d->capevents * sizeof *d->events);
    }
    d->events[d->nevents] =
        (d_event){when, (uint32_t)d->nevents, type, gn_xstrdup(d->body.len ? d->body.data : "")};
    d->nevents++;
}

static const d_place *place(const char *country)
{
    for (int i = 0; i < NELEMS(places); i++)
        if (strcmp(places[i].country, country) == 0) return &places[i];
    return NULL;
}

static int brand_index(const char *id)
{
    for (int i = 0; i < NELEMS(brands); i++)
        if (strcmp(brands[i].id, id) == 0) return i;
    return -1;
}

static int seller_index(demo *d, const char *id)
{
    for (int i = 0; i < d->nsellers; i++)
        if (strcmp(d->sellers[i].id, id) == 0) return i;
    return -1;
}

static int authorised(const d_brand *b, const char *seller)
{
    for (int i = 0; i < b->authorized.n; i++)
        if (strcmp(b->authorized.v[i], seller) == 0) return 1;
    return 0;
}

static int in_list(d_list l, const char *s)
{
    for (int i = 0; i < l.n; i++)
        if (strcmp(l.v[i], s) == 0) return 1;
    return 0;
}

static const char *ship_of(const char *kind)
{
    for (int i = 0; i < NELEMS(ship_text); i++)
        if (strcmp(ship_text[i].a, kind) == 0) return ship_text[i].b;
    return "";
}

static double rate_now(const char *cur)
{
    return strcmp(cur, "EUR") == 0   ? 1.09
           : strcmp(cur, "CNY") == 0 ? 0.139
           : strcmp(cur, "GBP") == 0 ? 1.27
                                     : 1.0;
}

static double convert(double amount, const char *from, const char *to)
{
    return amount * rate_now(from) / rate_now(to);
}

/* Prices as shops write them: whole yuan, otherwise .00/.95/.99 endings. */
static double shop_price(demo *d, double x, const char *cur)
{
    if (strcmp(cur, "CNY") == 0) {
        double v = nearbyint(x);
        return v < 1 ? 1 : v;
    }
    if (x >= 200) return nearbyint(x / 5) * 5;
    double whole = trunc(x);
    if (whole >= 1) {
        static const double endings[] = {0.0, 0.95, 0.99};
        return py_round(whole + PY_CHOICE(&d->r, endings), 2);
    }
    return py_round(x, 2);
}

static double price_in(demo *d, const char *cur, int brand, const d_category *cat, double ratio)
{
    const d_brand *b = &brands[brand];
    return shop_price(d, convert(cat->price * ratio, b->currency, cur), cur);
}

/* A near-duplicate of a PDQ hash: a re-encoded or cropped copy of a photo
 * differs in a few bits. */
static void near(demo *d, const char *hex, int bits, char out[65])
{
    uint32_t w[8];
    for (int i = 0; i < 8; i++) {
        char part[9];
        memcpy(part, hex + 8 * i, 8);
        part[8] = 0;
        w[7 - i] = (uint32_t)strtoul(part, NULL, 16);
    }
    int flip[8];
    py_sample(&d->r, 256, bits, flip);
    for (int i = 0; i < bits; i++)
        w[flip[i] / 32] ^= 1U << (flip[i] % 32);
    for (int i = 0; i < 8; i++)
        snprintf(out + 8 * i, 9, "%08x", w[7 - i]);
}

static size_t joined_len(char **parts, int n)
{
    size_t len = 0;
    for (int i = 0; i < n; i++)
        len += strlen(parts[i]) + (i > 0);
    return len;
}

/* Joins a description and pads it with shop boilerplate to a length drawn
 * from 100-1,500 bytes, skewed to the short side. */
static char *description(demo *d, char **in, int n, int fake)
{
    const int lo = 100, hi = 1500;
    char *parts[32];
    int np = 0;
    for (int i = 0; i < n; i++)
        if (in[i] && in[i][0]) parts[np++] = in[i];
    size_t target = (size_t)(int64_t)(lo + (hi - lo) * pow(py_random(&d->r), 1.6));
    const char *const *more = fake ? more_fake : more_shop;
    int nmore = fake ? NELEMS(more_fake) : NELEMS(more_shop), order[16];
    py_sample(&d->r, nmore, nmore, order);
    int left = nmore;
    while (joined_len(parts, np) < target && left) {
        int m = order[--left];
        parts[np++] = m == 0 && !fake ? fmt(d, more_shop[0], d->shop_year) : (char *)more[m];
    }
    while (joined_len(parts, np) > (size_t)hi)
        np--;
    gn_buf b = {0};
    for (int i = 0; i < np; i++) {
        if (i) gn_buf_puts(&b, " ");
        gn_buf_puts(&b, parts[i]);
    }
    if (b.len < (size_t)lo)
        gn_buf_puts(&b, " Please message us with any question before buying; we reply within a "
                        "few hours.");
    if (!b.data) gn_buf_puts(&b, "");
    return keep(d, gn_buf_take(&b));
}

/* A colour where the category has colours; perfume and chargers do not. */
static const char *color_of(demo *d, const char *cat)
{
    static const char *const watches[] = {"black dial", "blue dial", "green dial", "silver dial"};
    static const char *const phones[] = {"Natural Titanium", "Black Titanium", "White",
                                         "Ultramarine"};
    static const char *const sunglasses[] = {"Black", "Tortoise", "Gold/Green", "Silver/Grey"};
    if (!strcmp(cat, "perfume") || !strcmp(cat, "chargers") || !strcmp(cat, "headphones"))
        return NULL;
    if (!strcmp(cat, "watches")) return PY_CHOICE(&d->r, watches);
    if (!strcmp(cat, "phones")) return PY_CHOICE(&d->r, phones);
    if (!strcmp(cat, "sunglasses")) return PY_CHOICE(&d->r, sunglasses);
    return PY_CHOICE(&d->r, colors);
}

/* k product details of the category (sampled), into out; returns how many. */
static int details(demo *d, const d_brand *b, const char *cat, int k, char **out)
{
    d_list pool = {NULL, 0};
    for (int i = 0; i < NELEMS(details_of); i++)
        if (details_of[i].brand && !strcmp(details_of[i].brand, b->id) &&
            !strcmp(details_of[i].category, cat))
            pool = details_of[i].lines;
    if (!pool.n)
        for (int i = 0; i < NELEMS(details_of); i++)
            if (!details_of[i].brand && !strcmp(details_of[i].category, cat))
                pool = details_of[i].lines;
    int n = pool.n < k ? pool.n : k, idx[8];
    py_sample(&d->r, pool.n, n, idx);
    for (int i = 0; i < n; i++)
        out[i] = (char *)pool.v[idx[i]];
    return n;
}

enum { FULL_PRICE, OUTLET, SECOND_HAND };

static void branded_genuine(demo *d, const d_brand *b, const char *cat, const char *product,
                            int seller, int how, double ratio, char **title, char **desc)
{
    const char *c = color_of(d, cat);
    const char *comma = c ? fmt(d, ", %s", c) : "", *dash = c ? fmt(d, " – %s", c) : "";
    const char *name = b->name;
    char *parts[16];
    int n = 1;
    int extras = details(d, b, cat, (int)py_randint(&d->r, 2, 4), parts + 1);
    const char *size =
        !strcmp(cat, "sneakers") ? fmt(d, " – %s", PY_CHOICE(&d->r, sizes_shoe)) : "";
    if (how == FULL_PRICE) {
        char *titles[] = {fmt(d, "%s %s%s%s", name, product, size, comma),
                          fmt(d, "%s %s%s%s", name, product, dash, size),
                          fmt(d, "NEW %s %s%s", name, product, size)};
        *title = PY_CHOICE(&d->r, titles);
        char *leads[] = {
            fmt(d, "Brand new and 100%% authentic %s %s.", name, product),
            fmt(d, "The %s %s%s, new and sealed.", name, product, c ? fmt(d, " in %s", c) : ""),
            fmt(d, "Authentic %s, bought directly from %s.", product, name)};
        parts[0] = PY_CHOICE(&d->r, leads);
        char *auths[] = {
            fmt(d, "We are an authorised %s retailer; the original invoice is included.", name),
            "Comes with the original packaging and booklet.",
            "Every order includes a receipt from our store.", ""};
        n += extras;
        parts[n++] = PY_CHOICE(&d->r, auths);
        parts[n++] = (char *)ship_of(d->sellers[seller].kind);
        *desc = description(d, parts, n, 0);
        return;
    }
    if (how == OUTLET) {
        int off = (int)nearbyint((1 - ratio) * 20) * 5;
        char *titles[] = {fmt(d, "%s %s – Outlet, %d%% off", name, product, off),
                          fmt(d, "%s %s%s (last season%s)", name, product, size, comma),
                          fmt(d, "Clearance: %s %s%s", name, product, comma)};
        *title = PY_CHOICE(&d->r, titles);
        char *leads[] = {
            fmt(d, "Last-season %s from our outlet stock, new and unworn.", product),
            fmt(d, "Genuine %s %s from the previous collection, now %d%% off.", name, product, off),
            fmt(d, "Outlet price on a discontinued colour; authentic %s merchandise.", name)};
        parts[0] = PY_CHOICE(&d->r, leads);
        n += extras;
        parts[n++] = "Sourced from the brand's official end-of-season clearance; invoice "
                     "available on request.";
        parts[n++] = (char *)ship_of("outlet");
        *desc = description(d, parts, n, 0);
        return;
    }
    static const char *const conds[] = {"excellent", "very good", "good", "like new"};
    const char *cond = PY_CHOICE(&d->r, conds);
    int year = (int)py_randint(&d->r, 2016, 2024);
    char *titles[] = {fmt(d, "Pre-owned %s %s, %s condition", name, product, cond),
                      fmt(d, "Used %s %s (%d)%s", name, product, year, dash),
                      fmt(d, "%s %s – second hand, %s", name, product, cond)};
    *title = PY_CHOICE(&d->r, titles);
    static const char *const cities[] = {"London", "Milan", "Paris", "Tokyo", "New York"};
    const char *city = PY_CHOICE(&d->r, cities);
    char *leads[] = {
        fmt(d, "Selling my %s %s, bought in %d at the %s store.", name, product, year, city),
        fmt(d, "Pre-owned %s in %s condition; light signs of use, see the photos.", product, cond),
        fmt(d, "Authenticity checked by our in-house experts; %s condition.", cond)};
    parts[0] = PY_CHOICE(&d->r, leads);
    n += extras < 2 ? extras : 2;
    static const char *const boxes[] = {"Original receipt included.",
                                        "No box, original pouch included.",
                                        "Box and papers included."};
    parts[n++] = (char *)PY_CHOICE(&d->r, boxes);
    parts[n++] = (char *)ship_of("used");
    *desc = description(d, parts, n, 0);
}

static int is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80) return 0;
    return 1;
}

static const char *upper_of(const char *term)
{
    for (int i = 0; i < NELEMS(lingo_by_length); i++)
        if (!strcmp(lingo_by_length[i].a, term)) return lingo_by_length[i].b;
    return term;
}

static void counterfeit_text(demo *d, const d_brand *b, const char *cat, const char *product,
                             int lingo, const char *named, char **title, char **desc)
{
    const char *c = color_of(d, cat);
    const char *sp = "", *dash = "", *in_c = "";
    if (c) {
        sp = fmt(d, " %s", c);
        dash = fmt(d, " – %s", c);
        char *low = fmt(d, "%s", c);
        for (char *p = low; *p; p++)
            if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
        in_c = fmt(d, " in %s", low);
    }
    const char *term = PY_CHOICE(&d->r, lingo_en);
    const char *cjk = PY_CHOICE(&d->r, lingo_cjk);
    const char *size = !strcmp(cat, "sneakers") ? fmt(d, " %s", PY_CHOICE(&d->r, sizes_shoe)) : "";
    if (lingo) {
        char *titles[] = {
            fmt(d, "%s %s %s%s%s", named, product, term, size, sp),
            fmt(d, "%s %s %s", is_ascii(term) ? upper_of(term) : term, named, product),
            fmt(d, "%s %s %s%s", cjk, named, product, sp),
            fmt(d, "%s %s%s – %s, same as original", named, product, size, term),
            fmt(d, "%s %s %s 原单品质", named, product, cjk)};
        *title = PY_CHOICE(&d->r, titles);
    } else {
        char *titles[] = {fmt(d, "%s %s%s%s", named, product, size, sp),
                          fmt(d, "NEW %s %s%s Free Shipping", named, product, sp),
                          fmt(d, "%s %s%s, hot sale", named, product, dash),
                          fmt(d, "%s %s%s", named, product, size)};
        *title = PY_CHOICE(&d->r, titles);
    }
    char *parts[32];
    int n = 0;
    char *leads[] = {fmt(d, "Hot sale! %s %s%s.", named, product, in_c),
                     fmt(d, "100%% new %s %s, high quality.", named, product),
                     fmt(d, "Factory direct price %s %s, limited stock.", named, product),
                     fmt(d, "Brand new %s %s with box.", named, product)};
    parts[n++] = PY_CHOICE(&d->r, leads);
    if (lingo) {
        static const char *const same[] = {"99% same", "identical", "same material"};
        static const char *const leather[] = {"原厂皮料", "五金一致", "细节完美"};
        static const char *const fr[] = {"réplique", "miroir 1:1"};
        static const char *const top[] = {"顶级", "最高"};
        size_t tl = strlen(term);
        char *s1 = fmt(d, "This is a %s item, %s with the original.", term, PY_CHOICE(&d->r, same));
        char *s2 =
            fmt(d, "Top %s, the best version on the market, same material and details.",
                tl >= 7 && !strcmp(term + tl - 7, "quality") ? term : fmt(d, "%s quality", term));
        char *s3 = fmt(d, "%s，%s，与专柜一致，支持对比。", cjk, PY_CHOICE(&d->r, leather));
        char *s4 = fmt(d, "Qualité %s, identique à l'original.", PY_CHOICE(&d->r, fr));
        char *s5 = fmt(d,
                       "We sell %s products only, AAA grade, not original, please know before "
                       "you order.",
                       term);
        char *s6 = fmt(d, "%s %s 纯原 版本，做工细致。", cjk, PY_CHOICE(&d->r, top));
        char *pool[] = {s1, s2, s3, s4, s5, s6};
        int k = (int)py_randint(&d->r, 1, 3), idx[6];
        py_sample(&d->r, 6, k, idx);
        for (int i = 0; i < k; i++)
            parts[n++] = pool[idx[i]];
    }
    n += details(d, b, cat, (int)py_randint(&d->r, 1, 2), parts + n);
    static const char *const from[] = {"Guangzhou", "Putian", "Shenzhen", "Yiwu", "Hong Kong"};
    char *ship[] = {fmt(d, "Ship from %s, 7-15 days worldwide, tracking number provided.",
                        PY_CHOICE(&d->r, from)),
                    "Box and dust bag cost extra 15 USD, please leave a message.",
                    "Contact us on WhatsApp for real pictures and more models.",
                    "Wholesale price for 5 pieces or more. Dropshipping OK.",
                    "Please do not ask if it is original. Price is for one item.",
                    "All items checked before shipping. Customs declared as gift.",
                    "More colours available, message us.",
                    ""};
    int k = (int)py_randint(&d->r, 1, 3), idx[8];
    py_sample(&d->r, 8, k, idx);
    for (int i = 0; i < k; i++)
        parts[n++] = ship[idx[i]];
    *desc = description(d, parts, n, 1);
}

static void own_images(demo *d, d_listing *l, int n)
{
    l->nimages = n;
    for (int i = 0; i < n; i++)
        py_pdq(&d->r, l->images[i]);
}

/* Fills the listing's fields the way add_listing did: when, quantity (when
 * not given: -1), ship_from. */
static d_listing *add_listing(demo *d, d_listing *l, int quantity)
{
    const d_seller *s = &d->sellers[l->seller];
    int64_t lo = s->created + (s->counterfeit ? 1 : 30) * (int64_t)DAY,
            start = t6(2026, 2, 2, 8, 0, 0);
    if (lo < start) lo = start;
    double span = (double)(t6(2026, 2, 20, 22, 0, 0) - lo);
    l->when = lo + (int64_t)(py_random(&d->r) * span);
    if (quantity >= 0)
        l->quantity = quantity;
    else if (l->counterfeit) {
        static const int q[] = {99, 199, 500, 999};
        l->quantity = PY_CHOICE(&d->r, q);
    } else
        l->quantity = (int)py_randint(&d->r, 1, 12);
    if (s->counterfeit)
        l->ship_from = py_random(&d->r) < 0.85 ? "CN" : s->country;
    else
        l->ship_from = s->country;
    l->seq = d->nlistings++;
    return l;
}

static const char *claim(demo *d, const d_brand *b)
{
    const char *ids[] = {b->id, b->name};
    return PY_CHOICE(&d->r, ids);
}

/* Genuine sellers of a kind, in the order of the list. */
static int of_kind(demo *d, const char *kind, int *out)
{
    int n = 0;
    for (int i = 0; i < d->nsellers; i++)
        if (!d->sellers[i].counterfeit && !strcmp(d->sellers[i].kind, kind)) out[n++] = i;
    return n;
}

static void genuine_branded(demo *d, int how, int count)
{
    static const char *const lux[] = {"gucci", "louis-vuitton", "chanel", "rolex"},
                             *const sport[] = {"nike", "adidas"}, *const tech[] = {"apple"},
                             *const outlet[] = {"gucci", "louis-vuitton", "nike", "adidas",
                                                "ray-ban"},
                             *const used[] = {"gucci", "louis-vuitton", "chanel",
                                              "rolex", "nike",          "ray-ban"};
    for (int c = 0; c < count; c++) {
        int pool[64], n = 0;
        if (how == FULL_PRICE) {
            n = of_kind(d, "lux", pool);
            n += of_kind(d, "sport", pool + n);
            n += of_kind(d, "tech", pool + n);
        } else
            n = of_kind(d, how == OUTLET ? "outlet" : "used", pool);
        int seller = pool[py_below(&d->r, (uint64_t)n)];
        const char *kind = d->sellers[seller].kind;
        const char *const *names = !strcmp(kind, "lux")      ? lux
                                   : !strcmp(kind, "sport")  ? sport
                                   : !strcmp(kind, "tech")   ? tech
                                   : !strcmp(kind, "outlet") ? outlet
                                                             : used;
        int nnames = !strcmp(kind, "lux")      ? NELEMS(lux)
                     : !strcmp(kind, "sport")  ? NELEMS(sport)
                     : !strcmp(kind, "tech")   ? NELEMS(tech)
                     : !strcmp(kind, "outlet") ? NELEMS(outlet)
                                               : NELEMS(used);
        int may[8], nmay = 0;
        for (int i = 0; i < nnames; i++) {
            int bi = brand_index(names[i]);
            if (!brands[bi].authorized_only || authorised(&brands[bi], d->sellers[seller].id))
                may[nmay++] = bi;
        }
        int bi = may[py_below(&d->r, (uint64_t)nmay)];
        const d_brand *b = &brands[bi];
        const d_category *cats[8];
        int ncats = 0;
        for (int i = 0; i < b->ncats; i++)
            if (how == FULL_PRICE ||
                (strcmp(b->cats[i].name, "perfume") && strcmp(b->cats[i].name, "chargers")))
                cats[ncats++] = &b->cats[i];
        const d_category *cat = cats[py_below(&d->r, (uint64_t)ncats)];
        const char *product = cat->products.v[py_below(&d->r, (uint64_t)cat->products.n)];
        double full = py_uniform(&d->r, 0.95, 1.12);
        double out = py_uniform(&d->r, 0.5, 0.7);
        double second = py_uniform(&d->r, 0.42, 0.8);
        double ratio = how == FULL_PRICE ? full : how == OUTLET ? out : second;
        if (!strcmp(b->id, "rolex") && how == SECOND_HAND) ratio = py_uniform(&d->r, 0.9, 1.4);
        const char *cur = place(d->sellers[seller].country)->currency;
        d_listing *l = &d->listings[d->nlistings];
        *l = (d_listing){.seller = seller, .brand = bi, .currency = cur, .category = cat->name};
        branded_genuine(d, b, cat->name, product, seller, how, ratio, &l->title, &l->description);
        own_images(d, l, (int)py_randint(&d->r, 2, 4));
        int auth = authorised(b, d->sellers[seller].id);
        if (auth && py_random(&d->r) < 0.5)
            memcpy(l->images[0], d->official[bi][py_below(&d->r, (uint64_t)d->nofficial[bi])], 65);
        l->tactics[l->ntactics++] = how == FULL_PRICE ? "full_price"
                                    : how == OUTLET   ? "outlet"
                                    : auth            ? "authorized_pre_owned"
                                                      : "second_hand";
        l->price = price_in(d, cur, bi, cat, ratio);
        l->claim = claim(d, b);
        add_listing(d, l, -1);
    }
}

static void session(demo *d, int si, int64_t when)
{
    d_seller *s = &d->sellers[si];
    const d_ring_values *rv = s->counterfeit && rings[s->ring].id ? &d->ring_values[s->ring] : NULL;
    d_list share = s->counterfeit ? rings[s->ring].share : (d_list){NULL, 0};
    /* drawn each time, kept the first (setdefault) */
    char device[20], network[16], ip[16];
    snprintf(device, sizeof device, "dev-%012" PRIx64, py_bits(&d->r, 48));
    snprintf(network, sizeof network, "wifi-%08" PRIx64, py_bits(&d->r, 32));
    int a = (int)py_randint(&d->r, 11, 223);
    int b = (int)py_randint(&d->r, 0, 255);
    int c = (int)py_randint(&d->r, 0, 255);
    int e = (int)py_randint(&d->r, 1, 254);
    snprintf(ip, sizeof ip, "%d.%d.%d.%d", a, b, c, e);
    const char *ua = PY_CHOICE(&d->r, user_agents);
    if (!s->has_own) {
        s->has_own = 1;
        memcpy(s->device, device, sizeof device);
        memcpy(s->network, network, sizeof network);
        memcpy(s->ip, ip, sizeof ip);
        s->ua = ua;
    }
    int net = rv && in_list(share, "network"), dev = rv && in_list(share, "device");
    gn_buf *f = fields(d);
    kstr(f, "account", s->id);
    kstr(f, "ip", net ? rv->ip : s->ip);
    kstr(f, "device", dev ? rv->device : s->device);
    kstr(f, "network", net ? rv->network : s->network);
    kstr(f, "user_agent", s->ua);
    emit(d, when, "session");
}

static void emit_listing(demo *d, const d_listing *l, int64_t when, const char *title, double price,
                         int quantity)
{
    gn_buf *f = fields(d);
    kstr(f, "listing", l->id);
    kstr(f, "seller", d->sellers[l->seller].id);
    kstr(f, "title", title);
    kfloat(f, "price", price);
    kstr(f, "currency", l->currency);
    kstr(f, "description", l->description);
    if (l->claim) kstr(f, "brand", l->claim);
    kstr(f, "category", l->category);
    key(f, "images");
    gn_buf_puts(f, "[");
    for (int i = 0; i < l->nimages; i++)
        gn_buf_printf(f, "%s{\"pdq\":\"%s\"}", i ? "," : "", l->images[i]);
    gn_buf_puts(f, "]");
    kint(f, "quantity", quantity);
    kstr(f, "ship_from", l->ship_from);
    emit(d, when, "listing");
}

static int by_when(const void *a, const void *b)
{
    const d_listing *x = a, *y = b;
    if (x->when != y->when) return x->when < y->when ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void plan(demo *d)
{
    pyrand *r = &d->r;
    /* rates */
    static const char *const curs[] = {"USD", "EUR", "CNY", "GBP"};
    static const double then[] = {1.0, 1.20, 0.154, 1.35}, now_[] = {1.0, 1.08, 0.139, 1.27};
    for (int i = 0; i < 4; i++) {
        gn_buf *f = fields(d);
        kstr(f, "currency", curs[i]);
        kfloat(f, "usd", then[i]);
        emit(d, t6(2018, 1, 2, 0, 0, 0), "rate");
    }
    for (int i = 0; i < 4; i++) {
        gn_buf *f = fields(d);
        kstr(f, "currency", curs[i]);
        kfloat(f, "usd", now_[i]);
        emit(d, t6(2026, 1, 31, 0, 0, 0), "rate");
    }
    gn_buf *f = fields(d);
    kstr(f, "currency", "EUR");
    kfloat(f, "usd", 1.09);
    emit(d, t6(2026, 2, 12, 0, 0, 0), "rate");

    /* the brands' own photos */
    for (int i = 0; i < NELEMS(brands); i++) {
        d->nofficial[i] = (int)py_randint(r, 2, 3);
        for (int k = 0; k < d->nofficial[i]; k++)
            py_pdq(r, d->official[i][k]);
    }
    for (int i = 0; i < NELEMS(brands); i++) {
        const d_brand *b = &brands[i];
        f = fields(d);
        kstr(f, "brand", b->id);
        kstr(f, "name", b->name);
        klist(f, "aliases", b->aliases);
        kstr(f, "owner", b->owner);
        key(f, "categories");
        gn_buf_puts(f, "[");
        for (int c = 0; c < b->ncats; c++)
            gn_buf_printf(f, "%s\"%s\"", c ? "," : "", b->cats[c].name);
        gn_buf_puts(f, "]");
        key(f, "reference_prices");
        gn_buf_puts(f, "[");
        for (int c = 0; c < b->ncats; c++)
            gn_buf_printf(f, "%s{\"category\":\"%s\",\"price\":%d,\"currency\":\"%s\"}",
                          c ? "," : "", b->cats[c].name, b->cats[c].price, b->currency);
        gn_buf_puts(f, "]");
        key(f, "official_images");
        gn_buf_puts(f, "[");
        for (int k = 0; k < d->nofficial[i]; k++)
            gn_buf_printf(f, "%s{\"pdq\":\"%s\",\"role\":\"official\"}", k ? "," : "",
                          d->official[i][k]);
        gn_buf_puts(f, "]");
        klist(f, "authorized_sellers", b->authorized);
        if (b->authorized_only) {
            key(f, "authorized_only");
            gn_buf_puts(f, "true");
        }
        emit(d, t6(2018, 3, 1 + i, 10, 0, 0), "brand");
    }
    for (int i = 0; i < NELEMS(rights); i++) {
        const d_right *g = &rights[i];
        const d_brand *b = &brands[brand_index(g->brand)];
        int n = g->brand_n, k = g->k;
        char from[21], until[21];
        sim_time_text(t6(2015 + k, 1, 1, 0, 0, 0), from);
        sim_time_text(t6(2031 + n % 4, 12, 31, 0, 0, 0), until);
        f = fields(d);
        kstr(f, "right", g->id);
        kstr(f, "brand", g->brand);
        kstr(f, "kind", g->kind);
        kstr(f, "number", g->number);
        kstr(f, "holder", b->owner);
        kstr(f, "jurisdiction", g->jurisdiction);
        kstr(f, "valid_from", from);
        kstr(f, "valid_until", until);
        key(f, "documents");
        gn_buf_printf(f, "[\"https://rights.example.org/%s/certificate.pdf\"]", g->id);
        if (g->classes.n) klist(f, "classes", g->classes);
        if (!strcmp(g->kind, "copyright"))
            kstr(f, "work", fmt(d, "the %s monogram canvas pattern", b->name));
        if (!strcmp(g->kind, "design") || !strcmp(g->kind, "patent"))
            kstr(f, "right_type", !strcmp(g->kind, "design") ? "registered design" : "utility");
        emit(d, t6(2018, 4, 2 + n, 9, 30 + k, 0), "ip_right");
        f = fields(d);
        kstr(f, "subject", "right");
        kstr(f, "target", g->id);
        kstr(f, "outcome", "verified");
        kstr(f, "reviewer", "platform-ip-team");
        emit(d, t6(2018, 4, 3 + n, 11, 30 + k, 0), "verdict");
    }

    /* genuine sellers */
    for (int i = 0; i < NELEMS(genuine_sellers); i++) {
        const d_genuine *g = &genuine_sellers[i];
        int mo = (int)py_randint(r, 1, 12), day = (int)py_randint(r, 1, 28);
        int h = (int)py_randint(r, 8, 20), mi = (int)py_randint(r, 0, 59);
        int64_t created = t6(g->year, mo, day, h, mi, 0);
        d_seller *s = &d->sellers[d->nsellers++];
        *s = (d_seller){.id = g->id,
                        .name = g->name,
                        .country = g->country,
                        .kind = g->kind,
                        .created = created};
        int custom = !strcmp(g->template_, "custom");
        f = fields(d);
        kstr(f, "seller", g->id);
        kstr(f, "name", g->name);
        kstr(f, "country", g->country);
        kstr(f, "template", g->template_);
        char business[40] = "";
        if (custom) {
            snprintf(business, sizeof business, "%s-%08" PRId64, g->country,
                     py_randint(r, 10000000, 99999999));
            kstr(f, "business_id", business);
        }
        double rating = py_round(py_uniform(r, 4.5, 4.97), 2);
        int64_t orders = py_randint(r, 150, 9000);
        double returns = py_round(py_uniform(r, 0.01, 0.05), 3);
        key(f, "signals");
        gn_buf_puts(f, "{\"rating\":");
        py_float(f, rating);
        gn_buf_printf(f, ",\"orders_12m\":%" PRId64 ",\"return_rate\":", orders);
        py_float(f, returns);
        gn_buf_puts(f, "}");
        emit(d, created, "seller");
        if (custom && py_random(r) < 0.8) {
            f = fields(d);
            kstr(f, "seller", g->id);
            kstr(f, "status", "submitted");
            key(f, "documents");
            gn_buf_printf(f,
                          "[{\"kind\":\"business_licence\",\"number\":\"%s\",\"issuer\":\"%s "
                          "company register\"}]",
                          business, g->country);
            emit(d, created + DAY, "seller_verification");
            int64_t later = created + py_randint(r, 3, 9) * DAY;
            f = fields(d);
            kstr(f, "seller", g->id);
            kstr(f, "status", "verified");
            emit(d, later, "seller_verification");
        }
        f = fields(d);
        kstr(f, "seller", g->id);
        kstr(f, "kind", "email");
        kstr(f, "value", fmt(d, "shop%s@shops.example.com", g->id + 2));
        emit(d, created, "seller_attribute");
        int64_t cc = py_randint(r, 1, 89), num = py_randint(r, 100000000, 999999999);
        f = fields(d);
        kstr(f, "seller", g->id);
        kstr(f, "kind", "phone");
        kstr(f, "value", fmt(d, "+%" PRId64 " %" PRId64, cc, num));
        emit(d, created, "seller_attribute");
        if (custom) {
            int64_t a = py_randint(r, 10, 99), b = py_randint(r, 0, 9999999999LL);
            f = fields(d);
            kstr(f, "seller", g->id);
            kstr(f, "kind", "bank_account");
            kstr(f, "value", fmt(d, "%s%02" PRId64 " BANK %010" PRId64, g->country, a, b));
            emit(d, created + 2 * HOUR, "seller_attribute");
        }
    }

    /* what each ring shares */
    for (int g = 0; g < NELEMS(rings); g++) {
        if (!rings[g].id) continue;
        d_ring_values *v = &d->ring_values[g];
        snprintf(v->device, sizeof v->device, "dev-%012" PRIx64, py_bits(r, 48));
        snprintf(v->network, sizeof v->network, "wifi-%08" PRIx64, py_bits(r, 32));
        static const int first[] = {36, 59, 113, 120, 183};
        int a = PY_CHOICE(r, first), b = (int)py_randint(r, 0, 255);
        int c = (int)py_randint(r, 0, 255), e = (int)py_randint(r, 1, 254);
        snprintf(v->ip, sizeof v->ip, "%d.%d.%d.%d", a, b, c, e);
        snprintf(v->phone, sizeof v->phone, "+86 1%" PRId64,
                 py_randint(r, 3000000000LL, 9000000000LL));
        int64_t x = py_randint(r, 10, 99), y = py_randint(r, 0, 999999999999LL);
        snprintf(v->bank_account, sizeof v->bank_account, "CN%02" PRId64 " ICBK %012" PRId64, x, y);
        snprintf(v->payment_account, sizeof v->payment_account, "alipay:%s%" PRId64 "@example.cn",
                 rings[g].id, py_randint(r, 100, 999));
        snprintf(v->email, sizeof v->email, "%s.trade%" PRId64 "@example.cn", rings[g].id,
                 py_randint(r, 10, 99));
        snprintf(v->address, sizeof v->address, "%s, %s, Room %" PRId64, rings[g].facility,
                 rings[g].city, py_randint(r, 101, 1999));
    }
    for (int i = 0; i < NELEMS(counterfeiters); i++) {
        const d_counterfeiter *c = &counterfeiters[i];
        const d_ring *ring = &rings[c->ring];
        int h = (int)py_randint(r, 0, 23), mi = (int)py_randint(r, 0, 59);
        int64_t created = t6(2026, 1, 24, h, mi, 0) + py_randint(r, 0, 18) * DAY;
        d_seller *s = &d->sellers[d->nsellers++];
        *s = (d_seller){.id = c->id,
                        .name = c->name,
                        .country = c->country,
                        .kind = ring->kind,
                        .created = created,
                        .counterfeit = 1,
                        .ring = c->ring};
        f = fields(d);
        kstr(f, "seller", c->id);
        kstr(f, "name", c->name);
        kstr(f, "country", c->country);
        kstr(f, "template", "basic");
        key(f, "signals");
        gn_buf_puts(f, "{\"rating\":0,\"orders_12m\":0,\"return_rate\":0}");
        emit(d, created, "seller");
        double u = py_random(r);
        if (u < 0.4) {
            f = fields(d);
            kstr(f, "seller", c->id);
            kstr(f, "status", "submitted");
            key(f, "documents");
            gn_buf_printf(f,
                          "[{\"kind\":\"id_card\",\"number\":\"4403%014" PRId64
                          "\",\"issuer\":\"unknown\"}]",
                          py_randint(r, 0, 99999999999999LL));
            emit(d, created + 3 * HOUR, "seller_verification");
        } else if (u < 0.55) {
            f = fields(d);
            kstr(f, "seller", c->id);
            kstr(f, "status", "submitted");
            key(f, "documents");
            gn_buf_printf(f,
                          "[{\"kind\":\"business_licence\",\"number\":\"91440101MA%08" PRId64
                          "\",\"issuer\":\"SAMR\"}]",
                          py_randint(r, 0, 99999999));
            emit(d, created + 3 * HOUR, "seller_verification");
            f = fields(d);
            kstr(f, "seller", c->id);
            kstr(f, "status", "rejected");
            emit(d, created + 2 * DAY, "seller_verification");
        }
        static const char *const kinds[] = {"phone", "email", "bank_account", "payment_account",
                                            "address"};
        const d_ring_values *rv = ring->id ? &d->ring_values[c->ring] : NULL;
        for (int k = 0; k < NELEMS(kinds); k++) {
            const char *value;
            if (in_list(ring->share, kinds[k]))
                value = k == 0   ? rv->phone
                        : k == 1 ? rv->email
                        : k == 2 ? rv->bank_account
                        : k == 3 ? rv->payment_account
                                 : rv->address;
            else if (k == 0)
                value = fmt(d, "+86 1%" PRId64, py_randint(r, 3000000000LL, 9000000000LL));
            else if (k == 1)
                value = fmt(d, "u%s%" PRId64 "@mail.example.cn", c->id + 2, py_randint(r, 1, 99));
            else
                continue;
            f = fields(d);
            kstr(f, "seller", c->id);
            kstr(f, "kind", kinds[k]);
            kstr(f, "value", value);
            emit(d, created + 5 * 60, "seller_attribute");
        }
    }
    d->shop_year = (int)py_randint(r, 1998, 2018);
}

static void plan_listings(demo *d)
{
    pyrand *r = &d->r;
    genuine_branded(d, FULL_PRICE, 80);
    genuine_branded(d, OUTLET, 42);
    genuine_branded(d, SECOND_HAND, 36);

    int generic[16], ngeneric = of_kind(d, "generic", generic);
    for (int i = 0; i < 62; i++) { /* unbranded goods from genuine shops */
        int seller = generic[py_below(r, (uint64_t)ngeneric)];
        const d_generic *g = &PY_CHOICE(r, generic_goods);
        const char *cur = place(d->sellers[seller].country)->currency;
        const char *color = PY_CHOICE(r, colors);
        static const char *const packs[] = {"2 pack", "gift set", "new 2026"};
        const char *pack = PY_CHOICE(r, packs);
        const char *variants[] = {"", fmt(d, " – %s", color), fmt(d, " (%s)", pack)};
        const char *variant = PY_CHOICE(r, variants);
        static const char *const lines[] = {"Designed in-house, produced in our own factory.",
                                            "Unbranded goods at a factory price.",
                                            "Over 2,000 sold, rated 4.8 by our customers.",
                                            "Material and size details are in the photos.",
                                            "Wholesale available for 50 pieces or more.",
                                            "Colour may differ slightly from the photos."};
        char *parts[16];
        int n = 0, idx[2];
        parts[n++] = fmt(d, "%s.", g->title);
        for (int k = 0; k < g->lines.n; k++)
            parts[n++] = (char *)g->lines.v[k];
        py_sample(r, NELEMS(lines), 2, idx);
        parts[n++] = (char *)lines[idx[0]];
        parts[n++] = (char *)lines[idx[1]];
        parts[n++] = (char *)ship_of("generic");
        d_listing *l = &d->listings[d->nlistings];
        *l = (d_listing){.seller = seller, .brand = -1, .currency = cur, .category = g->category};
        l->description = description(d, parts, n, 0);
        double u = py_uniform(r, 0.85, 1.2);
        l->price = shop_price(d, convert(g->usd * u, "USD", cur), cur);
        own_images(d, l, (int)py_randint(r, 1, 4));
        int quantity = (int)py_randint(r, 20, 500);
        l->title = fmt(d, "%s%s", g->title, variant);
        for (int k = 0; k < NELEMS(house_brands); k++)
            if (!strcmp(house_brands[k].a, d->sellers[seller].id)) l->claim = house_brands[k].b;
        l->tactics[l->ntactics++] = "generic";
        add_listing(d, l, quantity);
    }
    for (int i = 0; i < NELEMS(accessories); i++) {
        const d_accessory *a = &accessories[i];
        int seller;
        if (strstr(a->title, "Case") || strstr(a->title, "Band"))
            seller = seller_index(d, "s-1039");
        else {
            static const char *const two[] = {"s-1024", "s-1025"};
            seller = seller_index(d, PY_CHOICE(r, two));
        }
        const char *cur = place(d->sellers[seller].country)->currency;
        d_listing *l = &d->listings[d->nlistings];
        *l = (d_listing){.seller = seller, .brand = -1, .currency = cur, .category = "accessories"};
        char *parts[] = {(char *)a->description, "Fits snugly and installs in seconds.",
                         "Ships in 2-3 business days. Returns accepted within 15 days."};
        l->description = description(d, parts, 3, 0);
        l->price = shop_price(d, convert(a->usd, "USD", cur), cur);
        own_images(d, l, 2);
        int quantity = (int)py_randint(r, 50, 300);
        l->title = (char *)a->title;
        l->tactics[l->ntactics++] = "compatible_accessory";
        add_listing(d, l, quantity);
    }

    /* Counterfeits: each has a main tactic and often a second. */
    static const struct {
        const char *tactic;
        int count;
    } plan_of[] = {{"steep_discount", 30},  {"misspelt", 24},       {"lookalike", 24},
                   {"lingo", 34},           {"brand_mismatch", 14}, {"unauthorized_seller", 14},
                   {"moderate_discount", 8}};
    const char *plan[160];
    int nplan = 0;
    for (int i = 0; i < NELEMS(plan_of); i++)
        for (int k = 0; k < plan_of[i].count; k++)
            plan[nplan++] = plan_of[i].tactic;
    for (int i = nplan - 1; i > 0; i--) { /* shuffle */
        int j = (int)py_below(r, (uint64_t)i + 1);
        const char *t = plan[i];
        plan[i] = plan[j];
        plan[j] = t;
    }
    int lux[16], nlux = of_kind(d, "lux", lux);
    for (int p = 0; p < nplan; p++) {
        const char *main = plan[p];
        d_listing *l = &d->listings[d->nlistings];
        *l = (d_listing){.counterfeit = 1};
        l->tactics[l->ntactics++] = main;
        int ci = (int)py_below(r, NELEMS(counterfeiters));
        int seller = seller_index(d, counterfeiters[ci].id), ring = d->sellers[seller].ring;
        const char *bid;
        if (!strcmp(main, "unauthorized_seller")) {
            static const char *const two[] = {"rolex", "chanel"};
            bid = PY_CHOICE(r, two);
        } else
            bid = rings[ring].brands.v[py_below(r, (uint64_t)rings[ring].brands.n)];
        int bi = brand_index(bid);
        const d_brand *b = &brands[bi];
        const d_category *cat = &b->cats[py_below(r, (uint64_t)b->ncats)];
        const char *product = cat->products.v[py_below(r, (uint64_t)cat->products.n)];
        const char *named = b->name;
        int mis = !strcmp(main, "misspelt"), look = !strcmp(main, "lookalike");
        if (mis)
            named = b->misspelt.v[py_below(r, (uint64_t)b->misspelt.n)];
        else if (look)
            named = b->lookalike.v[py_below(r, (uint64_t)b->lookalike.n)];
        if ((mis || look) && py_random(r) < 0.35) l->tactics[l->ntactics++] = "lingo";
        if (!strcmp(main, "lingo") && py_random(r) < 0.25 && py_random(r) < 0.5)
            named = b->aliases.n > 1 ? b->aliases.v[1 + py_below(r, (uint64_t)b->aliases.n - 1)]
                                     : (py_below(r, 1), named);
        double ratio;
        int careful = !strcmp(main, "unauthorized_seller") || !strcmp(main, "moderate_discount");
        if (careful)
            ratio = !strcmp(main, "unauthorized_seller") ? py_uniform(r, 0.4, 0.7)
                                                         : py_uniform(r, 0.24, 0.34);
        else if (!strcmp(main, "steep_discount") || py_random(r) < 0.65) {
            ratio = py_uniform(r, 0.05, 0.15);
            if (strcmp(main, "steep_discount")) l->tactics[l->ntactics++] = "steep_discount";
        } else
            ratio = py_uniform(r, 0.18, 0.3);
        int has_unauth = 0;
        for (int k = 0; k < l->ntactics; k++)
            has_unauth |= !strcmp(l->tactics[k], "unauthorized_seller");
        if ((!strcmp(bid, "rolex") || !strcmp(bid, "chanel")) && !has_unauth)
            l->tactics[l->ntactics++] = "unauthorized_seller";
        const char *country = d->sellers[seller].country, *cur;
        if (!strcmp(country, "CN") || !strcmp(country, "HK")) {
            static const char *const curs[] = {"USD", "USD", "CNY", "EUR"};
            cur = PY_CHOICE(r, curs);
        } else
            cur = place(country)->currency;
        l->seller = seller;
        l->brand = bi;
        l->currency = cur;
        l->category = cat->name;
        if (careful) {
            int shop = lux[py_below(r, (uint64_t)nlux)];
            char *desc;
            branded_genuine(d, b, cat->name, product, shop, FULL_PRICE, 1.0, &l->title, &desc);
            const char *auth = fmt(
                d, "We are an authorised %s retailer; the original invoice is included.", b->name);
            gn_buf out = {0};
            gn_buf_puts(&out, "");
            for (const char *at = desc, *hit; *at; at = hit + strlen(auth)) {
                hit = strstr(at, auth);
                if (!hit) {
                    gn_buf_puts(&out, at);
                    break;
                }
                gn_buf_append(&out, at, (size_t)(hit - at));
            }
            l->description = keep(d, gn_buf_take(&out));
        } else {
            int lingo = 0;
            for (int k = 0; k < l->ntactics; k++)
                lingo |= !strcmp(l->tactics[k], "lingo");
            counterfeit_text(d, b, cat->name, product, lingo, named, &l->title, &l->description);
        }
        l->claim = claim(d, b);
        if (!strcmp(main, "brand_mismatch")) {
            const char *others[NELEMS(brands)];
            int nothers = 0;
            for (int k = 0; k < NELEMS(brands); k++)
                if (k != bi) others[nothers++] = brands[k].id;
            const char *other = others[py_below(r, (uint64_t)nothers)];
            const char *claims[] = {"Generic", "No Brand", "OEM", other};
            l->claim = PY_CHOICE(r, claims);
        }
        char fresh[3][65]; /* drawn each time, the ring's kept the first (setdefault) */
        for (int k = 0; k < 3; k++)
            py_pdq(r, fresh[k]);
        char(*photos)[65] = fresh;
        if (rings[ring].id) {
            d_ring_values *rv = &d->ring_values[ring];
            if (!rv->has_photos[bi]) {
                rv->has_photos[bi] = 1;
                memcpy(rv->photos[bi], fresh, sizeof fresh);
            }
            photos = rv->photos[bi];
        }
        int nphotos = (int)py_randint(r, 1, 3);
        l->nimages = 0;
        if (py_random(r) < 0.3) {
            const char *official = d->official[bi][py_below(r, (uint64_t)d->nofficial[bi])];
            int bits = (int)py_randint(r, 0, 6);
            near(d, official, bits, l->images[l->nimages++]);
            l->tactics[l->ntactics++] = "official_image";
        }
        for (int k = 0; k < nphotos; k++)
            memcpy(l->images[l->nimages++], photos[k], 65);
        l->price = price_in(d, cur, bi, cat, ratio);
        add_listing(d, l, -1);
    }
}

/* s with every `what` replaced by `with`, kept. */
static char *replaced(demo *d, const char *s, const char *what, const char *with)
{
    gn_buf out = {0};
    gn_buf_puts(&out, "");
    size_t n = strlen(what);
    for (const char *at = s, *hit;; at = hit + n) {
        hit = strstr(at, what);
        if (!hit) {
            gn_buf_puts(&out, at);
            break;
        }
        gn_buf_append(&out, at, (size_t)(hit - at));
        gn_buf_puts(&out, with);
    }
    return keep(d, gn_buf_take(&out));
}

/* A counterfeiter's edit: the lingo scrubbed from the title (its words
 * longest first), spaces and commas tidied. NULL when it had none. */
static char *scrubbed(demo *d, const char *title)
{
    int any = 0;
    char *t = (char *)title;
    for (int i = 0; i < NELEMS(lingo_by_length); i++) {
        const char *term = lingo_by_length[i].a, *up = lingo_by_length[i].b;
        if (!strstr(title, term) && !strstr(title, up)) continue;
        any = 1;
        t = replaced(d, replaced(d, t, up, ""), term, "");
    }
    if (!any) return NULL;
    t = replaced(d, t, "–", " ");
    gn_buf out = {0};
    gn_buf_puts(&out, "");
    for (const char *p = t; *p;) { /* " ".join(split()) */
        while (*p == ' ' || (*p >= '\t' && *p <= '\r'))
            p++;
        if (!*p) break;
        const char *w = p;
        while (*p && !(*p == ' ' || (*p >= '\t' && *p <= '\r')))
            p++;
        if (out.len) gn_buf_puts(&out, " ");
        gn_buf_append(&out, w, (size_t)(p - w));
    }
    t = replaced(d, keep(d, gn_buf_take(&out)), " ,", ",");
    size_t a = 0, z = strlen(t);
    while (a < z && (t[a] == ' ' || t[a] == ','))
        a++;
    while (z > a && (t[z - 1] == ' ' || t[z - 1] == ','))
        z--;
    return fmt(d, "%.*s high quality", (int)(z - a), t + a);
}

static void after_listings(demo *d)
{
    pyrand *r = &d->r;
    qsort(d->listings, (size_t)d->nlistings, sizeof *d->listings, by_when);
    for (int i = 0; i < d->nlistings; i++)
        snprintf(d->listings[i].id, sizeof d->listings[i].id, "L-%04d", 3001 + i);

    /* Sessions: every seller logs in before listing, in order of its id. */
    int order[NELEMS(d->sellers)];
    for (int i = 0; i < d->nsellers; i++)
        order[i] = i;
    for (int i = 1; i < d->nsellers; i++) /* ids sort as the table has them, but say so */
        for (int j = i; j > 0 && strcmp(d->sellers[order[j - 1]].id, d->sellers[order[j]].id) > 0;
             j--) {
            int x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    for (int o = 0; o < d->nsellers; o++) {
        int s = order[o];
        int64_t first = INT64_MAX;
        for (int i = 0; i < d->nlistings; i++)
            if (d->listings[i].seller == s && d->listings[i].when < first)
                first = d->listings[i].when;
        if (first == INT64_MAX) continue;
        int n = (int)py_randint(r, 1, 3);
        for (int k = 0; k < n; k++) {
            int64_t h = py_randint(r, 1, 48), m = py_randint(r, 0, 59);
            session(d, s, first - h * HOUR - m * 60);
        }
    }
    for (int i = 0; i < d->nlistings; i++) {
        const d_listing *l = &d->listings[i];
        emit_listing(d, l, l->when, l->title, l->price, l->quantity);
    }

    /* Updates: a genuine shop reprices or restocks; a counterfeiter scrubs
     * the words that got noticed or raises the price to look plausible. */
    int edited[36];
    py_sample(r, d->nlistings, 36, edited);
    for (int e = 0; e < 36; e++) {
        d_listing *l = &d->listings[edited[e]];
        const char *title = l->title;
        double price = l->price;
        int quantity = l->quantity;
        int64_t days = py_randint(r, 1, 4), hours = py_randint(r, 0, 12);
        int64_t later = l->when + days * DAY + hours * HOUR;
        if (l->counterfeit) {
            char *clean = scrubbed(d, l->title);
            if (clean) {
                title = clean;
                l->tactics[l->ntactics++] = "edited_to_evade";
            } else {
                price = shop_price(d, price * py_uniform(r, 1.5, 2.5), l->currency);
                l->tactics[l->ntactics++] = "repriced";
            }
        } else if (py_random(r) < 0.6) {
            static const double cuts[] = {0.9, 0.85, 0.95};
            price = shop_price(d, price * PY_CHOICE(r, cuts), l->currency);
        } else {
            title = fmt(d, "%s – back in stock", l->title);
            quantity = (int)py_randint(r, 3, 20);
        }
        emit_listing(d, l, later, title, price, quantity);
    }

    /* Orders, shipments, reviews */
    typedef struct {
        int listing;
        char buyer[8];
        int64_t when;
    } d_order;
    d_order *orders = gn_xmalloc(sizeof *orders * 3 * (size_t)d->nlistings);
    int norders = 0;
    static const char *const carriers_cn[] = {"YunExpress", "4PX", "China Post ePacket", "Cainiao"},
                             *const carriers[] = {"DHL Express", "UPS",      "FedEx",
                                                  "Royal Mail",  "La Poste", "DPD"},
                             *const tracking[] = {"YT", "LP", "JD", "1Z", "RR"};
    for (int i = 0; i < d->nlistings; i++) {
        const d_listing *l = &d->listings[i];
        double p_order = l->counterfeit ? 0.45 : 0.35;
        for (int k = 0; k < 3; k++) {
            if (py_random(r) >= p_order) break;
            d_order *o = &orders[norders];
            o->listing = i;
            o->when = l->when + py_randint(r, 2, 200) * HOUR;
            snprintf(o->buyer, sizeof o->buyer, "u-%04d", 5000 + (int)py_below(r, 140));
            int qty = l->price > 100 ? 1 : (int)py_randint(r, 1, 3);
            gn_buf *f = fields(d);
            kstr(f, "order", fmt(d, "O-%05d", 7001 + norders));
            kstr(f, "listing", l->id);
            kstr(f, "buyer", o->buyer);
            kfloat(f, "price", l->price);
            kint(f, "quantity", qty);
            kstr(f, "ship_to", PY_CHOICE(r, ship_to));
            emit(d, o->when, "order");
            norders++;
        }
    }
    int reviews = 0;
    for (int i = 0; i < norders; i++) {
        const d_order *o = &orders[i];
        const d_listing *l = &d->listings[o->listing];
        const d_seller *s = &d->sellers[l->seller];
        const char *oid = fmt(d, "O-%05d", 7001 + i);
        if (py_random(r) < 0.85) {
            const char *country, *city, *facility, *carrier;
            if (s->counterfeit) {
                int cn = strcmp(rings[s->ring].id ? rings[s->ring].id : "", "watch") ||
                         py_random(r) < 0.7;
                country = cn ? "CN" : "HK";
                city = cn ? rings[s->ring].city : "Hong Kong";
                facility = cn ? rings[s->ring].facility : "Kwai Chung Hub";
                carrier = PY_CHOICE(r, carriers_cn);
            } else {
                country = l->ship_from;
                city = place(country)->city;
                facility = place(country)->facility;
                carrier = PY_CHOICE(r, carriers);
            }
            int64_t at = o->when + py_randint(r, 6, 60) * HOUR;
            const char *prefix = PY_CHOICE(r, tracking);
            int64_t number = py_randint(r, 0, 999999999);
            gn_buf *f = fields(d);
            kstr(f, "order", oid);
            key(f, "origin");
            gn_buf_puts(f, "{\"country\":");
            gn_buf_json_string(f, country);
            gn_buf_puts(f, ",\"city\":");
            gn_buf_json_string(f, city);
            gn_buf_puts(f, ",\"facility\":");
            gn_buf_json_string(f, facility);
            gn_buf_puts(f, "}");
            kstr(f, "carrier", carrier);
            kstr(f, "tracking", fmt(d, "%s%09" PRId64, prefix, number));
            emit(d, at, "shipment");
        }
        if (py_random(r) < 0.6) {
            int rating;
            const char *text;
            if (l->counterfeit) {
                if (py_random(r) < 0.55) {
                    rating = (int)py_randint(r, 1, 2);
                    text = PY_CHOICE(r, fake_bad);
                } else {
                    rating = 5;
                    text = PY_CHOICE(r, fake_praise);
                }
            } else {
                static const int stars[] = {5, 5, 5, 4, 4, 3};
                rating = PY_CHOICE(r, stars);
                text = PY_CHOICE(r, good_reviews);
            }
            reviews++;
            int64_t at = o->when + py_randint(r, 4, 12) * DAY;
            gn_buf *f = fields(d);
            kstr(f, "review", fmt(d, "V-%05d", 9000 + reviews));
            kstr(f, "listing", l->id);
            kstr(f, "buyer", o->buyer);
            kint(f, "rating", rating);
            kstr(f, "text", text);
            kstr(f, "order", oid);
            emit(d, at, "review");
        }
    }
    free(orders);

    /* Shoppers' reports: 24 fakes, 4 genuine listings */
    int fakes[400], nfakes = 0, honest[400], nhonest = 0;
    for (int i = 0; i < d->nlistings; i++)
        if (d->listings[i].counterfeit)
            fakes[nfakes++] = i;
        else
            honest[nhonest++] = i;
    int reported[28], idx[24];
    py_sample(r, nfakes, 24, idx);
    for (int i = 0; i < 24; i++)
        reported[i] = fakes[idx[i]];
    py_sample(r, nhonest, 4, idx);
    for (int i = 0; i < 4; i++)
        reported[24 + i] = honest[idx[i]];
    for (int i = 0; i < 28; i++) {
        const d_listing *l = &d->listings[reported[i]];
        const d_pair *why = &PY_CHOICE(r, report_reasons);
        const char *reason = why->a, *text = why->b;
        if (!l->counterfeit) {
            reason = "suspicious_price";
            text = "This seems too cheap to be real, please check.";
        }
        int64_t at = l->when + py_randint(r, 3, 96) * HOUR;
        uint64_t who = py_below(r, 142);
        gn_buf *f = fields(d);
        kstr(f, "report", fmt(d, "P-%04d", 4001 + i));
        kstr(f, "listing", l->id);
        kstr(f, "reporter",
             who < 140    ? fmt(d, "u-%04d", 5000 + (int)who)
             : who == 140 ? "rh-kering"
                          : "rh-nike");
        kstr(f, "reason", reason);
        kstr(f, "text", text);
        emit(d, at, "report");
    }

    /* Rights holders' complaints */
    int complaints = 0;
    for (int g = 0; g < NELEMS(rights); g++) {
        if (rights[g].k != 0) continue; /* each brand once, its first right */
        int bi = brand_index(rights[g].brand);
        int of[400], nof = 0;
        for (int i = 0; i < d->nlistings; i++)
            if (d->listings[i].counterfeit && d->listings[i].brand == bi) of[nof++] = i;
        if (nof < 2) continue;
        int times = !strcmp(brands[bi].id, "gucci") || !strcmp(brands[bi].id, "nike") ? 2 : 1;
        for (int t = 0; t < times; t++) {
            int want = (int)py_randint(r, 2, 5), k = nof < want ? nof : want, pick[8];
            py_sample(r, nof, k, pick);
            int named[8];
            for (int i = 0; i < k; i++)
                named[i] = of[pick[i]];
            for (int i = 1; i < k; i++) /* by time, ties as drawn */
                for (int j = i;
                     j > 0 && d->listings[named[j - 1]].when > d->listings[named[j]].when; j--) {
                    int x = named[j];
                    named[j] = named[j - 1];
                    named[j - 1] = x;
                }
            int64_t last = INT64_MIN;
            for (int i = 0; i < k; i++)
                if (d->listings[named[i]].when > last) last = d->listings[named[i]].when;
            complaints++;
            int64_t at = last + py_randint(r, 12, 72) * HOUR;
            gn_buf *f = fields(d);
            kstr(f, "complaint", fmt(d, "C-%03d", 100 + complaints));
            kstr(f, "rights_holder", brands[bi].owner);
            kstr(f, "right", rights[g].id);
            key(f, "listings");
            gn_buf_puts(f, "[");
            for (int i = 0; i < k; i++)
                gn_buf_printf(f, "%s\"%s\"", i ? "," : "", d->listings[named[i]].id);
            gn_buf_puts(f, "]");
            kstr(f, "statement",
                 fmt(d,
                     "These listings offer goods bearing the %s mark that %s did not make or "
                     "authorise. We have a good-faith belief that their use of the mark is not "
                     "authorised by the rights holder, its agent or the law.",
                     brands[bi].name, brands[bi].owner));
            emit(d, at, "complaint");
        }
    }

    /* Audits: reviewers check a random sample of listings two days after
     * they were created, whatever genuine decided (a generator of its own). */
    pyrand audit;
    py_seed(&audit, 2026);
    for (int i = 0; i < d->nlistings; i++) {
        const d_listing *l = &d->listings[i];
        if (py_random(&audit) >= 0.4) continue;
        int64_t at = l->when + 2 * DAY + py_randint(&audit, 0, 600) * 60;
        gn_buf *f = fields(d);
        kstr(f, "subject", "listing");
        kstr(f, "target", l->id);
        kstr(f, "outcome", l->counterfeit ? "counterfeit" : "genuine");
        kstr(f, "reviewer", PY_CHOICE(&audit, reviewers));
        kstr(f, "note", "audit sample");
        emit(d, at, "verdict");
    }
}

static int by_time(const void *a, const void *b)
{
    const d_event *x = a, *y = b;
    if (x->when != y->when) return x->when < y->when ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int gn_demo_write(FILE *events, FILE *truth, gn_error *err)
{
    demo *d = gn_xcalloc(1, sizeof *d);
    py_seed(&d->r, 20260222);
    plan(d);
    plan_listings(d);
    after_listings(d);
    qsort(d->events, (size_t)d->nevents, sizeof *d->events, by_time);
    int failed = 0;
    for (int i = 0; i < d->nevents && events; i++) {
        char at[21];
        sim_time_text(d->events[i].when, at);
        if (fprintf(events, "{\"type\":\"%s\",\"id\":\"ev-%05d\",\"at\":\"%s\"%s}\n",
                    d->events[i].type, i + 1, at, d->events[i].body) < 0)
            failed = 1;
    }
    if (truth) {
        if (fputs("listing,counterfeit,tactic\n", truth) < 0) failed = 1;
        for (int i = 0; i < d->nlistings; i++) {
            const d_listing *l = &d->listings[i];
            fprintf(truth, "%s,%d,", l->id, l->counterfeit);
            for (int k = 0; k < l->ntactics; k++)
                fprintf(truth, "%s%s", k ? "+" : "", l->tactics[k]);
            if (fputs("\n", truth) < 0) failed = 1;
        }
    }
    for (int i = 0; i < d->nevents; i++)
        free(d->events[i].body);
    free(d->events);
    for (int i = 0; i < d->nkept; i++)
        free(d->kept[i]);
    free(d->kept);
    gn_buf_free(&d->body);
    free(d);
    if (failed || (events && (fflush(events) || ferror(events))) ||
        (truth && (fflush(truth) || ferror(truth))))
        return gn_fail(err, GN_EINPUT, "simulate: writing the demo marketplace failed");
    return 0;
}
