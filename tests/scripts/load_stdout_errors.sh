#!/bin/sh
# Standard output that cannot be written: a full disk (/dev/full), a pipe
# whose reader has gone, and `| head -1`. fairaudit must neither crash nor
# hang: exit status 2 with one line on standard error when the report could
# not be written, and leave no report file behind.
# Usage: load_stdout_errors.sh FAIRAUDIT SOURCE_DIR
set -u
bin=$1 src=$2
case $bin in /*) ;; *) bin=$(pwd)/$bin ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 2
fail=0
input=$src/data/samples/cxr_small.csv

one_error_line() { # NAME: err holds exactly one "fairaudit: ... error: ..." line
	if [ "$(wc -l < err)" != 1 ] || ! grep -q '^fairaudit: .*error: ' err; then
		echo "$1: want one error line, got:"; head -5 err; fail=1
	fi
}

# A full disk: every write fails with ENOSPC.
if [ -w /dev/full ]; then
	timeout 60 "$bin" audit -q --bootstrap 0 -g sex "$input" >/dev/full 2>err
	code=$?
	[ "$code" = 2 ] || { echo "/dev/full: exit $code, want 2"; fail=1; }
	one_error_line /dev/full
fi

# A pipe whose read end is closed before anything is written: EPIPE
# (fairaudit ignores SIGPIPE, so it is an error, not a signal).
python3 - "$bin" "$input" <<'PY' >code 2>err
import os, subprocess, sys
r, w = os.pipe()
os.close(r)
p = subprocess.run([sys.argv[1], "audit", "-q", "--bootstrap", "0", "-g", "sex", sys.argv[2]],
                   stdout=w, stderr=subprocess.PIPE, timeout=60)
os.close(w)
sys.stderr.write(p.stderr.decode())
print(p.returncode)
PY
code=$(cat code)
[ "$code" = 2 ] || { echo "closed pipe: exit $code, want 2"; fail=1; }
one_error_line "closed pipe"

# `| head -1`: head may exit before or after the report is written, so the
# status is 0 (all written in time) or 2 (the rest could not be); never a
# signal, never a hang. With bootstrap intervals the report comes late.
{ timeout 120 "$bin" audit -q --bootstrap 200 -g sex -g race "$input" 2>err; echo $? > code; } | head -1 > first
code=$(cat code)
case $code in
0) [ -s err ] && { echo "head -1: exit 0 but stderr:"; cat err; fail=1; } ;;
2) one_error_line "head -1" ;;
*) echo "head -1: exit $code, want 0 or 2"; fail=1 ;;
esac
[ -s first ] || { echo "head -1: no first line"; fail=1; }

# Reports written with -o are untouched by a closed standard output.
timeout 60 "$bin" audit -q --bootstrap 0 -g sex -o r.json "$input" >/dev/full 2>err
code=$?
[ "$code" = 0 ] || { echo "-o with stdout on /dev/full: exit $code, want 0"; cat err; fail=1; }
[ -e r.json ] || { echo "-o with stdout on /dev/full: r.json missing"; fail=1; }

# A folder without write permission (root may write anywhere, so only
# checked for other users).
if [ "$(id -u)" != 0 ]; then
	mkdir ro && chmod 555 ro
	"$bin" audit -q --bootstrap 0 -o ro/r.json "$input" >/dev/null 2>err
	code=$?
	[ "$code" = 2 ] || { echo "read-only folder: exit $code, want 2"; fail=1; }
	grep -q '^fairaudit: ro/r.json: error: cannot create the report: Permission denied$' err ||
		{ echo "read-only folder:"; cat err; fail=1; }
	ls ro | grep -q . && { echo "read-only folder: files left"; fail=1; }
	chmod 755 ro
fi

[ "$fail" = 0 ] && echo ok
exit $fail
