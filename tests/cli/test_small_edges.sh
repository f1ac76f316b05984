#!/usr/bin/env bash
# The small edges of issue 13 (rows 11 and 12): a buyer id that is a formula
# comes out of the remediation CSV as text; a rejected line's value cannot
# forge a line on ingest's stderr; a tenant gets the same 404 for another
# tenant's record and for a missing one; --policy naming a FIFO is refused at
# start and on SIGHUP without blocking.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/small.db
cat > "$TMP/events.jsonl" <<'JSONL'
{"type":"seller","id":"s1","at":"2026-01-01T00:00:00Z","seller":"S1","name":"A"}
{"type":"seller","id":"s2","at":"2026-01-01T00:00:00Z","seller":"S2","name":"B"}
{"type":"listing","id":"l1","at":"2026-03-01T00:00:00Z","listing":"L1","seller":"S1","title":"Bag","price":45,"currency":"EUR"}
{"type":"listing","id":"l2","at":"2026-03-01T00:00:00Z","listing":"L2","seller":"S2","title":"Belt","price":20,"currency":"EUR"}
{"type":"order","id":"o1","at":"2026-03-02T00:00:00Z","order":"O1","listing":"L1","buyer":"=cmd|' /C calc'!A0","price":45}
{"type":"order","id":"o2","at":"2026-03-02T00:00:00Z","order":"O2","listing":"L1","buyer":"@SUM(1+1)*cmd|' /C calc'!A0","price":45}
{"type":"order","id":"o3","at":"2026-03-02T00:00:00Z","order":"O3","listing":"L1","buyer":"+1, \"x\"","price":5}
{"type":"order","id":"o4","at":"2026-03-02T00:00:00Z","order":"O4","listing":"L1","buyer":"\tTAB","price":45}
{"type":"verdict","id":"v1","at":"2026-03-04T00:00:00Z","subject":"listing","target":"L1","outcome":"counterfeit","reviewer":"rev-1"}
JSONL
"$GENUINE" ingest --db "$DB" "$TMP/events.jsonl" > /dev/null

# --- row 11: CSV cells that a spreadsheet would run are text
"$GENUINE" remediation --db "$DB" --csv > "$TMP/rem.csv"
python3 - "$TMP/rem.csv" <<'PY' && ok || bad "remediation CSV: $(cat "$TMP/rem.csv")"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="")))
buyers = [r["buyer"] for r in rows]
assert buyers == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)*cmd|' /C calc'!A0", "'+1, \"x\"", "'\tTAB"], buyers
for r in rows:
    for v in r.values():
        assert not v or v[0] not in "=+-@\t\r", (r, v)
PY

# ... and in the other CSV genuine writes, `genuine pdq`'s lines: a photo's
# file name is its uploader's to choose.
cp ../shared/conformance/pdq/images/bridge-1-original.jpg "$TMP/=HYPERLINK(\"x\").jpg"
out=$(cd "$TMP" && "$GENUINE" pdq '=HYPERLINK("x").jpg')
has "$out" ",\"'=HYPERLINK(\"\"x\"\").jpg\"" && ! has "$out" ",=" && ok ||
    bad "pdq's CSV line: $out"

# --- row 12: rejected values cannot forge a line on stderr
printf '%s\n' '{"type":"seller","id":"s9","at":"2026-01-01T00:00:00Z","seller":"S9","name":"x","country":"FR\n7: forged line\u001b[2J"}' \
    '{"type":"listing","id":"l\n9: forged","at":"x"}' > "$TMP/bad.jsonl"
"$GENUINE" ingest --db "$DB" "$TMP/bad.jsonl" > /dev/null 2> "$TMP/err"
[ "$(wc -l < "$TMP/err")" = 2 ] && grep -q '^1: ' "$TMP/err" && grep -q '^2: ' "$TMP/err" &&
    ! grep -q '^[79]: forged' "$TMP/err" && ! grep -q $'\x1b' "$TMP/err" && ok ||
    bad "ingest's stderr: $(cat -A "$TMP/err")"

# --- row 12: a tenant cannot tell another's record from a missing one
S1=$("$GENUINE" key add --role seller --account S1 --db "$DB" 2> /dev/null)
start_server "$DB" --no-clock
get "S1 reads its own listing" "$S1" /v1/listings/L1 200 '"listing":"L1"'
get "S1 asks for S2's listing" "$S1" /v1/listings/L2 404
other=$BODY
req GET /v1/listings/L404 "$S1"
[ "$CODE" = 404 ] && [ "$BODY" = "${other/L2/L404}" ] && ok ||
    bad "another's and a missing listing differ: '$other' vs '$BODY'"
stop_server

# --- row 12: --policy a FIFO is refused at start and on SIGHUP, without blocking
mkfifo "$TMP/policy.fifo"
status=0
timeout 5 "$GENUINE" serve --db "$DB" --listen 127.0.0.1:0 --no-clock --policy "$TMP/policy.fifo" \
    2> "$TMP/err" || status=$?
[ "$status" = 1 ] && grep -q "not a regular file" "$TMP/err" && ok ||
    bad "serve --policy FIFO: exit $status (124: it blocked), $(cat "$TMP/err")"
cat > "$TMP/policy.lua" <<'LUA'
function decide(l) return nil end
LUA
start_server "$DB" --no-clock --policy "$TMP/policy.lua"
rm "$TMP/policy.lua" && mkfifo "$TMP/policy.lua"
kill -HUP "$SERVER_PID"
for _ in $(seq 50); do grep -q "policy not reloaded" "$TMP/server.log" && break; sleep 0.1; done
grep -q "policy not reloaded: .*not a regular file" "$TMP/server.log" && ok ||
    bad "SIGHUP with a FIFO: $(cat "$TMP/server.log")"
req GET /healthz
expect "the server answers after SIGHUP with a FIFO" 200 '"ok"'
get "and its engine is not stuck" "$S1" /v1/listings/L1 200 '"listing":"L1"'
stop_server

finish
