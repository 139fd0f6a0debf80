#!/usr/bin/env bash
# Configures and builds stampede. Usage: scripts/build.sh [build-dir] [extra cmake args...]
# The default build dir is ./build (RelWithDebInfo); ccache is used when present.
# STAMPEDE_TARGETS="stampede ..." builds only those targets (the Dockerfile's build stage).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build}
# Paths relative to the checkout, so ccache hits across clones (CI builds a fresh clone).
export CCACHE_BASEDIR="$PWD" CCACHE_NOHASHDIR=1
shift || true
cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
# shellcheck disable=SC2086 # a list of target names
ninja -C "$dir" ${STAMPEDE_TARGETS:-}
