// SPDX-License-Identifier: MIT
#include "viewshed.hpp"

#include <algorithm>
#include <thread>
#include <utility>

namespace pcov {

double Dem::elevation(double x, double y) const {
    // Fractional cell-centre coordinates, clamped so that beyond the outermost centres
    // the edge cells' values hold.
    const double fx = std::clamp((x - x0) / cell - 0.5, 0.0, static_cast<double>(width - 1));
    const double fy = std::clamp((y0 - y) / cell - 0.5, 0.0, static_cast<double>(height - 1));
    const int c = std::min(static_cast<int>(fx), width - 2 < 0 ? 0 : width - 2);
    const int r = std::min(static_cast<int>(fy), height - 2 < 0 ? 0 : height - 2);
    const double tx = width > 1 ? fx - c : 0, ty = height > 1 ? fy - r : 0;
    const int c1 = std::min(c + 1, width - 1), r1 = std::min(r + 1, height - 1);
    const double top = at(c, r) * (1 - tx) + at(c1, r) * tx;
    const double bottom = at(c, r1) * (1 - tx) + at(c1, r1) * tx;
    return top * (1 - ty) + bottom * ty;
}

namespace {

// The sweep keeps, for the row just done, each cell's "observable height": the higher of
// its own (curvature-corrected, relative to the sensor) height and the sight line that
// grazes the terrain in front of it. A cell's sight-line height is extrapolated from the
// observable heights of its neighbours on the sensor's side along the ray through it.

// The sight line through a cell on the sensor's row, column or diagonal, from the
// observable height z_prev of the cell one step closer on the same line.
inline double along_line(int offset, double z_prev) { return z_prev * offset / (offset - 1); }

// Edge interpolation (GDAL's GVM_Edge): the ray to (i, j) with i < j crosses the column
// (row) j - 1 between the diagonal neighbour z_diag (i - 1, j - 1) and the straight one
// z_straight (i, j - 1).
inline double edge(int i, int j, double z_diag, double z_straight) {
    return (z_diag * i + z_straight * (j - i)) / (j - 1);
}

struct Sweep {
    const Dem& dem;
    int ox, oy;          // sensor cell in the DEM
    int c0, cols;        // window columns
    int X;               // sensor column in the window
    double z_sensor;     // ground + mast at the sensor cell
    double drop_factor;  // 1 / (2 k a)
    double range2, cell2;

    // Loads row r as heights relative to the sensor, lowered by curvature; returns the
    // in-range part [left, right) (empty when the row is wholly out of range).
    std::pair<int, int> load(int r, std::vector<double>& rel) const {
        const double dy = static_cast<double>(r - oy);
        const double dy2 = dy * dy * cell2;
        if (dy2 > range2) return {X, X};
        const float* row = &dem.z[static_cast<std::size_t>(r) * static_cast<std::size_t>(dem.width) + c0];
        // The sensor's column is in range whenever the row is: dx = 0 there.
        int left = X, right = X + 1;
        for (int i = X; i >= 0; --i) {
            const double dx = static_cast<double>(i - X);
            const double d2 = dx * dx * cell2 + dy2;
            if (d2 > range2) break;
            rel[i] = row[i] - drop_factor * d2 - z_sensor;
            left = i;
        }
        for (int i = X + 1; i < cols; ++i) {
            const double dx = static_cast<double>(i - X);
            const double d2 = dx * dx * cell2 + dy2;
            if (d2 > range2) break;
            rel[i] = row[i] - drop_factor * d2 - z_sensor;
            right = i + 1;
        }
        return {left, right};
    }
};

// Records the lowest visible height of a cell whose sight-line height is z and raises
// the cell to its observable height.
inline void settle(double& cell, double z, float& out) {
    out = static_cast<float>(std::max(0.0, z - cell));
    cell = std::max(cell, z);
}

}  // namespace

HeightWindow lowest_visible(const Dem& dem, const Site& site, const std::atomic<bool>* cancel) {
    HeightWindow w;
    if (dem.width <= 0 || dem.height <= 0 || !dem.contains(site.x, site.y) || !(site.range_m > 0)) return w;
    const int ox = dem.column_of(site.x), oy = dem.row_of(site.y);
    const int reach = static_cast<int>(std::ceil(site.range_m / dem.cell));
    w.col0 = std::max(0, ox - reach);
    w.row0 = std::max(0, oy - reach);
    w.cols = std::min(dem.width, ox + reach + 1) - w.col0;
    w.rows = std::min(dem.height, oy + reach + 1) - w.row0;
    w.h.assign(static_cast<std::size_t>(w.cols) * static_cast<std::size_t>(w.rows), kNotSeen);

    const Sweep s{dem,
                  ox,
                  oy,
                  w.col0,
                  w.cols,
                  ox - w.col0,
                  dem.at(ox, oy) + site.mast_m,
                  1.0 / (2 * site.k * dem.semi_major_m),
                  site.range_m * site.range_m,
                  dem.cell * dem.cell};
    const int X = s.X;
    auto out_row = [&](int r) { return &w.h[static_cast<std::size_t>(r - w.row0) * static_cast<std::size_t>(w.cols)]; };

    // The sensor's own row: outward along it.
    std::vector<double> first(static_cast<std::size_t>(w.cols));
    {
        const auto [left, right] = s.load(oy, first);
        float* out = out_row(oy);
        out[X] = 0;
        if (X - 1 >= left) out[X - 1] = 0;
        if (X + 1 < right) out[X + 1] = 0;
        for (int i = X - 2; i >= left; --i) settle(first[i], along_line(X - i, first[i + 1]), out[i]);
        for (int i = X + 2; i < right; ++i) settle(first[i], along_line(i - X, first[i - 1]), out[i]);
    }

    // Then row by row away from it, up and down.
    std::vector<double> last, cur(static_cast<std::size_t>(w.cols));
    for (const int dir : {-1, 1}) {
        last = first;
        for (int r = oy + dir; r >= w.row0 && r < w.row0 + w.rows; r += dir) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return w;
            const int yoff = std::abs(r - oy);
            const auto [left, right] = s.load(r, cur);
            if (left >= right) break;  // farther rows are out of range too
            float* out = out_row(r);
            settle(cur[X], yoff == 1 ? cur[X] : along_line(yoff, last[X]), out[X]);
            for (int i = X - 1; i >= left; --i) {
                const int xoff = X - i;
                double z;
                if (xoff == yoff) z = xoff == 1 ? cur[i] : along_line(xoff, last[i + 1]);
                else if (xoff > yoff) z = edge(yoff, xoff, last[i + 1], cur[i + 1]);
                else z = edge(xoff, yoff, last[i + 1], last[i]);
                settle(cur[i], z, out[i]);
            }
            for (int i = X + 1; i < right; ++i) {
                const int xoff = i - X;
                double z;
                if (xoff == yoff) z = xoff == 1 ? cur[i] : along_line(xoff, last[i - 1]);
                else if (xoff > yoff) z = edge(yoff, xoff, last[i - 1], cur[i - 1]);
                else z = edge(xoff, yoff, last[i - 1], last[i]);
                settle(cur[i], z, out[i]);
            }
            std::swap(last, cur);
        }
    }
    return w;
}

double lowest_visible_exact(const Dem& dem, const Site& site, double x, double y, double step_m) {
    const double dx = x - site.x, dy = y - site.y;
    const double distance = std::hypot(dx, dy);
    if (distance > site.range_m || !dem.contains(x, y) || !dem.contains(site.x, site.y))
        return std::numeric_limits<double>::infinity();
    const double step = step_m > 0 ? step_m : dem.cell / 3;
    const double drop_factor = 1.0 / (2 * site.k * dem.semi_major_m);
    const double z_sensor = dem.elevation(site.x, site.y) + site.mast_m;
    const int n = static_cast<int>(std::ceil(distance / step));
    if (n < 2) return 0;
    // The steepest sight line to the terrain between sensor and target: sampled every
    // step, and where the ray crosses a row or column of cell centres (the bilinear
    // surface's creases, where a ridge line or a crest lies), so that terrain linear
    // between cell centres is followed exactly.
    double steepest = -std::numeric_limits<double>::infinity();
    auto sample = [&](double t) {
        if (!(t > 0 && t < 1)) return;
        const double d = distance * t;
        const double z = dem.elevation(site.x + t * dx, site.y + t * dy) - drop_factor * d * d;
        steepest = std::max(steepest, (z - z_sensor) / d);
    };
    for (int i = 1; i < n; ++i) sample(static_cast<double>(i) / n);
    auto crossings = [&](double from, double delta, double first_centre, double spacing) {
        if (std::abs(delta) < 1e-12) return;
        const double k0 = (from - first_centre) / spacing, k1 = (from + delta - first_centre) / spacing;
        for (double k = std::ceil(std::min(k0, k1)); k <= std::floor(std::max(k0, k1)); ++k)
            sample((first_centre + k * spacing - from) / delta);
    };
    crossings(site.x, dx, dem.x0 + dem.cell / 2, dem.cell);
    crossings(site.y, dy, dem.y0 - dem.cell / 2, -dem.cell);
    // ...must pass below the target.
    const double z_target = dem.elevation(x, y) - drop_factor * distance * distance;
    return std::max(0.0, z_sensor + steepest * distance - z_target);
}

std::vector<HeightWindow> lowest_visible_all(const Dem& dem, const std::vector<Site>& sites, unsigned threads,
                                             const std::atomic<bool>* cancel) {
    std::vector<HeightWindow> out(sites.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::min<unsigned>(threads, static_cast<unsigned>(std::max<std::size_t>(1, sites.size())));
    std::atomic<std::size_t> next{0};
    auto work = [&] {
        for (std::size_t i; (i = next.fetch_add(1)) < sites.size();) out[i] = lowest_visible(dem, sites[i], cancel);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
    work();
    for (auto& t : pool) t.join();
    return out;
}

std::vector<std::uint8_t> BandCounts::band(std::size_t b) const {
    std::vector<std::uint8_t> out(bands ? v.size() / bands : 0);
    for (std::size_t i = 0; i < out.size(); ++i) out[i] = v[i * bands + b];
    return out;
}

namespace {

// Adds or removes one window's contribution to the counts of DEM rows [row_lo, row_hi).
void update_rows(BandCounts& counts, const Dem& dem, const HeightWindow& w, const std::vector<float>& band, int sign,
                 int row_lo, int row_hi) {
    const std::size_t nb = counts.bands;
    const int r0 = std::max(w.row0, row_lo), r1 = std::min(w.row0 + w.rows, row_hi);
    for (int dr = r0; dr < r1; ++dr) {
        const float* h = &w.h[static_cast<std::size_t>(dr - w.row0) * static_cast<std::size_t>(w.cols)];
        std::uint8_t* out =
            &counts.v[(static_cast<std::size_t>(dr) * static_cast<std::size_t>(dem.width) + w.col0) * nb];
        const float top = band.back();
        if (sign > 0) {
            for (int i = 0; i < w.cols; ++i, out += nb) {
                const float hi = h[i];
                if (hi > top) continue;  // seen in no band (or out of range)
                for (std::size_t b = 0; b < nb; ++b)
                    out[b] = static_cast<std::uint8_t>(out[b] + (hi <= band[b] && out[b] < 255));
            }
        } else {
            for (int i = 0; i < w.cols; ++i, out += nb) {
                const float hi = h[i];
                if (hi > top) continue;
                for (std::size_t b = 0; b < nb; ++b)
                    out[b] = static_cast<std::uint8_t>(out[b] - (hi <= band[b] && out[b] > 0));
            }
        }
    }
}

}  // namespace

void update_counts(BandCounts& counts, const Dem& dem, const HeightWindow& w, const std::vector<double>& bands_m,
                   int sign) {
    if (counts.bands == 0) return;
    const std::vector<float> band(bands_m.begin(), bands_m.end());
    update_rows(counts, dem, w, band, sign, 0, dem.height);
}

BandCounts count_per_band(const Dem& dem, const std::vector<HeightWindow>& windows, const std::vector<double>& bands_m,
                          unsigned threads) {
    BandCounts counts;
    counts.bands = bands_m.size();
    counts.v.assign(static_cast<std::size_t>(dem.width) * static_cast<std::size_t>(dem.height) * counts.bands, 0);
    if (counts.bands == 0) return counts;
    const std::vector<float> band(bands_m.begin(), bands_m.end());
    // Each thread owns a stripe of DEM rows and adds every window's part in it: no two
    // threads write the same cell.
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
    threads = std::max(1u, std::min<unsigned>(threads, static_cast<unsigned>(dem.height)));
    auto stripe = [&](unsigned t) {
        const int lo = static_cast<int>(static_cast<long long>(dem.height) * t / threads);
        const int hi = static_cast<int>(static_cast<long long>(dem.height) * (t + 1) / threads);
        for (const auto& w : windows) update_rows(counts, dem, w, band, +1, lo, hi);
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(stripe, t);
    stripe(0);
    for (auto& t : pool) t.join();
    return counts;
}

}  // namespace pcov
