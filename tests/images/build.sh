#!/usr/bin/env bash
# Builds the two local Docker images the integration tests use, from Debian bookworm's own packages,
# because the build machines reach the Debian mirror but no image registry:
#
#   emsachse-test/rabbitmq:3.10-bookworm   Debian's rabbitmq-server (3.10.x)
#   emsachse-test/postgres:15-bookworm     Debian's postgresql-15
#
# Each image is built only if its tag does not exist yet (then this script takes ~0 s). The first
# build takes a minute or two: one `debootstrap --variant=minbase` root file system is made, copied
# once per image, the server package is installed into the copy with apt-get in a chroot, an
# entrypoint script is added, and the tree is turned into an image with `docker import`.
#
# The entrypoints behave like the official images as far as Testcontainers' modules need:
#   - RabbitMQ: RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS / RABBITMQ_DEFAULT_VHOST become the
#     default user (guest/guest if unset), which may connect from anywhere (loopback_users = none);
#     the log goes to stdout, so the module's wait for "Server startup complete" works.
#   - PostgreSQL: POSTGRES_USER / POSTGRES_PASSWORD / POSTGRES_DB are applied by initdb on the first
#     start (POSTGRES_HOST_AUTH_METHOD=trust allows an empty password); arguments starting with "-"
#     are passed to postgres (the module adds `-c fsync=off ...`); the server listens on TCP only
#     after initialisation, so the module's `pg_isready --host localhost` probe means "ready".
#
# Needs root, debootstrap and a running Docker engine. Usage: tests/images/build.sh [--force]
set -euo pipefail

RABBITMQ_IMAGE=emsachse-test/rabbitmq:3.10-bookworm
POSTGRES_IMAGE=emsachse-test/postgres:15-bookworm
SUITE=bookworm

log() { printf '[images] %s\n' "$*"; }

force=false
[ "${1:-}" = "--force" ] && force=true

image_exists() { docker image inspect "$1" >/dev/null 2>&1; }

todo=()
for img in "$RABBITMQ_IMAGE" "$POSTGRES_IMAGE"; do
  if ! $force && image_exists "$img"; then
    log "$img exists, not rebuilding"
  else
    todo+=("$img")
  fi
done
[ ${#todo[@]} -eq 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
  echo "tests/images/build.sh: building images needs root (debootstrap, chroot)" >&2
  exit 1
fi
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
fi

started=$SECONDS
MIRROR=$(awk '/^URIs:/{print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
MIRROR=${MIRROR:-http://deb.debian.org/debian}
WORK=$(mktemp -d /var/tmp/emsachse-images.XXXXXX)

# Unmount anything still mounted inside the work folder, then delete it. `--one-file-system` makes
# sure rm never descends into a mount (e.g. a /proc left behind by an interrupted run).
cleanup() {
  local m
  for m in $(awk -v w="$WORK" 'index($2, w) == 1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  rm -rf --one-file-system "$WORK"
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------------
# 1. One minimal Debian root file system, configured like this machine for apt
# ---------------------------------------------------------------------------------------------
BASE=$WORK/base
log "debootstrap --variant=minbase $SUITE from $MIRROR"
if ! debootstrap --variant=minbase "$SUITE" "$BASE" "$MIRROR" >"$WORK/debootstrap.log" 2>&1; then
  tail -n 30 "$WORK/debootstrap.log" >&2
  cp "$WORK/debootstrap.log" /tmp/emsachse-debootstrap.log
  echo "debootstrap failed (full log: /tmp/emsachse-debootstrap.log)" >&2
  exit 1
fi

# The same mirror (incl. the security suite) as this machine.
cp /etc/apt/sources.list.d/debian.sources "$BASE/etc/apt/sources.list.d/"
rm -f "$BASE/etc/apt/sources.list"
# The mirror may serve a snapshot whose Release files are past Valid-Until; honour the host's apt
# settings about that (and nothing else of the host).
cat >"$BASE/etc/apt/apt.conf.d/99emsachse" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Check-Date "false";
APT::Install-Recommends "false";
APT::Install-Suggests "false";
EOF
# Trust the local certificate authorities this machine trusts (copied as files; ca-certificates is
# not part of minbase, and the images only need them if something inside speaks HTTPS).
mkdir -p "$BASE/usr/local/share/ca-certificates"
cp /usr/local/share/ca-certificates/*.crt "$BASE/usr/local/share/ca-certificates/" 2>/dev/null || true
# Smaller images: no documentation, manual pages or translations.
cat >"$BASE/etc/dpkg/dpkg.cfg.d/01-emsachse-nodoc" <<'EOF'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
EOF
# Package maintainer scripts must not try to start services inside the chroot.
printf '#!/bin/sh\nexit 101\n' >"$BASE/usr/sbin/policy-rc.d"
chmod 755 "$BASE/usr/sbin/policy-rc.d"

# Runs a command inside a root file system with /proc mounted and the host's DNS configuration.
in_chroot() {
  local root=$1; shift
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  mount -t proc proc "$root/proc"
  local rc=0
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    LANG=C.UTF-8 HOME=/root "$@" || rc=$?
  umount "$root/proc"
  return $rc
}

log "apt-get update in the base root file system"
in_chroot "$BASE" apt-get update -q >"$WORK/apt-update.log" 2>&1 || { cat "$WORK/apt-update.log" >&2; exit 1; }

# Installs packages into a copy of the base and imports it as an image.
#   build_image TAG ENTRYPOINT-SCRIPT "PACKAGES" [docker import --change ...]
build_image() {
  local tag=$1 entrypoint=$2 packages=$3; shift 3
  local root=$WORK/${tag//[^a-zA-Z0-9]/_}
  local t0=$SECONDS
  cp -a "$BASE" "$root"
  log "$tag: apt-get install $packages"
  if ! in_chroot "$root" apt-get install -y -q $packages >"$root.apt.log" 2>&1; then
    tail -n 40 "$root.apt.log" >&2
    echo "apt-get install failed in the chroot (output above)" >&2
    exit 1
  fi
  if [ -n "${CUSTOMISE:-}" ]; then "$CUSTOMISE" "$root"; fi
  in_chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/*.bin "$root"/var/log/apt/* \
    "$root"/usr/sbin/policy-rc.d "$root"/tmp/* "$root"/etc/resolv.conf
  install -m 755 "$entrypoint" "$root/usr/local/bin/docker-entrypoint.sh"
  log "$tag: docker import"
  tar -C "$root" --numeric-owner -c . | docker import "$@" - "$tag" >/dev/null
  rm -rf --one-file-system "$root"
  log "$tag: built in $((SECONDS - t0)) s ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1/1000000}'))"
}

# ---------------------------------------------------------------------------------------------
# 2. RabbitMQ
# ---------------------------------------------------------------------------------------------
cat >"$WORK/rabbitmq-entrypoint.sh" <<'EOF'
#!/bin/bash
# Entrypoint of emsachse-test/rabbitmq (Debian's rabbitmq-server), see tests/images/build.sh.
set -euo pipefail
if [ $# -eq 0 ] || [ "$1" = rabbitmq-server ]; then
  # Written on every start from the environment, like the official image does. A default user is
  # only created on a node's first start (an empty database), which is every start of a fresh
  # test container.
  cat >/etc/rabbitmq/rabbitmq.conf <<CONF
listeners.tcp.default = 5672
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
CONF
  # The server reads these itself as well; they are not needed any more.
  unset RABBITMQ_DEFAULT_USER RABBITMQ_DEFAULT_PASS RABBITMQ_DEFAULT_VHOST
  chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq
  export HOME=/var/lib/rabbitmq RABBITMQ_LOGS=- RABBITMQ_SASL_LOGS=-
  # Run the server itself (not Debian's su wrapper in /usr/sbin) as the rabbitmq user.
  exec setpriv --reuid=rabbitmq --regid=rabbitmq --init-groups /usr/lib/rabbitmq/bin/rabbitmq-server
fi
exec "$@"
EOF

# ---------------------------------------------------------------------------------------------
# 3. PostgreSQL
# ---------------------------------------------------------------------------------------------
cat >"$WORK/postgres-entrypoint.sh" <<'EOF'
#!/bin/bash
# Entrypoint of emsachse-test/postgres (Debian's postgresql-15), see tests/images/build.sh.
# Named and behaving like the official image's docker-entrypoint.sh for what tests need.
set -euo pipefail
export PGDATA=${PGDATA:-/var/lib/postgresql/data}

# `docker run IMAGE -c fsync=off` means `postgres -c fsync=off`.
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- postgres "$@"; fi
[ "$1" = postgres ] || exec "$@"

# As root: prepare the folders, then run this script again as the postgres user.
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chmod 2777 /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$auth" != trust ]; then
    echo "error: POSTGRES_PASSWORD is not set (set POSTGRES_HOST_AUTH_METHOD=trust to allow that)" >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host="$auth" \
    --encoding=UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  # Password (or trust) from any address, like the official image.
  printf 'host all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
  cat >>"$PGDATA/postgresql.conf" <<CONF
# emsachse-test image defaults (a throwaway test server: durability off)
listen_addresses = '*'
max_connections = 300
shared_buffers = 128MB
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  # Initialise through the Unix socket only, so nothing sees the server on TCP (Testcontainers'
  # `pg_isready --host localhost`) before it is fully set up.
  pg_ctl --silent --wait --options "-c listen_addresses=''" start >/dev/null
  if [ "$db" != postgres ]; then
    psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$user" --dbname postgres \
      --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; . "$f" ;;
      *.sql) echo "running $f"; psql -v ON_ERROR_STOP=1 --no-psqlrc --username "$user" --dbname "$db" -f "$f" ;;
      *) ;;
    esac
  done
  pg_ctl --silent --wait --mode=fast stop >/dev/null
  echo "PostgreSQL init process complete; ready for start up."
fi

# docker stop sends SIGTERM, which is PostgreSQL's "smart" shutdown that waits for every client
# (pooled connections) to leave. docker import cannot set STOPSIGNAL, so translate TERM to INT
# (fast shutdown) here instead of exec'ing postgres.
"$@" &
pid=$!
trap 'kill -INT "$pid" 2>/dev/null || true' TERM INT
while kill -0 "$pid" 2>/dev/null; do wait "$pid" || true; done
wait "$pid"
EOF

for img in "${todo[@]}"; do
  case "$img" in
    "$RABBITMQ_IMAGE")
      build_image "$img" "$WORK/rabbitmq-entrypoint.sh" "rabbitmq-server" \
        -c 'ENV PATH=/usr/lib/rabbitmq/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'ENV LANG=C.UTF-8' \
        -c 'EXPOSE 5672' \
        -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        -c 'CMD ["rabbitmq-server"]'
      ;;
    "$POSTGRES_IMAGE")
      # Debian creates a "15/main" cluster on installation; the entrypoint makes its own in PGDATA.
      drop_main_cluster() { rm -rf "$1"/etc/postgresql/15/main "$1"/var/lib/postgresql/15/main "$1"/var/log/postgresql/*; }
      CUSTOMISE=drop_main_cluster build_image "$img" "$WORK/postgres-entrypoint.sh" "postgresql-15" \
        -c 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        -c 'ENV LANG=C.UTF-8' \
        -c 'ENV PGDATA=/var/lib/postgresql/data' \
        -c 'EXPOSE 5432' \
        -c 'ENTRYPOINT ["docker-entrypoint.sh"]' \
        -c 'CMD ["postgres"]'
      ;;
  esac
done

log "done in $((SECONDS - started)) s"
