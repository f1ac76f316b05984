#!/usr/bin/env bash
# The HTTP benchmark, end to end: builds, starts `genuine serve` on loopback
# over a fresh store, runs bench_http several times and prints the medians,
# then the cost of API-key checking (a key vs --no-auth, and in process) and of
# the permission checks on the workflow reads (one complaint read as the
# platform, its rights holder and a seller; and in process).
#   bench/run_http.sh            RUNS=3 SECONDS_EACH=5 CONNECTIONS=2 by default
#   NO_BUILD=1 B=build-http bench/run_http.sh    use binaries already built
#   PARTS="reads" bench/run_http.sh              only some parts (listings keys reads)
set -euo pipefail

B=${B:-build}
RUNS=${RUNS:-3}
SECONDS_EACH=${SECONDS_EACH:-5}
CONNECTIONS=${CONNECTIONS:-2}
PARTS=${PARTS:-listings keys reads}
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

has() { [[ " $PARTS " == *" $1 "* ]]; }

start noauth --no-auth
has listings && for r in $(seq "$RUNS"); do
    "$CLIENT" --url "$URL_noauth" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" | tee -a "$TMP/runs"
done

# Key checking: a second server that checks keys, runs alternated with the
# first so drift in the machine's load hits both alike.
KEY=$("$GENUINE" key add --role platform --db "$TMP/auth.db")
start auth
has keys && for r in $(seq "$RUNS"); do
    "$CLIENT" --url "$URL_noauth" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" --only flat |
        sed 's/^single_flat_out/noauth_flat/' | tee -a "$TMP/runs"
    "$CLIENT" --url "$URL_auth" --key "$KEY" --connections "$CONNECTIONS" --seconds "$SECONDS_EACH" --only flat |
        sed 's/^single_flat_out/auth_flat/' | tee -a "$TMP/runs"
done
has keys && "$CLIENT" --auth-micro "$TMP/micro.db" | tee -a "$TMP/runs"

# Permission checks on the workflow reads: a complaint naming three listings
# of two sellers, read flat out as the platform (no check past the role), as
# the rights holder who filed it (the record is read, then its owner
# compared) and as one of the sellers (the engine cuts it down to that
# seller's notices): runs alternated, as above.
if has reads; then
    keyr() { "$GENUINE" key add --db "$TMP/reads.db" "$@"; }
    KEY_P=$(keyr --role platform)
    KEY_H=$(keyr --role rights_holder --account H1)
    KEY_S=$(keyr --role seller --account S1)
    start reads --no-clock
    cat > "$TMP/reads.jsonl" <<'EOF'
{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"B1","name":"Lumora"}
{"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"S1","name":"Shop one"}
{"type":"seller","id":"s2","at":"2026-11-01T00:00:00Z","seller":"S2","name":"Shop two"}
{"type":"listing","id":"l1","at":"2026-11-02T00:00:00Z","listing":"L1","seller":"S1","title":"Lumora tote","price":900,"currency":"USD","brand":"B1"}
{"type":"listing","id":"l2","at":"2026-11-02T00:00:00Z","listing":"L2","seller":"S1","title":"Lumora bag","price":900,"currency":"USD","brand":"B1"}
{"type":"listing","id":"l3","at":"2026-11-02T00:00:00Z","listing":"L3","seller":"S2","title":"Lumora case","price":900,"currency":"USD","brand":"B1"}
{"type":"ip_right","id":"r1","at":"2026-11-03T00:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EUTM 1","holder":"H1","jurisdiction":"EU","classes":["18"],"valid_until":"2030-01-01T00:00:00Z"}
{"type":"verdict","id":"v1","at":"2026-11-03T01:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"P1"}
{"type":"complaint","id":"c1","at":"2026-11-04T00:00:00Z","complaint":"C1","rights_holder":"H1","right":"TM1","listings":["L1","L2","L3"]}
EOF
    curl -sf -H "Authorization: Bearer $KEY_P" --data-binary "@$TMP/reads.jsonl" "$URL_reads/v1/events" |
        grep -q '"id":"c1","status":"accepted"' || { echo "run_http: setting up the complaint failed" >&2; exit 1; }
    for r in $(seq "$RUNS"); do
        for who in platform:$KEY_P holder:$KEY_H seller:$KEY_S; do
            "$CLIENT" --url "$URL_reads" --key "${who#*:}" --connections "$CONNECTIONS" \
                --seconds "$SECONDS_EACH" --get /v1/complaints/C1 |
                sed "s/^get /read_${who%%:*} /" | tee -a "$TMP/runs"
        done
    done
    for r in $(seq "$RUNS"); do
        rm -f "$TMP"/perm.db*
        "$CLIENT" --perm-micro "$TMP/perm.db" | tee -a "$TMP/runs"
    done
fi

cat <<EOF

medians of $RUNS runs:
  batches of 100 listings:      $(median batch listings_per_s "$TMP/runs") listings/s  (p50 $(median batch p50_ms "$TMP/runs") ms, p99 $(median batch p99_ms "$TMP/runs") ms per request; target >= 20000 listings/s)
  single listings at 1000/s:    $(median single_fixed_rate rps "$TMP/runs") req/s  p50 $(median single_fixed_rate p50_ms "$TMP/runs") ms  p99 $(median single_fixed_rate p99_ms "$TMP/runs") ms  (target p99 < 5 ms)
  single listings flat out:     $(median single_flat_out rps "$TMP/runs") req/s  p50 $(median single_flat_out p50_ms "$TMP/runs") ms  p99 $(median single_flat_out p99_ms "$TMP/runs") ms
  key checking, flat out:       --no-auth $(median noauth_flat rps "$TMP/runs") req/s (p50 $(median noauth_flat p50_ms "$TMP/runs") ms), with a key $(median auth_flat rps "$TMP/runs") req/s (p50 $(median auth_flat p50_ms "$TMP/runs") ms)
  key check in process:         $(median auth_micro cached_check_us "$TMP/runs") us from the cache, $(median auth_micro store_check_us "$TMP/runs") us from the store
  GET /v1/complaints/C1 flat out:
    as the platform:            $(median read_platform rps "$TMP/runs") req/s  p50 $(median read_platform p50_ms "$TMP/runs") ms  p99 $(median read_platform p99_ms "$TMP/runs") ms
    as its rights holder:       $(median read_holder rps "$TMP/runs") req/s  p50 $(median read_holder p50_ms "$TMP/runs") ms  p99 $(median read_holder p99_ms "$TMP/runs") ms  (owner checked)
    as a seller it names:       $(median read_seller rps "$TMP/runs") req/s  p50 $(median read_seller p50_ms "$TMP/runs") ms  p99 $(median read_seller p99_ms "$TMP/runs") ms  (cut to its notices)
  permission checks in process: read as the platform $(median perm_micro read_check_platform_ns "$TMP/runs") ns, as the rights holder (owner compared) $(median perm_micro read_check_holder_ns "$TMP/runs") ns,
                                a seller's own list $(median perm_micro read_check_self_ns "$TMP/runs") ns; the complaint read itself $(median perm_micro complaint_read_ns "$TMP/runs") ns
                                (cut to a seller's notices $(median perm_micro complaint_read_seller_ns "$TMP/runs") ns);
                                a seller's post of a $(median perm_micro listing_bytes "$TMP/runs")-byte listing $(median perm_micro post_check_seller_ns "$TMP/runs") ns (a jansson parse of it: $(median perm_micro post_jansson_parse_ns "$TMP/runs") ns)
EOF
