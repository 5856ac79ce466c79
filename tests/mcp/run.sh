#!/usr/bin/env bash
# tests/mcp/run.sh: installs the official MCP SDK and the MCP Inspector from npm (from the committed
# lock file), starts a refold-mock binary on a free port, runs mcp.test.js against it in Node
# (SDK client over Streamable HTTP, and the Inspector CLI as Refold's docs run it), stops it by pid.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=mcp
source "$here/../harness/mock.sh"
mock_bin >/dev/null
cd "$here"
npm ci --no-audit --no-fund --loglevel=error
mock_start
status=0
REFOLD_MOCK_URL=$MOCK_URL node --test --test-concurrency=1 mcp.test.js || status=$?
mock_stop || status=1
exit "$status"
