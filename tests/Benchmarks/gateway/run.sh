#!/usr/bin/env bash
# Gateway benchmark (not a test): the same cheap public endpoint hit directly, through nginx (1 worker,
# upstream keepalive, generated config) and through the gateway with its full security stack on
# (authentication, deny-by-default authorisation, rate limiter, body limit, timeouts, CORS, security
# headers, correlation ids, active + passive health checks, retry). wrk at 32 connections, warm-up, then
# ROUNDS alternating rounds; prints the medians, gateway/direct, gateway/nginx and the added median latency.
#
# The backend listens as the services do when deployed: HTTP/1.1 (wrk direct, nginx) and cleartext HTTP/2 on a
# second port (the gateway, as configured in gateway/appsettings.json). For reference the run also measures the
# same gateway talking HTTP/1.1 to the backend ("gateway-h1") and bare YARP over HTTP/1.1 ("yarp"), the setup
# the issue's reference figures were taken with.
#
#   bash tests/Benchmarks/gateway/run.sh                 # ROUNDS=5 DURATION=10 CONNECTIONS=32 THREADS=2
#   ROUNDS=3 DURATION=5 bash tests/Benchmarks/gateway/run.sh
#   CALLER=key bash tests/Benchmarks/gateway/run.sh      # gateway path with an X-Api-Key (key lookup + minted token)
#   CALLER=token bash tests/Benchmarks/gateway/run.sh    # gateway path with a bearer JWT (validated on every request)
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
GATEWAY_H1_PORT=${GATEWAY_H1_PORT:-5905}
BACKEND_H2_PORT=${BACKEND_H2_PORT:-5911}
PATH_UNDER_TEST=/api/networks/it-achse
WORK=$(mktemp -d /tmp/emsachse-gateway-bench.XXXXXX)
BENCH_KEY=emsachse-bench-integrator-key
BENCH_SIGNING_KEY=bench-signing-key-0123456789-0123456789-0123456789
# shellcheck source=../../../deploy/lib/token.sh
. "$REPO/deploy/lib/token.sh"
# shellcheck source=../lib.sh
. "$REPO/tests/Benchmarks/lib.sh"
# shellcheck source=../wrk.sh
. "$REPO/tests/Benchmarks/wrk.sh"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  stop_nginx "$WORK"
  rm -rf "$WORK"
}
trap cleanup EXIT

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
  (cd "$HERE/Backend/bin/Release/net10.0" && exec env \
    Kestrel__Endpoints__Http__Url="http://127.0.0.1:$BACKEND_PORT" \
    Kestrel__Endpoints__Gateway__Url="http://127.0.0.1:$BACKEND_H2_PORT" Kestrel__Endpoints__Gateway__Protocols=Http2 \
    dotnet EmsAchse.Benchmarks.GatewayBackend.dll) >"$WORK/backend.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$BACKEND_PORT$PATH_UNDER_TEST"
}

start_gateway() { # port upstream(h2|h1)
  local port=$1 upstream=$2 key_hash backend=$BACKEND_H2_PORT
  local protocol=()
  key_hash=$(printf %s "$BENCH_KEY" | sha256sum | cut -d' ' -f1)
  if [ "$upstream" = h1 ]; then
    backend=$BACKEND_PORT
    protocol=(ReverseProxy__Clusters__networks__HttpRequest__Version=1.1 ReverseProxy__Clusters__networks__HttpRequest__VersionPolicy=RequestVersionOrLower)
  fi
  # Production environment; every part of the security stack on, and the environment deploy/run.sh gives the
  # gateway. The limits are high so that the single benchmark client (one IP, one key) is measured and not
  # throttled; the limiter still runs per request.
  (cd "$REPO/gateway/bin/Release/net10.0" && exec env \
    ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS="http://127.0.0.1:$port" \
    DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 \
    Jwt__SigningKey="$BENCH_SIGNING_KEY" \
    ApiKeys__Keys__bench__Sha256="$key_hash" \
    ApiKeys__Keys__bench__Roles__0=integrator \
    RateLimits__Anonymous__TokenLimit=1000000000 RateLimits__Anonymous__TokensPerPeriod=1000000000 \
    RateLimits__ApiKey__TokenLimit=1000000000 RateLimits__ApiKey__TokensPerPeriod=1000000000 \
    RateLimits__User__TokenLimit=1000000000 RateLimits__User__TokensPerPeriod=1000000000 \
    Cors__PortalOrigins__0=https://portal.ems-achse.example \
    ReverseProxy__Clusters__networks__Destinations__networks-1__Address="http://127.0.0.1:$backend/" \
    ReverseProxy__Clusters__members__Destinations__members-1__Address="http://127.0.0.1:$BACKEND_H2_PORT/" \
    ReverseProxy__Clusters__funding__Destinations__funding-1__Address="http://127.0.0.1:$BACKEND_H2_PORT/" \
    "${protocol[@]}" \
    dotnet EmsAchse.Gateway.dll) >"$WORK/gateway-$upstream.log" 2>&1 &
  PIDS+=($!)
  wait_for "http://127.0.0.1:$port$PATH_UNDER_TEST"
}

main() {
  wrk_install_missing
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
  build
  start_backend
  start_nginx "$WORK" "$NGINX_PORT" "$BACKEND_PORT" "$PATH_UNDER_TEST"
  start_gateway "$GATEWAY_PORT" h2
  start_gateway "$GATEWAY_H1_PORT" h1
  start_yarp
  DIRECT_URL="http://127.0.0.1:$BACKEND_PORT$PATH_UNDER_TEST"
  NGINX_URL="http://127.0.0.1:$NGINX_PORT$PATH_UNDER_TEST"
  GATEWAY_URL="http://127.0.0.1:$GATEWAY_PORT$PATH_UNDER_TEST"
  GATEWAY_H1_URL="http://127.0.0.1:$GATEWAY_H1_PORT$PATH_UNDER_TEST"
  YARP_URL="http://127.0.0.1:$YARP_PORT$PATH_UNDER_TEST"
  CALLER_HEADERS=()
  case "$CALLER" in
    anonymous) ;;
    key)
      CALLER_HEADERS=(-H "X-Api-Key: $BENCH_KEY")
      curl -fsS -o /dev/null "${CALLER_HEADERS[@]}" "$GATEWAY_URL"
      curl -fsS -o /dev/null "${CALLER_HEADERS[@]}" "$GATEWAY_H1_URL" ;;
    token)
      command -v openssl >/dev/null 2>&1 || die "CALLER=token needs openssl"
      CALLER_HEADERS=(-H "Authorization: Bearer $(make_token "$BENCH_SIGNING_KEY" integrator)")
      curl -fsS -o /dev/null "${CALLER_HEADERS[@]}" "$GATEWAY_URL" ;;
    *) die "CALLER is anonymous, key or token" ;;
  esac

  local targets=(direct nginx gateway gateway-h1 yarp)
  log "gateway caller: $CALLER"
  run_rounds "$WORK/results" "${targets[@]}"

  echo
  echo "Gateway benchmark: GET $PATH_UNDER_TEST, wrk -t$THREADS -c$CONNECTIONS, median of $ROUNDS x ${DURATION}s, $(nproc) cores, gateway caller: $CALLER"
  print_medians "$WORK/results" "${targets[@]}"
  awk -v g="$(column_median "$WORK/results" gateway 2)" -v h="$(column_median "$WORK/results" gateway-h1 2)" -v d="$(column_median "$WORK/results" direct 2)" -v n="$(column_median "$WORK/results" nginx 2)" \
      -v y="$(column_median "$WORK/results" yarp 2)" -v gl="$(column_median "$WORK/results" gateway 3)" -v dl="$(column_median "$WORK/results" direct 3)" -v nl="$(column_median "$WORK/results" nginx 3)" 'BEGIN {
    printf "  gateway/direct  %.2f   (target >= 0.45)\n", g/d
    printf "  gateway/nginx   %.2f   (target >= 0.90)\n", g/n
    printf "  added median latency: gateway %+.3f ms, nginx %+.3f ms (vs direct; target <= 1 ms)\n", gl-dl, nl-dl
    printf "  for reference: nginx/direct %.2f; gateway-h1 (HTTP/1.1 upstream)/nginx %.2f, /direct %.2f; bare yarp (HTTP/1.1)/nginx %.2f, /direct %.2f\n", n/d, h/n, h/d, y/n, y/d
  }'
  # Drift hits a whole round alike (the VM slows down as a whole at times), so the ratios within each round,
  # and their median, are the steadier figure; printed next to the ratios of the medians above.
  printf '  median of per-round ratios: gateway/nginx %.2f, gateway/direct %.2f\n' \
    "$(per_round_ratio "$WORK/results" gateway nginx)" "$(per_round_ratio "$WORK/results" gateway direct)"
  echo "  load average: $(bench_load)"
  write_rows
}

# The results rows (tests/Benchmarks/README.md): gateway against direct and against nginx, medians of the rounds.
write_rows() {
  local g d n gl dl ratio
  g=$(column_median "$WORK/results" gateway 2); d=$(column_median "$WORK/results" direct 2); n=$(column_median "$WORK/results" nginx 2)
  gl=$(column_median "$WORK/results" gateway 3); dl=$(column_median "$WORK/results" direct 3)
  ratio=$(awk -v a="$g" -v b="$d" 'BEGIN {printf "%.2f", a/b}')
  bench_row gateway "stub $CALLER gateway/direct req/s" "$(printf %.0f "$g")" req/s "$(printf %.0f "$d")" "$ratio" ">=0.5" "$(bench_met "$ratio" '>=' 0.5)"
  ratio=$(awk -v a="$g" -v b="$n" 'BEGIN {printf "%.2f", a/b}')
  bench_row gateway "stub $CALLER gateway/nginx req/s" "$(printf %.0f "$g")" req/s "$(printf %.0f "$n")" "$ratio" ">=0.9" "$(bench_met "$ratio" '>=' 0.9)"
  bench_row gateway "stub $CALLER gateway p50 added" "$(awk -v a="$gl" -v b="$dl" 'BEGIN {printf "%.3f", a-b}')" ms "$dl" - "<=1" "$(bench_met "$(awk -v a="$gl" -v b="$dl" 'BEGIN {print a-b}')" '<=' 1)"
}

# The caller's headers go to the gateway only: the stub backend checks nothing.
measure_target() { # name seconds
  case "$1" in
    gateway|gateway-h1) measure "$(url_of "$1")" "$2" "${CALLER_HEADERS[@]}" ;;
    *) measure "$(url_of "$1")" "$2" ;;
  esac
}

url_of() { local var=${1^^}; var=${var//-/_}_URL; echo "${!var}"; }


main "$@"
