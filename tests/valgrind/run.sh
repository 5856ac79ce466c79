#!/usr/bin/env bash
# run.sh: runs every API test executable of the plain build under valgrind memcheck: any leak
# (definite, indirect or possible), invalid read or write, or use of uninitialised memory fails
# the stage. Suppressions (tests/valgrind/refold.supp) cover only one-time library
# initialisation outside our code, each with the reason next to it.
#
#   REFOLD_BUILD_DIR   the plain (non-sanitizer) build; default build
#   VALGRIND_JOBS      tests run side by side (default: number of cores; one more measured no
#                      faster in a whole run: 157 s either way)
#   VALGRIND_TESTS     a subset, e.g. "api_limits api_security" (default: every api_*)
#   REFOLD_MOCK_WORKERS  CivetWeb workers per mock (default here 80; the mock's own is 256)
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${REFOLD_BUILD_DIR:-$root/build}
out=$root/tests/out/valgrind
jobs=${VALGRIND_JOBS:-$(nproc)}

command -v valgrind >/dev/null || { echo "valgrind: not installed (bash scripts/deps.sh test)"; exit 1; }
[ -d "$build/tests" ] || { echo "valgrind: no build in $build (set REFOLD_BUILD_DIR)"; exit 1; }
mkdir -p "$out"
rm -f "$out"/*.log

tests=${VALGRIND_TESTS:-$(cd "$build/tests" && ls api_* 2>/dev/null | grep -v '\.')}
[ -n "$tests" ] || { echo "valgrind: no api_* test executables in $build/tests"; exit 1; }

export root build out
export TH_REQUEST_TIMEOUT_S=${TH_REQUEST_TIMEOUT_S:-180}
export TH_LOAD_SECONDS=${TH_LOAD_SECONDS:-4} # api_concurrency's load: 4 s, not 10 (tests/README.md)
# 80 CivetWeb workers per mock instead of 256 (mock/server.c): under valgrind each thread's start
# is paid in full, about a fifth of a short test's CPU time; 80 still serve every test's most
# concurrent clients (api_limits' 60 slow clients and one more, api_concurrency's 32).
export REFOLD_MOCK_WORKERS=${REFOLD_MOCK_WORKERS:-80}
memcheck() { # memcheck LOG EXTRA-OPTIONS... TEST
  local log=$1; shift
  # (the tests start servers on port 0 and find the shipped fixtures by source path: no setup)
  # (--max-threads: each mock runs up to 256 CivetWeb workers, and some tests start two mocks)
  valgrind --tool=memcheck --max-threads=2000 --leak-check=full --show-leak-kinds=definite,indirect,possible \
    --errors-for-leak-kinds=definite,indirect,possible --num-callers=40 \
    --error-exitcode=99 --suppressions="$root/tests/valgrind/refold.supp" --gen-suppressions=all \
    "$@" >"$log" 2>&1
}
run_one() {
  local t=$1 start=$SECONDS cpu rc
  # --track-origins finds no more errors, it only says where an uninitialised value came from,
  # at about twice the time: the first run goes without it, and a failed test runs again with it
  # so its log has the origins. (CPU seconds, user + sys, are printed too: on a shared machine
  # they say more about a test's cost than its wall time.)
  cpu=$( { TIMEFORMAT='%U %S'; time memcheck "$out/$t.log" "$build/tests/$t"; } 2>&1 )
  rc=$?
  cpu=$(awk '{ printf "%.1f", $1 + $2 }' <<<"$cpu")
  if [ $rc = 0 ]; then
    echo "valgrind: ok     $t ($((SECONDS - start)) s, CPU $cpu s)"
  else
    memcheck "$out/$t.origins.log" --track-origins=yes "$build/tests/$t"
    echo "valgrind: FAILED $t ($((SECONDS - start)) s), see $out/$t.log (and $t.origins.log, run again with --track-origins):"
    grep -E "Invalid|uninitialised|definitely lost|indirectly lost|possibly lost|FAILED|ERROR SUMMARY" "$out/$t.log" | head -20
    return 1
  fi
}
export -f memcheck run_one
# slowest first (CPU seconds as measured under valgrind, tests/README.md), so the cores finish
# together (api_tenant_admin_isolation, 32 s, started near the end used to leave one core idle)
order=$(for t in $tests; do case $t in
  api_tenant_admin_isolation|api_clock_advance|api_webhook_loops) echo "0 $t";;
  api_tenants_index|api_concurrency|api_tables|api_proxy|api_hardening|api_races|api_drift|api_security|api_executions|api_limits) echo "1 $t";;
  *) echo "2 $t";; esac; done | sort | cut -d' ' -f2)
if printf '%s\n' $order | xargs -P "$jobs" -I{} bash -c 'run_one "$@"' _ {}; then
  echo "valgrind: $(echo $tests | wc -w) test executables clean"
else
  echo "valgrind: failures above"; exit 1
fi
