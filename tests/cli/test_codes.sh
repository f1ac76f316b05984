#!/usr/bin/env bash
# Authenticity codes end to end (issue 18, docs/codes.md) on a real `genuine
# serve`: a brand's holder issues a batch (another holder may not), its codes
# print with QR images, verify from the command line and POST /v1/verify (no
# key, limited per address); one code shipped on three units in three
# countries turns cloned and its listing is held, the honest first shipper's
# is not; the attacks: framing a competitor by scanning its code from
# accounts and countries of one's own, scanning for another's order,
# enumeration; enrolment (CODE_MISSING), another product's code
# (CODE_OTHER_PRODUCT); a restart agrees. Run after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/codes.db
key() { "$GENUINE" key add --db "$DB" "$@" 2>/dev/null; }
PLATFORM=$(key --role platform)
ACME=$(key --role rights_holder --account rh-acme)
EVIL=$(key --role rights_holder --account rh-evil)
HONEST=$(key --role seller --account s-honest)
CLONER=$(key --role seller --account s-cloner)
BUYER=$(key --role shopper --account u-1)
ATTACKER=$(key --role shopper --account u-x)
printf 'codes.verify_per_minute = 5\n' > "$TMP/conf"
start_server "$DB" --no-clock --config "$TMP/conf"

post "the platform posts brands, sellers, listings" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"acme","name":"Acme","owner":"rh-acme"},
      {"type":"brand","id":"b2","at":"2026-11-01T00:00:00Z","brand":"zenith","name":"Zenith"},
      {"type":"seller","id":"s1","at":"2026-10-01T00:00:00Z","seller":"s-honest","name":"Honest","template":"custom"},
      {"type":"seller","id":"s2","at":"2026-10-01T00:00:00Z","seller":"s-cloner","name":"Cloner","template":"custom"},
      {"type":"seller","id":"s3","at":"2026-10-01T00:00:00Z","seller":"s-x","name":"Attacker shop","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L-HONEST","seller":"s-honest","title":"Acme anvil","price":100,"currency":"USD","brand":"acme","sku":"A-100"},
      {"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L-CLONER","seller":"s-cloner","title":"Acme anvil","price":95,"currency":"USD","brand":"acme","sku":"A-100"},
      {"type":"listing","id":"l3","at":"2026-11-02T00:00:00Z","listing":"L-X","seller":"s-x","title":"Acme anvil","price":99,"currency":"USD","brand":"acme","sku":"A-100"},
      {"type":"listing","id":"l4","at":"2026-11-02T00:00:00Z","listing":"L-NOCODE","seller":"s-cloner","title":"Acme anvil","price":97,"currency":"USD","brand":"acme","sku":"A-100"}]'
json "every platform event accepted" 'all(r["status"] == "accepted" for r in j["results"])'

# ---- who issues codes
post "another holder may not issue Acme's codes" "$EVIL" 200 \
    '{"type":"code_batch","id":"cb-evil","at":"2026-11-02T00:00:00Z","batch":"B-EVIL","brand":"acme","sku":"A-100","count":10,"enrolled":true}' \
    '"status":"rejected"' "only the platform or the brand's owner"
post "a seller may not issue codes at all" "$HONEST" 403 \
    '{"type":"code_batch","id":"cb-s","at":"2026-11-02T00:00:00Z","batch":"B-S","brand":"acme","sku":"A-100","count":10}' \
    'forbidden'
post "Acme's holder issues a batch, enrolled" "$ACME" 200 \
    '{"type":"code_batch","id":"cb-1","at":"2026-11-02T00:00:00Z","batch":"B-1","brand":"acme","sku":"A-100","count":20,"enrolled":true}' \
    '"status":"accepted"'
post "and one of another product" "$ACME" 200 \
    '{"type":"code_batch","id":"cb-2","at":"2026-11-02T00:00:00Z","batch":"B-2","brand":"acme","sku":"A-200","count":5}' \
    '"status":"accepted"'

"$GENUINE" codes export --db "$DB" B-1 > "$TMP/b1.txt"
"$GENUINE" codes export --db "$DB" B-2 > "$TMP/b2.txt"
check "a batch prints its 20 codes, all different" [ "$(sort -u "$TMP/b1.txt" | wc -l)" = 20 ]
check "each code is four groups of five" \
    [ "$(grep -cE '^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5}){3}$' "$TMP/b1.txt")" = 20 ]
C1=$(sed -n 1p "$TMP/b1.txt"); C2=$(sed -n 2p "$TMP/b1.txt"); C3=$(sed -n 3p "$TMP/b1.txt")
C4=$(sed -n 4p "$TMP/b1.txt"); OTHER=$(sed -n 1p "$TMP/b2.txt")
OTHER2=$(sed -n 2p "$TMP/b2.txt"); OTHER3=$(sed -n 3p "$TMP/b2.txt")
"$GENUINE" codes export --db "$DB" B-2 --qr "$TMP/qr" > /dev/null
"$GENUINE" codes export --db "$DB" B-2 --qr "$TMP/qrp" --qr-format png > /dev/null
check "one SVG per code" [ "$(ls "$TMP/qr" | grep -c '\.svg$')" = 5 ]
check "an SVG is an SVG" grep -q '<svg xmlns' "$TMP/qr/$OTHER.svg"
check "a PNG is a PNG" [ "$(head -c 8 "$TMP/qrp/$OTHER.png" | od -An -tx1 | tr -d ' ')" = 89504e470d0a1a0a ]
check "the key file beside the store is the owner's only" [ "$(stat -c %a "$DB.codes-key")" = 600 ]
check "the store holds no code" bash -c "! strings '$DB' | grep -qF '$C1'"

# ---- verify
out=$("$GENUINE" codes verify --db "$DB" "$(tr 'A-Z' 'a-z' <<< "$C1" | tr -d -)")
check "verify reads a code typed in lower case without dashes" has "$out" '"status":"genuine","brand":"acme"'
out=$("$GENUINE" codes verify --db "$DB" 00000-00000-00000-00000)
check "a code never issued is unknown" has "$out" '"status":"unknown"'
typo=${C1%?}$( [ "${C1: -1}" = 0 ] && echo 1 || echo 0 )
out=$("$GENUINE" codes verify --db "$DB" "$typo")
check "a mistyped code says typo" has "$out" 'check the code for a typo'
out=$("$GENUINE" codes verify --db "$DB" 'not a code' 2>&1) && rc=0 || rc=$?
check "text that is no code is an error naming the field" [ "$rc" = 1 ]
check "... naming the field" has "$out" "field 'code'"

printf '{"code":"%s","country":"FR"}' "$C4" > "$TMP/v"
req POST /v1/verify "" "$TMP/v"
expect "POST /v1/verify needs no key" 200 '"status":"genuine"' '"brand_name":"Acme"' '"scans":1' '"country":"FR"'
printf '{"code":"hello"}' > "$TMP/v"
req POST /v1/verify "" "$TMP/v"
expect "a body whose code is no code is 400 naming the field" 400 "field 'code'"
printf '{"code":"%s","country":"France"}' "$C4" > "$TMP/v"
req POST /v1/verify "" "$TMP/v"
expect "a country that is not a code is 400" 400 "field 'country'"
printf '{"code":"00000-00000-00000-00000"}' > "$TMP/v"
req POST /v1/verify "" "$TMP/v"
expect "an unknown code is answered, not logged" 200 '"status":"unknown"'
req POST /v1/verify "" "$TMP/v"
req POST /v1/verify "" "$TMP/v"
expect "past 5 a minute from one address: 429" 429 "too many verifications"
retry=$(curl -s -D - -o /dev/null -X POST --data-binary "@$TMP/v" "$URL/v1/verify" | tr -d '\r' | sed -n 's/^Retry-After: //Ip')
check "with Retry-After ($retry)" [ -n "$retry" ]
req GET /v1/verify
expect "GET is not the verb" 405

# ---- scans: who may name which order
post "orders" "$PLATFORM" 200 \
    '[{"type":"order","id":"o1","at":"2026-11-03T00:00:00Z","order":"O-1","listing":"L-HONEST","buyer":"u-1","price":100},
      {"type":"order","id":"o2","at":"2026-11-04T00:00:00Z","order":"O-2","listing":"L-CLONER","buyer":"u-2","price":95},
      {"type":"order","id":"o3","at":"2026-11-04T00:00:00Z","order":"O-3","listing":"L-CLONER","buyer":"u-3","price":95},
      {"type":"order","id":"o4","at":"2026-11-04T00:00:00Z","order":"O-4","listing":"L-CLONER","buyer":"u-4","price":95},
      {"type":"order","id":"o5","at":"2026-11-03T00:00:00Z","order":"O-5","listing":"L-HONEST","buyer":"u-5","price":100},
      {"type":"order","id":"ox1","at":"2026-11-06T00:00:00Z","order":"O-X1","listing":"L-X","buyer":"u-x","price":99},
      {"type":"order","id":"ox2","at":"2026-11-06T00:00:00Z","order":"O-X2","listing":"L-X","buyer":"u-x","price":99},
      {"type":"order","id":"o6","at":"2026-11-06T00:00:00Z","order":"O-6","listing":"L-NOCODE","buyer":"u-6","price":97},
      {"type":"order","id":"o7","at":"2026-11-06T00:00:00Z","order":"O-7","listing":"L-CLONER","buyer":"u-7","price":95}]'
json "orders accepted" 'all(r["status"] == "accepted" for r in j["results"])'
post "the honest seller scans the unit of its own order" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h1\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"IT\",\"order\":\"O-1\",\"scanner\":\"seller\"}" \
    '"status":"accepted"'
post "a seller may not name another seller's order" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h2\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"IT\",\"order\":\"O-2\"}" \
    '"status":"rejected"' "no order 'O-2' of yours"
post "nor an order that does not exist (the same words)" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h3\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"IT\",\"order\":\"O-404\"}" \
    '"status":"rejected"' "no order 'O-404' of yours"
post "nor another seller's listing, without an order" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h3b\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"IT\",\"listing\":\"L-CLONER\"}" \
    '"status":"rejected"' "no listing 'L-CLONER' of yours"
post "nor scan as the warehouse" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h4\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"IT\",\"scanner\":\"warehouse\"}" \
    '"status":"rejected"' "scans as \\\"seller\\\""
post "a shopper may not name someone else's order" "$ATTACKER" 200 \
    "{\"type\":\"code_scan\",\"id\":\"x0\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"CN\",\"order\":\"O-1\"}" \
    '"status":"rejected"' "no order 'O-1' of yours"
post "nor a listing" "$ATTACKER" 403 \
    "{\"type\":\"code_scan\",\"id\":\"x1\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"CN\",\"listing\":\"L-HONEST\"}" \
    'forbidden'
post "nor scan for another account" "$ATTACKER" 200 \
    "{\"type\":\"code_scan\",\"id\":\"x2\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"CN\",\"account\":\"u-1\"}" \
    '"status":"rejected"' "own account"
post "a reviewer posts no scans" "$(key --role reviewer)" 403 \
    "{\"type\":\"code_scan\",\"id\":\"r1\",\"at\":\"2026-11-03T01:00:00Z\",\"code\":\"$C1\",\"country\":\"CN\"}" 'forbidden'

# ---- the clone: C1 shipped by the honest shop, then on three of the cloner's units in three countries
post "the warehouse scans C1 for three of the cloner's orders" "$PLATFORM" 200 \
    "[{\"type\":\"code_scan\",\"id\":\"w2\",\"at\":\"2026-11-05T10:00:00Z\",\"code\":\"$C1\",\"country\":\"US\",\"order\":\"O-2\",\"scanner\":\"warehouse\"},
      {\"type\":\"code_scan\",\"id\":\"w3\",\"at\":\"2026-11-05T11:00:00Z\",\"code\":\"$C1\",\"country\":\"JP\",\"order\":\"O-3\",\"scanner\":\"warehouse\"},
      {\"type\":\"code_scan\",\"id\":\"w4\",\"at\":\"2026-11-05T12:00:00Z\",\"code\":\"$C1\",\"country\":\"BR\",\"order\":\"O-4\",\"scanner\":\"warehouse\"}]"
json "scans accepted" 'all(r["status"] == "accepted" for r in j["results"])'
out=$("$GENUINE" codes verify --db "$DB" "$C1")
check "C1 is cloned, and says why" has "$out" '"status":"cloned"'
check "... too far apart too soon" has "$out" 'km apart within'
get "the cloner's listing is held or blocked for CODE_CLONED" "$PLATFORM" /v1/listings/L-CLONER 200 '"code":"CODE_CLONED"'
json "... not live" 'j["status"] in ("held", "blocked")'
get "the honest shop's listing (the code's first order) is not" "$PLATFORM" /v1/listings/L-HONEST 200
json "... and is live" '"CODE_CLONED" not in json.dumps(j) and j["status"] == "live"'
post "a later order of the cloner carrying it is flagged too" "$CLONER" 200 \
    "{\"type\":\"code_scan\",\"id\":\"c7\",\"at\":\"2026-11-06T01:00:00Z\",\"code\":\"$C1\",\"country\":\"US\",\"order\":\"O-7\"}" \
    '"status":"accepted"'
get "the seller view shows its listings' code facts" "$PLATFORM" /v1/sellers/s-cloner 200 '"codes":{"listings":1,"cloned_units":4'
get "... the seller's own view too" "$CLONER" /v1/sellers/s-cloner 200 '"cloned_units":4'
get "the case file shows them per listing" "$PLATFORM" /v1/cases/s-cloner 200 '"codes":{"cloned_units":4'
get "... its HTML report too" "$PLATFORM" "/v1/cases/s-cloner?format=html" 200 'authenticity codes: 4 unit(s) with a cloned code'

# ---- framing: the attacker bought the honest shop's unit (O-5, code C2), then scans C2
post "the honest shop ships C2 with O-5" "$HONEST" 200 \
    "{\"type\":\"code_scan\",\"id\":\"h5\",\"at\":\"2026-11-03T02:00:00Z\",\"code\":\"$C2\",\"country\":\"IT\",\"order\":\"O-5\"}" \
    '"status":"accepted"'
for c in CN US BR JP AU ZA; do
    post "the attacker scans C2 with no order from $c" "$ATTACKER" 200 \
        "{\"type\":\"code_scan\",\"id\":\"xa-$c\",\"at\":\"2026-11-06T01:00:00Z\",\"code\":\"$C2\",\"country\":\"$c\"}" \
        '"status":"accepted"'
done
out=$("$GENUINE" codes verify --db "$DB" "$C2")
check "scans naming no order make nothing cloned" has "$out" '"status":"genuine"'
post "the attacker names its own orders on its own shop in far countries" "$ATTACKER" 200 \
    "[{\"type\":\"code_scan\",\"id\":\"xo1\",\"at\":\"2026-11-06T02:00:00Z\",\"code\":\"$C2\",\"country\":\"JP\",\"order\":\"O-X1\"},
      {\"type\":\"code_scan\",\"id\":\"xo2\",\"at\":\"2026-11-06T03:00:00Z\",\"code\":\"$C2\",\"country\":\"BR\",\"order\":\"O-X2\"}]"
json "accepted (they are its orders)" 'all(r["status"] == "accepted" for r in j["results"])'
out=$("$GENUINE" codes verify --db "$DB" "$C2")
check "C2 is now cloned" has "$out" '"status":"cloned"'
get "the framed shop's listing stays live (its order was the code's first)" "$PLATFORM" /v1/listings/L-HONEST 200
json "... with no CODE_CLONED" '"CODE_CLONED" not in json.dumps(j) and j["status"] == "live"'
get "the attacker's own listing carries CODE_CLONED" "$PLATFORM" /v1/listings/L-X 200 '"code":"CODE_CLONED"'

# ---- enrolment and other products
post "L-NOCODE's order ships with no code" "$PLATFORM" 200 \
    '{"type":"shipment","id":"sh6","at":"2026-11-07T00:00:00Z","order":"O-6","origin":{"country":"US","city":"Reno"}}' \
    '"status":"accepted"'
get "an enrolled product shipped without a code: CODE_MISSING" "$PLATFORM" /v1/listings/L-NOCODE 200 '"code":"CODE_MISSING"'
post "the honest shop ships another product's code with O-1's sibling" "$PLATFORM" 200 \
    "[{\"type\":\"order\",\"id\":\"o8\",\"at\":\"2026-11-07T00:00:00Z\",\"order\":\"O-8\",\"listing\":\"L-NOCODE\",\"buyer\":\"u-8\",\"price\":97},
      {\"type\":\"code_scan\",\"id\":\"w8\",\"at\":\"2026-11-07T01:00:00Z\",\"code\":\"$OTHER\",\"country\":\"US\",\"order\":\"O-8\",\"scanner\":\"warehouse\"}]"
get "a genuine code of another product: CODE_OTHER_PRODUCT" "$PLATFORM" /v1/listings/L-NOCODE 200 '"code":"CODE_OTHER_PRODUCT"' 'A-200'

post "one order of two units, each with its own code (of another product)" "$PLATFORM" 200 \
    "[{\"type\":\"listing\",\"id\":\"l5\",\"at\":\"2026-11-07T00:00:00Z\",\"listing\":\"L-TWO\",\"seller\":\"s-honest\",\"title\":\"Acme anvil, two\",\"price\":200,\"currency\":\"USD\",\"brand\":\"acme\",\"sku\":\"A-100\"},
      {\"type\":\"order\",\"id\":\"o9\",\"at\":\"2026-11-07T00:00:00Z\",\"order\":\"O-9\",\"listing\":\"L-TWO\",\"buyer\":\"u-9\",\"price\":200,\"quantity\":2},
      {\"type\":\"code_scan\",\"id\":\"w9a\",\"at\":\"2026-11-07T01:00:00Z\",\"code\":\"$OTHER2\",\"country\":\"US\",\"order\":\"O-9\",\"scanner\":\"warehouse\"},
      {\"type\":\"code_scan\",\"id\":\"w9b\",\"at\":\"2026-11-07T01:00:00Z\",\"code\":\"$OTHER3\",\"country\":\"US\",\"order\":\"O-9\",\"scanner\":\"warehouse\"},
      {\"type\":\"code_scan\",\"id\":\"w9c\",\"at\":\"2026-11-07T02:00:00Z\",\"code\":\"$OTHER3\",\"country\":\"US\",\"order\":\"O-9\",\"scanner\":\"warehouse\"}]"
get "each unit counts once, both count" "$PLATFORM" /v1/cases/s-honest 200 '"codes":{"cloned_units":0,"other_product_units":2'

# ---- the brand portal's read
get "Acme's holder reads its batches and where codes were scanned" "$ACME" /v1/batches 200 '"batch":"B-1"' '"country":"JP"'
json "... two batches, clones counted" 'len(j["batches"]) == 2 and j["batches"][0]["cloned"] == 2'
get "another holder sees none of Acme's" "$EVIL" /v1/batches 200 '{"batches":[]}'
get "a seller may not read batches" "$HONEST" /v1/batches 403
get "a shopper neither" "$BUYER" /v1/batches 403

get "/metrics counts codes issued, scanned, cloned" "$PLATFORM" /metrics 200 \
    'genuine_codes{kind="issued"} 25' 'genuine_codes{kind="cloned"} 2' genuine_codes_table_bytes_per_code

# ---- a restart agrees
before=$("$GENUINE" decisions --db "$DB" | sort)
stop_server
"$GENUINE" codes export --db "$DB" B-1 > "$TMP/b1-again.txt"
check "the same codes after a restart" cmp -s "$TMP/b1.txt" "$TMP/b1-again.txt"
out=$("$GENUINE" codes verify --db "$DB" "$C1")
check "C1 still cloned after replay" has "$out" '"status":"cloned"'
start_server "$DB" --no-clock
after=$("$GENUINE" decisions --db "$DB" | sort)
check "decisions agree after a restart" [ "$before" = "$after" ]
stop_server
mv "$DB.codes-key" "$TMP/key.bak"
check "without its key the store refuses to open, and says why" \
    bash -c "'$GENUINE' codes verify --db '$DB' '$C1' 2>&1 | grep -q 'restore the file from its backup'"
mv "$TMP/key.bak" "$DB.codes-key"
check "GENUINE_CODES_KEY names the key file, and another one is refused" \
    bash -c "head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > '$TMP/other.key'; ! GENUINE_CODES_KEY='$TMP/other.key' '$GENUINE' codes verify --db '$DB' '$C1' 2>&1 | grep -q '\"status\"'"
cp "$DB.codes-key" "$TMP/moved.key"
out=$(GENUINE_CODES_KEY="$TMP/moved.key" "$GENUINE" codes verify --db "$DB" "$C1")
check "... and the right one read from elsewhere works" has "$out" '"status":"cloned"'

# ---- retiring a batch
"$GENUINE" codes retire --db "$DB" B-2 2>"$TMP/err"
check "codes retire says so" grep -q '^batch B-2: retired' "$TMP/err"
out=$("$GENUINE" codes verify --db "$DB" "$OTHER")
check "a retired batch's code answers retired" has "$out" '"status":"retired"'
check "a batch that does not exist is not retired" bash -c "! '$GENUINE' codes retire --db '$DB' B-404 2>/dev/null"

# ---- the command line issues
out=$("$GENUINE" codes issue --db "$DB" --brand zenith --sku Z-1 --count 3 --qr "$TMP/qz" 2>"$TMP/err")
check "codes issue prints its codes" [ "$(wc -l <<< "$out")" = 3 ]
check "... names its batch on stderr" grep -q '^batch B-' "$TMP/err"
check "... and writes their QR codes" [ "$(ls "$TMP/qz" | wc -l)" = 3 ]
check "an unknown brand is refused" bash -c "! '$GENUINE' codes issue --db '$DB' --brand nobody --sku Z --count 1 2>&1 >/dev/null | grep -qv \"field 'brand'\""
check "a count out of range is bad usage" bash -c "'$GENUINE' codes issue --db '$DB' --brand zenith --sku Z --count 0 2>/dev/null; [ \$? = 2 ]"
finish
