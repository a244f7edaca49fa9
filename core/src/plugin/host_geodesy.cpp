// SPDX-License-Identifier: MIT
// Host services: geodesy on WGS84 (Karney's algorithms through GeographicLib), CRS
// transforms (PROJ through mp::geo::Transformer) and the host's reference tables.
#include <GeographicLib/AzimuthalEquidistant.hpp>
#include <GeographicLib/Geodesic.hpp>

// GCC 12 reports -Wmaybe-uninitialized inside Boost.Geometry's buffer strategies
// (join_round, rescale_policy) once they are inlined here; the values are set on every
// path that reads them.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include <boost/geometry.hpp>
#include <cmath>

#include "host_services.hpp"
#include "mp/core/error.hpp"
#include "mp/data/host_tables.hpp"
#include "mp/geo/crs.hpp"
#include "mp/geo/geodesic.hpp"

namespace mp::plugin::detail {

namespace {

using Ctx = MpRunContext;

bool valid_lonlat(double lon, double lat) {
    return std::isfinite(lon) && std::isfinite(lat) && std::abs(lon) <= 180 && std::abs(lat) <= 90;
}

std::string point_text(double lon, double lat) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%.6g,%.6g", lon, lat);
    return buf;
}

const data::HostTable* table_or_fail(const Ctx* c, const char* name) {
    const auto* t = name ? data::host_table(name) : nullptr;
    if (!t)
        fail(c, MP_NOT_FOUND,
             std::string("no host table '") + (name ? name : "") + "' (tables: " + data::host_table_names() + ")");
    return t;
}

// Buffers a geometry on a local azimuthal equidistant projection centred on its
// centroid: distances from the centre are exact there, and distortion elsewhere stays
// below 0.1 % within 200 km of it (Snyder 1987, "Map Projections: A Working Manual",
// section 25), so a buffer of a route or area of that size is as good as its vertices.
geo::MultiPolygon buffer_local(const geo::Geometry& g, double distance_m) {
    namespace bg = boost::geometry;
    using XY = bg::model::d2::point_xy<double>;
    const geo::LonLat c = geo::representative_point(g);
    const GeographicLib::AzimuthalEquidistant aeqd(GeographicLib::Geodesic::WGS84());
    auto fwd = [&](const geo::LonLat& p) {
        double x = 0, y = 0, azi = 0, rk = 0;
        aeqd.Forward(geo::lat(c), geo::lon(c), geo::lat(p), geo::lon(p), x, y, azi, rk);
        return XY(x, y);
    };
    bg::model::multi_polygon<bg::model::polygon<XY>> in_poly, out;
    bg::model::multi_linestring<bg::model::linestring<XY>> in_lines;
    bg::model::multi_point<XY> in_points;
    auto add_line = [&](const geo::LineString& l) {
        bg::model::linestring<XY> x;
        for (const auto& p : l) x.push_back(fwd(p));
        in_lines.push_back(std::move(x));
    };
    auto add_poly = [&](const geo::Polygon& p) {
        bg::model::polygon<XY> x;
        for (const auto& q : p.outer()) x.outer().push_back(fwd(q));
        for (const auto& h : p.inners()) {
            x.inners().emplace_back();
            for (const auto& q : h) x.inners().back().push_back(fwd(q));
        }
        bg::correct(x);
        in_poly.push_back(std::move(x));
    };
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) in_points.push_back(fwd(v));
            else if constexpr (std::is_same_v<T, geo::MultiPoint>)
                for (const auto& p : v) in_points.push_back(fwd(p));
            else if constexpr (std::is_same_v<T, geo::LineString>) add_line(v);
            else if constexpr (std::is_same_v<T, geo::MultiLineString>)
                for (const auto& l : v) add_line(l);
            else if constexpr (std::is_same_v<T, geo::Polygon>) add_poly(v);
            else if constexpr (std::is_same_v<T, geo::MultiPolygon>)
                for (const auto& p : v) add_poly(p);
        },
        g);
    const bg::strategy::buffer::distance_symmetric<double> dist(distance_m);
    const bg::strategy::buffer::join_round join(72);
    const bg::strategy::buffer::end_round end(72);
    const bg::strategy::buffer::point_circle circle(72);
    const bg::strategy::buffer::side_straight side;
    bg::model::multi_polygon<bg::model::polygon<XY>> parts, acc;
    if (!in_points.empty()) {
        bg::buffer(in_points, parts, dist, side, join, end, circle);
        acc = parts;
    }
    if (!in_lines.empty()) {
        parts.clear();
        bg::buffer(in_lines, parts, dist, side, join, end, circle);
        bg::union_(acc, parts, out);
        acc.swap(out);
        out.clear();
    }
    if (!in_poly.empty()) {
        parts.clear();
        bg::buffer(in_poly, parts, dist, side, join, end, circle);
        bg::union_(acc, parts, out);
        acc.swap(out);
        out.clear();
    }
    geo::MultiPolygon result;
    auto inv = [&](const XY& p) {
        double lat = 0, lon = 0, azi = 0, rk = 0;
        aeqd.Reverse(geo::lat(c), geo::lon(c), p.x(), p.y(), lat, lon, azi, rk);
        return geo::lonlat(lon, lat);
    };
    for (const auto& poly : acc) {
        geo::Polygon q;
        for (const auto& p : poly.outer()) q.outer().push_back(inv(p));
        for (const auto& h : poly.inners()) {
            q.inners().emplace_back();
            for (const auto& p : h) q.inners().back().push_back(inv(p));
        }
        result.push_back(std::move(q));
    }
    geo::Geometry out_g = result;
    geo::normalise(out_g);
    return std::get<geo::MultiPolygon>(out_g);
}

}  // namespace

// ---- host tables ----

size_t host_table_rows(const Ctx* c, const char* table) {
    Access a(c);
    if (!a.ok) return 0;
    const auto* t = table_or_fail(c, table);
    return t ? t->rows.size() : 0;
}

size_t host_table_find(const Ctx* c, const char* table, const char* id) {
    Access a(c);
    const auto* t = a.ok ? table_or_fail(c, table) : nullptr;
    if (!t || !id) return static_cast<size_t>(-1);
    const int r = t->find(id);
    if (r < 0) {
        fail(
            c, MP_NOT_FOUND, "no row '" + std::string(id) + "' in host table '" + t->name + "' (ids: " + [&] {
                std::string s;
                for (const auto& i : t->ids()) s += (s.empty() ? "" : ", ") + i;
                return s;
            }() + ")");
        return static_cast<size_t>(-1);
    }
    return static_cast<size_t>(r);
}

MpStatus host_table_text(const Ctx* c, const char* table, size_t row, const char* column, const char** out) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const auto* t = table_or_fail(c, table);
    if (!t) return MP_NOT_FOUND;
    if (!out || !column) return fail(c, MP_INVALID_ARGUMENT, "host_table_text: column and out must not be NULL");
    *out = "";
    if (row >= t->rows.size())
        return fail(c, MP_NOT_FOUND, "host table '" + t->name + "' has " + std::to_string(t->rows.size()) + " rows");
    const int col = t->column(column);
    if (col < 0) return fail(c, MP_NOT_FOUND, "host table '" + t->name + "' has no column '" + column + "'");
    const auto& v = t->rows[row][static_cast<std::size_t>(col)];
    if (std::holds_alternative<std::monostate>(v)) return MP_NOT_FOUND;
    *out = keep_string(c, layer::to_string(v));
    return MP_OK;
}

MpStatus host_table_number(const Ctx* c, const char* table, size_t row, const char* column, double* out) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    const auto* t = table_or_fail(c, table);
    if (!t) return MP_NOT_FOUND;
    if (!out || !column) return fail(c, MP_INVALID_ARGUMENT, "host_table_number: column and out must not be NULL");
    if (row >= t->rows.size())
        return fail(c, MP_NOT_FOUND, "host table '" + t->name + "' has " + std::to_string(t->rows.size()) + " rows");
    const int col = t->column(column);
    if (col < 0) return fail(c, MP_NOT_FOUND, "host table '" + t->name + "' has no column '" + column + "'");
    const auto& v = t->rows[row][static_cast<std::size_t>(col)];
    if (const auto* b = std::get_if<bool>(&v)) {
        *out = *b ? 1 : 0;
        return MP_OK;
    }
    const auto n = layer::to_number(v);
    if (!n) return MP_NOT_FOUND;
    *out = *n;
    return MP_OK;
}

// ---- geodesy ----

MpStatus geod_inverse(Ctx* c, double lon1, double lat1, double lon2, double lat2, double* distance_m, double* azi1,
                      double* azi2) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!valid_lonlat(lon1, lat1) || !valid_lonlat(lon2, lat2))
        return fail(
            c, MP_INVALID_ARGUMENT,
            "geod_inverse: " + point_text(lon1, lat1) + " to " + point_text(lon2, lat2) + " is not lon,lat in degrees");
    double s12 = 0, a1 = 0, a2 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(lat1, lon1, lat2, lon2, s12, a1, a2);
    if (distance_m) *distance_m = s12;
    if (azi1) *azi1 = a1;
    if (azi2) *azi2 = a2;
    return MP_OK;
}

MpStatus geod_direct(Ctx* c, double lon1, double lat1, double azi1, double distance_m, double* lon2, double* lat2,
                     double* azi2) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!valid_lonlat(lon1, lat1) || !std::isfinite(azi1) || !std::isfinite(distance_m))
        return fail(c, MP_INVALID_ARGUMENT,
                    "geod_direct: start " + point_text(lon1, lat1) +
                        ", azimuth and distance must be finite degrees "
                        "and metres");
    if (!lon2 || !lat2) return fail(c, MP_INVALID_ARGUMENT, "geod_direct: lon2 and lat2 must not be NULL");
    double la = 0, lo = 0, a2 = 0;
    GeographicLib::Geodesic::WGS84().Direct(lat1, lon1, azi1, distance_m, la, lo, a2);
    *lon2 = lo, *lat2 = la;
    if (azi2) *azi2 = a2;
    return MP_OK;
}

MpStatus geod_circle(Ctx* c, double lon, double lat, double radius_m, size_t vertices, MpGeometry* out) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!valid_lonlat(lon, lat)) return fail(c, MP_INVALID_ARGUMENT, "geod_circle: centre is not lon,lat");
    if (!std::isfinite(radius_m) || radius_m <= 0 || radius_m > 5'000'000)
        return fail(c, MP_INVALID_ARGUMENT,
                    "geod_circle: radius must be in (0, 5000 km], got " + std::to_string(radius_m) + " m");
    if (vertices < 8 || vertices > 100'000)
        return fail(c, MP_INVALID_ARGUMENT, "geod_circle: vertices must be 8 to 100000");
    if (!out) return fail(c, MP_INVALID_ARGUMENT, "geod_circle: out must not be NULL");
    geo::Polygon p;
    const auto& g = GeographicLib::Geodesic::WGS84();
    for (std::size_t i = 0; i < vertices; ++i) {
        // Counter-clockwise (RFC 7946 exterior rings): azimuths decreasing from north.
        double la = 0, lo = 0;
        g.Direct(lat, lon, 360.0 - static_cast<double>(i) * 360.0 / static_cast<double>(vertices), radius_m, la, lo);
        p.outer().push_back(geo::lonlat(lo, la));
    }
    p.outer().push_back(p.outer().front());
    fill_geometry(c, p, out);
    return MP_OK;
}

MpStatus geod_buffer(Ctx* c, const MpGeometry* geometry, double distance_m, MpGeometry* out) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!out) return fail(c, MP_INVALID_ARGUMENT, "geod_buffer: out must not be NULL");
    if (!std::isfinite(distance_m) || distance_m <= 0 || distance_m > 1'000'000)
        return fail(c, MP_INVALID_ARGUMENT, "geod_buffer: distance must be in (0, 1000 km]");
    geo::Geometry g;
    if (const std::string why = convert_geometry(geometry, g); !why.empty())
        return fail(c, MP_INVALID_ARGUMENT, "geod_buffer: " + why);
    if (std::holds_alternative<std::monostate>(g)) return fail(c, MP_INVALID_ARGUMENT, "geod_buffer: empty geometry");
    try {
        const geo::MultiPolygon m = buffer_local(g, distance_m);
        if (m.size() == 1) fill_geometry(c, m.front(), out);
        else fill_geometry(c, m, out);
    } catch (const std::exception& e) {
        return fail(c, MP_ERROR, std::string("geod_buffer: ") + e.what());
    }
    return MP_OK;
}

MpStatus geod_measure(Ctx* c, const MpGeometry* geometry, double* length_m, double* area_m2) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    geo::Geometry g;
    if (const std::string why = convert_geometry(geometry, g); !why.empty())
        return fail(c, MP_INVALID_ARGUMENT, "geod_measure: " + why);
    if (length_m) *length_m = geo::length_m(g);
    if (area_m2) *area_m2 = geo::area_m2(g);
    return MP_OK;
}

// ---- CRS ----

MpStatus crs_transform(Ctx* c, const char* from_crs, const char* to_crs, double* xy, size_t n_points) {
    Access a(c);
    if (!a.ok) return MP_ERROR;
    if (!from_crs || !to_crs || (!xy && n_points > 0))
        return fail(c, MP_INVALID_ARGUMENT, "crs_transform: from_crs, to_crs and xy must not be NULL");
    try {
        const geo::Transformer t(from_crs, to_crs);
        std::size_t bad = 0;
        for (std::size_t i = 0; i < n_points; ++i) {
            double& x = xy[2 * i];
            double& y = xy[2 * i + 1];
            if (!std::isfinite(x) || !std::isfinite(y)) {
                ++bad;
                continue;
            }
            try {
                t.forward(x, y);
            } catch (const Error&) {
                x = y = HUGE_VAL;
                ++bad;
            }
        }
        if (bad > 0)
            return fail(c, MP_INVALID_ARGUMENT,
                        std::to_string(bad) + " of " + std::to_string(n_points) +
                            " points could not be transformed from " + from_crs + " to " + to_crs +
                            " (set to infinity)");
    } catch (const Error& e) {
        return fail(c, MP_INVALID_ARGUMENT, std::string("crs_transform: ") + e.what());
    }
    return MP_OK;
}

}  // namespace mp::plugin::detail
