#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole suite: unit + API tests (plain, under
# ASan+UBSan, under TSan, and the API tests under valgrind), then every other tests/*/run.sh stage
# (SDK, browser, contract, fuzz, ...).
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh test || exit 1
jobs=$(nproc)
passed=0; failed=0; failures=(); times=()
suite_start=$(date +%s.%N)

# Every process a stage starts inherits this mark: one still alive after its stage ended was
# left running (a server on a port, a browser), which fails the stage (scripts/leftovers.sh).
export REFOLD_TEST_MARK="test-sh-$$-$RANDOM"

stage() { # stage NAME COMMAND...
  local name=$1; shift
  echo "=== stage: $name"
  local ok=1 start secs
  start=$(date +%s.%N)
  "$@" || ok=0
  # A process still exiting by itself (a server sent SIGTERM as the stage ended) gets up to 3 s;
  # what still carries the mark then was left running: killed, and the stage fails.
  if ! bash scripts/leftovers.sh "$REFOLD_TEST_MARK" --wait 3000 --kill; then
    echo "=== $name left processes running (killed now)"; ok=0
  fi
  secs=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  times+=("$(printf '%7ss  %s' "$secs" "$name")")
  if [ $ok = 1 ]; then passed=$((passed + 1)); echo "=== ok: $name (${secs}s)"
  else failed=$((failed + 1)); failures+=("$name"); echo "=== FAILED: $name (${secs}s)"; fi
}

build() { # build DIR [cmake args...]
  local dir=$1; shift
  # (BUILD_TESTING explicitly: scripts/run.sh configures the same tree without the tests)
  cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON "$@" >/dev/null && cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "error|warning|Error" ; test "${PIPESTATUS[0]}" = 0
}

# The ctest stages run two tests per core: many tests spend part of their time waiting (a server's
# 10 s request timeout, api_concurrency's 10 s, webhook retries), and a fresh tree has no record of
# which tests are long, so with one per core a long one started last left a core idle.
stage "build" build build
stage "ctest" ctest --test-dir build --output-on-failure --no-tests=error -j"$((jobs * 2))"
stage "build (asan+ubsan)" build build-asan -DREFOLD_SANITIZE=ON
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
stage "ctest (asan+ubsan)" ctest --test-dir build-asan --output-on-failure --no-tests=error -j"$((jobs * 2))"
unset ASAN_OPTIONS UBSAN_OPTIONS
export REFOLD_MOCK_BIN="$PWD/build/refold-mock" REFOLD_BUILD_DIR="$PWD/build"
# The unit and API tests under the two other checkers, next and in this order (tsan/run.sh builds
# build-tsan; valgrind/run.sh runs the plain build's API test executables).
checkers="tsan valgrind"
for kind in $checkers; do stage "$kind" bash "tests/$kind/run.sh"; done

# Further stages: every other tests/<kind>/run.sh, given the built binary's path.
for run in tests/*/run.sh; do
  kind=$(basename "$(dirname "$run")")
  [ -f "$run" ] || continue
  case " $checkers " in *" $kind "*) continue ;; esac
  stage "$kind" bash "$run"
done

echo
echo "stage wall times:"
printf '%s\n' "${times[@]}"
printf '%7ss  total\n' "$(awk -v a="$suite_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
[ ${#failures[@]} -gt 0 ] && echo "failed stages: ${failures[*]}"
echo "stages: $passed passed, $failed failed"
[ "$failed" = 0 ]
