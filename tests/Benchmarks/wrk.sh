# shellcheck shell=bash
# Shared by the HTTP benchmarks that drive wrk (gateway/, GatewayNetworks/): the tools, nginx as the reference
# proxy, one wrk run, medians. Needs log() and die() from the caller.

# wrk, nginx and curl from Debian's packages when missing.
wrk_install_missing() {
  local packages=()
  command -v wrk >/dev/null 2>&1 || packages+=(wrk)
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || packages+=(nginx-light)
  command -v curl >/dev/null 2>&1 || packages+=(curl)
  if [ ${#packages[@]} -gt 0 ]; then
    log "installing ${packages[*]} (Debian)"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
  fi
}

# Waits until the URL answers 2xx (30 s), with the given curl arguments (headers).
wait_for() { # url [curl args...]
  local url=$1 i
  shift
  for i in $(seq 1 150); do
    curl -fsS -o /dev/null "$@" "$url" 2>/dev/null && return 0
    sleep 0.2
  done
  die "$url did not answer"
}

# nginx, 1 worker, upstream keepalive, generated config under WORK; its pid file is WORK/nginx.pid.
start_nginx() { # work-folder listen-port upstream-port check-path [curl args for the check...]
  local work=$1 port=$2 upstream=$3 check=$4 nginx_bin
  shift 4
  nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
  mkdir -p "$work/nginx"
  cat >"$work/nginx.conf" <<NGINX
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx;
  proxy_temp_path $work/nginx;
  fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx;
  scgi_temp_path $work/nginx;
  upstream backend {
    server 127.0.0.1:$upstream;
    keepalive 64;
  }
  server {
    listen 127.0.0.1:$port;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
NGINX
  "$nginx_bin" -c "$work/nginx.conf" -p "$work" || die "nginx did not start"
  wait_for "http://127.0.0.1:$port$check" "$@"
}

stop_nginx() { [ -f "$1/nginx.pid" ] && kill "$(cat "$1/nginx.pid")" 2>/dev/null || true; }

# One wrk run: prints "<requests/s> <p50 ms>"; reports non-2xx answers and socket errors on stderr.
measure() { # url seconds [wrk args, e.g. -H 'Authorization: Bearer ...']
  local url=$1 seconds=$2 out rps p50 unit value
  shift 2
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${seconds}s" --latency "$@" "$url")
  grep -qE 'Non-2xx|Socket errors' <<<"$out" && { log "errors in a run against $url:"; echo "$out" >&2; }
  rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$out")
  read -r value unit < <(awk '$1=="50%" {v=$2; sub(/[a-z]+$/,"",v); u=$2; sub(/^[0-9.]+/,"",u); print v, u}' <<<"$out")
  case "$unit" in us) p50=$(awk -v v="$value" 'BEGIN{printf "%.3f", v/1000}') ;; ms) p50=$value ;; s) p50=$(awk -v v="$value" 'BEGIN{printf "%.3f", v*1000}') ;; *) p50=$value ;; esac
  echo "$rps $p50"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# The median of one column of a results file with lines "<target> <req/s> <p50 ms>".
column_median() { # results-file target column(2 = req/s, 3 = p50)
  awk -v t="$2" -v c="$3" '$1==t {print $c}' "$1" | median
}

# The given targets in order on odd rounds and reversed on even ones, so drift hits all of them alike.
round_order() { # round target...
  local round=$1 i
  shift
  local targets=("$@")
  if [ $((round % 2)) -eq 0 ]; then
    for ((i = ${#targets[@]} - 1; i >= 0; i--)); do printf '%s\n' "${targets[$i]}"; done
  else
    printf '%s\n' "${targets[@]}"
  fi
}

# The median over rounds of target/baseline within each round: drift hits a whole round alike.
per_round_ratio() { # results-file target baseline
  awk -v t="$2" -v b="$3" '$1==t {x[++nx]=$2} $1==b {y[++ny]=$2} END {for (i = 1; i <= nx && i <= ny; i++) printf "%.4f\n", x[i]/y[i]}' "$1" | median
}

# A warm-up of WARMUP s per target, then ROUNDS alternating rounds of DURATION s; appends "<target> <req/s> <p50 ms>"
# to the results file. The caller defines measure_target NAME SECONDS (a measure with that target's URL and headers).
run_rounds() { # results-file target...
  local results=$1 name round rps p50
  shift
  log "$(nproc) cores; wrk -t$THREADS -c$CONNECTIONS; warm-up ${WARMUP}s each; $ROUNDS rounds of ${DURATION}s"
  for name in "$@"; do measure_target "$name" "$WARMUP" >/dev/null; done
  : >"$results"
  for round in $(seq 1 "$ROUNDS"); do
    while read -r name; do
      read -r rps p50 < <(measure_target "$name" "$DURATION")
      echo "$name $rps $p50" >>"$results"
      log "round $round  $(printf '%-13s' "$name") $(printf '%8.0f' "$rps") req/s  p50 $p50 ms; load $(bench_load)"
    done < <(round_order "$round" "$@")
  done
}

# One line per target: the medians of its rounds.
print_medians() { # results-file target...
  local results=$1 name
  shift
  for name in "$@"; do
    printf '  %-13s %8.0f req/s   p50 %7.3f ms\n' "$name" "$(column_median "$results" "$name" 2)" "$(column_median "$results" "$name" 3)"
  done
}
