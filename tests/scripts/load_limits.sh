#!/bin/sh
# Inputs too big to commit, made here: a 100 MB field and a group column
# with 100,000 distinct values. Usage: load_limits.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0

check() { # check NAME WANT_EXIT WANT_STDERR_FILE GOT_EXIT
	if [ "$4" != "$2" ]; then echo "$1: exit $4, want $2"; fail=1; fi
	if ! cmp -s "$3" err; then echo "$1: stderr differs:"; diff "$3" err | head -5; fail=1; fi
}

# A 100 MB field on line 2. The limit is 64 MiB = 67108864 bytes per line:
# the error names it, at the first character past it (column 67108865,
# since "1,0.5," and the letters are one byte each), before the rest of
# the line is read.
printf 'label,score,note\n1,0.5,' > big.csv
head -c 104857600 /dev/zero | tr '\0' a >> big.csv
printf '\n0,0.25,x\n' >> big.csv
"$bin" audit -q --bootstrap 0 -o r.json big.csv >out 2>err
code=$?
echo "fairaudit: big.csv:2:67108865: error: line longer than 67108864 bytes, the limit for one line or record" > want
check "100 MB field" 2 want "$code"
[ -e r.json ] && { echo "100 MB field: r.json written"; fail=1; }
# the same inside a gzip stream: positions are in the decompressed text
gzip -n -1 < big.csv > big.csv.gz
"$bin" audit -q --bootstrap 0 big.csv.gz >out 2>err
code=$?
echo "fairaudit: big.csv.gz:2:67108865: error: line longer than 67108864 bytes, the limit for one line or record" > want
check "100 MB field, gzip" 2 want "$code"
# memory stays near the limit, not the size of the field
if [ -x /usr/bin/time ]; then
	/usr/bin/time -f %M -o rss "$bin" audit -q --bootstrap 0 big.csv >/dev/null 2>&1
	kb=$(tail -1 rss)
	if [ "$kb" -gt 400000 ]; then echo "100 MB field: peak RSS $kb kB"; fail=1; fi
fi
rm -f big.csv big.csv.gz

# 100,000 distinct values: refused at the 1001st (row 1001, line 1002),
# in the column of the value: "0,0.500," is 8 characters, so column 9.
awk 'BEGIN { print "label,score,g"; for (i = 0; i < 100000; i++) printf "%d,0.500,g%d\n", i % 2, i }' > groups.csv
"$bin" audit -q --bootstrap 0 -g g -o r.json groups.csv >out 2>err
code=$?
echo 'fairaudit: groups.csv:1002:9: error: column "g" has more than 1000 distinct values (raise --max-groups, or bin a numeric column with --bin)' > want
check "100000 groups" 2 want "$code"
[ -e r.json ] && { echo "100000 groups: r.json written"; fail=1; }
"$bin" audit -q --bootstrap 0 -g g --max-groups 50000 groups.csv >out 2>err
code=$?
echo 'fairaudit: groups.csv:50002:9: error: column "g" has more than 50000 distinct values (raise --max-groups, or bin a numeric column with --bin)' > want
check "100000 groups, --max-groups 50000" 2 want "$code"

[ "$fail" = 0 ] && echo ok
exit $fail
