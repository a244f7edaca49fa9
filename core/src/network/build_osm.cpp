// SPDX-License-Identifier: MIT
// OSM -> graph with libosmium in two passes: ways and relations first (which nodes are
// used, and how often), then only the node locations we need. This keeps memory
// proportional to the routable network rather than to the whole extract.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include <osmium/handler.hpp>
#include <osmium/io/any_input.hpp>
#include <osmium/osm/node.hpp>
#include <osmium/osm/relation.hpp>
#include <osmium/osm/way.hpp>
#include <osmium/visitor.hpp>

#include "mp/core/error.hpp"
#include "mp/network/build.hpp"

namespace mp::network {

namespace {

bool is(const char* v, const char* want) { return v && std::strcmp(v, want) == 0; }

std::optional<double> tag_quantity(const osmium::TagList& t, std::initializer_list<const char*> keys) {
    for (const char* k : keys)
        if (const char* v = t[k]) {
            if (auto q = parse_quantity(v)) return q;
        }
    return std::nullopt;
}

struct WayRec {
    std::int64_t id = 0;
    std::uint32_t first = 0, count = 0;  // into refs
    GraphBuilder::LineAttrs attrs;
    Restriction restriction;
    std::string name, ref, structure;
};

struct TurnRec {
    std::int64_t from_way, via_node, to_way;
    bool only;
};

class WayHandler : public osmium::handler::Handler {
public:
    WayHandler(NetworkKind kind, OsmStats& stats) : m_kind(kind), m_stats(stats) {}

    void way(const osmium::Way& w) {
        const auto& t = w.tags();
        if (w.nodes().size() < 2) return;
        WayRec rec;
        rec.id = w.id();
        if (m_kind == NetworkKind::Rail) {
            const char* rw = t["railway"];
            if (!(is(rw, "rail") || is(rw, "light_rail"))) return;
            // Yard and spur tracks stay: terminals are reached through them.
            rec.attrs.road_class = RoadClass::Rail;
            rec.attrs.speed_kmh =
                parse_speed_kmh(t.get_value_by_key("maxspeed", "")).value_or(default_speed_kmh(RoadClass::Rail));
        } else {
            const char* hw = t["highway"];
            if (!hw) return;
            auto rc = parse_road_class(hw);
            if (!rc) return;
            if (is(t["area"], "yes")) return;
            const char* mv = t["motor_vehicle"];
            const char* mc = t["motorcar"];
            const char* ac = t["access"];
            if (is(mv, "no") || is(mc, "no")) return;
            if (is(ac, "no") && !mv && !mc) return;
            rec.attrs.road_class = *rc;
            rec.attrs.speed_kmh = parse_speed_kmh(t.get_value_by_key("maxspeed", "")).value_or(default_speed_kmh(*rc));
            const char* ow = t["oneway"];
            if (is(ow, "yes") || is(ow, "true") || is(ow, "1")) rec.attrs.oneway = 1;
            else if (is(ow, "-1") || is(ow, "reverse")) rec.attrs.oneway = -1;
            else if (!ow && (is(t["junction"], "roundabout") || is(hw, "motorway"))) rec.attrs.oneway = 1;
        }
        Restriction& r = rec.restriction;
        r.maxweight_t = static_cast<float>(tag_quantity(t, {"maxweight", "maxweight:hgv"}).value_or(0));
        r.maxaxleload_t = static_cast<float>(tag_quantity(t, {"maxaxleload"}).value_or(0));
        r.maxheight_m = static_cast<float>(tag_quantity(t, {"maxheight", "maxheight:physical"}).value_or(0));
        r.maxwidth_m = static_cast<float>(tag_quantity(t, {"maxwidth", "maxwidth:physical"}).value_or(0));
        r.maxlength_m = static_cast<float>(tag_quantity(t, {"maxlength"}).value_or(0));
        r.mlc_wheeled = static_cast<float>(
            tag_quantity(t, {"mlc:wheeled", "maxweight:military:wheeled", "mlc", "military:mlc", "maxweight:military"})
                .value_or(0));
        r.mlc_tracked = static_cast<float>(
            tag_quantity(t, {"mlc:tracked", "maxweight:military:tracked", "mlc", "military:mlc", "maxweight:military"})
                .value_or(0));
        const char* br = t["bridge"];
        const char* tu = t["tunnel"];
        r.bridge = br && !is(br, "no");
        r.tunnel = tu && !is(tu, "no");
        rec.name = t.get_value_by_key("name", "");
        rec.ref = t.get_value_by_key("ref", "");
        rec.structure = t.get_value_by_key(r.bridge ? "bridge:name" : "tunnel:name", "");
        rec.first = static_cast<std::uint32_t>(refs.size());
        for (const auto& nr : w.nodes()) refs.push_back(nr.ref());
        rec.count = static_cast<std::uint32_t>(w.nodes().size());
        ways.push_back(std::move(rec));
        ++m_stats.ways;
    }

    void relation(const osmium::Relation& rel) {
        const auto& t = rel.tags();
        if (!is(t["type"], "restriction")) return;
        const char* kind = t["restriction"];
        if (!kind) kind = t["restriction:motorcar"];
        if (!kind) kind = t["restriction:hgv"];
        if (!kind) return;
        const std::string_view k(kind);
        const bool only = k.starts_with("only_");
        if (!only && !k.starts_with("no_")) return;
        std::int64_t from = 0, via = 0, to = 0;
        bool via_way = false;
        for (const auto& m : rel.members()) {
            const std::string_view role = m.role();
            if (role == "from" && m.type() == osmium::item_type::way) from = m.ref();
            else if (role == "to" && m.type() == osmium::item_type::way) to = m.ref();
            else if (role == "via" && m.type() == osmium::item_type::node) via = m.ref();
            else if (role == "via") via_way = true;
        }
        if (via_way || !from || !via || !to) {
            ++m_stats.restrictions_skipped;
            return;
        }
        turns.push_back({from, via, to, only});
    }

    std::vector<WayRec> ways;
    std::vector<std::int64_t> refs;
    std::vector<TurnRec> turns;

private:
    NetworkKind m_kind;
    OsmStats& m_stats;
};

class NodeHandler : public osmium::handler::Handler {
public:
    NodeHandler(const std::vector<std::int64_t>& ids, std::vector<double>& lon, std::vector<double>& lat)
        : m_ids(ids), m_lon(lon), m_lat(lat) {}
    void node(const osmium::Node& n) {
        auto it = std::lower_bound(m_ids.begin(), m_ids.end(), n.id());
        if (it == m_ids.end() || *it != n.id() || !n.location().valid()) return;
        const auto i = static_cast<std::size_t>(it - m_ids.begin());
        m_lon[i] = n.location().lon();
        m_lat[i] = n.location().lat();
    }

private:
    const std::vector<std::int64_t>& m_ids;
    std::vector<double>& m_lon;
    std::vector<double>& m_lat;
};

}  // namespace

Graph build_from_osm(const std::string& path, NetworkKind kind, Progress& progress, OsmStats* stats_out) {
    OsmStats stats;
    WayHandler wh(kind, stats);
    progress.report(0.0, "reading OSM ways");
    try {
        osmium::io::Reader reader(path, osmium::osm_entity_bits::way | osmium::osm_entity_bits::relation);
        osmium::apply(reader, wh);
        reader.close();
    } catch (const std::exception& e) {
        throw InputError(std::string("cannot read OSM data: ") + e.what(), path);
    }
    if (progress.cancelled()) throw Cancelled();
    // Needed node ids, and how many times each is used (a node used twice, or a way end,
    // becomes a graph node).
    std::vector<std::int64_t> ids(wh.refs);
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    auto index_of = [&](std::int64_t id) {
        auto it = std::lower_bound(ids.begin(), ids.end(), id);
        return it != ids.end() && *it == id ? static_cast<std::uint32_t>(it - ids.begin()) : kNone;
    };
    std::vector<std::uint8_t> uses(ids.size(), 0);
    std::vector<std::uint32_t> ref_index(wh.refs.size());
    for (std::size_t i = 0; i < wh.refs.size(); ++i) {
        ref_index[i] = index_of(wh.refs[i]);
        auto& u = uses[ref_index[i]];
        if (u < 2) ++u;
    }
    for (const auto& w : wh.ways) {
        uses[ref_index[w.first]] = 2;
        uses[ref_index[w.first + w.count - 1]] = 2;
    }
    for (const auto& t : wh.turns)
        if (auto i = index_of(t.via_node); i != kNone) uses[i] = 2;
    wh.refs.clear();
    wh.refs.shrink_to_fit();

    progress.report(0.4, "reading OSM node locations");
    std::vector<double> lon(ids.size(), NAN), lat(ids.size(), NAN);
    try {
        NodeHandler nh(ids, lon, lat);
        osmium::io::Reader reader(path, osmium::osm_entity_bits::node);
        osmium::apply(reader, nh);
        reader.close();
    } catch (const std::exception& e) {
        throw InputError(std::string("cannot read OSM data: ") + e.what(), path);
    }
    if (progress.cancelled()) throw Cancelled();

    progress.report(0.7, "splitting OSM ways");
    GraphBuilder b(kind, path);
    std::vector<std::uint32_t> graph_node(ids.size(), kNone);
    auto gnode = [&](std::uint32_t i) {
        if (graph_node[i] == kNone) graph_node[i] = b.add_node(lon[i], lat[i]);
        return graph_node[i];
    };
    std::unordered_set<std::int64_t> turn_ways;
    for (const auto& t : wh.turns) {
        turn_ways.insert(t.from_way);
        turn_ways.insert(t.to_way);
    }
    std::unordered_map<std::int64_t, std::vector<std::uint32_t>> way_segments;
    for (auto& w : wh.ways) {
        GraphBuilder::LineAttrs la = w.attrs;
        la.name = b.intern(w.name);
        la.ref = b.intern(w.ref);
        la.source_id = b.intern("way/" + std::to_string(w.id));
        if (w.restriction.any()) {
            Restriction r = w.restriction;
            r.ref = la.ref;
            r.structure_name = w.structure.empty() ? la.name : b.intern(w.structure);
            la.restriction = b.add_restriction(r);
        }
        std::uint32_t start = kNone;  // ref position of the current piece's start node
        std::vector<geo::LonLat> mid;
        for (std::uint32_t k = 0; k < w.count; ++k) {
            const std::uint32_t i = ref_index[w.first + k];
            if (std::isnan(lon[i])) {
                // A node outside a clipped extract: the way is cut here.
                ++stats.missing_nodes;
                start = kNone;
                mid.clear();
                continue;
            }
            if (start == kNone) {
                start = i;
                mid.clear();
                continue;
            }
            if (uses[i] >= 2 || k + 1 == w.count) {
                if (i != start || !mid.empty()) {
                    const auto s = b.add_segment(gnode(start), gnode(i), mid, la);
                    if (turn_ways.count(w.id)) way_segments[w.id].push_back(s);
                }
                start = i;
                mid.clear();
            } else {
                mid.push_back(geo::lonlat(lon[i], lat[i]));
            }
        }
        if ((&w - wh.ways.data()) % 4096 == 0) {
            progress.report(0.7 + 0.2 * static_cast<double>(&w - wh.ways.data()) / wh.ways.size(),
                            "splitting OSM ways");
            if (progress.cancelled()) throw Cancelled();
        }
    }
    // Turn restrictions: the from / to segments are the pieces of those ways that touch via.
    for (const auto& t : wh.turns) {
        const auto vi = index_of(t.via_node);
        if (vi == kNone || graph_node[vi] == kNone) {
            ++stats.restrictions_skipped;
            continue;
        }
        const std::uint32_t via = graph_node[vi];
        auto seg_at = [&](std::int64_t way) -> std::uint32_t {
            auto it = way_segments.find(way);
            if (it == way_segments.end()) return kNone;
            for (auto s : it->second)
                if (b.segment_touches(s, via)) return s;
            return kNone;
        };
        const auto a = seg_at(t.from_way), c = seg_at(t.to_way);
        if (a == kNone || c == kNone) {
            ++stats.restrictions_skipped;
            continue;
        }
        if (t.only) b.only_turn(a, via, c);
        else b.forbid_turn(a, via, c);
        ++stats.restrictions;
    }
    if (b.nodes() == 0)
        throw InputError(std::string("no routable ") + (kind == NetworkKind::Rail ? "railway" : "highway") + " ways",
                         path);
    Graph g = b.build(progress);
    if (stats_out) *stats_out = stats;
    return g;
}

}  // namespace mp::network
