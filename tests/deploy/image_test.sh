#!/usr/bin/env bash
# The image, built from deploy/Dockerfile by deploy/build-image.sh with podman (--pull=never:
# the base is the local debian:12-slim): it runs as a user without privileges, both binaries
# work in it, its labels say its version, its health check tells a master's web port, a run on
# this machine (STAMPEDE, the binary the suite built) watches the demo target's container by
# its name as it loads it, and its size is printed for docs/deploy.md.
# Usage: image_test.sh STAMPEDE
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
stampede=${1:?usage: image_test.sh STAMPEDE}
source "$here/container_env.sh"
skip_unless_containers

# Earlier builds' leftovers (untagged images a week old) go; this week's stay as the build cache.
podman image prune -f --filter until=168h >/dev/null
STAMPEDE_ENGINE=podman "$root/deploy/build-image.sh" "$test_image" --pull=never
version=$(sed -n 's/^project(stampede VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")

[ "$(podman run --rm --entrypoint id "$test_image" -u)" = 10001 ] || { echo "FAIL: the image runs as root"; exit 1; }
podman run --rm "$test_image" --version | grep -qx "stampede $version" || { echo "FAIL: stampede --version"; exit 1; }
podman run --rm --entrypoint stampede-demo-target "$test_image" --help | grep -q "Usage: stampede-demo-target" ||
    { echo "FAIL: stampede-demo-target --help"; exit 1; }
podman run --rm "$test_image" validate -f /usr/share/stampede/examples/quickstart.yaml | grep -q ": ok" ||
    { echo "FAIL: the bundled examples do not validate"; exit 1; }
label=$(podman image inspect --format '{{ index .Labels "org.opencontainers.image.version" }}' "$test_image")
[ "$label" = "$version" ] || { echo "FAIL: version label '$label'"; exit 1; }

# The health check: a master serving its web port is healthy; the same check on a worker
# (no port of its own) passes while it runs.
cleanup() {
    podman rm -f -t 0 stampede-image-test-master stampede-image-test-worker stampede-image-test-target >/dev/null 2>&1 || true
}
trap cleanup EXIT
cleanup
# A master listening beyond its container's loopback needs a token (without one it refuses to start).
podman run --rm "$test_image" master -f /usr/share/stampede/examples/quickstart.yaml >/tmp/stampede-image-no-token.log 2>&1 &&
    { echo "FAIL: a master on 0.0.0.0:5557 started without a token"; exit 1; }
grep -q "no --token" /tmp/stampede-image-no-token.log || { echo "FAIL: no word of the token"; cat /tmp/stampede-image-no-token.log; exit 1; }
podman run -d --name stampede-image-test-master -e STAMPEDE_TOKEN=image-test-token "$test_image" master \
    -f /usr/share/stampede/examples/quickstart.yaml --web-host 127.0.0.1 --web-port 8089 >/dev/null
podman run -d --name stampede-image-test-worker -e STAMPEDE_TOKEN=image-test-token "$test_image" worker \
    --master 127.0.0.1:5557 >/dev/null
healthy=""
for _ in $(seq 50); do
    if podman healthcheck run stampede-image-test-master >/dev/null 2>&1; then healthy=yes; break; fi
    sleep 0.2
done
[ -n "$healthy" ] || { echo "FAIL: the master's health check never passed"; podman logs stampede-image-test-master; exit 1; }
podman healthcheck run stampede-image-test-worker || { echo "FAIL: the worker's health check"; exit 1; }
# And it can fail: a master whose web port the check cannot know (any free one) is not healthy.
podman rm -f -t 0 stampede-image-test-master >/dev/null
podman run -d --name stampede-image-test-master -e STAMPEDE_TOKEN=image-test-token "$test_image" master \
    -f /usr/share/stampede/examples/quickstart.yaml --web-port 0 >/dev/null
if podman healthcheck run stampede-image-test-master >/dev/null 2>&1; then
    echo "FAIL: the health check passed for a master on an unknown port"; exit 1
fi

# A run watches a container by its name: the demo target in one, loaded through a published
# port; its CPU, memory and I/O as podman stats reads them, from its cgroup.
podman run -d --name stampede-image-test-target -p 127.0.0.1::8080 --entrypoint stampede-demo-target "$test_image" \
    --host 0.0.0.0 --port 8080 >/dev/null
address=$(podman port stampede-image-test-target 8080/tcp | head -1)
work=$(mktemp -d)
printf 'user_classes:\n  - tasks: [{name: ok, path: /ok}]\n' >"$work/s.yaml"
for _ in $(seq 50); do (exec 3<>"/dev/tcp/${address%:*}/${address##*:}") 2>/dev/null && break; sleep 0.2; done
"$stampede" run --headless -f "$work/s.yaml" -H "http://$address" -u 4 -r 100 -t 4s --watch-interval 500ms \
    --watch-container svc=stampede-image-test-target --json "$work/r.json" >"$work/run.out" 2>&1 ||
    { echo "FAIL: the run watching the container"; cat "$work/run.out"; exit 1; }
python3 - "$work/r.json" <<'PY' || { echo "FAIL: the container's figures"; cat "$work/run.out"; exit 1; }
import json, sys
result = json.load(open(sys.argv[1]))
series = {s["name"]: s for s in result["watch"]["series"]}
memory, cpu = series["svc.memory"]["figures"], series["svc.cpu"]["figures"]
assert series["svc.cpu"]["source"] == "container svc (stampede-image-test-target)", series["svc.cpu"]["source"]
assert memory and memory["min"] > 1 << 20, memory
assert cpu and cpu["max"] > 0.02, cpu  # it served the run's requests
assert not [e for e in result["events"] if e["type"] == "watch_failed"], result["events"]
print(f"the container watched: memory {memory['max'] / 2**20:.1f} MiB, CPU up to {cpu['max']:.2f} cores")
PY
rm -rf "$work"

base_size=$(podman image inspect --format '{{.Size}}' "$base_image")
size=$(podman image inspect --format '{{.Size}}' "$test_image")
echo "image $test_image: $((size / 1000000)) MB ($(((size - base_size) / 1000000)) MB over the base's $((base_size / 1000000)) MB)"
echo "PASS"
