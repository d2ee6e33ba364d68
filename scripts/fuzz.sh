#!/usr/bin/env bash
# scripts/fuzz.sh [SECONDS]: build the libFuzzer targets with clang,
# AddressSanitizer and UndefinedBehaviorSanitizer, and run each for SECONDS
# (default 30), one after the other. Exits 1 when a target finds a crash,
# a hang, a leak or a failed check; the input is then in
# $FA_BUILD_DIR/fuzz-artifacts/ (add it to tests/fuzz/corpus/<target>/ once
# fixed: docs/hardening.md).
#   FA_BUILD_DIR      build folder (default: build-fuzz)
#   FA_FUZZ_TARGETS   targets to run (default: load gate policy report partial)
# Inputs that reach new code are kept in $FA_BUILD_DIR/fuzz-corpus/<target>/
# between runs; the checked-in corpus is only read.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-30}
case $seconds in '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS]" >&2; exit 2 ;; esac
build=${FA_BUILD_DIR:-build-fuzz}
targets=${FA_FUZZ_TARGETS:-load gate policy report partial}

FA_EXTRA_PACKAGES="clang ${FA_EXTRA_PACKAGES:-}" bash scripts/deps.sh
# Debug keeps the assertions; -O1 makes the runs several times faster
CC=clang cmake -S . -B "$build" -DFA_FUZZ=ON -DFA_SANITIZE=ON -DFA_WERROR=ON \
  -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS_DEBUG="-g -O1" >/dev/null
fuzzers=()
for t in $targets; do fuzzers+=("fuzz_$t"); done
cmake --build "$build" -j"$(nproc)" --target "${fuzzers[@]}" >/dev/null

# per target: the longest input and the dictionary
max_len() {
  case $1 in
    load) echo 65536 ;;
    gate) echo 1024 ;;
    policy) echo 8192 ;;
    report) echo 262144 ;;
    partial) echo 65536 ;;
    *) echo 65536 ;;
  esac
}
dict() {
  case $1 in
    load) echo tests/fuzz/load.dict ;;
    gate | policy) echo tests/fuzz/gate.dict ;;
    report) echo tests/fuzz/report.dict ;;
    partial) echo tests/fuzz/partial.dict ;;
  esac
}

failed=()
summary=()
for t in $targets; do
  work=$build/fuzz-corpus/$t
  art=$build/fuzz-artifacts/$t
  log=$build/fuzz-$t.log
  mkdir -p "$work" "$art"
  args=(-max_total_time="$seconds" -max_len="$(max_len "$t")" -timeout=10
        -rss_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$art/")
  d=$(dict "$t")
  [ -n "$d" ] && args+=(-dict="$d")
  echo "== fuzz_$t: $seconds s =="
  set +e
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    "$build/tests/fuzz/fuzz_$t" "${args[@]}" "$work" "tests/fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  # the last status line: "#N DONE cov: C ft: F corp: ..."
  last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  line=$(printf '%-8s %10s execs  cov: %-6s ft: %-7s' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}")
  if [ $rc -ne 0 ]; then
    failed+=("$t")
    summary+=("$line FAILED (exit $rc; $log)")
    grep -E 'ERROR:|SUMMARY:|check failed|Test unit written' "$log" | head -10 || true
  else
    summary+=("$line ok")
  fi
  echo "$last"
done

echo "== fuzzing summary ($seconds s per target) =="
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz.sh: ${failed[*]} failed; the inputs are in $build/fuzz-artifacts/" >&2
  exit 1
fi
