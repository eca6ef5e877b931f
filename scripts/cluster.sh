#!/usr/bin/env bash
# Several Api replicas behind nginx, sharing Redis (README, "Running several replicas"):
#   Redis and the MockApi (unless EXTERNAL_API_BASE_URL is set) on free loopback ports, REPLICAS Api replicas
#   (default 3) on free ports, nginx on PORT (default 3000) in front of them.
# Any other Api setting passes through the environment, e.g. Security__AddEventRateLimit=5 scripts/cluster.sh.
# A replica that exits (kill -TERM <pid> for a rolling restart) is started again on its port. Redis may be killed
# (to see the replicas carry on without it); the script prints how to start it again on its port. Ctrl-C or SIGTERM
# stops everything this script started; the logs stay in the folder printed at the start.
# --with-prometheus also starts scripts/prometheus.sh scraping every replica (README, "Alerts and graphs").
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

REPLICAS=${REPLICAS:-3}
PORT=${PORT:-3000}
[[ $REPLICAS =~ ^[1-9][0-9]?$ ]] || { echo "REPLICAS must be a whole number from 1 to 99; got '$REPLICAS'" >&2; exit 2; }
[[ $PORT =~ ^[0-9]+$ ]] && ((PORT >= 1 && PORT <= 65535)) || { echo "PORT must be a whole number from 1 to 65535; got '$PORT'" >&2; exit 2; }
with_prometheus=0
for arg in "$@"; do
  [ "$arg" = --with-prometheus ] && with_prometheus=1 || { echo "usage: scripts/cluster.sh [--with-prometheus]" >&2; exit 2; }
done

say() { printf '[cluster] %s\n' "$*"; }

# Debian's redis-server and nginx; installed when missing, and the services Debian starts on install stopped
# again (this script runs its own, on its own ports).
missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
((with_prometheus)) && ! command -v prometheus >/dev/null 2>&1 && missing+=(prometheus)
if ((${#missing[@]})); then
  say "installing ${missing[*]} with apt-get"
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  for service in redis-server nginx prometheus; do as_root service "$service" stop >/dev/null 2>&1 || true; done
fi
nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)

say "building (Release)"
dotnet build EventManagement.Api/EventManagement.Api.csproj -c Release --nologo -v quiet -clp:NoSummary
dotnet build EventManagement.MockApi/EventManagement.MockApi.csproj -c Release --nologo -v quiet -clp:NoSummary

work=$(mktemp -d -t eventmanagement-cluster-XXXXXX)
chmod 755 "$work" # nginx's workers run as nobody and use the temp folders below it
mkdir -p "$work/temp" "$work/redis"

declare -A names=()   # pid -> what it is
declare -a replica_pid=() replica_port=()
stopping=0

stop_all() {
  trap - INT TERM EXIT
  stopping=1
  say "stopping"
  # nginx first (no new requests), then the replicas (they drain), then what they depend on.
  [ -n "${nginx_pid:-}" ] && kill -QUIT "$nginx_pid" 2>/dev/null || true
  for pid in "${replica_pid[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${!names[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  say "stopped; logs in $work"
}
trap stop_all EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

taken=" $PORT "
free_port() {
  local port
  for _ in $(seq 500); do
    port=$((20000 + RANDOM % 40000))
    [[ $taken == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      taken+="$port "
      echo "$port"
      return
    fi
  done
  echo "no free port found" >&2
  return 1
}

wait_for() { # url what pid
  for _ in $(seq 600); do
    curl -fs -o /dev/null --max-time 2 "$1" && return 0
    kill -0 "$3" 2>/dev/null || { say "$2 exited before it answered; see $work"; exit 1; }
    sleep 0.1
  done
  say "$2 did not answer $1 within 60 s; see $work"
  exit 1
}

if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
  say "port $PORT is taken; choose another with PORT=..."
  exit 1
fi

redis_port=$(free_port)
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$work/redis" \
  --daemonize no --protected-mode no >"$work/redis.log" 2>&1 &
redis_pid=$!
names[$redis_pid]="Redis"
for _ in $(seq 100); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

if [ -z "${EXTERNAL_API_BASE_URL:-}" ]; then
  mock_port=$(free_port)
  (cd EventManagement.MockApi/bin/Release/net10.0 && exec env PORT="$mock_port" ASPNETCORE_ENVIRONMENT=Production \
    dotnet EventManagement.MockApi.dll) >"$work/mockapi.log" 2>&1 &
  mock_pid=$!
  names[$mock_pid]="MockApi"
  EXTERNAL_API_BASE_URL="http://127.0.0.1:$mock_port"
  wait_for "$EXTERNAL_API_BASE_URL/healthz" MockApi "$mock_pid"
fi

start_replica() { # index
  local i=$1
  (cd "$root/EventManagement.Api/bin/Release/net10.0" && exec env PORT="${replica_port[$i]}" \
    ASPNETCORE_ENVIRONMENT=Production EXTERNAL_API_BASE_URL="$EXTERNAL_API_BASE_URL" \
    Cache__Redis="127.0.0.1:$redis_port" ForwardedHeaders__KnownProxies=127.0.0.1 \
    dotnet EventManagement.Api.dll) >>"$work/api-$((i + 1)).log" 2>&1 &
  replica_pid[$i]=$!
}

servers=""
for ((i = 0; i < REPLICAS; i++)); do
  replica_port[$i]=$(free_port)
  start_replica "$i"
  servers+="server 127.0.0.1:${replica_port[$i]} max_fails=1 fail_timeout=5s; "
done
for ((i = 0; i < REPLICAS; i++)); do
  wait_for "http://127.0.0.1:${replica_port[$i]}/healthz" "Api replica $((i + 1))" "${replica_pid[$i]}"
done

export API_SERVERS=$servers NGINX_PORT=$PORT NGINX_DIR=$work
# shellcheck disable=SC2016 # the single quotes keep nginx's own $variables out of envsubst's reach
envsubst '${API_SERVERS} ${NGINX_PORT}' <deploy/nginx/templates/eventmanagement.conf.template >"$work/eventmanagement.conf"
# shellcheck disable=SC2016
envsubst '${NGINX_DIR}' <deploy/nginx/nginx.conf.template >"$work/nginx.conf"
"$nginx_bin" -p "$work" -c "$work/nginx.conf" -e "$work/error.log" >"$work/nginx.log" 2>&1 &
nginx_pid=$!
names[$nginx_pid]="nginx"
wait_for "http://127.0.0.1:$PORT/healthz" nginx "$nginx_pid"

if ((with_prometheus)); then
  prometheus_port=$(free_port)
  targets=$(for ((i = 0; i < REPLICAS; i++)); do printf '127.0.0.1:%s,' "${replica_port[$i]}"; done)
  TARGETS=${targets%,} PROMETHEUS_PORT=$prometheus_port scripts/prometheus.sh >"$work/prometheus.log" 2>&1 &
  prometheus_pid=$!
  names[$prometheus_pid]="Prometheus"
  wait_for "http://127.0.0.1:$prometheus_port/-/ready" Prometheus "$prometheus_pid"
fi

say "Redis:   127.0.0.1:$redis_port (pid $redis_pid)"
say "MockApi: $EXTERNAL_API_BASE_URL${mock_pid:+ (pid $mock_pid)}"
for ((i = 0; i < REPLICAS; i++)); do
  say "Api $((i + 1)):   http://127.0.0.1:${replica_port[$i]} (pid ${replica_pid[$i]})"
done
say "nginx:   http://localhost:$PORT (pid $nginx_pid) -> the $REPLICAS replicas"
((with_prometheus)) && say "Prometheus: http://127.0.0.1:$prometheus_port (pid $prometheus_pid) scraping the $REPLICAS replicas; graphs at /classic/graph"
say "logs:    $work    (Ctrl-C stops everything)"

while true; do
  exited=""
  status=0
  wait -n -p exited || status=$?
  [ -z "$exited" ] && continue
  ((stopping)) && break
  for ((i = 0; i < REPLICAS; i++)); do
    if [ "${replica_pid[$i]}" = "$exited" ]; then
      say "Api $((i + 1)) (pid $exited) exited with status $status; starting it again on port ${replica_port[$i]}"
      start_replica "$i"
      say "Api $((i + 1)) is pid ${replica_pid[$i]}"
      continue 2
    fi
  done
  if [ "$exited" = "$redis_pid" ]; then
    # The replicas are built to carry on without Redis (SPEC §8), so losing it does not stop the cluster. It is not
    # started again here: whoever took it away gives it back, and the replicas reconnect by themselves.
    unset "names[$redis_pid]"
    say "Redis (pid $exited) exited; the replicas carry on from memory and the external API. To give it back:"
    say "  redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --dir $work/redis"
    continue
  fi
  say "${names[$exited]:-a process} (pid $exited) exited; stopping the cluster"
  exit 1
done
