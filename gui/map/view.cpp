// SPDX-License-Identifier: MIT
#include "map/view.hpp"

#include <algorithm>
#include <cassert>

namespace mp::gui::map {

void Extent::add(double x, double y) noexcept {
    if (empty()) {
        min_x = max_x = x;
        min_y = max_y = y;
        return;
    }
    min_x = std::min(min_x, x);
    max_x = std::max(max_x, x);
    min_y = std::min(min_y, y);
    max_y = std::max(max_y, y);
}

void Extent::add(const Extent& e) noexcept {
    if (e.empty()) return;
    add(e.min_x, e.min_y);
    add(e.max_x, e.max_y);
}

std::array<double, 2> ViewTransform::to_pixel(double x, double y) const noexcept {
    assert(units_per_pixel > 0);
    return {(x - center_x) / units_per_pixel + width_px * 0.5, height_px * 0.5 - (y - center_y) / units_per_pixel};
}

std::array<double, 2> ViewTransform::to_display(double px, double py) const noexcept {
    return {center_x + (px - width_px * 0.5) * units_per_pixel, center_y - (py - height_px * 0.5) * units_per_pixel};
}

Extent ViewTransform::visible() const noexcept {
    Extent e;
    auto a = to_display(0, height_px);
    auto b = to_display(width_px, 0);
    e.add(a[0], a[1]);
    e.add(b[0], b[1]);
    return e;
}

void ViewTransform::zoom_about(double px, double py, double factor) noexcept {
    if (!(factor > 0)) return;
    const auto before = to_display(px, py);
    units_per_pixel = std::clamp(units_per_pixel / factor, kMinUnitsPerPixel, kMaxUnitsPerPixel);
    const auto after = to_display(px, py);
    center_x += before[0] - after[0];
    center_y += before[1] - after[1];
}

void ViewTransform::pan_pixels(double dx, double dy) noexcept {
    center_x -= dx * units_per_pixel;
    center_y += dy * units_per_pixel;
}

void ViewTransform::fit(const Extent& e, double margin_px) noexcept {
    if (e.empty()) return;
    center_x = (e.min_x + e.max_x) * 0.5;
    center_y = (e.min_y + e.max_y) * 0.5;
    const double w = std::max(1.0, width_px - 2 * margin_px);
    const double h = std::max(1.0, height_px - 2 * margin_px);
    const double upp = std::max((e.max_x - e.min_x) / w, (e.max_y - e.min_y) / h);
    units_per_pixel = std::clamp(upp > 0 ? upp : 100.0, kMinUnitsPerPixel, kMaxUnitsPerPixel);
}

}  // namespace mp::gui::map
