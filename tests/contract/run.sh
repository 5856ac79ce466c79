#!/usr/bin/env bash
# tests/contract/run.sh: the contract stage. Installs the test's npm packages from the committed
# lock file, starts a refold-mock binary on a free port, calls every operation of the OpenAPI
# spec (contract.mjs), validates each response against the spec, writes docs/coverage.md and
# checks that the README's coverage table says the same.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock); REFOLD_OPENAPI the spec
# (default: spec/refold-openapi.yaml, the copy of Refold's published spec kept in this repository
# so that a bare clone can run this stage).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
STAGE=contract
source "$here/../lib/mock.sh"
mock_bin >/dev/null
spec=${REFOLD_OPENAPI:-$repo/spec/refold-openapi.yaml}
[ -r "$spec" ] || { echo "contract: no OpenAPI spec at $spec (set REFOLD_OPENAPI)" >&2; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
mock_start --webhook-backoff-ms 50
mkdir -p "$repo/docs"
out=${REFOLD_COVERAGE_OUT:-$repo/docs/coverage.md}
status=0
REFOLD_MOCK_URL=$MOCK_URL REFOLD_OPENAPI=$spec REFOLD_COVERAGE_OUT=$out node contract.mjs || status=$?
mock_stop || status=1

# The README's table is this run's table: a served, passing operation cannot drift unnoticed.
table() { grep '^| ' "$1"; }
readme_table() { sed -n '/<!-- coverage:begin -->/,/<!-- coverage:end -->/p' "$repo/README.md" | grep '^| '; }
if ! diff <(table "$out") <(readme_table) >/dev/null; then
  echo "contract: README.md's coverage table differs from this run's (docs/coverage.md):" >&2
  diff <(table "$out") <(readme_table) >&2 || true
  status=1
fi
exit "$status"
