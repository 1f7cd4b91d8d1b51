"""Turns bench/run.sh's raw measurements (one JSON object a line) into the Markdown report."""
import json
import statistics
import sys

raw, rounds, duration, connections = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
runs, idle = [], []
for line in open(raw):
    item = json.loads(line)
    (idle if "idle_users" in item else runs).append(item)

TOOLS = ["stampede", "wrk", "h2load", "locust", "locust-distributed"]
TARGETS = {"nginx": "nginx 1.22, one worker", "demo": "stampede-demo-target, one thread"}


def per_cpu(r):
    return (r["requests"] - r["failures"]) / r["cpu_s"] if r["cpu_s"] else 0.0


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def spread(values):
    values = [v for v in values if v is not None]
    return f"{min(values):,.0f}–{max(values):,.0f}" if values else "–"


def fmt(v, digits=0):
    return "–" if v is None else f"{v:,.{digits}f}"


print(f"Client on CPU 0, target on CPU 1, {connections} connections or users, {duration} s per run, "
      f"median of {rounds} rounds (range).\n")
for target, label in TARGETS.items():
    rows = {t: [r for r in runs if r["target"] == target and r["tool"] == t] for t in TOOLS}
    print(f"### Against {label}\n")
    print("| tool | requests per client CPU-s | requests/s | p50 ms | p99 ms | peak RSS MB | failures |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    headline = {}
    for tool in TOOLS:
        rs = rows[tool]
        if not rs:
            continue
        eff = [per_cpu(r) for r in rs]
        headline[tool] = med(eff)
        print(f"| {tool} | {fmt(med(eff))} ({spread(eff)}) | {fmt(med([r['rps'] for r in rs]))} | "
              f"{fmt(med([r['p50_ms'] for r in rs]), 3)} | {fmt(med([r['p99_ms'] for r in rs]), 3)} | "
              f"{fmt(med([r['rss_kb'] / 1024 for r in rs]), 1)} | {sum(r['failures'] for r in rs)} |")
    s = headline.get("stampede")
    ratios = []
    for peer in ["wrk", "h2load", "locust", "locust-distributed"]:
        if s and headline.get(peer):
            ratios.append(f"{s / headline[peer]:.2f}× {peer}")
    p50_s = med([r["p50_ms"] for r in rows["stampede"]])
    p50_w = med([r["p50_ms"] for r in rows["wrk"]])
    print(f"\nStampede's requests per CPU-second: {', '.join(ratios)}.")
    if p50_s and p50_w:
        print(f"Stampede's p50 / wrk's p50: {p50_s / p50_w:.2f}.")
    print()

single = {t: [r for r in runs if r["target"] == "nginx-1" and r["tool"] == t] for t in ["stampede", "wrk"]}
if single["stampede"] and single["wrk"]:
    print("### Latency fidelity: one connection to nginx\n")
    print("| tool | p50 ms | p99 ms | requests/s |")
    print("| --- | --- | --- | --- |")
    for tool, rs in single.items():
        print(f"| {tool} | {fmt(med([r['p50_ms'] for r in rs]), 3)} ({spread([r['p50_ms'] * 1000 for r in rs])} µs) | "
              f"{fmt(med([r['p99_ms'] for r in rs]), 3)} | {fmt(med([r['rps'] for r in rs]))} |")
    p50_s = med([r["p50_ms"] for r in single["stampede"]])
    p50_w = med([r["p50_ms"] for r in single["wrk"]])
    print(f"\nStampede's p50 / wrk's p50 with one connection: {p50_s / p50_w:.2f}.\n")

if idle:
    print("### Memory per idle user (connected, then thinking)\n")
    print("| users | Stampede KB per user | wrk KB per connection | Locust KB per user |")
    print("| --- | --- | --- | --- |")
    for m in idle:
        n = m["idle_users"]
        def per(kb, base):
            return None if kb is None or base is None else (kb - base) / (n - 1)
        print(f"| {n:,} | {fmt(per(m['stampede_kb'], m['stampede_base_kb']), 2)} | "
              f"{fmt(per(m['wrk_kb'], m['wrk_base_kb']), 2)} | {fmt(per(m['locust_kb'], m['locust_base_kb']), 2)} |")
    print()
