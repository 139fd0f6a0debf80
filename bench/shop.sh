#!/usr/bin/env bash
# Benchmarks the reference shop on this machine with every service local (see docs/benchmarks.md):
#   1. the frontend's GET / driven by wrk and by stampede (same connections),
#   2. full checkouts (add to cart + PlaceOrder through the JSON API) per second, by stampede.
# The shop's eleven processes and the load generator share the machine's cores; no pinning.
# Usage: bench/shop.sh [seconds per run (15)] [connections/VUs (32)]. Needs a built ./build.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-15}
conns=${2:-32}
work=$(mktemp -d)
trap './build/stampede down --state-dir "$work/state" >/dev/null || true; rm -rf "$work"' EXIT
# CPU limits off: the benchmark measures the shop, not the quotas (the Service proxies stay).
base=$(./build/stampede up --detach --state-dir "$work/state" --set localRuntime.cpuLimits=off 2>/dev/null)

field() {  # summary.json expression over m = metrics
  python3 -c "import json; m=json.load(open('$work/out/summary.json'))['metrics']; print($1)"
}
run() {  # script, extra args...
  local script=$1; shift
  ./build/stampede run "bench/$script" --quiet --out "$work/out" -e BASE="$base" "$@" >/dev/null
}

# Warm up connections, caches and the SQLite files.
run shop_checkout.lua --vus 4 --duration 3s

w=$(wrk -t2 -c"$conns" -d"${secs}s" --latency "$base/" | awk '/Requests\/sec/ {print $2} /99%/ {p=$2} END {print p}' | paste -sd' ')
run shop_home.lua --vus "$conns" --duration "${secs}s"
s=$(field "f\"{round(m['http_reqs']['rate'])} req/s, p99 {m['http_req_duration']['p(99)']:.1f} ms\"")
run shop_checkout.lua --vus "$conns" --duration "${secs}s"
c=$(field "f\"{m['iterations']['rate']:.1f} checkouts/s, iteration p99 {m['iteration_duration']['p(99)']:.1f} ms, checks {m['checks']['passes']} passed, {m['checks']['fails']} failed\"")
audit=$(./build/shop-reference/shop/shop audit "$work/state/data" | tail -1)

echo "| measure | result |"
echo "| --- | --- |"
echo "| GET / with wrk ($conns connections) | ${w% *} req/s, p99 ${w#* } |"
echo "| GET / with stampede ($conns VUs) | $s |"
echo "| full checkouts with stampede ($conns VUs) | $c |"
echo "| shop audit after the run | $audit |"
