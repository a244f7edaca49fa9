// SPDX-License-Identifier: MIT
// The deployment file reader of hns-capacity 2 (deployment.hpp, docs/hns-deployment.md).
//
// The reader walks the parsed JSON by hand rather than through nlohmann's from_json:
// every value is reached through a path ("serials[2].items[0].class") so that each
// error can name where it is, and every object's keys are checked against the ones it
// accepts so that a misspelt key is an error instead of a silently used default.
#include "deployment.hpp"

#include "calendar.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <set>
#include <utility>

namespace hns {

namespace {

using nlohmann::json;

// Civil dates: calendar.hpp's days_from_civil / civil_from_days (one implementation for
// the reader, the clearance calendar and the schedule).
using detail::Civil;
using detail::civil_from_days;
using detail::days_from_civil;

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned days_in_month(std::int64_t y, unsigned m) {
    static const unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && leap(y) ? 29 : days[m - 1];
}

// Floor division, so that times before 1970 format as the day they fall in.
std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Reads exactly `n` decimal digits at `pos`; false if any is not a digit.
bool digits(const std::string& s, std::size_t& pos, std::size_t n, unsigned& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return false;
        out = out * 10 + static_cast<unsigned>(c - '0');
    }
    pos += n;
    return true;
}

// The largest arrays a file may hold: far beyond any real deployment (a corps is a few
// thousand serials), small enough that a hostile file cannot make the reader allocate
// without bound. Items per serial and the count of one item line are capped so that a
// serial's totals (vehicles(), pax()) stay well inside an int.
constexpr std::size_t kMaxEntries = 100000;
constexpr std::size_t kMaxItemsPerSerial = 10000;
constexpr std::int64_t kMaxCount = 100000;

const char* const kClasses = "tracked, wheeled, container, pax";

std::string index_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }
std::string key_path(const std::string& path, const std::string& key) { return path.empty() ? key : path + "." + key; }

std::string join(const std::vector<std::string>& words) {
    std::string out;
    for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
    return out;
}

std::string type_name(const json& j) {
    if (j.is_number_integer()) return "an integer";
    if (j.is_number_float()) return "a number";
    if (j.is_string()) return "a string";
    if (j.is_boolean()) return "a boolean";
    if (j.is_array()) return "an array";
    if (j.is_object()) return "an object";
    return "null";
}

[[noreturn]] void fail(const std::string& path, const std::string& message) { throw DeploymentError(path, message); }

[[noreturn]] void wrong_type(const std::string& path, const char* expected, const json& j) {
    fail(path, std::string("expected ") + expected + ", got " + type_name(j));
}

std::string in_quotes(const std::string& s) { return "'" + s + "'"; }

// A number as a message shows it: integers without a decimal point.
std::string show(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

// An object whose keys are checked against the accepted ones on construction; the
// getters then read keys by name, each with its own path.
class Obj {
public:
    Obj(const json& j, std::string path, std::vector<std::string> accepted) : j_(j), path_(std::move(path)) {
        if (!j.is_object()) wrong_type(path_, "an object", j);
        for (const auto& [key, value] : j.items()) {
            (void)value;
            if (std::find(accepted.begin(), accepted.end(), key) == accepted.end())
                fail(key_path(path_, key), "unknown key " + in_quotes(key) + " (accepted: " + join(accepted) + ")");
        }
    }

    const std::string& path() const { return path_; }
    std::string at(const std::string& key) const { return key_path(path_, key); }
    bool has(const std::string& key) const { return j_.contains(key); }

    const json& required(const std::string& key) const {
        const auto it = j_.find(key);
        if (it == j_.end()) fail(at(key), "missing required key");
        return *it;
    }

    // A finite number in [lo, hi] (lo excluded when `lo_open`).
    double number(const std::string& key, double lo, double hi, bool lo_open = false) const {
        return number_of(required(key), at(key), lo, hi, lo_open);
    }
    double number_or(const std::string& key, double fallback, double lo, double hi, bool lo_open = false) const {
        return has(key) ? number(key, lo, hi, lo_open) : fallback;
    }
    int integer(const std::string& key, std::int64_t lo, std::int64_t hi) const {
        return integer_of(required(key), at(key), lo, hi);
    }
    int integer_or(const std::string& key, int fallback, std::int64_t lo, std::int64_t hi) const {
        return has(key) ? integer(key, lo, hi) : fallback;
    }
    std::string string(const std::string& key) const {
        const json& v = required(key);
        if (!v.is_string()) wrong_type(at(key), "a string", v);
        auto s = v.get<std::string>();
        if (s.empty()) fail(at(key), "must not be empty");
        return s;
    }
    std::string string_or(const std::string& key, const std::string& fallback) const {
        if (!has(key)) return fallback;
        const json& v = j_.at(key);
        if (!v.is_string()) wrong_type(at(key), "a string", v);
        return v.get<std::string>();
    }
    bool boolean_or(const std::string& key, bool fallback) const {
        if (!has(key)) return fallback;
        const json& v = j_.at(key);
        if (!v.is_boolean()) wrong_type(at(key), "a boolean", v);
        return v.get<bool>();
    }
    Time time(const std::string& key) const {
        const auto text = string(key);
        const auto t = parse_iso8601(text);
        if (!t)
            fail(at(key), "not an ISO 8601 time: " + in_quotes(text) +
                              " (e.g. 2027-03-01T06:00:00Z, 2027-03-01T07:00:00+01:00 or 2027-03-01)");
        return *t;
    }
    // An array of at most `max` entries (at least `min`).
    const json& array(const std::string& key, std::size_t min, std::size_t max = kMaxEntries) const {
        return array_of(required(key), at(key), min, max);
    }

    static double number_of(const json& v, const std::string& path, double lo, double hi, bool lo_open) {
        if (!v.is_number()) wrong_type(path, "a number", v);
        const double x = v.get<double>();
        if (!std::isfinite(x)) fail(path, "not a finite number");
        if (lo_open ? !(x > lo) : !(x >= lo))
            fail(path, show(x) + " is out of range (must be " + (lo_open ? "> " : ">= ") + show(lo) + ")");
        if (x > hi) fail(path, show(x) + " is out of range (must be <= " + show(hi) + ")");
        return x;
    }

    static int integer_of(const json& v, const std::string& path, std::int64_t lo, std::int64_t hi) {
        if (!v.is_number()) wrong_type(path, "an integer", v);
        std::int64_t n = 0;
        if (v.is_number_unsigned()) {
            // Unsigned values beyond int64 must not wrap into range.
            const auto u = v.get<std::uint64_t>();
            if (u > static_cast<std::uint64_t>(hi))
                fail(path, std::to_string(u) + " is out of range (must be " + std::to_string(lo) + ".." +
                               std::to_string(hi) + ")");
            n = static_cast<std::int64_t>(u);
        } else if (v.is_number_integer()) {
            n = v.get<std::int64_t>();
        } else {
            // JSON has one number type: 3.0 is the integer 3 (as JSON Schema's "integer"
            // has it), 2.5 is not an integer.
            const double x = v.get<double>();
            if (!std::isfinite(x)) fail(path, "not a finite number");
            if (std::floor(x) != x) fail(path, show(x) + " is not an integer");
            if (x < static_cast<double>(lo) || x > static_cast<double>(hi))
                fail(path,
                     show(x) + " is out of range (must be " + std::to_string(lo) + ".." + std::to_string(hi) + ")");
            n = static_cast<std::int64_t>(x);
        }
        if (n < lo || n > hi)
            fail(path, std::to_string(n) + " is out of range (must be " + std::to_string(lo) + ".." +
                           std::to_string(hi) + ")");
        return static_cast<int>(n);
    }

    static const json& array_of(const json& v, const std::string& path, std::size_t min, std::size_t max) {
        if (!v.is_array()) wrong_type(path, "an array", v);
        if (v.size() < min)
            fail(path, "must hold at least " + std::to_string(min) + " entr" + (min == 1 ? "y" : "ies"));
        if (v.size() > max)
            fail(path, "holds " + std::to_string(v.size()) + " entries (at most " + std::to_string(max) + ")");
        return v;
    }

private:
    const json& j_;
    std::string path_;
};

constexpr int kIntMax = std::numeric_limits<int>::max();

// The capacity keys of each site kind: the ones the site catalogue carries and the model
// uses. A capacity override or calendar exception of another key would change nothing,
// so it is refused.
const std::vector<std::string>* capacity_keys(const std::string& kind) {
    static const std::map<std::string, std::vector<std::string>> keys = {
        {"port", {"berths", "roro_ramps", "vehicles_per_day"}},
        {"airbase", {"mog_wide_body", "mog_narrow_body", "cargo_t_per_day", "pax_per_day"}},
        {"rail_terminal", {"loading_ramps", "trains_per_day", "max_train_length_m"}},
        {"staging_area", {"beds", "vehicle_parking"}},
        {"training_area", {"beds", "vehicle_parking"}},
        {"border_crossing", {"slots_per_day"}},
    };
    const auto it = keys.find(kind);
    return it == keys.end() ? nullptr : &it->second;
}

class Reader {
public:
    explicit Reader(const SiteKinds& sites) : sites_(sites) {}

    Deployment read(const json& root) {
        const Obj top(root, "",
                      {"format_version", "start", "step_h", "horizon_days", "serials", "lift", "capacity", "calendar",
                       "rail", "road", "borders", "working_calendar", "life_support"});
        Deployment d;
        const json& version = top.required("format_version");
        if (!version.is_number()) wrong_type("format_version", "an integer", version);
        if (version.get<double>() != 1)  // 1.0 is 1, as for every integer of the file
            fail("format_version", "unsupported version " + version.dump() + " (this reader knows 1)");
        d.format_version = 1;
        d.start = top.time("start");
        d.step_h = top.number_or("step_h", 1, 0, 24, true);
        d.horizon_days = top.integer_or("horizon_days", 30, 1, 120);

        const json& serials = top.array("serials", 1);
        for (std::size_t i = 0; i < serials.size(); ++i)
            d.serials.push_back(read_serial(serials[i], index_path("serials", i), d));
        const json& lift = top.array("lift", 1);
        for (std::size_t i = 0; i < lift.size(); ++i) d.lift.push_back(read_lift(lift[i], index_path("lift", i), d));
        check_carriage(d);

        if (top.has("capacity")) {
            const json& a = top.array("capacity", 0);
            std::set<std::pair<std::string, std::string>> seen;
            for (std::size_t i = 0; i < a.size(); ++i) {
                const auto path = index_path("capacity", i);
                const Obj o(a[i], path, {"site", "key", "value"});
                CapacityOverride c;
                c.site = site(o, "site", nullptr);
                c.key = capacity_key(o, c.site);
                c.value = o.number("value", 0, 1e12);
                if (!seen.insert({c.site, c.key}).second)
                    fail(path, "a second override of " + c.site + " " + c.key + " (one per site and key)");
                d.capacity.push_back(c);
            }
        }
        if (top.has("calendar")) {
            const json& a = top.array("calendar", 0);
            for (std::size_t i = 0; i < a.size(); ++i) {
                const Obj o(a[i], index_path("calendar", i), {"site", "key", "from", "to", "value", "reason"});
                CalendarException c;
                c.site = site(o, "site", nullptr);
                c.key = capacity_key(o, c.site);
                c.from = o.time("from");
                c.to = o.time("to");
                if (c.to <= c.from)
                    fail(o.at("to"), format_iso8601(c.to) + " is not after from (" + format_iso8601(c.from) + ")");
                c.value = o.number("value", 0, 1e12);
                c.reason = o.string_or("reason", "");
                d.calendar.push_back(c);
            }
        }
        if (top.has("rail")) read_rail(top.required("rail"), d);
        if (top.has("road")) read_road(top.required("road"), d);
        if (top.has("borders")) {
            const json& a = top.array("borders", 0);
            std::set<std::string> seen;
            for (std::size_t i = 0; i < a.size(); ++i) {
                const Obj o(a[i], index_path("borders", i), {"site", "slots_per_day", "clearance_lead_working_days"});
                Border b;
                static const std::vector<std::string> kinds{"border_crossing"};
                b.site = site(o, "site", &kinds);
                if (!seen.insert(b.site).second)
                    fail(o.at("site"), "border crossing " + in_quotes(b.site) + " given twice");
                b.slots_per_day = o.integer_or("slots_per_day", b.slots_per_day, 0, 10000);
                b.clearance_lead_working_days =
                    o.integer_or("clearance_lead_working_days", b.clearance_lead_working_days, 0, 365);
                d.borders.push_back(b);
            }
        }
        if (top.has("working_calendar")) read_working_calendar(top.required("working_calendar"), d.working_calendar);
        if (top.has("life_support")) {
            const Obj o(
                top.required("life_support"), "life_support",
                {"beds_per_person", "meals_per_person_day", "water_l_per_person_day", "fuel_l_per_vehicle_day"});
            auto& l = d.life_support;
            l.beds_per_person = o.number_or("beds_per_person", l.beds_per_person, 0, 100);
            l.meals_per_person_day = o.number_or("meals_per_person_day", l.meals_per_person_day, 0, 100);
            l.water_l_per_person_day = o.number_or("water_l_per_person_day", l.water_l_per_person_day, 0, 10000);
            l.fuel_l_per_vehicle_day = o.number_or("fuel_l_per_vehicle_day", l.fuel_l_per_vehicle_day, 0, 100000);
        }
        return d;
    }

private:
    // A site id of the catalogue, of one of `kinds` (any kind when null).
    std::string site(const Obj& o, const std::string& key, const std::vector<std::string>* kinds) const {
        const auto id = o.string(key);
        const auto it = sites_.find(id);
        if (it == sites_.end()) fail(o.at(key), "unknown site " + in_quotes(id) + " (not in the site catalogue)");
        if (kinds && std::find(kinds->begin(), kinds->end(), it->second) == kinds->end())
            fail(o.at(key), "site " + in_quotes(id) + " is of kind " + it->second + ", expected " + join(*kinds));
        return id;
    }

    std::string capacity_key(const Obj& o, const std::string& site_id) const {
        const auto key = o.string("key");
        const auto& kind = sites_.at(site_id);
        const auto* keys = capacity_keys(kind);
        if (!keys)
            fail(o.at("key"), "site " + in_quotes(site_id) + " is of kind " + kind + ", which has no capacity keys");
        if (std::find(keys->begin(), keys->end(), key) == keys->end())
            fail(o.at("key"),
                 "unknown capacity key " + in_quotes(key) + " for kind " + kind + " (" + join(*keys) + ")");
        return key;
    }

    Time time_in_horizon(const Obj& o, const std::string& key, const Deployment& d) const {
        const Time t = o.time(key);
        if (t < d.start || t >= d.end())
            fail(o.at(key), format_iso8601(t) + " is outside the horizon [" + format_iso8601(d.start) + ", " +
                                format_iso8601(d.end()) + ")");
        return t;
    }

    Serial read_serial(const json& j, const std::string& path, const Deployment& d) {
        const Obj o(j, path,
                    {"id", "nation", "priority", "rdd", "destination", "onward", "dwell_h", "staging", "items"});
        Serial s;
        s.id = o.string("id");
        if (!serial_index_.emplace(s.id, d.serials.size()).second)
            fail(o.at("id"), "duplicate serial id " + in_quotes(s.id));
        s.nation = o.string("nation");
        s.priority = o.integer_or("priority", 1, 1, 1000000);
        s.rdd = o.time("rdd");
        if (s.rdd < d.start)
            fail(o.at("rdd"), format_iso8601(s.rdd) + " is before start (" + format_iso8601(d.start) + ")");
        s.destination = site(o, "destination", nullptr);
        if (o.has("onward")) {
            const auto w = o.string("onward");
            if (w == "rail") s.onward = Onward::Rail;
            else if (w == "road") s.onward = Onward::Road;
            else if (w == "any") s.onward = Onward::Any;
            else fail(o.at("onward"), "unknown onward mode " + in_quotes(w) + " (rail, road, any)");
        }
        s.dwell_h = o.number_or("dwell_h", 0, 0, 24.0 * 365);
        if (o.has("staging")) {
            static const std::vector<std::string> kinds{"staging_area", "training_area"};
            s.staging = site(o, "staging", &kinds);
        }
        const json& items = o.array("items", 1, kMaxItemsPerSerial);
        for (std::size_t i = 0; i < items.size(); ++i)
            s.items.push_back(read_item(items[i], index_path(o.at("items"), i)));
        return s;
    }

    static Item read_item(const json& j, const std::string& path) {
        const Obj o(j, path, {"class", "count", "mass_t", "length_m", "width_m", "height_m", "mlc"});
        Item it;
        const auto c = o.string("class");
        if (c == "tracked") it.cls = ItemClass::Tracked;
        else if (c == "wheeled") it.cls = ItemClass::Wheeled;
        else if (c == "container") it.cls = ItemClass::Container;
        else if (c == "pax") it.cls = ItemClass::Pax;
        else fail(o.at("class"), "unknown class " + in_quotes(c) + " (" + kClasses + ")");
        it.count = o.integer("count", 1, kMaxCount);
        if (it.cls == ItemClass::Pax) {
            // A person's dimensions do not enter any capacity; they may be given (a
            // generic item table) but are only checked for sanity.
            it.mass_t = o.number_or("mass_t", 0, 0, 1);
            it.length_m = o.number_or("length_m", 0, 0, 10);
            it.width_m = o.number_or("width_m", 0, 0, 10);
            it.height_m = o.number_or("height_m", 0, 0, 10);
        } else {
            // Bounds well above the largest military loads (a tank transporter with its
            // tank: ~110 t, ~20 m) catch unit mistakes (kg for t, cm for m).
            it.mass_t = o.number("mass_t", 0, 500, true);
            it.length_m = o.number("length_m", 0, 50, true);
            it.width_m = o.number("width_m", 0, 10, true);
            it.height_m = o.number("height_m", 0, 10, true);
        }
        it.mlc = o.number_or("mlc", 0, 0, 200);
        return it;
    }

    Lift read_lift(const json& j, const std::string& path, const Deployment& d) {
        const Obj o(j, path, {"id", "mode", "at", "eta", "eta_spread_h", "serials"});
        Lift l;
        l.id = o.string("id");
        if (!lift_ids_.insert(l.id).second) fail(o.at("id"), "duplicate lift id " + in_quotes(l.id));
        const auto mode = o.string("mode");
        static const std::vector<std::string> port{"port"}, airbase{"airbase"}, terminal{"rail_terminal"};
        const std::vector<std::string>* kinds = nullptr;
        if (mode == "sea") l.mode = LiftMode::Sea, kinds = &port;
        else if (mode == "air") l.mode = LiftMode::Air, kinds = &airbase;
        else if (mode == "rail") l.mode = LiftMode::Rail, kinds = &terminal;
        else if (mode == "road") l.mode = LiftMode::Road;  // a home station: any site
        else fail(o.at("mode"), "unknown lift mode " + in_quotes(mode) + " (sea, air, rail, road)");
        l.at = site(o, "at", kinds);
        l.eta = time_in_horizon(o, "eta", d);
        l.eta_spread_h = o.number_or("eta_spread_h", 0, 0, 24.0 * 30);
        const json& serials = o.array("serials", 1);
        for (std::size_t i = 0; i < serials.size(); ++i) {
            const auto spath = index_path(o.at("serials"), i);
            if (!serials[i].is_string()) wrong_type(spath, "a serial id (string)", serials[i]);
            auto id = serials[i].get<std::string>();
            if (serial_index_.find(id) == serial_index_.end()) fail(spath, "unknown serial " + in_quotes(id));
            // One surface lift (its cargo, and its people unless they fly) and one air
            // lift (its people, when they fly in apart from their vehicles) at most.
            const bool air = l.mode == LiftMode::Air;
            auto& by = air ? carried_by_air_ : carried_by_;
            const auto [it, fresh] = by.emplace(id, spath);
            if (!fresh)
                fail(spath, "serial " + in_quotes(id) + " is already carried by " + (air ? "an air" : "a surface") +
                                " lift at " + it->second);
            l.serials.push_back(std::move(id));
        }
        return l;
    }

    void check_carriage(const Deployment& d) const {
        for (std::size_t i = 0; i < d.serials.size(); ++i)
            if (carried_by_.find(d.serials[i].id) == carried_by_.end() &&
                carried_by_air_.find(d.serials[i].id) == carried_by_air_.end())
                fail(index_path("serials", i), "serial " + in_quotes(d.serials[i].id) + " is carried by no lift");
    }

    // The rail keys of `o` applied over `r` (a terminal's entry over the defaults).
    static void rail_keys(const Obj& o, RailSettings& r) {
        r.max_train_length_m = o.number_or("max_train_length_m", r.max_train_length_m, 0, 3000, true);
        r.max_train_mass_t = o.number_or("max_train_mass_t", r.max_train_mass_t, 0, 20000, true);
        r.locomotive_length_m = o.number_or("locomotive_length_m", r.locomotive_length_m, 0, 100);
        r.paths_per_day = o.integer_or("paths_per_day", r.paths_per_day, 0, 1000);
        r.wagons_available = o.integer_or("wagons_available", r.wagons_available, 0, 1000000);
        r.wagon_turnaround_h = o.number_or("wagon_turnaround_h", r.wagon_turnaround_h, 0, 24.0 * 120, true);
        if (o.has("wagon")) {
            const Obj w(o.required("wagon"), o.at("wagon"), {"length_m", "payload_t", "tare_t"});
            r.wagon.length_m = w.number_or("length_m", r.wagon.length_m, 0, 100, true);
            r.wagon.payload_t = w.number_or("payload_t", r.wagon.payload_t, 0, 500, true);
            r.wagon.tare_t = w.number_or("tare_t", r.wagon.tare_t, 0, 200);
        }
        // A train must hold at least one loaded wagon, else the terminal can never
        // dispatch anything and the plan would silently route everything by road.
        if (r.locomotive_length_m + r.wagon.length_m > r.max_train_length_m)
            fail(o.path(), "a train of " + show(r.max_train_length_m) + " m cannot hold its locomotive (" +
                               show(r.locomotive_length_m) + " m) and one wagon (" + show(r.wagon.length_m) + " m)");
        if (r.wagon.tare_t + r.wagon.payload_t > r.max_train_mass_t)
            fail(o.path(), "a train of " + show(r.max_train_mass_t) + " t cannot hold one loaded wagon (" +
                               show(r.wagon.tare_t + r.wagon.payload_t) + " t)");
    }

    void read_rail(const json& j, Deployment& d) const {
        static const std::vector<std::string> keys{"max_train_length_m",
                                                   "max_train_mass_t",
                                                   "locomotive_length_m",
                                                   "paths_per_day",
                                                   "wagons_available",
                                                   "wagon_turnaround_h",
                                                   "wagon"};
        auto top_keys = keys;
        top_keys.push_back("terminals");
        const Obj o(j, "rail", top_keys);
        rail_keys(o, d.rail);
        if (!o.has("terminals")) return;
        const json& a = o.array("terminals", 0);
        auto entry_keys = keys;
        entry_keys.insert(entry_keys.begin(), "terminal");
        static const std::vector<std::string> kinds{"rail_terminal"};
        for (std::size_t i = 0; i < a.size(); ++i) {
            const Obj t(a[i], index_path(o.at("terminals"), i), entry_keys);
            const auto id = site(t, "terminal", &kinds);
            RailSettings r = d.rail;
            rail_keys(t, r);
            if (!d.rail_terminal.emplace(id, r).second)
                fail(t.at("terminal"), "rail terminal " + in_quotes(id) + " given twice");
        }
    }

    static void road_keys(const Obj& o, RoadSettings& r) {
        r.march_units_per_hour = o.number_or("march_units_per_hour", r.march_units_per_hour, 0, 60, true);
        r.vehicles_per_march_unit = o.integer_or("vehicles_per_march_unit", r.vehicles_per_march_unit, 1, 1000);
    }

    void read_road(const json& j, Deployment& d) const {
        const Obj o(j, "road", {"march_units_per_hour", "vehicles_per_march_unit", "sites"});
        road_keys(o, d.road);
        if (!o.has("sites")) return;
        const json& a = o.array("sites", 0);
        for (std::size_t i = 0; i < a.size(); ++i) {
            const Obj s(a[i], index_path(o.at("sites"), i),
                        {"site", "march_units_per_hour", "vehicles_per_march_unit"});
            // Any catalogue site: convoys leave staging areas mostly, but also ports (direct
            // onward movement) and, for a sending nation, its home station.
            const auto id = site(s, "site", nullptr);
            RoadSettings r = d.road;
            road_keys(s, r);
            if (!d.road_site.emplace(id, r).second) fail(s.at("site"), "road site " + in_quotes(id) + " given twice");
        }
    }

    static void read_working_calendar(const json& j, WorkingCalendar& w) {
        const Obj o(j, "working_calendar", {"belgian_holidays", "weekend", "extra_days_off"});
        w.belgian_holidays = o.boolean_or("belgian_holidays", w.belgian_holidays);
        if (o.has("weekend")) {
            static const char* const names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
            const json& a = o.array("weekend", 0, 7);
            w.weekend.clear();
            for (std::size_t i = 0; i < a.size(); ++i) {
                const auto path = index_path(o.at("weekend"), i);
                if (!a[i].is_string()) wrong_type(path, "a day name (string)", a[i]);
                const auto name = a[i].get<std::string>();
                int day = -1;
                for (int k = 0; k < 7; ++k)
                    if (name == names[k]) day = k;
                if (day < 0) fail(path, "unknown day " + in_quotes(name) + " (sun, mon, tue, wed, thu, fri, sat)");
                if (std::find(w.weekend.begin(), w.weekend.end(), day) != w.weekend.end())
                    fail(path, "day " + in_quotes(name) + " given twice");
                w.weekend.push_back(day);
            }
        }
        if (o.has("extra_days_off")) {
            const json& a = o.array("extra_days_off", 0);
            for (std::size_t i = 0; i < a.size(); ++i) {
                const auto path = index_path(o.at("extra_days_off"), i);
                if (!a[i].is_string()) wrong_type(path, "a date (string)", a[i]);
                const auto text = a[i].get<std::string>();
                // A day off is a whole calendar day: a date alone, not a time.
                const auto t = text.size() == 10 ? parse_iso8601(text) : std::nullopt;
                if (!t) fail(path, "not a date: " + in_quotes(text) + " (YYYY-MM-DD, e.g. 2027-03-04)");
                w.extra_days_off.push_back(*t);
            }
        }
    }

    const SiteKinds& sites_;
    std::map<std::string, std::size_t> serial_index_;
    std::set<std::string> lift_ids_;
    std::map<std::string, std::string> carried_by_;      // serial id -> path of the surface lift entry carrying it
    std::map<std::string, std::string> carried_by_air_;  // serial id -> path of the air lift entry carrying it
};

}  // namespace

std::optional<Time> parse_iso8601(const std::string& s) {
    std::size_t p = 0;
    unsigned year = 0, month = 0, day = 0;
    if (!digits(s, p, 4, year) || p >= s.size() || s[p++] != '-' || !digits(s, p, 2, month) || p >= s.size() ||
        s[p++] != '-' || !digits(s, p, 2, day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
    const std::int64_t days = days_from_civil(year, static_cast<int>(month), static_cast<int>(day));
    if (p == s.size()) return days * 86400;  // a plain date: midnight UTC

    unsigned hour = 0, minute = 0, second = 0;
    if (s[p++] != 'T' || !digits(s, p, 2, hour) || p >= s.size() || s[p++] != ':' || !digits(s, p, 2, minute))
        return std::nullopt;
    if (p < s.size() && s[p] == ':') {
        ++p;
        if (!digits(s, p, 2, second)) return std::nullopt;
        // Fractions of a second (machine-written files) are dropped: Time is whole seconds.
        if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
            ++p;
            const std::size_t first = p;
            while (p < s.size() && s[p] >= '0' && s[p] <= '9') ++p;
            if (p == first) return std::nullopt;
        }
    }
    // No 24:00 and no leap second 23:59:60: Time has no leap seconds and one spelling per instant.
    if (hour > 23 || minute > 59 || second > 59) return std::nullopt;
    // A time of day must say which zone it is in: a local time without an offset is
    // ambiguous across the allies' time zones, so it is refused rather than guessed.
    if (p >= s.size()) return std::nullopt;
    std::int64_t offset = 0;
    const char z = s[p++];
    if (z == 'Z') {
        if (p != s.size()) return std::nullopt;
    } else if (z == '+' || z == '-') {
        unsigned oh = 0, om = 0;
        if (!digits(s, p, 2, oh)) return std::nullopt;
        if (p < s.size()) {
            if (s[p] == ':') ++p;
            if (!digits(s, p, 2, om)) return std::nullopt;
        }
        if (p != s.size() || oh > 23 || om > 59) return std::nullopt;
        offset = (z == '+' ? 1 : -1) * static_cast<std::int64_t>(oh * 3600 + om * 60);
    } else {
        return std::nullopt;
    }
    // 07:00+01:00 is 06:00Z: subtract the offset.
    return days * 86400 + hour * 3600 + minute * 60 + second - offset;
}

std::string format_iso8601(Time t) {
    const std::int64_t days = floor_div(t, 86400);
    const std::int64_t secs = t - days * 86400;
    const Civil c = civil_from_days(days);
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02dZ", static_cast<long long>(c.year), c.month, c.day,
                  static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60));
    return buf;
}

const char* to_string(ItemClass c) {
    switch (c) {
        case ItemClass::Tracked: return "tracked";
        case ItemClass::Wheeled: return "wheeled";
        case ItemClass::Container: return "container";
        case ItemClass::Pax: return "pax";
    }
    return "?";
}

const char* to_string(Onward o) {
    switch (o) {
        case Onward::Rail: return "rail";
        case Onward::Road: return "road";
        case Onward::Any: return "any";
    }
    return "?";
}

const char* to_string(LiftMode m) {
    switch (m) {
        case LiftMode::Sea: return "sea";
        case LiftMode::Air: return "air";
        case LiftMode::Rail: return "rail";
        case LiftMode::Road: return "road";
    }
    return "?";
}

namespace {
// The sum of the counts of the items `pick` selects, clamped to an int (the reader caps
// counts, but a Serial may also be built by hand).
template <class Pick>
int count_of(const std::vector<Item>& items, Pick pick) {
    std::int64_t n = 0;
    for (const auto& it : items)
        if (pick(it.cls)) n += it.count;
    return static_cast<int>(std::min<std::int64_t>(n, kIntMax));
}
}  // namespace

int Serial::vehicles() const {
    return count_of(items, [](ItemClass c) { return c == ItemClass::Tracked || c == ItemClass::Wheeled; });
}
int Serial::containers() const {
    return count_of(items, [](ItemClass c) { return c == ItemClass::Container; });
}
int Serial::pax() const {
    return count_of(items, [](ItemClass c) { return c == ItemClass::Pax; });
}
double Serial::mass_t() const {
    double m = 0;
    for (const auto& it : items)
        if (it.cls != ItemClass::Pax) m += it.count * it.mass_t;
    return m;
}

const RailSettings& Deployment::rail_at(const std::string& terminal) const {
    const auto it = rail_terminal.find(terminal);
    return it == rail_terminal.end() ? rail : it->second;
}

const RoadSettings& Deployment::road_at(const std::string& site) const {
    const auto it = road_site.find(site);
    return it == road_site.end() ? road : it->second;
}

const Serial* Deployment::serial(const std::string& id) const {
    for (const auto& s : serials)
        if (s.id == id) return &s;
    return nullptr;
}

namespace {
// nlohmann keeps the last of two equal keys in an object without a word; in a
// hand-edited file a second "eta" is a mistake, so the parse callback refuses it. It
// tracks the path of the value being parsed so the error can name where.
class DuplicateKeys {
public:
    void on(json::parse_event_t event, const json& parsed) {
        using E = json::parse_event_t;
        switch (event) {
            case E::object_start:
            case E::array_start:
                // The format nests five levels deep; a file nesting thousands is hostile.
                if (stack_.size() >= kMaxDepth)
                    throw DeploymentError(path(), "nested deeper than " + std::to_string(kMaxDepth) + " levels");
                stack_.push_back(Frame{event == E::array_start, 0, {}, {}});
                break;
            case E::key: {
                auto& top = stack_.back();
                top.key = parsed.get<std::string>();
                if (!top.keys.insert(top.key).second)
                    throw DeploymentError(path(), "duplicate key " + in_quotes(top.key) + " (keys must be unique)");
                break;
            }
            case E::value: next(); break;
            case E::object_end:
            case E::array_end:
                stack_.pop_back();
                next();
                break;
        }
    }

private:
    struct Frame {
        bool array;
        std::size_t index;
        std::string key;
        std::set<std::string> keys;
    };
    // A value ended: the next one of an array has the next index.
    void next() {
        if (!stack_.empty() && stack_.back().array) ++stack_.back().index;
    }
    std::string path() const {
        std::string p;
        for (const auto& f : stack_) p = f.array ? index_path(p, f.index) : key_path(p, f.key);
        return p;
    }
    static constexpr std::size_t kMaxDepth = 64;
    std::vector<Frame> stack_;
};
}  // namespace

Deployment read_deployment(const std::string& text, const SiteKinds& sites) {
    json root;
    try {
        DuplicateKeys duplicates;
        root = json::parse(text, [&duplicates](int, json::parse_event_t event, json& parsed) {
            duplicates.on(event, parsed);
            return true;
        });
    } catch (const json::parse_error& e) {
        // nlohmann gives the byte position of the last character it read (1-based);
        // editors want the line and column of it.
        const std::size_t pos = std::min<std::size_t>(e.byte == 0 ? 0 : e.byte - 1, text.size());
        std::size_t line = 1, line_start = 0;
        for (std::size_t i = 0; i < pos; ++i)
            if (text[i] == '\n') ++line, line_start = i + 1;
        const std::size_t column = pos - line_start + 1;
        // Keep nlohmann's reason ("syntax error while parsing object - unexpected ...")
        // without its own prefix and position.
        std::string reason = e.what();
        const auto cut = reason.find(": ");
        if (cut != std::string::npos) reason = reason.substr(cut + 2);
        throw DeploymentError("", "JSON syntax error at line " + std::to_string(line) + ", column " +
                                      std::to_string(column) + ": " + reason);
    } catch (const json::exception& e) {
        // A number too large for a double ("1e999") is nlohmann's out_of_range.406,
        // which carries no position; its message names the number.
        std::string reason = e.what();
        const auto cut = reason.find("] ");
        if (cut != std::string::npos) reason = reason.substr(cut + 2);
        throw DeploymentError("", "JSON not readable: " + reason);
    }
    return Reader(sites).read(root);
}

}  // namespace hns
