#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit and integration).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
"$root/deploy/install-deps.sh" --test
cd "$root/build"
ctest --output-on-failure --timeout 300 "$@"
