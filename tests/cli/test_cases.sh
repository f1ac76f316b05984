#!/usr/bin/env bash
# End-to-end tests of `genuine remediation` and `genuine case export` on a
# real SQLite file: the buyers of a listing found counterfeit come out as JSON
# Lines and as CSV a spreadsheet reads back exactly; the case file of a
# cluster is written as JSON and HTML, its evidence hashes match the events
# in the store, the report runs no script; usage errors exit 2, an unknown
# seller 1.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
GENUINE_ABS=$(cd "$(dirname "$GENUINE")" && pwd)/$(basename "$GENUINE")

db=$TMP/g.db
cat > "$TMP/events.jsonl" <<'JSONL'
{"type":"seller","id":"s1","at":"2026-01-01T00:00:00Z","seller":"S-A","name":"A"}
{"type":"seller","id":"s2","at":"2026-02-01T00:00:00Z","seller":"S-B","name":"B"}
{"type":"seller","id":"s3","at":"2026-02-01T00:00:00Z","seller":"../evil","name":"E"}
{"type":"session","id":"x1","at":"2026-02-01T00:00:00Z","account":"S-A","network":"router-secret-1"}
{"type":"session","id":"x2","at":"2026-02-02T00:00:00Z","account":"S-B","network":"router-secret-1"}
{"type":"listing","id":"l1","at":"2026-03-01T00:00:00Z","listing":"L1","seller":"S-A","title":"Bag <script>alert(1)</script>","price":45,"currency":"EUR"}
{"type":"listing","id":"l2","at":"2026-03-01T00:00:00Z","listing":"L2","seller":"S-B","title":"Belt","price":20,"currency":"USD"}
{"type":"order","id":"o1","at":"2026-03-02T00:00:00Z","order":"O1","listing":"L1","buyer":"Smith, \"Bob\"","price":90.00,"quantity":2,"ship_to":"FR"}
{"type":"order","id":"o2","at":"2026-03-02T00:00:00Z","order":"O2","listing":"L1","buyer":"line\nbreak","price":45}
{"type":"order","id":"o3","at":"2026-03-02T00:00:00Z","order":"O3","listing":"L2","buyer":"U3","price":20}
{"type":"shipment","id":"sh1","at":"2026-03-03T00:00:00Z","order":"O1","origin":{"country":"CN","city":"Yiwu","facility":"W1"}}
{"type":"verdict","id":"v1","at":"2026-03-04T00:00:00Z","subject":"listing","target":"L1","outcome":"counterfeit","reviewer":"rev-1"}
JSONL
"$GENUINE" ingest --db "$db" "$TMP/events.jsonl" > "$TMP/ingest"
check "all events accepted ($(cat "$TMP/ingest"))" grep -q '"accepted":12,' "$TMP/ingest"

# --- remediation
"$GENUINE" remediation --db "$db" > "$TMP/rem.jsonl"
check "remediation: one line per order on the removed listing" [ "$(wc -l < "$TMP/rem.jsonl")" -eq 2 ]
check "remediation lines carry the contract's fields" python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert [r["order"] for r in rows]==["O1","O2"], rows
r=rows[0]
assert r["listing"]=="L1" and r["seller"]=="S-A" and r["buyer"]=="Smith, \"Bob\"", r
assert r["price"]==90 and r["currency"]=="EUR" and r["quantity"]==2 and r["ship_to"]=="FR", r
assert r["ordered_at"]=="2026-03-02T00:00:00Z" and r["removed_at"]=="2026-03-04T00:00:00Z", r
assert r["reason"]=="VERDICT_COUNTERFEIT", r' "$TMP/rem.jsonl"
"$GENUINE" remediation --db "$db" --csv > "$TMP/rem.csv"
check "CSV header" [ "$(head -n 1 "$TMP/rem.csv")" = $'listing,seller,order,buyer,price,currency,quantity,ship_to,ordered_at,removed_at,reason\r' ]
check "CSV reads back exactly (commas, quotes, line breaks)" python3 -c 'import csv,sys
rows=list(csv.DictReader(open(sys.argv[1], newline="")))
assert [r["buyer"] for r in rows]==["Smith, \"Bob\"","line\nbreak"], rows
assert rows[0]["price"]=="90.00" and rows[1]["ship_to"]=="", rows' "$TMP/rem.csv"
check "CSV quotes per RFC 4180" grep -qF '"Smith, ""Bob"""' "$TMP/rem.csv"

# --- case export
mkdir "$TMP/out"
"$GENUINE" case export S-B --db "$db" --out "$TMP/out" > "$TMP/paths"
check "case export prints the two paths" \
    [ "$(cat "$TMP/paths")" = "$TMP/out/case-S-B.json"$'\n'"$TMP/out/case-S-B.html" ]
check "the JSON bundle: the cluster, its orders, no shared value" python3 -c 'import json,sys
c=json.load(open(sys.argv[1]))
assert sorted(s["seller"] for s in c["sellers"])==["S-A","S-B"], c["sellers"]
assert {s["seller"]: s["enforcement"] for s in c["sellers"]}=={"S-A":"warned","S-B":"good_standing"}, c["sellers"]  # as the seller view names them
assert c["links"]==[{"sellers":["S-A","S-B"],"shares":["network"]}] or \
       c["links"]==[{"sellers":["S-B","S-A"],"shares":["network"]}], c["links"]
assert sorted(o["order"] for o in c["orders"])==["O1","O2","O3"]
assert c["summary"]["ship_from"][0]["city"]=="Yiwu"
assert "router-secret-1" not in open(sys.argv[1]).read()' "$TMP/out/case-S-B.json"
check "evidence hashes match the events as stored" python3 -c 'import json,sys,sqlite3,hashlib
c=json.load(open(sys.argv[1])); db=sqlite3.connect(sys.argv[2])
ev=c["evidence"]["events"]; assert len(ev)==6, [e["event"] for e in ev]
for e in ev:
    body,=db.execute("SELECT body FROM events WHERE seq=?",(e["seq"],)).fetchone()
    assert hashlib.sha256(body.encode()).hexdigest()==e["sha256"]==hashlib.sha256(e["body"].encode()).hexdigest(), e' \
    "$TMP/out/case-S-B.json" "$db"
check "the HTML report runs no script" bash -c '! grep -qi "<script" "$1"' _ "$TMP/out/case-S-B.html"
check "the HTML report shows the title escaped" grep -qF 'Bag &lt;script&gt;' "$TMP/out/case-S-B.html"
check "the HTML report opens with a summary" grep -q "Money taken" "$TMP/out/case-S-B.html"

# a seller id that is not a safe file name stays inside DIR
"$GENUINE" case export ../evil --db "$db" --out "$TMP/out" > "$TMP/paths2"
check "an id like ../evil is written inside DIR ($(head -n 1 "$TMP/paths2"))" \
    bash -c '[ -f "$1/out/case-_._evil.json" ] && [ -z "$(ls "$1" | grep "^case-")" ]' _ "$TMP"

# without --out, the files go to the working directory
mkdir "$TMP/here"
(cd "$TMP/here" && "$GENUINE_ABS" case export S-A --db "$db" > "$TMP/paths3")
check "without --out: ./case-S-A.json and ./case-S-A.html" \
    [ "$(cat "$TMP/paths3")" = "./case-S-A.json"$'\n'"./case-S-A.html" ]
check "both written there" bash -c '[ -s "$1/case-S-A.json" ] && [ -s "$1/case-S-A.html" ]' _ "$TMP/here"

# --- through the workflows: a complaint on L2 left unanswered takes it down
cat > "$TMP/complaint.jsonl" <<'JSONL'
{"type":"brand","id":"b1","at":"2026-03-05T00:00:00Z","brand":"B1","name":"Belterra"}
{"type":"ip_right","id":"ip1","at":"2026-03-05T00:00:00Z","right":"TM1","brand":"B1","kind":"trademark","number":"EU-0001","holder":"RH1","jurisdiction":"EU","classes":["18"],"valid_until":"2036-01-01T00:00:00Z"}
{"type":"verdict","id":"v2","at":"2026-03-05T00:00:00Z","subject":"right","target":"TM1","outcome":"verified","reviewer":"rev-1"}
{"type":"listing","id":"l2b","at":"2026-03-05T00:00:00Z","listing":"L2","seller":"S-B","title":"Belterra belt","brand":"B1","price":20,"currency":"USD"}
{"type":"complaint","id":"c1","at":"2026-03-06T00:00:00Z","complaint":"C1","rights_holder":"RH1","right":"TM1","listings":["L2"],"statement":"copies our mark"}
JSONL
"$GENUINE" ingest --db "$db" "$TMP/complaint.jsonl" > "$TMP/ingest2" 2> "$TMP/ingest2.err"
check "the complaint's events accepted ($(cat "$TMP/ingest2") $(cat "$TMP/ingest2.err"))" \
    grep -q '"accepted":5,' "$TMP/ingest2"
"$GENUINE" advance --db "$db" --to 2026-03-10T00:00:00Z > /dev/null
"$GENUINE" remediation --db "$db" > "$TMP/rem2.jsonl"
check "the buyer of L2 is now to be refunded, for an unanswered complaint" python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
r=[r for r in rows if r["listing"]=="L2"]
assert len(r)==1 and r[0]["order"]=="O3" and r[0]["reason"]=="COMPLAINT_UNANSWERED", rows
assert r[0]["removed_at"].startswith("2026-03-09"), r' "$TMP/rem2.jsonl"
"$GENUINE" case export S-A --db "$db" --out "$TMP/out" > /dev/null
check "the case file holds the complaint, its notice history and the evidence" python3 -c 'import json,sys
c=json.load(open(sys.argv[1]))
assert [x["complaint"] for x in c["complaints"]]==["C1"], c["complaints"]
h=[(x["record"],x["record_id"],x["change"]) for x in c["history"]]
assert ("complaint","C1","filed") in h and ("notice","C1/L2","opened") in h, h
assert ("notice","C1/L2","confirmed") in h and ("seller","S-B","strike") in h, h
assert all(s["strikes"]==1 for s in c["sellers"]), c["sellers"]
assert "c1" in [e["event"] for e in c["evidence"]["events"]]
assert c["summary"]["listings"]["removed"]==2, c["summary"]' "$TMP/out/case-S-A.json"

# --- usage and failures
set +e
"$GENUINE" remediation --db "$db" --xml > /dev/null 2>&1; rc=$?
check "remediation with an unknown option exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" remediation --db "$TMP/never-created.db" > /dev/null 2>&1; rc=$?
check "remediation on a missing store exits 1 (got $rc)" [ $rc -eq 1 ]
"$GENUINE" case --db "$db" > /dev/null 2>&1; rc=$?
check "case without a subcommand exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" case export --db "$db" > /dev/null 2>&1; rc=$?
check "case export without a seller exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" case export S-A --db "$db" --out > /dev/null 2>&1; rc=$?
check "--out without a directory exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" case export nobody --db "$db" --out "$TMP/out" > /dev/null 2> "$TMP/err"; rc=$?
check "an unknown seller exits 1 (got $rc)" [ $rc -eq 1 ]
check "and says which ($(cat "$TMP/err"))" grep -q "nobody" "$TMP/err"
check "nothing is written for it" [ ! -e "$TMP/out/case-nobody.json" ]
set -e

finish
