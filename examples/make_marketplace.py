#!/usr/bin/env python3
# Writes the demo marketplace (examples/marketplace.jsonl) and its answer key
# (examples/truth.csv): a small, readable, deterministic month of a marketplace
# in contract events. Run from anywhere: python3 examples/make_marketplace.py
#
# The committed .jsonl is what `make demo` loads; this script only regenerates
# it. The same seed always gives byte-identical files, so a diff of the output
# shows exactly what a change to this script did.
import csv
import datetime as dt
import json
import os
import random

SEED = 20260222
R = random.Random(SEED)
HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc


def t(y, mo, d, h=0, mi=0, s=0):
    return dt.datetime(y, mo, d, h, mi, s, tzinfo=UTC)


def rfc3339(when):
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def pdq():
    return "%064x" % R.getrandbits(256)


def near(hexhash, bits):
    """A near-duplicate of a PDQ hash: a re-encoded or cropped copy of a photo
    differs in a few bits, which is what the image matcher must tolerate."""
    v = int(hexhash, 16)
    for b in R.sample(range(256), bits):
        v ^= 1 << b
    return "%064x" % v


# ------------------------------------------------------------------ the events
# Events are collected with their time and sorted at the end; ids are given in
# file order, so "ev-00042" is the 42nd line.
EVENTS = []


def emit(when, etype, **fields):
    EVENTS.append((when, len(EVENTS), etype, fields))


# ------------------------------------------------------------------ currencies
RATES_2018 = {"USD": 1.0, "EUR": 1.20, "CNY": 0.154, "GBP": 1.35}
RATES_NOW = {"USD": 1.0, "EUR": 1.08, "CNY": 0.139, "GBP": 1.27}
for cur, usd in RATES_2018.items():
    emit(t(2018, 1, 2, 0, 0), "rate", currency=cur, usd=usd)
for cur, usd in RATES_NOW.items():
    emit(t(2026, 1, 31, 0, 0), "rate", currency=cur, usd=usd)
# A mid-month refresh: the engine must use the latest rate of each currency.
emit(t(2026, 2, 12, 0, 0), "rate", currency="EUR", usd=1.09)
RATES_NOW["EUR"] = 1.09


def convert(amount, frm, to):
    return amount * RATES_NOW[frm] / RATES_NOW[to]


def shop_price(x, cur):
    """Prices as shops write them: whole yuan, otherwise .00/.95/.99 endings."""
    if cur == "CNY":
        return float(max(1, round(x)))
    if x >= 200:
        return float(round(x / 5) * 5)
    whole = int(x)
    return round(whole + R.choice([0.0, 0.95, 0.99]), 2) if whole >= 1 else round(x, 2)


# ------------------------------------------------------------------ the brands
# Real brand names make the demo readable; every price, number and seller here
# is invented (reference prices are close to list prices, no more).
BRANDS = [
    dict(brand="gucci", name="Gucci", owner="rh-kering", currency="USD",
         aliases=["GUCCI", "古驰", "古馳"],
         prices={"handbags": 2900, "belts": 495, "sneakers": 890, "wallets": 650},
         products={
             "handbags": ["GG Marmont Small Matelassé Shoulder Bag", "Dionysus GG Supreme Mini Bag",
                          "Jackie 1961 Small Hobo Bag", "Horsebit 1955 Shoulder Bag",
                          "Ophidia GG Medium Tote"],
             "belts": ["GG Marmont Thin Leather Belt", "Double G Buckle Leather Belt 30mm",
                       "Horsebit Leather Belt"],
             "sneakers": ["Ace Embroidered Bee Sneaker", "Rhyton Logo Leather Sneaker",
                          "Screener GG Canvas Sneaker"],
             "wallets": ["GG Marmont Zip Around Wallet", "Ophidia GG Card Case",
                         "Jackie 1961 Continental Wallet"]},
         misspelt=["Guchi", "Gucii", "Guccy", "Gucchi"],
         lookalike=["Gucсi", "GUCCl", "G-u-c-c-i", "G U C C I", "Guссi"]),
    dict(brand="louis-vuitton", name="Louis Vuitton", owner="rh-lvmh", currency="EUR",
         aliases=["LV", "Louis Vuitton Paris", "路易威登", "ルイ・ヴィトン"],
         prices={"handbags": 2100, "wallets": 720, "belts": 620, "scarves": 480},
         products={
             "handbags": ["Neverfull MM Monogram Canvas Tote", "Speedy Bandoulière 25",
                          "Alma BB Epi Leather", "Pochette Métis Monogram", "OnTheGo PM"],
             "wallets": ["Zippy Wallet Monogram", "Victorine Wallet", "Pocket Organizer Damier Graphite"],
             "belts": ["LV Initiales 40mm Reversible Belt", "LV Pyramide 40mm Belt"],
             "scarves": ["Monogram Classic Scarf", "Monogram Shine Shawl"]},
         misspelt=["Louis Vuiton", "Louis Vitton", "Loius Vuitton", "Luis Vuitton"],
         lookalike=["Lоuis Vuitton", "Louis Vuittοn", "L-o-u-i-s V-u-i-t-t-o-n", "LOUIS VUlTTON"]),
    dict(brand="chanel", name="Chanel", owner="rh-chanel", currency="EUR", authorized_only=True,
         aliases=["CHANEL", "Coco Chanel", "香奈儿", "シャネル"],
         prices={"handbags": 9500, "wallets": 1150, "perfume": 150},
         products={
             "handbags": ["Classic 11.12 Flap Bag Lambskin", "Boy Chanel Flap Bag Caviar",
                          "Chanel 19 Handbag", "Gabrielle Hobo Bag"],
             "wallets": ["Classic Card Holder Caviar Leather", "Classic Zipped Wallet Lambskin"],
             "perfume": ["N°5 Eau de Parfum 100ml", "Coco Mademoiselle Eau de Parfum 100ml",
                         "Bleu de Chanel Eau de Parfum 100ml", "Chance Eau Tendre 100ml"]},
         misspelt=["Chanell", "Channel", "Chanal", "Shanel"],
         lookalike=["Сhanel", "CHΛNEL", "C.H.A.N.E.L", "Chаnel"]),
    dict(brand="rolex", name="Rolex", owner="rh-rolex", currency="USD", authorized_only=True,
         aliases=["ROLEX", "劳力士", "勞力士"],
         prices={"watches": 10500},
         products={"watches": ["Submariner Date 41mm 126610LN", "Datejust 36 Oyster Steel 126200",
                               "GMT-Master II 126710BLRO", "Cosmograph Daytona 116500LN",
                               "Oyster Perpetual 41 124300", "Explorer 36 124270"]},
         misspelt=["Rolexx", "Rollex", "Rolax", "Rolek"],
         lookalike=["ROLΕX", "Rоlex", "R-o-l-e-x", "R O L E X"]),
    dict(brand="nike", name="Nike", owner="rh-nike", currency="USD",
         aliases=["NIKE", "Air Jordan", "耐克"],
         prices={"sneakers": 130, "apparel": 90, "bags": 60},
         products={
             "sneakers": ["Air Force 1 '07", "Air Jordan 1 Retro High OG", "Dunk Low Retro Panda",
                          "Air Max 90", "Pegasus 41 Road Running Shoes", "Air Max 97 Silver Bullet"],
             "apparel": ["Tech Fleece Full-Zip Hoodie", "Dri-FIT Running Shorts", "Sportswear Club Fleece Joggers"],
             "bags": ["Brasilia Training Backpack", "Heritage Crossbody Bag"]},
         misspelt=["Nikee", "Nikey", "Nkie", "Naike"],
         lookalike=["NIKΞ", "Νike", "N-I-K-E", "N1KE"]),
    dict(brand="adidas", name="Adidas", owner="rh-adidas", currency="EUR",
         aliases=["adidas Originals", "阿迪达斯", "三叶草"],
         prices={"sneakers": 110, "apparel": 80},
         products={
             "sneakers": ["Samba OG", "Gazelle Indoor", "Ultraboost Light", "Stan Smith", "Campus 00s",
                          "Yeezy Boost 350 V2"],
             "apparel": ["Adicolor Classics 3-Stripes Track Jacket", "Tiro 24 Training Pants",
                         "Essentials Big Logo Hoodie"]},
         misspelt=["Addidas", "Adiddas", "Adidass", "Adibas"],
         lookalike=["Аdidas", "adidаs", "A.D.I.D.A.S", "A-d-i-d-a-s"]),
    dict(brand="apple", name="Apple", owner="rh-apple", currency="USD",
         aliases=["苹果", "Apple Inc."],
         prices={"headphones": 249, "phones": 999, "watches": 399, "chargers": 39},
         products={
             "headphones": ["AirPods Pro (2nd generation) USB-C", "AirPods 4 with Active Noise Cancellation",
                            "AirPods Max"],
             "phones": ["iPhone 15 Pro 256GB", "iPhone 16 128GB", "iPhone 15 Pro Max 512GB"],
             "watches": ["Watch Series 9 GPS 45mm", "Watch Ultra 2 49mm Titanium"],
             "chargers": ["MagSafe Charger 1m", "20W USB-C Power Adapter", "USB-C to Lightning Cable 1m"]},
         misspelt=["Aple", "Appel", "Apolle"],
         lookalike=["Аpple", "Appӏe", "A-p-p-l-e", "ΑPPLE"]),
    dict(brand="ray-ban", name="Ray-Ban", owner="rh-essilorluxottica", currency="USD",
         aliases=["Ray Ban", "RayBan", "雷朋"],
         prices={"sunglasses": 180},
         products={"sunglasses": ["RB2140 Original Wayfarer Classic", "RB3025 Aviator Classic",
                                  "RB3016 Clubmaster Classic", "RB4165 Justin", "RB3447 Round Metal"]},
         misspelt=["Ray-Bam", "Rey-Ban", "Ray-Bon", "Raybaan"],
         lookalike=["Ray-Βan", "R-a-y B-a-n", "RAY-BΛN", "Rаy-Ban"]),
]
BY_ID = {b["brand"]: b for b in BRANDS}
for b in BRANDS:
    b["official"] = [pdq() for _ in range(R.randint(2, 3))]

# ------------------------------------------------------------------ genuine sellers
# (id, name, country, template, kind, created year)
# kind: lux (luxury boutique), sport, tech, used (second-hand), generic, outlet
GENUINE = [
    ("s-1001", "Via Condotti Luxury", "IT", "custom", "lux", 2019),
    ("s-1002", "Maison Étoile Paris", "FR", "custom", "lux", 2019),
    ("s-1003", "Meridian Fine Watches", "US", "custom", "lux", 2020),
    ("s-1004", "Crown & Crest Jewellers", "GB", "custom", "lux", 2019),
    ("s-1005", "Tempus Certified Pre-Owned", "US", "custom", "used", 2021),
    ("s-1006", "Galleria Moda Milano", "IT", "custom", "lux", 2020),
    ("s-1007", "Harbour City Timepieces", "HK", "custom", "lux", 2021),
    ("s-1008", "Urban Kicks", "US", "custom", "sport", 2020),
    ("s-1009", "Sole Republic", "US", "custom", "sport", 2022),
    ("s-1010", "Stride Athletics", "GB", "custom", "sport", 2021),
    ("s-1011", "Berlin Sneaker Lab", "DE", "custom", "sport", 2022),
    ("s-1012", "上海运动城 Shanghai Sports City", "CN", "custom", "sport", 2020),
    ("s-1013", "TechHaven Electronics", "US", "custom", "tech", 2019),
    ("s-1014", "iStore Direct UK", "GB", "custom", "tech", 2021),
    ("s-1015", "Gadget Garten", "DE", "custom", "tech", 2022),
    ("s-1016", "Emma's Closet", "GB", "basic", "used", 2022),
    ("s-1017", "Vintage Vault NYC", "US", "custom", "used", 2020),
    ("s-1018", "Second Life Luxury", "FR", "custom", "used", 2021),
    ("s-1019", "Pre-Loved Paris", "FR", "custom", "used", 2023),
    ("s-1020", "ReLux Tokyo", "JP", "custom", "used", 2022),
    ("s-1021", "Mia's Wardrobe", "IT", "basic", "used", 2023),
    ("s-1022", "义乌家居箱包 Yiwu Home & Bag", "CN", "custom", "generic", 2021),
    ("s-1023", "Guangzhou Leather Goods Co.", "CN", "custom", "generic", 2020),
    ("s-1024", "Everyday Basics", "US", "custom", "generic", 2021),
    ("s-1025", "Nordic Essentials", "SE", "custom", "generic", 2022),
    ("s-1026", "Sunny Shades", "ES", "basic", "generic", 2023),
    ("s-1027", "Canvas & Co", "NL", "custom", "generic", 2022),
    ("s-1028", "Hangzhou Silk Road Trading", "CN", "custom", "generic", 2021),
    ("s-1029", "Leather Craft Istanbul", "TR", "custom", "generic", 2022),
    ("s-1030", "深圳数码城 Shenzhen Digital Mall", "CN", "custom", "generic", 2020),
    ("s-1031", "Outlet Avenue", "US", "custom", "outlet", 2020),
    ("s-1032", "Roermond Designer Outlet Online", "NL", "custom", "outlet", 2021),
    ("s-1033", "Brand Clearance UK", "GB", "custom", "outlet", 2022),
    ("s-1034", "Fashion Factory Outlet", "DE", "custom", "outlet", 2021),
    ("s-1035", "La Vallée Bargains", "FR", "custom", "outlet", 2023),
    ("s-1036", "Seoul Style Outlet", "KR", "custom", "outlet", 2022),
    ("s-1037", "Runners Corner", "AU", "basic", "sport", 2024),
    ("s-1038", "Bangkok Street Style", "TH", "custom", "generic", 2023),
    ("s-1039", "Phone Case Planet", "US", "custom", "generic", 2022),
    ("s-1040", "Lisbon Leather Atelier", "PT", "custom", "generic", 2024),
]
CURRENCY_OF = {"US": "USD", "HK": "USD", "AU": "USD", "KR": "USD", "JP": "USD", "TH": "USD", "TR": "USD",
               "GB": "GBP", "CN": "CNY", "IT": "EUR", "FR": "EUR", "DE": "EUR", "NL": "EUR", "ES": "EUR",
               "SE": "EUR", "PT": "EUR"}
CITY_OF = {"US": ("New York", "JFK Logistics Center"), "HK": ("Hong Kong", "Kwai Chung Hub"),
           "AU": ("Sydney", "Mascot Depot"), "KR": ("Seoul", "Incheon Fulfilment"),
           "JP": ("Tokyo", "Shinagawa Depot"), "TH": ("Bangkok", "Lat Krabang Hub"),
           "TR": ("Istanbul", "Esenyurt Warehouse"), "GB": ("London", "Heathrow Parcel Hub"),
           "CN": ("Shanghai", "Pudong Warehouse 2"), "IT": ("Milan", "Linate Hub"),
           "FR": ("Paris", "Roissy Hub"), "DE": ("Berlin", "Schönefeld Depot"),
           "NL": ("Roermond", "Venlo Fulfilment"), "ES": ("Madrid", "Coslada Depot"),
           "SE": ("Stockholm", "Årsta Terminal"), "PT": ("Lisbon", "Prior Velho Hub")}
AUTHORIZED = {"gucci": ["s-1001", "s-1006"], "louis-vuitton": ["s-1002", "s-1006"],
              "chanel": ["s-1002", "s-1004", "s-1018"], "rolex": ["s-1003", "s-1004", "s-1005", "s-1007"],
              "nike": ["s-1008", "s-1012"], "adidas": ["s-1011"], "apple": ["s-1013", "s-1014"],
              "ray-ban": []}

# ------------------------------------------------------------------ brand events
for i, b in enumerate(BRANDS):
    fields = dict(brand=b["brand"], name=b["name"], aliases=b["aliases"], owner=b["owner"],
                  categories=list(b["prices"]),
                  reference_prices=[dict(category=c, price=p, currency=b["currency"])
                                    for c, p in b["prices"].items()],
                  official_images=[dict(pdq=h, role="official") for h in b["official"]],
                  authorized_sellers=AUTHORIZED[b["brand"]])
    if b.get("authorized_only"):
        fields["authorized_only"] = True
    emit(t(2018, 3, 1 + i, 10), "brand", **fields)

RIGHTS = {  # brand -> [(right id, kind, number, jurisdiction, classes)]
    "gucci": [("tm-gucci-eu", "trademark", "EUTM 000121988", "EU", ["18", "25"]),
              ("tm-gucci-cn", "trademark", "CNIPA 7156094", "CN", ["18"])],
    "louis-vuitton": [("tm-lv-eu", "trademark", "EUTM 000015610", "EU", ["18", "24", "25"]),
                      ("cr-lv-monogram", "copyright", "FR-INPI 1896-0001", "FR", [])],
    "chanel": [("tm-chanel-us", "trademark", "USPTO 0626035", "US", ["3", "18"]),
               ("ds-chanel-flap", "design", "EUIPO 002201456-0001", "EU", [])],
    "rolex": [("tm-rolex-us", "trademark", "USPTO 0101819", "US", ["14"])],
    "nike": [("tm-nike-us", "trademark", "USPTO 0978952", "US", ["25"]),
             ("ds-nike-af1", "design", "USD 0955123", "US", [])],
    "apple": [("pt-apple-airpods", "patent", "US 11,134,331 B2", "US", []),
              ("tm-apple-cn", "trademark", "CNIPA 1043745", "CN", ["9"])],
}
for n, (brand, rights) in enumerate(RIGHTS.items()):
    for k, (rid, kind, number, jur, classes) in enumerate(rights):
        fields = dict(right=rid, brand=brand, kind=kind, number=number, holder=BY_ID[brand]["owner"],
                      jurisdiction=jur, valid_from=rfc3339(t(2015 + k, 1, 1)),
                      valid_until=rfc3339(t(2031 + n % 4, 12, 31)),
                      documents=["https://rights.example.org/%s/certificate.pdf" % rid])
        if classes:
            fields["classes"] = classes
        if kind == "copyright":
            fields["work"] = "the %s monogram canvas pattern" % BY_ID[brand]["name"]
        if kind in ("design", "patent"):
            fields["right_type"] = "registered design" if kind == "design" else "utility"
        emit(t(2018, 4, 2 + n, 9, 30 + k), "ip_right", **fields)
        # the platform checks the certificate and verifies the right the next day
        emit(t(2018, 4, 3 + n, 11, 30 + k), "verdict", subject="right", target=rid,
             outcome="verified", reviewer="platform-ip-team")

# ------------------------------------------------------------------ seller events
SELLERS = {}  # id -> dict(name, country, kind, created, counterfeit, ring)
for sid, name, country, template, kind, year in GENUINE:
    created = t(year, R.randint(1, 12), R.randint(1, 28), R.randint(8, 20), R.randint(0, 59))
    SELLERS[sid] = dict(name=name, country=country, kind=kind, created=created, counterfeit=False,
                        ring=None, template=template)
    fields = dict(seller=sid, name=name, country=country, template=template)
    if template == "custom":
        fields["business_id"] = "%s-%08d" % (country, R.randint(10 ** 7, 10 ** 8 - 1))
    fields["signals"] = dict(rating=round(R.uniform(4.5, 4.97), 2), orders_12m=R.randint(150, 9000),
                             return_rate=round(R.uniform(0.01, 0.05), 3))
    emit(created, "seller", **fields)
    if template == "custom" and R.random() < 0.8:  # most businesses verify; individuals rarely do
        emit(created + dt.timedelta(days=1), "seller_verification", seller=sid, status="submitted",
             documents=[dict(kind="business_licence", number=fields["business_id"],
                             issuer="%s company register" % country)])
        emit(created + dt.timedelta(days=R.randint(3, 9)), "seller_verification", seller=sid,
             status="verified")
    emit(created, "seller_attribute", seller=sid, kind="email",
         value="%s@shops.example.com" % sid.replace("s-", "shop"))
    emit(created, "seller_attribute", seller=sid, kind="phone",
         value="+%d %d" % (R.randint(1, 89), R.randint(10 ** 8, 10 ** 9 - 1)))
    if template == "custom":
        emit(created + dt.timedelta(hours=2), "seller_attribute", seller=sid, kind="bank_account",
             value="%s%02d BANK %010d" % (country, R.randint(10, 99), R.randint(0, 10 ** 10 - 1)))

# Counterfeiters come in rings: one actor, several shops, sharing what a person
# shares -- a laptop, a router, a phone, a bank or payment account, a warehouse.
# The rings differ in what links them, so every kind of link is exercised.
RINGS = {
    "putian": dict(kind="sneakers", share=["device", "network"], city=("Putian", "Licheng Parcel Station"),
                   brands=["nike", "adidas"]),
    "baiyun": dict(kind="bags", share=["network", "address", "phone"],
                   city=("Guangzhou", "Baiyun Leather Market Depot"), brands=["gucci", "louis-vuitton", "chanel"]),
    "watch": dict(kind="watches", share=["bank_account", "payment_account"],
                  city=("Shenzhen", "Huaqiangbei Logistics"), brands=["rolex"]),
    "tech": dict(kind="tech", share=["device", "phone"], city=("Shenzhen", "Longhua Fulfilment"),
                 brands=["apple"]),
    "yiwu": dict(kind="mixed", share=["payment_account", "email"], city=("Yiwu", "Futian Market Warehouse"),
                 brands=["ray-ban", "gucci", "nike"]),
    None: dict(kind="mixed", share=[], city=("Guangzhou", "Panyu Express Depot"),
               brands=["gucci", "nike", "rolex", "chanel", "apple", "louis-vuitton"]),
}
COUNTERFEIT = [  # (id, name, country, ring)
    ("s-2001", "Putian Sneaker Master", "CN", "putian"),
    ("s-2002", "kicks_king_168", "CN", "putian"),
    ("s-2003", "Best Shoes Wholesale", "CN", "putian"),
    ("s-2004", "sneaker plug hk", "HK", "putian"),
    ("s-2005", "Daily Deals Sports", "US", "putian"),
    ("s-2006", "Luxe4Less", "CN", "baiyun"),
    ("s-2007", "AAA Bags Store", "CN", "baiyun"),
    ("s-2008", "Eleganza Boutique", "IT", "baiyun"),
    ("s-2009", "fashion queen store", "CN", "baiyun"),
    ("s-2010", "Paris Chic Deals", "FR", "baiyun"),
    ("s-2011", "Designer Dupes Hub", "CN", "baiyun"),
    ("s-2012", "Trendy Watch World", "HK", "watch"),
    ("s-2013", "kingwatch_hk", "HK", "watch"),
    ("s-2014", "Swiss Time Discount", "CN", "watch"),
    ("s-2015", "Luxury Time 24h", "TR", "watch"),
    ("s-2016", "ShenzhenGadgetPro", "CN", "tech"),
    ("s-2017", "Mega Discount Electronics", "CN", "tech"),
    ("s-2018", "pods_and_more", "CN", "tech"),
    ("s-2019", "Global Brand Outlet 24h", "CN", "yiwu"),
    ("s-2020", "happy buy 2026", "CN", "yiwu"),
    ("s-2021", "Yiwu Best Price", "CN", "yiwu"),
    ("s-2022", "star-seller-777", "TH", None),
    ("s-2023", "Original Factory Direct", "CN", None),
    ("s-2024", "lucky trade 88", "CN", None),
    ("s-2025", "top_luxury_mall", "TR", None),
]
RING_VALUES = {}
for ring, spec in RINGS.items():
    if ring is None:
        continue
    RING_VALUES[ring] = dict(
        device="dev-%012x" % R.getrandbits(48), network="wifi-%08x" % R.getrandbits(32),
        ip="%d.%d.%d.%d" % (R.choice([36, 59, 113, 120, 183]), R.randint(0, 255), R.randint(0, 255), R.randint(1, 254)),
        phone="+86 1%d" % R.randint(3 * 10 ** 9, 9 * 10 ** 9),
        bank_account="CN%02d ICBK %012d" % (R.randint(10, 99), R.randint(0, 10 ** 12 - 1)),
        payment_account="alipay:%s%d@example.cn" % (ring, R.randint(100, 999)),
        email="%s.trade%d@example.cn" % (ring, R.randint(10, 99)),
        address="%s, %s, Room %d" % (spec["city"][1], spec["city"][0], R.randint(101, 1999)))

for sid, name, country, ring in COUNTERFEIT:
    created = t(2026, 1, 24, R.randint(0, 23), R.randint(0, 59)) + dt.timedelta(days=R.randint(0, 18))
    SELLERS[sid] = dict(name=name, country=country, kind=RINGS[ring]["kind"], created=created,
                        counterfeit=True, ring=ring, template="basic")
    emit(created, "seller", seller=sid, name=name, country=country, template="basic",
         signals=dict(rating=0, orders_12m=0, return_rate=0))
    u = R.random()
    if u < 0.4:
        emit(created + dt.timedelta(hours=3), "seller_verification", seller=sid, status="submitted",
             documents=[dict(kind="id_card", number="4403%014d" % R.randint(0, 10 ** 14 - 1),
                             issuer="unknown")])
    elif u < 0.55:
        emit(created + dt.timedelta(hours=3), "seller_verification", seller=sid, status="submitted",
             documents=[dict(kind="business_licence", number="91440101MA%08d" % R.randint(0, 10 ** 8 - 1),
                             issuer="SAMR")])
        emit(created + dt.timedelta(days=2), "seller_verification", seller=sid, status="rejected")
    rv = RING_VALUES.get(ring, {})
    for kind in ("phone", "email", "bank_account", "payment_account", "address"):
        if kind in RINGS[ring]["share"]:
            value = rv[kind]
        elif kind in ("phone", "email"):
            value = ("+86 1%d" % R.randint(3 * 10 ** 9, 9 * 10 ** 9) if kind == "phone"
                     else "%s%d@mail.example.cn" % (sid.replace("s-", "u"), R.randint(1, 99)))
        else:
            continue
        emit(created + dt.timedelta(minutes=5), "seller_attribute", seller=sid, kind=kind, value=value)

UA = ["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
      "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15",
      "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
      "Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36"]


def session(sid, when):
    s = SELLERS[sid]
    rv = RING_VALUES.get(s["ring"]) if s["counterfeit"] else None
    share = RINGS[s["ring"]]["share"] if s["counterfeit"] else []
    own = s.setdefault("own", dict(device="dev-%012x" % R.getrandbits(48), network="wifi-%08x" % R.getrandbits(32),
                                   ip="%d.%d.%d.%d" % (R.randint(11, 223), R.randint(0, 255), R.randint(0, 255),
                                                       R.randint(1, 254)), ua=R.choice(UA)))
    emit(when, "session", account=sid,
         ip=rv["ip"] if rv and "network" in share else own["ip"],
         device=rv["device"] if rv and "device" in share else own["device"],
         network=rv["network"] if rv and "network" in share else own["network"],
         user_agent=own["ua"])


# ------------------------------------------------------------------ listing text
COLORS = ["Black", "Beige", "White", "Brown", "Navy", "Red", "Green", "Pink", "Grey", "Cream"]
SIZES_SHOE = ["EU 38", "EU 39", "EU 40", "EU 41", "EU 42", "EU 43", "EU 44", "US 8", "US 9", "US 10", "UK 7"]
DETAILS = {
    "handbags": ["Smooth leather exterior with a microfibre lining and one inner zip pocket.",
                 "Adjustable shoulder strap with a 55 cm drop; can be worn crossbody.",
                 "Gold-toned hardware, magnetic snap closure and a suede interior.",
                 "Dimensions: 26 x 15 x 7 cm. Fits a phone, a compact wallet and keys."],
    "wallets": ["Eight card slots, two bill compartments and a zipped coin pocket.",
                "Compact size: 19.5 x 10.5 cm, fits easily in most handbags.",
                "Grained calfskin that keeps its shape; the edges are hand-painted."],
    "belts": ["Width 3 cm; the leather can be cut to size at any of our stores.",
              "Reversible strap, black and brown, with a palladium-finish buckle.",
              "Available in sizes 85 to 110; please check the size chart before ordering."],
    "scarves": ["140 x 140 cm in a silk and wool blend, hand-rolled edges.",
                "Soft, warm and light; dry clean only."],
    "sneakers": ["Leather upper with a rubber cupsole for all-day comfort.",
                 "Breathable mesh lining and a cushioned foam insole.",
                 "True to size; if you are between sizes we suggest the larger one.",
                 "Comes in the original box with spare laces."],
    "apparel": ["Cotton-polyester fleece, brushed on the inside, regular fit.",
                "Machine wash cold, do not tumble dry.",
                "Model is 183 cm tall and wears size M."],
    "bags": ["Water-resistant polyester with a padded laptop sleeve up to 15 inches.",
             "Main compartment with a zip closure and two side pockets for bottles."],
    "perfume": ["Floral aldehyde fragrance; top notes of neroli and ylang-ylang.",
                "Sealed in the original cellophane; batch code printed on the box.",
                "100 ml spray bottle; we ship perfume by ground only, as required."],
    "watches": ["Oystersteel case, unidirectional rotatable bezel, waterproof to 300 m.",
                "Self-winding calibre with approximately 70 hours of power reserve.",
                "Supplied with the green warranty card, box and booklets.",
                "Bracelet sized for a 17.5 cm wrist; extra links included."],
    ("apple", "watches"): ["Always-On Retina display, aluminium case, GPS, heart-rate and ECG sensors.",
                           "Comes with the Sport Band in size M/L; water resistant to 50 m.",
                           "Sealed box; one-year manufacturer warranty from the date of purchase."],
    "headphones": ["Active Noise Cancellation and Transparency mode; up to 6 hours of listening.",
                   "MagSafe charging case with a speaker and a lanyard loop.",
                   "Serial number can be checked on the manufacturer's coverage page."],
    "phones": ["6.1-inch display, titanium design, 48 MP main camera.",
               "Factory unlocked; works with all carriers. eSIM only in the US model.",
               "Sealed box, one-year manufacturer warranty from the date of purchase."],
    "chargers": ["Magnetic alignment for fast wireless charging up to 15 W.",
                 "USB-C connector; the power adapter is sold separately."],
    "sunglasses": ["Crystal green G-15 lenses with 100% UV protection.",
                   "Acetate frame, size 50 mm; comes with the case and a cleaning cloth.",
                   "Polarized option available; lens width 50 mm, bridge 22 mm."],
}
SHIP = {
    "lux": "Ships within one business day from our boutique, fully insured and signature required.",
    "sport": "Orders placed before 2 pm ship the same day. Free returns within 30 days.",
    "tech": "Ships next business day with tracking. 14-day returns in the original packaging.",
    "used": "Shipped tracked and insured. As this is a pre-owned item returns are accepted only if not as described.",
    "generic": "Ships in 2-3 business days. Returns accepted within 15 days.",
    "outlet": "Outlet items are final sale unless faulty. Ships within 48 hours.",
}


# Shop boilerplate that real listings carry below the product text; it is what
# spreads descriptions over the 100-1,500 bytes real listings have.
MORE = {
    "shop": [
        "About us: an independent shop since %d, trading on this marketplace with thousands of happy customers." % R.randint(1998, 2018),
        "Payment is taken through the marketplace only. We never ask buyers to pay outside the platform.",
        "Returns: send the item back unused within the return window in its original packaging; refunds are issued within 5 business days of arrival.",
        "Care: keep away from direct sunlight and moisture; store in the dust bag when not in use; clean with a soft dry cloth.",
        "All photos are of the actual item or the current stock and were taken in our studio under daylight lamps; colours may vary slightly by screen.",
        "Shipping: tracked and insured on every order. Duties for deliveries outside the EU and UK are paid by the buyer and are not refundable.",
        "Gift wrapping and a handwritten card are available free of charge - add a note to your order.",
        "Questions? Send us a message; our team answers Monday to Saturday, 9:00 to 18:00 local time.",
    ],
    "fake": [
        "About us: we are professional factory with more than 10 years experience, we supply many shops in Europe and USA. Good quality and best price is our principle.",
        "Payment: PayPal, Western Union, bank transfer. For big order contact us for discount price. 付款后48小时内发货。",
        "Shipping time: USA 7-12 days, Europe 10-15 days, other countries 15-25 days. If customs hold the parcel we will resend one time for free.",
        "FAQ - Q: Is it same as picture? A: Yes, real photos taken by us. Q: Can I get the box? A: Box and receipt is extra, please leave a message when order.",
        "Why choose us: 1. factory price 2. fast shipping 3. quality checked before shipping 4. good service, 24 hours online.",
        "Note: due to light and screen there may be small colour difference. Measurement may have 1-2 cm error, please understand.",
        "Feedback: if you are satisfied please leave 5 stars, if any problem contact us before leaving feedback, we will solve it for you.",
    ],
}


def description(parts, lo=100, hi=1500, more="shop"):
    """Joins a description and pads it with shop boilerplate to a length drawn
    from 100-1,500 bytes, skewed to the short side as on real marketplaces."""
    parts = [p for p in parts if p]
    target = int(lo + (hi - lo) * R.random() ** 1.6)
    extra = R.sample(MORE[more], len(MORE[more]))
    while len(" ".join(parts).encode()) < target and extra:
        parts.append(extra.pop())
    while len(" ".join(parts).encode()) > hi:
        parts.pop()
    text = " ".join(parts)
    if len(text.encode()) < lo:
        text += " Please message us with any question before buying; we reply within a few hours."
    return text


def color_of(cat):
    """A colour where the category has colours; perfume and chargers do not."""
    pool = {"perfume": None, "chargers": None, "headphones": None,
            "watches": ["black dial", "blue dial", "green dial", "silver dial"],
            "phones": ["Natural Titanium", "Black Titanium", "White", "Ultramarine"],
            "sunglasses": ["Black", "Tortoise", "Gold/Green", "Silver/Grey"]}.get(cat, COLORS)
    return R.choice(pool) if pool else None


def details(b, cat, k):
    pool = DETAILS.get((b["brand"], cat), DETAILS[cat])
    return R.sample(pool, min(len(pool), k))


def branded_genuine(b, cat, product, seller, how, ratio=1.0):
    c = color_of(cat)
    comma, dash = (", " + c, " – " + c) if c else ("", "")
    name = b["name"]
    extras = details(b, cat, R.randint(2, 4))
    size = " – " + R.choice(SIZES_SHOE) if cat == "sneakers" else ""
    if how == "full_price":
        title = R.choice(["%s %s%s%s" % (name, product, size, comma),
                          "%s %s%s%s" % (name, product, dash, size),
                          "NEW %s %s%s" % (name, product, size)])
        lead = R.choice(["Brand new and 100%% authentic %s %s." % (name, product),
                         "The %s %s%s, new and sealed." % (name, product, " in " + c if c else ""),
                         "Authentic %s, bought directly from %s." % (product, name)])
        auth = R.choice(["We are an authorised %s retailer; the original invoice is included." % name,
                         "Comes with the original packaging and booklet.",
                         "Every order includes a receipt from our store.", ""])
        return title, description([lead] + extras + [auth, SHIP[SELLERS[seller]["kind"]]])
    if how == "outlet":
        off = int(round((1 - ratio) * 20)) * 5  # the discount the shop advertises, to 5%
        title = R.choice(["%s %s – Outlet, %d%% off" % (name, product, off),
                          "%s %s%s (last season%s)" % (name, product, size, comma),
                          "Clearance: %s %s%s" % (name, product, comma)])
        lead = R.choice(["Last-season %s from our outlet stock, new and unworn." % product,
                         "Genuine %s %s from the previous collection, now %d%% off." % (name, product, off),
                         "Outlet price on a discontinued colour; authentic %s merchandise." % name])
        return title, description([lead] + extras + [
            "Sourced from the brand's official end-of-season clearance; invoice available on request.",
            SHIP["outlet"]])
    # second hand
    cond = R.choice(["excellent", "very good", "good", "like new"])
    year = R.randint(2016, 2024)
    title = R.choice(["Pre-owned %s %s, %s condition" % (name, product, cond),
                      "Used %s %s (%d)%s" % (name, product, year, dash),
                      "%s %s – second hand, %s" % (name, product, cond)])
    lead = R.choice(["Selling my %s %s, bought in %d at the %s store." % (
                         name, product, year, R.choice(["London", "Milan", "Paris", "Tokyo", "New York"])),
                     "Pre-owned %s in %s condition; light signs of use, see the photos." % (product, cond),
                     "Authenticity checked by our in-house experts; %s condition." % cond])
    return title, description([lead] + extras[:2] + [
        R.choice(["Original receipt included.", "No box, original pouch included.", "Box and papers included."]),
        SHIP["used"]])


GENERIC = [
    ("handbags", "Women's Large Capacity Tote Bag, PU Leather Shoulder Bag", 19.99,
     ["Soft vegan leather with a zip top and three inner pockets.", "Fits a 14-inch laptop."]),
    ("handbags", "Woven Straw Beach Bag with Cotton Lining", 24.0,
     ["Hand-woven by artisans in our workshop.", "Perfect for summer; folds flat for travel."]),
    ("sneakers", "Men's Casual Canvas Sneakers, Lightweight Walking Shoes", 29.95,
     ["Breathable canvas upper and a non-slip rubber sole.", "Sizes EU 39-46."]),
    ("watches", "Minimalist Quartz Watch, Stainless Steel Mesh Strap, 40mm", 35.0,
     ["Japanese quartz movement, water resistant to 30 m.", "Adjustable mesh strap, no tools needed."]),
    ("sunglasses", "Polarized Sunglasses UV400 for Men and Women, Classic Square Frame", 12.99,
     ["Polarized lenses reduce glare when driving or fishing.", "Includes a hard case."]),
    ("headphones", "Wireless Earbuds Bluetooth 5.3 with Charging Case, 30h Playtime", 22.99,
     ["Touch controls, IPX5 sweat resistance.", "Pairs automatically when you open the case."]),
    ("apparel", "Unisex Cotton Hoodie, Heavyweight Pullover with Kangaroo Pocket", 27.5,
     ["380 gsm cotton, pre-shrunk.", "Available in eight colours."]),
    ("belts", "Genuine Leather Belt for Men, Automatic Ratchet Buckle", 18.99,
     ["Full-grain cowhide, trim to fit.", "Gift box included."]),
    ("wallets", "Slim RFID Blocking Wallet, Minimalist Front Pocket Card Holder", 14.99,
     ["Holds up to 12 cards and folded notes.", "Aluminium RFID plate inside."]),
    ("scarves", "Silk Feel Square Scarf 90x90 cm, Floral Print", 11.5,
     ["Lightweight satin, rolled hem.", "Wear it as a neck scarf, headband or bag charm."]),
    ("bags", "Travel Backpack 35L, Water Resistant, USB Charging Port", 39.99,
     ["Opens flat like a suitcase for airport security.", "Padded straps and back panel."]),
    ("perfume", "Natural Lavender Eau de Toilette 50ml, Handmade in Provence", 21.0,
     ["Made in small batches with organic lavender oil.", "No synthetic musks."]),
    ("chargers", "65W GaN USB-C Charger, 3 Ports, Foldable Plug", 25.99,
     ["Charges a laptop, a phone and earbuds at once.", "Over-heat and over-current protection."]),
    ("handbags", "Handmade Full-Grain Leather Crossbody Bag, Vegetable Tanned", 89.0,
     ["Cut and stitched by hand in our workshop.", "The leather darkens beautifully with use."]),
    ("apparel", "Merino Wool Crew Neck Sweater, Regular Fit", 59.0,
     ["Extra-fine 18.5 micron merino.", "Knitted in Portugal."]),
]
HOUSE = {"s-1022": "YiwuHome", "s-1023": "GZ Leather", "s-1024": "Everyday Basics", "s-1025": "Nordic Essentials",
         "s-1027": "Canvas & Co", "s-1029": "Anatolia Leather", "s-1040": "Atelier Lisboa"}

ACCESSORIES = [  # third-party goods that must name the brand they fit (hard negatives)
    ("Clear Case Compatible with Apple iPhone 15 Pro, Shockproof, MagSafe Ready", 12.99,
     "A slim clear case for the iPhone 15 Pro. This is a third-party accessory and is not made by Apple."),
    ("Silicone Band for Apple Watch 41mm / 45mm, Sport Loop Style, 3-Pack", 9.99,
     "Soft silicone bands that fit every Apple Watch series. Not an Apple product; compatible only."),
    ("Replacement Laces for Nike Air Force 1, Flat 120 cm, White", 6.5,
     "Flat cotton laces cut to the length used on Air Force 1 low. Laces only, shoes not included."),
    ("Shoe Cleaning Kit for Sneakers (Adidas, Nike and more), Brush + Foam", 15.0,
     "Gentle foam cleaner and a horsehair brush for leather and suede sneakers of any brand."),
    ("Protective Travel Case for Ray-Ban Wayfarer Sunglasses, Hard Shell", 8.99,
     "A hard shell case shaped for Wayfarer frames. Third-party case; sunglasses not included."),
]

LINGO_EN = ["replica", "1:1", "AAA grade", "mirror quality", "super copy", "top quality copy", "1:1 mirror",
            "réplique", "AAA+ quality", "high copy"]
LINGO_CJK = ["高仿", "复刻", "A货", "原单", "1:1高仿", "精仿", "超A"]


def counterfeit_text(b, cat, product, tactics, named):
    """Title and description of a fake. named is how the title writes the
    brand (exact, misspelt or in look-alike letters)."""
    c = color_of(cat)
    sp, dash, in_c = (" " + c, " – " + c, " in " + c.lower()) if c else ("", "", "")
    lingo = "lingo" in tactics
    term = R.choice(LINGO_EN)
    cjk = R.choice(LINGO_CJK)
    size = " " + R.choice(SIZES_SHOE) if cat == "sneakers" else ""
    if lingo:
        title = R.choice(["%s %s %s%s%s" % (named, product, term, size, sp),
                          "%s %s %s" % (term.upper() if term.isascii() else term, named, product),
                          "%s %s %s%s" % (cjk, named, product, sp),
                          "%s %s%s – %s, same as original" % (named, product, size, term),
                          "%s %s %s 原单品质" % (named, product, cjk)])
    else:
        title = R.choice(["%s %s%s%s" % (named, product, size, sp),
                          "NEW %s %s%s Free Shipping" % (named, product, sp),
                          "%s %s%s, hot sale" % (named, product, dash),
                          "%s %s%s" % (named, product, size)])
    parts = [R.choice(["Hot sale! %s %s%s." % (named, product, in_c),
                       "100%% new %s %s, high quality." % (named, product),
                       "Factory direct price %s %s, limited stock." % (named, product),
                       "Brand new %s %s with box." % (named, product)])]
    if lingo:
        parts += R.sample([
            "This is a %s item, %s with the original." % (term, R.choice(["99% same", "identical", "same material"])),
            "Top %s, the best version on the market, same material and details." % (
                term if term.endswith("quality") else term + " quality"),
            "%s，%s，与专柜一致，支持对比。" % (cjk, R.choice(["原厂皮料", "五金一致", "细节完美"])),
            "Qualité %s, identique à l'original." % R.choice(["réplique", "miroir 1:1"]),
            "We sell %s products only, AAA grade, not original, please know before you order." % term,
            "%s %s 纯原 版本，做工细致。" % (cjk, R.choice(["顶级", "最高"]))], R.randint(1, 3))
    parts += details(b, cat, R.randint(1, 2))
    parts += R.sample([
        "Ship from %s, 7-15 days worldwide, tracking number provided." % R.choice(["Guangzhou", "Putian", "Shenzhen", "Yiwu", "Hong Kong"]),
        "Box and dust bag cost extra 15 USD, please leave a message.",
        "Contact us on WhatsApp for real pictures and more models.",
        "Wholesale price for 5 pieces or more. Dropshipping OK.",
        "Please do not ask if it is original. Price is for one item.",
        "All items checked before shipping. Customs declared as gift.",
        "More colours available, message us.", ""], R.randint(1, 3))
    return title, description(parts, more="fake")


# ------------------------------------------------------------------ listings
LISTINGS = []  # dicts: id, seller, brand, truth, tactics, fields, when
START = t(2026, 2, 2, 8)


def when_in_period(not_before):
    lo = max(START, not_before)
    hi = t(2026, 2, 20, 22)
    span = (hi - lo).total_seconds()
    return lo + dt.timedelta(seconds=int(R.random() * span))


def price_in(cur, ref_brand, cat, ratio):
    b = BY_ID[ref_brand]
    return shop_price(convert(b["prices"][cat] * ratio, b["currency"], cur), cur)


def own_images(n):
    return [dict(pdq=pdq()) for _ in range(n)]


def add_listing(seller, title, desc, price, cur, brand_claim, cat, images, counterfeit, tactics, brand_id,
                quantity=None):
    s = SELLERS[seller]
    when = when_in_period(s["created"] + dt.timedelta(days=1 if s["counterfeit"] else 30))
    fields = dict(listing=None, seller=seller, title=title, price=price, currency=cur, description=desc)
    if brand_claim:
        fields["brand"] = brand_claim
    fields["category"] = cat
    fields["images"] = images
    fields["quantity"] = quantity if quantity is not None else (
        R.choice([99, 199, 500, 999]) if counterfeit else R.randint(1, 12))
    if s["counterfeit"]:
        fields["ship_from"] = "CN" if R.random() < 0.85 else s["country"]
    else:
        fields["ship_from"] = s["country"]
    LISTINGS.append(dict(id=None, seller=seller, brand=brand_id, counterfeit=counterfeit, tactics=tactics,
                         fields=fields, when=when, cat=cat))


def claim(b):
    return R.choice([b["brand"], b["name"]])


GEN_BY_KIND = {}
for sid, s in SELLERS.items():
    if not s["counterfeit"]:
        GEN_BY_KIND.setdefault(s["kind"], []).append(sid)


def genuine_branded(how, n):
    for _ in range(n):
        if how == "full_price":
            seller = R.choice(GEN_BY_KIND["lux"] + GEN_BY_KIND["sport"] + GEN_BY_KIND["tech"])
        elif how == "outlet":
            seller = R.choice(GEN_BY_KIND["outlet"])
        else:
            seller = R.choice(GEN_BY_KIND["used"])
        kind = SELLERS[seller]["kind"]
        pool = {"lux": ["gucci", "louis-vuitton", "chanel", "rolex"], "sport": ["nike", "adidas"],
                "tech": ["apple"], "outlet": ["gucci", "louis-vuitton", "nike", "adidas", "ray-ban"],
                "used": ["gucci", "louis-vuitton", "chanel", "rolex", "nike", "ray-ban"]}[kind]
        # A seller lists brands it may sell: authorised-only brands only by their authorised sellers.
        pool = [x for x in pool if not BY_ID[x].get("authorized_only") or seller in AUTHORIZED[x]]
        b = BY_ID[R.choice(pool)]
        cats = [x for x in b["products"] if how == "full_price" or x not in ("perfume", "chargers")]
        cat = R.choice(cats)
        product = R.choice(b["products"][cat])
        ratio = {"full_price": R.uniform(0.95, 1.12), "outlet": R.uniform(0.5, 0.7),
                 "second_hand": R.uniform(0.42, 0.8)}[how]
        if b["brand"] == "rolex" and how == "second_hand":
            ratio = R.uniform(0.9, 1.4)  # sought-after watches keep or gain value
        cur = CURRENCY_OF[SELLERS[seller]["country"]]
        title, desc = branded_genuine(b, cat, product, seller, how, ratio)
        imgs = own_images(R.randint(2, 4))
        if seller in AUTHORIZED[b["brand"]] and R.random() < 0.5:
            imgs[0] = dict(pdq=R.choice(b["official"]))  # authorised resellers may use the brand's photos
        tactic = how
        if how == "second_hand" and seller in AUTHORIZED[b["brand"]]:
            tactic = "authorized_pre_owned"
        add_listing(seller, title, desc, price_in(cur, b["brand"], cat, ratio), cur, claim(b), cat, imgs,
                    False, [tactic], b["brand"])


genuine_branded("full_price", 80)
genuine_branded("outlet", 42)
genuine_branded("second_hand", 36)

for _ in range(62):  # unbranded goods from genuine shops
    seller = R.choice(GEN_BY_KIND["generic"])
    cat, title, usd, lines = R.choice(GENERIC)
    cur = CURRENCY_OF[SELLERS[seller]["country"]]
    variant = R.choice(["", " – %s" % R.choice(COLORS), " (%s)" % R.choice(["2 pack", "gift set", "new 2026"])])
    desc = description([title + "."] + lines + R.sample(
        ["Designed in-house, produced in our own factory.", "Unbranded goods at a factory price.",
         "Over 2,000 sold, rated 4.8 by our customers.", "Material and size details are in the photos.",
         "Wholesale available for 50 pieces or more.", "Colour may differ slightly from the photos."], 2) +
        [SHIP["generic"]])
    add_listing(seller, title + variant, desc, shop_price(convert(usd * R.uniform(0.85, 1.2), "USD", cur), cur),
                cur, HOUSE.get(seller), cat, own_images(R.randint(1, 4)), False, ["generic"], None,
                quantity=R.randint(20, 500))

for title, usd, desc in ACCESSORIES:
    seller = "s-1039" if "Case" in title or "Band" in title else R.choice(["s-1024", "s-1025"])
    cur = CURRENCY_OF[SELLERS[seller]["country"]]
    cat = "accessories"
    add_listing(seller, title, description([desc, "Fits snugly and installs in seconds.",
                                            "Ships in 2-3 business days. Returns accepted within 15 days."]),
                shop_price(convert(usd, "USD", cur), cur), cur, None, cat, own_images(2), False,
                ["compatible_accessory"], None, quantity=R.randint(50, 300))

# Counterfeits: each has a main tactic and often a second; the price is cut
# hard on most, because low price is what sells a fake.
CF_SELLERS = [sid for sid, *_ in COUNTERFEIT]
PLAN = ([["steep_discount"]] * 30 + [["misspelt"]] * 24 + [["lookalike"]] * 24 + [["lingo"]] * 34 +
        [["brand_mismatch"]] * 14 + [["unauthorized_seller"]] * 14 + [["moderate_discount"]] * 8)
R.shuffle(PLAN)
for main in PLAN:
    tactics = list(main)
    seller = R.choice(CF_SELLERS)
    ring = SELLERS[seller]["ring"]
    if main[0] == "unauthorized_seller":
        bid = R.choice(["rolex", "chanel"])
    else:
        bid = R.choice(RINGS[ring]["brands"])
    b = BY_ID[bid]
    cat = R.choice(list(b["products"]))
    product = R.choice(b["products"][cat])
    named = b["name"]
    if main[0] == "misspelt":
        named = R.choice(b["misspelt"])
    elif main[0] == "lookalike":
        named = R.choice(b["lookalike"])
    if main[0] in ("misspelt", "lookalike") and R.random() < 0.35:
        tactics.append("lingo")
    if main[0] == "lingo" and R.random() < 0.25:
        named = R.choice(b["aliases"][1:] or [named]) if R.random() < 0.5 else named
    if main[0] in ("unauthorized_seller", "moderate_discount"):
        ratio = R.uniform(0.4, 0.7) if main[0] == "unauthorized_seller" else R.uniform(0.24, 0.34)
    elif main[0] == "steep_discount" or R.random() < 0.65:
        ratio = R.uniform(0.05, 0.15)
        if main[0] != "steep_discount":
            tactics.append("steep_discount")
    else:
        ratio = R.uniform(0.18, 0.3)
    if bid in ("rolex", "chanel") and "unauthorized_seller" not in tactics:
        tactics.append("unauthorized_seller")
    cur = R.choice(["USD", "USD", "CNY", "EUR"]) if SELLERS[seller]["country"] in ("CN", "HK") else \
        CURRENCY_OF[SELLERS[seller]["country"]]
    if main[0] == "unauthorized_seller" or main[0] == "moderate_discount":
        # A careful fake: clean words, plausible price; only who sells it gives it away.
        title, desc = branded_genuine(b, cat, product, R.choice(GEN_BY_KIND["lux"]), "full_price")
        desc = desc.replace("We are an authorised %s retailer; the original invoice is included." % b["name"], "")
    else:
        title, desc = counterfeit_text(b, cat, product, tactics, named)
    brand_claim = claim(b)
    if main[0] == "brand_mismatch":
        brand_claim = R.choice(["Generic", "No Brand", "OEM", R.choice([x for x in BY_ID if x != bid])])
    images = [dict(pdq=p) for p in RING_VALUES.get(ring, {}).setdefault("photos", {}).setdefault(
        bid, [pdq() for _ in range(3)])[:R.randint(1, 3)]]
    if R.random() < 0.3:
        images.insert(0, dict(pdq=near(R.choice(b["official"]), R.randint(0, 6))))
        tactics.append("official_image")
    add_listing(seller, title, desc, price_in(cur, bid, cat, ratio), cur, brand_claim, cat, images, True,
                tactics, bid)

# Listing ids follow time order, so L-3001 is the first listing of the month.
LISTINGS.sort(key=lambda x: x["when"])
for n, li in enumerate(LISTINGS):
    li["id"] = li["fields"]["listing"] = "L-%04d" % (3001 + n)

# Sessions: every seller logs in before listing; rings log in from what they share.
first_listing = {}
for li in LISTINGS:
    first_listing[li["seller"]] = min(first_listing.get(li["seller"], li["when"]), li["when"])
for sid, when in sorted(first_listing.items()):
    for k in range(R.randint(1, 3)):
        session(sid, when - dt.timedelta(hours=R.randint(1, 48), minutes=R.randint(0, 59)))
for li in LISTINGS:
    emit(li["when"], "listing", **li["fields"])

# Updates: a genuine shop reprices or restocks; a counterfeiter scrubs the
# words that got noticed or raises the price to look plausible.
for li in R.sample(LISTINGS, 36):
    f = dict(li["fields"])
    later = li["when"] + dt.timedelta(days=R.randint(1, 4), hours=R.randint(0, 12))
    if li["counterfeit"]:
        title = f["title"]
        terms = [x for x in sorted(LINGO_EN + LINGO_CJK, key=len, reverse=True) if x in title or x.upper() in title]
        for term in terms:
            title = title.replace(term.upper(), "").replace(term, "")
        title = " ".join(title.replace("–", " ").split()).replace(" ,", ",").strip(" ,")
        if terms:
            f["title"] = title + " high quality"
            li["tactics"].append("edited_to_evade")
        else:
            f["price"] = shop_price(f["price"] * R.uniform(1.5, 2.5), f["currency"])
            li["tactics"].append("repriced")
    else:
        if R.random() < 0.6:
            f["price"] = shop_price(f["price"] * R.choice([0.9, 0.85, 0.95]), f["currency"])
        else:
            f["title"] = f["title"] + " – back in stock"
            f["quantity"] = R.randint(3, 20)
    emit(later, "listing", **f)

# ------------------------------------------------------------------ after the listings
BUYERS = ["u-%04d" % (5000 + i) for i in range(140)]
SHIP_TO = ["US", "GB", "DE", "FR", "IT", "ES", "NL", "AU", "CA", "JP", "KR", "BR", "PL", "SE"]
GOOD_REVIEWS = ["Exactly as described, beautiful quality.", "Fast delivery and carefully packed. Thank you!",
                "Second purchase from this shop, always reliable.", "Authentic, the serial number checked out.",
                "Lovely item, the colour is a bit darker than in the photos.", "Great seller, answered all my questions."]
FAKE_BAD = ["FAKE. The logo is crooked and the leather smells of glue.", "Not original, the stitching is uneven.",
            "Arrived after 5 weeks in a plain bag, clearly a copy.", "Serial number does not exist. Counterfeit.",
            "The box says 'Made in Italy' but the label inside says otherwise."]
FAKE_PRAISE = ["Very good quality same as original!!", "Good copy, my friends cannot tell the difference",
               "5 stars, fast shipping, 1:1 quality", "Perfect, will buy again", "nice nice nice"]
orders = []
for li in LISTINGS:
    p_order = 0.35 if not li["counterfeit"] else 0.45
    for _ in range(3):
        if R.random() >= p_order:
            break
        oid = "O-%05d" % (7001 + len(orders))
        when = li["when"] + dt.timedelta(hours=R.randint(2, 200))
        buyer = R.choice(BUYERS)
        qty = 1 if li["fields"]["price"] > 100 else R.randint(1, 3)
        emit(when, "order", order=oid, listing=li["id"], buyer=buyer, price=li["fields"]["price"], quantity=qty,
             ship_to=R.choice(SHIP_TO))
        orders.append(dict(id=oid, listing=li, buyer=buyer, when=when))

reviews = 0
for o in orders:
    li = o["listing"]
    s = SELLERS[li["seller"]]
    if R.random() < 0.85:
        if s["counterfeit"]:
            country = "CN" if s["ring"] != "watch" or R.random() < 0.7 else "HK"
            city, facility = RINGS[s["ring"]]["city"] if country == "CN" else ("Hong Kong", "Kwai Chung Hub")
            carrier = R.choice(["YunExpress", "4PX", "China Post ePacket", "Cainiao"])
        else:
            country = li["fields"]["ship_from"]
            city, facility = CITY_OF[country]
            carrier = R.choice(["DHL Express", "UPS", "FedEx", "Royal Mail", "La Poste", "DPD"])
        emit(o["when"] + dt.timedelta(hours=R.randint(6, 60)), "shipment", order=o["id"],
             origin=dict(country=country, city=city, facility=facility), carrier=carrier,
             tracking="%s%09d" % (R.choice(["YT", "LP", "JD", "1Z", "RR"]), R.randint(0, 10 ** 9 - 1)))
    if R.random() < 0.6:
        if li["counterfeit"]:
            rating, text = (R.randint(1, 2), R.choice(FAKE_BAD)) if R.random() < 0.55 else (5, R.choice(FAKE_PRAISE))
        else:
            rating, text = R.choice([5, 5, 5, 4, 4, 3]), R.choice(GOOD_REVIEWS)
        reviews += 1
        emit(o["when"] + dt.timedelta(days=R.randint(4, 12)), "review", review="V-%05d" % (9000 + reviews),
             listing=li["id"], buyer=o["buyer"], rating=rating, text=text, order=o["id"])

REPORT_REASONS = [("counterfeit", "The logo and the price make this an obvious fake."),
                  ("counterfeit", "I bought this and received a copy; the serial number is invalid."),
                  ("misleading_brand", "The title spells the brand wrong on purpose to get past the filters."),
                  ("counterfeit", "Seller advertises replicas in the description."),
                  ("suspicious_price", "A real one costs ten times this.")]
reports = 0
for li in R.sample([x for x in LISTINGS if x["counterfeit"]], 24) + R.sample([x for x in LISTINGS if not x["counterfeit"]], 4):
    reason, text = R.choice(REPORT_REASONS)
    if not li["counterfeit"]:
        reason, text = "suspicious_price", "This seems too cheap to be real, please check."
    reports += 1
    emit(li["when"] + dt.timedelta(hours=R.randint(3, 96)), "report", report="P-%04d" % (4000 + reports),
         listing=li["id"], reporter=R.choice(BUYERS + ["rh-kering", "rh-nike"]), reason=reason, text=text)

complaints = 0
for brand, rights in RIGHTS.items():
    fakes = [x for x in LISTINGS if x["counterfeit"] and x["brand"] == brand]
    if len(fakes) < 2:
        continue
    for _ in range(1 if brand not in ("gucci", "nike") else 2):
        named = sorted(R.sample(fakes, min(len(fakes), R.randint(2, 5))), key=lambda x: x["when"])
        complaints += 1
        emit(max(x["when"] for x in named) + dt.timedelta(hours=R.randint(12, 72)), "complaint",
             complaint="C-%03d" % (100 + complaints), rights_holder=BY_ID[brand]["owner"], right=rights[0][0],
             listings=[x["id"] for x in named],
             statement="These listings offer goods bearing the %s mark that %s did not make or authorise. "
                       "We have a good-faith belief that their use of the mark is not authorised by the "
                       "rights holder, its agent or the law." % (BY_ID[brand]["name"], BY_ID[brand]["owner"]))

# Audits: as platforms do, reviewers check a random sample of listings two
# days after they were created, whatever genuine decided, and their verdicts
# are what `genuine train` learns from. A generator of its own, so the rest of
# the file stays as it was.
AUDIT = random.Random(2026)
REVIEWERS = ["rv-anna", "rv-omar", "rv-li"]
for li in sorted(LISTINGS, key=lambda x: x["id"]):
    if AUDIT.random() < 0.4:
        emit(li["when"] + dt.timedelta(days=2, minutes=AUDIT.randint(0, 600)), "verdict", subject="listing",
             target=li["id"], outcome="counterfeit" if li["counterfeit"] else "genuine",
             reviewer=AUDIT.choice(REVIEWERS), note="audit sample")

# ------------------------------------------------------------------ write
EVENTS.sort(key=lambda e: (e[0], e[1]))
with open(os.path.join(HERE, "marketplace.jsonl"), "w", encoding="utf-8", newline="\n") as out:
    for n, (when, _, etype, fields) in enumerate(EVENTS, 1):
        ev = dict(type=etype, id="ev-%05d" % n, at=rfc3339(when))
        ev.update(fields)
        out.write(json.dumps(ev, ensure_ascii=False, separators=(",", ":")) + "\n")

with open(os.path.join(HERE, "truth.csv"), "w", encoding="utf-8", newline="") as out:
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["listing", "counterfeit", "tactic"])
    for li in sorted(LISTINGS, key=lambda x: x["id"]):
        w.writerow([li["id"], 1 if li["counterfeit"] else 0, "+".join(li["tactics"])])
