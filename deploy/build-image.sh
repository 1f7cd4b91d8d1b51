#!/usr/bin/env bash
# Builds Stampede's image from deploy/Dockerfile with docker or podman, whichever is installed.
#   deploy/build-image.sh [TAG] [extra build flags...]     # TAG: stampede:<version> by default
# STAMPEDE_ENGINE=podman (or docker) picks one when both are there.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
version=$(sed -n 's/^project(stampede VERSION \([0-9.]*\).*/\1/p' "$root/CMakeLists.txt")
tag="${1:-stampede:$version}"
shift || true

engine="${STAMPEDE_ENGINE:-}"
if [ -z "$engine" ]; then
    if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then engine=docker
    elif command -v podman >/dev/null 2>&1; then engine=podman
    else
        echo "error: neither docker (with a running daemon) nor podman is installed" >&2
        exit 2
    fi
fi

flags=(-f "$root/deploy/Dockerfile" -t "$tag"
       --build-arg "VERSION=$version"
       --build-arg "REVISION=$(git -C "$root" rev-parse HEAD 2>/dev/null || true)"
       --build-arg "SOURCE=$(git -C "$root" remote get-url origin 2>/dev/null || true)")
# npm behind a TLS-inspecting proxy: the build trusts what the host's npm trusts (its
# NODE_EXTRA_CA_CERTS, else npm's cafile, else the system's CA bundle). podman can lend the build
# that file; docker cannot mount into a build: set up the proxy's CA there by hand.
host_ca_bundle() {
    local file="${NODE_EXTRA_CA_CERTS:-}"
    if [ -z "$file" ] && command -v npm >/dev/null 2>&1; then file=$(npm config get cafile 2>/dev/null || true); fi
    case "$file" in ""|null|undefined) file=/etc/ssl/certs/ca-certificates.crt ;; esac
    [ -r "$file" ] && echo "$file"
}
if [ "$engine" = podman ] && ca=$(host_ca_bundle); then
    flags+=(-v "$ca:/etc/ssl/build-extra-ca.crt:ro" --build-arg NODE_EXTRA_CA_CERTS=/etc/ssl/build-extra-ca.crt)
fi
# The build reaches npm's registry as the host does: a build container's own network may have
# no route to the host's name server.
flags+=(--network host)
# podman writes OCI images by default, which have no HEALTHCHECK: keep Docker's format.
if [ "$engine" = podman ]; then flags+=(--format docker); fi
echo "building $tag with $engine"
"$engine" build "${flags[@]}" "$@" "$root"
echo "built $tag"
