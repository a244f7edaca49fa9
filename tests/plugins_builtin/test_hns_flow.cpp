// SPDX-License-Identifier: MIT
// hns-capacity 2's optimal plan (plugins/hns_capacity/flow_lp.*): the time-expanded
// multi-commodity flow LP on small networks whose answers are worked out by hand: a
// discharge rate, a berth closed for 48 h, two ports with their own capacity or a shared
// one, priorities on a shared ramp, the shadow price of a binding capacity against the
// re-solved objective, the earliest closure, a warm re-solve after a calendar edit, the
// MPS file read back, a commodity that cannot reach its sink, serials pooled in one
// commodity (charged as a backlog, split back in RDD order), and waiting no optimal plan
// uses left out of the program.
#include <catch2/catch.hpp>

#include <ClpSimplex.hpp>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "flow_lp.hpp"
#include "test_support.hpp"

using namespace hns;

namespace {

FlowArc arc(int from, int to, int delay, int resource, std::vector<int> commodities, std::vector<double> usage) {
    FlowArc a;
    a.from = from, a.to = to, a.delay = delay, a.resource = resource;
    a.commodities = std::move(commodities), a.usage = std::move(usage);
    return a;
}

// A port (ships wait there) discharging into a staging area over one arc that takes
// `delay` periods and draws on the berth's rate; `amount` vehicles arrive at period 0.
FlowModel one_port(int periods, double rate, int delay, double amount, int rdd = 0) {
    FlowModel m;
    m.periods = periods;
    m.nodes = {{"port", true, -1, {}}, {"staging", true, -1, {}}};
    m.resources = {{"port", "discharge", "vehicles/h", std::vector<double>(static_cast<std::size_t>(periods), rate)}};
    m.arcs = {arc(0, 1, delay, 0, {0}, {1.0})};
    m.commodities = {{"serial-1", 1, 1, rdd, {{0, 0, amount}}}};
    return m;
}

int first_delivery(const FlowSolution& s, std::size_t k) {
    for (std::size_t p = 0; p < s.delivered[k].size(); ++p)
        if (s.delivered[k][p] > 1e-6) return static_cast<int>(p);
    return -1;
}

}  // namespace

TEST_CASE("a discharge rate of 10 an hour puts 100 vehicles ashore in 10 hours, 2 hours from the staging area",
          "[hns][lp]") {
    FlowLp lp(one_port(48, 10, 2, 100));
    const FlowSolution s = lp.solve();
    REQUIRE(s.optimal);
    // 10 a period leave in periods 0..9 and arrive in 2..11.
    CHECK(first_delivery(s, 0) == 2);
    CHECK(s.last_delivery(0) == 11);
    for (int p = 2; p <= 11; ++p) CHECK(s.delivered[0][static_cast<std::size_t>(p)] == Approx(10));
    // Lateness against an RDD at the start of period 0, each delivery counted at the end
    // of its period: 10 x (3 + 4 + ... + 12) = 750 vehicle-hours.
    CHECK(s.lateness == Approx(750).margin(1e-6));
    CHECK(s.undelivered[0] == Approx(0).margin(1e-9));
    CHECK(s.used[0][0] == Approx(10));
    CHECK(s.used[0][10] == Approx(0).margin(1e-9));
    CHECK(lp.earliest_closure() == 11);
}

TEST_CASE("a berth closed for 48 h delays the serial's discharge by 48 h", "[hns][lp]") {
    FlowModel m = one_port(120, 10, 2, 100);
    for (int p = 0; p < 48; ++p) m.resources[0].cap[static_cast<std::size_t>(p)] = 0;
    FlowLp lp(m);
    const FlowSolution s = lp.solve();
    REQUIRE(s.optimal);
    CHECK(first_delivery(s, 0) == 2 + 48);
    CHECK(s.last_delivery(0) == 11 + 48);
    // While the berth is closed its capacity is worth what one more vehicle ashore then
    // saves; after the last discharge it is worth nothing.
    CHECK(s.shadow_price[0][10] > 0);
    CHECK(s.shadow_price[0][80] == Approx(0).margin(1e-9));
}

TEST_CASE("two ports discharging their own ships do not share capacity, one shared ramp does", "[hns][lp]") {
    auto two_ports = [](bool shared) {
        FlowModel m;
        m.periods = 48;
        m.nodes = {{"port-a", true, -1, {}}, {"port-b", true, -1, {}}, {"staging", true, -1, {}}};
        const std::vector<double> ten(48, 10.0);
        m.resources = {{"port-a", "discharge", "vehicles/h", ten}, {"port-b", "discharge", "vehicles/h", ten}};
        m.arcs = {arc(0, 2, 1, 0, {0}, {1.0}), arc(1, 2, 1, shared ? 0 : 1, {1}, {1.0})};
        m.commodities = {{"a", 1, 2, 0, {{0, 0, 100}}}, {"b", 1, 2, 0, {{1, 0, 100}}}};
        return m;
    };
    {
        FlowLp lp(two_ports(false));
        const FlowSolution s = lp.solve();
        CHECK(s.last_delivery(0) == 10);
        CHECK(s.last_delivery(1) == 10);
        CHECK(lp.earliest_closure() == 10);
    }
    {
        FlowLp lp(two_ports(true));
        const FlowSolution s = lp.solve();
        // 200 vehicles through one ramp of 10 an hour: the last leaves in period 19.
        CHECK(std::max(s.last_delivery(0), s.last_delivery(1)) == 20);
        CHECK(lp.earliest_closure() == 20);
    }
}

TEST_CASE("on a shared ramp the higher priority goes first", "[hns][lp]") {
    FlowModel m;
    m.periods = 48;
    m.nodes = {{"port", true, -1, {}}, {"staging", true, -1, {}}};
    m.resources = {{"port", "ramp", "vehicles/h", std::vector<double>(48, 10.0)}};
    m.arcs = {arc(0, 1, 0, 0, {0, 1}, {1.0, 1.0})};
    m.commodities = {{"priority-1", 10, 1, 0, {{0, 0, 50}}}, {"priority-3", 1, 1, 0, {{0, 0, 50}}}};
    FlowLp lp(m);
    const FlowSolution s = lp.solve();
    REQUIRE(s.optimal);
    CHECK(s.last_delivery(0) == 4);  // periods 0..4
    CHECK(first_delivery(s, 1) == 5);
    CHECK(s.last_delivery(1) == 9);
}

TEST_CASE("a binding capacity's shadow price is what one more unit of it saves", "[hns][lp]") {
    const FlowModel m = one_port(48, 10, 2, 100);
    FlowLp lp(m);
    const FlowSolution s = lp.solve();
    // One more vehicle discharged in period 3 lands 8 hours earlier than the last one:
    // the lateness falls by 8 vehicle-hours (the dual may also count the holding cost).
    for (const int p : {0, 3, 7}) {
        FlowModel more = m;
        more.resources[0].cap[static_cast<std::size_t>(p)] += 1;
        FlowLp lp2(more);
        const FlowSolution s2 = lp2.solve();
        INFO("period " << p);
        CHECK(s.lateness - s2.lateness == Approx(9 - p).margin(1e-6));
        CHECK(s.shadow_price[0][static_cast<std::size_t>(p)] == Approx(s.objective - s2.objective).margin(1e-4));
    }
}

TEST_CASE("a warm re-solve after a calendar edit equals a cold solve of the edited model", "[hns][lp]") {
    FlowModel m = one_port(96, 10, 2, 100);
    FlowLp warm(m);
    (void)warm.solve();
    for (int p = 4; p < 28; ++p) warm.set_capacity(0, p, 0);  // the berth closed for 24 h from period 4
    const FlowSolution a = warm.solve();
    for (int p = 4; p < 28; ++p) m.resources[0].cap[static_cast<std::size_t>(p)] = 0;
    FlowLp cold(m);
    const FlowSolution b = cold.solve();
    CHECK(a.objective == Approx(b.objective).epsilon(1e-9));
    // 40 ashore before the closure, the other 60 from period 28: the last leaves at 33.
    CHECK(a.last_delivery(0) == 35);
}

TEST_CASE("the model written as MPS reads back into CLP with the same optimum", "[hns][lp]") {
    FlowLp lp(one_port(48, 10, 2, 100));
    const FlowSolution s = lp.solve();
    mp::test::TempDir dir;
    const std::string path = dir.file("model.mps");
    lp.write_mps(path);
    ClpSimplex again;
    again.setLogLevel(0);
    REQUIRE(again.readMps(path.c_str(), true, false) == 0);
    again.dual();
    REQUIRE(again.status() == 0);
    CHECK(again.objectiveValue() == Approx(s.objective).epsilon(1e-9));
    CHECK(again.numberRows() == lp.rows());
    CHECK(again.numberColumns() == lp.columns());
    CHECK(std::string(again.getColumnName(0)).rfind("x_", 0) == 0);
}

TEST_CASE("a commodity that cannot reach its sink names why, and a bad model is refused", "[hns][lp]") {
    FlowModel m = one_port(24, 10, 2, 100);
    m.nodes.push_back({"elsenborn", true, -1, {}});
    m.commodities[0].sink = 2;  // no arc leads there
    try {
        FlowLp lp(m);
        FAIL("accepted a commodity without a way to its sink");
    } catch (const std::invalid_argument& e) {
        CHECK(std::string(e.what()) ==
              "commodity serial-1 cannot reach elsenborn from port: no arc it may use leads there");
    }
    FlowModel bad = one_port(24, 10, 2, 100);
    bad.resources[0].cap.pop_back();
    CHECK_THROWS_AS(FlowLp(bad), std::invalid_argument);
    bad = one_port(24, 10, 2, 100);
    bad.resources[0].cap[3] = std::nan("");
    CHECK_THROWS_AS(FlowLp(bad), std::invalid_argument);
}

TEST_CASE("what cannot arrive by the horizon is reported undelivered, never lost", "[hns][lp]") {
    FlowLp lp(one_port(8, 10, 2, 100));  // 8 periods: at most 60 arrive (periods 2..7)
    const FlowSolution s = lp.solve();
    REQUIRE(s.optimal);
    double got = 0;
    for (const double v : s.delivered[0]) got += v;
    CHECK(got == Approx(60));
    CHECK(s.undelivered[0] == Approx(40));
    CHECK(s.last_delivery(0) == -1);
    CHECK(lp.earliest_closure() == -1);
}

TEST_CASE("a clearance opens a border arc at its first period, and a dwell holds parking for its whole length",
          "[hns][lp]") {
    {
        // A crossing cleared from period 30: 100 vehicles at 10 an hour cross in 30..39.
        FlowModel m = one_port(96, 10, 2, 100);
        m.arcs[0].first_period = 30;
        FlowLp lp(m);
        const FlowSolution s = lp.solve();
        CHECK(first_delivery(s, 0) == 32);
        CHECK(s.last_delivery(0) == 41);
    }
    {
        // 100 vehicles dwell 24 h in a staging area of 50 parking places: the first 50 are
        // ready at 24, the next 50 enter when those leave and are ready at 48.
        FlowModel m;
        m.periods = 96;
        m.nodes = {{"in", true, -1, {}}, {"ready", true, -1, {}}};
        m.resources = {{"staging", "vehicle_parking", "vehicles", std::vector<double>(96, 50.0)}};
        FlowArc dwell = arc(0, 1, 24, -1, {0}, {0.0});
        dwell.draws = {{0, 0, 23, {1.0}}};
        m.arcs = {dwell};
        m.commodities = {{"serial", 1, 1, 0, {{0, 0, 100}}}};
        FlowLp lp(m);
        const FlowSolution s = lp.solve();
        REQUIRE(s.optimal);
        CHECK(s.delivered[0][24] == Approx(50));
        CHECK(s.delivered[0][48] == Approx(50));
        CHECK(s.used[0][10] == Approx(50));
        // One more place in a single period is worth nothing (a dwell needs it for 24 h
        // running); one more over the whole first day lets one more vehicle be ready a
        // day earlier, and the duals over that day say it is worth something.
        double day_one = 0;
        for (int p = 0; p < 24; ++p) day_one += s.shadow_price[0][static_cast<std::size_t>(p)];
        CHECK(day_one > 0);
        for (auto& c : m.resources[0].cap) c = 51;
        FlowLp more(m);
        CHECK(more.solve().delivered[0][24] == Approx(51));
    }
}

TEST_CASE("personnel leave staging with their vehicles: nothing moves on before the pax are there", "[hns][lp]") {
    // 100 vehicles in staging from period 0, their 50 pax from period 10; the onward
    // arc takes 20 vehicles a period, the pax ride with them (coupled 1 pax : 2 vehicles).
    FlowModel m;
    m.periods = 48;
    m.nodes = {{"staging", true, -1, {}}, {"border", true, -1, {}}};
    m.resources = {{"staging", "march", "vehicles/h", std::vector<double>(48, 20.0)}};
    m.arcs = {arc(0, 1, 1, 0, {0}, {1.0}), arc(0, 1, 1, -1, {1}, {0.0})};
    m.commodities = {{"vehicles", 1, 1, 0, {{0, 0, 100}}}, {"pax", 1, 1, 0, {{0, 10, 50}}}};
    m.couplings = {{"serial-1", {{0, 0}}, {{1, 1}}, 50, 100}};  // vehicles x 50 = pax x 100
    FlowLp lp(m);
    const FlowSolution s = lp.solve();
    REQUIRE(s.optimal);
    CHECK(first_delivery(s, 0) == 11);
    CHECK(first_delivery(s, 1) == 11);
    CHECK(s.last_delivery(0) == 15);
    CHECK(s.last_delivery(1) == 15);
    for (int p = 11; p <= 15; ++p) {
        CHECK(s.delivered[0][static_cast<std::size_t>(p)] == Approx(20));
        CHECK(s.delivered[1][static_cast<std::size_t>(p)] == Approx(10));
    }
}

TEST_CASE("a pool of one part is the commodity it pools: same objective and lateness", "[hns][lp][pool]") {
    // RDDs before the start, at it, within the horizon and beyond it; and a horizon too
    // short for everything (what is left pays the same).
    for (const int periods : {48, 8})
        for (const int rdd : {-2, 0, 5, 60}) {
            INFO("periods " << periods << ", rdd " << rdd);
            const FlowModel m = one_port(periods, 10, 2, 100, rdd);
            FlowModel pooled = m;
            pooled.commodities[0].rdd = 999;  // not read for a pool
            pooled.due = {{{rdd, 100}}};
            FlowLp a(m), b(pooled);
            const FlowSolution sa = a.solve(), sb = b.solve();
            REQUIRE(sa.optimal);
            REQUIRE(sb.optimal);
            CHECK(sb.objective == Approx(sa.objective).epsilon(1e-9));
            CHECK(sb.lateness == Approx(sa.lateness).margin(1e-6));
            CHECK(sb.undelivered[0] == Approx(sa.undelivered[0]).margin(1e-6));
            for (std::size_t p = 0; p < sa.delivered[0].size(); ++p)
                CHECK(sb.delivered[0][p] == Approx(sa.delivered[0][p]).margin(1e-6));
        }
    // The hand value: 10 a period from period 2 to 11, due at the start of 5: late
    // 10 x (0 + ... + 0 + 1 + ... + 7) = 280 vehicle-hours.
    FlowModel m = one_port(48, 10, 2, 100);
    m.due = {{{5, 100}}};
    FlowLp lp(m);
    CHECK(lp.solve().lateness == Approx(280).margin(1e-6));
}

namespace {

// 4 vehicles at a port at period 0, one a period onto the quay (the sink, no delay):
// either one commodity pooling two serials, A (2 due at the start of 0) and B (2 due at
// the start of 3; listed first), or the two serials as their own commodities.
FlowModel quay(bool pooled) {
    FlowModel m;
    m.periods = 10;
    m.step_h = 2;
    m.nodes = {{"port", true, -1, {}}, {"quay", true, -1, {}}};
    m.resources = {{"port", "ramp", "vehicles/h", std::vector<double>(10, 1.0)}};
    if (pooled) {
        m.arcs = {arc(0, 1, 0, 0, {0}, {1.0})};
        m.commodities = {{"A+B", 1, 1, 0, {{0, 0, 4}}}};
        m.due = {{{3, 2}, {0, 2}}};
    } else {
        m.arcs = {arc(0, 1, 0, 0, {0, 1}, {1.0, 1.0})};
        m.commodities = {{"A", 1, 1, 0, {{0, 0, 2}}}, {"B", 1, 1, 3, {{0, 0, 2}}}};
    }
    return m;
}

}  // namespace

TEST_CASE("a pool of two serials is charged its backlog, no worse than the serials apart", "[hns][lp][pool]") {
    // One a period in periods 0..3. In RDD order A gets 0 and 1 (late 1 and 2 periods),
    // B gets 2 and 3 (late 0 and 1): 4 periods of 2 h = 8 vehicle-hours. The rest of the
    // objective: waiting at the port 3 + 2 + 1 unit-periods x 1e-3, and 1e-6 x (0+1+2+3).
    const double hand = 8 + 6e-3 + 6e-6;
    FlowLp pooled(quay(true)), apart(quay(false));
    const FlowSolution sp = pooled.solve(), sa = apart.solve();
    REQUIRE(sp.optimal);
    REQUIRE(sa.optimal);
    CHECK(sp.lateness == Approx(8).margin(1e-6));
    CHECK(sp.objective == Approx(hand).epsilon(1e-9));
    CHECK(sa.lateness == Approx(8).margin(1e-6));
    CHECK(sa.objective == Approx(hand).epsilon(1e-9));
    for (std::size_t p = 0; p < 10; ++p) CHECK(sp.delivered[0][p] == Approx(p < 4 ? 1.0 : 0.0).margin(1e-6));
    CHECK(sp.undelivered[0] == Approx(0).margin(1e-9));
    CHECK(sp.last_delivery(0) == 3);
    // Split back in RDD order: B (listed first) gets periods 2 and 3.
    const auto split = pool_split(quay(true).due[0], sp.delivered[0]);
    CHECK(split[1][0] == Approx(1));
    CHECK(split[1][1] == Approx(1));
    CHECK(split[0][2] == Approx(1));
    CHECK(split[0][3] == Approx(1));
    CHECK(split[0][0] == Approx(0).margin(1e-9));
    // One more on the ramp in period 1: deliveries 1, 2, 1 in periods 0..2; A gets 0 and
    // 1 (late 1 + 2), B gets 1 and 2 (0 + 0): 3 periods = 6 h, and the shadow price of
    // the ramp then is what the re-solve saves.
    FlowModel more = quay(true);
    more.resources[0].cap[1] = 2;
    FlowLp lp2(more);
    const FlowSolution s2 = lp2.solve();
    CHECK(sp.shadow_price[0][1] == Approx(sp.objective - s2.objective).margin(1e-4));
    CHECK(s2.lateness == Approx(6).margin(1e-6));
    // A warm re-solve after the same edit equals the cold one.
    pooled.set_capacity(0, 1, 2);
    const FlowSolution warm = pooled.solve();
    CHECK(warm.objective == Approx(s2.objective).epsilon(1e-9));
    CHECK(warm.lateness == Approx(6).margin(1e-6));
}

TEST_CASE("pool_late_periods gives deliveries to the parts in RDD order", "[hns][lp][pool]") {
    // Parts: 2 due at 3 and 1 due at 1 (listed out of order). Deliveries 0.5 in period 1,
    // 0.5 in 2, 2 in 4: the part due at 1 gets 0.5 late 1 and 0.5 late 2 periods, the
    // part due at 3 gets 2 late 2 periods: 0.5 + 1 + 4 = 5.5.
    const std::vector<FlowDue> due = {{3, 2}, {1, 1}};
    CHECK(pool_late_periods(due, {0, 0.5, 0.5, 0, 2}) == Approx(5.5));
    const auto split = pool_split(due, {0, 0.5, 0.5, 0, 2});
    CHECK(split[1][1] == Approx(0.5));
    CHECK(split[1][2] == Approx(0.5));
    CHECK(split[0][4] == Approx(2));
    CHECK(split[0][1] == 0);
    // Delivered early counts nothing; less than due leaves the last parts short.
    CHECK(pool_late_periods(due, {3}) == 0);
    CHECK(pool_late_periods(due, {0, 0, 0, 0, 0, 1}) == Approx(1 * 5));  // the part due at 1, in period 5
    CHECK(pool_split(due, {0, 0, 0, 0, 0, 1})[0][5] == 0);
    CHECK(pool_late_periods({}, {1, 2}) == 0);
}

TEST_CASE("a pool whose parts do not add up to its supply is refused", "[hns][lp][pool]") {
    FlowModel m = quay(true);
    m.due = {{{3, 2}, {0, 1}}};  // 3 of 4
    CHECK_THROWS_AS(FlowLp(m), std::invalid_argument);
    m.due = {{{3, 2}, {0, 2.5}}};  // 4.5 of 4
    CHECK_THROWS_AS(FlowLp(m), std::invalid_argument);
    m.due = {{{3, 5}, {0, -1}}};  // a negative part
    CHECK_THROWS_AS(FlowLp(m), std::invalid_argument);
    m.due = {{{3, 2}, {0, 2}}, {{0, 1}}};  // more pools than commodities
    CHECK_THROWS_AS(FlowLp(m), std::invalid_argument);
    m.due = {{}};  // an empty pool is no pool
    CHECK_NOTHROW(FlowLp(m));
}

TEST_CASE("waiting no optimal plan uses is not made, and the optimum stays", "[hns][lp]") {
    // 100 vehicles discharged at 10 a period onto a 2-period road to a holding area,
    // then a free 3-period road to the destination: delivered 10 a period in 5..14.
    // Lateness 10 x (6 + ... + 15) = 1050; waiting at the port 90 + 80 + ... + 10 = 450
    // unit-periods x 1e-3; deliveries 1e-6 x 10 x (5 + ... + 14).
    auto model = [](bool prunable) {
        FlowModel m;
        m.periods = 48;
        m.nodes = {{"port", true, -1, {}}, {"holding", true, -1, {}}, {"destination", true, -1, {}}};
        m.resources = {{"port", "discharge", "vehicles/h", std::vector<double>(48, 10.0)},
                       {"road", "unbounded", "vehicles/h", std::vector<double>(48, 1e9)}};
        // Drawing on a capacity no plan reaches keeps the waiting at the holding area.
        m.arcs = {arc(0, 1, 2, 0, {0}, {1.0}), arc(1, 2, 3, prunable ? -1 : 1, {0}, {prunable ? 0.0 : 1.0})};
        m.commodities = {{"serial", 1, 2, 0, {{0, 0, 100}}}};
        return m;
    };
    FlowLp pruned(model(true)), full(model(false));
    const FlowSolution a = pruned.solve(), b = full.solve();
    REQUIRE(a.optimal);
    REQUIRE(b.optimal);
    const double hand = 1050 + 0.45 + 1e-6 * 950;
    CHECK(a.objective == Approx(hand).epsilon(1e-9));
    CHECK(b.objective == Approx(hand).epsilon(1e-9));
    CHECK(a.lateness == Approx(1050).margin(1e-6));
    // The holding area's waiting in periods 2..44 goes; from 45 on leaving would not
    // arrive by the horizon, so waiting and the left-over column stay.
    CHECK(full.columns() - pruned.columns() == 43);
    CHECK(pruned.earliest_closure() == 14);
    CHECK(full.earliest_closure() == 14);
}
