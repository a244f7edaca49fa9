// SPDX-License-Identifier: MIT
#pragma once

#include <array>

namespace mp::gui::map {

/// A rectangle in display-CRS units (metres for EPSG:3857 and EPSG:3812).
struct Extent {
    double min_x = 0, min_y = 0, max_x = -1, max_y = -1;
    bool empty() const noexcept { return max_x < min_x || max_y < min_y; }
    void add(double x, double y) noexcept;
    void add(const Extent& e) noexcept;
    bool intersects(const Extent& e) const noexcept {
        return !(e.min_x > max_x || e.max_x < min_x || e.min_y > max_y || e.max_y < min_y);
    }
};

/// The mapping between the display CRS and the pixels of a map canvas: a pure value
/// (no GL, no PROJ), shared by the renderer, the panels, --dump-view and the tests.
/// Pixels have their origin at the canvas' top-left corner, x right, y down; pixel
/// (i, j) covers [i, i+1) x [j, j+1), so its centre is (i + 0.5, j + 0.5).
struct ViewTransform {
    double center_x = 0;            ///< display-CRS x at the canvas centre
    double center_y = 0;            ///< display-CRS y at the canvas centre
    double units_per_pixel = 1000;  ///< display-CRS units per pixel (> 0)
    int width_px = 1;               ///< canvas width in pixels (> 0)
    int height_px = 1;              ///< canvas height in pixels (> 0)

    /// Display-CRS (x, y) to canvas pixel coordinates.
    std::array<double, 2> to_pixel(double x, double y) const noexcept;
    /// Canvas pixel coordinates to display-CRS (x, y).
    std::array<double, 2> to_display(double px, double py) const noexcept;
    /// The display-CRS rectangle the canvas shows.
    Extent visible() const noexcept;
    /// Zooms by factor (> 1 zooms in) keeping the display point under pixel (px, py) fixed.
    void zoom_about(double px, double py, double factor) noexcept;
    /// Moves the content by (dx, dy) pixels (a drag).
    void pan_pixels(double dx, double dy) noexcept;
    /// Shows all of e with margin_px pixels around it; no change when e is empty.
    void fit(const Extent& e, double margin_px) noexcept;
};

/// Zoom limits: 0.05 m/px (street level) to 20 km/px (continent).
inline constexpr double kMinUnitsPerPixel = 0.05;
inline constexpr double kMaxUnitsPerPixel = 20000.0;

}  // namespace mp::gui::map
