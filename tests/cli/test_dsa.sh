#!/usr/bin/env bash
# End-to-end tests of the DSA reads: `genuine statements` (statements of
# reasons with the DSA Transparency Database's fields), `genuine transparency`
# (counts per period) and `genuine audit` (the audit log merged with listing
# changes) on a real SQLite file; usage errors exit 2 and name what is wrong.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

# A brand, a new seller whose replica is blocked, an established seller whose
# cheap bag is held and then found counterfeit by a reviewer; then the brand's
# verified trademark backs a complaint on two of its listings: one is
# contested and upheld by a reviewer, the other left unanswered and taken
# down when the window closes — its third strike suspends the seller.
cat > "$TMP/events.jsonl" <<'EOF'
{"type":"rate","id":"r1","at":"2026-01-01T00:00:00Z","currency":"USD","usd":1}
{"type":"brand","id":"b1","at":"2026-01-01T00:00:00Z","brand":"gucci","name":"Gucci","reference_prices":[{"category":"bags","price":1150,"currency":"USD"}]}
{"type":"seller","id":"s1","at":"2025-01-01T00:00:00Z","seller":"boutique","name":"B","template":"custom"}
{"type":"seller_verification","id":"s1s","at":"2025-01-01T12:00:00Z","seller":"boutique","status":"submitted"}
{"type":"seller_verification","id":"s1v","at":"2025-01-02T00:00:00Z","seller":"boutique","status":"verified"}
{"type":"seller","id":"s2","at":"2026-11-20T00:00:00Z","seller":"newshop","name":"N","template":"basic"}
{"type":"listing","id":"l1","at":"2026-11-21T10:00:00Z","listing":"L1","seller":"boutique","title":"Gucci GG Marmont shoulder bag","price":1090,"currency":"USD","category":"bags"}
{"type":"listing","id":"l2","at":"2026-11-22T10:00:00Z","listing":"L2","seller":"newshop","title":"Gucci Marmont bag replica 1:1","price":45,"currency":"USD","category":"bags"}
{"type":"listing","id":"l3","at":"2026-11-22T11:00:00Z","listing":"L3","seller":"boutique","title":"Gucci bag","price":60,"currency":"USD","category":"bags"}
{"type":"verdict","id":"v1","at":"2026-11-24T09:00:00Z","subject":"listing","target":"L3","outcome":"counterfeit","reviewer":"R1"}
{"type":"ip_right","id":"ip1","at":"2026-01-02T00:00:00Z","right":"TM-1","brand":"gucci","kind":"trademark","number":"EU-000121","holder":"guccio","jurisdiction":"EU","classes":["18"],"valid_from":"2020-01-01T00:00:00Z","valid_until":"2030-01-01T00:00:00Z"}
{"type":"verdict","id":"vr1","at":"2026-01-03T00:00:00Z","subject":"right","target":"TM-1","outcome":"verified","reviewer":"R9"}
{"type":"listing","id":"l4","at":"2026-11-21T12:00:00Z","listing":"L4","seller":"boutique","title":"Gucci GG Marmont mini bag","price":990,"currency":"USD","category":"bags"}
{"type":"complaint","id":"c1","at":"2026-11-25T10:00:00Z","complaint":"C1","rights_holder":"guccio","right":"TM-1","listings":["L1","L4"]}
{"type":"counter_notice","id":"cn1","at":"2026-11-26T10:00:00Z","complaint":"C1","listing":"L4","seller":"boutique","statement":"bought from Gucci, invoice attached"}
{"type":"verdict","id":"vc1","at":"2026-11-27T10:00:00Z","subject":"complaint","target":"C1","outcome":"upheld","reviewer":"R2"}
EOF
db=$TMP/g.db
"$GENUINE" ingest --db "$db" "$TMP/events.jsonl" > "$TMP/ingest" 2> "$TMP/rejected"
check "the events are all accepted: $(cat "$TMP/rejected")" [ ! -s "$TMP/rejected" ]
"$GENUINE" advance --db "$db" --to 2026-12-01T00:00:00Z > /dev/null

# --- statements of reasons
"$GENUINE" statements --db "$db" > "$TMP/sor"
check "statements: one per restrictive decision (got $(wc -l < "$TMP/sor"))" [ "$(wc -l < "$TMP/sor")" -ge 2 ]
check "statements carry the Transparency Database's fields, derived per decision" \
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
need=["puid","decision_visibility","decision_ground","content_type","category","decision_facts",
      "source_type","automated_detection","automated_decision","territorial_scope",
      "application_date","redress","content_language"]
for r in rows:
    assert all(k in r for k in need), r
    assert r["decision_facts"], r
    assert r["id"].startswith("sor-"), r
assert len(set(r["id"] for r in rows)) == len(rows), "ids repeat"
by={r["subject"]["id"]: r for r in rows if r["subject"]["record"]=="listing"}
l1, l2, l3, l4 = by["L1"], by["L2"], by["L3"], by["L4"]
assert l2["automated_decision"] == "AUTOMATED_DECISION_FULLY" and l2["automated_detection"] == "Yes", l2
assert l2["source_type"] == "SOURCE_VOLUNTARY", l2
assert l2["decision_ground"] == "DECISION_GROUND_INCOMPATIBLE_CONTENT", l2
assert l3["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED", l3
assert l3["automated_detection"] == "Yes", l3   # genuine held it first
assert l3["decision_ground"] == "DECISION_GROUND_ILLEGAL_CONTENT" and l3["illegal_content_legal_ground"], l3
# the notice left unanswered: an Art. 16 notice, removed automatically at the deadline
assert l1["source_type"] == "SOURCE_ARTICLE_16" and l1["automated_decision"] == "AUTOMATED_DECISION_FULLY", l1
assert l1["automated_detection"] == "No" and l1["decided_by"] == "deadline", l1
assert l1["decision_visibility"] == ["DECISION_VISIBILITY_CONTENT_REMOVED"], l1
# the contested notice, upheld by a reviewer
assert l4["source_type"] == "SOURCE_ARTICLE_16" and l4["automated_decision"] == "AUTOMATED_DECISION_NOT_AUTOMATED", l4
sellers=[r for r in rows if r["subject"]["record"] == "seller"]
assert [r["decision_account"] for r in sellers] == ["DECISION_ACCOUNT_SUSPENDED"], sellers
assert sellers[0]["id"].startswith("sor-audit-") and sellers[0]["automated_decision"] == "AUTOMATED_DECISION_FULLY", sellers
assert [r["subject"]["id"] for r in rows][-2:] == ["L1", "boutique"], "the removal, then the suspension it caused"
assert set(by) == {"L1", "L2", "L3", "L4"}, by' "$TMP/sor"
"$GENUINE" statements --db "$db" --since 2026-11-23T00:00:00Z > "$TMP/sor-since"
check "--since keeps the later decisions only" \
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert rows and all(r["decided_at"] >= "2026-11-23" for r in rows), rows' "$TMP/sor-since"
"$GENUINE" statements --db "$db" --since 2030-01-01T00:00:00Z > "$TMP/sor-none"
check "--since after everything prints nothing" [ ! -s "$TMP/sor-none" ]
"$GENUINE" statements --db "$db" > "$TMP/sor2"
check "statements are stable from one run to the next" cmp -s "$TMP/sor" "$TMP/sor2"

# --- the transparency report
"$GENUINE" transparency --db "$db" --period week > "$TMP/report"
check "transparency: counts per week, with totals" \
    python3 -c 'import json,sys
r=json.load(open(sys.argv[1]))
assert r["period"] == "week" and r["periods"], r
assert [p["start"] for p in r["periods"]][-2:] == ["2026-11-16", "2026-11-23"], r["periods"]
t=r["totals"]
assert t["blocked_by_genuine"] == 1 and t["removals"]["reviewer_verdict"] == 1, t
assert t["removals"]["notice_unanswered"] == 1 and t["removals"]["notice_upheld"] == 1, t
assert t["notices"]["received"] == 2 and t["notices"]["contested"] == 1, t
assert t["notices"]["confirmed"] == 2 and t["complaints_filed"] == 1, t
assert t["sellers"]["suspended"] == 1 and t["sellers"]["strikes"] == 3, t
assert t["decisions"]["block"] == 1 and t["listings_decided"] == 4, t
assert t["notices_timed"] == 2 and t["median_hours_notice_to_action"] == 60, t  # 48 h and 72 h
for k in ("notices","appeals","sellers","removals"): assert k in t, k
assert "median_hours_notice_to_action" in t' "$TMP/report"
"$GENUINE" transparency --db "$db" > "$TMP/report-month"
check "transparency defaults to months" grep -q '"start":"2026-11"' "$TMP/report-month"

# --- the audit export
"$GENUINE" audit --db "$db" > "$TMP/audit"
check "audit: every line has the audit fields, in time order" \
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
need={"seq","at","actor","record","record_id","change","detail","event","automated"}
assert rows and all(need <= set(r) for r in rows), rows
assert [r["at"] for r in rows] == sorted(r["at"] for r in rows), "not in time order"
l3=[r for r in rows if r["record_id"] == "L3"]
assert [r["change"] for r in l3] == ["review", "block"], l3
assert l3[0]["automated"] is True and l3[1]["automated"] is False, l3
l1=[(r["change"], r["actor"], r["automated"]) for r in rows if r["record_id"] == "L1"]
assert l1 == [("allow","genuine",True),("review","guccio",True),("block","deadline",True)], l1
strikes=[r for r in rows if r["change"] == "strike"]
assert strikes and all(r["automated"] is (r["actor"] in ("deadline","enforcement","genuine"))
                       for r in strikes), strikes
assert any(r["actor"] == "deadline" for r in strikes), strikes' "$TMP/audit"
"$GENUINE" audit --db "$db" --record notice --id C1/L4 > "$TMP/audit-notice"
check "audit --record notice --id C1/L4: opened, contested, confirmed by the reviewer" \
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert [(r["change"], r["actor"]) for r in rows] == [("opened","guccio"),("contested","boutique"),("confirmed","R2")], rows' "$TMP/audit-notice"
"$GENUINE" audit --db "$db" --record listing --id L2 > "$TMP/audit-l2"
check "audit --record listing --id L2: that listing only" \
    python3 -c 'import json,sys
rows=[json.loads(l) for l in open(sys.argv[1])]
assert rows and all(r["record_id"] == "L2" for r in rows), rows' "$TMP/audit-l2"

# --- usage and failures
set +e
"$GENUINE" statements --db "$db" --since yesterday > /dev/null 2> "$TMP/err"; rc=$?
check "a bad --since exits 2 (got $rc)" [ $rc -eq 2 ]
check "the message names since: $(cat "$TMP/err")" grep -q "since: 'yesterday'" "$TMP/err"
"$GENUINE" statements --db "$db" --since > /dev/null 2>&1; rc=$?
check "--since without a value exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" transparency --db "$db" --period year > /dev/null 2> "$TMP/err"; rc=$?
check "--period year exits 2 (got $rc)" [ $rc -eq 2 ]
check "the message names the period: $(cat "$TMP/err")" grep -q "'year'" "$TMP/err"
"$GENUINE" audit --db "$db" --id L2 > /dev/null 2> "$TMP/err"; rc=$?
check "audit --id without --record exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" audit --db "$db" --record shop > /dev/null 2> "$TMP/err"; rc=$?
check "audit --record shop exits 2 (got $rc)" [ $rc -eq 2 ]
check "the message lists the kinds: $(cat "$TMP/err")" grep -q "record: 'shop' is not one of" "$TMP/err"
"$GENUINE" audit --db "$db" --frobnicate > /dev/null 2>&1; rc=$?
check "an unknown option exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" statements --db "$TMP/never-created.db" > /dev/null 2>&1; rc=$?
check "statements on a missing store exits 1 (got $rc)" [ $rc -eq 1 ]
set -e

finish
