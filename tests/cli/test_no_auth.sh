#!/usr/bin/env bash
# A --no-auth server (issue 13, row 10) acts as the platform for whoever
# reaches it, so it answers only this machine's own programs and pages: a
# foreign Host (DNS rebinding) or Origin (a cross-site page) is 403, and a POST
# must say a JSON content type (a form cannot) or it is 415; all with JSON
# errors. Keys make none of this needed, and keyed servers are unchanged.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/noauth.db
T=2026-11-22T10:00:00Z
EVENT='{"type":"brand","id":"b1","at":"'$T'","brand":"rolex","name":"Rolex"}'
start_server "$DB" --no-auth --no-clock
PORT=${URL##*:}

# call NAME CODE TEXT CURL-ARGS...: a POST of $EVENT (or what the args say)
call() {
    local name=$1 code=$2 text=$3; shift 3
    CODE=$(curl -s -o "$TMP/body" -w '%{http_code}' "$@" || true)
    BODY=$(cat "$TMP/body")
    expect "$name" "$code" "$text"
    [ "$code" = 200 ] || json "$name: a JSON error" '"error" in j'
}
J=(-H 'Content-Type: application/json')
call "a form post (curl -d)" 415 "Content-Type" -d "$EVENT" "$URL/v1/events"
call "text/plain (a form's enctype)" 415 "text/plain" -H 'Content-Type: text/plain' \
    --data-binary "$EVENT" "$URL/v1/events"
call "no content type" 415 "(none)" -H 'Content-Type:' --data-binary "$EVENT" "$URL/v1/events"
call "a foreign Host (DNS rebinding)" 403 "Host was 'evil.example:$PORT'" "${J[@]}" \
    -H "Host: evil.example:$PORT" --data-binary "$EVENT" "$URL/v1/events"
call "a loopback Host on another port" 403 "Host was" "${J[@]}" -H "Host: 127.0.0.1:1" \
    --data-binary "$EVENT" "$URL/v1/events"
call "a read with a foreign Host" 403 "Host was" -H "Host: evil.example" "$URL/v1/stats"
call "a foreign Origin" 403 "Origin was 'http://evil.example'" "${J[@]}" \
    -H 'Origin: http://evil.example' --data-binary "$EVENT" "$URL/v1/events"
call "Origin null" 403 "Origin was 'null'" "${J[@]}" -H 'Origin: null' \
    --data-binary "$EVENT" "$URL/v1/events"
call "JSON with the loopback Host and Origin" 200 '"status":"accepted"' "${J[@]}" \
    -H "Origin: http://localhost:$PORT" --data-binary "$EVENT" "$URL/v1/events"
call "localhost as Host" 200 '"listings"' -H "Host: localhost:$PORT" "$URL/v1/queue"
call "JSON Lines as application/x-ndjson" 200 '"status":"duplicate"' \
    -H 'Content-Type: application/x-ndjson' --data-binary "$EVENT" "$URL/v1/events"
call "application/jsonl; charset=utf-8" 200 '"status":"duplicate"' \
    -H 'Content-Type: application/jsonl; charset=utf-8' --data-binary "$EVENT" "$URL/v1/events"
stop_server

# With keys the Bearer header is what counts: a plain curl -d still works.
KEY=$("$GENUINE" key add --role platform --db "$DB" 2> /dev/null)
start_server "$DB" --no-clock
call "a keyed server takes curl -d" 200 '"status":"duplicate"' -H "Authorization: Bearer $KEY" \
    -d "$EVENT" "$URL/v1/events"
stop_server

finish
