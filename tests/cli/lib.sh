# Shared by the end-to-end test scripts (source it after `set -euo pipefail`):
# the binary under test ($GENUINE, build/genuine unless set), a temporary
# folder $TMP removed on exit, and check/has/finish keeping the tally.
NAME=$(basename "$0" .sh)
GENUINE=${GENUINE:-build/genuine}
[ -x "$GENUINE" ] || { echo "$NAME: $GENUINE is not built (run make)" >&2; exit 1; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
passed=0
failed=0

# check DESCRIPTION COMMAND...: counts a pass when COMMAND succeeds.
check() {
    local what=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAIL: $what" >&2; fi
}

# has TEXT PART: TEXT contains PART (a fixed string).
has() { grep -qF -- "$2" <<< "$1"; }

# finish: prints the tally; fails the script when anything failed.
finish() {
    echo "$NAME: $passed passed, $failed failed"
    [ "$failed" = 0 ]
}
