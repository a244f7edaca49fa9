#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the SDK to a temporary prefix, builds the example plugin out of tree against
# it, loads it with --plugin-dir, runs it and checks its output.
# Usage: example_out_of_tree.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
work=$(mktemp -d /tmp/mp-example-XXXXXX)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
test -f "$work/prefix/include/mp/mp_plugin.h"
test -f "$work/prefix/lib/cmake/EnablementSDK/EnablementSDKConfig.cmake"
cmake -S "$src/examples/plugins/nearest_rail_terminal" -B "$work/example" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$work/example" -j2 >/dev/null
test -f "$work/example/nearest_rail_terminal.so"
cli="$work/prefix/bin/enablement"
"$cli" plugins --plugin-dir "$work/example" --format json > "$work/plugins.json"
grep -q '"id": "nearest-rail-terminal"' "$work/plugins.json"
grep -q '"status": "loaded"' "$work/plugins.json"
"$cli" run nearest-rail-terminal --plugin-dir "$work/example" --out "$work/out.geojson" 2> "$work/stderr"
cat "$work/stderr"
grep -q "(isolated)" "$work/stderr"       # a plugin outside the built-in folder runs isolated
test -f "$work/out.geojson"
test -f "$work/out.nearest.csv"
# Elsenborn's nearest terminal by straight line is Montzen or Kinkempois, never a port yard.
grep '^elsenborn-training-area,' "$work/out.nearest.csv"
grep -Eq '^elsenborn-training-area,(montzen|kinkempois)' "$work/out.nearest.csv"
# Leopoldsburg's training area is nearest to the Leopoldsburg terminal, a few km away.
grep -Eq '^leopoldsburg-training-area,leopoldsburg-rail-terminal,[0-9]\.' "$work/out.nearest.csv"
python3 - "$work/out.geojson" <<'PY'
import json, sys
fc = json.load(open(sys.argv[1]))
assert fc["type"] == "FeatureCollection"
feats = fc["features"]
assert len(feats) >= 6, len(feats)
for f in feats:
    p = f["properties"]
    assert f["geometry"]["type"] == "LineString"
    assert p["straight_km"] > 0
    if p.get("road_km") is not None:
        assert p["road_km"] >= p["straight_km"] * 0.99, p   # a road is never shorter than the crow flies
print("example plugin output ok:", len(feats), "training areas")
PY
echo "example out-of-tree plugin: PASS"
