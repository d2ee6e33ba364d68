#!/bin/sh
# The demo audits, saved-report commands, partial audits, a few failing
# runs and part of the unit tests under valgrind: no invalid read or write, no use of
# uninitialised memory, no leak (definite, indirect or possible). Skipped when valgrind is not installed or the
# binary is built with sanitizers (the two do not mix).
# Usage: valgrind.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1 src=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
case $src in /*) ;; *) src=$(pwd)/$src ;; esac
units=$(dirname "$bin")/tests/fa_unit_tests

if ! command -v valgrind >/dev/null 2>&1; then
	echo "SKIP: valgrind is not installed (apt-get install valgrind)"
	exit 0
fi
if grep -q __asan_init "$bin" 2>/dev/null; then
	echo "SKIP: $bin is built with AddressSanitizer, which valgrind cannot run"
	exit 0
fi

tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
ln -s "$src/data" data
ln -s "$src/tests" tests
fail=0 runs=0

# vg NAME WANT_EXIT COMMAND...: run COMMAND under valgrind; it must exit
# WANT_EXIT with a clean valgrind report.
vg() {
	name=$1 want=$2
	shift 2
	runs=$((runs + 1))
	log=vg-$runs.log
	valgrind --error-exitcode=99 --leak-check=full \
		--errors-for-leak-kinds=definite,indirect,possible \
		--show-leak-kinds=definite,indirect,possible \
		--log-file="$log" "$@" >"out-$runs" 2>"err-$runs"
	code=$?
	if [ $code = 99 ] || ! grep -q "ERROR SUMMARY: 0 errors" "$log"; then
		echo "$name: valgrind found errors:"
		grep -v "^==[0-9]*== *$" "$log" | sed -n '/Command:/,$p' | head -60
		fail=1
	elif [ $code != "$want" ]; then
		echo "$name: exit $code, want $want"
		head -5 "err-$runs"
		fail=1
	else
		# "All heap blocks were freed", or what is still reachable
		heap=$(grep -o "All heap blocks were freed\|still reachable: [0-9,]* bytes" "$log" | head -1)
		echo "ok: $name (exit $code; 0 errors; ${heap:-no heap summary})"
	fi
}

fast="--bootstrap 50 --permutations 50 --seed 1 -q"

# the demo audits (scripts/demo.sh), every format, with an operating
# point and clustered resampling
vg "cxr_triage audit" 1 "$bin" audit data/samples/cxr_triage.csv.gz --label label --score score \
	--group sex --group race --group site --group age --bin age=40,65 --group sex+race \
	--reference race=White --operating-point spec=0.9 --cluster patient_id \
	--gate 'sex:tpr_gap<=0.10' --gate 'worst_group_auc>=0.75' --gate-on ci-violation \
	$fast -o cxr.md -o cxr.json -o cxr.csv -o cxr.html
vg "derm_lesions audit" 1 "$bin" audit data/samples/derm_lesions.jsonl --label malignant \
	--score prob --group fitzpatrick --group sex --reference fitzpatrick=II \
	--operating-point sens=0.9 --cluster patient_id --gate 'fitzpatrick:tpr_gap<=0.15' \
	$fast -o derm.md -o derm.json -o derm.csv -o derm.html
vg "cxr_small audit, analytic intervals, population" 0 "$bin" audit data/samples/cxr_small.csv \
	--group site --population tests/data/population_valid.csv --ci-method analytic \
	--threads 2 -q
# saved reports read back
vg "check" 1 "$bin" check cxr.json --gate 'race:auc_diff>=-0.05' --gate 'spec=0.9:sex:tpr_gap<=0.1' \
	-o check.md -o check.json
vg "compare" 0 "$bin" compare derm.json derm.json --max-regression 'tpr_gap=0.01'
vg "power" 0 "$bin" power --metric auc --auc0 0.85 --gap 0.05 --prevalence 0.3
# failures: the error paths free what they allocated
vg "missing file" 2 "$bin" audit no-such-file.csv -q
vg "bad gate" 2 "$bin" audit data/samples/cxr_small.csv --gate 'sex:tpr_gapp<=0.1' -q
vg "bad policy" 2 "$bin" audit data/samples/cxr_small.csv --group sex \
	--policy tests/cli/cases/gate_policy_bad_json/policy.json -q
vg "bad input row" 2 "$bin" audit tests/data/load/score_text.csv -q
vg "truncated report" 2 "$bin" check tests/cli/cases/report_check_truncated/report.json
vg "unknown group" 2 "$bin" audit data/samples/cxr_small.csv --group sex --bootstrap 0 \
	--gate 'sex=X:tpr<=1' -q
# partial audits: built, merged, reported; a damaged one refused
vg "partial" 0 "$bin" partial data/samples/cxr_small.csv --group sex --group race \
	--cluster patient_id --ci-method bootstrap --bootstrap 30 --seed 1 -q -o a.fap
vg "partial with --id" 0 "$bin" partial data/samples/derm_lesions.jsonl --label malignant \
	--score prob --group fitzpatrick --id lesion_id --score-digits 3 --bootstrap 30 -q -o d.fap
cp a.fap b.fap
vg "merge of the same records" 2 "$bin" merge a.fap b.fap -o ab.fap
vg "report" 1 "$bin" report a.fap --gate 'sex:tpr_gap<=0.01' -o a.json -o a.html
head -c 200 a.fap >cut.fap
vg "damaged partial" 2 "$bin" report cut.fap -o cut.json

# part of the unit tests
if [ -x "$units" ]; then
	vg "unit tests: gates report compare cluster views svg" 0 "$units" gates report compare \
		cluster views svg
else
	echo "$units: not built"; fail=1
fi

[ $fail = 0 ] && echo "valgrind: $runs runs, no leak, no invalid access"
exit $fail
