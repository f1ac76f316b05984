#!/usr/bin/env bash
# The notice-and-takedown workflows end to end over HTTP, each step with the
# role that takes it, and the forbidden paths of every role (docs/api.md, "Who
# may do what"). A real `genuine serve --no-clock` on a free loopback port (the
# events are in the past), then one with the wall clock to see it close a
# notice window by itself. Run from the repository root after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/wf.db
key() { "$GENUINE" key add --db "$DB" "$@"; }
PLATFORM=$(key --role platform)
R1=$(key --role reviewer --account R1)
R2=$(key --role reviewer --account R2)
DESK=$(key --role reviewer)
H1=$(key --role rights_holder --account H1)
H2=$(key --role rights_holder --account H2)
S1=$(key --role seller --account S1)
S2=$(key --role seller --account S2)
S3=$(key --role seller --account S3)
U1=$(key --role shopper --account U1)
U2=$(key --role shopper --account U2)
start_server "$DB" --no-clock

# --- the platform: a brand, its sellers, their listings
post "platform posts the catalog" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora","reference_prices":[{"category":"bags","price":1000,"currency":"USD"}]},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"seller","id":"s2","at":"2026-11-01T00:00:00Z","seller":"S2","name":"Shop two","template":"custom"},
      {"type":"seller","id":"s3","at":"2026-11-01T00:00:00Z","seller":"S3","name":"Shop three","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora leather tote","price":900,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L2","seller":"S1","title":"Lumora shoulder bag","price":950,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l3","at":"2026-11-02T00:00:00Z","listing":"L3","seller":"S2","title":"Lumora travel bag","price":980,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"listing","id":"l4","at":"2026-11-02T00:00:00Z","listing":"L4","seller":"S3","title":"Canvas tote","price":30,"currency":"USD","category":"bags"}]'
json "every catalog event accepted" '[r["status"] for r in j["results"]] == ["accepted"] * 8'

# --- the IP registry: the holder registers, the platform verifies
RIGHT='"right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z"'
post "H2 may not register a right for H1" "$H2" 403 \
    '{"type":"ip_right","id":"r0","at":"2026-11-03T00:00:00Z",'"$RIGHT"',"holder":"H1"}' \
    '{"error":"forbidden: a rights_holder key speaks for '"'H2'"' and may post '"'ip_right'"' only with holder '"'H2'"'"}'
post "H1 registers its right" "$H1" 200 \
    '{"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z",'"$RIGHT"',"holder":"H1"}' \
    '{"id":"r1","status":"accepted"}'
post "an unverified right cannot back a complaint" "$H1" 200 \
    '{"type":"complaint","id":"c0","at":"2026-11-03T01:00:00Z","complaint":"C0","rights_holder":"H1","right":"TM1","listings":["L1"]}' \
    '"status":"rejected"' 'not verified'
post "a reviewer may not verify a right" "$R1" 403 \
    '{"type":"verdict","id":"v0","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"R1"}' \
    "forbidden: a reviewer key may post 'verdict' only with subject listing, seller, complaint, report or appeal, not 'right'"
post "the platform verifies the right" "$PLATFORM" 200 \
    '{"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"}' \
    '{"id":"v1","status":"accepted"}'
get "H1 reads its right" "$H1" /v1/rights/TM1 200 '"right":"TM1"' '"holder":"H1"' '"state":"verified"'
get "a reviewer reads a right" "$R1" /v1/rights/TM1 200 '"right":"TM1"'
get "H2 may not read H1's right (404, as if missing)" "$H2" /v1/rights/TM1 404 \
    "no right 'TM1' that a rights_holder key for 'H2' may read"
get "a seller may not read rights" "$S1" /v1/rights/TM1 403 '{"error":"forbidden: a seller key may not read rights"}'
get "an unknown right" "$PLATFORM" /v1/rights/TM9 404 '{"error":"'
get "an unknown right, asked by a rights holder" "$H1" /v1/rights/TM9 404 '{"error":"'

# --- a complaint naming three listings of two sellers
post "a shopper may not post a complaint" "$U1" 403 \
    '{"type":"complaint","id":"cx","at":"2026-11-04T00:00:00Z","complaint":"CX","rights_holder":"U1","right":"TM1","listings":["L1"]}' \
    "forbidden: a shopper key may not post 'complaint' events"
post "H2 may not file a complaint as H1" "$H2" 403 \
    '{"type":"complaint","id":"cy","at":"2026-11-04T00:00:00Z","complaint":"CY","rights_holder":"H1","right":"TM1","listings":["L1"]}' \
    '{"error":"forbidden: '
post "H1 files a complaint naming 3 listings" "$H1" 200 \
    '{"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L1","L2","L3"]}' \
    '{"id":"c1","status":"accepted"}'
get "H1 reads its complaint" "$H1" /v1/complaints/C1 200 '"complaint":"C1"' '"rights_holder":"H1"' \
    '"state":"open"' '"deadline":"2026-11-07T00:00:00Z"'
json "the complaint has 3 noticed listings" '[l["state"] for l in j["listings"]] == ["noticed"] * 3'
get "H2 may not read H1's complaint (404, as if missing)" "$H2" /v1/complaints/C1 404 \
    "no complaint 'C1' that a rights_holder key for 'H2' may read"
get "a reviewer reads the complaint" "$R1" /v1/complaints/C1 200 '"complaint":"C1"'
get "the platform reads the complaint" "$PLATFORM" /v1/complaints/C1 200 '"complaint":"C1"'
get "S1 reads the complaint: its own notices" "$S1" /v1/complaints/C1 200 '"complaint":"C1"'
json "S1 sees L1 and L2, not S2's L3" 'sorted(l["listing"] for l in j["listings"]) == ["L1", "L2"]'
get "S2 reads the complaint: its own notice" "$S2" /v1/complaints/C1 200 '"complaint":"C1"'
json "S2 sees only L3" '[l["listing"] for l in j["listings"]] == ["L3"]'
get "S3, named nowhere, may not read the complaint (404, as if missing)" "$S3" /v1/complaints/C1 404 \
    "no complaint 'C1' that a seller key for 'S3' may read"
get "a shopper may not read complaints" "$U1" /v1/complaints/C1 403 \
    '{"error":"forbidden: a shopper key may not read complaints"}'
get "an unknown complaint" "$PLATFORM" /v1/complaints/C9 404 "no complaint 'C9'"
get "an unknown complaint, asked by a rights holder" "$H1" /v1/complaints/C9 404 "no complaint 'C9'"
get "an unknown complaint, asked by a seller" "$S1" /v1/complaints/C9 404 "no complaint 'C9'"
req GET /v1/complaints/C1
expect "no key" 401 '{"error":"a valid API key is required'
req GET /v1/complaints/C1 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
expect "an unknown key" 401 '{"error":"'

# --- lists of complaints
get "H1 lists its complaints" "$H1" /v1/complaints 200 '"complaint":"C1"'
get "H2 lists its own: none" "$H2" /v1/complaints 200 '{"complaints":[]}'
get "H2 may not list H1's complaints" "$H2" "/v1/complaints?rights_holder=H1" 403 '{"error":"forbidden: '
get "H1 names itself" "$H1" "/v1/complaints?rights_holder=H1" 200 '"complaint":"C1"'
get "a reviewer lists every complaint" "$R1" /v1/complaints 200 '"complaint":"C1"'
get "the platform lists one holder's" "$PLATFORM" "/v1/complaints?rights_holder=H2" 200 '{"complaints":[]}'
get "a seller may not list complaints" "$S1" /v1/complaints 403 '{"error":"forbidden: '

# --- notices: the seller's side
get "S1 reads its open notices" "$S1" /v1/notices 200 '"seller":"S1"'
json "S1 has two open notices" 'sorted(n["notice"]["listing"] for n in j["notices"]) == ["L1", "L2"]'
get "S1 may not read S2's notices" "$S1" "/v1/notices?seller=S2" 403 \
    "forbidden: a seller key speaks for 'S1' and reads only its own notices"
get "the platform must name the seller" "$PLATFORM" /v1/notices 400 '{"error":"seller: '
get "the platform reads S2's notices" "$PLATFORM" "/v1/notices?seller=S2" 200 '"seller":"S2"' '"listing":"L3"'
get "a rights holder may not read notices" "$H1" "/v1/notices?seller=S1" 403 '{"error":"forbidden: '

post "S1 may not counter-notice as S2" "$S1" 403 \
    '{"type":"counter_notice","id":"cn0","at":"2026-11-06T00:00:00Z","complaint":"C1","listing":"L3","seller":"S2","statement":"mine"}' \
    "forbidden: a seller key speaks for 'S1' and may post 'counter_notice' only with seller 'S1'"
post "S2 may not answer for S1's listing" "$S2" 200 \
    '{"type":"counter_notice","id":"cn9","at":"2026-11-06T00:00:00Z","complaint":"C1","listing":"L1","seller":"S2","statement":"mine"}' \
    '"status":"rejected"'
post "S1 contests the notice on L2" "$S1" 200 \
    '{"type":"counter_notice","id":"cn1","at":"2026-11-06T00:00:00Z","complaint":"C1","listing":"L2","seller":"S1","statement":"bought from Lumora, invoice attached"}' \
    '{"id":"cn1","status":"accepted"}'
get "L2 is held for review" "$S1" /v1/listings/L2 200 '"status":"held"'

# --- time: with --no-clock only events move it
get "the window is still open though the wall clock is past it" "$PLATFORM" /v1/complaints/C1 200 '"state":"open"'
post "a later event moves time past the deadline" "$PLATFORM" 200 \
    '{"type":"rate","id":"t1","at":"2026-11-08T00:00:00Z","currency":"EUR","usd":1.08}' '"status":"accepted"'
get "unanswered notices closed at the deadline" "$PLATFORM" /v1/complaints/C1 200 '"complaint":"C1"'
json "L1 and L3 confirmed and removed, L2 contested" \
    '{l["listing"]: (l["state"], l["listing_status"]) for l in j["listings"]} == {"L1": ("confirmed", "removed"), "L2": ("contested", "held"), "L3": ("confirmed", "removed")}'

# --- a reviewer decides the contested notice
post "a bound reviewer may not post as another" "$R1" 403 \
    '{"type":"verdict","id":"v2x","at":"2026-11-08T01:00:00Z","subject":"complaint","target":"C1","outcome":"upheld","reviewer":"R2"}' \
    "forbidden: a reviewer key speaks for 'R1' and may post 'verdict' only with reviewer 'R1'"
post "a seller may not post a verdict" "$S1" 403 \
    '{"type":"verdict","id":"v2y","at":"2026-11-08T01:00:00Z","subject":"complaint","target":"C1","outcome":"rejected","reviewer":"S1"}' \
    "forbidden: a seller key may not post 'verdict' events"
post "R1 upholds the complaint" "$R1" 200 \
    '{"type":"verdict","id":"v2","at":"2026-11-08T01:00:00Z","subject":"complaint","target":"C1","outcome":"upheld","reviewer":"R1"}' \
    '{"id":"v2","status":"accepted"}'
get "L2 removed" "$S1" /v1/listings/L2 200 '"status":"removed"'
get "the complaint is closed" "$H1" /v1/complaints/C1 200 '"state":"closed"'

# --- the seller appeals; another reviewer decides
post "S1 may not appeal as S2" "$S1" 403 \
    '{"type":"appeal","id":"a0","at":"2026-11-08T02:00:00Z","appeal":"A0","seller":"S2","target":"L3","statement":"x"}' \
    '{"error":"forbidden: '
post "S1 appeals the removal of L2" "$S1" 200 \
    '{"type":"appeal","id":"a1","at":"2026-11-08T02:00:00Z","appeal":"A1","seller":"S1","target":"L2","statement":"the invoice shows these are genuine"}' \
    '{"id":"a1","status":"accepted"}'
get "S1 reads its appeal" "$S1" /v1/appeals/A1 200 '"appeal":"A1"' '"seller":"S1"' '"state":"open"'
get "S2 may not read S1's appeal (404, as if missing)" "$S2" /v1/appeals/A1 404 \
    "no appeal 'A1' that a seller key for 'S2' may read"
get "a reviewer reads the appeal" "$R2" /v1/appeals/A1 200 '"appeal":"A1"'
get "a rights holder may not read appeals" "$H1" /v1/appeals/A1 403 '{"error":"forbidden: '
get "an unknown appeal" "$R2" /v1/appeals/A9 404 "no appeal 'A9'"
post "R1 decided the case: refused for the appeal, with the reason" "$R1" 200 \
    '{"type":"verdict","id":"v3x","at":"2026-11-08T03:00:00Z","subject":"appeal","target":"A1","outcome":"upheld","reviewer":"R1"}' \
    '"status":"rejected"' 'R1 made the decision under appeal; another reviewer decides the appeal'
post "R2 upholds the appeal" "$R2" 200 \
    '{"type":"verdict","id":"v3","at":"2026-11-08T03:00:00Z","subject":"appeal","target":"A1","outcome":"upheld","reviewer":"R2"}' \
    '{"id":"v3","status":"accepted"}'
get "the appeal is upheld" "$S1" /v1/appeals/A1 200 '"state":"upheld"' '"reviewer":"R2"'
get "L2 is back" "$S1" /v1/listings/L2 200 '"status":"live"'

# --- shoppers report; reviewers triage
post "U1 may not report as U2" "$U1" 403 \
    '{"type":"report","id":"p0","at":"2026-11-09T00:00:00Z","report":"P0","listing":"L4","reporter":"U2","reason":"fake"}' \
    "forbidden: a shopper key speaks for 'U1' and may post 'report' only with reporter 'U1'"
post "U1 reports L4" "$U1" 200 \
    '{"type":"report","id":"p1","at":"2026-11-09T00:00:00Z","report":"P1","listing":"L4","reporter":"U1","reason":"fake"}' \
    '{"id":"p1","status":"accepted"}'
post "U2 reports L4" "$U2" 200 \
    '{"type":"report","id":"p2","at":"2026-11-09T00:00:00Z","report":"P2","listing":"L4","reporter":"U2","reason":"fake stitching"}' \
    '{"id":"p2","status":"accepted"}'
get "a reviewer reads the triage queue" "$R1" /v1/reports 200 '"listing":"L4"'
json "two open reports on L4" 'j["listings"][0]["listing"] == "L4" and j["listings"][0]["open_reports"] == 2'
get "the queue with a limit" "$PLATFORM" "/v1/reports?limit=1" 200 '"listing":"L4"'
get "a bad limit" "$R1" "/v1/reports?limit=0" 400 'limit'
get "a shopper may not read the queue" "$U1" /v1/reports 403 '{"error":"forbidden: '
get "a seller may not read the queue" "$S3" /v1/reports 403 '{"error":"forbidden: '
post "the desk key (no account) may name any reviewer" "$DESK" 200 \
    '{"type":"verdict","id":"v4","at":"2026-11-09T01:00:00Z","subject":"report","target":"P1","outcome":"upheld","reviewer":"R7"}' \
    '{"id":"v4","status":"accepted"}'

# --- filers' records
get "H1 reads its record" "$H1" /v1/filers/H1 200 '"filer":"H1"' '"standing":"normal"'
get "U1 reads its record" "$U1" /v1/filers/U1 200 '"filer":"U1"'
get "H2 may not read H1's record" "$H2" /v1/filers/H1 403 \
    "forbidden: a rights_holder key speaks for 'H2' and reads only its own filer records"
get "U1 may not read U2's record" "$U1" /v1/filers/U2 403 '{"error":"forbidden: '
get "a reviewer reads a record" "$R1" /v1/filers/U2 200 '"filer":"U2"'
get "a seller may not read filers" "$S1" /v1/filers/H1 403 '{"error":"forbidden: '
get "an unknown filer" "$PLATFORM" /v1/filers/NOBODY 404 '{"error":"'

# --- vendor verification
post "a seller submits its documents" "$S3" 200 \
    '{"type":"seller_verification","id":"sv1","at":"2026-11-09T02:00:00Z","seller":"S3","status":"submitted","documents":[{"kind":"business_license","number":"123","issuer":"EE"}]}' \
    '{"id":"sv1","status":"accepted"}'
post "a seller may not verify itself" "$S3" 403 \
    '{"type":"seller_verification","id":"sv2","at":"2026-11-09T02:00:00Z","seller":"S3","status":"verified"}' \
    "forbidden: a seller key may post 'seller_verification' only with status submitted, not 'verified': verified and rejected are the platform's decisions"
post "the platform verifies it" "$PLATFORM" 200 \
    '{"type":"seller_verification","id":"sv3","at":"2026-11-09T03:00:00Z","seller":"S3","status":"verified"}' \
    '{"id":"sv3","status":"accepted"}'
get "S3's record says verified" "$S3" /v1/sellers/S3 200 '"seller":"S3"' 'verified'
post "a seller may not reject itself either" "$S2" 403 \
    '{"type":"seller_verification","id":"sv4","at":"2026-11-09T03:00:00Z","seller":"S2","status":"rejected"}' \
    "forbidden: a seller key may post 'seller_verification' only with status submitted, not 'rejected'"
post "the platform's own KYC: verified with no submission here" "$PLATFORM" 200 \
    '{"type":"seller_verification","id":"sv5","at":"2026-11-09T03:00:00Z","seller":"S2","status":"verified"}' \
    '{"id":"sv5","status":"accepted"}'
get "S2's record says verified" "$S2" /v1/sellers/S2 200 '"seller":"S2"' '"verification":"verified"'
post "the platform's own KYC: rejected with no submission here" "$PLATFORM" 200 \
    '{"type":"seller_verification","id":"sv6","at":"2026-11-09T03:00:00Z","seller":"S1","status":"rejected"}' \
    '{"id":"sv6","status":"accepted"}'
get "S1's record says rejected" "$PLATFORM" /v1/sellers/S1 200 '"verification":"rejected"'

# --- forbidden posts change nothing; a mixed batch keeps the allowed part
post "a mixed batch" "$S1" 200 \
    '[{"type":"seller_attribute","id":"sa1","at":"2026-11-09T04:00:00Z","seller":"S1","kind":"phone","value":"+3725550001"},
      {"type":"seller_attribute","id":"sa2","at":"2026-11-09T04:00:00Z","seller":"S2","kind":"phone","value":"+3725550001"}]' \
    '{"id":"sa1","status":"accepted"}' '{"id":"sa2","status":"rejected","error":"forbidden: '
# --- the exports: statements of reasons, transparency, audit, remediation, case files
get "the platform reads the statements of reasons" "$PLATFORM" /v1/statements 200 \
    '"decision_ground":' '"redress":'
get "a bad since names it" "$PLATFORM" "/v1/statements?since=yesterday" 400 '{"error":"since: '
get "a reviewer may not read the statements" "$R2" /v1/statements 403 '{"error":"forbidden: '
get "a shopper reads the transparency report" "$U1" "/v1/transparency?period=day" 200 '"period":"day"'
get "a bad period names it" "$U1" "/v1/transparency?period=year" 400 '{"error":"period: '
get "the platform reads the audit log of C1" "$PLATFORM" "/v1/audit?record=complaint&id=C1" 200 \
    '"record":"complaint","record_id":"C1","change":"filed"'
get "a rights holder may not read the audit log" "$H1" /v1/audit 403 '{"error":"forbidden: '
get "the platform exports remediation as CSV" "$PLATFORM" "/v1/remediation?format=csv" 200 \
    'listing,seller,order,buyer,price,currency,quantity,ship_to,ordered_at,removed_at,reason'
get "an unknown format names it" "$PLATFORM" "/v1/remediation?format=xml" 400 '{"error":"format: '
get "a seller may not read remediation" "$S1" /v1/remediation 403 '{"error":"forbidden: '
get "a reviewer reads S1's case file" "$R2" /v1/cases/S1 200 '"seller":"S1"' '"evidence"'
get "and its HTML report" "$R2" "/v1/cases/S1?format=html" 200 '<!DOCTYPE html>' 'Case file: S1'
get "a seller may not read case files" "$S1" /v1/cases/S1 403 '{"error":"forbidden: '
get "an unknown seller's case" "$PLATFORM" /v1/cases/S404 404 "no seller 'S404'"

get "metrics count the 403s" "$PLATFORM" /metrics 200 'genuine_http_responses_total{code="403"}'
# A clean stop (under ASan, GENUINE=build/asan/genuine: nothing leaked).
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" = 0 ] && ! grep -q 'Sanitizer' "$TMP/server.log" && ok ||
    bad "the server's stop: exit status $status, $(cat "$TMP/server.log")"

# --- a clock running behind (--clock-lag) keeps a window open that the wall clock has passed
EVENTS_PAST='[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora"},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora leather tote","price":900,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z",'"$RIGHT"',"holder":"H1"},
      {"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"},
      {"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L1"]}]'
DB3=$TMP/lag.db
P3=$("$GENUINE" key add --role platform --db "$DB3")
LAG=$(( $(date +%s) - $(date -d 2026-11-05T00:00:00Z +%s) )) # the clock stands at 5 November
start_server "$DB3" --clock-lag "$LAG"
post "a complaint, the clock behind" "$P3" 200 "$EVENTS_PAST"
sleep 1.5
get "the window is still open" "$P3" /v1/listings/L1 200 '"status":"noticed"'
kill -TERM "$SERVER_PID"
wait "$SERVER_PID" || true
SERVER_PID=""

# --- the wall clock closes a window with no event (a complaint filed in the past)
DB2=$TMP/clock.db
P2=$("$GENUINE" key add --role platform --db "$DB2")
start_server "$DB2"
post "a complaint whose window has passed" "$P2" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora"},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora leather tote","price":900,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z",'"$RIGHT"',"holder":"H1"},
      {"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"},
      {"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L1"]}]'
json "all six accepted" '[r["status"] for r in j["results"]] == ["accepted"] * 6'
for _ in $(seq 60); do
    req GET /v1/listings/L1 "$P2"
    grep -q '"status":"removed"' <<< "$BODY" && break
    sleep 0.1
done
expect "the wall clock took L1 down" 200 '"status":"removed"' 'COMPLAINT_UNANSWERED'
grep -q 'genuine: clock: 1 notice windows closed by' "$TMP/server.log" && ok ||
    bad "the clock did not say what it closed: $(cat "$TMP/server.log")"
kill -TERM "$SERVER_PID"
status=0
wait "$SERVER_PID" || status=$?
SERVER_PID=""
[ "$status" = 0 ] && ok || bad "the clock server's stop: exit status $status, $(cat "$TMP/server.log")"
"$GENUINE" show --db "$DB2" complaint C1 > "$TMP/c1"
grep -q '"state":"confirmed"' "$TMP/c1" && ok || bad "the clock's advance was not kept: $(cat "$TMP/c1")"

finish
