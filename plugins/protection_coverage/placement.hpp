// SPDX-License-Identifier: MIT
// Placement of new air-defence systems: choose, for N systems of given types, places
// among candidates that maximise the priority-weighted coverage of target points (the
// sample points of the defended assets in one altitude band). Coverage is a union, so
// the objective is submodular: lazy greedy gets (1 - 1/e) of the optimum in the worst
// case and usually much more; a 1-swap local search improves it; and an integer program
// (GLPK's branch and cut) proves the optimum, or reports the gap, for small instances.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pcov {

struct PlacementProblem {
    std::vector<double> weight;  ///< per target point (priority weight / points of its asset)
    /// Per option (a candidate place with a system type): the targets it would cover.
    std::vector<std::vector<std::uint32_t>> covers;
    std::vector<std::size_t> option_type;       ///< the type of each option
    std::vector<std::size_t> option_candidate;  ///< the candidate place of each option
    std::vector<std::size_t> count_per_type;    ///< how many systems of each type to place
    std::vector<std::uint8_t> already;          ///< per target: covered by the existing systems
};

struct Placement {
    std::vector<std::size_t> options;  ///< the chosen options
    double value = 0;                  ///< covered weight (existing coverage included)
    double bound = 0;                  ///< an upper bound on the optimum (value when proven)
    bool optimal = false;
    std::string method;  ///< "greedy+swap", "integer program"
    double gap_pct() const { return bound > 0 ? 100 * (bound - value) / bound : 0; }
};

/// The covered weight of a choice of options.
double placement_value(const PlacementProblem& p, const std::vector<std::size_t>& options);

/// Lazy greedy (one system per candidate place, counts per type), then 1-swap local search
/// until no swap of one chosen option for an unused one of its type improves.
Placement place_greedy(const PlacementProblem& p);

/// The integer program, solved by GLPK within time_limit_s, started from `start` (the
/// greedy answer). Returns the best placement found and the bound (optimal when proven).
Placement place_exact(const PlacementProblem& p, const Placement& start, double time_limit_s = 20);

}  // namespace pcov
