// SPDX-License-Identifier: MIT
#include "mp/geo/geodesic.hpp"

#include <GeographicLib/AzimuthalEquidistant.hpp>
#include <GeographicLib/Geodesic.hpp>
#include <GeographicLib/PolygonArea.hpp>
#include <cmath>
#include <limits>

namespace mp::geo {

namespace {
const GeographicLib::Geodesic& wgs84() { return GeographicLib::Geodesic::WGS84(); }

double ring_area_m2(const Ring& ring) {
    // PolygonArea wants the ring without the closing vertex; orientation-free |area|.
    GeographicLib::PolygonArea pa(wgs84());
    const std::size_t n = ring.size() > 1 && bg::equals(ring.front(), ring.back()) ? ring.size() - 1 : ring.size();
    for (std::size_t i = 0; i < n; ++i) pa.AddPoint(lat(ring[i]), lon(ring[i]));
    double perimeter = 0, area = 0;
    pa.Compute(false, true, perimeter, area);
    return std::abs(area);
}
}  // namespace

double distance_m(const LonLat& a, const LonLat& b) {
    double s12 = 0;
    wgs84().Inverse(lat(a), lon(a), lat(b), lon(b), s12);
    return s12;
}

double azimuth_deg(const LonLat& a, const LonLat& b) {
    double azi1 = 0, azi2 = 0;
    wgs84().Inverse(lat(a), lon(a), lat(b), lon(b), azi1, azi2);
    return azi1;
}

LonLat destination(const LonLat& origin, double azi, double dist) {
    double lat2 = 0, lon2 = 0;
    wgs84().Direct(lat(origin), lon(origin), azi, dist, lat2, lon2);
    return LonLat(lon2, lat2);
}

double length_m(const LineString& line) {
    double s = 0;
    for (std::size_t i = 1; i < line.size(); ++i) s += distance_m(line[i - 1], line[i]);
    return s;
}

double area_m2(const Polygon& poly) {
    double a = ring_area_m2(poly.outer());
    for (const auto& h : poly.inners()) a -= ring_area_m2(h);
    return a;
}

double length_m(const Geometry& g) {
    if (auto* l = std::get_if<LineString>(&g)) return length_m(*l);
    if (auto* ml = std::get_if<MultiLineString>(&g)) {
        double s = 0;
        for (const auto& l : *ml) s += length_m(l);
        return s;
    }
    auto ring_len = [](const Ring& r) {
        double s = 0;
        for (std::size_t i = 1; i < r.size(); ++i) s += distance_m(r[i - 1], r[i]);
        return s;
    };
    auto poly_len = [&](const Polygon& p) {
        double s = ring_len(p.outer());
        for (const auto& h : p.inners()) s += ring_len(h);
        return s;
    };
    if (auto* p = std::get_if<Polygon>(&g)) return poly_len(*p);
    if (auto* mp = std::get_if<MultiPolygon>(&g)) {
        double s = 0;
        for (const auto& p : *mp) s += poly_len(p);
        return s;
    }
    return 0;
}

double area_m2(const Geometry& g) {
    if (auto* p = std::get_if<Polygon>(&g)) return area_m2(*p);
    if (auto* mp = std::get_if<MultiPolygon>(&g)) {
        double s = 0;
        for (const auto& p : *mp) s += area_m2(p);
        return s;
    }
    return 0;
}

double distance_to_line_m(const LonLat& p, const LineString& line) {
    if (line.empty()) return std::numeric_limits<double>::infinity();
    if (line.size() == 1) return distance_m(p, line.front());
    // Azimuthal equidistant projection centred on p keeps distances from p exact;
    // nearest point on each planar segment is then found by projection.
    const GeographicLib::AzimuthalEquidistant aeq(wgs84());
    double best = std::numeric_limits<double>::infinity();
    double px = 0, py = 0, azi = 0, rk = 0;
    std::vector<std::pair<double, double>> xy;
    xy.reserve(line.size());
    for (const auto& q : line) {
        double x = 0, y = 0;
        aeq.Forward(lat(p), lon(p), lat(q), lon(q), x, y, azi, rk);
        xy.emplace_back(x, y);
    }
    for (std::size_t i = 1; i < xy.size(); ++i) {
        const auto [ax, ay] = xy[i - 1];
        const auto [bx, by] = xy[i];
        const double dx = bx - ax, dy = by - ay;
        const double len2 = dx * dx + dy * dy;
        double t = len2 > 0 ? ((px - ax) * dx + (py - ay) * dy) / len2 : 0;
        t = std::clamp(t, 0.0, 1.0);
        const double cx = ax + t * dx, cy = ay + t * dy;
        best = std::min(best, std::hypot(cx, cy));
    }
    return best;
}

}  // namespace mp::geo
