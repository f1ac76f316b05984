# The world the snapshot tests join on (source it after lib.sh):
# snapshot_world writes, in $TMP, a simulated world cut in three
# (a.jsonl, b.jsonl, c.jsonl) and reviewers' verdicts on the first part's
# listings (verdicts.jsonl): its counterfeits and a third of the rest, with
# enough recent counterfeits among them that the model learned on them
# goes live.
snapshot_world() {
    "$GENUINE" simulate --seed 11 --listings 1500 --out "$TMP/w.jsonl" --truth "$TMP/truth.csv" \
        &> /dev/null
    local n
    n=$(wc -l < "$TMP/w.jsonl")
    head -n $((n / 2)) "$TMP/w.jsonl" > "$TMP/a.jsonl"
    sed -n "$((n / 2 + 1)),$((n * 3 / 4))p" "$TMP/w.jsonl" > "$TMP/b.jsonl"
    tail -n +$((n * 3 / 4 + 1)) "$TMP/w.jsonl" > "$TMP/c.jsonl"
    python3 - "$TMP/truth.csv" "$TMP/a.jsonl" > "$TMP/verdicts.jsonl" <<'PY'
import csv, json, sys
seen = {json.loads(l).get("listing") for l in open(sys.argv[2])}
rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["listing"] in seen]
fake = [r for r in rows if r["counterfeit"] == "1"]
honest = [r for i, r in enumerate(rows) if r["counterfeit"] != "1" and i % 3 == 0]
cut = len(honest) * 2 // 3
for i, r in enumerate(fake[:6] + honest[:cut] + fake[6:] + honest[cut:]):
    print(json.dumps({"type": "verdict", "id": "tv%d" % i, "at": "2026-06-01T00:00:00Z",
                      "subject": "listing", "target": r["listing"], "reviewer": "r1",
                      "outcome": "counterfeit" if r["counterfeit"] == "1" else "genuine"}))
PY
}
