#!/usr/bin/env bash
# A real Prometheus (Debian's package) scraping EventManagement.Api with the alert rules of deploy/prometheus loaded,
# so that the breaker state, upstream latency and request rates can be looked at as graphs (README, "Alerts and graphs"):
#   TARGETS          host:port of the Apis to scrape, comma-separated (default localhost:3000, the Api of ./start.sh)
#   PROMETHEUS_PORT  port of Prometheus's web page and API (default: a free one)
#   SCRAPE_INTERVAL  how often it scrapes and evaluates the rules (default 5s)
# Its data and log live in a temporary folder; Ctrl-C or SIGTERM stops it and removes the folder.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

TARGETS=${TARGETS:-localhost:3000}
SCRAPE_INTERVAL=${SCRAPE_INTERVAL:-5s}
say() { printf '[prometheus] %s\n' "$*"; }

targets=""
target_re='^([A-Za-z0-9._-]+|\[[0-9A-Fa-f:]+\]):[0-9]+$' # host:port or [IPv6]:port
IFS=',' read -ra target_list <<<"$TARGETS"
for target in "${target_list[@]}"; do
  [[ $target =~ $target_re ]] || { echo "TARGETS must be host:port[,host:port...]; got '$target'" >&2; exit 2; }
  targets+="'$target', "
done
[[ $SCRAPE_INTERVAL =~ ^[0-9]+(ms|s|m)$ ]] || { echo "SCRAPE_INTERVAL must be a duration such as 5s; got '$SCRAPE_INTERVAL'" >&2; exit 2; }

# Debian's prometheus; installed when missing, and the service Debian starts on install (port 9090) stopped again.
if ! command -v prometheus >/dev/null 2>&1; then
  say "installing prometheus with apt-get"
  as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
  as_root service prometheus stop >/dev/null 2>&1 || true
fi

port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ -n "${PROMETHEUS_PORT:-}" ]; then
  [[ $PROMETHEUS_PORT =~ ^[0-9]+$ ]] && ((PROMETHEUS_PORT >= 1 && PROMETHEUS_PORT <= 65535)) \
    || { echo "PROMETHEUS_PORT must be a whole number from 1 to 65535; got '$PROMETHEUS_PORT'" >&2; exit 2; }
  if port_taken "$PROMETHEUS_PORT"; then say "port $PROMETHEUS_PORT is taken; choose another with PROMETHEUS_PORT=..."; exit 1; fi
  port=$PROMETHEUS_PORT
else
  for _ in $(seq 500); do
    port=$((20000 + RANDOM % 40000))
    port_taken "$port" || break
  done
fi

work=$(mktemp -d -t eventmanagement-prometheus-XXXXXX)
stop() {
  trap - INT TERM EXIT
  [ -n "${prometheus_pid:-}" ] && kill -TERM "$prometheus_pid" 2>/dev/null && wait "$prometheus_pid" 2>/dev/null || true
  rm -rf "$work"
  say "stopped"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cat >"$work/prometheus.yml" <<EOF
global:
  scrape_interval: $SCRAPE_INTERVAL
  evaluation_interval: $SCRAPE_INTERVAL
rule_files:
  - $root/deploy/prometheus/alerts.yml
scrape_configs:
  - job_name: eventmanagement-api
    static_configs:
      - targets: [${targets%, }]
EOF

# setpriv: Prometheus is stopped even if this script is killed outright (SIGKILL leaves no trap to run).
launcher=()
[ -x /usr/bin/setpriv ] && launcher=(/usr/bin/setpriv --pdeathsig TERM)
"${launcher[@]}" prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --web.listen-address="127.0.0.1:$port" >"$work/prometheus.log" 2>&1 &
prometheus_pid=$!

for _ in $(seq 300); do
  curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/-/ready" && break
  kill -0 "$prometheus_pid" 2>/dev/null || { say "prometheus exited before it was ready:"; cat "$work/prometheus.log" >&2; exit 1; }
  sleep 0.1
done
curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$port/-/ready" || { say "prometheus was not ready within 30 s"; exit 1; }

say "scraping ${TARGETS} every $SCRAPE_INTERVAL with deploy/prometheus/alerts.yml (pid $prometheus_pid, data in $work)"
say "URL:    http://127.0.0.1:$port"
say "graph:  http://127.0.0.1:$port/classic/graph?g0.expr=eventmanagement_circuit_breaker_state&g0.tab=0&g0.range_input=15m"
say "alerts: http://127.0.0.1:$port/classic/alerts    (Ctrl-C stops it)"
wait "$prometheus_pid"
