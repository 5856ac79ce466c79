#!/usr/bin/env bash
# tests/contract/run.sh: the contract stage. Installs the test's npm packages from the committed
# lock file, starts a refold-mock binary on a free port, calls every operation of the OpenAPI
# spec (contract.mjs), validates each response against the spec, and writes docs/coverage.md.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock); REFOLD_OPENAPI the spec
# (default: ../shared/reference/refold-openapi.yaml beside the repository).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
bin=${REFOLD_MOCK_BIN:-$repo/build/refold-mock}
spec=${REFOLD_OPENAPI:-$repo/../shared/reference/refold-openapi.yaml}
[ -x "$bin" ] || { echo "contract: no refold-mock binary at $bin (build it, or set REFOLD_MOCK_BIN)" >&2; exit 1; }
[ -r "$spec" ] || { echo "contract: no OpenAPI spec at $spec (set REFOLD_OPENAPI)" >&2; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error

log=$(mktemp)
"$bin" --port 0 --webhook-backoff-ms 50 >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -f "$log"; }
trap cleanup EXIT

# The banner names the URL once the port is bound; /__mock/health answers once it is ready.
url=""
for _ in $(seq 1 100); do
  url=$(sed -n 's/.* listening on \(http[^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$url" ] && break
  kill -0 "$pid" 2>/dev/null || { echo "contract: refold-mock exited:" >&2; cat "$log" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { echo "contract: refold-mock did not start:" >&2; cat "$log" >&2; exit 1; }
for _ in $(seq 1 50); do
  node -e 'fetch(process.argv[1] + "/__mock/health").then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" && break
  sleep 0.1
done

mkdir -p "$repo/docs"
REFOLD_MOCK_URL=$url REFOLD_OPENAPI=$spec REFOLD_COVERAGE_OUT=${REFOLD_COVERAGE_OUT:-$repo/docs/coverage.md} node contract.mjs
