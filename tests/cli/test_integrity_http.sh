#!/usr/bin/env bash
# A key holder trying to reach past its role over HTTP (issue 13): a seller
# posting a new version of another seller's listing (row 1), a shopper dating
# its report in 2099 or past a notice deadline (row 2), a seller taking the id
# a platform verdict will use (row 6). Each attack is refused or harmless, and
# stays so after a restart (the log replayed). A real `genuine serve
# --no-clock` on a free loopback port. Run from the repository root after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/integrity.db
key() { "$GENUINE" key add --db "$DB" "$@"; }
PLATFORM=$(key --role platform)
H1=$(key --role rights_holder --account H1)
S1=$(key --role seller --account S1)
S2=$(key --role seller --account S2)
U1=$(key --role shopper --account U1)
start_server "$DB" --no-clock

post "platform posts the catalog" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora","reference_prices":[{"category":"bags","price":1000,"currency":"USD"}]},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"seller","id":"s2","at":"2026-11-01T00:00:00Z","seller":"S2","name":"Shop two","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora replica 1:1 AAA tote","price":40,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L2","seller":"S1","title":"Lumora shoulder bag","price":950,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l3","at":"2026-11-02T00:00:00Z","listing":"L3","seller":"S1","title":"Lumora wallet","price":300,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z","holder":"H1"},
      {"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"}]'
json "every catalog event accepted" '[r["status"] for r in j["results"]] == ["accepted"] * 8'

# --- row 1: a new version of another seller's listing
get "L1 is blocked, S1's" "$S1" /v1/listings/L1 200 '"seller":"S1"' '"status":"blocked"'
L1_BEFORE=$BODY
post "S2 posts a version of S1's L1 as its own" "$S2" 200 \
    '{"type":"listing","id":"hijack1","at":"2026-11-03T00:00:00Z","listing":"L1","seller":"S2","title":"Lumora tote","price":900,"currency":"USD","category":"bags","brand":"B1"}' \
    '{"id":"hijack1","status":"rejected","error":"field '"'seller'"': listing '"'L1'"' is another seller'"'"'s; a new version keeps the listing'"'"'s seller"}'
post "nor can the platform hand it over" "$PLATFORM" 200 \
    '{"type":"listing","id":"hijack2","at":"2026-11-03T00:00:00Z","listing":"L1","seller":"S2","title":"Lumora tote","price":900,"currency":"USD","category":"bags","brand":"B1"}' \
    '"status":"rejected"' "field 'seller'"
get "L1 unchanged: still S1's, still blocked, the same decision" "$S1" /v1/listings/L1 200
[ "$BODY" = "$L1_BEFORE" ] && ok || bad "L1 changed: $L1_BEFORE -> $BODY"
get "S2 still may not read L1 (404, as if missing)" "$S2" /v1/listings/L1 404
post "S1's own new version is taken" "$S1" 200 \
    '{"type":"listing","id":"l1b","at":"2026-11-03T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora replica 1:1 AAA tote","price":40,"currency":"USD","category":"bags","brand":"B1"}' \
    '{"id":"l1b","status":"accepted"'

# --- row 6: a seller takes the id the platform's verdict will use
post "S2 posts an attribute with id v9" "$S2" 200 \
    '{"type":"seller_attribute","id":"v9","at":"2026-11-03T00:00:00Z","seller":"S2","kind":"email","value":"two@example.com"}' \
    '{"id":"v9","status":"accepted"}'
post "the platform's verdict v9 is not a duplicate" "$PLATFORM" 200 \
    '{"type":"verdict","id":"v9","at":"2026-11-03T01:00:00Z","subject":"listing","target":"L3","outcome":"counterfeit","reviewer":"P1"}' \
    '{"id":"v9","status":"accepted"}'
get "L3 removed by the verdict" "$PLATFORM" /v1/listings/L3 200 '"status":"removed"'
post "S2's own id again is its duplicate" "$S2" 200 \
    '{"type":"seller_attribute","id":"v9","at":"2026-11-03T00:00:00Z","seller":"S2","kind":"email","value":"two@example.com"}' \
    '{"id":"v9","status":"duplicate"}'

# --- row 2: a shopper's time moves no deadline
post "H1 complains about L2" "$H1" 200 \
    '{"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L2"]}' \
    '{"id":"c1","status":"accepted"}'
post "a report dated 2099 is rejected, naming at" "$U1" 200 \
    '{"type":"report","id":"p1","at":"2099-01-01T00:00:00Z","report":"P1","listing":"L2","reporter":"U1","reason":"fake"}' \
    '"status":"rejected","error":"field '"'at'"': 2099-01-01T00:00:00Z is more than 300 s ahead of the server'"'"'s clock'
NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
post "a report dated now (past the deadline) is taken" "$U1" 200 \
    '{"type":"report","id":"p2","at":"'"$NOW"'","report":"P2","listing":"L2","reporter":"U1","reason":"fake"}' \
    '{"id":"p2","status":"accepted"}'
get "no notice window closed" "$PLATFORM" /v1/complaints/C1 200 '"state":"open"'
json "L2 still noticed" '[(l["state"], l["listing_status"]) for l in j["listings"]] == [("noticed", "noticed")]'
post "S1's in-time counter-notice is accepted" "$S1" 200 \
    '{"type":"counter_notice","id":"cn1","at":"2026-11-06T00:00:00Z","complaint":"C1","listing":"L2","seller":"S1","statement":"bought from Lumora"}' \
    '{"id":"cn1","status":"accepted"}'
get "L2 is held for review" "$S1" /v1/listings/L2 200 '"status":"held"'

# --- after a restart (the log replayed) the same holds
stop_server
start_server "$DB" --no-clock
get "L1 still S1's after a replay" "$S1" /v1/listings/L1 200 '"seller":"S1"' '"status":"blocked"'
get "C1 contested after a replay" "$PLATFORM" /v1/complaints/C1 200
json "L2 contested and held" '[(l["state"], l["listing_status"]) for l in j["listings"]] == [("contested", "held")]'
post "v9 is still the platform's and S2's apart" "$PLATFORM" 200 \
    '{"type":"verdict","id":"v9","at":"2026-11-03T01:00:00Z","subject":"listing","target":"L3","outcome":"counterfeit","reviewer":"P1"}' \
    '{"id":"v9","status":"duplicate"}'

finish
