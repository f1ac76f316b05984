#!/usr/bin/env bash
# `genuine ingest` of a million mixed events (listings, updates, sellers,
# sessions, orders, reviews, shipments, reports, complaints, verdicts) into a
# fresh store: wall time, CPU time and peak memory, for RUNS runs.
#   bash bench/run_ingest.sh            (EVENTS=1000000 RUNS=3 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${EVENTS:-1000000}
RUNS=${RUNS:-3}
make -s build/genuine
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
build/genuine simulate --profile bench --mixed "$EVENTS" --out "$TMP/mixed.jsonl"
echo "run_ingest: $EVENTS mixed events, $(du -m "$TMP/mixed.jsonl" | cut -f1) MB; $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
for r in $(seq "$RUNS"); do
    rm -f "$TMP"/db*
    /usr/bin/time -f "%e %U %S %M" -o "$TMP/time" build/genuine ingest --db "$TMP/db" "$TMP/mixed.jsonl" > "$TMP/out"
    read -r wall user sys rss < "$TMP/time"
    echo "run $r: $(cat "$TMP/out") wall ${wall} s, cpu $(awk "BEGIN{print $user + $sys}") s, peak RSS $((rss / 1024)) MB"
done
