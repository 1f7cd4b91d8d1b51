#!/usr/bin/env bash
# Installs what is missing, builds, starts the bundled demo target on a free loopback port and
# runs examples/quickstart.yaml against it. Results land in results/quickstart*.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
mkdir -p "$root/results"

port_file=$(mktemp)
"$root/build/demo_target/stampede-demo-target" --port 0 --threads 1 \
    --latency jsonrpc=lognormal:20ms >"$port_file" &
target=$!
trap 'kill $target 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do grep -q listening "$port_file" && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$port_file")
echo "demo target listening on $address"

"$root/build/cli/stampede" run -f "$root/examples/quickstart.yaml" --headless \
    --profile quick --workers 2 -H "http://$address" \
    --csv "$root/results/quickstart" --json "$root/results/quickstart.json"
