#!/usr/bin/env bash
# WebSocket: messages per client CPU-second against the demo target's echo (target on CPU 1,
# client on CPU 0 with one thread; each user sends a message and reads its echo, in a loop),
# and resident memory per open, idle WebSocket user (users that connected and wait).
# Usage: bench/websocket.sh [ROUNDS] [SECONDS] [USERS] [IDLE_USERS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3} duration=${2:-5} users=${3:-50} idle=${4:-5000}
stampede="$root/build/cli/stampede"
[ -x "$stampede" ] || { echo "error: build first (scripts/build.sh)" >&2; exit 2; }
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }
ulimit -n 20000
work=$(mktemp -d)
taskset -c 1 "$root/build/demo_target/stampede-demo-target" --port 0 --threads 1 --idle-timeout 10m >"$work/demo.out" &
demo=$!
trap 'kill $demo 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do grep -q listening "$work/demo.out" && break; sleep 0.1; done
url="http://$(sed -n 's/^listening on //p' "$work/demo.out" | head -1)"
cat >"$work/echo.yaml" <<'YAML'
user_classes:
  - on_start: [{name: connect, ws: connect, path: /ws/chat}]
    tasks:
      - name: echo
        steps:
          - {name: send, ws: send, body: "a message of about forty bytes, echoed"}
          - {name: echo, ws: receive, timeout: 10s}
YAML
cat >"$work/idle.yaml" <<'YAML'
user_classes:
  - on_start: [{name: connect, ws: connect, path: /ws/chat}]
    wait_time: {constant: 300s}
    tasks: [{name: ping, ws: ping}]
YAML

echo "messages (sent and received) per client CPU-second, $users users:"
rates=()
for round in $(seq "$rounds"); do
    /usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 "$stampede" run --headless -f "$work/echo.yaml" -H "$url" \
        -u "$users" -r 100000 -t "${duration}s" --threads 1 --json "$work/r.json" >/dev/null 2>&1
    read -r user sys <"$work/t"
    rate=$(python3 -c "
import json; r = json.load(open('$work/r.json'))
n = sum(e.get('messages', 0) for e in r['endpoints']); f = r['totals']['failures']
print(round(n / ($user + $sys)), n, f)")
    echo "  round $round: $rate (per CPU-s, messages, failures)"
    rates+=("${rate%% *}")
done
python3 -c "import statistics, sys; print(f'  median {statistics.median(map(int, sys.argv[1:])):,.0f}')" "${rates[@]}"

# Peak resident size of a run with N idle users, less that of a run with one, per user.
peak() {
    /usr/bin/time -f "%M" -o "$work/m" taskset -c 0 "$stampede" run --headless -f "$work/idle.yaml" -H "$url" \
        -u "$1" -r 5000 -t 6s --threads 1 >/dev/null 2>&1
    cat "$work/m"
}
one=$(peak 1)
many=$(peak "$idle")
python3 -c "print(f'memory per open idle WebSocket user, {$idle} users: {($many - $one) / $idle:.2f} KB')"
