#!/usr/bin/env bash
# HTTPS: Stampede against wrk on https:// in one sitting. nginx with TLS (one worker on CPU 1,
# an ECDSA P-256 certificate made here) answers GET /ok; the client runs on CPU 0 with one
# thread. Two figures per tool, rounds alternating between the tools:
#   keep-alive: requests per client CPU-second over CONNECTIONS kept-alive connections;
#   new connections: nginx closes every connection after its response, so each request is a
#   TCP connect and a TLS handshake (Stampede resumes its users' TLS sessions, as browsers do;
#   nginx's log says how many handshakes each tool resumed).
# Stampede verifies the certificate (against the CA file); wrk does not verify.
# Usage: bench/https.sh [ROUNDS] [SECONDS] [CONNECTIONS]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
rounds=${1:-3} duration=${2:-5} connections=${3:-50}
need=()
for p in wrk nginx-light time openssl; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
if [ ${#need[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
stampede="$root/build/cli/stampede"
[ -x "$stampede" ] || { echo "error: build first (scripts/build.sh)" >&2; exit 2; }
ulimit -n 20000
work=$(mktemp -d)
mkdir -p "$work/logs"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$work/key.pem" \
    -out "$work/cert.pem" -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null
. "$root/bench/nginx.sh"
{ nginx_preamble "$work"; cat <<CONF
http {
    access_log off;
    log_format reused "\$ssl_session_reused";
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:18443 ssl;
        location /ok { default_type text/plain; return 200 "ok\n"; }
    }
    server {
        listen 127.0.0.1:18444 ssl;
        keepalive_timeout 0;
        access_log $work/logs/close.log reused;
        location /ok { default_type text/plain; return 200 "ok\n"; }
    }
}
CONF
} >"$work/nginx.conf"
taskset -c 1 nginx -p "$work" -c "$work/nginx.conf" -g 'daemon off;' &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 0.5
printf 'tls: {ca_file: %s}\nuser_classes:\n  - tasks:\n      - {name: ok, path: /ok, checks: [{status: 200}, {body_contains: ok}]}\n' \
    "$work/cert.pem" >"$work/ok.yaml"

# Prints "REQUESTS CPU_SECONDS RESUMED HANDSHAKES" for one run of a tool against a port.
stampede_round() {
    : >"$work/logs/close.log"
    /usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 "$stampede" run --headless -f "$work/ok.yaml" \
        -H "https://127.0.0.1:$1" -u "$connections" -r 100000 -t "${duration}s" --threads 1 --json "$work/r.json" \
        >"$work/s.out" 2>&1
    read -r user sys <"$work/t"
    python3 - "$work/r.json" "$user" "$sys" "$work/logs/close.log" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); t = r["totals"]
log = open(sys.argv[4]).read().split()
ok = t["requests"] - t["failures"]
print(ok, float(sys.argv[2]) + float(sys.argv[3]), log.count("r"), len(log), t.get("tls_handshake", {}).get("p50", 0))
PY
}
wrk_round() {
    : >"$work/logs/close.log"
    /usr/bin/time -f "%U %S" -o "$work/t" taskset -c 0 wrk -t1 -c"$connections" -d"${duration}s" \
        "https://127.0.0.1:$1/ok" >"$work/w.out" 2>&1
    read -r user sys <"$work/t"
    local n errors
    n=$(awk '/requests in/ {print $1}' "$work/w.out")
    errors=$(awk '/Non-2xx/ {print $NF}' "$work/w.out")
    python3 -c "
log = open('$work/logs/close.log').read().split()
print($n - ${errors:-0}, $user + $sys, log.count('r'), len(log), 0)"
}

results="$work/results.txt"
for round in $(seq "$rounds"); do
    for mode in keepalive close; do
        port=18443; [ "$mode" = close ] && port=18444
        read -r n cpu resumed shakes p50 < <(stampede_round $port)
        echo "stampede $mode $n $cpu $resumed $shakes $p50" | tee -a "$results"
        read -r n cpu resumed shakes p50 < <(wrk_round $port)
        echo "wrk $mode $n $cpu $resumed $shakes $p50" | tee -a "$results"
    done
done
python3 - "$results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
per = {}
for tool, mode, n, cpu, resumed, shakes, p50 in rows:
    per.setdefault((tool, mode), []).append((int(n) / float(cpu), int(resumed), int(shakes), float(p50)))
print()
for mode, label in (("keepalive", "keep-alive"), ("close", "new connection per request")):
    s = statistics.median(v[0] for v in per[("stampede", mode)])
    w = statistics.median(v[0] for v in per[("wrk", mode)])
    print(f"{label}: stampede {s:,.0f} / wrk {w:,.0f} requests per client CPU-second: {s / w:.2f}x wrk")
    if mode == "close":
        for tool in ("stampede", "wrk"):
            resumed = sum(v[1] for v in per[(tool, mode)]); shakes = sum(v[2] for v in per[(tool, mode)])
            print(f"  {tool}: {resumed:,} of {shakes:,} handshakes resumed")
        print(f"  stampede's TLS handshake p50: {statistics.median(v[3] for v in per[('stampede', mode)]):.3f} ms")
PY
