#!/usr/bin/env bash
# scripts/bench.sh: the EventManagement benchmark, in one command.
#
#   scripts/bench.sh                  # every section, in order; about 8 minutes on 2 cores (build included)
#   scripts/bench.sh SECTION...       # only those, e.g. scripts/bench.sh distinct-keys
#
# What it does:
#   1. dotnet build -c Release of EventManagement.Api and EventManagement.MockApi.
#   2. Generates a data directory under .bench/ (git-ignored): the seed users and events plus benchmark users with
#      1, 20, 100 and 500 events each (per size: warm-up users, and cold users whose events nobody has fetched yet),
#      and a small set (seed + one 20-event user).
#   3. Starts the MockApi (EventDelay 500 ms, random failures off, overload off) and the Api from the Release output,
#      ASPNETCORE_ENVIRONMENT=Production, on free ports (never 3000/3001); waits for /healthz; stops both on exit.
#   4. Runs the sections (scripts/bench/<name>.sh), in the order of SECTIONS below:
#      latency       GET /getEventsByUserId cold and warm, one request at a time (curl), after warming the Api up;
#      throughput    64-connection loads with wrk (installed with apt-get when missing; else scripts/loadgen, a small
#                    C# load generator), Api beside MockApi, alternating runs, median reported: GET /getUsers on the
#                    full and on the small set, GET /getEventsByUserId of a warm user beside GET /getUserById;
#      distinct-keys GET /getEventsByUserId for random users out of 2,000 (5 cached events each), Api beside the lean
#                    baseline (scripts/bench/baseline) and the MockApi, with CPU microseconds per request from /proc,
#                    and the Api's allocations and collections per request from its /metrics;
#      overload      the figures of SPEC §7 with scripts/overload (a C# client), each scenario against an Api process
#                    of its own: 20 concurrent cold 500-event users plus a 1-event user 1 s in; 30 of them with
#                    Requests:Timeout 5 s; 100 cold 1-event users while every event lookup fails (503).
#   5. Prints the table (stdout; progress goes to stderr) and saves it to .bench/results-<time>.txt; the logs and raw
#      samples stay in .bench/run-<time>/ (the 5 newest runs are kept).
#
# Exit status: 0 when every request succeeded; 1 when any sample or load run saw an error (a non-2xx answer, a socket
# error or a timeout), or something failed to build or start. Missed targets are reported, not an error.
#
# Knobs (environment): BENCH_CONNECTIONS (64), BENCH_WARMUP_SECONDS (10), BENCH_SECONDS (10), BENCH_ROUNDS (3),
# BENCH_COLD_USERS (10), BENCH_WARM_SAMPLES (50), BENCH_NO_BUILD=1 (reuse the Release output), BENCH_LOADGEN=dotnet
# (skip wrk), BENCH_API_OUT=DIR (run the Api from another build output, to compare two builds of it against the same
# MockApi). Every other variable is passed to the programs, so settings can be compared without code changes, e.g.
#   EventFetch__MaxConcurrency=256 scripts/bench.sh      DOTNET_gcServer=1 scripts/bench.sh
#
# The section contract (for adding one: write scripts/bench/<name>.sh and add <name> to SECTIONS):
# - A section file defines a function `section_run` (and helpers of its own, named <name>_...); bench.sh sources
#   it after the MockApi and the Api are healthy, calls section_run, and forgets it. It runs in this shell, with
#   `set -euo pipefail`: declare variables `local`; a command that fails stops the benchmark (use `|| die "why"`).
# - It gets: ROOT (the repository), RUN_DIR (this run's folder: put raw output there, named after the section),
#   API and MOCK (base URLs, http://127.0.0.1:<port>), API_PID and MOCK_PID (for /proc), API_OUT and MOCK_OUT (the
#   Release outputs), DATA_DIR (the MockApi's DataDirectory), FULL_DIR and SMALL_DIR (the two generated data sets),
#   CONNECTIONS, WARMUP_SECONDS, SECONDS_MEASURED, ROUNDS, EVENT_DELAY_MS, LOADGEN (wrk or dotnet), and every
#   helper of scripts/bench/lib.sh: start_process / stop_process / wait_healthy / free_port (further processes: a
#   process it starts is stopped on exit at the latest, but stop it when done; never use ports 3000/3001),
#   begin_data / gen_users / finish_data / use_data DIR (swap the MockApi's data set: POST /__admin/reset; the
#   Api's event cache survives, so a data set of its own needs event ids of its own), sample / stats (curl),
#   load / warm_up / measure / load_compare / parse_load / median_run (wrk), cpu_process / vm_hwm_mb (/proc).
# - It finds the data set as the previous section left it: call use_data with the one it needs.
# - It reports: rows of the table on file descriptor 3 (`printf ... >&3`; end its block with an empty line); a line
#   under "data:" with note_data TEXT; the Api's peak memory after a phase with note_hwm PHASE; a target with
#   target DESCRIPTION SHOWN VALUE LIMIT OP (OP: <=, < or >=; a miss is reported, not an error); every failed
#   request by adding it to `errors` (load_compare and warm_up do; after `measure`, add run_errors yourself).
#   Progress goes to stderr (log TEXT). bench.sh prints the header, each section's block in order, the peak memory,
#   the failed requests, and the targets (each section's, then "no failed requests" and "peak memory").
set -euo pipefail

readonly ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
readonly COMMAND_LINE="scripts/bench.sh${*:+ $*}"
readonly SECTIONS_ALL=(latency throughput distinct-keys overload)
readonly CONNECTIONS="${BENCH_CONNECTIONS:-64}"
readonly WARMUP_SECONDS="${BENCH_WARMUP_SECONDS:-10}"
readonly SECONDS_MEASURED="${BENCH_SECONDS:-10}"
readonly ROUNDS="${BENCH_ROUNDS:-3}"
readonly COLD_USERS="${BENCH_COLD_USERS:-10}"
readonly WARM_SAMPLES="${BENCH_WARM_SAMPLES:-50}"
readonly WARMUP_USERS=2
readonly SIZES=(1 20 100 500)
readonly EVENT_DELAY_MS=500
readonly CONFIGURATION=Release
readonly TFM=net10.0

readonly BENCH_DIR="$ROOT/.bench"
readonly RUN_ID="$(date +%Y%m%d-%H%M%S)"
readonly RUN_DIR="$BENCH_DIR/run-$RUN_ID"
readonly DATA_DIR="$RUN_DIR/data"          # the MockApi's DataDirectory; holds a copy of one of the two below
readonly FULL_DIR="$RUN_DIR/data-full"
readonly SMALL_DIR="$RUN_DIR/data-small"
readonly API_OUT="${BENCH_API_OUT:-$ROOT/EventManagement.Api/bin/$CONFIGURATION/$TFM}"
readonly MOCK_OUT="$ROOT/EventManagement.MockApi/bin/$CONFIGURATION/$TFM"

# shellcheck source=bench/lib.sh
source "$ROOT/scripts/bench/lib.sh"

errors=0          # every failed request, from samples and load runs
API_PID=""
MOCK_PID=""
CURRENT_DATA=""   # the data set the MockApi holds (use_data)
HWM_PHASES=()     # "phase MB" (note_hwm)
DATA_NOTES=()     # extra lines under "data:" (note_data)

trap 'stop_all' EXIT
trap 'log "interrupted"; exit 130' INT TERM

LOAD_USER="$(user_id 20 c 1)"                          # the warm 20-event user of the load runs
readonly LOAD_USER

# Two data sets, both the seed plus benchmark users:
# - FULL_DIR (what the MockApi starts with): per size, warm-up users and cold users (user_id names them);
# - SMALL_DIR: only the 20-event load user, with the same event ids (the throughput section swaps it in).
generate_data() {
  begin_data "$FULL_DIR"
  begin_data "$SMALL_DIR"
  local size role count n
  for size in "${SIZES[@]}"; do
    for role in w c; do
      count=$([[ $role == w ]] && echo "$WARMUP_USERS" || echo "$COLD_USERS")
      for n in $(seq 1 "$count"); do
        gen_user "$(user_id "$size" "$role" "$n")" "$size" "$([[ $role == w ]] && echo warm-up || echo cold)" "$n" "$FULL_DIR"
      done
    done
  done
  gen_user "$LOAD_USER" 20 cold 1 "$SMALL_DIR"
  finish_data "$FULL_DIR"
  finish_data "$SMALL_DIR"
  mkdir -p "$DATA_DIR"
  cp "$FULL_DIR"/*.json "$DATA_DIR"/
  CURRENT_DATA="$FULL_DIR"
}

main() {
  cd "$ROOT"
  local sections=("$@") name
  ((${#sections[@]} > 0)) || sections=("${SECTIONS_ALL[@]}")
  for name in "${sections[@]}"; do
    [[ -f "$ROOT/scripts/bench/$name.sh" && " ${SECTIONS_ALL[*]} " == *" $name "* ]] \
      || die "no section '$name' (sections: ${SECTIONS_ALL[*]})"
  done
  command -v dotnet >/dev/null 2>&1 || die "dotnet is not on PATH"
  command -v curl >/dev/null 2>&1 || die "curl is not installed"
  mkdir -p "$RUN_DIR"
  : >"$RUN_DIR/targets.txt"
  local load_start
  load_start="$(cut -d' ' -f1-3 /proc/loadavg)"

  if [[ "${BENCH_NO_BUILD:-}" != 1 ]]; then
    log "building Release (Api, MockApi)"
    dotnet build EventManagement.Api/EventManagement.Api.csproj -c "$CONFIGURATION" --nologo -v quiet >&2 \
      || die "the Api does not build"
    dotnet build EventManagement.MockApi/EventManagement.MockApi.csproj -c "$CONFIGURATION" --nologo -v quiet >&2 \
      || die "the MockApi does not build"
  fi
  [[ -f "$API_OUT/EventManagement.Api.dll" && -f "$MOCK_OUT/EventManagement.MockApi.dll" ]] \
    || die "no Release output; run without BENCH_NO_BUILD"
  ensure_load_generator

  log "generating data in $DATA_DIR"
  generate_data

  local mock_port api_port
  mock_port="$(free_port)"
  api_port="$(free_port "$mock_port")"
  readonly MOCK="http://127.0.0.1:$mock_port" API="http://127.0.0.1:$api_port"

  log "starting the MockApi on $mock_port and the Api on $api_port"
  start_process MOCK_PID "$MOCK_OUT" EventManagement.MockApi.dll "$RUN_DIR/mockapi.log" \
    PORT="$mock_port" MockApi__DataDirectory="$DATA_DIR" MockApi__EventDelay="00:00:00.$EVENT_DELAY_MS" \
    MockApi__RandomFailureRate=0 MockApi__OverloadEnabled=false
  wait_healthy MockApi "$MOCK/healthz" "$MOCK_PID" "$RUN_DIR/mockapi.log"
  start_process API_PID "$API_OUT" EventManagement.Api.dll "$RUN_DIR/api.log" PORT="$api_port" EXTERNAL_API_BASE_URL="$MOCK"
  wait_healthy Api "$API/healthz" "$API_PID" "$RUN_DIR/api.log"
  # From here on, CPU used by anything but the programs and this script (curl, wrk) is someone else's. A process a
  # section starts and stops (the baseline) counts as this script's child once stop_process has reaped it.
  local cpu0_machine cpu0_ours
  cpu0_machine="$(cpu_machine)"
  cpu0_ours=$(($(cpu_process "$API_PID") + $(cpu_process "$MOCK_PID") + $(cpu_self)))
  local started_at=$SECONDS

  local users_full_count users_full_bytes
  read -r users_full_count users_full_bytes < <(user_count "$MOCK")

  for name in "${sections[@]}"; do
    log "section $name"
    # shellcheck source=/dev/null
    source "$ROOT/scripts/bench/$name.sh"
    section_run 3>"$RUN_DIR/report-$name.txt"
    unset -f section_run
  done

  local api_hwm mock_hwm load_end foreign_cpu
  api_hwm="$(vm_hwm_mb "$API_PID")"
  mock_hwm="$(vm_hwm_mb "$MOCK_PID")"
  load_end="$(cut -d' ' -f1-3 /proc/loadavg)"
  foreign_cpu=$(($(cpu_machine) - cpu0_machine - ($(cpu_process "$API_PID") + $(cpu_process "$MOCK_PID") + $(cpu_self) - cpu0_ours)))
  foreign_cpu="$(awk -v t="$foreign_cpu" -v hz="$(getconf CLK_TCK)" -v s=$((SECONDS - started_at)) -v n="$(nproc)" \
    'BEGIN { v = (s > 0) ? 100 * t / hz / s / n : 0; printf "%.0f", (v < 0) ? 0 : v }')"
  stop_all

  # The Api writes one log line per request (about 550 MB a run, 60 MB compressed): keep it compressed, and keep
  # the last 5 runs only.
  gzip -f "$RUN_DIR/api.log" 2>/dev/null || true
  find "$BENCH_DIR" -maxdepth 1 -name 'run-*' -type d | sort | head -n -5 | xargs -r rm -rf

  report "${sections[@]}" >"$RUN_DIR/results.txt"
  cp "$RUN_DIR/results.txt" "$BENCH_DIR/results-$RUN_ID.txt"
  cat "$RUN_DIR/results.txt"
  log "results: .bench/results-$RUN_ID.txt; logs and raw samples: ${RUN_DIR#"$ROOT"/}"
  if ((errors > 0)); then
    log "FAILED: $errors requests failed"
    exit 1
  fi
}

# report SECTION...: the header, each section's block, memory, failures and targets.
report() {
  local cpu mem sdk overrides name
  cpu="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
  mem="$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
  sdk="$(dotnet --version 2>/dev/null || echo unknown)"
  # Runtime and Api settings that change results; the SDK's own DOTNET_CLI_* and friends do not.
  overrides="$(env | grep -E '^(DOTNET_|ExternalApi__|EventFetch__|EVENTMANAGEMENT_)' \
    | grep -vE '^DOTNET_(CLI_|NOLOGO|GENERATE_ASPNET_CERTIFICATE|SKIP_FIRST_TIME|ADD_GLOBAL_TOOLS|ROOT|INSTALL_DIR)' \
    | sort | tr '\n' ' ' || true)"

  echo "EventManagement benchmark"
  echo "command:  $COMMAND_LINE"
  echo "machine:  $(nproc) cores, $cpu, $mem RAM, .NET SDK $sdk, $(uname -sr)"
  echo "date:     $(date '+%Y-%m-%d %H:%M:%S %Z'); commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
  echo "load avg: $load_start at start, $load_end at end (1/5/15 min); other processes used ${foreign_cpu}% of the CPU during the run"
  if ((foreign_cpu > 10)); then
    echo "WARNING:  the machine was busy with other work: the numbers below are disturbed; rerun when it is quiet"
  fi
  [[ -n "${BENCH_API_OUT:-}" ]] && echo "api:      $API_OUT"
  echo "settings: MockApi EventDelay ${EVENT_DELAY_MS} ms, RandomFailureRate 0; Api Release, Production, appsettings defaults${overrides:+; overrides: $overrides}"
  echo "data:     full set: seed + per size ${WARMUP_USERS} warm-up and ${COLD_USERS} cold users ($users_full_count users; GET /getUsers $users_full_bytes bytes)"
  local note
  for note in "${DATA_NOTES[@]}"; do echo "          $note"; done
  echo
  for name in "$@"; do cat "$RUN_DIR/report-$name.txt"; done
  local phases=""
  for note in "${HWM_PHASES[@]}"; do phases+="${phases:+, }$note"; done
  echo "Peak memory (VmHWM): Api $api_hwm MB, MockApi $mock_hwm MB"
  echo "Api VmHWM after each phase, MB: ${phases:-n/a}"
  echo "Failed requests (all samples and load runs, warm-ups included): $errors"
  echo
  target "no failed requests (random failures off)" "$errors" "$errors" 0 "<="
  target "Api peak memory < 200 MB" "$api_hwm MB" "$api_hwm" 200 "<"
  echo "Targets (SPEC §5, §7)"
  cat "$RUN_DIR/targets.txt"
}

main "$@"
