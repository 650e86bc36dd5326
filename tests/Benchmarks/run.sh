#!/usr/bin/env bash
# Runs every benchmark (each tests/Benchmarks/*/run.sh, in name order), collects the rows they append to
# one results file (tests/Benchmarks/README.md, "Results format") and prints them as one table of ratios.
# Not a test: nothing here is run by tests/run.sh.
#
#   bash tests/Benchmarks/run.sh                  # every benchmark
#   bash tests/Benchmarks/run.sh Directory gateway  # only these folders
#   EMSACHSE_BENCH_RESULTS=/tmp/r.tsv bash tests/Benchmarks/run.sh   # keep the rows in that file
#
# A benchmark that fails is reported and the others still run; the exit status is then 1.
set -uo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$HERE/lib.sh"

export EMSACHSE_BENCH_RESULTS=${EMSACHSE_BENCH_RESULTS:-$(mktemp /tmp/emsachse-bench-results.XXXXXX.tsv)}
: >>"$EMSACHSE_BENCH_RESULTS"

folders=()
if [ $# -gt 0 ]; then
  for name in "$@"; do
    [ -f "$HERE/$name/run.sh" ] || { echo "[bench] no benchmark $name (no $HERE/$name/run.sh)" >&2; exit 2; }
    folders+=("$name")
  done
else
  for script in "$HERE"/*/run.sh; do folders+=("$(basename "$(dirname "$script")")"); done
fi

failed=()
for name in "${folders[@]}"; do
  echo "[bench] ==== $name (load $(bench_load), $(date -u +%FT%TZ)) ====" >&2
  start=$SECONDS
  if bash "$HERE/$name/run.sh"; then
    echo "[bench] ==== $name done in $((SECONDS - start))s (load $(bench_load)) ====" >&2
  else
    echo "[bench] ==== $name FAILED after $((SECONDS - start))s ====" >&2
    failed+=("$name")
  fi
done

echo
echo "All benchmarks ($(date -u +%FT%TZ), $(nproc) cores, load $(bench_load); rows in $EMSACHSE_BENCH_RESULTS)"
{
  printf 'benchmark\tmeasure\tvalue\tunit\tbaseline\tratio\tgoal\tmet\n'
  cat "$EMSACHSE_BENCH_RESULTS"
} | column -t -s $'\t'
if [ ${#failed[@]} -gt 0 ]; then
  echo "failed: ${failed[*]}"
  exit 1
fi
awk -F'\t' '$8 == "yes" {y++} $8 == "no" {n++} END {printf "goals met: %d, not met: %d\n", y, n}' "$EMSACHSE_BENCH_RESULTS"
