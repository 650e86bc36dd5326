#!/usr/bin/env bash
# Gateway benchmark (not a test): the same cheap public endpoint hit directly, through nginx (1 worker,
# upstream keepalive, generated config) and through the gateway with its full security stack on
# (authentication, deny-by-default authorisation, rate limiter, body limit, timeouts, CORS, security
# headers, correlation ids, active + passive health checks, retry). wrk at 32 connections, warm-up, then
# ROUNDS alternating rounds; prints the medians, gateway/direct, gateway/nginx and the added median latency.
#
#   bash tests/Benchmarks/gateway/run.sh                 # ROUNDS=5 DURATION=10 CONNECTIONS=32 THREADS=2
#   ROUNDS=3 DURATION=5 bash tests/Benchmarks/gateway/run.sh
#   CALLER=key bash tests/Benchmarks/gateway/run.sh      # gateway path with an X-Api-Key (key lookup + minted token)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
HERE="$REPO/tests/Benchmarks/gateway"
ROUNDS=${ROUNDS:-5}
DURATION=${DURATION:-10}
WARMUP=${WARMUP:-5}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
CALLER=${CALLER:-anonymous}
BACKEND_PORT=${BACKEND_PORT:-5901}
NGINX_PORT=${NGINX_PORT:-5902}
GATEWAY_PORT=${GATEWAY_PORT:-5903}
YARP_PORT=${YARP_PORT:-5904}
PATH_UNDER_TEST=/api/networks/it-achse
WORK=$(mktemp -d /tmp/emsachse-gateway-bench.XXXXXX)
BENCH_KEY=emsachse-bench-integrator-key
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

install_missing() {
  local packages=()
  command -v wrk >/dev/null 2>&1 || packages+=(wrk)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
  command -v curl >/dev/null 2>&1 || packages+=(curl)
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing ${packages[*]} (Debian)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

wait_for() { # url
  local i
  for i in $(seq 1 150); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$1 did not answer"
}

build() {
  log "building the backend and the gateway (Release)"
  dotnet build "$HERE/Backend/Backend.csproj" -c Release -nologo -v:q -clp:NoSummary >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }
  dotnet build "$REPO/gateway/Gateway.csproj" -c Release -nologo -v:q -clp:NoSummary >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }
  dotnet build "$HERE/BareYarp/BareYarp.csproj" -c Release -nologo -v:q -clp:NoSummary >>"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; die "build failed"; }
}

# Bare YARP, for reference only: how much of the gateway's cost is YARP itself and how much its security stack.
start_yarp() {
  (cd "$HERE/BareYarp/bin/Release/net10.0" && exec env ASPNETCORE_URLS="http://127.0.0.1:$YARP_PORT" \
    BACKEND="http://127.0.0.1:$BACKEND_PORT/" dotnet EmsAchse.Benchmarks.BareYarp.dll) >"$WORK/yarp.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$YARP_PORT$PATH_UNDER_TEST"
}

start_backend() {
  (cd "$HERE/Backend/bin/Release/net10.0" && exec env ASPNETCORE_URLS="http://127.0.0.1:$BACKEND_PORT" \
    dotnet EmsAchse.Benchmarks.GatewayBackend.dll) >"$WORK/backend.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$BACKEND_PORT$PATH_UNDER_TEST"
}

start_nginx() {
  local nginx_bin
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$WORK/nginx"
  cat >"$WORK/nginx.conf" <<NGINX
worker_processes 1;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK/nginx;
  proxy_temp_path $WORK/nginx;
  fastcgi_temp_path $WORK/nginx;
  uwsgi_temp_path $WORK/nginx;
  scgi_temp_path $WORK/nginx;
  upstream backend {
    server 127.0.0.1:$BACKEND_PORT;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
NGINX
  "$nginx_bin" -c "$WORK/nginx.conf" -p "$WORK" || die "nginx did not start"
  wait_for "http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST"
}

start_gateway() {
  local key_hash
  key_hash=$(printf %s "$BENCH_KEY" | sha256sum | cut -d' ' -f1)
  # Production environment; every part of the security stack on. The limits are high so that the single
  # benchmark client (one IP, one key) is measured and not throttled; the limiter still runs per request.
  (cd "$REPO/gateway/bin/Release/net10.0" && exec env \
    ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS="http://127.0.0.1:$GATEWAY_PORT" \
    Jwt__SigningKey="bench-signing-key-0123456789-0123456789-0123456789" \
    ApiKeys__Keys__bench__Sha256="$key_hash" \
    ApiKeys__Keys__bench__Roles__0=integrator \
    RateLimits__Anonymous__TokenLimit=1000000000 RateLimits__Anonymous__TokensPerPeriod=1000000000 \
    RateLimits__ApiKey__TokenLimit=1000000000 RateLimits__ApiKey__TokensPerPeriod=1000000000 \
    Cors__PortalOrigins__0=https://portal.ems-achse.example \
    ReverseProxy__Clusters__networks__Destinations__networks-1__Address="http://127.0.0.1:$BACKEND_PORT/" \
    ReverseProxy__Clusters__members__Destinations__members-1__Address="http://127.0.0.1:$BACKEND_PORT/" \
    ReverseProxy__Clusters__funding__Destinations__funding-1__Address="http://127.0.0.1:$BACKEND_PORT/" \
    dotnet EmsAchse.Gateway.dll) >"$WORK/gateway.log" 2>&1 &
  PIDS+=($!)
  GATEWAY_PID=$!
  wait_for "http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST"
}

# One wrk run: prints "<requests/s> <p50 ms>".
measure() { # url seconds
  local out rps p50 unit value
  local headers=()
  if [ "$CALLER" = key ] && [ "$1" = "$GATEWAY_URL" ]; then headers=(-H "X-Api-Key: $BENCH_KEY"); fi
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${2}s" --latency "${headers[@]}" "$1")
  grep -qE 'Non-2xx|Socket errors' <<<"$out" && { log "errors in a run against $1:"; echo "$out" >&2; }
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  read -r value unit < <(awk '$1=="50%" {v=$2; sub(/[a-z]+$/,"",v); u=$2; sub(/^[0-9.]+/,"",u); print v, u}' <<<"$out")
  case "$unit" in us) p50=$(awk -v v="$value" 'BEGIN{printf "%.3f", v/1000}') ;; ms) p50=$value ;; s) p50=$(awk -v v="$value" 'BEGIN{printf "%.3f", v*1000}') ;; *) p50=$value ;; esac
  echo "$rps $p50"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

main() {
  install_missing
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
  build
  start_backend
  start_nginx
  start_gateway
  start_yarp
  YARP_URL="http://127.0.0.1:$YARP_PORT$PATH_UNDER_TEST"
  DIRECT_URL="http://127.0.0.1:$BACKEND_PORT$PATH_UNDER_TEST"
  NGINX_URL="http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST"
  GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST"
  [ "$CALLER" = key ] && curl -fsS -o /dev/null -H "X-Api-Key: $BENCH_KEY" "$GATEWAY_URL"

  log "$(nproc) cores; wrk -t$THREADS -c$CONNECTIONS; warm-up ${WARMUP}s each; $ROUNDS rounds of ${DURATION}s; gateway caller: $CALLER"
  local name url
  for name in direct nginx gateway yarp; do
    url=${name^^}_URL; measure "${!url}" "$WARMUP" >/dev/null
  done
  : >"$WORK/results"
  local round
  for round in $(seq 1 "$ROUNDS"); do
    # Alternate the order so that drift (thermal, noisy neighbours) hits all three alike.
    local order=(direct nginx gateway yarp)
    [ $((round % 2)) -eq 0 ] && order=(yarp gateway nginx direct)
    for name in "${order[@]}"; do
      url=${name^^}_URL
      read -r rps p50 < <(measure "${!url}" "$DURATION")
      echo "$name $rps $p50" >>"$WORK/results"
      log "round $round  $(printf '%-8s' "$name") $(printf '%10.0f' "$rps") req/s  p50 ${p50} ms"
    done
  done

  local d_rps n_rps g_rps d_p50 n_p50 g_p50
  d_rps=$(awk '$1=="direct" {print $2}' "$WORK/results" | median); d_p50=$(awk '$1=="direct" {print $3}' "$WORK/results" | median)
  n_rps=$(awk '$1=="nginx" {print $2}' "$WORK/results" | median);  n_p50=$(awk '$1=="nginx" {print $3}' "$WORK/results" | median)
  g_rps=$(awk '$1=="gateway" {print $2}' "$WORK/results" | median); g_p50=$(awk '$1=="gateway" {print $3}' "$WORK/results" | median)
  local y_rps y_p50
  y_rps=$(awk '$1=="yarp" {print $2}' "$WORK/results" | median); y_p50=$(awk '$1=="yarp" {print $3}' "$WORK/results" | median)
  echo
  echo "Gateway benchmark: GET $PATH_UNDER_TEST, wrk -t$THREADS -c$CONNECTIONS, median of $ROUNDS x ${DURATION}s, $(nproc) cores, gateway caller: $CALLER"
  printf '  %-8s %10.0f req/s   p50 %7.3f ms\n' direct "$d_rps" "$d_p50" nginx "$n_rps" "$n_p50" gateway "$g_rps" "$g_p50" "bare yarp" "$y_rps" "$y_p50"
  awk -v g="$g_rps" -v d="$d_rps" -v n="$n_rps" -v y="$y_rps" -v gl="$g_p50" -v dl="$d_p50" -v nl="$n_p50" 'BEGIN {
    printf "  gateway/direct  %.2f   (target >= 0.45)\n", g/d
    printf "  gateway/nginx   %.2f   (target >= 0.90)\n", g/n
    printf "  nginx/direct    %.2f\n", n/d
    printf "  bare yarp/direct %.2f, bare yarp/nginx %.2f, gateway/bare yarp %.2f (cost of the security stack)\n", y/d, y/n, g/y
    printf "  added median latency: gateway %+.3f ms, nginx %+.3f ms (vs direct; target <= 1 ms)\n", gl-dl, nl-dl
  }'
}

main "$@"
