// SPDX-License-Identifier: MIT
#include "flow_lp.hpp"

#include <ClpSimplex.hpp>
#include <ClpSolve.hpp>
#include <CoinPackedMatrix.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <deque>
#include <queue>
#include <stdexcept>

namespace hns {

namespace {

std::string name_of(const char* kind, std::initializer_list<int> ids) {
    std::string s = kind;
    for (const int i : ids) s += "_" + std::to_string(i);
    return s;
}

}  // namespace

std::vector<std::vector<double>> pool_split(const std::vector<FlowDue>& due, const std::vector<double>& delivered) {
    std::vector<std::size_t> order(due.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return due[a].rdd < due[b].rdd; });
    std::vector<std::vector<double>> out(due.size(), std::vector<double>(delivered.size(), 0.0));
    std::size_t i = 0;
    double left = order.empty() ? 0 : due[order[0]].amount;  // of part order[i], not yet given
    for (std::size_t p = 0; p < delivered.size(); ++p) {
        double v = delivered[p];
        while (v > 0 && i < order.size()) {
            const double given = std::min(v, left);
            out[order[i]][p] += given;
            v -= given, left -= given;
            if (left <= 0 && ++i < order.size()) left = due[order[i]].amount;
        }
    }
    return out;
}

double pool_late_periods(const std::vector<FlowDue>& due, const std::vector<double>& delivered) {
    const auto split = pool_split(due, delivered);
    double late = 0;
    for (std::size_t i = 0; i < due.size(); ++i)
        for (std::size_t p = 0; p < delivered.size(); ++p)
            late += split[i][p] * std::max(0, static_cast<int>(p) + 1 - due[i].rdd);
    return late;
}

int FlowSolution::last_delivery(std::size_t k, double tolerance) const {
    if (k >= delivered.size() || undelivered[k] > tolerance) return -1;
    for (std::size_t p = delivered[k].size(); p-- > 0;)
        if (delivered[k][p] > tolerance) return static_cast<int>(p);
    return -1;
}

struct FlowLp::Impl {
    ClpSimplex clp;
    // Column indices: x[a][j][p] (arc a, its j-th commodity, leaving in period p), w[n][k][p]
    // (waiting at n from p to p + 1; at the last period, what is left at the horizon),
    // d[k][p] (delivered at the sink in p). -1 where there is no such column.
    std::vector<std::vector<std::vector<int>>> x;
    std::vector<std::vector<std::vector<int>>> w;
    std::vector<std::vector<int>> d;
    // Pooled commodities (FlowModel::due): cumulative deliveries and backlog columns per
    // period (-1 where none), and the fixed column of the lateness no plan avoids.
    std::vector<std::vector<int>> cum, backlog;
    std::vector<std::vector<int>> resource_row;  // [r][p], -1 when nothing draws on it
    std::vector<std::vector<char>> relevant;     // [n][k]
    std::vector<std::vector<int>> earliest;      // [n][k]: the first period it can be there
    std::vector<std::string> row_names, col_names;
    bool solved_once = false;
};

FlowLp::FlowLp(FlowModel model) : model_(std::move(model)), impl_(std::make_unique<Impl>()) {
    const FlowModel& m = model_;
    const int P = m.periods;
    const int N = static_cast<int>(m.nodes.size());
    const int K = static_cast<int>(m.commodities.size());
    const int R = static_cast<int>(m.resources.size());
    if (P <= 0 || P > 100000) throw std::invalid_argument("flow model: periods must be 1..100000");
    if (!(m.step_h > 0) || !std::isfinite(m.step_h)) throw std::invalid_argument("flow model: step_h must be > 0");
    auto finite_nonneg = [](double v) { return std::isfinite(v) && v >= 0; };
    for (int r = 0; r < R; ++r) {
        if (static_cast<int>(m.resources[r].cap.size()) != P)
            throw std::invalid_argument("flow model: resource " + std::to_string(r) + " (" + m.resources[r].site + " " +
                                        m.resources[r].key + ") has " + std::to_string(m.resources[r].cap.size()) +
                                        " capacities for " + std::to_string(P) + " periods");
        for (const double c : m.resources[r].cap)
            if (!finite_nonneg(c))
                throw std::invalid_argument("flow model: resource " + m.resources[r].site + " " + m.resources[r].key +
                                            " has a negative or non-finite capacity");
    }
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        const FlowArc& arc = m.arcs[a];
        const std::string what = "flow model: arc " + std::to_string(a);
        if (arc.from < 0 || arc.from >= N || arc.to < 0 || arc.to >= N)
            throw std::invalid_argument(what + ": bad node");
        if (arc.delay < 0) throw std::invalid_argument(what + ": negative delay");
        if (arc.resource < -1 || arc.resource >= R) throw std::invalid_argument(what + ": bad resource");
        if (arc.usage.size() != arc.commodities.size())
            throw std::invalid_argument(what + ": usage and commodities differ in size");
        for (const int k : arc.commodities)
            if (k < 0 || k >= K) throw std::invalid_argument(what + ": bad commodity");
        for (const double u : arc.usage)
            if (!finite_nonneg(u)) throw std::invalid_argument(what + ": negative or non-finite usage");
        if (!std::isfinite(arc.cost)) throw std::invalid_argument(what + ": non-finite cost");
        if (arc.first_period < 0) throw std::invalid_argument(what + ": negative first period");
        for (const FlowDraw& d : arc.draws) {
            if (d.resource < 0 || d.resource >= R) throw std::invalid_argument(what + ": draw on a bad resource");
            if (d.first < 0 || d.last < d.first) throw std::invalid_argument(what + ": bad draw offsets");
            if (d.usage.size() != arc.commodities.size())
                throw std::invalid_argument(what + ": draw usage and commodities differ in size");
            for (const double u : d.usage)
                if (!finite_nonneg(u)) throw std::invalid_argument(what + ": negative or non-finite draw usage");
        }
    }
    for (const FlowCoupling& c : m.couplings) {
        for (const auto* side : {&c.a, &c.b})
            for (const auto& [a, k] : *side) {
                const bool arc_ok = a >= 0 && a < static_cast<int>(m.arcs.size());
                if (!arc_ok || std::find(m.arcs[a].commodities.begin(), m.arcs[a].commodities.end(), k) ==
                                   m.arcs[a].commodities.end())
                    throw std::invalid_argument("flow model: coupling " + c.name + ": no such arc and commodity");
            }
        if (!std::isfinite(c.a_coef) || !std::isfinite(c.b_coef))
            throw std::invalid_argument("flow model: coupling " + c.name + ": non-finite coefficient");
    }
    for (int n = 0; n < N; ++n) {
        const FlowNode& node = m.nodes[n];
        if (node.wait_resource < -1 || node.wait_resource >= R)
            throw std::invalid_argument("flow model: node " + node.name + ": bad wait resource");
        if (!node.wait_usage.empty() && static_cast<int>(node.wait_usage.size()) != K)
            throw std::invalid_argument("flow model: node " + node.name + ": wait usage per commodity");
    }
    if (m.due.size() > static_cast<std::size_t>(K))
        throw std::invalid_argument("flow model: more pools (due) than commodities");
    for (int k = 0; k < K; ++k) {
        const FlowCommodity& c = m.commodities[k];
        if (c.sink < 0 || c.sink >= N) throw std::invalid_argument("flow model: commodity " + c.name + ": bad sink");
        if (static_cast<std::size_t>(k) < m.due.size() && !m.due[k].empty()) {
            double parts = 0, supplied = 0;
            for (const FlowDue& u : m.due[k]) {
                if (!finite_nonneg(u.amount))
                    throw std::invalid_argument("flow model: commodity " + c.name + ": bad amount due");
                parts += u.amount;
            }
            for (const FlowSupply& sp : c.supply) supplied += sp.amount;
            if (std::abs(parts - supplied) > 1e-9 * std::max(1.0, supplied))
                throw std::invalid_argument("flow model: commodity " + c.name +
                                            ": the amounts due differ from its supply");
        }
        if (!(c.weight >= 0) || !std::isfinite(c.weight))
            throw std::invalid_argument("flow model: commodity " + c.name + ": bad weight");
        for (const FlowSupply& s : c.supply)
            if (s.node < 0 || s.node >= N || s.period < 0 || s.period >= P || !finite_nonneg(s.amount))
                throw std::invalid_argument("flow model: commodity " + c.name + ": bad supply");
    }

    // Which nodes matter to which commodity: reachable from its supply and reaching its
    // sink, over the arcs it may use.
    auto& rel = impl_->relevant;
    rel.assign(static_cast<std::size_t>(N), std::vector<char>(static_cast<std::size_t>(K), 0));
    {
        std::vector<std::vector<std::pair<int, int>>> out(static_cast<std::size_t>(N)), in(static_cast<std::size_t>(N));
        for (const FlowArc& arc : m.arcs)
            for (const int k : arc.commodities)
                out[arc.from].push_back({arc.to, k}), in[arc.to].push_back({arc.from, k});
        for (int k = 0; k < K; ++k) {
            std::vector<char> fwd(static_cast<std::size_t>(N), 0), bwd(static_cast<std::size_t>(N), 0);
            std::deque<int> q;
            for (const FlowSupply& s : m.commodities[k].supply)
                if (!fwd[s.node]) fwd[s.node] = 1, q.push_back(s.node);
            while (!q.empty()) {
                const int n = q.front();
                q.pop_front();
                for (const auto& [to, kk] : out[n])
                    if (kk == k && !fwd[to]) fwd[to] = 1, q.push_back(to);
            }
            const int sink = m.commodities[k].sink;
            bwd[sink] = 1, q.push_back(sink);
            while (!q.empty()) {
                const int n = q.front();
                q.pop_front();
                for (const auto& [from, kk] : in[n])
                    if (kk == k && !bwd[from]) bwd[from] = 1, q.push_back(from);
            }
            for (const FlowSupply& s : m.commodities[k].supply)
                if (s.amount > 0 && !bwd[s.node])
                    throw std::invalid_argument("commodity " + m.commodities[k].name + " cannot reach " +
                                                m.nodes[sink].name + " from " + m.nodes[s.node].name +
                                                ": no arc it may use leads there");
            for (int n = 0; n < N; ++n) rel[n][k] = fwd[n] && bwd[n];
        }
    }

    // The earliest period each commodity can be at each node (its supply, then the arcs'
    // delays and first periods): before it, every column would be zero, so none is
    // made. With lifts arriving over weeks this removes most of the program.
    auto& early = impl_->earliest;
    early.assign(static_cast<std::size_t>(N), std::vector<int>(static_cast<std::size_t>(K), P));
    {
        std::vector<std::vector<int>> arcs_from(static_cast<std::size_t>(N));
        for (std::size_t a = 0; a < m.arcs.size(); ++a) arcs_from[m.arcs[a].from].push_back(static_cast<int>(a));
        for (int k = 0; k < K; ++k) {
            using Item = std::pair<int, int>;  // period, node
            std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
            for (const FlowSupply& s : m.commodities[k].supply)
                if (s.amount > 0 && s.period < early[s.node][k])
                    early[s.node][k] = s.period, q.push({s.period, s.node});
            while (!q.empty()) {
                const auto [t, n] = q.top();
                q.pop();
                if (t > early[n][k]) continue;
                for (const int a : arcs_from[n]) {
                    const FlowArc& arc = m.arcs[a];
                    if (std::find(arc.commodities.begin(), arc.commodities.end(), k) == arc.commodities.end()) continue;
                    const int at = std::max(t, arc.first_period) + arc.delay;
                    if (at < early[arc.to][k]) early[arc.to][k] = at, q.push({at, arc.to});
                }
            }
            for (int n = 0; n < N; ++n)
                if (early[n][k] >= P) rel[n][k] = 0;  // not reachable within the horizon
        }
    }

    // Columns.
    std::vector<double> obj, lo, hi;
    auto& names = impl_->col_names;
    auto column = [&](double cost, std::string name) {
        obj.push_back(cost), lo.push_back(0), hi.push_back(COIN_DBL_MAX);
        names.push_back(std::move(name));
        return static_cast<int>(obj.size()) - 1;
    };
    impl_->x.resize(m.arcs.size());
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        const FlowArc& arc = m.arcs[a];
        impl_->x[a].assign(arc.commodities.size(), std::vector<int>(static_cast<std::size_t>(P), -1));
        for (std::size_t j = 0; j < arc.commodities.size(); ++j) {
            const int k = arc.commodities[j];
            if (!rel[arc.from][k] || !rel[arc.to][k]) continue;
            for (int p = std::max(arc.first_period, early[arc.from][k]); p + arc.delay < P; ++p)
                impl_->x[a][j][p] = column(arc.cost, name_of("x", {static_cast<int>(a), k, p}));
        }
    }
    // Waiting that no optimal plan uses is not made: at a commodity's sink (delivering at
    // once is cheaper than waiting and delivering later), and at a node whose only ways
    // on for the commodity lead straight to its sink over arcs that draw on nothing and
    // are coupled to nothing, once all of them are open (leaving at once delivers
    // earlier than any later departure). Both only where no arc the commodity may use
    // leaves its sink (else a flow through the sink could be coupled to another).
    std::vector<std::vector<char>> coupled(m.arcs.size());
    for (std::size_t a = 0; a < m.arcs.size(); ++a) coupled[a].assign(m.arcs[a].commodities.size(), 0);
    for (const FlowCoupling& c : m.couplings)
        for (const auto* side : {&c.a, &c.b})
            for (const auto& [a, k] : *side) {
                const auto& list = m.arcs[a].commodities;
                coupled[a][static_cast<std::size_t>(std::find(list.begin(), list.end(), k) - list.begin())] = 1;
            }
    // [n][k]: the period from which waiting is dominated (P: never; at the sink, 0), and
    // the least delay of the ways on (waiting stays where leaving would not arrive).
    const auto NK = [&](int v) {
        return std::vector<std::vector<int>>(static_cast<std::size_t>(N),
                                             std::vector<int>(static_cast<std::size_t>(K), v));
    };
    std::vector<std::vector<int>> free_from = NK(P), least = NK(P);
    {
        std::vector<std::vector<int>> first = NK(-1), bound = NK(0);
        std::vector<char> sink_left(static_cast<std::size_t>(K), 0);
        for (std::size_t a = 0; a < m.arcs.size(); ++a) {
            const FlowArc& arc = m.arcs[a];
            for (std::size_t j = 0; j < arc.commodities.size(); ++j) {
                const int k = arc.commodities[j];
                if (arc.from == m.commodities[k].sink) sink_left[k] = 1;
                if (!rel[arc.from][k] || !rel[arc.to][k]) continue;
                bool draws = arc.resource >= 0 && arc.usage[j] > 0;
                for (const FlowDraw& dr : arc.draws) draws = draws || dr.usage[j] > 0;
                if (draws || coupled[a][j] || arc.cost != 0 || arc.to != m.commodities[k].sink || arc.from == arc.to)
                    bound[arc.from][k] = 1;
                first[arc.from][k] = std::max(first[arc.from][k], arc.first_period);
                least[arc.from][k] = std::min(least[arc.from][k], arc.delay);
            }
        }
        for (int n = 0; n < N; ++n)
            for (int k = 0; k < K; ++k) {
                if (sink_left[k]) continue;  // never dominated
                if (n == m.commodities[k].sink) free_from[n][k] = 0, least[n][k] = 0;
                else if (!bound[n][k] && first[n][k] >= 0) free_from[n][k] = first[n][k];
            }
    }
    auto dominated_wait = [&](int n, int k, int p) { return p >= free_from[n][k] && p + least[n][k] < P; };
    const double horizon_h = P * m.step_h;
    impl_->w.assign(static_cast<std::size_t>(N), std::vector<std::vector<int>>(static_cast<std::size_t>(K)));
    impl_->d.assign(static_cast<std::size_t>(K), std::vector<int>(static_cast<std::size_t>(P), -1));
    impl_->cum.assign(static_cast<std::size_t>(K), {});
    impl_->backlog.assign(static_cast<std::size_t>(K), {});
    for (int k = 0; k < K; ++k) {
        const FlowCommodity& c = m.commodities[k];
        const double beyond_h = m.undelivered_hours > 0 ? m.undelivered_hours : horizon_h;
        const bool pooled = static_cast<std::size_t>(k) < m.due.size() && !m.due[k].empty();
        // Worse than any delivery. A pool's lateness up to the horizon is its backlog's
        // (below); what is left pays the rest.
        const double left_cost = pooled ? c.weight * beyond_h + 1.0
                                        : c.weight * (std::max(0.0, horizon_h - c.rdd * m.step_h) + beyond_h) + 1.0;
        for (int n = 0; n < N; ++n) {
            if (!rel[n][k]) continue;
            auto& wk = impl_->w[n][k];
            wk.assign(static_cast<std::size_t>(P), -1);
            if (m.nodes[n].can_wait)
                for (int p = early[n][k]; p + 1 < P; ++p)
                    if (!dominated_wait(n, k, p)) wk[p] = column(m.holding_cost, name_of("w", {n, k, p}));
            if (!dominated_wait(n, k, P - 1)) wk[P - 1] = column(left_cost, name_of("left", {n, k}));
        }
        const int sink_early = rel[c.sink][k] ? early[c.sink][k] : P;
        for (int p = sink_early; p < P; ++p) {
            // Delivered in period p is there at its end: late by (p + 1 - rdd) periods.
            const double late_h = pooled ? 0.0 : std::max(0, p + 1 - c.rdd) * m.step_h;
            impl_->d[k][p] = column(c.weight * late_h + 1e-6 * p, name_of("d", {k, p}));
        }
        if (!pooled) continue;
        // The backlog: C_q and b_q for q from the period before the first RDD to the last
        // but one, and a fixed column for the periods before 0 that an RDD at or before
        // period 0 counts (due at the start of 0, delivered at the end of 0 at the earliest).
        int first_rdd = P;
        double before = 0;
        for (const FlowDue& u : m.due[k])
            first_rdd = std::min(first_rdd, u.rdd), before += u.amount * std::max(0, 1 - u.rdd);
        auto& cum = impl_->cum[k];
        auto& back = impl_->backlog[k];
        cum.assign(static_cast<std::size_t>(P), -1), back.assign(static_cast<std::size_t>(P), -1);
        for (int q = std::max(0, first_rdd - 1); q + 1 < P; ++q) {
            cum[q] = column(0, name_of("cum", {k, q}));
            back[q] = column(c.weight * m.step_h, name_of("late", {k, q}));
        }
        if (before > 0) {
            const int f = column(c.weight * m.step_h * before, name_of("late0", {k}));
            lo[static_cast<std::size_t>(f)] = hi[static_cast<std::size_t>(f)] = 1;
        }
    }

    // Rows: conservation (= supply) and resources (<= capacity), as triplets.
    std::vector<int> ri, ci;
    std::vector<double> el, rlo, rhi;
    auto& rnames = impl_->row_names;
    auto row = [&](double l, double h, std::string name) {
        rlo.push_back(l), rhi.push_back(h), rnames.push_back(std::move(name));
        return static_cast<int>(rlo.size()) - 1;
    };
    auto put = [&](int r, int c, double v) {
        if (c >= 0 && r >= 0) ri.push_back(r), ci.push_back(c), el.push_back(v);
    };
    std::vector<std::vector<std::vector<double>>> supply(
        static_cast<std::size_t>(N),
        std::vector<std::vector<double>>(static_cast<std::size_t>(K), std::vector<double>()));
    for (int k = 0; k < K; ++k)
        for (const FlowSupply& s : m.commodities[k].supply) {
            auto& v = supply[s.node][k];
            if (v.empty()) v.assign(static_cast<std::size_t>(P), 0);
            v[s.period] += s.amount;
        }
    // conservation[n][k][p]
    std::vector<std::vector<std::vector<int>>> cons(static_cast<std::size_t>(N),
                                                    std::vector<std::vector<int>>(static_cast<std::size_t>(K)));
    for (int n = 0; n < N; ++n)
        for (int k = 0; k < K; ++k) {
            if (!rel[n][k]) continue;
            cons[n][k].assign(static_cast<std::size_t>(P), -1);
            for (int p = early[n][k]; p < P; ++p) {
                const double s = supply[n][k].empty() ? 0 : supply[n][k][p];
                cons[n][k][p] = row(s, s, name_of("flow", {n, k, p}));
                put(cons[n][k][p], impl_->w[n][k][p], 1);
                if (p > 0) put(cons[n][k][p], impl_->w[n][k][p - 1], -1);
                if (n == m.commodities[k].sink) put(cons[n][k][p], impl_->d[k][p], 1);
            }
        }
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        const FlowArc& arc = m.arcs[a];
        for (std::size_t j = 0; j < arc.commodities.size(); ++j) {
            const int k = arc.commodities[j];
            for (int p = 0; p < P; ++p) {
                const int c = impl_->x[a][j][p];
                if (c < 0) continue;
                put(cons[arc.from][k][p], c, 1);
                put(cons[arc.to][k][p + arc.delay], c, -1);
            }
        }
    }
    impl_->resource_row.assign(static_cast<std::size_t>(R), std::vector<int>(static_cast<std::size_t>(P), -1));
    auto resource_at = [&](int r, int p) {
        int& row_index = impl_->resource_row[r][p];
        if (row_index < 0) row_index = row(-COIN_DBL_MAX, m.resources[r].cap[p], name_of("cap", {r, p}));
        return row_index;
    };
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        const FlowArc& arc = m.arcs[a];
        for (std::size_t j = 0; j < arc.commodities.size(); ++j)
            for (int p = 0; p < P; ++p) {
                const int c = impl_->x[a][j][p];
                if (c < 0) continue;
                if (arc.resource >= 0 && arc.usage[j] > 0) put(resource_at(arc.resource, p), c, arc.usage[j]);
                for (const FlowDraw& d : arc.draws)
                    if (d.usage[j] > 0)
                        for (int q = p + d.first; q <= p + d.last && q < P; ++q)
                            put(resource_at(d.resource, q), c, d.usage[j]);
            }
    }
    for (std::size_t cu = 0; cu < m.couplings.size(); ++cu) {
        const FlowCoupling& c = m.couplings[cu];
        for (int p = 0; p < P; ++p) {
            // A row only in the periods where some flow of it can move (else 0 = 0).
            int r = -1;
            auto side = [&](const std::vector<std::pair<int, int>>& flows, double coef) {
                for (const auto& [a, k] : flows) {
                    const auto& list = m.arcs[a].commodities;
                    const auto j = static_cast<std::size_t>(std::find(list.begin(), list.end(), k) - list.begin());
                    const int col = impl_->x[a][j][p];
                    if (col < 0) continue;
                    if (r < 0) r = row(0, 0, name_of("together", {static_cast<int>(cu), p}));
                    put(r, col, coef);
                }
            };
            side(c.a, c.a_coef);
            side(c.b, -c.b_coef);
        }
    }
    for (int n = 0; n < N; ++n) {
        const FlowNode& node = m.nodes[n];
        if (node.wait_resource < 0) continue;
        for (int k = 0; k < K; ++k) {
            if (!rel[n][k]) continue;
            const double u = node.wait_usage.empty() ? 1.0 : node.wait_usage[k];
            if (u <= 0) continue;
            for (int p = 0; p + 1 < P; ++p)
                if (impl_->w[n][k][p] >= 0) put(resource_at(node.wait_resource, p), impl_->w[n][k][p], u);
        }
    }

    // The backlog of a pool: C_q - C_(q-1) - d_q = 0 (the first: C_q0 - d_0 - ... - d_q0 = 0)
    // and b_q + C_q >= R_q, the amount due by the end of q.
    for (int k = 0; k < K; ++k) {
        const auto& cum = impl_->cum[k];
        if (cum.empty()) continue;
        for (int q = 0; q + 1 < P; ++q) {
            if (cum[q] < 0) continue;
            const bool chained = q > 0 && cum[q - 1] >= 0;
            const int rc = row(0, 0, name_of("cum", {k, q}));
            put(rc, cum[q], 1);
            if (chained) put(rc, cum[q - 1], -1);
            for (int p = chained ? q : 0; p <= q; ++p) put(rc, impl_->d[k][p], -1);
            double due = 0;
            for (const FlowDue& u : m.due[k])
                if (u.rdd <= q + 1) due += u.amount;
            const int rl = row(due, COIN_DBL_MAX, name_of("late", {k, q}));
            put(rl, impl_->backlog[k][q], 1);
            put(rl, cum[q], 1);
        }
    }

    CoinPackedMatrix matrix(true, ri.data(), ci.data(), el.data(), static_cast<CoinBigIndex>(el.size()));
    // The matrix must span every column and row, also those without entries.
    matrix.setDimensions(static_cast<int>(rlo.size()), static_cast<int>(obj.size()));
    ClpSimplex& clp = impl_->clp;
    clp.setLogLevel(0);
    clp.loadProblem(matrix, lo.data(), hi.data(), obj.data(), rlo.data(), rhi.data());
}

FlowLp::~FlowLp() = default;

int FlowLp::rows() const { return impl_->clp.numberRows(); }
int FlowLp::columns() const { return impl_->clp.numberColumns(); }

void FlowLp::set_capacity(int r, int period, double value) {
    if (r < 0 || r >= static_cast<int>(model_.resources.size()) || period < 0 || period >= model_.periods)
        throw std::invalid_argument("set_capacity: no such resource or period");
    if (!(value >= 0) || !std::isfinite(value)) throw std::invalid_argument("set_capacity: bad capacity");
    model_.resources[r].cap[period] = value;
    const int row = impl_->resource_row[r][period];
    if (row >= 0) impl_->clp.setRowUpper(row, value);
}

FlowSolution FlowLp::solve() {
    ClpSimplex& clp = impl_->clp;
    if (!impl_->solved_once) {
        // The first solve: presolve (it removes most fixed and singleton rows of a
        // time-expanded network) and primal simplex, the fastest of CLP's methods here
        // (bench-hns, 20 serials over 10 days: primal 0.96 s, sprint 1.33 s, CLP's own
        // choice 1.77 s, dual without presolve 12.4 s). Later solves are dual simplex
        // from the last basis: a capacity change leaves it primal infeasible only.
        ClpSolve how;
        how.setSolveType(ClpSolve::usePrimal);
        how.setPresolveType(ClpSolve::presolveOn);
        clp.initialSolve(how);
    } else {
        clp.dual();
    }
    impl_->solved_once = true;
    FlowSolution s;
    const int status = clp.status();
    s.optimal = status == 0;
    s.status = status == 0   ? "optimal"
               : status == 1 ? "primal infeasible"
               : status == 2 ? "dual infeasible"
               : status == 3 ? "stopped on iterations or time"
                             : "stopped on difficulties";
    const FlowModel& m = model_;
    const int P = m.periods;
    const double* col = clp.primalColumnSolution();
    const double* row_dual = clp.dualRowSolution();
    const double* act = clp.primalRowSolution();
    s.objective = clp.objectiveValue();
    const std::size_t K = m.commodities.size();
    s.delivered.assign(K, std::vector<double>(static_cast<std::size_t>(P), 0));
    s.undelivered.assign(K, 0);
    for (std::size_t k = 0; k < K; ++k) {
        const bool pooled = k < m.due.size() && !m.due[k].empty();
        for (int p = 0; p < P; ++p) {
            if (impl_->d[k][p] < 0) continue;
            const double v = col[impl_->d[k][p]];
            s.delivered[k][p] = v;
            if (!pooled)
                s.lateness += v * m.commodities[k].weight * std::max(0, p + 1 - m.commodities[k].rdd) * m.step_h;
        }
        if (pooled) s.lateness += m.commodities[k].weight * m.step_h * pool_late_periods(m.due[k], s.delivered[k]);
        for (std::size_t n = 0; n < m.nodes.size(); ++n)
            if (!impl_->w[n][k].empty() && impl_->w[n][k][P - 1] >= 0) s.undelivered[k] += col[impl_->w[n][k][P - 1]];
    }
    const std::size_t R = m.resources.size();
    s.used.assign(R, std::vector<double>(static_cast<std::size_t>(P), 0));
    s.shadow_price.assign(R, std::vector<double>(static_cast<std::size_t>(P), 0));
    for (std::size_t r = 0; r < R; ++r)
        for (int p = 0; p < P; ++p) {
            const int row = impl_->resource_row[r][p];
            if (row < 0) continue;
            s.used[r][p] = act[row];
            s.shadow_price[r][p] = std::max(0.0, -row_dual[row]);
        }
    s.flow.resize(m.arcs.size());
    for (std::size_t a = 0; a < m.arcs.size(); ++a) {
        s.flow[a].assign(m.arcs[a].commodities.size(), std::vector<double>(static_cast<std::size_t>(P), 0));
        for (std::size_t j = 0; j < m.arcs[a].commodities.size(); ++j)
            for (int p = 0; p < P; ++p)
                if (impl_->x[a][j][p] >= 0) s.flow[a][j][p] = col[impl_->x[a][j][p]];
    }
    return s;
}

int FlowLp::earliest_closure() {
    // Feasibility of "everything delivered by period D" on a copy, by bisection: a plan
    // that delivers by D also delivers by D + 1.
    const FlowModel& m = model_;
    const int P = m.periods;
    ClpSimplex probe(impl_->clp);
    probe.setLogLevel(0);
    for (std::size_t n = 0; n < m.nodes.size(); ++n)
        for (std::size_t k = 0; k < m.commodities.size(); ++k)
            if (!impl_->w[n][k].empty() && impl_->w[n][k][P - 1] >= 0) probe.setColumnUpper(impl_->w[n][k][P - 1], 0);
    auto feasible_by = [&](int D) {
        for (std::size_t k = 0; k < m.commodities.size(); ++k)
            for (int p = 0; p < P; ++p)
                if (impl_->d[k][p] >= 0) probe.setColumnUpper(impl_->d[k][p], p <= D ? COIN_DBL_MAX : 0);
        probe.dual();
        return probe.status() == 0;
    };
    if (!feasible_by(P - 1)) return -1;
    int lo = 0;
    for (const auto& c : m.commodities)
        for (const auto& s : c.supply)
            if (s.amount > 0) lo = std::max(lo, s.period);
    int hi = P - 1;  // feasible
    while (lo < hi) {
        const int mid = lo + (hi - lo) / 2;
        if (feasible_by(mid)) hi = mid;
        else lo = mid + 1;
    }
    return hi;
}

void FlowLp::write_mps(const std::string& path) const {
    ClpSimplex copy(impl_->clp);
    copy.copyNames(impl_->row_names, impl_->col_names);
    // Written beside the target and renamed: a half-written model is never left.
    const std::string tmp = path + ".tmp";
    if (copy.writeMps(tmp.c_str(), 1, 1) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write the model to " + path);
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot write the model to " + path);
    }
}

}  // namespace hns
