#!/usr/bin/env bash
# The console's speed on a large store (issue 15: a million listings, the
# dashboard interactive in under 1 s, a queue item open in under 150 ms):
# the bench corpus's listings (genuine simulate --profile bench) ingested
# into a fresh store, `genuine serve` on
# loopback, the API's reads timed with curl, then Debian's chromium driven
# by playwright-core (bench/console_timings.mjs) times the pages themselves.
#   bench/run_console.sh                 LISTINGS=1000000 RUNS=5
#   LISTINGS=200000 bench/run_console.sh a smaller store
set -euo pipefail

B=${B:-build}
LISTINGS=${LISTINGS:-1000000}
RUNS=${RUNS:-5}
[ -n "${NO_BUILD:-}" ] || make -s B="$B" "$B/genuine"
GENUINE=$(cd "$(dirname "$B/genuine")" && pwd)/genuine
TMP=${KEEP_DIR:-$(mktemp -d)}
PID=""
cleanup() {
    [ -z "$PID" ] || { kill "$PID" 2>/dev/null || true; wait "$PID" 2>/dev/null || true; }
    [ -n "${KEEP_DIR:-}" ] || rm -rf "$TMP"
}
trap cleanup EXIT
DB=$TMP/console.db

if [ ! -f "$DB" ]; then
    "$B/genuine" simulate --profile bench --listings "$LISTINGS" --out "$TMP/corpus.jsonl"
    start=$(date +%s.%N)
    "$GENUINE" ingest --db "$DB" "$TMP/corpus.jsonl" > "$TMP/ingest.json"
    echo "ingest: $(wc -l < "$TMP/corpus.jsonl") events in $(echo "$(date +%s.%N) - $start" | bc) s: $(cat "$TMP/ingest.json")"
    rm -f "$TMP/corpus.jsonl"
fi
export KEY_PLATFORM=$("$GENUINE" key add --db "$DB" --role platform 2>/dev/null)
export KEY_R1=$("$GENUINE" key add --db "$DB" --role reviewer --account R1 2>/dev/null)

start=$(date +%s.%N)
"$GENUINE" serve --db "$DB" --listen 127.0.0.1:0 --no-clock --train-every 0 2> "$TMP/serve.log" &
PID=$!
for _ in $(seq 6000); do grep -q 'serving on' "$TMP/serve.log" && break; sleep 0.1; done
export URL=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/serve.log")
echo "serve: replayed the store and listening in $(echo "$(date +%s.%N) - $start" | bc) s"

# median NAME METHOD PATH: RUNS requests with R1's key, the median time.
median() {
    local name=$1 method=$2 path=$3
    for _ in $(seq "$RUNS"); do
        curl -s -o /dev/null -w '%{time_total}\n' -X "$method" -H "Authorization: Bearer $KEY_R1" "$URL$path"
    done | sort -n | awk -v n="$name" '{t[NR]=$1} END {printf "%-44s %7.1f ms (median of %d)\n", n, 1000*t[int((NR+1)/2)], NR}'
}
curl -s -H "Authorization: Bearer $KEY_R1" "$URL/v1/stats?since=2000-01-01&until=2100-01-01" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print("store:", j["listings_by_status"], "days:", j["period"]["days"])'
median "GET /v1/stats over all days" GET "/v1/stats?since=2000-01-01&until=2100-01-01"
BRAND=$(curl -s -H "Authorization: Bearer $KEY_R1" "$URL/v1/stats?since=2000-01-01&until=2100-01-01" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["period"]["top_brands"][0]["id"])')
export BRAND
median "GET /v1/stats over all days, one brand" GET "/v1/stats?since=2000-01-01&until=2100-01-01&brand=$BRAND"
median "GET /v1/stats (the old summary: store scans)" GET "/v1/stats"
median "POST /v1/claims (the next held listing)" POST "/v1/claims"
median "GET /v1/queue?limit=1" GET "/v1/queue?limit=1"
# the policy backtest: a rule holding every allowed listing, over the newest 10,000
printf '{"rule":"function decide(l) if l.action == \\"allow\\" then return {action = \\"review\\"} end end","days":366,"max_listings":10000,"seconds":60}' > "$TMP/rule.json"
KEY_P=$("$GENUINE" key add --db "$DB" --role platform 2>/dev/null)
curl -s -H "Authorization: Bearer $KEY_P" --data-binary "@$TMP/rule.json" "$URL/v1/backtest" |
    python3 -c 'import json,sys; j=json.load(sys.stdin); print("POST /v1/backtest, %d listings: %d ms (read %d ms), %d changed, complete %s" % (j["decided"], j["elapsed_ms"], j["read_ms"], j["changed"], j["complete"]))'
(cd web && node ../bench/console_timings.mjs)
