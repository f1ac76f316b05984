#!/usr/bin/env bash
# The HTTP benchmark, end to end: builds, starts `genuine serve` on loopback
# over a fresh store, runs bench_http several times and prints the medians,
# then the cost of API-key checking (a key vs --no-auth, and in process).
#   bench/run_http.sh            RUNS=3 SECONDS_EACH=5 CONNECTIONS=2 by default
#   NO_BUILD=1 B=build-http bench/run_http.sh    use binaries already built
set -euo pipefail

B=${B:-build}
RUNS=${RUNS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
CONNECTIONS=${CONNECTIONS:-2}
[ -n "${NO_BUILD:-}" ] || make -s B="$B" "$B/genuine" "$B/bench/bench_http"
GENUINE=$B/genuine
CLIENT=$B/bench/bench_http

TMP=$(mktemp -d)
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
    rm -rf "$TMP"
}
trap cleanup EXIT

# start NAME ARGS...: a server on a free loopback port; sets URL_<NAME>.
start() {
    local name=$1; shift
    "$GENUINE" serve --db "$TMP/$name.db" --listen 127.0.0.1:0 "$@" 2> "$TMP/$name.log" &
    PIDS+=($!)
    for _ in $(seq 200); do
        if grep -q 'serving on' "$TMP/$name.log"; then
            printf -v "URL_$name" '%s' "$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/$name.log")"
            return 0
        fi
        sleep 0.05
    done
    cat "$TMP/$name.log" >&2
    exit 1
}

# median PHASE FIELD FILE: the median of FIELD over the lines of PHASE.
median() {
    grep "^$1 " "$3" | tr ' ' '\n' | sed -n "s/^$2=//p" | sort -g |
        awk '{v[NR]=$1} END {if (NR==0) print "-"; else if (NR%2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'
}

echo "how: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "     genuine $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $CONNECTIONS connections, HTTP/1.1 keep-alive on loopback,"
echo "     $RUNS runs of $SECONDS_EACH s per figure, fresh SQLite store (WAL), server: 2 MHD threads, client on the same machine"

start noauth --no-auth
for r in $(seq "$RUNS"); do
    "$CLIENT" --url "$URL_noauth" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" | tee -a "$TMP/runs"
done

# Key checking: a second server that checks keys, runs alternated with the
# first so drift in the machine's load hits both alike.
KEY=$("$GENUINE" key add --role platform --db "$TMP/auth.db")
start auth
for r in $(seq "$RUNS"); do
    "$CLIENT" --url "$URL_noauth" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" --only flat |
        sed 's/^single_flat_out/noauth_flat/' | tee -a "$TMP/runs"
    "$CLIENT" --url "$URL_auth" --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" --only flat |
        sed 's/^single_flat_out/auth_flat/' | tee -a "$TMP/runs"
done
"$CLIENT" --auth-micro "$TMP/micro.db" | tee -a "$TMP/runs"

cat <<EOF

medians of $RUNS runs:
  batches of 100 listings:      $(median batch listings_per_s "$TMP/runs") listings/s  (p50 $(median batch p50_ms "$TMP/runs") ms, p99 $(median batch p99_ms "$TMP/runs") ms per request; target >= 20000 listings/s)
  single listings at 1000/s:    $(median single_fixed_rate rps "$TMP/runs") req/s  p50 $(median single_fixed_rate p50_ms "$TMP/runs") ms  p99 $(median single_fixed_rate p99_ms "$TMP/runs") ms  (target p99 < 5 ms)
  single listings flat out:     $(median single_flat_out rps "$TMP/runs") req/s  p50 $(median single_flat_out p50_ms "$TMP/runs") ms  p99 $(median single_flat_out p99_ms "$TMP/runs") ms
  key checking, flat out:       --no-auth $(median noauth_flat rps "$TMP/runs") req/s (p50 $(median noauth_flat p50_ms "$TMP/runs") ms), with a key $(median auth_flat rps "$TMP/runs") req/s (p50 $(median auth_flat p50_ms "$TMP/runs") ms)
  key check in process:         $(median auth_micro cached_check_us "$TMP/runs") us from the cache, $(median auth_micro store_check_us "$TMP/runs") us from the store
EOF
