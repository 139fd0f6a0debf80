#!/usr/bin/env bash
# Benchmarks stampede (native HTTP/1.1 and libcurl transports) against wrk on this machine
# (see docs/benchmarks.md for the method).
#   nginx (Debian) on core 0; the load generator (wrk, then stampede) on core 1; loopback only.
# Usage: bench/run.sh [seconds per run (10)] [connections (50)] [rounds (2)]
# Prints a Markdown table. Needs a built ./build (scripts/build.sh) and wrk + nginx installed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-50}
rounds=${3:-2}
stampede=$PWD/build/stampede
work=$(mktemp -d)
port=$((20000 + RANDOM % 20000))
sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$port#g" bench/nginx.conf.in > "$work/nginx.conf"
taskset -c 0 nginx -c "$work/nginx.conf" -p "$work" &
nginx_pid=$!
trap 'kill $nginx_pid 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do curl -sf "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done

wrk_rps() {
  taskset -c 1 wrk -t1 -c"$conns" -d"${secs}s" "http://127.0.0.1:$port/" | awk '/Requests\/sec/ {print $2}'
}
# Runs stampede pinned to core 1 and prints a field of summary.json.
stampede_run() {
  local script=$1 field=$2; shift 2
  taskset -c 1 "$stampede" run "bench/$script" --threads 1 --quiet --out "$work/out" "$@" >/dev/null
  python3 -c "import json,sys; m=json.load(open('$work/out/summary.json'))['metrics']; print($field)"
}

echo "| round | wrk req/s | stampede req/s (native) | ratio | stampede req/s (libcurl) | ratio |"
echo "| --- | --- | --- | --- | --- | --- |"
for r in $(seq "$rounds"); do
  w=$(wrk_rps)
  args=(--vus "$conns" --duration "${secs}s" -e URL="http://127.0.0.1:$port/")
  n=$(stampede_run plain_get.lua "round(m['http_reqs']['rate'])" "${args[@]}" -e TRANSPORT=auto)
  c=$(stampede_run plain_get.lua "round(m['http_reqs']['rate'])" "${args[@]}" -e TRANSPORT=curl)
  echo "| $r | $w | $n | $(python3 -c "print(f'{$n/$w:.2f}')") | $c | $(python3 -c "print(f'{$c/$w:.2f}')") |"
done

echo
echo "| 4-step journey with checks, $conns VUs | iterations/s | req/s |"
echo "| --- | --- | --- |"
out=$(stampede_run journey4.lua "f\"{m['iterations']['rate']:.0f} | {m['http_reqs']['rate']:.0f}\"" \
        --vus "$conns" --duration "${secs}s" -e BASE="http://127.0.0.1:$port")
echo "| stampede | $out |"

echo
echo "| idle VUs | RSS (KiB) |"
echo "| --- | --- |"
declare -A rss
for n in 1 50000; do
  "$stampede" run bench/idle_vus.lua -e VUS=$n -e DURATION=6s --quiet >/dev/null 2>&1 &
  pid=$!
  sleep 4
  rss[$n]=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
  wait $pid
  echo "| $n | ${rss[$n]} |"
done
echo
echo "RSS per idle VU: $(( (rss[50000] - rss[1]) * 1024 / 49999 )) bytes"
