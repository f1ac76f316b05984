#!/usr/bin/env bash
# One writer per store (issue 13, row 8): while `genuine serve` runs, a second
# serve or an ingest on the same store is refused with a message naming the
# holder (pid and command); read-only commands and keys still work beside it;
# once the server stops, the store takes a writer again.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/lock.db
T=2026-11-22T10:00:00Z
printf '%s\n' '{"type":"seller","id":"s1","at":"'$T'","seller":"S1","name":"One"}' \
    '{"type":"listing","id":"l1","at":"'$T'","listing":"L1","seller":"S1","title":"Watch","price":40,"currency":"USD"}' \
    > "$TMP/events.jsonl"
"$GENUINE" ingest --db "$DB" "$TMP/events.jsonl" > /dev/null
start_server "$DB" --no-auth --no-clock

refused() { # refused WHAT COMMAND...: exit 1, the holder named
    local what=$1 status=0; shift
    "$@" > "$TMP/out" 2> "$TMP/err" || status=$?
    if [ "$status" = 1 ] && grep -q "in use by another writer: pid $SERVER_PID (.*genuine serve --db $DB" "$TMP/err"; then
        ok
    else
        bad "$what: exit $status, $(cat "$TMP/err")"
    fi
}
refused "a second ingest" "$GENUINE" ingest --db "$DB" "$TMP/events.jsonl"
refused "a second serve" "$GENUINE" serve --db "$DB" --listen 127.0.0.1:0 --no-auth
refused "advance" "$GENUINE" advance --db "$DB" --to 2026-12-01T00:00:00Z
[ ! -s "$TMP/out" ] && ok || bad "a refused ingest printed a summary: $(cat "$TMP/out")"
req GET /v1/listings/L1
expect "the server still answers" 200 '"listing":"L1"'

# Beside it: reads, and keys.
"$GENUINE" decisions --db "$DB" > "$TMP/out" && grep -q '"listing":"L1"' "$TMP/out" && ok ||
    bad "decisions beside a server"
"$GENUINE" seller --db "$DB" S1 > "$TMP/out" && grep -q '"seller":"S1"' "$TMP/out" && ok ||
    bad "seller beside a server: $(cat "$TMP/out")"
"$GENUINE" key add --role platform --db "$DB" > /dev/null 2>&1 && ok || bad "key add beside a server"
"$GENUINE" key list --db "$DB" | grep -q '"role":"platform"' && ok || bad "key list beside a server"

stop_server
out=$("$GENUINE" ingest --db "$DB" "$TMP/events.jsonl") && has "$out" '"duplicates":2' && ok ||
    bad "ingest once the server stopped: $out"

# kill -9 leaves no stale lock: the kernel drops it with its holder.
start_server "$DB" --no-auth --no-clock
kill -9 "$SERVER_PID"
wait "$SERVER_PID" 2> /dev/null || true
SERVER_PID=""
out=$("$GENUINE" ingest --db "$DB" "$TMP/events.jsonl") && ok || bad "ingest after kill -9 of the writer: $out"

finish
