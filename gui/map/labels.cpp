// SPDX-License-Identifier: MIT
#include "map/labels.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>

namespace mp::gui::map {

namespace {
struct Box {
    float x0, y0, x1, y1;
    bool overlaps(const Box& o) const { return x0 < o.x1 && o.x0 < x1 && y0 < o.y1 && o.y0 < y1; }
};
constexpr float kGap = 3;    // pixels between a symbol and its label
constexpr float kCell = 64;  // grid cell of the overlap index, pixels

// A uniform grid over the canvas (plus a margin): each box is listed in every cell it
// touches, so an overlap test looks at a few cells instead of every box. Boxes far
// outside the canvas are clamped into the border cells.
class Grid {
public:
    Grid(int width, int height)
        : m_nx(std::max(1, static_cast<int>(std::ceil((width + 2 * kMargin) / kCell)))),
          m_ny(std::max(1, static_cast<int>(std::ceil((height + 2 * kMargin) / kCell)))),
          m_cells(static_cast<std::size_t>(m_nx) * static_cast<std::size_t>(m_ny)) {}
    void insert(const Box& b) {
        const auto id = static_cast<std::uint32_t>(m_boxes.size());
        m_boxes.push_back(b);
        for_cells(b, [&](std::vector<std::uint32_t>& c) {
            c.push_back(id);
            return false;
        });
    }
    bool clashes(const Box& b) {
        return for_cells(b, [&](const std::vector<std::uint32_t>& c) {
            return std::any_of(c.begin(), c.end(), [&](std::uint32_t i) { return m_boxes[i].overlaps(b); });
        });
    }

private:
    static constexpr float kMargin = 64;
    int cell_x(float x) const { return std::clamp(static_cast<int>(std::floor((x + kMargin) / kCell)), 0, m_nx - 1); }
    int cell_y(float y) const { return std::clamp(static_cast<int>(std::floor((y + kMargin) / kCell)), 0, m_ny - 1); }
    template <typename F>
    bool for_cells(const Box& b, F&& f) {
        for (int cy = cell_y(b.y0); cy <= cell_y(b.y1); ++cy)
            for (int cx = cell_x(b.x0); cx <= cell_x(b.x1); ++cx)
                if (f(m_cells[static_cast<std::size_t>(cy) * static_cast<std::size_t>(m_nx) +
                              static_cast<std::size_t>(cx)]))
                    return true;
        return false;
    }
    int m_nx, m_ny;
    std::vector<std::vector<std::uint32_t>> m_cells;
    std::vector<Box> m_boxes;
};
}  // namespace

std::vector<LabelPlacement> place_labels(const std::vector<LabelRequest>& requests, int canvas_width, int canvas_height,
                                         const std::vector<std::array<float, 4>>& obstacles) {
    std::vector<LabelPlacement> out(requests.size());
    // Symbols and obstacles block labels; placed labels block later labels.
    Grid blocked(canvas_width, canvas_height);
    Grid labels(canvas_width, canvas_height);  // placed labels only (for forced labels)
    for (const auto& r : requests) {
        const float ax = static_cast<float>(r.anchor_x), ay = static_cast<float>(r.anchor_y);
        if (ax < -r.clearance || ay < -r.clearance || ax > canvas_width + r.clearance ||
            ay > canvas_height + r.clearance)
            continue;
        blocked.insert({ax - r.clearance, ay - r.clearance, ax + r.clearance, ay + r.clearance});
    }
    for (const auto& o : obstacles) blocked.insert({o[0], o[1], o[2], o[3]});
    std::vector<std::size_t> order(requests.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](auto a, auto b) { return requests[a].priority > requests[b].priority; });
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
        auto inside = [&](const Box& b) {
            return b.x0 >= 0 && b.y0 >= 0 && b.x1 <= canvas_width && b.y1 <= canvas_height;
        };
        auto take = [&](const Box& b) {
            blocked.insert(b);
            labels.insert(b);
            out[i] = {true, b.x0, b.y0};
        };
        for (const Box& b : candidates) {
            if (!inside(b) || blocked.clashes(b)) continue;
            take(b);
            break;
        }
        if (out[i].placed || !r.force) continue;
        // Forced: the same positions, then rings farther out, clear of other labels only.
        for (float extra = 0; extra <= 3 * r.height && !out[i].placed; extra += r.height) {
            const float e = c + extra;
            const Box far[] = {
                {ax + e, ay - r.height / 2, ax + e + r.width, ay + r.height / 2},
                {ax - e - r.width, ay - r.height / 2, ax - e, ay + r.height / 2},
                {ax - r.width / 2, ay - e - r.height, ax + r.width / 2, ay - e},
                {ax - r.width / 2, ay + e, ax + r.width / 2, ay + e + r.height},
                {ax + e * 0.7f, ay - e * 0.7f - r.height, ax + e * 0.7f + r.width, ay - e * 0.7f},
                {ax + e * 0.7f, ay + e * 0.7f, ax + e * 0.7f + r.width, ay + e * 0.7f + r.height},
                {ax - e * 0.7f - r.width, ay - e * 0.7f - r.height, ax - e * 0.7f, ay - e * 0.7f},
                {ax - e * 0.7f - r.width, ay + e * 0.7f, ax - e * 0.7f, ay + e * 0.7f + r.height},
            };
            for (const Box& b : far)
                if (inside(b) && !labels.clashes(b)) {
                    take(b);
                    break;
                }
        }
    }
    return out;
}

}  // namespace mp::gui::map
