// SPDX-License-Identifier: MIT
// The terrain engine of protection-coverage: for one sensor, the lowest height above
// ground at which a target is visible in every cell of its range window (one sweep),
// and exact line of sight for single points (routes, checks). Plain C++ on arrays: no
// core, no GDAL (the plugin gets its DEM through the host's raster service).
//
// Curvature and refraction: the terrain at distance d from the sensor is lowered by
// d^2 / (2 k a), a the semi-major axis of the CRS's ellipsoid and k the refraction
// factor (effective earth radius k a: 4/3 for radar, 7/6 for optics). GDAL's viewshed
// writes the same correction as curvature coefficient c = 1/k ("height -= c d^2 / D",
// D the earth's diameter 2a): k = 4/3 is GDAL's 0.75, k = 7/6 its default 0.85714.
#pragma once

#include <atomic>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

namespace pcov {

/// A DEM on a square metric grid, row-major from the top-left cell, north up.
struct Dem {
    int width = 0;
    int height = 0;
    double x0 = 0;     ///< west edge of column 0, CRS units (metres)
    double y0 = 0;     ///< north edge of row 0
    double cell = 25;  ///< cell size, m
    double semi_major_m = 6378137;
    std::vector<float> z;  ///< ground height, m; no nodata (fill holes first)

    float at(int c, int r) const { return z[static_cast<std::size_t>(r) * static_cast<std::size_t>(width) + c]; }
    double centre_x(int c) const { return x0 + (c + 0.5) * cell; }
    double centre_y(int r) const { return y0 - (r + 0.5) * cell; }
    /// Column and row of the cell holding (x, y) (may be outside the grid).
    int column_of(double x) const { return static_cast<int>(std::floor((x - x0) / cell)); }
    int row_of(double y) const { return static_cast<int>(std::floor((y0 - y) / cell)); }
    bool contains(double x, double y) const {
        const int c = column_of(x), r = row_of(y);
        return c >= 0 && r >= 0 && c < width && r < height;
    }
    /// Ground height at (x, y): bilinear between cell centres, the edge cells' values
    /// beyond the outermost centres.
    double elevation(double x, double y) const;
};

/// One sensor (or an effector's own line of sight) on the DEM.
struct Site {
    double x = 0, y = 0;  ///< position in the DEM's CRS
    double mast_m = 10;   ///< height of the antenna or optic above ground
    double range_m = 10000;
    double k = 4.0 / 3.0;  ///< refraction factor
};

/// Terrain drop at distance d for effective earth radius k a.
inline double curvature_drop(double d, double k, double a) { return d * d / (2 * k * a); }

/// Flat-earth-free radar horizon: the farthest distance at which a target of height
/// target_m is visible from a sensor mast_m above a smooth earth of radius k a.
inline double horizon_m(double mast_m, double target_m, double k, double a) {
    return std::sqrt(2 * k * a * mast_m) + std::sqrt(2 * k * a * target_m);
}

inline constexpr float kNotSeen = std::numeric_limits<float>::infinity();

/// The lowest visible target height above ground of every cell in a site's range
/// window; kNotSeen beyond the range.
struct HeightWindow {
    int col0 = 0, row0 = 0;  ///< the window's top-left cell in the DEM
    int cols = 0, rows = 0;
    std::vector<float> h;  ///< rows * cols, row-major

    /// The value at DEM cell (c, r); kNotSeen outside the window.
    float at(int c, int r) const {
        c -= col0, r -= row0;
        if (c < 0 || r < 0 || c >= cols || r >= rows) return kNotSeen;
        return h[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + c];
    }
    std::size_t memory_bytes() const { return h.capacity() * sizeof(float); }
};

/// One sweep over the site's range window, outward from the sensor's cell, as Wang,
/// Robinson and White's "Generating viewsheds without using sightlines" (PE&RS 2000)
/// and GDAL's viewshed do it: each cell's sight-line height comes from the two cells
/// next to it on the sensor's side (edge interpolation), so the whole window costs one
/// pass. The sensor stands at its cell's centre, mast_m above that cell's height.
/// Returns an empty window when the site is outside the DEM. Stops early (returning
/// what it has) when cancel becomes true.
HeightWindow lowest_visible(const Dem& dem, const Site& site, const std::atomic<bool>* cancel = nullptr);

/// Exact line of sight: the lowest height above ground at (x, y) at which a target is
/// seen from the site, from the terrain profile (bilinear) sampled every step_m (default
/// a third of a cell) and wherever the ray crosses a row or column of cell centres, with
/// curvature and refraction: exact for terrain linear between cell centres. The sensor
/// stands at (site.x, site.y). Infinity beyond the range.
double lowest_visible_exact(const Dem& dem, const Site& site, double x, double y, double step_m = 0);

/// lowest_visible for many sites on `threads` threads (0: the hardware's), one window
/// per site in the order given.
std::vector<HeightWindow> lowest_visible_all(const Dem& dem, const std::vector<Site>& sites, unsigned threads = 0,
                                             const std::atomic<bool>* cancel = nullptr);

/// Per band, the number of windows (sites) that see each DEM cell at that height above
/// ground (saturating at 255). Bands interleave per cell, so one pass over a window
/// updates every band.
struct BandCounts {
    std::size_t bands = 0;
    std::vector<std::uint8_t> v;  ///< cells * bands, cell-major
    std::uint8_t at(std::size_t cell, std::size_t band) const { return v[cell * bands + band]; }
    /// One band as a row-major grid.
    std::vector<std::uint8_t> band(std::size_t b) const;
};
/// The counts of all windows, on `threads` threads (0: the hardware's), each owning a
/// stripe of rows.
BandCounts count_per_band(const Dem& dem, const std::vector<HeightWindow>& windows, const std::vector<double>& bands_m,
                          unsigned threads = 0);
/// Adds (sign +1) or removes (sign -1) one window's contribution: moving one site
/// recomputes only its window and this.
void update_counts(BandCounts& counts, const Dem& dem, const HeightWindow& w, const std::vector<double>& bands_m,
                   int sign);

}  // namespace pcov
