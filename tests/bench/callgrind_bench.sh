#!/usr/bin/env bash
# callgrind_bench.sh: instructions per request, server side, for bare CivetWeb and refold-mock on
# the single-app read and POST session-token (the same bytes answered by both). Unlike req/s the
# count does not move with the machine's load. Needs valgrind.
#   bash tests/bench/callgrind_bench.sh [BUILD_DIR (default build-prof, RelWithDebInfo)] [REQUESTS (default 2000)]
# Leaves the callgrind files in its temporary directory (printed) for callgrind_annotate.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$root/build-prof}
n=${2:-2000}
[ -x "$build/refold-mock" ] || { cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBUILD_TESTING=ON >/dev/null; cmake --build "$build" -j2 >/dev/null; }
tmp=$(mktemp -d); echo "callgrind files in $tmp" >&2
mkdir -p "$tmp/fixtures"; cp "$root/tests/bench/orgs.json" "$tmp/fixtures/"; ln -s "$root/fixtures/apps" "$tmp/fixtures/apps"
key=(-H "x-api-key: tk_acme_test" -H "linked_account_id: bench_user")
tok_body='{"linked_account_id":"bench_user"}'
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; true' EXIT
count() { # count NAME URL [curl args...]: N requests on one keep-alive connection, prints Ir/request
  local name=$1 url=$2; shift 2
  for _ in $(seq 1 "$n"); do printf 'url = "%s"\noutput = /dev/null\n' "$url"; done >"$tmp/$name.cfg"
  callgrind_control -z "$pid" >/dev/null
  local codes; codes=$(curl -s "$@" -K "$tmp/$name.cfg" -w '%{http_code}\n' | sort -u | tr '\n' ' ')
  callgrind_control -d "$name" "$pid" >/dev/null
  sleep 0.5
  local f; f=$(grep -l "^desc: Trigger: dump $name\$" "$tmp"/cg.* | head -1)
  echo "$name: $(( $(awk '/^summary:/ {print $2}' "$f") / n )) instructions per request (status $codes)"
}
vg=(valgrind --tool=callgrind --callgrind-out-file="$tmp/cg.%p")
"${vg[@]}" "$build/refold-mock" --port 0 --quiet --port-file "$tmp/port" --fixtures "$tmp/fixtures" >"$tmp/mock.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do [ -s "$tmp/port" ] && break; sleep 0.05; done
murl=http://127.0.0.1:$(cat "$tmp/port")
for _ in 1 2 3; do  # warm-up; the first session-token call mints the token the others reuse
  curl -sf "${key[@]}" "$murl/api/v2/public/application/hubspot" >"$tmp/app.json"
  curl -sf "${key[@]}" -H "content-type: application/json" -d "$tok_body" "$murl/api/v2/public/session-token" >"$tmp/token.json"
done
count mock_app "$murl/api/v2/public/application/hubspot" "${key[@]}"
count mock_tok "$murl/api/v2/public/session-token" "${key[@]}" -H "content-type: application/json" -d "$tok_body"
kill "$pid"; wait "$pid" 2>/dev/null || true
"${vg[@]}" "$build/tests/bench/bench_bare_civetweb" 0 "$tmp/app.json" "$tmp/app.json" "$tmp/token.json" >"$tmp/bare.out" 2>&1 &
pid=$!
for _ in $(seq 1 600); do grep -q listening "$tmp/bare.out" && break; sleep 0.05; done
burl=$(grep -o 'http://127.0.0.1:[0-9]*' "$tmp/bare.out")
for _ in 1 2 3; do curl -sf "${key[@]}" "$burl/app" >/dev/null; curl -sf "${key[@]}" -d "$tok_body" "$burl/token" >/dev/null; done
count bare_app "$burl/app" "${key[@]}"  # the same request headers as the mock gets
count bare_tok "$burl/token" "${key[@]}" -H "content-type: application/json" -d "$tok_body"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
