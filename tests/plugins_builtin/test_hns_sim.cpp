// SPDX-License-Identifier: MIT
// The executable RSOM schedule of hns-capacity 2 (plugins/hns_capacity/simulate.*):
// hand-built problems (one port, one staging area, one terminal, one border) whose
// timetables are worked out by hand in the comments, then the Monte Carlo replications
// and the guards (cancellation, inconsistent input).
#include <catch2/catch.hpp>

#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "simulate.hpp"

using namespace hns;

namespace {

constexpr Time T0 = 20878LL * 86400;  // a midnight UTC: C-day 0, 00:00
constexpr Time H = 3600;
constexpr Time D = 86400;

// A deployment and its resolved problem built by hand (no reader, no resolver).
struct World {
    Deployment d;
    Rsom r;
    explicit World(int days = 10, double step = 1) {
        d.start = T0;
        d.step_h = step;
        d.horizon_days = days;
        r.step_h = step;
        r.periods = static_cast<int>(days * 24 / step);
    }
    std::size_t add_cap(const std::string& site, const std::string& key, bool stock, double per_period) {
        Capacity c;
        c.site = site;
        c.key = key;
        c.stock = stock;
        c.per_period.assign(static_cast<std::size_t>(r.periods), per_period);
        r.capacities.push_back(c);
        return r.capacities.size() - 1;
    }
    std::size_t rate(const std::string& site, const std::string& key, double per_day) {
        return add_cap(site, key, false, per_day * r.step_h / 24);
    }
    std::size_t stock(const std::string& site, const std::string& key, double value) {
        return add_cap(site, key, true, value);
    }
    // Capacity k is 0 over [from_h, to_h) hours after the start.
    void close(std::size_t k, int from_h, int to_h) {
        for (int p = 0; p < r.periods; ++p) {
            const double h = p * r.step_h;
            if (h >= from_h && h < to_h) r.capacities[k].per_period[static_cast<std::size_t>(p)] = 0;
        }
    }
    std::size_t serial(const std::string& id, int vehicles, double mass_t, int pax, int priority = 1,
                       double dwell_h = 0, ItemClass cls = ItemClass::Wheeled) {
        Serial s;
        s.id = id;
        s.priority = priority;
        s.rdd = T0 + 3 * D;
        s.destination = "DEST";
        s.dwell_h = dwell_h;
        if (vehicles > 0) s.items.push_back({cls, vehicles, mass_t, 6, 2.5, 2.5, 0});
        if (pax > 0) s.items.push_back({ItemClass::Pax, pax, 0, 0, 0, 0, 0});
        d.serials.push_back(s);
        Itinerary it;
        it.serial = d.serials.size() - 1;
        r.itineraries.push_back(it);
        return it.serial;
    }
    void lift(const std::string& id, LiftMode mode, const std::string& at, Time eta, std::vector<std::size_t> serials,
              double spread_h = 0) {
        Lift l;
        l.id = id;
        l.mode = mode;
        l.at = at;
        l.eta = eta;
        l.eta_spread_h = spread_h;
        for (std::size_t s : serials) {
            l.serials.push_back(d.serials[s].id);
            // The itinerary's entry is its first lift's site.
            if (r.itineraries[s].entry.empty()) {
                r.itineraries[s].lift = d.lift.size();
                r.itineraries[s].entry = at;
                r.itineraries[s].arrival = static_cast<int>((eta - T0) / static_cast<Time>(r.step_h * 3600));
            }
        }
        d.lift.push_back(l);
    }
    void staging(std::size_t s, const std::string& site, double hours) {
        Itinerary::Staging st;
        st.site = site;
        st.from_entry = {true, hours, hours * 50, ""};
        r.itineraries[s].staging.push_back(st);
    }
    void road(std::size_t s, const std::string& staging_site, double hours, const std::string& border = "",
              int cleared = 0) {
        Itinerary::Way w;
        w.mode = Onward::Road;
        w.staging = staging_site;
        w.to_destination = {true, hours, hours * 50, ""};
        r.itineraries[s].onward.push_back(w);
        if (!border.empty()) {
            d.serials[s].destination = border;
            r.itineraries[s].border = border;
            r.itineraries[s].cleared = cleared;
        }
    }
    void rail(std::size_t s, const std::string& staging_site, const std::string& terminal, double to_terminal_h,
              double hours) {
        Itinerary::Way w;
        w.mode = Onward::Rail;
        w.staging = staging_site;
        w.terminal = terminal;
        w.to_terminal = {true, to_terminal_h, to_terminal_h * 50, ""};
        w.to_destination = {true, hours, hours * 80, ""};
        r.itineraries[s].onward.push_back(w);
        d.serials[s].onward = Onward::Rail;
    }
    Schedule run(const SimOptions& o = {}, const std::function<bool()>& cancelled = {}) {
        r.deployment = &d;
        return simulate(r, d, o, cancelled);
    }
};

const Utilisation& util(const Schedule& s, const std::string& site, const std::string& key) {
    for (const auto& u : s.utilisation)
        if (u.site == site && u.key == key) return u;
    throw std::runtime_error("no utilisation for " + site + " " + key);
}

// The reference case: 100 vehicles off one ship at 240 a day (10 an hour at step 1 h).
World reference(double dwell_h = 24) {
    World w;
    const auto s = w.serial("S1", 100, 20, 0, 1, dwell_h);
    w.rate("ANR", "vehicles_per_day", 240);
    w.stock("ANR", "berths", 1);
    w.lift("SHIP1", LiftMode::Sea, "ANR", T0 + 6 * H, {s});
    w.staging(s, "SA1", 2);
    w.road(s, "SA1", 3);
    return w;
}

}  // namespace

TEST_CASE("hns sim: a port at 240 vehicles a day discharges 100 vehicles in 10 h", "[hns_sim]") {
    World w = reference();
    const Schedule sc = w.run();
    REQUIRE(sc.serials.size() == 1);
    const SerialSchedule& s = sc.serials[0];
    CHECK(s.arrived == T0 + 6 * H);
    CHECK(s.discharged == T0 + 16 * H);  // 06:00 + 100 / 10 h
    CHECK(s.at_staging == T0 + 18 * H);  // + 2 h road
    CHECK(s.ready == T0 + D + 18 * H);   // + 24 h dwell
    CHECK(s.staging == "SA1");
    CHECK(s.mode == "road");
    // 4 march units of 25 at 2 an hour: 18:00, 18:30, 19:00, 19:30, then 3 h on the road.
    CHECK(s.departed == T0 + D + 18 * H);
    CHECK(s.closed == T0 + D + 22 * H + 30 * 60);
    CHECK(s.crossed == 0);
    CHECK(s.late_h == 0);
    CHECK(s.why.empty());
    CHECK(sc.closure == s.closed);
    std::vector<Time> departures;
    for (const auto& m : sc.movements)
        if (m.from == "SA1") departures.push_back(m.depart);
    CHECK(departures ==
          std::vector<Time>{T0 + D + 18 * H, T0 + D + 18 * H + 1800, T0 + D + 19 * H, T0 + D + 19 * H + 1800});
    // The port's rate is used exactly: 10 a period over 06:00-16:00, nothing else.
    const Utilisation& u = util(sc, "ANR", "vehicles_per_day");
    double total = 0;
    for (std::size_t p = 0; p < u.used.size(); ++p) {
        total += u.used[p];
        CHECK(u.used[p] <= u.capacity[p] + 1e-9);
        if (p >= 6 && p < 16) CHECK(u.used[p] == Approx(10));
    }
    CHECK(total == Approx(100));
    CHECK(u.queue[6] == Approx(90));  // still aboard after the first hour
    CHECK(util(sc, "ANR", "berths").used[10] == 1);
}

TEST_CASE("hns sim: a berth closed for 48 h from the ETA delays the discharge by 48 h", "[hns_sim]") {
    World w = reference();
    w.close(1, 6, 54);  // berths: 0 from 06:00 for 48 h
    const Schedule sc = w.run();
    const SerialSchedule& s = sc.serials[0];
    CHECK(s.discharged == T0 + 16 * H + 48 * H);
    CHECK(s.at_staging == T0 + 18 * H + 48 * H);
    CHECK(util(sc, "ANR", "berths").queue[6] == 1);  // the ship waits for its berth
    CHECK(util(sc, "ANR", "berths").queue[53] == 1);
    CHECK(util(sc, "ANR", "berths").queue[54] == 0);
}

TEST_CASE("hns sim: two ports do not share capacity, one port's rate is shared", "[hns_sim]") {
    SECTION("two ports: both as if alone") {
        World w;
        const auto a = w.serial("A", 100, 20, 0), b = w.serial("B", 100, 20, 0);
        w.rate("ANR", "vehicles_per_day", 240);
        w.rate("ZEE", "vehicles_per_day", 240);
        w.lift("SHIP-A", LiftMode::Sea, "ANR", T0 + 6 * H, {a});
        w.lift("SHIP-B", LiftMode::Sea, "ZEE", T0 + 6 * H, {b});
        for (auto s : {a, b}) {
            w.staging(s, "SA1", 2);
            w.road(s, "SA1", 3);
        }
        const Schedule sc = w.run();
        CHECK(sc.serials[0].discharged == T0 + 16 * H);
        CHECK(sc.serials[1].discharged == T0 + 16 * H);
    }
    SECTION("one port, two berths: the second serial waits for the rate") {
        World w;
        const auto a = w.serial("A", 100, 20, 0), b = w.serial("B", 100, 20, 0, 2);
        w.rate("ANR", "vehicles_per_day", 240);
        w.stock("ANR", "berths", 2);
        w.lift("SHIP-A", LiftMode::Sea, "ANR", T0 + 6 * H, {a});
        w.lift("SHIP-B", LiftMode::Sea, "ANR", T0 + 6 * H, {b});
        for (auto s : {a, b}) {
            w.staging(s, "SA1", 2);
            w.road(s, "SA1", 3);
        }
        const Schedule sc = w.run();
        CHECK(sc.serials[0].discharged == T0 + 16 * H);
        CHECK(sc.serials[1].discharged == T0 + 26 * H);  // 200 vehicles at 10 an hour
    }
}

TEST_CASE("hns sim: on one ship the priority 1 serial is discharged first", "[hns_sim]") {
    World w;
    const auto low = w.serial("LOW", 50, 20, 0, 2), high = w.serial("HIGH", 50, 20, 0, 1);
    w.rate("ANR", "vehicles_per_day", 240);
    w.lift("SHIP1", LiftMode::Sea, "ANR", T0 + 6 * H, {low, high});  // listed first, yet second
    for (auto s : {low, high}) {
        w.staging(s, "SA1", 2);
        w.road(s, "SA1", 3);
    }
    const Schedule sc = w.run();
    CHECK(sc.serials[1].discharged == T0 + 11 * H);  // HIGH: 50 at 10 an hour from 06:00
    CHECK(sc.serials[0].discharged == T0 + 16 * H);  // LOW: after it
}

TEST_CASE("hns sim: marry-up waits for pax flown in after the vehicles", "[hns_sim]") {
    World w;
    const auto s = w.serial("S1", 20, 20, 100, 1, 12);
    w.rate("ANR", "vehicles_per_day", 240);
    w.rate("MEL", "pax_per_day", 2400);  // 100 an hour
    w.stock("MEL", "mog_wide_body", 1);
    w.stock("SA1", "beds", 500);
    w.lift("SHIP1", LiftMode::Sea, "ANR", T0 + 6 * H, {s});
    w.lift("FLIGHT1", LiftMode::Air, "MEL", T0 + 20 * H, {s});
    w.staging(s, "SA1", 1);
    w.road(s, "SA1", 3);
    const Schedule sc = w.run();
    const SerialSchedule& r = sc.serials[0];
    CHECK(r.discharged == T0 + 8 * H);  // 20 vehicles: 06:00-08:00
    CHECK(r.arrived == T0 + 20 * H);    // its last lift
    // Pax: off the flight 20:00-21:00, at staging 22:00; ready 12 h later.
    CHECK(r.at_staging == T0 + 22 * H);
    CHECK(r.ready == T0 + D + 10 * H);
    bool vehicles_moved = false;
    for (const auto& m : sc.movements)
        if (m.to == "SA1" && m.elements == 20) vehicles_moved = m.arrive == T0 + 9 * H;
    CHECK(vehicles_moved);
    // Beds are reserved when the vehicles come ashore and freed when the last one leaves.
    const Utilisation& beds = util(sc, "SA1", "beds");
    CHECK(beds.used[6] == Approx(0));
    CHECK(beds.used[7] == Approx(100));  // reserved as the vehicles finish at 08:00
    CHECK(beds.used[33] == Approx(100));
    CHECK(beds.used[34] == Approx(0));  // its one march unit leaves at 10:00 on day 1
}

namespace {
// 32 tracked items of 73 t from a home station by road column: at staging 02:00, ready
// 06:00, at the terminal 07:00; paths at 00:00, 06:00, 12:00 and 18:00.
World rail_world(int wagons) {
    World w;
    const auto s = w.serial("ARMD", 32, 73, 0, 1, 4, ItemClass::Tracked);
    w.lift("COLUMN", LiftMode::Road, "HOME", T0, {s});
    w.staging(s, "SA1", 2);
    w.rail(s, "SA1", "TERM", 1, 10);
    w.d.rail.max_train_length_m = 600;
    w.d.rail.max_train_mass_t = 1600;
    w.d.rail.locomotive_length_m = 20;
    w.d.rail.wagon = {20, 80, 25};
    w.d.rail.paths_per_day = 4;
    w.d.rail.wagons_available = wagons;
    w.d.rail.wagon_turnaround_h = 48;
    return w;
}
}  // namespace

TEST_CASE("hns sim: rail make-up by mass, train paths, the finite wagon fleet", "[hns_sim]") {
    SECTION("100 wagons: two trains of 16 on the first two paths after arrival at the terminal") {
        World w = rail_world(100);
        const Schedule sc = w.run();
        REQUIRE(sc.trains.size() == 2);
        // min(floor((600 - 20) / 20), floor(1600 / (25 + 73))) = min(29, 16) = 16.
        for (const auto& t : sc.trains) {
            CHECK(t.wagons == 16);
            CHECK(t.length_m == Approx(20 + 16 * 20));
            CHECK(t.mass_t == Approx(16 * 98));
            CHECK(t.terminal == "TERM");
            CHECK(t.serials == std::vector<std::string>{"ARMD"});
        }
        CHECK(sc.trains[0].id == "T1");
        CHECK(sc.trains[1].id == "T2");
        CHECK(sc.trains[0].departure == T0 + 12 * H);
        CHECK(sc.trains[1].departure == T0 + 18 * H);
        const SerialSchedule& s = sc.serials[0];
        CHECK(s.ready == T0 + 6 * H);
        CHECK(s.departed == T0 + 6 * H);
        CHECK(s.mode == "rail");
        CHECK(s.terminal == "TERM");
        CHECK(s.closed == T0 + D + 4 * H);  // 18:00 + 10 h
    }
    SECTION("20 wagons, 48 h turnaround: the second train waits for the wagons") {
        World w = rail_world(20);
        const Schedule sc = w.run();
        REQUIRE(sc.trains.size() == 2);
        CHECK(sc.trains[0].departure == T0 + 12 * H);
        CHECK(sc.trains[1].departure == T0 + 2 * D + 12 * H);  // the wagons are back at 12:00 on day 2
        CHECK(sc.trains[1].wagons == 16);
        CHECK(sc.serials[0].closed == T0 + 2 * D + 22 * H);
    }
    SECTION("trains_per_day 1 sends one train a day") {
        World w = rail_world(100);
        w.rate("TERM", "trains_per_day", 1);
        const Schedule sc = w.run();
        REQUIRE(sc.trains.size() == 2);
        CHECK(sc.trains[1].departure == T0 + D);  // day 1's first path, 00:00
        CHECK(util(sc, "TERM", "trains_per_day").used[12] == 1);
    }
    SECTION("an item heavier than the wagon's payload never leaves, and says so") {
        World w = rail_world(100);
        w.d.rail.wagon.payload_t = 70;
        const Schedule sc = w.run();
        CHECK(sc.trains.empty());
        CHECK(sc.serials[0].closed == 0);
        CHECK(sc.closure == 0);
        CHECK(sc.serials[0].why.find("wagon payload at TERM") != std::string::npos);
    }
}

namespace {
// 60 vehicles from a home station: at staging 02:00, ready 06:00 (4 h dwell); 3 h to
// the border.
World road_world(int slots_per_day, int cleared = 0) {
    World w;
    const auto s = w.serial("MECH", 60, 15, 0, 1, 4);
    w.lift("COLUMN", LiftMode::Road, "HOME", T0, {s});
    w.staging(s, "SA1", 2);
    w.road(s, "SA1", 3, "BORDER-NL", cleared);
    w.d.road.vehicles_per_march_unit = 20;
    w.d.road.march_units_per_hour = 2;
    Border b;
    b.site = "BORDER-NL";
    b.slots_per_day = slots_per_day;
    w.d.borders.push_back(b);
    return w;
}
std::vector<Time> departures(const Schedule& sc, const std::string& from) {
    std::vector<Time> v;
    for (const auto& m : sc.movements)
        if (m.from == from) v.push_back(m.depart);
    return v;
}
}  // namespace

TEST_CASE("hns sim: march units and border slots", "[hns_sim]") {
    SECTION("three march units half an hour apart, all across on the day") {
        World w = road_world(4);
        const Schedule sc = w.run();
        // The headway is kept exactly inside the 1 h period: no adaptation is needed.
        CHECK(departures(sc, "SA1") == std::vector<Time>{T0 + 6 * H, T0 + 6 * H + 1800, T0 + 7 * H});
        CHECK(sc.serials[0].crossed == T0 + 10 * H);
        CHECK(sc.serials[0].closed == T0 + 10 * H);
    }
    SECTION("two slots a day: the third march unit crosses at midnight") {
        World w = road_world(2);
        const Schedule sc = w.run();
        CHECK(sc.serials[0].crossed == T0 + D);
        CHECK(sc.serials[0].closed == T0 + D);
    }
    SECTION("border slots_per_day as a capacity, 1 a day, lower than the border's 4") {
        World w = road_world(4);
        w.rate("BORDER-NL", "slots_per_day", 1);
        const Schedule sc = w.run();
        CHECK(sc.serials[0].crossed == T0 + 2 * D);  // 09:00 day 0, 00:00 day 1, 00:00 day 2
        CHECK(util(sc, "BORDER-NL", "slots_per_day").used[9] == 1);
        CHECK(util(sc, "BORDER-NL", "slots_per_day").queue[10] == 2);
    }
    SECTION("clearance from 12:00: the first two cross at 12:00") {
        World w = road_world(2, 12);
        const Schedule sc = w.run();
        CHECK(sc.serials[0].crossed == T0 + D);
        World w4 = road_world(4, 12);
        CHECK(w4.run().serials[0].crossed == T0 + 12 * H);
    }
    SECTION("step 24 h: the march units still keep their headway within the day") {
        World w(10, 24);
        const auto s = w.serial("MECH", 60, 15, 0, 1, 0);
        w.lift("COLUMN", LiftMode::Road, "HOME", T0, {s});
        w.staging(s, "SA1", 2);
        w.road(s, "SA1", 3);
        w.d.road.vehicles_per_march_unit = 20;
        w.d.road.march_units_per_hour = 2;
        const Schedule sc = w.run();
        CHECK(departures(sc, "SA1") == std::vector<Time>{T0 + 2 * H, T0 + 2 * H + 1800, T0 + 3 * H});
        CHECK(sc.serials[0].closed == T0 + 6 * H);
    }
}

TEST_CASE("hns sim: flights unload at the airbase's tonnage and pax rates, one MOG", "[hns_sim]") {
    World w;
    const auto a = w.serial("AIR1", 10, 20, 50), b = w.serial("AIR2", 5, 20, 0);
    w.rate("MEL", "cargo_t_per_day", 1200);  // 50 t an hour
    w.rate("MEL", "pax_per_day", 480);       // 20 an hour
    w.stock("MEL", "mog_wide_body", 1);
    w.lift("C17-1", LiftMode::Air, "MEL", T0 + 10 * H, {a});
    w.lift("C17-2", LiftMode::Air, "MEL", T0 + 10 * H, {b});
    for (auto s : {a, b}) {
        w.staging(s, "SA1", 1);
        w.road(s, "SA1", 3);
    }
    const Schedule sc = w.run();
    // AIR1: 200 t at 50 t/h, 10:00-14:00; its 50 pax at 20/h: 20, 20, 10, off at 13:00.
    CHECK(sc.serials[0].discharged == T0 + 14 * H);
    CHECK(sc.serials[0].at_staging == T0 + 15 * H);
    // AIR2 waits for the one MOG slot until 14:00, then 100 t in 2 h.
    CHECK(sc.serials[1].discharged == T0 + 16 * H);
    const Utilisation& mog = util(sc, "MEL", "mog_wide_body");
    CHECK(mog.used[10] == 1);
    CHECK(mog.queue[10] == 1);
    CHECK(mog.queue[14] == 0);
    CHECK(util(sc, "MEL", "pax_per_day").used[12] == Approx(10));
    bool pax_moved = false;
    for (const auto& m : sc.movements)
        if (m.serial == "AIR1" && m.pax == 50 && m.elements == 0) pax_moved = m.depart == T0 + 13 * H;
    CHECK(pax_moved);
}

TEST_CASE("hns sim: a full staging area sends the serial to the next one", "[hns_sim]") {
    World w = reference(0);
    w.stock("SA1", "vehicle_parking", 50);
    w.stock("SA2", "vehicle_parking", 200);
    w.staging(0, "SA2", 4);
    w.road(0, "SA2", 1);
    const Schedule sc = w.run();
    CHECK(sc.serials[0].staging == "SA2");
    CHECK(sc.serials[0].at_staging == T0 + 20 * H);  // 16:00 + 4 h
    CHECK(sc.serials[0].closed == T0 + 20 * H + 90 * 60 + 1 * H);
    // Held from 16:00 (reserved as it leaves the port), at the end of each period.
    const Utilisation& park = util(sc, "SA2", "vehicle_parking");
    CHECK(park.used[14] == 0);
    CHECK(park.used[15] == 100);
    CHECK(park.used[19] == 100);
    CHECK(park.used[20] == 50);  // two march units left at 20:00 and 20:30
    CHECK(park.used[21] == 0);
    CHECK(util(sc, "SA1", "vehicle_parking").used[15] == 0);
}

TEST_CASE("hns sim: containers two to a wagon, and closed ramps hold the train", "[hns_sim]") {
    World w = rail_world(100);
    w.d.serials[0].items = {{ItemClass::Container, 40, 30, 12.2, 2.4, 2.6, 0}};
    w.d.rail.max_train_length_m = 740;
    w.d.rail.wagon.payload_t = 70;
    SECTION("18 wagons of two 30 t containers: 1,600 t / (25 + 60) t binds before 36 wagons of length") {
        const Schedule sc = w.run();
        REQUIRE(sc.trains.size() == 2);
        CHECK(sc.trains[0].wagons == 18);
        CHECK(sc.trains[0].mass_t == Approx(18 * 85));
        CHECK(sc.trains[1].wagons == 2);
        CHECK(sc.trains[1].departure == T0 + 18 * H);
        int first = 0;
        for (const auto& m : sc.movements)
            if (m.mode == "rail" && m.depart == T0 + 12 * H) first = m.elements;
        CHECK(first == 36);
    }
    SECTION("loading_ramps 0 from 12:00 to 19:00") {
        const auto k = w.stock("TERM", "loading_ramps", 1);
        w.close(k, 12, 19);
        const Schedule sc = w.run();
        REQUIRE(sc.trains.size() == 2);
        CHECK(sc.trains[0].departure == T0 + D);  // 12:00 and 18:00 have no ramp
        CHECK(sc.trains[1].departure == T0 + D + 6 * H);
        CHECK(util(sc, "TERM", "loading_ramps").queue[12] == 20);
    }
}

TEST_CASE("hns sim: a serial that cannot close says what held it", "[hns_sim]") {
    SECTION("parking too small") {
        World w = reference();
        w.stock("SA1", "vehicle_parking", 50);
        const Schedule sc = w.run();
        CHECK(sc.serials[0].discharged == T0 + 16 * H);
        CHECK(sc.serials[0].at_staging == 0);
        CHECK(sc.serials[0].closed == 0);
        CHECK(sc.closure == 0);
        CHECK(sc.serials[0].why.find("vehicle_parking at SA1") != std::string::npos);
        CHECK(sc.serials[0].late_h == Approx(7 * 24));  // RDD day 3, horizon 10 days
        CHECK(util(sc, "SA1", "vehicle_parking").queue[20] == 100);
    }
    SECTION("lift after the horizon") {
        World w = reference();
        w.d.lift[0].eta = T0 + 20 * D;
        const Schedule sc = w.run();
        CHECK(sc.serials[0].closed == 0);
        CHECK(sc.serials[0].why.find("SHIP1") != std::string::npos);
    }
    SECTION("border never cleared") {
        World w = road_world(4, 100000);
        const Schedule sc = w.run();
        CHECK(sc.serials[0].closed == 0);
        CHECK(sc.serials[0].why.find("border clearance at BORDER-NL") != std::string::npos);
    }
    SECTION("parking frees as the first serial leaves: the second follows") {
        World w = reference(24);
        const auto b = w.serial("S2", 100, 20, 0, 2, 0);
        w.d.lift[0].serials.push_back("S2");
        w.r.itineraries[b].entry = "ANR";
        w.staging(b, "SA1", 2);
        w.road(b, "SA1", 3);
        w.stock("SA1", "vehicle_parking", 100);
        const Schedule sc = w.run();
        // S1: ashore 16:00, staging 18:00, ready 18:00 on day 1, march units 18:00-19:30.
        // S2 is ashore at 02:00 on day 1 but the 100 places are S1's until its last march
        // unit leaves at 19:30: S2 reserves in the next period, 20:00, and is at staging
        // at 22:00; its march units leave 22:00-23:30 and are there 3 h later.
        CHECK(sc.serials[1].discharged == T0 + 26 * H);
        CHECK(sc.serials[1].at_staging == T0 + D + 22 * H);
        CHECK(sc.serials[0].closed == T0 + D + 22 * H + 1800);
        CHECK(sc.closure == T0 + D + 26 * H + 1800);
        CHECK(util(sc, "SA1", "vehicle_parking").queue[30] == 100);
        CHECK(util(sc, "SA1", "vehicle_parking").used[30] == 100);
    }
}

TEST_CASE("hns sim: Monte Carlo replications", "[hns_sim]") {
    World w = reference(6);
    const auto b = w.serial("S2", 60, 20, 0, 2, 6);
    w.lift("SHIP2", LiftMode::Sea, "ANR", T0 + 12 * H, {b}, 12);
    w.d.lift[0].eta_spread_h = 12;
    w.staging(b, "SA1", 2);
    w.road(b, "SA1", 3);
    w.r.deployment = &w.d;
    const auto runs = replicate(w.r, w.d, 50, 42);
    REQUIRE(runs.size() == 50);
    const auto stats = closure_percentiles(runs);
    REQUIRE(stats.size() == 2);
    for (const auto& s : stats) {
        CHECK(s.replications == 50);
        CHECK(s.closed == 50);
        CHECK(s.p50 > 0);
        CHECK(s.p90 >= s.p50);
    }
    // The unperturbed S1 closes 06:00 + 10 h + 2 h + 6 h + 1.5 h + 3 h = 04:30 day 1; its ETA
    // moves by at most 12 h and its rate by 10 %, so it closes within a day of that.
    const Time base = w.run().serials[0].closed;
    CHECK(base == T0 + D + 4 * H + 1800);
    for (const auto& r : runs) CHECK(std::llabs(r.serials[0].closed - base) < D);
    // Not all alike: the draws do move it.
    bool differs = false;
    for (const auto& r : runs) differs = differs || r.serials[0].closed != runs[0].serials[0].closed;
    CHECK(differs);
    // Same seed, same schedules.
    const auto again = replicate(w.r, w.d, 50, 42);
    for (std::size_t k = 0; k < runs.size(); ++k)
        for (std::size_t i = 0; i < 2; ++i) CHECK(again[k].serials[i].closed == runs[k].serials[i].closed);
    const auto again_stats = closure_percentiles(again);
    CHECK(again_stats[0].p90 == stats[0].p90);
    SimOptions o;
    o.seed = 7;
    o.perturb = true;
    CHECK(w.run(o).serials[1].ready == w.run(o).serials[1].ready);
}

TEST_CASE("hns sim: invariants on a busy deployment (perturbed)", "[hns_sim]") {
    // 60 serials through two ports and an airbase, two staging areas, a terminal and a
    // border, all contending: no capacity is ever exceeded (rates per period, trains and
    // slots per day, stocks at once), each timetable runs forward, trains keep to their
    // limits and the wagon fleet.
    World w(20);
    w.rate("ANR", "vehicles_per_day", 300);
    w.stock("ANR", "berths", 1);
    w.rate("ZEE", "vehicles_per_day", 150);
    w.stock("ZEE", "berths", 2);
    w.rate("MEL", "cargo_t_per_day", 600);
    w.rate("MEL", "pax_per_day", 1000);
    w.stock("MEL", "mog_wide_body", 2);
    w.stock("SA1", "vehicle_parking", 150);
    w.stock("SA1", "beds", 600);
    w.stock("SA2", "vehicle_parking", 120);
    w.stock("SA2", "beds", 400);
    w.rate("TERM", "trains_per_day", 3);
    w.stock("TERM", "loading_ramps", 1);
    w.rate("BORDER", "slots_per_day", 6);
    w.d.rail.wagons_available = 40;
    w.d.rail.wagon_turnaround_h = 30;
    w.d.road.vehicles_per_march_unit = 15;
    w.d.road.march_units_per_hour = 3;
    const char* entries[] = {"ANR", "ZEE", "MEL"};
    const LiftMode modes[] = {LiftMode::Sea, LiftMode::Sea, LiftMode::Air};
    for (int k = 0; k < 60; ++k) {
        const int e = k % 3;
        const auto s = w.serial("S" + std::to_string(k), 5 + (k * 7) % 40, 10 + (k * 13) % 60, (k * 17) % 120,
                                1 + k % 3, (k * 5) % 30, k % 4 == 0 ? ItemClass::Tracked : ItemClass::Wheeled);
        w.lift("L" + std::to_string(k), modes[e], entries[e], T0 + static_cast<Time>((k * 11) % 96) * H, {s}, 18);
        w.staging(s, "SA1", 2 + k % 3);
        w.staging(s, "SA2", 3);
        if (k % 2 == 0) {
            w.rail(s, "SA1", "TERM", 1.5, 9);
            w.rail(s, "SA2", "TERM", 2, 9);
            w.r.itineraries[s].border = "BORDER";
            w.d.serials[s].destination = "BORDER";
            w.r.itineraries[s].cleared = 30;
        } else {
            w.road(s, "SA1", 4.5, "BORDER", 30);
            w.road(s, "SA2", 5, "BORDER", 30);
        }
    }
    w.r.deployment = &w.d;
    for (const auto& sc : replicate(w.r, w.d, 5, 99)) {
        for (const auto& u : sc.utilisation) {
            const bool daily = u.key == "trains_per_day" || u.key == "slots_per_day";
            if (!daily)
                for (std::size_t p = 0; p < u.used.size(); ++p) CHECK(u.used[p] <= u.capacity[p] + 1e-6);
            else
                for (std::size_t d0 = 0; d0 + 24 <= u.used.size(); d0 += 24) {
                    double used = 0, cap = 0;
                    for (std::size_t p = d0; p < d0 + 24; ++p) {
                        used += u.used[p];
                        cap += u.capacity[p];
                    }
                    CHECK(used <= cap + 1e-6);
                }
        }
        int closed = 0;
        for (const auto& s : sc.serials) {
            if (s.closed == 0) {
                // What held it is a capacity, not a stage of the journey: the airbase is
                // overloaded (about 40 days of tonnage for 20), the fleet is short.
                CHECK(s.why.find("on the road") == std::string::npos);
                CHECK(!s.why.empty());
                continue;
            }
            ++closed;
            CHECK(s.arrived <= s.discharged);
            CHECK(s.discharged <= s.at_staging);
            CHECK(s.at_staging <= s.ready);
            CHECK(s.ready <= s.departed);
            CHECK(s.departed < s.crossed);
            CHECK(s.crossed == s.closed);
            CHECK(s.closed >= T0 + 30 * H);  // cleared from period 30
            CHECK((sc.closure == 0 || s.closed <= sc.closure));
        }
        CHECK(closed > 40);
        for (const auto& t : sc.trains) {
            CHECK(t.wagons <= 40);
            CHECK(t.length_m <= 740 + 1e-9);
            CHECK(t.mass_t <= 1600 + 1e-9);
            // One wagon per 15 t of tare and a load of 10-69 t: the mass limit holds each train.
            CHECK(t.mass_t >= t.wagons * 35 - 1e-9);
        }
        // Wagons out at any time never exceed the fleet: each train's wagons are away
        // for 30 h from its departure.
        for (const auto& t : sc.trains) {
            int out = 0;
            for (const auto& u : sc.trains)
                if (u.departure <= t.departure && t.departure < u.departure + 30 * H) out += u.wagons;
            CHECK(out <= 40);
        }
    }
}

TEST_CASE("hns sim: nearest-rank percentiles", "[hns_sim]") {
    std::vector<Schedule> runs(10);
    for (int k = 0; k < 10; ++k) {
        SerialSchedule s;
        s.id = "S";
        s.closed = k == 9 ? 0 : T0 + (k + 1) * H;  // 1 h ... 9 h, and one not closed
        runs[static_cast<std::size_t>(k)].serials.push_back(s);
    }
    const auto st = closure_percentiles(runs);
    REQUIRE(st.size() == 1);
    CHECK(st[0].p50 == T0 + 5 * H);  // the 5th of 10
    CHECK(st[0].p90 == T0 + 9 * H);  // the 9th; the 10th is the one that did not close
    CHECK(st[0].closed == 9);
}

TEST_CASE("hns sim: cancellation is polled once a simulated day", "[hns_sim]") {
    World w = reference();
    int polls = 0;
    w.run({}, [&] {
        ++polls;
        return false;
    });
    CHECK(polls == 10);
    polls = 0;
    CHECK_THROWS_WITH(w.run({}, [&] { return ++polls == 3; }), "cancelled");
    CHECK(polls == 3);
}

TEST_CASE("hns sim: inconsistent problems are refused with what is wrong", "[hns_sim]") {
    SECTION("a capacity series shorter than the horizon") {
        World w = reference();
        w.r.capacities[0].per_period.resize(10);
        CHECK_THROWS_WITH(w.run(), Catch::Contains("capacities[0] (ANR, vehicles_per_day)"));
    }
    SECTION("a negative capacity") {
        World w = reference();
        w.r.capacities[1].per_period[3] = -1;
        CHECK_THROWS_WITH(w.run(), Catch::Contains("period 3"));
    }
    SECTION("itineraries not matching the serials") {
        World w = reference();
        w.r.itineraries.clear();
        CHECK_THROWS_AS(w.run(), std::invalid_argument);
    }
    SECTION("a figure that is not finite, named by its path") {
        World w = reference();
        w.r.itineraries[0].onward[0].to_destination.hours = std::numeric_limits<double>::infinity();
        CHECK_THROWS_WITH(w.run(), Catch::Contains("itineraries[0].onward[0].to_destination.hours"));
        World v = reference();
        v.d.serials[0].items[0].count = -3;
        CHECK_THROWS_WITH(v.run(), Catch::Contains("serials[0].items[0].count"));
    }
    SECTION("a serial with nothing to move") {
        World w = reference();
        w.d.serials[0].items.clear();
        CHECK_THROWS_WITH(w.run(), Catch::Contains("serial S1"));
    }
}
