#!/usr/bin/env bash
# Gateway on the real path (not a test): GET /api/networks/it-achse answered by the real networks service (Release,
# SQLite, demo data, as deploy/run.sh starts it), called with a bearer token and with an API key. wrk at 32
# connections, warm-up, then ROUNDS alternating rounds:
#   direct         the networks service's own port, bearer token (the service validates it itself)
#   nginx          nginx (1 worker, upstream keepalive) in front of that port, bearer token
#   gateway-token  the platform's gateway, bearer token (validated there and again by the service)
#   gateway-key    the gateway with the integrator's X-Api-Key (looked up there, exchanged for a minted token)
# Goal: each gateway path >= 0.5 x direct and >= 0.9 x nginx (the tokens' validation is part of every path).
#   bash tests/Benchmarks/GatewayNetworks/run.sh     # ROUNDS=3 DURATION=10 WARMUP=5 CONNECTIONS=32 THREADS=2
# It runs the whole platform with deploy/run.sh on a throwaway data folder, so it needs the platform's ports
# (5000, 5101-5105, 5111-5113, 5672): stop your own platform first.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
# shellcheck source=../wrk.sh
. "$HERE/../wrk.sh"
data=$(mktemp -d /tmp/emsachse-gateway-networks-XXXXXX)
DATA_DIR=$data
# shellcheck source=../../../deploy/lib/common.sh
. "$REPO/deploy/lib/common.sh"
# shellcheck source=../../../deploy/lib/secrets.sh
. "$REPO/deploy/lib/secrets.sh"

ROUNDS=${ROUNDS:-3}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
NGINX_PORT=${NGINX_PORT:-5902}
PATH_UNDER_TEST=/api/networks/it-achse
# One client address and one key ask everything here: this run's platform lifts the gateway's buckets (the limiter
# still runs on every request).
export RateLimits__Anonymous__TokenLimit=1000000000 RateLimits__Anonymous__TokensPerPeriod=1000000000 \
  RateLimits__ApiKey__TokenLimit=1000000000 RateLimits__ApiKey__TokensPerPeriod=1000000000 \
  RateLimits__User__TokenLimit=1000000000 RateLimits__User__TokensPerPeriod=1000000000

log() { printf '[gateway-networks] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
run() { EMSACHSE_DATA=$data bash "$REPO/deploy/run.sh" "$@"; }
cleanup() { stop_nginx "$data"; run stop >/dev/null 2>&1 || true; rm -rf "$data"; }
trap cleanup EXIT

wrk_install_missing
log "starting the platform with deploy/run.sh (data $data); load $(bench_load)"
if ! run start >"$data/run.log" 2>&1; then
  tail -n 30 "$data/run.log" >&2
  exit 1
fi
TOKEN_HEADER="Authorization: Bearer $(run token admin)"
KEY_HEADER="X-Api-Key: $(current_api_key)"
DIRECT_URL="http://127.0.0.1:5101$PATH_UNDER_TEST"
NGINX_URL="http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST"
GATEWAY_URL="http://127.0.0.1:5000$PATH_UNDER_TEST"
start_nginx "$data" "$NGINX_PORT" 5101 "$PATH_UNDER_TEST" -H "$TOKEN_HEADER"
wait_for "$GATEWAY_URL" -H "$KEY_HEADER"
wait_for "$GATEWAY_URL" -H "$TOKEN_HEADER"

measure_target() { # name seconds
  case "$1" in
    direct) measure "$DIRECT_URL" "$2" -H "$TOKEN_HEADER" ;;
    nginx) measure "$NGINX_URL" "$2" -H "$TOKEN_HEADER" ;;
    gateway-token) measure "$GATEWAY_URL" "$2" -H "$TOKEN_HEADER" ;;
    gateway-key) measure "$GATEWAY_URL" "$2" -H "$KEY_HEADER" ;;
  esac
}

targets=(direct nginx gateway-token gateway-key)
results=$data/results
run_rounds "$results" "${targets[@]}"

echo
echo "Gateway on the real networks service: GET $PATH_UNDER_TEST, wrk -t$THREADS -c$CONNECTIONS, median of $ROUNDS x ${DURATION}s, $(nproc) cores, load $(bench_load)"
print_medians "$results" "${targets[@]}"
d=$(column_median "$results" direct 2)
n=$(column_median "$results" nginx 2)
for name in gateway-token gateway-key; do
  g=$(column_median "$results" "$name" 2)
  of_direct=$(awk -v a="$g" -v b="$d" 'BEGIN {printf "%.2f", a/b}')
  of_nginx=$(awk -v a="$g" -v b="$n" 'BEGIN {printf "%.2f", a/b}')
  printf '  %-13s %.2f of direct (goal >= 0.5), %.2f of nginx (goal >= 0.9); per-round medians %.2f and %.2f\n' "$name" \
    "$of_direct" "$of_nginx" "$(per_round_ratio "$results" "$name" direct)" "$(per_round_ratio "$results" "$name" nginx)"
  bench_row gateway-networks "$name gateway/direct req/s" "$(printf %.0f "$g")" req/s "$(printf %.0f "$d")" "$of_direct" ">=0.5" "$(bench_met "$of_direct" '>=' 0.5)"
  bench_row gateway-networks "$name gateway/nginx req/s" "$(printf %.0f "$g")" req/s "$(printf %.0f "$n")" "$of_nginx" ">=0.9" "$(bench_met "$of_nginx" '>=' 0.9)"
done
