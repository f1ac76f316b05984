#!/usr/bin/env bash
# CPU of one `genuine ingest` into PostgreSQL, split between genuine and the
# PostgreSQL server (its backend, WAL writer and checkpointer: the server's
# processes and the children its postmaster reaped), beside the same ingest
# into SQLite: the figures behind docs/scale.md's capacity model, which do
# not depend on how busy the machine is the way wall times do.
#   bash bench/pg_cpu.sh      LISTINGS=100000 RUNS=3
set -euo pipefail
cd "$(dirname "$0")/.."
LISTINGS=${LISTINGS:-100000}
RUNS=${RUNS:-3}
make -s build/genuine
TMP=$(mktemp -d)
trap 'tests/pg/stop.sh "$TMP/pg"; rm -rf "$TMP"' EXIT
PG=$(tests/pg/start.sh "$TMP/pg")
build/genuine simulate --profile bench --listings "$LISTINGS" --out "$TMP/corpus.jsonl"
LISTING_EVENTS=$(grep -c '"type":"listing"' "$TMP/corpus.jsonl")
server_ticks() { # the server's CPU so far, in clock ticks
    local t=0 p
    for p in $(pgrep -u "$(stat -c %U "$(cat "$TMP/pg/cluster")")" -f 'postgres'); do
        t=$((t + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
    done
    echo "$t"
}
hz=$(getconf CLK_TCK)
echo "pg_cpu: $LISTING_EVENTS listing events ($(wc -l < "$TMP/corpus.jsonl") events); load $(cut -d' ' -f1 /proc/loadavg)"
for r in $(seq "$RUNS"); do
    psql -qX "$PG" -c 'DROP DATABASE IF EXISTS b' -c 'CREATE DATABASE b' > /dev/null 2>&1
    before=$(server_ticks)
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" build/genuine ingest --store "${PG%/postgres}/b" "$TMP/corpus.jsonl" > /dev/null
    sleep 1 # the backend's exit reaped by the postmaster
    after=$(server_ticks)
    read -r wall user sys < "$TMP/t"
    g=$(awk "BEGIN{print $user + $sys}")
    p=$(awk "BEGIN{print ($after - $before) / $hz}")
    rm -f "$TMP"/s.db*
    /usr/bin/time -f "%e %U %S" -o "$TMP/t" build/genuine ingest --db "$TMP/s.db" "$TMP/corpus.jsonl" > /dev/null
    read -r swall suser ssys < "$TMP/t"
    s=$(awk "BEGIN{print $suser + $ssys}")
    echo "run $r: postgres: genuine ${g} s cpu, server ${p} s cpu, wall ${wall} s;" \
         "sqlite: ${s} s cpu, wall ${swall} s;" \
         "listing events/s per core: genuine on postgres $(awk "BEGIN{printf \"%.0f\", $LISTING_EVENTS / $g}")," \
         "postgres server $(awk "BEGIN{printf \"%.0f\", $LISTING_EVENTS / $p}")," \
         "sqlite $(awk "BEGIN{printf \"%.0f\", $LISTING_EVENTS / $s}")"
done
