// SPDX-License-Identifier: MIT
#include "map/prepare.hpp"

#include <GL/glew.h>
#include <GL/glu.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <numeric>
#include <type_traits>

#include "mp/sites/catalogue.hpp"

namespace mp::gui::map {

namespace {

// Levels of detail in display units (metres). Twice as coarse each, so that the level
// drawn has between half a pixel and one pixel of tolerance (one pixel is Leaflet's
// default smoothFactor for polylines, https://leafletjs.com/reference.html#polyline).
constexpr double kLevelTolerances[] = {0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192};
// A level is kept only when it saves at least this share of the previous one's vertices.
constexpr double kLevelMinSaving = 0.15;
// Culling grid: up to kGrid x kGrid chunks per layer.
constexpr int kGrid = 16;
// Layers with more symbols than this get them in "evenly spread prefix" order.
constexpr std::size_t kThinFrom = 1000;

double dist2_to_segment(XY p, XY a, XY b) {
    const double dx = b.x - a.x, dy = b.y - a.y;
    const double len2 = dx * dx + dy * dy;
    double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
    t = std::clamp(t, 0.0, 1.0);
    const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
    return ex * ex + ey * ey;
}

Extent extent_of(const std::vector<XY>& pts) {
    Extent e;
    for (const auto& p : pts) e.add(p.x, p.y);
    return e;
}

// Walks every coordinate of a geometry in a fixed order (used twice: to gather the
// coordinates for one bulk PROJ call, then to read the results back).
template <typename F>
void for_each_coordinate(const geo::Geometry& g, F&& f) {
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) {
                f(v);
            } else if constexpr (std::is_same_v<T, geo::LineString> || std::is_same_v<T, geo::MultiPoint>) {
                for (const auto& p : v) f(p);
            } else if constexpr (std::is_same_v<T, geo::MultiLineString>) {
                for (const auto& l : v)
                    for (const auto& p : l) f(p);
            } else if constexpr (std::is_same_v<T, geo::Polygon>) {
                for (const auto& p : v.outer()) f(p);
                for (const auto& r : v.inners())
                    for (const auto& p : r) f(p);
            } else if constexpr (std::is_same_v<T, geo::MultiPolygon>) {
                for (const auto& poly : v) {
                    for (const auto& p : poly.outer()) f(p);
                    for (const auto& r : poly.inners())
                        for (const auto& p : r) f(p);
                }
            }
        },
        g);
}

// Builds the projected feature from the geometry, reading projected coordinates from
// xs/ys starting at k; drops coordinates PROJ failed on.
ProjectedFeature project_feature(const geo::Geometry& g, const std::vector<double>& xs, const std::vector<double>& ys,
                                 std::size_t& k, std::size_t& failed) {
    ProjectedFeature pf;
    auto take = [&](std::vector<XY>& out, std::size_t n) {
        for (std::size_t i = 0; i < n; ++i, ++k) {
            if (std::isfinite(xs[k]) && std::isfinite(ys[k])) out.push_back({xs[k], ys[k]});
            else ++failed;
        }
    };
    auto take_polygon = [&](const geo::Polygon& poly) {
        std::vector<std::vector<XY>> rings(1);
        take(rings[0], poly.outer().size());
        for (const auto& r : poly.inners()) {
            rings.emplace_back();
            take(rings.back(), r.size());
        }
        if (rings[0].size() >= 4) pf.polygons.push_back(std::move(rings));
    };
    std::visit(
        [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, geo::LonLat>) {
                take(pf.points, 1);
            } else if constexpr (std::is_same_v<T, geo::MultiPoint>) {
                take(pf.points, v.size());
            } else if constexpr (std::is_same_v<T, geo::LineString>) {
                pf.lines.emplace_back();
                take(pf.lines.back(), v.size());
            } else if constexpr (std::is_same_v<T, geo::MultiLineString>) {
                for (const auto& l : v) {
                    pf.lines.emplace_back();
                    take(pf.lines.back(), l.size());
                }
            } else if constexpr (std::is_same_v<T, geo::Polygon>) {
                take_polygon(v);
            } else if constexpr (std::is_same_v<T, geo::MultiPolygon>) {
                for (const auto& poly : v) take_polygon(poly);
            }
        },
        g);
    std::erase_if(pf.lines, [](const auto& l) { return l.size() < 2; });
    for (const auto& p : pf.points) pf.extent.add(p.x, p.y);
    for (const auto& l : pf.lines) pf.extent.add(extent_of(l));
    for (const auto& poly : pf.polygons) pf.extent.add(extent_of(poly[0]));
    return pf;
}

void push_path(std::vector<float>& out, const std::vector<XY>& path, double ox, double oy) {
    for (const auto& p : path) {
        out.push_back(static_cast<float>(p.x - ox));
        out.push_back(static_cast<float>(p.y - oy));
    }
    // Two separators: one collapses onto this path's end, one onto the next's start
    // (shaders/map_line.vert).
    for (int i = 0; i < 4; ++i) out.push_back(kSeparator);
}

// GLU tessellator callbacks (C linkage-compatible signatures via GLAPIENTRY).
struct TessState {
    std::vector<XY>* out = nullptr;
    std::deque<std::array<GLdouble, 3>> extra;  // vertices created at intersections
    bool failed = false;
};

void GLAPIENTRY tess_vertex(void* vertex, void* user) {
    auto* s = static_cast<TessState*>(user);
    const auto* v = static_cast<const GLdouble*>(vertex);
    s->out->push_back({v[0], v[1]});
}
void GLAPIENTRY tess_begin(GLenum, void*) {}
void GLAPIENTRY tess_edge_flag(GLboolean, void*) {}  // forces GL_TRIANGLES only
void GLAPIENTRY tess_combine(const GLdouble coords[3], void* /*data*/[4], const GLfloat /*weight*/[4], void** out,
                             void* user) {
    auto* s = static_cast<TessState*>(user);
    s->extra.push_back({coords[0], coords[1], 0});
    *out = s->extra.back().data();
}
void GLAPIENTRY tess_error(GLenum, void* user) { static_cast<TessState*>(user)->failed = true; }

using TessFn = void(GLAPIENTRY*)();

// The grid's corners reprojected to the display CRS as a mesh of up to 32 x 32 quads:
// fine enough for PROJ's curvature over a country.
void build_mesh(PreparedRaster& out, std::size_t width, std::size_t height, const std::array<double, 6>& gt,
                const geo::Transformer& to_display) {
    const std::size_t nx = std::min<std::size_t>(32, width), ny = std::min<std::size_t>(32, height);
    std::vector<double> xs, ys;
    for (std::size_t j = 0; j <= ny; ++j)
        for (std::size_t i = 0; i <= nx; ++i) {
            const double px = static_cast<double>(width) * static_cast<double>(i) / static_cast<double>(nx);
            const double py = static_cast<double>(height) * static_cast<double>(j) / static_cast<double>(ny);
            xs.push_back(gt[0] + px * gt[1] + py * gt[2]);
            ys.push_back(gt[3] + px * gt[4] + py * gt[5]);
        }
    to_display.forward_many(xs, ys);
    for (std::size_t k = 0; k < xs.size(); ++k)
        if (std::isfinite(xs[k]) && std::isfinite(ys[k])) out.extent.add(xs[k], ys[k]);
    if (out.extent.empty()) return;
    out.origin_x = std::round((out.extent.min_x + out.extent.max_x) * 0.5);
    out.origin_y = std::round((out.extent.min_y + out.extent.max_y) * 0.5);
    auto vertex = [&](std::size_t i, std::size_t j) {
        const std::size_t k = j * (nx + 1) + i;
        out.mesh.insert(
            out.mesh.end(),
            {static_cast<float>(xs[k] - out.origin_x), static_cast<float>(ys[k] - out.origin_y),
             static_cast<float>(i) / static_cast<float>(nx), static_cast<float>(j) / static_cast<float>(ny)});
    };
    auto ok = [&](std::size_t i, std::size_t j) {
        const std::size_t k = j * (nx + 1) + i;
        return std::isfinite(xs[k]) && std::isfinite(ys[k]);
    };
    for (std::size_t j = 0; j < ny; ++j)
        for (std::size_t i = 0; i < nx; ++i) {
            if (!ok(i, j) || !ok(i + 1, j) || !ok(i, j + 1) || !ok(i + 1, j + 1)) continue;
            vertex(i, j), vertex(i + 1, j), vertex(i, j + 1);
            vertex(i + 1, j), vertex(i + 1, j + 1), vertex(i, j + 1);
        }
}

}  // namespace

Symbol symbol_for(const layer::Feature& f) {
    const auto kind = sites::parse_kind(f.attributes.text("kind"));
    if (!kind) return Symbol::Dot;
    switch (*kind) {
        case sites::SiteKind::Port: return Symbol::Port;
        case sites::SiteKind::Airbase: return Symbol::Airbase;
        case sites::SiteKind::RailTerminal: return Symbol::RailTerminal;
        case sites::SiteKind::TrainingArea: return Symbol::TrainingArea;
        case sites::SiteKind::BorderCrossing: return Symbol::BorderCrossing;
        case sites::SiteKind::StagingArea: return Symbol::StagingArea;
    }
    return Symbol::Dot;
}

std::vector<XY> simplify(const std::vector<XY>& path, double tolerance) {
    if (tolerance <= 0 || path.size() <= 2) return path;
    const double tol2 = tolerance * tolerance;
    std::vector<char> keep(path.size(), 0);
    keep.front() = keep.back() = 1;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{0, path.size() - 1}};
    while (!stack.empty()) {
        auto [a, b] = stack.back();
        stack.pop_back();
        double best = -1;
        std::size_t best_i = a;
        for (std::size_t i = a + 1; i < b; ++i) {
            const double d = dist2_to_segment(path[i], path[a], path[b]);
            if (d > best) {
                best = d;
                best_i = i;
            }
        }
        if (best > tol2) {
            keep[best_i] = 1;
            stack.push_back({a, best_i});
            stack.push_back({best_i, b});
        }
    }
    std::vector<XY> out;
    for (std::size_t i = 0; i < path.size(); ++i)
        if (keep[i]) out.push_back(path[i]);
    return out;
}

std::vector<XY> triangulate(const std::vector<std::vector<XY>>& rings) {
    std::vector<XY> out;
    GLUtesselator* tess = gluNewTess();
    if (!tess) return out;
    TessState state;
    state.out = &out;
    gluTessCallback(tess, GLU_TESS_BEGIN_DATA, reinterpret_cast<TessFn>(&tess_begin));
    gluTessCallback(tess, GLU_TESS_VERTEX_DATA, reinterpret_cast<TessFn>(&tess_vertex));
    gluTessCallback(tess, GLU_TESS_EDGE_FLAG_DATA, reinterpret_cast<TessFn>(&tess_edge_flag));
    gluTessCallback(tess, GLU_TESS_COMBINE_DATA, reinterpret_cast<TessFn>(&tess_combine));
    gluTessCallback(tess, GLU_TESS_ERROR_DATA, reinterpret_cast<TessFn>(&tess_error));
    gluTessProperty(tess, GLU_TESS_WINDING_RULE, GLU_TESS_WINDING_ODD);
    gluTessNormal(tess, 0, 0, 1);
    // GLU keeps pointers to the vertex data until gluTessEndPolygon.
    std::vector<std::array<GLdouble, 3>> coords;
    std::size_t total = 0;
    for (const auto& r : rings) total += r.size();
    coords.reserve(total);
    gluTessBeginPolygon(tess, &state);
    for (const auto& r : rings) {
        // A closed ring repeats its first point; GLU wants each vertex once.
        const std::size_t n =
            (r.size() > 1 && r.front().x == r.back().x && r.front().y == r.back().y) ? r.size() - 1 : r.size();
        if (n < 3) continue;
        gluTessBeginContour(tess);
        for (std::size_t i = 0; i < n; ++i) {
            coords.push_back({r[i].x, r[i].y, 0});
            gluTessVertex(tess, coords.back().data(), coords.back().data());
        }
        gluTessEndContour(tess);
    }
    gluTessEndPolygon(tess);
    gluDeleteTess(tess);
    if (state.failed || out.size() % 3 != 0) out.clear();
    return out;
}

const LodLevel& PreparedLayer::level_for(double units_per_pixel) const noexcept {
    const double ideal = units_per_pixel;
    std::size_t best = 0;
    for (std::size_t i = 0; i < levels.size(); ++i)
        if (levels[i].tolerance <= ideal) best = i;
    return levels[best];
}

PreparedLayer prepare_layer(const layer::Layer& l, const geo::Transformer& to_display) {
    PreparedLayer out;
    // 1. Project every coordinate in one bulk call.
    std::vector<double> xs, ys;
    for (const auto& f : l.features)
        for_each_coordinate(f.geometry, [&](const geo::LonLat& p) {
            xs.push_back(geo::lon(p));
            ys.push_back(geo::lat(p));
        });
    out.input_vertices = xs.size();
    if (!xs.empty()) to_display.forward_many(xs, ys);
    std::size_t k = 0;
    out.features.reserve(l.features.size());
    for (const auto& f : l.features) {
        out.features.push_back(project_feature(f.geometry, xs, ys, k, out.failed_points));
        out.extent.add(out.features.back().extent);
    }
    if (out.extent.empty()) {
        out.levels.emplace_back();
        return out;
    }
    out.origin_x = std::round((out.extent.min_x + out.extent.max_x) * 0.5);
    out.origin_y = std::round((out.extent.min_y + out.extent.max_y) * 0.5);

    // 2. Symbols: points, and the representative point of area sites.
    for (std::size_t i = 0; i < l.features.size(); ++i) {
        const auto& pf = out.features[i];
        const Symbol s = symbol_for(l.features[i]);
        auto add = [&](XY p) {
            out.symbols.insert(out.symbols.end(),
                               {static_cast<float>(p.x - out.origin_x), static_cast<float>(p.y - out.origin_y),
                                static_cast<float>(static_cast<int>(s))});
            out.symbol_feature.push_back(static_cast<std::uint32_t>(i));
        };
        for (const auto& p : pf.points) add(p);
        if (pf.points.empty() && s != Symbol::Dot && !pf.polygons.empty()) {
            double x = 0, y = 0;
            std::size_t n = 0;
            for (const auto& p : pf.polygons[0][0]) x += p.x, y += p.y, ++n;
            if (n) add({x / n, y / n});
        }
    }

    // 2b. Many symbols: reorder them so that every prefix is spread evenly over the layer
    // (one per cell of a grid that doubles its resolution each round), so a renderer can
    // thin a dense layer by drawing a prefix.
    const std::size_t nsym = out.symbol_feature.size();
    if (nsym > kThinFrom) {
        std::vector<char> taken(nsym, 0);
        std::vector<float> sym;
        std::vector<std::uint32_t> feat;
        sym.reserve(out.symbols.size());
        feat.reserve(nsym);
        const double w = std::max(1.0, out.extent.max_x - out.extent.min_x),
                     h = std::max(1.0, out.extent.max_y - out.extent.min_y);
        for (int level = 0; feat.size() < nsym; ++level) {
            const int n = 1 << std::min(level, 12);
            std::vector<char> used(static_cast<std::size_t>(n) * static_cast<std::size_t>(n), 0);
            for (std::size_t i = 0; i < nsym; ++i) {
                if (taken[i]) continue;
                const double x = out.symbols[3 * i] + out.origin_x - out.extent.min_x,
                             y = out.symbols[3 * i + 1] + out.origin_y - out.extent.min_y;
                const int cx = std::clamp(static_cast<int>(x / w * n), 0, n - 1),
                          cy = std::clamp(static_cast<int>(y / h * n), 0, n - 1);
                char& u =
                    used[static_cast<std::size_t>(cy) * static_cast<std::size_t>(n) + static_cast<std::size_t>(cx)];
                if (u && level < 12) continue;
                u = 1;
                taken[i] = 1;
                sym.insert(sym.end(), {out.symbols[3 * i], out.symbols[3 * i + 1], out.symbols[3 * i + 2]});
                feat.push_back(out.symbol_feature[i]);
            }
        }
        out.symbols = std::move(sym);
        out.symbol_feature = std::move(feat);
    }

    // 3. Chunks: order features by the grid cell of their extent's centre.
    const double cw = std::max(1.0, (out.extent.max_x - out.extent.min_x) / kGrid);
    const double ch = std::max(1.0, (out.extent.max_y - out.extent.min_y) / kGrid);
    auto cell_of = [&](const Extent& e) {
        if (e.empty()) return 0;
        const int cx = std::clamp(static_cast<int>(((e.min_x + e.max_x) * 0.5 - out.extent.min_x) / cw), 0, kGrid - 1);
        const int cy = std::clamp(static_cast<int>(((e.min_y + e.max_y) * 0.5 - out.extent.min_y) / ch), 0, kGrid - 1);
        return cy * kGrid + cx;
    };
    std::vector<std::uint32_t> order(out.features.size());
    std::iota(order.begin(), order.end(), 0u);
    std::vector<int> cells(out.features.size());
    for (std::size_t i = 0; i < cells.size(); ++i) cells[i] = cell_of(out.features[i].extent);
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return cells[a] < cells[b]; });
    std::vector<std::pair<std::size_t, std::size_t>> chunk_spans;  // [begin, end) in order
    for (std::size_t i = 0; i < order.size();) {
        std::size_t j = i;
        Extent e;
        while (j < order.size() && cells[order[j]] == cells[order[i]]) e.add(out.features[order[j++]].extent);
        chunk_spans.push_back({i, j});
        out.chunks.push_back(e);
        i = j;
    }

    // 4. Levels of detail.
    for (double tol : kLevelTolerances) {
        LodLevel lv;
        lv.tolerance = tol;
        lv.line_xy = {kSeparator, kSeparator};  // the first path's predecessor
        for (const auto& [b, e] : chunk_spans) {
            Range lr{static_cast<std::uint32_t>(lv.line_xy.size() / 2), 0};
            Range fr{static_cast<std::uint32_t>(lv.fill_xy.size() / 2), 0};
            for (std::size_t oi = b; oi < e; ++oi) {
                const auto& pf = out.features[order[oi]];
                // Features smaller than the tolerance (under a pixel where this level is
                // drawn) vanish, as their rings do below: an OSM extract has ~100k tiny ways
                // that would otherwise each keep a segment.
                if (tol > 0 && std::max(pf.extent.max_x - pf.extent.min_x, pf.extent.max_y - pf.extent.min_y) < tol)
                    continue;
                for (const auto& line : pf.lines) {
                    const Extent le = extent_of(line);
                    if (tol > 0 && std::max(le.max_x - le.min_x, le.max_y - le.min_y) < tol) continue;
                    push_path(lv.line_xy, simplify(line, tol), out.origin_x, out.origin_y);
                }
                for (const auto& poly : pf.polygons) {
                    std::vector<std::vector<XY>> rings;
                    for (const auto& r : poly) {
                        const Extent re = extent_of(r);
                        // Rings smaller than the tolerance vanish at this level.
                        if (tol > 0 && std::max(re.max_x - re.min_x, re.max_y - re.min_y) < tol) {
                            if (rings.empty()) break;
                            continue;
                        }
                        auto s = simplify(r, tol);
                        if (s.size() < 4) {
                            if (rings.empty()) break;
                            continue;
                        }
                        rings.push_back(std::move(s));
                    }
                    if (rings.empty()) continue;
                    for (const auto& r : rings) push_path(lv.line_xy, r, out.origin_x, out.origin_y);
                    for (const auto& p : triangulate(rings)) {
                        lv.fill_xy.push_back(static_cast<float>(p.x - out.origin_x));
                        lv.fill_xy.push_back(static_cast<float>(p.y - out.origin_y));
                    }
                }
            }
            // The chunk's points without its trailing separators.
            const auto end = static_cast<std::uint32_t>(lv.line_xy.size() / 2);
            lr.count = end > lr.first ? end - lr.first - 2 : 0;
            fr.count = static_cast<std::uint32_t>(lv.fill_xy.size() / 2) - fr.first;
            lv.line_ranges.push_back(lr);
            lv.fill_ranges.push_back(fr);
        }
        if (!out.levels.empty()) {
            const auto& prev = out.levels.back();
            const double prev_n = static_cast<double>(prev.line_xy.size() + prev.fill_xy.size());
            const double n = static_cast<double>(lv.line_xy.size() + lv.fill_xy.size());
            if (n > prev_n * (1.0 - kLevelMinSaving)) continue;
        }
        out.levels.push_back(std::move(lv));
    }
    return out;
}

PreparedRaster prepare_raster(std::size_t width, std::size_t height, const std::array<double, 6>& gt,
                              const std::vector<double>& cells, double nodata, const geo::Transformer& to_display) {
    PreparedRaster out;
    if (width == 0 || height == 0 || cells.size() < width * height) return out;
    out.width = static_cast<int>(width);
    out.height = static_cast<int>(height);
    double lo = 0, hi = 0;
    bool any = false;
    for (double v : cells)
        if (std::isfinite(v) && v != nodata && v > 0)
            lo = any ? std::min(lo, v) : v, hi = any ? std::max(hi, v) : v, any = true;
    out.min_value = lo, out.max_value = hi;
    out.values.resize(width * height);
    for (std::size_t i = 0; i < width * height; ++i) {
        const double v = cells[i];
        out.values[i] = (!std::isfinite(v) || v == nodata || v <= 0) ? -1.0f
                        : hi > lo                                    ? static_cast<float>((v - lo) / (hi - lo))
                                                                     : 1.0f;
    }
    build_mesh(out, width, height, gt, to_display);
    return out;
}

PreparedRaster prepare_raster(const RasterImage& img, const std::array<double, 6>& gt,
                              const geo::Transformer& to_display) {
    PreparedRaster out;
    const std::size_t n = img.width * img.height;
    if (n == 0 || (img.discrete ? img.rgba.size() != 4 * n : img.values.size() != n)) return out;
    out.width = static_cast<int>(img.width);
    out.height = static_cast<int>(img.height);
    out.min_value = img.min_value, out.max_value = img.max_value;
    if (img.discrete) out.rgba = img.rgba;
    else out.values = img.values;
    build_mesh(out, img.width, img.height, gt, to_display);
    return out;
}

long pick_feature(const PreparedLayer& p, XY at, double tolerance) {
    const double tol2 = tolerance * tolerance;
    long best_line = -1, best_poly = -1;
    double best_line_d = tol2;
    for (std::size_t i = 0; i < p.features.size(); ++i) {
        const auto& f = p.features[i];
        if (f.extent.empty()) continue;
        if (at.x < f.extent.min_x - tolerance || at.x > f.extent.max_x + tolerance ||
            at.y < f.extent.min_y - tolerance || at.y > f.extent.max_y + tolerance)
            continue;
        for (const auto& q : f.points) {
            const double dx = q.x - at.x, dy = q.y - at.y;
            if (dx * dx + dy * dy <= tol2) return static_cast<long>(i);
        }
        for (const auto& l : f.lines)
            for (std::size_t s = 1; s < l.size(); ++s) {
                const double d = dist2_to_segment(at, l[s - 1], l[s]);
                if (d <= best_line_d) best_line_d = d, best_line = static_cast<long>(i);
            }
        if (best_poly < 0)
            for (const auto& poly : f.polygons) {
                bool inside = false;  // even-odd over all rings: holes excluded
                for (const auto& r : poly)
                    for (std::size_t a = 0, b = r.size() - 1; a < r.size(); b = a++)
                        if ((r[a].y > at.y) != (r[b].y > at.y) &&
                            at.x < (r[b].x - r[a].x) * (at.y - r[a].y) / (r[b].y - r[a].y) + r[a].x)
                            inside = !inside;
                if (inside) best_poly = static_cast<long>(i);
            }
    }
    return best_line >= 0 ? best_line : best_poly;
}

}  // namespace mp::gui::map
