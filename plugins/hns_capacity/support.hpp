// SPDX-License-Identifier: MIT
// Host-nation support of hns-capacity 2 beyond throughput: the diplomatic clearances the
// border crossings need (when each movement request must be filed, who cannot cross in
// time) and the life support each site must give (beds, meals, water, fuel per day against
// what the site has). Both read the resolved problem (rsom.hpp) and the executable
// schedule (simulate.hpp). Plain C++, no SDK: tested on its own (test_hns_support).
//
// Clearances. One row per serial whose destination is a border crossing
// (Itinerary::border), ordered by border, then the file's order. The lead is the border's
// clearance_lead_working_days (a crossing without a borders[] entry needs none: lead 0,
// as resolve() has it), counted by calendar.hpp's rule on Deployment::working_calendar:
//   earliest_crossing = earliest_crossing(cal, start, lead): requests are filed from
//                       `start` on, so a request needing 5 working days filed at a start
//                       on Friday 2027-03-05 clears on Friday 2027-03-12 00:00.
//   planned_crossing  = the schedule's `crossed` (0 when it is not across by the horizon).
//   filing_deadline   = filing_deadline(cal, target, lead), the latest filing day (00:00 UTC
//                       of it) that still lets it cross at `target`: the planned crossing,
//                       or its RDD when the schedule has none. It may be a day off (a request
//                       filed on a Sunday counts from Monday alike); file_by is the last
//                       working day at or before it, for a staff that files on working days.
//                       A deadline before `start` cannot be met (note says so).
//   in_time           = earliest_crossing <= RDD: the clearance lets it cross by its RDD.
//   note              = "" when in time and planned by the RDD; else why, e.g. "clearance
//                       needs 5 working days: earliest crossing 2027-03-08 after RDD
//                       2027-03-05", or "planned crossing ... after RDD ..." (late for
//                       another reason than the clearance), or "not across by the horizon".
//
// Life support. Who is where, from the schedule's Movements (each a road or rail move of
// part of a serial, with its elements = vehicles and containers, and pax):
//   - At its staging site (SerialSchedule::staging): each drive to it (a movement to the
//     site, until all the serial's elements and pax have been brought) adds its elements
//     and pax at its `arrive`; each move out of it afterwards (march units, the drive to
//     the rail terminal) takes its elements and pax away at its `depart` (a road serial's
//     pax leave with its last march unit). So a serial is held from its parts' arrival at
//     staging until it has departed, as SerialSchedule's at_staging..departed frame it.
//   - At its destination, when the catalogue calls it a staging or training area (a
//     serial closing at its training area lives there): each move arriving there adds its
//     elements and pax at its `arrive`, held until the horizon's end.
//   - At its entry site (the cargo lift's site), while it waits there for room in
//     staging: from SerialSchedule::discharged to the `depart` of each drive from the
//     entry (nothing when it drives off at once), or to the horizon's end when it never
//     got a staging area. Personnel flown in apart from their cargo are not counted at
//     the airbase (the schedule does not give the hour they are off the aircraft), nor is
//     anyone waiting at a rail terminal for a train.
// Everything is cut to the horizon [start, end()). A row is a (site, UTC day) in which the
// site holds anyone or anything: the day is [midnight, midnight + 24 h) UTC, `date` its
// ISO date. persons and vehicles are the peak held at any instant of the day (vehicles
// counts vehicles and containers, as parking does); person_days = person-hours held that
// day / 24 (100 persons for 14 h: 58.33), vehicle_days alike. The needs:
//   beds_needed = persons x beds_per_person      meals   = person_days x meals_per_person_day
//   water_l     = person_days x water_l_per_person_day
//   fuel_l      = vehicle_days x fuel_l_per_vehicle_day
// against the site's figures: beds and vehicle_parking as in force that day (the lowest
// over the day's periods of Rsom's capacity: the catalogue's figure with the deployment's
// capacity[] override and calendar[] exceptions; the catalogue's own figure when Rsom has
// none for the site), fuel_capacity_l = the catalogue's fuel_storage_m3 x 1000 (a day's
// fuel beyond the storage means resupply more than once a day). An item short is named in
// `shortfall` ("beds: 100 needed, 80 available"); an item the site has no figure for is
// listed in `no_figure` and never short (the catalogue has none for meals and water).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "deployment.hpp"
#include "rsom.hpp"
#include "simulate.hpp"

namespace hns {

/// "2027-03-05": the UTC day holding t.
std::string iso_date(Time t);

struct ClearanceRow {
    std::string border, serial;
    int lead_working_days = 0;
    Time filing_deadline = 0;    ///< 00:00 UTC of the latest filing day (see the header)
    Time file_by = 0;            ///< the last working day at or before filing_deadline
    Time earliest_crossing = 0;  ///< filed at start
    Time planned_crossing = 0;   ///< the schedule's crossed, 0 if none
    Time rdd = 0;
    bool in_time = true;  ///< earliest_crossing <= rdd
    std::string note;
};

/// One row per serial bound for a border crossing, by border then the file's order.
std::vector<ClearanceRow> clearances(const Deployment& deployment, const Rsom& rsom, const Schedule& schedule);

struct LifeSupportRow {
    std::string site, kind;         ///< kind as the catalogue has it ("" if not in it)
    Time day = 0;                   ///< midnight UTC
    std::string date;               ///< iso_date(day)
    int persons = 0, vehicles = 0;  ///< peak held that day
    double person_days = 0, vehicle_days = 0;
    double beds_needed = 0, meals = 0, water_l = 0, fuel_l = 0;
    std::optional<double> beds, vehicle_parking, fuel_capacity_l;  ///< nullopt: no figure
    std::string no_figure;                                         ///< items without a figure, e.g. "meals, water"
    std::string shortfall;                                         ///< what is short, "" if none
};

/// Rows by site (name order), then day.
std::vector<LifeSupportRow> life_support(const Deployment& deployment, const Rsom& rsom, const Catalogue& catalogue,
                                         const Schedule& schedule);

/// Per site over the horizon: peaks, totals and the days something is short.
struct LifeSupportSummary {
    std::string site, kind;
    int days = 0;  ///< days it holds anyone or anything
    int peak_persons = 0, peak_vehicles = 0;
    double peak_beds_needed = 0;
    std::optional<double> beds;  ///< the lowest figure in force over those days; nullopt: none
    double meals = 0, water_l = 0, fuel_l = 0;
    int days_short = 0;  ///< days with any shortfall
    Time first_short = 0;
    std::string short_items;  ///< the items short on some day, e.g. "beds, fuel"
    std::string no_figure;
};

/// Summarises life_support() rows per site, in their order.
std::vector<LifeSupportSummary> life_support_summary(const std::vector<LifeSupportRow>& rows);

}  // namespace hns
