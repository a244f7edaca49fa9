// SPDX-License-Identifier: MIT
// The enablement CLI run as a user runs it: exit codes, stdout, stderr and files.
#include <sys/wait.h>

#include <sys/stat.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "mp/io/ogr_io.hpp"
#include "cli_support.hpp"
#include "test_support.hpp"

namespace {
using Run = mp::test::CliRun;

Run run(const std::string& args, const std::string& env = "") { return mp::test::run_enablement(args, env); }

std::size_t count_of(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) ++n;
    return n;
}

std::size_t lines_of(const std::string& text) { return count_of(text, "\n"); }

const std::string kGood = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/good";
const std::string kBad = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/bad";
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
        mp::test::write_text(
            dir.file("one.geojson"),
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
    CHECK(r.out.find("built for ABI 2.0; host supports 1.1") != std::string::npos);
    CHECK(r.out.find("duplicate plugin id 'throws'") != std::string::npos);
    CHECK(r.out.find("no entry point") != std::string::npos);
    // A text file named like a library is refused as such, and the others still load.
    bool text_refused = false;
    std::istringstream lines(r.out);
    for (std::string line; std::getline(lines, line);) {
        if (line.find("not_a_library.so") != std::string::npos) {
            text_refused = line.find("refused: not a loadable shared library") != std::string::npos;
            INFO(line);
            CHECK(count_of(line, "not_a_library.so") == 2);  // once in dlerror's text, once as FILE
        }
        // The refusal reason leaves the path to the FILE column: it appears once per row.
        if (line.find("future_abi.so") != std::string::npos) {
            INFO(line);
            CHECK(count_of(line, "future_abi.so") == 1);
            CHECK(line.find("refused: built for ABI 2.0; host supports 1.1") != std::string::npos);
        }
    }
    CHECK(text_refused);
    CHECK(r.out.find("echo") == std::string::npos);  // only the bad folder was added
    CHECK(r.out.find(" loaded, ") != std::string::npos);
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

TEST_CASE("cli: run without --out (or with --out -) writes the result layers as GeoJSON to stdout", "[cli][plugins]") {
    for (const char* out : {"", " --out -"}) {
        INFO("out option: '" << out << "'");
        auto r = run("run echo" + kGood + " -p site=port-antwerp -p count=3" + out);
        INFO(r.err);
        REQUIRE(r.code == 0);
        const auto fc = nlohmann::json::parse(r.out);  // stdout holds nothing but the GeoJSON
        CHECK(fc["type"] == "FeatureCollection");
        CHECK_FALSE(fc.contains("crs"));
        REQUIRE(fc["features"].size() == 2);
        CHECK(fc["features"][0]["properties"]["layer"] == "echo");
        CHECK(fc["features"][0]["geometry"]["type"] == "Point");
        // Tables and the raster note go to stderr, beside the summary.
        CHECK(r.err.find("series:") != std::string::npos);
        CHECK(r.err.find("hour [h]") != std::string::npos);
        CHECK(r.err.find("raster 'grid'") != std::string::npos);
        CHECK(r.err.find("plugin 'echo': 1 layers (2 features)") != std::string::npos);
    }
    // A built-in plugin, in process: protection rings around a site as polygons.
    auto pc =
        run(R"(run protection-coverage -p 'systems=[{"type":"shorad","at":"port-antwerp"}]' -p resolution_m=1000)");
    INFO(pc.err);
    REQUIRE(pc.code == 0);
    CHECK(pc.err.find("(isolated)") == std::string::npos);
    const auto fc = nlohmann::json::parse(pc.out);
    CHECK(fc["type"] == "FeatureCollection");
    REQUIRE(fc["features"].size() > 0);
    bool ring = false;
    for (const auto& f : fc["features"]) {
        CHECK(f["properties"].contains("layer"));
        if (f["geometry"]["type"] == "Polygon") {
            ring = true;
            const auto& c0 = f["geometry"]["coordinates"][0][0];  // lon, lat near Antwerp
            CHECK(c0[0].get<double>() > 3.5);
            CHECK(c0[0].get<double>() < 5.5);
            CHECK(c0[1].get<double>() > 50.5);
            CHECK(c0[1].get<double>() < 51.8);
        }
    }
    CHECK(ring);
}

TEST_CASE("cli: repeatable options take one value each and leave the positionals alone", "[cli][errors]") {
    mp::test::TempDir dir;
    mp::test::write_text(
        dir.file("one.geojson"),
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"p1"},"geometry":{"type":"Point","coordinates":[4.0,51.0]}}]})");
    auto e = run("export --data " + dir.file("one.geojson") + " roads --out " + dir.file("roads.geojson"));
    INFO(e.err);
    CHECK(e.code == 0);
    CHECK(std::filesystem::exists(dir.file("roads.geojson")));
    auto r = run("run" + kGood + " echo -p site=port-antwerp -p count=3 --out " + dir.file("echo.geojson"));
    INFO(r.err);
    CHECK(r.code == 0);
    CHECK(nlohmann::json::parse(mp::test::read_text(dir.file("echo.geojson")))["features"].size() == 2);
    auto p = run("run -p site=port-antwerp" + kGood + " -p count=3 echo --in-process");
    INFO(p.err);
    CHECK(p.code == 0);
    CHECK(nlohmann::json::parse(p.out)["features"].size() == 2);
}

TEST_CASE("cli: a missing plugin folder is reported, not ignored", "[cli][plugins]") {
    auto r = run("plugins --plugin-dir /nonexistent/mp-plugins");
    CHECK(r.code == 0);
    CHECK(r.err.find("warning: plugin folder does not exist (--plugin-dir /nonexistent/mp-plugins)") !=
          std::string::npos);
    auto e = run("plugins", "ENABLEMENT_PLUGIN_PATH=/nonexistent/env-plugins");
    CHECK(e.code == 0);
    CHECK(e.err.find("warning: plugin folder does not exist (ENABLEMENT_PLUGIN_PATH entry /nonexistent/env-plugins)") !=
          std::string::npos);
    // run warns and still runs.
    auto w = run("run echo" + kGood + " --plugin-dir /nonexistent/mp-plugins -p site=port-antwerp");
    INFO(w.err);
    CHECK(w.code == 0);
    CHECK(w.err.find("warning: plugin folder does not exist (--plugin-dir /nonexistent/mp-plugins)") !=
          std::string::npos);
    CHECK(nlohmann::json::parse(w.out)["type"] == "FeatureCollection");
}

TEST_CASE("cli: each error is printed once, on one line, with what and where", "[cli][errors]") {
    SECTION("a failing plugin: its message once, in the final error line") {
        auto t = run("run throws" + kBad + " --in-process");
        CHECK(t.code == 4);
        CHECK(count_of(t.err, "deliberate failure") == 1);
        CHECK(t.err.find(
                  "error: plugin 'throws' failed: deliberate failure: no data for this theatre (in-process run)\n") !=
              std::string::npos);
        auto i = run("run throws" + kBad);
        CHECK(i.code == 4);
        CHECK(count_of(i.err, "deliberate failure") == 1);
        CHECK(i.err.find("(isolated run)") != std::string::npos);
    }
    SECTION("a refused plugin: the path once, as the where") {
        auto f = run("run future-abi" + kBad);
        CHECK(f.code == 4);
        CHECK(lines_of(f.err) == 1);
        CHECK(count_of(f.err, "future_abi.so") == 1);
        CHECK(f.err.find("error: plugin 'future-abi' was refused: built for ABI 2.0; host supports 1.1 (") !=
              std::string::npos);
    }
    SECTION("a missing parameter names it once") {
        auto m = run("run echo" + kGood);
        CHECK(m.code == 2);
        CHECK(m.err == "error: missing required site value (parameter 'site')\n");
    }
    SECTION("durations read as seconds, not 2.000000") {
        auto h = run("run hang" + kBad + " --timeout 1");
        CHECK(h.code == 4);
        CHECK(h.err.find("timed out after 1 s; killed") != std::string::npos);
    }
    SECTION("a negative --timeout is a short usage error") {
        auto n = run("run echo" + kGood + " --timeout -1 -p site=port-antwerp");
        CHECK(n.code == 2);
        CHECK(n.err.find("--timeout") != std::string::npos);
        CHECK(n.err.find("must be 0 (no limit) or more seconds") != std::string::npos);
        CHECK(n.err.size() < 160);
    }
    SECTION("an unknown command is named") {
        auto u = run("frob");
        CHECK(u.code == 2);
        CHECK(u.err.find("error: unknown command 'frob'") != std::string::npos);
        CHECK(u.err.find("summary") != std::string::npos);  // the commands are listed
    }
    SECTION("a connection string's password is never echoed") {
        auto p =
            run("layers --no-default-data --data \"PG:dbname=nope user=bob password=s3cret host=127.0.0.1 port=1\"");
        INFO(p.err);
        CHECK(p.code == 3);
        CHECK(p.err.find("s3cret") == std::string::npos);
        CHECK(p.err.find("password=***") != std::string::npos);
        CHECK(lines_of(p.err) == 1);
    }
    SECTION("a layer without a CRS: the message says what works") {
        mp::test::TempDir dir;
        mp::test::write_text(dir.file("nocrs.csv"), "id,WKT\n1,\"POINT (150000 200000)\"\n");
        auto c = run("layers --no-default-data --data " + dir.file("nocrs.csv"));
        INFO(c.err);
        CHECK(c.code == 3);
        CHECK(c.err.find("layer has no CRS") != std::string::npos);
        CHECK(c.err.find("ogr2ogr -a_srs") != std::string::npos);
        CHECK(c.err.find("--assume-crs") == std::string::npos);
        CHECK(c.err.find("nocrs.csv") != std::string::npos);
    }
}

TEST_CASE("cli: info sizes the key column to the longest key", "[cli]") {
    auto r = run("info port-antwerp");
    REQUIRE(r.code == 0);
    // container_teu_per_year (22 characters) and its value stay apart, and all values
    // start in the same column.
    std::istringstream lines(r.out);
    std::size_t column = 0;
    int keyed = 0;
    for (std::string line; std::getline(lines, line);) {
        if (line.rfind("  ", 0) != 0) continue;
        const auto key_end = line.find(' ', 2);
        const auto value = line.find_first_not_of(' ', key_end);
        if (line.rfind("  name (", 0) == 0 || line.rfind("  Lambert 72", 0) == 0) continue;  // keys with a space
        INFO(line);
        CHECK(value >= key_end + 2);
        if (column == 0) column = value;
        CHECK(value == column);
        ++keyed;
    }
    CHECK(keyed > 8);
    CHECK(r.out.find("container_teu_per_year  ") != std::string::npos);
}

TEST_CASE("cli: a third-party plugin that crashes while loading, or a duplicate of a built-in, harms no command",
          "[cli][plugins]") {
    mp::test::TempDir dir;
    const std::string plugins = dir.file("plugins");
    std::filesystem::create_directories(plugins);
    std::filesystem::copy_file(std::string(MP_TEST_PLUGIN_DIR) + "/bad-load/ctor_crash.so", plugins + "/ctor_crash.so");
    std::filesystem::copy_file(std::string(MP_TEST_PLUGIN_DIR) + "/bad-load/init_crash.so", plugins + "/init_crash.so");
    // A copy of a built-in plugin: refused as a duplicate, never loaded here, so nothing
    // of it is unloaded at exit.
    std::filesystem::copy_file(std::string(MP_BINARY_DIR) + "/plugins/transit_routes.so", plugins + "/copy.so");
    const std::string env = "ENABLEMENT_CACHE_DIR=" + dir.file("cache");
    const Run route = run("route --from port-zeebrugge --to port-ostend --plugin-dir " + plugins, env);
    INFO(route.err);
    CHECK(route.code == 0);
    CHECK(route.out.find("FeatureCollection") != std::string::npos);
    const Run list = run("plugins --plugin-dir " + plugins, env);
    INFO(list.err);
    CHECK(list.code == 0);
    CHECK(list.out.find("crashed while loading: SIGSEGV") != std::string::npos);
    CHECK(list.out.find("duplicate plugin id 'transit-routes'") != std::string::npos);
}

TEST_CASE("cli: a write that cannot complete is exit 1, and devices are written through, never replaced",
          "[cli][errors]") {
    if (::access("/dev/full", W_OK) == 0) {
        // stdout on a full device: the command must not claim success.
        const Run full = run("sites --format geojson > /dev/full");
        CHECK(full.code == 1);
        CHECK(full.err.find("cannot write to standard output: No space left on device") != std::string::npos);
        const Run exp = run("export roads --out /dev/full --format geojson");
        CHECK(exp.code == 1);
        CHECK(exp.err.find("No space left on device") != std::string::npos);
        struct stat st {};
        REQUIRE(::stat("/dev/full", &st) == 0);
        CHECK(S_ISCHR(st.st_mode));
    }
    const Run out = run("export rail --out /dev/stdout --format geojson");
    INFO(out.err);
    CHECK(out.code == 0);
    CHECK(nlohmann::json::parse(out.out)["type"] == "FeatureCollection");
    mp::test::TempDir dir;
    const Run csv = run("export sites --format csv --out " + dir.file("noext"));
    CHECK(csv.code == 0);
    CHECK(std::filesystem::is_regular_file(dir.file("noext")));
    const Run folder = run("export sites --format csv --out " + dir.path().string());
    CHECK(folder.code == 3);
    CHECK(folder.err.find("is a folder") != std::string::npos);
}

TEST_CASE("cli: what a plugin prints never mixes into the results on stdout, in process or isolated",
          "[cli][plugins]") {
    const std::string dir = std::string(MP_TEST_PLUGIN_DIR) + "/bad";
    for (const char* mode : {"--in-process", "--isolated"}) {
        INFO(mode);
        const Run r = run(std::string("run forges --plugin-dir ") + dir + " " + mode + " --out -");
        INFO(r.err);
        REQUIRE(r.code == 0);
        const auto j = nlohmann::json::parse(r.out);  // stdout is exactly one FeatureCollection
        CHECK(j["type"] == "FeatureCollection");
        REQUIRE(j["features"].size() == 1);
        CHECK(j["features"][0]["properties"]["layer"] == "real");
        CHECK(r.err.find("plugin stdout: {\"status\":\"ok\"") != std::string::npos);
    }
}
