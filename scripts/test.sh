#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: once on the normal build and once on an
# AddressSanitizer + UndefinedBehaviorSanitizer build. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

bash scripts/build.sh build
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 600

bash scripts/build.sh build-asan -DSTAMPEDE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900
