// SPDX-License-Identifier: MIT
// enablement scenario run / info: a saved session re-run headless, as a planner runs it.
#include <sys/wait.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "test_support.hpp"

namespace {

struct Outcome {
    int code = -1;
    std::string out, err;
};

Outcome enablement(const std::string& args) {
    mp::test::TempDir dir;
    const std::string cmd = std::string(MP_CLI_PATH) + " " + args + " 2>" + dir.file("stderr") + " </dev/null";
    Outcome r;
    FILE* p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[65536];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) r.out.append(buf, n);
    const int status = ::pclose(p);
    r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    r.err = mp::test::read_text(dir.file("stderr"));
    return r;
}

void require_transit_routes() {
    if (!std::filesystem::exists(std::string(MP_BINARY_DIR) + "/plugins/transit_routes.so")) {
        std::cout << "SKIPPED: the transit-routes plugin is not built\n";
        std::exit(77);
    }
}

const std::string kGood = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/good";
const std::string kBad = " --plugin-dir " + std::string(MP_TEST_PLUGIN_DIR) + "/bad";
const std::string kFixture =
    std::string(MP_SOURCE_DIR) + "/tests/fixtures/scenario-v1/zeebrugge-leopoldsburg.scenario.json";

// A version 2 scenario with the given runs (JSON array text), on the default data.
std::string scenario_with(const std::string& runs) {
    return R"({"format": "enablement-scenario", "version": 2, "default_data": true, "runs": )" + runs + "}";
}

const char* kRouteRun =
    R"({"id": 1, "plugin": "transit-routes", "params": {"from": "port-zeebrugge", "to": "leopoldsburg-rail-terminal"}})";

nlohmann::json route_feature(const nlohmann::json& fc) {
    for (const auto& f : fc["features"])
        if (f["properties"]["kind"] == "route") return f;
    FAIL("no route feature");
    return {};
}

mp::geo::LonLat site(const std::string& id) {
    static const auto ws = mp::data::load_workspace(true, {});
    const auto s = ws.catalogue.find(id);
    REQUIRE(s);
    return (*s)->anchor();
}

}  // namespace

TEST_CASE("cli: scenario run re-runs a saved transit route headless and writes its GeoJSON",
          "[cli][scenario][plugins]") {
    require_transit_routes();
    mp::test::TempDir dir;
    const std::string file = dir.file("plan.scenario.json");
    mp::test::write_text(
        file, scenario_with(std::string("[") + kRouteRun +
                            R"(, {"id": 2, "plugin": "echo", "params": {"site": "port-antwerp", "count": 3}}])"));
    const auto r = enablement("scenario run " + file + kGood);
    INFO(r.err);
    REQUIRE(r.code == 0);
    // One summary line per run, on stdout.
    CHECK(r.out.find("1 transit-routes: ok, 1 layer (") == 0);
    CHECK(r.out.find("\n2 echo: ok, 1 layer (2 features), 1 table, 1 raster in ") != std::string::npos);
    // Beside the scenario, numbered by run: the layers, and the tables and rasters beside.
    const std::string runs = dir.file("plan.runs");
    const auto fc = nlohmann::json::parse(mp::test::read_text(runs + "/1-transit-routes.geojson"));
    CHECK(fc["type"] == "FeatureCollection");
    const auto route = route_feature(fc);
    CHECK(route["properties"]["from"] == "port-zeebrugge");
    CHECK(route["properties"]["to"] == "leopoldsburg-rail-terminal");
    CHECK(route["properties"]["distance_m"].get<double>() > 100000);
    const auto& line = route["geometry"]["coordinates"];
    REQUIRE(line.size() >= 2);
    auto at = [](const nlohmann::json& c) { return mp::geo::lonlat(c[0].get<double>(), c[1].get<double>()); };
    CHECK(mp::geo::distance_m(at(line.front()), site("port-zeebrugge")) < 5000);
    CHECK(mp::geo::distance_m(at(line.back()), site("leopoldsburg-rail-terminal")) < 5000);
    CHECK(std::filesystem::exists(runs + "/1-transit-routes.legs.csv"));
    CHECK(std::filesystem::exists(runs + "/2-echo.geojson"));
    CHECK(mp::test::read_text(runs + "/2-echo.series.csv").rfind("hour [h],distance [km]", 0) == 0);
    CHECK(std::filesystem::exists(runs + "/2-echo.grid.tif"));
    // The same route as `enablement run` gives for the same parameters.
    const auto direct = enablement("run transit-routes -p from=port-zeebrugge -p to=leopoldsburg-rail-terminal --out " +
                                   dir.file("direct.geojson"));
    REQUIRE(direct.code == 0);
    const auto expected = route_feature(nlohmann::json::parse(mp::test::read_text(dir.file("direct.geojson"))));
    CHECK(route["geometry"] == expected["geometry"]);
    CHECK(route["properties"]["duration_s"] == expected["properties"]["duration_s"]);
    // A later run sees the layers of the earlier ones, as in the GUI (in process: an
    // isolated run reloads the data sources only).
    mp::test::write_text(file, scenario_with(std::string("[") + kRouteRun +
                                             R"(, {"id": 2, "plugin": "echo", "params": {"site": "port-antwerp",
                                             "layer": "routes"}}])"));
    const auto chained = enablement("scenario run " + file + kGood + " --in-process");
    INFO(chained.err);
    CHECK(chained.code == 0);
    CHECK(chained.err.find("info: layer routes has ") != std::string::npos);
}

TEST_CASE("cli: scenario run migrates a version 1 file and runs it", "[cli][scenario][plugins][migration]") {
    require_transit_routes();
    mp::test::TempDir dir;
    const auto r = enablement("scenario run " + kFixture + " --out " + dir.file("out"));
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.err.find("migrated from scenario version 1") != std::string::npos);
    CHECK(r.out.find("1 transit-routes: ok") == 0);
    const auto fc = nlohmann::json::parse(mp::test::read_text(dir.file("out/1-transit-routes.geojson")));
    const auto route = route_feature(fc);
    CHECK(route["properties"]["to"] == "leopoldsburg-rail-terminal");
    // The form said 12 vehicles 100 m apart: the run made a march table for that column
    // (without vehicles transit-routes makes none).
    CHECK(std::filesystem::exists(dir.file("out/1-transit-routes.march_table.csv")));
    CHECK(r.err.find("march table: column 1220 m") != std::string::npos);
}

TEST_CASE("cli: scenario run refuses a newer or malformed scenario with exit 3 and the file named",
          "[cli][scenario][errors]") {
    mp::test::TempDir dir;
    const std::string newer = dir.file("newer.scenario.json");
    mp::test::write_text(newer, R"({"format": "enablement-scenario", "version": 7, "runs": []})");
    auto r = enablement("scenario run " + newer);
    CHECK(r.code == 3);
    CHECK(r.err ==
          "error: scenario file is version 7; this program reads versions 1 to 2 (a newer enablement wrote "
          "it: open it with that one or update) (" +
              newer + ")\n");
    const std::string bad = dir.file("bad.scenario.json");
    mp::test::write_text(bad, R"({"format": "enablement-scenario", "version": 2, "layers": [{"name": "roads",
        "width_px": "wide"}]})");
    r = enablement("scenario run " + bad);
    CHECK(r.code == 3);
    CHECK(r.err == "error: layers[0].width_px: expected a number, got text \"wide\" (" + bad + ")\n");
    mp::test::write_text(bad, "{\"format\": \"enablement-scenario\", \"version\": 2, \"runs\": [");
    r = enablement("scenario info " + bad);
    CHECK(r.code == 3);
    CHECK(r.err.find("error: not a scenario file (malformed JSON: parse error at line 1") == 0);
    CHECK(r.err.find(bad) != std::string::npos);
    r = enablement("scenario run " + dir.file("missing.scenario.json"));
    CHECK(r.code == 3);
    CHECK(r.err.find("file does not exist") != std::string::npos);
    CHECK(enablement("scenario run").code == 2);
    CHECK(enablement("scenario frobnicate x").code == 2);
}

TEST_CASE("cli: scenario run reports each run and the worst exit code wins", "[cli][scenario][errors]") {
    mp::test::TempDir dir;
    const std::string file = dir.file("mixed.scenario.json");
    // Run 2 was given a speed the plugin refuses (bad input, 3); run 3 crashes (4).
    mp::test::write_text(file, scenario_with(R"([{"id": 1, "plugin": "echo", "params": {"site": "port-antwerp"}},
        {"id": 2, "plugin": "echo", "params": {"site": "port-antwerp", "speed": 500}},
        {"id": 3, "plugin": "segfault"}])"));
    // A stale result of an earlier run 2 must not survive its failure now.
    std::filesystem::create_directories(dir.file("out"));
    mp::test::write_text(dir.file("out/2-echo.geojson"), "{}");
    const auto r = enablement("scenario run " + file + kGood + kBad + " --out " + dir.file("out"));
    INFO(r.err);
    CHECK(r.code == 4);
    CHECK(r.out.find("1 echo: ok") == 0);
    CHECK(r.out.find("\n2 echo: failed (exit 3): ") != std::string::npos);
    CHECK(r.out.find("parameter 'speed'") != std::string::npos);
    CHECK(r.out.find("\n3 segfault: failed (exit 4): ") != std::string::npos);
    CHECK(r.out.find("SIGSEGV") != std::string::npos);
    CHECK(std::filesystem::exists(dir.file("out/1-echo.geojson")));
    CHECK_FALSE(std::filesystem::exists(dir.file("out/2-echo.geojson")));
    CHECK_FALSE(std::filesystem::exists(dir.file("out/3-segfault.geojson")));
    CHECK(r.err.find("1 of 3 runs ok") != std::string::npos);
    // Without the crash, the rejected input decides: 3.
    mp::test::write_text(file, scenario_with(R"([{"id": 1, "plugin": "echo", "params": {"site": "port-antwerp"}},
        {"id": 2, "plugin": "echo", "params": {"site": "atlantis"}}])"));
    CHECK(enablement("scenario run " + file + kGood + " --out " + dir.file("out")).code == 3);
}

TEST_CASE("cli: scenario run stops before running when the scenario's data does not load", "[cli][scenario][errors]") {
    mp::test::TempDir dir;
    const std::string file = dir.file("s.scenario.json");
    mp::test::write_text(file, R"({"format": "enablement-scenario", "version": 2,
        "sources": ["/nonexistent/roads.gpkg"], "runs": [{"id": 1, "plugin": "echo", "params": {}}]})");
    const auto r = enablement("scenario run " + file + kGood);
    CHECK(r.code == 3);
    CHECK(r.err.find("/nonexistent/roads.gpkg") != std::string::npos);
    CHECK(r.err.find("error: the scenario's data did not load (see above); nothing was run (" + file + ")") !=
          std::string::npos);
    CHECK_FALSE(std::filesystem::exists(dir.file("s.runs/1-echo.geojson")));
}

TEST_CASE("cli: scenario info lists layers, removed layers and runs", "[cli][scenario]") {
    const auto r = enablement("scenario info " + kFixture);
    INFO(r.err);
    REQUIRE(r.code == 0);
    CHECK(r.out.find("format version 1 (migrated to 2 when saved)") != std::string::npos);
    CHECK(r.out.find("view: EPSG:3812, centre 4.3, 51 (lon, lat), 180 units/pixel") != std::string::npos);
    CHECK(r.out.find("rail            hidden") != std::string::npos);
    CHECK(r.out.find("belgium         removed") != std::string::npos);
    CHECK(r.out.find("1    transit-routes  1 layer, 2 tables, 0 rasters (2/2 map layers shown)") != std::string::npos);
    CHECK(r.out.find("5 layers, 1 removed") != std::string::npos);
}
