// SPDX-License-Identifier: MIT
// The network host services of ABI 1.1, called as a plugin calls them (the host's
// function table, a run context, the SDK's wrappers) on the embedded Belgian networks,
// against the core planner called directly on the same data.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstddef>
#include <cstring>
#include <filesystem>
#include <thread>

#include "host_api.hpp"
#include "mp/core/error.hpp"
#include "mp/data/default_data.hpp"
#include "mp/geo/geodesic.hpp"
#include "mp/network/build.hpp"
#include "mp/network/planner.hpp"
#include "mp/network/service.hpp"
#include "mp/plugin.hpp"
#include "mp/plugin/registry.hpp"
#include "test_support.hpp"

using namespace mp;

namespace {

const data::Workspace& ws() {
    static const data::Workspace w = data::load_workspace(true, {});
    return w;
}

/// A run as the registry makes one (registry.cpp run_on_thread), without a plugin: the
/// test calls the host's functions itself, through the SDK or the raw table.
struct HostRun {
    plugin::ParamValues params = nlohmann::json::object();
    MpRunContext ctx;
    const MpHostApi* api = &plugin::detail::host_api();
    sdk::Run run{api, &ctx};
    HostRun() {
        ctx.ws = &ws();
        ctx.params = &params;
        ctx.progress = &null_progress();
        ctx.plugin_id = "test";
    }
    std::string error() const { return api->last_error(&ctx); }
    std::string messages() {
        std::string s;
        for (const auto& m : ctx.result.messages) s += m.text + "\n";
        return s;
    }
};

/// The core planner on its own graphs of the same layers, prepared as the host prepares
/// its shared networks (12 road and 8 rail landmarks).
struct Core {
    network::Graph road = network::build_from_layer(ws().layers.get("roads"), network::NetworkKind::Road);
    network::Graph rail = network::build_from_layer(ws().layers.get("rail"), network::NetworkKind::Rail);
    network::Planner planner{&road, &rail, &ws().catalogue};
    Core() { planner.prepare(); }
};

Core& core() {
    static Core c;
    return c;
}

network::Vehicle preset(const std::string& id) {
    for (const auto& v : network::default_vehicle_presets())
        if (v.id == id) return v;
    FAIL("no preset " << id);
    return {};
}

/// A box around (lon, lat) as an avoid polygon, for the core and for the ABI.
geo::Polygon box(double lon0, double lat0, double lon1, double lat1) {
    geo::Polygon p;
    for (auto [x, y] : {std::pair{lon0, lat0}, {lon1, lat0}, {lon1, lat1}, {lon0, lat1}, {lon0, lat0}})
        p.outer().push_back(geo::lonlat(x, y));
    boost::geometry::correct(p);
    return p;
}

sdk::Geometry sdk_polygon(const geo::Polygon& p) {
    std::vector<std::pair<double, double>> ring;
    for (const auto& q : p.outer()) ring.emplace_back(geo::lon(q), geo::lat(q));
    return sdk::Geometry::polygon(ring);
}

/// Checks that the service's answer is the core's plan: every movement, leg, line point,
/// crossing, road change, binding limit and march table row.
void check_same(const sdk::Route& a, const network::Plan& b) {
    CHECK(a.from_label == b.from_label);
    CHECK(a.to_label == b.to_label);
    CHECK(a.from_lon == geo::lon(b.from));
    CHECK(a.to_lat == geo::lat(b.to));
    CHECK(a.profile == b.profile);
    REQUIRE(a.vias.size() == b.vias.size());
    for (std::size_t i = 0; i < a.vias.size(); ++i) CHECK(a.vias[i].label == b.vias[i].first);
    REQUIRE(a.movements.size() == b.movements.size());
    for (std::size_t m = 0; m < a.movements.size(); ++m) {
        const auto& am = a.movements[m];
        const auto& bm = b.movements[m];
        CHECK(am.distance_m == bm.distance_m);
        CHECK(am.duration_s == bm.duration_s);
        CHECK(am.transfer_s == bm.transfer_s);
        REQUIRE(am.transfers.size() == bm.transfers.size());
        for (std::size_t t = 0; t < am.transfers.size(); ++t) CHECK(am.transfers[t].site == bm.transfers[t].first);
        REQUIRE(am.legs.size() == bm.legs.size());
        for (std::size_t l = 0; l < am.legs.size(); ++l) {
            const auto& al = am.legs[l];
            const auto& bl = bm.legs[l];
            CHECK(al.network == (bl.network == network::NetworkKind::Rail ? MP_NETWORK_RAIL : MP_NETWORK_ROAD));
            CHECK(al.from_label == bl.from_label);
            CHECK(al.to_label == bl.to_label);
            CHECK(al.distance_m == bl.path.distance_m);
            CHECK(al.duration_s == bl.path.duration_s);
            REQUIRE(al.line.type == MP_GEOM_LINESTRING);
            REQUIRE(al.line.size() == bl.path.line.size());
            bool same_line = true;
            for (std::size_t i = 0; i < al.line.size(); ++i)
                same_line &= al.line.lon(i) == geo::lon(bl.path.line[i]) && al.line.lat(i) == geo::lat(bl.path.line[i]);
            CHECK(same_line);
            REQUIRE(al.crossings.size() == bl.path.crossings.size());
            for (std::size_t i = 0; i < al.crossings.size(); ++i) {
                CHECK(al.crossings[i].label == bl.path.crossings[i].label);
                CHECK(al.crossings[i].mode == static_cast<int>(bl.path.crossings[i].mode));
                CHECK(al.crossings[i].route_km == bl.path.crossings[i].route_km);
            }
            REQUIRE(al.road_changes.size() == bl.path.road_changes.size());
            for (std::size_t i = 0; i < al.road_changes.size(); ++i)
                CHECK(al.road_changes[i].ref == bl.path.road_changes[i].ref);
            REQUIRE(al.binding.size() == bl.path.binding.size());
            for (std::size_t i = 0; i < al.binding.size(); ++i) {
                CHECK(al.binding[i].quantity == bl.path.binding[i].quantity);
                CHECK(al.binding[i].limit == bl.path.binding[i].limit);
            }
        }
        REQUIRE(am.march.size() == (bm.march ? bm.march->rows.size() : 0));
        for (std::size_t i = 0; i < am.march.size(); ++i) {
            CHECK(am.march[i].checkpoint == bm.march->rows[i].checkpoint);
            CHECK(am.march[i].tail_clear == bm.march->rows[i].tail_clear);
            CHECK(am.march[i].head_arrival_s == bm.march->rows[i].head_arrival_s);
        }
        if (bm.march) CHECK(am.column_length_m == bm.march->column_length_m);
    }
}

/// One query both ways.
struct Query {
    const char* name;
    sdk::RouteRequest abi;
    network::PlanRequest core;
};

std::vector<Query> queries(const sdk::Network& road, const sdk::Network& rail) {
    std::vector<Query> q;
    auto add = [&](const char* name, const std::string& from, const std::string& to) -> Query& {
        Query x{name, {}, {}};
        x.abi.road = road, x.abi.rail = rail, x.abi.from = from, x.abi.to = to;
        x.core.from = from, x.core.to = to;
        q.push_back(std::move(x));
        return q.back();
    };
    add("unrestricted", "port-zeebrugge", "leopoldsburg-rail-terminal");
    {  // a preset with a caution crossing allowed, and a march table
        auto& x = add("tank transporter", "port-antwerp", "port-ghent");
        sdk::VehicleProfile v;
        v.preset = "tank-transporter-mbt";
        v.highest_crossing = 2;
        x.abi.vehicle = v;
        x.core.options.vehicle = preset("tank-transporter-mbt");
        x.core.options.highest_crossing = network::CrossingMode::Caution;
        x.abi.march = sdk::MarchParams{};
        x.abi.march->vehicles = 30;
        x.core.march.vehicles = 30;
    }
    {  // a custom tall vehicle: around the Scheldt tunnels
        auto& x = add("9.5 m high", "port-antwerp", "port-ghent");
        sdk::VehicleProfile v;
        v.height_m = 9.5;
        x.abi.vehicle = v;
        network::Vehicle cv{"custom", "custom vehicle", 0, false, 0, 0, 0, 0, 0, 0, ""};
        cv.height_m = 9.5;
        x.core.options.vehicle = cv;
    }
    {
        auto& x = add("multimodal with a march table", "port-zeebrugge", "leopoldsburg-rail-terminal");
        x.abi.mode = MP_TRAVEL_MULTIMODAL;
        x.core.mode = network::TravelMode::Multimodal;
        x.abi.transfer_h = 3;
        x.core.default_transfer_h = 3;
        x.abi.march = sdk::MarchParams{};
        x.abi.march->vehicles = 20;
        x.core.march.vehicles = 20;
    }
    {
        auto& x = add("three alternatives, 30 % overlap", "port-zeebrugge", "elsenborn-training-area");
        x.abi.alternatives = x.core.alternatives = 3;
        x.abi.max_overlap = x.core.max_overlap = 0.3;
    }
    {
        auto& x = add("vias, shortest", "port-zeebrugge", "elsenborn-training-area");
        x.abi.vias = x.core.vias = {"port-antwerp", "4.35,50.85"};
        x.abi.metric = MP_METRIC_SHORTEST;
        x.core.options.metric = network::Metric::Shortest;
    }
    {
        auto& x = add("rail", "zeebrugge-rail-terminal", "leopoldsburg-rail-terminal");
        x.abi.mode = MP_TRAVEL_RAIL;
        x.core.mode = network::TravelMode::Rail;
    }
    {  // an area over the A1/E19 north-east of Brussels, the direct way, not to enter
        auto& x = add("avoid", "port-antwerp", "4.45,50.70");
        const geo::Polygon p = box(4.40, 50.80, 4.55, 50.90);
        x.abi.avoid = {sdk_polygon(p)};
        x.core.options.avoid = {p};
    }
    return q;
}

}  // namespace

TEST_CASE("network services: routes through the ABI equal the core planner's", "[plugins][services][network]") {
    HostRun h;
    const sdk::Network road = h.run.network(MP_NETWORK_ROAD);
    const sdk::Network rail = h.run.network(MP_NETWORK_RAIL);
    for (auto& q : queries(road, rail)) {
        INFO(q.name);
        const sdk::Route a = h.run.route(q.abi);
        auto b = core().planner.plan(q.core);
        REQUIRE(b);
        check_same(a, *b);
        if (std::string(q.name) != "avoid") continue;
        int inside = 0;  // the avoided area holds no vertex of the route
        for (const auto& l : a.movements.at(0).legs)
            for (std::size_t i = 0; i < l.line.size(); ++i)
                inside +=
                    l.line.lon(i) > 4.40 && l.line.lon(i) < 4.55 && l.line.lat(i) > 50.80 && l.line.lat(i) < 50.90;
        CHECK(inside == 0);
    }
}

TEST_CASE("network services: max_overlap is honoured (fewer alternatives when they may share less)",
          "[plugins][services][network]") {
    HostRun h;
    sdk::RouteRequest q;
    q.road = h.run.network(MP_NETWORK_ROAD);
    q.from = "port-zeebrugge";
    q.to = "elsenborn-training-area";
    q.alternatives = 3;
    q.max_overlap = 0.95;
    const auto loose = h.run.route(q);
    q.max_overlap = 0.05;
    const auto strict = h.run.route(q);
    CHECK(loose.movements.size() == 3);
    CHECK(strict.movements.size() < loose.movements.size());
    CHECK(strict.movements.front().distance_m == loose.movements.front().distance_m);
}

TEST_CASE("network services: a network's size and source", "[plugins][services][network]") {
    HostRun h;
    const auto info = h.run.network_info(h.run.network(MP_NETWORK_ROAD));
    CHECK(info.kind == MP_NETWORK_ROAD);
    CHECK(info.nodes == core().road.nodes());
    CHECK(info.edges == core().road.edges());
    CHECK(info.forbidden_turns == 0);
    CHECK(info.source == "roads");
    CHECK(info.length_km > 1000);
    const auto rail = h.run.network_info(h.run.network(MP_NETWORK_RAIL, "rail"));
    CHECK(rail.kind == MP_NETWORK_RAIL);
    CHECK(rail.nodes == core().rail.nodes());
}

TEST_CASE("network services: networks are shared by the runs of a process", "[plugins][services][network]") {
    const auto& roads = ws().layers.get("roads");
    const auto a = network::shared_network_from_layer(roads, network::NetworkKind::Road);
    const auto b = network::shared_network_from_layer(roads, network::NetworkKind::Road);
    CHECK(a.get() == b.get());
    CHECK(network::shared_network_from_layer(roads, network::NetworkKind::Rail).get() != a.get());
    layer::Layer fewer = roads;
    fewer.features.pop_back();
    CHECK(network::shared_network_from_layer(fewer, network::NetworkKind::Road).get() != a.get());
    // Two runs route at once on the shared router (one mutex per network): the same
    // answers as one after the other.
    HostRun h1, h2;
    sdk::RouteRequest q;
    q.road = h1.run.network(MP_NETWORK_ROAD);
    q.from = "port-ostend";
    q.to = "liege-airport";
    const double expected = h1.run.route(q).movements.at(0).distance_m;
    std::vector<double> got1, got2;
    std::thread t([&] {
        sdk::RouteRequest q2 = q;
        q2.road = h2.run.network(MP_NETWORK_ROAD);
        for (int i = 0; i < 20; ++i) got2.push_back(h2.run.route(q2).movements.at(0).distance_m);
    });
    for (int i = 0; i < 20; ++i) got1.push_back(h1.run.route(q).movements.at(0).distance_m);
    t.join();
    for (double d : got1) CHECK(d == expected);
    for (double d : got2) CHECK(d == expected);
}

TEST_CASE("network services: the matrix equals individual routes", "[plugins][services][network]") {
    HostRun h;
    const sdk::Network road = h.run.network(MP_NETWORK_ROAD);
    const std::vector<std::string> from_sites{"port-zeebrugge", "port-antwerp", "liege-airport"};
    const std::vector<std::string> to_sites{"leopoldsburg-rail-terminal", "port-ghent", "elsenborn-training-area",
                                            "florennes-air-base"};
    auto points = [](const std::vector<std::string>& ids) {
        std::vector<std::pair<double, double>> out;
        for (const auto& id : ids) {
            const auto p = ws().catalogue.by_id(id)->anchor();
            out.emplace_back(geo::lon(p), geo::lat(p));
        }
        return out;
    };
    auto to = points(to_sites);
    to.emplace_back(-30.0, 40.0);  // mid-Atlantic: unreachable
    for (const bool restricted : {false, true}) {
        std::optional<sdk::VehicleProfile> v;
        if (restricted) v = sdk::VehicleProfile{}, v->preset = "tank-transporter-mbt";
        INFO((restricted ? "tank transporter" : "unrestricted"));
        const sdk::Matrix m = h.run.matrix(road, points(from_sites), to, v);
        REQUIRE(m.rows == 3);
        REQUIRE(m.cols == 5);
        for (std::size_t i = 0; i < m.rows; ++i) {
            CHECK(std::isinf(m.duration(i, 4)));
            CHECK(std::isinf(m.distance(i, 4)));
            for (std::size_t j = 0; j < to_sites.size(); ++j) {
                sdk::RouteRequest q;
                q.road = road;
                q.from = from_sites[i];
                q.to = to_sites[j];
                q.vehicle = v;
                std::string why;
                const auto r = h.run.try_route(q, why);
                INFO(from_sites[i] << " -> " << to_sites[j] << " " << why);
                if (!r) {
                    CHECK(std::isinf(m.duration(i, j)));
                    continue;
                }
                CHECK(m.duration(i, j) == r->movements.at(0).duration_s);
                CHECK(m.distance(i, j) == r->movements.at(0).distance_m);
            }
        }
    }
}

TEST_CASE("network services: reach equals the core's isochrone", "[plugins][services][network]") {
    HostRun h;
    const sdk::Network road = h.run.network(MP_NETWORK_ROAD);
    const sdk::Reach one = h.run.reach(road, "leopoldsburg-rail-terminal", 3600);
    const sdk::Reach two = h.run.reach(road, "leopoldsburg-rail-terminal", 7200);
    auto ref = core().planner.reach("leopoldsburg-rail-terminal", 1.0, {});
    REQUIRE(ref);
    CHECK(one.nodes == ref->nodes);
    REQUIRE(one.area.type == MP_GEOM_MULTIPOLYGON);
    CHECK(one.area.size() == [&] {
        std::size_t n = 0;
        for (const auto& poly : ref->area) {
            n += poly.outer().size();
            for (const auto& r : poly.inners()) n += r.size();
        }
        return n;
    }());
    CHECK(one.roads.type == MP_GEOM_MULTILINESTRING);
    CHECK(one.roads.ring_ends.size() == ref->reachable.size());
    CHECK(two.nodes > one.nodes);
    // A restricted vehicle reaches less.
    sdk::VehicleProfile slow;
    slow.max_speed_kmh = 30;
    CHECK(h.run.reach(road, "leopoldsburg-rail-terminal", 3600, slow).nodes < one.nodes);
}

TEST_CASE("network services: snap", "[plugins][services][network]") {
    HostRun h;
    const sdk::Network road = h.run.network(MP_NETWORK_ROAD);
    const auto s = h.run.snap(road, 4.40, 51.22);
    REQUIRE(s);
    network::Router& r = *core().planner.road_router();
    const network::Snap ref = r.snap(geo::lonlat(4.40, 51.22), {}, 5000);
    CHECK(s->lon == geo::lon(ref.point));
    CHECK(s->lat == geo::lat(ref.point));
    CHECK(s->distance_m == ref.distance_m);
    CHECK(s->distance_m < 5000);
    CHECK_FALSE(h.run.snap(road, -30, 40));  // MP_INFEASIBLE: nothing within 5 km
    CHECK(h.run.snap(road, -30, 40, std::nullopt, 1e4) == std::nullopt);
    // The raw call: MP_INFEASIBLE with the point named.
    double x = 0, y = 0;
    CHECK(h.api->network_snap(road.handle, nullptr, -30, 40, 0, &x, &y, nullptr) == MP_INFEASIBLE);
    CHECK(h.error().find("-30,40") != std::string::npos);
    CHECK(h.api->network_snap(road.handle, nullptr, 200, 40, 0, &x, &y, nullptr) == MP_INVALID_ARGUMENT);
}

TEST_CASE("network services: bad input gives a status and names the parameter and the value",
          "[plugins][services][network]") {
    HostRun h;
    const sdk::Network road = h.run.network(MP_NETWORK_ROAD);
    MpRoute* out = nullptr;
    auto route = [&](const char* from, const char* to, const MpVehicleProfile* v = nullptr) {
        MpRouteRequest q{};
        q.struct_size = sizeof q;
        q.road = road.handle;
        q.from = from;
        q.to = to;
        q.vehicle = v;
        q.from_param = "origin";
        q.to_param = "destination";
        return h.api->network_route(&h.ctx, &q, &out);
    };
    SECTION("unknown place") {
        CHECK(route("atlantis", "port-ghent") == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("atlantis") != std::string::npos);
        CHECK(h.error().find("parameter 'origin'") != std::string::npos);
        CHECK(route("port-ghent", "200,95") == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("200,95") != std::string::npos);
        CHECK(h.error().find("parameter 'destination'") != std::string::npos);
    }
    SECTION("a place far from every road") {
        CHECK(route("port-ghent", "2.0,47.0") == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("destination") != std::string::npos);
        CHECK(h.error().find("(parameter 'destination')") != std::string::npos);
    }
    SECTION("malformed vehicles") {
        MpVehicleProfile v{};
        v.struct_size = sizeof v;
        v.mlc = -5;
        CHECK(route("port-ghent", "port-antwerp", &v) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("vehicle.mlc") != std::string::npos);
        CHECK(h.error().find("-5") != std::string::npos);
        v.mlc = 0;
        v.height_m = NAN;
        CHECK(route("port-ghent", "port-antwerp", &v) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("vehicle.height_m") != std::string::npos);
        CHECK(h.error().find("nan") != std::string::npos);
        v.height_m = 0;
        v.tracked = 7;
        CHECK(route("port-ghent", "port-antwerp", &v) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("vehicle.tracked") != std::string::npos);
        v.tracked = 0;
        v.preset = "hovercraft";
        CHECK(route("port-ghent", "port-antwerp", &v) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("unknown vehicle preset 'hovercraft'") != std::string::npos);
        CHECK(h.error().find("vehicle.preset") != std::string::npos);
        v.preset = nullptr;
        v.struct_size = 2;
        CHECK(route("port-ghent", "port-antwerp", &v) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("struct_size") != std::string::npos);
        // The other services read vehicles the same way.
        v.struct_size = sizeof v;
        v.width_m = -1;
        double d = 0;
        const double xy[2] = {4.4, 51.2};
        CHECK(h.api->network_matrix(road.handle, &v, MP_METRIC_FASTEST, xy, 1, xy, 1, &d, nullptr) ==
              MP_INVALID_ARGUMENT);
        CHECK(h.error().find("vehicle.width_m") != std::string::npos);
    }
    SECTION("unknown network layer, missing and unreadable files") {
        MpNetwork* n = nullptr;
        CHECK(h.api->network_open(&h.ctx, MP_NETWORK_ROAD, "motorways", &n) == MP_NOT_FOUND);
        CHECK(n == nullptr);
        CHECK(h.error().find("'motorways'") != std::string::npos);
        CHECK(h.error().find("network_open source") != std::string::npos);
        CHECK_THROWS_AS(h.run.network(MP_NETWORK_ROAD, "motorways"), sdk::InputFailure);
        test::TempDir dir;
        const std::string missing = dir.file("nope.osm.pbf");
        CHECK(h.api->network_open(&h.ctx, MP_NETWORK_ROAD, missing.c_str(), &n) == MP_NOT_FOUND);
        CHECK(h.error().find(missing) != std::string::npos);
        CHECK(h.api->network_open(&h.ctx, MP_NETWORK_ROAD, dir.path().c_str(), &n) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("not a regular file") != std::string::npos);
        const std::string junk = dir.file("junk.osm.pbf");
        test::write_text(junk, "not a protobuf");
        CHECK(h.api->network_open(&h.ctx, MP_NETWORK_ROAD, junk.c_str(), &n) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("junk.osm.pbf") != std::string::npos);
        CHECK(h.api->network_open(&h.ctx, static_cast<MpNetworkKind>(9), nullptr, &n) == MP_INVALID_ARGUMENT);
    }
    SECTION("malformed requests") {
        MpRouteRequest q{};
        q.struct_size = sizeof q;
        q.road = road.handle;
        q.from = "port-ghent";
        q.to = "port-antwerp";
        q.mode = static_cast<MpTravelMode>(7);
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("mode is 7") != std::string::npos);
        q.mode = MP_TRAVEL_RAIL;  // no rail network given
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("no rail network") != std::string::npos);
        CHECK(h.error().find("parameter 'mode'") != std::string::npos);
        q.mode = MP_TRAVEL_ROAD;
        q.rail = road.handle;  // a road network as the rail network
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("rail is a road network") != std::string::npos);
        q.rail = nullptr;
        q.max_overlap = 1.5;
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("max_overlap is 1.5") != std::string::npos);
        q.max_overlap = 0;
        const char* vias[] = {"atlantis"};
        q.vias = vias;
        q.n_vias = 1;
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("parameter 'via'") != std::string::npos);
        q.n_vias = 0;
        MpGeometry line{MP_GEOM_LINESTRING, nullptr, 0, nullptr, 0, nullptr, 0};
        q.avoid = &line;
        q.n_avoid = 1;
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("avoid[0]") != std::string::npos);
        q.n_avoid = 0;
        MpMarchParams m{};
        m.struct_size = sizeof m;
        m.vehicles = 10;
        m.march_speed_kmh = 50;
        m.start = "tomorrow";
        q.march = &m;
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("start time 'tomorrow' is not a time") != std::string::npos);
        CHECK(h.error().find("(march.start)") != std::string::npos);
        m.start = "2026-02-30T25:61Z";  // normalised to 3 March before: now refused, naming the field
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("'2026-02-30T25:61Z' has day 30") != std::string::npos);
        q.struct_size = 8;
        CHECK(h.api->network_route(&h.ctx, &q, &out) == MP_INVALID_ARGUMENT);
        CHECK(h.error().find("MpRouteRequest.struct_size") != std::string::npos);
        CHECK(h.api->network_reach(road.handle, nullptr, "atlantis", 3600, nullptr, nullptr, nullptr) ==
              MP_INVALID_ARGUMENT);
        MpGeometry area{};
        CHECK(h.api->network_reach(road.handle, nullptr, "atlantis", 3600, &area, nullptr, nullptr) ==
              MP_INVALID_ARGUMENT);
        CHECK(h.error().find("atlantis") != std::string::npos);
        CHECK(h.api->network_reach(road.handle, nullptr, "port-ghent", -1, &area, nullptr, nullptr) ==
              MP_INVALID_ARGUMENT);
        CHECK(h.error().find("limit_s is -1") != std::string::npos);
    }
    SECTION("route accessors refuse indices out of range") {
        REQUIRE(route("port-ghent", "port-antwerp") == MP_OK);
        MpLegInfo leg{};
        leg.struct_size = sizeof leg;
        CHECK(h.api->route_leg(out, 0, 0, &leg) == MP_OK);
        CHECK(h.api->route_leg(out, 0, 1, &leg) == MP_NOT_FOUND);
        CHECK(h.error().find("leg 1 of 1") != std::string::npos);
        CHECK(h.api->route_leg(out, 3, 0, &leg) == MP_NOT_FOUND);
        MpMarchRow row{};
        row.struct_size = sizeof row;
        CHECK(h.api->route_march_row(out, 0, 0, &row) == MP_NOT_FOUND);
        CHECK(h.api->route_leg(out, 0, 0, nullptr) == MP_INVALID_ARGUMENT);
    }
}

TEST_CASE("network services: plugin-sized structs are filled only as far as the plugin's size",
          "[plugins][services][network]") {
    HostRun h;
    sdk::RouteRequest q;
    q.road = h.run.network(MP_NETWORK_ROAD);
    q.from = "port-zeebrugge";
    q.to = "port-ghent";
    MpRoute* out = nullptr;
    MpRouteRequest c{};
    c.struct_size = sizeof c;
    c.road = q.road.handle;
    c.from = q.from.c_str();
    c.to = q.to.c_str();
    REQUIRE(h.api->network_route(&h.ctx, &c, &out) == MP_OK);
    // A plugin whose MpLegInfo ends before `line`: the fields past it stay untouched.
    MpLegInfo leg;
    std::memset(&leg, 0xab, sizeof leg);
    leg.struct_size = static_cast<std::uint32_t>(offsetof(MpLegInfo, line));
    REQUIRE(h.api->route_leg(out, 0, 0, &leg) == MP_OK);
    CHECK(leg.distance_m > 10'000);
    const auto* tail = reinterpret_cast<const unsigned char*>(&leg) + offsetof(MpLegInfo, line);
    bool untouched = true;
    for (std::size_t i = 0; i < sizeof leg - offsetof(MpLegInfo, line); ++i) untouched &= tail[i] == 0xab;
    CHECK(untouched);
}

TEST_CASE("network services: no route for the vehicle is MP_INFEASIBLE with the binding restriction named",
          "[plugins][services][network]") {
    HostRun h;
    sdk::RouteRequest q;
    q.road = h.run.network(MP_NETWORK_ROAD);
    q.from = "port-antwerp";
    q.to = "elsenborn-training-area";
    q.vehicle = sdk::VehicleProfile{};
    q.vehicle->mlc = 120;
    std::string why;
    CHECK_FALSE(h.run.try_route(q, why));
    CHECK(why.find("no route for vehicle 'custom'") != std::string::npos);
    CHECK(why.find("MLC 60 < 120") != std::string::npos);
    CHECK(why.find("Warche bridge") != std::string::npos);
    CHECK_THROWS_AS(h.run.route(q), sdk::InfeasibleFailure);
    // The raw call still hands out the answer: the places, no movement.
    MpRouteRequest c{};
    c.struct_size = sizeof c;
    c.road = q.road.handle;
    c.from = "port-antwerp";
    c.to = "elsenborn-training-area";
    const MpVehicleProfile v = q.vehicle->view();
    c.vehicle = &v;
    MpRoute* out = nullptr;
    REQUIRE(h.api->network_route(&h.ctx, &c, &out) == MP_INFEASIBLE);
    REQUIRE(out);
    MpRouteInfo info{};
    info.struct_size = sizeof info;
    REQUIRE(h.api->route_info(out, &info) == MP_OK);
    CHECK(info.movements == 0);
    CHECK(std::string(info.from_label) == "port-antwerp");
    CHECK(std::string(info.profile) == "custom");
    CHECK(h.error().find("Warche bridge") != std::string::npos);
}

TEST_CASE("network services: a network file is built once, then read from the graph cache",
          "[plugins][services][network][data]") {
    const std::string pbf = test::shared_data("antwerp_2014.osm.pbf");
    test::TempDir dir;
    // A copy, so that this test's cache key is its own (the in-memory cache is process-wide).
    const std::string copy = dir.file("antwerp.osm.pbf");
    std::filesystem::copy_file(pbf, copy);
    ::setenv("ENABLEMENT_CACHE_DIR", dir.file("cache").c_str(), 1);
    HostRun h;
    const auto n = h.run.network(MP_NETWORK_ROAD, copy);
    CHECK(h.messages().find("built") != std::string::npos);
    CHECK(h.messages().find("forbidden turns") != std::string::npos);
    const auto info = h.run.network_info(n);
    CHECK(info.forbidden_turns > 0);
    CHECK(info.source == copy);
    // The disk cache, read as a new process would (the core function, not the memory cache).
    std::vector<network::BuildMessage> messages;
    const network::Graph g = network::network_from_file(copy, network::NetworkKind::Road, null_progress(), &messages);
    REQUIRE(messages.size() == 1);
    CHECK(messages[0].text.find("loaded from the graph cache") != std::string::npos);
    CHECK(g.nodes() == info.nodes);
    // Routing on it with a vehicle.
    sdk::RouteRequest q;
    q.road = n;
    q.from = "4.395,51.205";
    q.to = "4.405,51.22";
    q.vehicle = sdk::VehicleProfile{};
    q.vehicle->preset = "wheeled-truck";
    CHECK(h.run.route(q).movements.at(0).distance_m > 1000);
    ::unsetenv("ENABLEMENT_CACHE_DIR");
}

TEST_CASE("transit-routes formats the service's answer: routes, legs, points and the reach layer",
          "[plugins][services][network]") {
    // The assertions core tests made on plan_to_layer / isochrone_to_layer, now on the
    // plugin's output (the only place that formats them).
    const std::string plugin = std::string(MP_BINARY_DIR) + "/plugins/transit_routes.so";
    plugin::Registry reg;
    REQUIRE(reg.load_file(plugin, plugin::Origin::CommandLine).loaded);
    plugin::RunOptions o;
    o.mode = plugin::RunOptions::Mode::InProcess;
    auto features = [](const plugin::RunResult& r, const std::string& layer) {
        for (const auto& l : r.layers)
            if (l.layer.name == layer) return l.layer.features.size();
        return std::size_t{0};
    };
    const auto via = reg.run("transit-routes",
                             {{"from", "port-zeebrugge"}, {"to", "elsenborn-training-area"}, {"via", "4.35,50.85"}},
                             ws(), null_progress(), o);
    REQUIRE(via.status == plugin::RunStatus::Ok);
    CHECK(features(via, "routes") == 1 + 2 + 3);  // route, 2 legs, origin, via, destination
    const auto mm = reg.run(
        "transit-routes",
        {{"from", "port-zeebrugge"}, {"to", "leopoldsburg-rail-terminal"}, {"mode", "multimodal"}, {"vehicles", "20"}},
        ws(), null_progress(), o);
    REQUIRE(mm.status == plugin::RunStatus::Ok);
    CHECK(features(mm, "routes") == 1 + 3 + 2 + 2);  // route, 3 legs, 2 transfers, origin, destination
    const auto reach = reg.run("transit-routes", {{"from", "leopoldsburg-rail-terminal"}, {"reach_hours", "1"}}, ws(),
                               null_progress(), o);
    REQUIRE(reach.status == plugin::RunStatus::Ok);
    REQUIRE(features(reach, "reach") == 1);
    const auto& f = reach.layers.at(0).layer.features.at(0);
    CHECK(f.attributes.text("kind") == "isochrone");
    CHECK(f.attributes.text("from") == "leopoldsburg-rail-terminal");
    CHECK(std::holds_alternative<geo::MultiPolygon>(f.geometry));
    CHECK(f.attributes.number("nodes").value() == core().planner.reach("leopoldsburg-rail-terminal", 1.0, {})->nodes);
}

TEST_CASE("network services: landmarks at once on small networks, from the second use on on large ones",
          "[plugins][services][network]") {
    network::SyntheticOptions o;
    o.rows = o.cols = 40;
    network::SharedNetwork small(network::make_synthetic_network(o), "synthetic 40x40");
    small.count_use();
    {
        std::lock_guard lock(small.mutex());
        small.prepare_if_due();
        CHECK(small.prepared());
        CHECK(small.router().prepared(network::Metric::Fastest));
    }
    o.rows = o.cols = 450;  // 202,500 nodes: over kPrepareAtOnceNodes
    network::SharedNetwork large(network::make_synthetic_network(o), "synthetic 450x450");
    REQUIRE(large.graph().nodes() >= network::kPrepareAtOnceNodes);
    std::lock_guard lock(large.mutex());
    large.count_use();  // a one-off query: no landmarks, the search is exact without them
    large.prepare_if_due();
    CHECK_FALSE(large.prepared());
    CHECK_FALSE(large.router().prepared(network::Metric::Fastest));
    large.count_use();  // used again in this process: now worth them
    large.prepare_if_due();
    CHECK(large.prepared());
    CHECK(large.router().prepared(network::Metric::Fastest));
}
