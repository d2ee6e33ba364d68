#!/bin/sh
# An audit stopped by SIGINT or SIGTERM writes no report: it removes its
# temporary files, leaves an existing report untouched, prints one line
# and dies of the signal (exit 128 + signal). Tried twice for each signal:
# during the computation, and while the reports are being written (the
# only time temporaries exist). Usage: signals.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 2
pid=
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0
msg="fairaudit: interrupted; no report was written"

# 200,000 rows; 300 sites make large reports, so writing them takes a while
awk 'BEGIN {
	srand(1); print "label,score,sex,site"
	for (i = 0; i < 200000; i++) {
		y = rand() < 0.3
		printf "%d,%.4f,%s,S%03d\n", y, rand() * 0.6 + 0.4 * y, rand() < 0.5 ? "F" : "M", int(rand() * 300)
	}
}' > big.csv
# an earlier run's report, which an interrupted run must leave alone
"$bin" audit big.csv --group sex --bootstrap 0 --permutations 0 -q -o earlier.json || exit 2

signum() { case $1 in INT) echo 2 ;; TERM) echo 15 ;; esac; }

# check NAME SIG CODE EARLIER: the outcome of a run interrupted by SIG in
# ./run, where out.json was the earlier report (EARLIER=yes) or absent
check() {
	want=$((128 + $(signum "$2")))
	[ "$3" = "$want" ] || { echo "$1: exit $3, want $want"; fail=1; }
	printf '%s\n' "$msg" > run/want
	if ! cmp -s run/want run/err; then
		echo "$1: stderr differs:"; diff run/want run/err | head -5; fail=1
	fi
	if [ "$4" = yes ]; then
		cmp -s earlier.json run/out.json || { echo "$1: out.json was changed"; fail=1; }
	elif [ -e run/out.json ]; then
		echo "$1: out.json was written"; fail=1
	fi
	for f in out.md out.html out.csv out2.json; do
		[ -e "run/$f" ] && { echo "$1: $f was written"; fail=1; }
	done
	left=$(ls run | grep '\.tmp-' | tr '\n' ' ')
	[ -n "$left" ] && { echo "$1: temporaries left behind: $left"; fail=1; }
}

# During the computation: a bootstrap that would take minutes, stopped
# after a second. First with no report there, then with an earlier one.
for sig in INT TERM; do
	for earlier in no yes; do
		name="SIG$sig during the computation, earlier report: $earlier"
		rm -rf run && mkdir run
		[ $earlier = yes ] && cp earlier.json run/out.json
		"$bin" audit big.csv --group sex --bootstrap 100000 --threads 1 -q \
			-o run/out.json -o run/out.md 2>run/err &
		pid=$!
		sleep 1
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "$name: the audit ended before the signal"; fail=1; pid=; continue
		fi
		kill -"$sig" "$pid"
		wait "$pid" 2>/dev/null
		code=$?
		pid=
		check "$name" "$sig" "$code" $earlier
	done
done

# While the reports are written: wait for the first temporary, freeze the
# process (SIGSTOP), make sure no report has been renamed into place yet,
# then send the signal and let it run. A run that got past the temporaries
# before it was frozen is tried again.
for sig in INT TERM; do
	name="SIG$sig while writing the reports"
	tries=0 done=no
	while [ $tries -lt 5 ] && [ $done = no ]; do
		tries=$((tries + 1))
		rm -rf run && mkdir run
		cp earlier.json run/out.json
		"$bin" audit big.csv --group site --bootstrap 0 --permutations 0 -q \
			-o run/out.json -o run/out.md -o run/out.html -o run/out.csv \
			-o run/out2.json 2>run/err &
		pid=$!
		seen=no
		while kill -0 "$pid" 2>/dev/null; do
			set -- run/*.tmp-*
			if [ -e "$1" ]; then
				kill -STOP "$pid"; seen=yes; break
			fi
		done
		if [ $seen = no ]; then
			wait "$pid"; pid=; continue
		fi
		# out.json is renamed into place first: while it is still the
		# earlier report, no report has been
		if cmp -s earlier.json run/out.json; then
			kill -"$sig" "$pid"
			kill -CONT "$pid"
			wait "$pid" 2>/dev/null
			code=$?
			pid=
			check "$name" "$sig" "$code" yes
			done=yes
		else
			kill -CONT "$pid"; wait "$pid"; pid=
		fi
	done
	[ $done = yes ] || { echo "$name: never caught the temporaries ($tries runs)"; fail=1; }
done

[ $fail = 0 ] && echo "signals: interrupted runs write nothing and leave nothing behind"
exit $fail
