#!/usr/bin/env bash
# tests/browser/run.sh: installs playwright-core and @cobaltio/cobalt-js from npm (from the committed
# lock file; no browser download: Debian's /usr/bin/chromium is driven), starts a refold-mock binary
# on a free port, runs browser.test.js against it, stops it. Screenshots: tests/out/browser/*.png.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock); CHROMIUM another browser binary.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=browser
source "$here/../harness/mock.sh"
mock_bin >/dev/null
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  bash "$here/../../scripts/deps.sh" test
fi
cd "$here"
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
mock_start
status=0
REFOLD_MOCK_URL=$MOCK_URL node --test --test-concurrency=1 browser.test.js || status=$?
mock_stop || status=1
echo "browser: screenshots in $(cd "$here/../out/browser" 2>/dev/null && pwd || echo tests/out/browser)"
exit "$status"
