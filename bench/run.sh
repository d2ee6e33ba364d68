#!/usr/bin/env bash
# bench/run.sh: time fairaudit on 10^5, 10^6 and 10^7 synthetic rows, against
# the floor of reading the files (wc -l, zcat) and a NumPy/scikit-learn
# implementation of the same stratified bootstrap. Prints a Markdown table.
#
#   bash bench/run.sh            # everything (about 10 minutes)
#   RUNS=3 SIZES="1e5 1e6" bash bench/run.sh
#
# Needs /usr/bin/time and Debian's python3-sklearn (installed if missing
# when run as root).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-5}
SIZES=${SIZES:-"1e5 1e6 1e7"}
REPS=${REPS:-2000}
PY_REPS=${PY_REPS:-5}
data=bench/data
mkdir -p "$data"

FA_EXTRA_PACKAGES="time python3-sklearn python3-numpy" bash scripts/deps.sh
build=build-bench-release
cmake -S . -B $build -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=OFF >/dev/null
cmake --build $build -j"$(nproc)" >/dev/null
fa=$build/fairaudit
# the permutation tests are a separate analysis with their own cost (one
# pass per permutation): timed apart, below
groups=(--group sex --group race --group site --group age --bin age=40,65 --permutations 0)

rows_of() { python3 -c "print(int(float('$1')))"; }
# median of the numbers on stdin
median() { sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
# run "$@" RUNS times; print the median wall seconds
timeit() {
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -f "%e" "$@" 2>&1 >/dev/null | tail -1
  done | median
}
# peak resident memory in KB of one run
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p'), $(free -g | awk '/Mem:/{print $2}') GiB"
echo
echo "| rows | MB | wc -l s | zcat s | load+metrics csv s (MB/s) | load+metrics gz s (MB/s) | bootstrap $REPS reps s | threads=1 s | speed-up | peak RSS MB (B/row) |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for size in $SIZES; do
  n=$(rows_of "$size")
  f=$data/bench_$size.csv
  [ -f "$f" ] || python3 bench/gen_bench.py "$n" "$f"
  [ -f "$f.gz" ] || gzip -k -6 -n "$f"
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN{printf "%.1f", b/1e6}')
  t_wc=$(timeit wc -l "$f")
  t_zcat=$(timeit zcat "$f.gz")
  t_load=$(timeit "$fa" audit "$f" "${groups[@]}" --bootstrap 0 -q)
  t_loadgz=$(timeit "$fa" audit "$f.gz" "${groups[@]}" --bootstrap 0 -q)
  reps=$REPS
  [ "$n" -ge 10000000 ] && reps=$((REPS / 10))
  r=$RUNS; RUNS=$(( RUNS > 3 ? 3 : RUNS ))
  t_boot=$(timeit "$fa" audit "$f" "${groups[@]}" --bootstrap "$reps" -q)
  t_boot1=$(timeit "$fa" audit "$f" "${groups[@]}" --bootstrap "$reps" --threads 1 -q)
  RUNS=$r
  rss=$(peak "$fa" audit "$f" "${groups[@]}" --bootstrap "$reps" -q)
  awk -v n="$n" -v mb="$mb" -v wc="$t_wc" -v zc="$t_zcat" -v l="$t_load" -v lg="$t_loadgz" \
      -v b="$t_boot" -v b1="$t_boot1" -v reps="$reps" -v R="$REPS" -v rss="$rss" 'BEGIN {
    note = (reps != R) ? sprintf(" (%d reps)", reps) : ""
    printf "| %d | %s | %.3f | %.3f | %.3f (%.0f) | %.3f (%.0f) | %.2f%s | %.2f%s | %.2f | %.0f (%.0f) |\n",
      n, mb, wc, zc, l, mb / l, lg, mb / lg, b, note, b1, note, (b1 - l) / (b - l), rss / 1024, rss * 1024 / n }'
done

echo
f=$data/bench_1e5.csv
t_perm=$(RUNS=3 timeit "$fa" audit "$f" "${groups[@]}" --bootstrap 0 --permutations 1000 -q)
t_noperm=$(RUNS=3 timeit "$fa" audit "$f" "${groups[@]}" --bootstrap 0 -q)
awk -v a="$t_perm" -v b="$t_noperm" 'BEGIN { printf "Permutation tests, 10^5 rows, 4 attributes, 1000 permutations: %.2f s (%.1f ms a permutation)\n", a - b, (a - b) }'
echo
echo "NumPy/scikit-learn, the same stratified bootstrap ($PY_REPS replicates, 10^5 rows):"
f=$data/bench_1e5.csv
[ -f "$f" ] || python3 bench/gen_bench.py 100000 "$f"
py=$(/usr/bin/python3 bench/py_bootstrap.py "$f" "$PY_REPS" | tail -1)
fa_t=$(RUNS=3 timeit "$fa" audit "$f" "${groups[@]}" --bootstrap "$REPS" -q)
fa_0=$(RUNS=3 timeit "$fa" audit "$f" "${groups[@]}" --bootstrap 0 -q)
awk -v py="$py" -v fa="$fa_t" -v fa0="$fa_0" -v R="$REPS" 'BEGIN {
  per = (fa - fa0) / R
  printf "| implementation | seconds per replicate | %d replicates |\n|---|---|---|\n", R
  printf "| NumPy + scikit-learn | %.4f | %.0f s (scaled) |\n", py, py * R
  printf "| fairaudit | %.6f | %.2f s |\n", per, fa - fa0
  printf "\nfairaudit is %.0f times faster per replicate.\n", py / per }'
