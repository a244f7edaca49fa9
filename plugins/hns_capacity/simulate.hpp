// SPDX-License-Identifier: MIT
// The executable schedule of hns-capacity 2: a discrete-event simulation of reception,
// staging and onward movement (RSOM) over the resolved problem (rsom.hpp), giving the
// times a movement planner can issue: when each serial is ashore, at staging, ready,
// gone, across the border and closed, each train with its make-up, each march, and how
// busy every capacity was. The optimal plan (flow_lp) says what is possible in
// aggregate; this says who goes when, one ship, train and march unit at a time.
//
// Time. The simulation steps through the model's periods (step_h hours; period p is
// [start + p*step, start + (p+1)*step)), handling each period's stages in this order:
// lifts arriving, discharge, staging reservations and drives to staging, onward
// departures (march units, drives to the terminal, trains on their paths), border
// crossings. Rates are honoured per period exactly: vehicles_per_day 240 at step 1 h is
// 10 vehicles a period, shared. Something handled at a rate is done at the end of the
// period that finishes it; road and rail links add their own hours to the exact time.
//
// Capacities read from Rsom::capacities (a key a site lacks is unbounded; a value of 0
// in a period closes it then):
//   port          "berths" (stock: ships discharging at once), "vehicles_per_day"
//                 (vehicles/period; a container counts as one handling unit)
//   airbase       "cargo_t_per_day" (t/period), "pax_per_day" (pax/period),
//                 "mog_wide_body" (stock: aircraft unloading at once)
//   rail_terminal "trains_per_day" (trains/period; a day's trains are the lower of the
//                 day's sum and RailSettings::paths_per_day), "loading_ramps" (stock:
//                 trains departing within one period each need a ramp in it; the model
//                 has no loading time of its own)
//   staging_area, training_area  "beds" (stock, persons x LifeSupport::beds_per_person),
//                 "vehicle_parking" (stock: vehicles and containers)
//   border_crossing "slots_per_day" (slots/period; a slot is one march unit or one
//                 train; a day's slots are the lower of the day's sum and
//                 Border::slots_per_day)
//
// Reception. A ship queues for a berth (ships already discharging keep theirs, then by
// arrival); ships at berth share the port's rate among their serials in priority order
// (priority 1 first, then the earlier RDD, then the earlier ETA, then the file's order).
// Flights queue for the MOG the same way and unload their serials' tonnage (vehicles and
// containers) at cargo_t_per_day and their pax at pax_per_day. Rail and road lifts are
// ashore on arrival (no handling capacity is modelled for them). A serial may be listed
// by two lifts (vehicles by sea, pax by air): its cargo then goes by the first non-air
// lift and its pax by the first air lift; pax on the cargo's own ship come ashore with
// the cargo.
//
// Staging. When the first part of a serial is ashore it reserves parking for all its
// vehicles and containers and beds for all its pax at the first staging area of its
// itinerary that has room for both then and a way on (staging[0] first); until one has
// room it waits at the entry (serials waiting are served in priority order, and one too
// big for the room left does not hold back a smaller one behind it; reservations made in
// a period see places freed in it from the next). Each part then drives the staging link
// (its hours) as soon as it is ashore; pax from another entry use the same link hours. Marry-up: ready = (the later of
// the two parts at staging) + dwell_h. Parking is freed as march units leave (or at once when the serial drives to its
// rail terminal); beds when its last element leaves.
//
// Onward by road: march units of RoadSettings::vehicles_per_march_unit elements (a
// serial of pax alone is one march unit) leave each staging area at march_units_per_hour
// (Deployment::road_at of that site), shared by its serials in priority order: at most
// the rate x step_h a period (the fraction carried to the next) and one headway
// (1 / rate hours) apart, so at 2 an hour: ready, ready + 30 min, ready + 1 h. Each
// travels the way's link to the destination.
//
// Onward by rail: the serial drives to the terminal at ready. Trains leave on the
// terminal's paths (paths_per_day spread evenly from midnight UTC of each day), at most
// one per path, within the day's trains_per_day and the period's ramps. A train is made
// up FIFO (priority order, then arrival at the terminal) from serials bound for the
// head serial's destination: one wagon per tracked or wheeled item (up to the wagon's
// payload), two containers a wagon, adding wagons until the length (locomotive
// included) or the trailing mass would be exceeded. So a uniform load gives
// min(floor((max_train_length_m - locomotive_length_m) / length_m),
//     floor(max_train_mass_t / (tare_t + load))) wagons a train. The wagon fleet is
// finite: a train takes its wagons and they come back wagon_turnaround_h after it left;
// a train never leaves shorter than its load, the limits and the whole fleet allow: it
// waits for returning wagons. Pax ride with their serial's last wagon; a serial of pax
// alone rides any train to its destination, or a train of no wagons.
//
// Border (Itinerary::border): a march unit or train at the crossing crosses not before
// the period Itinerary::cleared and within the day's slots; crossed = its last element
// across. closed = the last element at the destination (across it, for a border), by the
// end of the horizon; else closed = 0 and `why` names what it last waited on.
//
// Monte Carlo: with SimOptions::perturb each lift's ETA is drawn uniformly in
// [eta - eta_spread_h, eta + eta_spread_h] and taken to the start of its period, and
// every handling rate (vehicles_per_day, cargo_t_per_day, pax_per_day) is scaled for the
// whole run by a factor uniform in [0.9, 1.1]: one draw per lift in the file's order,
// then one per handling capacity in Rsom's order, from std::mt19937_64(seed) (uniforms
// from its 53 high bits, so the same seed gives the same schedule on every platform).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "deployment.hpp"
#include "rsom.hpp"

namespace hns {

/// One serial's timetable. A time never reached is 0.
struct SerialSchedule {
    std::string id;
    Time arrived = 0;                     ///< its (last) lift at the entry site
    Time discharged = 0;                  ///< all its cargo ashore (its pax, for a serial of pax alone)
    Time at_staging = 0;                  ///< all its vehicles and pax at staging (marry-up complete)
    Time ready = 0;                       ///< at_staging + dwell
    Time departed = 0;                    ///< its first element leaves staging
    Time crossed = 0;                     ///< its last element across the border (0 when there is none)
    Time closed = 0;                      ///< its last element at the destination; 0 if not by the horizon
    double late_h = 0;                    ///< hours after the RDD (0 if on time; not closed: to the horizon end)
    std::string staging, mode, terminal;  ///< mode "road" or "rail"; terminal for rail
    std::string why;                      ///< not closed: the resource or stage it waited on last
};

struct TrainRun {
    std::string id;  ///< "T1", "T2", ... in departure order
    std::string terminal, destination;
    Time departure = 0, arrival = 0;
    int wagons = 0;
    double length_m = 0;  ///< locomotive included
    double mass_t = 0;    ///< trailing: wagons' tare and loads
    std::vector<std::string> serials;
};

/// A road or rail move of (part of) a serial: to staging, to the terminal, onward.
struct Movement {
    std::string serial, mode, from, to;  ///< mode "road" or "rail"
    Time depart = 0, arrive = 0;
    int elements = 0;  ///< vehicles and containers in it
    int pax = 0;
};

/// One capacity over the periods: used, the capacity in force (perturbed rates scaled)
/// and the queue: units waiting for it at the period's end (ships for berths, units
/// aboard for vehicles_per_day, t or pax aboard for the airbase rates, flights for the
/// MOG, elements or pax waiting to be admitted for parking and beds, wagon loads waiting
/// at the terminal for trains and ramps, march units and trains at the border).
/// Stocks' `used` is what is held (or reserved) at the period's end.
struct Utilisation {
    std::string site, key;
    std::vector<double> used, capacity, queue;
};

struct Schedule {
    std::vector<SerialSchedule> serials;  ///< in the file's order
    std::vector<TrainRun> trains;
    std::vector<Movement> movements;
    std::vector<Utilisation> utilisation;  ///< the capacities the simulation reads, Rsom's order
    Time closure = 0;                      ///< the latest closed; 0 if some serial never closes
};

struct SimOptions {
    std::uint64_t seed = 1;
    bool perturb = false;
};

/// Simulates the deployment's RSOM over the resolved problem. `cancelled` (optional) is
/// polled once per simulated day; when it answers true, throws std::runtime_error
/// ("cancelled"). Throws std::invalid_argument for an inconsistent problem (an itinerary
/// naming no serial, a capacity series shorter than the horizon, a negative capacity,
/// a serial with nothing to move, a non-positive step).
Schedule simulate(const Rsom& rsom, const Deployment& deployment, const SimOptions& options = {},
                  const std::function<bool()>& cancelled = {});

/// n perturbed replications; replication i uses the i-th draw of std::mt19937_64(seed)
/// as its own seed. `done` (optional) is told the number finished after each one.
std::vector<Schedule> replicate(const Rsom& rsom, const Deployment& deployment, int n, std::uint64_t seed,
                                const std::function<bool()>& cancelled = {}, const std::function<void(int)>& done = {});

/// A serial's closure over replications, nearest-rank percentiles: sort the n closures
/// (a replication that did not close sorts last, as after the horizon), P is the
/// ceil(P/100 * n)-th. A percentile falling on one that did not close is 0.
struct ClosureStats {
    std::string serial;
    Time p50 = 0, p90 = 0;
    int closed = 0, replications = 0;
};
std::vector<ClosureStats> closure_percentiles(const std::vector<Schedule>& runs);

}  // namespace hns
