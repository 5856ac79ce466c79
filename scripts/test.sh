#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole suite: unit + API tests (plain and under
# ASan+UBSan), then every tests/*/run.sh stage (SDK, browser, contract, fuzz, ...).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test || exit 1
jobs=$(nproc)
passed=0; failed=0; failures=()

stage() { # stage NAME COMMAND...
  local name=$1; shift
  echo "=== stage: $name"
  if "$@"; then passed=$((passed + 1)); echo "=== ok: $name"
  else failed=$((failed + 1)); failures+=("$name"); echo "=== FAILED: $name"; fi
}

build() { # build DIR [cmake args...]
  local dir=$1; shift
  # (BUILD_TESTING explicitly: scripts/run.sh configures the same tree without the tests)
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON "$@" >/dev/null && cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "error|warning|Error" ; test "${PIPESTATUS[0]}" = 0
}

stage "build" build build
stage "ctest" ctest --test-dir build --output-on-failure --no-tests=error -j"$jobs"
stage "build (asan+ubsan)" build build-asan -DREFOLD_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
stage "ctest (asan+ubsan)" ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$jobs"
unset ASAN_OPTIONS UBSAN_OPTIONS

# Further stages: each tests/<kind>/run.sh gets the built binary's path.
export REFOLD_MOCK_BIN="$PWD/build/refold-mock" REFOLD_BUILD_DIR="$PWD/build"
for run in tests/*/run.sh; do
  [ -f "$run" ] || continue
  stage "$(basename "$(dirname "$run")")" bash "$run"
done

echo
[ ${#failures[@]} -gt 0 ] && echo "failed stages: ${failures[*]}"
echo "stages: $passed passed, $failed failed"
[ "$failed" = 0 ]
