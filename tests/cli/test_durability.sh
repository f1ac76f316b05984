#!/usr/bin/env bash
# Nothing acknowledged is ever lost: post listings to `genuine serve`, note
# every id a 200 reply accepted, kill -9 the server at a random moment, restart
# it on the same store and check every acknowledged listing is there. Several
# rounds, bounded in time. Run from the repository root after `make`.
set -euo pipefail

GENUINE=${GENUINE:-build/genuine}
[ -x "$GENUINE" ] || { echo "test_durability: $GENUINE is not built (run make)" >&2; exit 1; }
ROUNDS=${ROUNDS:-4}
DEADLINE=$((SECONDS + 25))

TMP=$(mktemp -d)
SERVER_PID=""
POSTER_PID=""
cleanup() {
    for pid in $POSTER_PID $SERVER_PID; do
        kill -9 "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMP"
}
trap cleanup EXIT

passed=0
failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

DB=$TMP/durable.db

start_server() {
    : > "$TMP/server.log"
    "$GENUINE" serve --db "$DB" --listen 127.0.0.1:0 --no-auth 2> "$TMP/server.log" &
    SERVER_PID=$!
    for _ in $(seq 200); do
        if grep -q 'serving on' "$TMP/server.log"; then
            URL=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/server.log")
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "test_durability: the server did not start:" >&2
    cat "$TMP/server.log" >&2
    exit 1
}

# Posts batches of 10 listings until the server goes away, appending the id
# of every event a 200 reply accepted to $TMP/acked. Only a complete 200 reply
# counts: a request cut off by the kill acknowledged nothing.
post_loop() {
    local round=$1 i=0 k code
    while :; do
        i=$((i + 1))
        : > "$TMP/batch.$round"
        for k in 0 1 2 3 4 5 6 7 8 9; do
            printf '{"type":"listing","id":"d%s-%s-%s","at":"2026-11-22T10:00:00Z","listing":"d%s-%s-%s","seller":"S%s","title":"Leather handbag, round %s, batch %s","description":"A roomy everyday bag in soft leather with a zip top.","price":%s,"currency":"USD"}\n' \
                "$round" "$i" "$k" "$round" "$i" "$k" "$k" "$round" "$i" $((100 + k)) >> "$TMP/batch.$round"
        done
        code=$(curl -s -o "$TMP/reply.$round" -w '%{http_code}' --max-time 5 \
            -H 'Content-Type: application/x-ndjson' --data-binary "@$TMP/batch.$round" "$URL/v1/events" 2>/dev/null) || return 0
        [ "$code" = 200 ] || return 0
        grep -o '"id":"[^"]*","status":"accepted"' "$TMP/reply.$round" | cut -d'"' -f4 >> "$TMP/acked"
    done
}

: > "$TMP/acked"
start_server
for round in $(seq "$ROUNDS"); do
    [ "$SECONDS" -lt "$DEADLINE" ] || { echo "test_durability: out of time after $((round - 1)) rounds" >&2; break; }
    before=$(wc -l < "$TMP/acked")
    post_loop "$round" &
    POSTER_PID=$!
    # The kill falls at a random moment once the round has had an answer: a
    # busy machine (make check beside other builds) can take longer than the
    # shortest wait over a new server's first batch.
    for _ in $(seq 100); do
        [ "$(wc -l < "$TMP/acked")" -gt "$before" ] && break
        sleep 0.05
    done
    sleep "0.$((RANDOM % 8 + 2))"
    kill -9 "$SERVER_PID"
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
    wait "$POSTER_PID" 2>/dev/null || true
    POSTER_PID=""
    after=$(wc -l < "$TMP/acked")
    [ "$after" -gt "$before" ] && ok || bad "round $round: nothing was acknowledged before the kill"

    start_server # replays the store
    "$GENUINE" decisions --db "$DB" | grep -o '"listing":"d[^"]*"' | cut -d'"' -f4 | sort -u > "$TMP/stored"
    sort -u "$TMP/acked" > "$TMP/acked.sorted"
    missing=$(comm -23 "$TMP/acked.sorted" "$TMP/stored" | wc -l)
    if [ "$missing" = 0 ]; then
        ok
    else
        bad "round $round: $missing acknowledged listings lost, e.g. $(comm -23 "$TMP/acked.sorted" "$TMP/stored" | head -3 | tr '\n' ' ')"
    fi
    # The restarted server itself answers for them too (a sample).
    lost=0
    for id in $(shuf -n 5 "$TMP/acked.sorted"); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/v1/listings/$id" || true)
        [ "$code" = 200 ] || lost=$((lost + 1))
    done
    [ "$lost" = 0 ] && ok || bad "round $round: $lost sampled listings not served after restart"
    echo "round $round: $after acknowledged so far, checked" >&2
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
