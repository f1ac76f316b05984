#!/usr/bin/env bash
# make demo: the demo marketplace (genuine simulate --profile demo) loaded into
# build/demo/genuine.db (fresh each time, so the demo always shows the same),
# summarised and served on localhost:8080. Every other command reads it with --db build/demo/genuine.db.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/demo
rm -f build/demo/genuine.db build/demo/genuine.db-wal build/demo/genuine.db-shm
# The demo marketplace from the one event generator (the same bytes as
# examples/marketplace.jsonl, which the tests and the docs read).
build/genuine simulate --profile demo --out build/demo/marketplace.jsonl --truth build/demo/truth.csv
exec build/genuine demo --db build/demo/genuine.db "$@" build/demo/marketplace.jsonl
