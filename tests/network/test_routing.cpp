// SPDX-License-Identifier: MIT
#include <catch2/catch.hpp>

#include <random>

#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "mp/network/build.hpp"
#include "mp/network/planner.hpp"
#include "mp/network/router.hpp"
#include "network_fixtures.hpp"

using namespace mp;
using namespace mp::network;

namespace {

/// Runs `count` random node-to-node and snapped queries with ALT and with Dijkstra and
/// checks the costs are identical; returns how many routes were found.
std::size_t check_exact(const Graph& g, Router& r, std::size_t count, std::uint64_t seed,
                        const std::optional<Vehicle>& vehicle, Metric metric = Metric::Fastest) {
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::uint32_t> node(0, static_cast<std::uint32_t>(g.nodes() - 1));
    QueryOptions alt, ref;
    alt.vehicle = ref.vehicle = vehicle;
    alt.metric = ref.metric = metric;
    ref.use_landmarks = false;
    std::size_t found = 0, mismatches = 0;
    for (std::size_t i = 0; i < count; ++i) {
        const auto s = node(rng), t = node(rng);
        const auto a = r.node_cost(s, t, alt), b = r.node_cost(s, t, ref);
        if (a != b) {
            ++mismatches;
            UNSCOPED_INFO("node query " << s << " -> " << t << ": ALT " << a << " Dijkstra " << b);
        }
        found += a != kInfCost;
    }
    // Snapped queries between points on lines (virtual source and target nodes).
    std::uniform_int_distribution<std::uint32_t> seg(0, static_cast<std::uint32_t>(g.segments.size() - 1));
    std::uniform_real_distribution<double> frac(0, 1);
    for (std::size_t i = 0; i < count / 4; ++i) {
        Snap a, b;
        a.segment = seg(rng);
        a.fraction = frac(rng);
        b.segment = seg(rng);
        b.fraction = frac(rng);
        auto pa = r.route(a, b, alt), pb = r.route(a, b, ref);
        REQUIRE(pa.ok() == pb.ok());
        if (pa && pa->cost != pb->cost) {
            ++mismatches;
            UNSCOPED_INFO("snapped query " << a.segment << " -> " << b.segment << ": " << pa->cost << " vs "
                                           << pb->cost);
        }
    }
    CHECK(mismatches == 0);
    return found;
}

struct Belgium {
    data::Workspace ws = data::load_workspace(true, {});
    Graph road = build_from_layer(ws.layers.get("roads"), NetworkKind::Road);
    Graph rail = build_from_layer(ws.layers.get("rail"), NetworkKind::Rail);
};

Belgium& belgium() {
    static Belgium b;
    return b;
}

double motorway_share(const Graph& g, const Path& p) {
    double mw = 0;
    for (auto e : p.edges)
        if (g.segments[g.segment_of(e)].road_class == RoadClass::Motorway) mw += g.length_dm[e] / 10.0;
    return mw / p.distance_m;
}

/// A one-leg road movement from "A" to "B" whose edges end at the given cumulative
/// distances (m) and durations (s), for march table tests.
Movement road_movement(std::vector<double> cum_m, std::vector<double> cum_s) {
    Leg l;
    l.from_label = "A";
    l.to_label = "B";
    l.path.distance_m = cum_m.back();
    l.path.duration_s = cum_s.back();
    for (std::uint32_t e = 0; e < cum_m.size(); ++e) l.path.edges.push_back(e);
    l.path.cum_m = std::move(cum_m);
    l.path.cum_s = std::move(cum_s);
    Movement m;
    m.legs.push_back(std::move(l));
    return m;
}

}  // namespace

TEST_CASE("ALT equals Dijkstra on random graphs, with and without restrictions", "[network]") {
    for (std::uint64_t seed : {1u, 2u}) {
        const Graph g = test::random_graph(2000, seed);
        Router r(g);
        r.prepare(Metric::Fastest, 8);
        r.prepare(Metric::Shortest, 8);
        CHECK(check_exact(g, r, 200, seed, std::nullopt) > 100);
        check_exact(g, r, 200, seed + 10, test::heavy_vehicle(50, 4.0));
        check_exact(g, r, 100, seed + 20, test::heavy_vehicle(70, 4.5), Metric::Shortest);
        // Customised for the vehicle: its own bounds, still exact.
        QueryOptions q;
        q.vehicle = test::heavy_vehicle(50, 4.0);
        r.customise(q);
        check_exact(g, r, 200, seed + 10, q.vehicle);
        // Without landmarks the search is bidirectional Dijkstra: exact too.
        Router plain(g);
        CHECK(check_exact(g, plain, 200, seed, std::nullopt) > 100);
        check_exact(g, plain, 200, seed + 10, test::heavy_vehicle(50, 4.0));
    }
}

TEST_CASE("ALT equals Dijkstra on a synthetic road network", "[network]") {
    SyntheticOptions o;
    o.rows = 120;
    o.cols = 150;
    o.bridge_fraction = 0.03;
    const Graph g = make_synthetic_network(o);
    Router r(g);
    r.prepare(Metric::Fastest, 12);
    CHECK(check_exact(g, r, 300, 7, std::nullopt) > 250);
    check_exact(g, r, 300, 8, test::heavy_vehicle(60, 4.2));
    // ALT does much less work than Dijkstra on long queries.
    QueryOptions alt, ref;
    ref.use_landmarks = false;
    std::size_t s_alt = 0, s_ref = 0;
    r.node_cost(0, static_cast<std::uint32_t>(g.nodes() - 1), alt, &s_alt);
    r.node_cost(0, static_cast<std::uint32_t>(g.nodes() - 1), ref, &s_ref);
    CHECK(s_alt * 3 < s_ref);
    // A vehicle customisation: exact for that vehicle, and tighter bounds mean less work
    // than with the free-flow landmarks on the same queries.
    QueryOptions heavy;
    heavy.vehicle = test::heavy_vehicle(60, 4.2);
    heavy.vehicle->max_speed_kmh = 70;
    std::size_t before = 0, after = 0, s = 0;
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<std::uint32_t> node(0, static_cast<std::uint32_t>(g.nodes() - 1));
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    for (int i = 0; i < 50; ++i) pairs.emplace_back(node(rng), node(rng));
    std::vector<std::uint32_t> costs;
    for (auto [a, b] : pairs) {
        costs.push_back(r.node_cost(a, b, heavy, &s));
        before += s;
    }
    r.customise(heavy);
    for (std::size_t i = 0; i < pairs.size(); ++i) {
        CHECK(r.node_cost(pairs[i].first, pairs[i].second, heavy, &s) == costs[i]);
        after += s;
    }
    CHECK(after < before);
    check_exact(g, r, 200, 9, heavy.vehicle);
}

TEST_CASE("ALT equals Dijkstra on the Ghent OSM road layer", "[network][data]") {
    const std::string path = test::shared_data("ghent_roads_osm.gpkg");
    const Graph g = build_from_source(path, NetworkKind::Road);
    CHECK(g.nodes() > 5000);
    Router r(g);
    r.prepare(Metric::Fastest, 8);
    check_exact(g, r, 300, 3, std::nullopt);
    check_exact(g, r, 200, 4, test::heavy_vehicle(40, 3.8));
}

TEST_CASE("ALT equals Dijkstra on the Antwerp OSM extract with turn restrictions", "[network][data]") {
    const std::string path = test::shared_data("antwerp_2014.osm.pbf");
    OsmStats stats;
    const Graph g = build_from_osm(path, NetworkKind::Road, null_progress(), &stats);
    CHECK(stats.ways > 3000);
    CHECK(stats.restrictions > 0);
    CHECK_FALSE(g.forbidden_turns.empty());
    Router r(g);
    r.prepare(Metric::Fastest, 8);
    check_exact(g, r, 200, 5, std::nullopt);
    check_exact(g, r, 100, 6, test::heavy_vehicle(40, 3.8));
}

TEST_CASE("ALT equals Dijkstra on the embedded Belgian networks", "[network]") {
    auto& be = belgium();
    Router road(be.road), rail(be.rail);
    road.prepare(Metric::Fastest, 8);
    rail.prepare(Metric::Fastest, 8);
    CHECK(check_exact(be.road, road, 300, 9, std::nullopt) > 150);
    check_exact(be.road, road, 300, 10, test::heavy_vehicle(105, 3.9));
    check_exact(be.rail, rail, 200, 11, std::nullopt);
}

TEST_CASE("Zeebrugge port to Leopoldsburg by road takes the motorways", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    planner.prepare();
    PlanRequest req;
    req.from = "port-zeebrugge";
    req.to = "leopoldsburg-rail-terminal";
    auto plan = planner.plan(req);
    REQUIRE(plan);
    const Path& p = plan->movements.at(0).legs.at(0).path;
    INFO("distance " << p.distance_m << " m, duration " << p.duration_s << " s");
    CHECK(p.distance_m > 150'000);
    CHECK(p.distance_m < 220'000);
    CHECK(motorway_share(be.road, p) > 0.6);
    CHECK(p.duration_s > 3600);
    CHECK(p.duration_s < 4 * 3600);
    // The roads it follows, in order, each named once per stretch: the A11 out of the
    // port, the E17 and the Antwerp ring, then the E313 towards Limburg.
    std::string roads;
    for (std::size_t i = 0; i < p.road_changes.size(); ++i) {
        roads += p.road_changes[i].ref + " ";
        if (i > 0) {
            CHECK(p.road_changes[i].ref != p.road_changes[i - 1].ref);
            CHECK(p.road_changes[i].route_km > p.road_changes[i - 1].route_km);
        }
    }
    INFO("roads: " << roads);
    const auto at = [&](const char* ref) { return roads.find(ref); };
    REQUIRE(at("A11") != std::string::npos);
    REQUIRE(at("E17") != std::string::npos);
    REQUIRE(at("E313") != std::string::npos);
    CHECK(at("A11") < at("E17"));
    CHECK(at("E17") < at("E313"));
}

TEST_CASE("Zeebrugge to Leopoldsburg by rail uses the rail network", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    PlanRequest req;
    req.from = "zeebrugge-rail-terminal";
    req.to = "leopoldsburg-rail-terminal";
    req.mode = TravelMode::Rail;
    auto plan = planner.plan(req);
    REQUIRE(plan);
    const Leg& leg = plan->movements.at(0).legs.at(0);
    CHECK(leg.network == NetworkKind::Rail);
    CHECK(leg.path.distance_m > 140'000);
    CHECK(leg.path.distance_m < 260'000);
    for (auto e : leg.path.edges) CHECK(be.rail.segments[be.rail.segment_of(e)].road_class == RoadClass::Rail);
}

TEST_CASE("multimodal: road to a terminal, rail, road from a terminal", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    PlanRequest req;
    req.from = "port-zeebrugge";
    req.to = "leopoldsburg-rail-terminal";
    req.mode = TravelMode::Multimodal;
    req.march.vehicles = 20;
    auto plan = planner.plan(req);
    REQUIRE(plan);
    const Movement& m = plan->movements.at(0);
    REQUIRE(m.legs.size() == 3);
    CHECK(m.legs[0].network == NetworkKind::Road);
    CHECK(m.legs[1].network == NetworkKind::Rail);
    CHECK(m.legs[2].network == NetworkKind::Road);
    CHECK(m.transfers.size() == 2);
    CHECK(m.transfer_s == Approx(8 * 3600));
    REQUIRE(m.march);
    CHECK(m.march->rows.size() >= 6);
}

TEST_CASE("heavy vehicles on the Belgian network: around weak bridges or refused with the reason", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    PlanRequest req;
    req.from = "port-zeebrugge";
    req.to = "leopoldsburg-rail-terminal";
    const auto presets = default_vehicle_presets();
    REQUIRE_FALSE(presets.empty());
    for (const auto& v : presets) {
        req.options.vehicle = v;
        auto plan = planner.plan(req);
        if (!plan) {
            INFO(v.id << ": " << plan.reason());
            CHECK(plan.reason().find(" < ") != std::string::npos);
            continue;
        }
        for (const auto& c : plan->movements[0].legs[0].path.crossings)
            if (c.posted_mlc > 0) CHECK(c.posted_mlc >= v.mlc);
    }
    // Impossible constraints: a 9 m high load fails with the reason.
    Vehicle tall = test::heavy_vehicle(20, 9.0);
    req.options.vehicle = tall;
    req.from = "port-antwerp";
    req.to = "port-ghent";
    auto plan = planner.plan(req);
    if (!plan) CHECK(plan.reason().find("height") != std::string::npos);
}

TEST_CASE("bad input: unknown site and coordinates out of range", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    PlanRequest req;
    req.from = "atlantis-harbour";
    req.to = "leopoldsburg-rail-terminal";
    CHECK_THROWS_AS(planner.plan(req), InputError);
    CHECK_THROWS_WITH(planner.plan(req), Catch::Contains("--from"));
    req.from = "200,95";
    CHECK_THROWS_AS(planner.plan(req), InputError);
    req.from = "-30.0,40.0";  // mid-Atlantic: no road within reach
    CHECK_THROWS_WITH(planner.plan(req), Catch::Contains("no usable road"));
}

TEST_CASE("alternative routes are genuinely different", "[network]") {
    SyntheticOptions o;
    o.rows = 80;
    o.cols = 80;
    const Graph g = make_synthetic_network(o);
    Router r(g);
    r.prepare(Metric::Fastest, 8);
    QueryOptions q;
    const Snap a = r.snap(g.node(5 * 80 + 5), q), b = r.snap(g.node(70 * 80 + 70), q);
    auto alts = r.alternatives(a, b, q, 3);
    REQUIRE(alts);
    REQUIRE(alts->size() >= 2);
    const auto best = r.route(a, b, q);
    CHECK(alts->front().cost == best->cost);
    for (std::size_t i = 1; i < alts->size(); ++i) {
        CHECK((*alts)[i].duration_s >= alts->front().duration_s);
        CHECK((*alts)[i].duration_s <= 1.6 * alts->front().duration_s);
    }
}

TEST_CASE("isochrones grow with time and contain the origin", "[network]") {
    auto& be = belgium();
    Planner planner(&be.road, &be.rail, &be.ws.catalogue);
    auto one = planner.reach("leopoldsburg-rail-terminal", 1.0, {});
    auto two = planner.reach("leopoldsburg-rail-terminal", 2.0, {});
    REQUIRE(one);
    REQUIRE(two);
    CHECK_FALSE(one->area.empty());
    const double a1 = geo::area_m2(geo::Geometry{one->area}), a2 = geo::area_m2(geo::Geometry{two->area});
    CHECK(a1 > 100e6);
    CHECK(a2 > a1);
    const auto origin = be.ws.catalogue.by_id("leopoldsburg-rail-terminal")->anchor();
    geo::Box box;
    REQUIRE(geo::envelope(geo::Geometry{one->area}, box));
    CHECK(geo::lon(origin) > geo::lon(box.min_corner()));
    CHECK(geo::lon(origin) < geo::lon(box.max_corner()));
    CHECK(geo::lat(origin) > geo::lat(box.min_corner()));
    CHECK(geo::lat(origin) < geo::lat(box.max_corner()));
}

TEST_CASE("march table: column length, pass time and halts", "[network]") {
    // 300 km at 100 km/h in one edge.
    const Movement m = road_movement({300'000}, {3 * 3600});
    MarchParams p;
    p.vehicles = 10;
    p.interval_m = 100;
    p.vehicle_length_m = 10;
    p.march_speed_kmh = 50;
    p.start_time = "2026-03-01T06:00:00Z";
    const MarchTable t = march_table(m, p, std::nullopt);
    CHECK(t.column_length_m == Approx(1000));
    CHECK(t.pass_time_s == Approx(72));
    // 6 h of driving at 50 km/h: halts after 2 h and 4 h (and at 6 h, on arrival).
    CHECK(t.halts >= 2);
    const auto& last = t.rows.back();
    CHECK(last.checkpoint == "arrive B");
    CHECK(last.head_arrival_s == Approx(6 * 3600 + t.halts * 600));
    CHECK(last.tail_clear_s == Approx(last.head_arrival_s + 72));
    CHECK(t.rows.front().head_arrival == "2026-03-01T06:00:00Z");
    p.density_per_km = 20;  // 50 m head to head
    CHECK(march_table(m, p, std::nullopt).column_length_m == Approx(10 * 10 + 9 * 40));
    p.start_time = "yesterday";
    CHECK_THROWS_AS(march_table(m, p, std::nullopt), InputError);
}

TEST_CASE("march table: a risk or caution crossing holds the tail back until a halt", "[network]") {
    // 40 km in two edges; a 200 m bridge at the start of the second edge (km 20).
    Movement m = road_movement({20'000, 40'000}, {1440, 2880});
    Crossing c;
    c.label = "bridge on N9 'Test'";
    c.route_km = 20;
    c.length_m = 200;
    c.mode = CrossingMode::Risk;
    m.legs[0].path.crossings.push_back(c);
    MarchParams p;
    p.vehicles = 10;
    p.interval_m = 100;
    p.vehicle_length_m = 10;
    p.march_speed_kmh = 50;
    p.halt_every_h = 0;  // no halts: the delay stays to the end
    CrossingRules rules;
    const MarchTable risk = march_table(m, p, std::nullopt, rules);
    // One vehicle at a time at 5 km/h: 10 x (200 + 10) m / (5/3.6 m/s) = 1512 s, against
    // (1000 + 200) m / (50/3.6 m/s) = 86.4 s for the open column at march speed.
    const double delay = 10 * 210 / (5 / 3.6) - 1200 / (50 / 3.6);
    const auto& bridge = risk.rows.at(1);
    CHECK(bridge.checkpoint.find("one vehicle at a time") != std::string::npos);
    CHECK(bridge.tail_clear_s == Approx(bridge.head_arrival_s + risk.pass_time_s + delay));
    CHECK(risk.rows.back().tail_clear_s == Approx(risk.rows.back().head_arrival_s + risk.pass_time_s + delay));
    CHECK(risk.total_s == Approx(risk.rows.back().tail_clear_s));
    // Caution: 13 km/h at 100 m spacing (already above the 50 m minimum).
    m.legs[0].path.crossings[0].mode = CrossingMode::Caution;
    const MarchTable caution = march_table(m, p, std::nullopt, rules);
    const double cdelay = 1200 / (13 / 3.6) - 1200 / (50 / 3.6);
    CHECK(caution.rows.back().tail_clear_s ==
          Approx(caution.rows.back().head_arrival_s + caution.pass_time_s + cdelay));
    // A normal crossing costs the column nothing extra.
    m.legs[0].path.crossings[0].mode = CrossingMode::Normal;
    const MarchTable normal = march_table(m, p, std::nullopt, rules);
    CHECK(normal.rows.back().tail_clear_s == Approx(normal.rows.back().head_arrival_s + normal.pass_time_s));
    // A halt after the crossing lets the column close up: the tail is back in order.
    m.legs[0].path.crossings[0].mode = CrossingMode::Risk;
    p.halt_every_h = 0.5;
    p.halt_min = 30;  // longer than the delay
    const MarchTable halted = march_table(m, p, std::nullopt, rules);
    CHECK(halted.halts >= 1);
    CHECK(halted.rows.back().tail_clear_s == Approx(halted.rows.back().head_arrival_s + halted.pass_time_s));
}
