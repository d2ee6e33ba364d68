#!/usr/bin/env bash
# bench/coverage.sh: build a Release tree and run the bootstrap coverage,
# gap-bias, clustered-data and power study (about 25 minutes on two cores;
# `--only cluster,power`, the last two alone, needs about 400 s of CPU time).
# The Markdown tables go to standard output and to $build/coverage.md;
# progress goes to standard error.
# The exit status is 1 when the simulation's own checks fail.
#   FA_BUILD_DIR   build folder (default: build-bench)
#   further arguments are passed to fa_coverage, e.g. `--datasets 600` or
#   `--only check,gap` for a shorter run (later options win)
set -euo pipefail
cd "$(dirname "$0")/.."

build=${FA_BUILD_DIR:-build-bench}
# -Werror is for CI; a study run should not stop on a new compiler's warning
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DFA_WERROR=OFF >/dev/null
if ! cmake --build "$build" --target fa_coverage -j"$(nproc)" >"$build/bench-build.log" 2>&1; then
	cat "$build/bench-build.log" >&2
	exit 1
fi
"$build/bench/fa_coverage" --datasets 3000 --bca-datasets 1000 --ceiling-datasets 1000 \
	--gap-datasets 600 --bootstrap 2000 --permutations 1000 \
	--cluster-datasets 1000 --cluster-bootstrap 500 \
	--power-datasets 1000 --power-bootstrap 500 --power-permutations 500 --seed 1 "$@" |
	tee "$build/coverage.md"
