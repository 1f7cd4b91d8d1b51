#!/usr/bin/env bash
# Installs what is missing, builds, and runs a distributed load test on this machine: the
# bundled demo target, a master and two worker processes talking gRPC over loopback, running
# examples/quickstart.yaml. The master prints the report; results land in results/quickstart*.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh" stampede stampede-demo-target  # only what it runs; the test command builds the rest
mkdir -p "$root/results"
stampede="$root/build/cli/stampede"

work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$root/build/demo_target/stampede-demo-target" --port 0 --threads 1 \
    --latency jsonrpc=lognormal:20ms >"$work/target.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/target.out" && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/target.out")
[ -n "$address" ] || { echo "the demo target did not start" >&2; exit 1; }
echo "demo target listening on $address"

# The master picks a free port and says which; its console output is the report.
"$stampede" master -f "$root/examples/quickstart.yaml" --headless --profile quick -H "http://$address" \
    --bind 127.0.0.1:0 --expect-workers 2 --expect-workers-max-wait 30s \
    --csv "$root/results/quickstart" --json "$root/results/quickstart.json" --html "$root/results/quickstart.html" \
    > >(tee "$work/master.out") &
master=$!
for _ in $(seq 100); do grep -q "worker(s) on" "$work/master.out" 2>/dev/null && break; sleep 0.1; done
port=$(sed -n 's/.*worker(s) on 127.0.0.1:\([0-9]*\).*/\1/p' "$work/master.out")
[ -n "$port" ] || { echo "the master did not start" >&2; exit 1; }

for n in 1 2; do
    "$stampede" worker --master "127.0.0.1:$port" --name "worker-$n" --threads 1 \
        >"$root/results/quickstart_worker_$n.log" 2>&1 &
    pids+=($!)
done

status=0
wait "$master" || status=$?
for pid in "${pids[@]:1}"; do wait "$pid" || true; done  # workers leave when the master ends the run
pids=("${pids[0]}")
echo "report: $root/results/quickstart.html (also quickstart_*.csv, quickstart.json; worker logs: quickstart_worker_*.log)"
exit "$status"
