#!/usr/bin/env bash
# make demo: the demo marketplace loaded into build/demo/genuine.db (fresh each
# time, so the demo always shows the same), summarised and served on
# localhost:8080. Every other command reads it with --db build/demo/genuine.db.
set -euo pipefail
cd "$(dirname "$0")/.."
mkdir -p build/demo
rm -f build/demo/genuine.db build/demo/genuine.db-wal build/demo/genuine.db-shm
exec build/genuine demo --db build/demo/genuine.db "$@" examples/marketplace.jsonl
