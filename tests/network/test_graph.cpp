// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include "mp/core/error.hpp"
#include "mp/network/build.hpp"
#include "mp/network/graph.hpp"
#include "mp/network/planner.hpp"
#include "mp/network/router.hpp"
#include "network_fixtures.hpp"

using namespace mp;
using namespace mp::network;

namespace {

// Two roads from west to east: a short one over a weak bridge (MLC 30 wheeled / 40
// tracked, N99 'Testbrug'), and a longer detour to the south.
const char* kBridgeFixture = R"({"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"id":"w","class":"primary","maxspeed_kmh":70,"ref":"N99"},
 "geometry":{"type":"LineString","coordinates":[[4.00,50.90],[4.05,50.90]]}},
{"type":"Feature","properties":{"id":"bridge","class":"primary","maxspeed_kmh":70,"ref":"N99","bridge":true,
 "structure_name":"Testbrug","mlc_wheeled":30,"mlc_tracked":40},
 "geometry":{"type":"LineString","coordinates":[[4.05,50.90],[4.06,50.90]]}},
{"type":"Feature","properties":{"id":"e","class":"primary","maxspeed_kmh":70,"ref":"N99"},
 "geometry":{"type":"LineString","coordinates":[[4.06,50.90],[4.11,50.90]]}},
{"type":"Feature","properties":{"id":"detour","class":"secondary","maxspeed_kmh":50,"ref":"N980"},
 "geometry":{"type":"LineString","coordinates":[[4.05,50.90],[4.05,50.88],[4.06,50.88],[4.06,50.90]]}}
]})";

}  // namespace

TEST_CASE("layer builder joins lines at shared end points", "[network]") {
    const auto l = test::geojson_layer(kBridgeFixture);
    const Graph g = build_from_layer(l, NetworkKind::Road);
    CHECK(g.nodes() == 4);
    CHECK(g.segments.size() == 4);
    CHECK(g.edges() == 8);
    REQUIRE(g.restrictions.size() == 1);
    CHECK(g.restrictions[0].mlc_wheeled == 30);
    CHECK(g.restrictions[0].bridge);
    CHECK(g.str(g.restrictions[0].structure_name) == "Testbrug");
    CHECK(connected_components(g).count() == 1);
}

TEST_CASE("snapping finds the nearest line and the position along it", "[network]") {
    const Graph g = build_from_layer(test::geojson_layer(kBridgeFixture), NetworkKind::Road);
    Snapper s(g);
    const Snap a = s.snap(geo::lonlat(4.025, 50.9005));
    REQUIRE(a.segment != kNone);
    CHECK(g.str(g.segments[a.segment].source_id) == "w");
    CHECK(a.fraction == Approx(0.5).margin(0.01));
    CHECK(a.distance_m == Approx(55.6).margin(2));
    const Snap far = s.snap(geo::lonlat(5.0, 51.5), 1000);
    CHECK(far.segment == kNone);
}

TEST_CASE("a vehicle too heavy for a bridge is routed around it, or crosses with caution", "[network]") {
    const Graph g = build_from_layer(test::geojson_layer(kBridgeFixture), NetworkKind::Road);
    Router r(g);
    QueryOptions q;
    const Snap a = r.snap(geo::lonlat(4.001, 50.9), q), b = r.snap(geo::lonlat(4.109, 50.9), q);
    auto free = r.route(a, b, q);
    REQUIRE(free);
    CHECK(free->distance_m == Approx(7600).epsilon(0.02));
    REQUIRE(free->crossings.size() == 1);
    CHECK(free->crossings[0].label.find("Testbrug") != std::string::npos);

    q.vehicle = test::heavy_vehicle(35);
    auto heavy = r.route(a, b, q);
    REQUIRE(heavy);
    CHECK(heavy->distance_m > free->distance_m + 3000);  // the detour
    CHECK(heavy->crossings.empty());

    q.highest_crossing = CrossingMode::Caution;  // 35 <= 1.25 x 30
    auto caution = r.route(a, b, q);
    REQUIRE(caution);
    REQUIRE(caution->crossings.size() == 1);
    CHECK(caution->crossings[0].mode == CrossingMode::Caution);
    CHECK(caution->crossings[0].posted_mlc == 30);

    q.vehicle->tracked = true;  // tracked class 40 applies: a normal crossing
    q.highest_crossing = CrossingMode::Normal;
    auto tracked = r.route(a, b, q);
    REQUIRE(tracked);
    REQUIRE(tracked->crossings.size() == 1);
    CHECK(tracked->crossings[0].mode == CrossingMode::Normal);
}

TEST_CASE("no route names the restriction that cuts the way", "[network]") {
    // Without the detour the bridge is the only way.
    std::string text = kBridgeFixture;
    const auto cut = text.find(",\n{\"type\":\"Feature\",\"properties\":{\"id\":\"detour\"");
    REQUIRE(cut != std::string::npos);
    text = text.substr(0, cut) + "\n]}";
    const Graph g = build_from_layer(test::geojson_layer(text), NetworkKind::Road);
    Router r(g);
    QueryOptions q;
    q.vehicle = test::heavy_vehicle(70);
    const Snap a = r.snap(geo::lonlat(4.001, 50.9), q), b = r.snap(geo::lonlat(4.109, 50.9), q);
    auto res = r.route(a, b, q);
    REQUIRE_FALSE(res);
    INFO(res.reason());
    CHECK(res.reason().find("bridge on N99 'Testbrug'") != std::string::npos);
    CHECK(res.reason().find("MLC 30 < 70") != std::string::npos);
    CHECK(res.reason().find("at route km 3.5") != std::string::npos);
}

TEST_CASE("disconnected components are reported", "[network]") {
    GraphBuilder b(NetworkKind::Road);
    const auto a = b.add_node(4.0, 50.0), c = b.add_node(4.01, 50.0);
    const auto d = b.add_node(4.5, 50.0), e = b.add_node(4.51, 50.0);
    b.add_segment(a, c, {}, {});
    b.add_segment(d, e, {}, {});
    const Graph g = b.build();
    const Components comp = connected_components(g);
    CHECK(comp.count() == 2);
    CHECK(comp.summary().find("2 components") == 0);
    Router r(g);
    auto res = r.route(r.snap(geo::lonlat(4.005, 50.0), {}), r.snap(geo::lonlat(4.505, 50.0), {}), {});
    REQUIRE_FALSE(res);
    CHECK(res.reason().find("different components") != std::string::npos);
}

TEST_CASE("binary cache round trip", "[network]") {
    SyntheticOptions o;
    o.rows = o.cols = 30;
    const Graph g = make_synthetic_network(o);
    test::TempDir dir;
    const std::string path = dir.file("g.mpgraph");
    save_cache(g, path);
    const Graph h = load_cache(path);
    CHECK(h.nodes() == g.nodes());
    CHECK(h.head == g.head);
    CHECK(h.time_ds == g.time_ds);
    CHECK(h.edge_segment == g.edge_segment);
    CHECK(h.restrictions.size() == g.restrictions.size());
    CHECK(h.strings == g.strings);
    Router rg(g), rh(h);
    for (std::uint32_t t = 1; t < 50; t += 7) CHECK(rg.node_cost(0, t * 13, {}) == rh.node_cost(0, t * 13, {}));
    // A truncated file is refused with its name.
    const std::string bytes = test::read_text(path);
    test::write_text(path, bytes.substr(0, bytes.size() / 2));
    CHECK_THROWS_AS(load_cache(path), InputError);
    test::write_text(path, "not a graph");
    CHECK_THROWS_WITH(load_cache(path), Catch::Contains("g.mpgraph"));
    CHECK_THROWS_AS(load_cache(dir.file("missing.mpgraph")), InputError);
}

TEST_CASE("OSM turn restrictions are honoured", "[network]") {
    // A junction C with arms to the south (way 1), east (way 2) and north (way 3), and a
    // loop north -> north-east -> east (ways 4, 5). Turning right from 1 onto 2 at C is
    // forbidden, so south -> east must go round by the north.
    const std::string osm = R"(<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6" generator="test">
  <node id="1" lat="50.990" lon="4.000" version="1"/>
  <node id="2" lat="51.000" lon="4.000" version="1"/>
  <node id="3" lat="51.000" lon="4.010" version="1"/>
  <node id="4" lat="51.010" lon="4.000" version="1"/>
  <node id="5" lat="51.010" lon="4.010" version="1"/>
  <way id="1" version="1"><nd ref="1"/><nd ref="2"/><tag k="highway" v="primary"/></way>
  <way id="2" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="primary"/></way>
  <way id="3" version="1"><nd ref="2"/><nd ref="4"/><tag k="highway" v="secondary"/></way>
  <way id="4" version="1"><nd ref="4"/><nd ref="5"/><tag k="highway" v="secondary"/><tag k="bridge" v="yes"/><tag k="maxweight" v="7.5"/><tag k="mlc" v="40"/></way>
  <way id="5" version="1"><nd ref="5"/><nd ref="3"/><tag k="highway" v="secondary"/><tag k="maxheight" v="4.2 m"/></way>
  <way id="6" version="1"><nd ref="2"/><nd ref="3"/><tag k="highway" v="footway"/></way>
  <relation id="1" version="1">
    <member type="way" ref="1" role="from"/><member type="node" ref="2" role="via"/><member type="way" ref="2" role="to"/>
    <tag k="type" v="restriction"/><tag k="restriction" v="no_right_turn"/>
  </relation>
</osm>
)";
    test::TempDir dir;
    const std::string path = dir.file("junction.osm");
    test::write_text(path, osm);
    OsmStats stats;
    const Graph g = build_from_osm(path, NetworkKind::Road, null_progress(), &stats);
    CHECK(stats.ways == 5);  // the footway is not for vehicles
    CHECK(stats.restrictions == 1);
    CHECK(g.forbidden_turns.size() == 1);
    CHECK(g.nodes() == 5);
    REQUIRE(g.restrictions.size() == 2);
    Router r(g);
    QueryOptions q;
    const Snap a = r.snap(geo::lonlat(4.0, 50.995), q), b = r.snap(geo::lonlat(4.005, 51.0), q);
    auto p = r.route(a, b, q);
    REQUIRE(p);
    // Direct: 556 m + 350 m; round the block: 556 + 1112 + 700 + 1112 + 350 m.
    CHECK(p->distance_m > 3000);
    CHECK(p->crossings.size() == 1);
    // The reference search agrees, and so does the opposite direction (no restriction).
    q.use_landmarks = false;
    CHECK(r.route(a, b, q)->cost == p->cost);
    auto back = r.route(b, a, q);
    REQUIRE(back);
    CHECK(back->distance_m < 1000);
    // A truck over 7.5 t may not use the bridge on way 4: no way left.
    q.vehicle = test::heavy_vehicle(30, 3.0);
    auto heavy = r.route(a, b, q);
    REQUIRE_FALSE(heavy);
    CHECK(heavy.reason().find("weight limit 7.5 t < 50.0 t") != std::string::npos);
}

TEST_CASE("bad sources are refused with their name", "[network]") {
    CHECK_THROWS_AS(build_from_osm("/nonexistent/x.osm.pbf", NetworkKind::Road), InputError);
    const auto points = test::geojson_layer(
        R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[4,50]}}]})");
    CHECK_THROWS_AS(build_from_layer(points, NetworkKind::Road), InputError);
    CHECK(parse_speed_kmh("30 mph").value() == Approx(48.28).margin(0.01));
    CHECK(parse_speed_kmh("BE:urban").value() == 50);
    CHECK(parse_quantity("12'6\"").value() == Approx(3.81).margin(0.001));
    CHECK(parse_quantity("3,5 m").value() == Approx(3.5));
    CHECK_FALSE(parse_quantity("default"));
}

TEST_CASE("avoid areas and via points", "[network]") {
    const Graph g = build_from_layer(test::geojson_layer(kBridgeFixture), NetworkKind::Road);
    Planner planner(&g, nullptr, nullptr);
    PlanRequest req;
    req.from = "4.001,50.9";
    req.to = "4.109,50.9";
    auto direct = planner.plan(req);
    REQUIRE(direct);
    const double direct_m = direct->movements[0].distance_m;
    // A polygon over the bridge: the route takes the detour.
    geo::Polygon box;
    for (auto [x, y] : {std::pair{4.052, 50.895}, {4.058, 50.895}, {4.058, 50.905}, {4.052, 50.905}, {4.052, 50.895}})
        box.outer().push_back(geo::lonlat(x, y));
    boost::geometry::correct(box);
    req.options.avoid = {box};
    auto avoided = planner.plan(req);
    REQUIRE(avoided);
    CHECK(avoided->movements[0].distance_m > direct_m + 3000);
    CHECK(avoided->movements[0].legs[0].path.crossings.empty());
    // A via point on the detour gives two legs through it, without any avoid area.
    req.options.avoid.clear();
    req.vias = {"4.055,50.88"};
    auto via = planner.plan(req);
    REQUIRE(via);
    REQUIRE(via->movements[0].legs.size() == 2);
    CHECK(via->movements[0].distance_m > direct_m + 2000);
    // An avoid area over every way: refused with the reason.
    geo::Polygon all;
    for (auto [x, y] : {std::pair{4.04, 50.87}, {4.07, 50.87}, {4.07, 50.91}, {4.04, 50.91}, {4.04, 50.87}})
        all.outer().push_back(geo::lonlat(x, y));
    boost::geometry::correct(all);
    req.vias.clear();
    req.options.avoid = {all};
    auto none = planner.plan(req);
    REQUIRE_FALSE(none);
    CHECK(none.reason().find("avoided areas") != std::string::npos);
}
