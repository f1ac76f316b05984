#!/usr/bin/env bash
# Photos over HTTP (issue 13 rows 3, 4 and 12): a seller's or an unconfigured
# platform's `path` is refused without opening anything and without telling
# whether the file exists, a FIFO never hangs a request; under --image-dir
# only regular files inside the folder are read; 40 failing URLs on one
# listing are not all tried, slow ones are cut at the request's budget and
# meanwhile reads answer at once (photos are hashed before the engine is
# locked); a restart replays the log without fetching or reading any photo;
# `genuine ingest` refuses a FIFO without waiting and honours --image-dir.
# A real `genuine serve` and a photo server (image_server.py), both on
# loopback. Run from the repository root after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

PHOTOS=$(cd "$(dirname "$0")/../../../shared/conformance/pdq/images" && pwd)
DB=$TMP/media.db
key() { "$GENUINE" key add --db "$DB" "$@"; }
PLATFORM=$(key --role platform)
S1=$(key --role seller --account S1)

# The photo server: every request it gets is logged in $TMP/fetched.
python3 "$(dirname "$0")/image_server.py" "$PHOTOS" "$TMP/fetched" "$TMP/port" 3 &
PHOTO_PID=$!
trap 'stop_server; kill $PHOTO_PID 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 100); do [ -s "$TMP/port" ] && break; sleep 0.05; done
PHOTO_URL=http://127.0.0.1:$(cat "$TMP/port")
: > "$TMP/fetched"
fetched() { wc -l < "$TMP/fetched" | tr -d ' '; }

# Loopback is where the photo server is: allowed for this test alone.
cat > "$TMP/genuine.conf" <<EOF
images.fetch_allow_private = 1
images.fetch_timeout_ms = 2000
images.request_budget_ms = 4000
EOF

mkfifo "$TMP/fifo"
listing() { # ID LISTING SELLER IMAGES-JSON
    printf '{"type":"listing","id":"%s","at":"2026-11-02T00:00:00Z","listing":"%s","seller":"%s","title":"Poster of a bridge","price":20,"currency":"USD","images":%s}' \
        "$1" "$2" "$3" "$4"
}
# timed NAME MAX-SECONDS KEY BODY-TEXT: posts, and fails past MAX-SECONDS.
timed() {
    local name=$1 max=$2 key=$3 text=$4
    local t0=$(date +%s.%N)
    post "$name" "$key" 200 "$text"
    local took=$(echo "$(date +%s.%N) - $t0" | bc)
    if (($(echo "$took > $max" | bc))); then bad "$name: took ${took}s, more than ${max}s"; fi
}

# ---- no --image-dir: `path` is read from nobody
start_server "$DB" --no-clock --config "$TMP/genuine.conf"

timed "a seller's paths: shadow, a FIFO, a missing file" 2 "$S1" \
    "$(listing e1 L1 S1 '[{"path":"/etc/shadow"},{"path":"'"$TMP"'/fifo"},{"path":"/nonexistent/a.jpg"}]')"
json "accepted, each path noted as not taken" \
    'j["results"][0]["status"] == "accepted" and len(j["results"][0]["decision"]["notes"]) == 3 and all("a local path is not taken from this key" in n for n in j["results"][0]["decision"]["notes"])'
json "the notes say nothing of which file exists" \
    'len({n.replace("/etc/shadow", "P").replace("'"$TMP"'/fifo", "P").replace("/nonexistent/a.jpg", "P") for n in j["results"][0]["decision"]["notes"]}) == 1'

timed "the platform's paths without --image-dir" 2 "$PLATFORM" \
    "$(listing e2 L2 P1 '[{"path":"/etc/shadow"},{"path":"'"$TMP"'/fifo"}]')"
json "refused: no --image-dir" \
    'all("read only when the server runs with --image-dir" in n for n in j["results"][0]["decision"]["notes"])'

post "a seller may not send hashes of its own making" "$S1" 200 \
    '{"type":"listing","id":"e3","at":"2026-11-02T00:00:00Z","listing":"L3","seller":"S1","title":"Poster","price":20,"currency":"USD","images":[{"url":"http://example.com/a.jpg"}],"media":{"images":[{"pdq":["'"$(printf '0%.0s' $(seq 64))"'"]}]}}' \
    '"status":"rejected"' "field 'media'"
stop_server

# ---- --image-dir: regular files inside the folder, for the platform only
mkdir -p "$TMP/images/sub"
cp "$PHOTOS/bridge-1-original.jpg" "$TMP/images/sub/official.jpg"
ln -s /etc/passwd "$TMP/images/link.jpg"
ln -s "$TMP/images/sub/official.jpg" "$TMP/images/inside-link.jpg"
mkfifo "$TMP/images/fifo.jpg"
start_server "$DB" --no-clock --config "$TMP/genuine.conf" --image-dir "$TMP/images"

post "the brand's photo from the image folder" "$PLATFORM" 200 \
    '[{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"vyadukt","name":"Vyadukt","official_images":[{"path":"sub/official.jpg","role":"official"}],"authorized_sellers":["official-store"]}]' \
    '"status":"accepted"'
timed "a stranger's listing with the brand's photo flipped, by URL" 5 "$S1" \
    "$(listing e4 L4 S1 '[{"url":"'"$PHOTO_URL"'/img/bridge-5-flipx.jpg"}]')"
json "fetched, hashed, matched" \
    '"IMAGE_STOLEN_OFFICIAL" in json.dumps(j["results"][0]["decision"])'

timed "the platform's paths out of the folder, a link, a FIFO" 2 "$PLATFORM" \
    "$(listing e5 L5 P1 '[{"path":"../media.db"},{"path":"/etc/passwd"},{"path":"link.jpg"},{"path":"inside-link.jpg"},{"path":"fifo.jpg"},{"path":"sub"}]')"
json "each refused for what it is" \
    'len(j["results"][0]["decision"]["notes"]) == 6 and "may not lead out" in j["results"][0]["decision"]["notes"][0] and "not under the image directory" in j["results"][0]["decision"]["notes"][1] and "symbolic link" in j["results"][0]["decision"]["notes"][2] and "symbolic link" in j["results"][0]["decision"]["notes"][3] and "not a regular file" in j["results"][0]["decision"]["notes"][4] and "not a regular file" in j["results"][0]["decision"]["notes"][5]'
post "an absolute path inside the folder is read" "$PLATFORM" 200 \
    "$(listing e6 L6 P1 '[{"path":"'"$TMP"'/images/sub/official.jpg"}]')"
json "no note: the photo was had" '"notes" not in j["results"][0]["decision"]'
post "a seller's path to a file that is there" "$S1" 200 \
    "$(listing e7 L7 S1 '[{"path":"sub/official.jpg"}]')" "a local path is not taken from this key"

# ---- 40 failing URLs: only the first 16 are tried
BEFORE=$(fetched)
IMAGES=$(python3 -c 'import json,sys; print(json.dumps([{"url": sys.argv[1] + "/missing/%d.jpg" % i} for i in range(40)]))' "$PHOTO_URL")
timed "one listing with 40 failing photo URLs" 4 "$S1" "$(listing e8 L8 S1 "$IMAGES")"
check "16 fetched, not 40 ($(($(fetched) - BEFORE)))" [ "$(($(fetched) - BEFORE))" = 16 ]
json "each photo noted, 24 of them not tried" \
    'len(j["results"][0]["decision"]["notes"]) == 40 and sum("not tried" in n for n in j["results"][0]["decision"]["notes"]) == 24'

# ---- slow photos: cut at the request's budget, and reads go on meanwhile
SLOW=$(python3 -c 'import json,sys; print(json.dumps([{"url": sys.argv[1] + "/slow/%d.jpg" % i} for i in range(6)]))' "$PHOTO_URL")
printf '[%s,%s]' "$(listing e9 L9 S1 "$SLOW")" "$(listing e10 L10 S1 "$SLOW")" > "$TMP/slow.json"
T0=$(date +%s.%N)
curl -s -o "$TMP/slow.out" -H "Authorization: Bearer $S1" -H 'Content-Type: application/json' \
    --data-binary "@$TMP/slow.json" "$URL/v1/events" &
SLOW_PID=$!
sleep 0.5
T1=$(date +%s.%N)
get "a read while the slow POST fetches" "$PLATFORM" /v1/listings/L4 200 '"listing":"L4"'
READ=$(echo "$(date +%s.%N) - $T1" | bc)
check "the read answered in ${READ}s, under 0.5s" [ "$(echo "$READ < 0.5" | bc)" = 1 ]
wait $SLOW_PID
TOOK=$(echo "$(date +%s.%N) - $T0" | bc)
check "the slow POST ended in ${TOOK}s, within its 4s budget and a fetch's 2s" [ "$(echo "$TOOK < 7" | bc)" = 1 ]
BODY=$(cat "$TMP/slow.out")
json "both slow listings accepted, their photos noted" \
    '[r["status"] for r in j["results"]] == ["accepted"] * 2 and all(len(r["decision"]["notes"]) == 6 for r in j["results"])'
json "the second listing's photos found the budget spent" \
    'any("this request'"'"'s time for photos is spent" in n for n in j["results"][1]["decision"]["notes"])'
stop_server

# ---- a restart replays the log: no photo fetched or read again
BEFORE=$(fetched)
rm "$TMP/images/sub/official.jpg"
start_server "$DB" --no-clock --config "$TMP/genuine.conf" --image-dir "$TMP/images"
check "nothing fetched on replay" [ "$(fetched)" = "$BEFORE" ]
post "the brand's photo, gone from the folder, is still known" "$S1" 200 \
    "$(listing e11 L11 S1 '[{"url":"'"$PHOTO_URL"'/img/bridge-3-rotate-180.jpg"}]')" 'IMAGE_STOLEN_OFFICIAL'
get "L4 decided as before" "$PLATFORM" /v1/listings/L4 200 'IMAGE_STOLEN_OFFICIAL'
get "the case file carries the hash of a photo given by URL" "$PLATFORM" /v1/cases/S1 200 \
    '"source":"'"$PHOTO_URL"'/img/bridge-5-flipx.jpg"'
stop_server

# ---- genuine ingest, the operator: any regular file, never a FIFO; --image-dir confines it
cp "$PHOTOS/bridge-1-original.jpg" "$TMP/images/sub/official.jpg"
listing o1 O1 S9 '[{"path":"'"$TMP"'/fifo"},{"path":"'"$TMP"'/images/sub/official.jpg"}]' > "$TMP/op.jsonl"
echo >> "$TMP/op.jsonl"
OUT=$(timeout 10 "$GENUINE" ingest --db "$TMP/op.db" "$TMP/op.jsonl" 2>&1) || true
check "ingest: a FIFO is refused, not waited on, the file read ($OUT)" \
    has "$OUT" 'not a regular file'
check "ingest: one note only" [ "$(grep -c 'note' <<< "$OUT")" = 1 ]
OUT=$(timeout 10 "$GENUINE" ingest --db "$TMP/op2.db" --image-dir "$TMP/images/sub" "$TMP/op.jsonl" 2>&1) || true
check "ingest --image-dir: the path outside is refused ($OUT)" has "$OUT" 'not under the image directory'
check "ingest --image-dir: the path inside is read" [ "$(grep -c 'note' <<< "$OUT")" = 1 ]

finish
