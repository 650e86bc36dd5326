#!/usr/bin/env bash
# Directory benchmark (not a test): six typical queries through the members service's HTTP endpoint at
# 100,000 generated organisations, on SQLite and PostgreSQL, against a naive scan in the same run.
#   bash tests/Benchmarks/Directory/run.sh       # ORGANIZATIONS=100000 SAMPLES=200 ROUNDS=3 ENGINES=sqlite,postgres
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
bench_container_env
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
echo "[directory] building the members service and the benchmark (Release); load $(bench_load)" >&2
dotnet build "$REPO/services/Members/Members.csproj" -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet build "$HERE/Directory.Benchmarks.csproj" -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet "$HERE/bin/Release/net10.0/EmsAchse.Directory.Benchmarks.dll" \
  "$REPO/services/Members/bin/Release/net10.0/EmsAchse.Members.dll" \
  "${ORGANIZATIONS:-100000}" "${SAMPLES:-200}" "${ROUNDS:-3}" "${ENGINES:-sqlite,postgres}"
