#!/usr/bin/env bash
# End-to-end tests of the HTTP API (docs/api.md): a real `genuine serve` on a
# free loopback port, driven with curl. Run from the repository root after
# `make`; GENUINE=path/to/genuine tests another build.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/http.db
T=2026-11-22T10:00:00Z
PLATFORM=$("$GENUINE" key add --role platform --db "$DB")
REVIEWER=$("$GENUINE" key add --role reviewer --db "$DB")
HOLDER=$("$GENUINE" key add --role rights_holder --account RH1 --db "$DB")
SELLER=$("$GENUINE" key add --role seller --account S1 --db "$DB")
SHOPPER=$("$GENUINE" key add --role shopper --account B1 --db "$DB")
start_server "$DB"

# --- health and metrics
req GET /healthz
expect "healthz" 200 '{"status":"ok"}'
CT=$(curl -s -o /dev/null -w '%{content_type}' -H "Authorization: Bearer $PLATFORM" "$URL/metrics")
[ "$CT" = "text/plain; version=0.0.4" ] && ok || bad "metrics content type: $CT"

# --- posting: one object, an array, JSON Lines with a bad line
post "one object" "$PLATFORM" 200 \
    '{"type":"brand","id":"b1","at":"'$T'","brand":"rolex","name":"Rolex","reference_prices":[{"category":"watch","price":5000,"currency":"USD"}]}' \
    '{"results":[{"id":"b1","status":"accepted"}]}'
post "array" "$PLATFORM" 200 \
    '[{"type":"seller","id":"s1","at":"'$T'","seller":"S1","name":"Shop One"},
      {"type":"listing","id":"l1","at":"'$T'","listing":"L1","seller":"S1","title":"Rolex Submariner watch","price":45,"currency":"USD","brand":"rolex","category":"watch"}]' \
    '{"id":"s1","status":"accepted"}' '{"id":"l1","status":"accepted","decision":{"listing":"L1","action":'
printf '%s\n' \
    '{"type":"listing","id":"l2","at":"'$T'","listing":"L2","seller":"S1","title":"Plain watch","price":40,"currency":"USD"}' \
    '{"type":"listing","id":"l3" this is not JSON' \
    '{"type":"listing","id":"l4","at":"'$T'","listing":"L3","seller":"S2","title":"Another watch","price":30,"currency":"USD"}' > "$TMP/lines"
req POST /v1/events "$PLATFORM" "$TMP/lines"
expect "JSON Lines, bad line kept apart" 200 '{"id":"l2","status":"accepted"' \
    '{"id":"","status":"rejected","error":"not valid JSON' '{"id":"l4","status":"accepted"'
post "rejected event names the field" "$PLATFORM" 200 \
    '{"type":"listing","id":"l5","at":"'$T'","listing":"L5","seller":"S1","price":10,"currency":"USD"}' \
    '"status":"rejected","error":"' 'title'
post "duplicate id" "$PLATFORM" 200 \
    '{"type":"brand","id":"b1","at":"'$T'","brand":"rolex","name":"Rolex"}' \
    '{"results":[{"id":"b1","status":"duplicate"}]}'

# --- a listing, updated, read back with its history
post "listing update" "$PLATFORM" 200 \
    '{"type":"listing","id":"l1v2","at":"2026-11-22T11:00:00Z","listing":"L1","seller":"S1","title":"Rolex Submariner watch","price":4900,"currency":"USD","brand":"rolex","category":"watch"}' \
    '{"id":"l1v2","status":"accepted"'
req GET /v1/listings/L1 "$PLATFORM"
expect "listing with history" 200 '"listing":"L1"' '"seller":"S1"' '"versions":2' \
    '"history":[{"event":"l1"' '{"event":"l1v2"'
post "listing id with a space" "$PLATFORM" 200 \
    '{"type":"listing","id":"l6","at":"'$T'","listing":"L 6/x","seller":"S1","title":"Watch","price":40,"currency":"USD"}' \
    '"status":"accepted"'
req GET /v1/listings/L%206%2Fx "$PLATFORM"
expect "listing id is URL-decoded" 200 '"listing":"L 6/x"'

# --- errors
req GET /v1/listings/NOPE "$PLATFORM"
expect "unknown listing" 404 '{"error":"'
req GET /v1/nothing-here "$PLATFORM"
expect "unknown path" 404 '{"error":"'
req GET /v1/events "$PLATFORM"
expect "GET on events" 405 '{"error":"'
req DELETE /v1/listings/L1 "$PLATFORM"
expect "DELETE on a listing" 405 '{"error":"'
post "garbage body" "$PLATFORM" 400 'this is not json' '{"error":"the body is not JSON'
post "scalar body" "$PLATFORM" 400 '"just a string"' '{"error":"the body is a string'
post "broken array" "$PLATFORM" 400 '[{"a":1},' '{"error":"the body is not a valid JSON array'
post "empty body" "$PLATFORM" 400 '' '{"error":"the body is empty'

# --- keys and roles
post "no key" "" 401 '{"type":"brand","id":"x1","at":"'$T'","brand":"x","name":"X"}' '{"error":"'
post "unknown key" "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" 401 \
    '{"type":"brand","id":"x1","at":"'$T'","brand":"x","name":"X"}' '{"error":"'
req GET /v1/listings/L1
expect "no key on a read" 401 '{"error":"'
post "shopper may not post a brand" "$SHOPPER" 403 \
    '{"type":"brand","id":"x2","at":"'$T'","brand":"x","name":"X"}' '{"error":"forbidden: '
post "shopper reports as itself" "$SHOPPER" 200 \
    '{"type":"report","id":"r1","at":"'$T'","report":"R1","listing":"L1","reporter":"B1","reason":"fake"}' \
    '{"id":"r1","status":"accepted"}'
post "shopper may not report as another" "$SHOPPER" 403 \
    '{"type":"report","id":"r2","at":"'$T'","report":"R2","listing":"L1","reporter":"B9","reason":"fake"}' \
    '{"error":"forbidden: '
post "seller: own listing kept, another's forbidden in its result" "$SELLER" 200 \
    '[{"type":"listing","id":"l7","at":"'$T'","listing":"L7","seller":"S1","title":"Watch","price":40,"currency":"USD"},
      {"type":"listing","id":"l8","at":"'$T'","listing":"L8","seller":"S2","title":"Watch","price":40,"currency":"USD"}]' \
    '{"id":"l7","status":"accepted"' '{"id":"l8","status":"rejected","error":"forbidden: '
req GET /v1/listings/L8 "$PLATFORM"
expect "a forbidden event changes nothing" 404
req GET /v1/listings/L1 "$SELLER"
expect "seller reads its own listing" 200 '"listing":"L1"'
req GET /v1/listings/L3 "$SELLER"
expect "seller may not read another's listing (404, as if missing)" 404 \
    '{"error":"no listing '"'"'L3'"'"' that a seller key for '"'"'S1'"'"' may read"}'
req GET /v1/listings/L3 "$REVIEWER"
expect "reviewer reads listings" 200 '"listing":"L3"'
post "reviewer posts a verdict" "$REVIEWER" 200 \
    '{"type":"verdict","id":"v1","at":"'$T'","subject":"listing","target":"L1","outcome":"counterfeit","reviewer":"rev1"}' \
    '{"id":"v1","status":"accepted"}'
post "reviewer may not post a listing" "$REVIEWER" 403 \
    '{"type":"listing","id":"l9","at":"'$T'","listing":"L9","seller":"S1","title":"Watch","price":40,"currency":"USD"}' \
    '{"error":"forbidden: '
req GET /v1/listings/L1 "$HOLDER"
expect "rights holder may not read listings" 403 '{"error":"forbidden: '
post "rights holder posts a right" "$HOLDER" 200 \
    '{"type":"ip_right","id":"ip1","at":"'$T'","right":"TM1","brand":"rolex","kind":"trademark","number":"123","holder":"RH1","jurisdiction":"EU","classes":["14"],"valid_until":"2030-01-01T00:00:00Z"}' \
    '{"id":"ip1","status":"accepted"}'
req GET /metrics "$SELLER"
expect "seller may not read metrics" 403 '{"error":"forbidden: '

post "a listing held for review" "$PLATFORM" 200 \
    '{"type":"brand","id":"qb","at":"'$T'","brand":"qbrand","name":"Quartzio","reference_prices":[{"category":"watches","price":1000,"currency":"USD"}]}'
post "a listing held for review" "$PLATFORM" 200 \
    '{"type":"seller","id":"qs","at":"2020-01-01T00:00:00Z","seller":"QS","name":"Old shop","template":"custom"}'
post "a listing held for review" "$PLATFORM" 200 \
    '{"type":"listing","id":"ql","at":"'$T'","listing":"QL1","seller":"QS","title":"Quartzio watch","price":90,"currency":"USD","category":"watches"}' \
    '"action":"review"'
req GET /v1/queue "$REVIEWER"
expect "reviewer reads the queue" 200 '{"listings":[{"listing":"QL1"' 'PRICE_FAR_BELOW_REFERENCE'
req GET "/v1/queue?limit=0" "$REVIEWER"
expect "a bad queue limit" 400 'limit'
req GET /v1/queue "$SELLER"
expect "seller may not read the queue" 403 '{"error":"forbidden: '
post "sellers linked by a shared device" "$PLATFORM" 200 \
    '[{"type":"session","id":"ss1","at":"'$T'","account":"S1","device":"dev-42"},
      {"type":"session","id":"ss2","at":"'$T'","account":"S2","device":"dev-42"}]'
req GET /v1/sellers/S1 "$REVIEWER"
expect "reviewer reads a seller with its links" 200 '"seller":"S1"' '"cluster":{"size":2' '"linked_sellers":[{"seller":"S2","shares":"a device"'
req GET /v1/sellers/S1 "$SELLER"
expect "a seller reads itself without the other accounts" 200 '"seller":"S1"' '"cluster":{"size":2'
if grep -q '"S2"' <<< "$BODY"; then bad "a seller was shown the other account of its cluster: $BODY"; else ok; fi
req GET /v1/sellers/S2 "$SELLER"
expect "a seller may not read another seller" 403 '{"error":"forbidden: '
req GET /v1/sellers/nobody "$PLATFORM"
expect "an unknown seller" 404 "no seller"
req GET /v1/stats "$PLATFORM"
expect "stats" 200 '"listings_by_status":{' '"held":' '"events_by_type":{' '"listing":'

req GET /metrics "$PLATFORM"
expect "metrics content" 200 '# TYPE genuine_http_responses_total counter' \
    'genuine_http_responses_total{code="200"}' 'genuine_http_responses_total{code="403"}' \
    'genuine_state_records{kind="listing"}'

# --- stopping: SIGTERM stops it cleanly and keeps what was acknowledged
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" = 0 ] && ok || bad "SIGTERM: exit status $status"
"$GENUINE" decisions --db "$DB" > "$TMP/decisions"
grep -q '"listing":"L7"' "$TMP/decisions" && ok || bad "acknowledged listing L7 missing after restart"

# --- body limit, announced and streamed
start_server "$DB" --max-body 1000 --no-auth
head -c 2000 /dev/zero | tr '\0' ' ' > "$TMP/big"
req POST /v1/events "" "$TMP/big"
expect "body over --max-body" 413 '{"error":"the body is over the limit of 1000 bytes"}'
CODE=$(curl -s -o "$TMP/body" -w '%{http_code}' -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: application/json' --data-binary "@$TMP/big" "$URL/v1/events" || true)
BODY=$(cat "$TMP/body")
expect "chunked body over --max-body" 413 '{"error":"the body is over the limit'
post "no-auth on loopback serves without keys" "" 200 \
    '{"type":"brand","id":"b2","at":"'$T'","brand":"omega","name":"Omega"}' '"status":"accepted"'
stop_server

# --- --no-auth only on loopback
status=0
"$GENUINE" serve --db "$DB" --listen 0.0.0.0:0 --no-auth 2> "$TMP/refused" || status=$?
[ "$status" = 2 ] && grep -q 'no-auth' "$TMP/refused" && ok ||
    bad "--no-auth on 0.0.0.0: exit $status, $(cat "$TMP/refused")"
status=0
"$GENUINE" serve --db "$DB" --listen 127.0.0.1 2> "$TMP/refused" || status=$?
[ "$status" = 2 ] && ok || bad "--listen without a port: exit $status"
start_server "$DB" --no-auth --listen localhost:0
req GET /healthz
expect "--no-auth on localhost" 200 '{"status":"ok"}'
stop_server

finish
