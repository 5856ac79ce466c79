#!/usr/bin/env bash
# run_bench.sh: builds in Release and measures refold-mock against a bare CivetWeb server with the
# same options and the same response bytes: req/s and p99 on the read routes, start-up time to
# the first 200, idle RSS, a mixed read/write load and RSS after it, plus any other bench program
# in tests/bench (the webhook delivery benchmark). Prints a markdown report and writes it to
# tests/out/bench.md. Not part of the test suite: timings are reported, never asserted.
#
# Also: MCP tools/call of a direct-mode action against the same action through REST; the other
# bench programs include history_bench (list routes and the key lookup against a long history)
# and tenants_bench (256 workers running the connect loop at once against a serial run).
# Mock / bare ratios are the median of BENCH_REPEAT paired rounds (each round runs bare, then the
# mock, on the same route), so drift in a shared machine's load hits both sides of a ratio alike.
# Environment: BENCH_SECONDS (per run, default 5), BENCH_REPEAT (rounds, default 3),
# BENCH_CONNECTIONS (default 16), BENCH_MIXED_SECONDS (default 10),
# REFOLD_BENCH_BUILD (build dir, default build-bench).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${REFOLD_BENCH_BUILD:-$root/build-bench}
secs=${BENCH_SECONDS:-5}
repeat=${BENCH_REPEAT:-3}
conns=${BENCH_CONNECTIONS:-16}
mixed_secs=${BENCH_MIXED_SECONDS:-10}
out_md=$root/tests/out/bench.md

echo "bench: building Release in $build" >&2
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBUILD_TESTING=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
mock=$build/refold-mock
bare=$build/tests/bench/bench_bare_civetweb
lg=$build/tests/bench/bench_loadgen

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT

# The bench fixtures: the shipped app catalogue, and Acme seeded with a linked account that has
# hubspot and slack connected, so the read routes render connection state like a real tenant's.
mkdir -p "$tmp/fixtures"
cp "$root/tests/bench/orgs.json" "$tmp/fixtures/orgs.json"
ln -s "$root/fixtures/apps" "$tmp/fixtures/apps"

wait_url() { # wait_url FILE -> prints the base URL the server announced
  for _ in $(seq 1 500); do
    if url=$(grep -o 'http://127.0.0.1:[0-9]*' "$1" 2>/dev/null | head -1) && [ -n "$url" ]; then
      echo "$url"; return 0
    fi
    sleep 0.01
  done
  echo "bench: no server announced itself in $1" >&2; cat "$1" >&2; return 1
}
field() { # field NAME LINE -> value of NAME=value
  tr ' ' '\n' <<<"$2" | sed -n "s/^$1=//p" | head -1
}
rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }

# --quiet: the per-request log line would otherwise be measured too; --port-file names the port
"$mock" --port 0 --quiet --port-file "$tmp/mock.port" --fixtures "$tmp/fixtures" >"$tmp/mock.out" 2>&1 &
mock_pid=$!; pids+=("$mock_pid")
for _ in $(seq 1 500); do [ -s "$tmp/mock.port" ] && break; sleep 0.01; done
[ -s "$tmp/mock.port" ] || { echo "bench: the mock wrote no port file" >&2; cat "$tmp/mock.out" >&2; exit 1; }
mock_url="http://127.0.0.1:$(cat "$tmp/mock.port")"
key=(-H "x-api-key: tk_acme_test" -H "linked_account_id: bench_user")
curl -sf "${key[@]}" "$mock_url/api/v2/public/application/hubspot" >"$tmp/app.json"
curl -sf "${key[@]}" "$mock_url/api/v2/public/application" >"$tmp/list.json"
# session-token: after the first call the mock reuses the token still valid, so each request of
# the run answers the same bytes, which the bare server sends too
tok_body='{"linked_account_id":"bench_user"}'
curl -sf "${key[@]}" -H "content-type: application/json" -d "$tok_body" "$mock_url/api/v2/public/session-token" >"$tmp/token.json"
echo "POST /api/v2/public/session-token $tok_body" >"$tmp/mock_tok.txt"
echo "POST /token $tok_body" >"$tmp/bare_tok.txt"
grep -q '"connected":true' "$tmp/app.json" || echo "bench: warning: hubspot is not shown connected" >&2

"$bare" 0 "$tmp/app.json" "$tmp/list.json" "$tmp/token.json" >"$tmp/bare.out" 2>&1 &
bare_pid=$!; pids+=("$bare_pid")
bare_url=$(wait_url "$tmp/bare.out")

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
tick_us=$((1000000 / $(getconf CLK_TCK)))
# best-of-N, alternating the two servers so drift in the machine hits both alike. Besides req/s,
# the server's own CPU time per request (user + system, from /proc): unlike req/s it hardly
# depends on what else the machine runs.
declare -A best_rps best_p99 best_cpu last_rps rounds
measure() { # measure NAME PID URL [loadgen args...]
  local name=$1 pid=$2 url=$3; shift 3
  local line t0 t1
  t0=$(cpu_ticks "$pid")
  line=$("$lg" -c "$conns" -d "$secs" -w 0 "$@" "$url" 2>/dev/null | grep '^rps=')
  t1=$(cpu_ticks "$pid")
  local rps p99 cpu
  rps=$(field rps "$line"); p99=$(field p99_us "$line"); last_rps[$name]=$rps
  cpu=$(awk -v t=$((t1 - t0)) -v us="$tick_us" -v n="$(field requests "$line")" 'BEGIN { printf "%.1f", n ? t * us / n : 0 }')
  echo "bench: $name: $line cpu_us_per_req=$cpu" >&2
  if [ -z "${best_cpu[$name]:-}" ] || awk -v a="$cpu" -v b="${best_cpu[$name]}" 'BEGIN { exit !(a < b) }'; then
    best_cpu[$name]=$cpu
  fi
  if [ "$(field s2xx "$line")" != "$(field requests "$line")" ]; then
    echo "bench: $name answered non-2xx: $line" >&2; return 1
  fi
  if awk -v a="$rps" -v b="${best_rps[$name]:-0}" 'BEGIN { exit !(a > b) }'; then
    best_rps[$name]=$rps; best_p99[$name]=$p99
  fi
}
# (one warm-up pass each, not measured)
"$lg" -c "$conns" -d 1 -w 0 "$bare_url/app" >/dev/null 2>&1
"$lg" -c "$conns" -d 1 -w 0 "${key[@]}" "$mock_url/api/v2/public/application/hubspot" >/dev/null 2>&1
pair() { # pair NAME: this round's mock / bare ratio, kept for the median
  rounds[$1]+="$(ratio "${last_rps[mock_$1]}" "${last_rps[bare_$1]}") "
}
median() { tr ' ' '\n' <<<"${rounds[$1]}" | grep . | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for _ in $(seq 1 "$repeat"); do
  measure bare_app "$bare_pid" "$bare_url/app" "${key[@]}" # (the same request headers: CivetWeb parses them)
  measure mock_app "$mock_pid" "$mock_url/api/v2/public/application/hubspot" "${key[@]}"
  pair app
  measure bare_list "$bare_pid" "$bare_url/list" "${key[@]}"
  measure mock_list "$mock_pid" "$mock_url/api/v2/public/application" "${key[@]}"
  pair list
  measure bare_tok "$bare_pid" "$bare_url/" -s "$tmp/bare_tok.txt" "${key[@]}"
  measure mock_tok "$mock_pid" "$mock_url/" -s "$tmp/mock_tok.txt" "${key[@]}"
  pair tok
done
rss_after_reads=$(rss_kb "$mock_pid")

# MCP: tools/call of a direct-mode action against the same action through its REST route, same
# mock, same run, alternated. Both read one HubSpot contact created first.
echo "bench: MCP tools/call against REST execute" >&2
J=(-H "content-type: application/json")
contact=$(curl -sf "${key[@]}" "${J[@]}" -d '{"email":"bench@example.com"}' \
  "$mock_url/api/v2/integration-schema/hubspot/actions/create_contact/execute" | sed -n 's/.*"data":{"id":"\([0-9a-f]*\)".*/\1/p')
server=$(curl -sf "${key[@]}" "${J[@]}" -d '{"name":"Bench","description":"bench"}' "$mock_url/api/v2/public/mcp-servers" | sed -n 's/.*"_id":"\([0-9a-f]*\)".*/\1/p')
curl -sf -X PUT "${key[@]}" "${J[@]}" -d '{"associated_apps":[{"slug":"hubspot","actions":["get_contact"]}]}' \
  "$mock_url/api/v2/public/mcp-servers/$server" >/dev/null
pat=$(curl -sf -X POST "${key[@]}" "$mock_url/__mock/linked-accounts/bench_user/personal-access-token" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p')
echo "POST /api/v2/integration-schema/hubspot/actions/get_contact/execute {\"contact_id\":\"$contact\"}" >"$tmp/rest.txt"
echo "POST /mcp/v1/$pat/$server {\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":\"hubspot_get_contact_action\",\"arguments\":{\"input_payload\":{\"contact_id\":\"$contact\"}}}}" >"$tmp/mcp.txt"
grep -q '"isError":false' <(curl -sf "${J[@]}" -d "$(cut -d' ' -f3- "$tmp/mcp.txt")" "$mock_url/mcp/v1/$pat/$server") ||
  echo "bench: warning: the MCP tool call does not succeed" >&2
for _ in $(seq 1 "$repeat"); do
  measure rest_action "$mock_pid" "$mock_url/" -s "$tmp/rest.txt" "${key[@]}"
  measure mcp_action "$mock_pid" "$mock_url/" -s "$tmp/mcp.txt"
done

echo "bench: mixed read/write load, $conns clients, $mixed_secs s" >&2
mixed=$("$lg" -c "$conns" -d "$mixed_secs" -w 0 -s "$root/tests/bench/mixed.txt" -p "mix$$" \
        -H "x-api-key: tk_acme_test" -H "linked_account_id: {id}" "$mock_url/" 2>/dev/null || true)
mixed_line=$(grep '^rps=' <<<"$mixed")
echo "bench: mixed: $mixed_line" >&2
rss_after_mixed=$(rss_kb "$mock_pid")

kill "$mock_pid" "$bare_pid"; wait "$mock_pid" "$bare_pid" 2>/dev/null || true; pids=()

echo "bench: start-up and idle RSS (median of 10 starts)" >&2
su_mock=$("$lg" --startup -n 10 /__mock/health -- "$mock" --port '{port}' --quiet | grep '^startup_ms=')
su_bare=$("$lg" --startup -n 10 /__mock/health -- "$bare" '{port}' "$tmp/app.json" "$tmp/list.json" | grep '^startup_ms=')

# Other bench programs (e.g. bench_webhooks_bench from the webhook work): run as they are.
extra=""
for prog in "$build"/tests/bench/bench_*; do
  case $(basename "$prog") in bench_loadgen|bench_bare_civetweb) continue ;; esac
  [ -x "$prog" ] || continue
  echo "bench: running $(basename "$prog")" >&2
  res=$(REFOLD_MOCK_BIN="$mock" timeout 600 "$prog" 2>&1) || res="$res
(exit status $?)"
  extra+=$'\n'"### $(basename "$prog")"$'\n\n```\n'"$res"$'\n```\n'
done

cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
civet=$(dpkg-query -W -f='${Version}' libcivetweb1 2>/dev/null || echo "?")
mark() { awk -v v="$1" -v g="$2" -v op="$3" 'BEGIN { ok = (op == ">=") ? v >= g : (op == "<=") ? v <= g : v < g; print ok ? "yes" : "**no**" }'; }
r_app=$(median app)
r_list=$(median list)
r_tok=$(median tok)
su_ms=$(field startup_ms "$su_mock"); idle=$(field idle_rss_kb "$su_mock")

report=$(cat <<EOF
## Benchmark: refold-mock against bare CivetWeb

$(date -u +%Y-%m-%d), $(nproc) cores ($cpu), CivetWeb $civet, Release build, load average
$(cut -d' ' -f1 /proc/loadavg) at the end. Load: $conns keep-alive connections, $repeat paired rounds of $secs s
(bare, then mock); ratios are the median of the rounds' ratios, req/s and p99 the best run;
the load generator runs on the same machine. The bare server answers
the mock's own response bytes with the same CivetWeb options and, like the mock, one write per
response, so the ratio is the cost of the mock's own work. Server CPU per request is user +
system time of the server process divided by the requests it answered.

| measurement | bare CivetWeb | refold-mock | ratio (mock / bare) | goal | met |
|---|---:|---:|---:|---|---|
| \`GET /api/v2/public/application/hubspot\` (linked account, connected), req/s | ${best_rps[bare_app]} | ${best_rps[mock_app]} | $r_app (rounds: ${rounds[app]}) | ≥ 0.85 | $(mark "$r_app" 0.85 ">=") |
| same, p99 latency | ${best_p99[bare_app]} µs | ${best_p99[mock_app]} µs | $(ratio "${best_p99[mock_app]}" "${best_p99[bare_app]}") | | |
| same, server CPU per request | ${best_cpu[bare_app]} µs | ${best_cpu[mock_app]} µs | $(ratio "${best_cpu[mock_app]}" "${best_cpu[bare_app]}") | | |
| MCP \`tools/call\` hubspot_get_contact_action (PAT, direct mode) against REST \`POST .../get_contact/execute\`, req/s | ${best_rps[rest_action]} (REST) | ${best_rps[mcp_action]} (MCP) | $(ratio "${best_rps[mcp_action]}" "${best_rps[rest_action]}") | ≥ 0.8 | $(mark "$(ratio "${best_rps[mcp_action]}" "${best_rps[rest_action]}")" 0.8 ">=") |
| same, p99 latency | ${best_p99[rest_action]} µs | ${best_p99[mcp_action]} µs | $(ratio "${best_p99[mcp_action]}" "${best_p99[rest_action]}") | | |
| \`POST /api/v2/public/session-token\` (a token still valid, reused), req/s | ${best_rps[bare_tok]} | ${best_rps[mock_tok]} | $r_tok (rounds: ${rounds[tok]}) | ≥ 0.6 | $(mark "$r_tok" 0.6 ">=") |
| same, p99 latency | ${best_p99[bare_tok]} µs | ${best_p99[mock_tok]} µs | $(ratio "${best_p99[mock_tok]}" "${best_p99[bare_tok]}") | | |
| same, server CPU per request | ${best_cpu[bare_tok]} µs | ${best_cpu[mock_tok]} µs | $(ratio "${best_cpu[mock_tok]}" "${best_cpu[bare_tok]}") | | |
| \`GET /api/v2/public/application\` ($(wc -c <"$tmp/list.json") bytes), req/s | ${best_rps[bare_list]} | ${best_rps[mock_list]} | $r_list (rounds: ${rounds[list]}) | ≥ 0.8 | $(mark "$r_list" 0.8 ">=") |
| same, p99 latency | ${best_p99[bare_list]} µs | ${best_p99[mock_list]} µs | $(ratio "${best_p99[mock_list]}" "${best_p99[bare_list]}") | | |
| same, server CPU per request | ${best_cpu[bare_list]} µs | ${best_cpu[mock_list]} µs | $(ratio "${best_cpu[mock_list]}" "${best_cpu[bare_list]}") | | |
| start-up to first 200 from \`/__mock/health\` (median of 10) | $(field startup_ms "$su_bare") ms | $su_ms ms | | ≤ 30 ms (issue 21) | $(mark "$su_ms" 30 "<=") |
| idle RSS | $(mb "$(field idle_rss_kb "$su_bare")") | $(mb "$idle") | | ≤ 16 MB (issue 21) | $(mark "$idle" 16384 "<=") |
| RSS after the read runs | | $(mb "$rss_after_reads") | | | |
| mixed read/write load, $conns clients, $mixed_secs s, req/s | | $(field rps "$mixed_line") | | | |
| same, p99 latency | | $(field p99_us "$mixed_line") µs | | | |
| same, responses 2xx / 4xx / 5xx | | $(field s2xx "$mixed_line") / $(field s4xx "$mixed_line") / $(field s5xx "$mixed_line") | | 0 5xx | $( [ "$(field s5xx "$mixed_line")" = 0 ] && echo yes || echo "**no**") |
| RSS after the mixed load | | $(mb "$rss_after_mixed") | | | |

Mixed load, per request of a pass (tests/bench/mixed.txt):

| # | request | 2xx | 4xx | 5xx |
|---|---|---:|---:|---:|
$(grep '^line=' <<<"$mixed" | while read -r l; do
  echo "| $(field line "$l") | \`$(field method "$l") $(field path "$l")\` | $(field s2xx "$l") | $(field s4xx "$l") | $(field s5xx "$l") |"
done)
$extra
EOF
)
mkdir -p "$(dirname "$out_md")"
printf '%s\n' "$report" | tee "$out_md"
