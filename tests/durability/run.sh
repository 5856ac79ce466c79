#!/usr/bin/env bash
# run.sh: durability of --db FILE. Eight clients write (create linked accounts, connect twilio,
# each connection queueing a webhook for a deliberately slow receiver); the mock is killed with
# SIGKILL in the middle. Then: the file passes PRAGMA integrity_check, and after a restart on the
# same file every write that got a 2xx is there and every webhook it queued is delivered (at
# least once: a delivery cut off mid-attempt goes again, as the webhook docs warn receivers).
# Uses the real binary (REFOLD_MOCK_BIN), curl, the sqlite3 CLI and a CivetWeb receiver.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
STAGE=durability
source "$here/../harness/mock.sh"
clients=${DURABILITY_CLIENTS:-8}
load_secs=${DURABILITY_SECONDS:-4}
for tool in curl sqlite3 cc; do
  command -v $tool >/dev/null || { echo "durability: $tool is not installed (bash scripts/deps.sh test)"; exit 1; }
done
bin=$(mock_bin) || exit 1

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() { echo "durability: FAIL: $*"; exit 1; }

cc -O2 -o "$tmp/receiver" "$here/receiver.c" $(pkg-config --cflags --libs civetweb 2>/dev/null || echo -lcivetweb) -lpthread \
  || fail "cannot build the receiver"

start_receiver() { # start_receiver DELAY_MS: on $rport (picked on first use), appending to hooks.txt
  for _ in $(seq 1 50); do
    rport=${rport:-$((20000 + RANDOM % 40000))}
    "$tmp/receiver" "$rport" "$tmp/hooks.txt" "$1" >"$tmp/receiver.out" 2>&1 &
    receiver_pid=$!
    sleep 0.2 # kept: a receiver whose random port is taken exits at once; one alive now has it
    kill -0 "$receiver_pid" 2>/dev/null && { pids+=("$receiver_pid"); return 0; }
    unset rport
  done
  fail "the receiver cannot find a free port"
}
start_mock() { # start_mock LOGNAME: sets url and mock_pid
  "$bin" --port 0 --db "$tmp/state.db" --webhook-backoff-ms 100 >"$tmp/$1" 2>&1 &
  mock_pid=$!
  pids+=("$mock_pid")
  mock_wait "$mock_pid" "$tmp/$1"
  url=$MOCK_URL
}
key=(-H "x-api-key: tk_acme_test" -H "Content-Type: application/json")

# ---- phase 1: load, then kill -9 ----
start_receiver 150
start_mock mock1.out
# libcurl is loaded on first use (mock/base/curl_lazy.c): a mock that has sent nothing has not mapped it
! grep -q libcurl "/proc/$mock_pid/maps" || fail "libcurl is mapped before any webhook was subscribed or sent"
[ "$(curl -s -o /dev/null -w '%{http_code}' "${key[@]}" -X POST "$url/api/v2/public/webhook" \
     -d "{\"webhook_url\":\"http://127.0.0.1:$rport/hooks\",\"webhook_events\":[\"Connection Created\"]}")" = 200 ] \
  || fail "cannot subscribe the receiver"

client() { # client K: writes until the mock dies; logs each write only once it got a 2xx
  local k=$1 i=0 code
  while :; do
    local id="dur_${k}_$i"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${key[@]}" -X POST "$url/api/v2/public/linked-account" \
           -d "{\"linked_account_id\":\"$id\",\"name\":\"Durable $k/$i\"}") || return 0
    [ "$code" = 200 ] && echo "la $id" >>"$tmp/acked.$k"
    code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${key[@]}" -H "linked_account_id: $id" -X PUT \
           "$url/api/v2/public/linked-account/integration/save-key-credentials/twilio" \
           -d '{"sid":"AC7f3c9e2d41b8a6f05e1d2c3b4a596870","number":"+15005550006"}') || return 0
    [ "$code" = 200 ] && echo "conn $id" >>"$tmp/acked.$k"
    i=$((i + 1))
  done
}
client_pids=()
for k in $(seq 1 "$clients"); do client "$k" & client_pids+=($!); done
sleep "$load_secs" # kept: the length of the write load, not a wait for something
kill -9 "$mock_pid"
wait "$mock_pid" 2>/dev/null
for p in "${client_pids[@]}"; do wait "$p" 2>/dev/null; done
kill "$receiver_pid"; wait "$receiver_pid" 2>/dev/null
cat "$tmp"/acked.* >"$tmp/acked" 2>/dev/null || true
n_la=$(grep -c '^la ' "$tmp/acked"); n_conn=$(grep -c '^conn ' "$tmp/acked")
before=$(wc -l <"$tmp/hooks.txt")
echo "durability: killed -9 after $n_la linked accounts and $n_conn connections acknowledged; $before webhooks had arrived"
[ "$n_conn" -gt 20 ] || fail "too little load to say anything ($n_conn connections)"

# ---- the file as the kill left it ----
check=$(sqlite3 "$tmp/state.db" "PRAGMA integrity_check;" 2>&1)
[ "$check" = ok ] || fail "PRAGMA integrity_check: $check"
echo "durability: PRAGMA integrity_check: ok"

# ---- phase 2: restart on the same file ----
start_receiver 0
start_mock mock2.out
# every acknowledged linked account is there
: >"$tmp/present"
for page in $(seq 1 1000); do
  body=$(curl -s "${key[@]}" "$url/api/v2/public/linked-account?page=$page&limit=1000")
  grep -o '"account_id":"[^"]*"' <<<"$body" | sed 's/.*:"//; s/"$//' >>"$tmp/present"
  grep -q '"hasNextPage":true' <<<"$body" || break
done
missing=$(grep '^la ' "$tmp/acked" | cut -d' ' -f2 | sort | comm -23 - <(sort -u "$tmp/present") | head -5)
[ -z "$missing" ] || fail "acknowledged linked accounts lost: $missing"
echo "durability: all $n_la acknowledged linked accounts are there"
# every acknowledged connection is there (one curl, kept-alive, for all of them)
mkdir -p "$tmp/conn"
grep '^conn ' "$tmp/acked" | cut -d' ' -f2 | while read -r id; do
  printf 'url = "%s/api/v2/public/application/twilio"\nheader = "x-api-key: tk_acme_test"\nheader = "linked_account_id: %s"\noutput = "%s/conn/%s"\nnext\n' \
    "$url" "$id" "$tmp" "$id"
done | sed '$d' >"$tmp/curl.cfg"   # ("next" separates entries: none after the last)
curl -s -K "$tmp/curl.cfg" || fail "reading the connections back failed"
lost=$(grep '^conn ' "$tmp/acked" | cut -d' ' -f2 | while read -r id; do
  grep -q '"connected":true' "$tmp/conn/$id" 2>/dev/null || echo "$id"; done | head -5)
[ -z "$lost" ] || fail "acknowledged connections lost: $lost"
echo "durability: all $n_conn acknowledged connections are there"
# every webhook those connections queued is delivered
for _ in $(seq 1 600); do
  pending=$(curl -s "${key[@]}" "$url/__mock/webhooks/deliveries?status=pending" | grep -o '"status":"pending"' | wc -l)
  [ "$pending" = 0 ] && break
  sleep 0.2 # a bounded poll (2 min) for a settled outbox after the restart
done
[ "$pending" = 0 ] || fail "$pending webhooks still pending two minutes after the restart"
undelivered=$(grep '^conn ' "$tmp/acked" | cut -d' ' -f2 | while read -r id; do
  grep -q "\"linked_account_id\":\"$id\"" "$tmp/hooks.txt" || echo "$id"; done | head -5)
[ -z "$undelivered" ] || fail "webhooks never delivered for: $undelivered"
after=$(wc -l <"$tmp/hooks.txt")
dups=$(grep -o '"linked_account_id":"[^"]*"' "$tmp/hooks.txt" | sort | uniq -d | wc -l)
echo "durability: every queued webhook delivered ($((after - before)) after the restart; $dups delivered twice, cut off mid-attempt by the kill)"

# ---- phase 3: kill -9 in the middle of a clock advance ----
# A per-minute schedule and a 3-day advance (4,320 runs) on a fresh file, killed once a few hundred
# runs are in: the file must hold a clock that agrees with the runs committed (none after it, the
# schedule armed after it), and the restart must finish the advance: every run exactly once.
kill -9 "$mock_pid"; wait "$mock_pid" 2>/dev/null
adv_start() { # adv_start LOGNAME
  "$bin" --port 0 --db "$tmp/advance.db" >"$tmp/$1" 2>&1 &
  mock_pid=$!
  pids+=("$mock_pid")
  mock_wait "$mock_pid" "$tmp/$1"
  url=$MOCK_URL
}
adv_start mock3.out
curl -sf "${key[@]}" -d '{"linked_account_id":"adv_user","name":"Advance"}' "$url/api/v2/public/linked-account" >/dev/null \
  || fail "cannot create the linked account of the advance"
sched=$(curl -sf "${key[@]}" -H "linked_account_id: adv_user" -H "slug: hubspot" -H "workflow_id_alias: 69ae87a592145348d38f4ef9" \
  -d '{"trigger_type":"cron","regex":"* * * * *","tz":"UTC"}' "$url/api/v1/workflow/public/scheduled" | sed -n 's/.*"_id":"\([^"]*\)".*/\1/p')
[ -n "$sched" ] || fail "cannot register the per-minute schedule"
now_ms() { curl -sf "${key[@]}" "$url/__mock/clock" | sed -n 's/.*"now_ms":\([0-9]*\).*/\1/p'; }
t0=$(now_ms)
curl -s -o /dev/null "${key[@]}" -d '{"seconds":259200}' "$url/__mock/clock/advance" &
adv_curl=$!
n=0
for _ in $(seq 1 300); do
  n=$(sqlite3 "file:$tmp/advance.db?mode=ro" "SELECT count(*) FROM docs WHERE kind='execution'" 2>/dev/null || echo 0)
  [ "${n:-0}" -ge 300 ] && break
  sleep 0.05 # a bounded poll on the file: the kill must land mid-advance, at 300 runs committed
done
kill -9 "$mock_pid"; wait "$mock_pid" 2>/dev/null; wait "$adv_curl" 2>/dev/null
[ "${n:-0}" -ge 300 ] || fail "the advance never got going ($n runs)"
# what the file says: the tenant's clock, its runs, its schedule
q() { sqlite3 "$tmp/advance.db" "$1"; }
tenant=$(q "SELECT tenant FROM docs WHERE kind='schedule' AND id='$sched'")
clock=$(q "SELECT (SELECT value FROM meta WHERE key='clock_base_ms') + coalesce((SELECT value FROM meta WHERE key='clock_offset_ms'), 0)
           + coalesce((SELECT value FROM meta WHERE key='clock_offset_ms:$tenant'), 0)")
runs=$(q "SELECT count(*) FROM docs WHERE kind='execution' AND tenant='$tenant'")
last=$(q "SELECT CAST(round((julianday(max(json_extract(body,'\$.createdAt'))) - 2440587.5) * 86400000) AS INTEGER) FROM docs WHERE kind='execution' AND tenant='$tenant'")
counted=$(q "SELECT json_extract(body,'\$.run_count') FROM docs WHERE kind='schedule' AND id='$sched'")
armed=$(q "SELECT due_ms FROM docs WHERE kind='schedule' AND id='$sched'")
echo "durability: killed -9 mid-advance: $runs runs committed, the clock at T0+$(( (clock - t0) / 1000 )) s, the schedule armed at T0+$(( (armed - t0) / 1000 )) s"
[ "$last" -le "$clock" ] || fail "runs committed up to $last but the clock left at $clock (T0 $t0): not one state"
[ "$armed" -gt "$clock" ] || fail "the schedule is armed at $armed, behind the clock at $clock"
[ "$counted" = "$runs" ] || fail "the schedule counted $counted runs, $runs are stored"
# the restart finishes the advance
adv_start mock4.out
[ "$(now_ms)" = $((t0 + 259200000)) ] || fail "after the restart the clock is at $(now_ms), not T0 + 3 days"
total=$(curl -sf "${key[@]}" -H "linked_account_id: adv_user" "$url/api/v2/public/execution?limit=1" | sed -n 's/.*"totalDocs":\([0-9]*\).*/\1/p')
[ "$total" = 4320 ] || fail "after the restart $total runs, not 4320 (one per minute of the 3 days)"
running=$(curl -sf "${key[@]}" -H "linked_account_id: adv_user" "$url/api/v2/public/execution?limit=1&status=RUNNING" | sed -n 's/.*"totalDocs":\([0-9]*\).*/\1/p')
[ "$running" -le 1 ] || fail "$running runs still RUNNING after the advance"
echo "durability: the restart finished the advance: 4320 runs, one per minute, the clock at T0 + 3 days"
kill "$mock_pid"; wait "$mock_pid" 2>/dev/null
echo "durability: ok"
