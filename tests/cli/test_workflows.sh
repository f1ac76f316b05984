#!/usr/bin/env bash
# End-to-end tests of the notice-and-takedown workflow on the command line:
# examples/takedown.jsonl (a complaint refused while its right is unverified,
# then filed; a counter-notice at the deadline itself; one from the wrong
# seller), `genuine show`, `genuine advance` past the deadline, and a restart
# that gives the same records. Usage errors exit 2, unknown records 1.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
status_of() { "$GENUINE" decisions --db "$db" | grep "\"listing\":\"$1\"" | sed 's/.*"status":"\([a-z]*\)".*/\1/'; }

db=$TMP/t.db
out=$("$GENUINE" ingest --db "$db" examples/takedown.jsonl 2> "$TMP/err")
check "11 accepted, 2 refused: $out" [ "$out" = '{"accepted":11,"duplicates":0,"rejected":2}' ]
check "line 9: the right is not verified yet" grep -q "^9: field 'right': right 'TM-EU-18' is not verified yet" "$TMP/err"
check "line 13: the wrong seller" grep -q "^13: field 'seller'" "$TMP/err"

c=$("$GENUINE" show --db "$db" complaint C1)
check "L1 noticed: $c" has "$c" '"listing":"L1","seller":"S1","state":"noticed"'
check "L2 contested at the deadline itself" has "$c" '"state":"contested","answered_at":"2026-11-07T00:00:00Z"'
check "L3 not covered (another brand)" has "$c" '"listing":"L3","seller":"S2","state":"not_covered","why":"the listing is about corvex'
check "L404 unknown" has "$c" '"listing":"L404","state":"unknown_listing"'
check "L1 is noticed" [ "$(status_of L1)" = noticed ]
check "L2 is held" [ "$(status_of L2)" = held ]
n=$("$GENUINE" show --db "$db" notices S1)
check "S1's open notices: $n" has "$n" '"deadline":"2026-11-07T00:00:00Z"'

# the window closes at the deadline: nothing is due at it, everything after it
a=$("$GENUINE" advance --db "$db" --to 2026-11-07T00:00:00Z)
check "nothing due at the deadline: $a" has "$a" '"windows_closed":0'
a=$("$GENUINE" advance --db "$db" --to 2026-11-07T00:00:01Z)
check "one window closed after it: $a" has "$a" '"windows_closed":1,"removed":1'
check "L1 is removed" [ "$(status_of L1)" = removed ]
check "L1's reason" bash -c "\"$GENUINE\" decisions --db \"$db\" | grep '\"listing\":\"L1\"' | grep -q COMPLAINT_UNANSWERED"
s=$("$GENUINE" seller --db "$db" S1)
check "S1 has a strike: $s" has "$s" '"strikes":1,"enforcement":"warned"'

# a restart rebuilds the same records from the log
again=$("$GENUINE" show --db "$db" complaint C1)
check "the same complaint after a restart" [ "$again" = "$("$GENUINE" show --db "$db" complaint C1)" ]
check "L1 confirmed by the deadline" has "$again" '"listing":"L1","seller":"S1","state":"confirmed","closed_at":"2026-11-07T00:00:00Z","decided_by":"deadline"'
f=$("$GENUINE" show --db "$db" filer H1)
check "H1's record: $f" has "$f" '"confirmed":1,"rejected":0'

# usage and unknown records
set +e
"$GENUINE" advance --db "$db" --to yesterday 2> "$TMP/err"; rc=$?
check "a bad --to exits 2 ($rc)" [ "$rc" = 2 ]
check "and names --to" grep -q -- "--to: 'yesterday'" "$TMP/err"
"$GENUINE" advance --db "$db" 2> /dev/null; rc=$?
check "advance without --to exits 2" [ "$rc" = 2 ]
"$GENUINE" show --db "$db" complaint 2> /dev/null; rc=$?
check "show complaint without an id exits 2" [ "$rc" = 2 ]
"$GENUINE" show --db "$db" planets 2> /dev/null; rc=$?
check "show of an unknown kind exits 2" [ "$rc" = 2 ]
"$GENUINE" show --db "$db" complaint C999 2> "$TMP/err"; rc=$?
check "an unknown complaint exits 1 ($rc)" [ "$rc" = 1 ]
check "and says so" grep -q "no complaint 'C999'" "$TMP/err"
set -e

finish
