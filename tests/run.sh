#!/usr/bin/env bash
# THE test command: builds the solution once and runs every test project (tests/**/*.Tests.csproj).
#
#   bash tests/run.sh                      # everything
#   bash tests/run.sh --filter 'FullyQualifiedName~Members'   # passed through to `dotnet test`
#   bash tests/run.sh Members              # shorthand for --filter Members
#
# Integration tests need a RabbitMQ broker and a PostgreSQL server:
#   - if EMSACHSE_TEST_RABBITMQ (AMQP URI) and EMSACHSE_TEST_POSTGRES (connection string) are both
#     set, those existing servers are used and Docker is not touched;
#   - otherwise the tests start throwaway containers with Testcontainers. This script makes sure a
#     Docker engine answers (installs Debian's docker.io and starts dockerd if needed; the dockerd it
#     starts keeps running), builds the images locally from Debian packages (tests/images/build.sh;
#     no image registry is needed) and removes leftover test containers at the end.
#
# The last line printed is always the summary `N passed, N failed` (`, N skipped` if any).
# Exit status: non-zero if the build failed, a test failed, a project did not run, or no test ran.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[tests] %s\n' "$*"; }

# Arguments go to `dotnet test`; a lone expression without a leading "-" is a --filter.
test_args=("$@")
if [ $# -eq 1 ] && [ "${1#-}" = "$1" ]; then
  test_args=(--filter "$1")
fi

summary() { # passed failed skipped
  local line="$1 passed, $2 failed"
  [ "$3" -gt 0 ] && line="$line, $3 skipped"
  echo "$line"
}

# One run at a time on this machine: two runs would compete for two cores and could both try to
# build the images.
exec 9>/tmp/emsachse-tests.lock
if ! flock -n 9; then
  log "another tests/run.sh is running; waiting for it to finish"
  flock 9
fi

# ---------------------------------------------------------------------------------------------
# Services: existing servers, or Docker + locally built images
# ---------------------------------------------------------------------------------------------
use_docker=true
if [ -n "${EMSACHSE_TEST_RABBITMQ:-}" ] && [ -n "${EMSACHSE_TEST_POSTGRES:-}" ]; then
  use_docker=false
  log "services: existing servers from EMSACHSE_TEST_RABBITMQ and EMSACHSE_TEST_POSTGRES (Docker not used)"
fi

# Test containers are removed by the fixtures; this catches leftovers (a crashed or aborted test
# process). It removes only containers of this run's Testcontainers sessions (TestSupport records
# them in $EMSACHSE_TEST_SESSIONS_FILE) plus stopped Testcontainers containers, never the running
# containers of someone else's concurrent `dotnet test`.
remove_test_containers() {
  local ids="" session
  if [ -s "${EMSACHSE_TEST_SESSIONS_FILE:-}" ]; then
    for session in $(sort -u "$EMSACHSE_TEST_SESSIONS_FILE"); do
      ids="$ids $(docker ps -aq --filter label=org.testcontainers=true --filter "label=org.testcontainers.session-id=$session" 2>/dev/null || true)"
    done
  fi
  ids="$ids $(docker ps -aq --filter label=org.testcontainers=true --filter status=exited --filter status=dead 2>/dev/null || true)"
  ids=$(echo $ids)
  if [ -n "$ids" ]; then
    docker rm -f $ids >/dev/null 2>&1 || true
  fi
  rm -f "${EMSACHSE_TEST_SESSIONS_FILE:-}"
  return 0
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then
    return 0
  fi
  if [ "$(id -u)" != 0 ]; then
    echo "tests/run.sh: no Docker engine answers and starting one needs root (or set EMSACHSE_TEST_RABBITMQ and EMSACHSE_TEST_POSTGRES)" >&2
    return 1
  fi
  if ! command -v dockerd >/dev/null; then
    log "installing Debian's docker.io with apt-get (waits for the apt lock if busy)"
    local apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
    if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install docker.io >/tmp/emsachse-apt-docker.log 2>&1; then
      "${apt[@]}" update >>/tmp/emsachse-apt-docker.log 2>&1
      DEBIAN_FRONTEND=noninteractive "${apt[@]}" install docker.io >>/tmp/emsachse-apt-docker.log 2>&1 \
        || { tail -n 20 /tmp/emsachse-apt-docker.log >&2; return 1; }
    fi
  fi
  if ! docker info >/dev/null 2>&1; then
    # No systemd here: run dockerd detached (own session, so Ctrl-C on this script does not stop
    # it); it keeps running for later runs.
    log "starting dockerd in the background (log: /var/log/emsachse-dockerd.log, pid: /run/emsachse-dockerd.pid)"
    # 9>&- : the engine outlives this run and must not inherit (and so hold) the run lock.
    setsid nohup dockerd >/var/log/emsachse-dockerd.log 2>&1 </dev/null 9>&- &
    echo $! >/run/emsachse-dockerd.pid
    local i
    for i in $(seq 1 30); do
      docker info >/dev/null 2>&1 && break
      sleep 1
    done
    if ! docker info >/dev/null 2>&1; then
      echo "tests/run.sh: dockerd did not answer within 30 s; last lines of /var/log/emsachse-dockerd.log:" >&2
      tail -n 20 /var/log/emsachse-dockerd.log >&2 || true
      return 1
    fi
  fi
}

if $use_docker; then
  ensure_docker || { summary 0 0 0; exit 1; }

  # Testcontainers 4.x talks Docker API 1.44 unless told otherwise; Debian 12's docker.io (20.10)
  # speaks at most 1.41 and rejects newer clients. Pin the client to the engine's version then.
  api=$(docker version --format '{{.Server.APIVersion}}')
  if [ -z "${DOCKER_API_VERSION:-}" ] && [ "$(printf '%s\n1.44\n' "$api" | sort -V | head -n1)" != 1.44 ]; then
    export DOCKER_API_VERSION=$api
  fi

  bash tests/images/build.sh || { log "building the test images failed"; summary 0 0 0; exit 1; }
  export EMSACHSE_TEST_RABBITMQ_IMAGE=emsachse-test/rabbitmq:3.10-bookworm
  export EMSACHSE_TEST_POSTGRES_IMAGE=emsachse-test/postgres:15-bookworm
  # Containers are removed by the fixtures' DisposeAsync and by the clean-up below, not by Ryuk
  # (whose image could not be pulled here anyway).
  export TESTCONTAINERS_RYUK_DISABLED=true
  EMSACHSE_TEST_SESSIONS_FILE=$(mktemp /tmp/emsachse-test-sessions.XXXXXX)
  export EMSACHSE_TEST_SESSIONS_FILE
  trap remove_test_containers EXIT

  existing=""
  [ -n "${EMSACHSE_TEST_RABBITMQ:-}" ] && existing="$existing RabbitMQ from EMSACHSE_TEST_RABBITMQ;"
  [ -n "${EMSACHSE_TEST_POSTGRES:-}" ] && existing="$existing PostgreSQL from EMSACHSE_TEST_POSTGRES;"
  log "services: throwaway containers (Docker $(docker version --format '{{.Server.Version}}'), API ${DOCKER_API_VERSION:-$api})" \
    "from $EMSACHSE_TEST_RABBITMQ_IMAGE and $EMSACHSE_TEST_POSTGRES_IMAGE${existing:+; existing:$existing}"
fi

# The portal's browser tests drive Debian's chromium (Playwright cannot download a browser here).
if [ ! -x /usr/bin/chromium ] && [ "$(id -u)" = 0 ]; then
  log "installing Debian's chromium with apt-get (for the portal's browser tests)"
  apt=(apt-get -o DPkg::Lock::Timeout=600 -y -q)
  if ! DEBIAN_FRONTEND=noninteractive "${apt[@]}" install chromium >/tmp/emsachse-apt-chromium.log 2>&1; then
    "${apt[@]}" update >>/tmp/emsachse-apt-chromium.log 2>&1
    DEBIAN_FRONTEND=noninteractive "${apt[@]}" install chromium >>/tmp/emsachse-apt-chromium.log 2>&1 \
      || { tail -n 20 /tmp/emsachse-apt-chromium.log >&2; log "chromium could not be installed; the portal's browser tests will fail"; }
  fi
fi

# ---------------------------------------------------------------------------------------------
# Build once
# ---------------------------------------------------------------------------------------------
mapfile -t projects < <(find tests -name '*.Tests.csproj' -not -path '*/bin/*' -not -path '*/obj/*' | LC_ALL=C sort)
if [ ${#projects[@]} -eq 0 ]; then
  log "no test projects (tests/**/*.Tests.csproj) found"
  summary 0 0 0
  exit 1
fi

t0=$SECONDS
log "dotnet build EmsAchse.slnx -c Release"
if ! dotnet build EmsAchse.slnx -c Release -nologo -v:q -clp:NoSummary; then
  log "BUILD FAILED (EmsAchse.slnx)"
  summary 0 0 0
  exit 1
fi
# A test project that is not (yet) in the solution is built on its own, so that it still runs.
for proj in "${projects[@]}"; do
  if ! grep -qF "\"$proj\"" EmsAchse.slnx; then
    log "$proj is not in EmsAchse.slnx; building it separately"
    dotnet build "$proj" -c Release -nologo -v:q -clp:NoSummary || { log "BUILD FAILED ($proj)"; summary 0 0 0; exit 1; }
  fi
done
log "build succeeded in $((SECONDS - t0)) s"

# ---------------------------------------------------------------------------------------------
# Run each test project, one at a time
# ---------------------------------------------------------------------------------------------
RESULTS=$ROOT/tests/TestResults
rm -rf "$RESULTS"
mkdir -p "$RESULTS"

# Prints attribute $2 of the <Counters .../> element of the .trx file $1.
counter() {
  local value
  value=$(grep -o "<Counters [^>]*" "$1" | grep -o " $2=\"[0-9]*\"" | tr -dc '0-9' || true)
  echo "${value:-0}"
}

total_passed=0 total_failed=0 total_skipped=0 broken=0
report=()
for proj in "${projects[@]}"; do
  name=$(basename "$proj" .csproj)
  trx=$RESULTS/$name.trx
  log "dotnet test $proj${test_args[*]:+ ${test_args[*]}}"
  t0=$SECONDS
  rc=0
  dotnet test "$proj" -c Release --no-build --nologo \
    --logger "trx;LogFileName=$trx" --results-directory "$RESULTS" "${test_args[@]}" || rc=$?
  secs=$((SECONDS - t0))

  if [ ! -f "$trx" ]; then
    broken=$((broken + 1))
    report+=("$name: DID NOT RUN (dotnet test exit code $rc, no results) in ${secs} s")
    continue
  fi
  passed=$(counter "$trx" passed)
  failed=$(( $(counter "$trx" failed) + $(counter "$trx" error) + $(counter "$trx" timeout) + $(counter "$trx" aborted) ))
  skipped=$(counter "$trx" notExecuted)
  total_passed=$((total_passed + passed))
  total_failed=$((total_failed + failed))
  total_skipped=$((total_skipped + skipped))
  line="$name: $passed passed, $failed failed, $skipped skipped in ${secs} s"
  if [ "$rc" != 0 ] && [ "$failed" = 0 ]; then
    # e.g. the test host crashed or a collection fixture failed outside any test
    broken=$((broken + 1))
    line="$line (dotnet test exit code $rc)"
  fi
  report+=("$line")
done

echo
log "results (.trx files in tests/TestResults):"
for line in "${report[@]}"; do
  printf '  %s\n' "$line"
done

if $use_docker; then
  remove_test_containers
  trap - EXIT
fi

status=0
if [ "$total_failed" -gt 0 ] || [ "$broken" -gt 0 ]; then
  status=1
elif [ $((total_passed + total_failed)) -eq 0 ]; then
  log "no test ran"
  status=1
fi
summary "$total_passed" "$total_failed" "$total_skipped"
exit $status
