#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite (unit and integration), then
# the sanitizer pass that fits CI: every fuzz target built with AddressSanitizer and
# UndefinedBehaviorSanitizer, run on its seeds and regressions and for 10 s of libFuzzer
# (docs/development.md, "Sanitizers"). Arguments go to ctest and leave that pass out: a
# filtered run is not the whole suite.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/build.sh"
"$root/deploy/install-deps.sh" --test
cd "$root/build"
# --no-tests=error: a filter that matches nothing fails rather than passing with nothing run.
ctest --output-on-failure --timeout 300 --no-tests=error "$@"
[ $# -gt 0 ] || "$root/scripts/fuzz.sh" -t 10
