#!/usr/bin/env bash
# The web console end to end: a simulated marketplace (genuine simulate) and
# a small catalog of our own (tests/web/catalog.jsonl) in a store, a real
# `genuine serve` on a free loopback port with the console built in, keys for
# every role, then tests/web/console.test.mjs drives Debian's chromium with
# playwright-core through each role's pages (screenshots in build/console/).
# Run from the repository root after `make` and scripts/install-deps.sh.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

[ -x /usr/bin/chromium ] || { echo "$NAME: /usr/bin/chromium is missing: run scripts/install-deps.sh" >&2; exit 1; }
[ -f web/node_modules/playwright-core/package.json ] ||
    { echo "$NAME: web/node_modules is missing: run scripts/install-deps.sh (npm ci in web/)" >&2; exit 1; }
if grep -q 'The console was not built' "$GENUINE"; then
    echo "$NAME: $GENUINE carries no console: make it again after scripts/install-deps.sh" >&2
    exit 1
fi

DB=$TMP/console.db
"$GENUINE" simulate --listings 400 --seed 11 --out "$TMP/market.jsonl" --truth "$TMP/truth.csv" \
    --sellers-truth "$TMP/sellers-truth.csv" --quiet
cat tests/web/catalog.jsonl >> "$TMP/market.jsonl"
"$GENUINE" ingest --db "$DB" "$TMP/market.jsonl" > "$TMP/ingest.json"
grep -q '"rejected":0' "$TMP/ingest.json" || { echo "$NAME: events rejected: $(cat "$TMP/ingest.json")" >&2; exit 1; }

# an authenticity code for the public verify page (docs/codes.md)
export VERIFY_CODE=$("$GENUINE" codes issue --db "$DB" --brand B-T --sku TS-TOTE-1 --count 1 2>/dev/null)
[ -n "$VERIFY_CODE" ] || { echo "$NAME: genuine codes issue gave no code" >&2; exit 1; }
key() { "$GENUINE" key add --db "$DB" "$@" 2>/dev/null; }
export GENUINE DB
export KEY_PLATFORM=$(key --role platform)
export KEY_R1=$(key --role reviewer --account R1)
export KEY_R2=$(key --role reviewer --account R2)
export KEY_HOLDER=$(key --role rights_holder --account H-T)
export KEY_SELLER=$(key --role seller --account S-T)
export KEY_OTHER_SELLER=$(key --role seller --account S1)
export KEY_SHOPPER=$(key --role shopper --account U-9)

start_server "$DB" --no-clock --train-every 0
export URL SHOTS=$PWD/build/console
mkdir -p "$SHOTS"

# --- the console's files: built in, with the headers that keep it to itself
req GET / ""
expect "GET / is the console's page" 200 '<script src="/console/app.js">'
headers=$(curl -s -D - -o /dev/null "$URL/")
check "the page may talk to this server only" has "$headers" "connect-src 'self'"
check "the page may not be framed" has "$headers" "frame-ancestors 'none'"
req GET /console/app.js ""
expect "its script" 200
req GET /console/../../etc/passwd ""
expect "no walking out of the console" 404
req GET /console/.hidden.js ""
expect "no hidden files" 404
req GET /v1/whoami "$KEY_SELLER"
expect "whoami: a seller key" 200 '{"role":"seller","account":"S-T"}'
req GET /v1/whoami ""
expect "whoami needs a key" 401

# --- --ui-dir serves a folder instead (for developing the console)
stop_server
mkdir -p "$TMP/ui"
echo '<!doctype html><title>dev</title><p>from the folder' > "$TMP/ui/index.html"
echo 'body{}' > "$TMP/ui/style.css"
ln -s /etc/passwd "$TMP/ui/passwd.css"
start_server "$DB" --no-clock --train-every 0 --ui-dir "$TMP/ui"
req GET / ""
expect "--ui-dir: the folder's page" 200 'from the folder'
req GET /console/style.css ""
expect "--ui-dir: the folder's files" 200 'body{}'
req GET /console/passwd.css ""
expect "--ui-dir: no symbolic link followed" 404
stop_server

# --- the browser, against the built-in console
start_server "$DB" --no-clock --train-every 0
export URL
if (cd web && node ../tests/web/console.test.mjs) > "$TMP/browser.log" 2>&1; then
    ok
else
    bad "the browser tests (their output follows)"
fi
cat "$TMP/browser.log"
finish
