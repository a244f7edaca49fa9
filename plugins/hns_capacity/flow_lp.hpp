// SPDX-License-Identifier: MIT
// The optimal plan of hns-capacity 2: an hourly time-expanded, multi-commodity min-cost
// flow, solved as a linear program with COIN-OR CLP (Debian coinor-libclp-dev).
//
// The network is abstract here (the plugin builds it from the deployment file, the site
// catalogue and the host's network services): nodes are places where a commodity can
// be (a ship at a berth, a port yard, a staging area, a rail terminal, a destination),
// arcs move it from one node to another in a whole number of periods (discharge, a road
// link, a train path), and resources are the capacities arcs and waiting draw on, per
// period (a berth's discharge rate, parking places, beds, train paths), each period its
// own value, so that a calendar exception is a change of one row's bound. A commodity
// is a pool of serials alike (class, priority, destination) with its supply (lift
// arrivals: node, period, amount), its sink and its required delivery period.
//
// The program: for every commodity, node and period, what enters equals what leaves
// (arcs, waiting to the next period, the sink taking it); for every resource and
// period, what the arcs draw is at most its capacity. It minimises the priority-weighted
// lateness (weight x amount x hours late against the RDD), a small holding cost per
// unit and period (and a smaller cost per period of delivery, so that among equal plans
// the earliest wins), and a large cost for anything still on its way at the horizon:
// every model has a solution, and what it could not deliver says so.
//
// The dual price of a resource row is the objective saved by one more unit of that
// capacity in that period: the shadow price of the bottleneck, in weighted unit-hours.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace hns {

struct FlowResource {
    std::string site, key, unit;  ///< what it is: "port-antwerp", "berths", "vehicles/h"
    std::vector<double> cap;      ///< per period (size: the model's periods)
};

/// A further draw of an arc on a resource over periods relative to leaving: offsets
/// [first, last] (0: the period it leaves; delay: the period it arrives). Parking held
/// while a unit dwells in staging is a draw over [0, delay - 1]; a border slot taken on
/// arrival is a draw at [delay, delay].
struct FlowDraw {
    int resource = 0;
    int first = 0, last = 0;
    std::vector<double> usage;  ///< per listed commodity of the arc
};

struct FlowArc {
    int from = 0, to = 0;
    int delay = 0;                 ///< periods from leaving `from` to reaching `to` (>= 0; 0 within one period)
    int resource = -1;             ///< the resource it draws on in the period it leaves, or -1
    double cost = 0;               ///< per unit moved (e.g. a tiny preference)
    std::vector<int> commodities;  ///< the commodities that may use it
    std::vector<double> usage;     ///< per listed commodity: resource units per unit moved
    std::vector<FlowDraw> draws;   ///< further draws
    int first_period = 0;          ///< the first period it may be left in (a clearance)
};

/// Flows that move together: in every period, a_coef x (the sum of the flows `a`) equals
/// b_coef x (the sum of the flows `b`), each flow an (arc, commodity) pair. A serial's
/// personnel leave staging with their vehicles: pax flow x vehicles = vehicle flow x pax.
struct FlowCoupling {
    std::string name;
    std::vector<std::pair<int, int>> a, b;  ///< (arc index, commodity index)
    double a_coef = 1, b_coef = 1;
};

struct FlowNode {
    std::string name;
    bool can_wait = true;            ///< whether a commodity may stay from one period to the next
    int wait_resource = -1;          ///< what waiting draws on (parking, beds), or -1: unbounded
    std::vector<double> wait_usage;  ///< per commodity: resource units per unit waiting (empty: 1)
};

struct FlowSupply {
    int node = 0, period = 0;
    double amount = 0;
};

struct FlowCommodity {
    std::string name;   ///< pools of serials: see FlowModel::due
    double weight = 1;  ///< per unit and hour late (priority)
    int sink = 0;
    int rdd =
        0;  ///< the period at whose start it is due: delivered in period p (at its end), it is p + 1 - rdd periods late
    std::vector<FlowSupply> supply;
};

/// One serial of a pooled commodity: `amount` of the commodity's supply due at the start
/// of period `rdd`.
struct FlowDue {
    int rdd = 0;
    double amount = 0;
};

struct FlowModel {
    int periods = 0;
    double step_h = 1;
    std::vector<FlowNode> nodes;
    std::vector<FlowArc> arcs;
    std::vector<FlowResource> resources;
    std::vector<FlowCommodity> commodities;
    std::vector<FlowCoupling> couplings;
    double holding_cost = 1e-3;    ///< per unit and period waiting
    double undelivered_hours = 0;  ///< lateness charged for what is still on its way at the horizon,
                                   ///< beyond the horizon itself (0: one more horizon)
    /// Per commodity (empty, or fewer entries than commodities: none beyond): the serials
    /// pooled in it, each with its amount and RDD (amounts summing to the supply; the
    /// commodity's own `rdd` is then not read). A commodity with parts charges its
    /// lateness as a backlog: C_q = C_(q-1) + d_q (cumulative deliveries), b_q >= R_q - C_q
    /// (R_q: the amounts due by the end of q, i.e. rdd <= q + 1), weight x step_h per unit
    /// of b_q, for q up to the last period but one (the horizon's part is in the charge for
    /// what is left). That is the lateness of the deliveries given to the parts in RDD
    /// order, the least any split can have; for one part it equals the per-delivery
    /// charge exactly. Pool only serials whose units are interchangeable (one supply,
    /// the same arcs and draws): then that split is a plan of the serials apart, and the
    /// optimum is theirs.
    std::vector<std::vector<FlowDue>> due;
};

struct FlowSolution {
    bool optimal = false;
    std::string status;  ///< "optimal", or CLP's word for what stopped it
    double objective = 0;
    double lateness = 0;  ///< the weighted lateness part, unit-hours
    /// Per commodity and period: the amount delivered at its sink in that period.
    std::vector<std::vector<double>> delivered;
    /// Per commodity: the amount still on its way at the horizon.
    std::vector<double> undelivered;
    /// Per resource and period: what the plan draws, and the shadow price (objective
    /// saved per unit more capacity in that period; >= 0).
    std::vector<std::vector<double>> used, shadow_price;
    /// Per arc, commodity (in the arc's list) and period: the flow.
    std::vector<std::vector<std::vector<double>>> flow;

    /// The last period in which commodity k receives anything (-1: nothing), and the
    /// period by which all its supply has arrived (-1: not all by the horizon).
    int last_delivery(std::size_t k, double tolerance = 1e-6) const;
};

/// The deliveries (per period) of a pool given to its parts in RDD order (equal RDDs in
/// their listed order), each part filled before the next: [part, as listed][period].
/// What is left undelivered falls to the last parts.
std::vector<std::vector<double>> pool_split(const std::vector<FlowDue>& due, const std::vector<double>& delivered);

/// The lateness, in periods x amount, of deliveries (per period) given to a pool's parts
/// in RDD order (equal RDDs in their listed order), each counted from its own RDD: what
/// FlowSolution::lateness counts for a pooled commodity, over its weight x step_h.
double pool_late_periods(const std::vector<FlowDue>& due, const std::vector<double>& delivered);

/// A model's problem, built once: solve, change capacities, solve again warm.
class FlowLp {
public:
    /// Checks the model (indices, sizes, finite numbers, every supply able to reach its
    /// sink: std::invalid_argument naming the commodity and node otherwise) and builds
    /// the program.
    explicit FlowLp(FlowModel model);
    ~FlowLp();
    FlowLp(const FlowLp&) = delete;
    FlowLp& operator=(const FlowLp&) = delete;

    const FlowModel& model() const { return model_; }
    int rows() const;
    int columns() const;

    /// Solves (dual simplex; warm from the last basis after a change).
    FlowSolution solve();
    /// Sets resource r's capacity in period p (a calendar edit); the next solve() starts
    /// from the last basis.
    void set_capacity(int r, int period, double value);
    /// The earliest period by which any plan delivers everything (every capacity and
    /// link time honoured): a bound no executable schedule can beat. -1 when not even
    /// the whole horizon suffices.
    int earliest_closure();
    /// Writes the program as a free MPS file (named rows and columns) for another
    /// solver; throws std::runtime_error when it cannot.
    void write_mps(const std::string& path) const;

private:
    struct Impl;
    FlowModel model_;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hns
