#!/usr/bin/env bash
# Outbox drain benchmark (not a test): committed events drained by the dispatcher to a consumer on SQLite and
# PostgreSQL, against publishing the same events straight to the bus, same broker, same run.
#   bash tests/Benchmarks/Outbox/run.sh            # EVENTS=20000 ROUNDS=3
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=../lib.sh
. "$HERE/../lib.sh"
bench_container_env
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet build "$HERE/Outbox.Benchmarks.csproj" -c Release -nologo -v:q -clp:NoSummary >/dev/null
dotnet "$HERE/bin/Release/net10.0/EmsAchse.Outbox.Benchmarks.dll" "${EVENTS:-20000}" "${ROUNDS:-3}"
