#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A built-in plugin stands on the C ABI alone (issue #9): it links neither the core
# (libenablement-core) nor GDAL/PROJ/GeographicLib, and carries none of the core's code
# (no mp:: symbols but the header-only SDK helper's mp::sdk::).
# Usage: check_plugin_deps.sh PLUGIN.so...
set -euo pipefail
status=0
for so in "$@"; do
  name=$(basename "$so")
  libs=$(ldd "$so")
  if bad=$(grep -E 'libenablement-core|libgdal|libproj|libGeographic|libosmium' <<<"$libs"); then
    echo "FAIL $name links the engine: $bad"
    status=1
  fi
  core=$(nm -C --defined-only "$so" | grep -E 'mp::' | grep -vE 'mp::sdk::' || true)
  if [ -n "$core" ]; then
    echo "FAIL $name carries core code: $(head -3 <<<"$core")"
    status=1
  fi
  [ $status -eq 0 ] && echo "ok $name: $(stat -c %s "$so") bytes, links only: $(awk '{print $1}' <<<"$libs" | tr '\n' ' ')"
done
exit $status
