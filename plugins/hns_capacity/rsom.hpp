// SPDX-License-Identifier: MIT
// The resolved RSOM problem of hns-capacity 2: a deployment file read against the site
// catalogue and the host's networks, ready for the optimal plan (flow_lp) and the
// executable schedule (the discrete-event simulation) alike.
//
// Resolving means: every site capacity the serials can meet, as a value per period of
// the horizon (the catalogue's figure, a capacity[] override in its place, calendar[]
// exceptions over their hours); every serial's itinerary (its entry site and arrival
// period from its lift, the staging areas it may use, the rail terminal or road march
// it leaves by, the border it crosses and when its clearance allows) with the travel
// time of each link for its own vehicles (a tracked MLC 80 serial gets a tank
// transporter's route, or is refused with the binding bridge named). Plain C++, no SDK:
// the plugin passes the catalogue and a function asking its network services.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "deployment.hpp"

namespace hns {

/// A site of the catalogue (the host table "sites", data/sites.geojson): its kind, its
/// name and its numeric properties (berths, vehicles_per_day, beds, ...), with the keys
/// the catalogue marks as planning estimates.
struct CatalogueSite {
    std::string id, kind, name;
    std::map<std::string, double> numbers;
    std::vector<std::string> estimates;
};
using Catalogue = std::map<std::string, CatalogueSite>;

/// Travel between two sites for one serial on the road or rail network.
struct Link {
    bool feasible = false;
    double hours = 0, km = 0;
    std::string reason;  ///< why not (the binding restriction, e.g. "bridge MLC 60 at ...")
};
/// The plugin's question to the host's network services: from, to, Onward::Road or
/// Onward::Rail, and the serial (its heaviest, tallest, widest vehicle sets the profile).
using LinkFn = std::function<Link(const std::string& from, const std::string& to, Onward mode, const Serial& serial)>;

/// One capacity of one site over the horizon.
struct Capacity {
    std::string site, key;
    std::string unit;       ///< "vehicles/h", "t/h", "pax/h", "trains/h", "march units/h", "slots/h" or a stock unit
    bool stock = false;     ///< held at once (berths, ramps, beds, parking); else a rate per hour
    bool estimate = false;  ///< the catalogue labels the figure a planning estimate
    std::vector<double> per_period;   ///< rates: units per period (per hour x step_h); stocks: units
    std::vector<std::string> reason;  ///< per period: the calendar exception's reason, or ""
};

/// How one serial can go, resolved.
struct Itinerary {
    std::size_t serial = 0;  ///< index in Deployment::serials
    std::size_t lift = 0;    ///< index in Deployment::lift: the lift bringing its cargo
    std::string entry;       ///< the lift's site
    int arrival = 0;         ///< period of the lift's ETA
    /// The lift bringing its personnel: the same as `lift`, unless the serial is also on
    /// an air lift (cargo by sea, rail or road, personnel flown in: they marry up in
    /// staging).
    std::size_t pax_lift = 0;
    std::string pax_entry;
    int pax_arrival = 0;
    struct Staging {
        std::string site;
        Link from_entry;      ///< road from the entry site
        Link from_pax_entry;  ///< road from the personnel's entry site
    };
    std::vector<Staging> staging;  ///< the serial's own, or every staging or training area it can reach
    struct Way {
        Onward mode = Onward::Road;  ///< Rail or Road
        std::string staging;         ///< from which staging area
        std::string terminal;        ///< rail: the loading terminal ("" for road)
        Link to_terminal;            ///< rail: road from the staging area to the terminal
        Link to_destination;         ///< rail or road to the destination
    };
    std::vector<Way> onward;  ///< every way on it may take
    std::string border;       ///< the destination when it is a border crossing, else ""
    int cleared = 0;          ///< the first period it may cross (clearance filed at start)
};

struct Rsom {
    const Deployment* deployment = nullptr;
    int periods = 0;
    double step_h = 1;
    std::vector<Capacity> capacities;
    std::vector<Itinerary> itineraries;  ///< one per serial, in the file's order

    /// Index of a capacity, or -1.
    int capacity(const std::string& site, const std::string& key) const;
    /// The period holding time t (may be < 0 or >= periods).
    int period_of(Time t) const;
    Time time_of(int period) const;
};

/// A serial that can go nowhere: no staging area it can reach, no way on, a link its
/// vehicles cannot take. `serial` names it, what() says why.
class ResolveError : public std::runtime_error {
public:
    ResolveError(std::string serial, const std::string& message)
        : std::runtime_error("serial " + serial + ": " + message), serial_(std::move(serial)) {}
    const std::string& serial() const { return serial_; }

private:
    std::string serial_;
};

/// Resolves a deployment against the catalogue and the networks. Throws ResolveError
/// naming the serial and the reason when a serial has no feasible itinerary, and
/// DeploymentError for a capacity key the catalogue does not have for that site.
Rsom resolve(const Deployment& deployment, const Catalogue& catalogue, const LinkFn& links);

}  // namespace hns
