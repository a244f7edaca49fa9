// SPDX-License-Identifier: MIT
// The rules of hns-capacity 2 (plugins/hns_capacity/calendar.* and rail.*): the working
// calendar of diplomatic clearances against known dates and as an exact inverse pair,
// and train make-up against hand-computed trains.
#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

#include "calendar.hpp"
#include "rail.hpp"

using namespace hns;
using Catch::Matchers::Contains;

namespace {

constexpr Time kDay = 86400;

Time date(int y, int m, int d) { return detail::days_from_civil(y, m, d) * kDay; }
Time at(int y, int m, int d, int hh, int mm = 0) { return date(y, m, d) + hh * 3600 + mm * 60; }

}  // namespace

TEST_CASE("calendar: day arithmetic round-trips and knows the weekday", "[hns][calendar]") {
    CHECK(detail::days_from_civil(1970, 1, 1) == 0);
    CHECK(detail::days_from_civil(2000, 3, 1) == 11017);
    CHECK(date(2027, 3, 1) == 1803859200);                          // 2027-03-01T00:00:00Z
    CHECK(detail::weekday(0) == 4);                                 // Thursday 1970-01-01
    CHECK(detail::weekday(detail::day_of(date(2027, 3, 5))) == 5);  // a Friday
    CHECK(detail::day_of(-1) == -1);
    CHECK(detail::day_of(-kDay) == -1);
    CHECK(detail::day_of(-kDay - 1) == -2);
    for (std::int64_t d = detail::days_from_civil(1583, 1, 1); d < detail::days_from_civil(2500, 1, 1); d += 97) {
        const auto c = detail::civil_from_days(d);
        CHECK(detail::days_from_civil(c.year, c.month, c.day) == d);
    }
}

TEST_CASE("calendar: Easter by the anonymous Gregorian computus", "[hns][calendar]") {
    CHECK(easter_sunday(2024) == date(2024, 3, 31));
    CHECK(easter_sunday(2025) == date(2025, 4, 20));
    CHECK(easter_sunday(2026) == date(2026, 4, 5));
    CHECK(easter_sunday(2027) == date(2027, 3, 28));
    CHECK(easter_sunday(2038) == date(2038, 4, 25));  // the latest possible date
    CHECK(easter_sunday(2285) == date(2285, 3, 22));  // the earliest possible date
    CHECK(easter_sunday(2008) == date(2008, 3, 23));
    CHECK_THROWS_AS(easter_sunday(1582), std::invalid_argument);
    CHECK_THROWS_AS(easter_sunday(10000), std::invalid_argument);
}

TEST_CASE("calendar: the ten Belgian public holidays", "[hns][calendar]") {
    const std::vector<Time> y2027{date(2027, 1, 1),   date(2027, 3, 29), date(2027, 5, 1),  date(2027, 5, 6),
                                  date(2027, 5, 17),  date(2027, 7, 21), date(2027, 8, 15), date(2027, 11, 1),
                                  date(2027, 11, 11), date(2027, 12, 25)};
    CHECK(belgian_public_holidays(2027) == y2027);
    const auto y2025 = belgian_public_holidays(2025);
    REQUIRE(y2025.size() == 10);
    CHECK(y2025[1] == date(2025, 4, 21));  // Easter Monday
    CHECK(y2025[3] == date(2025, 5, 29));  // Ascension
    CHECK(y2025[4] == date(2025, 6, 9));   // Whit Monday
    // 2008: Easter 23 March, Ascension on Labour Day; the day is listed twice.
    const auto y2008 = belgian_public_holidays(2008);
    REQUIRE(y2008.size() == 10);
    CHECK(y2008[2] == date(2008, 5, 1));
    CHECK(y2008[3] == date(2008, 5, 1));
    // 2285: Easter 22 March, Ascension on 30 April, before Labour Day: still in date order.
    const auto y2285 = belgian_public_holidays(2285);
    CHECK(y2285[2] == date(2285, 4, 30));
    CHECK(y2285[3] == date(2285, 5, 1));
}

TEST_CASE("calendar: working days", "[hns][calendar]") {
    WorkingCalendar cal;
    CHECK(is_working_day(cal, at(2027, 3, 5, 23, 59)));     // Friday
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 6, 0)));    // Saturday
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 7, 12)));   // Sunday
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 29, 10)));  // Easter Monday
    CHECK_FALSE(is_working_day(cal, at(2027, 7, 21, 10)));  // National Day, a Wednesday
    CHECK(is_working_day(cal, at(2027, 7, 22, 0)));
    cal.belgian_holidays = false;
    CHECK(is_working_day(cal, at(2027, 3, 29, 10)));
    cal.extra_days_off = {date(2027, 3, 30), date(2027, 3, 31) + 7 * 3600};  // the second not a midnight
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 30, 23, 59)));
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 31, 1)));
    CHECK(is_working_day(cal, at(2027, 4, 1, 1)));
    cal.weekend = {5, 6};  // Friday and Saturday off
    CHECK_FALSE(is_working_day(cal, at(2027, 3, 5, 12)));
    CHECK(is_working_day(cal, at(2027, 3, 7, 12)));
    cal.weekend = {7};
    CHECK_THROWS_WITH(is_working_day(cal, 0), Contains("weekend[0] = 7"));
    CHECK_THROWS_AS(is_working_day(WorkingCalendar{}, date(1500, 1, 1)), std::invalid_argument);
}

TEST_CASE("calendar: earliest crossing after the clearance lead", "[hns][calendar]") {
    const WorkingCalendar cal;
    // Filed on Friday 2027-03-05 at any hour: Mon 8, Tue 9, Wed 10, Thu 11, Fri 12.
    CHECK(earliest_crossing(cal, at(2027, 3, 5, 0), 5) == date(2027, 3, 12));
    CHECK(earliest_crossing(cal, at(2027, 3, 5, 8), 5) == date(2027, 3, 12));
    CHECK(earliest_crossing(cal, at(2027, 3, 5, 23, 59), 5) == date(2027, 3, 12));
    // Filed on the weekend: counts from Monday alike.
    CHECK(earliest_crossing(cal, at(2027, 3, 6, 9), 5) == date(2027, 3, 12));
    CHECK(earliest_crossing(cal, at(2027, 3, 7, 9), 5) == date(2027, 3, 12));
    CHECK(earliest_crossing(cal, at(2027, 3, 5, 8), 1) == date(2027, 3, 8));
    // Over Easter Monday (29 March): filed Tuesday 23rd, Wed 24, Thu 25, Fri 26, (Mon 29
    // off), Tue 30, Wed 31: one day later than without the holiday.
    CHECK(earliest_crossing(cal, at(2027, 3, 23, 15), 5) == date(2027, 3, 31));
    WorkingCalendar no_holidays;
    no_holidays.belgian_holidays = false;
    CHECK(earliest_crossing(no_holidays, at(2027, 3, 23, 15), 5) == date(2027, 3, 30));
    // Ascension Thursday 6 May and Labour Day on a Saturday: filed Mon 3 May, Tue 4,
    // Wed 5, (Thu 6 off), Fri 7, Mon 10, Tue 11.
    CHECK(earliest_crossing(cal, at(2027, 5, 3, 9), 5) == date(2027, 5, 11));
    // Lead 0: the filing time itself.
    CHECK(earliest_crossing(cal, at(2027, 3, 6, 9, 30), 0) == at(2027, 3, 6, 9, 30));
    // Absurd input.
    CHECK_THROWS_WITH(earliest_crossing(cal, date(2027, 3, 5), -1), Contains("negative lead"));
    WorkingCalendar never;
    never.weekend = {0, 1, 2, 3, 4, 5, 6};
    CHECK_THROWS_WITH(earliest_crossing(never, date(2027, 3, 5), 5), Contains("every day of the week"));
    CHECK_THROWS_WITH(earliest_crossing(cal, date(2027, 3, 5), 5000), Contains("fewer than 5000 working days"));
    CHECK_THROWS_AS(earliest_crossing(cal, std::numeric_limits<Time>::max(), 5), std::invalid_argument);
    CHECK_THROWS_WITH(earliest_crossing(cal, date(9999, 12, 30), 5), Contains("after 9999-12-31"));
}

TEST_CASE("calendar: filing deadline", "[hns][calendar]") {
    const WorkingCalendar cal;
    // To cross on Friday 2027-03-12 at 06:00 with 5 days: Fri 12, Thu 11, Wed 10, Tue 9,
    // Mon 8 are the five working days, so the request may be filed as late as Sunday 7th
    // (the weekend before them; a staff filing on working days only files on Friday 5th).
    CHECK(filing_deadline(cal, at(2027, 3, 12, 6), 5) == date(2027, 3, 7));
    CHECK(earliest_crossing(cal, at(2027, 3, 7, 23, 59), 5) == date(2027, 3, 12));
    // To cross on Monday 15th: the 5th working day back is Tue 9th, so file by Mon 8th.
    CHECK(filing_deadline(cal, at(2027, 3, 15, 0), 5) == date(2027, 3, 8));
    // 1 day: to cross on Tuesday 9th file on Monday 8th; to cross on Monday 8th, file by
    // Sunday 7th.
    CHECK(filing_deadline(cal, at(2027, 3, 9, 0), 1) == date(2027, 3, 8));
    CHECK(filing_deadline(cal, at(2027, 3, 8, 0), 1) == date(2027, 3, 7));
    // Over Easter Monday: crossing Wednesday 31 March needs filing by Tuesday 23rd.
    CHECK(filing_deadline(cal, at(2027, 3, 31, 12), 5) == date(2027, 3, 23));
    CHECK(filing_deadline(cal, at(2027, 3, 6, 9, 30), 0) == date(2027, 3, 6));
    CHECK_THROWS_AS(filing_deadline(cal, date(2027, 3, 5), -2), std::invalid_argument);
    CHECK_THROWS_WITH(filing_deadline(cal, date(1583, 1, 3), 5), Contains("before 1583-01-01"));
}

TEST_CASE("calendar: filing_deadline is the exact inverse of earliest_crossing (property)", "[hns][calendar]") {
    std::mt19937_64 rng(20270305);
    std::uniform_int_distribution<Time> when(date(2024, 1, 1), date(2040, 12, 31));
    std::uniform_int_distribution<int> lead_of(0, 30);
    std::vector<WorkingCalendar> cals(3);
    cals[1].weekend = {5, 6};
    cals[1].extra_days_off = {date(2030, 12, 24), date(2030, 12, 26), date(2031, 1, 2)};
    cals[2].belgian_holidays = false;
    cals[2].weekend = {0};
    int checked = 0;
    for (const auto& cal : cals) {
        for (int n = 0; n < 3000; ++n) {
            const Time crossing = when(rng);
            const int lead = lead_of(rng);
            const Time deadline = filing_deadline(cal, crossing, lead);
            REQUIRE(deadline % kDay == 0);
            INFO("crossing " << crossing << " lead " << lead << " deadline " << deadline);
            REQUIRE(earliest_crossing(cal, deadline, lead) <= crossing);
            REQUIRE(earliest_crossing(cal, deadline + kDay - 1, lead) <= (lead == 0 ? deadline + kDay - 1 : crossing));
            REQUIRE(earliest_crossing(cal, deadline + kDay, lead) > crossing);
            ++checked;
        }
    }
    CHECK(checked == 9000);
}

// ---------------------------------------------------------------------------------------
// Rail

namespace {

// The defaults with 70 t wagons.
RailSettings payload_70() {
    RailSettings s;
    s.wagon.payload_t = 70;
    return s;
}

RailSettings issue_train() {
    RailSettings s;
    s.max_train_length_m = 600;
    s.max_train_mass_t = 1600;
    s.locomotive_length_m = 20;
    s.wagon = Wagon{20, 80, 25};
    return s;
}

std::vector<RailItem> items(int n, ItemClass cls, double mass_t, double length_m, const std::string& serial = "S") {
    return std::vector<RailItem>(static_cast<std::size_t>(n), RailItem{serial, cls, mass_t, length_m});
}

std::vector<RailItem> operator+(std::vector<RailItem> a, const std::vector<RailItem>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<std::size_t> range(std::size_t from, std::size_t to) {
    std::vector<std::size_t> r;
    for (std::size_t i = from; i < to; ++i) r.push_back(i);
    return r;
}

}  // namespace

TEST_CASE("rail: wagons per train, the least of length and mass", "[hns][rail]") {
    const RailSettings s = issue_train();
    // (600 - 20) / 20 = 29 by length; 1600 / (25 + 73) = 16.3 by mass.
    CHECK(wagons_per_train(s, 73) == 16);
    // Empty wagons: 1600 / 25 = 64 by mass, 29 by length.
    CHECK(wagons_per_train(s, 0) == 29);
    // 1600 / (25 + 15) = 40 exactly, 36 by length at 740 m.
    RailSettings d;
    CHECK(wagons_per_train(d, 15) == 36);
    d.max_train_length_m = 2000;
    CHECK(wagons_per_train(d, 15) == 40);  // exact ratio is not rounded down
    RailSettings bad = s;
    bad.wagon.length_m = 0;
    CHECK_THROWS_WITH(wagons_per_train(bad, 10), Contains("wagon.length_m"));
    bad = s;
    bad.locomotive_length_m = 700;
    CHECK_THROWS_WITH(wagons_per_train(bad, 10), Contains("longer than max_train_length_m"));
    CHECK_THROWS_AS(wagons_per_train(s, -1), std::invalid_argument);
    bad = s;
    bad.locomotive_length_m = 590;  // 10 m left: no 20 m wagon fits
    CHECK(wagons_per_train(bad, 10) == 0);
    CHECK_THROWS_WITH(make_up_trains(bad, {}, 1, 10, nullptr), Contains("no room for a 20 m wagon"));
    CHECK_THROWS_AS(wagons_per_train(s, std::nan("")), std::invalid_argument);
}

TEST_CASE("rail: the issue's 16-wagon train", "[hns][rail]") {
    const RailSettings s = issue_train();
    std::size_t taken = 0;
    const auto t = make_up_trains(s, items(20, ItemClass::Tracked, 73, 10), 4, 100, &taken);
    REQUIRE(t.size() == 2);
    CHECK(t[0].items == range(0, 16));
    CHECK(t[0].wagons == 16);
    CHECK(t[0].length_m == Approx(20 + 16 * 20));
    CHECK(t[0].mass_t == Approx(16 * 98));
    CHECK(t[1].items == range(16, 20));
    CHECK(t[1].wagons == 4);
    CHECK(t[1].length_m == Approx(100));
    CHECK(t[1].mass_t == Approx(392));
    CHECK(taken == 20);
}

TEST_CASE("rail: mass binds for tracked, length for wheeled", "[hns][rail]") {
    const RailSettings s;  // 740 m, 1600 t, 20 m locomotive, 20 m wagons of 25 t, 70 t payload: 36 wagons
    std::size_t taken = 0;
    SECTION("10 tracked of 70 t then 30 wheeled of 15 t: mass binds") {
        // 10 x 95 = 950 t; (1600 - 950) / 40 = 16.25: 16 wheeled, 26 wagons, 1590 t.
        const auto t = make_up_trains(s, items(10, ItemClass::Tracked, 70, 8) + items(30, ItemClass::Wheeled, 15, 9), 3,
                                      100, &taken);
        REQUIRE(t.size() == 2);
        CHECK(t[0].items == range(0, 26));
        CHECK(t[0].wagons == 26);
        CHECK(t[0].mass_t == Approx(1590));
        CHECK(t[0].length_m == Approx(540));
        CHECK(t[1].items == range(26, 40));
        CHECK(t[1].mass_t == Approx(14 * 40));
        CHECK(taken == 40);
    }
    SECTION("2 tracked then 40 wheeled: length binds at 36 wagons") {
        // 2 x 95 + 34 x 40 = 1550 t <= 1600 t, 20 + 36 x 20 = 740 m.
        const auto t = make_up_trains(s, items(2, ItemClass::Tracked, 70, 8) + items(40, ItemClass::Wheeled, 15, 9), 3,
                                      100, &taken);
        REQUIRE(t.size() == 2);
        CHECK(t[0].wagons == 36);
        CHECK(t[0].length_m == Approx(740));
        CHECK(t[0].mass_t == Approx(1550));
        CHECK(t[1].items == range(36, 42));
        CHECK(t[1].wagons == 6);
        CHECK(taken == 42);
    }
    SECTION("FIFO: a tracked vehicle that does not fit closes the train") {
        // 16 tracked = 1520 t; the 17th (1615 t) does not fit, and the wheeled behind it
        // (1560 t would fit) may not go first.
        const auto t = make_up_trains(s, items(17, ItemClass::Tracked, 70, 8) + items(1, ItemClass::Wheeled, 15, 9), 3,
                                      100, &taken);
        REQUIRE(t.size() == 2);
        CHECK(t[0].items == range(0, 16));
        CHECK(t[0].mass_t == Approx(1520));
        CHECK(t[1].items == range(16, 18));
        CHECK(t[1].mass_t == Approx(95 + 40));
        CHECK(taken == 18);
    }
    SECTION("the train paths run out") {
        const auto t = make_up_trains(s, items(100, ItemClass::Wheeled, 15, 9), 2, 100, &taken);
        REQUIRE(t.size() == 2);
        CHECK(t[1].items == range(36, 72));
        CHECK(taken == 72);
        CHECK(make_up_trains(s, items(5, ItemClass::Wheeled, 15, 9), 0, 100, &taken).empty());
        CHECK(taken == 0);
    }
}

TEST_CASE("rail: containers pair on a wagon when their masses fit the payload", "[hns][rail]") {
    const RailSettings s = payload_70();
    std::size_t taken = 0;
    // 30+30 pair (60 t); 30 alone (30+45 = 75 > 70); 45+20 pair (65 t); 50 alone.
    std::vector<RailItem> q;
    for (double m : {30.0, 30.0, 30.0, 45.0, 20.0, 50.0}) q.push_back(RailItem{"C", ItemClass::Container, m, 6.06});
    const auto t = make_up_trains(s, q, 1, 100, &taken);
    REQUIRE(t.size() == 1);
    CHECK(t[0].items == range(0, 6));
    CHECK(t[0].wagons == 4);
    CHECK(t[0].length_m == Approx(20 + 4 * 20));
    CHECK(t[0].mass_t == Approx(4 * 25 + 205));
    CHECK(taken == 6);
    // Two 40 ft containers (12.19 m) do not fit one 20 m wagon.
    auto big = make_up_trains(s, items(2, ItemClass::Container, 20, 12.19), 1, 100, &taken);
    REQUIRE(big.size() == 1);
    CHECK(big[0].wagons == 2);
    // A vehicle between two containers: no pairing across it (FIFO).
    const auto mixed = make_up_trains(s,
                                      items(1, ItemClass::Container, 20, 6.06) + items(1, ItemClass::Wheeled, 15, 9) +
                                          items(1, ItemClass::Container, 20, 6.06),
                                      1, 100, &taken);
    REQUIRE(mixed.size() == 1);
    CHECK(mixed[0].wagons == 3);
    // The second container of a pair uses no wagon of the fleet: 3 containers on 2 wagons.
    const auto fleet = make_up_trains(s, items(5, ItemClass::Container, 20, 6.06), 3, 2, &taken);
    REQUIRE(fleet.size() == 1);
    CHECK(fleet[0].wagons == 2);
    CHECK(taken == 4);
}

TEST_CASE("rail: the wagon fleet runs out", "[hns][rail]") {
    const RailSettings s;
    std::size_t taken = 0;
    auto t = make_up_trains(s, items(30, ItemClass::Wheeled, 15, 9), 5, 20, &taken);
    REQUIRE(t.size() == 1);
    CHECK(t[0].wagons == 20);
    CHECK(taken == 20);
    t = make_up_trains(s, items(50, ItemClass::Wheeled, 15, 9), 5, 40, &taken);
    REQUIRE(t.size() == 2);
    CHECK(t[0].wagons == 36);
    CHECK(t[1].wagons == 4);
    CHECK(taken == 40);
    // A 2-wagon item with one wagon left waits, and so does everything behind it.
    t = make_up_trains(s,
                       items(1, ItemClass::Wheeled, 15, 9) + items(1, ItemClass::Wheeled, 30, 30) +
                           items(1, ItemClass::Wheeled, 15, 9),
                       5, 2, &taken);
    REQUIRE(t.size() == 1);
    CHECK(t[0].items == range(0, 1));
    CHECK(taken == 1);
    CHECK(make_up_trains(s, items(3, ItemClass::Wheeled, 15, 9), 5, 0, &taken).empty());
    CHECK(taken == 0);
    CHECK_THROWS_WITH(make_up_trains(s, items(3, ItemClass::Wheeled, 15, 9), 5, -1, &taken),
                      Contains("wagons_free = -1"));
}

TEST_CASE("rail: an item longer than a wagon takes coupled wagons", "[hns][rail]") {
    const RailSettings s;
    std::size_t taken = 0;
    // 35 m on 20 m wagons: 2 wagons, 2 x 25 + 60 = 110 t, 20 + 40 = 60 m.
    auto t = make_up_trains(s, items(1, ItemClass::Wheeled, 60, 35), 1, 100, &taken);
    REQUIRE(t.size() == 1);
    CHECK(t[0].wagons == 2);
    CHECK(t[0].mass_t == Approx(110));
    CHECK(t[0].length_m == Approx(60));
    // Exactly 40 m: 2 wagons; 41 m: 3. 120 t spread on 2 wagons is within 2 x 70 t.
    t = make_up_trains(s, items(1, ItemClass::Wheeled, 120, 40) + items(1, ItemClass::Wheeled, 60, 41), 1, 100, &taken);
    REQUIRE(t.size() == 1);
    CHECK(t[0].wagons == 5);
    CHECK(taken == 2);
    // Longer than a whole train (36 wagons = 720 m).
    CHECK_THROWS_WITH(make_up_trains(s, items(1, ItemClass::Wheeled, 60, 730, "BE-LONG"), 1, 100, &taken),
                      Contains("BE-LONG") && Contains("37 wagons"));
}

TEST_CASE("rail: bad items are refused, naming the serial", "[hns][rail]") {
    const RailSettings s = payload_70();
    std::size_t taken = 0;
    const auto q = items(3, ItemClass::Wheeled, 15, 9) + items(1, ItemClass::Tracked, 75, 10, "BE-2-TK-07");
    CHECK_THROWS_AS(make_up_trains(s, q, 1, 100, &taken), std::invalid_argument);
    CHECK_THROWS_WITH(make_up_trains(s, q, 1, 100, &taken), Contains("queue[3]") && Contains("BE-2-TK-07") &&
                                                                Contains("75 t") && Contains("payload of 70 t"));
    // Refused even when the day's trains would not reach it: it would block the queue.
    CHECK_THROWS_WITH(make_up_trains(s, q, 0, 100, &taken), Contains("BE-2-TK-07"));
    CHECK_THROWS_WITH(make_up_trains(s, items(1, ItemClass::Pax, 0.1, 0, "P1"), 1, 100, &taken),
                      Contains("P1") && Contains("coaches"));
    CHECK_THROWS_WITH(make_up_trains(s, items(1, ItemClass::Wheeled, -3, 5, "NEG"), 1, 100, &taken),
                      Contains("NEG") && Contains("mass -3"));
    RailSettings light = s;
    light.max_train_mass_t = 80;  // one 70 t item on a 25 t wagon is 95 t trailing
    CHECK_THROWS_WITH(make_up_trains(light, items(1, ItemClass::Tracked, 70, 8, "HEAVY"), 1, 100, &taken),
                      Contains("HEAVY") && Contains("trailing load of 95 t"));
}

TEST_CASE("rail: a second container that would overload the train goes on the next one", "[hns][rail]") {
    RailSettings s;
    std::size_t taken = 0;
    s.max_train_mass_t = 100;  // one wagon with two 30 t containers: 25 + 60 = 85 t; a second wagon: 140 t
    auto t = make_up_trains(s, items(4, ItemClass::Container, 30, 6.06), 5, 100, &taken);
    REQUIRE(t.size() == 2);
    CHECK(t[0].items == range(0, 2));
    CHECK(t[0].wagons == 1);
    CHECK(t[0].mass_t == Approx(85));
    CHECK(t[1].items == range(2, 4));
    CHECK(taken == 4);
    s.max_train_mass_t = 80;  // 25 + 30 = 55 t, the pair 85 t does not fit: one container a train
    t = make_up_trains(s, items(3, ItemClass::Container, 30, 6.06), 5, 100, &taken);
    REQUIRE(t.size() == 3);
    for (const auto& tr : t) {
        CHECK(tr.wagons == 1);
        CHECK(tr.mass_t == Approx(55));
    }
}

TEST_CASE("rail: trains made up from random queues keep every limit (property)", "[hns][rail]") {
    std::mt19937_64 rng(740);
    std::uniform_int_distribution<int> cls_of(0, 2), count_of(0, 120), trains_of(0, 6), fleet_of(0, 150);
    std::uniform_real_distribution<double> u(0, 1);
    const RailSettings s;  // 36 wagons, 1600 t
    for (int n = 0; n < 500; ++n) {
        std::vector<RailItem> q(static_cast<std::size_t>(count_of(rng)));
        std::vector<double> trailing_of(q.size());  // what the item adds on wagons of its own
        std::vector<int> wagons_of(q.size());
        for (auto& it : q) {
            const int c = cls_of(rng);
            it.cls = c == 0 ? ItemClass::Tracked : c == 1 ? ItemClass::Wheeled : ItemClass::Container;
            it.mass_t = c == 0 ? 40 + 30 * u(rng) : c == 1 ? 2 + 40 * u(rng) : 5 + 25 * u(rng);
            it.length_m = c == 2 ? (u(rng) < 0.5 ? 6.06 : 12.19) : 4 + 30 * u(rng);
        }
        for (std::size_t i = 0; i < q.size(); ++i) {
            wagons_of[i] = q[i].length_m > 20 ? 2 : 1;
            trailing_of[i] = wagons_of[i] * 25 + q[i].mass_t;
        }
        const std::size_t max_trains = static_cast<std::size_t>(trains_of(rng));
        const int fleet = fleet_of(rng);
        std::size_t taken = 0;
        const auto trains = make_up_trains(s, q, max_trains, fleet, &taken);
        INFO("case " << n << ": " << q.size() << " items, " << max_trains << " trains, " << fleet << " wagons");
        REQUIRE(trains.size() <= max_trains);
        std::size_t next = 0;
        int wagons = 0;
        for (std::size_t k = 0; k < trains.size(); ++k) {
            const Train& t = trains[k];
            REQUIRE(!t.items.empty());
            double loads = 0;
            int own_wagons = 0;  // wagons if no container shared one
            for (std::size_t i : t.items) {
                REQUIRE(i == next++);  // contiguous, in queue order
                loads += q[i].mass_t;
                own_wagons += wagons_of[i];
            }
            REQUIRE(t.wagons <= 36);
            REQUIRE(t.wagons <= own_wagons);
            REQUIRE(2 * t.wagons >= own_wagons);  // at most two containers to a wagon
            REQUIRE(t.length_m == Approx(20 + 20.0 * t.wagons));
            REQUIRE(t.mass_t == Approx(25.0 * t.wagons + loads));
            REQUIRE(t.mass_t <= 1600 + 1e-6);
            wagons += t.wagons;
            // A train is closed only by an item that would not fit it even on its own
            // wagons, or sharing the last one (0 new wagons, its mass alone).
            if (k + 1 < trains.size()) {
                const std::size_t i = trains[k + 1].items.front();
                const bool fits_own = t.wagons + wagons_of[i] <= 36 && t.mass_t + trailing_of[i] <= 1600;
                REQUIRE_FALSE(fits_own);
            }
        }
        REQUIRE(wagons <= fleet);
        REQUIRE(taken == next);
        if (taken < q.size() && trains.size() < max_trains && !trains.empty()) {
            // Stopped with train paths left: only the fleet can have stopped it.
            REQUIRE(wagons + wagons_of[taken] > fleet);
        }
    }
}
