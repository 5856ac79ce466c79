#!/usr/bin/env bash
# tests/sdk/run.sh: installs the real @cobaltio/cobalt-js from npm (from the committed lock file),
# starts a refold-mock binary on a free port, runs sdk.test.js against it in Node, stops it.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${REFOLD_MOCK_BIN:-$here/../../build/refold-mock}
if [ ! -x "$bin" ]; then
  echo "sdk: no refold-mock binary at $bin (build it, or set REFOLD_MOCK_BIN)" >&2
  exit 1
fi
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

log=$(mktemp)
"$bin" --port 0 --webhook-backoff-ms 50 >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT
# Stops the mock and fails when it did not exit cleanly (a sanitizer report, a crash).
stop_mock() {
  kill "$pid"
  local rc=0
  wait "$pid" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "sdk: refold-mock exited with status $rc:" >&2
    cat "$log" >&2
    return 1
  fi
}

# The banner names the URL once the port is bound; /__mock/health answers once it is ready.
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/.* listening on \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "sdk: refold-mock exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "sdk: refold-mock did not start:" >&2; cat "$log" >&2; exit 1; }
node -e 'fetch(process.argv[1] + "/__mock/health").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url"

status=0
REFOLD_MOCK_URL=$url node --test --test-concurrency=1 sdk.test.js || status=$?
stop_mock || status=1
exit "$status"
