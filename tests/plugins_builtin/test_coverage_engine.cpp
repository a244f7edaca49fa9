// SPDX-License-Identifier: MIT
// The fast paths of protection-coverage's engine against their plain forms, kept here as
// references: the sweep (plugins/protection_coverage/viewshed.cpp) multiplies by
// reciprocals and interleaves the two halves of a row where the plain sweep divides cell
// by cell; combine() (coverage.cpp) walks rows in runs and band planes where the plain
// form tests every cell of every system against every band. Both must give the same
// grids on relief, with every kind of envelope: sectors, minimum ranges, top elevation
// angles, effectors without their own sight, windows clipped by the DEM's edge, more
// than 64 systems.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "coverage.hpp"
#include "viewshed.hpp"

using namespace pcov;

namespace {

// 400 x 400 cells of 25 m: a plateau at 200 m with hills and valleys of 100-150 m.
Dem relief_dem() {
    Dem d;
    d.width = d.height = 400;
    d.cell = 25;
    d.x0 = 0;
    d.y0 = 10000;
    std::mt19937 rng(3);
    std::uniform_real_distribution<double> pos(0, 10000), amp(100, 150), width(300, 1500);
    std::vector<std::array<double, 4>> bumps;
    for (int i = 0; i < 40; ++i) bumps.push_back({pos(rng), pos(rng), (i % 3 == 0 ? -1 : 1) * amp(rng), width(rng)});
    d.z.resize(static_cast<std::size_t>(d.width) * d.height);
    for (int r = 0; r < d.height; ++r)
        for (int c = 0; c < d.width; ++c) {
            double z = 200;
            for (const auto& [bx, by, a, w] : bumps) {
                const double dx = d.centre_x(c) - bx, dy = d.centre_y(r) - by;
                z += a * std::exp(-(dx * dx + dy * dy) / (2 * w * w));
            }
            d.z[static_cast<std::size_t>(r) * d.width + c] = static_cast<float>(z);
        }
    return d;
}

// The plain sweep: GDAL's GVM_Edge rule written with divisions, one cell after the
// other, its heights in floats.
struct PlainWindow {
    int col0 = 0, row0 = 0, cols = 0, rows = 0;
    std::vector<float> h;
};
PlainWindow plain_sweep(const Dem& dem, const Site& site) {
    PlainWindow w;
    const int ox = dem.column_of(site.x), oy = dem.row_of(site.y);
    const int reach = static_cast<int>(std::ceil(site.range_m / dem.cell));
    w.col0 = std::max(0, ox - reach), w.row0 = std::max(0, oy - reach);
    w.cols = std::min(dem.width, ox + reach + 1) - w.col0;
    w.rows = std::min(dem.height, oy + reach + 1) - w.row0;
    w.h.assign(static_cast<std::size_t>(w.cols) * w.rows, kNotSeen);
    const double zs = dem.at(ox, oy) + site.mast_m, f = 1.0 / (2 * site.k * dem.semi_major_m);
    const int X = ox - w.col0;
    auto load = [&](int r, std::vector<double>& rel, int& left, int& right) {
        const double dy = r - oy, c2 = dem.cell * dem.cell, dy2 = dy * dy * c2;
        left = X, right = X;
        if (dy2 > site.range_m * site.range_m) return;
        right = X + 1;
        for (int i = 0; i < w.cols; ++i) {
            const double dx = i - X, d2 = dx * dx * c2 + dy2;
            if (d2 > site.range_m * site.range_m) continue;
            rel[i] = dem.at(w.col0 + i, r) - f * d2 - zs;
            left = std::min(left, i), right = std::max(right, i + 1);
        }
    };
    auto settle = [](double& cell, double z, float& out) {
        out = static_cast<float>(std::max(0.0, z - cell));
        cell = std::max(cell, z);
    };
    auto out_row = [&](int r) { return &w.h[static_cast<std::size_t>(r - w.row0) * w.cols]; };
    std::vector<double> first(w.cols), last, cur(w.cols);
    int left, right;
    load(oy, first, left, right);
    float* out = out_row(oy);
    out[X] = 0;
    if (X - 1 >= left) out[X - 1] = 0;
    if (X + 1 < right) out[X + 1] = 0;
    for (int i = X - 2; i >= left; --i) settle(first[i], first[i + 1] * (X - i) / (X - i - 1), out[i]);
    for (int i = X + 2; i < right; ++i) settle(first[i], first[i - 1] * (i - X) / (i - X - 1), out[i]);
    for (const int dir : {-1, 1}) {
        last = first;
        for (int r = oy + dir; r >= w.row0 && r < w.row0 + w.rows; r += dir) {
            const int yoff = std::abs(r - oy);
            load(r, cur, left, right);
            if (left >= right) break;
            out = out_row(r);
            settle(cur[X], yoff == 1 ? cur[X] : last[X] * yoff / (yoff - 1), out[X]);
            for (int i = 0; i < w.cols; ++i) {
                if (i == X) continue;
                const int side = i < X ? 1 : -1;  // towards the sensor's column
                const int xoff = std::abs(i - X);
                if (xoff > yoff) continue;  // the chained part, after this loop
                if (i < left || i >= right) continue;
                double z;
                if (xoff == yoff) z = xoff == 1 ? cur[i] : last[i + side] * xoff / (xoff - 1);
                else z = (last[i + side] * xoff + last[i] * (yoff - xoff)) / (yoff - 1);
                settle(cur[i], z, out[i]);
            }
            for (int i = X - yoff - 1; i >= left; --i) {
                const int xoff = X - i;
                settle(cur[i], (last[i + 1] * yoff + cur[i + 1] * (xoff - yoff)) / (xoff - 1), out[i]);
            }
            for (int i = X + yoff + 1; i < right; ++i) {
                const int xoff = i - X;
                settle(cur[i], (last[i - 1] * yoff + cur[i - 1] * (xoff - yoff)) / (xoff - 1), out[i]);
            }
            std::swap(last, cur);
        }
    }
    return w;
}

// The plain combine: every cell of every system's square, every test, every band; the
// sets of systems that see each cell too, per band, as seen_by() gives them.
struct PlainGrids : CoverageGrids {
    std::vector<std::vector<std::uint64_t>> seen_by;
};
PlainGrids plain_combine(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
                         const std::vector<double>& bands) {
    PlainGrids g;
    g.bands_m = bands;
    g.words = std::max<std::size_t>(1, (systems.size() + 63) / 64);
    const std::size_t cells = static_cast<std::size_t>(dem.width) * dem.height;
    g.count.assign(bands.size(), std::vector<std::uint8_t>(cells, 0));
    std::vector<std::vector<std::uint8_t>> flags(bands.size(), std::vector<std::uint8_t>(cells, 0));
    g.seen_by.assign(bands.size(), std::vector<std::uint64_t>(cells * g.words, 0));
    g.lowest.assign(cells, kNotSeen);
    g.in_range.assign(cells, 0);
    for (std::size_t i = 0; i < systems.size(); ++i) {
        const System& s = systems[i];
        const int sc = dem.column_of(s.x), sr = dem.row_of(s.y);
        if (sc < 0 || sr < 0 || sc >= dem.width || sr >= dem.height) continue;
        const double zs = dem.at(sc, sr) + s.mast_m, f = 1.0 / (2 * s.k * dem.semi_major_m);
        for (int r = 0; r < dem.height; ++r)
            for (int c = 0; c < dem.width; ++c) {
                const double dx = (c - sc) * dem.cell, dy = (sr - r) * dem.cell;
                if (!s.in_footprint(dx, dy)) continue;
                const std::size_t cell = static_cast<std::size_t>(r) * dem.width + c;
                const double d = std::max(std::hypot(dx, dy), dem.cell / 2);
                const float here = s.needs_los ? windows[i].at(c, r) : 0.0f;
                g.in_range[cell] = 1;
                if (s.needs_los) g.lowest[cell] = std::min(g.lowest[cell], here);
                const double rise = dem.at(c, r) - f * d * d - zs;
                for (std::size_t b = 0; b < bands.size(); ++b) {
                    if (!s.in_altitudes(bands[b], d, rise + bands[b])) continue;
                    if (!s.needs_los) {
                        flags[b][cell] |= 4;
                        continue;
                    }
                    if (!(here <= bands[b])) continue;
                    flags[b][cell] |= s.sensor ? 1 : 2;
                    if (g.count[b][cell] < 255) ++g.count[b][cell];
                    g.seen_by[b][(i / 64) * cells + cell] |= std::uint64_t{1} << (i % 64);
                }
            }
    }
    g.cls = flags;
    for (auto& band : g.cls)
        for (auto& v : band) v = (v & 2) || ((v & 1) && (v & 4)) ? 2 : (v & 1) ? 1 : 0;
    return g;
}

}  // namespace

TEST_CASE("the sweep with reciprocals and interleaved halves equals the plain sweep cell for cell", "[viewshed]") {
    const Dem dem = relief_dem();
    // The centre, a corner (window clipped on two sides), an edge, ranges of one cell to
    // beyond the DEM.
    const std::vector<std::array<double, 4>> sites{{5012, 4987, 10, 4000},  {300, 9700, 6, 3000},
                                                   {9990, 5000, 20, 6000},  {5000, 5000, 2, 20},
                                                   {2500, 7500, 10, 12000}, {7000, 1000, 30, 2500}};
    for (const auto& [x, y, mast, range] : sites) {
        const Site s{dem.centre_x(dem.column_of(x)), dem.centre_y(dem.row_of(y)), mast, range, 4.0 / 3.0};
        const HeightWindow fast = lowest_visible(dem, s);
        const PlainWindow plain = plain_sweep(dem, s);
        REQUIRE(fast.cols == plain.cols);
        REQUIRE(fast.rows == plain.rows);
        REQUIRE(fast.col0 == plain.col0);
        REQUIRE(fast.row0 == plain.row0);
        // The window holds heights rounded up to its 0.1 m step: never below the plain
        // sweep's, never a step above it (beyond the rounding of a multiplication
        // against a division, under a millimetre).
        double below = 0, above = 0;
        std::size_t seen = 0, mismatched_range = 0;
        for (std::size_t k = 0; k < fast.code.size(); ++k) {
            const double f = HeightWindow::decode(fast.code[k]);
            if (std::isinf(f) != std::isinf(plain.h[k])) ++mismatched_range;
            else if (!std::isinf(f))
                below = std::max(below, plain.h[k] - f), above = std::max(above, f - plain.h[k]), ++seen;
        }
        INFO("site " << x << "," << y << " range " << range);
        CHECK(mismatched_range == 0);
        CHECK(seen > 0);
        CHECK(below < 1e-3);
        CHECK(above < 0.1 + 1e-3);
    }
}

TEST_CASE("a window's 16-bit heights round up, and seen at a band on their grid is exact", "[viewshed]") {
    using W = HeightWindow;
    CHECK(W::decode(W::encode(0)) == 0);
    CHECK(W::decode(W::encode(-3)) == 0);
    CHECK(W::decode(W::encode(29.99)) == Approx(30));
    CHECK(W::decode(W::encode(30)) == Approx(30));
    CHECK(W::decode(W::encode(30.0001)) == Approx(30.1));
    CHECK(W::decode(W::encode(2999.95)) == Approx(3000));
    CHECK(W::decode(W::encode(3000.2)) == Approx(3001));
    CHECK(W::decode(W::encode(38533)) == Approx(38533));
    CHECK(std::isinf(W::decode(W::encode(38533.5))));
    CHECK(std::isinf(W::decode(W::encode(std::numeric_limits<double>::infinity()))));
    CHECK(std::isinf(W::decode(W::kOutOfRange)));
    // Every height from 0 to 5 km in 1 cm steps, every band on the grid near it: seen
    // exactly when h <= band; never seen lower than it is.
    for (int cm = 0; cm <= 500000; cm += 7) {
        const double h = cm / 100.0;
        const std::uint16_t c = W::encode(h);
        REQUIRE(W::decode(c) >= h - 1e-12);
        REQUIRE(W::decode(c) - h < (h < 3000 ? 0.1 + 1e-9 : 1 + 1e-9));
        for (const double band : {std::floor(h * 10) / 10, std::ceil(h * 10) / 10, std::floor(h), std::ceil(h)}) {
            const bool on_grid = band < 3000 || band == std::floor(band);
            if (on_grid) REQUIRE((c <= W::band_code(band)) == (h <= band + 1e-12));
        }
    }
    CHECK(W::band_code(-1) == -1);
    CHECK(W::band_code(0) == 0);
    CHECK(W::band_code(0.3) == 3);
    CHECK(W::band_code(1e9) == W::kAbove - 1);
}

TEST_CASE("combine's runs and band planes give the plain per-cell grids for 70 systems of every kind", "[coverage]") {
    const Dem dem = relief_dem();
    std::mt19937 rng(19);
    std::uniform_real_distribution<double> pos(-500, 10500), u(0, 1);
    std::vector<System> systems;
    for (int i = 0; i < 70; ++i) {
        System s;
        s.name = "S" + std::to_string(i + 1);
        s.x = pos(rng), s.y = pos(rng);  // some off the DEM, some near its edges
        s.x = std::clamp(s.x, -100.0, 10100.0);
        const int kind = i % 7;
        s.sensor = kind < 3;
        s.needs_los = kind != 6;
        s.mast_m = 2 + 20 * u(rng);
        s.range_m = kind == 5 ? 10 : 500 + 4000 * u(rng);  // one under a cell
        s.min_range_m = (i % 2) ? 0 : 50 + 400 * u(rng);
        s.min_alt_m = (i % 4 == 1) ? 30 : 0;
        s.max_alt_m = (i % 4 == 2) ? 60 : 1e9;
        s.max_elevation_deg = (i % 3 == 0) ? 90 : (i % 3 == 1) ? 70 : 30 + 40 * u(rng);
        s.sector_deg = (i % 5 == 4) ? 30 + 200 * u(rng) : 360;
        s.azimuth_deg = 360 * u(rng);
        s.k = (i % 2) ? 4.0 / 3.0 : 7.0 / 6.0;
        systems.push_back(s);
    }
    std::vector<Site> sites;
    for (const auto& s : systems) sites.push_back(s.site());
    std::vector<HeightWindow> windows = lowest_visible_all(dem, sites, 2);
    for (std::size_t i = 0; i < systems.size(); ++i)
        if (!systems[i].needs_los) windows[i] = {};  // effectors on a track have none
    // The bands in any order: the top elevation angle's near radius must follow the
    // highest band, not the last one listed.
    const std::vector<double> bands =
        GENERATE(std::vector<double>{10, 30, 50, 100, 150}, std::vector<double>{150, 100, 10, 50, 30});
    const CoverageGrids fast = combine(dem, systems, windows, bands);
    const PlainGrids plain = plain_combine(dem, systems, windows, bands);
    REQUIRE(fast.words == 2);
    CHECK(fast.in_range == plain.in_range);
    CHECK(fast.lowest == plain.lowest);
    std::size_t detected = 0, engaged = 0, multiple = 0;
    for (std::size_t b = 0; b < bands.size(); ++b) {
        INFO("band " << bands[b]);
        CHECK(fast.count[b] == plain.count[b]);
        CHECK(fast.cls[b] == plain.cls[b]);
        std::vector<std::uint64_t> sets(plain.seen_by[b].size(), 0);
        seen_by(dem, systems, windows, bands, b, sets.data());
        CHECK(sets == plain.seen_by[b]);
        for (std::size_t k = 0; k < fast.cls[b].size(); ++k)
            detected += fast.cls[b][k] >= 1, engaged += fast.cls[b][k] == 2, multiple += fast.count[b][k] >= 2;
    }
    // The case is not empty: every class and overlaps occur.
    CHECK(detected > 10000);
    CHECK(engaged > 1000);
    CHECK(multiple > 1000);
}

TEST_CASE("a sector's azimuth is read modulo 360", "[coverage]") {
    System s;
    s.range_m = 1000, s.sector_deg = 90;
    const double dx = 500 * std::sin(10 * 3.14159265358979323846 / 180),
                 dy = 500 * std::cos(10 * 3.14159265358979323846 / 180);
    for (const double az : {0.0, 360.0, 720.0, -360.0, 1080.0}) {
        s.azimuth_deg = az;
        INFO("azimuth " << az);
        CHECK(s.in_footprint(dx, dy));             // 10 degrees east of north
        CHECK_FALSE(s.in_footprint(-dy, dx * 0));  // due west
    }
    s.azimuth_deg = -350;  // 10 degrees
    CHECK(s.in_footprint(dx, dy));
}
