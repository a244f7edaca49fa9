// SPDX-License-Identifier: MIT
#include "calendar.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace hns {

namespace detail {

// Howard Hinnant's days_from_civil / civil_from_days (public domain): eras of 400
// years starting on 1 March, so the leap day is the last day of the shifted year.
std::int64_t days_from_civil(std::int64_t y, int m, int d) {
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const std::int64_t yoe = y - era * 400;                                    // [0, 399]
    const std::int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;  // [0, 365]
    const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;            // [0, 146096]
    return era * 146097 + doe - 719468;
}

Civil civil_from_days(std::int64_t z) {
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;                                       // [0, 146096]
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;  // [0, 399]
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);                // [0, 365]
    const std::int64_t mp = (5 * doy + 2) / 153;                                     // [0, 11]
    const int d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    const int m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    return Civil{yoe + era * 400 + (m <= 2), m, d};
}

std::int64_t day_of(Time t) { return t >= 0 ? t / 86400 : -((-(t + 1)) / 86400) - 1; }

int weekday(std::int64_t days) {
    // 1970-01-01 was a Thursday (4).
    return static_cast<int>(((days % 7) + 7 + 4) % 7);
}

}  // namespace detail

namespace {

constexpr int kMinYear = 1583, kMaxYear = 9999;
constexpr int kSearchDays = 3660;  // ten years: no real lead time reaches that far

using detail::day_of;
using detail::days_from_civil;

const std::int64_t kMinDay = days_from_civil(kMinYear, 1, 1);
const std::int64_t kMaxDay = days_from_civil(kMaxYear, 12, 31);

void check_year(int year) {
    if (year < kMinYear || year > kMaxYear)
        throw std::invalid_argument("belgian public holidays: year " + std::to_string(year) + " outside " +
                                    std::to_string(kMinYear) + ".." + std::to_string(kMaxYear));
}

// The day of a time, refusing times outside the supported years so that the day
// arithmetic below cannot overflow and the holidays are defined.
std::int64_t checked_day(Time t, const char* what) {
    // Compare on the time before dividing: a huge t must not wrap anywhere.
    if (t < kMinDay * 86400 || t >= (kMaxDay + 1) * 86400)
        throw std::invalid_argument(std::string(what) + ": time " + std::to_string(t) +
                                    " s outside 1583-01-01..9999-12-31");
    return day_of(t);
}

void check_calendar(const WorkingCalendar& cal) {
    bool off[7] = {false, false, false, false, false, false, false};
    for (std::size_t i = 0; i < cal.weekend.size(); ++i) {
        const int d = cal.weekend[i];
        if (d < 0 || d > 6)
            throw std::invalid_argument("working calendar: weekend[" + std::to_string(i) + "] = " + std::to_string(d) +
                                        " is not a day of the week (0 Sunday ... 6 Saturday)");
        off[d] = true;
    }
    if (std::all_of(std::begin(off), std::end(off), [](bool b) { return b; }))
        throw std::invalid_argument("working calendar: every day of the week is a weekend day (no working day)");
}

void check_lead(int lead, const char* what) {
    if (lead < 0)
        throw std::invalid_argument(std::string(what) + ": negative lead of " + std::to_string(lead) + " working days");
}

// Whether a day (already range-checked) is a working day; cal already checked.
bool working(const WorkingCalendar& cal, std::int64_t day) {
    const int wd = detail::weekday(day);
    for (int w : cal.weekend)
        if (w == wd) return false;
    if (cal.belgian_holidays) {
        const auto year = static_cast<int>(detail::civil_from_days(day).year);
        for (Time h : belgian_public_holidays(year))
            if (day_of(h) == day) return false;
    }
    for (Time x : cal.extra_days_off)
        if (day_of(x) == day) return false;
    return true;
}

std::string no_working_days(int lead, const char* what) {
    return std::string(what) + ": fewer than " + std::to_string(lead) + " working days within " +
           std::to_string(kSearchDays) + " days (a lead that long, or a calendar with almost no working day)";
}

}  // namespace

Time easter_sunday(int year) {
    check_year(year);
    // The anonymous Gregorian computus (Meeus/Jones/Butcher).
    const int a = year % 19, b = year / 100, c = year % 100;
    const int d = b / 4, e = b % 4;
    const int f = (b + 8) / 25, g = (b - f + 1) / 3;
    const int h = (19 * a + b - d - g + 15) % 30;
    const int i = c / 4, k = c % 4;
    const int l = (32 + 2 * e + 2 * i - h - k) % 7;
    const int m = (a + 11 * h + 22 * l) / 451;
    const int month = (h + l - 7 * m + 114) / 31;
    const int day = ((h + l - 7 * m + 114) % 31) + 1;
    return days_from_civil(year, month, day) * 86400;
}

std::vector<Time> belgian_public_holidays(int year) {
    check_year(year);
    const Time easter = easter_sunday(year);
    const auto date = [year](int m, int d) { return days_from_civil(year, m, d) * 86400; };
    std::vector<Time> h{date(1, 1),  easter + 1 * 86400, date(5, 1),  easter + 39 * 86400, easter + 50 * 86400,
                        date(7, 21), date(8, 15),        date(11, 1), date(11, 11),        date(12, 25)};
    // Ascension may come before Labour Day (Easter 22 March: 30 April).
    std::sort(h.begin(), h.end());
    return h;
}

bool is_working_day(const WorkingCalendar& cal, Time t) {
    check_calendar(cal);
    return working(cal, checked_day(t, "is_working_day"));
}

Time earliest_crossing(const WorkingCalendar& cal, Time filed, int lead) {
    check_lead(lead, "earliest_crossing");
    check_calendar(cal);
    std::int64_t day = checked_day(filed, "earliest_crossing");
    if (lead == 0) return filed;
    int counted = 0;
    for (int i = 0; i < kSearchDays; ++i) {
        ++day;  // the filing day never counts
        if (day > kMaxDay) throw std::invalid_argument("earliest_crossing: the clearance would fall after 9999-12-31");
        if (working(cal, day) && ++counted == lead) return day * 86400;
    }
    throw std::invalid_argument(no_working_days(lead, "earliest_crossing"));
}

Time filing_deadline(const WorkingCalendar& cal, Time crossing, int lead) {
    check_lead(lead, "filing_deadline");
    check_calendar(cal);
    std::int64_t day = checked_day(crossing, "filing_deadline");
    if (lead == 0) return day * 86400;
    // The lead-th working day counting back from the crossing day (itself included) is
    // the earliest clearance day that still allows the crossing; the request must be
    // filed the day before it. Filing a day later leaves only lead - 1 working days.
    int counted = 0;
    for (int i = 0; i < kSearchDays; ++i, --day) {
        if (day - 1 < kMinDay)
            throw std::invalid_argument("filing_deadline: the filing day would fall before 1583-01-01");
        if (working(cal, day) && ++counted == lead) return (day - 1) * 86400;
    }
    throw std::invalid_argument(no_working_days(lead, "filing_deadline"));
}

}  // namespace hns
