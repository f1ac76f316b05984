#!/usr/bin/env bash
# Fast joins (docs/scale.md, Joining): a node that starts from the store's
# snapshot and replays only the log after it decides every next event
# exactly as a node that replayed the whole log. A simulated world with
# verdicts and a learned model is ingested in part, snapshotted, copied;
# the rest goes into both copies, one joining from the snapshot (twice: a
# second snapshot is taken by a node that joined from the first), the other
# replaying everything (GENUINE_NO_SNAPSHOT=1), and their logs, decisions
# (every reason), listings, audit logs and seller reads are compared byte
# for byte. A snapshot that is damaged, of another configuration, of
# another log, or met by a node with Lua rules is said on stderr and not
# used, and the node still decides as the full replay. Run after `make`.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

# Every table a decision or the workflows write, in log order (the models'
# figures say how long training took, which no two runs share).
dump() {
    python3 - "$1" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for sql in ("SELECT seq, id, type, at, body, sender_role, sender_account FROM events ORDER BY seq",
            "SELECT * FROM decisions ORDER BY seq", "SELECT * FROM listings ORDER BY listing",
            "SELECT * FROM audit ORDER BY seq", "SELECT version FROM models ORDER BY version"):
    for row in db.execute(sql):
        print(repr(row))
PY
}

# join DB [ENV...]: how a node opening DB builds its state (store join's JSON).
join() {
    local db=$1; shift
    env "$@" "$GENUINE" store join --db "$db" 2> "$TMP/join.err"
}
field() { python3 -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$1" "$2"; }

source "$(dirname "$0")/snapshot_world.sh"
snapshot_world

fast=$TMP/fast.db
full=$TMP/full.db
"$GENUINE" ingest --db "$fast" "$TMP/a.jsonl" > /dev/null 2>&1
"$GENUINE" ingest --db "$fast" "$TMP/verdicts.jsonl" > /dev/null
"$GENUINE" train --db "$fast" > "$TMP/model.json"
# a partner's shared photo bank (here the photos this store took down)
"$GENUINE" bank export --db "$fast" --source partner --out "$TMP/partner.bank"
"$GENUINE" bank import "$TMP/partner.bank" --db "$fast" --source partner \
    --public-key "$("$GENUINE" bank key --db "$fast")" > /dev/null
check "a shared bank is in the snapshot's state: $("$GENUINE" bank status --db "$fast" | head -c 150)" \
    grep -q '"source":"partner"' <("$GENUINE" bank status --db "$fast")
check "a model was learned and went live before the snapshot: $(head -c 200 "$TMP/model.json")" \
    grep -q '"model":1,"promoted":true' "$TMP/model.json"
out=$("$GENUINE" store snapshot --db "$fast")
at=$(field "$out" snapshot_at)
events=$(python3 -c 'import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT max(seq) FROM events").fetchone()[0])' "$fast")
check "the snapshot is at the log's end ($at of $events): $out" [ "$at" = "$events" ]
cp "$fast" "$full"

out=$(join "$fast")
check "a node joins from it and replays nothing: $out" \
    [ "$(field "$out" joined_from)" = "$at" ] && [ "$(field "$out" replayed)" = 0 ]
out=$(join "$fast" GENUINE_NO_SNAPSHOT=1)
check "GENUINE_NO_SNAPSHOT=1 replays the whole log: $out" \
    [ "$(field "$out" joined_from)" = 0 ] && [ "$(field "$out" replayed)" = "$at" ]

"$GENUINE" ingest --db "$fast" "$TMP/b.jsonl" > "$TMP/fast.out" 2>&1
GENUINE_NO_SNAPSHOT=1 "$GENUINE" ingest --db "$full" "$TMP/b.jsonl" > "$TMP/full.out" 2>&1
check "the second part is taken alike" cmp -s "$TMP/fast.out" "$TMP/full.out"
# the second snapshot is written by a node that joined from the first
out=$("$GENUINE" store snapshot --db "$fast")
check "the node joined from the first snapshot to write the second: $out" \
    [ "$(field "$out" joined_from)" = "$at" ] && [ "$(field "$out" replayed)" -gt 0 ]
"$GENUINE" ingest --db "$fast" "$TMP/c.jsonl" > "$TMP/fast.out" 2>&1
GENUINE_NO_SNAPSHOT=1 "$GENUINE" ingest --db "$full" "$TMP/c.jsonl" > "$TMP/full.out" 2>&1
check "the third part is taken alike" cmp -s "$TMP/fast.out" "$TMP/full.out"
"$GENUINE" advance --db "$fast" --to 2100-01-01T00:00:00Z > /dev/null
GENUINE_NO_SNAPSHOT=1 "$GENUINE" advance --db "$full" --to 2100-01-01T00:00:00Z > /dev/null

dump "$fast" > "$TMP/fast.dump"
dump "$full" > "$TMP/full.dump"
rows=$(wc -l < "$TMP/full.dump")
check "the log, every decision and reason, listings and audit are the same ($rows rows)" \
    cmp -s "$TMP/fast.dump" "$TMP/full.dump"
diff "$TMP/fast.dump" "$TMP/full.dump" | head -4 >&2 || true
check "the model decided after the snapshots" \
    python3 -c 'import sqlite3,sys; assert sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM decisions WHERE model = 1").fetchone()[0] > 100' "$full"
# what a node holds in memory reads the same: sellers' clusters and risk
for seller in $(python3 -c 'import json,sys
s=[json.loads(l)["seller"] for l in open(sys.argv[1]) if json.loads(l)["type"]=="listing"]
print(" ".join(sorted(set(s))[::40]))' "$TMP/c.jsonl"); do
    "$GENUINE" seller --db "$fast" "$seller" > "$TMP/a" 2>&1 || true
    GENUINE_NO_SNAPSHOT=1 "$GENUINE" seller --db "$full" "$seller" > "$TMP/b" 2>&1 || true
    check "genuine seller $seller reads the same" cmp -s "$TMP/a" "$TMP/b"
done

# --- snapshots a node does not use: said, then the whole log replayed
bad=$TMP/bad.db
cp "$full" "$bad"
"$GENUINE" store snapshot --db "$bad" > /dev/null
python3 - "$bad" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
seq, part, blob = db.execute("SELECT seq, part, bytes FROM snapshots").fetchone()
blob = bytearray(blob); blob[len(blob) // 2] ^= 1
db.execute("UPDATE snapshots SET bytes = ? WHERE seq = ? AND part = ?", (bytes(blob), seq, part))
db.commit()
PY
out=$(join "$bad")
check "a damaged snapshot is refused: $(cat "$TMP/join.err")" \
    grep -q "not used: the snapshot's checksum does not match" "$TMP/join.err"
check "and the whole log replayed: $out" [ "$(field "$out" joined_from)" = 0 ]

echo "policy.block_at = 0.86" > "$TMP/other.conf"
out=$("$GENUINE" store join --db "$fast" --config "$TMP/other.conf" 2> "$TMP/join.err")
check "a snapshot of another configuration is refused: $(cat "$TMP/join.err")" \
    grep -q "not used: .*another configuration" "$TMP/join.err"
check "and the whole log replayed: $out" [ "$(field "$out" joined_from)" = 0 ]

out=$("$GENUINE" store join --db "$fast" --policy policy/default.lua 2> "$TMP/join.err")
check "a node with Lua rules does not use it: $(cat "$TMP/join.err")" \
    grep -q "not used: .*Lua rules" "$TMP/join.err"

other=$TMP/other.db
"$GENUINE" ingest --db "$other" "$TMP/b.jsonl" > /dev/null
python3 - "$fast" "$other" <<'PY'
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT seq, part, bytes FROM snapshots").fetchall()
db = sqlite3.connect(sys.argv[2])
db.execute("CREATE TABLE IF NOT EXISTS snapshots(seq INTEGER NOT NULL, part INTEGER NOT NULL, "
           "bytes BLOB NOT NULL, PRIMARY KEY(seq, part))")
db.executemany("INSERT INTO snapshots VALUES (?, ?, ?)", rows)
db.commit()
PY
out=$(join "$other")
check "a snapshot of another store's log is refused: $(cat "$TMP/join.err")" \
    grep -Eq "not used: (the snapshot is of another log|the log has no event)" "$TMP/join.err"
check "and the whole log replayed: $out" [ "$(field "$out" joined_from)" = 0 ]

# the refused snapshot's node still decides as the full replay
"$GENUINE" ingest --db "$bad" "$TMP/c.jsonl" > /dev/null 2>&1
check "a node that refused the snapshot decides as well (all duplicates now)" \
    grep -q '"accepted":0' <("$GENUINE" ingest --db "$bad" "$TMP/c.jsonl" 2> /dev/null)

set +e
"$GENUINE" store snapshot --db "$TMP/none/x.db" > /dev/null 2> "$TMP/err"
rc=$?
set -e
check "a snapshot of a store that cannot be opened exits 1 (got $rc)" [ $rc -eq 1 ]

finish
