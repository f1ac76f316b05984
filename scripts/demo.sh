#!/usr/bin/env bash
# make demo: the demo marketplace loaded, summarised and served on localhost:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
exec build/genuine demo "$@" examples/marketplace.jsonl
