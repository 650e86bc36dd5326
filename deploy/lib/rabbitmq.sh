# shellcheck shell=bash
# RabbitMQ from Debian's rabbitmq-server package, started without systemd.
#
# The broker runs as the package's `rabbitmq` user with its data in /var/lib/rabbitmq (the package sets
# those folders up with the right owner); its log goes to <data>/logs/rabbitmq.log (RABBITMQ_LOGS=-
# sends it to standard output, which this script redirects). It listens on 127.0.0.1:5672 only, and the
# default guest user may connect from there. The fact that this script started it is recorded in
# <data>/state/rabbitmq (with the Erlang node name), so that `stop` stops only a broker of its own.

RABBITMQ_HOST=127.0.0.1
RABBITMQ_PORT=5672
RABBITMQ_URI="amqp://guest:guest@${RABBITMQ_HOST}:${RABBITMQ_PORT}/"
RABBITMQ_STATE="$STATE_DIR/rabbitmq"
RABBITMQ_START_TIMEOUT=${EMSACHSE_RABBITMQ_TIMEOUT:-120}

rabbitmq_running() { port_open "$RABBITMQ_HOST" "$RABBITMQ_PORT"; }

rabbitmq_ours() { [ -f "$RABBITMQ_STATE" ]; }

# The Erlang node name: rabbit@<short host name> when that name resolves, rabbit@localhost otherwise
# (a container or VM whose host name is in no hosts file would keep the node from starting).
rabbitmq_nodename() {
  local host
  host=$(hostname -s 2>/dev/null || hostname 2>/dev/null || true)
  if [ -n "$host" ] && getent hosts "$host" >/dev/null 2>&1; then
    printf 'rabbit@%s' "$host"
  else
    printf 'rabbit@localhost'
  fi
}

rabbitmq_state_get() { # key -> value from the state file
  [ -f "$RABBITMQ_STATE" ] && sed -n "s/^$1=//p" "$RABBITMQ_STATE" | head -n 1
  return 0
}

rabbitmq_ctl() { # rabbitmqctl for the node this script started
  local node
  node=$(rabbitmq_state_get node)
  as_root env ${node:+RABBITMQ_NODENAME="$node"} rabbitmqctl "$@"
}

# Starts the broker unless something already answers on 5672; does not wait for it (see rabbitmq_wait).
rabbitmq_launch() {
  if rabbitmq_running; then
    if rabbitmq_ours; then
      log "RabbitMQ is running (started earlier by run.sh)"
    else
      log "RabbitMQ: something already listens on ${RABBITMQ_HOST}:${RABBITMQ_PORT}; using it (not started by run.sh, so stop leaves it alone)"
    fi
    return 0
  fi
  rm -f "$RABBITMQ_STATE"
  apt_install rabbitmq-server
  local node epmd_before pid log_file="$LOG_DIR/rabbitmq.log"
  node=$(rabbitmq_nodename)
  epmd_before=$(pgrep -x -P 1 -u rabbitmq epmd 2>/dev/null | tr '\n' ' ' || true)
  need_root "start rabbitmq-server"
  rotate_log "$log_file"
  log "starting RabbitMQ (node $node, log: $log_file)"
  # setsid: own session, no terminal; the wrapper /usr/sbin/rabbitmq-server switches to the rabbitmq user.
  (
    cd /
    exec setsid "${SUDO[@]}" env RABBITMQ_NODENAME="$node" RABBITMQ_LOGS=- \
      RABBITMQ_NODE_IP_ADDRESS="$RABBITMQ_HOST" RABBITMQ_NODE_PORT="$RABBITMQ_PORT" \
      /usr/sbin/rabbitmq-server
  ) </dev/null >>"$log_file" 2>&1 &
  pid=$!
  disown "$pid" 2>/dev/null || true
  printf '%s\n' "$pid" >"$PID_DIR/rabbitmq.pid"
  {
    printf 'node=%s\n' "$node"
    printf 'pid=%s\n' "$pid"
    printf 'epmd_before=%s\n' "$epmd_before"
    printf 'started=%s\n' "$(date -Is)"
  } >"$RABBITMQ_STATE"
}

# Waits until the broker accepts connections on 5672.
rabbitmq_wait() {
  local start=$SECONDS pid
  pid=$(rabbitmq_state_get pid)
  while ! rabbitmq_running; do
    if rabbitmq_ours && [ -n "$pid" ] && ! pid_alive "$pid"; then
      tail -n 40 "$LOG_DIR/rabbitmq.log" >&2 || true
      rm -f "$RABBITMQ_STATE" "$PID_DIR/rabbitmq.pid"
      die "RabbitMQ exited during start-up (log above: $LOG_DIR/rabbitmq.log)"
    fi
    if [ $((SECONDS - start)) -ge "$RABBITMQ_START_TIMEOUT" ]; then
      tail -n 40 "$LOG_DIR/rabbitmq.log" >&2 || true
      die "RabbitMQ did not accept connections on ${RABBITMQ_HOST}:${RABBITMQ_PORT} within ${RABBITMQ_START_TIMEOUT}s"
    fi
    sleep 0.5
  done
  rabbitmq_record_processes
  log "RabbitMQ accepts connections on ${RABBITMQ_HOST}:${RABBITMQ_PORT} (after $((SECONDS - start))s of waiting)"
}

# Records the broker's own processes in the state file (once): the Erlang VM below the wrapper, and the
# port mapper daemons (epmd) that were not there before the start, so that stop ends them too.
rabbitmq_record_processes() {
  rabbitmq_ours || return 0
  local pid
  pid=$(rabbitmq_state_get pid)
  if [ -z "$(rabbitmq_state_get epmd)" ]; then
    # Erlang starts its port mapper daemon (epmd) for the node; remember the ones that were not there
    # before, so that stop ends them too. (-P 1: a daemon of this machine; an epmd inside a container
    # has the container's init as its parent.)
    local p new=
    for p in $(pgrep -x -P 1 -u rabbitmq epmd 2>/dev/null || true); do
      case " $(rabbitmq_state_get epmd_before) " in *" $p "*) ;; *) new+="$p " ;; esac
    done
    [ -n "$new" ] && printf 'epmd=%s\n' "${new% }" >>"$RABBITMQ_STATE"
  fi
  if [ -z "$(rabbitmq_state_get beam)" ]; then
    # The Erlang VM below the wrapper (sh -> su -> sh -> beam.smp): the process that must be gone after stop.
    local beam
    beam=$(descendants "$pid" | while read -r p; do
      if [ "$(cat "/proc/$p/comm" 2>/dev/null)" = beam.smp ]; then echo "$p"; fi; done | head -n 1 || true)
    [ -n "$beam" ] && printf 'beam=%s\n' "$beam" >>"$RABBITMQ_STATE"
  fi
  return 0
}

# Stops the broker if (and only if) this script started it.
rabbitmq_stop() {
  if ! rabbitmq_ours; then
    rabbitmq_running && log "RabbitMQ on ${RABBITMQ_PORT} was not started by run.sh; leaving it running"
    rm -f "$PID_DIR/rabbitmq.pid"
    return 0
  fi
  rabbitmq_record_processes
  local pid epmd
  pid=$(rabbitmq_state_get pid)
  epmd=$(rabbitmq_state_get epmd)
  if rabbitmq_running || pid_alive "$pid"; then
    log "stopping RabbitMQ (node $(rabbitmq_state_get node))"
    # shutdown = stop the node and wait until its OS process has exited.
    if ! rabbitmq_ctl shutdown >>"$LOG_DIR/rabbitmq.log" 2>&1; then
      warn "rabbitmqctl shutdown failed; terminating the broker's processes"
    fi
    if pid_alive "$pid"; then
      # The wrapper (sh -> su -> sh -> beam) ends once the node has; give it the usual grace period.
      terminate_pids "$pid"
    fi
    local beam
    beam=$(rabbitmq_state_get beam)
    if [ -n "$beam" ] && pid_alive "$beam" && [ "$(cat "/proc/$beam/comm" 2>/dev/null)" = beam.smp ]; then
      warn "the RabbitMQ node (pid $beam) still runs; terminating it"
      terminate_pids "$beam"
    fi
  fi
  if [ -n "$epmd" ]; then
    # The port mapper started with our node: ask it to quit (it does once no node is registered), then
    # make sure by pid.
    as_root epmd -kill >/dev/null 2>&1 || true
    local p left=()
    for p in $epmd; do
      if pid_alive "$p" && [ "$(cat "/proc/$p/comm" 2>/dev/null)" = epmd ]; then left+=("$p"); fi
    done
    TERMINATE_TIMEOUT=5 terminate_pids "${left[@]}"
  fi
  rm -f "$RABBITMQ_STATE" "$PID_DIR/rabbitmq.pid"
  log "RabbitMQ stopped"
}

rabbitmq_status_line() {
  local state pid owner
  pid=$(rabbitmq_state_get pid)
  if rabbitmq_running; then state=running; else state=stopped; fi
  if rabbitmq_ours; then owner="started by run.sh, node $(rabbitmq_state_get node)"; else owner="not started by run.sh"; fi
  [ "$state" = stopped ] && ! rabbitmq_ours && owner="-"
  printf '%-10s %-8s %-8s %-34s %s\n' rabbitmq "$state" "${pid:--}" "$RABBITMQ_URI" "$owner"
}
