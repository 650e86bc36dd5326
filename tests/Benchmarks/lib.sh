# shellcheck shell=bash
# Shared by the benchmarks' run.sh scripts: the results row of tests/Benchmarks/README.md and the machine's load.

# bench_row benchmark measure value unit baseline ratio goal met
# Appends one TSV row to $EMSACHSE_BENCH_RESULTS when it is set (the format every benchmark writes).
bench_row() {
  [ -n "${EMSACHSE_BENCH_RESULTS:-}" ] || return 0
  local IFS=$'\t'
  printf '%s\n' "$*" >>"$EMSACHSE_BENCH_RESULTS"
}

# The load average now (figures mean little without it on a shared 2-core machine).
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# met yes|no for "value OP goal" (OP is >= or <=), "-" when there is no goal.
bench_met() { # value op goal
  [ -n "$3" ] && [ "$3" != - ] || { echo -; return; }
  awk -v v="$1" -v g="$3" -v op="$2" 'BEGIN { ok = (op == ">=") ? (v >= g) : (v <= g); print ok ? "yes" : "no" }'
}

# The test images and settings tests/run.sh uses, for benchmarks that start containers through Testcontainers.
bench_container_env() {
  export EMSACHSE_TEST_RABBITMQ_IMAGE=${EMSACHSE_TEST_RABBITMQ_IMAGE:-emsachse-test/rabbitmq:3.10-bookworm}
  export EMSACHSE_TEST_POSTGRES_IMAGE=${EMSACHSE_TEST_POSTGRES_IMAGE:-emsachse-test/postgres:15-bookworm}
  export TESTCONTAINERS_RYUK_DISABLED=${TESTCONTAINERS_RYUK_DISABLED:-true}
  export DOCKER_API_VERSION=${DOCKER_API_VERSION:-1.41}
}
