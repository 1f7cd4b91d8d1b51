#!/usr/bin/env bash
# Installs the Debian 12 packages Stampede needs to build (npm fetches the report's charting
# library from the npm registry when building); with --test, also what the test suite needs
# (Chromium, in which the browser tests open the pages; podman and its helpers, debootstrap and
# the compose tools, with which the container tests build the image and run it); with --fuzz,
# clang and its libFuzzer runtime. Safe to run again: apt-get only
# installs what is missing. Run as root (or with sudo available).
set -euo pipefail

packages=(
    g++ cmake ninja-build pkg-config ccache
    libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
    libboost-dev libssl-dev libspdlog-dev libyaml-cpp-dev catch2
    nlohmann-json3-dev libcli11-dev libre2-dev prometheus-cpp-dev
    openssl iproute2
    nodejs npm
)
if [ "${1:-}" = "--fuzz" ]; then
    packages+=(clang libclang-rt-14-dev)  # libFuzzer and clang's sanitizers, for scripts/fuzz.sh
fi
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium prometheus)  # prometheus: promtool checks /metrics
    packages+=(podman runc netavark aardvark-dns catatonit iptables debootstrap podman-compose docker-compose python3)
fi

# A package counts as there when dpkg has it; nodejs and npm also when their commands exist
# (a Node.js from elsewhere, such as NodeSource's, brings its own npm and conflicts with Debian's).
present() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed" && return 0
    case "$1" in
        nodejs) command -v node >/dev/null 2>&1 ;;
        npm) command -v npm >/dev/null 2>&1 ;;
        *) return 1 ;;
    esac
}
missing=()
for p in "${packages[@]}"; do
    present "$p" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
