#!/usr/bin/env bash
# Builds Stampede with AddressSanitizer and UndefinedBehaviorSanitizer into build-asan/ and runs
# the test suite there (installing what is missing first; extra arguments go to ctest). Every
# finding ends its process with a report, so the test that met it fails. The container tests
# build their image from the sources, not from these binaries: they are left out.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/install-deps.sh" --test
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTAMPEDE_SANITIZE=address,undefined >/dev/null
cmake --build "$root/build-asan"
cd "$root/build-asan"
ctest --output-on-failure --timeout 900 -LE containers "$@"
