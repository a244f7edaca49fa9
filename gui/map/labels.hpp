// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <vector>

namespace mp::gui::map {

/// A label to place beside a symbol, in canvas pixels.
struct LabelRequest {
    double anchor_x = 0, anchor_y = 0;  ///< the symbol's centre
    float width = 0, height = 0;        ///< the text's size
    float clearance = 12;               ///< half the symbol size: labels keep clear of it
    int priority = 0;                   ///< higher is placed first
    bool force = false;                 ///< must show: may cover symbols (never another label)
};

/// Where a label went: top-left corner of its text box, or not placed.
struct LabelPlacement {
    bool placed = false;
    float x = 0, y = 0;
};

/// Greedy label placement: in priority order, each label takes the first of four
/// positions (right, left, above, below its symbol) that stays inside the canvas and
/// overlaps neither a placed label, any symbol nor any obstacle (x0, y0, x1, y1 boxes:
/// scale bar, north arrow, legend); otherwise it is dropped. Result is index-aligned with
/// the requests. No two placed labels overlap. A forced label that finds no free position
/// takes the first one inside the canvas that overlaps no placed label, ignoring symbols
/// and obstacles, trying farther rings of positions too. Overlaps are found with a uniform grid, so
/// the cost grows about linearly with the number of requests.
std::vector<LabelPlacement> place_labels(const std::vector<LabelRequest>& requests, int canvas_width, int canvas_height,
                                         const std::vector<std::array<float, 4>>& obstacles = {});

}  // namespace mp::gui::map
