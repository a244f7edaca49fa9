// SPDX-License-Identifier: MIT
// The working calendar that movement requests (diplomatic clearances) are dated by:
// weekends, the ten Belgian legal public holidays and any extra days off
// (WorkingCalendar in deployment.hpp). Plain C++, no SDK: tested on its own.
//
// Rule of the lead time: a request filed on day F (at any hour, on a working day or
// not) is cleared at 00:00 UTC of the lead-th working day after F; the filing day
// itself never counts. The movement may cross from that moment on. A lead of 0 means
// no clearance: the movement may cross from the filing time itself. So with a lead of
// 5 working days a request filed on Friday 2027-03-05, at 08:00 or at 23:59, is cleared
// on Friday 2027-03-12 at 00:00; a holiday in between (Easter Monday) moves it on by
// one more working day.
//
// Days are UTC days (86 400 s, no leap seconds). Times are accepted from 1583-01-01 (the
// first whole Gregorian year) to 9999-12-31; anything outside, a negative lead, a
// weekend day outside 0..6 or a calendar with no working day in 3660 days throws
// std::invalid_argument.
#pragma once

#include <vector>

#include "deployment.hpp"

namespace hns {

/// The ten Belgian legal public holidays of `year` as midnights UTC, in date order:
/// New Year (1 Jan), Easter Monday, Labour Day (1 May), Ascension (Easter + 39), Whit
/// Monday (Easter + 50), National Day (21 Jul), Assumption (15 Aug), All Saints (1 Nov),
/// Armistice (11 Nov) and Christmas (25 Dec). Easter by the anonymous Gregorian
/// computus. Always ten entries: when two holidays fall on the same day (Ascension on
/// 1 May, as in 2008) that day is listed twice. Throws for a year outside 1583..9999.
std::vector<Time> belgian_public_holidays(int year);

/// Easter Sunday of `year` (Gregorian), midnight UTC.
Time easter_sunday(int year);

/// Whether the UTC day holding t is a working day: not a weekend day of the calendar,
/// not a Belgian public holiday (when the calendar counts them), not one of its extra
/// days off (each taken as the UTC day holding it, so a value that is not exactly
/// midnight still names its day).
bool is_working_day(const WorkingCalendar& cal, Time t);

/// The earliest time a movement whose request is filed at `filed` may cross, under the
/// rule above: `filed` itself for a lead of 0, else 00:00 UTC of the lead-th working
/// day after the filing day.
Time earliest_crossing(const WorkingCalendar& cal, Time filed, int lead_working_days);

/// The latest day (returned as 00:00 UTC of it) on which a request may be filed so that
/// the movement may cross at `crossing`: earliest_crossing(cal, deadline, lead) <=
/// crossing and earliest_crossing(cal, deadline + 1 day, lead) > crossing. The exact
/// inverse of earliest_crossing: for a lead of 1 or more, any hour of the deadline day
/// does (the filing day never counts); the day may itself be a day off (a request filed
/// on a Sunday counts from Monday alike), so a staff that files only on working days
/// files on the last working day at or before it. For a lead of 0 it is the day of
/// `crossing`, and the request must be in by `crossing` itself.
Time filing_deadline(const WorkingCalendar& cal, Time crossing, int lead_working_days);

namespace detail {

/// Days since 1970-01-01 of a proleptic Gregorian date (month 1..12, day 1..31).
std::int64_t days_from_civil(std::int64_t y, int m, int d);
/// The (year, month, day) of a day count since 1970-01-01.
struct Civil {
    std::int64_t year;
    int month, day;
};
Civil civil_from_days(std::int64_t days);
/// The UTC day holding t (floor division: correct before 1970 as well).
std::int64_t day_of(Time t);
/// 0 Sunday ... 6 Saturday.
int weekday(std::int64_t days);

}  // namespace detail

}  // namespace hns
