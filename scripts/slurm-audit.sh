#!/usr/bin/env bash
# scripts/slurm-audit.sh: audit many shards of prediction records on a Slurm
# cluster. One array task per shard runs `fairaudit partial`; one job that
# depends on all of them merges the partials and writes the reports. The
# script waits for that job and exits with its exit status, so gates work in
# CI. See docs/distributed.md.
set -euo pipefail

prog=slurm-audit.sh

usage() {
	cat <<'EOF'
Usage: scripts/slurm-audit.sh [OPTIONS] -o REPORT... [--gate EXPR]... -- [PARTIAL OPTIONS] SHARD...

Audits SHARD... on a Slurm cluster: an array job runs
  fairaudit partial PARTIAL-OPTIONS -o WORKDIR/part-I.fap -- SHARD_I
for every shard, then a job that starts when all of them succeeded runs
  fairaudit merge WORKDIR/part-0.fap ... -o WORKDIR/all.fap
  fairaudit report WORKDIR/all.fap -o REPORT... --gate EXPR... REPORT-OPTIONS
The script waits for it and exits with the status of `fairaudit report`:
0 pass, 1 a gate failed, 2 error, 3 inconclusive (docs/cli.md). When a map
task, the merge, or Slurm fails, it prints one line saying which and exits 2.

Options:
  --fairaudit PATH     the fairaudit binary the jobs run; it must be at the
                       same path on every node (default: fairaudit on PATH)
  --workdir DIR        where the partials, job scripts and logs go; it must be
                       on a file system that every node sees at the same path
                       (default: a new folder slurm-audit.XXXXXX here)
  --partition P        sbatch --partition for every job
  --time T             sbatch --time for every job (e.g. 30:00)
  --max-running K      at most K map tasks at once (--array=0-(N-1)%K)
  --sbatch-opt ARG     one more argument to sbatch for every job
                       (e.g. --sbatch-opt=--account=radiology); repeatable
  -o, --output REPORT  a report for `fairaudit report` to write; repeatable
  --gate EXPR          a gate for `fairaudit report`; repeatable
  --gate-on MODE, --policy FILE
                       passed to `fairaudit report`, as in `fairaudit audit`
  --report-opt ARG     one more argument to `fairaudit report`
                       (e.g. --report-opt=--format=md); repeatable
  --poll SECONDS       how often to ask Slurm whether the jobs are done
                       (default: 5)
  -h, --help           this help

After `--` come the options of `fairaudit partial` (the options of
`fairaudit audit`, the same for every shard) and then the shards: the
trailing arguments that name existing files. Put a second `--` between the
options and the shards when that is ambiguous. Without `--id`, a shard must
hold whole input files (the bootstrap unit of a record is its file name and
line). Relative paths are taken from the folder the script runs in, which
is also the folder the jobs run in.

Example:
  scripts/slurm-audit.sh --workdir /shared/audit/run1 --time 20:00 \
      -o report.json -o report.md --gate 'sex:tpr_gap<=0.10' \
      -- --group sex --group race --bootstrap 2000 --seed 7 shards/*.csv
EOF
}

die() {
	printf '%s: error: %s\n' "$prog" "$1" >&2
	exit 2
}

need_value() {
	[ $# -ge 2 ] || die "$1 needs a value (see --help)"
}

fa=fairaudit
work=
poll=5
max_running=
sbatch_opts=()
report_args=()
noutputs=0
while [ $# -gt 0 ]; do
	case $1 in
	-h | --help) usage; exit 0 ;;
	--fairaudit) need_value "$@"; fa=$2; shift 2 ;;
	--fairaudit=*) fa=${1#*=}; shift ;;
	--workdir) need_value "$@"; work=$2; shift 2 ;;
	--workdir=*) work=${1#*=}; shift ;;
	--partition) need_value "$@"; sbatch_opts+=("--partition=$2"); shift 2 ;;
	--partition=*) sbatch_opts+=("--partition=${1#*=}"); shift ;;
	--time) need_value "$@"; sbatch_opts+=("--time=$2"); shift 2 ;;
	--time=*) sbatch_opts+=("--time=${1#*=}"); shift ;;
	--max-running) need_value "$@"; max_running=$2; shift 2 ;;
	--max-running=*) max_running=${1#*=}; shift ;;
	--sbatch-opt) need_value "$@"; sbatch_opts+=("$2"); shift 2 ;;
	--sbatch-opt=*) sbatch_opts+=("${1#*=}"); shift ;;
	-o | --output) need_value "$@"; report_args+=(-o "$2"); noutputs=$((noutputs + 1)); shift 2 ;;
	--output=*) report_args+=(-o "${1#*=}"); noutputs=$((noutputs + 1)); shift ;;
	--gate) need_value "$@"; report_args+=(--gate "$2"); shift 2 ;;
	--gate=*) report_args+=(--gate "${1#*=}"); shift ;;
	--gate-on | --policy) need_value "$@"; report_args+=("$1" "$2"); shift 2 ;;
	--gate-on=* | --policy=*) report_args+=("$1"); shift ;;
	--report-opt) need_value "$@"; report_args+=("$2"); shift 2 ;;
	--report-opt=*) report_args+=("${1#*=}"); shift ;;
	--poll) need_value "$@"; poll=$2; shift 2 ;;
	--poll=*) poll=${1#*=}; shift ;;
	--) shift; break ;;
	*) die "unknown option \"$1\"; the options of fairaudit partial and the shards go after \"--\" (see --help)" ;;
	esac
done
[ "$noutputs" -gt 0 ] || die "no report to write: give -o REPORT (see --help)"
[[ $poll =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--poll: expected a number of seconds, got \"$poll\""
[ -z "$max_running" ] || [[ $max_running =~ ^[1-9][0-9]*$ ]] ||
	die "--max-running: expected a positive integer, got \"$max_running\""

# Split what follows `--` into the options of `fairaudit partial` and the
# shards: at a second `--` if there is one, else the shards are the trailing
# arguments that name existing files (but not the value of --config FILE).
rest=("$@")
partial_opts=()
shards=()
split=-1
for ((i = 0; i < ${#rest[@]}; i++)); do
	if [ "${rest[i]}" = "--" ]; then split=$i; break; fi
done
if [ "$split" -ge 0 ]; then
	partial_opts=("${rest[@]:0:split}")
	shards=("${rest[@]:split+1}")
else
	first=${#rest[@]}
	while [ "$first" -gt 0 ]; do
		arg=${rest[first - 1]}
		case $arg in -*) break ;; esac
		[ -f "$arg" ] || break
		if [ "$first" -ge 2 ]; then
			case ${rest[first - 2]} in
			--config) break ;;
			esac
		fi
		first=$((first - 1))
	done
	partial_opts=("${rest[@]:0:first}")
	shards=("${rest[@]:first}")
fi
[ ${#shards[@]} -gt 0 ] || die "no shard given: put the options of fairaudit partial and then the shard files after \"--\""
for o in "${partial_opts[@]}"; do
	case $o in
	-o | -o* | --output | --output=*) die "the partial options must not name an output (\"$o\"): the script writes WORKDIR/part-I.fap" ;;
	esac
done
for s in "${shards[@]}"; do
	if [ ! -f "$s" ] || [ ! -r "$s" ]; then die "shard \"$s\" is not a readable file"; fi
done

for tool in sbatch squeue scontrol scancel; do
	command -v "$tool" >/dev/null || die "$tool not found: this script needs the Slurm client commands"
done
if [[ $fa != */* ]]; then
	fa_path=$(command -v "$fa") || die "\"$fa\" not found on PATH; give --fairaudit PATH"
	fa=$fa_path
fi
[ -x "$fa" ] || die "\"$fa\" is not an executable file"

# The jobs run in this folder (sbatch --chdir), so relative shard and report
# paths mean there what they mean here, and the reports name the shards as
# they were given.
case $fa in /*) ;; *) fa=$PWD/$fa ;; esac
if [ -z "$work" ]; then
	work=$(mktemp -d "$PWD/slurm-audit.XXXXXX") || die "cannot create a work folder in $PWD"
else
	mkdir -p -- "$work" || die "cannot create the work folder \"$work\""
	work=$(cd -- "$work" && pwd)
fi
mkdir -p -- "$work/logs"
# A partial left by an earlier run in the same folder must not be merged
rm -f -- "$work"/part-*.fap "$work/all.fap" "$work/result"

n=${#shards[@]}
{
	printf '#!/bin/bash\n'
	printf '# written by scripts/slurm-audit.sh: shard SLURM_ARRAY_TASK_ID to a partial audit\n'
	printf 'set -euo pipefail\n'
	printf 'fa=%q\n' "$fa"
	printf 'work=%q\n' "$work"
	printf 'opts=('; for o in "${partial_opts[@]}"; do printf ' %q' "$o"; done; printf ' )\n'
	printf 'shards=('; for s in "${shards[@]}"; do printf ' %q' "$s"; done; printf ' )\n'
	cat <<'EOF'
i=${SLURM_ARRAY_TASK_ID:?not started as a Slurm array task}
exec "$fa" partial "${opts[@]}" -o "$work/part-$i.fap" -- "${shards[$i]}"
EOF
} >"$work/map.sh"
{
	printf '#!/bin/bash\n'
	printf '# written by scripts/slurm-audit.sh: merge the partials and write the reports\n'
	printf 'set -uo pipefail\n'
	printf 'fa=%q\n' "$fa"
	printf 'work=%q\n' "$work"
	printf 'n=%d\n' "$n"
	printf 'args=('; for a in "${report_args[@]}"; do printf ' %q' "$a"; done; printf ' )\n'
	cat <<'EOF'
parts=()
for ((i = 0; i < n; i++)); do parts+=("$work/part-$i.fap"); done
"$fa" merge "${parts[@]}" -o "$work/all.fap"
rc=$?
if [ $rc -ne 0 ]; then
	echo "merge $rc" >"$work/result"
	exit $rc
fi
"$fa" report "$work/all.fap" "${args[@]}"
rc=$?
echo "report $rc" >"$work/result"
exit $rc
EOF
} >"$work/reduce.sh"
chmod +x "$work/map.sh" "$work/reduce.sh"

# Slurm expands % in --output names (%a: the task index); %% keeps a % that
# is part of the folder's name
logs=${work//%/%%}/logs
array="0-$((n - 1))${max_running:+%$max_running}"
submit() {
	local out
	out=$(sbatch --parsable --chdir="$PWD" "${sbatch_opts[@]}" "$@" 2>&1) ||
		die "sbatch failed: $(printf '%s' "$out" | tr '\n' ' ')"
	out=$(printf '%s\n' "$out" | tail -n 1)
	printf '%s' "${out%%;*}"
}
map_job=$(submit --job-name=fa-partial --array="$array" --output="$logs/map-%a.log" "$work/map.sh")
jobs_to_cancel=$map_job
# shellcheck disable=SC2317 # run by the traps below
interrupted() {
	# shellcheck disable=SC2086 # one or two job ids
	scancel $jobs_to_cancel 2>/dev/null || true
	echo "$prog: interrupted; cancelled job(s) $jobs_to_cancel" >&2
	exit "$1"
}
trap 'interrupted 130' INT
trap 'interrupted 143' TERM
reduce_job=$(submit --job-name=fa-report --dependency="afterok:$map_job" --kill-on-invalid-dep=yes \
	--output="$logs/report.log" "$work/reduce.sh") || { scancel "$map_job"; exit 2; }
jobs_to_cancel="$map_job $reduce_job"
echo "$prog: $n shard(s): map job $map_job, merge-and-report job $reduce_job; work folder $work" >&2

# Wait until the report job has left the queue. A failing squeue (the
# controller busy or restarting) is retried for a while, not taken as done.
errors=0
while :; do
	if state=$(squeue -h -j "$reduce_job" -o %T 2>&1); then
		errors=0
		case $state in
		PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED* | RESIZING | SIGNALING | STAGE_OUT) ;;
		*) break ;;
		esac
	elif [[ $state == *"Invalid job id"* ]]; then
		break
	else
		errors=$((errors + 1))
		[ "$errors" -lt 60 ] || die "squeue keeps failing: $(printf '%s' "$state" | tr '\n' ' ')"
	fi
	sleep "$poll"
done
trap - INT TERM

job_field() { # job_field SCONTROL-LINE FIELD: the value of FIELD=... in it
	local f
	for f in $1; do
		case $f in "$2"=*) printf '%s' "${f#*=}"; return ;; esac
	done
}
reduce_info=$(scontrol show job -o "$reduce_job" 2>/dev/null || true)
reduce_state=$(job_field "$reduce_info" JobState)

# The result file is written on the node that ran the job; a network file
# system may show it here a little later.
if [ ! -f "$work/result" ] && [[ $reduce_state == COMPLETED || $reduce_state == FAILED ]]; then
	for ((t = 0; t < 30; t++)); do [ -f "$work/result" ] && break; sleep 1; done
fi

if [ -f "$work/result" ]; then
	read -r step rc <"$work/result"
	[ -s "$work/logs/report.log" ] && cat -- "$work/logs/report.log"
	if [ "$step" = merge ]; then
		die "the merge in job $reduce_job failed with exit $rc: $(grep -v '^[[:space:]]*$' "$work/logs/report.log" | tail -n 1); log: $work/logs/report.log"
	fi
	exit "$rc"
fi

# No result: the report job did not run to its end. Find the map tasks that
# ended without success (Slurm cancels the report job after the first), stop
# the rest, and name the first with the last line of its log (fairaudit's
# error message).
map_info=$(scontrol show job -o "$map_job" 2>/dev/null || true)
scancel "$map_job" 2>/dev/null || true
failed=()
while IFS= read -r line; do
	task=$(job_field "$line" ArrayTaskId)
	[[ $task =~ ^[0-9]+$ ]] || continue
	st=$(job_field "$line" JobState)
	case $st in
	COMPLETED | PENDING | RUNNING | CONFIGURING | COMPLETING | SUSPENDED | REQUEUED*) ;;
	*) failed+=("$task $st $(job_field "$line" ExitCode)") ;;
	esac
done <<<"$map_info"
if [ -z "$map_info" ]; then
	# Slurm no longer knows the job: the tasks that left no partial
	for ((i = 0; i < n; i++)); do
		[ -f "$work/part-$i.fap" ] || failed+=("$i")
	done
fi
if [ ${#failed[@]} -gt 0 ]; then
	read -r i st ec < <(printf '%s\n' "${failed[@]}" | sort -n | head -n 1)
	log="$work/logs/map-$i.log"
	last=
	[ -f "$log" ] && last=$(grep -v '^[[:space:]]*$' "$log" | tail -n 1 || true)
	what="map task $i of job $map_job (shard ${shards[i]})"
	[ ${#failed[@]} -eq 1 ] || what="$what and $((${#failed[@]} - 1)) more of the $n map tasks"
	how=
	if [ -n "${st:-}" ]; then
		code=${ec%%:*} sig=${ec#*:}
		if [ "${code:-0}" != 0 ]; then how=", exit $code"; elif [ "${sig:-0}" != 0 ]; then how=", signal $sig"; fi
		how=" ($st$how)"
	fi
	die "$what failed$how: ${last:-no message}; log: $log"
fi
die "job $reduce_job ended ${reduce_state:-in an unknown state} without writing a report; log: $work/logs/report.log"
