// SPDX-License-Identifier: MIT
#include <algorithm>
#include <cctype>
#include <cmath>
#include <random>

#include "mp/core/error.hpp"
#include "mp/io/ogr_io.hpp"
#include "mp/network/build.hpp"

namespace mp::network {

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

const layer::Value* first_of(const layer::Attributes& a, const std::vector<std::string>& keys) {
    for (const auto& k : keys)
        if (const auto* v = a.find(k); v && !std::holds_alternative<std::monostate>(*v)) return v;
    return nullptr;
}

std::optional<double> quantity_of(const layer::Attributes& a, const std::vector<std::string>& keys) {
    const auto* v = first_of(a, keys);
    if (!v) return std::nullopt;
    if (auto n = layer::to_number(*v)) return n;
    if (auto* s = std::get_if<std::string>(v)) return parse_quantity(*s);
    return std::nullopt;
}

std::string text_of(const layer::Attributes& a, const std::vector<std::string>& keys) {
    const auto* v = first_of(a, keys);
    return v ? layer::to_string(*v) : std::string{};
}

bool truthy(const layer::Value* v) {
    if (!v) return false;
    if (auto b = layer::to_bool(*v)) return *b;
    if (auto* s = std::get_if<std::string>(v)) {
        const std::string t = lower(*s);
        return !t.empty() && t != "no" && t != "0" && t != "false";
    }
    return false;
}

}  // namespace

std::optional<RoadClass> parse_road_class(std::string_view value) {
    std::string v = lower(value);
    if (v.ends_with("_link")) v.resize(v.size() - 5);
    if (v == "motorway") return RoadClass::Motorway;
    if (v == "trunk") return RoadClass::Trunk;
    if (v == "primary") return RoadClass::Primary;
    if (v == "secondary") return RoadClass::Secondary;
    if (v == "tertiary") return RoadClass::Tertiary;
    if (v == "unclassified" || v == "residential" || v == "living_street" || v == "road" || v == "minor")
        return RoadClass::Minor;
    if (v == "service" || v == "track") return RoadClass::Service;
    if (v == "rail" || v == "railway") return RoadClass::Rail;
    return std::nullopt;
}

double default_speed_kmh(RoadClass c) {
    // Belgian general limits (Code de la route / Wegcode art. 11): motorway 120, outside
    // built-up areas 90 (Wallonia) / 70 (Flanders), built-up areas 50; 100 for rail is a
    // planning figure for freight trains.
    switch (c) {
        case RoadClass::Motorway: return 120;
        case RoadClass::Trunk: return 90;
        case RoadClass::Primary: return 70;
        case RoadClass::Secondary: return 60;
        case RoadClass::Tertiary: return 50;
        case RoadClass::Minor: return 30;
        case RoadClass::Service: return 15;
        case RoadClass::Rail: return 100;
    }
    return 50;
}

std::optional<double> parse_speed_kmh(std::string_view s) {
    const std::string t = lower(s);
    if (t == "be:urban" || t == "be-vlg:urban" || t == "be-wal:urban" || t == "be-bru:urban") return 50;
    if (t == "be:rural" || t == "be-vlg:rural") return 70;
    if (t == "be-wal:rural") return 90;
    if (t == "be:motorway" || t == "be:trunk") return 120;
    if (t == "walk") return 6;
    if (t == "none" || t == "signals" || t == "variable") return std::nullopt;
    auto q = parse_quantity(t);
    if (!q || *q <= 0) return std::nullopt;
    if (t.find("mph") != std::string::npos) return *q * 1.609344;
    return q;
}

std::optional<double> parse_quantity(std::string_view s) {
    std::string t(s);
    // Take the first value of a list ("3.5;4").
    if (auto semi = t.find(';'); semi != std::string::npos) t.resize(semi);
    // Feet and inches: 12'6"
    if (auto ft = t.find('\''); ft != std::string::npos) {
        try {
            const double feet = std::stod(t.substr(0, ft));
            double inches = 0;
            if (ft + 1 < t.size()) {
                const std::string rest = t.substr(ft + 1);
                if (!rest.empty() && std::isdigit(static_cast<unsigned char>(rest[0]))) inches = std::stod(rest);
            }
            return (feet * 12 + inches) * 0.0254;
        } catch (...) {
            return std::nullopt;
        }
    }
    std::replace(t.begin(), t.end(), ',', '.');
    try {
        std::size_t used = 0;
        const double v = std::stod(t, &used);
        if (!std::isfinite(v)) return std::nullopt;
        const std::string unit = lower(t.substr(used));
        if (unit.find("kg") != std::string::npos) return v / 1000.0;
        if (unit.find("st") != std::string::npos) return v * 0.90718474;  // short tons
        if (unit.find("ft") != std::string::npos) return v * 0.3048;
        return v;
    } catch (...) {
        return std::nullopt;
    }
}

Graph build_from_layer(const layer::Layer& l, NetworkKind kind, const LineMapping& map, Progress& progress) {
    GraphBuilder b(kind, l.source.empty() ? l.name : l.source + ":" + l.name);
    std::size_t taken = 0, i = 0;
    for (const auto& f : l.features) {
        if ((++i & 0x3ff) == 0) {
            progress.report(0.8 * static_cast<double>(i) / static_cast<double>(l.features.size()), "reading lines");
            if (progress.cancelled()) throw Cancelled();
        }
        std::vector<const geo::LineString*> parts;
        if (auto* ls = std::get_if<geo::LineString>(&f.geometry)) parts.push_back(ls);
        if (auto* ml = std::get_if<geo::MultiLineString>(&f.geometry))
            for (const auto& p : *ml) parts.push_back(&p);
        if (parts.empty()) continue;
        const auto& a = f.attributes;
        GraphBuilder::LineAttrs la;
        if (kind == NetworkKind::Rail) {
            la.road_class = RoadClass::Rail;
        } else {
            const std::string cls = text_of(a, map.class_fields);
            auto rc = parse_road_class(cls);
            if (!rc) {
                if (map.skip_non_road_classes && !cls.empty()) continue;
                rc = RoadClass::Minor;
            }
            // OSM-style access tags that shut motor vehicles out.
            const std::string mc = lower(a.text("motorcar")), mv = lower(a.text("motor_vehicle"));
            if (map.skip_non_road_classes && (mc == "no" || mv == "no")) continue;
            la.road_class = *rc;
        }
        double speed = 0;
        if (const auto* v = first_of(a, map.speed_fields)) {
            if (auto n = layer::to_number(*v)) speed = *n;
            else if (auto* s = std::get_if<std::string>(v)) speed = parse_speed_kmh(*s).value_or(0);
        }
        if (speed <= 0) speed = map.default_speed_kmh > 0 ? map.default_speed_kmh : default_speed_kmh(la.road_class);
        la.speed_kmh = speed;
        if (const auto* v = first_of(a, map.oneway_fields)) {
            const std::string t = lower(layer::to_string(*v));
            if (t == "-1" || t == "reverse") la.oneway = -1;
            else if (t == "yes" || t == "true" || t == "1") la.oneway = 1;
        }
        if (lower(a.text("junction")) == "roundabout" && la.oneway == 0) la.oneway = 1;
        Restriction r;
        r.mlc_wheeled = static_cast<float>(quantity_of(a, map.mlc_wheeled_fields).value_or(0));
        r.mlc_tracked = static_cast<float>(quantity_of(a, map.mlc_tracked_fields).value_or(0));
        r.maxweight_t = static_cast<float>(quantity_of(a, map.maxweight_fields).value_or(0));
        r.maxaxleload_t = static_cast<float>(quantity_of(a, map.maxaxleload_fields).value_or(0));
        r.maxheight_m = static_cast<float>(quantity_of(a, map.maxheight_fields).value_or(0));
        r.maxwidth_m = static_cast<float>(quantity_of(a, map.maxwidth_fields).value_or(0));
        r.maxlength_m = static_cast<float>(quantity_of(a, map.maxlength_fields).value_or(0));
        r.km = static_cast<float>(quantity_of(a, map.km_fields).value_or(-1));
        r.bridge = truthy(a.find("bridge"));
        r.tunnel = truthy(a.find("tunnel"));
        const std::string ref = text_of(a, map.ref_fields);
        const std::string name = text_of(a, map.name_fields);
        la.ref = b.intern(ref);
        la.name = b.intern(name);
        std::string id = text_of(a, map.id_fields);
        la.source_id = b.intern(id.empty() ? f.id : id);
        if (r.any()) {
            r.ref = la.ref;
            const std::string sn = text_of(a, map.structure_fields);
            r.structure_name = sn.empty() ? la.name : b.intern(sn);
            la.restriction = b.add_restriction(r);
        }
        for (const auto* ls : parts) {
            if (ls->size() < 2) continue;
            const auto from = b.node_at(ls->front());
            const auto to = b.node_at(ls->back());
            std::vector<geo::LonLat> mid(ls->begin() + 1, ls->end() - 1);
            b.add_segment(from, to, mid, la);
            ++taken;
        }
    }
    if (taken == 0)
        throw InputError("no usable line features for a " + std::string(network_kind_name(kind)) + " graph",
                         l.source.empty() ? l.name : l.source + ", layer " + l.name);
    return b.build(progress);
}

Graph build_from_source(const std::string& path, NetworkKind kind, const std::string& layer_name,
                        const LineMapping& mapping, Progress& progress) {
    const std::string low = lower(path);
    if (low.ends_with(".mpgraph")) return load_cache(path);
    if (low.ends_with(".osm") || low.ends_with(".pbf") || low.ends_with(".osm.bz2") || low.ends_with(".osm.gz"))
        return build_from_osm(path, kind, progress);
    io::ReadOptions ro;
    if (!layer_name.empty()) ro.layers.push_back(layer_name);
    auto layers = io::read_source(path, ro, progress);
    for (const auto& l : layers) {
        for (const auto& t : l.geometry_types())
            if (t == "LineString" || t == "MultiLineString") return build_from_layer(l, kind, mapping, progress);
    }
    throw InputError("no line layer to build a network from", path);
}

Graph make_synthetic_network(const SyntheticOptions& o, Progress& progress) {
    GraphBuilder b(NetworkKind::Road, "synthetic " + std::to_string(o.rows) + "x" + std::to_string(o.cols));
    std::mt19937_64 rng(o.seed);
    std::uniform_real_distribution<double> u(0.0, 1.0);
    const double m_per_deg_lat = 111'195.0;
    const double m_per_deg_lon = m_per_deg_lat * std::cos(o.lat0 * M_PI / 180.0);
    const double dlat = o.spacing_m / m_per_deg_lat, dlon = o.spacing_m / m_per_deg_lon;
    auto id = [&](std::uint32_t r, std::uint32_t c) { return r * o.cols + c; };
    std::vector<double> lon(static_cast<std::size_t>(o.rows) * o.cols), lat(lon.size());
    for (std::uint32_t r = 0; r < o.rows; ++r)
        for (std::uint32_t c = 0; c < o.cols; ++c) {
            lon[id(r, c)] = o.lon0 + (c + 0.35 * (u(rng) - 0.5)) * dlon;
            lat[id(r, c)] = o.lat0 + (r + 0.35 * (u(rng) - 0.5)) * dlat;
            b.add_node(lon[id(r, c)], lat[id(r, c)]);
        }
    auto line_class = [](std::uint32_t i) {
        if (i % 64 == 0) return RoadClass::Motorway;
        if (i % 16 == 0) return RoadClass::Primary;
        if (i % 4 == 0) return RoadClass::Secondary;
        return RoadClass::Minor;
    };
    auto add_link = [&](std::uint32_t a, std::uint32_t bb, RoadClass rc, double lon_a, double lat_a, double lon_b,
                        double lat_b) {
        const bool major = rc == RoadClass::Motorway || rc == RoadClass::Primary;
        if (!major && u(rng) < o.drop_fraction) return;
        GraphBuilder::LineAttrs la;
        la.road_class = rc;
        const double base = default_speed_kmh(rc);
        la.speed_kmh = rc == RoadClass::Minor ? base + 20 * u(rng) : base - 10 * u(rng);
        if (rc == RoadClass::Minor && u(rng) < o.oneway_fraction) la.oneway = u(rng) < 0.5 ? 1 : -1;
        if (u(rng) < o.bridge_fraction) {
            Restriction r;
            r.bridge = true;
            // Bridge classes drawn from the usual NATO sign values.
            static constexpr float kClasses[] = {16, 24, 30, 40, 50, 60, 70, 80, 100};
            r.mlc_wheeled = kClasses[static_cast<std::size_t>(u(rng) * 9) % 9];
            r.mlc_tracked = r.mlc_wheeled >= 50 ? r.mlc_wheeled - 10 : r.mlc_wheeled;
            if (u(rng) < 0.3) r.maxheight_m = static_cast<float>(3.5 + 1.5 * u(rng));
            if (u(rng) < 0.3) r.maxweight_t = static_cast<float>(10 + 50 * u(rng));
            la.restriction = b.add_restriction(r);
        }
        const double dx = (lon_b - lon_a) * m_per_deg_lon, dy = (lat_b - lat_a) * m_per_deg_lat;
        const double len = std::sqrt(dx * dx + dy * dy) * (1.0 + 0.15 * u(rng));  // winding roads
        b.add_segment(a, bb, {}, la, len);
    };
    for (std::uint32_t r = 0; r < o.rows; ++r) {
        if ((r & 63) == 0) {
            progress.report(0.5 * r / std::max<std::uint32_t>(o.rows, 1), "generating network");
            if (progress.cancelled()) throw Cancelled();
        }
        for (std::uint32_t c = 0; c < o.cols; ++c) {
            const auto v = id(r, c);
            if (c + 1 < o.cols) add_link(v, id(r, c + 1), line_class(r), lon[v], lat[v], lon[v + 1], lat[v + 1]);
            if (r + 1 < o.rows) {
                const auto w = id(r + 1, c);
                add_link(v, w, line_class(c), lon[v], lat[v], lon[w], lat[w]);
            }
        }
    }
    return b.build(progress);
}

}  // namespace mp::network
