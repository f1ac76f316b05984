#!/usr/bin/env bash
# API keys end to end (issue 13, row 7): `genuine key add|list|revoke`, each
# answering --help; the list shows ids, never keys; a running server refuses
# a key revoked, or deleted from the store, within a second.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/keys.db
for sub in "" add list revoke; do
    out=$("$GENUINE" key $sub --help) && has "$out" "usage: genuine key" && ok ||
        bad "genuine key $sub --help: exit $?, $out"
done

PLATFORM=$("$GENUINE" key add --role platform --db "$DB" 2> "$TMP/add.err")
PID_=$(sed -n 's/^genuine: key \([0-9a-f]*\) issued (platform)$/\1/p' "$TMP/add.err")
SELLER=$("$GENUINE" key add --role seller --account S1 --db "$DB" 2> "$TMP/add.err")
SID=$(sed -n 's/^genuine: key \([0-9a-f]*\) issued (seller for S1)$/\1/p' "$TMP/add.err")
GONE=$("$GENUINE" key add --role reviewer --db "$DB" 2> /dev/null)
[ ${#PID_} = 16 ] && [ ${#SID} = 16 ] && ok || bad "key add names the id on stderr: '$PID_' '$SID'"

"$GENUINE" key list --db "$DB" > "$TMP/list"
python3 - "$TMP/list" "$PID_" "$SID" <<'PY' && ok || bad "key list: $(cat "$TMP/list")"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
assert len(rows) == 3, rows
by_id = {r["id"]: r for r in rows}
assert set(rows[0]) == {"id", "role", "account", "created", "revoked"}, rows[0]
assert by_id[sys.argv[2]]["role"] == "platform" and by_id[sys.argv[2]]["revoked"] is None
assert by_id[sys.argv[3]]["role"] == "seller" and by_id[sys.argv[3]]["account"] == "S1"
assert all(r["created"].endswith("Z") for r in rows)
PY
for k in "$PLATFORM" "$SELLER" "$GONE"; do
    grep -qF "$k" "$TMP/list" && bad "key list shows a key itself" || ok
done

status=0
"$GENUINE" key revoke 0123456789abcdef --db "$DB" 2> "$TMP/err" || status=$?
[ "$status" = 1 ] && grep -q "no API key with id" "$TMP/err" && ok ||
    bad "revoking an unknown id: exit $status, $(cat "$TMP/err")"
status=0
"$GENUINE" key revoke "zz" --db "$DB" 2> "$TMP/err" || status=$?
[ "$status" = 2 ] && grep -q "16 hex digits" "$TMP/err" && ok ||
    bad "revoking a malformed id: exit $status, $(cat "$TMP/err")"

start_server "$DB" --no-clock
get "seller key works" "$SELLER" /v1/transparency 200
get "reviewer key works" "$GONE" /v1/queue 200

# Revoked while the server runs (and has the key in memory): refused within a second.
"$GENUINE" key revoke "$SID" --db "$DB" 2> "$TMP/err" && ok || bad "key revoke: $(cat "$TMP/err")"
sleep 1
get "a revoked key is refused by the running server" "$SELLER" /v1/transparency 401
post "nor may it post" "$SELLER" 401 '{"type":"appeal","id":"a1","at":"2026-11-22T10:00:00Z","appeal":"A1","seller":"S1","target":"S1","statement":"x"}'
"$GENUINE" key list --db "$DB" > "$TMP/list"
python3 -c 'import json,sys; r={j["id"]:j for j in map(json.loads, open(sys.argv[1]))}; assert r[sys.argv[2]]["revoked"] and r[sys.argv[3]]["revoked"] is None' \
    "$TMP/list" "$SID" "$PID_" && ok || bad "key list shows the revocation: $(cat "$TMP/list")"

# Deleted from the store by hand: refused within a second too.
sqlite3 "$DB" "PRAGMA busy_timeout=5000; DELETE FROM api_keys WHERE role = 'reviewer'" > /dev/null
sleep 1
get "a key deleted from the store is refused" "$GONE" /v1/queue 401
get "the other keys still work" "$PLATFORM" /v1/stats 200
stop_server

finish
