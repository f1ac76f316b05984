#!/usr/bin/env bash
# Borders and crops end to end (docs/images.md, "Borders and crops"): a
# brand's official photo, given by path, is hashed with its regions; a
# stranger's listing showing it inside a white frame, cropped to 80% of each
# side (centred, or at a corner), with a caption strip over its bottom, or
# as one quarter of a 2x2 collage, raises IMAGE_STOLEN_OFFICIAL saying how
# it matched; so does a crop of a blocked listing's photo (IMAGE_MATCHES_REMOVED,
# listing photos' regions banked when taken down); an unrelated picture does not. The pictures are PNGs written
# here (Python's zlib), textured patterns and their copies. Crops no region
# is near (off-centre, mirrored) match through anchored patches.
set -euo pipefail

source "$(dirname "$0")/lib.sh"

python3 - "$TMP" <<'PY'
import math, random, struct, sys, zlib
out = sys.argv[1]
def png(path, rows):
    h, w = len(rows), len(rows[0])
    raw = b"".join(b"\0" + bytes(r) for r in rows)
    def chunk(t, d): return struct.pack(">I", len(d)) + t + d + struct.pack(">I", zlib.crc32(t + d))
    with open(path, "wb") as f:
        f.write(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
                + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
def picture(seed, w=480, h=360):
    r = random.Random(seed)
    waves = [(r.uniform(0.005, 0.05), r.uniform(0.005, 0.05), r.uniform(0, 6.3), r.uniform(20, 60)) for _ in range(12)]
    return [[max(0, min(255, int(128 + sum(a * math.sin(fx * x + fy * y + p) for fx, fy, p, a in waves) / 3)))
             for x in range(w)] for y in range(h)]
official = picture(1)
png(f"{out}/official.png", official)
h, w = len(official), len(official[0])
pad = 24
framed = [[255] * (w + 2 * pad) for _ in range(pad)] + \
         [[255] * pad + row + [255] * pad for row in official] + \
         [[255] * (w + 2 * pad) for _ in range(pad)]
png(f"{out}/framed.png", framed)
cw, ch = w * 80 // 100, h * 80 // 100
x0, y0 = (w - cw) // 2, (h - ch) // 2
png(f"{out}/cropped.png", [row[x0:x0 + cw] for row in official[y0:y0 + ch]])
png(f"{out}/corner.png", [row[w - cw:] for row in official[h - ch:]])
caption = [row[:] for row in official]
for y in range(h * 88 // 100, h):
    for x in range(w):
        caption[y][x] = 255 if (x // 9) % 3 == 0 and (y - h * 88 // 100) % 14 < 9 else 30
png(f"{out}/caption.png", caption)
half = lambda p: [[(p[2*y][2*x] + p[2*y][2*x+1] + p[2*y+1][2*x] + p[2*y+1][2*x+1]) // 4
                   for x in range(len(p[0]) // 2)] for y in range(len(p) // 2)]
tiles = [half(official), half(picture(3)), half(picture(4)), half(picture(5))]
png(f"{out}/collage.png", [tiles[0][y] + tiles[1][y] for y in range(h // 2)] +
                          [tiles[2][y] + tiles[3][y] for y in range(h // 2)])
png(f"{out}/other.png", picture(2))
fake = picture(6)
png(f"{out}/fake.png", fake)
png(f"{out}/fake-crop.png", [row[:cw] for row in fake[:ch]])
# Crops no region is near, found by anchored patches (corners: the scenes
# hold boxes and discs over their texture): 70% x 88% of the brand's second
# photo at (17%, 5%), and a 75% x 85% crop of the counterfeit's second photo
# at (11%, 9%), mirrored.
def scene(seed):
    p, r = picture(seed), random.Random(seed + 100)
    for _ in range(14):
        x0, y0, bw, bh, g = r.randrange(w), r.randrange(h), r.randrange(20, 120), r.randrange(20, 100), r.randrange(256)
        disc = r.random() < 0.4
        for y in range(y0, min(h, y0 + bh)):
            for x in range(x0, min(w, x0 + bw)):
                if not disc or ((x - x0 - bw / 2) / (bw / 2)) ** 2 + ((y - y0 - bh / 2) / (bh / 2)) ** 2 <= 1:
                    p[y][x] = (p[y][x] + 3 * g) // 4
    return p
official2, fake2 = scene(7), scene(8)
png(f"{out}/official2.png", official2)
png(f"{out}/fake2.png", fake2)
png(f"{out}/offcrop.png", [row[w * 17 // 100:w * 87 // 100] for row in official2[h * 5 // 100:h * 93 // 100]])
png(f"{out}/fake-mirror.png", [row[w * 11 // 100:w * 86 // 100][::-1] for row in fake2[h * 9 // 100:h * 94 // 100]])
PY

DB=$TMP/g.db
{
    printf '{"type":"brand","id":"b1","at":"2026-11-01T00:00:00Z","brand":"gucci","name":"Gucci","official_images":[{"path":"%s/official.png","role":"official"},{"path":"%s/official2.png","role":"official"}]}\n' "$TMP" "$TMP"
    printf '{"type":"seller","id":"s1","at":"2026-11-01T00:00:00Z","seller":"s1","name":"One"}\n'
    for p in framed cropped corner caption collage other official offcrop; do
        printf '{"type":"listing","id":"e-%s","at":"2026-11-02T00:00:00Z","listing":"%s","seller":"s1","title":"Leather bag","price":900,"currency":"USD","images":[{"path":"%s/%s.png"}]}\n' "$p" "$p" "$TMP" "$p"
    done
    # A counterfeit's photo, then a crop of it at a corner on another seller's listing.
    printf '{"type":"seller","id":"s2","at":"2026-11-01T00:00:00Z","seller":"s2","name":"Two"}\n'
    printf '{"type":"listing","id":"e-fake","at":"2026-11-03T00:00:00Z","listing":"fake","seller":"s2","title":"Gucci Marmont bag replica 1:1 AAA copy","brand":"gucci","price":20,"currency":"USD","images":[{"path":"%s/fake.png"},{"path":"%s/fake2.png"}]}\n' "$TMP" "$TMP"
    printf '{"type":"listing","id":"e-refake","at":"2026-11-04T00:00:00Z","listing":"refake","seller":"s1","title":"Leather bag","price":900,"currency":"USD","images":[{"path":"%s/fake-crop.png"}]}\n' "$TMP"
    printf '{"type":"listing","id":"e-mirfake","at":"2026-11-04T00:00:00Z","listing":"mirfake","seller":"s1","title":"Leather bag","price":900,"currency":"USD","images":[{"path":"%s/fake-mirror.png"}]}\n' "$TMP"
} > "$TMP/events.jsonl"
"$GENUINE" ingest --db "$DB" "$TMP/events.jsonl" > /dev/null
decision() { "$GENUINE" decisions --db "$DB" | grep "\"listing\":\"$1\""; }

check "the brand's photo is logged with its regions" \
    grep -q '"regions":\[{"pdq":"[0-9a-f]\{64\}","area":64},{"pdq":"[0-9a-f]\{64\}","area":42},{"pdq":"[0-9a-f]\{64\}","area":64},' <(cat "$DB"* | tr -c '[:print:]' '\n')
check "a listing's photo is logged with its parts" \
    grep -q '"parts":\[{"pdq":"[0-9a-f]\{64\}","part":0},' <(cat "$DB"* | tr -c '[:print:]' '\n')
check "the framed copy matches once its border is trimmed" has "$(decision framed)" "own product photo ($TMP/official.png) at distance"
check "(and says so)" has "$(decision framed)" "once its border is trimmed, and the seller is not authorised by Gucci"
check "the 80% crop matches a region, with its share of the area" has "$(decision cropped)" "photo 1 is a crop of Gucci's own product photo ($TMP/official.png), 64% of its area, at distance"
check "a crop at the bottom-right corner matches its region" has "$(decision corner)" "photo 1 is a crop of Gucci's own product photo ($TMP/official.png), 64% of its area, at distance"
check "a caption strip over the bottom is left out" has "$(decision caption)" "photo 1, all but its bottom fifth (where a caption goes), is a crop of Gucci's own product photo ($TMP/official.png), 80% of its area"
check "a quarter of a 2x2 collage matches the photo" has "$(decision collage)" "photo 1, its top-left quarter, is Gucci's own product photo ($TMP/official.png) at distance"
check "the counterfeit is blocked" has "$(decision fake)" '"status":"blocked"'
check "a crop of a blocked listing's photo matches its region" has "$(decision refake)" "photo 1 is a crop of a photo ($TMP/fake.png) of listing fake, blocked as counterfeit, 64% of its area, at distance"
check "the photo itself matches as before" has "$(decision official)" "own product photo ($TMP/official.png) at distance 0, and the seller"
check "an off-centre crop matches through anchored patches, with its share of the area" has "$(decision offcrop)" "photo 1 is a crop of Gucci's own product photo ($TMP/official2.png), about"
check "(a detail between two corners)" has "$(decision offcrop)" "of its area (a detail between two of its corners at distance"
check "a mirrored off-centre crop of a blocked listing's photo matches" has "$(decision mirfake)" "photo 1 is a crop of a photo ($TMP/fake2.png) of listing fake, blocked as counterfeit, about"
check "a photo is logged with its anchored patches" \
    grep -q '"patches":\[{"pdq":"[0-9a-f]\{64\}","span":[0-9]*},' <(cat "$DB"* | tr -c '[:print:]' '\n')
lacks() { ! grep -qF -- "$2" <<< "$1"; }
check "an unrelated picture does not" lacks "$(decision other)" IMAGE_STOLEN

finish
