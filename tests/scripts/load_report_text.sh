#!/bin/sh
# Group values that are not valid UTF-8, or hold control characters, reach
# every report escaped as \xNN, never as raw bytes.
# Usage: load_report_text.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1 src=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
# rows: "Site<FF>A" twice, "SiteB", "Café"; then a quoted value with a
# newline and an escape character (ESC, 0x1B) in it
cp "$src/tests/data/load/invalid_utf8.csv" in.csv
printf '1,0.3,"two\nlines\033[31m"\n0,0.4,"two\nlines\033[31m"\n' >> in.csv
"$bin" audit -q --bootstrap 0 --min-n 1 -g site -o r.md -o r.json -o r.csv -o r.html in.csv > stdout.md 2>err
code=$?
if [ "$code" != 0 ]; then echo "exit $code"; cat err; exit 1; fi
python3 - stdout.md r.md r.json r.csv r.html <<'PY'
import sys
fail = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        print("%s: not UTF-8: %s" % (path, e)); fail = 1; continue
    bad = sorted({hex(ord(c)) for c in text if ord(c) < 0x20 and c not in "\n\r\t" or ord(c) == 0x7f})
    if bad:
        print("%s: control characters %s" % (path, bad)); fail = 1
    if data and "xffA" not in text:
        print("%s: the escaped level Site\\xffA is missing" % path); fail = 1
sys.exit(fail)
PY
status=$?
[ "$status" = 0 ] && echo ok
exit $status
