# Sourced by the bench scripts: the one nginx they all measure against, a single worker
# answering GET /ok with "ok\n" on loopback, pinned to CPU 1 (the client runs on CPU 0).
# start_nginx DIR PORT: writes DIR/nginx.conf, starts nginx in the background; its pid is in
# $nginx_pid. The caller kills it (usually in its EXIT trap).
# nginx_preamble DIR: the lines every bench's nginx.conf starts with (one worker, its pid,
# error log and open-files limit in DIR).
nginx_preamble() {
    cat <<CONF
worker_processes 1;
worker_rlimit_nofile 30000;
pid $1/nginx.pid;
error_log $1/logs/error.log;
events { worker_connections 30000; }
CONF
}

start_nginx() {
    local dir=$1 port=$2
    mkdir -p "$dir/logs"
    { nginx_preamble "$dir"; cat <<CONF
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 300s;
    server {
        listen 127.0.0.1:$port;
        location /ok { default_type text/plain; return 200 "ok\n"; }
    }
}
CONF
    } >"$dir/nginx.conf"
    taskset -c 1 nginx -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
    nginx_pid=$!
    sleep 0.5
}
