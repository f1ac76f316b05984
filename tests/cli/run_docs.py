#!/usr/bin/env python3
"""Runs the examples of README.md and docs/*.md, so that they cannot drift.

A fenced block whose info string is `console` is runnable: each line that
starts with `$ ` is a command (a line ending in a backslash goes on, and so
does a here-document, to its end marker), and the lines after it, up to the
next command, are what it prints (stderr, then stdout, as a terminal shows a
command that complains and then sums up). The commands of one file run in order, with bash, in a folder of
their own that has:

  build/genuine             the binary under test
  build/demo/genuine.db     a fresh copy of the demo's store (make demo's)
  examples/ policy/ config/ the repository's own
  $KEY                      a platform key of the server below
  a server on 127.0.0.1     `genuine serve` on that store's copy, started when
                            the file's commands use curl; 127.0.0.1:8080 and
                            localhost:8080 in a command mean it

What a command prints is compared with the doc's lines by shape:
  - a line of the doc that is `...` matches any number of lines;
  - when the doc's lines (joined) are JSON, the output must be JSON of the
    same shape: every key the doc shows is there with a value of the same
    type; strings are equal unless the doc's string holds `...`, which
    matches anything; a whole number is equal (a count, a weight), a number
    with a fraction (a score) only needs to be a number; an array's
    elements give the shape of the output's elements in order, the last one
    that of all the rest (an empty array in the doc matches any array);
  - a JSON Lines output is compared line by line the same way;
  - other lines are equal, `...` inside a line matching anything.
A command whose doc shows no output only has to exit 0, and one that shows
output must too unless the block's command ends with `|| true`.

usage: run_docs.py GENUINE FILE.md...   (prints one line per example and a tally)
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def blocks(path):
    """Yields (line number, [lines]) of each `console` block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        if lines[i].strip() == "```console":
            start, body = i + 1, []
            i += 1
            while i < len(lines) and lines[i].strip() != "```":
                body.append(lines[i])
                i += 1
            yield start + 1, body
        i += 1


def commands(start, body):
    """Splits a block into (line number, command, expected lines)."""
    out, i = [], 0
    while i < len(body):
        if not body[i].startswith("$ "):
            i += 1
            continue
        line_no, cmd = start + i, body[i][2:]
        while cmd.endswith("\\") and i + 1 < len(body):
            i += 1
            cmd = cmd[:-1] + "\n" + body[i]
        here = re.search(r"<<-?'?(\w+)'?", cmd)  # a here-document goes with its command
        i += 1
        if here:
            while i < len(body):
                cmd += "\n" + body[i]
                i += 1
                if body[i - 1].strip() == here.group(1):
                    break
        expected = []
        while i < len(body) and not body[i].startswith("$ "):
            expected.append(body[i])
            i += 1
        while expected and not expected[-1].strip():
            expected.pop()
        out.append((line_no, cmd, expected))
    return out


def same_shape(doc, got, where="$"):
    """None when got has doc's shape, else what differs."""
    if isinstance(doc, dict):
        if not isinstance(got, dict):
            return f"{where}: expected an object, got {json.dumps(got)[:80]}"
        for k, v in doc.items():
            if k not in got:
                return f"{where}: no key '{k}' in {json.dumps(got)[:160]}"
            why = same_shape(v, got[k], f"{where}.{k}")
            if why:
                return why
        return None
    if isinstance(doc, list):
        if not isinstance(got, list):
            return f"{where}: expected an array, got {json.dumps(got)[:80]}"
        if doc and not got:
            return f"{where}: expected elements, got []"
        for k, g in enumerate(got if doc else []):
            why = same_shape(doc[min(k, len(doc) - 1)], g, f"{where}[{k}]")
            if why:
                return why
        return None
    if isinstance(doc, bool) or doc is None:
        return None if got == doc else f"{where}: expected {json.dumps(doc)}, got {json.dumps(got)}"
    if isinstance(doc, int):
        return None if got == doc else f"{where}: expected {doc}, got {json.dumps(got)}"
    if isinstance(doc, float):
        ok = isinstance(got, (int, float)) and not isinstance(got, bool)
        return None if ok else f"{where}: expected a number, got {json.dumps(got)}"
    if isinstance(doc, str):
        if not isinstance(got, str):
            return f"{where}: expected a string, got {json.dumps(got)}"
        return None if text_matches(doc, got) else f"{where}: expected {doc!r}, got {got!r}"
    return f"{where}: cannot compare {doc!r}"


def text_matches(doc, got):
    pattern = ".*".join(re.escape(p) for p in doc.split("..."))
    return re.fullmatch(pattern, got, re.S) is not None


def as_json(lines):
    try:
        return json.loads("\n".join(lines)), True
    except ValueError:
        return None, False


def compare(expected, got_lines):
    """None when the output matches the doc, else why not."""
    doc, is_json = as_json(expected)
    if is_json and expected:
        got, ok = as_json(got_lines)
        if not ok:
            return "the doc shows JSON; the output is not: " + " | ".join(got_lines[:3])
        return same_shape(doc, got)
    # JSON Lines, or text with `...` lines
    e, g = 0, 0
    while e < len(expected):
        if expected[e].strip() == "...":
            if e + 1 == len(expected):
                return None
            nxt = expected[e + 1]
            while g < len(got_lines) and line_matches(nxt, got_lines[g]) is not None:
                g += 1
            if g == len(got_lines):
                return f"nothing matches the doc's line {nxt!r}"
            e += 1
            continue
        if g >= len(got_lines):
            return f"the output ends before the doc's line {expected[e]!r}"
        why = line_matches(expected[e], got_lines[g])
        if why:
            return why
        e += 1
        g += 1
    if g < len(got_lines):
        return f"the output goes on: {got_lines[g]!r}"
    return None


def line_matches(doc, got):
    d, doc_json = as_json([doc])
    if doc_json and isinstance(d, (dict, list)):
        g, ok = as_json([got])
        return same_shape(d, g) if ok else f"expected a JSON line, got {got!r}"
    return None if text_matches(doc, got) else f"expected {doc!r}, got {got!r}"


class Server:
    def __init__(self, genuine, db, folder):
        self.proc = subprocess.Popen(
            [genuine, "serve", "--db", db, "--listen", "127.0.0.1:0", "--no-clock"],
            cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            line = self.proc.stdout.readline()
            if not line:
                break
            m = re.search(r"127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = m.group(1)
        if self.port is None:
            self.stop()
            raise RuntimeError("the server did not say where it listens")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def run_file(genuine, path, demo_db):
    folder = tempfile.mkdtemp(prefix="genuine-docs-")
    results = []
    server = None
    try:
        os.makedirs(os.path.join(folder, "build", "demo"))
        os.symlink(genuine, os.path.join(folder, "build", "genuine"))
        shutil.copy(demo_db, os.path.join(folder, "build", "demo", "genuine.db"))
        for d in ("examples", "policy", "config", "scripts"):
            os.symlink(os.path.join(ROOT, d), os.path.join(folder, d))
        all_cmds = [c for start, body in blocks(path) for c in commands(start, body)]
        env = dict(os.environ, LC_ALL="C.UTF-8")
        if any("curl" in cmd for _, cmd, _ in all_cmds):
            sdb = os.path.join(folder, "server.db")
            shutil.copy(demo_db, sdb)
            key = subprocess.run([genuine, "key", "add", "--db", sdb, "--role", "platform"],
                                 capture_output=True, text=True, check=True).stdout.strip()
            env["KEY"] = key.split()[-1] if key else ""
            server = Server(genuine, sdb, folder)
        for line_no, cmd, expected in all_cmds:
            if server:
                cmd = re.sub(r"(127\.0\.0\.1|localhost):8080", f"127.0.0.1:{server.port}", cmd)
            p = subprocess.run(["bash", "-c", "set -o pipefail; " + cmd], cwd=folder, env=env,
                               capture_output=True, text=True, timeout=120)
            out = p.stderr + p.stdout  # as a terminal shows them: what went wrong first, the result last
            got = out.rstrip("\n").split("\n") if out else []
            why = None
            if p.returncode != 0 and not cmd.rstrip().endswith("|| true"):
                why = f"exit {p.returncode}: {(p.stderr or p.stdout).strip()[:300]}"
            elif expected:
                why = compare(expected, got)
            results.append((f"{os.path.relpath(path, ROOT)}:{line_no}", cmd.split("\n")[0], why))
    finally:
        if server:
            server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    return results


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().split("\n")[-1], file=sys.stderr)
        return 2
    genuine = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="genuine-docs-demo-")
    try:
        demo_db = os.path.join(work, "genuine.db")
        subprocess.run([genuine, "demo", "--no-serve", "--db", demo_db,
                        os.path.join(ROOT, "examples", "marketplace.jsonl")],
                       cwd=ROOT, capture_output=True, check=True)
        passed = failed = 0
        for path in sys.argv[2:]:
            for where, cmd, why in run_file(genuine, os.path.abspath(path), demo_db):
                if why:
                    failed += 1
                    print(f"FAIL: {where}: $ {cmd}\n      {why}")
                else:
                    passed += 1
                    print(f"ok: {where}: $ {cmd}")
        print(f"run_docs: {passed} passed, {failed} failed")
        return 1 if failed else 0
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
