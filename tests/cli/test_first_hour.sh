#!/usr/bin/env bash
# What a newcomer meets first: every command and every benchmark answers
# --help with its usage on stdout and exit 0 (before opening or running
# anything); a read on a store that is not there says so and creates
# nothing; commands without a store take the common options and say they
# ignore them; make demo's store is where the README says.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
top=$PWD

# --- --help on every command the top-level usage lists, in an empty folder
commands=$("$GENUINE" --help | awk '$1=="genuine"{print $2}' | sort -u)
check "the usage lists commands" [ -n "$commands" ]
for c in $commands; do
    out=$(cd "$TMP" && "$top/$GENUINE" "$c" --help 2>&1) && rc=0 || rc=$?
    check "genuine $c --help exits 0 (got $rc)" [ "$rc" = 0 ]
    check "genuine $c --help prints its usage" has "$out" "usage: genuine $c"
    # --help after other arguments too: ingest must not look for a file '--help'
    out=$(cd "$TMP" && "$top/$GENUINE" "$c" x --help 2>&1) && rc=0 || rc=$?
    check "genuine $c x --help exits 0 (got $rc)" [ "$rc" = 0 ]
done
check "--help created no store" [ ! -e "$TMP/genuine.db" ]

# --- every benchmark, when built (make bench): --help never runs it
for b in build/bench/*; do
    [ -x "$b" ] || continue
    out=$(timeout 5 "$b" --help) && rc=0 || rc=$?
    check "$(basename "$b") --help exits 0 at once (got $rc)" [ "$rc" = 0 ]
    check "$(basename "$b") --help prints its usage" has "$out" "usage:"
done

# --- a read on a missing store: a clear message, exit 1, nothing created
for c in "decisions" "seller S-1" "show reports" "train" "advance --to 2026-01-01T00:00:00Z" \
    "statements" "transparency" "audit" "remediation" "case export S-1"; do
    err=$(cd "$TMP" && "$top/$GENUINE" $c 2>&1 >/dev/null) && rc=0 || rc=$?
    check "genuine $c on no store exits 1 (got $rc)" [ "$rc" = 1 ]
    check "genuine $c on no store says so: $err" has "$err" "no store at genuine.db"
    check "genuine $c on no store created nothing" [ ! -e "$TMP/genuine.db" ]
done
err=$("$GENUINE" decisions --db "$TMP/nowhere.db" 2>&1 >/dev/null) || true
check "the message names the --db given: $err" has "$err" "no store at $TMP/nowhere.db"

# --- commands with no store take the common options and say they ignore them
img=$(ls ../shared/conformance/pdq/images/*.jpg | head -1)
out=$("$GENUINE" pdq --db "$TMP/x.db" --config "$TMP/none.conf" "$img" 2> "$TMP/err")
check "pdq with --db and --config still hashes" has "$out" "$img"
check "pdq says --db is ignored" grep -qF -- "--db is ignored" "$TMP/err"
check "pdq created no store" [ ! -e "$TMP/x.db" ]
out=$("$GENUINE" config --policy policy/default.lua 2> "$TMP/err")
check "config with --policy prints the configuration" has "$out" "policy.review_at"

# --- a failing Lua rule is said on ingest's stderr (file:line, listing), the
# listing is still decided; a rule's reason carries the rule's own code
printf 'function decide(l)\n  if l.nothing.here then end\nend\n' > "$TMP/broken.lua"
out=$("$GENUINE" ingest --db "$TMP/rules.db" --policy "$TMP/broken.lua" examples/marketplace.jsonl \
    2> "$TMP/err")
check "ingest with a failing rule accepts the events: $out" has "$out" '"rejected":0'
line=$(grep -m1 'listing L-' "$TMP/err" || true)
check "the failing rule is on stderr with file:line and listing: $line" \
    grep -qE "^[0-9]+: listing L-[0-9]+: note .*broken.lua:2:" <<< "$line"
out=$("$GENUINE" decisions --db "$TMP/rules.db" | grep -m1 '"notes"' || true)
check "decisions keep their notes: $out" has "$out" 'broken.lua:2:'
printf 'function decide(l)\n  return {action = "review", reasons = {{code = "%s", detail = "held by hand"}}}\nend\n' \
    HELD_LINE > "$TMP/own.lua"
printf '{"type":"listing","id":"e1","at":"2026-11-22T10:00:00Z","listing":"L1","seller":"S1","title":"Canvas tote","price":9,"currency":"USD"}\n' > "$TMP/one.jsonl"
"$GENUINE" ingest --db "$TMP/own.db" --policy "$TMP/own.lua" "$TMP/one.jsonl" > /dev/null
out=$("$GENUINE" decisions --db "$TMP/own.db")
check "a rule's reason has the rule's own code: $out" has "$out" '{"code":"HELD_LINE","weight":0,"detail":"held by hand"}'
sed -i 's/HELD_LINE/VERDICT_COUNTERFEIT/' "$TMP/own.lua"
"$GENUINE" ingest --db "$TMP/own2.db" --policy "$TMP/own.lua" "$TMP/one.jsonl" > /dev/null 2> "$TMP/err"
check "a rule may not use a human decision's code" grep -qF "genuine's own for people's" "$TMP/err"

# --- make demo's store: where the README says, and read by the other commands
out=$(timeout 60 bash scripts/demo.sh --no-serve)
check "demo names the --db to use" has "$out" "--db build/demo/genuine.db"
check "README names the demo's store" grep -qF "build/demo/genuine.db" README.md
n=$("$GENUINE" decisions --db build/demo/genuine.db | wc -l)
check "decisions reads the demo's store ($n listings)" [ "$n" -gt 100 ]

finish
