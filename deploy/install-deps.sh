#!/usr/bin/env bash
# Installs the Debian 12 packages Stampede needs to build (npm fetches the report's charting
# library from the npm registry when building); with --test, also what the test suite needs
# (Chromium, in which the browser tests open the pages). Safe to run again: apt-get only
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
if [ "${1:-}" = "--test" ]; then
    packages+=(chromium prometheus)  # prometheus: promtool checks /metrics
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
echo "installing: ${missing[*]}"
"${sudo_cmd[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
