#!/usr/bin/env bash
# The PostgreSQL store (issue 16) against a real PostgreSQL that
# tests/pg/start.sh starts on a free loopback port and stops on exit: the
# demo marketplace ingested into it reads back as from SQLite (decisions,
# statements, transparency, audit, remediation, show, seller), an event sent
# twice is a duplicate, train learns, and two `genuine serve` nodes on one
# database act as one: an id taken on one node is a duplicate on the other,
# a ban posted to node A changes a linked seller's next listing decided on
# node B, and a review item is never claimed by two reviewers, one on each
# node (claims are kept in the database). Run after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

PIDS=()
stop_all() {
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
    "$ROOT/tests/pg/stop.sh" "$TMP/pg"
    rm -rf "$TMP"
}
trap stop_all EXIT
PG=$("$ROOT/tests/pg/start.sh" "$TMP/pg")
psql -qX "$PG" -c 'CREATE DATABASE demo' -c 'CREATE DATABASE nodes' >/dev/null
DEMO=${PG%/postgres}/demo
NODES=${PG%/postgres}/nodes

# --- the demo marketplace in both stores reads the same
"$GENUINE" ingest --db "$TMP/demo.db" "$ROOT/examples/marketplace.jsonl" > "$TMP/sqlite.out"
"$GENUINE" ingest --store "$DEMO" "$ROOT/examples/marketplace.jsonl" > "$TMP/pg.out"
check "ingest counts the same" cmp -s "$TMP/sqlite.out" "$TMP/pg.out"
same() {
    "$GENUINE" "$@" --db "sqlite:$TMP/demo.db" > "$TMP/a" 2>&1 || true
    "$GENUINE" "$@" --store "$DEMO" > "$TMP/b" 2>&1 || true
    if [ -s "$TMP/a" ] && cmp -s "$TMP/a" "$TMP/b"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: genuine $* differs between SQLite and PostgreSQL:" >&2
        diff "$TMP/a" "$TMP/b" | head -5 >&2
    fi
}
same decisions
# every listing's status, version count and latest decision's event, table to table
python3 -c 'import sqlite3, sys
for row in sqlite3.connect(sys.argv[1]).execute("SELECT l.listing, l.status, l.versions, d.event, d.action FROM listings l JOIN decisions d ON d.seq = l.decision ORDER BY l.listing"):
    print("|".join(map(str, row)))' "$TMP/demo.db" > "$TMP/a"
psql -qXAt "$DEMO" -c 'SELECT l.listing, l.status, l.versions, d.event, d.action FROM listings l JOIN decisions d ON d.seq = l.decision ORDER BY l.listing COLLATE "C"' > "$TMP/b"
check "the listings' rows are the same in both stores ($(wc -l < "$TMP/a") listings)" cmp -s "$TMP/a" "$TMP/b"
same statements
same statements --since 2026-02-01T00:00:00Z
same transparency --period week
same transparency --period day
same audit
same audit --record seller --id s-2008
same remediation --csv
same show complaint C-103
same show reports
same seller s-2008
same case export s-2008 --out "$TMP/case"

L='{"type":"listing","id":"again-1","at":"2026-03-01T10:00:00Z","listing":"L-9001","seller":"s-1001","title":"Gucci Marmont bag replica 1:1","price":120,"currency":"USD","brand":"gucci","category":"handbags"}'
out=$(echo "$L" | "$GENUINE" ingest --store "$DEMO" -)
check "a new listing is accepted" has "$out" '{"accepted":1,"duplicates":0,"rejected":0}'
out=$(echo "$L" | "$GENUINE" ingest --store "$DEMO" -)
check "the same event again is a duplicate" has "$out" '{"accepted":0,"duplicates":1,"rejected":0}'
out=$("$GENUINE" decisions --store "$DEMO" | grep '"L-9001"')
check "and decided once" has "$out" '"status":"blocked"'
out=$("$GENUINE" train --store "$DEMO")
check "train learns on PostgreSQL" has "$out" '"model":1,'
out=$("$GENUINE" train --store "$DEMO" --history)
check "and keeps the model" has "$out" '"version":1,'
# training is once-only work: a second process finds the lease held, and
# takes it, with a new epoch, once it expired
out=$("$GENUINE" train --store "$DEMO" 2>&1 || true)
check "another process does not train while the lease is held" \
    has "$out" "another node of this store holds the lease 'train'"
psql -qX "$DEMO" -c "UPDATE leases SET expires = now() - interval '1 second'"
out=$("$GENUINE" train --store "$DEMO")
check "an expired lease is taken over" has "$out" '"model":2,'
check "with the epoch raised" [ "$(psql -qXAt "$DEMO" -c "SELECT epoch FROM leases WHERE name = 'train'")" = 2 ]

# store copy: the SQLite store into an empty PostgreSQL one, which reads
# the same and goes on from where it stopped
psql -qX "$PG" -c 'CREATE DATABASE copied' >/dev/null
COPIED=${PG%/postgres}/copied
out=$("$GENUINE" store copy --db "$TMP/demo.db" --to "$COPIED")
check "store copy counts what it copied" has "$out" '{"events":1618,"decisions":'
out=$("$GENUINE" store copy --db "$TMP/demo.db" --to "$COPIED" 2>&1 || true)
check "store copy refuses a store that holds events" has "$out" 'a copy goes into an empty store'
for c in decisions statements audit; do
    "$GENUINE" $c --db "$TMP/demo.db" > "$TMP/a"
    "$GENUINE" $c --store "$COPIED" > "$TMP/b"
    check "the copy reads as the original: $c" cmp -s "$TMP/a" "$TMP/b"
done
out=$(echo "$L" | "$GENUINE" ingest --store "$COPIED" -)
check "the copy takes new events" has "$out" '{"accepted":1,"duplicates":0,"rejected":0}'
check "after the copied log" [ "$(psql -qXAt "$COPIED" -c "SELECT max(seq) FROM events")" = 1619 ]

out=$("$GENUINE" decisions --store "${PG%/postgres}/nothing" 2>&1 || true)
check "a database that is not there says so" has "$out" 'database "nothing" does not exist'
out=$("$GENUINE" decisions --store "${PG%/postgres}/postgres" 2>&1 || true)
check "a database with no store says so" has "$out" 'not a genuine store'

# --- two nodes on one database
start_node() { # start_node NAME: sets URL_NAME
    : > "$TMP/$1.log"
    "$GENUINE" serve --store "$NODES" --listen 127.0.0.1:0 --no-auth --no-clock 2> "$TMP/$1.log" &
    PIDS+=($!)
    for _ in $(seq 100); do
        if grep -q 'serving on' "$TMP/$1.log"; then
            eval "URL_$1=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/$1.log")"
            return 0
        fi
        sleep 0.05
    done
    echo "node $1 did not start:" >&2
    cat "$TMP/$1.log" >&2
    exit 1
}
start_node A
start_node B
on() { URL=$1; shift; post "$@"; }
on "$URL_A" "node A takes the sellers, a shared device, a listing" "" 200 \
    '[{"type":"seller","id":"sa","at":"2026-11-01T00:00:00Z","seller":"A","name":"Attacker","country":"CN","template":"custom"},
      {"type":"seller","id":"sc","at":"2026-11-01T00:00:00Z","seller":"C","name":"Attacker two","country":"CN","template":"custom"},
      {"type":"session","id":"d1","at":"2026-11-01T01:00:00Z","account":"A","device":"laptop-a1"},
      {"type":"session","id":"d2","at":"2026-11-01T01:00:00Z","account":"C","device":"LAPTOP-A1"},
      {"type":"listing","id":"lc","at":"2026-11-02T00:00:00Z","listing":"LC","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}]'
json "every event accepted on A" 'all(r["status"] == "accepted" for r in j["results"])'
on "$URL_B" "the same listing retried on node B is a duplicate" "" 200 \
    '{"type":"listing","id":"lc","at":"2026-11-02T00:00:00Z","listing":"LC","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    '"status":"duplicate"'
on "$URL_B" "before the ban, C's listing on B is not held for a link" "" 200 \
    '{"type":"listing","id":"lc1","at":"2026-11-03T00:00:00Z","listing":"LC1","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    '"status":"accepted"'
json "no link to a banned seller yet" '"SELLER_LINKED_TO_BANNED" not in json.dumps(j)'
on "$URL_A" "node A: the platform bans A" "" 200 \
    '{"type":"verdict","id":"ban","at":"2026-11-04T00:00:00Z","subject":"seller","target":"A","outcome":"banned","reviewer":"R1"}' \
    '"status":"accepted"'
on "$URL_B" "node B: C lists again and is held for its link to the banned A" "" 200 \
    '{"type":"listing","id":"lc2","at":"2026-11-05T00:00:00Z","listing":"LC2","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    'SELLER_LINKED_TO_BANNED' 'a device'
URL=$URL_A
get "node A reads the listing node B decided" "" /v1/listings/LC2 200 'SELLER_LINKED_TO_BANNED'
on "$URL_A" "node A: the ban retried is a duplicate" "" 200 \
    '{"type":"verdict","id":"ban","at":"2026-11-04T00:00:00Z","subject":"seller","target":"A","outcome":"banned","reviewer":"R1"}' \
    '"status":"duplicate"'
n=$(psql -qXAt "$NODES" -c "SELECT count(*), count(DISTINCT id), max(seq) FROM events")
check "the log holds each event once, numbered without a gap" [ "$n" = "8|8|8" ]

# --- review claims are kept in the database: one item is never handed to
# two reviewers, one on each node, and a claim taken on one node holds on
# the other
"$GENUINE" simulate --listings 300 --seed 11 --out "$TMP/market.jsonl" --truth "$TMP/t.csv" \
    --sellers-truth "$TMP/s.csv" --quiet
"$GENUINE" ingest --store "$NODES" "$TMP/market.jsonl" > /dev/null
# without keys a POST says its type (no form may claim): claim_on NODE PATH
claim_on() {
    CODE=$(curl -s -m 20 -o "$TMP/body" -w '%{http_code}' -X POST \
        -H 'Content-Type: application/json' "$1$2" || true)
    BODY=$(cat "$TMP/body")
}
claim_on "$URL_A" "/v1/claims?reviewer=R1"
X=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["item"])' <<< "$BODY")
WAITING=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["waiting"])' <<< "$BODY")
check "R1 claims a held listing on node A ($WAITING waiting)" [ "$X" != None -a "$WAITING" -ge 7 ]
claim_on "$URL_B" "/v1/claims?reviewer=R2"
Y=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["item"])' <<< "$BODY")
check "R2 on node B is offered another" [ "$Y" != None -a "$Y" != "$X" ]
claim_on "$URL_B" "/v1/claims?reviewer=R1"
check "R1 reloading on node B gets its own item back" has "$BODY" "\"item\":\"$X\""
claim_on "$URL_B" "/v1/claims/release?item=$X&reviewer=R2"
expect "R2 on node B may not release R1's claim" 404 "R2 holds no claim on '$X'"
crowd=()
for i in $(seq 12); do
    node=$URL_A
    [ $((i % 2)) = 0 ] && node=$URL_B
    curl -s -m 20 -X POST -H 'Content-Type: application/json' "$node/v1/claims?reviewer=crowd$i" \
        > "$TMP/crowd$i" &
    crowd+=($!)
done
wait "${crowd[@]}"
python3 - "$TMP" "$WAITING" "$X" "$Y" <<'PY' && ok || bad "twelve reviewers at once on two nodes never got one item twice"
import json, sys
tmp, waiting, *held = sys.argv[1:]
items = [json.load(open(f"{tmp}/crowd{i}"))["item"] for i in range(1, 13)]
got = [i for i in items if i is not None]
assert len(got) == len(set(got)) == min(12, int(waiting) - 2), items
assert not set(got) & set(held), items
PY
LEASES=$((WAITING < 14 ? WAITING : 14))
check "the database holds one lease per item, $LEASES of them" \
    [ "$(psql -qXAt "$NODES" -c "SELECT count(*) = count(DISTINCT item) AND count(*) = $LEASES FROM claims WHERE queue = 'listings'")" = t ]

finish
