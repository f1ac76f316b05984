#!/usr/bin/env python3
# An independent reading of the event contract (shared/design/CONTRACT.md) in
# Python, to check event files without the engine: the demo data, generated
# corpora, and the expected outcomes of examples/bad-events.jsonl.
#
#   check_events.py FILE|-                 one line per event: LINE accepted|duplicate|rejected [FIELD]
#   check_events.py --quiet FILE|-         only the summary; exit 1 if any event is rejected
#   check_events.py --expect EXPECTED FILE compare with an .expected file; exit 1 on any difference
#   check_events.py --ordered ...          also require `at` never to go backwards
#
# Blank lines are skipped, as `genuine ingest` skips them. The summary line is
# the one `genuine ingest` prints: {"accepted":N,"duplicates":N,"rejected":N}.
import json
import re
import sys

ID_MAX, TEXT_MAX = 256, 100000
RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")

ENUMS = {
    "right_kind": ["trademark", "copyright", "patent", "design"],
    "template": ["basic", "custom"],
    "status": ["submitted", "verified", "rejected"],
    "attr_kind": ["phone", "email", "bank_account", "payment_account", "address", "tax_id"],
    "subject": ["listing", "seller", "right", "complaint", "report", "appeal"],
}
# type -> [(field, kind, required)]; kinds as in src/core/event.c
RULES = {
    "brand": [("brand", "id", 1), ("name", "text", 1), ("aliases", "texts", 0), ("owner", "id", 0),
              ("categories", "texts", 0), ("reference_prices", "refprices", 0),
              ("official_images", "images", 0), ("authorized_sellers", "ids", 0),
              ("authorized_only", "bool", 0)],
    "ip_right": [("right", "id", 1), ("brand", "id", 1), ("kind", "enum:right_kind", 1), ("number", "text", 1),
                 ("holder", "id", 1), ("jurisdiction", "text", 0), ("classes", "texts", 0),
                 ("valid_from", "time", 0), ("valid_until", "time", 0), ("documents", "texts", 0)],
    "seller": [("seller", "id", 1), ("name", "text", 1), ("country", "country", 0),
               ("template", "enum:template", 0), ("business_id", "text", 0), ("signals", "signals", 0)],
    "seller_verification": [("seller", "id", 1), ("status", "enum:status", 1), ("documents", "documents", 0)],
    "session": [("account", "id", 1), ("ip", "text", 0), ("device", "text", 0), ("network", "text", 0),
                ("user_agent", "text", 0)],
    "seller_attribute": [("seller", "id", 1), ("kind", "enum:attr_kind", 1), ("value", "text", 1)],
    "listing": [("listing", "id", 1), ("seller", "id", 1), ("title", "text", 1), ("price", "price", 1),
                ("currency", "currency", 1), ("description", "text", 0), ("brand", "text", 0),
                ("category", "text", 0), ("images", "images", 0), ("quantity", "count", 0),
                ("ship_from", "country", 0), ("signals", "signals", 0)],
    "order": [("order", "id", 1), ("listing", "id", 1), ("buyer", "id", 1), ("price", "price", 1),
              ("quantity", "count", 0), ("ship_to", "country", 0)],
    "review": [("review", "id", 1), ("listing", "id", 1), ("buyer", "id", 1), ("rating", "rating", 1),
               ("text", "text", 0), ("order", "id", 0)],
    "shipment": [("order", "id", 1), ("origin", "origin", 1), ("carrier", "text", 0), ("tracking", "text", 0)],
    "report": [("report", "id", 1), ("listing", "id", 1), ("reporter", "id", 1), ("reason", "text", 1),
               ("text", "text", 0)],
    "complaint": [("complaint", "id", 1), ("rights_holder", "id", 1), ("right", "id", 1), ("listings", "ids", 1),
                  ("statement", "text", 0)],
    "counter_notice": [("complaint", "id", 1), ("listing", "id", 1), ("seller", "id", 1), ("statement", "text", 1)],
    "verdict": [("subject", "enum:subject", 1), ("target", "id", 1), ("outcome", "id", 1), ("reviewer", "id", 1),
                ("note", "text", 0)],
    "appeal": [("appeal", "id", 1), ("seller", "id", 1), ("target", "id", 1), ("statement", "text", 1)],
    "rate": [("currency", "currency", 1), ("usd", "price", 1)],
}
OUTCOMES = {"listing": ("counterfeit", "genuine"), "seller": ("banned", "cleared"), "right": ("verified", "rejected"),
            "complaint": ("upheld", "rejected"), "report": ("upheld", "rejected"), "appeal": ("upheld", "rejected")}


class Bad(Exception):
    def __init__(self, field, why):
        super().__init__("field '%s': %s" % (field, why) if field else why)
        self.field = field or "-"


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def string(f, v, limit, nonempty):
    if not isinstance(v, str):
        raise Bad(f, "expected a string")
    n = len(v.encode("utf-8", "surrogatepass"))
    if nonempty and n == 0:
        raise Bad(f, "must not be empty")
    if n > limit:
        raise Bad(f, "%d bytes, longer than the limit of %d" % (n, limit))
    if "\0" in v:
        raise Bad(f, "contains a NUL character")


def number(f, v, whole, lo, hi):
    if not is_num(v):
        raise Bad(f, "expected a number")
    if v != v or v in (float("inf"), float("-inf")) or (whole and v != int(v)):
        raise Bad(f, "expected a whole number")
    if v < lo or v > hi:
        raise Bad(f, "%r is out of range" % v)


def upper(f, v, n):
    if not isinstance(v, str) or len(v) != n or not all("A" <= c <= "Z" for c in v):
        raise Bad(f, "expected %d upper-case letters" % n)


def image(f, v):
    if not isinstance(v, dict):
        raise Bad(f, "expected an image object")
    if not any(k in v for k in ("pdq", "path", "url")):
        raise Bad(f, "an image needs one of 'pdq', 'path' or 'url'")
    if "pdq" in v:
        h = v["pdq"]
        if not isinstance(h, str) or not re.fullmatch(r"[0-9a-fA-F]{64}", h):
            raise Bad(f + ".pdq", "expected 64 hexadecimal characters")
    for k in ("path", "url"):
        if k in v:
            string(f + "." + k, v[k], 4096, 1)
    if "role" in v:
        string(f + ".role", v["role"], ID_MAX, 1)


def check(f, kind, v):
    if kind == "id":
        string(f, v, ID_MAX, 1)
    elif kind == "text":
        string(f, v, TEXT_MAX, 0)
    elif kind.startswith("enum:"):
        if not isinstance(v, str):
            raise Bad(f, "expected a string")
        if v not in ENUMS[kind[5:]]:
            raise Bad(f, "%r is not one of %s" % (v, ", ".join(ENUMS[kind[5:]])))
    elif kind == "time":
        if not isinstance(v, str) or not RFC3339.match(v):
            raise Bad(f, "not an RFC 3339 time")
    elif kind == "price":
        number(f, v, 0, 0, 1e12)
    elif kind == "count":
        number(f, v, 1, 0, 1e12)
    elif kind == "rating":
        number(f, v, 1, 1, 5)
    elif kind == "bool":
        if not isinstance(v, bool):
            raise Bad(f, "expected true or false")
    elif kind == "currency":
        upper(f, v, 3)
    elif kind == "country":
        upper(f, v, 2)
    elif kind == "signals":
        if not isinstance(v, dict):
            raise Bad(f, "expected an object of name: number")
        for k, x in v.items():
            number(f + "." + k, x, 0, -1e15, 1e15)
    elif kind == "origin":
        if not isinstance(v, dict):
            raise Bad(f, "expected an object {country, city, facility}")
        if "country" not in v:
            raise Bad(f + ".country", "missing")
        upper("origin.country", v["country"], 2)
        for k in ("city", "facility"):
            if k in v:
                string(f + "." + k, v[k], TEXT_MAX, 0)
    else:  # arrays
        if not isinstance(v, list):
            raise Bad(f, "expected an array")
        for i, el in enumerate(v):
            sub = "%s[%d]" % (f, i)
            if kind == "ids":
                string(sub, el, ID_MAX, 1)
            elif kind == "texts":
                string(sub, el, TEXT_MAX, 0)
            elif kind == "images":
                image(sub, el)
            elif kind == "refprices":
                if not isinstance(el, dict):
                    raise Bad(sub, "expected an object {category, price, currency}")
                for k in ("category", "price", "currency"):
                    if k not in el:
                        raise Bad(sub + "." + k, "missing")
                string(sub + ".category", el["category"], TEXT_MAX, 1)
                number(sub + ".price", el["price"], 0, 0, 1e12)
                upper(sub + ".currency", el["currency"], 3)
            elif kind == "documents":
                if not isinstance(el, dict):
                    raise Bad(sub, "expected an object {kind, number, issuer}")
                for k in ("kind", "number", "issuer"):
                    if k in el:
                        string(sub + "." + k, el[k], TEXT_MAX, 0)


def reject_constant(c):
    raise ValueError("%s is not JSON" % c)


def validate(raw):
    """Returns the decoded event or raises Bad naming the field."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise Bad(None, "not valid JSON: invalid UTF-8")
    try:
        ev = json.loads(text, parse_constant=reject_constant,
                        object_pairs_hook=lambda pairs: dup_keys(pairs))
    except ValueError as e:
        raise Bad(None, "not valid JSON: %s" % e)
    if not isinstance(ev, dict):
        raise Bad(None, "expected a JSON object")
    if "type" not in ev:
        raise Bad("type", "missing")
    if not isinstance(ev["type"], str):
        raise Bad("type", "expected a string")
    if ev["type"] not in RULES:
        raise Bad("type", "unknown event type %r" % ev["type"])
    for f, kind, req in [("id", "id", 1), ("at", "time", 1)] + RULES[ev["type"]]:
        if f not in ev or ev[f] is None:
            if req:
                raise Bad(f, "missing (required for a %s event)" % ev["type"])
            continue
        check(f, kind, ev[f])
    if ev["type"] == "verdict" and ev["subject"] in OUTCOMES and ev["outcome"] not in OUTCOMES[ev["subject"]]:
        raise Bad("outcome", "%r is not a %s outcome" % (ev["outcome"], ev["subject"]))
    if ev["type"] == "complaint" and not ev["listings"]:
        raise Bad("listings", "a complaint names at least one listing")
    if ev["type"] == "rate" and not ev["usd"] > 0:
        raise Bad("usd", "must be greater than 0")
    return ev


def dup_keys(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError("duplicate object key")
    return dict(pairs)


def main(argv):
    quiet = ordered = False
    expect = None
    args = argv[1:]
    while args and args[0].startswith("--"):
        opt = args.pop(0)
        if opt == "--quiet":
            quiet = True
        elif opt == "--ordered":
            ordered = True
        elif opt == "--expect" and args:
            expect = args.pop(0)
        else:
            print(__doc__ or "usage: check_events.py [--quiet] [--ordered] [--expect FILE] FILE|-", file=sys.stderr)
            return 2
    if len(args) != 1:
        print("usage: check_events.py [--quiet] [--ordered] [--expect FILE] FILE|-", file=sys.stderr)
        return 2
    src = sys.stdin.buffer if args[0] == "-" else open(args[0], "rb")
    seen, counts, results, last_at, errors = set(), {"accepted": 0, "duplicate": 0, "rejected": 0}, {}, None, 0
    for n, raw in enumerate(src, 1):
        if not raw.strip():
            results[n] = ("skipped", "")
            continue
        try:
            ev = validate(raw.rstrip(b"\r\n"))
            outcome, field = ("duplicate" if ev["id"] in seen else "accepted"), ""
            seen.add(ev["id"])
            if ordered and last_at is not None and ev["at"] < last_at:
                print("%d: 'at' %s goes back in time (previous %s)" % (n, ev["at"], last_at), file=sys.stderr)
                errors += 1
            last_at = ev["at"] if ordered else None
        except Bad as e:
            outcome, field = "rejected", e.field
            if not quiet and not expect:
                print("%d: %s" % (n, e), file=sys.stderr)
        counts[outcome] += 1
        results[n] = (outcome, field)
        if not quiet and not expect:
            print(("%d %s %s" % (n, outcome, field)).rstrip())
    print(json.dumps({"accepted": counts["accepted"], "duplicates": counts["duplicate"],
                      "rejected": counts["rejected"]}, separators=(",", ":")), file=sys.stderr if not quiet and not expect else sys.stdout)
    if expect:
        for line in open(expect, encoding="utf-8"):
            line = line.split("#", 1)[0].split()
            if not line:
                continue
            n, want = int(line[0]), (line[1], line[2] if len(line) > 2 else "")
            got = results.get(n, ("missing", ""))
            if want[1] == "-":
                want = (want[0], "-")
            if got != want:
                print("line %d: expected %s, got %s" % (n, " ".join(want).strip(), " ".join(got).strip()))
                errors += 1
        return 1 if errors else 0
    if quiet and counts["rejected"]:
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
