#!/usr/bin/env bash
# bench/partial.sh: an audit split into shards. The synthetic export of
# bench/gen_bench.py (10^6 and 10^7 rows) is cut into 16 whole-file shards;
# each is reduced to a partial audit (as many at a time as there are cores),
# the partial audits are merged and reported, and the report is checked
# against one `audit --bootstrap-scheme poisson` over the 16 shards: equal
# JSON once the input files and the command line are taken out. Prints the
# sizes of the partial audits and median times in a Markdown table.
#
#   bash bench/partial.sh                  # 10^6 and 10^7 rows, 3 runs
#   RUNS=1 SIZES=1e6 bash bench/partial.sh
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-3}
SIZES=${SIZES:-"1e6 1e7"}
REPS=${REPS:-200}
SHARDS=${SHARDS:-16}
data=bench/data
mkdir -p "$data"

FA_EXTRA_PACKAGES="time" bash scripts/deps.sh
build=build-bench-release
cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build $build -j"$(nproc)" >/dev/null
fa=$PWD/$build/fairaudit
opts=(--group sex --group race --group site --group age --bin age=40,65 --permutations 0
      --bootstrap "$REPS" --seed 11 -q)

rows_of() { python3 -c "print(int(float('$1')))"; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# median wall seconds of RUNS runs of "$@" (a shell command line)
timeit() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" bash -c "$1" 2>&1 >/dev/null | tail -1
  done | median
}
kib() { awk -v b="$1" 'BEGIN{printf "%.0f", b/1024}'; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'); $SHARDS shards, $REPS replicates"
echo
echo "| rows | one audit s | partials s (per shard, median) | merge s | report s | map+merge+report s | shard .fap KiB (median) | merged .fap KiB | identical |"
echo "|---|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
  n=$(rows_of "$size")
  f=$data/bench_$size.csv
  [ -f "$f" ] || python3 bench/gen_bench.py "$n" "$f"
  d=$work/$size
  mkdir -p "$d"
  # whole-file shards, the header repeated
  tail -n +2 "$f" | split -n l/"$SHARDS" -d -a 2 - "$d/body" 2>/dev/null ||
    { tail -n +2 "$f" >"$d/all"; split -n l/"$SHARDS" -d -a 2 "$d/all" "$d/body"; rm "$d/all"; }
  for b in "$d"/body*; do
    { head -1 "$f"; cat "$b"; } >"$d/shard${b##*body}.csv"
    rm "$b"
  done
  shards=$(ls "$d"/shard*.csv)
  o="${opts[*]}"
  t_one=$(timeit "$fa audit --bootstrap-scheme poisson $o $(echo $shards) -o $d/one.json")
  t_map=$(timeit "ls $d/shard*.csv | xargs -P $(nproc) -I{} sh -c '$fa partial $o {} -o {}.fap'")
  t_shard=$(timeit "$fa partial $o $d/shard00.csv -o $d/x.fap")
  t_merge=$(timeit "$fa merge $d/shard*.csv.fap -o $d/all.fap")
  t_report=$(timeit "$fa report $d/all.fap -o $d/all.json")
  total=$(awk -v a="$t_map" -v b="$t_merge" -v c="$t_report" 'BEGIN{printf "%.2f", a+b+c}')
  shard_kib=$(for p in "$d"/shard*.csv.fap; do stat -c %s "$p"; done | median)
  all_kib=$(stat -c %s "$d/all.fap")
  same=$(python3 - "$d/one.json" "$d/all.json" <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
for x in (a, b):
    del x["input"], x["command_line"]
print("yes" if a == b else "NO")
PY
)
  echo "| $n | $t_one | $t_map ($t_shard) | $t_merge | $t_report | $total | $(kib "$shard_kib") | $(kib "$all_kib") | $same |"
  rm -rf "$d"
done
