# shellcheck shell=bash
# Shared helpers for deploy/run.sh: messages, privilege escalation, Debian packages, processes, ports.

log()  { printf '[run] %s\n' "$*"; }
warn() { printf '[run] WARNING: %s\n' "$*" >&2; }
die()  { printf '[run] ERROR: %s\n' "$*" >&2; exit 1; }

# Root commands run directly as root, through sudo otherwise (if there is one).
if [ "$(id -u)" -eq 0 ]; then
  SUDO=()
elif command -v sudo >/dev/null 2>&1; then
  SUDO=(sudo)
else
  SUDO=(__no_root__)
fi

need_root() {
  [ "${SUDO[0]:-}" != __no_root__ ] || die "this step needs root ($*): run as root or install sudo"
}

as_root() {
  need_root "$*"
  "${SUDO[@]}" "$@"
}

# Runs a command as another system user (postgres, ...), from a folder every user can read.
as_user() {
  local user=$1; shift
  need_root "as $user: $*"
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && runuser -u "$user" -- "$@")
  else
    (cd / && sudo -u "$user" -- "$@")
  fi
}

# --- Debian packages -----------------------------------------------------------------------------

pkg_installed() {
  [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]
}

POLICY_RC_D=/usr/sbin/policy-rc.d
POLICY_RC_D_OURS=
cleanup_policy_rc_d() {
  if [ -n "$POLICY_RC_D_OURS" ]; then
    as_root rm -f "$POLICY_RC_D" || true
    POLICY_RC_D_OURS=
  fi
}

# Installs the named Debian packages that are missing. Services are not started by the packages'
# maintainer scripts (there is no systemd; a policy-rc.d answering 101 tells invoke-rc.d to leave them
# alone); this script starts what it needs itself.
apt_install() {
  local missing=() pkg candidate need_update=
  for pkg in "$@"; do pkg_installed "$pkg" || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  command -v apt-get >/dev/null 2>&1 || die "missing packages (${missing[*]}) and no apt-get to install them"
  need_root "apt-get install ${missing[*]}"
  for pkg in "${missing[@]}"; do
    candidate=$(apt-cache policy "$pkg" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
    if [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; then need_update=1; fi
  done
  local apt_log="$LOG_DIR/apt.log" apt_opts=(-o DPkg::Lock::Timeout=600 -q)
  if [ -n "$need_update" ]; then
    log "apt-get update (package lists do not know ${missing[*]} yet)"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update >>"$apt_log" 2>&1 \
      || { tail -n 20 "$apt_log" >&2; die "apt-get update failed (see $apt_log)"; }
  fi
  if [ ! -e "$POLICY_RC_D" ]; then
    as_root sh -c "printf '#!/bin/sh\n# deploy/run.sh: keep package scripts from starting services\nexit 101\n' >'$POLICY_RC_D' && chmod 755 '$POLICY_RC_D'"
    POLICY_RC_D_OURS=1
  fi
  log "installing ${missing[*]} from Debian's packages (log: $apt_log)"
  local rc=0
  # C.UTF-8 so that a database cluster created by a package gets UTF-8 encoding.
  as_root env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    dpkg --configure --pending >>"$apt_log" 2>&1 || true
  as_root env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
    apt-get "${apt_opts[@]}" -y --no-install-recommends install "${missing[@]}" >>"$apt_log" 2>&1 || rc=$?
  if [ "$rc" -ne 0 ] && [ -z "$need_update" ]; then
    log "apt-get install failed; refreshing the package lists (apt-get update) and trying once more"
    rc=0
    as_root env DEBIAN_FRONTEND=noninteractive apt-get "${apt_opts[@]}" update >>"$apt_log" 2>&1 || rc=$?
    [ "$rc" -ne 0 ] || as_root env DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 LC_ALL=C.UTF-8 \
      apt-get "${apt_opts[@]}" -y --no-install-recommends install "${missing[@]}" >>"$apt_log" 2>&1 || rc=$?
  fi
  cleanup_policy_rc_d
  if [ "$rc" -ne 0 ]; then
    tail -n 30 "$apt_log" >&2
    die "apt-get install ${missing[*]} failed (exit $rc; see $apt_log)"
  fi
  for pkg in "${missing[@]}"; do
    pkg_installed "$pkg" || die "package $pkg is not fully installed after apt-get (see $apt_log)"
  done
}

# --- processes and ports ---------------------------------------------------------------------------

# True if the process exists and is not a zombie (an exited child nobody has reaped yet).
pid_alive() {
  local stat
  [ -n "${1:-}" ] && stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  stat=${stat##*) }
  [ "${stat%% *}" != Z ]
}

# The command line of a process, arguments separated by spaces ("" if it is gone).
pid_cmdline() { { tr '\0' ' ' <"/proc/$1/cmdline"; } 2>/dev/null || true; }

read_pid() { # pid file -> pid on stdout (nothing if missing or garbage)
  local pid=
  [ -f "$1" ] && read -r pid <"$1" 2>/dev/null || true
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  printf '%s' "$pid"
}

descendants() { # pid -> all its descendants' pids, one a line
  ps -e -o pid=,ppid= | awk -v root="$1" '
    { parent[$1] = $2 }
    END { for (p in parent) { q = p; while (q in parent && q != root && q > 1) q = parent[q]; if (q == root && p != root) print p } }'
}

port_open() { # host port -> 0 if something accepts TCP connections there
  timeout 2 bash -c 'exec 3<>"/dev/tcp/$0/$1"' "$1" "$2" 2>/dev/null
}

who_listens() { # port -> a line describing the listener, if ss can tell
  command -v ss >/dev/null 2>&1 || return 0
  ss -Hltnp "sport = :$1" 2>/dev/null | head -n 1
}

# Sends a signal to a pid, through sudo when it belongs to another user (rabbitmq, postgres).
signal_pid() {
  kill "-$1" "$2" 2>/dev/null && return 0
  [ "${SUDO[0]:-}" = __no_root__ ] && return 0
  "${SUDO[@]}" kill "-$1" "$2" 2>/dev/null || true
}

# Sends SIGTERM to the given pids, waits up to ${2} (default $STOP_TIMEOUT) seconds, then SIGKILLs what
# is left. Usage: terminate_pids PIDS... (or TERMINATE_TIMEOUT=5 terminate_pids PIDS...)
terminate_pids() {
  local pid left timeout=${TERMINATE_TIMEOUT:-$STOP_TIMEOUT} waited=0
  [ $# -eq 0 ] && return 0
  for pid in "$@"; do signal_pid TERM "$pid"; done
  while :; do
    left=()
    for pid in "$@"; do if pid_alive "$pid"; then left+=("$pid"); fi; done
    [ ${#left[@]} -eq 0 ] && return 0
    if [ "$waited" -ge "$((timeout * 10))" ]; then
      warn "still running after ${timeout}s, sending SIGKILL to ${left[*]}"
      for pid in "${left[@]}"; do signal_pid KILL "$pid"; done
      sleep 0.5
      return 0
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

# Keeps the previous log of a process as <name>.log.1 and starts an empty one.
rotate_log() {
  [ -s "$1" ] && mv -f "$1" "$1.1"
  : >"$1"
}
