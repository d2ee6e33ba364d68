#!/bin/sh
# Reports are written all or nothing: a run that fails (bad input, or one
# output that cannot be written) leaves earlier reports exactly as they
# were, and no temporary file behind.
#   atomic_write.sh FAIRAUDIT SOURCE_DIR
set -u
fa=$1 src=$2
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0
data=$src/data/samples/cxr_small.csv
args="--group sex --bootstrap 20 --permutations 0 -q"

"$fa" audit $data $args -o r.json -o r.md || { echo "first run failed"; exit 1; }
sum() { cat r.json r.md | cksum; }
before=$(sum)

# 1. bad input: nothing is written
printf 'label,score\n1,abc\n' > bad.csv
"$fa" audit bad.csv $args -o r.json -o r.md 2>err
code=$?
[ "$code" = 2 ] || { echo "bad input: exit $code, want 2"; fail=1; }
[ "$(sum)" = "$before" ] || { echo "bad input changed an earlier report"; fail=1; }

# 2. the second output cannot be written: the first is not replaced either
"$fa" audit $data --group site --bootstrap 20 --permutations 0 -q \
	-o r.json -o no/such/folder/r.md 2>err
code=$?
[ "$code" = 2 ] || { echo "unwritable output: exit $code, want 2"; cat err; fail=1; }
grep -q "no/such/folder/r.md" err || { echo "unwritable output: message does not name it:"; cat err; fail=1; }
[ "$(sum)" = "$before" ] || { echo "a failed run replaced r.json"; fail=1; }

# 3. no temporary file is left in any case
if ls ./*.tmp-* >/dev/null 2>&1; then echo "temporary files left: $(ls ./*.tmp-*)"; fail=1; fi

# 4. a run that succeeds replaces both
"$fa" audit $data --group site $args -o r.json -o r.md || fail=1
[ "$(sum)" != "$before" ] || { echo "a good run did not replace the reports"; fail=1; }
grep -q '"site"' r.json || { echo "r.json is not the new report"; fail=1; }

[ "$fail" = 0 ] && echo ok || echo FAILED
exit $fail
