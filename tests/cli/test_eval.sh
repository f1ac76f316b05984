#!/usr/bin/env bash
# End-to-end: a simulated marketplace written to files and evaluated from
# them (as a marketplace generated elsewhere would be), the same evaluated in
# process, `genuine train` on a store with verdicts, and bad usage.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

"$GENUINE" simulate --seed 7 --listings 2000 --days 10 --out "$TMP/events.jsonl" --truth "$TMP/truth.csv" --quiet
check "simulate wrote events" test -s "$TMP/events.jsonl"
check "simulate wrote the truth" grep -q '^listing,' "$TMP/truth.csv"

"$GENUINE" eval --seed 7 --events "$TMP/events.jsonl" --truth "$TMP/truth.csv" --warmup-days 3 \
    --json "$TMP/figures.json" > "$TMP/table.txt"
check "the table names the headline figure" grep -q "pre-sale removal" "$TMP/table.txt"
check "the figures are sane" python3 - "$TMP/figures.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
assert f["counterfeit"] > 30 and f["genuine"] > 700, f
assert 0.5 <= f["presale_removal"] <= 1, f["presale_removal"]
assert 0 <= f["false_takedowns"] <= 0.05, f["false_takedowns"]
assert 0 <= f["review_load"] <= 0.2, f["review_load"]
assert f["verdicts"] > 0 and f["by_tactic"], f
PY

# In process, with the same seed: the same marketplace, so the same figures.
"$GENUINE" eval --seed 7 --listings 2000 --days 10 --warmup-days 3 --json "$TMP/again.json" > /dev/null
check "eval in process agrees with eval from files" \
    python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); k=("presale_removal","false_takedowns","review_load","counterfeit"); assert all(a[x]==b[x] for x in k), (a,b)' \
    "$TMP/figures.json" "$TMP/again.json"

# genuine train on a store: no labels yet is a clear error; with verdicts, a model.
"$GENUINE" ingest --db "$TMP/t.db" "$TMP/events.jsonl" > /dev/null
set +e
"$GENUINE" train --db "$TMP/t.db" > /dev/null 2> "$TMP/err"; rc=$?
set -e
check "train without verdicts exits 1 (got $rc)" [ $rc -eq 1 ]
check "and says why: $(cat "$TMP/err")" grep -q "not enough labels" "$TMP/err"
python3 - "$TMP/truth.csv" > "$TMP/verdicts.jsonl" <<'PY'
import csv, sys
for i, r in enumerate(csv.DictReader(open(sys.argv[1]))):
    if i % 3 == 0:
        print('{"type":"verdict","id":"tv%d","at":"2027-01-01T00:00:00Z","subject":"listing","target":"%s","outcome":"%s","reviewer":"r1"}'
              % (i, r["listing"], "counterfeit" if r["counterfeit"] == "1" else "genuine"))
PY
"$GENUINE" ingest --db "$TMP/t.db" "$TMP/verdicts.jsonl" > /dev/null
"$GENUINE" train --db "$TMP/t.db" > "$TMP/model.json"
check "train prints the model and its figures: $(cat "$TMP/model.json")" \
    python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); assert m["model"]==1 and m["rows"]>300 and m["held_out"]["auc"]>0.8, m' "$TMP/model.json"

# genuine serve retrains on its schedule (here every 1.8 s) while serving.
"$GENUINE" serve --db "$TMP/t.db" --no-auth --listen 127.0.0.1:0 --train-every 0.0005 2> "$TMP/serve.log" &
SERVER=$!
for _ in $(seq 150); do grep -q "model 2 learned" "$TMP/serve.log" && break; sleep 0.1; done
kill "$SERVER"; wait "$SERVER" || true
check "serve learned model 2 on its schedule: $(tr '\n' ' ' < "$TMP/serve.log")" grep -q "model 2 learned" "$TMP/serve.log"

set +e
"$GENUINE" eval --events "$TMP/events.jsonl" > /dev/null 2>&1; rc=$?
check "eval with --events but no --truth exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" eval --events "$TMP/events.jsonl" --truth "$TMP/events.jsonl" > /dev/null 2> "$TMP/err"; rc=$?
check "a truth file without the columns exits 1 (got $rc)" [ $rc -eq 1 ]
check "and names the file and line: $(cat "$TMP/err")" grep -q "events.jsonl:1:" "$TMP/err"
set -e

finish
