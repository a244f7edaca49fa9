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
// observable height z_prev of the cell one step closer on the same line:
// z_prev * offset / (offset - 1), with inv[k] = 1 / k.
inline double along_line(int offset, double z_prev, const double* inv) { return z_prev * offset * inv[offset - 1]; }

struct Sweep {
    const Dem& dem;
    int ox, oy;          // sensor cell in the DEM
    int c0, cols;        // window columns
    int X;               // sensor column in the window
    double z_sensor;     // ground + mast at the sensor cell
    double drop_factor;  // 1 / (2 k a)
    double range2, cell2;

    // Loads row r as heights relative to the sensor, lowered by curvature; returns the
    // in-range part [left, right) (empty when the row is wholly out of range). The
    // half-width comes from a square root, then is settled on the exact test
    // dx^2 + dy^2 <= range^2 so that the loop below has no test.
    std::pair<int, int> load(int r, std::vector<double>& rel) const {
        const double dy = static_cast<double>(r - oy);
        const double dy2 = dy * dy * cell2;
        if (dy2 > range2) return {X, X};
        int n = static_cast<int>(std::sqrt((range2 - dy2) / cell2));
        auto inside = [&](int k) { return static_cast<double>(k) * k * cell2 + dy2 <= range2; };
        while (inside(n + 1)) ++n;
        while (n > 0 && !inside(n)) --n;
        const int left = std::max(0, X - n), right = std::min(cols, X + n + 1);
        const float* row = &dem.z[static_cast<std::size_t>(r) * static_cast<std::size_t>(dem.width) + c0];
        double* out = rel.data();
        const double zs = z_sensor, f = drop_factor, c2 = cell2;
        for (int i = left; i < right; ++i) {
            const double dx = static_cast<double>(i - X);
            out[i] = row[i] - f * (dx * dx * c2 + dy2) - zs;
        }
        return {left, right};
    }
};

// Records the lowest visible height of a cell whose sight-line height is z and raises
// the cell to its observable height.
inline void settle(double& cell, double z, std::uint16_t& out) {
    out = HeightWindow::encode(z - cell);
    cell = std::max(cell, z);
}

}  // namespace

PCOV_VECTOR_CLONES HeightWindow lowest_visible(const Dem& dem, const Site& site, const std::atomic<bool>* cancel) {
    HeightWindow w;
    if (dem.width <= 0 || dem.height <= 0 || !dem.contains(site.x, site.y) || !(site.range_m > 0)) return w;
    const int ox = dem.column_of(site.x), oy = dem.row_of(site.y);
    const int reach = static_cast<int>(std::min(std::ceil(site.range_m / dem.cell), 1e8));
    w.col0 = std::max(0, ox - reach);
    w.row0 = std::max(0, oy - reach);
    w.cols = std::min(dem.width, ox + reach + 1) - w.col0;
    w.rows = std::min(dem.height, oy + reach + 1) - w.row0;
    w.code.assign(static_cast<std::size_t>(w.cols) * static_cast<std::size_t>(w.rows), HeightWindow::kOutOfRange);

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
    auto out_row = [&](int r) {
        return &w.code[static_cast<std::size_t>(r - w.row0) * static_cast<std::size_t>(w.cols)];
    };
    // Reciprocals: the sweep multiplies where the formulas divide, which keeps divisions
    // off the chain of dependent cells along a row.
    std::vector<double> inv_table(static_cast<std::size_t>(std::max(w.cols, w.rows) + 2));
    inv_table[0] = 0;
    for (std::size_t k = 1; k < inv_table.size(); ++k) inv_table[k] = 1.0 / static_cast<double>(k);
    const double* inv = inv_table.data();

    // The sensor's own row: outward along it.
    std::vector<double> first(static_cast<std::size_t>(w.cols));
    {
        const auto [left, right] = s.load(oy, first);
        std::uint16_t* out = out_row(oy);
        out[X] = 0;
        if (X - 1 >= left) out[X - 1] = 0;
        if (X + 1 < right) out[X + 1] = 0;
        for (int i = X - 2; i >= left; --i) settle(first[i], along_line(X - i, first[i + 1], inv), out[i]);
        for (int i = X + 2; i < right; ++i) settle(first[i], along_line(i - X, first[i - 1], inv), out[i]);
    }

    // Then row by row away from it, up and down. In a row yoff away, a cell xoff away
    // takes its sight line from the row before (`last`) where xoff < yoff (the ray
    // crosses that row between the straight and the diagonal neighbour: GDAL's
    // GVM_Edge), along the diagonal where xoff == yoff, and from the row before and its
    // own neighbour towards the sensor's column where xoff > yoff (the ray crosses the
    // column xoff - 1). Only that last part chains cell to cell; its left and right
    // halves are independent and run interleaved.
    std::vector<double> last, cur(static_cast<std::size_t>(w.cols));
    for (const int dir : {-1, 1}) {
        last = first;
        for (int r = oy + dir; r >= w.row0 && r < w.row0 + w.rows; r += dir) {
            if (cancel && cancel->load(std::memory_order_relaxed)) return w;
            const int yoff = std::abs(r - oy);
            const auto [left, right] = s.load(r, cur);
            if (left >= right) break;  // farther rows are out of range too
            std::uint16_t* out = out_row(r);
            double* c = cur.data();
            const double* l = last.data();
            settle(c[X], yoff == 1 ? c[X] : along_line(yoff, l[X], inv), out[X]);
            const int nl = X - left, nr = right - 1 - X;  // cells in range to each side
            // xoff < yoff: from the row before only.
            const double inv_y = inv[yoff - 1];
            for (int xoff = 1, n = std::min(nl, yoff - 1); xoff <= n; ++xoff) {
                const int i = X - xoff;
                settle(c[i], (l[i + 1] * xoff + l[i] * (yoff - xoff)) * inv_y, out[i]);
            }
            for (int xoff = 1, n = std::min(nr, yoff - 1); xoff <= n; ++xoff) {
                const int i = X + xoff;
                settle(c[i], (l[i - 1] * xoff + l[i] * (yoff - xoff)) * inv_y, out[i]);
            }
            // xoff == yoff: the diagonal.
            if (yoff <= nl)
                settle(c[X - yoff], yoff == 1 ? c[X - yoff] : along_line(yoff, l[X - yoff + 1], inv), out[X - yoff]);
            if (yoff <= nr)
                settle(c[X + yoff], yoff == 1 ? c[X + yoff] : along_line(yoff, l[X + yoff - 1], inv), out[X + yoff]);
            // xoff > yoff: the chain, both halves at once.
            auto step = [&](int i, int towards, int xoff) {
                const double q = inv[xoff - 1];
                settle(c[i], l[i + towards] * (yoff * q) + c[i + towards] * ((xoff - yoff) * q), out[i]);
            };
            const int both = std::min(nl, nr);
            int xoff = yoff + 1;
            for (; xoff <= both; ++xoff) {
                step(X - xoff, +1, xoff);
                step(X + xoff, -1, xoff);
            }
            for (int k = xoff; k <= nl; ++k) step(X - k, +1, k);
            for (int k = xoff; k <= nr; ++k) step(X + k, -1, k);
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

}  // namespace pcov
