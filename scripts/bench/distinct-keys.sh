# Section "distinct-keys": GET /getEventsByUserId for random users out of DK_USERS (DK_EVENTS cached events each), so
# that shared reads cannot help (a real load asks for many different users), through the Api, through the lean
# baseline (scripts/bench/baseline: the same work and nothing else) and straight to the MockApi
# (GET /getUserById, the one upstream read of each request). CPU microseconds per request of each process come from
# /proc/<pid>/stat (utime + stime over the run, divided by the requests it answered). Then GET /getUsers the same
# way, on the small set: one key, so the Api's shared reads answer many requests with one upstream call there.
# Beside the CPU, the Api's own allocations and collections per request (its /metrics), which do not move with the
# machine's load.
# Target: the Api's CPU per distinct-key request <= 1.5x the baseline's (SPEC §5).

readonly DK_USERS=2000
readonly DK_EVENTS=5
readonly DK_PREFIX=dk

section_run() {
  local baseline_out="$BENCH_DIR/baseline"
  if [[ "${BENCH_NO_BUILD:-}" != 1 || ! -f "$baseline_out/baseline.dll" ]]; then
    log "building the baseline (scripts/bench/baseline)"
    dotnet build "$ROOT/scripts/bench/baseline/Baseline.csproj" -c Release -o "$baseline_out" --nologo -v quiet >&2 \
      || die "the baseline does not build"
  fi
  local dk_dir="$RUN_DIR/data-distinct-keys"
  begin_data "$dk_dir"
  gen_users "$DK_PREFIX" "$DK_USERS" "$DK_EVENTS" "$dk_dir"
  finish_data "$dk_dir"
  use_data "$dk_dir"

  local port baseline_pid="" base
  port="$(free_port "${API##*:}" "${MOCK##*:}")"
  base="http://127.0.0.1:$port"
  log "starting the baseline on $port"
  start_process baseline_pid "$baseline_out" baseline.dll "$RUN_DIR/baseline.log" PORT="$port" UPSTREAM="$MOCK"
  wait_healthy baseline "$base/healthz" "$baseline_pid" "$RUN_DIR/baseline.log"

  log "warming the event cache of all $DK_USERS users (Api and baseline)"
  distinct_keys_warm_cache "$API"
  distinct_keys_warm_cache "$base"

  local ids="$DK_PREFIX $DK_USERS"
  distinct_keys_compare "$ids" \
    "Api      GET /getEventsByUserId/{random}" api-dk "$API/getEventsByUserId/" "$API_PID" \
    "Baseline GET /getEventsByUserId/{random}" baseline-dk "$base/getEventsByUserId/" "$baseline_pid" \
    "MockApi  GET /getUserById/{random}" mock-dk "$MOCK/getUserById/" "$MOCK_PID"
  local dk_rows=("${DK_ROWS[@]}") dk_ratio="$DK_RATIO" dk_ratio_exact="$DK_RATIO_EXACT" dk_ratios="$DK_RATIOS" dk_gc="$DK_GC"
  note_hwm "distinct keys"

  use_data "$SMALL_DIR"
  distinct_keys_compare "" \
    "Api      GET /getUsers (small set; shared reads)" api-dk-getUsers "$API/getUsers" "$API_PID" \
    "Baseline GET /getUsers (small set)" baseline-dk-getUsers "$base/getUsers" "$baseline_pid" \
    "MockApi  GET /getUsers (small set)" mock-dk-getUsers "$MOCK/getUsers" "$MOCK_PID"
  stop_process "$baseline_pid"

  echo "Distinct keys: GET /getEventsByUserId/{one of $DK_USERS users at random, $DK_EVENTS cached events each}, $CONNECTIONS connections," >&3
  echo "      $(load_generator_name) (scripts/bench/random-ids.lua); per target a ${WARMUP_SECONDS} s warm-up, then $ROUNDS rounds of ${SECONDS_MEASURED} s," >&3
  echo "      Api, baseline (scripts/bench/baseline) and MockApi alternating. CPU: utime+stime of that process over the" >&3
  echo "      run / requests, in microseconds; req/s, p99 and CPU: the median run; runs: every run's CPU per request" >&3
  distinct_keys_table "${dk_rows[@]}"
  echo "CPU per request, Api / baseline: $dk_ratio (median of the rounds; rounds: $dk_ratios)" >&3
  echo "Api over its runs (from its /metrics): $dk_gc" >&3
  echo "GET /getUsers (one key: the Api's shared reads answer many requests with one upstream call, the baseline makes one per request)" >&3
  distinct_keys_table "${DK_ROWS[@]}"
  echo "CPU per request, Api / baseline: $DK_RATIO (rounds: $DK_RATIOS)" >&3
  echo >&3
  target "distinct keys: Api/baseline CPU per request <= 1.5" "$dk_ratio" "$dk_ratio_exact" 1.5 "<="
}

# distinct_keys_warm_cache BASE_URL: every distinct-keys user once, 100 at a time, so that their events are cached.
distinct_keys_warm_cache() {
  local config="$RUN_DIR/distinct-keys-urls.txt" out="$RUN_DIR/distinct-keys-warm.txt" n bad
  for n in $(seq 1 "$DK_USERS"); do printf 'url = "%s/getEventsByUserId/%s%04d"\noutput = "/dev/null"\n' "$1" "$DK_PREFIX" "$n"; done >"$config"
  curl -s --no-progress-meter --parallel --parallel-max 100 --max-time 60 -w '%{http_code}\n' -K "$config" >"$out" || true
  bad=$(awk '$1 != 200' "$out" | wc -l)
  bad=$((bad + DK_USERS - $(wc -l <"$out")))
  if ((bad > 0)); then
    log "ERROR: $bad of $DK_USERS cache warm-up requests to $1 failed"
    errors=$((errors + bad))
  fi
}

# distinct_keys_compare IDS (LABEL NAME URL PID)...: a warm-up run of each target, then $ROUNDS rounds of one run of
# each, alternating. Sets DK_ROWS ("label|rps p99 us non2xx socket runs" per target, the run with the median CPU per
# request), DK_RATIO (the median over the rounds of the first target's CPU per request / the second's, 2 decimals),
# DK_RATIO_EXACT and DK_RATIOS (every round's ratio), and DK_GC (the Api's allocations and collections per request;
# the first target must be the Api).
distinct_keys_compare() {
  local ids="$1"
  shift
  local labels=() names=() urls=() pids=() i round result rps p99 us
  while (($# > 0)); do labels+=("$1"); names+=("$2"); urls+=("$3"); pids+=("$4"); shift 4; done
  for i in "${!names[@]}"; do warm_up "${names[$i]}" "${urls[$i]}" "$ids"; done
  log "load ${names[*]}: $ROUNDS rounds of ${SECONDS_MEASURED} s each, alternating"
  local -A runs=()
  local gc_before gc_after api_requests=0
  gc_before="$(distinct_keys_gc_counters)"
  for round in $(seq 1 "$ROUNDS"); do
    for i in "${!names[@]}"; do
      result="$(measure "${names[$i]}" "${urls[$i]}" "$round" "$ids" "${pids[$i]}")"
      errors=$((errors + $(run_errors "$result")))
      ((i > 0)) || api_requests=$((api_requests + $(awk '{ print $5 }' <<<"$result")))
      # "rps p99 non2xx socket requests ticks" -> "rps p99 us non2xx socket"
      runs[$i]+="$(awk -v hz="$(getconf CLK_TCK)" \
        '{ printf "%s %s %.0f %s %s\n", $1, $2, ($5 > 0) ? $6 * 1e6 / hz / $5 : 0, $3, $4 }' <<<"$result")"$'\n'
    done
  done
  DK_ROWS=()
  for i in "${!names[@]}"; do
    local median totals
    median="$(printf '%s' "${runs[$i]}" | sort -n -k3,3 | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }')"
    totals="$(printf '%s' "${runs[$i]}" | awk '{ n += $4; s += $5; list = list (NR > 1 ? "/" : "") $3 } END { print n, s, list }')"
    read -r rps p99 us _ <<<"$median"
    DK_ROWS+=("${labels[$i]}|$rps $p99 $us $totals")
  done
  gc_after="$(distinct_keys_gc_counters)"
  # The Api's own allocations and collections over its runs (it is idle during the others'): unlike CPU time, they
  # do not move with the machine's load, so they show what a change did when the CPU figures are too noisy to.
  DK_GC="$(awk -v n="$api_requests" '
    NR == 1 { split($0, a) } NR == 2 { split($0, b) }
    END {
      if (n > 0) printf "%.1f KB allocated per request; collections per 1,000 requests: gen0 %.2f, gen1 %.2f, gen2 %.2f",
        (b[1] - a[1]) / n / 1024, (b[2] - a[2]) * 1000 / n, (b[3] - a[3]) * 1000 / n, (b[4] - a[4]) * 1000 / n
    }
  ' <(printf '%s\n%s\n' "$gc_before" "$gc_after"))"
  local ratios
  ratios="$(paste -d' ' <(printf '%s' "${runs[0]}" | awk '{ print $3 }') <(printf '%s' "${runs[1]}" | awk '{ print $3 }') \
    | awk '{ print ($2 > 0) ? $1 / $2 : 0 }' | sort -g)"
  DK_RATIO_EXACT="$(awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }' <<<"$ratios")"
  DK_RATIO="$(awk -v v="$DK_RATIO_EXACT" 'BEGIN { printf "%.2f", v }')"
  DK_RATIOS="$(paste -d' ' <(printf '%s' "${runs[0]}" | awk '{ print $3 }') <(printf '%s' "${runs[1]}" | awk '{ print $3 }') \
    | awk '{ printf "%s%.2f", (NR > 1 ? "/" : ""), ($2 > 0) ? $1 / $2 : 0 }')"
}

# distinct_keys_gc_counters: "bytes gen0 gen1 gen2" of the Api's /metrics: all bytes it allocated, and its
# collections of each generation (a collection counts once, in the oldest generation it collected).
distinct_keys_gc_counters() {
  curl -s --max-time 5 "$API/metrics" | awk '
    /^dotnet_gc_heap_total_allocated_bytes_total/ { bytes = $2 }
    /^dotnet_gc_collections_total\{/ { if (match($0, /gen[012]/)) count[substr($0, RSTART + 3, 1)] = $2 }
    END { printf "%.0f %.0f %.0f %.0f\n", bytes, count[0], count[1], count[2] }'
}

# distinct_keys_table ROW...: the rows of distinct_keys_compare as a table.
distinct_keys_table() {
  printf '%-46s %8s %8s %10s %8s %7s  %s\n' target "req/s" "p99 ms" "CPU us/req" non-2xx socket "runs (CPU us/req)" >&3
  local row label rps p99 us non2xx socket list
  for row in "$@"; do
    label="${row%%|*}"
    read -r rps p99 us non2xx socket list <<<"${row#*|}"
    printf '%-46s %8s %8s %10s %8s %7s  %s\n' "$label" "$rps" "$p99" "$us" "$non2xx" "$socket" "$list" >&3
  done
}
