#!/bin/sh
# Run one CLI golden case: run_case.sh FAIRAUDIT CASE_DIR SOURCE_DIR
#
# CASE_DIR holds:
#   args       one argument per line (required)
#   stdin      fed to standard input (optional; otherwise /dev/null)
#   stdout     expected standard output, byte for byte (optional)
#   stderr     expected standard error, byte for byte (optional)
#   exit       expected exit code (required)
#   absent     paths that must not exist afterwards, one per line (optional)
#   present    paths that must exist afterwards, one per line (optional)
# The command runs in an empty temporary folder in which `data` and `tests`
# point into the source tree, so cases name inputs as data/... or tests/...
# With UPDATE_GOLDEN=1 the expected stdout, stderr and exit are rewritten.
set -u
bin=$1 case=$2 src=$3
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
ln -s "$src/data" "$tmp/data"
ln -s "$src/tests" "$tmp/tests"
[ -f "$case/setup" ] && (cd "$tmp" && FAIRAUDIT=$bin sh "$case/setup")
set --
while IFS= read -r a || [ -n "$a" ]; do set -- "$@" "$a"; done < "$case/args"
input=/dev/null
[ -f "$case/stdin" ] && input=$case/stdin
(cd "$tmp" && LC_ALL=C "$bin" "$@" <"$input" >"$tmp/.out" 2>"$tmp/.err")
code=$?
if [ "${UPDATE_GOLDEN:-}" = 1 ]; then
  echo "$code" > "$case/exit"
  [ -f "$case/stdout" ] || [ -s "$tmp/.out" ] && cp "$tmp/.out" "$case/stdout"
  [ -f "$case/stderr" ] || [ -s "$tmp/.err" ] && cp "$tmp/.err" "$case/stderr"
fi
fail=0
want=$(cat "$case/exit")
if [ "$code" != "$want" ]; then
  echo "exit code: got $code, want $want"; fail=1
fi
for f in stdout stderr; do
  if [ -f "$case/$f" ]; then
    if ! cmp -s "$case/$f" "$tmp/.${f#std}"; then
      echo "$f differs:"; diff "$case/$f" "$tmp/.${f#std}" | head -20; fail=1
    fi
  elif [ "$f" = stderr ] && [ -s "$tmp/.err" ]; then
    echo "unexpected stderr:"; head -5 "$tmp/.err"; fail=1
  fi
done
if [ -f "$case/absent" ]; then
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    if [ -e "$tmp/$p" ]; then echo "$p exists but should not"; fail=1; fi
    # no temporary report left behind either
    if ls "$tmp/$p".tmp-* >/dev/null 2>&1; then echo "temporary $p.tmp-* left behind"; fail=1; fi
  done < "$case/absent"
fi
if [ -f "$case/present" ]; then
  while IFS= read -r p; do
    [ -z "$p" ] && continue
    [ -e "$tmp/$p" ] || { echo "$p is missing"; fail=1; }
  done < "$case/present"
fi
[ "$fail" = 0 ] && echo "ok" || echo "FAILED: $case"
exit $fail
