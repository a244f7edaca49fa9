// SPDX-License-Identifier: MIT
#include "coverage.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <thread>

namespace pcov {

namespace {

constexpr double kDeg = 3.14159265358979323846 / 180;

// Accumulation flags of a cell in one band before the classes are settled.
constexpr std::uint8_t kDetected = 1, kEngagedOwnSight = 2, kInCuedEnvelope = 4;

std::uint8_t settle_class(std::uint8_t flags) {
    const bool detected = flags & kDetected;
    if ((flags & kEngagedOwnSight) || (detected && (flags & kInCuedEnvelope))) return 2;
    return detected ? 1 : 0;
}

// What a system contributes to a cell or point for one band: whether it sees it, and
// the accumulation flag; `visible`: whether its line of sight reaches a target there.
std::uint8_t contribution(const System& s, double h, double d, double rise, bool visible, bool& sees) {
    sees = false;
    if (!s.in_altitudes(h, d, rise)) return 0;
    if (s.needs_los && !visible) return 0;
    if (!s.needs_los) return kInCuedEnvelope;  // engages on a sensor's track: it does not see
    sees = true;
    return s.sensor ? kDetected : kEngagedOwnSight;
}

}  // namespace

bool System::in_footprint(double dx, double dy) const {
    const double d2 = dx * dx + dy * dy;
    if (d2 > range_m * range_m || d2 < min_range_m * min_range_m) return false;
    if (sector_deg >= 360) return true;
    double az = std::atan2(dx, dy) / kDeg;  // clockwise from north
    if (az < 0) az += 360;
    const double off = std::remainder(az - azimuth_deg, 360.0);  // in [-180, 180] for any azimuth
    return std::abs(off) <= sector_deg / 2;
}

bool System::in_altitudes(double h, double d, double rise_m) const {
    if (h < min_alt_m || h > max_alt_m) return false;
    if (max_elevation_deg >= 90) return true;
    return std::atan2(rise_m, d) <= max_elevation_deg * kDeg;
}

namespace {

// What combine() knows of one system before it walks the rows.
struct Plan {
    bool active = false;  // its cell is on the DEM
    int sc = 0, sr = 0, reach = 0;
    double z_sensor = 0, drop_factor = 0;
    std::size_t word = 0;
    std::uint64_t bit = 0;
    std::uint8_t flag = 0;            // what seeing (or the envelope) adds to a cell's class
    std::vector<std::size_t> bands;   // the bands inside its altitudes
    bool every_cell_checked = false;  // an azimuth sector: the footprint is tested cell by cell
    int special = 0;                  // half-width (cells) of the square around it where cells are tested one by one
};

Plan plan_of(const Dem& dem, const System& s, std::size_t index, const HeightWindow& w,
             const std::vector<double>& bands_m, float z_max) {
    Plan p;
    p.sc = dem.column_of(s.x), p.sr = dem.row_of(s.y);
    if (p.sc < 0 || p.sr < 0 || p.sc >= dem.width || p.sr >= dem.height) return p;
    p.active = true;
    // In double before the cast: a range of any size stays a valid count of cells.
    p.reach = static_cast<int>(std::min(std::ceil(s.range_m / dem.cell), 1e8));
    p.z_sensor = dem.at(p.sc, p.sr) + s.mast_m;
    p.drop_factor = 1.0 / (2 * s.k * dem.semi_major_m);
    p.word = index / 64;
    p.bit = std::uint64_t{1} << (index % 64);
    p.flag = !s.needs_los ? kInCuedEnvelope : s.sensor ? kDetected : kEngagedOwnSight;
    double top_band = -std::numeric_limits<double>::infinity();
    for (std::size_t b = 0; b < bands_m.size(); ++b)
        if (bands_m[b] >= s.min_alt_m && bands_m[b] <= s.max_alt_m)
            p.bands.push_back(b), top_band = std::max(top_band, bands_m[b]);
    // A window that does not hold the whole footprint (none computed, a range under a
    // cell) is read cell by cell, where w.at() answers "not seen" outside it.
    const int c_lo = std::max(0, p.sc - p.reach), c_hi = std::min(dem.width, p.sc + p.reach + 1);
    const int r_lo = std::max(0, p.sr - p.reach), r_hi = std::min(dem.height, p.sr + p.reach + 1);
    const bool window_whole = w.col0 <= c_lo && w.row0 <= r_lo && w.col0 + w.cols >= c_hi && w.row0 + w.rows >= r_hi &&
                              w.code.size() == static_cast<std::size_t>(w.cols) * static_cast<std::size_t>(w.rows);
    p.every_cell_checked = s.sector_deg < 360 || (s.needs_los && !window_whole);
    // Cells are tested one by one inside the minimum range, and where the top elevation
    // angle can hide a target: the sight line to a target of the highest band rises at
    // most z_max + band - z_sensor, so beyond that over tan(angle) no band is hidden.
    double near_m = s.min_range_m;
    if (s.max_elevation_deg < 90 && !p.bands.empty()) {
        const double tan_top = std::tan(s.max_elevation_deg * kDeg);
        const double rise = static_cast<double>(z_max) + top_band - p.z_sensor;
        if (!(tan_top > 0)) p.every_cell_checked = true;
        else if (rise > 0) near_m = std::max(near_m, rise / tan_top * 1.001);
    }
    p.special = static_cast<int>(std::min<double>(p.reach + 1, std::ceil(near_m / dem.cell) + 1));
    return p;
}

// Walks every system's footprint row by row: in a stripe of rows per thread (no two
// threads write the same cell, and a row's planes stay in cache while the systems pass
// over it), `run(i, r, lo, hi)` for the columns [lo, hi) of row r where every test but
// line of sight holds for every band inside system i's altitudes, `cell(i, c, r)` for
// each cell to be tested one by one (near the system, inside its minimum range, in a
// sector) and known to be in its square.
template <class Run, class Cell>
void walk(const Dem& dem, const std::vector<System>& systems, const std::vector<Plan>& plans, Run run, Cell cell) {
    auto system_row = [&](std::size_t i, int r) {
        const System& s = systems[i];
        const Plan& p = plans[i];
        if (!p.active || std::abs(r - p.sr) > p.reach) return;
        const int c_lo = std::max(0, p.sc - p.reach), c_hi = std::min(dem.width - 1, p.sc + p.reach);
        if (p.every_cell_checked) {
            for (int c = c_lo; c <= c_hi; ++c) cell(i, c, r);
            return;
        }
        // The footprint's half-width in this row, settled on in_footprint's own test.
        const double dy = (p.sr - r) * dem.cell, range2 = s.range_m * s.range_m;
        if (dy * dy > range2) return;
        auto inside = [&](int k) {
            const double dx = k * dem.cell;
            return !(dx * dx + dy * dy > range2);
        };
        int half = std::min(p.reach, static_cast<int>(std::sqrt(std::max(0.0, range2 - dy * dy)) / dem.cell));
        while (half < p.reach && inside(half + 1)) ++half;
        while (half > 0 && !inside(half)) --half;
        const int lo = std::max(c_lo, p.sc - half), hi = std::min(c_hi, p.sc + half);  // inclusive
        if (std::abs(r - p.sr) > p.special) {
            if (lo <= hi) run(i, r, lo, hi + 1);
            return;
        }
        const int s_lo = std::max(lo, p.sc - p.special), s_hi = std::min(hi, p.sc + p.special);
        if (lo < s_lo) run(i, r, lo, s_lo);
        for (int c = s_lo; c <= s_hi; ++c) cell(i, c, r);
        if (s_hi < hi) run(i, r, s_hi + 1, hi + 1);
    };
    auto stripe = [&](int row_lo, int row_hi) {
        for (int r = row_lo; r < row_hi; ++r)
            for (std::size_t i = 0; i < systems.size(); ++i) system_row(i, r);
    };
    const unsigned threads =
        std::max(1u, std::min(std::thread::hardware_concurrency(), static_cast<unsigned>(std::max(1, dem.height))));
    auto bound = [&](unsigned t) { return static_cast<int>(static_cast<long long>(dem.height) * t / threads); };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) pool.emplace_back(stripe, bound(t), bound(t + 1));
    stripe(0, bound(1));
    for (auto& t : pool) t.join();
}

std::vector<Plan> plans_of(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
                           const std::vector<double>& bands_m) {
    // The highest ground, in eight lanes the compiler can keep in registers.
    float lanes[8];
    std::fill(std::begin(lanes), std::end(lanes), -std::numeric_limits<float>::infinity());
    const std::size_t n = dem.z.size();
    for (std::size_t k = 0; k + 8 <= n; k += 8)
        for (std::size_t j = 0; j < 8; ++j) lanes[j] = lanes[j] < dem.z[k + j] ? dem.z[k + j] : lanes[j];
    float z_max = *std::max_element(std::begin(lanes), std::end(lanes));
    for (std::size_t k = n - n % 8; k < n; ++k) z_max = std::max(z_max, dem.z[k]);
    std::vector<Plan> plans;
    for (std::size_t i = 0; i < systems.size(); ++i)
        plans.push_back(plan_of(dem, systems[i], i, windows[i], bands_m, z_max));
    return plans;
}

// What one cell gets from system s in band b, every test spelt out. Distances are from
// the system's cell centre, as the sweep measures them; a target in the system's own
// cell is taken half a cell away, not overhead.
struct CellView {
    bool in_footprint = false;
    double d = 0, ground_rise = 0;
    std::uint16_t code = 0;  // the window's code there (0 for a system without its own sight)
};
CellView view_of(const Dem& dem, const System& s, const Plan& p, const HeightWindow& w, int c, int r) {
    CellView v;
    const double dx = (c - p.sc) * dem.cell, dy = (p.sr - r) * dem.cell;
    if (!s.in_footprint(dx, dy)) return v;
    v.in_footprint = true;
    v.d = std::max(std::hypot(dx, dy), dem.cell / 2);
    v.code = s.needs_los ? w.code_at(c, r) : std::uint16_t{0};
    v.ground_rise = dem.at(c, r) - p.drop_factor * v.d * v.d - p.z_sensor;
    return v;
}

// The loops over a run of cells, each a plain loop over arrays.
PCOV_VECTOR_CLONES void least_codes(std::uint16_t* low, const std::uint16_t* h, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k) low[k] = std::min(low[k], h[k]);
}
// Adds one system's sight of a run to one band's counts and class flags.
PCOV_VECTOR_CLONES void add_band(std::uint8_t* __restrict count, std::uint8_t* __restrict cls,
                                 const std::uint16_t* __restrict h, std::size_t n, std::uint16_t top,
                                 std::uint8_t flag) {
    for (std::size_t k = 0; k < n; ++k) {
        const std::uint8_t m = h[k] <= top;
        count[k] = static_cast<std::uint8_t>(count[k] + (m & (count[k] != 255)));
        cls[k] = static_cast<std::uint8_t>(cls[k] | (flag & -m));
    }
}
PCOV_VECTOR_CLONES void add_seen(std::uint64_t* __restrict seen, const std::uint16_t* __restrict h, std::size_t n,
                                 std::uint16_t top, std::uint64_t bit) {
    for (std::size_t k = 0; k < n; ++k) seen[k] |= bit & -static_cast<std::uint64_t>(h[k] <= top);
}

const std::uint16_t* window_run(const HeightWindow& w, int r, int lo) {
    return &w.code[static_cast<std::size_t>(r - w.row0) * static_cast<std::size_t>(w.cols) +
                   static_cast<std::size_t>(lo - w.col0)];
}

}  // namespace

CoverageGrids combine(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
                      const std::vector<double>& bands_m) {
    CoverageGrids g;
    g.bands_m = bands_m;
    g.words = std::max<std::size_t>(1, (systems.size() + 63) / 64);
    const std::size_t width = static_cast<std::size_t>(dem.width);
    const std::size_t cells = width * static_cast<std::size_t>(dem.height);
    const std::size_t nb = bands_m.size();
    g.count.assign(nb, std::vector<std::uint8_t>(cells, 0));
    g.cls.assign(nb, std::vector<std::uint8_t>(cells, 0));
    g.in_range.assign(cells, 0);
    const std::vector<Plan> plans = plans_of(dem, systems, windows, bands_m);
    std::vector<int> band_code;  // a cell is seen in band b when its code is at most band_code[b]
    for (const double h : bands_m) band_code.push_back(HeightWindow::band_code(h));
    std::vector<std::uint16_t> lowest(cells, HeightWindow::kOutOfRange);  // the least code, decoded at the end

    auto run = [&](std::size_t i, int r, int lo, int hi) {
        const System& s = systems[i];
        const Plan& p = plans[i];
        const std::size_t at = static_cast<std::size_t>(r) * width + static_cast<std::size_t>(lo);
        const std::size_t n = static_cast<std::size_t>(hi - lo);
        std::uint8_t* in = &g.in_range[at];
        for (std::size_t k = 0; k < n; ++k) in[k] = 1;
        if (!s.needs_los) {
            for (const std::size_t b : p.bands) {
                std::uint8_t* cls = &g.cls[b][at];
                for (std::size_t k = 0; k < n; ++k) cls[k] |= kInCuedEnvelope;
            }
            return;
        }
        const std::uint16_t* h = window_run(windows[i], r, lo);
        least_codes(&lowest[at], h, n);
        for (const std::size_t b : p.bands)
            if (band_code[b] >= 0)
                add_band(&g.count[b][at], &g.cls[b][at], h, n, static_cast<std::uint16_t>(band_code[b]), p.flag);
    };
    auto cell = [&](std::size_t i, int c, int r) {
        const System& s = systems[i];
        const CellView v = view_of(dem, s, plans[i], windows[i], c, r);
        if (!v.in_footprint) return;
        const std::size_t at = static_cast<std::size_t>(r) * width + static_cast<std::size_t>(c);
        g.in_range[at] = 1;
        if (s.needs_los) lowest[at] = std::min(lowest[at], v.code);
        for (std::size_t b = 0; b < nb; ++b) {
            bool sees = false;
            g.cls[b][at] |= contribution(s, bands_m[b], v.d, v.ground_rise + bands_m[b], v.code <= band_code[b], sees);
            if (sees && g.count[b][at] < 255) ++g.count[b][at];
        }
    };
    walk(dem, systems, plans, run, cell);
    g.lowest.resize(cells);
    for (std::size_t k = 0; k < cells; ++k) g.lowest[k] = static_cast<float>(HeightWindow::decode(lowest[k]));
    for (auto& band : g.cls)
        for (auto& v : band) v = settle_class(v);
    return g;
}

void seen_by(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
             const std::vector<double>& bands_m, std::size_t band, std::uint64_t* out) {
    const std::size_t width = static_cast<std::size_t>(dem.width);
    const std::size_t cells = width * static_cast<std::size_t>(dem.height);
    if (band >= bands_m.size()) return;
    const std::vector<Plan> plans = plans_of(dem, systems, windows, bands_m);
    const double h_band = bands_m[band];
    const int top = HeightWindow::band_code(h_band);
    auto run = [&](std::size_t i, int r, int lo, int hi) {
        const Plan& p = plans[i];
        if (top < 0 || !systems[i].needs_los || std::find(p.bands.begin(), p.bands.end(), band) == p.bands.end())
            return;
        add_seen(&out[p.word * cells + static_cast<std::size_t>(r) * width + static_cast<std::size_t>(lo)],
                 window_run(windows[i], r, lo), static_cast<std::size_t>(hi - lo), static_cast<std::uint16_t>(top),
                 p.bit);
    };
    auto cell = [&](std::size_t i, int c, int r) {
        const System& s = systems[i];
        const Plan& p = plans[i];
        const CellView v = view_of(dem, s, p, windows[i], c, r);
        if (!v.in_footprint) return;
        bool sees = false;
        contribution(s, h_band, v.d, v.ground_rise + h_band, v.code <= top, sees);
        if (sees) out[p.word * cells + static_cast<std::size_t>(r) * width + static_cast<std::size_t>(c)] |= p.bit;
    };
    walk(dem, systems, plans, run, cell);
}

PointCoverage point_coverage(const Dem& dem, const std::vector<System>& systems, double x, double y,
                             const std::vector<double>& bands_m) {
    PointCoverage p;
    p.cls.assign(bands_m.size(), 0);
    p.seen_by.assign(bands_m.size(), {});
    p.lowest_m = std::numeric_limits<double>::infinity();
    if (!dem.contains(x, y)) return p;  // off the terrain: seen by none
    const double ground = dem.elevation(x, y);
    for (std::size_t i = 0; i < systems.size(); ++i) {
        const System& s = systems[i];
        const double dx = x - s.x, dy = y - s.y;
        if (!s.in_footprint(dx, dy)) continue;
        const double d = std::max(std::hypot(dx, dy), dem.cell / 2);  // as combine() takes its own cell
        const double exact = s.needs_los ? lowest_visible_exact(dem, s.site(), x, y) : 0;
        if (s.needs_los) p.lowest_m = std::min(p.lowest_m, exact);
        const double z_sensor = dem.elevation(s.x, s.y) + s.mast_m;
        const double ground_rise = ground - curvature_drop(d, s.k, dem.semi_major_m) - z_sensor;
        for (std::size_t b = 0; b < bands_m.size(); ++b) {
            bool sees = false;
            p.cls[b] |= contribution(s, bands_m[b], d, ground_rise + bands_m[b], exact <= bands_m[b], sees);
            if (sees) p.seen_by[b].push_back(i);
        }
    }
    for (auto& v : p.cls) v = settle_class(v);
    return p;
}

}  // namespace pcov
