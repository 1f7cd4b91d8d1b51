#!/bin/bash
# The image's health check. A `stampede master` or `stampede run` container is healthy while
# its web server answers HTTP on its address and port (--web-host/--web-port, or
# STAMPEDE_WEB_HOST/STAMPEDE_WEB_PORT; 127.0.0.1 and 8089 by default). A headless one without
# a web port, a worker and the demo target have no port to check and are healthy while they
# run. A web port of 0 (any free one) cannot be checked: give the master a fixed one.
set -u
mapfile -d '' args < /proc/1/cmdline
command=""
host="${STAMPEDE_WEB_HOST:-}"
port="${STAMPEDE_WEB_PORT:-}"
headless="${STAMPEDE_HEADLESS:-false}"
for ((i = 1; i < ${#args[@]}; i++)); do
    case "${args[i]}" in
        master|run) [ -z "$command" ] && command="${args[i]}" ;;
        --headless) headless=true ;;
        --web-port) port="${args[i + 1]:-}" ;;
        --web-port=*) port="${args[i]#--web-port=}" ;;
        --web-host) host="${args[i + 1]:-}" ;;
        --web-host=*) host="${args[i]#--web-host=}" ;;
    esac
    # The subcommand comes first: any other first word is another role.
    [ -z "$command" ] && [ "$i" -eq 1 ] && exit 0
done
[ -z "$command" ] && exit 0
case "$headless" in true|1|yes|on) [ -z "$port" ] && exit 0 ;; esac
port="${port:-8089}"
[ "$port" = 0 ] && { echo "--web-port 0: the port is not known to the check"; exit 1; }
case "${host:-127.0.0.1}" in
    0.0.0.0) host=127.0.0.1 ;;
    ::|"[::]") host=::1 ;;
esac
exec 3<>"/dev/tcp/${host:-127.0.0.1}/$port" || exit 1
printf 'GET /api/stats HTTP/1.0\r\nHost: localhost\r\n\r\n' >&3
IFS= read -r -t 5 status <&3 || exit 1
[[ "$status" == HTTP/1.* ]]
