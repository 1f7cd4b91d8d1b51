#!/usr/bin/env bash
# A quick look while tuning the engine: Stampede against wrk only, nginx on CPU 1, client on
# CPU 0, one round. Prints user and system CPU per tool and requests per client CPU-second.
# For figures to record, use bench/run.sh (all peers, several rounds, medians).
# Usage: bench/quick.sh [SECONDS] [CONNECTIONS]   (needs wrk and nginx: bench/run.sh installs them)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
duration=${1:-5} connections=${2:-50}
work=$(mktemp -d)
. "$root/bench/nginx.sh"
start_nginx "$work" 18081
trap 'kill $nginx_pid 2>/dev/null || true' EXIT
printf 'user_classes:\n  - tasks:\n      - {name: ok, path: /ok, checks: [{status: 200}, {body_contains: ok}]}\n' >"$work/ok.yaml"

/usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 "$root/build/cli/stampede" run --headless -f "$work/ok.yaml" \
    -H http://127.0.0.1:18081 -u "$connections" -r 100000 -t "${duration}s" --threads 1 --json "$work/s.json" >/dev/null 2>&1
read -r user sys <"$work/t"
python3 - "$work/s.json" "$user" "$sys" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); n = r["totals"]["requests"]; u, s = float(sys.argv[2]), float(sys.argv[3])
print(f"stampede {n} requests, user {u:.2f} s, sys {s:.2f} s: {n / (u + s):,.0f} per CPU-s, "
      f"{u / n * 1e6:.1f} us user per request, p50 {r['totals']['p50']:.3f} ms")
PY
/usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 wrk -t1 -c"$connections" -d"${duration}s" --latency \
    http://127.0.0.1:18081/ok >"$work/w.out" 2>&1
read -r user sys <"$work/t"
n=$(awk '/requests in/ {print $1}' "$work/w.out")
p50=$(awk '$1 == "50%" {print $2}' "$work/w.out")
python3 -c "n, u, s = $n, $user, $sys; print(f'wrk      {n} requests, user {u:.2f} s, sys {s:.2f} s: {n / (u + s):,.0f} per CPU-s, {u / n * 1e6:.1f} us user per request, p50 $p50')"
