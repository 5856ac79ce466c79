#!/usr/bin/env bash
# run.sh: builds the library and the tests with ThreadSanitizer (build-tsan) and runs the unit and
# API tests there: any data race, lock-order inversion or use of a destroyed mutex fails the
# stage. The server is multi-threaded throughout (CivetWeb workers, the webhook delivery thread,
# the realtime ticker), so this is the check that its locks and atomics are right.
#
#   REFOLD_TSAN_BUILD   build directory (default build-tsan)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${REFOLD_TSAN_BUILD:-$root/build-tsan}
jobs=$(nproc)

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DREFOLD_TSAN=ON -DBUILD_TESTING=ON >/dev/null || exit 1
cmake --build "$build" -j"$jobs" 2>&1 | grep -E "error|warning|Error"
[ "${PIPESTATUS[0]}" = 0 ] || exit 1
# 80 CivetWeb workers per mock instead of 256 (mock/server.c), as under valgrind: each thread's
# start is costly under TSan too, and 80 still serve every test's most concurrent clients.
export REFOLD_MOCK_WORKERS=${REFOLD_MOCK_WORKERS:-80}
export TH_LOAD_SECONDS=${TH_LOAD_SECONDS:-4} # api_concurrency's load: 4 s, not 10 (tests/README.md)
# halt_on_error: the first report fails the test that made it, with both stacks printed.
export TSAN_OPTIONS="halt_on_error=1 exitcode=66 second_deadlock_stack=1"
# GCC 12's ThreadSanitizer aborts at start ("unexpected memory mapping") on kernels that randomise
# mmap with more bits than it expects; without address randomisation it runs. Probe once.
run=()
if ! "$build/tests/unit_memo" >/dev/null 2>&1; then
  if setarch "$(uname -m)" -R "$build/tests/unit_memo" >/dev/null 2>&1; then
    echo "tsan: running without address randomisation (setarch -R): this kernel's mmap layout is not TSan's"
    run=(setarch "$(uname -m)" -R)
  else
    echo "tsan: the ThreadSanitizer runtime cannot start here:"; "$build/tests/unit_memo" 2>&1 | tail -3; exit 1
  fi
fi
# Two tests per core, as in scripts/test.sh's ctest stages: many spend part of their time waiting.
"${run[@]}" ctest --test-dir "$build" --output-on-failure --no-tests=error -j"$((jobs * 2))" -L 'unit|api'
