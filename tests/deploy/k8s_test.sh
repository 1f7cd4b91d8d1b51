#!/usr/bin/env bash
# deploy/k8s for real, short of a cluster: every object passes its schema; where kubectl is
# installed its kustomize renders the same objects; and the pods the Jobs and the Deployment
# would start run under `podman kube play` on one network, each named as the Service that
# reaches it: 3 workers join the master by its Service's name; one pod is replaced mid-run and
# its successor joins and gets its share; the run ends, the workers exit 0,
# the master exits with the verdict (0), and its results are on its volume.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
source "$here/container_env.sh"
tools=${1:?usage: k8s_test.sh DIR (k8s_objects.mjs beside its node_modules)}
work=$(mktemp -d /var/tmp/stampede-k8s.XXXXXX)

# The kustomization as a user has it after the one step it asks for: a token of their own.
cp -r "$root/deploy/k8s" "$work/k8s"
rm -f "$work/k8s/token.env"
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize "$work/k8s" >/dev/null 2>&1; then
    echo "FAIL: the kustomization renders without token.env"; exit 1
fi
echo "STAMPEDE_TOKEN=$(python3 -c 'import secrets; print(secrets.token_hex(16))')" > "$work/k8s/token.env"

# The objects, as the user's edits would make them for a short run of 3 workers on this image.
render_flags=(--image "$test_image" --workers 3 --set STAMPEDE_RUN_TIME=20s --set STAMPEDE_USERS=30
              --set STAMPEDE_SPAWN_RATE=30)
if command -v kubectl >/dev/null 2>&1; then
    kubectl kustomize "$work/k8s" > "$work/kustomized.yaml"
    render_flags+=(--kustomized "$work/kustomized.yaml")
    echo "kubectl kustomize: rendered"
else
    echo "kubectl is not installed: the kustomization is rendered by the test's script alone"
fi
node "$tools/k8s_objects.mjs" "$work/k8s" "$work/pods" "${render_flags[@]}"

skip_unless_containers
podman image exists "$test_image" || { echo "FAIL: $test_image was not built (the image test makes it)"; exit 1; }

network=stampede-k8s-test
pods=(stampede-demo-target stampede-master stampede-worker-1 stampede-worker-2 stampede-worker-3)
down() {
    podman pod rm -f -t 0 "${pods[@]}" >/dev/null 2>&1 || true
    podman volume rm -f stampede-results >/dev/null 2>&1 || true
    podman network rm -f "$network" >/dev/null 2>&1 || true
}
trap 'down; rm -rf "$work"' EXIT
down
podman network create "$network" >/dev/null
configmaps=$(ls "$work"/pods/configmap-*.yaml | paste -sd, -)
play() { podman kube play --network "$network" --configmap "$configmaps" "$1" >/dev/null; }
play "$work/pods/target.yaml"
play "$work/pods/master.yaml"
for i in 1 2 3; do play "$work/pods/worker-$i.yaml"; done

# Once the three have joined and run a while, worker 2's pod dies and a new one takes its place
# (as a Job replaces a pod lost with its node). Under podman a container restarted inside its
# pod sometimes did not reach the master for the rest of the run (about one run in three; the
# cause was not found: name lookups and TCP from inside it worked when tried), so the
# replacement is a new pod, as a rescheduled one would be.
joined() { podman logs stampede-master-master 2>&1 | grep -c " joined from " || true; }
for _ in $(seq 300); do [ "$(joined)" -ge 3 ] && break; sleep 0.1; done
[ "$(joined)" -ge 3 ] || { echo "FAIL: the workers did not join"; podman logs stampede-master-master; exit 1; }
sleep 3
podman pod rm -f -t 0 stampede-worker-2 >/dev/null
play "$work/pods/worker-2.yaml"

code=$(timeout 120 podman wait stampede-master-master) ||
    { echo "FAIL: the master did not finish in 120 s"; podman logs stampede-master-master; exit 1; }
podman logs stampede-master-master > "$work/master.log" 2>&1
[ "$code" = 0 ] || { echo "FAIL: the master exited $code"; cat "$work/master.log"; exit 1; }
for i in 1 2 3; do
    state=""
    for _ in $(seq 100); do
        state=$(podman inspect --format '{{.State.Status}} {{.State.ExitCode}}' "stampede-worker-$i-worker")
        [ "${state%% *}" = exited ] && break
        sleep 0.3
    done
    [ "$state" = "exited 0" ] || { echo "FAIL: worker $i: $state"; podman logs "stampede-worker-$i-worker"; cat "$work/master.log"; exit 1; }
done


results=$(podman volume inspect --format '{{.Mountpoint}}' stampede-results)
served=$(http_get_in stampede-demo-target-target 8080 /__stats | python3 -c 'import json,sys; print(json.load(sys.stdin)["served"])')
python3 - "$results/result.json" "$served" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
served = int(sys.argv[2])
requests = result["totals"]["requests"]
workers = result["workers"]
names = sorted(w["name"] for w in workers)
events = [e["type"] for e in result["events"]]
print(f"kube play run: {requests} requests counted, {served} served, workers "
      f"{[(w['name'], w['state'], sum(w['users'])) for w in workers]}, thresholds passed: {result['thresholds_passed']}")
# The removed worker's last unsent second is lost with it (said in the result); the rest adds up.
assert 0 < requests <= served and requests >= 0.8 * served, (requests, served)
assert names == ["stampede-worker-1", "stampede-worker-2", "stampede-worker-2", "stampede-worker-3"], names
assert events.count("worker_joined") == 4 and "worker_lost" in events, events
restarted = [w for w in workers if w["name"] == "stampede-worker-2" and w["state"] != "lost"]
assert len(restarted) == 1 and sum(restarted[0]["users"]) > 0, workers  # joined, and given its share
assert result["thresholds_passed"] is True
PY
echo "PASS"
