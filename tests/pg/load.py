#!/usr/bin/env python3
# The cluster test's load generator (tests/pg/test_cluster.sh): WORKERS
# threads post batches of listing events to the genuine nodes, and write down
# every event a node acknowledged (HTTP 200, the event accepted or a
# duplicate of one the log holds) — nothing else. A batch that failed (a
# node killed, a 500 while the primary is replaced, a timeout) is sent again,
# the same events with the same ids, to the next node, until one acknowledges
# it or the run stops: a retry is safe because event ids are idempotent.
#   load.py OUT_DIR URL...   runs until OUT_DIR/stop exists
# OUT_DIR/acked: an acknowledged event id a line; OUT_DIR/batches: a line a
# batch acknowledged, "SENT_MS ACKED_MS NODE ATTEMPTS" (SENT_MS: when its
# last, successful, attempt was sent); OUT_DIR/summary: counts (duplicates:
# events a retry found logged by an attempt that was not acknowledged;
# answered_500: attempts a node answered 500, nothing acknowledged).
import json
import os
import random
import sys
import threading
import time
import urllib.error
import urllib.request

WORKERS = 3
BATCH = 20
TIMEOUT_S = 30

out_dir, urls = sys.argv[1], sys.argv[2:]
lock = threading.Lock()
acked = open(os.path.join(out_dir, "acked"), "a")
batches = open(os.path.join(out_dir, "batches"), "a")
counts = {"acked": 0, "batches": 0, "failed_attempts": 0, "rejected": 0,
          "duplicates": 0}
TITLES = ["Canvas tote bag", "Leather wallet, brown", "Gucci Marmont bag replica 1:1",
          "Running shoes size 42", "Louis Vuitton Neverfull AAA copy", "Wool scarf",
          "Rolex Submariner super clone", "Ceramic mug set"]
BRANDS = ["", "", "gucci", "", "louis vuitton", "", "rolex", ""]


def stopped():
    return os.path.exists(os.path.join(out_dir, "stop"))


def now_ms():
    return int(time.time() * 1000)


def batch(worker, number):
    rng = random.Random(worker * 1000003 + number)
    events = []
    for i in range(BATCH):
        n = number * BATCH + i
        t = rng.randrange(len(TITLES))
        ev = {"type": "listing", "id": "w%d-%d" % (worker, n),
              "at": "2026-11-%02dT%02d:%02d:00Z" % (1 + n // 1440 % 28, n // 60 % 24, n % 60),
              "listing": "L-w%d-%d" % (worker, n), "seller": "s-%d" % rng.randrange(200),
              "title": TITLES[t], "price": rng.choice([15, 40, 120, 900, 4500]),
              "currency": "USD", "category": "handbags"}
        if BRANDS[t]:
            ev["brand"] = BRANDS[t]
        events.append(ev)
    return events


def post(url, events):
    body = json.dumps(events, separators=(",", ":")).encode()
    req = urllib.request.Request(url + "/v1/events", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=TIMEOUT_S) as r:
        return r.status, json.load(r)


def work(worker):
    node = worker % len(urls)
    number = 0
    while not stopped():
        events = batch(worker, number)
        attempts = 0
        while not stopped():
            attempts += 1
            sent = now_ms()
            try:
                status, answer = post(urls[node], events)
                results = answer.get("results", [])
                ok = status == 200 and len(results) == len(events)
            except urllib.error.HTTPError as e:
                ok = False
                with lock:
                    counts["answered_%d" % e.code] = counts.get("answered_%d" % e.code, 0) + 1
            except (OSError, ValueError):
                ok = False
            if ok:
                with lock:
                    for e, r in zip(events, results):
                        if r.get("id") == e["id"] and r.get("status") in ("accepted", "duplicate"):
                            acked.write(e["id"] + "\n")
                            counts["acked"] += 1
                            counts["duplicates"] += r["status"] == "duplicate"
                        else:
                            counts["rejected"] += 1
                    acked.flush()
                    batches.write("%d %d %d %d\n" % (sent, now_ms(), node, attempts))
                    batches.flush()
                    counts["batches"] += 1
                break
            with lock:
                counts["failed_attempts"] += 1
            node = (node + 1) % len(urls)
            time.sleep(0.1)
        number += 1


threads = [threading.Thread(target=work, args=(w,)) for w in range(WORKERS)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(os.path.join(out_dir, "summary"), "w") as f:
    json.dump(counts, f)
