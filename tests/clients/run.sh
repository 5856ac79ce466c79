#!/usr/bin/env bash
# tests/clients/run.sh: replays the calls of Refold's own clients (one *.test.mjs per client, each
# request built as that client's source builds it) against the binary, twice: on a default mock
# and on a --strict one, since every call a client makes must pass the spec check Refold's API does.
# REFOLD_MOCK_BIN names the binary (default: build/refold-mock).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=clients
source "$here/../harness/mock.sh"
mock_bin >/dev/null
cd "$here"
shopt -s nullglob
files=(*.test.mjs)
[ ${#files[@]} -gt 0 ] || { echo "clients: no *.test.mjs" >&2; exit 1; }
status=0
for mode in default strict; do
  args=(--webhook-backoff-ms 50)
  [ "$mode" = strict ] && args+=(--strict)
  echo "--- clients against a $mode mock"
  mock_start "${args[@]}"
  REFOLD_MOCK_URL=$MOCK_URL REFOLD_MOCK_MODE=$mode \
    node --test --test-concurrency=1 "${files[@]}" || status=1
  mock_stop || status=1
  trap - EXIT
done
exit "$status"
