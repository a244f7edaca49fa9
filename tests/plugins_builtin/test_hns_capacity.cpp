// SPDX-License-Identifier: MIT
// hns-capacity: hand-computable RSOM scenarios on a literal site fixture.
#include <catch2/catch.hpp>

#include "builtin_support.hpp"
#include "mp/core/error.hpp"

using namespace mp;
using plugin::RunStatus;
using test::column;
using test::message_with;
using test::run_plugin;

namespace {

// One port of 100 vehicles/day (an estimate), a port without capacity, an airbase,
// a large and a small staging area, a rail terminal of 2 trains/day x 620 m and one
// without trains.
const char* kSites = R"({"type":"FeatureCollection","name":"hns_sites","features":[
 {"type":"Feature","geometry":{"type":"Point","coordinates":[3.2,51.3]},
  "properties":{"id":"t-port","kind":"port","name_en":"Test port","vehicles_per_day":100,"estimates":"vehicles_per_day"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[3.0,51.2]},
  "properties":{"id":"t-port-closed","kind":"port","name_en":"Closed port","vehicles_per_day":0,"estimates":""}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[4.5,50.9]},
  "properties":{"id":"t-air","kind":"airbase","name_en":"Test airbase","cargo_t_per_day":150,"pax_per_day":1000,"estimates":""}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.2,51.1]},
  "properties":{"id":"t-stage","kind":"staging_area","name_en":"Big staging","vehicle_parking":10000,"beds":100000,"estimates":""}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.3,51.1]},
  "properties":{"id":"t-stage-small","kind":"staging_area","name_en":"Small staging","vehicle_parking":30,"beds":1000,"estimates":""}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.25,51.1]},
  "properties":{"id":"t-rail","kind":"rail_terminal","name_en":"Test ramps","trains_per_day":2,"max_train_length_m":620,"estimates":"trains_per_day"}},
 {"type":"Feature","geometry":{"type":"Point","coordinates":[5.35,51.1]},
  "properties":{"id":"t-rail-closed","kind":"rail_terminal","name_en":"Closed ramps","trains_per_day":0,"max_train_length_m":740,"estimates":""}}
]})";

const data::Workspace& ws() {
    static const data::Workspace w = test::fixture_workspace("hns_sites", kSites);
    return w;
}

// 450 vehicles by sea through t-port, big staging, ample road convoys, no rail.
nlohmann::json base_params() {
    return {{"vehicles", "450"},
            {"personnel", "0"},
            {"cargo_t", "0"},
            {"sea_share", "100"},
            {"entry_points", "t-port"},
            {"staging_areas", "t-stage"},
            {"rail_terminals", "t-rail"},
            {"rail_share", "0"},
            {"convoys_per_day", "100"},
            {"vehicles_per_convoy", "100"},
            {"staging_dwell_days", "0"}};
}

plugin::RunResult run_ok(const nlohmann::json& p) {
    auto r = run_plugin("hns-capacity", p, ws());
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    return r;
}

}  // namespace

TEST_CASE("hns-capacity is a loaded built-in plugin with a typed schema", "[hns]") {
    const auto* info = test::builtin_registry().find("hns-capacity");
    REQUIRE(info);
    CHECK(info->loaded);
    bool saw_share = false, saw_sites = false;
    for (const auto& p : info->params) {
        if (p.key == "sea_share") {
            saw_share = true;
            CHECK(p.unit == "%");
            CHECK(p.max == 100);
            CHECK(p.default_value == "80");
        }
        if (p.key == "entry_points")
            saw_sites = p.type == plugin::ParamType::List && p.item_type == plugin::ParamType::Site;
    }
    CHECK(saw_share);
    CHECK(saw_sites);
}

TEST_CASE("One port of 100 vehicles/day clears 450 vehicles on day 5", "[hns]") {
    const auto r = run_ok(base_params());
    CHECK(message_with(r, "last unit arrives on day 5") != "");
    CHECK(message_with(r, "clears onward movement on day 5") != "");
    CHECK(message_with(r, "bottleneck: entry (sea) at 100.0 units/day, at capacity on 4 days (t-port)") != "");
    // The port's capacity is flagged as a planning estimate by the site data.
    CHECK(message_with(r, "planning estimates in the site data: t-port (vehicles_per_day)") != "");

    const auto& flow = test::table(r, "daily_flow");
    CHECK(flow.chart_hint == "line");
    CHECK(column(flow, "arrived").numbers == std::vector<double>{100, 100, 100, 100, 50});
    CHECK(column(flow, "cumulative_departed").numbers.back() == Approx(450));
    CHECK(column(flow, "departed_rail").numbers == std::vector<double>{0, 0, 0, 0, 0});

    const auto& b = test::table(r, "bottlenecks");
    const long row = test::row_where(b, "site", "t-port");
    REQUIRE(row >= 0);
    CHECK(column(b, "capacity_per_day").numbers[row] == Approx(100));
    CHECK(column(b, "peak_utilisation").numbers[row] == Approx(100));
    CHECK(column(b, "binding_days").numbers[row] == 4);  // day 5 discharged only 50
    CHECK(column(b, "bottleneck").texts[row] == "yes");
    CHECK(column(b, "planning_estimate").texts[row] == "planning estimate: vehicles_per_day");

    const auto& layer = test::result_layer(r, "hns_sites");
    bool saw_port = false;
    for (std::size_t i = 0; i < layer.layer.features.size(); ++i) {
        const auto& f = layer.layer.features[i];
        if (f.attributes.text("site") != "t-port") continue;
        saw_port = true;
        CHECK(f.attributes.number("peak_utilisation_pct") == Approx(100));
        CHECK(f.attributes.boolean("planning_estimate") == true);
        REQUIRE(layer.feature_styles[i]);
        CHECK(layer.feature_styles[i]->color == "#d73027");  // full: red end of the ramp
    }
    CHECK(saw_port);
}

TEST_CASE("A staging dwell of one day moves the clearance to day 6", "[hns]") {
    auto p = base_params();
    p["staging_dwell_days"] = "1";
    const auto r = run_ok(p);
    CHECK(message_with(r, "last unit arrives on day 5") != "");
    CHECK(message_with(r, "clears onward movement on day 6") != "");
}

TEST_CASE("A small staging area is the bottleneck", "[hns]") {
    auto p = base_params();
    p["staging_areas"] = "t-stage-small";  // 30 parking places, one day dwell: 30 units/day
    p["staging_dwell_days"] = "1";
    const auto r = run_ok(p);
    INFO(test::all_messages(r));
    CHECK(message_with(r, "bottleneck: staging at 30.0 units held, at capacity on 14 days (t-stage-small)") != "");
    // 450 / 30 = 15 days of admissions (days 1-15), each cohort leaving the next day.
    CHECK(message_with(r, "clears onward movement on day 16") != "");
    const auto& b = test::table(r, "bottlenecks");
    const long row = test::row_where(b, "site", "t-stage-small");
    REQUIRE(row >= 0);
    CHECK(column(b, "binding_days").numbers[row] == 14);
    CHECK(column(b, "bottleneck").texts[row] == "yes");
    const auto& flow = test::table(r, "daily_flow");
    CHECK(column(flow, "in_staging").numbers[0] == Approx(30));
    CHECK(column(flow, "awaiting_staging").numbers[0] == Approx(70));
}

TEST_CASE("Rail throughput follows trains/day and train length - overrides and availability apply", "[hns]") {
    auto p = base_params();
    p["vehicles"] = "300";
    p["rail_share"] = "100";
    p["capacity_overrides"] = "t-port:vehicles_per_day=1000";
    // (620 m - 20 m locomotive) / 20 m wagons = 30 vehicles per train, 2 trains: 60/day.
    auto r = run_ok(p);
    CHECK(message_with(r, "last unit arrives on day 1") != "");
    CHECK(message_with(r, "clears onward movement on day 5") != "");
    CHECK(message_with(r, "bottleneck: onward (rail) at 60.0 units/day") != "");
    CHECK(test::column(test::table(r, "daily_flow"), "departed_rail").numbers[0] == Approx(60));

    // Half the terminal allocated to the military: 30/day, ten days.
    p["capacity_overrides"] = "t-port:vehicles_per_day=1000, t-rail=50%";
    r = run_ok(p);
    CHECK(message_with(r, "clears onward movement on day 10") != "");
    // Working 12 of 24 hours halves the site capacities too.
    p["capacity_overrides"] = "t-port:vehicles_per_day=1000";
    p["working_hours"] = "12";
    r = run_ok(p);
    CHECK(message_with(r, "clears onward movement on day 10") != "");
}

TEST_CASE("Cargo moves as truckloads of load_t tonnes", "[hns]") {
    auto p = base_params();
    p["vehicles"] = "300";
    p["cargo_t"] = "1500";  // 100 loads of 15 t: 400 units through 100/day
    const auto r = run_ok(p);
    CHECK(message_with(r, "100 cargo loads (1500 t)") != "");
    CHECK(message_with(r, "last unit arrives on day 4") != "");
}

TEST_CASE("Personnel by air are limited by the airbase passenger capacity", "[hns]") {
    const nlohmann::json p = {{"vehicles", "0"},
                              {"personnel", "2500"},
                              {"cargo_t", "0"},
                              {"personnel_sea_share", "0"},
                              {"entry_points", "t-air"},
                              {"staging_areas", "t-stage"},
                              {"rail_terminals", "t-rail"}};
    const auto r = run_ok(p);
    CHECK(message_with(r, "last unit arrives on day 3") != "");
    CHECK(message_with(r, "bottleneck: entry (air, personnel)") != "");
    CHECK(column(test::table(r, "daily_flow"), "personnel_arrived").numbers == std::vector<double>{1000, 1000, 500});
}

TEST_CASE("A package that can never clear fails with the reason", "[hns][errors]") {
    auto p = base_params();
    p["entry_points"] = "t-port-closed";
    auto r = run_plugin("hns-capacity", p, ws());
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("can never clear") != std::string::npos);
    CHECK(r.error.find("no port discharge capacity") != std::string::npos);

    p = base_params();
    p["rail_share"] = "50";
    p["rail_terminals"] = "t-rail-closed";
    r = run_plugin("hns-capacity", p, ws());
    CHECK(r.status == RunStatus::Error);
    CHECK(r.error.find("225 units are to move by rail") != std::string::npos);

    p = base_params();
    p["vehicles"] = "0";
    r = run_plugin("hns-capacity", p, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("force package is empty") != std::string::npos);

    // Finite but slow: a warning, not an error, and the outputs are still there.
    p = base_params();
    p["horizon_days"] = "3";
    r = run_ok(p);
    CHECK(message_with(r, "does not clear within the horizon of 3 days (150 units still at sea/air") != "");
    CHECK(test::table(r, "daily_flow").rows() == 3);
}

TEST_CASE("Bad site references and overrides are reported by name", "[hns][errors]") {
    auto p = base_params();
    p["entry_points"] = "atlantis";
    CHECK_THROWS_WITH(run_plugin("hns-capacity", p, ws()), Catch::Contains("atlantis"));

    p = base_params();
    p["entry_points"] = "t-stage";
    auto r = run_plugin("hns-capacity", p, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("site 't-stage' is a staging_area, not a port or airbase") != std::string::npos);

    p = base_params();
    p["capacity_overrides"] = "t-port:vehicles_per_day=lots";
    r = run_plugin("hns-capacity", p, ws());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("'lots' is not a non-negative number") != std::string::npos);

    p["capacity_overrides"] = "nowhere:vehicles_per_day=5";
    r = run_plugin("hns-capacity", p, ws());
    CHECK(r.error.find("unknown site 'nowhere'") != std::string::npos);
}

TEST_CASE("hns-capacity honours cancellation", "[hns][cancel]") {
    Progress progress;
    progress.cancel();
    const auto r = run_plugin("hns-capacity", base_params(), ws(), progress);
    CHECK(r.status == RunStatus::Cancelled);
}

TEST_CASE("hns-capacity runs on the embedded Belgian data with its defaults", "[hns]") {
    static const data::Workspace belgium = data::load_workspace(true, {});
    const auto r = run_plugin("hns-capacity", nlohmann::json::object(), belgium);
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    CHECK(message_with(r, "bottleneck: ") != "");
    CHECK(message_with(r, "clears onward movement on day") != "");
    CHECK(message_with(r, "port-antwerp (") != "");  // estimates named per site
    CHECK(test::result_layer(r, "hns_sites").layer.features.size() > 10);
}

TEST_CASE("hns-capacity gives the same results isolated as in process", "[hns][isolation]") {
    static const data::Workspace belgium = data::load_workspace(true, {});
    const nlohmann::json p = {{"vehicles", "2000"}, {"entry_points", "port-ostend, melsbroek-air-base"}};
    plugin::RunOptions iso;
    iso.mode = plugin::RunOptions::Mode::Isolated;
    const auto a = run_plugin("hns-capacity", p, belgium);
    const auto b = test::builtin_registry().run("hns-capacity", p, belgium, null_progress(), iso);
    INFO(b.error);
    REQUIRE(b.status == RunStatus::Ok);
    CHECK(b.isolated);
    CHECK(plugin::to_json(a)["tables"] == plugin::to_json(b)["tables"]);
    CHECK(plugin::to_json(a)["layers"] == plugin::to_json(b)["layers"]);
    // Ostend (400 vehicles/day, an estimate) takes the sea share: 1600 + 667 loads x 80 %.
    CHECK(message_with(b, "bottleneck: entry (sea) at 400.0 units/day") != "");
}

TEST_CASE("enablement run hns-capacity writes the layer and both tables", "[hns][cli]") {
    test::TempDir dir;
    std::string out;
    const int rc = test::run_cli(
        "run hns-capacity --param vehicles=450 --param cargo_t=0 --param personnel=0 --param sea_share=100 "
        "--param entry_points=port-ostend --param staging_areas=leopoldsburg-staging-area --out " +
            dir.file("hns.geojson"),
        out);
    INFO(out);
    REQUIRE(rc == 0);
    // Ostend: 400 vehicles/day (a planning estimate): 450 vehicles arrive on day 2.
    CHECK(out.find("last unit arrives on day 2") != std::string::npos);
    CHECK(out.find("port-ostend (vehicles_per_day)") != std::string::npos);
    const auto geo = nlohmann::json::parse(test::read_text(dir.file("hns.geojson")));
    CHECK(geo["features"].size() >= 3);
    CHECK(test::read_text(dir.file("hns.daily_flow.csv")).rfind("day [day],arrived [units]", 0) == 0);
    CHECK(test::read_text(dir.file("hns.bottlenecks.csv")).find("port-ostend") != std::string::npos);

    const int bad = test::run_cli("run hns-capacity --param entry_points=atlantis --out " + dir.file("x.geojson"), out);
    CHECK(bad != 0);
    CHECK(out.find("atlantis") != std::string::npos);
}
