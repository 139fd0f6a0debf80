#!/usr/bin/env bash
# The quick-start demo: installs, builds, starts the bundled test server on loopback and runs
# the example journey against it with thresholds, writing results to ./out.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh build

port_file=$(mktemp)
./build/tests/server/stampede-testserver --bind 127.0.0.1 --port 0 --port-file "$port_file" >/dev/null &
server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")

./build/stampede run scenarios/examples/journey.lua -e BASE="http://127.0.0.1:$port" --out out
