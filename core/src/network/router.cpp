// SPDX-License-Identifier: MIT
// Exact point-to-point search: Dijkstra and A* with landmarks (ALT; Goldberg & Harrelson,
// "Computing the shortest path: A* search meets graph theory", SODA 2005). Potentials
// are pi(v) = max_L max(d(v,L) - d(t,L), d(L,t) - d(L,v)); each term is feasible by the
// triangle inequality, so is their maximum, and they stay feasible on any subgraph and
// under any cost increase because true distances there can only grow.
// On node-based graphs the ALT search is bidirectional with the average potential
// p(v) = (pi_t(v) - pi_s(v)) / 2 (Ikeda et al. 1994; Goldberg & Harrelson, section 5),
// which is feasible for the forward search and its negation for the backward one, so
// both run on the same reduced costs and stop when top_f + top_b >= mu (the best meeting
// cost): exact, like plain bidirectional Dijkstra on the reduced graph.
#include "mp/network/router.hpp"

#include <algorithm>
#include <atomic>
#include <cassert>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <numeric>
#include <set>
#include <thread>
#include <unordered_map>

#include "mp/geo/geodesic.hpp"

namespace mp::network {

namespace bg = boost::geometry;

std::string_view metric_name(Metric m) { return m == Metric::Shortest ? "shortest" : "fastest"; }

geo::LineString sub_line(const geo::LineString& line, double from, double to) {
    geo::LineString out;
    if (line.size() < 2) return line;
    from = std::clamp(from, 0.0, 1.0);
    to = std::clamp(to, from, 1.0);
    std::vector<double> cum(line.size(), 0.0);
    for (std::size_t i = 1; i < line.size(); ++i) cum[i] = cum[i - 1] + geo::distance_m(line[i - 1], line[i]);
    const double total = cum.back();
    if (total <= 0) return {line.front(), line.back()};
    const double a = from * total, b = to * total;
    auto at = [&](double d) {
        std::size_t i = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), d) - cum.begin());
        i = std::clamp<std::size_t>(i, 1, line.size() - 1);
        const double seg = cum[i] - cum[i - 1];
        const double t = seg > 0 ? (d - cum[i - 1]) / seg : 0;
        return geo::lonlat(geo::lon(line[i - 1]) + t * (geo::lon(line[i]) - geo::lon(line[i - 1])),
                           geo::lat(line[i - 1]) + t * (geo::lat(line[i]) - geo::lat(line[i - 1])));
    };
    out.push_back(at(a));
    for (std::size_t i = 1; i + 1 < line.size(); ++i)
        if (cum[i] > a && cum[i] < b) out.push_back(line[i]);
    out.push_back(at(b));
    return out;
}

namespace {

constexpr std::uint32_t kInit = 0x80000000u;  // parent marker: a seed, with its seed edge in the low bits

struct Landmarks {
    double speed_cap = 0;  // 0: free-flow speeds; else the travel times at most this speed
    // A vehicle customisation: the crossing mode per restriction (0 blocked) the set was
    // computed with; empty for the free-flow and speed-cap-only sets.
    std::vector<std::uint8_t> restr_mode;
    std::uint32_t count = 0;
    std::vector<std::uint32_t> nodes;
    // d(L_i, v) at 2 * (v * count + i) and d(v, L_i) at 2 * (v * count + i) + 1: one
    // node's bounds sit together, so a potential costs one or two cache lines.
    std::vector<std::uint32_t> dist;
    std::uint32_t fwd(std::size_t v, std::uint32_t i) const { return dist[2 * (v * count + i)]; }
    std::uint32_t bwd(std::size_t v, std::uint32_t i) const { return dist[2 * (v * count + i) + 1]; }
};

/// Per-query edge costs: the vehicle filter, avoided areas, speed caps and penalties.
struct Costs {
    const Graph* g = nullptr;
    Metric metric = Metric::Fastest;
    double speed_cap = 0;
    CrossingRules rules;
    std::vector<std::uint8_t> restr_mode;         // per restriction: 0 blocked, else CrossingMode
    std::vector<std::uint8_t> seg_blocked;        // per segment, empty when nothing is avoided
    const std::vector<float>* penalty = nullptr;  // per segment

    std::uint8_t mode(std::uint32_t e) const {
        const std::uint32_t r = g->edge_restriction[e];
        return r == kNone || restr_mode.empty() ? 1 : restr_mode[r];
    }
    std::uint32_t time(std::uint32_t e, std::uint8_t m) const {
        double cap = speed_cap;
        if (m == 2) cap = cap > 0 ? std::min(cap, rules.caution_speed_kmh) : rules.caution_speed_kmh;
        if (m == 3) cap = cap > 0 ? std::min(cap, rules.risk_speed_kmh) : rules.risk_speed_kmh;
        if (cap > 0 && g->speed_kmh[e] > cap) return travel_time_ds(g->length_dm[e], cap);
        return g->time_ds[e];
    }
    std::uint32_t operator()(std::uint32_t e) const {
        const std::uint8_t m = mode(e);
        if (m == 0) return kInfCost;
        if (!seg_blocked.empty() && seg_blocked[g->segment_of(e)]) return kInfCost;
        std::uint32_t c = metric == Metric::Fastest ? time(e, m) : g->length_dm[e];
        if (penalty) c = static_cast<std::uint32_t>(std::ceil(c * (*penalty)[g->segment_of(e)]));
        return c;
    }
    bool usable(std::uint32_t e) const { return (*this)(e) != kInfCost; }
};

struct Seed {
    std::uint32_t state, cost, edge;
};
struct Goal {
    std::uint32_t node, extra, edge;
};

struct SearchOut {
    std::uint32_t cost = kInfCost;
    std::uint32_t state = kNone;  // the state the goal was reached from (kNone: direct)
    int goal = -1;
    std::size_t settled = 0;
    bool bidirectional = false;  // then `state` is the node where both searches met
};

std::uint32_t frac_cost(double f, std::uint32_t c) {
    return static_cast<std::uint32_t>(std::floor(std::clamp(f, 0.0, 1.0) * c));
}

}  // namespace

struct Router::Impl {
    const Graph& g;
    std::unique_ptr<Snapper> snapper;
    Landmarks lm[2];
    std::vector<Landmarks> capped;  // fastest-metric sets for vehicle speed caps
    // Search state with version stamps, so a query never clears O(n) memory. One
    // 16-byte record per state keeps a relaxation to one cache miss.
    struct State {
        std::uint32_t dist, parent, stamp, pot;  // stamp: cur when reached, cur | kSettled when settled
    };
    static constexpr std::uint32_t kSettled = 0x80000000u;
    std::vector<State> states;
    std::vector<std::uint32_t> pot, pot_stamp;  // per-node potential cache (edge-based search)
    std::uint32_t cur = 0;
    std::vector<std::uint64_t> heap;
    // Bidirectional search: backward states (same stamps), both heaps keyed by doubled
    // reduced distances (signed), and the tail of every reverse-adjacency entry.
    std::vector<State> bstates;
    std::vector<std::pair<std::int64_t, std::uint32_t>> fheap, bheap;
    std::vector<std::uint32_t> in_tail;
    std::vector<std::uint32_t> seed_nodes;
    // Per-query potential data.
    const Landmarks* active_lm = nullptr;
    std::vector<std::uint32_t> active;
    std::vector<std::uint32_t> goal_nodes;

    explicit Impl(const Graph& graph) : g(graph) {}

    void ensure(std::size_t n_states) {
        if (states.size() < n_states) states.assign(n_states, State{0, 0, 0, 0});
        if (pot.size() < g.nodes()) {
            pot.assign(g.nodes(), 0);
            pot_stamp.assign(g.nodes(), 0);
        }
        if (++cur >= kSettled) {  // wrapped: clear once every 2 billion queries
            for (auto& x : states) x.stamp = 0;
            for (auto& x : bstates) x.stamp = 0;
            std::fill(pot_stamp.begin(), pot_stamp.end(), 0);
            cur = 1;
        }
        heap.clear();
    }
    bool reached(std::uint32_t st) const { return (states[st].stamp & ~kSettled) == cur; }
    bool settled(std::uint32_t st) const { return states[st].stamp == (cur | kSettled); }

    /// Lower bound of d(a, b) from landmark i by the triangle inequality:
    /// max(d(a,L) - d(b,L), d(L,b) - d(L,a)), leaving out unreachable terms.
    static std::int64_t bound(const Landmarks& L, std::uint32_t a, std::uint32_t b, std::uint32_t i) {
        std::int64_t h = 0;
        const std::uint32_t ab = L.bwd(a, i), bb = L.bwd(b, i), af = L.fwd(a, i), bf = L.fwd(b, i);
        if (ab != kInfCost && bb != kInfCost) h = std::max<std::int64_t>(h, std::int64_t{ab} - bb);
        if (bf != kInfCost && af != kInfCost) h = std::max<std::int64_t>(h, std::int64_t{bf} - af);
        return h;
    }

    /// Lower bound of the distance from v to the nearest goal (kToGoals) or from the
    /// nearest seed to v, over the active landmarks.
    template <bool kToGoals>
    std::uint32_t bound_over(std::uint32_t v) const {
        const Landmarks& L = *active_lm;
        std::int64_t best = std::numeric_limits<std::int64_t>::max();
        for (std::uint32_t u : kToGoals ? goal_nodes : seed_nodes) {
            std::int64_t h = 0;
            for (std::uint32_t i : active) h = std::max(h, kToGoals ? bound(L, v, u, i) : bound(L, u, v, i));
            best = std::min(best, h);
        }
        return static_cast<std::uint32_t>(std::max<std::int64_t>(0, best));
    }
    std::uint32_t compute_potential(std::uint32_t v) const { return bound_over<true>(v); }

    std::uint32_t potential(std::uint32_t v) {
        if (pot_stamp[v] == cur) return pot[v];
        pot_stamp[v] = cur;
        pot[v] = compute_potential(v);
        return pot[v];
    }

    void choose_active(const Landmarks& L, const std::vector<Seed>& seeds, bool edge_based, std::uint32_t k = 8) {
        active_lm = &L;
        active.clear();
        std::vector<std::pair<std::int64_t, std::uint32_t>> score;
        std::uint32_t s = seeds.empty() ? 0 : seeds.front().state;
        if (edge_based && !seeds.empty()) s = g.head[s];
        for (std::uint32_t i = 0; i < L.count; ++i) {
            std::int64_t h = 0;
            for (std::uint32_t t : goal_nodes) h = std::max(h, bound(L, s, t, i));
            score.emplace_back(h, i);
        }
        std::sort(score.rbegin(), score.rend());
        for (std::size_t i = 0; i < std::min<std::size_t>(k, score.size()); ++i) active.push_back(score[i].second);
    }

    /// Doubled average potential 2p(v) = pi_t(v) - pi_s(v), cached per node and query.
    std::int64_t average_potential(std::uint32_t v) {
        if (!active_lm) return 0;
        if (pot_stamp[v] != cur) {
            pot_stamp[v] = cur;
            const std::int64_t d = std::int64_t{bound_over<true>(v)} - bound_over<false>(v);
            pot[v] = static_cast<std::uint32_t>(static_cast<std::int32_t>(d));
        }
        return static_cast<std::int32_t>(pot[v]);
    }

    void build_in_tail() {
        if (in_tail.size() == g.in_edge.size()) return;
        in_tail.resize(g.in_edge.size());
        for (std::size_t i = 0; i < g.in_edge.size(); ++i) {
            const std::uint32_t e = g.in_edge[i];
            const Segment& sg = g.segments[g.segment_of(e)];
            in_tail[i] = g.reversed(e) ? sg.to : sg.from;
        }
    }

    /// Bidirectional ALT on a node-based graph. Forward labels live in `states`, backward
    /// ones in `bstates`; a backward parent is the edge leaving the node towards the goal.
    SearchOut search_bidirectional(const Costs& cost, const std::vector<Seed>& seeds, const std::vector<Goal>& goals,
                                   std::uint32_t direct) {
        ensure(g.nodes());
        if (bstates.size() < g.nodes()) bstates.assign(g.nodes(), State{0, 0, 0, 0});
        build_in_tail();
        seed_nodes.clear();
        for (const Seed& sd : seeds) seed_nodes.push_back(sd.state);
        fheap.clear();
        bheap.clear();
        SearchOut out;
        out.bidirectional = true;
        std::uint64_t mu = direct;
        const auto cmp = std::greater<>();
        auto reached = [&](const std::vector<State>& st, std::uint32_t v) { return (st[v].stamp & ~kSettled) == cur; };
        auto meet = [&](std::uint32_t v) {
            if (!reached(states, v) || !reached(bstates, v)) return;
            const std::uint64_t c = std::uint64_t{states[v].dist} + bstates[v].dist;
            if (c < mu) {
                mu = c;
                out.state = v;
            }
        };
        // Returns true when the label improved.
        auto push = [&](std::vector<State>& st, auto& heap_, bool forward, std::uint32_t v, std::uint32_t d,
                        std::uint32_t par) {
            State& x = st[v];
            if ((x.stamp & ~kSettled) == cur) {
                if ((x.stamp & kSettled) || x.dist <= d) return;
            } else {
                x.stamp = cur;
            }
            x.dist = d;
            x.parent = par;
            const std::int64_t p = average_potential(v);
            heap_.emplace_back(2 * std::int64_t{d} + (forward ? p : -p), v);
            std::push_heap(heap_.begin(), heap_.end(), cmp);
            meet(v);
        };
        for (const Seed& sd : seeds) push(states, fheap, true, sd.state, sd.cost, sd.edge | kInit);
        for (const Goal& gl : goals) push(bstates, bheap, false, gl.node, gl.extra, gl.edge | kInit);
        while (!fheap.empty() && !bheap.empty()) {
            if (fheap.front().first + bheap.front().first >=
                2 * static_cast<std::int64_t>(std::min<std::uint64_t>(mu, kInfCost)))
                break;
            const bool forward = fheap.front().first <= bheap.front().first;
            auto& heap_ = forward ? fheap : bheap;
            std::vector<State>& st = forward ? states : bstates;
            std::pop_heap(heap_.begin(), heap_.end(), cmp);
            const std::uint32_t v = heap_.back().second;
            heap_.pop_back();
            if (st[v].stamp == (cur | kSettled)) continue;
            st[v].stamp = cur | kSettled;
            ++out.settled;
            const std::uint32_t d = st[v].dist;
            if (forward) {
                for (std::uint32_t e = g.first_out[v], end = g.first_out[v + 1]; e < end; ++e) {
                    const std::uint32_t c = cost(e);
                    if (c != kInfCost) push(states, fheap, true, g.head[e], d + c, e);
                }
            } else {
                for (std::uint32_t i = g.first_in[v], end = g.first_in[v + 1]; i < end; ++i) {
                    const std::uint32_t e = g.in_edge[i];
                    const std::uint32_t c = cost(e);
                    if (c != kInfCost) push(bstates, bheap, false, in_tail[i], d + c, e);
                }
            }
        }
        out.cost = static_cast<std::uint32_t>(std::min<std::uint64_t>(mu, kInfCost));
        if (out.state != kNone) {
            // Which goal the backward chain started from.
            std::uint32_t v = out.state;
            for (;;) {
                const std::uint32_t par = bstates[v].parent;
                if (par & kInit) {
                    const std::uint32_t edge = par & ~kInit;
                    for (std::size_t gi = 0; gi < goals.size(); ++gi)
                        if (goals[gi].node == v && (goals[gi].edge & ~kInit) == edge) out.goal = static_cast<int>(gi);
                    break;
                }
                v = g.head[par];
            }
            assert(out.goal >= 0);
        }
        return out;
    }

    std::uint32_t node_of_state(std::uint32_t st, bool edge_based) const { return edge_based ? g.head[st] : st; }

    template <bool kEdgeBased, bool kAlt>
    SearchOut search(const Costs& cost, const std::vector<Seed>& seeds, const std::vector<Goal>& goals,
                     std::uint32_t direct = kInfCost) {
        ensure(kEdgeBased ? g.edges() : g.nodes());
        SearchOut out;
        out.cost = direct;
        auto push = [&](std::uint32_t st, std::uint32_t d, std::uint32_t par) {
            State& x = states[st];
            if ((x.stamp & ~kSettled) == cur) {
                if ((x.stamp & kSettled) || x.dist <= d) return;
            } else {
                x.stamp = cur;
                if constexpr (kAlt) x.pot = kEdgeBased ? potential(g.head[st]) : compute_potential(st);
                else x.pot = 0;
            }
            x.dist = d;
            x.parent = par;
            heap.push_back(((std::uint64_t{d} + x.pot) << 32) | st);
            std::push_heap(heap.begin(), heap.end(), std::greater<>());
        };
        for (const Seed& s : seeds) push(s.state, s.cost, s.edge | kInit);
        while (!heap.empty()) {
            std::pop_heap(heap.begin(), heap.end(), std::greater<>());
            const std::uint64_t top = heap.back();
            heap.pop_back();
            const auto st = static_cast<std::uint32_t>(top & 0xffffffffu);
            if ((top >> 32) >= out.cost) break;
            if (states[st].stamp == (cur | kSettled)) continue;
            states[st].stamp = cur | kSettled;
            ++out.settled;
            const std::uint32_t d = states[st].dist;
            const std::uint32_t v = node_of_state(st, kEdgeBased);
            for (std::size_t gi = 0; gi < goals.size(); ++gi) {
                const Goal& goal = goals[gi];
                if (goal.node != v) continue;
                if constexpr (kEdgeBased)
                    if (goal.edge != kNone && !g.turn_allowed(st, goal.edge)) continue;
                const std::uint64_t c = std::uint64_t{d} + goal.extra;
                if (c < out.cost) {
                    out.cost = static_cast<std::uint32_t>(c);
                    out.state = st;
                    out.goal = static_cast<int>(gi);
                }
            }
            for (std::uint32_t e = g.first_out[v], end = g.first_out[v + 1]; e < end; ++e) {
                if constexpr (kEdgeBased) {
                    if (!g.turn_allowed(st, e)) continue;
                    // No U-turn except at a dead end: a convoy does not turn on the road.
                    if (g.segment_of(e) == g.segment_of(st) && end - g.first_out[v] > 1) continue;
                }
                const std::uint32_t c = cost(e);
                if (c == kInfCost) continue;
                const std::uint32_t nd = d + c;
                if constexpr (kEdgeBased) push(e, nd, st);
                else push(g.head[e], nd, e);
            }
        }
        return out;
    }

    SearchOut run(const Costs& cost, const std::vector<Seed>& seeds, const std::vector<Goal>& goals,
                  std::uint32_t direct, bool alt) {
        const bool eb = !g.forbidden_turns.empty();
        goal_nodes.clear();
        for (const auto& gl : goals) goal_nodes.push_back(gl.node);
        const Landmarks* Lp = &lm[cost.metric == Metric::Shortest ? 1 : 0];
        const Landmarks* exact = nullptr;
        if (cost.metric == Metric::Fastest && !cost.restr_mode.empty())
            for (const auto& c : capped)
                if (!c.restr_mode.empty() && c.speed_cap == cost.speed_cap && c.restr_mode == cost.restr_mode)
                    exact = &c;
        if (exact) {
            // Customised for exactly this vehicle: the bounds are its own distances
            // (avoided areas and penalties only raise costs, so they stay valid).
            Lp = exact;
        } else if (cost.metric == Metric::Fastest && cost.speed_cap > 0) {
            // A set computed with cap c0 bounds every query whose cap is c <= c0 (its
            // costs are higher); the tightest valid set is the one with the least c0.
            for (const auto& c : capped)
                if (c.restr_mode.empty() && c.speed_cap >= cost.speed_cap &&
                    (Lp->speed_cap == 0 || c.speed_cap < Lp->speed_cap))
                    Lp = &c;
        }
        const Landmarks& L = *Lp;
        const bool speed_up = alt;
        alt = alt && L.count > 0 && !goal_nodes.empty();
        if (alt) {
            // Seeds in edge-based mode are edges; choose_active reads the head of the first.
            choose_active(L, seeds, eb);
            if (eb) return search<true, true>(cost, seeds, goals, direct);
            return search_bidirectional(cost, seeds, goals, direct);
        }
        if (speed_up && !eb && !goal_nodes.empty()) {
            // No landmarks (yet): bidirectional Dijkstra, the same search with p = 0.
            active_lm = nullptr;
            return search_bidirectional(cost, seeds, goals, direct);
        }
        if (eb) return search<true, false>(cost, seeds, goals, direct);
        return search<false, false>(cost, seeds, goals, direct);
    }

    /// Edges from the seed to the goal, in order.
    /// Appends the edges of a node-based forward label chain from node v back to its
    /// seed, last edge first (the seed's partial edge included).
    void append_chain_to_seed(std::uint32_t v, std::vector<std::uint32_t>& edges) const {
        for (;;) {
            const std::uint32_t p = states[v].parent;
            if (p & kInit) {
                if ((p & ~kInit) != (kNone & ~kInit)) edges.push_back(p & ~kInit);
                return;
            }
            edges.push_back(p);
            const Segment& sg = g.segments[g.segment_of(p)];
            v = g.reversed(p) ? sg.to : sg.from;
        }
    }

    std::vector<std::uint32_t> unpack(const SearchOut& r, const std::vector<Goal>& goals) const {
        const bool eb = !g.forbidden_turns.empty();
        std::vector<std::uint32_t> edges;
        if (r.bidirectional) {
            // Forward chain from the meeting node back to the seed, then the backward
            // chain on to the goal.
            append_chain_to_seed(r.state, edges);
            std::reverse(edges.begin(), edges.end());
            for (std::uint32_t v = r.state;;) {
                const std::uint32_t p = bstates[v].parent;
                if (p & kInit) {
                    if ((p & ~kInit) != (kNone & ~kInit)) edges.push_back(p & ~kInit);
                    break;
                }
                edges.push_back(p);
                v = g.head[p];
            }
            return edges;
        }
        const Goal& goal = goals[static_cast<std::size_t>(r.goal)];
        if (goal.edge != kNone) edges.push_back(goal.edge);
        if (!eb) {
            append_chain_to_seed(r.state, edges);
        } else {
            for (std::uint32_t st = r.state;;) {
                edges.push_back(st);
                const std::uint32_t p = states[st].parent;
                if (p & kInit) break;
                st = p;
            }
        }
        std::reverse(edges.begin(), edges.end());
        return edges;
    }
};

Router::Router(const Graph& g) : m_graph(g), m_impl(std::make_unique<Impl>(g)) {}
Router::~Router() = default;

const Snapper& Router::snapper() const {
    if (!m_impl->snapper) m_impl->snapper = std::make_unique<Snapper>(m_graph);
    return *m_impl->snapper;
}

namespace {

/// Full single-source Dijkstra over base costs (no restrictions), forward or backward.
void full_dijkstra(const Graph& g, Metric metric, bool backward, std::uint32_t source, std::vector<std::uint32_t>& d,
                   const std::vector<std::uint32_t>* weights = nullptr) {
    d.assign(g.nodes(), kInfCost);
    std::vector<std::uint64_t> heap;
    d[source] = 0;
    heap.push_back(source);
    const auto& w = weights ? *weights : metric == Metric::Fastest ? g.time_ds : g.length_dm;
    while (!heap.empty()) {
        std::pop_heap(heap.begin(), heap.end(), std::greater<>());
        const std::uint64_t top = heap.back();
        heap.pop_back();
        const auto v = static_cast<std::uint32_t>(top & 0xffffffffu);
        const auto dv = static_cast<std::uint32_t>(top >> 32);
        if (dv != d[v]) continue;
        auto relax = [&](std::uint32_t u, std::uint32_t c) {
            if (c == kInfCost) return;  // blocked for a customised vehicle
            const std::uint32_t nd = dv + c;
            if (nd < d[u]) {
                d[u] = nd;
                heap.push_back((std::uint64_t{nd} << 32) | u);
                std::push_heap(heap.begin(), heap.end(), std::greater<>());
            }
        };
        if (!backward) {
            for (std::uint32_t e = g.first_out[v]; e < g.first_out[v + 1]; ++e) relax(g.head[e], w[e]);
        } else {
            for (std::uint32_t i = g.first_in[v]; i < g.first_in[v + 1]; ++i) {
                const std::uint32_t e = g.in_edge[i];
                const Segment& s = g.segments[g.segment_of(e)];
                relax(g.reversed(e) ? s.to : s.from, w[e]);
            }
        }
    }
}

}  // namespace

void Router::prepare(Metric metric, std::uint32_t count, unsigned threads, Progress& progress) {
    const Graph& g = m_graph;
    Landmarks& L = m_impl->lm[metric == Metric::Shortest ? 1 : 0];
    L = Landmarks{};
    if (g.nodes() == 0 || count == 0) return;
    count = static_cast<std::uint32_t>(std::min<std::size_t>(count, g.nodes()));
    const std::size_t n = g.nodes();
    std::vector<std::uint32_t> all(2 * n * count, kInfCost);
    std::vector<std::uint32_t> d, min_d(n, kInfCost);
    // "Farthest" selection: each new landmark is the node farthest from those chosen
    // (Goldberg & Harrelson 2005), starting from the node farthest from node 0 of the
    // largest component.
    const Components comp = connected_components(g);
    std::uint32_t start = 0;
    while (start < n && comp.node_component[start] != 0) ++start;
    full_dijkstra(g, metric, false, start, d);
    std::uint32_t next = start;
    for (std::uint32_t v = 0; v < n; ++v)
        if (d[v] != kInfCost && d[v] > d[next]) next = v;
    for (std::uint32_t i = 0; i < count; ++i) {
        if (progress.cancelled()) throw Cancelled();
        progress.report(0.5 * i / count, "landmarks: forward distances");
        L.nodes.push_back(next);
        full_dijkstra(g, metric, false, next, d);
        for (std::size_t v = 0; v < n; ++v) {
            all[2 * (v * count + i)] = d[v];
            if (d[v] != kInfCost && (min_d[v] == kInfCost || d[v] < min_d[v])) min_d[v] = d[v];
        }
        std::uint32_t best = next;
        std::uint32_t best_d = 0;
        for (std::uint32_t v = 0; v < n; ++v)
            if (min_d[v] != kInfCost && min_d[v] > best_d) best_d = min_d[v], best = v;
        next = best;
    }
    // Backward distances are independent: run them on threads.
    threads = std::max(1u, threads);
    std::atomic<std::uint32_t> todo{0};
    std::atomic<std::uint32_t> finished{0};
    auto worker = [&]() {
        std::vector<std::uint32_t> local;
        for (std::uint32_t i; (i = todo.fetch_add(1)) < count;) {
            if (progress.cancelled()) return;
            full_dijkstra(g, metric, true, L.nodes[i], local);
            for (std::size_t v = 0; v < n; ++v) all[2 * (v * count + i) + 1] = local[v];
            ++finished;
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (progress.cancelled()) throw Cancelled();
    L.dist = std::move(all);
    L.count = count;
    progress.report(1.0, "landmarks ready");
}

bool Router::prepared(Metric metric) const { return m_impl->lm[metric == Metric::Shortest ? 1 : 0].count > 0; }

std::size_t Router::memory_bytes() const {
    std::size_t b = 0;
    for (const auto& L : m_impl->lm) b += L.dist.capacity() * sizeof(std::uint32_t);
    for (const auto& L : m_impl->capped) b += L.dist.capacity() * sizeof(std::uint32_t);
    return b;
}

namespace {

Costs make_costs(const Graph& g, const QueryOptions& q, const std::vector<float>* penalty = nullptr) {
    Costs c;
    c.g = &g;
    c.metric = q.metric;
    c.rules = q.rules;
    c.penalty = penalty;
    if (q.vehicle) {
        c.speed_cap = q.vehicle->max_speed_kmh;
        c.restr_mode.resize(g.restrictions.size());
        for (std::size_t r = 0; r < g.restrictions.size(); ++r) {
            auto m = crossing_mode(g.restrictions[r], *q.vehicle, q.highest_crossing, q.rules);
            c.restr_mode[r] = m ? static_cast<std::uint8_t>(*m) : 0;
        }
    }
    if (!q.avoid.empty()) {
        c.seg_blocked.assign(g.segments.size(), 0);
        for (std::uint32_t s = 0; s < g.segments.size(); ++s) {
            const Segment& seg = g.segments[s];
            geo::LineString line;
            line.push_back(g.node(seg.from));
            for (std::uint32_t i = 0; i < seg.shape_count; ++i) line.push_back(g.shape[seg.shape_first + i]);
            line.push_back(g.node(seg.to));
            // Planar test in degrees: areas to avoid are drawn on a map, a few km at most.
            bg::model::linestring<bg::model::d2::point_xy<double>> pl;
            for (const auto& p : line) pl.emplace_back(geo::lon(p), geo::lat(p));
            for (const auto& poly : q.avoid) {
                bg::model::polygon<bg::model::d2::point_xy<double>, false> pp;
                for (const auto& p : poly.outer()) pp.outer().emplace_back(geo::lon(p), geo::lat(p));
                for (const auto& h : poly.inners()) {
                    pp.inners().emplace_back();
                    for (const auto& p : h) pp.inners().back().emplace_back(geo::lon(p), geo::lat(p));
                }
                bg::correct(pp);
                if (bg::intersects(pl, pp)) {
                    c.seg_blocked[s] = 1;
                    break;
                }
            }
        }
    }
    return c;
}

}  // namespace

void Router::customise(const QueryOptions& q, unsigned threads, Progress& progress) {
    const Graph& g = m_graph;
    const Landmarks& base = m_impl->lm[0];
    if (base.count == 0 || q.metric != Metric::Fastest || !q.vehicle) return;
    QueryOptions vq = q;
    vq.avoid.clear();  // areas are per query; they only raise costs, so bounds stay valid
    const Costs cost = make_costs(g, vq);
    for (const auto& c : m_impl->capped)
        if (c.speed_cap == cost.speed_cap && c.restr_mode == cost.restr_mode) return;
    // Same landmark nodes, distances under this vehicle's own costs (capped travel
    // times, crossing speeds, blocked structures at infinity): exact lower bounds for
    // its queries, and tight again however much it is restricted.
    std::vector<std::uint32_t> w(g.edges());
    for (std::size_t e = 0; e < w.size(); ++e) w[e] = cost(static_cast<std::uint32_t>(e));
    Landmarks L;
    L.speed_cap = cost.speed_cap;
    L.restr_mode = cost.restr_mode;
    L.count = base.count;
    L.nodes = base.nodes;
    const std::size_t n = g.nodes();
    L.dist.assign(2 * n * L.count, kInfCost);
    std::atomic<std::uint32_t> todo{0};
    auto worker = [&]() {
        std::vector<std::uint32_t> local;
        for (std::uint32_t job; (job = todo.fetch_add(1)) < 2 * L.count;) {
            if (progress.cancelled()) return;
            const std::uint32_t i = job / 2;
            const bool backward = job % 2 == 1;
            full_dijkstra(g, Metric::Fastest, backward, L.nodes[i], local, &w);
            for (std::size_t v = 0; v < n; ++v) L.dist[2 * (v * L.count + i) + (backward ? 1 : 0)] = local[v];
            if (!backward) progress.report(static_cast<double>(i) / L.count, "landmarks for the vehicle");
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::max(1u, threads); ++t) pool.emplace_back(worker);
    worker();
    for (auto& t : pool) t.join();
    if (progress.cancelled()) throw Cancelled();
    if (m_impl->capped.size() >= 4) m_impl->capped.erase(m_impl->capped.begin());  // keep a few
    m_impl->capped.push_back(std::move(L));
}

namespace {

std::string structure_label(const Graph& g, std::uint32_t seg) {
    const Segment& s = g.segments[seg];
    const Restriction* r = s.restriction != kNone ? &g.restrictions[s.restriction] : nullptr;
    std::string what = r && r->bridge ? "bridge" : r && r->tunnel ? "tunnel" : "restricted section";
    const std::string& ref = g.str(s.ref);
    const std::string& name = g.str(s.name);
    if (!ref.empty()) what += " on " + ref;
    else if (!name.empty()) what += " on " + name;
    if (r) {
        const std::string& sn = g.str(r->structure_name);
        if (!sn.empty() && sn != ref && sn != name) what += " '" + sn + "'";
    }
    return what;
}

std::string km_text(double km) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f", km);
    return buf;
}

}  // namespace

Snap Router::snap(const geo::LonLat& p, const QueryOptions& q, double max_m) const {
    if (!q.vehicle) return snapper().snap(p, max_m);
    const Costs c = make_costs(m_graph, q);
    std::vector<std::uint8_t> ok(m_graph.segments.size(), 0);
    for (std::uint32_t s = 0; s < m_graph.segments.size(); ++s) {
        const auto a = m_graph.edge_of(s, false), b = m_graph.edge_of(s, true);
        ok[s] = (a != kNone && c.usable(a)) || (b != kNone && c.usable(b));
    }
    return snapper().snap(p, max_m, &ok);
}

namespace {

struct Endpoints {
    std::vector<Seed> seeds;
    std::vector<Goal> goals;
    std::uint32_t direct = kInfCost;
    std::uint32_t direct_edge = kNone;
};

Endpoints endpoints(const Graph& g, const Costs& cost, const Snap& a, const Snap& b, bool edge_based) {
    Endpoints ep;
    const Segment& sa = g.segments[a.segment];
    const auto af = g.edge_of(a.segment, false), ab = g.edge_of(a.segment, true);
    if (af != kNone && cost.usable(af))
        ep.seeds.push_back({edge_based ? af : sa.to, frac_cost(1 - a.fraction, cost(af)), af});
    if (ab != kNone && cost.usable(ab))
        ep.seeds.push_back({edge_based ? ab : sa.from, frac_cost(a.fraction, cost(ab)), ab});
    const Segment& sb = g.segments[b.segment];
    const auto bf = g.edge_of(b.segment, false), bb = g.edge_of(b.segment, true);
    if (bf != kNone && cost.usable(bf)) ep.goals.push_back({sb.from, frac_cost(b.fraction, cost(bf)), bf});
    if (bb != kNone && cost.usable(bb)) ep.goals.push_back({sb.to, frac_cost(1 - b.fraction, cost(bb)), bb});
    if (a.segment == b.segment) {
        if (af != kNone && cost.usable(af) && b.fraction >= a.fraction) {
            ep.direct = frac_cost(b.fraction - a.fraction, cost(af));
            ep.direct_edge = af;
        }
        if (ab != kNone && cost.usable(ab) && b.fraction <= a.fraction) {
            const auto c = frac_cost(a.fraction - b.fraction, cost(ab));
            if (c < ep.direct) ep.direct = c, ep.direct_edge = ab;
        }
    }
    return ep;
}

}  // namespace

std::uint32_t Router::node_cost(std::uint32_t s, std::uint32_t t, const QueryOptions& q, std::size_t* settled) {
    const Costs cost = make_costs(m_graph, q);
    std::vector<Seed> seeds;
    const bool eb = !m_graph.forbidden_turns.empty();
    if (eb) {
        if (s == t) return 0;
        for (std::uint32_t e = m_graph.first_out[s]; e < m_graph.first_out[s + 1]; ++e)
            if (auto c = cost(e); c != kInfCost) seeds.push_back({e, c, e});
    } else {
        seeds.push_back({s, 0, kNone & ~kInit});
    }
    const std::vector<Goal> goals{{t, 0, kNone}};
    const SearchOut r = m_impl->run(cost, seeds, goals, kInfCost, q.use_landmarks);
    if (settled) *settled = r.settled;
    return r.cost;
}

namespace {

/// Road changes of a described path: runs of edges on one ref (or name, when the edge has
/// no ref) of at least kMinRun metres; a shorter run (a slip road, a link through a
/// junction) does not count as a change, so the table names only the roads a column
/// follows for a while. The first such run is the road the leg starts on.
std::vector<RoadChange> road_changes(const Graph& g, const Path& p) {
    constexpr double kMinRun = 2000;
    struct Run {
        std::uint32_t ref, name;
        double start_m, length_m;
        std::size_t first;
    };
    std::vector<Run> runs;
    double at = 0;
    for (std::size_t i = 0; i < p.edges.size(); ++i) {
        const Segment& s = g.segments[g.segment_of(p.edges[i])];
        const std::uint32_t key = s.ref != kNone ? s.ref : s.name;
        const double end = p.cum_m[i];
        if (runs.empty() || g.str(runs.back().ref) != g.str(key)) runs.push_back({key, s.name, at, 0, i});
        runs.back().length_m += end - at;
        at = end;
    }
    std::vector<RoadChange> out;
    std::uint32_t current = kNone;
    for (std::size_t r = 0; r < runs.size(); ++r) {
        const Run& run = runs[r];
        if (run.ref == kNone || g.str(run.ref) == g.str(current) || run.length_m < kMinRun) continue;
        current = run.ref;
        RoadChange c;
        c.route_km = run.start_m / 1000;
        c.ref = g.str(run.ref);
        const std::string& name = g.str(run.name);
        if (name != c.ref) c.name = name;
        c.where = g.edge_line(p.edges[run.first]).front();
        out.push_back(std::move(c));
    }
    return out;
}

Path describe(const Graph& g, const Costs& cost, const Costs& time_cost, const std::vector<std::uint32_t>& edges,
              double first_from, double last_to, const QueryOptions& q) {
    Path p;
    p.edges = edges;
    p.first_from = first_from;
    p.last_to = last_to;
    double km = 0;
    std::map<std::string, BindingLimit> binding;
    auto bind = [&](const char* what, double limit, double veh, const std::string& label) {
        if (limit <= 0) return;
        auto it = binding.find(what);
        if (it == binding.end() || limit < it->second.limit) binding[what] = {what, limit, veh, label};
    };
    for (std::size_t i = 0; i < edges.size(); ++i) {
        const std::uint32_t e = edges[i];
        const double a = i == 0 ? first_from : 0.0;
        const double b = i + 1 == edges.size() ? last_to : 1.0;
        const double f = std::max(0.0, b - a);
        const double len_m = g.length_dm[e] / 10.0 * f;
        const std::uint32_t seg = g.segment_of(e);
        const Segment& s = g.segments[seg];
        if (s.restriction != kNone) {
            const Restriction& r = g.restrictions[s.restriction];
            const std::string label = structure_label(g, seg) + " at route km " + km_text(km);
            if (r.bridge || r.mlc_wheeled > 0 || r.mlc_tracked > 0) {
                Crossing c;
                c.segment = seg;
                c.label = structure_label(g, seg);
                c.mode = static_cast<CrossingMode>(std::max<std::uint8_t>(1, cost.mode(e)));
                c.posted_mlc = q.vehicle ? posted_mlc(r, *q.vehicle) : std::max(r.mlc_wheeled, r.mlc_tracked);
                c.vehicle_mlc = q.vehicle ? q.vehicle->mlc : 0;
                c.route_km = km;
                c.length_m = len_m;
                c.where = g.edge_line(e).at(0);
                p.crossings.push_back(c);
            }
            const Vehicle none;
            const Vehicle& v = q.vehicle ? *q.vehicle : none;
            bind("mlc", posted_mlc(r, v), v.mlc, label);
            bind("maxweight_t", r.maxweight_t, v.gross_weight_t, label);
            bind("maxaxleload_t", r.maxaxleload_t, v.axle_load_t, label);
            bind("maxheight_m", r.maxheight_m, v.height_m, label);
            bind("maxwidth_m", r.maxwidth_m, v.width_m, label);
            bind("maxlength_m", r.maxlength_m, v.length_m, label);
        }
        p.distance_m += len_m;
        p.duration_s += time_cost(e) / 10.0 * f;
        km += len_m / 1000.0;
        p.cum_m.push_back(p.distance_m);
        p.cum_s.push_back(p.duration_s);
        const geo::LineString piece = sub_line(g.edge_line(e), a, b);
        for (const auto& pt : piece)
            if (p.line.empty() || !bg::equals(p.line.back(), pt)) p.line.push_back(pt);
    }
    if (p.line.size() == 1) p.line.push_back(p.line.front());
    for (auto& [k, v] : binding) p.binding.push_back(v);
    p.road_changes = road_changes(g, p);
    return p;
}

}  // namespace

Result<Path> Router::route(const Snap& from, const Snap& to, const QueryOptions& q) {
    const Graph& g = m_graph;
    if (from.segment == kNone || to.segment == kNone)
        return Result<Path>::failure("origin or destination is not on the network");
    const bool eb = !g.forbidden_turns.empty();
    const Costs cost = make_costs(g, q);
    QueryOptions tq = q;
    tq.metric = Metric::Fastest;
    const Costs time_cost = make_costs(g, tq);
    const Endpoints ep = endpoints(g, cost, from, to, eb);
    SearchOut r;
    if (!ep.seeds.empty() && !ep.goals.empty()) r = m_impl->run(cost, ep.seeds, ep.goals, ep.direct, q.use_landmarks);
    else r.cost = ep.direct;
    if (r.cost == kInfCost) {
        // Explain: route again without the vehicle and list what it may not use.
        std::string why = "no route";
        if (q.vehicle) {
            QueryOptions free = q;
            free.vehicle.reset();
            const Costs fc = make_costs(g, free);
            const Endpoints fep = endpoints(g, fc, from, to, eb);
            SearchOut fr;
            if (!fep.seeds.empty() && !fep.goals.empty()) fr = m_impl->run(fc, fep.seeds, fep.goals, fep.direct, true);
            else fr.cost = fep.direct;
            if (fr.cost != kInfCost) {
                std::vector<std::uint32_t> edges =
                    fr.goal >= 0 ? m_impl->unpack(fr, fep.goals) : std::vector<std::uint32_t>{fep.direct_edge};
                double km = 0;
                std::set<std::uint32_t> seen;
                std::string list;
                std::size_t count = 0;
                for (std::uint32_t e : edges) {
                    const std::uint32_t ri = g.edge_restriction[e];
                    if (ri != kNone && !seen.count(ri)) {
                        const std::string v = violation(g.restrictions[ri], *q.vehicle, q.highest_crossing, q.rules);
                        if (!v.empty()) {
                            seen.insert(ri);
                            if (count < 8)
                                list += (count ? "; " : "") + structure_label(g, g.segment_of(e)) + " at route km " +
                                        km_text(km) + ", " + v;
                            ++count;
                        }
                    }
                    km += g.length_dm[e] / 1e4;
                }
                why = "no route for vehicle '" + (q.vehicle->id.empty() ? q.vehicle->name : q.vehicle->id) +
                      "': restrictions cut every way; the best unrestricted route is blocked by " +
                      (list.empty() ? std::string("restrictions at its ends") : list);
                if (count > 8) why += "; and " + std::to_string(count - 8) + " more";
                return Result<Path>::failure(why);
            }
        }
        const Components comp = connected_components(g);
        const auto ca = comp.node_component[g.segments[from.segment].from];
        const auto cb = comp.node_component[g.segments[to.segment].from];
        if (ca != cb)
            why = "no route: origin and destination lie in different components of the " +
                  std::string(network_kind_name(g.kind)) + " network (" + std::to_string(comp.sizes[ca]) + " and " +
                  std::to_string(comp.sizes[cb]) + " nodes; " + comp.summary() + ")";
        else if (!q.avoid.empty()) why = "no route: the avoided areas cut every way";
        else why = "no route: one-way roads or turn restrictions leave no way through";
        return Result<Path>::failure(why);
    }
    Path p;
    if (r.goal < 0) {
        const bool fwd = !g.reversed(ep.direct_edge);
        p = describe(g, cost, time_cost, {ep.direct_edge}, fwd ? from.fraction : 1 - from.fraction,
                     fwd ? to.fraction : 1 - to.fraction, q);
    } else {
        const std::vector<std::uint32_t> edges = m_impl->unpack(r, ep.goals);
        const double first_from = g.reversed(edges.front()) ? 1 - from.fraction : from.fraction;
        const double last_to = g.reversed(edges.back()) ? 1 - to.fraction : to.fraction;
        p = describe(g, cost, time_cost, edges, first_from, last_to, q);
    }
    p.cost = r.cost;
    p.settled = r.settled;
    return p;
}

Result<std::vector<Path>> Router::alternatives(const Snap& from, const Snap& to, const QueryOptions& q, std::size_t k,
                                               double max_overlap, double max_stretch) {
    auto first = route(from, to, q);
    if (!first) return Result<std::vector<Path>>::failure(first.reason());
    std::vector<Path> out{first.value()};
    if (k <= 1) return out;
    const Graph& g = m_graph;
    std::vector<float> penalty(g.segments.size(), 1.0f);
    auto penalise = [&](const Path& p) {
        for (auto e : p.edges) penalty[g.segment_of(e)] *= 1.4f;
    };
    auto seg_len = [&](const Path& p) {
        std::unordered_map<std::uint32_t, double> m;
        for (std::size_t i = 0; i < p.edges.size(); ++i) {
            const double a = i == 0 ? p.first_from : 0.0, b = i + 1 == p.edges.size() ? p.last_to : 1.0;
            m[g.segment_of(p.edges[i])] += g.length_dm[p.edges[i]] / 10.0 * std::max(0.0, b - a);
        }
        return m;
    };
    std::set<std::uint32_t> used;
    for (auto e : out[0].edges) used.insert(g.segment_of(e));
    penalise(out[0]);
    const double best = q.metric == Metric::Fastest ? out[0].duration_s : out[0].distance_m;
    const bool eb = !g.forbidden_turns.empty();
    const Costs time_cost = [&] {
        QueryOptions tq = q;
        tq.metric = Metric::Fastest;
        return make_costs(g, tq);
    }();
    for (std::size_t iter = 0; iter < 4 * k && out.size() < k; ++iter) {
        const Costs cost = make_costs(g, q, &penalty);
        const Endpoints ep = endpoints(g, cost, from, to, eb);
        if (ep.seeds.empty() || ep.goals.empty()) break;
        const SearchOut r = m_impl->run(cost, ep.seeds, ep.goals, ep.direct, q.use_landmarks);
        if (r.cost == kInfCost || r.goal < 0) break;
        const auto edges = m_impl->unpack(r, ep.goals);
        const double ff = g.reversed(edges.front()) ? 1 - from.fraction : from.fraction;
        const double lt = g.reversed(edges.back()) ? 1 - to.fraction : to.fraction;
        const Costs plain = make_costs(g, q);
        Path p = describe(g, plain, time_cost, edges, ff, lt, q);
        p.cost = r.cost;
        p.settled = r.settled;
        penalise(p);
        const double value = q.metric == Metric::Fastest ? p.duration_s : p.distance_m;
        if (value > max_stretch * best) continue;
        double shared = 0;
        for (const auto& [s, len] : seg_len(p))
            if (used.count(s)) shared += len;
        if (p.distance_m <= 0 || shared / p.distance_m >= max_overlap) continue;
        for (auto e : p.edges) used.insert(g.segment_of(e));
        out.push_back(std::move(p));
    }
    return out;
}

namespace {

/// Outline of a set of grid cells as polygons (exteriors counter-clockwise, holes
/// clockwise) by tracing the directed boundary edges between filled and empty cells.
std::vector<std::vector<std::vector<std::pair<int, int>>>> trace_cells(const std::set<std::pair<int, int>>& cells) {
    using V = std::pair<int, int>;
    std::multimap<V, V> edges;  // start -> end, filled cell on the left
    auto filled = [&](int x, int y) { return cells.count({x, y}) > 0; };
    for (const auto& [x, y] : cells) {
        if (!filled(x, y - 1)) edges.emplace(V{x, y}, V{x + 1, y});
        if (!filled(x + 1, y)) edges.emplace(V{x + 1, y}, V{x + 1, y + 1});
        if (!filled(x, y + 1)) edges.emplace(V{x + 1, y + 1}, V{x, y + 1});
        if (!filled(x - 1, y)) edges.emplace(V{x, y + 1}, V{x, y});
    }
    std::vector<std::vector<V>> rings;
    while (!edges.empty()) {
        auto it = edges.begin();
        const V start = it->first;
        V prev = it->first, cur = it->second;
        edges.erase(it);
        std::vector<V> ring{start};
        while (cur != start) {
            ring.push_back(cur);
            auto [lo, hi] = edges.equal_range(cur);
            if (lo == hi) break;  // cannot happen on a closed boundary
            auto pick = lo;
            if (std::next(lo) != hi) {
                // Saddle: turn right, so cells touching at a corner stay separate rings.
                const int dx = cur.first - prev.first, dy = cur.second - prev.second;
                for (auto j = lo; j != hi; ++j) {
                    const int ex = j->second.first - cur.first, ey = j->second.second - cur.second;
                    if (dx * ey - dy * ex < 0) pick = j;
                }
            }
            prev = cur;
            cur = pick->second;
            edges.erase(pick);
        }
        // Drop collinear vertices.
        std::vector<V> simple;
        const std::size_t n = ring.size();
        for (std::size_t i = 0; i < n; ++i) {
            const V& a = ring[(i + n - 1) % n];
            const V& b = ring[i];
            const V& c = ring[(i + 1) % n];
            if ((b.first - a.first) * (c.second - b.second) - (b.second - a.second) * (c.first - b.first) != 0)
                simple.push_back(b);
        }
        if (simple.size() >= 4) rings.push_back(simple);
    }
    auto area2 = [](const std::vector<V>& r) {
        long long s = 0;
        for (std::size_t i = 0; i < r.size(); ++i) {
            const V& a = r[i];
            const V& b = r[(i + 1) % r.size()];
            s += static_cast<long long>(a.first) * b.second - static_cast<long long>(b.first) * a.second;
        }
        return s;
    };
    std::vector<std::vector<std::vector<V>>> polys;
    std::vector<std::vector<V>> holes;
    for (auto& r : rings) {
        if (area2(r) > 0) polys.push_back({r});
        else holes.push_back(r);
    }
    using CP = bg::model::d2::point_xy<double>;
    for (auto& h : holes) {
        // A point just inside the hole: right of its first edge.
        const V a = h[0], b = h[1];
        const double mx = (a.first + b.first) / 2.0 + (b.second - a.second) * 0.25;
        const double my = (a.second + b.second) / 2.0 - (b.first - a.first) * 0.25;
        std::size_t best = polys.size();
        long long best_area = 0;
        for (std::size_t i = 0; i < polys.size(); ++i) {
            bg::model::polygon<CP, false> pp;
            for (const auto& v : polys[i][0]) pp.outer().emplace_back(v.first, v.second);
            pp.outer().push_back(pp.outer().front());
            if (bg::within(CP(mx, my), pp)) {
                const long long ar = area2(polys[i][0]);
                if (best == polys.size() || ar < best_area) best = i, best_area = ar;
            }
        }
        if (best < polys.size()) polys[best].push_back(h);
    }
    return polys;
}

}  // namespace

Isochrone Router::isochrone(const Snap& from, double limit_s, const QueryOptions& q_in, double cell_m) {
    Isochrone iso;
    const Graph& g = m_graph;
    if (from.segment == kNone) return iso;
    QueryOptions q = q_in;
    q.metric = Metric::Fastest;
    const Costs cost = make_costs(g, q);
    const auto limit = static_cast<std::uint32_t>(std::max(0.0, limit_s * 10));
    // Plain multi-source Dijkstra with a cost bound; node-based (turn restrictions matter
    // little at the scale of an isochrone).
    auto& im = *m_impl;
    im.ensure(g.nodes());
    std::vector<std::uint32_t> settled;
    auto push = [&](std::uint32_t v, std::uint32_t d) {
        if (d > limit) return;
        if (im.reached(v) && (im.settled(v) || im.states[v].dist <= d)) return;
        im.states[v].stamp = im.cur;
        im.states[v].dist = d;
        im.heap.push_back((std::uint64_t{d} << 32) | v);
        std::push_heap(im.heap.begin(), im.heap.end(), std::greater<>());
    };
    const Segment& s0 = g.segments[from.segment];
    const auto af = g.edge_of(from.segment, false), ab = g.edge_of(from.segment, true);
    auto add_piece = [&](std::uint32_t e, double a, double b) {
        if (b > a) iso.reachable.push_back(sub_line(g.edge_line(e), a, b));
    };
    if (af != kNone && cost.usable(af)) {
        const auto c = cost(af);
        const std::uint32_t d = frac_cost(1 - from.fraction, c);
        push(s0.to, d);
        add_piece(af, from.fraction, d <= limit ? 1.0 : from.fraction + (c ? limit / double(c) : 1.0));
    }
    if (ab != kNone && cost.usable(ab)) {
        const auto c = cost(ab);
        const std::uint32_t d = frac_cost(from.fraction, c);
        push(s0.from, d);
        add_piece(ab, 1 - from.fraction, d <= limit ? 1.0 : 1 - from.fraction + (c ? limit / double(c) : 1.0));
    }
    std::set<std::uint32_t> full_segments;
    while (!im.heap.empty()) {
        std::pop_heap(im.heap.begin(), im.heap.end(), std::greater<>());
        const std::uint64_t top = im.heap.back();
        im.heap.pop_back();
        const auto v = static_cast<std::uint32_t>(top & 0xffffffffu);
        const auto d = static_cast<std::uint32_t>(top >> 32);
        if (d != im.states[v].dist || im.settled(v)) continue;
        im.states[v].stamp = im.cur | Impl::kSettled;
        ++iso.nodes;
        for (std::uint32_t e = g.first_out[v]; e < g.first_out[v + 1]; ++e) {
            const std::uint32_t c = cost(e);
            if (c == kInfCost) continue;
            if (d + std::uint64_t{c} <= limit) {
                if (full_segments.insert(g.segment_of(e)).second) add_piece(e, 0, 1);
                push(g.head[e], d + c);
            } else {
                add_piece(e, 0, c ? (limit - d) / double(c) : 1.0);
            }
        }
    }
    // Area: cells touched by reachable lines, grown by one cell, outlined.
    const double lon0 = geo::lon(from.point), lat0 = geo::lat(from.point);
    const double mlat = 111'195.0, mlon = mlat * std::cos(lat0 * M_PI / 180.0);
    std::set<std::pair<int, int>> cells;
    auto mark = [&](double lo, double la) {
        const int x = static_cast<int>(std::floor((lo - lon0) * mlon / cell_m));
        const int y = static_cast<int>(std::floor((la - lat0) * mlat / cell_m));
        for (int dx = -1; dx <= 1; ++dx)
            for (int dy = -1; dy <= 1; ++dy) cells.insert({x + dx, y + dy});
    };
    for (const auto& line : iso.reachable) {
        for (std::size_t i = 0; i < line.size(); ++i) {
            mark(geo::lon(line[i]), geo::lat(line[i]));
            if (i == 0) continue;
            const double dx = (geo::lon(line[i]) - geo::lon(line[i - 1])) * mlon;
            const double dy = (geo::lat(line[i]) - geo::lat(line[i - 1])) * mlat;
            const int steps = static_cast<int>(std::sqrt(dx * dx + dy * dy) / (cell_m / 2));
            for (int k = 1; k < steps; ++k) {
                const double t = static_cast<double>(k) / steps;
                mark(geo::lon(line[i - 1]) + t * (geo::lon(line[i]) - geo::lon(line[i - 1])),
                     geo::lat(line[i - 1]) + t * (geo::lat(line[i]) - geo::lat(line[i - 1])));
            }
        }
    }
    for (const auto& poly : trace_cells(cells)) {
        geo::Polygon out;
        for (std::size_t r = 0; r < poly.size(); ++r) {
            geo::Ring ring;
            for (const auto& [x, y] : poly[r])
                ring.push_back(geo::lonlat(lon0 + x * cell_m / mlon, lat0 + y * cell_m / mlat));
            ring.push_back(ring.front());
            if (r == 0) out.outer() = ring;
            else out.inners().push_back(ring);
        }
        iso.area.push_back(out);
    }
    return iso;
}

}  // namespace mp::network
