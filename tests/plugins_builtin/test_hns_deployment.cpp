// SPDX-License-Identifier: MIT
// The deployment file reader of hns-capacity 2 (plugins/hns_capacity/deployment.hpp):
// the three worked examples against the real site catalogue with hand-counted facts,
// ISO 8601 against hand-computed epoch seconds, and one test per error class asserting
// the JSON path the error names. The schema (schemas/hns-deployment.schema.json) is
// checked against the same examples when python3 has the jsonschema module.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "deployment.hpp"

using namespace hns;
using nlohmann::json;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in.good());
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

// id -> kind from data/sites.geojson, as the plugin will read it.
const SiteKinds& catalogue() {
    static const SiteKinds kinds = [] {
        SiteKinds k;
        const auto geo = json::parse(slurp(MP_SOURCE_DIR "/data/sites.geojson"));
        for (const auto& f : geo.at("features"))
            k[f.at("properties").at("id").get<std::string>()] = f.at("properties").at("kind").get<std::string>();
        return k;
    }();
    return kinds;
}

Deployment example(const std::string& name) {
    return read_deployment(slurp(MP_SOURCE_DIR "/examples/deployments/" + name), catalogue());
}

const Lift& lift_of(const Deployment& d, const std::string& id) {
    for (const auto& l : d.lift)
        if (l.id == id) return l;
    FAIL("no lift " << id);
    throw 0;
}

constexpr Time kMarch1 = 1803859200;  // 2027-03-01T00:00:00Z: (57 * 365 + 14 leap days + 31 + 28) * 86400

// A small valid file, mutated by the error tests: two serials in one ship.
json minimal() {
    return json::parse(R"({
      "format_version": 1, "start": "2027-03-01", "horizon_days": 10,
      "serials": [
        {"id": "S1", "nation": "US", "rdd": "2027-03-05T00:00:00Z", "destination": "leopoldsburg-training-area",
         "items": [{"class": "wheeled", "count": 2, "mass_t": 7, "length_m": 6.2, "width_m": 2.5, "height_m": 2.6}]},
        {"id": "S2", "nation": "US", "rdd": "2027-03-04", "destination": "leopoldsburg-training-area",
         "items": [{"class": "pax", "count": 300}]}
      ],
      "lift": [{"id": "L1", "mode": "sea", "at": "port-antwerp", "eta": "2027-03-02T06:00:00Z", "serials": ["S1", "S2"]}]
    })");
}

// The error reading `text` raises (fails the test if none).
DeploymentError error_of(const std::string& text) {
    try {
        read_deployment(text, catalogue());
    } catch (const DeploymentError& e) {
        return e;
    }
    FAIL("no DeploymentError for " << text);
    throw 0;
}
DeploymentError error_of(const json& j) { return error_of(j.dump()); }

}  // namespace

TEST_CASE("deployment: ISO 8601 times against hand-computed epoch seconds", "[hns][deployment]") {
    CHECK(parse_iso8601("1970-01-01T00:00:00Z") == 0);
    CHECK(parse_iso8601("1970-01-01") == 0);
    CHECK(parse_iso8601("2027-03-01") == kMarch1);
    CHECK(parse_iso8601("2027-03-01T06:00:00Z") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T06:00Z") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T06:00:30.75Z") == kMarch1 + 6 * 3600 + 30);  // fractions dropped
    // Offsets: local time minus the offset.
    CHECK(parse_iso8601("2027-03-01T07:00:00+01:00") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T07:00:00+0100") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T07:00:00+01") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T01:00:00-05:00") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T11:30:00+05:30") == kMarch1 + 6 * 3600);
    CHECK(parse_iso8601("2027-03-01T00:30:00+01:00") == kMarch1 - 1800);  // the day before in UTC
    CHECK(format_iso8601(kMarch1 - 1800) == "2027-02-28T23:30:00Z");
    // Leap days: 2028 is a leap year, 2027 and 2100 are not, 2000 is.
    CHECK(parse_iso8601("2028-02-29T12:00:00Z") == (21184 + 31 + 28) * Time{86400} + 12 * 3600);
    CHECK(parse_iso8601("2028-03-01") == (21184 + 31 + 29) * Time{86400});
    CHECK(parse_iso8601("2000-02-29").has_value());
    CHECK_FALSE(parse_iso8601("2027-02-29"));
    CHECK_FALSE(parse_iso8601("2100-02-29"));
    // Invalid months, days, hours, minutes, seconds.
    for (const char* bad :
         {"2027-13-01", "2027-00-10", "2027-04-31", "2027-01-32", "2027-01-00", "2027-03-01T24:00:00Z",
          "2027-03-01T23:60:00Z", "2027-03-01T12:00:60Z", "2027-03-01T12:00:00+24:00", "2027-03-01T12:00:00+01:60"})
        CHECK_FALSE(parse_iso8601(bad));
    // Not ISO 8601, or a local time without a zone (ambiguous across the allies).
    for (const char* bad : {"", "2027-3-1", "2027/03/01", "27-03-01", "2027-03-01T06:00:00", "2027-03-01 06:00:00Z",
                            "2027-03-01T06:00:00Zjunk", "2027-03-01T6:00Z", "2027-03-01T06:00:00.Z", "2027-03-01junk",
                            "2027-03-01T06:00:00+1:00"})
        CHECK_FALSE(parse_iso8601(bad));
    CHECK(format_iso8601(0) == "1970-01-01T00:00:00Z");
    CHECK(format_iso8601(-1) == "1969-12-31T23:59:59Z");
    CHECK(format_iso8601(1835438400) == "2028-02-29T12:00:00Z");
    // Round trip every 7 hours 13 minutes over four years.
    for (Time t = kMarch1; t < kMarch1 + 4 * 366 * Time{86400}; t += 7 * 3600 + 13 * 60 + 11)
        REQUIRE(parse_iso8601(format_iso8601(t)) == t);
}

TEST_CASE("deployment: names of the enums", "[hns][deployment]") {
    CHECK(std::string(to_string(ItemClass::Tracked)) == "tracked");
    CHECK(std::string(to_string(ItemClass::Container)) == "container");
    CHECK(std::string(to_string(ItemClass::Pax)) == "pax");
    CHECK(std::string(to_string(Onward::Any)) == "any");
    CHECK(std::string(to_string(LiftMode::Air)) == "air");
    CHECK(std::string(to_string(LiftMode::Road)) == "road");
}

TEST_CASE("deployment: the US armoured brigade example", "[hns][deployment]") {
    const auto d = example("us-abct-antwerp-zeebrugge.json");
    CHECK(d.start == kMarch1);
    CHECK(d.end() == kMarch1 + 30 * 86400);
    REQUIRE(d.serials.size() == 15);
    REQUIRE(d.lift.size() == 7);
    // Brigade totals: 90 M1 (66.8 t) and 130 Bradleys (30.4 t), 1,500 wheeled, 480 TEU, 4,000 persons.
    int tanks = 0, bradleys = 0, wheeled = 0, containers = 0, pax = 0;
    for (const auto& s : d.serials) {
        containers += s.containers();
        pax += s.pax();
        for (const auto& it : s.items) {
            if (it.cls == ItemClass::Tracked && it.mass_t == 66.8) tanks += it.count;
            if (it.cls == ItemClass::Tracked && it.mass_t == 30.4) bradleys += it.count;
            if (it.cls == ItemClass::Wheeled) wheeled += it.count;
        }
    }
    CHECK(tanks == 90);
    CHECK(bradleys == 130);
    CHECK(wheeled == 1500);
    CHECK(containers == 480);
    CHECK(pax == 4000);

    const Serial* trk = d.serial("US-1CAB-TRK");
    REQUIRE(trk);
    CHECK(trk->vehicles() == 30 + 30 + 4 + 10);
    CHECK(trk->containers() == 0);
    CHECK(trk->mass_t() == Approx(30 * 66.8 + 30 * 30.4 + 4 * 63.5 + 10 * 36.0));  // 3530 t
    CHECK(trk->onward == Onward::Rail);
    CHECK(trk->destination == "border-de-rail-montzen");
    CHECK(trk->staging == "leopoldsburg-staging-area");
    CHECK(trk->dwell_h == 48);
    CHECK(trk->rdd == kMarch1 + 11 * 86400);
    const Serial* whl = d.serial("US-1CAB-WHL");
    REQUIRE(whl);
    CHECK(whl->vehicles() == 130);
    CHECK(whl->containers() == 30);
    CHECK(whl->mass_t() == Approx(50 * 7.0 + 20 * 3.5 + 40 * 12.0 + 20 * 22.0 + 30 * 15.0));  // 1790 t
    CHECK(d.serial("US-PAX-1")->pax() == 1400);
    CHECK(d.serial("US-PAX-1")->mass_t() == 0);
    CHECK(d.serial("no-such") == nullptr);

    // ship-3 is given as 07:00+01:00: 06:00Z on C+5.
    const Lift& ship3 = lift_of(d, "ship-3");
    CHECK(ship3.mode == LiftMode::Sea);
    CHECK(ship3.eta == kMarch1 + 5 * 86400 + 6 * 3600);
    CHECK(format_iso8601(ship3.eta) == "2027-03-06T06:00:00Z");
    CHECK(parse_iso8601(format_iso8601(ship3.eta)) == ship3.eta);
    CHECK(ship3.eta_spread_h == 12);
    CHECK(lift_of(d, "air-wave-1").mode == LiftMode::Air);

    // Leopoldsburg's terminal overrides length and paths and inherits the rest.
    const RailSettings& leo = d.rail_at("leopoldsburg-rail-terminal");
    CHECK(leo.max_train_length_m == 600);
    CHECK(leo.paths_per_day == 6);
    CHECK(leo.max_train_mass_t == 1600);
    CHECK(leo.wagons_available == 120);
    CHECK(leo.wagon.length_m == 19.6);
    CHECK(leo.wagon.payload_t == 80);
    CHECK(leo.wagon.tare_t == 28);
    const RailSettings& other = d.rail_at("zeebrugge-rail-terminal");  // no entry: the defaults
    CHECK(&other == &d.rail);
    CHECK(other.max_train_length_m == 740);
    CHECK(other.paths_per_day == 4);
    CHECK(d.road_at("leopoldsburg-training-area").march_units_per_hour == 3);
    CHECK(d.road_at("leopoldsburg-training-area").vehicles_per_march_unit == 25);
    CHECK(d.road_at("leopoldsburg-staging-area").march_units_per_hour == 2);
    REQUIRE(d.borders.size() == 2);
    CHECK(d.borders[0].site == "border-de-e40-lichtenbusch");
    CHECK(d.borders[0].slots_per_day == 6);
    CHECK(d.working_calendar.weekend == std::vector<int>{6, 0});
    CHECK(d.working_calendar.extra_days_off.empty());
}

TEST_CASE("deployment: the multinational brigade example", "[hns][deployment]") {
    const auto d = example("multinational-brigade-10-days.json");
    CHECK(d.step_h == 2);
    CHECK(d.horizon_days == 14);
    REQUIRE(d.serials.size() == 10);
    REQUIRE(d.lift.size() == 9);
    // One of Zeebrugge's two military berths is closed for three days.
    REQUIRE(d.capacity.size() == 2);
    CHECK(d.capacity[0].site == "port-zeebrugge");
    CHECK(d.capacity[0].key == "berths");
    CHECK(d.capacity[0].value == 2);
    REQUIRE(d.calendar.size() == 1);
    const auto& closed = d.calendar[0];
    CHECK(closed.site == "port-zeebrugge");
    CHECK(closed.value == 1);
    CHECK(closed.to - closed.from == 3 * 86400);
    CHECK(format_iso8601(closed.from) == "2027-05-05T00:00:00Z");
    CHECK_FALSE(closed.reason.empty());
    // The British flight is given at 14:00+02:00 (Brussels summer time): 12:00Z.
    CHECK(format_iso8601(lift_of(d, "gb-air-1").eta) == "2027-05-04T12:00:00Z");
    // A road column entering from France: any site may be a road lift's entry.
    CHECK(lift_of(d, "fr-column-1").mode == LiftMode::Road);
    CHECK(lift_of(d, "fr-column-1").at == "border-fr-e19-hensies");
    const Serial* fr = d.serial("FR-VBCI-BN");
    REQUIRE(fr);
    CHECK(fr->vehicles() == 52 + 90);
    CHECK(fr->pax() == 650);
    CHECK(fr->mass_t() == Approx(52 * 28.0 + 90 * 15.0));
    // Per-terminal rail: only the keys given, the rest from the file's rail defaults.
    CHECK(d.rail.wagons_available == 80);
    CHECK(d.rail_at("zeebrugge-rail-terminal").paths_per_day == 6);
    CHECK(d.rail_at("zeebrugge-rail-terminal").wagons_available == 80);
    CHECK(d.rail_at("zeebrugge-rail-terminal").max_train_length_m == 740);
    CHECK(d.rail_at("leopoldsburg-rail-terminal").max_train_length_m == 600);
    CHECK(d.rail_at("leopoldsburg-rail-terminal").paths_per_day == 4);
    REQUIRE(d.borders.size() == 4);
    CHECK(d.borders[3].site == "border-de-rail-hergenrath");
    CHECK(d.borders[3].clearance_lead_working_days == 7);
    CHECK(d.borders[0].clearance_lead_working_days == 5);  // the default
    CHECK(d.life_support.water_l_per_person_day == 20);    // no life_support: the defaults
}

TEST_CASE("deployment: the Belgian battlegroup outbound example", "[hns][deployment]") {
    const auto d = example("belgian-battlegroup-outbound.json");
    REQUIRE(d.serials.size() == 5);
    REQUIRE(d.lift.size() == 4);
    const Lift& rail1 = lift_of(d, "be-rail-1");
    CHECK(rail1.mode == LiftMode::Rail);
    CHECK(rail1.at == "marche-en-famenne-rail-terminal");
    CHECK(format_iso8601(rail1.eta) == "2027-11-09T05:00:00Z");  // 06:00 Brussels winter time
    CHECK(lift_of(d, "be-road-2").mode == LiftMode::Road);
    CHECK(lift_of(d, "be-road-2").at == "marche-en-famenne-training-area");
    CHECK(lift_of(d, "be-road-2").serials == std::vector<std::string>{"BE-BG-ROAD-2", "BE-BG-PAX"});
    const Serial* road1 = d.serial("BE-BG-ROAD-1");
    REQUIRE(road1);
    CHECK(road1->vehicles() == 70);
    CHECK(road1->pax() == 400);
    CHECK(road1->onward == Onward::Road);
    // The home terminal's wagons carry 60 t: a nested override of one wagon key.
    const RailSettings& marche = d.rail_at("marche-en-famenne-rail-terminal");
    CHECK(marche.wagon.payload_t == 60);
    CHECK(marche.wagon.tare_t == 25);        // header default
    CHECK(marche.wagon.length_m == 20);      // header default
    CHECK(marche.wagon_turnaround_h == 36);  // the file's rail default
    CHECK(marche.max_train_length_m == 600);
    CHECK(marche.paths_per_day == 2);
    CHECK(d.road_at("marche-en-famenne-training-area").vehicles_per_march_unit == 20);
    CHECK(d.road_at("marche-en-famenne-training-area").march_units_per_hour == 2);
    REQUIRE(d.working_calendar.extra_days_off.size() == 1);
    CHECK(format_iso8601(d.working_calendar.extra_days_off[0]) == "2027-11-12T00:00:00Z");
    CHECK(d.life_support.fuel_l_per_vehicle_day == 150);
}

TEST_CASE("deployment: the minimal file and its defaults", "[hns][deployment]") {
    const auto d = read_deployment(minimal().dump(), catalogue());
    CHECK(d.step_h == 1);
    CHECK(d.horizon_days == 10);
    CHECK(d.serials[0].priority == 1);
    CHECK(d.serials[0].onward == Onward::Any);
    CHECK(d.serials[0].staging.empty());
    CHECK(d.rail.max_train_length_m == 740);
    CHECK(d.road.vehicles_per_march_unit == 25);
    CHECK(d.working_calendar.belgian_holidays);
    CHECK(d.rail_terminal.empty());
    // 3.0 is the integer 3 (JSON has one number type).
    auto j = minimal();
    j["serials"][0]["items"][0]["count"] = 3.0;
    CHECK(read_deployment(j.dump(), catalogue()).serials[0].vehicles() == 3);
}

TEST_CASE("deployment error: unknown key", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][0]["colour"] = "green";
    const auto e = error_of(j);
    CHECK(e.path() == "serials[0].colour");
    CHECK(std::string(e.what()) ==
          "serials[0].colour: unknown key 'colour' (accepted: id, nation, priority, rdd, destination, onward, "
          "dwell_h, staging, items)");
    auto top = minimal();
    top["notes"] = "figures are estimates";
    CHECK(error_of(top).path() == "notes");
    auto nested = minimal();
    nested["rail"] =
        json::parse(R"({"terminals": [{"terminal": "leopoldsburg-rail-terminal", "wagon": {"mass": 1}}]})");
    CHECK(error_of(nested).path() == "rail.terminals[0].wagon.mass");
}

TEST_CASE("deployment error: unknown class", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][1]["items"][0]["class"] = "tank";
    const auto e = error_of(j);
    CHECK(e.path() == "serials[1].items[0].class");
    CHECK(std::string(e.what()) ==
          "serials[1].items[0].class: unknown class 'tank' (tracked, wheeled, container, pax)");
}

TEST_CASE("deployment error: unknown site", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][0]["destination"] = "port-rotterdam";
    const auto e = error_of(j);
    CHECK(e.path() == "serials[0].destination");
    CHECK(std::string(e.what()).find("unknown site 'port-rotterdam'") != std::string::npos);
}

TEST_CASE("deployment error: site of the wrong kind", "[hns][deployment]") {
    auto j = minimal();
    j["lift"][0]["at"] = "melsbroek-air-base";  // a ship at an airbase
    auto e = error_of(j);
    CHECK(e.path() == "lift[0].at");
    CHECK(std::string(e.what()) == "lift[0].at: site 'melsbroek-air-base' is of kind airbase, expected port");
    auto staging = minimal();
    staging["serials"][0]["staging"] = "port-antwerp";
    CHECK(error_of(staging).path() == "serials[0].staging");
    auto border = minimal();
    border["borders"] = json::parse(R"([{"site": "border-de-e40-lichtenbusch"}, {"site": "montzen-rail-terminal"}])");
    CHECK(error_of(border).path() == "borders[1].site");
    auto key = minimal();
    key["capacity"] = json::parse(R"([{"site": "melsbroek-air-base", "key": "berths", "value": 1}])");
    e = error_of(key);
    CHECK(e.path() == "capacity[0].key");
    CHECK(std::string(e.what()) ==
          "capacity[0].key: unknown capacity key 'berths' for kind airbase (mog_wide_body, mog_narrow_body, "
          "cargo_t_per_day, pax_per_day)");
}

TEST_CASE("deployment error: a serial in two surface lifts or two air lifts", "[hns][deployment]") {
    auto j = minimal();
    j["lift"].push_back(
        json::parse(R"({"id": "L2", "mode": "sea", "at": "port-zeebrugge", "eta": "2027-03-02", "serials": ["S2"]})"));
    auto e = error_of(j);
    CHECK(e.path() == "lift[1].serials[0]");
    CHECK(std::string(e.what()) ==
          "lift[1].serials[0]: serial 'S2' is already carried by a surface lift at lift[0].serials[1]");
    j = minimal();
    for (const char* id : {"F1", "F2"})
        j["lift"].push_back(
            json::parse(std::string(R"({"id": ")") + id +
                        R"(", "mode": "air", "at": "melsbroek-air-base", "eta": "2027-03-02", "serials": ["S1"]})"));
    e = error_of(j);
    CHECK(std::string(e.what()) ==
          "lift[2].serials[0]: serial 'S1' is already carried by an air lift at lift[1].serials[0]");
}

TEST_CASE("a serial's vehicles by sea and its personnel by air: one surface and one air lift", "[hns][deployment]") {
    auto j = minimal();
    j["lift"].push_back(json::parse(
        R"({"id": "F1", "mode": "air", "at": "melsbroek-air-base", "eta": "2027-03-03T12:00:00Z", "serials": ["S2"]})"));
    const Deployment d = read_deployment(j.dump(), catalogue());
    REQUIRE(d.lift.size() == 2);
    CHECK(d.lift[1].mode == LiftMode::Air);
    CHECK(d.lift[1].serials == std::vector<std::string>{"S2"});
    CHECK(d.lift[0].serials == std::vector<std::string>{"S1", "S2"});
}

TEST_CASE("deployment error: a serial in no lift", "[hns][deployment]") {
    auto j = minimal();
    j["lift"][0]["serials"] = json::array({"S1"});
    const auto e = error_of(j);
    CHECK(e.path() == "serials[1]");
    CHECK(std::string(e.what()) == "serials[1]: serial 'S2' is carried by no lift");
}

TEST_CASE("deployment error: a lift naming an unknown serial", "[hns][deployment]") {
    auto j = minimal();
    j["lift"][0]["serials"].push_back("S3");
    const auto e = error_of(j);
    CHECK(e.path() == "lift[0].serials[2]");
    CHECK(std::string(e.what()) == "lift[0].serials[2]: unknown serial 'S3'");
}

TEST_CASE("deployment error: rdd before start, eta outside the horizon", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][1]["rdd"] = "2027-02-28T23:59:59Z";
    auto e = error_of(j);
    CHECK(e.path() == "serials[1].rdd");
    CHECK(std::string(e.what()) == "serials[1].rdd: 2027-02-28T23:59:59Z is before start (2027-03-01T00:00:00Z)");
    auto late = minimal();
    late["lift"][0]["eta"] = "2027-03-11T00:00:00Z";  // end() itself is outside: [start, end)
    e = error_of(late);
    CHECK(e.path() == "lift[0].eta");
    CHECK(std::string(e.what()) ==
          "lift[0].eta: 2027-03-11T00:00:00Z is outside the horizon [2027-03-01T00:00:00Z, 2027-03-11T00:00:00Z)");
    auto bad_time = minimal();
    bad_time["start"] = "2027-02-30";
    CHECK(error_of(bad_time).path() == "start");
    auto calendar = minimal();
    calendar["calendar"] = json::parse(
        R"([{"site": "port-antwerp", "key": "berths", "from": "2027-03-03", "to": "2027-03-03", "value": 0}])");
    CHECK(error_of(calendar).path() == "calendar[0].to");
}

TEST_CASE("deployment error: JSON syntax error with line and column", "[hns][deployment]") {
    // Line 3: two spaces, "start" (columns 3-9), a space, then "x" in columns 11-13 where
    // a ':' was expected; nlohmann stops after reading the whole string token.
    const auto e = error_of(std::string("{\n  \"format_version\": 1,\n  \"start\" \"x\"\n}"));
    CHECK(e.path().empty());
    const std::string what = e.what();
    CHECK(what.rfind("JSON syntax error at line 3, column 13: ", 0) == 0);
    // A truncated file: the error is at the end of the last line.
    const auto t = error_of(std::string("{\n\"serials\": ["));
    CHECK(std::string(t.what()).rfind("JSON syntax error at line 2, column 13: ", 0) == 0);
}

TEST_CASE("deployment error: duplicate key in an object", "[hns][deployment]") {
    // nlohmann would keep the second "rdd" silently; the reader names it.
    std::string text = minimal().dump();
    const std::string s2 = "\"id\":\"S2\",";
    text.insert(text.find(s2) + s2.size(), "\"rdd\":\"2027-03-09\",");
    const auto e = error_of(text);
    CHECK(e.path() == "serials[1].rdd");
    CHECK(std::string(e.what()) == "serials[1].rdd: duplicate key 'rdd' (keys must be unique)");
    // Deep in arrays of arrays the index still counts containers and scalars alike.
    const auto deep = error_of(std::string(R"({"serials": [1, [2, {}], {"a": [3, {"b": 1, "b": 2}]}]})"));
    CHECK(deep.path() == "serials[2].a[1].b");
}

TEST_CASE("deployment error: negative count", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][0]["items"][0]["count"] = -2;
    const auto e = error_of(j);
    CHECK(e.path() == "serials[0].items[0].count");
    CHECK(std::string(e.what()) == "serials[0].items[0].count: -2 is out of range (must be 1..100000)");
    auto mass = minimal();
    mass["serials"][0]["items"][0]["mass_t"] = -7;
    CHECK(error_of(mass).path() == "serials[0].items[0].mass_t");
    auto zero_dim = minimal();
    zero_dim["serials"][0]["items"][0]["width_m"] = 0;  // dimensions of a vehicle are required > 0
    CHECK(error_of(zero_dim).path() == "serials[0].items[0].width_m");
    auto missing = minimal();
    missing["serials"][0]["items"][0].erase("length_m");
    const auto m = error_of(missing);
    CHECK(std::string(m.what()) == "serials[0].items[0].length_m: missing required key");
}

TEST_CASE("deployment error: non-integer count and non-finite numbers", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][0]["items"][0]["count"] = 2.5;
    const auto e = error_of(j);
    CHECK(e.path() == "serials[0].items[0].count");
    CHECK(std::string(e.what()) == "serials[0].items[0].count: 2.5 is not an integer");
    // 1e999 does not fit a double: nlohmann refuses it while parsing (the reader's own
    // finiteness check is the second line of defence).
    std::string text = minimal().dump();
    text.insert(text.find("\"id\":\"S1\""), "\"dwell_h\":1e999,");
    const auto inf = error_of(text);
    CHECK(inf.path().empty());
    CHECK(std::string(inf.what()) == "JSON not readable: number overflow parsing '1e999'");
}

TEST_CASE("deployment error: wrong type", "[hns][deployment]") {
    auto j = minimal();
    j["serials"][0]["priority"] = "high";
    auto e = error_of(j);
    CHECK(e.path() == "serials[0].priority");
    CHECK(std::string(e.what()) == "serials[0].priority: expected an integer, got a string");
    auto arr = minimal();
    arr["lift"] = json::object();
    e = error_of(arr);
    CHECK(std::string(e.what()) == "lift: expected an array, got an object");
    auto boolean = minimal();
    boolean["working_calendar"] = json::parse(R"({"belgian_holidays": "yes"})");
    CHECK(error_of(boolean).path() == "working_calendar.belgian_holidays");
    auto serial_ref = minimal();
    serial_ref["lift"][0]["serials"][0] = 1;
    CHECK(error_of(serial_ref).path() == "lift[0].serials[0]");
    CHECK(std::string(error_of(std::string("[1, 2]")).what()) == "expected an object, got an array");
}

TEST_CASE("deployment error: duplicates, version, ranges, sizes", "[hns][deployment]") {
    auto dup = minimal();
    dup["serials"][1]["id"] = "S1";
    CHECK(std::string(error_of(dup).what()) == "serials[1].id: duplicate serial id 'S1'");
    auto version = minimal();
    version["format_version"] = 2;
    CHECK(std::string(error_of(version).what()) == "format_version: unsupported version 2 (this reader knows 1)");
    auto step = minimal();
    step["step_h"] = 0;
    CHECK(error_of(step).path() == "step_h");
    step["step_h"] = 25;
    CHECK(error_of(step).path() == "step_h");
    auto horizon = minimal();
    horizon["horizon_days"] = 121;
    CHECK(std::string(error_of(horizon).what()) == "horizon_days: 121 is out of range (must be 1..120)");
    auto day = minimal();
    day["working_calendar"] = json::parse(R"({"weekend": ["sat", "sunday"]})");
    CHECK(error_of(day).path() == "working_calendar.weekend[1]");
    auto off = minimal();
    off["working_calendar"] = json::parse(R"({"extra_days_off": ["2027-03-04T00:00:00Z"]})");
    CHECK(error_of(off).path() == "working_calendar.extra_days_off[0]");
    auto terminal = minimal();
    terminal["rail"] = json::parse(
        R"({"terminals": [{"terminal": "leopoldsburg-rail-terminal"}, {"terminal": "leopoldsburg-rail-terminal"}]})");
    CHECK(error_of(terminal).path() == "rail.terminals[1].terminal");
    auto short_train = minimal();
    short_train["rail"] = json::parse(R"({"max_train_length_m": 30})");  // 20 m locomotive + 20 m wagon
    CHECK(error_of(short_train).path() == "rail");
    // Untrusted sizes: a serial of 10,001 item lines is refused before any is read.
    auto many = minimal();
    many["serials"][0]["items"] = json::array();
    for (int i = 0; i < 10001; ++i) many["serials"][0]["items"].push_back(json::object());
    CHECK(std::string(error_of(many).what()) == "serials[0].items: holds 10001 entries (at most 10000)");
    // Hostile nesting is refused while parsing, at the 64th level.
    const auto deep = error_of("{\"serials\": " + std::string(100000, '[') + std::string(100000, ']') + "}");
    std::string deep_path = "serials";  // the root object, then 63 arrays: the 64th level is refused
    for (int i = 0; i < 63; ++i) deep_path += "[0]";
    CHECK(deep.path() == deep_path);
    CHECK(std::string(deep.what()).find("nested deeper than 64 levels") != std::string::npos);
    auto empty = minimal();
    empty["serials"][0]["items"] = json::array();
    CHECK(std::string(error_of(empty).what()) == "serials[0].items: must hold at least 1 entry");
}

namespace {
// Reads `text`: true if it reads, false on a DeploymentError; any other exception (a
// nlohmann type_error, std::out_of_range...) fails the test, since the reader must turn
// every bad input into an error naming where.
bool reads(const std::string& text) {
    try {
        read_deployment(text, catalogue());
        return true;
    } catch (const DeploymentError&) {
        return false;
    } catch (const std::exception& e) {
        FAIL("not a DeploymentError: " << e.what() << " for " << text.substr(0, 200));
    }
    return false;
}

// Every scalar and container of `j`, with the JSON pointer reaching it.
void leaves(const json& j, const json::json_pointer& at, std::vector<json::json_pointer>& out) {
    out.push_back(at);
    if (j.is_object())
        for (const auto& [k, v] : j.items()) leaves(v, at / k, out);
    else if (j.is_array())
        for (std::size_t i = 0; i < j.size(); ++i) leaves(j[i], at / i, out);
}
}  // namespace

TEST_CASE("deployment: mutated files give a DeploymentError, never another exception", "[hns][deployment]") {
    // Every value of a full example replaced by each JSON type and by hostile numbers.
    const auto text = slurp(MP_SOURCE_DIR "/examples/deployments/belgian-battlegroup-outbound.json");
    const auto base = json::parse(text);
    std::vector<json::json_pointer> at;
    leaves(base, json::json_pointer(), at);
    const json replacements[] = {nullptr,
                                 true,
                                 0,
                                 -1,
                                 2.5,
                                 1e300,
                                 -1e300,
                                 4294967296,
                                 "",
                                 "x",
                                 json::array(),
                                 json::object(),
                                 "2027-11-10",
                                 json::array({1})};
    int refused = 0, total = 0;
    for (const auto& p : at)
        for (const auto& r : replacements) {
            auto j = base;
            j[p] = r;
            ++total;
            if (!reads(j.dump())) ++refused;
        }
    // Most replacements break a rule; some are harmless (a reason text "x", a dwell of 0).
    CHECK(refused > total / 2);
    // Truncated at every 13th byte: all refused but the whole file.
    for (std::size_t n = 0; n + 2 < text.size(); n += 13) CHECK_FALSE(reads(text.substr(0, n)));
    CHECK(reads(text));
}

TEST_CASE("deployment: the examples validate against the JSON schema", "[hns][deployment]") {
    if (std::system("python3 -c 'import jsonschema' >/dev/null 2>&1") != 0) {
        WARN("SKIPPED: python3 with the jsonschema module is not available");
        return;
    }
    const std::string dir = MP_SOURCE_DIR;
    // A file the schema must refuse (an unknown top-level key), so that a schema which
    // accepts everything cannot pass.
    auto bad = minimal();
    bad["notes"] = "x";
    const std::string bad_path = MP_BINARY_DIR "/test_hns_deployment_bad.json";
    std::ofstream(bad_path) << bad.dump();
    const std::string good_path = MP_BINARY_DIR "/test_hns_deployment_minimal.json";
    std::ofstream(good_path) << minimal().dump();
    const std::string script =
        "import json, sys, jsonschema\n"
        "schema = json.load(open(sys.argv[1]))\n"
        "jsonschema.Draft202012Validator.check_schema(schema)\n"
        "v = jsonschema.Draft202012Validator(schema)\n"
        "for f in sys.argv[2:-1]:\n"
        "    v.validate(json.load(open(f)))\n"
        "errors = list(v.iter_errors(json.load(open(sys.argv[-1]))))\n"
        "sys.exit(0 if errors else 3)\n";
    const std::string script_path = MP_BINARY_DIR "/test_hns_deployment_schema.py";
    std::ofstream(script_path) << script;
    const std::string cmd = "python3 " + script_path + " " + dir + "/schemas/hns-deployment.schema.json " + dir +
                            "/examples/deployments/us-abct-antwerp-zeebrugge.json " + dir +
                            "/examples/deployments/multinational-brigade-10-days.json " + dir +
                            "/examples/deployments/belgian-battlegroup-outbound.json " + good_path + " " + bad_path;
    CHECK(std::system(cmd.c_str()) == 0);
}
