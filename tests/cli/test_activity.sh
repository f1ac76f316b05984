#!/usr/bin/env bash
# End-to-end: a seller whose listing is ordered by buyers on its own device
# (brushing) gets ORDERS_FROM_LINKED_BUYERS on that listing, decided again
# with the order as cause (not on its next listing: that is the cluster's);
# an honest seller whose buyers sit behind one carrier NAT with it does not.
# A restart (replay of the log) gives the same decisions.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

db=$TMP/g.db
n=0
# ev JSON: appends the event, its id "@" replaced by a fresh one.
ev() { n=$((n + 1)); echo "${1/\"@\"/\"e$n\"}" >> "$TMP/events.jsonl"; }
at=2026-11-02T00:00:00Z
ev "{\"type\":\"seller\",\"id\":\"@\",\"at\":\"2025-01-01T00:00:00Z\",\"seller\":\"brusher\",\"name\":\"Brusher\"}"
ev "{\"type\":\"seller\",\"id\":\"@\",\"at\":\"2025-01-01T00:00:00Z\",\"seller\":\"honest\",\"name\":\"Honest\"}"
ev "{\"type\":\"session\",\"id\":\"@\",\"at\":\"$at\",\"account\":\"brusher\",\"device\":\"tablet-77\"}"
for b in 1 2; do
    ev "{\"type\":\"session\",\"id\":\"@\",\"at\":\"$at\",\"account\":\"fan-$b\",\"device\":\"Tablet-77\"}"
done
# The honest seller and 30 shoppers share one carrier-grade NAT address and gateway.
ev "{\"type\":\"session\",\"id\":\"@\",\"at\":\"$at\",\"account\":\"honest\",\"ip\":\"100.64.7.7\",\"network\":\"cgnat-gw-1\"}"
for b in $(seq 1 30); do
    ev "{\"type\":\"session\",\"id\":\"@\",\"at\":\"$at\",\"account\":\"mobile-$b\",\"ip\":\"100.64.7.7\",\"network\":\"cgnat-gw-1\"}"
done
for s in brusher honest; do
    ev "{\"type\":\"listing\",\"id\":\"@\",\"at\":\"$at\",\"listing\":\"$s-1\",\"seller\":\"$s\",\"title\":\"Ceramic coffee mug\",\"price\":12,\"currency\":\"USD\",\"ship_from\":\"CN\"}"
done
for b in 1 2; do
    ev "{\"type\":\"order\",\"id\":\"brush-$b\",\"at\":\"2026-11-03T00:00:00Z\",\"order\":\"OB$b\",\"listing\":\"brusher-1\",\"buyer\":\"fan-$b\",\"price\":12}"
    ev "{\"type\":\"order\",\"id\":\"@\",\"at\":\"2026-11-03T00:00:00Z\",\"order\":\"OH$b\",\"listing\":\"honest-1\",\"buyer\":\"mobile-$b\",\"price\":12}"
done
ev "{\"type\":\"listing\",\"id\":\"@\",\"at\":\"2026-11-04T00:00:00Z\",\"listing\":\"brusher-2\",\"seller\":\"brusher\",\"title\":\"Ceramic tea cup\",\"price\":9,\"currency\":\"USD\"}"
ev "{\"type\":\"listing\",\"id\":\"@\",\"at\":\"2026-11-04T00:00:00Z\",\"listing\":\"honest-2\",\"seller\":\"honest\",\"title\":\"Ceramic tea cup\",\"price\":9,\"currency\":\"USD\"}"

"$GENUINE" ingest --db "$db" "$TMP/events.jsonl" > "$TMP/out"
check "every event accepted ($(cat "$TMP/out"))" grep -q '"rejected":0' "$TMP/out"
"$GENUINE" decisions --db "$db" > "$TMP/decisions"
line() { grep "\"listing\":\"$1\"" "$TMP/decisions"; }
check "the brushed listing carries ORDERS_FROM_LINKED_BUYERS" has "$(line brusher-1)" '"code":"ORDERS_FROM_LINKED_BUYERS"'
check "the reason says how the buyers are linked, not the value" \
    has "$(line brusher-1)" "2 of the listing's 2 orders come from buyers linked to the seller (sharing a device)"
check "the device id itself is never shown" bash -c "! grep -qi tablet-77 '$TMP/decisions'"
next_not_brushed() { ! line brusher-2 | grep -q ORDERS_FROM_LINKED; }
check "the seller's next listing does not: brushing is about the listing brushed" next_not_brushed
honest_not_brushing() { ! grep '"seller":"honest"' "$TMP/decisions" | grep -q ORDERS_FROM_LINKED; }
check "the honest seller behind a carrier NAT: no brushing" honest_not_brushing
check "the honest listing stays live" has "$(line honest-1)" '"status":"live"'


# A restart replays the log into the same state: the same decisions.
echo "{\"type\":\"rate\",\"id\":\"rate-1\",\"at\":\"2026-11-05T00:00:00Z\",\"currency\":\"EUR\",\"usd\":1.1}" > "$TMP/more.jsonl"
"$GENUINE" ingest --db "$db" "$TMP/more.jsonl" > /dev/null
check "a restart gives the same decisions" cmp -s "$TMP/decisions" <("$GENUINE" decisions --db "$db")

finish
