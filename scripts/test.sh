#!/usr/bin/env bash
# Build leadvault twice - plain, and with AddressSanitizer +
# UndefinedBehaviorSanitizer - and run the whole test suite in both.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)

scripts/lint.sh

cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLEADVAULT_WERROR=ON >/dev/null
cmake --build build -j "$jobs"
ctest --test-dir build --output-on-failure -j "$jobs"

cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DLEADVAULT_SANITIZE=ON -DLEADVAULT_WERROR=ON >/dev/null
cmake --build build-asan -j "$jobs"
# faketime's LD_PRELOAD library comes before the ASan runtime: tolerate it.
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:verify_asan_link_order=0 \
UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  ctest --test-dir build-asan --output-on-failure -j "$jobs"
