// SPDX-License-Identifier: MIT
#pragma once

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "mp/core/error.hpp"
#include "mp/network/router.hpp"
#include "mp/sites/catalogue.hpp"

namespace mp::network {

/// How a movement goes: by road, by rail, or road - rail - road through two rail terminals.
enum class TravelMode : std::uint8_t { Road, Rail, Multimodal };
std::string_view travel_mode_name(TravelMode m);
std::optional<TravelMode> parse_travel_mode(std::string_view s);

/// Convoy march parameters (the march table).
struct MarchParams {
    int vehicles = 0;                                 ///< 0: no march table
    double interval_m = 100;                          ///< gap between vehicles (open column in daylight)
    double density_per_km = 0;                        ///< when > 0, replaces interval_m: vehicles per km of column
    double march_speed_kmh = 50;                      ///< ordered march speed; slower edges keep their speed
    double halt_every_h = 2;                          ///< a halt after this much driving ...
    double halt_min = 10;                             ///< ... of this length (10 min every 2 h is common practice)
    std::string start_time = "2026-01-01T06:00:00Z";  ///< ISO 8601, UTC
    double vehicle_length_m = 0;                      ///< 0: the vehicle's length, else 10 m
    /// How errors name start_time and march_speed_kmh (mp::Error::where()).
    std::string start_where = "--start", speed_where = "--march-speed";
};

/// One line of the march table: when the head of the column reaches a checkpoint and
/// when its tail clears it.
struct MarchRow {
    int leg = 0;
    std::string checkpoint;
    double km = 0;              ///< along the whole movement
    double head_arrival_s = 0;  ///< seconds after the start time
    double tail_clear_s = 0;
    std::string head_arrival;  ///< ISO 8601 UTC
    std::string tail_clear;
};

struct MarchTable {
    std::vector<MarchRow> rows;
    double column_length_m = 0;
    double pass_time_s = 0;  ///< time for the column to pass a point at march speed
    double total_s = 0;      ///< start to tail clearing the destination
    int halts = 0;
};

/// A leg of a movement on one network.
struct Leg {
    NetworkKind network = NetworkKind::Road;
    std::string from_label, to_label;
    geo::LonLat from, to;
    Path path;
};

/// A movement from origin to destination, possibly through vias and rail terminals.
struct Movement {
    std::vector<Leg> legs;
    double distance_m = 0;
    double duration_s = 0;  ///< driving/rail time plus transfer times
    double transfer_s = 0;
    std::vector<std::pair<std::string, geo::LonLat>> transfers;  ///< terminal name, position
    std::optional<MarchTable> march;
};

/// A query as the CLI and the plugin give it.
struct PlanRequest {
    std::string from, to;  ///< site id/name, or "lon,lat"
    std::vector<std::string> vias;
    TravelMode mode = TravelMode::Road;
    QueryOptions options;
    std::size_t alternatives = 1;   ///< road mode only
    double max_overlap = 0.5;       ///< share of its length an alternative may share with an earlier route
    double default_transfer_h = 4;  ///< loading or unloading at a terminal without its own figure
    double max_snap_m = 25'000;
    MarchParams march;
    /// How errors name the inputs (mp::Error::where()): the CLI's options by default; the
    /// host's route service names plugin parameters ("parameter 'from'").
    std::string from_where = "--from", to_where = "--to", via_where = "--via", mode_where = "--mode";
};

/// The result: the movements (best first) and where the end points are.
struct Plan {
    std::vector<Movement> movements;
    std::string from_label, to_label;
    geo::LonLat from, to;
    std::vector<std::pair<std::string, geo::LonLat>> vias;
    TravelMode mode = TravelMode::Road;
    std::string profile;  ///< vehicle id or "unrestricted"
    Metric metric = Metric::Fastest;
};

/// Site- and mode-aware planning over a road and a rail graph (either may be absent).
/// Not thread-safe (its routers own search buffers): one Planner per thread, or a lock.
class Planner {
public:
    /// Plans over routers of its own on these graphs (which must outlive it).
    Planner(const Graph* road, const Graph* rail, const sites::Catalogue* catalogue);
    /// Plans over routers the caller owns (either may be null), e.g. prepared routers
    /// shared by many runs; they must outlive the planner and serve no other thread
    /// while it plans. Constructing one costs nothing.
    Planner(Router* road, Router* rail, const sites::Catalogue* catalogue);
    ~Planner();
    Planner(const Planner&) = delete;
    Planner& operator=(const Planner&) = delete;
    /// Landmarks for the road and rail graphs (the road graph's take a few seconds).
    void prepare(Progress& progress = null_progress());
    /// Resolves "lon,lat" or a site id/name. Throws mp::InputError (with the closest
    /// names) for an unknown site, naming `where` (e.g. "--from").
    std::pair<std::string, geo::LonLat> locate(const std::string& text, const std::string& where) const;
    /// Plans a movement. Throws mp::InputError for bad input (unknown site, a point far
    /// from any usable line); returns a failure with the reason when no route exists.
    Result<Plan> plan(const PlanRequest& req);
    /// Reachable area from a place within hours of driving.
    Result<Isochrone> reach(const std::string& from, double hours, const QueryOptions& q, double cell_m = 1000);
    Router* road_router() { return m_road; }
    Router* rail_router() { return m_rail; }

private:
    /// One end of a leg as errors name it: where (an option or parameter) and what
    /// ("the origin", "the via point", "the destination").
    struct End {
        const std::string& where;
        const char* what;
    };
    /// A leg from a to b; throws mp::InputError naming the end that is too far from a
    /// usable line.
    Result<Path> leg(Router& r, const geo::LonLat& a, const geo::LonLat& b, const QueryOptions& q, double max_snap,
                     const End& from, const End& to);
    const sites::Catalogue* m_catalogue;
    std::unique_ptr<Router> m_own_road, m_own_rail;
    Router* m_road = nullptr;
    Router* m_rail = nullptr;
};

/// Seconds since the epoch of an ISO 8601 UTC time "YYYY-MM-DDTHH:MM[:SS][Z]", every field
/// checked (no 30 February, no hour 25: nothing is normalised). Throws mp::InputError
/// naming the value, at `where`.
std::time_t parse_utc_time(const std::string& text, const std::string& where);

/// Computes the march table of a movement. A caution or risk bridge crossing slows the
/// column down to the crossing controls of `rules` (caution: crossing speed and spacing;
/// risk: one vehicle on the span at a time): the head goes on, the tail falls behind by
/// the difference, and the column closes up again during halts.
MarchTable march_table(const Movement& m, const MarchParams& p, const std::optional<Vehicle>& vehicle,
                       const CrossingRules& rules = {});

}  // namespace mp::network
