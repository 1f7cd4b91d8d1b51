#!/usr/bin/env bash
# Times one of the README's two commands as a new user meets it: in a fresh Debian 12 container
# (the base image tests/deploy/container_env.sh makes), as root, with nothing installed and no
# compiler cache, from a clone of this checkout's HEAD. Prints the wall time and the command's
# exit code; its whole output stays in the work directory it names.
#   bench/fresh_machine.sh quickstart     # ./scripts/quickstart.sh
#   bench/fresh_machine.sh test           # ./scripts/test.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
which=${1:-}
case "$which" in
    quickstart|test) ;;
    *) echo "usage: $0 quickstart|test" >&2; exit 2 ;;
esac
source "$root/tests/deploy/container_env.sh"
skip_unless_containers
ensure_base_image

work=$(mktemp -d /var/tmp/stampede-fresh.XXXXXX)
git clone -q "$root" "$work/stampede"
# npm behind a TLS-inspecting proxy needs the CA the host's npm trusts, as the image build does.
ca="${NODE_EXTRA_CA_CERTS:-/etc/ssl/certs/ca-certificates.crt}"
echo "running ./scripts/$which.sh in a fresh $base_image (work: $work)"
podman run --rm --network host \
    -v "$work/stampede:/root/stampede" -v "$ca:/etc/ssl/host-extra-ca.crt:ro" \
    -e NODE_EXTRA_CA_CERTS=/etc/ssl/host-extra-ca.crt "$base_image" bash -c "
        cd /root/stampede
        start=\$(date +%s)
        ./scripts/$which.sh > /root/stampede/fresh-$which.log 2>&1
        code=\$?
        echo \"./scripts/$which.sh: exit \$code after \$(( \$(date +%s) - start )) s on a fresh machine\"
        tail -3 /root/stampede/fresh-$which.log"
