#!/usr/bin/env bash
# Linked accounts over HTTP, as an attacker with a seller key would try them
# (issue 13 row 5): a seller states another seller's phone as its own, then is
# banned: the victim's next listing is not held for SELLER_LINKED_TO_BANNED,
# and the banned seller's own view shows nothing of the victim's nor of its
# real linked accounts beyond kinds and counts. The platform's view is whole.
# One phone written three ways by the platform links (issue 12). A real
# `genuine serve --no-clock` on a free loopback port. Run after `make`.
set -euo pipefail

source "$(dirname "$0")/server_lib.sh"

DB=$TMP/identity.db
key() { "$GENUINE" key add --db "$DB" "$@"; }
PLATFORM=$(key --role platform)
REVIEWER=$(key --role reviewer)
A=$(key --role seller --account A)
V=$(key --role seller --account V)
C=$(key --role seller --account C)
start_server "$DB" --no-clock

post "the platform posts sellers, the victim's observed phone, a real ring" "$PLATFORM" 200 \
    '[{"type":"seller","id":"sa","at":"2026-11-01T00:00:00Z","seller":"A","name":"Attacker","country":"CN","template":"custom"},
      {"type":"seller","id":"sv","at":"2026-11-01T00:00:00Z","seller":"V","name":"Victim","country":"CN","template":"custom"},
      {"type":"seller","id":"sc","at":"2026-11-01T00:00:00Z","seller":"C","name":"Attacker two","country":"CN","template":"custom"},
      {"type":"seller_attribute","id":"pv","at":"2026-11-01T01:00:00Z","seller":"V","kind":"phone","value":"+86 138 0013 8000"},
      {"type":"session","id":"d1","at":"2026-11-01T01:00:00Z","account":"A","device":"laptop-a1"},
      {"type":"session","id":"d2","at":"2026-11-01T01:00:00Z","account":"C","device":"LAPTOP-A1"},
      {"type":"listing","id":"lv","at":"2026-11-02T00:00:00Z","listing":"LV","seller":"V","title":"Canvas tote bag","price":20,"currency":"USD"},
      {"type":"listing","id":"lc","at":"2026-11-02T00:00:00Z","listing":"LC","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"},
      {"type":"order","id":"ov","at":"2026-11-02T01:00:00Z","order":"OV","listing":"LV","buyer":"U1","price":20},
      {"type":"shipment","id":"hv","at":"2026-11-02T02:00:00Z","order":"OV","origin":{"country":"CN","city":"Hangzhou","facility":"Victim warehouse"}},
      {"type":"order","id":"oc","at":"2026-11-02T01:00:00Z","order":"OC","listing":"LC","buyer":"U2","price":20},
      {"type":"shipment","id":"hc","at":"2026-11-02T02:00:00Z","order":"OC","origin":{"country":"CN","city":"Putian","facility":"Ring depot"}}]'
json "every platform event accepted" 'all(r["status"] == "accepted" for r in j["results"])'

post "A states the victim's phone as its own (another spelling)" "$A" 200 \
    '{"type":"seller_attribute","id":"pa","at":"2026-11-03T00:00:00Z","seller":"A","kind":"phone","value":"8613800138000"}' \
    '"status":"accepted"'
post "A may not state something about V" "$A" 403 \
    '{"type":"seller_attribute","id":"pa2","at":"2026-11-03T00:00:00Z","seller":"V","kind":"phone","value":"+86 139 0000 0000"}' \
    '{"error":"forbidden: '
post "the platform bans A" "$PLATFORM" 200 \
    '{"type":"verdict","id":"ban","at":"2026-11-04T00:00:00Z","subject":"seller","target":"A","outcome":"banned","reviewer":"R1"}' \
    '"status":"accepted"'

post "the victim lists again: not held for a link to A" "$V" 200 \
    '{"type":"listing","id":"lv2","at":"2026-11-05T00:00:00Z","listing":"LV2","seller":"V","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    '"status":"accepted"'
json "no SELLER_LINKED_TO_BANNED on the victim's listing" '"SELLER_LINKED_TO_BANNED" not in json.dumps(j) and j["results"][0]["decision"]["action"] == "allow"'
get "the victim reads itself: a cluster of one" "$V" /v1/sellers/V 200 '"seller":"V"' '"size":1,"banned":0'
get "the platform sees the victim alone too" "$PLATFORM" /v1/sellers/V 200 '"linked_sellers":[]'
json "V's cluster has no member but V" '[m["seller"] for m in j["cluster"]["members"]] == ["V"]'

# The ring member C, really linked through a device, is caught.
post "C lists again: held for its link to the banned A" "$PLATFORM" 200 \
    '{"type":"listing","id":"lc2","at":"2026-11-05T00:00:00Z","listing":"LC2","seller":"C","title":"Canvas tote bag","price":20,"currency":"USD"}' \
    'SELLER_LINKED_TO_BANNED' 'a device'
json "its reason, the seller's to read, names no other account" \
    'all(r["detail"].split()[-1] != "A" and " A " not in r["detail"] for r in j["results"][0]["decision"]["reasons"])'

post "C posts its own phone: no alert naming the banned seller comes back to it" "$C" 200 \
    '{"type":"seller_attribute","id":"pc","at":"2026-11-05T01:00:00Z","seller":"C","kind":"phone","value":"+86 139 0000 0001"}' \
    '"status":"accepted"'
json "C's result carries no alert" '"alert" not in j["results"][0] and "\"A\"" not in json.dumps(j)'
post "the platform posting the same for C gets the alert" "$PLATFORM" 200 \
    '{"type":"seller_attribute","id":"pc2","at":"2026-11-05T01:00:00Z","seller":"C","kind":"email","value":"c@example.com"}' \
    '"alert":{"seller":"C","code":"SELLER_LINKED_TO_BANNED"' '"banned":"A"'

# A's own view: its record, linked accounts as kinds and counts only.
get "A reads itself" "$A" /v1/sellers/A 200 '"seller":"A"' '"status":"banned"' \
    '"linked_accounts":1,"shares":"a device"' '"size":2,"banned":1'
json "A's own view names no other account, no origins, no brands" \
    'all(x not in json.dumps(j) for x in ["\"C\"", "\"V\"", "Putian", "Hangzhou", "shipment_origins", "members", "linked_sellers", "Ring depot"])'
get "A may not read V" "$A" /v1/sellers/V 403 '{"error":"forbidden: '
get "the platform reads C" "$PLATFORM" /v1/sellers/C 200 '"seller":"C"'
json "the platform sees C's cluster whole" \
    '{m["seller"] for m in j["cluster"]["members"]} == {"A", "C"} and j["cluster"]["shipment_origins"][0]["city"] == "Putian" and any(m["seller"] == "A" and m["banned"] for m in j["cluster"]["members"]) and "\"A\"" not in json.dumps(j["risk"])'
get "a reviewer sees A's links" "$REVIEWER" /v1/sellers/A 200 '"linked_sellers":[{"seller":"C","shares":"a device"'

# The platform observing the phone itself makes the link.
post "the platform observes A with the victim's phone" "$PLATFORM" 200 \
    '{"type":"seller_attribute","id":"pa3","at":"2026-11-06T00:00:00Z","seller":"A","kind":"phone","value":"0086-138-0013-8000"}' \
    '"status":"accepted"'
get "now the platform sees V and A linked through the phone" "$PLATFORM" /v1/sellers/V 200 \
    '"linked_sellers":[{"seller":"A","shares":"a phone number","banned":true}]'

finish
