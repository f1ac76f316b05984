#!/usr/bin/env bash
# End-to-end tests of `genuine ingest` and `genuine decisions` on a real SQLite
# file: the bad-events file gives exactly the outcomes and field names listed
# in examples/bad-events.expected, the good events around the bad ones are
# kept, a second ingest is all duplicates, and usage errors exit 2.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

# --- the bad-events file, line by line
db=$TMP/bad.db
"$GENUINE" ingest --db "$db" examples/bad-events.jsonl > "$TMP/out" 2> "$TMP/err"
check "ingest exits 0 with rejected events" true
want=$(sed -n 's/^# summary //p' examples/bad-events.expected)
check "summary line is $want (got $(cat "$TMP/out"))" [ "$(cat "$TMP/out")" = "$want" ]
while read -r line outcome field _; do
    case "$line" in ''|\#*) continue ;; esac
    msg=$(grep "^$line: " "$TMP/err" || true)
    case "$outcome" in
    rejected)
        check "line $line is reported" [ -n "$msg" ]
        if [ "$field" = "-" ]; then
            check "line $line says why it is not an event: $msg" \
                grep -qE "not valid JSON|expected a JSON object" <<< "$msg"
        else
            check "line $line names field '$field': $msg" grep -qF "field '$field'" <<< "$msg"
        fi ;;
    *) check "line $line ($outcome) is not reported as rejected: $msg" [ -z "$msg" ] ;;
    esac
done < examples/bad-events.expected

# The listing events accepted around the bad lines are all there, decided.
"$GENUINE" decisions --db "$db" > "$TMP/decisions"
check "decisions prints one line per listing" [ "$(wc -l < "$TMP/decisions")" -ge 2 ]
check "every decision line has the contract's fields" \
    python3 -c 'import json,sys
for l in open(sys.argv[1]):
    d=json.loads(l)
    assert set(["listing","status","action","score","reasons"]) <= set(d), d
    assert d["action"] in ("allow","review","block") and 0 <= d["score"] <= 1' "$TMP/decisions"

# --- a second ingest of the same file changes nothing: accepted become duplicates
"$GENUINE" ingest --db "$db" examples/bad-events.jsonl > "$TMP/out2" 2> /dev/null
check "second ingest: nothing accepted ($(cat "$TMP/out2"))" grep -q '"accepted":0,' "$TMP/out2"
"$GENUINE" decisions --db "$db" > "$TMP/decisions2"
check "second ingest leaves decisions as they were" cmp -s "$TMP/decisions" "$TMP/decisions2"

# --- standard input, and a restart giving the same decisions as one long run
head -n 4 examples/marketplace.jsonl > "$TMP/part1"
tail -n +5 examples/marketplace.jsonl > "$TMP/part2"
"$GENUINE" ingest --db "$TMP/split.db" - < "$TMP/part1" > /dev/null
"$GENUINE" ingest --db "$TMP/split.db" "$TMP/part2" > /dev/null
"$GENUINE" ingest --db "$TMP/whole.db" examples/marketplace.jsonl > /dev/null
check "two ingests with a restart between decide as one" \
    cmp -s <("$GENUINE" decisions --db "$TMP/split.db") <("$GENUINE" decisions --db "$TMP/whole.db")

# --- usage and failures
set +e
"$GENUINE" ingest > /dev/null 2>&1; rc=$?
check "ingest without a file exits 2 (got $rc)" [ $rc -eq 2 ]
"$GENUINE" ingest --db "$TMP/x.db" "$TMP/no-such-file" > /dev/null 2>&1; rc=$?
check "ingest of a missing file exits 1 (got $rc)" [ $rc -eq 1 ]
"$GENUINE" frobnicate > /dev/null 2>&1; rc=$?
check "an unknown command exits 2 (got $rc)" [ $rc -eq 2 ]
echo 'policy.review_at = soon' > "$TMP/bad.conf"
"$GENUINE" ingest --db "$TMP/x.db" --config "$TMP/bad.conf" examples/bad-events.jsonl > /dev/null 2> "$TMP/conf-err"; rc=$?
check "a bad config exits 1 (got $rc)" [ $rc -eq 1 ]
check "the config error names the line: $(cat "$TMP/conf-err")" grep -q "bad.conf:1:" "$TMP/conf-err"
"$GENUINE" decisions --db "$TMP/never-created.db" > /dev/null 2>&1; rc=$?
check "decisions on a missing store exits 1 (got $rc)" [ $rc -eq 1 ]
set -e

finish
