#!/usr/bin/env bash
# tests/readme/run.sh: the readme stage. Every fenced block of every README marked runnable
# (<!-- readme-test: KIND -->) runs as written against a refold-mock started on a free port, its
# shown output compared (readme.mjs); the banner's hints run as printed; then the self-test shows
# the stage fails on a broken copy (selftest.mjs). REFOLD_MOCK_BIN names the binary (default
# build/refold-mock), REFOLD_BUILD_DIR the build the C snippet is installed from (default build).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=readme
source "$here/../harness/mock.sh"
export REFOLD_MOCK_BIN=$(mock_bin)
/usr/bin/python3 -c 'import pytest, requests' 2>/dev/null || { echo "readme: needs python3-pytest and python3-requests (bash scripts/deps.sh test)" >&2; exit 1; }
(cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
mock_start --webhook-backoff-ms 50
status=0
REFOLD_MOCK_URL=$MOCK_URL node "$here/readme.mjs" || status=$?
REFOLD_MOCK_URL=$MOCK_URL node "$here/selftest.mjs" || status=$?
mock_stop || status=1
exit "$status"
