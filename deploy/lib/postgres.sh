# shellcheck shell=bash
# PostgreSQL 15 from Debian's packages, cluster 15/main on 127.0.0.1:5432, started with pg_ctlcluster
# (no systemd). Used when EMSACHSE_DB=postgres. Creates the role and the three service databases
# (and identity's) idempotently. Whether this script started the cluster is recorded in <data>/state/postgres.

PG_VERSION=15
PG_CLUSTER=main
PG_PORT=5432
PG_ROLE=emsachse
PG_PASSWORD=emsachse-dev # development default, never used outside a local machine
PG_DATABASES=(emsachse_networks emsachse_members emsachse_funding emsachse_identity)
PG_STATE="$STATE_DIR/postgres"

pg_cluster_field() { # column of `pg_lsclusters -h` for our cluster: 3 port, 4 status, 6 data dir, 7 log
  command -v pg_lsclusters >/dev/null 2>&1 || return 0
  pg_lsclusters -h 2>/dev/null | awk -v v="$PG_VERSION" -v c="$PG_CLUSTER" -v f="$1" '$1 == v && $2 == c { print $f; exit }'
}

pg_online() { case "$(pg_cluster_field 4)" in online*) return 0 ;; *) return 1 ;; esac; }

postgres_ours() { [ -f "$PG_STATE" ]; }

# Each service's pool is capped so that the three together stay below Debian's max_connections (100, three
# of them reserved): at start every consumer takes a connection at once while the re-syncs replay, and without
# the cap the burst hit "remaining connection slots are reserved" and went through retries. A full pool makes
# a caller wait for a connection instead.
PG_POOL_SIZE=${EMSACHSE_PG_POOL_SIZE:-25}
# Identity has no consumers' burst (sign-ins only): 3 x 25 + 10 stays under 97.
PG_IDENTITY_POOL_SIZE=${EMSACHSE_PG_IDENTITY_POOL_SIZE:-10}

postgres_connection_string() { # database [pool size] -> ADO.NET connection string
  printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s;Maximum Pool Size=%s' "$PG_PORT" "$1" "$PG_ROLE" "$PG_PASSWORD" "${2:-$PG_POOL_SIZE}"
}

postgres_start() {
  apt_install "postgresql-$PG_VERSION"
  if [ -z "$(pg_cluster_field 2)" ]; then
    log "creating PostgreSQL cluster $PG_VERSION/$PG_CLUSTER (UTF-8, port $PG_PORT)"
    as_root env LANG=C.UTF-8 LC_ALL=C.UTF-8 pg_createcluster --locale C.UTF-8 --port "$PG_PORT" \
      "$PG_VERSION" "$PG_CLUSTER" >>"$LOG_DIR/postgres-setup.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/postgres-setup.log" >&2; die "pg_createcluster failed"; }
  fi
  local port
  port=$(pg_cluster_field 3)
  [ "$port" = "$PG_PORT" ] || die "PostgreSQL cluster $PG_VERSION/$PG_CLUSTER is configured for port $port, expected $PG_PORT"
  ln -sfn "$(pg_cluster_field 7)" "$LOG_DIR/postgres.log" 2>/dev/null || true
  if pg_online; then
    if postgres_ours; then
      log "PostgreSQL $PG_VERSION/$PG_CLUSTER is running (started earlier by run.sh)"
    else
      log "PostgreSQL $PG_VERSION/$PG_CLUSTER is already running (not started by run.sh, so stop leaves it alone)"
    fi
  else
    rm -f "$PG_STATE"
    if port_open 127.0.0.1 "$PG_PORT"; then
      # Another PostgreSQL (a container, say): fine if the role and the databases are there already.
      if postgres_usable; then
        log "PostgreSQL: another server on 127.0.0.1:$PG_PORT already has role $PG_ROLE and the databases; using it"
        return 0
      fi
      die "port $PG_PORT is taken by another program (without role $PG_ROLE and databases ${PG_DATABASES[*]}), so cluster $PG_VERSION/$PG_CLUSTER cannot start: $(who_listens "$PG_PORT")"
    fi
    log "starting PostgreSQL $PG_VERSION/$PG_CLUSTER (log: $LOG_DIR/postgres.log)"
    # Without systemd nothing creates the socket folder at boot.
    as_root install -d -o postgres -g postgres -m 2775 /var/run/postgresql
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" start </dev/null >>"$LOG_DIR/postgres-setup.log" 2>&1 \
      || { tail -n 20 "$LOG_DIR/postgres-setup.log" "$LOG_DIR/postgres.log" >&2 || true; die "pg_ctlcluster $PG_VERSION $PG_CLUSTER start failed"; }
    printf 'cluster=%s/%s\nstarted=%s\n' "$PG_VERSION" "$PG_CLUSTER" "$(date -Is)" >"$PG_STATE"
    pg_cluster_pid >"$PID_DIR/postgres.pid" || true
  fi
  local i
  for i in $(seq 1 60); do
    pg_isready -q -h 127.0.0.1 -p "$PG_PORT" && break
    [ "$i" -eq 60 ] && die "PostgreSQL does not accept connections on 127.0.0.1:$PG_PORT"
    sleep 0.5
  done
  postgres_provision
}

postgres_usable() { # can the service role reach all three databases on 127.0.0.1?
  local db
  for db in "${PG_DATABASES[@]}"; do
    PGPASSWORD=$PG_PASSWORD PGCONNECT_TIMEOUT=3 psql -X -q -w -h 127.0.0.1 -p "$PG_PORT" -U "$PG_ROLE" -d "$db" \
      -c 'SELECT 1' >/dev/null 2>&1 || return 1
  done
}

pg_cluster_pid() { # the postmaster's pid from its data folder
  local dir
  dir=$(pg_cluster_field 6)
  [ -n "$dir" ] || return 0
  { head -n 1 "$dir/postmaster.pid" || { [ "${SUDO[0]:-}" != __no_root__ ] && "${SUDO[@]}" head -n 1 "$dir/postmaster.pid"; }; } 2>/dev/null || true
}

# Role emsachse (LOGIN CREATEDB, development password) and the three databases; safe to repeat.
postgres_provision() {
  local list
  list=$(printf "'%s'," "${PG_DATABASES[@]}")
  as_user postgres psql -X -q -v ON_ERROR_STOP=1 -p "$PG_PORT" -d postgres >>"$LOG_DIR/postgres-setup.log" 2>&1 <<SQL \
    || { tail -n 20 "$LOG_DIR/postgres-setup.log" >&2; die "creating the PostgreSQL role and databases failed"; }
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = '$PG_ROLE') THEN
    CREATE ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  ELSE
    ALTER ROLE $PG_ROLE LOGIN CREATEDB PASSWORD '$PG_PASSWORD';
  END IF;
END
\$\$;
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L LC_COLLATE %L LC_CTYPE %L TEMPLATE template0',
              d, '$PG_ROLE', 'UTF8', 'C.UTF-8', 'C.UTF-8')
  FROM unnest(ARRAY[${list%,}]) AS d
 WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_database WHERE datname = d)
\gexec
SQL
  log "PostgreSQL: role $PG_ROLE and databases ${PG_DATABASES[*]} are in place"
}

postgres_stop() {
  if ! postgres_ours; then
    pg_online && log "PostgreSQL $PG_VERSION/$PG_CLUSTER was not started by run.sh; leaving it running"
    rm -f "$PID_DIR/postgres.pid"
    return 0
  fi
  if pg_online; then
    log "stopping PostgreSQL $PG_VERSION/$PG_CLUSTER"
    as_root pg_ctlcluster "$PG_VERSION" "$PG_CLUSTER" stop -- -t "$STOP_TIMEOUT" </dev/null >>"$LOG_DIR/postgres-setup.log" 2>&1 \
      || as_root pg_ctlcluster -m immediate "$PG_VERSION" "$PG_CLUSTER" stop </dev/null >>"$LOG_DIR/postgres-setup.log" 2>&1 \
      || warn "pg_ctlcluster stop failed (see $LOG_DIR/postgres-setup.log)"
  fi
  rm -f "$PG_STATE" "$PID_DIR/postgres.pid"
  log "PostgreSQL stopped"
}

postgres_status_line() {
  local state owner pid
  [ -n "$(pg_cluster_field 2)" ] || { printf '%-10s %-8s %-8s %-34s %s\n' postgres "not installed" - - -; return 0; }
  if pg_online; then state=running; pid=$(pg_cluster_pid || true); else state=stopped; pid=; fi
  if postgres_ours; then owner="started by run.sh"; elif [ "$state" = running ]; then owner="not started by run.sh"; else owner=-; fi
  printf '%-10s %-8s %-8s %-34s %s\n' postgres "$state" "${pid:--}" "127.0.0.1:$PG_PORT" "$owner"
}
