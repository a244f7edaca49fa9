// SPDX-License-Identifier: MIT
#pragma once

#include <boost/geometry.hpp>
#include <string>
#include <variant>

namespace mp::geo {

namespace bg = boost::geometry;

/// A WGS84 position, x = longitude, y = latitude, in degrees (EPSG:4326, lon/lat order).
using LonLat = bg::model::point<double, 2, bg::cs::geographic<bg::degree>>;
/// A projected position in a planar CRS, in that CRS's units (metres for 31370/3812/3857).
using ProjectedXY = bg::model::d2::point_xy<double>;

using LineString = bg::model::linestring<LonLat>;
/// Exterior rings counter-clockwise, holes clockwise, closed (RFC 7946 orientation).
using Polygon = bg::model::polygon<LonLat, false, true>;
using Ring = Polygon::ring_type;
using MultiPoint = bg::model::multi_point<LonLat>;
using MultiLineString = bg::model::multi_linestring<LineString>;
using MultiPolygon = bg::model::multi_polygon<Polygon>;
using Box = bg::model::box<LonLat>;

/// Any feature geometry; monostate means "no geometry" (attribute-only rows).
using Geometry = std::variant<std::monostate, LonLat, LineString, Polygon, MultiPoint, MultiLineString, MultiPolygon>;

inline LonLat lonlat(double lon, double lat) { return LonLat(lon, lat); }
inline double lon(const LonLat& p) { return bg::get<0>(p); }
inline double lat(const LonLat& p) { return bg::get<1>(p); }

/// OGC name of the geometry's type: "Point", "LineString", ... or "None".
std::string geometry_type_name(const Geometry& g);

/// Bounding box in lon/lat; false when the geometry is empty.
bool envelope(const Geometry& g, Box& out);

/// A representative point: the point itself, the middle vertex of a line, the centroid
/// of a polygon (planar in degrees: fine for display and look-up, not for measurement).
LonLat representative_point(const Geometry& g);

/// True when every coordinate is finite and within lon [-180,180], lat [-90,90].
bool coordinates_valid(const Geometry& g);

/// Fix ring orientation and closure to the RFC 7946 convention in place.
void normalise(Geometry& g);

/// Well-known text of the geometry (for CSV export and messages).
std::string to_wkt(const Geometry& g);

}  // namespace mp::geo
