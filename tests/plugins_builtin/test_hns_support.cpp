// SPDX-License-Identifier: MIT
// hns-capacity 2's host-nation support (plugins/hns_capacity/support.*): the diplomatic
// clearances of serials bound for a border crossing and the life support each site must
// give, on small deployments resolved and simulated end to end (hns::resolve over a tiny
// catalogue and hand-given link times, then hns::simulate), with the timetables and the
// needs worked out by hand in the comments.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "calendar.hpp"
#include "rsom.hpp"
#include "simulate.hpp"
#include "support.hpp"

using namespace hns;

namespace {

constexpr Time kHour = 3600;
constexpr Time kDay = 86400;

Time date(int y, int m, int d) { return detail::days_from_civil(y, m, d) * kDay; }

// A port (240 vehicles a day: 10 an hour), a staging area, a training area and a border.
Catalogue catalogue(double sa_parking = 100) {
    Catalogue c;
    auto add = [&](const std::string& id, const std::string& kind, std::map<std::string, double> numbers) {
        c[id] = CatalogueSite{id, kind, id, std::move(numbers), {}};
    };
    add("port", "port", {{"berths", 4}, {"vehicles_per_day", 240}});
    add("sa", "staging_area", {{"beds", 200}, {"vehicle_parking", sa_parking}, {"fuel_storage_m3", 3}});
    add("camp", "training_area", {{"beds", 80}, {"vehicle_parking", 50}});
    add("border", "border_crossing", {});
    add("rt", "rail_terminal", {{"trains_per_day", 12}, {"loading_ramps", 2}});
    return c;
}

// Port to staging 2 h, staging to the border 4 h, staging to the camp 3 h, staging to the
// rail terminal 1 h, all by road; the terminal to the camp 5 h by rail.
Link links(const std::string& from, const std::string& to, Onward mode, const Serial&) {
    auto ok = [](double h) { return Link{true, h, 60 * h, {}}; };
    if (mode == Onward::Rail) return from == "rt" && to == "camp" ? ok(5) : Link{false, 0, 0, "no rail link"};
    if (from == "sa" && to == "rt") return ok(1);
    if (from == "port" && to == "sa") return ok(2);
    if (from == "sa" && to == "border") return ok(4);
    if (from == "sa" && to == "camp") return ok(3);
    return Link{false, 0, 0, "no link in this test"};
}

Serial serial(const std::string& id, int vehicles, int pax, Time rdd, const std::string& dest, double dwell_h,
              int priority = 1) {
    Serial s;
    s.id = id, s.nation = "US", s.priority = priority, s.rdd = rdd, s.destination = dest;
    s.onward = Onward::Road, s.dwell_h = dwell_h, s.staging = "sa";
    if (vehicles > 0) s.items.push_back({ItemClass::Wheeled, vehicles, 15, 7, 2.5, 3, 20});
    if (pax > 0) s.items.push_back({ItemClass::Pax, pax, 0, 0, 0, 0, 0});
    return s;
}

// Every serial on one ship at the port at 06:00 on the start day.
Deployment deployment(Time start, std::vector<Serial> serials, int horizon_days = 20) {
    Deployment d;
    d.start = start;
    d.horizon_days = horizon_days;
    Lift ship{"ship-1", LiftMode::Sea, "port", start + 6 * kHour, 0, {}};
    for (const auto& s : serials) ship.serials.push_back(s.id);
    d.serials = std::move(serials);
    d.lift = {ship};
    d.road.march_units_per_hour = 2, d.road.vehicles_per_march_unit = 25;
    d.borders = {Border{"border", 4, 5}};
    return d;
}

struct Run {
    Deployment d;
    Catalogue c;
    Rsom r;
    Schedule s;
    Run(Deployment dep, Catalogue cat) : d(std::move(dep)), c(std::move(cat)) {
        r = resolve(d, c, links);
        s = simulate(r, d);
    }
};

const SerialSchedule& of(const Schedule& s, const std::string& id) {
    for (const auto& x : s.serials)
        if (x.id == id) return x;
    FAIL("no serial " << id);
    throw;
}

}  // namespace

// ---- clearances

TEST_CASE("hns support: 5 working days filed on Friday 2027-03-05 clear on Friday 2027-03-12", "[hns][support]") {
    // Start Friday 2027-03-05. S1 (20 vehicles) is ashore by 08:00 (10 an hour from
    // 06:00), at staging at 10:00, ready after 24 h on Saturday 10:00, at the border at
    // 14:00 and waits there: the request filed at start counts Mon 8, Tue 9, Wed 10,
    // Thu 11, Fri 12 and clears at 00:00 on Friday 12th, when S1 crosses.
    const Time start = date(2027, 3, 5);
    CHECK(detail::weekday(detail::day_of(start)) == 5);
    Run run(deployment(start, {serial("S1", 20, 0, date(2027, 3, 15), "border", 24)}), catalogue());
    CHECK(of(run.s, "S1").crossed == date(2027, 3, 12));

    const auto rows = clearances(run.d, run.r, run.s);
    REQUIRE(rows.size() == 1);
    const ClearanceRow& c = rows[0];
    CHECK(c.border == "border");
    CHECK(c.serial == "S1");
    CHECK(c.lead_working_days == 5);
    CHECK(c.earliest_crossing == date(2027, 3, 12));
    CHECK(c.planned_crossing == date(2027, 3, 12));
    // The latest filing for a crossing on Friday 12th 00:00 is Sunday the 7th (a request
    // filed on Saturday or Sunday counts from Monday as Friday's does; Monday's would
    // clear on Monday 15th); a staff filing on working days files on Friday the 5th.
    CHECK(c.filing_deadline == date(2027, 3, 7));
    CHECK(c.file_by == date(2027, 3, 5));
    CHECK(earliest_crossing(run.d.working_calendar, c.filing_deadline + 23 * kHour, 5) == date(2027, 3, 12));
    CHECK(earliest_crossing(run.d.working_calendar, c.filing_deadline + kDay, 5) == date(2027, 3, 15));
    CHECK(c.in_time);
    CHECK(c.note.empty());
    CHECK(iso_date(c.filing_deadline) == "2027-03-07");
}

TEST_CASE("hns support: Easter Monday 2027-03-29 moves the clearance on by a day", "[hns][support]") {
    // Start Monday 2027-03-22: Tue 23, Wed 24, Thu 25, Fri 26, then Monday 29th is Easter
    // Monday, so the fifth working day is Tuesday 30th (Monday 29th without holidays).
    const Time start = date(2027, 3, 22);
    SECTION("with the Belgian holidays") {
        Run run(deployment(start, {serial("S1", 20, 0, date(2027, 4, 5), "border", 24)}), catalogue());
        const auto rows = clearances(run.d, run.r, run.s);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].earliest_crossing == date(2027, 3, 30));
        CHECK(rows[0].planned_crossing == date(2027, 3, 30));  // at the border since the 23rd 14:00
        // Filed on Tuesday 23rd it would count to Wednesday 31st: the deadline is the start.
        CHECK(rows[0].filing_deadline == date(2027, 3, 22));
        CHECK(rows[0].file_by == date(2027, 3, 22));
        CHECK(rows[0].in_time);
        CHECK(rows[0].note.empty());
    }
    SECTION("without them") {
        Deployment d = deployment(start, {serial("S1", 20, 0, date(2027, 4, 5), "border", 24)});
        d.working_calendar.belgian_holidays = false;
        Run run(d, catalogue());
        const auto rows = clearances(run.d, run.r, run.s);
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].earliest_crossing == date(2027, 3, 29));
        CHECK(rows[0].planned_crossing == date(2027, 3, 29));
        CHECK(rows[0].filing_deadline == date(2027, 3, 22));
    }
}

TEST_CASE("hns support: a serial whose RDD is before its earliest crossing is flagged with the reason",
          "[hns][support]") {
    // Start Monday 2027-03-01: cleared Monday 8th (Tue 2 .. Mon 8). The border takes one
    // march unit a day. S1 (RDD Friday 5th) and S2 (RDD Monday 8th 12:00) wait at the
    // border from the 2nd; S1 arrived first and crosses on the 8th at 00:00, S2 on the 9th
    // at 00:00 (the 8th's slot is gone): in time for its clearance, late for the slot.
    // S3 goes to the camp: no border, no row.
    const Time start = date(2027, 3, 1);
    Deployment d = deployment(start, {serial("S1", 20, 0, date(2027, 3, 5), "border", 24),
                                      serial("S2", 20, 0, date(2027, 3, 8) + 12 * kHour, "border", 24, 2),
                                      serial("S3", 20, 0, date(2027, 3, 8), "camp", 24, 3)});
    d.borders[0].slots_per_day = 1;
    Run run(d, catalogue());
    CHECK(of(run.s, "S1").crossed == date(2027, 3, 8));
    CHECK(of(run.s, "S2").crossed == date(2027, 3, 9));

    auto rows = clearances(run.d, run.r, run.s);
    REQUIRE(rows.size() == 2);
    const ClearanceRow& s1 = rows[0];
    CHECK(s1.serial == "S1");
    CHECK(s1.earliest_crossing == date(2027, 3, 8));
    CHECK_FALSE(s1.in_time);
    CHECK(s1.note == "clearance needs 5 working days: earliest crossing 2027-03-08 after RDD 2027-03-05");
    // For the planned crossing on the 8th the request must be in on the start day (the
    // 2nd's would clear on the 9th).
    CHECK(s1.filing_deadline == date(2027, 3, 1));

    const ClearanceRow& s2 = rows[1];
    CHECK(s2.serial == "S2");
    CHECK(s2.in_time);
    CHECK(s2.planned_crossing == date(2027, 3, 9));
    CHECK(s2.note == "planned crossing 2027-03-09 after RDD 2027-03-08T12:00:00Z");
    // For the 9th: filed Tuesday 2nd it counts Wed 3, Thu 4, Fri 5, Mon 8, Tue 9.
    CHECK(s2.filing_deadline == date(2027, 3, 2));

    SECTION("no crossing in the schedule: the deadline for the RDD, before the start") {
        Schedule s = run.s;
        for (auto& x : s.serials) x.crossed = 0;
        rows = clearances(run.d, run.r, s);
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].planned_crossing == 0);
        // To cross on Friday 5th a request had to be filed by Sunday 28 February (Mon 1
        // .. Fri 5); Friday 26th for a staff filing on working days.
        CHECK(rows[0].filing_deadline == date(2027, 2, 28));
        CHECK(rows[0].file_by == date(2027, 2, 26));
        CHECK(rows[0].note ==
              "clearance needs 5 working days: earliest crossing 2027-03-08 after RDD 2027-03-05; not across by the "
              "horizon: filing deadline for the RDD; filing deadline 2027-02-28 before the start 2027-03-01");
        CHECK_FALSE(rows[0].in_time);
    }
}

TEST_CASE("hns support: a border without a borders entry needs no clearance", "[hns][support]") {
    const Time start = date(2027, 3, 1);
    Deployment d = deployment(start, {serial("S1", 20, 0, date(2027, 3, 5), "border", 24)});
    d.borders.clear();
    Run run(d, catalogue());
    const auto rows = clearances(run.d, run.r, run.s);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].lead_working_days == 0);
    CHECK(rows[0].earliest_crossing == start);
    // Ready on the 2nd at 10:00, across at 14:00; with no lead the request is due that day.
    CHECK(rows[0].planned_crossing == date(2027, 3, 2) + 14 * kHour);
    CHECK(rows[0].filing_deadline == date(2027, 3, 2));
    CHECK(rows[0].in_time);
    CHECK(rows[0].note.empty());

    SECTION("an RDD before the start is late whatever the lead") {
        Deployment d2 = d;
        d2.serials[0].rdd = start - kDay;
        const auto late = clearances(d2, run.r, run.s);
        REQUIRE(late.size() == 1);
        CHECK_FALSE(late[0].in_time);
        CHECK(late[0].note == "RDD 2027-02-28 before the start 2027-03-01");  // late by that alone
    }
}

// ---- life support

namespace {

const LifeSupportRow& row(const std::vector<LifeSupportRow>& rows, const std::string& site, const std::string& day) {
    for (const auto& r : rows)
        if (r.site == site && r.date == day) return r;
    FAIL("no row for " << site << " on " << day);
    throw;
}

}  // namespace

TEST_CASE("hns support: 100 pax and 20 vehicles held 36 h at a staging area with 80 beds", "[hns][support]") {
    // Filled by hand: the serial drives from the port to the staging area, in at 10:00 on
    // Monday 2027-03-01, out in one march unit with its pax at 22:00 on Tuesday: 36 h,
    // 14 h of the first day and 22 h of the second. The Rsom has no capacities, so the
    // catalogue's figures count: 80 beds, 100 parking places, 3 m3 of fuel.
    const Time start = date(2027, 3, 1);
    Deployment d = deployment(start, {serial("L1", 20, 100, date(2027, 3, 10), "border", 36)}, 5);
    Catalogue c = catalogue();
    c["sa"].numbers["beds"] = 80;
    Rsom r;
    r.deployment = &d;
    r.step_h = 1;
    r.periods = 5 * 24;
    Itinerary it;
    it.serial = 0, it.lift = 0, it.entry = "port", it.pax_lift = 0, it.pax_entry = "port";
    r.itineraries = {it};
    Schedule s;
    SerialSchedule ss;
    ss.id = "L1", ss.arrived = start + 6 * kHour, ss.discharged = start + 8 * kHour;
    ss.at_staging = start + 10 * kHour, ss.ready = start + 46 * kHour, ss.departed = ss.ready;
    ss.staging = "sa", ss.mode = "road";
    s.serials = {ss};
    // On to the border (not a site that houses anyone): only the staging area has rows.
    s.movements = {{"L1", "road", "port", "sa", start + 8 * kHour, start + 10 * kHour, 20, 100},
                   {"L1", "road", "sa", "border", start + 46 * kHour, start + 49 * kHour, 20, 100}};

    const auto rows = life_support(d, r, c, s);
    REQUIRE(rows.size() == 2);
    const LifeSupportRow& a = row(rows, "sa", "2027-03-01");
    CHECK(a.kind == "staging_area");
    CHECK(a.day == start);
    CHECK(a.persons == 100);
    CHECK(a.vehicles == 20);
    CHECK(a.beds_needed == Approx(100));
    REQUIRE(a.beds);
    CHECK(*a.beds == 80);
    CHECK(a.person_days == Approx(1400.0 / 24));  // 100 persons x 14 h
    CHECK(a.meals == Approx(175));                // 58.33 person-days x 3
    CHECK(a.water_l == Approx(3500.0 / 3));       // x 20 l: 1166.7
    CHECK(a.vehicle_days == Approx(280.0 / 24));  // 20 vehicles x 14 h
    CHECK(a.fuel_l == Approx(7000.0 / 3));        // 11.67 vehicle-days x 200 l: 2333.3
    REQUIRE(a.fuel_capacity_l);
    CHECK(*a.fuel_capacity_l == Approx(3000));
    CHECK(a.shortfall == "beds: 100 needed, 80 available");
    CHECK(a.no_figure == "meals, water");

    const LifeSupportRow& b = row(rows, "sa", "2027-03-02");
    CHECK(b.persons == 100);
    CHECK(b.beds_needed == Approx(100));
    CHECK(b.person_days == Approx(2200.0 / 24));  // 22 h
    CHECK(b.meals == Approx(275));
    CHECK(b.water_l == Approx(5500.0 / 3));  // 1833.3
    CHECK(b.fuel_l == Approx(11000.0 / 3));  // 18.33 vehicle-days x 200: 3666.7, over 3000 l
    CHECK(b.shortfall == "beds: 100 needed, 80 available; fuel: 3666.7 l needed, 3000 l storage");

    const auto sum = life_support_summary(rows);
    REQUIRE(sum.size() == 1);
    CHECK(sum[0].site == "sa");
    CHECK(sum[0].days == 2);
    CHECK(sum[0].peak_persons == 100);
    CHECK(sum[0].peak_beds_needed == Approx(100));
    REQUIRE(sum[0].beds);
    CHECK(*sum[0].beds == 80);
    CHECK(sum[0].days_short == 2);
    CHECK(sum[0].first_short == start);
    CHECK(sum[0].short_items == "beds, fuel");
    CHECK(sum[0].meals == Approx(450));
    CHECK(sum[0].water_l == Approx(3000));
    CHECK(sum[0].fuel_l == Approx(6000));
}

TEST_CASE("hns support: life support from the schedule, at staging and at the training area", "[hns][support]") {
    // L1, 100 pax and 20 vehicles on one ship at 06:00 on Monday 2027-03-01: ashore by
    // 08:00, at the staging area (200 beds) from 10:00, ready after 36 h at 22:00 on
    // Tuesday and off in one march unit, at the camp (a training area, 80 beds: the
    // schedule books no beds at a destination) at 01:00 on Wednesday, there until the
    // horizon's end (4 days: Friday 00:00).
    const Time start = date(2027, 3, 1);
    Deployment d = deployment(start, {serial("L1", 20, 100, date(2027, 3, 10), "camp", 36)}, 4);
    Run run(d, catalogue());
    const SerialSchedule& ss = of(run.s, "L1");
    REQUIRE(ss.at_staging == start + 10 * kHour);
    REQUIRE(ss.departed == start + 46 * kHour);
    REQUIRE(ss.closed == start + 49 * kHour);

    auto rows = life_support(run.d, run.r, run.c, run.s);
    REQUIRE(rows.size() == 4);  // no port row: it drove off as soon as it was ashore
    const LifeSupportRow& a = row(rows, "sa", "2027-03-01");
    CHECK(a.persons == 100);
    CHECK(a.vehicles == 20);
    CHECK(a.meals == Approx(175));  // 14 h
    CHECK(a.water_l == Approx(3500.0 / 3));
    CHECK(a.fuel_l == Approx(7000.0 / 3));
    CHECK(*a.beds == 200);
    CHECK(*a.vehicle_parking == 100);
    CHECK(a.shortfall.empty());
    const LifeSupportRow& b = row(rows, "sa", "2027-03-02");
    CHECK(b.meals == Approx(275));  // 22 h
    CHECK(b.shortfall == "fuel: 3666.7 l needed, 3000 l storage");
    const LifeSupportRow& c = row(rows, "camp", "2027-03-03");
    CHECK(c.kind == "training_area");
    CHECK(c.persons == 100);
    CHECK(c.person_days == Approx(2300.0 / 24));  // 23 h
    CHECK(c.meals == Approx(287.5));
    CHECK(c.water_l == Approx(5750.0 / 3));  // 1916.7
    CHECK(c.fuel_l == Approx(11500.0 / 3));  // 3833.3
    CHECK(c.beds_needed == Approx(100));
    CHECK(c.shortfall == "beds: 100 needed, 80 available");
    CHECK(c.no_figure == "meals, water, fuel");  // the camp has no fuel_storage_m3
    CHECK_FALSE(c.fuel_capacity_l);
    const LifeSupportRow& e = row(rows, "camp", "2027-03-04");
    CHECK(e.meals == Approx(300));
    CHECK(e.water_l == Approx(2000));
    CHECK(e.fuel_l == Approx(4000));

    const auto sum = life_support_summary(rows);
    REQUIRE(sum.size() == 2);
    CHECK(sum[0].site == "camp");
    CHECK(sum[0].days_short == 2);
    CHECK(sum[0].first_short == date(2027, 3, 3));
    CHECK(sum[0].short_items == "beds");
    CHECK(sum[0].no_figure == "meals, water, fuel");
    CHECK(sum[1].site == "sa");
    CHECK(sum[1].days == 2);
    CHECK(sum[1].peak_beds_needed == Approx(100));
    CHECK(*sum[1].beds == 200);
    CHECK(sum[1].days_short == 1);
    CHECK(sum[1].first_short == date(2027, 3, 2));
    CHECK(sum[1].short_items == "fuel");

    SECTION("the beds in force: a calendar exception down to 50 beds on Tuesday") {
        Deployment d2 = d;
        d2.calendar.push_back({"sa", "beds", date(2027, 3, 2), date(2027, 3, 3), 50, "tents struck"});
        Run run2(d2, catalogue());
        REQUIRE(of(run2.s, "L1").departed == start + 46 * kHour);  // booked on Monday, kept
        rows = life_support(run2.d, run2.r, run2.c, run2.s);
        CHECK(row(rows, "sa", "2027-03-01").shortfall.empty());
        CHECK(*row(rows, "sa", "2027-03-02").beds == 50);
        CHECK(row(rows, "sa", "2027-03-02").shortfall ==
              "beds: 100 needed, 50 available; fuel: 3666.7 l needed, 3000 l storage");
    }
    SECTION("other figures a person and a vehicle need") {
        Deployment d2 = d;
        d2.life_support = {2, 4, 25, 150};
        // Two beds a person: 200 needed, the staging area's 200 do (the schedule books 200).
        Run run2(d2, catalogue());
        rows = life_support(run2.d, run2.r, run2.c, run2.s);
        const LifeSupportRow& x = row(rows, "sa", "2027-03-01");
        CHECK(x.beds_needed == Approx(200));
        CHECK(x.meals == Approx(1400.0 / 24 * 4));
        CHECK(x.water_l == Approx(1400.0 / 24 * 25));
        CHECK(x.fuel_l == Approx(280.0 / 24 * 150));  // 1750 l: within 3000
        CHECK(x.shortfall.empty());
    }
}

TEST_CASE("hns support: a serial with no room in staging waits at the port", "[hns][support]") {
    // W1 (20 vehicles, 10 pax) is ashore at 08:00 but the staging area parks 10: it waits
    // at the port to the horizon's end (2 days). The port has no beds, parking or fuel
    // figure: needs, no shortfall.
    const Time start = date(2027, 3, 1);
    Run run(deployment(start, {serial("W1", 20, 10, date(2027, 3, 2), "camp", 0)}, 2), catalogue(10));
    REQUIRE(of(run.s, "W1").staging.empty());
    REQUIRE(of(run.s, "W1").discharged == start + 8 * kHour);
    const auto rows = life_support(run.d, run.r, run.c, run.s);
    REQUIRE(rows.size() == 2);
    const LifeSupportRow& a = row(rows, "port", "2027-03-01");
    CHECK(a.kind == "port");
    CHECK(a.persons == 10);
    CHECK(a.vehicles == 20);
    CHECK(a.person_days == Approx(160.0 / 24));  // 16 h
    CHECK(a.meals == Approx(20));
    CHECK(a.water_l == Approx(400.0 / 3));
    CHECK(a.fuel_l == Approx(8000.0 / 3));
    CHECK(a.beds_needed == Approx(10));
    CHECK_FALSE(a.beds);
    CHECK(a.shortfall.empty());
    CHECK(a.no_figure == "beds, vehicle_parking, meals, water, fuel");
    const LifeSupportRow& b = row(rows, "port", "2027-03-02");
    CHECK(b.meals == Approx(30));
    CHECK(b.fuel_l == Approx(4000));
}

TEST_CASE("hns support: a rail serial leaves staging for the terminal, two serials add up", "[hns][support]") {
    // R1 (20 vehicles, rail) and P1 (40 pax alone, road) on the ship at 06:00 on Monday
    // 2027-03-01. R1 is ashore by 08:00 and at staging 10:00 to Tuesday 10:00 (24 h
    // dwell), when it drives to the terminal (1 h); the terminal's 4 paths a day leave at
    // 00:00, 06:00, 12:00 and 18:00, so its train leaves at 12:00 and is at the camp at
    // 17:00. P1, pax alone on a ship, is ashore at the end of the ship's first hour at
    // berth (07:00), at staging 09:00, ready after 12 h at 21:00 and at the camp (3 h) at
    // 00:00 on Tuesday: not there on Monday at all.
    const Time start = date(2027, 3, 1);
    Serial r1 = serial("R1", 20, 0, date(2027, 3, 10), "camp", 24);
    r1.onward = Onward::Rail;
    Run run(deployment(start, {r1, serial("P1", 0, 40, date(2027, 3, 10), "camp", 12, 2)}, 3), catalogue());
    REQUIRE(of(run.s, "R1").at_staging == start + 10 * kHour);
    REQUIRE(of(run.s, "R1").departed == start + 34 * kHour);
    REQUIRE(of(run.s, "R1").closed == start + 41 * kHour);
    REQUIRE(of(run.s, "P1").at_staging == start + 9 * kHour);
    REQUIRE(of(run.s, "P1").closed == start + 24 * kHour);

    const auto rows = life_support(run.d, run.r, run.c, run.s);
    // Staging, Monday: R1's 20 vehicles 14 h, P1's 40 pax 12 h (09:00-21:00).
    const LifeSupportRow& a = row(rows, "sa", "2027-03-01");
    CHECK(a.persons == 40);
    CHECK(a.vehicles == 20);
    CHECK(a.person_days == Approx(480.0 / 24));
    CHECK(a.vehicle_days == Approx(280.0 / 24));
    // Tuesday: R1's vehicles to 10:00, nobody else.
    const LifeSupportRow& b = row(rows, "sa", "2027-03-02");
    CHECK(b.persons == 0);
    CHECK(b.vehicles == 20);
    CHECK(b.person_days == 0);
    CHECK(b.vehicle_days == Approx(200.0 / 24));
    CHECK(b.fuel_l == Approx(2000.0 / 1.2));  // 8.33 vehicle-days x 200
    // The camp: P1 from Tuesday 00:00 (24 h), R1 from 17:00 (7 h); Wednesday all day.
    const LifeSupportRow& c = row(rows, "camp", "2027-03-02");
    CHECK(c.persons == 40);
    CHECK(c.vehicles == 20);
    CHECK(c.person_days == Approx(40));
    CHECK(c.vehicle_days == Approx(20.0 * 7 / 24));
    CHECK(c.shortfall.empty());  // 40 of 80 beds, 20 of 50 parking places
    const LifeSupportRow& e = row(rows, "camp", "2027-03-03");
    CHECK(e.person_days == Approx(40));
    CHECK(e.vehicle_days == Approx(20));
    CHECK(rows.size() == 4);  // nothing at the port or the terminal, nor at the camp on Monday
}
