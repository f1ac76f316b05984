#!/usr/bin/env bash
# A platform's own word lists (genuine --lexicon DIR, docs/text-matching.md):
# its lingo, common words and condition phrases replace the shipped ones in
# decisions; a bad line stops the command with the file and line named; a
# folder holding none of the lists is refused.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

cat > "$TMP/events.jsonl" <<'JSONL'
{"type":"brand","id":"b1","at":"2026-01-01T00:00:00Z","brand":"B1","name":"Solvane","reference_prices":[{"category":"bags","price":1000,"currency":"USD"}]}
{"type":"seller","id":"s1","at":"2024-01-01T00:00:00Z","seller":"S1","name":"shop","template":"custom"}
{"type":"seller_verification","id":"v1","at":"2024-01-02T00:00:00Z","seller":"S1","status":"verified"}
{"type":"listing","id":"l1","at":"2026-03-01T00:00:00Z","listing":"L1","seller":"S1","title":"Solvane tote, a dupe","category":"bags","price":900,"currency":"USD"}
{"type":"listing","id":"l2","at":"2026-03-01T00:00:00Z","listing":"L2","seller":"S1","title":"Solvane replica tote","category":"bags","price":900,"currency":"USD"}
{"type":"listing","id":"l3","at":"2026-03-01T00:00:00Z","listing":"L3","seller":"S1","title":"Solvane tote, pre-loved","category":"bags","price":300,"currency":"USD"}
{"type":"listing","id":"l4","at":"2026-03-01T00:00:00Z","listing":"L4","seller":"S1","title":"Solvane tote, bien aimé","category":"bags","price":300,"currency":"USD"}
JSONL

# The shipped lists: "replica" is lingo, "dupe" is not; "pre-loved" says used.
"$GENUINE" ingest --db "$TMP/shipped.db" "$TMP/events.jsonl" > /dev/null
shipped=$("$GENUINE" decisions --db "$TMP/shipped.db")
check "shipped: replica is lingo" has "$(grep '"L2"' <<< "$shipped")" COUNTERFEIT_LINGO
check "shipped: dupe is not" bash -c '! grep -q COUNTERFEIT_LINGO <<< "$1"' _ "$(grep '"L1"' <<< "$shipped")"
# At 30% of the reference price: far below for new goods (under 35%), not
# for used ones (the ratios times price.condition_used, 0.8: under 28%).
check "shipped: pre-loved at 30% is not far below the reference" \
    bash -c '! grep -q PRICE_FAR <<< "$1"' _ "$(grep '"L3"' <<< "$shipped")"
check "shipped: 'bien aimé' says nothing, so 30% is far below" \
    has "$(grep '"L4"' <<< "$shipped")" PRICE_FAR_BELOW_REFERENCE

# A platform's own: lingo where "dupe" counts and "replica" does not; a
# condition list with its own phrase (the shipped one is replaced whole).
mkdir -p "$TMP/mine"
cat > "$TMP/mine/lingo.txt" <<'TXT'
# our marketplace's lingo
dupe: dupe, dupes
TXT
cat > "$TMP/mine/condition.txt" <<'TXT'
used: bien aimé
TXT
"$GENUINE" ingest --db "$TMP/mine.db" --lexicon "$TMP/mine" "$TMP/events.jsonl" > /dev/null
mine=$("$GENUINE" decisions --db "$TMP/mine.db")
check "own lingo: dupe is lingo" has "$(grep '"L1"' <<< "$mine")" 'COUNTERFEIT_LINGO","weight":2,"detail":"the listing uses words that offer copies of branded goods: \"dupe\""'
check "own lingo: replica is not" bash -c '! grep -q COUNTERFEIT_LINGO <<< "$1"' _ "$(grep '"L2"' <<< "$mine")"
check "own conditions: 'bien aimé' says used" \
    bash -c '! grep -q PRICE_FAR <<< "$1"' _ "$(grep '"L4"' <<< "$mine")"
check "own conditions: pre-loved no longer does" \
    has "$(grep '"L3"' <<< "$mine")" PRICE_FAR_BELOW_REFERENCE

# A bad line: the command stops, naming the file and the line.
mkdir -p "$TMP/bad"
printf '# ours\ndupe dupes\n' > "$TMP/bad/lingo.txt"
set +e
out=$("$GENUINE" ingest --db "$TMP/bad.db" --lexicon "$TMP/bad" "$TMP/events.jsonl" 2>&1)
rc=$?
set -e
check "bad lingo: refused" [ "$rc" -ne 0 ]
check "bad lingo: file and line named ($out)" has "$out" "$TMP/bad/lingo.txt:2: expected 'reported: term, term, ...'"
printf 'used: ok\nsecondhand stuff\n' > "$TMP/bad/condition.txt"
rm "$TMP/bad/lingo.txt"
set +e
out=$("$GENUINE" ingest --db "$TMP/bad2.db" --lexicon "$TMP/bad" "$TMP/events.jsonl" 2>&1)
set -e
check "bad conditions: file and line named ($out)" has "$out" "$TMP/bad/condition.txt:2:"

# A folder with none of the lists (a typo in the path, say) is refused.
mkdir -p "$TMP/empty"
set +e
out=$("$GENUINE" ingest --db "$TMP/e.db" --lexicon "$TMP/empty" "$TMP/events.jsonl" 2>&1)
rc=$?
set -e
check "empty folder: refused" [ "$rc" -ne 0 ]
check "empty folder: says why ($out)" has "$out" "holds none of condition.txt, lingo.txt, common.txt"

finish
