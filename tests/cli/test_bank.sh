#!/usr/bin/env bash
# Photo banks shared between marketplaces (docs/banks.md), end to end on two
# stores: marketplace A exports the photos it took down, signed; B imports
# them (checked whole first: a changed, cut or foreign-signed file imports
# nothing and names the line), its listings then raise
# IMAGE_MATCHES_SHARED_BANK naming A; A's later export withdraws a photo it
# found genuine after all; B can withdraw a source itself; HMA's CSV goes
# both ways; and a hash that matches many unrelated listings is quarantined.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

A=$TMP/a.db B=$TMP/b.db
P1=$(printf 'a%.0s' {1..64})
P2=$(printf 'f0%.0s' {1..32})
P3=$(printf '3c%.0s' {1..32})

brand() { printf '{"type":"brand","id":"b-%s","at":"2026-11-01T00:00:00Z","brand":"%s","name":"%s"}\n' "$1" "$1" "$2"; }
seller() { printf '{"type":"seller","id":"s-%s","at":"2026-11-01T00:00:00Z","seller":"%s","name":"%s"}\n' "$1" "$1" "$1"; }
# listing ID SELLER BRAND TITLE PRICE PDQ...
listing() {
    local id=$1 seller=$2 brand=$3 title=$4 price=$5 images="" sep="" day=${DAY:-5}
    shift 5
    for p in "$@"; do images="$images$sep{\"pdq\":\"$p\"}"; sep=,; done
    printf '{"type":"listing","id":"e-%s","at":"2026-11-%02dT00:00:00Z","listing":"%s","seller":"%s","title":"%s","brand":"%s","price":%s,"currency":"USD","images":[%s]}\n' \
        "$id" "$day" "$id" "$seller" "$title" "$brand" "$price" "$images"
}
# verdict LISTING OUTCOME DAY (of November 2026)
verdict() { printf '{"type":"verdict","id":"v-%s-%s","at":"2026-11-%02dT00:00:00Z","subject":"listing","target":"%s","outcome":"%s","reviewer":"r1"}\n' "$1" "$2" "$3" "$1" "$2"; }
lacks() { ! grep -qF -- "$2" <<< "$1"; }
decision() { "$GENUINE" decisions --db "$1" | grep "\"listing\":\"$2\""; }

# ---- marketplace A takes two listings down
{
    brand gucci Gucci; seller s1; seller s2
    DAY=3 listing L1 s1 gucci "Gucci bag" 1400 "$P1"
    verdict L1 counterfeit 4
    listing L2 s2 gucci "Gucci bag replica 1:1 AAA" 40 "$P1" "$P2"
} > "$TMP/a.jsonl"
"$GENUINE" ingest --db "$A" "$TMP/a.jsonl" > /dev/null
KEY=$("$GENUINE" bank key --db "$A")
check "bank key prints a 64-hex-digit public key" grep -qxE '[0-9a-f]{64}' <<< "$KEY"
check "the key stays the same" [ "$("$GENUINE" bank key --db "$A")" = "$KEY" ]
check "the key file is the owner's only" [ "$(stat -c %a "$A.bank-key")" = 600 ]
"$GENUINE" bank export --db "$A" --source marketA --out "$TMP/a.bank"
check "the export has a header and the two photos" [ "$(wc -l < "$TMP/a.bank")" = 3 ]
check "each hash with its brand and first-seen time" grep -q "\"pdq\":\"$P2\",\"brand\":\"Gucci\",\"first_seen\":\"2026-11-05T00:00:00Z\"" "$TMP/a.bank"
"$GENUINE" bank export --db "$A" --source marketA --since 2026-11-05T00:00:00Z --out "$TMP/since.bank"
check "--since keeps the later photo only" [ "$(grep -c pdq "$TMP/since.bank")" = 1 ]

# ---- refused whole: a changed line, a cut file, another key
refused() { # NAME FILE KEY EXPECTED-MESSAGE
    local out rc=0
    out=$("$GENUINE" bank import "$2" --db "$TMP/r.db" --source marketA --public-key "$3" 2>&1) || rc=$?
    check "$1: refused" [ "$rc" = 1 ]
    check "$1: says why ($4)" has "$out" "$4"
    check "$1: nothing imported" [ -z "$("$GENUINE" bank status --db "$TMP/r.db")" ]
}
sed '3s/"brand":"Gucci"/"brand":"Prada"/' "$TMP/a.bank" > "$TMP/changed.bank"
refused "a changed brand" "$TMP/changed.bank" "$KEY" "line 3: the signature does not match"
sed '2d' "$TMP/a.bank" > "$TMP/dropped.bank"
refused "a dropped line" "$TMP/dropped.bank" "$KEY" "line 2: the signature does not match"
head -2 "$TMP/a.bank" > "$TMP/cut.bank"
refused "a cut file" "$TMP/cut.bank" "$KEY" "the header says 2 hashes and the file has 1"
OTHER=$("$GENUINE" bank key --key-file "$TMP/other.key")
refused "another marketplace's key" "$TMP/a.bank" "$OTHER" "line 1: the signature does not match"
out=$("$GENUINE" bank import "$TMP/a.bank" --db "$TMP/r.db" --source marketA --public-key zz 2>&1) && rc=0 || rc=$?
check "a malformed public key is a usage error" [ "$rc" = 2 ]

# ---- B imports A's bank; its listings match it
{
    brand gucci Gucci; brand nike Nike; brand rolex Rolex
    for s in t1 t2 t3 t4 t5; do seller $s; done
} > "$TMP/b0.jsonl"
"$GENUINE" ingest --db "$B" "$TMP/b0.jsonl" > /dev/null
out=$("$GENUINE" bank import "$TMP/a.bank" --db "$B" --source marketA --public-key "$KEY")
check "the import counts two hashes" has "$out" '"hashes":2,"withdrawn":0,"events":1,"duplicates":0'
out=$("$GENUINE" bank import "$TMP/a.bank" --db "$B" --source marketA --public-key "$KEY")
check "the same file again changes nothing (a duplicate event)" has "$out" '"duplicates":1'
listing M1 t1 gucci "Leather bag" 900 "$P2" | "$GENUINE" ingest --db "$B" - > /dev/null
d=$(decision "$B" M1)
check "a listing with A's photo raises IMAGE_MATCHES_SHARED_BANK" has "$d" '"code":"IMAGE_MATCHES_SHARED_BANK","weight":1.2'
check "the reason names the source and the brand" has "$d" "matches a photo that marketA took down as counterfeit (brand Gucci), at distance 0"
listing M0 t1 gucci "Leather bag" 900 "$P3" | "$GENUINE" ingest --db "$B" - > /dev/null
check "a listing with another photo does not" lacks "$(decision "$B" M0)" SHARED_BANK

# ---- A finds L2 genuine after all: its next export withdraws P2 (P1 stays: L1 is down)
verdict L2 genuine 6 | "$GENUINE" ingest --db "$A" - > /dev/null
"$GENUINE" bank export --db "$A" --source marketA --out "$TMP/a2.bank"
check "the later export withdraws the photo" grep -q "\"pdq\":\"$P2\",\"withdrawn\":true" "$TMP/a2.bank"
out=$("$GENUINE" bank import "$TMP/a2.bank" --db "$B" --source marketA --public-key "$KEY")
check "the import takes the withdrawal" has "$out" '"hashes":1,"withdrawn":1'
listing M2 t2 gucci "Leather bag" 900 "$P2" | "$GENUINE" ingest --db "$B" - > /dev/null
check "a withdrawn hash no longer matches" lacks "$(decision "$B" M2)" SHARED_BANK
listing M3 t2 gucci "Leather bag" 900 "$P1" | "$GENUINE" ingest --db "$B" - > /dev/null
check "the others still do" has "$(decision "$B" M3)" IMAGE_MATCHES_SHARED_BANK
check "status: one in use, one withdrawn" has "$("$GENUINE" bank status --db "$B")" '{"source":"marketA","hashes":2,"in_use":1,"withdrawn":1,"quarantined":[]}'

# ---- B withdraws a source itself
"$GENUINE" bank withdraw --db "$B" --source marketA > /dev/null
listing M4 t3 gucci "Leather bag" 900 "$P1" | "$GENUINE" ingest --db "$B" - > /dev/null
check "bank withdraw: the source's hashes stop matching" lacks "$(decision "$B" M4)" SHARED_BANK
check "M3's decision, replayed, still names the source" has "$(decision "$B" M3)" IMAGE_MATCHES_SHARED_BANK
out=$("$GENUINE" bank withdraw --db "$B" --source marketA nothex 2>&1) && rc=0 || rc=$?
check "bank withdraw of a bad hash is a usage error" [ "$rc" = 2 ]

# ---- HMA's CSV, both ways
"$GENUINE" bank export --db "$A" --source marketA --format hma --out "$TMP/a.csv"
check "HMA CSV: ThreatExchange's header" [ "$(head -1 "$TMP/a.csv")" = "signal_type,signal_str,collab,category,tags" ]
check "HMA CSV: one row per hash, brand as a tag" grep -qx "pdq,$P1,marketA,POSITIVE_CLASS,Gucci" "$TMP/a.csv"
check "HMA CSV: a withdrawn hash is NEGATIVE_CLASS" grep -qx "pdq,$P2,marketA,NEGATIVE_CLASS,Gucci" "$TMP/a.csv"
printf 'signal_type,signal_str,collab,category,tags\npdq,%s,hma-collab,POSITIVE_CLASS,Nike shoes\nurl,https://example.com/,hma-collab,POSITIVE_CLASS,\n' "$P3" > "$TMP/hma.csv"
out=$("$GENUINE" bank import "$TMP/hma.csv" --db "$B" --source hma-collab --format hma)
check "HMA CSV import: the pdq row taken, other signal types skipped" has "$out" '"hashes":1,"withdrawn":0'
listing M5 t3 nike "Running shoes" 90 "$P3" | "$GENUINE" ingest --db "$B" - > /dev/null
check "an HMA hash matches, naming its source and first tag" has "$(decision "$B" M5)" "matches a photo that hma-collab took down as counterfeit (brand Nike)"
printf 'signal_type,signal_str\npdq,%s\npdq,xyz\n' "$P3" > "$TMP/bad.csv"
out=$("$GENUINE" bank import "$TMP/bad.csv" --db "$B" --source x --format hma 2>&1) && rc=0 || rc=$?
check "a bad HMA row: refused" [ "$rc" = 1 ]
check "a bad HMA row: the line named" has "$out" "line 3: signal_str"
out=$("$GENUINE" bank import "$TMP/a.bank" --db "$B" --source x 2>&1) && rc=0 || rc=$?
check "a genuine file without --public-key is a usage error" [ "$rc" = 2 ]

# ---- flood quarantine: 3 sellers across 2 brands (a config for the test)
printf 'images.shared_flood_sellers = 3\nimages.shared_flood_brands = 2\n' > "$TMP/flood.conf"
F=$TMP/f.db
"$GENUINE" ingest --db "$F" --config "$TMP/flood.conf" "$TMP/b0.jsonl" > /dev/null
"$GENUINE" bank import "$TMP/a.bank" --db "$F" --config "$TMP/flood.conf" --source marketA --public-key "$KEY" > /dev/null
{
    listing N1 t1 gucci "Bag" 900 "$P1"
    listing N2 t2 gucci "Bag" 900 "$P1"
    listing N3 t2 gucci "Another bag" 900 "$P1"
    listing N4 t3 nike "Shoes" 90 "$P1"
    listing N5 t4 rolex "Watch" 900 "$P1"
} | "$GENUINE" ingest --db "$F" --config "$TMP/flood.conf" - > /dev/null 2>&1
fd() { "$GENUINE" decisions --db "$F" --config "$TMP/flood.conf" | grep "\"listing\":\"$1\""; }
check "below the flood line the hash counts" has "$(fd N3)" IMAGE_MATCHES_SHARED_BANK
check "the listing that crosses it is told the hash is quarantined" has "$(fd N4)" "quarantined: it matched listings of 3 sellers across 2 brands"
check "after it the hash no longer counts" lacks "$(fd N5)" SHARED_BANK
check "status reports the quarantine" has "$("$GENUINE" bank status --db "$F" --config "$TMP/flood.conf")" "\"quarantined\":[{\"pdq\":\"$P1\",\"sellers\":3,\"brands\":2"

check "bank --help is usage on stdout" has "$("$GENUINE" bank --help)" "bank import FILE --source NAME"

finish
