// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mp/core/error.hpp"
#include "mp/core/progress.hpp"
#include "mp/geo/geometry.hpp"
#include "mp/network/graph.hpp"
#include "mp/network/vehicle.hpp"

namespace mp::network {

/// What a route minimises.
enum class Metric : std::uint8_t { Fastest, Shortest };
std::string_view metric_name(Metric m);

/// Per-query settings. Nothing here needs any preprocessing to change.
struct QueryOptions {
    Metric metric = Metric::Fastest;
    std::optional<Vehicle> vehicle;                        ///< none: every edge is usable
    CrossingMode highest_crossing = CrossingMode::Normal;  ///< most relaxed bridge crossing allowed
    CrossingRules rules;
    std::vector<geo::Polygon> avoid;  ///< lon/lat areas whose edges are not used
    bool use_landmarks = true;        ///< false: plain Dijkstra (the exact reference)
};

/// A bridge or restricted structure a route uses, and how.
struct Crossing {
    std::uint32_t segment = kNone;
    std::string label;  ///< "bridge on N4 'Viaduct X'"
    CrossingMode mode = CrossingMode::Normal;
    double posted_mlc = 0;  ///< the class that applies to the vehicle (0: not posted)
    double vehicle_mlc = 0;
    double route_km = 0;  ///< where along the leg it begins
    double length_m = 0;  ///< length of the span (the restricted stretch) on the route
    geo::LonLat where;
};

/// The tightest limit met on a route for one dimension (the "binding" restriction).
struct BindingLimit {
    std::string quantity;  ///< "mlc", "maxheight_m", "maxweight_t", ...
    double limit = 0;
    double vehicle = 0;  ///< the vehicle's figure (0 when none given)
    std::string label;   ///< where: "bridge on N4 ... at route km 12.3"
};

/// A point where a route turns onto another road or line for a stretch worth naming in a
/// march table (a critical point): the first edge of a run of at least 2 km on one ref.
/// The first entry of a path is the first road it follows that far (often at km 0).
struct RoadChange {
    double route_km = 0;  ///< where along the leg the new road begins
    std::string ref;      ///< road or line number ("E313", "L36"), or its name when it has no ref
    std::string name;     ///< street or line name ("" when none, or equal to ref)
    geo::LonLat where;
};

/// One path on one graph between two snapped points.
struct Path {
    std::uint64_t cost = 0;  ///< in the metric's unit: deciseconds or decimetres
    double distance_m = 0;
    double duration_s = 0;             ///< at the vehicle's speeds (free flow, capped by max speed)
    std::vector<std::uint32_t> edges;  ///< directed edges, first and last possibly partial
    double first_from = 0;             ///< fraction of edges.front() where the path begins
    double last_to = 1;                ///< fraction of edges.back() where it ends
    geo::LineString line;
    std::vector<Crossing> crossings;
    std::vector<RoadChange> road_changes;  ///< the roads followed, in order, and where each begins
    std::vector<BindingLimit> binding;
    std::size_t settled = 0;           ///< search states settled (a measure of work)
    std::vector<double> cum_m, cum_s;  ///< distance and duration at the end of each edge
};

/// An isochrone: what a vehicle reaches within a time.
struct Isochrone {
    geo::MultiPolygon area;          ///< reachable area (cells touched by reachable roads, dilated)
    geo::MultiLineString reachable;  ///< reachable roads (partial at the rim)
    std::size_t nodes = 0;
};

/// Exact routing on one graph: Dijkstra, and A* with landmarks (ALT). The landmark
/// distances come from the unrestricted graph, so they stay lower bounds for every
/// vehicle, avoided area and penalty (all of which only remove edges or raise costs):
/// restricted queries remain exact without any new preprocessing. Not thread-safe
/// (it owns search buffers); use one Router per thread over a shared Graph.
class Router {
public:
    explicit Router(const Graph& g);
    ~Router();
    Router(const Router&) = delete;
    Router& operator=(const Router&) = delete;

    /// Computes landmark distances for a metric (about 2 x count Dijkstra runs, on
    /// threads); without it queries of that metric fall back to Dijkstra.
    void prepare(Metric metric, std::uint32_t landmarks = 16, unsigned threads = 2,
                 Progress& progress = null_progress());
    bool prepared(Metric metric) const;
    /// Re-customisation for a vehicle (fastest metric): landmark distances under that
    /// vehicle's own edge costs (its speed cap, crossing speeds, and the structures it may
    /// not use removed), on the same landmarks: 2 x count Dijkstra runs on threads, no
    /// rebuild (seconds on a million nodes). Queries are exact without it, but a vehicle
    /// that many bridges or a low cap restrict makes the free-flow bounds loose; with it,
    /// that vehicle's queries run as fast as free ones. Keeps the last four vehicles.
    void customise(const QueryOptions& q, unsigned threads = 2, Progress& progress = null_progress());
    /// Bytes held by the landmark tables.
    std::size_t memory_bytes() const;

    const Graph& graph() const { return m_graph; }
    const Snapper& snapper() const;

    /// Snaps p onto the nearest segment the query's vehicle may use (within max_m).
    Snap snap(const geo::LonLat& p, const QueryOptions& q, double max_m = 5000) const;

    /// Route between two snapped points. Fails with a reason (no route; and which
    /// restrictions cut the way, found by routing again without the vehicle).
    Result<Path> route(const Snap& from, const Snap& to, const QueryOptions& q);

    /// Node to node cost only (bench and tests): kInfCost when unreachable.
    std::uint32_t node_cost(std::uint32_t s, std::uint32_t t, const QueryOptions& q, std::size_t* settled = nullptr);

    /// Up to k routes (the best first) that share less than max_overlap of their length
    /// with any earlier one and cost at most max_stretch x the best (penalty method).
    Result<std::vector<Path>> alternatives(const Snap& from, const Snap& to, const QueryOptions& q, std::size_t k,
                                           double max_overlap = 0.5, double max_stretch = 1.6);

    /// Everything reachable from `from` within limit_s seconds; the area is built from
    /// cells of cell_m metres.
    Isochrone isochrone(const Snap& from, double limit_s, const QueryOptions& q, double cell_m = 500);

private:
    struct Impl;
    const Graph& m_graph;
    std::unique_ptr<Impl> m_impl;
};

/// A sub-line of a polyline between two length fractions in [0, 1].
geo::LineString sub_line(const geo::LineString& line, double from, double to);

}  // namespace mp::network
