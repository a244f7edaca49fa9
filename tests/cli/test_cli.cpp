// SPDX-License-Identifier: MIT
// The enablement CLI run as a user runs it: exit codes, stdout, stderr and files.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "mp/io/ogr_io.hpp"
#include "test_support.hpp"

namespace {
struct Run {
    int code = -1;
    std::string out;
    std::string err;
};

Run run(const std::string& args) {
    mp::test::TempDir dir;
    const std::string err_path = dir.file("stderr");
    const std::string cmd = std::string(MP_CLI_PATH) + " " + args + " 2>" + err_path + " </dev/null";
    Run r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[65536];
    std::size_t n = 0;
    while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = mp::test::read_text(err_path);
    return r;
}
}  // namespace

TEST_CASE("cli: layers lists the default layers as table and JSON", "[cli]") {
    auto t = run("layers");
    REQUIRE(t.code == 0);
    for (const char* name : {"belgium", "sites", "roads", "rail"}) CHECK(t.out.find(name) != std::string::npos);
    auto j = run("layers --format json");
    REQUIRE(j.code == 0);
    const auto arr = nlohmann::json::parse(j.out);
    REQUIRE(arr.size() == 4);
    CHECK(arr[0]["crs"] == "EPSG:4326");
    CHECK(arr[0]["extent"].size() == 4);
}

TEST_CASE("cli: sites --format geojson writes an RFC 7946 FeatureCollection", "[cli]") {
    auto r = run("sites --kind airbase --format geojson");
    REQUIRE(r.code == 0);
    const auto j = nlohmann::json::parse(r.out);
    CHECK(j["type"] == "FeatureCollection");
    CHECK_FALSE(j.contains("crs"));
    REQUIRE(j["features"].size() >= 7);
    for (const auto& f : j["features"]) CHECK(f["properties"]["kind"] == "airbase");
    auto csv = run("sites --format csv");
    REQUIRE(csv.code == 0);
    CHECK(csv.out.rfind("id,kind,name_en,name_nl,name_fr,lon,lat,source\n", 0) == 0);
}

TEST_CASE("cli: info shows a site found by its French name", "[cli]") {
    auto r = run("info \"Bourg-Leopold\"");
    // Bourg-Léopold names both the training area and the rail terminal: ambiguity is
    // reported as bad input with the candidates listed.
    if (r.code == 3) {
        CHECK(r.err.find("ambiguous") != std::string::npos);
        CHECK(r.err.find("leopoldsburg") != std::string::npos);
    } else {
        REQUIRE(r.code == 0);
        CHECK(r.out.find("leopoldsburg") != std::string::npos);
    }
    auto z = run("info port-zeebrugge");
    REQUIRE(z.code == 0);
    CHECK(z.out.find("MGRS") != std::string::npos);
    CHECK(z.out.find("31U") != std::string::npos);  // Zeebrugge is in UTM zone 31U
    CHECK(z.out.find("Lambert 72") != std::string::npos);
}

TEST_CASE("cli: export writes GeoJSON, GeoPackage and CSV that GDAL reads back", "[cli]") {
    mp::test::TempDir dir;
    auto r = run("export roads --out " + dir.file("roads.geojson"));
    REQUIRE(r.code == 0);
    const auto layers = mp::io::read_source(dir.file("roads.geojson"));
    REQUIRE(layers.size() == 1);
    CHECK(layers[0].features.size() > 100);
    REQUIRE(run("export sites --out " + dir.file("sites.gpkg")).code == 0);
    CHECK(mp::io::read_source(dir.file("sites.gpkg")).at(0).features.size() > 20);
    REQUIRE(run("export rail --format csv --out " + dir.file("rail.csv")).code == 0);
    CHECK(mp::test::read_text(dir.file("rail.csv")).find("LINESTRING") != std::string::npos);
}

TEST_CASE("cli: errors say what and where, with documented exit codes", "[cli][errors]") {
    SECTION("unknown site: exit 3 with suggestions") {
        auto r = run("info zeebruge");
        CHECK(r.code == 3);
        CHECK(r.err.find("error: unknown site 'zeebruge'") != std::string::npos);
        CHECK(r.err.find("port-zeebrugge") != std::string::npos);
    }
    SECTION("missing data file: exit 3 naming it") {
        auto r = run("layers --data /nonexistent/roads.gpkg");
        CHECK(r.code == 3);
        CHECK(r.err.find("/nonexistent/roads.gpkg") != std::string::npos);
    }
    SECTION("bad usage: exit 2") {
        CHECK(run("sites --format xml").code == 2);
        CHECK(run("frobnicate").code == 2);
        CHECK(run("sites --kind castle").code == 2);
    }
    SECTION("unknown layer: exit 3 listing the layers") {
        mp::test::TempDir dir;
        auto r = run("export nope --out " + dir.file("x.geojson"));
        CHECK(r.code == 3);
        CHECK(r.err.find("roads") != std::string::npos);
    }
    SECTION("a failed export leaves the old file and no temporary") {
        mp::test::TempDir dir;
        mp::test::write_text(dir.file("keep.geojson"), "old");
        auto r = run("export roads --out " + dir.file("keep.xyz"));
        CHECK(r.code == 2);
        CHECK(mp::test::read_text(dir.file("keep.geojson")) == "old");
    }
    SECTION("no default data and an extra source") {
        mp::test::TempDir dir;
        mp::test::write_text(dir.file("one.geojson"),
                             R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"p1","kind":"port","name_en":"Test port"},"geometry":{"type":"Point","coordinates":[4.0,51.0]}}]})");
        auto r = run("sites --no-default-data --data " + dir.file("one.geojson"));
        CHECK(r.code == 0);
        CHECK(r.out.find("p1") != std::string::npos);
        CHECK(r.out.find("1 sites") != std::string::npos);
    }
}

TEST_CASE("cli: summary prints layers, sites by kind and networks (smoke)", "[cli][smoke]") {
    auto r = run("summary");
    REQUIRE(r.code == 0);
    CHECK(r.out.find("Sites by kind") != std::string::npos);
    CHECK(r.out.find("roads:") != std::string::npos);
}

TEST_CASE("cli: plugins lists loaded and refused plugins with reasons", "[cli][plugins]") {
    const std::string bad = std::string(MP_TEST_PLUGIN_DIR) + "/bad";
    auto r = run("plugins --plugin-dir " + bad);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("built for ABI 2.0; host supports 1.0") != std::string::npos);
    CHECK(r.out.find("duplicate plugin id 'throws'") != std::string::npos);
    CHECK(r.out.find("no entry point") != std::string::npos);
    auto j = run("plugins --format json --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/good");
    REQUIRE(j.code == 0);
    const auto arr = nlohmann::json::parse(j.out);
    bool found = false;
    for (const auto& p : arr)
        if (p["id"] == "echo") {
            found = true;
            CHECK(p["status"] == "loaded");
            CHECK(p["params"][0]["unit"] == "km/h");
        }
    CHECK(found);
}

TEST_CASE("cli: run validates, runs and writes results atomically", "[cli][plugins]") {
    const std::string good = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/good";
    const std::string bad = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/bad";
    mp::test::TempDir dir;
    auto r = run("run echo" + good + " -p site=port-antwerp -p count=3 --out " + dir.file("echo.geojson"));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("(isolated)") != std::string::npos);  // not built-in: isolated by default
    const auto fc = nlohmann::json::parse(mp::test::read_text(dir.file("echo.geojson")));
    CHECK(fc["features"].size() == 2);
    CHECK(fc["features"][0]["properties"]["layer"] == "echo");
    CHECK(mp::test::read_text(dir.file("echo.series.csv")).rfind("hour [h],distance [km]", 0) == 0);
    CHECK(std::filesystem::exists(dir.file("echo.grid.tif")));

    auto p = run("run echo" + good + " -p site=port-antwerp -p speed=500");
    CHECK(p.code == 2);
    CHECK(p.err.find("parameter 'speed'") != std::string::npos);
    CHECK(run("run echo" + good + " -p nonsense").code == 2);
    CHECK(run("run no-such-plugin").code == 4);

    auto crash = run("run segfault" + bad + " --out " + dir.file("crash.geojson"));
    CHECK(crash.code == 4);
    CHECK(crash.err.find("crashed: SIGSEGV") != std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("crash.geojson")));
    auto hang = run("run hang" + bad + " --timeout 1");
    CHECK(hang.code == 4);
    CHECK(hang.err.find("timed out") != std::string::npos);
    auto thrown = run("run throws" + bad + " --in-process");
    CHECK(thrown.code == 4);
    CHECK(thrown.err.find("deliberate failure") != std::string::npos);
}
