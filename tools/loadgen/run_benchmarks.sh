#!/usr/bin/env bash
# Runs every target scenario of confidant-loadgen at full scale, one after the
# other, and prints the markdown blocks for docs/benchmarks.md. Meant for a
# quiet machine: anything else running shows up in the figures.
#
#   tools/loadgen/run_benchmarks.sh [--loadgen PATH] [--out FILE] [--quick]
#
#   --loadgen PATH  confidant-loadgen to run (default: build/default's)
#   --out FILE      also append the markdown to FILE
#   --quick         every scenario at a small scale (checks the script, not
#                   the targets)
#
# Scenarios, in order:
#   1. closed loop at concurrency 16 and 64: durable Send/s vs the health
#      check at the same concurrency (target: ratio >= 0.5)
#   2. open loop at half the best closed-loop Send/s (target: e2e p99 < 10 ms)
#   3. 10,000 idle receivers (target: relay RSS < 500 MB)
#   4. queue 10,000 envelopes over 1,000 mailboxes, then 1,000,000 over
#      100,000 (targets: time to first envelope at 1M at most 1.5x the 10k
#      one; disk per envelope at most 1.3x; space returned after draining)
# Exit status: 0 if every run worked (targets met or not), 1 otherwise.
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
loadgen="${here}/../../build/default/tools/loadgen/confidant-loadgen"
out=""
quick=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --loadgen) loadgen="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --quick) quick=1; shift ;;
    -h|--help) sed -n '2,21p' "$0"; exit 0 ;;
    *) echo "run_benchmarks.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
done
if [[ ! -x "${loadgen}" ]]; then
  echo "run_benchmarks.sh: no confidant-loadgen at ${loadgen}; build it" \
       "(ninja -C build/default confidant-loadgen) or pass --loadgen" >&2
  exit 2
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/confidant-bench-XXXXXX")"
trap 'rm -rf "${work}"' EXIT
markdown="${work}/benchmarks.md"
failures=0
started=$(date +%s)

if [[ ${quick} -eq 1 ]]; then
  concurrencies=(4 16); senders_open=16; receivers=4; warmup=1; duration=3
  idle_n=500; q_small=(2000 200); q_big=(20000 2000); ttfe=50; settle=10
else
  concurrencies=(16 64); senders_open=64; receivers=8; warmup=5; duration=30
  idle_n=10000; q_small=(10000 1000); q_big=(1000000 100000); ttfe=500
  settle=300
fi

# value KEY FILE: the value of KEY in a --summary-file.
value() { sed -n "s/^$1=//p" "$2" | head -n1; }

# run NAME ARGS...: one loadgen run with its summary in ${work}/NAME.txt.
run() {
  local name="$1"; shift
  local t0=$(date +%s)
  echo "== ${name}: confidant-loadgen $*" >&2
  "${loadgen}" --summary-file "${work}/${name}.txt" \
      --markdown-file "${markdown}" "$@" > "${work}/${name}.log" 2>&1
  local rc=$?
  if [[ ${rc} -ne 0 ]]; then
    echo "   FAILED (exit ${rc}); output:" >&2
    sed 's/^/   | /' "${work}/${name}.log" >&2
    failures=$((failures + 1))
  else
    sed -n '/^== /,/^$/p' "${work}/${name}.log" | sed 's/^/   | /' >&2
  fi
  echo "   took $(( $(date +%s) - t0 )) s" >&2
}

{
  echo "## Relay benchmarks (confidant-loadgen), $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "Machine: $(nproc) cores, $(free -g | awk '/^Mem:/{print $2}') GiB RAM," \
       "$(uname -sr); load average at start: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Source: $(git -C "${here}" describe --always --dirty 2>/dev/null || echo unknown)" \
       "(the relay and tools of that tree, as built)."
  echo "Script: \`tools/loadgen/run_benchmarks.sh$([[ ${quick} -eq 1 ]] && echo ' --quick')\`"
} > "${markdown}"

best=0
for c in "${concurrencies[@]}"; do
  run "closed-${c}" closed --senders "${c}" --receivers "${receivers}" \
      --warmup "${warmup}" --duration "${duration}"
  rate=$(value send_per_s "${work}/closed-${c}.txt")
  if [[ -n "${rate}" && "${rate}" -gt "${best}" ]]; then best=${rate}; fi
done

if [[ "${best}" -gt 0 ]]; then
  run open-half open --rate $((best / 2)) --senders "${senders_open}" \
      --receivers "${receivers}" --warmup "${warmup}" --duration "${duration}"
else
  echo "== open loop skipped: no closed-loop maximum" >&2
  failures=$((failures + 1))
fi

run idle idle --receivers "${idle_n}" --hold "${duration}"

run queue-small queue --envelopes "${q_small[0]}" --mailboxes "${q_small[1]}" \
    --ttfe-samples "${ttfe}" --settle-timeout "${settle}"
run queue-big queue --envelopes "${q_big[0]}" --mailboxes "${q_big[1]}" \
    --ttfe-samples "${ttfe}" --settle-timeout "${settle}"

small="${work}/queue-small.txt"; big="${work}/queue-big.txt"
if [[ -s "${small}" && -s "${big}" ]]; then
  # The ratio of medians, and the same after dividing each by the health
  # check's round trip measured at the same moments (machine load cancels).
  read -r verdict p50 p99 norm <<< "$(awk \
      -v s50="$(value ttfe_p50_ns "${small}")" -v b50="$(value ttfe_p50_ns "${big}")" \
      -v s99="$(value ttfe_p99_ns "${small}")" -v b99="$(value ttfe_p99_ns "${big}")" \
      -v srtt="$(value health_rtt_p50_ns "${small}")" \
      -v brtt="$(value health_rtt_p50_ns "${big}")" 'BEGIN {
        r50 = s50 > 0 ? b50 / s50 : 0; r99 = s99 > 0 ? b99 / s99 : 0;
        rn = (s50 > 0 && brtt > 0) ? (b50 / brtt) / (s50 / srtt) : 0;
        printf "%s %.2f %.2f %.2f\n", (r50 > 0 && r50 <= 1.5) ? "met" : "NOT-MET",
               r50, r99, rn }')"
  {
    echo
    echo "#### Receive time to first envelope: ${q_big[0]} vs ${q_small[0]} queued"
    echo
    echo "- target ${verdict/-/ }: time to first envelope with ${q_big[0]} queued" \
         "at most 1.5x that with ${q_small[0]} (p50 ratio ${p50}, p99 ratio ${p99};" \
         "p50 ratio relative to the health-check round trip at the same moments: ${norm})"
  } >> "${markdown}"
fi

total=$(( $(date +%s) - started ))
echo >> "${markdown}"
echo "All scenarios took ${total} s; ${failures} run(s) failed." >> "${markdown}"
cat "${markdown}"
if [[ -n "${out}" ]]; then cat "${markdown}" >> "${out}"; fi
[[ ${failures} -eq 0 ]]
