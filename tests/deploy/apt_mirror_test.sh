#!/usr/bin/env bash
# container_env.sh's apt_mirror: the base image is made from the mirror this machine's apt uses,
# read from its deb822 sources or its sources.list, whichever names bookworm; none named here.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/container_env.sh"
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/etc/apt/sources.list.d"
fail() { echo "FAIL: $*"; exit 1; }

[ -z "$(apt_mirror "$root")" ] || fail "a mirror from no configuration"

cat > "$root/etc/apt/sources.list" <<'LIST'
# a comment
deb-src http://source.mirror.invalid/debian bookworm main
deb [arch=amd64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://list.mirror.invalid/debian bookworm main
LIST
[ "$(apt_mirror "$root")" = http://list.mirror.invalid/debian ] || fail "sources.list: got '$(apt_mirror "$root")'"

cat > "$root/etc/apt/sources.list.d/debian.sources" <<'SOURCES'
Types: deb
URIs: http://security.mirror.invalid/debian-security
Suites: bookworm-security
Components: main

Types: deb
# a proxy of the machine's own
URIs: http://cache.mirror.invalid:3142/debian
Suites: bookworm bookworm-updates
Components: main
SOURCES
[ "$(apt_mirror "$root")" = http://cache.mirror.invalid:3142/debian ] || fail "deb822: got '$(apt_mirror "$root")'"
echo "PASS"
