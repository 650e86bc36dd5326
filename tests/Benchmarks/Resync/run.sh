#!/usr/bin/env bash
# Re-sync benchmark (not a test): how long a restarted networks service needs until its copy of the memberships has
# converged, at ORGANIZATIONS (250,000) generated organisations, about 100,000 memberships, on SQLite, and how many
# events the members service sends for it. Four starts of networks, each timed from the restart to the moment its
# watermark moved (members' MembershipResyncCompleted applied) and its queue is empty:
#   full rebuild   Messaging__Resync__Full=true, as after restoring its database (the baseline: every membership)
#   up to date     a plain restart with nothing changed since the last re-sync (goal: nothing proportional to the data)
#   changed        a restart after CHANGES (1,000) organisations with memberships changed in members' database
#                  while networks was down, their events never delivered (as if its queue had been lost)
#   up to date     once more, after that
#   bash tests/Benchmarks/Resync/run.sh        # ORGANIZATIONS=250000 CHANGES=1000
# It runs the whole platform with deploy/run.sh on a throwaway data folder (the platform's ports: stop your own
# first). Funding is stopped and its queues removed after the seed, so that only networks consumes what is measured.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
data=$(mktemp -d /tmp/emsachse-resync-bench-XXXXXX)
DATA_DIR=$data PID_DIR=$data/pids STATE_DIR=$data/state STOP_TIMEOUT=20
# shellcheck source=../../../deploy/lib/common.sh
. "$REPO/deploy/lib/common.sh"
# shellcheck source=../../../deploy/lib/apps.sh
. "$REPO/deploy/lib/apps.sh"

ORGANIZATIONS=${ORGANIZATIONS:-250000}
CHANGES=${CHANGES:-1000}
TIMEOUT=${TIMEOUT:-1800}
MEMBERS_DB=$data/members.db
NETWORKS_DB=$data/networks.db
# The events a membership re-sync sends (the organisations' and the memberships').
EVENTS_SQL="(message_type LIKE '%.Organization%' OR (message_type LIKE '%.Membership%' AND message_type NOT LIKE '%.MembershipResync%'))"

say() { printf '[resync] %s\n' "$*" >&2; }
run() { EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" "$@"; }
trap 'run stop >/dev/null 2>&1 || true; rm -rf "$data"' EXIT

members_sql() { sqlite3 -cmd '.timeout 10000' "$MEMBERS_DB" "$1"; }
networks_sql() { sqlite3 -cmd '.timeout 10000' "$NETWORKS_DB" "$1"; }
queued() { # messages waiting in the queues whose names start with $1
  rabbitmqctl -q list_queues name messages 2>/dev/null | awk -v p="$1" 'index($1, p) == 1 && $2 ~ /^[0-9]+$/ { s += $2 } END { print s + 0 }'
}
watermark() { networks_sql "SELECT watermark || ' ' || completed_at FROM resync_watermarks WHERE owner = 'members'" 2>/dev/null || true; }
members_events_after() { members_sql "SELECT COUNT(*) FROM outbox_messages WHERE id > $1 AND $EVENTS_SQL"; }

say "$ORGANIZATIONS organisations: starting the platform with deploy/run.sh (data $data); load $(bench_load)"
if ! EMSACHSE_DEMO_ORGANIZATIONS=$ORGANIZATIONS run start >"$data/run.log" 2>&1; then
  tail -n 30 "$data/run.log" >&2
  exit 1
fi
stop_app funding >/dev/null 2>&1
for queue in $(rabbitmqctl -q list_queues name 2>/dev/null | grep '^funding-' || true); do rabbitmqctl -q delete_queue "$queue" >/dev/null; done
memberships=$(members_sql "SELECT COUNT(*) FROM memberships")
say "seeded: $(members_sql "SELECT COUNT(*) FROM organizations") organisations, $memberships memberships; funding stopped and its queues removed"

# Until the seed's events are sent and networks took them all.
settle() {
  local until=$((SECONDS + TIMEOUT)) unsent waiting
  while [ "$SECONDS" -lt "$until" ]; do
    unsent=$(members_sql "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")
    waiting=$(queued networks-)
    [ "$unsent" = 0 ] && [ "$waiting" = 0 ] && return 0
    say "settling: $unsent unsent in members' outbox, $waiting queued for networks; load $(bench_load)"
    sleep 10
  done
  say "did not settle within $TIMEOUT s"; exit 1
}

# One restart of networks (with the given environment): seconds until converged, events members sent, watermark.
restart_networks() { # label [NAME=value...]
  local label=$1 before_mark before_id start took events mark
  shift
  before_mark=$(watermark)
  before_id=$(members_sql "SELECT COALESCE(MAX(id), 0) FROM outbox_messages")
  start=$(date +%s.%N)
  env "$@" EMSACHSE_DATA="$data" bash "$REPO/deploy/run.sh" restart networks >"$data/restart.log" 2>&1 || { cat "$data/restart.log" >&2; exit 1; }
  local until=$((SECONDS + TIMEOUT))
  while :; do
    mark=$(watermark)
    if [ -n "$mark" ] && [ "$mark" != "$before_mark" ] && [ "$(queued networks-)" = 0 ] \
        && [ "$(members_sql "SELECT COUNT(*) FROM outbox_messages WHERE sent_at IS NULL")" = 0 ]; then
      break
    fi
    [ "$SECONDS" -lt "$until" ] || { say "$label: no new watermark within $TIMEOUT s"; exit 1; }
    sleep 0.1
  done
  took=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.2f", e - s }')
  events=$(members_events_after "$before_id")
  say "$label: converged after ${took}s, members sent $events events, watermark ${mark%% *}; load $(bench_load)"
  printf '%s\t%s\t%s\t%s\n' "$label" "$took" "$events" "${mark%% *}" >>"$data/results"
}

settle
: >"$data/results"
# Not measured: brings the watermark past the seed whatever the first start's re-sync saw.
restart_networks "warm-up" >/dev/null
: >"$data/results"
restart_networks "full rebuild" Messaging__Resync__Full=true
restart_networks "up to date"
stop_app networks >/dev/null 2>&1
members_sql "UPDATE organizations SET name = name || ' ·', version = version + 1
  WHERE id IN (SELECT DISTINCT organization_id FROM memberships ORDER BY organization_id LIMIT $CHANGES)"
restart_networks "changed ($CHANGES orgs)"
restart_networks "up to date again"

full=$(awk -F'\t' 'NR == 1 { print $2 }' "$data/results")
full_events=$(awk -F'\t' 'NR == 1 { print $3 }' "$data/results")
active=$(networks_sql "SELECT COUNT(*) FROM network_members WHERE status = 'active'")
echo
echo "Re-sync benchmark: networks restarted at $memberships memberships ($ORGANIZATIONS organisations, SQLite), $(nproc) cores, load $(bench_load); networks holds $active active memberships"
printf '  %-22s %10s %12s %12s  %s\n' start "seconds" "events sent" "of full" "watermark"
while IFS=$'\t' read -r label took events mark; do
  ratio=$(awk -v t="$took" -v f="$full" 'BEGIN { printf "%.3f", t / f }')
  printf '  %-22s %10s %12s %12s  %s\n' "$label" "$took" "$events" "$ratio" "$mark"
  if [ "$label" = "full rebuild" ]; then
    bench_row resync "$label at $memberships memberships" "$took" s - - - -
  else
    bench_row resync "$label at $memberships memberships" "$took" s "$full" "$ratio" - -
  fi
  case "$label" in
    up*) bench_row resync "$label: events sent" "$events" events "$full_events" - "0" "$([ "$events" = 0 ] && echo yes || echo no)" ;;
  esac
done <"$data/results"
