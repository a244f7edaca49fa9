// SPDX-License-Identifier: MIT
#include "map/labels.hpp"

#include <algorithm>
#include <numeric>

namespace mp::gui::map {

namespace {
struct Box {
    float x0, y0, x1, y1;
    bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};
constexpr float kGap = 3;  // pixels between a symbol and its label
}  // namespace

std::vector<LabelPlacement> place_labels(const std::vector<LabelRequest>& requests, int canvas_width, int canvas_height) {
    std::vector<LabelPlacement> out(requests.size());
    std::vector<Box> symbols;
    symbols.reserve(requests.size());
    for (const auto& r : requests) {
        const float ax = static_cast<float>(r.anchor_x), ay = static_cast<float>(r.anchor_y);
        symbols.push_back({ax - r.clearance, ay - r.clearance, ax + r.clearance, ay + r.clearance});
    }
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return requests[a].priority > requests[b].priority; });
    std::vector<Box> placed;
    for (std::size_t i : order) {
        const auto& r = requests[i];
        const float ax = static_cast<float>(r.anchor_x), ay = static_cast<float>(r.anchor_y);
        const float c = r.clearance + kGap;
        const Box candidates[] = {
            {ax + c, ay - r.height / 2, ax + c + r.width, ay + r.height / 2},
            {ax - c - r.width, ay - r.height / 2, ax - c, ay + r.height / 2},
            {ax - r.width / 2, ay - c - r.height, ax + r.width / 2, ay - c},
            {ax - r.width / 2, ay + c, ax + r.width / 2, ay + c + r.height},
        };
        for (const Box& b : candidates) {
            if (b.x0 < 0 || b.y0 < 0 || b.x1 > canvas_width || b.y1 > canvas_height) continue;
            const bool clash = std::any_of(placed.begin(), placed.end(), [&](const Box& o) { return o.overlaps(b); }) ||
                               std::any_of(symbols.begin(), symbols.end(), [&](const Box& o) { return o.overlaps(b); });
            if (clash) continue;
            placed.push_back(b);
            out[i] = {true, b.x0, b.y0};
            break;
        }
    }
    return out;
}

}  // namespace mp::gui::map
