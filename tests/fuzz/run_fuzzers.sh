#!/usr/bin/env bash
# Runs libFuzzer targets one after another, each for a fixed CPU-time (or
# wall-time) budget, at low priority, and prints one summary line per target
# (the table in docs/fuzzing.md).
#
#   tests/fuzz/run_fuzzers.sh [-c CPU_SECONDS | -t SECONDS] [-m] [-b DIR] [TARGET...]
#
#   -c CPU_SECONDS  stop each target once it has used this much CPU time,
#                   all its threads counted (default 600 = 10 CPU-minutes)
#   -t SECONDS      stop each target after this much wall time instead
#   -m              afterwards, merge inputs that add coverage into
#                   tests/fuzz/corpus/<target>/ (libFuzzer -merge=1)
#   -b DIR          build directory of the `fuzz` preset (default build/fuzz)
#   TARGET          e.g. relay_send, admin, unseal (default: all targets)
#
# New inputs and crash artifacts go to $FUZZ_WORK (default
# /tmp/confidant-fuzz)/<target>/; the committed corpus is only read unless -m
# is given. Exit status 1 if any target found a crash, leak, timeout or oracle
# violation (its artifact is named in the summary). Extra libFuzzer flags can
# be passed in $FUZZ_FLAGS; $CONFIDANT_FUZZ_KNOWN is passed through (see
# docs/fuzzing.md).
set -euo pipefail

ALL_TARGETS=(relay_register relay_get_account relay_upload_keys
  relay_get_pre_key_bundle relay_get_pre_key_count relay_list_trust_persons
  relay_send relay_receive relay_ack admin unseal unpad)

cpu_budget=600
wall_budget=0
merge=0
src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
build="$src/build/fuzz"
while getopts "c:t:mb:" opt; do
  case "$opt" in
    c) cpu_budget="$OPTARG"; wall_budget=0 ;;
    t) wall_budget="$OPTARG"; cpu_budget=0 ;;
    m) merge=1 ;;
    b) build="$(cd "$OPTARG" && pwd)" ;;
    *) sed -n '2,23p' "$0"; exit 2 ;;
  esac
done
shift $((OPTIND - 1))
targets=("$@")
[[ ${#targets[@]} -eq 0 ]] && targets=("${ALL_TARGETS[@]}")
work="${FUZZ_WORK:-/tmp/confidant-fuzz}"
ticks=$(getconf CLK_TCK)

# CPU seconds (user + system, all threads) used so far by process $1.
cpu_of() {
  awk -v t="$ticks" '{ sub(/^.*\) /, ""); printf "%d", ($12 + $13) / t }' \
    "/proc/$1/stat" 2>/dev/null || echo 0
}

found=0
printf '%-26s %6s %6s %10s %7s %7s %s\n' target wall_s cpu_s execs exec/s \
  corpus result
for t in "${targets[@]}"; do
  bin="$build/tests/fuzz/fuzz_$t"
  corpus="$src/tests/fuzz/corpus/$t"
  if [[ ! -x "$bin" ]]; then
    echo "missing $bin: cmake --preset fuzz && ninja -C $build fuzz_$t" >&2
    exit 2
  fi
  mkdir -p "$work/$t/new"
  log="$work/$t/fuzz.log"
  rm -f "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* \
    "$work/$t"/oom-*
  # Without a wall budget libFuzzer runs until the CPU watcher interrupts it
  # (SIGINT: it prints its final stats and exits 72).
  max_time=$((wall_budget > 0 ? wall_budget : 0))
  # shellcheck disable=SC2086
  /usr/bin/time -f '%e %U %S' -o "$work/$t/time" \
    nice -n 10 "$bin" -max_total_time="$max_time" -timeout=120 \
    -print_final_stats=1 -artifact_prefix="$work/$t/" ${FUZZ_FLAGS:-} \
    "$work/$t/new" "$corpus" >"$log" 2>&1 &
  timer=$!
  interrupted=0
  if [[ "$cpu_budget" -gt 0 ]]; then
    fuzzer=""
    while kill -0 "$timer" 2>/dev/null; do
      sleep 2
      [[ -z "$fuzzer" ]] && fuzzer=$(pgrep -P "$timer" | head -1 || true)
      if [[ -n "$fuzzer" && $(cpu_of "$fuzzer") -ge "$cpu_budget" ]]; then
        kill -INT "$fuzzer" 2>/dev/null || true
        interrupted=1
        break
      fi
    done
  fi
  status=0
  wait "$timer" || status=$?
  [[ "$interrupted" == 1 && "$status" == 72 ]] && status=0
  read -r wall user sys < <(tail -1 "$work/$t/time") || true
  cpu=$(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.0f", u + s }')
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  artifact=$(ls "$work/$t"/crash-* "$work/$t"/leak-* "$work/$t"/timeout-* \
    "$work/$t"/oom-* 2>/dev/null | head -1 || true)
  if [[ "$merge" == 1 && -z "$artifact" ]]; then
    "$bin" -merge=1 "$corpus" "$work/$t/new" >>"$log" 2>&1 || true
  fi
  files=$(find "$corpus" -type f | wc -l)
  if [[ -n "$artifact" || "$status" -ne 0 ]]; then
    result="FOUND ${artifact:-exit $status} (log: $log)"
    found=1
  else
    result="nothing found"
  fi
  printf '%-26s %6.0f %6s %10s %7s %7s %s\n' "$t" "${wall:-0}" "$cpu" \
    "${execs:-?}" "${rate:-?}" "$files" "$result"
done
exit "$found"
