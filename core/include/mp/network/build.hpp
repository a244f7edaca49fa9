// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mp/core/progress.hpp"
#include "mp/layer/layer.hpp"
#include "mp/network/graph.hpp"

namespace mp::network {

/// Which attributes of a GDAL line layer feed the graph. Each entry lists candidate field
/// names, the first one present on a feature wins. The defaults read the embedded
/// roads.geojson / rail.geojson and OSM-style layers (highway, maxspeed, oneway, bridge...).
struct LineMapping {
    std::vector<std::string> class_fields{"class", "highway", "fclass", "type"};
    std::vector<std::string> speed_fields{"maxspeed_kmh", "max_speed_kmh", "maxspeed", "speed_kmh"};
    std::vector<std::string> oneway_fields{"oneway"};
    std::vector<std::string> ref_fields{"ref", "line_number", "routenr"};
    std::vector<std::string> name_fields{"name", "straatnaam"};
    std::vector<std::string> id_fields{"id", "osm_id", "wegsegid"};
    std::vector<std::string> structure_fields{"structure_name", "bridge:name", "tunnel:name"};
    std::vector<std::string> mlc_wheeled_fields{"mlc_wheeled", "mlc:wheeled", "mlc", "maxweight:military"};
    std::vector<std::string> mlc_tracked_fields{"mlc_tracked", "mlc:tracked", "mlc", "maxweight:military"};
    std::vector<std::string> maxweight_fields{"maxweight_t", "maxweight"};
    std::vector<std::string> maxaxleload_fields{"maxaxleload_t", "maxaxleload"};
    std::vector<std::string> maxheight_fields{"maxheight_m", "maxheight"};
    std::vector<std::string> maxwidth_fields{"maxwidth_m", "maxwidth"};
    std::vector<std::string> maxlength_fields{"maxlength_m", "maxlength"};
    std::vector<std::string> km_fields{"km", "structure_km"};
    /// Features whose class is not a road class (footway, cycleway, ...) are skipped on
    /// road networks; set false to take every line.
    bool skip_non_road_classes = true;
    /// Speed when a feature has none (km/h); 0 = the class default.
    double default_speed_kmh = 0;
};

/// Road class of an OSM highway or planner class value; nullopt when not for motor vehicles.
std::optional<RoadClass> parse_road_class(std::string_view value);
/// Default free-flow speed of a class, km/h (Belgian limits: 120 motorway, 90 trunk ...).
double default_speed_kmh(RoadClass c);
/// Parses an OSM-style speed ("50", "50 mph", "BE:urban"); nullopt when unreadable.
std::optional<double> parse_speed_kmh(std::string_view s);
/// Parses an OSM-style quantity in metres or tonnes ("3.5", "3.5 m", "12'6\"", "7.5 t").
std::optional<double> parse_quantity(std::string_view s);

/// Builds a graph from a GDAL line layer (LineString / MultiLineString features whose
/// lines meet at identical end coordinates; end points become nodes). Throws
/// mp::InputError naming the layer when it holds no usable line.
Graph build_from_layer(const layer::Layer& l, NetworkKind kind, const LineMapping& mapping = {},
                       Progress& progress = null_progress());

/// What an OSM build found beyond the graph.
struct OsmStats {
    std::size_t ways = 0;                  ///< routable ways taken
    std::size_t restrictions = 0;          ///< turn restriction relations applied
    std::size_t restrictions_skipped = 0;  ///< via-way or incomplete ones (not supported)
    std::size_t missing_nodes = 0;         ///< node refs without location (clipped extract)
};

/// Builds a graph from an OpenStreetMap .osm / .osm.pbf / .osm.bz2 file with libosmium:
/// highway=* (road) or railway=rail (rail) ways, split at shared nodes; oneway, maxspeed,
/// maxweight, maxaxleload, maxheight, maxwidth, maxlength, bridge, tunnel and military
/// load class tags (mlc, mlc:wheeled, mlc:tracked, maxweight:military); and turn
/// restriction relations (from way, via node, to way). Throws mp::InputError naming the
/// file when it cannot be read.
Graph build_from_osm(const std::string& path, NetworkKind kind, Progress& progress = null_progress(),
                     OsmStats* stats = nullptr);

/// Builds from any source: OSM files by extension (.osm, .pbf, .osm.bz2) via libosmium,
/// a graph cache (.mpgraph), else the first line layer GDAL reads (or layer_name).
Graph build_from_source(const std::string& path, NetworkKind kind, const std::string& layer_name = {},
                        const LineMapping& mapping = {}, Progress& progress = null_progress());

/// Options of the synthetic road network generator.
struct SyntheticOptions {
    std::uint32_t rows = 100, cols = 100;
    std::uint64_t seed = 1;
    double spacing_m = 300;       ///< mean grid spacing
    double drop_fraction = 0.05;  ///< share of grid links left out
    double oneway_fraction = 0.03;
    double bridge_fraction = 0.01;  ///< share of links that are bridges with an MLC limit
    double lon0 = 3.0, lat0 = 50.5;
};

/// A realistic test network: a perturbed grid with a road hierarchy (motorways every 64th
/// line, primaries every 16th, secondaries every 4th, minor roads between), class speeds,
/// a few one-ways and randomly placed bridges with MLC / weight / height limits.
Graph make_synthetic_network(const SyntheticOptions& opts, Progress& progress = null_progress());

}  // namespace mp::network
