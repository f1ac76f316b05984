#!/usr/bin/env bash
# End-to-end: a simulated marketplace written to files and evaluated from
# them (as a marketplace generated elsewhere would be), the same evaluated in
# process, `genuine train` on a store with verdicts, and bad usage.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

"$GENUINE" simulate --seed 7 --listings 3000 --days 10 --out "$TMP/events.jsonl" --truth "$TMP/truth.csv" --quiet
check "simulate wrote events" test -s "$TMP/events.jsonl"
check "simulate wrote the truth" grep -q '^listing,' "$TMP/truth.csv"

"$GENUINE" eval --seed 7 --events "$TMP/events.jsonl" --truth "$TMP/truth.csv" --warmup-days 3 \
    --json "$TMP/figures.json" > "$TMP/table.txt"
check "the table names the headline figures" grep -q "counterfeits held or blocked at creation" "$TMP/table.txt"
check "cold start and after learning side by side" grep -q "cold start *learned" "$TMP/table.txt"
check "the figures are sane" python3 - "$TMP/figures.json" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
c = f["cold_start"]
assert f["counterfeit"] > 30 and f["genuine"] > 700, f
assert c["counterfeit"] == f["counterfeit"] and c["genuine"] == f["genuine"], (c, f)
assert 0.5 <= f["presale_removal"] <= 1, f["presale_removal"]
assert 0.5 <= f["caught_at_creation"] <= 1 and 0.5 <= c["caught_at_creation"] <= 1, f
# learning never makes things worse than the scorer it replaces; on 2,000
# listings it may have too few recent counterfeits to replace it at all
assert 0 <= f["false_takedowns"] <= max(0.05, c["false_takedowns"]), (f["false_takedowns"], c["false_takedowns"])
assert 0 <= f["honest_taken_down"] <= f["false_takedowns"], f
assert 0 <= f["review_load"] <= 0.3, f["review_load"]
assert f["verdicts"] > 0 and f["by_tactic"], f
assert c["models"] == 0 and f["models"] > 0, (c["models"], f["models"])
# the random audit sample: about 2% of the listings, whatever genuine decided
assert f["audits"] > 0 and c["audits"] > 0, (f["audits"], c["audits"])
assert c["by_tactic"]["lingo"]["caught_at_creation"] >= 0, c["by_tactic"]["lingo"]
PY

# In process, with the same seed: the same marketplace, so the same figures.
"$GENUINE" eval --seed 7 --listings 3000 --days 10 --warmup-days 3 --json "$TMP/again.json" > /dev/null
check "eval in process agrees with eval from files" \
    python3 -c 'import json,sys; a,b=(json.load(open(p)) for p in sys.argv[1:]); k=("presale_removal","false_takedowns","review_load","counterfeit"); assert all(a[x]==b[x] for x in k), (a,b)' \
    "$TMP/figures.json" "$TMP/again.json"

# A world's events are every one accepted by genuine, and its summary names
# the world's own parameters.
"$GENUINE" simulate --world 2 --listings 2000 --days 12 --out "$TMP/w2.jsonl" --truth "$TMP/w2.csv" \
    2> "$TMP/w2-summary.json"
"$GENUINE" ingest --db "$TMP/w2.db" "$TMP/w2.jsonl" > "$TMP/w2-ingest.json" 2> "$TMP/w2-rejected.txt"
check "genuine ingest accepts every event of world 2: $(cat "$TMP/w2-ingest.json") $(head -3 "$TMP/w2-rejected.txt")" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["rejected"]==0 and r["accepted"]>4000, r' \
    "$TMP/w2-ingest.json"
check "the summary names world 2's parameters" \
    python3 -c 'import json,sys; s=json.load(open(sys.argv[1])); p=s["parameters"]; assert s["world"]==2 and 0.01<=p["audit_rate"]<=0.05 and len(p["currencies"])==4, s' \
    "$TMP/w2-summary.json"

# The profiles: --profile world is what --world alone writes; the bench
# corpus is the same bytes each time, every event accepted; options of one
# profile given to another are refused, naming them.
"$GENUINE" simulate --profile world --world 2 --listings 2000 --days 12 --out "$TMP/w2p.jsonl" \
    --truth "$TMP/w2p.csv" --quiet
check "--profile world --world 2 is --world 2" cmp "$TMP/w2.jsonl" "$TMP/w2p.jsonl"
"$GENUINE" simulate --profile bench --mixed 5000 --out "$TMP/bench.jsonl"
"$GENUINE" simulate --profile bench --mixed 5000 > "$TMP/bench-again.jsonl"
check "the bench corpus is the same bytes each time" cmp "$TMP/bench.jsonl" "$TMP/bench-again.jsonl"
check "--mixed 5000 is 5000 events" test "$(wc -l < "$TMP/bench.jsonl")" = 5000
"$GENUINE" ingest --db "$TMP/bench.db" "$TMP/bench.jsonl" > "$TMP/bench-ingest.json"
check "genuine ingest accepts every event of the bench corpus: $(cat "$TMP/bench-ingest.json")" \
    python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); assert r["rejected"]==0 and r["accepted"]==5000, r' \
    "$TMP/bench-ingest.json"
for bad in "--profile bench --days 3:--days" "--mixed 10:--mixed" "--profile world --listings 5:--world N" \
           "--profile bench --listings 3 --mixed 4:not both" "--profile nope:--profile"; do
    set +e
    out=$("$GENUINE" simulate ${bad%%:*} --out "$TMP/bad.jsonl" 2>&1)
    rc=$?
    set -e
    check "simulate ${bad%%:*} is a usage error naming ${bad#*:} ($rc: $out)" \
        test "$rc" = 2 -a -n "$(grep -F -- "${bad#*:}" <<< "$out")"
done
# The demo profile is the committed demo marketplace, byte for byte.
"$GENUINE" simulate --profile demo --out "$TMP/demo.jsonl" --truth "$TMP/demo.csv"
check "--profile demo writes examples/marketplace.jsonl" cmp "$TMP/demo.jsonl" examples/marketplace.jsonl
check "--profile demo writes examples/truth.csv" cmp "$TMP/demo.csv" examples/truth.csv
set +e
out=$("$GENUINE" simulate --profile demo --listings 5 --out "$TMP/bad.jsonl" 2>&1)
rc=$?
set -e
check "--profile demo takes no --listings ($rc: $out)" test "$rc" = 2 -a -n "$(grep -F -- "--listings" <<< "$out")"
set +e
"$GENUINE" simulate --profile bench --listings 2000 > /dev/full 2> "$TMP/full.txt"
rc=$?
set -e
check "a full disk fails the bench profile ($rc: $(cat "$TMP/full.txt"))" \
    test "$rc" = 1 -a -n "$(grep -F "writing the events failed" "$TMP/full.txt")"

# Worlds: each draws its own parameters; several at once print a row each
# and min, median and max over them.
"$GENUINE" eval --worlds 1-2 --listings 1500 --days 12 --warmup-days 3 --json "$TMP/worlds.json" \
    > "$TMP/worlds.txt"
check "eval --worlds prints a row per world and the median: $(cat "$TMP/worlds.txt")" \
    python3 - "$TMP/worlds.txt" "$TMP/worlds.json" <<'PY'
import json, sys
text = open(sys.argv[1]).read()
rows = [l.split() for l in text.splitlines()]
assert [r[0] for r in rows if r and r[0] in ("1", "2", "min", "median", "max")] == ["1", "2", "min", "median", "max"], text
w = json.load(open(sys.argv[2]))
assert [x["world"] for x in w["worlds"]] == [1, 2], w
for x in w["worlds"]:
    for run in ("cold_start", "after_learning"):
        f = x[run]
        assert 0 <= f["caught_at_creation"] <= 1 and 0 <= f["review_load"] <= 1, x
    assert x["by_class"]["used"]["cold_start"]["blocked_at_creation"] >= 0, x["by_class"]
    assert "ring" in x["by_tactic"] and "condition_field" not in x["by_tactic"], x["by_tactic"]
assert "by honest class" in text and "by counterfeit tactic" in text, text
a, b = (x["cold_start"]["review_load"] for x in w["worlds"])
assert abs(w["median"]["cold_start"]["review_load"] - (a + b) / 2) < 2e-6, w
assert abs(w["min"]["cold_start"]["review_load"] - min(a, b)) < 2e-6, w
PY
"$GENUINE" eval --world 3 --listings 1500 --days 12 --warmup-days 3 --only cold > "$TMP/w3.txt"
check "eval --world 3 --only cold names its world and its audit rate: $(head -1 "$TMP/w3.txt")" \
    grep -q "world 3: .*audit sample" "$TMP/w3.txt"

# Nothing scored (the whole stream inside the warm-up): the shares are null,
# the JSON still JSON.
"$GENUINE" eval --world 7 --listings 300 --days 3 --only cold --json "$TMP/empty.json" > /dev/null
check "a share of nothing is null in the JSON: $(cat "$TMP/empty.json")" \
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1]))["cold_start"]; assert d["scored_listings"]==0 and d["caught_at_creation"] is None, d' \
    "$TMP/empty.json"

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
"$GENUINE" eval --worlds 0-3 > /dev/null 2>&1; rc=$?
check "eval --worlds 0-3 exits 2: worlds count from 1 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" eval --only warm > /dev/null 2>&1; rc=$?
check "eval --only warm exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" eval --events "$TMP/events.jsonl" > /dev/null 2>&1; rc=$?
check "eval with --events but no --truth exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" eval --events "$TMP/events.jsonl" --truth "$TMP/events.jsonl" > /dev/null 2> "$TMP/err"; rc=$?
check "a truth file without the columns exits 1 (got $rc)" [ $rc -eq 1 ]
check "and names the file and line: $(cat "$TMP/err")" grep -q "events.jsonl:1:" "$TMP/err"
set -e

finish
