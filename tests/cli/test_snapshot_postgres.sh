#!/usr/bin/env bash
# Fast joins on PostgreSQL (docs/scale.md, Joining), against a real server
# that tests/pg/start.sh starts on a free loopback port and stops on exit:
# the world of snapshot_world.sh is ingested in part into one database,
# with verdicts and a model, and snapshotted there (the snapshots table);
# a second database is made from it (CREATE DATABASE ... TEMPLATE). The
# rest goes into both, one node joining from the snapshot, the other
# replaying the whole log (GENUINE_NO_SNAPSHOT=1), a second snapshot taken
# in between by a node that joined from the first; the logs, every
# decision and reason, the listings and the audit logs are then the same
# byte for byte. A damaged snapshot is said on stderr and not used.
set -euo pipefail

source "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
GENUINE=$(cd "$(dirname "$GENUINE")" && pwd)/$(basename "$GENUINE")
trap '"$ROOT/tests/pg/stop.sh" "$TMP/pg"; rm -rf "$TMP"' EXIT
PG=$("$ROOT/tests/pg/start.sh" "$TMP/pg")
psql -qX "$PG" -c 'CREATE DATABASE fast' > /dev/null
FAST=${PG%/postgres}/fast
FULL=${PG%/postgres}/replayed

field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }
dump() {
    psql -qXAt "$1" \
        -c 'SELECT seq, id, type, at, body, sender_role, sender_account FROM events ORDER BY seq' \
        -c 'SELECT * FROM decisions ORDER BY seq' \
        -c 'SELECT * FROM listings ORDER BY listing COLLATE "C"' \
        -c 'SELECT * FROM audit ORDER BY seq' -c 'SELECT version FROM models ORDER BY version'
}

source "$(dirname "$0")/snapshot_world.sh"
snapshot_world

"$GENUINE" ingest --store "$FAST" "$TMP/a.jsonl" > /dev/null 2>&1
"$GENUINE" ingest --store "$FAST" "$TMP/verdicts.jsonl" > /dev/null
"$GENUINE" train --store "$FAST" > "$TMP/model.json"
check "a model went live before the snapshot: $(head -c 120 "$TMP/model.json")" \
    grep -q '"model":1,"promoted":true' "$TMP/model.json"
out=$("$GENUINE" store snapshot --store "$FAST")
at=$(field "$out" snapshot_at)
events=$(psql -qXAt "$FAST" -c 'SELECT max(seq) FROM events')
check "the snapshot is at the log's end ($at of $events): $out" [ "$at" = "$events" ]
psql -qX "$PG" -c 'CREATE DATABASE replayed TEMPLATE fast' > /dev/null

out=$("$GENUINE" store join --store "$FAST")
check "a node joins from it and replays nothing: $out" \
    [ "$(field "$out" joined_from)" = "$at" ] && [ "$(field "$out" replayed)" = 0 ]

"$GENUINE" ingest --store "$FAST" "$TMP/b.jsonl" > "$TMP/fast.out" 2>&1
GENUINE_NO_SNAPSHOT=1 "$GENUINE" ingest --store "$FULL" "$TMP/b.jsonl" > "$TMP/full.out" 2>&1
check "the second part is taken alike" cmp -s "$TMP/fast.out" "$TMP/full.out"
out=$("$GENUINE" store snapshot --store "$FAST")
check "the second snapshot's node joined from the first: $out" \
    [ "$(field "$out" joined_from)" = "$at" ] && [ "$(field "$out" replayed)" -gt 0 ]
"$GENUINE" ingest --store "$FAST" "$TMP/c.jsonl" > "$TMP/fast.out" 2>&1
GENUINE_NO_SNAPSHOT=1 "$GENUINE" ingest --store "$FULL" "$TMP/c.jsonl" > "$TMP/full.out" 2>&1
check "the third part is taken alike" cmp -s "$TMP/fast.out" "$TMP/full.out"
"$GENUINE" advance --store "$FAST" --to 2100-01-01T00:00:00Z > /dev/null
GENUINE_NO_SNAPSHOT=1 "$GENUINE" advance --store "$FULL" --to 2100-01-01T00:00:00Z > /dev/null

dump "$FAST" > "$TMP/fast.dump"
dump "$FULL" > "$TMP/full.dump"
check "the log, every decision and reason, listings and audit are the same ($(wc -l < "$TMP/full.dump") rows)" \
    cmp -s "$TMP/fast.dump" "$TMP/full.dump"
diff "$TMP/fast.dump" "$TMP/full.dump" | head -4 >&2 || true
check "the model decided after the snapshots" \
    [ "$(psql -qXAt "$FULL" -c 'SELECT count(*) FROM decisions WHERE model = 1')" -gt 100 ]
"$GENUINE" decisions --store "$FAST" > "$TMP/a"
GENUINE_NO_SNAPSHOT=1 "$GENUINE" decisions --store "$FULL" > "$TMP/b"
check "genuine decisions reads the same" cmp -s "$TMP/a" "$TMP/b"

psql -qX "$FULL" -c "UPDATE snapshots SET bytes = overlay(bytes placing '\\xff'::bytea from 5000)" \
    > /dev/null
out=$("$GENUINE" store join --store "$FULL" 2> "$TMP/join.err")
check "a damaged snapshot is refused: $(cat "$TMP/join.err")" \
    grep -q "not used: the snapshot's checksum does not match" "$TMP/join.err"
check "and the whole log replayed: $out" [ "$(field "$out" joined_from)" = 0 ]

finish
