#!/usr/bin/env bash
# Portal benchmark (not a test): the directory page /mitglieder?q=... through the gateway against the bare API call
# for the same query (/api/members/organizations?q=...&pageSize=20, what the page asks), in the same run, at the
# demo data and at 100,000 organisations. Goal: the page adds at most 30 % to the API call, and stays under 50 ms p95.
#   bash tests/Benchmarks/Portal/run.sh          # SIZES=350,100000 SAMPLES=200 ROUNDS=3 QUERY=software
# It runs the whole platform with deploy/run.sh on a throwaway data folder, so it needs the platform's ports
# (5000, 5101-5105): stop your own platform first.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"

SIZES=${SIZES:-350,100000}
SAMPLES=${SAMPLES:-200}
ROUNDS=${ROUNDS:-3}
QUERY=${QUERY:-software}
GATEWAY=http://127.0.0.1:5000
# One client address asks everything here: this run's platform lifts the anonymous bucket (inherited by its processes).
export RateLimits__Anonymous__TokenLimit=1000000 RateLimits__Anonymous__TokensPerPeriod=1000000

# p50 and p95 in ms of the seconds on stdin, one per line.
percentiles() { sort -n | awk '{ v[NR] = $1 } END { i50 = int(NR * 0.50); i95 = int(NR * 0.95); if (i50 < 1) i50 = 1; if (i95 < 1) i95 = 1; printf "%.2f %.2f\n", v[i50] * 1000, v[i95] * 1000 }'; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
timed() { curl -sS -o /dev/null -w '%{time_total}\n' --max-time 30 "$1"; }

# The seed's events (a membership event per member, and what funding makes of them) are still on their way after
# start-up; measuring then measures them. Wait until the members' outbox is sent and the broker's queues are empty.
settle() { # data folder
  local until=$((SECONDS + ${SETTLE_TIMEOUT:-900})) unsent queued
  while [ "$SECONDS" -lt "$until" ]; do
    unsent=$(sqlite3 "$1/members.db" "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL" 2>/dev/null || echo "?")
    queued=$(rabbitmqctl -q list_queues messages 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { s += $1 } END { print s + 0 }' || echo "?")
    if [ "$unsent" = 0 ] && [ "$queued" = 0 ]; then
      return 0
    fi
    echo "[portal] waiting for the seed's events: $unsent unsent in members' outbox, $queued queued at the broker; load $(bench_load)" >&2
    sleep 15
  done
  echo "[portal] the seed's events did not settle within ${SETTLE_TIMEOUT:-900} s; measuring anyway" >&2
}

page="$GATEWAY/mitglieder?q=$QUERY"
api="$GATEWAY/api/members/organizations?q=$QUERY&page=1&pageSize=20"
table=()
for size in ${SIZES//,/ }; do
  data=$(mktemp -d /tmp/emsachse-portal-bench-XXXXXX)
  echo "[portal] $size organisations: starting the platform with deploy/run.sh (data $data); load $(bench_load)" >&2
  if ! EMSACHSE_DATA=$data EMSACHSE_DEMO_ORGANIZATIONS=$size bash "$REPO/deploy/run.sh" start >"$data/run.log" 2>&1; then
    tail -n 30 "$data/run.log" >&2
    EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" stop >/dev/null 2>&1 || true
    exit 1
  fi
  settle "$data"
  for url in "$page" "$api"; do
    code=$(curl -sS -o /dev/null -w '%{http_code}' "$url")
    [ "$code" = 200 ] || { echo "[portal] $url answered $code" >&2; EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" stop >/dev/null 2>&1; exit 1; }
  done
  for _ in $(seq 1 30); do timed "$page" >/dev/null; timed "$api" >/dev/null; done
  : >"$data/p50s.page"; : >"$data/p95s.page"; : >"$data/p50s.api"; : >"$data/p95s.api"
  for round in $(seq 1 "$ROUNDS"); do
    : >"$data/page.txt"; : >"$data/api.txt"
    # Alternating, so that drift of the machine does not favour one side.
    for _ in $(seq 1 "$SAMPLES"); do timed "$page" >>"$data/page.txt"; timed "$api" >>"$data/api.txt"; done
    read -r p50 p95 < <(percentiles <"$data/page.txt")
    read -r a50 a95 < <(percentiles <"$data/api.txt")
    echo "$p50" >>"$data/p50s.page"; echo "$p95" >>"$data/p95s.page"; echo "$a50" >>"$data/p50s.api"; echo "$a95" >>"$data/p95s.api"
    echo "[portal] $size round $round: page p50 $p50 p95 $p95 ms, api p50 $a50 p95 $a95 ms; load $(bench_load)" >&2
  done
  p50=$(median <"$data/p50s.page"); p95=$(median <"$data/p95s.page"); a50=$(median <"$data/p50s.api"); a95=$(median <"$data/p95s.api")
  added=$(awk -v p="$p50" -v a="$a50" 'BEGIN { printf "%.0f", (p / a - 1) * 100 }')
  met=$(awk -v p="$p50" -v a="$a50" -v p95="$p95" 'BEGIN { print (p <= a * 1.3 && p95 < 50) ? "met" : "NOT met" }')
  table+=("$(printf '  %-8s %9s %9s %9s %9s %10s  %s' "$size" "$p50" "$p95" "$a50" "$a95" "+$added %" "$met")")
  bench_row portal "$size orgs /mitglieder?q=$QUERY p50" "$p50" ms "$a50" "$(awk -v p="$p50" -v a="$a50" 'BEGIN { printf "%.2f", p / a }')" "page <= 1.3 x api, p95 < 50 ms" "$([ "$met" = met ] && echo yes || echo no)"
  bench_row portal "$size orgs /mitglieder?q=$QUERY p95" "$p95" ms "$a95" "$(awk -v p="$p95" -v a="$a95" 'BEGIN { printf "%.2f", p / a }')" - -
  EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" stop >/dev/null 2>&1 || true
  rm -rf "$data"
done
echo "Portal benchmark: /mitglieder?q=$QUERY through the gateway against $api, $SAMPLES calls each per round, median of $ROUNDS rounds (curl time_total, ms), $(nproc) cores, load $(bench_load)"
printf '  %-8s %9s %9s %9s %9s %10s  %s\n' orgs "page p50" "page p95" "api p50" "api p95" "page adds" "goal +30 %, p95 < 50 ms"
printf '%s\n' "${table[@]}"
