#!/usr/bin/env bash
# tests/docs/run.sh: the docs stage. Starts a refold-mock binary on a free port and replays every
# request example of Refold's API-reference pages (tests/docs/pages) against it (docs.mjs),
# comparing status and shape with the page's response examples; mismatches not listed in
# deviations.json fail the stage. REFOLD_MOCK_BIN names the binary (default: build/refold-mock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=docs
source "$here/../harness/mock.sh"
mock_start --webhook-backoff-ms 50
status=0
REFOLD_MOCK_URL=$MOCK_URL REFOLD_MOCK_BIN=$(mock_bin) node "$here/docs.mjs" || status=$?
mock_stop || status=1

# The deviations table of mock/api/README.md (Fidelity) is deviations.json, row for row.
repo=$(cd "$here/../.." && pwd)
want=$(node -e 'for (const d of require(process.argv[1]).deviations) console.log(`| ${d.example} | ${d.why.replaceAll("|", "\\|")} |`)' "$here/deviations.json")
have=$(sed -n '/<!-- deviations:begin -->/,/<!-- deviations:end -->/p' "$repo/mock/api/README.md" | grep '^| ' | tail -n +2)
if [ "$want" != "$have" ]; then
  echo "docs: mock/api/README.md's deviations table differs from tests/docs/deviations.json:" >&2
  diff <(echo "$want") <(echo "$have") >&2 || true
  status=1
fi
exit "$status"
