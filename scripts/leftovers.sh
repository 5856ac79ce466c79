#!/usr/bin/env bash
# leftovers.sh MARK [--wait MS] [--kill]: lists (pid and command line) every live process of this
# user that carries REFOLD_TEST_MARK=MARK in its environment, i.e. one a test stage started
# (children inherit the environment) and left running. Exits 1 when there is one. --wait MS first
# polls (every 20 ms, for at most MS) until none is left, so a process exiting by itself is not
# counted; --kill also ends what is still there.
mark=${1:?usage: leftovers.sh MARK [--wait MS] [--kill]}
shift
wait_ms=0 kill=0
while [ $# -gt 0 ]; do
  case $1 in
    --wait) wait_ms=${2:?--wait needs milliseconds}; shift 2 ;;
    --kill) kill=1; shift ;;
    *) echo "leftovers.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
marked() { # prints the pids carrying the mark, one grep over all environments (a zombie's is empty)
  local env pid
  for env in $(grep -lzx "REFOLD_TEST_MARK=$mark" /proc/[0-9]*/environ 2>/dev/null); do
    pid=${env#/proc/}; pid=${pid%/environ}
    # (not this script, its subshell, nor the grep itself, which has ended by now)
    [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] || [ ! -d "/proc/$pid" ] || echo "$pid"
  done
}
# A bounded poll around a condition (no marked process left): there is no event to wait on for
# processes that are not our children.
until=$(( $(date +%s%3N) + wait_ms ))
pids=$(marked)
while [ -n "$pids" ] && [ "$(date +%s%3N)" -lt "$until" ]; do
  sleep 0.02
  pids=$(marked)
done
found=0
for pid in $pids; do
  cmd=$( { tr '\0' ' ' <"/proc/$pid/cmdline"; } 2>/dev/null) || continue # ended just now
  found=1
  echo "left running: pid $pid: $cmd"
  [ $kill = 1 ] && kill "$pid" 2>/dev/null
done
exit $found
