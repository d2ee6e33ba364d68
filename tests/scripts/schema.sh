#!/bin/sh
# `fairaudit schema` prints the schemas under docs/ byte for byte:
# schema.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1 src=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

expect() { # what, want-exit, arguments...
  what=$1 want=$2; shift 2
  "$bin" "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
  if [ "$code" != "$want" ]; then
    echo "FAILED: $what: exit $code, want $want"; cat "$tmp/err"; fail=1
  fi
}

expect "schema" 0 schema
cmp -s "$tmp/out" "$src/docs/report.schema.json" ||
  { echo "FAILED: fairaudit schema differs from docs/report.schema.json"; fail=1; }
[ -s "$tmp/err" ] && { echo "FAILED: schema wrote to stderr"; fail=1; }
expect "schema report" 0 schema report
cmp -s "$tmp/out" "$src/docs/report.schema.json" ||
  { echo "FAILED: fairaudit schema report differs from docs/report.schema.json"; fail=1; }
expect "schema jsonl" 0 schema jsonl
cmp -s "$tmp/out" "$src/docs/report-jsonl.schema.json" ||
  { echo "FAILED: fairaudit schema jsonl differs from docs/report-jsonl.schema.json"; fail=1; }
expect "schema --help" 0 schema --help
grep -q '^Usage: fairaudit schema' "$tmp/out" || { echo "FAILED: schema --help"; fail=1; }
expect "help schema" 0 help schema
grep -q '^Usage: fairaudit schema' "$tmp/out" || { echo "FAILED: help schema"; fail=1; }
expect "schema nope" 2 schema nope
grep -q 'no schema "nope"' "$tmp/err" || { echo "FAILED: schema nope: message"; fail=1; }
[ -s "$tmp/out" ] && { echo "FAILED: schema nope wrote to stdout"; fail=1; }
# both are JSON
for f in report report-jsonl; do
  /usr/bin/python3 -c 'import json,sys; json.load(open(sys.argv[1]))' \
    "$src/docs/$f.schema.json" || { echo "FAILED: docs/$f.schema.json is not JSON"; fail=1; }
done
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
