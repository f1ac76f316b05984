#!/usr/bin/env bash
# genuine on PostgreSQL beside SQLite (docs/scale.md), on this machine, with
# a PostgreSQL that tests/pg/start.sh starts on loopback and stops at the end:
#  1. `genuine ingest` of the same corpus (genuine simulate --profile bench) into a
#     fresh SQLite file and a fresh PostgreSQL database, RUNS times each,
#     alternating: listing events per second (wall);
#  2. `genuine serve` on each store, bench_http's batches of 100 listings;
#  3. two `genuine serve` nodes on one database: a ban posted to node A, then
#     a linked seller's listing posted to node B, TRIALS times: how long from
#     A's answer to B's decision holding the listing (SELLER_LINKED_TO_BANNED),
#     and to B's in-memory seller view showing the ban (GET /v1/sellers),
#     median and p99.
#   bash bench/run_scale.sh     LISTINGS=200000 RUNS=3 TRIALS=200 SECONDS_EACH=5
set -euo pipefail
cd "$(dirname "$0")/.."
LISTINGS=${LISTINGS:-200000}
RUNS=${RUNS:-3}
TRIALS=${TRIALS:-200}
SECONDS_EACH=${SECONDS_EACH:-5}
make -s build/genuine build/bench/bench_http
TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    tests/pg/stop.sh "$TMP/pg"
    rm -rf "$TMP"
}
trap cleanup EXIT
PG=$(tests/pg/start.sh "$TMP/pg")
BASE=${PG%/postgres}
fresh() { # fresh NAME: an empty database, its URL on stdout
    psql -qX "$PG" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" > /dev/null 2>&1
    echo "$BASE/$1"
}
build/genuine simulate --profile bench --listings "$LISTINGS" --out "$TMP/corpus.jsonl"
EVENTS=$(wc -l < "$TMP/corpus.jsonl")
LISTING_EVENTS=$(grep -c '"type":"listing"' "$TMP/corpus.jsonl")
echo "run_scale: $EVENTS events ($LISTING_EVENTS listing events), $(du -m "$TMP/corpus.jsonl" | cut -f1) MB;" \
     "$(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg); $(psql -qXAt "$PG" -c 'SHOW server_version')"

# 1. ingest
ingest() { # ingest NAME STORE
    /usr/bin/time -f "%e %U %S" -o "$TMP/time" build/genuine ingest --store "$2" "$TMP/corpus.jsonl" > "$TMP/out"
    read -r wall user sys < "$TMP/time"
    echo "  $1: $(cat "$TMP/out") wall ${wall} s, genuine's cpu $(awk "BEGIN{print $user + $sys}") s," \
         "$(awk "BEGIN{printf \"%.0f\", $LISTING_EVENTS / $wall}") listing events/s"
    echo "$1 $(awk "BEGIN{print $LISTING_EVENTS / $wall}")" >> "$TMP/rates"
}
echo "1. genuine ingest, the same corpus, alternating:"
for r in $(seq "$RUNS"); do
    rm -f "$TMP"/s.db*
    ingest sqlite "sqlite:$TMP/s.db"
    ingest postgres "$(fresh ingest)"
done
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
s=$(awk '$1 == "sqlite" {print $2}' "$TMP/rates" | median)
p=$(awk '$1 == "postgres" {print $2}' "$TMP/rates" | median)
echo "  medians: sqlite $(printf %.0f "$s"), postgres $(printf %.0f "$p") listing events/s:" \
     "postgres $(awk "BEGIN{printf \"%.0f\", 100 * $p / $s}")% of sqlite"

# start NAME STORE: a node on a free loopback port; sets URL_<NAME>
start() {
    local name=$1 store=$2
    : > "$TMP/$name.log"
    build/genuine serve --store "$store" --listen 127.0.0.1:0 --no-auth 2> "$TMP/$name.log" &
    PIDS+=($!)
    for _ in $(seq 200); do
        if grep -q 'serving on' "$TMP/$name.log"; then
            eval "URL_$name=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/$name.log")"
            return 0
        fi
        sleep 0.05
    done
    cat "$TMP/$name.log" >&2
    exit 1
}

# 2. HTTP batches of 100
echo "2. HTTP, batches of 100 listings, 2 connections, ${SECONDS_EACH} s:"
rm -f "$TMP"/h.db*
start hs "sqlite:$TMP/h.db"
echo "  sqlite: $(build/bench/bench_http --url "$URL_hs" --only batch --seconds "$SECONDS_EACH" 2>&1 | grep -o 'listings_per_s=[0-9]*.*' | head -1)"
start hp "$(fresh http)"
echo "  postgres: $(build/bench/bench_http --url "$URL_hp" --only batch --seconds "$SECONDS_EACH" 2>&1 | grep -o 'listings_per_s=[0-9]*.*' | head -1)"
for pid in "${PIDS[@]}"; do kill "$pid"; wait "$pid" 2>/dev/null || true; done
PIDS=()

# 3. a ban on node A, seen by node B
NODES=$(fresh nodes)
start A "$NODES"
start B "$NODES"
echo "3. two nodes on one database, $TRIALS bans on node A:"
python3 - "$URL_A" "$URL_B" "$TRIALS" <<'EOF'
import json, sys, time, urllib.request

a, b, trials = sys.argv[1], sys.argv[2], int(sys.argv[3])

def post(url, events):
    req = urllib.request.Request(url + "/v1/events", json.dumps(events).encode(),
                                 {"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())["results"]

def get(url, path):
    with urllib.request.urlopen(url + path, timeout=10) as r:
        return json.loads(r.read())

def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(p * len(v)))]

decided, viewed = [], []
at = "2026-11-01T00:00:00Z"
for i in range(trials):
    bad, linked = f"ban-{i}", f"linked-{i}"
    post(a, [{"type": "seller", "id": f"s{i}a", "at": at, "seller": bad, "name": "Banned"},
             {"type": "seller", "id": f"s{i}b", "at": at, "seller": linked, "name": "Linked"},
             {"type": "session", "id": f"d{i}a", "at": at, "account": bad, "device": f"dev-{i}"},
             {"type": "session", "id": f"d{i}b", "at": at, "account": linked, "device": f"dev-{i}"}])
    r = post(a, [{"type": "verdict", "id": f"ban-a-{i}", "at": "2026-11-02T00:00:00Z",
                  "subject": "seller", "target": bad, "outcome": "banned", "reviewer": "R"}])
    assert r[0]["status"] == "accepted", r
    t0 = time.monotonic()
    n = 0
    while True:  # B's next decision on the linked seller
        n += 1
        r = post(b, [{"type": "listing", "id": f"l{i}-{n}", "at": "2026-11-03T00:00:00Z",
                      "listing": f"L{i}-{n}", "seller": linked, "title": "Canvas tote bag",
                      "price": 20, "currency": "USD"}])
        if "SELLER_LINKED_TO_BANNED" in json.dumps(r):
            decided.append(time.monotonic() - t0)
            break
        assert time.monotonic() - t0 < 10, "node B never saw the ban"
    # B's in-memory view of a seller banned on A (followed by B's writes or clock)
    bad2 = f"ban2-{i}"
    post(a, [{"type": "seller", "id": f"s{i}c", "at": at, "seller": bad2, "name": "Banned two"}])
    post(a, [{"type": "verdict", "id": f"ban-b-{i}", "at": "2026-11-02T00:00:00Z",
              "subject": "seller", "target": bad2, "outcome": "banned", "reviewer": "R"}])
    t0 = time.monotonic()
    while True:
        try:
            if get(b, f"/v1/sellers/{bad2}").get("status") == "banned":
                viewed.append(time.monotonic() - t0)
                break
        except urllib.error.HTTPError:
            pass
        assert time.monotonic() - t0 < 10, "node B's view never showed the ban"
        time.sleep(0.005)

ms = lambda s: f"{s * 1000:.1f} ms"
print(f"  a ban on A -> B's next decision of a linked seller's listing: median "
      f"{ms(pct(decided, 0.5))}, p99 {ms(pct(decided, 0.99))}, max {ms(max(decided))} "
      f"(one POST to B: it follows the log before deciding)")
print(f"  a ban on A -> B's in-memory seller view (GET /v1/sellers, no write on B): median "
      f"{ms(pct(viewed, 0.5))}, p99 {ms(pct(viewed, 0.99))}, max {ms(max(viewed))} "
      f"(B's clock tick follows the log once a second)")
EOF
