// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <unordered_map>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/geo/geometry.hpp"

namespace mp::network {

/// What a graph carries: road vehicles or trains.
enum class NetworkKind : std::uint8_t { Road, Rail };

/// Functional class of an edge (road hierarchy; Rail for every rail edge).
enum class RoadClass : std::uint8_t { Motorway, Trunk, Primary, Secondary, Tertiary, Minor, Service, Rail };

std::string_view road_class_name(RoadClass c);      ///< "motorway", "trunk", ...
std::string_view network_kind_name(NetworkKind k);  ///< "road" or "rail"

/// Sentinel "no index".
inline constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
/// Cost of an unreachable node.
inline constexpr std::uint32_t kInfCost = std::numeric_limits<std::uint32_t>::max();

/// Physical limits of one stretch (a bridge, tunnel, or a signed weight/height limit).
/// A value of 0 means "no limit recorded". Kept apart from the edges so that a per-query
/// vehicle filter decides usability without rebuilding anything.
struct Restriction {
    float mlc_wheeled = 0;    ///< NATO military load class for wheeled vehicles (STANAG 2021)
    float mlc_tracked = 0;    ///< NATO military load class for tracked vehicles
    float maxweight_t = 0;    ///< gross weight limit, tonnes
    float maxaxleload_t = 0;  ///< axle load limit, tonnes
    float maxheight_m = 0;    ///< clearance height, metres
    float maxwidth_m = 0;     ///< width limit, metres
    float maxlength_m = 0;    ///< vehicle length limit, metres
    bool bridge = false;
    bool tunnel = false;
    std::uint32_t structure_name = kNone;  ///< index into Graph::strings
    std::uint32_t ref = kNone;             ///< road or line number ("N4", "L36"), Graph::strings
    float km = -1;  ///< position of the structure along its road in km from the line start; -1 unknown

    /// True when any limit is recorded (otherwise the record is not worth storing).
    bool any() const {
        return mlc_wheeled > 0 || mlc_tracked > 0 || maxweight_t > 0 || maxaxleload_t > 0 || maxheight_m > 0 ||
               maxwidth_m > 0 || maxlength_m > 0 || bridge || tunnel;
    }
};

/// One line between two graph nodes; its two directions become up to two directed edges.
struct Segment {
    std::uint32_t from = 0, to = 0;     ///< node ids
    std::uint32_t shape_first = 0;      ///< first intermediate vertex in Graph::shape
    std::uint32_t shape_count = 0;      ///< number of intermediate vertices
    std::uint32_t restriction = kNone;  ///< index into Graph::restrictions
    std::uint32_t name = kNone;         ///< street / line name, Graph::strings
    std::uint32_t ref = kNone;          ///< road ref / line number, Graph::strings
    std::uint32_t source_id = kNone;    ///< feature id or OSM way id text, Graph::strings
    float length_m = 0;                 ///< geodesic length
    RoadClass road_class = RoadClass::Minor;
};

/// A forbidden turn: arriving by edge from_edge, one may not continue on edge to_edge.
struct ForbiddenTurn {
    std::uint32_t from_edge = 0, to_edge = 0;
    auto operator<=>(const ForbiddenTurn&) const = default;
};

/// A compact routing graph in compressed sparse row form. Nodes are line end points
/// (WGS84 lon/lat); directed edges hold the hot routing data (head, integer costs,
/// speed, restriction index) in parallel arrays; everything else lives in segments.
/// Costs are integers so that two exact algorithms give bit-identical results:
/// time in deciseconds, length in decimetres.
struct Graph {
    NetworkKind kind = NetworkKind::Road;
    std::string source;  ///< what it was built from (file, "default roads", "synthetic")

    // Nodes.
    std::vector<double> node_lon, node_lat;

    // Directed edges, grouped by tail node: edges of node v are first_out[v]..first_out[v+1].
    std::vector<std::uint32_t> first_out;         ///< size nodes()+1
    std::vector<std::uint32_t> head;              ///< target node
    std::vector<std::uint32_t> time_ds;           ///< free-flow travel time, deciseconds
    std::vector<std::uint32_t> length_dm;         ///< length, decimetres
    std::vector<std::uint16_t> speed_kmh;         ///< free-flow speed
    std::vector<std::uint32_t> edge_restriction;  ///< index into restrictions or kNone
    std::vector<std::uint32_t> edge_segment;      ///< segment id; top bit set when reversed

    // Reverse adjacency: edges entering v are in_edge[first_in[v]..first_in[v+1]].
    std::vector<std::uint32_t> first_in, in_edge;

    std::vector<Segment> segments;
    std::vector<geo::LonLat> shape;  ///< intermediate vertices of segments
    std::vector<Restriction> restrictions;
    std::vector<std::string> strings;

    /// Sorted forbidden turns (from OSM turn restriction relations); empty for most graphs.
    std::vector<ForbiddenTurn> forbidden_turns;
    /// One flag per edge: 1 when the edge is the from_edge of a forbidden turn.
    std::vector<std::uint8_t> edge_turn_flag;

    std::size_t nodes() const { return node_lon.size(); }
    std::size_t edges() const { return head.size(); }
    geo::LonLat node(std::uint32_t v) const { return geo::lonlat(node_lon[v], node_lat[v]); }
    std::uint32_t tail(std::uint32_t e) const;  ///< O(log n) lookup in first_out
    std::uint32_t segment_of(std::uint32_t e) const { return edge_segment[e] & 0x7fffffffu; }
    bool reversed(std::uint32_t e) const { return (edge_segment[e] & 0x80000000u) != 0; }
    bool turn_allowed(std::uint32_t from_edge, std::uint32_t to_edge) const;
    /// String by index, "" for kNone.
    const std::string& str(std::uint32_t i) const;
    /// The full polyline of an edge in travel direction (tail, intermediate vertices, head).
    geo::LineString edge_line(std::uint32_t e) const;
    /// The edge of segment s in the given direction, or kNone when that direction is closed.
    std::uint32_t edge_of(std::uint32_t s, bool reverse) const;
    /// Bytes of memory held by the arrays (capacity, not counting the snapping index).
    std::size_t memory_bytes() const;
};

/// Collects nodes and segments, then produces a Graph (CSR). Nodes given as coordinates
/// are merged when they round to the same 1e-7 degree.
class GraphBuilder {
public:
    explicit GraphBuilder(NetworkKind kind, std::string source = {});
    /// Node id for a coordinate, creating it on first use.
    std::uint32_t node_at(const geo::LonLat& p);
    /// A new node without merging (for generators and OSM, whose nodes are already unique).
    std::uint32_t add_node(double lon, double lat);
    std::uint32_t intern(const std::string& s);
    std::uint32_t add_restriction(const Restriction& r);

    /// Attributes of a line being added.
    struct LineAttrs {
        RoadClass road_class = RoadClass::Minor;
        double speed_kmh = 50;
        int oneway = 0;  ///< 0 both directions, 1 forward only, -1 backward only
        std::uint32_t restriction = kNone;
        std::uint32_t name = kNone, ref = kNone, source_id = kNone;
    };
    /// Adds a line between two nodes with its intermediate vertices; length_m < 0 means
    /// "measure the geodesic length". Returns the segment id.
    std::uint32_t add_segment(std::uint32_t from, std::uint32_t to, const std::vector<geo::LonLat>& intermediate,
                              const LineAttrs& attrs, double length_m = -1);
    /// A forbidden turn given by segments: from segment a (entering node via) to segment b.
    void forbid_turn(std::uint32_t seg_a, std::uint32_t via, std::uint32_t seg_b);
    /// Like forbid_turn, but every turn from seg_a at via except onto seg_b is forbidden.
    void only_turn(std::uint32_t seg_a, std::uint32_t via, std::uint32_t seg_b);
    std::size_t nodes() const { return m_graph.node_lon.size(); }
    /// True when segment s starts or ends at node v.
    bool segment_touches(std::uint32_t s, std::uint32_t v) const {
        return m_graph.segments[s].from == v || m_graph.segments[s].to == v;
    }
    /// Builds the CSR arrays; the builder is left empty.
    Graph build(Progress& progress = null_progress());

private:
    struct TurnRule {
        std::uint32_t seg_a, via, seg_b;
        bool only;
    };
    Graph m_graph;
    std::vector<float> m_seg_speed;
    std::vector<std::int8_t> m_seg_oneway;
    std::vector<TurnRule> m_turns;
    std::unordered_map<std::uint64_t, std::uint32_t> m_index;  // rounded coordinate -> node
    std::unordered_map<std::string, std::uint32_t> m_strings;  // interned text -> index
};

/// Travel time in deciseconds of length_dm at speed_kmh (never below 1 for a positive length).
std::uint32_t travel_time_ds(std::uint32_t length_dm, double speed_kmh);

/// A coordinate snapped onto the graph.
struct Snap {
    std::uint32_t segment = kNone;
    double fraction = 0;    ///< position along the segment (by length) from its from-node, [0, 1]
    geo::LonLat point;      ///< the snapped position on the line
    double distance_m = 0;  ///< from the input coordinate to point
};

/// Nearest-segment look-up over a graph (Boost.Geometry R-tree, built on first use).
class Snapper {
public:
    explicit Snapper(const Graph& g);
    ~Snapper();
    Snapper(const Snapper&) = delete;
    Snapper& operator=(const Snapper&) = delete;
    /// The nearest segment to p whose restriction passes accept (nullptr: any), within
    /// max_distance_m; an empty Snap (segment == kNone) when none is that close.
    Snap snap(const geo::LonLat& p, double max_distance_m = 5000,
              const std::vector<std::uint8_t>* segment_ok = nullptr) const;

private:
    struct Impl;
    const Graph& m_graph;
    std::unique_ptr<Impl> m_impl;
};

/// Weakly connected components of a graph.
struct Components {
    std::vector<std::uint32_t> node_component;  ///< component id per node
    std::vector<std::size_t> sizes;             ///< nodes per component, largest first (ids sorted by size)
    std::size_t count() const { return sizes.size(); }
    /// "3 components; largest 1200 nodes (98.1%), then 15, 4".
    std::string summary() const;
};
Components connected_components(const Graph& g);

/// Where a cached graph came from, as the file system and its bytes can tell: a cache
/// entry is used only when the source still matches (hardening: an entry of another
/// graph under the same key must never be used).
struct SourceIdentity {
    std::string path;             ///< absolute path of the source file
    std::uint64_t size = 0;       ///< bytes
    std::int64_t mtime_ns = 0;    ///< modification time
    std::uint64_t head_hash = 0;  ///< FNV-1a 64 of its first 64 KiB
    std::uint64_t tail_hash = 0;  ///< FNV-1a 64 of its last 64 KiB
    bool operator==(const SourceIdentity&) const = default;
    /// "size 12 MB, modified ..., content hash ..." for messages.
    std::string describe() const;
};
/// The identity of a file now; throws mp::InputError when it cannot be read.
SourceIdentity source_identity(const std::string& path);

/// Version of the graph cache format (docs/routing.md, "Graph cache files").
inline constexpr std::uint32_t kGraphCacheVersion = 2;

/// Writes the graph to a cache file: a versioned, sectioned binary format (format
/// version, endianness, a layout hash of the record types, the builder's version, the
/// source's identity, then one section per array), atomically (temporary file, then
/// rename). Throws mp::Error.
void save_cache(const Graph& g, const std::string& path, const SourceIdentity& source = {});
/// Reads a cache written by save_cache. The file is untrusted: the header must match
/// this build (version, endianness, layout), every section must lie inside the file,
/// and every index must be in range and consistent (validate_graph), else mp::InputError
/// names the file and what is wrong; nothing is ever read or written out of bounds.
/// When `expected` is given, the stored source identity must equal it.
Graph load_cache(const std::string& path, const SourceIdentity* expected = nullptr);
/// The same from bytes in memory (the fuzz target; `where` names them in errors).
Graph load_cache_bytes(std::string_view bytes, const std::string& where, const SourceIdentity* expected = nullptr);
/// The source identity stored in a cache file's header (nullopt for none).
std::optional<SourceIdentity> cached_source(const std::string& path);

/// Why a graph is not internally consistent ("" when it is): array sizes, every node,
/// edge, segment, restriction, shape, string and turn index in range, CSR offsets
/// monotone, edges agreeing with their segments, coordinates finite lon/lat, costs
/// bounded. A router may assume all of this of a graph that passes.
std::string validate_graph(const Graph& g);

}  // namespace mp::network
