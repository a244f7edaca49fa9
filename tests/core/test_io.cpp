// SPDX-License-Identifier: MIT
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <catch2/catch.hpp>
#include <cmath>
#include <nlohmann/json.hpp>
#include <regex>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "test_support.hpp"

using namespace mp;
using mp::test::TempDir;

namespace {

layer::Layer sample_layer() {
    layer::Layer l;
    l.name = "sample";
    l.source_crs = "EPSG:4326";
    layer::Feature pt;
    pt.id = "leopoldsburg";
    pt.geometry = geo::LonLat(5.258912345678, 51.118523456789);  // 12 decimals in, 7 out
    pt.attributes.set("name", std::string("Leopoldsburg / Bourg-Léopold"));
    pt.attributes.set("ramps", std::int64_t{4});
    pt.attributes.set("train_length_m", 740.5);
    pt.attributes.set("electrified", true);
    l.features.push_back(pt);
    layer::Feature line;
    line.id = "e313";
    line.geometry = geo::LineString{{4.45, 51.2}, {4.8, 51.15}, {5.2, 51.05}};
    line.attributes.set("name", std::string("E313"));
    line.attributes.set("ramps", std::int64_t{0});
    line.attributes.set("train_length_m", std::monostate{});
    line.attributes.set("electrified", false);
    l.features.push_back(line);
    layer::Feature area;
    area.id = "camp";
    // Clockwise exterior on purpose: RFC 7946 output must turn it counter-clockwise.
    geo::Polygon poly;
    for (auto [x, y] : {std::pair{5.20, 51.10}, {5.20, 51.16}, {5.32, 51.16}, {5.32, 51.10}, {5.20, 51.10}})
        geo::bg::append(poly.outer(), geo::LonLat(x, y));
    area.geometry = poly;
    area.attributes.set("name", std::string("Camp Beverlo"));
    l.features.push_back(area);
    l.infer_fields();
    return l;
}

double ring_signed_area(const nlohmann::json& ring) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < ring.size(); ++i)
        s += ring[i][0].get<double>() * ring[i + 1][1].get<double>() -
             ring[i + 1][0].get<double>() * ring[i][1].get<double>();
    return s / 2;
}

}  // namespace

TEST_CASE("GeoJSON round trip: write, read back with GDAL, compare", "[io][geojson]") {
    TempDir dir;
    const auto path = dir.file("sample.geojson");
    const auto in = sample_layer();
    io::write_layer(in, path, io::Format::GeoJson);
    const auto layers = io::read_source(path);
    REQUIRE(layers.size() == 1);
    const auto& out = layers.front();
    REQUIRE(out.features.size() == 3);
    CHECK(out.source_crs == "EPSG:4326");
    const auto* pt = out.find("leopoldsburg");
    REQUIRE(pt);
    const auto& p = std::get<geo::LonLat>(pt->geometry);
    CHECK(geo::lon(p) == Approx(5.2589123).margin(1e-9));
    CHECK(geo::lat(p) == Approx(51.1185235).margin(1e-9));
    CHECK(pt->attributes.text("name") == "Leopoldsburg / Bourg-Léopold");
    CHECK(pt->attributes.number("ramps") == 4);
    CHECK(pt->attributes.number("train_length_m") == 740.5);
    CHECK(pt->attributes.boolean("electrified") == true);
    const auto* line = out.find("e313");
    REQUIRE(line);
    CHECK(std::get<geo::LineString>(line->geometry).size() == 3);
    CHECK(line->attributes.boolean("electrified") == false);
    CHECK(std::holds_alternative<std::monostate>(*line->attributes.find("train_length_m")));
    const auto* area = out.find("camp");
    REQUIRE(area);
    CHECK(std::get<geo::Polygon>(area->geometry).outer().size() == 5);
}

TEST_CASE("GeoJSON output follows RFC 7946", "[io][geojson]") {
    TempDir dir;
    const auto path = dir.file("rfc.geojson");
    io::write_layer(sample_layer(), path, io::Format::GeoJson);
    const std::string text = test::read_text(path);
    const auto j = nlohmann::json::parse(text);
    CHECK(j["type"] == "FeatureCollection");
    CHECK_FALSE(j.contains("crs"));  // RFC 7946 section 4: no crs member
    // At most 7 decimals in any coordinate.
    CHECK_FALSE(std::regex_search(text, std::regex(R"(\d\.\d{8,})")));
    bool saw_polygon = false;
    for (const auto& f : j["features"]) {
        CHECK(f["type"] == "Feature");
        CHECK(f["properties"]["id"].is_string());
        if (f["geometry"]["type"] == "Polygon") {
            saw_polygon = true;
            const auto& ring = f["geometry"]["coordinates"][0];
            CHECK(ring.front() == ring.back());
            CHECK(ring_signed_area(ring) > 0);  // exterior counter-clockwise (right-hand rule)
        }
    }
    CHECK(saw_polygon);
    CHECK(io::to_geojson(sample_layer()) == text);
}

TEST_CASE("GeoPackage and CSV output read back", "[io]") {
    TempDir dir;
    const auto in = sample_layer();
    io::write_layer(in, dir.file("s.gpkg"), io::format_from_path("s.gpkg"));
    auto gp = io::read_source(dir.file("s.gpkg"));
    REQUIRE(gp.size() == 1);
    CHECK(gp.front().features.size() == 3);
    CHECK(gp.front().find("camp"));
    io::write_layer(in, dir.file("s.csv"), io::Format::Csv);
    const auto csv = test::read_text(dir.file("s.csv"));
    CHECK(csv.find("WKT") != std::string::npos);
    CHECK(csv.find("LINESTRING (4.45 51.2,4.8 51.15,5.2 51.05)") != std::string::npos);
    CHECK_THROWS_AS(io::format_from_path("out.xyz"), UsageError);
}

TEST_CASE("FlatGeobuf and KML sources read through GDAL", "[io]") {
    TempDir dir;
    io::write_layer(sample_layer(), dir.file("s.geojson"), io::Format::GeoJson);
    GDALAllRegister();
    GDALDatasetUniquePtr src(GDALDataset::Open(dir.file("s.geojson").c_str(), GDAL_OF_VECTOR));
    REQUIRE(src);
    for (const char* fmt : {"FlatGeobuf", "KML"}) {
        INFO(fmt);
        const std::string out = dir.file(std::string("s.") + (std::string(fmt) == "KML" ? "kml" : "fgb"));
        const char* argv[] = {"-f", fmt, nullptr};
        GDALVectorTranslateOptions* o = GDALVectorTranslateOptionsNew(const_cast<char**>(argv), nullptr);
        GDALDatasetH h = src.get();
        GDALDatasetH dst = GDALVectorTranslate(out.c_str(), nullptr, 1, &h, o, nullptr);
        GDALVectorTranslateOptionsFree(o);
        REQUIRE(dst);
        GDALClose(dst);
        const auto layers = io::read_source(out);
        REQUIRE_FALSE(layers.empty());
        std::size_t n = 0;
        for (const auto& l : layers) n += l.features.size();
        CHECK(n == 3);
        geo::Box b;
        REQUIRE(layers.front().extent(b));
        CHECK(geo::lon(b.min_corner()) == Approx(4.45).margin(1e-6));
    }
}

TEST_CASE("A connection string that cannot connect is a clear input error", "[io][errors]") {
    try {
        io::read_source("PG:dbname=enablement_no_such_db host=127.0.0.1 port=1 connect_timeout=1");
        FAIL("no error");
    } catch (const InputError& e) {
        CHECK(std::string(e.what()).find("does not exist") == std::string::npos);  // not treated as a file
        CHECK(e.where().find("PG:dbname=enablement_no_such_db") != std::string::npos);
    }
}

TEST_CASE("A failed write leaves the existing file untouched", "[io][atomic]") {
    TempDir dir;
    const auto path = dir.file("keep.geojson");
    test::write_text(path, "previous content");
    auto bad = sample_layer();
    std::get<geo::LonLat>(bad.features[0].geometry) = geo::LonLat(NAN, 51.0);
    CHECK_THROWS_AS(io::write_layer(bad, path, io::Format::GeoJson), InputError);
    CHECK(test::read_text(path) == "previous content");
    // And no temporary file is left behind.
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir.path())) ++n;
    CHECK(n == 1);
}

TEST_CASE("Reading honours the source CRS (Lambert 72 GeoPackage)", "[io][crs]") {
    TempDir dir;
    const auto path = dir.file("l72.gpkg");
    {
        GDALAllRegister();
        auto* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
        GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
        OGRSpatialReference srs;
        srs.importFromEPSG(31370);
        OGRLayer* l = ds->CreateLayer("points", &srs, wkbPoint, nullptr);
        OGRFeatureUniquePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
        OGRPoint p(212325.1405, 201310.2219);  // Leopoldsburg in Lambert 72 (see test_crs)
        f->SetGeometry(&p);
        REQUIRE(l->CreateFeature(f.get()) == OGRERR_NONE);
    }
    const auto layers = io::read_source(path);
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].source_crs == "EPSG:31370");
    const auto& p = std::get<geo::LonLat>(layers[0].features.at(0).geometry);
    CHECK(geo::lon(p) == Approx(5.2589).margin(1e-7));
    CHECK(geo::lat(p) == Approx(51.1185).margin(1e-7));
}

TEST_CASE("Bad input gives a clear error naming the source", "[io][errors]") {
    TempDir dir;
    SECTION("a file that does not exist") {
        try {
            io::read_source(dir.file("missing.geojson"));
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("does not exist") != std::string::npos);
            CHECK(e.where().find("missing.geojson") != std::string::npos);
        }
    }
    SECTION("a truncated GeoJSON") {
        const auto path = dir.file("truncated.geojson");
        test::write_text(
            path,
            R"({"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[4.3,)");
        try {
            io::read_source(path);
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(e.where().find("truncated.geojson") != std::string::npos);
        }
    }
    SECTION("a layer without CRS") {
        const auto path = dir.file("nocrs.shp");
        {
            GDALAllRegister();
            auto* drv = GetGDALDriverManager()->GetDriverByName("ESRI Shapefile");
            GDALDatasetUniquePtr ds(drv->Create(path.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
            OGRLayer* l = ds->CreateLayer("nocrs", nullptr, wkbPoint, nullptr);
            OGRFeatureUniquePtr f(OGRFeature::CreateFeature(l->GetLayerDefn()));
            OGRPoint p(150000, 170000);
            f->SetGeometry(&p);
            REQUIRE(l->CreateFeature(f.get()) == OGRERR_NONE);
        }
        try {
            io::read_source(path);
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(std::string(e.what()).find("no CRS") != std::string::npos);
            CHECK(e.where().find("nocrs") != std::string::npos);
        }
        // With an explicit CRS it reads, in the right place (Brussels area).
        io::ReadOptions opts;
        opts.assume_crs = "EPSG:31370";
        const auto layers = io::read_source(path, opts);
        const auto& p = std::get<geo::LonLat>(layers.at(0).features.at(0).geometry);
        CHECK(geo::lon(p) == Approx(4.37).margin(0.02));
        CHECK(geo::lat(p) == Approx(50.84).margin(0.02));
    }
    SECTION("NaN coordinates") {
        const auto path = dir.file("nan.geojson");
        test::write_text(
            path,
            R"({"type":"FeatureCollection","features":[)"
            R"({"type":"Feature","properties":{"id":"ok"},"geometry":{"type":"Point","coordinates":[4.3,50.8]}},)"
            R"({"type":"Feature","properties":{"id":"bad"},"geometry":{"type":"Point","coordinates":[NaN,50.8]}}]})");
        try {
            io::read_source(path);
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(e.where().find("nan.geojson") != std::string::npos);
        }
    }
    SECTION("out-of-range coordinates name the feature") {
        const auto path = dir.file("range.geojson");
        test::write_text(
            path,
            R"({"type":"FeatureCollection","features":[)"
            R"({"type":"Feature","properties":{"id":"swapped"},"geometry":{"type":"Point","coordinates":[50.8,400]}}]})");
        try {
            io::read_source(path);
            FAIL("no error");
        } catch (const InputError& e) {
            CHECK(e.where().find("feature swapped") != std::string::npos);
        }
    }
    SECTION("a file that is not geodata") {
        const auto path = dir.file("notes.txt");
        test::write_text(path, "this is not a map\n");
        CHECK_THROWS_AS(io::read_source(path), InputError);
    }
}

TEST_CASE("OSM XML and PBF extracts load through GDAL", "[io][data]") {
    const auto pbf = io::read_source(test::shared_data("antwerp_2014.osm.pbf"));
    std::size_t highway_lines = 0;
    for (const auto& l : pbf)
        if (l.name == "lines")
            for (const auto& f : l.features) highway_lines += !f.attributes.text("highway").empty();
    // The data README counts 11,123 highway lines with GDAL's OSM driver.
    CHECK(highway_lines == 11'123);
    const auto xml = io::read_source(test::shared_data("wechelderzande_kempen.osm"));
    CHECK_FALSE(xml.empty());
}
