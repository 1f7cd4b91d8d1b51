#!/usr/bin/env bash
# Installs what is missing and builds Stampede (Release) into build/: everything (the tests,
# fuzz targets and benchmarks too), or only the targets named (`scripts/build.sh stampede
# stampede-demo-target`, what the quickstart runs).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
# ccache keys on the source tree's contents, not its location, so fresh clones hit it.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
if [ $# -gt 0 ]; then
    cmake --build "$root/build" --target "$@"
else
    cmake --build "$root/build"
fi
