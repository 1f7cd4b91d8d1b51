#!/usr/bin/env bash
# The master's merge capacity: K simulated workers each send one snapshot per second covering
# E endpoints to a real master; reports the master's CPU and checks its totals.
# Usage: bench/master_merge.sh [WORKERS=1000] [ENDPOINTS=50] [SECONDS=10]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
workers=${1:-1000}
endpoints=${2:-50}
seconds=${3:-10}
"$root/scripts/build.sh" >/dev/null
work=$(mktemp -d)
trap 'kill $master 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT
ulimit -n 20000 2>/dev/null || true

{
    echo "host: http://127.0.0.1:9"
    echo "user_classes:"
    echo "  - tasks:"
    for e in $(seq "$endpoints"); do echo "      - {name: endpoint-$e, path: /e/$e}"; done
} >"$work/scenario.yaml"

# Master and simulated workers on different cores, so neither steals the other's CPU.
taskset -c 1 "$root/build/cli/stampede" master --headless -f "$work/scenario.yaml" --bind 127.0.0.1:0 \
    --expect-workers "$workers" --expect-workers-max-wait 120s -u "$workers" -r 1000 \
    -t "$((seconds + 8))s" --stop-timeout 0s --json "$work/result.json" >"$work/master.out" 2>"$work/master.err" &
master=$!
for _ in $(seq 100); do grep -q "worker(s) on" "$work/master.out" && break; sleep 0.1; done
port=$(sed -n 's/.*worker(s) on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/master.out")

taskset -c 0 "$root/build/bench/stampede-bench-master" --master "127.0.0.1:$port" --master-pid "$master" \
    --workers "$workers" --endpoints "$endpoints" --seconds "$seconds" --requests "${REQUESTS:-200}" --connections "${CONNECTIONS:-100}" | tee "$work/bench.out"
wait "$master" || true
sent=$(sed -n 's/.*requests sent \([0-9]*\).*/\1/p' "$work/bench.out")
merged=$(awk '/"totals"/{f=1} f && /"requests":/{gsub(/[^0-9]/, ""); print; exit}' "$work/result.json")
echo "requests sent by the simulated workers: $sent; merged by the master: $merged"
[ "$sent" = "$merged" ] && echo "totals match" || { echo "TOTALS DIFFER"; exit 1; }
