#!/usr/bin/env bash
# Runs the Ems-Achse platform on this machine (Debian 12 with the .NET 10 SDK; no systemd needed):
# RabbitMQ (and PostgreSQL with EMSACHSE_DB=postgres) from Debian's packages, the three services and
# the gateway as background processes. See `deploy/run.sh help` and deploy/README.md.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SELF="bash ${0}"
[ "$(pwd)" = "$REPO" ] || SELF="bash $REPO/deploy/run.sh"

DATA_DIR=${EMSACHSE_DATA:-$REPO/.data}
case "$DATA_DIR" in /*) ;; *) DATA_DIR="$(pwd)/$DATA_DIR" ;; esac
LOG_DIR="$DATA_DIR/logs"
PID_DIR="$DATA_DIR/pids"
STATE_DIR="$DATA_DIR/state"
DEMO_ORGANIZATIONS=${EMSACHSE_DEMO_ORGANIZATIONS:-}
case "$DEMO_ORGANIZATIONS" in ''|*[!0-9]*) [ -z "$DEMO_ORGANIZATIONS" ] || { echo "[run] EMSACHSE_DEMO_ORGANIZATIONS must be a number" >&2; exit 2; } ;; esac
# A large demo seed runs before the members service answers: allow it about a second per 1,000 organisations more.
START_TIMEOUT=${EMSACHSE_START_TIMEOUT:-$((120 + ${DEMO_ORGANIZATIONS:-0} / 1000))}
STOP_TIMEOUT=${EMSACHSE_STOP_TIMEOUT:-20}

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

# shellcheck source=lib/common.sh
. "$REPO/deploy/lib/common.sh"
# shellcheck source=lib/rabbitmq.sh
. "$REPO/deploy/lib/rabbitmq.sh"
# shellcheck source=lib/postgres.sh
. "$REPO/deploy/lib/postgres.sh"
# shellcheck source=lib/apps.sh
. "$REPO/deploy/lib/apps.sh"
# shellcheck source=lib/token.sh
. "$REPO/deploy/lib/token.sh"
# shellcheck source=lib/secrets.sh
. "$REPO/deploy/lib/secrets.sh"

usage() {
  cat <<USAGE
Usage: bash deploy/run.sh [COMMAND]

Commands:
  start (default)          install and start RabbitMQ (and PostgreSQL), build in Release, start the
                           identity service (and wait for it), the networks, members and funding
                           services, the portal and the gateway, wait until ready
  stop                     stop what run.sh started (processes by recorded pid; RabbitMQ/PostgreSQL
                           only if run.sh started them)
  restart                  stop the .NET processes, rebuild and start them again
  restart NAME             restart one process (identity, networks, members, funding, portal, gateway) as
                           built, without a rebuild, and wait until its /health/ready answers
  demo-users               Development demo: the admin and the seeded manager of each demo network, with passwords
  logs NAME [-f]           the log of one process (the last 100 lines; -f follows it)
  status                   show each process and the gateway's /health/ready (exit 0 if all
                           run, 3 otherwise)
  token ROLE [NETWORK]     print a development JWT: ROLE is admin, integrator, or
                           network-manager NETWORK (the slug it manages, e.g. it-achse)
  help                     this text

Environment:
  EMSACHSE_DB=sqlite|postgres   database engine (default sqlite: files in the data folder)
  EMSACHSE_DATA=DIR             data folder (default <repo>/.data): databases, logs/, pids/, state/
  EMSACHSE_BIND=ADDRESS         address the gateway listens on (default 127.0.0.1; e.g. 0.0.0.0). Beyond
                                loopback it needs EMSACHSE_PUBLIC_URL=https://..., EMSACHSE_TLS_CERT and
                                EMSACHSE_TLS_KEY (PEM), and generates real secrets in <data>/secrets/
  EMSACHSE_DEMO_ORGANIZATIONS=N generated demo organisations on a fresh data folder (default 350; e.g. 100000
                                for a platform at size: same generator and seed number as the benchmarks,
                                in batches, progress in the members log)
  EMSACHSE_START_TIMEOUT=S      seconds to wait for /health/ready (default 120, plus 1 per 1,000 demo organisations; ready = 3 answers
                                200 in a row, EMSACHSE_READY_CHECKS)
  EMSACHSE_KEEP_ON_FAILURE=1    leave the processes running when start-up fails (for debugging)

Ports: gateway 5000, networks 5101, members 5102, funding 5103, identity 5104, portal 5105, RabbitMQ 5672,
PostgreSQL 5432.
USAGE
}

usage_error() {
  printf '[run] %s\n\n' "$*" >&2
  usage >&2
  exit 2
}

db_engine() {
  case "${EMSACHSE_DB:-sqlite}" in
    sqlite|'') echo sqlite ;;
    postgres|postgresql|pg) echo postgres ;;
    *) usage_error "EMSACHSE_DB must be sqlite or postgres, not '${EMSACHSE_DB}'" ;;
  esac
}

init_dirs() { mkdir -p "$DATA_DIR" "$LOG_DIR" "$PID_DIR" "$STATE_DIR"; }

print_summary() {
  local engine=$1 gw
  gw=$(app_url gateway)
  cat <<SUMMARY

  Ems-Achse platform (database: $engine, data folder: $DATA_DIR)

  Portal             $gw/   (the public German portal, served by the gateway; itself on $(app_url portal))
  Gateway            $gw$( [ "$(app_bind gateway)" != 127.0.0.1 ] && printf '   (listening on %s)' "$(app_bind gateway)")
  API docs           $gw/docs
  Networks service   $(app_url networks)
  Members service    $(app_url members)
  Funding service    $(app_url funding)
  Identity (sign-in) $gw/identity/   (OpenID Connect authority; service at $(app_url identity))
  RabbitMQ           $RABBITMQ_URI
SUMMARY
  if [ "$engine" = postgres ]; then
    printf '  PostgreSQL         %s\n' "$(postgres_connection_string 'emsachse_{networks,members,funding,identity}')"
  else
    printf '  Databases          %s/{networks,members,funding,identity}.db (SQLite)\n' "$DATA_DIR"
  fi
  cat <<SUMMARY

  $(real_secrets && echo "API key (generated)  " || echo "Development API key  ") X-Api-Key: $(current_api_key)
                        curl -H 'X-Api-Key: $(current_api_key)' $gw/api/networks
  $(real_secrets && echo "Token (real key)     " || echo "Development token    ") $SELF token admin   (or: token network-manager it-achse | token integrator)
                        curl -H "Authorization: Bearer \$($SELF token admin)" $gw/api/networks/umbrella
  First admin           $(print_initial_admin)
  Logs                  $LOG_DIR/<name>.log  (gateway, portal, identity, networks, members, funding, rabbitmq, build)
  Status / stop         $SELF status   |   $SELF stop

SUMMARY
}

# The first admin's e-mail and one-time password, as identity wrote them at its first start.
print_initial_admin() {
  local file
  file=$(identity_admin_file)
  if [ -r "$file" ]; then
    printf '%s / %s   (sign in at %s/identity/anmelden; from %s)' "$(sed -n 1p "$file")" "$(sed -n 2p "$file")" "$(app_url gateway)" "$file"
  else
    printf 'created at the first start of identity (its file %s is gone)' "$file"
  fi
}

# The demo accounts (Development only): the first admin, and the demo managers identity lists at start.
cmd_demo_users() {
  init_dirs
  printf 'Admin     %s\n' "$(print_initial_admin)"
  local file
  file=$(identity_demo_users_file)
  if [ -r "$file" ]; then
    printf 'Managers  (sign in once identity has received the networks service'"'"'s demo managers; from %s)\n' "$file"
    sed 's/^/  /' "$file"
  else
    printf 'Managers  listed in %s once identity has started with Seed__Demo=true\n' "$file"
  fi
  printf 'Mails     %s/mail (invitations as .eml files)\n' "$DATA_DIR"
}

cmd_start() {
  local engine running
  engine=$(db_engine)
  DB_ENGINE=$engine
  init_dirs

  running=$(running_apps | tr '\n' ' ')
  if [ "$(running_apps | wc -l)" -eq ${#APPS[@]} ]; then
    local was
    was=$(cat "$STATE_DIR/db" 2>/dev/null || echo "$engine")
    log "the platform is already running (started earlier by run.sh; database: $was)"
    [ "$was" = "$engine" ] || warn "it runs with $was, not $engine: run '$SELF stop' first to switch"
    DB_ENGINE=$was
    cmd_status || true
    print_summary "$was"
    return 0
  fi
  if [ -n "$running" ]; then
    log "only some processes run (${running% }); stopping them to start all afresh"
    stop_apps
  fi
  check_ports_free
  prepare_secrets

  local t0=$SECONDS
  trap cleanup_policy_rc_d EXIT
  # Everything missing from Debian's packages in one apt-get run.
  local packages=()
  command -v curl >/dev/null 2>&1 || packages+=(curl)
  command -v pgrep >/dev/null 2>&1 || packages+=(procps)
  rabbitmq_running || packages+=(rabbitmq-server)
  [ "$engine" = postgres ] && packages+=("postgresql-$PG_VERSION")
  apt_install "${packages[@]}"
  rabbitmq_launch                         # boots while the database and the build are prepared
  [ "$engine" = postgres ] && postgres_start
  build_solution
  rabbitmq_wait
  echo "$engine" >"$STATE_DIR/db"
  local name
  # Identity first: the services and the gateway take its signing keys from its discovery document.
  start_app identity
  local ready=true
  wait_app_ready identity || ready=false
  if $ready; then
    for name in "${APPS[@]}"; do [ "$name" = identity ] || start_app "$name"; done
    wait_ready || ready=false
  fi
  if ! $ready; then
    if [ -n "${EMSACHSE_KEEP_ON_FAILURE:-}" ]; then
      log "leaving the processes running (EMSACHSE_KEEP_ON_FAILURE); '$SELF stop' ends them"
    else
      stop_apps
      local infra="RabbitMQ stays"
      [ "$DB_ENGINE" = postgres ] && infra="RabbitMQ and PostgreSQL stay"
      log "logs are kept in $LOG_DIR; $infra up ('$SELF stop' ends it all)"
    fi
    exit 1
  fi
  log "the platform started in $((SECONDS - t0))s"
  print_summary "$engine"
}

cmd_stop() {
  init_dirs
  stop_apps
  rabbitmq_stop
  postgres_stop
  rm -f "$STATE_DIR/db"
  local left
  left=$(running_apps | tr '\n' ' ')
  [ -z "$left" ] || die "still running: $left"
  log "stopped"
}

cmd_status() {
  local name pid state all=0 engine
  init_dirs
  engine=$(cat "$STATE_DIR/db" 2>/dev/null || db_engine)
  DB_ENGINE=$engine
  printf '%-10s %-8s %-8s %-34s %s\n' NAME STATE PID URL LOG
  for name in "${APPS[@]}"; do
    if pid=$(app_pid "$name"); then state=running; else state=stopped; pid=-; all=3; fi
    printf '%-10s %-8s %-8s %-34s %s\n' "$name" "$state" "$pid" "$(app_url "$name")" "$LOG_DIR/$name.log"
  done
  rabbitmq_status_line
  if [ "$engine" = postgres ] || postgres_ours; then postgres_status_line; fi
  local url code body
  url="$(app_url gateway)/health/ready"
  body=$(mktemp)
  code=$(curl -sS --insecure -o "$body" -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)
  case "$code" in ''|000) code="no answer" ;; esac
  printf '\nGET %s -> %s\n' "$url" "$code"
  if [ -s "$body" ]; then cat "$body"; echo; fi
  rm -f "$body"
  return "$all"
}

known_app() { local a; for a in "${APPS[@]}"; do [ "$a" = "$1" ] && return 0; done; return 1; }

cmd_restart_one() {
  local name=$1 url i code
  known_app "$name" || usage_error "unknown process '$name' (one of: ${APPS[*]})"
  init_dirs
  DB_ENGINE=$(cat "$STATE_DIR/db" 2>/dev/null || db_engine)
  [ -f "$REPO/$(app_dll "$name")" ] || die "$name is not built yet: run '$SELF' first"
  stop_app "$name"
  start_app "$name"
  url="$(app_url "$name")/health/ready"
  for i in $(seq 1 "$START_TIMEOUT"); do
    code=$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)
    [ "$code" = 200 ] && { log "$name is ready ($url)"; return 0; }
    app_running "$name" || break
    sleep 1
  done
  printf '[run] ERROR: %s did not become ready; last lines of %s:\n' "$name" "$LOG_DIR/$name.log" >&2
  tail -n "${EMSACHSE_LOG_TAIL:-25}" "$LOG_DIR/$name.log" >&2 || true
  return 1
}

cmd_logs() {
  local name=$1 follow=${2:-}
  known_app "$name" || [ "$name" = rabbitmq ] || [ "$name" = build ] || usage_error "unknown log '$name' (one of: ${APPS[*]} rabbitmq build)"
  [ -z "$follow" ] || [ "$follow" = -f ] || usage_error "logs: unknown option '$follow'"
  [ -f "$LOG_DIR/$name.log" ] || die "no log yet: $LOG_DIR/$name.log"
  if [ "$follow" = -f ]; then exec tail -n 100 -f "$LOG_DIR/$name.log"; fi
  tail -n 100 "$LOG_DIR/$name.log"
}

main() {
  local cmd=${1:-start}
  [ $# -gt 0 ] && shift
  case "$cmd" in
    start|up)
      [ $# -eq 0 ] || usage_error "start takes no arguments"
      cmd_start ;;
    stop|down)
      [ $# -eq 0 ] || usage_error "stop takes no arguments"
      cmd_stop ;;
    restart)
      if [ $# -eq 0 ]; then
        init_dirs; stop_apps; cmd_start
      else
        [ $# -eq 1 ] || usage_error "restart takes at most one name"
        cmd_restart_one "$1"
      fi ;;
    logs)
      [ $# -ge 1 ] && [ $# -le 2 ] || usage_error "logs takes a name and optionally -f"
      cmd_logs "$@" ;;
    status)
      [ $# -eq 0 ] || usage_error "status takes no arguments"
      cmd_status ;;
    token) cmd_token "$@" ;;
    demo-users)
      [ $# -eq 0 ] || usage_error "demo-users takes no arguments"
      cmd_demo_users ;;
    help|-h|--help) usage ;;
    *) usage_error "unknown command '$cmd'" ;;
  esac
}

main "$@"
