#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds everything and runs every test (Catch2 via ctest). Tests that need the
# reference data in ../shared/data are skipped with a message when it is absent.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" --timeout 600
