#!/usr/bin/env bash
# Docs that cannot drift: their runnable examples are run and compared
# (tests/cli/run_docs.py says how); every reason code the program can put in
# a decision has a row in docs/signals.md, every weight in config/genuine.conf is a
# documented code, and every code documented there still exists in the code.
# (The DSA statements' own vocabulary, DECISION_*, AUTOMATED_*, SOURCE_* and
# STATEMENT_*, is docs/transparency.md's.)
set -euo pipefail

source "$(dirname "$0")/lib.sh"

dsa='^(DECISION|AUTOMATED|SOURCE|STATEMENT)_'
grep -rhoE '"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+"' src | tr -d '"' | grep -vE "$dsa" | sort -u > "$TMP/codes"
check "the source has reason codes" [ -s "$TMP/codes" ]
while read -r code; do
    check "$code has a row in docs/signals.md" grep -qE "^\| \`$code\` \|" docs/signals.md
done < "$TMP/codes"

sed -nE 's/^weight\.([A-Z0-9_]+) *=.*/\1/p' config/genuine.conf | sort -u > "$TMP/weights"
while read -r code; do
    check "weight.$code is a code the program emits" grep -qx "$code" "$TMP/codes"
done < "$TMP/weights"

sed -nE 's/^\| `([A-Z][A-Z0-9_]+)` \|.*/\1/p' docs/signals.md | sort -u > "$TMP/documented"
while read -r code; do
    check "documented $code is still in the code" grep -qx "$code" "$TMP/codes"
done < "$TMP/documented"

# The runnable examples (```console blocks) of README.md and docs/*.md, against
# a copy of the demo's store and, where they use curl, a server on loopback.
python3 tests/cli/run_docs.py "$GENUINE" README.md docs/*.md > "$TMP/docs" 2>&1 && rc=0 || rc=$?
grep -E '^(FAIL|      )' "$TMP/docs" >&2 || true
check "the docs' runnable examples give what the docs show ($(tail -1 "$TMP/docs"))" [ "$rc" = 0 ]
check "README.md has runnable examples" grep -q '^```console' README.md

finish
