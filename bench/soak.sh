#!/usr/bin/env bash
# Soak: USERS users (1,000) for SECONDS (600) against the demo target, from a master and two
# workers on loopback, with the RSS and CPU of every process sampled each second. It says
# whether memory stayed flat after the warm-up (RSS growth over the last 80 % of the run, the
# mean of its last 30 s against the mean of its first 30 s, under 2 %, for the master and the
# workers), whether what the
# workers counted equals what the target served, and whether any request failed; it writes the
# samples (CSV) and a chart (SVG) to OUTDIR.
#   bench/soak.sh [-t SECONDS] [-u USERS] [-o OUTDIR]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=600 users=1000 out="$root/build/soak"
while getopts "t:u:o:" opt; do
    case "$opt" in
        t) seconds=$OPTARG ;;
        u) users=$OPTARG ;;
        o) out=$OPTARG ;;
        *) echo "usage: $0 [-t SECONDS] [-u USERS] [-o OUTDIR]" >&2; exit 2 ;;
    esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$users" =~ ^[0-9]+$ && "$users" -ge 1 ]] ||
    { echo "error: -t and -u take whole numbers, -u at least 1" >&2; exit 2; }
[ "$seconds" -le 86400 ] || { echo "error: -t: at most 86400 s" >&2; exit 2; }
[ "$seconds" -ge 60 ] || { echo "error: -t: at least 60 s (the warm-up is the first 20 %)" >&2; exit 2; }
bin="$root/build/cli/stampede" target_bin="$root/build/demo_target/stampede-demo-target"
[ -x "$bin" ] && [ -x "$target_bin" ] || { echo "error: build first (scripts/build.sh)" >&2; exit 2; }
ulimit -n 20000
mkdir -p "$out"
work=$(mktemp -d)
pids=()
cleanup() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

target_port=18190 control_port=18191
cat >"$work/soak.yaml" <<YAML
host: http://127.0.0.1:$target_port
user_classes:
  - name: Agent
    wait_time: {between: [0.5s, 1.5s]}
    tasks:
      - name: read state
        weight: 6
        path: "/v1/opscore/agent/{{ random_int(1, 5000) }}/state"
        checks: [{status: 200}, {json: version, exists: true}]
      - name: start workflow
        weight: 3
        method: POST
        path: "/v1/opscore/agent/{{ random_int(1, 5000) }}/workflow"
        json: {workflow: soak, run: "{{ counter() }}"}
        checks: [{status: 202}, {json: status, equals: started}]
      - name: health
        weight: 1
        path: /health
        checks: [{json: status, equals: ok}]
YAML

"$target_bin" --host 127.0.0.1 --port "$target_port" >"$work/target.log" 2>&1 &
pids+=($!); target_pid=$!
"$bin" master --headless -f "$work/soak.yaml" --bind "127.0.0.1:$control_port" --expect-workers 2 \
    -u "$users" -r 100 -t "${seconds}s" --json "$out/result.json" >"$work/master.log" 2>&1 &
pids+=($!); master_pid=$!
worker_pids=()
for n in 1 2; do
    "$bin" worker --master "127.0.0.1:$control_port" --name "soak-$n" --threads 1 >"$work/worker-$n.log" 2>&1 &
    pids+=($!); worker_pids+=($!)
done

# Every second: each process's RSS (KiB) and CPU (% of one core over the second).
ticks=$(getconf CLK_TCK)
declare -A last_cpu
echo "second,process,rss_kib,cpu_percent" >"$out/samples.csv"
names=(target master worker-1 worker-2)
procs=("$target_pid" "$master_pid" "${worker_pids[@]}")
t=0
while kill -0 "$master_pid" 2>/dev/null && [ "$t" -le $((seconds + 120)) ]; do
    for i in "${!procs[@]}"; do
        p=${procs[$i]}
        [ -r "/proc/$p/stat" ] || continue
        read -r -a stat <"/proc/$p/stat" || continue
        cpu=$((stat[13] + stat[14]))
        rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || echo 0)
        prev=${last_cpu[$p]:-$cpu}
        last_cpu[$p]=$cpu
        echo "$t,${names[$i]},$rss,$(((cpu - prev) * 100 / ticks))" >>"$out/samples.csv"
    done
    sleep 1
    t=$((t + 1))
done
wait "$master_pid" && code=0 || code=$?
served=$(curl -s "http://127.0.0.1:$target_port/__stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["served"])')
cp "$work/master.log" "$out/master.log"

python3 - "$out" "$seconds" "$served" "$code" "$users" <<'PY'
import csv, json, sys
out, seconds, served, code, users = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
rows = list(csv.DictReader(open(f"{out}/samples.csv")))
result = json.load(open(f"{out}/result.json"))
requests, failures = result["totals"]["requests"], result["totals"]["failures"]
names = ["target", "master", "worker-1", "worker-2"]
series = {n: [(int(r["second"]), int(r["rss_kib"]), int(r["cpu_percent"])) for r in rows if r["process"] == n] for n in names}
warm = seconds // 5
ok = True
print(f"{seconds} s, {users} users: {requests} requests counted, "
      f"{served} served by the target, {failures} failures, master exit {code}")
if requests != served:
    ok = False
    print(f"FAIL: counted {requests} != served {served}")
if failures:
    ok = False
    print(f"FAIL: {failures} requests failed")
print(f"{'process':10} {'RSS after warm-up':>18} {'RSS at the end':>15} {'growth':>8} {'CPU mean':>9} {'CPU max':>8}")
for n in names:
    s = [x for x in series[n] if x[0] >= warm and x[0] <= seconds]
    if len(s) < 20:
        continue
    k = min(30, len(s) // 4)  # the means of the first and last 30 s (shorter runs: a quarter)
    first = sum(x[1] for x in s[:k]) / k
    last = sum(x[1] for x in s[-k:]) / k
    growth = (last - first) / first * 100
    cpu = [x[2] for x in s]
    print(f"{n:10} {first / 1024:15.1f} MiB {last / 1024:12.1f} MiB {growth:7.2f}% {sum(cpu) / len(cpu):8.1f}% {max(cpu):7d}%")
    if n != "target" and growth >= 2:
        ok = False
        print(f"FAIL: {n}'s memory grew {growth:.2f}% after the warm-up")

# The chart: RSS of each process over the run, one line each.
w, h, left, bottom = 720, 300, 60, 30
peak = max(x[1] for n in names for x in series[n]) / 1024 * 1.1 or 1
end = max(x[0] for n in names for x in series[n]) or 1
colors = {"target": "#888888", "master": "#1f77b4", "worker-1": "#d62728", "worker-2": "#2ca02c"}
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11">',
       f'<rect width="{w}" height="{h}" fill="white"/>']
def x(t): return left + (w - left - 10) * t / end
def y(mib): return h - bottom - (h - bottom - 10) * mib / peak
for frac in (0, 0.25, 0.5, 0.75, 1):
    v = peak * frac
    svg.append(f'<line x1="{left}" x2="{w - 10}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#eee"/>')
    svg.append(f'<text x="{left - 5}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.0f} MiB</text>')
svg.append(f'<line x1="{x(warm):.1f}" x2="{x(warm):.1f}" y1="10" y2="{h - bottom}" stroke="#bbb" stroke-dasharray="4 3"/>')
svg.append(f'<text x="{x(warm) + 4:.1f}" y="20">warm-up ends</text>')
for t in range(0, end + 1, max(60, end // 10 // 60 * 60)):
    svg.append(f'<text x="{x(t):.1f}" y="{h - 10}" text-anchor="middle">{t // 60} min</text>')
for i, n in enumerate(names):
    pts = " ".join(f"{x(t):.1f},{y(r / 1024):.1f}" for t, r, _ in series[n])
    svg.append(f'<polyline fill="none" stroke="{colors[n]}" stroke-width="1.5" points="{pts}"/>')
    svg.append(f'<text x="{left + 10 + i * 110}" y="36" fill="{colors[n]}">{n}</text>')
svg.append("</svg>")
open(f"{out}/rss.svg", "w").write("\n".join(svg))
print(f"samples: {out}/samples.csv, chart: {out}/rss.svg")
sys.exit(0 if ok and code == 0 else 1)
PY
