// SPDX-License-Identifier: MIT
#pragma once

#include "mp/geo/geometry.hpp"

namespace mp::geo {

/// Geodesic distance in metres between two points on the WGS84 ellipsoid (Karney's
/// algorithm via GeographicLib, accurate to nanometres).
double distance_m(const LonLat& a, const LonLat& b);

/// Initial azimuth from a to b in degrees clockwise from north, in [-180, 180].
double azimuth_deg(const LonLat& a, const LonLat& b);

/// The point at distance_m along azimuth_deg from origin on the WGS84 ellipsoid.
LonLat destination(const LonLat& origin, double azimuth_deg, double distance_m);

/// Geodesic length of a line in metres (sum of its segments on the ellipsoid).
double length_m(const LineString& line);
/// Geodesic length of lines and polygon boundaries; 0 for points.
double length_m(const Geometry& g);

/// Geodesic area in square metres on the WGS84 ellipsoid (holes subtracted); 0 for
/// points and lines.
double area_m2(const Polygon& poly);
double area_m2(const Geometry& g);

/// Shortest geodesic distance in metres from p to the line (to the nearest point on
/// any segment, found on a local azimuthal projection; sub-metre for segments < 100 km).
double distance_to_line_m(const LonLat& p, const LineString& line);

}  // namespace mp::geo
