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
// the accumulation flag.
std::uint8_t contribution(const System& s, double h, double d, double rise, double lowest_here, bool& sees) {
    sees = false;
    if (!s.in_altitudes(h, d, rise)) return 0;
    if (s.needs_los && !(lowest_here <= h)) return 0;
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
    const double off = std::fmod(az - azimuth_deg + 540.0, 360.0) - 180.0;
    return std::abs(off) <= sector_deg / 2;
}

bool System::in_altitudes(double h, double d, double rise_m) const {
    if (h < min_alt_m || h > max_alt_m) return false;
    if (max_elevation_deg >= 90) return true;
    return std::atan2(rise_m, d) <= max_elevation_deg * kDeg;
}

CoverageGrids combine(const Dem& dem, const std::vector<System>& systems, const std::vector<HeightWindow>& windows,
                      const std::vector<double>& bands_m) {
    CoverageGrids g;
    g.bands_m = bands_m;
    g.words = std::max<std::size_t>(1, (systems.size() + 63) / 64);
    const std::size_t cells = static_cast<std::size_t>(dem.width) * static_cast<std::size_t>(dem.height);
    const std::size_t nb = bands_m.size();
    g.count.assign(nb, std::vector<std::uint8_t>(cells, 0));
    g.cls.assign(nb, std::vector<std::uint8_t>(cells, 0));
    g.seen_by.assign(nb, std::vector<std::uint64_t>(cells * g.words, 0));
    g.lowest.assign(cells, kNotSeen);
    g.in_range.assign(cells, 0);

    // Each thread owns a stripe of rows and adds every system's part in it: no two threads
    // write the same cell.
    auto stripe = [&](int row_lo, int row_hi) {
        for (std::size_t i = 0; i < systems.size(); ++i) {
            const System& s = systems[i];
            const HeightWindow& w = windows[i];
            const int sc = dem.column_of(s.x), sr = dem.row_of(s.y);
            if (sc < 0 || sr < 0 || sc >= dem.width || sr >= dem.height) continue;
            const double z_sensor = dem.at(sc, sr) + s.mast_m;
            const double drop_factor = 1.0 / (2 * s.k * dem.semi_major_m);
            const int reach = static_cast<int>(std::ceil(s.range_m / dem.cell));
            const std::size_t word = i / 64;
            const std::uint64_t bit = std::uint64_t{1} << (i % 64);
            for (int r = std::max(row_lo, sr - reach); r <= std::min(row_hi - 1, sr + reach); ++r) {
                for (int c = std::max(0, sc - reach); c <= std::min(dem.width - 1, sc + reach); ++c) {
                    // Distances from the sensor's cell centre, as the sweep measures them.
                    const double dx = (c - sc) * dem.cell, dy = (sr - r) * dem.cell;
                    if (!s.in_footprint(dx, dy)) continue;
                    const std::size_t cell = static_cast<std::size_t>(r) * static_cast<std::size_t>(dem.width) + c;
                    // A target in the system's own cell is taken half a cell away, not overhead.
                    const double d = std::max(std::hypot(dx, dy), dem.cell / 2);
                    const float lowest_here = s.needs_los ? w.at(c, r) : 0.0f;
                    g.in_range[cell] = 1;
                    if (s.needs_los) g.lowest[cell] = std::min(g.lowest[cell], lowest_here);
                    const double ground_rise = dem.at(c, r) - drop_factor * d * d - z_sensor;
                    for (std::size_t b = 0; b < nb; ++b) {
                        bool sees = false;
                        const std::uint8_t flag =
                            contribution(s, bands_m[b], d, ground_rise + bands_m[b], lowest_here, sees);
                        g.cls[b][cell] |= flag;
                        if (sees) {
                            if (g.count[b][cell] < 255) ++g.count[b][cell];
                            g.seen_by[b][cell * g.words + word] |= bit;
                        }
                    }
                }
            }
        }
    };
    const unsigned threads =
        std::max(1u, std::min(std::thread::hardware_concurrency(), static_cast<unsigned>(dem.height)));
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t)
        pool.emplace_back(stripe, static_cast<int>(static_cast<long long>(dem.height) * t / threads),
                          static_cast<int>(static_cast<long long>(dem.height) * (t + 1) / threads));
    stripe(0, static_cast<int>(dem.height / static_cast<int>(threads)));
    for (auto& t : pool) t.join();
    for (auto& band : g.cls)
        for (auto& v : band) v = settle_class(v);
    return g;
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
            p.cls[b] |= contribution(s, bands_m[b], d, ground_rise + bands_m[b], exact, sees);
            if (sees) p.seen_by[b].push_back(i);
        }
    }
    for (auto& v : p.cls) v = settle_class(v);
    return p;
}

}  // namespace pcov
