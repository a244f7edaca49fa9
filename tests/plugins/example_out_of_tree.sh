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

# A plugin that needs only the C ABI: find_package(EnablementSDK) without components links
# Enablement::plugin_sdk and must not look for GDAL, PROJ or Boost (disabled here, so a
# find_dependency on any of them fails the configure). The source is the docs/plugins.md
# walkthrough's.
mkdir -p "$work/pure"
cat > "$work/pure/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(my_plugin LANGUAGES CXX)
set(CMAKE_CXX_STANDARD 20)
find_package(EnablementSDK 0.1 REQUIRED)
enablement_add_plugin(my_plugin my_plugin.cpp)
if(TARGET Enablement::core)
  message(FATAL_ERROR "Enablement::core imported without COMPONENTS core")
endif()
CMAKE
cat > "$work/pure/my_plugin.cpp" <<'CPP'
#include "mp/plugin.hpp"

static const MpParamDef* params() {
    static MpParamDef p[] = {
        mp::sdk::param("site", "Site", MP_PARAM_SITE, "port-antwerp", 1),
        mp::sdk::number_param("radius_km", "Radius", "km", "10", 0.5, 200),
    };
    return p;
}

static void run(mp::sdk::Run& r) {
    const auto site = r.site(r.text("site"));
    const auto [lon, lat] = r.site_location(site);
    r.result_layer("marker", "#2ca02c", 4, "name")
        .add("centre", mp::sdk::Geometry::point(lon, lat))
        .set("name", r.site_text(site, "name_en"))
        .set("radius_km", r.number("radius_km"));
    r.info("done");
}

MP_SDK_PLUGIN("my-plugin", "My plugin", "1.0.0", "What it does.", params(), 2, run)
CPP
cmake -S "$work/pure" -B "$work/pure/build" -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_DISABLE_FIND_PACKAGE_GDAL=ON -DCMAKE_DISABLE_FIND_PACKAGE_PROJ=ON -DCMAKE_DISABLE_FIND_PACKAGE_Boost=ON >/dev/null
cmake --build "$work/pure/build" -j2 >/dev/null
test -f "$work/pure/build/my_plugin.so"
"$cli" run my-plugin --plugin-dir "$work/pure/build" -p site=port-zeebrugge -p radius_km=25 > "$work/pure.geojson"
python3 - "$work/pure.geojson" <<'PY'
import json, sys
fc = json.load(open(sys.argv[1]))
assert fc["type"] == "FeatureCollection", fc
(f,) = fc["features"]
assert f["geometry"]["type"] == "Point"
assert f["properties"]["radius_km"] == 25, f
assert "Zeebrugge" in f["properties"]["name"], f
print("pure-SDK plugin output ok:", f["properties"]["name"])
PY

# The worked example of docs/plugins.md: a planner's plugin in plain C (a C compiler and
# mp_plugin.h, nothing else) that routes a convoy and reads a DEM through the host.
cmake -S "$src/examples/plugins/terrain_profile" -B "$work/terrain" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DCMAKE_BUILD_TYPE=Release -DCMAKE_DISABLE_FIND_PACKAGE_GDAL=ON -DCMAKE_DISABLE_FIND_PACKAGE_PROJ=ON >/dev/null
cmake --build "$work/terrain" -j2 >/dev/null
test -f "$work/terrain/terrain_profile.so"
! nm -C --defined-only "$work/terrain/terrain_profile.so" | grep -q 'mp::'
# A synthetic DEM in Belgian Lambert 72: the plane z = 10 m + 0.5 m per km eastwards, so
# the height at any point is known in closed form (bilinear resampling is exact on it).
awk 'BEGIN { print "ncols 600"; print "nrows 300"; print "xllcorner 140000"; print "yllcorner 190000";
             print "cellsize 200"; print "NODATA_value -9999";
             for (r = 0; r < 300; r++) { line = "";
               for (c = 0; c < 600; c++) line = line sprintf("%.3f ", 10 + 0.0005 * (c * 200 + 100));
               print line } }' > "$work/plane.asc"
gdal_translate -q -a_srs EPSG:31370 "$work/plane.asc" "$work/plane.tif"
"$cli" run terrain-profile --plugin-dir "$work/terrain" -p dem="$work/plane.tif" -p vehicle=wheeled-truck \
  --out "$work/profile.geojson" 2> "$work/terrain.stderr" || { cat "$work/terrain.stderr"; exit 1; }
cat "$work/terrain.stderr"
test -f "$work/profile.profile.csv"
start=$(python3 -c "import json,sys; f=json.load(open(sys.argv[1]))['features'][0]; print(*f['geometry']['coordinates'][0])" "$work/profile.geojson")
x=$(echo "$start" | gdaltransform -s_srs EPSG:4326 -t_srs EPSG:31370 | awk '{print $1}')
python3 - "$work/profile.geojson" "$x" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))["features"][0]
p = f["properties"]
expected = 10 + 0.0005 * (float(sys.argv[2]) - 140000)
assert abs(p["start_height_m"] - expected) < 0.01, (p["start_height_m"], expected)
assert p["end_height_m"] > p["start_height_m"] + 20, p          # Leopoldsburg lies ~50 km east of Antwerp
assert p["climb_m"] >= p["end_height_m"] - p["start_height_m"] - 1e-6, p
assert 60 < p["distance_km"] < 120 and 0.5 < p["duration_h"] < 3, p
assert p["vehicle"] == "wheeled-truck", p
print("terrain-profile (plain C) ok: start %.2f m (expected %.2f), climb %.1f m over %.1f km" %
      (p["start_height_m"], expected, p["climb_m"], p["distance_km"]))
PY
# Bad input, each exit 3 with the parameter and value named.
echo "not a raster" > "$work/notes.txt"
set +e
"$cli" run terrain-profile --plugin-dir "$work/terrain" -p dem="$work/notes.txt" 2> "$work/bad1"; c1=$?
"$cli" run terrain-profile --plugin-dir "$work/terrain" -p dem="$work/plane.tif" -p from=atlantis 2> "$work/bad2"; c2=$?
"$cli" run terrain-profile --plugin-dir "$work/terrain" -p dem="$work/plane.tif" -p vehicle=hovercraft 2> "$work/bad3"; c3=$?
set -e
test "$c1" -eq 3 && grep -q "parameter 'dem' = $work/notes.txt" "$work/bad1"
test "$c2" -eq 3 && grep -q "atlantis" "$work/bad2" && grep -q "parameter 'from'" "$work/bad2"
test "$c3" -eq 3 && grep -q "unknown vehicle preset 'hovercraft'" "$work/bad3"

echo "example out-of-tree plugin: PASS"
