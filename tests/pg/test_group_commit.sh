#!/usr/bin/env bash
# Group commit on PostgreSQL (docs/scale.md): two `genuine serve` nodes on a
# real PostgreSQL (tests/pg/start.sh, a free loopback port, stopped on exit)
# whose commits wait 20 ms before their flush (commit_delay), so that a
# request answered before its commit returned is caught, and requests
# decided meanwhile share the next commit. tests/pg/group_load.py posts
# batches with overlapping ids to both nodes from 12 threads while the
# nodes' connections are terminated (commits in flight fail), and checks
# every answer against the log as it arrives, then the log and each node's
# memory. Then: the decisions the nodes stored are those of one process
# replaying the log. Bounded by a watchdog (LIMIT_S, 90 s); about 20 s.
# Run after `make`; `make check` runs it.
set -euo pipefail

source "$(dirname "$0")/../cli/lib.sh"
GENUINE=$(cd "$(dirname "$GENUINE")" && pwd)/$(basename "$GENUINE")
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIMIT_S=${LIMIT_S:-90}
NODES=()
WATCHDOG=""
cleanup() {
    local rc=$?
    trap - EXIT TERM INT
    set +e
    for p in "${NODES[@]}"; do kill "$p" 2> /dev/null; done
    for p in "${NODES[@]}"; do wait "$p" 2> /dev/null; done
    "$ROOT/tests/pg/stop.sh" "$TMP/pg"
    [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2> /dev/null
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'echo "$NAME: stopped (watchdog: over $LIMIT_S s, or interrupted)" >&2; exit 124' TERM INT
(
    for _ in $(seq "$LIMIT_S"); do
        sleep 1
        kill -0 $$ 2> /dev/null || exit 0
    done
    kill -TERM $$ 2> /dev/null
) &
WATCHDOG=$!

PG=$("$ROOT/tests/pg/start.sh" "$TMP/pg")
psql -qX "$PG" -c 'CREATE DATABASE gc' -c 'ALTER SYSTEM SET commit_delay = 20000' \
    -c 'ALTER SYSTEM SET commit_siblings = 0' -c 'SELECT pg_reload_conf()' > /dev/null
STORE=${PG%/postgres}/gc

start_node() { # start_node N: sets URL_N
    "$GENUINE" serve --store "$STORE" --listen 127.0.0.1:0 --no-auth --no-clock \
        > /dev/null 2> "$TMP/node$1.log" &
    NODES[$1]=$!
    for _ in $(seq 200); do
        grep -qs 'serving on' "$TMP/node$1.log" && break
        kill -0 "${NODES[$1]}" 2> /dev/null || break
        sleep 0.05
    done
    grep -q 'serving on' "$TMP/node$1.log" || { cat "$TMP/node$1.log" >&2; exit 1; }
    eval "URL_$1=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/node$1.log")"
}
start_node 1
start_node 2

check "every answer after its commit, no event lost nor taken twice, the nodes' memory the log's" \
    /usr/bin/python3 "$ROOT/tests/pg/group_load.py" "$STORE" "$URL_1" "$URL_2"

# the decisions stored are those of one process replaying the log
psql -qXAt "$STORE" -c 'SELECT body FROM events ORDER BY seq' > "$TMP/log.jsonl"
"$GENUINE" ingest --db "$TMP/replay.db" "$TMP/log.jsonl" > /dev/null
"$GENUINE" decisions --store "$STORE" > "$TMP/nodes.decisions"
"$GENUINE" decisions --db "$TMP/replay.db" > "$TMP/replay.decisions"
check "the nodes' $(wc -l < "$TMP/nodes.decisions") decisions are the replay's" \
    cmp -s "$TMP/nodes.decisions" "$TMP/replay.decisions"
finish
