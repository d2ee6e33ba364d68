#!/usr/bin/env bash
# scripts/test.sh: install what is missing, build with warnings as errors,
# and run the whole test suite with ctest.
#   FA_BUILD_DIR   build folder (default: build)
#   FA_SANITIZE=1  build with AddressSanitizer + UndefinedBehaviorSanitizer
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/deps.sh --test

build=${FA_BUILD_DIR:-build}
san=OFF
type=Release
if [ "${FA_SANITIZE:-0}" = 1 ]; then san=ON; type=Debug; fi
cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=$type -DFA_WERROR=ON -DFA_SANITIZE=$san >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j"$(nproc)"
