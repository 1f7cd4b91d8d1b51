#!/usr/bin/env bash
# Builds Stampede with sanitizers and runs tests there (installing what is missing first).
#   scripts/sanitize.sh [CTEST ARGS...]   AddressSanitizer + UndefinedBehaviorSanitizer in
#                                         build-asan/: the whole suite but the container tests
#                                         (they build their image from the sources)
#   scripts/sanitize.sh --thread          ThreadSanitizer in build-tsan/: the engine's, the
#                                         cluster's and the web server's tests
# Every finding ends its process with a report, so the test that met it fails.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/deploy/install-deps.sh"
"$root/deploy/install-deps.sh" --test
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

if [ "${1:-}" = "--thread" ]; then
    shift
    # Third-party libraries built without ThreadSanitizer are suppressed (scripts/tsan.supp,
    # with the reason for each); Stampede's own code never is.
    export TSAN_OPTIONS="halt_on_error=1:abort_on_error=1:second_deadlock_stack=1:suppressions=$root/scripts/tsan.supp"
    cmake -S "$root" -B "$root/build-tsan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DSTAMPEDE_SANITIZE=thread >/dev/null
    cmake --build "$root/build-tsan" --target unit_tests integration_tests stampede stampede-demo-target
    cd "$root/build-tsan/tests"
    # The engine (its threads, users and outbox), the cluster (streams, heartbeats, stop) and
    # the web server, in-process; then the real binaries run by the cluster, web and run tests.
    ./unit_tests "[engine],[session],[outbox],[runtime],[arrivals],[cluster],[aggregator]"
    ./integration_tests "[cluster],[web],[run]"
    exit 0
fi

export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
cmake -S "$root" -B "$root/build-asan" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DSTAMPEDE_SANITIZE=address,undefined >/dev/null
cmake --build "$root/build-asan"
cd "$root/build-asan"
ctest --output-on-failure --timeout 900 -LE containers "$@"
