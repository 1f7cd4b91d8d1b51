#!/usr/bin/env bash
# How big the HTML report grows with a run's length: a run of SECONDS against the demo target
# (two workers, 20 endpoints, one of them failing, checks on each), its --html and --json
# sizes, and the time `stampede report` takes to render the JSON again.
# Usage: bench/report_size.sh [SECONDS]    (60 by default; 3600 for the hour the target names)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
bin="$root/build/cli/stampede" target="$root/build/demo_target/stampede-demo-target"
[ -x "$bin" ] || { echo "error: build first (scripts/build.sh)" >&2; exit 2; }
work=$(mktemp -d)
"$target" --port 0 --threads 1 --latency all=lognormal:5ms >"$work/target.out" 2>&1 &
target_pid=$!
trap 'kill $target_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/target.out" && break; sleep 0.1; done
address=$(sed -n 's/^listening on //p' "$work/target.out")
{
    echo "host: http://$address"
    echo "user_classes:"
    echo "  - name: Agent"
    echo "    wait_time: {constant: 100ms}"
    echo "    tasks:"
    for i in $(seq 19); do
        echo "      - {name: \"agent $i state\", path: /v1/opscore/agent/agent-$i/state, checks: [{status: 200}]}"
    done
    echo "      - {name: missing, path: /nope}"
} >"$work/s.yaml"
"$bin" run --headless -f "$work/s.yaml" -u 20 -r 20 -t "${seconds}s" --workers 2 --threads 1 \
    --json "$work/r.json" --html "$work/r.html" >"$work/run.out" 2>&1 || true
start=$(date +%s.%N)
"$bin" report "$work/r.json" --html "$work/again.html" >/dev/null
end=$(date +%s.%N)
python3 - "$work" "$seconds" "$start" "$end" <<'PY'
import json, os, sys
work, seconds, start, end = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4])
r = json.load(open(os.path.join(work, "r.json")))
html = os.path.getsize(os.path.join(work, "r.html"))
print(f"run of {seconds:.0f} s: {r['totals']['requests']} requests over {len(r['endpoints'])} endpoints, "
      f"{len(r['timeline']['time'])} intervals")
print(f"  HTML report {html / 1e6:.2f} MB, JSON result {os.path.getsize(os.path.join(work, 'r.json')) / 1e6:.2f} MB")
print(f"  stampede report re-rendered it in {end - start:.2f} s")
PY
