#!/usr/bin/env bash
# The open model's own precision and cost, against nginx on loopback (one nginx worker on
# CPU 1, the client on CPU 0 with one load thread), in one sitting:
#  1. RATE iterations a second for SECONDS: the rate achieved against the plan, and the start
#     lag (from an iteration's intended start to the moment it began, just before its request
#     is written) at p50, p99 and max;
#  2. requests per client CPU-second at that rate, open (arrival_rate) against closed (users
#     paced to the same rate), rounds alternating; the ratio open / closed.
# Usage: bench/open_model.sh [ROUNDS] [SECONDS] [RATE] [TIMING]   (TIMING: sleep, the default, or
# spin; needs nginx: bench/run.sh installs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-5} duration=${2:-10} rate=${3:-20000} timing=${4:-sleep}
bin="$root/build/cli/stampede"
[ -x "$bin" ] || { echo "error: build first (scripts/build.sh)" >&2; exit 2; }
ulimit -n 20000
work=$(mktemp -d)
. "$root/bench/nginx.sh"
start_nginx "$work" 18083
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
users=20  # closed: 20 users, each starting an iteration every 20/RATE seconds
pacing_us=$(python3 -c "print(round($users * 1e6 / $rate))")
cat >"$work/open.yaml" <<YAML
user_classes:
  - name: Open
    arrival_rate: {rate: $rate, users: $users, max_users: 2000, timing: $timing}
    tasks: [{name: ok, path: /ok, checks: [{status: 200}]}]
YAML
cat >"$work/closed.yaml" <<YAML
user_classes:
  - name: Closed
    wait_time: {pacing: ${pacing_us}us}
    tasks: [{name: ok, path: /ok, checks: [{status: 200}]}]
YAML

# one_round FILE -> "requests cpu_seconds iterations duration_s lag_p50 lag_p99 lag_max"
one_round() {
    /usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 "$bin" run --headless -f "$work/$1" -H http://127.0.0.1:18083 \
        -u "$users" -r 100000 -t "${duration}s" --threads 1 --json "$work/r.json" >/dev/null 2>&1
    read -r user sys <"$work/t"
    python3 - "$work/r.json" "$user" "$sys" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
cpu = float(sys.argv[2]) + float(sys.argv[3])
c = r["open_classes"][0] if r["open_classes"] else None
lag = c["start_lag"] if c else {"p50": 0, "p99": 0, "max": 0}
print(r["totals"]["requests"], cpu, c["iterations"] if c else 0, r["duration_s"], lag["p50"], lag["p99"], lag["max"])
PY
}

open_rows=() closed_rows=()
for r in $(seq "$rounds"); do
    if [ $((r % 2)) -eq 1 ]; then
        o=$(one_round open.yaml); c=$(one_round closed.yaml)
    else
        c=$(one_round closed.yaml); o=$(one_round open.yaml)
    fi
    open_rows+=("$o"); closed_rows+=("$c")
    echo "round $r: open [$o] closed [$c]"
done

python3 - "$rate" "$(printf '%s\n' "${open_rows[@]}")" "$(printf '%s\n' "${closed_rows[@]}")" "$timing" <<'PY'
import statistics, sys
rate = float(sys.argv[1])
rows = lambda text: [list(map(float, line.split())) for line in text.strip().splitlines()]
opened, closed = rows(sys.argv[2]), rows(sys.argv[3])
# The arrivals run from the first assignment to the stop, about the run's length.
achieved = [o[2] / o[3] for o in opened]
print(f"open model at {rate:.0f}/s, {len(opened)} rounds, one load thread, timing {sys.argv[4]}:")
print(f"  achieved rate: median {statistics.median(achieved):.1f}/s "
      f"({100 * (statistics.median(achieved) / rate - 1):+.2f} % of the plan; rounds {', '.join(f'{a:.0f}' for a in achieved)})")
print(f"  start lag: p50 median {statistics.median(o[4] for o in opened) * 1000:.0f} us, "
      f"p99 median {statistics.median(o[5] for o in opened) * 1000:.0f} us, "
      f"max over rounds {max(o[6] for o in opened) * 1000:.0f} us")
per_cpu = lambda rs: [r[0] / r[1] for r in rs]
po, pc = per_cpu(opened), per_cpu(closed)
print(f"  requests per client CPU-second: open median {statistics.median(po):.0f}, "
      f"closed (paced to the same rate) median {statistics.median(pc):.0f}, "
      f"ratio {statistics.median(po) / statistics.median(pc):.2f}")
PY
