# shellcheck shell=bash
# The .NET processes: build once in Release, start in the background, watch, stop.

APPS=(identity networks members funding portal gateway) # start order; stop goes the other way round

app_port() {
  case "$1" in
    gateway) echo 5000 ;; networks) echo 5101 ;; members) echo 5102 ;; funding) echo 5103 ;; identity) echo 5104 ;;
    portal) echo 5105 ;;
  esac
}

# Each service's second endpoint: cleartext HTTP/2, for the gateway only (gateway/appsettings.json points its
# clusters here). Multiplexing the proxied requests over a few connections saves the gateway most of its
# per-request system calls and wake-ups (tests/Benchmarks/gateway).
app_gateway_port() {
  case "$1" in
    networks) echo 5111 ;; members) echo 5112 ;; funding) echo 5113 ;;
  esac
}

app_dll() { # path relative to the repository
  case "$1" in
    gateway)  echo gateway/bin/Release/net10.0/EmsAchse.Gateway.dll ;;
    networks) echo services/Networks/bin/Release/net10.0/EmsAchse.Networks.dll ;;
    members)  echo services/Members/bin/Release/net10.0/EmsAchse.Members.dll ;;
    funding)  echo services/Funding/bin/Release/net10.0/EmsAchse.Funding.dll ;;
    identity) echo services/Identity/bin/Release/net10.0/EmsAchse.Identity.dll ;;
    portal)   echo services/Portal/bin/Release/net10.0/EmsAchse.Portal.dll ;;
  esac
}

# Address the process listens on: services on 127.0.0.1; the gateway on EMSACHSE_BIND if set.
app_bind() { if [ "$1" = gateway ]; then echo "${EMSACHSE_BIND:-127.0.0.1}"; else echo 127.0.0.1; fi; }

app_scheme() { if [ "$1" = gateway ] && gateway_tls; then echo https; else echo http; fi; }

app_url() { # URL to reach it from this machine
  local host
  host=$(app_bind "$1")
  case "$host" in 0.0.0.0|'*'|'+'|'[::]'|'::') host=127.0.0.1 ;; esac
  case "$host" in *:*) [ "${host#[}" = "$host" ] && host="[$host]" ;; esac
  echo "$(app_scheme "$1")://$host:$(app_port "$1")"
}

app_pidfile() { echo "$PID_DIR/$1.pid"; }

# Pid of the app if its pid file names a live dotnet process running its dll; removes stale pid files.
app_pid() {
  local name=$1 pidfile pid cmd
  pidfile=$(app_pidfile "$name")
  pid=$(read_pid "$pidfile")
  [ -n "$pid" ] || { rm -f "$pidfile"; return 1; }
  cmd=$(pid_cmdline "$pid")
  case "$cmd" in
    *dotnet*"$(basename "$(app_dll "$name")")"*) echo "$pid" ;;
    *) rm -f "$pidfile"; return 1 ;;
  esac
}

app_running() { app_pid "$1" >/dev/null; }

running_apps() { local a; for a in "${APPS[@]}"; do app_running "$a" && echo "$a"; done; return 0; }

build_solution() {
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH: install the .NET 10 SDK first"
  local build_log="$LOG_DIR/build.log" start=$SECONDS
  log "building $REPO/EmsAchse.slnx (Release; log: $build_log)"
  # No build servers: nothing of the build keeps running after this script.
  if ! dotnet build "$REPO/EmsAchse.slnx" -c Release -nologo -v quiet --disable-build-servers \
      -clp:NoSummary >"$build_log" 2>&1; then
    printf '[run] build errors:\n' >&2
    if grep -qE ': error [A-Z]+[0-9]+' "$build_log"; then
      { grep -E ': error [A-Z]+[0-9]+' "$build_log" | sed -E 's/^ +//; s/ \[[^]]*\.slnx\]$//' | sort -u | head -n 60; } >&2 || true
    else
      tail -n 40 "$build_log" >&2
    fi
    die "the build failed (full output: $build_log)"
  fi
  log "build done in $((SECONDS - start))s"
}

# Environment of one process (one NAME=value per line).
app_env() {
  local name=$1
  echo "ASPNETCORE_ENVIRONMENT=Development"
  if [ "$name" = portal ]; then
    # The portal owns no data and reads the platform through the gateway only.
    echo "ASPNETCORE_URLS=http://127.0.0.1:$(app_port portal)"
    echo "Portal__GatewayUrl=http://127.0.0.1:$(app_port gateway)/"
    # Sign-in: the browser goes to the public issuer; metadata, keys and tokens are fetched at identity's own address.
    echo "Portal__SignIn__Authority=$(identity_issuer)"
    echo "Portal__SignIn__MetadataAddress=$(app_url identity)/identity/.well-known/openid-configuration"
    echo "Portal__SignIn__ClientSecret=$(portal_client_secret)"
    echo "Portal__SignIn__KeysFolder=$DATA_DIR/portal-keys"
    echo "DOTNET_NOLOGO=1"
    return 0
  fi
  if [ "$name" = identity ]; then
    identity_env
    return
  fi
  # Users' tokens come from identity; its discovery document is read at its own address, not through the gateway.
  echo "Jwt__Authority=$(identity_issuer)"
  echo "Jwt__MetadataAddress=$(app_url identity)/identity/.well-known/openid-configuration"
  echo "Jwt__RequireHttpsMetadata=false"
  if [ "$name" = gateway ]; then
    echo "ASPNETCORE_URLS=$(app_scheme "$name")://$(app_bind "$name"):$(app_port "$name")"
    if gateway_tls; then
      echo "Kestrel__Certificates__Default__Path=$EMSACHSE_TLS_CERT"
      echo "Kestrel__Certificates__Default__KeyPath=$EMSACHSE_TLS_KEY"
    fi
    # Socket completions run on the epoll threads instead of hopping to the thread pool: fewer context switches
    # per proxied request on these 2-core hosts (read from the environment only, hence here).
    echo "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1"
    # The portal runs on loopback and says for which visitor it calls the API (rate limits per visitor).
    echo "TrustedForwarders__Addresses__0=127.0.0.1"
  else
    echo "Kestrel__Endpoints__Http__Url=http://$(app_bind "$name"):$(app_port "$name")"
    echo "Kestrel__Endpoints__Gateway__Url=http://127.0.0.1:$(app_gateway_port "$name")"
    echo "Kestrel__Endpoints__Gateway__Protocols=Http2"
  fi
  echo "RabbitMq__Uri=$RABBITMQ_URI"
  echo "DOTNET_NOLOGO=1"
  secrets_env "$name"
  if [ "$name" != gateway ]; then
    if [ "$DB_ENGINE" = postgres ]; then
      echo "ConnectionStrings__Database=$(postgres_connection_string "emsachse_$name")"
    else
      echo "ConnectionStrings__Database=Data Source=$DATA_DIR/$name.db"
    fi
    echo "Seed__Demo=true"
    if [ "$name" = members ] && [ -n "${DEMO_ORGANIZATIONS:-}" ]; then
      echo "Seed__DemoOrganizations=$DEMO_ORGANIZATIONS"
    fi
  fi
}

# The authority's public address: the gateway's URL plus /identity/ (what tokens name as their issuer).
identity_issuer() { echo "$(app_url gateway)/identity/"; }

identity_admin_file() { echo "$DATA_DIR/identity-initial-admin.txt"; }

identity_demo_users_file() { echo "$DATA_DIR/identity-demo-users.txt"; }

# The portal's client secret: generated once, kept in the state folder (readable by the owner only).
portal_client_secret() {
  local file="$STATE_DIR/portal-client-secret"
  if [ ! -s "$file" ]; then
    (umask 077; openssl rand -hex 32 >"$file")
  fi
  cat "$file"
}

identity_env() {
  echo "ASPNETCORE_ENVIRONMENT=Development"
  # HTTP/1.1 only: the gateway's identity cluster speaks it (pages, forms, redirects).
  echo "Kestrel__Endpoints__Http__Url=http://127.0.0.1:$(app_port identity)"
  echo "DOTNET_NOLOGO=1"
  if [ "$DB_ENGINE" = postgres ]; then
    echo "ConnectionStrings__Database=$(postgres_connection_string emsachse_identity "$PG_IDENTITY_POOL_SIZE")"
  else
    echo "ConnectionStrings__Database=Data Source=$DATA_DIR/identity.db"
  fi
  echo "Identity__Issuer=$(identity_issuer)"
  echo "Identity__KeysFolder=$DATA_DIR/identity-keys"
  echo "Identity__InitialAdmin__PasswordFile=$(identity_admin_file)"
  echo "Identity__MailFolder=$DATA_DIR/mail"
  echo "Identity__DemoUsersFile=$(identity_demo_users_file)"
  echo "RabbitMq__Uri=$RABBITMQ_URI"
  echo "Seed__Demo=true"
  echo "Identity__Portal__ClientSecret=$(portal_client_secret)"
  echo "Identity__Portal__RedirectUris__0=$(app_url gateway)/signin-oidc"
  echo "Identity__Portal__PostLogoutRedirectUris__0=$(app_url gateway)/signout-callback-oidc"
}

# Waits until one app's own /health/ready answers 200 (identity before the others: they read its keys).
wait_app_ready() {
  local name=$1 url start=$SECONDS
  url="$(app_url "$name")/health/ready"
  log "waiting for $url"
  until [ "$(curl -sS -o /dev/null -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)" = 200 ]; do
    if ! app_running "$name" || [ $((SECONDS - start)) -ge "$START_TIMEOUT" ]; then
      printf '[run] ERROR: %s did not become ready; last lines of %s:\n' "$name" "$LOG_DIR/$name.log" >&2
      tail -n "${EMSACHSE_LOG_TAIL:-25}" "$LOG_DIR/$name.log" >&2 || true
      return 1
    fi
    sleep 0.5
  done
  log "$name ready after $((SECONDS - start))s"
}

start_app() {
  local name=$1 dll dir log_file pidfile port pid i envs=()
  dll="$REPO/$(app_dll "$name")"
  [ -f "$dll" ] || die "$dll is missing after the build"
  dir=$(dirname "$dll")
  log_file="$LOG_DIR/$name.log"
  pidfile=$(app_pidfile "$name")
  port=$(app_port "$name")
  rotate_log "$log_file"
  rm -f "$pidfile"
  mapfile -t envs < <(app_env "$name")
  # Started from its output folder (the content root, where appsettings*.json are), in its own session
  # so that a closing terminal or Ctrl-C in it does not reach it. The inner bash writes its own pid and
  # then becomes dotnet, so the recorded pid is the dotnet process.
  (
    cd "$dir" || exit 1
    exec env "${envs[@]}" setsid nohup bash -c 'echo $$ >"$0"; exec dotnet "$1"' "$pidfile" "$dll"
  ) </dev/null >>"$log_file" 2>&1 &
  disown "$!" 2>/dev/null || true # no "Aborted ..." job notice from this shell if it dies
  for i in $(seq 1 50); do
    pid=$(read_pid "$pidfile")
    [ -n "$pid" ] && break
    sleep 0.1
  done
  [ -n "$pid" ] || die "$name did not start (log: $log_file)"
  log "started $name (pid $pid, $(app_url "$name"), log: $log_file)"
}

# Stops the apps this script started (by recorded pid): SIGTERM, up to STOP_TIMEOUT s, then SIGKILL.
stop_apps() {
  local pids=() names=() i name pid
  for (( i=${#APPS[@]}-1; i>=0; i-- )); do
    name=${APPS[$i]}
    if pid=$(app_pid "$name"); then pids+=("$pid"); names+=("$name"); fi
  done
  if [ ${#pids[@]} -eq 0 ]; then
    log "no platform process of run.sh is running"
  else
    log "stopping ${names[*]} (pids ${pids[*]})"
    terminate_pids "${pids[@]}"
  fi
  for name in "${APPS[@]}"; do rm -f "$(app_pidfile "$name")"; done
}

# Stops one app this script started: SIGTERM, up to STOP_TIMEOUT s, then SIGKILL.
stop_app() {
  local name=$1 pid
  if pid=$(app_pid "$name"); then
    log "stopping $name (pid $pid)"
    terminate_pids "$pid"
  else
    log "$name was not running"
  fi
  rm -f "$(app_pidfile "$name")"
}

check_ports_free() {
  local name port
  for name in "${APPS[@]}"; do
    for port in $(app_port "$name") $(app_gateway_port "$name"); do
      if port_open 127.0.0.1 "$port"; then
        die "port $port (for $name) is already in use by another program: $(who_listens "$port")"
      fi
    done
  done
}

# Waits for GET /health/ready on the gateway to answer 200. On failure prints which process died and
# the end of every log, then returns 1.
wait_ready() {
  local url start=$SECONDS code body died=() name healthy=0 needed=${EMSACHSE_READY_CHECKS:-3}
  url="$(app_url gateway)/health/ready"
  body=$(mktemp)
  log "waiting for $url (up to ${START_TIMEOUT}s)"
  while :; do
    # --insecure: the certificate names the public host, this poll asks the local address of our own process.
    code=$(curl -sS --insecure -o "$body" -w '%{http_code}' --max-time 5 "$url" 2>/dev/null || true)
    # Ready means ready for a moment, not one lucky answer while the services are still warming up.
    if [ "$code" = 200 ]; then healthy=$((healthy + 1)); else healthy=0; fi
    if [ "$healthy" -ge "$needed" ]; then
      rm -f "$body"
      log "ready after $((SECONDS - start))s ($needed answers 200 in a row)"
      return 0
    fi
    died=()
    for name in "${APPS[@]}"; do app_running "$name" || died+=("$name"); done
    if [ ${#died[@]} -gt 0 ] || [ $((SECONDS - start)) -ge "$START_TIMEOUT" ]; then
      break
    fi
    sleep 1
  done
  if [ ${#died[@]} -gt 0 ]; then
    printf '[run] ERROR: process(es) exited during start-up: %s\n' "${died[*]}" >&2
  else
    printf '[run] ERROR: %s did not answer 200 within %ss (last answer: %s)\n' "$url" "$START_TIMEOUT" "$( [ "${code:-000}" = 000 ] && echo none || echo "$code")" >&2
    [ -s "$body" ] && { head -c 2000 "$body"; echo; } >&2
  fi
  rm -f "$body"
  for name in "${APPS[@]}"; do
    if app_running "$name"; then
      printf '\n[run] ---- %s (running) — last lines of %s ----\n' "$name" "$LOG_DIR/$name.log" >&2
    else
      printf '\n[run] ---- %s (DIED) — last lines of %s ----\n' "$name" "$LOG_DIR/$name.log" >&2
    fi
    tail -n "${EMSACHSE_LOG_TAIL:-25}" "$LOG_DIR/$name.log" >&2 || true
  done
  echo >&2
  return 1
}
