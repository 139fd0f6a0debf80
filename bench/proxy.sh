#!/usr/bin/env bash
# Benchmarks the local Service proxy (targets/local/proxy, run as build/.../stampede-proxy): wrk
# against nginx directly and through the proxy, side by side in each round, so the ratio is
# measured under the same machine noise (see docs/benchmarks.md for the method).
#   nginx (Debian) on core 0; wrk on core 1; the proxy on core 0 (beside nginx: the server side
#   pays for it) and then on core 1 (beside wrk). Loopback only.
# Usage: bench/proxy.sh [seconds per run (10)] [connections (50)] [rounds (3)]
# Prints a Markdown table. Needs a built ./build (scripts/build.sh) and wrk + nginx installed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-50}
rounds=${3:-3}
proxy_bin=$PWD/build/targets/local/proxy/stampede-proxy
[ -x "$proxy_bin" ] || { echo "bench/proxy.sh: build stampede-proxy first (scripts/build.sh)" >&2; exit 1; }
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" bench/nginx.conf.in > "$work/nginx.conf"
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
proxy_pid=
cleanup() {
  [ -n "$proxy_pid" ] && kill "$proxy_pid" 2>/dev/null || true
  kill "$nginx_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

# Starts the proxy on the given cores in front of nginx; sets proxy_port.
start_proxy() {
  rm -f "$work/proxy.port"
  taskset -c "$1" "$proxy_bin" --endpoint "nginx=127.0.0.1:$port" --port-file "$work/proxy.port" \
    >/dev/null &
  proxy_pid=$!
  for _ in $(seq 100); do [ -s "$work/proxy.port" ] && break; sleep 0.05; done
  proxy_port=$(cat "$work/proxy.port")
}
stop_proxy() {
  kill "$proxy_pid"
  wait "$proxy_pid" || true
  proxy_pid=
}
# wrk on core 1 against a port; prints "req/s | p50 | p99".
wrk_run() {
  taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" --latency "http://127.0.0.1:$1/" |
    awk '/Requests\/sec/ {r=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%.0f | %s | %s", r, p50, p99}'
}
ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }

echo "| round | direct req/s | p50 | p99 | proxy on core 0 req/s | p50 | p99 | ratio | proxy on core 1 req/s | p50 | p99 | ratio |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for r in $(seq "$rounds"); do
  direct=$(wrk_run "$port")
  start_proxy 0
  beside_nginx=$(wrk_run "$proxy_port")
  stop_proxy
  start_proxy 1
  beside_wrk=$(wrk_run "$proxy_port")
  stop_proxy
  d=${direct%% *}
  echo "| $r | $direct | $beside_nginx | $(ratio "${beside_nginx%% *}" "$d") | $beside_wrk | $(ratio "${beside_wrk%% *}" "$d") |"
done
