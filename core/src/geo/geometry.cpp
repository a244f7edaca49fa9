// SPDX-License-Identifier: MIT
#include "mp/geo/geometry.hpp"

#include <cmath>
#include <sstream>
#include <type_traits>

namespace mp::geo {

namespace {

template <typename F>
void for_each_point(const Geometry& g, F&& f) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, LonLat>) {
                f(v);
            } else if constexpr (!std::is_same_v<T, std::monostate>) {
                bg::for_each_point(v, [&](const LonLat& p) { f(p); });
            }
        },
        g);
}

// Planar (degree) view of our geographic types for centroids; only used for display points.
using PlanarPoint = bg::model::d2::point_xy<double>;
using PlanarPolygon = bg::model::polygon<PlanarPoint, false, true>;

PlanarPolygon to_planar(const Polygon& poly) {
    PlanarPolygon out;
    for (const auto& p : poly.outer()) out.outer().emplace_back(lon(p), lat(p));
    for (const auto& ring : poly.inners()) {
        out.inners().emplace_back();
        for (const auto& p : ring) out.inners().back().emplace_back(lon(p), lat(p));
    }
    return out;
}

}  // namespace

std::string geometry_type_name(const Geometry& g) {
    static const char* names[] = {"None",       "Point",           "LineString",  "Polygon",
                                  "MultiPoint", "MultiLineString", "MultiPolygon"};
    return names[g.index()];
}

bool envelope(const Geometry& g, Box& out) {
    bool any = false;
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    for_each_point(g, [&](const LonLat& p) {
        if (!any) {
            x0 = x1 = lon(p);
            y0 = y1 = lat(p);
            any = true;
        } else {
            x0 = std::min(x0, lon(p));
            x1 = std::max(x1, lon(p));
            y0 = std::min(y0, lat(p));
            y1 = std::max(y1, lat(p));
        }
    });
    if (any) out = Box(LonLat(x0, y0), LonLat(x1, y1));
    return any;
}

LonLat representative_point(const Geometry& g) {
    return std::visit(
        [&](const auto& v) -> LonLat {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, LonLat>) {
                return v;
            } else if constexpr (std::is_same_v<T, LineString>) {
                return v.empty() ? LonLat(NAN, NAN) : v[v.size() / 2];
            } else if constexpr (std::is_same_v<T, Polygon>) {
                if (v.outer().empty()) return LonLat(NAN, NAN);
                PlanarPoint c;
                bg::centroid(to_planar(v), c);
                return LonLat(c.x(), c.y());
            } else if constexpr (std::is_same_v<T, MultiPolygon>) {
                // The centroid of the largest part keeps the point inside an area.
                const Polygon* best = nullptr;
                double best_area = -1;
                for (const auto& p : v) {
                    double a = std::abs(bg::area(to_planar(p)));
                    if (a > best_area) best_area = a, best = &p;
                }
                return best ? representative_point(Geometry(*best)) : LonLat(NAN, NAN);
            } else if constexpr (std::is_same_v<T, MultiPoint>) {
                return v.empty() ? LonLat(NAN, NAN) : v.front();
            } else if constexpr (std::is_same_v<T, MultiLineString>) {
                return v.empty() ? LonLat(NAN, NAN) : representative_point(Geometry(v.front()));
            } else {
                return LonLat(NAN, NAN);
            }
        },
        g);
}

bool coordinates_valid(const Geometry& g) {
    bool ok = true;
    for_each_point(g, [&](const LonLat& p) {
        const double x = lon(p), y = lat(p);
        if (!std::isfinite(x) || !std::isfinite(y) || x < -180 || x > 180 || y < -90 || y > 90) ok = false;
    });
    return ok;
}

namespace {

// Signed area in the lon/lat plane: > 0 for counter-clockwise rings.
double signed_area(const Ring& r) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i) s += lon(r[i]) * lat(r[i + 1]) - lon(r[i + 1]) * lat(r[i]);
    return s / 2;
}

void fix_ring(Ring& r, bool want_ccw) {
    if (r.empty()) return;
    if (!bg::equals(r.front(), r.back())) r.push_back(r.front());
    const double a = signed_area(r);
    if ((want_ccw && a < 0) || (!want_ccw && a > 0)) std::reverse(r.begin(), r.end());
}

void fix_polygon(Polygon& p) {
    fix_ring(p.outer(), true);
    for (auto& h : p.inners()) fix_ring(h, false);
}

}  // namespace

void normalise(Geometry& g) {
    if (auto* p = std::get_if<Polygon>(&g)) fix_polygon(*p);
    if (auto* mp = std::get_if<MultiPolygon>(&g))
        for (auto& p : *mp) fix_polygon(p);
}

std::string to_wkt(const Geometry& g) {
    std::ostringstream os;
    os.precision(10);
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
                os << "";
            } else {
                os << bg::wkt(v);
            }
        },
        g);
    return os.str();
}

}  // namespace mp::geo
