#!/usr/bin/env bash
# tests/slurm/run.sh FAIRAUDIT: bring up a one-node Slurm cluster on
# localhost (munged, slurmctld and slurmd, all in a temporary folder), run
# scripts/slurm-audit.sh on shards of the sample data and check that:
#   - its JSON report is the report of one `fairaudit audit
#     --bootstrap-scheme poisson` over the same shards, once two keys are
#     removed from both: "command_line" (top level: each report records
#     its own command) and "files" (in "input"); the two "input.files"
#     lists must then be equal too, as the same files are named. Shards
#     by site (with --cluster) and by blocks of lines (with --id, named by
#     relative paths);
#   - a failing gate gives the gate's exit status (1) through the script;
#   - a shard that cannot be audited gives exit 2 and one line naming it.
# Exits 77 (skipped) when the Slurm or munge programs are missing, unless
# FA_REQUIRE_SLURM=1. Every daemon it starts is stopped on exit.
set -euo pipefail

if [ $# -ne 1 ]; then
	echo "usage: bash tests/slurm/run.sh BUILD/fairaudit" >&2
	exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
fa=$1
case $fa in /*) ;; *) fa=$PWD/$fa ;; esac
[ -x "$fa" ] || { echo "slurm test: $fa is not an executable" >&2; exit 2; }

# the daemons live in sbin, which a CI environment may leave off PATH
export PATH=$PATH:/usr/sbin:/sbin
missing=()
for p in munged slurmctld slurmd sbatch squeue sinfo scontrol scancel; do
	command -v "$p" >/dev/null || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	msg="slurm test: not found: ${missing[*]} (Debian packages slurm-wlm and munge)"
	if [ "${FA_REQUIRE_SLURM:-0}" = 1 ]; then
		echo "$msg; FA_REQUIRE_SLURM=1, so this is a failure" >&2
		exit 1
	fi
	echo "$msg; skipped" >&2
	exit 77
fi

start=$(date +%s)
# in /tmp, not TMPDIR: slurm.conf cannot hold every path
tmp=$(mktemp -d /tmp/fa-slurm.XXXXXX)
cluster=$tmp/cluster
mkdir -p "$cluster/state" "$cluster/spool"
# munged wants its socket's folders open to all (execute)
chmod 755 "$tmp" "$cluster"
munged_pid=
ctld_pid=
slurmd_pid=
# the ids of the running slurmstepd processes (from /proc: procps may be absent)
stepds() {
	local f comm
	for f in /proc/[0-9]*/comm; do
		read -r comm <"$f" 2>/dev/null || continue
		[ "$comm" = slurmstepd ] || continue
		f=${f#/proc/}
		printf '%s ' "${f%/comm}"
	done
}
stepds_before=" $(stepds) "

logs() {
	local f
	for f in "$cluster"/*.log "$cluster"/*.out; do
		[ -s "$f" ] || continue
		# with -D a Slurm daemon writes its log file and the same to stderr
		[[ $f == *.out && -s ${f%.out}.log ]] && continue
		echo "---- $f (last 40 lines)" >&2
		tail -n 40 "$f" >&2
	done
}

stop() { # stop PID: TERM, then KILL after 10 s
	local pid=$1 t
	[ -n "$pid" ] || return 0
	kill "$pid" 2>/dev/null || return 0
	for ((t = 0; t < 100; t++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -9 "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

cleanup() {
	local rc=$? t pid
	trap - EXIT INT TERM
	if [ -n "$ctld_pid" ] && kill -0 "$ctld_pid" 2>/dev/null; then
		scancel --user="$(id -un)" 2>/dev/null || true
		for ((t = 0; t < 50; t++)); do
			[ -z "$(squeue -h -o %i 2>/dev/null)" ] && break
			sleep 0.2
		done
	fi
	stop "$slurmd_pid"
	stop "$ctld_pid"
	stop "$munged_pid"
	# a job step left over by the slurmd above (none when every job ended)
	for pid in $(stepds); do
		case $stepds_before in *" $pid "*) ;; *) kill -9 "$pid" 2>/dev/null || true ;; esac
	done
	if [ $rc -ne 0 ] && [ $rc -ne 77 ]; then logs; fi
	if [ "${FA_KEEP_SLURM_TMP:-0}" = 1 ]; then
		echo "slurm test: kept $tmp" >&2
	else
		rm -rf "$tmp"
	fi
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
	echo "slurm test: FAIL: $1" >&2
	exit 1
}

# ---- munge, with its own key, socket, pid, seed and log
dd if=/dev/urandom of="$cluster/munge.key" bs=1024 count=1 status=none
chmod 600 "$cluster/munge.key"
munged -F --socket="$cluster/munge.sock" --key-file="$cluster/munge.key" \
	--pid-file="$cluster/munged.pid" --seed-file="$cluster/munged.seed" \
	--log-file="$cluster/munged.log" >"$cluster/munged.out" 2>&1 &
munged_pid=$!
for ((t = 0; t < 100; t++)); do
	[ -S "$cluster/munge.sock" ] && break
	kill -0 "$munged_pid" 2>/dev/null || break
	sleep 0.1
done
[ -S "$cluster/munge.sock" ] || fail "munged did not start"

# ---- slurmctld and slurmd on two free ports
read -r ctld_port slurmd_port < <(python3 - <<'EOF'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
EOF
)
sed -e "s|@DIR@|$cluster|g" -e "s|@CTLD_PORT@|$ctld_port|" -e "s|@SLURMD_PORT@|$slurmd_port|" \
	-e "s|@USER@|$(id -un)|g" -e "s|@MUNGE_SOCKET@|$cluster/munge.sock|" \
	-e "s|@CPUS@|$(nproc)|" -e "s|@MEMORY@|1000|" "$here/slurm.conf.in" >"$cluster/slurm.conf"
: >"$cluster/plugstack.conf"
export SLURM_CONF=$cluster/slurm.conf
slurmctld -D -c -f "$SLURM_CONF" >"$cluster/slurmctld.out" 2>&1 &
ctld_pid=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$cluster/slurmd.out" 2>&1 &
slurmd_pid=$!

state=
for ((t = 0; t < 120; t++)); do
	state=$(sinfo -h -N -n localhost -o %T 2>/dev/null || true)
	[ "$state" = idle ] && break
	kill -0 "$ctld_pid" 2>/dev/null || fail "slurmctld exited"
	kill -0 "$slurmd_pid" 2>/dev/null || fail "slurmd exited"
	sleep 0.5
done
[ "$state" = idle ] || fail "the node is not idle after 60 s (state \"$state\")"
echo "slurm test: cluster up in $(($(date +%s) - start)) s"

# ---- shards of the chest X-ray sample, whole CSV files with the header
# repeated; the names hold spaces to test the quoting
data="$tmp/data dir"
mkdir -p "$data"
split_sample() { # split_sample PREFIX AWK-EXPRESSION-FOR-THE-SHARD-NAME
	gzip -dc "$root/data/samples/cxr_triage.csv.gz" | awk -F, -v pre="$data/$1" '
		NR == 1 { header = $0; next }
		{
			f = pre '"$2"' ".csv"
			if (!(f in seen)) { print header > f; seen[f] = 1 }
			print > f
		}'
}
# one shard per site ($9; no quoted comma comes before it): every patient
# is in one shard, as in an audit across hospitals
# shellcheck disable=SC2016 # $9 is awk's
split_sample "cxr " '$9'
site_shards=("$data/cxr SiteA.csv" "$data/cxr SiteB.csv" "$data/cxr SiteC.csv")
# four blocks of lines of different sizes: patients span shards
split_sample "cxr lines " '((NR <= 1201) ? 1 : (NR <= 3001) ? 2 : (NR <= 4501) ? 3 : 4)'
line_shards=("$data/cxr lines 1.csv" "$data/cxr lines 2.csv" "$data/cxr lines 3.csv" "$data/cxr lines 4.csv")
for set in site_shards line_shards; do
	declare -n list=$set
	rows=0
	for s in "${list[@]}"; do rows=$((rows + $(wc -l <"$s") - 1)); done
	[ "$rows" -eq 6000 ] || fail "the shards of $set hold $rows records, not 6000"
done

out="$tmp/out dir"
mkdir -p "$out"

run_script() { # run_script NAME ARGS...: the script's exit status in $status
	local name=$1
	shift
	status=0
	bash "$root/scripts/slurm-audit.sh" --fairaudit "$fa" --workdir "$tmp/work $name" \
		--poll 1 --time 10:00 "$@" >"$out/$name.stdout" 2>"$out/$name.stderr" || status=$?
}

# same_reports AUDIT.json SLURM.json: the two reports are equal once the
# top-level key "command_line" and the key "files" of "input" are removed
# from both; "input.files" is then compared on its own.
same_reports() {
	python3 - "$@" <<'PY'
import json, sys

def load(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    del report["command_line"]
    files = report["input"].pop("files")
    return report, files

(a, files_a), (b, files_b) = load(sys.argv[1]), load(sys.argv[2])
ok = True
if a != b:
    ok = False
    for key in sorted(set(a) | set(b)):
        if a.get(key) != b.get(key):
            print(f"the reports differ in the key {key!r}", file=sys.stderr)
if files_a != files_b:
    ok = False
    print(f"input.files differ: {files_a} and {files_b}", file=sys.stderr)
sys.exit(0 if ok else 1)
PY
}

# ---- 1. the demo's audit (scripts/demo.sh) of the site shards: the report
# of the Slurm run is the report of one audit. Unlike the demo: no
# --operating-point, which a partial audit cannot carry, and --ci-method
# bootstrap, which a partial audit with --cluster needs.
# shellcheck disable=SC2054 # the commas are in --bin's value
opts=(--label label --score score --group sex --group race --group site --group age
	--bin age=40,65 --group sex+race --cluster patient_id --reference race=White
	--ci-method bootstrap --threads 1)
gates=(--gate 'sex:tpr_gap<=0.10' --gate 'worst_group_auc>=0.75' --gate-on ci-violation)
t0=$(date +%s)
run_script demo -o "$out/slurm.json" -o "$out/slurm.md" "${gates[@]}" -- "${opts[@]}" -- "${site_shards[@]}"
echo "slurm test: slurm-audit.sh ran in $(($(date +%s) - t0)) s, exit $status"
audit_status=0
"$fa" audit --bootstrap-scheme poisson "${opts[@]}" "${gates[@]}" -q \
	-o "$out/audit.json" "${site_shards[@]}" || audit_status=$?
if [ "$status" -ne "$audit_status" ]; then
	cat "$out/demo.stderr" >&2
	fail "slurm-audit.sh exited $status, fairaudit audit $audit_status"
fi
if [ ! -s "$out/slurm.json" ] || [ ! -s "$out/slurm.md" ]; then fail "slurm-audit.sh wrote no report"; fi
same_reports "$out/audit.json" "$out/slurm.json" || fail "the Slurm report is not the audit's"
echo "slurm test: ok: site shards: the report of slurm-audit.sh is the audit's (exit $status)"

# ---- 2. shards cut across patients, records keyed by --id, and a gate that
# fails: TPR women 0.597, men 0.736 (data/samples/README.md). Run in the
# shards' folder, with their relative names and no second `--`: the script
# finds the shards as the trailing file names.
opts=(--group sex --group race --id image_id --seed 11 --threads 1)
relative=()
for s in "${line_shards[@]}"; do relative+=("${s##*/}"); done
cd "$data"
run_script gate -o "$out/gate.json" --gate 'sex:tpr_gap<=0.05' -- "${opts[@]}" "${relative[@]}"
if [ "$status" -ne 1 ]; then
	cat "$out/gate.stderr" >&2
	fail "a failing gate gave exit $status through slurm-audit.sh, not 1"
fi
audit_status=0
"$fa" audit --bootstrap-scheme poisson "${opts[@]}" --gate 'sex:tpr_gap<=0.05' -q \
	-o "$out/gate-audit.json" "${relative[@]}" || audit_status=$?
cd "$root"
[ "$audit_status" -eq 1 ] || fail "fairaudit audit gave exit $audit_status for the failing gate, not 1"
same_reports "$out/gate-audit.json" "$out/gate.json" || fail "the Slurm report (--id) is not the audit's"
echo "slurm test: ok: line shards with --id: a failing gate gives exit 1, the same report"

# ---- 3. a map task that fails: a shard without the label column
bad="$data/no label.csv"
gzip -dc "$root/data/samples/cxr_triage.csv.gz" |
	awk 'NR == 1 { sub(/,label,/, ",truth,") } NR <= 50' >"$bad"
run_script bad -o "$out/bad.json" -- "${opts[@]}" -- "${line_shards[0]}" "$bad"
nerr=$(grep -c 'error:' "$out/bad.stderr" || true)
if [ "$status" -ne 2 ] || [ "$nerr" -ne 1 ] || ! grep -q "map task 1 .*no label\.csv.*label" "$out/bad.stderr"; then
	cat "$out/bad.stderr" >&2
	fail "a failing map task gave exit $status, not 2 and one error line naming its shard"
fi
[ ! -e "$out/bad.json" ] || fail "a report was written although a map task failed"
echo "slurm test: ok: a failing map task gives exit 2 and: $(grep 'error:' "$out/bad.stderr")"

echo "slurm test: done in $(($(date +%s) - start)) s"
echo "slurm: 3 passed, 0 failed"
