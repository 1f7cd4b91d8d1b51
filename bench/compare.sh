#!/usr/bin/env bash
# Two builds of Stampede against each other, in one sitting: this tree's build and another
# (a checkout of an older commit, built). Rounds alternate between them against nginx (one
# worker on CPU 1, client on CPU 0); then memory per idle user for both. Prints each round,
# the medians and the paired ratios (this build / the other).
# Usage: bench/compare.sh OTHER_STAMPEDE [ROUNDS] [SECONDS] [CONNECTIONS]
#   e.g. git worktree add /tmp/before 3046b24 && (cd /tmp/before && scripts/build.sh)
#        bench/compare.sh /tmp/before/build/cli/stampede 10 5 50
# (needs nginx: bench/run.sh installs it)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
other=${1:?usage: bench/compare.sh OTHER_STAMPEDE [ROUNDS] [SECONDS] [CONNECTIONS]}
rounds=${2:-10} duration=${3:-5} connections=${4:-50}
this="$root/build/cli/stampede"
[ -x "$other" ] || { echo "error: $other is not an executable" >&2; exit 2; }
[ -x "$this" ] || { echo "error: build this tree first (scripts/build.sh)" >&2; exit 2; }
ulimit -n 20000
work=$(mktemp -d)
. "$root/bench/nginx.sh"
start_nginx "$work" 18082
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
printf 'user_classes:\n  - tasks:\n      - {name: ok, path: /ok, checks: [{status: 200}, {body_contains: ok}]}\n' >"$work/ok.yaml"
printf 'user_classes:\n  - wait_time: {constant: 300s}\n    tasks:\n      - {name: ok, path: /ok}\n' >"$work/idle.yaml"

# per_cpu_second BINARY -> requests per client CPU-second of one round
per_cpu_second() {
    /usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 "$1" run --headless -f "$work/ok.yaml" -H http://127.0.0.1:18082 \
        -u "$connections" -r 100000 -t "${duration}s" --threads 1 --json "$work/r.json" >/dev/null 2>&1
    read -r user sys <"$work/t"
    python3 -c "import json; n = json.load(open('$work/r.json'))['totals']['requests']; print(round(n / ($user + $sys)))"
}

# idle_kb BINARY USERS -> resident KB once every user has made its first request
idle_kb() {
    "$1" run --headless -f "$work/idle.yaml" -H http://127.0.0.1:18082 -u "$2" -r 100000 -t 30s --threads 1 >"$work/idle.out" 2>&1 &
    local pid=$!
    for _ in $(seq 200); do grep -q "All users spawned" "$work/idle.out" && break; sleep 0.1; done
    sleep 3
    awk '/VmRSS/ {print $2}' "/proc/$pid/status"
    kill -INT "$pid"; wait "$pid" || true
}

this_rounds=() other_rounds=()
for r in $(seq "$rounds"); do
    # Alternate which goes first, so a drift of the machine falls on both.
    if [ $((r % 2)) -eq 1 ]; then
        a=$(per_cpu_second "$this"); b=$(per_cpu_second "$other")
    else
        b=$(per_cpu_second "$other"); a=$(per_cpu_second "$this")
    fi
    this_rounds+=("$a"); other_rounds+=("$b")
    echo "round $r: this $a, other $b per client CPU-second"
done

memory=()
for users in 1 1000 10000; do
    memory+=("$users $(idle_kb "$this" "$users") $(idle_kb "$other" "$users")")
done

python3 - "${this_rounds[*]}" "${other_rounds[*]}" "${memory[@]}" <<'PY'
import statistics, sys
this = [int(x) for x in sys.argv[1].split()]
other = [int(x) for x in sys.argv[2].split()]
ratios = [a / b for a, b in zip(this, other)]
print(f"requests per client CPU-second, {len(this)} rounds")
print(f"  this:  median {statistics.median(this):,.0f} (range {min(this):,}-{max(this):,})")
print(f"  other: median {statistics.median(other):,.0f} (range {min(other):,}-{max(other):,})")
print(f"  paired ratios this/other: median {statistics.median(ratios):.3f} "
      f"(range {min(ratios):.3f}-{max(ratios):.3f}); ratio of medians "
      f"{statistics.median(this) / statistics.median(other):.3f}")
rows = [tuple(int(v) for v in m.split()) for m in sys.argv[3:]]
base = rows[0]
print("memory per idle user (resident KB over a one-user run, divided by the users)")
for users, a, b in rows[1:]:
    print(f"  {users:>6} users: this {(a - base[1]) / users:.2f} KB, other {(b - base[2]) / users:.2f} KB")
PY
