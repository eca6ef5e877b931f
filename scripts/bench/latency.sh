# Section "latency": GET /getEventsByUserId/{id} one request at a time (curl), cold (events never fetched) and warm
# (the same user again), per size of SIZES, on the full data set. Warms the Api up first (JIT, connection pool).
# Targets: cold median / floor <= 1.15 for 20 and 100 events; warm median < 5 ms for every size.

section_run() {
  use_data "$FULL_DIR"
  log "warming the Api up (its own users)"
  local size n urls warmup_file="$RUN_DIR/warmup.txt"
  for size in "${SIZES[@]}"; do
    for n in $(seq 1 "$WARMUP_USERS"); do
      urls=()
      for _ in $(seq 1 20); do urls+=("$API/getEventsByUserId/$(user_id "$size" w "$n")"); done
      sample "$warmup_file" "${urls[@]}"
    done
  done
  urls=()
  for _ in $(seq 1 200); do urls+=("$API/getUsers"); done
  sample "$warmup_file" "${urls[@]}"
  errors=$((errors + $(count_failed "$warmup_file")))
  load 3 "$API/getEventsByUserId/$(user_id 20 w 1)" >"$RUN_DIR/load-warmup.txt" 2>&1 || true
  load 3 "$API/getUsers" >>"$RUN_DIR/load-warmup.txt" 2>&1 || true
  note_hwm warm-up

  # Cold: one request per never-fetched user, one after another. Warm: the first cold user again, repeatedly.
  local rows=()
  for size in "${SIZES[@]}"; do
    log "cold and warm samples, $size events"
    local cold_file="$RUN_DIR/cold-$size.txt" warm_file="$RUN_DIR/warm-$size.txt"
    : >"$cold_file"
    : >"$warm_file"
    for n in $(seq 1 "$COLD_USERS"); do
      sample "$cold_file" "$API/getEventsByUserId/$(user_id "$size" c "$n")"
    done
    urls=()
    for _ in $(seq 1 "$WARM_SAMPLES"); do urls+=("$API/getEventsByUserId/$(user_id "$size" c 1)"); done
    sample "$warm_file" "${urls[@]}"
    errors=$((errors + $(count_failed "$cold_file") + $(count_failed "$warm_file")))
    rows+=("$size $(stats "$cold_file") $(stats "$warm_file")")
  done
  latency_check_shape
  note_hwm samples

  echo "GET /getEventsByUserId/{id} latency, ms (curl, one request at a time; warm = the first cold user again)" >&3
  printf '%7s | %6s %8s %8s | %6s %8s %8s | %6s %10s\n' \
    events "cold n" median p95 "warm n" median p95 floor cold/floor >&3
  local row cn cmed cp95 wn wmed wp95 ratio
  for row in "${rows[@]}"; do
    read -r size cn cmed cp95 wn wmed wp95 <<<"$row"
    ratio="$(awk -v m="$cmed" -v f="$EVENT_DELAY_MS" 'BEGIN { printf "%.3f", m / f }')"
    printf '%7s | %6s %8s %8s | %6s %8s %8s | %6s %10s\n' "$size" "$cn" "$cmed" "$cp95" "$wn" "$wmed" "$wp95" \
      "$EVENT_DELAY_MS" "$ratio" >&3
    if [[ $size == 20 || $size == 100 ]]; then
      target "cold median / floor <= 1.15, $size events" "$ratio" \
        "$(awk -v m="$cmed" -v f="$EVENT_DELAY_MS" 'BEGIN { print m / f }')" 1.15 "<="
    fi
  done
  echo >&3
  for row in "${rows[@]}"; do
    read -r size _ _ _ _ wmed _ <<<"$row"
    target "warm median < 5 ms, $size events" "$wmed ms" "$wmed" 5 "<"
  done
}

# A cold answer must hold all the user's events, in order: check one of each size, so a fast wrong answer cannot pass.
latency_check_shape() {
  local size id body expected
  for size in "${SIZES[@]}"; do
    id="$(user_id "$size" c 1)"
    body="$(curl -s "$API/getEventsByUserId/$id")"
    expected="$(printf '"id":"%s-%03d"' "$id" "$size")"
    if [[ $(grep -o '"id":"' <<<"$body" | wc -l) != "$size" || $body != *"$expected"* ]]; then
      log "ERROR: /getEventsByUserId/$id did not answer its $size events"
      errors=$((errors + 1))
    fi
  done
}
