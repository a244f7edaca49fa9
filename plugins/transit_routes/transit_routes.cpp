// SPDX-License-Identifier: MIT
// transit-routes: routes for convoys by road, rail or road-rail-road, filtered per query
// by the vehicle's MLC, weight, axle load, height, width and length, with NATO bridge
// crossing modes, avoid areas, alternatives, a march table and isochrones. Layers and
// sites come from the host through the SDK; the routing is mp::network.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>

#include "mp/io/ogr_io.hpp"
#include "mp/network/build.hpp"
#include "mp/network/planner.hpp"
#include "mp/plugin.hpp"

namespace {

using namespace mp;
using namespace mp::network;

const char* const kModes[] = {"road", "rail", "multimodal", nullptr};
const char* const kMetrics[] = {"fastest", "shortest", nullptr};
const char* const kCrossings[] = {"normal", "caution", "risk", nullptr};

MpParamDef enum_param(const char* key, const char* label, const char* def, const char* const* choices,
                      const char* description) {
    MpParamDef p = sdk::param(key, label, MP_PARAM_ENUM, def, 0, description);
    p.choices = choices;
    return p;
}

MpParamDef list_param(const char* key, const char* label, const char* description) {
    MpParamDef p = sdk::param(key, label, MP_PARAM_LIST, nullptr, 0, description);
    p.item_type = MP_PARAM_STRING;
    return p;
}

const MpParamDef kParams[] = {
    sdk::param("from", "From", MP_PARAM_STRING, nullptr, 1, "Origin: a site id or name, or lon,lat"),
    sdk::param("to", "To", MP_PARAM_STRING, nullptr, 0,
               "Destination: a site id or name, or lon,lat (not needed for reach_hours)"),
    list_param("via", "Via", "Intermediate points in order (site ids/names or lon,lat)"),
    enum_param("mode", "Mode", "road", kModes, "road, rail, or multimodal (road - rail - road through rail terminals)"),
    enum_param("metric", "Objective", "fastest", kMetrics, "Minimise travel time or distance"),
    sdk::param("vehicle", "Vehicle preset", MP_PARAM_STRING, nullptr, 0,
               "Preset id from vehicles.json, e.g. tank-transporter-mbt"),
    sdk::number_param("mlc", "MLC", "", nullptr, 0, 200, "Military load class (overrides the preset)"),
    sdk::param("tracked", "Tracked", MP_PARAM_BOOL, nullptr, 0, "Use the tracked bridge class"),
    sdk::number_param("weight", "Gross weight", "t", nullptr, 0, 500, "Gross vehicle weight"),
    sdk::number_param("axle_load", "Axle load", "t", nullptr, 0, 100, "Heaviest axle load"),
    sdk::number_param("height", "Height", "m", nullptr, 0, 10, "Vehicle or load height"),
    sdk::number_param("width", "Width", "m", nullptr, 0, 10, "Vehicle width"),
    sdk::number_param("length", "Length", "m", nullptr, 0, 100, "Vehicle length"),
    sdk::number_param("max_speed", "Maximum speed", "km/h", nullptr, 1, 200, "Vehicle speed limit"),
    enum_param("crossing", "Bridge crossing", "normal", kCrossings,
               "Most relaxed NATO crossing mode allowed (docs/routing.md)"),
    sdk::param("avoid", "Avoid areas", MP_PARAM_STRING, nullptr, 0,
               "GDAL file (GeoJSON, GPKG...) of polygons not to enter"),
    sdk::param("alternatives", "Alternatives", MP_PARAM_INTEGER, "1", 0,
               "Number of routes with limited overlap (road mode)"),
    sdk::number_param("max_overlap", "Max overlap", "", "0.5", 0.05, 0.95, "Share of length an alternative may share"),
    sdk::number_param("transfer_h", "Transfer time", "h", "4", 0, 72,
                      "Loading or unloading per terminal when the site has none"),
    sdk::param("vehicles", "Convoy vehicles", MP_PARAM_INTEGER, "0", 0, "Vehicles in the column (0: no march table)"),
    sdk::number_param("interval", "Vehicle interval", "m", "100", 0, 5000, "Gap between vehicles"),
    sdk::number_param("density", "Density", "veh/km", "0", 0, 200, "Vehicles per km (replaces the interval when > 0)"),
    sdk::number_param("march_speed", "March speed", "km/h", "50", 1, 120, "Ordered march speed"),
    sdk::number_param("halt_every", "Halt every", "h", "2", 0, 24, "Driving time between halts (0: no halts)"),
    sdk::number_param("halt_min", "Halt length", "min", "10", 0, 600, "Length of each halt"),
    sdk::param("start", "Start time", MP_PARAM_STRING, "2026-01-01T06:00:00Z", 0, "ISO 8601 start time (UTC)"),
    sdk::number_param("reach_hours", "Reach within", "h", nullptr, 0.05, 48,
                      "Also (or only) compute the area reachable from 'from' within this time"),
    sdk::param("roads_layer", "Road layer", MP_PARAM_LAYER, "roads", 0, "Line layer of the road network"),
    sdk::param("rail_layer", "Rail layer", MP_PARAM_LAYER, "rail", 0, "Line layer of the rail network"),
    sdk::param("road_network", "Road network file", MP_PARAM_STRING, nullptr, 0,
               "Route on this file instead of the road layer: an OSM .osm/.osm.pbf extract (libosmium: access, "
               "limits and turn restrictions), a .mpgraph cache, or any GDAL line source; built once, then "
               "reloaded from the graph cache"),
    sdk::param("rail_network", "Rail network file", MP_PARAM_STRING, nullptr, 0,
               "Like road_network, for the rail network (OSM railway=rail)"),
};

// Attribute keys the network builder reads (LineMapping candidates and OSM access tags).
std::vector<std::string> line_keys() {
    const LineMapping m;
    std::vector<std::string> keys;
    for (const auto* list :
         {&m.class_fields, &m.speed_fields, &m.oneway_fields, &m.ref_fields, &m.name_fields, &m.id_fields,
          &m.structure_fields, &m.mlc_wheeled_fields, &m.mlc_tracked_fields, &m.maxweight_fields, &m.maxaxleload_fields,
          &m.maxheight_fields, &m.maxwidth_fields, &m.maxlength_fields, &m.km_fields})
        keys.insert(keys.end(), list->begin(), list->end());
    for (const char* k : {"bridge", "tunnel", "junction", "motorcar", "motor_vehicle"}) keys.emplace_back(k);
    std::sort(keys.begin(), keys.end());
    keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
    return keys;
}

geo::Geometry to_geometry(const MpGeometry& g) {
    auto pt = [&](std::size_t i) { return geo::lonlat(g.xy[2 * i], g.xy[2 * i + 1]); };
    auto part = [&](std::size_t r) {
        geo::LineString l;
        const std::size_t b = r == 0 ? 0 : g.ring_ends[r - 1];
        for (std::size_t i = b; i < g.ring_ends[r]; ++i) l.push_back(pt(i));
        return l;
    };
    switch (g.type) {
        case MP_GEOM_LINESTRING: return g.n_rings ? part(0) : geo::LineString{};
        case MP_GEOM_MULTILINESTRING: {
            geo::MultiLineString ml;
            for (std::size_t r = 0; r < g.n_rings; ++r) ml.push_back(part(r));
            return ml;
        }
        default: return std::monostate{};
    }
}

/// The host's line layer as an mp::layer::Layer (only the attributes the builder reads).
layer::Layer host_layer(sdk::Run& run, std::size_t l, const std::string& name) {
    static const std::vector<std::string> keys = line_keys();
    layer::Layer out;
    out.name = name;
    const std::size_t n = run.feature_count(l);
    out.features.reserve(n);
    for (std::size_t f = 0; f < n; ++f) {
        layer::Feature feat;
        feat.id = run.feature_id(l, f);
        feat.geometry = to_geometry(run.geometry(l, f));
        for (const auto& k : keys) {
            const char* v = nullptr;
            if (run.host()->feature_text(run.context(), l, f, k.c_str(), &v) != MP_OK || !v || !*v) continue;
            if (auto num = run.attr_number(l, f, k.c_str())) feat.attributes.set(k, *num);
            else feat.attributes.set(k, std::string(v));
        }
        out.features.push_back(std::move(feat));
        if ((f & 0xfff) == 0) run.check_cancelled();
    }
    return out;
}

/// Graphs, routers and their landmarks survive between runs of the same networks
/// (in-process runs: the map view). The catalogue is refreshed on every run.
struct Cached {
    std::string key;
    std::unique_ptr<Graph> road, rail;
    sites::Catalogue catalogue;
    std::unique_ptr<Planner> planner;
    bool prepared = false;
    int runs = 0;  // runs on these networks so far
};

/// Landmarks cost about 2 x 12 full Dijkstra runs: nothing on the embedded networks,
/// seconds on an extract of a million nodes, where one query alone is a fraction of a
/// second. So a large network gets them from its second run in the same process on
/// (the map view, batch runs in process), and a one-off CLI query runs without them.
constexpr std::size_t kPrepareAtOnceNodes = 200'000;

Cached& cache() {
    static Cached c;
    return c;
}

std::string layer_key(sdk::Run& run, std::size_t l) {
    if (l == sdk::kNone) return "-";
    const std::size_t n = run.feature_count(l);
    return run.layer_name(l) + "#" + std::to_string(n) + "#" +
           (n ? run.feature_id(l, 0) + run.feature_id(l, n - 1) : "");
}

sites::Catalogue host_sites(sdk::Run& run) {
    sites::Catalogue c;
    for (std::size_t i = 0; i < run.site_count(); ++i) {
        sites::Site s;
        s.id = run.site_text(i, "id");
        auto kind = sites::parse_kind(run.site_text(i, "kind"));
        if (!kind) continue;
        s.kind = *kind;
        s.name_en = run.site_text(i, "name_en");
        s.name_nl = run.site_text(i, "name_nl");
        s.name_fr = run.site_text(i, "name_fr");
        const auto [lon, lat] = run.site_location(i);
        s.geometry = geo::lonlat(lon, lat);
        for (const char* k : {"transfer_time_h", "loading_time_h"})
            if (auto v = run.site_number(i, k)) s.attributes.set(k, *v);
        c.add(std::move(s));
    }
    return c;
}

sdk::Geometry sdk_geometry(const geo::Geometry& g) {
    auto pts = [](const geo::LineString& l) {
        std::vector<std::pair<double, double>> v;
        for (const auto& p : l) v.emplace_back(geo::lon(p), geo::lat(p));
        return v;
    };
    if (auto* p = std::get_if<geo::LonLat>(&g)) return sdk::Geometry::point(geo::lon(*p), geo::lat(*p));
    if (auto* l = std::get_if<geo::LineString>(&g)) return sdk::Geometry::line(pts(*l));
    if (auto* ml = std::get_if<geo::MultiLineString>(&g)) {
        std::vector<std::vector<std::pair<double, double>>> lines;
        for (const auto& l : *ml) lines.push_back(pts(l));
        return sdk::Geometry::multi_line(lines);
    }
    if (auto* mp = std::get_if<geo::MultiPolygon>(&g)) {
        sdk::Geometry out{MP_GEOM_MULTIPOLYGON, {}, {}, {}};
        for (const auto& poly : *mp) {
            auto ring = [&](const geo::Ring& r) {
                for (const auto& p : r) out.xy.insert(out.xy.end(), {geo::lon(p), geo::lat(p)});
                out.ring_ends.push_back(static_cast<std::uint32_t>(out.xy.size() / 2));
            };
            ring(poly.outer());
            for (const auto& h : poly.inners()) ring(h);
            out.poly_ends.push_back(static_cast<std::uint32_t>(out.ring_ends.size()));
        }
        return out;
    }
    return {};
}

void emit_layer(sdk::Run& run, const layer::Layer& l, const std::string& color, double width,
                const std::string& label) {
    auto out = run.result_layer(l.name, color, width, label);
    for (const auto& f : l.features) {
        out.add(f.id, sdk_geometry(f.geometry));
        for (const auto& [k, v] : f.attributes.items()) {
            if (auto* b = std::get_if<bool>(&v)) out.set(k, *b);
            else if (auto* i = std::get_if<std::int64_t>(&v)) out.set(k, *i);
            else if (auto* d = std::get_if<double>(&v)) out.set(k, *d);
            else if (auto* s = std::get_if<std::string>(&v)) out.set(k, *s);
        }
        const std::string kind = f.attributes.text("kind");
        if (kind == "leg") out.style(f.attributes.text("network") == "rail" ? "#1f77b4" : "#ff7f0e", 2.5);
        else if (kind == "route" && f.attributes.number("route").value_or(1) > 1) out.style("#7f7f7f", 3);
    }
}

std::optional<Vehicle> vehicle_from(sdk::Run& run) {
    std::optional<Vehicle> v;
    if (run.has("vehicle")) {
        const std::string id = run.text("vehicle");
        const auto presets = default_vehicle_presets();
        for (const auto& p : presets)
            if (p.id == id) v = p;
        if (!v) {
            std::string names;
            for (const auto& p : presets) names += (names.empty() ? "" : ", ") + p.id;
            throw sdk::InputFailure("unknown vehicle preset '" + id + "' (known: " + names + ")");
        }
    }
    auto num = [&](const char* key, double Vehicle::*field) {
        if (!run.has(key)) return;
        if (!v) v = Vehicle{"custom", "custom vehicle", 0, false, 0, 0, 0, 0, 0, 0, ""};
        (*v).*field = run.number(key);
    };
    num("mlc", &Vehicle::mlc);
    num("weight", &Vehicle::gross_weight_t);
    num("axle_load", &Vehicle::axle_load_t);
    num("height", &Vehicle::height_m);
    num("width", &Vehicle::width_m);
    num("length", &Vehicle::length_m);
    num("max_speed", &Vehicle::max_speed_kmh);
    if (run.has("tracked")) {
        if (!v) v = Vehicle{"custom", "custom vehicle", 0, false, 0, 0, 0, 0, 0, 0, ""};
        v->tracked = run.flag("tracked");
    }
    return v;
}

std::vector<geo::Polygon> avoid_areas(const std::string& path) {
    std::vector<geo::Polygon> out;
    for (const auto& l : io::read_source(path))
        for (const auto& f : l.features) {
            if (auto* p = std::get_if<geo::Polygon>(&f.geometry)) out.push_back(*p);
            if (auto* mp = std::get_if<geo::MultiPolygon>(&f.geometry)) out.insert(out.end(), mp->begin(), mp->end());
        }
    if (out.empty()) throw sdk::InputFailure("no polygons to avoid in " + path);
    return out;
}

std::string hours(double s) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(2);
    os << s / 3600.0 << " h";
    return os.str();
}

/// Core progress reported through the run, mapped onto [lo, hi]; it turns the host's
/// cancel into the core's cancel flag.
class RunProgress : public Progress {
public:
    RunProgress(sdk::Run& run, double lo, double hi) : m_run(run), m_lo(lo), m_hi(hi) {}
    void report(double fraction, std::string_view stage) override {
        m_run.progress(m_lo + (m_hi - m_lo) * fraction, std::string(stage));
        if (m_run.cancelled()) cancel();
    }

private:
    sdk::Run& m_run;
    double m_lo, m_hi;
};

/// Where built graphs are cached: $ENABLEMENT_CACHE_DIR, else $XDG_CACHE_HOME/enablement/
/// graphs, else ~/.cache/enablement/graphs.
std::filesystem::path graph_cache_dir() {
    if (const char* d = std::getenv("ENABLEMENT_CACHE_DIR"); d && *d) return d;
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
        return std::filesystem::path(x) / "enablement" / "graphs";
    if (const char* h = std::getenv("HOME"); h && *h)
        return std::filesystem::path(h) / ".cache" / "enablement" / "graphs";
    return {};
}

/// A network from a file, through the on-disk graph cache: the cache entry is keyed by
/// the file's absolute path, size, modification time and the network kind, so an edited
/// extract is built again. A cache that cannot be read or written only costs a rebuild.
Graph network_from_file(sdk::Run& run, const std::string& path, NetworkKind kind, double lo, double hi) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_regular_file(path, ec))
        throw sdk::InputFailure("network file '" + path + "' does not exist or is not a file");
    const std::string ext = fs::path(path).extension().string();
    RunProgress progress(run, lo, hi);
    if (ext == ".mpgraph") return build_from_source(path, kind, {}, {}, progress);
    const fs::path abs = fs::absolute(path, ec);
    const auto size = fs::file_size(path, ec);
    const auto mtime = fs::last_write_time(path, ec).time_since_epoch().count();
    const std::string key = abs.string() + "|" + std::to_string(size) + "|" + std::to_string(mtime) + "|" +
                            std::string(network_kind_name(kind)) + "|v1";
    char name[32];
    std::snprintf(name, sizeof name, "%016zx.mpgraph", std::hash<std::string>{}(key));
    const fs::path dir = graph_cache_dir();
    const fs::path cached = dir.empty() ? fs::path() : dir / name;
    if (!cached.empty() && fs::exists(cached, ec)) {
        try {
            Graph g = load_cache(cached.string());
            run.info("network " + path + ": loaded from the graph cache " + cached.string() + " (" +
                     std::to_string(g.nodes()) + " nodes, " + std::to_string(g.edges()) + " edges)");
            return g;
        } catch (const std::exception& e) {
            run.warning("graph cache " + cached.string() + " unreadable (" + e.what() + "): building again");
        }
    }
    Graph g = build_from_source(path, kind, {}, {}, progress);
    if (progress.cancelled()) throw sdk::CancelledRun();
    run.info("network " + path + ": built " + std::to_string(g.nodes()) + " nodes, " + std::to_string(g.edges()) +
             " edges, " + std::to_string(g.forbidden_turns.size()) + " forbidden turns");
    if (!cached.empty()) {
        try {
            fs::create_directories(dir);
            save_cache(g, cached.string());
        } catch (const std::exception& e) {
            run.warning(std::string("graph not cached: ") + e.what());
        }
    }
    return g;
}

void run_routes(sdk::Run& run) {
    // Networks from the host's layers, cached across runs while the layers are the same.
    const std::string road_file = run.has("road_network") ? run.text("road_network") : "";
    const std::string rail_file = run.has("rail_network") ? run.text("rail_network") : "";
    const std::size_t rl =
        road_file.empty() ? run.layer(run.has("roads_layer") ? run.text("roads_layer") : "roads") : sdk::kNone;
    const std::size_t tl =
        rail_file.empty() ? run.layer(run.has("rail_layer") ? run.text("rail_layer") : "rail") : sdk::kNone;
    if (rl == sdk::kNone && tl == sdk::kNone && road_file.empty() && rail_file.empty())
        throw sdk::Failure("no road or rail layer loaded (roads_layer, rail_layer, road_network, rail_network)");
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    Cached& c = cache();
    const std::string key = (road_file.empty() ? layer_key(run, rl) : "file:" + road_file) + "|" +
                            (rail_file.empty() ? layer_key(run, tl) : "file:" + rail_file);
    if (c.key != key) {
        run.progress(0.05, "building networks");
        c.planner.reset();
        c.road.reset();
        c.rail.reset();
        c.key.clear();
        c.prepared = false;
        c.runs = 0;
        if (!road_file.empty())
            c.road = std::make_unique<Graph>(network_from_file(run, road_file, NetworkKind::Road, 0.05, 0.15));
        else if (rl != sdk::kNone)
            c.road =
                std::make_unique<Graph>(build_from_layer(host_layer(run, rl, run.layer_name(rl)), NetworkKind::Road));
        if (!rail_file.empty())
            c.rail = std::make_unique<Graph>(network_from_file(run, rail_file, NetworkKind::Rail, 0.15, 0.2));
        else if (tl != sdk::kNone)
            c.rail =
                std::make_unique<Graph>(build_from_layer(host_layer(run, tl, run.layer_name(tl)), NetworkKind::Rail));
        c.key = key;
    }
    run.check_cancelled();
    c.catalogue = host_sites(run);
    if (!c.planner) c.planner = std::make_unique<Planner>(c.road.get(), c.rail.get(), &c.catalogue);
    Planner& planner = *c.planner;
    ++c.runs;
    const std::size_t nodes = std::max(c.road ? c.road->nodes() : 0, c.rail ? c.rail->nodes() : 0);
    if (!c.prepared && (nodes < kPrepareAtOnceNodes || c.runs > 1)) {
        run.progress(0.2, "landmarks");
        RunProgress lp(run, 0.2, 0.45);
        planner.prepare(lp);
        c.prepared = true;
    }
    run.check_cancelled();

    QueryOptions q;
    q.metric = run.has("metric") && run.text("metric") == "shortest" ? Metric::Shortest : Metric::Fastest;
    q.vehicle = vehicle_from(run);
    if (run.has("crossing"))
        q.highest_crossing = parse_crossing_mode(run.text("crossing")).value_or(CrossingMode::Normal);
    if (run.has("avoid")) q.avoid = avoid_areas(run.text("avoid"));
    const std::string profile = q.vehicle ? q.vehicle->id : "unrestricted";
    const std::string from = run.text("from");

    if (run.has("reach_hours")) {
        const double h = run.number("reach_hours");
        run.progress(0.5, "isochrone");
        auto iso = planner.reach(from, h, q);
        if (!iso) throw sdk::Failure(iso.reason());
        emit_layer(run, isochrone_to_layer(*iso, from, h), "#2ca02c40", 1.5, "");
        run.info("reach from " + from + " within " + hours(h * 3600) + " (" + profile +
                 "): " + std::to_string(iso->nodes) + " network nodes");
        if (!run.has("to")) return;
    }
    if (!run.has("to")) throw sdk::Failure("parameter 'to' is required (unless reach_hours is given)");

    PlanRequest req;
    req.from = from;
    req.to = run.text("to");
    if (run.has("via")) req.vias = run.list("via");
    req.mode = parse_travel_mode(run.has("mode") ? run.text("mode") : "road").value_or(TravelMode::Road);
    req.options = q;
    req.alternatives =
        static_cast<std::size_t>(std::max<std::int64_t>(1, run.has("alternatives") ? run.integer("alternatives") : 1));
    if (run.has("transfer_h")) req.default_transfer_h = run.number("transfer_h");
    if (run.has("vehicles")) req.march.vehicles = static_cast<int>(run.integer("vehicles"));
    if (run.has("interval")) req.march.interval_m = run.number("interval");
    if (run.has("density")) req.march.density_per_km = run.number("density");
    if (run.has("march_speed")) req.march.march_speed_kmh = run.number("march_speed");
    if (run.has("halt_every")) req.march.halt_every_h = run.number("halt_every");
    if (run.has("halt_min")) req.march.halt_min = run.number("halt_min");
    if (run.has("start")) req.march.start_time = run.text("start");
    run.progress(0.5, "routing");
    auto plan = planner.plan(req);
    if (!plan) throw sdk::Failure(plan.reason());
    emit_layer(run, plan_to_layer(*plan), "#d62728", 4, "kind");

    for (std::size_t i = 0; i < plan->movements.size(); ++i) {
        const Movement& m = plan->movements[i];
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(1);
        os << "route " << i + 1 << " (" << travel_mode_name(plan->mode) << ", " << profile
           << "): " << m.distance_m / 1000 << " km, " << hours(m.duration_s);
        std::size_t crossings = 0;
        for (const auto& l : m.legs) crossings += l.path.crossings.size();
        os << ", " << m.legs.size() << (m.legs.size() == 1 ? " leg" : " legs") << ", " << crossings
           << " bridge crossings";
        std::string roads;  // legs separated by " | ": road, rail line numbers, road
        for (const auto& l : m.legs) {
            std::string leg;
            for (const auto& rc : l.path.road_changes) leg += (leg.empty() ? "" : " > ") + rc.ref;
            if (!leg.empty())
                roads +=
                    std::string(roads.empty() ? "" : " | ") + (l.network == NetworkKind::Rail ? "rail " : "") + leg;
        }
        if (!roads.empty()) os << "; via " << roads;
        for (const auto& l : m.legs)
            for (const auto& cr : l.path.crossings)
                if (cr.mode != CrossingMode::Normal)
                    os << "; " << crossing_mode_name(cr.mode) << " crossing: " << cr.label;
        run.info(os.str());
    }
    // Table: legs of every route; and the march table of the first route.
    {
        std::vector<double> route, leg, dist, dur, cross;
        std::vector<std::string> net, from_l, to_l, binding, roads;
        for (std::size_t i = 0; i < plan->movements.size(); ++i)
            for (std::size_t j = 0; j < plan->movements[i].legs.size(); ++j) {
                const Leg& l = plan->movements[i].legs[j];
                route.push_back(static_cast<double>(i + 1));
                leg.push_back(static_cast<double>(j + 1));
                net.emplace_back(network_kind_name(l.network));
                from_l.push_back(l.from_label);
                to_l.push_back(l.to_label);
                dist.push_back(std::round(l.path.distance_m));
                dur.push_back(std::round(l.path.duration_s));
                cross.push_back(static_cast<double>(l.path.crossings.size()));
                std::string rd;
                for (const auto& rc : l.path.road_changes) rd += (rd.empty() ? "" : " > ") + rc.ref;
                roads.push_back(rd);
                std::string b;
                for (const auto& x : l.path.binding) {
                    // "mlc 60 (vehicle 50) at bridge on N4 ... at route km 12.3"
                    char buf[64];
                    std::snprintf(buf, sizeof buf, "%s %g", x.quantity.c_str(), x.limit);
                    b += (b.empty() ? "" : "; ") + std::string(buf);
                    if (x.vehicle > 0) {
                        std::snprintf(buf, sizeof buf, " (vehicle %g)", x.vehicle);
                        b += buf;
                    }
                    if (!x.label.empty()) b += " at " + x.label;
                }
                binding.push_back(b);
            }
        run.table("legs")
            .numbers("route", route)
            .numbers("leg", leg)
            .texts("network", net)
            .texts("from", from_l)
            .texts("to", to_l)
            .numbers("distance_m", dist, "m")
            .numbers("duration_s", dur, "s")
            .texts("roads", roads)
            .numbers("crossings", cross)
            .texts("binding", binding);
    }
    if (const auto& march = plan->movements.front().march) {
        std::vector<double> leg, km, ha_s, tc_s;
        std::vector<std::string> cp, ha, tc;
        for (const auto& r : march->rows) {
            leg.push_back(r.leg);
            cp.push_back(r.checkpoint);
            km.push_back(std::round(r.km * 10) / 10);
            ha.push_back(r.head_arrival);
            tc.push_back(r.tail_clear);
            ha_s.push_back(std::round(r.head_arrival_s));
            tc_s.push_back(std::round(r.tail_clear_s));
        }
        run.table("march_table")
            .numbers("leg", leg)
            .texts("checkpoint", cp)
            .numbers("km", km, "km")
            .texts("head_arrival", ha)
            .texts("tail_clear", tc)
            .numbers("head_arrival_s", ha_s, "s")
            .numbers("tail_clear_s", tc_s, "s");
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(0);
        os << "march table: column " << march->column_length_m << " m, pass time " << march->pass_time_s << " s, "
           << march->halts << " halts, tail clears destination at " << march->rows.back().tail_clear;
        run.info(os.str());
    }
    run.progress(1.0, "done");
}

void run_entry(sdk::Run& run) {
    try {
        run_routes(run);
    } catch (const mp::InputError& e) {
        throw sdk::InputFailure(e.what());  // unknown site, a point off every network, a bad file
    } catch (const mp::UsageError& e) {
        throw sdk::InputFailure(e.what());
    } catch (const mp::Error& e) {
        throw sdk::Failure(e.what());
    }
}

}  // namespace

MP_SDK_PLUGIN("transit-routes", "Transit routes", "1.0.0",
              "Constraint-aware road, rail and multimodal routes for convoys (vehicle MLC and size limits per query, "
              "NATO bridge crossing modes, alternatives, isochrones, march table)",
              kParams, sizeof(kParams) / sizeof(kParams[0]), run_entry)
