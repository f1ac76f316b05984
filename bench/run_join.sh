#!/usr/bin/env bash
# How long a node takes to join a store (issue 16: a store of 10 million
# events, ready to decide within 60 s), both ways: replaying the whole log
# (GENUINE_NO_SNAPSHOT=1) and from the store's snapshot plus the log after
# it. Builds a SQLite store of about EVENTS events (genuine simulate
# --profile bench, ingested), writes its snapshot once all but the last
# AFTER share of the log is in (the rest is ingested after it, as a node
# joining a live store finds it), then times `genuine store join` (which
# opens the store as a node does and says how it built its state) RUNS
# times each way, alternating. Prints the figures, the machine's load and
# the commit. Run from the repository root after `make`.
#   EVENTS=1000000 RUNS=2 AFTER=0.01 DIR=/tmp/genuine-join bash bench/run_join.sh
# (KEEP=1 keeps the store for another run with the same EVENTS; SKIP_FULL=1
# times only joins from the snapshot: `store snapshot`, which replays the
# whole log first, says how long that took.)
set -euo pipefail

EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-2}
AFTER=${AFTER:-0.01}
DIR=${DIR:-/tmp/genuine-join}
GENUINE=${GENUINE:-build/genuine}
[ -x "$GENUINE" ] || { echo "run_join: $GENUINE is not built (run make)" >&2; exit 1; }
mkdir -p "$DIR"
DB=$DIR/join-$EVENTS.db
[ "${KEEP:-0}" = 1 ] || trap 'rm -f "$DIR"/join-"$EVENTS".* "$DIR"/events-"$EVENTS".*' EXIT

now() { date +%s.%N; }
# the bench profile's worlds have 233,598 events per 200,000 listings
listings=$(python3 -c "print(int($EVENTS * 200000 / 233598))")
if [ ! -s "$DB" ]; then
    t0=$(now)
    "$GENUINE" simulate --profile bench --listings "$listings" --out "$DIR/events-$EVENTS.jsonl" \
        > /dev/null
    n=$(wc -l < "$DIR/events-$EVENTS.jsonl")
    cut=$(python3 -c "print(int($n * (1 - $AFTER)))")
    head -n "$cut" "$DIR/events-$EVENTS.jsonl" > "$DIR/events-$EVENTS.head"
    tail -n +$((cut + 1)) "$DIR/events-$EVENTS.jsonl" > "$DIR/events-$EVENTS.tail"
    rm "$DIR/events-$EVENTS.jsonl"
    t1=$(now)
    "$GENUINE" ingest --db "$DB" "$DIR/events-$EVENTS.head" > /dev/null
    t2=$(now)
    snap=$("$GENUINE" store snapshot --db "$DB")
    t3=$(now)
    "$GENUINE" ingest --db "$DB" "$DIR/events-$EVENTS.tail" > /dev/null
    t4=$(now)
    rm -f "$DIR/events-$EVENTS.head" "$DIR/events-$EVENTS.tail"
    python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$snap" "$n" "$cut" <<'PY'
import json, sys
t = [float(x) for x in sys.argv[1:6]]
s = json.loads(sys.argv[6])
print(f"store: {int(sys.argv[7]):,} events ({int(sys.argv[8]):,} before the snapshot); "
      f"simulate {t[1]-t[0]:.0f} s, ingest {t[2]-t[1]:.0f} s + {t[4]-t[3]:.0f} s; "
      f"snapshot {s['bytes']/1e6:,.0f} MB written in {s['seconds']:.1f} s "
      f"(the command {t[3]-t[2]:.0f} s, its own join replaying the whole log "
      f"{s['join_seconds']:.1f} s, {s['replayed']:,} events)")
PY
fi
ls -l "$DB" | awk '{printf "store file: %.0f MB\n", $5 / 1e6}'

run() { # run LABEL [ENV...]: one join, its figures as a JSON line
    local label=$1; shift
    local out
    out=$(env "$@" /usr/bin/time -f '%e %M' "$GENUINE" store join --db "$DB" 2> "$DIR/time.err")
    echo "$label $(tail -n 1 "$DIR/time.err") $out"
}
for r in $(seq "$RUNS"); do
    [ "${SKIP_FULL:-0}" = 1 ] || run full GENUINE_NO_SNAPSHOT=1
    run fast
done | python3 -c '
import json, sys
rows = {"full": [], "fast": []}
for line in sys.stdin:
    label, wall, rss, js = line.split(" ", 3)
    d = json.loads(js)
    rows[label].append((d["join_seconds"], float(wall), int(rss) / 1e6, d["joined_from"], d["replayed"],
                        d["read_seconds"], d["load_seconds"]))
for label, name in (("full", "replaying the whole log"), ("fast", "from the snapshot")):
    for j, wall, rss, at, replayed, read, load in rows[label]:
        how = f" (read {read:.2f} s, loaded {load:.2f} s, the rest {j - read - load:.2f} s)" if at else ""
        print(f"{name:24} ready in {j:7.2f} s{how}; the command {wall:6.2f} s, {rss:5.2f} GB "
              f"resident; joined at {at:,}, replayed {replayed:,} events")
'
echo "load: $(cut -d" " -f1-3 /proc/loadavg); $(nproc) cores; commit $(git rev-parse --short HEAD 2>/dev/null || echo ?); $(date -u +%Y-%m-%dT%H:%MZ)"
