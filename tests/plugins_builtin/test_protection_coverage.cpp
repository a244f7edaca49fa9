// SPDX-License-Identifier: MIT
// protection-coverage: rings, counts, asset gaps and uncovered route length against
// values computed by hand (geodesic distances on WGS84).
#include <catch2/catch.hpp>
#include <cmath>

#include "builtin_support.hpp"
#include "mp/geo/geodesic.hpp"

using namespace mp;
using plugin::RunStatus;
using test::column;
using test::message_with;
using test::run_plugin;

namespace {

// Two ports on the meridian 5.0 E: a-near at 50.5 N and a-far 0.45 deg (about 50 km)
// north of it; a rail terminal far east; and a layer "test_routes" with a meridian
// line through a-near (50.2-50.8 N) and a line well away from everything.
const char* kFixture = R"({"type":"FeatureCollection","name":"test_routes","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.0,50.5]},
  "properties":{"id":"a-near","kind":"port","name_en":"Near port"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.0,50.95]},
  "properties":{"id":"a-far","kind":"port","name_en":"Far port"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[6.0,50.5]},
  "properties":{"id":"a-rail","kind":"rail_terminal","name_en":"East ramps"}},
 {"type":"Feature","id":"meridian","geometry":{"type":"LineString","coordinates":[[5.0,50.2],[5.0,50.5],[5.0,50.8]]},
  "properties":{"id":"meridian","name":"Meridian road"}},
 {"type":"Feature","id":"west","geometry":{"type":"LineString","coordinates":[[3.0,50.0],[3.0,50.1]]},
  "properties":{"id":"west","name":"West road"}}
]})";

const data::Workspace& ws() {
    static const data::Workspace w = test::fixture_workspace("test_routes", kFixture);
    return w;
}

plugin::RunResult run_ok(const nlohmann::json& p) {
    auto r = run_plugin("protection-coverage", p, ws());
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    return r;
}

// The raster value of the cell containing lon, lat.
double cell_at(const plugin::Raster& r, double lon, double lat) {
    const auto col = static_cast<std::size_t>(std::floor((lon - r.geotransform[0]) / r.geotransform[1]));
    const auto row = static_cast<std::size_t>(std::floor((lat - r.geotransform[3]) / r.geotransform[5]));
    REQUIRE(col < r.width);
    REQUIRE(row < r.height);
    return r.values[row * r.width + col];
}

const plugin::Raster& raster(const plugin::RunResult& r, const std::string& name) {
    for (const auto& x : r.rasters)
        if (x.name == name) return x;
    FAIL("no raster " << name);
    throw 0;
}

}  // namespace

TEST_CASE("protection-coverage is a loaded built-in plugin with a typed schema", "[coverage]") {
    const auto* info = test::builtin_registry().find("protection-coverage");
    REQUIRE(info);
    CHECK(info->loaded);
    bool saw_res = false;
    for (const auto& p : info->params)
        if (p.key == "resolution_km") {
            saw_res = true;
            CHECK(p.unit == "km");
            CHECK(p.default_value == "1");
        }
    CHECK(saw_res);
}

TEST_CASE("A system at a site covers it and an asset 50 km away is a gap", "[coverage]") {
    const auto r = run_ok({{"assets", "a-near, a-far"}, {"systems", "vshorad@a-near"}});
    CHECK(message_with(r, "assets covered: 1 of 2 (50.0 %); gaps: a-far") != "");
    CHECK(message_with(r, "generic planning figures") != "");

    const auto& assets = test::result_layer(r, "defended_assets");
    REQUIRE(assets.layer.features.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        const auto& f = assets.layer.features[i];
        const bool near = f.attributes.text("site") == "a-near";
        CHECK(f.attributes.boolean("covered") == near);
        CHECK(f.attributes.number("covering_systems") == (near ? 1 : 0));
        REQUIRE(assets.feature_styles[i]);
        CHECK(assets.feature_styles[i]->color == (near ? "#2ca02c" : "#d62728"));
        if (!near) CHECK(f.attributes.number("nearest_system_km").value() == Approx(50.0).margin(0.2));
    }
    // The gaps table lists the uncovered asset only (and the routes, see below).
    const auto& gaps = test::table(r, "gaps");
    CHECK(test::row_where(gaps, "id", "a-far") >= 0);
    CHECK(test::row_where(gaps, "id", "a-near") < 0);

    // The ring is a geodesic circle of 6 km (the vshorad preset) around the site.
    const auto& rings = test::result_layer(r, "range_rings");
    REQUIRE(rings.layer.features.size() == 1);
    CHECK(rings.layer.features[0].attributes.number("range_km") == Approx(6));
    const auto& poly = std::get<geo::Polygon>(rings.layer.features[0].geometry);
    CHECK(poly.outer().size() == 73);  // 72 vertices, closed
    for (const auto& p : poly.outer()) CHECK(geo::distance_m(geo::lonlat(5.0, 50.5), p) == Approx(6000).margin(0.01));
    CHECK(geo::area_m2(poly) > 0);  // counter-clockwise exterior
}

TEST_CASE("Overlapping rings count two systems in the raster", "[coverage]") {
    // Two 10 km systems 0.1 deg (about 7.1 km) apart on the 50.5 N parallel.
    const auto r =
        run_ok({{"assets", "a-near"}, {"systems", "custom@5.0/50.5:10, custom@5.1/50.5:10"}, {"resolution_km", "0.5"}});
    const auto& grid = raster(r, "coverage_count");
    CHECK(grid.crs == "EPSG:4326");
    CHECK(grid.unit == "systems");
    CHECK(cell_at(grid, 5.05, 50.5) == 2);   // between both
    CHECK(cell_at(grid, 4.92, 50.5) == 1);   // ~5.7 km west of the first, ~12.8 km from the second
    CHECK(cell_at(grid, 4.87, 50.42) == 0);  // ~12.8 km south-west of the first, further from the second
    double max_count = 0;
    for (double v : grid.values) max_count = std::max(max_count, v);
    CHECK(max_count == 2);
    // The grid covers the assets' box plus the longest range.
    CHECK(grid.geotransform[0] < 5.0 - 0.14);
    CHECK(grid.geotransform[3] > 50.5 + 0.09);
    const auto& assets = test::result_layer(r, "defended_assets");
    CHECK(assets.layer.features[0].attributes.number("covering_systems") == 2);
    // An ad-hoc range on a preset overrides it.
    const auto r2 = run_ok({{"assets", "a-near"}, {"systems", "cuas@a-near:4.5"}});
    CHECK(test::result_layer(r2, "range_rings").layer.features[0].attributes.number("range_km") == Approx(4.5));
}

TEST_CASE("Uncovered length of a straight route through a ring matches the chord", "[coverage]") {
    const auto r = run_ok({{"assets", "a-near"}, {"systems", "custom@5.0/50.5:10"}, {"route_layer", "test_routes"}});
    const double total_km = (geo::distance_m(geo::lonlat(5.0, 50.2), geo::lonlat(5.0, 50.5)) +
                             geo::distance_m(geo::lonlat(5.0, 50.5), geo::lonlat(5.0, 50.8))) /
                            1000;
    const auto& gaps = test::table(r, "gaps");
    const long m = test::row_where(gaps, "id", "meridian");
    REQUIRE(m >= 0);
    CHECK(column(gaps, "length").numbers[m] == Approx(total_km).margin(1e-6));
    // The line passes through the centre: 2 x 10 km covered.
    CHECK(column(gaps, "uncovered").numbers[m] == Approx(total_km - 20).margin(0.1));
    const long w = test::row_where(gaps, "id", "west");
    REQUIRE(w >= 0);
    CHECK(column(gaps, "uncovered").numbers[w] == Approx(column(gaps, "length").numbers[w]));
    CHECK(column(gaps, "covered").numbers[w] == Approx(0));
    CHECK(message_with(r, "route layer 'test_routes'") != "");
    // Uncovered stretches are returned as lines: two on the meridian, one in the west.
    CHECK(test::result_layer(r, "route_gaps").layer.features.size() == 3);
}

TEST_CASE("Default assets are the ports, airbases and rail terminals", "[coverage]") {
    const auto r = run_ok({{"systems", "medium@a-near"}});
    // 40 km around a-near: a-far (50 km) and a-rail (71 km) are gaps.
    CHECK(message_with(r, "assets covered: 1 of 3") != "");
    // The fixture has no 'roads' layer: routes are skipped with a note.
    CHECK(message_with(r, "routes not assessed") != "");
}

TEST_CASE("Bad systems and grids fail with a clear error", "[coverage][errors]") {
    auto r = run_plugin("protection-coverage", {{"systems", "laser@a-near"}}, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("unknown type 'laser'") != std::string::npos);

    r = run_plugin("protection-coverage", {{"systems", "vshorad@atlantis"}}, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("unknown site 'atlantis'") != std::string::npos);

    r = run_plugin("protection-coverage", {{"systems", "vshorad"}}, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("expected TYPE@SITE or TYPE@LON/LAT") != std::string::npos);

    r = run_plugin("protection-coverage", {{"systems", "vshorad@a-near:-3"}}, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("is not a range in km") != std::string::npos);

    r = run_plugin("protection-coverage",
                   {{"systems", "vshorad@a-near"}, {"grid_extent", "belgium"}, {"resolution_km", "0.05"}}, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("coarser resolution_km") != std::string::npos);

    // No systems at all: the schema requires them.
    CHECK_THROWS_WITH(run_plugin("protection-coverage", nlohmann::json::object(), ws()), Catch::Contains("systems"));
    // An unknown asset is named by the validation.
    CHECK_THROWS_WITH(run_plugin("protection-coverage", {{"systems", "vshorad@a-near"}, {"assets", "nowhere"}}, ws()),
                      Catch::Contains("nowhere"));
}

TEST_CASE("protection-coverage honours cancellation", "[coverage][cancel]") {
    Progress progress;
    progress.cancel();
    const auto r = run_plugin("protection-coverage", {{"systems", "vshorad@a-near"}}, ws(), progress);
    CHECK(r.status == RunStatus::Cancelled);
}

TEST_CASE("protection-coverage runs on the embedded Belgian data and the roads layer", "[coverage]") {
    static const data::Workspace belgium = data::load_workspace(true, {});
    const auto r =
        run_plugin("protection-coverage",
                   {{"systems", "medium@melsbroek-air-base, shorad@port-antwerp, cuas@zeebrugge-rail-terminal"},
                    {"grid_extent", "belgium"},
                    {"resolution_km", "2"}},
                   belgium);
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(message_with(r, "route layer 'roads'") != "");
    CHECK(message_with(r, "assets covered: ") != "");
    const auto& grid = raster(r, "coverage_count");
    CHECK(cell_at(grid, 4.48, 50.90) >= 1);  // Melsbroek
    CHECK(cell_at(grid, 5.9, 49.7) == 0);    // southern Luxembourg province
}

TEST_CASE("protection-coverage gives the same results isolated as in process", "[coverage][isolation]") {
    static const data::Workspace belgium = data::load_workspace(true, {});
    const nlohmann::json p = {{"systems", "shorad@port-antwerp, cuas@4.40/51.22"}, {"resolution_km", "2"}};
    plugin::RunOptions iso;
    iso.mode = plugin::RunOptions::Mode::Isolated;
    const auto a = run_plugin("protection-coverage", p, belgium);
    const auto b = test::builtin_registry().run("protection-coverage", p, belgium, null_progress(), iso);
    INFO(b.error);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(plugin::to_json(a)["rasters"] == plugin::to_json(b)["rasters"]);
    CHECK(plugin::to_json(a)["tables"] == plugin::to_json(b)["tables"]);
}

TEST_CASE("enablement run protection-coverage writes rings, the gaps table and the GeoTIFF", "[coverage][cli]") {
    test::TempDir dir;
    std::string out;
    const int rc = test::run_cli(
        "run protection-coverage --param 'systems=shorad@port-antwerp, cuas@4.40/51.22' "
        "--param resolution_km=2 --out " +
            dir.file("pc.geojson"),
        out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK(out.find("assets covered: ") != std::string::npos);
    CHECK(out.find("route layer 'roads'") != std::string::npos);
    const auto geo = nlohmann::json::parse(test::read_text(dir.file("pc.geojson")));
    bool saw_ring = false;
    for (const auto& f : geo["features"]) saw_ring |= f["geometry"]["type"] == "Polygon";
    CHECK(saw_ring);
    CHECK(test::read_text(dir.file("pc.gaps.csv")).rfind("type,id,name,length [km]", 0) == 0);
    CHECK(std::filesystem::file_size(dir.file("pc.coverage_count.tif")) > 0);
}
