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

// The engine's plain loops are built twice on x86-64 with GCC, for AVX2 and for the
// baseline, the loader choosing at start-up (GCC's target_clones, an ifunc): the Debian
// baseline is SSE2, and the loops run twice as wide where the machine has AVX2.
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define PCOV_VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PCOV_VECTOR_CLONES
#endif

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
/// window, held in 16 bits a cell (half a float's memory: a hundred 12 km windows at
/// 25 m take 185 MB): decimetres up to 3000 m, whole metres from there to 38 533 m,
/// always rounded up (but for the rounding of h * 10, under 1e-12 m), so that a cell
/// is never taken as seen lower than it is. Seen at
/// a band h is then exact for every h on that grid (a multiple of 0.1 m up to 3000 m, a
/// whole metre above) and at most 0.1 m strict otherwise.
struct HeightWindow {
    static constexpr std::uint16_t kOutOfRange = 65535;  ///< beyond the range (or outside the window)
    static constexpr std::uint16_t kAbove = 65534;       ///< in range, seen only above 38 533 m
    static constexpr int kFineLimit = 30000;             ///< codes below: decimetres

    int col0 = 0, row0 = 0;  ///< the window's top-left cell in the DEM
    int cols = 0, rows = 0;
    std::vector<std::uint16_t> code;  ///< rows * cols, row-major

    /// The code of a height h >= 0 m, rounded up.
    static std::uint16_t encode(double h) {
        if (!(h < 3000)) {  // coarse; NaN and infinity as above
            if (!(h <= 38533)) return kAbove;
            const double m = h - 3000;
            int c = static_cast<int>(m);
            if (c < m) ++c;
            return static_cast<std::uint16_t>(kFineLimit + c);
        }
        const double t = h > 0 ? h * 10 : 0;
        int c = static_cast<int>(t);
        c += c < t;
        return static_cast<std::uint16_t>(c);
    }
    /// The height a code stands for (infinity for kAbove and kOutOfRange).
    static double decode(std::uint16_t c) {
        if (c >= kAbove) return std::numeric_limits<double>::infinity();
        return c < kFineLimit ? c / 10.0 : 3000.0 + (c - kFineLimit);
    }
    /// The highest code whose height is at most band_m: a cell is seen at band_m exactly
    /// when its code is at most this (-1: below every height).
    static int band_code(double band_m) {
        if (!(band_m >= 0)) return -1;
        int c = band_m >= 3000 ? kFineLimit + static_cast<int>(std::min(band_m - 3000, 35533.0))
                               : static_cast<int>(band_m * 10);
        c = std::min(c, kAbove - 1);
        while (c + 1 < kAbove && decode(static_cast<std::uint16_t>(c + 1)) <= band_m) ++c;
        while (c >= 0 && decode(static_cast<std::uint16_t>(c)) > band_m) --c;
        return c;
    }

    /// The code at DEM cell (c, r); kOutOfRange outside the window.
    std::uint16_t code_at(int c, int r) const {
        c -= col0, r -= row0;
        if (c < 0 || r < 0 || c >= cols || r >= rows) return kOutOfRange;
        return code[static_cast<std::size_t>(r) * static_cast<std::size_t>(cols) + c];
    }
    /// The lowest visible height at DEM cell (c, r), rounded up to the code's step;
    /// kNotSeen outside the window and beyond the range.
    float at(int c, int r) const { return static_cast<float>(decode(code_at(c, r))); }
    /// Whether a target band_m above ground at DEM cell (c, r) is seen.
    bool seen(int c, int r, double band_m) const { return code_at(c, r) <= band_code(band_m); }
    std::size_t memory_bytes() const { return code.capacity() * sizeof(std::uint16_t); }
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

}  // namespace pcov
