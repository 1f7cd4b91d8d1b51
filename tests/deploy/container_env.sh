# Sourced by the container tests: podman set up as this machine needs it, and the base image.
#  * runc rather than crun, and open-file and process limits a container may have here, in a
#    containers.conf of the tests' own (the system's is left alone); netavark and aardvark-dns,
#    so containers and pods on one network find each other by name.
#  * The Dockerfile's base, debian:12-slim, made with debootstrap when no registry is reachable
#    and tagged as the official image, with its PATH and command; built once per machine and
#    kept in podman's storage, like every layer of the image build.
set -euo pipefail
export CONTAINERS_CONF="${STAMPEDE_TEST_STATE:-/var/tmp/stampede-tests}/containers.conf"
mkdir -p "$(dirname "$CONTAINERS_CONF")"
cat > "$CONTAINERS_CONF" <<'CONF'
[containers]
default_ulimits = ["nofile=4096:4096", "nproc=4096:4096"]
[engine]
runtime = "runc"
[network]
network_backend = "netavark"
CONF

base_image=docker.io/library/debian:12-slim

# The Debian mirror this machine's apt fetches bookworm from (deb822 files in
# ROOT/etc/apt/sources.list.d first, then ROOT/etc/apt/sources.list): no mirror is named here,
# so a machine behind its own mirror or cache builds the base image from it.
apt_mirror() {
    python3 - "${1:-}" <<'PY'
import glob, sys
root = sys.argv[1]
def deb822():
    for path in sorted(glob.glob(root + "/etc/apt/sources.list.d/*.sources")):
        for stanza in open(path).read().split("\n\n"):
            fields = {}
            for line in stanza.splitlines():
                if ":" in line and not line.startswith((" ", "#")):
                    key, value = line.split(":", 1)
                    fields[key.strip().lower()] = value.split()
            if "deb" in fields.get("types", []) and "bookworm" in fields.get("suites", []) and fields.get("uris"):
                yield fields["uris"][0]
def one_line():
    try:
        lines = open(root + "/etc/apt/sources.list").read().splitlines()
    except OSError:
        return
    for line in lines:
        words = line.split("#", 1)[0].split()
        if words[:1] != ["deb"]:
            continue
        words = words[1:]
        if words and words[0].startswith("["):  # options: [arch=amd64 signed-by=...]
            while words and not words[0].endswith("]"):
                words = words[1:]
            words = words[1:]
        if len(words) >= 2 and words[1] == "bookworm":
            yield words[0]
for uri in list(deb822()) + list(one_line()):
    print(uri)
    break
PY
}

ensure_base_image() {
    podman image exists "$base_image" && return 0
    local rootfs mirror
    mirror=$(apt_mirror)
    [ -n "$mirror" ] || { echo "FAIL: no Debian bookworm source in this machine's apt configuration"; return 1; }
    # apt's proxy, if it has one, for debootstrap's downloads too.
    eval "$(apt-config shell http_proxy Acquire::http::Proxy)"
    [ -n "${http_proxy:-}" ] && export http_proxy
    rootfs=$(mktemp -d /var/tmp/stampede-rootfs.XXXXXX)
    echo "making $base_image with debootstrap from $mirror (once per machine)"
    debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >/dev/null
    tar -C "$rootfs" -c . | podman import \
        --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
        --change 'CMD ["bash"]' - "$base_image" >/dev/null
    rm -rf "$rootfs"
}

# Exits 77 (a skip, with the reason) where containers cannot run: not root, no podman, or a
# machine that is itself a container without the privileges podman needs.
skip_unless_containers() {
    if [ "$(id -u)" -ne 0 ]; then echo "skipped: the container tests need root"; exit 77; fi
    if ! command -v podman >/dev/null 2>&1; then echo "skipped: podman is not installed"; exit 77; fi
    # Containers need namespaces; inside most containers root may not make them.
    local why
    if ! why=$(unshare --net --mount --pid --fork /bin/true 2>&1); then
        echo "skipped: root may not create namespaces here (a container?): $why"
        exit 77
    fi
    ensure_base_image
    if ! why=$(podman run --rm --network none "$base_image" true 2>&1); then
        echo "skipped: podman cannot start a container here: $why"
        exit 77
    fi
}

# What one container answers on a loopback port inside it, with bash's /dev/tcp (the image has
# no HTTP client): the body of GET PATH.
http_get_in() {
    local container=$1 port=$2 path=$3
    podman exec "$container" bash -c "exec 3<>/dev/tcp/127.0.0.1/$port
        printf 'GET $path HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
        sed '1,/^\r\$/d' <&3"
}

# The image the container tests share, built once per ctest run by the image test.
test_image=localhost/stampede:test
