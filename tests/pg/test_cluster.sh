#!/usr/bin/env bash
# The cluster test (issue 16), on one machine, on loopback: PostgreSQL as a
# primary and a synchronous standby under Patroni with etcd
# (tests/pg/cluster.sh), three `genuine serve` nodes on it, and a load
# generator (tests/pg/load.py) that writes down every event a node
# acknowledged. Under load it kills a node with kill -9, then the primary
# (its Patroni and its PostgreSQL, as a machine dies); the standby is
# promoted and the nodes find it by themselves (one URL naming both members,
# target_session_attrs=read-write). Then: every acknowledged event is in the
# log exactly once, the decisions the nodes stored are a single process's
# replay of the log (genuine ingest into a fresh SQLite store), and a ban
# posted to one surviving node holds a linked seller's next listing on the
# other. Prints the failover's figures. Bounded: every wait has its limit,
# and a watchdog stops the whole test after LIMIT_S (240) seconds; every
# process and folder it made is removed on exit, failed or not. Run after
# `make`; `make check` runs it.
set -euo pipefail

source "$(dirname "$0")/../cli/server_lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
LIMIT_S=${LIMIT_S:-240}
STEP=${STEP:-400} # events acknowledged between two steps of the test
CLUSTER="$ROOT/tests/pg/cluster.sh"

NODES=()
LOAD_PID=""
WATCHDOG=""
HELPER=""
# run OUT COMMAND...: COMMAND's output into OUT, in the background so that
# the watchdog's signal stops the test at once, not after COMMAND's own wait
run() {
    local out=$1 rc=0
    shift
    "$@" > "$out" &
    HELPER=$!
    wait "$HELPER" || rc=$?
    HELPER=""
    return $rc
}
cleanup() {
    local rc=$?
    trap - EXIT TERM INT
    set +e # every step runs, whatever the one before it did
    [ -n "$HELPER" ] && kill -9 "$HELPER" 2> /dev/null
    [ -d "$TMP/load" ] && touch "$TMP/load/stop"
    [ -n "$LOAD_PID" ] && kill -9 "$LOAD_PID" 2> /dev/null
    for p in "${NODES[@]}"; do kill -9 "$p" 2> /dev/null || true; done
    [ -n "$LOAD_PID" ] && wait "$LOAD_PID" 2> /dev/null
    for p in "${NODES[@]}"; do wait "$p" 2> /dev/null || true; done
    "$CLUSTER" stop "$TMP/pg" || true
    [ -n "$WATCHDOG" ] && kill "$WATCHDOG" 2> /dev/null
    rm -rf "$TMP"
    exit $rc
}
trap cleanup EXIT
trap 'echo "$NAME: stopped (watchdog: over $LIMIT_S s, or interrupted)" >&2; exit 124' TERM INT
# the watchdog looks each second whether the test is still running
(
    for _ in $(seq "$LIMIT_S"); do
        sleep 1
        kill -0 $$ 2> /dev/null || exit 0
    done
    kill -TERM $$ 2> /dev/null
) &
WATCHDOG=$!

now_ms() { date +%s%3N; }
acked() { [ -f "$TMP/load/acked" ] && wc -l < "$TMP/load/acked" || echo 0; }
# wait_until SECONDS WHAT CONDITION...: CONDITION holds within SECONDS, or the test fails here
wait_until() {
    local seconds=$1 what=$2
    shift 2
    local until=$((SECONDS + seconds))
    until "$@"; do
        if [ $SECONDS -ge $until ]; then
            echo "FAIL: $what: not within $seconds s (acknowledged so far: $(acked))" >&2
            for f in "$TMP"/node*.log; do echo "--- $f" >&2; tail -5 "$f" >&2; done
            exit 1
        fi
        sleep 0.2
    done
}
at_least() { [ "$(acked)" -ge "$1" ]; }

t0=$SECONDS
run "$TMP/url" "$CLUSTER" start "$TMP/pg"
PG=$(cat "$TMP/url")
psql -qX "$PG" -c 'CREATE DATABASE genuine' > /dev/null
STORE=${PG/\/postgres\?//genuine?}
echo "$NAME: PostgreSQL primary and synchronous standby under Patroni in $((SECONDS - t0)) s: $STORE"

node_up() { grep -qs 'serving on' "$TMP/node$1.log" || ! kill -0 "${NODES[$1]}" 2> /dev/null; }
start_node() { # start_node N: starts node N, sets URL_N
    "$GENUINE" serve --store "$STORE" --listen 127.0.0.1:0 --no-auth 2> "$TMP/node$1.log" &
    NODES[$1]=$!
    wait_until 60 "node $1 starting" node_up "$1"
    grep -q 'serving on' "$TMP/node$1.log" || { cat "$TMP/node$1.log" >&2; exit 1; }
    eval "URL_$1=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/node$1.log")"
}
start_node 1
start_node 2
start_node 3

mkdir "$TMP/load"
/usr/bin/python3 "$ROOT/tests/pg/load.py" "$TMP/load" "$URL_1" "$URL_2" "$URL_3" 2> "$TMP/load.log" &
LOAD_PID=$!
wait_until 60 "the first $STEP events acknowledged" at_least "$STEP"

# --- a node dies under load
kill -9 "${NODES[1]}"
wait "${NODES[1]}" 2> /dev/null || true
node_killed_at=$(acked)
wait_until 60 "$STEP more events acknowledged after node 1 was killed" at_least $((node_killed_at + STEP))

# --- then the primary
leader=$("$CLUSTER" leader "$TMP/pg")
check "a member leads before the primary is killed ($leader)" [ -n "$leader" ]
# The standby stops confirming for a moment, so that commits are in flight
# (written on the primary, waiting for the standby) when the primary dies:
# their batches were never acknowledged, and are answered 500 and sent
# again; on the promoted standby each of their events is either logged (the
# retry answered duplicate) or not (decided now), never twice.
"$CLUSTER" freeze "$TMP/pg"
waiting() { [ "$(psql -qXAt "$PG" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")" -ge 1 ]; }
wait_until 30 "a commit waiting for the standby" waiting
in_flight=$(psql -qXAt "$PG" -c "SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep'")
"$CLUSTER" kill "$TMP/pg" "$leader"
"$CLUSTER" thaw "$TMP/pg"
primary_killed_ms=$(now_ms)
primary_killed_at=$(acked)
run "$TMP/new_leader" "$CLUSTER" wait "$TMP/pg" "$leader"
new_leader=$(cat "$TMP/new_leader")
promoted_ms=$(now_ms)
check "the standby was promoted ($leader -> $new_leader)" test -n "$new_leader" -a "$new_leader" != "$leader"
# a batch sent after the kill, acknowledged: the nodes write to the new primary
sent_after_kill() { awk -v t="$primary_killed_ms" '$1 >= t { f = 1 } END { exit !f }' "$TMP/load/batches"; }
wait_until 90 "an event acknowledged on the new primary" sent_after_kill
wait_until 60 "$STEP more events acknowledged on the new primary" at_least $((primary_killed_at + STEP))
touch "$TMP/load/stop"
load_done() { ! kill -0 "$LOAD_PID" 2> /dev/null; }
wait_until 60 "the load generator stopping" load_done
wait "$LOAD_PID" || true
LOAD_PID=""

# --- a ban on node 2 holds a linked seller's next listing on node 3
URL=$URL_2
post "node 2 takes two sellers sharing a device" "" 200 \
    '[{"type":"seller","id":"ban-sa","at":"2026-12-01T00:00:00Z","seller":"A","name":"Attacker","country":"CN","template":"custom"},
      {"type":"seller","id":"ban-sc","at":"2026-12-01T00:00:00Z","seller":"C","name":"Attacker two","country":"CN","template":"custom"},
      {"type":"session","id":"ban-d1","at":"2026-12-01T01:00:00Z","account":"A","device":"laptop-a1"},
      {"type":"session","id":"ban-d2","at":"2026-12-01T01:00:00Z","account":"C","device":"LAPTOP-A1"}]'
json "every event accepted on node 2" 'all(r["status"] == "accepted" for r in j["results"])'
URL=$URL_3
post "before the ban, C's listing on node 3 is not held for a link" "" 200 \
    '{"type":"listing","id":"ban-lc1","at":"2026-12-02T00:00:00Z","listing":"LC1","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    '"status":"accepted"'
json "no link to a banned seller yet" '"SELLER_LINKED_TO_BANNED" not in json.dumps(j)'
URL=$URL_2
post "node 2: the platform bans A" "" 200 \
    '{"type":"verdict","id":"ban-v","at":"2026-12-03T00:00:00Z","subject":"seller","target":"A","outcome":"banned","reviewer":"R1"}' \
    '"status":"accepted"'
URL=$URL_3
post "node 3: C lists again and is held for its link to the banned A" "" 200 \
    '{"type":"listing","id":"ban-lc2","at":"2026-12-04T00:00:00Z","listing":"LC2","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    'SELLER_LINKED_TO_BANNED'
URL=$URL_2
post "node 2: the ban retried is a duplicate" "" 200 \
    '{"type":"verdict","id":"ban-v","at":"2026-12-03T00:00:00Z","subject":"seller","target":"A","outcome":"banned","reviewer":"R1"}' \
    '"status":"duplicate"'

# --- every acknowledged event is in the log exactly once
summary=$(cat "$TMP/load/summary")
check "the load generator had no event rejected ($summary)" has "$summary" '"rejected": 0'
check "the batch whose commit was in flight was answered 500, not acknowledged" has "$summary" '"answered_500": '
psql -qXAt "$STORE" -c 'SELECT id, count(*) FROM events GROUP BY id' > "$TMP/logged"
check "the log holds each id once, numbered without a gap" \
    [ "$(psql -qXAt "$STORE" -c 'SELECT count(*) = count(DISTINCT id) AND count(*) = max(seq) FROM events')" = t ]
/usr/bin/python3 - "$TMP/load/acked" "$TMP/logged" > "$TMP/lost" << 'EOF'
import sys
logged = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2]))
acked = [l.strip() for l in open(sys.argv[1])]
bad = [i for i in acked if logged.get(i) != "1"]
print(len(acked), len(set(acked)), len(bad), " ".join(bad[:10]))
EOF
read -r n_acked n_distinct n_lost lost_ids < "$TMP/lost" || true
check "every one of the $n_acked acknowledged events is in the log exactly once (not so: $n_lost ${lost_ids:-})" \
    test "$n_lost" = 0 -a "$n_acked" = "$n_distinct" -a "$n_acked" -ge $((3 * STEP))

# --- the decisions stored are those of one process replaying the log
psql -qXAt "$STORE" -c 'SELECT body FROM events ORDER BY seq' > "$TMP/log.jsonl"
"$GENUINE" ingest --db "$TMP/replay.db" "$TMP/log.jsonl" > "$TMP/replay.out"
check "the replay takes every logged event ($(cat "$TMP/replay.out"))" \
    has "$(cat "$TMP/replay.out")" "\"accepted\":$(wc -l < "$TMP/log.jsonl"),\"duplicates\":0,\"rejected\":0"
"$GENUINE" decisions --store "$STORE" > "$TMP/nodes.decisions"
"$GENUINE" decisions --db "$TMP/replay.db" > "$TMP/replay.decisions"
check "the nodes' $(wc -l < "$TMP/nodes.decisions") decisions are the replay's" \
    cmp -s "$TMP/nodes.decisions" "$TMP/replay.decisions"
cmp -s "$TMP/nodes.decisions" "$TMP/replay.decisions" ||
    diff "$TMP/nodes.decisions" "$TMP/replay.decisions" | head -6 >&2
for n in 2 3; do
    URL=$(eval echo "\$URL_$n")
    get "node $n still serves" "" /v1/listings/LC2 200 'SELLER_LINKED_TO_BANNED'
done

# --- the failover's figures
first_ack_ms=$(awk -v t="$primary_killed_ms" '$1 >= t && (m == "" || $2 < m) { m = $2 } END { print m }' "$TMP/load/batches")
longest_gap_ms=$(awk '{ print $2 }' "$TMP/load/batches" | sort -n |
    awk 'NR > 1 && $1 - p > g { g = $1 - p } { p = $1 } END { print g + 0 }')
echo "$NAME: $n_acked events acknowledged ($summary); node 1 killed at $node_killed_at," \
    "primary $leader killed at $primary_killed_at with $in_flight commits in flight; $new_leader promoted $((promoted_ms - primary_killed_ms)) ms" \
    "after, first event acknowledged on it $((first_ack_ms - primary_killed_ms)) ms after the kill;" \
    "longest time without an acknowledgement $longest_gap_ms ms; acknowledged events lost: $n_lost;" \
    "test $((SECONDS - t0)) s"
finish
