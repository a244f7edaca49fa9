#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The sanitizer build (hardening issue): core, CLI, plugin host, plugins and tests (not
# the GUI, whose tests run in the normal build) built with clang and AddressSanitizer +
# UndefinedBehaviorSanitizer into build-san/,
# every test run there (a sanitizer report fails the test), then every fuzz target
# run for FUZZ_SECONDS (default 60) each (scripts/fuzz.sh). .ci/run calls this after
# the README's test command. Usage: scripts/sanitize.sh [--no-fuzz]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
start=$(date +%s)
# -O1 with line tables: full sanitizer checking and readable stack traces at about
# half the compile time of -O2 -g.
CC=clang CXX=clang++ cmake -S . -B build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMP_WERROR=$werror \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -gline-tables-only" \
  -DMP_SANITIZE="address;undefined" -DMP_FUZZ=ON -DMP_BUILD_BENCH=OFF -DMP_BUILD_GUI=OFF >/dev/null
cmake --build build-san -j"$jobs"
built=$(date +%s)
echo "sanitize: build took $((built - start)) s"

source scripts/sanitizer-env.sh
(cd build-san && ctest --output-on-failure -j"$jobs" --timeout 900)
tested=$(date +%s)
echo "sanitize: tests took $((tested - built)) s"

if [ "${1:-}" != "--no-fuzz" ]; then
  scripts/fuzz.sh build-san "${FUZZ_SECONDS:-60}"
  echo "sanitize: fuzzing took $(($(date +%s) - tested)) s"
fi
