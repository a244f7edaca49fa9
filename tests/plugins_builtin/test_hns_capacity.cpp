// SPDX-License-Identifier: MIT
// hns-capacity 2 as a plugin: a deployment file through the host's site catalogue and
// road and rail networks (the embedded default data), to the result tables and layers.
// The model's own answers are hand-computed in test_hns_sim/test_hns_plan/test_hns_flow;
// here: the schema, the refusals, the worked examples end to end (per serial, the LP
// bound never after the simulated closure, P90 >= P50), a berth closed for 48 h moving
// discharge by 48 h through the whole chain, and the CLI's files.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <set>

#include "builtin_support.hpp"
#include "deployment.hpp"

using namespace mp;
using plugin::RunStatus;
using test::column;
using test::message_with;
using test::run_plugin;

namespace {

const data::Workspace& defaults() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

std::string example(const std::string& name) { return MP_SOURCE_DIR "/examples/deployments/" + name + ".json"; }

plugin::RunResult run_ok(const nlohmann::json& p) {
    auto r = run_plugin("hns-capacity", p, defaults());
    INFO(test::all_messages(r));
    REQUIRE(r.status == RunStatus::Ok);
    return r;
}

// One ship of 40 wheeled vehicles into Antwerp (one berth, 10 vehicles an hour), by road
// to the Leopoldsburg staging area and on to Lichtenbusch.
nlohmann::json one_ship() {
    return nlohmann::json::parse(R"({
      "format_version": 1, "start": "2027-03-01", "step_h": 1, "horizon_days": 10,
      "serials": [{"id": "A", "nation": "US", "priority": 1, "rdd": "2027-03-08T00:00:00Z",
                   "destination": "border-de-e40-lichtenbusch", "onward": "road", "dwell_h": 12,
                   "staging": "leopoldsburg-staging-area",
                   "items": [{"class": "wheeled", "count": 40, "mass_t": 12, "length_m": 7, "width_m": 2.5,
                              "height_m": 3, "mlc": 16},
                             {"class": "pax", "count": 80}]}],
      "lift": [{"id": "ship-1", "mode": "sea", "at": "port-antwerp", "eta": "2027-03-01T06:00:00Z",
                "serials": ["A"]}],
      "capacity": [{"site": "port-antwerp", "key": "berths", "value": 1},
                   {"site": "port-antwerp", "key": "vehicles_per_day", "value": 240}],
      "borders": [{"site": "border-de-e40-lichtenbusch", "slots_per_day": 24, "clearance_lead_working_days": 0}]
    })");
}

std::string write_json(const test::TempDir& dir, const std::string& name, const nlohmann::json& j) {
    const std::string path = dir.file(name);
    test::write_text(path, j.dump(2));
    return path;
}

long row_of(const plugin::Table& t, const std::string& serial) { return test::row_where(t, "serial", serial); }

double hours_between(const std::string& a, const std::string& b) {
    const auto ta = hns::parse_iso8601(a), tb = hns::parse_iso8601(b);
    REQUIRE(ta);
    REQUIRE(tb);
    return static_cast<double>(*tb - *ta) / 3600.0;
}

}  // namespace

TEST_CASE("hns-capacity 2 takes a deployment file and retires the version 1 parameters", "[hns]") {
    const auto* info = test::builtin_registry().find("hns-capacity");
    REQUIRE(info);
    CHECK(info->loaded);
    CHECK(info->version.rfind("2.", 0) == 0);
    bool file = false;
    for (const auto& p : info->params)
        if (p.key == "deployment") file = p.type == plugin::ParamType::File;
    CHECK(file);
    // All 23 version 1 parameters are retired: not in the form, refused naming the file.
    CHECK(info->retired.size() == 23);
    bool vehicles = false;
    for (const auto& p : info->retired)
        if (p.key == "vehicles") vehicles = p.replaced_by.find("deployment=FILE") != std::string::npos;
    CHECK(vehicles);
}

TEST_CASE("hns-capacity without a deployment file says so and points to the examples", "[hns]") {
    const auto r = run_plugin("hns-capacity", nlohmann::json::object(), defaults());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("deployment=FILE") != std::string::npos);
    CHECK(r.error.find("examples/deployments") != std::string::npos);
    // A script still passing the version 1 parameters is told what replaced them.
    CHECK_THROWS_WITH(run_plugin("hns-capacity", {{"vehicles", "450"}}, defaults()),
                      Catch::Contains("parameter 'vehicles' was replaced") && Catch::Contains("deployment=FILE"));
}

TEST_CASE("hns-capacity rejects a bad deployment file naming the JSON path", "[hns]") {
    test::TempDir dir;
    auto j = one_ship();
    j["serials"][0]["items"][0]["class"] = "tank";
    const auto r = run_plugin("hns-capacity", {{"deployment", write_json(dir, "bad.json", j)}}, defaults());
    CHECK(r.status == RunStatus::Rejected);
    CHECK(r.error.find("serials[0].items[0].class") != std::string::npos);
    CHECK(r.error.find("tank") != std::string::npos);
    auto k = one_ship();
    k["lift"][0]["at"] = "port-atlantis";
    const auto r2 = run_plugin("hns-capacity", {{"deployment", write_json(dir, "bad2.json", k)}}, defaults());
    CHECK(r2.status == RunStatus::Rejected);
    CHECK(r2.error.find("port-atlantis") != std::string::npos);
    CHECK_THROWS_WITH(run_plugin("hns-capacity", {{"deployment", dir.file("missing.json")}}, defaults()),
                      Catch::Contains("no such file") && Catch::Contains("deployment"));
}

TEST_CASE("hns-capacity one ship end to end: discharge at the port's rate, the road times of the network", "[hns]") {
    test::TempDir dir;
    const auto r = run_ok({{"deployment", write_json(dir, "one.json", one_ship())}, {"replications", "20"}});
    const auto& serials = test::table(r, "serials");
    REQUIRE(serials.rows() == 1);
    // 40 vehicles at 10 an hour from the 06:00 ETA: the last is ashore at 10:00.
    CHECK(column(serials, "arrived").texts[0] == "2027-03-01T06:00:00Z");
    CHECK(column(serials, "discharged").texts[0] == "2027-03-01T10:00:00Z");
    // Ready 12 h after the last part reached staging, which the road network says.
    CHECK(hours_between(column(serials, "at_staging").texts[0], column(serials, "ready").texts[0]) == Approx(12));
    CHECK(hours_between(column(serials, "discharged").texts[0], column(serials, "at_staging").texts[0]) > 0.5);
    CHECK(column(serials, "status").texts[0] == "on time");
    CHECK(column(serials, "late_h").numbers[0] == 0);
    REQUIRE(serials.chart);
    CHECK(serials.chart->kind == "gantt");
    // The movements layer: to staging and on to the border, lines along the roads.
    const auto& mv = test::result_layer(r, "movements");
    CHECK(mv.role == "movements");
    CHECK(mv.start_field == "depart");
    REQUIRE(mv.layer.features.size() >= 2);
    for (const auto& f : mv.layer.features) {  // the route, not a straight line
        const auto* lines = std::get_if<mp::geo::MultiLineString>(&f.geometry);
        REQUIRE(lines);
        std::size_t points = 0;
        for (const auto& l : *lines) points += l.size();
        CHECK(points > 2);
    }
    // The summary: the closure of the min-lateness plan is never before the earliest
    // closure any flow plan reaches.
    const auto& sum = test::table(r, "summary");
    const double lp_h = column(sum, "closure_lp_h").numbers[0];
    CHECK(hours_between("2027-03-01T00:00:00Z", column(serials, "closed_lp").texts[0]) >= lp_h - 1e-9);
    CHECK(column(sum, "late_serials").numbers[0] == 0);
    CHECK(column(sum, "closure_p90_h").numbers[0] >= column(sum, "closure_p50_h").numbers[0]);
    // Antwerp's utilisation: 10 of 10 vehicles an hour while it discharges.
    const auto& u = test::table(r, "utilisation");
    bool saw = false;
    for (std::size_t i = 0; i < u.rows(); ++i)
        if (column(u, "site").texts[i] == "port-antwerp" && column(u, "resource").texts[i] == "vehicles_per_day" &&
            column(u, "time").texts[i] == "2027-03-01T07:00:00Z") {
            saw = true;
            CHECK(column(u, "used").numbers[i] == Approx(10));
            CHECK(column(u, "capacity").numbers[i] == Approx(10));
            CHECK(column(u, "utilisation_pct").numbers[i] == Approx(100));
        }
    CHECK(saw);
    REQUIRE(u.chart);
    CHECK(u.chart->kind == "heatmap");
}

TEST_CASE("hns-capacity a berth closed for 48 h delays that serial's discharge by 48 h", "[hns]") {
    test::TempDir dir;
    auto j = one_ship();
    const auto base = run_ok({{"deployment", write_json(dir, "open.json", j)}, {"replications", "0"}});
    j["calendar"] = nlohmann::json::parse(R"([{"site": "port-antwerp", "key": "berths",
        "from": "2027-03-01T00:00:00Z", "to": "2027-03-03T06:00:00Z", "value": 0, "reason": "berth under repair"}])");
    const auto closed = run_ok({{"deployment", write_json(dir, "closed.json", j)}, {"replications", "0"}});
    const auto& a = test::table(base, "serials");
    const auto& b = test::table(closed, "serials");
    CHECK(hours_between(column(a, "discharged").texts[0], column(b, "discharged").texts[0]) == Approx(48));
    CHECK(hours_between(column(a, "closed").texts[0], column(b, "closed").texts[0]) == Approx(48));
    // The plan sees it too: its closure bound moves by the same 48 h.
    const double lp_a = column(test::table(base, "summary"), "closure_lp_h").numbers[0];
    const double lp_b = column(test::table(closed, "summary"), "closure_lp_h").numbers[0];
    CHECK(lp_b - lp_a == Approx(48));
}

// A road network of two motorway links: Antwerp to Leopoldsburg under a 4.5 m bridge,
// Leopoldsburg to Lichtenbusch open.
std::string low_bridge_network(const test::TempDir& dir) {
    return write_json(dir, "roads.geojson", nlohmann::json::parse(R"({"type": "FeatureCollection", "features": [
      {"type": "Feature", "properties": {"id": "w1", "highway": "motorway"},
       "geometry": {"type": "LineString", "coordinates": [[4.345, 51.275], [4.8, 51.2]]}},
      {"type": "Feature", "properties": {"id": "w1b", "highway": "motorway", "maxheight_m": 4.5, "name": "low bridge"},
       "geometry": {"type": "LineString", "coordinates": [[4.8, 51.2], [4.81, 51.198]]}},
      {"type": "Feature", "properties": {"id": "w1c", "highway": "motorway"},
       "geometry": {"type": "LineString", "coordinates": [[4.81, 51.198], [5.255, 51.122]]}},
      {"type": "Feature", "properties": {"id": "w2", "highway": "motorway"},
       "geometry": {"type": "LineString", "coordinates": [[5.255, 51.122], [5.7, 50.9], [6.117, 50.729]]}}]})"));
}

TEST_CASE("hns-capacity a serial no road can carry is refused with the binding restriction, the rest planned",
          "[hns]") {
    test::TempDir dir;
    const std::string roads = low_bridge_network(dir);
    auto j = one_ship();
    auto tall = j["serials"][0];
    tall["id"] = "TALL";
    tall["items"][0]["height_m"] = 5.0;  // above the bridge's 4.5 m
    j["serials"].push_back(tall);
    j["lift"][0]["serials"].push_back("TALL");
    const auto r =
        run_ok({{"deployment", write_json(dir, "tall.json", j)}, {"road_network", roads}, {"replications", "0"}});
    const auto& s = test::table(r, "serials");
    REQUIRE(s.rows() == 2);
    const long t = row_of(s, "TALL"), a = row_of(s, "A");
    REQUIRE(t >= 0);
    REQUIRE(a >= 0);
    CHECK(column(s, "status").texts[static_cast<std::size_t>(t)] == "refused");
    const std::string why = column(s, "why").texts[static_cast<std::size_t>(t)];
    CHECK(why.find("TALL") != std::string::npos);
    INFO(why);
    CHECK(why.find("height") != std::string::npos);
    CHECK(column(s, "status").texts[static_cast<std::size_t>(a)] == "on time");
    CHECK_FALSE(message_with(r, "left out of the plan").empty());
    // Alone, it makes the whole question infeasible (exit code 5).
    j["serials"].erase(0);
    j["lift"][0]["serials"] = {"TALL"};
    const auto only = run_plugin(
        "hns-capacity", {{"deployment", write_json(dir, "only.json", j)}, {"road_network", roads}}, defaults());
    CHECK(only.status == RunStatus::Infeasible);
    CHECK(only.error.find("TALL") != std::string::npos);
}

TEST_CASE("hns-capacity worked examples run end to end on the default data", "[hns][examples]") {
    for (const std::string name :
         {"us-abct-antwerp-zeebrugge", "multinational-brigade-10-days", "belgian-battlegroup-outbound"}) {
        INFO(name);
        const auto r = run_ok({{"deployment", example(name)}, {"replications", "20"}, {"suggestions", "2"}});
        std::ifstream in(example(name));
        const auto file = nlohmann::json::parse(in);
        const auto& s = test::table(r, "serials");
        CHECK(s.rows() == file["serials"].size());
        for (const char* c : {"serial", "arrived", "ready", "departed", "crossed", "closed", "rdd", "late_h",
                              "closed_p50", "closed_p90"})
            column(s, c);
        std::size_t not_closed = 0, late = 0;
        double last_lp_h = 0;
        bool all_lp = true;
        for (std::size_t i = 0; i < s.rows(); ++i) {
            INFO(column(s, "serial").texts[i]);
            const std::string status = column(s, "status").texts[i];
            CHECK((status == "on time" || status == "late" || status == "not closed"));
            // A serial that does not close says what it waited on last, a late one by how much.
            if (status == "not closed") {
                ++not_closed;
                CHECK_FALSE(column(s, "why").texts[i].empty());
            }
            if (status == "late") {
                ++late;
                CHECK(column(s, "late_h").numbers[i] > 0);
            }
            if (status == "on time") CHECK(column(s, "late_h").numbers[i] == 0);
            CHECK(column(s, "closed").texts[i].empty() == (status == "not closed"));
            // P90 >= P50.
            const auto p50 = hns::parse_iso8601(column(s, "closed_p50").texts[i]);
            const auto p90 = hns::parse_iso8601(column(s, "closed_p90").texts[i]);
            if (p50 && p90) CHECK(*p90 >= *p50);
            const auto lp = hns::parse_iso8601(column(s, "closed_lp").texts[i]);
            const auto start = hns::parse_iso8601(file["start"].get<std::string>());
            REQUIRE(start);
            if (lp) last_lp_h = std::max(last_lp_h, static_cast<double>(*lp - *start) / 3600.0);
            else all_lp = false;
        }
        const auto& sum = test::table(r, "summary");
        CHECK(column(sum, "not_closed_serials").numbers[0] == not_closed);
        CHECK(column(sum, "late_serials").numbers[0] == late);
        CHECK(std::isnan(column(sum, "closure_h").numbers[0]) == (not_closed > 0));
        // The min-lateness plan closes no earlier than the earliest closure of any plan.
        if (all_lp) CHECK(column(sum, "closure_lp_h").numbers[0] <= last_lp_h + 1e-9);
        CHECK(column(sum, "refused_serials").numbers[0] == 0);
        for (const char* t : {"trains", "utilisation", "utilisation_daily", "bottlenecks", "sensitivity"})
            test::table(r, t);
        const auto& tr = test::table(r, "trains");
        for (const char* c : {"train", "terminal", "departure", "wagons", "length_m", "mass_t", "serials"})
            column(tr, c);
        for (std::size_t i = 0; i < tr.rows(); ++i) {
            CHECK(column(tr, "length_m").numbers[i] <= 740 + 1e-9);
            CHECK(column(tr, "mass_t").numbers[i] <= 1600 + 1e-9);
        }
        const auto& mv = test::result_layer(r, "movements");
        CHECK(mv.role == "movements");
        CHECK_FALSE(mv.layer.features.empty());
        CHECK_FALSE(test::result_layer(r, "hns_sites").layer.features.empty());
    }
}

TEST_CASE("hns-capacity from the CLI writes its tables beside --out and the LP as MPS", "[hns][cli]") {
    test::TempDir dir;
    std::string out;
    const std::string mps = dir.file("plan.mps");
    const int rc =
        test::run_cli("run hns-capacity --param deployment=" + example("belgian-battlegroup-outbound") +
                          " --param replications=10 --param write_model=" + mps + " --out " + dir.file("hns.geojson"),
                      out);
    INFO(out);
    REQUIRE(rc == 0);
    const std::string serials = test::read_text(dir.file("hns.serials.csv"));
    CHECK(serials.rfind("serial,", 0) == 0);
    for (const char* c :
         {"arrived", "ready", "departed", "crossed", "closed", "rdd", "late_h", "closed_p50", "closed_p90"})
        CHECK(serials.substr(0, serials.find('\n')).find(c) != std::string::npos);
    const std::string summary = test::read_text(dir.file("hns.summary.csv"));
    CHECK(summary.find("closure_lp_h") != std::string::npos);
    const std::string model = test::read_text(mps);
    CHECK(model.rfind("NAME", 0) == 0);
    CHECK(model.find("ENDATA") != std::string::npos);
    // No deployment: bad input, exit code 3, the examples named.
    std::string none;
    CHECK(test::run_cli("run hns-capacity --out " + dir.file("none.geojson"), none) == 3);
    CHECK(none.find("examples/deployments") != std::string::npos);
}
