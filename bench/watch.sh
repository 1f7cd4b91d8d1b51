#!/usr/bin/env bash
# The master's cost of watching the service: a master and one worker (a light load on the demo
# target) while the master reads SERIES series of a Prometheus endpoint each second, against the
# same run watching nothing, alternating; reports the master's CPU (user and system time, from
# /proc) as a share of a core, and the difference: what the watch costs.
# The endpoint is a static exposition (SERIES gauges, `svc_queue_depth{shard="k"}`, and as many
# histogram series the watch does not read) served by Python's http.server on loopback.
# Usage: bench/watch.sh [SERIES=10000] [SECONDS=30] [ROUNDS=3]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
series=${1:-10000}
seconds=${2:-30}
rounds=${3:-3}
"$root/scripts/build.sh" stampede stampede-demo-target >/dev/null
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

mkdir -p "$work/site"
python3 - "$series" >"$work/site/metrics" <<'PY'
import sys
n = int(sys.argv[1])
print("# TYPE svc_queue_depth gauge")
for k in range(n):
    print(f'svc_queue_depth{{shard="{k}"}} {k % 97}')
print("# TYPE svc_latency_seconds histogram")
for k in range(n // 10):
    for le in ("0.01", "0.1", "1", "+Inf"):
        print(f'svc_latency_seconds_bucket{{route="r{k}",le="{le}"}} {k}')
    print(f'svc_latency_seconds_sum{{route="r{k}"}} {k * 0.05}')
    print(f'svc_latency_seconds_count{{route="r{k}"}} {k}')
PY
(cd "$work/site" && exec python3 -m http.server --bind 127.0.0.1 0 >"$work/http.out" 2>&1) &
pids+=($!)
"$root/build/demo_target/stampede-demo-target" --port 0 >"$work/target.out" &
pids+=($!)
for _ in $(seq 100); do grep -q "port" "$work/http.out" 2>/dev/null && grep -q "listening" "$work/target.out" && break; sleep 0.1; done
http_port=$(sed -n 's/.*port \([0-9]*\).*/\1/p' "$work/http.out" | head -1)
target=$(sed -n 's/listening on \(\S*\).*/\1/p' "$work/target.out" | head -1)

scenario() {  # $1: the number of series to watch
    echo "host: http://$target"
    echo "user_classes:"
    echo "  - wait_time: {constant: 10ms}"
    echo "    tasks: [{name: ok, path: /ok}]"
    [ "$1" -gt 0 ] || return 0
    echo "watch:"
    echo "  prometheus:"
    echo "    - url: http://127.0.0.1:$http_port/metrics"
    echo "      series:"
    for k in $(seq 0 $(("$1" - 1))); do echo "        s$k: 'svc_queue_depth{shard=\"$k\"}'"; done
}
scenario 0 >"$work/plain.yaml"
scenario "$series" >"$work/watched.yaml"

# One run: the master's CPU seconds over its run, as a share of a core.
master_cpu() {
    local out="$work/master.out"
    "$root/build/cli/stampede" master --headless -f "$1" --bind 127.0.0.1:0 --expect-workers 1 -u 4 -r 100 \
        -t "${seconds}s" >"$out" 2>"$work/master.err" &
    local master=$!
    for _ in $(seq 100); do grep -q "worker(s) on" "$out" && break; sleep 0.1; done
    local port
    port=$(sed -n 's/.*worker(s) on 127.0.0.1:\([0-9]*\).*/\1/p' "$out")
    "$root/build/cli/stampede" worker --master "127.0.0.1:$port" --threads 1 >/dev/null 2>&1 &
    local worker=$!
    local ticks=0
    while kill -0 "$master" 2>/dev/null; do  # the last reading before it exits
        ticks=$(awk '{print $14 + $15}' "/proc/$master/stat" 2>/dev/null || echo "$ticks")
        sleep 0.2
    done
    wait "$worker" 2>/dev/null || true
    if [ "$(basename "$1")" = watched.yaml ] && ! grep -q "^s0 " "$out"; then echo "the watched run read nothing" >&2; exit 1; fi
    awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v s="$seconds" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}

echo "the master's CPU, % of a core, over ${seconds}s runs; the watch reads $series series a second"
for round in $(seq "$rounds"); do
    plain=$(master_cpu "$work/plain.yaml")
    watched=$(master_cpu "$work/watched.yaml")
    awk -v r="$round" -v p="$plain" -v w="$watched" 'BEGIN { printf "round %d: watching nothing %s %%, watching %s %%, the watch %.2f %%\n", r, p, w, w - p }'
done
