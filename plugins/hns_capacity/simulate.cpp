// SPDX-License-Identifier: MIT
// The RSOM discrete-event simulation (simulate.hpp): a period-by-period loop over the
// stages, with exact times inside a period for links, march-unit headways and train
// paths. It reads the deployment through deployment.hpp (counts, rail and road settings);
// the period arithmetic and capacity look-up it needs are below.
#include "simulate.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>
#include <random>
#include <stdexcept>
#include <utility>

namespace hns {
namespace {

constexpr double kEps = 1e-9;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kMaxPeriods = 2000000;  // 228 years at step 1 h: beyond that the input is wrong

std::string hours_text(double h) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", h);
    return buf;
}

// Hours to seconds; check() has refused what is not finite, and the clamp (11,000 years)
// keeps llround defined whatever else comes in.
Time seconds_of(double hours) {
    if (!(hours == hours)) return 0;
    return static_cast<Time>(std::llround(std::max(-1e8, std::min(1e8, hours)) * 3600.0));
}

// A figure that must be finite and at least `min` (or above it when `strict`).
void need(double v, const std::string& what, double min = 0, bool strict = false) {
    if (!std::isfinite(v) || v < min || (strict && v <= min))
        throw std::invalid_argument(what + ": " + std::to_string(v) + " is not a valid figure (must be " +
                                    (strict ? "> " : ">= ") + hours_text(min) + ")");
}
int floor_count(double x) { return x >= 1e9 ? 1000000000 : static_cast<int>(std::floor(x + kEps)); }

// A uniform in [0, 1) from the generator's 53 high bits: std::uniform_real_distribution
// is implementation-defined, and the same seed must give the same schedule everywhere.
double uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * (1.0 / 9007199254740992.0); }

// One capacity as the run sees it (rates possibly scaled) and its record.
struct Cap {
    const Capacity* c = nullptr;
    std::vector<double> per;
    Utilisation u;
};

enum class Part { Cargo, Pax };

// A march unit or a train on its way to the destination or waiting at the border.
struct Group {
    std::vector<std::size_t> serials;
    Time arrive = 0;
    int border = -1;  // index into Sim::borders, -1: none
    bool train = false;
};

struct SerialState {
    int cargo_lift = -1, pax_lift = -1;
    int elements = 0, pax = 0;
    double cargo_t = 0;
    double cargo_left = 0, pax_left = 0;  // units (sea) or t (air); persons
    bool cargo_ashore = false, pax_ashore = false;
    Time cargo_ashore_t = 0, pax_ashore_t = 0;
    int staging = -1, way = -1;  // indices into the itinerary
    bool cargo_driving = false, pax_driving = false;
    Time cargo_at = 0, pax_at = 0;
    bool is_ready = false;
    Time ready = 0;
    // Onward.
    int elements_left = 0;  // still at staging (road)
    bool left_staging = false;
    Time at_terminal = 0;
    bool at_term = false;
    std::vector<double> loads;       // wagon loads (t), rail
    std::vector<int> load_elements;  // vehicles or containers on each
    std::size_t next_load = 0;
    bool all_departed = false;
    int outstanding = 0;  // groups not yet at the destination
    Time last_arrival = 0, crossed = 0, departed = 0;
    bool departed_set = false;
    Time key_eta = 0;
    std::string why;
};

struct RoadState {
    double credit = 0;
    Time last = std::numeric_limits<Time>::min() / 4;
};

struct TerminalState {
    int available = 0, fleet = 0;
    std::vector<std::pair<Time, int>> returns;  // (time back, wagons)
    std::map<int, int> trains_on_day;
};

struct LiftState {
    int period = 0;
    Time arrived = 0;
    bool present = false, started = false, done = false;
    Time started_at = 0;
    std::vector<std::pair<std::size_t, Part>> parts;
};

class Sim {
public:
    Sim(const Rsom& r, const Deployment& d, const SimOptions& o, const std::function<bool()>& cancelled)
        : r_(r), d_(d), cancelled_(cancelled) {
        if (!(d.step_h > 0) || !(r.step_h > 0)) throw std::invalid_argument("step_h must be > 0");
        step_ = seconds_of(r.step_h);
        if (step_ <= 0) throw std::invalid_argument("step_h is under a second");
        start_ = d.start;
        periods_ = r.periods > 0
                       ? r.periods
                       : static_cast<int>(std::min<double>(kMaxPeriods + 1.0, d.horizon_days * 24.0 / r.step_h));
        if (periods_ <= 0 || periods_ > kMaxPeriods)
            throw std::invalid_argument("horizon of " + std::to_string(periods_) + " periods is out of range");
        end_ = time_of(periods_);
        if (r.itineraries.size() != d.serials.size())
            throw std::invalid_argument("rsom has " + std::to_string(r.itineraries.size()) + " itineraries for " +
                                        std::to_string(d.serials.size()) + " serials");
        for (std::size_t i = 0; i < r.itineraries.size(); ++i)
            if (r.itineraries[i].serial != i)
                throw std::invalid_argument("itineraries[" + std::to_string(i) + "] names serial " +
                                            std::to_string(r.itineraries[i].serial) + ", not " + std::to_string(i));
        read_capacities();
        std::mt19937_64 gen(o.seed);
        setup_lifts(o.perturb, gen);
        if (o.perturb)
            for (auto& c : caps_) {
                const std::string& k = c.c->key;
                if (k != "vehicles_per_day" && k != "cargo_t_per_day" && k != "pax_per_day") continue;
                const double f = 0.9 + 0.2 * uniform01(gen);
                for (auto& v : c.per) v *= f;
            }
        for (auto& c : caps_) c.u.capacity = c.per;
        check();
        setup_serials();
    }

    // The figures the run divides by or adds up, named as the files name them.
    void check() const {
        for (std::size_t i = 0; i < d_.serials.size(); ++i) {
            const std::string at = "serials[" + std::to_string(i) + "]";
            need(d_.serials[i].dwell_h, at + ".dwell_h");
            for (std::size_t k = 0; k < d_.serials[i].items.size(); ++k) {
                const Item& item = d_.serials[i].items[k];
                need(item.count, at + ".items[" + std::to_string(k) + "].count");
                if (item.count > 1000000)  // counts add up in int: a million a line is past any serial
                    throw std::invalid_argument(at + ".items[" + std::to_string(k) +
                                                "].count: " + std::to_string(item.count) + " is over 1000000");
                need(item.mass_t, at + ".items[" + std::to_string(k) + "].mass_t");
            }
        }
        for (std::size_t i = 0; i < r_.itineraries.size(); ++i) {
            const Itinerary& t = r_.itineraries[i];
            const std::string at = "itineraries[" + std::to_string(i) + "]";
            for (std::size_t k = 0; k < t.staging.size(); ++k)
                if (t.staging[k].from_entry.feasible)
                    need(t.staging[k].from_entry.hours, at + ".staging[" + std::to_string(k) + "].from_entry.hours");
            for (std::size_t k = 0; k < t.onward.size(); ++k) {
                const std::string w = at + ".onward[" + std::to_string(k) + "]";
                if (t.onward[k].to_destination.feasible)
                    need(t.onward[k].to_destination.hours, w + ".to_destination.hours");
                if (t.onward[k].to_terminal.feasible) need(t.onward[k].to_terminal.hours, w + ".to_terminal.hours");
            }
        }
        for (std::size_t l = 0; l < d_.lift.size(); ++l)
            need(d_.lift[l].eta_spread_h, "lift[" + std::to_string(l) + "].eta_spread_h");
        need(d_.life_support.beds_per_person, "life_support.beds_per_person");
        const auto rail = [](const RailSettings& rs, const std::string& at) {
            need(rs.max_train_length_m, at + ".max_train_length_m", 0, true);
            need(rs.max_train_mass_t, at + ".max_train_mass_t", 0, true);
            need(rs.locomotive_length_m, at + ".locomotive_length_m");
            need(rs.wagon_turnaround_h, at + ".wagon_turnaround_h");
            need(rs.wagon.length_m, at + ".wagon.length_m", 0, true);
            need(rs.wagon.payload_t, at + ".wagon.payload_t");
            need(rs.wagon.tare_t, at + ".wagon.tare_t");
        };
        rail(d_.rail, "rail");
        for (const auto& [t, rs] : d_.rail_terminal) rail(rs, "rail_terminal." + t);
        need(d_.road.march_units_per_hour, "road.march_units_per_hour");
        for (const auto& [site, rs] : d_.road_site)
            need(rs.march_units_per_hour, "road_site." + site + ".march_units_per_hour");
    }

    Schedule run() {
        int last_day = -1;
        for (int p = 0; p < periods_; ++p) {
            const int day = day_of(time_of(p));
            if (day != last_day) {
                last_day = day;
                if (cancelled_ && cancelled_()) throw std::runtime_error("cancelled");
            }
            arrivals(p);
            discharge(p);
            staging(p);
            onward_road(p);
            onward_rail(p);
            border(p);
            record(p);
        }
        return finish();
    }

private:
    const Rsom& r_;
    const Deployment& d_;
    std::function<bool()> cancelled_;
    Time step_ = 3600, start_ = 0, end_ = 0;
    int periods_ = 0;
    std::vector<Cap> caps_;
    std::map<std::pair<std::string, std::string>, int> cap_index_;
    std::vector<LiftState> lifts_;
    std::vector<SerialState> s_;
    std::map<std::string, double> parking_held_, beds_held_;
    std::map<std::string, RoadState> road_;
    std::map<std::string, TerminalState> terminals_;
    struct BorderState {
        std::string site;
        int per_day = -1;  // Border::slots_per_day, -1: none given
        int cap = -1;
        std::map<int, int> used_on_day;
    };
    std::vector<BorderState> borders_;
    std::map<std::string, int> border_index_;
    std::vector<Group> transit_;  // groups at or bound for a border
    Schedule out_;

    Time time_of(int p) const { return start_ + step_ * p; }
    int period_of(Time t) const {
        const Time x = t - start_;
        const Time q = x >= 0 ? x / step_ : -((-x + step_ - 1) / step_);
        return static_cast<int>(std::max<Time>(std::min<Time>(q, kMaxPeriods + 1), -1));
    }
    int day_of(Time t) const {
        const Time x = t - start_;
        return static_cast<int>(x >= 0 ? x / 86400 : -((-x + 86399) / 86400));
    }
    int cap(const std::string& site, const char* key) const {
        auto it = cap_index_.find({site, key});
        return it == cap_index_.end() ? -1 : it->second;
    }
    double cap_at(int idx, int p) const {
        return idx < 0 ? kInf : caps_[static_cast<std::size_t>(idx)].per[static_cast<std::size_t>(p)];
    }
    // The sum of a rate's per-period values over the day holding period p.
    double day_sum(int idx, int p) const {
        if (idx < 0) return kInf;
        const int day = day_of(time_of(p));
        double s = 0;
        int q = p;
        while (q > 0 && day_of(time_of(q - 1)) == day) --q;
        for (; q < periods_ && day_of(time_of(q)) == day; ++q)
            s += caps_[static_cast<std::size_t>(idx)].per[static_cast<std::size_t>(q)];
        return s;
    }
    void add_used(int idx, int p, double v) {
        if (idx >= 0) caps_[static_cast<std::size_t>(idx)].u.used[static_cast<std::size_t>(p)] += v;
    }
    void add_queue(int idx, int p, double v) {
        if (idx >= 0) caps_[static_cast<std::size_t>(idx)].u.queue[static_cast<std::size_t>(p)] += v;
    }
    const Serial& serial(std::size_t i) const { return d_.serials[i]; }
    const Itinerary& it(std::size_t i) const { return r_.itineraries[i]; }
    const Itinerary::Way& way(std::size_t i) const { return it(i).onward[static_cast<std::size_t>(s_[i].way)]; }
    const std::string& staging_site(std::size_t i) const {
        return it(i).staging[static_cast<std::size_t>(s_[i].staging)].site;
    }
    // Priority order: priority 1 first, then the earlier RDD, the earlier ETA, the file's order.
    bool before(std::size_t a, std::size_t b) const {
        const Serial &x = serial(a), &y = serial(b);
        if (x.priority != y.priority) return x.priority < y.priority;
        if (x.rdd != y.rdd) return x.rdd < y.rdd;
        if (s_[a].key_eta != s_[b].key_eta) return s_[a].key_eta < s_[b].key_eta;
        return a < b;
    }
    void sort_priority(std::vector<std::size_t>& v) const {
        std::sort(v.begin(), v.end(), [this](std::size_t a, std::size_t b) { return before(a, b); });
    }

    void read_capacities() {
        static const char* const keys[] = {"berths",          "vehicles_per_day", "cargo_t_per_day", "pax_per_day",
                                           "mog_wide_body",   "trains_per_day",   "loading_ramps",   "beds",
                                           "vehicle_parking", "slots_per_day"};
        for (std::size_t i = 0; i < r_.capacities.size(); ++i) {
            const Capacity& c = r_.capacities[i];
            if (std::find_if(std::begin(keys), std::end(keys), [&](const char* k) { return c.key == k; }) ==
                std::end(keys))
                continue;
            const std::string where = "capacities[" + std::to_string(i) + "] (" + c.site + ", " + c.key + ")";
            if (c.per_period.size() < static_cast<std::size_t>(periods_))
                throw std::invalid_argument(where + ": " + std::to_string(c.per_period.size()) +
                                            " periods for a horizon of " + std::to_string(periods_));
            Cap k;
            k.c = &c;
            k.per.assign(c.per_period.begin(), c.per_period.begin() + periods_);
            for (std::size_t p = 0; p < k.per.size(); ++p)
                if (!(k.per[p] >= 0))
                    throw std::invalid_argument(where + ": negative or NaN value in period " + std::to_string(p));
            k.u.site = c.site;
            k.u.key = c.key;
            k.u.used.assign(static_cast<std::size_t>(periods_), 0.0);
            k.u.queue.assign(static_cast<std::size_t>(periods_), 0.0);
            cap_index_[{c.site, c.key}] = static_cast<int>(caps_.size());
            caps_.push_back(std::move(k));
        }
    }

    void setup_lifts(bool perturb, std::mt19937_64& gen) {
        lifts_.resize(d_.lift.size());
        for (std::size_t l = 0; l < d_.lift.size(); ++l) {
            const Lift& lf = d_.lift[l];
            Time eta = lf.eta;
            if (perturb) {
                const double u = uniform01(gen);
                const double spread = std::max(0.0, lf.eta_spread_h);
                eta = lf.eta + seconds_of((2 * u - 1) * spread);
                lifts_[l].period = std::max(0, period_of(eta));
                lifts_[l].arrived = time_of(lifts_[l].period);
            } else {
                lifts_[l].period = std::max(0, period_of(eta));
                lifts_[l].arrived = std::max(eta, start_);
            }
        }
    }

    void setup_serials() {
        s_.resize(d_.serials.size());
        std::map<std::string, std::vector<std::size_t>> carried;
        for (std::size_t l = 0; l < d_.lift.size(); ++l)
            for (const auto& id : d_.lift[l].serials) carried[id].push_back(l);
        for (std::size_t i = 0; i < s_.size(); ++i) {
            const Serial& sr = serial(i);
            SerialState& st = s_[i];
            st.elements = sr.vehicles() + sr.containers();
            st.pax = sr.pax();
            st.cargo_t = sr.mass_t();
            if (st.elements == 0 && st.pax == 0)
                throw std::invalid_argument("serial " + sr.id + " has nothing to move");
            const auto& ls = carried[sr.id];
            if (ls.empty()) {
                st.why = "no lift carries it";
                continue;
            }
            int cargo = -1, pax = -1;
            for (std::size_t l : ls)
                if (cargo < 0 && d_.lift[l].mode != LiftMode::Air) cargo = static_cast<int>(l);
            if (cargo < 0) cargo = static_cast<int>(ls.front());
            for (std::size_t l : ls)
                if (pax < 0 && d_.lift[l].mode == LiftMode::Air && static_cast<int>(l) != cargo)
                    pax = static_cast<int>(l);
            if (pax < 0) pax = cargo;
            st.key_eta = lifts_[static_cast<std::size_t>(cargo)].arrived;  // as drawn, when perturbed
            if (st.elements > 0) {
                st.cargo_lift = cargo;
                const bool air = d_.lift[static_cast<std::size_t>(cargo)].mode == LiftMode::Air;
                st.cargo_left = air ? st.cargo_t : st.elements;
                lifts_[static_cast<std::size_t>(cargo)].parts.emplace_back(i, Part::Cargo);
            } else {
                st.cargo_ashore = true;  // nothing to bring ashore
                st.cargo_driving = true;
            }
            if (st.pax > 0) {
                st.pax_lift = pax;
                st.pax_left = st.pax;
                if (pax != cargo || d_.lift[static_cast<std::size_t>(pax)].mode == LiftMode::Air || st.elements == 0)
                    lifts_[static_cast<std::size_t>(pax)].parts.emplace_back(i, Part::Pax);
            } else {
                st.pax_ashore = true;
                st.pax_driving = true;
            }
            // The wagon loads: one a vehicle; containers are paired once the terminal's
            // wagon is known (make_loads).
            std::vector<double> conts;
            for (const auto& item : sr.items) {
                if (item.cls == ItemClass::Tracked || item.cls == ItemClass::Wheeled)
                    for (int k = 0; k < item.count; ++k) {
                        st.loads.push_back(item.mass_t);
                        st.load_elements.push_back(1);
                    }
                else if (item.cls == ItemClass::Container)
                    for (int k = 0; k < item.count; ++k) conts.push_back(item.mass_t);
            }
            st.elements_left = st.elements;
            st.why.clear();
            pending_containers_[i] = std::move(conts);
        }
    }
    std::map<std::size_t, std::vector<double>> pending_containers_;

    // Lifts whose (possibly drawn) ETA falls in period p join their site's queue; rail and
    // road lifts are ashore at once.
    void arrivals(int p) {
        for (std::size_t l = 0; l < lifts_.size(); ++l) {
            LiftState& ls = lifts_[l];
            if (ls.present || ls.period != p) continue;
            ls.present = true;
            const LiftMode m = d_.lift[l].mode;
            if (m == LiftMode::Rail || m == LiftMode::Road) {
                for (auto& [i, part] : ls.parts) ashore(i, part, ls.arrived);
                ls.done = true;
            }
        }
    }

    void ashore(std::size_t i, Part part, Time t) {
        SerialState& st = s_[i];
        if (part == Part::Cargo) {
            st.cargo_ashore = true;
            st.cargo_ashore_t = t;
            st.cargo_left = 0;
            // Pax on the cargo's own surface lift walk off with it.
            if (st.pax_lift == st.cargo_lift && !st.pax_ashore &&
                d_.lift[static_cast<std::size_t>(st.cargo_lift)].mode != LiftMode::Air) {
                st.pax_ashore = true;
                st.pax_ashore_t = t;
                st.pax_left = 0;
            }
        } else {
            st.pax_ashore = true;
            st.pax_ashore_t = t;
            st.pax_left = 0;
        }
    }

    // Ships at berth and flights on the ground, each site's share in priority order.
    void discharge(int p) {
        std::map<std::string, std::vector<std::size_t>> at_site;
        for (std::size_t l = 0; l < lifts_.size(); ++l)
            if (lifts_[l].present && !lifts_[l].done) at_site[d_.lift[l].at].push_back(l);
        const Time end_p = time_of(p + 1);
        for (auto& [site, ls] : at_site) {
            std::sort(ls.begin(), ls.end(), [this](std::size_t a, std::size_t b) {
                const LiftState &x = lifts_[a], &y = lifts_[b];
                if (x.started != y.started) return x.started;
                if (x.started && x.started_at != y.started_at) return x.started_at < y.started_at;
                if (x.arrived != y.arrived) return x.arrived < y.arrived;
                return a < b;
            });
            const bool air = d_.lift[ls.front()].mode == LiftMode::Air;
            const int slot_cap = cap(site, air ? "mog_wide_body" : "berths");
            const int rate_cap = cap(site, air ? "cargo_t_per_day" : "vehicles_per_day");
            const int pax_cap = air ? cap(site, "pax_per_day") : -1;
            const int slots = floor_count(cap_at(slot_cap, p));
            std::vector<std::size_t> working;
            for (std::size_t k = 0; k < ls.size(); ++k) {
                if (static_cast<int>(k) < slots) {
                    working.push_back(ls[k]);
                    if (!lifts_[ls[k]].started) {
                        lifts_[ls[k]].started = true;
                        lifts_[ls[k]].started_at = time_of(p);
                    }
                } else {
                    add_queue(slot_cap, p, 1);
                    for (auto& [i, part] : lifts_[ls[k]].parts)
                        s_[i].why = std::string(air ? "mog_wide_body" : "berths") + " at " + site + " (lift " +
                                    d_.lift[ls[k]].id + " waiting)";
                }
            }
            add_used(slot_cap, p, static_cast<double>(working.size()));
            // The serials aboard the working lifts, in priority order, share the rates.
            std::vector<std::pair<std::size_t, Part>> parts;
            for (std::size_t l : working)
                for (auto& pr : lifts_[l].parts) parts.push_back(pr);
            std::stable_sort(parts.begin(), parts.end(),
                             [this](const auto& a, const auto& b) { return before(a.first, b.first); });
            double rate = cap_at(rate_cap, p), prate = cap_at(pax_cap, p);
            for (auto& [i, part] : parts) {
                SerialState& st = s_[i];
                if (part == Part::Cargo && !st.cargo_ashore) {
                    const double take = std::min(rate, st.cargo_left);
                    rate -= take;
                    st.cargo_left -= take;
                    add_used(rate_cap, p, take);
                    if (st.cargo_left <= kEps) ashore(i, Part::Cargo, end_p);
                    else {
                        add_queue(rate_cap, p, st.cargo_left);
                        st.why = std::string(air ? "cargo_t_per_day" : "vehicles_per_day") + " at " + site;
                    }
                } else if (part == Part::Pax && !st.pax_ashore) {
                    if (!air) {  // pax alone on a ship: ashore at its first period at berth
                        ashore(i, Part::Pax, end_p);
                        continue;
                    }
                    const double take = std::min(prate, st.pax_left);
                    prate -= take;
                    st.pax_left -= take;
                    add_used(pax_cap, p, take);
                    if (st.pax_left <= kEps) ashore(i, Part::Pax, end_p);
                    else {
                        add_queue(pax_cap, p, st.pax_left);
                        st.why = "pax_per_day at " + site;
                    }
                }
            }
            // Units still aboard lifts waiting for a berth are queued on the rate too.
            for (std::size_t k = working.size(); k < ls.size(); ++k)
                for (auto& [i, part] : lifts_[ls[k]].parts) {
                    if (part == Part::Cargo) add_queue(rate_cap, p, s_[i].cargo_left);
                    else if (air) add_queue(pax_cap, p, s_[i].pax_left);
                }
            for (std::size_t l : working) {
                bool all = true;
                for (auto& [i, part] : lifts_[l].parts)
                    all = all && (part == Part::Cargo ? s_[i].cargo_ashore : s_[i].pax_ashore);
                if (all) lifts_[l].done = true;
            }
        }
    }

    bool way_ok(const Itinerary::Way& w, const Serial& sr) const {
        if (sr.onward == Onward::Rail && w.mode != Onward::Rail) return false;
        if (sr.onward == Onward::Road && w.mode != Onward::Road) return false;
        if (!w.to_destination.feasible) return false;
        if (w.mode == Onward::Rail) return !w.terminal.empty() && w.to_terminal.feasible;
        return true;
    }
    int way_from(std::size_t i, const std::string& site) const {
        const auto& ws = it(i).onward;
        for (std::size_t k = 0; k < ws.size(); ++k)
            if (ws[k].staging == site && way_ok(ws[k], serial(i))) return static_cast<int>(k);
        return -1;
    }

    // Reservations at staging, then the drives to it.
    void staging(int p) {
        std::vector<std::size_t> waiting;
        for (std::size_t i = 0; i < s_.size(); ++i)
            if (s_[i].staging < 0 &&
                ((s_[i].cargo_ashore && s_[i].cargo_lift >= 0) || (s_[i].pax_ashore && s_[i].pax_lift >= 0)))
                waiting.push_back(i);
        sort_priority(waiting);
        const double bpp = d_.life_support.beds_per_person;
        for (std::size_t i : waiting) {
            SerialState& st = s_[i];
            const auto& sts = it(i).staging;
            std::string short_of;
            for (std::size_t k = 0; k < sts.size(); ++k) {
                const std::string& site = sts[k].site;
                if (!sts[k].from_entry.feasible) continue;
                const int w = way_from(i, site);
                if (w < 0) continue;
                const int pk = cap(site, "vehicle_parking"), bd = cap(site, "beds");
                const double need_beds = st.pax * bpp;
                const bool park_ok = cap_at(pk, p) - parking_held_[site] + kEps >= st.elements;
                const bool beds_ok = cap_at(bd, p) - beds_held_[site] + kEps >= need_beds;
                if (park_ok && beds_ok) {
                    st.staging = static_cast<int>(k);
                    st.way = w;
                    parking_held_[site] += st.elements;
                    beds_held_[site] += need_beds;
                    break;
                }
                if (short_of.empty())
                    short_of = (!park_ok ? "vehicle_parking at " + site + " (needs " + std::to_string(st.elements) + ")"
                                         : "beds at " + site + " (needs " + hours_text(need_beds) + ")");
            }
            if (st.staging < 0) {
                st.why = short_of.empty() ? "no staging area with a way on" : short_of;
                const std::string& s0 = sts.empty() ? std::string() : sts.front().site;
                if (!s0.empty()) {
                    add_queue(cap(s0, "vehicle_parking"), p, st.elements);
                    add_queue(cap(s0, "beds"), p, st.pax * bpp);
                }
            }
        }
        for (std::size_t i = 0; i < s_.size(); ++i) {
            SerialState& st = s_[i];
            if (st.staging < 0) continue;
            const auto& stg = it(i).staging[static_cast<std::size_t>(st.staging)];
            const Time link = seconds_of(stg.from_entry.hours);
            if (st.cargo_ashore && !st.cargo_driving) {
                st.cargo_driving = true;
                const Time dep = std::max(st.cargo_ashore_t, time_of(p));
                st.cargo_at = dep + link;
                const bool pax_with = st.pax_lift == st.cargo_lift && st.pax > 0 && !st.pax_driving && st.pax_ashore &&
                                      st.pax_ashore_t <= dep;
                if (pax_with) {
                    st.pax_driving = true;
                    st.pax_at = st.cargo_at;
                }
                out_.movements.push_back({serial(i).id, "road", d_.lift[static_cast<std::size_t>(st.cargo_lift)].at,
                                          stg.site, dep, st.cargo_at, st.elements, pax_with ? st.pax : 0});
            }
            if (st.pax_ashore && !st.pax_driving) {
                st.pax_driving = true;
                const Time dep = std::max(st.pax_ashore_t, time_of(p));
                st.pax_at = dep + link;
                out_.movements.push_back({serial(i).id, "road", d_.lift[static_cast<std::size_t>(st.pax_lift)].at,
                                          stg.site, dep, st.pax_at, 0, st.pax});
            }
            if (!st.is_ready && st.cargo_driving && st.pax_driving) {
                st.is_ready = true;
                st.ready = std::max(st.cargo_at, st.pax_at) + seconds_of(serial(i).dwell_h);
            }
        }
    }

    // A group leaves for the destination: straight there, or to the border's queue.
    void dispatch(Group g) {
        for (std::size_t i : g.serials) ++s_[i].outstanding;
        const std::string& b = it(g.serials.front()).border;
        if (b.empty()) {
            arrive(g, g.arrive);
            return;
        }
        auto f = border_index_.find(b);
        if (f == border_index_.end()) {
            BorderState bs;
            bs.site = b;
            for (const auto& x : d_.borders)
                if (x.site == b) bs.per_day = x.slots_per_day;
            bs.cap = cap(b, "slots_per_day");
            f = border_index_.emplace(b, static_cast<int>(borders_.size())).first;
            borders_.push_back(std::move(bs));
        }
        g.border = f->second;
        transit_.push_back(std::move(g));
    }
    void arrive(const Group& g, Time t) {
        for (std::size_t i : g.serials) {
            SerialState& st = s_[i];
            --st.outstanding;
            st.last_arrival = std::max(st.last_arrival, t);
            if (g.border >= 0) st.crossed = std::max(st.crossed, t);
        }
    }

    void onward_road(int p) {
        std::map<std::string, std::vector<std::size_t>> by_site;
        const Time p0 = time_of(p), p1 = time_of(p + 1);
        for (std::size_t i = 0; i < s_.size(); ++i) {
            const SerialState& st = s_[i];
            if (st.is_ready && !st.all_departed && st.way >= 0 && way(i).mode == Onward::Road) {
                if (st.ready < p1) by_site[staging_site(i)].push_back(i);
                else s_[i].why = "dwell at " + staging_site(i);
            }
        }
        for (auto& [site, list] : by_site) {
            sort_priority(list);
            const RoadSettings& rs = road_settings(site);
            RoadState& road = road_[site];
            road.credit = road.credit - std::floor(road.credit) + rs.march_units_per_hour * r_.step_h;
            const int per_mu = std::max(1, rs.vehicles_per_march_unit);
            if (!(rs.march_units_per_hour > 0)) {
                for (std::size_t i : list) s_[i].why = "march units at " + site + " (march_units_per_hour 0)";
                continue;
            }
            const Time headway = seconds_of(1.0 / rs.march_units_per_hour);
            std::size_t guard = 0, limit = 0;
            for (std::size_t i : list) limit += static_cast<std::size_t>(s_[i].elements_left / per_mu + 2);
            while (road.credit + kEps >= 1 && guard++ <= limit) {
                const Time base = std::max(p0, road.last + headway);
                std::size_t best = list.size();
                Time best_t = 0;
                for (std::size_t k = 0; k < list.size(); ++k) {
                    const SerialState& st = s_[list[k]];
                    if (st.all_departed) continue;
                    const Time t = std::max(st.ready, base);
                    if (best == list.size() || t < best_t) {
                        best = k;
                        best_t = t;
                    }
                }
                if (best == list.size() || best_t >= p1) break;
                const std::size_t i = list[best];
                SerialState& st = s_[i];
                const int n = std::min(per_mu, st.elements_left);
                st.elements_left -= n;
                road.credit -= 1;
                road.last = best_t;
                parking_held_[site] -= n;
                if (!st.departed_set) {
                    st.departed_set = true;
                    st.departed = best_t;
                }
                const bool last = st.elements_left <= 0;
                if (last) {
                    st.all_departed = true;
                    beds_held_[site] -= st.pax * d_.life_support.beds_per_person;
                }
                const Itinerary::Way& w = way(i);
                const Time arr = best_t + seconds_of(w.to_destination.hours);
                out_.movements.push_back(
                    {serial(i).id, "road", site, serial(i).destination, best_t, arr, n, last ? st.pax : 0});
                Group g;
                g.serials = {i};
                g.arrive = arr;
                dispatch(std::move(g));
            }
            for (std::size_t i : list)
                if (!s_[i].all_departed) s_[i].why = "march units at " + site;
        }
    }

    const RoadSettings& road_settings(const std::string& site) const { return d_.road_at(site); }
    const RailSettings& rail_settings(const std::string& terminal) const { return d_.rail_at(terminal); }
    TerminalState& terminal(const std::string& t) {
        auto f = terminals_.find(t);
        if (f != terminals_.end()) return f->second;
        TerminalState ts;
        ts.fleet = ts.available = std::max(0, rail_settings(t).wagons_available);
        return terminals_.emplace(t, std::move(ts)).first->second;
    }

    // Wagon loads of a serial bound for `terminal`: vehicles one a wagon, containers paired.
    void make_loads(std::size_t i, const RailSettings& rs) {
        auto& conts = pending_containers_[i];
        for (std::size_t k = 0; k < conts.size();) {
            if (k + 1 < conts.size() && conts[k] + conts[k + 1] <= rs.wagon.payload_t + kEps) {
                s_[i].loads.push_back(conts[k] + conts[k + 1]);
                s_[i].load_elements.push_back(2);
                k += 2;
            } else {
                s_[i].loads.push_back(conts[k]);
                s_[i].load_elements.push_back(1);
                k += 1;
            }
        }
        conts.clear();
    }

    void onward_rail(int p) {
        const Time p0 = time_of(p), p1 = time_of(p + 1);
        // Ready serials drive to their terminal.
        for (std::size_t i = 0; i < s_.size(); ++i) {
            SerialState& st = s_[i];
            if (!st.is_ready || st.left_staging || st.way < 0 || way(i).mode != Onward::Rail) continue;
            if (st.ready >= p1) {
                st.why = "dwell at " + staging_site(i);
                continue;
            }
            const Itinerary::Way& w = way(i);
            const Time dep = std::max(st.ready, p0);
            st.left_staging = true;
            st.departed_set = true;
            st.departed = dep;
            st.at_terminal = dep + seconds_of(w.to_terminal.hours);
            st.at_term = true;
            const std::string& site = staging_site(i);
            parking_held_[site] -= st.elements;
            beds_held_[site] -= st.pax * d_.life_support.beds_per_person;
            make_loads(i, rail_settings(w.terminal));
            out_.movements.push_back(
                {serial(i).id, "road", site, w.terminal, dep, st.at_terminal, st.elements, st.pax});
        }
        std::map<std::string, std::vector<std::size_t>> by_terminal;
        for (std::size_t i = 0; i < s_.size(); ++i)
            if (s_[i].at_term && !s_[i].all_departed) by_terminal[way(i).terminal].push_back(i);
        for (auto& [term, list] : by_terminal) {
            const RailSettings& rs = rail_settings(term);
            TerminalState& ts = terminal(term);
            const int tcap = cap(term, "trains_per_day"), rcap = cap(term, "loading_ramps");
            int ramps = floor_count(cap_at(rcap, p));
            int trains_here = 0;
            // Priority first, then first come at the terminal.
            std::sort(list.begin(), list.end(), [this](std::size_t a, std::size_t b) {
                if (serial(a).priority != serial(b).priority) return serial(a).priority < serial(b).priority;
                if (s_[a].at_terminal != s_[b].at_terminal) return s_[a].at_terminal < s_[b].at_terminal;
                return before(a, b);
            });
            std::string wait;
            if (rs.paths_per_day <= 0) wait = "train paths at " + term + " (paths_per_day 0)";
            const int paths = std::max(0, rs.paths_per_day);
            // The paths of the day(s) this period spans.
            const int d0 = day_of(p0), d1 = day_of(p1 - 1);
            for (int day = d0; day <= d1 && paths > 0; ++day) {
                for (int k = 0; k < paths; ++k) {
                    const Time tau = start_ + static_cast<Time>(day) * 86400 + static_cast<Time>(k) * 86400 / paths;
                    if (tau < p0 || tau >= p1) continue;
                    for (auto& rt : ts.returns)
                        if (rt.first <= tau && rt.second > 0) {
                            ts.available += rt.second;
                            rt.second = 0;
                        }
                    std::vector<std::size_t> q;
                    for (std::size_t i : list)
                        if (!s_[i].all_departed && s_[i].at_terminal <= tau) q.push_back(i);
                    if (q.empty()) continue;
                    if (cap_at(tcap, p) <= kEps) {
                        wait = "trains_per_day at " + term + " (closed)";
                        continue;
                    }
                    const int day_limit = std::min(paths, floor_count(day_sum(tcap, p)));
                    if (ts.trains_on_day[day] >= day_limit) {
                        wait = "trains_per_day at " + term;
                        continue;
                    }
                    if (ramps <= 0) {
                        wait = "loading_ramps at " + term;
                        continue;
                    }
                    if (!make_train(term, rs, ts, q, tau, wait)) continue;
                    ++ts.trains_on_day[day];
                    --ramps;
                    ++trains_here;
                }
            }
            add_used(tcap, p, trains_here);
            add_used(rcap, p, trains_here);
            double loads_waiting = 0;
            for (std::size_t i : list)
                if (!s_[i].all_departed) {
                    loads_waiting += static_cast<double>(s_[i].loads.size() - s_[i].next_load);
                    // A period without a path keeps what the last path found.
                    if (!wait.empty()) s_[i].why = wait;
                    else if (s_[i].why.find(" at " + term) == std::string::npos) s_[i].why = "train paths at " + term;
                }
            add_queue(tcap, p, loads_waiting);
            add_queue(rcap, p, loads_waiting);
        }
    }

    // Makes up and sends one train from the queue q (priority order) at path time tau.
    bool make_train(const std::string& term, const RailSettings& rs, TerminalState& ts,
                    const std::vector<std::size_t>& q, Time tau, std::string& wait) {
        const std::string& dest = serial(q.front()).destination;
        const double lw = rs.wagon.length_m, tare = rs.wagon.tare_t;
        int n = 0;
        double mass = 0;
        std::vector<std::pair<std::size_t, std::size_t>> take;  // serial, loads taken
        std::vector<std::size_t> riders;
        bool bound = false;
        for (std::size_t i : q) {
            if (serial(i).destination != dest) continue;
            SerialState& st = s_[i];
            std::size_t k = st.next_load;
            for (; k < st.loads.size(); ++k) {
                const double load = st.loads[k];
                if (load > rs.wagon.payload_t + kEps) {
                    wait = "wagon payload at " + term + ": an item of " + hours_text(load) + " t over " +
                           hours_text(rs.wagon.payload_t) + " t";
                    bound = true;
                    break;
                }
                const bool fits = rs.locomotive_length_m + (n + 1) * lw <= rs.max_train_length_m + kEps &&
                                  mass + tare + load <= rs.max_train_mass_t + kEps && n + 1 <= ts.fleet;
                if (!fits) {
                    bound = true;
                    break;
                }
                ++n;
                mass += tare + load;
            }
            if (k > st.next_load || st.loads.empty()) {
                take.emplace_back(i, k);
                riders.push_back(i);
            }
            if (bound) break;
        }
        if (take.empty() && ts.fleet == 0) {
            wait = "wagons at " + term + " (wagons_available 0)";
            return false;
        }
        if (take.empty()) {
            if (wait.empty() || wait.rfind("wagon payload", 0) != 0)
                wait = "train limits at " + term + " (a wagon of " + hours_text(tare) +
                       " t tare does not fit a train of " + hours_text(rs.max_train_length_m) + " m, " +
                       hours_text(rs.max_train_mass_t) + " t)";
            return false;
        }
        if (n > ts.available) {
            wait = "wagons at " + term + " (" + std::to_string(ts.available) + " of " + std::to_string(n) + " back)";
            return false;
        }
        ts.available -= n;
        if (n > 0) ts.returns.emplace_back(tau + seconds_of(rs.wagon_turnaround_h), n);
        TrainRun tr;
        tr.id = "T" + std::to_string(out_.trains.size() + 1);
        tr.terminal = term;
        tr.destination = dest;
        tr.departure = tau;
        tr.wagons = n;
        tr.length_m = rs.locomotive_length_m + n * lw;
        tr.mass_t = mass;
        // The slowest of its serials' rail profiles sets the train's running time.
        double hours = 0;
        for (auto& tk : take) hours = std::max(hours, way(tk.first).to_destination.hours);
        tr.arrival = tau + seconds_of(hours);
        Group g;
        g.train = true;
        for (auto& [i, k] : take) {
            SerialState& st = s_[i];
            int elements = 0;
            for (std::size_t j = st.next_load; j < k; ++j) elements += st.load_elements[j];
            st.next_load = k;
            if (st.next_load >= st.loads.size()) st.all_departed = true;
            tr.serials.push_back(serial(i).id);
            g.serials.push_back(i);
            out_.movements.push_back(
                {serial(i).id, "rail", term, dest, tau, tr.arrival, elements, st.all_departed ? st.pax : 0});
        }
        g.arrive = tr.arrival;
        out_.trains.push_back(std::move(tr));
        dispatch(std::move(g));
        return true;
    }

    void border(int p) {
        const Time p0 = time_of(p), p1 = time_of(p + 1);
        std::vector<std::size_t> order(transit_.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::stable_sort(order.begin(), order.end(),
                         [this](std::size_t a, std::size_t b) { return transit_[a].arrive < transit_[b].arrive; });
        std::vector<bool> gone(transit_.size(), false);
        const int day = day_of(p0);
        for (std::size_t k : order) {
            Group& g = transit_[k];
            if (g.arrive >= p1) continue;
            BorderState& b = borders_[static_cast<std::size_t>(g.border)];
            int cleared = 0;  // a train crosses when all it carries are cleared
            for (std::size_t i : g.serials) cleared = std::max(cleared, it(i).cleared);
            std::string why;
            if (p < cleared) why = "border clearance at " + b.site + " (from period " + std::to_string(cleared) + ")";
            else if (cap_at(b.cap, p) <= kEps) why = "slots_per_day at " + b.site + " (closed)";
            else {
                int limit = floor_count(day_sum(b.cap, p));
                if (b.per_day >= 0) limit = std::min(limit, b.per_day);
                if (b.used_on_day[day] >= limit) why = "slots_per_day at " + b.site;
            }
            if (!why.empty()) {
                for (std::size_t i : g.serials) s_[i].why = why;
                continue;
            }
            ++b.used_on_day[day];
            add_used(b.cap, p, 1);
            arrive(g, std::max(g.arrive, p0));
            gone[k] = true;
        }
        std::vector<Group> keep;
        for (std::size_t k = 0; k < transit_.size(); ++k)
            if (!gone[k]) {
                keep.push_back(std::move(transit_[k]));
                if (keep.back().arrive < p1)
                    add_queue(borders_[static_cast<std::size_t>(keep.back().border)].cap, p, 1);
            }
        transit_ = std::move(keep);
    }

    void record(int p) {
        for (auto& [site, held] : parking_held_) add_used(cap(site, "vehicle_parking"), p, held);
        for (auto& [site, held] : beds_held_) add_used(cap(site, "beds"), p, held);
    }

    Schedule finish() {
        Time closure = 0;
        bool all = true;
        for (std::size_t i = 0; i < s_.size(); ++i) {
            const Serial& sr = serial(i);
            const SerialState& st = s_[i];
            SerialSchedule ss;
            ss.id = sr.id;
            if (st.cargo_lift >= 0 && lifts_[static_cast<std::size_t>(st.cargo_lift)].present)
                ss.arrived = lifts_[static_cast<std::size_t>(st.cargo_lift)].arrived;
            if (st.pax_lift >= 0 && lifts_[static_cast<std::size_t>(st.pax_lift)].present)
                ss.arrived = std::max(ss.arrived, lifts_[static_cast<std::size_t>(st.pax_lift)].arrived);
            ss.discharged =
                st.elements > 0 ? (st.cargo_ashore ? st.cargo_ashore_t : 0) : (st.pax_ashore ? st.pax_ashore_t : 0);
            if (st.is_ready) {
                ss.at_staging = std::max(st.cargo_at, st.pax_at);
                ss.ready = st.ready;
            }
            if (st.departed_set) ss.departed = st.departed;
            if (st.staging >= 0) ss.staging = staging_site(i);
            if (st.way >= 0) {
                ss.mode = way(i).mode == Onward::Rail ? "rail" : "road";
                ss.terminal = way(i).terminal;
            }
            ss.crossed = st.crossed;
            const bool done = st.all_departed && st.outstanding == 0 && st.last_arrival <= end_;
            if (done) {
                ss.closed = st.last_arrival;
                closure = std::max(closure, ss.closed);
                ss.late_h = std::max<double>(0, static_cast<double>(ss.closed - sr.rdd) / 3600.0);
            } else {
                all = false;
                ss.late_h = std::max<double>(0, static_cast<double>(end_ - sr.rdd) / 3600.0);
                ss.why = why_not(i);
            }
            out_.serials.push_back(std::move(ss));
        }
        out_.closure = all ? closure : 0;
        for (auto& c : caps_) out_.utilisation.push_back(std::move(c.u));
        return std::move(out_);
    }

    std::string why_not(std::size_t i) const {
        const SerialState& st = s_[i];
        const int l = st.cargo_lift >= 0 ? st.cargo_lift : st.pax_lift;
        if (l < 0) return "no lift carries it";
        for (int x : {st.cargo_lift, st.pax_lift})
            if (x >= 0 && !lifts_[static_cast<std::size_t>(x)].present)
                return "lift " + d_.lift[static_cast<std::size_t>(x)].id + " arrives after the horizon";
        if (st.all_departed && st.outstanding == 0) return "in transit at the end of the horizon";
        if (st.all_departed && !st.why.empty() && st.why.rfind("border", 0) != 0 && st.why.rfind("slots", 0) != 0)
            return "in transit at the end of the horizon";
        if (st.is_ready && st.ready >= end_) return "dwell at " + staging_site(i) + " past the end of the horizon";
        // One part reserved staging; the other is still being unloaded.
        if ((!st.cargo_ashore || !st.pax_ashore) && !st.why.empty()) return st.why;
        if (st.staging >= 0 && !st.is_ready) return "on the road to " + staging_site(i) + " at the end of the horizon";
        return st.why.empty() ? "not reached by the end of the horizon" : st.why;
    }
};

}  // namespace

Schedule simulate(const Rsom& rsom, const Deployment& deployment, const SimOptions& options,
                  const std::function<bool()>& cancelled) {
    Sim sim(rsom, deployment, options, cancelled);
    return sim.run();
}

std::vector<Schedule> replicate(const Rsom& rsom, const Deployment& deployment, int n, std::uint64_t seed,
                                const std::function<bool()>& cancelled, const std::function<void(int)>& done) {
    if (n < 0) throw std::invalid_argument("replications must be >= 0");
    std::mt19937_64 master(seed);
    std::vector<Schedule> out;
    out.reserve(static_cast<std::size_t>(n));
    for (int k = 0; k < n; ++k) {
        SimOptions o;
        o.seed = master();
        o.perturb = true;
        out.push_back(simulate(rsom, deployment, o, cancelled));
        if (done) done(k + 1);
    }
    return out;
}

std::vector<ClosureStats> closure_percentiles(const std::vector<Schedule>& runs) {
    std::vector<ClosureStats> out;
    if (runs.empty()) return out;
    const std::size_t ns = runs.front().serials.size();
    for (std::size_t i = 0; i < ns; ++i) {
        ClosureStats cs;
        cs.serial = runs.front().serials[i].id;
        std::vector<Time> v;
        for (const auto& r : runs) {
            if (r.serials.size() != ns) throw std::invalid_argument("replications of different deployments");
            const Time c = r.serials[i].closed;
            v.push_back(c == 0 ? std::numeric_limits<Time>::max() : c);
            if (c != 0) ++cs.closed;
        }
        std::sort(v.begin(), v.end());
        const auto rank = [&](double pct) {
            const std::size_t n = v.size();
            std::size_t k = static_cast<std::size_t>(std::ceil(pct / 100.0 * static_cast<double>(n) - kEps));
            k = std::min(std::max<std::size_t>(k, 1), n);
            const Time t = v[k - 1];
            return t == std::numeric_limits<Time>::max() ? Time{0} : t;
        };
        cs.p50 = rank(50);
        cs.p90 = rank(90);
        cs.replications = static_cast<int>(runs.size());
        out.push_back(cs);
    }
    return out;
}

}  // namespace hns
