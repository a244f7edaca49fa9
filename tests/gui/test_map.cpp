// SPDX-License-Identifier: MIT
// The map renderer's pure parts: view transform, simplification, triangulation, label
// placement and picking (no display needed).
#include <catch2/catch.hpp>

#include <cmath>

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
    std::vector<std::vector<XY>> rings{{{0, 0}, {10, 0}, {10, 10}, {0, 10}, {0, 0}}, {{2, 2}, {2, 4}, {4, 4}, {4, 2}, {2, 2}}};
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
