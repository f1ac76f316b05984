#!/usr/bin/env bash
# What reaches the server (issue 13, row 9): a body grows as its bytes arrive,
# so 60 connections announcing 16 MiB bodies reserve nothing (the server runs
# under a 900 MB address-space limit, which 960 MB of reservations would
# break) and it keeps answering; bodies in flight over --max-inflight are 503,
# connections from one address over --max-client-connections are 429, both
# with JSON errors.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/limits.db
# start_limited DB [ARGS...]: start_server, the server's address space capped.
start_limited() {
    local db=$1; shift
    : > "$TMP/server.log"
    (ulimit -v 900000; exec "$GENUINE" serve --db "$db" --listen 127.0.0.1:0 "$@") 2> "$TMP/server.log" &
    SERVER_PID=$!
    for _ in $(seq 100); do
        URL=$(sed -n 's/^genuine: serving on \(http:[^ ]*\)$/\1/p' "$TMP/server.log")
        [ -n "$URL" ] && return 0
        sleep 0.05
    done
    echo "$NAME: the server did not start: $(cat "$TMP/server.log")" >&2
    exit 1
}

# --- 60 connections each announcing 16 MiB and sending 4 KiB of it
start_limited "$DB" --no-auth --no-clock
python3 - "$URL" "$SERVER_PID" > "$TMP/flood" 2>&1 <<'PY' && ok || bad "announced bodies: $(cat "$TMP/flood")"
import socket, sys, time, urllib.request
url, pid = sys.argv[1], sys.argv[2]
host, port = url[len("http://"):].rsplit(":", 1)
def vm(field):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith(field):
            return int(line.split()[1]) // 1024
before = vm("VmSize")
socks = []
for i in range(60):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"POST /v1/events HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
              b"Content-Length: 16777216\r\n\r\n" % (host.encode(), port.encode()) + b" " * 4096)
    socks.append(s)
time.sleep(1.0)
grew, rss = vm("VmSize") - before, vm("VmRSS")
with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
    assert r.status == 200, r.status
print(f"60 bodies of 16 MiB announced: address space +{grew} MB, RSS {rss} MB")
assert grew < 200 and rss < 200, (grew, rss)
for s in socks:
    s.close()
PY
cat "$TMP/flood"
kill -0 "$SERVER_PID" 2> /dev/null && ok || bad "the server died under announced bodies: $(tail -3 "$TMP/server.log")"
req GET /healthz
expect "it still answers" 200 '"ok"'
stop_server

# --- bodies in flight past --max-inflight: 503 for the one that passes it
start_server "$DB" --no-auth --no-clock --max-body 800000 --max-inflight 1000000
python3 - "$URL" > "$TMP/busy" 2>&1 <<'PY' && ok || bad "in-flight limit: $(cat "$TMP/busy")"
import json, socket, sys, time
url = sys.argv[1]
host, port = url[len("http://"):].rsplit(":", 1)
event = b'{"type":"brand","id":"b%d","at":"2026-11-22T10:00:00Z","brand":"b%d","name":"B"}'
def body(i):
    e = event % (i, i)
    return e + b" " * (700000 - len(e))
def start(i, first):
    s = socket.create_connection((host, int(port)))
    s.sendall(b"POST /v1/events HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
              b"Content-Length: 700000\r\nConnection: close\r\n\r\n" % (host.encode(), port.encode()))
    s.sendall(body(i)[:first])
    return s
def finish(s, i, sent):
    s.sendall(body(i)[sent:])
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    head, _, text = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), text.decode()
a = start(1, 600000)
time.sleep(0.3)
b = start(2, 0)
code_b, text_b = finish(b, 2, 0)
code_a, text_a = finish(a, 1, 600000)
print(code_b, text_b, code_a, text_a)
assert code_b == 503 and "error" in json.loads(text_b), text_b
assert code_a == 200 and json.loads(text_a)["results"][0]["status"] == "accepted", text_a
PY
stop_server

# --- connections from one address past --max-client-connections: 429
start_server "$DB" --no-auth --no-clock --max-client-connections 4
python3 - "$URL" > "$TMP/many" 2>&1 <<'PY' && ok || bad "per-client limit: $(cat "$TMP/many")"
import json, socket, sys, time, urllib.error, urllib.request
url = sys.argv[1]
host, port = url[len("http://"):].rsplit(":", 1)
held = [socket.create_connection((host, int(port))) for _ in range(4)]
time.sleep(0.3)
try:
    urllib.request.urlopen(url + "/healthz", timeout=5)
    raise SystemExit("a fifth connection was answered")
except urllib.error.HTTPError as e:
    text = e.read().decode()
    assert e.code == 429 and "too many connections" in json.loads(text)["error"], (e.code, text)
for s in held:
    s.close()
time.sleep(0.3)
with urllib.request.urlopen(url + "/healthz", timeout=5) as r:
    assert r.status == 200
print("ok")
PY
stop_server

finish
