#!/usr/bin/env bash
# Stampede against its peers, in one run, on the same targets:
#   requests per client CPU-second (the headline), requests/s, p50, p99 and peak RSS for
#   Stampede, wrk, h2load --h1, Locust FastHttpUser (one process, and master + 2 workers),
#   against nginx (one worker) and stampede-demo-target /ok; then memory per idle user.
# Client on CPU 0, server on CPU 1; tools in turn, several rounds; medians and ranges.
# Usage: bench/run.sh [--rounds N] [--duration S] [--connections C] [--idle-users "1000 10000"]
# Prints a Markdown report; results/bench-*.md keeps it with the raw measurements beside it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=3 duration=10 connections=50 idle_users="1000 10000"
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds=$2; shift 2 ;;
        --duration) duration=$2; shift 2 ;;
        --connections) connections=$2; shift 2 ;;
        --idle-users) idle_users=$2; shift 2 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

"$root/deploy/install-deps.sh"
need=()
for p in wrk nghttp2-client python3-locust nginx-light time; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
"$root/scripts/build.sh" >/dev/null
ulimit -n 20000

stampede="$root/build/cli/stampede"
work=$(mktemp -d)
raw="$work/raw.jsonl"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

# --- targets on CPU 1 ------------------------------------------------------------------------
nginx_port=18080
. "$root/bench/nginx.sh"
start_nginx "$work/nginx" "$nginx_port"
pids+=("$nginx_pid")
taskset -c 1 "$root/build/demo_target/stampede-demo-target" --port 0 --threads 1 >"$work/demo.out" &
pids+=($!)
for _ in $(seq 50); do grep -q listening "$work/demo.out" && break; sleep 0.1; done
demo_port=$(sed -n 's/^listening on 127.0.0.1://p' "$work/demo.out")
sleep 0.5

# Stampede measured as users run it: per-endpoint statistics and checks on every response.
checks='checks: [{status: 200}, {body_contains: ok}]'
printf 'user_classes:\n  - tasks:\n      - {name: ok, path: /ok, %s}\n' "$checks" >"$work/ok.yaml"
printf 'user_classes:\n  - wait_time: {constant: 300s}\n    tasks:\n      - {name: ok, path: /ok, %s}\n' "$checks" >"$work/idle.yaml"

# --- one measurement per tool: append a JSON line ---------------------------------------------
timed() {  # timed OUTFILE CMD... : runs CMD on CPU 0 under /usr/bin/time
    local out=$1; shift
    /usr/bin/time -f "%e %U %S %M" -o "$work/time.txt" taskset -c 0 "$@" >"$out" 2>&1 || true
}
record() {  # record TOOL TARGET ROUND REQUESTS FAILURES RPS P50_MS P99_MS
    read -r wall user sys rss <"$work/time.txt"
    printf '{"tool":"%s","target":"%s","round":%s,"requests":%s,"failures":%s,"rps":%s,"p50_ms":%s,"p99_ms":%s,"cpu_s":%s,"wall_s":%s,"rss_kb":%s}\n' \
        "$1" "$2" "$3" "$4" "$5" "$6" "$7" "$8" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$wall" "$rss" >>"$raw"
}
to_ms() {  # wrk units: 1.23ms, 456.00us, 1.02s
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) print substr(v, 1, length(v) - 2) / 1000
        else if (v ~ /ms$/) print substr(v, 1, length(v) - 2) + 0
        else print substr(v, 1, length(v) - 1) * 1000 }'
}

run_stampede() {
    timed "$work/s.out" "$stampede" run --headless -f "$work/ok.yaml" -H "$2" -u "$connections" -r 100000 \
        -t "${duration}s" --threads 1 --json "$work/s.json"
    python3 - "$work/s.json" <<'PY' >"$work/s.vals"
import json, sys
r = json.load(open(sys.argv[1])); t = r["totals"]
print(t["requests"], t["failures"], t["requests"] / r["duration_s"], t["p50"], t["p99"])
PY
    record stampede "$1" "$3" $(cat "$work/s.vals")
}
run_wrk() {
    timed "$work/w.out" wrk -t1 -c"$connections" -d"${duration}s" --latency "$2/ok"
    local n rps p50 p99 errors
    n=$(awk '/requests in/ {print $1}' "$work/w.out")
    rps=$(awk '/Requests\/sec/ {print $2}' "$work/w.out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$work/w.out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$work/w.out")")
    errors=$(awk '/Non-2xx|Socket errors/ {s += $NF} END {print s + 0}' "$work/w.out")
    record wrk "$1" "$3" "$n" "$errors" "$rps" "$p50" "$p99"
}
run_h2load() {
    timed "$work/h.out" h2load --h1 -t1 -c"$connections" -D "$duration" "$2/ok"
    local ok failed rps
    ok=$(awk '/^requests:/ {print $8}' "$work/h.out")
    failed=$(awk '/^requests:/ {print $10}' "$work/h.out")
    rps=$(awk '/^finished in/ {print $4}' "$work/h.out")
    record h2load "$1" "$3" "$((ok + failed))" "$failed" "$rps" null null
}
locust_csv_record() {  # TOOL TARGET ROUND: from the Aggregated row of Locust's stats CSV
    python3 - "$work/l_stats.csv" <<'PY' >"$work/l.vals"
import csv, sys
row = [r for r in csv.DictReader(open(sys.argv[1])) if r["Name"] == "Aggregated"][0]
print(row["Request Count"], row["Failure Count"], row["Requests/s"], row["50%"], row["99%"])
PY
    record "$1" "$2" "$3" $(cat "$work/l.vals")
}
locust=(/usr/bin/python3 "$root/bench/peers/locust_launcher.py" -f "$root/bench/peers/locustfile.py")
run_locust() {
    timed "$work/l.out" "${locust[@]}" --headless -u "$connections" -r "$connections" -t "${duration}s" \
        -H "$2" --csv "$work/l" --only-summary
    locust_csv_record locust "$1" "$3"
}
run_locust_distributed() {
    timed "$work/l.out" bash -c '
        locust=("$@"); set --
        "${locust[@]}" --master --expect-workers 2 --headless -u '"$connections"' -r '"$connections"' \
            -t '"$duration"'s -H '"$2"' --csv '"$work"'/l --only-summary &
        for w in 1 2; do "${locust[@]}" --worker & done
        wait' _ "${locust[@]}"
    locust_csv_record locust-distributed "$1" "$3"
}

for round in $(seq "$rounds"); do
    for target in nginx demo; do
        url="http://127.0.0.1:$([ "$target" = nginx ] && echo "$nginx_port" || echo "$demo_port")"
        for tool in stampede wrk h2load locust locust_distributed; do
            echo "round $round: $tool against $target" >&2
            "run_$tool" "$target" "$url" "$round"
        done
    done
    # Latency fidelity: one connection, so neither client is the bottleneck and p50 is the
    # target's own latency plus each client's overhead.
    saved=$connections; connections=1
    for tool in stampede wrk; do
        echo "round $round: $tool against nginx, one connection" >&2
        "run_$tool" nginx-1 "http://127.0.0.1:$nginx_port" "$round"
    done
    connections=$saved
done

# --- memory per idle user (users connected, then thinking) ------------------------------------
idle_rss() {  # idle_rss USERS -> resident KB once every user has made its first request
    "$stampede" run --headless -f "$work/idle.yaml" -H "http://127.0.0.1:$nginx_port" -u "$1" -r 100000 -t 20s \
        --threads 1 >"$work/idle.out" 2>&1 &
    local pid=$!
    for _ in $(seq 150); do grep -q "All users spawned" "$work/idle.out" && break; sleep 0.1; done
    sleep 3
    awk '/VmRSS/ {print $2}' "/proc/$pid/status"
    kill -INT "$pid"; wait "$pid" || true
}
wrk_rss() {
    /usr/bin/time -f "%M" -o "$work/time.txt" wrk -t1 -c"$1" -d3s "http://127.0.0.1:$nginx_port/ok" >/dev/null 2>&1 || true
    cat "$work/time.txt"
}
locust_idle_rss() {
    BENCH_THINK_SECONDS=300 "${locust[@]}" --headless -u "$1" -r 1000 -t 20s -H "http://127.0.0.1:$nginx_port" \
        >"$work/li.out" 2>&1 &
    local pid=$!
    sleep $((5 + $1 / 1000 * 2))
    awk '/VmRSS/ {print $2}' "/proc/$pid/status"
    kill -INT "$pid"; wait "$pid" || true
}
base_s=$(idle_rss 1); base_w=$(wrk_rss 1); base_l=$(locust_idle_rss 1)
for n in $idle_users; do
    s=$(idle_rss "$n"); w=$(wrk_rss "$n")
    l=null; [ "$n" -le 1000 ] && l=$(locust_idle_rss "$n")
    printf '{"idle_users":%s,"stampede_kb":%s,"stampede_base_kb":%s,"wrk_kb":%s,"wrk_base_kb":%s,"locust_kb":%s,"locust_base_kb":%s}\n' \
        "$n" "$s" "$base_s" "$w" "$base_w" "$l" "$base_l" >>"$raw"
done

mkdir -p "$root/results"
report="$root/results/bench-$(date +%Y%m%d-%H%M%S).md"
cp "$raw" "${report%.md}.jsonl"
python3 "$root/bench/summarize.py" "$raw" "$rounds" "$duration" "$connections" | tee "$report"
