// SPDX-License-Identifier: MIT
// hns-capacity 2: host-nation support, a time-phased RSOM (reception, staging, onward
// movement) of real serials, ships and trains, with the bottleneck priced.
//
// The plugin is the SDK side of the libraries beside it (plain C++, tested on their own):
//   deployment.hpp  the deployment file (-p deployment=FILE), checked key by key
//   rsom.hpp        resolved against the host's site catalogue and network services
//   plan.hpp        the optimal plan: a time-expanded min-cost flow LP (CLP), its
//                   closure bound, shadow prices and capacity suggestions
//   simulate.hpp    the executable schedule (discrete events) and its Monte Carlo
// and turns what they give into result tables, layers and messages. Every input comes
// through the public ABI: the site table, the road and rail networks (route per vehicle
// profile), the vehicle presets; nothing is read behind the host's back but the
// deployment file the planner names.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "deployment.hpp"
#include "mp/plugin.hpp"
#include "plan.hpp"
#include "rsom.hpp"
#include "simulate.hpp"
#include "support.hpp"

namespace {

using mp::sdk::Failure;
using mp::sdk::InfeasibleFailure;
using mp::sdk::InputFailure;
using mp::sdk::Run;
namespace sdk = mp::sdk;

// An empty cell in a numeric column (no limit, never reached).
constexpr double kEmpty = std::numeric_limits<double>::quiet_NaN();
constexpr std::uintmax_t kMaxDeploymentBytes = 64u << 20;  // a deployment of 100k serials is ~50 MB
constexpr const char* kNetworkFiles = "*.osm;*.pbf;*.osm.bz2;*.mpgraph;*.gpkg;*.geojson;*.shp;*.fgb";
constexpr const char* kRetired =
    "hns-capacity 2 reads the force from a deployment file: -p deployment=FILE (worked examples in "
    "examples/deployments/, the format in docs/hns-deployment.md)";

// ---------------------------------------------------------------- schema
const MpParamDef* params(std::size_t& count) {
    static std::vector<MpParamDef> defs;
    if (defs.empty()) {
        auto integer = [](const char* key, const char* label, const char* def, double lo, double hi, const char* desc) {
            MpParamDef p = sdk::param(key, label, MP_PARAM_INTEGER, def, 0, desc);
            p.has_min = 1, p.min = lo, p.has_max = 1, p.max = hi;
            return p;
        };
        defs.push_back(sdk::file_param("deployment", "Deployment file", MP_FILE_IN, "*.json", 0,
                                       "Serials, lifts (ships, flights, trains, road columns), capacity overrides, "
                                       "calendar, rail, road, borders and life support (docs/hns-deployment.md; "
                                       "worked examples in examples/deployments/)"));
        defs.push_back(integer("replications", "Monte Carlo replications", "100", 0, 10000,
                               "Simulations with the lifts' ETA spreads and handling rates drawn at random, for the "
                               "P50 and P90 closure of every serial (0: none)"));
        defs.push_back(integer("seed", "Random seed", "1", 0, 4294967295.0,
                               "Seed of the replications: the same seed gives the same P50/P90"));
        defs.push_back(sdk::param("closure_bound", "Closure bound", MP_PARAM_BOOL, "true", 0,
                                  "Also find the earliest closure of the flow plan (closure_lp_h; a bisection of LP "
                                  "solves). The plan spreads daily rates over the day's periods; the schedule, which "
                                  "may use a day's border slots at once, can close earlier"));
        defs.push_back(integer("suggestions", "Capacity changes to try", "6", 0, 30,
                               "Bottleneck runs with the highest shadow prices to re-solve with one more of the "
                               "capacity (the sensitivity table); 0: none"));
        defs.push_back(sdk::file_param("write_model", "Write the LP (MPS)", MP_FILE_OUT, "*.mps", 0,
                                       "Writes the optimal plan's linear program as a free MPS file, to check it "
                                       "with another solver (glpsol --freemps FILE --min)"));
        defs.push_back(sdk::file_param("road_network", "Road network file", MP_FILE_IN, kNetworkFiles, 0,
                                       "Road network for the link times (default: the loaded roads layer)"));
        defs.push_back(sdk::file_param("rail_network", "Rail network file", MP_FILE_IN, kNetworkFiles, 0,
                                       "Rail network for the rail links (default: the loaded rail layer)"));
        for (const char* old : {"vehicles",
                                "personnel",
                                "cargo_t",
                                "load_t",
                                "sea_share",
                                "personnel_sea_share",
                                "vehicle_mass_t",
                                "entry_points",
                                "staging_areas",
                                "rail_terminals",
                                "arrival_days",
                                "onward_start_day",
                                "staging_dwell_days",
                                "working_hours",
                                "availability",
                                "rail_share",
                                "wagon_length_m",
                                "vehicles_per_wagon",
                                "locomotive_length_m",
                                "convoys_per_day",
                                "vehicles_per_convoy",
                                "horizon_days"})
            defs.push_back(sdk::retired_param(old, kRetired));
        defs.push_back(sdk::retired_param("capacity_overrides",
                                          "give capacity[] overrides and calendar[] exceptions in the deployment "
                                          "file (-p deployment=FILE; docs/hns-deployment.md)"));
    }
    count = defs.size();
    return defs.data();
}
std::size_t g_param_count = 0;
const MpParamDef* g_params = params(g_param_count);

// ---------------------------------------------------------------- small helpers
std::string iso(hns::Time t) { return t == 0 ? std::string() : hns::format_iso8601(t); }

std::string fmt(double v, int decimals = 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

double round_to(double v, double per_unit) { return std::round(v * per_unit) / per_unit; }

// Rows of a utilisation table (hourly or daily): one per capacity and period.
struct UtilisationRows {
    std::vector<std::string> site, resource, row, when;
    std::vector<double> used, capacity, queue, pct;
    void add(const std::string& s, const std::string& key, const std::string& label, std::string at, double u,
             double cap, double q, double share) {
        site.push_back(s), resource.push_back(key), row.push_back(label), when.push_back(std::move(at));
        used.push_back(round_to(u, 100)), capacity.push_back(cap), queue.push_back(round_to(q, 100));
        pct.push_back(round_to(100 * share, 10));
    }
    void write(Run& r, const char* name, const char* when_column, const char* title) const {
        r.table(name)
            .texts("site", site)
            .texts("resource", resource)
            .texts(when_column, when)
            .numbers("used", used)
            .numbers("capacity", capacity)
            .numbers("queue", queue)
            .numbers("utilisation_pct", pct, "%")
            .texts("row", row)
            .chart([&] {
                auto c = sdk::Chart::heatmap("row", when_column, "utilisation_pct");
                c.title = title;
                return c;
            }());
    }
};

// "C+3 14:00": a time as the day after C-day and the hour.
std::string c_day(hns::Time start, hns::Time t) {
    const long long s = static_cast<long long>(t - start);
    const long long d = s >= 0 ? s / 86400 : -((-s + 86399) / 86400);
    const long long rem = s - d * 86400;
    char buf[48];
    std::snprintf(buf, sizeof buf, "C%+lld %02lld:%02lld", d, rem / 3600, rem % 3600 / 60);
    return buf;
}

std::vector<std::string> split_list(const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    for (std::string item; std::getline(ss, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (!item.empty()) out.push_back(item);
    }
    return out;
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

std::string read_deployment_text(const std::string& path) {
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    if (ec) throw InputFailure("deployment: cannot read '" + path + "': " + ec.message());
    if (size > kMaxDeploymentBytes)
        throw InputFailure("deployment: '" + path + "' is " + std::to_string(size >> 20) + " MB, more than the " +
                           std::to_string(kMaxDeploymentBytes >> 20) + " MB a deployment file may have");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputFailure("deployment: cannot open '" + path + "'");
    std::ostringstream ss;
    ss << in.rdbuf();
    if (in.bad()) throw InputFailure("deployment: error reading '" + path + "'");
    return ss.str();
}

// ---------------------------------------------------------------- the catalogue
// The numeric keys the RSOM reads from a site (rsom.cpp's table, and what life support
// and the layers show).
const char* const kSiteKeys[] = {"berths",
                                 "roro_ramps",
                                 "vehicles_per_day",
                                 "mog_wide_body",
                                 "mog_narrow_body",
                                 "cargo_t_per_day",
                                 "pax_per_day",
                                 "loading_ramps",
                                 "trains_per_day",
                                 "max_train_length_m",
                                 "beds",
                                 "vehicle_parking",
                                 "fuel_storage_m3",
                                 "slots_per_day"};

struct SiteInfo {
    std::size_t index = sdk::kNone;
    std::string name;
    double lon = 0, lat = 0;
};

struct HostCatalogue {
    hns::Catalogue catalogue;
    hns::SiteKinds kinds;
    std::map<std::string, SiteInfo> info;
};

HostCatalogue read_catalogue(const Run& r) {
    HostCatalogue c;
    for (std::size_t s = 0; s < r.site_count(); ++s) {
        hns::CatalogueSite site;
        site.id = r.site_text(s, "id");
        if (site.id.empty()) continue;
        site.kind = r.site_text(s, "kind");
        site.name = r.site_text(s, "name_en");
        if (site.name.empty()) site.name = site.id;
        for (const char* key : kSiteKeys)
            if (const auto v = r.site_number(s, key); v && std::isfinite(*v)) site.numbers[key] = *v;
        site.estimates = split_list(r.site_text(s, "estimates"));
        SiteInfo i;
        i.index = s, i.name = site.name;
        std::tie(i.lon, i.lat) = r.site_location(s);
        c.kinds[site.id] = site.kind;
        c.info[site.id] = i;
        c.catalogue[site.id] = std::move(site);
    }
    if (c.catalogue.empty()) throw InputFailure("the workspace has no site catalogue (the sites layer is empty)");
    return c;
}

// ---------------------------------------------------------------- links from the network services
// The road profile of a serial: tracked vehicles ride transporters (a heavy equipment
// transporter above MLC 60 or 40 t, a low loader below), wheeled vehicles drive on their
// own figures, containers on heavy trucks; the serial's profile is the most demanding
// figure of each kind over its items (the heaviest, tallest, widest, longest, slowest).
struct RoadProfile {
    std::optional<sdk::VehicleProfile> vehicle;  // none: personnel alone (buses)
    std::string label;                           // "tank-transporter-mbt + own wheels (MLC 105)"
    std::string key;                             // for the link cache
};

RoadProfile road_profile(const Run& r, const hns::Serial& s) {
    sdk::VehicleProfile v;
    v.tracked = 0;
    std::vector<std::string> parts;
    bool any = false;
    double speed = 0;
    auto take = [&](double mlc, double mass, double axle, double h, double w, double l, double kmh) {
        any = true;
        v.mlc = std::max(v.mlc, mlc), v.gross_weight_t = std::max(v.gross_weight_t, mass);
        v.axle_load_t = std::max(v.axle_load_t, axle), v.height_m = std::max(v.height_m, h);
        v.width_m = std::max(v.width_m, w), v.length_m = std::max(v.length_m, l);
        if (kmh > 0) speed = speed > 0 ? std::min(speed, kmh) : kmh;
    };
    auto preset = [&](const char* id) {
        const auto row = r.table_find("vehicle-presets", id);
        if (row == sdk::kNone) throw Failure(std::string("the host has no vehicle preset '") + id + "'");
        auto n = [&](const char* col) { return r.table_number("vehicle-presets", row, col).value_or(0); };
        take(n("mlc"), n("gross_weight_t"), n("axle_load_t"), n("height_m"), n("width_m"), n("length_m"),
             n("max_speed_kmh"));
        if (std::find(parts.begin(), parts.end(), id) == parts.end()) parts.push_back(id);
    };
    for (const auto& it : s.items) {
        if (it.count <= 0) continue;
        switch (it.cls) {
            case hns::ItemClass::Tracked:
                preset(it.mlc > 60 || (it.mlc <= 0 && it.mass_t > 40) ? "tank-transporter-mbt" : "low-loader-ifv");
                break;
            case hns::ItemClass::Wheeled:
                take(it.mlc, it.mass_t, 0, it.height_m, it.width_m, it.length_m, 0);
                if (std::find(parts.begin(), parts.end(), "own wheels") == parts.end()) parts.push_back("own wheels");
                break;
            case hns::ItemClass::Container: preset("wheeled-truck"); break;
            case hns::ItemClass::Pax: break;
        }
    }
    RoadProfile p;
    if (!any) {
        p.label = "personnel (no vehicle limits)", p.key = "pax";
        return p;
    }
    v.max_speed_kmh = speed;
    for (const auto& part : parts) p.label += (p.label.empty() ? "" : " + ") + part;
    p.label += " (MLC " + fmt(v.mlc) + ", " + fmt(v.gross_weight_t, 1) + " t, " + fmt(v.height_m, 2) + " m high)";
    char key[200];
    std::snprintf(key, sizeof key, "%.3f|%.3f|%.3f|%.3f|%.3f|%.3f|%.3f", v.mlc, v.gross_weight_t, v.axle_load_t,
                  v.height_m, v.width_m, v.length_m, v.max_speed_kmh);
    p.key = key;
    p.vehicle = v;
    return p;
}

struct HostLinks {
    Run& r;
    sdk::Network road, rail;
    std::string road_missing, rail_missing;       // why a network is not there
    std::map<std::string, RoadProfile> profiles;  // per serial id
    std::map<std::string, hns::Link> cache;
    std::map<std::string, sdk::Geometry> lines;  // "from|to|mode" -> the route's line (first profile asked)
    std::size_t routes = 0;

    static std::string line_key(const std::string& from, const std::string& to, hns::Onward mode) {
        return from + "|" + to + "|" + hns::to_string(mode);
    }

    hns::Link operator()(const std::string& from, const std::string& to, hns::Onward mode, const hns::Serial& s) {
        r.check_cancelled();
        auto pit = profiles.find(s.id);
        if (pit == profiles.end()) pit = profiles.emplace(s.id, road_profile(r, s)).first;
        const RoadProfile& prof = pit->second;
        const std::string key = line_key(from, to, mode) + "|" + (mode == hns::Onward::Rail ? "" : prof.key);
        if (const auto it = cache.find(key); it != cache.end()) return it->second;
        hns::Link link;
        const bool by_rail = mode == hns::Onward::Rail;
        if (by_rail ? !rail : !road) {
            link.reason = by_rail ? rail_missing : road_missing;
            return cache[key] = link;
        }
        sdk::RouteRequest q;
        q.road = road, q.rail = rail, q.from = from, q.to = to;
        q.mode = by_rail ? MP_TRAVEL_RAIL : MP_TRAVEL_ROAD;
        if (!by_rail) q.vehicle = prof.vehicle;
        std::string reason;
        std::optional<sdk::Route> route;
        try {
            ++routes;
            route = r.try_route(q, reason);
        } catch (const InputFailure& e) {  // a site off the network, beyond the snap distance
            reason = e.what();
        }
        if (!route || route->movements.empty()) {
            link.reason = (by_rail ? "rail" : "road for " + prof.label) + " from " + from + " to " + to + ": " +
                          (reason.empty() ? "no route" : reason);
            return cache[key] = link;
        }
        const auto& m = route->movements.front();
        link.feasible = true, link.hours = m.duration_s / 3600.0, link.km = m.distance_m / 1000.0;
        const std::string lk = line_key(from, to, mode);
        if (!lines.count(lk)) {
            std::vector<std::vector<std::pair<double, double>>> parts;
            for (const auto& leg : m.legs) {
                std::vector<std::pair<double, double>> pts;
                for (std::size_t i = 0; i < leg.line.size(); ++i) pts.emplace_back(leg.line.lon(i), leg.line.lat(i));
                if (pts.size() >= 2) parts.push_back(std::move(pts));
            }
            if (!parts.empty()) lines[lk] = sdk::Geometry::multi_line(parts);
        }
        return cache[key] = link;
    }
};

sdk::Network open_network(Run& r, MpNetworkKind kind, const char* param, std::string& missing) {
    const std::string source = r.has(param) ? r.text(param) : std::string();
    try {
        return r.network(kind, source);
    } catch (const InputFailure& e) {
        if (!source.empty()) throw;  // a file the planner named must open
        missing = std::string(kind == MP_NETWORK_RAIL ? "no rail network" : "no road network") + " (" + e.what() + ")";
        return {};
    }
}

// Removes a serial the networks cannot carry from the deployment (and its lifts, when it
// was their last), so that the rest can still be planned.
void drop_serial(hns::Deployment& d, const std::string& id) {
    d.serials.erase(
        std::remove_if(d.serials.begin(), d.serials.end(), [&](const hns::Serial& s) { return s.id == id; }),
        d.serials.end());
    for (auto& l : d.lift) l.serials.erase(std::remove(l.serials.begin(), l.serials.end(), id), l.serials.end());
    d.lift.erase(std::remove_if(d.lift.begin(), d.lift.end(), [](const hns::Lift& l) { return l.serials.empty(); }),
                 d.lift.end());
}

// Nearest-rank percentile of closures (0 = did not close: sorts last, and gives 0).
hns::Time percentile(std::vector<hns::Time> v, double pct) {
    if (v.empty()) return 0;
    for (auto& t : v)
        if (t == 0) t = std::numeric_limits<hns::Time>::max();
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(std::ceil(pct / 100.0 * static_cast<double>(v.size())));
    const hns::Time t = v[std::clamp<std::size_t>(k, 1, v.size()) - 1];
    return t == std::numeric_limits<hns::Time>::max() ? 0 : t;
}

// ---------------------------------------------------------------- the run
void run(Run& r) {
    using Clock = std::chrono::steady_clock;
    auto seconds_since = [](Clock::time_point t0) { return std::chrono::duration<double>(Clock::now() - t0).count(); };
    auto cancelled = [&r] { return r.cancelled(); };

    if (!r.has("deployment"))
        throw InputFailure(
            "no deployment file: hns-capacity plans the serials of a deployment file, given with -p deployment=FILE "
            "(worked examples in examples/deployments/, e.g. -p "
            "deployment=examples/deployments/us-abct-antwerp-zeebrugge.json; the format in docs/hns-deployment.md)");
    r.progress(0.0, "reading the deployment");
    const std::string path = r.text("deployment");
    const HostCatalogue cat = read_catalogue(r);
    hns::Deployment dep;
    try {
        dep = hns::read_deployment(read_deployment_text(path), cat.kinds);
    } catch (const hns::DeploymentError& e) {
        throw InputFailure("deployment " + path + ": " + e.what());
    }
    const std::vector<hns::Serial> all_serials = dep.serials;  // in the file's order, before any is dropped
    const hns::Time start = dep.start;
    r.info("deployment: " + std::to_string(dep.serials.size()) + " serials on " + std::to_string(dep.lift.size()) +
           " lifts, C-day " + hns::format_iso8601(start) + ", " + std::to_string(dep.horizon_days) +
           " days in steps of " + fmt(dep.step_h, dep.step_h == std::floor(dep.step_h) ? 0 : 2) + " h");

    // ---- links from the network services, and the resolved problem
    r.progress(0.02, "asking the networks for link times");
    HostLinks links{r, {}, {}, {}, {}, {}, {}, {}, 0};
    links.road = open_network(r, MP_NETWORK_ROAD, "road_network", links.road_missing);
    links.rail = open_network(r, MP_NETWORK_RAIL, "rail_network", links.rail_missing);
    if (!links.road) r.warning(links.road_missing + ": every road link is refused");
    std::map<std::string, std::string> refused;  // serial -> why
    hns::Rsom rsom;
    const auto t_resolve = Clock::now();
    for (;;) {
        try {
            rsom = hns::resolve(dep, cat.catalogue, std::ref(links));
            break;
        } catch (const hns::ResolveError& e) {
            refused[e.serial()] = e.what();
            r.warning(std::string(e.what()) + ": left out of the plan");
            drop_serial(dep, e.serial());
            if (dep.serials.empty()) {
                std::string all;
                for (const auto& [id, why] : refused) all += (all.empty() ? "" : "; ") + why;
                throw InfeasibleFailure("no serial of the deployment can be planned: " + all);
            }
        } catch (const hns::DeploymentError& e) {
            throw InputFailure("deployment " + path + ": " + e.what());
        }
    }
    r.info("links: " + std::to_string(links.routes) + " routes asked of the road and rail networks (" +
           fmt(seconds_since(t_resolve), 1) + " s)");
    for (const auto& s : dep.serials)
        if (const auto it = links.profiles.find(s.id); it != links.profiles.end() && it->second.vehicle)
            r.info("serial " + s.id + " moves by road as " + it->second.label);

    // ---- the optimal plan
    r.progress(0.1, "building the optimal plan (time-expanded LP)");
    r.check_cancelled();
    const hns::Plan plan = hns::build_plan(rsom);
    std::optional<hns::FlowLp> lp_holder;
    try {
        lp_holder.emplace(plan.model);
    } catch (const std::invalid_argument& e) {
        throw Failure(std::string("the plan's model does not hold together: ") + e.what());
    }
    hns::FlowLp& lp = *lp_holder;
    if (r.has("write_model")) {
        const std::string mps = r.text("write_model");
        try {
            lp.write_mps(mps);
        } catch (const std::exception& e) {
            throw InputFailure(std::string("write_model: ") + e.what());
        }
        r.info("the LP (" + std::to_string(lp.rows()) + " rows, " + std::to_string(lp.columns()) +
               " columns) is written to " + mps);
    }
    r.progress(0.15, "solving the LP (CLP)");
    const auto t_solve = Clock::now();
    hns::PlanResult pr = hns::read_plan(rsom, plan, lp, r.flag("closure_bound"));
    const double solve_s = seconds_since(t_solve);
    if (!pr.solution.optimal) throw Failure("the LP solver stopped without an optimal plan: " + pr.solution.status);
    {
        // A bottleneck saves lateness: a run whose price is below a tenth of one unit one
        // period late at the lowest priority only prices the LP's holding and tie-break
        // costs (1e-3 per unit and period), not a delay.
        double least = 1;
        for (const auto& c : plan.model.commodities) least = std::min(least, c.weight);
        const double floor_price = 0.1 * least * dep.step_h;
        pr.bottlenecks.erase(std::remove_if(pr.bottlenecks.begin(), pr.bottlenecks.end(),
                                            [&](const hns::Bottleneck& b) { return b.shadow_price < floor_price; }),
                             pr.bottlenecks.end());
    }
    r.check_cancelled();
    std::vector<hns::Suggestion> suggestions;
    if (const auto tries = static_cast<std::size_t>(r.integer("suggestions")); tries > 0 && !pr.bottlenecks.empty()) {
        r.progress(0.35, "pricing the bottlenecks (warm re-solves)");
        suggestions = hns::suggest(rsom, plan, lp, pr, tries);
    }
    r.check_cancelled();

    // ---- the executable schedule and its uncertainty
    r.progress(0.5, "simulating the schedule");
    hns::Schedule sched;
    std::vector<hns::Schedule> runs;
    const int n_runs = static_cast<int>(r.integer("replications"));
    try {
        sched = hns::simulate(rsom, dep, {}, cancelled);
        runs = hns::replicate(rsom, dep, n_runs, static_cast<std::uint64_t>(r.integer("seed")), cancelled, [&](int k) {
            r.progress(0.5 + 0.45 * k / std::max(1, n_runs),
                       "replication " + std::to_string(k) + " of " + std::to_string(n_runs));
        });
    } catch (const std::invalid_argument& e) {
        throw Failure(std::string("the schedule's problem does not hold together: ") + e.what());
    } catch (const std::runtime_error&) {
        if (r.cancelled()) throw sdk::CancelledRun();
        throw;
    }
    std::map<std::string, hns::ClosureStats> stats;
    for (const auto& c : hns::closure_percentiles(runs)) stats[c.serial] = c;
    std::map<std::string, const hns::SerialSchedule*> sim_of;
    for (const auto& s : sched.serials) sim_of[s.id] = &s;
    std::map<std::string, const hns::PlanSerial*> lp_of;
    for (const auto& s : pr.serials) lp_of[s.serial] = &s;

    r.progress(0.96, "writing results");
    // A time as hours after C-day 0; NaN (an empty cell) for a time never reached.
    // Late: by at least the 0.01 h the tables show (a crossing seconds after the RDD is not).
    auto late_enough = [](double h) { return h >= 0.005; };
    auto hours_after = [&](hns::Time t) {
        return t == 0 ? kEmpty : round_to(static_cast<double>(t - start) / 3600, 100);
    };

    // ---- serials (gantt)
    {
        std::vector<std::string> id, nation, entry, staging, mode, terminal, destination, arrived, discharged,
            at_staging, ready, departed, crossed, closed, rdd, closed_lp, p50, p90, status, why;
        std::vector<double> priority, late_h, late_lp_h;
        for (const auto& s : all_serials) {
            id.push_back(s.id), nation.push_back(s.nation), priority.push_back(s.priority);
            destination.push_back(s.destination), rdd.push_back(iso(s.rdd));
            const auto* sim = sim_of.count(s.id) ? sim_of[s.id] : nullptr;
            const auto* lps = lp_of.count(s.id) ? lp_of[s.id] : nullptr;
            const auto st = stats.find(s.id);
            std::string ent;
            for (const auto& l : dep.lift)
                if (std::find(l.serials.begin(), l.serials.end(), s.id) != l.serials.end())
                    ent += (ent.empty() ? "" : " ") + l.at;
            entry.push_back(ent);
            staging.push_back(sim ? sim->staging : "");
            mode.push_back(sim ? sim->mode : "");
            terminal.push_back(sim ? sim->terminal : "");
            arrived.push_back(sim ? iso(sim->arrived) : ""), discharged.push_back(sim ? iso(sim->discharged) : "");
            at_staging.push_back(sim ? iso(sim->at_staging) : ""), ready.push_back(sim ? iso(sim->ready) : "");
            departed.push_back(sim ? iso(sim->departed) : ""), crossed.push_back(sim ? iso(sim->crossed) : "");
            closed.push_back(sim ? iso(sim->closed) : "");
            late_h.push_back(sim ? round_to(sim->late_h, 100) : 0);
            closed_lp.push_back(lps ? iso(lps->closed) : "");
            late_lp_h.push_back(lps ? round_to(lps->late_h, 100) : 0);
            p50.push_back(st != stats.end() ? iso(st->second.p50) : "");
            p90.push_back(st != stats.end() ? iso(st->second.p90) : "");
            if (refused.count(s.id)) status.push_back("refused"), why.push_back(refused[s.id]);
            else if (!sim || sim->closed == 0) status.push_back("not closed"), why.push_back(sim ? sim->why : "");
            else status.push_back(late_enough(sim->late_h) ? "late" : "on time"), why.push_back("");
        }
        r.table("serials")
            .texts("serial", id)
            .texts("nation", nation)
            .numbers("priority", priority)
            .texts("entry", entry)
            .texts("staging", staging)
            .texts("mode", mode)
            .texts("terminal", terminal)
            .texts("destination", destination)
            .texts("arrived", arrived)
            .texts("discharged", discharged)
            .texts("at_staging", at_staging)
            .texts("ready", ready)
            .texts("departed", departed)
            .texts("crossed", crossed)
            .texts("closed", closed)
            .texts("rdd", rdd)
            .numbers("late_h", late_h, "h")
            .texts("closed_lp", closed_lp)
            .numbers("late_lp_h", late_lp_h, "h")
            .texts("closed_p50", p50)
            .texts("closed_p90", p90)
            .texts("status", status)
            .texts("why", why)
            .chart([] {
                auto c = sdk::Chart::gantt("arrived", "closed", "serial", "status");
                c.title = "Serials: arrival to closure (late ones marked)";
                return c;
            }());
    }

    // ---- trains
    {
        std::vector<std::string> train, terminal, destination, departure, arrival, serials;
        std::vector<double> wagons, length, mass;
        for (const auto& t : sched.trains) {
            train.push_back(t.id), terminal.push_back(t.terminal), destination.push_back(t.destination);
            departure.push_back(iso(t.departure)), arrival.push_back(iso(t.arrival));
            wagons.push_back(t.wagons), length.push_back(round_to(t.length_m, 10)),
                mass.push_back(round_to(t.mass_t, 10));
            std::string list;
            for (const auto& s : t.serials) list += (list.empty() ? "" : " ") + s;
            serials.push_back(list);
        }
        r.table("trains")
            .texts("train", train)
            .texts("terminal", terminal)
            .texts("destination", destination)
            .texts("departure", departure)
            .texts("arrival", arrival)
            .numbers("wagons", wagons)
            .numbers("length_m", length, "m")
            .numbers("mass_t", mass, "t")
            .texts("serials", serials);
    }

    // ---- utilisation, hourly and daily (heat maps site x time)
    std::map<std::string, double> site_peak;          // site -> peak used/capacity over its capacities
    std::map<std::string, std::string> site_binding;  // site -> the capacity at that peak
    {
        UtilisationRows hourly, daily;
        const int per_day = std::max(1, static_cast<int>(std::lround(24.0 / rsom.step_h)));
        for (const auto& u : sched.utilisation) {
            const int c = rsom.capacity(u.site, u.key);
            const bool stock = c >= 0 && rsom.capacities[static_cast<std::size_t>(c)].stock;
            const std::string label = u.site + " " + u.key;
            double& peak = site_peak[u.site];
            const std::size_t n = std::min({u.used.size(), u.capacity.size(), u.queue.size()});
            double day_used = 0, day_cap = 0, day_queue = 0;
            bool day_unbounded = false;
            for (std::size_t p = 0; p < n; ++p) {
                const double cap = u.capacity[p];
                const bool bounded = std::isfinite(cap);
                const double share = bounded && cap > 0 ? u.used[p] / cap : 0;
                if (share > peak || (share == peak && site_binding[u.site].empty() && share > 0))
                    peak = share, site_binding[u.site] = u.key;
                hourly.add(u.site, u.key, label, iso(rsom.time_of(static_cast<int>(p))), u.used[p],
                           bounded ? round_to(cap, 100) : kEmpty, u.queue[p], share);  // kEmpty: no limit
                // The day: rates summed, stocks at their peak; the queue at its peak.
                day_used = stock ? std::max(day_used, u.used[p]) : day_used + u.used[p];
                day_unbounded |= !bounded;
                if (bounded) day_cap = stock ? std::max(day_cap, cap) : day_cap + cap;
                day_queue = std::max(day_queue, u.queue[p]);
                if ((p + 1) % static_cast<std::size_t>(per_day) == 0 || p + 1 == n) {
                    daily.add(u.site, u.key, label,
                              hns::iso_date(rsom.time_of(static_cast<int>(p / per_day * per_day))), day_used,
                              day_unbounded ? kEmpty : round_to(day_cap, 100), day_queue,
                              !day_unbounded && day_cap > 0 ? day_used / day_cap : 0);
                    day_used = day_cap = day_queue = 0, day_unbounded = false;
                }
            }
        }
        hourly.write(r, "utilisation", "time", "Utilisation per hour (site and capacity x time)");
        daily.write(r, "utilisation_daily", "date", "Utilisation per day (site and capacity x day)");
    }

    // ---- bottlenecks (shadow prices) and the capacity changes that save the most
    {
        std::vector<std::string> site, resource, from, to, unit;
        std::vector<double> price;
        for (const auto& b : pr.bottlenecks) {
            site.push_back(b.site), resource.push_back(b.resource), unit.push_back(b.unit);
            from.push_back(iso(b.from)), to.push_back(iso(b.to));
            price.push_back(round_to(b.shadow_price, 100));
        }
        r.table("bottlenecks")
            .texts("site", site)
            .texts("resource", resource)
            .texts("from", from)
            .texts("to", to)
            .numbers("shadow_price", price, "unit-h")
            .texts("unit", unit);
        std::vector<std::string> s_site, s_res, s_from, s_to, s_change, s_text;
        std::vector<double> s_days, s_late;
        for (const auto& s : suggestions) {
            s_site.push_back(s.site), s_res.push_back(s.resource), s_from.push_back(iso(s.from));
            s_to.push_back(iso(s.to)), s_change.push_back(s.more_text), s_text.push_back(s.text);
            s_days.push_back(round_to(s.serial_days, 100)), s_late.push_back(round_to(s.lateness_h, 10));
        }
        r.table("sensitivity")
            .texts("site", s_site)
            .texts("resource", s_res)
            .texts("from", s_from)
            .texts("to", s_to)
            .texts("change", s_change)
            .numbers("serial_days_saved", s_days, "serial-days")
            .numbers("lateness_saved_h", s_late, "unit-h")
            .texts("text", s_text);
    }

    // ---- summary
    std::vector<hns::Time> closures;
    for (const auto& run_i : runs) closures.push_back(run_i.closure);
    const hns::Time p90_closure = percentile(closures, 90), p50_closure = percentile(closures, 50);
    int late = 0, not_closed = 0;
    for (const auto& s : sched.serials) late += s.closed != 0 && late_enough(s.late_h), not_closed += s.closed == 0;
    // ---- diplomatic clearances and life support (support.hpp)
    const auto clear = hns::clearances(dep, rsom, sched);
    {
        std::vector<std::string> border, serial, deadline, file_by, earliest, planned, rdd, in_time, note;
        std::vector<double> lead;
        for (const auto& c : clear) {
            border.push_back(c.border), serial.push_back(c.serial), lead.push_back(c.lead_working_days);
            deadline.push_back(iso(c.filing_deadline)), file_by.push_back(iso(c.file_by));
            earliest.push_back(iso(c.earliest_crossing)), planned.push_back(iso(c.planned_crossing));
            rdd.push_back(iso(c.rdd)), in_time.push_back(c.in_time ? "yes" : "no"), note.push_back(c.note);
        }
        r.table("clearances")
            .texts("border", border)
            .texts("serial", serial)
            .texts("filing_deadline", deadline)
            .texts("earliest_crossing", earliest)
            .numbers("lead_working_days", lead, "working days")
            .texts("file_by", file_by)
            .texts("planned_crossing", planned)
            .texts("rdd", rdd)
            .texts("in_time", in_time)
            .texts("note", note);
    }
    const auto life = hns::life_support(dep, rsom, cat.catalogue, sched);
    const auto life_sum = hns::life_support_summary(life);
    {
        std::vector<std::string> site, kind, date, no_figure, shortfall;
        std::vector<double> persons, vehicles, person_days, vehicle_days, beds_needed, beds, meals, water, fuel,
            fuel_cap, parking;
        auto opt = [](const std::optional<double>& v) { return v ? round_to(*v, 100) : kEmpty; };
        for (const auto& l : life) {
            site.push_back(l.site), kind.push_back(l.kind), date.push_back(l.date);
            persons.push_back(l.persons), vehicles.push_back(l.vehicles);
            person_days.push_back(round_to(l.person_days, 100)), vehicle_days.push_back(round_to(l.vehicle_days, 100));
            beds_needed.push_back(round_to(l.beds_needed, 100)), beds.push_back(opt(l.beds));
            meals.push_back(round_to(l.meals, 10)), water.push_back(round_to(l.water_l, 10));
            fuel.push_back(round_to(l.fuel_l, 10)), fuel_cap.push_back(opt(l.fuel_capacity_l));
            parking.push_back(opt(l.vehicle_parking));
            no_figure.push_back(l.no_figure), shortfall.push_back(l.shortfall);
        }
        r.table("life_support")
            .texts("site", site)
            .texts("kind", kind)
            .texts("date", date)
            .numbers("persons", persons)
            .numbers("vehicles", vehicles)
            .numbers("person_days", person_days)
            .numbers("vehicle_days", vehicle_days)
            .numbers("beds_needed", beds_needed)
            .numbers("beds", beds)
            .numbers("vehicle_parking", parking)
            .numbers("meals", meals)
            .numbers("water_l", water, "l")
            .numbers("fuel_l", fuel, "l")
            .numbers("fuel_capacity_l", fuel_cap, "l")
            .texts("shortfall", shortfall)
            .texts("no_figure", no_figure);
    }

    r.table("summary")
        .texts("closure", {iso(sched.closure)})
        .numbers("closure_h", {hours_after(sched.closure)}, "h")
        .numbers("closure_lp_h", {pr.closure_lp_h < 0 ? kEmpty : round_to(pr.closure_lp_h, 100)}, "h")
        .numbers("closure_p50_h", {runs.empty() ? kEmpty : hours_after(p50_closure)}, "h")
        .numbers("closure_p90_h", {runs.empty() ? kEmpty : hours_after(p90_closure)}, "h")
        .numbers("late_serials", {static_cast<double>(late)})
        .numbers("serials", {static_cast<double>(all_serials.size())})
        .numbers("refused_serials", {static_cast<double>(refused.size())})
        .numbers("not_closed_serials", {static_cast<double>(not_closed)})
        .numbers("trains", {static_cast<double>(sched.trains.size())})
        .numbers("lp_rows", {static_cast<double>(lp.rows())})
        .numbers("lp_columns", {static_cast<double>(lp.columns())})
        .numbers("lp_lateness", {round_to(pr.solution.lateness, 10)}, "unit-h")
        .numbers("solve_s", {round_to(solve_s, 100)}, "s")
        .numbers("replications", {static_cast<double>(runs.size())})
        .numbers(
            "clearances_not_in_time",
            {static_cast<double>(std::count_if(clear.begin(), clear.end(), [](const auto& c) { return !c.in_time; }))})
        .numbers("life_support_short_days",
                 {static_cast<double>(
                     std::count_if(life.begin(), life.end(), [](const auto& l) { return !l.shortfall.empty(); }))});

    // ---- layers: sites by peak utilisation, and the movements
    {
        auto layer = r.result_layer("hns_sites", "#1a9850", 8, "label");
        std::set<std::string> shown;
        for (const auto& c : rsom.capacities) {
            if (!shown.insert(c.site).second) continue;
            const auto inf = cat.info.find(c.site);
            if (inf == cat.info.end()) continue;
            const double peak = site_peak.count(c.site) ? site_peak[c.site] : 0;
            const auto& site = cat.catalogue.at(c.site);
            layer.add(c.site, sdk::Geometry::point(inf->second.lon, inf->second.lat))
                .set("site", c.site)
                .set("name", site.name)
                .set("kind", site.kind)
                .set("peak_utilisation_pct", round_to(100 * peak, 10))
                .set("binding_resource", site_binding[c.site])
                .set("label", site.name + " " + fmt(100 * peak) + "%")
                .style(utilisation_colour(peak), 8);
        }
    }
    {
        auto layer = r.result_layer("movements", "#3949ab", 2.5, "serial");
        std::size_t n = 0;
        for (const auto& m : sched.movements) {
            if (m.from == m.to) continue;
            const auto a = cat.info.find(m.from), b = cat.info.find(m.to);
            if (a == cat.info.end() || b == cat.info.end()) continue;
            const auto mode = m.mode == "rail" ? hns::Onward::Rail : hns::Onward::Road;
            const auto line = links.lines.find(HostLinks::line_key(m.from, m.to, mode));
            const sdk::Geometry g =
                line != links.lines.end()
                    ? line->second
                    : sdk::Geometry::line({{a->second.lon, a->second.lat}, {b->second.lon, b->second.lat}});
            layer.add("M" + std::to_string(++n) + " " + m.serial, g)
                .set("serial", m.serial)
                .set("mode", m.mode)
                .set("from", m.from)
                .set("to", m.to)
                .set("depart", iso(m.depart))
                .set("arrive", iso(m.arrive))
                .set("elements", m.elements)
                .set("pax", m.pax)
                .style(m.mode == "rail" ? "#6a1b9a" : "#3949ab", m.mode == "rail" ? 3.0 : 2.5);
        }
        layer.role("movements", "depart", "arrive");
    }

    // ---- messages
    if (sched.closure)
        r.info("closure (simulated schedule): " + iso(sched.closure) + " (" + c_day(start, sched.closure) + ", " +
               fmt(hours_after(sched.closure), 1) + " h after C-day)");
    else
        r.warning(std::to_string(not_closed) + " serials do not close within the horizon of " +
                  std::to_string(dep.horizon_days) + " days (the serials table says what each waited on last)");
    if (pr.closure_lp >= 0)
        r.info("earliest closure of the flow plan (daily rates spread over the day): " + fmt(pr.closure_lp_h, 1) +
               " h after C-day");
    if (!runs.empty() && p90_closure)
        r.info("closure over " + std::to_string(runs.size()) + " replications: P50 " +
               fmt(hours_after(p50_closure), 1) + " h, P90 " + fmt(hours_after(p90_closure), 1) + " h");
    r.info(std::to_string(late) + " of " + std::to_string(sched.serials.size()) +
           " serials close after their RDD in the simulated schedule; LP " + std::to_string(lp.rows()) + " rows x " +
           std::to_string(lp.columns()) + " columns solved in " + fmt(solve_s, 2) + " s");
    if (!pr.bottlenecks.empty()) {
        const auto& b = pr.bottlenecks.front();
        r.info("bottleneck: " + b.resource + " at " + b.site + " from " + c_day(start, b.from) + " to " +
               c_day(start, b.to) + " (shadow price " + fmt(b.shadow_price, 1) + " unit-h)");
    }
    for (const auto& s : suggestions) r.info("suggestion: " + s.text);
    for (const auto& c : clear)
        if (!c.in_time) r.warning("clearance: " + c.serial + " at " + c.border + ": " + c.note);
    for (const auto& l : life_sum)
        if (l.days_short > 0)
            r.warning("life support: " + l.site + " short of " + l.short_items + " on " + std::to_string(l.days_short) +
                      (l.days_short == 1 ? " day" : " days") + " from " + hns::iso_date(l.first_short) +
                      " (the life_support table has each day)");
    std::set<std::string> estimated;
    for (const auto& c : rsom.capacities)
        if (c.estimate) estimated.insert(c.site + ":" + c.key);
    if (!estimated.empty()) {
        std::string list;
        for (const auto& e : estimated) list += (list.empty() ? "" : ", ") + e;
        r.warning("capacities that are planning estimates in the site data: " + list);
    }
    r.progress(1.0, "done");
}

}  // namespace

MP_SDK_PLUGIN("hns-capacity", "Host-nation support: RSOM plan of a deployment", "2.0.0",
              "Reception, staging and onward movement of a deployment's serials (ships, flights, trains, road "
              "columns) through Belgian ports, airbases, staging areas, rail terminals and border crossings: the "
              "optimal plan (time-expanded LP) with its closure bound and priced bottlenecks, an executable "
              "schedule (serials, trains, movements, utilisation) and P50/P90 closures.",
              g_params, g_param_count, run)
