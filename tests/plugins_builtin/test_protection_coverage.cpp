// SPDX-License-Identifier: MIT
// protection-coverage 2: systems as records, terrain from a DEM (or the smooth earth),
// altitude bands; checked end to end through the plugin against closed forms: the radar
// horizon over the smooth earth, a ridge's shadow on a DEM the test writes, the
// chord of a route through a range, and against geodesic distances on WGS84.
#include <catch2/catch.hpp>
#include <gdal.h>
#include <ogr_srs_api.h>

#include <cmath>

#include "builtin_support.hpp"
#include "mp/geo/crs.hpp"
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

nlohmann::json systems(std::initializer_list<nlohmann::json> items) { return nlohmann::json(items); }

plugin::RunResult run_ok(const nlohmann::json& p) {
    auto r = run_plugin("protection-coverage", p, ws());
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    return r;
}

const plugin::Raster& raster(const plugin::RunResult& r, const std::string& name) {
    for (const auto& x : r.rasters)
        if (x.name == name) return x;
    FAIL("no raster " << name);
    throw 0;
}

std::pair<double, double> to_crs(const std::string& crs, double lon, double lat) {
    const auto p = geo::project(geo::lonlat(lon, lat), crs);
    return {p.x(), p.y()};
}
std::pair<double, double> to_lonlat(const std::string& crs, double x, double y) {
    const auto p = geo::unproject(geo::ProjectedXY(x, y), crs);
    return {geo::lon(p), geo::lat(p)};
}

// The cell of a raster (in its own CRS) holding the lon/lat point, as (col, row).
std::pair<long, long> cell_of(const plugin::Raster& r, double lon, double lat) {
    const auto xy = to_crs(r.crs, lon, lat);
    return {static_cast<long>(std::floor((xy.first - r.geotransform[0]) / r.geotransform[1])),
            static_cast<long>(std::floor((xy.second - r.geotransform[3]) / r.geotransform[5]))};
}

double value_at(const plugin::Raster& r, double lon, double lat, std::size_t band = 0) {
    const auto [c, w] = cell_of(r, lon, lat);
    REQUIRE(c >= 0);
    REQUIRE(w >= 0);
    REQUIRE(static_cast<std::size_t>(c) < r.width);
    REQUIRE(static_cast<std::size_t>(w) < r.height);
    return r.value(band, static_cast<std::size_t>(w) * r.width + static_cast<std::size_t>(c));
}

// A GeoTIFF DEM in EPSG:3812 written by the test: flat at 50 m, with a ridge of `ridge_m`
// (tent-shaped, 1 km flanks) running north-south `ridge_east_m` east of (lon, lat).
std::string write_ridge_dem(const test::TempDir& dir, double lon, double lat, double ridge_east_m, double ridge_m,
                            bool with_crs = true) {
    const auto c = to_crs("EPSG:3812", lon, lat);
    const int n = 1200;
    const double cell = 25;
    const double x0 = std::floor(c.first / cell) * cell - n * cell / 2,
                 y0 = std::floor(c.second / cell) * cell + n * cell / 2;
    std::vector<float> z(static_cast<std::size_t>(n) * n);
    for (int r = 0; r < n; ++r)
        for (int k = 0; k < n; ++k) {
            const double x = x0 + (k + 0.5) * cell;
            const double t = std::abs(x - (c.first + ridge_east_m)) / 1000;
            z[static_cast<std::size_t>(r) * n + k] = static_cast<float>(50 + std::max(0.0, ridge_m * (1 - t)));
        }
    const std::string path = dir.file("ridge.tif");
    GDALAllRegister();
    GDALDatasetH ds = GDALCreate(GDALGetDriverByName("GTiff"), path.c_str(), n, n, 1, GDT_Float32, nullptr);
    double gt[6] = {x0, cell, 0, y0, 0, -cell};
    GDALSetGeoTransform(ds, gt);
    if (with_crs) {
        OGRSpatialReferenceH srs = OSRNewSpatialReference(nullptr);
        OSRImportFromEPSG(srs, 3812);
        GDALSetSpatialRef(ds, srs);
        OSRDestroySpatialReference(srs);
    }
    REQUIRE(GDALRasterIO(GDALGetRasterBand(ds, 1), GF_Write, 0, 0, n, n, z.data(), n, n, GDT_Float32, 0, 0) == CE_None);
    GDALClose(ds);
    return path;
}

}  // namespace

TEST_CASE("protection-coverage takes systems as typed records, a DEM and altitude bands", "[coverage]") {
    const auto* info = test::builtin_registry().find("protection-coverage");
    REQUIRE(info);
    CHECK(info->loaded);
    std::map<std::string, const plugin::ParamDef*> by_key;
    for (const auto& p : info->params) by_key[p.key] = &p;
    for (const char* key : {"systems", "dem", "bands_m", "k_factor", "assets", "route_layer", "resolution_m"})
        CHECK(by_key.count(key) == 1);
    // Version 1's parameters are retired: not in the form, refused naming the new form.
    for (const char* gone : {"resolution_km", "custom_range_km", "grid_extent"}) CHECK(by_key.count(gone) == 0);
    REQUIRE(info->retired.size() == 3);
    CHECK(info->retired[0].key == "resolution_km");
    CHECK(info->retired[0].replaced_by.find("resolution_m") != std::string::npos);
    REQUIRE(by_key.count("systems"));
    const auto& sys = *by_key["systems"];
    CHECK(sys.type == plugin::ParamType::List);
    CHECK(sys.item_type == plugin::ParamType::Record);
    std::vector<std::string> fields;
    for (const auto& f : sys.fields) fields.push_back(f.key);
    CHECK(fields == std::vector<std::string>{"type", "at", "mast_m", "range_km", "azimuth_deg", "sector_deg"});
    CHECK(sys.fields[0].choices_from == "air-defence-systems");
    CHECK(sys.fields[1].type == plugin::ParamType::Place);
    CHECK(by_key["dem"]->type == plugin::ParamType::Raster);
    CHECK(by_key["bands_m"]->default_value == "10,30,50,100,150");
}

TEST_CASE("without a DEM the earth is smooth: a 10 m radar at k = 4/3 sees a 10 m target out to 26.08 km",
          "[coverage][horizon]") {
    const auto r =
        run_ok({{"systems", systems({{{"type", "radar"}, {"at", "a-near"}, {"mast_m", 10}, {"range_km", 30}}})},
                {"bands_m", "10,150"},
                {"resolution_m", 50},
                {"assets", "a-near"}});
    const auto& count10 = raster(r, "count_10m");
    CHECK(count10.crs == "EPSG:3812");
    CHECK(count10.unit == "systems");
    // Along the row of the radar, eastwards: seen up to the horizon 2 sqrt(2 k a 10 m).
    const auto [c0, row] = cell_of(count10, 5.0, 50.5);
    const double horizon = 2 * std::sqrt(2 * 4.0 / 3.0 * 6378137 * 10);
    double last_seen = 0;
    // (From 0.5 km: the radar is blind within 0.2 km and above 70 degrees of elevation.)
    for (std::size_t c = static_cast<std::size_t>(c0) + 10; c < count10.width; ++c) {
        if (count10.value(0, static_cast<std::size_t>(row) * count10.width + c) != 1) break;
        last_seen = (static_cast<double>(c) - static_cast<double>(c0)) * count10.geotransform[1];
    }
    CHECK(std::abs(last_seen - horizon) <= 75);
    // At 150 m everything within the 30 km range is seen; beyond the range is nodata.
    const auto& count150 = raster(r, "count_150m");
    CHECK(value_at(count150, 5.0 + 0.3, 50.5) == 1);  // about 21 km east
    CHECK(count150.nodata == 255);
    CHECK(value_at(count150, 5.0 + 0.31, 50.5 + 0.2) == 255);  // about 31 km north-east: out of range
    // The lowest visible height 20 km away is (20 km - 13.04 km)^2 / (2 k a).
    const auto& lowest = raster(r, "lowest_visible_m");
    const double d1 = std::sqrt(2 * 4.0 / 3.0 * 6378137 * 10);
    const auto [cx, cy] = cell_of(lowest, 5.0, 50.5);
    const double at20 =
        lowest.value(0, static_cast<std::size_t>(cy) * lowest.width + static_cast<std::size_t>(cx + 400));
    CHECK(at20 == Approx((20000 - d1) * (20000 - d1) / (2 * 4.0 / 3.0 * 6378137)).margin(0.3));
    // The per-cell set of systems is exact and named; the class raster has a band per height.
    const auto& seen = raster(r, "seen_by_10m");
    CHECK(seen.role == plugin::RasterRole::Bitmask);
    CHECK(seen.item_names == std::vector<std::string>{"S1 radar@a-near"});
    CHECK(value_at(seen, 5.1, 50.5) == 1);
    const auto& cls = raster(r, "coverage_class");
    CHECK(cls.role == plugin::RasterRole::BandsPerHeight);
    CHECK(cls.band_heights_m == std::vector<double>{10, 150});
    CHECK(value_at(cls, 5.1, 50.5, 0) == 1);  // detected; no effector: not engageable
}

TEST_CASE("behind a ridge an asset is hidden at low altitude and seen above the sight line", "[coverage][terrain]") {
    test::TempDir dir;
    // A 150 m ridge 3 km east of a-near; the asset 6 km east, on the 50 m plain.
    const std::string dem = write_ridge_dem(dir, 5.0, 50.5, 3000, 150);
    const auto xy = to_crs("EPSG:3812", 5.0, 50.5);
    const auto asset = to_lonlat("EPSG:3812", xy.first + 6000, xy.second);
    const std::string asset_place = std::to_string(asset.first) + "," + std::to_string(asset.second);
    const auto r =
        run_ok({{"systems", systems({{{"type", "eoir"}, {"at", "a-near"}, {"mast_m", 10}, {"range_km", 8}}})},
                {"dem", dem},
                {"bands_m", "30,250,400"},
                {"assets", nlohmann::json::array({asset_place})}});
    // The sight line over the crest (150 m above the plain, the sensor 10 m above it)
    // rises to 10 + 140 x 6 / 3 = 290 m above the plain at the asset: hidden at 30 and
    // 250 m, seen at 400 m.
    const auto& t = test::table(r, "asset_coverage");
    const auto& band = column(t, "band").numbers;
    const auto& det = column(t, "detected").numbers;
    REQUIRE(band.size() == 3);
    CHECK(det[0] == 0);
    CHECK(det[1] == 0);
    CHECK(det[2] == 100);
    const auto& lowest = raster(r, "lowest_visible_m");
    CHECK(lowest.crs.find("3812") != std::string::npos);  // the DEM's own metric grid
    CHECK(value_at(lowest, asset.first, asset.second) == Approx(290).margin(3));
    CHECK(message_with(r, "terrain from") != "");
}

TEST_CASE("a route through a 3 km counter-drone range is covered for the chord and its gaps are listed",
          "[coverage][routes]") {
    const auto r = run_ok({{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}})},
                           {"route_layer", "test_routes"},
                           {"resolution_m", 50},
                           {"bands_m", "30"}});
    const auto& rc = test::table(r, "route_coverage");
    const long m = test::row_where(rc, "route", "meridian");
    REQUIRE(m >= 0);
    const double total_km = (geo::distance_m(geo::lonlat(5.0, 50.2), geo::lonlat(5.0, 50.5)) +
                             geo::distance_m(geo::lonlat(5.0, 50.5), geo::lonlat(5.0, 50.8))) /
                            1000;
    CHECK(column(rc, "length").numbers[m] == Approx(total_km).margin(1e-3));
    CHECK(column(rc, "covered").numbers[m] == Approx(6.0).margin(0.05));
    const long w = test::row_where(rc, "route", "west");
    REQUIRE(w >= 0);
    CHECK(column(rc, "covered").numbers[w] == 0);
    // Gaps: before and after the range on the meridian (the second one lost by S1), the
    // whole west road.
    const auto& g = test::table(r, "route_gaps");
    REQUIRE(g.rows() == 3);
    const double at_km = geo::distance_m(geo::lonlat(5.0, 50.2), geo::lonlat(5.0, 50.5)) / 1000;
    CHECK(column(g, "to").numbers[0] == Approx(at_km - 3).margin(0.05));
    CHECK(column(g, "from").numbers[1] == Approx(at_km + 3).margin(0.05));
    CHECK(column(g, "lost_by").texts[1] == "S1 cuas@a-near");
    // On the map: the meridian's two gaps; the west road, covered nowhere, is a table row only.
    CHECK(test::result_layer(r, "route_gaps").layer.features.size() == 2);
    CHECK(column(g, "beyond_range").texts[2] == "yes");
}

TEST_CASE("a sector limits a system to its azimuths", "[coverage]") {
    // A radar looking east with a 90 degree sector sees 10 km east, not 10 km west.
    const auto r = run_ok(
        {{"systems",
          systems({{{"type", "radar"}, {"at", "a-near"}, {"range_km", 15}, {"azimuth_deg", 90}, {"sector_deg", 90}}})},
         {"bands_m", "100"},
         {"resolution_m", 100}});
    const auto& c = raster(r, "count_100m");
    CHECK(value_at(c, 5.14, 50.5) == 1);
    CHECK(value_at(c, 4.86, 50.5) == 255);  // outside its footprint
}

TEST_CASE("bad systems, DEMs and grids fail with a clear error naming them", "[coverage][errors]") {
    auto rejected = [](const nlohmann::json& p, const std::string& text) {
        const auto r = run_plugin("protection-coverage", p, ws());
        INFO(test::all_messages(r));
        CHECK(r.status == RunStatus::Rejected);
        CHECK(r.error.find(text) != std::string::npos);
    };
    // Today's string form is refused by the schema (records are JSON objects).
    CHECK_THROWS_WITH(run_plugin("protection-coverage", {{"systems", "vshorad@a-near"}}, ws()),
                      Catch::Contains("JSON"));
    CHECK_THROWS_WITH(
        run_plugin("protection-coverage", {{"systems", systems({{{"type", "laser"}, {"at", "a-near"}}})}}, ws()),
        Catch::Contains("laser"));
    CHECK_THROWS_WITH(
        run_plugin("protection-coverage", {{"systems", systems({{{"type", "cuas"}, {"at", "atlantis"}}})}}, ws()),
        Catch::Contains("atlantis"));
    rejected({{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}, {"sector_deg", 0}}})}},
             "systems[0].sector_deg");
    CHECK_THROWS_WITH(
        run_plugin("protection-coverage",
                   {{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}, {"sector_deg", 400}}})}}, ws()),
        Catch::Contains("sector_deg"));
    // The replaced parameters are refused with the new form.
    CHECK_THROWS_WITH(
        run_plugin("protection-coverage",
                   {{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}})}, {"resolution_km", 1}}, ws()),
        Catch::Contains("parameter 'resolution_km' was replaced: use resolution_m"));
    CHECK_THROWS_WITH(
        run_plugin("protection-coverage",
                   {{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}})}, {"custom_range_km", 4}}, ws()),
        Catch::Contains("range_km in each systems record"));
    // A grid over the memory cap names resolution_m and what would do.
    rejected({{"systems", systems({{{"type", "medium"}, {"at", "a-near"}}})}, {"resolution_m", 5}}, "resolution_m");
    test::TempDir dir;
    // A DEM that does not cover a system names it.
    const std::string dem = write_ridge_dem(dir, 5.0, 50.5, 3000, 150);
    rejected({{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}, {{"type", "cuas"}, {"at", "a-far"}}})},
              {"dem", dem}},
             "systems[1].at");
    // A DEM without a CRS.
    test::TempDir dir2;
    const std::string no_crs = write_ridge_dem(dir2, 5.0, 50.5, 3000, 150, false);
    CHECK_THROWS_WITH(run_plugin("protection-coverage",
                                 {{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}})}, {"dem", no_crs}}, ws()),
                      Catch::Contains("no CRS"));
}

TEST_CASE("protection-coverage honours cancellation", "[coverage][cancel]") {
    Progress progress;
    progress.cancel();
    const auto r = run_plugin("protection-coverage", {{"systems", systems({{{"type", "cuas"}, {"at", "a-near"}}})}},
                              ws(), progress);
    CHECK(r.status == RunStatus::Cancelled);
}

TEST_CASE("protection-coverage gives the same results isolated as in process", "[coverage][isolation]") {
    const nlohmann::json p = {
        {"systems", systems({{{"type", "shorad"}, {"at", "a-near"}}, {{"type", "rf"}, {"at", "5.05,50.52"}}})},
        {"resolution_m", 200},
        {"route_layer", "test_routes"}};
    plugin::RunOptions iso;
    iso.mode = plugin::RunOptions::Mode::Isolated;
    const auto a = run_plugin("protection-coverage", p, ws());
    const auto b = test::builtin_registry().run("protection-coverage", p, ws(), null_progress(), iso);
    INFO(b.error);
    REQUIRE(a.status == RunStatus::Ok);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(plugin::to_json(a)["rasters"] == plugin::to_json(b)["rasters"]);
    CHECK(plugin::to_json(a)["tables"] == plugin::to_json(b)["tables"]);
}

TEST_CASE("enablement run protection-coverage writes the band rasters and the tables", "[coverage][cli]") {
    test::TempDir dir;
    std::string out;
    const int rc = test::run_cli(
        "run protection-coverage -p 'systems=[{\"type\":\"shorad\",\"at\":\"port-antwerp\"},"
        "{\"type\":\"radar\",\"at\":\"4.40,51.22\",\"mast_m\":15}]' -p resolution_m=250 --out " +
            dir.file("pc.geojson"),
        out);
    INFO(out);
    REQUIRE(rc == 0);
    CHECK(out.find("at 30m: ") != std::string::npos);
    for (const char* f : {"pc.lowest_visible_m.tif", "pc.count_30m.tif", "pc.count_150m.tif", "pc.coverage_class.tif",
                          "pc.seen_by_30m.tif"})
        CHECK(std::filesystem::file_size(dir.file(f)) > 0);
    CHECK(test::read_text(dir.file("pc.asset_coverage.csv")).rfind("site,name,kind,shape,band [m]", 0) == 0);
    CHECK(test::read_text(dir.file("pc.route_coverage.csv")).rfind("route,name,band [m]", 0) == 0);
}

TEST_CASE("placement puts the next system where the priority-weighted gap is largest", "[coverage][placement]") {
    // One radar already at a-near; one counter-drone system to place among the three
    // sites, a-far weighing 3 and a-rail 1: a-far is the answer (a-near is covered).
    const auto r = run_ok({{"systems", systems({{{"type", "radar"}, {"at", "a-near"}, {"range_km", 5}}})},
                           {"place", systems({{{"type", "cuas"}, {"count", 1}}})},
                           {"candidates", "a-near; a-far; a-rail"},
                           {"weights", systems({{{"asset", "a-far"}, {"weight", 3}}})},
                           {"assets", "a-near; a-far; a-rail"},
                           {"resolution_m", 100}});
    const auto& t = test::table(r, "placement");
    REQUIRE(t.rows() == 1);
    CHECK(column(t, "type").texts[0] == "cuas");
    CHECK(column(t, "at").texts[0] == "a-far");
    // a-far's share of the total weight (3 of 5) is gained.
    CHECK(column(t, "gain").numbers[0] == Approx(60).margin(0.01));
    CHECK(message_with(r, "integer program proves it optimal") != "");
    CHECK(test::result_layer(r, "placement").layer.features.size() == 1);
}

TEST_CASE("moving one system recomputes only that system's line of sight", "[coverage][cache]") {
    // Runs in one process share each system's window by DEM content, grid and the
    // system's own figures: a second run with one system moved sweeps only that one.
    auto run_with = [&](const std::string& third) {
        return run_ok({{"systems", systems({{{"type", "radar"}, {"at", "5.02,50.51"}, {"range_km", 6}},
                                            {{"type", "eoir"}, {"at", "5.05,50.49"}},
                                            {{"type", "rf"}, {"at", third}}})},
                       {"resolution_m", 137},  // a grid no other test uses
                       {"bands_m", "30"}});
    };
    const auto first = run_with("4.98,50.50");
    CHECK(message_with(first, "line of sight computed for 3, reused for 0") != "");
    const auto moved = run_with("4.99,50.50");
    CHECK(message_with(moved, "computed for 1, reused for 2") != "");
    // And the result is the same as computing everything afresh (the cache is exact).
    const auto again = run_with("4.99,50.50");
    CHECK(message_with(again, "computed for 0, reused for 3") != "");
    CHECK(plugin::to_json(moved)["rasters"] == plugin::to_json(again)["rasters"]);
}
