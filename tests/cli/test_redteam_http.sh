#!/usr/bin/env bash
# An attacker's probes of issue 13 that the other tests did not cover, each
# with a key of a role that must not get through: a rights holder naming
# another holder's right in its own ip_right (a takeover of a verified
# trademark); refused posts that named other accounts or told their records
# from missing ones; a seller's listing carrying the platform's signals;
# one shopper's flood of reports topping the triage queue. Each attack is refused and leaves the victim's records as they
# were, also after a restart (the log replayed). A real `genuine serve
# --no-clock` on a free loopback port. Run from the repository root after
# `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/redteam.db
key() { "$GENUINE" key add --db "$DB" "$@" 2>/dev/null; }
PLATFORM=$(key --role platform)
H1=$(key --role rights_holder --account H1)
H2=$(key --role rights_holder --account H2)
S2=$(key --role seller --account S2)
S1=$(key --role seller --account S1)
U1=$(key --role shopper --account U1)
U2=$(key --role shopper --account U2)
R1=$(key --role reviewer --account R1)
start_server "$DB" --no-clock

post "platform posts the catalog" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora","reference_prices":[{"category":"bags","price":1000,"currency":"USD"}]},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"seller","id":"s2","at":"2026-11-01T00:00:00Z","seller":"S2","name":"Shop two","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora replica 1:1 AAA tote","price":40,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L2","seller":"S1","title":"Lumora shoulder bag","price":950,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l4","at":"2026-11-02T00:00:00Z","listing":"L4","seller":"S2","title":"Lumora belt","price":950,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z","holder":"H1"},
      {"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"}]'
json "every catalog event accepted" '[r["status"] for r in j["results"]] == ["accepted"] * 8'

# --- a rights holder registers another holder's right id as its own
get "H1 reads its verified right" "$H1" /v1/rights/TM1 200 '"holder":"H1"' '"state":"verified"'
RIGHT_BEFORE=$BODY
post "H2 registers right TM1 with itself as holder" "$H2" 200 \
    '{"type":"ip_right","id":"take1","at":"2026-11-03T03:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"X","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z","holder":"H2"}' \
    '"status":"rejected"' "field 'right': right 'TM1' is another holder's"
get "TM1 is still H1's and verified" "$H1" /v1/rights/TM1 200
[ "$BODY" = "$RIGHT_BEFORE" ] && ok || bad "TM1 changed: $RIGHT_BEFORE -> $BODY"
get "H2 still may not read TM1 (404, as if missing)" "$H2" /v1/rights/TM1 404
post "H1 still files complaints under TM1" "$H1" 200 \
    '{"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L2","L4"]}' \
    '{"id":"c1","status":"accepted"}'
# --- a tenant's posts learn nothing of other accounts' records: another
# account's right, complaint notice or listing is refused in the same words
# as a missing one, naming no other account
# same_error NAME KEY ID-A EVENT-A ID-B EVENT-B: both rejected with one error
# once 'ID-A' and 'ID-B' (the ids that differ) are read alike.
same_error() {
    local name=$1 key=$2
    post "$name (another account's)" "$key" 200 "$4" '"status":"rejected"'
    local a=${BODY//"'$3'"/"'ID'"}
    post "$name (missing)" "$key" 200 "$6" '"status":"rejected"'
    local b=${BODY//"'$5'"/"'ID'"}
    [ "$a" = "$b" ] && ok || bad "$name: $a vs $b"
    has "$a" "S1" || has "$a" "H1" && bad "$name names another account: $a" || ok
}
same_error "H2's complaint under H1's right" "$H2" TM1 \
    '{"type":"complaint","id":"c2","at":"2026-11-04T02:00:00Z","complaint":"C2","rights_holder":"H2","right":"TM1","listings":["L2"]}' \
    NOPE '{"type":"complaint","id":"c2","at":"2026-11-04T02:00:00Z","complaint":"C2","rights_holder":"H2","right":"NOPE","listings":["L2"]}'
same_error "S2's counter-notice on S1's listing" "$S2" L2 \
    '{"type":"counter_notice","id":"cn1","at":"2026-11-05T00:00:00Z","complaint":"C1","listing":"L2","seller":"S2","statement":"mine"}' \
    L99 '{"type":"counter_notice","id":"cn1","at":"2026-11-05T00:00:00Z","complaint":"C1","listing":"L99","seller":"S2","statement":"mine"}'
post "H1 names blocked L1 in a second complaint" "$H1" 200 \
    '{"type":"complaint","id":"c3","at":"2026-11-04T03:00:00Z","complaint":"C3","rights_holder":"H1","right":"TM1","listings":["L1"]}' \
    '{"id":"c3","status":"accepted"}'
same_error "S2's counter-notice on a complaint naming none of its listings" "$S2" C3 \
    '{"type":"counter_notice","id":"cn2","at":"2026-11-05T00:00:00Z","complaint":"C3","listing":"L1","seller":"S2","statement":"mine"}' \
    C404 '{"type":"counter_notice","id":"cn2","at":"2026-11-05T00:00:00Z","complaint":"C404","listing":"L1","seller":"S2","statement":"mine"}'
same_error "S2's appeal on S1's blocked listing" "$S2" L1 \
    '{"type":"appeal","id":"ap1","at":"2026-11-05T00:00:00Z","appeal":"A1","seller":"S2","target":"L1","statement":"mine"}' \
    L404 '{"type":"appeal","id":"ap1","at":"2026-11-05T00:00:00Z","appeal":"A1","seller":"S2","target":"L404","statement":"mine"}'
post "S2 still answers its own notice" "$S2" 200 \
    '{"type":"counter_notice","id":"cn3","at":"2026-11-05T00:00:00Z","complaint":"C1","listing":"L4","seller":"S2","statement":"mine"}' \
    '{"id":"cn3","status":"accepted"}'

post "H1 may register its own right again" "$H1" 200 \
    '{"type":"ip_right","id":"again1","at":"2026-11-04T01:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1b","jurisdiction":"EU","classes":["18"],"valid_until":"2031-01-01T00:00:00Z","holder":"H1"}' \
    '{"id":"again1","status":"accepted"}'

# --- a listing's signals are the platform's observations: not from a seller
post "S1 sends its own listing with signals" "$S1" 403 \
    '{"type":"listing","id":"sig1","at":"2026-11-05T00:00:00Z","listing":"L7","seller":"S1","title":"Lumora bag","price":950,"currency":"USD","signals":{"chargebacks":0,"trust":1}}' \
    "forbidden: a seller key may not send 'signals' in 'listing'"
get "and L7 is not there" "$PLATFORM" /v1/listings/L7 404

# --- one shopper's flood of reports weighs as one reporter in the triage
# queue: 200 reports from U1 on L2 do not put it above L4, reported by two
python3 -c '
import json
print("\n".join(json.dumps({"type": "report", "id": "f%d" % i, "at": "2026-11-05T00:00:00Z",
    "report": "PF%d" % i, "listing": "L2", "reporter": "U1", "reason": "fake"}) for i in range(200)))' > "$TMP/flood"
req POST /v1/events "$U1" "$TMP/flood"
expect "U1 files 200 reports on L2" 200
json "all 200 taken" 'len(j["results"]) == 200 and all(r["status"] == "accepted" for r in j["results"])'
post "U1 reports L4" "$U1" 200 \
    '{"type":"report","id":"g1","at":"2026-11-05T00:00:00Z","report":"PG1","listing":"L4","reporter":"U1","reason":"fake"}' '"status":"accepted"'
post "U2 reports L4" "$U2" 200 \
    '{"type":"report","id":"g2","at":"2026-11-05T00:00:00Z","report":"PG2","listing":"L4","reporter":"U2","reason":"fake"}' '"status":"accepted"'
get "the reviewers' triage queue" "$R1" /v1/reports 200
json "L2 weighs one reporter, 200 reports open" \
    '{l["listing"]: (l["reporters_weight"], l["open_reports"]) for l in j["listings"]}["L2"] == (0.5, 200)'
json "L4 weighs two reporters" \
    '{l["listing"]: l["reporters_weight"] for l in j["listings"]}["L4"] == 1'

# --- all of it holds after a restart (the log replayed)
stop_server
start_server "$DB" --no-clock
get "after a restart TM1 is still H1's" "$H1" /v1/rights/TM1 200 '"holder":"H1"' '"number":"EUTM 1b"'
get "after a restart H2 still may not read TM1" "$H2" /v1/rights/TM1 404

finish
