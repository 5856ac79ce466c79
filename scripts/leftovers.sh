#!/usr/bin/env bash
# leftovers.sh MARK: lists (pid and command line) every live process of this user that carries
# REFOLD_TEST_MARK=MARK in its environment, i.e. one a test stage started (children inherit the
# environment) and left running. Exits 1 when there is one; with --kill, also ends them.
mark=${1:?usage: leftovers.sh MARK [--kill]}
found=0
for env in /proc/[0-9]*/environ; do
  pid=${env#/proc/}; pid=${pid%/environ}
  [ "$pid" = "$$" ] && continue
  if { tr "\0" "\n" <"$env"; } 2>/dev/null | grep -qx "REFOLD_TEST_MARK=$mark"; then
    found=1
    echo "left running: pid $pid: $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null)"
    [ "${2:-}" = --kill ] && kill "$pid" 2>/dev/null
  fi
done
exit $found
