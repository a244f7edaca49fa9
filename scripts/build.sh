#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian packages (when missing) and builds into build/ (Release).
# Usage: scripts/build.sh [extra cmake -D options...]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs=$(nproc 2>/dev/null || echo 2)
werror=OFF
[ "${CI:-}" = "true" ] && werror=ON
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DMP_WERROR=$werror "$@" >/dev/null
cmake --build build -j"$jobs"
