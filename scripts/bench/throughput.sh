# Section "throughput": 64-connection loads, Api beside MockApi (load_compare: alternating runs, median reported).
# GET /getUsers on the full data set; then the small data set (seed + one 20-event user) is swapped in, so that
# GET /getUsers answers a seed-sized list as in the SPEC's comparison: GET /getUsers again, and
# GET /getEventsByUserId/{warm 20-event user} beside the MockApi's GET /getUserById/{same user}.
# Target: GET /getUsers Api / MockApi throughput >= 0.35 on the small set.

section_run() {
  local rows=() notes=() labels=()
  throughput_pair() {  # NAME_A LABEL_A URL_A NAME_B LABEL_B URL_B
    load_compare "$1" "$3" "$4" "$6"
    labels+=("$2" "$5")
    rows+=("$LOAD_RESULT_A" "$LOAD_RESULT_B")
    notes+=("$WARMUP_ERRORS_A" "$WARMUP_ERRORS_B")
  }
  use_data "$FULL_DIR"
  local full_count small_count small_bytes
  read -r full_count _ < <(user_count "$MOCK")
  throughput_pair api-getUsers-full "Api     GET /getUsers (full set: $full_count users)" "$API/getUsers" \
    mock-getUsers-full "MockApi GET /getUsers (full set)" "$MOCK/getUsers"
  note_hwm "full-set /getUsers load"

  use_data "$SMALL_DIR"
  read -r small_count small_bytes < <(user_count "$MOCK")
  note_data "small set (load runs after the first two): seed + $LOAD_USER ($small_count users; GET /getUsers $small_bytes bytes)"
  throughput_pair api-getUsers "Api     GET /getUsers (small set: $small_count users)" "$API/getUsers" \
    mock-getUsers "MockApi GET /getUsers (small set)" "$MOCK/getUsers"
  throughput_pair api-getEventsByUserId "Api     GET /getEventsByUserId/$LOAD_USER (warm)" "$API/getEventsByUserId/$LOAD_USER" \
    mock-getUserById "MockApi GET /getUserById/$LOAD_USER" "$MOCK/getUserById/$LOAD_USER"
  note_hwm "small-set load"

  echo "Load: $CONNECTIONS connections, $(load_generator_name); per target a ${WARMUP_SECONDS} s warm-up, then $ROUNDS measured runs of ${SECONDS_MEASURED} s," >&3
  echo "      Api and MockApi alternating. req/s and p99: the median run; runs: every run's req/s, in order;" >&3
  echo "      errors: all measured runs (warm-up errors in brackets)" >&3
  printf '%-52s %8s %8s %8s %7s  %s\n' target "req/s" "p99 ms" non-2xx socket runs >&3
  local i rps p99 non2xx socket runs note
  for i in "${!rows[@]}"; do
    read -r rps p99 non2xx socket runs <<<"${rows[$i]}"
    note=""
    if ((notes[i] > 0)); then note=" [${notes[i]}]"; fi
    printf '%-52s %8s %8s %8s %7s  %s%s\n' "${labels[$i]}" "$rps" "$p99" "$non2xx" "$socket" "$runs" "$note" >&3
  done
  local api_rps mock_rps ratio ratio_full ratio_exact
  read -r api_rps _ <<<"${rows[0]}"
  read -r mock_rps _ <<<"${rows[1]}"
  ratio_full="$(awk -v a="$api_rps" -v m="$mock_rps" 'BEGIN { printf "%.3f", (m > 0) ? a / m : 0 }')"
  read -r api_rps _ <<<"${rows[2]}"
  read -r mock_rps _ <<<"${rows[3]}"
  # Three decimals, and the verdict on the exact value: 0.348 must not round up to a met 0.35.
  ratio="$(awk -v a="$api_rps" -v m="$mock_rps" 'BEGIN { printf "%.3f", (m > 0) ? a / m : 0 }')"
  ratio_exact="$(awk -v a="$api_rps" -v m="$mock_rps" 'BEGIN { printf "%.9f", (m > 0) ? a / m : 0 }')"
  echo "GET /getUsers throughput, Api / MockApi: $ratio (small set), $ratio_full (full set)" >&3
  echo >&3
  target "GET /getUsers Api/MockApi throughput >= 0.35 (small set)" "$ratio" "$ratio_exact" 0.35 ">="
}
