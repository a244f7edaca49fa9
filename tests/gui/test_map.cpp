// SPDX-License-Identifier: MIT
// The map renderer's pure parts: view transform, simplification, triangulation, label
// placement and picking (no display needed).
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>

#include "map/forms.hpp"
#include "map/labels.hpp"
#include "map/prepare.hpp"
#include "map/view.hpp"
#include "mp/geo/crs.hpp"

using namespace mp::gui::map;

TEST_CASE("view transform maps display units to canvas pixels and back", "[gui][view]") {
    ViewTransform v;
    v.center_x = 500000;
    v.center_y = 6600000;
    v.units_per_pixel = 100;
    v.width_px = 800;
    v.height_px = 600;
    auto c = v.to_pixel(500000, 6600000);
    CHECK(c[0] == Approx(400));
    CHECK(c[1] == Approx(300));
    auto ne = v.to_pixel(500000 + 100 * 10, 6600000 + 100 * 20);  // east is right, north is up
    CHECK(ne[0] == Approx(410));
    CHECK(ne[1] == Approx(280));
    auto back = v.to_display(ne[0], ne[1]);
    CHECK(back[0] == Approx(501000));
    CHECK(back[1] == Approx(6602000));
}

TEST_CASE("zoom keeps the point under the cursor fixed", "[gui][view]") {
    ViewTransform v;
    v.center_x = 0;
    v.center_y = 0;
    v.units_per_pixel = 50;
    v.width_px = 640;
    v.height_px = 480;
    const auto before = v.to_display(100, 70);
    v.zoom_about(100, 70, 2.0);
    CHECK(v.units_per_pixel == Approx(25));
    const auto after = v.to_display(100, 70);
    CHECK(after[0] == Approx(before[0]));
    CHECK(after[1] == Approx(before[1]));
    v.pan_pixels(10, 0);  // dragging right moves the content right: the centre goes west
    CHECK(v.center_x < 0);
}

TEST_CASE("fit shows the whole extent", "[gui][view]") {
    ViewTransform v;
    v.width_px = 400;
    v.height_px = 200;
    Extent e;
    e.add(0, 0);
    e.add(10000, 1000);
    v.fit(e, 0);
    auto a = v.to_pixel(0, 0), b = v.to_pixel(10000, 1000);
    CHECK(a[0] >= -1e-6);
    CHECK(b[0] <= 400 + 1e-6);
    CHECK(b[1] >= -1e-6);
    CHECK(a[1] <= 200 + 1e-6);
}

TEST_CASE("Douglas-Peucker drops only points within the tolerance", "[gui][lod]") {
    std::vector<XY> path{{0, 0}, {1, 0.1}, {2, -0.1}, {3, 5}, {4, 0}};
    auto s = simplify(path, 0.5);
    REQUIRE(s.size() == 4);
    CHECK(s.front().x == 0);
    CHECK(s.back().x == 4);
    CHECK(simplify(path, 0).size() == path.size());
    CHECK(simplify(path, 100).size() == 2);
}

TEST_CASE("triangulation covers a polygon with a hole exactly", "[gui][fill]") {
    std::vector<std::vector<XY>> rings{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}},
                                       {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}};
    auto tris = triangulate(rings);
    REQUIRE(tris.size() % 3 == 0);
    double area = 0;
    for (std::size_t i = 0; i < tris.size(); i += 3) {
        const auto& a = tris[i];
        const auto& b = tris[i + 1];
        const auto& c = tris[i + 2];
        area += std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) / 2;
    }
    CHECK(area == Approx(100 - 4));
}

TEST_CASE("placed labels never overlap each other or symbols", "[gui][labels]") {
    std::vector<LabelRequest> req;
    for (int i = 0; i < 60; ++i) req.push_back({100.0 + (i % 8) * 30, 100.0 + (i / 8) * 20, 60, 14, 10, i % 3});
    auto placed = place_labels(req, 600, 400);
    REQUIRE(placed.size() == req.size());
    int n = 0;
    for (std::size_t i = 0; i < placed.size(); ++i) {
        if (!placed[i].placed) continue;
        ++n;
        const auto& a = placed[i];
        CHECK(a.x >= 0);
        CHECK(a.y >= 0);
        CHECK(a.x + req[i].width <= 600);
        for (std::size_t j = i + 1; j < placed.size(); ++j) {
            if (!placed[j].placed) continue;
            const auto& b = placed[j];
            const bool overlap = a.x < b.x + req[j].width && b.x < a.x + req[i].width && a.y < b.y + req[j].height &&
                                 b.y < a.y + req[i].height;
            CHECK_FALSE(overlap);
        }
    }
    CHECK(n > 5);
    // A lone label is always placed (right of its symbol).
    auto one = place_labels({{50, 50, 40, 12, 10, 0}}, 200, 200);
    CHECK(one[0].placed);
    CHECK(one[0].x > 50);
}

TEST_CASE("prepared layers keep coarser levels smaller and pick features", "[gui][lod]") {
    mp::layer::Layer l;
    l.name = "wiggle";
    mp::layer::Feature f;
    f.id = "w";
    mp::geo::LineString line;
    for (int i = 0; i <= 2000; ++i) line.push_back(mp::geo::lonlat(3.0 + i * 0.001, 50.5 + 0.01 * std::sin(i * 0.3)));
    f.geometry = line;
    l.features.push_back(f);
    mp::layer::Feature site;
    site.id = "p";
    site.geometry = mp::geo::lonlat(4.4, 51.2);
    site.attributes.set("kind", std::string("port"));
    l.features.push_back(site);
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    auto p = prepare_layer(l, t);
    REQUIRE(p.levels.size() >= 2);
    CHECK(p.levels.front().line_vertices() > p.levels.back().line_vertices());
    CHECK(&p.level_for(0.1) == &p.levels.front());
    CHECK(&p.level_for(1e5) == &p.levels.back());
    REQUIRE(p.symbols.size() == 3);
    CHECK(p.symbols[2] == static_cast<float>(Symbol::Port));
    double x = 4.4, y = 51.2;
    t.forward(x, y);
    CHECK(pick_feature(p, {x + 10, y}, 50) == 1);
    CHECK(pick_feature(p, {x + 5000, y + 5000}, 50) == -1);
}

TEST_CASE("labels keep clear of obstacles such as the scale bar", "[gui][labels]") {
    // A label that would go right of its symbol moves when an obstacle is there.
    auto free = place_labels({{100, 50, 40, 12, 10, 0}}, 300, 200);
    REQUIRE(free[0].placed);
    CHECK(free[0].x > 100);
    auto blocked = place_labels({{100, 50, 40, 12, 10, 0}}, 300, 200, {{105, 0, 300, 200}});
    REQUIRE(blocked[0].placed);
    CHECK(blocked[0].x + 40 <= 105);
    // Thousands of requests are placed quickly and still never overlap.
    std::vector<LabelRequest> req;
    for (int i = 0; i < 3000; ++i) req.push_back({(i * 37) % 1000 + 0.5, (i * 91) % 700 + 0.5, 50, 12, 1, i % 2});
    auto placed = place_labels(req, 1000, 700);
    std::vector<std::size_t> on;
    for (std::size_t i = 0; i < placed.size(); ++i)
        if (placed[i].placed) on.push_back(i);
    CHECK(on.size() > 50);
    for (std::size_t a = 0; a < on.size(); ++a)
        for (std::size_t b = a + 1; b < on.size(); ++b) {
            const auto &p = placed[on[a]], &q = placed[on[b]];
            const bool overlap = p.x < q.x + 50 && q.x < p.x + 50 && p.y < q.y + 12 && q.y < p.y + 12;
            if (overlap) FAIL("labels " << on[a] << " and " << on[b] << " overlap");
        }
}

TEST_CASE("features below the tolerance vanish from coarse levels", "[gui][lod]") {
    mp::layer::Layer l;
    // 2000 ways of ~10 m each plus one long line.
    for (int i = 0; i < 2000; ++i) {
        mp::layer::Feature f;
        const double lon = 4.0 + (i % 50) * 0.01, lat = 50.5 + (i / 50) * 0.01;
        f.geometry = mp::geo::LineString{mp::geo::lonlat(lon, lat), mp::geo::lonlat(lon + 0.0001, lat)};
        l.features.push_back(f);
    }
    mp::layer::Feature long_line;
    long_line.geometry = mp::geo::LineString{mp::geo::lonlat(3.0, 50.0), mp::geo::lonlat(6.0, 51.0)};
    l.features.push_back(long_line);
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto p = prepare_layer(l, t);
    CHECK(p.levels.front().line_vertices() > 4000);
    // At 100 m per pixel, only the long line is left (2 points plus separators).
    CHECK(p.level_for(100).line_vertices() < 10);
}

TEST_CASE("list parameters split on semicolons so items may hold commas", "[gui][forms]") {
    using nlohmann::json;
    CHECK(list_items_from_text("port-antwerp; 4.35,50.85", false) == json::array({"port-antwerp", "4.35,50.85"}));
    CHECK(list_items_from_text("a, b,c", false) == json::array({"a", "b", "c"}));
    CHECK(list_items_from_text("4.1,50.1;4.2,50.2 ; ", true) == json::array({"4.1,50.1", "4.2,50.2"}));
    CHECK(list_items_from_text("vshorad@port-antwerp; medium@4.48/50.90", false) ==
          json::array({"vshorad@port-antwerp", "medium@4.48/50.90"}));
    CHECK(list_items_from_text("", false).empty());
    CHECK(is_lonlat_text("4.35, 50.85"));
    CHECK_FALSE(is_lonlat_text("port-antwerp"));
}

namespace {
mp::plugin::ParamDef def(const char* key, const char* description, mp::plugin::ParamType type,
                         mp::plugin::ParamType item = mp::plugin::ParamType::String) {
    mp::plugin::ParamDef d;
    d.key = key;
    d.description = description;
    d.type = type;
    d.item_type = item;
    return d;
}
}  // namespace

TEST_CASE("pick buttons follow the parameter type", "[gui][forms]") {
    using mp::plugin::ParamType;
    CHECK(pick_kind(def("entry_points", "Ports and airbases used", ParamType::List, ParamType::Site)) ==
          PickKind::Site);
    CHECK(pick_kind(def("via", "Intermediate points in order (site ids/names or lon,lat)", ParamType::List)) ==
          PickKind::SiteOrLocation);
    const auto systems =
        def("systems",
            "Items TYPE@SITE or TYPE@LON/LAT, optionally :RANGE_KM; TYPE is cuas (3 km), vshorad (6 km), "
            "shorad (12 km), medium (40 km) or custom (custom_range_km), e.g. vshorad@port-antwerp",
            ParamType::List);
    CHECK(pick_kind(systems) == PickKind::SystemAt);
    CHECK(system_types(systems.description) ==
          std::vector<std::string>{"cuas", "vshorad", "shorad", "medium", "custom"});
    CHECK(pick_kind(def("capacity_overrides", "Items 'SITE:KEY=VALUE' (e.g. port-ostend:vehicles_per_day=250)",
                        ParamType::List)) == PickKind::None);
    CHECK(pick_kind(def("mlc", "Military load class", ParamType::Number)) == PickKind::None);
    CHECK(pick_kind(def("at", "", ParamType::Coordinate)) == PickKind::Location);
    CHECK(pick_kind(def("from", "Origin: a site id or name, or lon,lat", ParamType::String)) ==
          PickKind::SiteOrLocation);
}

TEST_CASE("ground scale includes the Web Mercator latitude factor", "[gui][scale]") {
    CHECK(ground_m_per_unit("EPSG:3857", 0) == Approx(1));
    CHECK(ground_m_per_unit("EPSG:3857", 60) == Approx(0.5));
    CHECK(ground_m_per_unit("EPSG:3857", 50.5) == Approx(std::cos(50.5 * M_PI / 180)));
    CHECK(ground_m_per_unit("EPSG:3812", 50.5) == Approx(1));
}

TEST_CASE("rasters become a normalised value grid on a reprojected mesh", "[gui][raster]") {
    // 4 x 2 cells of 0.5 degrees from (3, 51) down to (5, 50); 0 and nodata transparent.
    const std::array<double, 6> gt{3.0, 0.5, 0, 51.0, 0, -0.5};
    const std::vector<double> cells{0, 1, 2, 3, -1, 1, 1, 4};
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto r = prepare_raster(4, 2, gt, cells, -1, t);
    REQUIRE(r.width == 4);
    REQUIRE(r.height == 2);
    CHECK(r.min_value == 1);
    CHECK(r.max_value == 4);
    CHECK(r.values[0] < 0);
    CHECK(r.values[4] < 0);
    CHECK(r.values[1] == Approx(0));
    CHECK(r.values[7] == Approx(1));
    CHECK(r.mesh.size() % 24 == 0);  // two triangles of (x, y, u, v) per quad
    double x0 = 3, y0 = 50, x1 = 5, y1 = 51;
    t.forward(x0, y0);
    t.forward(x1, y1);
    CHECK(r.extent.min_x == Approx(x0));
    CHECK(r.extent.max_y == Approx(y1));
    const auto c = raster_ramp(0);
    CHECK(c[3] == 1);
}

TEST_CASE("many symbols come in an evenly spread prefix order", "[gui][lod]") {
    mp::layer::Layer l;
    for (int i = 0; i < 70; ++i)
        for (int j = 0; j < 70; ++j) {
            mp::layer::Feature f;
            f.geometry = mp::geo::lonlat(4.0 + i * 0.001, 51.0 + j * 0.001);
            l.features.push_back(f);
        }
    mp::geo::Transformer t(mp::geo::kWgs84, mp::geo::kWebMercator);
    const auto p = prepare_layer(l, t);
    REQUIRE(p.symbols.size() == 3 * 4900);
    REQUIRE(p.symbol_feature.size() == 4900);
    // 1 + 4 + 16 symbols: one in every cell of a 4 x 4 grid over the layer.
    std::array<int, 16> cells{};
    for (std::size_t s = 0; s < 21; ++s) {
        const double x = p.symbols[3 * s] + p.origin_x - p.extent.min_x,
                     y = p.symbols[3 * s + 1] + p.origin_y - p.extent.min_y;
        const int cx = std::min(3, static_cast<int>(x / (p.extent.max_x - p.extent.min_x) * 4));
        const int cy = std::min(3, static_cast<int>(y / (p.extent.max_y - p.extent.min_y) * 4));
        ++cells[static_cast<std::size_t>(cy * 4 + cx)];
    }
    for (int c : cells) CHECK(c >= 1);
    // Every symbol is still there once, with its feature.
    std::vector<char> seen(4900, 0);
    for (auto f : p.symbol_feature) seen[f]++;
    CHECK(std::count(seen.begin(), seen.end(), 1) == 4900);
}
