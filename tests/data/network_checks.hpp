// SPDX-License-Identifier: MIT
#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <numeric>
#include <utility>
#include <vector>

#include "mp/geo/geodesic.hpp"
#include "mp/layer/layer.hpp"

namespace mp::test {

/// Number of connected components of a line layer whose lines join at identical end
/// points (keyed on coordinates rounded to 1e-7 degrees, as the graph builder does).
inline std::size_t line_components(const layer::Layer& l) {
    std::map<std::pair<long long, long long>, std::size_t> ids;
    std::vector<std::size_t> parent;
    auto key = [](const geo::LonLat& p) {
        return std::pair{std::llround(geo::lon(p) * 1e7), std::llround(geo::lat(p) * 1e7)};
    };
    auto node = [&](const geo::LonLat& p) {
        auto [it, fresh] = ids.emplace(key(p), parent.size());
        if (fresh) parent.push_back(parent.size());
        return it->second;
    };
    std::function<std::size_t(std::size_t)> find = [&](std::size_t x) {
        while (parent[x] != x) x = parent[x] = parent[parent[x]];
        return x;
    };
    auto join_line = [&](const geo::LineString& ls) {
        if (ls.size() < 2) return;
        parent[find(node(ls.front()))] = find(node(ls.back()));
    };
    for (const auto& f : l.features) {
        if (auto* ls = std::get_if<geo::LineString>(&f.geometry)) join_line(*ls);
        if (auto* ml = std::get_if<geo::MultiLineString>(&f.geometry))
            for (const auto& ls : *ml) join_line(ls);
    }
    std::size_t roots = 0;
    for (std::size_t i = 0; i < parent.size(); ++i) roots += find(i) == i;
    return roots;
}

/// Geodesic distance in metres from p to the nearest line of a layer.
inline double distance_to_layer_m(const geo::LonLat& p, const layer::Layer& l) {
    double best = INFINITY;
    for (const auto& f : l.features) {
        if (auto* ls = std::get_if<geo::LineString>(&f.geometry)) {
            // Cheap reject: lines whose box is more than ~0.2 degrees away.
            geo::Box b;
            geo::envelope(f.geometry, b);
            const double dx =
                std::max({geo::lon(b.min_corner()) - geo::lon(p), geo::lon(p) - geo::lon(b.max_corner()), 0.0});
            const double dy =
                std::max({geo::lat(b.min_corner()) - geo::lat(p), geo::lat(p) - geo::lat(b.max_corner()), 0.0});
            if (dx * 70'000 > best || dy * 111'000 > best) continue;
            best = std::min(best, geo::distance_to_line_m(p, *ls));
        } else if (auto* ml = std::get_if<geo::MultiLineString>(&f.geometry)) {
            for (const auto& part : *ml) best = std::min(best, geo::distance_to_line_m(p, part));
        }
    }
    return best;
}

}  // namespace mp::test
