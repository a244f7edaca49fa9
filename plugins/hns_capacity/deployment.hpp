// SPDX-License-Identifier: MIT
// The deployment file of hns-capacity 2 (docs/hns-deployment.md, schema in
// schemas/hns-deployment.schema.json): serials with required delivery dates, the lift
// that brings them (ships, flights, trains, road columns with arrival times),
// capacity overrides and calendar exceptions, rail and road settings, border crossings
// with their clearance lead times, and life support figures. Plain C++ (nlohmann-json
// for reading), no SDK: the plugin, the tests and the benches read it alike.
//
// Every key, site, class and serial reference is checked: an unknown one is a
// DeploymentError naming its JSON path ("serials[3].items[0].class: unknown class
// 'tank' (tracked, wheeled, container, pax)"), never silently ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace hns {

/// A point in time: seconds since 1970-01-01T00:00:00Z (UTC, no leap seconds).
using Time = std::int64_t;

/// "2027-03-01T06:00:00Z" (also "...+01:00" offsets, "2027-03-01T06:00Z" and a plain
/// date "2027-03-01" for midnight UTC); nullopt when it is not ISO 8601.
std::optional<Time> parse_iso8601(const std::string& text);
/// "2027-03-01T06:00:00Z".
std::string format_iso8601(Time t);

/// A bad deployment file: `path` is the JSON path of the offending value ("" for the
/// whole file), what() says "<path>: <message>".
class DeploymentError : public std::runtime_error {
public:
    DeploymentError(std::string path, const std::string& message)
        : std::runtime_error(path.empty() ? message : path + ": " + message), path_(std::move(path)) {}
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

enum class ItemClass { Tracked, Wheeled, Container, Pax };
enum class Onward { Rail, Road, Any };
enum class LiftMode { Sea, Air, Rail, Road };

const char* to_string(ItemClass c);  ///< "tracked", "wheeled", "container", "pax"
const char* to_string(Onward o);     ///< "rail", "road", "any"
const char* to_string(LiftMode m);   ///< "sea", "air", "rail", "road"

/// One line of a serial's equipment: `count` items alike. For pax, count is persons and
/// the dimensions are unused.
struct Item {
    ItemClass cls = ItemClass::Wheeled;
    int count = 0;
    double mass_t = 0;  ///< per item
    double length_m = 0, width_m = 0, height_m = 0;
    double mlc = 0;  ///< NATO military load class (0: not given)
};

/// A serial: the unit of movement planning (a company, a battery), with its required
/// delivery date at its destination.
struct Serial {
    std::string id, nation;
    int priority = 1;         ///< 1 highest
    Time rdd = 0;             ///< required delivery date at the destination
    std::string destination;  ///< a site id or a border crossing
    Onward onward = Onward::Any;
    double dwell_h = 0;   ///< hours in staging (marry-up, preparation) before it may move on
    std::string staging;  ///< a staging or training area; "" lets the plan choose
    std::vector<Item> items;

    int vehicles() const;  ///< tracked + wheeled items
    int containers() const;
    int pax() const;
    double mass_t() const;  ///< everything but pax
};

/// A ship, a flight, a train or a road column bringing serials to an entry site (a port,
/// an airbase, a rail terminal or, for a sending nation, a home station).
struct Lift {
    std::string id;
    LiftMode mode = LiftMode::Sea;
    std::string at;  ///< entry site id
    Time eta = 0;
    double eta_spread_h = 0;  ///< uncertainty: the ETA is ETA +/- this (Monte Carlo)
    std::vector<std::string> serials;
};

/// capacity[]: replaces a catalogue capacity of a site for the whole horizon.
struct CapacityOverride {
    std::string site, key;
    double value = 0;
};

/// calendar[]: a capacity of a site between two times (a berth closed: value 0).
struct CalendarException {
    std::string site, key;
    Time from = 0, to = 0;  ///< [from, to)
    double value = 0;
    std::string reason;
};

struct Wagon {
    double length_m = 20;   ///< over buffers
    double payload_t = 80;  ///< the heaviest item it carries (an M1A2 SEPv3 is about 74 t)
    double tare_t = 25;
};

/// rail: how trains are made up at a terminal. One wagon carries one tracked or wheeled
/// item up to its payload; containers two to a wagon (a 40 ft wagon); the wagon fleet is
/// finite and each wagon comes back after its turnaround.
struct RailSettings {
    double max_train_length_m = 740;  ///< including the locomotive
    double max_train_mass_t = 1600;   ///< trailing load (wagons and their loads)
    double locomotive_length_m = 20;
    int paths_per_day = 4;  ///< train paths out of the terminal per day
    int wagons_available = 100;
    double wagon_turnaround_h = 48;
    Wagon wagon;
};

/// road: convoys out of a staging area.
struct RoadSettings {
    double march_units_per_hour = 2;
    int vehicles_per_march_unit = 25;
};

struct Border {
    std::string site;       ///< a border crossing
    int slots_per_day = 4;  ///< march units (road) or trains (rail) a day
    int clearance_lead_working_days = 5;
};

/// The working calendar movement requests are dated by: weekends and Belgian public
/// holidays (the ten legal ones), plus any extra days off.
struct WorkingCalendar {
    bool belgian_holidays = true;
    std::vector<int> weekend{6, 0};    ///< days of the week off: 0 Sunday ... 6 Saturday
    std::vector<Time> extra_days_off;  ///< midnights UTC
};

/// life_support: what a person or a vehicle needs a day.
struct LifeSupport {
    double beds_per_person = 1;
    double meals_per_person_day = 3;
    double water_l_per_person_day = 20;
    double fuel_l_per_vehicle_day = 200;
};

struct Deployment {
    int format_version = 1;
    Time start = 0;  ///< C-day 0, 00:00 of it
    double step_h = 1;
    int horizon_days = 30;
    std::vector<Serial> serials;
    std::vector<Lift> lift;
    std::vector<CapacityOverride> capacity;
    std::vector<CalendarException> calendar;
    RailSettings rail;                                  ///< the defaults
    std::map<std::string, RailSettings> rail_terminal;  ///< per terminal: the defaults with its overrides applied
    RoadSettings road;
    std::map<std::string, RoadSettings> road_site;  ///< per staging area, overrides applied
    std::vector<Border> borders;
    WorkingCalendar working_calendar;
    LifeSupport life_support;

    Time end() const { return start + static_cast<Time>(horizon_days) * 86400; }
    /// The rail settings of a terminal (its own, else the defaults).
    const RailSettings& rail_at(const std::string& terminal) const;
    const RoadSettings& road_at(const std::string& site) const;
    const Serial* serial(const std::string& id) const;
};

/// The sites a deployment may name: id -> kind as the site catalogue has it ("port",
/// "airbase", "rail_terminal", "staging_area", "training_area", "border_crossing", ...).
using SiteKinds = std::map<std::string, std::string>;

/// Reads and checks a deployment file's text. Throws
/// DeploymentError naming the JSON path of the first problem: a syntax error (with line
/// and column), a missing or unknown key, a wrong type or range, an unknown site or a
/// site of the wrong kind, an unknown class, a lift naming an unknown serial, a serial
/// carried by no lift or by two.
Deployment read_deployment(const std::string& text, const SiteKinds& sites);

}  // namespace hns
