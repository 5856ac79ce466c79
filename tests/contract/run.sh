#!/usr/bin/env bash
# tests/contract/run.sh: the contract stage. Installs the test's npm packages from the committed
# lock file, starts a refold-mock binary on a free port, calls every operation of the OpenAPI
# spec (contract.mjs), validates each response against the spec, and checks that the coverage
# table in mock/api/README.md says what this run found. It writes nothing into the tree.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock); REFOLD_OPENAPI the spec
# (default: refold-openapi.yaml beside this script, an unmodified copy of Refold's published spec
# kept in the repository so that a bare clone can run this stage).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
STAGE=contract
source "$here/../harness/mock.sh"
mock_bin >/dev/null
spec=${REFOLD_OPENAPI:-$here/refold-openapi.yaml}
[ -r "$spec" ] || { echo "contract: no OpenAPI spec at $spec (set REFOLD_OPENAPI)" >&2; exit 1; }
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
mock_start --webhook-backoff-ms 50
status=0
REFOLD_MOCK_URL=$MOCK_URL REFOLD_OPENAPI=$spec REFOLD_COVERAGE_TABLE=$repo/mock/api/README.md node contract.mjs || status=$?
mock_stop || status=1
exit "$status"
