#!/usr/bin/env bash
# deploy/docker-compose.yml as written, only the image named: `docker-compose config -q`
# accepts it, and podman-compose brings up the demo target, the master and 3 workers (its
# `deploy.replicas`, from STAMPEDE_WORKERS); the run ends with the master's verdict, every
# worker exits 0, and the result's totals equal what the target served.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/container_env.sh"
compose="$root/deploy/docker-compose.yml"

# The one step the file asks of a user: a token shared by the master and its workers.
if env -u STAMPEDE_TOKEN docker-compose -f "$compose" config -q 2>/tmp/compose-no-token.err; then
    echo "FAIL: the compose file runs without STAMPEDE_TOKEN"; exit 1
fi
grep -q "export STAMPEDE_TOKEN" /tmp/compose-no-token.err || { echo "FAIL: no word of STAMPEDE_TOKEN"; cat /tmp/compose-no-token.err; exit 1; }
STAMPEDE_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
export STAMPEDE_TOKEN
docker-compose -f "$compose" config -q
echo "docker-compose config -q: valid with STAMPEDE_TOKEN, refused without it"

skip_unless_containers
podman image exists "$test_image" || { echo "FAIL: $test_image was not built (the image test makes it)"; exit 1; }

project=stampede-compose-test
export STAMPEDE_IMAGE="$test_image" STAMPEDE_WORKERS=3 STAMPEDE_USERS=30 STAMPEDE_SPAWN_RATE=30 STAMPEDE_RUN_TIME=6s
# The master's web port, published on a free one of the host's.
STAMPEDE_WEB_PUBLISH=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
export STAMPEDE_WEB_PUBLISH
down() { podman-compose -p "$project" -f "$compose" down -v >/dev/null 2>&1 || true; }
trap down EXIT
down
podman-compose -p "$project" -f "$compose" up -d >/tmp/$project.log 2>&1 || { cat /tmp/$project.log; exit 1; }

master="${project}_master_1"
code=$(timeout 120 podman wait "$master") || { echo "FAIL: the master did not finish in 120 s"; podman logs "$master"; exit 1; }
podman logs "$master" > /tmp/$project.master.log 2>&1
[ "$code" = 0 ] || { echo "FAIL: the master exited $code"; cat /tmp/$project.master.log; exit 1; }
grep -q "Type *Name" /tmp/$project.master.log || grep -q "Aggregated" /tmp/$project.master.log ||
    { echo "FAIL: no result tables in the master's log"; cat /tmp/$project.master.log; exit 1; }

for i in 1 2 3; do
    worker="${project}_worker_$i"
    wcode=$(timeout 30 podman wait "$worker") || { echo "FAIL: $worker still runs"; exit 1; }
    [ "$wcode" = 0 ] || { echo "FAIL: $worker exited $wcode"; podman logs "$worker"; exit 1; }
done
if podman container exists "${project}_worker_4"; then echo "FAIL: more than 3 workers started"; exit 1; fi

results=$(podman volume inspect --format '{{.Mountpoint}}' "${project}_results")
for f in result.json report.html stampede_stats.csv; do
    [ -s "$results/$f" ] || { echo "FAIL: $f is not in the results volume"; ls -la "$results"; exit 1; }
done
served=$(http_get_in "${project}_target_1" 8080 /__stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["served"])')
python3 - "$results/result.json" "$served" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
served = int(sys.argv[2])
requests = result["totals"]["requests"]
workers = [w["name"] for w in result["workers"]]
print(f"compose run: {requests} requests counted, {served} served, workers {workers}")
assert requests > 0, "no requests"
assert requests == served, f"counted {requests} but the target served {served}"
assert len(workers) == 3, workers
assert result["load"]["users"] == 30
assert {"flag": "--users", "value": "30", "source": "STAMPEDE_USERS"} in result["settings"], result["settings"]
assert {"flag": "--token", "value": "***", "source": "STAMPEDE_TOKEN"} in result["settings"], result["settings"]
assert result["unauthenticated_listeners"] == [], result["unauthenticated_listeners"]
PY
echo "PASS"
