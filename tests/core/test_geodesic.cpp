// SPDX-License-Identifier: MIT
#include <boost/geometry/strategies/geographic/distance_vincenty.hpp>
#include <catch2/catch.hpp>
#include <cmath>

#include "mp/geo/geodesic.hpp"

using namespace mp::geo;

namespace {
// Independent reference: Boost.Geometry's Vincenty formula on the WGS84 spheroid.
double vincenty_m(const LonLat& a, const LonLat& b) {
    bg::srs::spheroid<double> wgs84(6378137.0, 6356752.3142451793);
    bg::strategy::distance::vincenty<bg::srs::spheroid<double>> strategy(wgs84);
    return bg::distance(a, b, strategy);
}
}  // namespace

TEST_CASE("Geodesic distance between sites matches Vincenty within 0.1 %", "[geodesic]") {
    const LonLat zeebrugge(3.2030, 51.3305), leopoldsburg(5.2589, 51.1185), elsenborn(6.1569, 50.4856),
        antwerp(4.4000, 51.2300), arlon(5.8167, 49.6833);
    const LonLat pairs[][2] = {{zeebrugge, leopoldsburg}, {antwerp, elsenborn}, {zeebrugge, arlon}};
    for (const auto& pr : pairs) {
        const LonLat& a = pr[0];
        const LonLat& b = pr[1];
        const double ours = distance_m(a, b);
        const double ref = vincenty_m(a, b);
        CHECK(std::abs(ours - ref) / ref < 0.001);
        CHECK(std::abs(ours - ref) < 1.0);  // in fact both are sub-metre accurate
    }
    // Zeebrugge - Leopoldsburg is about 146 km as the crow flies.
    CHECK(distance_m(zeebrugge, leopoldsburg) == Approx(146'000).epsilon(0.02));
}

TEST_CASE("Length, area and destination on the ellipsoid", "[geodesic]") {
    // One degree of latitude at 51 N is 111.25 km on WGS84.
    LineString meridian{{4.0, 50.5}, {4.0, 51.5}};
    CHECK(length_m(meridian) == Approx(111'250).epsilon(0.001));
    // A 0.01 x 0.01 degree cell at 51 N: 1112 m x 700 m.
    Polygon cell;
    bg::append(cell.outer(), LonLat(4.0, 51.0));
    bg::append(cell.outer(), LonLat(4.01, 51.0));
    bg::append(cell.outer(), LonLat(4.01, 51.01));
    bg::append(cell.outer(), LonLat(4.0, 51.01));
    bg::append(cell.outer(), LonLat(4.0, 51.0));
    const double expected = distance_m({4.0, 51.005}, {4.01, 51.005}) * distance_m({4.0, 51.0}, {4.0, 51.01});
    CHECK(area_m2(cell) == Approx(expected).epsilon(0.001));
    const LonLat d = destination({4.0, 51.0}, 90.0, 10'000);
    CHECK(distance_m({4.0, 51.0}, d) == Approx(10'000).epsilon(1e-9));
    CHECK(azimuth_deg({4.0, 51.0}, {4.0, 52.0}) == Approx(0.0).margin(1e-9));
}

TEST_CASE("Distance from a point to a line is the perpendicular distance", "[geodesic]") {
    // A meridian is a geodesic, and the geodesic leaving it eastwards meets it at a right
    // angle: the distance is exactly the 500 m travelled.
    LineString meridian{{4.0, 51.0}, {4.0, 51.1}};
    const LonLat p = destination({4.0, 51.05}, 90.0, 500.0);
    CHECK(distance_to_line_m(p, meridian) == Approx(500.0).margin(0.05));
    // Beyond the end the nearest point is the end vertex.
    CHECK(distance_to_line_m({4.0, 51.2}, meridian) == Approx(distance_m({4.0, 51.2}, {4.0, 51.1})).epsilon(1e-6));
    // A geodesic between two points on a parallel bulges poleward (~1.2 m over 7 km at
    // 51 N), so a point 500 m north of the parallel is ~498.8 m from the segment.
    LineString east_west{{4.0, 51.0}, {4.1, 51.0}};
    CHECK(distance_to_line_m(destination({4.05, 51.0}, 0.0, 500.0), east_west) == Approx(498.8).margin(0.2));
}
