// SPDX-License-Identifier: MIT
#include "mp/network/graph.hpp"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <sstream>

#include <boost/geometry/index/rtree.hpp>

#include "mp/core/error.hpp"
#include "mp/geo/geodesic.hpp"

namespace mp::network {

namespace bg = boost::geometry;
namespace bgi = boost::geometry::index;

std::string_view road_class_name(RoadClass c) {
    switch (c) {
        case RoadClass::Motorway: return "motorway";
        case RoadClass::Trunk: return "trunk";
        case RoadClass::Primary: return "primary";
        case RoadClass::Secondary: return "secondary";
        case RoadClass::Tertiary: return "tertiary";
        case RoadClass::Minor: return "minor";
        case RoadClass::Service: return "service";
        case RoadClass::Rail: return "rail";
    }
    return "minor";
}

std::string_view network_kind_name(NetworkKind k) { return k == NetworkKind::Rail ? "rail" : "road"; }

std::uint32_t travel_time_ds(std::uint32_t length_dm, double speed_kmh) {
    if (length_dm == 0) return 0;
    // length_dm / 10 m  /  (speed / 3.6 m/s)  * 10 ds/s  =  length_dm * 3.6 / speed.
    const double t = std::ceil(static_cast<double>(length_dm) * 3.6 / std::max(speed_kmh, 1.0));
    return static_cast<std::uint32_t>(std::max(1.0, t));
}

std::uint32_t Graph::tail(std::uint32_t e) const {
    auto it = std::upper_bound(first_out.begin(), first_out.end(), e);
    return static_cast<std::uint32_t>(it - first_out.begin() - 1);
}

bool Graph::turn_allowed(std::uint32_t from_edge, std::uint32_t to_edge) const {
    if (from_edge == kNone || edge_turn_flag.empty() || !edge_turn_flag[from_edge]) return true;
    return !std::binary_search(forbidden_turns.begin(), forbidden_turns.end(), ForbiddenTurn{from_edge, to_edge});
}

const std::string& Graph::str(std::uint32_t i) const {
    static const std::string empty;
    return i == kNone || i >= strings.size() ? empty : strings[i];
}

geo::LineString Graph::edge_line(std::uint32_t e) const {
    const Segment& s = segments[segment_of(e)];
    geo::LineString line;
    line.reserve(s.shape_count + 2);
    line.push_back(node(s.from));
    for (std::uint32_t i = 0; i < s.shape_count; ++i) line.push_back(shape[s.shape_first + i]);
    line.push_back(node(s.to));
    if (reversed(e)) std::reverse(line.begin(), line.end());
    return line;
}

std::uint32_t Graph::edge_of(std::uint32_t s, bool reverse) const {
    const Segment& seg = segments[s];
    const std::uint32_t v = reverse ? seg.to : seg.from;
    const std::uint32_t want = s | (reverse ? 0x80000000u : 0u);
    for (std::uint32_t e = first_out[v]; e < first_out[v + 1]; ++e)
        if (edge_segment[e] == want) return e;
    return kNone;
}

std::size_t Graph::memory_bytes() const {
    auto b = [](const auto& v) { return v.capacity() * sizeof(typename std::decay_t<decltype(v)>::value_type); };
    std::size_t n = b(node_lon) + b(node_lat) + b(first_out) + b(head) + b(time_ds) + b(length_dm) + b(speed_kmh) +
                    b(edge_restriction) + b(edge_segment) + b(first_in) + b(in_edge) + b(segments) + b(shape) +
                    b(restrictions) + b(forbidden_turns) + b(edge_turn_flag);
    for (const auto& s : strings) n += s.capacity() + sizeof(s);
    return n;
}

// ---------------------------------------------------------------------------------------
// GraphBuilder

GraphBuilder::GraphBuilder(NetworkKind kind, std::string source) {
    m_graph.kind = kind;
    m_graph.source = std::move(source);
}

std::uint32_t GraphBuilder::add_node(double lon, double lat) {
    m_graph.node_lon.push_back(lon);
    m_graph.node_lat.push_back(lat);
    return static_cast<std::uint32_t>(m_graph.node_lon.size() - 1);
}

std::uint32_t GraphBuilder::node_at(const geo::LonLat& p) {
    // Lines meet at identical end coordinates; 1e-7 degrees (~1 cm) absorbs float noise.
    const auto x = static_cast<std::uint32_t>(static_cast<std::int32_t>(std::llround(geo::lon(p) * 1e7)));
    const auto y = static_cast<std::uint32_t>(static_cast<std::int32_t>(std::llround(geo::lat(p) * 1e7)));
    const std::uint64_t key = (static_cast<std::uint64_t>(x) << 32) | y;
    auto [it, fresh] = m_index.emplace(key, 0);
    if (fresh) it->second = add_node(geo::lon(p), geo::lat(p));
    return it->second;
}

std::uint32_t GraphBuilder::intern(const std::string& s) {
    if (s.empty()) return kNone;
    // One copy per distinct text: an OSM extract repeats the same names and refs on
    // thousands of ways.
    const auto [it, added] = m_strings.try_emplace(s, static_cast<std::uint32_t>(m_graph.strings.size()));
    if (added) m_graph.strings.push_back(s);
    return it->second;
}

std::uint32_t GraphBuilder::add_restriction(const Restriction& r) {
    if (!r.any()) return kNone;
    m_graph.restrictions.push_back(r);
    return static_cast<std::uint32_t>(m_graph.restrictions.size() - 1);
}

std::uint32_t GraphBuilder::add_segment(std::uint32_t from, std::uint32_t to,
                                        const std::vector<geo::LonLat>& intermediate, const LineAttrs& a,
                                        double length_m) {
    assert(from < nodes() && to < nodes());
    Segment s;
    s.from = from;
    s.to = to;
    s.shape_first = static_cast<std::uint32_t>(m_graph.shape.size());
    s.shape_count = static_cast<std::uint32_t>(intermediate.size());
    m_graph.shape.insert(m_graph.shape.end(), intermediate.begin(), intermediate.end());
    s.restriction = a.restriction;
    s.name = a.name;
    s.ref = a.ref;
    s.source_id = a.source_id;
    s.road_class = a.road_class;
    if (length_m < 0) {
        length_m = 0;
        geo::LonLat prev = m_graph.node(from);
        for (const auto& p : intermediate) {
            length_m += geo::distance_m(prev, p);
            prev = p;
        }
        length_m += geo::distance_m(prev, m_graph.node(to));
    }
    s.length_m = static_cast<float>(length_m);
    m_graph.segments.push_back(s);
    m_seg_speed.push_back(static_cast<float>(a.speed_kmh));
    m_seg_oneway.push_back(static_cast<std::int8_t>(a.oneway));
    return static_cast<std::uint32_t>(m_graph.segments.size() - 1);
}

void GraphBuilder::forbid_turn(std::uint32_t seg_a, std::uint32_t via, std::uint32_t seg_b) {
    m_turns.push_back({seg_a, via, seg_b, false});
}

void GraphBuilder::only_turn(std::uint32_t seg_a, std::uint32_t via, std::uint32_t seg_b) {
    m_turns.push_back({seg_a, via, seg_b, true});
}

Graph GraphBuilder::build(Progress& progress) {
    Graph& g = m_graph;
    progress.report(0.0, "building graph");
    const std::size_t n = g.nodes();
    const std::size_t ns = g.segments.size();
    // Count directed edges per tail.
    g.first_out.assign(n + 1, 0);
    auto forward = [&](std::size_t s) { return m_seg_oneway[s] >= 0; };
    auto backward = [&](std::size_t s) { return m_seg_oneway[s] <= 0; };
    for (std::size_t s = 0; s < ns; ++s) {
        if (forward(s)) ++g.first_out[g.segments[s].from + 1];
        if (backward(s)) ++g.first_out[g.segments[s].to + 1];
    }
    std::partial_sum(g.first_out.begin(), g.first_out.end(), g.first_out.begin());
    const std::size_t m = g.first_out[n];
    g.head.resize(m);
    g.time_ds.resize(m);
    g.length_dm.resize(m);
    g.speed_kmh.resize(m);
    g.edge_restriction.resize(m);
    g.edge_segment.resize(m);
    std::vector<std::uint32_t> fill(g.first_out.begin(), g.first_out.end() - 1);
    auto emit = [&](std::size_t s, bool rev) {
        const Segment& seg = g.segments[s];
        const std::uint32_t e = fill[rev ? seg.to : seg.from]++;
        g.head[e] = rev ? seg.from : seg.to;
        g.length_dm[e] = static_cast<std::uint32_t>(std::lround(seg.length_m * 10.0));
        const double speed = std::clamp<double>(m_seg_speed[s], 1.0, 65535.0);
        g.speed_kmh[e] = static_cast<std::uint16_t>(std::lround(speed));
        g.time_ds[e] = travel_time_ds(g.length_dm[e], g.speed_kmh[e]);
        g.edge_restriction[e] = seg.restriction;
        g.edge_segment[e] = static_cast<std::uint32_t>(s) | (rev ? 0x80000000u : 0u);
    };
    for (std::size_t s = 0; s < ns; ++s) {
        if (forward(s)) emit(s, false);
        if (backward(s)) emit(s, true);
        if ((s & 0xfffff) == 0 && ns > 0) progress.report(0.5 * static_cast<double>(s) / ns, "building graph");
    }
    // Reverse adjacency.
    g.first_in.assign(n + 1, 0);
    for (std::size_t e = 0; e < m; ++e) ++g.first_in[g.head[e] + 1];
    std::partial_sum(g.first_in.begin(), g.first_in.end(), g.first_in.begin());
    g.in_edge.resize(m);
    std::copy(g.first_in.begin(), g.first_in.end() - 1, fill.begin());
    for (std::uint32_t e = 0; e < m; ++e) g.in_edge[fill[g.head[e]]++] = e;
    // Turn rules become forbidden (edge, edge) pairs.
    if (!m_turns.empty()) {
        g.edge_turn_flag.assign(m, 0);
        for (const TurnRule& r : m_turns) {
            const Segment& a = g.segments[r.seg_a];
            const Segment& b = g.segments[r.seg_b];
            const std::uint32_t in = a.to == r.via     ? g.edge_of(r.seg_a, false)
                                     : a.from == r.via ? g.edge_of(r.seg_a, true)
                                                       : kNone;
            const std::uint32_t out = b.from == r.via ? g.edge_of(r.seg_b, false)
                                      : b.to == r.via ? g.edge_of(r.seg_b, true)
                                                      : kNone;
            if (in == kNone) continue;
            if (!r.only) {
                if (out == kNone) continue;
                g.forbidden_turns.push_back({in, out});
                g.edge_turn_flag[in] = 1;
            } else {
                for (std::uint32_t e = g.first_out[r.via]; e < g.first_out[r.via + 1]; ++e) {
                    if (g.segment_of(e) == r.seg_b) continue;
                    g.forbidden_turns.push_back({in, e});
                    g.edge_turn_flag[in] = 1;
                }
            }
        }
        std::sort(g.forbidden_turns.begin(), g.forbidden_turns.end());
        g.forbidden_turns.erase(std::unique(g.forbidden_turns.begin(), g.forbidden_turns.end()),
                                g.forbidden_turns.end());
    }
    progress.report(1.0, "graph built");
    Graph out = std::move(m_graph);
    m_graph = Graph{};
    m_graph.kind = out.kind;
    m_seg_speed.clear();
    m_seg_oneway.clear();
    m_turns.clear();
    m_index.clear();
    m_strings.clear();
    return out;
}

// ---------------------------------------------------------------------------------------
// Snapping

namespace {
using CPoint = bg::model::point<double, 2, bg::cs::cartesian>;
using CSegment = bg::model::segment<CPoint>;
using RValue = std::pair<CSegment, std::uint64_t>;  // segment id << 32 | piece index
}  // namespace

struct Snapper::Impl {
    double cos_lat = 1;
    bgi::rtree<RValue, bgi::rstar<16>> tree;
    CPoint to_c(const geo::LonLat& p) const { return CPoint(geo::lon(p) * cos_lat, geo::lat(p)); }
};

Snapper::Snapper(const Graph& g) : m_graph(g), m_impl(std::make_unique<Impl>()) {
    double lat_sum = 0;
    for (double la : g.node_lat) lat_sum += la;
    const double lat0 = g.nodes() ? lat_sum / static_cast<double>(g.nodes()) : 0;
    // Planar degrees scaled by cos(latitude) keep nearest-neighbour order right locally.
    m_impl->cos_lat = std::cos(lat0 * M_PI / 180.0);
    std::vector<RValue> values;
    values.reserve(g.segments.size() + g.shape.size());
    for (std::uint32_t s = 0; s < g.segments.size(); ++s) {
        const Segment& seg = g.segments[s];
        geo::LonLat prev = g.node(seg.from);
        for (std::uint32_t i = 0; i <= seg.shape_count; ++i) {
            const geo::LonLat next = i < seg.shape_count ? g.shape[seg.shape_first + i] : g.node(seg.to);
            values.emplace_back(CSegment(m_impl->to_c(prev), m_impl->to_c(next)),
                                (static_cast<std::uint64_t>(s) << 32) | i);
            prev = next;
        }
    }
    m_impl->tree = bgi::rtree<RValue, bgi::rstar<16>>(values.begin(), values.end());
}

Snapper::~Snapper() = default;

Snap Snapper::snap(const geo::LonLat& p, double max_distance_m, const std::vector<std::uint8_t>* segment_ok) const {
    Snap best;
    best.distance_m = max_distance_m;
    const CPoint q = m_impl->to_c(p);
    std::vector<RValue> found;
    auto ok = [&](const RValue& v) {
        return !segment_ok || (*segment_ok)[static_cast<std::uint32_t>(v.second >> 32)] != 0;
    };
    m_impl->tree.query(bgi::nearest(q, 8) && bgi::satisfies(ok), std::back_inserter(found));
    for (const RValue& v : found) {
        const auto s = static_cast<std::uint32_t>(v.second >> 32);
        const auto piece = static_cast<std::uint32_t>(v.second & 0xffffffffu);
        const CPoint& a = v.first.first;
        const CPoint& b = v.first.second;
        const double dx = bg::get<0>(b) - bg::get<0>(a), dy = bg::get<1>(b) - bg::get<1>(a);
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((bg::get<0>(q) - bg::get<0>(a)) * dx + (bg::get<1>(q) - bg::get<1>(a)) * dy) / len2 : 0;
        t = std::clamp(t, 0.0, 1.0);
        const geo::LonLat on = geo::lonlat((bg::get<0>(a) + t * dx) / m_impl->cos_lat, bg::get<1>(a) + t * dy);
        const double d = geo::distance_m(p, on);
        if (d > best.distance_m && best.segment != kNone) continue;
        if (d > max_distance_m) continue;
        // Fraction along the whole segment by geodesic length.
        const Segment& seg = m_graph.segments[s];
        double before = 0, total = 0, piece_len = 0;
        geo::LonLat prev = m_graph.node(seg.from);
        for (std::uint32_t i = 0; i <= seg.shape_count; ++i) {
            const geo::LonLat next = i < seg.shape_count ? m_graph.shape[seg.shape_first + i] : m_graph.node(seg.to);
            const double l = geo::distance_m(prev, next);
            if (i < piece) before += l;
            if (i == piece) piece_len = l;
            total += l;
            prev = next;
        }
        if (best.segment == kNone || d < best.distance_m) {
            best.segment = s;
            best.distance_m = d;
            best.point = on;
            best.fraction = total > 0 ? std::clamp((before + t * piece_len) / total, 0.0, 1.0) : 0.0;
        }
    }
    if (best.segment == kNone) best.distance_m = 0;
    return best;
}

// ---------------------------------------------------------------------------------------
// Components

Components connected_components(const Graph& g) {
    std::vector<std::uint32_t> parent(g.nodes());
    std::iota(parent.begin(), parent.end(), 0u);
    auto find = [&](std::uint32_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    for (const Segment& s : g.segments) parent[find(s.from)] = find(s.to);
    std::vector<std::uint32_t> root_id(g.nodes(), kNone);
    std::vector<std::size_t> sizes;
    Components c;
    c.node_component.resize(g.nodes());
    for (std::uint32_t v = 0; v < g.nodes(); ++v) {
        const std::uint32_t r = find(v);
        if (root_id[r] == kNone) {
            root_id[r] = static_cast<std::uint32_t>(sizes.size());
            sizes.push_back(0);
        }
        c.node_component[v] = root_id[r];
        ++sizes[root_id[r]];
    }
    // Renumber so that component 0 is the largest.
    std::vector<std::uint32_t> order(sizes.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return sizes[a] > sizes[b]; });
    std::vector<std::uint32_t> rank(sizes.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) rank[order[i]] = i;
    for (auto& x : c.node_component) x = rank[x];
    for (auto o : order) c.sizes.push_back(sizes[o]);
    return c;
}

std::string Components::summary() const {
    std::ostringstream os;
    std::size_t total = 0;
    for (auto s : sizes) total += s;
    os << sizes.size() << (sizes.size() == 1 ? " component" : " components");
    if (!sizes.empty()) {
        os << "; largest " << sizes[0] << " nodes (" << std::fixed;
        os.precision(1);
        os << 100.0 * static_cast<double>(sizes[0]) / static_cast<double>(std::max<std::size_t>(total, 1)) << "%)";
        for (std::size_t i = 1; i < std::min<std::size_t>(sizes.size(), 6); ++i)
            os << (i == 1 ? ", then " : ", ") << sizes[i];
        if (sizes.size() > 6) os << ", ...";
    }
    return os.str();
}

}  // namespace mp::network
