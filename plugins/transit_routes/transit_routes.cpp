// SPDX-License-Identifier: MIT
// transit-routes: routes for convoys by road, rail or road-rail-road, filtered per query
// by the vehicle's MLC, weight, axle load, height, width and length, with NATO bridge
// crossing modes, avoid areas, alternatives, a march table and isochrones. The host
// computes (its network services: networks, routes with their march tables, reach);
// this plugin only asks through the SDK and formats the answer as layers, tables and
// messages (schema in docs/routing.md).
#include <charconv>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "mp/plugin.hpp"

namespace {

using namespace mp;

const char* const kModes[] = {"road", "rail", "multimodal", nullptr};
const char* const kMetrics[] = {"fastest", "shortest", nullptr};
const char* const kCrossings[] = {"normal", "caution", "risk", nullptr};

MpParamDef enum_param(const char* key, const char* label, const char* def, const char* const* choices,
                      const char* description) {
    MpParamDef p = sdk::param(key, label, MP_PARAM_ENUM, def, 0, description);
    p.choices = choices;
    return p;
}

// An integer with bounds: the host refuses -10, 2.5 or 1e9 before the run starts.
MpParamDef int_param(const char* key, const char* label, const char* def, double min, double max,
                     const char* description) {
    MpParamDef p = sdk::param(key, label, MP_PARAM_INTEGER, def, 0, description);
    p.has_min = 1, p.min = min, p.has_max = 1, p.max = max;
    return p;
}

MpParamDef place_list_param(const char* key, const char* label, const char* description) {
    MpParamDef p = sdk::param(key, label, MP_PARAM_LIST, nullptr, 0, description);
    p.item_type = MP_PARAM_PLACE;
    return p;
}

constexpr const char* kNetworkFiles = "*.osm;*.pbf;*.osm.bz2;*.mpgraph;*.gpkg;*.geojson;*.shp;*.fgb";

const MpParamDef kParams[] = {
    sdk::place_param("from", "From", nullptr, 1, "Origin: a site id or name, or lon,lat"),
    sdk::place_param("to", "To", nullptr, 0, "Destination: a site id or name, or lon,lat (not needed for reach_hours)"),
    place_list_param("via", "Via", "Intermediate points in order (site ids/names or lon,lat)"),
    enum_param("mode", "Mode", "road", kModes, "road, rail, or multimodal (road - rail - road through rail terminals)"),
    enum_param("metric", "Objective", "fastest", kMetrics, "Minimise travel time or distance"),
    sdk::host_enum_param("vehicle", "Vehicle preset", "vehicle-presets", nullptr, 0,
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
    sdk::file_param("avoid", "Avoid areas", MP_FILE_IN, "*.geojson;*.gpkg;*.shp;*.fgb;*.kml", 0,
                    "GDAL file (GeoJSON, GPKG...) of polygons not to enter"),
    int_param("alternatives", "Alternatives", "1", 1, 10, "Number of routes with limited overlap (road mode)"),
    sdk::number_param("max_overlap", "Max overlap", "", "0.5", 0.05, 0.95, "Share of length an alternative may share"),
    sdk::number_param("transfer_h", "Transfer time", "h", "4", 0, 72,
                      "Loading or unloading per terminal when the site has none"),
    int_param("vehicles", "Convoy vehicles", nullptr, 1, 10000, "Vehicles in the column (none: no march table)"),
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
    sdk::file_param("road_network", "Road network file", MP_FILE_IN, kNetworkFiles, 0,
                    "Route on this file instead of the road layer: an OSM .osm/.osm.pbf extract (libosmium: access, "
                    "limits and turn restrictions), a .mpgraph cache, or any GDAL line source; built once, then "
                    "reloaded from the graph cache"),
    sdk::file_param("rail_network", "Rail network file", MP_FILE_IN, kNetworkFiles, 0,
                    "Like road_network, for the rail network (OSM railway=rail)"),
};

// ---- text as the core wrote it (nlohmann::json arrays, fixed-point figures) ----

/// A JSON number as nlohmann::json writes a double: the shortest round-trip digits, in
/// fixed notation with ".0" when integral, exponent notation outside 1e-4..1e15.
std::string json_number(double v) {
    if (!std::isfinite(v)) return "null";
    char sci[64];
    const auto r = std::to_chars(sci, sci + sizeof sci, v, std::chars_format::scientific);
    std::string s(sci, r.ptr);  // "-d.ddde+XX"
    std::string sign;
    if (s[0] == '-') sign = "-", s.erase(0, 1);
    const auto e = s.find('e');
    const int exp10 = std::stoi(s.substr(e + 1));
    std::string digits = s.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'
    const int k = static_cast<int>(digits.size()), n = exp10 + 1;
    if (k <= n && n <= 15) return sign + digits + std::string(static_cast<std::size_t>(n - k), '0') + ".0";
    if (0 < n && n <= 15) return sign + digits.substr(0, n) + "." + digits.substr(n);
    if (-4 < n && n <= 0) return sign + "0." + std::string(static_cast<std::size_t>(-n), '0') + digits;
    char ex[16];
    std::snprintf(ex, sizeof ex, "e%c%02d", n - 1 < 0 ? '-' : '+', std::abs(n - 1));
    return sign + digits.substr(0, 1) + (k > 1 ? "." + digits.substr(1) : "") + ex;
}

/// A JSON string as nlohmann::json writes it (UTF-8 kept, control characters escaped).
std::string json_string(const std::string& s) {
    std::string out = "\"";
    for (const unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20) {
                    char buf[8];
                    std::snprintf(buf, sizeof buf, "\\u%04x", c);
                    out += buf;
                } else {
                    out += static_cast<char>(c);
                }
        }
    }
    return out + "\"";
}

const char* crossing_mode_name(int mode) { return mode == 3 ? "risk" : mode == 2 ? "caution" : "normal"; }
const char* network_name(MpNetworkKind k) { return k == MP_NETWORK_RAIL ? "rail" : "road"; }
const char* mode_name(MpTravelMode m) {
    return m == MP_TRAVEL_RAIL ? "rail" : m == MP_TRAVEL_MULTIMODAL ? "multimodal" : "road";
}
const char* metric_name(MpMetric m) { return m == MP_METRIC_SHORTEST ? "shortest" : "fastest"; }

/// The objects of a leg's crossings, comma-separated (keys in nlohmann's sorted order).
std::string crossing_objects(const sdk::Route::Leg& l) {
    std::string out;
    for (const auto& c : l.crossings)
        out += std::string(out.empty() ? "" : ",") + "{\"lat\":" + json_number(c.lat) +
               ",\"lon\":" + json_number(c.lon) + ",\"mode\":" + json_string(crossing_mode_name(c.mode)) +
               ",\"posted_mlc\":" + json_number(c.posted_mlc) +
               ",\"route_km\":" + json_number(std::round(c.route_km * 10) / 10) +
               ",\"structure\":" + json_string(c.label) + ",\"vehicle_mlc\":" + json_number(c.vehicle_mlc) + "}";
    return out;
}

std::string binding_objects(const sdk::Route::Leg& l) {
    std::string out;
    for (const auto& b : l.binding)
        out += std::string(out.empty() ? "" : ",") + "{\"limit\":" + json_number(std::round(b.limit * 100) / 100) +
               ",\"quantity\":" + json_string(b.quantity) +
               ",\"vehicle\":" + json_number(std::round(b.vehicle * 100) / 100) + ",\"where\":" + json_string(b.label) +
               "}";
    return out;
}

/// A JSON array of comma-separated objects, the parts joined.
std::string json_array(const std::vector<std::string>& parts) {
    std::string out;
    for (const auto& p : parts)
        if (!p.empty()) out += (out.empty() ? "" : ",") + p;
    return "[" + out + "]";
}

/// "N31 > E40 > E313": the roads of a leg in order.
std::string roads_text(const sdk::Route::Leg& l) {
    std::string out;
    for (const auto& c : l.road_changes) out += (out.empty() ? "" : " > ") + c.ref;
    return out;
}

std::string hours(double s) {
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(2);
    os << s / 3600.0 << " h";
    return os.str();
}

// ---- the question ----

/// The vehicle of the query, when any vehicle parameter is set (else unrestricted).
std::optional<sdk::VehicleProfile> vehicle_from(const sdk::Run& run) {
    bool any = run.has("vehicle") || run.has("tracked");
    sdk::VehicleProfile v;
    if (run.has("vehicle")) v.preset = run.text("vehicle");
    const std::pair<const char*, double sdk::VehicleProfile::*> figures[] = {
        {"mlc", &sdk::VehicleProfile::mlc},
        {"weight", &sdk::VehicleProfile::gross_weight_t},
        {"axle_load", &sdk::VehicleProfile::axle_load_t},
        {"height", &sdk::VehicleProfile::height_m},
        {"width", &sdk::VehicleProfile::width_m},
        {"length", &sdk::VehicleProfile::length_m},
        {"max_speed", &sdk::VehicleProfile::max_speed_kmh}};
    for (const auto& [key, field] : figures)
        if (run.has(key)) v.*field = run.number(key), any = true;
    if (run.has("tracked")) v.tracked = run.flag("tracked") ? 1 : 0;
    if (!any) return std::nullopt;
    const std::string crossing = run.has("crossing") ? run.text("crossing") : "normal";
    v.highest_crossing = crossing == "risk" ? 3 : crossing == "caution" ? 2 : 1;
    return v;
}

std::string profile_name(const std::optional<sdk::VehicleProfile>& v) {
    if (!v) return "unrestricted";
    return v->preset.empty() ? "custom" : v->preset;
}

/// The polygons of the avoid file, read by the host (layer_load).
std::vector<sdk::Geometry> avoid_areas(sdk::Run& run) {
    run.require(MP_HOST_HAS(run.host(), layer_load), "layer_load");
    std::size_t first = 0, count = 0;
    run.status(run.host()->layer_load(run.context(), "avoid", &first, &count), "parameter 'avoid'");
    std::vector<sdk::Geometry> out;
    for (std::size_t l = first; l < first + count; ++l)
        for (std::size_t f = 0; f < run.feature_count(l); ++f) {
            const MpGeometry g = run.geometry(l, f);
            if (g.type == MP_GEOM_POLYGON || g.type == MP_GEOM_MULTIPOLYGON) out.push_back(sdk::Geometry::from(g));
        }
    if (out.empty()) throw sdk::InputFailure("no polygons to avoid in " + run.text("avoid") + " (parameter 'avoid')");
    return out;
}

// ---- the answer ----

void emit_reach(sdk::Run& run, const sdk::Reach& reach, const std::string& from, double h) {
    auto out = run.result_layer("reach", "#2ca02c40", 1.5);
    out.add("reach", reach.area);
    out.set("kind", "isochrone").set("from", from).set("hours", h).set("nodes", reach.nodes);
}

sdk::Geometry route_geometry(const sdk::Route::Movement& mv) {
    if (mv.legs.size() == 1) return mv.legs.front().line;
    sdk::Geometry g{MP_GEOM_MULTILINESTRING, {}, {}, {}};
    for (const auto& l : mv.legs) {
        g.xy.insert(g.xy.end(), l.line.xy.begin(), l.line.xy.end());
        g.ring_ends.push_back(static_cast<std::uint32_t>(g.xy.size() / 2));
    }
    return g;
}

/// The routes layer (docs/routing.md section 5): a feature per movement and per leg, and
/// points for the transfers of the best movement, the origin, vias and destination.
void emit_routes(sdk::Run& run, const sdk::Route& r) {
    auto out = run.result_layer("routes", "#d62728", 4, "kind");
    const std::string mode = mode_name(r.mode), metric = metric_name(r.metric);
    auto point = [&](const std::string& id, const char* kind, const std::string& name, double lon, double lat) {
        out.add(id, sdk::Geometry::point(lon, lat)).set("kind", kind).set("name", name);
    };
    for (std::size_t mi = 0; mi < r.movements.size(); ++mi) {
        const auto& mv = r.movements[mi];
        const std::string route_id = "route-" + std::to_string(mi + 1);
        const auto route_no = static_cast<std::int64_t>(mi + 1);
        std::string roads;
        std::vector<std::string> crossings, binding;
        for (const auto& l : mv.legs) {
            const std::string lr = roads_text(l);
            if (!lr.empty()) roads += (roads.empty() ? "" : " | ") + lr;
            crossings.push_back(crossing_objects(l));
            binding.push_back(binding_objects(l));
        }
        out.add(route_id, route_geometry(mv));
        out.set("kind", "route").set("route", route_no).set("mode", mode).set("profile", r.profile);
        out.set("metric", metric).set("from", r.from_label).set("to", r.to_label);
        out.set("distance_m", std::round(mv.distance_m)).set("duration_s", std::round(mv.duration_s));
        out.set("transfer_s", std::round(mv.transfer_s)).set("legs", mv.legs.size()).set("roads", roads);
        out.set("crossings", json_array(crossings)).set("binding", json_array(binding));
        if (!mv.march.empty()) {
            out.set("march_start", mv.march.front().head_arrival);
            out.set("march_head_arrival", mv.march.back().head_arrival);
            out.set("march_tail_clear", mv.march.back().tail_clear);
            out.set("column_length_m", std::round(mv.column_length_m));
            out.set("pass_time_s", std::round(mv.pass_time_s));
        }
        if (mi > 0) out.style("#7f7f7f", 3);
        for (std::size_t li = 0; li < mv.legs.size(); ++li) {
            const auto& l = mv.legs[li];
            const int leg_no = static_cast<int>(li + 1);
            out.add(route_id + "-leg-" + std::to_string(li + 1), l.line);
            out.set("kind", "leg").set("route", route_no).set("leg", leg_no).set("mode", mode);
            out.set("network", network_name(l.network));
            out.set("profile", l.network == MP_NETWORK_RAIL ? std::string("train") : r.profile);
            out.set("metric", metric).set("from", l.from_label).set("to", l.to_label);
            out.set("distance_m", std::round(l.distance_m)).set("duration_s", std::round(l.duration_s));
            out.set("roads", roads_text(l));
            out.set("crossings", "[" + crossing_objects(l) + "]").set("binding", "[" + binding_objects(l) + "]");
            const sdk::Route::MarchRow *start = nullptr, *arrive = nullptr;
            for (const auto& row : mv.march) {
                if (row.leg != leg_no) continue;
                if (row.checkpoint.rfind("start", 0) == 0) start = &row;
                if (row.checkpoint.rfind("arrive", 0) == 0) arrive = &row;
            }
            if (start) out.set("march_start", start->head_arrival);
            if (arrive) out.set("march_head_arrival", arrive->head_arrival).set("march_tail_clear", arrive->tail_clear);
            out.style(l.network == MP_NETWORK_RAIL ? "#1f77b4" : "#ff7f0e", 2.5);
        }
        for (std::size_t ti = 0; ti < mv.transfers.size() && mi == 0; ++ti)
            point("transfer-" + std::to_string(ti + 1), "transfer", mv.transfers[ti].site, mv.transfers[ti].lon,
                  mv.transfers[ti].lat);
    }
    point("origin", "origin", r.from_label, r.from_lon, r.from_lat);
    for (std::size_t i = 0; i < r.vias.size(); ++i)
        point("via-" + std::to_string(i + 1), "via", r.vias[i].label, r.vias[i].lon, r.vias[i].lat);
    point("destination", "destination", r.to_label, r.to_lon, r.to_lat);
}

/// One line per movement: "route 1 (road, wheeled-truck): 210.3 km, 2.41 h, 1 leg, ...".
void route_messages(sdk::Run& run, const sdk::Route& r) {
    for (std::size_t i = 0; i < r.movements.size(); ++i) {
        const auto& m = r.movements[i];
        std::ostringstream os;
        os.setf(std::ios::fixed);
        os.precision(1);
        os << "route " << i + 1 << " (" << mode_name(r.mode) << ", " << r.profile << "): " << m.distance_m / 1000
           << " km, " << hours(m.duration_s);
        std::size_t crossings = 0;
        for (const auto& l : m.legs) crossings += l.crossings.size();
        os << ", " << m.legs.size() << (m.legs.size() == 1 ? " leg" : " legs") << ", " << crossings
           << " bridge crossings";
        std::string roads;  // legs separated by " | ": road, rail line numbers, road
        for (const auto& l : m.legs)
            if (const std::string leg = roads_text(l); !leg.empty())
                roads += std::string(roads.empty() ? "" : " | ") + (l.network == MP_NETWORK_RAIL ? "rail " : "") + leg;
        if (!roads.empty()) os << "; via " << roads;
        for (const auto& l : m.legs)
            for (const auto& c : l.crossings)
                if (c.mode != 1) os << "; " << crossing_mode_name(c.mode) << " crossing: " << c.label;
        run.info(os.str());
    }
}

/// The legs of every movement, and the march table of the best one.
void route_tables(sdk::Run& run, const sdk::Route& r) {
    std::vector<double> route, leg, dist, dur, cross;
    std::vector<std::string> net, from_l, to_l, binding, roads;
    for (std::size_t i = 0; i < r.movements.size(); ++i)
        for (std::size_t j = 0; j < r.movements[i].legs.size(); ++j) {
            const auto& l = r.movements[i].legs[j];
            route.push_back(static_cast<double>(i + 1));
            leg.push_back(static_cast<double>(j + 1));
            net.emplace_back(network_name(l.network));
            from_l.push_back(l.from_label);
            to_l.push_back(l.to_label);
            dist.push_back(std::round(l.distance_m));
            dur.push_back(std::round(l.duration_s));
            cross.push_back(static_cast<double>(l.crossings.size()));
            roads.push_back(roads_text(l));
            std::string b;
            for (const auto& x : l.binding) {
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
    const auto& best = r.movements.front();
    if (best.march.empty()) return;
    std::vector<double> mleg, km, ha_s, tc_s;
    std::vector<std::string> cp, ha, tc;
    for (const auto& row : best.march) {
        mleg.push_back(row.leg);
        cp.push_back(row.checkpoint);
        km.push_back(std::round(row.km * 10) / 10);
        ha.push_back(row.head_arrival);
        tc.push_back(row.tail_clear);
        ha_s.push_back(std::round(row.head_arrival_s));
        tc_s.push_back(std::round(row.tail_clear_s));
    }
    run.table("march_table")
        .numbers("leg", mleg)
        .texts("checkpoint", cp)
        .numbers("km", km, "km")
        .texts("head_arrival", ha)
        .texts("tail_clear", tc)
        .numbers("head_arrival_s", ha_s, "s")
        .numbers("tail_clear_s", tc_s, "s");
    std::ostringstream os;
    os.setf(std::ios::fixed);
    os.precision(0);
    os << "march table: column " << best.column_length_m << " m, pass time " << best.pass_time_s << " s, " << best.halts
       << " halts, tail clears destination at " << best.march.back().tail_clear;
    run.info(os.str());
}

void run_routes(sdk::Run& run) {
    // Networks: a file when given, else the layer (the host builds each once per process).
    const std::string road_file = run.has("road_network") ? run.text("road_network") : "";
    const std::string rail_file = run.has("rail_network") ? run.text("rail_network") : "";
    const std::string road_layer = run.has("roads_layer") ? run.text("roads_layer") : "roads";
    const std::string rail_layer = run.has("rail_layer") ? run.text("rail_layer") : "rail";
    const bool has_road = !road_file.empty() || run.layer(road_layer) != sdk::kNone;
    const bool has_rail = !rail_file.empty() || run.layer(rail_layer) != sdk::kNone;
    if (!has_road && !has_rail)
        throw sdk::Failure("no road or rail layer loaded (roads_layer, rail_layer, road_network, rail_network)");
    run.progress(0.05, "building networks");
    sdk::Network road, rail;
    if (has_road) road = run.network(MP_NETWORK_ROAD, road_file.empty() ? road_layer : road_file);
    if (has_rail) rail = run.network(MP_NETWORK_RAIL, rail_file.empty() ? rail_layer : rail_file);
    run.check_cancelled();

    const auto vehicle = vehicle_from(run);
    const std::string profile = profile_name(vehicle);
    const std::string from = run.text("from");
    if (run.has("reach_hours")) {
        const double h = run.number("reach_hours");
        if (!road) throw sdk::InputFailure("reach_hours needs a road network (roads_layer, road_network)");
        run.progress(0.5, "isochrone");
        const sdk::Reach reach = run.reach(road, from, h * 3600, vehicle);
        emit_reach(run, reach, from, h);
        run.info("reach from " + from + " within " + hours(h * 3600) + " (" + profile +
                 "): " + std::to_string(reach.nodes) + " network nodes");
        if (!run.has("to")) return;
    }
    if (!run.has("to")) throw sdk::Failure("parameter 'to' is required (unless reach_hours is given)");

    sdk::RouteRequest req;
    req.road = road;
    req.rail = rail;
    req.from = from;
    req.to = run.text("to");
    if (run.has("via")) req.vias = run.list("via");
    const std::string mode = run.has("mode") ? run.text("mode") : "road";
    req.mode = mode == "rail" ? MP_TRAVEL_RAIL : mode == "multimodal" ? MP_TRAVEL_MULTIMODAL : MP_TRAVEL_ROAD;
    req.metric = run.has("metric") && run.text("metric") == "shortest" ? MP_METRIC_SHORTEST : MP_METRIC_FASTEST;
    req.vehicle = vehicle;
    if (run.has("avoid")) req.avoid = avoid_areas(run);
    req.alternatives =
        static_cast<std::size_t>(std::max<std::int64_t>(1, run.has("alternatives") ? run.integer("alternatives") : 1));
    if (run.has("max_overlap")) req.max_overlap = run.number("max_overlap");
    if (run.has("transfer_h")) req.transfer_h = run.number("transfer_h");
    sdk::MarchParams march;
    if (run.has("vehicles")) march.vehicles = static_cast<int>(run.integer("vehicles"));
    if (run.has("interval")) march.interval_m = run.number("interval");
    if (run.has("density")) march.density_per_km = run.number("density");
    if (run.has("march_speed")) march.march_speed_kmh = run.number("march_speed");
    if (run.has("halt_every")) march.halt_every_h = run.number("halt_every");
    if (run.has("halt_min")) march.halt_min = run.number("halt_min");
    if (run.has("start")) march.start = run.text("start");
    req.march = march;
    run.progress(0.5, "routing");
    const sdk::Route r = run.route(req);
    emit_routes(run, r);
    route_messages(run, r);
    route_tables(run, r);
    run.progress(1.0, "done");
}

}  // namespace

MP_SDK_PLUGIN("transit-routes", "Transit routes", "1.1.0",
              "Constraint-aware road, rail and multimodal routes for convoys (vehicle MLC and size limits per query, "
              "NATO bridge crossing modes, alternatives, isochrones, march table)",
              kParams, sizeof(kParams) / sizeof(kParams[0]), run_routes)
