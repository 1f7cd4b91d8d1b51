#!/usr/bin/env bash
# Builds the fuzz targets in fuzz/ with clang for libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer into build-fuzz/, and runs them (installing what is missing first).
#   scripts/fuzz.sh                      # every target, 600 s each, two at a time
#   scripts/fuzz.sh -t 60 http_response  # one target for 60 s
#   scripts/fuzz.sh -j 1 -t 30           # every target, 30 s each, one at a time
# Each run starts from the seed corpus (fuzz/corpus/NAME) and the regressions
# (fuzz/regressions/NAME) and grows its own corpus in build-fuzz/corpus/NAME, kept between
# runs. A finding stops its target; the input is left in build-fuzz/findings/NAME/ and the
# script fails. Every run's last status line (time, executions, coverage) goes to
# build-fuzz/logs/NAME.log and the summary to stdout.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=600
jobs=2
while getopts "t:j:" opt; do
    case "$opt" in
        t) seconds=$OPTARG ;;
        j) jobs=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [-j PARALLEL] [TARGET...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
# libFuzzer reads a bad -max_total_time as 0, which is no limit at all.
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 1 && "$seconds" -le 86400 ]] ||
    { echo "error: -t: a whole number of seconds, 1 to 86400: '$seconds'" >&2; exit 2; }
[[ "$jobs" =~ ^[0-9]+$ && "$jobs" -ge 1 ]] || { echo "error: -j: a whole number, at least 1: '$jobs'" >&2; exit 2; }
all=(scenario_file template json_checks histogram_codec http_response rest_request worker_messages master_messages websocket_frames terminal_text body_file exposition result_document sse_stream)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
    [ -d "$root/fuzz/corpus/$t" ] || { echo "error: no fuzz target '$t' (targets: ${all[*]})" >&2; exit 2; }
done

"$root/deploy/install-deps.sh"
"$root/deploy/install-deps.sh" --fuzz
out="$root/build-fuzz"
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$out" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
    -DBUILD_TESTING=OFF -DSTAMPEDE_FUZZ=ON -DSTAMPEDE_SANITIZE=address,undefined >/dev/null
cmake --build "$out" --target "${targets[@]/#/fuzz_}"

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
run_one() {
    local t=$1
    mkdir -p "$out/corpus/$t" "$out/findings/$t" "$out/logs"
    local inputs=("$out/corpus/$t" "$root/fuzz/corpus/$t")
    [ -d "$root/fuzz/regressions/$t" ] && inputs+=("$root/fuzz/regressions/$t")
    # -rss_limit_mb: a target that needs more than this for one input is a finding too.
    (cd "$out/findings/$t" && "$out/fuzz/fuzz_$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
        -print_final_stats=1 "${inputs[@]}") >"$out/logs/$t.log" 2>&1
}
running=0
for t in "${targets[@]}"; do
    (run_one "$t"; echo $? >"$out/logs/$t.status") &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then wait -n || true; running=$((running - 1)); fi
done
wait
failed=()
for t in "${targets[@]}"; do
    [ "$(cat "$out/logs/$t.status")" = 0 ] || failed+=("$t")
done
echo
printf '%-18s %10s %12s %8s %8s %8s\n' target seconds executions exec/s coverage features
for t in "${targets[@]}"; do
    log="$out/logs/$t.log"
    line=$(grep -aE '^#[0-9]+' "$log" | tail -1)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$line")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$line")
    printf '%-18s %10s %12s %8s %8s %8s\n' "$t" "$seconds" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "findings in: ${failed[*]} (inputs in build-fuzz/findings/)" >&2
    exit 1
fi
