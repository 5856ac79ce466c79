#!/usr/bin/env bash
# tests/sdk/run.sh: installs the real @cobaltio/cobalt-js from npm (from the committed lock file),
# starts a refold-mock binary on a free port, runs sdk.test.js against it in Node, stops it.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=sdk
source "$here/../harness/mock.sh"
mock_bin >/dev/null
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
mock_start --webhook-backoff-ms 50
status=0
REFOLD_MOCK_URL=$MOCK_URL node --test --test-concurrency=1 sdk.test.js || status=$?
mock_stop || status=1
exit "$status"
