#!/usr/bin/env bash
# Event pipeline benchmark (not a test): latency from a write's commit to the consumer's committed effect at paced
# rates, and the throughput of outbox -> broker -> consumer with inbox against raw RabbitMQ.Client, same broker, same
# run, on SQLite and PostgreSQL (throwaway containers from the local test images).
#   bash tests/Benchmarks/Events/run.sh     # DURATION=30 RATES=200,1000 ENGINES=sqlite,postgres EVENTS=20000 ROUNDS=3 WARMUP=3
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
bench_container_env
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
echo "[events] building the benchmark (Release); load $(bench_load)" >&2
dotnet build "$HERE/Events.Benchmarks.csproj" -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet "$HERE/bin/Release/net10.0/EmsAchse.Events.Benchmarks.dll" \
  "${DURATION:-30}" "${RATES:-200,1000}" "${ENGINES:-sqlite,postgres}" "${EVENTS:-20000}" "${ROUNDS:-3}" "${WARMUP:-3}"
