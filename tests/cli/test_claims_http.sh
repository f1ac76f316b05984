#!/usr/bin/env bash
# Review work under leases over HTTP (docs/api.md, "Claims"): two reviewers
# never get the same item, a reload gives a reviewer its own item again, a
# skipped item goes to others, an abandoned claim lapses, appeals never go to
# the reviewer who decided the case, claims outlive a restart of the server
# (they are kept in the store); and the console's reads (GET
# /v1/review/{id}, GET /v1/listings?seller=) with every role's limits and
# hostile parameters. A real `genuine serve` on a simulated marketplace.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/claims.db
"$GENUINE" simulate --listings 400 --seed 11 --out "$TMP/market.jsonl" --truth "$TMP/t.csv" \
    --sellers-truth "$TMP/s.csv" --quiet
cat tests/web/catalog.jsonl >> "$TMP/market.jsonl"
"$GENUINE" ingest --db "$DB" "$TMP/market.jsonl" > /dev/null
key() { "$GENUINE" key add --db "$DB" "$@" 2>/dev/null; }
P=$(key --role platform)
R1=$(key --role reviewer --account R1)
R2=$(key --role reviewer --account R2)
DESK=$(key --role reviewer)
H=$(key --role rights_holder --account H-T)
ST=$(key --role seller --account S-T)
S1=$(key --role seller --account S1)
U=$(key --role shopper --account U1)
start_server "$DB" --no-clock --train-every 0

item() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["item"])' <<< "$BODY"; }
claim() { req POST "/v1/claims$2" "$1"; }

# --- two reviewers, two items; a reload gives the same one back
claim "$R1" ""
expect "R1 claims the next held listing" 200 '"queue":"listings"' '"reviewer":"R1"' '"expires_at":' '"review":{'
X=$(item)
json "the item is the queue's first" 'j["item"] == j["listing"]["listing"] and j["waiting"] >= 20'
req GET /v1/queue "$R1"
json "the top of GET /v1/queue" 'j["listings"][0]["listing"] == "'"$X"'"'
claim "$R2" ""
Y=$(item)
check "R2 gets another item" test "$Y" != "$X" -a "$Y" != None
claim "$R1" ""
check "R1 claiming again (a reload) gets its own item back" test "$(item)" = "$X"
claim "$DESK" ""
expect "a desk key names its reviewer" 400 'reviewer: a key without an account'
claim "$DESK" "?reviewer=R3"
Z=$(item)
check "a third reviewer gets a third item" test "$Z" != "$X" -a "$Z" != "$Y"
claim "$R1" "?reviewer=R2"
expect "a named reviewer key may not claim as another" 403 "forbidden: a reviewer key for 'R1' claims as 'R1', not 'R2'"

# --- who may claim at all, and hostile parameters
for k in "$H" "$ST" "$U"; do
    claim "$k" ""
    expect "only reviewers and the platform claim" 403 'forbidden:'
done
req POST /v1/claims ""
expect "a claim needs a key" 401
req GET /v1/claims "$R1"
expect "GET is not a claim" 405
claim "$R1" "?queue=orders"
expect "an unknown queue" 400 "queue: 'orders' is not one of listings, appeals"
claim "$DESK" "?reviewer=%01evil"
expect "a reviewer name with a control character" 400 'reviewer: expected a name'
claim "$DESK" "?reviewer=$(printf 'r%.0s' $(seq 300))"
expect "a reviewer name too long" 400 'reviewer: expected a name'
req POST "/v1/claims/release?item=$Y" "$R1"
expect "R1 may not release R2's claim" 404 "R1 holds no claim on '$Y'"
req POST "/v1/claims/release" "$R1"
expect "a release names its item" 400 'item:'
req POST "/v1/claims/release?item=$X&skip=maybe" "$R1"
expect "skip is 0 or 1" 400 'skip: expected 0 or 1'

# --- skip: the item goes to others, not back to its skipper
req POST "/v1/claims/release?item=$X&skip=1" "$R1"
expect "R1 skips its item" 200 '"released":"'"$X"'"' '"skipped":true'
claim "$R1" ""
W=$(item)
check "R1 is not offered the item it skipped" test "$W" != "$X" -a "$W" != "$Y" -a "$W" != "$Z"
claim "$P" "?reviewer=R4"
check "the skipped item goes to the next reviewer" test "$(item)" = "$X"

# --- many reviewers at once: never the same item twice
crowd=()
for i in $(seq 12); do
    curl -s -m 20 -X POST -H "Authorization: Bearer $DESK" "$URL/v1/claims?reviewer=crowd$i" > "$TMP/crowd$i" &
    crowd+=($!)
done
wait "${crowd[@]}"
python3 - "$TMP" "$X" "$Y" "$Z" "$W" <<'PY' && ok || bad "twelve reviewers at once got twelve distinct items"
import json, sys
tmp, *held = sys.argv[1:]
items = [json.load(open(f"{tmp}/crowd{i}"))["item"] for i in range(1, 13)]
assert None not in items and len(set(items)) == 12 and not set(items) & set(held), items
PY

# --- a verdict takes the item out of the queue; the next claim moves on
printf '{"type":"verdict","id":"cv1","at":"2026-12-01T00:00:00Z","subject":"listing","target":"%s","outcome":"counterfeit","reviewer":"R2"}' "$Y" > "$TMP/v"
req POST /v1/events "$R2" "$TMP/v"
expect "R2 decides its item" 200 '"status":"accepted"'
req GET "/v1/listings/$Y" "$R2"
json "the listing is no longer held" 'j["status"] in ("blocked", "removed")'
claim "$R2" ""
check "R2's next item is another" test "$(item)" != "$Y"

# --- appeals: never offered to the reviewer who decided the case
printf '{"type":"verdict","id":"cv2","at":"2026-12-01T00:00:00Z","subject":"listing","target":"L-T1","outcome":"counterfeit","reviewer":"R1"}' > "$TMP/v"
req POST /v1/events "$R1" "$TMP/v"
expect "R1 finds L-T1 counterfeit" 200 '"status":"accepted"'
printf '{"type":"appeal","id":"ca1","at":"2026-12-01T01:00:00Z","appeal":"A-T1","seller":"S-T","target":"L-T1","statement":"my invoice from Tessaro"}' > "$TMP/a"
req POST /v1/events "$ST" "$TMP/a"
expect "S-T appeals" 200 '"status":"accepted"'
claim "$R1" "?queue=appeals"
json "R1 is not offered the appeal against its own decision" 'j["item"] is None or j["item"] != "A-T1"'
claim "$R2" "?queue=appeals"
expect "R2 is offered it, with the statement and the listing" 200 '"item":"A-T1"' '"statement":"my invoice from Tessaro"' '"decided_by":"R1"' '"title":"Tessaro leather tote"'

# --- the console's reads and their limits
get "a reviewer reads a listing under review" "$R1" /v1/review/L-T1 200 '"listing":"L-T1"' '"title":"Tessaro leather tote"' '"price":950.00' '"appeal":"A-T1"'
get "a seller may not" "$ST" /v1/review/L-T1 403 'forbidden'
get "a shopper may not" "$U" /v1/review/L-T1 403 'forbidden'
get "an unknown listing" "$R1" /v1/review/NOPE 404 "no listing 'NOPE'"
get "a seller lists its own listings" "$ST" /v1/listings 200 '"seller":"S-T"' '"listing":"L-T3"' '"listing":"L-T1"'
get "... and may name itself" "$ST" '/v1/listings?seller=S-T' 200 '"seller":"S-T"'
get "... but no other seller" "$S1" '/v1/listings?seller=S-T' 403 'forbidden'
req GET /v1/listings "$S1"
json "S1's list holds none of S-T's listings" 'j["seller"] == "S1" and not any(l["listing"].startswith("L-T") for l in j["listings"])'
get "a reviewer names the seller" "$R1" /v1/listings 400 'seller: GET /v1/listings needs ?seller=ID'
get "a reviewer reads any seller's" "$R1" '/v1/listings?seller=S-T&limit=2' 200 '"seller":"S-T"'
json "limit is kept" 'len(j["listings"]) == 2'
get "a rights holder may not" "$H" '/v1/listings?seller=S-T' 403 'forbidden'
get "a bad limit" "$R1" '/v1/listings?seller=S-T&limit=0' 400 'limit:'

# --- claims live in the store: a restart forgets none
claim "$R1" ""
HELD=$(item)
stop_server
start_server "$DB" --no-clock --train-every 0
claim "$R1" ""
check "after a restart R1 gets its own item back" test "$(item)" = "$HELD"
claim "$P" "?reviewer=R5"
python3 - "$TMP" "$X" "$Z" "$HELD" <<'PY' && ok || bad "after a restart no item leased before it is offered to another reviewer"
import json, sys
tmp, *held = sys.argv[1:]
got = json.load(open(f"{tmp}/body"))["item"]
crowd = [json.load(open(f"{tmp}/crowd{i}"))["item"] for i in range(1, 13)]
assert got is not None and got not in held and got not in crowd, got
PY
req POST "/v1/claims/release?item=$HELD" "$R1"
expect "R1 releases after the restart the claim it took before" 200 '"released":"'"$HELD"'"'
claim "$P" "?reviewer=R6"
check "the released item goes to the next reviewer" test "$(item)" = "$HELD"

# --- an abandoned claim lapses
stop_server
start_server "$DB" --no-clock --train-every 0 --claim-seconds 1
# two reviewers who hold nothing yet (the leases above are kept and run on)
claim "$P" "?reviewer=R7"
A=$(item)
claim "$P" "?reviewer=R8"
check "while R7's lease runs, R8 gets another" test "$(item)" != "$A"
sleep 1.3
req POST "/v1/claims/release?item=$(item)&reviewer=R8" "$P"
claim "$P" "?reviewer=R8"
check "once R7's lease lapsed, its item goes back to the queue" test "$(item)" = "$A"
finish
