#!/usr/bin/env bash
# genuine on PostgreSQL beside SQLite (docs/scale.md), on this machine, with
# a PostgreSQL that tests/pg/start.sh starts on loopback and stops at the end:
#  1. `genuine ingest` of the same corpus (genuine simulate --profile bench) into a
#     fresh SQLite file and a fresh PostgreSQL database, RUNS times each,
#     alternating: listing events per second (wall);
#  2. `genuine serve` on each store, bench_http's batches of 100 listings from
#     CONNECTIONS clients, RUNS times each, alternating: listings/s and the CPU
#     per listing of the node, the server and the load generator;
#  3. two `genuine serve` nodes on one database: a ban posted to node A, then
#     a linked seller's listing posted to node B, TRIALS times: how long from
#     A's answer to B's decision holding the listing (SELLER_LINKED_TO_BANNED),
#     and to B's in-memory seller view showing the ban (GET /v1/sellers),
#     median and p99.
#   bash bench/run_scale.sh     LISTINGS=200000 RUNS=3 TRIALS=200 SECONDS_EACH=5 CONNECTIONS=16
#   SKIP_INGEST=1 skips part 1, SKIP_BANS=1 part 3.
set -euo pipefail
cd "$(dirname "$0")/.."
LISTINGS=${LISTINGS:-200000}
RUNS=${RUNS:-3}
TRIALS=${TRIALS:-200}
SECONDS_EACH=${SECONDS_EACH:-5}
CONNECTIONS=${CONNECTIONS:-16}
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
median() { sort -n | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
if [ -z "${SKIP_INGEST:-}" ]; then
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
s=$(awk '$1 == "sqlite" {print $2}' "$TMP/rates" | median)
p=$(awk '$1 == "postgres" {print $2}' "$TMP/rates" | median)
echo "  medians: sqlite $(printf %.0f "$s"), postgres $(printf %.0f "$p") listing events/s:" \
     "postgres $(awk "BEGIN{printf \"%.0f\", 100 * $p / $s}")% of sqlite"
fi

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

# 2. HTTP batches of 100, RUNS times each, alternating, each on a fresh store:
# listings/s (wall), latency, and the CPU each process spent per listing
# (the node, the PostgreSQL server's processes, the load generator), which
# hold still where wall times swing with the machine's other load; on
# PostgreSQL also how many events one commit carried (group commit: requests
# decided during a commit's flush share the next one).
postmaster=$(head -1 "$(cat "$TMP/pg/cluster")/data/postmaster.pid")
server_ticks() { # the server's processes' CPU so far (with what it reaped), in clock ticks
    local t=0 p
    for p in "$postmaster" $(pgrep -P "$postmaster"); do
        t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2> /dev/null || echo 0)))
    done
    echo "$t"
}
node_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)
echo "run_scale: $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg) before part 2"
echo "2. HTTP, batches of 100 listings, $CONNECTIONS connections, ${SECONDS_EACH} s, $RUNS runs each, alternating:"
: > "$TMP/http"
for r in $(seq "$RUNS"); do
    for store in sqlite postgres; do
        if [ "$store" = sqlite ]; then
            rm -f "$TMP"/h.db*
            start h "sqlite:$TMP/h.db"
        else
            url=$(fresh http)
            start h "$url"
        fi
        node=${PIDS[-1]}
        n0=$(node_ticks "$node")
        s0=$(server_ticks)
        line=$(/usr/bin/time -f "time %U %S" build/bench/bench_http --url "$URL_h" --only batch \
            --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" 2>&1 | grep -E '^batch|^time')
        n1=$(node_ticks "$node")
        s1=$(server_ticks)
        kill "$node"
        wait "$node" 2> /dev/null || true
        unset 'PIDS[-1]'
        rate=$(sed -n 's/.*listings_per_s=\([0-9]*\).*/\1/p' <<< "$line")
        n=$(sed -n 's/.* requests=\([0-9]*\).*/\1/p' <<< "$line")
        listings=$((n * 100))
        per() { awk "BEGIN{printf \"%.1f\", $1 * 1e6 / $listings}"; }
        node_us=$(per "($n1 - $n0) / $hz")
        server_us=0 per_commit=""
        if [ "$store" = postgres ]; then
            server_us=$(per "($s1 - $s0) / $hz")
            per_commit=", $(psql -qXAt "$url" -c "SELECT round(count(*)::numeric / count(DISTINCT xmin::text)) FROM events") events per commit"
        fi
        load_us=$(per "$(awk '/^time/ {print $2 + $3}' <<< "$line")")
        echo "  $store: $rate listings/s, $(grep -o 'p50_ms=[0-9.]* p99_ms=[0-9.]*' <<< "$line");" \
             "CPU per listing: node ${node_us} us, server ${server_us} us, load generator ${load_us} us$per_commit" \
             "(load $(cut -d' ' -f1 /proc/loadavg))"
        echo "$store $rate $node_us $server_us" >> "$TMP/http"
    done
done
for store in sqlite postgres; do
    echo "  median $store: $(awk -v s=$store '$1 == s {print $2}' "$TMP/http" | median) listings/s," \
         "CPU per listing: node $(awk -v s=$store '$1 == s {print $3}' "$TMP/http" | median) us," \
         "server $(awk -v s=$store '$1 == s {print $4}' "$TMP/http" | median) us"
done
PIDS=()

# 3. a ban on node A, seen by node B
[ -n "${SKIP_BANS:-}" ] && exit 0
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
