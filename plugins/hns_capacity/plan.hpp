// SPDX-License-Identifier: MIT
// The optimal plan of hns-capacity 2: the resolved RSOM problem (rsom.hpp) as a
// time-expanded flow (flow_lp.hpp), solved, and read back per serial.
//
// Each serial is two commodities: its cargo (vehicles and containers, in units) and its
// personnel (serials alike on one lift share them: PlanOptions::pool). A lift's serials
// wait at their entry site (ships at anchor, aircraft on stand) and are discharged at
// the site's rate (a port's vehicles a day; an airbase's tonnes and passengers a day);
// they drive to a staging area, where they hold parking places and beds through their
// dwell and while they wait; they move on by road in march units (the staging area's
// march units an hour) or by rail (whole trains on the terminal's train paths and within
// its trains a day, wagons held until they come back) and cross the border on its slots,
// not before their clearance. Personnel leave staging with their vehicles (a coupling
// per serial and way). An event in period p happens at its end: a serial delivered in
// period p has closed at start + (p + 1) step.
#pragma once

#include <string>
#include <vector>

#include "flow_lp.hpp"
#include "rsom.hpp"

namespace hns {

struct PlanSerial {
    std::string serial;
    Time closed = 0;  ///< 0: not all of it arrives by the horizon
    double late_h = 0;
    double undelivered = 0;  ///< units (cargo and pax) still on their way at the horizon
};

/// A run of periods in which one more unit of a capacity would have saved lateness.
struct Bottleneck {
    std::string site, resource, unit;
    Time from = 0, to = 0;
    double shadow_price = 0;  ///< weighted unit-hours of lateness saved by one more unit in every period of the run
};

struct Plan {
    FlowModel model;
    std::vector<int> cargo, pax;  ///< per serial: its commodities (-1: none)
    /// Per serial: its part in a pooled commodity (model.due[cargo or pax]), -1 when its
    /// commodity is its own.
    std::vector<int> cargo_part, pax_part;
};

struct PlanOptions {
    /// Serials on one lift alike in everything but their amount and RDD (priority,
    /// destination, ways and their per-unit draws, dwell) share one pooled commodity
    /// (FlowModel::due): the same optimum with fewer columns, since such units are
    /// interchangeable. Serials whose personnel are coupled to their vehicles are left
    /// on their own.
    bool pool = true;
};

/// Builds the flow model of a resolved problem.
Plan build_plan(const Rsom& rsom, const PlanOptions& options = {});

struct PlanResult {
    FlowSolution solution;
    std::vector<PlanSerial> serials;
    std::vector<Bottleneck> bottlenecks;  ///< by shadow price, highest first
    int closure_lp = -1;                  ///< the earliest closure any plan reaches (period), -1: none by the horizon
    double closure_lp_h = -1;             ///< hours after start (end of that period)
};

/// Solves a plan and reads it back. `lp` must have been built from plan.model. A pooled
/// commodity's deliveries go to its serials in RDD order (pool_split): each serial's
/// closure and what it has still on its way are its share's. With
/// `closure_bound`, also the earliest closure any plan reaches (a bisection of solves).
PlanResult read_plan(const Rsom& rsom, const Plan& plan, FlowLp& lp, bool closure_bound = true);

/// One capacity change worth making: what it is and what it saves.
struct Suggestion {
    std::string site, resource;
    Time from = 0, to = 0;
    double more = 0;         ///< the extra capacity tried, in the catalogue's unit ("a day" for rates)
    std::string more_text;   ///< "+1 trains_per_day", "+10 vehicle_parking"
    double serial_days = 0;  ///< serial-days of closure saved (sum over serials)
    double lateness_h = 0;   ///< weighted lateness saved, unit-hours
    std::string text;        ///< "+1 trains_per_day at leopoldsburg-rail-terminal on C+4..C+9 saves 31 serial-days"
};

/// The few capacity changes that save the most: for each of the `tries` bottleneck runs
/// with the highest shadow prices, the plan re-solved (warm) with a planner-sized step
/// more over the run (one more a day for a daily rate; a tenth more, at least one, for
/// a stock), the closures compared, and the capacity put back. Sorted by serial-days
/// saved, then lateness; changes that save nothing are left out.
std::vector<Suggestion> suggest(const Rsom& rsom, const Plan& plan, FlowLp& lp, const PlanResult& base,
                                std::size_t tries = 8);

}  // namespace hns
