# Section "overload": the figures of SPEC §7 (issue 14), with scripts/overload (a small C# client) against the
# MockApi (500 ms lookups, random failures off). Each scenario gets an Api process of its own, started from the
# Release output and stopped after it (so the main Api's memory figure does not move, and every scenario starts
# with an empty event cache and a fresh latency estimate); the JIT is warmed first with a few requests for users of
# its own, which also feed the lookup latency estimate with real 500 ms lookups (GET /getUsers only before
# "failing", see there).
#   burst     20 concurrent cold users of 500 events; a cold 1-event user asked 1 s into the burst
#   deadline  Requests__Timeout=00:00:05; 30 concurrent cold users of 500 events
#   failing   every GET /getEventById answers 503 (MockApi EventFailureRate 1); 100 concurrent cold 1-event users;
#             then the fault is cleared and a cold user is asked
# Targets: every figure of the issue's done-when, one met/missed line each (the client judges; see Program.cs).
# Knob: BENCH_OVERLOAD_SCENARIOS ("burst deadline failing" by default).

readonly OVERLOAD_SCENARIOS=(${BENCH_OVERLOAD_SCENARIOS:-burst deadline failing})

section_run() {
  local client_out="$BENCH_DIR/overload"
  if [[ "${BENCH_NO_BUILD:-}" != 1 || ! -f "$client_out/overload-bench.dll" ]]; then
    log "building the overload client (scripts/overload)"
    dotnet build "$ROOT/scripts/overload/OverloadBench.csproj" -c Release -o "$client_out" --nologo -v quiet >&2 \
      || die "the overload client does not build"
  fi

  # The users the client asks for (o500-NN: 500 events, o1-NNN: 1 event) and warm-up users (ow-NN); event ids of
  # their own, so no other section's cache has them.
  local dir="$RUN_DIR/data-overload" n
  begin_data "$dir"
  for n in $(seq 1 50); do gen_user "$(printf 'o500-%02d' "$n")" 500 cold "$n" "$dir"; done
  gen_user o1-001 1 cold 1 "$dir"
  for n in $(seq 101 201); do gen_user "$(printf 'o1-%03d' "$n")" 1 cold "$n" "$dir"; done
  for n in $(seq 1 6); do gen_user "$(printf 'ow-%02d' "$n")" 20 warm-up "$n" "$dir"; done
  finish_data "$dir"
  use_data "$dir"

  echo "Overload (SPEC §7): scripts/overload against the MockApi (500 ms lookups, random failures off), one Api" >&3
  echo "      process per scenario (appsettings defaults: ExternalApi:MaxConcurrentCalls 512, Requests:Timeout 30 s)" >&3
  printf '%-62s %-34s %s\n' figure measured target >&3
  local scenario
  for scenario in "${OVERLOAD_SCENARIOS[@]}"; do
    case $scenario in
      burst) overload_scenario burst ;;
      deadline) overload_scenario deadline Requests__Timeout=00:00:05 ;;
      # No event lookups before this one: the retry budget counts the calls of the last 10 s
      # (ExternalApi:RetryBudgetWindow), so healthy lookups of a warm-up would lend the failure their retries.
      failing) OVERLOAD_WARM_EVENTS=0 overload_scenario failing ;;
      *) die "no overload scenario '$scenario' (burst, deadline, failing)" ;;
    esac
  done
  echo >&3
}

# overload_scenario NAME [NAME=VALUE...]: starts an Api of its own with the extra settings, warms it up, runs the
# client's scenario, reports its lines, stops the Api.
overload_scenario() {
  local scenario="$1"
  shift
  local port pid="" base out="$RUN_DIR/overload-$scenario.txt" logfile="$RUN_DIR/api-overload-$scenario.log"
  port="$(free_port "${API##*:}" "${MOCK##*:}")"
  base="http://127.0.0.1:$port"
  log "overload $scenario: starting an Api of its own on $port${*:+ ($*)}"
  start_process pid "$API_OUT" EventManagement.Api.dll "$logfile" PORT="$port" EXTERNAL_API_BASE_URL="$MOCK" "$@"
  wait_healthy "Api (overload $scenario)" "$base/healthz" "$pid" "$logfile"
  overload_warm_up "$base"

  log "overload $scenario: running scripts/overload"
  dotnet "$BENCH_DIR/overload/overload-bench.dll" "$scenario" "$base" "$MOCK" >"$out" 2>"$out.err" \
    || { cat "$out.err" >&2; die "the overload client failed in scenario $scenario (see $out.err)"; }
  stop_process "$pid"
  gzip -f "$logfile" 2>/dev/null || true

  local figure measured goal verdict
  while IFS='|' read -r figure measured goal verdict; do
    printf '%-62s %-34s %s\n' "$figure" "$measured" "$goal${verdict:+ ($verdict)}" >&3
    [[ -z $verdict ]] && continue
    target "$figure" "$measured" "$([[ $verdict == met ]] && echo 1 || echo 0)" 1 ">="
  done <"$out"
}

# overload_warm_up BASE_URL: JIT and connection pool, a few requests of each route (warm-up users, 20 events each),
# so that the first seconds of a scenario measure the mechanisms, not the start of a process. With
# OVERLOAD_WARM_EVENTS=0, GET /getUsers only (no event lookups).
overload_warm_up() {
  local base="$1" urls=() n file="$RUN_DIR/overload-warmup.txt"
  if [[ ${OVERLOAD_WARM_EVENTS:-1} == 1 ]]; then
    for n in $(seq 1 6); do urls+=("$base/getEventsByUserId/$(printf 'ow-%02d' "$n")"); done
    for n in $(seq 1 20); do urls+=("$base/getEventsByUserId/ow-01"); done
  fi
  for n in $(seq 1 20); do urls+=("$base/getUsers"); done
  sample "$file" "${urls[@]}"
  errors=$((errors + $(count_failed "$file")))
  : >"$file"
}
