// SPDX-License-Identifier: MIT
// The raster, vector-source and typed-result host services of ABI 1.1, through a real
// plugin (raster-probe, SDK only): rasters built here with GDAL, answers that are known
// analytically (a plane, a single peak, cell counts) or read from the file directly.
#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <map>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/plugin/registry.hpp"
#include "mp/plugin/result.hpp"
#include "test_support.hpp"

using namespace mp;
using plugin::RunStatus;
using Mode = plugin::RunOptions::Mode;

namespace {

const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

plugin::Registry& registry() {
    static plugin::Registry r;
    static bool loaded = false;
    if (!loaded) {
        r.discover({{std::string(MP_TEST_PLUGIN_DIR) + "/good", plugin::Origin::CommandLine}});
        loaded = true;
    }
    return r;
}

plugin::RunResult run(const nlohmann::json& params, Mode mode = Mode::InProcess) {
    plugin::RunOptions o;
    o.mode = mode;
    o.host_executable = MP_PLUGIN_HOST_PATH;
    return registry().run("raster-probe", params, ws(), null_progress(), o);
}

std::string messages(const plugin::RunResult& r) {
    std::string s;
    for (const auto& m : r.messages) s += m.text + "\n";
    return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A GeoTIFF of `bands` bands of w x h cells (band after band, rows from the top); crs ""
// writes none.
void write_tif(const std::string& path, int w, int h, const std::array<double, 6>& gt, const std::string& crs,
               const std::vector<double>& cells, int bands = 1, std::optional<double> nodata = std::nullopt,
               GDALDataType type = GDT_Float64) {
    io::ensure_gdal();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GTiff");
    GDALDatasetUniquePtr ds(drv->Create(path.c_str(), w, h, bands, type, nullptr));
    REQUIRE(ds);
    double g[6];
    std::copy(gt.begin(), gt.end(), g);
    ds->SetGeoTransform(g);
    if (!crs.empty()) {
        OGRSpatialReference srs;
        srs.SetFromUserInput(crs.c_str());
        ds->SetSpatialRef(&srs);
    }
    for (int b = 0; b < bands; ++b) {
        GDALRasterBand* band = ds->GetRasterBand(b + 1);
        if (nodata) band->SetNoDataValue(*nodata);
        REQUIRE(band->RasterIO(GF_Write, 0, 0, w, h, const_cast<double*>(cells.data()) + std::size_t(b) * w * h, w, h,
                               GDT_Float64, 0, 0) == CE_None);
    }
}

// Cells of a window of a raster file, read directly with GDAL.
std::vector<double> read_tif(const std::string& path, int band, int x0, int y0, int w, int h) {
    io::ensure_gdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::vector<double> out(std::size_t(w) * h);
    REQUIRE(ds->GetRasterBand(band)->RasterIO(GF_Read, x0, y0, w, h, out.data(), w, h, GDT_Float64, 0, 0) == CE_None);
    return out;
}

std::string info_value(const plugin::RunResult& r, const std::string& key) {
    REQUIRE(r.tables.size() == 1);
    const auto& t = r.tables[0];
    for (std::size_t i = 0; i < t.rows(); ++i)
        if (t.columns[0].texts[i] == key) return t.columns[1].texts[i];
    FAIL("no info row " << key);
    return {};
}

std::unique_ptr<OGRCoordinateTransformation> transformation(const std::string& from, const std::string& to) {
    OGRSpatialReference a, b;
    a.SetFromUserInput(from.c_str());
    b.SetFromUserInput(to.c_str());
    a.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    b.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    return std::unique_ptr<OGRCoordinateTransformation>(OGRCreateCoordinateTransformation(&a, &b));
}

// Planar area, in the CRS's units squared, of a lon/lat polygon transformed into `crs`.
double planar_area(const geo::Polygon& p, const std::string& crs) {
    auto ct = transformation("EPSG:4326", crs);
    OGRPolygon poly;
    auto add = [&](const geo::Ring& r) {
        OGRLinearRing ring;
        for (const auto& q : r) ring.addPoint(geo::lon(q), geo::lat(q));
        poly.addRing(&ring);
    };
    add(p.outer());
    for (const auto& h : p.inners()) add(h);
    REQUIRE(poly.transform(ct.get()) == OGRERR_NONE);
    return poly.get_Area();
}

const std::array<double, 6> kGt{100000, 10, 0, 180000, 0, -10};  // EPSG:31370, 10 m cells

// The plane z = 1000 + 0.01 (x - 100000) - 0.02 (y - 180000), in EPSG:31370 metres.
double plane(double x, double y) { return 1000 + 0.01 * (x - 100000) - 0.02 * (y - 180000); }

std::vector<double> plane_cells(int w, int h) {
    std::vector<double> c(std::size_t(w) * h);
    for (int r = 0; r < h; ++r)
        for (int k = 0; k < w; ++k) c[std::size_t(r) * w + k] = plane(kGt[0] + (k + 0.5) * 10, kGt[3] - (r + 0.5) * 10);
    return c;
}

nlohmann::json grid_params(const std::string& crs, double x0, double y0, double cell, int w, int h) {
    return {{"crs", crs}, {"x0", x0}, {"y0", y0}, {"cell_x", cell}, {"cell_y", cell}, {"width", w}, {"height", h}};
}

nlohmann::json merged(nlohmann::json a, const nlohmann::json& b) {
    a.update(b);
    return a;
}

}  // namespace

TEST_CASE("raster_info reports size, bands, geotransform, CRS (WKT2 and name), units and nodata", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("two_bands.tif");
    write_tif(path, 40, 30, {150000, 25, 0, 170000, 0, -25}, "EPSG:31370", std::vector<double>(2 * 40 * 30, 1.0), 2,
              -9999.0);
    const auto r = run({{"mode", "info"}, {"dem", path}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(info_value(r, "width") == "40");
    CHECK(info_value(r, "height") == "30");
    CHECK(info_value(r, "bands") == "2");
    CHECK(info_value(r, "gt") == "150000,25,0,170000,0,-25");
    CHECK(info_value(r, "crs_name") == "BD72 / Belgian Lambert 72");
    CHECK(info_value(r, "crs_wkt").rfind("PROJCRS[\"BD72 / Belgian Lambert 72\"", 0) == 0);
    CHECK(info_value(r, "projected") == "1");
    CHECK(info_value(r, "unit_m") == "1");
    CHECK(info_value(r, "nodata") == "-9999");
    CHECK(info_value(r, "source") == path);

    const std::string geo = d.file("lonlat.tif");
    write_tif(geo, 10, 10, {4.0, 0.01, 0, 51.0, 0, -0.01}, "EPSG:4326", std::vector<double>(100, 1.0));
    const auto g = run({{"mode", "info"}, {"dem", geo}});
    REQUIRE(g.status == RunStatus::Ok);
    CHECK(info_value(g, "projected") == "0");
    CHECK(info_value(g, "unit_m") == "0");
    CHECK(info_value(g, "nodata") == "none");
    CHECK(info_value(g, "crs_name") == "WGS 84");
}

TEST_CASE("Nearest on the raster's own grid returns the source cells exactly", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("cells.tif");
    const int w = 50, h = 40;
    std::vector<double> cells(std::size_t(w) * h);
    for (int r = 0; r < h; ++r)
        for (int k = 0; k < w; ++k)
            cells[std::size_t(r) * w + k] = std::sin(k * 0.37) * 100 + std::cos(r * 0.21) + 1e-3 * k * r;
    write_tif(path, w, h, kGt, "EPSG:31370", cells, 1, std::nullopt, GDT_Float32);
    const auto r = run({{"mode", "read"}, {"dem", path}, {"col0", 5}, {"row0", 3}, {"width", 20}, {"height", 10}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    REQUIRE(r.rasters.size() == 1);
    const auto& ra = r.rasters[0];
    CHECK(ra.width == 20);
    CHECK(ra.height == 10);
    CHECK(ra.geotransform == std::array<double, 6>{100050, 10, 0, 179970, 0, -10});
    CHECK(ra.values == read_tif(path, 1, 5, 3, 20, 10));

    // The same window in the CRS named as "EPSG:31370" rather than the file's WKT.
    const auto e =
        run(merged({{"mode", "read"}, {"dem", path}}, grid_params("EPSG:31370", 100050, 179970, 10, 20, 10)));
    REQUIRE(e.status == RunStatus::Ok);
    CHECK(e.rasters.at(0).values == read_tif(path, 1, 5, 3, 20, 10));
}

TEST_CASE("A plane in EPSG:31370 read bilinearly onto an EPSG:3812 grid equals the plane at the cell centres",
          "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("plane.tif");
    write_tif(path, 300, 300, kGt, "EPSG:31370", plane_cells(300, 300));
    // A 1.4 km square of 7 m cells in Lambert 2008 around the middle of the 3 km source.
    double cx = 101500, cy = 178500;
    REQUIRE(transformation("EPSG:31370", "EPSG:3812")->Transform(1, &cx, &cy));
    const int n = 200;
    const double cell = 7, x0 = cx - n * cell / 2, y0 = cy + n * cell / 2;
    const auto r = run(merged({{"mode", "read"}, {"dem", path}, {"resampling", "bilinear"}},
                              grid_params("EPSG:3812", x0, y0, cell, n, n)));
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const auto& v = r.rasters.at(0).values;
    REQUIRE(v.size() == std::size_t(n) * n);
    auto back = transformation("EPSG:3812", "EPSG:31370");
    double worst = 0;
    std::size_t off = 0;
    for (int row = 0; row < n; ++row)
        for (int col = 0; col < n; ++col) {
            double x = x0 + (col + 0.5) * cell, y = y0 - (row + 0.5) * cell;
            REQUIRE(back->Transform(1, &x, &y));
            const double expected = plane(x, y);
            const double rel = std::abs(v[std::size_t(row) * n + col] - expected) / expected;
            worst = std::max(worst, rel);
            off += rel > 1e-6;
        }
    INFO("largest relative error " << worst);
    CHECK(off == 0);
}

TEST_CASE("Max onto a coarser grid keeps a single peak's height, average and nearest do not", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("peak.tif");
    std::vector<double> cells(100 * 100, 5.0);
    cells[51 * 100 + 36] = 123.4;  // row 51, column 36: off the centre of its 5 x 5 block
    write_tif(path, 100, 100, kGt, "EPSG:31370", cells);
    const auto grid = grid_params("EPSG:31370", 100000, 180000, 50, 20, 20);  // 5 x 5 source cells each
    const auto mx = run(merged({{"mode", "read"}, {"dem", path}, {"resampling", "max"}}, grid));
    INFO(mx.error);
    REQUIRE(mx.status == RunStatus::Ok);
    const auto& m = mx.rasters.at(0).values;
    CHECK(m[10 * 20 + 7] == 123.4);
    CHECK(std::count(m.begin(), m.end(), 5.0) == 399);

    const auto av = run(merged({{"mode", "read"}, {"dem", path}, {"resampling", "average"}}, grid));
    REQUIRE(av.status == RunStatus::Ok);
    CHECK(av.rasters.at(0).values[10 * 20 + 7] == Approx((24 * 5 + 123.4) / 25).epsilon(1e-12));

    const auto nn = run(merged({{"mode", "read"}, {"dem", path}, {"resampling", "nearest"}}, grid));
    REQUIRE(nn.status == RunStatus::Ok);
    const auto& v = nn.rasters.at(0).values;
    CHECK(*std::max_element(v.begin(), v.end()) == 5.0);  // the centre sample misses the peak

    // Onto a rotated 40 m grid in another CRS the peak survives Max too.
    double cx = 100500, cy = 179500;
    REQUIRE(transformation("EPSG:31370", "EPSG:3812")->Transform(1, &cx, &cy));
    const auto rot = run(merged({{"mode", "read"}, {"dem", path}, {"resampling", "max"}, {"nodata", -1}},
                                grid_params("EPSG:3812", cx - 400, cy + 400, 40, 20, 20)));
    REQUIRE(rot.status == RunStatus::Ok);
    const auto& rv = rot.rasters.at(0).values;
    CHECK(*std::max_element(rv.begin(), rv.end()) == 123.4);
}

TEST_CASE("Cells outside the raster and nodata cells read as the plugin's nodata", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("holes.tif");
    std::vector<double> cells(10 * 10);
    for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = static_cast<double>(i);
    cells[7 * 10 + 7] = -9999;
    write_tif(path, 10, 10, kGt, "EPSG:31370", cells, 1, -9999.0);
    // Columns 5 to 14 of the raster's grid: the last five lie beyond its right edge.
    const auto r = run({{"mode", "read"}, {"dem", path}, {"col0", 5}, {"width", 10}, {"height", 10}, {"nodata", -1}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const auto& v = r.rasters.at(0).values;
    for (int row = 0; row < 10; ++row)
        for (int col = 0; col < 10; ++col) {
            const double got = v[std::size_t(row) * 10 + col];
            if (col >= 5) CHECK(got == -1);
            else if (row == 7 && col == 2) CHECK(got == -1);  // the source's nodata cell
            else CHECK(got == cells[std::size_t(row) * 10 + col + 5]);
        }
}

TEST_CASE("A window outside the raster, a bad band or grid get a status and a message naming the source",
          "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("small.tif");
    write_tif(path, 10, 10, kGt, "EPSG:31370", std::vector<double>(200, 1.0), 2);
    const nlohmann::json base{{"mode", "read"}, {"dem", path}};

    auto r = run(merged(base, grid_params("EPSG:31370", 300000, 100000, 10, 10, 10)));
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "window 10 x 10 cells of 10 x 10 from (300000, 100000)"));
    CHECK(has(r.error, "is outside the raster"));
    CHECK(has(r.error, "parameter 'dem' = " + path));

    r = run(merged(base, {{"band", 3}}));
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "band 3 does not exist: the raster has 2 bands"));

    r = run(merged(base, grid_params("EPSG:31370", 100000, 180000, 0, 10, 10)));
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "cell size 0 x 0 is not finite and > 0"));

    r = run(merged(base, grid_params("EPSG:999999", 100000, 180000, 10, 10, 10)));
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "unknown grid CRS 'EPSG:999999'"));

    // The host refuses a grid over 100 million cells before touching the plugin's buffer.
    r = run({{"mode", "read-huge"}, {"dem", path}, {"width", 20000}, {"height", 20000}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "grid of 20000 x 20000 cells is larger than 100000000 cells"));
}

TEST_CASE("raster_open refuses a source without CRS, or that is not a raster, naming the parameter and value",
          "[plugins][raster]") {
    test::TempDir d;
    const std::string no_crs = d.file("no_crs.tif");
    write_tif(no_crs, 10, 10, kGt, "", std::vector<double>(100, 1.0));
    auto r = run({{"mode", "read"}, {"source", no_crs}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "the raster has no CRS"));
    CHECK(has(r.error, "parameter 'source' = " + no_crs));

    // The source itself as the key (no parameter of that name).
    r = run({{"mode", "read"}, {"source", no_crs}, {"literal", true}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "the raster has no CRS (add one with gdal_edit.py"));
    CHECK(has(r.error, "raster '" + no_crs + "'"));

    const std::string text = d.file("notes.tif");
    test::write_text(text, "not a raster at all\n");
    r = run({{"mode", "read"}, {"source", text}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "not a raster GDAL can open"));
    CHECK(has(r.error, "parameter 'source' = " + text));

    // A key that is neither a parameter with a value nor a source.
    r = run({{"mode", "read"}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "no value for raster parameter 'source'"));

    // A raster parameter is checked before the run already (CLI exit 3).
    CHECK_THROWS_AS(run({{"mode", "read"}, {"dem", no_crs}}), InputError);
}

TEST_CASE("Raster handles read from several threads at once give the same cells", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("plane.tif");
    write_tif(path, 300, 300, kGt, "EPSG:31370", plane_cells(300, 300));
    double cx = 101500, cy = 178500;
    REQUIRE(transformation("EPSG:31370", "EPSG:3812")->Transform(1, &cx, &cy));
    const auto r = run(merged({{"mode", "threads"}, {"dem", path}, {"resampling", "bilinear"}},
                              grid_params("EPSG:3812", cx - 500, cy + 500, 5, 200, 200)));
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(has(messages(r), "threads: 0 mismatches, 0 failures in 20 reads of 40000 cells"));
}

TEST_CASE("An isolated run reads the same cells as an in-process run", "[plugins][raster]") {
    test::TempDir d;
    const std::string path = d.file("plane.tif");
    write_tif(path, 300, 300, kGt, "EPSG:31370", plane_cells(300, 300));
    const nlohmann::json p{{"mode", "read"}, {"dem", path}, {"col0", 10}, {"row0", 20}, {"width", 30}, {"height", 40}};
    const auto a = run(p);
    const auto b = run(p, Mode::Isolated);
    INFO(b.error);
    REQUIRE(a.status == RunStatus::Ok);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(b.rasters.at(0).values == a.rasters.at(0).values);
    CHECK(a.rasters.at(0).values == read_tif(path, 1, 10, 20, 30, 40));
}

TEST_CASE("Polygonize a known pattern: one polygon per connected area, analytic areas, exact values",
          "[plugins][raster][polygonize]") {
    // 6 x 4 cells of 10 m; 9 is nodata (left out).
    const std::vector<double> cells{1, 1, 2, 2, 0, 0,  //
                                    1, 1, 2, 2, 0, 9,  //
                                    3, 3, 3, 2, 0, 9,  //
                                    3, 3, 3, 3, 0, 0};
    nlohmann::json p = merged({{"mode", "polygonize"}, {"cells", cells}, {"skip", 9}},
                              grid_params("EPSG:31370", 150000, 170000, 10, 6, 4));
    const auto r = run(p);
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    REQUIRE(r.layers.size() == 1);
    const auto& fs = r.layers[0].layer.features;
    REQUIRE(fs.size() == 4);
    std::map<std::int64_t, double> area;
    for (const auto& f : fs) {
        const auto* v = f.attributes.find("value");
        REQUIRE(v);
        REQUIRE(std::holds_alternative<std::int64_t>(*v));  // integer values stay integers
        area[std::get<std::int64_t>(*v)] = planar_area(std::get<geo::Polygon>(f.geometry), "EPSG:31370");
    }
    REQUIRE(area.size() == 4);
    CHECK(area[0] == Approx(600).epsilon(1e-6));
    CHECK(area[1] == Approx(400).epsilon(1e-6));
    CHECK(area[2] == Approx(500).epsilon(1e-6));
    CHECK(area[3] == Approx(700).epsilon(1e-6));

    // A hole: a 5 x 5 block of 0.25 around one cell of 1.5 (not integers: doubles kept).
    std::vector<double> ring(25, 0.25);
    ring[12] = 1.5;
    const auto h =
        run(merged({{"mode", "polygonize"}, {"cells", ring}}, grid_params("EPSG:3812", 650000, 670000, 20, 5, 5)));
    INFO(h.error);
    REQUIRE(h.status == RunStatus::Ok);
    const auto& hf = h.layers.at(0).layer.features;
    REQUIRE(hf.size() == 2);
    for (const auto& f : hf) {
        const auto& poly = std::get<geo::Polygon>(f.geometry);
        const double value = std::get<double>(*f.attributes.find("value"));
        if (value == 0.25) {
            CHECK(poly.inners().size() == 1);
            CHECK(planar_area(poly, "EPSG:3812") == Approx(24 * 400).epsilon(1e-6));
        } else {
            CHECK(value == 1.5);
            CHECK(poly.inners().empty());
            CHECK(planar_area(poly, "EPSG:3812") == Approx(400).epsilon(1e-6));
        }
    }
}

TEST_CASE("Polygonize joins diagonal cells when 8-connected, not when 4-connected", "[plugins][raster][polygonize]") {
    const std::vector<double> cells{1, 0,  //
                                    0, 1};
    const auto p =
        merged({{"mode", "polygonize"}, {"cells", cells}}, grid_params("EPSG:31370", 150000, 170000, 100, 2, 2));
    const auto four = run(p);
    const auto eight = run(merged(p, {{"eight", true}}));
    INFO(four.error << eight.error);
    REQUIRE(four.status == RunStatus::Ok);
    REQUIRE(eight.status == RunStatus::Ok);
    CHECK(four.layers.at(0).layer.features.size() == 4);
    REQUIRE(eight.layers.at(0).layer.features.size() == 2);
    for (const auto& f : eight.layers[0].layer.features)
        CHECK(planar_area(std::get<geo::Polygon>(f.geometry), "EPSG:31370") == Approx(2 * 100 * 100).epsilon(1e-6));

    // Sizes are checked: a grid of the wrong cell count, and no cell size.
    auto bad = run(merged(p, {{"width", 3}}));
    CHECK(bad.status == RunStatus::Error);
    CHECK(has(bad.error, "polygonize: 4 values for a grid of 6 cells"));
    bad = run(merged(p, {{"cell_x", -1}}));
    CHECK(bad.status == RunStatus::Rejected);
    CHECK(has(bad.error, "is not finite and > 0"));
}

TEST_CASE("Typed raster results keep types, bands, roles and names through the plugin, JSON and GeoTIFF",
          "[plugins][raster][results]") {
    const auto r = run({{"mode", "typed"}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    REQUIRE(r.rasters.size() == 6);
    const auto& mask = r.rasters[0];
    CHECK(mask.name == "mask");
    CHECK(mask.type == plugin::PixelType::UInt64);
    CHECK(mask.role == plugin::RasterRole::Bitmask);
    CHECK(mask.item_names == std::vector<std::string>{"sys-0", "sys-1", "sys-2"});
    CHECK_FALSE(mask.has_nodata);
    for (std::size_t i = 0; i < 6; ++i)
        CHECK(mask.bits(0, i) == ((std::uint64_t{1} << 63) | (std::uint64_t{1} << (i * 7)) | i));
    const auto& heights = r.rasters[1];
    CHECK(heights.type == plugin::PixelType::Float32);
    CHECK(heights.bands == 3);
    CHECK(heights.role == plugin::RasterRole::BandsPerHeight);
    CHECK(heights.band_heights_m == std::vector<double>{2, 10, 25});
    CHECK(heights.band_names == std::vector<std::string>{"2 m", "10 m", "25 m"});
    CHECK(heights.value(1, 4) == 104.25);
    CHECK(heights.unit == "m");
    CHECK(r.rasters[2].role == plugin::RasterRole::Categories);
    CHECK(r.rasters[2].item_names == std::vector<std::string>{"none", "low", "high"});
    CHECK(r.rasters[3].value(0, 5) == 65535);
    CHECK(r.rasters[4].value(0, 2) == 4e9);
    CHECK(r.rasters[5].values.size() == 12);
    CHECK(std::isnan(r.rasters[5].values[5]));
    CHECK(r.rasters[5].band_values(1) == std::vector<double>{1, 2, 3, 4, 5, 6});

    // JSON (isolated runs, scenarios) keeps everything, the 64-bit mask included.
    const auto back = plugin::run_result_from_json(nlohmann::json::parse(plugin::to_json(r).dump()));
    CHECK(plugin::to_json(back)["rasters"] == plugin::to_json(r)["rasters"]);
    CHECK(back.rasters[0].bits(0, 5) == mask.bits(0, 5));
    CHECK(back.rasters[0].data == mask.data);
    CHECK(std::isnan(back.rasters[5].values[5]));
    const auto iso = run({{"mode", "typed"}}, Mode::Isolated);
    INFO(iso.error);
    REQUIRE(iso.status == RunStatus::Ok);
    CHECK(plugin::to_json(iso)["rasters"] == plugin::to_json(r)["rasters"]);

    // GeoTIFF: pixel types, bands, descriptions and metadata a GIS shows.
    test::TempDir d;
    const auto written = plugin::write_results(r, d.file("out.geojson"));
    CHECK(written.size() == 6);
    std::size_t files = 0;
    for (const auto& e : std::filesystem::directory_iterator(d.path())) {
        ++files;
        INFO(e.path());
        CHECK(e.path().extension() == ".tif");  // no .aux.xml, no temporary file left
    }
    CHECK(files == 6);
    auto open = [&](const std::string& name) {
        GDALDatasetUniquePtr ds(GDALDataset::Open(d.file("out." + name + ".tif").c_str(), GDAL_OF_RASTER));
        REQUIRE(ds);
        return ds;
    };
    auto m = open("mask");
    CHECK(m->GetRasterBand(1)->GetRasterDataType() == GDT_UInt64);
    CHECK(std::string(m->GetMetadataItem("ROLE")) == "bitmask");
    CHECK(std::string(m->GetMetadataItem("BIT_2")) == "sys-2");
    std::uint64_t cells[6];
    REQUIRE(m->GetRasterBand(1)->RasterIO(GF_Read, 0, 0, 3, 2, cells, 3, 2, GDT_UInt64, 0, 0) == CE_None);
    for (std::size_t i = 0; i < 6; ++i) CHECK(cells[i] == mask.bits(0, i));
    int has_nd = 1;
    m->GetRasterBand(1)->GetNoDataValueAsUInt64(&has_nd);
    CHECK_FALSE(has_nd);

    auto h = open("heights");
    CHECK(h->GetRasterCount() == 3);
    CHECK(h->GetRasterBand(1)->GetRasterDataType() == GDT_Float32);
    CHECK(std::string(h->GetMetadataItem("ROLE")) == "bands-per-height");
    CHECK(std::string(h->GetRasterBand(2)->GetDescription()) == "10 m");
    CHECK(std::string(h->GetRasterBand(3)->GetMetadataItem("HEIGHT_M")) == "25");
    CHECK(std::string(h->GetRasterBand(1)->GetUnitType()) == "m");
    CHECK(h->GetRasterBand(1)->GetNoDataValue() == -1);
    CHECK(read_tif(d.file("out.heights.tif"), 3, 0, 0, 3, 2) == heights.band_values(2));

    auto c = open("classes");
    CHECK(c->GetRasterBand(1)->GetRasterDataType() == GDT_Byte);
    CHECK(std::string(c->GetMetadataItem("CLASS_1")) == "low");
    CHECK(c->GetRasterBand(1)->GetNoDataValue() == 255);
    auto u16 = open("counts16");
    CHECK(u16->GetRasterBand(2)->GetRasterDataType() == GDT_UInt16);
    CHECK(std::string(u16->GetRasterBand(2)->GetDescription()) == "night");
    CHECK(u16->GetMetadataItem("ROLE") == nullptr);  // plain
    CHECK(open("counts32")->GetRasterBand(1)->GetRasterDataType() == GDT_UInt32);
    auto f = open("f64");
    CHECK(f->GetRasterBand(1)->GetRasterDataType() == GDT_Float64);
    CHECK(f->GetRasterCount() == 2);
    CHECK(f->GetSpatialRef()->GetEPSGGeogCS() == 4313);  // BD72
}

TEST_CASE("Result JSON without the 1.1 keys still reads: one Float64 band, the chart hint as a chart",
          "[plugins][raster][results]") {
    const auto j = nlohmann::json::parse(R"({
      "status": "ok", "error": "", "seconds": 0.1, "isolated": true,
      "layers": [{"name": "l", "style": {"color": "#112233", "width_px": 2, "label_field": ""}, "features": []}],
      "rasters": [{"name": "cov", "width": 2, "height": 1, "gt": [0, 1, 0, 1, 0, -1], "crs": "EPSG:4326",
                   "values": [1.5, null], "nodata": -9999, "unit": "count"}],
      "tables": [{"name": "t", "chart": "line", "columns": [
          {"name": "km", "unit": "km", "numeric": true, "values": [0, 1]},
          {"name": "h", "unit": "h", "numeric": true, "values": [0, 0.5]},
          {"name": "note", "unit": "", "numeric": false, "values": ["a", "b"]}]}],
      "messages": []})");
    const auto r = plugin::run_result_from_json(j);
    REQUIRE(r.rasters.size() == 1);
    const auto& ra = r.rasters[0];
    CHECK(ra.type == plugin::PixelType::Float64);
    CHECK(ra.bands == 1);
    CHECK(ra.has_nodata);
    CHECK(ra.role == plugin::RasterRole::Plain);
    CHECK(ra.values[0] == 1.5);
    CHECK(std::isnan(ra.values[1]));
    CHECK(ra.problem().empty());
    CHECK(r.layers.at(0).role.empty());
    const auto& t = r.tables.at(0);
    CHECK(t.chart_hint == "line");
    CHECK_FALSE(t.chart);
    const auto c = t.chart_spec();
    REQUIRE(c);
    CHECK(c->kind == "line");
    CHECK(c->x == "km");  // the first numeric column, as the 1.0 GUI drew it
    CHECK(c->y == std::vector<std::string>{"h"});

    // Cells that do not fit the size are refused, not trusted.
    auto bad = j;
    bad["rasters"][0]["width"] = 3;
    CHECK_THROWS_AS(plugin::run_result_from_json(bad), PluginError);
    bad = j;
    bad["rasters"][0]["type"] = "UInt16";
    bad["rasters"][0]["data"] = "AAAA";  // 3 bytes: not 2 UInt16 cells
    CHECK_THROWS_AS(plugin::run_result_from_json(bad), PluginError);
}

TEST_CASE("A chart spec is checked against the table's columns, and a bad one fails the run with its message",
          "[plugins][raster][results]") {
    auto r = run({{"mode", "chart"}, {"kind", "line"}, {"x", "hour"}, {"y", nlohmann::json::array({"load"})}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const auto& t = r.tables.at(0);
    REQUIRE(t.chart);
    CHECK(t.chart->kind == "line");
    CHECK(t.chart->x == "hour");
    CHECK(t.chart->y == std::vector<std::string>{"load"});
    CHECK(t.chart->title == "test chart");
    CHECK(t.chart_hint == "line");  // a 1.0 reader still draws it
    const auto back = plugin::run_result_from_json(plugin::to_json(r));
    REQUIRE(back.tables.at(0).chart);
    CHECK(back.tables[0].chart->y == std::vector<std::string>{"load"});

    r = run({{"mode", "chart"}, {"kind", "gantt"}, {"start", "from"}, {"end", "until"}});
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(r.tables.at(0).chart->kind == "gantt");
    CHECK(r.tables.at(0).chart_hint.empty());
    r = run({{"mode", "chart"}, {"kind", "heatmap"}, {"row", "name"}, {"column", "hour"}, {"value", "load"}});
    REQUIRE(r.status == RunStatus::Ok);

    r = run({{"mode", "chart"}, {"kind", "line"}, {"x", "hour"}, {"y", nlohmann::json::array({"name"})}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "returned invalid results: malformed chart of table 't': y column 'name' is not numeric"));
    r = run({{"mode", "chart"}, {"kind", "bar"}, {"x", "day"}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "x column 'day' is not in the table (columns: hour, load, name, from, until)"));
    r = run({{"mode", "chart"}, {"kind", "gantt"}, {"start", "name"}, {"end", "until"}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "start column 'name' row 1: 'a' is neither seconds nor an ISO 8601 time"));
    r = run({{"mode", "chart"}, {"kind", "heatmap"}, {"row", "name"}, {"column", "hour"}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "a heatmap chart needs a value column"));
    r = run({{"mode", "chart"}, {"kind", "pie"}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "unknown chart kind 'pie' (known: line, bar, gantt, heatmap)"));
}

TEST_CASE("A movements layer role names its time fields, and features without times fail the run",
          "[plugins][raster][results]") {
    auto r = run({{"mode", "role"}, {"start", "depart"}, {"end", "arrive"}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const auto& l = r.layers.at(0);
    CHECK(l.role == "movements");
    CHECK(l.start_field == "depart");
    CHECK(l.end_field == "arrive");
    const auto back = plugin::run_result_from_json(plugin::to_json(r));
    CHECK(back.layers.at(0).role == "movements");
    CHECK(back.layers.at(0).end_field == "arrive");

    r = run({{"mode", "role"}, {"start", "depart"}, {"end", "eta"}});
    CHECK(r.status == RunStatus::Error);
    CHECK(has(r.error, "result layer 'moves': feature 'm1' has no time in field 'eta'"));
}

TEST_CASE("layer_load reads a vector file as extra layers of the run, and a bad file names the parameter",
          "[plugins][raster][layers]") {
    test::TempDir d;
    const std::string path = d.file("depots.geojson");
    test::write_text(path, R"({"type": "FeatureCollection", "name": "depots", "features": [
      {"type": "Feature", "id": "d1", "properties": {"name": "north"}, "geometry": {"type": "Point", "coordinates": [4.4, 51.2]}},
      {"type": "Feature", "id": "d2", "properties": {"name": "south"}, "geometry": {"type": "Point", "coordinates": [4.5, 50.5]}}]})");
    auto r = run({{"mode", "layer"}, {"vector", path}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const std::size_t first = ws().layers.size();
    CHECK(has(messages(r), "layer " + std::to_string(first) + " depots 2 features, found by name"));
    const auto& copy = r.layers.at(0).layer.features;
    REQUIRE(copy.size() == 2);
    CHECK(copy[1].attributes.text("name") == "south");
    CHECK(geo::lat(std::get<geo::LonLat>(copy[1].geometry)) == 50.5);

    const std::string text = d.file("notes.geojson");
    test::write_text(text, "no features here\n");
    r = run({{"mode", "layer"}, {"vector", text}});
    CHECK(r.status == RunStatus::Rejected);
    CHECK(has(r.error, "parameter 'vector' = " + text + ": cannot open as a vector data source"));
}

TEST_CASE("Ghent DTM: a window read on its own grid equals the file's cells", "[plugins][raster][data]") {
    const std::string dem = test::shared_data("dem_ghent_dhmv2_dtm25m_epsg31370.tif");
    const auto i = run({{"mode", "info"}, {"dem", dem}});
    INFO(i.error);
    REQUIRE(i.status == RunStatus::Ok);
    CHECK(info_value(i, "width") == "1520");
    CHECK(info_value(i, "height") == "1480");
    CHECK(info_value(i, "nodata") == "-9999");
    CHECK(info_value(i, "crs_name") == "BD72 / Belgian Lambert 72");
    const auto r = run({{"mode", "read"},
                        {"dem", dem},
                        {"col0", 600},
                        {"row0", 500},
                        {"width", 300},
                        {"height", 200},
                        {"nodata", -9999}});
    INFO(r.error);
    REQUIRE(r.status == RunStatus::Ok);
    const auto& v = r.rasters.at(0).values;
    CHECK(v == read_tif(dem, 1, 600, 500, 300, 200));
    CHECK(*std::max_element(v.begin(), v.end()) > *std::min_element(v.begin(), v.end()));  // real terrain
    // Named as EPSG:31370 instead of the file's own WKT: the same cells.
    const auto e = run(merged({{"mode", "read"}, {"dem", dem}, {"nodata", -9999}},
                              grid_params("EPSG:31370", 87000 + 600 * 25, 220000 - 500 * 25, 25, 300, 200)));
    REQUIRE(e.status == RunStatus::Ok);
    CHECK(e.rasters.at(0).values == v);
}
