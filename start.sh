#!/usr/bin/env bash
# Starts the MockApi (http://localhost:3001) and the Api (http://localhost:3000) together, built once.
# Ctrl-C stops both; if either one exits, the other is stopped too.
set -euo pipefail
cd "$(dirname "$0")"

dotnet build EventManagement.Api/EventManagement.Api.csproj --nologo -v quiet
dotnet build EventManagement.MockApi/EventManagement.MockApi.csproj --nologo -v quiet

pids=()
stop() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop INT TERM EXIT

dotnet run --no-build --project EventManagement.MockApi --launch-profile EventManagement.MockApi &
pids+=($!)
dotnet run --no-build --project EventManagement.Api --launch-profile EventManagement.Api &
pids+=($!)

echo "MockApi: http://localhost:3001   Api: http://localhost:3000   Swagger UI: http://localhost:3000/swagger   (Ctrl-C stops both)"
wait -n
