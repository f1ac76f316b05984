#!/usr/bin/env python3
# The group commit test's clients (tests/pg/test_group_commit.sh): WORKERS
# threads post batches of listing events with overlapping ids to two genuine
# nodes on one PostgreSQL for SECONDS, while the nodes' connections are
# terminated a few times (so that commits in flight fail). Every answer is
# checked the moment it arrives, on a connection of the worker's own to the
# database: an event a node acknowledged (200, accepted or duplicate) must
# be committed already, i.e. visible in the log. Then: no id accepted twice,
# every acknowledged id logged once, the log numbered without a gap, events
# of several requests committed by one transaction (a group), and each
# node's memory agrees with the log (every logged id is a duplicate on both
# nodes, every other id is accepted). Prints a summary; exits 1 on a failure.
#   group_load.py STORE_URL NODE_URL_A NODE_URL_B
import json
import os
import random
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

WORKERS = 12
SECONDS = 8
BATCH = 10
POOL = 2000  # event ids the workers draw from: each drawn by several

store, nodes = sys.argv[1], sys.argv[2:4]
lock = threading.Lock()
failures = []
answers = {"200": 0, "500": 0, "other": 0}
accepted_by = {}  # id -> how many 200 answers said accepted
acked = set()     # ids acknowledged (accepted or duplicate)
sent = set()
accepted_on = [0, 0]
stop_at = time.monotonic() + SECONDS
TITLES = ["Canvas tote bag", "Gucci Marmont bag replica 1:1", "Running shoes size 42",
          "Louis Vuitton Neverfull AAA copy", "Wool scarf", "Ceramic mug set"]


def fail(message):
    with lock:
        failures.append(message)
    print("FAIL: " + message, file=sys.stderr)


def event(k):
    """Event k, the same text whoever sends it: a retry is the same event."""
    t = k % len(TITLES)
    return {"type": "listing", "id": "e-%d" % k, "at": "2026-11-02T%02d:%02d:00Z" % (k // 60 % 24, k % 60),
            "listing": "L-%d" % k, "seller": "s-%d" % (k % 50), "title": TITLES[t],
            "price": [15, 40, 900, 4500][k % 4], "currency": "USD", "category": "handbags"}


def post(url, events, timeout=30):
    req = urllib.request.Request(url + "/v1/events", json.dumps(events).encode(),
                                 {"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(errors="replace")


class Db:
    """psql kept open: a query, one line back."""

    def __init__(self):
        env = dict(os.environ, PGAPPNAME="gc-check")
        self.p = subprocess.Popen(["psql", "-qAtX", store], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True, bufsize=1, env=env)

    def line(self, sql):
        self.p.stdin.write(sql.replace("\n", " ") + ";\n")
        self.p.stdin.flush()
        return self.p.stdout.readline().rstrip("\n")

    def close(self):
        self.p.stdin.close()
        self.p.wait()


def logged(db, ids):
    got = db.line("SELECT string_agg(id, ',') FROM events WHERE id = ANY('{%s}')" % ",".join(ids))
    return set(got.split(",")) if got else set()


def worker(index):
    rng = random.Random(index)
    db = Db()
    base = 0
    while time.monotonic() < stop_at:
        # a window of ids that the other workers draw from too: the same id
        # in several requests at once, on both nodes, often in one group
        base = (base + rng.randrange(4, 12)) % (POOL - 40)
        ks = rng.sample(range(base, base + 30), BATCH)
        node = rng.randrange(2)
        with lock:
            sent.update(ks)
        code, body = post(nodes[node], [event(k) for k in ks])
        if code != 200:
            with lock:
                answers["500" if code == 500 else "other"] += 1
            if code != 500 or "nothing in this request was acknowledged" not in body:
                fail("node %d answered %d: %.200s" % (node, code, body))
            continue
        results = body["results"]
        ids = [r["id"] for r in results if r["status"] in ("accepted", "duplicate")]
        if len(ids) != BATCH:
            fail("node %d: %d of %d events acknowledged: %.300s" % (node, len(ids), BATCH, body))
        # committed before the answer: visible to this other connection now
        missing = set(ids) - logged(db, ids)
        if missing:
            fail("node %d answered before the commit: %s not in the log" % (node, sorted(missing)[:5]))
        with lock:
            answers["200"] += 1
            acked.update(ids)
            for r in results:
                if r["status"] == "accepted":
                    accepted_by[r["id"]] = accepted_by.get(r["id"], 0) + 1
                    accepted_on[node] += 1
    db.close()


def chaos():
    """Terminates the nodes' connections now and then, until a commit in
    flight failed (a 500), at most six times."""
    db = Db()
    time.sleep(1.5)
    for _ in range(6):
        if time.monotonic() > stop_at - 1.5:
            break
        db.line("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND backend_type = 'client backend' "
                "AND application_name <> 'gc-check' AND pid <> pg_backend_pid()")
        time.sleep(0.8)
        with lock:
            if answers["500"]:
                break
    db.close()


threads = [threading.Thread(target=worker, args=(i,)) for i in range(WORKERS)]
threads.append(threading.Thread(target=chaos))
for t in threads:
    t.start()
for t in threads:
    t.join()

db = Db()
twice = sorted(i for i, n in accepted_by.items() if n > 1)
if twice:
    fail("accepted twice: %s" % twice[:5])
log = db.line("SELECT count(*) || ' ' || count(DISTINCT id) || ' ' || coalesce(max(seq), 0) FROM events")
n, distinct, top = map(int, log.split())
if not (n == distinct == top):
    fail("the log: %d events, %d ids, last seq %d (each id once, no gap)" % (n, distinct, top))
lost = acked - logged(db, sorted(acked)) if acked else set()
if lost:
    fail("acknowledged but not in the log: %s" % sorted(lost)[:5])
# events of several requests share their transaction (xmin): groups formed
transactions = int(db.line("SELECT count(DISTINCT xmin::text) FROM events"))
writes = sum(accepted_on)
if answers["500"] == 0:
    fail("no commit in flight failed: the connections were terminated while idle")
if not (accepted_on[0] and accepted_on[1]):
    fail("a node accepted nothing (the log's lock not shared): %s" % accepted_on)
if transactions * 2 > answers["200"]:
    fail("%d transactions for %d answers: requests were not grouped" % (transactions, answers["200"]))

# each node's memory is the log: after the failed commits, what they lost
# was forgotten (not a duplicate), what was logged is known on both
in_log = logged(db, ["e-%d" % k for k in range(POOL)])
for node in (0, 1):
    for start in range(0, POOL, 200):
        ks = list(range(start, min(POOL, start + 200)))
        code, body = post(nodes[node], [event(k) for k in ks])
        if code != 200:
            fail("node %d answered %d to the check: %.200s" % (node, code, body))
            break
        for k, r in zip(ks, body["results"]):
            want = "duplicate" if node == 1 or "e-%d" % k in in_log else "accepted"
            if r["status"] != want:
                fail("node %d: e-%d %s, expected %s" % (node, k, r["status"], want))
                break
db.close()
print("group_load: %d answers 200, %d answers 500 (nothing acknowledged), %d events accepted "
      "(node A %d, node B %d) in %d transactions; %d events logged, %d ids sent"
      % (answers["200"], answers["500"], writes, accepted_on[0], accepted_on[1], transactions,
         n, len(sent)))
sys.exit(1 if failures else 0)
