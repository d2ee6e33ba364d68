#!/bin/sh
# The man page against the program: man_page.sh FAIRAUDIT SOURCE_DIR
#
# Every long option that `fairaudit audit --help` lists, and every command
# that `fairaudit --help` lists, must appear in docs/fairaudit.1, and the
# page must render without a warning (groff -ww, when groff is installed;
# without it the source is searched, with its escaped dashes undone).
set -u
bin=$1 src=$2
man=$src/docs/fairaudit.1
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
fail=0

if command -v groff >/dev/null 2>&1; then
  LC_ALL=C.UTF-8 groff -man -Tutf8 -ww "$man" >"$tmp/page" 2>"$tmp/warn"
  if [ -s "$tmp/warn" ]; then
    echo "FAILED: groff warns on docs/fairaudit.1:"; cat "$tmp/warn"; fail=1
  fi
  # undo the bold and underline overstrikes of the terminal output
  sed -e 's/.\x08//g' "$tmp/page" >"$tmp/text"
else
  echo "note: groff is not installed; searching the page's source"
  sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/^\.[A-Z][A-Z]* //' -e 's/"//g' "$man" |
    tr -s ' ' >"$tmp/text"
fi
# the rendered page may hyphenate a long word at a line end: join them
tr '\n' ' ' <"$tmp/text" | sed -e 's/\xe2\x80\x90 *//g' >"$tmp/flat"

"$bin" audit --help >"$tmp/help" || { echo "FAILED: audit --help"; fail=1; }
opts=$(grep -o -e '--[a-z][a-z-]*' "$tmp/help" | sort -u)
[ -n "$opts" ] || { echo "FAILED: no option found in audit --help"; fail=1; }
for o in $opts; do
  grep -q -e "$o" "$tmp/flat" || { echo "FAILED: $o is in audit --help but not in the man page"; fail=1; }
done
# the forms of --model that the help names
for f in 'NAME=COL' 'NAME=FILE\[:COL\]'; do
  grep -q -e "--model $f" "$tmp/flat" || { echo "FAILED: --model ${f} is not in the man page"; fail=1; }
done
"$bin" --help >"$tmp/cmds" || { echo "FAILED: --help"; fail=1; }
for c in $(sed -n 's/^  \([a-z][a-z]*\).*/\1/p' "$tmp/cmds"); do
  grep -q -e "fairaudit $c" "$tmp/flat" || { echo "FAILED: command $c is not in the man page"; fail=1; }
done
[ "$fail" = 0 ] && echo "ok" || echo "FAILED"
exit $fail
