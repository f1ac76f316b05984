#!/usr/bin/env bash
# An attacker's probes of issue 13 that the other tests did not cover, each
# with a key of a role that must not get through: a rights holder naming
# another holder's right in its own ip_right (a takeover of a verified
# trademark). Each attack is refused and leaves the victim's records as they
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
start_server "$DB" --no-clock

post "platform posts the catalog" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora","reference_prices":[{"category":"bags","price":1000,"currency":"USD"}]},
      {"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one","template":"custom"},
      {"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L2","seller":"S1","title":"Lumora shoulder bag","price":950,"currency":"USD","category":"bags","brand":"B1"},
      {"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z","holder":"H1"},
      {"type":"verdict","id":"v1","at":"2026-11-03T02:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"}]'
json "every catalog event accepted" '[r["status"] for r in j["results"]] == ["accepted"] * 5'

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
    '{"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L2"]}' \
    '{"id":"c1","status":"accepted"}'
post "H1 may register its own right again" "$H1" 200 \
    '{"type":"ip_right","id":"again1","at":"2026-11-04T01:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1b","jurisdiction":"EU","classes":["18"],"valid_until":"2031-01-01T00:00:00Z","holder":"H1"}' \
    '{"id":"again1","status":"accepted"}'

# --- all of it holds after a restart (the log replayed)
stop_server
start_server "$DB" --no-clock
get "after a restart TM1 is still H1's" "$H1" /v1/rights/TM1 200 '"holder":"H1"' '"number":"EUTM 1b"'
get "after a restart H2 still may not read TM1" "$H2" /v1/rights/TM1 404

finish
