// SPDX-License-Identifier: MIT
#include "placement.hpp"

#include <glpk.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <queue>
#include <stdexcept>

namespace pcov {

namespace {

// What choosing option o adds to the covered set.
double gain(const PlacementProblem& p, std::size_t o, const std::vector<std::uint8_t>& covered) {
    double g = 0;
    for (const std::uint32_t t : p.covers[o])
        if (!covered[t]) g += p.weight[t];
    return g;
}

std::vector<std::uint8_t> covered_by(const PlacementProblem& p, const std::vector<std::size_t>& options) {
    std::vector<std::uint8_t> c = p.already;
    c.resize(p.weight.size(), 0);
    for (const std::size_t o : options)
        for (const std::uint32_t t : p.covers[o]) c[t] = 1;
    return c;
}

}  // namespace

double placement_value(const PlacementProblem& p, const std::vector<std::size_t>& options) {
    const auto c = covered_by(p, options);
    double v = 0;
    for (std::size_t t = 0; t < c.size(); ++t)
        if (c[t]) v += p.weight[t];
    return v;
}

Placement place_greedy(const PlacementProblem& p) {
    const std::size_t n = p.covers.size();
    std::vector<std::size_t> left = p.count_per_type;
    std::vector<std::uint8_t> covered = p.already, used_candidate;
    covered.resize(p.weight.size(), 0);
    std::size_t candidates = 0;
    for (const std::size_t c : p.option_candidate) candidates = std::max(candidates, c + 1);
    used_candidate.assign(candidates, 0);
    // Lazy greedy: gains only shrink as more is covered, so a stale gain is an upper bound
    // and an option whose recomputed gain still tops the queue is the best.
    std::priority_queue<std::pair<double, std::size_t>> queue;
    for (std::size_t o = 0; o < n; ++o) queue.emplace(gain(p, o, covered), o);
    Placement out;
    std::size_t to_place = std::accumulate(left.begin(), left.end(), std::size_t{0});
    while (to_place > 0 && !queue.empty()) {
        const auto [stale, o] = queue.top();
        queue.pop();
        if (left[p.option_type[o]] == 0 || used_candidate[p.option_candidate[o]]) continue;
        const double g = gain(p, o, covered);
        if (!queue.empty() && g < queue.top().first) {
            queue.emplace(g, o);
            continue;
        }
        out.options.push_back(o);
        --left[p.option_type[o]], --to_place;
        used_candidate[p.option_candidate[o]] = 1;
        for (const std::uint32_t t : p.covers[o]) covered[t] = 1;
    }
    // 1-swap local search: replace one chosen option by an unused one of the same type
    // at a free candidate while that improves the value.
    double value = placement_value(p, out.options);
    for (bool improved = true; improved;) {
        improved = false;
        for (std::size_t k = 0; k < out.options.size() && !improved; ++k) {
            const std::size_t was = out.options[k];
            for (std::size_t o = 0; o < n; ++o) {
                if (p.option_type[o] != p.option_type[was] || o == was) continue;
                if (used_candidate[p.option_candidate[o]] && p.option_candidate[o] != p.option_candidate[was]) continue;
                out.options[k] = o;
                const double v = placement_value(p, out.options);
                if (v > value + 1e-12) {
                    used_candidate[p.option_candidate[was]] = 0;
                    used_candidate[p.option_candidate[o]] = 1;
                    value = v;
                    improved = true;
                    break;
                }
                out.options[k] = was;
            }
        }
    }
    out.value = value;
    double total = 0;
    for (const double w : p.weight) total += w;
    out.bound = total;  // trivially; the integer program tightens it
    out.method = "greedy+swap";
    return out;
}

namespace {

struct CallbackData {
    const Placement* start;
    const std::vector<std::size_t>* ys;                     // target of each y column
    const std::vector<std::vector<std::size_t>>* covering;  // options covering each target
    int ny = 0, nx = 0;
    bool offered = false;
    double bound = 0;
};

void callback(glp_tree* tree, void* info) {
    auto* d = static_cast<CallbackData*>(info);
    if (glp_ios_reason(tree) == GLP_IHEUR && !d->offered) {
        // Offer the greedy answer as the first incumbent: branch and bound then only has
        // to prove it or beat it. Columns: y (targets) first, then x (options).
        d->offered = true;
        std::vector<double> x(static_cast<std::size_t>(d->ny + d->nx) + 1, 0.0);
        std::vector<std::uint8_t> chosen(static_cast<std::size_t>(d->nx), 0);
        for (const std::size_t o : d->start->options) chosen[o] = 1, x[static_cast<std::size_t>(d->ny) + 1 + o] = 1;
        for (int j = 1; j <= d->ny; ++j)
            for (const std::size_t o : (*d->covering)[(*d->ys)[static_cast<std::size_t>(j - 1)]])
                if (chosen[o]) x[static_cast<std::size_t>(j)] = 1;
        glp_ios_heur_sol(tree, x.data());
    }
    if (glp_ios_reason(tree) == GLP_ISELECT || glp_ios_reason(tree) == GLP_IBINGO) {
        const int best = glp_ios_best_node(tree);
        if (best) d->bound = glp_ios_node_bound(tree, best);
    }
}

}  // namespace

Placement place_exact(const PlacementProblem& p, const Placement& start, double time_limit_s) {
    const std::size_t targets = p.weight.size(), options = p.covers.size();
    std::vector<std::uint8_t> already = p.already;
    already.resize(targets, 0);
    double constant = 0;
    // y columns only for the targets an option could cover and that are not covered yet.
    std::vector<std::vector<std::size_t>> covering(targets);
    for (std::size_t o = 0; o < options; ++o)
        for (const std::uint32_t t : p.covers[o])
            if (!already[t]) covering[t].push_back(o);
    std::vector<std::size_t> ys;
    for (std::size_t t = 0; t < targets; ++t) {
        if (already[t]) constant += p.weight[t];
        else if (!covering[t].empty()) ys.push_back(t);
    }
    glp_prob* lp = glp_create_prob();
    glp_set_obj_dir(lp, GLP_MAX);
    const int ny = static_cast<int>(ys.size()), nx = static_cast<int>(options);
    glp_add_cols(lp, ny + nx);
    for (int j = 1; j <= ny; ++j) {
        glp_set_col_bnds(lp, j, GLP_DB, 0, 1);
        glp_set_obj_coef(lp, j, p.weight[ys[static_cast<std::size_t>(j - 1)]]);
    }
    for (int j = ny + 1; j <= ny + nx; ++j) glp_set_col_kind(lp, j, GLP_BV);
    std::vector<int> ia{0}, ja{0};
    std::vector<double> ar{0};
    int row = 0;
    // y_t <= sum of the options covering t.
    for (int j = 1; j <= ny; ++j) {
        glp_add_rows(lp, 1);
        ++row;
        glp_set_row_bnds(lp, row, GLP_UP, 0, 0);
        ia.push_back(row), ja.push_back(j), ar.push_back(1);
        for (const std::size_t o : covering[ys[static_cast<std::size_t>(j - 1)]])
            ia.push_back(row), ja.push_back(ny + 1 + static_cast<int>(o)), ar.push_back(-1);
    }
    // Exactly the count of each type (all the options of a type when it has fewer).
    for (std::size_t t = 0; t < p.count_per_type.size(); ++t) {
        glp_add_rows(lp, 1);
        ++row;
        std::size_t available = 0;
        for (std::size_t o = 0; o < options; ++o)
            if (p.option_type[o] == t)
                ia.push_back(row), ja.push_back(ny + 1 + static_cast<int>(o)), ar.push_back(1), ++available;
        // Every system asked for is placed (as greedy does), even where it adds nothing.
        const double n = static_cast<double>(std::min(available, p.count_per_type[t]));
        glp_set_row_bnds(lp, row, GLP_FX, n, n);
    }
    // One system per candidate place.
    std::size_t candidates = 0;
    for (const std::size_t c : p.option_candidate) candidates = std::max(candidates, c + 1);
    for (std::size_t c = 0; c < candidates; ++c) {
        glp_add_rows(lp, 1);
        ++row;
        glp_set_row_bnds(lp, row, GLP_UP, 0, 1);
        for (std::size_t o = 0; o < options; ++o)
            if (p.option_candidate[o] == c)
                ia.push_back(row), ja.push_back(ny + 1 + static_cast<int>(o)), ar.push_back(1);
    }
    glp_load_matrix(lp, static_cast<int>(ia.size()) - 1, ia.data(), ja.data(), ar.data());

    CallbackData cb{&start, &ys, &covering, ny, nx};
    // The LP relaxation first, so that the tree works on our own columns (no presolver:
    // the greedy incumbent is given in them).
    glp_smcp lp_parm;
    glp_init_smcp(&lp_parm);
    lp_parm.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(lp, &lp_parm) != 0) {
        glp_delete_prob(lp);
        return start;
    }
    glp_iocp parm;
    glp_init_iocp(&parm);
    parm.presolve = GLP_OFF;
    parm.msg_lev = GLP_MSG_OFF;
    parm.tm_lim = static_cast<int>(time_limit_s * 1000);
    parm.cb_func = callback;
    parm.cb_info = &cb;
    const int rc = glp_intopt(lp, &parm);
    const int status = glp_mip_status(lp);
    Placement out;
    out.method = "integer program";
    if (rc != 0 && rc != GLP_ETMLIM && rc != GLP_EMIPGAP) {
        glp_delete_prob(lp);
        out = start;
        return out;
    }
    if (status == GLP_OPT || status == GLP_FEAS) {
        for (int j = ny + 1; j <= ny + nx; ++j)
            if (glp_mip_col_val(lp, j) > 0.5) out.options.push_back(static_cast<std::size_t>(j - ny - 1));
    } else {
        out.options = start.options;
    }
    out.value = placement_value(p, out.options);
    out.optimal = status == GLP_OPT && rc == 0;
    out.bound = out.optimal ? out.value : std::max(out.value, cb.bound + constant);
    glp_delete_prob(lp);
    if (out.value < start.value) {  // never worse than what it started from
        const double bound = out.bound;
        out = start;
        out.bound = bound;
        out.method = "integer program (greedy incumbent)";
    }
    return out;
}

}  // namespace pcov
