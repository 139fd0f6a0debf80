#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test: once on the normal build and once on an
# AddressSanitizer + UndefinedBehaviorSanitizer build. Exits non-zero if anything fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
jobs=$(nproc)

# Formatting first (seconds): every C++ file as .clang-format says.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  git ls-files -z '*.cc' '*.h'
else
  find . \( -name node_modules -o -name 'build*' -o -name .stampede \) -prune -o \
    \( -name '*.cc' -o -name '*.h' \) -print0
fi | xargs -0 clang-format --dry-run -Werror

bash scripts/build.sh build
ctest --test-dir build --output-on-failure -j "$jobs" --timeout 600

bash scripts/build.sh build-asan -DSTAMPEDE_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs" --timeout 900
