// SPDX-License-Identifier: MIT
#include "plan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "rail.hpp"

namespace hns {

namespace {

// Capacities without a limit in some periods (a calendar exception on a key the
// catalogue has no figure for) are given this instead of infinity.
constexpr double kLarge = 1e9;

int periods_for(double hours, double step_h) {
    return hours <= 0 ? 0 : static_cast<int>(std::ceil(hours / step_h - 1e-9));
}

struct Builder {
    const Rsom& rsom;
    Plan plan;
    std::map<std::string, int> node_index;
    std::map<std::string, int> resource_index;

    FlowModel& m() { return plan.model; }

    int node(const std::string& name, bool can_wait = true, int wait_resource = -1) {
        const auto it = node_index.find(name);
        if (it != node_index.end()) return it->second;
        FlowNode n;
        n.name = name, n.can_wait = can_wait, n.wait_resource = wait_resource;
        m().nodes.push_back(n);
        return node_index[name] = static_cast<int>(m().nodes.size()) - 1;
    }

    // The resource of a site capacity, -1 when the site has no such limit.
    int capacity(const std::string& site, const std::string& key) {
        const std::string name = site + "|" + key;
        if (const auto it = resource_index.find(name); it != resource_index.end()) return it->second;
        const int c = rsom.capacity(site, key);
        if (c < 0) return resource_index[name] = -1;
        const Capacity& cap = rsom.capacities[static_cast<std::size_t>(c)];
        FlowResource r;
        r.site = site, r.key = key, r.unit = cap.unit;
        r.cap = cap.per_period;
        for (double& v : r.cap)
            if (!std::isfinite(v)) v = kLarge;
        // A port discharges only while a ship is at a berth, an airbase only while an
        // aircraft is on the ground (as the schedule has it): no berth in force (a berth
        // closed by a calendar exception), no discharge in that period.
        const char* gate = key == "vehicles_per_day"                          ? "berths"
                           : key == "cargo_t_per_day" || key == "pax_per_day" ? "mog_wide_body"
                                                                              : nullptr;
        if (const int g = gate ? rsom.capacity(site, gate) : -1; g >= 0) {
            const auto& slots = rsom.capacities[static_cast<std::size_t>(g)].per_period;
            for (std::size_t p = 0; p < r.cap.size() && p < slots.size(); ++p)
                if (std::isfinite(slots[p]) && slots[p] < 1 - 1e-9) r.cap[p] = 0;
        }
        return add(std::move(r));
    }
    // A resource the deployment defines rather than the catalogue (march units, wagons).
    int own(const std::string& site, const std::string& key, const std::string& unit, double per_period) {
        const std::string name = site + "|" + key;
        if (const auto it = resource_index.find(name); it != resource_index.end()) return it->second;
        FlowResource r;
        r.site = site, r.key = key, r.unit = unit;
        r.cap.assign(static_cast<std::size_t>(rsom.periods), per_period);
        return add(std::move(r));
    }
    int add(FlowResource r) {
        const std::string name = r.site + "|" + r.key;
        m().resources.push_back(std::move(r));
        return resource_index[name] = static_cast<int>(m().resources.size()) - 1;
    }

    // An arc for one commodity, drawing `usage` on `resource` when it leaves (resource
    // -1: none). Returns its index.
    int arc(int from, int to, int delay, int k, int resource = -1, double usage = 0) {
        FlowArc a;
        a.from = from, a.to = to, a.delay = delay, a.resource = resource;
        a.commodities = {k}, a.usage = {resource >= 0 ? usage : 0.0};
        m().arcs.push_back(std::move(a));
        return static_cast<int>(m().arcs.size()) - 1;
    }
    void draw(int a, int resource, int first, int last, double usage) {
        if (resource < 0 || usage <= 0) return;
        m().arcs[static_cast<std::size_t>(a)].draws.push_back({resource, first, last, {usage}});
    }
};

// Pools the commodities alike in everything but their amount and RDD: the same sink and
// weight, one supply at the same node and period (one lift), arcs from and to the same
// nodes with the same delays, first periods, costs and per-unit draws, and no coupling.
// Their units are interchangeable: any flow of the pool splits into the serials' flows
// with its deliveries given in RDD order, so the pool's backlog lateness is theirs and
// the optimum is the same. build_plan gives every arc one commodity.
void pool_alike(Plan& plan) {
    FlowModel& m = plan.model;
    const std::size_t K = m.commodities.size();
    std::vector<std::vector<std::size_t>> arcs_of(K);
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        if (m.arcs[a].commodities.size() != 1) return;
        arcs_of[static_cast<std::size_t>(m.arcs[a].commodities[0])].push_back(a);
    }
    std::vector<char> coupled(K, 0);
    for (const FlowCoupling& c : m.couplings)
        for (const auto* side : {&c.a, &c.b})
            for (const auto& ak : *side) coupled[static_cast<std::size_t>(ak.second)] = 1;
    auto exact = [](double v) {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%a", v);
        return std::string(buf);
    };
    auto ints = [](std::initializer_list<int> v) {
        std::string t;
        for (const int i : v) t += std::to_string(i) + ",";
        return t;
    };
    // The commodities of each kind, in their order; the key of each (empty: on its own).
    std::map<std::string, std::vector<std::size_t>> kinds;
    std::vector<std::string> key(K);
    for (std::size_t k = 0; k < K; ++k) {
        const FlowCommodity& c = m.commodities[k];
        if (coupled[k] || c.supply.size() != 1) continue;
        std::string t = ints({c.sink, c.supply[0].node, c.supply[0].period}) + exact(c.weight);
        std::vector<std::string> arcs;
        for (const std::size_t a : arcs_of[k]) {
            const FlowArc& arc = m.arcs[a];
            std::string u = ints({arc.from, arc.to, arc.delay, arc.resource, arc.first_period}) + exact(arc.usage[0]) +
                            "," + exact(arc.cost);
            for (const FlowDraw& d : arc.draws) u += ";" + ints({d.resource, d.first, d.last}) + exact(d.usage[0]);
            arcs.push_back(std::move(u));
        }
        std::sort(arcs.begin(), arcs.end());
        for (const std::string& u : arcs) t += "|" + u;
        key[k] = t;
        kinds[t].push_back(k);
    }
    // The new commodities, in the order of their first member.
    std::vector<int> pool_of(K, -1), part_of(K, -1);
    std::vector<FlowCommodity> commodities;
    std::vector<std::vector<FlowDue>> due;
    for (std::size_t k = 0; k < K; ++k) {
        if (pool_of[k] >= 0) continue;
        const int nk = static_cast<int>(commodities.size());
        FlowCommodity c = m.commodities[k];
        due.emplace_back();
        const auto it = key[k].empty() ? kinds.end() : kinds.find(key[k]);
        if (it == kinds.end() || it->second.size() < 2) {
            pool_of[k] = nk;
            commodities.push_back(std::move(c));
            continue;
        }
        double total = 0;
        c.name.clear();
        for (std::size_t j = 0; j < it->second.size(); ++j) {
            const std::size_t mk = it->second[j];
            const FlowCommodity& member = m.commodities[mk];
            pool_of[mk] = nk, part_of[mk] = static_cast<int>(j);
            total += member.supply[0].amount;
            due.back().push_back({member.rdd, member.supply[0].amount});
            c.name += (j ? "+" : "") + member.name;
        }
        c.supply[0].amount = total;
        commodities.push_back(std::move(c));
    }
    // The arcs of the pools' first members carry the pools; the others go.
    std::vector<int> arc_to(m.arcs.size(), -1);
    std::vector<FlowArc> arcs;
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        const auto k = static_cast<std::size_t>(m.arcs[a].commodities[0]);
        if (part_of[k] > 0) continue;
        arc_to[a] = static_cast<int>(arcs.size());
        arcs.push_back(std::move(m.arcs[a]));
        arcs.back().commodities[0] = pool_of[k];
    }
    for (FlowCoupling& c : m.couplings)
        for (auto* side : {&c.a, &c.b})
            for (auto& [a, k] : *side)
                a = arc_to[static_cast<std::size_t>(a)], k = pool_of[static_cast<std::size_t>(k)];
    m.arcs = std::move(arcs);
    m.commodities = std::move(commodities);
    m.due = std::move(due);
    for (auto* list : {&plan.cargo, &plan.pax}) {
        auto& part = list == &plan.cargo ? plan.cargo_part : plan.pax_part;
        for (std::size_t si = 0; si < list->size(); ++si) {
            const int k = (*list)[si];
            if (k < 0) continue;
            (*list)[si] = pool_of[static_cast<std::size_t>(k)];
            part[si] = part_of[static_cast<std::size_t>(k)];
        }
    }
}

}  // namespace

Plan build_plan(const Rsom& rsom, const PlanOptions& options) {
    const Deployment& dep = *rsom.deployment;
    Builder b{rsom, {}, {}, {}};
    FlowModel& m = b.m();
    m.periods = rsom.periods;
    m.step_h = rsom.step_h;
    const double step = rsom.step_h;
    b.plan.cargo.assign(dep.serials.size(), -1);
    b.plan.pax.assign(dep.serials.size(), -1);
    b.plan.cargo_part.assign(dep.serials.size(), -1);
    b.plan.pax_part.assign(dep.serials.size(), -1);

    for (const Itinerary& it : rsom.itineraries) {
        const Serial& s = dep.serials[it.serial];
        const Lift& lift = dep.lift[it.lift];
        const Lift& pax_lift = dep.lift[it.pax_lift];
        const double units = s.vehicles() + s.containers(), people = s.pax();
        // Priority 1 weighs most: each step down halves the weight.
        const double weight = std::ldexp(1.0, -std::min(s.priority - 1, 20));
        const int rdd = rsom.period_of(s.rdd);
        const int dest = b.node("D:" + s.destination);
        auto commodity = [&](const std::string& what, double amount, const Lift& by, int arrival) {
            FlowCommodity c;
            c.name = s.id + ":" + what;
            c.weight = weight;
            c.sink = dest;
            c.rdd = rdd;
            c.supply = {{b.node("L:" + by.id), std::clamp(arrival, 0, rsom.periods - 1), amount}};
            m.commodities.push_back(std::move(c));
            return static_cast<int>(m.commodities.size()) - 1;
        };
        const int kc = units > 0 ? commodity("cargo", units, lift, it.arrival) : -1;
        const int kp = people > 0 ? commodity("pax", people, pax_lift, it.pax_arrival) : -1;
        b.plan.cargo[it.serial] = kc, b.plan.pax[it.serial] = kp;
        const double mass_per_unit = units > 0 ? s.mass_t() / units : 0;

        // Discharge at the entry site into its yard.
        const int lift_node = b.node("L:" + lift.id);
        const int yard = b.node("Y:" + it.entry);
        if (kc >= 0) {
            int res = -1;
            double use = 1;
            if (lift.mode == LiftMode::Sea) res = b.capacity(it.entry, "vehicles_per_day");
            if (lift.mode == LiftMode::Air) res = b.capacity(it.entry, "cargo_t_per_day"), use = mass_per_unit;
            b.arc(lift_node, yard, 0, kc, res, use);
        }
        const int pax_yard = b.node("Y:" + it.pax_entry);
        if (kp >= 0)
            b.arc(b.node("L:" + pax_lift.id), pax_yard, 0, kp,
                  pax_lift.mode == LiftMode::Air ? b.capacity(it.pax_entry, "pax_per_day") : -1, 1);

        // To staging, the dwell holding parking and beds, waiting there holding them too.
        const int dwell = periods_for(s.dwell_h, step);
        for (const auto& st : it.staging) {
            const int road = periods_for(st.from_entry.hours, step);
            if (kc >= 0) {
                const int in = b.node("I:" + st.site + ":cargo", false);
                const int ready = b.node("R:" + st.site + ":cargo", true, b.capacity(st.site, "vehicle_parking"));
                b.arc(yard, in, road, kc);
                const int a = b.arc(in, ready, dwell, kc);
                if (dwell > 0) b.draw(a, b.capacity(st.site, "vehicle_parking"), 0, dwell - 1, 1);
            }
            if (kp >= 0) {
                const int in = b.node("I:" + st.site + ":pax", false);
                const int ready = b.node("R:" + st.site + ":pax", true, b.capacity(st.site, "beds"));
                b.arc(pax_yard, in, periods_for(st.from_pax_entry.hours, step), kp);
                const int a = b.arc(in, ready, dwell, kp);
                if (dwell > 0) b.draw(a, b.capacity(st.site, "beds"), 0, dwell - 1, 1);
            }
        }

        // On: by road in march units, or by rail in whole trains; across the border.
        const int slots = it.border.empty() ? -1 : b.capacity(it.border, "slots_per_day");
        for (const auto& way : it.onward) {
            const int ready_c = kc >= 0 ? b.node("R:" + way.staging + ":cargo") : -1;
            const int ready_p = kp >= 0 ? b.node("R:" + way.staging + ":pax") : -1;
            int cargo_arc = -1, pax_arc = -1;
            if (way.mode == Onward::Road) {
                const RoadSettings& road = dep.road_at(way.staging);
                const int delay = periods_for(way.to_destination.hours, step);
                const double per_mu = std::max(1, road.vehicles_per_march_unit);
                if (kc >= 0) {
                    const int march =
                        b.own(way.staging, "march_units", "vehicles", road.march_units_per_hour * per_mu * step);
                    cargo_arc = b.arc(ready_c, dest, delay, kc, march, 1);
                    b.draw(cargo_arc, slots, delay, delay, 1.0 / per_mu);
                }
                if (kp >= 0) pax_arc = b.arc(ready_p, dest, delay, kp);
                const int first = std::max(0, it.cleared - delay);
                if (!it.border.empty()) {
                    if (cargo_arc >= 0) m.arcs[static_cast<std::size_t>(cargo_arc)].first_period = first;
                    if (pax_arc >= 0) m.arcs[static_cast<std::size_t>(pax_arc)].first_period = first;
                }
            } else {
                const RailSettings& rail = dep.rail_at(way.terminal);
                const int to_terminal = periods_for(way.to_terminal.hours, step);
                const int by_rail = periods_for(way.to_destination.hours, step);
                const int term_c = kc >= 0 ? b.node("T:" + way.terminal + ":cargo") : -1;
                const int term_p = kp >= 0 ? b.node("T:" + way.terminal + ":pax") : -1;
                if (kc >= 0) {
                    cargo_arc = b.arc(ready_c, term_c, to_terminal, kc);
                    // Wagons per unit: one per vehicle, one per two containers.
                    const double wagons = (s.vehicles() + 0.5 * s.containers()) / units;
                    const int per_train = std::max(1, wagons_per_train(rail, mass_per_unit));
                    const double trains = wagons / per_train;
                    const int train =
                        b.arc(term_c, dest, by_rail, kc, b.capacity(way.terminal, "trains_per_day"), trains);
                    b.draw(train, b.capacity(way.terminal, "paths_per_day"), 0, 0, trains);
                    const int turnaround = std::max(1, periods_for(rail.wagon_turnaround_h, step));
                    b.draw(train, b.own(way.terminal, "wagons", "wagons", rail.wagons_available), 0, turnaround - 1,
                           wagons);
                    b.draw(train, slots, by_rail, by_rail, trains);
                    if (!it.border.empty())
                        m.arcs[static_cast<std::size_t>(train)].first_period = std::max(0, it.cleared - by_rail);
                }
                if (kp >= 0) {
                    pax_arc = b.arc(ready_p, term_p, to_terminal, kp);
                    const int ride = b.arc(term_p, dest, by_rail, kp);
                    if (!it.border.empty())
                        m.arcs[static_cast<std::size_t>(ride)].first_period = std::max(0, it.cleared - by_rail);
                }
            }
            // Personnel leave staging with their vehicles.
            if (cargo_arc >= 0 && pax_arc >= 0)
                m.couplings.push_back(
                    {s.id + " marry-up via " + way.staging, {{cargo_arc, kc}}, {{pax_arc, kp}}, people, units});
        }
    }
    if (options.pool) pool_alike(b.plan);
    return std::move(b.plan);
}

PlanResult read_plan(const Rsom& rsom, const Plan& plan, FlowLp& lp, bool closure_bound) {
    const Deployment& dep = *rsom.deployment;
    PlanResult out;
    out.solution = lp.solve();
    const FlowSolution& sol = out.solution;
    const FlowModel& m = plan.model;
    // The pools' deliveries per part, in RDD order.
    std::map<int, std::vector<std::vector<double>>> split;
    auto share = [&](int k, int part) -> const std::vector<double>& {
        auto it = split.find(k);
        if (it == split.end())
            it = split
                     .emplace(
                         k, pool_split(m.due[static_cast<std::size_t>(k)], sol.delivered[static_cast<std::size_t>(k)]))
                     .first;
        return it->second[static_cast<std::size_t>(part)];
    };
    constexpr double kTolerance = 1e-6;  // as FlowSolution::last_delivery
    for (std::size_t si = 0; si < dep.serials.size(); ++si) {
        PlanSerial ps;
        ps.serial = dep.serials[si].id;
        int last = -1;
        bool all = true;
        const bool has_parts = si < plan.cargo_part.size() && si < plan.pax_part.size();
        for (const auto& [k, part] : {std::pair{plan.cargo[si], has_parts ? plan.cargo_part[si] : -1},
                                      std::pair{plan.pax[si], has_parts ? plan.pax_part[si] : -1}}) {
            if (k < 0) continue;
            const auto ku = static_cast<std::size_t>(k);
            int l = -1;
            if (part < 0) {
                ps.undelivered += sol.undelivered[ku];
                l = sol.last_delivery(ku);
            } else {
                const std::vector<double>& got = share(k, part);
                double sum = 0;
                for (const double v : got) sum += v;
                const double left = std::max(0.0, m.due[ku][static_cast<std::size_t>(part)].amount - sum);
                ps.undelivered += left;
                if (left <= kTolerance)
                    for (std::size_t p = got.size(); p-- > 0;)
                        if (got[p] > kTolerance) {
                            l = static_cast<int>(p);
                            break;
                        }
            }
            if (l < 0) all = false;
            last = std::max(last, l);
        }
        if (all && last >= 0) {
            ps.closed = rsom.time_of(last + 1);
            ps.late_h = std::max(0.0, static_cast<double>(ps.closed - dep.serials[si].rdd) / 3600.0);
        }
        out.serials.push_back(ps);
    }
    // Bottlenecks: runs of periods with a shadow price.
    const auto& res = plan.model.resources;
    for (std::size_t r = 0; r < res.size(); ++r) {
        const auto& price = sol.shadow_price[r];
        for (int p = 0; p < rsom.periods;) {
            if (price[static_cast<std::size_t>(p)] <= 1e-7) {
                ++p;
                continue;
            }
            Bottleneck bn;
            bn.site = res[r].site, bn.resource = res[r].key, bn.unit = res[r].unit;
            bn.from = rsom.time_of(p);
            while (p < rsom.periods && price[static_cast<std::size_t>(p)] > 1e-7)
                bn.shadow_price += price[static_cast<std::size_t>(p)], ++p;
            bn.to = rsom.time_of(p);
            out.bottlenecks.push_back(bn);
        }
    }
    std::stable_sort(out.bottlenecks.begin(), out.bottlenecks.end(),
                     [](const Bottleneck& a, const Bottleneck& b) { return a.shadow_price > b.shadow_price; });
    if (!closure_bound) return out;
    out.closure_lp = lp.earliest_closure();
    if (out.closure_lp >= 0) out.closure_lp_h = (out.closure_lp + 1) * rsom.step_h;
    return out;
}

std::vector<Suggestion> suggest(const Rsom& rsom, const Plan& plan, FlowLp& lp, const PlanResult& base,
                                std::size_t tries) {
    std::vector<Suggestion> out;
    const Deployment& dep = *rsom.deployment;
    const auto& res = plan.model.resources;
    auto c_day = [&](Time t) { return "C+" + std::to_string(static_cast<long long>((t - dep.start) / 86400)); };
    for (std::size_t i = 0; i < base.bottlenecks.size() && i < tries; ++i) {
        const Bottleneck& bn = base.bottlenecks[i];
        int r = -1;
        for (std::size_t k = 0; k < res.size(); ++k)
            if (res[k].site == bn.site && res[k].key == bn.resource) r = static_cast<int>(k);
        if (r < 0) continue;
        const int c = rsom.capacity(bn.site, bn.resource);
        const bool stock = c >= 0 ? rsom.capacities[static_cast<std::size_t>(c)].stock
                                  : bn.resource == "wagons";  // the deployment's own: wagons are held
        const int p0 = rsom.period_of(bn.from), p1 = rsom.period_of(bn.to);
        double peak = 0;
        for (int p = p0; p < p1; ++p)
            peak = std::max(peak, res[static_cast<std::size_t>(r)].cap[static_cast<std::size_t>(p)]);
        // A daily rate gets one more a day; the march units an hour one more an hour; a
        // stock a tenth more (at least one).
        const bool hourly = bn.resource == "march_units";
        const double more = stock ? std::max(1.0, std::round(0.1 * peak)) : 1.0;
        // The march resource counts vehicles: one more march unit an hour is that many.
        const double per_mu = hourly ? std::max(1, dep.road_at(bn.site).vehicles_per_march_unit) : 1;
        const double per_period = stock ? more : hourly ? more * per_mu * rsom.step_h : more * rsom.step_h / 24.0;
        std::vector<double> saved(static_cast<std::size_t>(p1 - p0));
        for (int p = p0; p < p1; ++p) {
            const double v = res[static_cast<std::size_t>(r)].cap[static_cast<std::size_t>(p)];
            saved[static_cast<std::size_t>(p - p0)] = v;
            lp.set_capacity(r, p, v + per_period);
        }
        const PlanResult more_plan = read_plan(rsom, plan, lp, false);
        for (int p = p0; p < p1; ++p) lp.set_capacity(r, p, saved[static_cast<std::size_t>(p - p0)]);
        Suggestion sg;
        sg.site = bn.site, sg.resource = bn.resource, sg.from = bn.from, sg.to = bn.to, sg.more = more;
        for (std::size_t k = 0; k < base.serials.size(); ++k) {
            const Time a = base.serials[k].closed, b = more_plan.serials[k].closed;
            if (a > 0 && b > 0) sg.serial_days += static_cast<double>(a - b) / 86400.0;
        }
        sg.lateness_h = base.solution.lateness - more_plan.solution.lateness;
        if (sg.serial_days <= 1e-9 && sg.lateness_h <= 1e-6) continue;
        char amount[32];
        std::snprintf(amount, sizeof amount, "%g", more);
        sg.more_text = std::string("+") + amount + " " + bn.resource + (stock ? "" : hourly ? " an hour" : " a day");
        char saves[64];
        std::snprintf(saves, sizeof saves, "%.1f serial-days", sg.serial_days);
        sg.text =
            sg.more_text + " at " + bn.site + " on " + c_day(bn.from) + ".." + c_day(bn.to - 1) + " saves " + saves;
        out.push_back(sg);
    }
    // Put the plan back as it was for the caller.
    (void)lp.solve();
    std::stable_sort(out.begin(), out.end(), [](const Suggestion& a, const Suggestion& b) {
        return a.serial_days != b.serial_days ? a.serial_days > b.serial_days : a.lateness_h > b.lateness_h;
    });
    return out;
}

}  // namespace hns
