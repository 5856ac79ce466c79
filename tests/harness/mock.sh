# tests/harness/mock.sh: sourced by the stage scripts: starts a refold-mock binary on a free port and
# stops it, failing when it did not exit cleanly (a sanitizer report, a crash).
# Usage: STAGE=name; source harness/mock.sh; mock_start [options...]  -> $MOCK_URL; ...; mock_stop
# (a stage that starts the binary itself, with its own cleanup, calls only mock_wait PID LOG)

mock_bin() { # the binary to test: $REFOLD_MOCK_BIN, else build/refold-mock
  local bin=${REFOLD_MOCK_BIN:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/refold-mock}
  [ -x "$bin" ] || { echo "$STAGE: no refold-mock binary at $bin (build it, or set REFOLD_MOCK_BIN)" >&2; return 1; }
  echo "$bin"
}

mock_start() {
  local bin
  bin=$(mock_bin) || exit 1
  MOCK_LOG=$(mktemp)
  "$bin" --port 0 "$@" >"$MOCK_LOG" 2>&1 &
  MOCK_PID=$!
  trap 'kill "$MOCK_PID" 2>/dev/null || true; wait "$MOCK_PID" 2>/dev/null || true; rm -f "$MOCK_LOG"' EXIT
  mock_wait "$MOCK_PID" "$MOCK_LOG"
}

# mock_wait PID LOG: for a mock started by the caller with --port 0 and its output in LOG, waits
# until it serves and sets $MOCK_URL; exits (printing LOG) when PID ends or it never answers.
mock_wait() {
  local pid=$1 log=$2
  # The banner names the URL once the port is bound; /__mock/health answers once it is ready.
  # (Bounded polls around those conditions: the caller's process gives no event to await.)
  MOCK_URL=""
  for _ in $(seq 1 100); do
    MOCK_URL=$(sed -n 's/.* listening on \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
    [ -n "$MOCK_URL" ] && break
    kill -0 "$pid" 2>/dev/null || { echo "$STAGE: refold-mock exited:" >&2; cat "$log" >&2; exit 1; }
    sleep 0.1
  done
  [ -n "$MOCK_URL" ] || { echo "$STAGE: refold-mock did not start:" >&2; cat "$log" >&2; exit 1; }
  for _ in $(seq 1 50); do
    curl -fsS "$MOCK_URL/__mock/health" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  echo "$STAGE: /__mock/health never answered" >&2
  exit 1
}

mock_stop() {
  kill "$MOCK_PID"
  local rc=0
  wait "$MOCK_PID" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "$STAGE: refold-mock exited with status $rc:" >&2
    cat "$MOCK_LOG" >&2
    return 1
  fi
}
