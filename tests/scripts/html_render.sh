#!/bin/sh
# html_render.sh: the HTML report of the sample data parses as XML and
# renders in a real browser without script errors, with every chart in the
# page and a screenshot that is not blank. The same page written again from
# the JSON report by `fairaudit check` is byte for byte the same, so the
# JSON carries everything the page draws (curves and operating points too).
#
# Usage: html_render.sh FAIRAUDIT SOURCE_DIR
# xmllint (libxml2-utils) and chromium are optional: a missing xmllint
# skips that step, a missing chromium skips the rendering.
set -u

bin=$1
src=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp" || exit 1

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

"$bin" audit "$src/data/samples/cxr_triage.csv.gz" --group sex --group race --group site \
  --bootstrap 200 --seed 1 -q --operating-point spec=0.9 --operating-point sens=0.95 \
  --gate 'spec=0.9:race:fpr_gap<=0.1' --gate 'site:leakage_negatives<=0.7' \
  -o report.html -o report.json
case $? in 0|1|3) ;; *) fail "fairaudit exited with $?" ;; esac
[ -s report.html ] || fail "no report.html"
for cls in forest roc calib leakage ownthr; do
  grep -q "<svg [^>]*class=\"$cls\"" report.html || fail "no $cls chart in report.html"
done
grep -q '<section class="op" id="op-1">' report.html || fail "no section per operating point"
"$bin" check report.json --gate 'spec=0.9:race:fpr_gap<=0.1' --gate 'site:leakage_negatives<=0.7' \
  -o back.html
case $? in 0|1|3) ;; *) fail "fairaudit check exited with $?" ;; esac
cmp -s report.html back.html || { diff report.html back.html | head -5 >&2; fail "the page from the JSON report differs"; }
echo "ok: the page written again from report.json is the same"

if command -v xmllint >/dev/null 2>&1; then
  xmllint --noout report.html || fail "report.html is not well-formed XML"
  echo "ok: xmllint --noout"
else
  echo "skip: xmllint not installed (apt-get install libxml2-utils); XML check left out"
fi

browser=
for b in chromium chromium-browser; do
  if command -v "$b" >/dev/null 2>&1; then
    browser=$b
    break
  fi
done
if [ -z "$browser" ]; then
  echo "SKIP: chromium not installed"
  exit 0
fi
command -v python3 >/dev/null 2>&1 || fail "python3 is needed to read the screenshot"

run_browser() {
  profile=$(mktemp -d "$tmp/profile.XXXXXX") || exit 1
  # no network at all: any attempt to load something shows as a console error
  timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --host-resolver-rules="MAP * ~NOTFOUND" --hide-scrollbars \
    --user-data-dir="$profile" "$@" "file://$tmp/report.html"
}

run_browser --enable-logging=stderr --v=0 --screenshot="$tmp/shot.png" \
  --window-size=1280,2400 >browser.out 2>browser.log || fail "$browser exited with $?"
[ -s shot.png ] || fail "no screenshot"
# messages of the page's own console (script errors, failed loads)
if grep -E 'Uncaught|ERROR:CONSOLE|:CONSOLE[:(]' browser.log >console.txt; then
  cat console.txt >&2
  fail "console messages while rendering"
fi
echo "ok: no console messages"

run_browser --dump-dom >dom.html 2>/dev/null || fail "$browser --dump-dom exited with $?"
want=$(grep -o '<svg ' report.html | wc -l)
got=$(grep -o '<svg ' dom.html | wc -l)
[ "$want" -gt 0 ] || fail "no chart in the report"
[ "$got" -eq "$want" ] || fail "the browser's DOM has $got charts, the file $want"
grep -q '<footer' dom.html || fail "the browser's DOM ends early (no footer)"
echo "ok: DOM complete, $got charts"

# Decode the PNG with the standard library only and count pixels that are
# not near-white (ink) and pixels of the first group colour (#0072B2): the
# charts draw hundreds of them, the tables' colour swatches about a hundred.
python3 - shot.png <<'EOF' || exit 1
import struct, sys, zlib

data = open(sys.argv[1], 'rb').read()
if data[:8] != b'\x89PNG\r\n\x1a\n':
    sys.exit('FAIL: the screenshot is not a PNG')
pos, idat, hdr = 8, [], None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    if kind == b'IHDR':
        hdr = struct.unpack('>IIBBBBB', data[pos + 8:pos + 8 + n])
    elif kind == b'IDAT':
        idat.append(data[pos + 8:pos + 8 + n])
    pos += 12 + n
w, h, depth, ctype, _, _, interlace = hdr
if depth != 8 or ctype not in (2, 6) or interlace:
    sys.exit('FAIL: unexpected PNG layout (depth %d, colour type %d)' % (depth, ctype))
bpp = 3 if ctype == 2 else 4
raw = zlib.decompress(b''.join(idat))
stride = w * bpp
prev = bytearray(stride)
ink = blue = 0
for y in range(h):
    start = y * (stride + 1)
    f = raw[start]
    line = bytearray(raw[start + 1:start + 1 + stride])
    if f == 1:
        for i in range(bpp, stride):
            line[i] = (line[i] + line[i - bpp]) & 255
    elif f == 2:
        line = bytearray((a + b) & 255 for a, b in zip(line, prev))
    elif f == 3:
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            line[i] = (line[i] + ((left + prev[i]) >> 1)) & 255
    elif f == 4:
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for i in range(0, stride, bpp):
        r, g, b = line[i], line[i + 1], line[i + 2]
        if r < 200 or g < 200 or b < 200:
            ink += 1
        if r < 12 and abs(g - 0x72) < 12 and abs(b - 0xB2) < 12:
            blue += 1
    prev = line
share = ink / float(w * h)
print('screenshot %dx%d: %.1f%% ink, %d pixels of the first group colour' % (w, h, 100 * share, blue))
if share < 0.01:
    sys.exit('FAIL: the screenshot is blank')
if blue < 500:
    sys.exit('FAIL: no chart colours in the screenshot')
EOF
echo "ok: screenshot"
