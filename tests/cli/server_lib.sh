# Shared by the end-to-end tests of the HTTP server (source it after `set
# -euo pipefail`): lib.sh, then a real `genuine serve` on a port the kernel
# picks (start_server, stop_server; stopped on exit) and curl helpers that
# check a reply's status and text (req, expect, json, get, post).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
GENUINE=$(cd "$(dirname "$GENUINE")" && pwd)/$(basename "$GENUINE")

SERVER_PID=""
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=""
    fi
}
trap 'stop_server; rm -rf "$TMP"' EXIT

ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL: $*" >&2; }

# start_server DB [ARGS...]: serves on a port the kernel picks, sets URL.
start_server() {
    local db=$1; shift
    : > "$TMP/server.log"
    "$GENUINE" serve --db "$db" --listen 127.0.0.1:0 "$@" 2> "$TMP/server.log" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        if grep -q 'serving on' "$TMP/server.log"; then
            URL=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/server.log")
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "$NAME: the server did not start:" >&2
    cat "$TMP/server.log" >&2
    exit 1
}

# req METHOD PATH [KEY] [BODY-FILE]: sets CODE and BODY.
req() {
    local method=$1 path=$2 key=${3:-} file=${4:-}
    local args=(-s -m 20 -o "$TMP/body" -w '%{http_code}' -X "$method")
    [ -n "$key" ] && args+=(-H "Authorization: Bearer $key")
    [ -n "$file" ] && args+=(-H 'Content-Type: application/json' --data-binary "@$file")
    CODE=$(curl "${args[@]}" "$URL$path" || true)
    BODY=$(cat "$TMP/body")
}

# expect NAME CODE [TEXT...]: the last reply had CODE and contains each TEXT.
expect() {
    local name=$1 code=$2; shift 2
    if [ "$CODE" != "$code" ]; then
        bad "$name: status $CODE, expected $code; body: $BODY"
        return
    fi
    for text in "$@"; do
        if ! grep -qF -- "$text" <<< "$BODY"; then
            bad "$name: body lacks '$text': $BODY"
            return
        fi
    done
    ok
}

# json NAME PYTHON-EXPRESSION: the last reply, parsed as j, makes it true.
json() {
    local name=$1 expr=$2
    if python3 -c 'import json, sys; j = json.loads(sys.stdin.read()); sys.exit(0 if ('"$expr"') else 1)' <<< "$BODY" 2>/dev/null; then
        ok
    else
        bad "$name: not ($expr): $BODY"
    fi
}

# get NAME KEY PATH CODE [TEXT...]
get() {
    local name=$1 key=$2 path=$3 code=$4; shift 4
    req GET "$path" "$key"
    expect "$name" "$code" "$@"
}

# post NAME KEY CODE BODY-TEXT [TEXT...]
post() {
    local name=$1 key=$2 code=$3 text=$4; shift 4
    printf '%s' "$text" > "$TMP/req"
    req POST /v1/events "$key" "$TMP/req"
    expect "$name" "$code" "$@"
}
