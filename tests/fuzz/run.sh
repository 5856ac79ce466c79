#!/usr/bin/env bash
# run.sh: builds the libFuzzer targets with clang (ASan + UBSan) and runs each for a bounded time:
# first every committed regression input (each crash ever found), then fresh fuzzing from the
# seed corpora (the spec's request examples, the shipped scenarios and fixtures). Exits non-zero
# on any crash, leak, timeout or sanitizer report; the input that did it is left in tests/out/fuzz.
#
#   FUZZ_SECONDS=6       time per target (CI: every seed and regression input runs first, then
#                        fresh inputs for the rest; tests/README.md); FUZZ_SECONDS=3600 for a long run
#   FUZZ_TARGETS="jwt routes"   a subset (default: every fuzz_*.c)
#   FUZZ_JOBS=N          targets run at once (default: number of cores)
#   REFOLD_FUZZ_BUILD=build-fuzz   the build directory
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${REFOLD_FUZZ_BUILD:-$root/build-fuzz}
secs=${FUZZ_SECONDS:-6}
out=$root/tests/out/fuzz
corpus=$build/corpus

command -v clang >/dev/null || { echo "fuzz: clang is not installed (bash scripts/deps.sh test)"; exit 1; }
cmake -S "$root/tests/fuzz" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
cmake --build "$build" -j"$(nproc)" 2>&1 | grep -E "error|warning" ; [ "${PIPESTATUS[0]}" = 0 ] || exit 1
mkdir -p "$out"

targets=${FUZZ_TARGETS:-$(cd "$root/tests/fuzz" && ls fuzz_*.c | sed 's/^fuzz_//; s/\.c$//' | grep -v '^client$')}
# One target (replay its regressions, then fuzz for $secs): prints its report, exits 1 on a crash.
# The targets run side by side, one per core (each libFuzzer process is single-threaded).
fuzz_one() {
  local t=$1 bin=$build/fuzz_$1
  [ -x "$bin" ] || { echo "fuzz: no target $t"; return 1; }
  local seeds=()
  [ -d "$root/tests/fuzz/seeds/$t" ] && seeds+=("$root/tests/fuzz/seeds/$t")
  case $t in
    scenario) seeds+=("$root/scenarios") ;;
    fixtures) seeds+=("$root/fixtures/apps") ;;
  esac
  # The HTTP targets run a server whose threads allocate between inputs: libFuzzer's per-input
  # leak check would misfire there; leaks are the valgrind and ASan stages' job.
  local opts=(-timeout=10 -rss_limit_mb=2560 -print_final_stats=1 -artifact_prefix="$out/$t-")
  case $t in http_*|filters) opts+=(-detect_leaks=0) ;; esac

  local regress=$root/tests/fuzz/regressions/$t
  if [ -d "$regress" ] && [ -n "$(ls -A "$regress")" ]; then
    echo "=== fuzz $t: replaying $(ls "$regress" | wc -l) regression inputs"
    if ! "$bin" "${opts[@]}" "$regress"/* >"$out/$t-regressions.log" 2>&1; then
      echo "fuzz $t: a regression input fails again:"; tail -40 "$out/$t-regressions.log"; return 1
    fi
  fi
  mkdir -p "$corpus/$t"
  echo "=== fuzz $t: ${secs}s"
  if "$bin" "${opts[@]}" -max_total_time="$secs" "$corpus/$t" "${seeds[@]}" >"$out/$t.log" 2>&1; then
    grep -E "stat::number_of_executed_units|stat::new_units_added" "$out/$t.log" | tr -s ' ' | tr '\n' ' '; echo
  else
    echo "fuzz $t: FOUND A CRASH (input saved as $out/$t-*; add it to tests/fuzz/regressions/$t/ with the fix):"
    grep -E "ERROR|SUMMARY|fuzz:|Test unit written|#[0-9]+ 0x" "$out/$t.log" | head -40
    return 1
  fi
}
jobs=${FUZZ_JOBS:-$(nproc)}
failed=()
declare -A running=() # pid -> target
reap() { # waits for one target to end, prints its report, records a failure
  local pid
  wait -n -p pid "${!running[@]}"; local rc=$?
  cat "$out/${running[$pid]}.report"
  [ $rc = 0 ] || failed+=("${running[$pid]}")
  unset "running[$pid]"
}
for t in $targets; do
  [ ${#running[@]} -lt "$jobs" ] || reap
  fuzz_one "$t" >"$out/$t.report" 2>&1 &
  running[$!]=$t
done
while [ ${#running[@]} -gt 0 ]; do reap; done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: failed targets: ${failed[*]}"; exit 1; }
echo "fuzz: all targets clean"
