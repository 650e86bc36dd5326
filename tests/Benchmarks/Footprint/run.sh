#!/usr/bin/env bash
# Footprint benchmark (not a test): per process of the platform, cold start (process start to its /health/ready 200)
# and resident memory (VmRSS) idle and after REQUESTS (10,000) requests to a typical endpoint of that process.
# Goal: ready <= 10 s and <= 120 MB per process. Measures only; it tunes nothing.
#   bash tests/Benchmarks/Footprint/run.sh      # REQUESTS=10000 PARALLEL=8 IDLE=10
# It runs the whole platform with deploy/run.sh on a throwaway data folder, so it needs the platform's ports
# (5000, 5101-5105, 5111-5113, 5672): stop your own platform first. Cold start is measured on a restart of each
# process (`deploy/run.sh restart NAME`, as built, database migrated and seeded, files in the page cache), timed from
# the new process's start in /proc, not from the script.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
data=$(mktemp -d /tmp/emsachse-footprint-XXXXXX)
# The pid files and addresses as deploy/run.sh keeps them for this data folder.
DATA_DIR=$data PID_DIR=$data/pids STATE_DIR=$data/state
# shellcheck source=../../../deploy/lib/common.sh
. "$REPO/deploy/lib/common.sh"
# shellcheck source=../../../deploy/lib/secrets.sh
. "$REPO/deploy/lib/secrets.sh"
# shellcheck source=../../../deploy/lib/apps.sh
. "$REPO/deploy/lib/apps.sh"

REQUESTS=${REQUESTS:-10000}
PARALLEL=${PARALLEL:-8}
IDLE=${IDLE:-10}
# One client address asks everything here: this run's platform lifts the gateway's anonymous bucket.
export RateLimits__Anonymous__TokenLimit=1000000000 RateLimits__Anonymous__TokensPerPeriod=1000000000

run() { EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" "$@"; }
trap 'run stop >/dev/null 2>&1 || true' EXIT

echo "[footprint] starting the platform with deploy/run.sh (data $data); load $(bench_load)" >&2
if ! run start >"$data/run.log" 2>&1; then
  tail -n 30 "$data/run.log" >&2
  exit 1
fi
admin=$(run token admin)

# A typical request of each process, on its own port (the gateway's through it).
endpoint() {
  case "$1" in
    identity) echo "/identity/.well-known/openid-configuration" ;;
    networks) echo "/api/networks" ;;
    members)  echo "/api/members/organizations?pageSize=20" ;;
    funding)  echo "/api/funding/commitments" ;;
    portal)   echo "/" ;;
    gateway)  echo "/api/networks" ;;
  esac
}

rss_mb() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
# RSS counts every mapped page of the shared framework files in full in each process; PSS shares them out among the
# processes that map them, and the private part (USS) is what this process alone holds.
pss_mb() { awk '/^Pss:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/smaps_rollup"; }
private_mb() { awk '/^Private_(Clean|Dirty):/ { s += $2 } END { printf "%.1f", s / 1024 }' "/proc/$1/smaps_rollup"; }

# Seconds from the process's start (field 22 of /proc/PID/stat, in clock ticks since boot) to now.
since_start() {
  awk -v hz="$(getconf CLK_TCK)" -v up="$(cut -d' ' -f1 /proc/uptime)" '{ sub(/^.*\) /, ""); printf "%.2f", up - $20 / hz }' "/proc/$1/stat"
}

table=()
for name in "${APPS[@]}"; do
  old=$(app_pid "$name")
  run restart "$name" >"$data/restart-$name.log" 2>&1 &
  restarter=$!
  # The new process: a pid in the pid file that is not the old one. Read only: app_pid would remove a pid file it
  # finds empty, which it is for a moment while the new process writes it.
  pid=""
  while :; do
    pid=$(read_pid "$(app_pidfile "$name")")
    [ -z "$pid" ] || [ "$pid" = "$old" ] || break
    kill -0 "$restarter" 2>/dev/null || { cat "$data/restart-$name.log" >&2; exit 1; }
    sleep 0.02
  done
  url="$(app_url "$name")/health/ready"
  until [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 2 "$url" 2>/dev/null || true)" = 200 ]; do
    kill -0 "$pid" 2>/dev/null || { echo "[footprint] $name died; log: $data/logs/$name.log" >&2; exit 1; }
    sleep 0.05
  done
  ready=$(since_start "$pid")
  wait "$restarter" || { cat "$data/restart-$name.log" >&2; exit 1; }
  sleep "$IDLE"
  idle=$(rss_mb "$pid")
  auth=()
  [ "$name" = funding ] && auth=(-H "Authorization: Bearer $admin")
  target="$(app_url "$name")$(endpoint "$name")"
  sep='?'; case "$target" in *'?'*) sep='&' ;; esac
  # REQUESTS distinct URLs (a counter the endpoint ignores), PARALLEL at a time; status codes on stderr.
  start=$SECONDS
  curl -sS --no-progress-meter --parallel --parallel-max "$PARALLEL" "${auth[@]}" -o /dev/null -w '%{stderr}%{http_code}\n' \
    "$target${sep}n=[1-$REQUESTS]" >/dev/null 2>"$data/codes-$name" || true
  took=$((SECONDS - start))
  ok=$(grep -c '^200$' "$data/codes-$name" || true)
  loaded=$(rss_mb "$pid")
  pss=$(pss_mb "$pid")
  private=$(private_mb "$pid")
  load=$(bench_load)
  echo "[footprint] $name: ready after ${ready}s, idle ${idle} MB, after $REQUESTS requests (${ok} answered 200, ${took}s) ${loaded} MB (PSS ${pss}, private ${private}); load $load" >&2
  table+=("$(printf '  %-9s %8s %9s %11s %9s %11s %9s  %-26s %s' "$name" "$ready" "$idle" "$loaded" "$pss" "$private" "$ok" \
    "$(awk -v r="$ready" -v i="$idle" -v l="$loaded" 'BEGIN { print (r <= 10 && i <= 120 && l <= 120) ? "met" : "NOT met" }')" "$load")")
  bench_row footprint "$name ready after start" "$ready" s - - "<=10" "$(bench_met "$ready" '<=' 10)"
  bench_row footprint "$name VmRSS idle" "$idle" MB - - "<=120" "$(bench_met "$idle" '<=' 120)"
  bench_row footprint "$name VmRSS after $REQUESTS requests" "$loaded" MB "$idle" "$(awk -v l="$loaded" -v i="$idle" 'BEGIN { printf "%.2f", l / i }')" "<=120" "$(bench_met "$loaded" '<=' 120)"
  bench_row footprint "$name PSS after $REQUESTS requests" "$pss" MB - - - -
  bench_row footprint "$name private after $REQUESTS requests" "$private" MB - - - -
done

echo
echo "Footprint per process ($(nproc) cores, $(date -u +%FT%TZ)); ready = process start to /health/ready 200 on a restart; $REQUESTS requests, $PARALLEL in parallel"
echo "  process   ready s   idle MB  loaded MB  loaded PSS  private    200 ok  goal <=10 s, <=120 MB RSS  load after"
printf '%s\n' "${table[@]}"
