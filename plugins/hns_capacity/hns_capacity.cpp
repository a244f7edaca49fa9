// SPDX-License-Identifier: MIT
// hns-capacity: a host-nation-support RSOM (reception, staging, onward movement)
// throughput model. A force package flows day by day through three stages:
//   entry (port discharge / airbase offload) -> staging (parking, beds, dwell time)
//   -> onward movement (rail: trains/day x vehicles/train; road: convoys/day).
// It is a deterministic daily simulation rather than an LP: every stage is a queue
// with a daily capacity, which gives the same clearance day as a time-expanded
// max-flow for this serial pipeline and lets planners read day by day where units
// wait. Capacities come from the site catalogue (data/sites.geojson); where the site
// data lists a key under "estimates" the outputs say it is a planning estimate.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <map>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "mp/plugin.hpp"

namespace {

using mp::sdk::Failure;
using mp::sdk::InputFailure;
using mp::sdk::Run;

constexpr double kEps = 1e-6;
// A stage counts as binding on a day when it ran at (nearly) full capacity.
constexpr double kBindingFraction = 0.999;

// ---------------------------------------------------------------- schema
MpParamDef g_params[23];
const MpParamDef* params() {
    static bool done = false;
    if (done) return g_params;
    using mp::sdk::number_param;
    using mp::sdk::param;
    auto integer = [](const char* key, const char* label, const char* unit, const char* def, double lo, double hi,
                      const char* desc) {
        MpParamDef p = param(key, label, MP_PARAM_INTEGER, def, 0, desc);
        p.unit = unit, p.has_min = 1, p.min = lo, p.has_max = 1, p.max = hi;
        return p;
    };
    auto site_list = [](const char* key, const char* label, const char* desc) {
        MpParamDef p = param(key, label, MP_PARAM_LIST, nullptr, 0, desc);
        p.item_type = MP_PARAM_SITE;
        return p;
    };
    int i = 0;
    g_params[i++] = integer("vehicles", "Vehicles", "vehicles", "4000", 0, 1e6, "Vehicles in the force package");
    g_params[i++] = integer("personnel", "Personnel", "persons", "12000", 0, 1e7, "Personnel in the force package");
    g_params[i++] = number_param("cargo_t", "Cargo", "t", "10000", 0, 1e7,
                                 "Cargo and containers; moved as truckloads of load_t tonnes (vehicle-equivalents)");
    g_params[i++] = number_param("load_t", "Tonnes per truckload", "t", "15", 1, 60,
                                 "Cargo per vehicle-equivalent load (one parking slot, one wagon place)");
    g_params[i++] = number_param("sea_share", "Vehicles and cargo by sea", "%", "80", 0, 100,
                                 "Share of vehicles and cargo arriving by sea; the rest arrives by air");
    g_params[i++] = number_param("personnel_sea_share", "Personnel by sea", "%", "20", 0, 100,
                                 "Share of personnel travelling with the ships (drivers); the rest arrives by air");
    g_params[i++] =
        number_param("vehicle_mass_t", "Airlifted vehicle mass", "t", "15", 1, 80,
                     "Mean mass of an airlifted vehicle or load: airbase units/day = cargo_t_per_day / this");
    g_params[i++] = site_list("entry_points", "Entry points",
                              "Ports and airbases used (default: every port for sea, every airbase for air)");
    g_params[i++] = site_list("staging_areas", "Staging areas",
                              "Staging or training areas (default: every staging area of the catalogue)");
    g_params[i++] = site_list("rail_terminals", "Rail terminals", "Rail loading terminals (default: all)");
    g_params[i++] = integer("arrival_days", "Arrival window", "days", "1", 1, 365,
                            "The force is presented at the entry points evenly over this many days");
    g_params[i++] = integer("onward_start_day", "Onward movement starts", "day", "1", 1, 365,
                            "First day on which units may leave staging");
    g_params[i++] = integer("staging_dwell_days", "Staging dwell", "days", "1", 0, 30,
                            "Days a unit spends in staging (marry-up, preparation) before it may move on");
    g_params[i++] =
        number_param("working_hours", "Working hours", "h/day", "24", 1, 24,
                     "Daily working hours at ports, airbases and rail terminals (site capacities are per 24 h)");
    g_params[i++] = number_param("availability", "Capacity allocated to the military", "%", "100", 1, 100,
                                 "Share of every site's capacity available to the force");
    {
        MpParamDef p =
            param("capacity_overrides", "Capacity overrides", MP_PARAM_LIST, nullptr, 0,
                  "Items 'SITE:KEY=VALUE' (e.g. port-ostend:vehicles_per_day=250) or 'SITE=PCT%' (availability)");
        p.item_type = MP_PARAM_STRING;
        g_params[i++] = p;
    }
    g_params[i++] = number_param("rail_share", "Onward movement by rail", "%", "50", 0, 100,
                                 "Share of units moving on by rail; the rest moves by road convoy");
    g_params[i++] = number_param("wagon_length_m", "Wagon length", "m", "20", 5, 60,
                                 "Length over buffers of one flat wagon (e.g. Sgns/Rlmmps about 20 m)");
    g_params[i++] = number_param("vehicles_per_wagon", "Vehicles per wagon", "vehicles", "1", 0.5, 4,
                                 "Vehicles (or loads) per wagon");
    g_params[i++] = number_param("locomotive_length_m", "Locomotive length", "m", "20", 0, 60,
                                 "Train length taken by the locomotive(s)");
    g_params[i++] = integer("convoys_per_day", "Road convoys per staging area", "convoys/day", "8", 0, 500,
                            "Road convoys (march units) each staging area can dispatch per day");
    g_params[i++] = integer("vehicles_per_convoy", "Vehicles per convoy", "vehicles", "24", 1, 500,
                            "Vehicles per road convoy (march unit)");
    g_params[i++] = integer("horizon_days", "Horizon", "days", "90", 1, 730, "Days simulated at most");
    done = true;
    return g_params;
}
constexpr std::size_t kParamCount = 23;

// ---------------------------------------------------------------- model
enum class Stage { SeaEntry, AirEntry, AirPersonnel, Staging, Rail, Road };
const char* stage_name(Stage s) {
    switch (s) {
        case Stage::SeaEntry: return "entry (sea)";
        case Stage::AirEntry: return "entry (air)";
        case Stage::AirPersonnel: return "entry (air, personnel)";
        case Stage::Staging: return "staging";
        case Stage::Rail: return "onward (rail)";
        case Stage::Road: return "onward (road)";
    }
    return "?";
}
const char* stage_unit(Stage s) {
    switch (s) {
        case Stage::Staging: return "units held";
        case Stage::AirPersonnel: return "persons/day";
        default: return "units/day";
    }
}

// Statistics of a stage over the run.
struct StageStats {
    double capacity = 0;  // per day (staging: holding capacity in units)
    double peak_util = 0;
    double sum_util = 0;
    int active_days = 0;
    int binding_days = 0;
    void record(double used, double demand_left) {
        if (capacity <= kEps) return;
        const double u = used / capacity;
        peak_util = std::max(peak_util, u);
        sum_util += u;
        ++active_days;
        if (u >= kBindingFraction && demand_left > kEps) ++binding_days;
    }
};

// One site in one role, with its capacity and the data keys it came from.
struct SiteUse {
    std::size_t index = mp::sdk::kNone;
    std::string id, name, kind;
    Stage stage = Stage::SeaEntry;
    double capacity = 0;                      // per day in the stage's unit (staging: units held)
    double pax_capacity = 0;                  // airbases: persons/day
    std::vector<std::string> estimated_keys;  // capacity keys flagged as planning estimates
    double lon = 0, lat = 0;
};

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, sep);) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
    }
    return out;
}

std::string fmt(double v, int decimals = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// Green (#1a9850) -> yellow (#fee08b) -> red (#d73027) by utilisation 0..1 (ColorBrewer RdYlGn).
std::string utilisation_colour(double u) {
    u = std::clamp(u, 0.0, 1.0);
    const double a[3] = {0x1a, 0x98, 0x50}, b[3] = {0xfe, 0xe0, 0x8b}, c[3] = {0xd7, 0x30, 0x27};
    double rgb[3];
    for (int k = 0; k < 3; ++k) rgb[k] = u < 0.5 ? a[k] + (b[k] - a[k]) * u * 2 : b[k] + (c[k] - b[k]) * (u - 0.5) * 2;
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(std::lround(rgb[0])),
                  static_cast<int>(std::lround(rgb[1])), static_cast<int>(std::lround(rgb[2])));
    return buf;
}

// Capacity overrides: raw site values (before availability) and per-site availability.
struct Overrides {
    std::map<std::string, std::map<std::string, double>> values;  // site id -> key -> value
    std::map<std::string, double> availability_pct;               // site id -> %
};

Overrides parse_overrides(Run& r) {
    Overrides o;
    if (!r.has("capacity_overrides")) return o;
    for (const auto& item : r.list("capacity_overrides")) {
        const auto eq = item.find('=');
        if (eq == std::string::npos)
            throw InputFailure("capacity override '" + item + "': expected SITE:KEY=VALUE or SITE=PCT%");
        std::string left = item.substr(0, eq), right = item.substr(eq + 1);
        const bool pct = !right.empty() && right.back() == '%';
        if (pct) right.pop_back();
        char* end = nullptr;
        const double v = std::strtod(right.c_str(), &end);
        if (right.empty() || *end != '\0' || !std::isfinite(v) || v < 0)
            throw InputFailure("capacity override '" + item + "': '" + right + "' is not a non-negative number");
        std::string site_ref = left, key;
        if (const auto colon = left.find(':'); colon != std::string::npos)
            site_ref = left.substr(0, colon), key = left.substr(colon + 1);
        const auto s = r.site(site_ref);
        if (s == mp::sdk::kNone)
            throw InputFailure("capacity override '" + item + "': unknown site '" + site_ref + "'");
        const std::string id = r.site_text(s, "id");
        if (pct || key == "availability") {
            if (v > 100) throw InputFailure("capacity override '" + item + "': availability above 100 %");
            o.availability_pct[id] = v;
        } else if (key.empty()) {
            throw InputFailure("capacity override '" + item +
                               "': name the capacity key (SITE:KEY=VALUE) or give a percentage");
        } else {
            o.values[id][key] = v;
        }
    }
    return o;
}

// Reads a site capacity key, honouring overrides and recording whether it is an estimate.
struct SiteReader {
    Run& r;
    const Overrides& ov;
    double value(SiteUse& u, const char* key, double fallback, bool* missing = nullptr) const {
        if (auto it = ov.values.find(u.id); it != ov.values.end())
            if (auto kv = it->second.find(key); kv != it->second.end()) return kv->second;
        const auto v = r.site_number(u.index, key);
        if (!v) {
            if (missing) *missing = true;
            return fallback;
        }
        for (const auto& k : split(r.site_text(u.index, "estimates"), ','))
            if (k == key && std::find(u.estimated_keys.begin(), u.estimated_keys.end(), k) == u.estimated_keys.end())
                u.estimated_keys.push_back(k);
        return *v;
    }
    double availability(const SiteUse& u, double global_pct) const {
        if (auto it = ov.availability_pct.find(u.id); it != ov.availability_pct.end()) return it->second / 100.0;
        return global_pct / 100.0;
    }
};

// Resolves a list parameter of site references, or every site of the default kinds.
std::vector<SiteUse> resolve_sites(Run& r, const char* key, const std::vector<std::string>& allowed_kinds,
                                   const std::vector<std::string>& default_kinds) {
    std::vector<std::string> refs;
    if (r.has(key)) refs = r.list(key);
    std::vector<SiteUse> out;
    auto add = [&](std::size_t s, const std::string& ref) {
        SiteUse u;
        u.index = s;
        u.id = r.site_text(s, "id");
        u.name = r.site_text(s, "name_en");
        u.kind = r.site_text(s, "kind");
        if (std::find(allowed_kinds.begin(), allowed_kinds.end(), u.kind) == allowed_kinds.end()) {
            std::string kinds;
            for (const auto& k : allowed_kinds) kinds += (kinds.empty() ? "" : " or ") + k;
            throw InputFailure(std::string(key) + ": site '" + ref + "' is a " + u.kind + ", not a " + kinds);
        }
        for (const auto& o : out)
            if (o.id == u.id) return;  // listed twice
        std::tie(u.lon, u.lat) = r.site_location(s);
        out.push_back(std::move(u));
    };
    if (!refs.empty()) {
        for (const auto& ref : refs) {
            const auto s = r.site(ref);
            if (s == mp::sdk::kNone) throw InputFailure(std::string(key) + ": unknown site '" + ref + "'");
            add(s, ref);
        }
        return out;
    }
    for (const auto& kind : default_kinds) {
        for (std::size_t s = 0; s < r.site_count(); ++s)
            if (r.site_text(s, "kind") == kind) add(s, r.site_text(s, "id"));
        if (!out.empty()) break;  // the first default kind that exists wins
    }
    return out;
}

// A group of units admitted to staging on one day, waiting to move on.
struct Cohort {
    int ready_day = 0;
    double rail = 0, road = 0;
};

void run(Run& r) {
    r.progress(0.0, "reading the force package");
    const double vehicles = static_cast<double>(r.integer("vehicles"));
    const double personnel = static_cast<double>(r.integer("personnel"));
    const double cargo_t = r.number("cargo_t");
    const double load_t = r.number("load_t");
    const double loads = std::max(0.0, std::ceil(cargo_t / load_t - kEps));
    const double units = vehicles + loads;  // vehicle-equivalents
    if (units <= kEps && personnel <= kEps)
        throw InputFailure("the force package is empty: no vehicles, cargo or personnel");
    const double sea_share = r.number("sea_share") / 100.0;
    const double pers_sea_share = r.number("personnel_sea_share") / 100.0;
    const double sea_units = units * sea_share, air_units = units - sea_units;
    const double air_personnel = personnel * (1.0 - pers_sea_share);
    const double rail_share = r.number("rail_share") / 100.0;
    const double hours_factor = r.number("working_hours") / 24.0;
    const double avail_pct = r.number("availability");
    const int arrival_days = static_cast<int>(r.integer("arrival_days"));
    const int onward_start = static_cast<int>(r.integer("onward_start_day"));
    const int dwell = static_cast<int>(r.integer("staging_dwell_days"));
    const int horizon = static_cast<int>(r.integer("horizon_days"));
    const double crew_per_unit = units > kEps ? personnel / units : 0;

    const Overrides ov = parse_overrides(r);
    const SiteReader rd{r, ov};

    // --- sites and their daily capacities
    std::vector<SiteUse> entries;
    if (r.has("entry_points")) {
        entries = resolve_sites(r, "entry_points", {"port", "airbase"}, {});
    } else {
        if (sea_units > kEps) entries = resolve_sites(r, "entry_points", {"port", "airbase"}, {"port"});
        if (air_units > kEps || air_personnel > kEps) {
            auto air = resolve_sites(r, "entry_points", {"port", "airbase"}, {"airbase"});
            entries.insert(entries.end(), air.begin(), air.end());
        }
    }
    auto staging =
        resolve_sites(r, "staging_areas", {"staging_area", "training_area"}, {"staging_area", "training_area"});
    auto rails = resolve_sites(r, "rail_terminals", {"rail_terminal"}, {"rail_terminal"});

    StageStats st_sea, st_air, st_pax, st_staging, st_rail, st_road;
    std::vector<SiteUse> used;  // every site with its stage, for the layer and the table
    for (auto& e : entries) {
        const double a = rd.availability(e, avail_pct) * hours_factor;
        bool missing = false;
        if (e.kind == "port") {
            e.stage = Stage::SeaEntry;
            e.capacity = rd.value(e, "vehicles_per_day", 0, &missing) * a;
            if (missing) r.warning(e.id + ": no vehicles_per_day in the site data; taken as 0");
            st_sea.capacity += e.capacity;
        } else {
            e.stage = Stage::AirEntry;
            e.capacity = rd.value(e, "cargo_t_per_day", 0, &missing) / r.number("vehicle_mass_t") * a;
            if (missing) r.warning(e.id + ": no cargo_t_per_day in the site data; taken as 0");
            bool pax_missing = false;
            e.pax_capacity = rd.value(e, "pax_per_day", 0, &pax_missing) * a;
            if (pax_missing) r.warning(e.id + ": no pax_per_day in the site data; taken as 0");
            st_air.capacity += e.capacity;
            st_pax.capacity += e.pax_capacity;
        }
        used.push_back(e);
    }
    bool beds_unknown = false;
    for (auto& s : staging) {
        const double a = rd.availability(s, avail_pct);
        bool missing = false;
        const double parking = rd.value(s, "vehicle_parking", 0, &missing);
        if (missing) r.warning(s.id + ": no vehicle_parking in the site data; taken as 0");
        double held = parking;
        bool no_beds = false;
        const double beds = rd.value(s, "beds", 0, &no_beds);
        if (!no_beds && beds > kEps && crew_per_unit > kEps) held = std::min(held, beds / crew_per_unit);
        else if (crew_per_unit > kEps) beds_unknown = true;  // no beds recorded: crews lodged elsewhere
        s.stage = Stage::Staging;
        s.capacity = held * a;
        st_staging.capacity += s.capacity;
        used.push_back(s);
    }
    if (beds_unknown) r.warning("some staging areas record no beds: their crews are assumed lodged elsewhere");
    const double wagon_m = r.number("wagon_length_m"), loco_m = r.number("locomotive_length_m");
    for (auto& t : rails) {
        const double a = rd.availability(t, avail_pct) * hours_factor;
        bool m1 = false, m2 = false;
        const double trains = rd.value(t, "trains_per_day", 0, &m1);
        const double length = rd.value(t, "max_train_length_m", 600, &m2);
        if (m1) r.warning(t.id + ": no trains_per_day in the site data; taken as 0");
        if (m2) r.warning(t.id + ": no max_train_length_m in the site data; 600 m assumed");
        const double per_train =
            std::max(0.0, std::floor((length - loco_m) / wagon_m)) * r.number("vehicles_per_wagon");
        t.stage = Stage::Rail;
        t.capacity = trains * per_train * a;
        st_rail.capacity += t.capacity;
        used.push_back(t);
    }
    const double per_area_road = static_cast<double>(r.integer("convoys_per_day") * r.integer("vehicles_per_convoy"));
    st_road.capacity = per_area_road * static_cast<double>(staging.size());

    // --- can the package ever clear? Name the reason if not.
    const double rail_units = units * rail_share, road_units = units - rail_units;
    auto never = [](const std::string& why) { throw Failure("the force package can never clear: " + why); };
    if (sea_units > kEps && st_sea.capacity <= kEps)
        never(fmt(sea_units) +
              " units arrive by sea but the entry points have no port discharge capacity (add a port or set "
              "sea_share=0)");
    if (air_units > kEps && st_air.capacity <= kEps)
        never(fmt(air_units) +
              " units arrive by air but the entry points have no airbase cargo capacity (add an airbase or set "
              "sea_share=100)");
    if (air_personnel > kEps && st_pax.capacity <= kEps)
        never(fmt(air_personnel) +
              " personnel arrive by air but the entry points have no airbase passenger capacity (add an airbase or set "
              "personnel_sea_share=100)");
    if (units > kEps && st_staging.capacity < 1.0 - kEps)
        never("the staging areas can hold " + fmt(st_staging.capacity, 1) + " units (vehicle parking/beds)");
    if (rail_units > kEps && st_rail.capacity <= kEps)
        never(fmt(rail_units) +
              " units are to move by rail but the rail terminals have no capacity (trains_per_day, train length)");
    if (road_units > kEps && st_road.capacity <= kEps)
        never(fmt(road_units) + " units are to move by road but no road convoys can leave the staging areas");
    if (units > kEps && onward_start > horizon)
        never("onward movement starts on day " + std::to_string(onward_start) + ", after the horizon of " +
              std::to_string(horizon) + " days");

    // --- daily simulation
    double sea_queue = 0, air_queue = 0, pax_queue = 0, awaiting = 0;
    double cum_arrived = 0, cum_departed = 0, cum_pax = 0;
    std::deque<Cohort> cohorts;
    std::vector<double> c_day, c_arrived, c_pax, c_awaiting, c_staging, c_rail, c_road, c_cum_arr, c_cum_dep;
    int last_arrival_day = 0, cleared_day = 0;
    for (int day = 1; day <= horizon; ++day) {
        r.check_cancelled();
        r.progress(static_cast<double>(day) / horizon, "day " + std::to_string(day));
        if (day <= arrival_days) {
            sea_queue += sea_units / arrival_days;
            air_queue += air_units / arrival_days;
            pax_queue += air_personnel / arrival_days;
        }
        // Entry: discharge at the ports and offload at the airbases.
        const double sea_out = std::min(sea_queue, st_sea.capacity);
        const double air_out = std::min(air_queue, st_air.capacity);
        const double pax_out = std::min(pax_queue, st_pax.capacity);
        sea_queue -= sea_out, air_queue -= air_out, pax_queue -= pax_out;
        const bool more_sea = sea_queue > kEps || day < arrival_days;
        const bool more_air = air_queue > kEps || day < arrival_days;
        st_sea.record(sea_out, more_sea ? 1 : 0);
        st_air.record(air_out, more_air ? 1 : 0);
        st_pax.record(pax_out, pax_queue > kEps || day < arrival_days ? 1 : 0);
        const double arrived = sea_out + air_out;
        awaiting += arrived;
        cum_arrived += arrived;
        // Personnel by sea travel with their units: count them as they are discharged.
        const double sea_pax = personnel * pers_sea_share;
        const double pax_today = pax_out + (sea_units > kEps ? sea_pax * (sea_out / sea_units)
                                                             : (day <= arrival_days ? sea_pax / arrival_days : 0));
        cum_pax += pax_today;

        // Onward movement out of staging (frees space for today's admissions).
        double rail_cap = day >= onward_start ? st_rail.capacity : 0,
               road_cap = day >= onward_start ? st_road.capacity : 0;
        double dep_rail = 0, dep_road = 0;
        auto depart = [&] {
            for (auto& c : cohorts) {
                if (c.ready_day > day) break;
                const double rl = std::min(c.rail, rail_cap), rd_ = std::min(c.road, road_cap);
                c.rail -= rl, c.road -= rd_, rail_cap -= rl, road_cap -= rd_, dep_rail += rl, dep_road += rd_;
            }
            while (!cohorts.empty() && cohorts.front().rail <= kEps && cohorts.front().road <= kEps)
                cohorts.pop_front();
        };
        depart();
        // Admission to staging up to its holding capacity; the rest waits at the entry point.
        double held = 0;
        for (const auto& c : cohorts) held += c.rail + c.road;
        const double admitted = std::min(awaiting, std::max(0.0, st_staging.capacity - held));
        awaiting -= admitted;
        if (admitted > kEps) cohorts.push_back({day + dwell, admitted * rail_share, admitted * (1.0 - rail_share)});
        // Staging binds when units had to wait outside it because it was full.
        st_staging.record(held + admitted, awaiting);
        if (dwell == 0) depart();  // pass-through staging: today's admissions may leave today
        held = 0;
        for (const auto& c : cohorts) held += c.rail + c.road;
        double ready_rail = 0, ready_road = 0;
        for (const auto& c : cohorts)
            if (c.ready_day <= day) ready_rail += c.rail, ready_road += c.road;
        st_rail.record(day >= onward_start ? dep_rail : 0, ready_rail);
        st_road.record(day >= onward_start ? dep_road : 0, ready_road);
        cum_departed += dep_rail + dep_road;

        c_day.push_back(day), c_arrived.push_back(arrived), c_pax.push_back(pax_today), c_awaiting.push_back(awaiting);
        c_staging.push_back(held), c_rail.push_back(dep_rail), c_road.push_back(dep_road);
        c_cum_arr.push_back(cum_arrived), c_cum_dep.push_back(cum_departed);

        const bool all_arrived = cum_arrived >= units - kEps && cum_pax >= personnel - 1e-3;
        if (all_arrived && last_arrival_day == 0) last_arrival_day = day;
        if (all_arrived && cum_departed >= units - kEps) {
            cleared_day = day;
            break;
        }
    }

    // --- the bottleneck: the stage that ran at capacity on the most days
    struct StageRow {
        Stage stage;
        const StageStats* stats;
    };
    const std::vector<StageRow> stages = {{Stage::SeaEntry, &st_sea},     {Stage::AirEntry, &st_air},
                                          {Stage::AirPersonnel, &st_pax}, {Stage::Staging, &st_staging},
                                          {Stage::Rail, &st_rail},        {Stage::Road, &st_road}};
    const StageRow* worst = nullptr;
    for (const auto& s : stages)
        if (s.stats->binding_days > 0 && (!worst || s.stats->binding_days > worst->stats->binding_days)) worst = &s;

    // --- outputs
    r.progress(1.0, "writing results");
    // Tables show units to 0.01 and percentages to 0.1: the model is no more precise.
    auto rounded = [](std::vector<double> v, double per_unit) {  // per_unit: 100 rounds to 0.01
        for (auto& x : v) x = std::round(x * per_unit) / per_unit;
        return v;
    };
    for (auto* col : {&c_arrived, &c_pax, &c_awaiting, &c_staging, &c_rail, &c_road, &c_cum_arr, &c_cum_dep})
        *col = rounded(*col, 100);
    r.table("daily_flow", "line")
        .numbers("day", c_day, "day")
        .numbers("arrived", c_arrived, "units")
        .numbers("personnel_arrived", c_pax, "persons")
        .numbers("awaiting_staging", c_awaiting, "units")
        .numbers("in_staging", c_staging, "units")
        .numbers("departed_rail", c_rail, "units")
        .numbers("departed_road", c_road, "units")
        .numbers("cumulative_arrived", c_cum_arr, "units")
        .numbers("cumulative_departed", c_cum_dep, "units");

    auto stats_of = [&](Stage s) -> const StageStats& {
        for (const auto& row : stages)
            if (row.stage == s) return *row.stats;
        return st_sea;
    };
    std::vector<std::string> t_stage, t_site, t_name, t_unit, t_estimate, t_bottleneck;
    std::vector<double> t_cap, t_peak, t_mean, t_binding;
    auto add_row = [&](Stage s, const std::string& id, const std::string& name, double cap, const StageStats& stt,
                       const std::string& estimate) {
        t_stage.push_back(stage_name(s)), t_site.push_back(id), t_name.push_back(name), t_unit.push_back(stage_unit(s));
        t_cap.push_back(cap), t_peak.push_back(100 * stt.peak_util);
        t_mean.push_back(stt.active_days ? 100 * stt.sum_util / stt.active_days : 0);
        t_binding.push_back(stt.binding_days), t_estimate.push_back(estimate);
        t_bottleneck.push_back(worst && worst->stage == s ? "yes" : "");
    };
    for (const auto& s : stages) {
        const bool needed =
            (s.stage == Stage::SeaEntry && sea_units > kEps) || (s.stage == Stage::AirEntry && air_units > kEps) ||
            (s.stage == Stage::AirPersonnel && air_personnel > kEps) || (s.stage == Stage::Staging && units > kEps) ||
            (s.stage == Stage::Rail && rail_units > kEps) || (s.stage == Stage::Road && road_units > kEps);
        if (!needed && s.stats->capacity <= kEps) continue;
        add_row(s.stage, "all", "all sites of the stage", s.stats->capacity, *s.stats, "");
    }
    auto est_text = [](const SiteUse& u) {
        std::string t;
        for (const auto& k : u.estimated_keys) t += (t.empty() ? "planning estimate: " : ", ") + k;
        return t;
    };
    for (const auto& u : used) {
        add_row(u.stage, u.id, u.name, u.capacity, stats_of(u.stage), est_text(u));
        if (u.stage == Stage::AirEntry && air_personnel > kEps)
            add_row(Stage::AirPersonnel, u.id, u.name, u.pax_capacity, st_pax, est_text(u));
    }
    t_cap = rounded(t_cap, 100), t_peak = rounded(t_peak, 10), t_mean = rounded(t_mean, 10);
    r.table("bottlenecks", "bar")
        .texts("stage", t_stage)
        .texts("site", t_site)
        .texts("name", t_name)
        .numbers("capacity_per_day", t_cap)
        .texts("capacity_unit", t_unit)
        .numbers("peak_utilisation", t_peak, "%")
        .numbers("mean_utilisation", t_mean, "%")
        .numbers("binding_days", t_binding, "days")
        .texts("planning_estimate", t_estimate)
        .texts("bottleneck", t_bottleneck);

    auto layer = r.result_layer("hns_sites", "#1a9850", 8, "label");
    for (const auto& u : used) {
        const StageStats& stt = stats_of(u.stage);
        double peak = stt.peak_util;
        if (u.stage == Stage::AirEntry && air_personnel > kEps) peak = std::max(peak, st_pax.peak_util);
        layer.add(u.id + ":" + stage_name(u.stage), mp::sdk::Geometry::point(u.lon, u.lat))
            .set("site", u.id)
            .set("name", u.name)
            .set("kind", u.kind)
            .set("stage", stage_name(u.stage))
            .set("capacity_per_day", u.capacity)
            .set("capacity_unit", stage_unit(u.stage))
            .set("peak_utilisation_pct", std::round(1000 * peak) / 10)
            .set("binding_days", stt.binding_days)
            .set("bottleneck", worst && (worst->stage == u.stage ||
                                         (worst->stage == Stage::AirPersonnel && u.stage == Stage::AirEntry)))
            .set("planning_estimate", !u.estimated_keys.empty())
            .set("estimated_keys", est_text(u))
            .set("label", u.id + " " + fmt(100 * peak) + "%")
            .style(utilisation_colour(peak), 8);
        if (u.stage == Stage::AirEntry) layer.set("pax_capacity_per_day", u.pax_capacity);
    }

    // --- messages
    r.info("force package: " + fmt(vehicles) + " vehicles, " + fmt(loads) + " cargo loads (" + fmt(cargo_t) + " t), " +
           fmt(personnel) + " personnel = " + fmt(units) + " units; " + fmt(sea_units) + " by sea, " + fmt(air_units) +
           " by air");
    if (worst) {
        std::string sites;
        for (const auto& u : used)
            if (u.stage == worst->stage || (worst->stage == Stage::AirPersonnel && u.stage == Stage::AirEntry))
                sites += (sites.empty() ? "" : ", ") + u.id;
        if (worst->stage == Stage::Road) sites = "road convoys from the staging areas";
        r.info("bottleneck: " + std::string(stage_name(worst->stage)) + " at " + fmt(worst->stats->capacity, 1) + " " +
               stage_unit(worst->stage) + ", at capacity on " + std::to_string(worst->stats->binding_days) + " days (" +
               sites + ")");
    } else r.info("bottleneck: none; no stage ran at capacity");
    if (last_arrival_day) r.info("last unit arrives on day " + std::to_string(last_arrival_day));
    if (cleared_day) {
        const double by_rail = std::round(units * rail_share);
        r.info("force package clears onward movement on day " + std::to_string(cleared_day) + " (" + fmt(by_rail) +
               " units by rail, " + fmt(units - by_rail) + " by road)");
    } else {
        const double not_presented = std::max(0.0, units - cum_arrived - sea_queue - air_queue);
        std::string where =
            (not_presented > kEps ? fmt(not_presented) + " units not yet presented (arrival window), " : "") +
            fmt(sea_queue + air_queue) + " units still at sea/air, " + fmt(awaiting) + " waiting for staging, " +
            fmt(c_staging.empty() ? 0 : c_staging.back()) + " in staging";
        r.warning("the force package does not clear within the horizon of " + std::to_string(horizon) + " days (" +
                  where + ")");
    }
    std::string est;
    for (const auto& u : used)
        if (!u.estimated_keys.empty()) {
            std::string keys;
            for (const auto& k : u.estimated_keys) keys += (keys.empty() ? "" : ", ") + k;
            est += (est.empty() ? "" : "; ") + u.id + " (" + keys + ")";
        }
    if (!est.empty()) r.warning("capacities are planning estimates in the site data: " + est);
}

}  // namespace

MP_SDK_PLUGIN(
    "hns-capacity", "Host-nation support capacity (RSOM)", "1.0.0",
    "Daily reception, staging and onward-movement throughput of a force package through Belgian ports, airbases, "
    "staging areas and rail terminals: daily flow, bottlenecks and the day the force clears.",
    params(), kParamCount, run)
