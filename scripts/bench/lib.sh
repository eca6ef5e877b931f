# scripts/bench/lib.sh: the helpers every benchmark section shares. Sourced by scripts/bench.sh (not run on its own);
# the contract a section relies on is written at the top of scripts/bench.sh.

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# --- processes ---------------------------------------------------------------------------------------------------

STARTED_PIDS=()   # every process start_process started, stopped by stop_all (on exit at the latest)

# stop_process PID: SIGTERM, up to 15 s (the Api drains for Shutdown:DrainDelay after SIGTERM), then SIGKILL.
stop_process() {
  local pid="$1"
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

stop_all() {
  local pid
  for pid in "${STARTED_PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${STARTED_PIDS[@]}"; do stop_process "$pid"; done
  STARTED_PIDS=()
}

# A port nobody listens on (3000 and 3001 belong to start.sh); never one of the ports given. Below the kernel's
# ephemeral range: a port there can be taken by any outgoing connection (the load runs open thousands) between this
# check and the program's bind, which then fails with "address already in use".
free_port() {
  local port low
  read -r low _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || low=32768
  ((low > 12000)) || low=32768
  while :; do
    port=$((10000 + RANDOM % (low - 10000)))
    [[ $port == 3000 || $port == 3001 || " $* " == *" $port "* ]] && continue
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
}

# start_process VAR DIR DLL LOGFILE [NAME=VALUE...]: runs `dotnet DLL` in DIR (its content root, so that
# appsettings.json is found) in the background with the extra environment, stores its pid in VAR and registers it
# for stop_all. exec keeps the pid, so /proc/<pid>/stat and status are the program's own.
start_process() {
  local var="$1" dir="$2" dll="$3" logfile="$4"
  shift 4
  (cd "$dir" && exec env -u ASPNETCORE_URLS ASPNETCORE_ENVIRONMENT=Production "$@" dotnet "$dll" >"$logfile" 2>&1) &
  printf -v "$var" '%s' "$!"
  STARTED_PIDS+=("$!")
}

# wait_healthy NAME URL PID LOGFILE: polls URL until it answers 2xx; dies when the process exits or after 60 s.
wait_healthy() {
  local name="$1" url="$2" pid="$3" logfile="$4"
  for _ in $(seq 1 300); do
    if curl -fsS -o /dev/null --max-time 1 "$url" 2>/dev/null; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 20 "$logfile" >&2 || true
      die "$name exited before it was healthy (log: $logfile)"
    fi
    sleep 0.2
  done
  tail -n 20 "$logfile" >&2 || true
  die "$name was not healthy within 60 s (log: $logfile)"
}

# --- data --------------------------------------------------------------------------------------------------------

user_id() { printf 'b%s-%s%02d' "$1" "$2" "$3"; }   # size, role (w = warm-up, c = cold), number: b100-c07

# gen_user ID SIZE KIND N DIR: appends one benchmark user and its SIZE events to DIR/users.gen and DIR/events.gen.
gen_user() {
  awk -v id="$1" -v size="$2" -v kind="$3" -v n="$4" -v users="$5/users.gen" -v events="$5/events.gen" 'BEGIN {
    list = ""
    for (i = 1; i <= size; i++) {
      eid = sprintf("%s-%03d", id, i)
      list = list (i > 1 ? "," : "") "\"" eid "\""
      printf ",\n  {\"id\":\"%s\",\"name\":\"Bench %s user %d (%d events), event %d\",\"userId\":\"%s\",\"details\":\"Benchmark event %d of %d of user %s\"}", \
        eid, kind, n, size, i, id, i, size, id >> events
    }
    printf ",\n  {\"id\":\"%s\",\"userName\":\"bench_%s\",\"email\":\"%s@bench.example\",\"events\":[%s]}", \
      id, id, id, list >> users
  }'
}

# gen_users PREFIX COUNT SIZE DIR: appends COUNT users PREFIX0001, PREFIX0002, ... with SIZE events each (one awk
# process for all of them: gen_user per user would take minutes for thousands).
gen_users() {
  awk -v prefix="$1" -v count="$2" -v size="$3" -v users="$4/users.gen" -v events="$4/events.gen" 'BEGIN {
    for (n = 1; n <= count; n++) {
      id = sprintf("%s%04d", prefix, n)
      list = ""
      for (i = 1; i <= size; i++) {
        eid = sprintf("%s-%03d", id, i)
        list = list (i > 1 ? "," : "") "\"" eid "\""
        printf ",\n  {\"id\":\"%s\",\"name\":\"Bench user %d (%d events), event %d\",\"userId\":\"%s\",\"details\":\"Benchmark event %d of %d of user %s\"}", \
          eid, n, size, i, id, i, size, id >> events
      }
      printf ",\n  {\"id\":\"%s\",\"userName\":\"bench_%s\",\"email\":\"%s@bench.example\",\"events\":[%s]}", \
        id, id, id, list >> users
    }
  }'
}

# begin_data DIR: an empty data set in DIR, to fill with gen_user / gen_users and close with finish_data.
begin_data() {
  mkdir -p "$1"
  : >"$1/users.gen"
  : >"$1/events.gen"
}

# finish_data DIR: DIR/users.json and events.json = the seed file's entries, then the generated ones.
finish_data() {
  local dir="$1" name
  for name in users events; do
    {
      # The seed file minus its closing bracket, the generated entries, the bracket back.
      awk '{ text = text $0 "\n" } END { sub(/\][[:space:]]*$/, "", text); sub(/[[:space:]]*$/, "", text); printf "%s", text }' \
        "$ROOT/EventManagement.MockApi/mocks/$name.json"
      cat "$dir/$name.gen"
      printf '\n]\n'
    } >"$dir/$name.json"
    rm -f "$dir/$name.gen"
  done
}

# use_data DIR: makes the data set in DIR the MockApi's (copies it into DATA_DIR; POST /__admin/reset re-reads the
# files). The Api's event cache is not touched: give a data set event ids of its own.
use_data() {
  [[ $CURRENT_DATA == "$1" ]] && return 0
  cp "$1"/*.json "$DATA_DIR"/
  curl -fsS -o /dev/null -X POST "$MOCK/__admin/reset" || die "POST /__admin/reset failed (see $RUN_DIR/mockapi.log)"
  CURRENT_DATA="$1"
}

# user_count URL: how many users GET URL/getUsers answers, and its size in bytes: "count bytes".
user_count() {
  local body
  body="$(curl -s "$1/getUsers")"
  printf '%s %s\n' "$(grep -o '"userName"' <<<"$body" | wc -l)" "$(printf '%s' "$body" | wc -c)"
}

# --- measuring ---------------------------------------------------------------------------------------------------

# sample OUTFILE URL...: GETs the URLs one after another on one keep-alive connection; appends one line per request,
# "<status> <milliseconds>", to OUTFILE. Counts every answer that is not 200 as an error.
sample() {
  local out="$1"
  shift
  local args=() url
  for url in "$@"; do args+=(-o /dev/null "$url"); done
  curl -s --max-time 120 -w '%{http_code} %{time_total}\n' "${args[@]}" \
    | awk '{ printf "%s %.3f\n", $1, $2 * 1000 }' >>"$out" || true
  local bad
  bad=$(awk '$1 != 200' "$out" | wc -l)
  if ((bad > 0)); then
    log "ERROR: $bad non-200 answers in $(basename "$out")"
  fi
}

# stats FILE: "count median p95" of the milliseconds in FILE (nearest-rank p95; median of the middle two when even).
stats() {
  awk '{ print $2 }' "$1" | sort -g | awk '
    { v[NR] = $1 }
    END {
      if (NR == 0) { print 0, "n/a", "n/a"; exit }
      median = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
      rank = int(0.95 * NR); if (rank < 0.95 * NR) rank++
      printf "%d %.1f %.1f\n", NR, median, v[rank]
    }'
}

count_failed() { awk '$1 != 200' "$1" | wc -l; }

LOADGEN=""
ensure_load_generator() {
  if [[ "${BENCH_LOADGEN:-}" != dotnet ]]; then
    if command -v wrk >/dev/null 2>&1; then
      LOADGEN=wrk
      return
    fi
    if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
      log "installing wrk (apt-get install -y wrk)"
      if apt-get install -y -qq wrk >&2 || { apt-get update -qq >&2 && apt-get install -y -qq wrk >&2; }; then
        command -v wrk >/dev/null 2>&1 && { LOADGEN=wrk; return; }
      fi
    fi
    log "wrk is not available; building scripts/loadgen instead"
  fi
  dotnet build "$ROOT/scripts/loadgen/LoadGen.csproj" -c Release -o "$BENCH_DIR/loadgen" --nologo -v quiet >&2 \
    || die "cannot build scripts/loadgen"
  LOADGEN=dotnet
}

# load SECONDS URL [RANDOM_IDS]: one run at $CONNECTIONS connections; prints the generator's output. With
# RANDOM_IDS = "PREFIX COUNT", every request goes to URL followed by a random one of PREFIX0001 .. PREFIX<COUNT>.
load() {
  local seconds="$1" url="$2" ids="${3:-}"
  if [[ $LOADGEN == wrk ]]; then
    local script=()
    if [[ -n $ids ]]; then
      read -r BENCH_ID_PREFIX BENCH_ID_COUNT <<<"$ids"
      export BENCH_ID_PREFIX BENCH_ID_COUNT
      script=(-s "$ROOT/scripts/bench/random-ids.lua")
    fi
    wrk -t "$(nproc)" -c "$CONNECTIONS" -d "${seconds}s" --timeout 5s --latency "${script[@]}" "$url"
  else
    local random=()
    [[ -n $ids ]] && random=(-r "$ids")
    dotnet "$BENCH_DIR/loadgen/loadgen.dll" -c "$CONNECTIONS" -d "$seconds" "${random[@]}" "$url"
  fi
}

# parse_load FILE: "rps p99_ms non2xx socket_errors requests" from wrk(-compatible) output.
parse_load() {
  awk '
    function ms(text) {
      if (text ~ /us$/) return substr(text, 1, length(text) - 2) / 1000
      if (text ~ /ms$/) return substr(text, 1, length(text) - 2) + 0
      if (text ~ /m$/)  return substr(text, 1, length(text) - 1) * 60000
      if (text ~ /s$/)  return substr(text, 1, length(text) - 1) * 1000
      return text + 0
    }
    /^Requests\/sec:/ { rps = $2 }
    /^ +99(\.000)?%/ { p99 = ms($2) }
    / requests in / { requests = $1 }
    /Non-2xx or 3xx responses:/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); socket = $4 + $6 + $8 + $10 }
    END { printf "%.0f %.1f %d %d %d\n", rps, p99, non2xx, socket, requests }' "$1"
}

# warm_up NAME URL [RANDOM_IDS]: one unmeasured run; adds its errors to the total and sets WARMUP_ERRORS.
warm_up() {
  local name="$1" url="$2" file="$RUN_DIR/load-$1-warmup.txt" non2xx socket
  log "load $name: ${WARMUP_SECONDS} s warm-up ($url)"
  load "$WARMUP_SECONDS" "$url" "${3:-}" >"$file" 2>&1 || die "load generator failed (see $file)"
  read -r _ _ non2xx socket _ < <(parse_load "$file")
  WARMUP_ERRORS=$((non2xx + socket))
  errors=$((errors + WARMUP_ERRORS))
  if ((WARMUP_ERRORS > 0)); then
    log "ERROR: $WARMUP_ERRORS errors in the warm-up of $name (see $file)"
  fi
}

# measure NAME URL ROUND [RANDOM_IDS [PID...]]: one measured run; prints "rps p99 non2xx socket requests" and, per PID,
# the CPU time that process used during the run, in clock ticks. The caller adds the errors to the total (this runs
# in a command substitution, where a change of `errors` would be lost).
measure() {
  local name="$1" url="$2" file="$RUN_DIR/load-$1-$3.txt" ids="${4:-}"
  shift 4 2>/dev/null || shift $#
  local pids=("$@") before=() pid i ticks=""
  for pid in "${pids[@]}"; do before+=("$(cpu_process "$pid")"); done
  load "$SECONDS_MEASURED" "$url" "$ids" >"$file" 2>&1 || die "load generator failed (see $file)"
  for i in "${!pids[@]}"; do ticks+=" $(($(cpu_process "${pids[$i]}") - before[i]))"; done
  echo "$(parse_load "$file")$ticks"
}

# median_run RESULT...: of "rps p99 non2xx socket requests" lines, the one with the median req/s, with the errors of
# all runs summed into it, and every run's req/s appended: "rps p99 non2xx socket runs".
median_run() {
  printf '%s\n' "$@" | sort -n -k1,1 | awk '
    { rows[NR] = $0; rps[NR] = $1; non2xx += $3; socket += $4 }
    END {
      split(rows[int((NR + 1) / 2)], m, " ")
      runs = ""
      for (i = 1; i <= NR; i++) runs = runs (i > 1 ? "/" : "") rps[i]
      printf "%s %s %d %d %s\n", m[1], m[2], non2xx, socket, runs
    }'
}

# run_errors RESULT...: the non-2xx answers and socket errors of "rps p99 non2xx socket ..." lines, summed.
run_errors() { printf '%s\n' "$@" | awk '{ n += $3 + $4 } END { print n + 0 }'; }

# load_compare NAME_A URL_A NAME_B URL_B: a warm-up run of each, then $ROUNDS measured runs of each, alternating
# (A B A B ...), so that a passing disturbance of a shared machine falls on both sides alike rather than on one.
# Sets LOAD_RESULT_A and LOAD_RESULT_B to "rps p99 non2xx socket runs" (the median run; errors of all runs) and
# WARMUP_ERRORS_A and WARMUP_ERRORS_B; adds every error to the total.
load_compare() {
  local name_a="$1" url_a="$2" name_b="$3" url_b="$4" round runs_a=() runs_b=()
  warm_up "$name_a" "$url_a"
  WARMUP_ERRORS_A=$WARMUP_ERRORS
  warm_up "$name_b" "$url_b"
  WARMUP_ERRORS_B=$WARMUP_ERRORS
  log "load $name_a vs $name_b: $ROUNDS rounds of ${SECONDS_MEASURED} s each, alternating"
  for round in $(seq 1 "$ROUNDS"); do
    runs_a+=("$(measure "$name_a" "$url_a" "$round")")
    runs_b+=("$(measure "$name_b" "$url_b" "$round")")
  done
  errors=$((errors + $(run_errors "${runs_a[@]}" "${runs_b[@]}")))
  LOAD_RESULT_A="$(median_run "${runs_a[@]}")"
  LOAD_RESULT_B="$(median_run "${runs_b[@]}")"
}

# --- /proc -------------------------------------------------------------------------------------------------------

# CPU time in clock ticks: of the whole machine (busy, all cores), of one process, of this script and its children.
cpu_machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
cpu_process() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_self() { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$$/stat"; }

vm_hwm_mb() { awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || echo "n/a"; }

# us_per_request TICKS REQUESTS: CPU microseconds per request.
us_per_request() {
  awk -v t="$1" -v n="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f", (n > 0) ? t * 1e6 / hz / n : 0 }'
}

# --- reporting ---------------------------------------------------------------------------------------------------

# note_hwm PHASE: records the Api's peak memory after PHASE, for the "VmHWM after each phase" line.
note_hwm() { HWM_PHASES+=("$1 $(vm_hwm_mb "$API_PID")"); }

# note_data TEXT: a line under "data:" in the report's header.
note_data() { DATA_NOTES+=("$1"); }

# verdict VALUE LIMIT OP: "met" or "MISSED" (OP is <=, < or >=).
verdict() {
  awk -v v="$1" -v limit="$2" -v op="$3" \
    'BEGIN { ok = (op == "<=") ? v <= limit : (op == "<") ? v < limit : v >= limit; print ok ? "met" : "MISSED" }'
}

# target DESCRIPTION SHOWN VALUE LIMIT OP: one line of the Targets list (SHOWN is printed; VALUE is judged exactly).
target() {
  printf '  %-58s %10s  %s\n' "$1" "$2" "$(verdict "$3" "$4" "$5")" >>"$RUN_DIR/targets.txt"
}

load_generator_name() {
  if [[ $LOADGEN == wrk ]]; then echo "wrk -t$(nproc)"; else echo "scripts/loadgen (C#, wrk missing)"; fi
}
