#!/usr/bin/env bash
# The quick-start demo: installs, builds, starts the reference shop with `stampede up` (every
# service its own process on loopback, from the Helm chart's values, with probes, restarts and
# Services), then runs scenarios/chaos/demo.lua against it: shoppers browse and check out while
# the chaos timeline kills a frontend pod and makes payment slow. stampede judges self-healing,
# availability, checkout's circuit breaker and recovery, writes the report to ./out
# (report.html, results.json, junit.xml, summary.md), and the shop's books are audited.
# Exit: stampede's exit code (0 = every threshold and verdict passed), else the audit's.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build

state=$(mktemp -d)
trap './build/stampede down --state-dir "$state" >/dev/null || true; rm -rf "$state"' EXIT
base=$(./build/stampede up --detach --state-dir "$state" --values scenarios/chaos/demo-values.yaml)
echo "demo: shop running at $base (stampede ps --state-dir $state)" >&2

status=0
./build/stampede run scenarios/chaos/demo.lua --state-dir "$state" -e BASE="$base" --out out ||
  status=$?
# Orders caught by the outage settle through the checkout saga; give stragglers time, then audit.
sleep 2
audit=0
./build/shop-reference/shop/shop audit "$state/data" || audit=$?
[ "$status" -ne 0 ] || status=$audit
echo
echo "demo: report at $PWD/out/report.html (also results.json, junit.xml, summary.md in out/)"
exit "$status"
